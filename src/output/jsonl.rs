//! JSON Lines: one compact JSON object per line, each carrying
//! `schema_version` and `kind`, so a stream can be read line by line.

use std::io::{self, Write};

use serde::Serialize;

use crate::scan::report::{FINDING_KIND, FindingLine, SCHEMA_VERSION, ScanReport};
use crate::token::verifier::VerifyReport;
use crate::token::verify::Outcome;

pub fn write_line<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// `scan-secrets -f jsonl`: one line per finding (`kind: agentid.secret_finding`).
pub fn secret_scan(out: &mut dyn Write, r: &ScanReport) -> io::Result<()> {
    for f in &r.findings {
        write_line(
            out,
            &FindingLine {
                schema_version: SCHEMA_VERSION,
                kind: FINDING_KIND,
                finding: f,
            },
        )?;
    }
    Ok(())
}

/// `token verify --batch`: one result line, byte for byte what
/// `serde_json::to_writer` makes of a [`VerifyReport`] plus `\n`, written
/// straight into the chunk's buffer. A batch writes about a kilobyte per
/// token, and serde_json's writer (one `io::Write` call per fragment) took
/// ~6 % of a 100 k-token RS256 run, a fifth of the time outside the
/// signature; this writer takes about half that. The tests below hold it to
/// serde_json's output for every field and every character class.
pub fn verify_result(out: &mut Vec<u8>, r: &VerifyReport) {
    use std::io::Write as _;
    out.extend_from_slice(b"{\"schema_version\":");
    push_u64(out, u64::from(r.schema_version));
    out.extend_from_slice(b",\"kind\":");
    push_str(out, r.kind);
    out.extend_from_slice(b",\"source\":");
    push_str(out, &r.source);
    if let Some(line) = r.line {
        out.extend_from_slice(b",\"line\":");
        push_u64(out, line as u64);
    }
    // A Timestamp prints as RFC 3339: digits, '-', ':', 'T', '.', 'Z'; never
    // anything JSON escapes. Writing to a Vec cannot fail.
    let _ = write!(out, ",\"as_of\":\"{}\"", r.as_of);
    out.extend_from_slice(if r.valid {
        b",\"valid\":true"
    } else {
        b",\"valid\":false"
    });
    for (name, value) in [
        (&b",\"explanation\":"[..], &r.explanation),
        (b",\"issuer\":", &r.issuer),
        (b",\"subject\":", &r.subject),
        (b",\"agent\":", &r.agent),
    ] {
        if let Some(v) = value {
            out.extend_from_slice(name);
            push_str(out, v);
        }
    }
    if let Some(k) = &r.key {
        out.extend_from_slice(b",\"key\":{");
        if let Some(kid) = &k.kid {
            out.extend_from_slice(b"\"kid\":");
            push_str(out, kid);
            out.push(b',');
        }
        out.extend_from_slice(b"\"alg\":");
        push_str(out, &k.alg);
        out.extend_from_slice(b",\"thumbprint\":");
        push_str(out, &k.thumbprint);
        out.extend_from_slice(b",\"origin\":");
        push_str(out, &k.origin);
        out.push(b'}');
    }
    out.extend_from_slice(b",\"checks\":[");
    for (i, c) in r.checks.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"name\":");
        push_str(out, &c.name);
        out.extend_from_slice(match c.outcome {
            Outcome::Pass => b",\"outcome\":\"pass\",\"detail\":",
            Outcome::Fail => b",\"outcome\":\"fail\",\"detail\":",
            Outcome::Skip => b",\"outcome\":\"skip\",\"detail\":",
        });
        push_str(out, &c.detail);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
}

fn push_u64(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control
/// characters as `\b \t \n \f \r` or `\u00XX` (lower-case hex), nothing else.
fn push_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push(b'"');
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // Most text needs no escape: step over eight such bytes at a time.
        if let Some(chunk) = bytes.get(i..i + 8)
            && let Ok(chunk) = <[u8; 8]>::try_from(chunk)
            && !needs_escape(u64::from_le_bytes(chunk))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escaped);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether any of the eight bytes of `chunk` is a control character, `"`
/// or `\` (the bytes JSON escapes). Exact, with no false positives or
/// negatives: the classic "has a zero byte" and "has a byte below n" tests.
fn needs_escape(chunk: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let has_control = chunk.wrapping_sub(ONES * 0x20) & !chunk & HIGH != 0;
    has_control
        || has_zero(chunk ^ (ONES * u64::from(b'"')))
        || has_zero(chunk ^ (ONES * u64::from(b'\\')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::verify::{Check, KeyUsed};

    fn serde_line(r: &VerifyReport) -> String {
        let mut v = serde_json::to_vec(r).unwrap_or_default();
        v.push(b'\n');
        String::from_utf8(v).unwrap_or_default()
    }

    fn ours(r: &VerifyReport) -> String {
        let mut v = Vec::new();
        verify_result(&mut v, r);
        String::from_utf8(v).unwrap_or_default()
    }

    fn report() -> VerifyReport {
        VerifyReport {
            schema_version: 1,
            kind: crate::token::verifier::KIND,
            source: "line 7".into(),
            line: Some(7),
            as_of: "2026-11-01T00:00:00Z".parse().unwrap_or_default(),
            valid: true,
            explanation: None,
            issuer: Some("https://id.acme.example".into()),
            subject: Some("repo:acme/app:ref:refs/heads/main".into()),
            agent: None,
            key: Some(KeyUsed {
                kid: Some("k1".into()),
                alg: "RS256".into(),
                thumbprint: "Jw6IsgaPW63wqt3Owdf8_D_SADrlff6_MYvX9DVuQc8".into(),
                origin: "key file keys/rsa.pem".into(),
            }),
            checks: vec![
                Check::pass("alg", "RS256 fits the RSA 2048-bit key".into()),
                Check::fail("exp", "expired 3d ago (2026-10-29T00:00:00Z)".into()),
                Check::skip("aud", "absent; no expected audience given".into()),
            ],
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_every_offset() {
        let specials = [
            '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', 'é', '\u{2028}', ' ', '~',
        ];
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 24] {
            for at in 0..len.max(1) {
                for c in specials {
                    let text: String = (0..len).map(|k| if k == at { c } else { 'a' }).collect();
                    let mut ours = Vec::new();
                    push_str(&mut ours, &text);
                    let theirs = serde_json::to_vec(&text).unwrap_or_default();
                    assert_eq!(ours, theirs, "{text:?}");
                }
            }
        }
        for chunk in 0..=255u8 {
            let eight = u64::from_le_bytes([b'a', b'a', chunk, b'a', b'a', b'a', b'a', b'a']);
            let expected = chunk < 0x20 || chunk == b'"' || chunk == b'\\';
            assert_eq!(needs_escape(eight), expected, "byte {chunk:#x}");
        }
    }

    #[test]
    fn verify_lines_are_what_serde_json_writes() {
        let mut all_chars = String::new();
        for c in (0u8..0x80).map(char::from) {
            all_chars.push(c);
        }
        all_chars.push_str("é€😀\u{7f}\u{2028}/");
        let mut cases = vec![report()];
        let mut r = report();
        r.line = None;
        r.valid = false;
        r.explanation = Some(all_chars.clone());
        r.issuer = None;
        r.subject = Some(all_chars.clone());
        r.agent = Some("agent \"quoted\"".into());
        r.key = None;
        r.checks
            .push(Check::fail(format!("claim {all_chars}"), all_chars.clone()));
        cases.push(r);
        let mut r = report();
        r.as_of = "2026-11-01T00:00:00.123456789Z".parse().unwrap_or_default();
        r.line = Some(usize::MAX);
        r.key = r.key.map(|k| KeyUsed { kid: None, ..k });
        r.checks.clear();
        cases.push(r);
        for r in &cases {
            assert_eq!(ours(r), serde_line(r));
        }
    }

    #[test]
    fn numbers_are_written_in_full() {
        for n in [0u64, 9, 10, 99, 100, 12345, u64::MAX] {
            let mut v = Vec::new();
            push_u64(&mut v, n);
            assert_eq!(String::from_utf8(v).unwrap_or_default(), n.to_string());
        }
    }
}
