//! The `openai` source: one OpenAI organisation, read through the Admin API
//! with an admin key (`sk-admin-…`, sent as `Authorization: Bearer`).
//!
//! Request and response formats, as documented (read 2026-11):
//! - admin keys: <https://developers.openai.com/api/reference/resources/organization/subresources/admin_api_keys/methods/list>
//!   (`GET /v1/organization/admin_api_keys`: `id`, `name`, `redacted_value`,
//!   `created_at`, `last_used_at`, `expires_at`, `owner {type, id, …}`)
//! - users: <https://developers.openai.com/api/reference/resources/organization/subresources/users/methods/list>
//!   (`GET /v1/organization/users`: `id`, `email`, `name`, `role`, `added_at`)
//! - projects: <https://developers.openai.com/api/reference/resources/organization/subresources/projects/methods/list>
//!   (`GET /v1/organization/projects`: `id`, `name`, `status`, `archived_at`;
//!   archived projects are left out, as by default: nothing in them works)
//! - project service accounts: `GET /v1/organization/projects/{id}/service_accounts`
//!   (<https://developers.openai.com/api/reference/resources/organization/subresources/projects/subresources/service_accounts/methods/list>:
//!   `id`, `name`, `role`, `created_at`)
//! - project API keys: <https://developers.openai.com/api/reference/resources/organization/subresources/projects/subresources/api_keys/methods/list>
//!   (`GET /v1/organization/projects/{id}/api_keys`: `id`, `name`,
//!   `redacted_value`, `created_at`, `last_used_at`, `expires_at`,
//!   `owner {type: user|service_account, user, service_account}`,
//!   `owner_project_access: active|inactive`; asked with
//!   `owner_project_access=any`, because without it "the endpoint applies
//!   membership-based visibility rules that may exclude some enabled keys")
//! - every list pages with `limit` (≤ 100) / `after` and answers
//!   `{object: "list", data, first_id, last_id, has_more}`.
//!
//! Mapping to the estate: an admin key, and a project key owned by a user,
//! is an identity of kind `api_key` owned by that user, holding one
//! credential; a project service account is an identity holding its keys;
//! users are the provider's user list; `last_used_at: null` is "never used";
//! `owner_project_access: inactive` is an owner gone (AID004).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::source::{SourceContext, SourceFailure};
use crate::http::{Auth, Http, HttpOptions};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Expiry, Identity, IdentityKind,
    Managed, Provider, SourceInfo, User,
};
use crate::registry::AdminKeySource;

pub const DEFAULT_ENDPOINT: &str = "https://api.openai.com";
const BODY_LIMIT: usize = 8 * 1024 * 1024;
const MAX_PAGES: usize = 100_000;
/// Projects read at once.
const PARALLEL_PROJECTS: usize = 8;
const PERMISSION: &str =
    "an Admin API key (sk-admin-…) of an organization owner, with read access to the organization";

/// Reads the organisation the admin key belongs to.
pub async fn collect(
    settings: &AdminKeySource,
    ctx: &SourceContext,
) -> Result<Estate, SourceFailure> {
    let var = &settings.admin_key_env;
    let Some(key) = std::env::var(var)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    else {
        return Err(SourceFailure {
            source: ctx.name.clone(),
            endpoint: format!("environment variable {var} (admin_key_env)"),
            cause: format!("{var} is not set or empty"),
            permission: Some(PERMISSION.to_string()),
        });
    };
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(30),
        read_timeout: Duration::from_secs(20),
        attempts: 4,
        max_retry_after: Duration::from_secs(60),
        ..HttpOptions::default()
    })
    .map_err(|e| SourceFailure {
        source: ctx.name.clone(),
        endpoint: "HTTP client".into(),
        cause: e.to_string(),
        permission: None,
    })?
    .count_calls_into(ctx.calls.clone());
    let api = Arc::new(Api {
        http,
        base: settings
            .endpoint
            .as_deref()
            .unwrap_or(DEFAULT_ENDPOINT)
            .trim_end_matches('/')
            .to_string(),
        source: ctx.name.clone(),
        key,
    });

    let users: Vec<ApiUser> = api.list("/v1/organization/users", &[]).await?;
    let admin_keys: Vec<AdminKey> = api.list("/v1/organization/admin_api_keys", &[]).await?;
    let projects: Vec<Project> = api.list("/v1/organization/projects", &[]).await?;

    // Each project's service accounts and keys, a few projects at a time.
    let mut per_project: Vec<ProjectListing> = Vec::with_capacity(projects.len());
    for batch in projects.chunks(PARALLEL_PROJECTS) {
        let mut set = tokio::task::JoinSet::new();
        for (i, p) in batch.iter().enumerate() {
            let api = api.clone();
            let id = p.id.clone();
            set.spawn(async move {
                let sas: Result<Vec<ServiceAccount>, _> = api
                    .list(
                        &format!("/v1/organization/projects/{id}/service_accounts"),
                        &[],
                    )
                    .await;
                let keys: Result<Vec<ProjectKey>, _> = api
                    .list(
                        &format!("/v1/organization/projects/{id}/api_keys"),
                        &[("owner_project_access", "any")],
                    )
                    .await;
                (i, sas, keys)
            });
        }
        let mut done: Vec<(usize, Vec<ServiceAccount>, Vec<ProjectKey>)> = Vec::new();
        while let Some(joined) = set.join_next().await {
            let (i, sas, keys) = joined.map_err(|e| SourceFailure {
                source: ctx.name.clone(),
                endpoint: "GET /v1/organization/projects/{project_id}/…".into(),
                cause: format!("the task reading a project failed: {e}"),
                permission: None,
            })?;
            done.push((i, sas?, keys?));
        }
        done.sort_by_key(|d| d.0);
        for (i, service_accounts, keys) in done {
            per_project.push(ProjectListing {
                project: batch[i].clone(),
                service_accounts,
                keys,
            });
        }
    }
    Ok(to_estate(
        ctx,
        Listing {
            users,
            admin_keys,
            projects: per_project,
        },
    ))
}

struct Api {
    http: Http,
    base: String,
    source: String,
    key: String,
}

#[derive(Deserialize)]
struct Page<T> {
    data: Vec<T>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    last_id: Option<String>,
}

impl Api {
    /// Every item of a list (`after` / `has_more` / `last_id` pagination).
    async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, &str)],
    ) -> Result<Vec<T>, SourceFailure> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query: Vec<(&str, &str)> = vec![("limit", "100")];
            query.extend_from_slice(extra);
            if let Some(a) = &after {
                query.push(("after", a.as_str()));
            }
            let page: Page<T> = self.get(path, &query).await?;
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

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, SourceFailure> {
        let url = format!("{}{path}?{}", self.base, crate::http::form_urlencode(query));
        tracing::info!(source = %self.source, "GET {path}");
        let r = self
            .http
            .get_with(&url, &[], Some(Auth::Bearer(&self.key)), BODY_LIMIT, false)
            .await
            .map_err(|e| self.fail(path, e.to_string(), None))?;
        if !r.is_success() {
            let detail = crate::http::status_error(&r).to_string();
            let (cause, needs) = match r.status {
                401 => (
                    format!("the admin key was refused ({detail})"),
                    Some(PERMISSION),
                ),
                403 => (format!("permission denied ({detail})"), Some(PERMISSION)),
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
        let cause = if cause.contains(self.key.as_str()) {
            cause.replace(self.key.as_str(), &crate::secrets::redact(&self.key))
        } else {
            cause
        };
        // Project ids are not secrets, but one endpoint name per kind of call
        // reads better in a source-error row; the id stays in the cause.
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
struct ApiUser {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// `owner` of an admin key: the user (or, in some answers, service account) that holds it.
#[derive(Debug, Clone, Default, Deserialize)]
struct AdminKeyOwner {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct AdminKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    redacted_value: Option<String>,
    created_at: i64,
    #[serde(default)]
    last_used_at: Option<i64>,
    #[serde(default)]
    expires_at: Option<i64>,
    #[serde(default)]
    owner: AdminKeyOwner,
}

#[derive(Debug, Clone, Deserialize)]
struct Project {
    id: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ServiceAccount {
    id: String,
    name: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    created_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
struct KeyUser {
    id: String,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct KeyOwner {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    user: Option<KeyUser>,
    #[serde(default)]
    service_account: Option<ServiceAccount>,
}

#[derive(Debug, Clone, Deserialize)]
struct ProjectKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    redacted_value: Option<String>,
    created_at: i64,
    #[serde(default)]
    last_used_at: Option<i64>,
    #[serde(default)]
    expires_at: Option<i64>,
    #[serde(default)]
    owner: KeyOwner,
    #[serde(default)]
    owner_project_access: Option<String>,
}

struct ProjectListing {
    project: Project,
    service_accounts: Vec<ServiceAccount>,
    keys: Vec<ProjectKey>,
}

struct Listing {
    users: Vec<ApiUser>,
    admin_keys: Vec<AdminKey>,
    projects: Vec<ProjectListing>,
}

// --- mapping ------------------------------------------------------------------

fn unix(secs: i64) -> Option<Timestamp> {
    Timestamp::from_second(secs).ok()
}

/// `last_used_at`: `null` (or absent) means the key was never used.
fn used(at: Option<i64>) -> Activity {
    match at.and_then(unix) {
        Some(t) => Activity::At(t),
        None => Activity::Never,
    }
}

fn expiry(at: Option<i64>) -> Expiry {
    at.and_then(unix).map_or(Expiry::Never, Expiry::At)
}

fn state(expires: Expiry, now: Timestamp) -> CredentialState {
    match expires {
        Expiry::At(t) if t <= now => CredentialState::Expired,
        _ => CredentialState::Active,
    }
}

fn to_estate(ctx: &SourceContext, l: Listing) -> Estate {
    let source = ctx.name.clone();
    let p = Provider::Openai;
    let now = ctx.as_of;
    let mut estate = Estate {
        sources: vec![SourceInfo {
            name: source.clone(),
            provider: p,
            scope: None,
            collected_at: Some(Timestamp::now()),
        }],
        ..Estate::default()
    };
    let email_of: HashMap<&str, &str> = l
        .users
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.email.as_deref()?)))
        .collect();
    let owner_name = |id: &str| {
        email_of
            .get(id)
            .map_or_else(|| id.to_string(), |e| (*e).to_string())
    };
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

    for k in &l.admin_keys {
        let mut tags = BTreeMap::new();
        let owner = match (k.owner.kind.as_deref(), &k.owner.id) {
            (Some("user") | None, Some(id)) => Some(owner_name(id)),
            (Some(kind), Some(id)) => {
                tags.insert("owner".into(), format!("{kind}:{id}"));
                None
            }
            _ => None,
        };
        if let Some(n) = &k.owner.name {
            tags.insert("owner_name".into(), n.clone());
        }
        let expires = expiry(k.expires_at);
        let created = unix(k.created_at);
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            id: k.id.clone(),
            name: k.name.clone().unwrap_or_else(|| k.id.clone()),
            kind: IdentityKind::ApiKey,
            owner,
            owner_active: None,
            created,
            last_activity: Activity::Unknown,
            disabled: false,
            tags: tags.into(),
        });
        estate.credentials.push(Credential {
            source: source.clone(),
            provider: p,
            id: k.id.clone(),
            identity: k.id.clone(),
            kind: CredentialKind::AdminKey,
            hint: k.redacted_value.clone(),
            created,
            last_used: used(k.last_used_at),
            expires,
            state: state(expires, now),
            long_lived: true,
            managed: Managed::User,
            root: false,
            admin: true,
            invalid_since: None,
        });
    }

    let mut seen_accounts: HashSet<String> = HashSet::new();
    for pl in &l.projects {
        let project_tags = |extra: &[(&str, &str)]| {
            let mut t = BTreeMap::new();
            t.insert("project_id".to_string(), pl.project.id.clone());
            if let Some(n) = &pl.project.name {
                t.insert("project".to_string(), n.clone());
            }
            for (k, v) in extra {
                t.insert((*k).to_string(), (*v).to_string());
            }
            t
        };
        let mut add_account = |sa: &ServiceAccount, estate: &mut Estate| {
            if !seen_accounts.insert(sa.id.clone()) {
                return;
            }
            estate.identities.push(Identity {
                source: source.clone(),
                provider: p,
                id: sa.id.clone(),
                name: sa.name.clone(),
                kind: IdentityKind::ServiceAccount,
                owner: None,
                owner_active: None,
                created: sa.created_at.and_then(unix),
                last_activity: Activity::Unknown,
                disabled: false,
                tags: crate::model::Tags::from(project_tags(&[(
                    "role",
                    sa.role.as_deref().unwrap_or(""),
                )])),
            });
        };
        for sa in &pl.service_accounts {
            add_account(sa, &mut estate);
        }
        for k in &pl.keys {
            let expires = expiry(k.expires_at);
            let created = unix(k.created_at);
            let holder = match (
                k.owner.kind.as_deref(),
                &k.owner.service_account,
                &k.owner.user,
            ) {
                (Some("service_account"), Some(sa), _) => {
                    add_account(sa, &mut estate);
                    sa.id.clone()
                }
                (_, _, user) => {
                    let owner = user
                        .as_ref()
                        .map(|u| u.email.clone().unwrap_or_else(|| owner_name(&u.id)));
                    let owner_active = match k.owner_project_access.as_deref() {
                        Some("inactive") => Some(false),
                        Some("active") => Some(true),
                        _ => None,
                    };
                    estate.identities.push(Identity {
                        source: source.clone(),
                        provider: p,
                        id: k.id.clone(),
                        name: k.name.clone().unwrap_or_else(|| k.id.clone()),
                        kind: IdentityKind::ApiKey,
                        owner,
                        owner_active,
                        created,
                        last_activity: Activity::Unknown,
                        disabled: false,
                        tags: crate::model::Tags::from(project_tags(&[])),
                    });
                    k.id.clone()
                }
            };
            estate.credentials.push(Credential {
                source: source.clone(),
                provider: p,
                id: k.id.clone(),
                identity: holder,
                kind: CredentialKind::ApiKey,
                hint: k.redacted_value.clone(),
                created,
                last_used: used(k.last_used_at),
                expires,
                state: state(expires, now),
                long_lived: true,
                managed: Managed::User,
                root: false,
                admin: false,
                invalid_since: None,
            });
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

    fn secs(s: &str) -> i64 {
        ts(s).as_second()
    }

    fn key(id: &str, last_used: Option<&str>, expires: Option<&str>, access: &str) -> ProjectKey {
        ProjectKey {
            id: id.into(),
            name: Some(id.into()),
            redacted_value: Some("sk-abc...def".into()),
            created_at: secs("2026-01-01T00:00:00Z"),
            last_used_at: last_used.map(secs),
            expires_at: expires.map(secs),
            owner: KeyOwner {
                kind: Some("user".into()),
                user: Some(KeyUser {
                    id: "user_alice".into(),
                    email: Some("alice@acme.example".into()),
                }),
                service_account: None,
            },
            owner_project_access: Some(access.into()),
        }
    }

    fn findings(estate: &Estate) -> Vec<(String, String)> {
        let report = crate::inventory::evaluate::evaluate(
            &crate::registry::Registry::default(),
            None,
            estate,
            &HashMap::new(),
            &crate::inventory::Options {
                as_of: ts("2026-11-01T00:00:00Z"),
                fail_on: crate::registry::FailOn::Never,
                agent: None,
                rules: None,
            },
        );
        report
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.subject.id.clone()))
            .collect()
    }

    #[test]
    fn never_used_expired_and_gone_owner_keys() {
        let ctx = SourceContext::new("oai", ts("2026-11-01T00:00:00Z"));
        let sa = ServiceAccount {
            id: "svc_acct_1".into(),
            name: "bot".into(),
            role: Some("member".into()),
            created_at: Some(secs("2026-01-01T00:00:00Z")),
        };
        let mut by_sa = key("key_sa", Some("2026-10-30T00:00:00Z"), None, "active");
        by_sa.owner = KeyOwner {
            kind: Some("service_account".into()),
            user: None,
            service_account: Some(sa.clone()),
        };
        let listing = Listing {
            users: vec![ApiUser {
                id: "user_alice".into(),
                email: Some("alice@acme.example".into()),
                name: None,
            }],
            admin_keys: vec![],
            projects: vec![ProjectListing {
                project: Project {
                    id: "proj_1".into(),
                    name: Some("prod".into()),
                },
                service_accounts: vec![sa],
                keys: vec![
                    key("key_never", None, Some("2027-06-01T00:00:00Z"), "active"),
                    key(
                        "key_expired",
                        Some("2026-10-30T00:00:00Z"),
                        Some("2026-10-01T00:00:00Z"),
                        "active",
                    ),
                    key(
                        "key_orphan",
                        Some("2026-10-30T00:00:00Z"),
                        Some("2027-06-01T00:00:00Z"),
                        "inactive",
                    ),
                    by_sa,
                ],
            }],
        };
        let estate = to_estate(&ctx, listing);
        let cred = |id: &str| estate.credentials.iter().find(|c| c.id == id).unwrap();
        assert_eq!(cred("key_never").last_used, Activity::Never);
        assert_eq!(cred("key_expired").state, CredentialState::Expired);
        assert_eq!(cred("key_sa").identity, "svc_acct_1");
        assert_eq!(
            estate
                .identities
                .iter()
                .filter(|i| i.id == "svc_acct_1")
                .count(),
            1,
            "listed and owning a key, still one identity"
        );

        let found = findings(&estate);
        let has = |rule: &str, id: &str| found.iter().any(|(r, s)| r == rule && s == id);
        assert!(has("AID012", "key_never"), "{found:?}");
        assert!(has("AID015", "key_expired"), "{found:?}");
        assert!(has("AID004", "key_orphan"), "{found:?}");
        assert!(!has("AID004", "key_never"), "{found:?}");
        assert!(has("AID014", "key_sa"), "no expiry: {found:?}");
    }
}
