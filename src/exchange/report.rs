//! The result of `agentid exchange` as one document (table and json render
//! it). Secrets appear only redacted, unless `--reveal` put them in.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::analyze::Analysis;
use super::preflight::PreflightCheck;
use super::{Credential, Denied, Granted, Param, RequestPreview, SubjectToken};
use crate::token::claims;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Result {
    Granted,
    Denied,
    DryRun,
    /// Not sent: a preflight check failed under --enforce.
    Blocked,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub origin: String,
    pub token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aud: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<Timestamp>,
}

impl SubjectView {
    pub fn new(t: &SubjectToken) -> Self {
        let c = t.claims().unwrap_or_default();
        let s = |k: &str| {
            claims::string_claim(&c, k)
                .ok()
                .flatten()
                .map(str::to_string)
        };
        SubjectView {
            origin: t.origin.clone(),
            token: t.token.redacted(),
            iss: s("iss"),
            sub: s("sub"),
            aud: claims::audiences(&c).unwrap_or_default(),
            exp: c
                .get("exp")
                .and_then(Value::as_i64)
                .and_then(|e| Timestamp::from_second(e).ok()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantedView {
    /// `{kind, …}`: secrets redacted, plus `value`s with --reveal.
    pub credential: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Param>,
    pub analysis: Analysis,
}

impl GrantedView {
    pub fn new(g: &Granted, analysis: Analysis, reveal: bool) -> Self {
        GrantedView {
            credential: credential_json(&g.credential, reveal),
            issued_token_type: g.issued_token_type.clone(),
            token_type: g.token_type.clone(),
            expires_in: g.expires_in,
            expires_at: g.expires_at,
            scope: g.scope.clone(),
            refresh_token: g.refresh_token.as_ref().map(|r| r.redacted()),
            facts: g.facts.clone(),
            analysis,
        }
    }
}

pub fn credential_json(c: &Credential, reveal: bool) -> Value {
    let mut m = Map::new();
    match c {
        Credential::Token { value } => {
            m.insert("kind".into(), "token".into());
            m.insert("redacted".into(), value.redacted().into());
            if reveal {
                m.insert("value".into(), value.expose().into());
            }
        }
        Credential::Aws {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
        } => {
            m.insert("kind".into(), "aws".into());
            m.insert("access_key_id".into(), access_key_id.redacted().into());
            m.insert(
                "secret_access_key".into(),
                secret_access_key.redacted().into(),
            );
            m.insert("session_token".into(), session_token.redacted().into());
            if let Some(e) = expiration {
                m.insert("expiration".into(), json!(e));
            }
            if reveal {
                m.insert(
                    "value".into(),
                    json!({
                        "access_key_id": access_key_id.expose(),
                        "secret_access_key": secret_access_key.expose(),
                        "session_token": session_token.expose(),
                    }),
                );
            }
        }
    }
    Value::Object(m)
}

#[derive(Debug, Clone, Serialize)]
pub struct ExchangeReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub protocol: &'static str,
    pub result: Result,
    /// `--expect-denied`: success means the server refused.
    pub expect_denied: bool,
    /// The verdict the exit code reports: granted (or, with
    /// --expect-denied, denied), or a dry run.
    pub ok: bool,
    pub subject: SubjectView,
    pub request: RequestPreview,
    pub preflight: Vec<PreflightCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<GrantedView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denied: Option<Denied>,
}
