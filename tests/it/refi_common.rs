//! Helpers for the REFI-QDA tests: fixture paths, xmllint (installed when
//! missing), and counting the codes of a study.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refi-qda")
        .join(name)
}

/// Makes sure `xmllint` is there: the schema checks are part of what
/// "done" means, so the test installs it rather than skipping.
pub fn xmllint() -> &'static str {
    let have = || {
        Command::new("xmllint")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have() {
        let _ = Command::new("apt-get").args(["update", "-q"]).status();
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-q", "libxml2-utils"])
            .status();
    }
    assert!(
        have(),
        "xmllint is missing and could not be installed (apt-get install libxml2-utils)"
    );
    "xmllint"
}

/// Asserts that `file` validates against the schema `xsd`.
pub fn assert_valid(file: &Path, xsd: &str) {
    let out = Command::new(xmllint())
        .args(["--noout", "--schema"])
        .arg(fixture(xsd))
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} does not validate against {xsd}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The code ids of a study's working tree.
pub fn code_ids(study: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(study.join("codebook/codes"))
        .map(|rd| {
            rd.filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}
