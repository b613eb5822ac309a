//! The contract every live source (aws.rs, kubernetes.rs, gcp.rs, entra.rs,
//! anthropic.rs, openai.rs) follows.
//!
//! A source is an `async fn collect(settings, &SourceContext) ->
//! Result<Estate, SourceFailure>`: it returns the part of the estate it saw
//! (with one `SourceInfo` naming itself) or why it could not see it. A
//! failure never hides the other sources: inventory turns it into a
//! `source-error` row and exits 3 unless `--allow-partial`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;

/// What a source is given besides its own registry settings.
#[derive(Debug, Clone)]
pub struct SourceContext {
    /// The source's name (`sources.<kind>[i].name`, default `<kind>[i]`);
    /// every item it returns carries it in `source`.
    pub name: String,
    /// The time the run judges at (`--as-of`, default now).
    pub as_of: Timestamp,
    /// API calls made, counted by every source (the benchmark reads it).
    pub calls: Arc<AtomicU64>,
}

impl SourceContext {
    pub fn new(name: impl Into<String>, as_of: Timestamp) -> Self {
        SourceContext {
            name: name.into(),
            as_of,
            calls: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Counts one API request (call it once per HTTP request sent,
    /// retries included).
    pub fn count_call(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }

    pub fn calls_made(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

/// Why a source could not be read. Shown as one line and as a
/// `source-error` row; never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFailure {
    /// The source's name.
    pub source: String,
    /// The API call or endpoint that failed (`iam:ListUsers`,
    /// `GET /v1/organizations/api_keys`), or where credentials were sought.
    pub endpoint: String,
    /// What went wrong, in words an operator acts on.
    pub cause: String,
    /// The permission or scope that was missing, when the provider said so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
}

impl std::fmt::Display for SourceFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.endpoint, self.cause)?;
        if let Some(p) = &self.permission {
            write!(f, " (needs {p})")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceFailure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_names_source_endpoint_and_permission() {
        let f = SourceFailure {
            source: "prod".into(),
            endpoint: "iam:ListUsers".into(),
            cause: "access denied".into(),
            permission: Some("iam:ListUsers".into()),
        };
        assert_eq!(
            f.to_string(),
            "prod: iam:ListUsers: access denied (needs iam:ListUsers)"
        );
        let ctx = SourceContext::new("prod", Timestamp::UNIX_EPOCH);
        ctx.count_call();
        ctx.count_call();
        assert_eq!(ctx.calls_made(), 2);
    }
}
