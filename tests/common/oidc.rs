//! A real OAuth/OIDC authorization server for integration tests: npm `oidc-provider`
//! run by `tests/oidc/oidc-as.mjs` (see tests/oidc/README.md for what it serves).
//!
//! ```ignore
//! let op = OidcProvider::start();                       // fresh keys, free port, ~0.6 s
//! let at = op.token_client_credentials(Some("read"), None); // ES256 at+jwt, kid as-es256
//! op.rotate(OldKeys::Keep);                             // signs with as-es256-2; as-es256 still in JWKS
//! op.retire_old();                                      // as-es256 leaves the JWKS
//! ```
//!
//! Needs Node.js and `tests/oidc/node_modules` (scripts/setup-oidc.sh, which
//! scripts/test.sh runs). Without them `start` panics and says so: it never skips.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

/// `client_secret_basic` client.
pub const CC_CLIENT: &str = "agent-cc";
pub const CC_SECRET: &str = "agent-cc-secret";
/// `private_key_jwt` (ES256) client; its private JWK is at [`OidcProvider::pkjwt_private_jwk`].
pub const PKJWT_CLIENT: &str = "agent-pkjwt";
/// Default resource: JWT access tokens signed ES256 by the current ES256 key.
pub const RESOURCE: &str = "urn:agentid:test-api";
/// Same, signed RS256 by the current RS256 key.
pub const RESOURCE_RS: &str = "urn:agentid:test-api-rs";
pub const GRANT_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const GRANT_JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub const TT_ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A resource whose tokens are signed by the published key `kid` (any alg).
pub fn kid_resource(kid: &str) -> String {
    format!("urn:agentid:kid:{kid}")
}

const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// oidc-as.mjs exits with this when its port is taken; `start` then tries another.
const EXIT_PORT_IN_USE: i32 = 98;

/// What happens to the keys a rotation replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OldKeys {
    /// Still published in the JWKS (verifiers accept old tokens), no longer signing.
    Keep,
    /// Removed from the JWKS at once (an emergency rotation).
    Remove,
}

/// The server's key state, as `GET /test/state` and every key operation report it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct KeyState {
    pub generation: u64,
    /// alg (`ES256`, `RS256`) -> kid of the key that signs new tokens.
    pub signing: std::collections::BTreeMap<String, String>,
    /// kids in the JWKS, signing keys first.
    pub published: Vec<String>,
    /// kids removed from the JWKS (their private halves are kept for [`OidcProvider::sign`]).
    pub retired: Vec<String>,
}

impl KeyState {
    pub fn signing(&self, alg: &str) -> &str {
        self.signing
            .get(alg)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Client authentication for [`OidcProvider::token_request`].
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    None,
    /// `client_secret_basic`.
    Basic(&'a str, &'a str),
    /// `private_key_jwt` with this assertion (see [`OidcProvider::client_assertion`]).
    Assertion(&'a str),
}

/// An HTTP reply: status and body.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("reply is not JSON ({e}): {} {}", self.status, self.body))
    }

    /// The `access_token` of a 200 reply; panics with the reply otherwise.
    pub fn access_token(&self) -> String {
        assert_eq!(self.status, 200, "token request failed: {}", self.body);
        self.json()["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access_token in {}", self.body))
            .to_owned()
    }
}

/// A running `oidc-as.mjs`; the process is killed on drop.
pub struct OidcProvider {
    /// `http://127.0.0.1:PORT`, also the `iss` of every token.
    pub issuer: String,
    pub port: u16,
    /// keys.json, agent-pkjwt.private.jwk.json, trusted.json. Kept across [`Self::restart`].
    pub state_dir: PathBuf,
    owned_state: Option<tempfile::TempDir>,
    child: Option<Child>,
    stderr: Arc<Mutex<String>>,
    http: ureq::Agent,
}

/// tests/oidc in the repository.
pub fn oidc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

impl OidcProvider {
    /// A server with new keys in a fresh state directory (removed on drop).
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir for the OIDC provider state");
        let mut op = Self::start_in(dir.path());
        op.owned_state = Some(dir);
        op
    }

    /// A server on `state_dir`: keys already there are reused, else made and stored there.
    pub fn start_in(state_dir: &Path) -> Self {
        check_installed();
        let http = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build()
            .into();
        let mut op = OidcProvider {
            issuer: String::new(),
            port: 0,
            state_dir: state_dir.to_owned(),
            owned_state: None,
            child: None,
            stderr: Arc::default(),
            http,
        };
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            match op.spawn(port) {
                Ok(()) => return op,
                Err(why) => last = why,
            }
        }
        panic!("OIDC provider: no free port after 5 tries; last: {last}");
    }

    /// Stops the server and starts it again on the same port and state directory
    /// (same issuer, same keys): what a verifier sees across an AS restart.
    pub fn restart(&mut self) {
        self.kill();
        let port = self.port;
        if let Err(why) = self.spawn(port) {
            panic!("OIDC provider: restart on port {port} failed: {why}");
        }
    }

    /// Sends SIGTERM and waits (5 s at most) for the exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("OIDC provider is not running");
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = child.try_wait().expect("wait for node") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("OIDC provider ignored SIGTERM for 5 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything node wrote to stderr so far (warnings, `grant.error` lines).
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    pub fn token_endpoint(&self) -> String {
        self.url("/token")
    }

    pub fn jwks_uri(&self) -> String {
        self.url("/jwks")
    }

    /// The agent-pkjwt client's private JWK (ES256, mode 0600).
    pub fn pkjwt_private_jwk(&self) -> PathBuf {
        self.state_dir.join("agent-pkjwt.private.jwk.json")
    }

    pub fn get(&self, path: &str) -> Reply {
        let resp = self.http.get(self.url(path)).call();
        self.reply(resp, path)
    }

    /// `/.well-known/openid-configuration`.
    pub fn discovery(&self) -> Value {
        self.get_ok("/.well-known/openid-configuration")
    }

    /// The published JWKS (public keys).
    pub fn jwks(&self) -> Value {
        self.get_ok("/jwks")
    }

    /// The kids in the published JWKS.
    pub fn kids(&self) -> Vec<String> {
        self.jwks()["keys"]
            .as_array()
            .expect("jwks keys")
            .iter()
            .map(|k| k["kid"].as_str().expect("kid").to_owned())
            .collect()
    }

    /// POST form to the token endpoint; any status comes back (for negative tests).
    pub fn token_request(&self, auth: Auth, form: &[(&str, &str)]) -> Reply {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        let mut req = self.http.post(self.token_endpoint());
        match auth {
            Auth::None => {}
            Auth::Basic(id, secret) => {
                let basic = base64_std(format!("{id}:{secret}").as_bytes());
                req = req.header("authorization", format!("Basic {basic}"));
            }
            Auth::Assertion(assertion) => {
                fields.push(("client_assertion_type", CLIENT_ASSERTION_TYPE));
                fields.push(("client_assertion", assertion));
            }
        }
        let resp = req.send_form(fields);
        self.reply(resp, "/token")
    }

    /// A client_credentials access token for agent-cc. `resource` defaults to
    /// [`RESOURCE`] (ES256 at+jwt); [`RESOURCE_RS`] gives RS256, [`kid_resource`] a given key.
    pub fn token_client_credentials(&self, scope: Option<&str>, resource: Option<&str>) -> String {
        let mut form = vec![("grant_type", "client_credentials")];
        form.extend(scope.map(|s| ("scope", s)));
        form.extend(resource.map(|r| ("resource", r)));
        self.token_request(Auth::Basic(CC_CLIENT, CC_SECRET), &form)
            .access_token()
    }

    /// RFC 8693 exchange by agent-cc of a subject access token, with an optional actor token.
    pub fn token_exchange(&self, subject_token: &str, actor_token: Option<&str>) -> Reply {
        let mut form = vec![
            ("grant_type", GRANT_TOKEN_EXCHANGE),
            ("subject_token", subject_token),
            ("subject_token_type", TT_ACCESS_TOKEN),
        ];
        if let Some(actor) = actor_token {
            form.push(("actor_token", actor));
            form.push(("actor_token_type", TT_ACCESS_TOKEN));
        }
        self.token_request(Auth::Basic(CC_CLIENT, CC_SECRET), &form)
    }

    /// A fresh private_key_jwt assertion for agent-pkjwt (aud = issuer, new jti, 60 s).
    pub fn client_assertion(&self) -> String {
        self.admin("/test/client-assertion", json!({}))["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// Current key state.
    pub fn key_state(&self) -> KeyState {
        serde_json::from_value(self.get_ok("/test/state")).expect("key state")
    }

    /// New ES256 and RS256 keys (kids `as-es256-N`, `as-rs256-N`, N = new generation) sign
    /// from now on; the old ones stay published ([`OldKeys::Keep`]) or leave the JWKS.
    pub fn rotate(&self, old: OldKeys) -> KeyState {
        self.rotate_algs(&["ES256", "RS256"], old)
    }

    /// [`Self::rotate`] for some algs only (`"ES256"`, `"RS256"`).
    pub fn rotate_algs(&self, algs: &[&str], old: OldKeys) -> KeyState {
        let body = json!({"keep_old": old == OldKeys::Keep, "algs": algs});
        serde_json::from_value(self.admin("/test/rotate", body)).expect("key state")
    }

    /// Removes these kids from the JWKS (each alg must keep one key).
    pub fn retire(&self, kids: &[&str]) -> KeyState {
        serde_json::from_value(self.admin("/test/retire", json!({"kids": kids})))
            .expect("key state")
    }

    /// Removes every published key that is not signing.
    pub fn retire_old(&self) -> KeyState {
        serde_json::from_value(self.admin("/test/retire", json!({}))).expect("key state")
    }

    /// A JWT signed by one of the AS's keys, published or retired (`kid` None: the signing
    /// ES256 key). Claims default to `iss` = issuer, `iat` = now, `exp` = now + 300; a claim
    /// given as `null` is left out. `header` overrides `alg`/`typ`/`kid` as written
    /// (`typ` defaults to `JWT`), so a test can make a lying header.
    pub fn sign(&self, kid: Option<&str>, claims: Value, header: Value) -> String {
        let body = json!({"kid": kid, "claims": claims, "header": header});
        self.admin("/test/sign", body)["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// Lets token exchange and jwt-bearer accept tokens from another issuer.
    pub fn trust(&self, issuer: &str, jwks: Value) {
        self.admin("/test/trust", json!({"issuer": issuer, "jwks": jwks}));
    }

    /// POST JSON to a /test/ endpoint; panics unless 200.
    pub fn admin(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .send(body.to_string());
        let reply = self.reply(resp, path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.json()
    }

    fn get_ok(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
        reply.json()
    }

    fn reply(
        &self,
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Reply {
        let mut resp = resp.unwrap_or_else(|e| {
            panic!(
                "OIDC provider {what}: {e}\n--- node stderr ---\n{}",
                self.stderr()
            )
        });
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().expect("read reply body");
        Reply { status, body }
    }

    /// Spawns node on `port` and waits for its ready line. Err only for a port race.
    fn spawn(&mut self, port: u16) -> Result<(), String> {
        let mut child = Command::new("node")
            .arg(oidc_dir().join("oidc-as.mjs"))
            .arg(port.to_string())
            .arg(&self.state_dir)
            .current_dir(oidc_dir())
            .env("OIDC_AS_EXIT_ON_STDIN_EOF", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run `node` ({e}): install Node.js, then run scripts/setup-oidc.sh")
            });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        let out_pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let started = Instant::now();
        let want = format!("ready http://127.0.0.1:{port}");
        loop {
            let left = READY_TIMEOUT.saturating_sub(started.elapsed());
            match rx.recv_timeout(left) {
                Ok(line) if line.trim() == want => break,
                Ok(_) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // stdout closed: node exited before it was ready.
                    let status = child.wait().expect("wait for node");
                    std::thread::sleep(Duration::from_millis(50)); // let stderr drain
                    let text = stderr.lock().unwrap().clone();
                    if status.code() == Some(EXIT_PORT_IN_USE) {
                        return Err(format!("port {port} in use: {text}"));
                    }
                    panic!(
                        "OIDC provider exited before it was ready ({status})\n--- node stderr ---\n{text}"
                    );
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let text = stderr.lock().unwrap().clone();
                    panic!(
                        "OIDC provider not ready after {READY_TIMEOUT:?}\n--- node stderr ---\n{text}"
                    );
                }
            }
        }
        self.port = port;
        self.issuer = format!("http://127.0.0.1:{port}");
        self.stderr = stderr;
        self.child = Some(child);
        Ok(())
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Fails loudly (never skips) when the npm packages are not installed.
fn check_installed() {
    let marker = oidc_dir().join("node_modules/oidc-provider/package.json");
    assert!(
        marker.is_file(),
        "{} is missing: run scripts/setup-oidc.sh (scripts/test.sh runs it) to install the test OIDC provider",
        oidc_dir().join("node_modules").display()
    );
}

/// A port free right now on 127.0.0.1 (the OS picks it; a race is retried by `start`).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// A JWT's header and claims, decoded without verification.
pub fn jwt_parts(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a compact JWS: {token}");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&base64url_decode(part)).expect("JWT part is JSON")
    };
    (decode(parts[0]), decode(parts[1]))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (for HTTP Basic).
pub fn base64_std(input: &[u8]) -> String {
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let n = chunk.len();
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= n {
                out.push(B64[(v >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// base64url without padding (JWT parts); panics on a bad character.
pub fn base64url_decode(input: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in input.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => panic!("bad base64url character {:?}", c as char),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
