//! What a regex cannot tell: checksums, decoding, entropy, placeholders.

use crate::model::Severity;
use crate::scan::rules::{Lifetime, ValidatorKind};

/// What a validator decided about a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not a secret (bad checksum, does not decode, a documentation example, …).
    Reject,
    /// A secret; the fields override the rule's where set.
    Keep {
        severity: Option<Severity>,
        lifetime: Option<Lifetime>,
        note: Option<String>,
    },
}

impl Verdict {
    pub const KEEP: Verdict = Verdict::Keep {
        severity: None,
        lifetime: None,
        note: None,
    };
}

/// Settings the validators need.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A JWT that may live longer than this (or has no `exp`) is long-lived.
    pub max_token_lifetime_secs: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_token_lifetime_secs: 3600,
        }
    }
}

/// Runs `kind` on a candidate: `whole` is the regex's whole match, `secret` the `secret` group.
pub fn check(kind: ValidatorKind, whole: &[u8], secret: &[u8], limits: &Limits) -> Verdict {
    match kind {
        ValidatorKind::GithubCrc32 => {
            if github_crc32(secret) {
                Verdict::KEEP
            } else {
                Verdict::Reject
            }
        }
        ValidatorKind::Jwt => jwt(secret, limits),
        ValidatorKind::PrivateKey => private_key(secret),
        ValidatorKind::GenericValue => generic_value(whole, secret),
        ValidatorKind::RandomString => random_string(secret),
    }
}

/// Shannon entropy in bits per byte.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that mark a value as a stand-in, matched without regard to case.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "redacted",
    "replace_me",
    "replaceme",
    "your_",
    "your-",
    "insert_",
    "dummy",
    // Elided: `sk-ant-api03-...`, `AKIA…`.
    "...",
    "\u{2026}",
];

/// True when `secret` is a stand-in rather than a credential: a documented
/// example (`AKIAIOSFODNN7EXAMPLE`), a mask (`xxxxx`, `*****`, `.....`), a
/// template or variable reference (`<...>`, `${VAR}`, `{{ var }}`, `%(x)s`).
pub fn is_placeholder(secret: &[u8]) -> bool {
    let lower: Vec<u8> = secret.iter().map(u8::to_ascii_lowercase).collect();
    if PLACEHOLDER_WORDS
        .iter()
        .any(|w| contains(&lower, w.as_bytes()))
    {
        return true;
    }
    // A mask: five of the same masking character in a row.
    if lower
        .windows(5)
        .any(|w| matches!(w[0], b'x' | b'*' | b'.' | b'#' | b'0') && w.iter().all(|&b| b == w[0]))
    {
        return true;
    }
    for (open, close) in [
        (&b"${"[..], &b"}"[..]),
        (b"{{", b"}}"),
        (b"<", b">"),
        (b"%(", b")"),
    ] {
        if let Some(i) = find(secret, open)
            && find(&secret[i + open.len()..], close).is_some()
        {
            return true;
        }
    }
    false
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// CRC-32 (IEEE 802.3, the one zlib and `binascii.crc32` compute).
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &b in bytes {
        crc = TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62 (0-9, A-Z, a-z), left-padded with `0` to `width`.
pub fn base62(mut n: u64, width: usize) -> String {
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// GitHub's token format (github.blog, 2021-04-05, "Behind GitHub's new
/// authentication token formats"): `<prefix>_` + 30 random base62 characters
/// + their CRC32 as 6 base62 characters (0-9A-Za-z, zero-padded). A token
///   whose checksum does not verify was never issued: a typo or a fake.
pub fn github_crc32(token: &[u8]) -> bool {
    let Some(underscore) = token.iter().rposition(|&b| b == b'_') else {
        return false;
    };
    let body = &token[underscore + 1..];
    if body.len() <= 6 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, check) = body.split_at(body.len() - 6);
    base62(u64::from(crc32(random)), 6).as_bytes() == check
}

/// The example token of jwt.io and countless READMEs: never a live credential.
const JWT_IO_EXAMPLE_SUB: &str = "1234567890";

fn jwt(secret: &[u8], limits: &Limits) -> Verdict {
    use crate::token::{claims, jwt};
    let Ok(text) = std::str::from_utf8(secret) else {
        return Verdict::Reject;
    };
    let Ok(jws) = jwt::parse(text) else {
        return Verdict::Reject;
    };
    let c = &jws.claims;
    if c.get("sub").and_then(|v| v.as_str()) == Some(JWT_IO_EXAMPLE_SUB)
        && c.get("name").and_then(|v| v.as_str()) == Some("John Doe")
    {
        return Verdict::Reject;
    }
    let date = |name: &str| claims::numeric_date(c, name).ok().flatten();
    let exp = date("exp");
    let start = date("iat").or_else(|| date("nbf"));
    let (lifetime, severity, note) = match (exp, start) {
        (None, _) => (
            Lifetime::LongLived,
            Severity::High,
            "no exp: valid until its signing key is rotated".to_string(),
        ),
        (Some(exp), Some(start)) => {
            let secs = exp.as_second() - start.as_second();
            let human = crate::duration::humanize_secs(secs);
            if secs > limits.max_token_lifetime_secs {
                (
                    Lifetime::LongLived,
                    Severity::Medium,
                    format!(
                        "lives {human}, over the {} limit",
                        crate::duration::humanize_secs(limits.max_token_lifetime_secs)
                    ),
                )
            } else {
                (
                    Lifetime::ShortLived,
                    Severity::Low,
                    format!("lives {human}"),
                )
            }
        }
        (Some(_), None) => (
            Lifetime::LongLived,
            Severity::Medium,
            "has exp but no iat or nbf: lifetime unknown".to_string(),
        ),
    };
    Verdict::Keep {
        severity: Some(severity),
        lifetime: Some(lifetime),
        note: Some(note),
    }
}

fn private_key(block: &[u8]) -> Verdict {
    use base64::Engine as _;
    let text = String::from_utf8_lossy(block);
    // JSON-escaped newlines (a key inside a JSON string) are whitespace here.
    let text = text.replace("\\n", "\n").replace("\\r", "");
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(begin) = lines.next() else {
        return Verdict::Reject;
    };
    let mut headers = Vec::new();
    let mut body = String::new();
    for l in lines {
        if l.starts_with("-----END") {
            break;
        }
        if l.contains(':') {
            headers.push(l.to_string());
        } else {
            body.push_str(l);
        }
    }
    let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) else {
        return Verdict::Reject;
    };
    if der.len() < 32 {
        return Verdict::Reject;
    }
    let openssh = begin.contains("OPENSSH");
    let encrypted = if openssh {
        const MAGIC: &[u8] = b"openssh-key-v1\0";
        if !der.starts_with(MAGIC) {
            return Verdict::Reject;
        }
        // string ciphername: u32 length, then the name; "none" is unencrypted.
        let rest = &der[MAGIC.len()..];
        let Some(len) = rest
            .get(..4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        else {
            return Verdict::Reject;
        };
        match rest.get(4..4 + len) {
            Some(name) => name != b"none",
            None => return Verdict::Reject,
        }
    } else {
        // PKCS#1, SEC1, PKCS#8: DER, a SEQUENCE.
        if der[0] != 0x30 && !begin.contains("PGP") {
            return Verdict::Reject;
        }
        begin.contains("ENCRYPTED") || headers.iter().any(|h| h.contains("ENCRYPTED"))
    };
    if encrypted {
        Verdict::Keep {
            severity: Some(Severity::Medium),
            lifetime: None,
            note: Some("encrypted: useless without its passphrase, which may be near".into()),
        }
    } else {
        Verdict::KEEP
    }
}

/// Name endings that say the value is about a secret, not the secret.
const NOT_SECRET_NAMES: &[&str] = &[
    "_name",
    "_id",
    "_file",
    "_path",
    "_dir",
    "_url",
    "_uri",
    "_endpoint",
    "_length",
    "_len",
    "_type",
    "_policy",
    "_ref",
    "_env",
    "_var",
    "_field",
    "_key_name",
    "_header",
    "_prefix",
    "_regex",
    "_pattern",
    "_format",
    "_hash",
    "_salt",
    "_expiry",
    "_expires",
    "_ttl",
];

/// A generic assignment's value must look like a credential: letters and
/// digits (or be long and random), not code, a path, a URL or a word.
fn generic_value(whole: &[u8], secret: &[u8]) -> Verdict {
    // The name is what precedes the assignment operator.
    let name_end = whole
        .iter()
        .position(|&b| matches!(b, b'=' | b':' | b' ' | b'\t' | b'"' | b'\''))
        .unwrap_or(whole.len());
    let name: Vec<u8> = whole[..name_end]
        .iter()
        .map(|b| match b.to_ascii_lowercase() {
            b'-' | b'.' => b'_',
            b => b,
        })
        .collect();
    if NOT_SECRET_NAMES
        .iter()
        .any(|s| name.ends_with(s.as_bytes()))
    {
        return Verdict::Reject;
    }
    let lower: Vec<u8> = secret.iter().map(u8::to_ascii_lowercase).collect();
    // A path, a URL, a variable or a decorator. A leading '%' or '#' is
    // only a reference when the rest says so (`%s`, `%APPDATA%`, `#ff00ff`):
    // generated passwords start with either ('%T*amg!iVU#2wI', and YAML
    // writes `password: #mbU7x…` unquoted).
    if contains(&lower, b"://")
        || matches!(secret.first(), Some(b'/' | b'.' | b'~' | b'$' | b'@'))
        || (secret.first() == Some(&b'%') && is_format_or_reference(secret))
        || (secret.first() == Some(&b'#') && is_colour_or_anchor(secret))
        || contains(secret, b"../")
    {
        return Verdict::Reject;
    }
    for w in [
        &b"password"[..],
        b"secret",
        b"token",
        b"fake",
        b"sample",
        b"test",
        b"todo",
        b"null",
        b"none",
        b"undefined",
    ] {
        if contains(&lower, w) {
            return Verdict::Reject;
        }
    }
    // Code: a dotted or called identifier (self.password, os.environ.get,
    // getPass, DEFAULT_TOKEN). Letters alone can still be random: a long
    // value with high entropy and upper and lower case mixed near evenly
    // is not how anyone writes a name (camelCase runs about one capital in
    // six letters, constants are all capitals).
    let identifier = secret
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || b == b'_' || b == b'.');
    if identifier && !mixed_case_random(secret) {
        return Verdict::Reject;
    }
    let has_digit = secret.iter().any(u8::is_ascii_digit);
    let has_alpha = secret.iter().any(u8::is_ascii_alphabetic);
    let random = secret.len() >= 16 && entropy(secret) >= 4.0;
    if !(has_alpha && (has_digit || random)) {
        return Verdict::Reject;
    }
    // A number with a unit or a version (1.2.3, 500ms, 10.0.0.1) is not a secret.
    if secret
        .iter()
        .all(|&b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'_' || b == b':')
    {
        return Verdict::Reject;
    }
    Verdict::KEEP
}

/// A value starting with '%' that is a format or a variable reference, not
/// a secret: `%VAR%` (Windows), `%{name}` and `%(name)s` (interpolation), or
/// nothing but printf/strftime directives and punctuation (`%s:%d`, `%Y-%m-%d`).
fn is_format_or_reference(v: &[u8]) -> bool {
    if v.starts_with(b"%{") || v.starts_with(b"%(") {
        return true;
    }
    if v.len() > 2
        && v.last() == Some(&b'%')
        && v[1..v.len() - 1]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return true;
    }
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' {
            i += 1;
            while i < v.len() && matches!(v[i], b'-' | b'+' | b' ' | b'#' | b'0'..=b'9' | b'.') {
                i += 1;
            }
            match v.get(i) {
                Some(b) if b.is_ascii_alphabetic() || *b == b'%' => i += 1,
                _ => return false,
            }
        } else if v[i].is_ascii_alphanumeric() {
            return false;
        } else {
            i += 1;
        }
    }
    true
}

/// A value starting with '#' that is a colour (`#ff00ff`) or an anchor or
/// tag made of words (`#installation-guide`), not a secret.
fn is_colour_or_anchor(v: &[u8]) -> bool {
    let rest = &v[1..];
    rest.iter().all(u8::is_ascii_hexdigit)
        || rest
            .iter()
            .all(|&b| b.is_ascii_lowercase() || matches!(b, b'-' | b'_' | b'.'))
}

/// A quoted literal that no name marks as a secret must look random on its
/// own: both letter cases, and a mix of classes that names, words, paths,
/// digests and encoded text do not have. Hex (digests, UUIDs, commit ids)
/// is never enough on its own: it cannot be told from a checksum.
fn random_string(v: &[u8]) -> Verdict {
    if looks_random(v) {
        Verdict::KEEP
    } else {
        Verdict::Reject
    }
}

/// Character classes for counting changes between neighbours.
fn class(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => 0,
        b'a'..=b'z' => 1,
        b'0'..=b'9' => 2,
        _ => 3,
    }
}

/// Hash-algorithm prefixes of digests and Subresource Integrity values.
const DIGEST_PREFIXES: &[&str] = &[
    "md5-", "md5:", "sha1-", "sha1:", "sha224-", "sha256-", "sha256:", "sha384-", "sha512-",
    "sha512:",
];

pub fn looks_random(v: &[u8]) -> bool {
    let n = v.len();
    if n < 16 {
        return false;
    }
    if v.iter().all(|&b| b.is_ascii_hexdigit() || b == b'-') {
        return false;
    }
    let lower: Vec<u8> = v.iter().map(u8::to_ascii_lowercase).collect();
    if DIGEST_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()))
    {
        return false;
    }
    let upper = v.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lowers = v.iter().filter(|b| b.is_ascii_lowercase()).count();
    let digits = v.iter().filter(|b| b.is_ascii_digit()).count();
    if upper == 0 || lowers == 0 {
        return false;
    }
    if digits + (n - upper - lowers - digits) == 0 && !mixed_case_random(v) {
        return false;
    }
    // Names: segments that are each a word, a capitalised word, an acronym,
    // a number or one character (`#option-cargo-add--C`, `Foo_BAR.baz2`).
    let segments_are_words = v
        .split(|b| matches!(b, b'-' | b'_' | b'.' | b'/' | b'#' | b':'))
        .filter(|s| !s.is_empty())
        .all(|s| {
            s.len() == 1
                || s.iter().all(u8::is_ascii_lowercase)
                || s.iter().all(u8::is_ascii_uppercase)
                || s.iter().all(u8::is_ascii_digit)
                || (s[0].is_ascii_uppercase() && s[1..].iter().all(u8::is_ascii_lowercase))
        });
    if segments_are_words {
        return false;
    }
    // A path: three or more '/'-separated parts, half of them plain words.
    let parts: Vec<&[u8]> = v.split(|&b| b == b'/').collect();
    if parts.len() >= 3
        && parts
            .iter()
            .filter(|p| {
                p.len() >= 3
                    && (p.iter().all(|&b| {
                        b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || matches!(b, b'.' | b'-' | b'_')
                    }) || (p[0].is_ascii_uppercase()
                        && p[1..].iter().all(u8::is_ascii_lowercase)))
            })
            .count()
            * 2
            >= parts.len()
    {
        return false;
    }
    // Words: most of it in runs of four or more small letters, or small
    // letters in runs of three on average (`VecStringOrBool`, `oldIE-userData`):
    // random text over upper and lower case averages under two.
    if word_share(v) > 0.6 || mean_small_run(v) >= 3.0 {
        return false;
    }
    // Percent-encoded text (`impl-From%3CError%3E`).
    if v.windows(3)
        .filter(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
        .count()
        >= 2
    {
        return false;
    }
    if is_encoded_text(v) {
        return false;
    }
    let changes = v.windows(2).filter(|w| class(w[0]) != class(w[1])).count();
    if (changes as f64) < 0.35 * (n - 1) as f64 {
        return false;
    }
    entropy(v) >= 0.8 * (n.min(62) as f64).log2()
}

/// The share of `v` in runs of four or more small letters, each optionally
/// after one capital (`getUserName` is all words; random text rarely is).
fn word_share(v: &[u8]) -> f64 {
    let mut worded = 0;
    let mut i = 0;
    while i < v.len() {
        let start = i;
        if v[i].is_ascii_uppercase() {
            i += 1;
        }
        let small = i;
        while i < v.len() && v[i].is_ascii_lowercase() {
            i += 1;
        }
        if i - small >= 4 {
            worded += i - start;
        }
        if i == start {
            i += 1;
        }
    }
    worded as f64 / v.len() as f64
}

/// The mean length of the runs of small letters in `v`.
fn mean_small_run(v: &[u8]) -> f64 {
    let (mut letters, mut runs, mut in_run) = (0usize, 0usize, false);
    for &b in v {
        if b.is_ascii_lowercase() {
            letters += 1;
            if !in_run {
                runs += 1;
            }
            in_run = true;
        } else {
            in_run = false;
        }
    }
    if runs == 0 {
        0.0
    } else {
        letters as f64 / runs as f64
    }
}

/// Base64 (standard or URL-safe) of mostly printable text: data, not a key.
fn is_encoded_text(v: &[u8]) -> bool {
    use base64::Engine as _;
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    if !body
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
    {
        return false;
    }
    let whole: Vec<u8> = body[..body.len() / 4 * 4]
        .iter()
        .map(|&b| match b {
            b'-' => b'+',
            b'_' => b'/',
            b => b,
        })
        .collect();
    let Ok(decoded) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&whole) else {
        return false;
    };
    !decoded.is_empty()
        && decoded
            .iter()
            .filter(|&&b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
            .count()
            * 10
            >= decoded.len() * 9
}

/// Letters only, yet random: 16 or more ASCII letters, entropy of at least
/// 4 bits per byte, and between a quarter and three quarters capitals.
fn mixed_case_random(value: &[u8]) -> bool {
    if value.len() < 16 || !value.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let upper = value.iter().filter(|b| b.is_ascii_uppercase()).count();
    let share = upper as f64 / value.len() as f64;
    (0.25..=0.75).contains(&share) && entropy(value) >= 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_only_values_are_names_unless_random() {
        for name in [
            &b"getDatabasePasswordFromEnvironment"[..],
            b"DEFAULT_ADMIN_TOKEN",
            b"self.config.password",
            b"readSecretFromVault",
            b"ThisIsTheSecretValueForTheApp",
        ] {
            assert!(
                !mixed_case_random(name),
                "{}",
                String::from_utf8_lossy(name)
            );
        }
        assert!(mixed_case_random(b"LygqnNteCTYWPiuUmAdpQeehSUZByuKL"));
        assert!(mixed_case_random(b"qWeRtZuXvBnMkJhGfDsA"));
    }

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn base62_pads_to_width() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 6), "00000z");
        assert_eq!(base62(62, 6), "000010");
        assert_eq!(base62(u64::from(u32::MAX), 6), "4gfFC3");
    }

    fn make(prefix: &str, random: &str) -> String {
        format!(
            "{prefix}{random}{}",
            base62(u64::from(crc32(random.as_bytes())), 6)
        )
    }

    #[test]
    fn github_checksum() {
        let good = make("ghp_", "kucGs4wSf2wZyNRmbarP5dv6Uzok01");
        assert!(github_crc32(good.as_bytes()));
        for prefix in ["gho_", "ghu_", "ghs_", "ghr_"] {
            assert!(github_crc32(
                make(prefix, "A1b2C3d4E5f6G7h8I9j0KkLlMmNnOo").as_bytes()
            ));
        }
        // One character changed anywhere breaks it.
        let mut bad = good.clone().into_bytes();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        assert!(!github_crc32(&bad));
        let mut bad = good.into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'a' { b'b' } else { b'a' };
        assert!(!github_crc32(&bad));
        assert!(!github_crc32(b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(!github_crc32(b"ghp_"));
        assert!(!github_crc32(b"no underscore"));
    }

    #[test]
    fn entropy_of_simple_strings() {
        assert_eq!(entropy(b""), 0.0);
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "xxxxxxxx",
            "XXXXXXXXXXXXXXXX",
            "********",
            "<your-api-key>",
            "${API_KEY}",
            "{{ .Values.token }}",
            "%(password)s",
            "changeme",
            "sk-ant-api03-REDACTED",
            "your_token_here",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "kX9#mQ2vL7pR4wz",
            "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",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    /// A leading '%' or '#' is a reference, a format or a colour only when
    /// the rest says so; generated passwords start with either.
    #[test]
    fn leading_percent_and_hash() {
        let keep = |w: &str, s: &str| generic_value(w.as_bytes(), s.as_bytes()) == Verdict::KEEP;
        assert!(keep("k: '%T*amg!iVU#2wI-^Rc'", "%T*amg!iVU#2wI-^Rc"));
        assert!(keep(
            "password: #mbU7xCYNM^_nv-P+XHZ",
            "#mbU7xCYNM^_nv-P+XHZ"
        ));
        for (w, s) in [
            ("api_key=%APPDATA_KEY%", "%APPDATA_KEY%"),
            ("api_key=%{vault_key}", "%{vault_key}"),
            ("api_key=%(key)s", "%(key)s"),
            ("auth_token: %s:%d-%Y%m%d", "%s:%d-%Y%m%d"),
            ("api_key: %-08.3f%%", "%-08.3f%%"),
            ("secret: #a1b2c3d4e5", "#a1b2c3d4e5"),
            ("secret: #installation-guide", "#installation-guide"),
        ] {
            assert!(!keep(w, s), "{s}");
        }
    }

    #[test]
    fn random_strings_and_what_only_looks_random() {
        for s in [
            "ix3E5L222SM1GJa7YJ4i2UxD8KTI6DCwvOQpA62Z",
            "JHwaE1eWs9nJw=B^ozh503Xu",
            "EQVKR3Oo_^Py_%5-JR4Lts-t",
            "LygqnNteCTYWPiuUmAdpQeehSUZByuKL",
        ] {
            assert!(looks_random(s.as_bytes()), "{s}");
        }
        for s in [
            // Digests, UUIDs, commit ids, Subresource Integrity.
            "a27212b97eef4baa4a74fa339b3a4232468ae2ad",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "sha512-q83vOsz7ZWnC2hc/YvLmQkC2PlmE2nJQ==",
            // Names, anchors, file names, paths, options.
            "getUserAccountSettingsHandler",
            "#option-cargo-add--Z",
            "struct.HttpNot200.html",
            "#/definitions/VecStringOrBool",
            "oldIE-userDataStorage",
            "src/main/java/com/Example/Foo2Bar.java",
            "-DCMAKE_VS_GLOBALS=TrackFileAccess=false",
            "RELEASE_2024_Q3_FINAL-BUILD",
            // Percent-encoded and base64-encoded text.
            "#impl-ResultExt%3CT%2C%20Error%3E",
            "L2hvbWUvdWJ1bnR1L2xpYi5ycw==",
            // Too short to judge.
            "aB3dE5",
        ] {
            assert!(!looks_random(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn generic_values() {
        let keep = |w: &str, s: &str| generic_value(w.as_bytes(), s.as_bytes()) == Verdict::KEEP;
        assert!(keep("DB_PASSWORD=\"kX9#mQ2vL7pR4wz\"", "kX9#mQ2vL7pR4wz"));
        assert!(!keep(
            "password = self.config.password",
            "self.config.password"
        ));
        assert!(!keep("secret_name: my-app-secret", "my-app-secret"));
        assert!(!keep("token_url: https://x/token", "https://x/token"));
        assert!(!keep("password: 1.2.3", "1.2.3"));
        assert!(!keep("password_file: /etc/pw1", "/etc/pw1"));
    }
}
