//! The `agentid.yaml` registry, version 1, as Rust types.
//!
//! These types are the single source of truth: the JSON Schema published at
//! docs/agentid.schema.json is generated from them (schemars), and the loader
//! validates a file against that schema before deserializing it, so the schema,
//! the loader and the docs cannot drift apart. Doc comments become the schema's
//! descriptions, which editors show as hover help.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::model::Severity;

/// An agentid registry: which agents should exist, who owns them, how they
/// authenticate and what they may ask for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "agentid registry (agentid.yaml)")]
pub struct Registry {
    /// Format version of this file. Only 1 exists.
    pub version: RegistryVersion,
    /// Thresholds and settings that apply unless a source or agent overrides them.
    #[serde(default)]
    pub defaults: Defaults,
    /// People or teams that may own agents. An agent's owner must be listed here.
    #[serde(default)]
    pub owners: Vec<Owner>,
    /// The agents that should exist.
    #[serde(default)]
    pub agents: Vec<Agent>,
    /// Where inventory looks for identities.
    #[serde(default)]
    pub sources: Sources,
    /// Token issuers whose signing keys `rotate-keys` manages.
    #[serde(default)]
    pub issuers: Vec<Issuer>,
}

/// The registry format version; the schema accepts exactly 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct RegistryVersion;

impl TryFrom<u32> for RegistryVersion {
    type Error = String;
    fn try_from(v: u32) -> Result<Self, String> {
        if v == 1 {
            Ok(RegistryVersion)
        } else {
            Err(format!(
                "unsupported registry version {v}; this agentid reads version 1"
            ))
        }
    }
}

impl From<RegistryVersion> for u32 {
    fn from(_: RegistryVersion) -> u32 {
        1
    }
}

impl JsonSchema for RegistryVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RegistryVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "const": 1 })
    }
}

/// Thresholds for the finding catalogue. Any of them may be set in `defaults`,
/// on a source (`thresholds:`) or on an agent (`thresholds:`); the most specific wins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A static credential older than this is not rotated (AID010). Default 90d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_key_age: Option<Duration>,
    /// Not used for this long: unused (AID011). Default 45d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_after: Option<Duration>,
    /// No activity on the identity for this long: dormant (AID013). Default 180d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dormant_after: Option<Duration>,
    /// A new key not yet used is fine for this long (AID012). Default 7d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_used_grace: Option<Duration>,
    /// A credential expiring within this is reported (AID015). Default 30d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_warning: Option<Duration>,
    /// A token living longer than this is long-lived. Default 1h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_lifetime: Option<Duration>,
    /// Tolerated clock difference between issuer and verifier. Default 60s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew: Option<Duration>,
    /// A legacy Kubernetes token unused this long is high severity (AID017). Default 365d.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_token_stale_after: Option<Duration>,
}

/// Registry-wide defaults: the thresholds, plus settings for commands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// See `Thresholds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_key_age: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_after: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dormant_after: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_used_grace: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_warning: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_lifetime: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_token_stale_after: Option<Duration>,
    /// Lowest severity that makes `inventory` exit 1, unless `--fail-on` or
    /// `AGENTID_FAIL_ON` says otherwise. Default high.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<FailOn>,
}

impl Defaults {
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            max_key_age: self.max_key_age,
            unused_after: self.unused_after,
            dormant_after: self.dormant_after,
            never_used_grace: self.never_used_grace,
            expiry_warning: self.expiry_warning,
            max_token_lifetime: self.max_token_lifetime,
            clock_skew: self.clock_skew,
            legacy_token_stale_after: self.legacy_token_stale_after,
        }
    }
}

/// The severity at which a run fails, or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl FailOn {
    /// The lowest severity that fails, or `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

/// A person or team that may own agents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Email of a person, or a team name.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How to reach them: a channel, pager, or address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// False once the person has left or the team is gone; their agents get AID004.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// An agent: a workload identity with an owner and a purpose.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Unique name of the agent.
    pub name: String,
    /// An `id` from `owners:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// What the agent does, in one sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// prod, staging, dev, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// How the agent proves who it is (workload identity federation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust: Vec<TrustRule>,
    /// What it may exchange its identity for (least privilege).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub may_request: Option<MayRequest>,
    /// Whether and how deep it may act on behalf of others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<Delegation>,
    /// How the agent appears in providers: the keys inventory matches on.
    #[serde(default)]
    pub identities: IdentityRefs,
    /// Per-agent threshold overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
    /// Findings the owner has accepted, each with a reason and an end date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<Acceptance>,
}

/// A federated trust the agent is allowed to rely on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustRule {
    /// Token issuer URL; https (plain http only for loopback).
    pub issuer: String,
    /// Token subject, exact or a glob with `*` (`repo:acme/billing:*`).
    pub subject: String,
    /// Audiences the token must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

/// What the agent may ask for when it exchanges a token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MayRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Longest lifetime of a token issued to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_lifetime: Option<Duration>,
}

/// On-behalf-of rules for RFC 8693 `act` chains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    pub on_behalf_of: OnBehalfOf,
    /// Longest `act` chain accepted.
    #[serde(default = "one")]
    pub max_depth: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnBehalfOf {
    None,
    Users,
    Agents,
}

/// An accepted risk: the finding is still computed but reported as accepted
/// and does not fail the run, until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// Rule id, e.g. AID016.
    pub rule: String,
    /// Why it is acceptable, for the next auditor.
    pub reason: String,
    /// Last day the acceptance holds (YYYY-MM-DD). Expired acceptances are ignored.
    pub until: String,
}

/// The provider identities of one agent. Each entry names the key inventory matches on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRefs {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws: Vec<AwsRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes: Vec<KubernetesRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gcp: Vec<GcpRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entra: Vec<EntraRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anthropic: Vec<AnthropicRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openai: Vec<OpenaiRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwsRef {
    /// IAM role or user ARN.
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubernetesRef {
    /// `namespace/name` of the service account.
    pub serviceaccount: String,
    /// Source name of the cluster, when several are scanned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GcpRef {
    /// Service account email.
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntraRef {
    /// Application (client) id of the app registration or managed identity.
    pub app_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnthropicRef {
    /// An API key the agent is still allowed to hold (`apikey_…`).
    pub api_key_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenaiRef {
    /// Project service account id (`user-…` / `svc_acct_…`) or admin API key id (`key_…`).
    pub id: String,
}

/// Where inventory looks. Credentials come from the usual chains; secrets are
/// named by environment variable, never written here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// Saved estate snapshots (docs/snapshot.md), for offline, reproducible audits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snapshot: Vec<SnapshotSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws: Vec<AwsSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes: Vec<KubernetesSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gcp: Vec<GcpSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entra: Vec<EntraSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anthropic: Vec<AdminKeySource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openai: Vec<AdminKeySource>,
}

/// Settings every source accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSource {
    /// Name used by `--source` and in reports; default `snapshot:<file name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Snapshot file, relative to this registry file.
    pub path: String,
    /// Identity ids or names (globs) that are not agents: never shadow identities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Threshold overrides for everything this source reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwsSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Shared-config profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Role to assume in the audited account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Endpoint override (tests, private endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// IAM tag that names an identity's owner. Default `owner`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubernetesSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// kubeconfig context; default the current context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// kubeconfig file; default `$KUBECONFIG` or `~/.kube/config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GcpSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntraSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tenant id (GUID).
    pub tenant: String,
    /// Environment variable holding the client secret, if a secret is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// File holding a federated token (a JWT the app trusts through a
    /// federated identity credential, e.g. the AKS workload identity token
    /// at AZURE_FEDERATED_TOKEN_FILE), sent as the client assertion instead
    /// of a secret. Read afresh on every run: such tokens rotate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federated_token_file: Option<String>,
    /// PEM file holding the app's certificate and, unless `client_key_file`
    /// names another file, its private key (the file Azure CLI's
    /// `--certificate` and AZURE_CLIENT_CERTIFICATE_PATH take). agentid signs
    /// an RFC 7523 client assertion with the key, naming the certificate by
    /// its SHA-256 (`x5t#S256`) and SHA-1 (`x5t`) thumbprints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificate_file: Option<String>,
    /// PEM private key of `client_certificate_file`, when the key is kept
    /// apart from the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

/// Anthropic or OpenAI organisation, read with an admin key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminKeySource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Environment variable holding the admin key (never the key itself).
    pub admin_key_env: String,
    /// Anthropic only: environment variable holding an OAuth access token
    /// with the `org:admin` scope, which the workload identity federation
    /// endpoints (service accounts, federation issuers and rules) require;
    /// they do not accept an admin key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_token_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

/// A token issuer whose signing keys `rotate-keys` manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: String,
    /// Issuer URL (`iss`); https, or http on loopback.
    pub issuer: String,
    pub algorithm: SigningAlgorithm,
    pub backend: KeyBackend,
    pub publish: Publisher,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_period: Option<Duration>,
    /// A retired key stays published at least this long plus clock skew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_lifetime: Option<Duration>,
    /// A new key is published at least this long before it signs: the
    /// longest any relying party caches the JWKS. Default 1h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_cache_ttl: Option<Duration>,
    /// Tolerated clock difference of relying parties; a retired key stays
    /// published this much longer. Default: `defaults.clock_skew`, else 60s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew: Option<Duration>,
    /// Keep a retired key's private half this long before destroying it
    /// (never published again). Default: destroyed when it is retired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SigningAlgorithm {
    ES256,
    ES384,
    RS256,
    PS256,
    EdDSA,
}

/// Where private keys live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum KeyBackend {
    /// A directory of 0600 key files.
    File { dir: String },
    /// AWS KMS asymmetric keys (ES256, ES384, RS256, PS256): the private
    /// halves never leave KMS.
    AwsKms {
        /// AWS region [default: the credential chain's (AWS_REGION, profile)].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        /// When set, each key also gets the alias `alias/<alias_prefix>/<issuer>/<kid>`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_prefix: Option<String>,
        /// KMS endpoint URL (a local server in tests) [default: the region's].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
        /// Directory of the state file, journal and lock [default:
        /// `.agentid-keystore-<name>` next to the registry].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_dir: Option<String>,
        /// ScheduleKeyDeletion's waiting period for a destroyed key, 7d to 30d
        /// [default: 30d]: until then it can be cancelled in KMS.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deletion_window: Option<Duration>,
    },
}

/// Where the public JWKS is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Publisher {
    File {
        path: String,
    },
    S3 {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
}
