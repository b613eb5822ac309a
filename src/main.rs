use std::process::ExitCode;

use clap::Parser;

use agentid::{cli::Cli, commands, error, term};

// Inventory of a large estate allocates millions of small strings; mimalloc is markedly faster at it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    term::init_logging(
        cli.global.verbose,
        cli.global.quiet,
        cli.global.color.into(),
    );
    match commands::dispatch(&cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let detail = if cli.global.verbose >= 2 {
                format!("{err:?}")
            } else {
                String::new()
            };
            for line in error::error_lines(&err) {
                eprintln!("error: {line}");
            }
            if !detail.is_empty() {
                eprintln!("{detail}");
            }
            ExitCode::from(error::exit_status(&err).code())
        }
    }
}
