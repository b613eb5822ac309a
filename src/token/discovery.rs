//! Finding an issuer's keys and endpoints: OpenID Connect Discovery 1.0
//! (`/.well-known/openid-configuration`), falling back to RFC 8414
//! (`/.well-known/oauth-authorization-server`).

use serde::{Deserialize, Serialize};

use crate::http::{DEFAULT_BODY_LIMIT, Http, HttpError};
use crate::urls::require_https_or_loopback;

/// The parts of an issuer's metadata agentid uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grant_types_supported: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// Where the document was read.
    #[serde(skip)]
    pub document_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("issuer {issuer:?}: {reason}")]
    BadIssuer { issuer: String, reason: String },
    #[error("no discovery document for issuer {issuer} (tried {})", .tried.join(", "))]
    NotFound { issuer: String, tried: Vec<String> },
    #[error("discovery document {url}: {reason}")]
    BadDocument { url: String, reason: String },
    /// OIDC Discovery §4.3: the document must name the issuer it was asked
    /// for, or a man in the middle could swap issuers.
    #[error("discovery document {url} names issuer {got:?}, expected {expected:?}")]
    IssuerMismatch {
        url: String,
        expected: String,
        got: String,
    },
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl DiscoveryError {
    /// Bad input (exit 2) as opposed to the network or the issuer failing (exit 3).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            DiscoveryError::BadIssuer { .. } | DiscoveryError::Http(HttpError::Refused(_))
        )
    }
}

/// The metadata URLs to try for an issuer, in order: OpenID Connect
/// (issuer + `/.well-known/openid-configuration`), then RFC 8414 §3, which
/// inserts the well-known segment between the host and the issuer's path.
pub fn well_known_urls(issuer: &str) -> Vec<String> {
    let trimmed = issuer.trim_end_matches('/');
    let mut urls = vec![format!("{trimmed}/.well-known/openid-configuration")];
    if let Some((scheme, rest)) = trimmed.split_once("://") {
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        urls.push(format!(
            "{scheme}://{authority}/.well-known/oauth-authorization-server{path}"
        ));
    }
    urls
}

/// Fetch and check an issuer's metadata.
pub async fn discover(http: &Http, issuer: &str) -> Result<Metadata, DiscoveryError> {
    require_https_or_loopback(issuer).map_err(|reason| DiscoveryError::BadIssuer {
        issuer: issuer.to_string(),
        reason,
    })?;
    let tried = well_known_urls(issuer);
    for url in &tried {
        match http.get(url, DEFAULT_BODY_LIMIT).await {
            Ok(resp) => return parse_metadata(&resp.body, url, issuer),
            // Only "not here" moves on to the next well-known path; anything
            // else (a 500, a refused connection) is the answer.
            Err(HttpError::Status {
                status: 404 | 405 | 410,
                ..
            }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(DiscoveryError::NotFound {
        issuer: issuer.to_string(),
        tried,
    })
}

/// Parse a metadata document and hold it to the rules: JSON, the issuer it
/// was asked for, and https (or loopback) endpoints.
pub fn parse_metadata(body: &[u8], url: &str, issuer: &str) -> Result<Metadata, DiscoveryError> {
    let bad = |reason: String| DiscoveryError::BadDocument {
        url: url.to_string(),
        reason,
    };
    let mut meta: Metadata =
        serde_json::from_slice(body).map_err(|e| bad(format!("not valid metadata JSON: {e}")))?;
    meta.document_url = url.to_string();
    if meta.issuer != issuer {
        return Err(DiscoveryError::IssuerMismatch {
            url: url.to_string(),
            expected: issuer.to_string(),
            got: meta.issuer,
        });
    }
    for (name, value) in [
        ("jwks_uri", &meta.jwks_uri),
        ("token_endpoint", &meta.token_endpoint),
    ] {
        if let Some(v) = value {
            require_https_or_loopback(v).map_err(|why| bad(format!("{name}: {why}")))?;
        }
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8414_inserts_the_well_known_segment_before_the_path() {
        assert_eq!(
            well_known_urls("https://login.example.com/tenant/v2.0"),
            vec![
                "https://login.example.com/tenant/v2.0/.well-known/openid-configuration",
                "https://login.example.com/.well-known/oauth-authorization-server/tenant/v2.0",
            ]
        );
        assert_eq!(
            well_known_urls("https://token.actions.githubusercontent.com/"),
            vec![
                "https://token.actions.githubusercontent.com/.well-known/openid-configuration",
                "https://token.actions.githubusercontent.com/.well-known/oauth-authorization-server",
            ]
        );
    }

    #[test]
    fn metadata_must_name_the_issuer_asked_for() {
        let doc = br#"{"issuer":"https://evil.example","jwks_uri":"https://evil.example/jwks"}"#;
        let err = parse_metadata(
            doc,
            "https://good.example/.well-known/openid-configuration",
            "https://good.example",
        )
        .expect_err("mismatch");
        assert!(
            matches!(err, DiscoveryError::IssuerMismatch { .. }),
            "{err}"
        );
    }

    #[test]
    fn plain_http_endpoints_are_refused() {
        let doc = br#"{"issuer":"https://good.example","jwks_uri":"http://good.example/jwks"}"#;
        let err = parse_metadata(doc, "u", "https://good.example").expect_err("http");
        assert!(err.to_string().contains("jwks_uri"), "{err}");
    }
}
