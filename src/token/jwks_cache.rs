//! The on-disk JWKS cache: one file per JWKS URL under
//! `$XDG_CACHE_HOME/agentid/jwks/` (or `~/.cache/agentid/jwks/`,
//! `AGENTID_CACHE_DIR` overrides the `agentid` directory).
//!
//! Freshness follows the issuer's `Cache-Control: max-age`, clamped between a
//! floor (an issuer saying `no-cache` must not make us fetch for every token
//! of a batch) and a ceiling (a key revoked at the issuer must disappear
//! within a day). A missing or corrupt entry is a cache miss, never an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Shortest time a fetched JWKS counts as fresh.
pub const MIN_FRESH: Duration = Duration::from_secs(60);
/// Longest time a fetched JWKS counts as fresh, whatever the issuer says.
pub const MAX_FRESH: Duration = Duration::from_secs(24 * 3600);
/// Freshness when the issuer sends no max-age.
pub const DEFAULT_FRESH: Duration = Duration::from_secs(15 * 60);
/// An unknown `kid` makes us refetch a fresh JWKS at most this often: a token
/// with a made-up kid must not turn agentid into a request amplifier.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(30);

/// One cached JWKS.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub schema_version: u32,
    pub jwks_uri: String,
    /// The issuer whose discovery led here, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    pub fetched_at: Timestamp,
    pub fresh_until: Timestamp,
    /// The JWKS exactly as served.
    pub jwks: Box<serde_json::value::RawValue>,
}

impl Entry {
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now < self.fresh_until
    }

    /// True when the entry was fetched long enough ago that an unknown kid
    /// may trigger another fetch.
    pub fn may_refetch(&self, now: Timestamp) -> bool {
        now.duration_since(self.fetched_at).as_secs() >= REFETCH_INTERVAL.as_secs() as i64
    }
}

#[derive(Debug, Clone)]
pub struct JwksCache {
    dir: PathBuf,
}

impl JwksCache {
    pub fn new(dir: PathBuf) -> Self {
        JwksCache { dir }
    }

    /// `AGENTID_CACHE_DIR`, else `$XDG_CACHE_HOME/agentid`, else `~/.cache/agentid`;
    /// `None` when none of them is set.
    pub fn default_location() -> Option<Self> {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let base = env("AGENTID_CACHE_DIR")
            .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("agentid")))
            .or_else(|| env("HOME").map(|h| h.join(".cache").join("agentid")))?;
        Some(JwksCache::new(base.join("jwks")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path_for(&self, jwks_uri: &str) -> PathBuf {
        self.dir.join(file_name(jwks_uri))
    }

    /// The cached entry for a URL, if there is a readable one for that URL.
    pub fn load(&self, jwks_uri: &str) -> Option<Entry> {
        let path = self.path_for(jwks_uri);
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<Entry>(&bytes) {
            Ok(e) if e.schema_version == 1 && e.jwks_uri == jwks_uri => Some(e),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring a corrupt JWKS cache entry");
                None
            }
        }
    }

    /// Store an entry atomically (a temporary file renamed into place), so a
    /// concurrent reader sees the old entry or the new one, never half.
    pub fn store(&self, entry: &Entry) -> std::io::Result<()> {
        self.write_atomic(&self.path_for(&entry.jwks_uri), entry)
    }
}

/// Where an issuer's discovery said its JWKS lives, so `--offline` and
/// repeated runs need no discovery request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiscoveryEntry {
    pub schema_version: u32,
    pub issuer: String,
    pub jwks_uri: String,
    pub fetched_at: Timestamp,
    pub fresh_until: Timestamp,
}

impl JwksCache {
    fn discovery_path(&self, issuer: &str) -> PathBuf {
        self.dir.join(format!("issuer-{}", file_name(issuer)))
    }

    pub fn load_discovery(&self, issuer: &str) -> Option<DiscoveryEntry> {
        let bytes = std::fs::read(self.discovery_path(issuer)).ok()?;
        serde_json::from_slice::<DiscoveryEntry>(&bytes)
            .ok()
            .filter(|e| e.schema_version == 1 && e.issuer == issuer)
    }

    pub fn store_discovery(&self, entry: &DiscoveryEntry) -> std::io::Result<()> {
        self.write_atomic(&self.discovery_path(&entry.issuer), entry)
    }

    fn write_atomic<T: Serialize>(&self, path: &Path, value: &T) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".jwks-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)?;
        serde_json::to_writer(&mut tmp, value)?;
        tmp.write_all(b"\n")?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// How long a response counts as fresh, from its Cache-Control header.
pub fn freshness(cache_control: Option<&str>) -> Duration {
    let Some(cc) = cache_control else {
        return DEFAULT_FRESH;
    };
    let mut max_age = None;
    for directive in cc.split(',') {
        let d = directive.trim().to_ascii_lowercase();
        if d == "no-store" || d == "no-cache" {
            return MIN_FRESH;
        }
        if let Some(v) = d.strip_prefix("max-age=") {
            max_age = v.trim_matches('"').parse::<u64>().ok();
        }
    }
    max_age
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_FRESH)
        .clamp(MIN_FRESH, MAX_FRESH)
}

/// A readable, collision-free file name for a URL: its host and path with
/// unsafe characters replaced, then a hash of the whole URL.
fn file_name(url: &str) -> String {
    let readable: String = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!("{readable}-{:016x}.json", fnv1a(url.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_clamped() {
        assert_eq!(freshness(None), DEFAULT_FRESH);
        assert_eq!(
            freshness(Some("public, max-age=3600")),
            Duration::from_secs(3600)
        );
        assert_eq!(freshness(Some("max-age=5")), MIN_FRESH);
        assert_eq!(freshness(Some("max-age=99999999")), MAX_FRESH);
        assert_eq!(freshness(Some("no-store")), MIN_FRESH);
        assert_eq!(freshness(Some("max-age=junk")), DEFAULT_FRESH);
    }

    #[test]
    fn entries_round_trip_and_are_keyed_by_url() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = JwksCache::new(dir.path().join("jwks"));
        let now: Timestamp = "2026-11-26T00:00:00Z".parse().expect("time");
        let entry = Entry {
            schema_version: 1,
            jwks_uri: "https://issuer.example/jwks".into(),
            issuer: Some("https://issuer.example".into()),
            fetched_at: now,
            fresh_until: now + Duration::from_secs(60),
            jwks: serde_json::value::RawValue::from_string(r#"{"keys":[]}"#.into()).expect("raw"),
        };
        cache.store(&entry).expect("store");
        let back = cache.load("https://issuer.example/jwks").expect("cached");
        assert_eq!(
            (back.fetched_at, back.fresh_until),
            (entry.fetched_at, entry.fresh_until)
        );
        assert_eq!(back.jwks.get(), r#"{"keys":[]}"#);
        assert!(cache.load("https://issuer.example/other").is_none());
        assert!(entry.is_fresh(now));
        assert!(!entry.is_fresh(now + Duration::from_secs(60)));
        assert!(!entry.may_refetch(now + Duration::from_secs(10)));
        assert!(entry.may_refetch(now + Duration::from_secs(30)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(cache.dir())
                .expect("dir")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[test]
    fn a_corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = JwksCache::new(dir.path().to_path_buf());
        std::fs::write(cache.path_for("https://x.example/jwks"), b"{not json").expect("write");
        assert!(cache.load("https://x.example/jwks").is_none());
    }
}
