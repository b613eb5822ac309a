//! Reading registered claims (RFC 7519 §4.1 and friends) with their types
//! checked: times, lifetime, audiences, scopes and `cnf` key binding.
//!
//! Nothing here reads the clock: every relative statement is made against a
//! `now` the caller passes in.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_object::Members;
use super::jwt::{base64url, json_type};
use crate::duration::{Duration, humanize_secs};

/// A claim that is present but not of the type its specification requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("claim {claim:?}: {problem}")]
pub struct ClaimError {
    pub claim: String,
    pub problem: String,
}

impl ClaimError {
    pub fn new(claim: impl Into<String>, problem: impl Into<String>) -> Self {
        ClaimError {
            claim: claim.into(),
            problem: problem.into(),
        }
    }
}

/// A string claim, if present. `iss`, `sub`, `jti`, `client_id`…
pub fn string_claim<'a>(
    claims: &'a (impl Members + ?Sized),
    name: &str,
) -> Result<Option<&'a str>, ClaimError> {
    match claims.member(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(ClaimError::new(
            name,
            format!("expected a string, got a JSON {}", json_type(v)),
        )),
    }
}

/// A NumericDate claim (`iat`, `nbf`, `exp`): seconds since the epoch, a JSON
/// number, possibly with a fraction (RFC 7519 §2).
pub fn numeric_date(
    claims: &(impl Members + ?Sized),
    name: &str,
) -> Result<Option<Timestamp>, ClaimError> {
    let Some(v) = claims.member(name) else {
        return Ok(None);
    };
    let Value::Number(n) = v else {
        return Err(ClaimError::new(
            name,
            format!(
                "expected a NumericDate (a number of seconds since 1970), got a JSON {}",
                json_type(v)
            ),
        ));
    };
    let out_of_range = || ClaimError::new(name, format!("{n} is not a representable time"));
    if let Some(secs) = n.as_i64() {
        return Timestamp::from_second(secs)
            .map(Some)
            .map_err(|_| out_of_range());
    }
    let f = n
        .as_f64()
        .filter(|f| f.is_finite())
        .ok_or_else(out_of_range)?;
    let secs = f.floor();
    if secs < i64::MIN as f64 || secs > i64::MAX as f64 {
        return Err(out_of_range());
    }
    let nanos = ((f - secs) * 1e9).round().min(999_999_999.0) as i32;
    Timestamp::new(secs as i64, nanos)
        .map(Some)
        .map_err(|_| out_of_range())
}

/// One of `iat`, `nbf`, `exp`, placed in time relative to `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeClaim {
    /// RFC 3339, UTC.
    pub at: Timestamp,
    /// Seconds from `now` to `at`: negative in the past.
    pub from_now_seconds: i64,
    /// `expires in 14m`, `expired 3d ago`, `issued 2h ago`, `valid since 5m ago`.
    pub relative: String,
}

impl TimeClaim {
    pub fn new(name: &str, at: Timestamp, now: Timestamp) -> Self {
        let delta = at.as_second() - now.as_second();
        TimeClaim {
            at,
            from_now_seconds: delta,
            relative: relative(name, delta),
        }
    }
}

/// How a person says where a time claim stands: `delta` is `at - now` in seconds.
pub fn relative(name: &str, delta: i64) -> String {
    let span = humanize_secs(delta);
    match name {
        "exp" if delta > 0 => format!("expires in {span}"),
        "exp" if delta == 0 => "expired just now".to_string(),
        "exp" => format!("expired {span} ago"),
        "nbf" if delta > 0 => format!("not valid for another {span}"),
        "nbf" => format!("valid since {span} ago"),
        "iat" if delta > 0 => format!("issued {span} in the future"),
        "iat" => format!("issued {span} ago"),
        _ if delta >= 0 => format!("in {span}"),
        _ => format!("{span} ago"),
    }
}

/// The three time claims, typed and placed relative to `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Times {
    pub iat: Option<TimeClaim>,
    pub nbf: Option<TimeClaim>,
    pub exp: Option<TimeClaim>,
    /// `exp` is present and not after `now` (no clock skew allowed here).
    pub expired: bool,
    /// `nbf` is after `now`.
    pub not_yet_valid: bool,
}

/// Reads `iat`, `nbf` and `exp`. A claim of the wrong type is left out and
/// reported in the second value, so that the rest can still be shown.
pub fn times(claims: &(impl Members + ?Sized), now: Timestamp) -> (Times, Vec<ClaimError>) {
    let mut errors = Vec::new();
    let mut get = |name: &str| match numeric_date(claims, name) {
        Ok(t) => t.map(|at| TimeClaim::new(name, at, now)),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (iat, nbf, exp) = (get("iat"), get("nbf"), get("exp"));
    let t = Times {
        expired: exp.as_ref().is_some_and(|e| e.from_now_seconds <= 0),
        not_yet_valid: nbf.as_ref().is_some_and(|n| n.from_now_seconds > 0),
        iat,
        nbf,
        exp,
    };
    (t, errors)
}

/// How long the token was made to live, against the longest allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifetime {
    /// `exp` minus the start, when both are known.
    pub seconds: Option<i64>,
    /// `15m`, `2d`.
    pub human: Option<String>,
    /// Which claim the lifetime is counted from: `iat`, else `nbf`.
    pub from: Option<String>,
    /// The longest lifetime allowed, e.g. `1h`.
    pub max: Duration,
    pub max_seconds: u64,
    /// Where `max` came from: the flag, the registry or the built-in default.
    pub max_from: String,
    /// True when longer than `max`, or when there is no `exp` at all (the
    /// token never expires); null when it cannot be told (no `iat` nor `nbf`).
    pub exceeds_max: Option<bool>,
}

/// Lifetime from `times`: `exp - iat`, else `exp - nbf`.
pub fn lifetime(times: &Times, max: Duration, max_from: &str) -> Lifetime {
    let start = times
        .iat
        .as_ref()
        .map(|t| ("iat", t))
        .or_else(|| times.nbf.as_ref().map(|t| ("nbf", t)));
    let seconds = match (&times.exp, start) {
        (Some(exp), Some((_, s))) => Some(exp.at.as_second() - s.at.as_second()),
        _ => None,
    };
    let exceeds_max = match (&times.exp, seconds) {
        (None, _) => Some(true),
        (Some(_), Some(s)) => Some(s > max.as_secs() as i64),
        (Some(_), None) => None,
    };
    Lifetime {
        seconds,
        human: seconds.map(|s| {
            if s < 0 {
                format!("-{}", humanize_secs(s))
            } else {
                humanize_secs(s)
            }
        }),
        from: seconds.and(start.map(|(n, _)| n.to_string())),
        max,
        max_seconds: max.as_secs(),
        max_from: max_from.to_string(),
        exceeds_max,
    }
}

/// `aud` as a list: a single string is a list of one (RFC 7519 §4.1.3).
pub fn audiences(claims: &(impl Members + ?Sized)) -> Result<Vec<String>, ClaimError> {
    let bad = |v: &Value| {
        ClaimError::new(
            "aud",
            format!(
                "expected a string or an array of strings, got a JSON {}",
                json_type(v)
            ),
        )
    };
    match claims.member("aud") {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(|| bad(v)))
            .collect(),
        Some(v) => Err(bad(v)),
    }
}

/// Scopes granted, with the claims they were read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scopes {
    /// `scope` (RFC 8693 §4.2, RFC 9068), `scp` (Entra, Okta), or both.
    pub claims: Vec<String>,
    /// Each scope once, in the order found.
    pub values: Vec<String>,
}

/// Scopes from `scope` (a space-separated string) and `scp` (a
/// space-separated string or an array of strings).
pub fn scopes(claims: &(impl Members + ?Sized)) -> Result<Scopes, ClaimError> {
    let mut out = Scopes::default();
    for name in ["scope", "scp"] {
        let Some(v) = claims.member(name) else {
            continue;
        };
        let found: Vec<&str> = match v {
            Value::String(s) => s.split_whitespace().collect(),
            Value::Array(items) if name == "scp" => items
                .iter()
                .map(Value::as_str)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ClaimError::new(name, "expected an array of strings, got another element")
                })?,
            other => {
                let expected = if name == "scp" {
                    "a space-separated string or an array of strings"
                } else {
                    "a space-separated string"
                };
                return Err(ClaimError::new(
                    name,
                    format!("expected {expected}, got a JSON {}", json_type(other)),
                ));
            }
        };
        out.claims.push(name.to_string());
        for s in found {
            if !out.values.iter().any(|v| v == s) {
                out.values.push(s.to_string());
            }
        }
    }
    Ok(out)
}

/// One member of `cnf`: what the token is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    /// The member: `jkt`, `x5t#S256`, `jwk`, `kid`, `jku`, `jwe`, or another.
    pub method: String,
    /// Its value, summarised for a key (`EC P-256, kid k1`).
    pub value: String,
    pub meaning: String,
}

/// The `cnf` claim (RFC 7800): proof-of-possession key binding.
pub fn confirmation(claims: &(impl Members + ?Sized)) -> Result<Vec<Confirmation>, ClaimError> {
    let Some(v) = claims.member("cnf") else {
        return Ok(Vec::new());
    };
    let Value::Object(cnf) = v else {
        return Err(ClaimError::new(
            "cnf",
            format!("expected a JSON object, got a JSON {}", json_type(v)),
        ));
    };
    let mut out = Vec::new();
    for (method, value) in cnf {
        let string = || {
            value.as_str().map(str::to_string).ok_or_else(|| {
                ClaimError::new(
                    format!("cnf.{method}"),
                    format!("expected a string, got a JSON {}", json_type(value)),
                )
            })
        };
        let (value, meaning) = match method.as_str() {
            "jkt" => (
                string()?,
                "bound to a DPoP key (RFC 9449): the caller must prove possession of the private key whose JWK SHA-256 thumbprint this is",
            ),
            "x5t#S256" => (
                string()?,
                "bound to a TLS client certificate (RFC 8705): usable only over mutual TLS with the certificate whose SHA-256 thumbprint this is",
            ),
            "jwk" => (
                jwk_summary(value).ok_or_else(|| {
                    ClaimError::new("cnf.jwk", "expected a JWK (a JSON object with \"kty\")")
                })?,
                "bound to this public key (RFC 7800): the presenter must prove possession of its private key",
            ),
            "kid" => (
                string()?,
                "bound to a key the recipient knows by this id (RFC 7800)",
            ),
            "jku" => (
                string()?,
                "bound to a key in the JWK Set at this URL (RFC 7800)",
            ),
            "jwe" => (
                "(an encrypted key)".to_string(),
                "bound to a symmetric key, encrypted for the recipient (RFC 7800)",
            ),
            _ => (
                compact(value),
                "a confirmation method this tool does not know",
            ),
        };
        out.push(Confirmation {
            method: method.clone(),
            value,
            meaning: meaning.to_string(),
        });
    }
    Ok(out)
}

/// `EC P-256, kid k1`, `RSA 2048 bits`, `OKP Ed25519`.
fn jwk_summary(v: &Value) -> Option<String> {
    let jwk = v.as_object()?;
    let kty = jwk.get("kty")?.as_str()?;
    let mut s = kty.to_string();
    if let Some(crv) = jwk.get("crv").and_then(Value::as_str) {
        s.push(' ');
        s.push_str(crv);
    }
    if kty == "RSA"
        && let Some(n) = jwk.get("n").and_then(Value::as_str)
        && let Ok(bytes) = base64url::decode(n)
    {
        let lead = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        let bits = bytes[lead..]
            .first()
            .map_or(0, |b| (bytes.len() - lead) * 8 - b.leading_zeros() as usize);
        s.push_str(&format!(" {bits} bits"));
    }
    if let Some(kid) = jwk.get("kid").and_then(Value::as_str) {
        s.push_str(&format!(", kid {kid}"));
    }
    Some(s)
}

/// A JSON value on one line: strings bare, everything else as compact JSON.
pub fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    const NOW: i64 = 1_800_000_000;

    fn now() -> Timestamp {
        Timestamp::from_second(NOW).unwrap()
    }

    #[test]
    fn relative_times_read_naturally() {
        let c = map(json!({"iat": NOW - 7200, "nbf": NOW - 300, "exp": NOW + 14 * 60}));
        let (t, errors) = times(&c, now());
        assert!(errors.is_empty());
        assert_eq!(t.iat.unwrap().relative, "issued 2h ago");
        assert_eq!(t.nbf.unwrap().relative, "valid since 5m ago");
        let exp = t.exp.unwrap();
        assert_eq!(exp.relative, "expires in 14m");
        assert_eq!(exp.at.to_string(), "2027-01-15T08:14:00Z");
        assert!(!t.expired && !t.not_yet_valid);

        let c = map(json!({"exp": NOW - 3 * 86_400, "nbf": NOW + 60, "iat": NOW + 30}));
        let (t, _) = times(&c, now());
        assert_eq!(t.exp.unwrap().relative, "expired 3d ago");
        assert_eq!(t.nbf.unwrap().relative, "not valid for another 1m");
        assert_eq!(t.iat.unwrap().relative, "issued 30s in the future");
        assert!(t.expired && t.not_yet_valid);
        assert_eq!(relative("exp", 0), "expired just now");
    }

    #[test]
    fn numeric_dates_are_typed() {
        let c = map(json!({"exp": "tomorrow", "iat": 1.5, "nbf": 1e300, "x": -1}));
        let e = numeric_date(&c, "exp").unwrap_err();
        assert_eq!(e.claim, "exp");
        assert!(e.to_string().contains("got a JSON string"), "{e}");
        let iat = numeric_date(&c, "iat").unwrap().unwrap();
        assert_eq!(iat.as_millisecond(), 1500);
        assert!(numeric_date(&c, "nbf").is_err());
        assert_eq!(numeric_date(&c, "x").unwrap().unwrap().as_second(), -1);
        assert_eq!(numeric_date(&c, "absent").unwrap(), None);
        let (t, errors) = times(&c, now());
        assert!(t.exp.is_none() && t.iat.is_some());
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn lifetime_against_the_maximum() {
        let max: Duration = "1h".parse().unwrap();
        let c = map(json!({"iat": NOW, "exp": NOW + 900}));
        let l = lifetime(&times(&c, now()).0, max, "built-in default");
        assert_eq!(
            (l.seconds, l.human.as_deref(), l.from.as_deref()),
            (Some(900), Some("15m"), Some("iat"))
        );
        assert_eq!(l.exceeds_max, Some(false));

        let c = map(json!({"nbf": NOW, "exp": NOW + 7200}));
        let l = lifetime(&times(&c, now()).0, max, "x");
        assert_eq!((l.seconds, l.from.as_deref()), (Some(7200), Some("nbf")));
        assert_eq!(l.exceeds_max, Some(true));

        // No exp: it never expires, which is always too long.
        let l = lifetime(&times(&map(json!({"iat": NOW})), now()).0, max, "x");
        assert_eq!((l.seconds, l.exceeds_max), (None, Some(true)));
        // exp alone: the lifetime cannot be told.
        let l = lifetime(&times(&map(json!({"exp": NOW})), now()).0, max, "x");
        assert_eq!((l.seconds, l.exceeds_max), (None, None));
        // Exactly the maximum is allowed.
        let c = map(json!({"iat": NOW, "exp": NOW + 3600}));
        assert_eq!(
            lifetime(&times(&c, now()).0, max, "x").exceeds_max,
            Some(false)
        );
    }

    #[test]
    fn audiences_from_string_or_array() {
        assert_eq!(audiences(&map(json!({"aud": "a"}))).unwrap(), vec!["a"]);
        assert_eq!(
            audiences(&map(json!({"aud": ["a", "b"]}))).unwrap(),
            vec!["a", "b"]
        );
        assert!(audiences(&map(json!({}))).unwrap().is_empty());
        assert!(audiences(&map(json!({"aud": 5}))).is_err());
        assert!(audiences(&map(json!({"aud": ["a", 5]}))).is_err());
    }

    #[test]
    fn scopes_from_scope_and_scp() {
        let s = scopes(&map(json!({"scope": "read  write"}))).unwrap();
        assert_eq!(
            (s.claims, s.values),
            (
                vec!["scope".into()],
                vec!["read".to_string(), "write".into()]
            )
        );
        let s = scopes(&map(json!({"scp": ["a", "b"]}))).unwrap();
        assert_eq!(s.values, vec!["a", "b"]);
        let s = scopes(&map(json!({"scp": "User.Read Mail.Send"}))).unwrap();
        assert_eq!(s.values, vec!["User.Read", "Mail.Send"]);
        let s = scopes(&map(json!({"scope": "a b", "scp": ["b", "c"]}))).unwrap();
        assert_eq!(s.claims, vec!["scope", "scp"]);
        assert_eq!(s.values, vec!["a", "b", "c"]);
        assert!(scopes(&map(json!({"scope": ["a"]}))).is_err());
        assert!(scopes(&map(json!({"scp": [1]}))).is_err());
        assert!(scopes(&map(json!({}))).unwrap().values.is_empty());
    }

    #[test]
    fn cnf_methods() {
        let c = map(json!({"cnf": {
            "jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
            "x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2",
            "jwk": {"kty": "EC", "crv": "P-256", "kid": "k1", "x": "x", "y": "y"}
        }}));
        let cnf = confirmation(&c).unwrap();
        let methods: Vec<&str> = cnf.iter().map(|c| c.method.as_str()).collect();
        assert_eq!(methods, vec!["jkt", "jwk", "x5t#S256"]);
        assert!(cnf[0].meaning.contains("DPoP"));
        assert_eq!(cnf[1].value, "EC P-256, kid k1");
        assert!(cnf[2].meaning.contains("mutual TLS"));
        assert!(confirmation(&map(json!({"cnf": "x"}))).is_err());
        assert!(confirmation(&map(json!({"cnf": {"jkt": 1}}))).is_err());
        assert!(confirmation(&map(json!({}))).unwrap().is_empty());
        // An RSA key's size comes from its modulus.
        let n = base64url::encode(&[0x80; 256]);
        let c = map(json!({"cnf": {"jwk": {"kty": "RSA", "n": n, "e": "AQAB"}}}));
        assert_eq!(confirmation(&c).unwrap()[0].value, "RSA 2048 bits");
    }

    #[test]
    fn strings_are_typed() {
        let c = map(json!({"iss": "https://i", "sub": 5}));
        assert_eq!(string_claim(&c, "iss").unwrap(), Some("https://i"));
        assert!(string_claim(&c, "sub").is_err());
        assert_eq!(string_claim(&c, "jti").unwrap(), None);
    }
}
