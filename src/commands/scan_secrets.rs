//! `agentid scan-secrets`: find secrets in files, directories and stdin;
//! `agentid scan-secrets rules`: list the rules.

mod estate;
mod git;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use clap::{Args, Subcommand};

use super::Ctx;
use super::inventory::FailOnArg;
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Destination, Format};
use crate::registry::FailOn;
use crate::scan::baseline::{Baseline, BaselineFile};
use crate::scan::engine::{CompiledRules, Mode};
use crate::scan::report::{RuleList, ScanReport};
use crate::scan::rules::{self, RulesError};
use crate::scan::shard::Shard;
use crate::scan::walk::{self, WalkOptions};

/// Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.
///
/// Walks each PATH on all cores, honouring .gitignore; skips binary files and
/// files over --max-file-size. With --git, reads a repository's history
/// instead: every blob reachable from any ref, once, each finding with the
/// commit, author and date that introduced it. --staged reads what a commit
/// would add (for pre-commit hooks). Secrets are never shown whole: a prefix,
/// the length and a fingerprint (sha256, first 12 hex). The same secret found
/// in many places is one row in the table. `agentid scan-secrets rules` lists
/// the rules (docs/rules.md); a directory named `rules` is scanned as `./rules`.
///
/// A comment `agentid:allow` on a secret's line suppresses it (`agentid:allow=RULE,…`
/// only those rules); so does --baseline. Suppressed findings never fail the run
/// and are marked, not dropped, in json/jsonl/csv/sarif.
///
/// Examples:
///   agentid scan-secrets
///   agentid scan-secrets src config --exclude 'tests/fixtures/' --fail-on high
///   agentid scan-secrets --git --since-commit origin/main
///   agentid scan-secrets --staged
///   agentid scan-secrets --git --estate estate.json -f json
///   git diff | agentid scan-secrets -
///   agentid scan-secrets . -f json -o secrets.json
///   agentid scan-secrets -f sarif -o secrets.sarif --shard 1/4
///   agentid scan-secrets --write-baseline .agentid-baseline.json --fail-on never
///   agentid scan-secrets --baseline .agentid-baseline.json
///   agentid scan-secrets rules --rules my-rules.yaml
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, args_conflicts_with_subcommands = true)]
pub struct ScanSecretsArgs {
    #[command(subcommand)]
    pub command: Option<ScanSecretsCommand>,

    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum ScanSecretsCommand {
    Rules(RulesArgs),
}

/// List the secret rules: id, provider, severity, lifetime and what each finds.
///
/// Example:
///   agentid scan-secrets rules
///   agentid scan-secrets rules --rules my-rules.yaml -f json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RulesFileArg,
}

#[derive(Debug, Args)]
pub struct RulesFileArg {
    /// Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md).
    #[arg(long = "rules", value_name = "FILE", help_heading = "Rules")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads stdin [default: .].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RulesFileArg,

    /// Scan only files matching GLOB (.gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB", help_heading = "Selection")]
    pub include: Vec<String>,

    /// Skip files and directories matching GLOB (.gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB", help_heading = "Selection")]
    pub exclude: Vec<String>,

    /// Skip files larger than SIZE (bytes, or with KB/MB/GB/KiB/MiB/GiB).
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = parse_size, help_heading = "Selection")]
    pub max_file_size: u64,

    /// Follow symbolic links (loops are reported and skipped).
    #[arg(long, help_heading = "Selection")]
    pub follow_symlinks: bool,

    /// Scan only shard I of N (1-based): files split by a hash of their path, one shard per CI job.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse, help_heading = "Selection")]
    pub shard: Option<Shard>,

    /// Suppress the secrets recorded in FILE (matched by rule and fingerprint; see --write-baseline).
    #[arg(long, value_name = "FILE", help_heading = "Suppression")]
    pub baseline: Option<PathBuf>,

    /// Record this run's secrets in FILE, a baseline for --baseline (written atomically; no secret in it).
    #[arg(long, value_name = "FILE", help_heading = "Suppression")]
    pub write_baseline: Option<PathBuf>,

    /// Exit 1 when a finding that is not suppressed is at or above this severity.
    #[arg(
        long,
        value_enum,
        value_name = "SEVERITY",
        default_value = "low",
        help_heading = "Evaluation"
    )]
    pub fail_on: FailOnArg,

    #[command(flatten)]
    pub git: git::GitArgs,

    #[command(flatten)]
    pub estate: estate::EstateArgs,

    // Every regex over every whole file, without the keyword prefilter: the
    // reference the differential test and the benchmark compare with.
    #[arg(long, hide = true)]
    pub no_prefilter: bool,

    // Worker threads (0: one per core). For benchmarks.
    #[arg(long, hide = true, default_value_t = 0)]
    pub threads: usize,
}

/// `10MiB`, `500KB`, `1048576`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("expected a size such as 10MiB or 500KB, got {text:?}"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?} (use B, KB, MB, GB, KiB, MiB or GiB)"
            ));
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// The built-in rules, with `--rules FILE` merged in and checked.
pub fn load_rules(file: Option<&Path>) -> Result<CompiledRules, RulesError> {
    let Some(path) = file else {
        return Ok(CompiledRules::builtin());
    };
    let set = rules::with_file(path)?;
    let compiled = CompiledRules::new(&set).map_err(|problems| RulesError::Invalid { problems })?;
    let problems = compiled.check_examples(&set);
    if !problems.is_empty() {
        return Err(RulesError::Invalid { problems });
    }
    Ok(compiled)
}

pub fn run(ctx: &Ctx, args: &ScanSecretsArgs) -> anyhow::Result<ExitStatus> {
    match &args.command {
        Some(ScanSecretsCommand::Rules(r)) => list_rules(ctx, r),
        None => scan(ctx, &args.scan),
    }
}

fn list_rules(ctx: &Ctx, args: &RulesArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "scan-secrets rules",
        Format::Table,
        &[Format::Table, Format::Json, Format::Yaml, Format::Csv],
    )?;
    let rules = load_rules(args.rules.file.as_deref())?;
    let list = RuleList::new(&rules);
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::secret_rules(out, &list, &style),
        Format::Csv => output::csv::secret_rules(out, &list),
        _ => output::write_machine(out, format, &list),
    })?;
    Ok(ExitStatus::Ok)
}

fn scan(ctx: &Ctx, args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "scan-secrets",
        Format::Table,
        &[
            Format::Table,
            Format::Json,
            Format::Jsonl,
            Format::Csv,
            Format::Sarif,
        ],
    )?;
    let rules = load_rules(args.rules.file.as_deref())?;
    let baseline = load_baseline(args)?;
    if args.write_baseline.as_deref() == Some(Path::new("-")) {
        return Err(UsageError(
            "--write-baseline -: give a file name (stdout carries the report)".into(),
        )
        .into());
    }
    let mode = if args.no_prefilter {
        Mode::Exhaustive
    } else {
        Mode::Prefilter
    };
    let stdin = args.paths.iter().any(|p| p == Path::new("-"));
    if stdin && args.paths.len() > 1 {
        return Err(UsageError("`-` (stdin) cannot be combined with other paths".into()).into());
    }
    args.git.check()?;
    let owners = estate::load(ctx, &args.estate)?;
    if stdin && args.git.any() {
        return Err(UsageError(
            "`-` (stdin) is a stream, not a repository: --git, --history and --staged read a repository PATH".into(),
        )
        .into());
    }
    let mut warnings = Vec::new();
    let mut git_summary = None;
    if args.git.any()
        && let Some(shard) = args.shard
    {
        return Err(UsageError(format!(
            "--shard {shard} splits the files of a directory walk; it does not apply to --git, --history or --staged"
        ))
        .into());
    }
    if stdin && let Some(shard) = args.shard {
        return Err(UsageError(format!(
            "--shard {shard} splits the files of a directory walk; it does not apply to `-` (stdin)"
        ))
        .into());
    }
    let counts = Arc::new(walk::Progress::default());
    let progress = if stdin {
        None
    } else {
        let counts = Arc::clone(&counts);
        crate::term::Progress::start(ctx.quiet, move |elapsed| {
            let files = counts.files.load(Ordering::Relaxed);
            let bytes = counts.bytes.load(Ordering::Relaxed);
            let mb = bytes as f64 / 1e6;
            format!(
                "scanning: {files} file{}, {mb:.1} MB, {:.0} MB/s",
                if files == 1 { "" } else { "s" },
                mb / elapsed.as_secs_f64().max(1e-3)
            )
        })
    };
    let outcome: anyhow::Result<_> = if stdin {
        walk::scan_reader(&rules, "<stdin>", &mut std::io::stdin().lock(), mode)
            .map_err(|e| UsageError(e.to_string()).into())
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let opts = WalkOptions {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            max_file_size: args.max_file_size,
            follow_symlinks: args.follow_symlinks,
            threads: args.threads,
            mode,
            shard: args.shard,
            // Counted only while a progress line shows them.
            progress: progress.is_some().then_some(counts),
        };
        if args.git.any() {
            git::scan(&rules, &paths, &args.git, &opts).map(|scanned| {
                warnings = scanned.warnings;
                git_summary = Some(scanned.summary);
                scanned.outcome
            })
        } else {
            walk::scan_paths(&rules, &paths, &opts).map_err(|e| UsageError(e.to_string()).into())
        }
    };
    drop(progress);
    let mut outcome = outcome?;

    if let Some(b) = &baseline {
        b.apply(&mut outcome.findings);
    }
    if let Some(path) = &args.write_baseline {
        write_baseline(ctx, path, &outcome.findings)?;
    }
    let threshold = FailOn::from(args.fail_on).threshold();
    let mut report = ScanReport::new(outcome, &rules, threshold);
    report.summary.shard = args.shard.map(|s| s.to_string());
    report.summary.git = git_summary;
    if let Some(owners) = &owners {
        owners.link(&rules, &mut report);
    }
    if !ctx.quiet {
        let mut err = std::io::stderr().lock();
        for w in &warnings {
            let _ = writeln!(err, "warning: {w}");
        }
        for s in &report.skipped {
            let _ = writeln!(err, "warning: {}: {}", s.path, s.reason);
        }
    }
    let style = ctx.style();
    let sarif = output::sarif::SarifOptions {
        src_root: std::env::current_dir()
            .ok()
            .and_then(|d| output::sarif::dir_uri(&d)),
    };
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::secret_scan(out, &report, &style),
        Format::Csv => output::csv::secret_scan(out, &report),
        Format::Jsonl => output::jsonl::secret_scan(out, &report),
        Format::Sarif => output::sarif::secret_scan(out, &report, &sarif),
        _ => output::write_machine(out, format, &report),
    })?;
    if !ctx.quiet {
        use std::io::IsTerminal;
        let err_style = output::Style {
            color: crate::term::use_color(ctx.color, std::io::stderr().is_terminal()),
            width: None,
        };
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            output::table::secret_scan_summary(&report, &err_style)
        );
    }
    Ok(if report.summary.failed {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

/// `--write-baseline FILE`: atomically, then one line on stderr.
fn write_baseline(ctx: &Ctx, path: &Path, findings: &[crate::scan::Finding]) -> anyhow::Result<()> {
    let doc = BaselineFile::record(findings);
    output::write_to(&Destination::new(Some(path)), |out| {
        output::json::write(out, &doc)
    })?;
    if !ctx.quiet {
        let n = doc.secrets.len();
        let _ = writeln!(
            std::io::stderr(),
            "wrote baseline {} ({n} secret{})",
            path.display(),
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// `--baseline FILE` (`-`: stdin, unless stdin is being scanned).
fn load_baseline(args: &ScanArgs) -> anyhow::Result<Option<Baseline>> {
    let Some(path) = &args.baseline else {
        return Ok(None);
    };
    let loaded = if path == Path::new("-") {
        if args.paths.iter().any(|p| p == Path::new("-")) {
            return Err(UsageError(
                "--baseline -: stdin is already the input being scanned".into(),
            )
            .into());
        }
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| UsageError(format!("cannot read baseline from stdin: {e}")))?;
        Baseline::parse("<stdin>", &text)
    } else {
        Baseline::load(path)
    };
    loaded
        .map(Some)
        .map_err(|e| UsageError(e.to_string()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("500KB"), Ok(500_000));
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10XB").is_err());
    }
}
