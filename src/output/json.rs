//! JSON: pretty-printed, one document, newline-terminated.

use std::io::{self, Write};

use serde::Serialize;

use crate::inventory::report::{AgentRow, InventoryReport};

pub fn write<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Below this much work (findings, plus agent rows weighed by their
/// identities and credentials) the report is rendered on one thread.
const PARALLEL_FROM: usize = 8192;

/// Work per piece: small enough that the pieces in flight stay a few
/// megabytes, large enough that handing them over costs nothing.
const PIECE: usize = 2048;

/// How much rendering an agent row is: a declared agent of a large estate
/// lists hundreds of credential ages, a shadow identity one or two.
fn weight(row: &AgentRow) -> usize {
    1 + row.identities.len() + row.credential_ages.len()
}

/// `items` cut into pieces of about [`PIECE`] weight each.
fn pieces<T>(items: &[T], weight: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut start, mut load) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        load += weight(item);
        if load >= PIECE {
            out.push(&items[start..=i]);
            (start, load) = (i + 1, 0);
        }
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// The inventory report, as [`write`] would write it, with its two long
/// lists, the agents and the findings (nearly all of a large report),
/// rendered on two threads, piece by piece, and written in order.
pub fn write_inventory(out: &mut dyn Write, report: &mut InventoryReport) -> io::Result<()> {
    let work = report.findings.len() + report.agents.iter().map(weight).sum::<usize>();
    if work < PARALLEL_FROM {
        return write(out, report);
    }
    // The report without its lists, split where they go.
    let findings = std::mem::take(&mut report.findings);
    let agents = std::mem::take(&mut report.agents);
    let skeleton = serde_json::to_vec_pretty(&*report);
    report.findings = findings;
    report.agents = agents;
    let skeleton = skeleton.map_err(io::Error::from)?;
    // Top-level keys are the only ones after a newline and two spaces (a
    // newline inside a string is escaped), so each slot is found once.
    const AGENTS: &[u8] = b"\n  \"agents\": []";
    const FINDINGS: &[u8] = b"\n  \"findings\": []";
    let find = |slot: &[u8]| {
        skeleton
            .windows(slot.len())
            .position(|w| w == slot)
            .map(|at| at + slot.len() - 1)
    };
    let (Some(agents_at), Some(findings_at)) = (find(AGENTS), find(FINDINGS)) else {
        return write(out, report);
    };
    out.write_all(&skeleton[..agents_at])?;
    render_list(out, &pieces(&report.agents, weight))?;
    out.write_all(&skeleton[agents_at + 1..findings_at])?;
    render_list(out, &pieces(&report.findings, |_| 1))?;
    out.write_all(&skeleton[findings_at + 1..])?;
    out.write_all(b"\n")
}

/// A top-level list of the report from its pieces, from just after its
/// opening bracket to its closing one: the other thread renders the odd
/// pieces, this one the even ones. Buffers go back and forth, so that no
/// piece needs fresh memory.
fn render_list<T: Serialize + Sync>(out: &mut dyn Write, pieces: &[&[T]]) -> io::Result<()> {
    if pieces.is_empty() {
        return out.write_all(b"]");
    }
    std::thread::scope(|scope| -> io::Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<serde_json::Result<Vec<u8>>>(2);
        let (give_back, take_back) = std::sync::mpsc::channel::<Vec<u8>>();
        let odd: Vec<&[T]> = pieces.iter().skip(1).step_by(2).copied().collect();
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
    out.write_all(b"\n  ]")
}

/// Items as elements of a top-level list of the report: each on a new line
/// after a comma (no comma before the very first), nested two levels deep,
/// exactly as `to_writer_pretty` renders them inside the report.
fn render<T: Serialize>(buf: &mut Vec<u8>, items: &[T], first: bool) -> serde_json::Result<()> {
    for (i, item) in items.iter().enumerate() {
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
        item.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *buf, nested,
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::inventory::report::{AgentRow, AgentStatus, CredentialAge, Summary};
    use crate::model::{
        Accepted, CredentialKind, Finding, Provider, Severity, Subject, SubjectKind,
    };
    use crate::registry::FailOn;

    fn report(findings: usize, agents: usize) -> InventoryReport {
        InventoryReport {
            schema_version: 1,
            kind: "agentid.inventory".into(),
            as_of: "2026-11-01T00:00:00Z".parse().expect("time"),
            registry: Some("a \"registry\"\nfile".into()),
            source_errors: Vec::new(),
            sources: Vec::new(),
            agents: (0..agents)
                .map(|a| AgentRow {
                    name: format!("agent \"{a}\""),
                    status: AgentStatus::Declared,
                    owner: (a % 2 == 0).then(|| "o@example.com".into()),
                    purpose: None,
                    trust: Vec::new(),
                    sources: vec!["aws".into()],
                    identities: Vec::new(),
                    credentials: a % 7,
                    long_lived_credentials: 0,
                    federated_trusts: 0,
                    credential_ages: (0..a % 7)
                        .map(|k| CredentialAge {
                            id: format!("key-{a}-{k}"),
                            source: "aws".into(),
                            kind: CredentialKind::AccessKey,
                            long_lived: true,
                            created: (k % 2 == 0)
                                .then(|| "2026-01-01T00:00:00Z".parse().expect("time")),
                            age_days: (k % 2 == 0).then_some(300),
                            max_key_age: crate::duration::Duration::days(90),
                        })
                        .collect(),
                    findings: 0,
                    worst: None,
                })
                .collect(),
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
        let cases = [
            (0, 0),
            (1, 1),
            (PARALLEL_FROM - 1, 0),
            (PARALLEL_FROM, 0),
            (PARALLEL_FROM + PIECE + 5, 1),
            (0, PARALLEL_FROM),
            (3, 2 * PIECE + 1),
            (PARALLEL_FROM / 2, PARALLEL_FROM / 2),
        ];
        for (findings, agents) in cases {
            let mut r = report(findings, agents);
            let mut one = Vec::new();
            write(&mut one, &r).expect("writes");
            let mut two = Vec::new();
            write_inventory(&mut two, &mut r).expect("writes");
            assert_eq!(
                String::from_utf8(two).expect("utf-8"),
                String::from_utf8(one).expect("utf-8"),
                "{findings} findings, {agents} agents"
            );
            assert_eq!((r.findings.len(), r.agents.len()), (findings, agents));
        }
    }

    #[test]
    fn pieces_cover_every_item_once_in_order() {
        let items: Vec<usize> = (0..5000).collect();
        let cut = pieces(&items, |i| i % 5);
        assert!(cut.len() > 1);
        assert_eq!(cut.concat(), items);
        assert!(cut.iter().all(|p| !p.is_empty()));
        assert!(pieces(&items[..0], |_| 1).is_empty());
    }
}
