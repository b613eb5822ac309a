//! The one HTTP client agentid uses.
//!
//! Every request goes through here so the rules hold everywhere: https only
//! (plain http only on loopback, for local test servers), redirects only to
//! URLs that pass the same rule, explicit timeouts, a bounded body, retries
//! with backoff on 429/5xx and connection failures, and a user agent. Bodies
//! are never logged: token endpoints answer with credentials.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::urls::require_https_or_loopback;

pub const USER_AGENT: &str = concat!("agentid/", env!("CARGO_PKG_VERSION"));

/// Default limit for a response body (a JWKS or discovery document is a few KiB).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole request, including reading the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
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

impl Http {
    pub fn new(opts: HttpOptions) -> Result<Http, HttpError> {
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if let Err(why) = require_https_or_loopback(attempt.url().as_str()) {
                attempt.error(format!("redirect refused: {why}"))
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .redirect(redirects)
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

    /// POST a JSON body; every answer that arrives is returned.
    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
        limit: usize,
    ) -> Result<Response, HttpError> {
        let body = serde_json::to_vec(body).map_err(|e| HttpError::Setup(e.to_string()))?;
        self.send(url, limit, false, || {
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

    /// `idempotent`: a GET, which may also be retried after a 500 (a POST
    /// that met a 500 may have taken effect, so it is not sent again).
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
                    let retryable = status == 429
                        || matches!(status, 502..=504)
                        || (status == 500 && idempotent);
                    let r = read(resp, url, limit).await?;
                    tracing::debug!(url, status, bytes = r.body.len(), attempt, "http");
                    if retryable && !last {
                        let wait = r
                            .retry_after
                            .unwrap_or(backoff)
                            .min(self.opts.max_retry_after);
                        tracing::info!(url, status, ?wait, "retrying");
                        tokio::time::sleep(wait).await;
                        backoff *= 2;
                        continue;
                    }
                    return Ok(r);
                }
                Err(e) => {
                    let reason = describe(&e);
                    // A refused redirect or a timeout will not get better by asking again.
                    if last || e.is_redirect() || e.is_timeout() || e.is_builder() {
                        return Err(HttpError::Unreachable {
                            url: url.to_string(),
                            reason,
                        });
                    }
                    tracing::info!(url, %reason, attempt, "retrying");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
            }
        }
        unreachable!("the last attempt always returns")
    }
}

async fn read(mut resp: reqwest::Response, url: &str, limit: usize) -> Result<Response, HttpError> {
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
        reason: describe(&e),
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
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_string();
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
    fn plain_http_is_refused_before_any_request() {
        let http = Http::new(HttpOptions::default()).expect("client");
        let err = block_on(http.get("http://example.com/jwks", 10))
            .expect("runtime")
            .expect_err("refused");
        assert!(matches!(err, HttpError::Refused(_)), "{err}");
    }
}
