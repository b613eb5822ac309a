//! The subject token of an AWS-sourced gcloud credential configuration
//! (`credential_source.environment_id: aws1`): a signed AWS STS
//! GetCallerIdentity request, serialized, that Google STS replays to AWS to
//! learn who the caller is. The AWS secret key never leaves the machine;
//! only a signature over one request does.
//!
//! As Google documents it (cloud.google.com/iam/docs "Create a token for
//! Workload Identity Federation with AWS", and google-auth-library's
//! AwsClient):
//! - region: `AWS_REGION` / `AWS_DEFAULT_REGION`, else `region_url` (the
//!   instance's availability zone, minus its letter);
//! - credentials: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
//!   `AWS_SESSION_TOKEN`, else the instance role from `url`
//!   (`…/security-credentials/` → role name → `{AccessKeyId, SecretAccessKey,
//!   Token}`), with an IMDSv2 session token from `imdsv2_session_token_url`
//!   when the configuration names one;
//! - the request: `POST regional_cred_verification_url` (`{region}` filled
//!   in) with the headers `host`, `x-goog-cloud-target-resource` (the
//!   provider audience), `x-amz-date`, `x-amz-security-token` and
//!   `authorization`, SigV4-signed for service `sts`;
//! - the token: the JSON `{"url", "method", "headers": [{"key", "value"}]}`,
//!   percent-encoded.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::exchange::{ExchangeError, Secret, SubjectToken};
use crate::http::Http;

/// `credential_source` of an `aws1` configuration, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsSource {
    pub region_url: Option<String>,
    pub credentials_url: Option<String>,
    pub verification_url: String,
    pub imdsv2_url: Option<String>,
}

/// Reads an `aws1` credential_source.
pub fn parse(cs: &Value) -> Result<AwsSource, String> {
    let s = |k: &str| cs.get(k).and_then(Value::as_str).map(str::to_string);
    match s("environment_id").as_deref() {
        Some("aws1") => {}
        Some(other) => {
            return Err(format!(
                "credential_source.environment_id {other:?} is not supported (aws1 is)"
            ));
        }
        None => return Err("credential_source has no environment_id".into()),
    }
    let verification_url = s("regional_cred_verification_url")
        .ok_or("credential_source has no regional_cred_verification_url")?;
    if !verification_url.contains("{region}") && !verification_url.contains("GetCallerIdentity") {
        return Err(format!(
            "credential_source.regional_cred_verification_url {verification_url:?} is not an STS GetCallerIdentity URL"
        ));
    }
    Ok(AwsSource {
        region_url: s("region_url"),
        credentials_url: s("url"),
        verification_url,
        imdsv2_url: s("imdsv2_session_token_url"),
    })
}

/// AWS credentials, from the environment or the instance role.
struct AwsKeys {
    access_key_id: String,
    secret: Secret,
    session_token: Option<Secret>,
    origin: String,
}

/// Builds the serialized signed request (the subject token).
pub async fn subject_token(
    src: &AwsSource,
    audience: &str,
    http: &Http,
) -> Result<SubjectToken, ExchangeError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let env_region = env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION"));
    let env_keys = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Some(AwsKeys {
            access_key_id: id,
            secret: Secret::new(secret),
            session_token: env("AWS_SESSION_TOKEN").map(Secret::new),
            origin: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into(),
        }),
        _ => None,
    };
    // IMDSv2: one session token for every metadata call, only when metadata
    // is needed at all.
    let session = if (env_region.is_none() || env_keys.is_none())
        && let Some(url) = &src.imdsv2_url
    {
        let r = http
            .put_with(
                url,
                &[("x-aws-ec2-metadata-token-ttl-seconds", "300")],
                4096,
                true,
            )
            .await?;
        if !r.is_success() {
            return Err(ExchangeError::Operational(format!(
                "imdsv2_session_token_url {url} answered HTTP {}",
                r.status
            )));
        }
        Some(String::from_utf8_lossy(&r.body).trim().to_string())
    } else {
        None
    };
    let md_headers: Vec<(&str, &str)> = session
        .as_deref()
        .map(|t| vec![("x-aws-ec2-metadata-token", t)])
        .unwrap_or_default();
    let metadata = |url: String| {
        let h = md_headers.clone();
        async move {
            let r = http.get_with(&url, &h, None, 64 * 1024, true).await?;
            if !r.is_success() {
                return Err(ExchangeError::Operational(format!(
                    "AWS metadata {url} answered HTTP {}",
                    r.status
                )));
            }
            Ok::<String, ExchangeError>(String::from_utf8_lossy(&r.body).trim().to_string())
        }
    };

    let region = match env_region {
        Some(r) => r,
        None => {
            let url = src.region_url.clone().ok_or_else(|| {
                ExchangeError::Input(
                    "no AWS region: set AWS_REGION, or give credential_source.region_url".into(),
                )
            })?;
            let zone = metadata(url.clone()).await?;
            // us-east-1a → us-east-1
            let mut region = zone.clone();
            region.pop();
            if region.is_empty() || !zone.ends_with(|c: char| c.is_ascii_lowercase()) {
                return Err(ExchangeError::Operational(format!(
                    "AWS metadata {url} answered {zone:?}, not an availability zone"
                )));
            }
            region
        }
    };
    let keys = match env_keys {
        Some(k) => k,
        None => {
            let base = src.credentials_url.clone().ok_or_else(|| {
                ExchangeError::Input(
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give credential_source.url".into(),
                )
            })?;
            let role = metadata(base.clone()).await?;
            let role = role.lines().next().unwrap_or("").trim().to_string();
            if role.is_empty() || role.contains('/') {
                return Err(ExchangeError::Operational(format!(
                    "AWS metadata {base} named no instance role"
                )));
            }
            let url = format!("{}/{role}", base.trim_end_matches('/'));
            let body = metadata(url.clone()).await?;
            let v: Value = serde_json::from_str(&body).map_err(|_| {
                ExchangeError::Operational(format!("AWS metadata {url}: not JSON credentials"))
            })?;
            let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
            match (field("AccessKeyId"), field("SecretAccessKey")) {
                (Some(id), Some(secret)) => AwsKeys {
                    access_key_id: id,
                    secret: Secret::new(secret),
                    session_token: field("Token").map(Secret::new),
                    origin: format!("instance role {role}"),
                },
                _ => {
                    return Err(ExchangeError::Operational(format!(
                        "AWS metadata {url}: no AccessKeyId and SecretAccessKey"
                    )));
                }
            }
        }
    };
    let url = src.verification_url.replace("{region}", &region);
    let token = signed_request(&url, &region, audience, &keys, SystemTime::now())?;
    Ok(SubjectToken {
        token: Secret::new(token),
        origin: format!("signed AWS GetCallerIdentity ({}, {region})", keys.origin),
    })
}

/// The percent-encoded JSON of the signed request.
fn signed_request(
    url: &str,
    region: &str,
    audience: &str,
    keys: &AwsKeys,
    time: SystemTime,
) -> Result<String, ExchangeError> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;

    let host = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?']).next().unwrap_or(""))
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            ExchangeError::Input(format!(
                "credential_source.regional_cred_verification_url {url:?} has no host"
            ))
        })?;
    let failed = |e: &dyn std::fmt::Display| {
        ExchangeError::Operational(format!("cannot sign the GetCallerIdentity request: {e}"))
    };
    let identity = aws_credential_types::Credentials::new(
        keys.access_key_id.clone(),
        keys.secret.expose().to_string(),
        keys.session_token.as_ref().map(|t| t.expose().to_string()),
        None,
        "agentid",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| failed(&e))?
        .into();
    let base = [("host", host), ("x-goog-cloud-target-resource", audience)];
    let signable =
        SignableRequest::new("POST", url, base.iter().copied(), SignableBody::Bytes(&[]))
            .map_err(|e| failed(&e))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| failed(&e))?
        .into_parts();
    let mut headers: Vec<(String, String)> = base
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in instructions.headers() {
        headers.push((k.to_string(), v.to_string()));
    }
    headers.sort();
    let request = json!({
        "url": url,
        "method": "POST",
        "headers": headers
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect::<Vec<_>>(),
    });
    Ok(percent_encode(&request.to_string()))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, like
/// Python's `urllib.parse.quote(s, safe="")` in Google's sample.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_aws1_configurations_are_read() {
        let cs = json!({"environment_id": "aws1",
            "region_url": "http://169.254.169.254/latest/meta-data/placement/availability-zone",
            "url": "http://169.254.169.254/latest/meta-data/iam/security-credentials",
            "regional_cred_verification_url": "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"});
        let src = parse(&cs).unwrap();
        assert!(src.verification_url.contains("{region}"));
        assert!(src.imdsv2_url.is_none());
        let e = parse(&json!({"environment_id": "aws2", "regional_cred_verification_url": "x"}))
            .unwrap_err();
        assert!(e.contains("aws2"), "{e}");
    }

    #[test]
    fn the_token_is_the_signed_request_percent_encoded() {
        let keys = AwsKeys {
            access_key_id: "AKIDEXAMPLE".into(),
            secret: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            session_token: Some(Secret::new("SESSIONTOKEN")),
            origin: "test".into(),
        };
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
        let url = "https://sts.eu-west-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15";
        let token = signed_request(url, "eu-west-1", "//iam.googleapis.com/x", &keys, t).unwrap();
        assert!(!token.contains(['{', '"', ' ', '/']), "{token}");
        assert!(
            !token.contains("wJalrXUtnFEMI"),
            "the secret key never leaves"
        );
        let decoded = percent_decode(&token);
        let v: Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(v["url"], url);
        assert_eq!(v["method"], "POST");
        let header = |k: &str| {
            v["headers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["key"] == k)
                .map(|h| h["value"].as_str().unwrap().to_string())
        };
        assert_eq!(
            header("host").as_deref(),
            Some("sts.eu-west-1.amazonaws.com")
        );
        assert_eq!(
            header("x-goog-cloud-target-resource").as_deref(),
            Some("//iam.googleapis.com/x")
        );
        assert_eq!(header("x-amz-date").as_deref(), Some("20270115T080000Z"));
        assert_eq!(
            header("x-amz-security-token").as_deref(),
            Some("SESSIONTOKEN")
        );
        let auth = header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20270115/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token;x-goog-cloud-target-resource, Signature="),
            "{auth}"
        );
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
