//! `agentid rotate-keys`: an issuer's signing keys on a schedule (`init`,
//! `run`), before a change (`status`, `plan`), and in an incident
//! (`emergency`); `jwks` and `log` show what is published and what happened.

use std::io::{IsTerminal, Write};

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::Ctx;
use super::inventory::parse_as_of;
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Format};
use crate::registry::{self, LoadedRegistry};
use crate::rotate::engine::{self, Engine, Faults};
use crate::rotate::report::{self, SCHEMA_VERSION};
use crate::rotate::tokens::{self, TokenSource};
use crate::rotate::{IssuerConfig, RotateError};

/// Rotate an issuer's signing keys safely: on a schedule, early, or in an emergency.
///
/// Issuers are declared in the registry's `issuers:` section. Each key is
/// pending (published, not signing) → active (the one key that signs) →
/// retiring (published, no longer signing) → retired (out of the JWKS);
/// or revoked (out of the JWKS at once). A key signs only after it has been
/// published for jwks_cache_ttl, and leaves the JWKS only
/// max_token_lifetime + clock_skew after it stopped signing, so relying
/// parties never see a token whose key they cannot find.
///
/// Examples:
///   agentid rotate-keys init --issuer agent-broker
///   agentid rotate-keys status
///   agentid rotate-keys plan --issuer agent-broker
///   agentid rotate-keys run                      # from cron, e.g. hourly
///   agentid rotate-keys emergency --issuer agent-broker --revoke KID --reason "key leaked in CI log"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RotateKeysArgs {
    #[command(subcommand)]
    pub command: RotateCommand,
}

#[derive(Debug, Subcommand)]
pub enum RotateCommand {
    Init(InitArgs),
    Status(StatusArgs),
    Plan(PlanArgs),
    Run(RunArgs),
    Emergency(EmergencyArgs),
    Jwks(JwksArgs),
    Log(LogArgs),
}

#[derive(Debug, Args)]
pub struct IssuerArg {
    /// Issuer name from the registry's `issuers:` [default: the only one declared].
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
}

#[derive(Debug, Args)]
pub struct NowArg {
    /// Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory.
    #[arg(long, value_name = "TIME", value_parser = parse_as_of)]
    pub now: Option<Timestamp>,
}

impl NowArg {
    fn get(&self) -> Timestamp {
        self.now.unwrap_or_else(Timestamp::now)
    }
}

/// Create an issuer's keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.
///
/// Creates the key directory 0700 if missing, writes each private key 0600,
/// and publishes the JWKS with both keys.
///
/// Example:
///   agentid rotate-keys init --issuer agent-broker
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    #[command(flatten)]
    pub issuer: IssuerArg,
    #[command(flatten)]
    pub now: NowArg,
}

/// Each key's kid, algorithm, state, age and times, and the next due action with its date.
///
/// Exits 1 when something needs attention (the published JWKS differs from the
/// keystore, a private key is missing or exposed, an interrupted run).
///
/// Examples:
///   agentid rotate-keys status
///   agentid rotate-keys status --issuer agent-broker -f json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct StatusArgs {
    /// Issuer name [default: every issuer in the registry].
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    #[command(flatten)]
    pub now: NowArg,
}

/// What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.
///
/// Changes nothing. --rotate-now previews an early rotation, --revoke KID an
/// emergency revocation. --tokens FILE… holds real tokens (one per line, read
/// from files, never from the command line) against the plan: which ones a
/// change would invalidate before they expire, by signing kid and expiry.
///
/// Examples:
///   agentid rotate-keys plan
///   agentid rotate-keys plan --issuer agent-broker --horizon 90d
///   agentid rotate-keys plan --issuer agent-broker --revoke 20261101-Ab3dE5fG7hJ9
///   agentid rotate-keys plan --revoke KID --tokens live-sessions.txt
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PlanArgs {
    /// Issuer name [default: every issuer in the registry].
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    /// How far ahead the timeline looks [default: 2 × rotation_period + max_token_lifetime + clock_skew].
    #[arg(long, value_name = "DURATION")]
    pub horizon: Option<Duration>,
    /// Preview `run --rotate-now`.
    #[arg(long)]
    pub rotate_now: bool,
    /// Preview `emergency --revoke KID`: what it would invalidate, and until when caches trust it.
    #[arg(long, value_name = "KID", requires = "issuer")]
    pub revoke: Option<String>,
    /// Files of tokens (one per line; `-` reads stdin) to hold against the plan: which a change would invalidate.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub tokens: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub now: NowArg,
}

/// Perform the transitions that are due, and only those: idempotent and safe from cron.
///
/// --rotate-now starts a rotation early: the pending key signs as soon as it
/// has been published for jwks_cache_ttl (at once if it has). With
/// --check-published URL, a key is activated only once the JWKS at URL, where
/// relying parties fetch it, holds it.
///
/// Examples:
///   agentid rotate-keys run
///   agentid rotate-keys run --issuer agent-broker --rotate-now
///   agentid rotate-keys run --issuer agent-broker --check-published https://id.acme.example/.well-known/jwks.json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    /// Issuer name [default: every issuer in the registry].
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    /// Start a rotation now rather than at rotation_period (still never before jwks_cache_ttl).
    #[arg(long)]
    pub rotate_now: bool,
    /// Before activating a key, fetch the JWKS from URL and refuse to activate a key that is not there yet.
    #[arg(long, value_name = "URL", requires = "issuer")]
    pub check_published: Option<String>,
    #[command(flatten)]
    pub now: NowArg,
}

/// Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.
///
/// Revokes KID: removes it from the published JWKS, destroys its private key,
/// and if it was the active key activates the pending key (or generates a
/// new one), republishes and journals, then says in plain words what this
/// means: which tokens are invalid from now on, until when relying parties
/// that cached the JWKS keep trusting the key, and what to do next. Asks for
/// confirmation on a terminal; elsewhere --yes is required.
///
/// Example:
///   agentid rotate-keys emergency --issuer agent-broker --revoke 20261101-Ab3dE5fG7hJ9 --reason "key in a public CI log"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EmergencyArgs {
    #[command(flatten)]
    pub issuer: IssuerArg,
    /// The kid of the compromised key.
    #[arg(long, value_name = "KID", required = true)]
    pub revoke: String,
    /// Why, in words (journaled).
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub now: NowArg,
}

/// Print the JWKS as published (the file relying parties fetch).
///
/// Example:
///   agentid rotate-keys jwks --issuer agent-broker
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct JwksArgs {
    #[command(flatten)]
    pub issuer: IssuerArg,
}

/// The issuer's journal: every transition with time, actor, host, command, reason, kid and from → to.
///
/// Example:
///   agentid rotate-keys log --issuer agent-broker -f json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct LogArgs {
    #[command(flatten)]
    pub issuer: IssuerArg,
}

pub fn run(ctx: &Ctx, args: &RotateKeysArgs) -> anyhow::Result<ExitStatus> {
    match &args.command {
        RotateCommand::Init(a) => init(ctx, a),
        RotateCommand::Status(a) => status(ctx, a),
        RotateCommand::Plan(a) => plan(ctx, a),
        RotateCommand::Run(a) => run_due(ctx, a),
        RotateCommand::Emergency(a) => emergency(ctx, a),
        RotateCommand::Jwks(a) => jwks(ctx, a),
        RotateCommand::Log(a) => log(ctx, a),
    }
}

const REPORT_FORMATS: [Format; 3] = [Format::Table, Format::Json, Format::Yaml];

/// The registry rotate-keys reads its issuers from.
pub fn load_registry(ctx: &Ctx) -> anyhow::Result<LoadedRegistry> {
    let Some((path, origin)) = crate::config::find_registry(ctx.config.as_deref()) else {
        return Err(UsageError(
            "no registry found: rotate-keys reads its issuers from agentid.yaml (give --config PATH, or see `agentid registry init`)"
                .into(),
        )
        .into());
    };
    tracing::info!(registry = %path.display(), ?origin, "using registry");
    Ok(registry::load(&path)?)
}

/// The issuers a command works on: the one named, or all (`all`), or the
/// only one declared.
pub fn select(
    loaded: &LoadedRegistry,
    name: Option<&str>,
    all: bool,
) -> Result<Vec<IssuerConfig>, UsageError> {
    let reg = &loaded.registry;
    let names = || {
        reg.issuers
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if reg.issuers.is_empty() {
        return Err(UsageError(format!(
            "{} declares no issuers; add one under `issuers:` (docs/rotate-keys.md)",
            loaded.path.display()
        )));
    }
    let config = |i| IssuerConfig::new(i, reg, &loaded.base_dir);
    match name {
        Some(n) => match reg.issuers.iter().find(|i| i.name == n) {
            Some(i) => Ok(vec![config(i)]),
            None => Err(UsageError(format!(
                "no issuer {n:?} in {}; its issuers are {}",
                loaded.path.display(),
                names()
            ))),
        },
        None if all || reg.issuers.len() == 1 => Ok(reg.issuers.iter().map(config).collect()),
        None => Err(UsageError(format!(
            "{} declares several issuers ({}): name one with --issuer",
            loaded.path.display(),
            names()
        ))),
    }
}

fn emit<T: serde::Serialize>(
    ctx: &Ctx,
    format: Format,
    doc: &T,
    table: impl FnOnce(&mut dyn Write, &output::Style) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let style = ctx.style();
    output::write_to(&ctx.destination, |out| match format {
        Format::Table => table(out, &style),
        _ => output::write_machine(out, format, doc),
    })?;
    Ok(())
}

fn warn(ctx: &Ctx, notes: &[String]) {
    if ctx.quiet {
        return;
    }
    let mut err = std::io::stderr().lock();
    for n in notes {
        let _ = writeln!(err, "note: {n}");
    }
}

fn init(ctx: &Ctx, args: &InitArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys init", Format::Table, &REPORT_FORMATS)?;
    let loaded = load_registry(ctx)?;
    let cfg = select(&loaded, args.issuer.issuer.as_deref(), false)?.remove(0);
    let now = args.now.get();
    let mut engine = Engine::open(&cfg, "rotate-keys init", now, Faults::from_env()?, true)?;
    engine.init(now)?;
    let issuer = report::issuer_run(
        &cfg,
        &engine.keyset,
        engine.performed.clone(),
        engine.notes.clone(),
        now,
    );
    drop(engine);
    warn(ctx, &issuer.notes);
    let doc = report::RunReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.init",
        now,
        issuers: vec![issuer],
    };
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_run(out, &doc, style)
    })?;
    Ok(ExitStatus::Ok)
}

fn status(ctx: &Ctx, args: &StatusArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys status", Format::Table, &REPORT_FORMATS)?;
    let loaded = load_registry(ctx)?;
    let now = args.now.get();
    let mut issuers = Vec::new();
    for cfg in select(&loaded, args.issuer.as_deref(), true)? {
        let ins = engine::inspect(&cfg, now)?;
        issuers.push(report::issuer_status(&cfg, &ins, now));
    }
    let attention = issuers.iter().any(|i| !i.problems.is_empty());
    let doc = report::StatusReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.status",
        now,
        issuers,
    };
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_status(out, &doc, style)
    })?;
    Ok(if attention {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

fn plan(ctx: &Ctx, args: &PlanArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys plan", Format::Table, &REPORT_FORMATS)?;
    let loaded = load_registry(ctx)?;
    let now = args.now.get();
    let tokens = read_tokens(&args.tokens)?;
    let mut issuers = Vec::new();
    let mut claimed = vec![false; tokens.len()];
    for cfg in select(&loaded, args.issuer.as_deref(), true)? {
        let ins = engine::inspect(&cfg, now)?;
        let mine: Vec<TokenSource> = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| tokens::belongs(&cfg, ins.keyset.as_ref(), t))
            .map(|(i, t)| {
                claimed[i] = true;
                t.clone()
            })
            .collect();
        let horizon = args
            .horizon
            .unwrap_or_else(|| report::default_horizon(&cfg.policy));
        issuers.push(report::issuer_plan(
            &cfg,
            &ins,
            now,
            horizon,
            args.rotate_now,
            args.revoke.as_deref(),
            &mine,
        )?);
    }
    let doc = report::PlanReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.plan",
        now,
        issuers,
        other_tokens: tokens
            .iter()
            .zip(&claimed)
            .filter(|(_, c)| !**c)
            .map(|(t, _)| tokens::OtherToken {
                source: t.source.clone(),
                why: tokens::why_other(t),
            })
            .collect(),
    };
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_plan(out, &doc, style)
    })?;
    Ok(ExitStatus::Ok)
}

/// A tokens file larger than this is refused.
const MAX_TOKENS_BYTES: u64 = 16 * 1024 * 1024;

/// Tokens from files (`-`: stdin), one per line. A token pasted where a
/// file name belongs is refused without echoing it: argv is visible in `ps`.
fn read_tokens(paths: &[std::path::PathBuf]) -> Result<Vec<TokenSource>, UsageError> {
    use std::io::Read;
    let mut out = Vec::new();
    for path in paths {
        let (name, bytes) = if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_TOKENS_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| UsageError(format!("--tokens: cannot read stdin: {e}")))?;
            ("<stdin>".to_string(), buf)
        } else {
            let name = path.display().to_string();
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                // Never echo it: it may be a credential.
                Err(_) if crate::token::input::looks_like_token(&path.to_string_lossy()) => {
                    return Err(UsageError(
                        "--tokens takes files of tokens, and this argument looks like a token itself: put it in a file (argv is visible to every user in `ps`)".into(),
                    ));
                }
                Err(e) => {
                    let why = match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file".to_string(),
                        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                        _ => e.to_string(),
                    };
                    return Err(UsageError(format!("--tokens: cannot read {name}: {why}")));
                }
            };
            let mut buf = Vec::new();
            file.take(MAX_TOKENS_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| UsageError(format!("--tokens: cannot read {name}: {e}")))?;
            (name, buf)
        };
        if bytes.len() as u64 > MAX_TOKENS_BYTES {
            return Err(UsageError(format!(
                "--tokens: {name} is over 16 MiB; split it"
            )));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| UsageError(format!("--tokens: {name} is not UTF-8 text")))?;
        let found = tokens::split(&name, &text);
        if found.is_empty() {
            return Err(UsageError(format!("--tokens: {name} holds no token")));
        }
        out.extend(found);
    }
    Ok(out)
}

/// Fetches the JWKS where relying parties do and says whether `kid` is in it.
fn published_at(url: &str, kid: &str) -> Result<bool, RotateError> {
    use crate::http::{DEFAULT_BODY_LIMIT, Http, HttpOptions, block_on};
    let http = Http::new(HttpOptions::default())
        .map_err(|e| RotateError::Operational(format!("--check-published: {e}")))?;
    let response = block_on(http.get(url, DEFAULT_BODY_LIMIT))
        .and_then(|r| r)
        .map_err(|e| match e {
            crate::http::HttpError::Refused(m) => {
                RotateError::Input(format!("--check-published: {m}"))
            }
            other => RotateError::Operational(format!("--check-published: {other}")),
        })?;
    let doc: serde_json::Value = serde_json::from_slice(&response.body).map_err(|e| {
        RotateError::Operational(format!(
            "--check-published: {url} did not answer with a JWKS: {e}"
        ))
    })?;
    let keys = doc.get("keys").and_then(|k| k.as_array()).ok_or_else(|| {
        RotateError::Operational(format!(
            "--check-published: {url} answered JSON without a \"keys\" array"
        ))
    })?;
    Ok(keys
        .iter()
        .any(|k| k.get("kid").and_then(|v| v.as_str()) == Some(kid)))
}

fn run_due(ctx: &Ctx, args: &RunArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys run", Format::Table, &REPORT_FORMATS)?;
    let loaded = load_registry(ctx)?;
    let now = args.now.get();
    let mut issuers = Vec::new();
    let mut worst = ExitStatus::Ok;
    let mut errors = Vec::new();
    let url = args.check_published.clone();
    let check_fn = move |kid: &str| match &url {
        Some(u) => published_at(u, kid),
        None => Ok(true),
    };
    let check: Option<engine::PublishedCheck<'_>> = args
        .check_published
        .is_some()
        .then_some(&check_fn as engine::PublishedCheck<'_>);
    for cfg in select(&loaded, args.issuer.as_deref(), true)? {
        let result = Engine::open(&cfg, "rotate-keys run", now, Faults::from_env()?, false)
            .and_then(|mut engine| {
                engine.run_due(now, args.rotate_now, check)?;
                Ok(engine)
            });
        match result {
            Ok(engine) => {
                let held = engine
                    .notes
                    .iter()
                    .any(|n| n.starts_with("held back the activation"));
                let issuer = report::issuer_run(
                    &cfg,
                    &engine.keyset,
                    engine.performed.clone(),
                    engine.notes.clone(),
                    now,
                );
                drop(engine);
                warn(ctx, &issuer.notes);
                if held {
                    worst = ExitStatus::Failure;
                    errors.push(format!(
                        "issuer {}: a key that is due to sign is not yet where relying parties fetch the JWKS ({}); it was not activated: check the publishing path, then run again",
                        cfg.name,
                        args.check_published.as_deref().unwrap_or_default()
                    ));
                }
                issuers.push(issuer);
            }
            Err(e) => {
                worst = worse(worst, exit_of(&e));
                errors.push(format!("issuer {}: {e}", cfg.name));
                issuers.push(report::IssuerRun {
                    name: cfg.name.clone(),
                    performed: Vec::new(),
                    active: None,
                    pending: None,
                    next: None,
                    notes: Vec::new(),
                    error: Some(e.to_string()),
                });
            }
        }
    }
    let doc = report::RunReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.run",
        now,
        issuers,
    };
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_run(out, &doc, style)
    })?;
    for e in &errors {
        eprintln!("error: {e}");
    }
    Ok(worst)
}

fn exit_of(e: &RotateError) -> ExitStatus {
    match e {
        RotateError::Input(_) => ExitStatus::Usage,
        _ => ExitStatus::Failure,
    }
}

fn worse(a: ExitStatus, b: ExitStatus) -> ExitStatus {
    if b.code() > a.code() { b } else { a }
}

fn confirm(issuer: &str, kid: &str) -> Result<(), UsageError> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(UsageError(
            "emergency revokes a key at once: confirm with --yes when not run on a terminal".into(),
        ));
    }
    eprint!(
        "Revoke {kid} of issuer {issuer} now? Tokens it signed become invalid wherever the JWKS is fetched fresh. Type `revoke` to confirm: "
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| UsageError(format!("cannot read the confirmation: {e}")))?;
    if answer.trim() != "revoke" {
        return Err(UsageError("not confirmed: nothing was changed".into()));
    }
    Ok(())
}

fn emergency(ctx: &Ctx, args: &EmergencyArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys emergency", Format::Table, &REPORT_FORMATS)?;
    if args.reason.trim().is_empty() {
        return Err(UsageError(
            "--reason must say why the key is revoked (it is journaled)".into(),
        )
        .into());
    }
    let loaded = load_registry(ctx)?;
    let cfg = select(&loaded, args.issuer.issuer.as_deref(), false)?.remove(0);
    let now = args.now.get();
    // Refuse an unknown kid before asking anything.
    let ins = engine::inspect(&cfg, now)?;
    match &ins.keyset {
        None => return Err(engine::not_initialised(&cfg).into()),
        Some(ks) if ks.key(&args.revoke).is_none() => {
            return Err(engine::unknown_kid(ks, &args.revoke, &cfg.name).into());
        }
        _ => {}
    }
    if !args.yes {
        confirm(&cfg.name, &args.revoke)?;
    }
    let mut engine = Engine::open(
        &cfg,
        "rotate-keys emergency",
        now,
        Faults::from_env()?,
        false,
    )?;
    // A secret pasted into the reason is redacted before it is journaled or shown.
    let reason = crate::secrets::redact_in_text(args.reason.trim());
    let revocation = engine.revoke(&args.revoke, &reason, now)?;
    let doc = report::emergency_report(
        &cfg,
        &revocation,
        &engine.keyset,
        &reason,
        engine.performed.clone(),
        now,
    );
    let notes = engine.notes.clone();
    drop(engine);
    warn(ctx, &notes);
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_emergency(out, &doc, style)
    })?;
    Ok(ExitStatus::Ok)
}

fn jwks(ctx: &Ctx, args: &JwksArgs) -> anyhow::Result<ExitStatus> {
    ctx.format("rotate-keys jwks", Format::Json, &[Format::Json])?;
    let loaded = load_registry(ctx)?;
    let cfg = select(&loaded, args.issuer.issuer.as_deref(), false)?.remove(0);
    let ins = engine::inspect_published(&cfg, Timestamp::now())?;
    let Some(doc) = ins.published else {
        return Err(match ins.published_error {
            Some(e) => RotateError::Operational(e),
            None => RotateError::Input(format!(
                "issuer {} has published nothing at {} yet: run `agentid rotate-keys init --issuer {}`",
                cfg.name,
                cfg.publish.describe(),
                cfg.name
            )),
        }
        .into());
    };
    if let Some(ks) = &ins.keyset
        && ks.jwks() != doc
        && !ctx.quiet
    {
        eprintln!(
            "warning: the published JWKS differs from the keystore; `agentid rotate-keys status --issuer {}` says how, the next run republishes it",
            cfg.name
        );
    }
    output::write_to(&ctx.destination, |out| output::json::write(out, &doc))?;
    Ok(ExitStatus::Ok)
}

fn log(ctx: &Ctx, args: &LogArgs) -> anyhow::Result<ExitStatus> {
    let format = ctx.format("rotate-keys log", Format::Table, &REPORT_FORMATS)?;
    let loaded = load_registry(ctx)?;
    let cfg = select(&loaded, args.issuer.issuer.as_deref(), false)?.remove(0);
    let ins = engine::inspect_published(&cfg, Timestamp::now())?;
    if ins.keyset.is_none() {
        return Err(engine::not_initialised(&cfg).into());
    }
    let doc = report::LogReport {
        schema_version: SCHEMA_VERSION,
        kind: "agentid.rotate-keys.log",
        issuer: cfg.name.clone(),
        entries: ins.journal,
    };
    emit(ctx, format, &doc, |out, style| {
        output::table::rotate_log(out, &doc, style)
    })?;
    Ok(ExitStatus::Ok)
}
