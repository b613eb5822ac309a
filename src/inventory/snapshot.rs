//! The estate snapshot file (docs/snapshot.md): reading with positioned errors,
//! writing atomically.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::{
    Credential, Estate, Identity, Privilege, SNAPSHOT_SCHEMA_VERSION, SourceInfo, Trust, User,
};
use crate::problem::Problem;

mod fast;

pub const SNAPSHOT_KIND: &str = "agentid.estate";

/// At most this many consistency problems are listed from one snapshot.
const MAX_LISTED_PROBLEMS: usize = 20;

/// The file form of an [`Estate`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema_version: u32,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<Timestamp>,
    /// Tool and version that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    #[serde(default)]
    pub sources: Vec<SourceInfo>,
    #[serde(default)]
    pub identities: Vec<Identity>,
    #[serde(default)]
    pub credentials: Vec<Credential>,
    #[serde(default)]
    pub trusts: Vec<Trust>,
    #[serde(default)]
    pub privileges: Vec<Privilege>,
    #[serde(default)]
    pub users: Vec<User>,
}

impl From<Snapshot> for Estate {
    fn from(s: Snapshot) -> Estate {
        Estate {
            sources: s.sources,
            identities: s.identities,
            credentials: s.credentials,
            trusts: s.trusts,
            privileges: s.privileges,
            users: s.users,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", .problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid { problems: Vec<Problem> },
}

/// Everything but the credentials; the credentials are skipped over here and
/// parsed by [`CredentialsOnly`] on another thread at the same time.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllButCredentials {
    schema_version: u32,
    kind: String,
    #[serde(default)]
    collected_at: Option<Timestamp>,
    #[serde(default)]
    generator: Option<String>,
    #[serde(default)]
    sources: Vec<SourceInfo>,
    #[serde(default)]
    identities: Vec<Identity>,
    #[serde(default, rename = "credentials")]
    _credentials: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    trusts: Vec<Trust>,
    #[serde(default)]
    privileges: Vec<Privilege>,
    #[serde(default)]
    users: Vec<User>,
}

/// Only the credentials; [`AllButCredentials`] checks the rest of the file.
#[derive(Deserialize)]
struct CredentialsOnly {
    #[serde(default)]
    credentials: Vec<Credential>,
}

/// Credentials, the largest list, are parsed on one thread and everything else
/// on the other; each thread skips over what the other parses, which costs far
/// less than parsing. Any error is reported by the caller's slow,
/// path-tracking parse.
fn parse_parallel(text: &str) -> Result<Snapshot, serde_json::Error> {
    std::thread::scope(|scope| {
        let credentials = scope.spawn(|| serde_json::from_str::<CredentialsOnly>(text));
        let rest: AllButCredentials = serde_json::from_str(text)?;
        let credentials = credentials
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?
            .credentials;
        Ok(Snapshot {
            schema_version: rest.schema_version,
            kind: rest.kind,
            collected_at: rest.collected_at,
            generator: rest.generator,
            sources: rest.sources,
            identities: rest.identities,
            credentials,
            trusts: rest.trusts,
            privileges: rest.privileges,
            users: rest.users,
        })
    })
}

/// The file form of `estate`, stamped with when it was collected and by what.
/// Items are sorted by (source, id) so that two collections of the same
/// estate write the same file.
pub fn from_estate(mut estate: Estate, collected_at: Timestamp) -> Snapshot {
    estate.sources.sort_by(|a, b| a.name.cmp(&b.name));
    estate
        .identities
        .sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    estate
        .credentials
        .sort_by(|a, b| (&a.source, &a.identity, &a.id).cmp(&(&b.source, &b.identity, &b.id)));
    estate.trusts.sort_by(|a, b| {
        (&a.source, &a.identity, &a.issuer).cmp(&(&b.source, &b.identity, &b.issuer))
    });
    estate.privileges.sort_by(|a, b| {
        (&a.source, &a.identity, &a.grant, &a.via).cmp(&(&b.source, &b.identity, &b.grant, &b.via))
    });
    estate
        .users
        .sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        kind: SNAPSHOT_KIND.to_string(),
        collected_at: Some(collected_at),
        generator: Some(format!("agentid {}", env!("CARGO_PKG_VERSION"))),
        sources: estate.sources,
        identities: estate.identities,
        credentials: estate.credentials,
        trusts: estate.trusts,
        privileges: estate.privileges,
        users: estate.users,
    }
}

/// Writes a snapshot as pretty JSON (the caller writes the file atomically).
pub fn write(out: &mut dyn std::io::Write, snapshot: &Snapshot) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, snapshot).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// Only the header, read leniently to explain a version mismatch.
#[derive(Deserialize)]
struct Header {
    schema_version: Option<serde_json::Value>,
    kind: Option<serde_json::Value>,
}

/// Reads a snapshot file and checks that it is internally consistent.
pub fn load(path: &Path) -> Result<Estate, SnapshotError> {
    let display = path.display().to_string();
    let read_err = |source| SnapshotError::Read {
        path: display.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::other("it is a directory")));
    }
    // Large snapshots are mapped rather than read: copying half a gigabyte into
    // fresh, zeroed memory was a quarter of a large inventory's time.
    if meta.is_file() && meta.len() >= MMAP_THRESHOLD {
        // SAFETY: the map is read-only and lives only for this parse. A file
        // truncated by another process meanwhile could fault; snapshots are
        // written atomically (new file, rename), which never does that.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return parse(&display, &map);
        }
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(read_err)?;
    parse(&display, &bytes)
}

/// Snapshots at least this large are memory-mapped.
const MMAP_THRESHOLD: u64 = 16 * 1024 * 1024;

pub fn parse(file: &str, bytes: &[u8]) -> Result<Estate, SnapshotError> {
    let problem = |line: Option<usize>, col: usize, path: String, message: String| Problem {
        file: file.to_string(),
        mark: line.map(|line| crate::problem::Mark { line, col }),
        path,
        message,
    };
    let invalid = |p: Problem| SnapshotError::Invalid { problems: vec![p] };

    // UTF-8 is checked once for the whole file, so the parser need not check
    // every string again.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            return Err(invalid(problem(
                Some(line),
                col,
                String::new(),
                "not UTF-8 text".into(),
            )));
        }
    };
    if !text.trim_start().starts_with('{') {
        return Err(invalid(problem(
            None,
            0,
            String::new(),
            format!(
                "not an agentid snapshot: expected a JSON object with \"schema_version\": {SNAPSHOT_SCHEMA_VERSION} and \"kind\": \"{SNAPSHOT_KIND}\""
            ),
        )));
    }
    // The fast path: each half of the file parsed on its own thread (fast.rs).
    // If it gives up, the big lists are parsed side by side the way that
    // always worked, and only when that fails is the file read again to say
    // which field is wrong, so large estates pay for paths only on error.
    let started = std::time::Instant::now();
    let parsed = match fast::parse(text) {
        Some(snapshot) => Ok(snapshot),
        None => parse_parallel(text),
    };
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "parsed the snapshot"
    );
    let snapshot: Snapshot = match parsed {
        Ok(s) => s,
        Err(first) => {
            if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
                check_header(header.schema_version.as_ref(), header.kind.as_ref())
                    .map_err(|msg| invalid(problem(None, 0, String::new(), msg)))?;
            }
            let de = &mut serde_json::Deserializer::from_slice(bytes);
            let err = match serde_path_to_error::deserialize::<_, Snapshot>(de) {
                Ok(_) => {
                    return Err(invalid(problem(
                        Some(first.line()),
                        first.column(),
                        String::new(),
                        first.to_string(),
                    )));
                }
                Err(e) => e,
            };
            let path = err.path().to_string();
            let inner = err.into_inner();
            let message = strip_position(&inner.to_string());
            let path = if path == "." || path == "?" {
                String::new()
            } else {
                path
            };
            let line = (inner.line() > 0).then_some(inner.line());
            return Err(invalid(problem(line, inner.column().max(1), path, message)));
        }
    };
    check_header(
        Some(&serde_json::Value::from(snapshot.schema_version)),
        Some(&serde_json::Value::from(snapshot.kind.clone())),
    )
    .map_err(|msg| invalid(problem(None, 0, String::new(), msg)))?;

    let estate = Estate::from(snapshot);
    let started = std::time::Instant::now();
    let found = consistency(&estate);
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "checked references"
    );
    let problems: Vec<Problem> = found
        .into_iter()
        .map(|(path, message)| problem(None, 0, path, message))
        .collect();
    if problems.is_empty() {
        Ok(estate)
    } else {
        Err(SnapshotError::Invalid { problems })
    }
}

fn check_header(
    version: Option<&serde_json::Value>,
    kind: Option<&serde_json::Value>,
) -> Result<(), String> {
    match version.and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(SNAPSHOT_SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "snapshot schema_version {v} is not supported; this agentid reads version {SNAPSHOT_SCHEMA_VERSION}"
            ));
        }
        None => {
            return Err(format!(
                "not an agentid snapshot: expected \"schema_version\": {SNAPSHOT_SCHEMA_VERSION} and \"kind\": \"{SNAPSHOT_KIND}\""
            ));
        }
    }
    match kind.and_then(serde_json::Value::as_str) {
        Some(SNAPSHOT_KIND) => Ok(()),
        other => Err(format!(
            "kind: expected \"{SNAPSHOT_KIND}\", got {}",
            other.map_or_else(|| "nothing".to_string(), |k| format!("{k:?}"))
        )),
    }
}

/// serde_json appends " at line L column C"; the position is printed separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message.to_string(),
    }
}

/// References inside the snapshot that do not resolve.
fn consistency(estate: &Estate) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |path: String, msg: String| {
        if out.len() < MAX_LISTED_PROBLEMS {
            out.push((path, msg));
        }
    };
    let mut source_names: HashSet<&str> = HashSet::default();
    for (i, s) in estate.sources.iter().enumerate() {
        if !source_names.insert(&s.name) {
            push(
                format!("sources[{i}].name"),
                format!("source {:?} is listed twice", s.name),
            );
        }
    }
    let known_source = |name: &str| source_names.contains(name);
    let mut identities: HashMap<(&str, &str), usize> =
        HashMap::with_capacity_and_hasher(estate.identities.len(), Default::default());
    for (i, id) in estate.identities.iter().enumerate() {
        if !known_source(&id.source) {
            push(
                format!("identities[{i}].source"),
                format!("source {:?} is not listed in sources", id.source),
            );
        }
        if let Some(prev) = identities.insert((&id.source, &id.id), i) {
            push(
                format!("identities[{i}].id"),
                format!(
                    "identity {:?} of source {:?} is listed twice (also identities[{prev}])",
                    id.id, id.source
                ),
            );
        }
    }
    // The credentials are most of the file: look for dangling ones on two
    // threads. Providers list an identity's keys together, so a credential
    // held by the same identity as the one before it needs no lookup.
    let dangling = |c: &Credential| {
        !known_source(&c.source)
            || !identities.contains_key(&(c.source.as_str(), c.identity.as_str()))
    };
    let bad_credentials: Vec<usize> = super::halves::halves(
        &estate.credentials,
        50_000,
        |offset, part: &[Credential]| {
            let mut known: Option<&Credential> = None;
            let mut bad = Vec::new();
            for (i, c) in part.iter().enumerate() {
                if known.is_some_and(|k| k.source == c.source && k.identity == c.identity) {
                    continue;
                }
                if dangling(c) {
                    bad.push(i + offset);
                    if bad.len() == MAX_LISTED_PROBLEMS {
                        break;
                    }
                } else {
                    known = Some(c);
                }
            }
            bad
        },
    )
    .concat();
    let mut check_ref = |kind: &str, i: usize, source: &str, identity: &str| {
        if !known_source(source) {
            push(
                format!("{kind}[{i}].source"),
                format!("source {source:?} is not listed in sources"),
            );
        } else if !identities.contains_key(&(source, identity)) {
            push(
                format!("{kind}[{i}].identity"),
                format!("no identity {identity:?} in source {source:?}"),
            );
        }
    };
    for i in bad_credentials {
        let c = &estate.credentials[i];
        check_ref("credentials", i, &c.source, &c.identity);
    }
    for (i, t) in estate.trusts.iter().enumerate() {
        check_ref("trusts", i, &t.source, &t.identity);
    }
    for (i, p) in estate.privileges.iter().enumerate() {
        check_ref("privileges", i, &p.source, &p.identity);
    }
    for (i, u) in estate.users.iter().enumerate() {
        if !known_source(&u.source) {
            push(
                format!("users[{i}].source"),
                format!("source {:?} is not listed in sources", u.source),
            );
        }
    }
    out
}
