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

/// Free text (a revocation reason, a note) with every word that looks like a
/// credential replaced by its [`redact`]ed form, so that text written to a
/// journal or a report never carries a secret someone pasted into it
/// ("key leaked in CI log: sk-ant-…"). Words are split at whitespace and at
/// quotes, brackets, commas, semicolons, `=`, `&` and `|` (so `key=value`
/// pairs of a quoted form body split too); everything else is kept as is.
pub fn redact_in_text(text: &str) -> String {
    let is_sep = |c: char| c.is_whitespace() || "\"'`,;()[]{}<>=&|".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // A trailing colon or full stop belongs to the sentence, not the key.
        let trimmed = word.trim_end_matches([':', '.']);
        if looks_like_secret(trimmed) {
            out.push_str(&redact(trimmed));
            out.push_str(&word[trimmed.len()..]);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_sep(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
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
    fn secrets_pasted_into_free_text_are_redacted() {
        let key = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl";
        let text = format!("key leaked in CI log: {key}, token \"{jwt}\" (see #12).");
        let r = redact_in_text(&text);
        assert!(!r.contains(key) && !r.contains(jwt), "{r}");
        assert!(
            r.starts_with("key leaked in CI log: ghp_0123… (40 chars, redacted),"),
            "{r}"
        );
        assert!(r.ends_with("(see #12)."), "{r}");
        assert_eq!(
            redact_in_text("rotated early: suspected leak"),
            "rotated early: suspected leak"
        );
        // Idempotent: a redacted form is not a secret.
        assert_eq!(redact_in_text(&r), r);
    }

    #[test]
    fn redaction_keeps_a_prefix_only() {
        let r = redact("sk-ant-admin01-abcdefghijklmnop");
        assert!(r.starts_with("sk-ant-a"));
        assert!(!r.contains("abcdefghijklmnop"));
    }
}
