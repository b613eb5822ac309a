//! Where verification keys come from: a JWKS file or URL, a key file, an
//! issuer's discovery document, or — with no flag — the token's own issuer,
//! but only when the registry declares it.
//!
//! Fetched JWKS go through the disk cache (jwks_cache.rs). An unknown `kid`
//! may trigger one refetch, rate-limited, so rotation at the issuer just
//! works without letting a made-up kid cause a request per token.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use super::discovery::{self, DiscoveryError};
use super::jwks_cache::{self, DiscoveryEntry, Entry, JwksCache};
use super::keys::KeySet;
use super::verify::KeyContext;
use crate::http::{DEFAULT_BODY_LIMIT, Http, HttpError, HttpOptions};

/// What the user asked to trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySpec {
    /// `--jwks FILE`
    JwksFile(PathBuf),
    /// `--jwks URL`
    JwksUrl(String),
    /// `--key FILE`: PEM public key, certificate, JWK or JWKS.
    KeyFile(PathBuf),
    /// `--issuer URL` without `--jwks`/`--key`: discovery.
    Issuer(String),
}

impl KeySpec {
    /// `--jwks` takes a file or a URL; anything with a scheme is a URL.
    pub fn jwks(arg: &str) -> KeySpec {
        if arg.contains("://") {
            KeySpec::JwksUrl(arg.to_string())
        } else {
            KeySpec::JwksFile(PathBuf::from(arg))
        }
    }
}

/// Why no keys could be had.
#[derive(Debug, thiserror::Error)]
pub enum KeySourceError {
    /// The user's input is wrong: an unreadable or malformed key file, a
    /// non-https URL (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// The network or the issuer failed (exit 3).
    #[error("{0}")]
    Unavailable(String),
}

impl From<DiscoveryError> for KeySourceError {
    fn from(e: DiscoveryError) -> Self {
        if e.is_bad_input() {
            KeySourceError::BadInput(e.to_string())
        } else {
            KeySourceError::Unavailable(format!("key not found at issuer: {e}"))
        }
    }
}

fn http_err(e: HttpError) -> KeySourceError {
    match e {
        HttpError::Refused(m) => KeySourceError::BadInput(m),
        other => KeySourceError::Unavailable(other.to_string()),
    }
}

/// Keys ready for verification, and how to get fresher ones.
#[derive(Debug)]
pub struct Resolved {
    pub keys: KeySet,
    pub ctx: KeyContext,
    /// The JWKS URL, when the keys came from one (refetch is possible).
    pub jwks_uri: Option<String>,
    pub issuer: Option<String>,
    fetched_at: Option<Timestamp>,
}

pub struct Resolver {
    http: Option<Http>,
    cache: Option<JwksCache>,
    offline: bool,
    now: Timestamp,
}

impl Resolver {
    /// `cache` None disables the disk cache (no HOME, or a test).
    pub fn new(cache: Option<JwksCache>, offline: bool, now: Timestamp) -> Self {
        Resolver {
            http: None,
            cache,
            offline,
            now,
        }
    }

    fn http(&mut self) -> Result<&Http, KeySourceError> {
        if self.http.is_none() {
            self.http = Some(Http::new(HttpOptions::default()).map_err(http_err)?);
        }
        Ok(self.http.as_ref().expect("just set"))
    }

    pub async fn resolve(&mut self, spec: &KeySpec) -> Result<Resolved, KeySourceError> {
        match spec {
            KeySpec::JwksFile(path) => {
                let bytes = read_file(path, "--jwks")?;
                let origin = format!("JWKS {}", path.display());
                let keys = KeySet::from_jwks_json(&bytes, &path.display().to_string())
                    .map_err(|e| KeySourceError::BadInput(e.to_string()))?;
                Ok(local(keys, origin))
            }
            KeySpec::KeyFile(path) => {
                let keys = super::keys::load_key_file(path)
                    .map_err(|e| KeySourceError::BadInput(e.to_string()))?;
                Ok(local(keys, format!("key file {}", path.display())))
            }
            KeySpec::JwksUrl(url) => self.jwks_from_url(url, None, false).await,
            KeySpec::Issuer(issuer) => self.from_issuer(issuer).await,
        }
    }

    /// Discovery (cached), then the JWKS it names.
    pub async fn from_issuer(&mut self, issuer: &str) -> Result<Resolved, KeySourceError> {
        let cached = self.cache.as_ref().and_then(|c| c.load_discovery(issuer));
        let jwks_uri = match cached {
            Some(d) if self.offline || self.now < d.fresh_until => d.jwks_uri,
            _ if self.offline => {
                return Err(KeySourceError::Unavailable(format!(
                    "--offline: no cached discovery for issuer {issuer}; run once without --offline"
                )));
            }
            _ => {
                let meta = discovery::discover(self.http()?, issuer).await?;
                let Some(uri) = meta.jwks_uri else {
                    return Err(KeySourceError::Unavailable(format!(
                        "key not found at issuer: {} names no jwks_uri",
                        meta.document_url
                    )));
                };
                if let Some(c) = &self.cache {
                    let entry = DiscoveryEntry {
                        schema_version: 1,
                        issuer: issuer.to_string(),
                        jwks_uri: uri.clone(),
                        fetched_at: self.now,
                        fresh_until: self.now + jwks_cache::DEFAULT_FRESH,
                    };
                    if let Err(e) = c.store_discovery(&entry) {
                        tracing::warn!(error = %e, "cannot write the discovery cache");
                    }
                }
                uri
            }
        };
        let mut r = self.jwks_from_url(&jwks_uri, Some(issuer), false).await?;
        r.issuer = Some(issuer.to_string());
        Ok(r)
    }

    async fn jwks_from_url(
        &mut self,
        url: &str,
        issuer: Option<&str>,
        force: bool,
    ) -> Result<Resolved, KeySourceError> {
        crate::urls::require_https_or_loopback(url).map_err(KeySourceError::BadInput)?;
        let cached = self.cache.as_ref().and_then(|c| c.load(url));
        if let Some(e) = &cached
            && (self.offline || (!force && e.is_fresh(self.now)))
        {
            let keys = KeySet::from_jwks_json(e.jwks.get().as_bytes(), url)
                .map_err(|err| KeySourceError::Unavailable(format!("cached {err}")))?;
            let age = self.now.as_second() - e.fetched_at.as_second();
            return Ok(Resolved {
                keys,
                ctx: KeyContext {
                    origin: format!(
                        "JWKS {url} (cached {} ago)",
                        crate::duration::humanize_secs(age.max(0))
                    ),
                    refetched: false,
                },
                jwks_uri: Some(url.to_string()),
                issuer: issuer.map(str::to_string),
                fetched_at: Some(e.fetched_at),
            });
        }
        if self.offline {
            return Err(KeySourceError::Unavailable(format!(
                "--offline: no cached JWKS for {url}; run once without --offline"
            )));
        }
        let resp = self
            .http()?
            .get(url, DEFAULT_BODY_LIMIT)
            .await
            .map_err(|e| KeySourceError::Unavailable(format!("cannot fetch the JWKS: {e}")))?;
        // Parse before caching: a broken answer must not replace a good entry.
        let keys = KeySet::from_jwks_json(&resp.body, url).map_err(|e| {
            KeySourceError::Unavailable(format!("the issuer served a bad JWKS: {e}"))
        })?;
        if let Some(c) = &self.cache {
            let fresh: Duration = jwks_cache::freshness(resp.cache_control.as_deref());
            let body = String::from_utf8_lossy(&resp.body).into_owned();
            match serde_json::value::RawValue::from_string(body) {
                Ok(raw) => {
                    let entry = Entry {
                        schema_version: 1,
                        jwks_uri: url.to_string(),
                        issuer: issuer.map(str::to_string),
                        fetched_at: self.now,
                        fresh_until: self.now + fresh,
                        jwks: raw,
                    };
                    if let Err(e) = c.store(&entry) {
                        tracing::warn!(error = %e, "cannot write the JWKS cache");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "not caching a JWKS that is not plain JSON"),
            }
        }
        Ok(Resolved {
            keys,
            ctx: KeyContext {
                origin: format!("JWKS {url}"),
                refetched: force,
            },
            jwks_uri: Some(url.to_string()),
            issuer: issuer.map(str::to_string),
            fetched_at: Some(self.now),
        })
    }

    /// After an unknown kid: fetch the JWKS again, at most once per
    /// [`jwks_cache::REFETCH_INTERVAL`]. Returns false when no refetch happened
    /// (a file source, `--offline`, or fetched moments ago).
    pub async fn refetch(&mut self, r: &mut Resolved) -> Result<bool, KeySourceError> {
        let Some(url) = r.jwks_uri.clone() else {
            return Ok(false);
        };
        if self.offline {
            return Ok(false);
        }
        let recent = r.fetched_at.is_some_and(|t| {
            self.now.as_second() - t.as_second() < jwks_cache::REFETCH_INTERVAL.as_secs() as i64
        });
        if recent {
            // Fetched moments ago (this run, or a run just before): as fresh
            // as it gets, and the rate limit says not to ask again.
            r.ctx.refetched = true;
            return Ok(false);
        }
        let issuer = r.issuer.clone();
        *r = self.jwks_from_url(&url, issuer.as_deref(), true).await?;
        Ok(true)
    }
}

fn local(keys: KeySet, origin: String) -> Resolved {
    Resolved {
        keys,
        ctx: KeyContext {
            origin,
            refetched: false,
        },
        jwks_uri: None,
        issuer: None,
        fetched_at: None,
    }
}

/// Reads the file `flag` named, saying which flag in every error.
fn read_file(path: &std::path::Path, flag: &str) -> Result<Vec<u8>, KeySourceError> {
    const MAX: u64 = 1024 * 1024;
    let cannot = |e: std::io::Error| {
        KeySourceError::BadInput(format!(
            "cannot read the {flag} file {}: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.len() > MAX {
        return Err(KeySourceError::BadInput(format!(
            "{}: {} bytes; a {flag} file is at most 1 MiB",
            path.display(),
            meta.len()
        )));
    }
    std::fs::read(path).map_err(cannot)
}

/// Why a file could not be read, in words for a one-line error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
