//! Recorded-response tests of the `entra` inventory source: no Microsoft
//! Graph emulator exists, so an in-process server answers in the documented
//! formats, copied from the docs pages named above each fixture:
//! - <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>
//! - <https://learn.microsoft.com/graph/api/application-list>
//! - <https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials>
//! - <https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta>
//!
//! `collect` is called through the library, as `inventory` calls it.

mod common;
#[path = "common/scripted.rs"]
mod scripted;

use std::sync::Once;
use std::time::Instant;

use agentid::inventory::entra::collect;
use agentid::inventory::source::{SourceContext, SourceFailure};
use agentid::model::{Activity, CredentialKind, Estate, Expiry};
use agentid::registry::EntraSource;
use scripted::{Answer, Server};
use serde_json::{Value, json};

const SECRET: &str = "Zx8Q~TESTSECRETtestsecretTESTSECRETtestsec";
const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJncmFwaCJ9.TESTACCESSTOKENsignature";
const TENANT: &str = "00000000-0000-0000-0000-0000000000aa";

fn env() {
    static ONCE: Once = Once::new();
    // Set once, before any test reads the environment.
    ONCE.call_once(|| unsafe {
        std::env::set_var("AGENTID_TEST_ENTRA_SECRET", SECRET);
    });
}

fn settings(server: &Server) -> EntraSource {
    env();
    EntraSource {
        name: Some("tenant".into()),
        tenant: TENANT.into(),
        client_secret_env: Some("AGENTID_TEST_ENTRA_SECRET".into()),
        client_id: Some("11111111-1111-1111-1111-111111111111".into()),
        endpoint: Some(server.url.clone()),
        ..EntraSource::default()
    }
}

fn run(settings: &EntraSource) -> (Result<Estate, SourceFailure>, u64) {
    let ctx = SourceContext::new("tenant", "2026-11-01T00:00:00Z".parse().unwrap());
    let r = agentid::http::block_on(collect(settings, &ctx)).expect("runtime");
    (r, ctx.calls_made())
}

fn token_path() -> String {
    format!("/{TENANT}/oauth2/v2.0/token")
}

// Applications, in the format of https://learn.microsoft.com/graph/api/application-list
// (with passwordCredentials/keyCredentials as in resources/passwordcredential and keycredential,
// and owners expanded).
fn app(n: u32) -> Value {
    json!({
        "id": format!("obj-{n}"), "appId": format!("app-{n}"), "displayName": format!("agent {n}"),
        "createdDateTime": "2025-06-01T00:00:00Z",
        "passwordCredentials": [{
            "customKeyIdentifier": null, "displayName": "ci", "hint": "Zx8",
            "keyId": format!("secret-{n}"), "secretText": null,
            "startDateTime": "2026-01-01T00:00:00Z",
            "endDateTime": if n == 1 { Value::Null } else { json!("2027-06-01T00:00:00Z") }
        }],
        "keyCredentials": [],
        "owners": [{"@odata.type": "#microsoft.graph.user", "id": format!("user-{n}"),
                    "userPrincipalName": format!("owner{n}@acme.example")}]
    })
}

fn sp(app_id: &str, name: &str, kind: &str, owner_tenant: &str, enabled: bool) -> Value {
    json!({
        "id": format!("sp-{app_id}"), "appId": app_id, "displayName": name,
        "servicePrincipalType": kind, "accountEnabled": enabled,
        "appOwnerOrganizationId": owner_tenant,
        "passwordCredentials": [], "keyCredentials": [], "owners": []
    })
}

fn service_principals(page: u32) -> Value {
    match page {
        1 => {
            let mut own = sp("app-1", "agent 1", "Application", TENANT, true);
            own["keyCredentials"] = json!([{
                "customKeyIdentifier": "AB12", "displayName": "CN=agent1", "keyId": "sp-cert-1",
                "type": "AsymmetricX509Cert", "usage": "Verify", "key": null,
                "startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z"
            }]);
            json!([
                own,
                sp(
                    "00000003-0000-0000-c000-000000000000",
                    "Microsoft Graph",
                    "Application",
                    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
                    true
                )
            ])
        }
        2 => {
            let mut mi = sp("mi-1", "vm-agent", "ManagedIdentity", TENANT, true);
            mi["keyCredentials"] = json!([{
                "displayName": "CN=mi", "keyId": "mi-cert", "type": "AsymmetricX509Cert",
                "usage": "Verify", "startDateTime": "2026-09-01T00:00:00Z",
                "endDateTime": "2026-11-20T00:00:00Z"
            }]);
            json!([sp("app-2", "agent 2", "Application", TENANT, false), mi])
        }
        _ => {
            let mut ext = sp(
                "ext-1",
                "vendor bot",
                "Application",
                "99999999-9999-9999-9999-999999999999",
                true,
            );
            ext["passwordCredentials"] = json!([{
                "displayName": "vendor", "hint": "Vnd", "keyId": "ext-secret",
                "startDateTime": "2026-02-01T00:00:00Z", "endDateTime": null
            }]);
            ext["owners"] = json!([{"@odata.type": "#microsoft.graph.user", "id": "user-9",
                                    "userPrincipalName": "vendor-admin@acme.example"}]);
            json!([ext])
        }
    }
}

/// Three apps, one per page, linked by @odata.nextLink.
fn organisation() -> Server {
    let s = Server::start();
    s.always(
        &token_path(),
        Answer::json(
            200,
            json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": TOKEN})
                .to_string(),
        ),
    );
    let base = s.url.clone();
    s.on("/v1.0/applications", move |r, _| {
        let n: u32 = r.param("$skiptoken").map_or(1, |t| t.parse().unwrap_or(9));
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications",
            "value": [app(n)]
        });
        if n < 3 {
            body["@odata.nextLink"] =
                json!(format!("{base}/v1.0/applications?$skiptoken={}", n + 1));
        }
        Answer::json(200, body.to_string())
    });
    // Service principals, as in serviceprincipal-list (resources/serviceprincipal),
    // owners expanded, three pages:
    // 1. app-1's own (same appId: merged into the app, adds a certificate) and
    //    Microsoft Graph's (a Microsoft first-party service: left out);
    // 2. app-2's own, disabled; a managed identity with an Azure-managed certificate;
    // 3. an app registered in another tenant, with a secret without end date.
    let base = s.url.clone();
    s.on("/v1.0/servicePrincipals", move |r, _| {
        let n: u32 = r.param("$skiptoken").map_or(1, |t| t.parse().unwrap_or(9));
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",
            "value": service_principals(n)
        });
        if n < 3 {
            body["@odata.nextLink"] = json!(format!(
                "{base}/v1.0/servicePrincipals?$skiptoken={}",
                n + 1
            ));
        }
        Answer::json(200, body.to_string())
    });
    // Federated identity credentials, as in application-list-federatedidentitycredentials.
    for n in 1..=3 {
        let subject = if n == 2 {
            Value::Null
        } else {
            json!(format!("repo:acme/agent{n}:ref:refs/heads/main"))
        };
        s.always(
            &format!("/v1.0/applications/obj-{n}/federatedIdentityCredentials"),
            Answer::json(
                200,
                json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications('obj')/federatedIdentityCredentials",
                       "value": [{"id": format!("fic-{n}"), "name": format!("gha-{n}"),
                                  "issuer": "https://token.actions.githubusercontent.com",
                                  "subject": subject, "description": null,
                                  "audiences": ["api://AzureADTokenExchange"]}]})
                .to_string(),
            ),
        );
    }
    // Sign-in activity, as in reportroot-list-serviceprincipalsigninactivities (beta).
    s.always(
        "/beta/reports/servicePrincipalSignInActivities",
        Answer::json(
            200,
            json!({"value": [{"id": "x", "appId": "app-3",
                              "lastSignInActivity": {"lastSignInDateTime": "2026-10-30T00:00:00Z",
                                                     "lastSignInRequestId": "r"}}]})
            .to_string(),
        ),
    );
    s
}

#[test]
fn reads_every_page_and_maps_the_tenant() {
    let server = organisation();
    let (estate, calls) = run(&settings(&server));
    let estate = estate.expect("collected");
    let pages = server.requests_to("/v1.0/applications");
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].param("$skiptoken"), Some("3"));
    let sp_pages = server.requests_to("/v1.0/servicePrincipals");
    assert_eq!(sp_pages.len(), 3);
    assert_eq!(sp_pages[2].param("$skiptoken"), Some("3"));
    assert!(
        sp_pages[0]
            .param("$select")
            .is_some_and(|s| s.contains("servicePrincipalType") && s.contains("accountEnabled")),
        "{:?}",
        sp_pages[0].param("$select")
    );
    assert_eq!(sp_pages[0].param("$expand"), Some("owners"));
    // token + 3 app pages + 3 service principal pages + 3 FIC lists + sign-in activity
    assert_eq!(calls, 11);
    let token = &server.requests_to(&token_path())[0];
    assert_eq!(token.method, "POST");
    for r in server.requests().iter().filter(|r| r.method == "GET") {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    // app-1..3, the managed identity and the other tenant's app; app-1's and
    // app-2's service principals are the apps themselves, Graph is left out.
    assert_eq!(estate.identities.len(), 5, "{:?}", estate.identities);
    let ident = |id: &str| estate.identities.iter().find(|i| i.id == id).unwrap();
    assert_eq!(
        estate.identities.iter().filter(|i| i.id == "app-1").count(),
        1,
        "an app and its service principal are one identity"
    );
    assert!(
        !estate
            .identities
            .iter()
            .any(|i| i.name == "Microsoft Graph")
    );
    assert!(ident("app-2").disabled, "its service principal is disabled");
    assert!(!ident("app-1").disabled);
    assert_eq!(ident("app-1").tags["service_principal_id"], "sp-app-1");
    let mi = ident("mi-1");
    assert_eq!(mi.kind.as_str(), "managed_identity");
    let ext = ident("ext-1");
    assert_eq!(ext.kind.as_str(), "service_principal");
    assert_eq!(ext.owner.as_deref(), Some("vendor-admin@acme.example"));
    assert_eq!(
        ext.tags["app_owner_organization_id"],
        "99999999-9999-9999-9999-999999999999"
    );
    assert_eq!(ident("app-1").owner.as_deref(), Some("owner1@acme.example"));
    assert_eq!(ident("app-1").last_activity, Activity::Never);
    assert!(matches!(ident("app-3").last_activity, Activity::At(_)));
    let cred = |id: &str| {
        estate
            .credentials
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} in {:?}", estate.credentials))
    };
    assert_eq!(cred("secret-1").expires, Expiry::Never);
    assert_eq!(cred("secret-1").kind, CredentialKind::ClientSecret);
    assert_eq!(cred("secret-1").hint.as_deref(), Some("Zx8…"));
    assert_eq!(
        cred("sp-cert-1").identity,
        "app-1",
        "the SP's certificate is the app's"
    );
    assert_eq!(cred("sp-cert-1").kind, CredentialKind::ClientCertificate);
    assert_eq!(cred("ext-secret").identity, "ext-1");
    assert_eq!(cred("ext-secret").expires, Expiry::Never);
    assert!(
        !estate.credentials.iter().any(|c| c.id == "mi-cert"),
        "Azure issues and rotates a managed identity's certificate: not audited"
    );
    assert_eq!(estate.trusts.len(), 3);
    let no_subject = estate
        .trusts
        .iter()
        .find(|t| t.identity == "app-2")
        .unwrap();
    assert!(no_subject.subjects.is_empty());
    let text = serde_json::to_string(&estate).unwrap();
    assert!(!text.contains(SECRET) && !text.contains(TOKEN));
}

#[test]
fn findings_over_the_collected_tenant() {
    let server = organisation();
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
            .any(|f| f.rule == rule && f.subject.id.contains(id))
    };
    assert!(
        has("AID014", "secret-1"),
        "client secret without an end date"
    );
    assert!(
        has("AID021", "app-2"),
        "federated credential without a subject"
    );
    assert!(!has("AID021", "app-1"));
    assert!(has("AID013", "app-1"), "never signed in");
    assert!(!has("AID013", "app-3"));
    assert!(
        has("AID014", "ext-secret"),
        "a service principal's secret without end date"
    );
    assert!(
        has("AID002", "ext-1"),
        "another tenant's app in ours, declared by no agent"
    );
    assert!(
        !has("AID015", "mi-cert"),
        "Azure-managed certificate: not judged for expiry"
    );
    assert!(
        has("AID002", "mi-1"),
        "a managed identity no agent declares"
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.subject.id.contains("00000003-0000-0000-c000"))
    );
}

#[test]
fn sign_in_activity_refused_leaves_activity_unknown() {
    let server = organisation();
    server.always(
        "/beta/reports/servicePrincipalSignInActivities",
        Answer::json(
            403,
            r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license"}}"#,
        ),
    );
    let estate = run(&settings(&server))
        .0
        .expect("collected without activity");
    assert!(
        estate
            .identities
            .iter()
            .all(|i| i.last_activity == Activity::Unknown)
    );
}

#[test]
fn honours_retry_after_and_retries_a_500() {
    let server = organisation();
    server.on("/v1.0/applications", |_, n| {
        if n == 0 {
            return Answer::json(
                429,
                r#"{"error":{"code":"TooManyRequests","message":"Too many requests"}}"#,
            )
            .with_header("retry-after", "1");
        }
        Answer::json(200, json!({"value": [app(1)]}).to_string())
    });
    server.on(
        "/v1.0/applications/obj-1/federatedIdentityCredentials",
        |_, n| {
            if n == 0 {
                Answer::json(
                    500,
                    r#"{"error":{"code":"generalException","message":"General exception"}}"#,
                )
            } else {
                Answer::json(200, r#"{"value": []}"#)
            }
        },
    );
    let started = Instant::now();
    let estate = run(&settings(&server)).0.expect("collected");
    assert!(
        started.elapsed().as_millis() >= 950,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_to("/v1.0/applications").len(), 2);
    assert_eq!(
        server
            .requests_to("/v1.0/applications/obj-1/federatedIdentityCredentials")
            .len(),
        2
    );
    // app-1 (with its service principal), app-2's service principal (its
    // app is not listed here), the managed identity and ext-1.
    assert_eq!(estate.identities.len(), 4);
}

#[test]
fn a_403_names_the_endpoint_and_the_permission() {
    let server = organisation();
    server.always(
        "/v1.0/applications",
        Answer::json(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
        ),
    );
    let f = run(&settings(&server)).0.expect_err("403");
    assert_eq!(f.source, "tenant");
    assert_eq!(f.endpoint, "GET /v1.0/applications");
    assert!(f.cause.contains("permission denied"), "{f}");
    assert_eq!(
        f.permission.as_deref(),
        Some("Microsoft Graph application permission Application.Read.All")
    );
    assert_no_secret(&f);
}

#[test]
fn malformed_json_names_the_source_and_the_endpoint() {
    let server = organisation();
    server.always(
        "/v1.0/applications/obj-2/federatedIdentityCredentials",
        Answer::json(200, r#"{"value": [{"name": "x"}"#),
    );
    let f = run(&settings(&server)).0.expect_err("malformed");
    assert_eq!(
        f.endpoint,
        "GET /v1.0/applications/obj-2/federatedIdentityCredentials"
    );
    assert!(f.cause.contains("malformed response"), "{f}");
    assert_no_secret(&f);
}

#[test]
fn a_refused_sign_in_never_shows_the_secret() {
    let server = organisation();
    server.always(
        &token_path(),
        Answer::json(
            401,
            format!(r#"{{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: {SECRET}"}}"#),
        ),
    );
    let f = run(&settings(&server)).0.expect_err("401");
    assert!(f.endpoint.starts_with("POST /"), "{f}");
    assert!(f.cause.contains("AADSTS7000215"), "{f}");
    assert_no_secret(&f);
}

fn assert_no_secret(f: &SourceFailure) {
    let text = format!("{f} {f:?}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("TESTSECRETtestsecret"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

/// Sign-in with a federated token (AKS workload identity, a CI OIDC token)
/// instead of a secret: the token file's content goes out as an RFC 7523
/// client assertion, as the Microsoft identity platform documents for
/// client credentials with a federated credential.
#[test]
fn a_federated_token_file_signs_in_without_a_secret() {
    let server = organisation();
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("azure-identity-token");
    let assertion =
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YWdlbnRzOmF1ZGl0In0.c2ln";
    std::fs::write(&token_file, format!("{assertion}\n")).unwrap();
    let settings = EntraSource {
        client_secret_env: None,
        federated_token_file: Some(token_file.to_str().unwrap().into()),
        ..settings(&server)
    };
    let (estate, _) = run(&settings);
    assert_eq!(estate.expect("collected").identities.len(), 5);
    let sign_in = &server.requests_to(&token_path())[0];
    assert_eq!(sign_in.field("client_assertion"), Some(assertion));
    assert_eq!(
        sign_in.field("client_assertion_type"),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    assert_eq!(sign_in.field("grant_type"), Some("client_credentials"));
    assert_eq!(sign_in.field("client_secret"), None);

    // A missing file is a source failure naming it, never a panic.
    let missing = EntraSource {
        federated_token_file: Some(dir.path().join("nope").to_str().unwrap().into()),
        ..settings.clone()
    };
    let (r, _) = run(&missing);
    let f = r.expect_err("no token file");
    assert!(f.endpoint.contains("federated_token_file"), "{f}");
    assert!(f.cause.contains("cannot read it"), "{f}");
}

// --- certificate credentials ---------------------------------------------------

const CLIENT_ID: &str = "11111111-1111-1111-1111-111111111111";

fn key_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn b64url_decode(part: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url")
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn certificate_settings(
    server: &Server,
    cert: &std::path::Path,
    key: Option<&std::path::Path>,
) -> EntraSource {
    EntraSource {
        client_secret_env: None,
        client_certificate_file: Some(cert.to_str().unwrap().into()),
        client_key_file: key.map(|k| k.to_str().unwrap().into()),
        ..settings(server)
    }
}

/// Checks the client assertion of the sign-in the way Entra does: the
/// signature with the certificate's public key (real RSA-PSS), the
/// thumbprints of the certificate in the header, and the claims the
/// certificate-credentials page lists.
fn assert_certificate_assertion(server: &Server) {
    let sign_in = &server.requests_to(&token_path())[0];
    assert_eq!(sign_in.field("grant_type"), Some("client_credentials"));
    assert_eq!(sign_in.field("client_id"), Some(CLIENT_ID));
    assert_eq!(sign_in.field("client_secret"), None);
    assert_eq!(
        sign_in.field("client_assertion_type"),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    let assertion = sign_in.field("client_assertion").expect("client_assertion");
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3, "{assertion}");
    let header: Value = serde_json::from_slice(&b64url_decode(parts[0])).unwrap();
    let claims: Value = serde_json::from_slice(&b64url_decode(parts[1])).unwrap();

    // The certificate's DER, hashed here independently of agentid.
    let pem = pem::parse(std::fs::read(key_fixture("rsa2048.crt")).unwrap()).unwrap();
    let der = pem.contents();
    let sha256 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let sha1 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
    assert_eq!(header["alg"], "PS256", "{header}");
    assert_eq!(header["typ"], "JWT", "{header}");
    assert_eq!(header["x5t#S256"], b64url(sha256.as_ref()), "{header}");
    assert_eq!(header["x5t"], b64url(sha1.as_ref()), "{header}");

    assert_eq!(claims["aud"], format!("{}{}", server.url, token_path()));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert!(
        claims["jti"].as_str().is_some_and(|j| j.len() == 36),
        "{claims}"
    );
    let now = jiff::Timestamp::now().as_second();
    let (nbf, exp) = (
        claims["nbf"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!(nbf <= now && now < exp, "{claims}");
    assert!(exp - nbf <= 600, "at most 10 minutes: {claims}");

    // The signature, with the public key of the certificate.
    let keys = agentid::token::keys::load_key_file(&key_fixture("rsa2048.crt")).unwrap();
    let agentid::token::keys::Lookup::Found(key) = keys.find(None, "PS256") else {
        panic!("the certificate's key")
    };
    let alg = agentid::token::keys::alg_allowed(key, "PS256").unwrap();
    let input = format!("{}.{}", parts[0], parts[1]);
    assert!(agentid::token::keys::verify_signature(
        key,
        alg,
        input.as_bytes(),
        &b64url_decode(parts[2])
    ));
    let mut forged = b64url_decode(parts[2]);
    forged[0] ^= 1;
    assert!(!agentid::token::keys::verify_signature(
        key,
        alg,
        input.as_bytes(),
        &forged
    ));
}

#[test]
fn a_certificate_with_its_key_in_the_same_pem_signs_in() {
    let server = organisation();
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("app.pem");
    let mut text = std::fs::read(key_fixture("rsa2048.pem")).unwrap();
    text.extend(std::fs::read(key_fixture("rsa2048.crt")).unwrap());
    std::fs::write(&both, text).unwrap();
    let (estate, calls) = run(&certificate_settings(&server, &both, None));
    assert_eq!(estate.expect("collected").identities.len(), 5);
    assert_eq!(calls, 11, "the same calls as with a secret");
    assert_certificate_assertion(&server);
}

#[test]
fn a_certificate_with_a_separate_key_file_signs_in() {
    let server = organisation();
    let settings = certificate_settings(
        &server,
        &key_fixture("rsa2048.crt"),
        Some(&key_fixture("rsa2048.pem")),
    );
    let (estate, _) = run(&settings);
    assert_eq!(estate.expect("collected").identities.len(), 5);
    assert_certificate_assertion(&server);
}

#[test]
fn bad_certificate_inputs_fail_before_any_request_naming_the_field() {
    let server = organisation();
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "hello, not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    let cases: Vec<(EntraSource, &str, &str)> = vec![
        (
            certificate_settings(&server, &missing, None),
            "client_certificate_file",
            "cannot read it",
        ),
        (
            certificate_settings(&server, &not_pem, None),
            "client_certificate_file",
            "not a PEM file",
        ),
        (
            // A certificate alone: no private key to sign with.
            certificate_settings(&server, &key_fixture("rsa2048.crt"), None),
            "client_certificate_file",
            "no private key",
        ),
        (
            certificate_settings(&server, &key_fixture("rsa2048.pem"), None),
            "client_certificate_file",
            "no CERTIFICATE block",
        ),
        (
            certificate_settings(
                &server,
                &key_fixture("rsa2048.crt"),
                Some(&key_fixture("ec256.pem")),
            ),
            "client_key_file",
            "does not match the certificate",
        ),
        (
            certificate_settings(&server, &key_fixture("rsa2048.crt"), Some(&missing)),
            "client_key_file",
            "cannot read it",
        ),
        (
            EntraSource {
                client_secret_env: Some("AGENTID_TEST_ENTRA_SECRET".into()),
                ..certificate_settings(&server, &key_fixture("rsa2048.crt"), None)
            },
            "sources.entra",
            "client_secret_env, client_certificate_file are all set",
        ),
    ];
    for (settings, field, cause) in cases {
        let (r, calls) = run(&settings);
        let f = r.expect_err(cause);
        assert!(f.endpoint.contains(field), "{field}: {f}");
        assert!(f.cause.contains(cause), "{cause}: {f}");
        assert!(!f.to_string().contains('\n'), "one line: {f}");
        assert_eq!(calls, 0, "{f}");
    }
    assert!(server.requests().is_empty());
}

/// Through the binary: a certificate that cannot be loaded is a source that
/// could not be read (exit 3, one `error:` line naming the field and file,
/// as a missing federated token file or secret variable is); two ways to
/// sign in is an invalid registry (exit 2, naming the field and line).
#[test]
fn the_binary_reports_certificate_problems_with_the_documented_exit_codes() {
    let server = organisation();
    let s = common::Scratch::new();
    let registry = |extra: &str| {
        format!(
            "version: 1\nsources:\n  entra:\n    - name: corp\n      tenant: {TENANT}\n      client_id: {CLIENT_ID}\n      endpoint: {}\n{extra}",
            server.url
        )
    };
    s.write(
        "agentid.yaml",
        registry("      client_certificate_file: missing.pem\n"),
    );
    let mut c = s.cmd();
    c.args(["inventory", "-f", "json"]);
    let (code, out, err) = common::run(c);
    assert_eq!(code, 3, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("client_certificate_file missing.pem"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.starts_with("error:") && line.contains("cannot read it"),
        "{line}"
    );
    let v: Value = serde_json::from_str(&out).expect("json report");
    assert_eq!(v["source_errors"][0]["source"], "corp", "{v}");

    s.write(
        "agentid.yaml",
        registry(
            "      client_secret_env: AGENTID_TEST_ENTRA_SECRET\n      client_certificate_file: app.pem\n",
        ),
    );
    let mut c = s.cmd();
    c.args(["inventory"]);
    let (code, _, err) = common::run(c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sources.entra[0].client_certificate_file")
            && err.contains("client_secret_env and client_certificate_file are both set"),
        "{err}"
    );
    assert!(server.requests().is_empty(), "nothing sent");
}

#[test]
fn service_principals_honour_retry_after_and_name_the_permission_on_403() {
    let server = organisation();
    let base = server.url.clone();
    server.on("/v1.0/servicePrincipals", move |r, n| {
        if n == 0 {
            return Answer::json(
                429,
                r#"{"error":{"code":"TooManyRequests","message":"Too many requests"}}"#,
            )
            .with_header("retry-after", "1");
        }
        let page: u32 = r.param("$skiptoken").map_or(1, |t| t.parse().unwrap_or(9));
        let mut body = json!({"value": service_principals(page)});
        if page < 3 {
            body["@odata.nextLink"] = json!(format!(
                "{base}/v1.0/servicePrincipals?$skiptoken={}",
                page + 1
            ));
        }
        Answer::json(200, body.to_string())
    });
    let started = Instant::now();
    let (estate, calls) = run(&settings(&server));
    assert!(
        started.elapsed().as_millis() >= 950,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(estate.expect("collected").identities.len(), 5);
    assert_eq!(server.requests_to("/v1.0/servicePrincipals").len(), 4);
    assert_eq!(calls, 12, "the throttled request counted too");

    let server = organisation();
    server.always(
        "/v1.0/servicePrincipals",
        Answer::json(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
        ),
    );
    let f = run(&settings(&server)).0.expect_err("403");
    assert_eq!(f.endpoint, "GET /v1.0/servicePrincipals");
    assert!(f.cause.contains("permission denied"), "{f}");
    assert_eq!(
        f.permission.as_deref(),
        Some("Microsoft Graph application permission Application.Read.All")
    );
    assert_no_secret(&f);
}
