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
