//! JSON: pretty-printed, one document, newline-terminated.

use std::io::{self, Write};

use serde::Serialize;

use crate::inventory::report::InventoryReport;
use crate::model::Finding;

pub fn write<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Below this many findings the report is rendered on one thread.
const PARALLEL_FROM: usize = 8192;

/// Findings rendered per piece: small enough that the pieces in flight stay
/// a few megabytes, large enough that handing them over costs nothing.
const PIECE: usize = 2048;

/// The inventory report, as [`write`] would write it, with the findings (most
/// of a large report) rendered on two threads, piece by piece, and written in
/// order.
pub fn write_inventory(out: &mut dyn Write, report: &mut InventoryReport) -> io::Result<()> {
    if report.findings.len() < PARALLEL_FROM {
        return write(out, report);
    }
    // The report without its findings, split where they go.
    let findings = std::mem::take(&mut report.findings);
    let skeleton = serde_json::to_vec_pretty(&*report);
    report.findings = findings;
    let skeleton = skeleton.map_err(io::Error::from)?;
    const SLOT: &[u8] = b"\n  \"findings\": []";
    // Top-level keys are the only ones indented by two spaces, and the
    // findings come just before the short summary: look from the end.
    let Some(slot) = skeleton.windows(SLOT.len()).rposition(|w| w == SLOT) else {
        return write(out, report);
    };
    let open = slot + SLOT.len() - 1;
    out.write_all(&skeleton[..open])?;

    let pieces: Vec<&[Finding]> = report.findings.chunks(PIECE).collect();
    std::thread::scope(|scope| -> io::Result<()> {
        // The other thread renders the odd pieces, this one the even ones.
        // Buffers go back and forth, so that no piece needs fresh memory.
        let (send, receive) = std::sync::mpsc::sync_channel::<serde_json::Result<Vec<u8>>>(2);
        let (give_back, take_back) = std::sync::mpsc::channel::<Vec<u8>>();
        let odd: Vec<&[Finding]> = pieces.iter().skip(1).step_by(2).copied().collect();
        scope.spawn(move || {
            for piece in odd {
                let mut buf = take_back.try_recv().unwrap_or_default();
                buf.clear();
                let rendered = render(&mut buf, piece, false).map(|()| buf);
                if send.send(rendered).is_err() {
                    return;
                }
            }
        });
        let mut buf = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            if i % 2 == 0 {
                buf.clear();
                render(&mut buf, piece, i == 0).map_err(io::Error::from)?;
                out.write_all(&buf)?;
            } else {
                let rendered = receive
                    .recv()
                    .map_err(|_| io::Error::other("the report renderer stopped"))?
                    .map_err(io::Error::from)?;
                out.write_all(&rendered)?;
                // The renderer may have finished already; then the buffer is dropped.
                let _ = give_back.send(rendered);
            }
        }
        Ok(())
    })?;
    out.write_all(b"\n  ]")?;
    out.write_all(&skeleton[open + 1..])?;
    out.write_all(b"\n")
}

/// Findings as elements of the report's `findings` list: each on a new
/// line after a comma (no comma before the very first), nested two levels
/// deep, exactly as `to_writer_pretty` renders them inside the report.
fn render(buf: &mut Vec<u8>, findings: &[Finding], first: bool) -> serde_json::Result<()> {
    for (i, f) in findings.iter().enumerate() {
        buf.extend_from_slice(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        let mut nested = serde_json::ser::PrettyFormatter::new();
        // Two levels in, as inside the report's object and its list.
        for _ in 0..2 {
            serde_json::ser::Formatter::begin_array(&mut nested, &mut io::sink())
                .map_err(serde_json::Error::io)?;
        }
        f.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *buf, nested,
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::inventory::report::{AgentRow, AgentStatus, Summary};
    use crate::model::{Accepted, Provider, Severity, Subject, SubjectKind};
    use crate::registry::FailOn;

    fn report(findings: usize) -> InventoryReport {
        InventoryReport {
            schema_version: 1,
            kind: "agentid.inventory".into(),
            as_of: "2026-11-01T00:00:00Z".parse().expect("time"),
            registry: Some("a \"registry\"\nfile".into()),
            source_errors: Vec::new(),
            sources: Vec::new(),
            agents: vec![AgentRow {
                name: "findings".into(),
                status: AgentStatus::Declared,
                owner: None,
                purpose: None,
                trust: Vec::new(),
                sources: Vec::new(),
                identities: Vec::new(),
                credentials: 0,
                long_lived_credentials: 0,
                federated_trusts: 0,
                credential_ages: Vec::new(),
                findings: 0,
                worst: None,
            }],
            findings: (0..findings)
                .map(|i| Finding {
                    rule: Cow::Borrowed("AID010"),
                    title: Cow::Borrowed("title"),
                    severity: Severity::High,
                    agent: (i % 3 == 0).then(|| format!("agent-{i}")),
                    subject: Subject {
                        kind: SubjectKind::Credential,
                        id: format!("key\n{i}"),
                        provider: Some(Provider::Aws),
                        source: None,
                    },
                    evidence: format!("evidence \"{i}\""),
                    remediation: Cow::Borrowed("rotate"),
                    accepted: (i % 5 == 0).then(|| Accepted {
                        reason: "r".into(),
                        until: "2027-01-01".into(),
                    }),
                })
                .collect(),
            summary: Summary {
                agents_declared: 1,
                agents_found: 0,
                agents_missing: 0,
                shadow_identities: 0,
                identities: 0,
                credentials: 0,
                long_lived_credentials: 0,
                max_key_age: crate::duration::Duration::days(90),
                findings: Default::default(),
                accepted: 0,
                fail_on: FailOn::Never,
                failed: false,
            },
        }
    }

    #[test]
    fn the_two_thread_report_is_the_one_thread_report() {
        for n in [
            0,
            1,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            PARALLEL_FROM + PIECE + 5,
        ] {
            let mut r = report(n);
            let mut one = Vec::new();
            write(&mut one, &r).expect("writes");
            let mut two = Vec::new();
            write_inventory(&mut two, &mut r).expect("writes");
            assert_eq!(
                String::from_utf8(two).expect("utf-8"),
                String::from_utf8(one).expect("utf-8"),
                "{n} findings"
            );
            assert_eq!(r.findings.len(), n);
        }
    }
}
