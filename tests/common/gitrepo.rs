//! Real git repositories for the binary's tests, built with the `git` binary
//! in temp dirs: isolated from the user's config (HOME in the scratch dir, no
//! system config, no GIT_* variables), fixed identities and dates.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Scratch;

/// First commit date: 2024-01-01T00:00:00Z; each commit one hour later.
pub const EPOCH: i64 = 1_704_067_200;

/// Runs git in `dir`; a failure is returned as Err(stderr).
pub fn git_at(
    scratch: &Scratch,
    dir: &Path,
    args: &[&str],
    date: i64,
    author: (&str, &str),
) -> Result<String, String> {
    let mut cmd = Command::new("git");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    let date = format!("@{date} +0000");
    let out = cmd
        .current_dir(dir)
        .args(args)
        .env("HOME", scratch.path().join("home"))
        .env("XDG_CONFIG_HOME", scratch.path().join("home/.config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("run git");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A work tree at `<scratch>/repo` with branch `main`.
pub struct Repo {
    pub scratch: Scratch,
    pub dir: PathBuf,
    pub clock: i64,
    pub author: (&'static str, &'static str),
}

impl Repo {
    pub fn new() -> Self {
        let scratch = Scratch::new();
        let dir = scratch.path().join("repo");
        git_at(
            &scratch,
            scratch.path(),
            &["init", "-q", "-b", "main", "repo"],
            EPOCH,
            ("x", "x@example.com"),
        )
        .expect("git init");
        Repo {
            scratch,
            dir,
            clock: EPOCH,
            author: ("Alice", "alice@example.com"),
        }
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_at(&self.scratch, &self.dir, args, self.clock, self.author)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Like `git`, but false on failure (a merge that conflicts).
    pub fn git_ok(&self, args: &[&str]) -> bool {
        git_at(&self.scratch, &self.dir, args, self.clock, self.author).is_ok()
    }

    /// Runs git in the scratch directory (clones).
    pub fn git_outside(&self, args: &[&str]) -> String {
        git_at(
            &self.scratch,
            self.scratch.path(),
            args,
            self.clock,
            self.author,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        let p = self.dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.dir.join(name)).expect("remove");
    }

    /// Stages everything and commits one hour after the previous commit; returns its id.
    pub fn commit(&mut self, msg: &str) -> String {
        self.clock += 3600;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// The current commit date as the report writes it.
    pub fn date(&self) -> String {
        jiff::Timestamp::from_second(self.clock)
            .expect("date")
            .to_string()
    }
}
