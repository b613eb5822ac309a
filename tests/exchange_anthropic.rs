//! `agentid exchange anthropic` against an in-process server (no Anthropic
//! emulator exists) replaying the documented shapes of
//! https://platform.claude.com/docs/en/manage-claude/wif-reference
//! ("Token exchange request" / "Token exchange response": a standard
//! OAuth 2.0 token response with an sk-ant-oat01- access token). Error
//! bodies are RFC 6749 §5.2 (`error`, `error_description`), the fields
//! Anthropic's SDKs read from this endpoint; a 401 is a token that does not
//! satisfy the federation rule.
//!
//! Also the canary test: no secret (identity token, issued token) appears
//! in any output or log line at -vv.

mod common;

use serde_json::{Value, json};

use common::stub::Stub;
use common::{Scratch, run};

const ORG: &str = "3f2b5c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b";
const RULE: &str = "fdrl_01AbCdEfGhJkMnPqRsTuVw";
const SVAC: &str = "svac_01AbCdEfGhJkMnPqRsTuVw";
const ISSUED: &str = "sk-ant-oat01-CANARYissuedTOKENabcdefghijklmnopqrstuvwxyz0123456789";

fn identity_token() -> String {
    let b = |v: Value| {
        common::oidc::base64_std(v.to_string().as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    let exp = jiff::Timestamp::now().as_second() + 600;
    format!(
        "{}.{}.Q0FOQVJZc2lnbmF0dXJlcGFydA",
        b(json!({"alg": "RS256", "kid": "k1"})),
        b(
            json!({"iss": "http://127.0.0.1:9", "sub": "repo:acme/app:ref:refs/heads/main", "aud": "https://api.anthropic.com", "exp": exp})
        )
    )
}

/// `exchange anthropic` configured through the SDKs' environment variables.
fn anthropic(s: &Scratch, stub: &Stub, args: &[&str]) -> (i32, String, String) {
    let token = s.write("identity.jwt", identity_token());
    let mut c = s.cmd();
    c.env("ANTHROPIC_FEDERATION_RULE_ID", RULE)
        .env("ANTHROPIC_ORGANIZATION_ID", ORG)
        .env("ANTHROPIC_SERVICE_ACCOUNT_ID", SVAC)
        .env("ANTHROPIC_IDENTITY_TOKEN_FILE", &token)
        .env("ANTHROPIC_BASE_URL", &stub.url)
        .args(["exchange", "anthropic"])
        .args(args);
    run(c)
}

fn granting_stub() -> Stub {
    let stub = Stub::start();
    stub.json(
        "POST",
        "/v1/oauth/token",
        200,
        &json!({"access_token": ISSUED, "token_type": "Bearer", "expires_in": 3600, "scope": "user:inference"}).to_string(),
    );
    stub
}

#[test]
fn the_documented_request_is_sent_and_the_token_comes_back() {
    let stub = granting_stub();
    let s = Scratch::new();
    let (code, out, err) = anthropic(&s, &stub, &["-f", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["protocol"], "anthropic");
    assert_eq!(r["result"], "granted");
    assert_eq!(r["granted"]["scope"], "user:inference");
    assert_eq!(r["granted"]["expires_in"], 3600);
    let redacted = r["granted"]["credential"]["redacted"].as_str().unwrap();
    assert!(redacted.starts_with("sk-ant-o…"), "{redacted}");
    assert_eq!(
        r["subject"]["origin"],
        format!(
            "anthropic token {}",
            s.path().join("identity.jwt").display()
        )
    );

    let req = stub.only_request();
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/v1/oauth/token");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(
        req.header("anthropic-beta"),
        Some("oauth-2025-04-20,oidc-federation-2026-04-01")
    );
    let body: Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(
        body,
        json!({
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": identity_token_of(&s),
            "federation_rule_id": RULE,
            "organization_id": ORG,
            "service_account_id": SVAC,
        })
    );

    let (code, out, _) = anthropic(&s, &stub, &["-f", "env"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("export ANTHROPIC_AUTH_TOKEN='{ISSUED}'\n"));
    let (code, out, _) = anthropic(&s, &stub, &["-f", "raw", "--workspace-id", "default"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), ISSUED);
    let last: Value = serde_json::from_str(&stub.requests().last().unwrap().body).unwrap();
    assert_eq!(last["workspace_id"], "default");
}

fn identity_token_of(s: &Scratch) -> String {
    std::fs::read_to_string(s.path().join("identity.jwt")).unwrap()
}

#[test]
fn a_rule_mismatch_is_denied_and_explained() {
    let stub = Stub::start();
    stub.json(
        "POST",
        "/v1/oauth/token",
        401,
        r#"{"error":"invalid_grant","error_description":"The identity token did not satisfy the federation rule"}"#,
    );
    // The SDKs quote this header in their errors: support asks for it.
    stub.header("Request-Id", "req_011CcanaryREQUESTid");
    let s = Scratch::new();
    let (code, out, err) = anthropic(&s, &stub, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.starts_with("DENIED"), "{out}");
    assert!(out.contains("server said: HTTP 401 invalid_grant"), "{out}");
    assert!(out.contains("request id: req_011CcanaryREQUESTid"), "{out}");
    assert!(
        out.contains("likely cause: the identity token does not satisfy the federation rule"),
        "{out}"
    );
    assert!(out.contains("--workspace-id"), "{out}");

    // A boundary test: "a token from another repository gets nothing".
    let (code, out, err) = anthropic(&s, &stub, &["--expect-denied", "-f", "raw"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.is_empty());

    stub.json(
        "POST",
        "/v1/oauth/token",
        400,
        r#"{"error":"invalid_request","error_description":"workspace_id is required: the rule is enabled for more than one workspace"}"#,
    );
    let (code, out, _) = anthropic(&s, &stub, &["-f", "json"]);
    assert_eq!(code, 1);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["denied"]["error"], "invalid_request");
    assert_eq!(r["denied"]["request_id"], "req_011CcanaryREQUESTid");
    assert!(
        r["denied"]["explanation"]["fix"]
            .as_str()
            .unwrap()
            .contains("--workspace-id wrkspc_"),
        "{r}"
    );

    stub.json(
        "POST",
        "/v1/oauth/token",
        500,
        r#"{"error":"server_error"}"#,
    );
    let (code, _, err) = anthropic(&s, &stub, &[]);
    assert_eq!(code, 3, "{err}");
}

#[test]
fn bad_ids_and_urls_exit_2() {
    let stub = granting_stub();
    let s = Scratch::new();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--federation-rule-id", "rule-1"],
            "--federation-rule-id \"rule-1\": expected a tagged ID fdrl_",
        ),
        (
            vec!["--service-account-id", "sa"],
            "expected a tagged ID svac_",
        ),
        (vec!["--workspace-id", "ws"], "expected a tagged ID wrkspc_"),
        (
            vec!["--organization-id", "acme"],
            "expected the organization's UUID",
        ),
        (vec!["--base-url", "http://api.example.com"], "--base-url:"),
        (
            vec!["-f", "credential-process"],
            "format credential-process is not available",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = anthropic(&s, &stub, &args);
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains(want), "{args:?}: want {want:?} in {err}");
    }
    assert!(
        stub.requests().is_empty(),
        "nothing may be sent on bad input"
    );
}

/// The canary: at -vv (debug logs), in every format and on refusal, neither
/// the identity token nor the issued token appears whole.
#[test]
fn no_secret_in_output_or_logs_at_vv() {
    let stub = granting_stub();
    let s = Scratch::new();
    for format in ["table", "json"] {
        let (code, out, err) = anthropic(&s, &stub, &["-vv", "-f", format]);
        assert_eq!(code, 0, "{err}");
        let identity = identity_token_of(&s);
        for text in [&out, &err] {
            assert!(
                !text.contains(ISSUED),
                "{format}: issued token leaked:\n{text}"
            );
            assert!(
                !text.contains("CANARYissued"),
                "{format}: part of it leaked:\n{text}"
            );
            assert!(
                !text.contains(&identity),
                "{format}: identity token leaked:\n{text}"
            );
            assert!(
                !text.contains("Q0FOQVJZc2lnbmF0dXJlcGFydA"),
                "{format}: signature leaked:\n{text}"
            );
        }
        assert!(err.contains("DEBUG"), "-vv logs debug lines: {err}");
    }
    stub.json(
        "POST",
        "/v1/oauth/token",
        401,
        r#"{"error":"invalid_grant"}"#,
    );
    let (code, out, err) = anthropic(&s, &stub, &["-vv", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(&identity_token_of(&s)) && !err.contains(&identity_token_of(&s)));
    let (code, out, err) = anthropic(&s, &stub, &["-vv"]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains(&identity_token_of(&s)) && !err.contains(&identity_token_of(&s)));
}
