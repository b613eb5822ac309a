//! `agentid token sign`: tokens minted with each key type verify with the
//! public half; `-o` writes 0600 atomically; every bad input exits 2 with one
//! line naming what is wrong.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use common::{Scratch, repo, run};

fn key(name: &str) -> PathBuf {
    repo().join("tests/fixtures/keys").join(name)
}

const NOW: &str = "2026-11-26T10:00:00Z";

fn sign(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let mut c = s.cmd();
    c.args(["token", "sign", "--as-of", NOW]).args(args);
    run(c)
}

fn verify_json(s: &Scratch, token_file: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let mut c = s.cmd();
    c.args(["token", "verify", token_file, "--as-of", NOW, "-f", "json"])
        .args(args);
    let (code, out, err) = run(c);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v)
}

#[test]
fn each_key_type_signs_a_token_its_public_key_verifies() {
    let s = Scratch::new();
    for (private, public, alg) in [
        ("ec256.pem", "ec256.pub.pem", "ES256"),
        ("ec256.sec1.pem", "ec256.pub.pem", "ES256"),
        ("ec256.private.jwk.json", "ec256.jwk.json", "ES256"),
        ("ec384.pem", "ec384.pub.pem", "ES384"),
        ("rsa2048.pem", "rsa2048.pub.pem", "RS256"),
        ("rsa2048.pkcs1.pem", "rsa2048.crt", "RS256"),
        ("ed25519.pem", "ed25519.pub.pem", "EdDSA"),
    ] {
        let out = s.path().join(format!("{private}.jwt"));
        // The public JWK names its own kid; sign with it so the lookup is by kid.
        let kid = if public.ends_with(".jwk.json") {
            "ec256-jwk"
        } else {
            "k"
        };
        let (code, stdout, err) = sign(
            &s,
            &[
                "--kid",
                kid,
                "--key",
                key(private).to_str().expect("utf8"),
                "--subject",
                "agent-1",
                "--audience",
                "https://api.example",
                "--lifetime",
                "15m",
                "-o",
                out.to_str().expect("utf8"),
            ],
        );
        assert_eq!((code, stdout.as_str()), (0, ""), "{private}: {err}");
        let (code, v) = verify_json(
            &s,
            out.to_str().expect("utf8"),
            &[
                "--key",
                key(public).to_str().expect("utf8"),
                "--audience",
                "https://api.example",
            ],
        );
        assert_eq!(code, 0, "{private}: {v}");
        assert_eq!(v["valid"], true);
        assert_eq!(v["key"]["alg"], alg, "{private}");
        assert_eq!(v["subject"], "agent-1");
        let exp = v["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["name"] == "exp")
            .expect("exp check");
        assert!(
            exp["detail"]
                .as_str()
                .expect("detail")
                .contains("expires in 15m"),
            "{exp}"
        );
    }
}

#[test]
fn claims_from_stdin_are_the_base_and_flags_override_them() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args([
        "token",
        "sign",
        "--as-of",
        NOW,
        "--key",
        key("ec256.pem").to_str().expect("utf8"),
        "--claims",
        "-",
        "--subject",
        "from-flag",
        "--audience",
        "a1",
        "--audience",
        "a2",
        "--kid",
        "k1",
        "--typ",
        "at+jwt",
    ])
    .write_stdin(r#"{"sub":"from-file","scope":"read write","iss":"https://id.acme.example"}"#);
    let (code, token, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let file = s.write("t.jwt", token.trim());
    let mut c = s.cmd();
    c.args([
        "token",
        "decode",
        file.to_str().expect("utf8"),
        "-f",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(d["claims"]["sub"], "from-flag");
    assert_eq!(d["claims"]["scope"], "read write");
    assert_eq!(d["claims"]["aud"], serde_json::json!(["a1", "a2"]));
    assert_eq!(d["header"]["kid"], "k1");
    assert_eq!(d["header"]["typ"], "at+jwt");
    assert_eq!(d["claims"]["iat"], d["claims"]["nbf"]);
    // Default lifetime: 15 minutes.
    let iat = d["claims"]["iat"].as_i64().expect("iat");
    assert_eq!(d["claims"]["exp"].as_i64(), Some(iat + 900));
}

#[test]
fn output_file_is_0600_even_when_it_existed_wider() {
    let s = Scratch::new();
    let out = s.write("token.jwt", "old contents");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (code, _, err) = sign(
        &s,
        &[
            "--key",
            key("ec256.pem").to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&out).expect("read");
    assert_eq!(
        text.matches('.').count(),
        2,
        "a JWT replaced the old contents"
    );
    // No temporary files left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".agentid-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_failed_sign_leaves_the_existing_output_alone() {
    let s = Scratch::new();
    let out = s.write("token.jwt", "keep me");
    let (code, _, _) = sign(
        &s,
        &[
            "--key",
            key("ec256.encrypted.pem").to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let s = Scratch::new();
    let claims_array = s.write("array.json", "[1,2]");
    let claims_dup = s.write("dup.json", r#"{"sub":"a","sub":"b"}"#);
    let claims_bad = s.write("bad.json", "{not json");
    let claims_exp = s.write("exp.json", r#"{"exp":"tomorrow"}"#);
    let p = |p: &PathBuf| p.to_str().expect("utf8").to_string();
    let ec = p(&key("ec256.pem"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--key".into(), "/nonexistent/k.pem".into()],
            "/nonexistent/k.pem",
        ),
        (
            vec!["--key".into(), p(&key("ec256.encrypted.pem"))],
            "encrypted private keys are not supported",
        ),
        (
            vec!["--key".into(), p(&key("ec256.pub.pem"))],
            "ec256.pub.pem",
        ),
        (vec!["--key".into(), p(&key("rsa1024.pem"))], "1024"),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--claims".into(),
                p(&claims_array),
            ],
            "a JSON array, where a JSON object of claims is required",
        ),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--claims".into(),
                p(&claims_dup),
            ],
            "duplicate key \"sub\"",
        ),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--claims".into(),
                p(&claims_bad),
            ],
            "bad.json: not JSON",
        ),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--claims".into(),
                p(&claims_exp),
            ],
            "NumericDate",
        ),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--claims".into(),
                "/nonexistent/c.json".into(),
            ],
            "no such file",
        ),
        (
            vec!["--key".into(), ec.clone(), "--alg".into(), "RS256".into()],
            "RS256",
        ),
        (
            vec!["--key".into(), ec.clone(), "--alg".into(), "none".into()],
            "--alg",
        ),
        (
            vec![
                "--key".into(),
                ec.clone(),
                "--lifetime".into(),
                "forever".into(),
            ],
            "forever",
        ),
        (
            vec!["--key".into(), ec.clone(), "-f".into(), "json".into()],
            "-f does not apply",
        ),
    ];
    for (args, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = sign(&s, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(
            err.contains(needle),
            "{args:?}: expected {needle:?} in {err:?}"
        );
        let error_lines = err.lines().filter(|l| l.starts_with("error:")).count();
        assert_eq!(error_lines, 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
