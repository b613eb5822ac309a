//! `agentid token decode`: every issuer flavour from fixtures signed with real
//! keys (tests/fixtures/tokens/make.sh), the table view, the input paths
//! (file, stdin, --env, Bearer) and every bad-input path with exit 2 and its
//! one-line message.

mod common;

use agentid::token::decode::{DECODE_KIND, DecodedToken};
use agentid::token::jwt::base64url;
use common::{AS_OF, Scratch, repo, run};

fn fixture(name: &str) -> String {
    let p = repo().join("tests/fixtures/tokens").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Decodes a fixture file to the JSON report, judged as of AS_OF.
fn decode_json(s: &Scratch, name: &str) -> DecodedToken {
    s.write(name, fixture(name));
    let mut c = s.cmd();
    c.args(["token", "decode", name, "--as-of", AS_OF, "-f", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{name}: {err}");
    assert!(
        err.is_empty(),
        "json output warns in the document, not on stderr: {err}"
    );
    // Strict: an unknown or missing field fails here.
    let d: DecodedToken = serde_json::from_str(&out).expect("the decode document");
    assert_eq!((d.schema_version, d.kind.as_str()), (1, DECODE_KIND));
    assert!(!d.signature_verified);
    d
}

fn flavour<'a>(d: &'a DecodedToken, id: &str) -> &'a agentid::token::flavour::Flavour {
    assert_eq!(d.flavours.len(), 1, "{:?}", d.flavours);
    assert_eq!(d.flavours[0].id, id);
    &d.flavours[0]
}

fn fact<'a>(f: &'a agentid::token::flavour::Flavour, claim: &str) -> &'a str {
    &f.facts
        .iter()
        .find(|x| x.claim == claim)
        .unwrap_or_else(|| panic!("no fact {claim} in {:?}", f.facts))
        .value
}

#[test]
fn github_actions() {
    let d = decode_json(&Scratch::new(), "github-actions.jwt");
    assert_eq!(d.header["alg"], "RS256");
    assert_eq!(d.signature_bytes, 256);
    assert_eq!(d.audiences, vec!["https://github.com/acme"]);
    let f = flavour(&d, "github_actions");
    assert_eq!(fact(f, "repository"), "acme/agents");
    assert_eq!(fact(f, "ref"), "refs/heads/main");
    assert_eq!(fact(f, "environment"), "production");
    assert_eq!(fact(f, "runner_environment"), "github-hosted");
    assert_eq!(
        fact(f, "job_workflow_ref"),
        "acme/platform/.github/workflows/federate.yml@refs/tags/v2"
    );
    assert!(f.notes.iter().any(|n| n.contains("reusable workflow")));
    let t = &d.times;
    assert_eq!(t.exp.as_ref().unwrap().relative, "expires in 3m");
    assert_eq!(
        t.iat.as_ref().unwrap().at.to_string(),
        "2026-10-31T23:58:00Z"
    );
    assert_eq!(t.nbf.as_ref().unwrap().relative, "valid since 2m ago");
    assert_eq!(d.lifetime.seconds, Some(300));
    assert_eq!(d.lifetime.exceeds_max, Some(false));
    assert_eq!(d.lifetime.max_from, "built-in default");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn kubernetes_projected() {
    let d = decode_json(&Scratch::new(), "kubernetes.jwt");
    let f = flavour(&d, "kubernetes");
    assert_eq!(
        f.summary,
        "service account agents/planner in pod planner-6f7c9d-x2k4q"
    );
    assert_eq!(fact(f, "kubernetes.io.namespace"), "agents");
    assert_eq!(fact(f, "kubernetes.io.serviceaccount.name"), "planner");
    assert_eq!(fact(f, "kubernetes.io.pod.name"), "planner-6f7c9d-x2k4q");
    assert_eq!(fact(f, "kubernetes.io.node.name"), "node-a1");
    // The API server extended exp to a year for old clients: longer than 1h.
    assert!(
        f.notes.iter().any(|n| n.contains("extended")),
        "{:?}",
        f.notes
    );
    assert_eq!(d.lifetime.exceeds_max, Some(true));
    assert_eq!(d.lifetime.human.as_deref(), Some("1y"));
}

#[test]
fn gcp() {
    let d = decode_json(&Scratch::new(), "gcp.jwt");
    let f = flavour(&d, "gcp");
    assert_eq!(
        fact(f, "email"),
        "planner@acme-agents.iam.gserviceaccount.com"
    );
    assert_eq!(fact(f, "google.compute_engine.project_id"), "acme-agents");
    assert_eq!(fact(f, "google.compute_engine.zone"), "europe-west1-b");
    assert!(f.notes.iter().any(|n| n.contains("service account")));
    // Exactly the maximum is within it.
    assert_eq!(
        (d.lifetime.seconds, d.lifetime.exceeds_max),
        (Some(3600), Some(false))
    );
}

#[test]
fn entra_managed_identity() {
    let d = decode_json(&Scratch::new(), "entra.jwt");
    let f = flavour(&d, "entra");
    assert!(f.name.contains("v1.0"));
    assert_eq!(fact(f, "tid"), "11111111-2222-4333-8444-555555555555");
    assert_eq!(fact(f, "appid"), "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    assert!(fact(f, "xms_mirid").ends_with("userAssignedIdentities/planner"));
    assert!(f.notes.iter().any(|n| n.contains("managed identity")));
    assert_eq!(d.lifetime.exceeds_max, Some(true), "a 24h token");
}

#[test]
fn spiffe_jwt_svid() {
    let d = decode_json(&Scratch::new(), "spiffe.jwt");
    assert_eq!(d.header["alg"], "ES256");
    assert_eq!(d.signature_bytes, 64);
    let f = flavour(&d, "spiffe");
    assert_eq!(fact(f, "sub (trust domain)"), "prod.acme.example");
    assert_eq!(fact(f, "sub (path)"), "/ns/agents/sa/planner");
    assert!(
        f.notes.is_empty(),
        "iss, iat, aud and exp are all there: {:?}",
        f.notes
    );
}

#[test]
fn delegated_two_levels() {
    let d = decode_json(&Scratch::new(), "delegated.jwt");
    let del = d.delegation.as_ref().expect("an act chain");
    assert_eq!(del.depth, 2);
    assert_eq!(del.subject.as_deref(), Some("user:alice@acme.example"));
    assert_eq!(
        del.actors[0].sub.as_deref(),
        Some("agent-reviewer"),
        "outermost act = current actor"
    );
    assert_eq!(del.actors[1].sub.as_deref(), Some("agent-planner"));
    assert_eq!(
        del.actors[0].iss.as_deref(),
        Some("https://sts.acme.example")
    );
    assert_eq!(
        del.path,
        "user:alice@acme.example → agent-planner → agent-reviewer"
    );
    assert_eq!(
        d.may_act.as_ref().and_then(|a| a.sub.as_deref()),
        Some("agent-notifier")
    );
    assert_eq!(d.scopes.values, vec!["tickets:read", "tickets:comment"]);
    assert_eq!(d.scopes.claims, vec!["scope"]);
    assert!(d.flavours.is_empty());
}

#[test]
fn cnf_bound() {
    let d = decode_json(&Scratch::new(), "cnf-bound.jwt");
    assert_eq!(d.cnf.len(), 1);
    assert_eq!(d.cnf[0].method, "jkt");
    assert!(d.cnf[0].meaning.contains("DPoP"));
    // The thumbprint make.sh computed is the RFC 7638 thumbprint of the key in jwks.json.
    assert_eq!(d.cnf[0].value.len(), 43);
    assert_eq!(d.scopes.values, vec!["deploy:read", "deploy:write"]);
    assert_eq!(d.scopes.claims, vec!["scp"]);
    assert_eq!(d.header["typ"], "at+jwt");
}

#[test]
fn table_view_of_a_delegated_token() {
    let s = Scratch::new();
    s.write("delegated.jwt", fixture("delegated.jwt"));
    let mut c = s.cmd();
    c.args(["token", "decode", "delegated.jwt", "--as-of", AS_OF]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("delegated_table", out);
    assert_eq!(
        err,
        "warning: the signature was NOT verified: this shows what the token claims, not that it is genuine\n"
    );
}

#[test]
fn table_view_of_a_github_actions_token() {
    let s = Scratch::new();
    s.write("gh.jwt", fixture("github-actions.jwt"));
    let mut c = s.cmd();
    c.args(["token", "decode", "gh.jwt", "--as-of", AS_OF]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("github_actions_table", out);
}

#[test]
fn the_unverified_warning_survives_quiet_but_not_json() {
    let s = Scratch::new();
    s.write("t.jwt", fixture("spiffe.jwt"));
    let mut c = s.cmd();
    c.args(["-q", "token", "decode", "t.jwt"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0);
    assert!(err.contains("signature was NOT verified"), "{err}");
    assert!(
        out.contains("signature NOT verified"),
        "the table says it too"
    );
    for format in ["json", "yaml"] {
        let mut c = s.cmd();
        c.args(["token", "decode", "t.jwt", "-f", format]);
        let (code, out, err) = run(c);
        assert_eq!((code, err.as_str()), (0, ""), "{format}");
        assert!(out.contains("signature_verified"), "{format}: {out}");
    }
    let mut c = s.cmd();
    c.args(["token", "decode", "t.jwt", "-f", "yaml"]);
    let (_, out, _) = run(c);
    assert!(
        out.starts_with("schema_version: 1\nkind: agentid.token.decode\n"),
        "{out}"
    );
    assert!(out.contains("signature_verified: false"));
}

#[test]
fn reads_stdin_env_and_bearer() {
    let s = Scratch::new();
    let token = fixture("spiffe.jwt");
    let mut c = s.cmd();
    c.args(["token", "decode", "-", "-f", "json"])
        .write_stdin(format!("Bearer {}", token.trim()));
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let d: DecodedToken = serde_json::from_str(&out).unwrap();
    assert_eq!(d.source, "<stdin>");
    assert_eq!(d.flavours[0].id, "spiffe");

    let mut c = s.cmd();
    c.args(["token", "decode", "--env", "AGENT_TOKEN", "-f", "json"])
        .env("AGENT_TOKEN", format!("  bearer {token}\n"));
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let d: DecodedToken = serde_json::from_str(&out).unwrap();
    assert_eq!(d.source, "$AGENT_TOKEN");

    // A file with surrounding whitespace and a BEARER prefix.
    s.write("t.txt", format!("\n\nBEARER {token}\n\n"));
    let mut c = s.cmd();
    c.args(["token", "decode", "t.txt", "-f", "json"]);
    assert_eq!(run(c).0, 0);
}

#[test]
fn max_lifetime_from_flag_registry_or_built_in() {
    let s = Scratch::new();
    s.write("t.jwt", fixture("github-actions.jwt")); // lives 5m
    let lifetime = |s: &Scratch, extra: &[&str]| {
        let mut c = s.cmd();
        c.args(["token", "decode", "t.jwt", "-f", "json"])
            .args(extra);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<DecodedToken>(&out).unwrap().lifetime
    };
    let l = lifetime(&s, &["--max-lifetime", "2m"]);
    assert_eq!((l.max_seconds, l.exceeds_max), (120, Some(true)));
    assert_eq!(l.max_from, "--max-lifetime");
    s.write(
        "agentid.yaml",
        "version: 1\ndefaults:\n  max_token_lifetime: 4m\n",
    );
    let l = lifetime(&s, &[]);
    assert_eq!((l.max_seconds, l.exceeds_max), (240, Some(true)));
    assert!(l.max_from.contains("agentid.yaml"), "{}", l.max_from);
    // The flag wins over the registry.
    assert_eq!(
        lifetime(&s, &["--max-lifetime", "1h"]).exceeds_max,
        Some(false)
    );
    // A registry without the setting: the built-in 1h.
    s.write("agentid.yaml", "version: 1\n");
    let l = lifetime(&s, &[]);
    assert_eq!(
        (l.max_seconds, l.max_from.as_str()),
        (3600, "built-in default")
    );
}

#[test]
fn output_file() {
    let s = Scratch::new();
    s.write("t.jwt", fixture("gcp.jwt"));
    let mut c = s.cmd();
    c.args(["token", "decode", "t.jwt", "-f", "json", "-o", "out.json"]);
    let (code, out, _) = run(c);
    assert_eq!((code, out.as_str()), (0, ""));
    let text = std::fs::read_to_string(s.path().join("out.json")).unwrap();
    serde_json::from_str::<DecodedToken>(&text).unwrap();
}

// ---- bad input: exit 2, one line naming what is wrong ----

fn b64(s: &str) -> String {
    base64url::encode(s.as_bytes())
}

const HEADER: &str = r#"{"alg":"ES256","typ":"JWT"}"#;
const PAYLOAD: &str = r#"{"sub":"agent","exp":1793491380}"#;

fn token(header: &str, payload: &str) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64("signature"))
}

/// Runs `token decode` on `content` in a file and returns (code, stderr).
fn decode_file(s: &Scratch, content: &[u8]) -> (i32, String) {
    let p = s.write("bad.jwt", content);
    let mut c = s.cmd();
    c.args(["token", "decode"]).arg(p.file_name().unwrap());
    let (code, out, err) = run(c);
    assert!(out.is_empty(), "no partial output: {out}");
    (code, err)
}

fn assert_one_error_line(err: &str, expect: &[&str]) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    for e in expect {
        assert!(lines[0].contains(e), "{e:?} in {err}");
    }
}

#[test]
fn bad_tokens_exit_2_with_the_part_at_fault() {
    let s = Scratch::new();
    let h = b64(HEADER);
    let p = b64(PAYLOAD);
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "JWE",
            format!("{h}.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dA.dGFn"),
            vec!["bad.jwt: a JWE (5 parts)", "encrypted", "private key"],
        ),
        (
            "opaque",
            "sk-ant-oat01-abcdefghijklmnopqrstuvwxyz0123456789".into(),
            vec!["bad.jwt: not a JWT: 1 dot-separated part", "opaque"],
        ),
        (
            "two parts",
            format!("{h}.{p}"),
            vec!["not a JWT: 2 dot-separated parts"],
        ),
        (
            "padding",
            format!("{h}=.{p}.c2ln"),
            vec!["bad.jwt: header: bad base64url", "padding"],
        ),
        (
            "standard base64",
            format!("{h}.{p}.c2ln+/"),
            vec!["signature: bad base64url", "not base64url"],
        ),
        (
            "non-canonical",
            format!("{h}.{p}.c2lnbx"),
            vec!["signature: bad base64url: non-canonical"],
        ),
        (
            "header not JSON",
            token("alg: ES256", PAYLOAD),
            vec!["bad.jwt: header: not JSON"],
        ),
        (
            "payload not JSON",
            token(HEADER, "sub=agent"),
            vec!["bad.jwt: payload: not JSON"],
        ),
        (
            "payload not an object",
            token(HEADER, r#"["sub"]"#),
            vec!["payload: a JSON array, where a JSON object is required"],
        ),
        (
            "duplicate claim",
            token(HEADER, r#"{"sub":"agent","sub":"admin"}"#),
            vec!["bad.jwt: payload: duplicate key \"sub\" at sub"],
        ),
        (
            "duplicate nested claim",
            token(HEADER, r#"{"act":{"sub":"a","act":{"sub":"b","sub":"c"}}}"#),
            vec!["payload: duplicate key \"sub\" at act.act.sub"],
        ),
        (
            "duplicate header",
            token(r#"{"alg":"ES256","alg":"none"}"#, PAYLOAD),
            vec!["header: duplicate key \"alg\""],
        ),
        (
            "trailing data",
            token(HEADER, r#"{"sub":"agent"}{"sub":"admin"}"#),
            vec!["payload: not JSON", "trailing"],
        ),
        (
            "empty payload",
            format!("{h}..c2ln"),
            vec!["bad.jwt: payload: empty"],
        ),
        (
            "unsigned",
            format!("{}.{p}.", b64(r#"{"alg":"none"}"#)),
            vec!["signature: empty", "unsigned"],
        ),
        (
            "no alg",
            token(r#"{"typ":"JWT"}"#, PAYLOAD),
            vec!["header: no \"alg\""],
        ),
    ];
    for (name, content, expect) in cases {
        let (code, err) = decode_file(&s, content.as_bytes());
        assert_eq!(code, 2, "{name}: {err}");
        assert_one_error_line(&err, &expect);
    }
}

#[test]
fn bad_input_sources_exit_2() {
    let s = Scratch::new();
    // Empty, whitespace only, a lone Bearer.
    for content in ["", " \n\t\n", "Bearer \n"] {
        let (code, err) = decode_file(&s, content.as_bytes());
        assert_eq!(code, 2, "{content:?}");
        assert_one_error_line(&err, &["bad.jwt: empty: no token"]);
    }
    // Over 64 KiB.
    let big = token(HEADER, &format!(r#"{{"pad":"{}"}}"#, "x".repeat(70_000)));
    let (code, err) = decode_file(&s, big.as_bytes());
    assert_eq!(code, 2);
    assert_one_error_line(&err, &["bad.jwt: over 64 KiB"]);
    // Not UTF-8.
    let (code, err) = decode_file(&s, &[0xff, 0xfe, 0x00]);
    assert_eq!(code, 2);
    assert_one_error_line(&err, &["bad.jwt: not UTF-8"]);

    // (name, arguments, environment, expected in the message)
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "missing file",
            vec!["missing.jwt"],
            vec![],
            vec!["cannot read token file missing.jwt", "No such file"],
        ),
        (
            "missing env var",
            vec!["--env", "AGENT_TOKEN"],
            vec![],
            vec!["environment variable AGENT_TOKEN is not set"],
        ),
        (
            "empty env var",
            vec!["--env", "AGENT_TOKEN"],
            vec![("AGENT_TOKEN", "")],
            vec!["$AGENT_TOKEN: empty: no token"],
        ),
        (
            "directory",
            vec!["."],
            vec![],
            vec!["cannot read token file .", "directory"],
        ),
    ];
    for (name, args, env, expect) in cases {
        let mut c = s.cmd();
        c.args(["token", "decode"]).args(&args);
        for (k, v) in env {
            c.env(k, v);
        }
        let (code, out, err) = run(c);
        assert_eq!((code, out.as_str()), (2, ""), "{name}: {err}");
        assert_one_error_line(&err, &expect);
    }

    // Over 64 KiB on stdin and in an environment variable too.
    let mut c = s.cmd();
    c.args(["token", "decode", "-"]).write_stdin(big.clone());
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert_one_error_line(&err, &["<stdin>: over 64 KiB"]);
    let mut c = s.cmd();
    c.args(["token", "decode", "--env", "BIG"]).env("BIG", &big);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert_one_error_line(&err, &["$BIG: over 64 KiB"]);
}

#[test]
fn a_token_on_the_command_line_is_refused_and_not_echoed() {
    let s = Scratch::new();
    let jwt = fixture("spiffe.jwt").trim().to_string();
    let secret_part = &jwt[20..];
    for args in [
        vec![jwt.clone()],
        vec![format!("Bearer {jwt}")],
        vec!["--env".to_string(), jwt.clone()],
        vec!["ghp_0123456789abcdefghijklmnopqrstuvwxyz".to_string()],
    ] {
        let mut c = s.cmd();
        c.args(["token", "decode"]).args(&args);
        let (code, out, err) = run(c);
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        assert_one_error_line(
            &err,
            &[
                "not accepted on the command line",
                "`ps`",
                "--env VAR",
                "redacted",
            ],
        );
        assert!(!err.contains(secret_part), "the token is echoed: {err}");
        assert!(
            !err.contains("0123456789abcdef"),
            "the token is echoed: {err}"
        );
    }
}

#[test]
fn no_token_or_two_sources_are_usage_errors() {
    let s = Scratch::new();
    for args in [vec![], vec!["t.jwt", "--env", "X"]] {
        let mut c = s.cmd();
        c.args(["token", "decode"]).args(&args);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    let mut c = s.cmd();
    c.args(["token", "decode", "-f", "csv", "x.jwt"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("format csv is not available for token decode"),
        "{err}"
    );
}

/// A token pasted as an extra argument is refused without being echoed
/// (clap's own "unexpected argument" error would print it whole).
#[test]
fn a_token_as_an_extra_argument_is_refused_redacted() {
    let s = Scratch::new();
    let token = fixture("github-actions.jwt");
    let file = s.write("t.jwt", &token);
    for sub in ["decode", "verify"] {
        let mut c = s.cmd();
        c.args(["token", sub, file.to_str().expect("utf8"), token.trim()]);
        let (code, out, err) = run(c);
        assert_eq!(code, 2, "{sub}: {err}");
        assert_eq!(out, "");
        assert!(
            err.contains("tokens are not accepted on the command line"),
            "{err}"
        );
        assert!(!err.contains(token.trim()), "{sub} echoed the token: {err}");
        // Not even the signature part.
        let sig = token.trim().rsplit('.').next().expect("sig");
        assert!(!err.contains(sig), "{err}");
    }
}
