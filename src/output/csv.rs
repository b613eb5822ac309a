//! CSV: one row per agent and one per finding, told apart by `record`, so a
//! spreadsheet holds the whole report. Column order is part of the format.

use std::io::{self, Write};

use crate::inventory::report::InventoryReport;
use crate::scan::estate::OwnedCredential;

pub const INVENTORY_COLUMNS: &[&str] = &[
    "schema_version",
    "record",
    "agent",
    "status",
    "owner",
    "sources",
    "credentials",
    "long_lived_credentials",
    "rule",
    "severity",
    "title",
    "subject_kind",
    "subject_id",
    "provider",
    "source",
    "evidence",
    "remediation",
    "accepted_until",
];

pub fn inventory(out: &mut dyn Write, r: &InventoryReport) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(INVENTORY_COLUMNS)?;
    let version = r.schema_version.to_string();
    for a in &r.agents {
        w.write_record([
            version.as_str(),
            "agent",
            &a.name,
            a.status.as_str(),
            a.owner.as_deref().unwrap_or(""),
            &a.sources.join(" "),
            &a.credentials.to_string(),
            &a.long_lived_credentials.to_string(),
            "",
            a.worst.map_or("", |s| s.as_str()),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ])?;
    }
    for e in &r.source_errors {
        // A source that was not read: `subject_id` is the endpoint, `evidence`
        // the whole line (cause, and the permission it needs when known).
        let cause = e.to_string();
        w.write_record([
            version.as_str(),
            "source-error",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "source not read",
            "",
            &e.endpoint,
            "",
            &e.source,
            &cause,
            "",
            "",
        ])?;
    }
    for f in &r.findings {
        w.write_record([
            version.as_str(),
            "finding",
            f.agent.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            "",
            &f.rule,
            f.severity.as_str(),
            &f.title,
            f.subject.kind.as_str(),
            &f.subject.id,
            f.subject.provider.map_or("", |p| p.as_str()),
            f.subject.source.as_deref().unwrap_or(""),
            &f.evidence,
            &f.remediation,
            f.accepted.as_ref().map_or("", |a| a.until.as_str()),
        ])?;
    }
    w.flush()
}

pub const SECRET_SCAN_COLUMNS: &[&str] = &[
    "schema_version",
    "rule",
    "severity",
    "lifetime",
    "path",
    "line",
    "column",
    "end_line",
    "prefix",
    "length",
    "fingerprint",
    "paired_with",
    "note",
    "suppressed",
    "suppressed_reason",
    "commit",
    "author",
    "date",
    "estate",
    "credential",
    "credential_state",
    "active",
    "identity",
    "agent",
    "owner",
];

/// `scan-secrets -f csv`: one row per finding (not grouped). A suppressed
/// finding has its kind (`inline`, `baseline`) and reason; history
/// findings fill commit, author and date; `--estate` fills the rest, with
/// several candidates' values joined by `; ` when the link is ambiguous.
pub fn secret_scan(out: &mut dyn Write, r: &crate::scan::report::ScanReport) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(SECRET_SCAN_COLUMNS)?;
    let version = r.schema_version.to_string();
    for f in &r.findings {
        let origin = f.origin.as_ref();
        let each = |field: fn(&OwnedCredential) -> String| {
            f.estate.as_ref().map_or(String::new(), |e| {
                e.candidates
                    .iter()
                    .map(field)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        };
        w.write_record([
            version.as_str(),
            &f.rule,
            f.severity.as_str(),
            f.lifetime.as_str(),
            &f.path,
            &f.line.to_string(),
            &f.column.to_string(),
            &f.end_line.to_string(),
            &f.secret.prefix,
            &f.secret.length.to_string(),
            &f.secret.fingerprint,
            f.paired_with.as_deref().unwrap_or(""),
            f.note.as_deref().unwrap_or(""),
            f.suppressed.as_ref().map_or("", |s| s.kind.as_str()),
            f.suppressed.as_ref().map_or("", |s| s.reason.as_str()),
            origin.map_or("", |o| o.commit.as_str()),
            origin.and_then(|o| o.author.as_deref()).unwrap_or(""),
            origin.and_then(|o| o.date.as_deref()).unwrap_or(""),
            f.estate.as_ref().map_or("", |e| e.status.as_str()),
            &each(|c| c.credential.clone()),
            &each(|c| c.state.as_str().to_string()),
            &each(|c| c.active.to_string()),
            &each(|c| c.identity.clone()),
            &each(|c| c.agent.clone().unwrap_or_default()),
            &each(|c| c.owner.clone().unwrap_or_default()),
        ])?;
    }
    w.flush()
}

pub const SECRET_RULES_COLUMNS: &[&str] = &[
    "schema_version",
    "id",
    "provider",
    "name",
    "severity",
    "lifetime",
    "validator",
    "keywords",
    "remediation",
    "origin",
];

/// `scan-secrets rules -f csv`.
pub fn secret_rules(out: &mut dyn Write, list: &crate::scan::report::RuleList) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(SECRET_RULES_COLUMNS)?;
    let version = list.schema_version.to_string();
    for r in &list.rules {
        w.write_record([
            version.as_str(),
            &r.id,
            &r.provider,
            &r.name,
            r.severity.as_str(),
            r.lifetime.as_str(),
            r.validator.map_or("", |v| v.as_str()),
            &r.keywords.join(" "),
            &r.remediation,
            &r.origin,
        ])?;
    }
    w.flush()
}
