//! Anthropic workload identity federation: `POST {base}/v1/oauth/token`
//! with a JSON body using the RFC 7523 jwt-bearer grant (`assertion`,
//! `federation_rule_id` fdrl_…, `organization_id`, `service_account_id`
//! svac_…, optional `workspace_id` wrkspc_… or `default`), answered by a
//! standard OAuth token response whose access_token is `sk-ant-oat01-…`.
//! Shapes from https://platform.claude.com/docs/en/manage-claude/wif-reference;
//! the `anthropic-beta` values are the ones Anthropic's SDKs send on this
//! exchange (anthropic-sdk-typescript src/lib/credentials/types.ts).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::{
    ExchangeError, Field, GRANT_JWT_BEARER, Outcome, Param, RequestPreview, SubjectToken, explain,
    oauth,
};
use crate::http::Http;

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const TOKEN_PATH: &str = "/v1/oauth/token";
pub const BETA: &str = "oauth-2025-04-20,oidc-federation-2026-04-01";
/// The token endpoint refuses larger assertions (the SDKs check it too).
pub const MAX_ASSERTION_BYTES: usize = 16 * 1024;

pub struct AnthropicRequest {
    pub base_url: String,
    pub federation_rule_id: String,
    pub organization_id: String,
    pub service_account_id: String,
    pub workspace_id: Option<String>,
    pub subject: SubjectToken,
}

impl AnthropicRequest {
    pub fn url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url.trim_end_matches('/'))
    }

    fn fields(&self) -> Vec<(&'static str, Field)> {
        let mut f = vec![
            ("grant_type", Field::Plain(GRANT_JWT_BEARER.into())),
            ("assertion", Field::Secret(self.subject.token.clone())),
            (
                "federation_rule_id",
                Field::Plain(self.federation_rule_id.clone()),
            ),
            (
                "organization_id",
                Field::Plain(self.organization_id.clone()),
            ),
            (
                "service_account_id",
                Field::Plain(self.service_account_id.clone()),
            ),
        ];
        if let Some(w) = &self.workspace_id {
            f.push(("workspace_id", Field::Plain(w.clone())));
        }
        f
    }
}

pub fn validate(req: &AnthropicRequest) -> Result<(), ExchangeError> {
    crate::urls::require_https_or_loopback(&req.base_url)
        .map_err(|why| ExchangeError::Input(format!("--base-url: {why}")))?;
    let tagged = |flag: &str, value: &str, prefix: &str| {
        if value.starts_with(prefix) && value.len() > prefix.len() {
            Ok(())
        } else {
            Err(ExchangeError::Input(format!(
                "{flag} {value:?}: expected a tagged ID {prefix}…"
            )))
        }
    };
    tagged("--federation-rule-id", &req.federation_rule_id, "fdrl_")?;
    tagged("--service-account-id", &req.service_account_id, "svac_")?;
    if let Some(w) = &req.workspace_id
        && w != "default"
    {
        tagged("--workspace-id", w, "wrkspc_")?;
    }
    let uuid = &req.organization_id;
    let is_uuid = uuid.len() == 36
        && uuid.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if !is_uuid {
        return Err(ExchangeError::Input(format!(
            "--organization-id {uuid:?}: expected the organization's UUID (Claude Console, Settings > Organization)"
        )));
    }
    if req.subject.token.expose().len() > MAX_ASSERTION_BYTES {
        return Err(ExchangeError::Input(format!(
            "{}: the identity token is over 16 KiB, the token endpoint's limit",
            req.subject.origin
        )));
    }
    Ok(())
}

pub fn preview(req: &AnthropicRequest) -> RequestPreview {
    RequestPreview {
        method: "POST",
        url: req.url(),
        content_type: Some("application/json"),
        headers: vec![Param {
            name: "anthropic-beta".into(),
            value: BETA.into(),
        }],
        body: req
            .fields()
            .into_iter()
            .map(|(k, v)| Param {
                name: k.to_string(),
                value: v.shown(),
            })
            .collect(),
    }
}

pub async fn send(http: &Http, req: &AnthropicRequest) -> Result<Outcome, ExchangeError> {
    let body: Map<String, Value> = req
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.expose().to_string())))
        .collect();
    let url = req.url();
    let r = http
        .post_json(
            &url,
            &Value::Object(body),
            &[("anthropic-beta", BETA)],
            crate::http::DEFAULT_BODY_LIMIT,
        )
        .await?;
    let body = super::scrub_refusal(r.status, &r.body, &super::secrets_of(&req.fields()));
    let mut outcome = oauth::with_request_id(
        oauth::parse_response(&url, r.status, &body, Timestamp::now())?,
        &r,
    );
    if let Outcome::Denied(d) = &mut outcome {
        d.explanation = explain::anthropic(
            d.status,
            &d.error,
            d.description.as_deref(),
            req.workspace_id.is_some(),
        )
        .or(d.explanation.take());
    }
    Ok(outcome)
}
