//! `agentid exchange oauth` against a real authorization server (npm
//! oidc-provider, tests/oidc/oidc-as.mjs): RFC 8693 token exchange and the
//! RFC 7523 jwt-bearer grant end to end, client_secret_basic/post and
//! private_key_jwt; plus the subject-token sources against fake
//! environments and an in-process stub (tests/common/stub.rs), and every
//! bad-input path.

mod common;

use std::sync::OnceLock;

use serde_json::{Value, json};

use common::oidc::{CC_CLIENT, CC_SECRET, OidcProvider, PKJWT_CLIENT, jwt_parts};
use common::stub::Stub;
use common::{Scratch, run};

fn shared() -> &'static OidcProvider {
    static OP: OnceLock<OidcProvider> = OnceLock::new();
    OP.get_or_init(OidcProvider::start)
}

/// A subject token from the AS itself (agent-cc, scope read).
fn subject(op: &OidcProvider) -> String {
    op.token_client_credentials(Some("read write"), None)
}

/// `agentid exchange oauth` with the AS's issuer and agent-cc's secret in $CS.
fn exchange(s: &Scratch, op: &OidcProvider, args: &[&str]) -> (i32, String, String) {
    let mut c = s.cmd();
    c.env("CS", CC_SECRET)
        .args(["exchange", "oauth", "--issuer", &op.issuer])
        .args(args);
    run(c)
}

fn json_of(code: i32, out: &str, err: &str) -> Value {
    serde_json::from_str(out)
        .unwrap_or_else(|e| panic!("exit {code}: stdout is not JSON ({e})\n{out}\n{err}"))
}

/// No secret (client secret, subject token, issued token) may appear whole.
fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "a secret leaked: {s:.12}… in\n{text}");
    }
}

#[test]
fn rfc8693_exchange_with_client_secret_basic_is_granted() {
    let op = shared();
    let s = Scratch::new();
    let token = subject(op);
    s.write("subject.jwt", &token);
    let (code, out, err) = exchange(
        &s,
        op,
        &[
            "--subject-token",
            "subject.jwt",
            "--client-id",
            CC_CLIENT,
            "--client-secret-env",
            "CS",
            "--scope",
            "read",
            "-f",
            "json",
            "-vv",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("DEBUG"), "-vv logs debug lines: {err}");
    let r = json_of(code, &out, &err);
    assert_eq!(r["kind"], "agentid.exchange");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["result"], "granted");
    assert_eq!(r["ok"], true);
    assert_eq!(r["request"]["url"], op.token_endpoint().as_str());
    let g = &r["granted"];
    assert_eq!(
        g["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(g["scope"], "read");
    assert!(g["credential"].get("value").is_none(), "{g}");
    let claims = &g["analysis"]["token_claims"];
    assert_eq!(claims["sub"], CC_CLIENT);
    assert_eq!(claims["iss"], op.issuer.as_str());
    let lifetime = g["analysis"]["lifetime_seconds"].as_i64().unwrap();
    assert!((590..=600).contains(&lifetime), "{lifetime}");
    assert_no_secret(&out, &[&token, CC_SECRET]);
    // The canary at -vv: neither the subject token nor the client secret
    // (nor the subject token's signature alone) reaches the logs.
    assert_no_secret(&err, &[&token, CC_SECRET, token.split('.').nth(2).unwrap()]);
}

#[test]
fn reveal_and_raw_give_the_issued_token_itself() {
    let op = shared();
    let s = Scratch::new();
    s.write("subject.jwt", subject(op));
    let base = [
        "--subject-token",
        "subject.jwt",
        "--client-id",
        CC_CLIENT,
        "--client-secret-env",
        "CS",
    ];
    let (code, out, err) = exchange(&s, op, &[&base[..], &["-f", "json", "--reveal"]].concat());
    assert_eq!(code, 0, "{err}");
    let value = json_of(code, &out, &err)["granted"]["credential"]["value"]
        .as_str()
        .expect("value with --reveal")
        .to_owned();
    let (header, claims) = jwt_parts(&value);
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(claims["iss"], op.issuer.as_str());

    let (code, out, err) = exchange(&s, op, &[&base[..], &["-f", "raw"]].concat());
    assert_eq!(code, 0, "{err}");
    let raw = out.trim();
    assert_eq!(raw.split('.').count(), 3, "{out}");
    assert_eq!(jwt_parts(raw).1["sub"], CC_CLIENT);

    let (code, out, err) = exchange(&s, op, &[&base[..], &["-f", "env"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("export ACCESS_TOKEN='eyJ"), "{out}");
}

#[test]
fn output_file_is_written_0600() {
    use std::os::unix::fs::PermissionsExt;
    let op = shared();
    let s = Scratch::new();
    s.write("subject.jwt", subject(op));
    let (code, out, err) = exchange(
        &s,
        op,
        &[
            "--subject-token",
            "subject.jwt",
            "--client-id",
            CC_CLIENT,
            "--client-secret-env",
            "CS",
            "-f",
            "raw",
            "-o",
            "token.txt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    let path = s.path().join("token.txt");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap().split('.').count(),
        3
    );
}

#[test]
fn client_secret_post_and_a_token_from_stdin() {
    let op = shared();
    let s = Scratch::new();
    s.write("secret", format!("{CC_SECRET}\n"));
    let mut c = s.cmd();
    c.args([
        "exchange",
        "oauth",
        "--token-endpoint",
        &op.token_endpoint(),
        "--subject-token",
        "-",
        "--client-id",
        CC_CLIENT,
        "--client-auth",
        "client-secret-post",
        "--client-secret-file",
        "secret",
        "-f",
        "json",
    ])
    .write_stdin(subject(op));
    let (code, out, err) = run(c);
    // oidc-provider accepts the secret in the body as well as in Basic.
    assert_eq!(code, 0, "{out}\n{err}");
    let r = json_of(code, &out, &err);
    assert_eq!(r["result"], "granted");
    assert!(r["request"]["headers"].as_array().unwrap().is_empty());
    let body: Vec<&str> = r["request"]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(body.contains(&"client_secret"), "{body:?}");
    assert_eq!(r["subject"]["origin"], "<stdin>");
    assert_no_secret(&out, &[CC_SECRET]);
}

#[test]
fn jwt_bearer_with_private_key_jwt_is_granted_for_the_assertion_subject() {
    let op = shared();
    let s = Scratch::new();
    let assertion = op.sign(
        None,
        json!({"sub": "workload-7", "aud": op.issuer}),
        json!({}),
    );
    s.write("assertion.jwt", &assertion);
    let key = op.pkjwt_private_jwk();
    let (code, out, err) = exchange(
        &s,
        op,
        &[
            "--grant",
            "jwt-bearer",
            "--subject-token",
            "assertion.jwt",
            "--client-id",
            PKJWT_CLIENT,
            "--client-key",
            key.to_str().unwrap(),
            "--scope",
            "read",
            "-f",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let r = json_of(code, &out, &err);
    assert_eq!(
        r["granted"]["analysis"]["token_claims"]["sub"],
        "workload-7"
    );
    let names: Vec<&str> = r["request"]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "grant_type",
            "assertion",
            "scope",
            "client_id",
            "client_assertion_type",
            "client_assertion"
        ]
    );
    assert_no_secret(&out, &[&assertion]);
}

#[test]
fn actor_token_puts_an_act_chain_in_the_issued_token() {
    let op = shared();
    let s = Scratch::new();
    s.write(
        "subject.jwt",
        op.sign(None, json!({"sub": "alice"}), json!({})),
    );
    s.write(
        "actor.jwt",
        op.sign(None, json!({"sub": "agent-b"}), json!({})),
    );
    let (code, out, err) = exchange(
        &s,
        op,
        &[
            "--subject-token",
            "subject.jwt",
            "--actor-token",
            "actor.jwt",
            "--client-id",
            CC_CLIENT,
            "--client-secret-env",
            "CS",
            "-f",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let r = json_of(code, &out, &err);
    assert_eq!(r["granted"]["analysis"]["delegation"], "alice → agent-b");
    assert_eq!(
        r["granted"]["analysis"]["token_claims"]["act"]["sub"],
        "agent-b"
    );
}

#[test]
fn a_tampered_subject_token_is_refused_and_explained() {
    let op = shared();
    let s = Scratch::new();
    let token = subject(op);
    let (h, p, sig) = {
        let v: Vec<&str> = token.split('.').collect();
        (v[0].to_owned(), v[1].to_owned(), v[2].to_owned())
    };
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    s.write("bad.jwt", format!("{h}.{p}.{flipped}{}", &sig[1..]));
    let args = [
        "--subject-token",
        "bad.jwt",
        "--client-id",
        CC_CLIENT,
        "--client-secret-env",
        "CS",
    ];
    let (code, out, err) = exchange(&s, op, &args);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.starts_with("DENIED"), "{out}");
    assert!(out.contains("invalid_grant"), "{out}");
    assert!(out.contains("likely cause:"), "{out}");
    assert!(out.contains("fix:"), "{out}");

    // The CI boundary test: a refusal is what was expected.
    let (code, out, err) = exchange(&s, op, &[&args[..], &["--expect-denied"]].concat());
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.starts_with("DENIED, as expected"), "{out}");
    let (code, out, err) = exchange(
        &s,
        op,
        &[&args[..], &["--expect-denied", "-f", "raw"]].concat(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("denied, as expected: HTTP 400 invalid_grant"),
        "{err}"
    );
}

#[test]
fn expect_denied_fails_when_the_server_grants() {
    let op = shared();
    let s = Scratch::new();
    let token = subject(op);
    s.write("subject.jwt", &token);
    let base = [
        "--subject-token",
        "subject.jwt",
        "--client-id",
        CC_CLIENT,
        "--client-secret-env",
        "CS",
        "--expect-denied",
    ];
    let (code, out, err) = exchange(&s, op, &base);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("the boundary does NOT hold"), "{out}");
    let (code, out, err) = exchange(&s, op, &[&base[..], &["-f", "raw"]].concat());
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.is_empty(),
        "a breached boundary must not hand out the token: {out}"
    );
    assert!(err.contains("GRANTED"), "{err}");
}

#[test]
fn wrong_client_secret_is_invalid_client_exit_1() {
    let op = shared();
    let s = Scratch::new();
    s.write("subject.jwt", subject(op));
    let mut c = s.cmd();
    c.env("CS", "not-the-secret").args([
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
        "raw",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("error: denied: HTTP 401 invalid_client"),
        "{err}"
    );
    assert!(err.contains("fix: check --client-id"), "{err}");
    assert!(!err.contains("not-the-secret"), "{err}");
}

#[test]
fn dry_run_sends_nothing_and_redacts_every_secret() {
    let s = Scratch::new();
    let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCIsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6OSJ9.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw";
    s.write("subject.jwt", token);
    // Nothing listens on port 9: sending would fail with exit 3.
    let mut c = s.cmd();
    c.env("CS", "super-secret-value-123").args([
        "exchange",
        "oauth",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--subject-token",
        "subject.jwt",
        "--client-id",
        "c",
        "--client-secret-env",
        "CS",
        "--audience",
        "https://api.example",
        "--resource",
        "urn:r",
        "--scope",
        "a b",
        "--dry-run",
        "-f",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}\n{err}");
    let r = json_of(code, &out, &err);
    assert_eq!(r["result"], "dry_run");
    let body: Vec<(String, String)> = r["request"]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    let get = |n: &str| body.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(get("audience"), Some("https://api.example"));
    assert_eq!(get("resource"), Some("urn:r"));
    assert_eq!(get("scope"), Some("a b"));
    assert!(get("subject_token").unwrap().contains("sha256:"));
    assert_eq!(r["subject"]["sub"], "workload");
    assert_no_secret(&out, &[token, "super-secret-value-123"]);
}

#[test]
fn an_unreachable_token_endpoint_is_exit_3() {
    let s = Scratch::new();
    s.write("subject.jwt", "opaque-subject-token");
    let mut c = s.cmd();
    c.args([
        "exchange",
        "oauth",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--subject-token",
        "subject.jwt",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("cannot reach http://127.0.0.1:9/token"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Bad input: exit 2 and one line naming what is wrong.

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let s = Scratch::new();
    s.write("t.jwt", "opaque-token");
    let ep = ["--token-endpoint", "http://127.0.0.1:9/token"];
    let jwt =
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (ep.to_vec(), "give the subject token with --subject-token"),
        (
            [
                &ep[..],
                &["--subject-token", "t.jwt", "--subject-token-env", "X"],
            ]
            .concat(),
            "give only one of --subject-token, --subject-token-env and --from",
        ),
        (
            vec!["--subject-token", "t.jwt"],
            "give the token endpoint with --token-endpoint",
        ),
        (
            [&ep[..], &["--subject-token", jwt]].concat(),
            "tokens are not accepted on the command line",
        ),
        (
            [&ep[..], &["--subject-token", "missing.jwt"]].concat(),
            "cannot read token file missing.jwt",
        ),
        (
            [&ep[..], &["--subject-token-env", "NOPE"]].concat(),
            "environment variable NOPE is not set",
        ),
        (
            [
                &ep[..],
                &[
                    "--subject-token",
                    "t.jwt",
                    "--client-auth",
                    "client-secret-basic",
                    "--client-id",
                    "c",
                ],
            ]
            .concat(),
            "client_secret_basic/post need the secret",
        ),
        (
            [
                &ep[..],
                &["--subject-token", "t.jwt", "--client-secret-env", "HOME"],
            ]
            .concat(),
            "client_secret_basic needs --client-id",
        ),
        (
            [
                &ep[..],
                &[
                    "--subject-token",
                    "t.jwt",
                    "--client-id",
                    "c",
                    "--client-key",
                    "nokey.pem",
                ],
            ]
            .concat(),
            "--client-key:",
        ),
        (
            [
                &ep[..],
                &["--subject-token", "t.jwt", "--dry-run", "-f", "raw"],
            ]
            .concat(),
            "--dry-run sends nothing",
        ),
        (
            [&ep[..], &["--subject-token", "t.jwt", "-f", "csv"]].concat(),
            "format csv is not available",
        ),
        (
            [&ep[..], &["--subject-token", "t.jwt", "--reveal"]].concat(),
            "--reveal applies to -f json",
        ),
        (
            [
                &ep[..],
                &[
                    "--subject-token",
                    "t.jwt",
                    "--grant",
                    "jwt-bearer",
                    "--audience",
                    "a",
                ],
            ]
            .concat(),
            "with --grant jwt-bearer name the target with --resource",
        ),
        (
            vec![
                "--token-endpoint",
                "http://example.com/token",
                "--subject-token",
                "t.jwt",
            ],
            "uses plain http",
        ),
        (
            [&ep[..], &["--from", "kubernetes", "--source-file", "nope"]].concat(),
            "--from kubernetes (--source-file): cannot read token file nope",
        ),
        (
            [&ep[..], &["--from", "aws-web-identity"]].concat(),
            "--from aws-web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        ),
        (
            [&ep[..], &["--from", "github-actions"]].concat(),
            "ACTIONS_ID_TOKEN_REQUEST_URL is not set",
        ),
        (
            [&ep[..], &["--from", "gcp-metadata"]].concat(),
            "--from gcp-metadata needs --source-audience",
        ),
        (
            [&ep[..], &["--from", "azure", "--source-audience", "x"]].concat(),
            "--source-audience does not apply to --from azure",
        ),
    ];
    for (args, want) in cases {
        let mut c = s.cmd();
        c.args(["exchange", "oauth"]).args(&args);
        let (code, out, err) = run(c);
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains(want), "{args:?}: want {want:?} in {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(
            !err.contains("c2lnbmF0dXJl"),
            "{args:?}: token echoed: {err}"
        );
    }
}

// ---------------------------------------------------------------------------
// Subject-token sources, each in a fake environment (--dry-run: the request
// is built, nothing is sent).

fn dry_run_subject(s: &Scratch, env: &[(&str, &str)], args: &[&str]) -> Value {
    let mut c = s.cmd();
    c.envs(env.iter().copied()).args([
        "exchange",
        "oauth",
        "--token-endpoint",
        "http://127.0.0.1:9/token",
        "--dry-run",
        "-f",
        "json",
    ]);
    c.args(args);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{args:?}: {out}\n{err}");
    json_of(code, &out, &err)["subject"].clone()
}

fn unsigned(sub: &str) -> String {
    let b = |v: Value| {
        common::oidc::base64_std(v.to_string().as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    format!(
        "{}.{}.c2ln",
        b(json!({"alg": "ES256"})),
        b(json!({"sub": sub, "iss": "http://127.0.0.1:9"}))
    )
}

#[test]
fn file_sources_read_their_platform_variables() {
    let s = Scratch::new();
    let k8s = s.write("k8s/token", unsigned("system:serviceaccount:ns:sa"));
    let aws = s.write("aws/token", unsigned("aws-workload"));
    let az = s.write("az/token", unsigned("azure-workload"));
    let an = s.write("an/token", unsigned("anthropic-workload"));
    let p = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let cases = [
        (
            "kubernetes",
            "AGENTID_KUBERNETES_TOKEN_FILE",
            p(&k8s),
            "system:serviceaccount:ns:sa",
        ),
        (
            "aws-web-identity",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            p(&aws),
            "aws-workload",
        ),
        (
            "azure",
            "AZURE_FEDERATED_TOKEN_FILE",
            p(&az),
            "azure-workload",
        ),
        (
            "anthropic",
            "ANTHROPIC_IDENTITY_TOKEN_FILE",
            p(&an),
            "anthropic-workload",
        ),
    ];
    for (from, var, path, sub) in &cases {
        let subj = dry_run_subject(&s, &[(var, path.as_str())], &["--from", from]);
        assert_eq!(subj["sub"], *sub, "{from}");
        assert_eq!(subj["origin"], format!("{from} token {path}"), "{from}");
        // --source-file wins over the variable.
        let subj = dry_run_subject(
            &s,
            &[(var, "/nonexistent")],
            &["--from", from, "--source-file", &p(&k8s)],
        );
        assert_eq!(subj["sub"], "system:serviceaccount:ns:sa", "{from}");
    }
    let subj = dry_run_subject(
        &s,
        &[("SUBJ", &unsigned("from-env"))],
        &["--subject-token-env", "SUBJ"],
    );
    assert_eq!(subj["sub"], "from-env");
    assert_eq!(subj["origin"], "$SUBJ");
}

#[test]
fn github_actions_source_asks_for_the_audience_with_the_request_token() {
    let stub = Stub::start();
    let token = unsigned("repo:acme/app:ref:refs/heads/main");
    stub.json(
        "GET",
        "/idtoken",
        200,
        &json!({"count": 1, "value": token}).to_string(),
    );
    let s = Scratch::new();
    let url = format!("{}/idtoken?api-version=2.0", stub.url);
    let subj = dry_run_subject(
        &s,
        &[
            ("ACTIONS_ID_TOKEN_REQUEST_URL", &url),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "req-token-xyz"),
        ],
        &[
            "--from",
            "github-actions",
            "--source-audience",
            "sts.amazonaws.com",
        ],
    );
    assert_eq!(subj["sub"], "repo:acme/app:ref:refs/heads/main");
    let req = stub.only_request();
    assert_eq!(
        req.target,
        "/idtoken?api-version=2.0&audience=sts.amazonaws.com"
    );
    assert_eq!(req.header("authorization"), Some("Bearer req-token-xyz"));

    // The same through --source-endpoint, and a refusal is exit 3.
    stub.json(
        "GET",
        "/denied",
        403,
        r#"{"message":"no id-token permission"}"#,
    );
    let mut c = s.cmd();
    c.env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "req-token-xyz")
        .args([
            "exchange",
            "oauth",
            "--token-endpoint",
            "http://127.0.0.1:9/token",
            "--dry-run",
            "--from",
            "github-actions",
            "--source-endpoint",
            &format!("{}/denied", stub.url),
        ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("answered HTTP 403"), "{err}");
    assert!(!err.contains("req-token-xyz"), "{err}");
}

#[test]
fn gcp_metadata_source_sends_the_metadata_flavor_header() {
    let stub = Stub::start();
    let token = unsigned("1234567890");
    stub.route(
        "GET",
        "/computeMetadata/v1/instance/service-accounts/default/identity",
        200,
        "application/text",
        &token,
    );
    let s = Scratch::new();
    let host = stub.url.trim_start_matches("http://").to_owned();
    let subj = dry_run_subject(
        &s,
        &[("GCE_METADATA_HOST", &host)],
        &[
            "--from",
            "gcp-metadata",
            "--source-audience",
            "https://sts.example",
        ],
    );
    assert_eq!(subj["sub"], "1234567890");
    let req = stub.only_request();
    assert_eq!(
        req.target,
        "/computeMetadata/v1/instance/service-accounts/default/identity?audience=https%3A%2F%2Fsts.example&format=full"
    );
    assert_eq!(req.header("metadata-flavor"), Some("Google"));
}
