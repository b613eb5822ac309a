//! `agentid inventory`: every agent identity and what is wrong with it.

use std::collections::HashSet;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;

use super::Ctx;
use crate::error::{ExitStatus, UsageError};
use crate::inventory::{self, Options, Request, rules};
use crate::output::{self, Format};
use crate::registry::{self, FailOn};

mod collect;
mod diff;

/// List every agent identity from the registry and its sources, with findings.
///
/// Reads the registry (--config, ./agentid.yaml, or $XDG_CONFIG_HOME/agentid/agentid.yaml),
/// collects the estate from its sources (snapshots and live providers), matches identities
/// to declared agents and evaluates the finding catalogue (docs/findings.md). A live source
/// that cannot be read is a source-error row, and the run exits 3 unless --allow-partial.
///
/// Example:
///   agentid inventory --config examples/agentid.yaml --as-of 2026-11-01T00:00:00Z
///   agentid inventory --format json --fail-on critical > inventory.json
///   agentid inventory --format html -o report.html   (docs/report.md)
///   agentid inventory collect -o estate.json && agentid inventory --from estate.json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, args_conflicts_with_subcommands = true)]
pub struct InventoryArgs {
    #[command(subcommand)]
    pub action: Option<InventoryAction>,

    /// Evaluate as of this time (RFC 3339, or a date meaning midnight UTC) [default: now].
    #[arg(long, env = "AGENTID_AS_OF", value_name = "TIME", value_parser = parse_as_of, help_heading = "Evaluation")]
    pub as_of: Option<Timestamp>,

    /// Exit 1 when a finding is at or above this severity [default: registry's defaults.fail_on, else high].
    #[arg(
        long,
        value_enum,
        env = "AGENTID_FAIL_ON",
        value_name = "SEVERITY",
        help_heading = "Evaluation"
    )]
    pub fail_on: Option<FailOnArg>,

    /// Evaluate only these rules (repeat or comma-separate, e.g. AID010,AID011).
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = parse_rule, help_heading = "Evaluation")]
    pub only: Vec<&'static str>,

    /// Skip these rules (repeat or comma-separate).
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = parse_rule, help_heading = "Evaluation")]
    pub skip: Vec<&'static str>,

    /// Report only this agent (a registry name, or a shadow identity's name or id).
    #[arg(long, value_name = "NAME", help_heading = "Selection")]
    pub agent: Option<String>,

    /// Read only this source (repeatable): a registry source name or an estate source name.
    #[arg(long, value_name = "NAME", help_heading = "Selection")]
    pub source: Vec<String>,

    /// Also read this estate snapshot (repeatable); works without a registry.
    #[arg(long, value_name = "PATH", help_heading = "Selection")]
    pub snapshot: Vec<PathBuf>,

    /// Read the estate from this snapshot instead of the registry's sources (repeatable).
    #[arg(long, value_name = "PATH", help_heading = "Selection")]
    pub from: Vec<PathBuf>,

    /// Report and exit by findings even when a source could not be read (default: exit 3).
    #[arg(long, help_heading = "Evaluation")]
    pub allow_partial: bool,
}

#[derive(Debug, Subcommand)]
pub enum InventoryAction {
    Collect(collect::CollectArgs),
    Diff(diff::DiffArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Low => FailOn::Low,
            FailOnArg::Medium => FailOn::Medium,
            FailOnArg::High => FailOn::High,
            FailOnArg::Critical => FailOn::Critical,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// RFC 3339 (`2026-11-01T00:00:00Z`), or a plain date (`2026-11-01`) at 00:00 UTC.
pub fn parse_as_of(text: &str) -> Result<Timestamp, String> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = text.parse::<jiff::civil::Date>()
        && let Ok(z) = d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
    {
        return Ok(z.timestamp());
    }
    Err(format!(
        "expected an RFC 3339 time such as 2026-11-01T00:00:00Z or a date such as 2026-11-01, got {text:?}"
    ))
}

fn parse_rule(text: &str) -> Result<&'static str, String> {
    let upper = text.trim().to_ascii_uppercase();
    rules::CATALOGUE
        .iter()
        .find(|r| r.id == upper)
        .map(|r| r.id)
        .ok_or_else(|| {
            let ids: Vec<&str> = rules::CATALOGUE.iter().map(|r| r.id).collect();
            format!("unknown rule {text:?}; rules are {}", ids.join(", "))
        })
}

pub fn run(ctx: &Ctx, args: &InventoryArgs) -> anyhow::Result<ExitStatus> {
    match &args.action {
        Some(InventoryAction::Collect(c)) => return collect::run(ctx, c),
        Some(InventoryAction::Diff(d)) => return diff::run(ctx, d),
        None => {}
    }
    let format = ctx.format(
        "inventory",
        Format::Table,
        &[
            Format::Table,
            Format::Json,
            Format::Yaml,
            Format::Csv,
            Format::Html,
        ],
    )?;

    let prefetch = inventory::Prefetch::default();
    let has_input = !args.snapshot.is_empty() || !args.from.is_empty();
    let loaded = load_registry(ctx, has_input, (args.from.is_empty()).then_some(&prefetch))?;

    let fail_on = args
        .fail_on
        .map(FailOn::from)
        .or_else(|| loaded.as_ref().and_then(|l| l.registry.defaults.fail_on))
        .unwrap_or(FailOn::High);
    let rules = rule_selection(&args.only, &args.skip)?;
    let bars = crate::term::SourceBars::start(ctx.quiet);
    let request = Request {
        registry: loaded.as_ref(),
        snapshots: &args.snapshot,
        from: &args.from,
        sources: &args.source,
        prefetched: &prefetch,
        watch: bars.as_deref().map(|b| b as &dyn inventory::live::Watch),
        options: Options {
            as_of: args.as_of.unwrap_or_else(Timestamp::now),
            fail_on,
            agent: args.agent.clone(),
            rules,
        },
    };
    let outcome = inventory::run(&request).map_err(inventory_error);
    if let Some(b) = &bars {
        b.finish();
    }
    let inventory::Outcome { mut report, estate } = outcome?;
    let partial = source_errors(&report.source_errors, args.allow_partial);

    let style = ctx.style();
    let started = std::time::Instant::now();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::inventory(out, &report, &style),
        Format::Csv => output::csv::inventory(out, &report),
        Format::Json => output::json::write_inventory(out, &mut report),
        Format::Html => output::html::inventory(out, &report),
        Format::Yaml
        | Format::Jsonl
        | Format::Sarif
        | Format::Raw
        | Format::Env
        | Format::CredentialProcess => output::write_machine(out, format, &report),
    })?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "wrote the report"
    );
    let failed = report.summary.failed;
    // The process ends right after this: freeing millions of small strings one
    // by one would only add a tenth to large runs. The OS reclaims it all.
    std::mem::forget(report);
    std::mem::forget(estate);
    std::mem::forget(loaded);
    if partial {
        return Ok(ExitStatus::Failure);
    }
    Ok(if failed {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

fn rule_selection(
    only: &[&'static str],
    skip: &[&'static str],
) -> Result<Option<HashSet<&'static str>>, UsageError> {
    if only.is_empty() && skip.is_empty() {
        return Ok(None);
    }
    let mut set: HashSet<&'static str> = if only.is_empty() {
        rules::CATALOGUE.iter().map(|r| r.id).collect()
    } else {
        only.iter().copied().collect()
    };
    for id in skip {
        set.remove(id);
    }
    if set.is_empty() {
        return Err(UsageError(
            "--only and --skip leave no rule to evaluate".into(),
        ));
    }
    Ok(Some(set))
}

/// Finds and loads the registry. Without one, `has_input` (snapshots on the
/// command line) lets the command go on; `prefetch` starts reading the
/// registry's snapshots while the rest of it is parsed.
pub(crate) fn load_registry(
    ctx: &Ctx,
    has_input: bool,
    prefetch: Option<&inventory::Prefetch>,
) -> anyhow::Result<Option<registry::LoadedRegistry>> {
    let found = crate::config::find_registry(ctx.config.as_deref());
    match &found {
        Some((path, origin)) => {
            tracing::info!(registry = %path.display(), ?origin, "using registry");
            let started = std::time::Instant::now();
            let loaded = registry::load_observing(path, &mut |sources, base_dir| {
                if let Some(p) = prefetch {
                    p.start(sources, base_dir);
                }
            })?;
            tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "loaded the registry");
            Ok(Some(loaded))
        }
        None if !has_input => Err(UsageError(
            "no registry found: pass --config PATH, set AGENTID_CONFIG, create ./agentid.yaml (agentid registry init), or give --snapshot PATH".into(),
        )
        .into()),
        None => Ok(None),
    }
}

pub(crate) fn inventory_error(e: inventory::InventoryError) -> anyhow::Error {
    match e {
        inventory::InventoryError::Snapshot(s) => anyhow::Error::new(s),
        inventory::InventoryError::Usage(m) => UsageError(m).into(),
    }
}

/// Prints one line per source that could not be read; true when that makes
/// the run a failure (exit 3), i.e. without `--allow-partial`.
pub(crate) fn source_errors(
    failures: &[inventory::source::SourceFailure],
    allow_partial: bool,
) -> bool {
    for f in failures {
        if allow_partial {
            eprintln!("warning: source not read: {f}");
        } else {
            eprintln!("error: source not read: {f}");
        }
    }
    if !failures.is_empty() && !allow_partial {
        eprintln!(
            "error: {} source(s) could not be read; the inventory is incomplete (pass --allow-partial to exit by findings)",
            failures.len()
        );
        return true;
    }
    false
}
