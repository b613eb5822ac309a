//! One file per command: its arguments and a thin `run` that calls the core
//! and hands the result to output/.

pub mod generate;
pub mod inventory;
pub mod registry;

use std::path::PathBuf;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::ExitStatus;
use crate::output::{Destination, Format, Style};
use crate::term::ColorChoice;

/// What every command gets from the global flags.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `-f`, from the flag or AGENTID_FORMAT; `None` lets the command choose.
    pub format: Option<Format>,
    pub destination: Destination,
    pub color: ColorChoice,
    pub config: Option<PathBuf>,
    pub quiet: bool,
}

impl Ctx {
    pub fn from_global(g: &GlobalArgs) -> Self {
        Ctx {
            format: g.format.map(Into::into),
            destination: Destination::new(g.output.as_deref()),
            color: g.color.into(),
            config: g.config.clone(),
            quiet: g.quiet,
        }
    }

    /// Style for human output to the chosen destination.
    pub fn style(&self) -> Style {
        crate::term::stdout_style(self.color, self.destination.is_stdout())
    }
}

pub fn dispatch(cli: &Cli) -> anyhow::Result<ExitStatus> {
    let ctx = Ctx::from_global(&cli.global);
    match &cli.command {
        Command::Inventory(args) => inventory::run(&ctx, args),
        Command::Registry(args) => registry::run(&ctx, args),
        Command::Generate(args) => generate::run(&ctx, args),
    }
}
