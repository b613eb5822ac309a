//! `scan-secrets --git`, `--history` and `--staged`: the flags, and which
//! PATH is read how.

use std::path::PathBuf;

use clap::Args;

use crate::error::UsageError;
use crate::scan::engine::CompiledRules;
use crate::scan::git::{self, HistoryOptions};
use crate::scan::history::{self, PathFilter};
use crate::scan::report::{GitMode, GitSummary};
use crate::scan::walk::{self, Outcome, WalkOptions};

#[derive(Debug, Args)]
pub struct GitArgs {
    /// Scan the git history of each PATH (a repository: work tree top level, .git or bare) instead of its files.
    #[arg(long, help_heading = "Git")]
    pub git: bool,

    /// Like --git for each PATH that is a repository; any other PATH is scanned as files.
    #[arg(long, conflicts_with = "git", help_heading = "Git")]
    pub history: bool,

    /// With --git/--history: only commits not reachable from REV (git's `REV..`).
    #[arg(long, value_name = "REV", help_heading = "Git")]
    pub since_commit: Option<String>,

    /// With --git/--history: only history reachable from REF (a branch, tag, HEAD or full ref; repeatable) instead of every ref.
    #[arg(long, value_name = "REF", help_heading = "Git")]
    pub branch: Vec<String>,

    /// Scan only what is staged in the index of the repository at PATH (pre-commit): staged content, not the work tree.
    #[arg(
        long,
        conflicts_with_all = ["git", "history", "since_commit", "branch"],
        help_heading = "Git"
    )]
    pub staged: bool,
}

impl GitArgs {
    /// True when git, not the file system, decides what is read.
    pub fn any(&self) -> bool {
        self.git || self.history || self.staged
    }

    /// `--since-commit` and `--branch` mean nothing without a history to read.
    pub fn check(&self) -> Result<(), UsageError> {
        let history = self.git || self.history;
        if !history && self.since_commit.is_some() {
            return Err(UsageError(
                "--since-commit needs --git or --history (it selects commits of a history)".into(),
            ));
        }
        if !history && !self.branch.is_empty() {
            return Err(UsageError(
                "--branch needs --git or --history (it selects the refs whose history is read)"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// What a git scan produced: the merged outcome, `summary.git`, and warnings
/// for stderr (a shallow clone).
pub struct GitScan {
    pub outcome: Outcome,
    pub summary: GitSummary,
    pub warnings: Vec<String>,
}

/// Scans each of `paths` as the git flags say.
pub fn scan(
    rules: &CompiledRules,
    paths: &[PathBuf],
    args: &GitArgs,
    walk_opts: &WalkOptions,
) -> anyhow::Result<GitScan> {
    let started = std::time::Instant::now();
    let filter = PathFilter::new(&walk_opts.include, &walk_opts.exclude)
        .map_err(|e| UsageError(e.to_string()))?;
    let opts = HistoryOptions {
        since: args.since_commit.clone(),
        branches: args.branch.clone(),
        max_blob_size: walk_opts.max_file_size,
        threads: walk_opts.threads,
    };
    let mut merged = Outcome::default();
    let mut summary = GitSummary {
        mode: if args.staged {
            GitMode::Staged
        } else {
            GitMode::History
        },
        since_commit: args.since_commit.clone(),
        branches: args.branch.clone(),
        repositories: Vec::new(),
    };
    let mut warnings = Vec::new();
    for path in paths {
        let (outcome, repo) = if args.staged {
            history::scan_staged(
                rules,
                path,
                walk_opts.max_file_size,
                &filter,
                walk_opts.mode,
            )?
        } else if args.git || git::is_repository(path) {
            history::scan_history(rules, path, &opts, &filter, walk_opts.mode)?
        } else {
            tracing::info!(path = %path.display(), "--history: not a repository, scanning its files");
            let outcome = walk::scan_paths(rules, std::slice::from_ref(path), walk_opts)
                .map_err(|e| UsageError(e.to_string()))?;
            merge(&mut merged, outcome);
            continue;
        };
        if repo.shallow {
            warnings.push(format!(
                "{}: a shallow clone: commits before its boundary are not there to scan (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)",
                repo.path
            ));
        }
        merge(&mut merged, outcome);
        summary.repositories.push(repo);
    }
    merged.stats.elapsed = started.elapsed();
    Ok(GitScan {
        outcome: merged,
        summary,
        warnings,
    })
}

fn merge(into: &mut Outcome, from: Outcome) {
    into.findings.extend(from.findings);
    into.skipped.extend(from.skipped);
    let (a, b) = (&mut into.stats, from.stats);
    a.files += b.files;
    a.bytes += b.bytes;
    a.skipped_binary += b.skipped_binary;
    a.skipped_large += b.skipped_large;
    a.unreadable += b.unreadable;
}
