//! The command-line interface: global flags and one variant per command.
//! Only this file, main.rs and commands/ know clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;

/// Version line: crate version, git commit and build date (set by build.rs).
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("AGENTID_GIT_COMMIT"),
    " ",
    env!("AGENTID_BUILD_DATE"),
    ")"
);

/// Govern the identities of AI agents: inventory, findings, registry, tokens.
#[derive(Debug, Parser)]
#[command(
    name = "agentid",
    version = LONG_VERSION,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or bad input, 3 operational failure.\nDocs: docs/index.md"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Print only errors; no progress, no warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// When to use colour. NO_COLOR and TERM=dumb turn `auto` off.
    #[arg(long, value_enum, global = true, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    /// Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml.
    #[arg(long, global = true, env = "AGENTID_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Output format [default: table; AGENTID_FORMAT sets it for every command that has it].
    #[arg(short, long, value_enum, global = true, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Write the result to PATH (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, global = true, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Yaml,
    Csv,
    Jsonl,
    Sarif,
    Raw,
    Env,
    CredentialProcess,
    Html,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Inventory(commands::inventory::InventoryArgs),
    Registry(commands::registry::RegistryArgs),
    Token(commands::token::TokenArgs),
    ScanSecrets(commands::scan_secrets::ScanSecretsArgs),
    RotateKeys(commands::rotate_keys::RotateKeysArgs),
    Exchange(commands::exchange::ExchangeArgs),
    #[command(hide = true)]
    Generate(commands::generate::GenerateArgs),
}

impl From<ColorArg> for crate::term::ColorChoice {
    fn from(c: ColorArg) -> Self {
        match c {
            ColorArg::Auto => crate::term::ColorChoice::Auto,
            ColorArg::Always => crate::term::ColorChoice::Always,
            ColorArg::Never => crate::term::ColorChoice::Never,
        }
    }
}

impl From<FormatArg> for crate::output::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => crate::output::Format::Table,
            FormatArg::Json => crate::output::Format::Json,
            FormatArg::Yaml => crate::output::Format::Yaml,
            FormatArg::Csv => crate::output::Format::Csv,
            FormatArg::Jsonl => crate::output::Format::Jsonl,
            FormatArg::Sarif => crate::output::Format::Sarif,
            FormatArg::Raw => crate::output::Format::Raw,
            FormatArg::Env => crate::output::Format::Env,
            FormatArg::CredentialProcess => crate::output::Format::CredentialProcess,
            FormatArg::Html => crate::output::Format::Html,
        }
    }
}
