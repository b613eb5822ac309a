//! `agentid rotate-keys` with backend `aws-kms` against a real local KMS
//! (moto_server, tests/common/moto.rs): keys created in KMS with the right
//! spec, usage and tags, tokens signed through KMS's Sign that a relying
//! party (`token verify`) accepts against the published JWKS, retirement
//! and revocation by ScheduleKeyDeletion, crash drills that abort the
//! process after every step, and — against an in-process server answering
//! with KMS's documented JSON error, since moto cannot deny — an access
//! denial that exits 3 naming the missing permission.
//!
//! moto differs from KMS in ways these tests do not rely on
//! (../shared/testing/README.md): Sign succeeds on a key pending deletion,
//! and its PS256 uses the maximum salt length; so PS256 is not tested here.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;

use common::moto::Moto;
use common::{Scratch, run};
use serde_json::Value;

const T0: &str = "2026-11-01T00:00:00Z";
const DAY: i64 = 86_400;

fn at(offset_secs: i64) -> String {
    let t: jiff::Timestamp = T0.parse().expect("t0");
    (t + jiff::SignedDuration::from_secs(offset_secs)).to_string()
}

fn registry(alg: &str, endpoint: &str) -> String {
    format!(
        "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.example\n    algorithm: {alg}\n    backend: {{ kind: aws-kms, region: us-east-1, endpoint: \"{endpoint}\", state_dir: state, alias_prefix: agentid, deletion_window: 7d }}\n    publish: {{ kind: file, path: www/jwks.json }}\n    rotation_period: 30d\n    max_token_lifetime: 1h\n    jwks_cache_ttl: 10m\n"
    )
}

fn setup(alg: &str, moto: &Moto) -> Scratch {
    let s = Scratch::new();
    s.write("agentid.yaml", registry(alg, &moto.url));
    std::fs::create_dir_all(s.path().join("www")).expect("www");
    s
}

fn cmd(s: &Scratch, moto_env: &[(&'static str, String)]) -> assert_cmd::Command {
    let mut c = s.cmd();
    for (k, v) in moto_env {
        c.env(k, v);
    }
    c
}

fn rk(s: &Scratch, env: &[(&'static str, String)], args: &[&str]) -> (i32, String, String) {
    let mut c = cmd(s, env);
    c.arg("rotate-keys").args(args);
    run(c)
}

fn status(s: &Scratch, env: &[(&'static str, String)], when: &str) -> (i32, Value) {
    let (code, out, err) = rk(s, env, &["status", "--now", when, "-f", "json"]);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("status: {e}: {out}{err}"));
    (code, v)
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

/// The KMS key ARN the state file records for `kid`.
fn key_ref(s: &Scratch, kid: &str) -> String {
    let state: Value = serde_json::from_slice(
        &std::fs::read(s.path().join("state/state.json")).expect("state.json"),
    )
    .expect("JSON");
    state["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == kid)
        .and_then(|k| k["backend_ref"].as_str())
        .unwrap_or_else(|| panic!("no backend_ref for {kid}: {state}"))
        .to_string()
}

fn published(s: &Scratch) -> String {
    std::fs::read_to_string(s.path().join("www/jwks.json")).expect("published JWKS")
}

fn sign(s: &Scratch, env: &[(&'static str, String)], name: &str, when: &str) -> (i32, String) {
    let mut c = cmd(s, env);
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
    (code, format!("{out}{err}"))
}

/// `token verify` against the published JWKS, as a relying party.
fn verify(s: &Scratch, token: &str, when: &str) -> (i32, Value) {
    let mut c = s.cmd();
    c.args(["token", "verify", token]).args([
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

/// init, status, token sign through KMS, a rotation, the retirement, and an
/// emergency revocation, for ES256, ES384 and RS256, against moto's KMS.
#[test]
fn the_kms_backend_through_a_whole_cycle() {
    let moto = Moto::start();
    let env = moto.env();
    for (alg, spec) in [
        ("ES256", "ECC_NIST_P256"),
        ("ES384", "ECC_NIST_P384"),
        ("RS256", "RSA_2048"),
    ] {
        let s = setup(alg, &moto);
        let (code, out, err) = rk(&s, &env, &["init", "--now", T0]);
        assert_eq!(code, 0, "{alg}: {out}{err}");
        let (code, v) = status(&s, &env, T0);
        assert_eq!(code, 0, "{alg}: {v}");
        assert_eq!(v["issuers"][0]["problems"], Value::Array(vec![]), "{v}");
        let first = kid_in(&v, "active");
        let second = kid_in(&v, "pending");
        // The keys are in KMS with the right spec, usage, tags and alias;
        // the state dir holds no private key.
        for kid in [&first, &second] {
            let arn = key_ref(&s, kid);
            assert!(arn.starts_with("arn:aws:kms:us-east-1:"), "{arn}");
            assert_eq!(
                moto.kms_key(&arn),
                ("Enabled".into(), spec.into(), "SIGN_VERIFY".into())
            );
            let tags = moto.kms_tags(&arn);
            for want in [
                ("agentid:issuer", "broker"),
                ("agentid:issuer-url", "https://id.example"),
                ("agentid:kid", kid.as_str()),
            ] {
                assert!(
                    tags.iter().any(|(k, v)| k == want.0 && v == want.1),
                    "{alg}: tag {want:?} missing: {tags:?}"
                );
            }
            assert_eq!(
                moto.kms_aliases(&arn),
                vec![format!("alias/agentid/broker/{kid}")]
            );
        }
        let files: Vec<String> = std::fs::read_dir(s.path().join("state"))
            .expect("state dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().all(|f| !f.ends_with(".pem")),
            "{alg}: {files:?}"
        );
        let doc: Value = serde_json::from_str(&published(&s)).expect("jwks");
        for k in doc["keys"].as_array().expect("keys") {
            assert_eq!(k["alg"], alg, "{k}");
            assert!(k.get("d").is_none());
        }
        // A token signed through KMS verifies against the published JWKS.
        let (code, out) = sign(&s, &env, "t1.jwt", &at(60));
        assert_eq!(code, 0, "{alg}: {out}");
        let (code, r) = verify(&s, "t1.jwt", &at(120));
        assert_eq!(code, 0, "{alg}: {r}");
        let header = std::fs::read_to_string(s.path().join("t1.jwt")).expect("token");
        let header: Value =
            serde_json::from_slice(&base64_url(header.split('.').next().expect("header")))
                .expect("header JSON");
        assert_eq!(
            (header["alg"].as_str(), header["kid"].as_str()),
            (Some(alg), Some(first.as_str()))
        );
        // Rotation at rotation_period: the second key signs.
        let (code, out, err) = rk(&s, &env, &["run", "--now", &at(30 * DAY)]);
        assert_eq!(code, 0, "{alg}: {out}{err}");
        let (_, v) = status(&s, &env, &at(30 * DAY));
        assert_eq!(kid_in(&v, "active"), second);
        assert_eq!(kid_in(&v, "retiring"), first);
        let (code, out) = sign(&s, &env, "t2.jwt", &at(30 * DAY + 60));
        assert_eq!(code, 0, "{out}");
        let (code, r) = verify(&s, "t2.jwt", &at(30 * DAY + 120));
        assert_eq!(code, 0, "{alg}: {r}");
        // Retirement: out of the JWKS, and KMS deletion scheduled.
        let later = at(30 * DAY + 3660);
        let (code, out, err) = rk(&s, &env, &["run", "--now", &later]);
        assert_eq!(code, 0, "{alg}: {out}{err}");
        assert!(!published(&s).contains(&first));
        assert_eq!(moto.kms_key(&key_ref(&s, &first)).0, "PendingDeletion");
        let (code, v) = status(&s, &env, &later);
        assert_eq!(code, 0, "{alg}: {v}");
        // Emergency: the active key is revoked, deletion scheduled at once,
        // its tokens fail, the successor signs.
        let third = kid_in(&v, "pending");
        let (code, out, err) = rk(
            &s,
            &env,
            &[
                "emergency",
                "--revoke",
                &second,
                "--reason",
                "drill",
                "--yes",
                "--now",
                &at(30 * DAY + 3700),
            ],
        );
        assert_eq!(code, 0, "{alg}: {out}{err}");
        assert_eq!(moto.kms_key(&key_ref(&s, &second)).0, "PendingDeletion");
        let (code, _) = verify(&s, "t2.jwt", &at(30 * DAY + 3710));
        assert_eq!(code, 1, "{alg}: a token of the revoked key still verifies");
        let (_, v) = status(&s, &env, &at(30 * DAY + 3700));
        assert_eq!(kid_in(&v, "active"), third);
        let (code, out) = sign(&s, &env, "t3.jwt", &at(30 * DAY + 3720));
        assert_eq!(code, 0, "{out}");
        let (code, r) = verify(&s, "t3.jwt", &at(30 * DAY + 3730));
        assert_eq!(code, 0, "{alg}: {r}");
        // The journal names the KMS key of each generated key.
        let (code, out, _) = rk(&s, &env, &["log", "-f", "json"]);
        assert_eq!(code, 0);
        assert!(out.contains("arn:aws:kms:us-east-1:"), "{out}");
    }
}

fn base64_url(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64url") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A drill: its name, the commands before it, the command crashed.
type Scenario = (&'static str, Vec<Vec<String>>, Vec<String>);

/// A crash after every durable step of init, a rotation with retirement,
/// and an emergency, for ES256 and RS256 on KMS: after each crash `status`
/// reads a consistent keystore whose published JWKS holds the key that
/// signs, the next command completes the work, and nothing is lost (every
/// key that signs is enabled in KMS and its tokens verify).
#[test]
fn a_crash_after_every_step_on_kms_is_recovered() {
    let moto = Moto::start();
    let env = moto.env();
    for alg in ["ES256", "RS256"] {
        let mut orphans_cleared = 0;
        let scenarios: [Scenario; 3] = [
            ("init", vec![], vec!["init".into(), "--now".into(), at(0)]),
            (
                "rotation",
                vec![
                    vec!["init".into(), "--now".into(), at(0)],
                    vec!["run".into(), "--now".into(), at(30 * DAY)],
                ],
                // The retirement of the first key and the second rotation are due.
                vec!["run".into(), "--now".into(), at(60 * DAY)],
            ),
            (
                "emergency",
                vec![vec!["init".into(), "--now".into(), at(0)]],
                vec![
                    "emergency".into(),
                    "--revoke".into(),
                    "ACTIVE".into(),
                    "--reason".into(),
                    "drill".into(),
                    "--yes".into(),
                    "--now".into(),
                    at(3600),
                ],
            ),
        ];
        for (label, before, command) in &scenarios {
            let when = command.last().expect("time").clone();
            let mut n = 1;
            loop {
                let s = setup(alg, &moto);
                for b in before {
                    let args: Vec<&str> = b.iter().map(String::as_str).collect();
                    let (code, out, err) = rk(&s, &env, &args);
                    assert_eq!(code, 0, "{alg} {label} setup: {out}{err}");
                }
                let mut args = command.clone();
                if let Some(a) = args.iter_mut().find(|a| *a == "ACTIVE") {
                    *a = kid_in(&status(&s, &env, &at(0)).1, "active");
                }
                let mut c = cmd(&s, &env);
                c.arg("rotate-keys")
                    .args(&args)
                    .env("AGENTID_CRASH_AFTER", n.to_string());
                let (code, _, err) = run(c);
                if code == 0 {
                    assert!(n > 1, "{alg} {label}: no fault point reached");
                    break;
                }
                assert!(
                    err.contains("crash drill"),
                    "{alg} {label} step {n}: {code} {err}"
                );
                let journal = s.path().join("state/journal.jsonl").exists();
                // Every KMS key created so far (the created log, read before recovery).
                let created: Vec<String> =
                    std::fs::read_to_string(s.path().join("state/kms-created.log"))
                        .unwrap_or_default()
                        .lines()
                        .map(str::to_owned)
                        .collect();
                if journal {
                    // status reads a consistent keystore; the key that signs is published.
                    let (scode, v) = status(&s, &env, &when);
                    assert!(scode == 0 || scode == 1, "{alg} {label} step {n}: {v}");
                    // Invariant 4 in the published file at this instant:
                    // every key that may have signed an unexpired token.
                    let problems = v["issuers"][0]["problems"].to_string();
                    assert!(
                        !problems.contains("invariant"),
                        "{alg} {label} step {n}: {problems}"
                    );
                    if let Ok(text) = std::fs::read_to_string(s.path().join("www/jwks.json")) {
                        for k in v["issuers"][0]["keys"].as_array().into_iter().flatten() {
                            if k["state"] == "active" {
                                assert!(
                                    text.contains(k["kid"].as_str().expect("kid")),
                                    "{alg} {label} step {n}: the active key is not published"
                                );
                            }
                        }
                        assert!(!text.contains("\"d\""));
                    }
                }
                // The operator re-runs an emergency; cron runs `run`; with
                // nothing journaled, init again.
                let again: Vec<String> = match (*label, journal) {
                    (_, false) => vec!["init".into(), "--now".into(), when.clone()],
                    ("emergency", true) => args.clone(),
                    _ => vec!["run".into(), "--now".into(), when.clone()],
                };
                let again: Vec<&str> = again.iter().map(String::as_str).collect();
                let (code, out, err) = rk(&s, &env, &again);
                assert_eq!(code, 0, "{alg} {label} step {n}: {again:?}: {out}{err}");
                let (code, v) = status(&s, &env, &when);
                assert_eq!(code, 0, "{alg} {label} step {n}: {v}");
                assert_eq!(v["issuers"][0]["problems"], Value::Array(vec![]), "{v}");
                let active = kid_in(&v, "active");
                let pending = kid_in(&v, "pending");
                let text = published(&s);
                assert!(text.contains(&active) && text.contains(&pending));
                for kid in [&active, &pending] {
                    assert_eq!(moto.kms_key(&key_ref(&s, kid)).0, "Enabled");
                }
                for k in v["issuers"][0]["keys"].as_array().expect("keys") {
                    if k["private_key"] == "destroyed" {
                        let kid = k["kid"].as_str().expect("kid");
                        assert_eq!(
                            moto.kms_key(&key_ref(&s, kid)).0,
                            "PendingDeletion",
                            "{alg} {label} step {n}: {kid} destroyed but not scheduled for deletion"
                        );
                    }
                }
                if *label == "emergency" {
                    assert!(!text.contains(&args[2]), "the revoked key is published");
                }
                // No KMS key is left behind: each one created is in the
                // state, or its deletion is scheduled (one the crash left
                // before the journal named it).
                let state =
                    std::fs::read_to_string(s.path().join("state/state.json")).expect("state.json");
                for arn in &created {
                    if !state.contains(arn.as_str()) {
                        orphans_cleared += 1;
                    }
                    assert!(
                        state.contains(arn.as_str()) || moto.kms_key(arn).0 == "PendingDeletion",
                        "{alg} {label} step {n}: KMS key {arn} is neither in the state nor being deleted"
                    );
                }
                // Nothing is lost: the active key signs tokens a relying party accepts.
                let (code, out) = sign(&s, &env, "t.jwt", &when);
                assert_eq!(code, 0, "{alg} {label} step {n}: {out}");
                let (code, r) = verify(&s, "t.jwt", &when);
                assert_eq!(code, 0, "{alg} {label} step {n}: {r}");
                n += 1;
                assert!(n < 40, "{alg} {label}: never finished");
            }
        }
        assert!(
            orphans_cleared > 0,
            "{alg}: no crash left a KMS key the journal did not name"
        );
    }
}

/// An in-process stand-in for KMS that denies every call with KMS's
/// documented error (HTTP 400, `x-amzn-ErrorType` and a JSON body with
/// `__type` AccessDeniedException), since moto cannot deny. Returns its
/// URL and the `X-Amz-Target`s it was asked for.
fn denying_kms() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut target = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("x-amz-target:") {
                    target = line[line.len() - v.trim().len()..].to_string();
                }
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let action = target.rsplit('.').next().unwrap_or("Unknown").to_string();
            log.lock().expect("log").push(action.clone());
            let error = format!(
                "{{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: kms:{action} on resource: * because no identity-based policy allows the kms:{action} action\"}}"
            );
            let response = format!(
                "HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: 0c7f5c5e-0000-4000-8000-000000000000\r\nx-amzn-ErrorType: AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{error}",
                error.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, seen)
}

/// KMS access denied: exit 3, naming the permission the credentials lack,
/// for `init` (kms:CreateKey) and for `token sign --issuer` on a keystore
/// whose key KMS no longer lets these credentials use (kms:DescribeKey,
/// checked before kms:Sign).
#[test]
fn kms_access_denied_exits_3_naming_the_permission() {
    let (url, seen) = denying_kms();
    let s = Scratch::new();
    s.write("agentid.yaml", registry("ES256", &url));
    std::fs::create_dir_all(s.path().join("www")).expect("www");
    let env = vec![
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
    ];
    let (code, out, err) = rk(&s, &env, &["init", "--now", T0]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("access denied") && err.contains("kms:CreateKey permission"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert_eq!(
        seen.lock().expect("seen").first().map(String::as_str),
        Some("CreateKey")
    );
    assert!(!s.path().join("state/journal.jsonl").exists());
    assert!(!Path::new(&s.path().join("www/jwks.json")).exists());

    // A keystore made on moto, then the credentials lose their rights.
    let moto = Moto::start();
    let s = setup("ES256", &moto);
    let (code, out, err) = rk(&s, &moto.env(), &["init", "--now", T0]);
    assert_eq!(code, 0, "{out}{err}");
    s.write("agentid.yaml", registry("ES256", &url));
    let (code, out) = sign(&s, &env, "t.jwt", &at(60));
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("kms:DescribeKey permission"), "{out}");
    assert!(!s.path().join("t.jwt").exists());
    // status reports it as a problem of each key (exit 1); jwks and log
    // read only the state and the publisher, so they need no KMS permission.
    let (code, v) = status(&s, &env, &at(60));
    assert_eq!(code, 1, "{v}");
    let problems = v["issuers"][0]["problems"].to_string();
    assert!(
        problems.contains("kms:DescribeKey permission"),
        "{problems}"
    );
    for args in [&["jwks"][..], &["log", "-f", "json"][..]] {
        let (code, out, err) = rk(&s, &env, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
}
