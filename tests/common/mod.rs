//! Shared helpers: run the real binary in a scratch directory with a clean environment.
#![allow(dead_code)]

pub mod gitrepo;
pub mod moto;
pub mod oidc;
pub mod schema;
pub mod stub;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `as_of` every example run uses, so results are stable.
pub const AS_OF: &str = "2026-11-01T00:00:00Z";

/// A scratch directory with its own HOME and XDG config, so no user file leaks in.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Scratch { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        p
    }

    /// `agentid` run in this directory, with an environment free of AGENTID_*, NO_COLOR and RUST_LOG.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("agentid").expect("binary");
        c.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"));
        c
    }

    /// Copies the bundled example (registry and snapshot) into `sub`.
    pub fn example(&self, sub: &str) -> PathBuf {
        let dir = self.dir.path().join(sub);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for f in ["agentid.yaml", "estate.json"] {
            std::fs::copy(repo().join("examples").join(f), dir.join(f)).expect("copy example");
        }
        dir.join("agentid.yaml")
    }
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(mut cmd: Command) -> (i32, String, String) {
    let out = cmd.output().expect("run agentid");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `inventory` as a JSON report that never fails on findings: most tests'
/// starting point; add arguments after it.
pub const JSON_REPORT: [&str; 7] = [
    "inventory",
    "--as-of",
    AS_OF,
    "-f",
    "json",
    "--fail-on",
    "never",
];

/// A minimal valid registry whose snapshot source is `estate.json`.
pub const MINIMAL_REGISTRY: &str = "version: 1\nowners:\n  - id: team-a\nagents:\n  - name: bot\n    owner: team-a\n    identities:\n      aws:\n        - arn: arn:aws:iam::123456789012:role/bot\nsources:\n  snapshot:\n    - path: estate.json\n";

/// A minimal consistent snapshot: one AWS role with one access key.
pub fn minimal_snapshot(created: &str, last_used: &str) -> String {
    format!(
        r#"{{"schema_version": 1, "kind": "agentid.estate",
  "sources": [{{"name": "aws-test", "provider": "aws", "scope": "123456789012"}}],
  "identities": [{{"source": "aws-test", "provider": "aws", "id": "arn:aws:iam::123456789012:role/bot", "name": "bot", "kind": "role"}}],
  "credentials": [{{"source": "aws-test", "provider": "aws", "id": "AKIAEXAMPLEKEY000001", "identity": "arn:aws:iam::123456789012:role/bot",
    "kind": "access_key", "created": "{created}", "last_used": "{last_used}", "state": "active", "long_lived": true}}]
}}"#
    )
}
