//! `exchange` preflight checks (named pass/warn/fail lines), `--agent` /
//! `--enforce` against a registry, and the analysis of what came back,
//! against the real authorization server (tests/oidc) and moto.

mod common;

use std::sync::OnceLock;

use serde_json::{Value, json};

use common::oidc::{CC_CLIENT, CC_SECRET, OidcProvider};
use common::{Scratch, run};

fn shared() -> &'static OidcProvider {
    static OP: OnceLock<OidcProvider> = OnceLock::new();
    OP.get_or_init(OidcProvider::start)
}

fn oauth(s: &Scratch, op: &OidcProvider, args: &[&str]) -> (i32, Value, String) {
    let mut c = s.cmd();
    c.env("CS", CC_SECRET)
        .args([
            "exchange",
            "oauth",
            "--issuer",
            &op.issuer,
            "--subject-token",
            "subject.jwt",
            "--client-id",
            CC_CLIENT,
            "--client-secret-env",
            "CS",
            "-f",
            "json",
        ])
        .args(args);
    let (code, out, err) = run(c);
    let v = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("exit {code}: not JSON ({e})\n{out}\n{err}"));
    (code, v, err)
}

/// check name -> (result, detail)
fn checks(r: &Value) -> Vec<(String, String, String)> {
    r["preflight"]
        .as_array()
        .expect("preflight")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["result"].as_str().unwrap().to_owned(),
                c["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn result_of<'a>(c: &'a [(String, String, String)], name: &str) -> (&'a str, &'a str) {
    c.iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, r, d)| (r.as_str(), d.as_str()))
        .unwrap_or_else(|| panic!("no check {name} in {c:?}"))
}

#[test]
fn a_good_token_passes_expiry_and_issuer_checks() {
    let op = shared();
    let s = Scratch::new();
    s.write(
        "subject.jwt",
        op.token_client_credentials(Some("read"), None),
    );
    let (code, r, err) = oauth(&s, op, &[]);
    assert_eq!(code, 0, "{r}\n{err}");
    let c = checks(&r);
    let names: Vec<&str> = c.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["subject.expiry", "subject.audience", "subject.issuer"]
    );
    assert_eq!(result_of(&c, "subject.expiry").0, "pass");
    let (res, detail) = result_of(&c, "subject.issuer");
    assert_eq!(res, "pass", "{detail}");
    assert!(detail.contains("holds kid as-es256"), "{detail}");
}

#[test]
fn an_expired_token_fails_preflight_and_enforce_sends_nothing() {
    let op = shared();
    let s = Scratch::new();
    let now = jiff::Timestamp::now().as_second();
    s.write(
        "subject.jwt",
        op.sign(
            None,
            json!({"sub": "w", "iat": now - 900, "exp": now - 600}),
            json!({}),
        ),
    );
    // Without --enforce it is sent, and the server refuses it.
    let (code, r, err) = oauth(&s, op, &[]);
    assert_eq!(code, 1, "{r}\n{err}");
    assert_eq!(r["result"], "denied");
    let c = checks(&r);
    let (res, detail) = result_of(&c, "subject.expiry");
    assert_eq!(res, "fail");
    assert!(detail.starts_with("expired"), "{detail}");

    // With --enforce nothing is sent: the endpoint on port 9 would give exit 3.
    let mut cmd = s.cmd();
    cmd.args([
        "exchange",
        "oauth",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--subject-token",
        "subject.jwt",
        "--enforce",
    ]);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.starts_with("BLOCKED by preflight"), "{out}");
    let mut cmd = s.cmd();
    cmd.args([
        "exchange",
        "oauth",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--subject-token",
        "subject.jwt",
        "--enforce",
        "-f",
        "raw",
    ]);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("not sent: a preflight check failed"), "{err}");
    assert!(err.contains("subject.expiry: expired"), "{err}");
}

#[test]
fn a_kid_missing_from_the_issuer_jwks_fails_the_issuer_check() {
    let op = shared();
    let s = Scratch::new();
    s.write(
        "subject.jwt",
        op.sign(None, json!({"sub": "w"}), json!({"kid": "rotated-away"})),
    );
    let (_, r, _) = oauth(&s, op, &["--dry-run"]);
    let c = checks(&r);
    let (res, detail) = result_of(&c, "subject.issuer");
    assert_eq!(res, "fail");
    assert!(
        detail.contains("has no key with kid rotated-away"),
        "{detail}"
    );
}

#[test]
fn an_unreachable_issuer_is_a_failed_check_not_an_error() {
    let s = Scratch::new();
    let b = |v: Value| {
        common::oidc::base64_std(v.to_string().as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    let exp = jiff::Timestamp::now().as_second() + 600;
    s.write(
        "subject.jwt",
        format!(
            "{}.{}.c2ln",
            b(json!({"alg": "ES256", "kid": "k"})),
            b(json!({"iss": "http://127.0.0.1:9", "sub": "w", "exp": exp, "aud": "other"}))
        ),
    );
    let mut c = s.cmd();
    c.args([
        "exchange",
        "aws",
        "--role-arn",
        "arn:aws:iam::123456789012:role/r",
        "--subject-token",
        "subject.jwt",
        "--dry-run",
        "-f",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let c = checks(&r);
    assert_eq!(result_of(&c, "subject.expiry").0, "pass");
    let (res, detail) = result_of(&c, "subject.audience");
    assert_eq!(res, "warn");
    assert!(detail.contains("expected sts.amazonaws.com"), "{detail}");
    let (res, detail) = result_of(&c, "subject.issuer");
    assert_eq!(res, "fail");
    assert!(detail.contains("not reachable"), "{detail}");
}

fn registry(s: &Scratch, op: &OidcProvider, subject: &str) {
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nowners:\n  - id: team-a\nagents:\n  - name: bot\n    owner: team-a\n    trust:\n      - issuer: {}\n        subject: {subject}\n    may_request:\n      audiences: [urn:agentid:test-api]\n      scopes: [read]\n      max_token_lifetime: 5m\n",
            op.issuer
        ),
    );
}

#[test]
fn agent_checks_warn_and_enforce_refuses() {
    let op = shared();
    let s = Scratch::new();
    registry(&s, op, "agent-*");
    s.write(
        "subject.jwt",
        op.token_client_credentials(Some("read write"), None),
    );

    // Within may_request: all agent checks pass; the AS gives 10 minutes,
    // more than the agent's 5m: a warning on the result.
    let (code, r, err) = oauth(
        &s,
        op,
        &[
            "--agent",
            "bot",
            "--scope",
            "read",
            "--resource",
            "urn:agentid:test-api",
        ],
    );
    assert_eq!(code, 0, "{r}\n{err}");
    let c = checks(&r);
    for name in ["agent.trust", "agent.audience", "agent.scope"] {
        assert_eq!(result_of(&c, name).0, "pass", "{name}: {c:?}");
    }
    let warnings = r["granted"]["analysis"]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("longer lifetime than requested")),
        "{warnings:?}"
    );

    // Beyond may_request: a warning, still sent.
    let (code, r, _) = oauth(&s, op, &["--agent", "bot", "--scope", "read write"]);
    assert_eq!(code, 0);
    let c = checks(&r);
    let (res, detail) = result_of(&c, "agent.scope");
    assert_eq!(res, "warn");
    assert!(
        detail.contains("write not in agent bot's may_request.scopes [read]"),
        "{detail}"
    );

    // --enforce: refused, nothing sent.
    let (code, r, _) = oauth(
        &s,
        op,
        &["--agent", "bot", "--scope", "read write", "--enforce"],
    );
    assert_eq!(code, 1);
    assert_eq!(r["result"], "blocked");
    assert_eq!(result_of(&checks(&r), "agent.scope").0, "fail");
    assert!(r.get("granted").is_none());

    // A token whose subject the agent does not trust.
    registry(&s, op, "someone-else");
    let (_, r, _) = oauth(&s, op, &["--agent", "bot", "--dry-run"]);
    let c = checks(&r);
    let (res, detail) = result_of(&c, "agent.trust");
    assert_eq!(res, "warn");
    assert!(
        detail.contains("match none of agent bot's trust rules"),
        "{detail}"
    );

    let mut c = s.cmd();
    c.args([
        "exchange",
        "oauth",
        "--issuer",
        &op.issuer,
        "--subject-token",
        "subject.jwt",
        "--agent",
        "nobody",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--agent nobody: no such agent"), "{err}");
}
