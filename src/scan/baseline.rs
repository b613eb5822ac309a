//! Baselines: the secrets a team has already seen and accepted, recorded by
//! `--write-baseline FILE` and suppressed by `--baseline FILE`.
//!
//! A baseline matches by rule id and secret fingerprint, never by place: the
//! same secret moved to another file or line stays suppressed, and a new
//! secret in a baselined file is still reported. It holds no secret: only
//! the fingerprint (sha256, first 12 hex digits) and, for the people who
//! review it, where each secret was found when it was written.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "kind": "agentid.secret_baseline",
//!   "secrets": [
//!     {"rule": "github-pat-classic", "fingerprint": "3f9a0c1d2e4b",
//!      "locations": [{"path": "tests/fixtures/a.env", "line": 3}]}
//!   ]
//! }
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::scan::finding::{Finding, Suppression, SuppressionKind};

pub const BASELINE_KIND: &str = "agentid.secret_baseline";
pub const BASELINE_VERSION: u32 = 1;

/// The file, as written and read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineFile {
    pub schema_version: u32,
    pub kind: String,
    /// One entry per secret and rule, sorted by rule then fingerprint.
    pub secrets: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub fingerprint: String,
    /// Where the secret was when the baseline was written (for people; not matched).
    #[serde(default)]
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
}

/// Why a baseline file cannot be used (exit 2). One line, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline file {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: not a baseline: not JSON ({message})")]
    NotJson {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// A loaded baseline, ready to match findings.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The file as named on the command line, for the suppression's reason.
    pub file: String,
    keys: HashSet<(String, String)>,
}

impl Baseline {
    /// Reads `path` (`file` names it in messages).
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let file = path.display().to_string();
        let text = std::fs::read(path).map_err(|source| BaselineError::Read {
            file: file.clone(),
            source,
        })?;
        Baseline::parse(&file, &text)
    }

    /// Parses a baseline document; `file` names it in messages.
    pub fn parse(file: &str, text: &[u8]) -> Result<Baseline, BaselineError> {
        let invalid = |message: String| BaselineError::Invalid {
            file: file.to_string(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_slice(text).map_err(|e| BaselineError::NotJson {
                file: file.to_string(),
                line: e.line(),
                column: e.column(),
                message: without_position(&e),
            })?;
        let hint = "write one with --write-baseline";
        let Some(object) = value.as_object() else {
            return Err(invalid(format!(
                "not a baseline: expected a JSON object ({hint})"
            )));
        };
        match object.get("kind") {
            Some(serde_json::Value::String(k)) if k == BASELINE_KIND => {}
            Some(serde_json::Value::String(k)) => {
                return Err(invalid(format!(
                    "kind {k:?} is not a baseline (expected {BASELINE_KIND:?}; {hint})"
                )));
            }
            _ => {
                return Err(invalid(format!(
                    "not a baseline: no kind {BASELINE_KIND:?} ({hint})"
                )));
            }
        }
        match object.get("schema_version") {
            Some(v) if v.as_u64() == Some(u64::from(BASELINE_VERSION)) => {}
            Some(v) => {
                return Err(invalid(format!(
                    "schema_version {v} is not supported (this agentid reads baseline version {BASELINE_VERSION})"
                )));
            }
            None => return Err(invalid("schema_version: missing".into())),
        }
        let doc: BaselineFile = serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." {
                invalid(inner.to_string())
            } else {
                invalid(format!("{path}: {inner}"))
            }
        })?;
        let mut keys = HashSet::with_capacity(doc.secrets.len());
        for (i, entry) in doc.secrets.into_iter().enumerate() {
            if !is_fingerprint(&entry.fingerprint) {
                return Err(invalid(format!(
                    "secrets[{i}].fingerprint: {:?} is not a fingerprint (12 lower-case hex digits)",
                    entry.fingerprint
                )));
            }
            if entry.rule.trim().is_empty() {
                return Err(invalid(format!("secrets[{i}].rule: empty")));
            }
            keys.insert((entry.rule, entry.fingerprint));
        }
        Ok(Baseline {
            file: file.to_string(),
            keys,
        })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn contains(&self, rule: &str, fingerprint: &str) -> bool {
        self.keys
            .contains(&(rule.to_string(), fingerprint.to_string()))
    }

    /// Marks the findings the baseline holds (those not already suppressed
    /// inline) as suppressed by it. Returns how many it marked.
    pub fn apply(&self, findings: &mut [Finding]) -> usize {
        let mut marked = 0;
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            if self.contains(&f.rule, &f.secret.fingerprint) {
                f.suppressed = Some(Suppression {
                    kind: SuppressionKind::Baseline,
                    reason: format!("in baseline {}", self.file),
                });
                marked += 1;
            }
        }
        marked
    }
}

impl BaselineFile {
    /// The baseline of `findings`: every secret not suppressed inline (those
    /// the baseline already held included), sorted, locations deduplicated.
    pub fn record<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> BaselineFile {
        let mut by_key: BTreeMap<(&str, &str), Vec<Location>> = BTreeMap::new();
        for f in findings {
            if f.suppressed
                .as_ref()
                .is_some_and(|s| s.kind == SuppressionKind::Inline)
            {
                continue;
            }
            by_key
                .entry((f.rule.as_str(), f.secret.fingerprint.as_str()))
                .or_default()
                .push(Location {
                    path: f.path.clone(),
                    line: f.line,
                });
        }
        let secrets = by_key
            .into_iter()
            .map(|((rule, fingerprint), mut locations)| {
                locations.sort();
                locations.dedup();
                Entry {
                    rule: rule.to_string(),
                    fingerprint: fingerprint.to_string(),
                    locations,
                }
            })
            .collect();
        BaselineFile {
            schema_version: BASELINE_VERSION,
            kind: BASELINE_KIND.to_string(),
            secrets,
        }
    }
}

fn is_fingerprint(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// serde_json's message without its " at line L column C" (given separately).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Baseline::parse("b.json", text.as_bytes())
            .map(|_| ())
            .expect_err(text)
            .to_string()
    }

    #[test]
    fn bad_baselines_say_what_is_wrong() {
        assert_eq!(
            err("{\"kind\": "),
            "b.json:1:9: not a baseline: not JSON (EOF while parsing a value)"
        );
        assert_eq!(
            err("[]"),
            "b.json: not a baseline: expected a JSON object (write one with --write-baseline)"
        );
        assert_eq!(
            err(r#"{"schema_version": 1, "kind": "agentid.secret_scan"}"#),
            "b.json: kind \"agentid.secret_scan\" is not a baseline (expected \"agentid.secret_baseline\"; write one with --write-baseline)"
        );
        assert_eq!(
            err(r#"{"schema_version": 2, "kind": "agentid.secret_baseline", "secrets": []}"#),
            "b.json: schema_version 2 is not supported (this agentid reads baseline version 1)"
        );
        assert_eq!(
            err(r#"{"schema_version": 1, "kind": "agentid.secret_baseline"}"#),
            "b.json: missing field `secrets`"
        );
        assert_eq!(
            err(
                r#"{"schema_version": 1, "kind": "agentid.secret_baseline", "secrets": [{"rule": "x", "fingerprint": 5}]}"#
            ),
            "b.json: secrets[0].fingerprint: invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            err(
                r#"{"schema_version": 1, "kind": "agentid.secret_baseline", "secrets": [{"rule": "x", "fingerprint": "ghp_abc"}]}"#
            ),
            "b.json: secrets[0].fingerprint: \"ghp_abc\" is not a fingerprint (12 lower-case hex digits)"
        );
    }

    #[test]
    fn a_good_baseline_matches_rule_and_fingerprint() {
        let b = Baseline::parse(
            "b.json",
            br#"{"schema_version": 1, "kind": "agentid.secret_baseline",
                "secrets": [{"rule": "r", "fingerprint": "0123456789ab", "locations": [{"path": "a", "line": 1}]}]}"#,
        )
        .expect("valid");
        assert!(b.contains("r", "0123456789ab"));
        assert!(!b.contains("other", "0123456789ab"));
        assert!(!b.contains("r", "0123456789ac"));
        assert_eq!(b.len(), 1);
    }
}
