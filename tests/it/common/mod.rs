//! Shared helpers for integration tests: run the real `cbr` binary on
//! temporary studies, isolated from the developer's git configuration.

#![allow(dead_code)]

pub mod import_graph;
pub mod tmux;
pub mod tui;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary home: git sees no user or system configuration but this one.
pub struct Sandbox {
    pub home: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let home = tempfile::tempdir().unwrap();
        // A home closed to others, as cbr's privacy check expects of one.
        std::fs::set_permissions(
            home.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        std::fs::write(
            home.path().join(".gitconfig"),
            "[user]\n\tname = Test Person\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        Sandbox { home }
    }

    pub fn path(&self) -> &Path {
        self.home.path()
    }

    /// A command for `program` with the sandboxed environment.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("CBR_CODER")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `cbr ARGS` in `dir` as `coder`.
    pub fn cbr(&self, dir: &Path, coder: &str, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_cbr"))
            .current_dir(dir)
            .env("CBR_CODER", coder)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs `git ARGS` in `dir` and returns its stdout (panics on failure).
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = self
            .command("git")
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Builds the demo study in a fresh folder inside the sandbox.
    pub fn demo(&self) -> PathBuf {
        let dir = self.path().join("demo");
        let out = self.cbr(
            self.path(),
            "alice",
            &["demo", dir.to_str().unwrap(), "--no-tui"],
        );
        assert_success(&out);
        dir
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}
