//! The agent registry, `agentid.yaml`: types, loading and validation.
//!
//! Loading runs in three passes and reports every problem it finds, each with
//! file, line, column and field path:
//! 1. YAML syntax (yaml.rs) — stops here if the file is not YAML;
//! 2. shape, against the JSON Schema generated from the types (schema.rs):
//!    unknown fields, wrong types, bad durations, missing fields;
//! 3. meaning (checks.rs): references, uniqueness, URLs, globs, inline secrets.

pub mod checks;
mod de;
pub mod init;
pub mod schema;
pub mod types;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use types::*;

use crate::problem::{FieldPath, PathRef, Problem};
use yaml::{Mark, Node, Value};

/// A registry file larger than this is refused before parsing.
pub const MAX_REGISTRY_BYTES: u64 = 256 * 1024 * 1024;

/// A registry that loaded cleanly, with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedRegistry {
    pub registry: Registry,
    /// The file as the user named it.
    pub path: PathBuf,
    /// Directory that relative paths in the registry are resolved against.
    pub base_dir: PathBuf,
    pub locator: Locator,
}

/// Why a registry could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read registry {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", .problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid { problems: Vec<Problem> },
}

/// Where each field of the file was written, to give later problems a position.
/// Positions are looked up on demand in the parsed tree: problems are few, and
/// a large registry should not pay for an index of every field.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    file: String,
    root: Option<Node>,
}

impl Locator {
    fn new(file: &str, root: Node) -> Self {
        Locator {
            file: file.to_string(),
            root: Some(root),
        }
    }

    fn find(&self, path: &FieldPath) -> Option<Mark> {
        let mut node = self.root.as_ref()?;
        let mut mark = node.mark;
        for part in path.as_str().split('.').filter(|p| !p.is_empty()) {
            let (key, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            if !key.is_empty() {
                let Value::Map(entries) = &node.value else {
                    return Some(mark);
                };
                match entries.iter().find(|(k, _)| k.as_str() == Some(key)) {
                    Some((_, v)) => node = v,
                    None => return Some(mark),
                }
                mark = node.mark;
            }
            for idx in rest.split(['[', ']']).filter(|s| !s.is_empty()) {
                let i: usize = idx.parse().ok()?;
                let Value::Seq(items) = &node.value else {
                    return Some(mark);
                };
                match items.get(i) {
                    Some(item) => node = item,
                    None => return Some(mark),
                }
                mark = node.mark;
            }
        }
        Some(mark)
    }

    /// The position of `path`, or of its nearest written ancestor.
    pub fn mark(&self, path: &FieldPath) -> Option<Mark> {
        self.find(path)
    }

    pub fn problem(&self, path: &FieldPath, message: impl Into<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            mark: self.mark(path),
            path: path.to_string(),
            message: message.into(),
        }
    }

    /// `file:line:col: path`, naming a field for a message that follows.
    pub fn position(&self, path: &FieldPath) -> String {
        let mut out = self.file.clone();
        if let Some(m) = self.mark(path) {
            out.push_str(&format!(":{}:{}", m.line, m.col));
        }
        out.push_str(&format!(": {path}"));
        out
    }

    pub fn file(&self) -> &str {
        &self.file
    }
}

/// Reads and validates a registry file; `-` reads stdin.
pub fn load(path: &Path) -> Result<LoadedRegistry, RegistryError> {
    load_observing(path, &mut |_, _| {})
}

/// [`load`], handing `sources:` to `on_sources` as soon as the parser has read
/// that section, with the directory its relative paths are resolved against:
/// a caller can start reading the snapshots while the rest of the registry is
/// parsed and checked. `on_sources` is called at most once, and only when the
/// section has the right shape; the registry may still turn out invalid, and
/// then `load_observing` returns the same error as [`load`].
pub fn load_observing(
    path: &Path,
    on_sources: &mut dyn FnMut(&Sources, &Path),
) -> Result<LoadedRegistry, RegistryError> {
    let display = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let text = read_text(path).map_err(|source| RegistryError::Read {
        path: display.clone(),
        source,
    })?;
    let base_dir = if path == Path::new("-") {
        PathBuf::from(".")
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let mut called = false;
    let mut observe = |key: &str, value: &Node| {
        if key == "sources"
            && !called
            && let Ok(sources) = <Sources as serde::Deserialize>::deserialize(value)
        {
            called = true;
            on_sources(&sources, &base_dir);
        }
    };
    let (registry, locator) = parse_observing(&display, &text, Some(&mut observe))?;
    Ok(LoadedRegistry {
        registry,
        path: path.to_path_buf(),
        base_dir,
        locator,
    })
}

fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .take(MAX_REGISTRY_BYTES + 1)
            .read_to_end(&mut bytes)?;
    } else {
        let file = std::fs::File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(std::io::Error::other("it is a directory"));
        }
        file.take(MAX_REGISTRY_BYTES + 1).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > MAX_REGISTRY_BYTES {
        return Err(std::io::Error::other(
            "larger than 256 MiB, the most a registry may be",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::other(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Parses and validates registry text; `file` names it in problems.
pub fn parse(file: &str, text: &str) -> Result<(Registry, Locator), RegistryError> {
    parse_observing(file, text, None)
}

fn parse_observing(
    file: &str,
    text: &str,
    observer: Option<yaml::Observer<'_>>,
) -> Result<(Registry, Locator), RegistryError> {
    let invalid = |problems: Vec<Problem>| RegistryError::Invalid { problems };
    let root = match yaml::parse_observing(text, observer) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(invalid(vec![Problem {
                file: file.into(),
                mark: Some(Mark { line: 1, col: 1 }),
                path: String::new(),
                message: "the registry is empty; it must start with `version: 1` (see `agentid registry init`)".into(),
            }]))
        }
        Err(e) => {
            return Err(invalid(vec![Problem {
                file: file.into(),
                mark: Some(e.mark),
                path: String::new(),
                message: format!("not valid YAML: {}", e.message),
            }]))
        }
    };
    // Shape and secrets are checked on one thread while the other builds the
    // typed registry and runs the cross-reference checks, which only count if
    // the shape turns out right: a large registry loads in half the time.
    let (mut problems, secrets, typed) = std::thread::scope(|scope| {
        let shape = scope.spawn(|| shape_problems(file, &root));
        let typed = serde_path_to_error::deserialize::<_, Registry>(&root).map(|r| {
            let issues = checks::check(&checks::Partial::of(&r));
            (r, issues)
        });
        let (problems, secrets) = shape
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (problems, secrets, typed)
    });
    let not_secret = |path: &FieldPath| !secrets.iter().any(|p| p == path);

    if problems.is_empty() {
        let locator = Locator::new(file, root);
        let (registry, issues) = match typed {
            Ok(r) => r,
            Err(e) => {
                let path = FieldPath::root().field(&e.path().to_string());
                return Err(invalid(vec![locator.problem(&path, e.inner().to_string())]));
            }
        };
        problems.extend(
            issues
                .into_iter()
                .filter(|(p, _)| not_secret(p))
                .map(|(p, m)| locator.problem(&p, m)),
        );
        if problems.is_empty() {
            return Ok((registry, locator));
        }
        problems.sort();
        problems.dedup();
        return Err(invalid(problems));
    }
    // Checks see the file without the fields already reported as malformed,
    // so a bad field in an agent does not hide that agent's other problems.
    let mut json = root.to_json();
    let locator = Locator::new(file, root);
    for p in &problems {
        prune(&mut json, &p.path);
    }
    let owned = checks::PartialOwned::from_json(&json);
    let issues = checks::check(&owned.as_partial());
    problems.extend(
        issues
            .into_iter()
            .filter(|(p, _)| not_secret(p))
            .map(|(p, m)| locator.problem(&p, m)),
    );
    problems.sort();
    problems.dedup();
    Err(invalid(problems))
}

pub const VALIDATION_SCHEMA_VERSION: u32 = 1;

/// What `agentid registry validate` reports.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationReport {
    pub schema_version: u32,
    pub kind: String,
    pub file: String,
    pub valid: bool,
    pub problems: Vec<ProblemRecord>,
    /// Counts of what the registry declares; absent when it is invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declares: Option<Declares>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declares {
    pub owners: usize,
    pub agents: usize,
    pub sources: usize,
    pub issuers: usize,
}

impl ValidationReport {
    pub fn new(file: &str, result: &Result<LoadedRegistry, RegistryError>) -> Option<Self> {
        let (problems, declares) = match result {
            Ok(loaded) => {
                let r = &loaded.registry;
                let s = &r.sources;
                let sources = s.snapshot.len()
                    + s.aws.len()
                    + s.kubernetes.len()
                    + s.gcp.len()
                    + s.entra.len()
                    + s.anthropic.len()
                    + s.openai.len();
                (
                    Vec::new(),
                    Some(Declares {
                        owners: r.owners.len(),
                        agents: r.agents.len(),
                        sources,
                        issuers: r.issuers.len(),
                    }),
                )
            }
            Err(RegistryError::Invalid { problems }) => (problems.clone(), None),
            // An unreadable file is an error of the command, not a report.
            Err(RegistryError::Read { .. }) => return None,
        };
        Some(ValidationReport {
            schema_version: VALIDATION_SCHEMA_VERSION,
            kind: "agentid.registry-validation".into(),
            file: file.to_string(),
            valid: problems.is_empty(),
            problems: problems
                .into_iter()
                .map(|p| ProblemRecord {
                    line: p.mark.map(|m| m.line),
                    column: p.mark.map(|m| m.col),
                    path: p.path,
                    message: p.message,
                })
                .collect(),
            declares,
        })
    }
}

/// Inline secrets and schema problems; also the paths of the secrets, so that
/// no other message repeats them.
fn shape_problems(file: &str, root: &Node) -> (Vec<Problem>, Vec<FieldPath>) {
    let mut problems = Vec::new();
    // Secrets first: they are the most urgent thing to tell, and never echoed.
    let mut secrets = Vec::new();
    checks::inline_secrets(root, &PathRef::ROOT, &mut secrets);
    for (path, node) in &secrets {
        problems.push(Problem {
            file: file.into(),
            mark: Some(node.mark),
            path: path.to_string(),
            message: format!(
                "this looks like a secret written inline ({}); secrets never belong in the registry: name the environment variable or file that holds it, and rotate this one",
                crate::secrets::redact(node.as_str().unwrap_or_default())
            ),
        });
    }
    let schema = schema::registry_schema();
    let mut validator = schema::Validator::new(&schema);
    validator.validate(&schema, root, &PathRef::ROOT);
    for p in validator.problems {
        // A field already reported as an inline secret needs no second message.
        if secrets.iter().any(|(path, _)| *path == p.path) {
            continue;
        }
        problems.push(Problem {
            file: file.into(),
            mark: Some(p.mark),
            path: p.path.to_string(),
            message: p.message,
        });
    }
    (problems, secrets.into_iter().map(|(p, _)| p).collect())
}

/// Removes the field at `path` (`agents[0].colour`) from a JSON document.
/// List elements are not removed, so the indices of later problems stay true.
fn prune(doc: &mut serde_json::Value, path: &str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else { return };
    if last.is_empty() || last.ends_with(']') {
        return;
    }
    let mut node = doc;
    for seg in segments {
        let (key, indices) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        let Some(next) = node.get_mut(key) else {
            return;
        };
        node = next;
        for idx in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            let Some(next) = idx.parse::<usize>().ok().and_then(|i| node.get_mut(i)) else {
                return;
            };
            node = next;
        }
    }
    if let Some(obj) = node.as_object_mut() {
        obj.remove(last);
    }
}
