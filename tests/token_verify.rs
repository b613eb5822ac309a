//! `agentid token verify` against a real OIDC provider process (npm
//! oidc-provider on 127.0.0.1, tests/common/oidc.rs): discovery, JWKS by URL
//! and by file, key rotation with refetch on an unknown kid, the disk cache
//! (offline, provider gone), registry trust and contract checks, batches,
//! output formats and exit codes.
//!
//! Providers: tests that only read share one ([`shared`]); the rotation test
//! and the cache test mutate or stop theirs, so each starts its own. Every run
//! gets `XDG_CACHE_HOME` inside its test's scratch directory, so the JWKS
//! cache never touches the real home, and tests that must not share a cache
//! use separate cache directories.
//!
//! JSON output is parsed, never string-matched; only the one-line
//! explanations and errors are compared as text.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

use common::oidc::{Auth, OidcProvider, OldKeys, PKJWT_CLIENT, RESOURCE, RESOURCE_RS, jwt_parts};
use common::{Scratch, run};

/// One provider for the tests that only read from it (issue tokens, serve
/// discovery and the JWKS). It lives as long as the test process: the
/// harness makes node exit when its stdin closes.
fn shared() -> &'static OidcProvider {
    static OP: OnceLock<OidcProvider> = OnceLock::new();
    OP.get_or_init(OidcProvider::start)
}

// ---------------------------------------------------------------------------
// Running agentid

/// `agentid token verify ARGS` in `s`, with the JWKS cache in `s/<cache>`.
fn verify(s: &Scratch, cache: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = s.cmd();
    cmd.env("XDG_CACHE_HOME", s.path().join(cache))
        .args(["token", "verify"])
        .args(args);
    run(cmd)
}

/// Like [`verify`] with `-f json`; the parsed report (exit 0 or 1 only).
fn verify_json(s: &Scratch, cache: &str, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let (code, out, err) = verify(s, cache, &all);
    assert!(
        code == 0 || code == 1,
        "verify {args:?}: exit {code}\n{out}\n{err}"
    );
    let report: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("verify {args:?}: stdout is not JSON ({e})\n{out}\n{err}"));
    assert_eq!(report["kind"], "agentid.token.verify");
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["valid"], code == 0, "valid vs exit code: {report:#}");
    (code, report)
}

/// Each line of a batch's output, parsed.
fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Per batch result: line, validity, the failed checks and the key's kid
/// (what two runs of one batch must agree on when their key origins differ).
fn verdicts(out: &str) -> Vec<(Value, Value, Vec<String>, Value)> {
    json_lines(out)
        .iter()
        .map(|r| {
            let names = failed(r).into_iter().map(str::to_owned).collect();
            (
                r["line"].clone(),
                r["valid"].clone(),
                names,
                r["key"]["kid"].clone(),
            )
        })
        .collect()
}

/// The named check of a report.
fn check<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name:?} in {r:#}"))
}

fn outcome<'a>(r: &'a Value, name: &str) -> &'a str {
    check(r, name)["outcome"].as_str().expect("outcome")
}

fn detail<'a>(r: &'a Value, name: &str) -> &'a str {
    check(r, name)["detail"].as_str().expect("detail")
}

fn explanation(r: &Value) -> &str {
    r["explanation"]
        .as_str()
        .unwrap_or_else(|| panic!("no explanation in {r:#}"))
}

/// The checks that failed, by name.
fn failed(r: &Value) -> Vec<&str> {
    r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["name"].as_str().expect("name"))
        .collect()
}

/// Exit 0, valid, and every check passed or was skipped.
fn assert_valid(code: i32, r: &Value) {
    assert_eq!(code, 0, "{r:#}");
    assert!(failed(r).is_empty(), "{r:#}");
    for c in r["checks"].as_array().expect("checks") {
        assert!(
            c["outcome"] == "pass" || c["outcome"] == "skip",
            "{c} in {r:#}"
        );
    }
}

/// Exactly one line on stderr, `error: …`, containing `text`.
fn assert_one_line_error(err: &str, text: &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[0].contains(text), "{text:?} not in {err}");
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .expect("timestamp")
        .to_string()
}

fn kid_of(token: &str) -> String {
    jwt_parts(token).0["kid"].as_str().expect("kid").to_owned()
}

// ---------------------------------------------------------------------------
// The JWKS cache, as written under XDG_CACHE_HOME

/// The cached JWKS entry for `jwks_uri` in `cache_home` (XDG_CACHE_HOME).
fn cache_entry(cache_home: &Path, jwks_uri: &str) -> Option<Value> {
    cache_entry_in(&cache_home.join("agentid/jwks"), jwks_uri)
}

/// The cached JWKS entry for `jwks_uri` in the cache's `jwks` directory.
fn cache_entry_in(dir: &Path, jwks_uri: &str) -> Option<Value> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .filter_map(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        // The discovery entries (issuer-*.json) name the jwks_uri too; only
        // JWKS entries hold `jwks`.
        .find(|v| v["jwks_uri"] == jwks_uri && v.get("jwks").is_some())
}

fn cached_kids(entry: &Value) -> Vec<String> {
    entry["jwks"]["keys"]
        .as_array()
        .expect("cached keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_owned())
        .collect()
}

// ---------------------------------------------------------------------------
// Discovery and key sources

#[test]
fn discovery_verifies_es256_and_rs256_tokens_the_provider_issued() {
    let op = shared();
    let s = Scratch::new();
    let es = s.write("es.jwt", op.token_client_credentials(Some("read"), None));
    let rs = s.write(
        "rs.jwt",
        op.token_client_credentials(Some("read"), Some(RESOURCE_RS)),
    );
    let (es, rs) = (path_str(&es), path_str(&rs));
    for (file, alg) in [(es, "ES256"), (rs, "RS256")] {
        let token = std::fs::read_to_string(file).expect("token");
        let (code, r) = verify_json(&s, "cache", &[file, "--issuer", &op.issuer]);
        assert_valid(code, &r);
        assert_eq!(r["key"]["kid"], kid_of(&token), "{r:#}");
        assert_eq!(r["key"]["alg"], alg);
        assert!(
            r["key"]["origin"]
                .as_str()
                .expect("origin")
                .contains(&op.jwks_uri()),
            "{r:#}"
        );
        assert_eq!(r["issuer"], op.issuer.as_str());
        assert_eq!(r["subject"], "agent-cc");
        for name in ["alg", "header", "signature", "exp", "iat", "iss"] {
            assert_eq!(outcome(&r, name), "pass", "{name}: {r:#}");
        }
    }
    // Discovery and the JWKS were cached in the scratch directory, nowhere else.
    let jwks = cache_entry(&s.path().join("cache"), &op.jwks_uri()).expect("JWKS cached");
    assert_eq!(jwks["issuer"], op.issuer.as_str());
    assert!(!s.path().join("home/.cache").exists());

    // --audience
    let (code, r) = verify_json(
        &s,
        "cache",
        &[es, "--issuer", &op.issuer, "--audience", RESOURCE],
    );
    assert_valid(code, &r);
    assert_eq!(outcome(&r, "aud"), "pass");
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            es,
            "--issuer",
            &op.issuer,
            "--audience",
            "urn:agentid:other",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["aud"]);
    assert_eq!(
        explanation(&r),
        format!("wrong audience: expected urn:agentid:other, got {RESOURCE}")
    );
    let (code, r) = verify_json(
        &s,
        "cache",
        &[rs, "--issuer", &op.issuer, "--audience", RESOURCE],
    );
    assert_eq!(code, 1);
    assert_eq!(
        explanation(&r),
        format!("wrong audience: expected {RESOURCE}, got {RESOURCE_RS}")
    );
    // Any one of several audiences will do.
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            rs,
            "--issuer",
            &op.issuer,
            "--audience",
            RESOURCE,
            "--audience",
            RESOURCE_RS,
        ],
    );
    assert_valid(code, &r);

    // --typ: RFC 9068 access tokens are at+jwt ("application/" may be omitted).
    for typ in ["at+jwt", "application/at+jwt"] {
        let (code, r) = verify_json(&s, "cache", &[es, "--issuer", &op.issuer, "--typ", typ]);
        assert_valid(code, &r);
        assert_eq!(outcome(&r, "typ"), "pass");
    }
    let (code, r) = verify_json(&s, "cache", &[es, "--issuer", &op.issuer, "--typ", "JWT"]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["typ"]);
    assert_eq!(detail(&r, "typ"), "expected JWT, got at+jwt");
    assert_eq!(explanation(&r), "typ: expected JWT, got at+jwt");

    // --require-claim NAME[=VALUE]
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            es,
            "--issuer",
            &op.issuer,
            "--require-claim",
            "scope=read",
            "--require-claim",
            "client_id=agent-cc",
            "--require-claim",
            "jti",
        ],
    );
    assert_valid(code, &r);
    for name in ["claim scope", "claim client_id", "claim jti"] {
        assert_eq!(outcome(&r, name), "pass", "{name}: {r:#}");
    }
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            es,
            "--issuer",
            &op.issuer,
            "--require-claim",
            "scope=read",
            "--require-claim",
            "repository",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["claim repository"]);
    assert_eq!(explanation(&r), "claim repository: missing");
    let (code, r) = verify_json(
        &s,
        "cache",
        &[es, "--issuer", &op.issuer, "--require-claim", "scope=write"],
    );
    assert_eq!(code, 1);
    assert_eq!(detail(&r, "claim scope"), "expected \"write\", got read");
}

#[test]
fn issuer_mismatch_with_explicit_keys_fails_the_iss_check() {
    let op = shared();
    let s = Scratch::new();
    let es = s.write("es.jwt", op.token_client_credentials(None, None));
    let es = path_str(&es);
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            es,
            "--jwks",
            &op.jwks_uri(),
            "--issuer",
            "https://issuer.example",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["iss"]);
    assert_eq!(
        detail(&r, "iss"),
        format!("expected https://issuer.example, got {}", op.issuer)
    );
}

#[test]
fn jwks_by_url_by_file_and_a_single_jwk_file() {
    let op = shared();
    let s = Scratch::new();
    let es_token = op.token_client_credentials(None, None);
    let rs_token = op.token_client_credentials(None, Some(RESOURCE_RS));
    let es = s.write("es.jwt", &es_token);
    let rs = s.write("rs.jwt", &rs_token);
    let (es, rs) = (path_str(&es), path_str(&rs));

    // --jwks URL (the provider's /jwks), with and without --issuer.
    for file in [es, rs] {
        let (code, r) = verify_json(&s, "cache", &[file, "--jwks", &op.jwks_uri()]);
        assert_valid(code, &r);
        assert_eq!(outcome(&r, "iss"), "skip", "no issuer asked for");
        let (code, r) = verify_json(
            &s,
            "cache",
            &[file, "--jwks", &op.jwks_uri(), "--issuer", &op.issuer],
        );
        assert_valid(code, &r);
        assert_eq!(outcome(&r, "iss"), "pass");
    }

    // --jwks FILE: the JWKS saved to disk.
    let jwks = op.jwks();
    let jwks_file = s.write("saved-jwks.json", jwks.to_string());
    for file in [es, rs] {
        let (code, r) = verify_json(&s, "nocache", &[file, "--jwks", path_str(&jwks_file)]);
        assert_valid(code, &r);
        assert!(
            r["key"]["origin"]
                .as_str()
                .expect("origin")
                .contains("saved-jwks.json"),
            "{r:#}"
        );
    }

    // --key FILE: one JWK taken from the JWKS.
    let kid = kid_of(&es_token);
    let jwk = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("the ES256 key");
    let jwk_file = s.write("es256.jwk.json", jwk.to_string());
    let (code, r) = verify_json(&s, "nocache", &[es, "--key", path_str(&jwk_file)]);
    assert_valid(code, &r);
    assert_eq!(r["key"]["kid"], kid.as_str());
    // That key is not the RS256 token's.
    let (code, r) = verify_json(&s, "nocache", &[rs, "--key", path_str(&jwk_file)]);
    assert_eq!(code, 1);
    assert_eq!(outcome(&r, "alg"), "fail", "{r:#}");
    assert_eq!(outcome(&r, "signature"), "fail", "{r:#}");
    // Keys from files are never cached.
    assert!(!s.path().join("nocache").exists());
}

#[test]
fn input_from_stdin_and_env_with_a_bearer_prefix() {
    let op = shared();
    let s = Scratch::new();
    let token = op.token_client_credentials(None, None);
    let mut cmd = s.cmd();
    cmd.env("XDG_CACHE_HOME", s.path().join("cache"))
        .args(["token", "verify", "-", "--issuer", &op.issuer, "-f", "json"])
        .write_stdin(format!("Bearer {token}\n"));
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{out}{err}");
    let r: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(r["source"], "<stdin>");

    let mut cmd = s.cmd();
    cmd.env("XDG_CACHE_HOME", s.path().join("cache"))
        .env("AGENT_TOKEN", format!("  {token}  "))
        .args([
            "token",
            "verify",
            "--env",
            "AGENT_TOKEN",
            "--issuer",
            &op.issuer,
            "-f",
            "json",
        ]);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{out}{err}");
    let r: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(r["source"], "$AGENT_TOKEN");

    // The token itself as the argument: refused, never echoed.
    let (code, out, err) = verify(&s, "cache", &[&token, "--issuer", &op.issuer]);
    assert_eq!(code, 2, "{out}{err}");
    assert_one_line_error(&err, "tokens are not accepted on the command line");
    assert!(!err.contains(&token[20..]), "{err}");
}

// ---------------------------------------------------------------------------
// Rotation

/// Key rotation at the issuer: a token with a new kid verifies although the
/// cache still holds the old JWKS (an unknown kid refetches), and a token of a
/// key removed from the JWKS fails with the stale-key explanation.
///
/// Time: agentid stamps cache entries with its `now`, which is `--as-of`, and
/// refetches on an unknown kid at most once per REFETCH_INTERVAL (30 s,
/// src/token/jwks_cache.rs). So instead of sleeping, each run passes an
/// `--as-of` a little later than the one before (offsets from t0 below);
/// the provider's tokens live 600 s, so they stay valid at every offset used
/// with them. The "verifier that never saw the old JWKS" uses its own cache
/// directory.
#[test]
fn key_rotation_refetches_on_a_new_kid_and_explains_a_removed_one() {
    let op = OidcProvider::start();
    let s = Scratch::new();
    let cache = s.path().join("cache");
    let t0 = now_secs();
    let at = |offset: i64| rfc3339(t0 + offset);

    let token_a = s.write("a.jwt", op.token_client_credentials(None, None));
    let token_a = path_str(&token_a);
    assert_eq!(
        kid_of(&std::fs::read_to_string(token_a).unwrap()),
        "as-es256"
    );
    let (code, r) = verify_json(
        &s,
        "cache",
        &[token_a, "--issuer", &op.issuer, "--as-of", &at(0)],
    );
    assert_valid(code, &r);
    let entry = cache_entry(&cache, &op.jwks_uri()).expect("JWKS cached");
    assert_eq!(cached_kids(&entry), ["as-es256", "as-rs256"]);
    assert_eq!(entry["fetched_at"], at(0));

    // The issuer rotates; the old keys stay published. New tokens carry the new kid.
    let state = op.rotate(OldKeys::Keep);
    assert_eq!(state.signing("ES256"), "as-es256-2");
    let token_b = s.write("b.jwt", op.token_client_credentials(None, None));
    let token_b = path_str(&token_b);
    assert_eq!(
        kid_of(&std::fs::read_to_string(token_b).unwrap()),
        "as-es256-2"
    );

    // 10 s after the last fetch the refetch is rate-limited: the kid is
    // unknown to the (fresh) cached JWKS, and the cache is left alone.
    let (code, r) = verify_json(
        &s,
        "cache",
        &[token_b, "--issuer", &op.issuer, "--as-of", &at(10)],
    );
    assert_eq!(code, 1);
    assert_eq!(outcome(&r, "alg"), "fail", "{r:#}");
    assert!(
        explanation(&r).starts_with("stale JWKS"),
        "{}",
        explanation(&r)
    );
    let entry = cache_entry(&cache, &op.jwks_uri()).expect("JWKS cached");
    assert_eq!(entry["fetched_at"], at(0), "no refetch within 30 s");

    // 40 s after it, the unknown kid triggers one refetch and verifies.
    let (code, r) = verify_json(
        &s,
        "cache",
        &[token_b, "--issuer", &op.issuer, "--as-of", &at(40)],
    );
    assert_valid(code, &r);
    assert_eq!(r["key"]["kid"], "as-es256-2");
    let entry = cache_entry(&cache, &op.jwks_uri()).expect("JWKS cached");
    assert_eq!(entry["fetched_at"], at(40), "the cache was refreshed");
    assert_eq!(
        cached_kids(&entry),
        ["as-es256-2", "as-rs256-2", "as-es256", "as-rs256"]
    );
    // The old key is still published, so the old token still verifies.
    let (code, r) = verify_json(
        &s,
        "cache",
        &[token_a, "--issuer", &op.issuer, "--as-of", &at(41)],
    );
    assert_valid(code, &r);
    assert_eq!(r["key"]["kid"], "as-es256");

    // The old keys leave the JWKS.
    let state = op.retire_old();
    assert_eq!(state.published, ["as-es256-2", "as-rs256-2"]);

    // A verifier that never saw the old JWKS: it fetches, the kid is not
    // there, the refetch is rate-limited (it fetched just now): stale key.
    let (code, r) = verify_json(
        &s,
        "cache2",
        &[token_a, "--issuer", &op.issuer, "--as-of", &at(80)],
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["alg", "signature"], "{r:#}");
    assert!(
        detail(&r, "alg").contains("no key with kid \"as-es256\""),
        "{r:#}"
    );
    let why = explanation(&r);
    assert!(
        why.starts_with("stale JWKS") && why.contains("\"as-es256\""),
        "{why}"
    );
    assert!(!why.contains('\n'));
    // The new token is fine there.
    let (code, _) = verify_json(
        &s,
        "cache2",
        &[token_b, "--issuer", &op.issuer, "--as-of", &at(81)],
    );
    assert_eq!(code, 0);

    // The first verifier's cached JWKS is still fresh (the provider sends no
    // Cache-Control: the 15 min default applies) and still holds the removed
    // key: until that entry goes stale the old token verifies there.
    let (code, _) = verify_json(
        &s,
        "cache",
        &[token_a, "--issuer", &op.issuer, "--as-of", &at(80)],
    );
    assert_eq!(code, 0);

    // Once it is stale, the next run fetches the JWKS without the old key and
    // a token of the removed key fails with the stale-key explanation. (token_a
    // has expired by then; the provider still holds the retired private key,
    // so it signs one with a longer life.)
    let fresh_until: jiff::Timestamp = entry["fresh_until"]
        .as_str()
        .expect("fresh_until")
        .parse()
        .expect("timestamp");
    let later = fresh_until.as_second() + 1;
    let old_key_token = op.sign(
        Some("as-es256"),
        json!({"sub": "agent-cc", "aud": RESOURCE, "exp": later + 600}),
        json!({"typ": "at+jwt"}),
    );
    let old = s.write("old-key.jwt", old_key_token);
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            path_str(&old),
            "--issuer",
            &op.issuer,
            "--as-of",
            &rfc3339(later),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["alg", "signature"], "{r:#}");
    assert!(explanation(&r).starts_with("stale JWKS"), "{r:#}");
    let entry = cache_entry(&cache, &op.jwks_uri()).expect("JWKS cached");
    assert_eq!(entry["fetched_at"], rfc3339(later));
    assert_eq!(cached_kids(&entry), ["as-es256-2", "as-rs256-2"]);
}

// ---------------------------------------------------------------------------
// Cache

#[test]
fn the_cache_serves_offline_runs_and_a_stopped_provider() {
    let mut op = OidcProvider::start();
    let s = Scratch::new();
    let token = s.write("t.jwt", op.token_client_credentials(None, None));
    let token = path_str(&token);
    let issuer = op.issuer.clone();
    let jwks_uri = op.jwks_uri();

    // First run online fills the cache; a second with --offline uses it.
    let (code, r) = verify_json(&s, "cache", &[token, "--issuer", &issuer]);
    assert_valid(code, &r);
    let (code, r) = verify_json(&s, "cache", &[token, "--issuer", &issuer, "--offline"]);
    assert_valid(code, &r);
    assert!(
        r["key"]["origin"]
            .as_str()
            .expect("origin")
            .contains("cached"),
        "{r:#}"
    );
    let (code, _) = verify_json(&s, "cache", &[token, "--jwks", &jwks_uri, "--offline"]);
    assert_eq!(code, 0);

    // --offline with an empty cache: exit 3, one line.
    let (code, out, err) = verify(&s, "empty", &[token, "--issuer", &issuer, "--offline"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.is_empty());
    assert_one_line_error(&err, "--offline: no cached discovery for issuer");
    let (code, _, err) = verify(&s, "empty", &[token, "--jwks", &jwks_uri, "--offline"]);
    assert_eq!(code, 3);
    assert_one_line_error(&err, "--offline: no cached JWKS");
    assert!(
        cache_entry(&s.path().join("empty"), &jwks_uri).is_none(),
        "--offline never fetches"
    );

    // The provider stops.
    let status = op.terminate();
    assert!(status.success(), "{status}");

    // A fresh cache still verifies, without the network.
    let (code, r) = verify_json(&s, "cache", &[token, "--issuer", &issuer]);
    assert_valid(code, &r);
    let (code, _) = verify_json(&s, "cache", &[token, "--jwks", &jwks_uri]);
    assert_eq!(code, 0);

    // No cache and no provider: exit 3, one line saying the keys could not be had.
    let (code, out, err) = verify(&s, "none", &[token, "--issuer", &issuer]);
    assert_eq!(code, 3, "{out}{err}");
    assert_one_line_error(&err, "key not found at issuer");
    assert!(err.contains("cannot reach"), "{err}");
    let (code, _, err) = verify(&s, "none", &[token, "--jwks", &jwks_uri]);
    assert_eq!(code, 3);
    assert_one_line_error(&err, "cannot reach");
}

// ---------------------------------------------------------------------------
// Registry trust and the contract

/// An agentid.yaml whose agent `cc` trusts the provider for `subject`.
struct Reg<'a> {
    issuer: &'a str,
    subject: &'a str,
    scopes: &'a str,
    lifetime: &'a str,
    /// The agent's `delegation:` value, or "" for none.
    delegation: &'a str,
    /// More agents (YAML list items).
    more: &'a str,
}

impl Reg<'_> {
    fn yaml(&self) -> String {
        let delegation = if self.delegation.is_empty() {
            String::new()
        } else {
            format!("    delegation: {}\n", self.delegation)
        };
        format!(
            "version: 1\nowners:\n  - id: team-a\nagents:\n  - name: cc\n    owner: team-a\n    trust:\n      - issuer: {}\n        subject: \"{}\"\n        audiences: [{RESOURCE}]\n    may_request:\n      scopes: [{}]\n      max_token_lifetime: {}\n{delegation}{}",
            self.issuer, self.subject, self.scopes, self.lifetime, self.more
        )
    }
}

fn reg(issuer: &str) -> Reg<'_> {
    Reg {
        issuer,
        subject: "agent-cc",
        scopes: "read",
        lifetime: "15m",
        delegation: "",
        more: "",
    }
}

const CONTRACT: [&str; 5] = [
    "contract.trust",
    "contract.audience",
    "contract.scope",
    "contract.lifetime",
    "contract.delegation",
];

#[test]
fn registry_trust_without_key_flags_checks_the_contract() {
    let op = shared();
    let s = Scratch::new();
    let read = s.write("read.jwt", op.token_client_credentials(Some("read"), None));
    let read_write = s.write(
        "read-write.jwt",
        op.token_client_credentials(Some("read write"), None),
    );
    let (read, read_write) = (path_str(&read), path_str(&read_write));
    let config = |name: &str, r: Reg| path_str(&s.write(name, r.yaml())).to_owned();

    // The issuer is trusted because agent cc declares it; cc is found by iss + sub.
    let base = config("base.yaml", reg(&op.issuer));
    let (code, r) = verify_json(&s, "cache", &["--config", &base, read]);
    assert_valid(code, &r);
    assert_eq!(r["agent"], "cc");
    for name in CONTRACT {
        assert_eq!(outcome(&r, name), "pass", "{name}: {r:#}");
    }
    // iss is the declared issuer; aud what the agent's trust allows.
    assert_eq!(outcome(&r, "iss"), "pass");
    assert_eq!(outcome(&r, "aud"), "pass");
    assert!(
        detail(&r, "contract.lifetime").contains("10m within 15m"),
        "{r:#}"
    );
    // The same with ./agentid.yaml found in the working directory.
    s.write("agentid.yaml", reg(&op.issuer).yaml());
    let (code, r) = verify_json(&s, "cache", &[read]);
    assert_valid(code, &r);
    assert_eq!(r["agent"], "cc");
    std::fs::remove_file(s.path().join("agentid.yaml")).expect("rm");

    // A subject glob that does not match: no agent covers this subject.
    let other_sub = config(
        "other-sub.yaml",
        Reg {
            subject: "agent-x*",
            ..reg(&op.issuer)
        },
    );
    let (code, r) = verify_json(&s, "cache", &["--config", &other_sub, read]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["contract.trust"], "{r:#}");
    assert!(
        explanation(&r).starts_with("contract.trust: "),
        "{}",
        explanation(&r)
    );
    // Named with --agent, the agent's rules are shown.
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", &other_sub, "--agent", "cc", read],
    );
    assert_eq!(code, 1);
    assert_eq!(r["agent"], "cc");
    assert_eq!(outcome(&r, "contract.trust"), "fail");
    assert!(detail(&r, "contract.trust").contains("agent-x*"), "{r:#}");

    // An issuer the registry does not declare: untrusted, nothing fetched.
    let elsewhere = config("elsewhere.yaml", reg("https://issuer.example"));
    let (code, r) = verify_json(&s, "nothing", &["--config", &elsewhere, read]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["trust"]);
    assert!(
        explanation(&r).starts_with("untrusted issuer: "),
        "{}",
        explanation(&r)
    );
    assert!(explanation(&r).contains(&op.issuer));
    assert!(!s.path().join("nothing").exists(), "no key was fetched");
    // Explicit keys still work with such a registry; no agent matches, so no contract.
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", &elsewhere, read, "--issuer", &op.issuer],
    );
    assert_valid(code, &r);
    assert_eq!(outcome(&r, "contract"), "skip");

    // A scope outside may_request.
    let (code, r) = verify_json(&s, "cache", &["--config", &base, read_write]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["contract.scope"]);
    assert_eq!(
        detail(&r, "contract.scope"),
        "scope write exceeds may_request (read)"
    );

    // A lifetime over max_token_lifetime (the provider's tokens live 10 min).
    let short = config(
        "short.yaml",
        Reg {
            lifetime: "5m",
            ..reg(&op.issuer)
        },
    );
    let (code, r) = verify_json(&s, "cache", &["--config", &short, read]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["contract.lifetime"]);
    assert!(
        detail(&r, "contract.lifetime").starts_with("lifetime 10m exceeds 5m"),
        "{r:#}"
    );

    // Two agents whose trust matches: the contract is skipped, --agent picks one.
    let twin = format!(
        "  - name: cc-twin\n    owner: team-a\n    trust:\n      - issuer: {}\n        subject: \"agent-*\"\n",
        op.issuer
    );
    let twins = config(
        "twins.yaml",
        Reg {
            more: &twin,
            ..reg(&op.issuer)
        },
    );
    let (code, r) = verify_json(&s, "cache", &["--config", &twins, read]);
    assert_valid(code, &r);
    assert_eq!(outcome(&r, "contract"), "skip");
    assert!(detail(&r, "contract").contains("cc, cc-twin"), "{r:#}");
    assert!(r.get("agent").is_none(), "{r:#}");
    let (code, r) = verify_json(&s, "cache", &["--config", &twins, "--agent", "cc", read]);
    assert_valid(code, &r);
    assert_eq!(r["agent"], "cc");
    assert_eq!(outcome(&r, "contract.scope"), "pass");

    // --agent naming no agent: bad input.
    let (code, out, err) = verify(&s, "cache", &["--config", &base, "--agent", "nobody", read]);
    assert_eq!(code, 2, "{out}{err}");
    assert_one_line_error(&err, "--agent nobody: no such agent in the registry");
}

#[test]
fn delegation_chains_against_on_behalf_of_and_max_depth() {
    let op = shared();
    let s = Scratch::new();
    // agent-cc's token, exchanged with agent-pkjwt as the actor: act {sub: agent-pkjwt};
    // exchanged again with agent-cc's token as the actor: a chain two deep.
    let subject = op.token_client_credentials(Some("read"), None);
    let actor = op
        .token_request(
            Auth::Assertion(&op.client_assertion()),
            &[("grant_type", "client_credentials")],
        )
        .access_token();
    let one = op.token_exchange(&subject, Some(&actor)).access_token();
    assert_eq!(jwt_parts(&one).1["act"], json!({"sub": PKJWT_CLIENT}));
    let two = op.token_exchange(&one, Some(&subject)).access_token();
    assert_eq!(
        jwt_parts(&two).1["act"],
        json!({"sub": "agent-cc", "act": {"sub": PKJWT_CLIENT}})
    );
    // Signed by the provider's key with an actor no registry declares.
    let mallory = op.sign(
        None,
        json!({"sub": "agent-cc", "aud": RESOURCE, "scope": "read", "act": {"sub": "mallory"}}),
        json!({}),
    );
    let plain = s.write("plain.jwt", &subject);
    let one = s.write("one.jwt", &one);
    let two = s.write("two.jwt", &two);
    let mallory = s.write("mallory.jwt", &mallory);
    let (plain, one, two, mallory) = (
        path_str(&plain),
        path_str(&one),
        path_str(&two),
        path_str(&mallory),
    );
    let pkjwt_agent = format!(
        "  - name: {PKJWT_CLIENT}\n    owner: team-a\n    trust:\n      - issuer: {}\n        subject: {PKJWT_CLIENT}\n",
        op.issuer
    );
    let config = |name: &str, delegation: &str, more: &str| {
        let r = Reg {
            delegation,
            more,
            ..reg(&op.issuer)
        };
        path_str(&s.write(name, r.yaml())).to_owned()
    };
    let run_delegation = |config: &str, token: &str| -> (i32, Value) {
        verify_json(&s, "cache", &["--config", config, token])
    };

    // No delegation block, or on_behalf_of none: no act at all.
    for (name, delegation) in [("absent.yaml", ""), ("none.yaml", "{on_behalf_of: none}")] {
        let cfg = config(name, delegation, &pkjwt_agent);
        let (code, r) = run_delegation(&cfg, plain);
        assert_valid(code, &r);
        let (code, r) = run_delegation(&cfg, one);
        assert_eq!(code, 1, "{name}");
        assert_eq!(failed(&r), ["contract.delegation"], "{name}: {r:#}");
        assert!(
            detail(&r, "contract.delegation").contains("may not act on behalf of anyone"),
            "{r:#}"
        );
    }

    // users, depth 1: one actor yes, two no.
    let users1 = config("users1.yaml", "{on_behalf_of: users, max_depth: 1}", "");
    let (code, r) = run_delegation(&users1, one);
    assert_valid(code, &r);
    assert!(
        detail(&r, "contract.delegation").contains("(1 deep) allowed"),
        "{r:#}"
    );
    let (code, r) = run_delegation(&users1, two);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["contract.delegation"]);
    assert!(
        detail(&r, "contract.delegation").contains("is 2 deep; cc allows 1"),
        "{r:#}"
    );
    let users2 = config("users2.yaml", "{on_behalf_of: users, max_depth: 2}", "");
    let (code, r) = run_delegation(&users2, two);
    assert_valid(code, &r);

    // agents: every actor must be a declared agent.
    let agents = config(
        "agents.yaml",
        "{on_behalf_of: agents, max_depth: 2}",
        &pkjwt_agent,
    );
    for token in [one, two] {
        let (code, r) = run_delegation(&agents, token);
        assert_valid(code, &r);
    }
    let (code, r) = run_delegation(&agents, mallory);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["contract.delegation"]);
    assert!(
        detail(&r, "contract.delegation").contains("actor mallory"),
        "{r:#}"
    );
    let undeclared = config(
        "undeclared.yaml",
        "{on_behalf_of: agents, max_depth: 2}",
        "",
    );
    let (code, r) = run_delegation(&undeclared, one);
    assert_eq!(code, 1);
    assert!(
        detail(&r, "contract.delegation")
            .contains("is not a declared agent (on_behalf_of: agents)"),
        "{r:#}"
    );
}

/// Clock skew: --clock-skew, else the agent's thresholds, else the
/// registry's defaults, else 60 s.
#[test]
fn clock_skew_comes_from_the_flag_the_agent_or_the_registry_defaults() {
    let op = shared();
    let s = Scratch::new();
    let t = now_secs();
    // Expired five minutes ago (lifetime 10 min, within the contract).
    let late = op.sign(
        None,
        json!({"sub": "agent-cc", "aud": RESOURCE, "scope": "read", "iat": t - 900, "exp": t - 300}),
        json!({}),
    );
    let late = s.write("late.jwt", late);
    let late = path_str(&late);
    let base = reg(&op.issuer).yaml();
    let with_defaults = base.replacen(
        "version: 1\n",
        "version: 1\ndefaults:\n  clock_skew: 10m\n",
        1,
    );
    let with_agent = base.replacen(
        "    may_request:",
        "    thresholds: {clock_skew: 10m}\n    may_request:",
        1,
    );
    let configs = [
        ("base.yaml", base),
        ("defaults.yaml", with_defaults),
        ("agent.yaml", with_agent),
    ]
    .map(|(name, text)| path_str(&s.write(name, text)).to_owned());

    let (code, r) = verify_json(&s, "cache", &["--config", &configs[0], late]);
    assert_eq!(code, 1);
    assert_eq!(failed(&r), ["exp"]);
    assert_eq!(explanation(&r), "expired 5m ago");
    // defaults.clock_skew; an agent's thresholds.clock_skew when named with
    // --agent (and when matched automatically: the test below).
    let (code, r) = verify_json(&s, "cache", &["--config", &configs[1], late]);
    assert_valid(code, &r);
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", &configs[2], "--agent", "cc", late],
    );
    assert_valid(code, &r);
    // The flag beats the registry, both ways.
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", &configs[1], late, "--clock-skew", "1m"],
    );
    assert_eq!(code, 1);
    assert!(
        detail(&r, "exp").contains("beyond the 1m clock skew"),
        "{r:#}"
    );
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", &configs[0], late, "--clock-skew", "6m"],
    );
    assert_valid(code, &r);
}

/// The agent whose contract is checked because its trust matched (no
/// --agent) should lend its thresholds.clock_skew too: docs/token.md says
/// "--clock-skew, else the agent's thresholds.clock_skew, else
/// defaults.clock_skew", and that agent is the one the contract names.
/// src/commands/token/verify.rs `run` resolves the skew from `--agent` only,
/// before verifier.rs matches the agent.
#[test]
fn the_matched_agents_clock_skew_applies_without_agent_flag() {
    let op = shared();
    let s = Scratch::new();
    let t = now_secs();
    let late = op.sign(
        None,
        json!({"sub": "agent-cc", "aud": RESOURCE, "scope": "read", "iat": t - 900, "exp": t - 300}),
        json!({}),
    );
    let late = s.write("late.jwt", late);
    let config = reg(&op.issuer).yaml().replacen(
        "    may_request:",
        "    thresholds: {clock_skew: 10m}\n    may_request:",
        1,
    );
    let config = s.write("agent.yaml", config);
    let (code, r) = verify_json(
        &s,
        "cache",
        &["--config", path_str(&config), path_str(&late)],
    );
    assert_eq!(r["agent"], "cc", "{r:#}");
    assert_valid(code, &r);
}

// ---------------------------------------------------------------------------
// Batches

#[test]
fn batch_verifies_each_line_in_order() {
    let op = shared();
    let s = Scratch::new();
    let t = now_secs();
    let valid: Vec<String> = (0..50)
        .map(|i| {
            let resource = if i % 2 == 0 { None } else { Some(RESOURCE_RS) };
            op.token_client_credentials(Some("read"), resource)
        })
        .collect();
    let expired = op.sign(
        None,
        json!({"sub": "agent-cc", "aud": RESOURCE, "iat": t - 7200, "exp": t - 3600}),
        json!({}),
    );
    let genuine = &valid[0];
    let at = genuine.rfind('.').expect("sig") + 10;
    let flipped = if &genuine[at..=at] == "A" { "B" } else { "A" };
    let bad_sig = format!("{}{flipped}{}", &genuine[..at], &genuine[at + 1..]);
    let as_of = rfc3339(now_secs());

    // (text, expected: None = blank, Some(Ok(())) = valid, Some(Err(check)) = that check fails)
    let mut lines: Vec<(String, Option<Result<(), &str>>)> = Vec::new();
    for (i, tok) in valid.iter().enumerate() {
        match i {
            10 => lines.push((String::new(), None)),
            20 => lines.push(("   \t".into(), None)),
            30 => lines.push((expired.clone(), Some(Err("exp")))),
            40 => lines.push((bad_sig.clone(), Some(Err("signature")))),
            45 => lines.push(("this is not a token".into(), Some(Err("parse")))),
            _ => {}
        }
        // One with a Bearer prefix, as copied from a log.
        let text = if i == 5 {
            format!("Bearer {tok}")
        } else {
            tok.clone()
        };
        lines.push((text, Some(Ok(()))));
    }
    lines.push((String::new(), None));
    let text: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
    let file = s.write("tokens.txt", &text);
    let expected: Vec<(usize, Result<(), &str>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, (_, e))| e.map(|e| (i + 1, e)))
        .collect();
    assert_eq!(expected.len(), 53);

    let args = [
        "--batch",
        path_str(&file),
        "--issuer",
        &op.issuer,
        "--as-of",
        &as_of,
    ];
    let (code, out, err) = verify(&s, "cache", &args);
    assert_eq!(code, 1, "{err}");
    let results = json_lines(&out);
    assert_eq!(results.len(), expected.len(), "one JSON line per token");
    for (r, (line, want)) in results.iter().zip(&expected) {
        assert_eq!(r["line"], *line, "{r}");
        assert_eq!(r["source"], format!("line {line}"));
        match want {
            Ok(()) => {
                assert_eq!(r["valid"], true, "line {line}: {r}");
                assert!(failed(r).is_empty(), "{r}");
            }
            Err(name) => {
                assert_eq!(r["valid"], false, "line {line}: {r}");
                assert_eq!(failed(r)[0], *name, "line {line}: {r}");
            }
        }
    }
    let garbage = results
        .iter()
        .find(|r| failed(r) == ["parse"])
        .expect("the garbage line");
    assert!(
        explanation(garbage).starts_with("malformed token: not a JWT"),
        "{garbage}"
    );
    assert!(
        err.contains("verified 53 tokens: 50 valid, 3 invalid"),
        "summary on stderr: {err}"
    );

    // The same from stdin, byte for byte.
    let mut cmd = s.cmd();
    cmd.env("XDG_CACHE_HOME", s.path().join("cache"))
        .args(["token", "verify", "--batch", "-", "--issuer", &op.issuer])
        .args(["--as-of", &as_of])
        .write_stdin(text);
    let (code, stdin_out, stdin_err) = run(cmd);
    assert_eq!(code, 1, "{stdin_err}");
    // Same verdicts, line for line (the key origin differs: this run's keys
    // came from the cache the first run filled).
    assert_eq!(verdicts(&stdin_out), verdicts(&out));
    assert!(stdin_err.contains("verified 53 tokens: 50 valid, 3 invalid"));

    // All valid: exit 0. -q keeps stderr empty.
    let good: String = valid.iter().map(|t| format!("{t}\n")).collect();
    let good = s.write("good.txt", good);
    let (code, out, err) = verify(
        &s,
        "cache",
        &["--batch", path_str(&good), "--issuer", &op.issuer, "-q"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 50);
    assert!(err.is_empty(), "{err}");

    // Batches write JSON lines only.
    let (code, _, err) = verify(
        &s,
        "cache",
        &[
            "--batch",
            path_str(&good),
            "--issuer",
            &op.issuer,
            "-f",
            "yaml",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// With `--jwks FILE` (or `--key FILE`) a batch is read, verified and written
/// as one stream. Over several blocks of input: a first token far into the
/// file, lines that are too long or not UTF-8 (each an invalid result, the
/// batch goes on), CRLF, a last line without a newline; stdin, `-o FILE` and
/// the parse-everything-first path (`--issuer`) give the same results.
#[test]
fn a_streamed_batch_reports_corrupt_lines_and_matches_every_other_path() {
    let op = shared();
    let s = Scratch::new();
    let tokens: Vec<String> = (0..4)
        .map(|i| op.token_client_credentials(None, (i % 2 == 1).then_some(RESOURCE_RS)))
        .collect();
    let jwks = s.write("jwks.json", op.jwks().to_string());
    let as_of = rfc3339(now_secs());

    // (line text, expected failed check; None = valid, Some("") = blank)
    let mut lines: Vec<(Vec<u8>, Option<&str>)> = Vec::new();
    // ~400 KB before the first token: more than one block of input.
    lines.push((vec![b'x'; 200_000], Some("parse")));
    for i in 0..150 {
        lines.push((
            format!("not-a-token-{i}-{}", "y".repeat(1000)).into_bytes(),
            Some("parse"),
        ));
    }
    for i in 0..2000 {
        let tok = tokens[i % tokens.len()].as_bytes().to_vec();
        match i {
            700 => lines.push((b"\xff\xfe\xfd".to_vec(), Some("parse"))),
            900 => lines.push((vec![b'z'; 70_000], Some("parse"))),
            1100 => lines.push((b"  \t ".to_vec(), Some(""))),
            1300 => lines.push(([b"Bearer ".as_slice(), &tok].concat(), None)),
            // The scheme in any case, then any whitespace, as for one token.
            1400 => lines.push(([b"BEARER\t".as_slice(), &tok].concat(), None)),
            _ => {}
        }
        lines.push((tok, None));
    }
    let mut text = Vec::new();
    for (i, (line, _)) in lines.iter().enumerate() {
        text.extend_from_slice(line);
        if i + 1 < lines.len() {
            text.extend_from_slice(if i % 7 == 0 { b"\r\n" } else { b"\n" });
        }
    }
    assert!(text.len() > 1_000_000, "spans many blocks: {}", text.len());
    let file = s.write("tokens.txt", &text);
    let expected: Vec<(usize, Option<&str>)> = lines
        .iter()
        .enumerate()
        .filter(|(_, (_, want))| *want != Some(""))
        .map(|(i, (_, want))| (i + 1, *want))
        .collect();

    let args = [
        "--batch",
        path_str(&file),
        "--jwks",
        path_str(&jwks),
        "--as-of",
        &as_of,
    ];
    let (code, out, err) = verify(&s, "nocache", &args);
    assert_eq!(code, 1, "{err}");
    let results = json_lines(&out);
    assert_eq!(
        results.len(),
        expected.len(),
        "one JSON line per token line"
    );
    for (r, (line, want)) in results.iter().zip(&expected) {
        assert_eq!(r["line"], *line, "{r}");
        match want {
            None => assert_eq!(r["valid"], true, "line {line}: {r}"),
            Some(check) => {
                assert_eq!(r["valid"], false, "line {line}: {r}");
                assert_eq!(failed(r), [*check], "line {line}: {r}");
            }
        }
    }
    let why = |line: usize| {
        explanation(&results[expected.iter().position(|e| e.0 == line).expect("line")]).to_string()
    };
    assert_eq!(
        why(1),
        "malformed token: over 64 KiB, larger than any real token"
    );
    let utf8 = lines
        .iter()
        .position(|(l, _)| l.starts_with(b"\xff"))
        .expect("line")
        + 1;
    assert_eq!(why(utf8), "malformed token: not UTF-8 text");
    let invalid = expected.iter().filter(|e| e.1.is_some()).count();
    assert!(
        err.contains(&format!(
            "verified {} tokens: {} valid, {invalid} invalid",
            expected.len(),
            expected.len() - invalid
        )),
        "{err}"
    );

    // The same bytes from stdin, and into a file with -o.
    let mut cmd = s.cmd();
    cmd.env("XDG_CACHE_HOME", s.path().join("nocache"))
        .args([
            "token",
            "verify",
            "--batch",
            "-",
            "--jwks",
            path_str(&jwks),
            "--as-of",
            &as_of,
        ])
        .write_stdin(text.clone());
    let (code, stdin_out, stdin_err) = run(cmd);
    assert_eq!((code, stdin_out == out), (1, true), "{stdin_err}");
    let saved = s.path().join("results.jsonl");
    let mut with_o = args.to_vec();
    with_o.extend(["-o", path_str(&saved), "-q"]);
    let (code, o_out, o_err) = verify(&s, "nocache", &with_o);
    assert_eq!((code, o_out.as_str(), o_err.as_str()), (1, "", ""));
    assert_eq!(std::fs::read_to_string(&saved).expect("-o file"), out);

    // Keys by discovery: every line is parsed before any is verified. Same
    // verdicts (the key origin differs).
    let (code, issuer_out, _) = verify(
        &s,
        "cache",
        &[
            "--batch",
            path_str(&file),
            "--issuer",
            &op.issuer,
            "--as-of",
            &as_of,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(verdicts(&issuer_out), verdicts(&out));

    // The key file is loaded before the first line is read: a missing one is
    // bad input even for a batch that holds no token.
    let blank = s.write("blank.txt", "\n\n");
    let (code, out, err) = verify(
        &s,
        "nocache",
        &["--batch", path_str(&blank), "--key", "missing.pem"],
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert_one_line_error(&err, "missing.pem");

    // A directory is not a batch file.
    let (code, out, err) = verify(
        &s,
        "nocache",
        &["--batch", path_str(s.path()), "--jwks", path_str(&jwks)],
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert_one_line_error(&err, "is a directory");
}

/// `tail -f log | agentid token verify --batch - --jwks FILE`: each token's
/// result comes out while the input is still open.
#[test]
fn a_batch_from_a_live_pipe_answers_each_token_as_it_comes() {
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    let s = Scratch::new();
    let fixtures = common::repo().join("tests/fixtures/tokens");
    let token = std::fs::read_to_string(fixtures.join("github-actions.jwt")).expect("fixture");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("agentid"))
        .current_dir(s.path())
        .env_clear()
        .env("HOME", s.path())
        .args(["token", "verify", "--batch", "-", "--jwks"])
        .arg(fixtures.join("jwks.json"))
        .args(["--as-of", "2026-01-01T00:00:00Z", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start agentid");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.expect("stdout line")).is_err() {
                break;
            }
        }
    });
    for n in 1..=3 {
        let text = if n == 2 {
            "not a token".to_string()
        } else {
            token.trim().to_string()
        };
        stdin
            .write_all(format!("{text}\n").as_bytes())
            .expect("write a token");
        stdin.flush().expect("flush");
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("no result for line {n} while the pipe is open: {e}"));
        let r: Value = serde_json::from_str(&line).expect("JSON line");
        assert_eq!(r["line"], n, "{r}");
        assert_eq!(failed(&r).contains(&"parse"), n == 2, "{r}");
    }
    drop(stdin);
    let status = child.wait().expect("agentid exits");
    assert_eq!(status.code(), Some(1), "line 2 is invalid");
    assert!(
        rx.recv_timeout(Duration::from_secs(5)).is_err(),
        "nothing more"
    );
}

/// A batch whose input breaks part way (here a TCP connection on stdin reset
/// by its peer after 1.5 MB of tokens) exits 2 with the read error, and the
/// results already verified are abandoned: no `-o` file, no temp file.
#[test]
fn a_batch_cut_by_a_read_error_exits_2_and_leaves_no_output_file() {
    use std::os::fd::OwnedFd;
    use std::process::{Command, Stdio};

    let s = Scratch::new();
    let fixtures = common::repo().join("tests/fixtures/tokens");
    let token = std::fs::read_to_string(fixtures.join("github-actions.jwt")).expect("fixture");
    let lines = format!("{}\n", token.trim()).repeat(1000);

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut ours = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (mut peer, _) = listener.accept().expect("accept");
    let writer = std::thread::spawn(move || {
        peer.write_all(lines.as_bytes()).expect("send tokens");
        // Unread bytes in the peer's receive queue make its close a reset.
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(peer);
    });
    let stdin = OwnedFd::from(ours.try_clone().expect("dup"));
    ours.write_all(b"unread").expect("write to peer");

    let out_file = s.path().join("results.jsonl");
    let out = Command::new(assert_cmd::cargo::cargo_bin("agentid"))
        .current_dir(s.path())
        .env_clear()
        .env("HOME", s.path())
        .args(["token", "verify", "--batch", "-", "--jwks"])
        .arg(fixtures.join("jwks.json"))
        .args(["--as-of", "2026-01-01T00:00:00Z", "-o"])
        .arg(&out_file)
        .stdin(Stdio::from(stdin))
        .output()
        .expect("run agentid");
    writer.join().expect("writer");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert_one_line_error(&err, "cannot read batch file <stdin>: ");
    assert!(err.contains("reset"), "{err}");
    let left: Vec<_> = std::fs::read_dir(s.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(
        !left
            .iter()
            .any(|n| n.to_string_lossy().ends_with(".tmp") || *n == "results.jsonl"),
        "{left:?}"
    );
}

// ---------------------------------------------------------------------------
// Formats and exit codes

#[test]
fn yaml_and_table_output() {
    let op = shared();
    let s = Scratch::new();
    let token = s.write("t.jwt", op.token_client_credentials(None, None));
    let token = path_str(&token);

    let (code, out, err) = verify(&s, "cache", &[token, "--issuer", &op.issuer, "-f", "yaml"]);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_yaml::from_str(&out).expect("YAML");
    assert_eq!(r["kind"], "agentid.token.verify");
    assert_eq!(r["valid"], true);
    assert_eq!(outcome(&r, "signature"), "pass");

    let (code, out, err) = verify(&s, "cache", &[token, "--issuer", &op.issuer]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().next(), Some("VALID"), "{out}");
    assert!(out.contains("signature") && out.contains("pass"), "{out}");
    assert!(!out.contains("likely cause"), "{out}");

    let (code, out, err) = verify(
        &s,
        "cache",
        &[
            token,
            "--issuer",
            &op.issuer,
            "--audience",
            "urn:agentid:other",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("INVALID"), "{out}");
    assert_eq!(
        lines.next(),
        Some(
            format!("likely cause: wrong audience: expected urn:agentid:other, got {RESOURCE}")
                .as_str()
        ),
        "{out}"
    );
    assert!(out.contains("FAIL"), "{out}");
}

#[test]
fn bad_input_exits_2_and_unreachable_keys_exit_3() {
    let s = Scratch::new();
    let token = common::repo().join("tests/fixtures/tokens/github-actions.jwt");
    let token = path_str(&token);

    // No key flags and no registry.
    let (code, out, err) = verify(&s, "cache", &[token]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    assert_one_line_error(
        &err,
        "no keys to verify with: pass --jwks, --key or --issuer",
    );

    // Plain http to a host that is not loopback: refused before any request.
    let (code, _, err) = verify(&s, "cache", &[token, "--jwks", "http://example.com/jwks"]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "plain http");
    let (code, _, err) = verify(&s, "cache", &[token, "--issuer", "http://example.com"]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "http");

    // https to a loopback port where nothing listens: could not fetch keys.
    let (code, _, err) = verify(&s, "cache", &[token, "--jwks", "https://127.0.0.1:1/jwks"]);
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err, "cannot fetch the JWKS");
    let (code, _, err) = verify(&s, "cache", &[token, "--issuer", "https://127.0.0.1:1"]);
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err, "key not found at issuer");

    // Key files that cannot be read or parsed.
    let (code, _, err) = verify(&s, "cache", &[token, "--jwks", "missing.json"]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "missing.json");
    let junk = s.write("junk.json", "{\"keys\": 5}");
    let (code, _, err) = verify(&s, "cache", &[token, "--jwks", path_str(&junk)]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "junk.json");

    // --agent without a registry; a missing --config.
    let keys = common::repo().join("tests/fixtures/tokens/jwks.json");
    let (code, _, err) = verify(
        &s,
        "cache",
        &[token, "--jwks", path_str(&keys), "--agent", "cc"],
    );
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "--agent cc: no registry found");
    let (code, _, err) = verify(
        &s,
        "cache",
        &["--config", "nope.yaml", token, "--jwks", path_str(&keys)],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope.yaml"), "{err}");
    assert!(!s.path().join("cache").exists());
}

/// With --offline nothing is fetched, so an unknown kid must not be
/// explained as "not published … even after a fresh fetch" (a regression
/// test: `KeyBook::prepare` once marked the keys refetched although
/// `Resolver::refetch` had fetched nothing).
#[test]
fn offline_never_claims_a_fresh_fetch() {
    let op = shared();
    let s = Scratch::new();
    let good = s.write("good.jwt", op.token_client_credentials(None, None));
    let (code, _) = verify_json(&s, "cache", &[path_str(&good), "--issuer", &op.issuer]);
    assert_eq!(code, 0);
    // Signed by the provider's ES256 key under a kid it does not publish.
    let made_up = op.sign(None, json!({"sub": "agent-cc"}), json!({"kid": "made-up"}));
    let made_up = s.write("made-up.jwt", made_up);
    let later = rfc3339(now_secs() + 120);
    let (code, r) = verify_json(
        &s,
        "cache",
        &[
            path_str(&made_up),
            "--issuer",
            &op.issuer,
            "--offline",
            "--as-of",
            &later,
        ],
    );
    assert_eq!(code, 1);
    assert!(
        !detail(&r, "alg").contains("fetched again"),
        "--offline fetched nothing: {r:#}"
    );
    let why = explanation(&r);
    assert!(!why.contains("fresh fetch"), "{why}");
}

// ---------------------------------------------------------------------------
// An in-test HTTP stub in front of the provider's keys
//
// oidc-provider serves only OpenID discovery and sends no Cache-Control on
// its JWKS. To test the RFC 8414 fallback, Cache-Control handling, and how
// often keys are fetched, this stub (a std TcpListener on 127.0.0.1, plain
// http as agentid allows on loopback) serves routes the test sets, and counts
// every request. The keys it serves are the real provider's JWKS, and the
// tokens are signed by the provider ([`OidcProvider::sign`]).

#[derive(Clone)]
struct Route {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Clone)]
struct Stub {
    url: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    fn start() -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the stub");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let stub = Stub {
            url,
            routes: Arc::default(),
            hits: Arc::default(),
        };
        let server = stub.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let server = server.clone();
                std::thread::spawn(move || server.answer(conn));
            }
        });
        stub
    }

    fn route(&self, path: &str, status: u16, headers: &[(&str, &str)], body: String) {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.routes.lock().unwrap().insert(
            path.to_owned(),
            Route {
                status,
                headers,
                body,
            },
        );
    }

    fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }

    fn all_hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }

    /// One request per connection (`Connection: close`).
    fn answer(&self, mut conn: TcpStream) {
        let mut reader = BufReader::new(conn.try_clone().expect("clone"));
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) if line == "\r\n" || line == "\n" => break,
                Ok(_) => {}
            }
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_owned();
        self.hits.lock().unwrap().push(path.clone());
        let route = self.routes.lock().unwrap().get(&path).cloned();
        let route = route.unwrap_or(Route {
            status: 404,
            headers: Vec::new(),
            body: "{\"error\":\"not found\"}".into(),
        });
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
            route.status,
            route.body.len()
        );
        for (k, v) in &route.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(route.body.as_bytes());
    }
}

/// A token signed by the provider's ES256 key with `iss` = `issuer`.
fn token_for(op: &OidcProvider, issuer: &str, header: Value) -> String {
    op.sign(
        None,
        json!({"iss": issuer, "sub": "agent-cc", "aud": RESOURCE}),
        header,
    )
}

fn freshness_secs(entry: &Value) -> i64 {
    let at = |name: &str| -> i64 {
        entry[name]
            .as_str()
            .expect(name)
            .parse::<jiff::Timestamp>()
            .expect("timestamp")
            .as_second()
    };
    at("fresh_until") - at("fetched_at")
}

#[test]
fn discovery_falls_back_to_rfc8414_and_cache_control_sets_freshness() {
    let op = shared();
    let stub = Stub::start();
    let s = Scratch::new();
    // Only the RFC 8414 document; OpenID discovery answers 404.
    stub.route(
        "/.well-known/oauth-authorization-server",
        200,
        &[],
        json!({"issuer": stub.url, "jwks_uri": format!("{}/jwks", stub.url)}).to_string(),
    );
    let jwks = op.jwks().to_string();
    let jwks_uri = format!("{}/jwks", stub.url);
    let token = s.write("t.jwt", token_for(op, &stub.url, json!({})));
    let token = path_str(&token);

    // max-age within bounds is kept; below the floor it is 60 s; above the
    // ceiling one day; no-store means the floor.
    for (cache, cc, want) in [
        ("c1", "public, max-age=120", 120),
        ("c2", "max-age=5", 60),
        ("c3", "max-age=99999999", 86_400),
        ("c4", "no-store", 60),
    ] {
        stub.route("/jwks", 200, &[("cache-control", cc)], jwks.clone());
        let (code, r) = verify_json(&s, cache, &[token, "--issuer", &stub.url]);
        assert_valid(code, &r);
        assert_eq!(r["key"]["kid"], "as-es256");
        let entry = cache_entry(&s.path().join(cache), &jwks_uri).expect("cached");
        assert_eq!(freshness_secs(&entry), want, "Cache-Control: {cc}");
    }
    // OpenID first, then RFC 8414, then the JWKS: once per cache directory.
    assert_eq!(stub.hits("/.well-known/openid-configuration"), 4);
    assert_eq!(stub.hits("/.well-known/oauth-authorization-server"), 4);
    assert_eq!(stub.hits("/jwks"), 4);
    // A second run on a warm cache asks nothing.
    let before = stub.all_hits().len();
    let (code, _) = verify_json(&s, "c1", &[token, "--issuer", &stub.url]);
    assert_eq!(code, 0);
    assert_eq!(stub.all_hits().len(), before, "{:?}", stub.all_hits());

    // The cache directory is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.path().join("c1/agentid/jwks"))
            .expect("cache dir")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    // Once the entry is stale, a broken answer is an issuer failure (exit 3)
    // and leaves the cached JWKS as it was.
    let entry = cache_entry(&s.path().join("c1"), &jwks_uri).expect("cached");
    let stale: jiff::Timestamp = entry["fresh_until"]
        .as_str()
        .expect("fresh_until")
        .parse()
        .expect("timestamp");
    stub.route("/jwks", 200, &[], "<html>maintenance</html>".into());
    let (code, out, err) = verify(
        &s,
        "c1",
        &[
            token,
            "--issuer",
            &stub.url,
            "--as-of",
            &rfc3339(stale.as_second() + 1),
        ],
    );
    assert_eq!(code, 3, "{out}{err}");
    assert_one_line_error(&err, "bad JWKS");
    assert_eq!(
        cache_entry(&s.path().join("c1"), &jwks_uri).expect("still cached"),
        entry
    );
    stub.route("/jwks", 200, &[], jwks.clone());

    // AGENTID_CACHE_DIR replaces $XDG_CACHE_HOME/agentid.
    let mut cmd = s.cmd();
    cmd.env("AGENTID_CACHE_DIR", s.path().join("own-cache"))
        .env("XDG_CACHE_HOME", s.path().join("xdg"))
        .args([
            "token", "verify", token, "--issuer", &stub.url, "-f", "json",
        ]);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(cache_entry_in(&s.path().join("own-cache/jwks"), &jwks_uri).is_some());
    assert!(!s.path().join("xdg").exists());

    // Metadata naming another issuer is refused (OIDC Discovery 4.3): no keys.
    stub.route(
        "/.well-known/oauth-authorization-server",
        200,
        &[],
        json!({"issuer": "https://evil.example", "jwks_uri": jwks_uri}).to_string(),
    );
    let (code, out, err) = verify(&s, "c5", &[token, "--issuer", &stub.url]);
    assert_eq!(code, 3, "{out}{err}");
    assert_one_line_error(&err, "names issuer \"https://evil.example\"");
}

#[test]
fn a_batch_fetches_keys_once_and_unknown_kids_refetch_at_most_once() {
    let op = shared();
    let stub = Stub::start();
    let s = Scratch::new();
    stub.route("/jwks", 200, &[], op.jwks().to_string());
    let jwks_uri = format!("{}/jwks", stub.url);
    let mut text = String::new();
    for i in 0..40 {
        // Half name the published kid, half a kid nobody publishes.
        let header = if i % 2 == 0 {
            json!({})
        } else {
            json!({ "kid": format!("made-up-{i}") })
        };
        text.push_str(&token_for(op, &op.issuer, header));
        text.push('\n');
    }
    let file = s.write("tokens.txt", text);
    let t0 = now_secs();
    let run_batch = |offset: i64| {
        let (code, out, err) = verify(
            &s,
            "cache",
            &[
                "--batch",
                path_str(&file),
                "--jwks",
                &jwks_uri,
                "--as-of",
                &rfc3339(t0 + offset),
            ],
        );
        assert_eq!(code, 1, "{err}");
        let results: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(results.len(), 40);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r["valid"], i % 2 == 0, "{r}");
        }
        assert!(err.contains("20 valid, 20 invalid"), "{err}");
    };

    // First run: one fetch; the unknown kids cannot refetch (it was just fetched).
    run_batch(0);
    assert_eq!(stub.hits("/jwks"), 1, "{:?}", stub.all_hits());
    // A minute later the cache is still fresh (15 min default): the known kid
    // needs no request, and 20 unknown kids cause one refetch between them.
    run_batch(60);
    assert_eq!(stub.hits("/jwks"), 2, "{:?}", stub.all_hits());
    // Ten seconds after that refetch, the rate limit holds.
    run_batch(70);
    assert_eq!(stub.hits("/jwks"), 2, "{:?}", stub.all_hits());
}
