//! `agentid token verify`: is a token genuine, current, meant for us, and
//! within its agent's contract?

use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::Timestamp;

use super::super::Ctx;
use super::super::inventory::parse_as_of;
use super::{TokenSourceArgs, parse_token};
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Format};
use crate::registry::{self, LoadedRegistry};
use crate::token::jwks_cache::JwksCache;
use crate::token::jwt;
use crate::token::keysource::{KeySourceError, KeySpec, Resolver};
use crate::token::verifier::{self, KeyBook, Request, VerifyReport};
use crate::token::verify::RequiredClaim;

/// Check that a JWT is genuine and fits its agent's contract.
///
/// Keys come from --jwks (a file or URL), --key (PEM public key, certificate,
/// JWK or JWKS file), or --issuer (OpenID discovery, then RFC 8414). With none
/// of them, the token's issuer is trusted only if the registry declares it in
/// some agent's `trust` (or under `issuers:`). Fetched JWKS are cached under
/// $XDG_CACHE_HOME/agentid/jwks; an unknown kid refetches once; --offline uses
/// the cache only. Token header URLs (jku, x5u) and embedded keys (jwk, x5c)
/// are never followed or trusted.
///
/// Each check is reported by name: alg, header, signature, exp, nbf, iat, iss,
/// aud, typ, required claims, and with a registry agent (--agent, or the one
/// agent whose trust matches iss + sub) the contract: trust, audience, scope,
/// lifetime, delegation. A failure comes with one line on its likely cause.
///
/// Exit codes: 0 valid, 1 invalid, 2 bad input, 3 keys could not be fetched.
///
/// Examples:
///   agentid token verify token.jwt --issuer https://token.actions.githubusercontent.com --audience sts.amazonaws.com
///   agentid token verify --env AGENT_TOKEN --jwks ./jwks.json --require-claim repository=acme/billing
///   agentid token verify --batch tokens.txt --issuer https://id.acme.example > results.jsonl
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub source: TokenSourceArgs,

    /// Verify many tokens: one per line of FILE (`-` = stdin); one JSON result per line, in order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["file", "env"], help_heading = "Input")]
    pub batch: Option<PathBuf>,

    /// Trust the keys in this JWKS file or URL.
    #[arg(
        long,
        value_name = "FILE|URL",
        help_heading = "Keys",
        conflicts_with = "key"
    )]
    pub jwks: Option<String>,

    /// Trust this public key file: PEM (public key or certificate), JWK or JWKS.
    #[arg(long, value_name = "FILE", help_heading = "Keys")]
    pub key: Option<PathBuf>,

    /// The expected issuer (`iss`); without --jwks/--key its keys are found by discovery.
    #[arg(long, value_name = "URL", help_heading = "Keys")]
    pub issuer: Option<String>,

    /// Use cached JWKS only; never touch the network.
    #[arg(long, help_heading = "Keys")]
    pub offline: bool,

    /// `aud` must contain this (repeatable: any one of them) [default: what the agent's registry entry allows].
    #[arg(long, value_name = "AUD", help_heading = "Checks")]
    pub audience: Vec<String>,

    /// The token must carry this claim, with this value if given (repeatable).
    #[arg(long, value_name = "NAME[=VALUE]", help_heading = "Checks")]
    pub require_claim: Vec<RequiredClaim>,

    /// The `typ` header must be this (e.g. at+jwt for RFC 9068 access tokens).
    #[arg(long, value_name = "TYP", help_heading = "Checks")]
    pub typ: Option<String>,

    /// Tolerated clock difference [default: the agent's thresholds.clock_skew, else defaults.clock_skew, else 60s].
    #[arg(long, value_name = "DURATION", help_heading = "Checks")]
    pub clock_skew: Option<Duration>,

    /// Check the token against this registry agent's contract.
    #[arg(long, value_name = "NAME", help_heading = "Checks")]
    pub agent: Option<String>,

    /// Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now].
    #[arg(long, env = "AGENTID_AS_OF", value_name = "TIME", value_parser = parse_as_of, help_heading = "Checks")]
    pub as_of: Option<Timestamp>,
}

/// Largest batch file line: a token is at most 64 KiB.
const MAX_LINE: usize = crate::token::input::MAX_TOKEN_BYTES + 2;

pub fn run(ctx: &Ctx, args: &VerifyArgs) -> anyhow::Result<ExitStatus> {
    // First: a token pasted on the command line must be refused before anything else can fail.
    args.source.refuse_extra()?;
    let loaded = load_registry(ctx, args)?;
    let registry = loaded.as_ref().map(|l| &l.registry);
    let agent = match (&args.agent, registry) {
        (Some(name), Some(reg)) => {
            Some(reg.agents.iter().find(|a| &a.name == name).ok_or_else(|| {
                UsageError(format!("--agent {name}: no such agent in the registry"))
            })?)
        }
        (Some(name), None) => {
            return Err(UsageError(format!(
                "--agent {name}: no registry found (give --config, or run where agentid.yaml is)"
            ))
            .into());
        }
        (None, _) => None,
    };
    let spec = match (&args.jwks, &args.key, &args.issuer) {
        (Some(j), _, _) => Some(KeySpec::jwks(j)),
        (None, Some(k), _) => Some(KeySpec::KeyFile(k.clone())),
        (None, None, Some(i)) => Some(KeySpec::Issuer(i.clone())),
        (None, None, None) => None,
    };
    if spec.is_none() && registry.is_none() {
        return Err(UsageError(
            "no keys to verify with: pass --jwks, --key or --issuer, or declare the issuer in agentid.yaml".into(),
        )
        .into());
    }
    let req = Request {
        spec,
        issuer: args.issuer.clone(),
        registry,
        agent,
        audiences: args.audience.clone(),
        require_claims: args.require_claim.clone(),
        typ: args.typ.clone(),
        clock_skew: args.clock_skew,
        now: args.as_of.unwrap_or_else(Timestamp::now),
    };
    let mut resolver = Resolver::new(JwksCache::default_location(), args.offline, req.now);
    match &args.batch {
        Some(path) => run_batch(ctx, &req, &mut resolver, path),
        None => run_single(ctx, args, &req, &mut resolver),
    }
}

fn load_registry(ctx: &Ctx, _args: &VerifyArgs) -> anyhow::Result<Option<LoadedRegistry>> {
    match crate::config::find_registry(ctx.config.as_deref()) {
        Some((path, origin)) => {
            tracing::info!(registry = %path.display(), ?origin, "using registry");
            Ok(Some(registry::load(&path)?))
        }
        None => Ok(None),
    }
}

fn run_single(
    ctx: &Ctx,
    args: &VerifyArgs,
    req: &Request,
    resolver: &mut Resolver,
) -> anyhow::Result<ExitStatus> {
    let format = ctx.format(
        "token verify",
        Format::Table,
        &[Format::Table, Format::Json, Format::Yaml],
    )?;
    let input = args.source.read()?;
    let jws = parse_token(&input)?;
    let mut book = KeyBook::new(resolver);
    if let Some(spec) = verifier::needed_spec(req, &jws) {
        crate::http::block_on(book.prepare(&spec, jws.header.kid.as_deref(), &jws.header.alg))?
            .map_err(key_error)?;
    }
    let report = verifier::verify_prepared(req, &book, &jws, &input.origin);
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => output::table::token_verify(out, &report, &style),
        _ => output::write_machine(out, format, &report),
    })?;
    Ok(if report.valid {
        ExitStatus::Ok
    } else {
        ExitStatus::Findings
    })
}

fn key_error(e: KeySourceError) -> anyhow::Error {
    match e {
        KeySourceError::BadInput(m) => UsageError(m).into(),
        KeySourceError::Unavailable(m) => anyhow::anyhow!(m),
    }
}

/// One line of a batch: parsed, or why not.
enum Line {
    Token(Box<jwt::Jws>),
    Bad(String),
}

fn run_batch(
    ctx: &Ctx,
    req: &Request,
    resolver: &mut Resolver,
    path: &Path,
) -> anyhow::Result<ExitStatus> {
    ctx.format("token verify --batch", Format::Json, &[Format::Json])?;
    let lines = read_batch(path)?;
    let parsed: Vec<(usize, Line)> = lines
        .into_iter()
        .map(|(n, text)| {
            let token = text.trim();
            let token = token
                .strip_prefix("Bearer ")
                .or_else(|| token.strip_prefix("bearer "))
                .unwrap_or(token);
            let line = match jwt::parse(token) {
                Ok(j) => Line::Token(Box::new(j)),
                Err(e) => Line::Bad(e.to_string()),
            };
            (n, line)
        })
        .collect();

    // Keys: each distinct source once; unknown kids refetch once per source.
    let mut book = KeyBook::new(resolver);
    crate::http::block_on(async {
        for (_, line) in &parsed {
            let Line::Token(jws) = line else { continue };
            let Some(spec) = verifier::needed_spec(req, jws) else {
                continue;
            };
            match book
                .prepare(&spec, jws.header.kid.as_deref(), &jws.header.alg)
                .await
            {
                Ok(()) => {}
                Err(KeySourceError::BadInput(m)) => return Err(UsageError(m)),
                // Kept in the book: every token of that source reports it.
                Err(e) => tracing::warn!(error = %e, "cannot fetch keys"),
            }
        }
        Ok(())
    })??;

    // Verify on every core, results in input order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = parsed.len().div_ceil(threads).max(1);
    let results: Vec<VerifyReport> = std::thread::scope(|scope| {
        let handles: Vec<_> = parsed
            .chunks(chunk)
            .map(|part| {
                let book = &book;
                scope.spawn(move || {
                    part.iter()
                        .map(|(n, line)| batch_result(req, book, *n, line))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });

    let valid = results.iter().filter(|r| r.valid).count();
    let invalid = results.len() - valid;
    let unchecked = results
        .iter()
        .filter(|r| r.checks.iter().any(|c| c.name == "keys"))
        .count();
    output::write_to(&ctx.destination, |out| {
        for r in &results {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    if !ctx.quiet {
        eprintln!(
            "verified {} token{}: {valid} valid, {invalid} invalid{}",
            results.len(),
            if results.len() == 1 { "" } else { "s" },
            if unchecked > 0 {
                format!(" ({unchecked} could not be checked: keys unavailable)")
            } else {
                String::new()
            }
        );
    }
    Ok(if unchecked > 0 && unchecked == results.len() {
        ExitStatus::Failure
    } else if invalid > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

fn batch_result(req: &Request, book: &KeyBook, n: usize, line: &Line) -> VerifyReport {
    match line {
        Line::Token(jws) => {
            let mut report = verifier::verify_prepared(req, book, jws, &format!("line {n}"));
            report.line = Some(n);
            report
        }
        Line::Bad(why) => verifier::malformed(req, n, why),
    }
}

/// The non-empty lines of a batch file, numbered from 1.
fn read_batch(path: &Path) -> Result<Vec<(usize, String)>, UsageError> {
    let name = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
            |e| UsageError(format!("cannot read batch file {name}: {}", io_reason(&e))),
        )?))
    };
    let mut out = Vec::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line
            .map_err(|e| UsageError(format!("cannot read batch file {name}: {}", io_reason(&e))))?;
        if line.len() > MAX_LINE {
            return Err(UsageError(format!(
                "{name}:{}: over 64 KiB, larger than any real token",
                i + 1
            )));
        }
        let text = String::from_utf8(line)
            .map_err(|_| UsageError(format!("{name}:{}: not UTF-8 text", i + 1)))?;
        if !text.trim().is_empty() {
            out.push((i + 1, text));
        }
    }
    Ok(out)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
