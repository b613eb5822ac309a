//! `agentid exchange PROTOCOL`: trade a workload token for a short-lived
//! credential by hand, see why federation fails, and prove a boundary holds
//! (`--expect-denied`).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;

use super::Ctx;
use crate::error::{ExitStatus, UsageError};
use crate::exchange::analyze::{self, Asked};
use crate::exchange::oauth::{self, ClientAuth, Grant, OauthRequest};
use crate::exchange::preflight::{self, AudienceRule, PreflightCheck, Requested, Verdict};
use crate::exchange::report::{self as rep, ExchangeReport, GrantedView, SubjectView};
use crate::exchange::source::{self, Platform, SourceOptions, SourceSpec};
use crate::exchange::{
    Credential, ExchangeError, Outcome, RequestPreview, Secret, SubjectToken, token_type_urn,
};
use crate::exchange::{anthropic, aws, entra, gcp};
use crate::http::{Http, HttpOptions};
use crate::output::{self, Format};
use crate::registry::Agent;
use crate::token::input::{self, Source};
use crate::token::sign::SigningKey;

/// Trade a workload token for a short-lived credential, by hand.
///
/// The subject token (the workload's own identity token) comes from a file,
/// stdin (`-`), an environment variable, or a platform (--from); never from
/// the command line. Exit codes: 0 granted, 1 refused by the server, 2 bad
/// input, 3 network or server failure. With --expect-denied, 0 only if the
/// server refused (a CI boundary test) and 1 if it granted.
///
/// The credential is a secret: the table and -f json show a prefix and a
/// fingerprint only (json shows it with --reveal); -f raw prints it alone,
/// -f env as `export` lines; -o writes a file 0600, atomically.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExchangeArgs {
    #[command(subcommand)]
    pub protocol: Protocol,
}

#[derive(Debug, Subcommand)]
pub enum Protocol {
    Oauth(Box<OauthArgs>),
    Aws(Box<AwsArgs>),
    Anthropic(Box<AnthropicArgs>),
    Entra(Box<EntraArgs>),
    Gcp(Box<GcpArgs>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    /// The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token).
    Kubernetes,
    /// ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience.
    GithubActions,
    /// The metadata server's identity endpoint (GCE_METADATA_HOST), for --source-audience.
    GcpMetadata,
    /// The file in AWS_WEB_IDENTITY_TOKEN_FILE.
    AwsWebIdentity,
    /// The file in AZURE_FEDERATED_TOKEN_FILE.
    Azure,
    /// The file in ANTHROPIC_IDENTITY_TOKEN_FILE.
    Anthropic,
}

impl From<FromArg> for Platform {
    fn from(f: FromArg) -> Self {
        match f {
            FromArg::Kubernetes => Platform::Kubernetes,
            FromArg::GithubActions => Platform::GithubActions,
            FromArg::GcpMetadata => Platform::GcpMetadata,
            FromArg::AwsWebIdentity => Platform::AwsWebIdentity,
            FromArg::Azure => Platform::Azure,
            FromArg::Anthropic => Platform::Anthropic,
        }
    }
}

/// Where the subject token comes from (give exactly one of the first three).
#[derive(Debug, Args)]
#[command(next_help_heading = "Subject token")]
pub struct SubjectArgs {
    /// Subject token file; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub subject_token: Option<PathBuf>,

    /// Environment variable holding the subject token.
    #[arg(long, value_name = "VAR")]
    pub subject_token_env: Option<String>,

    /// Get the subject token from the platform this runs on.
    #[arg(long, value_enum, value_name = "SOURCE")]
    pub from: Option<FromArg>,

    /// Audience to ask github-actions or gcp-metadata for.
    #[arg(long, env = "AGENTID_SOURCE_AUDIENCE", value_name = "AUD")]
    pub source_audience: Option<String>,

    /// Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place.
    #[arg(long, env = "AGENTID_SOURCE_FILE", value_name = "PATH")]
    pub source_file: Option<PathBuf>,

    /// Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place.
    #[arg(long, env = "AGENTID_SOURCE_ENDPOINT", value_name = "URL")]
    pub source_endpoint: Option<String>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Checks and output")]
pub struct RunArgs {
    /// Print the request that would be sent, secrets redacted, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests.
    #[arg(long)]
    pub expect_denied: bool,

    /// Include the credential itself in -f json output.
    #[arg(long)]
    pub reveal: bool,

    /// Check the token and the request against this registry agent's trust and may_request.
    #[arg(long, value_name = "NAME")]
    pub agent: Option<String>,

    /// Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning.
    #[arg(long)]
    pub enforce: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GrantArg {
    /// RFC 8693 token exchange.
    TokenExchange,
    /// RFC 7523 §2.1: the subject token is the assertion.
    JwtBearer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuthArg {
    None,
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
}

/// OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).
///
/// The token endpoint is --token-endpoint, or found from --issuer by
/// discovery (OpenID Connect, then RFC 8414). Client authentication is
/// inferred from what is given (a secret: client_secret_basic; a key:
/// private_key_jwt; neither: none) unless --client-auth says otherwise.
///
/// Examples:
///   agentid exchange oauth --issuer https://as.example --subject-token token.jwt \
///     --client-id agent-cc --client-secret-env CLIENT_SECRET --scope read
///   agentid exchange oauth --token-endpoint https://as.example/token --grant jwt-bearer \
///     --from kubernetes --client-id agent --client-key agent.pem --dry-run
///   agentid exchange oauth --issuer https://as.example --subject-token-env TOKEN --expect-denied
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct OauthArgs {
    /// Token endpoint URL.
    #[arg(long, env = "AGENTID_OAUTH_TOKEN_ENDPOINT", value_name = "URL")]
    pub token_endpoint: Option<String>,

    /// Authorization server issuer URL: its token endpoint is found by discovery.
    #[arg(long, env = "AGENTID_OAUTH_ISSUER", value_name = "URL")]
    pub issuer: Option<String>,

    /// Grant type.
    #[arg(long, value_enum, default_value_t = GrantArg::TokenExchange, value_name = "GRANT")]
    pub grant: GrantArg,

    /// subject_token_type: a URN or jwt, access_token, id_token, refresh_token, saml1, saml2 [default: jwt for a JWT, else access_token].
    #[arg(long, value_name = "TYPE")]
    pub subject_token_type: Option<String>,

    /// Actor token file (`-` is stdin), for on-behalf-of.
    #[arg(long, value_name = "FILE", conflicts_with = "actor_token_env")]
    pub actor_token: Option<PathBuf>,

    /// Environment variable holding the actor token.
    #[arg(long, value_name = "VAR")]
    pub actor_token_env: Option<String>,

    /// actor_token_type [default: jwt for a JWT, else access_token].
    #[arg(long, value_name = "TYPE")]
    pub actor_token_type: Option<String>,

    /// requested_token_type.
    #[arg(long, value_name = "TYPE")]
    pub requested_token_type: Option<String>,

    /// Target audience (repeatable).
    #[arg(long, value_name = "AUD")]
    pub audience: Vec<String>,

    /// Target resource URI, RFC 8707 (repeatable).
    #[arg(long, value_name = "URI")]
    pub resource: Vec<String>,

    /// Scope (repeatable; sent space-separated).
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,

    #[command(flatten)]
    pub client: ClientArgs,

    #[command(flatten)]
    pub subject: SubjectArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.
///
/// Calls the regional STS endpoint with the official AWS SDK; the call is
/// unsigned (the web identity token is the proof). The role's trust policy
/// must name the token issuer's IAM OIDC provider, and the token's aud must
/// be in that provider's client ID list (sts.amazonaws.com for GitHub Actions).
///
/// -f env prints AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN;
/// -f credential-process prints what an AWS SDK reads from a
/// `credential_process` entry in ~/.aws/config.
///
/// Examples:
///   agentid exchange aws --role-arn arn:aws:iam::123456789012:role/deploy \
///     --from github-actions --source-audience sts.amazonaws.com
///   agentid exchange aws --role-arn arn:aws:iam::123456789012:role/deploy \
///     --from aws-web-identity -f credential-process
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AwsArgs {
    /// Role to assume.
    #[arg(long, env = "AWS_ROLE_ARN", value_name = "ARN")]
    pub role_arn: String,

    /// RoleSessionName [default: agentid-<unix time>].
    #[arg(long, env = "AWS_ROLE_SESSION_NAME", value_name = "NAME")]
    pub session_name: Option<String>,

    /// DurationSeconds, 15m to 12h (and at most the role's maximum) [default: STS's, 1h].
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<crate::duration::Duration>,

    /// Session policy file (JSON) that narrows the role's permissions.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Region whose STS endpoint is called.
    #[arg(
        long,
        env = "AWS_REGION",
        default_value = "us-east-1",
        value_name = "REGION"
    )]
    pub region: String,

    /// STS endpoint URL instead of https://sts.REGION.amazonaws.com.
    #[arg(long, env = "AWS_ENDPOINT_URL_STS", value_name = "URL")]
    pub endpoint: Option<String>,

    #[command(flatten)]
    pub subject: SubjectArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Anthropic workload identity federation: an identity token for a short-lived Claude API token.
///
/// POSTs the jwt-bearer grant to {base-url}/v1/oauth/token with the
/// federation rule, organization and service account (and workspace, when
/// the rule covers several); the answer is an sk-ant-oat01-… access token.
/// Reads the same environment variables as Anthropic's SDKs; without a
/// subject-token flag the token comes from ANTHROPIC_IDENTITY_TOKEN_FILE,
/// else ANTHROPIC_IDENTITY_TOKEN. -f env prints ANTHROPIC_AUTH_TOKEN.
///
/// Examples:
///   agentid exchange anthropic --from github-actions --source-audience https://api.anthropic.com \
///     --federation-rule-id fdrl_… --organization-id UUID --service-account-id svac_…
///   ANTHROPIC_IDENTITY_TOKEN_FILE=/var/run/secrets/anthropic.com/token agentid exchange anthropic -f env
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AnthropicArgs {
    /// Federation rule to evaluate (fdrl_…).
    #[arg(long, env = "ANTHROPIC_FEDERATION_RULE_ID", value_name = "ID")]
    pub federation_rule_id: String,

    /// Anthropic organization UUID.
    #[arg(long, env = "ANTHROPIC_ORGANIZATION_ID", value_name = "UUID")]
    pub organization_id: String,

    /// Service account the token acts as (svac_…).
    #[arg(long, env = "ANTHROPIC_SERVICE_ACCOUNT_ID", value_name = "ID")]
    pub service_account_id: String,

    /// Workspace to scope the token to (wrkspc_…, or default).
    #[arg(long, env = "ANTHROPIC_WORKSPACE_ID", value_name = "ID")]
    pub workspace_id: Option<String>,

    /// API base URL.
    #[arg(long, env = "ANTHROPIC_BASE_URL", default_value = anthropic::DEFAULT_BASE_URL, value_name = "URL")]
    pub base_url: String,

    #[command(flatten)]
    pub subject: SubjectArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Microsoft Entra ID: client credentials with a federated client assertion.
///
/// POSTs to {authority}/{tenant}/oauth2/v2.0/token with the workload's token
/// as client_assertion; the app registration needs a federated identity
/// credential naming the token's iss, sub and aud (api://AzureADTokenExchange).
/// Reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST as the
/// Azure SDKs do. -f env prints AZURE_ACCESS_TOKEN.
///
/// Examples:
///   agentid exchange entra --tenant contoso.onmicrosoft.com --client-id APP_ID \
///     --scope https://graph.microsoft.com/.default --from azure
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EntraArgs {
    /// Directory (tenant) ID or domain.
    #[arg(long, env = "AZURE_TENANT_ID", value_name = "TENANT")]
    pub tenant: String,

    /// Application (client) ID of the app registration.
    #[arg(long, env = "AZURE_CLIENT_ID", value_name = "ID")]
    pub client_id: String,

    /// RESOURCE/.default scope (repeatable).
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,

    /// Authority host.
    #[arg(long, env = "AZURE_AUTHORITY_HOST", default_value = entra::DEFAULT_AUTHORITY, value_name = "URL")]
    pub authority: String,

    #[command(flatten)]
    pub subject: SubjectArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Google Cloud workload identity federation: Google STS, then optionally impersonation.
///
/// Exchanges the subject token at sts.googleapis.com for a federated access
/// token, with the workload identity provider's full resource name as the
/// audience; with --service-account, trades that for the service account's
/// access token (IAM Credentials generateAccessToken). --credential-config
/// reads an `external_account` file as gcloud writes it (audience, token
/// type, impersonation URL and the token's file or URL source).
/// -f env prints CLOUDSDK_AUTH_ACCESS_TOKEN.
///
/// Examples:
///   agentid exchange gcp --from kubernetes \
///     --provider projects/123456789/locations/global/workloadIdentityPools/k8s/providers/prod \
///     --service-account deployer@acme.iam.gserviceaccount.com
///   agentid exchange gcp --credential-config gha-creds.json --dry-run
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct GcpArgs {
    /// Workload identity provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID (or the //iam.googleapis.com/… audience).
    #[arg(
        long,
        value_name = "PROVIDER",
        required_unless_present = "credential_config"
    )]
    pub provider: Option<String>,

    /// Impersonate this service account (email) after the STS exchange.
    #[arg(long, value_name = "EMAIL")]
    pub service_account: Option<String>,

    /// OAuth scope (repeatable) [default: https://www.googleapis.com/auth/cloud-platform].
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,

    /// Lifetime of the impersonated token (e.g. 15m; at most 1h unless the org allows 12h).
    #[arg(long, value_name = "DURATION")]
    pub lifetime: Option<crate::duration::Duration>,

    /// An external_account credential configuration file (as gcloud writes it).
    #[arg(long, value_name = "FILE")]
    pub credential_config: Option<PathBuf>,

    /// Google STS token endpoint.
    #[arg(long, env = "AGENTID_GCP_STS_ENDPOINT", value_name = "URL")]
    pub sts_endpoint: Option<String>,

    /// IAM Credentials API base URL.
    #[arg(long, env = "AGENTID_GCP_IAMCREDENTIALS_ENDPOINT", default_value = gcp::DEFAULT_IAMCREDENTIALS, value_name = "URL")]
    pub iamcredentials_endpoint: String,

    #[command(flatten)]
    pub subject: SubjectArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Client authentication")]
pub struct ClientArgs {
    /// client_id.
    #[arg(long, env = "AGENTID_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// Client authentication method [default: from what is given].
    #[arg(long, value_enum, value_name = "METHOD")]
    pub client_auth: Option<ClientAuthArg>,

    /// File holding the client secret.
    #[arg(long, value_name = "FILE", conflicts_with = "client_secret_env")]
    pub client_secret_file: Option<PathBuf>,

    /// Environment variable holding the client secret.
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,

    /// Private key (PEM or JWK) that signs the private_key_jwt client assertion.
    #[arg(long, value_name = "FILE")]
    pub client_key: Option<PathBuf>,

    /// aud of the client assertion [default: the token endpoint].
    #[arg(long, value_name = "AUD")]
    pub assertion_audience: Option<String>,
}

pub fn run(ctx: &Ctx, args: &ExchangeArgs) -> anyhow::Result<ExitStatus> {
    match &args.protocol {
        Protocol::Oauth(a) => run_oauth(ctx, a),
        Protocol::Aws(a) => run_aws(ctx, a),
        Protocol::Anthropic(a) => run_anthropic(ctx, a),
        Protocol::Entra(a) => run_entra(ctx, a),
        Protocol::Gcp(a) => run_gcp(ctx, a),
    }
}

const FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Raw, Format::Env];

fn run_oauth(ctx: &Ctx, a: &OauthArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("exchange oauth", Format::Table, FORMATS)?;
    check_run(&a.run, format)?;
    let spec = subject_spec(&a.subject)?;
    let opts = source_options(&a.subject);
    let grant = match a.grant {
        GrantArg::TokenExchange => Grant::TokenExchange,
        GrantArg::JwtBearer => Grant::JwtBearer,
    };
    if a.token_endpoint.is_none() && a.issuer.is_none() {
        return Err(UsageError(
            "give the token endpoint with --token-endpoint URL, or the issuer to discover it from with --issuer URL".into(),
        )
        .into());
    }
    let client = client_auth(&a.client)?;
    let actor_spec = match (&a.actor_token, &a.actor_token_env) {
        (Some(p), _) => Some(SourceSpec::File(p.clone())),
        (None, Some(v)) => Some(SourceSpec::Env(v.clone())),
        (None, None) => None,
    };
    if a.actor_token_type.is_some() && actor_spec.is_none() {
        return Err(UsageError(
            "--actor-token-type needs --actor-token or --actor-token-env".into(),
        )
        .into());
    }
    if matches!((&spec, &actor_spec), (SourceSpec::File(s), Some(SourceSpec::File(t))) if s == Path::new("-") && t == Path::new("-"))
    {
        return Err(UsageError(
            "the subject and actor tokens cannot both come from stdin (-)".into(),
        )
        .into());
    }
    let http = Http::new(HttpOptions::default()).map_err(ExchangeError::from)?;
    let now = Timestamp::now();
    let scopes: Vec<String> = a
        .scope
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string))
        .collect();

    let agent = load_agent(ctx, &a.run)?;
    let (subject, preview, outcome, checks) = crate::http::block_on(async {
        let subject = source::obtain(&spec, &opts, &http).await?;
        let actor = match &actor_spec {
            Some(s) => {
                let t = source::obtain(s, &SourceOptions::default(), &http).await?;
                let tt = type_or_default(a.actor_token_type.as_deref(), &t);
                Some((t, tt))
            }
            None => None,
        };
        let token_endpoint = match (&a.token_endpoint, &a.issuer) {
            (Some(t), _) => t.clone(),
            (None, Some(iss)) => discover_token_endpoint(&http, iss).await?,
            (None, None) => unreachable!("checked above"),
        };
        let req = OauthRequest {
            token_endpoint,
            grant,
            subject_token_type: type_or_default(a.subject_token_type.as_deref(), &subject),
            subject: subject.clone(),
            actor,
            requested_token_type: a.requested_token_type.as_deref().map(token_type_urn),
            audiences: a.audience.clone(),
            resources: a.resource.clone(),
            scopes: scopes.clone(),
            client,
        };
        let built = oauth::build(&req, now)?;
        let preview = oauth::preview(&built);
        let rule = match grant {
            Grant::JwtBearer => AudienceRule::OneOf {
                values: [Some(req.token_endpoint.clone()), a.issuer.clone()]
                    .into_iter()
                    .flatten()
                    .collect(),
                why: "RFC 7523 §3 wants the authorization server (its issuer or token endpoint) in the assertion's aud".into(),
                fail: false,
            },
            Grant::TokenExchange => AudienceRule::Any,
        };
        let requested = Requested {
            audiences: a.audience.iter().chain(&a.resource).cloned().collect(),
            scopes: scopes.clone(),
            lifetime_secs: None,
        };
        let checks = preflight(&subject, rule, requested, agent.as_ref(), &a.run, now).await;
        let outcome = if a.run.dry_run || preflight::blocks(&checks, a.run.enforce) {
            None
        } else {
            tracing::info!(url = %built.url, grant = ?grant, client_auth = req.client.method(), "sending token request");
            Some(oauth::send(&http, &built).await?)
        };
        Ok::<_, ExchangeError>((subject, preview, outcome, checks))
    })
    .map_err(ExchangeError::from)??;

    let asked = Asked {
        scopes,
        audiences: a.audience.clone(),
        // Without a requested lifetime, the agent's allowance is the yardstick.
        max_lifetime: agent
            .as_ref()
            .and_then(|ag| ag.may_request.as_ref()?.max_token_lifetime)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    finish(
        ctx,
        format,
        &a.run,
        Done {
            protocol: "oauth",
            token_var: "ACCESS_TOKEN",
            subject: &subject,
            request: preview,
            preflight: checks,
            outcome,
            asked: &asked,
        },
    )
}

const AWS_FORMATS: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Env,
    Format::CredentialProcess,
];

fn run_aws(ctx: &Ctx, a: &AwsArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("exchange aws", Format::Table, AWS_FORMATS)?;
    check_run(&a.run, format)?;
    let spec = subject_spec(&a.subject)?;
    let opts = source_options(&a.subject);
    let policy = match &a.policy {
        Some(p) => Some(read_policy(p)?),
        None => None,
    };
    let duration_seconds = a
        .duration
        .map(|d| i32::try_from(d.as_secs()).unwrap_or(i32::MAX));
    let http = Http::new(HttpOptions::default()).map_err(ExchangeError::from)?;
    let agent = load_agent(ctx, &a.run)?;
    let now = Timestamp::now();
    let (subject, preview, outcome, checks) = crate::http::block_on(async {
        let subject = source::obtain(&spec, &opts, &http).await?;
        let req = aws::AwsRequest {
            role_arn: a.role_arn.clone(),
            session_name: a
                .session_name
                .clone()
                .unwrap_or_else(|| format!("agentid-{}", Timestamp::now().as_second())),
            duration_seconds,
            policy,
            region: a.region.clone(),
            endpoint: a.endpoint.clone(),
            subject: subject.clone(),
        };
        aws::validate(&req)?;
        let preview = aws::preview(&req);
        let rule = AudienceRule::OneOf {
            values: vec!["sts.amazonaws.com".into()],
            why: "AWS accepts only an aud in the IAM OIDC provider's client ID list (sts.amazonaws.com by convention)".into(),
            fail: false,
        };
        let requested = Requested {
            lifetime_secs: Some(duration_seconds.map_or(3600, |d| d as u64)),
            ..Requested::default()
        };
        let checks = preflight(&subject, rule, requested, agent.as_ref(), &a.run, now).await;
        let outcome = if a.run.dry_run || preflight::blocks(&checks, a.run.enforce) {
            None
        } else {
            tracing::info!(url = %req.url(), role = %req.role_arn, "calling AssumeRoleWithWebIdentity");
            Some(aws::send(&req).await?)
        };
        Ok::<_, ExchangeError>((subject, preview, outcome, checks))
    })
    .map_err(ExchangeError::from)??;
    let asked = Asked {
        max_lifetime: duration_seconds.map(i64::from),
        ..Asked::default()
    };
    finish(
        ctx,
        format,
        &a.run,
        Done {
            protocol: "aws",
            token_var: "",
            subject: &subject,
            request: preview,
            preflight: checks,
            outcome,
            asked: &asked,
        },
    )
}

const ANTHROPIC_FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Raw, Format::Env];

fn run_anthropic(ctx: &Ctx, a: &AnthropicArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("exchange anthropic", Format::Table, ANTHROPIC_FORMATS)?;
    check_run(&a.run, format)?;
    let given = a.subject.subject_token.is_some()
        || a.subject.subject_token_env.is_some()
        || a.subject.from.is_some();
    // As Anthropic's SDKs: the token file, else the token in the environment.
    let spec = if given {
        subject_spec(&a.subject)?
    } else if std::env::var_os(source::anthropic::ENV).is_some_and(|v| !v.is_empty()) {
        SourceSpec::From(Platform::Anthropic)
    } else if std::env::var_os("ANTHROPIC_IDENTITY_TOKEN").is_some_and(|v| !v.is_empty()) {
        SourceSpec::Env("ANTHROPIC_IDENTITY_TOKEN".into())
    } else {
        subject_spec(&a.subject)?
    };
    let opts = source_options(&a.subject);
    let agent = load_agent(ctx, &a.run)?;
    let http = Http::new(HttpOptions::default()).map_err(ExchangeError::from)?;
    let now = Timestamp::now();
    let (subject, preview, outcome, checks) = crate::http::block_on(async {
        let subject = source::obtain(&spec, &opts, &http).await?;
        let req = anthropic::AnthropicRequest {
            base_url: a.base_url.clone(),
            federation_rule_id: a.federation_rule_id.clone(),
            organization_id: a.organization_id.clone(),
            service_account_id: a.service_account_id.clone(),
            workspace_id: a.workspace_id.clone(),
            subject: subject.clone(),
        };
        anthropic::validate(&req)?;
        let preview = anthropic::preview(&req);
        let requested = Requested {
            audiences: vec![a.base_url.clone()],
            ..Requested::default()
        };
        let checks = preflight(&subject, AudienceRule::Any, requested, agent.as_ref(), &a.run, now).await;
        let outcome = if a.run.dry_run || preflight::blocks(&checks, a.run.enforce) {
            None
        } else {
            tracing::info!(url = %req.url(), rule = %req.federation_rule_id, "exchanging with Anthropic");
            Some(anthropic::send(&http, &req).await?)
        };
        Ok::<_, ExchangeError>((subject, preview, outcome, checks))
    })
    .map_err(ExchangeError::from)??;
    let asked = Asked {
        max_lifetime: agent
            .as_ref()
            .and_then(|ag| ag.may_request.as_ref()?.max_token_lifetime)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        ..Asked::default()
    };
    finish(
        ctx,
        format,
        &a.run,
        Done {
            protocol: "anthropic",
            token_var: "ANTHROPIC_AUTH_TOKEN",
            subject: &subject,
            request: preview,
            preflight: checks,
            outcome,
            asked: &asked,
        },
    )
}

fn run_entra(ctx: &Ctx, a: &EntraArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("exchange entra", Format::Table, ANTHROPIC_FORMATS)?;
    check_run(&a.run, format)?;
    let spec = subject_spec(&a.subject)?;
    let opts = source_options(&a.subject);
    let agent = load_agent(ctx, &a.run)?;
    let http = Http::new(HttpOptions::default()).map_err(ExchangeError::from)?;
    let now = Timestamp::now();
    let scopes: Vec<String> = a
        .scope
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string))
        .collect();
    let (subject, preview, outcome, checks) = crate::http::block_on(async {
        let subject = source::obtain(&spec, &opts, &http).await?;
        let req = entra::EntraRequest {
            authority: a.authority.clone(),
            tenant: a.tenant.clone(),
            client_id: a.client_id.clone(),
            scopes: scopes.clone(),
            subject: subject.clone(),
        };
        entra::validate(&req)?;
        let preview = entra::preview(&req);
        let rule = AudienceRule::OneOf {
            values: vec![entra::ASSERTION_AUDIENCE.into()],
            why: "Entra federated credentials expect this audience by default".into(),
            fail: false,
        };
        let requested = Requested {
            scopes: scopes.clone(),
            ..Requested::default()
        };
        let checks = preflight(&subject, rule, requested, agent.as_ref(), &a.run, now).await;
        let outcome = if a.run.dry_run || preflight::blocks(&checks, a.run.enforce) {
            None
        } else {
            tracing::info!(url = %req.url(), client_id = %req.client_id, "requesting an Entra token");
            Some(entra::send(&http, &req).await?)
        };
        Ok::<_, ExchangeError>((subject, preview, outcome, checks))
    })
    .map_err(ExchangeError::from)??;
    let asked = Asked {
        max_lifetime: agent
            .as_ref()
            .and_then(|ag| ag.may_request.as_ref()?.max_token_lifetime)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        ..Asked::default()
    };
    finish(
        ctx,
        format,
        &a.run,
        Done {
            protocol: "entra",
            token_var: "AZURE_ACCESS_TOKEN",
            subject: &subject,
            request: preview,
            preflight: checks,
            outcome,
            asked: &asked,
        },
    )
}

fn run_gcp(ctx: &Ctx, a: &GcpArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("exchange gcp", Format::Table, ANTHROPIC_FORMATS)?;
    check_run(&a.run, format)?;
    let config = match &a.credential_config {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                UsageError(format!(
                    "--credential-config: cannot read {}: {e}",
                    p.display()
                ))
            })?;
            Some(gcp::parse_credential_config(
                &text,
                &p.display().to_string(),
            )?)
        }
        None => None,
    };
    let given = a.subject.subject_token.is_some()
        || a.subject.subject_token_env.is_some()
        || a.subject.from.is_some();
    let spec = if given || config.is_none() {
        Some(subject_spec(&a.subject)?)
    } else {
        None
    };
    let opts = source_options(&a.subject);
    let agent = load_agent(ctx, &a.run)?;
    let http = Http::new(HttpOptions::default()).map_err(ExchangeError::from)?;
    let now = Timestamp::now();
    let scopes: Vec<String> = if a.scope.is_empty() {
        vec![gcp::DEFAULT_SCOPE.to_string()]
    } else {
        a.scope
            .iter()
            .flat_map(|s| s.split_whitespace().map(str::to_string))
            .collect()
    };
    let lifetime_secs = a
        .lifetime
        .map(|d| d.as_secs())
        .or(config.as_ref().and_then(|c| c.lifetime_secs));
    let (subject, preview, outcome, checks) = crate::http::block_on(async {
        let subject = match (&spec, &config) {
            (Some(spec), _) => source::obtain(spec, &opts, &http).await?,
            (None, Some(c)) => gcp::config_subject(c, &http).await?,
            (None, None) => unreachable!("a spec without a config"),
        };
        let audience = match (&a.provider, &config) {
            (Some(p), _) => gcp::audience_of(p),
            (None, Some(c)) => c.audience.clone(),
            (None, None) => unreachable!("clap requires one"),
        };
        let impersonation_url = match (&a.service_account, &config) {
            (Some(email), _) => Some(gcp::impersonation_url(&a.iamcredentials_endpoint, email)),
            (None, Some(c)) => c.impersonation_url.clone(),
            (None, None) => None,
        };
        let req = gcp::GcpRequest {
            sts_url: a
                .sts_endpoint
                .clone()
                .or(config.as_ref().and_then(|c| c.token_url.clone()))
                .unwrap_or_else(|| gcp::DEFAULT_STS.to_string()),
            subject_token_type: config
                .as_ref()
                .map(|c| c.subject_token_type.clone())
                .unwrap_or_else(|| type_or_default(None, &subject)),
            audience,
            scopes: scopes.clone(),
            subject: subject.clone(),
            impersonation_url,
            lifetime_secs,
        };
        gcp::validate(&req)?;
        let preview = gcp::preview(&req);
        let https_form = format!("https:{}", req.audience);
        let rule = AudienceRule::OneOf {
            values: vec![https_form, req.audience.clone()],
            why: "a provider accepts by default only https://iam.googleapis.com/ + its resource name (or its configured allowed audiences)".into(),
            fail: false,
        };
        let requested = Requested {
            scopes: scopes.clone(),
            lifetime_secs,
            ..Requested::default()
        };
        let checks = preflight(&subject, rule, requested, agent.as_ref(), &a.run, now).await;
        let outcome = if a.run.dry_run || preflight::blocks(&checks, a.run.enforce) {
            None
        } else {
            tracing::info!(url = %req.sts_url, audience = %req.audience, "exchanging at Google STS");
            Some(gcp::send(&http, &req).await?)
        };
        Ok::<_, ExchangeError>((subject, preview, outcome, checks))
    })
    .map_err(ExchangeError::from)??;
    let asked = Asked {
        max_lifetime: lifetime_secs.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        ..Asked::default()
    };
    finish(
        ctx,
        format,
        &a.run,
        Done {
            protocol: "gcp",
            token_var: "CLOUDSDK_AUTH_ACCESS_TOKEN",
            subject: &subject,
            request: preview,
            preflight: checks,
            outcome,
            asked: &asked,
        },
    )
}

fn read_policy(path: &Path) -> Result<String, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("--policy: cannot read {}: {e}", path.display())))?;
    serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|e| UsageError(format!("--policy {}: not JSON: {e}", path.display())))?;
    Ok(text)
}

async fn discover_token_endpoint(http: &Http, issuer: &str) -> Result<String, ExchangeError> {
    let meta = crate::token::discovery::discover(http, issuer)
        .await
        .map_err(|e| {
            if e.is_bad_input() {
                ExchangeError::Input(format!("--issuer: {e}"))
            } else {
                ExchangeError::Operational(e.to_string())
            }
        })?;
    meta.token_endpoint.ok_or_else(|| {
        ExchangeError::Operational(format!(
            "{} names no token_endpoint: give --token-endpoint",
            meta.document_url
        ))
    })
}

/// The flags of --dry-run / --reveal that do not fit the chosen format.
fn check_run(run: &RunArgs, format: Format) -> Result<(), UsageError> {
    let secret_format = matches!(
        format,
        Format::Raw | Format::Env | Format::CredentialProcess
    );
    if run.dry_run && secret_format {
        return Err(UsageError(format!(
            "--dry-run sends nothing, so there is no credential for -f {}; use -f table or -f json",
            format.as_str()
        )));
    }
    if run.reveal && format != Format::Json {
        return Err(UsageError(
            "--reveal applies to -f json (-f raw and -f env always hold the credential)".into(),
        ));
    }
    Ok(())
}

pub(crate) fn subject_spec(s: &SubjectArgs) -> Result<SourceSpec, UsageError> {
    let given = [
        s.subject_token.is_some(),
        s.subject_token_env.is_some(),
        s.from.is_some(),
    ];
    match given.iter().filter(|g| **g).count() {
        0 => Err(UsageError(
            "give the subject token with --subject-token FILE (or - for stdin), --subject-token-env VAR or --from SOURCE".into(),
        )),
        1 => Ok(match (&s.subject_token, &s.subject_token_env, s.from) {
            (Some(p), _, _) => SourceSpec::File(p.clone()),
            (_, Some(v), _) => SourceSpec::Env(v.clone()),
            (_, _, Some(f)) => SourceSpec::From(f.into()),
            _ => unreachable!("one is given"),
        }),
        _ => Err(UsageError(
            "give only one of --subject-token, --subject-token-env and --from".into(),
        )),
    }
}

pub(crate) fn source_options(s: &SubjectArgs) -> SourceOptions {
    let from_platform = s.from.is_some();
    // The AGENTID_SOURCE_* environment variables only matter with --from.
    SourceOptions {
        audience: s.source_audience.clone().filter(|_| from_platform),
        file: s.source_file.clone().filter(|_| from_platform),
        endpoint: s.source_endpoint.clone().filter(|_| from_platform),
    }
}

fn type_or_default(flag: Option<&str>, t: &SubjectToken) -> String {
    match flag {
        Some(f) => token_type_urn(f),
        None if crate::token::jwt::parse(t.token.expose()).is_ok() => token_type_urn("jwt"),
        None => token_type_urn("access_token"),
    }
}

fn read_secret(path: Option<&PathBuf>, env: Option<&String>) -> Result<Option<Secret>, UsageError> {
    let (source, flag) = match (path, env) {
        (Some(p), _) => (Source::Path(p), "--client-secret-file"),
        (None, Some(v)) => (Source::Env(v), "--client-secret-env"),
        (None, None) => return Ok(None),
    };
    input::read(source, &mut std::io::stdin().lock())
        .map(|t| Some(Secret::new(t.token)))
        .map_err(|e| {
            UsageError(format!(
                "{flag}: {}",
                e.to_string().replace("token file", "file")
            ))
        })
}

fn client_auth(c: &ClientArgs) -> Result<ClientAuth, UsageError> {
    let secret = read_secret(c.client_secret_file.as_ref(), c.client_secret_env.as_ref())?;
    let method = match c.client_auth {
        Some(m) => m,
        None if secret.is_some() => ClientAuthArg::ClientSecretBasic,
        None if c.client_key.is_some() => ClientAuthArg::PrivateKeyJwt,
        None => ClientAuthArg::None,
    };
    let need_id = |what: &str| {
        c.client_id
            .clone()
            .ok_or_else(|| UsageError(format!("{what} needs --client-id (or AGENTID_CLIENT_ID)")))
    };
    let no_secret = || {
        UsageError("client_secret_basic/post need the secret: --client-secret-file FILE or --client-secret-env VAR (never on the command line)".into())
    };
    match method {
        ClientAuthArg::None => {
            if secret.is_some() || c.client_key.is_some() {
                return Err(UsageError(
                    "--client-auth none sends no secret or assertion: drop --client-secret-*/--client-key".into(),
                ));
            }
            Ok(ClientAuth::None {
                client_id: c.client_id.clone(),
            })
        }
        ClientAuthArg::ClientSecretBasic => Ok(ClientAuth::SecretBasic {
            client_id: need_id("client_secret_basic")?,
            secret: secret.ok_or_else(no_secret)?,
        }),
        ClientAuthArg::ClientSecretPost => Ok(ClientAuth::SecretPost {
            client_id: need_id("client_secret_post")?,
            secret: secret.ok_or_else(no_secret)?,
        }),
        ClientAuthArg::PrivateKeyJwt => {
            if secret.is_some() {
                return Err(UsageError(
                    "private_key_jwt signs an assertion with --client-key; drop --client-secret-*"
                        .into(),
                ));
            }
            let path = c.client_key.as_ref().ok_or_else(|| {
                UsageError(
                    "private_key_jwt needs --client-key FILE (PEM or JWK private key)".into(),
                )
            })?;
            let key = SigningKey::from_file(path)
                .map_err(|e| UsageError(format!("--client-key: {e}")))?;
            Ok(ClientAuth::PrivateKeyJwt {
                client_id: need_id("private_key_jwt")?,
                key: Box::new(key),
                audience: c.assertion_audience.clone(),
            })
        }
    }
}

/// What a protocol's run came to, for [`finish`].
pub(crate) struct Done<'a> {
    pub protocol: &'static str,
    /// The variable -f env puts a bearer token in.
    pub token_var: &'a str,
    pub subject: &'a SubjectToken,
    pub request: RequestPreview,
    pub preflight: Vec<PreflightCheck>,
    /// None: nothing was sent (dry run, or blocked by preflight).
    pub outcome: Option<Outcome>,
    pub asked: &'a Asked,
}

/// The registry agent named by --agent.
fn load_agent(ctx: &Ctx, run: &RunArgs) -> anyhow::Result<Option<Agent>> {
    let Some(name) = &run.agent else {
        return Ok(None);
    };
    let Some((path, _)) = crate::config::find_registry(ctx.config.as_deref()) else {
        return Err(UsageError(format!(
            "--agent {name}: no registry found (give --config, or run where agentid.yaml is)"
        ))
        .into());
    };
    let loaded = crate::registry::load(&path)?;
    loaded
        .registry
        .agents
        .iter()
        .find(|a| &a.name == name)
        .cloned()
        .map(Some)
        .ok_or_else(|| {
            UsageError(format!(
                "--agent {name}: no such agent in {}",
                path.display()
            ))
            .into()
        })
}

/// Token checks, then the issuer (network) check.
async fn preflight(
    subject: &SubjectToken,
    audience: AudienceRule,
    requested: Requested,
    agent: Option<&Agent>,
    run: &RunArgs,
    now: Timestamp,
) -> Vec<PreflightCheck> {
    let input = preflight::Input {
        subject,
        audience,
        requested,
        agent,
        enforce: run.enforce,
        now,
    };
    let mut checks = preflight::token_checks(&input);
    if let Some(c) = preflight::issuer_check(subject, now).await {
        checks.push(c);
    }
    for c in &checks {
        tracing::info!(check = %c.name, result = ?c.result, "{}", c.detail);
    }
    checks
}

/// Builds the report from what happened, renders it, and decides the exit code.
pub(crate) fn finish(
    ctx: &Ctx,
    format: Format,
    run: &RunArgs,
    done: Done,
) -> anyhow::Result<ExitStatus> {
    let Done {
        protocol,
        token_var,
        subject,
        request,
        preflight,
        outcome,
        asked,
    } = done;
    let now = Timestamp::now();
    let blocked = outcome.is_none() && preflight::blocks(&preflight, run.enforce);
    let (result, granted, denied, credential) = match outcome {
        None if blocked => (rep::Result::Blocked, None, None, None),
        None => (rep::Result::DryRun, None, None, None),
        Some(Outcome::Granted(g)) => {
            let analysis = analyze::analyze(&g, asked, now);
            for w in &analysis.warnings {
                tracing::warn!("{w}");
            }
            (
                rep::Result::Granted,
                Some(GrantedView::new(&g, analysis, run.reveal)),
                None,
                Some(g.credential.clone()),
            )
        }
        Some(Outcome::Denied(d)) => (rep::Result::Denied, None, Some(d), None),
    };
    let ok = match result {
        rep::Result::DryRun => true,
        rep::Result::Blocked => false,
        rep::Result::Granted => !run.expect_denied,
        rep::Result::Denied => run.expect_denied,
    };
    let report = ExchangeReport {
        schema_version: crate::exchange::SCHEMA_VERSION,
        kind: crate::exchange::KIND,
        protocol,
        result,
        expect_denied: run.expect_denied,
        ok,
        subject: SubjectView::new(subject),
        request,
        preflight,
        granted,
        denied,
    };
    let status = if ok {
        ExitStatus::Ok
    } else {
        ExitStatus::Findings
    };
    match format {
        Format::Table => {
            let style = ctx.style();
            output::write_secret_to(&ctx.destination, |out| {
                output::table::exchange(out, &report, &style)
            })?;
        }
        Format::Json => {
            output::write_secret_to(&ctx.destination, |out| output::json::write(out, &report))?;
        }
        _ => {
            // The credential alone, or nothing: say why on stderr.
            match (&credential, run.expect_denied) {
                (Some(c), false) => write_credential(ctx, format, c, token_var)?,
                (Some(_), true) => eprintln!(
                    "error: --expect-denied, but {protocol} exchange at {} GRANTED a credential: the boundary does not hold",
                    report.request.url
                ),
                (None, _) => {
                    if report.result == rep::Result::Blocked {
                        eprintln!("error: not sent: a preflight check failed (--enforce)");
                        for c in report
                            .preflight
                            .iter()
                            .filter(|c| c.result == Verdict::Fail)
                        {
                            eprintln!("  {}: {}", c.name, c.detail);
                        }
                    }
                    if let Some(d) = &report.denied {
                        let desc = d
                            .description
                            .as_deref()
                            .map(|x| format!(": {x}"))
                            .unwrap_or_default();
                        let lead = if run.expect_denied {
                            "denied, as expected"
                        } else {
                            "error: denied"
                        };
                        eprintln!("{lead}: HTTP {} {}{desc}", d.status, d.error);
                        if let Some(e) = &d.explanation {
                            eprintln!("likely cause: {}", e.cause);
                            eprintln!("fix: {}", e.fix);
                        }
                    }
                }
            }
        }
    }
    Ok(status)
}

fn write_credential(
    ctx: &Ctx,
    format: Format,
    c: &Credential,
    token_var: &str,
) -> anyhow::Result<()> {
    output::write_secret_to(&ctx.destination, |out| match format {
        Format::Raw => output::raw::exchange(out, c),
        Format::Env => output::env::exchange(out, c, token_var),
        Format::CredentialProcess => output::credential_process::exchange(out, c),
        _ => Err(std::io::Error::other("not a credential format")),
    })?;
    Ok(())
}
