//! Network hygiene (docs/network.md) against local misbehaving servers on
//! 127.0.0.1: slow loris, huge bodies, redirects to another host, 503s for a
//! GET and for a token POST, Retry-After beyond the cap, a self-signed
//! certificate, and plain http to a non-loopback host. The servers are std
//! threads on TcpListener (the tests are synchronous; tokio's `net` feature
//! is not compiled for the binary and is not worth adding for tests).
//!
//! Real commands (`token verify --jwks URL`, `--issuer` discovery,
//! `exchange oauth`) where they reach the path; the library's `Http` for the
//! rest.

mod common;
#[path = "common/scripted.rs"]
mod scripted;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentid::http::{Http, HttpError, HttpOptions, block_on};
use common::{Scratch, run};
use scripted::{Answer, Server};

/// A JWT with a well-formed header; its signature never verifies, which is
/// fine: these tests look at how the keys were fetched (exit 3 = fetch failed,
/// exit 1 = fetched and the token failed verification).
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw";

fn jwks() -> String {
    std::fs::read_to_string(common::repo().join("tests/fixtures/keys/jwks.json")).expect("jwks")
}

fn verify(s: &Scratch, url: &str, env: &[(&str, &str)]) -> (i32, String, String, Duration) {
    s.write("t.jwt", TOKEN);
    let mut c = s.cmd();
    c.env("XDG_CACHE_HOME", s.path().join("cache"))
        .args(["token", "verify", "t.jwt", "--jwks", url]);
    for (k, v) in env {
        c.env(k, v);
    }
    let started = Instant::now();
    let (code, out, err) = run(c);
    (code, out, err, started.elapsed())
}

/// `exchange oauth` of a subject token at `endpoint` (a POST to a token endpoint).
fn exchange(s: &Scratch, endpoint: &str) -> (i32, String, String) {
    s.write("subject.jwt", TOKEN);
    let mut c = s.cmd();
    c.env("CS", "client-secret-value-123").args([
        "exchange",
        "oauth",
        "--token-endpoint",
        endpoint,
        "--subject-token",
        "subject.jwt",
        "--client-id",
        "c",
        "--client-secret-env",
        "CS",
        "--audience",
        "https://api.example",
        "-f",
        "json",
    ]);
    run(c)
}

/// Reads one request head (up to the blank line) from `conn`.
fn read_head(conn: &TcpStream) {
    let mut r = BufReader::new(conn.try_clone().expect("clone"));
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            return;
        }
    }
}

/// A raw server: `serve(connection)` for every connection, on its own thread.
fn raw_server(serve: impl Fn(TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let serve = serve.clone();
            std::thread::spawn(move || serve(conn));
        }
    });
    format!("http://{addr}")
}

/// Answers with headers, then one body byte every `every`, until the client
/// goes away or `max` bytes.
fn trickle_server(every: Duration, max: usize) -> String {
    raw_server(move |mut conn| {
        read_head(&conn);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {max}\r\n\r\n"
        );
        if conn.write_all(head.as_bytes()).is_err() {
            return;
        }
        for _ in 0..max {
            std::thread::sleep(every);
            if conn.write_all(b" ").and_then(|_| conn.flush()).is_err() {
                return;
            }
        }
    })
}

#[test]
fn slow_loris_hits_the_read_timeout_and_names_the_url() {
    let base = trickle_server(Duration::from_secs(1), 100);
    let url = format!("{base}/jwks");
    let s = Scratch::new();
    let (code, out, err, took) = verify(&s, &url, &[("AGENTID_HTTP_READ_TIMEOUT", "0.5")]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains(&url), "names the URL: {err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("read 500ms"), "says which timeout: {err}");
    // Headers at once, then a byte a second: only the 0.5 s read timeout can
    // stop it this early (the total is 15 s, the body would take 100 s).
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_server_that_never_answers_hits_the_read_timeout() {
    let base = raw_server(|conn| {
        read_head(&conn);
        std::thread::sleep(Duration::from_secs(30));
        drop(conn);
    });
    let s = Scratch::new();
    let (code, _, err, took) = verify(
        &s,
        &format!("{base}/jwks"),
        &[("AGENTID_HTTP_READ_TIMEOUT", "0.5")],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_steady_trickle_is_stopped_by_the_total_timeout() {
    // A byte every 200 ms never trips the 1 s read timeout; the 1.5 s total does.
    let base = trickle_server(Duration::from_millis(200), 1000);
    let http = Http::new(HttpOptions {
        timeout: Duration::from_millis(1500),
        read_timeout: Duration::from_secs(1),
        ..HttpOptions::default()
    })
    .expect("client");
    let started = Instant::now();
    let err = block_on(http.get(&format!("{base}/jwks"), 1 << 20))
        .expect("runtime")
        .expect_err("deadline");
    let took = started.elapsed();
    assert!(matches!(err, HttpError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        took >= Duration::from_millis(1400) && took < Duration::from_secs(5),
        "took {took:?}"
    );
}

#[test]
fn a_malformed_timeout_setting_is_bad_input() {
    let s = Scratch::new();
    let (code, _, err, _) = verify(
        &s,
        "http://127.0.0.1:9/jwks",
        &[("AGENTID_HTTP_READ_TIMEOUT", "soon")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("AGENTID_HTTP_READ_TIMEOUT=\"soon\""), "{err}");
}

/// Streams `total` bytes of a JSON string without a length (read until
/// close), counting what it managed to write before the client hung up.
fn huge_server(total: u64, declare_length: bool, written: Arc<AtomicU64>) -> String {
    raw_server(move |mut conn| {
        read_head(&conn);
        let length = if declare_length {
            format!("content-length: {total}\r\n")
        } else {
            String::new()
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n{{\"keys\":\""
        );
        if conn.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0u64;
        while sent < total {
            match conn.write(&chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    sent += n as u64;
                    written.store(sent, Ordering::SeqCst);
                }
            }
        }
    })
}

/// Runs `cmd` and returns (exit code, stderr, peak resident set in KiB), the
/// peak as the kernel counted it for the child (`wait4` rusage `ru_maxrss`).
/// The child is reaped by `wait4`, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_measuring_peak_rss(mut cmd: std::process::Command) -> (i32, String, u64) {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn agentid");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        code,
        reader.join().expect("stderr thread"),
        usage.ru_maxrss as u64,
    )
}

#[test]
fn a_100_mb_jwks_is_cut_at_the_cap_without_buffering_it() {
    const TOTAL: u64 = 100 * 1024 * 1024;
    let written = Arc::new(AtomicU64::new(0));
    let base = huge_server(TOTAL, false, written.clone());
    let url = format!("{base}/jwks");
    let s = Scratch::new();
    s.write("t.jwt", TOKEN);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_agentid"));
    cmd.current_dir(s.path())
        .env_clear()
        .env("HOME", s.path().join("home"))
        .env("XDG_CACHE_HOME", s.path().join("cache"))
        .args(["token", "verify", "t.jwt", "--jwks", &url]);
    let (code, err, peak_kib) = run_measuring_peak_rss(cmd);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(&url) && err.contains("more than 1048576 bytes"),
        "{err}"
    );
    // The whole body would need 100 MiB; the cap is 1 MiB. Peak RSS of the
    // debug binary doing this is ~15-25 MiB; 64 MiB leaves room and still
    // fails if the body were buffered.
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
    eprintln!("peak RSS {peak_kib} KiB");
    // The client hung up early: the server could not write much past the cap
    // (plus what the loopback socket buffers hold).
    std::thread::sleep(Duration::from_millis(300));
    let sent = written.load(Ordering::SeqCst);
    eprintln!("server wrote {sent} bytes before the client hung up");
    assert!(sent < 32 * 1024 * 1024, "server wrote {sent} bytes");
    assert!(sent >= 1024 * 1024, "server wrote only {sent} bytes");
}

#[test]
fn a_declared_1_gb_body_is_refused_before_reading_it() {
    let written = Arc::new(AtomicU64::new(0));
    let base = huge_server(1 << 30, true, written.clone());
    let http = Http::new(HttpOptions::default()).expect("client");
    let err = block_on(http.get(&format!("{base}/jwks"), 1 << 20))
        .expect("runtime")
        .expect_err("too large");
    assert!(
        matches!(err, HttpError::TooLarge { limit, .. } if limit == 1 << 20),
        "{err}"
    );
    std::thread::sleep(Duration::from_millis(300));
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < 32 * 1024 * 1024, "server wrote {sent} bytes");
}

/// A server that counts its requests and answers 200 `{}`.
fn counting_server() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let url = raw_server(move |mut conn| {
        read_head(&conn);
        h.fetch_add(1, Ordering::SeqCst);
        let _ =
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
    });
    (url, hits)
}

#[test]
fn a_token_endpoint_redirect_to_another_host_is_refused_naming_both() {
    let (other, other_hits) = counting_server();
    // Same loopback address, another origin: "localhost" and another port.
    let target = format!("{}/token", other.replace("127.0.0.1", "localhost"));
    let server = Server::start();
    let t = target.clone();
    server.on("/token", move |_, _| {
        Answer::json(307, "{}").with_header("location", &t)
    });
    let s = Scratch::new();
    let endpoint = format!("{}/token", server.url);
    let (code, out, err) = exchange(&s, &endpoint);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains(&endpoint), "names the endpoint: {err}");
    assert!(err.contains(&target), "names the redirect target: {err}");
    assert!(err.contains("same origin"), "{err}");
    assert_eq!(other_hits.load(Ordering::SeqCst), 0, "the form never left");
    assert_eq!(server.requests_to("/token").len(), 1, "not retried");
    assert!(!err.contains("client-secret-value-123"), "{err}");
}

#[test]
fn a_jwks_redirect_to_another_host_is_refused_but_same_origin_is_followed() {
    let (other, other_hits) = counting_server();
    let server = Server::start();
    let away = format!("{other}/jwks");
    let a = away.clone();
    server.on("/away", move |_, _| {
        Answer::json(302, "{}").with_header("location", &a)
    });
    let home = format!("{}/jwks", server.url);
    let h = home.clone();
    server.on("/moved", move |_, _| {
        Answer::json(301, "{}").with_header("location", &h)
    });
    let body = jwks();
    server.on("/jwks", move |_, _| Answer::json(200, body.clone()));

    let s = Scratch::new();
    let (code, _, err, _) = verify(&s, &format!("{}/away", server.url), &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains(&away) && err.contains("/away"), "{err}");
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);

    // Control: a redirect within the origin is followed and the keys are
    // used (the token then fails verification: exit 1, not 3).
    let (code, out, err, _) = verify(&s, &format!("{}/moved", server.url), &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(server.requests_to("/jwks").len(), 1);
}

#[test]
fn a_get_is_retried_after_two_503s_and_succeeds() {
    let server = Server::start();
    let body = jwks();
    server.on("/jwks", move |_, n| {
        if n < 2 {
            Answer::json(503, r#"{"error":"unavailable"}"#)
        } else {
            Answer::json(200, body.clone())
        }
    });
    let s = Scratch::new();
    let (code, out, err, _) = verify(&s, &format!("{}/jwks", server.url), &[]);
    assert_eq!(code, 1, "fetched, then the token failed: {out}\n{err}");
    assert_eq!(server.requests_to("/jwks").len(), 3, "2 × 503 + 200");

    // The same through the library, which returns the body.
    let server = Server::start();
    let body = jwks();
    server.on("/jwks", move |_, n| {
        if n < 2 {
            Answer::json(503, "{}")
        } else {
            Answer::json(200, body.clone())
        }
    });
    let http = Http::new(HttpOptions::default()).expect("client");
    let r = block_on(http.get(&format!("{}/jwks", server.url), 1 << 20))
        .expect("runtime")
        .expect("third attempt");
    assert_eq!(r.status, 200);
    assert_eq!(server.requests_to("/jwks").len(), 3);
}

#[test]
fn a_token_post_is_not_retried_on_5xx() {
    for status in [500, 502, 503, 504] {
        let server = Server::start();
        server.always(
            "/token",
            Answer::json(status, r#"{"error":"server_error"}"#),
        );
        let s = Scratch::new();
        let (code, out, err) = exchange(&s, &format!("{}/token", server.url));
        assert_eq!(code, 3, "{status}: {out}\n{err}");
        assert_eq!(
            server.requests_to("/token").len(),
            1,
            "a POST that met {status} is sent once"
        );
    }
}

#[test]
fn a_token_post_is_retried_after_a_429() {
    let server = Server::start();
    server.on("/token", |_, n| {
        if n == 0 {
            Answer::json(429, r#"{"error":"slow_down"}"#).with_header("retry-after", "0")
        } else {
            Answer::json(503, r#"{"error":"server_error"}"#)
        }
    });
    let http = Http::new(HttpOptions::default()).expect("client");
    let r = block_on(http.post_form(
        &format!("{}/token", server.url),
        &[("grant_type", "client_credentials")],
        None,
        1 << 20,
    ))
    .expect("runtime")
    .expect("answered");
    // 429 (rejected unprocessed, retried), then 503 (may have been processed: returned).
    assert_eq!(r.status, 503);
    assert_eq!(server.requests_to("/token").len(), 2);
}

#[test]
fn retry_after_beyond_the_cap_is_not_waited_for() {
    let server = Server::start();
    server.always(
        "/jwks",
        Answer::json(429, r#"{"error":"slow_down"}"#).with_header("retry-after", "3600"),
    );
    let http = Http::new(HttpOptions::default()).expect("client");
    let started = Instant::now();
    let err = block_on(http.get(&format!("{}/jwks", server.url), 1 << 20))
        .expect("runtime")
        .expect_err("429");
    assert!(
        matches!(err, HttpError::Status { status: 429, .. }),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.requests_to("/jwks").len(), 1);

    // Within the cap it is honoured.
    let server = Server::start();
    server.on("/jwks", |_, n| {
        if n == 0 {
            Answer::json(429, "{}").with_header("retry-after", "1")
        } else {
            Answer::json(200, "{}")
        }
    });
    let started = Instant::now();
    block_on(http.get(&format!("{}/jwks", server.url), 1 << 20))
        .expect("runtime")
        .expect("second attempt");
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.requests_to("/jwks").len(), 2);
}

/// An https server on 127.0.0.1 with the self-signed fixture certificate.
/// Records whether a handshake completed and whether the client sent an alert.
fn self_signed_https() -> (String, Arc<AtomicBool>, Arc<std::sync::Mutex<Vec<String>>>) {
    let dir = common::repo().join("tests/fixtures/tls");
    let cert = pem::parse(std::fs::read(dir.join("self-signed.crt.pem")).expect("cert"))
        .expect("cert pem");
    let key =
        pem::parse(std::fs::read(dir.join("self-signed.key.pem")).expect("key")).expect("key pem");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![rustls::pki_types::CertificateDer::from(
            cert.contents().to_vec(),
        )],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.contents().to_vec().into()),
    )
    .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (sv, er) = (served.clone(), errors.clone());
    std::thread::spawn(move || {
        for mut tcp in listener.incoming().flatten() {
            let mut conn = rustls::ServerConnection::new(config.clone()).expect("conn");
            while conn.is_handshaking() {
                if let Err(e) = conn.complete_io(&mut tcp) {
                    er.lock().unwrap().push(e.to_string());
                    break;
                }
            }
            if !conn.is_handshaking() {
                sv.store(true, Ordering::SeqCst);
            }
        }
    });
    (format!("https://{addr}"), served, errors)
}

#[test]
fn a_self_signed_certificate_is_refused() {
    let (base, served, server_errors) = self_signed_https();
    let url = format!("{base}/jwks");
    let s = Scratch::new();
    let (code, out, err, _) = verify(&s, &url, &[]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains(&url), "{err}");
    assert!(
        err.to_lowercase().contains("certificate"),
        "the handshake got as far as the certificate: {err}"
    );
    assert!(!served.load(Ordering::SeqCst), "no handshake completed");
    let seen = server_errors.lock().unwrap().join("; ");
    assert!(
        seen.to_lowercase().contains("alert"),
        "the client refused with a TLS alert: {seen}"
    );
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_before_connecting() {
    // 203.0.113.0/24 is TEST-NET-3: a connection attempt would hang until the
    // connect timeout (5 s) and fail with exit 3, not this.
    let s = Scratch::new();
    let url = "http://203.0.113.7/jwks";
    let (code, _, err, took) = verify(&s, url, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("plain http") && err.contains(url), "{err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");

    let (code, _, err) = exchange(&s, "http://203.0.113.7/token");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("plain http"), "{err}");
}

#[test]
fn a_plain_http_jwks_uri_from_a_discovery_document_is_refused() {
    let server = Server::start();
    let issuer = server.url.clone();
    let doc = serde_json::json!({
        "issuer": issuer,
        "jwks_uri": "http://203.0.113.7/jwks",
        "token_endpoint": format!("{issuer}/token"),
    })
    .to_string();
    server.always("/.well-known/openid-configuration", Answer::json(200, doc));
    let s = Scratch::new();
    s.write("t.jwt", TOKEN);
    let mut c = s.cmd();
    c.env("XDG_CACHE_HOME", s.path().join("cache"))
        .args(["token", "verify", "t.jwt", "--issuer", &issuer]);
    let started = Instant::now();
    let (code, out, err) = run(c);
    // Exit 3, not 2: the issuer's server published the bad document, the
    // user's input was fine. What matters: refused, nothing sent there.
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(
        err.contains("http://203.0.113.7/jwks") && err.contains("plain http"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        server
            .requests_to("/.well-known/openid-configuration")
            .len(),
        1
    );
}
