//! Hidden `agentid generate completions|man`: files for packagers. The copies
//! in completions/ are kept current by a test.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Subcommand, ValueEnum};

use super::Ctx;
use crate::cli::Cli;
use crate::error::{ExitStatus, UsageError};
use crate::output;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: GenerateWhat,
}

#[derive(Debug, Subcommand)]
pub enum GenerateWhat {
    /// Shell completions, to stdout or -o.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Man pages, one per command, into DIR.
    Man { dir: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl Shell {
    pub const ALL: [Shell; 5] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Powershell,
        Shell::Elvish,
    ];

    /// File name under completions/.
    pub fn file_name(self) -> &'static str {
        match self {
            Shell::Bash => "agentid.bash",
            Shell::Zsh => "_agentid",
            Shell::Fish => "agentid.fish",
            Shell::Powershell => "_agentid.ps1",
            Shell::Elvish => "agentid.elv",
        }
    }
}

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    use clap_complete::Shell as S;
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(s, &mut cmd, "agentid", &mut buf);
    buf
}

pub fn run(ctx: &Ctx, args: &GenerateArgs) -> anyhow::Result<ExitStatus> {
    match &args.what {
        GenerateWhat::Completions { shell } => {
            let script = completions(*shell);
            output::write_to(&ctx.destination, |out| out.write_all(&script))?;
        }
        GenerateWhat::Man { dir } => {
            if !dir.is_dir() {
                return Err(UsageError(format!("{}: not a directory", dir.display())).into());
            }
            let cmd = Cli::command();
            clap_mangen::generate_to(cmd, dir)
                .map_err(|e| anyhow::anyhow!("cannot write man pages to {}: {e}", dir.display()))?;
        }
    }
    Ok(ExitStatus::Ok)
}
