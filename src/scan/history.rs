//! Secrets in git history and in the index: the blobs of [`crate::scan::git`]
//! through the engine, each finding attributed to the commit that introduced it.
//!
//! A blob is read once however many commits and paths hold it (the reader
//! dedupes by blob id). A secret that stays in a file while the file changes
//! is in many blobs; it is reported once per path, at the earliest commit
//! whose blob of that path holds it: the commit that introduced it there.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use ignore::gitignore::Gitignore;
use serde::Serialize;

use crate::scan::engine::{self, CompiledRules, Mode};
use crate::scan::finding::{Finding, Origin};
use crate::scan::git::{self, GitError, HistoryOptions, HistoryStats};
use crate::scan::walk::{self, Outcome, Skipped, Stats, WalkError};

/// `--include`/`--exclude` for blob paths (repository-relative, .gitignore syntax).
pub struct PathFilter {
    include: Gitignore,
    exclude: Gitignore,
}

impl PathFilter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, WalkError> {
        Ok(PathFilter {
            include: walk::matcher("include", include)?,
            exclude: walk::matcher("exclude", exclude)?,
        })
    }

    /// A blob path is scanned unless it or a parent directory is excluded,
    /// and, when there are `--include` globs, it or a parent matches one.
    pub fn keeps(&self, path: &str) -> bool {
        let p = Path::new(path);
        if self
            .exclude
            .matched_path_or_any_parents(p, false)
            .is_ignore()
        {
            return false;
        }
        self.include.is_empty()
            || self
                .include
                .matched_path_or_any_parents(p, false)
                .is_ignore()
    }
}

/// What was read from one repository, for the report's `summary.git`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepoSummary {
    /// The repository as given.
    pub path: String,
    /// Commits walked (0 for `--staged`).
    pub commits: u64,
    /// Distinct blobs introduced by those commits (or staged).
    pub blobs: u64,
    /// Blobs scanned: not binary, not over the size limit, not filtered out.
    pub scanned: u64,
    /// Blobs left out by `--include`/`--exclude`.
    pub filtered: u64,
    /// Blobs absent from a partial clone.
    pub missing: u64,
    /// A shallow clone: history before its boundary is not there to scan.
    pub shallow: bool,
}

/// How a history finding's path is labelled: the blob's path inside the
/// repository, under the repository's path as given (nothing for `.`; a
/// `.git` directory stands for its work tree), as the directory walk labels files.
pub fn label_prefix(repo: &Path) -> String {
    let repo = if repo.file_name().is_some_and(|n| n == ".git") {
        repo.parent().unwrap_or(Path::new(""))
    } else {
        repo
    };
    let text = repo.display().to_string();
    let text = text.trim_end_matches('/');
    match text {
        "" | "." => String::new(),
        t => format!("{}/", t.strip_prefix("./").unwrap_or(t)),
    }
}

/// Scans the history of `repo`: every blob reachable from its refs (or
/// `opts.branches`, after `opts.since`), once.
pub fn scan_history(
    rules: &CompiledRules,
    repo: &Path,
    opts: &HistoryOptions,
    filter: &PathFilter,
    mode: Mode,
) -> Result<(Outcome, RepoSummary), GitError> {
    let started = Instant::now();
    let prefix = label_prefix(repo);
    let found: Mutex<Vec<(u64, Finding)>> = Mutex::new(Vec::new());
    let counts = Counts::default();
    let stats = git::scan_history(repo, opts, |origin, data| {
        if !filter.keeps(&origin.path) {
            counts.filtered.fetch_add(1, Ordering::Relaxed);
            return;
        }
        counts.files.fetch_add(1, Ordering::Relaxed);
        counts.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let label = format!("{prefix}{}", origin.path);
        let mut hits = engine::scan(rules, &label, data, mode);
        if hits.is_empty() {
            return;
        }
        let at = Origin {
            commit: origin.commit.clone(),
            author: Some(origin.author.clone()),
            date: Some(origin.date.to_string()),
            blob: Some(origin.blob.clone()),
        };
        for f in &mut hits {
            f.origin = Some(at.clone());
        }
        found
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(hits.into_iter().map(|f| (origin.seq, f)));
    })?;
    let found = found.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(finish(repo, found, &stats, &counts, started))
}

/// Scans what is staged in `repo`'s index (the staged content, not the work
/// tree): the entries whose blob differs from `HEAD`'s at that path, or every
/// entry before the first commit. Deletions have nothing to scan.
pub fn scan_staged(
    rules: &CompiledRules,
    repo: &Path,
    max_blob_size: u64,
    filter: &PathFilter,
    mode: Mode,
) -> Result<(Outcome, RepoSummary), GitError> {
    let started = Instant::now();
    let prefix = label_prefix(repo);
    let found: Mutex<Vec<(u64, Finding)>> = Mutex::new(Vec::new());
    let counts = Counts::default();
    let stats = git::staged(repo, max_blob_size, |blob, data| {
        if !filter.keeps(&blob.path) {
            counts.filtered.fetch_add(1, Ordering::Relaxed);
            return;
        }
        counts.files.fetch_add(1, Ordering::Relaxed);
        counts.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let label = format!("{prefix}{}", blob.path);
        let hits = engine::scan(rules, &label, data, mode);
        if !hits.is_empty() {
            found
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(hits.into_iter().map(|f| (0, f)));
        }
    })?;
    let found = found.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(finish(repo, found, &stats, &counts, started))
}

#[derive(Default)]
struct Counts {
    files: AtomicU64,
    bytes: AtomicU64,
    filtered: AtomicU64,
}

fn finish(
    repo: &Path,
    mut found: Vec<(u64, Finding)>,
    stats: &HistoryStats,
    counts: &Counts,
    started: Instant,
) -> (Outcome, RepoSummary) {
    // Per secret, rule and path: the findings of the earliest blob that has it.
    let blob = |f: &Finding| f.origin.as_ref().and_then(|o| o.blob.clone());
    found.sort_by(|(sa, a), (sb, b)| {
        (
            &a.path,
            &a.rule,
            &a.secret.fingerprint,
            sa,
            blob(a),
            a.start,
        )
            .cmp(&(
                &b.path,
                &b.rule,
                &b.secret.fingerprint,
                sb,
                blob(b),
                b.start,
            ))
    });
    let mut kept: Vec<(u64, Finding)> = Vec::with_capacity(found.len());
    let mut first: Option<(u64, Option<String>)> = None;
    for (seq, f) in found {
        let same_secret = kept.last().is_some_and(|(_, k)| {
            k.path == f.path && k.rule == f.rule && k.secret.fingerprint == f.secret.fingerprint
        });
        if !same_secret {
            first = Some((seq, blob(&f)));
        } else if first != Some((seq, blob(&f))) {
            continue;
        }
        kept.push((seq, f));
    }
    let mut found = kept;
    found.sort_by(|(sa, a), (sb, b)| {
        (&a.path, sa, a.start, &a.rule).cmp(&(&b.path, sb, b.start, &b.rule))
    });
    let findings = found.into_iter().map(|(_, f)| f).collect();
    let path = repo.display().to_string();
    let mut skipped = Vec::new();
    if stats.skipped_missing > 0 {
        skipped.push(Skipped {
            path: path.clone(),
            reason: format!(
                "{} blobs not scanned: never fetched into this partial clone",
                stats.skipped_missing
            ),
        });
    }
    if stats.skipped_oversized > 0 {
        skipped.push(Skipped {
            path: path.clone(),
            reason: format!(
                "{} blobs not scanned: over --max-file-size",
                stats.skipped_oversized
            ),
        });
    }
    let outcome = Outcome {
        findings,
        stats: Stats {
            files: counts.files.load(Ordering::Relaxed),
            bytes: counts.bytes.load(Ordering::Relaxed),
            skipped_binary: stats.skipped_binary,
            skipped_large: stats.skipped_oversized,
            unreadable: 0,
            elapsed: started.elapsed(),
        },
        skipped,
    };
    let summary = RepoSummary {
        path,
        commits: stats.commits,
        blobs: stats.blobs,
        scanned: counts.files.load(Ordering::Relaxed),
        filtered: counts.filtered.load(Ordering::Relaxed),
        missing: stats.skipped_missing,
        shallow: stats.shallow,
    };
    (outcome, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(label_prefix(Path::new(".")), "");
        assert_eq!(label_prefix(Path::new("./")), "");
        assert_eq!(label_prefix(Path::new("repo")), "repo/");
        assert_eq!(label_prefix(Path::new("./repo/")), "repo/");
        assert_eq!(label_prefix(Path::new("repo/.git")), "repo/");
        assert_eq!(label_prefix(Path::new(".git")), "");
        assert_eq!(label_prefix(Path::new("/srv/x.git")), "/srv/x.git/");
    }

    #[test]
    fn filters() {
        let f = PathFilter::new(&[], &["vendor/".into(), "*.min.js".into()]).unwrap();
        assert!(f.keeps("src/a.py"));
        assert!(!f.keeps("vendor/lib/a.py"));
        assert!(!f.keeps("web/app.min.js"));
        let f = PathFilter::new(&["*.env".into(), "config/".into()], &[]).unwrap();
        assert!(f.keeps("deploy/.env"));
        assert!(f.keeps("config/a/b.yaml"));
        assert!(!f.keeps("src/a.py"));
    }
}
