//! Where the subject token (the workload's own identity token) comes from:
//! a file or stdin, a named environment variable, or a platform source
//! (`--from`). Never the command line: argv is visible in `ps`.
//!
//! Every source's endpoint or file can be overridden (`--source-endpoint`,
//! `--source-file`, or the platform's own environment variable), so tests
//! point them at loopback servers and temporary files.

pub mod anthropic;
pub mod aws_web_identity;
pub mod azure;
pub mod file;
pub mod gcp_aws;
pub mod gcp_executable;
pub mod gcp_metadata;
pub mod github_actions;
pub mod kubernetes;

use std::path::{Path, PathBuf};

use super::{ExchangeError, SubjectToken};
use crate::http::Http;

/// A platform that hands its workloads an identity token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Kubernetes,
    GithubActions,
    GcpMetadata,
    AwsWebIdentity,
    Azure,
    Anthropic,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::GithubActions => "github-actions",
            Platform::GcpMetadata => "gcp-metadata",
            Platform::AwsWebIdentity => "aws-web-identity",
            Platform::Azure => "azure",
            Platform::Anthropic => "anthropic",
        }
    }

    /// True when the platform mints the token for an audience the caller names.
    pub fn takes_audience(self) -> bool {
        matches!(self, Platform::GithubActions | Platform::GcpMetadata)
    }
}

/// Where to get the subject token.
#[derive(Debug, Clone)]
pub enum SourceSpec {
    /// A file; `-` is stdin.
    File(PathBuf),
    /// An environment variable, by name.
    Env(String),
    /// A platform source.
    From(Platform),
}

/// Overrides and parameters for platform sources.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The audience to ask GitHub Actions or the GCP metadata server for.
    pub audience: Option<String>,
    /// Replaces the token file of kubernetes, aws-web-identity, azure, anthropic.
    pub file: Option<PathBuf>,
    /// Replaces the endpoint of github-actions (the request URL) or
    /// gcp-metadata (the metadata server's base URL).
    pub endpoint: Option<String>,
}

/// Reads or fetches the subject token.
pub async fn obtain(
    spec: &SourceSpec,
    opts: &SourceOptions,
    http: &Http,
) -> Result<SubjectToken, ExchangeError> {
    match spec {
        SourceSpec::File(path) => file::from_path(path),
        SourceSpec::Env(name) => file::from_env(name),
        SourceSpec::From(p) => {
            if opts.audience.is_some() && !p.takes_audience() {
                return Err(ExchangeError::Input(format!(
                    "--source-audience does not apply to --from {}: its token's audience is set where it is issued",
                    p.name()
                )));
            }
            if opts.file.is_some() && p.takes_audience() {
                return Err(ExchangeError::Input(format!(
                    "--source-file does not apply to --from {}: it fetches its token (use --source-endpoint)",
                    p.name()
                )));
            }
            if opts.endpoint.is_some() && !p.takes_audience() {
                return Err(ExchangeError::Input(format!(
                    "--source-endpoint does not apply to --from {}: it reads a file (use --source-file)",
                    p.name()
                )));
            }
            match p {
                Platform::Kubernetes => kubernetes::read(opts),
                Platform::AwsWebIdentity => aws_web_identity::read(opts),
                Platform::Azure => azure::read(opts),
                Platform::Anthropic => anthropic::read(opts),
                Platform::GithubActions => github_actions::fetch(opts, http).await,
                Platform::GcpMetadata => gcp_metadata::fetch(opts, http).await,
            }
        }
    }
}

/// A platform token file: `--source-file`, else the platform's environment
/// variable, else its default path.
pub(crate) fn platform_file(
    opts: &SourceOptions,
    platform: Platform,
    env: &str,
    default: Option<&str>,
) -> Result<SubjectToken, ExchangeError> {
    let (path, why) = match (&opts.file, std::env::var_os(env), default) {
        (Some(p), _, _) => (p.clone(), "--source-file".to_string()),
        (None, Some(v), _) if !v.is_empty() => (PathBuf::from(v), format!("${env}")),
        (None, _, Some(d)) => (PathBuf::from(d), "the default path".to_string()),
        (None, _, None) => {
            return Err(ExchangeError::Input(format!(
                "--from {}: {env} is not set (is this running where {} provides a token?); or give --source-file PATH",
                platform.name(),
                platform.name()
            )));
        }
    };
    let mut t = file::from_path(Path::new(&path))
        .map_err(|e| ExchangeError::Input(format!("--from {} ({why}): {e}", platform.name())))?;
    t.origin = format!("{} token {}", platform.name(), t.origin);
    Ok(t)
}

/// Appends `name=value` to a URL's query.
pub(crate) fn with_query(url: &str, name: &str, value: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{sep}{}",
        crate::http::form_urlencode(&[(name, value)])
    )
}
