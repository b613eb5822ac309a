//! `token decode`: what a parsed JWT says, in one serializable report. The
//! JSON form is documented in docs/token.md; bump [`DECODE_SCHEMA_VERSION`]
//! on any incompatible change.
//!
//! Decoding trusts nothing and proves nothing: the report always carries
//! `signature_verified: false`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::claims::{self, Confirmation, Lifetime, Scopes, Times};
use super::delegation::{self, Actor, Delegation};
use super::flavour::{self, Flavour};
use super::jwt::Jws;
use crate::duration::Duration;

pub const DECODE_SCHEMA_VERSION: u32 = 1;
pub const DECODE_KIND: &str = "agentid.token.decode";

/// What the caller decides: the clock and the lifetime limit.
#[derive(Debug, Clone)]
pub struct Options {
    /// Times are judged against this instant.
    pub now: Timestamp,
    pub max_lifetime: Duration,
    /// Where `max_lifetime` came from, for the report.
    pub max_from: String,
    /// Where the token came from: a file name, `<stdin>`, `$VAR`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodedToken {
    pub schema_version: u32,
    pub kind: String,
    pub source: String,
    /// Always false: decoding never checks the signature.
    pub signature_verified: bool,
    /// The instant times were judged against.
    pub as_of: Timestamp,
    /// The header as parsed.
    pub header: Map<String, Value>,
    /// Length of the decoded signature in bytes.
    pub signature_bytes: usize,
    /// The claims as parsed (keys sorted).
    pub claims: Map<String, Value>,
    pub times: Times,
    pub lifetime: Lifetime,
    /// `aud` as a list.
    pub audiences: Vec<String>,
    pub scopes: Scopes,
    /// The RFC 8693 `act` chain, when there is one.
    pub delegation: Option<Delegation>,
    pub may_act: Option<Actor>,
    /// `cnf` key binding, one entry per member.
    pub cnf: Vec<Confirmation>,
    /// Explanations for recognised issuers.
    pub flavours: Vec<Flavour>,
    /// Claims of the wrong type, risky header parameters and the like.
    pub warnings: Vec<String>,
}

pub fn decode(jws: &Jws, opts: &Options) -> DecodedToken {
    let claims = jws.claims.to_map();
    let c = &claims;
    let mut warnings = header_warnings(jws);

    let (times, errors) = claims::times(c, opts.now);
    warnings.extend(errors.iter().map(ToString::to_string));
    let lifetime = claims::lifetime(&times, opts.max_lifetime, &opts.max_from);
    if !c.contains_key("exp") && !errors.iter().any(|e| e.claim == "exp") {
        warnings.push("no exp: the token never expires".into());
    }
    let w = &mut warnings;
    let audiences = or_warn(w, claims::audiences(c)).unwrap_or_default();
    let scopes = or_warn(w, claims::scopes(c)).unwrap_or_default();
    let delegation = or_warn(w, delegation::chain(c)).flatten();
    let may_act = or_warn(w, delegation::may_act(c)).flatten();
    let cnf = or_warn(w, claims::confirmation(c)).unwrap_or_default();
    for name in ["iss", "sub", "jti", "client_id"] {
        or_warn(w, claims::string_claim(c, name));
    }

    DecodedToken {
        schema_version: DECODE_SCHEMA_VERSION,
        kind: DECODE_KIND.to_string(),
        source: opts.source.clone(),
        signature_verified: false,
        as_of: opts.now,
        header: jws.header_raw.to_map(),
        signature_bytes: jws.signature.len(),
        flavours: flavour::recognise(c),
        claims,
        times,
        lifetime,
        audiences,
        scopes,
        delegation,
        may_act,
        cnf,
        warnings,
    }
}

/// A claim of the wrong type is a warning in a decode: the rest is still shown.
fn or_warn<T>(warnings: &mut Vec<String>, r: Result<T, claims::ClaimError>) -> Option<T> {
    r.map_err(|e| warnings.push(e.to_string())).ok()
}

/// What a careful reader of the header should know before trusting anything.
fn header_warnings(jws: &Jws) -> Vec<String> {
    let h = &jws.header;
    let mut w = Vec::new();
    if h.alg.eq_ignore_ascii_case("none") {
        w.push(format!(
            "header alg {:?}: the token says it is unsigned; no verifier may accept it",
            h.alg
        ));
    } else if h.alg.to_ascii_uppercase().starts_with("HS") {
        w.push(format!(
            "header alg {}: an HMAC with a shared secret; whoever can verify it can also mint it",
            h.alg
        ));
    }
    if let Some(u) = &h.jku {
        w.push(format!(
            "header jku {u}: the token names where to fetch its own keys; never follow it (agentid does not)"
        ));
    }
    if let Some(u) = &h.x5u {
        w.push(format!(
            "header x5u {u}: the token names where to fetch its own certificate; never follow it (agentid does not)"
        ));
    }
    if h.jwk.is_some() {
        w.push("header jwk: the token carries its own key; a token cannot vouch for itself".into());
    }
    if h.x5c {
        w.push("header x5c: the token carries its own certificate chain; trust it only if it chains to a root you pinned".into());
    }
    if let Some(crit) = &h.crit {
        w.push(format!(
            "header crit [{}]: a verifier must understand these extensions or reject the token",
            crit.join(", ")
        ));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::jwt::{base64url, parse};

    fn jws(header: &str, payload: &str) -> Jws {
        let t = format!(
            "{}.{}.{}",
            base64url::encode(header.as_bytes()),
            base64url::encode(payload.as_bytes()),
            base64url::encode(&[7; 64])
        );
        parse(&t).unwrap()
    }

    fn opts() -> Options {
        Options {
            now: Timestamp::from_second(1_800_000_000).unwrap(),
            max_lifetime: "1h".parse().unwrap(),
            max_from: "built-in default".into(),
            source: "t.jwt".into(),
        }
    }

    #[test]
    fn a_plain_token() {
        let d = decode(
            &jws(
                r#"{"alg":"ES256","kid":"k1"}"#,
                r#"{"iss":"https://i","sub":"s","aud":"a","iat":1799999900,"exp":1800000800,"scope":"r w"}"#,
            ),
            &opts(),
        );
        assert_eq!((d.schema_version, d.kind.as_str()), (1, DECODE_KIND));
        assert!(!d.signature_verified);
        assert_eq!(d.signature_bytes, 64);
        assert_eq!(d.audiences, vec!["a"]);
        assert_eq!(d.scopes.values, vec!["r", "w"]);
        assert_eq!(d.lifetime.seconds, Some(900));
        assert_eq!(d.lifetime.exceeds_max, Some(false));
        assert_eq!(d.times.exp.as_ref().unwrap().relative, "expires in 13m");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert!(d.delegation.is_none() && d.may_act.is_none() && d.cnf.is_empty());
    }

    #[test]
    fn bad_claims_become_warnings_not_failures() {
        let d = decode(
            &jws(
                r#"{"alg":"HS256","jku":"https://x/jwks","jwk":{"kty":"oct"},"crit":["b64"]}"#,
                r#"{"sub":5,"aud":7,"exp":"soon","act":"x","cnf":[]}"#,
            ),
            &opts(),
        );
        let all = d.warnings.join("\n");
        for expected in [
            "HMAC",
            "jku https://x/jwks",
            "carries its own key",
            "crit [b64]",
            "claim \"exp\"",
            "claim \"aud\"",
            "claim \"act\"",
            "claim \"cnf\"",
            "claim \"sub\"",
        ] {
            assert!(all.contains(expected), "{expected} in {all}");
        }
        assert!(!all.contains("no exp"), "exp is there, only mistyped");
        assert_eq!(d.lifetime.exceeds_max, Some(true));
    }

    #[test]
    fn serializes_with_kind_and_version() {
        let d = decode(&jws(r#"{"alg":"RS256"}"#, r#"{"sub":"x"}"#), &opts());
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["kind"], DECODE_KIND);
        assert_eq!(v["signature_verified"], false);
        let back: DecodedToken = serde_json::from_value(v).unwrap();
        assert_eq!(back, d);
    }
}
