//! `agentid rotate-keys`: the real binary on a real keystore (files,
//! permissions, locks) with relying-party checks by `token verify` against
//! the published JWKS, crash drills that abort the process after every step,
//! and every bad-input path with its exit code.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::{Scratch, run};
use serde_json::Value;

const T0: &str = "2026-11-01T00:00:00Z";

fn registry(alg: &str) -> String {
    format!(
        "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.example\n    algorithm: {alg}\n    backend: {{ kind: file, dir: keys }}\n    publish: {{ kind: file, path: www/jwks.json }}\n    rotation_period: 30d\n    max_token_lifetime: 1h\n    jwks_cache_ttl: 10m\n"
    )
}

fn setup(alg: &str) -> Scratch {
    let s = Scratch::new();
    s.write("agentid.yaml", registry(alg));
    std::fs::create_dir_all(s.path().join("www")).expect("www");
    s
}

/// `T0 + offset`, RFC 3339.
fn at(offset_secs: i64) -> String {
    let t: jiff::Timestamp = T0.parse().expect("t0");
    (t + jiff::SignedDuration::from_secs(offset_secs)).to_string()
}

const DAY: i64 = 86_400;

fn rk(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let mut c = s.cmd();
    c.arg("rotate-keys").args(args);
    run(c)
}

fn json(s: &Scratch, args: &[&str]) -> (i32, Value) {
    let mut full = args.to_vec();
    full.extend(["-f", "json"]);
    let (code, out, err) = rk(s, &full);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out} {err}"));
    (code, v)
}

fn init(s: &Scratch) {
    let (code, out, err) = rk(s, &["init", "--now", T0]);
    assert_eq!(code, 0, "{out}{err}");
}

fn status(s: &Scratch, when: &str) -> Value {
    let (code, v) = json(s, &["status", "--now", when]);
    assert!(code == 0 || code == 1, "{v}");
    v
}

fn kid_in(v: &Value, state: &str) -> String {
    v["issuers"][0]["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["state"] == state)
        .and_then(|k| k["kid"].as_str())
        .unwrap_or_else(|| panic!("no {state} key: {v}"))
        .to_string()
}

fn published_kids(s: &Scratch) -> Vec<String> {
    let doc: Value = serde_json::from_slice(
        &std::fs::read(s.path().join("www/jwks.json")).expect("published JWKS"),
    )
    .expect("JSON");
    doc["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_string())
        .collect()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
}

fn sign(s: &Scratch, name: &str, when: &str) -> PathBuf {
    let mut c = s.cmd();
    c.args([
        "token",
        "sign",
        "--issuer",
        "broker",
        "--subject",
        "agent-1",
        "--audience",
        "rp",
        "--lifetime",
        "1h",
        "--as-of",
        when,
        "-o",
        name,
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}{err}");
    s.path().join(name)
}

/// `token verify` against the published JWKS, as a relying party.
fn verify(s: &Scratch, token: &Path, when: &str) -> (i32, Value) {
    let mut c = s.cmd();
    c.args(["token", "verify"]).arg(token).args([
        "--jwks",
        "www/jwks.json",
        "--audience",
        "rp",
        "--as-of",
        when,
        "-f",
        "json",
    ]);
    let (code, out, err) = run(c);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v)
}

#[test]
fn init_writes_a_private_keystore_and_a_public_jwks() {
    let s = setup("ES256");
    init(&s);
    let keys = s.path().join("keys");
    assert_eq!(mode(&keys), 0o700);
    let v = status(&s, T0);
    let active = kid_in(&v, "active");
    let pending = kid_in(&v, "pending");
    for kid in [&active, &pending] {
        assert_eq!(mode(&keys.join(format!("{kid}.key.pem"))), 0o600);
    }
    assert_eq!(mode(&keys.join("state.json")), 0o600);
    assert_eq!(mode(&keys.join("journal.jsonl")), 0o600);
    assert_eq!(mode(&s.path().join("www/jwks.json")), 0o644);
    let mut kids = published_kids(&s);
    kids.sort();
    let mut want = vec![active.clone(), pending];
    want.sort();
    assert_eq!(kids, want);
    let text = std::fs::read_to_string(s.path().join("www/jwks.json")).expect("jwks");
    for private in ["\"d\"", "\"p\"", "\"q\""] {
        assert!(!text.contains(private), "{text}");
    }
    assert_eq!(v["issuers"][0]["next"]["action"], "activate");
    assert_eq!(v["issuers"][0]["next"]["at"], at(30 * DAY));
    assert_eq!(v["issuers"][0]["problems"], Value::Array(vec![]));
    // A second init refuses.
    let (code, _, err) = rk(&s, &["init", "--now", &at(60)]);
    assert_eq!(code, 2);
    assert!(err.contains("initialised already"), "{err}");
}

#[test]
fn a_rotation_cycle_never_breaks_a_relying_party() {
    for alg in ["ES256", "EdDSA"] {
        let s = setup(alg);
        init(&s);
        let first = kid_in(&status(&s, T0), "active");
        // A token signed 10 minutes before the rotation, living 1h.
        let old = sign(&s, "old.jwt", &at(30 * DAY - 600));
        assert_eq!(verify(&s, &old, &at(30 * DAY - 500)).0, 0);
        // Nothing is due a second before rotation_period.
        let (code, v) = json(&s, &["run", "--now", &at(30 * DAY - 1)]);
        assert_eq!(code, 0);
        assert_eq!(v["issuers"][0]["performed"], Value::Array(vec![]));
        // The rotation: the old key retires but stays published.
        let (code, v) = json(&s, &["run", "--now", &at(30 * DAY)]);
        assert_eq!(code, 0, "{v}");
        let second = v["issuers"][0]["active"]
            .as_str()
            .expect("active")
            .to_string();
        assert_ne!(second, first);
        assert!(published_kids(&s).contains(&first));
        let new = sign(&s, "new.jwt", &at(30 * DAY + 60));
        let (code, r) = verify(&s, &new, &at(30 * DAY + 120));
        assert_eq!(code, 0, "{alg}: {r}");
        // The old token still verifies until it expires.
        let (code, r) = verify(&s, &old, &at(30 * DAY + 2000));
        assert_eq!(code, 0, "{alg}: {r}");
        // Retirement: max_token_lifetime + clock_skew after it stopped signing.
        let (_, v) = json(&s, &["run", "--now", &at(30 * DAY + 3659)]);
        assert_eq!(v["issuers"][0]["performed"], Value::Array(vec![]));
        let (_, v) = json(&s, &["run", "--now", &at(30 * DAY + 3660)]);
        let done: Vec<&str> = v["issuers"][0]["performed"]
            .as_array()
            .expect("performed")
            .iter()
            .filter_map(|p| p["action"].as_str())
            .collect();
        assert_eq!(done, ["retire", "destroy private key"], "{v}");
        assert!(!published_kids(&s).contains(&first));
        assert!(!s.path().join(format!("keys/{first}.key.pem")).exists());
        // The old token had expired by then anyway.
        let (code, r) = verify(&s, &old, &at(30 * DAY + 3660));
        assert_eq!(code, 1);
        assert!(r.to_string().contains("expired"), "{r}");
        assert_eq!(verify(&s, &new, &at(30 * DAY + 3660)).0, 0);
        // A second run at the same time does nothing (idempotent, cron-safe).
        let journal = std::fs::read(s.path().join("keys/journal.jsonl")).expect("journal");
        let (_, v) = json(&s, &["run", "--now", &at(30 * DAY + 3660)]);
        assert_eq!(v["issuers"][0]["performed"], Value::Array(vec![]));
        assert_eq!(
            std::fs::read(s.path().join("keys/journal.jsonl")).expect("journal"),
            journal
        );
    }
}

#[test]
fn plan_shows_what_run_would_do_and_the_timeline() {
    let s = setup("ES256");
    init(&s);
    let (code, v) = json(&s, &["plan", "--now", &at(30 * DAY)]);
    assert_eq!(code, 0);
    let p = &v["issuers"][0];
    assert_eq!(v["kind"], "agentid.rotate-keys.plan");
    assert_eq!(p["now_actions"][0]["action"], "activate");
    assert!(
        p["now_actions"][0]["why"]
            .as_str()
            .expect("why")
            .contains("rotation_period 30d")
    );
    let timeline = p["timeline"].as_array().expect("timeline");
    assert_eq!(timeline[0]["action"], "retire");
    assert_eq!(timeline[0]["at"], at(30 * DAY + 3660));
    // plan changed nothing.
    let before = kid_in(&status(&s, &at(30 * DAY)), "active");
    assert_eq!(before, kid_in(&status(&s, T0), "active"));
    // Retirement invalidates no unexpired token; revocation does, and says until when.
    assert_eq!(json(&s, &["run", "--now", &at(30 * DAY)]).0, 0);
    let (_, v) = json(&s, &["plan", "--now", &at(30 * DAY + 3660)]);
    assert_eq!(v["issuers"][0]["now_actions"][0]["action"], "retire", "{v}");
    let inv = &v["issuers"][0]["now_actions"][0]["invalidates"];
    assert!(
        inv["summary"]
            .as_str()
            .expect("summary")
            .starts_with("none"),
        "{v}"
    );
    let active = kid_in(&status(&s, &at(30 * DAY + 3660)), "active");
    let (_, v) = json(
        &s,
        &[
            "plan",
            "--issuer",
            "broker",
            "--revoke",
            &active,
            "--now",
            &at(30 * DAY + 3660),
        ],
    );
    let rv = &v["issuers"][0]["revoke"];
    assert_eq!(rv["cached_until"], at(30 * DAY + 3660 + 600));
    assert_eq!(
        rv["invalidates"]["unexpired_until"],
        at(30 * DAY + 3660 + 3660)
    );
    // The table view says it in words.
    let (code, out, _) = rk(&s, &["plan", "--now", &at(31 * DAY)]);
    assert_eq!(code, 0);
    assert!(out.contains("timeline:"), "{out}");
}

#[test]
fn rotate_now_honours_jwks_cache_ttl() {
    let s = setup("ES256");
    init(&s);
    // The pending key has been published for 10m at T0 + 10m: it may sign.
    let (code, v) = json(&s, &["run", "--rotate-now", "--now", &at(599)]);
    assert_eq!(code, 0);
    assert_eq!(v["issuers"][0]["performed"], Value::Array(vec![]), "{v}");
    assert_eq!(v["issuers"][0]["next"]["at"], at(600));
    let (_, v) = json(&s, &["run", "--now", &at(600)]);
    assert_eq!(v["issuers"][0]["performed"][0]["action"], "activate", "{v}");
}

#[test]
fn emergency_revokes_the_active_key_and_explains_the_impact() {
    let s = setup("ES256");
    init(&s);
    let leaked = kid_in(&status(&s, T0), "active");
    let successor = kid_in(&status(&s, T0), "pending");
    let token = sign(&s, "leaked.jwt", &at(3000));
    assert_eq!(verify(&s, &token, &at(3100)).0, 0);
    // Not on a terminal: --yes is required.
    let (code, _, err) = rk(
        &s,
        &[
            "emergency",
            "--revoke",
            &leaked,
            "--reason",
            "leaked",
            "--now",
            &at(3600),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--yes"), "{err}");
    // An unknown kid lists the keys.
    let (code, _, err) = rk(
        &s,
        &[
            "emergency",
            "--revoke",
            "nope",
            "--reason",
            "x",
            "--yes",
            "--now",
            &at(3600),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no key \"nope\"") && err.contains(&leaked),
        "{err}"
    );
    let (code, v) = json(
        &s,
        &[
            "emergency",
            "--revoke",
            &leaked,
            "--reason",
            "key in a CI log",
            "--yes",
            "--now",
            &at(3600),
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["active"], successor.as_str());
    assert_eq!(v["cached_until"], at(4200));
    let impact = v["impact"].to_string();
    assert!(impact.contains("invalid from now on"), "{impact}");
    assert!(impact.contains("keep trusting"), "{impact}");
    assert!(!published_kids(&s).contains(&leaked));
    assert!(!s.path().join(format!("keys/{leaked}.key.pem")).exists());
    // A relying party fetching the JWKS fresh rejects the leaked key's token…
    let (code, r) = verify(&s, &token, &at(3700));
    assert_eq!(code, 1, "{r}");
    // …and accepts the new active key's.
    let fresh = sign(&s, "fresh.jwt", &at(3700));
    assert_eq!(verify(&s, &fresh, &at(3800)).0, 0);
    // A new successor is pending, published.
    let next = kid_in(&status(&s, &at(3700)), "pending");
    assert!(published_kids(&s).contains(&next));
    // The journal holds it, with the reason.
    let (_, log) = json(&s, &["log", "--issuer", "broker"]);
    let entries = log["entries"].as_array().expect("entries");
    assert!(entries.iter().any(|e| {
        e["kid"] == leaked.as_str()
            && e["to"] == "revoked"
            && e["reason"]
                .as_str()
                .is_some_and(|r| r.contains("key in a CI log"))
            && e["command"] == "rotate-keys emergency"
    }));
    // Again: already revoked, nothing changes.
    let (code, v) = json(
        &s,
        &[
            "emergency",
            "--revoke",
            &leaked,
            "--reason",
            "again",
            "--yes",
            "--now",
            &at(3700),
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(v["already_revoked"], true);
    // The table view explains in words.
    let (code, out, _) = rk(
        &s,
        &[
            "emergency",
            "--revoke",
            &next,
            "--reason",
            "drill",
            "--yes",
            "--now",
            &at(3800),
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("What this means:") && out.contains("What to do next:"),
        "{out}"
    );
}

#[test]
fn jwks_and_log_show_what_is_published_and_what_happened() {
    let s = setup("ES256");
    let (code, _, err) = rk(&s, &["jwks"]);
    assert_eq!(code, 2);
    assert!(err.contains("published nothing"), "{err}");
    init(&s);
    let (code, out, _) = rk(&s, &["jwks", "--issuer", "broker"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).expect("jwks json");
    assert_eq!(doc["keys"].as_array().map(Vec::len), Some(2));
    let (code, v) = json(&s, &["log"]);
    assert_eq!(code, 0);
    let e = &v["entries"][0];
    for field in [
        "seq", "time", "actor", "host", "pid", "command", "reason", "event", "kid",
    ] {
        assert!(!e[field].is_null(), "{field}: {e}");
    }
    assert_eq!(v["entries"][2]["from"], "pending");
    assert_eq!(v["entries"][2]["to"], "active");
    let (code, out, _) = rk(&s, &["log"]);
    assert_eq!(code, 0);
    assert!(out.contains("pending → active"), "{out}");
}

#[test]
fn a_second_concurrent_run_exits_3_naming_the_holder() {
    let s = setup("ES256");
    init(&s);
    let lock = s.path().join("keys/lock");
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock)
        .expect("lock");
    f.lock().expect("flock");
    f.write_all(br#"{"pid":4242,"host":"cron-host","since":"2026-11-01T00:00:00Z","command":"rotate-keys run"}"#)
        .expect("record");
    let (code, _, err) = rk(&s, &["run", "--now", &at(60)]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("pid 4242 on host cron-host since 2026-11-01T00:00:00Z"),
        "{err}"
    );
    // status says a run holds the lock, and still reads.
    let (_, v) = json(&s, &["status", "--now", &at(60)]);
    assert_eq!(v["issuers"][0]["lock_held_by"]["pid"], 4242);
    drop(f);
    // Released without clearing the record: a crashed holder. Explained, then taken over.
    let (code, _, err) = rk(&s, &["run", "--now", &at(120)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ended without releasing the lock"), "{err}");
    assert!(err.contains("pid 4242"), "{err}");
    let (_, log) = json(&s, &["log"]);
    assert!(
        log["entries"]
            .as_array()
            .expect("e")
            .iter()
            .any(|e| e["event"] == "note")
    );
}

#[test]
fn a_crash_after_every_step_is_recovered_by_the_next_run() {
    for alg in ["ES256", "EdDSA"] {
        for (label, before, cmd) in [
            (
                "init",
                vec![],
                vec!["init".to_string(), "--now".into(), at(0)],
            ),
            (
                "rotation",
                vec![vec!["init".to_string(), "--now".into(), at(0)]],
                vec!["run".to_string(), "--now".into(), at(30 * DAY)],
            ),
        ] {
            let mut n = 1;
            loop {
                let s = setup(alg);
                for b in &before {
                    let args: Vec<&str> = b.iter().map(String::as_str).collect();
                    assert_eq!(rk(&s, &args).0, 0);
                }
                let mut c = s.cmd();
                c.arg("rotate-keys")
                    .args(&cmd)
                    .env("AGENTID_CRASH_AFTER", n.to_string());
                let (code, _, err) = run(c);
                if code == 0 {
                    assert!(n > 1, "{label}: no fault point reached");
                    break;
                }
                assert!(
                    err.contains("crash drill"),
                    "{alg} {label} step {n}: {code} {err}"
                );
                let when = cmd[2].as_str();
                // status reads a consistent keystore after the crash.
                let (scode, out, serr) = rk(&s, &["status", "--now", when, "-f", "json"]);
                assert!(
                    scode == 0 || scode == 1,
                    "{alg} {label} step {n}: {out}{serr}"
                );
                // The published file never lacks a key that signs.
                if let Ok(text) = std::fs::read_to_string(s.path().join("www/jwks.json")) {
                    let v: Value = serde_json::from_str(&out).expect("status");
                    let doc: Value = serde_json::from_str(&text).expect("jwks");
                    for k in v["issuers"][0]["keys"].as_array().into_iter().flatten() {
                        if k["state"] == "active" {
                            assert!(
                                doc.to_string().contains(k["kid"].as_str().expect("kid")),
                                "{alg} {label} step {n}: active key not published"
                            );
                        }
                    }
                    assert!(!text.contains("\"d\""));
                }
                // The next run (or init, when nothing was journaled) completes it.
                let again = if s.path().join("keys/journal.jsonl").exists() {
                    "run"
                } else {
                    "init"
                };
                let (code, out, err) = rk(&s, &[again, "--now", when]);
                assert_eq!(code, 0, "{alg} {label} step {n}: {again}: {out}{err}");
                let (code, v) = json(&s, &["status", "--now", when]);
                let notes = v["issuers"][0]["notes"].to_string();
                assert_eq!(code, 0, "{alg} {label} step {n}: {v}");
                assert_eq!(v["issuers"][0]["problems"], Value::Array(vec![]), "{notes}");
                let active = kid_in(&v, "active");
                let pending = kid_in(&v, "pending");
                let kids = published_kids(&s);
                assert!(
                    kids.contains(&active) && kids.contains(&pending),
                    "{alg} {label} step {n}"
                );
                if label == "rotation" {
                    assert_eq!(
                        v["issuers"][0]["keys"]
                            .as_array()
                            .map(|k| k.iter().filter(|k| k["state"] == "retiring").count()),
                        Some(1)
                    );
                }
                n += 1;
                assert!(n < 40, "{label}: never finished");
            }
        }
    }
}

/// A tiny HTTP server standing in for where relying parties fetch the JWKS
/// (a CDN): serves whatever body the test sets.
fn jwks_server(body: Arc<Mutex<String>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = body.lock().expect("lock").clone();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/.well-known/jwks.json")
}

#[test]
fn check_published_holds_back_a_key_relying_parties_cannot_see() {
    let s = setup("ES256");
    init(&s);
    let pending = kid_in(&status(&s, T0), "pending");
    // The CDN still serves a JWKS without the pending key.
    let stale = Arc::new(Mutex::new(
        r#"{"keys":[{"kid":"something-else","kty":"EC"}]}"#.to_string(),
    ));
    let url = jwks_server(Arc::clone(&stale));
    let (code, out, err) = rk(
        &s,
        &[
            "run",
            "--issuer",
            "broker",
            "--check-published",
            &url,
            "--now",
            &at(30 * DAY),
        ],
    );
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("not yet where relying parties fetch the JWKS"),
        "{err}"
    );
    assert_eq!(kid_in(&status(&s, &at(30 * DAY)), "pending"), pending);
    // Once the CDN serves the published file, the key activates.
    *stale.lock().expect("lock") =
        std::fs::read_to_string(s.path().join("www/jwks.json")).expect("jwks");
    let (code, _, err) = rk(
        &s,
        &[
            "run",
            "--issuer",
            "broker",
            "--check-published",
            &url,
            "--now",
            &at(30 * DAY + 60),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(kid_in(&status(&s, &at(30 * DAY + 60)), "active"), pending);
    // Unreachable: exit 3, nothing activated.
    let s2 = setup("ES256");
    init(&s2);
    let (code, _, err) = rk(
        &s2,
        &[
            "run",
            "--issuer",
            "broker",
            "--check-published",
            "http://127.0.0.1:1/jwks",
            "--now",
            &at(30 * DAY),
        ],
    );
    assert_eq!(code, 3, "{err}");
}

#[test]
fn token_sign_with_an_issuer_respects_its_contract() {
    let s = setup("ES256");
    let mut c = s.cmd();
    c.args(["token", "sign", "--issuer", "broker"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("rotate-keys init --issuer broker"), "{err}");
    init(&s);
    let token = sign(&s, "t.jwt", &at(60));
    let text = std::fs::read_to_string(&token).expect("token");
    assert_eq!(mode(&token), 0o600);
    let mut c = s.cmd();
    c.args(["token", "decode", "-f", "json"]).arg(&token);
    let (_, out, _) = run(c);
    let v: Value = serde_json::from_str(&out).expect("decode");
    assert_eq!(v["claims"]["iss"], "https://id.example", "{v}");
    assert_eq!(
        v["header"]["kid"],
        kid_in(&status(&s, T0), "active").as_str()
    );
    assert!(!text.is_empty());
    for (args, expected) in [
        (
            vec!["--lifetime", "2h"],
            "exceeds issuer broker's max_token_lifetime 1h",
        ),
        (vec!["--kid", "k"], "cannot be used with"),
        (vec!["--key", "x.pem"], "cannot be used with"),
    ] {
        let mut c = s.cmd();
        c.args(["token", "sign", "--issuer", "broker"]).args(&args);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    s.write("claims.json", r#"{"iss":"https://evil.example"}"#);
    let mut c = s.cmd();
    c.args([
        "token",
        "sign",
        "--issuer",
        "broker",
        "--claims",
        "claims.json",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("https://evil.example"), "{err}");
}

#[test]
fn bad_input_is_refused_with_one_clear_line() {
    let s = setup("ES256");
    // Unknown issuer.
    let (code, _, err) = rk(&s, &["status", "--issuer", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no issuer \"nope\"") && err.contains("broker"),
        "{err}"
    );
    // Not initialised.
    let (code, _, err) = rk(&s, &["run", "--now", T0]);
    assert_eq!(code, 2);
    assert!(err.contains("rotate-keys init --issuer broker"), "{err}");
    // No registry at all.
    let empty = Scratch::new();
    let (code, _, err) = rk(&empty, &["status"]);
    assert_eq!(code, 2);
    assert!(err.contains("no registry found"), "{err}");
    // A bad issuer block: line and field.
    let bad = Scratch::new();
    bad.write(
        "agentid.yaml",
        registry("ES256").replace("jwks_cache_ttl: 10m", "jwks_cache_ttl: 31d"),
    );
    let (code, _, err) = rk(&bad, &["status"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("agentid.yaml:10:") && err.contains("issuers[0].jwks_cache_ttl"),
        "{err}"
    );
    let bad2 = Scratch::new();
    bad2.write("agentid.yaml", registry("HS256"));
    let (code, _, err) = rk(&bad2, &["status"]);
    assert_eq!(code, 2);
    assert!(err.contains("issuers[0].algorithm"), "{err}");

    init(&s);
    let keys = s.path().join("keys");
    // Time running backwards.
    let (code, _, err) = rk(&s, &["run", "--now", "2026-10-01T00:00:00Z"]);
    assert_eq!(code, 2);
    assert!(err.contains("time cannot run backwards"), "{err}");
    // A key directory open to others.
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for cmd in ["run", "status"] {
        let (code, _, err) = rk(&s, &[cmd, "--now", &at(60)]);
        assert_eq!(code, 2, "{cmd}");
        assert!(
            err.contains("mode 0755") && err.contains("chmod 700"),
            "{cmd}: {err}"
        );
    }
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    // A private key file readable by others.
    let active = kid_in(&status(&s, T0), "active");
    let key = keys.join(format!("{active}.key.pem"));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (code, _, err) = rk(&s, &["run", "--now", &at(60)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("mode 0644") && err.contains("chmod 600"),
        "{err}"
    );
    let (code, v) = json(&s, &["status", "--now", &at(60)]);
    assert_eq!(code, 1);
    assert!(
        v["issuers"][0]["problems"]
            .to_string()
            .contains("mode 0644"),
        "{v}"
    );
    let mut c = s.cmd();
    c.args(["token", "sign", "--issuer", "broker"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("mode 0644"), "{err}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    // The key directory is a file.
    let notdir = Scratch::new();
    notdir.write("agentid.yaml", registry("ES256"));
    notdir.write("keys", "not a directory");
    let (code, _, err) = rk(&notdir, &["init", "--now", T0]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
    // A corrupted state file and journal.
    let state = keys.join("state.json");
    let good = std::fs::read(&state).expect("state");
    std::fs::write(&state, b"{ not json").expect("write");
    let (code, _, err) = rk(&s, &["status"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("state.json: not valid JSON (line 1, column 3)"),
        "{err}"
    );
    std::fs::write(&state, &good).expect("write");
    let journal = keys.join("journal.jsonl");
    let text = std::fs::read_to_string(&journal).expect("journal");
    std::fs::write(&journal, text.replacen("\"seq\":2", "\"seq\":7", 1)).expect("write");
    let (code, _, err) = rk(&s, &["run", "--now", &at(60)]);
    assert_eq!(code, 2);
    assert!(err.contains("journal.jsonl:2:"), "{err}");
    std::fs::write(&journal, &text).expect("write");
    // A lost private key: status says so, and the active key's file cannot sign.
    std::fs::remove_file(&key).expect("rm");
    let (code, v) = json(&s, &["status", "--now", &at(60)]);
    assert_eq!(code, 1);
    assert!(
        v["issuers"][0]["problems"]
            .to_string()
            .contains("is missing"),
        "{v}"
    );
}

#[test]
fn a_torn_journal_tail_is_dropped_by_the_next_run() {
    let s = setup("ES256");
    init(&s);
    let journal = s.path().join("keys/journal.jsonl");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .expect("journal");
    f.write_all(br#"{"seq":6,"group":6,"group_size":1,"time":"2026-11"#)
        .expect("torn");
    drop(f);
    let (code, v) = json(&s, &["status", "--now", &at(60)]);
    assert_eq!(code, 1);
    assert!(
        v["issuers"][0]["problems"].to_string().contains("torn"),
        "{v}"
    );
    let (code, _, err) = rk(&s, &["run", "--now", &at(60)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dropped a torn journal tail"), "{err}");
    let (code, v) = json(&s, &["status", "--now", &at(60)]);
    assert_eq!(code, 0, "{v}");
    assert!(
        std::fs::read_to_string(&journal)
            .expect("j")
            .ends_with("}\n")
    );
}

#[test]
fn several_issuers_need_a_name_where_one_is_meant() {
    let s = Scratch::new();
    let two = format!(
        "{}{}",
        registry("ES256"),
        "  - name: other\n    issuer: https://other.example\n    algorithm: ES256\n    backend: { kind: file, dir: keys2 }\n    publish: { kind: file, path: www/other.json }\n"
    );
    s.write("agentid.yaml", two);
    std::fs::create_dir_all(s.path().join("www")).expect("www");
    let (code, _, err) = rk(&s, &["init", "--now", T0]);
    assert_eq!(code, 2);
    assert!(err.contains("name one with --issuer"), "{err}");
    assert_eq!(rk(&s, &["init", "--issuer", "broker", "--now", T0]).0, 0);
    assert_eq!(rk(&s, &["init", "--issuer", "other", "--now", T0]).0, 0);
    // run and status cover every issuer.
    let (code, v) = json(&s, &["run", "--now", &at(30 * DAY)]);
    assert_eq!(code, 0);
    assert_eq!(v["issuers"].as_array().map(Vec::len), Some(2));
}

fn s3_registry(moto: &common::moto::Moto) -> String {
    registry("ES256").replace(
        "publish: { kind: file, path: www/jwks.json }",
        &format!(
            "publish: {{ kind: s3, bucket: jwks, key: issuers/broker/jwks.json, region: us-east-1, endpoint: \"{}\" }}",
            moto.url
        ),
    )
}

fn with_env(mut c: assert_cmd::Command, moto: &common::moto::Moto) -> assert_cmd::Command {
    for (k, v) in moto.env() {
        c.env(k, v);
    }
    c
}

fn s3_kids(moto: &common::moto::Moto) -> Vec<String> {
    let (body, _, _) = moto
        .get_object("jwks", "issuers/broker/jwks.json")
        .expect("published object");
    let doc: Value = serde_json::from_str(&body).expect("JSON");
    doc["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_string())
        .collect()
}

/// The s3 publisher against a real local S3 (moto_server): PutObject with
/// Cache-Control max-age = jwks_cache_ttl and application/json, read back by
/// status, a relying party verifying against the object, a rotation, an
/// emergency, and a crash after every step of a rotation.
#[test]
fn the_s3_publisher_against_moto() {
    let moto = common::moto::Moto::start();
    moto.create_bucket("jwks");
    let s = Scratch::new();
    s.write("agentid.yaml", s3_registry(&moto));
    let rk_env = |args: &[&str]| {
        let mut c = with_env(s.cmd(), &moto);
        c.arg("rotate-keys").args(args);
        run(c)
    };
    let (code, out, err) = rk_env(&["init", "--now", T0]);
    assert_eq!(code, 0, "{out}{err}");
    let (body, cache_control, content_type) = moto
        .get_object("jwks", "issuers/broker/jwks.json")
        .expect("object");
    assert_eq!(cache_control, "max-age=600");
    assert_eq!(content_type, "application/json");
    assert!(!body.contains("\"d\""), "{body}");
    assert_eq!(s3_kids(&moto).len(), 2);
    // status reads the object back: in sync.
    let (code, out, err) = rk_env(&["status", "--now", T0, "-f", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).expect("status");
    assert_eq!(
        v["issuers"][0]["published_to"],
        "s3://jwks/issuers/broker/jwks.json"
    );
    // A relying party verifies a token against what S3 serves.
    let mut c = with_env(s.cmd(), &moto);
    c.args([
        "token",
        "sign",
        "--issuer",
        "broker",
        "--audience",
        "rp",
        "--as-of",
        &at(60),
        "-o",
        "t.jwt",
    ]);
    assert_eq!(run(c).0, 0);
    s.write("served.json", &body);
    let mut c = s.cmd();
    c.args([
        "token",
        "verify",
        "t.jwt",
        "--jwks",
        "served.json",
        "--audience",
        "rp",
        "--as-of",
        &at(120),
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}{err}");
    // Rotation, then an emergency: the object follows.
    let (code, _, err) = rk_env(&["run", "--now", &at(30 * DAY)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(s3_kids(&moto).len(), 3);
    let (_, out, _) = rk_env(&["status", "--now", &at(30 * DAY), "-f", "json"]);
    let active = kid_in(&serde_json::from_str(&out).expect("status"), "active");
    let (code, _, err) = rk_env(&[
        "emergency",
        "--revoke",
        &active,
        "--reason",
        "drill",
        "--yes",
        "--now",
        &at(30 * DAY + 60),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!s3_kids(&moto).contains(&active));
    // A crash after every step of a rotation, on S3.
    moto.create_bucket("crash");
    let mut n = 1;
    loop {
        let s = Scratch::new();
        s.write(
            "agentid.yaml",
            s3_registry(&moto).replace("bucket: jwks", "bucket: crash"),
        );
        moto.delete_object("crash", "issuers/broker/jwks.json");
        let go = |args: &[&str], crash: Option<u32>| {
            let mut c = with_env(s.cmd(), &moto);
            c.arg("rotate-keys").args(args);
            if let Some(n) = crash {
                c.env("AGENTID_CRASH_AFTER", n.to_string());
            }
            run(c)
        };
        assert_eq!(go(&["init", "--now", T0], None).0, 0);
        let when = at(30 * DAY);
        let (code, _, err) = go(&["run", "--now", &when], Some(n));
        if code == 0 {
            assert!(n > 1);
            break;
        }
        assert!(err.contains("crash drill"), "step {n}: {err}");
        let (code, out, err) = go(&["run", "--now", &when], None);
        assert_eq!(code, 0, "step {n}: {out}{err}");
        let (code, out, _) = go(&["status", "--now", &when, "-f", "json"], None);
        let v: Value = serde_json::from_str(&out).expect("status");
        assert_eq!(code, 0, "step {n}: {v}");
        let (body, _, _) = moto
            .get_object("crash", "issuers/broker/jwks.json")
            .expect("object");
        assert!(body.contains(&kid_in(&v, "active")) && body.contains(&kid_in(&v, "retiring")));
        n += 1;
        assert!(n < 40);
    }
    // A bucket that does not exist: exit 3, naming the action and the error.
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        s3_registry(&moto).replace("bucket: jwks", "bucket: missing-bucket"),
    );
    let mut c = with_env(s.cmd(), &moto);
    c.args(["rotate-keys", "init", "--now", T0]);
    let (code, _, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("s3:") && err.contains("NoSuchBucket"), "{err}");
}

/// Under a pseudo-terminal (util-linux `script`), emergency asks first: any
/// answer but `revoke` changes nothing; `revoke` goes ahead.
#[test]
fn emergency_asks_for_confirmation_on_a_terminal() {
    let s = setup("ES256");
    init(&s);
    let active = kid_in(&status(&s, T0), "active");
    let bin = assert_cmd::cargo::cargo_bin("agentid");
    let ask = |answer: &str| {
        let mut c = std::process::Command::new("script");
        c.args(["-qec"])
            .arg(format!(
                "{} rotate-keys emergency --revoke {active} --reason drill --now {}",
                bin.display(),
                at(60)
            ))
            .arg("/dev/null")
            .current_dir(s.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", s.path().join("home"))
            .env("TERM", "dumb")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = c.spawn().expect("util-linux `script`");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(format!("{answer}\n").as_bytes())
            .expect("answer");
        let out = child.wait_with_output().expect("script");
        drop(stdin);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = ask("no");
    assert!(out.contains("Type `revoke` to confirm"), "{out}");
    assert!(out.contains("not confirmed: nothing was changed"), "{out}");
    assert_eq!(kid_in(&status(&s, &at(60)), "active"), active);
    let out = ask("revoke");
    assert!(out.contains("What this means:"), "{out}");
    assert!(!published_kids(&s).contains(&active));
}

/// Every algorithm the file backend offers: keys generated by init sign
/// tokens that verify against the published JWKS, with the JWK's alg.
#[test]
fn every_algorithm_signs_tokens_a_relying_party_verifies() {
    for alg in ["ES256", "ES384", "RS256", "PS256", "EdDSA"] {
        let s = setup(alg);
        init(&s);
        let doc: Value =
            serde_json::from_slice(&std::fs::read(s.path().join("www/jwks.json")).expect("jwks"))
                .expect("JSON");
        for k in doc["keys"].as_array().expect("keys") {
            assert_eq!(k["alg"], alg, "{k}");
            assert_eq!(k["use"], "sig");
        }
        let token = sign(&s, "t.jwt", &at(60));
        let mut c = s.cmd();
        c.args(["token", "decode", "-f", "json"]).arg(&token);
        let (_, out, _) = run(c);
        let v: Value = serde_json::from_str(&out).expect("decode");
        assert_eq!(v["header"]["alg"], alg);
        let (code, r) = verify(&s, &token, &at(120));
        assert_eq!(code, 0, "{alg}: {r}");
    }
}

/// Kids (`YYYYMMDD-` + 12 thumbprint characters) differ on every run: keep
/// the date, number the rest by first appearance (`20261101-KID000000001`,
/// as wide as a kid, so tables keep their shape); the scratch path `[DIR]`.
fn redact(text: &str, dir: &Path) -> String {
    let text = text.replace(&dir.display().to_string(), "[DIR]");
    let kid = regex::Regex::new(r"\b(20\d{6})-[A-Za-z0-9_-]{12}").expect("regex");
    let mut seen: Vec<String> = Vec::new();
    kid.replace_all(&text, |c: &regex::Captures<'_>| {
        let k = c[0].to_string();
        let n = match seen.iter().position(|s| *s == k) {
            Some(i) => i + 1,
            None => {
                seen.push(k);
                seen.len()
            }
        };
        format!("{}-KID{n:09}", &c[1])
    })
    .into_owned()
}

/// The human tables of `status` and of `plan --revoke --tokens`, after one
/// rotation: keys in each state, the next action, the timeline, and a
/// verdict for each kind of token (invalidated by the revocation, outliving
/// its retiring key, expired, forged, unreadable, another issuer's).
#[test]
fn status_and_plan_tables() {
    let s = setup("ES256");
    init(&s);
    let v = status(&s, T0);
    let first = kid_in(&v, "active");
    // A token of the first key with a lifetime beyond max_token_lifetime
    // (minted with the key file directly, as a misbehaving signer would).
    let mut c = s.cmd();
    c.args(["token", "sign", "--key"])
        .arg(format!("keys/{first}.key.pem"))
        .args([
            "--kid",
            &first,
            "--subject",
            "long-lived",
            "--audience",
            "rp",
            "--lifetime",
            "3h",
            "--as-of",
            &at(30 * DAY - 60),
            "-o",
            "long.jwt",
        ]);
    assert_eq!(run(c).0, 0);
    sign(&s, "early.jwt", &at(60));
    let (code, _, err) = rk(&s, &["run", "--now", &at(30 * DAY)]);
    assert_eq!(code, 0, "{err}");
    let when = at(30 * DAY + 600);
    let current = sign(&s, "current.jwt", &at(30 * DAY + 300));
    let good = std::fs::read_to_string(&current).expect("token");
    let parts: Vec<&str> = good.trim().split('.').collect();
    // The payload of another token under this signature: forged.
    let early = std::fs::read_to_string(s.path().join("early.jwt")).expect("token");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        early.trim().split('.').nth(1).expect("payload"),
        parts[2]
    );
    let foreign = good.replace(
        parts[1],
        "eyJpc3MiOiJodHRwczovL290aGVyLmV4YW1wbGUiLCJzdWIiOiJ4In0",
    );
    s.write(
        "sessions.txt",
        format!(
            "{}\nBearer {forged}\nnot-a-token\n{}\n",
            good.trim(),
            early.trim()
        ),
    );
    s.write("foreign.jwt", foreign);

    let (code, out, err) = rk(&s, &["status", "--now", &when, "--color", "never"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("rotate_status_table", redact(&out, s.path()));

    let active = kid_in(&status(&s, &when), "active");
    let (code, out, err) = rk(
        &s,
        &[
            "plan",
            "--issuer",
            "broker",
            "--revoke",
            &active,
            "--horizon",
            "2d",
            "--tokens",
            "sessions.txt",
            "long.jwt",
            "foreign.jwt",
            "--now",
            &when,
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("rotate_plan_table", redact(&out, s.path()));
    // The tokens themselves are never printed.
    assert!(!out.contains(parts[2]) && !out.contains(parts[1]));
}

/// `plan --tokens` as JSON: each verdict, parsed; a token given where a
/// file belongs is refused without echoing it.
#[test]
fn plan_tokens_lists_what_a_change_would_invalidate() {
    let s = setup("ES256");
    init(&s);
    let active = kid_in(&status(&s, T0), "active");
    let t = sign(&s, "a.jwt", &at(60));
    let (code, v) = json(
        &s,
        &[
            "plan",
            "--revoke",
            &active,
            "--issuer",
            "broker",
            "--tokens",
            "a.jwt",
            "--now",
            &at(120),
        ],
    );
    assert_eq!(code, 0, "{v}");
    let tok = &v["issuers"][0]["tokens"][0];
    assert_eq!(tok["source"], "a.jwt");
    assert_eq!(tok["verdict"], "invalidated");
    assert_eq!(tok["kid"], active.as_str());
    assert_eq!(tok["sub"], "agent-1");
    assert_eq!(tok["by"], format!("emergency --revoke {active}"));
    assert_eq!(tok["invalidated_at"], at(120));
    assert_eq!(tok["exp"], at(60 + 3600));
    // Without --revoke the token outlives nothing: unaffected.
    let (_, v) = json(&s, &["plan", "--tokens", "a.jwt", "--now", &at(120)]);
    assert_eq!(v["issuers"][0]["tokens"][0]["verdict"], "unaffected");
    // After it expired (+ clock_skew): expired.
    let (_, v) = json(
        &s,
        &["plan", "--tokens", "a.jwt", "--now", &at(60 + 3600 + 60)],
    );
    assert_eq!(v["issuers"][0]["tokens"][0]["verdict"], "expired");
    // stdin works; a token pasted as an argument is refused, not echoed.
    let token = std::fs::read_to_string(&t).expect("token");
    let mut c = s.cmd();
    c.args([
        "rotate-keys",
        "plan",
        "--tokens",
        "-",
        "-f",
        "json",
        "--now",
        &at(120),
    ])
    .write_stdin(token.clone());
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"<stdin>\""), "{out}");
    let (code, _, err) = rk(&s, &["plan", "--tokens", token.trim(), "--now", &at(120)]);
    assert_eq!(code, 2);
    assert!(err.contains("looks like a token"), "{err}");
    assert!(!err.contains(token.trim()), "the token was echoed");
    let (code, _, err) = rk(&s, &["plan", "--tokens", "missing.txt", "--now", &at(120)]);
    assert_eq!(
        (code, err.trim()),
        (2, "error: --tokens: cannot read missing.txt: no such file")
    );
    s.write("empty.txt", "\n\n");
    let (code, _, err) = rk(&s, &["plan", "--tokens", "empty.txt", "--now", &at(120)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("empty.txt holds no token"), "{err}");
}
