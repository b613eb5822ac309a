//! Turning match results and findings into the report: one row per agent and
//! shadow identity, acceptances in force, `--agent` filtering, totals.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::evaluate::{DeclaredRef, NO_HOLDER, Options, PARALLEL_FROM, Row};
use super::halves::{halves, halves_mut};
use super::report::{
    AgentRow, AgentStatus, CredentialAge, INVENTORY_KIND, INVENTORY_SCHEMA_VERSION,
    IdentitySummary, InventoryReport, SourceSummary, Summary,
};
use crate::duration::Duration;
use crate::model::{Accepted, CredentialState, Estate, Finding, Severity};
use crate::registry::Registry;

pub(super) struct Tallies<'a, 'r> {
    /// Position in `estate.identities` by (source, identity id).
    pub(super) identity_pos: &'a HashMap<(&'a str, &'a str), usize>,
    /// For each credential, the position of its identity in `estate.identities`,
    /// or [`NO_HOLDER`].
    pub(super) credential_holder: &'a [u32],
    /// The `max_key_age` that applies to a credential of this source and agent.
    pub(super) max_key_age: &'a (dyn Fn(&str, Option<usize>) -> Duration + Sync),
    pub(super) default_max_key_age: Duration,
    pub(super) identity_agent: &'a [Option<usize>],
    pub(super) shadows: &'a [usize],
    /// For each identity, its row among the shadow rows, if it is a shadow.
    pub(super) shadow_of: &'a [Option<usize>],
    pub(super) declared: &'a [DeclaredRef<'r>],
    pub(super) ref_found: &'a [Option<&'a str>],
    /// For a declared identity not found: the scanned source that should have had it.
    pub(super) ref_missing: &'a [Option<&'a str>],
    pub(super) active_creds: &'a [u32],
    pub(super) active_static: &'a [u32],
}

pub(super) fn build_report(
    registry: &Registry,
    registry_file: Option<String>,
    estate: &Estate,
    opts: &Options,
    mut findings: Vec<(Option<Row>, Finding)>,
    t: Tallies,
) -> InventoryReport {
    let today = opts.as_of.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    // Acceptances in force: (agent, rule) -> acceptance.
    let mut accepted: HashMap<(usize, &str), Accepted> = HashMap::default();
    for (a, agent) in registry.agents.iter().enumerate() {
        for acc in &agent.accept {
            let in_force = acc
                .until
                .parse::<jiff::civil::Date>()
                .is_ok_and(|until| today <= until);
            if in_force {
                accepted.insert(
                    (a, acc.rule.as_str()),
                    Accepted {
                        reason: acc.reason.clone(),
                        until: acc.until.clone(),
                    },
                );
            }
        }
    }

    let mut declared_rows: Vec<AgentRow> = registry
        .agents
        .iter()
        .map(|agent| AgentRow {
            name: agent.name.clone(),
            status: AgentStatus::Declared,
            owner: agent.owner.clone(),
            purpose: agent.purpose.clone(),
            trust: agent.trust.clone(),
            sources: Vec::new(),
            identities: Vec::new(),
            credentials: 0,
            long_lived_credentials: 0,
            federated_trusts: 0,
            credential_ages: Vec::new(),
            findings: 0,
            worst: None,
        })
        .collect();
    let mut missing_count = vec![0usize; registry.agents.len()];
    let mut ref_count = vec![0usize; registry.agents.len()];
    for (r, d) in t.declared.iter().enumerate() {
        let row = &mut declared_rows[d.agent];
        if t.ref_found[r].is_some() {
            ref_count[d.agent] += 1;
        } else if t.ref_missing[r].is_some() {
            ref_count[d.agent] += 1;
            missing_count[d.agent] += 1;
        }
        row.identities.push(IdentitySummary {
            provider: d.provider,
            id: d.id.to_string(),
            source: t.ref_found[r].map(str::to_string),
            found: t.ref_found[r].is_some(),
        });
    }
    let mut shadow_rows: Vec<AgentRow> = t
        .shadows
        .iter()
        .map(|&i| {
            let ident = &estate.identities[i];
            AgentRow {
                name: ident.name.clone(),
                status: AgentStatus::Shadow,
                owner: ident.owner.clone(),
                purpose: None,
                trust: Vec::new(),
                sources: vec![ident.source.clone()],
                identities: vec![IdentitySummary {
                    provider: ident.provider,
                    id: ident.id.clone(),
                    source: Some(ident.source.clone()),
                    found: true,
                }],
                credentials: t.active_creds[i] as usize,
                long_lived_credentials: t.active_static[i] as usize,
                federated_trusts: 0,
                credential_ages: Vec::new(),
                findings: 0,
                worst: None,
            }
        })
        .collect();
    for (i, ident) in estate.identities.iter().enumerate() {
        if let Some(a) = t.identity_agent[i] {
            let row = &mut declared_rows[a];
            row.credentials += t.active_creds[i] as usize;
            row.long_lived_credentials += t.active_static[i] as usize;
            if !row.sources.contains(&ident.source) {
                row.sources.push(ident.source.clone());
            }
            if row.owner.is_none() {
                row.owner = ident.owner.clone();
            }
        }
    }
    // Federated trusts and credential ages, onto the row of the identity's agent
    // or shadow identity.
    let row_of = |i: usize| -> Option<(Option<usize>, usize)> {
        match t.identity_agent[i] {
            Some(a) => Some((Some(a), a)),
            None => t.shadow_of[i].map(|s| (None, s)),
        }
    };
    for tr in &estate.trusts {
        let Some(&i) = t
            .identity_pos
            .get(&(tr.source.as_str(), tr.identity.as_str()))
        else {
            continue;
        };
        match row_of(i) {
            Some((Some(a), _)) => declared_rows[a].federated_trusts += 1,
            Some((None, s)) => shadow_rows[s].federated_trusts += 1,
            None => {}
        }
    }
    // The ages are made on two threads for large estates, then handed to
    // their rows, each row's list allocated once at its full size.
    let as_of_secs = opts.as_of.as_second();
    let ages = halves(&estate.credentials, PARALLEL_FROM, |at, part| {
        let mut ages = Vec::new();
        for (c, &holder) in part.iter().zip(&t.credential_holder[at..]) {
            if c.state != CredentialState::Active || holder == NO_HOLDER {
                continue;
            }
            let Some((agent, r)) = row_of(holder as usize) else {
                continue;
            };
            let age = CredentialAge {
                id: c.id.clone(),
                source: c.source.clone(),
                kind: c.kind,
                long_lived: c.long_lived,
                created: c.created,
                age_days: c
                    .created
                    .map(|created| (as_of_secs - created.as_second()).div_euclid(86_400)),
                max_key_age: (t.max_key_age)(&c.source, agent),
            };
            ages.push((agent.is_some(), r, age));
        }
        ages
    });
    let mut counts = [
        vec![0usize; declared_rows.len()],
        vec![0usize; shadow_rows.len()],
    ];
    for &(declared, r, _) in ages.iter().flatten() {
        counts[usize::from(!declared)][r] += 1;
    }
    for (rows, counts) in [&mut declared_rows, &mut shadow_rows]
        .into_iter()
        .zip(&counts)
    {
        for (row, &n) in rows.iter_mut().zip(counts) {
            row.credential_ages.reserve_exact(n);
        }
    }
    for (declared, r, age) in ages.into_iter().flatten() {
        if declared {
            declared_rows[r].credential_ages.push(age);
        } else {
            shadow_rows[r].credential_ages.push(age);
        }
    }
    for rows in [&mut declared_rows, &mut shadow_rows] {
        halves_mut(rows, PARALLEL_FROM / 64, |rows| {
            for row in rows {
                // Oldest first; undated last; then by id for a stable order.
                row.credential_ages.sort_by(|x, y| {
                    y.age_days
                        .is_some()
                        .cmp(&x.age_days.is_some())
                        .then_with(|| y.age_days.cmp(&x.age_days))
                        .then_with(|| x.source.cmp(&y.source))
                        .then_with(|| x.id.cmp(&y.id))
                });
            }
        });
    }
    for (a, row) in declared_rows.iter_mut().enumerate() {
        row.status = if missing_count[a] == 0 || ref_count[a] == 0 {
            AgentStatus::Declared
        } else if missing_count[a] == ref_count[a] {
            AgentStatus::Missing
        } else {
            AgentStatus::Partial
        };
    }

    // Acceptances, filters, per-row tallies.
    let wanted_row =
        |row: Option<Row>, declared_rows: &[AgentRow], shadow_rows: &[AgentRow]| -> bool {
            let Some(name) = &opts.agent else { return true };
            match row {
                Some(Row::Agent(a)) => declared_rows[a].name == *name,
                Some(Row::Shadow(s)) => {
                    shadow_rows[s].name == *name || shadow_rows[s].identities[0].id == *name
                }
                None => false,
            }
        };
    findings.retain(|(row, _)| wanted_row(*row, &declared_rows, &shadow_rows));
    for (row, f) in &mut findings {
        if let Some(Row::Agent(a)) = row
            && let Some(acc) = accepted.get(&(*a, &*f.rule))
        {
            f.accepted = Some(acc.clone());
        }
        let target = match row {
            Some(Row::Agent(a)) => Some(&mut declared_rows[*a]),
            Some(Row::Shadow(s)) => Some(&mut shadow_rows[*s]),
            None => None,
        };
        if let (Some(r), None) = (target, &f.accepted) {
            r.findings += 1;
            r.worst = r.worst.max(Some(f.severity));
        }
    }
    let findings = sort_findings(findings.into_iter().map(|(_, f)| f).collect());

    let mut by_severity: BTreeMap<Severity, usize> =
        Severity::ALL.iter().map(|s| (*s, 0)).collect();
    let mut accepted_count = 0;
    for f in &findings {
        if f.accepted.is_some() {
            accepted_count += 1;
        } else {
            *by_severity.entry(f.severity).or_default() += 1;
        }
    }
    let failed = opts.fail_on.threshold().is_some_and(|min| {
        findings
            .iter()
            .any(|f| f.accepted.is_none() && f.severity >= min)
    });

    let agents_declared = declared_rows.len();
    let agents_missing = declared_rows
        .iter()
        .filter(|r| r.status == AgentStatus::Missing)
        .count();
    let agents_found = declared_rows
        .iter()
        .filter(|r| r.identities.iter().any(|i| i.found))
        .count();
    let shadow_identities = shadow_rows.len();
    let long_lived_credentials = estate
        .credentials
        .iter()
        .filter(|c| c.long_lived && c.state == CredentialState::Active)
        .count();

    let mut sources: Vec<SourceSummary> = estate
        .sources
        .iter()
        .map(|s| SourceSummary {
            name: s.name.clone(),
            provider: s.provider,
            scope: s.scope.clone(),
            collected_at: s.collected_at,
            identities: 0,
            credentials: 0,
        })
        .collect();
    let source_pos: HashMap<&str, usize> = estate
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    for ident in &estate.identities {
        if let Some(&p) = source_pos.get(ident.source.as_str()) {
            sources[p].identities += 1;
        }
    }
    for c in &estate.credentials {
        if let Some(&p) = source_pos.get(c.source.as_str()) {
            sources[p].credentials += 1;
        }
    }

    let mut agents = declared_rows;
    agents.extend(shadow_rows);
    if let Some(name) = &opts.agent {
        agents.retain(|r| {
            r.name == *name
                || r.identities
                    .iter()
                    .any(|i| i.id == *name && r.status == AgentStatus::Shadow)
        });
    }

    InventoryReport {
        schema_version: INVENTORY_SCHEMA_VERSION,
        kind: INVENTORY_KIND.to_string(),
        as_of: opts.as_of,
        registry: registry_file,
        source_errors: Vec::new(),
        sources,
        agents,
        findings,
        summary: Summary {
            agents_declared,
            agents_found,
            agents_missing,
            shadow_identities,
            identities: estate.identities.len(),
            credentials: estate.credentials.len(),
            long_lived_credentials,
            max_key_age: t.default_max_key_age,
            findings: by_severity,
            accepted: accepted_count,
            fail_on: opts.fail_on,
            failed,
        },
    }
}

/// Findings in report order: most severe first, then by rule, agent, subject
/// and evidence. The sort is unstable, but ties are identical rows, so the
/// order is the same every run. Large lists are sorted as two halves on two
/// threads and merged.
fn sort_findings(mut findings: Vec<Finding>) -> Vec<Finding> {
    fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.agent.cmp(&b.agent))
            .then_with(|| a.subject.id.cmp(&b.subject.id))
            .then_with(|| a.subject.source.cmp(&b.subject.source))
            .then_with(|| a.evidence.cmp(&b.evidence))
    }
    // Each half sorted on its own thread (one thread: the whole list), then
    // the halves, split where `halves_mut` split them, merged.
    halves_mut(&mut findings, PARALLEL_FROM, |part| {
        part.sort_unstable_by(order)
    });
    if !super::halves::split(findings.len(), PARALLEL_FROM) {
        return findings;
    }
    let second = findings.split_off(findings.len() / 2);
    let mut merged = Vec::with_capacity(findings.len() + second.len());
    let mut a = findings.into_iter().peekable();
    let mut b = second.into_iter().peekable();
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if order(y, x).is_lt() {
            b.next()
        } else {
            a.next()
        };
        merged.extend(next);
    }
    merged.extend(a);
    merged.extend(b);
    merged
}
