//! `agentid token sign`: mint a JWT with a private key, for testing relying
//! parties (and, later, for the keys rotate-keys manages).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::super::Ctx;
use super::super::inventory::parse_as_of;
use crate::duration::Duration;
use crate::error::{ExitStatus, UsageError};
use crate::output;
use crate::token::keys;
use crate::token::sign::{self, MintOptions, SigningKey};

/// Mint a signed JWT with a private key file.
///
/// The key is a PEM private key (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`
/// or `RSA PRIVATE KEY`) or a private JWK: EC P-256 (ES256), P-384 (ES384),
/// RSA ≥ 2048 bits (RS256; PS256 with --alg) or Ed25519 (EdDSA). The claims
/// come from a JSON object in --claims (a file, or `-` for stdin); the flags
/// override them. iat and nbf default to now, exp to now + 15m; the header's
/// kid defaults to the key's JWK kid, else its RFC 7638 thumbprint.
///
/// The token is a credential: it goes to stdout, or with -o to a file
/// created 0600 and written atomically.
///
/// Examples:
///   agentid token sign --key signing.pem --subject agent-1 --audience https://api.example --lifetime 15m
///   echo '{"scope":"read"}' | agentid token sign --key signing.pem --claims - -o token.jwt
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SignArgs {
    /// Private key file: PEM or JWK.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

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
    let key = SigningKey::from_file(&args.key).map_err(|e| UsageError(e.to_string()))?;
    let claims = match &args.claims {
        Some(path) => read_claims(path)?,
        None => Map::new(),
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
        now: args.as_of.unwrap_or_else(Timestamp::now),
        lifetime: args.lifetime,
        audience: args.audience.clone(),
        subject: args.subject.clone(),
    };
    let token = sign::mint(&key, claims, &opts).map_err(|e| UsageError(e.to_string()))?;
    tracing::info!(kid = %opts.kid.as_deref().unwrap_or(key.kid()), "minted a token");
    output::write_secret_to(&ctx.destination, |out| {
        out.write_all(token.as_bytes())?;
        out.write_all(b"\n")
    })?;
    Ok(ExitStatus::Ok)
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
