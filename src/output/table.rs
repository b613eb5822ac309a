//! Human tables (comfy-table): boxed and fitted to the terminal on a TTY,
//! plain columns otherwise so that grep and less see clean text.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::Style;
use crate::inventory::report::{AgentStatus, InventoryReport};
use crate::model::Severity;
use crate::registry::ValidationReport;

mod exchange;
mod inventory_diff;
mod rotate;
pub use exchange::exchange;
pub use inventory_diff::inventory_diff;
pub use rotate::{rotate_emergency, rotate_log, rotate_plan, rotate_run, rotate_status};

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
    if !r.source_errors.is_empty() {
        // First, so nobody reads what follows as the whole estate.
        let mut t = new_table(style, &["SOURCE", "ENDPOINT", "CAUSE", "NEEDS"]);
        for e in &r.source_errors {
            t.add_row(vec![
                Cell::new(&e.source),
                Cell::new(&e.endpoint),
                Cell::new(&e.cause),
                or_dash(e.permission.as_deref()),
            ]);
        }
        let title = format!(
            "SOURCE ERRORS ({}): these sources were not read; the inventory below is incomplete",
            r.source_errors.len()
        );
        writeln!(out, "{}", style.paint_severity(Severity::Critical, &title))?;
        writeln!(out, "{t}")?;
        writeln!(out)?;
    }
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
    // A run that missed sources never reads as a clean pass.
    let verdict = match r.source_errors.len() {
        0 => verdict,
        n => format!(
            "{verdict}; {}",
            style.bad(&format!("INCOMPLETE: {n} source(s) not read"))
        ),
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

/// `token decode`: the header, the claims, then what they mean.
pub fn token_decode(
    out: &mut dyn Write,
    d: &crate::token::decode::DecodedToken,
    style: &Style,
) -> io::Result<()> {
    use crate::token::claims::{TimeClaim, compact};

    let alg = d.header.get("alg").map(compact).unwrap_or_default();
    writeln!(
        out,
        "{} {}: {} ({alg}, {}-byte signature)",
        style.bold("TOKEN"),
        d.source,
        style.bad("signature NOT verified"),
        d.signature_bytes,
    )?;

    writeln!(out)?;
    writeln!(out, "{}", style.bold("HEADER"))?;
    let mut t = new_table(style, &["PARAM", "VALUE"]);
    for (k, v) in &d.header {
        t.add_row(vec![Cell::new(k), Cell::new(compact(v))]);
    }
    writeln!(out, "{t}")?;

    writeln!(out)?;
    writeln!(
        out,
        "{}",
        style.bold(&format!("CLAIMS ({})", d.claims.len()))
    )?;
    let mut t = new_table(style, &["CLAIM", "VALUE"]);
    let time_of = |name: &str| match name {
        "iat" => d.times.iat.as_ref(),
        "nbf" => d.times.nbf.as_ref(),
        "exp" => d.times.exp.as_ref(),
        _ => None,
    };
    for (k, v) in &d.claims {
        let value = match time_of(k) {
            Some(tc) => format!("{} ({}, {})", compact(v), tc.at, tc.relative),
            None => claim_cell_text(v),
        };
        t.add_row(vec![Cell::new(k), Cell::new(value)]);
    }
    writeln!(out, "{t}")?;

    writeln!(out)?;
    writeln!(out, "{}", style.bold("READING"))?;
    let mut t = new_table(style, &["WHAT", "VALUE"]);
    let time_row = |label: &str, tc: Option<&TimeClaim>, bad: bool| -> Vec<Cell> {
        match tc {
            Some(tc) => {
                let rel = if bad {
                    Cell::new(format!("{}, {}", tc.at, tc.relative)).fg(Color::Red)
                } else {
                    Cell::new(format!("{}, {}", tc.at, tc.relative))
                };
                vec![Cell::new(label), rel]
            }
            None => vec![Cell::new(label), Cell::new("-").fg(Color::DarkGrey)],
        }
    };
    t.add_row(time_row("issued", d.times.iat.as_ref(), false));
    t.add_row(time_row(
        "not before",
        d.times.nbf.as_ref(),
        d.times.not_yet_valid,
    ));
    t.add_row(time_row("expires", d.times.exp.as_ref(), d.times.expired));
    let l = &d.lifetime;
    let max = format!("max {}, {}", l.max, l.max_from);
    let lifetime = match (&l.human, l.exceeds_max) {
        (Some(h), Some(true)) => Cell::new(format!(
            "{h} from {}: LONGER than allowed ({max})",
            l.from.as_deref().unwrap_or("?")
        ))
        .fg(Color::Red),
        (Some(h), _) => Cell::new(format!(
            "{h} from {} ({max})",
            l.from.as_deref().unwrap_or("?")
        )),
        (None, Some(true)) => {
            Cell::new(format!("unlimited: no exp, it never expires ({max})")).fg(Color::Red)
        }
        (None, _) => Cell::new(format!("unknown: no iat or nbf ({max})")),
    };
    t.add_row(vec![Cell::new("lifetime"), lifetime]);
    t.add_row(vec![
        Cell::new("audiences"),
        or_dash(Some(&d.audiences.join(", "))),
    ]);
    let scopes = if d.scopes.values.is_empty() {
        String::new()
    } else {
        format!(
            "{} (from {})",
            d.scopes.values.join(" "),
            d.scopes.claims.join(", ")
        )
    };
    t.add_row(vec![Cell::new("scopes"), or_dash(Some(&scopes))]);
    if let Some(del) = &d.delegation {
        t.add_row(vec![
            Cell::new("delegation"),
            Cell::new(format!(
                "{} (depth {}; {} acts now)",
                del.path,
                del.depth,
                del.actors[0].label()
            )),
        ]);
    }
    if let Some(a) = &d.may_act {
        t.add_row(vec![
            Cell::new("may act"),
            Cell::new(format!(
                "{} may become the actor for this subject",
                actor_text(a)
            )),
        ]);
    }
    for c in &d.cnf {
        t.add_row(vec![
            Cell::new(format!("bound to ({})", c.method)),
            Cell::new(format!("{}: {}", c.value, c.meaning)),
        ]);
    }
    writeln!(out, "{t}")?;

    if let Some(del) = &d.delegation {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold(&format!("DELEGATION CHAIN (act, depth {})", del.depth))
        )?;
        let mut t = new_table(style, &["#", "ROLE", "ACTOR"]);
        for (i, a) in del.actors.iter().enumerate() {
            let role = if i == 0 {
                "current actor"
            } else if i + 1 == del.actors.len() {
                "first actor"
            } else {
                "earlier actor"
            };
            t.add_row(vec![
                Cell::new(i + 1),
                Cell::new(role),
                Cell::new(actor_text(a)),
            ]);
        }
        t.add_row(vec![
            Cell::new("-").fg(Color::DarkGrey),
            Cell::new("subject (acted for)"),
            or_dash(del.subject.as_deref()),
        ]);
        writeln!(out, "{t}")?;
    }

    for f in &d.flavours {
        writeln!(out)?;
        writeln!(out, "{}: {}", style.bold(&f.name.to_uppercase()), f.summary)?;
        let mut t = new_table(style, &["CLAIM", "VALUE", "MEANING"]);
        for fact in &f.facts {
            t.add_row(vec![
                Cell::new(&fact.claim),
                Cell::new(&fact.value),
                Cell::new(&fact.meaning),
            ]);
        }
        writeln!(out, "{t}")?;
        for n in &f.notes {
            writeln!(out, "  {} {n}", style.dim("note"))?;
        }
    }

    if !d.warnings.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold(&format!("WARNINGS ({})", d.warnings.len()))
        )?;
        for w in &d.warnings {
            writeln!(out, "  {} {w}", style.bad("!"))?;
        }
    }
    Ok(())
}

/// `agent-b (iss https://…, client_id x)` for one actor.
fn actor_text(a: &crate::token::delegation::Actor) -> String {
    let label = a.label();
    let mut rest = Vec::new();
    for (name, v) in [
        ("sub", &a.sub),
        ("client_id", &a.client_id),
        ("iss", &a.iss),
    ] {
        if let Some(v) = v
            && v != label
        {
            rest.push(format!("{name} {v}"));
        }
    }
    for (k, v) in &a.other {
        rest.push(format!("{k} {}", crate::token::claims::compact(v)));
    }
    if rest.is_empty() {
        label.to_string()
    } else {
        format!("{label} ({})", rest.join(", "))
    }
}

/// A claim value for a table cell: scalars and short values on one line,
/// long objects and arrays as indented JSON.
fn claim_cell_text(v: &serde_json::Value) -> String {
    let one_line = crate::token::claims::compact(v);
    if (v.is_object() || v.is_array()) && one_line.chars().count() > 60 {
        serde_json::to_string_pretty(v).unwrap_or(one_line)
    } else {
        one_line
    }
}

/// `token verify`: a verdict line, then the checklist.
pub fn token_verify(
    out: &mut dyn Write,
    r: &crate::token::verifier::VerifyReport,
    style: &Style,
) -> io::Result<()> {
    use crate::token::verify::Outcome;

    if r.valid {
        writeln!(out, "{}", style.good("VALID"))?;
    } else {
        writeln!(out, "{}", style.bad("INVALID"))?;
        if let Some(why) = &r.explanation {
            writeln!(out, "likely cause: {why}")?;
        }
    }
    let who = [
        r.issuer.as_deref().map(|i| format!("issuer {i}")),
        r.subject.as_deref().map(|s| format!("subject {s}")),
        r.agent.as_deref().map(|a| format!("agent {a}")),
    ];
    let who: Vec<String> = who.into_iter().flatten().collect();
    if !who.is_empty() {
        writeln!(out, "{}", who.join(", "))?;
    }
    writeln!(out)?;
    let mut t = new_table(style, &["CHECK", "RESULT", "DETAIL"]);
    for c in &r.checks {
        let result = match c.outcome {
            Outcome::Pass => Cell::new("pass").fg(Color::Green),
            Outcome::Fail => Cell::new("FAIL")
                .fg(Color::Red)
                .add_attribute(Attribute::Bold),
            Outcome::Skip => Cell::new("skip").fg(Color::DarkGrey),
        };
        t.add_row(vec![Cell::new(&c.name), result, Cell::new(&c.detail)]);
    }
    writeln!(out, "{t}")
}

/// `scan-secrets`: one row per secret (grouped by fingerprint), worst first,
/// with where it was found; then how to revoke each kind found.
pub fn secret_scan(
    out: &mut dyn Write,
    r: &crate::scan::report::ScanReport,
    style: &Style,
) -> io::Result<()> {
    const SHOWN: usize = 5;
    let groups = r.groups();
    if groups.is_empty() {
        let text = match r.summary.suppressed.total() {
            0 => "no secrets found".to_string(),
            n => format!("no secrets found ({n} suppressed)"),
        };
        return writeln!(out, "{}", style.good(&text));
    }
    let with_estate = r.summary.estate.is_some();
    let mut headers = vec!["SEVERITY", "RULE", "SECRET", "LIFETIME", "FOUND AT"];
    if with_estate {
        headers.push("OWNED BY");
    }
    let mut t = new_table(style, &headers);
    for g in &groups {
        let first = g[0];
        let worst = g.iter().map(|f| f.severity).max().unwrap_or(first.severity);
        let mut at: Vec<String> = g.iter().take(SHOWN).map(|f| location(f)).collect();
        if g.len() > SHOWN {
            at.push(format!("… and {} more", g.len() - SHOWN));
        }
        let mut secret = first.secret.display();
        if let Some(note) = &first.note {
            secret.push_str(&format!("\n{note}"));
        }
        if let Some(p) = &first.paired_with {
            secret.push_str(&format!("\npaired with {p}"));
        }
        let mut row = vec![
            severity_cell(Some(worst)),
            Cell::new(&first.rule),
            Cell::new(secret),
            Cell::new(first.lifetime.as_str().replace('_', "-")),
            Cell::new(at.join("\n")),
        ];
        if with_estate {
            row.push(owned_by(g.iter().find_map(|f| f.estate.as_ref()), style));
        }
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    let counted: std::collections::BTreeSet<&str> =
        groups.iter().map(|g| g[0].rule.as_str()).collect();
    let fixes: Vec<(&String, &String)> = r
        .rules
        .iter()
        .filter(|(id, _)| counted.contains(id.as_str()))
        .map(|(id, info)| (id, &info.remediation))
        .collect();
    writeln!(out)?;
    for (id, fix) in fixes {
        writeln!(out, "  {} {id}: {fix}", style.dim("revoke"))?;
    }
    Ok(())
}

/// `path:line:column`, and for a history finding the commit that introduced it.
fn location(f: &crate::scan::finding::Finding) -> String {
    let mut at = format!("{}:{}:{}", f.path, f.line, f.column);
    if let Some(o) = &f.origin {
        let commit = o.commit.get(..12).unwrap_or(&o.commit);
        let date = o.date.as_deref().map_or("", |d| d.get(..10).unwrap_or(d));
        at.push_str(&format!(
            "\n  commit {commit} {date} {}",
            o.author.as_deref().unwrap_or("")
        ));
    }
    at
}

/// The OWNED BY cell of `--estate`.
fn owned_by(link: Option<&crate::scan::estate::EstateLink>, style: &Style) -> Cell {
    use crate::scan::estate::LinkStatus;
    let Some(link) = link else {
        return Cell::new("-").fg(Color::DarkGrey);
    };
    let state = |c: &crate::scan::estate::OwnedCredential| match c.state {
        _ if c.active => "ACTIVE",
        // Active in the snapshot, but its expiry has passed since.
        crate::model::CredentialState::Active => "expired",
        other => other.as_str(),
    };
    let line = |c: &crate::scan::estate::OwnedCredential| {
        format!(
            "{}\n{} {} in {}: {}",
            c.who(),
            c.kind.as_str().replace('_', " "),
            c.credential,
            c.source,
            state(c)
        )
    };
    match link.status {
        LinkStatus::Matched => {
            let c = &link.candidates[0];
            let cell = Cell::new(line(c));
            if c.active && style.color {
                cell.fg(Color::Red)
            } else {
                cell
            }
        }
        LinkStatus::Ambiguous => Cell::new(format!(
            "ambiguous: {} credentials fit the hint\n{}",
            link.candidates.len(),
            link.candidates
                .iter()
                .map(line)
                .collect::<Vec<_>>()
                .join("\n")
        )),
        LinkStatus::NotFound => Cell::new("not in the estate").fg(Color::DarkGrey),
    }
}

/// The summary line `scan-secrets` prints on stderr.
pub fn secret_scan_summary(r: &crate::scan::report::ScanReport, style: &Style) -> String {
    let s = &r.summary;
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|sev| {
            let n = s.by_severity.get(sev).copied().unwrap_or(0);
            (n > 0).then(|| style.paint_severity(*sev, &format!("{n} {sev}")))
        })
        .collect();
    let findings = if counts.is_empty() {
        style.good("no secrets found")
    } else {
        format!(
            "{} finding{} of {} secret{} ({})",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.secrets,
            if s.secrets == 1 { "" } else { "s" },
            counts.join(", ")
        )
    };
    let mut skipped = Vec::new();
    if s.skipped_binary > 0 {
        skipped.push(format!("{} binary", s.skipped_binary));
    }
    if s.skipped_large > 0 {
        skipped.push(format!("{} over --max-file-size", s.skipped_large));
    }
    if s.unreadable > 0 {
        skipped.push(format!("{} unreadable", s.unreadable));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!("; skipped {}", skipped.join(", "))
    };
    let suppressed = match (s.suppressed.baseline, s.suppressed.inline) {
        (0, 0) => String::new(),
        (b, i) => {
            let mut by = Vec::new();
            if b > 0 {
                by.push(format!("baseline {b}"));
            }
            if i > 0 {
                by.push(format!("inline {i}"));
            }
            format!("; {} suppressed ({})", b + i, by.join(", "))
        }
    };
    let shard = s
        .shard
        .as_ref()
        .map_or(String::new(), |sh| format!(" (shard {sh})"));
    let verdict = if s.failed {
        style.bad(&format!("FAIL (--fail-on {})", s.fail_on))
    } else {
        style.good(&format!("pass (--fail-on {})", s.fail_on))
    };
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let what = match &s.git {
        Some(g) if g.mode == crate::scan::report::GitMode::Staged => {
            plural(s.files, "staged file", "staged files")
        }
        Some(g) if !g.repositories.is_empty() => {
            let commits: u64 = g.repositories.iter().map(|r| r.commits).sum();
            let blobs: u64 = g.repositories.iter().map(|r| r.scanned).sum();
            let files = s.files.saturating_sub(blobs);
            let history = format!(
                "{} of {}",
                plural(blobs, "blob", "blobs"),
                plural(commits, "commit", "commits")
            );
            if files > 0 {
                format!("{} and {history}", plural(files, "file", "files"))
            } else {
                history
            }
        }
        _ => plural(s.files, "file", "files"),
    };
    let estate = match &s.estate {
        Some(e) => format!(
            "; estate: {} matched, {} ambiguous, {} not found",
            e.matched, e.ambiguous, e.not_found
        ),
        None => String::new(),
    };
    format!(
        "scanned {what}{shard} ({:.1} MB) in {:.2} s, {:.0} MB/s{skipped}; {findings}{suppressed}{estate}; {verdict}",
        s.bytes as f64 / 1e6,
        r.stats.elapsed.as_secs_f64(),
        r.stats.mb_per_sec(),
    )
}

/// `scan-secrets rules`.
pub fn secret_rules(
    out: &mut dyn Write,
    list: &crate::scan::report::RuleList,
    style: &Style,
) -> io::Result<()> {
    let mut t = new_table(
        style,
        &[
            "ID",
            "PROVIDER",
            "SEVERITY",
            "LIFETIME",
            "CHECK",
            "WHAT IT FINDS",
        ],
    );
    for r in &list.rules {
        t.add_row(vec![
            Cell::new(&r.id),
            Cell::new(&r.provider),
            severity_cell(Some(r.severity)),
            Cell::new(r.lifetime.as_str().replace('_', "-")),
            or_dash(r.validator.map(|v| v.as_str())),
            Cell::new(&r.name),
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "{} rules; details and remediation: docs/rules.md",
        list.rules.len()
    )
}
