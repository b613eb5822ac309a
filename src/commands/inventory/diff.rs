//! `agentid inventory diff OLD NEW`: what changed between two snapshots.

use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::{inventory_error, load_registry, parse_as_of};
use crate::commands::Ctx;
use crate::error::ExitStatus;
use crate::inventory::{self, Options, Request, diff, snapshot};
use crate::output::{self, Format};
use crate::registry::FailOn;

/// Compare two snapshots: new shadow identities, keys created and deleted,
/// owners gone, findings opened and closed.
///
/// Each snapshot is evaluated against the registry (if one is found) as of
/// its own collection time, so a finding that only appeared with age shows
/// as opened. Exit 0 unless an input is unreadable.
///
/// Example:
///   agentid inventory diff last-week.json estate.json
///   agentid inventory diff old.json new.json --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DiffArgs {
    /// The earlier snapshot.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The later snapshot.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Evaluate a snapshot that records no collection time as of this time [default: now].
    #[arg(long, value_name = "TIME", value_parser = parse_as_of)]
    pub as_of: Option<Timestamp>,
}

pub fn run(ctx: &Ctx, args: &DiffArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "inventory diff",
        Format::Table,
        &[Format::Table, Format::Json, Format::Yaml, Format::Html],
    )?;
    let loaded = load_registry(ctx, true, None)?;
    let fallback = args.as_of.unwrap_or_else(Timestamp::now);
    let prefetch = inventory::Prefetch::default();

    let mut sides = Vec::new();
    for path in [&args.old, &args.new] {
        let estate = snapshot::load(path)?;
        let as_of = diff::collected_at(&estate).unwrap_or(fallback);
        let from = [path.clone()];
        let request = Request {
            registry: loaded.as_ref(),
            snapshots: &[],
            from: &from,
            sources: &[],
            prefetched: &prefetch,
            watch: None,
            options: Options {
                as_of,
                fail_on: FailOn::Never,
                agent: None,
                rules: None,
            },
        };
        let outcome = inventory::run(&request).map_err(inventory_error)?;
        sides.push((path.display().to_string(), as_of, outcome));
    }
    let (new_path, new_as_of, new) = sides.pop().expect("two sides");
    let (old_path, old_as_of, old) = sides.pop().expect("two sides");
    let report = diff::diff(
        &diff::Evaluated {
            path: old_path,
            as_of: old_as_of,
            estate: &old.estate,
            findings: &old.report.findings,
        },
        &diff::Evaluated {
            path: new_path,
            as_of: new_as_of,
            estate: &new.estate,
            findings: &new.report.findings,
        },
    );
    if format == Format::Html {
        // The page is the new estate's report with what the old one lacked
        // marked "new" (findings opened, agents and shadows that appeared).
        let changes = html_changes(&old.report, &new.report);
        output::write_to(&ctx.destination, |out| {
            output::html::inventory_with_changes(out, &new.report, &changes)
        })?;
        return Ok(ExitStatus::Ok);
    }
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::inventory_diff(out, &report, &style),
        _ => output::write_machine(out, format, &report),
    })?;
    Ok(ExitStatus::Ok)
}

/// Which findings and agents of `new` the `old` report did not have,
/// matched as `inventory diff` matches them.
fn html_changes(
    old: &inventory::report::InventoryReport,
    new: &inventory::report::InventoryReport,
) -> output::html::Changes {
    let old_findings: std::collections::HashSet<_> =
        old.findings.iter().map(diff::finding_key).collect();
    let old_agents: std::collections::HashSet<&str> =
        old.agents.iter().map(|a| a.name.as_str()).collect();
    output::html::Changes {
        previous_as_of: old.as_of.to_string(),
        new_findings: new
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| !old_findings.contains(&diff::finding_key(f)))
            .map(|(i, _)| i)
            .collect(),
        new_agents: new
            .agents
            .iter()
            .enumerate()
            .filter(|(_, a)| !old_agents.contains(a.name.as_str()))
            .map(|(i, _)| i)
            .collect(),
    }
}
