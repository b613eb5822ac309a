//! The `entra` source: one Microsoft Entra ID tenant, read through Microsoft
//! Graph with an app's client credentials: a client secret, a federated
//! token, or a certificate (a client assertion signed with its key, see
//! [`crate::exchange::entra::CertificateCredential`]).
//!
//! Request and response formats, as documented (read 2026-11):
//! - token: client credentials grant,
//!   <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>
//!   (`POST {authority}/{tenant}/oauth2/v2.0/token`, `client_id`,
//!   `client_secret`, `scope=https://graph.microsoft.com/.default`).
//! - applications: <https://learn.microsoft.com/graph/api/application-list>
//!   (`GET /v1.0/applications`, `$select`, `$expand=owners`, `$top` ≤ 999;
//!   `passwordCredentials` per
//!   <https://learn.microsoft.com/graph/api/resources/passwordcredential>:
//!   `keyId`, `displayName`, `hint`, `startDateTime`, `endDateTime`;
//!   `keyCredentials` per
//!   <https://learn.microsoft.com/graph/api/resources/keycredential>).
//! - service principals: <https://learn.microsoft.com/graph/api/serviceprincipal-list>
//!   (`GET /v1.0/servicePrincipals`, fields per
//!   <https://learn.microsoft.com/graph/api/resources/serviceprincipal>:
//!   `appId`, `displayName`, `servicePrincipalType`, `accountEnabled`,
//!   `appOwnerOrganizationId`, `passwordCredentials`, `keyCredentials`;
//!   owners per serviceprincipal-list-owners, expanded). A service principal
//!   with the appId of an application read here is that application's
//!   identity, not a second one.
//! - federated identity credentials:
//!   <https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials>
//!   (`GET /v1.0/applications/{id}/federatedIdentityCredentials`: `name`,
//!   `issuer`, `subject`, `audiences`).
//! - sign-in activity (beta):
//!   <https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta>
//!   (`GET /beta/reports/servicePrincipalSignInActivities`: `appId`,
//!   `lastSignInActivity.lastSignInDateTime`), needs AuditLog.Read.All; when
//!   it is refused (403: permission or licence), activity stays unknown and
//!   a warning says so.
//! - every collection answers `{value, @odata.nextLink}`; the next link is
//!   followed only when it points at the same Graph endpoint.
//!
//! Permissions (application, admin-consented): Application.Read.All, and
//! AuditLog.Read.All for sign-in activity.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::source::{SourceContext, SourceFailure};
use crate::http::{Auth, Http, HttpOptions};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Expiry, Identity, IdentityKind,
    Managed, Provider, SourceInfo, Trust,
};
use crate::registry::EntraSource;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
pub const DEFAULT_GRAPH: &str = "https://graph.microsoft.com";
const BODY_LIMIT: usize = 16 * 1024 * 1024;
const MAX_PAGES: usize = 100_000;
const PARALLEL_APPS: usize = 8;
const READ_APPS: &str = "Microsoft Graph application permission Application.Read.All";
const READ_AUDIT: &str = "Microsoft Graph application permission AuditLog.Read.All";

/// Reads the tenant's app registrations and service principals.
pub async fn collect(settings: &EntraSource, ctx: &SourceContext) -> Result<Estate, SourceFailure> {
    let fail = |endpoint: String, cause: String, permission: Option<&str>| SourceFailure {
        source: ctx.name.clone(),
        endpoint,
        cause,
        permission: permission.map(str::to_string),
    };
    let Some(client_id) = settings.client_id.clone().filter(|c| !c.is_empty()) else {
        return Err(fail(
            "sources.entra client_id".into(),
            "no client_id: name the app registration agentid signs in as".into(),
            None,
        ));
    };
    let (authority, graph) = match &settings.endpoint {
        // One endpoint stands for both (local test servers, proxies).
        Some(e) => (
            e.trim_end_matches('/').to_string(),
            e.trim_end_matches('/').to_string(),
        ),
        None => (DEFAULT_AUTHORITY.to_string(), DEFAULT_GRAPH.to_string()),
    };
    let token_path = format!("/{}/oauth2/v2.0/token", settings.tenant);
    let token_url = format!("{authority}{token_path}");
    // How the app proves itself: exactly one of a client secret, a
    // federated token (an RFC 7523 client assertion made elsewhere) or a
    // certificate (an assertion agentid signs with the certificate's key).
    let kind = credential_kind(settings).map_err(|why| fail("sources.entra".into(), why, None))?;
    let (secret, credential_field) = match kind {
        SignIn::FederatedToken(path) => {
            let token = std::fs::read_to_string(path)
                .map(|t| t.trim().to_string())
                .map_err(|e| {
                    fail(
                        format!("federated_token_file {path}"),
                        format!("cannot read it: {e}"),
                        None,
                    )
                })?;
            if token.is_empty() {
                return Err(fail(
                    format!("federated_token_file {path}"),
                    "the file is empty".into(),
                    None,
                ));
            }
            (token, "client_assertion")
        }
        SignIn::Certificate { cert, key } => {
            let credential =
                load_certificate(cert, key).map_err(|(field, cause)| fail(field, cause, None))?;
            let assertion = credential
                .assertion(&client_id, &token_url, Timestamp::now())
                .map_err(|e| {
                    fail(
                        format!("client_certificate_file {cert}"),
                        e.to_string(),
                        None,
                    )
                })?;
            tracing::info!(source = %ctx.name, x5t_s256 = credential.thumbprint_s256(), "signed a client assertion with the certificate");
            (assertion, "client_assertion")
        }
        SignIn::Secret(var) => {
            let Some(secret) = std::env::var(var)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
            else {
                return Err(fail(
                    format!("environment variable {var} (client_secret_env)"),
                    format!("{var} is not set or empty"),
                    None,
                ));
            };
            (secret, "client_secret")
        }
    };
    let mut credential = vec![(credential_field, secret.as_str())];
    if credential_field == "client_assertion" {
        credential.push((
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ));
    }
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(30),
        read_timeout: Duration::from_secs(20),
        attempts: 4,
        max_retry_after: Duration::from_secs(60),
        ..HttpOptions::default()
    })
    .map_err(|e| fail("HTTP client".into(), e.to_string(), None))?
    .count_calls_into(ctx.calls.clone());

    // The token.
    tracing::info!(source = %ctx.name, "POST {token_path}");
    let r = http
        .post_form(
            &token_url,
            &[
                &[
                    ("client_id", client_id.as_str()),
                    ("scope", &format!("{graph}/.default")),
                    ("grant_type", "client_credentials"),
                ][..],
                &credential[..],
            ]
            .concat(),
            None,
            crate::http::DEFAULT_BODY_LIMIT,
        )
        .await
        .map_err(|e| {
            fail(
                format!("POST {token_path}"),
                scrub(e.to_string(), &secret),
                None,
            )
        })?;
    #[derive(Deserialize)]
    struct TokenAnswer {
        access_token: String,
    }
    if !r.is_success() {
        let detail = scrub(crate::http::status_error(&r).to_string(), &secret);
        return Err(fail(
            format!("POST {token_path}"),
            format!("sign-in refused ({detail})"),
            Some(match kind {
                SignIn::FederatedToken(_) => {
                    "a federated identity credential on the app registration client_id names that matches the token's issuer, subject and audience"
                }
                SignIn::Certificate { .. } => {
                    "the certificate uploaded to the app registration client_id names (Certificates & secrets), not expired"
                }
                SignIn::Secret(_) => {
                    "a valid client secret of the app registration client_id names"
                }
            }),
        ));
    }
    let token = serde_json::from_slice::<TokenAnswer>(&r.body)
        .map_err(|e| {
            fail(
                format!("POST {token_path}"),
                format!("malformed token response: {e}"),
                None,
            )
        })?
        .access_token;

    let api = Arc::new(Graph {
        http,
        base: graph,
        source: ctx.name.clone(),
        token,
        secret,
    });
    let apps: Vec<Application> = api
        .list(
            "/v1.0/applications",
            "$select=id,appId,displayName,createdDateTime,passwordCredentials,keyCredentials&$expand=owners&$top=999",
            READ_APPS,
        )
        .await?;

    let sps: Vec<ServicePrincipal> = api
        .list(
            "/v1.0/servicePrincipals",
            "$select=id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,passwordCredentials,keyCredentials&$expand=owners&$top=999",
            READ_APPS,
        )
        .await?;

    let mut fics: HashMap<String, Vec<FederatedCredential>> = HashMap::new();
    for batch in apps.chunks(PARALLEL_APPS) {
        let mut set = tokio::task::JoinSet::new();
        for app in batch {
            let api = api.clone();
            let id = app.id.clone();
            set.spawn(async move {
                let path = format!("/v1.0/applications/{id}/federatedIdentityCredentials");
                let r: Result<Vec<FederatedCredential>, _> = api.list(&path, "", READ_APPS).await;
                (id, r)
            });
        }
        while let Some(joined) = set.join_next().await {
            let (id, r) = joined.map_err(|e| {
                fail(
                    "GET /v1.0/applications/{id}/federatedIdentityCredentials".into(),
                    format!("the task reading an application failed: {e}"),
                    None,
                )
            })?;
            fics.insert(id, r?);
        }
    }

    let activity: HashMap<String, Timestamp> = match api
        .list::<SignInActivity>(
            "/beta/reports/servicePrincipalSignInActivities",
            "",
            READ_AUDIT,
        )
        .await
    {
        Ok(list) => list
            .into_iter()
            .filter_map(|a| Some((a.app_id, a.last_sign_in_activity?.last_sign_in_date_time?)))
            .collect(),
        Err(f) if f.permission.is_some() => {
            tracing::warn!(source = %ctx.name, "sign-in activity not read, dormancy unknown: {f}");
            HashMap::new()
        }
        Err(f) => return Err(f),
    };

    Ok(to_estate(
        ctx,
        &settings.tenant,
        &apps,
        &sps,
        &fics,
        &activity,
    ))
}

/// The one way the registry says the app signs in.
#[derive(Debug, Clone, Copy)]
enum SignIn<'a> {
    Secret(&'a str),
    FederatedToken(&'a str),
    Certificate { cert: &'a str, key: Option<&'a str> },
}

fn credential_kind(settings: &EntraSource) -> Result<SignIn<'_>, String> {
    let mut kinds = Vec::new();
    if let Some(v) = &settings.client_secret_env {
        kinds.push(("client_secret_env", SignIn::Secret(v)));
    }
    if let Some(p) = &settings.federated_token_file {
        kinds.push(("federated_token_file", SignIn::FederatedToken(p)));
    }
    if let Some(p) = &settings.client_certificate_file {
        kinds.push((
            "client_certificate_file",
            SignIn::Certificate {
                cert: p,
                key: settings.client_key_file.as_deref(),
            },
        ));
    }
    match kinds.as_slice() {
        [(_, k)] => Ok(*k),
        [] => Err("no sign-in credential: name one of client_secret_env, federated_token_file or client_certificate_file".into()),
        several => Err(format!(
            "{} are all set: name exactly one way to sign in",
            several.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The certificate credential, or `(field and file, cause)`.
fn load_certificate(
    cert: &str,
    key: Option<&str>,
) -> Result<crate::exchange::entra::CertificateCredential, (String, String)> {
    use crate::exchange::entra::{CertificateCredential, CertificateError};
    let read = |field: &str, path: &str| {
        std::fs::read(path).map_err(|e| (format!("{field} {path}"), format!("cannot read it: {e}")))
    };
    let cert_pem = read("client_certificate_file", cert)?;
    let key_pem = key.map(|k| read("client_key_file", k)).transpose()?;
    CertificateCredential::from_pem(&cert_pem, key_pem.as_deref()).map_err(|e| match e {
        CertificateError::Key(why) => (format!("client_key_file {}", key.unwrap_or_default()), why),
        CertificateError::Certificate(why) => (format!("client_certificate_file {cert}"), why),
        CertificateError::Mismatch => (
            match key {
                Some(k) => format!("client_certificate_file {cert} and client_key_file {k}"),
                None => format!("client_certificate_file {cert}"),
            },
            e.to_string(),
        ),
    })
}

fn scrub(text: String, secret: &str) -> String {
    if text.contains(secret) {
        text.replace(secret, &crate::secrets::redact(secret))
    } else {
        text
    }
}

struct Graph {
    http: Http,
    base: String,
    source: String,
    token: String,
    secret: String,
}

#[derive(Deserialize)]
struct Page<T> {
    value: Vec<T>,
    #[serde(default, rename = "@odata.nextLink")]
    next_link: Option<String>,
}

impl Graph {
    async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &str,
        permission: &str,
    ) -> Result<Vec<T>, SourceFailure> {
        let mut url = if query.is_empty() {
            format!("{}{path}", self.base)
        } else {
            format!("{}{path}?{query}", self.base)
        };
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            tracing::info!(source = %self.source, "GET {path}");
            let r = self
                .http
                .get_with(
                    &url,
                    &[],
                    Some(Auth::Bearer(&self.token)),
                    BODY_LIMIT,
                    false,
                )
                .await
                .map_err(|e| self.fail(path, e.to_string(), None))?;
            if !r.is_success() {
                let detail = crate::http::status_error(&r).to_string();
                let (cause, needs) = match r.status {
                    401 => (
                        format!("the token was refused ({detail})"),
                        Some(permission),
                    ),
                    403 => (format!("permission denied ({detail})"), Some(permission)),
                    _ => (detail, None),
                };
                return Err(self.fail(path, cause, needs));
            }
            let page: Page<T> = serde_json::from_slice(&r.body).map_err(|e| {
                self.fail(
                    path,
                    format!("malformed response, not a Graph collection: {e}"),
                    None,
                )
            })?;
            out.extend(page.value);
            match page.next_link {
                None => return Ok(out),
                // The token goes only where the first request went.
                Some(next) if next.starts_with(&format!("{}/", self.base)) && next != url => {
                    url = next;
                }
                Some(next) => {
                    return Err(self.fail(
                        path,
                        format!("refusing to follow @odata.nextLink {next}: not the same Graph endpoint, or no progress"),
                        None,
                    ));
                }
            }
        }
        Err(self.fail(path, format!("more than {MAX_PAGES} pages"), None))
    }

    fn fail(&self, path: &str, cause: String, permission: Option<&str>) -> SourceFailure {
        let cause = scrub(scrub(cause, &self.token), &self.secret);
        SourceFailure {
            source: self.source.clone(),
            endpoint: format!("GET {path}"),
            cause,
            permission: permission.map(str::to_string),
        }
    }
}

// --- documented response objects --------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Secret {
    key_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    start_date_time: Option<Timestamp>,
    #[serde(default)]
    end_date_time: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Owner {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Application {
    id: String,
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    created_date_time: Option<Timestamp>,
    #[serde(default)]
    password_credentials: Vec<Secret>,
    #[serde(default)]
    key_credentials: Vec<Secret>,
    #[serde(default)]
    owners: Vec<Owner>,
}

/// <https://learn.microsoft.com/graph/api/resources/serviceprincipal>
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServicePrincipal {
    id: String,
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    /// `Application`, `ManagedIdentity`, `Legacy` or `SocialIdp`.
    #[serde(default)]
    service_principal_type: Option<String>,
    #[serde(default)]
    account_enabled: Option<bool>,
    /// The tenant the application is registered in.
    #[serde(default)]
    app_owner_organization_id: Option<String>,
    #[serde(default)]
    password_credentials: Vec<Secret>,
    #[serde(default)]
    key_credentials: Vec<Secret>,
    #[serde(default)]
    owners: Vec<Owner>,
}

/// Tenants whose applications are Microsoft's own first-party services
/// (Microsoft Graph, Office 365, …): their service principals exist in
/// every tenant and are not agents of the operator.
const MICROSOFT_TENANTS: [&str; 2] = [
    // "Microsoft Services"
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    // Microsoft's own corporate tenant
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FederatedCredential {
    #[serde(default)]
    id: Option<String>,
    name: String,
    issuer: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    audiences: Vec<String>,
    /// Beta: flexible federated credentials match claims instead of `subject`.
    #[serde(default)]
    claims_matching_expression: Option<ClaimsExpression>,
}

#[derive(Debug, Clone, Deserialize)]
struct ClaimsExpression {
    #[serde(default)]
    value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LastSignIn {
    #[serde(default)]
    last_sign_in_date_time: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInActivity {
    app_id: String,
    #[serde(default)]
    last_sign_in_activity: Option<LastSignIn>,
}

// --- mapping ------------------------------------------------------------------

fn first_owner(owners: &[Owner]) -> Option<String> {
    owners
        .iter()
        .find_map(|o| o.user_principal_name.clone().or_else(|| o.id.clone()))
}

fn owner_names(owners: &[Owner]) -> String {
    owners
        .iter()
        .filter_map(|o| {
            o.user_principal_name
                .clone()
                .or_else(|| o.display_name.clone())
                .or_else(|| o.id.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The client secrets and certificates of an application or service
/// principal, as credentials of `identity` (an appId).
fn push_secrets(
    estate: &mut Estate,
    source: &str,
    now: Timestamp,
    identity: &str,
    passwords: &[Secret],
    keys: &[Secret],
) {
    for (list, kind) in [
        (passwords, CredentialKind::ClientSecret),
        (keys, CredentialKind::ClientCertificate),
    ] {
        for s in list {
            if estate
                .credentials
                .iter()
                .any(|c| c.identity == identity && c.id == s.key_id)
            {
                continue;
            }
            let expires = s.end_date_time.map_or(Expiry::Never, Expiry::At);
            let state = match expires {
                Expiry::At(t) if t <= now => CredentialState::Expired,
                _ => CredentialState::Active,
            };
            estate.credentials.push(Credential {
                source: source.to_string(),
                provider: Provider::Entra,
                id: s.key_id.clone(),
                identity: identity.to_string(),
                kind,
                hint: s
                    .hint
                    .as_ref()
                    .map(|h| format!("{h}…"))
                    .or_else(|| s.display_name.clone()),
                created: s.start_date_time,
                last_used: Activity::Unknown,
                expires,
                state,
                long_lived: true,
                managed: Managed::User,
                root: false,
                admin: false,
                invalid_since: None,
            });
        }
    }
}

fn to_estate(
    ctx: &SourceContext,
    tenant: &str,
    apps: &[Application],
    sps: &[ServicePrincipal],
    fics: &HashMap<String, Vec<FederatedCredential>>,
    activity: &HashMap<String, Timestamp>,
) -> Estate {
    let source = ctx.name.clone();
    let p = Provider::Entra;
    let now = ctx.as_of;
    let mut estate = Estate {
        sources: vec![SourceInfo {
            name: source.clone(),
            provider: p,
            scope: Some(tenant.to_string()),
            collected_at: Some(Timestamp::now()),
        }],
        ..Estate::default()
    };
    for app in apps {
        let owner = app
            .owners
            .iter()
            .find_map(|o| o.user_principal_name.clone().or_else(|| o.id.clone()));
        let mut tags = BTreeMap::new();
        tags.insert("object_id".to_string(), app.id.clone());
        if app.owners.len() > 1 {
            let all: Vec<String> = app
                .owners
                .iter()
                .filter_map(|o| {
                    o.user_principal_name
                        .clone()
                        .or_else(|| o.display_name.clone())
                        .or_else(|| o.id.clone())
                })
                .collect();
            tags.insert("owners".to_string(), all.join(", "));
        }
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            id: app.app_id.clone(),
            name: app
                .display_name
                .clone()
                .unwrap_or_else(|| app.app_id.clone()),
            kind: IdentityKind::Application,
            owner,
            owner_active: None,
            created: app.created_date_time,
            last_activity: if activity.is_empty() {
                Activity::Unknown
            } else {
                activity
                    .get(&app.app_id)
                    .map_or(Activity::Never, |t| Activity::At(*t))
            },
            disabled: false,
            tags: tags.into(),
        });
        push_secrets(
            &mut estate,
            &source,
            now,
            &app.app_id,
            &app.password_credentials,
            &app.key_credentials,
        );
        for f in fics.get(&app.id).into_iter().flatten() {
            let (subjects, condition) = match (&f.subject, &f.claims_matching_expression) {
                (Some(s), _) if !s.is_empty() => (vec![s.clone()], None),
                (_, Some(e)) => (vec!["*".to_string()], e.value.clone()),
                _ => (Vec::new(), None),
            };
            estate.trusts.push(Trust {
                source: source.clone(),
                provider: p,
                identity: app.app_id.clone(),
                issuer: f.issuer.clone(),
                subjects,
                audiences: f.audiences.clone(),
                attribute_condition: condition,
                via: Some(match &f.id {
                    Some(id) => format!("federated credential {} ({id})", f.name),
                    None => format!("federated credential {}", f.name),
                }),
                token_lifetime_seconds: None,
            });
        }
    }
    // Service principals. An app registered in this tenant has one here
    // too, with the same appId: it is the same agent, so the service
    // principal adds to the application's identity (its own secrets and
    // certificates, `accountEnabled: false` → disabled, an owner when the
    // app has none) instead of counting twice. The others — managed
    // identities, and apps registered in other tenants — are identities of
    // their own. Microsoft's first-party services are left out.
    let activity_of = |app_id: &str| {
        if activity.is_empty() {
            Activity::Unknown
        } else {
            activity
                .get(app_id)
                .map_or(Activity::Never, |t| Activity::At(*t))
        }
    };
    for sp in sps {
        if sp
            .app_owner_organization_id
            .as_deref()
            .is_some_and(|t| MICROSOFT_TENANTS.contains(&t.to_ascii_lowercase().as_str()))
        {
            continue;
        }
        let managed_identity = sp.service_principal_type.as_deref() == Some("ManagedIdentity");
        if let Some(ident) = estate
            .identities
            .iter_mut()
            .find(|i| i.kind == IdentityKind::Application && i.id == sp.app_id)
        {
            ident
                .tags
                .insert("service_principal_id".to_string(), sp.id.clone());
            if sp.account_enabled == Some(false) {
                ident.disabled = true;
            }
            if ident.owner.is_none() {
                ident.owner = first_owner(&sp.owners);
            }
        } else {
            let mut tags = BTreeMap::new();
            tags.insert("object_id".to_string(), sp.id.clone());
            if let Some(t) = &sp.service_principal_type {
                tags.insert("service_principal_type".to_string(), t.clone());
            }
            if let Some(t) = &sp.app_owner_organization_id {
                tags.insert("app_owner_organization_id".to_string(), t.clone());
            }
            if sp.owners.len() > 1 {
                tags.insert("owners".to_string(), owner_names(&sp.owners));
            }
            estate.identities.push(Identity {
                source: source.clone(),
                provider: p,
                id: sp.app_id.clone(),
                name: sp.display_name.clone().unwrap_or_else(|| sp.app_id.clone()),
                kind: if managed_identity {
                    IdentityKind::ManagedIdentity
                } else {
                    IdentityKind::ServicePrincipal
                },
                owner: first_owner(&sp.owners),
                owner_active: None,
                created: None,
                last_activity: activity_of(&sp.app_id),
                disabled: sp.account_enabled == Some(false),
                tags: tags.into(),
            });
        }
        // A managed identity's certificates are Azure's: issued and rotated
        // by Azure, never held by anyone — not credentials to audit.
        if !managed_identity {
            push_secrets(
                &mut estate,
                &source,
                now,
                &sp.app_id,
                &sp.password_credentials,
                &sp.key_credentials,
            );
        }
    }
    estate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn secrets_certificates_and_federated_credentials() {
        let ctx = SourceContext::new("tenant", ts("2026-11-01T00:00:00Z"));
        let secret = |id: &str, end: Option<&str>| Secret {
            key_id: id.into(),
            display_name: Some("ci".into()),
            hint: Some("abc".into()),
            start_date_time: Some(ts("2026-01-01T00:00:00Z")),
            end_date_time: end.map(ts),
        };
        let app = Application {
            id: "obj-1".into(),
            app_id: "app-1".into(),
            display_name: Some("deployer".into()),
            created_date_time: Some(ts("2025-01-01T00:00:00Z")),
            password_credentials: vec![
                secret("s-never", None),
                secret("s-expired", Some("2026-10-01T00:00:00Z")),
            ],
            key_credentials: vec![secret("c-soon", Some("2026-11-10T00:00:00Z"))],
            owners: vec![Owner {
                id: Some("u-1".into()),
                user_principal_name: Some("alice@acme.example".into()),
                display_name: None,
            }],
        };
        let fics = HashMap::from([(
            "obj-1".to_string(),
            vec![FederatedCredential {
                id: Some("f-1".into()),
                name: "gha".into(),
                issuer: "https://token.actions.githubusercontent.com".into(),
                subject: Some("repo:acme/deploy:ref:refs/heads/main".into()),
                audiences: vec!["api://AzureADTokenExchange".into()],
                claims_matching_expression: None,
            }],
        )]);
        let activity = HashMap::from([("other".to_string(), ts("2026-10-01T00:00:00Z"))]);
        let estate = to_estate(&ctx, "t", &[app], &[], &fics, &activity);
        assert_eq!(
            estate.identities[0].owner.as_deref(),
            Some("alice@acme.example")
        );
        assert_eq!(estate.identities[0].last_activity, Activity::Never);
        let cred = |id: &str| estate.credentials.iter().find(|c| c.id == id).unwrap();
        assert_eq!(cred("s-never").expires, Expiry::Never);
        assert_eq!(cred("s-expired").state, CredentialState::Expired);
        assert_eq!(cred("c-soon").kind, CredentialKind::ClientCertificate);
        assert_eq!(estate.trusts[0].subjects.len(), 1);

        let report = crate::inventory::evaluate::evaluate(
            &crate::registry::Registry::default(),
            None,
            &estate,
            &HashMap::new(),
            &crate::inventory::Options {
                as_of: ts("2026-11-01T00:00:00Z"),
                fail_on: crate::registry::FailOn::Never,
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
        assert!(has("AID014", "s-never"));
        assert!(has("AID015", "s-expired"));
        assert!(has("AID015", "c-soon"));
        assert!(has("AID013", "app-1"), "never signed in since 2025");
        assert!(!has("AID021", "app-1"), "a pinned subject");
    }
}
