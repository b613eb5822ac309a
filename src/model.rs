//! The normalized estate every provider source fills, and the findings made about it.
//!
//! Plain serde types, no I/O. The JSON form of [`Estate`] is the snapshot format
//! (docs/snapshot.md); changing a field here changes that format, so bump
//! [`SNAPSHOT_SCHEMA_VERSION`] when a change is not backward compatible.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::tags::Tags;

/// Version of the snapshot format written and accepted by this build.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// A provider an identity lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Kubernetes,
    Gcp,
    Entra,
    Anthropic,
    Openai,
    Github,
}

impl Provider {
    pub const ALL: [Provider; 7] = [
        Provider::Aws,
        Provider::Kubernetes,
        Provider::Gcp,
        Provider::Entra,
        Provider::Anthropic,
        Provider::Openai,
        Provider::Github,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Kubernetes => "kubernetes",
            Provider::Gcp => "gcp",
            Provider::Entra => "entra",
            Provider::Anthropic => "anthropic",
            Provider::Openai => "openai",
            Provider::Github => "github",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is. Ordered: `Info < Low < … < Critical`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When something was last seen doing anything: not reported by the provider,
/// never, or at a time. In JSON: absent or `null`, `"never"`, or an RFC 3339 time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activity {
    #[default]
    Unknown,
    Never,
    At(Timestamp),
}

impl Activity {
    pub fn is_unknown(&self) -> bool {
        matches!(self, Activity::Unknown)
    }
}

/// When a credential stops working: the concept does not apply (AWS access keys),
/// never (a secret that could expire but was made without an end date), or at a time.
/// In JSON: absent or `null`, `"never"`, or an RFC 3339 time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiry {
    #[default]
    NotApplicable,
    Never,
    At(Timestamp),
}

impl Expiry {
    pub fn is_not_applicable(&self) -> bool {
        matches!(self, Expiry::NotApplicable)
    }
}

/// Shared serde form of [`Activity`] and [`Expiry`]: null | "never" | timestamp.
fn ser_never_or_time<S: Serializer>(
    s: S,
    value: Option<Option<Timestamp>>,
) -> Result<S::Ok, S::Error> {
    match value {
        None => s.serialize_none(),
        Some(None) => s.serialize_str("never"),
        Some(Some(t)) => s.collect_str(&t),
    }
}

fn de_never_or_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Timestamp>>, D::Error> {
    // A visitor, so the text is parsed where it lies instead of copied into a String:
    // snapshots hold millions of these.
    struct NeverOrTime;
    impl<'de> serde::de::Visitor<'de> for NeverOrTime {
        type Value = Option<Option<Timestamp>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"never\", null or an RFC 3339 time")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_str(self)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            if text == "never" {
                return Ok(Some(None));
            }
            crate::timestamp::parse(text).map(|t| Some(Some(t))).map_err(|_| {
                E::custom(format!(
                    "expected \"never\", null or an RFC 3339 time such as 2026-01-31T12:00:00Z, got {text:?}"
                ))
            })
        }
    }
    d.deserialize_option(NeverOrTime)
}

impl Serialize for Activity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = match self {
            Activity::Unknown => None,
            Activity::Never => Some(None),
            Activity::At(t) => Some(Some(*t)),
        };
        ser_never_or_time(s, v)
    }
}

impl<'de> Deserialize<'de> for Activity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match de_never_or_time(d)? {
            None => Activity::Unknown,
            Some(None) => Activity::Never,
            Some(Some(t)) => Activity::At(t),
        })
    }
}

impl Serialize for Expiry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = match self {
            Expiry::NotApplicable => None,
            Expiry::Never => Some(None),
            Expiry::At(t) => Some(Some(*t)),
        };
        ser_never_or_time(s, v)
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match de_never_or_time(d)? {
            None => Expiry::NotApplicable,
            Some(None) => Expiry::Never,
            Some(Some(t)) => Expiry::At(t),
        })
    }
}

/// What sort of principal an identity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// AWS IAM user, Entra user used as an agent.
    User,
    /// AWS IAM role.
    Role,
    /// Kubernetes or GCP service account, OpenAI project service account.
    ServiceAccount,
    /// Entra app registration.
    Application,
    /// Entra service principal (enterprise application).
    ServicePrincipal,
    /// Azure managed identity.
    ManagedIdentity,
    /// A standalone API key that is its own identity (Anthropic, OpenAI admin keys).
    ApiKey,
    /// GitHub App or anything else that acts as a workload.
    App,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::User => "user",
            IdentityKind::Role => "role",
            IdentityKind::ServiceAccount => "service_account",
            IdentityKind::Application => "application",
            IdentityKind::ServicePrincipal => "service_principal",
            IdentityKind::ManagedIdentity => "managed_identity",
            IdentityKind::ApiKey => "api_key",
            IdentityKind::App => "app",
        }
    }
}

/// One principal found in a provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Name of the source that reported it (e.g. `aws-prod`).
    pub source: String,
    pub provider: Provider,
    /// The provider's stable identifier: ARN, `namespace/name`, service-account
    /// email, Entra appId, API key id.
    pub id: String,
    pub name: String,
    pub kind: IdentityKind,
    /// Owner as the provider records it (owner tag, `created_by`, Entra sponsor).
    /// `null` when the provider knows no owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `false` when the provider reports the owner's own access as gone
    /// (OpenAI `owner_project_access: inactive`, a deleted Anthropic user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_active: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::deserialize_option"
    )]
    pub created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Activity::is_unknown")]
    pub last_activity: Activity,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
}

/// What a credential is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// AWS access key (AKIA…).
    AccessKey,
    /// Anthropic / OpenAI API key.
    ApiKey,
    /// Organisation admin key (Anthropic `sk-ant-admin01-`, OpenAI `sk-admin-`).
    AdminKey,
    /// GCP service-account key.
    ServiceAccountKey,
    /// Entra password credential (client secret).
    ClientSecret,
    /// Entra key credential (certificate).
    ClientCertificate,
    /// Kubernetes Secret of type `kubernetes.io/service-account-token`.
    KubernetesLegacyToken,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AccessKey => "access_key",
            CredentialKind::ApiKey => "api_key",
            CredentialKind::AdminKey => "admin_key",
            CredentialKind::ServiceAccountKey => "service_account_key",
            CredentialKind::ClientSecret => "client_secret",
            CredentialKind::ClientCertificate => "client_certificate",
            CredentialKind::KubernetesLegacyToken => "kubernetes_legacy_token",
        }
    }
}

/// Whether a credential can be used right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialState {
    Active,
    Inactive,
    Expired,
    Revoked,
}

impl CredentialState {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialState::Active => "active",
            CredentialState::Inactive => "inactive",
            CredentialState::Expired => "expired",
            CredentialState::Revoked => "revoked",
        }
    }
}

/// Who manages a key's lifecycle. Only user-managed keys count for rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Managed {
    #[default]
    User,
    /// Rotated by the provider (GCP SYSTEM_MANAGED keys).
    Provider,
}

/// A credential an identity holds. Never carries a secret value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    pub source: String,
    pub provider: Provider,
    /// The provider's id of the credential (access key id, key id, secret id).
    pub id: String,
    /// `id` of the [`Identity`] that holds it.
    pub identity: String,
    pub kind: CredentialKind,
    /// A non-secret hint the provider shows (`sk-ant-api03-R2D...igAA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::deserialize_option"
    )]
    pub created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Activity::is_unknown")]
    pub last_used: Activity,
    #[serde(default, skip_serializing_if = "Expiry::is_not_applicable")]
    pub expires: Expiry,
    pub state: CredentialState,
    /// A static secret that lives until someone rotates it.
    pub long_lived: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub managed: Managed,
    /// AWS root user access key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
    /// Organisation-wide admin key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin: bool,
    /// Kubernetes `kubernetes.io/legacy-token-invalid-since`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::deserialize_option"
    )]
    pub invalid_since: Option<Timestamp>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A federated trust: tokens from `issuer` whose subject matches may act as `identity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trust {
    pub source: String,
    pub provider: Provider,
    pub identity: String,
    pub issuer: String,
    /// Subject values or patterns (`*` wildcards) the trust accepts.
    /// Empty: no subject condition at all.
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    /// GCP workload identity provider `attributeCondition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_condition: Option<String>,
    /// Where the trust is configured (OIDC provider ARN, WIF provider, federated credential name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Lifetime of the tokens minted through this trust, when the provider
    /// sets one per trust (Anthropic federation rule `token_lifetime_seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime_seconds: Option<u64>,
}

/// Something an identity is allowed to do that matters for least privilege.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privilege {
    pub source: String,
    pub provider: Provider,
    pub identity: String,
    /// The grant as the provider names it (`AdministratorAccess`, `roles/owner`, `cluster-admin`).
    pub grant: String,
    /// Full admin or a `*` wildcard.
    #[serde(default)]
    pub admin: bool,
    /// OAuth scopes or API permissions the grant gives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// The audience (resource) the scopes are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// The policy, role binding or app role that carries the grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A human user of a provider, used to tell whether an owner still exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub source: String,
    pub provider: Provider,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub active: bool,
}

/// One place the estate was collected from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    pub name: String,
    pub provider: Provider,
    /// Account id, cluster, project, tenant or organisation covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<Timestamp>,
}

/// Everything the sources found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estate {
    #[serde(default)]
    pub sources: Vec<SourceInfo>,
    #[serde(default)]
    pub identities: Vec<Identity>,
    #[serde(default)]
    pub credentials: Vec<Credential>,
    #[serde(default)]
    pub trusts: Vec<Trust>,
    #[serde(default)]
    pub privileges: Vec<Privilege>,
    #[serde(default)]
    pub users: Vec<User>,
}

impl Estate {
    /// Moves everything from `other` into `self`. An empty list takes the
    /// other's as it is: moving a million credentials one by one is not free.
    pub fn extend(&mut self, other: Estate) {
        fn join<T>(into: &mut Vec<T>, from: Vec<T>) {
            if into.is_empty() {
                *into = from;
            } else {
                into.extend(from);
            }
        }
        join(&mut self.sources, other.sources);
        join(&mut self.identities, other.identities);
        join(&mut self.credentials, other.credentials);
        join(&mut self.trusts, other.trusts);
        join(&mut self.privileges, other.privileges);
        join(&mut self.users, other.users);
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Agent,
    Identity,
    Credential,
    Trust,
    Privilege,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Agent => "agent",
            SubjectKind::Identity => "identity",
            SubjectKind::Credential => "credential",
            SubjectKind::Trust => "trust",
            SubjectKind::Privilege => "privilege",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One thing wrong, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Stable rule id, `AID010`.
    pub rule: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub severity: Severity,
    /// Registry agent it concerns; absent when no agent declares the subject
    /// (shadow, ignored or disabled identities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub subject: Subject,
    /// The facts that made it fire.
    pub evidence: String,
    /// One line: what to do next.
    pub remediation: Cow<'static, str>,
    /// Set when the agent's owner accepted this finding in the registry (`accept:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Accepted>,
}

/// An owner's acceptance of a finding, copied from the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub reason: String,
    /// Last day the acceptance holds.
    pub until: String,
}
