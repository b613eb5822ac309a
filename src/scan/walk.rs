//! Files to scan: a parallel directory walk on all cores (the `ignore` crate:
//! .gitignore, .ignore and .git/info/exclude are honoured, even outside a git
//! repository), `--include`/`--exclude` globs with .gitignore syntax, a size
//! cap, binary files sniffed and skipped, and stdin.
//!
//! Nothing here aborts on one bad file: an unreadable file or a symlink loop
//! becomes a warning in the report and the walk goes on.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};
use serde::Serialize;

use crate::scan::engine::{self, CompiledRules, Mode};
use crate::scan::finding::Finding;
use crate::scan::shard::Shard;

/// Bytes sniffed for a NUL to call a file binary (what git and ripgrep do).
pub const SNIFF_LEN: usize = 8 * 1024;

/// Default `--max-file-size`: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Only files matching one of these (.gitignore syntax) are scanned.
    pub include: Vec<String>,
    /// Files and directories matching one of these are skipped.
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    /// Follow symbolic links (loops are detected and reported).
    pub follow_symlinks: bool,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub mode: Mode,
    /// Scan only the files of this shard (`--shard I/N`).
    pub shard: Option<Shard>,
    /// Live counts for a progress display, updated as files are scanned.
    pub progress: Option<Arc<Progress>>,
}

/// Files and bytes scanned so far, readable from another thread while a
/// walk runs (the command draws a progress bar from them; the walk never prints).
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_symlinks: false,
            threads: 0,
            mode: Mode::Prefilter,
            shard: None,
            progress: None,
        }
    }
}

/// Why a walk cannot start (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("--{flag} {glob:?}: {message}")]
    BadGlob {
        flag: &'static str,
        glob: String,
        message: String,
    },
    #[error("cannot read stdin: {0}")]
    Stdin(#[source] std::io::Error),
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_large: u64,
    pub unreadable: u64,
    #[serde(skip)]
    pub elapsed: Duration,
}

impl Stats {
    /// Scanned megabytes (10^6 bytes) per second.
    pub fn mb_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64().max(1e-6);
        self.bytes as f64 / 1e6 / secs
    }
}

/// A file that was not scanned and why (binary files are only counted).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The result of a scan: findings sorted by path and position.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// Over the size cap, unreadable, a symlink loop: each named.
    pub skipped: Vec<Skipped>,
}

/// Scans files and directories. Every path must exist.
pub fn scan_paths(
    rules: &CompiledRules,
    paths: &[PathBuf],
    opts: &WalkOptions,
) -> Result<Outcome, WalkError> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(WalkError::Missing(p.display().to_string()));
        }
    }
    let include = Arc::new(matcher("include", &opts.include)?);
    let exclude = Arc::new(matcher("exclude", &opts.exclude)?);
    let Some((first, rest)) = paths.split_first() else {
        return Ok(Outcome::default());
    };
    let started = Instant::now();
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let roots: Arc<Vec<PathBuf>> = Arc::new(paths.to_vec());
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(2, usize::from)
    } else {
        opts.threads
    };
    {
        let (roots, exclude) = (Arc::clone(&roots), Arc::clone(&exclude));
        builder
            .hidden(false)
            .parents(true)
            .ignore(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .follow_links(opts.follow_symlinks)
            .threads(threads)
            .filter_entry(move |e| {
                if e.depth() == 0 {
                    return true;
                }
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                if is_dir && e.file_name() == ".git" {
                    return false;
                }
                !exclude
                    .matched(relative(&roots, e.path()), is_dir)
                    .is_ignore()
            });
    }

    let findings = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let counts = Counts::default();
    builder.build_parallel().run(|| {
        let mut buf = Vec::new();
        let (findings, skipped, counts) = (&findings, &skipped, &counts);
        let (include, roots) = (Arc::clone(&include), Arc::clone(&roots));
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    counts.unreadable.fetch_add(1, Ordering::Relaxed);
                    let (path, reason) = describe(&err);
                    skipped
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(Skipped { path, reason });
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            if entry.depth() > 0
                && !include.is_empty()
                && !include.matched(relative(&roots, path), false).is_ignore()
            {
                return WalkState::Continue;
            }
            if let Some(shard) = &opts.shard
                && !shard.contains(&shard_path(&roots, path))
            {
                return WalkState::Continue;
            }
            let label = label(path);
            match read_file(path, opts.max_file_size, &mut buf) {
                Ok(Read_::Text) => {
                    counts.files.fetch_add(1, Ordering::Relaxed);
                    counts.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
                    if let Some(p) = &opts.progress {
                        p.files.fetch_add(1, Ordering::Relaxed);
                        p.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
                    }
                    let found = engine::scan(rules, &label, &buf, opts.mode);
                    if !found.is_empty() {
                        findings
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .extend(found);
                    }
                }
                Ok(Read_::Binary) => {
                    counts.skipped_binary.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Read_::TooLarge(size)) => {
                    counts.skipped_large.fetch_add(1, Ordering::Relaxed);
                    skipped
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(Skipped {
                            path: label,
                            reason: format!(
                                "{size} bytes, over --max-file-size {}",
                                opts.max_file_size
                            ),
                        });
                }
                Err(e) => {
                    counts.unreadable.fetch_add(1, Ordering::Relaxed);
                    skipped
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(Skipped {
                            path: label,
                            reason: format!("cannot read: {e}"),
                        });
                }
            }
            // Large buffers are not kept between files.
            if buf.capacity() > 4 << 20 {
                buf = Vec::new();
            }
            WalkState::Continue
        })
    });

    let mut findings = findings.into_inner().unwrap_or_else(|p| p.into_inner());
    sort(&mut findings);
    let mut skipped = skipped.into_inner().unwrap_or_else(|p| p.into_inner());
    skipped.sort();
    Ok(Outcome {
        findings,
        stats: counts.stats(started.elapsed()),
        skipped,
    })
}

/// Scans a stream (stdin): all of it, whatever it holds.
pub fn scan_reader(
    rules: &CompiledRules,
    label: &str,
    reader: &mut dyn Read,
    mode: Mode,
) -> Result<Outcome, WalkError> {
    let started = Instant::now();
    let mut buf = Vec::new();
    reader.read_to_end(&mut buf).map_err(WalkError::Stdin)?;
    let mut findings = engine::scan(rules, label, &buf, mode);
    sort(&mut findings);
    Ok(Outcome {
        findings,
        stats: Stats {
            files: 1,
            bytes: buf.len() as u64,
            elapsed: started.elapsed(),
            ..Stats::default()
        },
        skipped: Vec::new(),
    })
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (&a.path, a.start, &a.rule).cmp(&(&b.path, b.start, &b.rule)));
}

#[derive(Default)]
struct Counts {
    files: AtomicU64,
    bytes: AtomicU64,
    skipped_binary: AtomicU64,
    skipped_large: AtomicU64,
    unreadable: AtomicU64,
}

impl Counts {
    fn stats(&self, elapsed: Duration) -> Stats {
        Stats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            skipped_binary: self.skipped_binary.load(Ordering::Relaxed),
            skipped_large: self.skipped_large.load(Ordering::Relaxed),
            unreadable: self.unreadable.load(Ordering::Relaxed),
            elapsed,
        }
    }
}

enum Read_ {
    Text,
    Binary,
    TooLarge(u64),
}

/// Reads `path` into `buf` unless it is over `max` bytes or binary (a NUL in its first 8 KiB).
fn read_file(path: &Path, max: u64, buf: &mut Vec<u8>) -> std::io::Result<Read_> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > max {
        return Ok(Read_::TooLarge(size));
    }
    buf.clear();
    buf.reserve(size as usize + 1);
    // Read at most max+1 bytes: a file that grew past the cap is still capped.
    let read = file.take(max + 1).read_to_end(buf)?;
    if read as u64 > max {
        return Ok(Read_::TooLarge(read as u64));
    }
    if memchr_nul(&buf[..buf.len().min(SNIFF_LEN)]) {
        return Ok(Read_::Binary);
    }
    Ok(Read_::Text)
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// A path for findings: as walked, without a leading `./`.
fn label(path: &Path) -> String {
    let p = path.strip_prefix(".").unwrap_or(path);
    p.display().to_string()
}

/// The path a file is sharded by: relative to the root it was found under,
/// `/`-separated; a root that is itself a file is sharded by its path as given.
fn shard_path(roots: &[PathBuf], path: &Path) -> String {
    let rel = relative(roots, path);
    let rel = if rel.as_os_str().is_empty() {
        path
    } else {
        rel
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| {
            !matches!(
                c,
                std::path::Component::CurDir | std::path::Component::RootDir
            )
        })
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `path` relative to the root it was found under, for glob matching.
fn relative<'a>(roots: &[PathBuf], path: &'a Path) -> &'a Path {
    roots
        .iter()
        .find_map(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
}

/// A .gitignore-syntax matcher for `--include`/`--exclude` (`flag` names it in errors).
pub fn matcher(flag: &'static str, globs: &[String]) -> Result<Gitignore, WalkError> {
    let mut b = GitignoreBuilder::new("");
    for g in globs {
        b.add_line(None, g).map_err(|e| WalkError::BadGlob {
            flag,
            glob: g.clone(),
            message: glob_message(&e),
        })?;
    }
    b.build().map_err(|e| WalkError::BadGlob {
        flag,
        glob: globs.join(","),
        message: glob_message(&e),
    })
}

fn glob_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// Path and reason of a walk error (a symlink loop, a directory that cannot be listed).
fn describe(err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => (label(path), describe(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Loop { child, ancestor } => (
            label(child),
            format!("symbolic link loop (back to {})", label(ancestor)),
        ),
        ignore::Error::Io(e) => (String::new(), format!("cannot read: {e}")),
        other => (String::new(), other.to_string()),
    }
}
