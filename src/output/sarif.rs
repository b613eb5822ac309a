//! SARIF 2.1.0 (OASIS): `scan-secrets -f sarif`, for GitHub code scanning and
//! other SARIF readers. Valid against the official schema (a test checks it),
//! with the properties GitHub reads: rule metadata and help, `level`,
//! locations with regions, `partialFingerprints`, and `security-severity`.
//!
//! - One result per finding (GitHub shows only a result's first location).
//! - Messages never hold the secret: its prefix, length and fingerprint only.
//! - Suppressed findings are results too, with `suppressions`: `inSource` for
//!   an `agentid:allow` comment, `external` for the baseline.
//! - `partialFingerprints.primaryLocationLineHash` is agentid's own stable key
//!   (rule, secret fingerprint and path, plus an occurrence number), so an
//!   alert follows the secret when lines move, and findings in git history
//!   (whose files may be gone) are matched across runs too.
//! - Columns are UTF-16 code units (`columnKind`), as GitHub counts them.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use crate::model::Severity;
use crate::scan::finding::{Finding, SuppressionKind};
use crate::scan::report::{RuleInfo, ScanReport};

/// The schema's own id (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id that relative artifact URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// What the renderer needs besides the report.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// `file:///…/` of the directory paths are relative to (the working
    /// directory), for `originalUriBaseIds`; `None` leaves it to the reader.
    pub src_root: Option<String>,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, UriBase>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<String>,
    provider: &'a str,
    severity: Severity,
    lifetime: &'static str,
    #[serde(rename = "long-lived")]
    long_lived: bool,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct UriBase {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    severity: Severity,
    lifetime: &'static str,
    secret: &'a crate::scan::finding::Redacted,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paired_with: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
}

/// `scan-secrets -f sarif`: one run, one result per finding.
pub fn secret_scan(out: &mut dyn Write, r: &ScanReport, opts: &SarifOptions) -> io::Result<()> {
    let index: HashMap<&str, usize> = r
        .rules
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let rules = r
        .rules
        .iter()
        .map(|(id, info)| descriptor(id, info))
        .collect();
    let mut occurrences: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let results = r
        .findings
        .iter()
        .map(|f| {
            let n = occurrences
                .entry((&f.rule, &f.secret.fingerprint, &f.path))
                .or_insert(0);
            *n += 1;
            result(f, &r.rules, &index, *n)
        })
        .collect();
    let notifications = r
        .skipped
        .iter()
        .map(|s| Notification {
            level: "warning",
            message: Text {
                text: format!("not scanned: {}", s.reason),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&s.path),
                    region: None,
                },
            }],
        })
        .collect();
    let mut bases = BTreeMap::new();
    if let Some(root) = &opts.src_root {
        bases.insert(SRCROOT, UriBase { uri: root.clone() });
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "agentid",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules,
                },
            },
            automation_details: r.summary.shard.as_ref().map(|s| AutomationDetails {
                // GitHub reads `category/run-id`: one category per shard, so
                // one shard's upload does not replace another's.
                id: format!("agentid/scan-secrets/shard-{}/", s.replace('/', "-of-")),
            }),
            original_uri_base_ids: bases,
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "utf16CodeUnits",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The crate's homepage, when Cargo.toml names one.
fn information_uri() -> Option<&'static str> {
    let uri = env!("CARGO_PKG_HOMEPAGE");
    (!uri.is_empty()).then_some(uri)
}

fn descriptor<'a>(id: &'a str, info: &'a RuleInfo) -> Descriptor<'a> {
    let long_lived = info.lifetime == crate::scan::Lifetime::LongLived;
    let life = if long_lived {
        "Long-lived: it works until someone revokes it"
    } else {
        "Short-lived: it expires by itself"
    };
    let mut tags = vec![
        "security".to_string(),
        "secret".to_string(),
        info.provider.clone(),
    ];
    tags.push(
        if long_lived {
            "long-lived"
        } else {
            "short-lived"
        }
        .to_string(),
    );
    Descriptor {
        id,
        name: pascal_case(id),
        short_description: Text {
            text: info.name.clone(),
        },
        full_description: Text {
            text: format!(
                "{}. Provider: {}. {life}. Default severity: {}.",
                info.name, info.provider, info.severity
            ),
        },
        help: Help {
            text: format!("{}\nRemediation: {}", info.name, info.remediation),
            markdown: format!(
                "**{}** ({}, {})\n\n**Remediation:** {}\n\nThe secret is reported by its prefix, length and fingerprint (sha256, first 12 hex digits), never whole. To accept it, add `agentid:allow={id}` on its line or record it with `agentid scan-secrets --write-baseline FILE`.",
                info.name,
                info.provider,
                if long_lived {
                    "long-lived"
                } else {
                    "short-lived"
                },
                info.remediation
            ),
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            tags,
            provider: &info.provider,
            severity: info.severity,
            lifetime: info.lifetime.as_str(),
            long_lived,
            security_severity: security_severity(info.severity),
        },
    }
}

fn result<'a>(
    f: &'a Finding,
    rules: &BTreeMap<String, RuleInfo>,
    index: &HashMap<&str, usize>,
    occurrence: usize,
) -> SarifResult<'a> {
    let info = rules.get(&f.rule);
    let name = info.map_or(f.rule.as_str(), |i| i.name.as_str());
    let life = f.lifetime.as_str().replace('_', "-");
    let mut text = format!("{name}: {}, {life}, {}", f.secret.display(), f.severity);
    if let Some(note) = &f.note {
        text.push_str(&format!("; {note}"));
    }
    if let Some(p) = &f.paired_with {
        text.push_str(&format!("; paired with {p}"));
    }
    text.push('.');
    if let Some(info) = info {
        text.push_str(&format!(" {}", info.remediation));
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "primaryLocationLineHash",
        format!("{}:{occurrence}", stable_key(f)),
    );
    let suppressions = f
        .suppressed
        .iter()
        .map(|s| SarifSuppression {
            kind: match s.kind {
                SuppressionKind::Inline => "inSource",
                SuppressionKind::Baseline => "external",
            },
            status: "accepted",
            justification: &s.reason,
        })
        .collect();
    SarifResult {
        rule_id: &f.rule,
        rule_index: index.get(f.rule.as_str()).copied().unwrap_or(0),
        level: level(f.severity),
        message: Text { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&f.path),
                region: Some(Region {
                    start_line: f.line,
                    start_column: f.region.start_column.max(1),
                    end_line: f.region.end_line.max(f.line),
                    end_column: f.region.end_column.max(1),
                }),
            },
        }],
        partial_fingerprints: fingerprints,
        suppressions,
        properties: ResultProperties {
            severity: f.severity,
            lifetime: f.lifetime.as_str(),
            secret: &f.secret,
            note: f.note.as_deref(),
            paired_with: f.paired_with.as_deref(),
            commit: f.origin.as_ref().map(|o| o.commit.as_str()),
        },
    }
}

/// sha256 of the rule, the secret's fingerprint and the path, first 16 hex
/// digits: the same secret at the same path is the same alert, whatever line
/// it moves to.
pub fn stable_key(f: &Finding) -> String {
    let input = format!(
        "agentid-secret/v1\0{}\0{}\0{}",
        f.rule, f.secret.fingerprint, f.path
    );
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, input.as_bytes());
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SARIF's three levels: GitHub shows `error` as error, `warning`, `note`.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's security severity score (over 9.0 critical, 7.0–8.9 high,
/// 4.0–6.9 medium, 0.1–3.9 low); `info` has none.
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// A path as an artifact location: relative paths against `%SRCROOT%`,
/// absolute ones as `file://` URIs; `\` becomes `/` and anything outside
/// RFC 3986's unreserved characters is percent-encoded.
fn artifact(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode(&path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(&path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// `file:///…/` for an absolute directory (`originalUriBaseIds`).
pub fn dir_uri(dir: &std::path::Path) -> Option<String> {
    let text = dir.to_str()?.replace('\\', "/");
    let trimmed = text.trim_end_matches('/');
    let body = if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    };
    let slash = if body.ends_with('/') { "" } else { "/" };
    Some(format!("file://{}{slash}", encode(&body)))
}

/// Percent-encodes every byte but `A-Z a-z 0-9 - . _ ~ /`.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `github-pat-classic` → `GithubPatClassic` (SARIF's `name` is an identifier).
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_names() {
        assert_eq!(encode("src/a b.env"), "src/a%20b.env");
        assert_eq!(encode("<stdin>"), "%3Cstdin%3E");
        assert_eq!(encode("dir/ü:x"), "dir/%C3%BC%3Ax");
        assert_eq!(artifact("/tmp/x.env").uri, "file:///tmp/x.env");
        assert_eq!(artifact("a\\b.env").uri, "a/b.env");
        assert_eq!(
            dir_uri(std::path::Path::new("/work/my repo")).as_deref(),
            Some("file:///work/my%20repo/")
        );
        assert_eq!(
            dir_uri(std::path::Path::new("/")).as_deref(),
            Some("file:///")
        );
        assert_eq!(pascal_case("github-pat-classic"), "GithubPatClassic");
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Info), "note");
    }
}
