//! `agentid exchange`: trade a workload's own token (the subject token) for a
//! short-lived credential, one file per protocol, one per subject-token
//! source. Core code only: it returns data (the request that was or would be
//! sent, with secrets redacted, and what the server answered); the command
//! renders it.

pub mod analyze;
pub mod anthropic;
pub mod aws;
pub mod entra;
pub mod explain;
pub mod gcp;
pub mod oauth;
pub mod preflight;
pub mod report;
pub mod source;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::http::HttpError;

pub const SCHEMA_VERSION: u32 = 1;
pub const KIND: &str = "agentid.exchange";

/// RFC 8693 §3 token type identifiers.
pub const TT_PREFIX: &str = "urn:ietf:params:oauth:token-type:";
pub const GRANT_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const GRANT_JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Why an exchange could not be carried out (a refusal by the server is not
/// an error: it is an [`Outcome::Denied`]).
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Bad input: a missing flag, an unreadable file, a malformed token (exit 2).
    #[error("{0}")]
    Input(String),
    /// The network or the server failed (exit 3).
    #[error("{0}")]
    Operational(String),
}

impl From<HttpError> for ExchangeError {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Refused(m) => ExchangeError::Input(m),
            other => ExchangeError::Operational(other.to_string()),
        }
    }
}

/// A credential: never printed whole unless asked for (`--reveal`, `-f raw`,
/// `-f env`, `-f credential-process`). Debug shows no part of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A prefix that gives nothing away (at most 8 characters, at most a
    /// quarter of the value), the length and a sha256 fingerprint.
    pub fn redacted(&self) -> String {
        let n = self.0.chars().count();
        let head: String = self.0.chars().take((n / 4).min(8)).collect();
        format!(
            "{head}…({n} chars, sha256:{})",
            crate::scan::finding::fingerprint(self.0.as_bytes())
        )
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// One value of a request: plain, or a secret shown redacted.
#[derive(Debug, Clone)]
pub enum Field {
    Plain(String),
    Secret(Secret),
}

impl Field {
    pub fn expose(&self) -> &str {
        match self {
            Field::Plain(s) => s,
            Field::Secret(s) => s.expose(),
        }
    }

    pub fn shown(&self) -> String {
        match self {
            Field::Plain(s) => s.clone(),
            Field::Secret(s) => s.redacted(),
        }
    }
}

/// The secret values among a request's fields.
pub fn secrets_of<'a, K>(fields: impl IntoIterator<Item = &'a (K, Field)>) -> Vec<String>
where
    K: 'a,
{
    fields
        .into_iter()
        .filter_map(|(_, f)| match f {
            Field::Secret(s) => Some(s.expose().to_string()),
            Field::Plain(_) => None,
        })
        .collect()
}

/// A refusal's body with the request's own secrets cut out, before anything
/// reads it: servers quote what they were sent ("invalid client secret
/// 'abc…'", "token eyJ… is expired"), and the description of a denial is
/// shown, logged and written to reports. Each secret is replaced, as sent
/// and percent-encoded (as a form body or URL carries it), by its redacted
/// form; then any other word that looks like a credential is redacted too.
/// A success (2xx) is returned untouched: it carries the credential asked for.
pub fn scrub_refusal(status: u16, body: &[u8], secrets: &[String]) -> Vec<u8> {
    if (200..300).contains(&status) {
        return body.to_vec();
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    scrub_text(text, secrets).into_bytes()
}

/// [`scrub_refusal`] on text (an error message from an SDK).
pub fn scrub_text(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 8) {
        let shown = Secret::new(s.as_str()).redacted();
        for form in [s.clone(), percent(s, b"-._~"), percent(s, b"-._*")] {
            text = text.replace(&form, &shown);
        }
    }
    crate::secrets::redact_in_text(&text)
}

fn percent(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|c| {
            if c.is_ascii_alphanumeric() || keep.contains(&c) {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}

/// The request as sent (or as `--dry-run` would send it), secrets redacted.
#[derive(Debug, Clone, Serialize)]
pub struct RequestPreview {
    pub method: &'static str,
    pub url: String,
    pub content_type: Option<&'static str>,
    pub headers: Vec<Param>,
    pub body: Vec<Param>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub value: String,
}

/// The subject token: where it came from and what it says (not verified).
#[derive(Debug, Clone)]
pub struct SubjectToken {
    pub token: Secret,
    pub origin: String,
}

impl SubjectToken {
    /// The claims of a JWT subject token; `None` for an opaque token.
    pub fn claims(&self) -> Option<Map<String, Value>> {
        crate::token::jwt::parse(self.token.expose())
            .ok()
            .map(|j| j.claims.to_map())
    }
}

/// What the server gave.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A bearer token (OAuth access token, Google access token, …).
    Token { value: Secret },
    /// AWS temporary credentials.
    Aws {
        access_key_id: Secret,
        secret_access_key: Secret,
        session_token: Secret,
        expiration: Option<Timestamp>,
    },
}

/// A granted exchange.
#[derive(Debug, Clone)]
pub struct Granted {
    pub credential: Credential,
    pub issued_token_type: Option<String>,
    pub token_type: Option<String>,
    pub expires_in: Option<i64>,
    pub expires_at: Option<Timestamp>,
    /// The granted scope, when the server said.
    pub scope: Option<String>,
    pub refresh_token: Option<Secret>,
    /// Other facts from the answer (assumed role ARN, …), in order.
    pub facts: Vec<Param>,
}

/// A refusal by the server.
#[derive(Debug, Clone, Serialize)]
pub struct Denied {
    pub status: u16,
    /// The protocol's error code (`invalid_grant`, `InvalidIdentityToken`, …).
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Likely cause and fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<explain::Explanation>,
    /// The provider's request id (its support asks for it), when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// What a sent exchange came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    Granted(Box<Granted>),
    Denied(Denied),
}

/// The short names accepted for RFC 8693 token types.
pub fn token_type_urn(name: &str) -> String {
    match name {
        "access_token" | "refresh_token" | "id_token" | "jwt" | "saml1" | "saml2" => {
            format!("{TT_PREFIX}{name}")
        }
        other => other.to_string(),
    }
}

/// Random bytes, hex (client assertion `jti`).
pub fn random_hex(bytes: usize) -> Result<String, ExchangeError> {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf)
        .map_err(|_| ExchangeError::Operational("no system randomness".into()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A JSON error body's text fields, shortened to one line.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_quoting_the_request_secrets_is_scrubbed() {
        let secret = "Qx8~client-secret-value".to_string();
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVlLWxvbmc".to_string();
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"secret {secret} wrong; body client_secret=Qx8%7Eclient-secret-value&subject_token={jwt}"}}"#
        );
        let out = String::from_utf8(scrub_refusal(
            401,
            body.as_bytes(),
            std::slice::from_ref(&secret),
        ))
        .unwrap();
        assert!(
            !out.contains(&secret) && !out.contains("Qx8%7Eclient"),
            "{out}"
        );
        // Not a secret of this request, but it looks like one.
        assert!(!out.contains(&jwt), "{out}");
        assert!(out.contains("invalid_client"), "{out}");
        // A grant is untouched.
        assert_eq!(
            scrub_refusal(200, body.as_bytes(), &[secret]),
            body.as_bytes()
        );
    }

    #[test]
    fn redaction_shows_a_short_prefix_and_a_fingerprint() {
        let s = Secret::new("sk-ant-oat01-abcdefghijklmnopqrstuvwxyz0123456789");
        let r = s.redacted();
        assert!(r.starts_with("sk-ant-o…("), "{r}");
        assert!(r.contains("sha256:"), "{r}");
        assert!(!r.contains("abcdefghij"), "{r}");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        // A short secret keeps at most a quarter.
        assert!(Secret::new("abcd").redacted().starts_with("a…"));
    }

    #[test]
    fn short_token_type_names_become_urns() {
        assert_eq!(
            token_type_urn("jwt"),
            "urn:ietf:params:oauth:token-type:jwt"
        );
        assert_eq!(token_type_urn("urn:x:y"), "urn:x:y");
    }
}
