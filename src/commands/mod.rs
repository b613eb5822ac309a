//! One file per command: its arguments and a thin `run` that calls the core
//! and hands the result to output/.

pub mod exchange;
pub mod generate;
pub mod inventory;
pub mod registry;
pub mod rotate_keys;
pub mod scan_secrets;
pub mod token;

use std::path::PathBuf;

use crate::cli::{Cli, Command, FormatArg, GlobalArgs};
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Destination, Format, OutputError, Style};
use crate::term::ColorChoice;

/// What every command gets from the global flags.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `-f`; `None` lets the command choose.
    pub format_flag: Option<Format>,
    /// AGENTID_FORMAT: a preference, used by the commands that support it.
    pub format_env: Option<Format>,
    pub destination: Destination,
    pub color: ColorChoice,
    pub config: Option<PathBuf>,
    pub quiet: bool,
}

impl Ctx {
    pub fn from_global(g: &GlobalArgs) -> Result<Self, UsageError> {
        let format_env = match std::env::var("AGENTID_FORMAT") {
            Ok(v) if !v.is_empty() => Some(
                <FormatArg as clap::ValueEnum>::from_str(&v, true)
                    .map(Into::into)
                    .map_err(|_| {
                        UsageError(format!(
                            "AGENTID_FORMAT={v:?}: expected one of table, json, yaml, csv, jsonl, sarif, raw, env, credential-process"
                        ))
                    })?,
            ),
            _ => None,
        };
        Ok(Ctx {
            format_flag: g.format.map(Into::into),
            format_env,
            destination: Destination::new(g.output.as_deref()),
            color: g.color.into(),
            config: g.config.clone(),
            quiet: g.quiet,
        })
    }

    /// The format to use: `-f` (an error if the command lacks it), else
    /// AGENTID_FORMAT when the command has it, else the command's default.
    pub fn format(
        &self,
        what: &'static str,
        default: Format,
        supported: &[Format],
    ) -> Result<Format, OutputError> {
        if let Some(f) = self.format_flag {
            output::require(f, what, supported)?;
            return Ok(f);
        }
        Ok(self
            .format_env
            .filter(|f| supported.contains(f))
            .unwrap_or(default))
    }

    /// Style for human output to the chosen destination.
    pub fn style(&self) -> Style {
        crate::term::stdout_style(self.color, self.destination.is_stdout())
    }
}

pub fn dispatch(cli: &Cli) -> anyhow::Result<ExitStatus> {
    let ctx = Ctx::from_global(&cli.global)?;
    match &cli.command {
        Command::Inventory(args) => inventory::run(&ctx, args),
        Command::Registry(args) => registry::run(&ctx, args),
        Command::Token(args) => token::run(&ctx, args),
        Command::ScanSecrets(args) => scan_secrets::run(&ctx, args),
        Command::RotateKeys(args) => rotate_keys::run(&ctx, args),
        Command::Exchange(args) => exchange::run(&ctx, args),
        Command::Generate(args) => generate::run(&ctx, args),
    }
}
