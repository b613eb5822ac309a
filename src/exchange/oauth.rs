//! OAuth 2.0 token endpoint grants: RFC 8693 token exchange and the RFC 7523
//! §2.1 JWT-bearer grant, with client authentication none,
//! client_secret_basic, client_secret_post or private_key_jwt (RFC 7523 §2.2).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::{
    CLIENT_ASSERTION_TYPE, Credential, Denied, ExchangeError, Field, GRANT_JWT_BEARER,
    GRANT_TOKEN_EXCHANGE, Granted, Outcome, Param, RequestPreview, Secret, SubjectToken, explain,
    one_line, random_hex,
};
use crate::http::{Auth, Http};
use crate::token::sign::{self, MintOptions, SigningKey};

/// Lifetime of a private_key_jwt client assertion.
pub const ASSERTION_LIFETIME: crate::duration::Duration = crate::duration::Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// RFC 8693.
    TokenExchange,
    /// RFC 7523 §2.1: the subject token is the `assertion`.
    JwtBearer,
}

/// How the client authenticates at the token endpoint.
pub enum ClientAuth {
    /// No client authentication; `client_id` sent in the body when given.
    None { client_id: Option<String> },
    /// RFC 6749 §2.3.1, HTTP Basic.
    SecretBasic { client_id: String, secret: Secret },
    /// RFC 6749 §2.3.1, in the body.
    SecretPost { client_id: String, secret: Secret },
    /// RFC 7523 §2.2: a JWT signed by the client's key, iss = sub = client_id,
    /// aud = the token endpoint (or `audience`).
    PrivateKeyJwt {
        client_id: String,
        key: Box<SigningKey>,
        audience: Option<String>,
    },
}

impl ClientAuth {
    pub fn method(&self) -> &'static str {
        match self {
            ClientAuth::None { .. } => "none",
            ClientAuth::SecretBasic { .. } => "client_secret_basic",
            ClientAuth::SecretPost { .. } => "client_secret_post",
            ClientAuth::PrivateKeyJwt { .. } => "private_key_jwt",
        }
    }
}

pub struct OauthRequest {
    pub token_endpoint: String,
    pub grant: Grant,
    pub subject: SubjectToken,
    /// Full URN.
    pub subject_token_type: String,
    /// Actor token and its type (URN), for on-behalf-of.
    pub actor: Option<(SubjectToken, String)>,
    pub requested_token_type: Option<String>,
    pub audiences: Vec<String>,
    pub resources: Vec<String>,
    pub scopes: Vec<String>,
    pub client: ClientAuth,
}

/// A request ready to send.
pub struct Built {
    pub url: String,
    pub form: Vec<(String, Field)>,
    pub basic: Option<(String, Secret)>,
}

pub fn build(req: &OauthRequest, now: Timestamp) -> Result<Built, ExchangeError> {
    let mut form: Vec<(String, Field)> = Vec::new();
    let mut push = |k: &str, v: Field| form.push((k.to_string(), v));
    match req.grant {
        Grant::TokenExchange => {
            push("grant_type", Field::Plain(GRANT_TOKEN_EXCHANGE.into()));
            push("subject_token", Field::Secret(req.subject.token.clone()));
            push(
                "subject_token_type",
                Field::Plain(req.subject_token_type.clone()),
            );
            if let Some((actor, tt)) = &req.actor {
                push("actor_token", Field::Secret(actor.token.clone()));
                push("actor_token_type", Field::Plain(tt.clone()));
            }
            if let Some(rtt) = &req.requested_token_type {
                push("requested_token_type", Field::Plain(rtt.clone()));
            }
            for a in &req.audiences {
                push("audience", Field::Plain(a.clone()));
            }
        }
        Grant::JwtBearer => {
            if req.actor.is_some() || req.requested_token_type.is_some() {
                return Err(ExchangeError::Input(
                    "--actor-token and --requested-token-type are RFC 8693 token-exchange parameters; --grant jwt-bearer does not take them".into(),
                ));
            }
            if !req.audiences.is_empty() {
                return Err(ExchangeError::Input(
                    "--audience is an RFC 8693 parameter; with --grant jwt-bearer name the target with --resource".into(),
                ));
            }
            push("grant_type", Field::Plain(GRANT_JWT_BEARER.into()));
            push("assertion", Field::Secret(req.subject.token.clone()));
        }
    }
    for r in &req.resources {
        push("resource", Field::Plain(r.clone()));
    }
    if !req.scopes.is_empty() {
        push("scope", Field::Plain(req.scopes.join(" ")));
    }
    let mut basic = None;
    match &req.client {
        ClientAuth::None { client_id } => {
            if let Some(id) = client_id {
                push("client_id", Field::Plain(id.clone()));
            }
        }
        ClientAuth::SecretBasic { client_id, secret } => {
            basic = Some((client_id.clone(), secret.clone()));
        }
        ClientAuth::SecretPost { client_id, secret } => {
            push("client_id", Field::Plain(client_id.clone()));
            push("client_secret", Field::Secret(secret.clone()));
        }
        ClientAuth::PrivateKeyJwt {
            client_id,
            key,
            audience,
        } => {
            let assertion = client_assertion(
                key,
                client_id,
                audience.as_deref().unwrap_or(&req.token_endpoint),
                now,
            )?;
            push("client_id", Field::Plain(client_id.clone()));
            push(
                "client_assertion_type",
                Field::Plain(CLIENT_ASSERTION_TYPE.into()),
            );
            push("client_assertion", Field::Secret(Secret::new(assertion)));
        }
    }
    Ok(Built {
        url: req.token_endpoint.clone(),
        form,
        basic,
    })
}

/// RFC 7523 §2.2 / §3: iss = sub = client_id, aud, a fresh jti, exp a minute out.
pub fn client_assertion(
    key: &SigningKey,
    client_id: &str,
    audience: &str,
    now: Timestamp,
) -> Result<String, ExchangeError> {
    client_assertion_with(
        key,
        client_id,
        audience,
        now,
        ASSERTION_LIFETIME,
        random_hex(16)?,
        Map::new(),
    )
    .map_err(|e| ExchangeError::Input(format!("--client-key {}: {e}", key.origin())))
}

/// [`client_assertion`] with a given lifetime and `jti`, and more header
/// members (Entra's certificate credentials name the certificate in
/// `x5t#S256` / `x5t`).
pub fn client_assertion_with(
    key: &SigningKey,
    client_id: &str,
    audience: &str,
    now: Timestamp,
    lifetime: crate::duration::Duration,
    jti: String,
    header: Map<String, Value>,
) -> Result<String, sign::MintError> {
    let mut claims = Map::new();
    claims.insert("iss".into(), client_id.into());
    claims.insert("sub".into(), client_id.into());
    claims.insert("jti".into(), jti.into());
    let mut opts = MintOptions::new(now);
    opts.lifetime = Some(lifetime);
    opts.audience = vec![audience.to_string()];
    sign::mint_with_header(key, claims, &opts, header)
}

pub fn preview(b: &Built) -> RequestPreview {
    let mut headers = Vec::new();
    if let Some((id, secret)) = &b.basic {
        headers.push(Param {
            name: "authorization".into(),
            value: format!("Basic {id}:{}", secret.redacted()),
        });
    }
    RequestPreview {
        method: "POST",
        url: b.url.clone(),
        content_type: Some("application/x-www-form-urlencoded"),
        headers,
        body: b
            .form
            .iter()
            .map(|(k, v)| Param {
                name: k.clone(),
                value: v.shown(),
            })
            .collect(),
    }
}

pub async fn send(http: &Http, b: &Built) -> Result<Outcome, ExchangeError> {
    let pairs: Vec<(&str, &str)> = b
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.expose()))
        .collect();
    let auth = b.basic.as_ref().map(|(user, secret)| Auth::Basic {
        user,
        password: secret.expose(),
    });
    let r = http
        .post_form(&b.url, &pairs, auth, crate::http::DEFAULT_BODY_LIMIT)
        .await?;
    let mut sent = super::secrets_of(&b.form);
    sent.extend(b.basic.iter().map(|(_, s)| s.expose().to_string()));
    let body = super::scrub_refusal(r.status, &r.body, &sent);
    let outcome = parse_response(&b.url, r.status, &body, Timestamp::now())?;
    Ok(with_request_id(outcome, &r))
}

/// RFC 6749 §5.1 / RFC 8693 §2.2.1 success, §5.2 / §2.2.2 error.
/// Stamps the provider's request id (from the response headers) on a denial.
pub fn with_request_id(mut outcome: Outcome, r: &crate::http::Response) -> Outcome {
    if let Outcome::Denied(d) = &mut outcome {
        d.request_id.clone_from(&r.request_id);
    }
    outcome
}

pub fn parse_response(
    url: &str,
    status: u16,
    body: &[u8],
    now: Timestamp,
) -> Result<Outcome, ExchangeError> {
    let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
    let text =
        |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    if (200..300).contains(&status) {
        let Some(m) = json else {
            return Err(ExchangeError::Operational(format!(
                "{url} answered HTTP {status} with a body that is not a JSON object"
            )));
        };
        let Some(token) = text(&m, "access_token").filter(|t| !t.is_empty()) else {
            return Err(ExchangeError::Operational(format!(
                "{url} answered HTTP {status} without an access_token"
            )));
        };
        let expires_in = m.get("expires_in").and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        });
        return Ok(Outcome::Granted(Box::new(Granted {
            credential: Credential::Token {
                value: Secret::new(token),
            },
            issued_token_type: text(&m, "issued_token_type"),
            token_type: text(&m, "token_type"),
            expires_in,
            expires_at: expires_in
                .and_then(|s| Timestamp::from_second(now.as_second().saturating_add(s)).ok()),
            scope: text(&m, "scope"),
            refresh_token: text(&m, "refresh_token").map(Secret::new),
            facts: Vec::new(),
        })));
    }
    if let Some(m) = &json
        && let Some(error) = text(m, "error")
        && status < 500
    {
        let description = text(m, "error_description").map(|d| one_line(&d, 300));
        return Ok(Outcome::Denied(Denied {
            status,
            explanation: explain::oauth(&error, description.as_deref()),
            error,
            description,
            request_id: None,
        }));
    }
    if matches!(status, 400 | 401 | 403) {
        return Ok(Outcome::Denied(Denied {
            status,
            error: format!("http_{status}"),
            description: Some(one_line(&String::from_utf8_lossy(body), 200))
                .filter(|d| !d.is_empty()),
            explanation: None,
            request_id: None,
        }));
    }
    Err(ExchangeError::Operational(format!(
        "{url} answered HTTP {status}{}",
        json.as_ref()
            .and_then(|m| text(m, "error"))
            .map(|e| format!(": {e}"))
            .unwrap_or_default()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_success_answer_is_granted_with_its_lifetime() {
        let body = br#"{"access_token":"abc.def.ghi","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","expires_in":600,"scope":"read"}"#;
        let Outcome::Granted(g) = parse_response("u", 200, body, now()).unwrap() else {
            panic!("not granted")
        };
        assert_eq!(g.expires_in, Some(600));
        assert_eq!(g.expires_at, Some("2026-11-01T00:10:00Z".parse().unwrap()));
        assert_eq!(g.scope.as_deref(), Some("read"));
    }

    #[test]
    fn an_oauth_error_is_a_denial_with_an_explanation() {
        let body =
            br#"{"error":"invalid_client","error_description":"client authentication failed"}"#;
        let Outcome::Denied(d) = parse_response("u", 401, body, now()).unwrap() else {
            panic!("not denied")
        };
        assert_eq!(d.error, "invalid_client");
        assert!(d.explanation.unwrap().fix.contains("--client-id"));
    }

    #[test]
    fn a_server_error_is_operational() {
        let err = parse_response("u", 503, b"busy", now()).unwrap_err();
        assert!(matches!(err, ExchangeError::Operational(_)), "{err}");
        let err = parse_response("u", 200, b"{}", now()).unwrap_err();
        assert!(err.to_string().contains("without an access_token"), "{err}");
    }
}
