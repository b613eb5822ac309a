//! Human view of `exchange`: the verdict, the subject token, the preflight
//! checks, the request (secrets redacted), and what came back or why not.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color};
use serde_json::Value;

use super::new_table;
use crate::exchange::preflight::Verdict;
use crate::exchange::report::{ExchangeReport, Result};
use crate::output::Style;
use crate::token::claims::compact;

pub fn exchange(out: &mut dyn Write, r: &ExchangeReport, style: &Style) -> io::Result<()> {
    let verdict = match (r.result, r.expect_denied) {
        (Result::DryRun, _) => style.bold("DRY RUN: nothing sent"),
        (Result::Blocked, _) => style.bad("BLOCKED by preflight (--enforce): nothing sent"),
        (Result::Granted, false) => style.good("GRANTED"),
        (Result::Granted, true) => {
            style.bad("GRANTED, but --expect-denied: the boundary does NOT hold")
        }
        (Result::Denied, false) => style.bad("DENIED"),
        (Result::Denied, true) => style.good("DENIED, as expected (--expect-denied)"),
    };
    writeln!(
        out,
        "{verdict}  {} exchange at {}",
        r.protocol, r.request.url
    )?;
    if let Some(d) = &r.denied {
        let desc = d
            .description
            .as_deref()
            .map(|x| format!(": {x}"))
            .unwrap_or_default();
        writeln!(out, "server said: HTTP {} {}{desc}", d.status, d.error)?;
        if let Some(id) = &d.request_id {
            writeln!(out, "request id: {id}")?;
        }
        if let Some(e) = &d.explanation {
            writeln!(out, "likely cause: {}", e.cause)?;
            writeln!(out, "fix: {}", e.fix)?;
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", style.bold("SUBJECT TOKEN"))?;
    let s = &r.subject;
    let mut t = new_table(style, &["WHAT", "VALUE"]);
    t.add_row(vec!["from".to_string(), s.origin.clone()]);
    t.add_row(vec!["token".to_string(), s.token.clone()]);
    for (k, v) in [("iss", &s.iss), ("sub", &s.sub)] {
        if let Some(v) = v {
            t.add_row(vec![k.to_string(), v.clone()]);
        }
    }
    if !s.aud.is_empty() {
        t.add_row(vec!["aud".to_string(), s.aud.join(", ")]);
    }
    if let Some(e) = &s.exp {
        t.add_row(vec!["exp".to_string(), e.to_string()]);
    }
    writeln!(out, "{t}")?;

    if !r.preflight.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("PREFLIGHT"))?;
        let mut t = new_table(style, &["CHECK", "RESULT", "DETAIL"]);
        for c in &r.preflight {
            let result = match c.result {
                Verdict::Pass => Cell::new("pass").fg(Color::Green),
                Verdict::Fail => Cell::new("FAIL")
                    .fg(Color::Red)
                    .add_attribute(Attribute::Bold),
                Verdict::Warn => Cell::new("warn").fg(Color::Yellow),
            };
            t.add_row(vec![Cell::new(&c.name), result, Cell::new(&c.detail)]);
        }
        writeln!(out, "{t}")?;
    }

    writeln!(out)?;
    writeln!(
        out,
        "{}",
        style.bold(&format!("REQUEST {} {}", r.request.method, r.request.url))
    )?;
    let mut t = new_table(style, &["PARAMETER", "VALUE"]);
    for h in &r.request.headers {
        t.add_row(vec![format!("header {}", h.name), h.value.clone()]);
    }
    for p in &r.request.body {
        t.add_row(vec![p.name.clone(), p.value.clone()]);
    }
    writeln!(out, "{t}")?;

    if let Some(g) = &r.granted {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("RESULT"))?;
        let mut t = new_table(style, &["WHAT", "VALUE"]);
        if let Value::Object(c) = &g.credential {
            for (k, v) in c {
                if k != "kind" && k != "value" {
                    let name = if k == "redacted" { "credential" } else { k };
                    t.add_row(vec![name.to_string(), compact(v)]);
                }
            }
        }
        let opt = |k: &str, v: Option<String>| v.map(|v| vec![k.to_string(), v]);
        for row in [
            opt("issued_token_type", g.issued_token_type.clone()),
            opt("token_type", g.token_type.clone()),
            opt("expires_at", g.expires_at.map(|e| e.to_string())),
            opt(
                "lifetime",
                g.analysis
                    .lifetime_seconds
                    .map(crate::duration::humanize_secs),
            ),
            opt("scope", g.scope.clone()),
            opt("refresh_token", g.refresh_token.clone()),
            opt("delegation", g.analysis.delegation.clone()),
        ]
        .into_iter()
        .flatten()
        {
            t.add_row(row);
        }
        for f in &g.facts {
            t.add_row(vec![f.name.clone(), f.value.clone()]);
        }
        writeln!(out, "{t}")?;
        if let Some(claims) = &g.analysis.token_claims {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                style.bold("RETURNED TOKEN CLAIMS (decoded, not verified)")
            )?;
            let mut t = new_table(style, &["CLAIM", "VALUE"]);
            for (k, v) in claims {
                t.add_row(vec![k.clone(), compact(v)]);
            }
            writeln!(out, "{t}")?;
        }
        for w in &g.analysis.warnings {
            writeln!(out, "{} {w}", style.bad("warning:"))?;
        }
    }
    Ok(())
}
