use std::process::ExitCode;

use agentid::{commands, error, term};

// Inventory of a large estate allocates millions of small strings; mimalloc is markedly faster at it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = agentid::cli::parse();
    let g = &cli.global;
    term::init_logging(g.verbose, g.quiet, g.color.into());
    let status = match commands::dispatch(&cli) {
        Ok(status) => status,
        Err(err) => error::report(&err, g.verbose),
    };
    ExitCode::from(status.code())
}
