//! The body of every fuzz target, one function per target, on arbitrary
//! bytes. The fuzz targets (fuzz_targets/*.rs) call these under libFuzzer;
//! the main test suite (tests/fuzz_inputs.rs) includes this same file and
//! calls them on every seed, malformed fixture and past crasher, so a fixed
//! crash stays fixed without nightly Rust.
//!
//! Each function panics only on a bug: a panic inside agentid, or a broken
//! property (named in its assertion).
#![allow(dead_code)]

use std::path::Path;
use std::sync::LazyLock;

use agentid::duration::Duration;
use agentid::inventory::snapshot;
use agentid::registry;
use agentid::scan::engine::{self, CompiledRules, Mode};
use agentid::scan::rules;
use agentid::token::json_object::JsonObject;
use agentid::token::keys::{KeySet, LoadOptions};
use agentid::token::verify::{self, Expectations, KeyContext, Outcome, RequiredClaim};
use agentid::token::{decode, discovery, input, jwt};

/// 2026-11-01T00:00:00Z, the fixtures' "now".
fn as_of() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_793_491_200).expect("fixed instant")
}

/// The token parser's lazy JSON object accepts exactly what `strict_json`
/// accepts, with the same members (json_object.rs takes a fast path and
/// leaves everything unusual to `strict_json`).
fn json_object_agrees(bytes: &[u8]) {
    let strict = match jwt::strict_json(bytes) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    };
    let lazy = JsonObject::parse(bytes.to_vec()).ok().map(|o| o.to_map());
    assert_eq!(strict, lazy, "json_object and strict_json disagree");
}

/// A token as `token decode -` reads it, parsed; `None` when refused.
fn read_token(data: &[u8]) -> Option<(input::TokenInput, jwt::Jws)> {
    let mut stdin = data;
    let tok = input::read(input::Source::Path(Path::new("-")), &mut stdin).ok()?;
    let jws = jwt::parse(&tok.token).ok()?;
    Some((tok, jws))
}

/// `token decode`: reading (trim, `Bearer `, size and UTF-8 limits), the
/// compact-JWS parser, every claim's analysis and the JSON report.
pub fn token_decode(data: &[u8]) {
    json_object_agrees(data);
    if let Some(payload) = std::str::from_utf8(data)
        .ok()
        .and_then(|t| t.trim().split('.').nth(1))
        .and_then(|p| jwt::base64url::decode(p).ok())
    {
        json_object_agrees(&payload);
    }
    let Some((tok, jws)) = read_token(data) else {
        return;
    };
    let opts = decode::Options {
        now: as_of(),
        max_lifetime: Duration::from_secs(3600),
        max_from: "fuzz".into(),
        source: tok.origin,
    };
    let report = decode::decode(&jws, &opts);
    serde_json::to_vec(&report).expect("a decode report always serializes");
}

static JWKS: LazyLock<KeySet> = LazyLock::new(|| {
    KeySet::from_jwks_json(
        include_bytes!("../tests/fixtures/tokens/jwks.json"),
        "fixture jwks.json",
    )
    .expect("the fixture JWKS loads")
});

/// The signing inputs (`header.payload`) the fixture keys really signed.
static GENUINE: LazyLock<Vec<String>> = LazyLock::new(|| {
    [
        include_str!("../tests/fixtures/tokens/cnf-bound.jwt"),
        include_str!("../tests/fixtures/tokens/delegated.jwt"),
        include_str!("../tests/fixtures/tokens/entra.jwt"),
        include_str!("../tests/fixtures/tokens/gcp.jwt"),
        include_str!("../tests/fixtures/tokens/github-actions.jwt"),
        include_str!("../tests/fixtures/tokens/kubernetes.jwt"),
        include_str!("../tests/fixtures/tokens/spiffe.jwt"),
    ]
    .iter()
    .filter_map(|t| {
        t.trim()
            .rsplit_once('.')
            .map(|(input, _)| input.to_string())
    })
    .collect()
});

/// `token verify` against the fixed JWKS tests/fixtures/tokens/jwks.json
/// (ES256 and RS256): alg and key choice, the signature, the time, issuer,
/// audience, typ and required-claim checks, and the explanation of a
/// failure. Only the genuine fixture tokens may pass the signature check:
/// the fuzzer does not hold the private keys.
pub fn token_verify(data: &[u8]) {
    let Some((_, jws)) = read_token(data) else {
        return;
    };
    let ctx = KeyContext {
        origin: "JWKS fixture".into(),
        refetched: false,
    };
    let exp = Expectations {
        now: as_of(),
        clock_skew_secs: 60,
        issuer: Some("https://token.actions.githubusercontent.com".into()),
        audiences: vec!["sts.amazonaws.com".into()],
        require_claims: vec![
            RequiredClaim {
                name: "sub".into(),
                value: None,
            },
            RequiredClaim {
                name: "scope".into(),
                value: Some("read".into()),
            },
        ],
        typ: Some("JWT".into()),
    };
    let verdict = verify::verify_token(&jws, &JWKS, &ctx, &exp);
    let _ = verify::explain(&verdict.checks, &jws, &ctx, &exp, verdict.refusal);
    serde_json::to_vec(&verdict).expect("a verdict always serializes");
    let verified = verdict
        .checks
        .iter()
        .any(|c| c.name == "signature" && c.outcome == Outcome::Pass);
    assert!(
        !verified || GENUINE.contains(&jws.signing_input),
        "a token the fixture keys never signed passed the signature check"
    );
}

fn exercise_keys(set: &KeySet) {
    for key in &set.keys {
        let _ = key.describe();
        let _ = key.to_jwk();
    }
    let _ = set.warnings();
    let _ = set.find(Some("kid"), "RS256");
    let _ = set.find(None, "ES256");
}

/// Key material: a JWK Set, a single JWK and the auto-detecting reader
/// (JWKS, JWK or PEM), with and without symmetric keys allowed.
pub fn jwks_parse(data: &[u8]) {
    for allow_symmetric in [false, true] {
        let opts = LoadOptions { allow_symmetric };
        if let Ok(set) = KeySet::from_jwks_json_with(data, "fuzz", opts) {
            exercise_keys(&set);
        }
        if let Ok(set) = KeySet::from_jwk_json_with(data, "fuzz", opts) {
            exercise_keys(&set);
        }
        if let Ok(set) = KeySet::parse(data, "fuzz", opts) {
            exercise_keys(&set);
        }
    }
}

/// An OIDC discovery / RFC 8414 metadata document, held to the rules; and
/// the well-known URLs built from the bytes as an issuer (as a hostile `iss`
/// would supply one). A document for another issuer is never accepted.
pub fn oidc_discovery(data: &[u8]) {
    const ISSUER: &str = "https://issuer.example";
    let url = "https://issuer.example/.well-known/openid-configuration";
    match discovery::parse_metadata(data, url, ISSUER) {
        Ok(meta) => {
            assert_eq!(
                meta.issuer, ISSUER,
                "metadata for another issuer was accepted"
            );
            serde_json::to_vec(&meta).expect("metadata serializes");
        }
        Err(e) => {
            let _ = e.to_string();
            let _ = e.is_bad_input();
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = discovery::well_known_urls(text);
    }
}

/// agentid.yaml: YAML, shape, secrets and cross-reference checks.
pub fn registry_load(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = registry::parse("agentid.yaml", text) {
        let _ = e.to_string();
    }
}

fn written(estate: agentid::model::Estate) -> Vec<u8> {
    let mut out = Vec::new();
    snapshot::write(&mut out, &snapshot::from_estate(estate, as_of())).expect("writes to memory");
    out
}

/// An estate snapshot. One that loads, written back and loaded again,
/// writes the same bytes (write is a fixed point of load).
pub fn snapshot_load(data: &[u8]) {
    match snapshot::parse("estate.json", data) {
        Ok(estate) => {
            let first = written(estate);
            let again = snapshot::parse("rewritten.json", &first)
                .expect("a snapshot agentid wrote loads again");
            assert!(
                first == written(again),
                "write, load, write changed the snapshot"
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// A `--rules` file alone and over the built-in catalogue, compiled, and its
/// examples checked.
pub fn rules_load(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = rules::parse("rules.yaml", text, None);
    let Ok(set) = rules::parse("rules.yaml", text, Some(rules::builtin())) else {
        return;
    };
    if let Ok(compiled) = CompiledRules::new(&set) {
        let _ = compiled.check_examples(&set);
    }
}

static BUILTIN: LazyLock<CompiledRules> = LazyLock::new(CompiledRules::builtin);

/// The scan engine with the built-in rules, with the keyword prefilter and
/// exhaustively: the prefilter is an optimisation, so both must find the
/// same secrets. Any difference is a bug.
pub fn scan_engine(data: &[u8]) {
    let fast = engine::scan(&BUILTIN, "fuzz.txt", data, Mode::Prefilter);
    let slow = engine::scan(&BUILTIN, "fuzz.txt", data, Mode::Exhaustive);
    assert_eq!(fast, slow, "the prefilter changed the findings");
}

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target by name, for the test that replays inputs.
pub const TARGETS: &[(&str, Target)] = &[
    ("token_decode", token_decode),
    ("token_verify", token_verify),
    ("jwks_parse", jwks_parse),
    ("oidc_discovery", oidc_discovery),
    ("registry_load", registry_load),
    ("snapshot_load", snapshot_load),
    ("rules_load", rules_load),
    ("scan_engine", scan_engine),
];
