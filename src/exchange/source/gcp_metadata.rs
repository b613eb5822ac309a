//! `--from gcp-metadata`: an identity token from the GCE/GKE/Cloud Run
//! metadata server: GET
//! `http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=AUD&format=full`
//! with `Metadata-Flavor: Google`; the body is the JWT. GCE_METADATA_HOST
//! (as Google's client libraries read it) or --source-endpoint moves it.

use super::{Platform, SourceOptions, with_query};
use crate::exchange::{ExchangeError, Secret, SubjectToken, one_line};
use crate::http::Http;

pub const HOST_ENV: &str = "GCE_METADATA_HOST";
pub const DEFAULT_BASE: &str = "http://metadata.google.internal";
pub const PATH: &str = "/computeMetadata/v1/instance/service-accounts/default/identity";

pub async fn fetch(opts: &SourceOptions, http: &Http) -> Result<SubjectToken, ExchangeError> {
    let name = Platform::GcpMetadata.name();
    let Some(audience) = &opts.audience else {
        return Err(ExchangeError::Input(format!(
            "--from {name} needs --source-audience AUD: the metadata server mints identity tokens for a named audience"
        )));
    };
    let base = match (&opts.endpoint, std::env::var(HOST_ENV)) {
        (Some(e), _) => e.trim_end_matches('/').to_string(),
        (None, Ok(host)) if !host.is_empty() => format!("http://{host}"),
        _ => DEFAULT_BASE.to_string(),
    };
    let url = with_query(
        &with_query(&format!("{base}{PATH}"), "audience", audience),
        "format",
        "full",
    );
    let r = http
        .get_with(
            &url,
            &[("Metadata-Flavor", "Google")],
            None,
            64 * 1024,
            true,
        )
        .await?;
    if !r.is_success() {
        return Err(ExchangeError::Operational(format!(
            "--from {name}: the metadata server answered HTTP {}: {}",
            r.status,
            one_line(&String::from_utf8_lossy(&r.body), 200)
        )));
    }
    let token = String::from_utf8_lossy(&r.body).trim().to_string();
    if token.is_empty() {
        return Err(ExchangeError::Operational(format!(
            "--from {name}: the metadata server sent an empty token"
        )));
    }
    Ok(SubjectToken {
        token: Secret::new(token),
        origin: format!("{name} identity token"),
    })
}
