//! Before sending: the subject token decoded and checked, each check a named
//! pass/warn/fail line. Expiry, the audience the protocol needs, whether the
//! issuer is reachable and its JWKS holds the token's kid, and, with an
//! agent from the registry, whether the request stays within its
//! `may_request` and the token within its `trust`.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value};

use super::SubjectToken;
use crate::inventory::pattern::SubjectPattern;
use crate::registry::Agent;
use crate::token::claims;
use crate::token::keys::Lookup;
use crate::token::keysource::Resolver;

/// A token expiring sooner than this gets a warning: it may be gone by the
/// time the server reads it.
pub const EXPIRY_MARGIN_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreflightCheck {
    pub name: String,
    pub result: Verdict,
    pub detail: String,
}

fn check(name: &str, result: Verdict, detail: impl Into<String>) -> PreflightCheck {
    PreflightCheck {
        name: name.to_string(),
        result,
        detail: detail.into(),
    }
}

/// The audience a protocol needs in the subject token.
#[derive(Debug, Clone)]
pub enum AudienceRule {
    /// No rule (the server decides).
    Any,
    /// One of these must be in `aud`; `fail` says whether a miss is certain
    /// refusal or only likely.
    OneOf {
        values: Vec<String>,
        why: String,
        fail: bool,
    },
}

/// What the request asks for, held against the agent's `may_request`.
#[derive(Debug, Clone, Default)]
pub struct Requested {
    pub audiences: Vec<String>,
    pub scopes: Vec<String>,
    pub lifetime_secs: Option<u64>,
}

pub struct Input<'a> {
    pub subject: &'a SubjectToken,
    pub audience: AudienceRule,
    pub requested: Requested,
    pub agent: Option<&'a Agent>,
    /// Agent checks fail (and block the request) instead of warning.
    pub enforce: bool,
    pub now: Timestamp,
}

/// The token-only checks (no network).
pub fn token_checks(input: &Input) -> Vec<PreflightCheck> {
    let mut out = Vec::new();
    let Some(c) = input.subject.claims() else {
        out.push(check(
            "subject.format",
            Verdict::Warn,
            "not a JWT (opaque token): its expiry, audience and issuer cannot be checked here",
        ));
        return out;
    };
    out.push(expiry(&c, input.now));
    out.push(audience(&c, &input.audience));
    if let Some(agent) = input.agent {
        out.extend(agent_checks(&c, agent, &input.requested, input.enforce));
    }
    out
}

fn expiry(c: &Map<String, Value>, now: Timestamp) -> PreflightCheck {
    let name = "subject.expiry";
    match c.get("exp").and_then(Value::as_i64) {
        None => check(
            name,
            Verdict::Warn,
            "no exp: servers refuse tokens that never expire",
        ),
        Some(exp) => {
            let left = exp - now.as_second();
            let at = Timestamp::from_second(exp)
                .map(|t| t.to_string())
                .unwrap_or_default();
            if left <= 0 {
                check(
                    name,
                    Verdict::Fail,
                    format!(
                        "expired {at} ({} ago): get a fresh token",
                        crate::duration::humanize_secs(-left)
                    ),
                )
            } else if left < EXPIRY_MARGIN_SECS {
                check(
                    name,
                    Verdict::Warn,
                    format!("expires {at}, in {left}s: about to expire"),
                )
            } else {
                check(
                    name,
                    Verdict::Pass,
                    format!("expires {at} (in {})", crate::duration::humanize_secs(left)),
                )
            }
        }
    }
}

fn audience(c: &Map<String, Value>, rule: &AudienceRule) -> PreflightCheck {
    let name = "subject.audience";
    let auds = claims::audiences(c).unwrap_or_default();
    match rule {
        AudienceRule::Any => check(
            name,
            Verdict::Pass,
            if auds.is_empty() {
                "no aud (the server decides)".to_string()
            } else {
                format!("aud {} (the server decides)", auds.join(", "))
            },
        ),
        AudienceRule::OneOf { values, why, fail } => {
            if auds.iter().any(|a| values.contains(a)) {
                check(
                    name,
                    Verdict::Pass,
                    format!("aud {} ({why})", auds.join(", ")),
                )
            } else {
                check(
                    name,
                    if *fail { Verdict::Fail } else { Verdict::Warn },
                    format!(
                        "aud is {}, but {why}: expected {}",
                        if auds.is_empty() {
                            "missing".to_string()
                        } else {
                            auds.join(", ")
                        },
                        values.join(" or ")
                    ),
                )
            }
        }
    }
}

fn agent_checks(
    c: &Map<String, Value>,
    agent: &Agent,
    req: &Requested,
    enforce: bool,
) -> Vec<PreflightCheck> {
    let miss = if enforce {
        Verdict::Fail
    } else {
        Verdict::Warn
    };
    let mut out = Vec::new();
    let iss = claims::string_claim(c, "iss").ok().flatten().unwrap_or("");
    let sub = claims::string_claim(c, "sub").ok().flatten().unwrap_or("");
    let rule = agent.trust.iter().find(|t| {
        t.issuer == iss && SubjectPattern::new(&t.subject).is_some_and(|p| p.is_match(sub))
    });
    out.push(match rule {
        Some(r) => check(
            "agent.trust",
            Verdict::Pass,
            format!(
                "iss {iss} and sub {sub:?} match agent {}'s trust rule {:?}",
                agent.name, r.subject
            ),
        ),
        None => check(
            "agent.trust",
            miss,
            format!(
                "iss {iss} / sub {sub:?} match none of agent {}'s trust rules ({})",
                agent.name,
                if agent.trust.is_empty() {
                    "it declares none".to_string()
                } else {
                    agent
                        .trust
                        .iter()
                        .map(|t| format!("{} {:?}", t.issuer, t.subject))
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            ),
        ),
    });
    let may = agent.may_request.clone().unwrap_or_default();
    let outside = |asked: &[String], allowed: &[String]| -> Vec<String> {
        asked
            .iter()
            .filter(|a| !allowed.contains(a))
            .cloned()
            .collect()
    };
    if !req.audiences.is_empty() {
        let o = outside(&req.audiences, &may.audiences);
        out.push(if o.is_empty() {
            check(
                "agent.audience",
                Verdict::Pass,
                format!("{} within may_request.audiences", req.audiences.join(", ")),
            )
        } else {
            check(
                "agent.audience",
                miss,
                format!(
                    "{} not in agent {}'s may_request.audiences [{}]",
                    o.join(", "),
                    agent.name,
                    may.audiences.join(", ")
                ),
            )
        });
    }
    if !req.scopes.is_empty() {
        let o = outside(&req.scopes, &may.scopes);
        out.push(if o.is_empty() {
            check(
                "agent.scope",
                Verdict::Pass,
                format!("{} within may_request.scopes", req.scopes.join(" ")),
            )
        } else {
            check(
                "agent.scope",
                miss,
                format!(
                    "{} not in agent {}'s may_request.scopes [{}]",
                    o.join(" "),
                    agent.name,
                    may.scopes.join(" ")
                ),
            )
        });
    }
    if let (Some(asked), Some(max)) = (req.lifetime_secs, may.max_token_lifetime) {
        out.push(if asked <= max.as_secs() {
            check(
                "agent.lifetime",
                Verdict::Pass,
                format!(
                    "{} within may_request.max_token_lifetime {max}",
                    crate::duration::humanize_secs(asked as i64)
                ),
            )
        } else {
            check(
                "agent.lifetime",
                miss,
                format!(
                    "{} is longer than agent {}'s may_request.max_token_lifetime {max}",
                    crate::duration::humanize_secs(asked as i64),
                    agent.name
                ),
            )
        });
    }
    out
}

/// Is the token's issuer reachable, and does its JWKS hold the token's kid?
/// (What a server fetches to verify the token.) Never an error: a line.
pub async fn issuer_check(subject: &SubjectToken, now: Timestamp) -> Option<PreflightCheck> {
    let name = "subject.issuer";
    let jws = crate::token::jwt::parse(subject.token.expose()).ok()?;
    let iss = claims::string_claim(&jws.claims, "iss")
        .ok()
        .flatten()?
        .to_string();
    if let Err(why) = crate::urls::require_https_or_loopback(&iss) {
        return Some(check(
            name,
            Verdict::Warn,
            format!("issuer {iss} is not fetchable: {why}"),
        ));
    }
    let mut resolver = Resolver::new(None, false, now);
    let resolved = match resolver.from_issuer(&iss).await {
        Ok(r) => r,
        Err(e) => {
            return Some(check(
                name,
                Verdict::Fail,
                format!("issuer {iss} is not reachable or has no usable JWKS: {e}"),
            ));
        }
    };
    let kid = jws.header.kid.as_deref();
    Some(match resolved.keys.find(kid, &jws.header.alg) {
        Lookup::Found(_) | Lookup::Several(_) => check(
            name,
            Verdict::Pass,
            format!(
                "issuer {iss} reachable; its JWKS holds kid {}",
                kid.unwrap_or("(none)")
            ),
        ),
        Lookup::KidUnknown { kid } => check(
            name,
            Verdict::Fail,
            format!(
                "issuer {iss}'s JWKS has no key with kid {kid}: the server cannot verify the token (rotated or foreign key)"
            ),
        ),
        Lookup::KidSkipped { kid, reason } => check(
            name,
            Verdict::Fail,
            format!("issuer {iss}'s key {kid} is unusable: {reason}"),
        ),
        Lookup::NoKeyForAlg { alg, reason } => check(
            name,
            Verdict::Fail,
            format!("issuer {iss}'s JWKS has no key for {alg}: {reason}"),
        ),
    })
}

/// True when the checks say not to send (any fail with --enforce).
pub fn blocks(checks: &[PreflightCheck], enforce: bool) -> bool {
    enforce && checks.iter().any(|c| c.result == Verdict::Fail)
}
