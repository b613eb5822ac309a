//! Where the public JWKS goes. `file`: written atomically (temporary sibling,
//! fsync, rename, fsync of the directory), mode 0644, never holding a
//! private member.

use std::path::PathBuf;

use serde_json::Value;

use super::RotateError;
use super::keyset::has_private_member;
use super::store::{atomic_write, plain};

/// Prefix of the publisher's temporary files.
pub const TEMP_PREFIX: &str = ".agentid-jwks-";

#[derive(Debug, Clone)]
pub struct FilePublisher {
    path: PathBuf,
}

impl FilePublisher {
    pub fn new(path: impl Into<PathBuf>) -> FilePublisher {
        FilePublisher { path: path.into() }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The JWKS as published now; `None` when nothing is published yet.
    pub fn read(&self) -> Result<Option<Value>, RotateError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(RotateError::Operational(format!(
                    "cannot read the published JWKS {}: {}",
                    self.path.display(),
                    plain(&e)
                )));
            }
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            RotateError::Input(format!(
                "{}: the published JWKS is not valid JSON: {e}",
                self.path.display()
            ))
        })
    }

    /// Replaces the published JWKS. Refuses a document with a private member.
    pub fn publish(&self, jwks: &Value) -> Result<(), RotateError> {
        let keys = jwks.get("keys").and_then(Value::as_array);
        if keys.is_none_or(|k| k.iter().any(has_private_member)) {
            return Err(RotateError::Operational(
                "refusing to publish a JWKS with a private member".into(),
            ));
        }
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(RotateError::Operational(format!(
                "cannot publish the JWKS to {}: directory {} does not exist",
                self.path.display(),
                dir.display()
            )));
        }
        let mut text = serde_json::to_vec_pretty(jwks).unwrap_or_default();
        text.push(b'\n');
        atomic_write(&self.path, &text, 0o644, TEMP_PREFIX).map_err(|e| {
            RotateError::Operational(format!(
                "cannot publish the JWKS to {}: {}",
                self.path.display(),
                plain(&e)
            ))
        })
    }

    pub fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

/// The JWKS in an S3 object (PutObject with `Cache-Control:
/// max-age=<jwks_cache_ttl>` and `application/json`), through the official
/// AWS SDK, so the usual credential chain (env, profile, SSO, IMDS) applies.
pub struct S3Publisher {
    bucket: String,
    key: String,
    max_age: u64,
    rt: tokio::runtime::Runtime,
    client: aws_sdk_s3::Client,
}

impl std::fmt::Debug for S3Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Publisher(s3://{}/{})", self.bucket, self.key)
    }
}

/// One line for an AWS SDK error, naming the permission an access denial lacks.
pub fn aws_error<E>(e: &aws_sdk_s3::error::SdkError<E>, action: &str, resource: &str) -> RotateError
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let code = e
        .as_service_error()
        .and_then(|s| s.code().map(str::to_owned));
    let message = e
        .as_service_error()
        .and_then(|s| s.message().map(str::to_owned));
    match code.as_deref() {
        Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => {
            RotateError::Operational(format!(
                "access denied: {action} on {resource} was refused; the credentials need the {action} permission{}",
                message.map(|m| format!(" ({m})")).unwrap_or_default()
            ))
        }
        Some(code) => RotateError::Operational(format!(
            "{action} on {resource} failed: {code}{}",
            message.map(|m| format!(": {m}")).unwrap_or_default()
        )),
        None => match e.raw_response() {
            // An answer that is not the service's error format (a proxy, a
            // server fault): its HTTP status says enough.
            Some(raw) => RotateError::Operational(format!(
                "{action} on {resource} failed: HTTP {}",
                raw.status().as_u16()
            )),
            None => RotateError::Operational(format!(
                "{action} on {resource} failed: {}",
                aws_sdk_s3::error::DisplayErrorContext(e)
            )),
        },
    }
}

/// An AWS SDK configuration from the usual credential chain, with an
/// optional region and endpoint (a local server in tests).
pub fn aws_config(
    rt: &tokio::runtime::Runtime,
    region: Option<&str>,
) -> Result<aws_config::SdkConfig, RotateError> {
    let timeouts =
        crate::http::aws_timeout_config().map_err(|e| RotateError::Input(e.to_string()))?;
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .timeout_config(timeouts)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(3));
    if let Some(r) = region {
        loader = loader.region(aws_config::Region::new(r.to_owned()));
    }
    Ok(rt.block_on(loader.load()))
}

pub fn runtime() -> Result<tokio::runtime::Runtime, RotateError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RotateError::Operational(format!("cannot start the async runtime: {e}")))
}

impl S3Publisher {
    pub fn new(
        bucket: &str,
        key: &str,
        region: Option<&str>,
        endpoint: Option<&str>,
        max_age: u64,
    ) -> Result<S3Publisher, RotateError> {
        if let Some(e) = endpoint {
            crate::urls::require_https_or_loopback(e)
                .map_err(|why| RotateError::Input(format!("S3 endpoint: {why}")))?;
        }
        let rt = runtime()?;
        let config = aws_config(&rt, region)?;
        let mut b = aws_sdk_s3::config::Builder::from(&config);
        if let Some(e) = endpoint {
            b = b.endpoint_url(e).force_path_style(true);
        }
        Ok(S3Publisher {
            bucket: bucket.into(),
            key: key.into(),
            max_age,
            rt,
            client: aws_sdk_s3::Client::from_conf(b.build()),
        })
    }

    fn resource(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }

    pub fn read(&self) -> Result<Option<Value>, RotateError> {
        let got = self.rt.block_on(
            self.client
                .get_object()
                .bucket(&self.bucket)
                .key(&self.key)
                .send(),
        );
        let out = match got {
            Ok(o) => o,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
            Err(e) => return Err(aws_error(&e, "s3:GetObject", &self.resource())),
        };
        let bytes = self
            .rt
            .block_on(out.body.collect())
            .map_err(|e| RotateError::Operational(format!("cannot read {}: {e}", self.resource())))?
            .into_bytes();
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            RotateError::Input(format!(
                "{}: the published JWKS is not valid JSON: {e}",
                self.resource()
            ))
        })
    }

    pub fn publish(&self, jwks: &Value) -> Result<(), RotateError> {
        let keys = jwks.get("keys").and_then(Value::as_array);
        if keys.is_none_or(|k| k.iter().any(has_private_member)) {
            return Err(RotateError::Operational(
                "refusing to publish a JWKS with a private member".into(),
            ));
        }
        let mut text = serde_json::to_vec_pretty(jwks).unwrap_or_default();
        text.push(b'\n');
        self.rt
            .block_on(
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(&self.key)
                    .content_type("application/json")
                    .cache_control(format!("max-age={}", self.max_age))
                    .body(text.into())
                    .send(),
            )
            .map_err(|e| aws_error(&e, "s3:PutObject", &self.resource()))?;
        Ok(())
    }

    pub fn describe(&self) -> String {
        self.resource()
    }
}

/// Where an issuer's JWKS is published.
#[derive(Debug)]
pub enum Publisher {
    File(FilePublisher),
    S3(Box<S3Publisher>),
}

impl Publisher {
    pub fn read(&self) -> Result<Option<Value>, RotateError> {
        match self {
            Publisher::File(p) => p.read(),
            Publisher::S3(p) => p.read(),
        }
    }

    pub fn publish(&self, jwks: &Value) -> Result<(), RotateError> {
        match self {
            Publisher::File(p) => p.publish(jwks),
            Publisher::S3(p) => p.publish(jwks),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Publisher::File(p) => p.describe(),
            Publisher::S3(p) => p.describe(),
        }
    }
}
