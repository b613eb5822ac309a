//! `agentid token sign`: mint a JWT with a private key, for testing relying
//! parties (and, later, for the keys rotate-keys manages).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::super::Ctx;
use super::super::inventory::parse_as_of;
use crate::commands::rotate_keys;
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::output;
use crate::rotate::backend::{Backend, Signer};
use crate::rotate::keyset::KeyRecord;
use crate::rotate::store::Store;
use crate::rotate::{IssuerConfig, RotateError, engine};
use crate::token::keys;
use crate::token::sign::{self, MintOptions, SigningKey};

/// Mint a signed JWT with a private key file, or with an issuer's active key.
///
/// The key is a PEM private key (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`
/// or `RSA PRIVATE KEY`) or a private JWK: EC P-256 (ES256), P-384 (ES384),
/// RSA ≥ 2048 bits (RS256; PS256 with --alg) or Ed25519 (EdDSA). The claims
/// come from a JSON object in --claims (a file, or `-` for stdin); the flags
/// override them. iat and nbf default to now, exp to now + 15m; the header's
/// kid defaults to the key's JWK kid, else its RFC 7638 thumbprint.
///
/// With --issuer NAME it signs with the active key of that registry issuer
/// (rotate-keys): iss is the issuer's URL, and the lifetime may not exceed the
/// issuer's max_token_lifetime.
///
/// The token is a credential: it goes to stdout, or with -o to a file
/// created 0600 and written atomically.
///
/// Examples:
///   agentid token sign --key signing.pem --subject agent-1 --audience https://api.example --lifetime 15m
///   echo '{"scope":"read"}' | agentid token sign --key signing.pem --claims - -o token.jwt
///   agentid token sign --issuer agent-broker --subject agent-1 --audience https://api.example
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SignArgs {
    /// Private key file: PEM or JWK.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "issuer",
        conflicts_with = "issuer"
    )]
    pub key: Option<PathBuf>,

    /// Sign with the active key of this registry issuer (see rotate-keys): sets iss, and the lifetime may not exceed the issuer's max_token_lifetime.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["kid", "alg"])]
    pub issuer: Option<String>,

    /// JSON object of claims; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,

    /// Set exp = now + DURATION (e.g. 15m) [default: the claims' exp, else 15m].
    #[arg(long, value_name = "DURATION")]
    pub lifetime: Option<Duration>,

    /// Set aud (repeatable: several make an array).
    #[arg(long, value_name = "AUD")]
    pub audience: Vec<String>,

    /// Set sub.
    #[arg(long, value_name = "SUB")]
    pub subject: Option<String>,

    /// Header kid [default: the key's kid or RFC 7638 thumbprint].
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,

    /// Signature algorithm [default: the key's: ES256, ES384, RS256 or EdDSA].
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,

    /// Header typ [default: JWT] (at+jwt for RFC 9068 access tokens).
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,

    /// Count iat/nbf/exp from this time (RFC 3339) [default: now].
    #[arg(long, env = "AGENTID_AS_OF", value_name = "TIME", value_parser = parse_as_of)]
    pub as_of: Option<Timestamp>,
}

/// A claims file larger than this is refused: claims are a few hundred bytes.
const MAX_CLAIMS_BYTES: u64 = 64 * 1024;

pub fn run(ctx: &Ctx, args: &SignArgs) -> anyhow::Result<ExitStatus> {
    if ctx.format_flag.is_some() {
        return Err(
            UsageError("token sign writes the token itself; -f does not apply".into()).into(),
        );
    }
    let mut claims = match &args.claims {
        Some(path) => read_claims(path)?,
        None => Map::new(),
    };
    let now = args.as_of.unwrap_or_else(Timestamp::now);
    let mut lifetime = args.lifetime;
    let mut issuer_backend = None;
    let key = match (&args.key, &args.issuer) {
        (Some(path), _) => {
            Some(SigningKey::from_file(path).map_err(|e| UsageError(e.to_string()))?)
        }
        (None, Some(name)) => {
            let (backend, active, cfg) = issuer_key(ctx, name)?;
            lifetime = Some(issuer_lifetime(&cfg, &claims, args.lifetime, now)?);
            match claims.get("iss") {
                Some(Value::String(iss)) if *iss == cfg.url => {}
                None => {
                    claims.insert("iss".into(), cfg.url.clone().into());
                }
                Some(other) => {
                    return Err(UsageError(format!(
                        "the claims say iss {other}, but issuer {name} is {}; leave iss out and it is set",
                        cfg.url
                    ))
                    .into());
                }
            }
            issuer_backend = Some((backend, active));
            None
        }
        (None, None) => return Err(UsageError("give --key FILE or --issuer NAME".into()).into()),
    };
    let alg = args
        .alg
        .as_deref()
        .map(|a| keys::parse_alg(a).map_err(|e| UsageError(format!("--alg: {e}"))))
        .transpose()?;
    let opts = MintOptions {
        alg,
        kid: args.kid.clone(),
        typ: args.typ.clone(),
        now,
        lifetime,
        audience: args.audience.clone(),
        subject: args.subject.clone(),
    };
    let token = match (&key, &issuer_backend) {
        (Some(key), _) => sign::mint(key, claims, &opts).map_err(|e| UsageError(e.to_string()))?,
        (None, Some((backend, active))) => mint_as_issuer(backend, active, claims, &opts)?,
        (None, None) => return Err(UsageError("give --key FILE or --issuer NAME".into()).into()),
    };
    tracing::info!(kid = %token_kid(&token), "minted a token");
    output::write_secret_to(&ctx.destination, |out| {
        out.write_all(token.as_bytes())?;
        out.write_all(b"\n")
    })?;
    Ok(ExitStatus::Ok)
}

/// The kid in a token's header, for the log.
fn token_kid(token: &str) -> String {
    token
        .split('.')
        .next()
        .and_then(|h| crate::token::keys::b64url_decode(h).ok())
        .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
        .and_then(|h| h.get("kid").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// Signs with an issuer's active key: in memory for a key file, through
/// KMS's Sign for backend aws-kms. A signing failure (KMS refusing, or
/// unreachable) is operational: exit 3.
fn mint_as_issuer(
    backend: &Backend,
    active: &KeyRecord,
    claims: Map<String, Value>,
    opts: &MintOptions,
) -> anyhow::Result<String> {
    match backend.signer(active)? {
        Signer::Local(key) => {
            Ok(sign::mint(&key, claims, opts).map_err(|e| UsageError(e.to_string()))?)
        }
        Signer::Kms { backend, rec } => {
            let mut failure = None;
            let alg = crate::rotate::backend::jwt_alg(rec.alg);
            let token = sign::mint_with(alg, &rec.kid, claims, opts, |input| {
                backend.sign(&rec, input).map_err(|e| {
                    let text = e.to_string();
                    failure = Some(e);
                    sign::MintError::Sign(text)
                })
            });
            match (token, failure) {
                (Ok(t), _) => Ok(t),
                (Err(_), Some(e)) => Err(e.into()),
                (Err(e), None) => Err(UsageError(e.to_string()).into()),
            }
        }
    }
}

/// The active key of a rotate-keys issuer, read under the issuer's shared
/// lock (never while a rotation is half done), and only if it is in the
/// published JWKS.
fn issuer_key(ctx: &Ctx, name: &str) -> anyhow::Result<(Backend, KeyRecord, IssuerConfig)> {
    let loaded = rotate_keys::load_registry(ctx)?;
    let cfg = rotate_keys::select(&loaded, Some(name), false)?.remove(0);
    let store = Store::new(&cfg.state_dir);
    if !store.exists() || !store.is_initialised() {
        return Err(engine::not_initialised(&cfg).into());
    }
    crate::rotate::store::check_private_dir(store.dir())?;
    let _shared = store.lock_shared(std::time::Duration::from_secs(10))?;
    let keyset = store
        .load(&cfg.name)?
        .ok_or_else(|| engine::not_initialised(&cfg))?
        .keyset;
    let active = keyset.active().ok_or_else(|| {
        RotateError::Input(format!(
            "issuer {name} has no active key (an interrupted init?): run `agentid rotate-keys run --issuer {name}`"
        ))
    })?;
    let publisher = engine::publisher(&cfg)?;
    let listed = publisher.read()?.is_some_and(|doc| {
        doc.get("keys")
            .and_then(Value::as_array)
            .is_some_and(|keys| {
                keys.iter()
                    .any(|k| k.get("kid").and_then(Value::as_str) == Some(&active.kid))
            })
    });
    if !listed {
        return Err(RotateError::Operational(format!(
            "the active key {} of issuer {name} is not in the JWKS published at {}, so no relying party could verify the token: run `agentid rotate-keys run --issuer {name}` to republish",
            active.kid,
            publisher.describe()
        ))
        .into());
    }
    let active = active.clone();
    let backend = engine::backend(&cfg)?;
    Ok((backend, active, cfg))
}

/// The lifetime of a token an issuer signs: never longer than its
/// max_token_lifetime, which is how long a retired key stays published.
fn issuer_lifetime(
    cfg: &IssuerConfig,
    claims: &Map<String, Value>,
    flag: Option<Duration>,
    now: Timestamp,
) -> Result<Duration, UsageError> {
    let max = cfg.policy.max_token_lifetime;
    let too_long = |what: String| {
        UsageError(format!(
            "{what} exceeds issuer {}'s max_token_lifetime {max}: its keys leave the JWKS max_token_lifetime + clock_skew after they stop signing, so a longer token would outlive its key",
            cfg.name
        ))
    };
    if let Some(l) = flag {
        return if l > max {
            Err(too_long(format!("--lifetime {l}")))
        } else {
            Ok(l)
        };
    }
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_i64().ok_or_else(|| {
            UsageError(format!(
                "claims: \"exp\" must be a number of seconds since 1970 (a NumericDate), got {exp}"
            ))
        })?;
        let secs = exp - now.as_second();
        if secs <= 0 {
            return Err(UsageError(format!("claims: exp {exp} is not after now")));
        }
        let l = Duration::from_secs(secs as u64);
        return if l > max {
            Err(too_long(format!("the claims' exp (now + {l})")))
        } else {
            Ok(l)
        };
    }
    Ok(sign::DEFAULT_LIFETIME.min(max))
}

fn read_claims(path: &Path) -> Result<Map<String, Value>, UsageError> {
    let (name, bytes) = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_CLAIMS_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| UsageError(format!("cannot read claims from stdin: {e}")))?;
        ("<stdin>".to_string(), buf)
    } else {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| {
            UsageError(format!(
                "cannot read claims file {name}: {}",
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    _ => e.to_string(),
                }
            ))
        })?;
        let mut buf = Vec::new();
        file.take(MAX_CLAIMS_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| UsageError(format!("cannot read claims file {name}: {e}")))?;
        (name, buf)
    };
    if bytes.len() as u64 > MAX_CLAIMS_BYTES {
        return Err(UsageError(format!(
            "{name}: over 64 KiB; claims are a JSON object of a few lines"
        )));
    }
    // Strict: a duplicated claim would otherwise silently keep the last value.
    match crate::token::jwt::strict_json(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(UsageError(format!(
            "{name}: a JSON {}, where a JSON object of claims is required",
            crate::token::jwt::json_type(&other)
        ))),
        Err(e) => Err(UsageError(format!("{name}: {e}"))),
    }
}
