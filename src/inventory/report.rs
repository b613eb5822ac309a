//! What `agentid inventory` returns: plain data, rendered by output/.
//! The JSON form is documented in docs/output.md; bump [`INVENTORY_SCHEMA_VERSION`]
//! on any incompatible change.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::model::{CredentialKind, Finding, Provider, Severity};
use crate::registry::{FailOn, TrustRule};

pub const INVENTORY_SCHEMA_VERSION: u32 = 1;
pub const INVENTORY_KIND: &str = "agentid.inventory";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryReport {
    pub schema_version: u32,
    pub kind: String,
    pub as_of: Timestamp,
    /// Registry file used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Live sources that could not be read: their part of the estate is
    /// missing from this report (exit 3 unless `--allow-partial`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_errors: Vec<crate::inventory::source::SourceFailure>,
    pub sources: Vec<SourceSummary>,
    pub agents: Vec<AgentRow>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSummary {
    pub name: String,
    pub provider: Provider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<Timestamp>,
    pub identities: usize,
    pub credentials: usize,
}

/// Where an agent stands against the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    /// Declared, and every declared identity was found (or none was scanned).
    Declared,
    /// Declared, some declared identities missing.
    Partial,
    /// Declared, none of the scanned declared identities found.
    Missing,
    /// Found in a source, declared nowhere.
    Shadow,
}

impl AgentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Declared => "declared",
            AgentStatus::Partial => "partial",
            AgentStatus::Missing => "missing",
            AgentStatus::Shadow => "shadow",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRow {
    /// Registry name; for a shadow identity, its provider name.
    pub name: String,
    pub status: AgentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Registry `purpose:` of a declared agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Registry `trust:` of a declared agent, as declared: the federation it may rely on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust: Vec<TrustRule>,
    /// Sources it was found in.
    pub sources: Vec<String>,
    pub identities: Vec<IdentitySummary>,
    /// Active credentials held by its identities.
    pub credentials: usize,
    /// Of those, long-lived static secrets.
    pub long_lived_credentials: usize,
    /// Federated trusts the sources show on its identities (OIDC providers,
    /// workload identity pools, federated credentials, federation rules).
    #[serde(default)]
    pub federated_trusts: usize,
    /// Its active credentials with their ages, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credential_ages: Vec<CredentialAge>,
    pub findings: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst: Option<Severity>,
}

/// One active credential of an agent, and how old it is on `as_of`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialAge {
    pub id: String,
    pub source: String,
    pub kind: CredentialKind,
    /// A static secret that lives until someone rotates it.
    pub long_lived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
    /// Whole days from `created` to `as_of`; absent when the provider gives no creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_days: Option<i64>,
    /// The `max_key_age` AID010 applies to it (agent, then source, then registry default).
    pub max_key_age: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySummary {
    pub provider: Provider,
    pub id: String,
    /// Source it was found in; absent when declared but not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub found: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub agents_declared: usize,
    pub agents_found: usize,
    pub agents_missing: usize,
    pub shadow_identities: usize,
    pub identities: usize,
    pub credentials: usize,
    pub long_lived_credentials: usize,
    /// Registry-wide `max_key_age` (`defaults:`, else 90d); sources and agents may override it.
    #[serde(default = "default_max_key_age")]
    pub max_key_age: Duration,
    /// Count of findings per severity, accepted ones excluded.
    pub findings: BTreeMap<Severity, usize>,
    pub accepted: usize,
    pub fail_on: FailOn,
    /// True when a finding at or above `fail_on` exists: exit code 1.
    pub failed: bool,
}

fn default_max_key_age() -> Duration {
    super::rules::Limits::BUILT_IN.max_key_age
}
