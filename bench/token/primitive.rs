//! Raw verification rate of the crypto primitive `agentid token verify` uses:
//! `jsonwebtoken` 10 with the aws-lc-rs backend, on the same tokens as the
//! batch benchmark, on 1 thread and on N threads.
//!
//!     cargo bench --bench token_primitive -- --tokens FILE --key PUB.pem --alg ES256 \
//!         [--threads 1,2] [--rounds 3] [--modes jwt-verify,agentid-verify,jwt-decode,agentid-parse] \
//!         [--limit N] [--json OUT.jsonl]
//!
//! Modes (each over every token of FILE, every signature must verify):
//!
//! - `jwt-verify`: `jsonwebtoken::crypto::verify(sig_b64, signing_input,
//!   &DecodingKey, alg)`, the library's public "check this signature" call,
//!   with the token already split at its last dot. The raw primitive: the
//!   denominator of the ≥ 70 % goal.
//! - `lc-parsed`: aws-lc-rs alone, `ParsedPublicKey::verify_sig` with the key
//!   parsed once from the PEM file's SubjectPublicKeyInfo before timing. The
//!   fastest the library can check a signature: jsonwebtoken rebuilds the key
//!   on every call, agentid keeps the parsed key, so this is the raw rate
//!   agentid is held to as well.
//! - `agentid-verify`: `agentid::token::keys::verify_signature(key, alg,
//!   signing_input, sig_bytes)`, the exact call `token verify` makes (same
//!   jsonwebtoken verifier; the signature is already base64url-decoded).
//! - `jwt-decode`: `jsonwebtoken::decode::<serde_json::Value>` with exp/aud
//!   validation off: split, base64 and JSON of header and claims, signature,
//!   claims deserialized. What a relying party calling the library does per token.
//! - `agentid-parse`: `agentid::token::jwt::parse` alone (agentid's strict
//!   parser: base64url, JSON with duplicate-key refusal, typed header). No crypto.
//!
//! Threads split the tokens into contiguous equal slices, like `--batch`
//! does; the rate is tokens / wall time from spawning the threads to joining
//! them. Each (mode, threads) pair is run `--rounds` times; the median rate
//! is reported (and min/max). Input is read and pre-split before timing.
//!
//! Output: one human line per pair on stdout, and with `--json` one JSON
//! object per pair appended to OUT.

use std::path::PathBuf;
use std::time::Instant;

use agentid::token::{jwt, keys};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

struct Args {
    tokens: PathBuf,
    key: PathBuf,
    alg: Algorithm,
    threads: Vec<usize>,
    rounds: usize,
    modes: Vec<String>,
    limit: Option<usize>,
    json: Option<PathBuf>,
}

const ALL_MODES: &[&str] = &[
    "jwt-verify",
    "lc-parsed",
    "agentid-verify",
    "jwt-decode",
    "agentid-parse",
];

fn usage(msg: &str) -> ! {
    eprintln!("token_primitive: {msg}");
    eprintln!(
        "usage: cargo bench --bench token_primitive -- --tokens FILE --key PUB.pem --alg ES256|RS256 \
         [--threads 1,2] [--rounds 3] [--modes {}] [--limit N] [--json OUT]",
        ALL_MODES.join(",")
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    // `cargo test --all-targets` runs this binary with no arguments (or
    // only test-harness flags): nothing to measure, and not a failure.
    if std::env::args()
        .skip(1)
        .all(|a| a != "--tokens" && !a.starts_with("--tokens="))
        && std::env::args()
            .skip(1)
            .all(|a| a.starts_with("--") && a != "--help")
    {
        eprintln!("token_primitive: no --tokens given; run bench/token/run.sh to measure");
        std::process::exit(0);
    }
    let mut it = std::env::args().skip(1);
    let (mut tokens, mut key, mut alg) = (None, None, None);
    let mut a = Args {
        tokens: PathBuf::new(),
        key: PathBuf::new(),
        alg: Algorithm::ES256,
        threads: vec![1, 2],
        rounds: 3,
        modes: ALL_MODES.iter().map(|s| s.to_string()).collect(),
        limit: None,
        json: None,
    };
    while let Some(flag) = it.next() {
        // `cargo bench` passes `--bench` to every bench binary.
        if flag == "--bench" {
            continue;
        }
        let mut val = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--tokens" => tokens = Some(PathBuf::from(val())),
            "--key" => key = Some(PathBuf::from(val())),
            "--alg" => {
                alg = Some(match val().as_str() {
                    "ES256" => Algorithm::ES256,
                    "RS256" => Algorithm::RS256,
                    other => usage(&format!("--alg {other}: ES256 or RS256")),
                })
            }
            "--threads" => {
                a.threads = val()
                    .split(',')
                    .map(|t| {
                        t.parse()
                            .ok()
                            .filter(|n| *n > 0)
                            .unwrap_or_else(|| usage("--threads: e.g. 1,2"))
                    })
                    .collect()
            }
            "--rounds" => {
                a.rounds = val()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| usage("--rounds: a number"))
            }
            "--modes" => {
                a.modes = val().split(',').map(str::to_string).collect();
                if let Some(m) = a.modes.iter().find(|m| !ALL_MODES.contains(&m.as_str())) {
                    usage(&format!("unknown mode {m}"));
                }
            }
            "--limit" => {
                a.limit = Some(val().parse().unwrap_or_else(|_| usage("--limit: a number")))
            }
            "--json" => a.json = Some(PathBuf::from(val())),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    a.tokens = tokens.unwrap_or_else(|| usage("--tokens is required"));
    a.key = key.unwrap_or_else(|| usage("--key is required"));
    a.alg = alg.unwrap_or_else(|| usage("--alg is required"));
    a
}

/// One token, split before timing.
struct Tok<'a> {
    whole: &'a str,
    signing_input: &'a str,
    sig_b64: &'a str,
    sig: Vec<u8>,
}

/// Runs `f` over every token on `threads` threads (contiguous slices);
/// returns (seconds, how many returned true).
fn timed<F>(toks: &[Tok], threads: usize, f: F) -> (f64, usize)
where
    F: Fn(&Tok) -> bool + Sync,
{
    let chunk = toks.len().div_ceil(threads).max(1);
    let start = Instant::now();
    let ok = std::thread::scope(|s| {
        let hs: Vec<_> = toks
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                s.spawn(move || part.iter().filter(|t| f(t)).count())
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    (start.elapsed().as_secs_f64(), ok)
}

fn main() {
    let a = parse_args();
    // Name the backend, as agentid does (keys::provider), rather than rely on
    // the crate-feature default.
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();

    let text = std::fs::read_to_string(&a.tokens)
        .unwrap_or_else(|e| usage(&format!("{}: {e}", a.tokens.display())));
    let mut toks: Vec<Tok> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|whole| {
            let (signing_input, sig_b64) = whole.rsplit_once('.').expect("a JWS has dots");
            let sig = URL_SAFE_NO_PAD
                .decode(sig_b64)
                .expect("base64url signature");
            Tok {
                whole,
                signing_input,
                sig_b64,
                sig,
            }
        })
        .collect();
    if let Some(n) = a.limit {
        toks.truncate(n);
    }
    let n = toks.len();

    // The key, as agentid loads it, and the same key as jsonwebtoken's own DecodingKey (from its JWK).
    let set = keys::load_key_file(&a.key).unwrap_or_else(|e| usage(&e.to_string()));
    let vk = set.keys.first().unwrap_or_else(|| usage("no key in --key"));
    let jwk: jsonwebtoken::jwk::Jwk =
        serde_json::from_value(vk.to_jwk()).expect("agentid's JWK is a JWK");
    let dk = DecodingKey::from_jwk(&jwk).expect("jsonwebtoken accepts the JWK");
    let lc_key = parsed_from_pem(&a.key, a.alg);
    let mut validation = Validation::new(a.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();

    let alg_name = keys::alg_name(a.alg);
    eprintln!(
        "token_primitive: {n} {alg_name} tokens from {}, key {} ({}); jsonwebtoken aws_lc_rs backend",
        a.tokens.display(),
        a.key.display(),
        vk.describe()
    );
    let mut json_out = a.json.as_ref().map(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .unwrap_or_else(|e| usage(&format!("{}: {e}", p.display())))
    });

    let mut failed = false;
    for mode in &a.modes {
        for &threads in &a.threads {
            let run = |toks: &[Tok]| -> (f64, usize) {
                match mode.as_str() {
                    "jwt-verify" => timed(toks, threads, |t| {
                        jsonwebtoken::crypto::verify(
                            t.sig_b64,
                            t.signing_input.as_bytes(),
                            &dk,
                            a.alg,
                        )
                        .unwrap_or(false)
                    }),
                    "lc-parsed" => timed(toks, threads, |t| {
                        lc_key
                            .verify_sig(t.signing_input.as_bytes(), &t.sig)
                            .is_ok()
                    }),
                    "agentid-verify" => timed(toks, threads, |t| {
                        keys::verify_signature(vk, a.alg, t.signing_input.as_bytes(), &t.sig)
                    }),
                    "jwt-decode" => timed(toks, threads, |t| {
                        jsonwebtoken::decode::<serde_json::Value>(t.whole, &dk, &validation).is_ok()
                    }),
                    "agentid-parse" => timed(toks, threads, |t| jwt::parse(t.whole).is_ok()),
                    _ => unreachable!(),
                }
            };
            // An untimed warm-up over the first 2 000 tokens, then the rounds.
            run(&toks[..n.min(2000)]);
            let mut rates = Vec::new();
            let mut ok_all = true;
            for _ in 0..a.rounds {
                let (secs, ok) = run(&toks);
                ok_all &= ok == n;
                rates.push(n as f64 / secs);
            }
            rates.sort_by(|x, y| x.partial_cmp(y).unwrap());
            let median = rates[rates.len() / 2];
            let (min, max) = (rates[0], rates[rates.len() - 1]);
            println!(
                "{alg_name:<6} {mode:<15} threads={threads}  {median:>10.0} tokens/s  (min {min:.0}, max {max:.0}, {} rounds over {n}){}",
                a.rounds,
                if ok_all { "" } else { "  NOT ALL VERIFIED" }
            );
            failed |= !ok_all;
            if let Some(f) = json_out.as_mut() {
                use std::io::Write as _;
                let line = serde_json::json!({
                    "alg": alg_name, "mode": mode, "threads": threads, "tokens": n,
                    "rounds": a.rounds, "median": median, "min": min, "max": max,
                    "rates": rates, "all_ok": ok_all,
                });
                writeln!(f, "{line}").expect("write --json");
            }
        }
    }
    if failed {
        eprintln!(
            "token_primitive: some tokens did not verify; the rates above are not meaningful"
        );
        std::process::exit(1);
    }
}

/// The PEM public key (SubjectPublicKeyInfo) parsed by aws-lc-rs for `alg`.
fn parsed_from_pem(
    path: &std::path::Path,
    alg: Algorithm,
) -> aws_lc_rs::signature::ParsedPublicKey {
    use aws_lc_rs::signature as lc;
    let pem = std::fs::read_to_string(path)
        .unwrap_or_else(|e| usage(&format!("{}: {e}", path.display())));
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .unwrap_or_else(|e| usage(&format!("{}: not a PEM public key: {e}", path.display())));
    let lc_alg: &'static dyn lc::VerificationAlgorithm = match alg {
        Algorithm::RS256 => &lc::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &lc::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &lc::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &lc::RSA_PSS_2048_8192_SHA256,
        Algorithm::ES256 => &lc::ECDSA_P256_SHA256_FIXED,
        Algorithm::ES384 => &lc::ECDSA_P384_SHA384_FIXED,
        Algorithm::EdDSA => &lc::ED25519,
        other => usage(&format!("lc-parsed: no aws-lc verifier for {other:?}")),
    };
    lc::ParsedPublicKey::new(lc_alg, der)
        .unwrap_or_else(|e| usage(&format!("{}: aws-lc refuses the key: {e}", path.display())))
}
