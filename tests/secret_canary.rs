//! The secret canary (issue 10, point 3): distinctive secrets are planted in
//! every input agentid reads, every command runs at `-vv` in every format it
//! accepts, and no planted secret may appear in stdout, stderr, any file the
//! run wrote (the scratch directory is walked after every run: reports,
//! caches, the rotate-keys journal and state) — except the credential the
//! user asked for (`exchange -f raw|env|credential-process`, `--reveal`,
//! `-o` token files), where the test asserts it DOES appear.
//!
//! The canary: one random tag per run, `CANARY` + 24 hex digits (a UUID v4
//! without dashes, so it fits every key alphabet), embedded in each planted
//! secret after its provider prefix (a redacted prefix never reaches it).
//! What counts as a leak of a secret `s` (see [`needles`]):
//! - `s` itself;
//! - `s` in base64 (standard and URL-safe), at each of the three byte
//!   alignments, so `s` inside a larger encoded blob (`Basic base64(id:s)`)
//!   is caught too;
//! - `s` percent-encoded (an URL or a form body);
//! - the bare tag, for secrets that carry it: a partial print that still
//!   holds the random part (a JWT signature shown alone) is a leak too.
//!
//! Rows are a table ([`rows`]): one row is one command line with its inputs;
//! formats are found by running the row in each of the ten `--format`s and
//! keeping those the command accepts (a refused format exits 2 with "format X
//! is not available"), so a new format is covered without editing the test.
//! Each accepted format runs twice: to stdout, and with `-o FILE`.
//!
//! Servers: the in-process stub of tests/common/stub.rs (no emulator exists
//! for Anthropic, OpenAI, Entra, Google STS; the AWS STS answers are the
//! documented XML) in two moods — granting, and refusing with an error body
//! that quotes the caller's secret back — and moto for the AWS inventory.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;

use common::gitrepo::git_at;
use common::moto::Moto;
use common::stub::Stub;
use common::{Scratch, run};

/// `default` runs without `--format`.
const FORMATS: [&str; 11] = [
    "default",
    "table",
    "json",
    "yaml",
    "csv",
    "jsonl",
    "sarif",
    "raw",
    "env",
    "credential-process",
    "html",
];

/// Random bytes from the kernel, as hex.
fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .expect("/dev/urandom");
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Random letters and digits (entropy for key bodies).
fn random_alnum(n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut b = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .expect("/dev/urandom");
    b.iter().map(|x| A[*x as usize % A.len()] as char).collect()
}

fn b64url(v: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// Every planted secret, by name. Most carry the canary tag; rule examples
/// and generated keys do not (they are found by their whole value).
struct Canary {
    tag: String,
    secrets: BTreeMap<String, String>,
}

impl Canary {
    fn new() -> Canary {
        let tag = format!("CANARY{}", random_hex(12));
        let mut c = Canary {
            tag: tag.clone(),
            secrets: BTreeMap::new(),
        };
        let exp = jiff::Timestamp::now().as_second() + 3600;
        // The signature part: the tag, then random base64url, 344 characters
        // in all (a multiple of 4: canonical base64url, 258 bytes).
        let jwt = |sub: &str| {
            format!(
                "{}.{}.{}{}",
                b64url(&json!({"alg": "RS256", "kid": "k1", "typ": "JWT"})),
                b64url(&json!({"iss": "http://127.0.0.1:9", "sub": sub,
                    "aud": ["https://api.anthropic.com", "api://AzureADTokenExchange", "sts.amazonaws.com"],
                    "iat": exp - 3600, "exp": exp})),
                tag,
                random_alnum(344 - tag.len())
            )
        };
        let add = |c: &mut Canary, name: &str, v: String| {
            c.secrets.insert(name.into(), v);
        };
        add(
            &mut c,
            "anthropic-admin-key",
            format!("sk-ant-admin01-{tag}{}AA", random_alnum(64)),
        );
        add(
            &mut c,
            "anthropic-oauth-admin-token",
            format!("sk-ant-oat01-{tag}{}AA", random_alnum(60)),
        );
        add(
            &mut c,
            "openai-admin-key",
            format!("sk-admin-{tag}{}", random_alnum(60)),
        );
        add(
            &mut c,
            "client-secret",
            format!("Qx8~{tag}{}", random_alnum(12)),
        );
        // An AWS secret access key is 40 characters of base64.
        add(
            &mut c,
            "aws-secret-access-key",
            format!("{tag}{}", random_alnum(40 - tag.len())),
        );
        add(
            &mut c,
            "aws-session-token",
            format!("IQoJb3JpZ2luX2Vj{tag}{}", random_alnum(80)),
        );
        add(
            &mut c,
            "subject-token",
            jwt("repo:acme/app:ref:refs/heads/main"),
        );
        add(&mut c, "actor-token", jwt("actor"));
        add(
            &mut c,
            "federated-token",
            jwt("system:serviceaccount:ns:sa"),
        );
        // What providers hand back (granting stub).
        add(
            &mut c,
            "issued-oauth",
            format!("at-{tag}{}", random_alnum(40)),
        );
        add(
            &mut c,
            "issued-anthropic",
            format!("sk-ant-oat01-{tag}{}", random_alnum(50)),
        );
        add(&mut c, "issued-entra", jwt("entra-app"));
        add(
            &mut c,
            "issued-gcp-sts",
            format!("ya29.sts-{tag}{}", random_alnum(40)),
        );
        add(
            &mut c,
            "issued-gcp-sa",
            format!("ya29.sa-{tag}{}", random_alnum(40)),
        );
        add(
            &mut c,
            "issued-aws-secret",
            format!("{tag}{}", random_alnum(40 - tag.len())),
        );
        add(
            &mut c,
            "issued-aws-session",
            format!("FwoGZXIvYXdz{tag}{}", random_alnum(80)),
        );
        add(&mut c, "graph-token", jwt("graph"));
        add(
            &mut c,
            "incident-key",
            format!("ghp_{tag}{}", random_alnum(12)),
        );
        c
    }

    fn get(&self, name: &str) -> &str {
        self.secrets
            .get(name)
            .unwrap_or_else(|| panic!("no secret {name}"))
    }

    /// A secret that does not carry the tag (found by its whole value only).
    fn add_untagged(&mut self, name: String, value: String) {
        self.secrets.insert(name, value);
    }
}

/// Every form of `secret` whose presence is a leak.
fn needles(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    let b = secret.as_bytes();
    for k in 0..3.min(b.len()) {
        let body = &b[k..];
        let whole = body.len() / 3 * 3;
        if whole >= 12 {
            out.push(STANDARD.encode(&body[..whole]));
            out.push(URL_SAFE_NO_PAD.encode(&body[..whole]));
        }
    }
    // Percent-encoded as RFC 3986 (`~` kept) and as a form body (`~` escaped).
    for keep in [&b"-._~"[..], &b"-._"[..]] {
        let pct: String = secret
            .bytes()
            .map(|c| {
                if c.is_ascii_alphanumeric() || keep.contains(&c) {
                    (c as char).to_string()
                } else {
                    format!("%{c:02X}")
                }
            })
            .collect();
        out.push(pct);
    }
    out.sort();
    out.dedup();
    out
}

/// Where a leak was found.
fn find_leak(c: &Canary, text: &str, allowed: &[&str]) -> Option<String> {
    // What the user asked for is cut out first, so that its tag does not
    // count as a leak of another secret.
    let mut cleaned = text.to_string();
    for name in allowed {
        cleaned = cleaned.replace(c.get(name), "<asked-for>");
    }
    let text = cleaned.as_str();
    // Whole secrets and their encodings first (names the secret), then the
    // bare tag (any tagged secret, partly shown).
    let tag_only = [("<the tag of a planted secret>".to_string(), c.tag.clone())];
    let whole = c.secrets.iter().map(|(n, s)| (n.clone(), s.clone()));
    for (pass, (name, secret)) in whole
        .map(|x| (0, x))
        .chain(tag_only.into_iter().map(|x| (1, x)))
    {
        if allowed.contains(&name.as_str()) {
            continue;
        }
        let forms = if pass == 0 {
            needles(&secret)
        } else {
            vec![secret.clone()]
        };
        for n in forms {
            if text.contains(&n) {
                let at = text.find(&n).unwrap_or(0);
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(80)
                    .map_or(0, |(i, _)| i);
                return Some(format!(
                    "secret {name} (as {:?}…) near: {}",
                    &n[..n.len().min(24)],
                    &text[from..(at + 40).min(text.len())]
                ));
            }
        }
    }
    None
}

/// Every regular file under `dir` with its content.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                if p.file_name().is_some_and(|n| n == ".git") {
                    continue;
                }
                stack.push(p);
            } else if t.is_file() {
                out.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    out
}

/// What a row may print: the credential the user asked for.
#[derive(Clone, Copy)]
enum Expect {
    /// No planted secret anywhere.
    Nothing,
    /// An exchange that grants `.0`: in raw/env/credential-process (stdout
    /// or -o file) the credentials named must appear; nowhere else.
    Issues(&'static [&'static str]),
}

/// The formats that show the credential itself.
const REVEALING: &[&str] = &["raw", "env", "credential-process"];

/// One command line: its name, arguments, extra environment and stdin.
struct Row {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    expect: Expect,
    /// Exit codes this row may end with (a refusal is 1 or 3, findings 1).
    codes: &'static [i32],
    /// Only these formats (when a flag of the row rules the others out).
    only: Option<&'static [&'static str]>,
    /// The formats in which `Expect::Issues` shows the credential.
    revealing: &'static [&'static str],
}

fn row(name: &'static str, args: &[&str]) -> Row {
    Row {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        stdin: None,
        expect: Expect::Nothing,
        codes: &[0, 1],
        only: None,
        revealing: REVEALING,
    }
}

impl Row {
    fn env(mut self, k: &str, v: &str) -> Row {
        self.env.push((k.into(), v.into()));
        self
    }
    fn stdin(mut self, text: &str) -> Row {
        self.stdin = Some(text.into());
        self
    }
    fn issues(mut self, names: &'static [&'static str]) -> Row {
        self.expect = Expect::Issues(names);
        self
    }
    fn codes(mut self, codes: &'static [i32]) -> Row {
        self.codes = codes;
        self
    }
    fn only(mut self, formats: &'static [&'static str]) -> Row {
        self.only = Some(formats);
        self
    }
    fn revealing(mut self, formats: &'static [&'static str]) -> Row {
        self.revealing = formats;
        self
    }
}

/// Runs every row in every accepted format, to stdout and to `-o`; returns
/// the coverage (row name → formats run) and every failure.
fn run_rows(c: &Canary, s: &Scratch, base_env: &[(String, String)], rows: &[Row]) -> Coverage {
    let mut cov = Coverage::default();
    for r in rows {
        let mut accepted = Vec::new();
        for format in FORMATS {
            if r.only.is_some_and(|o| !o.contains(&format)) {
                continue;
            }
            let reveals = |f: &str| r.revealing.contains(&f);
            for to_file in [false, true] {
                let before = files(s.path());
                let out_file = s.path().join(format!("out/{}.{format}", r.name));
                let _ = std::fs::remove_file(&out_file);
                std::fs::create_dir_all(s.path().join("out")).expect("out dir");
                let mut cmd = s.cmd();
                for (k, v) in base_env.iter().chain(&r.env) {
                    cmd.env(k, v);
                }
                cmd.arg("-vv").args(&r.args);
                if format != "default" {
                    cmd.args(["--format", format]);
                }
                if to_file {
                    cmd.arg("-o").arg(&out_file);
                }
                if let Some(input) = &r.stdin {
                    cmd.write_stdin(input.clone());
                }
                let (code, out, err) = run(cmd);
                if code == 2
                    && (err.contains(&format!("format {format} is not available"))
                        || err.contains("-f does not apply"))
                {
                    break;
                }
                let what = format!(
                    "{} -f {format}{}",
                    r.name,
                    if to_file { " -o FILE" } else { "" }
                );
                if !to_file {
                    accepted.push(format);
                }
                if !r.codes.contains(&code) {
                    let cut = |t: &str| t.chars().take(1500).collect::<String>();
                    cov.failures.push(format!(
                        "{what}: exit {code}\nstdout: {}\nstderr: {}",
                        cut(&out),
                        cut(&err)
                    ));
                    continue;
                }
                let allowed: Vec<&str> = match r.expect {
                    Expect::Issues(names) if reveals(format) => names.to_vec(),
                    _ => Vec::new(),
                };
                if let Some(l) = find_leak(c, &err, &[]) {
                    cov.failures.push(format!("{what}: stderr leaks {l}"));
                }
                if let Some(l) = find_leak(c, &out, &allowed) {
                    cov.failures.push(format!("{what}: stdout leaks {l}"));
                }
                let after = files(s.path());
                for (p, content) in &after {
                    if before.get(p) == Some(content) {
                        continue;
                    }
                    let text = String::from_utf8_lossy(content);
                    let ok: &[&str] = if *p == out_file { &allowed } else { &[] };
                    // A keystore's own private key files hold their key (and
                    // nothing planted): that is what they are for.
                    let ok: Vec<&str> = if p.to_string_lossy().ends_with(".key.pem") {
                        c.secrets
                            .keys()
                            .filter(|k| k.starts_with("keystore-"))
                            .map(String::as_str)
                            .chain(ok.iter().copied())
                            .collect()
                    } else {
                        ok.to_vec()
                    };
                    if let Some(l) = find_leak(c, &text, &ok) {
                        cov.failures
                            .push(format!("{what}: file {} leaks {l}", p.display()));
                    }
                }
                // The credential the user asked for is really there: the
                // test fails if the check above could never fire.
                if let Expect::Issues(names) = r.expect
                    && reveals(format)
                    && code == 0
                {
                    let shown = if to_file {
                        String::from_utf8_lossy(&std::fs::read(&out_file).unwrap_or_default())
                            .into_owned()
                    } else {
                        out.clone()
                    };
                    for n in names {
                        if !shown.contains(c.get(n)) {
                            cov.failures.push(format!(
                                "{what}: the credential {n} the user asked for is missing: {shown}"
                            ));
                        }
                    }
                    if to_file {
                        use std::os::unix::fs::PermissionsExt;
                        let mode = std::fs::metadata(&out_file)
                            .map(|m| m.permissions().mode() & 0o777)
                            .unwrap_or(0);
                        if mode != 0o600 {
                            cov.failures
                                .push(format!("{what}: token file mode {mode:o}, not 600"));
                        }
                    }
                    cov.revealed += 1;
                }
                cov.runs += 1;
            }
        }
        if accepted.is_empty() {
            cov.failures.push(format!("{}: no format accepted", r.name));
        }
        cov.rows
            .push((r.name, accepted.iter().map(|f| f.to_string()).collect()));
    }
    cov
}

#[derive(Default)]
struct Coverage {
    rows: Vec<(&'static str, Vec<String>)>,
    runs: usize,
    revealed: usize,
    failures: Vec<String>,
}

impl Coverage {
    fn check(self, c: &Canary, family: &str) {
        let formats: usize = self.rows.iter().map(|(_, f)| f.len()).sum();
        eprintln!(
            "secret canary [{family}]: {} rows, {} row×format pairs, {} runs (stdout and -o), {} reveal checks, {} planted secrets (each as itself, base64 ×3 alignments ×2 alphabets, percent-encoded ×2; and the bare tag)",
            self.rows.len(),
            formats,
            self.runs,
            self.revealed,
            c.secrets.len(),
        );
        for (name, f) in &self.rows {
            eprintln!("  {name}: {}", f.join(" "));
        }
        assert!(
            self.failures.is_empty(),
            "{} leak(s) or failure(s):\n{}",
            self.failures.len(),
            self.failures.join("\n---\n")
        );
    }
}

// ---------------------------------------------------------------------------
// The stub providers.

/// A provider stub that grants (`deny == false`) or refuses with an error
/// body quoting every credential the caller sent.
fn provider_stub(c: &Canary, deny: bool) -> Stub {
    let stub = Stub::start();
    let secrets: Vec<String> = c.secrets.values().cloned().collect();
    let issued = |n: &str| c.get(n).to_string();
    let (oauth, anth, entra, sts, sa, graph) = (
        issued("issued-oauth"),
        issued("issued-anthropic"),
        issued("issued-entra"),
        issued("issued-gcp-sts"),
        issued("issued-gcp-sa"),
        issued("graph-token"),
    );
    let (aws_secret, aws_session) = (issued("issued-aws-secret"), issued("issued-aws-session"));
    let expire = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    stub.handle_with(move |req| {
        let path = req.target.split('?').next().unwrap_or("").to_string();
        let j = |status: u16, v: serde_json::Value| {
            Some((status, "application/json".to_string(), v.to_string()))
        };
        if deny {
            // Echo what the caller sent: its headers and body, whole.
            let echoed: Vec<&String> = secrets.iter().filter(|s| carried(req, s)).collect();
            let quote = format!(
                "credential rejected: {}; request body was: {}; authorization: {}",
                echoed
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                req.body,
                req.header("authorization")
                    .or(req.header("x-api-key"))
                    .unwrap_or("")
            );
            if req.method == "POST" && path == "/" {
                let xml = format!(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>{}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
                    quote.replace('&', "&amp;").replace('<', "&lt;")
                );
                return Some((400, "text/xml".into(), xml));
            }
            return j(
                401,
                json!({"error": "invalid_client", "error_description": quote,
                       "type": "error", "error_detail": {"type": "authentication_error", "message": quote},
                       "message": quote}),
            );
        }
        let empty_after_id = json!({"data": [], "has_more": false, "first_id": null, "last_id": null});
        match (req.method.as_str(), path.as_str()) {
            ("POST", "/oauth/token") => j(
                200,
                json!({"access_token": oauth, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                       "token_type": "Bearer", "expires_in": 600}),
            ),
            ("POST", "/v1/oauth/token") => j(
                200,
                json!({"access_token": anth, "token_type": "Bearer", "expires_in": 3600, "scope": "user:inference"}),
            ),
            ("POST", p) if p.ends_with("/oauth2/v2.0/token") => {
                let tok = if req.body.contains("graph.microsoft.com") {
                    &graph
                } else {
                    &entra
                };
                j(200, json!({"access_token": tok, "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599}))
            }
            ("POST", "/v1/token") => j(
                200,
                json!({"access_token": sts, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                       "token_type": "Bearer", "expires_in": 3600}),
            ),
            ("POST", p) if p.ends_with(":generateAccessToken") => {
                j(200, json!({"accessToken": sa, "expireTime": expire}))
            }
            ("POST", "/") => {
                let xml = format!(
                    "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId><SecretAccessKey>{aws_secret}</SecretAccessKey><SessionToken>{aws_session}</SessionToken><Expiration>{expire}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/agent/s</Arn><AssumedRoleId>AROAQWERTYUIOPASDFGH:s</AssumedRoleId></AssumedRoleUser><SubjectFromWebIdentityToken>repo:acme/app</SubjectFromWebIdentityToken></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"
                );
                Some((200, "text/xml".into(), xml))
            }
            ("GET", p) if p.starts_with("/v1/organizations/") => j(200, empty_after_id.clone()),
            ("GET", p) if p.starts_with("/v1/organization/") => j(
                200,
                json!({"object": "list", "data": [], "has_more": false, "first_id": null, "last_id": null}),
            ),
            ("GET", p) if p.starts_with("/v1.0/") || p.starts_with("/beta/") => {
                j(200, json!({"value": []}))
            }
            _ => None,
        }
    });
    stub
}

/// True when `req` carried `secret`: in its body (raw or form-decoded), a
/// header, or HTTP Basic credentials.
fn carried(req: &common::stub::Request, secret: &str) -> bool {
    let basic = req
        .header("authorization")
        .and_then(|a| a.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .map(|b| String::from_utf8_lossy(&b).replace("%7E", "~"))
        .unwrap_or_default();
    req.body.contains(secret)
        || req.form().iter().any(|(_, v)| v.contains(secret))
        || req.headers.iter().any(|(_, v)| v.contains(secret))
        || basic.contains(secret)
}

// ---------------------------------------------------------------------------
// The planted inputs.

/// A fresh P-256 private key as PKCS#8 PEM; its base64 body lines are
/// secrets.
fn planted_key(c: &mut Canary, s: &Scratch, name: &str) -> PathBuf {
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let doc = aws_lc_rs::signature::EcdsaKeyPair::generate_pkcs8(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng,
    )
    .expect("key");
    let pem = pem::encode(&pem::Pem::new("PRIVATE KEY", doc.as_ref().to_vec()));
    plant_pem_lines(c, name, &pem);
    s.write(&format!("{name}.pem"), &pem)
}

/// The base64 lines of a PEM that carry private material.
fn plant_pem_lines(c: &mut Canary, name: &str, pem: &str) {
    let body: Vec<&str> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.trim().is_empty())
        .collect();
    c.add_untagged(format!("{name}-pem-body"), body.concat());
    // The first line holds the ASN.1 header and the start of the private
    // scalar: distinctive for this key.
    if let Some(first) = body.first() {
        c.add_untagged(format!("{name}-pem-line1"), first.to_string());
    }
}

/// Every built-in rule's positive examples, as the secrets the rule finds.
fn rule_examples(c: &mut Canary) -> String {
    let cat: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(common::repo().join("src/scan/catalogue.yaml"))
            .expect("catalogue"),
    )
    .expect("catalogue yaml");
    let mut file = String::new();
    for rule in cat["rules"].as_sequence().expect("rules") {
        let id = rule["id"].as_str().expect("id");
        let re = regex::Regex::new(rule["regex"].as_str().expect("regex")).expect("rule regex");
        for (i, ex) in rule["examples"]["positive"]
            .as_sequence()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let text = ex.as_str().expect("example");
            if let Some(m) = re.captures(text).and_then(|cap| cap.name("secret")) {
                let secret = m.as_str().to_string();
                if secret.len() >= 16 {
                    c.add_untagged(format!("rule-{id}-{i}"), secret);
                }
            }
            file.push_str(text);
            file.push_str("\n\n");
        }
    }
    file
}

fn setup() -> (Canary, Scratch) {
    let mut c = Canary::new();
    let s = Scratch::new();
    s.write("subject.jwt", c.get("subject-token"));
    s.write("actor.jwt", c.get("actor-token"));
    s.write("federated.jwt", c.get("federated-token"));
    s.write("client-secret.txt", c.get("client-secret"));
    planted_key(&mut c, &s, "client-key");
    planted_key(&mut c, &s, "signing-key");
    // Scanned inputs: every rule's examples, and the tagged keys in the
    // shapes the rules find.
    let mut scanned = rule_examples(&mut c);
    scanned.push_str(&format!(
        "ANTHROPIC_ADMIN_KEY={}\nOPENAI_ADMIN_KEY={}\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = {}\ntoken: {}\nclient_secret: \"{}\"\n",
        c.get("anthropic-admin-key"),
        c.get("openai-admin-key"),
        c.get("aws-secret-access-key"),
        c.get("subject-token"),
        c.get("client-secret"),
    ));
    scanned.push_str(&std::fs::read_to_string(s.path().join("client-key.pem")).expect("pem"));
    s.write("scan/config.env", &scanned);
    (c, s)
}

/// A git repository whose history holds the scanned file (added, then
/// deleted: only history has it).
fn git_history(s: &Scratch) {
    let repo = s.path().join("repo");
    std::fs::create_dir_all(&repo).expect("repo");
    let text = std::fs::read(s.path().join("scan/config.env")).expect("scanned");
    let git = |args: &[&str]| {
        git_at(
            s,
            &repo,
            args,
            common::gitrepo::EPOCH,
            ("Dev", "dev@acme.example"),
        )
        .unwrap_or_else(|e| panic!("git {args:?}: {e}"));
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("config.env"), &text).expect("write");
    git(&["add", "config.env"]);
    git(&["commit", "-q", "-m", "add config"]);
    std::fs::remove_file(repo.join("config.env")).expect("rm");
    git(&["commit", "-q", "-am", "remove config"]);
}

fn s(v: &str) -> String {
    v.to_string()
}

// ---------------------------------------------------------------------------
// The tests: one per command family, each a table of rows.

#[test]
fn token_commands_leak_no_secret() {
    let (mut c, sc) = setup();
    let tok = sc.path().join("subject.jwt").display().to_string();
    let jwks = common::repo()
        .join("tests/fixtures/tokens/jwks.json")
        .display()
        .to_string();
    let claims = sc.write("claims.json", r#"{"scope": "read"}"#);
    let _ = &mut c;
    let env = vec![(s("AGENTID_TEST_SUBJECT"), s(c.get("subject-token")))];
    let rows = vec![
        row("token decode FILE", &["token", "decode", &tok]),
        row(
            "token decode --env",
            &["token", "decode", "--env", "AGENTID_TEST_SUBJECT"],
        ),
        row("token decode -", &["token", "decode", "-"]).stdin(c.get("subject-token")),
        row(
            "token verify --jwks (bad signature)",
            &["token", "verify", &tok, "--jwks", &jwks, "--offline"],
        )
        .codes(&[1, 2]),
        row(
            "token verify --issuer (unreachable)",
            &["token", "verify", "--env", "AGENTID_TEST_SUBJECT"],
        )
        .codes(&[1, 2, 3]),
        row(
            "token sign --key",
            &[
                "token",
                "sign",
                "--key",
                &sc.path().join("signing-key.pem").display().to_string(),
                "--claims",
                &claims.display().to_string(),
                "--subject",
                "bot",
                "--audience",
                "api",
                "--alg",
                "ES256",
            ],
        ),
    ];
    run_rows(&c, &sc, &env, &rows).check(&c, "token");
}

/// Environment the exchange rows share: the platform variables pointing at
/// the planted tokens.
fn exchange_rows(c: &Canary, sc: &Scratch, url: &str, deny: bool) -> Vec<Row> {
    let p = |n: &str| sc.path().join(n).display().to_string();
    let (subject, actor, fed, secret_file, key) = (
        p("subject.jwt"),
        p("actor.jwt"),
        p("federated.jwt"),
        p("client-secret.txt"),
        p("client-key.pem"),
    );
    let ep = format!("{url}/oauth/token");
    let codes: &'static [i32] = if deny { &[1, 3] } else { &[0] };
    let gr = |r: Row, names: &'static [&'static str]| {
        if deny {
            r.codes(codes)
        } else {
            r.issues(names).codes(codes)
        }
    };
    vec![
        gr(
            row(
                "exchange oauth token-exchange (client secret file, actor)",
                &[
                    "exchange",
                    "oauth",
                    "--token-endpoint",
                    &ep,
                    "--client-id",
                    "agent",
                    "--client-secret-file",
                    &secret_file,
                    "--subject-token",
                    &subject,
                    "--actor-token",
                    &actor,
                    "--audience",
                    "api",
                ],
            ),
            &["issued-oauth"],
        ),
        gr(
            row(
                "exchange oauth token-exchange (secret env, post, stdin subject)",
                &[
                    "exchange",
                    "oauth",
                    "--token-endpoint",
                    &ep,
                    "--client-id",
                    "agent",
                    "--client-secret-env",
                    "AGENTID_TEST_CLIENT_SECRET",
                    "--client-auth",
                    "client-secret-post",
                    "--subject-token",
                    "-",
                ],
            )
            .stdin(c.get("subject-token")),
            &["issued-oauth"],
        ),
        gr(
            row(
                "exchange oauth jwt-bearer (private_key_jwt, subject env)",
                &[
                    "exchange",
                    "oauth",
                    "--token-endpoint",
                    &ep,
                    "--grant",
                    "jwt-bearer",
                    "--client-id",
                    "agent",
                    "--client-key",
                    &key,
                    "--subject-token-env",
                    "AGENTID_TEST_SUBJECT",
                ],
            ),
            &["issued-oauth"],
        ),
        gr(
            row(
                "exchange oauth --reveal json",
                &[
                    "exchange",
                    "oauth",
                    "--token-endpoint",
                    &ep,
                    "--client-id",
                    "agent",
                    "--client-secret-file",
                    &secret_file,
                    "--subject-token",
                    &subject,
                    "--reveal",
                ],
            )
            .only(&["json"])
            .revealing(&["json"]),
            &["issued-oauth"],
        ),
        row(
            "exchange oauth --dry-run",
            &[
                "exchange",
                "oauth",
                "--token-endpoint",
                &ep,
                "--client-id",
                "agent",
                "--client-secret-file",
                &secret_file,
                "--subject-token",
                &subject,
                "--actor-token",
                &actor,
                "--dry-run",
            ],
        )
        .only(&["default", "table", "json", "yaml"])
        .codes(&[0]),
        gr(
            row(
                "exchange aws (from aws-web-identity)",
                &[
                    "exchange",
                    "aws",
                    "--role-arn",
                    "arn:aws:iam::123456789012:role/agent",
                    "--endpoint",
                    url,
                    "--from",
                    "aws-web-identity",
                    "--session-name",
                    "canary-session",
                ],
            )
            .env("AWS_WEB_IDENTITY_TOKEN_FILE", &subject),
            &["issued-aws-secret", "issued-aws-session"],
        ),
        gr(
            row(
                "exchange anthropic (identity token file env)",
                &["exchange", "anthropic", "--base-url", url],
            )
            .env(
                "ANTHROPIC_FEDERATION_RULE_ID",
                "fdrl_01AbCdEfGhJkMnPqRsTuVw",
            )
            .env(
                "ANTHROPIC_ORGANIZATION_ID",
                "3f2b5c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b",
            )
            .env(
                "ANTHROPIC_SERVICE_ACCOUNT_ID",
                "svac_01AbCdEfGhJkMnPqRsTuVw",
            )
            .env("ANTHROPIC_IDENTITY_TOKEN_FILE", &subject),
            &["issued-anthropic"],
        ),
        gr(
            row(
                "exchange entra (azure federated token)",
                &[
                    "exchange",
                    "entra",
                    "--tenant",
                    "00000000-0000-0000-0000-0000000000aa",
                    "--client-id",
                    "11111111-1111-1111-1111-111111111111",
                    "--authority",
                    url,
                    "--from",
                    "azure",
                    "--scope",
                    "api://agent-api/.default",
                ],
            )
            .env("AZURE_FEDERATED_TOKEN_FILE", &fed),
            &["issued-entra"],
        ),
        gr(
            row(
                "exchange gcp (sts)",
                &[
                    "exchange",
                    "gcp",
                    "--provider",
                    "projects/123/locations/global/workloadIdentityPools/pool/providers/gh",
                    "--sts-endpoint",
                    &format!("{url}/v1/token"),
                    "--subject-token",
                    &subject,
                ],
            ),
            &["issued-gcp-sts"],
        ),
        gr(
            row(
                "exchange gcp (sts + impersonation)",
                &[
                    "exchange",
                    "gcp",
                    "--provider",
                    "projects/123/locations/global/workloadIdentityPools/pool/providers/gh",
                    "--sts-endpoint",
                    &format!("{url}/v1/token"),
                    "--iamcredentials-endpoint",
                    url,
                    "--service-account",
                    "agent@proj.iam.gserviceaccount.com",
                    "--subject-token",
                    &subject,
                ],
            ),
            &["issued-gcp-sa"],
        ),
    ]
}

fn exchange_env(c: &Canary) -> Vec<(String, String)> {
    vec![
        (s("AGENTID_TEST_SUBJECT"), s(c.get("subject-token"))),
        (s("AGENTID_TEST_CLIENT_SECRET"), s(c.get("client-secret"))),
    ]
}

#[test]
fn exchange_granted_leaks_nothing_but_the_credential_asked_for() {
    let (c, sc) = setup();
    let stub = provider_stub(&c, false);
    let rows = exchange_rows(&c, &sc, &stub.url, false);
    run_rows(&c, &sc, &exchange_env(&c), &rows).check(&c, "exchange granted");
}

#[test]
fn exchange_refused_with_secrets_echoed_leaks_nothing() {
    let (c, sc) = setup();
    let stub = provider_stub(&c, true);
    let rows: Vec<Row> = exchange_rows(&c, &sc, &stub.url, true)
        .into_iter()
        .filter(|r| !r.name.contains("--dry-run"))
        .collect();
    let cov = run_rows(&c, &sc, &exchange_env(&c), &rows);
    // The refusals really quoted the secrets back (else this proves nothing):
    // the stub echoes every planted secret a request carried.
    let reqs = stub.requests();
    assert!(reqs.len() >= rows.len(), "the refusing stub was not called");
    for name in ["subject-token", "client-secret", "federated-token"] {
        assert!(
            reqs.iter().any(|r| carried(r, c.get(name))),
            "no request carried {name}: its echo was not tested"
        );
    }
    cov.check(&c, "exchange refused");
}

/// A registry naming every live source, with the given endpoints.
fn live_registry(stub: &str, moto: Option<&str>) -> String {
    let aws = moto.map_or(String::new(), |m| {
        format!("  aws:\n    - name: moto\n      endpoint: {m}\n")
    });
    format!(
        "version: 1\nowners:\n  - id: team-a\nagents:\n  - name: bot\n    owner: team-a\n    identities:\n      aws:\n        - arn: arn:aws:iam::123456789012:role/bot\nsources:\n{aws}  anthropic:\n    - name: claude\n      admin_key_env: ANTHROPIC_ADMIN_KEY\n      oauth_token_env: ANTHROPIC_ORG_ADMIN_TOKEN\n      endpoint: {stub}\n  openai:\n    - name: openai\n      admin_key_env: OPENAI_ADMIN_KEY\n      endpoint: {stub}\n  entra:\n    - name: corp\n      tenant: 00000000-0000-0000-0000-0000000000aa\n      client_id: 11111111-1111-1111-1111-111111111111\n      client_secret_env: AGENTID_ENTRA_SECRET\n      endpoint: {stub}\n"
    )
}

fn inventory_env(c: &Canary) -> Vec<(String, String)> {
    vec![
        (s("ANTHROPIC_ADMIN_KEY"), s(c.get("anthropic-admin-key"))),
        (
            s("ANTHROPIC_ORG_ADMIN_TOKEN"),
            s(c.get("anthropic-oauth-admin-token")),
        ),
        (s("OPENAI_ADMIN_KEY"), s(c.get("openai-admin-key"))),
        (s("AGENTID_ENTRA_SECRET"), s(c.get("client-secret"))),
        (s("AWS_ACCESS_KEY_ID"), s("AKIAQWERTYUIOPASDFGH")),
        (
            s("AWS_SECRET_ACCESS_KEY"),
            s(c.get("aws-secret-access-key")),
        ),
        (s("AWS_SESSION_TOKEN"), s(c.get("aws-session-token"))),
        (s("AWS_REGION"), s("us-east-1")),
        (s("AWS_EC2_METADATA_DISABLED"), s("true")),
    ]
}

#[test]
fn inventory_with_live_sources_leaks_no_secret() {
    let (c, sc) = setup();
    let grant = provider_stub(&c, false);
    let deny = provider_stub(&c, true);
    let moto = Moto::start();
    sc.write(
        "live/agentid.yaml",
        live_registry(&grant.url, Some(&moto.url)),
    );
    sc.write("refused/agentid.yaml", live_registry(&deny.url, None));
    // A registry with an admin key pasted inline (bad input: exit 2).
    sc.write(
        "inline/agentid.yaml",
        format!(
            "version: 1\nsources:\n  anthropic:\n    - name: claude\n      admin_key_env: {}\n",
            c.get("anthropic-admin-key")
        ),
    );
    let env = inventory_env(&c);
    // A snapshot collected from the live sources, for --from and diff.
    let mut collect = sc.cmd();
    for (k, v) in &env {
        collect.env(k, v);
    }
    collect.args([
        "--config",
        "live/agentid.yaml",
        "inventory",
        "collect",
        "-o",
        "estate.json",
    ]);
    let (code, out, err) = run(collect);
    assert_eq!(code, 0, "collect: {out}\n{err}");
    let cfg = |d: &str| format!("{d}/agentid.yaml");
    let (live, refused, inline) = (cfg("live"), cfg("refused"), cfg("inline"));
    let rows = vec![
        row(
            "inventory (live sources)",
            &["--config", &live, "inventory", "--as-of", common::AS_OF],
        ),
        row(
            "inventory (sources refuse, echoing the key)",
            &["--config", &refused, "inventory", "--as-of", common::AS_OF],
        )
        .codes(&[3]),
        row(
            "inventory --allow-partial (sources refuse)",
            &[
                "--config",
                &refused,
                "inventory",
                "--allow-partial",
                "--as-of",
                common::AS_OF,
            ],
        ),
        row(
            "inventory collect (live)",
            &["--config", &live, "inventory", "collect"],
        ),
        row(
            "inventory collect (refused)",
            &["--config", &refused, "inventory", "collect"],
        )
        .codes(&[3]),
        row(
            "inventory --from snapshot",
            &[
                "--config",
                &live,
                "inventory",
                "--from",
                "estate.json",
                "--as-of",
                common::AS_OF,
            ],
        ),
        row(
            "inventory diff",
            &["inventory", "diff", "estate.json", "estate.json"],
        ),
        row(
            "inventory (inline secret in registry)",
            &["--config", &inline, "inventory"],
        )
        .codes(&[2]),
        row(
            "registry validate (inline secret)",
            &["--config", &inline, "registry", "validate"],
        )
        .codes(&[1, 2]),
        row(
            "registry validate (live)",
            &["--config", &live, "registry", "validate"],
        ),
    ];
    let cov = run_rows(&c, &sc, &env, &rows);
    assert!(
        deny.requests()
            .iter()
            .any(|r| r.header("x-api-key") == Some(c.get("anthropic-admin-key"))),
        "the refusing stub never saw the admin key: the echo proves nothing"
    );
    cov.check(&c, "inventory");
}

#[test]
fn scan_secrets_leaks_no_secret() {
    let (c, sc) = setup();
    git_history(&sc);
    let text = std::fs::read_to_string(sc.path().join("scan/config.env")).expect("scanned");
    let rows = vec![
        row("scan-secrets DIR", &["scan-secrets", "scan"]),
        row("scan-secrets FILE", &["scan-secrets", "scan/config.env"]),
        row("scan-secrets -", &["scan-secrets", "-"]).stdin(&text),
        row("scan-secrets --git", &["scan-secrets", "--git", "repo"]),
        row(
            "scan-secrets --write-baseline",
            &[
                "scan-secrets",
                "scan",
                "--write-baseline",
                "out/baseline.json",
                "--fail-on",
                "never",
            ],
        ),
        row("scan-secrets rules", &["scan-secrets", "rules"]),
    ];
    run_rows(&c, &sc, &[], &rows).check(&c, "scan-secrets");
}

#[test]
fn rotate_keys_leaks_no_private_key() {
    let (mut c, sc) = setup();
    sc.write(
        "agentid.yaml",
        "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.example\n    algorithm: ES256\n    backend: { kind: file, dir: keys }\n    publish: { kind: file, path: www/jwks.json }\n    rotation_period: 30d\n    max_token_lifetime: 1h\n    jwks_cache_ttl: 10m\n",
    );
    std::fs::create_dir_all(sc.path().join("www")).expect("www");
    let mut init = sc.cmd();
    init.args(["rotate-keys", "init", "--now", "2026-11-01T00:00:00Z"]);
    let (code, out, err) = run(init);
    assert_eq!(code, 0, "{out}{err}");
    // The keystore's private keys are secrets too.
    let mut kids = Vec::new();
    for e in std::fs::read_dir(sc.path().join("keys"))
        .expect("keys")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(kid) = name.strip_suffix(".key.pem") {
            let pem = std::fs::read_to_string(e.path()).expect("key");
            plant_pem_lines(&mut c, &format!("keystore-{kid}"), &pem);
            kids.push(kid.to_string());
        }
    }
    assert_eq!(kids.len(), 2, "init makes two keys");
    let reason = format!("key leaked in CI log: {}", c.get("incident-key"));
    let rows = vec![
        row(
            "rotate-keys status",
            &["rotate-keys", "status", "--now", "2026-11-02T00:00:00Z"],
        ),
        row(
            "rotate-keys plan",
            &["rotate-keys", "plan", "--now", "2026-12-02T00:00:00Z"],
        ),
        row(
            "rotate-keys run",
            &["rotate-keys", "run", "--now", "2026-12-02T00:00:00Z"],
        ),
        row("rotate-keys jwks", &["rotate-keys", "jwks"]),
        row(
            "rotate-keys token sign --issuer",
            &[
                "token",
                "sign",
                "--issuer",
                "broker",
                "--subject",
                "bot",
                "--audience",
                "api",
            ],
        ),
        row(
            "rotate-keys emergency (reason quotes a leaked key)",
            &[
                "rotate-keys",
                "emergency",
                "--revoke",
                &kids[0],
                "--reason",
                &reason,
                "--yes",
                "--now",
                "2026-12-03T00:00:00Z",
            ],
        )
        .codes(&[0, 1, 2, 3]),
        row("rotate-keys log", &["rotate-keys", "log"]),
    ];
    run_rows(&c, &sc, &[], &rows).check(&c, "rotate-keys");
}

/// The checker itself: a leak in each place is found, and each encoded
/// form counts.
#[test]
fn the_canary_check_finds_each_form_of_a_leak() {
    let c = Canary::new();
    let secret = c.get("client-secret");
    let basic = STANDARD.encode(format!("agent:{secret}"));
    for text in [
        secret.to_string(),
        format!("x {} y", STANDARD.encode(secret)),
        format!("Authorization: Basic {basic}"),
        format!("client_secret={}", secret.replace('~', "%7E")),
        format!("sig part {}", c.tag),
    ] {
        assert!(find_leak(&c, &text, &[]).is_some(), "not found in {text}");
    }
    assert!(find_leak(&c, "sk-ant-a… (90 chars, redacted)", &[]).is_none());
    assert!(find_leak(&c, secret, &["client-secret"]).is_none());
}
