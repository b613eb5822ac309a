//! CSV: one row per agent and one per finding, told apart by `record`, so a
//! spreadsheet holds the whole report. Column order is part of the format.

use std::io::{self, Write};

use crate::inventory::report::InventoryReport;

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
];

/// `scan-secrets -f csv`: one row per finding (not grouped); a suppressed
/// finding has its kind (`inline`, `baseline`) and reason in the last columns.
pub fn secret_scan(out: &mut dyn Write, r: &crate::scan::report::ScanReport) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(SECRET_SCAN_COLUMNS)?;
    let version = r.schema_version.to_string();
    for f in &r.findings {
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
