//! `--from github-actions`: a GitHub Actions OIDC token, fetched the way
//! actions/toolkit's `core.getIDToken` does: GET
//! `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD` with
//! `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`; the answer is
//! `{"value": "<jwt>"}`. The job needs `permissions: id-token: write`.

use super::{Platform, SourceOptions, with_query};
use crate::exchange::{ExchangeError, Secret, SubjectToken, one_line};
use crate::http::{Auth, Http};

pub const URL_ENV: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
pub const TOKEN_ENV: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

pub async fn fetch(opts: &SourceOptions, http: &Http) -> Result<SubjectToken, ExchangeError> {
    let name = Platform::GithubActions.name();
    let base = match &opts.endpoint {
        Some(e) => e.clone(),
        None => std::env::var(URL_ENV).map_err(|_| {
            ExchangeError::Input(format!(
                "--from {name}: {URL_ENV} is not set: the job needs `permissions: id-token: write` (or give --source-endpoint)"
            ))
        })?,
    };
    let request_token = std::env::var(TOKEN_ENV).map_err(|_| {
        ExchangeError::Input(format!(
            "--from {name}: {TOKEN_ENV} is not set: the job needs `permissions: id-token: write`"
        ))
    })?;
    let url = match &opts.audience {
        Some(aud) => with_query(&base, "audience", aud),
        None => base,
    };
    let r = http
        .get_with(
            &url,
            &[],
            Some(Auth::Bearer(&request_token)),
            64 * 1024,
            false,
        )
        .await?;
    if !r.is_success() {
        return Err(ExchangeError::Operational(format!(
            "--from {name}: the token request answered HTTP {}: {}",
            r.status,
            one_line(&String::from_utf8_lossy(&r.body), 200)
        )));
    }
    let value = serde_json::from_slice::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v.get("value").and_then(|t| t.as_str()).map(str::to_string))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ExchangeError::Operational(format!(
                "--from {name}: the answer has no \"value\" (expected {{\"value\": \"<jwt>\"}})"
            ))
        })?;
    Ok(SubjectToken {
        token: Secret::new(value),
        origin: format!("{name} OIDC token"),
    })
}
