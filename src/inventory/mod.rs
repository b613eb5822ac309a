//! `agentid inventory`: gather the estate from the registry's sources and
//! evaluate the finding catalogue over it.
//!
//! One file per source kind lives here as the sources are built; today the
//! snapshot source (snapshot.rs) feeds saved estates in.

pub mod anthropic;
mod assemble;
pub mod aws;
pub mod diff;
pub mod entra;
pub mod evaluate;
pub mod gcp;
mod halves;
pub mod kubernetes;
pub mod live;
pub mod openai;
pub mod pattern;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

pub use evaluate::{Options, SourceSettings};
use report::InventoryReport;

use crate::model::Estate;
use crate::problem::{FieldPath, did_you_mean};
use crate::registry::{LoadedRegistry, Registry, Thresholds};

/// What to read and how to judge it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub registry: Option<&'a LoadedRegistry>,
    /// Snapshots given on the command line, in addition to the registry's sources.
    pub snapshots: &'a [PathBuf],
    /// `--from`: snapshots read *instead of* the registry's sources (an
    /// offline re-evaluation of `inventory collect` output). Each estate
    /// source keeps the `ignore:` and thresholds of the registry source of
    /// the same name.
    pub from: &'a [PathBuf],
    /// `--source` names; empty means every source.
    pub sources: &'a [String],
    pub options: Options,
    /// Snapshots already being read (see [`Prefetch`]).
    pub prefetched: &'a Prefetch,
    /// Told when live sources start and end (progress bars).
    pub watch: Option<&'a dyn live::Watch>,
}

/// Snapshots read ahead on their own threads while the registry that names
/// them is still being parsed and checked (see commands/inventory.rs). The
/// registry's `sources:` section comes first in the file, and reading a large
/// snapshot takes longer than the rest of the registry, so the two overlap.
/// [`run`] takes a snapshot from here instead of reading it when the path is
/// the same; what it never takes is simply dropped.
#[derive(Default)]
pub struct Prefetch {
    started: std::sync::Mutex<Vec<(PathBuf, Loading)>>,
}

type Loading = std::thread::JoinHandle<Result<Estate, snapshot::SnapshotError>>;

impl std::fmt::Debug for Prefetch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let started = self.started.lock().map_or(0, |s| s.len());
        f.debug_struct("Prefetch")
            .field("started", &started)
            .finish()
    }
}

impl Prefetch {
    /// Starts reading the registry's snapshot sources, resolved against
    /// `base_dir` as [`run`] resolves them.
    pub fn start(&self, sources: &crate::registry::Sources, base_dir: &Path) {
        let Ok(mut started) = self.started.lock() else {
            return;
        };
        for snap in &sources.snapshot {
            let path = base_dir.join(&snap.path);
            // Only regular files: reading a FIFO or a device early would
            // consume it even if the registry then turns out to be invalid.
            if !std::fs::metadata(&path).is_ok_and(|m| m.is_file())
                || started.iter().any(|(p, _)| *p == path)
            {
                continue;
            }
            let at = path.clone();
            let spawned = std::thread::Builder::new()
                .name("snapshot".into())
                .spawn(move || {
                    let _span = tracing::info_span!("snapshot", path = %at.display()).entered();
                    snapshot::load(&at)
                });
            if let Ok(handle) = spawned {
                started.push((path, handle));
            }
        }
    }

    /// The result of reading `path`, if it was started here.
    fn take(&self, path: &Path) -> Option<Result<Estate, snapshot::SnapshotError>> {
        let handle = {
            let mut started = self.started.lock().ok()?;
            let i = started.iter().position(|(p, _)| p == path)?;
            started.swap_remove(i).1
        };
        Some(
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
    #[error("{0}")]
    Usage(String),
}

/// A source entry of the registry (or the command line), before collection.
struct PlannedSource {
    /// Name `--source` selects it by.
    name: String,
    kind: &'static str,
    origin: Origin,
    settings: SourceSettings,
    /// For `--from` snapshots: settings by estate source name.
    by_name: Option<std::sync::Arc<HashMap<String, SourceSettings>>>,
    /// Where it was declared, for messages.
    declared_at: String,
}

/// Where a planned source's estate comes from.
enum Origin {
    Snapshot(PathBuf),
    /// A provider API, with the source's registry settings (boxed: they are
    /// far larger than a path).
    Live(Box<live::LiveSettings>),
}

impl PlannedSource {
    fn snapshot(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Snapshot(path) => Some(path),
            Origin::Live(_) => None,
        }
    }
}

/// The report and the estate it was made from. The estate is handed back so
/// that a caller about to exit can skip freeing it (see commands/inventory.rs).
pub struct Outcome {
    pub report: InventoryReport,
    pub estate: Estate,
}

/// The estate of every selected source, and the sources that failed.
pub struct Gathered {
    pub estate: Estate,
    pub settings: HashMap<String, SourceSettings>,
    /// Live sources that could not be read (shown as `source-error` rows).
    pub failures: Vec<source::SourceFailure>,
}

/// Reads every selected source (snapshots and live providers) into one estate.
pub fn gather(req: &Request) -> Result<Gathered, InventoryError> {
    let planned = plan(req)?;
    let started = std::time::Instant::now();
    let gathered = collect(
        &planned,
        req.sources,
        req.prefetched,
        req.options.as_of,
        req.watch,
    )?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        failed_sources = gathered.failures.len(),
        "collected the estate"
    );
    Ok(gathered)
}

pub fn run(req: &Request) -> Result<Outcome, InventoryError> {
    let Gathered {
        estate,
        settings,
        failures,
    } = gather(req)?;
    evaluate_gathered(req, estate, &settings, failures)
}

/// Evaluates an estate already gathered (by [`gather`] or read from a snapshot).
pub fn evaluate_gathered(
    req: &Request,
    estate: Estate,
    settings: &HashMap<String, SourceSettings>,
    failures: Vec<source::SourceFailure>,
) -> Result<Outcome, InventoryError> {
    let empty = Registry::default();
    let registry = req.registry.map_or(&empty, |r| &r.registry);
    if let Some(name) = &req.options.agent {
        check_agent_name(name, registry, &estate)?;
    }
    let registry_file = req.registry.map(|r| r.path.display().to_string());
    let started = std::time::Instant::now();
    let mut report = evaluate::evaluate(registry, registry_file, &estate, settings, &req.options);
    report.source_errors = failures;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        findings = report.findings.len(),
        "evaluated the catalogue"
    );
    if let Some(name) = &req.options.agent
        && report.agents.is_empty()
    {
        // The name exists but is neither an agent nor a shadow identity
        // (an ignored or disabled identity, or one that belongs to an agent):
        // an empty report would pass CI silently.
        return Err(InventoryError::Usage(format!(
            "--agent {name:?}: not a declared agent or shadow identity; name the agent (registry name) instead"
        )));
    }
    Ok(Outcome { report, estate })
}

fn plan(req: &Request) -> Result<Vec<PlannedSource>, InventoryError> {
    let mut planned = Vec::new();
    if let Some(loaded) = req.registry {
        let s = &loaded.registry.sources;
        for (i, snap) in s.snapshot.iter().enumerate() {
            let path = loaded.base_dir.join(&snap.path);
            let at = FieldPath::root()
                .field("sources")
                .field("snapshot")
                .index(i);
            planned.push(PlannedSource {
                name: snap
                    .name
                    .clone()
                    .unwrap_or_else(|| default_snapshot_name(&path)),
                kind: "snapshot",
                origin: Origin::Snapshot(path),
                settings: settings(&snap.ignore, snap.thresholds.as_ref()),
                by_name: None,
                declared_at: loaded.locator.position(&at),
            });
        }
        type Entry<'r> = (Option<&'r String>, live::LiveSettings, SourceSettings);
        // Every live kind's entries: name, collector settings, thresholds.
        macro_rules! entries {
            ($list:expr, $live:expr) => {
                $list
                    .iter()
                    .map(|x| {
                        (
                            x.name.as_ref(),
                            $live(x),
                            settings(&x.ignore, x.thresholds.as_ref()),
                        )
                    })
                    .collect()
            };
        }
        let entries: [(&'static str, Vec<Entry>); 6] = [
            (
                "aws",
                entries!(s.aws, |x: &crate::registry::AwsSource| {
                    live::LiveSettings::Aws(x.clone())
                }),
            ),
            (
                "kubernetes",
                entries!(s.kubernetes, |x: &crate::registry::KubernetesSource| {
                    live::LiveSettings::Kubernetes(x.clone())
                }),
            ),
            (
                "gcp",
                entries!(s.gcp, |x: &crate::registry::GcpSource| {
                    live::LiveSettings::Gcp(x.clone())
                }),
            ),
            (
                "entra",
                entries!(s.entra, |x: &crate::registry::EntraSource| {
                    live::LiveSettings::Entra(x.clone())
                }),
            ),
            (
                "anthropic",
                entries!(s.anthropic, |x: &crate::registry::AdminKeySource| {
                    live::LiveSettings::Anthropic(x.clone())
                }),
            ),
            (
                "openai",
                entries!(s.openai, |x: &crate::registry::AdminKeySource| {
                    live::LiveSettings::Openai(x.clone())
                }),
            ),
        ];
        for (kind, list) in entries {
            for (i, (name, live_settings, source_settings)) in list.into_iter().enumerate() {
                let at = FieldPath::root().field("sources").field(kind).index(i);
                planned.push(PlannedSource {
                    name: name.cloned().unwrap_or_else(|| format!("{kind}[{i}]")),
                    kind,
                    origin: Origin::Live(Box::new(live_settings)),
                    settings: source_settings,
                    by_name: None,
                    declared_at: loaded.locator.position(&at),
                });
            }
        }
    }
    if !req.from.is_empty() {
        let by_name: HashMap<String, SourceSettings> =
            planned.drain(..).map(|p| (p.name, p.settings)).collect();
        let by_name = std::sync::Arc::new(by_name);
        for path in req.from {
            planned.push(PlannedSource {
                name: default_snapshot_name(path),
                kind: "snapshot",
                origin: Origin::Snapshot(path.clone()),
                settings: SourceSettings::default(),
                by_name: Some(by_name.clone()),
                declared_at: format!("--from {}", path.display()),
            });
        }
    }
    for path in req.snapshots {
        // Naming a snapshot the registry already reads is not a second source.
        let same = |p: &Path| match (p.canonicalize(), path.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if planned.iter().any(|s| s.snapshot().is_some_and(same)) {
            continue;
        }
        planned.push(PlannedSource {
            name: default_snapshot_name(path),
            kind: "snapshot",
            origin: Origin::Snapshot(path.clone()),
            settings: SourceSettings::default(),
            by_name: None,
            declared_at: format!("--snapshot {}", path.display()),
        });
    }
    Ok(planned)
}

fn default_snapshot_name(path: &Path) -> String {
    format!(
        "snapshot:{}",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |f| f.to_string_lossy().into_owned()
        )
    )
}

fn settings(ignore: &[String], thresholds: Option<&Thresholds>) -> SourceSettings {
    let ignore = (!ignore.is_empty()).then(|| {
        let mut b = GlobSetBuilder::new();
        for g in ignore {
            // Registry validation already rejected invalid globs.
            if let Ok(glob) = Glob::new(g) {
                b.add(glob);
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    });
    SourceSettings {
        ignore,
        thresholds: thresholds.cloned(),
    }
}

/// Reads every selected source into one estate.
fn collect(
    planned: &[PlannedSource],
    selected: &[String],
    prefetched: &Prefetch,
    as_of: jiff::Timestamp,
    watch: Option<&dyn live::Watch>,
) -> Result<Gathered, InventoryError> {
    // Live sources first, read concurrently.
    let mut jobs = Vec::new();
    for source in planned {
        let whole = selected.is_empty() || selected.contains(&source.name);
        if let (true, Origin::Live(settings)) = (whole, &source.origin) {
            jobs.push(live::Job {
                name: source.name.clone(),
                kind: source.kind,
                settings: (**settings).clone(),
            });
        }
    }
    // In job order, which is planned order.
    let mut live_results = live::collect(jobs, as_of, watch).into_iter();
    let mut failures = Vec::new();

    let mut estate = Estate::default();
    let mut settings: HashMap<String, SourceSettings> = HashMap::new();
    let mut origin: HashMap<String, String> = HashMap::new();
    let mut unmatched: HashSet<&str> = selected.iter().map(String::as_str).collect();
    let mut known_names: Vec<String> = Vec::new();

    for source in planned {
        known_names.push(source.name.clone());
        let whole = selected.is_empty() || selected.contains(&source.name);
        unmatched.remove(source.name.as_str());
        let Some(path) = source.snapshot() else {
            if !whole {
                continue;
            }
            match live_results.next().map(|c| c.result) {
                Some(Ok(part)) => {
                    for s in &part.sources {
                        if let Some(first) =
                            origin.insert(s.name.clone(), source.declared_at.clone())
                        {
                            return Err(InventoryError::Usage(format!(
                                "source {:?} appears in both {first} and {}; give each source a distinct name",
                                s.name, source.declared_at
                            )));
                        }
                        settings.insert(s.name.clone(), source.settings.clone());
                    }
                    estate.extend(part);
                }
                Some(Err(failure)) => failures.push(failure),
                None => {}
            }
            continue;
        };
        let _span = tracing::info_span!("snapshot", path = %path.display()).entered();
        let mut part = match prefetched.take(path) {
            Some(read) => read?,
            None => snapshot::load(path)?,
        };
        tracing::info!(
            identities = part.identities.len(),
            credentials = part.credentials.len(),
            "read snapshot"
        );
        for s in &part.sources {
            known_names.push(s.name.clone());
        }
        if !whole {
            // Keep only the estate sources named by --source.
            let keep: HashSet<String> = part
                .sources
                .iter()
                .filter(|s| selected.contains(&s.name))
                .map(|s| s.name.clone())
                .collect();
            for name in &keep {
                unmatched.remove(name.as_str());
            }
            if keep.is_empty() {
                continue;
            }
            retain_sources(&mut part, &keep);
        }
        for s in &part.sources {
            if let Some(first) = origin.insert(s.name.clone(), path.display().to_string()) {
                return Err(InventoryError::Usage(format!(
                    "source {:?} appears in both {first} and {}; give each estate source a distinct name",
                    s.name,
                    path.display()
                )));
            }
            let chosen = source
                .by_name
                .as_ref()
                .and_then(|m| m.get(&s.name))
                .unwrap_or(&source.settings);
            settings.insert(s.name.clone(), chosen.clone());
        }
        estate.extend(part);
    }
    if let Some(name) = unmatched.into_iter().next() {
        let mut msg = format!("--source {name:?}: no such source");
        match did_you_mean(name, known_names.iter().map(String::as_str)) {
            Some(hint) => msg.push_str(&format!(" (did you mean {hint:?}?)")),
            None if known_names.is_empty() => msg.push_str(" (no sources are configured)"),
            None => msg.push_str(&format!(" (available: {})", known_names.join(", "))),
        }
        return Err(InventoryError::Usage(msg));
    }
    Ok(Gathered {
        estate,
        settings,
        failures,
    })
}

fn retain_sources(estate: &mut Estate, keep: &HashSet<String>) {
    estate.sources.retain(|s| keep.contains(&s.name));
    estate.identities.retain(|x| keep.contains(&x.source));
    estate.credentials.retain(|x| keep.contains(&x.source));
    estate.trusts.retain(|x| keep.contains(&x.source));
    estate.privileges.retain(|x| keep.contains(&x.source));
    estate.users.retain(|x| keep.contains(&x.source));
}

fn check_agent_name(
    name: &str,
    registry: &Registry,
    estate: &Estate,
) -> Result<(), InventoryError> {
    let declared = registry.agents.iter().any(|a| a.name == name);
    let found = estate
        .identities
        .iter()
        .any(|i| i.name == name || i.id == name);
    if declared || found {
        return Ok(());
    }
    let mut msg = format!("--agent {name:?}: no agent or identity by that name");
    if let Some(hint) = did_you_mean(name, registry.agents.iter().map(|a| a.name.as_str())) {
        msg.push_str(&format!(" (did you mean {hint:?}?)"));
    }
    Err(InventoryError::Usage(msg))
}
