//! Recorded-response tests of the `openai` inventory source: no OpenAI
//! emulator exists, so an in-process server answers in the documented
//! formats, copied from the docs pages named above each fixture:
//! - <https://developers.openai.com/api/reference/resources/organization/subresources/admin_api_keys/methods/list>
//! - <https://developers.openai.com/api/reference/resources/organization/subresources/users/methods/list>
//! - <https://developers.openai.com/api/reference/resources/organization/subresources/projects/methods/list>
//! - <https://developers.openai.com/api/reference/resources/organization/subresources/projects/subresources/service_accounts/methods/list>
//! - <https://developers.openai.com/api/reference/resources/organization/subresources/projects/subresources/api_keys/methods/list>
//!
//! `collect` is called through the library, as `inventory` calls it.

#[path = "common/scripted.rs"]
mod scripted;

use std::sync::Once;
use std::time::Instant;

use agentid::inventory::openai::collect;
use agentid::inventory::source::{SourceContext, SourceFailure};
use agentid::model::{Activity, CredentialKind, CredentialState, Estate, Expiry, IdentityKind};
use agentid::registry::AdminKeySource;
use scripted::{Answer, Server, after_id_page};
use serde_json::{Value, json};

const ADMIN_KEY: &str = "sk-admin-TESTKEYtestkeyTESTKEYtestkeyTESTKEYtestkeyTESTKEY";

fn env() {
    static ONCE: Once = Once::new();
    // Set once, before any test reads the environment.
    ONCE.call_once(|| unsafe {
        std::env::set_var("AGENTID_TEST_OPENAI_ADMIN_KEY", ADMIN_KEY);
    });
}

fn settings(server: &Server) -> AdminKeySource {
    env();
    AdminKeySource {
        name: Some("oai".into()),
        admin_key_env: "AGENTID_TEST_OPENAI_ADMIN_KEY".into(),
        endpoint: Some(server.url.clone()),
        ..AdminKeySource::default()
    }
}

fn run(settings: &AdminKeySource) -> (Result<Estate, SourceFailure>, u64) {
    let ctx = SourceContext::new("oai", "2026-11-01T00:00:00Z".parse().unwrap());
    let r = agentid::http::block_on(collect(settings, &ctx)).expect("runtime");
    (r, ctx.calls_made())
}

const JAN: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const OCT30: i64 = 1_793_318_400; // 2026-10-30T00:00:00Z
const OCT1: i64 = 1_790_812_800; // 2026-10-01T00:00:00Z
const JUN2027: i64 = 1_811_808_000; // 2027-06-01T00:00:00Z

// Users, in the format of .../organization/subresources/users/methods/list
fn users() -> Vec<Value> {
    vec![
        json!({"object": "organization.user", "id": "user_alice", "name": "Alice",
               "email": "alice@acme.example", "role": "owner", "added_at": JAN}),
        json!({"object": "organization.user", "id": "user_carol", "name": "Carol",
               "email": "carol@acme.example", "role": "reader", "added_at": JAN}),
    ]
}

// Admin keys, in the format of .../organization/subresources/admin_api_keys/methods/list
fn admin_keys() -> Vec<Value> {
    vec![
        json!({"object": "organization.admin_api_key", "id": "key_admin1",
                "name": "Terraform", "redacted_value": "sk-admin...xyz",
                "created_at": JAN, "last_used_at": OCT30, "expires_at": null,
                "owner": {"type": "user", "object": "organization.user", "id": "user_alice",
                          "name": "Alice", "created_at": JAN, "role": "owner"}}),
    ]
}

// Projects, in the format of .../organization/subresources/projects/methods/list
fn projects() -> Vec<Value> {
    ["proj_a", "proj_b", "proj_c"]
        .iter()
        .map(|id| {
            json!({"id": id, "object": "organization.project", "name": format!("{id} name"),
                   "created_at": JAN, "archived_at": null, "status": "active"})
        })
        .collect()
}

// Project service accounts, in the format of .../projects/subresources/service_accounts/methods/list
fn service_accounts() -> Vec<Value> {
    vec![
        json!({"object": "organization.project.service_account", "id": "svc_acct_bot",
                "name": "deploy-bot", "role": "member", "created_at": JAN}),
    ]
}

// Project API keys, in the format of .../projects/subresources/api_keys/methods/list
fn project_keys() -> Vec<Value> {
    let user = |id: &str, email: &str| {
        json!({"type": "user", "user": {"object": "organization.project.user", "id": id,
               "name": "x", "email": email, "role": "member", "added_at": JAN}})
    };
    let key = |id: &str, owner: Value, last: Value, expires: Value, access: &str| {
        json!({"object": "organization.project.api_key", "id": id, "name": format!("{id} name"),
               "redacted_value": "sk-proj-abc...def", "created_at": JAN, "last_used_at": last,
               "expires_at": expires, "owner": owner, "owner_project_access": access})
    };
    vec![
        key(
            "key_never",
            user("user_alice", "alice@acme.example"),
            Value::Null,
            json!(JUN2027),
            "active",
        ),
        key(
            "key_expired",
            user("user_carol", "carol@acme.example"),
            json!(OCT30),
            json!(OCT1),
            "active",
        ),
        key(
            "key_orphan",
            user("user_dave", "dave@acme.example"),
            json!(OCT30),
            json!(JUN2027),
            "inactive",
        ),
        key(
            "key_bot",
            json!({"type": "service_account", "service_account": service_accounts()[0]}),
            json!(OCT30),
            Value::Null,
            "active",
        ),
        key(
            "key_old",
            user("user_alice", "alice@acme.example"),
            json!(JAN),
            json!(JUN2027),
            "active",
        ),
    ]
}

/// The organisation, `size` items per page; project `proj_b` holds the keys.
fn organisation(size: usize) -> Server {
    let s = Server::start();
    s.on("/v1/organization/users", move |r, _| {
        after_id_page(&users(), size, r, "after")
    });
    s.on("/v1/organization/admin_api_keys", move |r, _| {
        after_id_page(&admin_keys(), size, r, "after")
    });
    s.on("/v1/organization/projects", move |r, _| {
        after_id_page(&projects(), size, r, "after")
    });
    for p in ["proj_a", "proj_b", "proj_c"] {
        let with_keys = p == "proj_b";
        s.on(
            &format!("/v1/organization/projects/{p}/service_accounts"),
            move |r, _| {
                let items = if with_keys {
                    service_accounts()
                } else {
                    vec![]
                };
                after_id_page(&items, size, r, "after")
            },
        );
        s.on(
            &format!("/v1/organization/projects/{p}/api_keys"),
            move |r, _| {
                let items = if with_keys { project_keys() } else { vec![] };
                after_id_page(&items, size, r, "after")
            },
        );
    }
    s
}

#[test]
fn reads_every_page_and_maps_the_organisation() {
    let server = organisation(2);
    let (estate, calls) = run(&settings(&server));
    let estate = estate.expect("collected");

    // Five keys, two per page: three pages, each after the previous last_id.
    let pages = server.requests_to("/v1/organization/projects/proj_b/api_keys");
    assert_eq!(pages.len(), 3, "{pages:#?}");
    assert_eq!(pages[0].param("after"), None);
    assert_eq!(pages[1].param("after"), Some("key_expired"));
    assert_eq!(pages[2].param("after"), Some("key_bot"));
    assert!(
        pages
            .iter()
            .all(|r| r.param("owner_project_access") == Some("any"))
    );
    // Projects over two pages too.
    assert_eq!(server.requests_to("/v1/organization/projects").len(), 2);
    assert_eq!(calls as usize, server.requests().len());
    for r in server.requests() {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {ADMIN_KEY}").as_str())
        );
    }

    let cred = |id: &str| {
        estate
            .credentials
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(cred("key_admin1").kind, CredentialKind::AdminKey);
    assert!(cred("key_admin1").admin);
    assert_eq!(cred("key_admin1").expires, Expiry::Never);
    assert_eq!(cred("key_never").last_used, Activity::Never);
    assert_eq!(cred("key_expired").state, CredentialState::Expired);
    assert_eq!(cred("key_bot").identity, "svc_acct_bot");
    assert_eq!(cred("key_old").hint.as_deref(), Some("sk-proj-abc...def"));
    let ident = |id: &str| estate.identities.iter().find(|i| i.id == id).unwrap();
    assert_eq!(ident("svc_acct_bot").kind, IdentityKind::ServiceAccount);
    assert_eq!(ident("svc_acct_bot").tags["project"], "proj_b name");
    assert_eq!(ident("key_orphan").owner_active, Some(false));
    assert_eq!(
        ident("key_admin1").owner.as_deref(),
        Some("alice@acme.example")
    );
    assert_eq!(estate.users.len(), 2);
    let text = serde_json::to_string(&estate).unwrap();
    assert!(!text.contains(ADMIN_KEY));
}

#[test]
fn findings_over_the_collected_estate() {
    let server = organisation(100);
    let estate = run(&settings(&server)).0.expect("collected");
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
            .any(|f| f.rule == rule && f.subject.id == id)
    };
    assert!(has("AID012", "key_never"), "never used");
    assert!(has("AID011", "key_old"), "unused since January");
    assert!(has("AID015", "key_expired"), "expired but listed");
    assert!(
        has("AID004", "key_orphan"),
        "owner_project_access: inactive"
    );
    assert!(!has("AID004", "key_never"));
    assert!(has("AID022", "key_admin1"), "admin key without expiry");
    assert!(has("AID014", "key_bot"), "no expiry");
}

#[test]
fn honours_retry_after_on_429_then_reads_on() {
    let server = organisation(100);
    server.on("/v1/organization/projects", |r, n| {
        if n == 0 {
            Answer::json(
                429,
                r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
            )
            .with_header("retry-after", "1")
        } else {
            after_id_page(&projects(), 100, r, "after")
        }
    });
    let started = Instant::now();
    let estate = run(&settings(&server)).0.expect("collected after the 429");
    assert!(
        started.elapsed().as_millis() >= 950,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_to("/v1/organization/projects").len(), 2);
    assert!(estate.credentials.iter().any(|c| c.id == "key_bot"));
}

#[test]
fn retries_a_500_then_reads_on() {
    let server = organisation(100);
    server.on("/v1/organization/projects/proj_b/api_keys", |r, n| {
        if n == 0 {
            Answer::json(
                500,
                r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
            )
        } else {
            after_id_page(&project_keys(), 100, r, "after")
        }
    });
    let estate = run(&settings(&server)).0.expect("collected after the 500");
    assert_eq!(
        server
            .requests_to("/v1/organization/projects/proj_b/api_keys")
            .len(),
        2
    );
    assert_eq!(estate.credentials.len(), 6);
}

#[test]
fn a_403_names_the_endpoint_and_the_permission() {
    let server = organisation(100);
    server.always(
        "/v1/organization/admin_api_keys",
        Answer::json(
            403,
            r#"{"error":{"message":"You have insufficient permissions for this operation.","type":"invalid_request_error"}}"#,
        ),
    );
    let f = run(&settings(&server)).0.expect_err("403");
    assert_eq!(f.source, "oai");
    assert_eq!(f.endpoint, "GET /v1/organization/admin_api_keys");
    assert!(
        f.cause.contains("permission denied") && f.cause.contains("403"),
        "{f}"
    );
    assert!(
        f.permission.as_deref().unwrap().contains("Admin API key"),
        "{f}"
    );
    assert_no_secret(&f);
}

#[test]
fn malformed_json_names_the_source_and_the_endpoint() {
    let server = organisation(100);
    server.always(
        "/v1/organization/projects/proj_c/service_accounts",
        Answer::json(200, "<html>bad gateway</html>"),
    );
    let f = run(&settings(&server)).0.expect_err("malformed");
    assert_eq!(f.source, "oai");
    assert_eq!(
        f.endpoint,
        "GET /v1/organization/projects/proj_c/service_accounts"
    );
    assert!(f.cause.contains("malformed response"), "{f}");
    assert_no_secret(&f);
}

#[test]
fn an_echoed_key_is_redacted() {
    let server = organisation(100);
    server.always(
        "/v1/organization/users",
        Answer::json(
            401,
            format!(r#"{{"error":{{"message":"Incorrect API key provided: {ADMIN_KEY}","type":"invalid_request_error"}},"message":"Incorrect API key provided: {ADMIN_KEY}"}}"#),
        ),
    );
    let f = run(&settings(&server)).0.expect_err("401");
    assert!(f.cause.contains("refused"), "{f}");
    assert_no_secret(&f);
}

fn assert_no_secret(f: &SourceFailure) {
    let text = format!("{f} {f:?}");
    assert!(!text.contains(ADMIN_KEY), "{text}");
    assert!(!text.contains("TESTKEYtestkey"), "{text}");
}
