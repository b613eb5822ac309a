//! `agentid exchange entra` against an in-process server (no Entra
//! emulator exists) replaying the documented formats of Microsoft's
//! "OAuth 2.0 client credentials flow on the Microsoft identity platform"
//! (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
//! the federated-credential request, the success response
//! (`token_type`, `expires_in`, `access_token`) and the error response
//! (`error`, `error_description` opening with an AADSTS code, `error_codes`,
//! `timestamp`, `trace_id`, `correlation_id`).

mod common;

use serde_json::{Value, json};

use common::stub::Stub;
use common::{Scratch, run};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const APP: &str = "535fb089-9ff3-47b6-9bfb-4f1264799865";
const PATH: &str = "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token";

fn federated_token() -> String {
    let b = |v: Value| {
        common::oidc::base64_std(v.to_string().as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    let exp = jiff::Timestamp::now().as_second() + 600;
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b(json!({"alg": "RS256", "kid": "k"})),
        b(
            json!({"iss": "http://127.0.0.1:9", "sub": "system:serviceaccount:prod:agent", "aud": "api://AzureADTokenExchange", "exp": exp})
        )
    )
}

fn entra(s: &Scratch, stub: &Stub, args: &[&str]) -> (i32, String, String) {
    let token = s.write("azure-token", federated_token());
    let mut c = s.cmd();
    c.env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", APP)
        .env("AZURE_FEDERATED_TOKEN_FILE", &token)
        .env("AZURE_AUTHORITY_HOST", &stub.url)
        .args([
            "exchange",
            "entra",
            "--from",
            "azure",
            "--scope",
            "https://graph.microsoft.com/.default",
        ])
        .args(args);
    run(c)
}

fn error_body(error: &str, description: &str, code: u64) -> String {
    json!({
        "error": error,
        "error_description": format!("{description}\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2026-11-01 02:02:12Z"),
        "error_codes": [code],
        "timestamp": "2026-11-01 02:02:12Z",
        "trace_id": "255d1aef-8c98-452f-ac51-23d051240864",
        "correlation_id": "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7"
    })
    .to_string()
}

#[test]
fn the_federated_credential_request_is_sent_and_granted() {
    let stub = Stub::start();
    let issued = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2ln";
    stub.json(
        "POST",
        PATH,
        200,
        &json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": issued}).to_string(),
    );
    let s = Scratch::new();
    let (code, out, err) = entra(&s, &stub, &["-f", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["result"], "granted");
    assert_eq!(r["granted"]["expires_in"], 3599);
    assert_eq!(
        r["granted"]["analysis"]["token_claims"]["aud"],
        "https://graph.microsoft.com"
    );
    let c: Vec<(String, String)> = r["preflight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["result"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        c.contains(&("subject.audience".into(), "pass".into())),
        "{c:?}"
    );

    let req = stub.only_request();
    assert_eq!(req.target, PATH);
    assert_eq!(req.field("client_id").as_deref(), Some(APP));
    assert_eq!(
        req.field("scope").as_deref(),
        Some("https://graph.microsoft.com/.default")
    );
    assert_eq!(
        req.field("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(
        req.field("client_assertion_type").as_deref(),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    assert_eq!(req.field("client_assertion"), Some(federated_token_of(&s)));
    assert!(req.field("client_secret").is_none());

    let (code, out, _) = entra(&s, &stub, &["-f", "env"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("export AZURE_ACCESS_TOKEN='{issued}'\n"));
}

fn federated_token_of(s: &Scratch) -> String {
    std::fs::read_to_string(s.path().join("azure-token")).unwrap()
}

#[test]
fn documented_errors_are_explained() {
    let stub = Stub::start();
    let s = Scratch::new();
    let cases = [
        (
            "invalid_client",
            "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'http://127.0.0.1:9'. Assertion Subject: 'system:serviceaccount:prod:agent'. Assertion Audience: 'api://AzureADTokenExchange'.",
            70021,
            "no federated identity credential of the app matches",
        ),
        (
            "invalid_client",
            "AADSTS700016: Application with identifier '535fb089-9ff3-47b6-9bfb-4f1264799865' was not found in the directory.",
            700016,
            "no application with this client ID in this tenant",
        ),
        (
            "invalid_scope",
            "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.",
            70011,
            "the scope is not valid for client credentials",
        ),
        (
            "invalid_client",
            "AADSTS700024: Client assertion is not within its valid time range.",
            700024,
            "the federated token is expired or not yet valid",
        ),
    ];
    for (error, description, code_n, cause) in cases {
        stub.json("POST", PATH, 400, &error_body(error, description, code_n));
        let (code, out, err) = entra(&s, &stub, &["-f", "json"]);
        assert_eq!(code, 1, "{description}: {out}\n{err}");
        let r: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(r["denied"]["error"], error);
        assert!(
            r["denied"]["description"]
                .as_str()
                .unwrap()
                .starts_with(&description[..20]),
            "{r}"
        );
        let got = r["denied"]["explanation"]["cause"].as_str().unwrap();
        assert!(got.contains(cause), "{description}: {got}");
        assert_eq!(
            r["denied"]["request_id"], "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7",
            "the correlation id Microsoft support asks for"
        );
    }
    // The code is taken from `error_codes`, the documented field, even when
    // the description's text does not open with it.
    stub.json(
        "POST",
        PATH,
        400,
        &error_body(
            "invalid_client",
            "The client assertion is not within its valid time range.",
            700024,
        ),
    );
    let (code, out, _) = entra(&s, &stub, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("likely cause: the federated token is expired or not yet valid"),
        "{out}"
    );
    // "the wrong tenant fails": a CI boundary test.
    stub.json(
        "POST",
        PATH,
        400,
        &error_body(
            "invalid_request",
            "AADSTS90002: Tenant '72f988bf-86f1-41af-91ab-2d7cd011db47' not found.",
            90002,
        ),
    );
    let (code, out, err) = entra(&s, &stub, &["--expect-denied"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("likely cause: the tenant does not exist"),
        "{out}"
    );
}

#[test]
fn bad_scopes_and_tenants_exit_2() {
    let stub = Stub::start();
    let s = Scratch::new();
    let mut c = s.cmd();
    s.write("t", federated_token());
    c.args([
        "exchange",
        "entra",
        "--tenant",
        TENANT,
        "--client-id",
        APP,
        "--subject-token",
        "t",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--scope is required"), "{err}");
    let (code, _, err) = entra(&s, &stub, &["--scope", "User.Read"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("only RESOURCE/.default scopes"), "{err}");
    let (code, _, err) = entra(&s, &stub, &["--tenant", "a/b"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--tenant \"a/b\""), "{err}");
    assert!(stub.requests().is_empty());
}
