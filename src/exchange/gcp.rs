//! Google Cloud workload identity federation: the Security Token Service
//! exchange (`POST https://sts.googleapis.com/v1/token`, RFC 8693 with the
//! workload identity provider's full resource name as `audience`), then
//! optionally service-account impersonation (`POST
//! https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken`
//! with `{"scope": [...], "lifetime": "3600s"}`, answered by
//! `{"accessToken", "expireTime"}`). Also reads the `external_account`
//! credential configuration files gcloud writes.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{
    Credential, Denied, ExchangeError, Field, GRANT_TOKEN_EXCHANGE, Granted, Outcome, Param,
    RequestPreview, Secret, SubjectToken, explain, oauth, one_line, token_type_urn,
};
use crate::http::Http;

pub const DEFAULT_STS: &str = "https://sts.googleapis.com/v1/token";
pub const DEFAULT_IAMCREDENTIALS: &str = "https://iamcredentials.googleapis.com";
pub const DEFAULT_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

pub struct GcpRequest {
    pub sts_url: String,
    /// `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/X`
    pub audience: String,
    pub scopes: Vec<String>,
    pub subject_token_type: String,
    pub subject: SubjectToken,
    /// generateAccessToken URL, when impersonating.
    pub impersonation_url: Option<String>,
    pub lifetime_secs: Option<u64>,
}

/// `projects/N/locations/global/workloadIdentityPools/P/providers/X` (as the
/// console and google-github-actions/auth show it) to the STS audience.
pub fn audience_of(provider: &str) -> String {
    let p = provider.trim();
    if p.starts_with("//") {
        p.to_string()
    } else if let Some(rest) = p.strip_prefix("https:") {
        rest.to_string()
    } else {
        format!("//iam.googleapis.com/{}", p.trim_start_matches('/'))
    }
}

pub fn impersonation_url(base: &str, email: &str) -> String {
    format!(
        "{}/v1/projects/-/serviceAccounts/{email}:generateAccessToken",
        base.trim_end_matches('/')
    )
}

impl GcpRequest {
    fn sts_form(&self) -> Vec<(&'static str, Field)> {
        vec![
            ("grant_type", Field::Plain(GRANT_TOKEN_EXCHANGE.into())),
            ("audience", Field::Plain(self.audience.clone())),
            ("scope", Field::Plain(self.scopes.join(" "))),
            (
                "requested_token_type",
                Field::Plain(token_type_urn("access_token")),
            ),
            ("subject_token", Field::Secret(self.subject.token.clone())),
            (
                "subject_token_type",
                Field::Plain(self.subject_token_type.clone()),
            ),
        ]
    }
}

pub fn validate(req: &GcpRequest) -> Result<(), ExchangeError> {
    crate::urls::require_https_or_loopback(&req.sts_url)
        .map_err(|why| ExchangeError::Input(format!("--sts-endpoint: {why}")))?;
    if let Some(u) = &req.impersonation_url {
        crate::urls::require_https_or_loopback(u).map_err(|why| {
            ExchangeError::Input(format!("service account impersonation URL: {why}"))
        })?;
    }
    let a = &req.audience;
    let ok = a.starts_with("//iam.googleapis.com/")
        && (a.contains("/workloadIdentityPools/") || a.contains("/workforcePools/"))
        && a.contains("/providers/");
    if !ok {
        return Err(ExchangeError::Input(format!(
            "--provider {a:?}: expected the provider's full resource name, //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER"
        )));
    }
    if let Some(l) = req.lifetime_secs
        && !(1..=43_200).contains(&l)
    {
        return Err(ExchangeError::Input(format!(
            "--lifetime: generateAccessToken takes up to 12h (3600s unless the org policy allows more), got {l}s"
        )));
    }
    Ok(())
}

pub fn preview(req: &GcpRequest) -> RequestPreview {
    let mut body: Vec<Param> = req
        .sts_form()
        .into_iter()
        .map(|(k, v)| Param {
            name: k.to_string(),
            value: v.shown(),
        })
        .collect();
    if let Some(u) = &req.impersonation_url {
        body.push(Param {
            name: "then POST".into(),
            value: format!(
                "{u} {{scope: [{}]{}}} with the STS token as bearer",
                req.scopes.join(", "),
                req.lifetime_secs
                    .map(|l| format!(", lifetime: {l}s"))
                    .unwrap_or_default()
            ),
        });
    }
    RequestPreview {
        method: "POST",
        url: req.sts_url.clone(),
        content_type: Some("application/x-www-form-urlencoded"),
        headers: Vec::new(),
        body,
    }
}

pub async fn send(http: &Http, req: &GcpRequest) -> Result<Outcome, ExchangeError> {
    let form = req.sts_form();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.expose())).collect();
    let r = http
        .post_form(&req.sts_url, &pairs, None, crate::http::DEFAULT_BODY_LIMIT)
        .await?;
    let body = super::scrub_refusal(r.status, &r.body, &super::secrets_of(&form));
    let mut outcome = oauth::with_request_id(
        oauth::parse_response(&req.sts_url, r.status, &body, Timestamp::now())?,
        &r,
    );
    match &mut outcome {
        Outcome::Denied(d) => {
            d.explanation =
                explain::gcp_sts(&d.error, d.description.as_deref()).or(d.explanation.take());
            return Ok(outcome);
        }
        Outcome::Granted(g) => {
            g.facts.push(Param {
                name: "stage".into(),
                value: "Google STS federated token".into(),
            });
        }
    }
    let Some(url) = &req.impersonation_url else {
        return Ok(outcome);
    };
    let Outcome::Granted(sts) = outcome else {
        unreachable!("denials returned above")
    };
    let Credential::Token { value: federated } = &sts.credential else {
        unreachable!("STS returns a token")
    };
    let mut body = json!({ "scope": req.scopes });
    if let Some(l) = req.lifetime_secs {
        body["lifetime"] = Value::String(format!("{l}s"));
    }
    let auth = format!("Bearer {}", federated.expose());
    let r = http
        .post_json(
            url,
            &body,
            &[("authorization", &auth)],
            crate::http::DEFAULT_BODY_LIMIT,
        )
        .await?;
    let mut sent = super::secrets_of(&form);
    sent.push(federated.expose().to_string());
    let scrubbed = super::scrub_refusal(r.status, &r.body, &sent);
    let json: Value = serde_json::from_slice(&scrubbed).unwrap_or(Value::Null);
    if (200..300).contains(&r.status) {
        let token = json
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ExchangeError::Operational(format!(
                    "{url} answered HTTP {} without an accessToken",
                    r.status
                ))
            })?;
        let expires_at = json
            .get("expireTime")
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<Timestamp>().ok());
        let now = Timestamp::now();
        let email = url
            .rsplit("/serviceAccounts/")
            .next()
            .and_then(|s| s.split(':').next())
            .unwrap_or("")
            .to_string();
        return Ok(Outcome::Granted(Box::new(Granted {
            credential: Credential::Token {
                value: Secret::new(token),
            },
            issued_token_type: None,
            token_type: Some("Bearer".into()),
            expires_in: expires_at.map(|e| e.as_second() - now.as_second()),
            expires_at,
            scope: None,
            refresh_token: None,
            facts: vec![
                Param {
                    name: "stage".into(),
                    value: "service account access token (impersonation)".into(),
                },
                Param {
                    name: "service_account".into(),
                    value: email,
                },
            ],
        })));
    }
    // Google API errors: {"error": {"code", "message", "status"}}.
    let err = json.get("error");
    let status_name = err
        .and_then(|e| e.get("status"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let message = err
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(|m| one_line(m, 300));
    if r.status >= 500 || status_name.is_empty() && !matches!(r.status, 400 | 401 | 403 | 404) {
        return Err(ExchangeError::Operational(format!(
            "{url} answered HTTP {}{}",
            r.status,
            message.map(|m| format!(": {m}")).unwrap_or_default()
        )));
    }
    let error = if status_name.is_empty() {
        format!("http_{}", r.status)
    } else {
        status_name
    };
    Ok(Outcome::Denied(Denied {
        status: r.status,
        explanation: explain::gcp_iam(&error, message.as_deref()),
        error,
        description: message,
        request_id: r.request_id.clone(),
    }))
}

/// What an `external_account` credential configuration says.
#[derive(Debug, Clone)]
pub struct CredentialConfig {
    pub audience: String,
    pub subject_token_type: String,
    pub token_url: Option<String>,
    pub impersonation_url: Option<String>,
    pub lifetime_secs: Option<u64>,
    pub source: ConfigSource,
}

#[derive(Debug, Clone)]
pub enum ConfigSource {
    File {
        path: String,
        json_field: Option<String>,
    },
    Url {
        url: String,
        headers: Vec<(String, String)>,
        json_field: Option<String>,
    },
    /// Pluggable auth: a command prints the token (source/gcp_executable.rs).
    Executable(super::source::gcp_executable::Executable),
    /// A signed AWS GetCallerIdentity request (source/gcp_aws.rs).
    Aws(super::source::gcp_aws::AwsSource),
}

pub fn parse_credential_config(
    text: &str,
    origin: &str,
) -> Result<CredentialConfig, ExchangeError> {
    let bad = |why: String| ExchangeError::Input(format!("--credential-config {origin}: {why}"));
    let v: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    match s("type").as_deref() {
        Some("external_account") => {}
        other => {
            return Err(bad(format!(
                "type is {other:?}; only \"external_account\" (workload identity federation) is an exchange"
            )));
        }
    }
    let audience = s("audience").ok_or_else(|| bad("no \"audience\"".into()))?;
    let cs = v
        .get("credential_source")
        .ok_or_else(|| bad("no \"credential_source\"".into()))?;
    let format = cs.get("format");
    let json_field = match format.and_then(|f| f.get("type")).and_then(Value::as_str) {
        Some("json") => Some(
            format
                .and_then(|f| f.get("subject_token_field_name"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    bad("credential_source.format json without subject_token_field_name".into())
                })?
                .to_string(),
        ),
        _ => None,
    };
    // An AWS configuration also has a `url` (the instance-role endpoint):
    // environment_id decides first.
    let source = if cs.get("environment_id").is_some() {
        ConfigSource::Aws(super::source::gcp_aws::parse(cs).map_err(bad)?)
    } else if let Some(file) = cs.get("file").and_then(Value::as_str) {
        ConfigSource::File {
            path: file.to_string(),
            json_field,
        }
    } else if let Some(url) = cs.get("url").and_then(Value::as_str) {
        let headers = cs
            .get("headers")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        ConfigSource::Url {
            url: url.to_string(),
            headers,
            json_field,
        }
    } else if let Some(exe) = cs.get("executable") {
        ConfigSource::Executable(super::source::gcp_executable::parse(exe).map_err(bad)?)
    } else {
        return Err(bad(
            "credential_source is not \"file\", \"url\", \"executable\" or an AWS environment_id"
                .into(),
        ));
    };
    Ok(CredentialConfig {
        audience,
        subject_token_type: s("subject_token_type").unwrap_or_else(|| token_type_urn("jwt")),
        token_url: s("token_url"),
        impersonation_url: s("service_account_impersonation_url"),
        lifetime_secs: v
            .get("service_account_impersonation")
            .and_then(|i| i.get("token_lifetime_seconds"))
            .and_then(Value::as_u64),
        source,
    })
}

/// The subject token a credential configuration points at.
pub async fn config_subject(
    c: &CredentialConfig,
    http: &Http,
) -> Result<SubjectToken, ExchangeError> {
    let (text, origin, field) = match &c.source {
        ConfigSource::File { path, json_field } => {
            let t = super::source::file::from_path(std::path::Path::new(path))?;
            (
                t.token.expose().to_string(),
                format!("credential_source file {path}"),
                json_field,
            )
        }
        ConfigSource::Url {
            url,
            headers,
            json_field,
        } => {
            let h: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let r = http.get_with(url, &h, None, 64 * 1024, true).await?;
            if !r.is_success() {
                return Err(ExchangeError::Operational(format!(
                    "credential_source url {url} answered HTTP {}",
                    r.status
                )));
            }
            (
                String::from_utf8_lossy(&r.body).trim().to_string(),
                format!("credential_source url {url}"),
                json_field,
            )
        }
        ConfigSource::Aws(src) => {
            return super::source::gcp_aws::subject_token(src, &c.audience, http).await;
        }
        ConfigSource::Executable(exe) => {
            // The email the token will be impersonating, as Google's libraries
            // tell the executable: …/serviceAccounts/EMAIL:generateAccessToken.
            let email = c.impersonation_url.as_deref().and_then(|u| {
                let tail = u.rsplit_once("/serviceAccounts/")?.1;
                tail.strip_suffix(":generateAccessToken")
                    .filter(|e| e.contains('@'))
            });
            let ctx = super::source::gcp_executable::Context {
                audience: &c.audience,
                subject_token_type: &c.subject_token_type,
                impersonated_email: email,
            };
            return super::source::gcp_executable::subject_token(exe, &ctx, jiff::Timestamp::now());
        }
    };
    let token = match field {
        Some(f) => serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get(f).and_then(Value::as_str).map(str::to_string))
            .ok_or_else(|| {
                ExchangeError::Input(format!("{origin}: no JSON field {f:?} holding the token"))
            })?,
        None => text,
    };
    Ok(SubjectToken {
        token: Secret::new(token),
        origin,
    })
}
