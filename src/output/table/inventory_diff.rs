//! `inventory diff` as tables: one section per kind of change, empty ones left out.

use std::io::{self, Write};

use comfy_table::Cell;

use super::{new_table, or_dash, severity_cell};
use crate::inventory::diff::DiffReport;
use crate::output::Style;

pub fn inventory_diff(out: &mut dyn Write, r: &DiffReport, style: &Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "DIFF {} ({}) -> {} ({})",
            r.old.path, r.old.as_of, r.new.path, r.new.as_of
        ))
    )?;
    let s = &r.summary;
    writeln!(
        out,
        "identities +{} -{} (new shadow {}), credentials +{} -{}, owners gone {}, findings opened {} closed {}",
        s.identities_added,
        s.identities_removed,
        s.new_shadow_identities,
        s.credentials_created,
        s.credentials_deleted,
        s.owners_gone,
        s.findings_opened,
        s.findings_closed
    )?;
    for (title, list) in [
        ("IDENTITIES ADDED", &r.identities_added),
        ("IDENTITIES REMOVED", &r.identities_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let mut t = new_table(style, &["SOURCE", "KIND", "NAME", "ID", "OWNER", "SHADOW"]);
        for x in list {
            t.add_row(vec![
                Cell::new(&x.source),
                Cell::new(x.kind.as_str()),
                Cell::new(&x.name),
                Cell::new(&x.id),
                or_dash(x.owner.as_deref()),
                Cell::new(if x.shadow { "yes" } else { "no" }),
            ]);
        }
        writeln!(out, "\n{} ({})", style.bold(title), list.len())?;
        writeln!(out, "{t}")?;
    }
    for (title, list) in [
        ("CREDENTIALS CREATED", &r.credentials_created),
        ("CREDENTIALS DELETED", &r.credentials_deleted),
    ] {
        if list.is_empty() {
            continue;
        }
        let mut t = new_table(
            style,
            &["SOURCE", "KIND", "ID", "IDENTITY", "STATE", "CREATED"],
        );
        for c in list {
            t.add_row(vec![
                Cell::new(&c.source),
                Cell::new(c.kind.as_str()),
                Cell::new(&c.id),
                Cell::new(&c.identity),
                Cell::new(c.state.as_str()),
                or_dash(c.created.map(|t| t.to_string()).as_deref()),
            ]);
        }
        writeln!(out, "\n{} ({})", style.bold(title), list.len())?;
        writeln!(out, "{t}")?;
    }
    if !r.owners_gone.is_empty() {
        let mut t = new_table(style, &["SOURCE", "IDENTITY", "OWNER", "WHY"]);
        for o in &r.owners_gone {
            t.add_row(vec![
                Cell::new(&o.source),
                Cell::new(&o.identity),
                or_dash(o.owner.as_deref()),
                Cell::new(&o.why),
            ]);
        }
        writeln!(
            out,
            "\n{} ({})",
            style.bold("OWNERS GONE"),
            r.owners_gone.len()
        )?;
        writeln!(out, "{t}")?;
    }
    for (title, list) in [
        ("FINDINGS OPENED", &r.findings_opened),
        ("FINDINGS CLOSED", &r.findings_closed),
    ] {
        if list.is_empty() {
            continue;
        }
        let mut t = new_table(style, &["SEVERITY", "RULE", "SUBJECT", "EVIDENCE"]);
        for f in list {
            t.add_row(vec![
                severity_cell(Some(f.severity)),
                Cell::new(format!("{} {}", f.rule, f.title)),
                Cell::new(format!("{} {}", f.subject.kind.as_str(), f.subject.id)),
                Cell::new(&f.evidence),
            ]);
        }
        writeln!(out, "\n{} ({})", style.bold(title), list.len())?;
        writeln!(out, "{t}")?;
    }
    Ok(())
}
