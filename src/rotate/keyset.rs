//! The keyset of one issuer as data: each key's state and times, the journal
//! entries that change it, and the four invariants of issue 6.
//!
//! Pure code: no I/O, no clock. The state file (`state.json`) is a
//! checkpoint of folding the journal's entries with [`Keyset::apply`];
//! store.rs writes both, engine.rs decides what to append.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Policy;
use crate::registry::SigningAlgorithm;

pub const STATE_SCHEMA_VERSION: u32 = 1;
pub const STATE_KIND: &str = "agentid.keystore";

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Generated and published in the JWKS; does not sign yet.
    Pending,
    /// The one key that signs.
    Active,
    /// Published, no longer signing: tokens it signed may still be unexpired.
    Retiring,
    /// Gone from the JWKS: no unexpired token it signed can exist.
    Retired,
    /// Out of the JWKS at once (compromised); its tokens are invalid.
    Revoked,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Pending => "pending",
            KeyState::Active => "active",
            KeyState::Retiring => "retiring",
            KeyState::Retired => "retired",
            KeyState::Revoked => "revoked",
        }
    }

    /// In the published JWKS.
    pub fn is_published(self) -> bool {
        matches!(
            self,
            KeyState::Pending | KeyState::Active | KeyState::Retiring
        )
    }
}

impl std::fmt::Display for KeyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a key came to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// The issuer's first key: nothing trusted the issuer before it.
    Initial,
    /// Its predecessor reached `rotation_period`.
    Scheduled,
    /// `run --rotate-now` asked for it early (still after `jwks_cache_ttl`).
    Early,
    /// An emergency revoked the active key; it signed at once.
    Emergency,
}

/// Whether the private half still exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrivateKey {
    Present,
    Destroyed,
}

/// One key of the issuer, public data only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRecord {
    pub kid: String,
    pub alg: SigningAlgorithm,
    /// RFC 7638 thumbprint of the public key.
    pub thumbprint: String,
    /// The JWK as published: public members, kid, alg, use.
    pub public_jwk: Value,
    pub state: KeyState,
    pub created_at: Timestamp,
    /// When a JWKS holding it was first written (the `jwks_cache_ttl` clock starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// When it stopped signing (left `active`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<Timestamp>,
    /// When it left the JWKS as `retired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    pub private_key: PrivateKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destroyed_at: Option<Timestamp>,
    /// Where the backend keeps the private half (a KMS key id); none for files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_ref: Option<String>,
}

impl KeyRecord {
    /// Whether it has ever signed.
    pub fn has_signed(&self) -> bool {
        self.activated_at.is_some()
    }

    /// The latest `exp` a token it signed can carry, when it signed at all:
    /// stopped (or now) + max_token_lifetime.
    pub fn last_token_expiry(&self, policy: &Policy, now: Timestamp) -> Option<Timestamp> {
        self.activated_at?;
        let stopped = self.stopped_at.unwrap_or(now);
        Some(add(stopped, policy.max_token_lifetime))
    }
}

/// The state file: every key of one issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyset {
    pub schema_version: u32,
    pub kind: String,
    pub issuer: String,
    /// The last journal entry folded into this state.
    pub journal_seq: u64,
    /// The latest time any entry carries: time never runs backwards for an issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<Timestamp>,
    /// `run --rotate-now` asked for the pending key to sign as soon as it may.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_requested_at: Option<Timestamp>,
    pub keys: Vec<KeyRecord>,
}

/// What a journal entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// A new key: none → pending.
    Generated,
    /// A JWKS holding the pending key was written.
    Published,
    /// A change of state (from → to).
    Transition,
    /// The private half was destroyed.
    KeyDestroyed,
    /// `--rotate-now`: the pending key signs as soon as it may.
    RotationRequested,
    /// Something worth keeping that changes no key (a stale lock taken over,
    /// a torn journal tail dropped).
    Note,
}

/// The public half of a generated key, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    pub alg: SigningAlgorithm,
    pub thumbprint: String,
    pub public_jwk: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_ref: Option<String>,
}

/// One line of the journal. Entries written together form a group that is
/// applied whole or not at all (`group` = seq of its first entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub seq: u64,
    pub group: u64,
    pub group_size: u32,
    pub time: Timestamp,
    pub actor: String,
    pub host: String,
    pub pid: u32,
    pub command: String,
    pub reason: String,
    pub event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<KeyState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<KeyState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<NewKey>,
}

/// An entry that cannot be applied to the keyset it follows: the journal and
/// the state file disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("journal entry {seq}: {message}")]
pub struct ApplyError {
    pub seq: u64,
    pub message: String,
}

/// A change before it is journaled: the engine fills in who, where and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub event: Event,
    pub kid: Option<String>,
    pub from: Option<KeyState>,
    pub to: Option<KeyState>,
    pub activation: Option<Activation>,
    pub key: Option<NewKey>,
    pub reason: String,
}

impl Change {
    pub fn transition(kid: &str, from: KeyState, to: KeyState, reason: impl Into<String>) -> Self {
        Change {
            event: Event::Transition,
            kid: Some(kid.to_owned()),
            from: Some(from),
            to: Some(to),
            activation: None,
            key: None,
            reason: reason.into(),
        }
    }

    pub fn activate(kid: &str, how: Activation, reason: impl Into<String>) -> Self {
        Change {
            activation: Some(how),
            ..Change::transition(kid, KeyState::Pending, KeyState::Active, reason)
        }
    }

    pub fn simple(event: Event, kid: Option<&str>, reason: impl Into<String>) -> Self {
        Change {
            event,
            kid: kid.map(str::to_owned),
            from: None,
            to: None,
            activation: None,
            key: None,
            reason: reason.into(),
        }
    }

    pub fn generated(kid: &str, key: NewKey, reason: impl Into<String>) -> Self {
        Change {
            event: Event::Generated,
            kid: Some(kid.to_owned()),
            from: None,
            to: Some(KeyState::Pending),
            activation: None,
            key: Some(key),
            reason: reason.into(),
        }
    }
}

pub fn add(t: Timestamp, d: crate::duration::Duration) -> Timestamp {
    t.checked_add(d.as_span()).unwrap_or(Timestamp::MAX)
}

impl Keyset {
    pub fn new(issuer: &str) -> Keyset {
        Keyset {
            schema_version: STATE_SCHEMA_VERSION,
            kind: STATE_KIND.into(),
            issuer: issuer.into(),
            journal_seq: 0,
            clock: None,
            rotation_requested_at: None,
            keys: Vec::new(),
        }
    }

    pub fn key(&self, kid: &str) -> Option<&KeyRecord> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    fn key_mut(&mut self, kid: &str) -> Option<&mut KeyRecord> {
        self.keys.iter_mut().find(|k| k.kid == kid)
    }

    pub fn in_state(&self, state: KeyState) -> impl Iterator<Item = &KeyRecord> {
        self.keys.iter().filter(move |k| k.state == state)
    }

    pub fn active(&self) -> Option<&KeyRecord> {
        self.in_state(KeyState::Active).next()
    }

    pub fn pending(&self) -> Option<&KeyRecord> {
        self.in_state(KeyState::Pending).next()
    }

    /// True once any key has signed: the issuer is in service.
    pub fn ever_active(&self) -> bool {
        self.keys.iter().any(KeyRecord::has_signed)
    }

    /// The JWKS relying parties should see: every pending, active and
    /// retiring key, oldest first, public members only.
    pub fn jwks(&self) -> Value {
        let mut keys: Vec<&KeyRecord> = self
            .keys
            .iter()
            .filter(|k| k.state.is_published())
            .collect();
        keys.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.kid.cmp(&b.kid)));
        serde_json::json!({
            "keys": keys.iter().map(|k| public_only(&k.public_jwk)).collect::<Vec<_>>()
        })
    }

    /// Folds one journal entry into the state. Each entry is checked against
    /// the state it follows, so a journal that does not belong to this state
    /// file is refused rather than half-applied.
    pub fn apply(&mut self, e: &Entry) -> Result<(), ApplyError> {
        let fail = |message: String| ApplyError {
            seq: e.seq,
            message,
        };
        if e.seq != self.journal_seq + 1 {
            return Err(fail(format!(
                "follows entry {} but the state file has folded in entries up to {}",
                e.seq.saturating_sub(1),
                self.journal_seq
            )));
        }
        if let Some(clock) = self.clock
            && e.time < clock
        {
            return Err(fail(format!(
                "is dated {} but an earlier entry is dated {clock}",
                e.time
            )));
        }
        let kid = e.kid.as_deref();
        let need_kid = || kid.ok_or_else(|| fail("names no kid".into()));
        match e.event {
            Event::Generated => {
                let kid = need_kid()?;
                let key = e
                    .key
                    .as_ref()
                    .ok_or_else(|| fail("a generated key without its public half".into()))?;
                if self.key(kid).is_some() {
                    return Err(fail(format!("key {kid} already exists")));
                }
                if has_private_member(&key.public_jwk) {
                    return Err(fail(format!("key {kid}: the JWK holds a private member")));
                }
                self.keys.push(KeyRecord {
                    kid: kid.to_owned(),
                    alg: key.alg,
                    thumbprint: key.thumbprint.clone(),
                    public_jwk: key.public_jwk.clone(),
                    state: KeyState::Pending,
                    created_at: e.time,
                    published_at: None,
                    activated_at: None,
                    activation: None,
                    stopped_at: None,
                    retired_at: None,
                    revoked_at: None,
                    revoke_reason: None,
                    private_key: PrivateKey::Present,
                    destroyed_at: None,
                    backend_ref: key.backend_ref.clone(),
                });
            }
            Event::Published => {
                let kid = need_kid()?;
                let k = self
                    .key_mut(kid)
                    .ok_or_else(|| fail(format!("no key {kid}")))?;
                if k.state != KeyState::Pending {
                    return Err(fail(format!("key {kid} is {}, not pending", k.state)));
                }
                k.published_at.get_or_insert(e.time);
            }
            Event::KeyDestroyed => {
                let kid = need_kid()?;
                let k = self
                    .key_mut(kid)
                    .ok_or_else(|| fail(format!("no key {kid}")))?;
                if !matches!(k.state, KeyState::Retired | KeyState::Revoked) {
                    return Err(fail(format!(
                        "key {kid} is {}; only a retired or revoked key is destroyed",
                        k.state
                    )));
                }
                k.private_key = PrivateKey::Destroyed;
                k.destroyed_at.get_or_insert(e.time);
            }
            Event::RotationRequested => {
                self.rotation_requested_at = Some(e.time);
            }
            Event::Note => {}
            Event::Transition => {
                let kid = need_kid()?;
                let (Some(from), Some(to)) = (e.from, e.to) else {
                    return Err(fail("a transition without from and to".into()));
                };
                let k = self
                    .key_mut(kid)
                    .ok_or_else(|| fail(format!("no key {kid}")))?;
                if k.state != from {
                    return Err(fail(format!(
                        "moves key {kid} from {from}, but it is {}",
                        k.state
                    )));
                }
                use KeyState::*;
                match (from, to) {
                    (Pending, Active) => {
                        if k.published_at.is_none() {
                            return Err(fail(format!(
                                "activates key {kid}, which was never published"
                            )));
                        }
                        k.activated_at = Some(e.time);
                        k.activation = Some(e.activation.unwrap_or(Activation::Scheduled));
                    }
                    (Active, Retiring) => k.stopped_at = Some(e.time),
                    (Retiring, Retired) | (Pending, Retired) => k.retired_at = Some(e.time),
                    (Pending | Active | Retiring | Retired, Revoked) => {
                        if from == Active {
                            k.stopped_at = Some(e.time);
                        }
                        k.revoked_at = Some(e.time);
                        k.revoke_reason = Some(e.reason.clone());
                    }
                    _ => {
                        return Err(fail(format!(
                            "{from} → {to} is not a transition of the key state machine"
                        )));
                    }
                }
                k.state = to;
                if to == Active {
                    self.rotation_requested_at = None;
                }
            }
        }
        self.journal_seq = e.seq;
        self.clock = Some(self.clock.map_or(e.time, |c| c.max(e.time)));
        Ok(())
    }
}

/// Private members of any JWK key type.
pub const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

pub fn has_private_member(jwk: &Value) -> bool {
    jwk.as_object()
        .is_some_and(|m| PRIVATE_MEMBERS.iter().any(|p| m.contains_key(*p)))
}

/// The JWK with any private member removed (belt and braces: state holds
/// public halves only, and publishing must never depend on that alone).
fn public_only(jwk: &Value) -> Value {
    let mut jwk = jwk.clone();
    if let Some(m) = jwk.as_object_mut() {
        for p in PRIVATE_MEMBERS {
            m.remove(p);
        }
    }
    jwk
}

// ---------------------------------------------------------------------------
// The invariants

/// Which invariant does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub invariant: u8,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invariant {}: {}", self.invariant, self.message)
    }
}

/// Invariants 1–3 over the keyset, and 4 over `published` (the JWKS as
/// relying parties can fetch it right now), at time `now`.
///
/// 1. exactly one active key (only once the issuer is in service);
/// 2. a key signs only after it was published for `jwks_cache_ttl`
///    (except the first key, and an emergency replacement);
/// 3. a key leaves the JWKS only `max_token_lifetime + clock_skew` after it
///    stopped signing, unless revoked;
/// 4. `published` holds every key that may have signed an unexpired token
///    (revoked ones excepted), and no private member.
pub fn check_invariants(
    ks: &Keyset,
    policy: &Policy,
    published: Option<&Value>,
    now: Timestamp,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |invariant: u8, message: String| out.push(Violation { invariant, message });
    let active = ks.in_state(KeyState::Active).count();
    if ks.ever_active() && active != 1 {
        v(1, format!("{active} active keys"));
    }
    for k in &ks.keys {
        if let (Some(act), Some(how)) = (k.activated_at, k.activation) {
            match (k.published_at, how) {
                (None, _) => v(2, format!("{} signed without ever being published", k.kid)),
                (Some(p), Activation::Scheduled | Activation::Early)
                    if act < add(p, policy.jwks_cache_ttl) =>
                {
                    v(
                        2,
                        format!(
                            "{} signed at {act}, less than jwks_cache_ttl {} after it was published at {p}",
                            k.kid, policy.jwks_cache_ttl
                        ),
                    )
                }
                _ => {}
            }
        }
        if let (KeyState::Retired, Some(retired)) = (k.state, k.retired_at)
            && let Some(stopped) = k.stopped_at
        {
            let min = add(add(stopped, policy.max_token_lifetime), policy.clock_skew);
            if retired < min {
                v(
                    3,
                    format!(
                        "{} left the JWKS at {retired}, before {min} (stopped signing at {stopped})",
                        k.kid
                    ),
                );
            }
        }
        if k.state == KeyState::Retired && k.stopped_at.is_none() && k.activated_at.is_some() {
            v(3, format!("{} retired without ever stopping", k.kid));
        }
    }
    if let Some(doc) = published {
        let keys = doc.get("keys").and_then(Value::as_array);
        let Some(keys) = keys else {
            v(4, "the published JWKS has no \"keys\" array".into());
            return out;
        };
        for jwk in keys {
            if has_private_member(jwk) {
                v(
                    4,
                    format!(
                        "the published JWK {} holds a private member",
                        jwk.get("kid").unwrap_or(&Value::Null)
                    ),
                );
            }
        }
        for k in &ks.keys {
            if k.state == KeyState::Revoked || !k.has_signed() {
                continue;
            }
            let may_be_unexpired = match k.stopped_at {
                None => true,
                Some(stopped) => {
                    add(add(stopped, policy.max_token_lifetime), policy.clock_skew) > now
                }
            };
            let present = keys
                .iter()
                .any(|j| j.get("kid").and_then(Value::as_str) == Some(&k.kid));
            if may_be_unexpired && !present {
                v(
                    4,
                    format!(
                        "{} ({}) may have signed an unexpired token but is not in the published JWKS",
                        k.kid, k.state
                    ),
                );
            }
        }
    }
    out
}

/// Who makes a change, from where and with which command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub actor: String,
    pub host: String,
    pub pid: u32,
    pub command: String,
}

impl Meta {
    /// For simulations (`plan`'s timeline): never written anywhere.
    pub fn simulation() -> Meta {
        Meta {
            actor: "plan".into(),
            host: String::new(),
            pid: 0,
            command: "simulation".into(),
        }
    }
}

/// The journal entries for `changes` made together at `time`: one group,
/// numbered after the keyset's last entry.
pub fn entries(ks: &Keyset, changes: &[Change], time: Timestamp, meta: &Meta) -> Vec<Entry> {
    let group = ks.journal_seq + 1;
    changes
        .iter()
        .enumerate()
        .map(|(i, c)| Entry {
            seq: group + i as u64,
            group,
            group_size: changes.len() as u32,
            time,
            actor: meta.actor.clone(),
            host: meta.host.clone(),
            pid: meta.pid,
            command: meta.command.clone(),
            reason: c.reason.clone(),
            event: c.event,
            kid: c.kid.clone(),
            from: c.from,
            to: c.to,
            activation: c.activation,
            key: c.key.clone(),
        })
        .collect()
}
