//! File safety (issue 10, point 4): every file agentid writes that holds a
//! secret or a private key is 0600 and its directories 0700 when agentid
//! creates them, whatever the umask; outputs appear atomically; a symlink at
//! the destination is replaced, never followed.
//!
//! The files (from `grep write_secret_to / write_to / atomic_write /
//! OpenOptions src/`):
//! - secrets through `output::write_secret_to`: `exchange -o` token files
//!   (every format: raw, env, credential-process, json with --reveal) and
//!   `token sign -o`;
//! - the rotate-keys keystore through `rotate::store`: the key directory
//!   (0700), `*.key.pem`, `state.json`, `journal.jsonl`, `lock` (0600);
//! - reports through `output::write_to` (inventory, scan-secrets, SARIF,
//!   baselines, token, rotate-keys reports): not secret, 0644 narrowed by the umask when new, an
//!   existing file's mode kept; atomic too.
//!
//! Atomicity: how to kill a process "during the write" honestly? Output is
//! rendered into a temporary sibling (`.agentid-*.tmp`, created 0600) and
//! renamed over the destination. The test-only knob AGENTID_TEST_SLOW_WRITE=MS
//! (src/output/mod.rs) holds the process after the temporary file is written
//! and before the rename; the test waits until the temporary file exists, then
//! SIGKILLs the process. The destination must still hold its old, complete
//! content; the stray temporary file (SIGKILL leaves it: nothing can clean up
//! after SIGKILL) must be readable by its owner only. A run without the kill
//! then replaces the content whole. The keystore's own crash drills (abort
//! after every step) are in tests/rotate_keys.rs.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Scratch;
use common::stub::Stub;
use serde_json::json;

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("agentid")
}

/// `agentid ARGS` under `umask 000` (through sh, so the umask is the
/// process's own from its first instruction), in the scratch directory.
fn umask0(s: &Scratch, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    with_umask("000", s, args, env)
}

fn with_umask(umask: &str, s: &Scratch, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(s.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.path().join("home"))
        .env("XDG_CONFIG_HOME", s.path().join("home/.config"));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run agentid");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn key() -> String {
    common::repo()
        .join("tests/fixtures/keys/ec256.pem")
        .display()
        .to_string()
}

fn sign_args(out: &str) -> Vec<String> {
    [
        "token",
        "sign",
        "--key",
        &key(),
        "--subject",
        "bot",
        "--audience",
        "api",
        "-o",
        out,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn granting_stub() -> Stub {
    let stub = Stub::start();
    stub.json(
        "POST",
        "/token",
        200,
        &json!({"access_token": "at-file-safety-0123456789abcdef", "token_type": "Bearer",
                "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "expires_in": 600})
        .to_string(),
    );
    stub
}

#[test]
fn secret_outputs_are_0600_under_umask_000() {
    let s = Scratch::new();
    let stub = granting_stub();
    s.write("subject.jwt", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    let ep = format!("{}/token", stub.url);
    for format in ["raw", "env", "json"] {
        let out = format!("token.{format}");
        let mut args = vec![
            "exchange",
            "oauth",
            "--token-endpoint",
            &ep,
            "--subject-token",
            "subject.jwt",
            "-f",
            format,
            "-o",
            &out,
        ];
        if format == "json" {
            args.push("--reveal");
        }
        let (code, text) = umask0(&s, &args, &[]);
        assert_eq!(code, 0, "{format}: {text}");
        let p = s.path().join(&out);
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .contains("at-file-safety-0123456789abcdef"),
            "{format}: the token file holds the token"
        );
        assert_eq!(mode(&p), 0o600, "exchange -f {format} -o");
    }
    // An existing, world-readable token file is tightened to 0600.
    let p = s.write("old-token.txt", "old");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
    let sign = sign_args("old-token.txt");
    let (code, text) = umask0(
        &s,
        &sign.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(mode(&p), 0o600, "token sign -o over a 0666 file");
    assert!(std::fs::read_to_string(&p).unwrap().starts_with("eyJ"));
}

#[test]
fn the_keystore_is_0700_and_its_files_0600_under_umask_000() {
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.example\n    algorithm: ES256\n    backend: { kind: file, dir: state/keys }\n    publish: { kind: file, path: www/jwks.json }\n    rotation_period: 30d\n    max_token_lifetime: 1h\n    jwks_cache_ttl: 10m\n",
    );
    std::fs::create_dir_all(s.path().join("www")).unwrap();
    let (code, text) = umask0(
        &s,
        &["rotate-keys", "init", "--now", "2026-11-01T00:00:00Z"],
        &[],
    );
    assert_eq!(code, 0, "{text}");
    let (code, text) = umask0(
        &s,
        &["rotate-keys", "run", "--now", "2026-12-02T00:00:00Z"],
        &[],
    );
    assert!(code == 0 || code == 1, "{text}");
    let keys = s.path().join("state/keys");
    assert_eq!(mode(&keys), 0o700, "the key directory");
    let mut seen = Vec::new();
    for e in std::fs::read_dir(&keys).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert_eq!(mode(&e.path()), 0o600, "{name}");
        seen.push(name);
    }
    for f in ["state.json", "journal.jsonl", "lock"] {
        assert!(seen.iter().any(|n| n == f), "{f} missing: {seen:?}");
    }
    assert!(
        seen.iter().filter(|n| n.ends_with(".key.pem")).count() >= 2,
        "{seen:?}"
    );
    // The published JWKS is public: readable, not writable by others.
    let published = mode(&s.path().join("www/jwks.json"));
    assert_eq!(published & 0o022, 0, "jwks.json {published:o}");
}

#[test]
fn reports_are_written_atomically_with_a_sane_mode_under_umask_000() {
    let s = Scratch::new();
    s.write("src/app.env", "nothing to see\n");
    let (code, text) = umask0(
        &s,
        &[
            "scan-secrets",
            "src",
            "-f",
            "sarif",
            "-o",
            "out.sarif",
            "--fail-on",
            "never",
        ],
        &[],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        mode(&s.path().join("out.sarif")),
        0o644,
        "a new report: 0644, not 0666"
    );
    // An existing report keeps its mode (the user chose it).
    let p = s.write("kept.json", "{}");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, text) = umask0(
        &s,
        &["scan-secrets", "src", "-f", "json", "-o", "kept.json"],
        &[],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(mode(&p), 0o640);
}

/// A stricter umask narrows a new report the way it narrows a shell
/// redirection: under `umask 077` nobody else may read it.
#[test]
fn a_new_report_follows_a_strict_umask() {
    let s = Scratch::new();
    s.write("src/app.env", "nothing to see\n");
    for (umask, want) in [("077", 0o600), ("027", 0o640), ("022", 0o644)] {
        let out = format!("report-{umask}.json");
        let (code, text) = with_umask(
            umask,
            &s,
            &["scan-secrets", "src", "-f", "json", "-o", &out],
            &[],
        );
        assert_eq!(code, 0, "{text}");
        assert_eq!(mode(&s.path().join(&out)), want, "umask {umask}");
    }
}

/// Runs ARGS with the write held before its rename, kills it with SIGKILL
/// once the temporary file exists, and checks the destination.
fn kill_mid_write(s: &Scratch, args: &[&str], dest: &str) {
    let old = "OLD COMPLETE CONTENT\n";
    let dest_path = s.path().join(dest);
    std::fs::write(&dest_path, old).unwrap();
    let dir = dest_path.parent().unwrap().to_path_buf();
    let temps = || -> Vec<PathBuf> {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                n.starts_with(".agentid-") && n.ends_with(".tmp")
            })
            .collect()
    };
    let before = temps();
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(s.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.path().join("home"))
        .env("AGENTID_TEST_SLOW_WRITE", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let tmp = loop {
        let now: Vec<PathBuf> = temps()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        // The temporary file holds the whole output once it is non-empty and
        // the process sleeps before the rename.
        if let Some(t) = now
            .into_iter()
            .find(|t| std::fs::metadata(t).is_ok_and(|m| m.len() > 0))
        {
            break t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{args:?}: no temporary file appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?}: exited before the write"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    assert_eq!(
        std::fs::read_to_string(&dest_path).unwrap(),
        old,
        "{args:?}: the destination changed though the process died before the rename"
    );
    assert_eq!(
        mode(&tmp),
        0o600,
        "{args:?}: the stray temporary file is readable by others"
    );
    // Without the kill, the new content replaces the old whole.
    let out = Command::new(bin())
        .args(args)
        .current_dir(s.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.path().join("home"))
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let new = std::fs::read_to_string(&dest_path).unwrap();
    assert_ne!(new, old);
    assert!(!new.contains("OLD COMPLETE"), "{new}");
}

#[test]
fn a_kill_during_the_write_leaves_the_old_file_whole() {
    let s = Scratch::new();
    // A secret output (the token) and a report (SARIF).
    let sign: Vec<String> = sign_args("token.jwt");
    kill_mid_write(
        &s,
        &sign.iter().map(String::as_str).collect::<Vec<_>>(),
        "token.jwt",
    );
    s.write("src/app.env", "nothing to see\n");
    kill_mid_write(
        &s,
        &[
            "scan-secrets",
            "src",
            "-f",
            "sarif",
            "-o",
            "report.sarif",
            "--fail-on",
            "never",
        ],
        "report.sarif",
    );
}

/// A symlink at the destination is replaced by the new file; the file it
/// pointed to is left alone (decided: replace the link, as `mv` would; the
/// rename never follows it). A FIFO or device is written in place on
/// purpose (`-o /dev/stdout`), see src/output/mod.rs.
#[test]
fn a_symlink_at_the_destination_is_replaced_not_followed() {
    let s = Scratch::new();
    let victim = s.write("victim.txt", "precious\n");
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.write("src/app.env", "nothing to see\n");
    for (args, dest) in [
        (sign_args("token-link"), "token-link"),
        (
            [
                "scan-secrets",
                "src",
                "-f",
                "json",
                "-o",
                "report-link",
                "--fail-on",
                "never",
            ]
            .iter()
            .map(|x| x.to_string())
            .collect(),
            "report-link",
        ),
    ] {
        let link = s.path().join(dest);
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let mut c = s.cmd();
        c.args(&args);
        let (code, out, err) = common::run(c);
        assert!(code <= 1, "{out}{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(mode(&victim), 0o644, "the link's target keeps its mode");
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_file(), "{dest} is now a regular file");
        assert_ne!(std::fs::read_to_string(&link).unwrap(), "precious\n");
        // A dangling link is replaced the same way.
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(s.path().join("nowhere"), &link).unwrap();
        let mut c = s.cmd();
        c.args(&args);
        let (code, out, err) = common::run(c);
        assert!(code <= 1, "{out}{err}");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
        assert!(!s.path().join("nowhere").exists(), "the link was followed");
        std::fs::remove_file(&link).unwrap();
    }
}
