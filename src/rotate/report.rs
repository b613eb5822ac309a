//! The documents rotate-keys commands report: data for output/ to render.

use jiff::Timestamp;
use serde::Serialize;

use super::engine::{Inspection, Performed, Revocation};
use super::keyset::{Activation, Entry, KeyRecord, KeyState, Keyset, PrivateKey, add};
use super::plan::{self, Action, Due, Invalidates, TimelineEvent};
use super::store::Holder;
use super::tokens::{OtherToken, TokenImpact, TokenSource};
use super::{IssuerConfig, Policy, alg_name};
use crate::duration::Duration;

pub const SCHEMA_VERSION: u32 = 1;

/// `rotate-keys status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub now: Timestamp,
    pub issuers: Vec<IssuerStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuerStatus {
    pub name: String,
    pub issuer: String,
    pub policy: Policy,
    pub keystore: String,
    pub published_to: String,
    pub initialised: bool,
    pub keys: Vec<KeyStatus>,
    /// The next transition and when it is due (at or before `now`: due now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Due>,
    /// What is wrong and what the next run does about it.
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_held_by: Option<Holder>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyStatus {
    pub kid: String,
    pub alg: &'static str,
    pub state: KeyState,
    /// Seconds since it was generated.
    pub age_seconds: i64,
    pub age: String,
    pub created_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    pub private_key: PrivateKey,
    pub thumbprint: String,
}

/// "3d 4h", "12m", "40s": the two largest units.
pub fn human_span(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    let text = if d > 0 {
        if h > 0 {
            format!("{d}d {h}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}h {m}m")
        } else {
            format!("{h}h")
        }
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{sec}s")
    };
    if secs < 0 { format!("-{text}") } else { text }
}

pub fn key_status(k: &KeyRecord, now: Timestamp) -> KeyStatus {
    let age = now.as_second() - k.created_at.as_second();
    KeyStatus {
        kid: k.kid.clone(),
        alg: alg_name(k.alg),
        state: k.state,
        age_seconds: age,
        age: human_span(age),
        created_at: k.created_at,
        published_at: k.published_at,
        activated_at: k.activated_at,
        activation: k.activation,
        stopped_at: k.stopped_at,
        retired_at: k.retired_at,
        revoked_at: k.revoked_at,
        revoke_reason: k.revoke_reason.clone(),
        private_key: k.private_key,
        thumbprint: k.thumbprint.clone(),
    }
}

/// Keys in the order operators read them: the signing key first, then its
/// successor, the retiring ones, then history (newest first).
pub fn ordered(ks: &Keyset) -> Vec<&KeyRecord> {
    let rank = |s: KeyState| match s {
        KeyState::Active => 0,
        KeyState::Pending => 1,
        KeyState::Retiring => 2,
        KeyState::Revoked => 3,
        KeyState::Retired => 4,
    };
    let mut keys: Vec<&KeyRecord> = ks.keys.iter().collect();
    keys.sort_by(|a, b| {
        rank(a.state)
            .cmp(&rank(b.state))
            .then(b.created_at.cmp(&a.created_at))
    });
    keys
}

pub fn issuer_status(cfg: &IssuerConfig, ins: &Inspection, now: Timestamp) -> IssuerStatus {
    let (keys, next) = match &ins.keyset {
        Some(ks) => (
            ordered(ks)
                .into_iter()
                .map(|k| key_status(k, now))
                .collect(),
            plan::schedule(ks, &cfg.policy, now).into_iter().next(),
        ),
        None => (Vec::new(), None),
    };
    let mut notes = ins.notes.clone();
    if ins.keyset.is_none() {
        notes.push(format!(
            "not initialised: run `agentid rotate-keys init --issuer {}`",
            cfg.name
        ));
    }
    IssuerStatus {
        name: cfg.name.clone(),
        issuer: cfg.url.clone(),
        policy: cfg.policy,
        keystore: cfg.state_dir.display().to_string(),
        published_to: cfg.publish.describe(),
        initialised: ins.keyset.is_some(),
        keys,
        next,
        problems: ins.problems.clone(),
        notes,
        lock_held_by: ins.lock_holder.clone(),
    }
}

/// `rotate-keys plan`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub now: Timestamp,
    pub issuers: Vec<IssuerPlan>,
    /// `--tokens` that belong to none of the issuers planned (by `iss`, or
    /// by kid without one): their sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_tokens: Vec<OtherToken>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuerPlan {
    pub name: String,
    pub initialised: bool,
    pub policy: Policy,
    /// What `run` would do now, in order, and why.
    pub now_actions: Vec<PlannedAction>,
    /// The transitions after that, if nothing else changes.
    pub timeline: Vec<TimelineEvent>,
    /// With `--revoke KID`: what an emergency revocation now would do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<RevokePreview>,
    /// With `--tokens`: what the plan does to each of the issuer's tokens.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<TokenImpact>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedAction {
    #[serde(flatten)]
    pub action: Action,
    pub at: Timestamp,
    pub why: String,
    /// Tokens this change makes invalid, when it takes a key out of the JWKS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalidates: Option<Invalidates>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevokePreview {
    pub kid: String,
    pub state: KeyState,
    pub invalidates: Invalidates,
    /// Relying parties that cached the JWKS trust the key until this time.
    pub cached_until: Timestamp,
    /// The key that would sign instead (when the active key is revoked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

/// How far ahead `plan` looks by default: two rotation periods.
pub fn default_horizon(policy: &Policy) -> Duration {
    Duration::from_secs(policy.rotation_period.as_secs() * 2 + policy.retire_after().as_secs())
}

pub fn issuer_plan(
    cfg: &IssuerConfig,
    ins: &Inspection,
    now: Timestamp,
    horizon: Duration,
    rotate_now: bool,
    revoke: Option<&str>,
    tokens: &[TokenSource],
) -> Result<IssuerPlan, super::RotateError> {
    let policy = &cfg.policy;
    let Some(ks) = &ins.keyset else {
        return Ok(IssuerPlan {
            name: cfg.name.clone(),
            initialised: false,
            policy: *policy,
            now_actions: Vec::new(),
            timeline: Vec::new(),
            revoke: None,
            tokens: Vec::new(),
            problems: vec![format!(
                "not initialised: `agentid rotate-keys init --issuer {}` generates the first key (active at once) and its successor",
                cfg.name
            )],
        });
    };
    let mut sim = ks.clone();
    if rotate_now && sim.rotation_requested_at.is_none() {
        sim.rotation_requested_at = Some(now);
    }
    let events = plan::timeline(&sim, policy, now, add(now, horizon), 40);
    let changes: Vec<(Timestamp, Action)> =
        events.iter().map(|e| (e.at, e.action.clone())).collect();
    let tokens = super::tokens::impacts(&cfg.name, ks, policy, now, &changes, revoke, tokens);
    let (due_now, later): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.at <= now);
    let now_actions = due_now
        .into_iter()
        .map(|e| {
            let invalidates = match &e.action {
                Action::Retire { kid } | Action::Discard { kid } => {
                    ks.key(kid).map(|k| plan::invalidates(k, policy, now))
                }
                _ => None,
            };
            PlannedAction {
                action: e.action,
                at: e.at,
                why: e.why,
                invalidates,
            }
        })
        .collect();
    let revoke = match revoke {
        None => None,
        Some(kid) => {
            let k = ks
                .key(kid)
                .ok_or_else(|| super::engine::unknown_kid(ks, kid, &cfg.name))?;
            Some(RevokePreview {
                kid: kid.into(),
                state: k.state,
                invalidates: plan::invalidates(k, policy, now),
                cached_until: add(now, policy.jwks_cache_ttl),
                replacement: (k.state == KeyState::Active).then(|| {
                    ks.pending()
                        .map_or_else(|| "(a new key)".to_string(), |p| p.kid.clone())
                }),
            })
        }
    };
    Ok(IssuerPlan {
        name: cfg.name.clone(),
        initialised: true,
        policy: *policy,
        now_actions,
        timeline: later,
        revoke,
        tokens,
        problems: ins.problems.clone(),
    })
}

/// `rotate-keys run` and `init`.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub now: Timestamp,
    pub issuers: Vec<IssuerRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuerRun {
    pub name: String,
    pub performed: Vec<Performed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Due>,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub fn issuer_run(
    cfg: &IssuerConfig,
    ks: &Keyset,
    performed: Vec<Performed>,
    notes: Vec<String>,
    now: Timestamp,
) -> IssuerRun {
    IssuerRun {
        name: cfg.name.clone(),
        performed,
        active: ks.active().map(|k| k.kid.clone()),
        pending: ks.pending().map(|k| k.kid.clone()),
        next: plan::schedule(ks, &cfg.policy, now).into_iter().next(),
        notes,
        error: None,
    }
}

/// `rotate-keys emergency`.
#[derive(Debug, Clone, Serialize)]
pub struct EmergencyReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub now: Timestamp,
    pub issuer: String,
    pub revoked: String,
    pub was: KeyState,
    pub already_revoked: bool,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    pub invalidates: Invalidates,
    /// Relying parties that cached the JWKS trust the revoked key until then.
    pub cached_until: Timestamp,
    /// The impact, in plain words.
    pub impact: Vec<String>,
    pub next_steps: Vec<String>,
    pub performed: Vec<Performed>,
}

pub fn emergency_report(
    cfg: &IssuerConfig,
    r: &Revocation,
    ks: &Keyset,
    reason: &str,
    performed: Vec<Performed>,
    now: Timestamp,
) -> EmergencyReport {
    let p = &cfg.policy;
    let cached_until = add(now, p.jwks_cache_ttl);
    let mut impact = Vec::new();
    if r.already {
        impact.push(format!("{} was revoked already; nothing changed.", r.kid));
    } else {
        impact.push(format!(
            "{} (was {}) is out of the JWKS published at {} as of {now}, and its private key is destroyed.",
            r.kid,
            r.was,
            cfg.publish.describe()
        ));
        match (r.invalidates.signed_from, r.invalidates.unexpired_until) {
            (None, _) => impact
                .push("It never signed a token, so no token becomes invalid.".to_string()),
            (Some(from), Some(until)) => impact.push(format!(
                "Tokens signed by {} (from {from} on) are invalid from now on wherever the JWKS is fetched fresh; without the revocation the last of them would have been accepted until {until}.",
                r.kid
            )),
            (Some(from), None) => impact.push(format!(
                "Every token {} signed (from {from}) had expired already; only forged ones are stopped.",
                r.kid
            )),
        }
        if r.was != KeyState::Retired {
            impact.push(format!(
                "Relying parties that cached the JWKS keep trusting {} until their cache expires: by {cached_until} (jwks_cache_ttl {}). Whoever holds the leaked key can mint tokens they accept until then.",
                r.kid, p.jwks_cache_ttl
            ));
        }
        if let Some(n) = &r.replacement {
            let published = n.published_at.unwrap_or(now);
            let visible = add(published, p.jwks_cache_ttl);
            impact.push(format!(
                "New tokens are signed by {} from now on (published since {published}).",
                n.kid
            ));
            if visible > now {
                impact.push(format!(
                    "{} was published less than jwks_cache_ttl ago: relying parties whose cached JWKS predates {published} reject its tokens until their cache expires, by {visible}.",
                    n.kid
                ));
            }
        }
    }
    let mut next_steps = vec![
        format!(
            "Check that relying parties see the new JWKS: `agentid rotate-keys jwks --issuer {}` shows what is published; fetch it from where they do (`curl <URL>`, or `agentid rotate-keys run --issuer {} --check-published <URL>`).",
            cfg.name, cfg.name
        ),
        format!(
            "Where a relying party caches the JWKS longer than {} or pins keys, make it refetch now.",
            p.jwks_cache_ttl
        ),
        format!(
            "Find how the key leaked: `agentid scan-secrets` over the hosts, images and repositories that held {}.",
            cfg.state_dir.display()
        ),
        "Revoke sessions and refresh tokens that were issued on the strength of tokens from the leaked key.".into(),
        format!(
            "Review what happened: `agentid rotate-keys log --issuer {}`.",
            cfg.name
        ),
    ];
    if r.already {
        next_steps.truncate(1);
    }
    EmergencyReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.emergency",
        now,
        issuer: cfg.name.clone(),
        revoked: r.kid.clone(),
        was: r.was,
        already_revoked: r.already,
        reason: reason.into(),
        active: ks.active().map(|k| k.kid.clone()),
        invalidates: r.invalidates.clone(),
        cached_until,
        impact,
        next_steps,
        performed,
    }
}

/// `rotate-keys log`.
#[derive(Debug, Clone, Serialize)]
pub struct LogReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub issuer: String,
    pub entries: Vec<Entry>,
}
