//! The documented JSON documents (docs/output.md), written out independently of
//! the crate's own types and strict about unknown fields: a change to the output
//! format breaks these tests and must be a deliberate, documented change.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub schema_version: u32,
    pub kind: String,
    pub as_of: String,
    #[serde(default)]
    pub registry: Option<String>,
    #[serde(default)]
    pub source_errors: Vec<SourceError>,
    pub sources: Vec<Source>,
    pub agents: Vec<AgentRow>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// A live source that could not be read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceError {
    pub source: String,
    pub endpoint: String,
    pub cause: String,
    #[serde(default)]
    pub permission: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub collected_at: Option<String>,
    pub identities: usize,
    pub credentials: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRow {
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub trust: Vec<TrustRule>,
    pub sources: Vec<String>,
    pub identities: Vec<IdentitySummary>,
    pub credentials: usize,
    pub long_lived_credentials: usize,
    pub federated_trusts: usize,
    #[serde(default)]
    pub credential_ages: Vec<CredentialAge>,
    pub findings: usize,
    #[serde(default)]
    pub worst: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustRule {
    pub issuer: String,
    pub subject: String,
    #[serde(default)]
    pub audiences: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialAge {
    pub id: String,
    pub source: String,
    pub kind: String,
    pub long_lived: bool,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub age_days: Option<i64>,
    pub max_key_age: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySummary {
    pub provider: String,
    pub id: String,
    #[serde(default)]
    pub source: Option<String>,
    pub found: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub severity: String,
    #[serde(default)]
    pub agent: Option<String>,
    pub subject: Subject,
    pub evidence: String,
    pub remediation: String,
    #[serde(default)]
    pub accepted: Option<Accepted>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub kind: String,
    pub id: String,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub reason: String,
    pub until: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub agents_declared: usize,
    pub agents_found: usize,
    pub agents_missing: usize,
    pub shadow_identities: usize,
    pub identities: usize,
    pub credentials: usize,
    pub long_lived_credentials: usize,
    pub max_key_age: String,
    pub findings: BTreeMap<String, usize>,
    pub accepted: usize,
    pub fail_on: String,
    pub failed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub schema_version: u32,
    pub kind: String,
    pub file: String,
    pub valid: bool,
    pub problems: Vec<ValidationProblem>,
    #[serde(default)]
    pub declares: Option<Declares>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationProblem {
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub column: Option<usize>,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declares {
    pub owners: usize,
    pub agents: usize,
    pub sources: usize,
    pub issuers: usize,
}

impl Inventory {
    pub fn parse(json: &str) -> Inventory {
        serde_json::from_str(json).unwrap_or_else(|e| {
            panic!("inventory JSON does not match the documented schema: {e}\n{json:.2000}")
        })
    }

    pub fn rules(&self) -> std::collections::BTreeSet<&str> {
        self.findings.iter().map(|f| f.rule.as_str()).collect()
    }

    pub fn findings_of<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule == rule)
    }
}
