//! HTML: the estate report, one self-contained page (inline CSS, inline SVG
//! charts, a little inline JavaScript for sorting and filtering), rendered
//! through askama templates in `src/output/templates/` with HTML escaping on.
//!
//! The page shows the [`InventoryReport`] and nothing else: every number is
//! one the JSON form carries, or a count or sum over it. [`Page::new`] turns a
//! report (and, for `inventory diff`, a [`Changes`]) into what the template
//! shows; the template itself holds no logic beyond loops and conditions.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Write};

use askama::Template;
use base64::Engine as _;

use crate::inventory::report::{AgentRow, AgentStatus, CredentialAge, InventoryReport};
use crate::model::{Finding, Severity};

/// The page's stylesheet and script, inlined. The Content-Security-Policy
/// allows exactly these two (by hash) and nothing else: no other script, no
/// network request, even if a value escaped the escaping.
const STYLE: &str = include_str!("templates/report.css");
const SCRIPT: &str = include_str!("templates/report.js");

/// What `inventory diff` marks as new since the previous snapshot. The diff
/// command builds it; the page only shows it (a "new" label on the rows).
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// As-of time of the previous report, shown in the header.
    pub previous_as_of: String,
    /// Indexes into `report.findings` that the previous report lacked.
    pub new_findings: HashSet<usize>,
    /// Indexes into `report.agents` that the previous report lacked.
    pub new_agents: HashSet<usize>,
}

/// `agentid inventory --format html`.
pub fn inventory(out: &mut dyn Write, report: &InventoryReport) -> io::Result<()> {
    write_page(out, &Page::new(report, None))
}

/// The page with what changed since a previous report highlighted.
pub fn inventory_with_changes(
    out: &mut dyn Write,
    report: &InventoryReport,
    changes: &Changes,
) -> io::Result<()> {
    write_page(out, &Page::new(report, Some(changes)))
}

/// Streams the page into `out` (a large estate's page is not built in memory first).
fn write_page(out: &mut dyn Write, page: &Page<'_>) -> io::Result<()> {
    page.write_into(out)
}

fn csp_hash(text: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// One summary card: a number with its label. `key` names the JSON field
/// (or the count over it) the number comes from, for tests and readers.
pub struct Card {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub detail: String,
    /// A severity class for severity cards (colour plus the text label).
    pub severity: Option<&'static str>,
}

/// A horizontal bar chart, laid out here so the template only draws it.
pub struct BarChart {
    pub id: &'static str,
    pub title: &'static str,
    pub caption: String,
    pub bars: Vec<Bar>,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
}

pub struct Bar {
    pub label: String,
    pub value: usize,
    pub y: u32,
    pub text_y: u32,
    pub width: u32,
    pub value_x: u32,
    /// CSS class of the bar: a severity, or `plain`.
    pub class: &'static str,
}

const BAR_ROW: u32 = 24;
const BAR_HEIGHT: u32 = 16;
const BAR_AREA: u32 = 320;

impl BarChart {
    fn new(
        id: &'static str,
        title: &'static str,
        caption: String,
        rows: Vec<(String, usize, &'static str)>,
    ) -> Self {
        let label_width = rows
            .iter()
            .map(|(l, _, _)| l.chars().count() as u32 * 7 + 12)
            .max()
            .unwrap_or(0)
            .clamp(60, 330);
        let max = rows.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, value, class))| {
                let y = i as u32 * BAR_ROW + 4;
                let width = (value as u64 * BAR_AREA as u64 / max as u64) as u32;
                Bar {
                    label,
                    value,
                    y,
                    text_y: y + BAR_HEIGHT - 3,
                    width: width.max(u32::from(value > 0)),
                    value_x: label_width + width + 6,
                    class,
                }
            })
            .collect();
        BarChart {
            id,
            title,
            caption,
            height: bars.len() as u32 * BAR_ROW + 8,
            width: label_width + BAR_AREA + 48,
            label_width,
            bars,
        }
    }
}

/// One row of the findings table.
pub struct FindingRow<'a> {
    pub finding: &'a Finding,
    pub rank: u8,
    pub owner: &'a str,
    pub source: &'a str,
    pub agent_anchor: Option<String>,
    pub new: bool,
}

/// One section per agent.
pub struct AgentSection<'a> {
    pub anchor: String,
    pub row: &'a AgentRow,
    pub status_text: &'static str,
    /// Findings that name this agent (declared agents), or its identity
    /// (shadow identities).
    pub findings: Vec<&'a Finding>,
    /// Open findings the report counts on this agent but does not tie to it
    /// (a shadow identity's credentials): they are in the findings table.
    pub unlisted: usize,
    pub new: bool,
    /// Its active credentials with ages, as the report lists them.
    pub credentials: Vec<CredentialView<'a>>,
}

/// One credential in an agent section.
pub struct CredentialView<'a> {
    pub c: &'a CredentialAge,
    pub kind: String,
    pub age: String,
    /// Older than the `max_key_age` that applies to it.
    pub over: bool,
}

/// The credential-age histogram: active long-lived credentials listed in
/// `agents[].credential_ages`, by `age_days`, against `max_key_age`.
pub struct AgeHistogram {
    pub buckets: Vec<AgeBucket>,
    pub width: u32,
    pub height: u32,
    pub baseline: u32,
    pub label_y: u32,
    pub threshold_x: u32,
    pub threshold_label_x: u32,
    pub threshold_anchor: &'static str,
    pub max_key_age: String,
    /// Credentials charted (dated, long-lived, active).
    pub charted: usize,
    pub caption: String,
}

pub struct AgeBucket {
    /// Stable key for tests and readers: `lt30`, `30-90`, `90-180`, `180-365`, `gt365`.
    pub key: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub x: u32,
    pub y: u32,
    pub mid: u32,
    pub value_y: u32,
    pub height: u32,
    /// `high` when the whole bucket is past the registry-wide max_key_age, else `plain`.
    pub class: &'static str,
}

/// Bucket edges in days: [lower, upper); the last is open.
pub const AGE_BUCKETS: [(&str, &str, i64, Option<i64>); 5] = [
    ("lt30", "< 30 days", i64::MIN, Some(30)),
    ("30-90", "30\u{2013}90 days", 30, Some(90)),
    ("90-180", "90\u{2013}180 days", 90, Some(180)),
    ("180-365", "180\u{2013}365 days", 180, Some(365)),
    ("gt365", "> 1 year", 365, None),
];

const HIST_COLUMN: u32 = 108;
const HIST_BAR: u32 = 84;
const HIST_LEFT: u32 = 16;
const HIST_TOP: u32 = 40;
const HIST_PLOT: u32 = 130;

fn age_text(days: Option<i64>) -> String {
    match days {
        None => "unknown (no creation date)".to_string(),
        Some(d) if d < 0 => format!("created {} days after the as-of time", -d),
        Some(1) => "1 day".to_string(),
        Some(d) if d >= 365 => format!("{d} days ({:.1} years)", d as f64 / 365.0),
        Some(d) => format!("{d} days"),
    }
}

fn is_over(c: &CredentialAge, as_of: jiff::Timestamp) -> bool {
    c.created
        .is_some_and(|t| as_of.as_second() - t.as_second() > c.max_key_age.as_secs() as i64)
}

impl AgeHistogram {
    fn new(report: &InventoryReport) -> Self {
        let max = report.summary.max_key_age;
        let max_days = (max.as_secs() / 86_400) as i64;
        let mut counts = [0usize; AGE_BUCKETS.len()];
        let (mut charted, mut undated, mut over, mut long_lived) = (0, 0, 0, 0);
        let mut other_limits = false;
        for c in report
            .agents
            .iter()
            .flat_map(|a| &a.credential_ages)
            .filter(|c| c.long_lived)
        {
            long_lived += 1;
            if c.max_key_age != max {
                other_limits = true;
            }
            if is_over(c, report.as_of) {
                over += 1;
            }
            let Some(age) = c.age_days else {
                undated += 1;
                continue;
            };
            charted += 1;
            let b = AGE_BUCKETS
                .iter()
                .position(|(_, _, lo, hi)| age >= *lo && hi.is_none_or(|hi| age < hi))
                .unwrap_or(0);
            counts[b] += 1;
        }
        let top = counts.iter().copied().max().unwrap_or(0).max(1);
        let baseline = HIST_TOP + HIST_PLOT;
        let buckets = AGE_BUCKETS
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, ((key, label, lo, _), count))| {
                let height = (count as u64 * HIST_PLOT as u64 / top as u64) as u32;
                let height = height.max(u32::from(count > 0));
                let x = HIST_LEFT + i as u32 * HIST_COLUMN;
                AgeBucket {
                    key,
                    label,
                    count,
                    x,
                    y: baseline - height,
                    mid: x + HIST_BAR / 2,
                    value_y: baseline - height - 4,
                    height,
                    class: if *lo >= max_days { "high" } else { "plain" },
                }
            })
            .collect();
        // Where max_key_age falls: interpolated inside its bucket; the open
        // last bucket is drawn as one more year.
        let (i, frac) = AGE_BUCKETS
            .iter()
            .enumerate()
            .find_map(|(i, (_, _, lo, hi))| {
                let lo = (*lo).max(0);
                let hi = hi.unwrap_or(lo + 365);
                (max_days < hi || i == AGE_BUCKETS.len() - 1).then(|| {
                    (
                        i,
                        ((max_days - lo) as f64 / (hi - lo) as f64).clamp(0.0, 1.0),
                    )
                })
            })
            .unwrap_or((0, 0.0));
        let threshold_x = HIST_LEFT - (HIST_COLUMN - HIST_BAR) / 2
            + ((i as f64 + frac) * HIST_COLUMN as f64) as u32;
        let width = HIST_LEFT * 2 + AGE_BUCKETS.len() as u32 * HIST_COLUMN;
        let (threshold_label_x, threshold_anchor) = if threshold_x > width / 2 {
            (threshold_x - 4, "end")
        } else {
            (threshold_x + 4, "start")
        };
        let mut caption = format!(
            "{charted} active long-lived credentials held by agents and shadow identities, by age on the as-of date. \
             The dashed line marks max_key_age {max}; {over} of {long_lived} are older than the max_key_age that applies to them (AID010 reports the user-managed ones)."
        );
        if other_limits {
            caption.push_str(
                " Some credentials have another max_key_age (source or agent thresholds): see the agent sections.",
            );
        }
        if undated > 0 {
            caption.push_str(&format!(
                " {undated} without a creation date are not charted."
            ));
        }
        AgeHistogram {
            buckets,
            width,
            height: baseline + 22,
            baseline,
            label_y: baseline + 16,
            threshold_x,
            threshold_label_x,
            threshold_anchor,
            max_key_age: max.to_string(),
            charted,
            caption,
        }
    }
}

#[derive(Template)]
#[template(path = "inventory.html", escape = "html")]
pub struct Page<'a> {
    pub report: &'a InventoryReport,
    pub style: &'static str,
    pub script: &'static str,
    pub csp: String,
    pub sources_text: String,
    pub failed_text: String,
    pub cards: Vec<Card>,
    pub severity_cards: Vec<Card>,
    pub charts: Vec<BarChart>,
    pub federation: FederationShare,
    pub ages: AgeHistogram,
    pub findings: Vec<FindingRow<'a>>,
    pub agents: Vec<AgentSection<'a>>,
    pub filter_severities: Vec<&'static str>,
    pub filter_sources: Vec<&'a str>,
    pub filter_owners: Vec<&'a str>,
    pub filter_rules: Vec<&'a str>,
    pub previous_as_of: Option<&'a str>,
}

/// Agents found in a source, by how they authenticate: a federated trust
/// (`federated_trusts`), long-lived static keys (`long_lived_credentials`),
/// both, or neither; drawn as a stacked bar.
pub struct FederationShare {
    pub seen: usize,
    pub segments: Vec<ShareSegment>,
}

pub struct ShareSegment {
    /// `data-card` key and CSS class.
    pub key: &'static str,
    pub text: &'static str,
    pub count: usize,
    pub pct: usize,
    pub x: u32,
    pub width: u32,
}

const SHARE_WIDTH: u32 = 600;

impl FederationShare {
    fn new(report: &InventoryReport) -> Self {
        let seen: Vec<&AgentRow> = report
            .agents
            .iter()
            .filter(|a| a.status != AgentStatus::Missing)
            .collect();
        let count = |fed: bool, stat: bool| {
            seen.iter()
                .filter(|a| {
                    (a.federated_trusts > 0) == fed && (a.long_lived_credentials > 0) == stat
                })
                .count()
        };
        let rows = [
            (
                "agents_federated_only",
                "federated trust, no long-lived key",
                count(true, false),
            ),
            (
                "agents_federated_and_static",
                "federated trust and long-lived keys",
                count(true, true),
            ),
            (
                "agents_static_only",
                "long-lived keys, no federated trust",
                count(false, true),
            ),
            (
                "agents_neither",
                "neither (short-lived or no credentials found)",
                count(false, false),
            ),
        ];
        let mut x = 0;
        let segments = rows
            .into_iter()
            .map(|(key, text, count)| {
                let width = (count as u64 * SHARE_WIDTH as u64)
                    .checked_div(seen.len() as u64)
                    .unwrap_or(0) as u32;
                let seg = ShareSegment {
                    key,
                    text,
                    count,
                    pct: percent(count, seen.len()),
                    x,
                    width,
                };
                x += width;
                seg
            })
            .collect();
        FederationShare {
            seen: seen.len(),
            segments,
        }
    }
}

const NO_OWNER: &str = "(no owner)";
const NO_SOURCE: &str = "(no source)";

fn status_text(s: AgentStatus) -> &'static str {
    match s {
        AgentStatus::Declared => "declared, found",
        AgentStatus::Partial => "declared, partly found",
        AgentStatus::Missing => "declared, not found",
        AgentStatus::Shadow => "shadow: found, not declared",
    }
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

impl<'a> Page<'a> {
    pub fn new(report: &'a InventoryReport, changes: Option<&'a Changes>) -> Self {
        let s = &report.summary;

        // The agent row a finding belongs to: the declared agent it names, or
        // the shadow identity that is its subject.
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_shadow_id: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, a) in report.agents.iter().enumerate() {
            if a.status == AgentStatus::Shadow {
                for id in &a.identities {
                    by_shadow_id.entry(&id.id).or_insert(i);
                }
            } else {
                by_name.entry(&a.name).or_insert(i);
            }
        }
        let row_of = |f: &Finding| -> Option<usize> {
            match &f.agent {
                Some(name) => by_name.get(name.as_str()).copied(),
                None => by_shadow_id.get(f.subject.id.as_str()).copied(),
            }
        };

        let mut agent_findings: Vec<Vec<&Finding>> = vec![Vec::new(); report.agents.len()];
        let findings: Vec<FindingRow<'a>> = report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let row = row_of(f);
                if let Some(r) = row {
                    agent_findings[r].push(f);
                }
                FindingRow {
                    finding: f,
                    rank: rank(f.severity),
                    owner: row
                        .and_then(|r| report.agents[r].owner.as_deref())
                        .unwrap_or(NO_OWNER),
                    source: f.subject.source.as_deref().unwrap_or(NO_SOURCE),
                    agent_anchor: row.map(|r| format!("agent-{r}")),
                    new: changes.is_some_and(|c| c.new_findings.contains(&i)),
                }
            })
            .collect();

        let agents: Vec<AgentSection<'a>> = report
            .agents
            .iter()
            .zip(agent_findings)
            .enumerate()
            .map(|(i, (row, findings))| AgentSection {
                anchor: format!("agent-{i}"),
                row,
                status_text: status_text(row.status),
                unlisted: row
                    .findings
                    .saturating_sub(findings.iter().filter(|f| f.accepted.is_none()).count()),
                findings,
                new: changes.is_some_and(|c| c.new_agents.contains(&i)),
                credentials: row
                    .credential_ages
                    .iter()
                    .map(|c| CredentialView {
                        c,
                        kind: c.kind.as_str().replace('_', " "),
                        age: age_text(c.age_days),
                        over: is_over(c, report.as_of),
                    })
                    .collect(),
            })
            .collect();

        let open: usize = s.findings.values().sum();
        let cards = vec![
            Card {
                key: "agents_declared",
                label: "Agents declared".into(),
                value: s.agents_declared.to_string(),
                detail: "in the registry".into(),
                severity: None,
            },
            Card {
                key: "agents_found",
                label: "Agents found".into(),
                value: s.agents_found.to_string(),
                detail: "declared and seen in a source".into(),
                severity: None,
            },
            Card {
                key: "shadow_identities",
                label: "Shadow identities".into(),
                value: s.shadow_identities.to_string(),
                detail: "found, declared nowhere".into(),
                severity: None,
            },
            Card {
                key: "agents_missing",
                label: "Agents missing".into(),
                value: s.agents_missing.to_string(),
                detail: "declared, not found".into(),
                severity: None,
            },
            Card {
                key: "long_lived_credentials",
                label: "Long-lived credentials".into(),
                value: s.long_lived_credentials.to_string(),
                detail: format!(
                    "of {} active credentials ({}%)",
                    s.credentials,
                    percent(s.long_lived_credentials, s.credentials)
                ),
                severity: None,
            },
            Card {
                key: "findings",
                label: "Open findings".into(),
                value: open.to_string(),
                detail: format!("{} accepted, not counted", s.accepted),
                severity: None,
            },
        ];
        let severity_cards = Severity::ALL
            .iter()
            .rev()
            .map(|sev| Card {
                key: sev.as_str(),
                label: sev.as_str().to_string(),
                value: s.findings.get(sev).copied().unwrap_or(0).to_string(),
                detail: String::new(),
                severity: Some(sev.as_str()),
            })
            .collect();

        let severity_chart = BarChart::new(
            "chart-severity",
            "Open findings by severity",
            format!("{open} open findings; accepted ones are not counted."),
            Severity::ALL
                .iter()
                .rev()
                .map(|sev| {
                    (
                        sev.as_str().to_string(),
                        s.findings.get(sev).copied().unwrap_or(0),
                        sev.as_str(),
                    )
                })
                .collect(),
        );
        let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in report.findings.iter().filter(|f| f.accepted.is_none()) {
            *by_rule.entry((&f.rule, &f.title)).or_default() += 1;
        }
        let mut rule_rows: Vec<(String, usize, &'static str)> = by_rule
            .into_iter()
            .map(|((rule, title), n)| (format!("{rule} {title}"), n, "plain"))
            .collect();
        rule_rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rule_chart = BarChart::new(
            "chart-rules",
            "Open findings by rule",
            format!("{} rules with open findings.", rule_rows.len()),
            rule_rows,
        );
        let mut by_owner: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &report.agents {
            if a.findings > 0 {
                *by_owner
                    .entry(a.owner.as_deref().unwrap_or(NO_OWNER))
                    .or_default() += a.findings;
            }
        }
        let mut owner_rows: Vec<(String, usize, &'static str)> = by_owner
            .into_iter()
            .map(|(o, n)| (o.to_string(), n, "plain"))
            .collect();
        owner_rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let owner_chart = BarChart::new(
            "chart-owners",
            "Owners by open findings on their agents",
            "Findings on an agent's identities, credentials and privileges; findings on no agent (such as an ignored root user's key) are not counted here.".into(),
            owner_rows,
        );

        let filter_sources: BTreeSet<&str> = findings.iter().map(|r| r.source).collect();
        let filter_owners: BTreeSet<&str> = findings.iter().map(|r| r.owner).collect();
        let filter_rules: BTreeSet<&str> =
            report.findings.iter().map(|f| f.rule.as_ref()).collect();

        let sources_text = if report.sources.is_empty() {
            "none".to_string()
        } else {
            report
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let failed_text = match s.fail_on.threshold() {
            None => "fail_on is never: the run does not fail on findings".to_string(),
            Some(t) if s.failed => {
                format!("FAILED: findings at or above {} (exit code 1)", t.as_str())
            }
            Some(t) => format!("passed: no open finding at or above {}", t.as_str()),
        };

        Page {
            report,
            style: STYLE,
            script: SCRIPT,
            csp: format!(
                "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
                csp_hash(STYLE),
                csp_hash(SCRIPT)
            ),
            sources_text,
            failed_text,
            cards,
            severity_cards,
            charts: vec![severity_chart, rule_chart, owner_chart],
            federation: FederationShare::new(report),
            ages: AgeHistogram::new(report),
            findings,
            agents,
            filter_severities: Severity::ALL.iter().rev().map(|s| s.as_str()).collect(),
            filter_sources: filter_sources.into_iter().collect(),
            filter_owners: filter_owners.into_iter().collect(),
            filter_rules: filter_rules.into_iter().collect(),
            previous_as_of: changes.map(|c| c.previous_as_of.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::inventory::report::{IdentitySummary, Summary};
    use crate::model::{Provider, Subject, SubjectKind};
    use crate::registry::FailOn;

    pub(super) fn report() -> InventoryReport {
        let finding = |rule: &'static str, agent: Option<&str>, id: &str| Finding {
            rule: Cow::Borrowed(rule),
            title: Cow::Borrowed("title"),
            severity: Severity::High,
            agent: agent.map(str::to_string),
            subject: Subject {
                kind: SubjectKind::Identity,
                id: id.into(),
                provider: Some(Provider::Aws),
                source: Some("aws-prod".into()),
            },
            evidence: "evidence".into(),
            remediation: Cow::Borrowed("fix"),
            accepted: None,
        };
        let row = |name: &str, status, owner: Option<&str>, id: &str| AgentRow {
            name: name.into(),
            status,
            owner: owner.map(str::to_string),
            purpose: None,
            trust: Vec::new(),
            sources: vec!["aws-prod".into()],
            identities: vec![IdentitySummary {
                provider: Provider::Aws,
                id: id.into(),
                source: Some("aws-prod".into()),
                found: true,
            }],
            credentials: 1,
            long_lived_credentials: 1,
            federated_trusts: 0,
            credential_ages: Vec::new(),
            findings: 1,
            worst: Some(Severity::High),
        };
        InventoryReport {
            schema_version: 1,
            kind: "agentid.inventory".into(),
            as_of: "2026-11-01T00:00:00Z".parse().expect("time"),
            registry: None,
            sources: Vec::new(),
            source_errors: Vec::new(),
            agents: vec![
                row("bot", AgentStatus::Declared, Some("team-a"), "role/bot"),
                row("stray", AgentStatus::Shadow, Some("someone"), "user/stray"),
            ],
            findings: vec![
                finding("AID010", Some("bot"), "key-1"),
                finding("AID002", None, "user/stray"),
            ],
            summary: Summary {
                agents_declared: 1,
                agents_found: 1,
                agents_missing: 0,
                shadow_identities: 1,
                identities: 2,
                credentials: 2,
                long_lived_credentials: 2,
                max_key_age: crate::duration::Duration::days(90),
                findings: [(Severity::High, 2)].into_iter().collect(),
                accepted: 0,
                fail_on: FailOn::High,
                failed: true,
            },
        }
    }

    #[test]
    fn findings_go_to_the_agent_they_name_or_the_shadow_identity_they_concern() {
        let r = report();
        let page = Page::new(&r, None);
        assert_eq!(page.findings[0].owner, "team-a");
        assert_eq!(page.findings[1].owner, "someone");
        assert_eq!(page.findings[1].agent_anchor.as_deref(), Some("agent-1"));
        assert_eq!(page.agents[0].findings.len(), 1);
        assert_eq!(page.agents[1].findings[0].rule, "AID002");
        assert_eq!(page.agents[1].unlisted, 0);
    }

    #[test]
    fn changes_mark_new_rows_and_name_the_previous_report() {
        let r = report();
        let mut plain = Vec::new();
        inventory(&mut plain, &r).expect("renders");
        let plain = String::from_utf8(plain).expect("utf-8");
        assert!(!plain.contains("new-label\">new<"));

        let changes = Changes {
            previous_as_of: "2026-10-25T00:00:00Z".into(),
            new_findings: [1].into_iter().collect(),
            new_agents: [1].into_iter().collect(),
        };
        let mut out = Vec::new();
        inventory_with_changes(&mut out, &r, &changes).expect("renders");
        let html = String::from_utf8(out).expect("utf-8");
        assert!(html.contains("the report as of 2026-10-25T00:00:00Z"));
        assert_eq!(
            html.matches("<span class=\"new-label\">new</span>").count(),
            3
        );
        assert_eq!(html.matches("<tr data-severity").count(), 2);
        assert_eq!(
            html.matches(" class=\"new\">").count(),
            1,
            "one new finding row"
        );
        assert!(html.contains("class=\"agent status-shadow new\""));
    }

    #[test]
    fn ages_fall_in_their_buckets_and_the_threshold_line_sits_at_max_key_age() {
        use crate::duration::Duration;
        use crate::model::CredentialKind;
        let mut r = report();
        let cred = |days: Option<i64>, long_lived: bool| CredentialAge {
            id: format!("k{days:?}"),
            source: "aws-prod".into(),
            kind: CredentialKind::AccessKey,
            long_lived,
            created: days.map(|d| {
                r_as_of()
                    .checked_sub(jiff::SignedDuration::from_hours(d * 24))
                    .expect("time")
            }),
            age_days: days,
            max_key_age: Duration::days(90),
        };
        r.agents[0].credential_ages = [-2, 29, 30, 89, 90, 91, 364, 365, 2000]
            .into_iter()
            .map(|d| cred(Some(d), true))
            .chain([cred(None, true), cred(Some(500), false)])
            .collect();
        let h = AgeHistogram::new(&r);
        let counts: Vec<(&str, usize)> = h.buckets.iter().map(|b| (b.key, b.count)).collect();
        assert_eq!(
            counts,
            [
                ("lt30", 2),
                ("30-90", 2),
                ("90-180", 2),
                ("180-365", 1),
                ("gt365", 2)
            ]
        );
        assert_eq!(h.charted, 9);
        assert!(
            h.caption.contains("1 without a creation date"),
            "{}",
            h.caption
        );
        // 90d is the edge between the second and third buckets: the middle of the gap.
        assert_eq!(h.threshold_x, (h.buckets[1].x + 84 + h.buckets[2].x) / 2);
        assert_eq!(h.buckets[1].class, "plain");
        assert_eq!(h.buckets[2].class, "high");
        // Older means strictly older, as AID010 judges: exactly 90d is not; the
        // short-lived one is neither charted nor counted.
        assert!(h.caption.contains("4 of 10 are older"), "{}", h.caption);

        r.summary.max_key_age = Duration::days(400);
        let h = AgeHistogram::new(&r);
        assert!(h.threshold_x > h.buckets[3].x + 84 && h.threshold_x < h.buckets[4].x + 42);
        assert!(h.buckets.iter().all(|b| b.class == "plain"));
        assert!(h.caption.contains("another max_key_age"));
    }

    fn r_as_of() -> jiff::Timestamp {
        "2026-11-01T00:00:00Z".parse().expect("time")
    }
}

#[cfg(test)]
mod source_error_tests {
    use super::*;
    use crate::inventory::source::SourceFailure;

    #[test]
    fn a_source_not_read_is_announced_first() {
        let mut r = tests_report();
        let mut out = Vec::new();
        inventory(&mut out, &r).expect("renders");
        assert!(
            !String::from_utf8(out)
                .unwrap()
                .contains("id=\"source-errors\"")
        );
        r.source_errors.push(SourceFailure {
            source: "prod<aws>".into(),
            endpoint: "iam:GetAccountAuthorizationDetails".into(),
            cause: "access denied".into(),
            permission: Some("iam:GetAccountAuthorizationDetails".into()),
        });
        let mut out = Vec::new();
        inventory(&mut out, &r).expect("renders");
        let html = String::from_utf8(out).unwrap();
        let banner = html.find("id=\"source-errors\"").expect("banner");
        assert!(banner < html.find("id=\"summary-h\"").expect("summary"));
        assert!(html.contains("INCOMPLETE: 1 source(s) not read"));
        assert!(
            html.contains("<strong>prod&#60;aws&#62;</strong>")
                || html.contains("<strong>prod&lt;aws&gt;</strong>"),
            "escaped"
        );
        assert!(html.contains("(needs iam:GetAccountAuthorizationDetails)"));
    }

    fn tests_report() -> InventoryReport {
        super::tests::report()
    }
}
