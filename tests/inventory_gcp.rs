//! Recorded-response tests of the `gcp` inventory source: no IAM emulator
//! exists, so an in-process server answers in the documented formats,
//! copied from the docs pages named above each fixture:
//! - <https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list>
//! - <https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/list>
//! - <https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/list>
//! - <https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/list>
//! - <https://cloud.google.com/resource-manager/reference/rest/v1/projects/getIamPolicy>
//!
//! Credentials come from an `authorized_user` ADC file named by
//! GOOGLE_APPLICATION_CREDENTIALS, whose `token_uri` is a shared token server.

#[path = "common/scripted.rs"]
mod scripted;

use std::sync::OnceLock;
use std::time::Instant;

use agentid::inventory::gcp::collect;
use agentid::inventory::source::{SourceContext, SourceFailure};
use agentid::model::{CredentialState, Estate, Expiry, Managed};
use agentid::registry::GcpSource;
use scripted::{Answer, Server};
use serde_json::json;

const REFRESH: &str = "1//TESTREFRESHtestrefreshTESTREFRESHtestrefresh";
const TOKEN: &str = "ya29.TESTACCESStestaccessTESTACCESS";
const PROJECT: &str = "acme-prod";

/// The token server and the ADC file, made once, before any test reads the environment.
fn adc() -> &'static Server {
    static TOKEN_SERVER: OnceLock<(Server, tempfile::TempDir)> = OnceLock::new();
    &TOKEN_SERVER
        .get_or_init(|| {
            let s = Server::start();
            s.always(
                "/token",
                Answer::json(
                    200,
                    json!({"access_token": TOKEN, "expires_in": 3599, "token_type": "Bearer",
                           "scope": "https://www.googleapis.com/auth/cloud-platform"})
                    .to_string(),
                ),
            );
            let dir = tempfile::tempdir().expect("tempdir");
            let file = dir.path().join("adc.json");
            std::fs::write(
                &file,
                json!({"type": "authorized_user", "client_id": "764086051850-x.apps.googleusercontent.com",
                       "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "refresh_token": REFRESH,
                       "token_uri": format!("{}/token", s.url)})
                .to_string(),
            )
            .expect("write ADC");
            unsafe { std::env::set_var("GOOGLE_APPLICATION_CREDENTIALS", &file) };
            (s, dir)
        })
        .0
}

fn run(server: &Server) -> (Result<Estate, SourceFailure>, u64) {
    adc();
    let settings = GcpSource {
        name: Some("gcp".into()),
        project: PROJECT.into(),
        endpoint: Some(server.url.clone()),
        ..GcpSource::default()
    };
    let ctx = SourceContext::new("gcp", "2026-11-01T00:00:00Z".parse().unwrap());
    let r = agentid::http::block_on(collect(&settings, &ctx)).expect("runtime");
    (r, ctx.calls_made())
}

fn sa(n: u32) -> serde_json::Value {
    json!({"name": format!("projects/{PROJECT}/serviceAccounts/agent{n}@{PROJECT}.iam.gserviceaccount.com"),
           "projectId": PROJECT, "uniqueId": format!("10000000000000000000{n}"),
           "email": format!("agent{n}@{PROJECT}.iam.gserviceaccount.com"),
           "displayName": format!("agent {n}"), "etag": "BwUr", "oauth2ClientId": "1",
           "disabled": false})
}

fn project() -> Server {
    let s = Server::start();
    let sas = format!("/v1/projects/{PROJECT}/serviceAccounts");
    // Three service accounts, one per page, linked by nextPageToken.
    s.on(&sas, |r, _| {
        let n: u32 = r.param("pageToken").map_or(1, |t| t.parse().unwrap_or(9));
        let mut body = json!({"accounts": [sa(n)]});
        if n < 3 {
            body["nextPageToken"] = json!((n + 1).to_string());
        }
        Answer::json(200, body.to_string())
    });
    for n in 1..=3 {
        let keys = match n {
            // A user-managed key made without an expiry, and Google's own key.
            1 => json!({"keys": [
                {"name": format!("projects/{PROJECT}/serviceAccounts/agent1@x/keys/k1user"),
                 "validAfterTime": "2026-01-01T00:00:00Z", "validBeforeTime": "9999-12-31T23:59:59Z",
                 "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "USER_MANAGED"},
                {"name": format!("projects/{PROJECT}/serviceAccounts/agent1@x/keys/k1sys"),
                 "validAfterTime": "2026-10-20T00:00:00Z", "validBeforeTime": "2026-11-05T00:00:00Z",
                 "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "SYSTEM_MANAGED"}]}),
            2 => json!({"keys": [
                {"name": format!("projects/{PROJECT}/serviceAccounts/agent2@x/keys/k2old"),
                 "validAfterTime": "2025-01-01T00:00:00Z", "validBeforeTime": "2026-10-01T00:00:00Z",
                 "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "USER_PROVIDED", "keyType": "USER_MANAGED",
                 "disabled": false}]}),
            _ => json!({}),
        };
        s.always(
            &format!("{sas}/agent{n}@{PROJECT}.iam.gserviceaccount.com/keys"),
            Answer::json(200, keys.to_string()),
        );
    }
    let pools = format!("/v1/projects/{PROJECT}/locations/global/workloadIdentityPools");
    let pool = "projects/123/locations/global/workloadIdentityPools/github".to_string();
    s.always(
        &pools,
        Answer::json(
            200,
            json!({"workloadIdentityPools": [{"name": pool, "displayName": "GitHub", "state": "ACTIVE", "disabled": false}]})
                .to_string(),
        ),
    );
    s.always(
        &format!("/v1/{pool}/providers"),
        Answer::json(
            200,
            json!({"workloadIdentityPoolProviders": [
                {"name": format!("{pool}/providers/open"), "displayName": "open", "state": "ACTIVE",
                 "disabled": false, "attributeMapping": {"google.subject": "assertion.sub"},
                 "oidc": {"issuerUri": "https://token.actions.githubusercontent.com", "allowedAudiences": []}},
                {"name": format!("{pool}/providers/pinned"), "displayName": "pinned", "state": "ACTIVE",
                 "disabled": false, "attributeMapping": {"google.subject": "assertion.sub"},
                 "attributeCondition": "assertion.repository_owner == 'acme'",
                 "oidc": {"issuerUri": "https://token.actions.githubusercontent.com"}}]})
            .to_string(),
        ),
    );
    s.always(
        &format!("/v1/projects/{PROJECT}:getIamPolicy"),
        Answer::json(
            200,
            json!({"version": 1, "etag": "BwW", "bindings": [
                {"role": "roles/owner", "members": [format!("serviceAccount:agent3@{PROJECT}.iam.gserviceaccount.com"), "user:alice@acme.example"]},
                {"role": "roles/logging.logWriter", "members": [format!("serviceAccount:agent1@{PROJECT}.iam.gserviceaccount.com")]}]})
            .to_string(),
        ),
    );
    s
}

#[test]
fn reads_every_page_and_maps_the_project() {
    let server = project();
    let (estate, calls) = run(&server);
    let estate = estate.expect("collected");
    let pages = server.requests_to(&format!("/v1/projects/{PROJECT}/serviceAccounts"));
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[1].param("pageToken"), Some("2"));
    // token + 3 pages + 3 key lists + pools + providers + policy
    assert_eq!(calls, 10);
    for r in server.requests() {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    let cred = |id: &str| estate.credentials.iter().find(|c| c.id == id).unwrap();
    assert_eq!(cred("k1user").expires, Expiry::Never);
    assert_eq!(cred("k1user").managed, Managed::User);
    assert_eq!(cred("k1sys").managed, Managed::Provider);
    assert_eq!(cred("k2old").state, CredentialState::Expired);
    assert_eq!(estate.trusts.len(), 2);
    let text = serde_json::to_string(&estate).unwrap();
    assert!(!text.contains(TOKEN) && !text.contains(REFRESH));
}

#[test]
fn findings_over_the_collected_project() {
    let server = project();
    let estate = run(&server).0.expect("collected");
    let report = agentid::inventory::evaluate::evaluate(
        &agentid::registry::Registry::default(),
        None,
        &estate,
        &Default::default(),
        &agentid::inventory::Options {
            as_of: "2026-11-01T00:00:00Z".parse().unwrap(),
            fail_on: agentid::registry::FailOn::Never,
            agent: None,
            rules: None,
        },
    );
    let has = |rule: &str, id: &str| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.subject.id.contains(id))
    };
    assert!(has("AID018", "k1user"), "user-managed key");
    assert!(!has("AID018", "k1sys"), "Google's own key");
    assert!(has("AID021", "providers/open"), "no attributeCondition");
    assert!(!has("AID021", "providers/pinned"));
    assert!(has("AID020", "agent3@"), "roles/owner");
    assert!(!has("AID020", "agent1@"));
}

#[test]
fn honours_retry_after_and_retries_a_500() {
    let server = project();
    server.on(&format!("/v1/projects/{PROJECT}/locations/global/workloadIdentityPools"), |_, n| {
        if n == 0 {
            Answer::json(429, r#"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"#)
                .with_header("retry-after", "1")
        } else {
            Answer::json(200, "{}")
        }
    });
    let keys = format!(
        "/v1/projects/{PROJECT}/serviceAccounts/agent3@{PROJECT}.iam.gserviceaccount.com/keys"
    );
    server.on(&keys, |_, n| {
        if n == 0 {
            Answer::json(
                500,
                r#"{"error":{"code":500,"message":"Internal error","status":"INTERNAL"}}"#,
            )
        } else {
            Answer::json(200, "{}")
        }
    });
    let started = Instant::now();
    let estate = run(&server).0.expect("collected");
    assert!(
        started.elapsed().as_millis() >= 950,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_to(&keys).len(), 2);
    assert!(estate.trusts.is_empty());
}

#[test]
fn a_403_names_the_endpoint_and_the_permission() {
    let server = project();
    server.always(
        &format!("/v1/projects/{PROJECT}:getIamPolicy"),
        Answer::json(
            403,
            r#"{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}"#,
        ),
    );
    let f = run(&server).0.expect_err("403");
    assert_eq!(f.source, "gcp");
    assert_eq!(
        f.endpoint,
        format!("POST /v1/projects/{PROJECT}:getIamPolicy")
    );
    assert!(f.cause.contains("permission denied"), "{f}");
    assert!(
        f.permission.as_deref().unwrap().contains("getIamPolicy"),
        "{f}"
    );
    assert_no_secret(&f);
}

#[test]
fn malformed_json_names_the_source_and_the_endpoint() {
    let server = project();
    server.always(
        &format!(
            "/v1/projects/{PROJECT}/serviceAccounts/agent2@{PROJECT}.iam.gserviceaccount.com/keys"
        ),
        Answer::json(200, r#"{"keys": [{"validAfterTime": 7}]}"#),
    );
    let f = run(&server).0.expect_err("malformed");
    assert_eq!(f.source, "gcp");
    assert!(
        f.endpoint
            .ends_with("agent2@acme-prod.iam.gserviceaccount.com/keys"),
        "{f}"
    );
    assert!(f.cause.contains("malformed response"), "{f}");
    assert_no_secret(&f);
}

fn assert_no_secret(f: &SourceFailure) {
    let text = format!("{f} {f:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains(REFRESH), "{text}");
}

/// `agentid inventory` with workload identity federation ADC
/// (`type: external_account`, as `gcloud iam workload-identity-pools
/// create-cred-config` writes it): the subject token from its file goes to
/// Google STS, and the federated token reads the project. No key file.
#[test]
fn external_account_adc_reads_the_project_through_sts() {
    const FEDERATED: &str = "ya29.d.FEDERATEDstsTOKENfederatedSTStoken";
    let server = project();
    server.always(
        "/v1/token",
        Answer::json(
            200,
            json!({"access_token": FEDERATED, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                   "token_type": "Bearer", "expires_in": 3599})
            .to_string(),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let subject =
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXVkaXQ6YWdlbnRpZCJ9.c2ln";
    std::fs::write(dir.path().join("token"), subject).unwrap();
    let audience = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/k8s/providers/prod";
    std::fs::write(
        dir.path().join("wif.json"),
        json!({
            "type": "external_account",
            "audience": audience,
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": format!("{}/v1/token", server.url),
            "credential_source": {"file": dir.path().join("token"), "format": {"type": "text"}}
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("agentid.yaml"),
        format!(
            "version: 1\nsources:\n  gcp:\n    - name: gcp\n      project: {PROJECT}\n      endpoint: {}\n",
            server.url
        ),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("agentid")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env(
            "GOOGLE_APPLICATION_CREDENTIALS",
            dir.path().join("wif.json"),
        )
        .args([
            "inventory",
            "--as-of",
            "2026-11-01T00:00:00Z",
            "-f",
            "json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stdout.contains(FEDERATED) && !stderr.contains(subject));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report["agents"].as_array().is_some_and(|a| !a.is_empty()),
        "the project's service accounts were read: {report}"
    );
    let sts = &server.requests_to("/v1/token")[0];
    assert_eq!(sts.method, "POST");
    assert_eq!(sts.field("subject_token"), Some(subject));
    assert_eq!(sts.field("audience"), Some(audience));
    let reads: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .collect();
    assert!(!reads.is_empty());
    for r in reads {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {FEDERATED}").as_str())
        );
    }
}
