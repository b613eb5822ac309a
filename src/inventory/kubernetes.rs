//! The `kubernetes` source: one cluster, read through the Kubernetes API with
//! the credentials kubectl would use.
//!
//! Credentials and the cluster come from kube-rs: the kubeconfig the registry
//! names (`kubeconfig:`), else `$KUBECONFIG` (several files, merged), else
//! `~/.kube/config`, with `context:` picking a context (default the current
//! one); with no kubeconfig at all and no `context:`, the in-cluster config of
//! the pod agentid runs in (`KUBERNETES_SERVICE_HOST`, the mounted service
//! account token and CA) — the order of `kube::Config::infer`. Exec and
//! auth-provider plugins, client certificates and tokens all work as in
//! kubectl.
//!
//! Objects read, all with `list` and followed to the end with `limit` /
//! `continue` (formats: <https://kubernetes.io/docs/reference/kubernetes-api/>):
//! - `GET /api/v1/serviceaccounts` (ServiceAccountList): every service
//!   account → an identity `namespace/name`; owner from the annotation
//!   [`OWNER_ANNOTATION`].
//! - `GET /api/v1/secrets?fieldSelector=type=kubernetes.io/service-account-token`,
//!   asked as `PartialObjectMetadataList` (`Accept:
//!   application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`), so
//!   the API server sends names, labels and annotations only — never the
//!   token itself, nor any other Secret. Each is a legacy token credential;
//!   labels `kubernetes.io/legacy-token-last-used` and
//!   `kubernetes.io/legacy-token-invalid-since` (dates, `YYYY-MM-DD`) give
//!   its last use and invalidation (AID017).
//! - `GET /apis/rbac.authorization.k8s.io/v1/clusterroles`,
//!   `.../clusterrolebindings` and `.../rolebindings`: bindings of service
//!   accounts become privileges; `cluster-admin`, or any ClusterRole with a
//!   rule granting verb `*` on resource `*`, is admin (AID020). Groups
//!   `system:serviceaccounts` and `system:serviceaccounts:<ns>` bound to an
//!   admin role make every service account they cover admin.
//!
//! Every request is counted and logged (`-v`: `GET <path>`, without query or
//! headers). 429, 500 and 502–504 answers and connection failures are
//! retried (4 attempts, `Retry-After` honoured up to 60 s), as the rest of
//! agentid does; kube's own retry layer is switched off for that.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::Ordering;
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleBinding, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::client::{Body, ClientBuilder};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ObjectList, PartialObjectMeta};
use kube::{Client, Config, Resource};
use serde::de::DeserializeOwned;

use super::source::{SourceContext, SourceFailure};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Expiry, Identity, IdentityKind,
    Managed, Privilege, Provider, SourceInfo,
};
use crate::registry::KubernetesSource;

/// Annotation on a ServiceAccount naming its owner (the registry has no
/// per-source owner setting for Kubernetes).
pub const OWNER_ANNOTATION: &str = "agentid.io/owner";
pub const LAST_USED_LABEL: &str = "kubernetes.io/legacy-token-last-used";
pub const INVALID_SINCE_LABEL: &str = "kubernetes.io/legacy-token-invalid-since";
const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
const CLUSTER_ADMIN: &str = "cluster-admin";
const ALL_SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
const PAGE: u32 = 500;
const MAX_PAGES: usize = 100_000;
const ATTEMPTS: u32 = 4;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const TIMEOUT: Duration = Duration::from_secs(30);

pub async fn collect(
    settings: &KubernetesSource,
    ctx: &SourceContext,
) -> Result<Estate, SourceFailure> {
    let (config, secrets) = load_config(settings, ctx).await?;
    let scope = config.cluster_url.to_string();
    let api = Api {
        client: client(config, ctx)?,
        source: ctx.name.clone(),
        scope: scope.clone(),
        secrets,
    };

    let accounts: Vec<ServiceAccount> = api.list_all::<ServiceAccount, _>(None, false).await?;
    let tokens: Vec<PartialObjectMeta<Secret>> = api
        .list_all::<Secret, _>(Some(&format!("type={TOKEN_TYPE}")), true)
        .await?;
    let roles: Vec<ClusterRole> = api.list_all::<ClusterRole, _>(None, false).await?;
    let cluster_bindings: Vec<ClusterRoleBinding> =
        api.list_all::<ClusterRoleBinding, _>(None, false).await?;
    let bindings: Vec<RoleBinding> = api.list_all::<RoleBinding, _>(None, false).await?;

    let tokens: Vec<ObjectMeta> = tokens.into_iter().map(|t| t.metadata).collect();
    Ok(to_estate(
        ctx,
        &scope,
        &accounts,
        &tokens,
        &roles,
        &cluster_bindings,
        &bindings,
    ))
}

fn failure(ctx: &SourceContext, endpoint: String, cause: String) -> SourceFailure {
    SourceFailure {
        source: ctx.name.clone(),
        endpoint,
        cause,
        permission: None,
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

/// An error and its causes on one line (kube's errors wrap hyper's, which
/// wrap the I/O error that says what happened).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        next = s.source();
    }
    text
}

// --- credentials ----------------------------------------------------------------

/// `~/x` → `$HOME/x`, as kubectl reads `--kubeconfig ~/x` through the shell.
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// The cluster and credentials, and the secret values among them that no
/// message may show.
async fn load_config(
    settings: &KubernetesSource,
    ctx: &SourceContext,
) -> Result<(Config, Vec<String>), SourceFailure> {
    let opts = KubeConfigOptions {
        context: settings.context.clone(),
        cluster: None,
        user: None,
    };
    let (config, from) = if let Some(path) = &settings.kubeconfig {
        let file = expand_home(path);
        let from = format!("kubeconfig {}", file.display());
        let kc = Kubeconfig::read_from(&file)
            .map_err(|e| failure(ctx, from.clone(), format!("cannot use it: {}", chain(&e))))?;
        let config = Config::from_custom_kubeconfig(kc, &opts)
            .await
            .map_err(|e| failure(ctx, from.clone(), chain(&e)))?;
        (config, from)
    } else if settings.context.is_some() {
        let from = match std::env::var("KUBECONFIG") {
            Ok(k) if !k.is_empty() => format!("kubeconfig $KUBECONFIG ({k})"),
            _ => "kubeconfig ~/.kube/config".to_string(),
        };
        let config = Config::from_kubeconfig(&opts)
            .await
            .map_err(|e| failure(ctx, from.clone(), chain(&e)))?;
        (config, from)
    } else {
        let config = Config::infer().await.map_err(|e| {
            failure(
                ctx,
                "kubeconfig or in-cluster config".into(),
                format!(
                    "no usable kubeconfig ($KUBECONFIG, ~/.kube/config) and not running in a pod: {}",
                    chain(&e)
                ),
            )
        })?;
        (config, "kubeconfig or in-cluster config".to_string())
    };
    let mut secrets = Vec::new();
    {
        use secrecy::ExposeSecret;
        if let Some(t) = &config.auth_info.token {
            secrets.push(t.expose_secret().to_string());
        }
        if let Some(p) = &config.auth_info.password {
            secrets.push(p.expose_secret().to_string());
        }
    }
    let url = config.cluster_url.to_string();
    crate::urls::require_https_or_loopback(&url)
        .map_err(|why| failure(ctx, from.clone(), format!("cluster server: {why}")))?;
    tracing::info!(source = %ctx.name, cluster = %url, "using {from}");
    Ok((config, secrets))
}

/// Decides whether a request is sent again: 429, 500 and 502–504, and
/// failures to connect, [`ATTEMPTS`] times in all, waiting `Retry-After`
/// (at most [`MAX_RETRY_AFTER`]) or a doubling backoff.
#[derive(Clone)]
struct Retry {
    left: u32,
    backoff: Duration,
}

impl<B> tower::retry::Policy<http::Request<Body>, http::Response<B>, tower::BoxError> for Retry {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        req: &mut http::Request<Body>,
        result: &mut Result<http::Response<B>, tower::BoxError>,
    ) -> Option<Self::Future> {
        if self.left == 0 {
            return None;
        }
        let (wait, why) = match result {
            Ok(r) => {
                let status = r.status().as_u16();
                if !(status == 429 || status == 500 || (502..=504).contains(&status)) {
                    return None;
                }
                let wait = r
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(crate::http::parse_retry_after)
                    .unwrap_or(self.backoff)
                    .min(MAX_RETRY_AFTER);
                (wait, format!("HTTP {status}"))
            }
            Err(e) => {
                let why = chain(&**e);
                // A timeout will not get better by asking again.
                if why.contains("timed out") || why.contains("deadline") {
                    return None;
                }
                (self.backoff, why)
            }
        };
        self.left -= 1;
        self.backoff *= 2;
        tracing::info!(path = req.uri().path(), %why, ?wait, "retrying");
        Some(tokio::time::sleep(wait))
    }

    fn clone_request(&mut self, req: &http::Request<Body>) -> Option<http::Request<Body>> {
        let body = req.body().try_clone()?;
        let mut copy = http::Request::builder()
            .method(req.method().clone())
            .uri(req.uri().clone())
            .version(req.version())
            .body(body)
            .ok()?;
        *copy.headers_mut() = req.headers().clone();
        *copy.extensions_mut() = req.extensions().clone();
        Some(copy)
    }
}

/// kube's client with agentid's habits: every request counted and logged
/// (path only), retried by [`Retry`], 30 s timeouts.
fn client(mut config: Config, ctx: &SourceContext) -> Result<Client, SourceFailure> {
    config.default_retry = false;
    config.connect_timeout = Some(TIMEOUT);
    config.read_timeout = Some(TIMEOUT);
    config.write_timeout = Some(TIMEOUT);
    let calls = ctx.calls.clone();
    let source = ctx.name.clone();
    let count = tower::util::MapRequestLayer::new(move |req: http::Request<Body>| {
        calls.fetch_add(1, Ordering::Relaxed);
        tracing::info!(source = %source, "{} {}", req.method(), req.uri().path());
        req
    });
    let builder = ClientBuilder::try_from(config).map_err(|e| {
        failure(
            ctx,
            "kubernetes client".into(),
            format!("cannot set up the client: {}", chain(&e)),
        )
    })?;
    Ok(builder
        .with_layer(&count)
        .with_layer(&tower::buffer::BufferLayer::<http::Request<Body>>::new(64))
        .with_layer(&tower::retry::RetryLayer::new(Retry {
            left: ATTEMPTS - 1,
            backoff: FIRST_BACKOFF,
        }))
        .build())
}

// --- API ------------------------------------------------------------------------

struct Api {
    client: Client,
    source: String,
    scope: String,
    secrets: Vec<String>,
}

/// What each list needs, for the message when it is refused.
fn permission_for(plural: &str) -> String {
    let group = if plural.starts_with("cluster") || plural == "rolebindings" {
        "rbac.authorization.k8s.io"
    } else {
        ""
    };
    format!(
        "RBAC verb list on {plural} (apiGroup {group:?}) in all namespaces, e.g. the agentid-inventory ClusterRole in docs/inventory-sources.md"
    )
}

impl Api {
    /// Every object of kind `K` in the cluster, page after page. With
    /// `metadata_only` the server is asked for `PartialObjectMetadataList`
    /// and `T` is `PartialObjectMeta<K>`.
    async fn list_all<K, T>(
        &self,
        field_selector: Option<&str>,
        metadata_only: bool,
    ) -> Result<Vec<T>, SourceFailure>
    where
        K: Resource<DynamicType = ()>,
        T: DeserializeOwned + Clone,
    {
        let path = K::url_path(&(), None);
        let plural = K::plural(&()).to_string();
        let endpoint = format!("GET {path}");
        let request = kube::core::Request::new(&path);
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut lp = kube::api::ListParams::default().limit(PAGE);
            if let Some(f) = field_selector {
                lp = lp.fields(f);
            }
            if let Some(t) = &token {
                lp = lp.continue_token(t);
            }
            let req = if metadata_only {
                request.list_metadata(&lp)
            } else {
                request.list(&lp)
            }
            .map_err(|e| self.fail(&endpoint, format!("cannot build the request: {e}"), None))?;
            let text = self
                .client
                .request_text(req)
                .await
                .map_err(|e| self.api_error(&endpoint, &plural, e))?;
            // Parsed here, not by kube: its parser logs a failed body whole.
            let page: ObjectList<T> = serde_json::from_str(&text).map_err(|e| {
                self.fail(
                    &endpoint,
                    format!("malformed response, not the documented list format: {e}"),
                    None,
                )
            })?;
            out.extend(page.items);
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                None => return Ok(out),
                Some(next) if token.as_deref() == Some(next.as_str()) => {
                    return Err(self.fail(
                        &endpoint,
                        "the continue token did not advance".into(),
                        None,
                    ));
                }
                Some(next) => token = Some(next),
            }
        }
        Err(self.fail(&endpoint, format!("more than {MAX_PAGES} pages"), None))
    }

    fn api_error(&self, endpoint: &str, plural: &str, e: kube::Error) -> SourceFailure {
        match e {
            kube::Error::Api(status) => {
                let code = status.code;
                let message = crate::http::one_line(&status.message, 200);
                let detail = if message.is_empty() {
                    format!("HTTP {code} {}", status.reason)
                } else {
                    format!("HTTP {code}: {message}")
                };
                match code {
                    401 => self.fail(
                        endpoint,
                        format!("the cluster refused the credentials ({detail}); renew them (kubectl auth whoami shows who you are)"),
                        None,
                    ),
                    403 => self.fail(
                        endpoint,
                        format!("list {plural} (all namespaces) denied ({detail})"),
                        Some(permission_for(plural)),
                    ),
                    _ => self.fail(endpoint, detail, None),
                }
            }
            other => self.fail(
                endpoint,
                format!(
                    "cannot reach the API server at {}: {}",
                    self.scope,
                    chain(&other)
                ),
                None,
            ),
        }
    }

    fn fail(&self, endpoint: &str, cause: String, permission: Option<String>) -> SourceFailure {
        SourceFailure {
            source: self.source.clone(),
            endpoint: endpoint.to_string(),
            cause: scrub(cause, &self.secrets),
            permission,
        }
    }
}

// --- mapping ------------------------------------------------------------------

fn time(meta: &ObjectMeta) -> Option<Timestamp> {
    let t = meta.creation_timestamp.as_ref()?;
    Timestamp::new(t.0.as_second(), t.0.subsec_nanosecond()).ok()
}

/// A label date (`2026-04-18`) as midnight UTC.
fn label_date(meta: &ObjectMeta, label: &str) -> Option<Timestamp> {
    let text = meta.labels.as_ref()?.get(label)?;
    match text.trim().parse::<jiff::civil::Date>() {
        Ok(d) => d
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp()),
        Err(_) => {
            tracing::warn!(
                secret = meta.name.as_deref().unwrap_or(""),
                label,
                value = %text,
                "label is not a date (YYYY-MM-DD); ignored"
            );
            None
        }
    }
}

fn ns_name(meta: &ObjectMeta) -> String {
    format!(
        "{}/{}",
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or("")
    )
}

/// Whether a ClusterRole grants every verb on every resource.
fn is_admin_role(role: &ClusterRole) -> bool {
    role.rules
        .iter()
        .flatten()
        .any(|r| r.verbs.iter().any(|v| v == "*") && r.resources.iter().flatten().any(|x| x == "*"))
}

/// The service accounts (`namespace/name`) a binding subject stands for.
/// `binding_ns` is the RoleBinding's namespace (a ServiceAccount subject
/// without a namespace means that one), `None` for a ClusterRoleBinding.
/// Groups are expanded only when `groups` (admin grants).
fn subjects_to_accounts(
    s: &Subject,
    binding_ns: Option<&str>,
    accounts: &BTreeSet<String>,
    groups: bool,
) -> Vec<(String, Option<String>)> {
    match s.kind.as_str() {
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .or(binding_ns);
            match ns {
                Some(ns) => vec![(format!("{ns}/{}", s.name), None)],
                None => Vec::new(),
            }
        }
        // A service account's user name: system:serviceaccount:<ns>:<name>.
        "User" => match s.name.strip_prefix("system:serviceaccount:") {
            Some(rest) => match rest.split_once(':') {
                Some((ns, name)) => {
                    vec![(format!("{ns}/{name}"), Some(format!("user {}", s.name)))]
                }
                None => Vec::new(),
            },
            None => Vec::new(),
        },
        "Group" if groups => {
            let prefix = if s.name == ALL_SERVICE_ACCOUNTS {
                Some(String::new())
            } else {
                s.name
                    .strip_prefix("system:serviceaccounts:")
                    .map(|ns| format!("{ns}/"))
            };
            match prefix {
                Some(p) => accounts
                    .iter()
                    .filter(|a| a.starts_with(&p))
                    .map(|a| (a.clone(), Some(format!("group {}", s.name))))
                    .collect(),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn to_estate(
    ctx: &SourceContext,
    scope: &str,
    accounts: &[ServiceAccount],
    tokens: &[ObjectMeta],
    roles: &[ClusterRole],
    cluster_bindings: &[ClusterRoleBinding],
    bindings: &[RoleBinding],
) -> Estate {
    let source = ctx.name.clone();
    let p = Provider::Kubernetes;
    let mut estate = Estate {
        sources: vec![SourceInfo {
            name: source.clone(),
            provider: p,
            scope: Some(scope.to_string()),
            collected_at: Some(Timestamp::now()),
        }],
        ..Estate::default()
    };
    let mut known: BTreeSet<String> = BTreeSet::new();
    for sa in accounts {
        let id = ns_name(&sa.metadata);
        let mut tags = BTreeMap::new();
        if let Some(ns) = &sa.metadata.namespace {
            tags.insert("namespace".to_string(), ns.clone());
        }
        if let Some(uid) = &sa.metadata.uid {
            tags.insert("uid".to_string(), uid.clone());
        }
        let owner = sa
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(OWNER_ANNOTATION))
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty());
        known.insert(id.clone());
        estate.identities.push(Identity {
            source: source.clone(),
            provider: p,
            name: sa.metadata.name.clone().unwrap_or_else(|| id.clone()),
            id,
            kind: IdentityKind::ServiceAccount,
            owner,
            owner_active: None,
            created: time(&sa.metadata),
            last_activity: Activity::Unknown,
            disabled: false,
            tags: tags.into(),
        });
    }
    for meta in tokens {
        let Some(account) = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(SA_NAME_ANNOTATION))
        else {
            tracing::warn!(secret = %ns_name(meta), "token Secret names no service account; skipped");
            continue;
        };
        let invalid_since = label_date(meta, INVALID_SINCE_LABEL);
        let state = match invalid_since {
            Some(t) if t <= ctx.as_of => CredentialState::Inactive,
            _ => CredentialState::Active,
        };
        estate.credentials.push(Credential {
            source: source.clone(),
            provider: p,
            id: ns_name(meta),
            identity: format!("{}/{account}", meta.namespace.as_deref().unwrap_or("")),
            kind: CredentialKind::KubernetesLegacyToken,
            hint: None,
            created: time(meta),
            // No label: not used since the cluster started tracking (1.26+),
            // which may be shorter than the token's life, so unknown.
            last_used: label_date(meta, LAST_USED_LABEL).map_or(Activity::Unknown, Activity::At),
            expires: Expiry::NotApplicable,
            state,
            long_lived: true,
            managed: Managed::User,
            root: false,
            admin: false,
            invalid_since,
        });
    }

    let admin_roles: BTreeSet<&str> = roles
        .iter()
        .filter(|r| is_admin_role(r))
        .filter_map(|r| r.metadata.name.as_deref())
        .chain([CLUSTER_ADMIN])
        .collect();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut grant =
        |estate: &mut Estate, account: String, role: String, admin: bool, via: String| {
            if !known.contains(&account) {
                return;
            }
            if !seen.insert((account.clone(), role.clone(), via.clone())) {
                return;
            }
            estate.privileges.push(Privilege {
                source: source.clone(),
                provider: p,
                identity: account,
                grant: role,
                admin,
                scopes: Vec::new(),
                audience: None,
                via: Some(via),
            });
        };
    for b in cluster_bindings {
        if b.role_ref.kind != "ClusterRole" {
            continue;
        }
        let admin = admin_roles.contains(b.role_ref.name.as_str());
        let name = b.metadata.name.as_deref().unwrap_or("");
        for s in b.subjects.iter().flatten() {
            for (account, through) in subjects_to_accounts(s, None, &known, admin) {
                let via = match through {
                    Some(t) => format!("ClusterRoleBinding {name}, through {t}"),
                    None => format!("ClusterRoleBinding {name}"),
                };
                grant(&mut estate, account, b.role_ref.name.clone(), admin, via);
            }
        }
    }
    for b in bindings {
        let ns = b.metadata.namespace.as_deref().unwrap_or("");
        let name = b.metadata.name.as_deref().unwrap_or("");
        let (role, admin) = match b.role_ref.kind.as_str() {
            "ClusterRole" => (
                b.role_ref.name.clone(),
                admin_roles.contains(b.role_ref.name.as_str()),
            ),
            "Role" => (format!("{ns}/{}", b.role_ref.name), false),
            _ => continue,
        };
        for s in b.subjects.iter().flatten() {
            for (account, through) in subjects_to_accounts(s, Some(ns), &known, admin) {
                let via = match through {
                    Some(t) => {
                        format!("RoleBinding {ns}/{name} (namespace {ns} only), through {t}")
                    }
                    None => format!("RoleBinding {ns}/{name} (namespace {ns} only)"),
                };
                grant(&mut estate, account, role.clone(), admin, via);
            }
        }
    }
    estate
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::rbac::v1::PolicyRule;

    #[test]
    fn a_role_is_admin_only_with_every_verb_on_every_resource() {
        let role = |verbs: &[&str], resources: &[&str]| ClusterRole {
            rules: Some(vec![PolicyRule {
                api_groups: Some(vec!["*".into()]),
                verbs: verbs.iter().map(|s| s.to_string()).collect(),
                resources: Some(resources.iter().map(|s| s.to_string()).collect()),
                ..PolicyRule::default()
            }]),
            ..ClusterRole::default()
        };
        assert!(is_admin_role(&role(&["*"], &["*"])));
        assert!(!is_admin_role(&role(&["get", "list"], &["*"])));
        assert!(!is_admin_role(&role(&["*"], &["pods"])));
        assert!(!is_admin_role(&ClusterRole::default()));
    }

    #[test]
    fn subjects_name_service_accounts_directly_by_user_name_or_by_group() {
        let known: BTreeSet<String> = ["a/x", "a/y", "b/z"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let subject = |kind: &str, name: &str, ns: Option<&str>| Subject {
            kind: kind.into(),
            name: name.into(),
            namespace: ns.map(str::to_string),
            api_group: None,
        };
        let ids =
            |v: Vec<(String, Option<String>)>| v.into_iter().map(|(a, _)| a).collect::<Vec<_>>();
        assert_eq!(
            ids(subjects_to_accounts(
                &subject("ServiceAccount", "x", None),
                Some("a"),
                &known,
                false
            )),
            ["a/x"]
        );
        assert!(
            subjects_to_accounts(&subject("ServiceAccount", "x", None), None, &known, true)
                .is_empty()
        );
        assert_eq!(
            ids(subjects_to_accounts(
                &subject("User", "system:serviceaccount:b:z", None),
                None,
                &known,
                false
            )),
            ["b/z"]
        );
        assert!(
            subjects_to_accounts(&subject("User", "alice", None), None, &known, true).is_empty()
        );
        assert_eq!(
            ids(subjects_to_accounts(
                &subject("Group", "system:serviceaccounts:a", None),
                None,
                &known,
                true
            )),
            ["a/x", "a/y"]
        );
        assert_eq!(
            ids(subjects_to_accounts(
                &subject("Group", "system:serviceaccounts", None),
                None,
                &known,
                true
            ))
            .len(),
            3
        );
        assert!(
            subjects_to_accounts(
                &subject("Group", "system:serviceaccounts", None),
                None,
                &known,
                false
            )
            .is_empty()
        );
    }

    #[test]
    fn label_dates_are_midnight_utc_and_bad_ones_are_ignored() {
        let meta = |v: &str| ObjectMeta {
            labels: Some(BTreeMap::from([(
                LAST_USED_LABEL.to_string(),
                v.to_string(),
            )])),
            ..ObjectMeta::default()
        };
        assert_eq!(
            label_date(&meta("2026-04-18"), LAST_USED_LABEL),
            Some("2026-04-18T00:00:00Z".parse().unwrap())
        );
        assert_eq!(label_date(&meta("yesterday"), LAST_USED_LABEL), None);
        assert_eq!(label_date(&ObjectMeta::default(), LAST_USED_LABEL), None);
    }
}
