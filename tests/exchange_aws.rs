//! `agentid exchange aws` (STS AssumeRoleWithWebIdentity through the AWS SDK).
//!
//! Grants run against moto_server (tests/common/moto.rs). moto validates
//! nothing in AssumeRoleWithWebIdentity (../shared/testing/README.md), so
//! the refusals (wrong role, expired token, missing OIDC provider) are
//! replayed by an in-process stub in STS's documented awsQuery error format
//! (`<ErrorResponse><Error><Type/><Code/><Message/></Error>`), with the
//! error codes of the STS API reference, "AssumeRoleWithWebIdentity —
//! Errors", and the messages AWS re:Post's knowledge-center article
//! "iam-sts-invalididentitytoken" quotes.

mod common;

use serde_json::Value;

use common::moto::Moto;
use common::stub::Stub;
use common::{Scratch, run};

const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";
/// An unsigned JWT-shaped token (moto checks nothing about it); its issuer
/// is a closed loopback port, so the preflight issuer check stays local.
const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmFjbWUvYXBwOnJlZjpyZWZzL2hlYWRzL21haW4iLCJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjkiLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2lnbmF0dXJl";

fn aws(s: &Scratch, endpoint: &str, args: &[&str]) -> (i32, String, String) {
    s.write("web-identity.jwt", TOKEN);
    let mut c = s.cmd();
    c.args([
        "exchange",
        "aws",
        "--role-arn",
        ROLE,
        "--subject-token",
        "web-identity.jwt",
        "--endpoint",
        endpoint,
    ])
    .args(args);
    run(c)
}

fn sts_error(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>"#
    )
}

#[test]
fn moto_grants_temporary_credentials_in_every_format() {
    let moto = Moto::start();
    let s = Scratch::new();
    let (code, out, err) = aws(
        &s,
        &moto.url,
        &[
            "--session-name",
            "ci-run-1",
            "--duration",
            "15m",
            "-f",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["protocol"], "aws");
    assert_eq!(r["result"], "granted");
    let g = &r["granted"];
    assert_eq!(g["credential"]["kind"], "aws");
    assert!(g["credential"].get("value").is_none());
    let facts = g["facts"].as_array().unwrap();
    assert_eq!(facts[0]["name"], "assumed_role_arn");
    assert_eq!(
        facts[0]["value"],
        "arn:aws:sts::123456789012:assumed-role/deploy/ci-run-1"
    );
    let life = g["analysis"]["lifetime_seconds"].as_i64().unwrap();
    assert!((880..=900).contains(&life), "{life}");
    let body = r["request"]["body"].as_array().unwrap();
    assert!(
        body.iter()
            .any(|p| p["name"] == "DurationSeconds" && p["value"] == "900")
    );
    assert!(!out.contains(TOKEN));

    let (code, out, err) = aws(&s, &moto.url, &["-f", "credential-process"]);
    assert_eq!(code, 0, "{err}");
    let cp: Value = serde_json::from_str(&out).expect("credential_process json");
    assert_eq!(cp["Version"], 1);
    let key = cp["AccessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert!(cp["SecretAccessKey"].as_str().unwrap().len() >= 20);
    assert!(!cp["SessionToken"].as_str().unwrap().is_empty());
    let exp: jiff::Timestamp = cp["Expiration"]
        .as_str()
        .unwrap()
        .parse()
        .expect("ISO 8601");
    assert!(exp > jiff::Timestamp::now());

    let (code, out, err) = aws(&s, &moto.url, &["-f", "env"]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = out
        .lines()
        .map(|l| l.trim_start_matches("export ").split('=').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_CREDENTIAL_EXPIRATION"
        ]
    );

    // The table shows none of the three secrets whole.
    let (code, table, err) = aws(&s, &moto.url, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(table.starts_with("GRANTED"), "{table}");
    let (_, out, _) = aws(&s, &moto.url, &["-f", "json", "--reveal"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let secret = v["granted"]["credential"]["value"]["secret_access_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, table, _) = aws(&s, &moto.url, &[]);
    assert!(!table.contains(&secret[..12]), "{table}");
}

#[test]
fn wrong_role_is_access_denied_and_explained() {
    let stub = Stub::start();
    stub.route(
        "POST",
        "/",
        403,
        "text/xml",
        &sts_error(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        ),
    );
    let s = Scratch::new();
    let (code, out, err) = aws(&s, &stub.url, &["-f", "json"]);
    assert_eq!(code, 1, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["result"], "denied");
    assert_eq!(r["denied"]["status"], 403);
    assert_eq!(r["denied"]["error"], "AccessDenied");
    assert!(
        r["denied"]["explanation"]["cause"]
            .as_str()
            .unwrap()
            .contains("trust policy"),
        "{r}"
    );
    // What the SDK sent: the Query API form, token included, role as given.
    let req = &stub.requests()[0];
    assert_eq!(
        req.field("Action").as_deref(),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(req.field("RoleArn").as_deref(), Some(ROLE));
    assert_eq!(req.field("WebIdentityToken").as_deref(), Some(TOKEN));
    assert!(
        req.header("authorization").is_none(),
        "the call is unsigned"
    );

    // A CI boundary test: "this repo cannot assume the prod role".
    let (code, _, err) = aws(
        &s,
        &stub.url,
        &["--expect-denied", "-f", "credential-process"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("denied, as expected: HTTP 403 AccessDenied"),
        "{err}"
    );
}

#[test]
fn expired_token_and_missing_oidc_provider_are_explained() {
    let stub = Stub::start();
    let s = Scratch::new();
    stub.route(
        "POST",
        "/",
        400,
        "text/xml",
        &sts_error(
            "ExpiredTokenException",
            "Token expired: current date/time 1700000100 must be before the expiration date/time 1700000000",
        ),
    );
    let (code, out, err) = aws(&s, &stub.url, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("server said: HTTP 400 ExpiredTokenException"),
        "{out}"
    );
    assert!(
        out.contains("likely cause: the web identity token has expired"),
        "{out}"
    );

    stub.route(
        "POST",
        "/",
        400,
        "text/xml",
        &sts_error(
            "InvalidIdentityToken",
            "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
        ),
    );
    let (code, out, err) = aws(&s, &stub.url, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("likely cause: the IAM OIDC provider for this token's issuer is missing"),
        "{out}"
    );
    assert!(out.contains("create-open-id-connect-provider"), "{out}");

    stub.route(
        "POST",
        "/",
        400,
        "text/xml",
        &sts_error(
            "InvalidIdentityToken",
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        ),
    );
    let (code, out, _) = aws(&s, &stub.url, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("could not verify the token's signature"),
        "{out}"
    );
}

#[test]
fn bad_input_and_unreachable_sts() {
    let s = Scratch::new();
    s.write("policy.json", "{not json");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--duration", "5m"], "--duration: STS takes 15m to 12h"),
        (
            vec!["--session-name", "bad name!"],
            "--session-name \"bad name!\"",
        ),
        (
            vec!["--policy", "policy.json"],
            "--policy policy.json: not JSON",
        ),
        (
            vec!["--policy", "missing.json"],
            "--policy: cannot read missing.json",
        ),
        (
            vec!["-f", "raw"],
            "format raw is not available for exchange aws",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = aws(&s, "http://127.0.0.1:9", &args);
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains(want), "{args:?}: want {want:?} in {err}");
    }
    let mut c = s.cmd();
    c.args([
        "exchange",
        "aws",
        "--role-arn",
        "deploy",
        "--subject-token",
        "web-identity.jwt",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("expected arn:aws:iam::ACCOUNT:role/NAME"),
        "{err}"
    );
    let (code, _, err) = aws(&s, "http://sts.example.com", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--endpoint:"), "{err}");

    let (code, _, err) = aws(&s, "http://127.0.0.1:9", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("cannot call STS at http://127.0.0.1:9"),
        "{err}"
    );
    assert!(!err.contains(TOKEN), "{err}");
}
