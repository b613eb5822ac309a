//! After a grant: what came back, compared with what was asked. A returned
//! JWT is decoded (not verified: the caller holds no key for it yet), its
//! `act` chain read, and a wider scope or a longer lifetime than requested
//! is a warning.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Credential, Granted};
use crate::token::{claims, delegation};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// Seconds the credential lives from now, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifetime_seconds: Option<i64>,
    /// The granted scopes (the answer's `scope`, else the token's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Claims of a returned JWT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_claims: Option<Map<String, Value>>,
    /// `sub → actor → …` of a returned JWT's `act` chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
    pub warnings: Vec<String>,
}

/// What the caller asked for, to compare with what came back.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub scopes: Vec<String>,
    pub audiences: Vec<String>,
    /// Requested (or the most allowed) lifetime, in seconds.
    pub max_lifetime: Option<i64>,
}

pub fn analyze(g: &Granted, asked: &Asked, now: Timestamp) -> Analysis {
    let mut a = Analysis::default();
    if let Credential::Token { value } = &g.credential
        && let Ok(jws) = crate::token::jwt::parse(value.expose())
    {
        let claims = jws.claims.to_map();
        a.delegation = delegation::chain(&claims).ok().flatten().map(|d| d.path);
        a.token_claims = Some(claims);
    }
    let token_exp = a
        .token_claims
        .as_ref()
        .and_then(|c| c.get("exp"))
        .and_then(Value::as_i64);
    a.lifetime_seconds = g
        .expires_at
        .map(|t| t.as_second() - now.as_second())
        .or(g.expires_in)
        .or(token_exp.map(|e| e - now.as_second()));
    a.scopes = match (&g.scope, &a.token_claims) {
        (Some(s), _) => s.split_whitespace().map(str::to_string).collect(),
        (None, Some(c)) => claims::scopes(c).map(|s| s.values).unwrap_or_default(),
        _ => Vec::new(),
    };
    if !asked.scopes.is_empty() {
        let extra: Vec<&str> = a
            .scopes
            .iter()
            .filter(|s| !asked.scopes.contains(s))
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            a.warnings.push(format!(
                "wider scope than requested: granted {} besides the {} asked for",
                extra.join(" "),
                asked.scopes.join(" ")
            ));
        }
    }
    if let (Some(max), Some(life)) = (asked.max_lifetime, a.lifetime_seconds)
        && life > max + 60
    {
        a.warnings.push(format!(
            "longer lifetime than requested: the credential lives {} (asked at most {})",
            crate::duration::humanize_secs(life),
            crate::duration::humanize_secs(max)
        ));
    }
    if !asked.audiences.is_empty()
        && let Some(c) = &a.token_claims
        && let Ok(auds) = claims::audiences(c)
    {
        let extra: Vec<&str> = auds
            .iter()
            .filter(|x| !asked.audiences.contains(x))
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            a.warnings.push(format!(
                "the token is also for audience {} besides the {} asked for",
                extra.join(", "),
                asked.audiences.join(", ")
            ));
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Secret;

    fn granted(scope: &str, expires_in: i64) -> Granted {
        Granted {
            credential: Credential::Token {
                value: Secret::new("opaque"),
            },
            issued_token_type: None,
            token_type: None,
            expires_in: Some(expires_in),
            expires_at: None,
            scope: Some(scope.into()),
            refresh_token: None,
            facts: Vec::new(),
        }
    }

    #[test]
    fn wider_scope_and_longer_lifetime_are_warnings() {
        let asked = Asked {
            scopes: vec!["read".into()],
            audiences: Vec::new(),
            max_lifetime: Some(900),
        };
        let a = analyze(&granted("read admin", 3600), &asked, Timestamp::now());
        assert_eq!(a.scopes, ["read", "admin"]);
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
        assert!(a.warnings[0].contains("wider scope than requested: granted admin"));
        assert!(a.warnings[1].contains("longer lifetime than requested"));
        let a = analyze(&granted("read", 900), &asked, Timestamp::now());
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }
}
