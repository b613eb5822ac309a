//! The `gcp` source: one Google Cloud project, read through the IAM and
//! Resource Manager REST APIs with Application Default Credentials.
//!
//! Request and response formats, as documented (read 2026-11):
//! - ADC: <https://cloud.google.com/docs/authentication/application-default-credentials>
//!   (`GOOGLE_APPLICATION_CREDENTIALS`, then
//!   `~/.config/gcloud/application_default_credentials.json`, then the
//!   metadata server). Key files of `type: service_account` sign a JWT
//!   assertion (RFC 7523, <https://developers.google.com/identity/protocols/oauth2/service-account#httprest>);
//!   `type: authorized_user` files use their refresh token; the metadata
//!   server answers `GET /computeMetadata/v1/instance/service-accounts/default/token`
//!   with `Metadata-Flavor: Google`.
//! - service accounts: <https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list>
//!   (`accounts[]`: `email`, `uniqueId`, `displayName`, `disabled`; `nextPageToken`)
//! - their keys: <https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/list>
//!   (`keys[]`: `name`, `validAfterTime`, `validBeforeTime`, `keyType`, `disabled`)
//! - workload identity pools and providers:
//!   <https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/list>,
//!   <https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/list>
//!   (`oidc.issuerUri`, `oidc.allowedAudiences`, `attributeCondition`, `disabled`)
//! - project policy: <https://cloud.google.com/resource-manager/reference/rest/v1/projects/getIamPolicy>
//!   (`POST /v1/projects/{id}:getIamPolicy`, `bindings[]`: `role`, `members`)
//!
//! External-account (workload identity federation) ADC files are not
//! supported by this source yet.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::source::{SourceContext, SourceFailure};
use crate::http::{Auth, Http, HttpOptions};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Expiry, Identity, IdentityKind,
    Managed, Privilege, Provider, SourceInfo, Trust,
};
use crate::registry::GcpSource;

pub const DEFAULT_IAM: &str = "https://iam.googleapis.com";
pub const DEFAULT_CRM: &str = "https://cloudresourcemanager.googleapis.com";
const METADATA_TOKEN: &str =
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const BODY_LIMIT: usize = 16 * 1024 * 1024;
const MAX_PAGES: usize = 100_000;
const VIEWER: &str = "roles/iam.securityReviewer on the project (iam.serviceAccounts.list, iam.serviceAccountKeys.list, iam.workloadIdentityPools.list, iam.workloadIdentityPoolProviders.list, resourcemanager.projects.getIamPolicy)";

/// 9999-01-01T00:00:00Z: keys made without an expiry are valid until 9999-12-31.
const YEAR_9999: i64 = 253_370_764_800;

/// Roles that make a principal an owner of the whole project.
const ADMIN_ROLES: &[&str] = &["roles/owner", "roles/editor"];

pub async fn collect(settings: &GcpSource, ctx: &SourceContext) -> Result<Estate, SourceFailure> {
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(30),
        read_timeout: Duration::from_secs(20),
        attempts: 4,
        max_retry_after: Duration::from_secs(60),
        ..HttpOptions::default()
    })
    .map_err(|e| failure(ctx, "HTTP client", e.to_string(), None))?
    .count_calls_into(ctx.calls.clone());
    let (token, mut secrets) = access_token(&http, ctx).await?;
    secrets.push(token.clone());
    let (iam, crm) = match &settings.endpoint {
        Some(e) => (
            e.trim_end_matches('/').to_string(),
            e.trim_end_matches('/').to_string(),
        ),
        None => (DEFAULT_IAM.to_string(), DEFAULT_CRM.to_string()),
    };
    let api = Api {
        http,
        source: ctx.name.clone(),
        token,
        secrets,
    };
    let project = &settings.project;

    #[derive(Deserialize)]
    struct Accounts {
        #[serde(default)]
        accounts: Vec<ServiceAccount>,
        #[serde(default, rename = "nextPageToken")]
        next: Option<String>,
    }
    let accounts: Vec<ServiceAccount> = api
        .pages(
            &iam,
            &format!("/v1/projects/{project}/serviceAccounts"),
            |p: Accounts| (p.accounts, p.next),
        )
        .await?;
    let mut keys: Vec<(String, Vec<Key>)> = Vec::with_capacity(accounts.len());
    for sa in &accounts {
        #[derive(Deserialize)]
        struct Keys {
            #[serde(default)]
            keys: Vec<Key>,
        }
        let path = format!("/v1/projects/{project}/serviceAccounts/{}/keys", sa.email);
        let k: Keys = api.get(&format!("{iam}{path}"), &path).await?;
        keys.push((sa.email.clone(), k.keys));
    }

    #[derive(Deserialize)]
    struct Pools {
        #[serde(default, rename = "workloadIdentityPools")]
        pools: Vec<Pool>,
        #[serde(default, rename = "nextPageToken")]
        next: Option<String>,
    }
    #[derive(Deserialize)]
    struct Providers {
        #[serde(default, rename = "workloadIdentityPoolProviders")]
        providers: Vec<WifProvider>,
        #[serde(default, rename = "nextPageToken")]
        next: Option<String>,
    }
    let pools: Vec<Pool> = api
        .pages(
            &iam,
            &format!("/v1/projects/{project}/locations/global/workloadIdentityPools"),
            |p: Pools| (p.pools, p.next),
        )
        .await?;
    let mut providers: Vec<(Pool, Vec<WifProvider>)> = Vec::new();
    for pool in pools {
        let list: Vec<WifProvider> = api
            .pages(
                &iam,
                &format!("/v1/{}/providers", pool.name),
                |p: Providers| (p.providers, p.next),
            )
            .await?;
        providers.push((pool, list));
    }

    let path = format!("/v1/projects/{project}:getIamPolicy");
    tracing::info!(source = %ctx.name, "POST {path}");
    let r = api
        .http
        .post_json_read_only(
            &format!("{crm}{path}"),
            &serde_json::json!({"options": {"requestedPolicyVersion": 3}}),
            &[("authorization", &format!("Bearer {}", api.token))],
            BODY_LIMIT,
        )
        .await
        .map_err(|e| api.fail(&format!("POST {path}"), e.to_string(), None))?;
    let policy: Policy = api.parse(&format!("POST {path}"), &r)?;

    Ok(to_estate(
        ctx, project, &accounts, &keys, &providers, &policy,
    ))
}

fn failure(
    ctx: &SourceContext,
    endpoint: &str,
    cause: String,
    perm: Option<&str>,
) -> SourceFailure {
    SourceFailure {
        source: ctx.name.clone(),
        endpoint: endpoint.to_string(),
        cause,
        permission: perm.map(str::to_string),
    }
}

fn scrub(mut text: String, secrets: &[String]) -> String {
    for s in secrets.iter().filter(|s| s.len() >= 8) {
        if text.contains(s.as_str()) {
            text = text.replace(s.as_str(), &crate::secrets::redact(s));
        }
    }
    text
}

// --- credentials ----------------------------------------------------------------

#[derive(Deserialize)]
struct AdcFile {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    client_email: Option<String>,
    #[serde(default)]
    private_key: Option<String>,
    #[serde(default)]
    private_key_id: Option<String>,
    #[serde(default)]
    token_uri: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
}

/// An access token from Application Default Credentials, and the secrets
/// that must never show up in a message.
async fn access_token(
    http: &Http,
    ctx: &SourceContext,
) -> Result<(String, Vec<String>), SourceFailure> {
    let path = std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let home = std::env::var_os("HOME")?;
            let p = std::path::Path::new(&home)
                .join(".config/gcloud/application_default_credentials.json");
            p.is_file().then_some(p)
        });
    let Some(path) = path else {
        tracing::info!(source = %ctx.name, "GET metadata server token");
        let r = http
            .get_with(METADATA_TOKEN, &[("metadata-flavor", "Google")], None, 64 * 1024, true)
            .await
            .map_err(|e| {
                failure(
                    ctx,
                    "Application Default Credentials",
                    format!("no GOOGLE_APPLICATION_CREDENTIALS, no gcloud ADC file, and the metadata server is unreachable ({e})"),
                    None,
                )
            })?;
        let t = parse_token(ctx, "GET metadata server token", &r, &[])?;
        return Ok((t, Vec::new()));
    };
    let where_ = format!("ADC file {}", path.display());
    let text = std::fs::read(&path)
        .map_err(|e| failure(ctx, &where_, format!("cannot read it: {e}"), None))?;
    let adc: AdcFile = serde_json::from_slice(&text)
        .map_err(|e| failure(ctx, &where_, format!("not a credentials file: {e}"), None))?;
    let token_uri = adc
        .token_uri
        .clone()
        .unwrap_or_else(|| "https://oauth2.googleapis.com/token".to_string());
    let endpoint = format!("POST {token_uri}");
    match adc.kind.as_str() {
        "service_account" => {
            let (Some(email), Some(pem)) = (&adc.client_email, &adc.private_key) else {
                return Err(failure(
                    ctx,
                    &where_,
                    "client_email or private_key missing".into(),
                    None,
                ));
            };
            let secrets = vec![pem.clone()];
            let assertion = sign_assertion(email, pem, adc.private_key_id.as_deref(), &token_uri)
                .map_err(|why| failure(ctx, &where_, why, None))?;
            let r = http
                .post_form(
                    &token_uri,
                    &[
                        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                        ("assertion", &assertion),
                    ],
                    None,
                    64 * 1024,
                )
                .await
                .map_err(|e| failure(ctx, &endpoint, e.to_string(), None))?;
            let t = parse_token(ctx, &endpoint, &r, &secrets)?;
            Ok((t, secrets))
        }
        "authorized_user" => {
            let (Some(id), Some(secret), Some(refresh)) =
                (&adc.client_id, &adc.client_secret, &adc.refresh_token)
            else {
                return Err(failure(
                    ctx,
                    &where_,
                    "client_id, client_secret or refresh_token missing".into(),
                    None,
                ));
            };
            let secrets = vec![secret.clone(), refresh.clone()];
            let r = http
                .post_form(
                    &token_uri,
                    &[
                        ("grant_type", "refresh_token"),
                        ("client_id", id),
                        ("client_secret", secret),
                        ("refresh_token", refresh),
                    ],
                    None,
                    64 * 1024,
                )
                .await
                .map_err(|e| failure(ctx, &endpoint, scrub(e.to_string(), &secrets), None))?;
            let t = parse_token(ctx, &endpoint, &r, &secrets)?;
            Ok((t, secrets))
        }
        "external_account" => external_account(http, ctx, &text, &where_).await,
        other => Err(failure(
            ctx,
            &where_,
            format!(
                "credentials of type {other:?} are not supported by the gcp source (service_account, authorized_user, external_account or the metadata server are)"
            ),
            None,
        )),
    }
}

/// Workload identity federation ADC (`type: external_account`, as gcloud
/// writes it): the same subject-token sources and Google STS exchange (and
/// service-account impersonation) as `agentid exchange gcp
/// --credential-config`, so a file that works there works here.
async fn external_account(
    http: &Http,
    ctx: &SourceContext,
    text: &[u8],
    where_: &str,
) -> Result<(String, Vec<String>), SourceFailure> {
    use crate::exchange::{Credential, Outcome, gcp as wif};
    let cfg = wif::parse_credential_config(&String::from_utf8_lossy(text), where_)
        .map_err(|e| failure(ctx, where_, e.to_string(), None))?;
    let subject = wif::config_subject(&cfg, http)
        .await
        .map_err(|e| failure(ctx, where_, e.to_string(), None))?;
    let mut secrets = vec![subject.token.expose().to_string()];
    let req = wif::GcpRequest {
        sts_url: cfg
            .token_url
            .clone()
            .unwrap_or_else(|| wif::DEFAULT_STS.to_string()),
        audience: cfg.audience.clone(),
        scopes: vec![wif::DEFAULT_SCOPE.to_string()],
        subject_token_type: cfg.subject_token_type.clone(),
        subject,
        impersonation_url: cfg.impersonation_url.clone(),
        lifetime_secs: cfg.lifetime_secs,
    };
    let endpoint = format!("POST {}", req.sts_url);
    match wif::send(http, &req).await {
        Ok(Outcome::Granted(g)) => match &g.credential {
            Credential::Token { value } => {
                secrets.push(value.expose().to_string());
                Ok((value.expose().to_string(), secrets))
            }
            Credential::Aws { .. } => Err(failure(
                ctx,
                &endpoint,
                "the exchange returned no access token".into(),
                None,
            )),
        },
        Ok(Outcome::Denied(d)) => Err(failure(
            ctx,
            &endpoint,
            scrub(
                format!(
                    "federation refused: HTTP {} {}{}{}",
                    d.status,
                    d.error,
                    d.description.map(|x| format!(": {x}")).unwrap_or_default(),
                    d.explanation
                        .map(|e| format!(" (likely: {}; fix: {})", e.cause, e.fix))
                        .unwrap_or_default()
                ),
                &secrets,
            ),
            None,
        )),
        Err(e) => Err(failure(
            ctx,
            &endpoint,
            scrub(e.to_string(), &secrets),
            None,
        )),
    }
}

fn parse_token(
    ctx: &SourceContext,
    endpoint: &str,
    r: &crate::http::Response,
    secrets: &[String],
) -> Result<String, SourceFailure> {
    if !r.is_success() {
        let detail = scrub(crate::http::status_error(r).to_string(), secrets);
        return Err(failure(
            ctx,
            endpoint,
            format!("sign-in refused ({detail})"),
            None,
        ));
    }
    serde_json::from_slice::<TokenAnswer>(&r.body)
        .map(|t| t.access_token)
        .map_err(|e| {
            failure(
                ctx,
                endpoint,
                format!("malformed token response: {e}"),
                None,
            )
        })
}

/// The RS256 JWT a service account key signs to ask for a token (RFC 7523).
fn sign_assertion(
    email: &str,
    pem: &str,
    kid: Option<&str>,
    token_uri: &str,
) -> Result<String, String> {
    let block = pem::parse(pem).map_err(|_| "private_key is not PEM".to_string())?;
    let der = if block.tag() == "PRIVATE KEY" {
        use pkcs8::der::Decode;
        pkcs8::PrivateKeyInfoRef::from_der(block.contents())
            .map_err(|_| "private_key is not a PKCS#8 key".to_string())?
            .private_key
            .as_bytes()
            .to_vec()
    } else {
        block.contents().to_vec()
    };
    let key = jsonwebtoken::EncodingKey::from_rsa_der(&der);
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = kid.map(str::to_string);
    let now = Timestamp::now().as_second();
    let claims = serde_json::json!({
        "iss": email, "scope": SCOPE, "aud": token_uri, "iat": now, "exp": now + 3600,
    });
    jsonwebtoken::encode(&header, &claims, &key)
        .map_err(|e| format!("cannot sign with private_key: {e}"))
}

// --- API ------------------------------------------------------------------------

struct Api {
    http: Http,
    source: String,
    token: String,
    secrets: Vec<String>,
}

impl Api {
    async fn pages<P: DeserializeOwned, T>(
        &self,
        base: &str,
        path: &str,
        split: impl Fn(P) -> (Vec<T>, Option<String>),
    ) -> Result<Vec<T>, SourceFailure> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("pageSize", "100")];
            if let Some(t) = &token {
                query.push(("pageToken", t.as_str()));
            }
            let url = format!("{base}{path}?{}", crate::http::form_urlencode(&query));
            let page: P = self.get(&url, path).await?;
            let (items, next) = split(page);
            out.extend(items);
            match next.filter(|n| !n.is_empty()) {
                None => return Ok(out),
                Some(n) if token.as_deref() == Some(n.as_str()) => {
                    return Err(self.fail(
                        &format!("GET {path}"),
                        "nextPageToken did not advance".into(),
                        None,
                    ));
                }
                Some(n) => token = Some(n),
            }
        }
        Err(self.fail(
            &format!("GET {path}"),
            format!("more than {MAX_PAGES} pages"),
            None,
        ))
    }

    async fn get<T: DeserializeOwned>(&self, url: &str, path: &str) -> Result<T, SourceFailure> {
        tracing::info!(source = %self.source, "GET {path}");
        let endpoint = format!("GET {path}");
        let r = self
            .http
            .get_with(url, &[], Some(Auth::Bearer(&self.token)), BODY_LIMIT, false)
            .await
            .map_err(|e| self.fail(&endpoint, e.to_string(), None))?;
        self.parse(&endpoint, &r)
    }

    fn parse<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        r: &crate::http::Response,
    ) -> Result<T, SourceFailure> {
        if !r.is_success() {
            let detail = crate::http::status_error(r).to_string();
            let (cause, needs) = match r.status {
                401 => (format!("the token was refused ({detail})"), Some(VIEWER)),
                403 => (format!("permission denied ({detail})"), Some(VIEWER)),
                _ => (detail, None),
            };
            return Err(self.fail(endpoint, cause, needs));
        }
        serde_json::from_slice(&r.body).map_err(|e| {
            self.fail(
                endpoint,
                format!("malformed response, not the documented format: {e}"),
                None,
            )
        })
    }

    fn fail(&self, endpoint: &str, cause: String, permission: Option<&str>) -> SourceFailure {
        SourceFailure {
            source: self.source.clone(),
            endpoint: endpoint.to_string(),
            cause: scrub(cause, &self.secrets),
            permission: permission.map(str::to_string),
        }
    }
}

// --- documented response objects --------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceAccount {
    email: String,
    #[serde(default)]
    unique_id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    disabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Key {
    name: String,
    #[serde(default)]
    valid_after_time: Option<Timestamp>,
    /// Text, not a timestamp: keys made without an expiry say
    /// `9999-12-31T23:59:59Z`, past the range of a timestamp.
    #[serde(default)]
    valid_before_time: Option<String>,
    #[serde(default)]
    key_type: Option<String>,
    #[serde(default)]
    disabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pool {
    name: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    disabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Oidc {
    #[serde(default)]
    issuer_uri: Option<String>,
    #[serde(default)]
    allowed_audiences: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WifProvider {
    name: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    disabled: bool,
    #[serde(default)]
    attribute_condition: Option<String>,
    #[serde(default)]
    oidc: Option<Oidc>,
    #[serde(default)]
    aws: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Binding {
    role: String,
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Policy {
    #[serde(default)]
    bindings: Vec<Binding>,
}

// --- mapping ------------------------------------------------------------------

fn to_estate(
    ctx: &SourceContext,
    project: &str,
    accounts: &[ServiceAccount],
    keys: &[(String, Vec<Key>)],
    providers: &[(Pool, Vec<WifProvider>)],
    policy: &Policy,
) -> Estate {
    let source = ctx.name.clone();
    let p = Provider::Gcp;
    let now = ctx.as_of;
    let mut estate = Estate {
        sources: vec![SourceInfo {
            name: source.clone(),
            provider: p,
            scope: Some(project.to_string()),
            collected_at: Some(Timestamp::now()),
        }],
        ..Estate::default()
    };
    for sa in accounts {
        let mut tags = BTreeMap::new();
        if let Some(u) = &sa.unique_id {
            tags.insert("unique_id".to_string(), u.clone());
        }
        if let Some(d) = &sa.description {
            tags.insert("description".to_string(), d.clone());
        }
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            id: sa.email.clone(),
            name: sa.display_name.clone().unwrap_or_else(|| sa.email.clone()),
            kind: IdentityKind::ServiceAccount,
            owner: None,
            owner_active: None,
            created: None,
            last_activity: Activity::Unknown,
            disabled: sa.disabled,
            tags: tags.into(),
        });
    }
    for (email, list) in keys {
        for k in list {
            let managed = if k.key_type.as_deref() == Some("SYSTEM_MANAGED") {
                Managed::Provider
            } else {
                Managed::User
            };
            // A key made without an expiry is valid until year 9999.
            let expires = match k.valid_before_time.as_deref().map(str::parse::<Timestamp>) {
                Some(Ok(t)) if t.as_second() < YEAR_9999 => Expiry::At(t),
                Some(Err(_))
                    if !k
                        .valid_before_time
                        .as_deref()
                        .is_some_and(|v| v.starts_with("9999-")) =>
                {
                    tracing::warn!(key = %k.name, "validBeforeTime is not a time; taken as no expiry");
                    Expiry::Never
                }
                _ => Expiry::Never,
            };
            let state = if k.disabled {
                CredentialState::Inactive
            } else if matches!(expires, Expiry::At(t) if t <= now) {
                CredentialState::Expired
            } else {
                CredentialState::Active
            };
            estate.credentials.push(Credential {
                source: source.clone(),
                provider: p,
                id: k.name.rsplit('/').next().unwrap_or(&k.name).to_string(),
                identity: email.clone(),
                kind: CredentialKind::ServiceAccountKey,
                hint: None,
                created: k.valid_after_time,
                last_used: Activity::Unknown,
                expires,
                state,
                long_lived: managed == Managed::User,
                managed,
                root: false,
                admin: false,
                invalid_since: None,
            });
        }
    }
    for (pool, list) in providers {
        for prov in list {
            // The provider is what outside workloads federate into: it stands
            // in the estate as an identity with one trust.
            let issuer = match (&prov.oidc, &prov.aws) {
                (Some(o), _) => o.issuer_uri.clone().unwrap_or_default(),
                (None, Some(_)) => "https://sts.amazonaws.com".to_string(),
                _ => String::new(),
            };
            estate.identities.push(Identity {
                source: source.clone(),
                provider: p,
                id: prov.name.clone(),
                name: prov.display_name.clone().unwrap_or_else(|| {
                    prov.name
                        .rsplit('/')
                        .next()
                        .unwrap_or(&prov.name)
                        .to_string()
                }),
                kind: IdentityKind::App,
                owner: None,
                owner_active: None,
                created: None,
                last_activity: Activity::Unknown,
                disabled: prov.disabled || pool.disabled,
                tags: crate::model::Tags::from(BTreeMap::from([(
                    "pool".to_string(),
                    pool.display_name
                        .clone()
                        .unwrap_or_else(|| pool.name.clone()),
                )])),
            });
            estate.trusts.push(Trust {
                source: source.clone(),
                provider: p,
                identity: prov.name.clone(),
                issuer,
                // A provider accepts every subject of its issuer; the attribute
                // condition is what narrows it.
                subjects: vec!["*".to_string()],
                audiences: prov
                    .oidc
                    .as_ref()
                    .map(|o| o.allowed_audiences.clone())
                    .unwrap_or_default(),
                attribute_condition: prov
                    .attribute_condition
                    .clone()
                    .filter(|c| !c.trim().is_empty()),
                via: Some(format!("workload identity provider {}", prov.name)),
                token_lifetime_seconds: None,
            });
        }
    }
    for b in &policy.bindings {
        for m in &b.members {
            let Some(email) = m.strip_prefix("serviceAccount:") else {
                continue;
            };
            if !accounts.iter().any(|a| a.email == email) {
                continue;
            }
            estate.privileges.push(Privilege {
                source: source.clone(),
                provider: p,
                identity: email.to_string(),
                grant: b.role.clone(),
                admin: ADMIN_ROLES.contains(&b.role.as_str()),
                scopes: Vec::new(),
                audience: None,
                via: Some(format!("project {project} IAM policy")),
            });
        }
    }
    estate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_account_key_signs_a_verifiable_assertion() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
        let pem = std::fs::read_to_string(dir.join("rsa2048.pem")).expect("fixture key");
        let public = std::fs::read(dir.join("rsa2048.rsapub.pem")).expect("fixture public key");
        let jwt = sign_assertion(
            "agent@acme-prod.iam.gserviceaccount.com",
            &pem,
            Some("kid-1"),
            "https://oauth2.googleapis.com/token",
        )
        .expect("signed");
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.set_audience(&["https://oauth2.googleapis.com/token"]);
        v.set_issuer(&["agent@acme-prod.iam.gserviceaccount.com"]);
        let key =
            jsonwebtoken::DecodingKey::from_rsa_der(pem::parse(&public).expect("PEM").contents());
        let data = jsonwebtoken::decode::<serde_json::Value>(&jwt, &key, &v).expect("verifies");
        assert_eq!(data.header.kid.as_deref(), Some("kid-1"));
        assert_eq!(data.claims["scope"], SCOPE);
        assert!(sign_assertion("a", "not pem", None, "u").is_err());
    }
}
