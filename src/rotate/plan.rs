//! Which transitions are due, when, and why: pure functions of the keyset,
//! the policy and a time. `run` performs the actions due now one at a time,
//! re-planning after each; `plan` shows them and simulates the timeline.

use jiff::Timestamp;
use serde::Serialize;

use super::Policy;
use super::keyset::{Activation, Change, Event, KeyRecord, KeyState, Keyset, PrivateKey, add};

/// One step `run` can take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Generate a new key and keep it pending.
    Generate,
    /// Write the JWKS with the pending key in it.
    Publish { kid: String },
    /// The pending key starts signing; the active one (if any) retires.
    Activate {
        kid: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        replaces: Option<String>,
        how: Activation,
    },
    /// A retiring key leaves the JWKS.
    Retire { kid: String },
    /// A pending key that never signed leaves the JWKS (the issuer's
    /// algorithm changed).
    Discard { kid: String },
    /// Destroy a retired or revoked key's private half.
    Destroy { kid: String },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Generate => "generate",
            Action::Publish { .. } => "publish",
            Action::Activate { .. } => "activate",
            Action::Retire { .. } => "retire",
            Action::Discard { .. } => "discard",
            Action::Destroy { .. } => "destroy",
        }
    }

    pub fn kid(&self) -> Option<&str> {
        match self {
            Action::Generate => None,
            Action::Publish { kid }
            | Action::Activate { kid, .. }
            | Action::Retire { kid }
            | Action::Discard { kid }
            | Action::Destroy { kid } => Some(kid),
        }
    }

    /// The state changes it makes (none for Generate and Publish, whose
    /// changes the engine makes after the backend or publisher has acted).
    pub fn changes(&self, ks: &Keyset, why: &str) -> Vec<Change> {
        match self {
            Action::Generate | Action::Publish { .. } => Vec::new(),
            Action::Activate { kid, replaces, how } => {
                let mut out = Vec::new();
                if let Some(old) = replaces {
                    out.push(Change::transition(
                        old,
                        KeyState::Active,
                        KeyState::Retiring,
                        format!("replaced by {kid}: {why}"),
                    ));
                }
                out.push(Change::activate(kid, *how, why));
                out
            }
            Action::Retire { kid } => vec![Change::transition(
                kid,
                KeyState::Retiring,
                KeyState::Retired,
                why,
            )],
            Action::Discard { kid } => vec![Change::transition(
                kid,
                KeyState::Pending,
                KeyState::Retired,
                why,
            )],
            Action::Destroy { kid } => {
                let _ = ks;
                vec![Change::simple(Event::KeyDestroyed, Some(kid), why)]
            }
        }
    }
}

/// An action and when it is (or was) due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    #[serde(flatten)]
    pub action: Action,
    pub at: Timestamp,
    pub why: String,
}

/// Order of actions due at the same time: clean up, then prepare, then sign.
fn priority(a: &Action) -> u8 {
    match a {
        Action::Retire { .. } => 0,
        Action::Destroy { .. } => 1,
        Action::Discard { .. } => 2,
        Action::Generate => 3,
        Action::Publish { .. } => 4,
        Action::Activate { .. } => 5,
    }
}

/// Every action the keyset will need, each with the time it falls due
/// (`now` for those due already), soonest first.
pub fn schedule(ks: &Keyset, policy: &Policy, now: Timestamp) -> Vec<Due> {
    let mut out = Vec::new();
    let mut due = |action: Action, at: Timestamp, why: String| out.push(Due { action, at, why });

    for k in &ks.keys {
        match k.state {
            KeyState::Retiring => {
                let stopped = k.stopped_at.unwrap_or(now);
                due(
                    Action::Retire { kid: k.kid.clone() },
                    add(stopped, policy.retire_after()),
                    format!(
                        "stopped signing at {stopped}; every token it signed has expired after max_token_lifetime {} + clock_skew {}",
                        policy.max_token_lifetime, policy.clock_skew
                    ),
                );
            }
            KeyState::Retired | KeyState::Revoked if k.private_key == PrivateKey::Present => {
                let (at, why) = match (k.state, policy.retain) {
                    (KeyState::Retired, Some(retain)) => (
                        add(k.retired_at.unwrap_or(now), retain),
                        format!("retired and kept for retain {retain}"),
                    ),
                    (KeyState::Retired, None) => (
                        k.retired_at.unwrap_or(now),
                        "retired; no retain period is set".to_string(),
                    ),
                    _ => (
                        k.revoked_at.unwrap_or(now),
                        "revoked: a compromised key is never used again".to_string(),
                    ),
                };
                due(Action::Destroy { kid: k.kid.clone() }, at, why);
            }
            _ => {}
        }
    }

    let pending: Vec<&KeyRecord> = ks.in_state(KeyState::Pending).collect();
    let mut usable = None;
    for p in &pending {
        if p.alg != policy.algorithm {
            due(
                Action::Discard { kid: p.kid.clone() },
                now,
                format!(
                    "the issuer's algorithm is now {}, this pending key is {}; it never signed",
                    super::alg_name(policy.algorithm),
                    super::alg_name(p.alg)
                ),
            );
        } else if usable.is_none() {
            usable = Some(*p);
        } else {
            due(
                Action::Discard { kid: p.kid.clone() },
                now,
                "a second pending key; one successor is enough".into(),
            );
        }
    }
    let Some(next) = usable else {
        due(
            Action::Generate,
            now,
            if ks.keys.is_empty() {
                "the issuer has no key yet".into()
            } else {
                "no pending successor: the next key must be published well before it signs".into()
            },
        );
        out.sort_by_key(|d| (d.at, priority(&d.action)));
        return out;
    };
    let Some(published) = next.published_at else {
        due(
            Action::Publish {
                kid: next.kid.clone(),
            },
            now,
            "generated but not yet in the published JWKS".into(),
        );
        out.sort_by_key(|d| (d.at, priority(&d.action)));
        return out;
    };
    let visible = add(published, policy.jwks_cache_ttl);
    match ks.active() {
        None if !ks.ever_active() => due(
            Action::Activate {
                kid: next.kid.clone(),
                replaces: None,
                how: Activation::Initial,
            },
            published,
            "the issuer's first key: nothing trusts the issuer yet, so it signs at once".into(),
        ),
        None => due(
            Action::Activate {
                kid: next.kid.clone(),
                replaces: None,
                how: Activation::Emergency,
            },
            now,
            "no key signs: a key must".into(),
        ),
        Some(active) => {
            let activated = active.activated_at.unwrap_or(now);
            let scheduled = add(activated, policy.rotation_period);
            let (rotation, how, because) = match ks.rotation_requested_at {
                Some(r) if r < scheduled => (
                    r,
                    Activation::Early,
                    format!("a rotation was asked for at {r} (--rotate-now)"),
                ),
                _ => (
                    scheduled,
                    Activation::Scheduled,
                    format!(
                        "{} has signed since {activated}, rotation_period {}",
                        active.kid, policy.rotation_period
                    ),
                ),
            };
            let at = rotation.max(visible);
            let why = if visible > rotation {
                format!(
                    "{because}; it waits until it has been published for jwks_cache_ttl {} (since {published})",
                    policy.jwks_cache_ttl
                )
            } else {
                format!(
                    "{because}; published since {published}, longer than jwks_cache_ttl {}",
                    policy.jwks_cache_ttl
                )
            };
            due(
                Action::Activate {
                    kid: next.kid.clone(),
                    replaces: Some(active.kid.clone()),
                    how,
                },
                at,
                why,
            );
        }
    }
    out.sort_by_key(|d| (d.at, priority(&d.action)));
    out
}

/// The first action due at `now`, if any.
pub fn next_due(ks: &Keyset, policy: &Policy, now: Timestamp) -> Option<Due> {
    schedule(ks, policy, now)
        .into_iter()
        .filter(|d| d.at <= now)
        .min_by_key(|d| priority(&d.action))
}

/// The next action in the future (for "next due" lines).
pub fn next_future(ks: &Keyset, policy: &Policy, now: Timestamp) -> Option<Due> {
    // Actions due now would happen first; the "next" one after them is what
    // the schedule says once they are done, which `timeline` simulates.
    schedule(ks, policy, now).into_iter().find(|d| d.at > now)
}

/// What removing a key from the JWKS does to the tokens it signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalidates {
    pub kid: String,
    /// When it signed, if it ever did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_from: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_until: Option<Timestamp>,
    /// Tokens it signed that are still unexpired expire by this time; none
    /// when every token it signed has expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unexpired_until: Option<Timestamp>,
    pub summary: String,
}

/// Which tokens taking `kid` out of the JWKS at `now` would invalidate.
pub fn invalidates(k: &KeyRecord, policy: &Policy, now: Timestamp) -> Invalidates {
    let Some(from) = k.activated_at else {
        return Invalidates {
            kid: k.kid.clone(),
            signed_from: None,
            signed_until: None,
            unexpired_until: None,
            summary: "none: it never signed".into(),
        };
    };
    let until = k.stopped_at.unwrap_or(now);
    let last_exp = add(until, policy.max_token_lifetime);
    let with_skew = add(last_exp, policy.clock_skew);
    let unexpired = (with_skew > now).then_some(with_skew);
    let summary = match unexpired {
        None => format!(
            "none: it signed from {from} to {until}, and every token it signed expired by {last_exp} (+ clock_skew {})",
            policy.clock_skew
        ),
        Some(_) => format!(
            "every token it signed from {from} to {until} that has not expired; the last expire by {last_exp} (+ clock_skew {})",
            policy.clock_skew
        ),
    };
    Invalidates {
        kid: k.kid.clone(),
        signed_from: Some(from),
        signed_until: Some(until),
        unexpired_until: unexpired,
        summary,
    }
}

/// One simulated future transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEvent {
    pub at: Timestamp,
    #[serde(flatten)]
    pub action: Action,
    pub why: String,
}

/// Simulates `run` at every due time from `now` until `until` (at most
/// `limit` events): what will happen, and when, if nothing else changes.
/// Keys not generated yet are named `(new key N)`.
pub fn timeline(
    ks: &Keyset,
    policy: &Policy,
    now: Timestamp,
    until: Timestamp,
    limit: usize,
) -> Vec<TimelineEvent> {
    let mut sim = ks.clone();
    let mut out = Vec::new();
    let mut t = now;
    let mut generated = 0;
    while out.len() < limit {
        let Some(d) = schedule(&sim, policy, t)
            .into_iter()
            .min_by_key(|d| (d.at.max(t), priority(&d.action)))
        else {
            break;
        };
        t = d.at.max(t);
        if t > until {
            break;
        }
        let mut changes = d.action.changes(&sim, &d.why);
        match &d.action {
            Action::Generate => {
                generated += 1;
                let kid = format!("(new key {generated})");
                changes.push(Change::generated(
                    &kid,
                    super::keyset::NewKey {
                        alg: policy.algorithm,
                        thumbprint: String::new(),
                        public_jwk: serde_json::json!({"kid": kid}),
                        backend_ref: None,
                    },
                    &d.why,
                ));
                out.push(TimelineEvent {
                    at: t,
                    action: Action::Publish { kid: kid.clone() },
                    why: "a new successor key, generated and published at once".into(),
                });
                changes.push(Change::simple(Event::Published, Some(&kid), ""));
            }
            Action::Publish { kid } => {
                changes.push(Change::simple(Event::Published, Some(kid), ""));
                out.push(TimelineEvent {
                    at: t,
                    action: d.action.clone(),
                    why: d.why.clone(),
                });
            }
            _ => out.push(TimelineEvent {
                at: t,
                action: d.action.clone(),
                why: d.why.clone(),
            }),
        }
        let meta = super::keyset::Meta::simulation();
        for e in super::keyset::entries(&sim, &changes, t, &meta) {
            if sim.apply(&e).is_err() {
                return out;
            }
        }
    }
    out.truncate(limit);
    out
}
