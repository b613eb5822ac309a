//! The documents `scan-secrets` writes: a scan report and the rule list.
//! Both are versioned (`schema_version`) and typed (`kind`); output/ renders them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Severity;
use crate::scan::engine::CompiledRules;
use crate::scan::finding::{Finding, SuppressionKind};
use crate::scan::history::RepoSummary;
use crate::scan::rules::{Lifetime, Rule};
use crate::scan::walk::{Outcome, Skipped, Stats};

pub const SCHEMA_VERSION: u32 = 1;
pub const REPORT_KIND: &str = "agentid.secret_scan";
pub const FINDING_KIND: &str = "agentid.secret_finding";
pub const RULES_KIND: &str = "agentid.secret_rules";

/// What a rule that fired is, for readers of the report and SARIF's rule metadata.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub provider: String,
    pub name: String,
    /// The rule's own severity and lifetime (a finding's may differ: a
    /// validator or a pair can change them).
    pub severity: Severity,
    pub lifetime: Lifetime,
    pub remediation: String,
}

/// Findings that do not count, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// By an `agentid:allow` comment on the secret's line.
    pub inline: usize,
    /// By the `--baseline` file.
    pub baseline: usize,
}

impl Suppressed {
    pub fn total(&self) -> usize {
        self.inline + self.baseline
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
    /// Findings that count (not suppressed).
    pub findings: usize,
    /// Distinct secrets (by fingerprint) among them.
    pub secrets: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    /// Findings reported but not counted: marked `suppressed` in `findings`.
    pub suppressed: Suppressed,
    /// `i/n` when the run scanned one shard of the files (`--shard`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub skipped_binary: u64,
    pub skipped_large: u64,
    pub unreadable: u64,
    /// The lowest severity that fails the run, or `never`.
    pub fail_on: String,
    /// A finding that counts is at or above `fail_on`.
    pub failed: bool,
    /// With `--git`, `--history` or `--staged`: what was read from git.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSummary>,
    /// With `--estate`: the snapshot keys were matched against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estate: Option<EstateSummary>,
}

/// What a git scan read (`summary.git`).
#[derive(Debug, Clone, Serialize)]
pub struct GitSummary {
    /// `history` (`--git`, `--history`) or `staged` (`--staged`).
    pub mode: GitMode,
    /// `--since-commit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_commit: Option<String>,
    /// `--branch`: the refs read instead of every ref.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<String>,
    pub repositories: Vec<RepoSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GitMode {
    History,
    Staged,
}

/// `summary.estate`: the snapshot and how the keys it could hold were linked.
#[derive(Debug, Clone, Serialize)]
pub struct EstateSummary {
    pub snapshot: String,
    /// The registry that named the agents, if one was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    pub matched: usize,
    pub ambiguous: usize,
    pub not_found: usize,
}

/// `kind: agentid.secret_scan`.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub summary: Summary,
    /// Sorted by path, then position; suppressed ones included (marked).
    pub findings: Vec<Finding>,
    /// The rules that fired (suppressed findings included), by id.
    pub rules: BTreeMap<String, RuleInfo>,
    /// Files not scanned (over the size cap, unreadable, a symlink loop).
    pub skipped: Vec<Skipped>,
    #[serde(skip)]
    pub stats: Stats,
}

impl ScanReport {
    /// `threshold`: the lowest severity that fails the run (`None`: never).
    pub fn new(outcome: Outcome, rules: &CompiledRules, threshold: Option<Severity>) -> Self {
        let Outcome {
            findings,
            stats,
            skipped,
        } = outcome;
        let mut by_severity = BTreeMap::new();
        let mut fingerprints = std::collections::HashSet::new();
        let mut info = BTreeMap::new();
        let mut suppressed = Suppressed::default();
        let mut counted = 0;
        for f in &findings {
            if let Some(r) = rules.get(&f.rule) {
                info.entry(f.rule.clone()).or_insert_with(|| RuleInfo {
                    provider: r.provider.clone(),
                    name: r.name.clone(),
                    severity: r.severity,
                    lifetime: r.lifetime,
                    remediation: r.remediation.clone(),
                });
            }
            match f.suppressed.as_ref().map(|s| s.kind) {
                Some(SuppressionKind::Inline) => suppressed.inline += 1,
                Some(SuppressionKind::Baseline) => suppressed.baseline += 1,
                None => {
                    counted += 1;
                    *by_severity.entry(f.severity).or_insert(0) += 1;
                    fingerprints.insert(f.secret.fingerprint.as_str());
                }
            }
        }
        let failed = threshold.is_some_and(|t| {
            findings
                .iter()
                .any(|f| !f.is_suppressed() && f.severity >= t)
        });
        ScanReport {
            schema_version: SCHEMA_VERSION,
            kind: REPORT_KIND,
            summary: Summary {
                files: stats.files,
                bytes: stats.bytes,
                elapsed_ms: stats.elapsed.as_millis() as u64,
                findings: counted,
                secrets: fingerprints.len(),
                by_severity,
                suppressed,
                shard: None,
                skipped_binary: stats.skipped_binary,
                skipped_large: stats.skipped_large,
                unreadable: stats.unreadable,
                fail_on: threshold.map_or("never".into(), |t| t.as_str().to_string()),
                failed,
                git: None,
                estate: None,
            },
            findings,
            rules: info,
            skipped,
            stats,
        }
    }

    /// The findings that count (not suppressed) grouped by secret
    /// (fingerprint and rule), worst first, each group's locations in report order.
    pub fn groups(&self) -> Vec<Vec<&Finding>> {
        let mut groups: Vec<Vec<&Finding>> = Vec::new();
        let mut index: std::collections::HashMap<(&str, &str), usize> = Default::default();
        for f in self.findings.iter().filter(|f| !f.is_suppressed()) {
            let key = (f.secret.fingerprint.as_str(), f.rule.as_str());
            match index.get(&key) {
                Some(&i) => groups[i].push(f),
                None => {
                    index.insert(key, groups.len());
                    groups.push(vec![f]);
                }
            }
        }
        let worst = |g: &Vec<&Finding>| g.iter().map(|f| f.severity).max();
        groups.sort_by_key(|g| std::cmp::Reverse(worst(g)));
        groups
    }
}

/// One line of `-f jsonl`: a finding with the document's version and kind.
#[derive(Debug, Serialize)]
pub struct FindingLine<'a> {
    pub schema_version: u32,
    pub kind: &'static str,
    #[serde(flatten)]
    pub finding: &'a Finding,
}

/// `kind: agentid.secret_rules`: what `scan-secrets rules` lists.
#[derive(Debug, Serialize)]
pub struct RuleList<'a> {
    pub schema_version: u32,
    pub kind: &'static str,
    pub rules: Vec<&'a Rule>,
}

impl<'a> RuleList<'a> {
    pub fn new(rules: &'a CompiledRules) -> Self {
        RuleList {
            schema_version: SCHEMA_VERSION,
            kind: RULES_KIND,
            rules: rules.rules().collect(),
        }
    }
}
