//! Microsoft Entra ID (identity platform v2.0): client credentials with a
//! federated client assertion, `POST {authority}/{tenant}/oauth2/v2.0/token`
//! with `client_id`, `scope` (…/.default), `grant_type=client_credentials`,
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
//! and the workload's token as `client_assertion` ("Third case: access token
//! request with a federated credential", v2-oauth2-client-creds-grant-flow).
//! Errors are OAuth bodies whose `error_description` starts with an AADSTS code.

use jiff::Timestamp;

use super::{
    CLIENT_ASSERTION_TYPE, ExchangeError, Field, Outcome, Param, RequestPreview, SubjectToken,
    explain, oauth,
};
use crate::http::Http;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// The audience Entra expects in a federated assertion.
pub const ASSERTION_AUDIENCE: &str = "api://AzureADTokenExchange";

pub struct EntraRequest {
    pub authority: String,
    pub tenant: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub subject: SubjectToken,
}

impl EntraRequest {
    pub fn url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.authority.trim_end_matches('/'),
            self.tenant
        )
    }

    fn form(&self) -> Vec<(&'static str, Field)> {
        vec![
            ("client_id", Field::Plain(self.client_id.clone())),
            ("scope", Field::Plain(self.scopes.join(" "))),
            ("grant_type", Field::Plain("client_credentials".into())),
            (
                "client_assertion_type",
                Field::Plain(CLIENT_ASSERTION_TYPE.into()),
            ),
            (
                "client_assertion",
                Field::Secret(self.subject.token.clone()),
            ),
        ]
    }
}

pub fn validate(req: &EntraRequest) -> Result<(), ExchangeError> {
    crate::urls::require_https_or_loopback(&req.authority)
        .map_err(|why| ExchangeError::Input(format!("--authority: {why}")))?;
    if req.tenant.is_empty() || req.tenant.contains(['/', '?', '#', ' ']) {
        return Err(ExchangeError::Input(format!(
            "--tenant {:?}: expected a tenant ID (GUID) or domain such as contoso.onmicrosoft.com",
            req.tenant
        )));
    }
    if req.scopes.is_empty() {
        return Err(ExchangeError::Input(
            "--scope is required: client credentials take RESOURCE/.default (e.g. https://graph.microsoft.com/.default)".into(),
        ));
    }
    if let Some(bad) = req.scopes.iter().find(|s| !s.ends_with("/.default")) {
        return Err(ExchangeError::Input(format!(
            "--scope {bad:?}: client credentials take only RESOURCE/.default scopes"
        )));
    }
    Ok(())
}

pub fn preview(req: &EntraRequest) -> RequestPreview {
    RequestPreview {
        method: "POST",
        url: req.url(),
        content_type: Some("application/x-www-form-urlencoded"),
        headers: Vec::new(),
        body: req
            .form()
            .into_iter()
            .map(|(k, v)| Param {
                name: k.to_string(),
                value: v.shown(),
            })
            .collect(),
    }
}

pub async fn send(http: &Http, req: &EntraRequest) -> Result<Outcome, ExchangeError> {
    let form = req.form();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.expose())).collect();
    let url = req.url();
    let r = http
        .post_form(&url, &pairs, None, crate::http::DEFAULT_BODY_LIMIT)
        .await?;
    let scrubbed = super::scrub_refusal(r.status, &r.body, &super::secrets_of(&form));
    let mut outcome = oauth::with_request_id(
        oauth::parse_response(&url, r.status, &scrubbed, Timestamp::now())?,
        &r,
    );
    if let Outcome::Denied(d) = &mut outcome {
        let body: Option<serde_json::Value> = serde_json::from_slice(&scrubbed).ok();
        let field = |k: &str| body.as_ref().and_then(|b| b.get(k));
        // Microsoft documents `error_codes` as the field to act on (the
        // text of error_description may change); the AADSTS code opening
        // the description is the fallback.
        let keyed = field("error_codes")
            .and_then(|c| c.as_array()?.first()?.as_u64())
            .map(|c| format!("AADSTS{c}"));
        d.explanation =
            explain::entra(keyed.as_deref().or(d.description.as_deref())).or(d.explanation.take());
        // What Microsoft support asks for, with the timestamp.
        if let Some(id) = field("correlation_id").and_then(|v| v.as_str()) {
            d.request_id = Some(id.chars().filter(|c| !c.is_control()).take(80).collect());
        }
    }
    Ok(outcome)
}

/// How long a certificate-signed client assertion lives: Microsoft asks for
/// "5-10 minutes after nbf at most" (certificate-credentials).
pub const CERTIFICATE_ASSERTION_LIFETIME: crate::duration::Duration =
    crate::duration::Duration::from_secs(10 * 60);

/// An app registration's certificate credential, as the Microsoft identity
/// platform documents it ("Microsoft identity platform application
/// authentication certificate credentials"): the client assertion is an
/// RFC 7523 JWT signed with the certificate's private key — header `alg`
/// (PS256 for the RSA keys Microsoft documents), `typ: JWT`, `x5t#S256`
/// (base64url SHA-256 of the certificate's DER) and, for endpoints that
/// still read it, `x5t` (base64url SHA-1); claims `aud` = the token
/// endpoint, `iss` = `sub` = the client id, `jti`, `nbf`, `iat`, `exp`.
pub struct CertificateCredential {
    key: crate::token::sign::SigningKey,
    x5t_s256: String,
    x5t: String,
}

impl std::fmt::Debug for CertificateCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateCredential")
            .field("x5t#S256", &self.x5t_s256)
            .finish_non_exhaustive()
    }
}

impl CertificateCredential {
    /// The certificate is the first `CERTIFICATE` block of `cert_pem`; the
    /// private key is the one PEM private key in `key` when given, else in
    /// `cert_pem` (a file holding both, as Azure CLI and the Azure SDKs take
    /// it). Fails with one line (without the file name: the caller names the
    /// field and file) when a file is not PEM, holds no certificate or no
    /// private key, or the key is not the certificate's.
    pub fn from_pem(cert_pem: &[u8], key_pem: Option<&[u8]>) -> Result<Self, CertificateError> {
        let blocks = pem::parse_many(cert_pem)
            .map_err(|e| CertificateError::Certificate(format!("not a PEM file: {e}")))?;
        if blocks.is_empty() {
            return Err(CertificateError::Certificate(
                "not a PEM file (no -----BEGIN CERTIFICATE----- block; a .pfx/.p12 file converts with: openssl pkcs12 -in app.pfx -out app.pem -nodes)".into(),
            ));
        }
        let Some(cert) = blocks.iter().find(|b| b.tag() == "CERTIFICATE") else {
            return Err(CertificateError::Certificate(format!(
                "holds {} but no CERTIFICATE block",
                blocks
                    .iter()
                    .map(|b| b.tag())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let der = cert.contents();
        let public = crate::token::keys::material_from_certificate(der)
            .map_err(|e| CertificateError::Certificate(e.to_string()))?;
        let key = match key_pem {
            Some(bytes) => crate::token::sign::SigningKey::from_pem(bytes, "client_key_file")
                .map_err(|e| CertificateError::Key(e.kind.to_string()))?,
            None => crate::token::sign::SigningKey::from_pem(cert_pem, "client_certificate_file")
                .map_err(|e| {
                CertificateError::Certificate(format!(
                    "{} (put the key in the same file, or name it with client_key_file)",
                    e.kind
                ))
            })?,
        };
        if key.public_material() != &public {
            return Err(CertificateError::Mismatch);
        }
        let key = match key.family() {
            crate::token::keys::KeyFamily::Rsa { .. } => key
                .with_alg(crate::token::keys::Algorithm::PS256)
                .map_err(|e| CertificateError::Key(e.to_string()))?,
            _ => key,
        };
        let digest = |alg| crate::token::keys::b64url(aws_lc_rs::digest::digest(alg, der).as_ref());
        Ok(CertificateCredential {
            key,
            x5t_s256: digest(&aws_lc_rs::digest::SHA256),
            x5t: digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
        })
    }

    /// base64url SHA-256 thumbprint of the certificate (`x5t#S256`).
    pub fn thumbprint_s256(&self) -> &str {
        &self.x5t_s256
    }

    /// A fresh client assertion for `client_id` at `token_url`.
    pub fn assertion(
        &self,
        client_id: &str,
        token_url: &str,
        now: Timestamp,
    ) -> Result<String, ExchangeError> {
        let mut header = serde_json::Map::new();
        header.insert("x5t#S256".into(), self.x5t_s256.clone().into());
        header.insert("x5t".into(), self.x5t.clone().into());
        // A GUID-shaped jti, as the certificate-credentials page shows.
        let hex = super::random_hex(16)?;
        let jti = format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        );
        oauth::client_assertion_with(
            &self.key,
            client_id,
            token_url,
            now,
            CERTIFICATE_ASSERTION_LIFETIME,
            jti,
            header,
        )
        .map_err(|e| ExchangeError::Input(format!("signing the client assertion: {e}")))
    }
}

/// Why a certificate credential could not be loaded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CertificateError {
    /// The certificate file: not PEM, no certificate, no private key.
    #[error("{0}")]
    Certificate(String),
    /// The separate key file.
    #[error("{0}")]
    Key(String),
    #[error("the private key does not match the certificate's public key")]
    Mismatch,
}
