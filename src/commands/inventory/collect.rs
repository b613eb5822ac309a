//! `agentid inventory collect`: read the sources and write the estate as a
//! snapshot (docs/snapshot.md), without evaluating it.

use clap::Args;
use jiff::Timestamp;

use super::{inventory_error, load_registry, source_errors};
use crate::commands::Ctx;
use crate::error::ExitStatus;
use crate::inventory::{self, Options, Request, snapshot};
use crate::output::{self, Format};
use crate::registry::FailOn;

/// Read the registry's sources and write the estate as a snapshot (JSON).
///
/// The snapshot holds ids and metadata only, never a secret. Write it with
/// -o (atomically); evaluate it later, offline, with `inventory --from`.
/// A source that cannot be read is reported on stderr and nothing is
/// written (exit 3), unless --allow-partial.
///
/// Example:
///   agentid inventory collect -o estate.json
///   agentid inventory --from estate.json --as-of 2026-11-01
///   agentid inventory diff last-week.json estate.json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CollectArgs {
    /// Read only this source (repeatable): a registry source name.
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,

    /// Write what could be read even when a source failed (default: exit 3, write nothing).
    #[arg(long)]
    pub allow_partial: bool,
}

pub fn run(ctx: &Ctx, args: &CollectArgs) -> anyhow::Result<ExitStatus> {
    ctx.format("inventory collect", Format::Json, &[Format::Json])?;
    let prefetch = inventory::Prefetch::default();
    let loaded = load_registry(ctx, false, Some(&prefetch))?;
    let bars = crate::term::SourceBars::start(ctx.quiet);
    let started_at = Timestamp::now();
    let request = Request {
        registry: loaded.as_ref(),
        snapshots: &[],
        from: &[],
        sources: &args.source,
        prefetched: &prefetch,
        watch: bars.as_deref().map(|b| b as &dyn inventory::live::Watch),
        options: Options {
            as_of: started_at,
            fail_on: FailOn::Never,
            agent: None,
            rules: None,
        },
    };
    let gathered = inventory::gather(&request).map_err(inventory_error);
    if let Some(b) = &bars {
        b.finish();
    }
    let gathered = gathered?;
    if source_errors(&gathered.failures, args.allow_partial) {
        return Ok(ExitStatus::Failure);
    }
    let snap = snapshot::from_estate(gathered.estate, started_at);
    output::write_to(&ctx.destination, |out| snapshot::write(out, &snap))?;
    tracing::info!(
        identities = snap.identities.len(),
        credentials = snap.credentials.len(),
        "wrote the snapshot"
    );
    Ok(ExitStatus::Ok)
}
