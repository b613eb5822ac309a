//! `agentid inventory diff OLD NEW`: what changed between two snapshots.
//! Plain data, rendered by output/ (table) or as JSON/YAML.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::{
    CredentialKind, CredentialState, Estate, Finding, IdentityKind, Provider, SubjectKind,
};

pub const DIFF_SCHEMA_VERSION: u32 = 1;
pub const DIFF_KIND: &str = "agentid.inventory-diff";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffReport {
    pub schema_version: u32,
    pub kind: String,
    pub old: Side,
    pub new: Side,
    /// Identities in NEW and not in OLD; `shadow` when no agent declares them.
    pub identities_added: Vec<IdentityChange>,
    pub identities_removed: Vec<IdentityChange>,
    pub credentials_created: Vec<CredentialChange>,
    pub credentials_deleted: Vec<CredentialChange>,
    /// Identities whose owner went away: the owner tag removed, or an
    /// owner-gone finding (AID004) that OLD did not have.
    pub owners_gone: Vec<OwnerGone>,
    pub findings_opened: Vec<Finding>,
    pub findings_closed: Vec<Finding>,
    pub summary: DiffSummary,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    pub path: String,
    /// The time its findings were evaluated at: the latest `collected_at`
    /// of its sources, else `--as-of`, else now.
    pub as_of: Timestamp,
    pub identities: usize,
    pub credentials: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityChange {
    pub source: String,
    pub provider: Provider,
    pub id: String,
    pub name: String,
    pub kind: IdentityKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub shadow: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialChange {
    pub source: String,
    pub provider: Provider,
    pub id: String,
    pub identity: String,
    pub kind: CredentialKind,
    pub state: CredentialState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerGone {
    pub source: String,
    pub provider: Provider,
    pub identity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffSummary {
    pub identities_added: usize,
    pub new_shadow_identities: usize,
    pub identities_removed: usize,
    pub credentials_created: usize,
    pub credentials_deleted: usize,
    pub owners_gone: usize,
    pub findings_opened: usize,
    pub findings_closed: usize,
}

/// One side of the comparison: its estate and the findings evaluated on it.
pub struct Evaluated<'a> {
    pub path: String,
    pub as_of: Timestamp,
    pub estate: &'a Estate,
    pub findings: &'a [Finding],
}

/// The latest `collected_at` among an estate's sources.
pub fn collected_at(estate: &Estate) -> Option<Timestamp> {
    estate.sources.iter().filter_map(|s| s.collected_at).max()
}

type Key<'a> = (&'a str, &'a str);

pub fn finding_key(f: &Finding) -> (String, SubjectKind, String, Option<String>) {
    (
        f.rule.to_string(),
        f.subject.kind,
        f.subject.id.clone(),
        f.subject.source.clone(),
    )
}

pub fn diff(old: &Evaluated, new: &Evaluated) -> DiffReport {
    let shadow_in_new: HashSet<Key> = new
        .findings
        .iter()
        .filter(|f| f.rule == crate::inventory::rules::SHADOW.id)
        .filter_map(|f| Some((f.subject.source.as_deref()?, f.subject.id.as_str())))
        .collect();
    let shadow_in_old: HashSet<Key> = old
        .findings
        .iter()
        .filter(|f| f.rule == crate::inventory::rules::SHADOW.id)
        .filter_map(|f| Some((f.subject.source.as_deref()?, f.subject.id.as_str())))
        .collect();

    let ids = |e: &'_ Estate| -> HashMap<(String, String), usize> {
        e.identities
            .iter()
            .enumerate()
            .map(|(i, x)| ((x.source.clone(), x.id.clone()), i))
            .collect()
    };
    let old_ids = ids(old.estate);
    let new_ids = ids(new.estate);
    let change = |x: &crate::model::Identity, shadow: bool| IdentityChange {
        source: x.source.clone(),
        provider: x.provider,
        id: x.id.clone(),
        name: x.name.clone(),
        kind: x.kind,
        owner: x.owner.clone(),
        shadow,
    };
    let mut identities_added: Vec<IdentityChange> = new
        .estate
        .identities
        .iter()
        .filter(|x| !old_ids.contains_key(&(x.source.clone(), x.id.clone())))
        .map(|x| {
            change(
                x,
                shadow_in_new.contains(&(x.source.as_str(), x.id.as_str())),
            )
        })
        .collect();
    let mut identities_removed: Vec<IdentityChange> = old
        .estate
        .identities
        .iter()
        .filter(|x| !new_ids.contains_key(&(x.source.clone(), x.id.clone())))
        .map(|x| {
            change(
                x,
                shadow_in_old.contains(&(x.source.as_str(), x.id.as_str())),
            )
        })
        .collect();

    let creds = |e: &'_ Estate| -> HashSet<(String, String, String)> {
        e.credentials
            .iter()
            .map(|c| (c.source.clone(), c.identity.clone(), c.id.clone()))
            .collect()
    };
    let old_creds = creds(old.estate);
    let new_creds = creds(new.estate);
    let cchange = |c: &crate::model::Credential| CredentialChange {
        source: c.source.clone(),
        provider: c.provider,
        id: c.id.clone(),
        identity: c.identity.clone(),
        kind: c.kind,
        state: c.state,
        created: c.created,
    };
    let mut credentials_created: Vec<CredentialChange> = new
        .estate
        .credentials
        .iter()
        .filter(|c| !old_creds.contains(&(c.source.clone(), c.identity.clone(), c.id.clone())))
        .map(cchange)
        .collect();
    let mut credentials_deleted: Vec<CredentialChange> = old
        .estate
        .credentials
        .iter()
        .filter(|c| !new_creds.contains(&(c.source.clone(), c.identity.clone(), c.id.clone())))
        .map(cchange)
        .collect();

    let old_keys: HashSet<_> = old.findings.iter().map(finding_key).collect();
    let new_keys: HashSet<_> = new.findings.iter().map(finding_key).collect();
    let findings_opened: Vec<Finding> = new
        .findings
        .iter()
        .filter(|f| !old_keys.contains(&finding_key(f)))
        .cloned()
        .collect();
    let findings_closed: Vec<Finding> = old
        .findings
        .iter()
        .filter(|f| !new_keys.contains(&finding_key(f)))
        .cloned()
        .collect();

    // Owners gone: an owner tag removed from an identity in both, or a new AID004.
    let mut owners: BTreeMap<(String, String), OwnerGone> = BTreeMap::new();
    for x in &new.estate.identities {
        if let Some(&i) = old_ids.get(&(x.source.clone(), x.id.clone())) {
            let before = &old.estate.identities[i];
            if before.owner.is_some() && x.owner.is_none() {
                owners.insert(
                    (x.source.clone(), x.id.clone()),
                    OwnerGone {
                        source: x.source.clone(),
                        provider: x.provider,
                        identity: x.id.clone(),
                        owner: before.owner.clone(),
                        why: "the owner was removed from the identity".into(),
                    },
                );
            }
        }
    }
    for f in &findings_opened {
        if f.rule != crate::inventory::rules::OWNER_GONE.id {
            continue;
        }
        let source = f.subject.source.clone().unwrap_or_default();
        let owner = new_ids
            .get(&(source.clone(), f.subject.id.clone()))
            .and_then(|&i| new.estate.identities[i].owner.clone());
        owners
            .entry((source.clone(), f.subject.id.clone()))
            .or_insert_with(|| OwnerGone {
                source,
                provider: f.subject.provider.unwrap_or(Provider::Aws),
                identity: f.subject.id.clone(),
                owner,
                why: f.evidence.clone(),
            });
    }
    let owners_gone: Vec<OwnerGone> = owners.into_values().collect();

    identities_added.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    identities_removed.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    credentials_created.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    credentials_deleted.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));

    let summary = DiffSummary {
        identities_added: identities_added.len(),
        new_shadow_identities: identities_added.iter().filter(|x| x.shadow).count(),
        identities_removed: identities_removed.len(),
        credentials_created: credentials_created.len(),
        credentials_deleted: credentials_deleted.len(),
        owners_gone: owners_gone.len(),
        findings_opened: findings_opened.len(),
        findings_closed: findings_closed.len(),
    };
    let side = |e: &Evaluated| Side {
        path: e.path.clone(),
        as_of: e.as_of,
        identities: e.estate.identities.len(),
        credentials: e.estate.credentials.len(),
        findings: e.findings.len(),
    };
    DiffReport {
        schema_version: DIFF_SCHEMA_VERSION,
        kind: DIFF_KIND.to_string(),
        old: side(old),
        new: side(new),
        identities_added,
        identities_removed,
        credentials_created,
        credentials_deleted,
        owners_gone,
        findings_opened,
        findings_closed,
        summary,
    }
}
