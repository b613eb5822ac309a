//! The one HTTP client agentid uses.
//!
//! Every request goes through here so the rules hold everywhere (docs/network.md):
//! - https only; plain http only on loopback (local test servers) and, where a
//!   caller asks, to a cloud metadata server;
//! - redirects only within the same origin (scheme, host and port), at most 5;
//! - explicit connect, read (per read, reset by each byte received) and total
//!   timeouts, each overridable by `AGENTID_HTTP_*_TIMEOUT`;
//! - a body cap enforced while streaming: no body is buffered past its cap;
//! - retries with jittered exponential backoff: idempotent requests on 429,
//!   500, 502, 503, 504 and connection failures; POSTs only on 429 and on a
//!   connection that was never made (a POST that reached the server may have
//!   taken effect, and a one-time client assertion would be replayed);
//!   `Retry-After` honoured up to a cap, beyond which the answer is returned;
//! - a user agent. Bodies are never logged: token endpoints answer with credentials.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::urls::require_https_or_loopback;

pub const USER_AGENT: &str = concat!("agentid/", env!("CARGO_PKG_VERSION"));

/// Default limit for a response body (a JWKS or discovery document is a few KiB).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole request, including reading the body (a deadline).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Longest silence while waiting for the answer or reading its body;
    /// restarts with every byte received (catches a stalled or slow-loris server
    /// well before `timeout` when that is long).
    pub read_timeout: Duration,
    /// Attempts for a retryable failure (1 = no retry).
    pub attempts: u32,
    /// First backoff; doubles per attempt.
    pub backoff: Duration,
    /// Longest wait a `Retry-After` header is honoured for; a longer one is
    /// cut to this.
    pub max_retry_after: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

/// Why a request failed. All of these are operational failures (exit 3)
/// except `Refused`, which is bad input (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL breaks the https-or-loopback rule.
    #[error("{0}")]
    Refused(String),
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url} answered HTTP {status}{detail}")]
    Status {
        url: String,
        status: u16,
        /// ": <short reason>" or empty.
        detail: String,
    },
    #[error("{url} sent more than {limit} bytes; refusing to read on")]
    TooLarge { url: String, limit: usize },
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
}

/// A response read whole (up to the limit).
#[derive(Debug, Clone)]
pub struct Response {
    /// The final URL, after redirects.
    pub url: String,
    pub status: u16,
    pub cache_control: Option<String>,
    pub content_type: Option<String>,
    pub retry_after: Option<Duration>,
    /// The provider's id for this request (`request-id`, `x-request-id`,
    /// `x-ms-request-id`, `x-amzn-requestid`): what its support asks for.
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// How a POST authenticates, when it does.
#[derive(Clone)]
pub enum Auth<'a> {
    Basic { user: &'a str, password: &'a str },
    Bearer(&'a str),
}

impl std::fmt::Debug for Auth<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never show the secret half, even in debug logs.
        match self {
            Auth::Basic { user, .. } => write!(f, "Basic({user}, <redacted>)"),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

pub struct Http {
    client: reqwest::Client,
    opts: HttpOptions,
    /// Incremented once per request sent, retries included.
    calls: Option<Arc<AtomicU64>>,
}

/// Environment variables that override the timeouts of every client, in
/// seconds (fractions allowed): for slow links, and for tests that need a
/// short timeout.
pub const ENV_TIMEOUT: &str = "AGENTID_HTTP_TIMEOUT";
pub const ENV_CONNECT_TIMEOUT: &str = "AGENTID_HTTP_CONNECT_TIMEOUT";
pub const ENV_READ_TIMEOUT: &str = "AGENTID_HTTP_READ_TIMEOUT";

/// Applies `AGENTID_HTTP_*_TIMEOUT` over `opts`; a malformed value is bad input.
fn timeouts_from_env(opts: &mut HttpOptions) -> Result<(), HttpError> {
    for (name, slot) in [
        (ENV_TIMEOUT, &mut opts.timeout),
        (ENV_CONNECT_TIMEOUT, &mut opts.connect_timeout),
        (ENV_READ_TIMEOUT, &mut opts.read_timeout),
    ] {
        if let Some(v) = std::env::var_os(name) {
            *slot = parse_seconds(&v.to_string_lossy()).ok_or_else(|| {
                HttpError::Refused(format!(
                    "{name}={:?}: expected a number of seconds between 0.01 and 3600, such as 10 or 0.5",
                    v.to_string_lossy()
                ))
            })?;
        }
    }
    Ok(())
}

fn parse_seconds(v: &str) -> Option<Duration> {
    let secs: f64 = v.trim().parse().ok()?;
    (secs.is_finite() && (0.01..=3600.0).contains(&secs)).then(|| Duration::from_secs_f64(secs))
}

/// scheme://host:port of a URL (the port made explicit), for the same-origin rule.
fn origin(url: &reqwest::Url) -> (String, Option<String>, Option<u16>) {
    (
        url.scheme().to_ascii_lowercase(),
        url.host_str().map(str::to_ascii_lowercase),
        url.port_or_known_default(),
    )
}

/// A URL for messages: no credentials, no query (it may carry a code or a token).
fn shown(url: &reqwest::Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// Follows a redirect only to the same origin as the URL that was asked for,
/// and at most 5 times. A token endpoint that moved to another host must be
/// configured by its new URL: following would send the form (client secret,
/// subject token) wherever the answer pointed. JWKS and discovery documents
/// fall under the same rule: the keys that verify a token come from the
/// issuer's own origin.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        let from = attempt.previous().last().cloned();
        if attempt.previous().len() >= 5 {
            attempt.error("more than 5 redirects")
        } else if let (Some(first), Some(from)) = (first, from)
            && origin(&first) != origin(attempt.url())
        {
            let msg = format!(
                "redirect from {} to {} refused: only redirects within the same origin (scheme, host, port) are followed",
                shown(&from),
                shown(attempt.url())
            );
            attempt.error(msg)
        } else if let Err(why) = require_https_or_loopback(attempt.url().as_str()) {
            attempt.error(format!("redirect refused: {why}"))
        } else {
            attempt.follow()
        }
    })
}

/// `d` scaled by a random factor in [0.5, 1) ("equal jitter"), so clients
/// that failed together do not retry together.
fn jitter(d: Duration) -> Duration {
    let r = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    let unit = (r >> 11) as f64 / (1u64 << 53) as f64;
    d.mul_f64(0.5 + 0.5 * unit)
}

impl Http {
    /// A client with `opts`, the timeouts overridden by `AGENTID_HTTP_*_TIMEOUT`.
    pub fn new(mut opts: HttpOptions) -> Result<Http, HttpError> {
        timeouts_from_env(&mut opts)?;
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .read_timeout(opts.read_timeout)
            .redirect(redirect_policy())
            .build()
            .map_err(|e| HttpError::Setup(e.to_string()))?;
        Ok(Http {
            client,
            opts,
            calls: None,
        })
    }

    /// Counts every request this client sends, retries included, into `calls`
    /// (inventory sources report the number of API calls they made).
    pub fn count_calls_into(mut self, calls: Arc<AtomicU64>) -> Http {
        self.calls = Some(calls);
        self
    }

    /// GET a URL; a non-2xx answer is an error.
    pub async fn get(&self, url: &str, limit: usize) -> Result<Response, HttpError> {
        let r = self
            .send(url, limit, true, || {
                self.client.get(url).header("accept", "application/json")
            })
            .await?;
        if r.is_success() {
            Ok(r)
        } else {
            Err(status_error(&r))
        }
    }

    /// POST a form; every answer that arrives is returned (the caller reads
    /// OAuth error bodies from 4xx answers).
    pub async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        auth: Option<Auth<'_>>,
        limit: usize,
    ) -> Result<Response, HttpError> {
        let body = form_urlencode(form);
        self.send(url, limit, false, || {
            let req = self
                .client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(body.clone());
            match &auth {
                Some(Auth::Basic { user, password }) => {
                    req.basic_auth(form_component(user), Some(form_component(password)))
                }
                Some(Auth::Bearer(token)) => req.bearer_auth(token),
                None => req,
            }
        })
        .await
    }

    /// GET with extra headers; every answer that arrives is returned.
    /// `metadata_http` also allows plain http to a cloud metadata server
    /// (metadata.google.internal, 169.254.169.254), which serves nothing else.
    pub async fn get_with(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        auth: Option<Auth<'_>>,
        limit: usize,
        metadata_http: bool,
    ) -> Result<Response, HttpError> {
        if metadata_http && crate::urls::is_metadata_http(url) {
            return self
                .send_unchecked(url, limit, true, || self.get_request(url, headers, &auth))
                .await;
        }
        self.send(url, limit, true, || self.get_request(url, headers, &auth))
            .await
    }

    /// PUT with extra headers and an empty body (the AWS IMDSv2 session
    /// token call); `metadata_http` as for [`Http::get_with`].
    pub async fn put_with(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        limit: usize,
        metadata_http: bool,
    ) -> Result<Response, HttpError> {
        let request = || {
            let mut req = self.client.put(url);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req
        };
        if metadata_http && crate::urls::is_metadata_http(url) {
            return self.send_unchecked(url, limit, true, request).await;
        }
        self.send(url, limit, true, request).await
    }

    fn get_request(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        auth: &Option<Auth<'_>>,
    ) -> reqwest::RequestBuilder {
        let mut req = self.client.get(url).header("accept", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        match auth {
            Some(Auth::Basic { user, password }) => req.basic_auth(user, Some(password)),
            Some(Auth::Bearer(token)) => req.bearer_auth(token),
            None => req,
        }
    }

    /// POST a JSON body; every answer that arrives is returned. Retried like
    /// any POST (429 and connection failures only).
    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
        limit: usize,
    ) -> Result<Response, HttpError> {
        self.post_json_as(url, body, headers, limit, false).await
    }

    /// POST a JSON body to a read-only method that the API documents as safe
    /// to repeat (Google's `getIamPolicy`): retried like a GET.
    pub async fn post_json_read_only(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
        limit: usize,
    ) -> Result<Response, HttpError> {
        self.post_json_as(url, body, headers, limit, true).await
    }

    async fn post_json_as(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
        limit: usize,
        idempotent: bool,
    ) -> Result<Response, HttpError> {
        let body = serde_json::to_vec(body).map_err(|e| HttpError::Setup(e.to_string()))?;
        self.send(url, limit, idempotent, || {
            let mut req = self
                .client
                .post(url)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(body.clone());
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req
        })
        .await
    }

    /// `idempotent`: a GET or PUT (or a read-only POST), retried on 429,
    /// 500, 502, 503, 504 and any connection failure. Otherwise (a POST that
    /// may have taken effect: a token request, whose client assertion is
    /// single-use) only a 429, or a connection that was never made, is retried.
    async fn send(
        &self,
        url: &str,
        limit: usize,
        idempotent: bool,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Response, HttpError> {
        require_https_or_loopback(url).map_err(HttpError::Refused)?;
        self.send_unchecked(url, limit, idempotent, build).await
    }

    async fn send_unchecked(
        &self,
        url: &str,
        limit: usize,
        idempotent: bool,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Response, HttpError> {
        let mut backoff = self.opts.backoff;
        let attempts = self.opts.attempts.max(1);
        for attempt in 1..=attempts {
            let last = attempt == attempts;
            if let Some(calls) = &self.calls {
                calls.fetch_add(1, Ordering::Relaxed);
            }
            match build().send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retryable =
                        status == 429 || (idempotent && matches!(status, 500 | 502..=504));
                    let r = read(resp, url, limit, &self.opts).await?;
                    tracing::debug!(url, status, bytes = r.body.len(), attempt, "http");
                    if retryable && !last {
                        let wait = match r.retry_after {
                            Some(asked) if asked > self.opts.max_retry_after => {
                                tracing::info!(
                                    url,
                                    status,
                                    ?asked,
                                    cap = ?self.opts.max_retry_after,
                                    "Retry-After beyond the cap; not retrying"
                                );
                                return Ok(r);
                            }
                            Some(asked) => asked,
                            None => jitter(backoff),
                        };
                        tracing::info!(url, status, ?wait, "retrying");
                        tokio::time::sleep(wait).await;
                        backoff *= 2;
                        continue;
                    }
                    return Ok(r);
                }
                Err(e) => {
                    let reason = describe(&e, &self.opts);
                    // A refused redirect or a timeout will not get better by
                    // asking again; a POST is sent again only when it never left.
                    if last
                        || e.is_redirect()
                        || e.is_timeout()
                        || e.is_builder()
                        || (!idempotent && !e.is_connect())
                    {
                        return Err(HttpError::Unreachable {
                            url: url.to_string(),
                            reason,
                        });
                    }
                    let wait = jitter(backoff);
                    tracing::info!(url, %reason, attempt, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    backoff *= 2;
                }
            }
        }
        unreachable!("the last attempt always returns")
    }
}

/// Reads the body chunk by chunk, failing as soon as it passes `limit`
/// (before buffering more), or at once when Content-Length says it will.
async fn read(
    mut resp: reqwest::Response,
    url: &str,
    limit: usize,
    opts: &HttpOptions,
) -> Result<Response, HttpError> {
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let cache_control = header("cache-control");
    let content_type = header("content-type");
    let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
    let request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| header(h))
        .map(|v| v.chars().filter(|c| !c.is_control()).take(200).collect());
    let status = resp.status().as_u16();
    let final_url = resp.url().to_string();
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(HttpError::TooLarge {
            url: url.to_string(),
            limit,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| HttpError::Unreachable {
        url: url.to_string(),
        reason: describe(&e, opts),
    })? {
        if body.len() + chunk.len() > limit {
            return Err(HttpError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response {
        url: final_url,
        status,
        cache_control,
        content_type,
        retry_after,
        request_id,
        body,
    })
}

/// Where providers put their request id, in the order looked at.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "request-id",
    "x-request-id",
    "x-ms-request-id",
    "x-amzn-requestid",
];

/// `Retry-After` (RFC 9110 section 10.2.3): delay-seconds, or an HTTP-date
/// (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) turned into the time left
/// until then (zero when it is past).
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let left = at.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(left.max(0) as u64))
}

/// The error for a non-2xx answer, with a short reason from a JSON error body
/// (`error`/`error_description`, or `message`) when there is one.
pub fn status_error(r: &Response) -> HttpError {
    let detail = serde_json::from_slice::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| {
            let pick = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            match (pick("error"), pick("error_description"), pick("message")) {
                (Some(e), Some(d), _) => Some(format!("{e}: {d}")),
                (Some(e), None, _) => Some(e),
                (None, _, Some(m)) => Some(m),
                _ => None,
            }
        })
        .map(|d| format!(": {}", one_line(&d, 200)))
        .unwrap_or_default();
    HttpError::Status {
        url: r.url.clone(),
        status: r.status,
        detail,
    }
}

/// The innermost cause of a reqwest error, which is the one a person can act on
/// ("connection refused", "dns error"), not "error sending request".
fn describe(e: &reqwest::Error, opts: &HttpOptions) -> String {
    if e.is_timeout() {
        return format!(
            "timed out (connect {:?}, read {:?}, total {:?}; {ENV_TIMEOUT}, {ENV_CONNECT_TIMEOUT} and {ENV_READ_TIMEOUT} change them)",
            opts.connect_timeout, opts.read_timeout, opts.timeout
        );
    }
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    one_line(&msg, 200)
}

pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// application/x-www-form-urlencoded, as RFC 6749 appendix B asks.
pub fn form_urlencode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", form_component(k), form_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn form_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Timeouts for the AWS SDK clients, which have their own HTTP stack
/// (aws-smithy-http-client on hyper + rustls): connect 5 s, read 30 s,
/// 60 s per attempt, 120 s for a whole operation with its retries (KMS
/// CreateKey of an RSA key can take several seconds; a local moto on a busy
/// machine took more than 10). The same `AGENTID_HTTP_*_TIMEOUT` variables
/// override connect, read and the per-attempt timeout. Retries stay the SDK's
/// "standard" mode (3 attempts, jittered exponential backoff, on throttling,
/// 5xx and transient errors): AWS API operations are safe to repeat.
pub fn aws_timeout_config() -> Result<aws_config::timeout::TimeoutConfig, HttpError> {
    let mut opts = HttpOptions {
        timeout: Duration::from_secs(60),
        read_timeout: Duration::from_secs(30),
        ..HttpOptions::default()
    };
    timeouts_from_env(&mut opts)?;
    Ok(aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.read_timeout)
        .operation_attempt_timeout(opts.timeout)
        .operation_timeout(opts.timeout.max(Duration::from_secs(120)))
        .build())
}

/// Run async network code from the synchronous command layer.
pub fn block_on<F: std::future::Future>(f: F) -> Result<F::Output, HttpError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| HttpError::Setup(e.to_string()))?;
    Ok(rt.block_on(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_follows_rfc6749_appendix_b() {
        assert_eq!(
            form_urlencode(&[
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:token-exchange"
                ),
                ("scope", "a b")
            ]),
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&scope=a+b"
        );
        assert_eq!(form_component("é&="), "%C3%A9%26%3D");
    }

    #[test]
    fn status_error_reads_oauth_error_bodies() {
        let r = Response {
            url: "http://127.0.0.1/token".into(),
            status: 400,
            cache_control: None,
            content_type: None,
            retry_after: None,
            request_id: None,
            body: br#"{"error":"invalid_grant","error_description":"bad\nsubject"}"#.to_vec(),
        };
        assert_eq!(
            status_error(&r).to_string(),
            "http://127.0.0.1/token answered HTTP 400: invalid_grant: bad subject"
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
        let text = jiff::fmt::rfc2822::to_string(&soon.in_tz("UTC").expect("utc")).expect("format");
        let wait = parse_retry_after(&text).expect("date");
        assert!((100..=120).contains(&wait.as_secs()), "{text} -> {wait:?}");
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn timeouts_from_the_environment_take_seconds() {
        assert_eq!(parse_seconds("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_seconds(" 10 "), Some(Duration::from_secs(10)));
        for bad in ["0", "-1", "NaN", "inf", "1e9", "ten", ""] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn jitter_stays_between_half_and_the_whole_backoff() {
        let d = Duration::from_millis(400);
        let waits: Vec<Duration> = (0..200).map(|_| jitter(d)).collect();
        assert!(waits.iter().all(|w| *w >= d / 2 && *w < d), "{waits:?}");
        let first = waits[0];
        assert!(waits.iter().any(|w| *w != first), "no jitter: {first:?}");
    }

    #[test]
    fn same_origin_means_scheme_host_and_port() {
        let u = |s: &str| reqwest::Url::parse(s).expect("url");
        assert_eq!(
            origin(&u("https://Id.Example/a")),
            origin(&u("https://id.example:443/b"))
        );
        assert_ne!(
            origin(&u("https://id.example/a")),
            origin(&u("https://id.example:8443/a"))
        );
        assert_ne!(
            origin(&u("https://id.example/a")),
            origin(&u("https://evil.example/a"))
        );
        assert_eq!(
            shown(&u("https://u:p@id.example/t?code=x#f")),
            "https://id.example/t"
        );
    }

    #[test]
    fn plain_http_is_refused_before_any_request() {
        let http = Http::new(HttpOptions::default()).expect("client");
        let err = block_on(http.get("http://example.com/jwks", 10))
            .expect("runtime")
            .expect_err("refused");
        assert!(matches!(err, HttpError::Refused(_)), "{err}");
    }
}
