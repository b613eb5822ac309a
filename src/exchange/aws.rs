//! AWS STS AssumeRoleWithWebIdentity through the official SDK
//! (aws-sdk-sts): the web identity token for temporary credentials of a
//! role. The call is unsigned (the token is the proof), so no AWS
//! credentials are needed; the regional endpoint is used, and
//! `--endpoint` / AWS_ENDPOINT_URL_STS points it elsewhere (tests: moto).

use aws_sdk_sts::config::{BehaviorVersion, Region};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use jiff::Timestamp;

use super::{
    Credential, Denied, ExchangeError, Field, Granted, Outcome, Param, RequestPreview, Secret,
    SubjectToken, explain, one_line,
};

pub struct AwsRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: Option<i32>,
    /// Session policy JSON.
    pub policy: Option<String>,
    pub region: String,
    pub endpoint: Option<String>,
    pub subject: SubjectToken,
}

impl AwsRequest {
    /// The STS endpoint the SDK will call.
    pub fn url(&self) -> String {
        match &self.endpoint {
            Some(e) => e.clone(),
            None => format!("https://sts.{}.amazonaws.com/", self.region),
        }
    }

    fn fields(&self) -> Vec<(&'static str, Field)> {
        let mut f = vec![
            ("Action", Field::Plain("AssumeRoleWithWebIdentity".into())),
            ("Version", Field::Plain("2011-06-15".into())),
            ("RoleArn", Field::Plain(self.role_arn.clone())),
            ("RoleSessionName", Field::Plain(self.session_name.clone())),
            (
                "WebIdentityToken",
                Field::Secret(self.subject.token.clone()),
            ),
        ];
        if let Some(d) = self.duration_seconds {
            f.push(("DurationSeconds", Field::Plain(d.to_string())));
        }
        if let Some(p) = &self.policy {
            f.push(("Policy", Field::Plain(p.clone())));
        }
        f
    }
}

pub fn preview(req: &AwsRequest) -> RequestPreview {
    RequestPreview {
        method: "POST",
        url: req.url(),
        content_type: Some("application/x-www-form-urlencoded"),
        headers: Vec::new(),
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

/// `arn:PARTITION:iam::ACCOUNT:role/NAME` with a 12-digit account: anything
/// else is refused here rather than sent to STS (a bucket ARN, a short account).
fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|name| !name.is_empty())
}

/// Checks done before anything is sent.
pub fn validate(req: &AwsRequest) -> Result<(), ExchangeError> {
    if let Some(e) = &req.endpoint {
        crate::urls::require_https_or_loopback(e)
            .map_err(|why| ExchangeError::Input(format!("--endpoint: {why}")))?;
    }
    if !is_role_arn(&req.role_arn) {
        return Err(ExchangeError::Input(format!(
            "--role-arn {:?}: expected arn:aws:iam::ACCOUNT:role/NAME",
            req.role_arn
        )));
    }
    let n = req.session_name.len();
    if !(2..=64).contains(&n)
        || !req
            .session_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(c))
    {
        return Err(ExchangeError::Input(format!(
            "--session-name {:?}: 2 to 64 characters of letters, digits and =,.@-_",
            req.session_name
        )));
    }
    if let Some(d) = req.duration_seconds
        && !(900..=43_200).contains(&d)
    {
        return Err(ExchangeError::Input(format!(
            "--duration: STS takes 15m to 12h (900 to 43200 seconds), got {d} seconds"
        )));
    }
    Ok(())
}

pub async fn send(req: &AwsRequest) -> Result<Outcome, ExchangeError> {
    let timeouts = crate::http::aws_timeout_config()?;
    let mut conf = aws_sdk_sts::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(req.region.clone()))
        .timeout_config(timeouts)
        .retry_config(aws_sdk_sts::config::retry::RetryConfig::standard().with_max_attempts(3));
    if let Some(e) = &req.endpoint {
        conf = conf.endpoint_url(e);
    }
    let client = aws_sdk_sts::Client::from_conf(conf.build());
    let mut call = client
        .assume_role_with_web_identity()
        .role_arn(&req.role_arn)
        .role_session_name(&req.session_name)
        .web_identity_token(req.subject.token.expose());
    if let Some(d) = req.duration_seconds {
        call = call.duration_seconds(d);
    }
    if let Some(p) = &req.policy {
        call = call.policy(p);
    }
    match call.send().await {
        Ok(out) => {
            let Some(c) = out.credentials() else {
                return Err(ExchangeError::Operational(format!(
                    "{} answered without Credentials",
                    req.url()
                )));
            };
            let expiration = Timestamp::from_second(c.expiration().secs()).ok();
            let mut facts = Vec::new();
            let mut fact = |k: &str, v: Option<&str>| {
                if let Some(v) = v {
                    facts.push(Param {
                        name: k.to_string(),
                        value: v.to_string(),
                    });
                }
            };
            fact("assumed_role_arn", out.assumed_role_user().map(|u| u.arn()));
            fact(
                "subject_from_web_identity_token",
                out.subject_from_web_identity_token(),
            );
            fact("audience", out.audience());
            fact("provider", out.provider());
            fact("source_identity", out.source_identity());
            let now = Timestamp::now();
            Ok(Outcome::Granted(Box::new(Granted {
                credential: Credential::Aws {
                    access_key_id: Secret::new(c.access_key_id()),
                    secret_access_key: Secret::new(c.secret_access_key()),
                    session_token: Secret::new(c.session_token()),
                    expiration,
                },
                issued_token_type: None,
                token_type: None,
                expires_in: expiration.map(|e| e.as_second() - now.as_second()),
                expires_at: expiration,
                scope: None,
                refresh_token: None,
                facts,
            })))
        }
        Err(SdkError::ServiceError(se)) => {
            let status = se.raw().status().as_u16();
            let err = se.err();
            let code = err.code().unwrap_or("Unknown").to_string();
            // The request's secrets, if the answer quotes them, are cut out first.
            let sent = super::secrets_of(&req.fields());
            let message = err
                .message()
                .map(|m| one_line(&super::scrub_text(m, &sent), 300));
            if status >= 500 || code == "Throttling" {
                return Err(ExchangeError::Operational(format!(
                    "{} answered HTTP {status} {code}{}",
                    req.url(),
                    message.map(|m| format!(": {m}")).unwrap_or_default()
                )));
            }
            Ok(Outcome::Denied(Denied {
                status,
                explanation: explain::aws(&code, message.as_deref()),
                error: code,
                description: message,
                request_id: se
                    .raw()
                    .headers()
                    .get("x-amzn-requestid")
                    .map(str::to_string),
            }))
        }
        Err(e) => Err(ExchangeError::Operational(format!(
            "cannot call STS at {}: {}",
            req.url(),
            sdk_reason(&e)
        ))),
    }
}

/// The innermost cause of an SDK failure ("Connection refused", "timed out").
fn sdk_reason<E: std::error::Error + 'static>(e: &E) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    one_line(&msg, 200)
}
