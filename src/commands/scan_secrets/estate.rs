//! `scan-secrets --estate SNAPSHOT`: the flag, and loading the snapshot and
//! the registry that names the agents.

use std::path::PathBuf;

use clap::Args;

use crate::commands::Ctx;
use crate::inventory::snapshot;
use crate::registry;
use crate::scan::engine::CompiledRules;
use crate::scan::estate::{LinkStatus, Owners};
use crate::scan::report::{EstateSummary, ScanReport};

#[derive(Debug, Args)]
pub struct EstateArgs {
    /// Name the credential, identity, agent and owner of each AWS, Anthropic or OpenAI key found, from this estate snapshot (docs/snapshot.md).
    #[arg(long, value_name = "SNAPSHOT", help_heading = "Ownership")]
    pub estate: Option<PathBuf>,
}

/// The snapshot indexed for linking, loaded before the scan so that a bad
/// snapshot or registry fails fast.
pub struct Loaded {
    owners: Owners,
    snapshot: String,
    registry: Option<String>,
}

/// Reads `--estate` and the registry that names the agents (`--config`,
/// `./agentid.yaml`, the user's), when there is one. None without `--estate`.
pub fn load(ctx: &Ctx, args: &EstateArgs) -> anyhow::Result<Option<Loaded>> {
    let Some(path) = &args.estate else {
        return Ok(None);
    };
    let estate = snapshot::load(path)?;
    let registry = match crate::config::find_registry(ctx.config.as_deref()) {
        Some((file, _)) => Some(registry::load(&file)?),
        None => None,
    };
    Ok(Some(Loaded {
        owners: Owners::new(
            &estate,
            registry.as_ref().map(|l| &l.registry),
            jiff::Timestamp::now(),
        ),
        snapshot: path.display().to_string(),
        registry: registry.map(|l| l.path.display().to_string()),
    }))
}

impl Loaded {
    /// Links the report's findings and fills `summary.estate`.
    pub fn link(&self, rules: &CompiledRules, report: &mut ScanReport) {
        self.owners.link(rules, &mut report.findings);
        let count = |s: LinkStatus| {
            report
                .findings
                .iter()
                .filter(|f| f.estate.as_ref().is_some_and(|e| e.status == s))
                .count()
        };
        report.summary.estate = Some(EstateSummary {
            snapshot: self.snapshot.clone(),
            registry: self.registry.clone(),
            matched: count(LinkStatus::Matched),
            ambiguous: count(LinkStatus::Ambiguous),
            not_found: count(LinkStatus::NotFound),
        });
    }
}
