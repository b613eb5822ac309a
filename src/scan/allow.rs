//! Inline suppression: an `agentid:allow` marker on a secret's line.
//!
//! - `agentid:allow` allows every rule on that line; text after it (separated
//!   by a space) is a free comment: `# agentid:allow test fixture, not a real key`.
//! - `agentid:allow=RULE[,RULE…]` allows only the rules named (ids as in
//!   `scan-secrets rules`): `// agentid:allow=github-pat-classic,generic-secret`.
//!
//! The marker is looked for in the bytes of the line, so any comment syntax
//! works (`#`, `//`, `/* */`, `<!-- -->`, `--`, `;`), and so does a marker in
//! a string. A secret over several lines (a private key) may carry it on any
//! of them. `agentid:allowed` or `agentid:allow_x` is not a marker, and
//! neither is `agentid:allow=` with no rule after it.

/// The marker.
pub const MARKER: &[u8] = b"agentid:allow";

/// The first marker in `text` that allows `rule`, as written
/// (`agentid:allow` or `agentid:allow=a,b`).
pub fn allowing<'t>(text: &'t [u8], rule: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(at) = find(&text[from..], MARKER) {
        let start = from + at;
        let after = start + MARKER.len();
        from = after;
        match text.get(after) {
            Some(b'=') => {
                let list_end = text[after + 1..]
                    .iter()
                    .position(|&b| !is_list_byte(b))
                    .map_or(text.len(), |p| after + 1 + p);
                let list = &text[after + 1..list_end];
                let names_rule = list
                    .split(|&b| b == b',')
                    .any(|id| !id.is_empty() && id == rule.as_bytes());
                if names_rule {
                    return std::str::from_utf8(&text[start..list_end]).ok();
                }
            }
            Some(&b) if is_word_byte(b) => {}
            _ => return std::str::from_utf8(&text[start..after]).ok(),
        }
    }
    None
}

/// True when `text` holds the marker at all (a cheap first check per line).
pub fn has_marker(text: &[u8]) -> bool {
    find(text, MARKER).is_some()
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_list_byte(b: u8) -> bool {
    is_word_byte(b) || b == b','
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let rule = "github-pat-classic";
        for (line, want) in [
            ("T=x # agentid:allow", Some("agentid:allow")),
            ("T=x // agentid:allow test fixture", Some("agentid:allow")),
            ("T=x /* agentid:allow */", Some("agentid:allow")),
            ("T=x <!-- agentid:allow -->", Some("agentid:allow")),
            ("T=x -- agentid:allow", Some("agentid:allow")),
            ("T=x #agentid:allow.", Some("agentid:allow")),
            (
                "T=x # agentid:allow=github-pat-classic",
                Some("agentid:allow=github-pat-classic"),
            ),
            (
                "T=x # agentid:allow=generic-secret,github-pat-classic -- ok",
                Some("agentid:allow=generic-secret,github-pat-classic"),
            ),
            ("T=x # agentid:allow=generic-secret", None),
            ("T=x # agentid:allow=github-pat", None),
            ("T=x # agentid:allow=", None),
            ("T=x # agentid:allowed", None),
            ("T=x # agentid:allow_all", None),
            ("T=x # agentid: allow", None),
            ("T=x # AGENTID:ALLOW", None),
            ("T=x", None),
            (
                "agentid:allow=generic-secret agentid:allow",
                Some("agentid:allow"),
            ),
        ] {
            assert_eq!(allowing(line.as_bytes(), rule), want, "{line}");
        }
    }
}
