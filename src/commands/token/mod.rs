//! `agentid token`: `decode` (what a JWT says, here), `verify` (whether it is
//! genuine and fits its agent's contract, verify.rs) and `sign` (sign.rs).

mod batch;
pub mod sign;
pub mod verify;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::Ctx;
use super::inventory::parse_as_of;
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::inventory::rules::Limits;
use crate::output::{self, Format};
use crate::registry;
use crate::token::input::{self, Source, TokenInput};
use crate::token::{decode, jwt};

/// Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens.
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    Decode(DecodeArgs),
    Verify(verify::VerifyArgs),
    Sign(sign::SignArgs),
}

/// Where a token comes from: shared by every `token` subcommand that reads one.
#[derive(Debug, Args)]
#[command(next_help_heading = "Input")]
pub struct TokenSourceArgs {
    /// File holding the token; `-` reads stdin. Never the token itself: argv is visible in `ps`.
    // Not `required` in clap: `verify --batch` needs no FILE, and `read`
    // gives the one-line error when neither FILE nor --env is given.
    #[arg(value_name = "FILE", conflicts_with = "env")]
    pub file: Option<PathBuf>,

    /// Read the token from this environment variable (give its name, not its value).
    #[arg(long, value_name = "VAR")]
    pub env: Option<String>,

    // Anything after FILE. Hidden: it exists so that a token pasted as an
    // extra argument is refused here, redacted, instead of clap echoing it
    // whole in "unexpected argument".
    #[arg(hide = true, value_name = "EXTRA", num_args = 0..)]
    pub extra: Vec<String>,
}

impl TokenSourceArgs {
    /// Reads the token: trimmed, `Bearer ` removed, at most 64 KiB. Every
    /// failure is bad input (exit 2).
    pub fn read(&self) -> Result<TokenInput, UsageError> {
        self.refuse_extra()?;
        let source = match (&self.env, &self.file) {
            (Some(var), _) => Source::Env(var),
            (None, Some(path)) => Source::Path(path),
            (None, None) => {
                return Err(UsageError(
                    "no token: give a FILE, `-` for stdin, or --env VAR".into(),
                ));
            }
        };
        input::read(source, &mut std::io::stdin().lock()).map_err(|e| UsageError(e.to_string()))
    }
}

impl TokenSourceArgs {
    /// Extra positional arguments are an error; one that looks like a token
    /// is named only by its redacted prefix.
    pub fn refuse_extra(&self) -> Result<(), UsageError> {
        let Some(first) = self.extra.first() else {
            return Ok(());
        };
        if input::looks_like_token(first) {
            return Err(UsageError(format!(
                "unexpected argument {}: tokens are not accepted on the command line (argv is visible in `ps`); put the token in a file, pipe it to `-`, or use --env VAR",
                crate::secrets::redact(first)
            )));
        }
        Err(UsageError(format!(
            "unexpected argument {first:?}: give one FILE (or `-`, or --env VAR)"
        )))
    }
}

/// Parses a token read by [`TokenSourceArgs::read`]; the error names the
/// source and the part at fault (exit 2).
pub fn parse_token(input: &TokenInput) -> Result<jwt::Jws, UsageError> {
    jwt::parse(&input.token).map_err(|e| UsageError(format!("{}: {e}", input.origin)))
}

/// Show what a JWT says. The signature is NOT verified.
///
/// Prints the header and claims, with what a person needs to read them: iat, nbf
/// and exp as RFC 3339 and relative ("expires in 14m"), the lifetime against the
/// longest allowed, audiences, scopes (scope/scp), the RFC 8693 delegation chain
/// (act, may_act), cnf key binding, and explanations for GitHub Actions,
/// Kubernetes, Google, Entra ID and SPIFFE tokens.
///
/// The token comes from FILE, stdin (`-`) or --env VAR, never from the command
/// line itself. Surrounding whitespace and a `Bearer ` prefix are ignored.
/// Encrypted (JWE), opaque, malformed or oversized (> 64 KiB) tokens exit 2.
/// The table view always says on stderr that the signature was not verified,
/// even with -q; JSON and YAML say it in `signature_verified: false`.
///
/// Examples:
///   agentid token decode /var/run/secrets/tokens/agent-token
///   printf '%s' "$TOKEN" | agentid token decode -
///   agentid token decode --env ACTIONS_ID_TOKEN -f json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub source: TokenSourceArgs,

    /// Longest acceptable lifetime (exp - iat) [default: registry's defaults.max_token_lifetime, else 1h].
    #[arg(long, value_name = "DURATION", help_heading = "Evaluation")]
    pub max_lifetime: Option<Duration>,

    /// Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now].
    #[arg(long, env = "AGENTID_AS_OF", value_name = "TIME", value_parser = parse_as_of, help_heading = "Evaluation")]
    pub as_of: Option<Timestamp>,
}

pub fn run(ctx: &Ctx, args: &TokenArgs) -> anyhow::Result<ExitStatus> {
    match &args.command {
        TokenCommand::Decode(a) => run_decode(ctx, a),
        TokenCommand::Verify(a) => verify::run(ctx, a),
        TokenCommand::Sign(a) => sign::run(ctx, a),
    }
}

fn run_decode(ctx: &Ctx, args: &DecodeArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "token decode",
        Format::Table,
        &[Format::Table, Format::Json, Format::Yaml],
    )?;
    let input = args.source.read()?;
    let jws = parse_token(&input)?;
    let (max_lifetime, max_from) = max_lifetime(ctx, args.max_lifetime)?;
    let report = decode::decode(
        &jws,
        &decode::Options {
            now: args.as_of.unwrap_or_else(Timestamp::now),
            max_lifetime,
            max_from,
            source: input.origin,
        },
    );
    if format == Format::Table {
        // A security statement, not chatter: -q does not silence it.
        eprintln!(
            "warning: the signature was NOT verified: this shows what the token claims, not that it is genuine"
        );
    }
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::token_decode(out, &report, &style),
        _ => output::write_machine(out, format, &report),
    })?;
    Ok(ExitStatus::Ok)
}

/// `--max-lifetime`, else the registry's `defaults.max_token_lifetime` when a
/// registry is found, else the built-in default; with where it came from.
fn max_lifetime(ctx: &Ctx, flag: Option<Duration>) -> anyhow::Result<(Duration, String)> {
    if let Some(d) = flag {
        return Ok((d, "--max-lifetime".into()));
    }
    if let Some((path, origin)) = crate::config::find_registry(ctx.config.as_deref()) {
        tracing::info!(registry = %path.display(), ?origin, "using registry");
        let loaded = registry::load(&path)?;
        if let Some(d) = loaded.registry.defaults.max_token_lifetime {
            return Ok((
                d,
                format!("defaults.max_token_lifetime in {}", path.display()),
            ));
        }
    }
    Ok((
        Limits::BUILT_IN.max_token_lifetime,
        "built-in default".into(),
    ))
}
