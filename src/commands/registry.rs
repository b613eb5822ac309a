//! `agentid registry validate|schema|init`: the registry file itself.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Format};
use crate::registry::{self, RegistryError, ValidationReport, init, schema};

/// Check, describe or create the agent registry (agentid.yaml).
#[derive(Debug, Args)]
pub struct RegistryArgs {
    #[command(subcommand)]
    pub command: RegistryCommand,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Check a registry and report every problem with file:line:column and field.
    ///
    /// Exit 0 when valid, 2 when not. PATH `-` reads stdin.
    ///
    /// Example:
    ///   agentid registry validate examples/agentid.yaml
    #[command(verbatim_doc_comment)]
    Validate {
        /// Registry file [default: --config, ./agentid.yaml, $XDG_CONFIG_HOME/agentid/agentid.yaml].
        path: Option<PathBuf>,
    },
    /// Print the registry's JSON Schema (also at docs/agentid.schema.json).
    ///
    /// Point your editor at it with a first line of
    ///   # yaml-language-server: $schema=<path or URL of agentid.schema.json>
    #[command(verbatim_doc_comment)]
    Schema,
    /// Write a commented starter registry; never overwrites a file.
    Init {
        /// Where to write it.
        #[arg(default_value = "agentid.yaml")]
        path: PathBuf,
    },
}

pub fn run(ctx: &Ctx, args: &RegistryArgs) -> anyhow::Result<ExitStatus> {
    match &args.command {
        RegistryCommand::Validate { path } => validate(ctx, path.as_deref()),
        RegistryCommand::Schema => {
            let format = ctx.format(
                "registry schema",
                Format::Json,
                &[Format::Json, Format::Yaml],
            )?;
            let schema = schema::registry_schema();
            output::write_to(&ctx.destination, |out| {
                output::write_machine(out, format, &schema)
            })?;
            Ok(ExitStatus::Ok)
        }
        RegistryCommand::Init { path } => {
            let schema = init::write_starter(path)?;
            if !ctx.quiet {
                eprintln!(
                    "wrote {}: edit the owners and agents, then run `agentid registry validate {}`",
                    path.display(),
                    path.display()
                );
                if let Some(schema) = schema {
                    eprintln!("wrote {} for editor completion", schema.display());
                }
            }
            Ok(ExitStatus::Ok)
        }
    }
}

fn validate(ctx: &Ctx, path: Option<&Path>) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "registry validate",
        Format::Table,
        &[Format::Table, Format::Json, Format::Yaml],
    )?;
    let path =
        match path {
            Some(p) => p.to_path_buf(),
            None => match crate::config::find_registry(ctx.config.as_deref()) {
                Some((p, _)) => p,
                None => return Err(UsageError(
                    "no registry to validate: give a PATH, pass --config, or create ./agentid.yaml"
                        .into(),
                )
                .into()),
            },
        };
    let display = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let result = registry::load(&path);
    let Some(report) = ValidationReport::new(&display, &result) else {
        // Unreadable: an error of the command itself.
        result?;
        return Ok(ExitStatus::Ok);
    };
    if format == Format::Table && !report.valid {
        // Problems are diagnostics: stderr, one line each, via main's error printer.
        if let Err(e @ RegistryError::Invalid { .. }) = result {
            return Err(e.into());
        }
    }
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::validation(out, &report, &style),
        _ => output::write_machine(out, format, &report),
    })?;
    Ok(if report.valid {
        ExitStatus::Ok
    } else {
        ExitStatus::Usage
    })
}
