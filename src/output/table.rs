//! Human tables (comfy-table): boxed and fitted to the terminal on a TTY,
//! plain columns otherwise so that grep and less see clean text.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::Style;
use crate::inventory::report::{AgentStatus, InventoryReport};
use crate::model::Severity;
use crate::registry::ValidationReport;

fn new_table(style: &Style, headers: &[&str]) -> Table {
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
    // Colour is decided by term.rs, not by comfy-table's own TTY check.
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        headers
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    t
}

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical | Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Blue,
        Severity::Info => Color::DarkGrey,
    }
}

fn severity_cell(s: Option<Severity>) -> Cell {
    match s {
        Some(s) => {
            let c = Cell::new(s.as_str()).fg(severity_color(s));
            if s == Severity::Critical {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        }
        None => Cell::new("-").fg(Color::DarkGrey),
    }
}

fn status_cell(s: AgentStatus) -> Cell {
    let color = match s {
        AgentStatus::Declared => Color::Green,
        AgentStatus::Partial => Color::Yellow,
        AgentStatus::Missing | AgentStatus::Shadow => Color::Red,
    };
    Cell::new(s.as_str()).fg(color)
}

fn or_dash(text: Option<&str>) -> Cell {
    match text {
        Some(t) if !t.is_empty() => Cell::new(t),
        _ => Cell::new("-").fg(Color::DarkGrey),
    }
}

pub fn inventory(out: &mut dyn Write, r: &InventoryReport, style: &Style) -> io::Result<()> {
    let mut agents = new_table(
        style,
        &[
            "AGENT",
            "STATUS",
            "OWNER",
            "SOURCES",
            "CREDS",
            "LONG-LIVED",
            "FINDINGS",
            "WORST",
        ],
    );
    for a in &r.agents {
        agents.add_row(vec![
            Cell::new(&a.name),
            status_cell(a.status),
            or_dash(a.owner.as_deref()),
            or_dash(Some(&a.sources.join(", "))),
            Cell::new(a.credentials),
            Cell::new(a.long_lived_credentials),
            Cell::new(a.findings),
            severity_cell(a.worst),
        ]);
    }
    writeln!(
        out,
        "{}",
        style.bold(&format!("AGENTS ({})", r.agents.len()))
    )?;
    writeln!(out, "{agents}")?;

    for sev in Severity::ALL.iter().rev() {
        let group: Vec<_> = r.findings.iter().filter(|f| f.severity == *sev).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out)?;
        let title = format!("{} ({})", sev.as_str().to_uppercase(), group.len());
        writeln!(out, "{}", style.paint_severity(*sev, &title))?;
        let mut t = new_table(style, &["RULE", "AGENT", "SUBJECT", "EVIDENCE"]);
        let mut fixes: Vec<(&str, &str, &str)> = Vec::new();
        for f in group {
            let rule = match &f.accepted {
                Some(a) => format!("{} {} [accepted until {}]", f.rule, f.title, a.until),
                None => format!("{} {}", f.rule, f.title),
            };
            let agent = match &f.agent {
                Some(a) => Cell::new(a),
                None => Cell::new("-").fg(Color::DarkGrey),
            };
            t.add_row(vec![
                Cell::new(rule),
                agent,
                Cell::new(format!("{} {}", f.subject.kind.as_str(), f.subject.id)),
                Cell::new(&f.evidence),
            ]);
            if !fixes.iter().any(|(id, _, _)| *id == f.rule) {
                fixes.push((&f.rule, &f.title, &f.remediation));
            }
        }
        writeln!(out, "{t}")?;
        // The remedy is the same for every finding of a rule: say it once per group.
        fixes.sort();
        for (id, title, fix) in fixes {
            writeln!(out, "  {} {id} {title}: {fix}", style.dim("fix"))?;
        }
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
            (n > 0).then(|| style.paint_severity(*sev, &format!("{n} {sev}")))
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
    let fail_on = serde_json::to_value(s.fail_on)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let verdict = if s.failed {
        style.bad(&format!("FAIL (--fail-on {fail_on})"))
    } else {
        style.good(&format!("pass (--fail-on {fail_on})"))
    };
    format!(
        "{} declared agents ({} missing), {} shadow identities, {} identities, {} credentials ({} long-lived); {findings}{accepted}; as of {}; {verdict}",
        s.agents_declared,
        s.agents_missing,
        s.shadow_identities,
        s.identities,
        s.credentials,
        s.long_lived_credentials,
        r.as_of,
    )
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
            writeln!(out, "{} in {}", plural(r.problems.len(), "problem"), r.file)
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
