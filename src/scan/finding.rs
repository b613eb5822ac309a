//! What a scan reports. A finding never holds the secret: only a prefix, its
//! length and a fingerprint (sha256, first 12 hex digits), which is the same
//! wherever the same secret is found, so that findings group and baselines match.

use serde::Serialize;

use crate::model::Severity;
use crate::scan::rules::Lifetime;

/// The safe form of a secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Redacted {
    /// The first characters: at most a quarter of the secret and never more than 12.
    pub prefix: String,
    /// Length in bytes.
    pub length: usize,
    /// sha256 of the secret's bytes, first 12 hex digits.
    pub fingerprint: String,
}

impl Redacted {
    pub fn new(secret: &[u8]) -> Self {
        let shown = (secret.len() / 4).min(12);
        // Secrets matched by the rules are ASCII; a non-ASCII byte ends the prefix.
        let prefix: String = secret
            .iter()
            .take(shown)
            .take_while(|b| b.is_ascii_graphic())
            .map(|&b| b as char)
            .collect();
        Redacted {
            prefix,
            length: secret.len(),
            fingerprint: fingerprint(secret),
        }
    }

    /// `ghp_kucGs4…(40 chars, 3f9a0c1d2e4b)`.
    pub fn display(&self) -> String {
        format!(
            "{}…({} chars, {})",
            self.prefix, self.length, self.fingerprint
        )
    }
}

/// sha256 of `secret`, first 12 hex digits.
pub fn fingerprint(secret: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret);
    digest.as_ref()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where a blob came from in git history (filled by the history scanner):
/// the commit that introduced the secret at this path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The introducing commit's id (hex).
    pub commit: String,
    /// Its author, `name <email>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Its author date, RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The blob's object id (hex): `git cat-file -p BLOB` shows the content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

/// What `--estate` can match a found key on, kept from the scan. Never
/// serialized; its `Debug` shows nothing of the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum LinkKey {
    /// An AWS access key id (`AKIA…`, `ASIA…`): matched against credential
    /// ids by the finding's fingerprint, so the id itself is not kept.
    AwsKeyId,
    /// The first and last characters of an API key, as providers show them
    /// in a key's hint (`sk-ant-api03-R2D...igAA`): at most 24 and 4.
    Ends { head: String, tail: String },
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkKey::AwsKeyId => f.write_str("AwsKeyId"),
            LinkKey::Ends { .. } => f.write_str("Ends(..)"),
        }
    }
}

impl LinkKey {
    /// Characters kept from each end for hint matching.
    pub const HEAD: usize = 24;
    pub const TAIL: usize = 4;

    /// The key a secret of a rule from `provider` can be matched on, if any.
    pub fn for_secret(provider: &str, secret: &[u8]) -> Option<LinkKey> {
        let text = std::str::from_utf8(secret).ok()?;
        if !text.is_ascii() {
            return None;
        }
        match provider {
            "aws" => {
                let id = text.len() == 20
                    && (text.starts_with("AKIA") || text.starts_with("ASIA"))
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
                id.then_some(LinkKey::AwsKeyId)
            }
            // Keys shorter than 32 characters would be mostly shown by head and tail.
            "anthropic" | "openai" if text.len() >= 32 => Some(LinkKey::Ends {
                head: text[..Self::HEAD.min(text.len() / 3)].to_string(),
                tail: text[text.len() - Self::TAIL..].to_string(),
            }),
            _ => None,
        }
    }
}

/// One secret found at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id (`scan-secrets rules`).
    pub rule: String,
    pub severity: Severity,
    pub lifetime: Lifetime,
    /// The file as given or found by the walk (`<stdin>` for `-`).
    pub path: String,
    /// 1-based line and byte column of the secret's first byte.
    pub line: usize,
    pub column: usize,
    /// 1-based line of the secret's last byte (private keys span lines).
    pub end_line: usize,
    /// Byte offsets of the secret in the file: `start..end`.
    pub start: usize,
    pub end: usize,
    pub secret: Redacted,
    /// What the validator found out (a JWT's lifetime, an encrypted key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fingerprint of the finding this one pairs with (an AWS key id and its secret key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paired_with: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Why this finding does not count (an `agentid:allow` comment, the baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
    /// The secret's region in UTF-16 code units, for SARIF.
    #[serde(skip)]
    pub region: Region,
    /// With `--estate`: the credential, identity, agent and owner this key
    /// belongs to (only for keys an estate can hold: AWS, Anthropic, OpenAI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estate: Option<crate::scan::estate::EstateLink>,
    /// What `--estate` matches on; never serialized.
    #[serde(skip)]
    pub link: Option<LinkKey>,
}

impl Finding {
    pub fn is_suppressed(&self) -> bool {
        self.suppressed.is_some()
    }
}

/// Where a secret is, as SARIF counts columns (UTF-16 code units, 1-based;
/// `end_column` is the column after the secret's last character on `end_line`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Region {
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// How a finding was suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionKind {
    /// An `agentid:allow` comment on the secret's line.
    Inline,
    /// The secret's fingerprint and rule are in the `--baseline` file.
    Baseline,
}

impl SuppressionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Inline => "inline",
            SuppressionKind::Baseline => "baseline",
        }
    }
}

/// A suppressed finding is still reported (marked), but never fails a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// `agentid:allow on line 3`, `in baseline .agentid-baseline.json`.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_shows_the_whole_secret() {
        for s in [
            "a",
            "abcdefgh",
            "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
        ] {
            let r = Redacted::new(s.as_bytes());
            assert!(
                r.prefix.len() <= s.len() / 4 && r.prefix.len() <= 12,
                "{r:?}"
            );
            assert_eq!(r.length, s.len());
            assert_eq!(r.fingerprint.len(), 12);
        }
        // sha256("abc") = ba7816bf8f01…
        assert_eq!(fingerprint(b"abc"), "ba7816bf8f01");
    }
}
