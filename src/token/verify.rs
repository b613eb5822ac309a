//! Is a token genuine, current and meant for us? Each check is reported by
//! name with its outcome and reason, and a failed verification carries one
//! line on its most likely cause.
//!
//! Pure: the keys have already been resolved (keysource.rs) and `now` is given.

use std::borrow::Cow;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::claims;
use super::jwt::Jws;
use super::keys::{self, KeySet, Lookup, VerificationKey};
use jsonwebtoken::Algorithm;

/// What a check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// Not asked for, or not applicable (no expected audience given, …).
    Skip,
}

/// One named check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Almost always a fixed name (`exp`, `signature`): no allocation per
    /// token in a batch of a million.
    pub name: Cow<'static, str>,
    pub outcome: Outcome,
    pub detail: String,
}

impl Check {
    pub fn pass(name: impl Into<Cow<'static, str>>, detail: String) -> Self {
        Check {
            name: name.into(),
            outcome: Outcome::Pass,
            detail,
        }
    }
    pub fn fail(name: impl Into<Cow<'static, str>>, detail: String) -> Self {
        Check {
            name: name.into(),
            outcome: Outcome::Fail,
            detail,
        }
    }
    pub fn skip(name: impl Into<Cow<'static, str>>, detail: String) -> Self {
        Check {
            name: name.into(),
            outcome: Outcome::Skip,
            detail,
        }
    }
}

/// A `--require-claim NAME[=VALUE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredClaim {
    pub name: String,
    pub value: Option<String>,
}

impl std::str::FromStr for RequiredClaim {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, value) = match s.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (s, None),
        };
        if name.is_empty() {
            return Err(format!("expected NAME or NAME=VALUE, got {s:?}"));
        }
        Ok(RequiredClaim {
            name: name.to_string(),
            value,
        })
    }
}

/// What the token is checked against.
#[derive(Debug, Clone)]
pub struct Expectations {
    pub now: Timestamp,
    pub clock_skew_secs: i64,
    /// `iss` must equal this exactly.
    pub issuer: Option<String>,
    /// `aud` must contain at least one of these.
    pub audiences: Vec<String>,
    pub require_claims: Vec<RequiredClaim>,
    /// `typ` header, compared case-insensitively with or without `application/`.
    pub typ: Option<String>,
}

/// How the keys were found, for explanations.
#[derive(Debug, Clone, Default)]
pub struct KeyContext {
    /// `JWKS https://…/jwks`, `key file k.pem`.
    pub origin: String,
    /// The JWKS was fetched again after an unknown kid, and the kid is still unknown.
    pub refetched: bool,
}

/// The result of the standard checks (contract checks are appended by the caller).
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub checks: Vec<Check>,
    /// The key that verified the signature: kid and RFC 7638 thumbprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyUsed>,
    /// Why the key was refused for this alg ([`keys::AlgRefusal::code`]),
    /// when a key was found but refused.
    #[serde(skip)]
    pub refusal: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyUsed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    pub alg: String,
    pub thumbprint: String,
    pub origin: String,
}

/// Header parameters RFC 7515 defines that this verifier understands; a
/// `crit` naming anything else must be refused (RFC 7515 §4.1.11).
const UNDERSTOOD_CRIT: &[&str] = &[];

/// Runs every standard check. A check that cannot run because an earlier one
/// failed (no key, so no signature) is reported as failed with that reason.
pub fn verify_token(jws: &Jws, keys: &KeySet, ctx: &KeyContext, exp: &Expectations) -> Verdict {
    let mut checks = Vec::new();
    let mut key_used = None;
    let mut refusal = None;
    let alg = jws.header.alg.as_str();

    // Algorithm and key.
    let mut candidates: Vec<(&VerificationKey, Algorithm)> = Vec::new();
    if let Err(why) = keys::parse_alg(alg) {
        refusal = Some(why.code());
        checks.push(Check::fail("alg", why.to_string()));
    } else {
        match keys.find(jws.header.kid.as_deref(), alg) {
            Lookup::Found(k) => match keys::alg_allowed(k, alg) {
                Ok(a) => candidates.push((k, a)),
                Err(why) => {
                    refusal = Some(why.code());
                    checks.push(Check::fail("alg", why.to_string()));
                }
            },
            Lookup::Several(ks) => candidates.extend(
                ks.into_iter()
                    .filter_map(|k| keys::alg_allowed(k, alg).ok().map(|a| (k, a))),
            ),
            other => checks.push(Check::fail("alg", lookup_failure(&other, ctx))),
        }
        if let [(k, _), ..] = candidates.as_slice() {
            checks.push(Check::pass(
                "alg",
                if candidates.len() == 1 {
                    format!("{alg} fits the {}", k.describe())
                } else {
                    format!(
                        "{alg}: the token names no kid; {} keys fit",
                        candidates.len()
                    )
                },
            ));
        }
    }

    // Header parameters.
    checks.push(header_check(jws));

    // Signature: the first fitting key that verifies it.
    if candidates.is_empty() {
        checks.push(Check::fail(
            "signature",
            "not checked: no usable key (see alg)".to_string(),
        ));
    } else {
        let good = candidates.iter().find(|(k, a)| {
            keys::verify_signature(k, *a, jws.signing_input.as_bytes(), &jws.signature)
        });
        match good {
            Some((k, _)) => {
                checks.push(Check::pass(
                    "signature",
                    format!("verified with the {}", key_and_origin(k, ctx)),
                ));
                key_used = Some(KeyUsed {
                    kid: k.kid.clone(),
                    alg: alg.to_string(),
                    thumbprint: k.thumbprint.clone(),
                    origin: ctx.origin.clone(),
                });
            }
            None => checks.push(Check::fail(
                "signature",
                match candidates.as_slice() {
                    [(k, _)] => format!("does not verify with the {}", key_and_origin(k, ctx)),
                    many => format!(
                        "verifies with none of the {} fitting keys in {}",
                        many.len(),
                        ctx.origin
                    ),
                },
            )),
        }
    }

    checks.extend(time_checks(jws, exp));
    checks.push(issuer_check(jws, exp));
    checks.push(audience_check(jws, exp));
    if let Some(want) = &exp.typ {
        checks.push(typ_check(jws, want));
    }
    for rc in &exp.require_claims {
        checks.push(required_claim_check(jws, rc));
    }
    Verdict {
        checks,
        key: key_used,
        refusal,
    }
}

/// `EC P-256 key (kid "a") from JWKS https://…`; a key without a kid
/// already names its file.
fn key_and_origin(k: &VerificationKey, ctx: &KeyContext) -> String {
    if k.kid.is_some() {
        format!("{} from {}", k.describe(), ctx.origin)
    } else {
        k.describe()
    }
}

fn lookup_failure(l: &Lookup, ctx: &KeyContext) -> String {
    match l {
        Lookup::KidUnknown { kid } if ctx.refetched => {
            format!(
                "no key with kid {kid:?} in {} (fetched again just now)",
                ctx.origin
            )
        }
        Lookup::KidUnknown { kid } => format!("no key with kid {kid:?} in {}", ctx.origin),
        Lookup::KidSkipped { kid, reason } => {
            format!("kid {kid:?} in {} is unusable: {reason}", ctx.origin)
        }
        Lookup::NoKeyForAlg { reason, .. } => format!("{} ({})", reason, ctx.origin),
        Lookup::Found(_) | Lookup::Several(_) => String::new(),
    }
}

fn header_check(jws: &Jws) -> Check {
    let h = &jws.header;
    if let Some(crit) = &h.crit {
        let unknown: Vec<&str> = crit
            .iter()
            .map(String::as_str)
            .filter(|c| !UNDERSTOOD_CRIT.contains(c))
            .collect();
        if !unknown.is_empty() {
            return Check::fail(
                "header",
                format!(
                    "crit names {} which agentid does not understand (RFC 7515 §4.1.11: must reject)",
                    unknown.join(", ")
                ),
            );
        }
    }
    let mut named = Vec::new();
    if h.jku.is_some() {
        named.push("jku");
    }
    if h.x5u.is_some() {
        named.push("x5u");
    }
    if h.jwk.is_some() {
        named.push("jwk");
    }
    if h.x5c {
        named.push("x5c");
    }
    if named.is_empty() {
        Check::pass(
            "header",
            "no crit extensions, no embedded key references".to_string(),
        )
    } else {
        // Not a failure in itself: the key comes from what we trust, never
        // from the token, so the signature check decides.
        Check::pass(
            "header",
            format!(
                "names its own key ({}); ignored: keys come only from the trusted source",
                named.join(", ")
            ),
        )
    }
}

fn time_checks(jws: &Jws, exp: &Expectations) -> Vec<Check> {
    let now = exp.now.as_second();
    let skew = exp.clock_skew_secs;
    let c = &jws.claims;
    let mut out = Vec::new();
    let human = crate::duration::humanize_secs;
    match claims::numeric_date(c, "exp") {
        Err(e) => out.push(Check::fail("exp", e.to_string())),
        Ok(None) => out.push(Check::fail(
            "exp",
            "missing: a token without exp never expires and is refused".to_string(),
        )),
        Ok(Some(t)) => {
            let delta = t.as_second() - now;
            out.push(if delta + skew > 0 {
                Check::pass("exp", format!("{} ({t})", claims::relative("exp", delta)))
            } else {
                Check::fail(
                    "exp",
                    format!(
                        "{} ({t}), beyond the {} clock skew allowed",
                        claims::relative("exp", delta),
                        human(skew)
                    ),
                )
            });
        }
    }
    for name in ["nbf", "iat"] {
        match claims::numeric_date(c, name) {
            Err(e) => out.push(Check::fail(name, e.to_string())),
            Ok(None) => out.push(Check::skip(name, "absent".to_string())),
            Ok(Some(t)) => {
                let delta = t.as_second() - now;
                out.push(if delta > skew {
                    Check::fail(
                        name,
                        format!(
                            "{} ({t}), beyond the {} clock skew allowed",
                            claims::relative(name, delta),
                            human(skew)
                        ),
                    )
                } else {
                    Check::pass(name, format!("{} ({t})", claims::relative(name, delta)))
                });
            }
        }
    }
    out
}

fn issuer_check(jws: &Jws, exp: &Expectations) -> Check {
    let got = match claims::string_claim(&jws.claims, "iss") {
        Err(e) => return Check::fail("iss", e.to_string()),
        Ok(v) => v,
    };
    match (&exp.issuer, got) {
        (None, Some(g)) => Check::skip("iss", format!("{g}; no expected issuer given (--issuer)")),
        (None, None) => Check::skip("iss", "absent; no expected issuer given".to_string()),
        (Some(want), Some(g)) if g == want => Check::pass("iss", g.to_string()),
        (Some(want), Some(g)) => Check::fail("iss", format!("expected {want}, got {g}")),
        (Some(want), None) => Check::fail("iss", format!("missing; expected {want}")),
    }
}

fn audience_check(jws: &Jws, exp: &Expectations) -> Check {
    let got = match claims::audiences(&jws.claims) {
        Err(e) => return Check::fail("aud", e.to_string()),
        Ok(a) => a,
    };
    if exp.audiences.is_empty() {
        return Check::skip(
            "aud",
            format!(
                "{}; no expected audience given (--audience)",
                if got.is_empty() {
                    "absent".to_string()
                } else {
                    got.join(", ")
                }
            ),
        );
    }
    if got.iter().any(|g| exp.audiences.contains(g)) {
        Check::pass("aud", got.join(", "))
    } else {
        Check::fail(
            "aud",
            format!(
                "expected {}, got {}",
                exp.audiences.join(" or "),
                if got.is_empty() {
                    "none".to_string()
                } else {
                    got.join(", ")
                }
            ),
        )
    }
}

fn typ_check(jws: &Jws, want: &str) -> Check {
    // RFC 7515 §4.1.9: "application/" may be omitted; compare case-insensitively.
    let norm = |s: &str| {
        let l = s.to_ascii_lowercase();
        l.strip_prefix("application/")
            .map(str::to_string)
            .unwrap_or(l)
    };
    match &jws.header.typ {
        Some(t) if norm(t) == norm(want) => Check::pass("typ", t.clone()),
        Some(t) => Check::fail("typ", format!("expected {want}, got {t}")),
        None => Check::fail("typ", format!("missing; expected {want}")),
    }
}

fn required_claim_check(jws: &Jws, rc: &RequiredClaim) -> Check {
    let name = format!("claim {}", rc.name);
    match (jws.claims.get(&rc.name), &rc.value) {
        (None, _) => Check::fail(name, "missing".to_string()),
        (Some(_), None) => Check::pass(name, "present".to_string()),
        (Some(Value::String(s)), Some(want)) if s == want => Check::pass(name, s.clone()),
        (Some(v), Some(want)) if !v.is_string() && &claims::compact(v) == want => {
            Check::pass(name, claims::compact(v))
        }
        (Some(v), Some(want)) => Check::fail(
            name,
            format!("expected {want:?}, got {}", claims::compact(v)),
        ),
    }
}

/// The one-line likely cause of a failed verification, from its failed checks.
pub fn explain(
    checks: &[Check],
    jws: &Jws,
    ctx: &KeyContext,
    exp: &Expectations,
    refusal: Option<&str>,
) -> Option<String> {
    let failed = |n: &str| {
        checks
            .iter()
            .any(|c| c.name == n && c.outcome == Outcome::Fail)
    };
    let alg = jws.header.alg.as_str();
    let alg_detail = || {
        checks
            .iter()
            .find(|c| c.name == "alg")
            .map(|c| c.detail.clone())
            .unwrap_or_default()
    };
    if refusal == Some("alg_none") {
        return Some(
            "unsigned token (alg none): forged or a test token; never accept it".to_string(),
        );
    }
    let hmac = alg.to_ascii_uppercase().starts_with("HS");
    if refusal == Some("hmac_with_public_key") || (failed("alg") && hmac) {
        return Some(format!(
            "HS/RS confusion attempt: an {alg} (shared-secret) token checked against a public key; the token is forged"
        ));
    }
    if failed("alg") && refusal.is_none() && ctx.refetched {
        return Some(format!(
            "stale JWKS or unknown key: kid {:?} is not in {}, fetched within the last 30 s; the key was rotated out, is too new to be published yet, or the token was not made by this issuer",
            jws.header.kid.as_deref().unwrap_or(""),
            ctx.origin
        ));
    }
    if failed("alg") && refusal.is_some() {
        return Some(format!("the key does not fit the token: {}", alg_detail()));
    }
    if failed("alg") {
        return Some(format!("key not found: {}", alg_detail()));
    }
    if failed("header") {
        return Some(
            "the token demands an extension (crit) agentid does not implement".to_string(),
        );
    }
    if failed("signature") {
        let names_own_key = jws.header.jku.is_some()
            || jws.header.x5u.is_some()
            || jws.header.jwk.is_some()
            || jws.header.x5c;
        return Some(if names_own_key {
            "bad signature: the token points at its own key (jku/x5u/jwk/x5c), a known forgery technique; agentid verifies only with trusted keys".to_string()
        } else {
            "bad signature: the token was altered, or signed by a different key with the same kid"
                .to_string()
        });
    }
    if failed("exp") {
        if let Ok(Some(t)) = claims::numeric_date(&jws.claims, "exp") {
            let late = exp.now.as_second() - t.as_second();
            if late >= 0 && late - exp.clock_skew_secs < 60 {
                return Some(format!(
                    "clock skew? the token expired only {} ago; check the clocks, or allow more with --clock-skew",
                    crate::duration::humanize_secs(late)
                ));
            }
            return Some(format!(
                "expired {} ago",
                crate::duration::humanize_secs(late)
            ));
        }
        return checks
            .iter()
            .find(|c| c.name == "exp")
            .map(|c| format!("exp: {}", c.detail));
    }
    if failed("nbf") || failed("iat") {
        return Some("clock skew? the token is dated in the future; check the issuer's and this machine's clocks".to_string());
    }
    if failed("aud") {
        let got = match claims::audiences(&jws.claims) {
            Ok(got) => got,
            // Present but of the wrong type: say that, not "got none".
            Err(e) => return Some(format!("malformed audience: {e}")),
        };
        if exp.audiences.is_empty() {
            return checks
                .iter()
                .find(|c| c.name == "aud")
                .map(|c| format!("aud: {}", c.detail));
        }
        return Some(format!(
            "wrong audience: expected {}, got {}",
            exp.audiences.join(" or "),
            if got.is_empty() {
                "none".to_string()
            } else {
                got.join(", ")
            }
        ));
    }
    checks
        .iter()
        .find(|c| c.outcome == Outcome::Fail)
        .map(|c| format!("{}: {}", c.name, c.detail))
}
