//! `rotate-keys plan --tokens FILE…`: which real tokens a planned change
//! would invalidate, by signing kid and expiry.
//!
//! Pure: the command reads the files; here each token is parsed (never
//! kept or shown whole), its signature checked against the public key the
//! keystore records for its kid, and its expiry held against the changes
//! the plan holds: a key leaving the JWKS (retire, discard) at a time, or an
//! emergency revocation now (`--revoke`).

use jiff::Timestamp;
use serde::Serialize;

use super::keyset::{KeyState, Keyset, add};
use super::plan::Action;
use super::{IssuerConfig, Policy};
use crate::token::jwt;
use crate::token::keys::{self, KeySet, Lookup};

/// A token read from a file, with where it came from.
#[derive(Debug, Clone)]
pub struct TokenSource {
    /// `FILE` or `FILE:LINE` when a file holds several.
    pub source: String,
    pub token: String,
}

/// What happens to one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A planned change makes relying parties reject it before it expires.
    Invalidated,
    /// It stays verifiable until it expires.
    Unaffected,
    /// Expired already (exp + clock_skew ≤ now): no change matters.
    Expired,
    /// Its key is out of the JWKS already (retired or revoked).
    AlreadyInvalid,
    /// Its signature does not verify with the key its kid names.
    BadSignature,
    /// Not this issuer's (another `iss`, or a kid it never had).
    OtherIssuer,
    /// Not a signed JWT.
    Unreadable,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenImpact {
    pub source: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<Timestamp>,
    /// The state of its signing key now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_state: Option<KeyState>,
    /// When it stops verifying, if a planned change ends it before its exp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalidated_at: Option<Timestamp>,
    /// The change that does it: `retire KID`, `emergency --revoke KID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub why: String,
}

fn ts(v: Option<&serde_json::Value>) -> Option<Timestamp> {
    v.and_then(serde_json::Value::as_i64)
        .and_then(|s| Timestamp::from_second(s).ok())
}

/// A token of none of the issuers planned, and why.
#[derive(Debug, Clone, Serialize)]
pub struct OtherToken {
    pub source: String,
    pub why: String,
}

/// Why a token belongs to no issuer in `urls`.
pub fn why_other(token: &TokenSource) -> String {
    match jwt::parse(token.token.trim()) {
        Err(e) => format!("not a signed JWT: {e}"),
        Ok(jws) => match jws.claims.get("iss").and_then(serde_json::Value::as_str) {
            Some(iss) => format!("its iss {iss} is none of the issuers planned"),
            None => "no iss, and its kid is no key of the issuers planned".into(),
        },
    }
}

/// Whether `token` is one of this issuer's: its `iss` is the issuer URL, or
/// (without `iss`) its kid is one of the issuer's keys.
pub fn belongs(cfg: &IssuerConfig, ks: Option<&Keyset>, token: &TokenSource) -> bool {
    let Ok(jws) = jwt::parse(token.token.trim()) else {
        return false;
    };
    match jws.claims.get("iss").and_then(serde_json::Value::as_str) {
        Some(iss) => iss == cfg.url,
        None => jws
            .header
            .kid
            .as_deref()
            .is_some_and(|kid| ks.is_some_and(|ks| ks.key(kid).is_some())),
    }
}

/// The impact on each token of the changes `events` (time, action; the
/// plan's now-actions and timeline) and, with `revoke`, of revoking that
/// kid now.
pub fn impacts(
    issuer: &str,
    ks: &Keyset,
    policy: &Policy,
    now: Timestamp,
    events: &[(Timestamp, Action)],
    revoke: Option<&str>,
    tokens: &[TokenSource],
) -> Vec<TokenImpact> {
    tokens
        .iter()
        .map(|t| impact(issuer, ks, policy, now, events, revoke, t))
        .collect()
}

fn impact(
    issuer: &str,
    ks: &Keyset,
    policy: &Policy,
    now: Timestamp,
    events: &[(Timestamp, Action)],
    revoke: Option<&str>,
    t: &TokenSource,
) -> TokenImpact {
    let mut out = TokenImpact {
        source: t.source.clone(),
        verdict: Verdict::Unreadable,
        kid: None,
        alg: None,
        sub: None,
        exp: None,
        key_state: None,
        invalidated_at: None,
        by: None,
        why: String::new(),
    };
    let jws = match jwt::parse(t.token.trim()) {
        Ok(j) => j,
        Err(e) => {
            out.why = format!("not a signed JWT: {e}");
            return out;
        }
    };
    out.kid = jws.header.kid.clone();
    out.alg = Some(jws.header.alg.clone());
    out.sub = jws
        .claims
        .get("sub")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    out.exp = ts(jws.claims.get("exp"));
    let Some(kid) = out.kid.clone() else {
        out.verdict = Verdict::OtherIssuer;
        out.why = format!("it names no kid; every key of issuer {issuer} has one");
        return out;
    };
    let Some(key) = ks.key(&kid) else {
        out.verdict = Verdict::OtherIssuer;
        out.why = format!("issuer {issuer} never had a key {kid}");
        return out;
    };
    out.key_state = Some(key.state);
    // The signature, against the public key the keystore records.
    let genuine = serde_json::to_vec(&key.public_jwk)
        .ok()
        .and_then(|bytes| KeySet::from_jwk_json(&bytes, &kid).ok())
        .is_some_and(|set| match set.find(Some(&kid), &jws.header.alg) {
            Lookup::Found(k) => keys::alg_allowed(k, &jws.header.alg).is_ok_and(|alg| {
                keys::verify_signature(k, alg, jws.signing_input.as_bytes(), &jws.signature)
            }),
            _ => false,
        });
    if !genuine {
        out.verdict = Verdict::BadSignature;
        out.why = format!(
            "its signature does not verify with {kid}'s public key: forged or damaged; relying parties reject it already"
        );
        return out;
    }
    // Still accepted until exp + clock_skew.
    let accepted_until = out.exp.map(|e| add(e, policy.clock_skew));
    if accepted_until.is_some_and(|u| u <= now) {
        out.verdict = Verdict::Expired;
        out.why = "expired: no change affects it".into();
        return out;
    }
    if matches!(key.state, KeyState::Retired | KeyState::Revoked) {
        out.verdict = Verdict::AlreadyInvalid;
        out.why = format!(
            "{kid} is {} and out of the JWKS: relying parties that fetched it since reject this token",
            key.state
        );
        return out;
    }
    let outlives = |at: Timestamp| accepted_until.is_none_or(|u| u > at);
    if revoke == Some(kid.as_str()) {
        out.verdict = Verdict::Invalidated;
        out.invalidated_at = Some(now);
        out.by = Some(format!("emergency --revoke {kid}"));
        out.why = format!(
            "revoking {kid} now ends it{}; relying parties with a cached JWKS accept it until {}",
            out.exp
                .map(|e| format!(" before its exp {e}"))
                .unwrap_or_default(),
            add(now, policy.jwks_cache_ttl)
        );
        return out;
    }
    let leaves = events.iter().find(
        |(_, a)| matches!(a, Action::Retire { kid: k } | Action::Discard { kid: k } if *k == kid),
    );
    match leaves {
        Some((at, action)) if outlives(*at) => {
            out.verdict = Verdict::Invalidated;
            out.invalidated_at = Some((*at).max(now));
            out.by = Some(format!("{} {kid}", action.name()));
            out.why = match out.exp {
                None => format!("it has no exp, and {kid} leaves the JWKS at {at}"),
                Some(e) => format!(
                    "its exp {e} is later than max_token_lifetime {} allows, so it outlives {kid}, which leaves the JWKS at {at}",
                    policy.max_token_lifetime
                ),
            };
        }
        Some((at, _)) => {
            out.verdict = Verdict::Unaffected;
            out.why = format!("it expires before {kid} leaves the JWKS at {at}");
        }
        None => {
            out.verdict = Verdict::Unaffected;
            out.why = format!("{kid} stays published within the plan's horizon");
        }
    }
    out
}

/// Splits a file's text into tokens: one per non-empty line (a `Bearer `
/// prefix is dropped). A single token is named by the file alone.
pub fn split(name: &str, text: &str) -> Vec<TokenSource> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, crate::token::input::strip_bearer(l.trim())))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let single = lines.len() == 1;
    lines
        .into_iter()
        .map(|(n, l)| TokenSource {
            source: if single {
                name.to_owned()
            } else {
                format!("{name}:{n}")
            },
            token: l.to_owned(),
        })
        .collect()
}
