//! The `aws` live source: one AWS account's IAM, read with the official SDK.
//!
//! Calls made (each counted in the [`SourceContext`], retries included):
//! - with `role_arn`, `sts:AssumeRole` once with the caller's credentials
//!   (again only if the hour-long session runs out mid-run);
//! - `sts:GetCallerIdentity` once: the account id, and a clear early error
//!   when no credentials are found;
//! - `iam:GetAccountAuthorizationDetails` (paginated, filter User, Group,
//!   Role, LocalManagedPolicy): users, groups, roles with their trust
//!   policies, tags, `RoleLastUsed`, inline and attached policies, and the
//!   documents of the account's own managed policies, in a few pages;
//! - `iam:GetPolicy` + `iam:GetPolicyVersion` once per distinct attached AWS
//!   managed policy not known to be admin by name (see [`ADMIN_AWS_POLICIES`]):
//!   its default version's document, for AID020;
//! - `iam:ListOpenIDConnectProviders` once;
//! - `iam:GenerateCredentialReport` + `iam:GetCredentialReport`: root access
//!   keys (AID022) and password last use;
//! - per user `iam:ListAccessKeys` (paginated) and per key
//!   `iam:GetAccessKeyLastUsed`, run concurrently ([`PARALLEL_CALLS`] at a time).
//!
//! Throttling is handled by the SDK's standard retry mode (exponential
//! backoff with jitter, [`MAX_ATTEMPTS`] attempts).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_iam::types::{EntityType, StatusType};
use jiff::Timestamp;
use serde_json::Value;

use super::source::{SourceContext, SourceFailure};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Estate, Identity, IdentityKind, Managed,
    Privilege, Provider, SourceInfo, Trust,
};
use crate::registry::AwsSource;

/// IAM calls in flight at once for the per-user and per-key calls.
pub const PARALLEL_CALLS: usize = 16;
/// Attempts per call (the first and its retries) on throttling and 5xx.
pub const MAX_ATTEMPTS: u32 = 6;
/// AWS managed policies known to be admin by their name, in any partition
/// (`arn:aws:`, `arn:aws-us-gov:`, `arn:aws-cn:`), so their documents are
/// not fetched: AdministratorAccess allows `*` on `*`; IAMFullAccess allows
/// `iam:*` on `*`, which can attach AdministratorAccess to itself. Any
/// other attached AWS managed policy is judged by its default version's
/// document (iam:GetPolicy + iam:GetPolicyVersion, once per policy).
/// PowerUserAccess is not admin by this rule: it allows everything *but*
/// `iam:*`, `organizations:*` and `account:*` (`NotAction`).
const ADMIN_AWS_POLICIES: [&str; 2] = [
    ":iam::aws:policy/AdministratorAccess",
    ":iam::aws:policy/IAMFullAccess",
];

fn admin_by_name(arn: &str) -> bool {
    arn.starts_with("arn:") && ADMIN_AWS_POLICIES.iter().any(|s| arn.ends_with(s))
}

/// An AWS managed policy (`arn:PARTITION:iam::aws:policy/…`), whose
/// document GetAccountAuthorizationDetails does not return with our filter.
fn aws_managed(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.contains(":iam::aws:policy/")
}

/// Reads one account. Never returns a secret: access key ids and metadata only.
pub async fn collect(settings: &AwsSource, ctx: &SourceContext) -> Result<Estate, SourceFailure> {
    let aws = Aws::connect(settings, ctx).await?;
    let owner_tag = settings.owner_tag.as_deref().unwrap_or("owner");

    let account = aws.account().await?;
    let (details, providers) =
        futures_util::future::try_join(aws.authorization_details(), aws.oidc_providers()).await?;

    let mut estate = Estate::default();
    estate.sources.push(SourceInfo {
        name: ctx.name.clone(),
        provider: Provider::Aws,
        scope: Some(account.clone()),
        collected_at: Some(Timestamp::now()),
    });

    // Which policies are admin: the account's own managed policies by their
    // default version, AdministratorAccess by name (see admin_grants).
    let mut admin_policies: HashSet<String> = HashSet::new();
    for p in &details.policies {
        let default = p
            .policy_version_list()
            .iter()
            .find(|v| v.is_default_version())
            .and_then(|v| v.document());
        if let (Some(arn), Some(doc)) = (p.arn(), default)
            && grants_everything(doc)
        {
            admin_policies.insert(arn.to_owned());
        }
    }
    // Attached AWS managed policies not known by name: their default
    // version's document, each distinct policy once.
    let mut managed: Vec<String> = details
        .users
        .iter()
        .flat_map(|u| u.attached_managed_policies())
        .chain(
            details
                .groups
                .iter()
                .flat_map(|g| g.attached_managed_policies()),
        )
        .chain(
            details
                .roles
                .iter()
                .flat_map(|r| r.attached_managed_policies()),
        )
        .filter_map(|a| a.policy_arn())
        .filter(|arn| aws_managed(arn) && !admin_by_name(arn))
        .map(str::to_owned)
        .collect();
    managed.sort();
    managed.dedup();
    for (arn, doc) in aws.policy_documents(&managed).await? {
        if grants_everything(&doc) {
            admin_policies.insert(arn);
        }
    }
    let mut group_admin: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for g in &details.groups {
        let Some(name) = g.group_name() else { continue };
        let grants = admin_grants(
            g.attached_managed_policies()
                .iter()
                .map(|a| (a.policy_name(), a.policy_arn())),
            g.group_policy_list()
                .iter()
                .map(|p| (p.policy_name(), p.policy_document())),
            &admin_policies,
        );
        group_admin.insert(name.to_owned(), grants);
    }

    // Users, then their keys.
    let mut users: Vec<(String, String)> = Vec::new();
    for u in &details.users {
        let (Some(arn), Some(name)) = (u.arn(), u.user_name()) else {
            continue;
        };
        let tags: BTreeMap<String, String> = u
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect();
        estate.identities.push(Identity {
            source: ctx.name.clone(),
            provider: Provider::Aws,
            id: arn.to_owned(),
            name: name.to_owned(),
            kind: IdentityKind::User,
            owner: tags.get(owner_tag).cloned(),
            owner_active: None,
            created: u.create_date().and_then(timestamp),
            last_activity: Activity::Unknown,
            disabled: false,
            tags: tags.into(),
        });
        let mut grants = admin_grants(
            u.attached_managed_policies()
                .iter()
                .map(|a| (a.policy_name(), a.policy_arn())),
            u.user_policy_list()
                .iter()
                .map(|p| (p.policy_name(), p.policy_document())),
            &admin_policies,
        );
        for g in u.group_list() {
            for (grant, via) in group_admin.get(g).into_iter().flatten() {
                grants.push((grant.clone(), format!("group {g}: {via}")));
            }
        }
        push_privileges(&mut estate, ctx, arn, grants);
        users.push((arn.to_owned(), name.to_owned()));
    }
    // The credential report takes seconds to generate on AWS: wait for it
    // while the keys are listed rather than before.
    let (keys, report) =
        futures_util::future::try_join(aws.access_keys(&users), aws.credential_report()).await?;
    let report_row: HashMap<&str, &ReportRow> =
        report.rows.iter().map(|r| (r.arn.as_str(), r)).collect();
    let mut user_activity: HashMap<String, Activity> = HashMap::new();
    for k in keys {
        let seen = user_activity
            .entry(k.identity.clone())
            .or_insert(Activity::Never);
        *seen = latest(*seen, k.last_used);
        estate.credentials.push(k);
    }
    for ident in &mut estate.identities {
        let password = report_row
            .get(ident.id.as_str())
            .map_or(Activity::Unknown, |r| r.password_last_used);
        let keys = user_activity
            .get(&ident.id)
            .copied()
            .unwrap_or(Activity::Unknown);
        ident.last_activity = match (password, keys) {
            (Activity::Unknown, k) => k,
            (p, Activity::Unknown) => p,
            (p, k) => latest(p, k),
        };
    }

    // Root: only when it holds an active access key (AID022).
    if let Some(root) = report.rows.iter().find(|r| r.user == "<root_account>") {
        let root_arn = format!("arn:aws:iam::{account}:root");
        let active: Vec<&RootKey> = root.keys.iter().filter(|k| k.active).collect();
        if !active.is_empty() {
            estate.identities.push(Identity {
                source: ctx.name.clone(),
                provider: Provider::Aws,
                id: root_arn.clone(),
                name: "<root_account>".into(),
                kind: IdentityKind::User,
                owner: None,
                owner_active: None,
                created: root.created,
                last_activity: latest(root.password_last_used, Activity::Unknown),
                disabled: false,
                tags: crate::model::Tags::default(),
            });
            for k in active {
                estate.credentials.push(Credential {
                    source: ctx.name.clone(),
                    provider: Provider::Aws,
                    id: format!("root-access-key-{}", k.slot),
                    identity: root_arn.clone(),
                    kind: CredentialKind::AccessKey,
                    hint: None,
                    created: k.last_rotated,
                    last_used: k.last_used,
                    expires: crate::model::Expiry::NotApplicable,
                    state: CredentialState::Active,
                    long_lived: true,
                    managed: Managed::User,
                    root: true,
                    admin: false,
                    invalid_since: None,
                });
            }
        }
    }

    // Roles: trust policies, last use, grants.
    for r in &details.roles {
        let (Some(arn), Some(name)) = (r.arn(), r.role_name()) else {
            continue;
        };
        let tags: BTreeMap<String, String> = r
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect();
        let last_activity = match r.role_last_used().and_then(|l| l.last_used_date()) {
            Some(t) => timestamp(t).map_or(Activity::Unknown, Activity::At),
            None => Activity::Never,
        };
        estate.identities.push(Identity {
            source: ctx.name.clone(),
            provider: Provider::Aws,
            id: arn.to_owned(),
            name: name.to_owned(),
            kind: IdentityKind::Role,
            owner: tags.get(owner_tag).cloned(),
            owner_active: None,
            created: r.create_date().and_then(timestamp),
            last_activity,
            disabled: false,
            tags: tags.into(),
        });
        if let Some(doc) = r.assume_role_policy_document() {
            for t in federated_trusts(doc, &providers) {
                estate.trusts.push(Trust {
                    source: ctx.name.clone(),
                    provider: Provider::Aws,
                    identity: arn.to_owned(),
                    issuer: t.issuer,
                    subjects: t.subjects,
                    audiences: t.audiences,
                    attribute_condition: None,
                    via: Some(t.via),
                    token_lifetime_seconds: None,
                });
            }
        }
        let grants = admin_grants(
            r.attached_managed_policies()
                .iter()
                .map(|a| (a.policy_name(), a.policy_arn())),
            r.role_policy_list()
                .iter()
                .map(|p| (p.policy_name(), p.policy_document())),
            &admin_policies,
        );
        push_privileges(&mut estate, ctx, arn, grants);
    }
    tracing::info!(
        source = %ctx.name,
        account = %account,
        identities = estate.identities.len(),
        credentials = estate.credentials.len(),
        trusts = estate.trusts.len(),
        calls = ctx.calls_made(),
        "collected aws"
    );
    Ok(estate)
}

fn push_privileges(
    estate: &mut Estate,
    ctx: &SourceContext,
    arn: &str,
    grants: Vec<(String, String)>,
) {
    for (grant, via) in grants {
        estate.privileges.push(Privilege {
            source: ctx.name.clone(),
            provider: Provider::Aws,
            identity: arn.to_owned(),
            grant,
            admin: true,
            scopes: Vec::new(),
            audience: None,
            via: Some(via),
        });
    }
}

/// `(grant, via)` for each attached policy that is admin and each inline
/// policy that grants `*` on `*`.
fn admin_grants<'a>(
    attached: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
    inline: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
    admin_policies: &HashSet<String>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, arn) in attached {
        if let Some(arn) = arn
            && (admin_policies.contains(arn) || admin_by_name(arn))
        {
            out.push((
                name.unwrap_or(arn).to_owned(),
                format!("attached policy {arn}"),
            ));
        }
    }
    for (name, doc) in inline {
        if let (Some(name), Some(doc)) = (name, doc)
            && grants_everything(doc)
        {
            out.push((name.to_owned(), "inline policy".to_owned()));
        }
    }
    out
}

fn latest(a: Activity, b: Activity) -> Activity {
    match (a, b) {
        (Activity::At(x), Activity::At(y)) => Activity::At(x.max(y)),
        (Activity::At(x), _) | (_, Activity::At(x)) => Activity::At(x),
        (Activity::Never, _) | (_, Activity::Never) => Activity::Never,
        _ => Activity::Unknown,
    }
}

fn timestamp(t: &aws_sdk_iam::primitives::DateTime) -> Option<Timestamp> {
    Timestamp::new(t.secs(), i32::try_from(t.subsec_nanos()).ok()?).ok()
}

// --- the SDK side -----------------------------------------------------------

struct Aws {
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    ctx: SourceContext,
}

struct Details {
    users: Vec<aws_sdk_iam::types::UserDetail>,
    groups: Vec<aws_sdk_iam::types::GroupDetail>,
    roles: Vec<aws_sdk_iam::types::RoleDetail>,
    policies: Vec<aws_sdk_iam::types::ManagedPolicyDetail>,
}

/// Counts every HTTP request the SDK sends (retries included) and logs it.
#[derive(Debug)]
struct CountCalls {
    calls: Arc<std::sync::atomic::AtomicU64>,
    source: String,
}

impl aws_sdk_iam::config::Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "agentid-count-calls"
    }

    fn read_before_transmit(
        &self,
        context: &aws_sdk_iam::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _rc: &aws_sdk_iam::config::RuntimeComponents,
        _cfg: &mut aws_sdk_iam::config::ConfigBag,
    ) -> Result<(), aws_sdk_iam::error::BoxError> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // The URI only: the body may name users, never secrets, but the
        // Authorization header is a signature and is never logged.
        tracing::debug!(source = %self.source, uri = %context.request().uri(), "http request");
        Ok(())
    }
}

fn failure(
    ctx: &SourceContext,
    endpoint: &str,
    cause: String,
    permission: Option<&str>,
) -> SourceFailure {
    SourceFailure {
        source: ctx.name.clone(),
        endpoint: endpoint.to_owned(),
        cause,
        permission: permission.map(str::to_owned),
    }
}

/// An SDK error as a source failure naming the call and, when refused, the permission.
fn sdk_failure<E>(
    ctx: &SourceContext,
    call: &str,
    e: &aws_sdk_iam::error::SdkError<E>,
) -> SourceFailure
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_iam::error::SdkError;
    let service = e.as_service_error();
    let code = service.and_then(|s| s.code());
    let message = service.and_then(|s| s.message()).unwrap_or_default();
    match (e, code) {
        (_, Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation")) => failure(
            ctx,
            call,
            format!(
                "access denied{}",
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            ),
            Some(call),
        ),
        (_, Some(code)) => failure(
            ctx,
            call,
            format!(
                "{code}{}",
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            ),
            None,
        ),
        (SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_), None)
            if chain(e).to_ascii_lowercase().contains("credential") =>
        {
            failure(
                ctx,
                call,
                format!(
                    "no usable AWS credentials (environment, profile, SSO, web identity or instance role): {}",
                    chain(e)
                ),
                None,
            )
        }
        (SdkError::DispatchFailure(d), None) => {
            let why = if d.is_io() {
                "cannot reach the endpoint (connection failed)"
            } else if d.is_timeout() {
                "the endpoint did not answer in time"
            } else {
                "the request could not be sent"
            };
            failure(ctx, call, format!("{why}: {}", chain(e)), None)
        }
        (SdkError::TimeoutError(_), None) => failure(
            ctx,
            call,
            "the endpoint did not answer in time".into(),
            None,
        ),
        (_, None) => match e.raw_response() {
            Some(raw) => {
                // An error the SDK could not parse (moto's auth errors, a
                // proxy): read its <Code>/<Message> if it has them.
                let body = raw
                    .body()
                    .bytes()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                let tag = |name: &str| {
                    let open = format!("<{name}>");
                    let start = body.find(&open)? + open.len();
                    let end = body[start..].find(&format!("</{name}>"))? + start;
                    Some(body[start..end].trim().to_owned())
                };
                let status = raw.status().as_u16();
                let code = tag("Code");
                let message = tag("Message").map(|m| format!(": {m}")).unwrap_or_default();
                let rejected = code.as_deref().is_some_and(|c| {
                    matches!(
                        c,
                        "SignatureDoesNotMatch"
                            | "InvalidClientTokenId"
                            | "ExpiredToken"
                            | "UnrecognizedClientException"
                    )
                });
                let denied = status == 403
                    || code
                        .as_deref()
                        .is_some_and(|c| c.starts_with("AccessDenied"));
                if rejected {
                    let code = code.unwrap_or_default();
                    failure(
                        ctx,
                        call,
                        format!("the credentials were rejected ({code}){message}"),
                        None,
                    )
                } else if denied {
                    failure(
                        ctx,
                        call,
                        format!("access denied (HTTP {status}){message}"),
                        Some(call),
                    )
                } else {
                    let code = code.map(|c| format!(" {c}")).unwrap_or_default();
                    failure(ctx, call, format!("HTTP {status}{code}{message}"), None)
                }
            }
            None => failure(ctx, call, chain(e), None),
        },
    }
}

/// An error and its sources, each once, joined by ": " (no Debug dumps).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = err.source();
    }
    parts.join(": ")
}

impl Aws {
    async fn connect(settings: &AwsSource, ctx: &SourceContext) -> Result<Aws, SourceFailure> {
        let timeouts = crate::http::aws_timeout_config()
            .map_err(|e| failure(ctx, "HTTP client", e.to_string(), None))?;
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .timeout_config(timeouts)
            .retry_config(
                aws_config::retry::RetryConfig::standard()
                    .with_max_attempts(MAX_ATTEMPTS)
                    .with_initial_backoff(Duration::from_millis(200)),
            );
        if let Some(p) = &settings.profile {
            loader = loader.profile_name(p);
        }
        // IAM is global; its endpoint lives in us-east-1 (aws partition).
        let region = settings
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".into());
        loader = loader.region(aws_config::Region::new(region));
        if let Some(e) = &settings.endpoint {
            loader = loader.endpoint_url(e);
        }
        let mut sdk = loader.load().await;
        if sdk.credentials_provider().is_none() {
            return Err(failure(
                ctx,
                "credentials",
                "no AWS credentials found (environment, profile, SSO, web identity or instance role)".into(),
                None,
            ));
        }
        let counted_sts = |sdk: &aws_config::SdkConfig| {
            aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(sdk)
                    .interceptor(StsCount(CountCalls {
                        calls: ctx.calls.clone(),
                        source: ctx.name.clone(),
                    }))
                    .build(),
            )
        };
        if let Some(role) = &settings.role_arn {
            // AssumeRole with the caller's credentials, through a counted STS
            // client (the SDK's AssumeRoleProvider sends through a client of
            // its own that no interceptor of ours sees). Once now, so that a
            // refusal names sts:AssumeRole; again only when the session
            // nears its end (the SDK's identity cache asks).
            let assume = AssumeRole {
                sts: counted_sts(&sdk),
                role_arn: role.clone(),
                source: ctx.name.clone(),
                first: std::sync::Mutex::new(None),
            };
            let first = assume
                .assume()
                .await
                .map_err(|e| match e {
                    AssumeFailure::Sdk(e) => {
                        let mut f = sdk_failure(ctx, "sts:AssumeRole", &e);
                        if f.permission.is_some() {
                            f.permission = Some(format!(
                                "sts:AssumeRole on {role} (and a trust policy on the role that lets the caller assume it)"
                            ));
                        }
                        f
                    }
                    AssumeFailure::Answer(why) => failure(ctx, "sts:AssumeRole", why, None),
                })?;
            if let Ok(mut slot) = assume.first.lock() {
                *slot = Some(first);
            }
            sdk = sdk
                .into_builder()
                .credentials_provider(aws_sdk_iam::config::SharedCredentialsProvider::new(assume))
                .build();
        }
        let counter = CountCalls {
            calls: ctx.calls.clone(),
            source: ctx.name.clone(),
        };
        let iam = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&sdk)
                .interceptor(counter)
                .build(),
        );
        let sts = counted_sts(&sdk);
        Ok(Aws {
            iam,
            sts,
            ctx: ctx.clone(),
        })
    }

    fn log(&self, call: &str) {
        tracing::info!(source = %self.ctx.name, call, "aws api call");
    }

    async fn account(&self) -> Result<String, SourceFailure> {
        self.log("sts:GetCallerIdentity");
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_failure(&self.ctx, "sts:GetCallerIdentity", &e))?;
        out.account().map(str::to_owned).ok_or_else(|| {
            failure(
                &self.ctx,
                "sts:GetCallerIdentity",
                "the answer named no account".into(),
                None,
            )
        })
    }

    async fn authorization_details(&self) -> Result<Details, SourceFailure> {
        const CALL: &str = "iam:GetAccountAuthorizationDetails";
        let mut d = Details {
            users: Vec::new(),
            groups: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
        };
        let mut marker: Option<String> = None;
        loop {
            self.log(CALL);
            let out = self
                .iam
                .get_account_authorization_details()
                .filter(EntityType::User)
                .filter(EntityType::Group)
                .filter(EntityType::Role)
                .filter(EntityType::LocalManagedPolicy)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| sdk_failure(&self.ctx, CALL, &e))?;
            d.users.extend(out.user_detail_list().iter().cloned());
            d.groups.extend(out.group_detail_list().iter().cloned());
            d.roles.extend(out.role_detail_list().iter().cloned());
            d.policies.extend(out.policies().iter().cloned());
            match (out.is_truncated(), out.marker()) {
                (true, Some(m)) => marker = Some(m.to_owned()),
                _ => break,
            }
        }
        Ok(d)
    }

    async fn oidc_providers(&self) -> Result<Vec<String>, SourceFailure> {
        const CALL: &str = "iam:ListOpenIDConnectProviders";
        self.log(CALL);
        let out = self
            .iam
            .list_open_id_connect_providers()
            .send()
            .await
            .map_err(|e| sdk_failure(&self.ctx, CALL, &e))?;
        Ok(out
            .open_id_connect_provider_list()
            .iter()
            .filter_map(|p| p.arn().map(str::to_owned))
            .collect())
    }

    async fn credential_report(&self) -> Result<CredentialReport, SourceFailure> {
        // Generate returns STARTED until the report is ready (seconds on AWS).
        for attempt in 0..20u32 {
            self.log("iam:GenerateCredentialReport");
            let out = self
                .iam
                .generate_credential_report()
                .send()
                .await
                .map_err(|e| sdk_failure(&self.ctx, "iam:GenerateCredentialReport", &e))?;
            if out.state() == Some(&aws_sdk_iam::types::ReportStateType::Complete) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(if attempt < 3 { 250 } else { 1000 })).await;
        }
        const CALL: &str = "iam:GetCredentialReport";
        self.log(CALL);
        let out = self
            .iam
            .get_credential_report()
            .send()
            .await
            .map_err(|e| sdk_failure(&self.ctx, CALL, &e))?;
        let content = out.content().map(|b| b.as_ref()).unwrap_or_default();
        let text = String::from_utf8_lossy(content);
        parse_credential_report(&text).map_err(|why| {
            failure(
                &self.ctx,
                CALL,
                format!("unreadable credential report: {why}"),
                None,
            )
        })
    }

    /// The default version's document of each policy (iam:GetPolicy for the
    /// default version id, then iam:GetPolicyVersion), [`PARALLEL_CALLS`]
    /// policies at a time.
    async fn policy_documents(
        &self,
        arns: &[String],
    ) -> Result<Vec<(String, String)>, SourceFailure> {
        let mut out = Vec::with_capacity(arns.len());
        for batch in arns.chunks(PARALLEL_CALLS) {
            let mut set = tokio::task::JoinSet::new();
            for arn in batch {
                let iam = self.iam.clone();
                let ctx = self.ctx.clone();
                let arn = arn.clone();
                set.spawn(async move { policy_document(iam, ctx, arn).await });
            }
            while let Some(done) = set.join_next().await {
                let r = done.map_err(|e| {
                    failure(
                        &self.ctx,
                        "iam:GetPolicy",
                        format!("internal error: {e}"),
                        None,
                    )
                })?;
                if let Some(pair) = r? {
                    out.push(pair);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every access key of every user, with its last use.
    async fn access_keys(
        &self,
        users: &[(String, String)],
    ) -> Result<Vec<Credential>, SourceFailure> {
        let mut set = tokio::task::JoinSet::new();
        let mut out: Vec<(usize, Vec<Credential>)> = Vec::with_capacity(users.len());
        let mut next = 0;
        loop {
            while next < users.len() && set.len() < PARALLEL_CALLS {
                let (arn, name) = users[next].clone();
                let iam = self.iam.clone();
                let ctx = self.ctx.clone();
                let i = next;
                set.spawn(async move { (i, keys_of(iam, ctx, arn, name).await) });
                next += 1;
            }
            let Some(done) = set.join_next().await else {
                break;
            };
            let (i, keys) = done.map_err(|e| {
                failure(
                    &self.ctx,
                    "iam:ListAccessKeys",
                    format!("internal error: {e}"),
                    None,
                )
            })?;
            out.push((i, keys?));
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().flat_map(|(_, k)| k).collect())
    }
}

/// `role_arn`: credentials from sts:AssumeRole, each call counted.
#[derive(Debug)]
struct AssumeRole {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    source: String,
    /// The session assumed while connecting, handed out first.
    first: std::sync::Mutex<Option<aws_credential_types::Credentials>>,
}

#[derive(Debug)]
enum AssumeFailure {
    Sdk(Box<aws_sdk_sts::error::SdkError<aws_sdk_sts::operation::assume_role::AssumeRoleError>>),
    Answer(String),
}

impl std::fmt::Display for AssumeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssumeFailure::Sdk(e) => write!(f, "{}", chain(e)),
            AssumeFailure::Answer(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for AssumeFailure {}

impl AssumeRole {
    async fn assume(&self) -> Result<aws_credential_types::Credentials, AssumeFailure> {
        tracing::info!(source = %self.source, call = "sts:AssumeRole", role = %self.role_arn, "aws api call");
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name("agentid-inventory")
            .send()
            .await
            .map_err(|e| AssumeFailure::Sdk(Box::new(e)))?;
        let Some(c) = out.credentials() else {
            return Err(AssumeFailure::Answer(
                "the answer carried no credentials".into(),
            ));
        };
        let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
        Ok(aws_credential_types::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            expiry,
            "agentid-assume-role",
        ))
    }
}

impl aws_credential_types::provider::ProvideCredentials for AssumeRole {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(async move {
            let first = self.first.lock().ok().and_then(|mut f| f.take());
            if let Some(c) = first
                && c.expiry().is_none_or(|e| e > std::time::SystemTime::now())
            {
                return Ok(c);
            }
            self.assume().await.map_err(|e| {
                aws_credential_types::provider::error::CredentialsError::provider_error(e)
            })
        })
    }
}

/// The STS client takes its own interceptor type (same counting).
#[derive(Debug)]
struct StsCount(CountCalls);

impl aws_sdk_sts::config::Intercept for StsCount {
    fn name(&self) -> &'static str {
        "agentid-count-calls"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_sdk_sts::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _rc: &aws_sdk_sts::config::RuntimeComponents,
        _cfg: &mut aws_sdk_sts::config::ConfigBag,
    ) -> Result<(), aws_sdk_sts::error::BoxError> {
        self.0
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

async fn policy_document(
    iam: aws_sdk_iam::Client,
    ctx: SourceContext,
    arn: String,
) -> Result<Option<(String, String)>, SourceFailure> {
    const GET: &str = "iam:GetPolicy";
    const VERSION: &str = "iam:GetPolicyVersion";
    tracing::info!(source = %ctx.name, call = GET, policy = %arn, "aws api call");
    let policy = iam
        .get_policy()
        .policy_arn(&arn)
        .send()
        .await
        .map_err(|e| sdk_failure(&ctx, GET, &e))?;
    let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
        return Ok(None);
    };
    tracing::info!(source = %ctx.name, call = VERSION, policy = %arn, version, "aws api call");
    let out = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id(version)
        .send()
        .await
        .map_err(|e| sdk_failure(&ctx, VERSION, &e))?;
    Ok(out
        .policy_version()
        .and_then(|v| v.document())
        .map(|d| (arn, d.to_owned())))
}

async fn keys_of(
    iam: aws_sdk_iam::Client,
    ctx: SourceContext,
    arn: String,
    name: String,
) -> Result<Vec<Credential>, SourceFailure> {
    const LIST: &str = "iam:ListAccessKeys";
    const LAST: &str = "iam:GetAccessKeyLastUsed";
    let mut keys = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        tracing::info!(source = %ctx.name, call = LIST, user = %name, "aws api call");
        let out = iam
            .list_access_keys()
            .user_name(&name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| sdk_failure(&ctx, LIST, &e))?;
        keys.extend(out.access_key_metadata().iter().cloned());
        match (out.is_truncated(), out.marker()) {
            (true, Some(m)) => marker = Some(m.to_owned()),
            _ => break,
        }
    }
    let mut creds = Vec::with_capacity(keys.len());
    for k in keys {
        let Some(id) = k.access_key_id() else {
            continue;
        };
        tracing::info!(source = %ctx.name, call = LAST, key = %id, "aws api call");
        let used = iam
            .get_access_key_last_used()
            .access_key_id(id)
            .send()
            .await
            .map_err(|e| sdk_failure(&ctx, LAST, &e))?;
        let last_used = match used.access_key_last_used().and_then(|l| l.last_used_date()) {
            Some(t) => timestamp(t).map_or(Activity::Unknown, Activity::At),
            None => Activity::Never,
        };
        creds.push(Credential {
            source: ctx.name.clone(),
            provider: Provider::Aws,
            id: id.to_owned(),
            identity: arn.clone(),
            kind: CredentialKind::AccessKey,
            hint: None,
            created: k.create_date().and_then(timestamp),
            last_used,
            expires: crate::model::Expiry::NotApplicable,
            state: match k.status() {
                Some(StatusType::Active) => CredentialState::Active,
                _ => CredentialState::Inactive,
            },
            long_lived: true,
            managed: Managed::User,
            root: false,
            admin: false,
            invalid_since: None,
        });
    }
    Ok(creds)
}

// --- policy documents ---------------------------------------------------------

/// IAM returns policy documents URL-encoded (RFC 3986); moto returns them as
/// plain JSON. Both are accepted.
pub fn policy_json(doc: &str) -> Option<Value> {
    let trimmed = doc.trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).ok();
    }
    serde_json::from_str(&percent_decode(trimmed)?).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A string or a list of strings, as IAM policy fields are.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    }
}

/// True when a policy document is admin: a statement with `Effect: Allow`,
/// `Resource: "*"` and an `Action` of `*` (or `*:*`) — every action — or
/// `iam:*`, which can grant itself every action. A `Condition` does not
/// exempt a statement (whoever meets it is admin); `NotAction` and
/// `NotResource` statements are not judged.
pub fn grants_everything(doc: &str) -> bool {
    let Some(doc) = policy_json(doc) else {
        return false;
    };
    statements(&doc).into_iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Allow")
            && strings(s.get("Action"))
                .iter()
                .any(|a| a == "*" || a == "*:*" || a.eq_ignore_ascii_case("iam:*"))
            && strings(s.get("Resource")).iter().any(|r| r == "*")
    })
}

/// One federated principal a role trusts, with the conditions that narrow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedTrust {
    pub issuer: String,
    pub subjects: Vec<String>,
    pub audiences: Vec<String>,
    /// The OIDC provider ARN (or the provider name for built-in ones).
    pub via: String,
}

/// Condition operators whose values narrow who may assume the role.
/// Negated operators (`StringNotEquals`, `StringNotLike`) do not: a `sub`
/// that only excludes some subjects still accepts every other one.
fn narrowing(operator: &str) -> bool {
    let op = operator
        .strip_prefix("ForAnyValue:")
        .or_else(|| operator.strip_prefix("ForAllValues:"))
        .unwrap_or(operator);
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    matches!(op, "StringEquals" | "StringLike" | "StringEqualsIgnoreCase")
}

/// The OIDC web-identity trusts of a role's trust policy: each `Allow`
/// statement for `sts:AssumeRoleWithWebIdentity` with a `Federated`
/// principal, and its `<provider>:sub` / `<provider>:aud` conditions under
/// `StringEquals`, `StringLike` (wildcards kept), `StringEqualsIgnoreCase`
/// and their `ForAnyValue:` / `ForAllValues:` forms.
pub fn federated_trusts(doc: &str, known_providers: &[String]) -> Vec<FederatedTrust> {
    let Some(doc) = policy_json(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in statements(&doc) {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let actions = strings(s.get("Action"));
        if !actions.iter().any(|a| {
            a.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity") || a == "sts:*" || a == "*"
        }) {
            continue;
        }
        let federated = strings(s.get("Principal").and_then(|p| p.get("Federated")));
        for principal in federated {
            // arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
            let host = match principal.split_once(":oidc-provider/") {
                Some((_, host)) => host.to_owned(),
                // Built-in web identity providers (accounts.google.com,
                // graph.facebook.com, cognito-identity.amazonaws.com).
                None if !principal.starts_with("arn:") => principal.clone(),
                None => continue, // SAML providers: not OIDC
            };
            let mut subjects = Vec::new();
            let mut audiences = Vec::new();
            if let Some(Value::Object(conditions)) = s.get("Condition") {
                for (operator, keys) in conditions {
                    if !narrowing(operator) {
                        continue;
                    }
                    let Value::Object(keys) = keys else { continue };
                    for (key, values) in keys {
                        let Some((provider, claim)) = key.rsplit_once(':') else {
                            continue;
                        };
                        if !provider.eq_ignore_ascii_case(&host) {
                            continue;
                        }
                        match claim {
                            "sub" => subjects.extend(strings(Some(values))),
                            "aud" => audiences.extend(strings(Some(values))),
                            _ => {}
                        }
                    }
                }
            }
            subjects.sort();
            subjects.dedup();
            audiences.sort();
            audiences.dedup();
            let via = known_providers
                .iter()
                .find(|p| **p == principal)
                .cloned()
                .unwrap_or_else(|| principal.clone());
            out.push(FederatedTrust {
                issuer: format!("https://{host}"),
                subjects,
                audiences,
                via,
            });
        }
    }
    out
}

// --- the credential report ----------------------------------------------------

#[derive(Debug, Default)]
struct CredentialReport {
    rows: Vec<ReportRow>,
}

#[derive(Debug)]
struct ReportRow {
    user: String,
    arn: String,
    created: Option<Timestamp>,
    password_last_used: Activity,
    keys: Vec<RootKey>,
}

#[derive(Debug)]
struct RootKey {
    slot: u8,
    active: bool,
    last_rotated: Option<Timestamp>,
    last_used: Activity,
}

/// The CSV credential report (docs: "Getting credential reports for your AWS account").
fn parse_credential_report(text: &str) -> Result<CredentialReport, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let user = col("user").ok_or("no user column")?;
    let arn = col("arn").ok_or("no arn column")?;
    let created = col("user_creation_time");
    let password = col("password_last_used");
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("");
        let mut keys = Vec::new();
        for slot in [1u8, 2] {
            let active = get(col(&format!("access_key_{slot}_active")));
            keys.push(RootKey {
                slot,
                active: active.eq_ignore_ascii_case("true"),
                last_rotated: time_cell(get(col(&format!("access_key_{slot}_last_rotated")))),
                last_used: activity_cell(get(col(&format!("access_key_{slot}_last_used_date")))),
            });
        }
        rows.push(ReportRow {
            user: get(Some(user)).to_owned(),
            arn: get(Some(arn)).to_owned(),
            created: time_cell(get(created)),
            password_last_used: activity_cell(get(password)),
            keys,
        });
    }
    Ok(CredentialReport { rows })
}

fn time_cell(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok()
}

/// `N/A` and `no_information` mean never / not known.
fn activity_cell(s: &str) -> Activity {
    match s {
        "N/A" | "no_information" => Activity::Never,
        _ => time_cell(s).map_or(Activity::Unknown, Activity::At),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITHUB: &str =
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    fn trust(conditions: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{GITHUB}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{conditions}}}]}}"#
        )
    }

    #[test]
    fn a_trust_without_sub_has_no_subjects() {
        let doc = trust(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
        );
        let t = federated_trusts(&doc, &[GITHUB.to_owned()]);
        assert_eq!(
            t,
            vec![FederatedTrust {
                issuer: "https://token.actions.githubusercontent.com".into(),
                subjects: vec![],
                audiences: vec!["sts.amazonaws.com".into()],
                via: GITHUB.into(),
            }]
        );
    }

    #[test]
    fn string_like_wildcards_and_lists_are_kept() {
        let doc = trust(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":["sts.amazonaws.com"]},
                "StringLike":{"token.actions.githubusercontent.com:sub":["repo:acme/app:*","repo:acme/lib:ref:refs/heads/main"]}}"#,
        );
        let t = federated_trusts(&doc, &[]);
        assert_eq!(
            t[0].subjects,
            vec!["repo:acme/app:*", "repo:acme/lib:ref:refs/heads/main"]
        );
    }

    #[test]
    fn a_negated_sub_does_not_narrow_the_trust() {
        let doc =
            trust(r#"{"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}}"#);
        assert!(federated_trusts(&doc, &[])[0].subjects.is_empty());
    }

    #[test]
    fn url_encoded_documents_are_read_like_plain_ones() {
        let plain = trust(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:a/b:ref:refs/heads/main"}}"#,
        );
        let encoded: String = plain
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(encoded.starts_with("%7B"));
        assert_eq!(
            federated_trusts(&encoded, &[]),
            federated_trusts(&plain, &[])
        );
        assert_eq!(
            federated_trusts(&plain, &[])[0].subjects,
            vec!["repo:a/b:ref:refs/heads/main"]
        );
    }

    #[test]
    fn saml_and_service_principals_are_not_oidc_trusts() {
        let doc = r#"{"Statement":[
            {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
            {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML"}]}"#;
        assert!(federated_trusts(doc, &[]).is_empty());
    }

    #[test]
    fn admin_documents() {
        assert!(grants_everything(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        ));
        assert!(grants_everything(
            r#"{"Statement":{"Effect":"Allow","Action":["s3:*","*"],"Resource":["*"]}}"#
        ));
        assert!(!grants_everything(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        ));
        assert!(!grants_everything(
            r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#
        ));
        assert!(!grants_everything("not json"));
        assert!(grants_everything(
            r#"{"Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount"],"Resource":"*"}]}"#
        ));
        assert!(grants_everything(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
        ));
        // PowerUserAccess: everything but IAM is not admin by this rule.
        assert!(!grants_everything(
            r#"{"Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}"#
        ));
        assert!(!grants_everything(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*"}]}"#
        ));
    }

    #[test]
    fn administrator_access_is_admin_in_every_partition() {
        let none = HashSet::new();
        for arn in [
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        ] {
            let g = admin_grants(
                [(Some("AdministratorAccess"), Some(arn))].into_iter(),
                std::iter::empty(),
                &none,
            );
            assert_eq!(g.len(), 1, "{arn}");
        }
        let g = admin_grants(
            [(
                Some("ReadOnlyAccess"),
                Some("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            )]
            .into_iter(),
            std::iter::empty(),
            &none,
        );
        assert!(g.is_empty());
    }

    #[test]
    fn credential_report_root_keys() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n\
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,false,true,2021-05-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        let r = parse_credential_report(csv).expect("parses");
        let root = &r.rows[0];
        assert_eq!(root.user, "<root_account>");
        assert!(root.keys[0].active);
        assert_eq!(root.keys[0].last_used, Activity::Never);
        assert_eq!(
            root.keys[0].last_rotated,
            Some("2021-05-01T00:00:00Z".parse().unwrap())
        );
        assert!(!root.keys[1].active);
        assert_eq!(
            root.password_last_used,
            Activity::At("2026-01-01T00:00:00Z".parse().unwrap())
        );
    }
}
