//! `scan-secrets --estate SNAPSHOT`: whose key was found. A found AWS access
//! key id, Anthropic key or OpenAI key is matched to the credential of an
//! estate snapshot (docs/snapshot.md), and through it to the identity that
//! holds it, the registry agent that declares that identity, its owner, and
//! whether the credential is still active.
//!
//! What can be matched is what a snapshot genuinely holds:
//!
//! * **AWS**: a credential's `id` is the access key id, so a found key id
//!   matches exactly (by fingerprint: the id is not kept after the scan).
//!   Temporary `ASIA…` ids are never in an estate: they are `not_found`.
//! * **Anthropic / OpenAI**: the secret is never in the estate, and the key's
//!   `id` (`apikey_01…`, `key_…`) cannot be derived from it. What a snapshot
//!   can hold is the provider's non-secret hint: Anthropic's Admin API
//!   `partial_key_hint` (`sk-ant-api03-R2D...igAA`: the first 16 and the last
//!   4 characters), OpenAI's `redacted_value` (`sk-admin...def`, often
//!   fewer). A found key matches a credential of the same provider when it
//!   starts with the hint's head and ends with its tail. A hint is strong
//!   evidence, not proof; when several credentials' hints fit, every one is
//!   listed and the link is `ambiguous`.
//! * **An AWS secret access key** is linked through the key id it was found
//!   paired with (`matched_by: pair`).
//!
//! Other secrets (GitHub tokens, private keys, passwords) get no link.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::model::{CredentialKind, CredentialState, Estate, Expiry, Provider};
use crate::registry::Registry;
use crate::scan::engine::CompiledRules;
use crate::scan::finding::{Finding, LinkKey, fingerprint};

/// How sure a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// Exactly one credential fits.
    Matched,
    /// Several credentials' hints fit: all are listed.
    Ambiguous,
    /// No credential of the snapshot fits: another account or organisation,
    /// a key already deleted, or a snapshot without hints.
    NotFound,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Matched => "matched",
            LinkStatus::Ambiguous => "ambiguous",
            LinkStatus::NotFound => "not_found",
        }
    }
}

/// What the match was made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The credential's id is the found AWS access key id.
    Id,
    /// The found key starts with the hint's head and ends with its tail.
    Hint,
    /// An AWS secret key, through the key id found with it.
    Pair,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Id => "id",
            MatchedBy::Hint => "hint",
            MatchedBy::Pair => "pair",
        }
    }
}

/// A finding's link to the estate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstateLink {
    pub status: LinkStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<MatchedBy>,
    /// The credentials that fit: one when matched, several when ambiguous.
    pub candidates: Vec<OwnedCredential>,
}

/// A credential of the estate and who it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnedCredential {
    /// The estate source that reported it.
    pub source: String,
    pub provider: Provider,
    /// The provider's credential id (`apikey_…`, `key_…`). For AWS the id
    /// is the key id that was found, so it is shown as the snapshot's hint
    /// (`AKIA...Z6HD`) or its first and last 4 characters, never whole.
    pub credential: String,
    pub kind: CredentialKind,
    /// As the snapshot recorded it.
    pub state: CredentialState,
    /// `state` is active and its expiry, if any, has not passed.
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The id of the identity that holds it.
    pub identity: String,
    /// The identity's display name, when the snapshot lists the identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_name: Option<String>,
    /// The registry agent that declares the identity (needs a registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The agent's registry owner, else the owner the provider records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

impl OwnedCredential {
    /// `agent invoice-reconciler (owner team-payments)` or the identity when no agent.
    pub fn who(&self) -> String {
        let name = match (&self.agent, &self.identity_name) {
            (Some(a), _) => format!("agent {a}"),
            (None, Some(n)) => format!("identity {n}"),
            (None, None) => format!("identity {}", self.identity),
        };
        match &self.owner {
            Some(o) => format!("{name} (owner {o})"),
            None => format!("{name} (no owner)"),
        }
    }
}

/// The estate indexed for linking.
pub struct Owners {
    creds: Vec<OwnedCredential>,
    /// Fingerprint of an AWS credential id -> credentials.
    by_id: HashMap<String, Vec<usize>>,
    /// Provider, hint head, hint tail, credential.
    hints: Vec<(Provider, String, String, usize)>,
}

impl Owners {
    /// Indexes `estate`; `registry` names the agents (none without one).
    /// `now` decides whether an expiry has passed.
    pub fn new(estate: &Estate, registry: Option<&Registry>, now: Timestamp) -> Self {
        let agents = registry.map(|r| crate::inventory::evaluate::identity_agents(r, estate));
        let mut identity_pos: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, ident) in estate.identities.iter().enumerate() {
            identity_pos.insert((ident.source.as_str(), ident.id.as_str()), i);
        }
        let mut owners = Owners {
            creds: Vec::new(),
            by_id: HashMap::new(),
            hints: Vec::new(),
        };
        for c in &estate.credentials {
            if !matches!(
                c.provider,
                Provider::Aws | Provider::Anthropic | Provider::Openai
            ) {
                continue;
            }
            let pos = identity_pos
                .get(&(c.source.as_str(), c.identity.as_str()))
                .copied();
            let ident = pos.map(|i| &estate.identities[i]);
            let agent = match (registry, &agents, pos) {
                (Some(r), Some(a), Some(i)) => a[i].map(|a| &r.agents[a]),
                _ => None,
            };
            let owner = agent
                .and_then(|a| a.owner.clone())
                .or_else(|| ident.and_then(|i| i.owner.clone()));
            let expired = matches!(c.expires, Expiry::At(t) if t <= now);
            let n = owners.creds.len();
            owners.creds.push(OwnedCredential {
                source: c.source.clone(),
                provider: c.provider,
                credential: if c.provider == Provider::Aws {
                    aws_display(&c.id, c.hint.as_deref())
                } else {
                    c.id.clone()
                },
                kind: c.kind,
                state: c.state,
                active: c.state == CredentialState::Active && !expired,
                hint: c.hint.clone(),
                identity: c.identity.clone(),
                identity_name: ident.map(|i| i.name.clone()),
                agent: agent.map(|a| a.name.clone()),
                owner,
            });
            match c.provider {
                Provider::Aws => owners
                    .by_id
                    .entry(fingerprint(c.id.as_bytes()))
                    .or_default()
                    .push(n),
                _ => {
                    if let Some((head, tail)) = c.hint.as_deref().and_then(parse_hint) {
                        owners
                            .hints
                            .push((c.provider, head.to_string(), tail.to_string(), n));
                    }
                }
            }
        }
        owners
    }

    /// Sets `estate` on every finding that an estate can hold.
    pub fn link(&self, rules: &CompiledRules, findings: &mut [Finding]) {
        for f in findings.iter_mut() {
            let provider = match rules.get(&f.rule).map(|r| r.provider.as_str()) {
                Some("anthropic") => Some(Provider::Anthropic),
                Some("openai") => Some(Provider::Openai),
                _ => None,
            };
            let (by, found): (MatchedBy, Vec<usize>) = match &f.link {
                None => continue,
                Some(LinkKey::AwsKeyId) => (
                    MatchedBy::Id,
                    self.by_id
                        .get(&f.secret.fingerprint)
                        .cloned()
                        .unwrap_or_default(),
                ),
                Some(LinkKey::Ends { head, tail }) => (
                    MatchedBy::Hint,
                    self.hints
                        .iter()
                        .filter(|(p, h, t, _)| {
                            Some(*p) == provider && fits(head, h, true) && fits(tail, t, false)
                        })
                        .map(|(_, _, _, i)| *i)
                        .collect(),
                ),
            };
            f.estate = Some(self.link_of(by, &found));
        }
        // An AWS secret key: through the key id it was found with (the link
        // depends on the key id's fingerprint alone).
        let keyed: HashMap<String, EstateLink> = findings
            .iter()
            .filter(|f| matches!(f.link, Some(LinkKey::AwsKeyId)))
            .filter_map(|f| Some((f.secret.fingerprint.clone(), f.estate.clone()?)))
            .collect();
        for f in findings.iter_mut() {
            if f.link.is_some() || f.estate.is_some() {
                continue;
            }
            let Some(link) = f.paired_with.as_ref().and_then(|p| keyed.get(p)) else {
                continue;
            };
            let mut link = link.clone();
            if !link.candidates.is_empty() {
                link.matched_by = Some(MatchedBy::Pair);
            }
            f.estate = Some(link);
        }
    }

    fn link_of(&self, by: MatchedBy, found: &[usize]) -> EstateLink {
        let candidates: Vec<OwnedCredential> =
            found.iter().map(|&i| self.creds[i].clone()).collect();
        let status = match candidates.len() {
            0 => LinkStatus::NotFound,
            1 => LinkStatus::Matched,
            _ => LinkStatus::Ambiguous,
        };
        EstateLink {
            status,
            matched_by: (!candidates.is_empty()).then_some(by),
            candidates,
        }
    }
}

/// An AWS credential's id is the access key id that was found: it is shown
/// as the snapshot's hint, or its first and last 4 characters, never whole.
fn aws_display(id: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) if h != id => h.to_string(),
        _ if id.len() >= 12 && id.is_ascii() => {
            format!("{}...{}", &id[..4], &id[id.len() - 4..])
        }
        _ => "(id withheld)".to_string(),
    }
}

/// Whether the kept end of a secret agrees with the hint's end. `ours` is at
/// most [`LinkKey::HEAD`]/[`LinkKey::TAIL`] characters; a hint that shows
/// more than that is compared on what we kept.
fn fits(ours: &str, hint: &str, head: bool) -> bool {
    if head {
        if hint.len() <= ours.len() {
            ours.starts_with(hint)
        } else {
            hint.starts_with(ours)
        }
    } else if hint.len() <= ours.len() {
        ours.ends_with(hint)
    } else {
        hint.ends_with(ours)
    }
}

/// `sk-ant-api03-R2D...igAA` -> (`sk-ant-api03-R2D`, `igAA`). Also `…`, and
/// `*` padding around the ellipsis (`sk-proj-***...***Ab1C`). None when the
/// hint does not show both ends.
pub fn parse_hint(hint: &str) -> Option<(&str, &str)> {
    let (head, tail) = hint.split_once("...").or_else(|| hint.split_once('…'))?;
    let head = head.trim().trim_end_matches('*');
    let tail = tail.trim().trim_start_matches('*');
    (!head.is_empty() && !tail.is_empty()).then_some((head, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_parse() {
        assert_eq!(
            parse_hint("sk-ant-api03-R2D...igAA"),
            Some(("sk-ant-api03-R2D", "igAA"))
        );
        assert_eq!(parse_hint("sk-admin…def"), Some(("sk-admin", "def")));
        assert_eq!(
            parse_hint("sk-proj-***...***Ab1C"),
            Some(("sk-proj-", "Ab1C"))
        );
        assert_eq!(parse_hint("AKIA...Z6HD"), Some(("AKIA", "Z6HD")));
        assert_eq!(parse_hint("sk-ant-api03-R2D"), None);
        assert_eq!(parse_hint("...igAA"), None);
    }

    #[test]
    fn ends_fit() {
        assert!(fits("sk-ant-api03-R2Dxxxxxxxx", "sk-ant-api03-R2D", true));
        assert!(!fits("sk-ant-api03-R2Exxxxxxxx", "sk-ant-api03-R2D", true));
        assert!(fits("igAA", "igAA", false));
        assert!(fits("igAA", "gAA", false));
        assert!(!fits("igAB", "igAA", false));
        // A hint longer than what was kept is compared on what was kept.
        assert!(fits("abcd", "xyzabcd", false));
    }
}
