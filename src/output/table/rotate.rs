//! Human views of rotate-keys: status, plan, run/init, emergency, log.

use std::io::{self, Write};

use comfy_table::{Cell, Color};
use jiff::Timestamp;

use super::{new_table, or_dash};
use crate::output::Style;
use crate::rotate::keyset::KeyState;
use crate::rotate::plan::{Action, Due};
use crate::rotate::report::{
    EmergencyReport, LogReport, PlanReport, RunReport, StatusReport, human_span,
};
use crate::rotate::tokens::Verdict;

fn state_cell(s: KeyState) -> Cell {
    let color = match s {
        KeyState::Active => Color::Green,
        KeyState::Pending => Color::Cyan,
        KeyState::Retiring => Color::Yellow,
        KeyState::Retired => Color::DarkGrey,
        KeyState::Revoked => Color::Red,
    };
    Cell::new(s.as_str()).fg(color)
}

fn time(t: Option<Timestamp>) -> Cell {
    or_dash(t.map(|t| t.to_string()).as_deref())
}

/// "in 3d 4h" / "5m ago" / "now".
fn relative(at: Timestamp, now: Timestamp) -> String {
    let secs = at.as_second() - now.as_second();
    match secs {
        0 => "now".into(),
        s if s > 0 => format!("in {}", human_span(s)),
        s => format!("{} ago", human_span(-s)),
    }
}

fn action_text(a: &Action) -> String {
    match a {
        Action::Generate => "generate a new pending key".into(),
        Action::Publish { kid } if kid.starts_with("(new key") => {
            format!("generate and publish {kid}")
        }
        Action::Publish { kid } => format!("publish {kid}"),
        Action::Activate { kid, replaces, how } => match replaces {
            Some(old) => format!("activate {kid}, retiring {old} ({})", how_text(*how)),
            None => format!("activate {kid} ({})", how_text(*how)),
        },
        Action::Retire { kid } => format!("retire {kid} (out of the JWKS)"),
        Action::Discard { kid } => format!("discard pending {kid} (out of the JWKS)"),
        Action::Destroy { kid } => format!("destroy the private key of {kid}"),
    }
}

fn how_text(h: crate::rotate::keyset::Activation) -> &'static str {
    use crate::rotate::keyset::Activation::*;
    match h {
        Initial => "first key",
        Scheduled => "scheduled",
        Early => "early, --rotate-now",
        Emergency => "emergency",
    }
}

fn next_line(next: &Option<Due>, now: Timestamp) -> String {
    match next {
        None => "nothing scheduled".into(),
        Some(d) if d.at <= now => format!("{} — due now", action_text(&d.action)),
        Some(d) => format!(
            "{} at {} ({})",
            action_text(&d.action),
            d.at,
            relative(d.at, now)
        ),
    }
}

pub fn rotate_status(out: &mut dyn Write, r: &StatusReport, style: &Style) -> io::Result<()> {
    for (i, iss) in r.issuers.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {}  {}",
            style.bold(&format!("ISSUER {}", iss.name)),
            iss.issuer,
            style.dim(&format!(
                "{}, rotation_period {}, jwks_cache_ttl {}, max_token_lifetime {} + clock_skew {}",
                crate::rotate::alg_name(iss.policy.algorithm),
                iss.policy.rotation_period,
                iss.policy.jwks_cache_ttl,
                iss.policy.max_token_lifetime,
                iss.policy.clock_skew
            ))
        )?;
        writeln!(
            out,
            "  keystore {}  published to {}",
            iss.keystore, iss.published_to
        )?;
        if iss.initialised {
            let mut t = new_table(
                style,
                &[
                    "KID",
                    "ALG",
                    "STATE",
                    "AGE",
                    "PUBLISHED",
                    "ACTIVATED",
                    "STOPPED",
                    "REMOVED",
                    "PRIVATE KEY",
                ],
            );
            for k in &iss.keys {
                t.add_row(vec![
                    Cell::new(&k.kid),
                    Cell::new(k.alg),
                    state_cell(k.state),
                    Cell::new(&k.age),
                    time(k.published_at),
                    time(k.activated_at),
                    time(k.stopped_at),
                    time(k.retired_at.or(k.revoked_at)),
                    Cell::new(match k.private_key {
                        crate::rotate::keyset::PrivateKey::Present => "present",
                        crate::rotate::keyset::PrivateKey::Destroyed => "destroyed",
                    }),
                ]);
            }
            writeln!(out, "{t}")?;
            writeln!(out, "  next: {}", next_line(&iss.next, r.now))?;
        }
        if let Some(h) = &iss.lock_held_by {
            writeln!(out, "  {} a run holds the lock: {h}", style.dim("lock"))?;
        }
        for p in &iss.problems {
            writeln!(
                out,
                "  {} {p}",
                style.paint_severity(crate::model::Severity::High, "problem")
            )?;
        }
        for n in &iss.notes {
            writeln!(out, "  {} {n}", style.dim("note"))?;
        }
    }
    Ok(())
}

pub fn rotate_plan(out: &mut dyn Write, r: &PlanReport, style: &Style) -> io::Result<()> {
    for (i, iss) in r.issuers.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style.bold(&format!("ISSUER {}", iss.name)))?;
        if iss.initialised {
            if iss.now_actions.is_empty() {
                writeln!(out, "  run would do nothing now.")?;
            } else {
                writeln!(out, "  run would now:")?;
                for (n, a) in iss.now_actions.iter().enumerate() {
                    writeln!(out, "  {}. {}", n + 1, action_text(&a.action))?;
                    writeln!(out, "     why: {}", a.why)?;
                    if let Some(inv) = &a.invalidates {
                        writeln!(out, "     tokens invalidated: {}", inv.summary)?;
                    }
                }
            }
            if !iss.timeline.is_empty() {
                writeln!(out, "  timeline:")?;
                let mut t = new_table(style, &["WHEN", "IN", "WHAT", "WHY"]);
                for e in &iss.timeline {
                    t.add_row(vec![
                        Cell::new(e.at.to_string()),
                        Cell::new(relative(e.at, r.now)),
                        Cell::new(action_text(&e.action)),
                        Cell::new(&e.why),
                    ]);
                }
                writeln!(out, "{t}")?;
            }
            if let Some(rv) = &iss.revoke {
                writeln!(out, "  emergency --revoke {} ({}) would:", rv.kid, rv.state)?;
                writeln!(out, "     invalidate: {}", rv.invalidates.summary)?;
                writeln!(
                    out,
                    "     relying parties that cached the JWKS trust it until {} (jwks_cache_ttl)",
                    rv.cached_until
                )?;
                if let Some(n) = &rv.replacement {
                    writeln!(out, "     sign with {n} from then on")?;
                }
            }
            if !iss.tokens.is_empty() {
                let hit = iss
                    .tokens
                    .iter()
                    .filter(|t| t.verdict == Verdict::Invalidated)
                    .count();
                writeln!(
                    out,
                    "  tokens: {hit} of {} would be invalidated before they expire",
                    iss.tokens.len()
                )?;
                let mut t = new_table(
                    style,
                    &["TOKEN", "KID", "SUB", "EXPIRES", "VERDICT", "WHEN", "WHY"],
                );
                for tok in &iss.tokens {
                    let verdict = match tok.verdict {
                        Verdict::Invalidated => Cell::new("invalidated").fg(Color::Red),
                        Verdict::Unaffected => Cell::new("unaffected").fg(Color::Green),
                        Verdict::Expired => Cell::new("expired"),
                        Verdict::AlreadyInvalid => Cell::new("already invalid"),
                        Verdict::BadSignature => Cell::new("bad signature").fg(Color::Yellow),
                        Verdict::OtherIssuer => Cell::new("not this issuer's"),
                        Verdict::Unreadable => Cell::new("unreadable").fg(Color::Yellow),
                    };
                    t.add_row(vec![
                        Cell::new(&tok.source),
                        or_dash(tok.kid.as_deref()),
                        or_dash(tok.sub.as_deref()),
                        time(tok.exp),
                        verdict,
                        Cell::new(match (&tok.invalidated_at, &tok.by) {
                            (Some(at), Some(by)) => format!("{at} ({by})"),
                            _ => "-".into(),
                        }),
                        Cell::new(&tok.why),
                    ]);
                }
                writeln!(out, "{t}")?;
            }
        }
        for p in &iss.problems {
            writeln!(
                out,
                "  {} {p}",
                style.paint_severity(crate::model::Severity::High, "problem")
            )?;
        }
    }
    if !r.other_tokens.is_empty() {
        writeln!(out, "\ntokens of no issuer planned here:")?;
        for t in &r.other_tokens {
            writeln!(out, "  {} {}: {}", style.dim("note"), t.source, t.why)?;
        }
    }
    Ok(())
}

pub fn rotate_run(out: &mut dyn Write, r: &RunReport, style: &Style) -> io::Result<()> {
    for (i, iss) in r.issuers.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style.bold(&format!("ISSUER {}", iss.name)))?;
        if let Some(e) = &iss.error {
            writeln!(out, "  failed: {e}")?;
            continue;
        }
        if iss.performed.is_empty() {
            writeln!(out, "  nothing was due.")?;
        } else {
            let mut t = new_table(style, &["DONE", "KID", "FROM → TO", "WHY"]);
            for p in &iss.performed {
                let change = match (p.from, p.to) {
                    (Some(f), Some(to)) if f != to => format!("{f} → {to}"),
                    (None, Some(to)) => format!("→ {to}"),
                    _ => "-".into(),
                };
                t.add_row(vec![
                    Cell::new(&p.action),
                    or_dash(p.kid.as_deref()),
                    Cell::new(change),
                    Cell::new(&p.why),
                ]);
            }
            writeln!(out, "{t}")?;
        }
        writeln!(
            out,
            "  active: {}   pending: {}",
            iss.active.as_deref().unwrap_or("-"),
            iss.pending.as_deref().unwrap_or("-")
        )?;
        writeln!(out, "  next: {}", next_line(&iss.next, r.now))?;
    }
    Ok(())
}

pub fn rotate_emergency(out: &mut dyn Write, r: &EmergencyReport, style: &Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "EMERGENCY issuer {}: revoked {} ({})",
            r.issuer, r.revoked, r.reason
        ))
    )?;
    writeln!(out)?;
    writeln!(out, "What this means:")?;
    for line in &r.impact {
        writeln!(out, "  - {line}")?;
    }
    writeln!(out)?;
    writeln!(out, "What to do next:")?;
    for (i, line) in r.next_steps.iter().enumerate() {
        writeln!(out, "  {}. {line}", i + 1)?;
    }
    if !r.performed.is_empty() {
        writeln!(out)?;
        let mut t = new_table(style, &["DONE", "KID", "FROM → TO"]);
        for p in &r.performed {
            let change = match (p.from, p.to) {
                (Some(f), Some(to)) if f != to => format!("{f} → {to}"),
                (None, Some(to)) => format!("→ {to}"),
                _ => "-".into(),
            };
            t.add_row(vec![
                Cell::new(&p.action),
                or_dash(p.kid.as_deref()),
                Cell::new(change),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}

pub fn rotate_log(out: &mut dyn Write, r: &LogReport, style: &Style) -> io::Result<()> {
    let mut t = new_table(
        style,
        &[
            "#",
            "TIME",
            "ACTOR@HOST",
            "COMMAND",
            "EVENT",
            "KID",
            "FROM → TO",
            "REASON",
        ],
    );
    for e in &r.entries {
        let change = match (e.from, e.to) {
            (Some(f), Some(to)) => format!("{f} → {to}"),
            (None, Some(to)) => format!("→ {to}"),
            _ => "-".into(),
        };
        let event = serde_json::to_value(e.event)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        t.add_row(vec![
            Cell::new(e.seq),
            Cell::new(e.time.to_string()),
            Cell::new(format!("{}@{}", e.actor, e.host)),
            Cell::new(&e.command),
            Cell::new(event),
            or_dash(e.kid.as_deref()),
            Cell::new(change),
            Cell::new(&e.reason),
        ]);
    }
    writeln!(out, "{t}")
}
