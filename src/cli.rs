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

/// Parses the command line, exiting on an error as clap does. A bad value
/// that came from an environment variable (an `env =` argument the user did
/// not type) is reported naming the variable: clap's own message names only
/// the flag, which sends the user looking at a command line that has no
/// such flag.
pub fn parse() -> Cli {
    let err = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(err) => err,
    };
    let args: Vec<String> = std::env::args().collect();
    match from_environment(&err, &args) {
        Some(message) => {
            eprint!("{message}");
            std::process::exit(2)
        }
        None => err.exit(),
    }
}

/// clap's message for `err`, naming the environment variable the bad value
/// came from, if it came from one.
fn from_environment(err: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        err.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let Some(ContextValue::String(shown)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    let Some(ContextValue::String(value)) = err.get(ContextKind::InvalidValue) else {
        return None;
    };
    let long = shown.split([' ', '=']).next()?.strip_prefix("--")?;
    let typed = args.iter().skip(1).take_while(|a| *a != "--").any(|a| {
        a.strip_prefix("--")
            .is_some_and(|a| a == long || a.starts_with(&format!("{long}=")))
    });
    if typed {
        return None;
    }
    let var = env_of(&<Cli as clap::CommandFactory>::command(), long)?;
    if std::env::var_os(&var).is_none_or(|v| v.to_str() != Some(value.as_str())) {
        return None;
    }
    let text = err.render().to_string();
    let from = format!("for '{shown}'");
    text.contains(&from).then(|| {
        text.replacen(
            &from,
            &format!("in environment variable {var} (read for '{shown}')"),
            1,
        )
    })
}

/// The environment variable of the argument `--long` anywhere in the tree.
fn env_of(cmd: &clap::Command, long: &str) -> Option<String> {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .map(|v| v.to_string_lossy().into_owned())
        .or_else(|| cmd.get_subcommands().find_map(|c| env_of(c, long)))
}

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
