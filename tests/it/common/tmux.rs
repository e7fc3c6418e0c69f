//! The real `cbr` binary in tmux, driven with keystrokes the way a person
//! types: a tmux server of our own per screen, so tests never touch the
//! developer's sessions or each other.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{Sandbox, assert_success};

/// A tmux server of our own (its own socket), killed on drop.
pub struct Tmux<'a> {
    sb: &'a Sandbox,
    socket: String,
}

impl<'a> Tmux<'a> {
    /// `cbr` as `coder` in `dir`, on an 80×24 screen; `name` keeps sockets apart.
    pub fn start(sb: &'a Sandbox, dir: &Path, name: &str, coder: &str) -> Tmux<'a> {
        Tmux::start_args(sb, dir, name, coder, "")
    }

    /// `cbr` as `coder` with extra `VAR=value` settings (e.g. `EDITOR=…`).
    pub fn start_env(sb: &'a Sandbox, dir: &Path, name: &str, coder: &str, env: &str) -> Tmux<'a> {
        Tmux::launch(sb, dir, name, &format!("CBR_CODER={coder} {env}"), "")
    }

    /// `cbr ARGS` (space-separated) as `coder` in `dir`, on an 80×24 screen.
    pub fn start_args(
        sb: &'a Sandbox,
        dir: &Path,
        name: &str,
        coder: &str,
        args: &str,
    ) -> Tmux<'a> {
        Tmux::launch(sb, dir, name, &format!("CBR_CODER={coder}"), args)
    }

    fn launch(sb: &'a Sandbox, dir: &Path, name: &str, env: &str, args: &str) -> Tmux<'a> {
        let socket = format!("cbr-e2e-{}-{name}", std::process::id());
        let t = Tmux { sb, socket };
        let cbr = env!("CARGO_BIN_EXE_cbr");
        let out = t
            .cmd()
            .args([
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                "80",
                "-y",
                "24",
                "-c",
            ])
            .arg(dir)
            // `env` last, so that a test can set its own TERM.
            .arg(format!("TERM=xterm-256color {env} {cbr} {args}"))
            .output()
            .expect("tmux must be installed (.ci/run installs it)");
        assert_success(&out);
        t
    }

    pub fn cmd(&self) -> std::process::Command {
        let mut c = self.sb.command("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    pub fn keys(&self, keys: &[&str]) {
        let out = self
            .cmd()
            .args(["send-keys", "-t", "main"])
            .args(keys)
            .output()
            .unwrap();
        assert_success(&out);
    }

    pub fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "main"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text` (the UI redraws after each key).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw `{text}`; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn running(&self) -> bool {
        self.cmd()
            .args(["has-session", "-t", "main"])
            .output()
            .unwrap()
            .status
            .success()
    }

    pub fn kill(&self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
