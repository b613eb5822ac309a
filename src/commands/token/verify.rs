//! `agentid token verify`: is a token genuine, current, meant for us, and
//! within its agent's contract?

use std::collections::{BTreeMap, HashSet};
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;

use clap::Args;
use jiff::Timestamp;

use super::super::Ctx;
use super::super::inventory::parse_as_of;
use super::{TokenSourceArgs, parse_token};
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Format};
use crate::registry::{self, LoadedRegistry};
use crate::token::claims;
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

/// Lines per unit of parallel work. A thread takes the next chunk when done
/// with its last, so a core that other processes also use does not hold the
/// rest up; results are put back in input order.
const CHUNK: usize = 256;

/// `--batch`: one JSON line per token, in input order, verified on every
/// core with keys resolved once.
///
/// Keys are resolved in line order, once per distinct (issuer, kid, alg),
/// and all of them before anything is verified, so every token sees the
/// same key book, also after an unknown kid made a JWKS refetch. For that
/// the general path parses every line first (on every core), resolves, then
/// verifies. With `--key FILE` or `--jwks FILE` the book cannot change
/// after the first token has resolved it (a file source is never
/// refetched), so that path resolves with the first token and then parses
/// and verifies in one pass, keeping no parsed token longer than its chunk.
/// Either way the workers serialize their chunks, and this thread writes
/// them in input order as they come in.
fn run_batch(
    ctx: &Ctx,
    req: &Request,
    resolver: &mut Resolver,
    path: &Path,
) -> anyhow::Result<ExitStatus> {
    ctx.format("token verify --batch", Format::Json, &[Format::Json])?;
    let text = read_batch(path)?;
    let lines = batch_lines(&text, path)?;
    let total = lines.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut book = KeyBook::new(resolver);

    let chunks: Vec<Chunk> = if matches!(req.spec, Some(KeySpec::KeyFile(_) | KeySpec::JwksFile(_)))
    {
        // The first line that is a token resolves the file; for every
        // later token `prepare` would do nothing.
        let first = lines.iter().find_map(|(_, text)| match parse_line(text) {
            Line::Token(jws) => Some(jws),
            Line::Bad(_) => None,
        });
        prepare_keys(req, &mut book, first.as_deref())?;
        lines.chunks(CHUNK).map(Chunk::Raw).collect()
    } else {
        let parsed: Vec<Vec<(usize, Line)>> = par_chunks(&lines, threads, |part| {
            part.iter()
                .map(|&(n, text)| (n, parse_line(text)))
                .collect()
        });
        let tokens = parsed.iter().flatten().filter_map(|(_, line)| match line {
            Line::Token(jws) => Some(&**jws),
            Line::Bad(_) => None,
        });
        prepare_keys(req, &mut book, tokens)?;
        parsed.into_iter().map(Chunk::Parsed).collect()
    };

    // Verify on every core; write the results in input order.
    let slots: Vec<Mutex<Option<Chunk>>> =
        chunks.into_iter().map(|c| Mutex::new(Some(c))).collect();
    let (mut valid, mut unchecked) = (0, 0);
    output::write_to(&ctx.destination, |out| {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Done>(4 * threads);
        std::thread::scope(|scope| {
            for _ in 0..threads.min(slots.len()) {
                let tx = tx.clone();
                let (slots, next, stop, book) = (&slots, &next, &stop, &book);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = slots.get(index) else { break };
                        let chunk = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
                        let Some(chunk) = chunk else { continue };
                        if tx.send(verify_chunk(req, book, index, chunk)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let written = write_in_order(out, &rx, &mut valid, &mut unchecked);
            if written.is_err() {
                // Stop the workers (a blocked send fails once rx is gone);
                // the scope waits for them.
                stop.store(true, Ordering::Relaxed);
                drop(rx);
            }
            written
        })
    })?;

    let invalid = total - valid;
    if !ctx.quiet {
        eprintln!(
            "verified {} token{}: {valid} valid, {invalid} invalid{}",
            total,
            if total == 1 { "" } else { "s" },
            if unchecked > 0 {
                format!(" ({unchecked} could not be checked: keys unavailable)")
            } else {
                String::new()
            }
        );
    }
    Ok(if unchecked > 0 && unchecked == total {
        ExitStatus::Failure
    } else if invalid > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

/// Resolves the keys of `tokens`, in order: each distinct source once;
/// unknown kids refetch once per source. The source depends only on the
/// flags and `iss`, so a `prepare` for an (iss, kid, alg) that already
/// succeeded would change nothing and is skipped; one that failed is tried
/// again for the next token that needs it.
fn prepare_keys<'j>(
    req: &Request,
    book: &mut KeyBook,
    tokens: impl IntoIterator<Item = &'j jwt::Jws>,
) -> anyhow::Result<()> {
    crate::http::block_on(async {
        let mut done: HashSet<(&str, Option<&str>, &str)> = HashSet::new();
        for jws in tokens {
            let need = (
                claims::string_claim(&jws.claims, "iss")
                    .ok()
                    .flatten()
                    .unwrap_or(""),
                jws.header.kid.as_deref(),
                jws.header.alg.as_str(),
            );
            if done.contains(&need) {
                continue;
            }
            let Some(spec) = verifier::needed_spec(req, jws) else {
                continue;
            };
            match book
                .prepare(&spec, jws.header.kid.as_deref(), &jws.header.alg)
                .await
            {
                Ok(()) => {
                    done.insert(need);
                }
                Err(KeySourceError::BadInput(m)) => return Err(UsageError(m)),
                // Kept in the book: every token of that source reports it.
                Err(e) => tracing::warn!(error = %e, "cannot fetch keys"),
            }
        }
        Ok(())
    })??;
    Ok(())
}

/// A unit of verification work: lines already parsed, or lines to parse.
enum Chunk<'t> {
    Parsed(Vec<(usize, Line)>),
    Raw(&'t [(usize, &'t str)]),
}

fn parse_line(text: &str) -> Line {
    let token = text.trim();
    let token = token
        .strip_prefix("Bearer ")
        .or_else(|| token.strip_prefix("bearer "))
        .unwrap_or(token);
    match jwt::parse(token) {
        Ok(j) => Line::Token(Box::new(j)),
        Err(e) => Line::Bad(e.to_string()),
    }
}

/// Maps `f` over `items` in chunks of [`CHUNK`] on up to `threads` threads;
/// the results come back in input order.
fn par_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let chunks: Vec<&[T]> = items.chunks(CHUNK).collect();
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(chunks.len()))
            .map(|_| {
                let (chunks, next, f) = (&chunks, &next, &f);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(index) else {
                            break;
                        };
                        mine.push((index, f(chunk)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, r)| r).collect()
}

/// One verified chunk: its JSON lines and counts.
struct Done {
    index: usize,
    json: Vec<u8>,
    valid: usize,
    /// Results with a failed `keys` check: the keys were unavailable.
    unchecked: usize,
}

fn verify_chunk(req: &Request, book: &KeyBook, index: usize, chunk: Chunk) -> Done {
    let mut done = Done {
        index,
        json: Vec::with_capacity(CHUNK * 1280),
        valid: 0,
        unchecked: 0,
    };
    let mut add = |n: usize, line: &Line| {
        let report = batch_result(req, book, n, line);
        done.valid += usize::from(report.valid);
        done.unchecked += usize::from(report.checks.iter().any(|c| c.name == "keys"));
        output::jsonl::verify_result(&mut done.json, &report);
    };
    match chunk {
        Chunk::Parsed(lines) => {
            for (n, line) in lines {
                add(n, &line);
            }
        }
        Chunk::Raw(lines) => {
            for &(n, text) in lines {
                add(n, &parse_line(text));
            }
        }
    }
    done
}

/// Writes chunks as they arrive, each once all before it are written.
fn write_in_order(
    out: &mut dyn Write,
    rx: &Receiver<Done>,
    valid: &mut usize,
    unchecked: &mut usize,
) -> std::io::Result<()> {
    let mut pending: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    let mut want = 0;
    for done in rx {
        *valid += done.valid;
        *unchecked += done.unchecked;
        pending.insert(done.index, done.json);
        while let Some(json) = pending.remove(&want) {
            out.write_all(&json)?;
            want += 1;
        }
    }
    Ok(())
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

fn batch_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// The whole batch file (`-` = stdin).
fn read_batch(path: &Path) -> Result<Vec<u8>, UsageError> {
    let read = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    read.map_err(|e| {
        UsageError(format!(
            "cannot read batch file {}: {}",
            batch_name(path),
            io_reason(&e)
        ))
    })
}

/// The non-empty lines of a batch, numbered from 1.
fn batch_lines<'t>(text: &'t [u8], path: &Path) -> Result<Vec<(usize, &'t str)>, UsageError> {
    let mut out = Vec::new();
    // Fast path: all of it is UTF-8 (then so is every line), and `str`
    // splits with memchr.
    if let Ok(all) = std::str::from_utf8(text) {
        for (i, line) in all.split('\n').enumerate() {
            if line.len() > MAX_LINE {
                return Err(line_too_long(path, i + 1));
            }
            if !line.trim().is_empty() {
                out.push((i + 1, line));
            }
        }
        return Ok(out);
    }
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.len() > MAX_LINE {
            return Err(line_too_long(path, i + 1));
        }
        let text = std::str::from_utf8(line)
            .map_err(|_| UsageError(format!("{}:{}: not UTF-8 text", batch_name(path), i + 1)))?;
        if !text.trim().is_empty() {
            out.push((i + 1, text));
        }
    }
    Ok(out)
}

fn line_too_long(path: &Path, n: usize) -> UsageError {
    UsageError(format!(
        "{}:{n}: over 64 KiB, larger than any real token",
        batch_name(path)
    ))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
