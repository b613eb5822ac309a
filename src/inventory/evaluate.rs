//! Matching the estate against the registry and applying the finding catalogue.
//!
//! Everything here is linear in the size of the estate: identities, credentials,
//! trusts and privileges are each visited once, and every cross-reference is a
//! hash lookup built in one pass.

use std::borrow::Cow;
use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use globset::GlobSet;
use jiff::Timestamp;

use super::assemble::{Tallies, build_report};
use super::halves::halves;
use super::pattern::SubjectPattern;
use super::report::InventoryReport;
use super::rules::{self, Limits, Rule};
use crate::model::{
    CredentialState, Estate, Finding, Identity, Provider, Severity, Subject, SubjectKind,
};
use crate::registry::{Agent, FailOn, Registry, Thresholds};

/// Below this many items (identities, credentials, findings), a pass over
/// them runs on one thread; from it on, on two (see halves.rs).
pub(super) const PARALLEL_FROM: usize = 50_000;

/// In [`Tallies::credential_holder`]: the credential's identity is not in the estate.
pub(super) const NO_HOLDER: u32 = u32::MAX;

/// What the registry's source entry says about the items of one estate source.
#[derive(Debug, Clone, Default)]
pub struct SourceSettings {
    /// Identity ids or names that are not agents.
    pub ignore: Option<GlobSet>,
    pub thresholds: Option<Thresholds>,
}

/// Choices of the caller, already validated.
#[derive(Debug, Clone)]
pub struct Options {
    pub as_of: Timestamp,
    pub fail_on: FailOn,
    /// Report only this agent (declared name, or a shadow identity's name or id).
    pub agent: Option<String>,
    /// Rules to evaluate; `None` means all.
    pub rules: Option<HashSet<&'static str>>,
}

/// One identity the registry declares.
pub(super) struct DeclaredRef<'r> {
    pub(super) agent: usize,
    pub(super) provider: Provider,
    pub(super) id: &'r str,
    /// Kubernetes `cluster:`: the source the identity must come from.
    pub(super) pin: Option<&'r str>,
}

/// Findings with the row of the report they belong to.
struct Collector<'a> {
    enabled: Option<&'a HashSet<&'static str>>,
    findings: Vec<(Option<Row>, Finding)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Row {
    Agent(usize),
    Shadow(usize),
}

impl Collector<'_> {
    fn on(&self, rule: &Rule) -> bool {
        self.enabled.is_none_or(|set| set.contains(rule.id))
    }

    fn push(
        &mut self,
        row: Option<Row>,
        agent: Option<&str>,
        rule: &Rule,
        severity: Severity,
        subject: Subject,
        evidence: String,
    ) {
        self.findings.push((
            row,
            Finding {
                rule: Cow::Borrowed(rule.id),
                title: Cow::Borrowed(rule.title),
                severity,
                agent: agent.map(str::to_string),
                subject,
                evidence,
                remediation: Cow::Borrowed(rule.remediation),
                accepted: None,
            },
        ));
    }
}

fn subject(kind: SubjectKind, id: &str, provider: Provider, source: &str) -> Subject {
    Subject {
        kind,
        id: id.to_string(),
        provider: Some(provider),
        source: Some(source.to_string()),
    }
}

/// Compiled `trust:` rules of one agent.
struct TrustRules<'r> {
    rules: Vec<(&'r str, SubjectPattern, &'r [String])>,
}

fn compile_trust(agent: &Agent) -> TrustRules<'_> {
    TrustRules {
        rules: agent
            .trust
            .iter()
            .filter_map(|t| {
                // Registry validation already rejected invalid globs.
                let pattern = SubjectPattern::new(&t.subject)?;
                Some((
                    t.issuer.trim_end_matches('/'),
                    pattern,
                    t.audiences.as_slice(),
                ))
            })
            .collect(),
    }
}

/// Evaluates the catalogue over `estate` and builds the report.
pub fn evaluate(
    registry: &Registry,
    registry_file: Option<String>,
    estate: &Estate,
    settings: &std::collections::HashMap<String, SourceSettings>,
    opts: &Options,
) -> InventoryReport {
    let now = opts.as_of;
    let base = Limits::BUILT_IN.overridden_by(&registry.defaults.thresholds());
    let default_settings = SourceSettings::default();
    let settings_of = |source: &str| settings.get(source).unwrap_or(&default_settings);
    let source_limits: HashMap<&str, Limits> = estate
        .sources
        .iter()
        .map(|s| {
            let l = match &settings_of(&s.name).thresholds {
                Some(t) => base.overridden_by(t),
                None => base,
            };
            (s.name.as_str(), l)
        })
        .collect();
    let limits_for = |source: &str, agent: Option<usize>| -> Limits {
        let l = source_limits.get(source).copied().unwrap_or(base);
        match agent.and_then(|a| registry.agents[a].thresholds.as_ref()) {
            Some(t) => l.overridden_by(t),
            None => l,
        }
    };

    // Declared identities, and the index that finds them by (provider, id).
    let declared = declared_refs(registry);
    let mut by_key: HashMap<(Provider, &str), Vec<usize>> =
        HashMap::with_capacity_and_hasher(declared.len(), Default::default());
    for (i, r) in declared.iter().enumerate() {
        by_key.entry((r.provider, r.id)).or_default().push(i);
    }
    let mut ref_found: Vec<Option<&str>> = vec![None; declared.len()];

    // Match every identity to at most one agent, while another thread indexes
    // identities by (source, id) for the credentials, trusts and grants.
    let (identity_pos, identity_agent) = std::thread::scope(|scope| {
        let index = scope.spawn(|| {
            let mut pos: HashMap<(&str, &str), usize> =
                HashMap::with_capacity_and_hasher(estate.identities.len(), Default::default());
            for (i, ident) in estate.identities.iter().enumerate() {
                pos.insert((ident.source.as_str(), ident.id.as_str()), i);
            }
            pos
        });
        let matched = match_identities(estate, &declared, &by_key, &mut ref_found);
        (
            index
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            matched,
        )
    });

    let mut out = Collector {
        enabled: opts.rules.as_ref(),
        findings: Vec::new(),
    };
    let agent_name = |a: Option<usize>| a.map(|a| registry.agents[a].name.as_str());

    // Unmatched identities named by a source's `ignore:` are not agents (humans,
    // service-linked roles): no agent-governance findings (shadow, owner, dormant).
    // Their credentials, trusts and grants are still judged: a long-lived key or an
    // admin grant is a risk whoever holds it.
    // The other unmatched identities, unless disabled, are shadow identities.
    // Glob matching is most of this pass: two threads for large estates.
    let ignored: Vec<bool> = halves(&estate.identities, PARALLEL_FROM, |at, part| {
        part.iter()
            .enumerate()
            .map(|(k, ident)| {
                identity_agent[at + k].is_none()
                    && settings_of(&ident.source)
                        .ignore
                        .as_ref()
                        .is_some_and(|g| g.is_match(&ident.id) || g.is_match(&ident.name))
            })
            .collect::<Vec<bool>>()
    })
    .concat();
    let mut shadow_of: Vec<Option<usize>> = vec![None; estate.identities.len()];
    let mut shadows: Vec<usize> = Vec::new();
    for (i, ident) in estate.identities.iter().enumerate() {
        if identity_agent[i].is_none() && !ignored[i] && !ident.disabled {
            shadow_of[i] = Some(shadows.len());
            shadows.push(i);
        }
    }
    let row_of = |i: usize| -> Option<Row> {
        identity_agent[i]
            .map(Row::Agent)
            .or_else(|| shadow_of[i].map(Row::Shadow))
    };

    // Owners and users.
    let owner_active: HashMap<&str, bool> = registry
        .owners
        .iter()
        .map(|o| (o.id.as_str(), o.active))
        .collect();
    let mut users: HashMap<Provider, HashMap<&str, bool>> = HashMap::default();
    for u in &estate.users {
        let by = users.entry(u.provider).or_default();
        by.insert(u.id.as_str(), u.active);
        if let Some(e) = &u.email {
            by.insert(e.as_str(), u.active);
        }
    }

    // An agent with an owner on any of its identities is not ownerless (AID003).
    let mut agent_has_provider_owner = vec![false; registry.agents.len()];
    for (i, ident) in estate.identities.iter().enumerate() {
        if let (Some(a), Some(_)) = (identity_agent[i], &ident.owner) {
            agent_has_provider_owner[a] = true;
        }
    }
    let enabled = out.enabled;
    // Findings of the two-thread passes are kept in their batches and joined
    // once, at their full size, instead of growing (and copying) one list.
    let mut batches = Vec::new();

    // --- declared agents ----------------------------------------------------
    let scanned = Scanned::new(estate);
    for (a, agent) in registry.agents.iter().enumerate() {
        let subj = || Subject {
            kind: SubjectKind::Agent,
            id: agent.name.clone(),
            provider: None,
            source: None,
        };
        match &agent.owner {
            None if !agent_has_provider_owner[a] && out.on(&rules::NO_OWNER) => {
                out.push(
                    Some(Row::Agent(a)),
                    Some(&agent.name),
                    &rules::NO_OWNER,
                    rules::NO_OWNER.severity,
                    subj(),
                    "no owner: in the registry and no owner recorded on its identities".into(),
                );
            }
            Some(owner)
                if owner_active.get(owner.as_str()) == Some(&false)
                    && out.on(&rules::OWNER_GONE) =>
            {
                out.push(
                    Some(Row::Agent(a)),
                    Some(&agent.name),
                    &rules::OWNER_GONE,
                    rules::OWNER_GONE.severity,
                    subj(),
                    format!("owner {owner:?} is marked active: false in owners:"),
                );
            }
            _ => {}
        }
    }
    // A declared identity that no scanned source could have reported is neither
    // found nor missing: nobody looked for it.
    let ref_covering: Vec<Option<&str>> = declared
        .iter()
        .enumerate()
        .map(|(r, d)| {
            if ref_found[r].is_some() {
                None
            } else {
                scanned.covering(d)
            }
        })
        .collect();
    if out.on(&rules::DECLARED_MISSING) {
        for (r, d) in declared.iter().enumerate() {
            if let Some(source) = ref_covering[r] {
                let agent = &registry.agents[d.agent].name;
                out.push(
                    Some(Row::Agent(d.agent)),
                    Some(agent),
                    &rules::DECLARED_MISSING,
                    rules::DECLARED_MISSING.severity,
                    Subject {
                        kind: SubjectKind::Identity,
                        id: d.id.to_string(),
                        provider: Some(d.provider),
                        source: Some(source.to_string()),
                    },
                    format!(
                        "declared {} identity {:?} was not found in source {source}",
                        d.provider, d.id
                    ),
                );
            }
        }
    }

    // --- credentials --------------------------------------------------------
    // Each credential is judged on its own, so large estates split the list
    // over two threads; per-identity counts are summed afterwards.
    let judge = |credentials: &[crate::model::Credential]| {
        let mut out = Collector {
            enabled,
            findings: Vec::new(),
        };
        let mut active_static: Vec<u32> = vec![0; estate.identities.len()];
        let mut active_creds: Vec<u32> = vec![0; estate.identities.len()];
        let mut holder: Vec<u32> = Vec::with_capacity(credentials.len());
        // Providers list an identity's keys together, so most credentials
        // belong to the one before them: comparing two strings still in cache
        // is far cheaper than a hash lookup into half a million identities.
        let mut previous: Option<(&str, &str, usize)> = None;
        for c in credentials {
            let found = match previous {
                Some((source, identity, i)) if source == c.source && identity == c.identity => {
                    Some(i)
                }
                _ => identity_pos
                    .get(&(c.source.as_str(), c.identity.as_str()))
                    .copied(),
            };
            holder.push(found.map_or(NO_HOLDER, |i| i as u32));
            let Some(i) = found else {
                continue;
            };
            previous = Some((&c.source, &c.identity, i));
            let ident = &estate.identities[i];
            let agent = identity_agent[i];
            let row = row_of(i);
            let name = agent_name(agent);
            let l = limits_for(&c.source, agent);
            let active = c.state == CredentialState::Active;
            if active {
                active_creds[i] += 1;
                if c.long_lived {
                    active_static[i] += 1;
                }
            }
            let subj = || subject(SubjectKind::Credential, &c.id, c.provider, &c.source);
            if ident.disabled && active && out.on(&rules::DISABLED_WITH_KEYS) {
                out.push(
                    row,
                    name,
                    &rules::DISABLED_WITH_KEYS,
                    rules::DISABLED_WITH_KEYS.severity,
                    subj(),
                    format!(
                        "{} {:?} is disabled but this {} is still active",
                        ident.kind.as_str().replace('_', " "),
                        ident.name,
                        c.kind.as_str().replace('_', " ")
                    ),
                );
            }
            let checks: [(&Rule, Option<String>); 6] = [
                (
                    &rules::NOT_ROTATED,
                    out.on(&rules::NOT_ROTATED)
                        .then(|| rules::key_not_rotated(c, &l, now))
                        .flatten(),
                ),
                (
                    &rules::UNUSED,
                    out.on(&rules::UNUSED)
                        .then(|| rules::unused_key(c, &l, now))
                        .flatten(),
                ),
                (
                    &rules::NEVER_USED,
                    out.on(&rules::NEVER_USED)
                        .then(|| rules::never_used_key(c, &l, now))
                        .flatten(),
                ),
                (
                    &rules::NO_EXPIRY,
                    out.on(&rules::NO_EXPIRY)
                        .then(|| rules::no_expiry(c))
                        .flatten(),
                ),
                (
                    &rules::GCP_USER_KEY,
                    out.on(&rules::GCP_USER_KEY)
                        .then(|| rules::user_managed_gcp_key(c))
                        .flatten(),
                ),
                (
                    &rules::ROOT_OR_ADMIN_KEY,
                    out.on(&rules::ROOT_OR_ADMIN_KEY)
                        .then(|| rules::root_or_admin_key(c))
                        .flatten(),
                ),
            ];
            for (rule, evidence) in checks {
                if let Some(evidence) = evidence {
                    out.push(row, name, rule, rule.severity, subj(), evidence);
                }
            }
            if out.on(&rules::EXPIRING)
                && let Some((sev, evidence)) = rules::expiring(c, &l, now)
            {
                out.push(row, name, &rules::EXPIRING, sev, subj(), evidence);
            }
            if out.on(&rules::LEGACY_K8S_TOKEN)
                && let Some((sev, evidence)) = rules::legacy_kubernetes_token(c, &l, now)
            {
                out.push(row, name, &rules::LEGACY_K8S_TOKEN, sev, subj(), evidence);
            }
        }
        (out.findings, active_creds, active_static, holder)
    };
    let mut active_creds: Vec<u32> = vec![0; estate.identities.len()];
    let mut active_static: Vec<u32> = vec![0; estate.identities.len()];
    let mut credential_holder: Vec<u32> = Vec::with_capacity(estate.credentials.len());
    for (findings, creds, statics, holder) in
        halves(&estate.credentials, PARALLEL_FROM, |_, part| judge(part))
    {
        batches.push(findings);
        for (sum, n) in active_creds.iter_mut().zip(creds) {
            *sum += n;
        }
        for (sum, n) in active_static.iter_mut().zip(statics) {
            *sum += n;
        }
        credential_holder.extend(holder);
    }
    // --- identities (after the credentials: they count active keys) --------
    let judge_identities = |at: usize, part: &[Identity]| {
        let mut out = Collector {
            enabled,
            findings: Vec::new(),
        };
        for (k, ident) in part.iter().enumerate() {
            let i = at + k;
            let agent = identity_agent[i];
            let row = row_of(i);
            // Whoever holds them, disabled or ignored: keys are a risk.
            if out.on(&rules::SEVERAL_KEYS)
                && let Some(evidence) = rules::several_active_keys(active_static[i] as usize)
            {
                out.push(
                    row,
                    agent_name(agent),
                    &rules::SEVERAL_KEYS,
                    rules::SEVERAL_KEYS.severity,
                    subject(
                        SubjectKind::Identity,
                        &ident.id,
                        ident.provider,
                        &ident.source,
                    ),
                    evidence,
                );
            }
            let subj = || {
                subject(
                    SubjectKind::Identity,
                    &ident.id,
                    ident.provider,
                    &ident.source,
                )
            };
            if ident.disabled || ignored[i] {
                continue;
            }
            if shadow_of[i].is_some() {
                if out.on(&rules::SHADOW) {
                    out.push(
                        row,
                        None,
                        &rules::SHADOW,
                        rules::SHADOW.severity,
                        subj(),
                        format!(
                            "{} {} {:?} in {} is not declared by any agent",
                            ident.provider,
                            ident.kind.as_str().replace('_', " "),
                            ident.name,
                            ident.source
                        ),
                    );
                }
                if ident.owner.is_none() && out.on(&rules::NO_OWNER) {
                    out.push(
                        row,
                        None,
                        &rules::NO_OWNER,
                        rules::NO_OWNER.severity,
                        subj(),
                        "no owner tag and the provider does not record who created it".into(),
                    );
                }
            }
            // An identity tagged with its agent's own registry owner is judged once, on the agent.
            let same_as_agent = agent.is_some_and(|a| {
                registry.agents[a].owner.is_some() && registry.agents[a].owner == ident.owner
            });
            if out.on(&rules::OWNER_GONE)
                && (agent.is_some() || shadow_of[i].is_some())
                && let Some(evidence) = owner_gone(ident, &owner_active, &users, same_as_agent)
            {
                out.push(
                    row,
                    agent_name(agent),
                    &rules::OWNER_GONE,
                    rules::OWNER_GONE.severity,
                    subj(),
                    evidence,
                );
            }
            if out.on(&rules::DORMANT) && (agent.is_some() || shadow_of[i].is_some()) {
                let l = limits_for(&ident.source, agent);
                if let Some(evidence) = rules::dormant_identity(ident, &l, now) {
                    out.push(
                        row,
                        agent_name(agent),
                        &rules::DORMANT,
                        rules::DORMANT.severity,
                        subj(),
                        evidence,
                    );
                }
            }
        }
        out.findings
    };
    batches.extend(halves(&estate.identities, PARALLEL_FROM, judge_identities));

    // --- trusts -------------------------------------------------------------
    let mut compiled: HashMap<usize, TrustRules> = HashMap::default();
    if out.on(&rules::TRUST_TOO_BROAD) {
        for t in &estate.trusts {
            let Some(&i) = identity_pos.get(&(t.source.as_str(), t.identity.as_str())) else {
                continue;
            };
            let agent = identity_agent[i];
            let subj = || Subject {
                kind: SubjectKind::Trust,
                id: format!("{} -> {}", t.issuer, t.identity),
                provider: Some(t.provider),
                source: Some(t.source.clone()),
            };
            let mut reasons: Vec<String> = Vec::new();
            if let Some(why) = rules::unconditioned_trust(t) {
                reasons.push(why);
            }
            if let Some(lifetime) = t.token_lifetime_seconds {
                // The agent's own contract first, else the threshold.
                let (max, name) = match agent
                    .and_then(|a| registry.agents[a].may_request.as_ref())
                    .and_then(|m| m.max_token_lifetime)
                {
                    Some(m) => (m, "may_request.max_token_lifetime"),
                    None => (
                        limits_for(&t.source, agent).max_token_lifetime,
                        "max_token_lifetime",
                    ),
                };
                if lifetime > max.as_secs() {
                    reasons.push(format!(
                        "tokens minted through it live {}, longer than {name} {max}",
                        crate::duration::Duration::from_secs(lifetime)
                    ));
                }
            }
            if let Some(a) = agent {
                let declared = compiled
                    .entry(a)
                    .or_insert_with(|| compile_trust(&registry.agents[a]));
                reasons.extend(undeclared_trust(t, declared, &registry.agents[a].name));
            }
            if !reasons.is_empty() {
                out.push(
                    row_of(i),
                    agent_name(agent),
                    &rules::TRUST_TOO_BROAD,
                    rules::TRUST_TOO_BROAD.severity,
                    subj(),
                    reasons.join("; "),
                );
            }
        }
    }

    // --- privileges ---------------------------------------------------------
    if out.on(&rules::OVER_PRIVILEGED) {
        for p in &estate.privileges {
            let Some(&i) = identity_pos.get(&(p.source.as_str(), p.identity.as_str())) else {
                continue;
            };
            let agent = identity_agent[i];
            let mut reasons = Vec::new();
            if p.admin {
                reasons.push(format!("{} grants admin or * access", p.grant));
            }
            if let Some(may) = agent.and_then(|a| registry.agents[a].may_request.as_ref()) {
                let extra: Vec<&str> = if may.scopes.is_empty() {
                    Vec::new()
                } else {
                    p.scopes
                        .iter()
                        .filter(|s| !may.scopes.contains(s))
                        .map(String::as_str)
                        .collect()
                };
                if !extra.is_empty() {
                    reasons.push(format!(
                        "scopes {} are beyond may_request.scopes",
                        extra.join(", ")
                    ));
                }
                if let Some(aud) = &p.audience
                    && !may.audiences.is_empty()
                    && !may.audiences.contains(aud)
                {
                    reasons.push(format!("audience {aud} is beyond may_request.audiences"));
                }
            }
            if !reasons.is_empty() {
                let via = p
                    .via
                    .as_deref()
                    .map(|v| format!(" (via {v})"))
                    .unwrap_or_default();
                out.push(
                    row_of(i),
                    agent_name(agent),
                    &rules::OVER_PRIVILEGED,
                    rules::OVER_PRIVILEGED.severity,
                    Subject {
                        kind: SubjectKind::Privilege,
                        id: format!("{} on {}", p.grant, p.identity),
                        provider: Some(p.provider),
                        source: Some(p.source.clone()),
                    },
                    format!("{}{via}", reasons.join("; ")),
                );
            }
        }
    }

    let max_key_age = |source: &str, agent: Option<usize>| limits_for(source, agent).max_key_age;
    let mut findings =
        Vec::with_capacity(out.findings.len() + batches.iter().map(Vec::len).sum::<usize>());
    findings.append(&mut out.findings);
    for batch in batches {
        findings.extend(batch);
    }
    build_report(
        registry,
        registry_file,
        estate,
        opts,
        findings,
        Tallies {
            identity_pos: &identity_pos,
            credential_holder: &credential_holder,
            max_key_age: &max_key_age,
            default_max_key_age: base.max_key_age,
            identity_agent: &identity_agent,
            shadows: &shadows,
            shadow_of: &shadow_of,
            declared: &declared,
            ref_found: &ref_found,
            ref_missing: &ref_covering,
            active_creds: &active_creds,
            active_static: &active_static,
        },
    )
}

/// The agent each identity belongs to, if any; marks the declared references found.
/// For each identity of `estate`, the index in `registry.agents` of the
/// agent that declares it (matched exactly as the inventory matches them).
/// Used by `scan-secrets --estate` to name a found key's agent.
pub fn identity_agents(registry: &Registry, estate: &Estate) -> Vec<Option<usize>> {
    let declared = declared_refs(registry);
    let mut by_key: HashMap<(Provider, &str), Vec<usize>> = HashMap::default();
    for (i, r) in declared.iter().enumerate() {
        by_key.entry((r.provider, r.id)).or_default().push(i);
    }
    let mut found = vec![None; declared.len()];
    match_identities(estate, &declared, &by_key, &mut found)
}

fn match_identities<'e>(
    estate: &'e Estate,
    declared: &[DeclaredRef<'_>],
    by_key: &HashMap<(Provider, &str), Vec<usize>>,
    ref_found: &mut [Option<&'e str>],
) -> Vec<Option<usize>> {
    let mut identity_agent = Vec::with_capacity(estate.identities.len());
    for ident in &estate.identities {
        let hit = by_key
            .get(&(ident.provider, ident.id.as_str()))
            .and_then(|refs| {
                refs.iter()
                    .copied()
                    .find(|&r| declared[r].pin.is_none_or(|p| p == ident.source))
            });
        if let Some(r) = hit {
            ref_found[r] = Some(ident.source.as_str());
        }
        identity_agent.push(hit.map(|r| declared[r].agent));
    }
    identity_agent
}

/// AID004 evidence for an identity whose recorded owner is gone.
fn owner_gone(
    ident: &Identity,
    owners: &HashMap<&str, bool>,
    users: &HashMap<Provider, HashMap<&str, bool>>,
    judged_on_agent: bool,
) -> Option<String> {
    if ident.owner_active == Some(false) {
        return Some(match &ident.owner {
            Some(owner) => {
                format!("the provider reports that owner {owner:?} no longer has access")
            }
            None => "the provider reports that the owner no longer has access".to_string(),
        });
    }
    let owner = ident.owner.as_deref()?;
    // The provider's own user list is the freshest word on whether someone left.
    let provider_users = users.get(&ident.provider);
    if provider_users.and_then(|u| u.get(owner)) == Some(&false) {
        return Some(format!(
            "owner {owner:?} is a deactivated {} user",
            ident.provider
        ));
    }
    if judged_on_agent {
        // The same owner is the agent's registry owner: the agent-level check covers owners:.
        return None;
    }
    match owners.get(owner) {
        Some(false) => {
            return Some(format!(
                "owner {owner:?} is marked active: false in owners:"
            ));
        }
        Some(true) => return None,
        None => {}
    }
    match provider_users?.get(owner) {
        Some(_) => None,
        None => Some(format!(
            "owner {owner:?} is neither in owners: nor a {} user",
            ident.provider
        )),
    }
}

/// Reasons a trust goes beyond what the agent declares.
fn undeclared_trust(t: &crate::model::Trust, declared: &TrustRules, agent: &str) -> Vec<String> {
    let issuer = t.issuer.trim_end_matches('/');
    let rules: Vec<&(&str, SubjectPattern, &[String])> =
        declared.rules.iter().filter(|r| r.0 == issuer).collect();
    if rules.is_empty() {
        return vec![format!(
            "issuer {} is not in the trust: of agent {agent}",
            t.issuer
        )];
    }
    let mut reasons = Vec::new();
    for s in &t.subjects {
        if !rules.iter().any(|r| r.1.is_match(s)) {
            reasons.push(format!("subject {s:?} is not declared for agent {agent}"));
        }
    }
    // An empty declared audience list means "any"; otherwise the trust must stay within the union.
    if rules.iter().all(|r| !r.2.is_empty()) {
        for aud in &t.audiences {
            if !rules.iter().any(|r| r.2.contains(aud)) {
                reasons.push(format!(
                    "audience {aud:?} is not declared for agent {agent}"
                ));
            }
        }
    }
    reasons
}

fn declared_refs(registry: &Registry) -> Vec<DeclaredRef<'_>> {
    let mut out = Vec::new();
    for (a, agent) in registry.agents.iter().enumerate() {
        let ids = &agent.identities;
        let refs = ids
            .aws
            .iter()
            .map(|r| (Provider::Aws, r.arn.as_str(), None))
            .chain(ids.kubernetes.iter().map(|r| {
                (
                    Provider::Kubernetes,
                    r.serviceaccount.as_str(),
                    r.cluster.as_deref(),
                )
            }))
            .chain(
                ids.gcp
                    .iter()
                    .map(|r| (Provider::Gcp, r.email.as_str(), None)),
            )
            .chain(
                ids.entra
                    .iter()
                    .map(|r| (Provider::Entra, r.app_id.as_str(), None)),
            )
            .chain(
                ids.anthropic
                    .iter()
                    .map(|r| (Provider::Anthropic, r.api_key_id.as_str(), None)),
            )
            .chain(
                ids.openai
                    .iter()
                    .map(|r| (Provider::Openai, r.id.as_str(), None)),
            );
        out.extend(refs.map(|(provider, id, pin)| DeclaredRef {
            agent: a,
            provider,
            id,
            pin,
        }));
    }
    out
}

/// Which declared identities a scan covered, to tell "missing" from "not looked for".
struct Scanned<'e> {
    sources: Vec<(&'e str, Provider, Option<&'e str>)>,
}

impl<'e> Scanned<'e> {
    fn new(estate: &'e Estate) -> Self {
        Scanned {
            sources: estate
                .sources
                .iter()
                .map(|s| (s.name.as_str(), s.provider, s.scope.as_deref()))
                .collect(),
        }
    }

    /// The source that should have reported `d`, if any was scanned.
    fn covering(&self, d: &DeclaredRef) -> Option<&'e str> {
        self.sources.iter().find_map(|&(name, provider, scope)| {
            if provider != d.provider {
                return None;
            }
            let covers = match (d.provider, d.pin, scope) {
                (_, Some(pin), _) => pin == name,
                // An ARN names its account; a source scoped to another account did not look for it.
                (Provider::Aws, None, Some(account)) => {
                    d.id.split(':').nth(4).is_none_or(|a| a == account)
                }
                (Provider::Gcp, None, Some(project)) => {
                    d.id.split_once('@')
                        .and_then(|(_, domain)| domain.strip_suffix(".iam.gserviceaccount.com"))
                        .is_none_or(|p| p == project)
                }
                _ => true,
            };
            covers.then_some(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Activity, Credential, CredentialKind, Expiry, IdentityKind, Managed, SourceInfo,
    };

    /// An estate large enough for the two-thread path: every identity holds
    /// two old, active keys (AID010 each, AID016 once per identity).
    fn estate(identities: usize) -> Estate {
        let ts = |s: &str| s.parse::<Timestamp>().expect("time");
        let mut e = Estate {
            sources: vec![SourceInfo {
                name: "aws".into(),
                provider: Provider::Aws,
                scope: None,
                collected_at: None,
            }],
            ..Estate::default()
        };
        for i in 0..identities {
            let id = format!("arn:aws:iam::123456789012:user/u{i}");
            e.identities.push(Identity {
                source: "aws".into(),
                provider: Provider::Aws,
                id: id.clone(),
                name: format!("u{i}"),
                kind: IdentityKind::User,
                owner: Some("team".into()),
                owner_active: None,
                created: None,
                last_activity: Activity::Unknown,
                disabled: false,
                tags: Default::default(),
            });
            for k in 0..2 {
                e.credentials.push(Credential {
                    source: "aws".into(),
                    provider: Provider::Aws,
                    id: format!("AKIA{i}x{k}"),
                    identity: id.clone(),
                    kind: CredentialKind::AccessKey,
                    hint: None,
                    created: Some(ts("2020-01-01T00:00:00Z")),
                    last_used: Activity::Unknown,
                    expires: Expiry::NotApplicable,
                    state: CredentialState::Active,
                    long_lived: true,
                    managed: Managed::User,
                    root: false,
                    admin: false,
                    invalid_since: None,
                });
            }
        }
        e
    }

    /// The bundled example estate, copied until it is large enough for every
    /// two-thread pass; the copies' identities are shadows, ignored or
    /// disabled as their originals' kinds make them.
    fn example_many_times() -> (crate::registry::LoadedRegistry, Estate) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let registry = crate::registry::load(&root.join("agentid.yaml")).expect("example registry");
        let one = super::super::snapshot::load(&root.join("estate.json")).expect("example estate");
        let copies = PARALLEL_FROM / one.credentials.len() + 1;
        let mut e = one.clone();
        for n in 1..copies {
            let copy = |id: &str| format!("{id}-copy{n}");
            e.identities.extend(one.identities.iter().map(|i| Identity {
                id: copy(&i.id),
                name: copy(&i.name),
                ..i.clone()
            }));
            e.credentials
                .extend(one.credentials.iter().map(|c| crate::model::Credential {
                    id: copy(&c.id),
                    identity: copy(&c.identity),
                    ..c.clone()
                }));
            e.trusts
                .extend(one.trusts.iter().map(|t| crate::model::Trust {
                    identity: copy(&t.identity),
                    ..t.clone()
                }));
            e.privileges
                .extend(one.privileges.iter().map(|p| crate::model::Privilege {
                    identity: copy(&p.identity),
                    ..p.clone()
                }));
        }
        (registry, e)
    }

    #[test]
    fn a_large_estate_reports_the_same_on_one_thread_and_on_two() {
        let (registry, estate) = example_many_times();
        assert!(estate.credentials.len() >= PARALLEL_FROM);
        let prefetch = super::super::Prefetch::default();
        let req = super::super::Request {
            registry: Some(&registry),
            snapshots: &[],
            from: &[],
            sources: &[],
            options: Options {
                as_of: "2026-11-01T00:00:00Z".parse().expect("time"),
                fail_on: FailOn::High,
                agent: None,
                rules: None,
            },
            prefetched: &prefetch,
            watch: None,
        };
        let settings = super::super::gather(&req)
            .expect("example sources")
            .settings;
        let report = |one_thread: bool| {
            super::super::halves::ONE_THREAD.set(one_thread);
            let r = evaluate(&registry.registry, None, &estate, &settings, &req.options);
            super::super::halves::ONE_THREAD.set(false);
            serde_json::to_string_pretty(&r).expect("report")
        };
        let (one, two) = (report(true), report(false));
        assert!(one.len() > 10_000_000, "{} bytes", one.len());
        // Shadows, long-lived keys and over-broad trusts, in their thousands.
        for rule in ["AID002", "AID010", "AID020"] {
            assert!(one.matches(rule).count() > 1000, "{rule}");
        }
        assert!(
            one == two,
            "the two-thread report differs from the one-thread one"
        );
    }

    #[test]
    fn the_two_thread_path_counts_like_one_thread() {
        let opts = Options {
            as_of: "2026-11-01T00:00:00Z".parse().expect("time"),
            fail_on: FailOn::Never,
            agent: None,
            rules: Some(
                [rules::NOT_ROTATED.id, rules::SEVERAL_KEYS.id]
                    .into_iter()
                    .collect(),
            ),
        };
        let settings = std::collections::HashMap::new();
        for identities in [10, PARALLEL_FROM / 2 + 7] {
            let e = estate(identities);
            let r = evaluate(&Registry::default(), None, &e, &settings, &opts);
            let count = |id: &str| r.findings.iter().filter(|f| f.rule == id).count();
            assert_eq!(count("AID010"), 2 * identities, "{identities} identities");
            assert_eq!(count("AID016"), identities, "{identities} identities");
            assert!(
                r.agents
                    .iter()
                    .all(|a| a.credentials == 2 && a.long_lived_credentials == 2)
            );
        }
    }
}
