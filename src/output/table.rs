//! Human tables (comfy-table): boxed and fitted to the terminal on a TTY,
//! plain columns otherwise so that grep and less see clean text.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};

use super::Style;
use crate::inventory::report::{AgentStatus, InventoryReport};
use crate::model::Severity;
use crate::registry::ValidationReport;

fn new_table(style: &Style) -> Table {
    let mut t = Table::new();
    match style.width {
        Some(w) => {
            t.load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            t.load_style(presets::NOTHING)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if !style.color {
        t.force_no_tty();
    }
    t
}

fn header(t: &mut Table, style: &Style, names: &[&str]) {
    t.set_header(names.iter().map(|n| {
        let c = Cell::new(n);
        if style.color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    }));
}

pub fn inventory(out: &mut dyn Write, r: &InventoryReport, style: &Style) -> io::Result<()> {
    let mut agents = new_table(style);
    header(
        &mut agents,
        style,
        &[
            "AGENT",
            "STATUS",
            "OWNER",
            "SOURCES",
            "CREDENTIALS",
            "FINDINGS",
            "WORST",
        ],
    );
    for a in &r.agents {
        let status = match a.status {
            AgentStatus::Declared => style.good(a.status.as_str()),
            AgentStatus::Shadow | AgentStatus::Missing => style.bad(a.status.as_str()),
            AgentStatus::Partial => style.warn(a.status.as_str()),
        };
        let creds = if a.long_lived_credentials > 0 {
            format!(
                "{} ({} long-lived)",
                a.credentials, a.long_lived_credentials
            )
        } else {
            a.credentials.to_string()
        };
        agents.add_row(vec![
            a.name.clone(),
            status,
            a.owner.clone().unwrap_or_else(|| style.dim("-")),
            if a.sources.is_empty() {
                style.dim("-")
            } else {
                a.sources.join(", ")
            },
            creds,
            a.findings.to_string(),
            a.worst
                .map_or_else(|| style.dim("-"), |s| style.severity(s)),
        ]);
    }
    writeln!(
        out,
        "{}",
        style.bold(&format!("Agents ({})", r.agents.len()))
    )?;
    writeln!(out, "{agents}")?;

    for sev in Severity::ALL.iter().rev() {
        let group: Vec<_> = r.findings.iter().filter(|f| f.severity == *sev).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} ({})",
            style.severity(*sev).to_uppercase(),
            group.len()
        )?;
        let mut t = new_table(style);
        header(
            &mut t,
            style,
            &["RULE", "AGENT", "SUBJECT", "EVIDENCE", "WHAT TO DO"],
        );
        for f in group {
            let rule = match &f.accepted {
                Some(a) => format!("{} {}\n(accepted until {})", f.rule, f.title, a.until),
                None => format!("{} {}", f.rule, f.title),
            };
            t.add_row(vec![
                rule,
                f.agent.clone().unwrap_or_else(|| style.dim("(shadow)")),
                format!("{} {}", f.subject.kind.as_str(), f.subject.id),
                f.evidence.clone(),
                f.remediation.clone(),
            ]);
        }
        writeln!(out, "{t}")?;
    }

    writeln!(out)?;
    writeln!(out, "{}", summary_line(r, style))
}

fn summary_line(r: &InventoryReport, style: &Style) -> String {
    let s = &r.summary;
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|sev| {
            let n = s.findings.get(sev).copied().unwrap_or(0);
            (n > 0).then(|| format!("{n} {}", style.severity(*sev)))
        })
        .collect();
    let findings = if counts.is_empty() {
        style.good("no findings")
    } else {
        format!("findings: {}", counts.join(", "))
    };
    let accepted = if s.accepted > 0 {
        format!(" ({} accepted)", s.accepted)
    } else {
        String::new()
    };
    let verdict = if s.failed {
        format!("FAIL at --fail-on {}", fail_on_str(s))
    } else {
        format!("pass at --fail-on {}", fail_on_str(s))
    };
    format!(
        "{} agents declared ({} missing), {} shadow identities, {} identities, {} credentials ({} long-lived); {findings}{accepted}; as of {}; {verdict}",
        s.agents_declared,
        s.agents_missing,
        s.shadow_identities,
        s.identities,
        s.credentials,
        s.long_lived_credentials,
        r.as_of,
    )
}

fn fail_on_str(s: &crate::inventory::report::Summary) -> &'static str {
    use crate::registry::FailOn;
    match s.fail_on {
        FailOn::Info => "info",
        FailOn::Low => "low",
        FailOn::Medium => "medium",
        FailOn::High => "high",
        FailOn::Critical => "critical",
        FailOn::Never => "never",
    }
}

pub fn validation(out: &mut dyn Write, r: &ValidationReport, style: &Style) -> io::Result<()> {
    match &r.declares {
        Some(d) if r.valid => writeln!(
            out,
            "{}: {} ({}, {}, {}, {})",
            r.file,
            style.good("valid"),
            plural(d.agents, "agent"),
            plural(d.owners, "owner"),
            plural(d.sources, "source"),
            plural(d.issuers, "issuer"),
        ),
        _ => {
            for p in &r.problems {
                let pos = match (p.line, p.column) {
                    (Some(l), Some(c)) => format!(":{l}:{c}"),
                    _ => String::new(),
                };
                let path = if p.path.is_empty() {
                    String::new()
                } else {
                    format!(" {}:", p.path)
                };
                writeln!(out, "{}{pos}:{path} {}", r.file, p.message)?;
            }
            writeln!(out, "{} problem(s) in {}", r.problems.len(), r.file)
        }
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
