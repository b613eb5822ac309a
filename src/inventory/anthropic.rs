//! The `anthropic` source: one Claude organisation, read through the Admin
//! API and the workload identity federation (WIF) admin endpoints.
//!
//! Request and response formats, as documented (read 2026-11):
//! - API keys: <https://platform.claude.com/docs/en/api/admin/api_keys/list>
//!   (`GET /v1/organizations/api_keys`: `id`, `name`, `created_at`,
//!   `created_by {id, type}`, `expires_at`, `partial_key_hint`, `status`,
//!   `workspace_id`)
//! - users: <https://platform.claude.com/docs/en/api/admin/users/list>
//!   (`GET /v1/organizations/users`: `id`, `email`, `name`, `role`, `added_at`)
//! - workspaces: <https://platform.claude.com/docs/en/api/admin/workspaces/list>
//!   (`GET /v1/organizations/workspaces`: `id`, `name`, `archived_at`)
//! - these three page with `limit` / `after_id` and answer
//!   `{data, has_more, first_id, last_id}`; they take `x-api-key` (an Admin
//!   API key, `sk-ant-admin01-…`) and `anthropic-version: 2023-06-01`.
//! - WIF: <https://platform.claude.com/docs/en/manage-claude/wif-admin-api>,
//!   <https://platform.claude.com/docs/en/api/http/organization/service_accounts/list>,
//!   `GET /v1/organizations/federation_issuers` and
//!   `GET /v1/organizations/federation_rules`
//!   (<https://platform.claude.com/docs/en/api/go/organization/federation/rules/list>).
//!   They page with `limit` (≤ 100) / `page` and answer `{data, next_page}`,
//!   and they "require an OAuth access token with the `org:admin` scope;
//!   Admin API keys are not accepted": that token comes from the variable
//!   `oauth_token_env` names and is sent as `Authorization: Bearer`.
//!   Without it the federation objects are not read (a warning says so).
//!
//! Mapping to the estate: each API key is an identity of kind `api_key`
//! (owner: the user that created it) holding one credential; users are the
//! provider's user list (a creator missing from it is gone: AID004); service
//! accounts are identities; each federation rule is a trust from its issuer
//! to its target service account, and its `oauth_scope` a privilege.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::source::{SourceContext, SourceFailure};
use crate::http::{Http, HttpError, HttpOptions};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Expiry, Identity, IdentityKind,
    Managed, Privilege, Provider, SourceInfo, Trust, User,
};
use crate::registry::AdminKeySource;

pub const DEFAULT_ENDPOINT: &str = "https://api.anthropic.com";
const API_VERSION: &str = "2023-06-01";
/// A page of keys or users is small; 8 MiB leaves room for 1,000 of them.
const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// Stops a server that keeps answering `has_more: true` with the same cursor.
const MAX_PAGES: usize = 100_000;

const ADMIN_KEY: &str = "an Admin API key (sk-ant-admin01-…) of an organization admin";
const ORG_ADMIN_TOKEN: &str = "an OAuth access token with the org:admin scope";

/// Reads the organisation the admin key belongs to.
pub async fn collect(
    settings: &AdminKeySource,
    ctx: &SourceContext,
) -> Result<Estate, SourceFailure> {
    let admin_key = read_env(&settings.admin_key_env);
    let oauth = match &settings.oauth_token_env {
        Some(var) => match read_env(var) {
            Some(t) => Some(t),
            None => {
                return Err(failure(
                    ctx,
                    format!("environment variable {var} (oauth_token_env)"),
                    format!("{var} is not set or empty"),
                    Some(ORG_ADMIN_TOKEN),
                ));
            }
        },
        None => None,
    };
    // The Admin API also takes the org:admin OAuth token; the key is preferred.
    let admin_auth = match (&admin_key, &oauth) {
        (Some(k), _) => AuthHeader::ApiKey(k.clone()),
        (None, Some(t)) => AuthHeader::Bearer(t.clone()),
        (None, None) => {
            let var = &settings.admin_key_env;
            return Err(failure(
                ctx,
                format!("environment variable {var} (admin_key_env)"),
                format!("{var} is not set or empty"),
                Some(ADMIN_KEY),
            ));
        }
    };
    let base = settings
        .endpoint
        .as_deref()
        .unwrap_or(DEFAULT_ENDPOINT)
        .trim_end_matches('/')
        .to_string();
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(30),
        read_timeout: Duration::from_secs(20),
        attempts: 4,
        max_retry_after: Duration::from_secs(60),
        ..HttpOptions::default()
    })
    .map_err(|e| failure(ctx, "HTTP client".into(), e.to_string(), None))?
    .count_calls_into(ctx.calls.clone());
    let secrets: Vec<String> = admin_key.iter().chain(oauth.iter()).cloned().collect();
    let api = Api {
        http,
        base,
        ctx,
        secrets,
    };

    let users: Vec<ApiUser> = api
        .list_after_id("/v1/organizations/users", &[], &admin_auth, ADMIN_KEY)
        .await?;
    let workspaces: Vec<Workspace> = api
        .list_after_id(
            "/v1/organizations/workspaces",
            &[("include_archived", "true")],
            &admin_auth,
            ADMIN_KEY,
        )
        .await?;
    let keys: Vec<ApiKey> = api
        .list_after_id("/v1/organizations/api_keys", &[], &admin_auth, ADMIN_KEY)
        .await?;
    let federation = match &oauth {
        Some(token) => {
            let auth = AuthHeader::Bearer(token.clone());
            Some(Federation {
                service_accounts: api
                    .list_page_cursor("/v1/organizations/service_accounts", &auth)
                    .await?,
                issuers: api
                    .list_page_cursor("/v1/organizations/federation_issuers", &auth)
                    .await?,
                rules: api
                    .list_page_cursor("/v1/organizations/federation_rules", &auth)
                    .await?,
            })
        }
        None => {
            tracing::warn!(
                source = %ctx.name,
                "service accounts and federation rules not read: they need {ORG_ADMIN_TOKEN} (set oauth_token_env)"
            );
            None
        }
    };
    Ok(to_estate(
        ctx,
        Listing {
            users,
            workspaces,
            keys,
            federation,
        },
    ))
}

fn read_env(var: &str) -> Option<String> {
    std::env::var(var)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn failure(
    ctx: &SourceContext,
    endpoint: String,
    cause: String,
    permission: Option<&str>,
) -> SourceFailure {
    SourceFailure {
        source: ctx.name.clone(),
        endpoint,
        cause,
        permission: permission.map(str::to_string),
    }
}

enum AuthHeader {
    ApiKey(String),
    Bearer(String),
}

struct Api<'a> {
    http: Http,
    base: String,
    ctx: &'a SourceContext,
    /// Never to appear in a message, even if a server echoes one back.
    secrets: Vec<String>,
}

/// `{data, has_more, first_id, last_id}` (Admin API) or `{data, next_page}` (WIF).
#[derive(Deserialize)]
struct Page<T> {
    data: Vec<T>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    last_id: Option<String>,
    #[serde(default)]
    next_page: Option<String>,
}

impl Api<'_> {
    /// Every item of an Admin API list (`after_id` pagination, up to the
    /// documented maximum of 1,000 per page).
    async fn list_after_id<T: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, &str)],
        auth: &AuthHeader,
        permission: &str,
    ) -> Result<Vec<T>, SourceFailure> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", "1000".to_string())];
            query.extend(extra.iter().map(|(k, v)| (*k, (*v).to_string())));
            if let Some(a) = &after {
                query.push(("after_id", a.clone()));
            }
            let page: Page<T> = self.get(path, &query, auth, permission).await?;
            out.extend(page.data);
            if page.has_more != Some(true) {
                return Ok(out);
            }
            match page.last_id {
                Some(last) if after.as_deref() != Some(last.as_str()) => after = Some(last),
                _ => {
                    return Err(self.fail(
                        path,
                        "has_more is true but last_id is missing or did not advance".into(),
                        None,
                    ));
                }
            }
        }
        Err(self.fail(path, format!("more than {MAX_PAGES} pages"), None))
    }

    /// Every item of a WIF list (`page` / `next_page` pagination).
    async fn list_page_cursor<T: DeserializeOwned>(
        &self,
        path: &str,
        auth: &AuthHeader,
    ) -> Result<Vec<T>, SourceFailure> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", "100".to_string())];
            if let Some(c) = &cursor {
                query.push(("page", c.clone()));
            }
            let page: Page<T> = self.get(path, &query, auth, ORG_ADMIN_TOKEN).await?;
            out.extend(page.data);
            match page.next_page.filter(|n| !n.is_empty()) {
                None => return Ok(out),
                Some(next) if cursor.as_deref() == Some(next.as_str()) => {
                    return Err(self.fail(path, "next_page did not advance".into(), None));
                }
                Some(next) => cursor = Some(next),
            }
        }
        Err(self.fail(path, format!("more than {MAX_PAGES} pages"), None))
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        auth: &AuthHeader,
        permission: &str,
    ) -> Result<T, SourceFailure> {
        let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let url = format!(
            "{}{path}?{}",
            self.base,
            crate::http::form_urlencode(&pairs)
        );
        tracing::info!(source = %self.ctx.name, "GET {path}");
        let (headers, bearer): (Vec<(&str, &str)>, Option<crate::http::Auth<'_>>) = match auth {
            AuthHeader::ApiKey(k) => (
                vec![
                    ("x-api-key", k.as_str()),
                    ("anthropic-version", API_VERSION),
                ],
                None,
            ),
            AuthHeader::Bearer(t) => (
                vec![("anthropic-version", API_VERSION)],
                Some(crate::http::Auth::Bearer(t.as_str())),
            ),
        };
        let r = self
            .http
            .get_with(&url, &headers, bearer, BODY_LIMIT, false)
            .await
            .map_err(|e| self.fail(path, http_cause(&e), None))?;
        if !r.is_success() {
            let detail = crate::http::status_error(&r).to_string();
            let (cause, needs) = match r.status {
                401 => (
                    format!("the credential was refused ({detail})"),
                    Some(permission),
                ),
                403 => (format!("permission denied ({detail})"), Some(permission)),
                _ => (detail, None),
            };
            return Err(self.fail(path, cause, needs));
        }
        serde_json::from_slice(&r.body).map_err(|e| {
            self.fail(
                path,
                format!("malformed response, not the documented list format: {e}"),
                None,
            )
        })
    }

    fn fail(&self, path: &str, cause: String, permission: Option<&str>) -> SourceFailure {
        let mut cause = cause;
        for s in &self.secrets {
            if cause.contains(s.as_str()) {
                cause = cause.replace(s.as_str(), &crate::secrets::redact(s));
            }
        }
        failure(self.ctx, format!("GET {path}"), cause, permission)
    }
}

fn http_cause(e: &HttpError) -> String {
    e.to_string()
}

// --- documented response objects --------------------------------------------

#[derive(Debug, Clone, Deserialize)]
struct ApiUser {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Workspace {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    archived_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize)]
struct Actor {
    id: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ApiKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    created_at: Timestamp,
    #[serde(default)]
    created_by: Option<Actor>,
    #[serde(default)]
    expires_at: Option<Timestamp>,
    #[serde(default)]
    partial_key_hint: Option<String>,
    status: String,
    #[serde(default)]
    workspace_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ServiceAccount {
    id: String,
    name: String,
    created_at: Timestamp,
    #[serde(default)]
    created_by_actor_id: Option<String>,
    #[serde(default)]
    archived_at: Option<Timestamp>,
    #[serde(default)]
    organization_role: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Issuer {
    id: String,
    #[serde(default)]
    name: Option<String>,
    issuer_url: String,
    #[serde(default)]
    archived_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RuleMatch {
    #[serde(default)]
    audience: Option<String>,
    #[serde(default)]
    claims: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    subject_prefix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RuleTarget {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    service_account_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Rule {
    id: String,
    name: String,
    issuer_id: String,
    #[serde(default, rename = "match")]
    matcher: RuleMatch,
    oauth_scope: String,
    target: RuleTarget,
    token_lifetime_seconds: u64,
    #[serde(default)]
    archived_at: Option<Timestamp>,
}

struct Federation {
    service_accounts: Vec<ServiceAccount>,
    issuers: Vec<Issuer>,
    rules: Vec<Rule>,
}

struct Listing {
    users: Vec<ApiUser>,
    workspaces: Vec<Workspace>,
    keys: Vec<ApiKey>,
    federation: Option<Federation>,
}

// --- mapping ------------------------------------------------------------------

fn to_estate(ctx: &SourceContext, l: Listing) -> Estate {
    let source = ctx.name.clone();
    let p = Provider::Anthropic;
    let mut estate = Estate {
        sources: vec![SourceInfo {
            name: source.clone(),
            provider: p,
            scope: None,
            collected_at: Some(Timestamp::now()),
        }],
        ..Estate::default()
    };
    // Owners are named by email when the user is known (registries name people
    // that way), else by the id the provider recorded.
    let email_of: HashMap<&str, &str> = l
        .users
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.email.as_deref()?)))
        .collect();
    let workspace_name: HashMap<&str, &Workspace> =
        l.workspaces.iter().map(|w| (w.id.as_str(), w)).collect();
    for u in &l.users {
        estate.users.push(User {
            source: source.clone(),
            provider: p,
            id: u.id.clone(),
            email: u.email.clone(),
            name: u.name.clone(),
            active: true,
        });
    }

    for k in &l.keys {
        let mut tags = std::collections::BTreeMap::new();
        let owner = match &k.created_by {
            Some(a) if a.kind == "user" => Some(
                email_of
                    .get(a.id.as_str())
                    .map_or_else(|| a.id.clone(), |e| (*e).to_string()),
            ),
            Some(a) => {
                // Created by a service account: not a person who can leave.
                tags.insert("created_by".into(), format!("{}:{}", a.kind, a.id));
                None
            }
            None => None,
        };
        if let Some(w) = &k.workspace_id {
            tags.insert("workspace_id".into(), w.clone());
            if let Some(ws) = workspace_name.get(w.as_str()) {
                if let Some(n) = &ws.name {
                    tags.insert("workspace".into(), n.clone());
                }
                if ws.archived_at.is_some() {
                    tags.insert("workspace_archived".into(), "true".into());
                }
            }
        } else {
            tags.insert("workspace".into(), "default".into());
        }
        let state = match k.status.as_str() {
            "active" => CredentialState::Active,
            "inactive" => CredentialState::Inactive,
            "expired" => CredentialState::Expired,
            // "archived" keys can never be used again.
            _ => CredentialState::Revoked,
        };
        let name = k.name.clone().unwrap_or_else(|| k.id.clone());
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            id: k.id.clone(),
            name,
            kind: IdentityKind::ApiKey,
            owner,
            owner_active: None,
            created: Some(k.created_at),
            // The Admin API does not report when a key was last used.
            last_activity: Activity::Unknown,
            disabled: state != CredentialState::Active,
            tags: tags.into(),
        });
        estate.credentials.push(Credential {
            source: source.clone(),
            provider: p,
            id: k.id.clone(),
            identity: k.id.clone(),
            kind: CredentialKind::ApiKey,
            hint: k.partial_key_hint.clone(),
            created: Some(k.created_at),
            last_used: Activity::Unknown,
            expires: k.expires_at.map_or(Expiry::Never, Expiry::At),
            state,
            long_lived: true,
            managed: Managed::User,
            root: false,
            admin: false,
            invalid_since: None,
        });
    }

    let Some(f) = l.federation else {
        return estate;
    };
    for sa in &f.service_accounts {
        let mut tags = std::collections::BTreeMap::new();
        if let Some(r) = &sa.organization_role {
            tags.insert("organization_role".into(), r.clone());
        }
        if let Some(d) = &sa.description {
            tags.insert("description".into(), d.clone());
        }
        let owner = sa
            .created_by_actor_id
            .as_deref()
            .filter(|a| a.starts_with("user_"))
            .map(|a| {
                email_of
                    .get(a)
                    .map_or_else(|| a.to_string(), |e| (*e).to_string())
            });
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            id: sa.id.clone(),
            name: sa.name.clone(),
            kind: IdentityKind::ServiceAccount,
            owner,
            owner_active: None,
            created: Some(sa.created_at),
            last_activity: Activity::Unknown,
            disabled: sa.archived_at.is_some(),
            tags: tags.into(),
        });
        if sa.organization_role.as_deref() == Some("admin") && sa.archived_at.is_none() {
            estate.privileges.push(Privilege {
                source: source.clone(),
                provider: p,
                identity: sa.id.clone(),
                grant: "organization_role: admin".into(),
                admin: true,
                scopes: Vec::new(),
                audience: None,
                via: Some(format!("service account {}", sa.name)),
            });
        }
    }
    let issuers: HashMap<&str, &Issuer> = f.issuers.iter().map(|i| (i.id.as_str(), i)).collect();
    for r in &f.rules {
        let Some(target) = r
            .target
            .service_account_id
            .clone()
            .filter(|_| r.target.kind == "service_account")
        else {
            continue;
        };
        let issuer = issuers.get(r.issuer_id.as_str());
        // An archived rule, or a rule on an archived issuer, rejects every exchange.
        if r.archived_at.is_some() || issuer.is_some_and(|i| i.archived_at.is_some()) {
            continue;
        }
        let issuer_url = issuer.map_or_else(|| r.issuer_id.clone(), |i| i.issuer_url.clone());
        estate.trusts.push(rule_to_trust(
            &source,
            r,
            &issuer_url,
            &target,
            issuer.and_then(|i| i.name.as_deref()),
        ));
        let scopes: Vec<String> = r
            .oauth_scope
            .split_whitespace()
            .map(str::to_string)
            .collect();
        estate.privileges.push(Privilege {
            source: source.clone(),
            provider: p,
            identity: target,
            grant: r.oauth_scope.clone(),
            admin: scopes.iter().any(|s| s == "org:admin"),
            scopes,
            audience: None,
            via: Some(format!("federation rule {} ({})", r.name, r.id)),
        });
    }
    estate
}

fn rule_to_trust(
    source: &str,
    r: &Rule,
    issuer_url: &str,
    target: &str,
    issuer_name: Option<&str>,
) -> Trust {
    let m = &r.matcher;
    let mut conditions: Vec<String> = Vec::new();
    if let Some(claims) = &m.claims {
        for (k, v) in claims {
            conditions.push(format!("claims.{k} == {v:?}"));
        }
    }
    if let Some(c) = m.condition.as_deref().filter(|c| !c.trim().is_empty()) {
        conditions.push(c.to_string());
    }
    let mut via = format!(
        "federation rule {} ({}), token lifetime {}s",
        r.name, r.id, r.token_lifetime_seconds
    );
    if let Some(n) = issuer_name {
        via.push_str(&format!(", issuer {n}"));
    }
    let subjects = if shared_issuer(issuer_url).is_some() && !tenant_pinned(issuer_url, m) {
        // A shared issuer signs tokens for every tenant of the service: without
        // a claim or subject prefix naming this tenant, anyone's workflow
        // matches. Recorded as no subject condition at all.
        if let Some(p) = &m.subject_prefix {
            via.push_str(&format!(", subject_prefix {p:?} does not pin a tenant"));
        } else {
            via.push_str(", no tenant-pinning claim or subject prefix");
        }
        Vec::new()
    } else {
        match &m.subject_prefix {
            Some(p) => vec![p.clone()],
            // Claims or a condition decide; any subject passes them.
            None => vec!["*".to_string()],
        }
    };
    Trust {
        source: source.to_string(),
        provider: Provider::Anthropic,
        identity: target.to_string(),
        issuer: issuer_url.to_string(),
        subjects,
        audiences: m.audience.iter().cloned().collect(),
        attribute_condition: (!conditions.is_empty()).then(|| conditions.join(" && ")),
        via: Some(via),
        token_lifetime_seconds: Some(r.token_lifetime_seconds),
    }
}

/// How a shared issuer's tenants are told apart: the subject's leading
/// field and the separator that ends the tenant's name, and the claims that
/// carry the tenant's identity.
struct SharedIssuer {
    subject_field: &'static str,
    tenant_end: char,
    identity_claims: &'static [&'static str],
}

/// The well-known shared issuers the federation docs name (GitHub Actions,
/// GitLab, Buildkite, Terraform Cloud, Google).
fn shared_issuer(issuer_url: &str) -> Option<SharedIssuer> {
    let s = |subject_field, tenant_end, identity_claims| {
        Some(SharedIssuer {
            subject_field,
            tenant_end,
            identity_claims,
        })
    };
    match issuer_url.trim_end_matches('/') {
        "https://token.actions.githubusercontent.com" => s(
            "repo:",
            '/',
            &[
                "repository_owner",
                "repository_owner_id",
                "repository",
                "repository_id",
                "enterprise",
                "enterprise_id",
            ],
        ),
        "https://gitlab.com" => s(
            "project_path:",
            '/',
            &[
                "namespace_id",
                "namespace_path",
                "project_id",
                "project_path",
            ],
        ),
        "https://agent.buildkite.com" => s(
            "organization:",
            ':',
            &["organization_slug", "organization_id"],
        ),
        "https://app.terraform.io" => s(
            "organization:",
            ':',
            &["terraform_organization_id", "terraform_organization_name"],
        ),
        // Google's `sub` is one account's unique id: only an exact subject pins.
        "https://accounts.google.com" => s("", '\0', &["email", "hd", "azp"]),
        _ => None,
    }
}

/// True when a rule on a shared issuer names the tenant: an identity claim,
/// a subject prefix whose tenant part is spelled out, or a condition that
/// reads an identity claim.
fn tenant_pinned(issuer_url: &str, m: &RuleMatch) -> bool {
    let Some(shared) = shared_issuer(issuer_url) else {
        return true;
    };
    if let Some(claims) = &m.claims
        && claims
            .iter()
            .any(|(k, v)| shared.identity_claims.contains(&k.as_str()) && !v.trim().is_empty())
    {
        return true;
    }
    if let Some(c) = &m.condition
        && shared
            .identity_claims
            .iter()
            .any(|k| c.contains(&format!("claims.{k}")))
    {
        return true;
    }
    let Some(prefix) = &m.subject_prefix else {
        return false;
    };
    let exact = !prefix.ends_with('*');
    let body = prefix.trim_end_matches('*');
    if shared.subject_field.is_empty() {
        return exact && !body.is_empty();
    }
    let Some(rest) = body.strip_prefix(shared.subject_field) else {
        return false;
    };
    match rest.split_once(shared.tenant_end) {
        Some((tenant, _)) => !tenant.is_empty() && !tenant.contains('*'),
        // `repo:acme` exactly names one tenant; `repo:acme*` does not.
        None => exact && !rest.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn key(id: &str, status: &str, created_by: Option<&str>, expires: Option<&str>) -> ApiKey {
        ApiKey {
            id: id.into(),
            name: Some(format!("{id}-name")),
            created_at: ts("2026-01-01T00:00:00Z"),
            created_by: created_by.map(|u| Actor {
                id: u.into(),
                kind: "user".into(),
            }),
            expires_at: expires.map(ts),
            partial_key_hint: Some("sk-ant-api03-R2D...igAA".into()),
            status: status.into(),
            workspace_id: None,
        }
    }

    fn rule(issuer: &str, m: RuleMatch) -> Rule {
        Rule {
            id: "fdrl_1".into(),
            name: "ci".into(),
            issuer_id: issuer.into(),
            matcher: m,
            oauth_scope: "workspace:developer".into(),
            target: RuleTarget {
                kind: "service_account".into(),
                service_account_id: Some("svac_1".into()),
            },
            token_lifetime_seconds: 3600,
            archived_at: None,
        }
    }

    fn evaluate(estate: &Estate, as_of: &str) -> Vec<(String, String)> {
        let registry = crate::registry::Registry::default();
        let options = crate::inventory::Options {
            as_of: ts(as_of),
            fail_on: crate::registry::FailOn::Never,
            agent: None,
            rules: None,
        };
        let report = crate::inventory::evaluate::evaluate(
            &registry,
            None,
            estate,
            &HashMap::new(),
            &options,
        );
        report
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.subject.id.clone()))
            .collect()
    }

    #[test]
    fn maps_keys_users_and_finds_gone_creators_and_expiry() {
        let ctx = SourceContext::new("claude", ts("2026-11-01T00:00:00Z"));
        let listing = Listing {
            users: vec![ApiUser {
                id: "user_alice".into(),
                email: Some("alice@acme.example".into()),
                name: Some("Alice".into()),
            }],
            workspaces: vec![],
            keys: vec![
                // Created by a user still in the organisation, no expiry.
                key("apikey_never", "active", Some("user_alice"), None),
                // Expired yesterday but still listed.
                key(
                    "apikey_expired",
                    "active",
                    Some("user_alice"),
                    Some("2026-10-31T00:00:00Z"),
                ),
                // Its creator left: not in the user list.
                key(
                    "apikey_orphan",
                    "active",
                    Some("user_bob"),
                    Some("2027-06-01T00:00:00Z"),
                ),
                key("apikey_archived", "archived", Some("user_bob"), None),
            ],
            federation: None,
        };
        let estate = to_estate(&ctx, listing);
        assert_eq!(estate.identities.len(), 4);
        assert_eq!(estate.users.len(), 1);
        let never = &estate.credentials[0];
        assert_eq!(never.expires, Expiry::Never);
        assert_eq!(never.last_used, Activity::Unknown, "the API does not say");
        assert_eq!(
            estate.identities[0].owner.as_deref(),
            Some("alice@acme.example")
        );
        assert_eq!(estate.identities[2].owner.as_deref(), Some("user_bob"));
        assert_eq!(estate.credentials[3].state, CredentialState::Revoked);
        assert!(estate.identities[3].disabled);

        let found = evaluate(&estate, "2026-11-01T00:00:00Z");
        let has = |rule: &str, id: &str| found.iter().any(|(r, s)| r == rule && s == id);
        assert!(has("AID014", "apikey_never"), "{found:?}");
        assert!(has("AID015", "apikey_expired"), "{found:?}");
        assert!(has("AID004", "apikey_orphan"), "{found:?}");
        assert!(!has("AID004", "apikey_never"), "{found:?}");
        assert!(!has("AID004", "apikey_archived"), "archived: {found:?}");
        assert!(
            !found.iter().any(|(_, s)| s == "apikey_archived"),
            "an archived key is not judged: {found:?}"
        );
    }

    #[test]
    fn a_rule_on_github_actions_without_a_tenant_is_broad() {
        let gha = "https://token.actions.githubusercontent.com";
        let broad = RuleMatch {
            subject_prefix: Some("repo:*".into()),
            ..RuleMatch::default()
        };
        let pinned = RuleMatch {
            subject_prefix: Some("repo:acme/deploy:*".into()),
            ..RuleMatch::default()
        };
        let by_claim = RuleMatch {
            claims: Some([("repository_owner".to_string(), "acme".to_string())].into()),
            ..RuleMatch::default()
        };
        let only_workflow = RuleMatch {
            claims: Some([("workflow".to_string(), "deploy".to_string())].into()),
            ..RuleMatch::default()
        };
        let by_condition = RuleMatch {
            condition: Some("claims.repository_owner_id == '42'".into()),
            ..RuleMatch::default()
        };
        assert!(!tenant_pinned(gha, &broad));
        assert!(tenant_pinned(gha, &pinned));
        assert!(tenant_pinned(gha, &by_claim));
        assert!(!tenant_pinned(gha, &only_workflow));
        assert!(tenant_pinned(gha, &by_condition));
        assert!(!tenant_pinned(
            gha,
            &RuleMatch {
                subject_prefix: Some("repo:ac*".into()),
                ..RuleMatch::default()
            }
        ));
        // Not a shared issuer: the organisation's own issuer signs only its tokens.
        assert!(tenant_pinned("https://k8s.acme.example", &only_workflow));

        let t = rule_to_trust("claude", &rule("fdis_1", broad), gha, "svac_1", None);
        assert!(t.subjects.is_empty(), "{t:?}");
        assert!(crate::inventory::rules::unconditioned_trust(&t).is_some());
        let t = rule_to_trust("claude", &rule("fdis_1", pinned), gha, "svac_1", None);
        assert_eq!(t.subjects, vec!["repo:acme/deploy:*".to_string()]);
        assert!(crate::inventory::rules::unconditioned_trust(&t).is_none());
        let t = rule_to_trust("claude", &rule("fdis_1", by_claim), gha, "svac_1", None);
        assert_eq!(t.subjects, vec!["*".to_string()]);
        assert_eq!(
            t.attribute_condition.as_deref(),
            Some("claims.repository_owner == \"acme\"")
        );
        assert!(t.via.as_deref().is_some_and(|v| v.contains("3600s")));
    }

    #[test]
    fn a_token_lifetime_over_the_maximum_is_reported() {
        let ctx = SourceContext::new("claude", ts("2026-11-01T00:00:00Z"));
        let pinned = RuleMatch {
            subject_prefix: Some("repo:acme/deploy:*".into()),
            ..RuleMatch::default()
        };
        let mut long = rule("fdis_1", pinned.clone());
        long.token_lifetime_seconds = 7200;
        let mut short = rule("fdis_1", pinned);
        short.id = "fdrl_2".into();
        short.target.service_account_id = Some("svac_2".into());
        short.token_lifetime_seconds = 600;
        let sa = |id: &str| ServiceAccount {
            id: id.into(),
            name: id.into(),
            created_at: ts("2026-01-01T00:00:00Z"),
            created_by_actor_id: None,
            archived_at: None,
            organization_role: Some("developer".into()),
            description: None,
        };
        let estate = to_estate(
            &ctx,
            Listing {
                users: vec![],
                workspaces: vec![],
                keys: vec![],
                federation: Some(Federation {
                    service_accounts: vec![sa("svac_1"), sa("svac_2")],
                    issuers: vec![Issuer {
                        id: "fdis_1".into(),
                        name: Some("gha".into()),
                        issuer_url: "https://token.actions.githubusercontent.com".into(),
                        archived_at: None,
                    }],
                    rules: vec![long, short],
                }),
            },
        );
        assert_eq!(estate.trusts[0].token_lifetime_seconds, Some(7200));
        let found = evaluate(&estate, "2026-11-01T00:00:00Z");
        let broad: Vec<&(String, String)> = found.iter().filter(|(r, _)| r == "AID021").collect();
        assert_eq!(broad.len(), 1, "{found:?}");
        assert!(broad[0].1.ends_with("svac_1"), "{found:?}");
    }
}
