//! `rotate-keys`: an issuer's signing keys through their life, on a schedule
//! and in an emergency, without ever breaking relying parties or losing a key.
//!
//! - keyset.rs: the state machine as data (states, journal entries, the
//!   four invariants), pure;
//! - plan.rs: which transitions are due at a time, and the timeline ahead, pure;
//! - store.rs: the keystore directory: state file, journal, lock, fsync'd
//!   atomic writes;
//! - backend.rs: where private keys live (`file`, and kms.rs: `aws-kms`);
//!   publish.rs: where the JWKS goes (`file`, `s3`);
//! - engine.rs: performs transitions in a crash-safe order, with fault
//!   points for crash drills.

pub mod backend;
pub mod engine;
pub mod keyset;
pub mod kms;
pub mod plan;
pub mod publish;
pub mod report;
pub mod store;
pub mod tokens;

use std::path::{Path, PathBuf};

use crate::duration::Duration;
use crate::registry::{Issuer, KeyBackend, Publisher, Registry, SigningAlgorithm};

/// When keys move: from the issuer's block, `defaults`, then built-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    pub algorithm: SigningAlgorithm,
    pub rotation_period: Duration,
    pub max_token_lifetime: Duration,
    pub clock_skew: Duration,
    pub jwks_cache_ttl: Duration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retain: Option<Duration>,
}

pub const DEFAULT_ROTATION_PERIOD: Duration = Duration::days(30);
pub const DEFAULT_MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(60);
pub const DEFAULT_JWKS_CACHE_TTL: Duration = Duration::from_secs(3600);

impl Policy {
    pub fn of(issuer: &Issuer, registry: &Registry) -> Policy {
        Policy {
            algorithm: issuer.algorithm,
            rotation_period: issuer.rotation_period.unwrap_or(DEFAULT_ROTATION_PERIOD),
            max_token_lifetime: issuer
                .max_token_lifetime
                .or(registry.defaults.max_token_lifetime)
                .unwrap_or(DEFAULT_MAX_TOKEN_LIFETIME),
            clock_skew: issuer
                .clock_skew
                .or(registry.defaults.clock_skew)
                .unwrap_or(DEFAULT_CLOCK_SKEW),
            jwks_cache_ttl: issuer.jwks_cache_ttl.unwrap_or(DEFAULT_JWKS_CACHE_TTL),
            retain: issuer.retain,
        }
    }

    /// How long a key stays published after it stops signing.
    pub fn retire_after(&self) -> Duration {
        Duration::from_secs(self.max_token_lifetime.as_secs() + self.clock_skew.as_secs())
    }
}

/// An issuer from the registry with its paths resolved.
#[derive(Debug, Clone)]
pub struct IssuerConfig {
    pub name: String,
    pub url: String,
    pub policy: Policy,
    /// The keystore directory: state, journal, lock (and, for the file
    /// backend, the private keys).
    pub state_dir: PathBuf,
    pub backend: BackendConfig,
    pub publish: PublishConfig,
}

#[derive(Debug, Clone)]
pub enum BackendConfig {
    File { dir: PathBuf },
    AwsKms(KmsConfig),
}

/// An `aws-kms` backend block, resolved.
#[derive(Debug, Clone)]
pub struct KmsConfig {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub alias_prefix: Option<String>,
    /// ScheduleKeyDeletion's PendingWindowInDays.
    pub deletion_window_days: i32,
    /// Tags every key carries: `agentid:issuer` and `agentid:issuer-url`.
    pub issuer: String,
    pub issuer_url: String,
    /// Static credentials for in-process tests only; the registry never
    /// carries credentials (the SDK's chain applies).
    pub test_credentials: Option<(String, String)>,
}

/// KMS's default and maximum waiting period before it deletes a key.
pub const DEFAULT_DELETION_WINDOW_DAYS: i32 = 30;

#[derive(Debug, Clone)]
pub enum PublishConfig {
    File {
        path: PathBuf,
    },
    S3 {
        bucket: String,
        key: String,
        region: Option<String>,
        endpoint: Option<String>,
    },
}

impl PublishConfig {
    pub fn describe(&self) -> String {
        match self {
            PublishConfig::File { path } => path.display().to_string(),
            PublishConfig::S3 { bucket, key, .. } => format!("s3://{bucket}/{key}"),
        }
    }
}

impl IssuerConfig {
    /// Resolves relative paths against the registry's directory.
    pub fn new(issuer: &Issuer, registry: &Registry, base_dir: &Path) -> IssuerConfig {
        let resolve = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base_dir.join(p)
            }
        };
        let (state_dir, backend) = match &issuer.backend {
            KeyBackend::File { dir } => (resolve(dir), BackendConfig::File { dir: resolve(dir) }),
            KeyBackend::AwsKms {
                region,
                alias_prefix,
                endpoint,
                state_dir,
                deletion_window,
            } => (
                state_dir.as_deref().map_or_else(
                    || base_dir.join(format!(".agentid-keystore-{}", issuer.name)),
                    resolve,
                ),
                BackendConfig::AwsKms(KmsConfig {
                    region: region.clone(),
                    endpoint: endpoint.clone(),
                    alias_prefix: alias_prefix.clone(),
                    deletion_window_days: deletion_window.map_or(
                        DEFAULT_DELETION_WINDOW_DAYS,
                        |d| {
                            i32::try_from(d.as_secs() / 86_400)
                                .unwrap_or(DEFAULT_DELETION_WINDOW_DAYS)
                        },
                    ),
                    issuer: issuer.name.clone(),
                    issuer_url: issuer.issuer.clone(),
                    test_credentials: None,
                }),
            ),
        };
        let publish = match &issuer.publish {
            Publisher::File { path } => PublishConfig::File {
                path: resolve(path),
            },
            Publisher::S3 {
                bucket,
                key,
                region,
                endpoint,
            } => PublishConfig::S3 {
                bucket: bucket.clone(),
                key: key.clone(),
                region: region.clone(),
                endpoint: endpoint.clone(),
            },
        };
        IssuerConfig {
            name: issuer.name.clone(),
            url: issuer.issuer.clone(),
            policy: Policy::of(issuer, registry),
            state_dir,
            backend,
            publish,
        }
    }
}

pub fn alg_name(alg: SigningAlgorithm) -> &'static str {
    match alg {
        SigningAlgorithm::ES256 => "ES256",
        SigningAlgorithm::ES384 => "ES384",
        SigningAlgorithm::RS256 => "RS256",
        SigningAlgorithm::PS256 => "PS256",
        SigningAlgorithm::EdDSA => "EdDSA",
    }
}

/// Why a rotate-keys command failed.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    /// Bad input: an unknown issuer or kid, a corrupted keystore, wrong
    /// permissions, time running backwards (exit 2).
    #[error("{0}")]
    Input(String),
    /// Could not do the work: I/O, the publisher, the backend (exit 3).
    #[error("{0}")]
    Operational(String),
    /// Another run holds the issuer's lock (exit 3).
    #[error(
        "{path} is held by {holder}: another rotate-keys run is in progress; try again when it ends"
    )]
    LockHeld { path: String, holder: String },
    /// A crash drill stopped the engine at a fault point (in-process tests only).
    #[error("crash drill: stopped after step {0}")]
    Crashed(u32),
}

#[cfg(test)]
mod tests;
