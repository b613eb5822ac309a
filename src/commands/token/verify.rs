//! `agentid token verify`: is a token genuine, current, meant for us, and
//! within its agent's contract?

use std::path::PathBuf;

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
use crate::token::keysource::{KeySourceError, KeySpec, Resolver};
use crate::token::verifier::{self, KeyBook, Request};
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
        Some(path) => super::batch::run_batch(ctx, &req, &mut resolver, path),
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
