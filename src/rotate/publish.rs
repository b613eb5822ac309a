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
