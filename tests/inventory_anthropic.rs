//! Recorded-response tests of the `anthropic` inventory source: no Anthropic
//! emulator exists, so an in-process server answers in the documented
//! formats, copied from the docs pages named above each fixture:
//! - <https://platform.claude.com/docs/en/api/admin/api_keys/list>
//! - <https://platform.claude.com/docs/en/api/admin/users/list>
//! - <https://platform.claude.com/docs/en/api/admin/workspaces/list>
//! - <https://platform.claude.com/docs/en/api/http/organization/service_accounts/list>
//! - <https://platform.claude.com/docs/en/manage-claude/wif-admin-api>
//!
//! `collect` is called through the library, as `inventory` calls it.

#[path = "common/scripted.rs"]
mod scripted;

use std::sync::Once;
use std::time::Instant;

use agentid::inventory::anthropic::collect;
use agentid::inventory::source::{SourceContext, SourceFailure};
use agentid::model::{CredentialState, Estate, Expiry, IdentityKind};
use agentid::registry::AdminKeySource;
use scripted::{Answer, Server, after_id_page};
use serde_json::{Value, json};

const ADMIN_KEY: &str = "sk-ant-admin01-TESTKEYtestkeyTESTKEYtestkeyTESTKEYtestkey-AAAA";
const OAUTH_TOKEN: &str = "sk-ant-oat01-TESTTOKENtesttokenTESTTOKENtesttokenTESTTOKEN";

/// Environment variables are set once, before any test reads the
/// environment (setting them while another thread reads is undefined).
fn env() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| unsafe {
        std::env::set_var("AGENTID_TEST_ANTHROPIC_ADMIN_KEY", ADMIN_KEY);
        std::env::set_var("AGENTID_TEST_ANTHROPIC_OAUTH", OAUTH_TOKEN);
        std::env::remove_var("AGENTID_TEST_ANTHROPIC_UNSET");
    });
}

fn settings(server: &Server, oauth: bool) -> AdminKeySource {
    env();
    AdminKeySource {
        name: Some("claude".into()),
        admin_key_env: "AGENTID_TEST_ANTHROPIC_ADMIN_KEY".into(),
        oauth_token_env: oauth.then(|| "AGENTID_TEST_ANTHROPIC_OAUTH".to_string()),
        endpoint: Some(server.url.clone()),
        ..AdminKeySource::default()
    }
}

fn run(settings: &AdminKeySource) -> (Result<Estate, SourceFailure>, u64) {
    let ctx = SourceContext::new("claude", "2026-11-01T00:00:00Z".parse().unwrap());
    let r = agentid::http::block_on(collect(settings, &ctx)).expect("runtime");
    (r, ctx.calls_made())
}

// Users, in the format of https://platform.claude.com/docs/en/api/admin/users/list
fn users() -> Vec<Value> {
    vec![
        json!({"id": "user_01alice", "added_at": "2024-10-30T23:58:27.427722Z",
               "email": "alice@acme.example", "name": "Alice", "role": "admin", "type": "user"}),
        json!({"id": "user_01carol", "added_at": "2025-02-01T10:00:00Z",
               "email": "carol@acme.example", "name": "Carol", "role": "developer", "type": "user"}),
    ]
}

// Workspaces, in the format of https://platform.claude.com/docs/en/api/admin/workspaces/list
fn workspaces() -> Vec<Value> {
    vec![
        json!({"id": "wrkspc_01prod", "name": "prod", "created_at": "2025-01-01T00:00:00Z",
                "archived_at": null, "display_color": "#6C5BB9", "type": "workspace"}),
    ]
}

// API keys, in the format of https://platform.claude.com/docs/en/api/admin/api_keys/list
// (seven keys, served three per page: three pages).
fn api_keys() -> Vec<Value> {
    let key = |id: &str, by: Value, status: &str, expires: Value| {
        json!({"id": id, "type": "api_key", "name": format!("{id} name"),
               "created_at": "2026-01-15T09:00:00Z", "created_by": by,
               "expires_at": expires, "partial_key_hint": "sk-ant-api03-R2D...igAA",
               "status": status, "workspace_id": "wrkspc_01prod"})
    };
    let user = |id: &str| json!({"id": id, "type": "user"});
    vec![
        key("apikey_01a", user("user_01alice"), "active", Value::Null),
        key(
            "apikey_01b",
            user("user_01alice"),
            "active",
            json!("2027-01-01T00:00:00Z"),
        ),
        key(
            "apikey_01c",
            user("user_01gone"),
            "active",
            json!("2027-01-01T00:00:00Z"),
        ),
        key(
            "apikey_01d",
            user("user_01carol"),
            "inactive",
            json!("2027-01-01T00:00:00Z"),
        ),
        key(
            "apikey_01e",
            user("user_01carol"),
            "active",
            json!("2026-10-01T00:00:00Z"),
        ),
        key("apikey_01f", Value::Null, "archived", Value::Null),
        key(
            "apikey_01g",
            user("user_01carol"),
            "active",
            json!("2027-06-01T00:00:00Z"),
        ),
    ]
}

// WIF objects, in the formats of https://platform.claude.com/docs/en/manage-claude/wif-admin-api
// and https://platform.claude.com/docs/en/api/http/organization/service_accounts/list
fn service_accounts() -> Value {
    json!({"data": [
        {"type": "service_account", "id": "svac_01ci", "name": "ci-deployer",
         "description": "GitHub Actions deploys", "organization_role": "developer",
         "created_at": "2026-03-01T00:00:00Z", "created_by_actor_id": "user_01alice",
         "updated_at": "2026-03-01T00:00:00Z", "updated_by_actor_id": null,
         "archived_at": null, "archived_by_actor_id": null}
    ], "next_page": null})
}

fn issuers() -> Value {
    json!({"data": [
        {"type": "federation_issuer", "id": "fdis_01gha", "name": "github-actions",
         "issuer_url": "https://token.actions.githubusercontent.com",
         "jwks": {"type": "discovery"}, "check_jti": false, "max_jwt_lifetime_seconds": 3600,
         "created_at": "2026-03-01T00:00:00Z", "updated_at": "2026-03-01T00:00:00Z",
         "archived_at": null}
    ], "next_page": null})
}

fn rule(id: &str, subject_prefix: &str) -> Value {
    json!({"type": "federation_rule", "id": id, "name": format!("{id}-rule"),
           "issuer_id": "fdis_01gha", "issuer_name": "github-actions",
           "match": {"subject_prefix": subject_prefix, "audience": null, "claims": null, "condition": null},
           "oauth_scope": "workspace:developer",
           "target": {"type": "service_account", "service_account_id": "svac_01ci",
                      "service_account_name": "ci-deployer"},
           "token_lifetime_seconds": 600, "applies_to_all_workspaces": false,
           "workspace_ids": ["wrkspc_01prod"], "workspace_id": null, "attributes": null,
           "created_at": "2026-03-01T00:00:00Z", "updated_at": "2026-03-01T00:00:00Z",
           "archived_at": null})
}

/// A server holding the whole organisation; `size` items per Admin API page.
fn organisation(size: usize) -> Server {
    let s = Server::start();
    s.on("/v1/organizations/users", move |r, _| {
        after_id_page(&users(), size, r, "after_id")
    });
    s.on("/v1/organizations/workspaces", move |r, _| {
        after_id_page(&workspaces(), size, r, "after_id")
    });
    s.on("/v1/organizations/api_keys", move |r, _| {
        after_id_page(&api_keys(), size, r, "after_id")
    });
    s.always(
        "/v1/organizations/service_accounts",
        Answer::json(200, service_accounts().to_string()),
    );
    s.always(
        "/v1/organizations/federation_issuers",
        Answer::json(200, issuers().to_string()),
    );
    // Rules over two pages of the WIF `page` / `next_page` cursor.
    s.on("/v1/organizations/federation_rules", |r, _| {
        let body = match r.param("page") {
            None => json!({"data": [rule("fdrl_01broad", "repo:*")], "next_page": "cursor-2"}),
            Some("cursor-2") => {
                json!({"data": [rule("fdrl_01pinned", "repo:acme/deploy:ref:refs/heads/main")], "next_page": null})
            }
            Some(_) => return Answer::json(400, "{}"),
        };
        Answer::json(200, body.to_string())
    });
    s
}

#[test]
fn reads_every_page_and_maps_the_organisation() {
    let server = organisation(3);
    let (estate, calls) = run(&settings(&server, true));
    let estate = estate.expect("collected");

    // Seven keys over three pages, each cursor taken from the previous last_id.
    let key_pages = server.requests_to("/v1/organizations/api_keys");
    assert_eq!(key_pages.len(), 3, "{key_pages:#?}");
    assert_eq!(key_pages[0].param("after_id"), None);
    assert_eq!(key_pages[1].param("after_id"), Some("apikey_01c"));
    assert_eq!(key_pages[2].param("after_id"), Some("apikey_01f"));
    let keys = estate
        .credentials
        .iter()
        .filter(|c| c.id.starts_with("apikey_"))
        .count();
    assert_eq!(keys, 7);
    // users 1 page, workspaces 1, keys 3, service accounts 1, issuers 1, rules 2.
    assert_eq!(calls, 9);
    assert_eq!(server.requests().len(), 9);

    // Which credential each call carried: the admin key on the Admin API,
    // the org:admin OAuth token on the federation endpoints.
    for r in server.requests() {
        assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
        if r.path.contains("federation") || r.path.contains("service_accounts") {
            assert_eq!(
                r.header("authorization"),
                Some(format!("Bearer {OAUTH_TOKEN}").as_str())
            );
            assert_eq!(r.header("x-api-key"), None);
        } else {
            assert_eq!(r.header("x-api-key"), Some(ADMIN_KEY));
            assert_eq!(r.header("authorization"), None);
        }
    }

    let ident = |id: &str| {
        estate
            .identities
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id} in {:#?}", estate.identities))
    };
    assert_eq!(
        ident("apikey_01a").owner.as_deref(),
        Some("alice@acme.example")
    );
    assert_eq!(ident("apikey_01a").tags["workspace"], "prod");
    assert_eq!(ident("apikey_01c").owner.as_deref(), Some("user_01gone"));
    assert_eq!(ident("apikey_01f").owner, None);
    assert_eq!(ident("svac_01ci").kind, IdentityKind::ServiceAccount);
    let cred = |id: &str| estate.credentials.iter().find(|c| c.id == id).unwrap();
    assert_eq!(cred("apikey_01a").expires, Expiry::Never);
    assert_eq!(cred("apikey_01d").state, CredentialState::Inactive);
    assert_eq!(cred("apikey_01f").state, CredentialState::Revoked);
    assert_eq!(
        cred("apikey_01a").hint.as_deref(),
        Some("sk-ant-api03-R2D...igAA")
    );
    assert_eq!(estate.users.len(), 2);

    // The broad rule on GitHub Actions has no subject condition left; the pinned one keeps its prefix.
    assert_eq!(estate.trusts.len(), 2);
    let broad = estate
        .trusts
        .iter()
        .find(|t| t.via.as_deref().unwrap().contains("fdrl_01broad"))
        .unwrap();
    assert!(broad.subjects.is_empty(), "{broad:?}");
    assert_eq!(broad.issuer, "https://token.actions.githubusercontent.com");
    assert_eq!(broad.identity, "svac_01ci");
    let pinned = estate
        .trusts
        .iter()
        .find(|t| t.via.as_deref().unwrap().contains("fdrl_01pinned"))
        .unwrap();
    assert_eq!(pinned.subjects, ["repo:acme/deploy:ref:refs/heads/main"]);

    // The snapshot never carries a secret.
    let text = serde_json::to_string(&estate).unwrap();
    assert!(!text.contains(ADMIN_KEY) && !text.contains(OAUTH_TOKEN));
}

#[test]
fn findings_over_the_collected_estate() {
    let server = organisation(1000);
    let (estate, _) = run(&settings(&server, true));
    let estate = estate.expect("collected");
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
    assert!(has("AID004", "apikey_01c"), "creator left the organisation");
    assert!(!has("AID004", "apikey_01a"));
    assert!(has("AID014", "apikey_01a"), "no expiry");
    assert!(has("AID015", "apikey_01e"), "expired but listed");
    assert!(has("AID021", "svac_01ci"), "repo:* on GitHub Actions");
    let broad_trusts = report
        .findings
        .iter()
        .filter(|f| f.rule == "AID021")
        .count();
    assert_eq!(
        broad_trusts, 1,
        "only the unpinned rule: {:#?}",
        report.findings
    );
}

#[test]
fn without_an_oauth_token_the_federation_endpoints_are_not_called() {
    let server = organisation(1000);
    let (estate, calls) = run(&settings(&server, false));
    let estate = estate.expect("collected");
    assert_eq!(calls, 3);
    assert!(estate.trusts.is_empty());
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.contains("federation"))
    );
}

#[test]
fn honours_retry_after_on_429_then_reads_on() {
    let server = organisation(1000);
    server.on("/v1/organizations/users", |r, n| {
        if n == 0 {
            Answer::json(
                429,
                r#"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"#,
            )
            .with_header("retry-after", "1")
        } else {
            after_id_page(&users(), 1000, r, "after_id")
        }
    });
    let started = Instant::now();
    let (estate, calls) = run(&settings(&server, false));
    let estate = estate.expect("collected after the 429");
    assert!(
        started.elapsed().as_millis() >= 950,
        "waited {:?}, less than Retry-After: 1",
        started.elapsed()
    );
    assert_eq!(server.requests_to("/v1/organizations/users").len(), 2);
    assert_eq!(calls, 4, "the retry counts as a call");
    assert_eq!(estate.users.len(), 2);
}

#[test]
fn retries_a_500_then_reads_on() {
    let server = organisation(1000);
    server.on("/v1/organizations/api_keys", |r, n| {
        if n == 0 {
            Answer::json(
                500,
                r#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#,
            )
        } else {
            after_id_page(&api_keys(), 1000, r, "after_id")
        }
    });
    let (estate, _) = run(&settings(&server, false));
    assert_eq!(
        estate.expect("collected after the 500").credentials.len(),
        7
    );
    assert_eq!(server.requests_to("/v1/organizations/api_keys").len(), 2);
}

#[test]
fn a_403_names_the_endpoint_and_the_credential_it_needs() {
    let server = organisation(1000);
    server.always(
        "/v1/organizations/federation_rules",
        Answer::json(
            403,
            r#"{"type":"error","error":{"type":"permission_error","message":"Your token lacks the org:admin scope"}}"#,
        ),
    );
    let (r, _) = run(&settings(&server, true));
    let f = r.expect_err("a 403 fails the source");
    assert_eq!(f.source, "claude");
    assert_eq!(f.endpoint, "GET /v1/organizations/federation_rules");
    assert!(
        f.cause.contains("permission denied") && f.cause.contains("403"),
        "{f}"
    );
    assert_eq!(
        f.permission.as_deref(),
        Some("an OAuth access token with the org:admin scope")
    );
    assert_no_secret(&f);

    let server = organisation(1000);
    server.always(
        "/v1/organizations/api_keys",
        Answer::json(
            403,
            r#"{"type":"error","error":{"type":"permission_error","message":"forbidden"}}"#,
        ),
    );
    let f = run(&settings(&server, false)).0.expect_err("403");
    assert_eq!(f.endpoint, "GET /v1/organizations/api_keys");
    assert!(
        f.permission.as_deref().unwrap().contains("Admin API key"),
        "{f}"
    );
    assert_no_secret(&f);
}

#[test]
fn malformed_json_names_the_source_and_the_endpoint() {
    let server = organisation(1000);
    server.always(
        "/v1/organizations/workspaces",
        Answer::json(200, r#"{"data": [{"id": "wrkspc_1", "name": "x"}"#),
    );
    let f = run(&settings(&server, false)).0.expect_err("malformed");
    assert_eq!(f.source, "claude");
    assert_eq!(f.endpoint, "GET /v1/organizations/workspaces");
    assert!(f.cause.contains("malformed response"), "{f}");
    assert_no_secret(&f);

    // Valid JSON that is not the documented shape fails the same way.
    let server = organisation(1000);
    server.always(
        "/v1/organizations/api_keys",
        Answer::json(200, r#"{"data": [{"id": "apikey_1"}], "has_more": false}"#),
    );
    let f = run(&settings(&server, false)).0.expect_err("wrong shape");
    assert_eq!(f.endpoint, "GET /v1/organizations/api_keys");
    assert!(f.cause.contains("malformed response"), "{f}");
}

#[test]
fn an_echoed_key_is_redacted_and_a_missing_variable_is_named() {
    let server = organisation(1000);
    server.always(
        "/v1/organizations/users",
        Answer::json(
            401,
            format!(r#"{{"type":"error","error":{{"type":"authentication_error"}},"message":"invalid x-api-key {ADMIN_KEY}"}}"#),
        ),
    );
    let f = run(&settings(&server, false)).0.expect_err("401");
    assert!(f.cause.contains("refused"), "{f}");
    assert_no_secret(&f);

    let mut s = settings(&server, false);
    s.admin_key_env = "AGENTID_TEST_ANTHROPIC_UNSET".into();
    let f = run(&s).0.expect_err("no key");
    assert!(f.endpoint.contains("AGENTID_TEST_ANTHROPIC_UNSET"), "{f}");
    assert!(f.cause.contains("not set"), "{f}");
}

fn assert_no_secret(f: &SourceFailure) {
    let text = format!("{f} {f:?}");
    assert!(!text.contains(ADMIN_KEY), "{text}");
    assert!(!text.contains(OAUTH_TOKEN), "{text}");
    assert!(!text.contains("TESTKEYtestkey"), "{text}");
}

/// The whole command: `agentid inventory` reads the registry's
/// `sources.anthropic`, collects from the server, and judges the estate;
/// the admin key reaches the server but no output.
#[test]
fn the_inventory_command_reads_the_anthropic_source() {
    let server = organisation(2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agentid.yaml"),
        format!(
            "version: 1\nsources:\n  anthropic:\n    - name: claude\n      admin_key_env: ANTHROPIC_ADMIN_KEY\n      oauth_token_env: ANTHROPIC_OAUTH\n      endpoint: {}\n",
            server.url
        ),
    )
    .unwrap();
    let run_inventory = |admin_key: Option<&str>, oauth: Option<&str>| {
        let mut c = assert_cmd::Command::cargo_bin("agentid").unwrap();
        c.current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .args([
                "inventory",
                "--as-of",
                "2026-11-01T00:00:00Z",
                "-f",
                "json",
                "--fail-on",
                "never",
                "-vv",
            ]);
        if let Some(k) = admin_key {
            c.env("ANTHROPIC_ADMIN_KEY", k);
        }
        if let Some(t) = oauth {
            c.env("ANTHROPIC_OAUTH", t);
        }
        let out = c.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run_inventory(Some(ADMIN_KEY), Some(OAUTH_TOKEN));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(ADMIN_KEY) && !err.contains(ADMIN_KEY));
    assert!(!out.contains(OAUTH_TOKEN) && !err.contains(OAUTH_TOKEN));
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["source_errors"].as_array().map_or(0, Vec::len), 0);
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["subject"]["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        rules
            .iter()
            .any(|(r, id)| *r == "AID004" && id.contains("apikey_01c")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|(r, id)| *r == "AID021" && id.contains("svac_01ci")),
        "{rules:?}"
    );

    // Without the OAuth token the registry names, the source is not read:
    // a source error naming the variable, and exit 3.
    let (code, out, err) = run_inventory(Some(ADMIN_KEY), None);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains("ANTHROPIC_OAUTH is not set"), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["source_errors"][0]["source"], "claude");
}
