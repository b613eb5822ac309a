//! Recognising and redacting secrets, so none is ever echoed back whole.

/// Prefixes of credentials that are never a variable name or an id.
const SECRET_PREFIXES: &[&str] = &[
    "sk-ant-",
    "sk-proj-",
    "sk-svcacct-",
    "sk-admin-",
    "sk_live_",
    "rk_live_",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "hf_",
    "npm_",
    "pypi-AgE",
    "AIza",
    "-----BEGIN",
];

/// True when `text` looks like a credential rather than a name, id or URL.
pub fn looks_like_secret(text: &str) -> bool {
    let t = text.trim();
    if SECRET_PREFIXES
        .iter()
        .any(|p| t.starts_with(p) && t.len() >= p.len() + 8)
    {
        return true;
    }
    // AWS access key ids: AKIA/ASIA + 16 upper-case letters or digits.
    if t.len() == 20
        && (t.starts_with("AKIA") || t.starts_with("ASIA"))
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return true;
    }
    // A JWT: three base64url parts, the first a JSON header.
    if t.starts_with("eyJ") && t.matches('.').count() == 2 && t.len() > 40 {
        return true;
    }
    // Legacy OpenAI keys: sk- and 48 alphanumerics.
    if let Some(rest) = t.strip_prefix("sk-")
        && rest.len() >= 40
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return true;
    }
    false
}

/// A safe form of a secret for messages: its first characters and its length.
pub fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(8).collect();
    format!("{head}… ({} chars, redacted)", secret.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_credentials() {
        for s in [
            "sk-ant-admin01-abcdefghijklmnopqrstuvwxyz",
            "AKIAQWERTYUIOPASDFGH",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl",
        ] {
            assert!(looks_like_secret(s), "{s}");
        }
    }

    #[test]
    fn leaves_names_alone() {
        for s in [
            "ANTHROPIC_ADMIN_KEY",
            "team-payments",
            "https://id.acme.example",
            "sk-",
            "AKIA",
        ] {
            assert!(!looks_like_secret(s), "{s}");
        }
    }

    #[test]
    fn redaction_keeps_a_prefix_only() {
        let r = redact("sk-ant-admin01-abcdefghijklmnop");
        assert!(r.starts_with("sk-ant-a"));
        assert!(!r.contains("abcdefghijklmnop"));
    }
}
