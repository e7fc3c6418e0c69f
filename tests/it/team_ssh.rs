//! A team across sites: the shared repository sits behind a real `sshd`
//! on 127.0.0.1 (its own host key, config and port, stopped at the end),
//! reached with the user's own ssh set-up, and three coders share, join
//! and sync through it. Failures (unknown host key, refused key, nobody
//! listening) are worded and leave the working copy as it was.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Sandbox, assert_success, stderr, stdout};

/// An sshd of our own, killed (and waited for) on drop.
struct Sshd {
    child: Child,
    port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sshd_path() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/sbin/sshd");
    if path.exists() {
        return Some(path);
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let _ = install(&["install", "-y", "-q", "openssh-server"])
        || (install(&["update", "-q"]) && install(&["install", "-y", "-q", "openssh-server"]));
    path.exists().then_some(path)
}

fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert_success(&out);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts sshd on a free loopback port, accepting `user_key`.
fn start_sshd(dir: &Path, sshd: &Path, user_key: &Path) -> Sshd {
    let _ = std::fs::create_dir_all("/run/sshd");
    let host_key = dir.join("host_key");
    keygen(&host_key);
    std::fs::copy(user_key.with_extension("pub"), dir.join("authorized_keys")).unwrap();
    let port = free_port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
             PidFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin yes\n",
            host_key.display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display(),
        ),
    )
    .unwrap();
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "sshd did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Sshd { child, port }
}

/// The client side: `Host cbrtest` in an ssh config of the sandbox, used
/// through `core.sshCommand` (ssh reads the real home, not `$HOME`).
fn client_config(sb: &Sandbox, dir: &Path, port: u16, key: &Path, known: &Path) -> PathBuf {
    let config = dir.join("ssh_config");
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    std::fs::write(
        &config,
        format!(
            "Host cbrtest\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {}\n  \
             IdentitiesOnly yes\n  UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  BatchMode yes\n\
             Host cbrdead\n  HostName 127.0.0.1\n  Port {}\n  BatchMode yes\n",
            key.display(),
            known.display(),
            free_port(),
        ),
    )
    .unwrap();
    let gitconfig = sb.path().join(".gitconfig");
    let mut text = std::fs::read_to_string(&gitconfig).unwrap();
    text.push_str(&format!(
        "[core]\n\tsshCommand = ssh -F {}\n",
        config.display()
    ));
    std::fs::write(gitconfig, text).unwrap();
    config
}

#[test]
fn three_coders_sync_through_an_ssh_remote() {
    let Some(sshd_bin) = sshd_path() else {
        eprintln!("skipped: sshd is not installed and cannot be (not root, or no apt)");
        return;
    };
    let sb = Sandbox::new();
    let ssh_dir = sb.path().join("ssh");
    std::fs::create_dir(&ssh_dir).unwrap();
    let key = ssh_dir.join("id_ed25519");
    keygen(&key);
    let sshd = start_sshd(&ssh_dir, &sshd_bin, &key);
    let known = ssh_dir.join("known_hosts");
    client_config(&sb, &ssh_dir, sshd.port, &key, &known);

    // The team's git host: an empty repository, as GitLab makes one.
    let bare = sb.path().join("host/violence.git");
    let out = sb
        .command("git")
        .args(["init", "-q", "--bare"])
        .arg(&bare)
        .output()
        .unwrap();
    assert_success(&out);
    let url = format!("ssh://cbrtest{}", bare.display());

    // alice's study exists already; the host key is not known yet.
    let alice = sb.path().join("alice");
    assert_success(&sb.cbr(
        sb.path(),
        "alice",
        &["init", "alice", "--title", "Violence"],
    ));
    let out = sb.cbr(&alice, "alice", &["share", &url]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("host key"), "{}", stderr(&out));
    assert!(
        git2::Repository::open(&alice)
            .unwrap()
            .find_remote("origin")
            .is_err(),
        "a failed share leaves the study as it was"
    );
    // Accepting the host key, as a person would after checking it.
    let host_pub = std::fs::read_to_string(ssh_dir.join("host_key.pub")).unwrap();
    std::fs::write(&known, format!("[127.0.0.1]:{} {host_pub}", sshd.port)).unwrap();

    let out = sb.cbr(&alice, "alice", &["share", &url]);
    assert_success(&out);
    assert!(
        stderr(&out).contains(&format!("cbr join {url}")),
        "{}",
        stderr(&out)
    );
    let transcript = sb.path().join("interview-01.txt");
    std::fs::write(&transcript, "Q: Hello.\nA: Hello to you.\nQ: Bye.\n").unwrap();
    assert_success(&sb.cbr(&alice, "alice", &["import", transcript.to_str().unwrap()]));
    assert_success(&sb.cbr(&alice, "alice", &["sync"]));

    // bob joins with the ssh:// form, carol with the scp-like one.
    let scp = format!("cbrtest:{}", bare.display());
    assert_success(&sb.cbr(sb.path(), "bob", &["join", &url, "bob"]));
    assert_success(&sb.cbr(sb.path(), "carol", &["join", &scp]));
    let carol = sb.path().join("violence");
    let bob = sb.path().join("bob");
    for (dir, coder) in [(&bob, "bob"), (&carol, "carol"), (&alice, "alice")] {
        let file = dir.join(format!("codings/{coder}/interview-01.toml"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            &file,
            "transcript = \"interview-01\"\ncomplete = false\nsegments = []\n",
        )
        .unwrap();
        let out = sb.cbr(dir, coder, &["sync"]);
        assert_success(&out);
    }
    for (dir, coder) in [(&bob, "bob"), (&carol, "carol")] {
        assert_success(&sb.cbr(dir, coder, &["sync"]));
    }
    for dir in [&alice, &bob, &carol] {
        for coder in ["alice", "bob", "carol"] {
            assert!(
                dir.join(format!("codings/{coder}/interview-01.toml"))
                    .is_file(),
                "{}: no coding of {coder}",
                dir.display()
            );
        }
        let out = sb.cbr(dir, "alice", &["sync", "--format", "json"]);
        assert_success(&out);
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(report["status"]["ahead"], 0);
        assert_eq!(report["status"]["behind"], 0);
    }

    // A key the server does not know: refused, worded, nothing changed.
    let head = sb.git(&bob, &["rev-parse", "HEAD"]);
    let stranger = ssh_dir.join("stranger");
    keygen(&stranger);
    let config = std::fs::read_to_string(ssh_dir.join("ssh_config")).unwrap();
    std::fs::write(
        ssh_dir.join("ssh_config"),
        config.replace(&key.display().to_string(), &stranger.display().to_string()),
    )
    .unwrap();
    let out = sb.cbr(&bob, "bob", &["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refused your login"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&bob, &["rev-parse", "HEAD"]), head);
    assert_eq!(sb.git(&bob, &["status", "--porcelain"]), "");

    // Nobody listening.
    sb.git(
        &bob,
        &["remote", "set-url", "origin", "ssh://cbrdead/x.git"],
    );
    let out = sb.cbr(&bob, "bob", &["sync"]);
    assert!(
        stderr(&out).contains("cannot reach the server"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&bob, &["rev-parse", "HEAD"]), head);
    drop(sshd);
}
