//! A strict parser for compact JWS (RFC 7515 §7.1), the form every JWT takes.
//!
//! Strict means: exactly three non-empty parts, canonical unpadded base64url
//! (RFC 7515 §2, RFC 4648 §5), a header and a payload that are each one JSON
//! object with no key repeated at any depth, and typed registered header
//! parameters. serde_json alone keeps the last of two equal keys, so a token
//! with `"sub"` twice would read one way here and another in a library that
//! keeps the first. RFC 7515 §4 and RFC 7519 §4 allow a parser either to
//! reject duplicate names or to keep the last; this one rejects them, at any
//! depth, in line with RFC 8725 (JWT best current practices).
//!
//! The parser checks nothing about the signature: [`Jws::signing_input`] and
//! [`Jws::signature`] are kept for the verifier.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::json_object::{JsonObject, ObjectError};

/// The three parts of a compact JWS, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
    Signature,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a base64url part does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    #[error("'=' padding at offset {0}: JWS base64url is unpadded")]
    Padding(usize),
    #[error("{found:?} at offset {offset} is standard base64, not base64url (use '-' and '_')")]
    StandardAlphabet { offset: usize, found: char },
    #[error("byte 0x{byte:02x} at offset {offset} is not base64url")]
    InvalidByte { offset: usize, byte: u8 },
    #[error("{0} characters cannot be base64url (a length of 4n+1 never is)")]
    Length(usize),
    #[error("non-canonical: the last character has unused bits set")]
    TrailingBits,
}

/// Why a token is not a JWS this parser accepts. Each message names the part
/// at fault and never quotes the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error(
        "a JWE (5 parts): the token is encrypted, and its claims cannot be decoded without the recipient's private key"
    )]
    Encrypted,
    #[error(
        "not a JWT: {parts} dot-separated part{} where a JWS has 3 (header.payload.signature); an opaque token means something only to its issuer (ask it: token introspection, RFC 7662)",
        if *.parts == 1 { "" } else { "s" }
    )]
    Opaque { parts: usize },
    #[error("{0}: empty")]
    EmptyPart(Part),
    #[error(
        "signature: empty: the token is unsigned (alg {alg:?}) and proves nothing about who made it"
    )]
    Unsigned { alg: String },
    #[error("{part}: bad base64url: {error}")]
    Base64 { part: Part, error: Base64Error },
    #[error("{part}: not JSON: {message}")]
    NotJson { part: Part, message: String },
    #[error("{part}: a JSON {found}, where a JSON object is required")]
    NotObject { part: Part, found: &'static str },
    #[error("{part}: duplicate key {key:?} at {path}")]
    DuplicateKey {
        part: Part,
        key: String,
        path: String,
    },
    #[error("header: no \"alg\": a JWS header must name its signature algorithm")]
    MissingAlg,
    #[error("header: {name:?} must be {expected}")]
    HeaderField {
        name: &'static str,
        expected: &'static str,
    },
}

impl JwtError {
    /// The part at fault, when one is.
    pub fn part(&self) -> Option<Part> {
        match self {
            JwtError::Encrypted | JwtError::Opaque { .. } => None,
            JwtError::EmptyPart(p) => Some(*p),
            JwtError::Unsigned { .. } => Some(Part::Signature),
            JwtError::Base64 { part, .. }
            | JwtError::NotJson { part, .. }
            | JwtError::NotObject { part, .. }
            | JwtError::DuplicateKey { part, .. } => Some(*part),
            JwtError::MissingAlg | JwtError::HeaderField { .. } => Some(Part::Header),
        }
    }
}

/// The registered header parameters (RFC 7515 §4.1), typed. Everything the
/// header holds, registered or not, is also in [`Jws::header_raw`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// Signature algorithm, as written (`"none"` and odd casings included:
    /// refusing them is the verifier's job).
    pub alg: String,
    pub typ: Option<String>,
    pub cty: Option<String>,
    pub kid: Option<String>,
    /// Extension parameters the recipient must understand (non-empty when present).
    pub crit: Option<Vec<String>>,
    /// URLs and keys a token names for its own verification. Never to be
    /// followed or trusted; recorded so that they can be reported.
    pub jku: Option<String>,
    pub x5u: Option<String>,
    pub jwk: Option<Map<String, Value>>,
    /// `x5c` is present (a certificate chain in the header).
    pub x5c: bool,
}

/// A parsed compact JWS.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    pub header: Header,
    /// The whole header, as parsed.
    pub header_raw: JsonObject,
    /// The payload's claims. Keys are sorted, not in the token's order:
    /// serde_json's `preserve_order` feature would change the key order of
    /// every other document agentid writes (the registry schema among them).
    pub claims: JsonObject,
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: String,
    /// The decoded signature.
    pub signature: Vec<u8>,
}

/// Parses a compact JWS. `token` must already be trimmed (see input.rs).
pub fn parse(token: &str) -> Result<Jws, JwtError> {
    let (h, p, s) = match split_three(token) {
        Ok(parts) => parts,
        Err(5) => return Err(JwtError::Encrypted),
        Err(n) => return Err(JwtError::Opaque { parts: n }),
    };
    if h.is_empty() {
        return Err(JwtError::EmptyPart(Part::Header));
    }
    if p.is_empty() {
        return Err(JwtError::EmptyPart(Part::Payload));
    }
    let header_raw = json_object(Part::Header, h)?;
    let header = typed_header(&header_raw)?;
    let claims = json_object(Part::Payload, p)?;
    if s.is_empty() {
        if header.alg.eq_ignore_ascii_case("none") {
            return Err(JwtError::Unsigned { alg: header.alg });
        }
        return Err(JwtError::EmptyPart(Part::Signature));
    }
    let signature = base64url::decode(s).map_err(|error| JwtError::Base64 {
        part: Part::Signature,
        error,
    })?;
    Ok(Jws {
        header,
        header_raw,
        claims,
        signing_input: token[..h.len() + 1 + p.len()].to_string(),
        signature,
    })
}

/// `header.payload.signature`, or the number of dot-separated parts there are.
fn split_three(token: &str) -> Result<(&str, &str, &str), usize> {
    let mut parts = token.splitn(4, '.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h, p, s)),
        _ => Err(token.split('.').count()),
    }
}

fn json_object(part: Part, encoded: &str) -> Result<JsonObject, JwtError> {
    let bytes = base64url::decode(encoded).map_err(|error| JwtError::Base64 { part, error })?;
    JsonObject::parse(bytes).map_err(|e| match e {
        ObjectError::NotObject(found) => JwtError::NotObject { part, found },
        ObjectError::Strict(StrictError::Duplicate { key, path }) => {
            JwtError::DuplicateKey { part, key, path }
        }
        ObjectError::Strict(StrictError::Json(message)) => JwtError::NotJson { part, message },
    })
}

/// The JSON type of a value, for messages.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn typed_header(h: &JsonObject) -> Result<Header, JwtError> {
    let string = |name: &'static str| -> Result<Option<String>, JwtError> {
        match h.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(JwtError::HeaderField {
                name,
                expected: "a string",
            }),
        }
    };
    let alg = string("alg")?.ok_or(JwtError::MissingAlg)?;
    let crit = match h.get("crit") {
        None => None,
        Some(Value::Array(items)) if !items.is_empty() => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or(JwtError::HeaderField {
                    name: "crit",
                    expected: "a non-empty array of strings",
                })?,
        ),
        Some(_) => {
            return Err(JwtError::HeaderField {
                name: "crit",
                expected: "a non-empty array of strings",
            });
        }
    };
    let jwk = match h.get("jwk") {
        None => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => {
            return Err(JwtError::HeaderField {
                name: "jwk",
                expected: "a JSON object (a JWK)",
            });
        }
    };
    let x5c = match h.get("x5c") {
        None => false,
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => true,
        Some(_) => {
            return Err(JwtError::HeaderField {
                name: "x5c",
                expected: "an array of base64 strings",
            });
        }
    };
    Ok(Header {
        alg,
        typ: string("typ")?,
        cty: string("cty")?,
        kid: string("kid")?,
        crit,
        jku: string("jku")?,
        x5u: string("x5u")?,
        jwk,
        x5c,
    })
}

/// Unpadded base64url (RFC 4648 §5), strictly: no padding, no standard-alphabet
/// characters, no whitespace, no non-zero unused bits in the last character.
pub mod base64url {
    use super::Base64Error;

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    fn value(b: u8) -> Option<u8> {
        match b {
            b'A'..=b'Z' => Some(b - b'A'),
            b'a'..=b'z' => Some(b - b'a' + 26),
            b'0'..=b'9' => Some(b - b'0' + 52),
            b'-' => Some(62),
            b'_' => Some(63),
            _ => None,
        }
    }

    /// Decodes canonical unpadded base64url. The `base64` crate's
    /// URL_SAFE_NO_PAD engine is exactly as strict (no padding, no trailing
    /// bits) and several times faster, so it decodes; only when it refuses
    /// does [`explain`] walk the text again to say where and why.
    pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
        use base64::Engine as _;
        match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text) {
            Ok(bytes) => Ok(bytes),
            Err(_) => explain(text),
        }
    }

    /// The byte-by-byte decoder: the same result as [`decode`], with the
    /// offset and reason of the first problem.
    pub fn explain(text: &str) -> Result<Vec<u8>, Base64Error> {
        let bytes = text.as_bytes();
        let mut sextets = Vec::with_capacity(bytes.len());
        for (offset, &b) in bytes.iter().enumerate() {
            match value(b) {
                Some(v) => sextets.push(v),
                None if b == b'=' => return Err(Base64Error::Padding(offset)),
                None if b == b'+' || b == b'/' => {
                    return Err(Base64Error::StandardAlphabet {
                        offset,
                        found: b as char,
                    });
                }
                None => return Err(Base64Error::InvalidByte { offset, byte: b }),
            }
        }
        if sextets.len() % 4 == 1 {
            return Err(Base64Error::Length(sextets.len()));
        }
        let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
        let mut chunks = sextets.chunks_exact(4);
        for c in &mut chunks {
            let n = (u32::from(c[0]) << 18)
                | (u32::from(c[1]) << 12)
                | (u32::from(c[2]) << 6)
                | u32::from(c[3]);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
        match *chunks.remainder() {
            [] => {}
            [a, b] => {
                if b & 0x0f != 0 {
                    return Err(Base64Error::TrailingBits);
                }
                out.push((a << 2) | (b >> 4));
            }
            [a, b, c] => {
                if c & 0x03 != 0 {
                    return Err(Base64Error::TrailingBits);
                }
                out.push((a << 2) | (b >> 4));
                out.push((b << 4) | (c >> 2));
            }
            _ => unreachable!("a remainder of 1 was refused above"),
        }
        Ok(out)
    }

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for c in bytes.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            let chars = c.len() + 1;
            for i in 0..chars {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize] as char);
            }
        }
        out
    }
}

// ---- JSON that refuses duplicate keys ----

pub enum StrictError {
    Duplicate { key: String, path: String },
    Json(String),
}

impl fmt::Display for StrictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrictError::Duplicate { key, path } => write!(f, "duplicate key {key:?} at {path}"),
            StrictError::Json(m) => write!(f, "not JSON: {m}"),
        }
    }
}

/// Parses one JSON value, refusing a key repeated in any object at any depth
/// and anything after the value but whitespace.
pub fn strict_json(bytes: &[u8]) -> Result<Value, StrictError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    ValueSeed {
        path: &Path::Root,
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| match duplicate.take() {
        Some((key, path)) => StrictError::Duplicate { key, path },
        None => StrictError::Json(e.to_string()),
    })
}

/// Long keys are shortened in messages: they come from the token.
fn shown_key(key: &str) -> String {
    if key.chars().count() > 64 {
        let head: String = key.chars().take(61).collect();
        format!("{head}...")
    } else {
        key.to_string()
    }
}

/// Where a value sits, as a chain of parent links built on the stack while
/// parsing. The path is spelled out (`act.act.sub`, `aud[1]`) only for the
/// message of a duplicate key, so a valid token allocates nothing for it.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        match *self {
            Path::Root => String::new(),
            Path::Key(Path::Root, key) => shown_key(key),
            Path::Key(parent, key) => format!("{}.{}", parent.render(), shown_key(key)),
            Path::Index(parent, i) => format!("{}[{i}]", parent.render()),
        }
    }
}

/// Builds a [`Value`] like serde_json's own, but fails on a repeated key,
/// recording which key and where in `duplicate`.
struct ValueSeed<'a, 'p> {
    path: &'p Path<'p>,
    duplicate: &'a RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = Path::Index(self.path, items.len());
            let seed = ValueSeed {
                path: &path,
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = Path::Key(self.path, &key);
            if out.contains_key(&key) {
                self.duplicate
                    .replace(Some((shown_key(&key), path.render())));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(ValueSeed {
                path: &path,
                duplicate: self.duplicate,
            })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64url::encode(s.as_bytes())
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(payload), b64("sig"))
    }

    const H: &str = r#"{"alg":"ES256","typ":"JWT","kid":"k1"}"#;
    const P: &str = r#"{"sub":"alice","aud":["a","b"],"exp":1800000000}"#;

    #[test]
    fn parses_a_jws() {
        let t = token(H, P);
        let jws = parse(&t).expect("parses");
        assert_eq!(jws.header.alg, "ES256");
        assert_eq!(jws.header.typ.as_deref(), Some("JWT"));
        assert_eq!(jws.header.kid.as_deref(), Some("k1"));
        assert_eq!(jws.claims["sub"], "alice");
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.signing_input, t.rsplit_once('.').unwrap().0);
        assert!(!jws.header.x5c && jws.header.jwk.is_none());
    }

    #[test]
    fn records_dangerous_header_parameters() {
        let h = r#"{"alg":"RS256","jku":"https://evil.example/jwks","x5u":"https://evil.example/c.pem","jwk":{"kty":"EC"},"x5c":["MIIB"],"crit":["exp"],"cty":"JWT"}"#;
        let jws = parse(&token(h, P)).expect("parses");
        assert_eq!(jws.header.jku.as_deref(), Some("https://evil.example/jwks"));
        assert!(jws.header.x5u.is_some() && jws.header.jwk.is_some() && jws.header.x5c);
        assert_eq!(jws.header.crit, Some(vec!["exp".to_string()]));
        assert_eq!(jws.header.cty.as_deref(), Some("JWT"));
    }

    #[test]
    fn refuses_jwe() {
        let e = parse("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d").unwrap_err();
        assert_eq!(e, JwtError::Encrypted);
        assert!(e.to_string().contains("encrypted"), "{e}");
        assert!(e.to_string().contains("key"), "{e}");
    }

    #[test]
    fn refuses_opaque_and_wrong_part_counts() {
        for (t, n) in [
            ("sk-ant-oat01-abcdefghijklmnop", 1),
            ("a.b", 2),
            ("a.b.c.d", 4),
            ("a.b.c.d.e.f", 6),
        ] {
            let e = parse(t).unwrap_err();
            assert_eq!(e, JwtError::Opaque { parts: n }, "{t}");
            assert!(e.to_string().starts_with("not a JWT"), "{e}");
            assert!(!e.to_string().contains(t), "never echoes the token");
        }
    }

    #[test]
    fn refuses_empty_parts() {
        let h = b64(H);
        let p = b64(P);
        assert_eq!(
            parse(&format!(".{p}.c2ln")).unwrap_err(),
            JwtError::EmptyPart(Part::Header)
        );
        assert_eq!(
            parse(&format!("{h}..c2ln")).unwrap_err(),
            JwtError::EmptyPart(Part::Payload)
        );
        let e = parse(&format!("{h}.{p}.")).unwrap_err();
        assert_eq!(e, JwtError::EmptyPart(Part::Signature));
        assert_eq!(e.to_string(), "signature: empty");
    }

    #[test]
    fn names_an_unsigned_token() {
        for alg in ["none", "None", "NONE", "nOnE"] {
            let h = format!(r#"{{"alg":"{alg}"}}"#);
            let e = parse(&format!("{}.{}.", b64(&h), b64(P))).unwrap_err();
            assert_eq!(
                e,
                JwtError::Unsigned {
                    alg: alg.to_string()
                }
            );
            assert!(e.to_string().contains("unsigned"), "{e}");
        }
    }

    #[test]
    fn refuses_bad_base64url_in_each_part() {
        let h = b64(H);
        let p = b64(P);
        let cases: [(String, Part, Base64Error); 6] = [
            (
                format!("{h}=.{p}.c2ln"),
                Part::Header,
                Base64Error::Padding(h.len()),
            ),
            (
                format!("{h}.{p}.c2lnbmF0dXJl+w"),
                Part::Signature,
                Base64Error::StandardAlphabet {
                    offset: 12,
                    found: '+',
                },
            ),
            (
                format!("{h}.a/{p}.c2ln"),
                Part::Payload,
                Base64Error::StandardAlphabet {
                    offset: 1,
                    found: '/',
                },
            ),
            (
                format!("{h}.{p}.c2l n"),
                Part::Signature,
                Base64Error::InvalidByte {
                    offset: 3,
                    byte: b' ',
                },
            ),
            (
                format!("{h}.{p}.c2lnA"),
                Part::Signature,
                Base64Error::Length(5),
            ),
            // "bw" is one byte, 0x6f; "bx" decodes to it only if its unused bits are ignored.
            (
                format!("{h}.{p}.c2lnbx"),
                Part::Signature,
                Base64Error::TrailingBits,
            ),
        ];
        for (t, part, error) in cases {
            let e = parse(&t).unwrap_err();
            assert_eq!(
                e,
                JwtError::Base64 {
                    part,
                    error: error.clone()
                },
                "{t}"
            );
            assert!(e.to_string().starts_with(part.as_str()), "{e}");
        }
        // Canonical form of one byte 'o' (0x6f) is "bw"; "bx" has a stray low bit.
        assert_eq!(base64url::decode("bw").unwrap(), b"o");
        assert_eq!(
            base64url::decode("bx").unwrap_err(),
            Base64Error::TrailingBits
        );
        assert_eq!(
            base64url::decode("b2t").unwrap_err(),
            Base64Error::TrailingBits
        );
        assert_eq!(base64url::decode("b2s").unwrap(), b"ok");
    }

    #[test]
    fn base64url_round_trips() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let enc = base64url::encode(&data[..n]);
            assert!(!enc.contains(['=', '+', '/']));
            assert_eq!(base64url::decode(&enc).unwrap(), &data[..n], "{n}");
        }
    }

    /// The fast path (the `base64` crate) and the explaining decoder must
    /// agree on every input: same bytes, or both refuse. Every string of up
    /// to 3 characters over an alphabet that holds each class of trouble,
    /// plus the canonical encodings of every length.
    #[test]
    fn fast_and_explaining_decoders_agree() {
        let alphabet = ['A', 'Q', 'g', 'w', '_', '-', '9', '=', '+', '/', ' ', '.'];
        let mut inputs = vec![String::new()];
        for len in 1..=4 {
            let mut idx = vec![0usize; len];
            loop {
                inputs.push(idx.iter().map(|&i| alphabet[i]).collect());
                let mut k = 0;
                while k < len {
                    idx[k] += 1;
                    if idx[k] < alphabet.len() {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
                if k == len {
                    break;
                }
            }
        }
        let data: Vec<u8> = (0..=255u8).rev().collect();
        for n in 0..data.len() {
            inputs.push(base64url::encode(&data[..n]));
        }
        for text in &inputs {
            assert_eq!(
                base64url::decode(text).ok(),
                base64url::explain(text).ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn refuses_non_json_and_non_objects() {
        let e = parse(&token("not json", P)).unwrap_err();
        assert!(
            matches!(
                e,
                JwtError::NotJson {
                    part: Part::Header,
                    ..
                }
            ),
            "{e}"
        );
        let e = parse(&token(H, "{\"sub\":")).unwrap_err();
        assert!(
            matches!(
                e,
                JwtError::NotJson {
                    part: Part::Payload,
                    ..
                }
            ),
            "{e}"
        );
        let e = parse(&token(H, "[1,2]")).unwrap_err();
        assert_eq!(
            e,
            JwtError::NotObject {
                part: Part::Payload,
                found: "array"
            }
        );
        assert_eq!(
            e.to_string(),
            "payload: a JSON array, where a JSON object is required"
        );
        let e = parse(&token("\"ES256\"", P)).unwrap_err();
        assert_eq!(
            e,
            JwtError::NotObject {
                part: Part::Header,
                found: "string"
            }
        );
        // Bytes that are not UTF-8 are not JSON either.
        let bad = format!("{}.{}.c2ln", base64url::encode(&[0xff, 0xfe]), b64(P));
        assert!(matches!(
            parse(&bad).unwrap_err(),
            JwtError::NotJson {
                part: Part::Header,
                ..
            }
        ));
    }

    #[test]
    fn refuses_trailing_data_after_the_json() {
        let e = parse(&token(H, r#"{"sub":"a"}{"sub":"b"}"#)).unwrap_err();
        match e {
            JwtError::NotJson { part, message } => {
                assert_eq!(part, Part::Payload);
                assert!(message.contains("trailing"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let e = parse(&token(r#"{"alg":"ES256"}x"#, P)).unwrap_err();
        assert!(matches!(
            e,
            JwtError::NotJson {
                part: Part::Header,
                ..
            }
        ));
        // Whitespace after the object is still one JSON text.
        assert!(parse(&token(H, "{\"sub\":\"a\"}\n")).is_ok());
    }

    #[test]
    fn refuses_duplicate_keys_at_any_depth() {
        for (header, payload, part, key, path) in [
            (
                r#"{"alg":"ES256","alg":"none"}"#,
                P,
                Part::Header,
                "alg",
                "alg",
            ),
            (H, r#"{"sub":"a","sub":"b"}"#, Part::Payload, "sub", "sub"),
            (
                H,
                r#"{"act":{"sub":"x","act":{"sub":"y","sub":"z"}}}"#,
                Part::Payload,
                "sub",
                "act.act.sub",
            ),
            (
                H,
                r#"{"aud":[{"k":1},{"k":1,"k":2}]}"#,
                Part::Payload,
                "k",
                "aud[1].k",
            ),
        ] {
            let e = parse(&token(header, payload)).unwrap_err();
            assert_eq!(
                e,
                JwtError::DuplicateKey {
                    part,
                    key: key.to_string(),
                    path: path.to_string()
                },
                "{payload}"
            );
        }
        let e = parse(&token(H, r#"{"sub":"a","sub":"b"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "payload: duplicate key \"sub\" at sub");
        // The same key in sibling objects is fine.
        assert!(parse(&token(H, r#"{"a":{"k":1},"b":{"k":1}}"#)).is_ok());
    }

    #[test]
    fn header_parameters_are_typed() {
        let e = parse(&token(r#"{"typ":"JWT"}"#, P)).unwrap_err();
        assert_eq!(e, JwtError::MissingAlg);
        for (h, name) in [
            (r#"{"alg":256}"#, "alg"),
            (r#"{"alg":"ES256","kid":7}"#, "kid"),
            (r#"{"alg":"ES256","crit":[]}"#, "crit"),
            (r#"{"alg":"ES256","crit":"exp"}"#, "crit"),
            (r#"{"alg":"ES256","crit":[1]}"#, "crit"),
            (r#"{"alg":"ES256","jwk":"k"}"#, "jwk"),
            (r#"{"alg":"ES256","x5c":"MIIB"}"#, "x5c"),
            (r#"{"alg":"ES256","jku":["u"]}"#, "jku"),
        ] {
            match parse(&token(h, P)).unwrap_err() {
                JwtError::HeaderField { name: n, .. } => assert_eq!(n, name, "{h}"),
                other => panic!("{h}: {other:?}"),
            }
        }
    }

    #[test]
    fn keeps_numbers_as_json_has_them() {
        let jws = parse(&token(
            H,
            r#"{"exp":1800000000,"nbf":-5,"f":1.5,"big":18446744073709551615}"#,
        ))
        .unwrap();
        assert_eq!(jws.claims["exp"].as_i64(), Some(1_800_000_000));
        assert_eq!(jws.claims["nbf"].as_i64(), Some(-5));
        assert_eq!(jws.claims["f"].as_f64(), Some(1.5));
        assert_eq!(jws.claims["big"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn every_error_names_its_part() {
        let h = b64(H);
        let p = b64(P);
        for (t, part) in [
            (format!("{h}..c2ln"), "payload"),
            (format!("{h}.{p}."), "signature"),
            (format!("{h}=.{p}.c2ln"), "header"),
            (token(H, "[]"), "payload"),
        ] {
            let e = parse(&t).unwrap_err();
            assert!(e.to_string().starts_with(part), "{e}");
            assert_eq!(e.part().map(Part::as_str), Some(part));
        }
    }
}
