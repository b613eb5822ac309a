//! The one rule for URLs agentid will talk to or trust: https, or plain http
//! only on a loopback address (local test servers).

/// Ok when `url` is https with a host, or http on 127.0.0.0/8, ::1 or localhost.
pub fn require_https_or_loopback(url: &str) -> Result<(), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("expected an https URL, got {url:?}"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_of(authority);
    if host.is_empty() {
        return Err(format!("URL {url:?} has no host"));
    }
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(format!(
            "{url:?} uses plain http; only https is accepted (http only on loopback)"
        )),
        other => Err(format!(
            "expected an https URL, got scheme {other:?} in {url:?}"
        )),
    }
}

fn host_of(authority: &str) -> &str {
    let without_user = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = without_user.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    without_user.split(':').next().unwrap_or("")
}

/// True for plain-http URLs of a cloud instance metadata server
/// (metadata.google.internal, 169.254.169.254): link-local, reachable only
/// from the instance itself, and served over http only.
pub fn is_metadata_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(
        host_of(authority),
        "metadata.google.internal" | "169.254.169.254"
    )
}

pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for ok in [
            "https://token.actions.githubusercontent.com",
            "http://127.0.0.1:4455",
            "http://localhost/x",
            "http://[::1]:8080/",
        ] {
            assert!(require_https_or_loopback(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_plain_http_and_junk() {
        for bad in [
            "http://id.acme.example",
            "ftp://x",
            "id.acme.example",
            "https://",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(require_https_or_loopback(bad).is_err(), "{bad}");
        }
    }
}
