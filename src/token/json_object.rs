//! A JSON object from a token (its header or its claims), validated in full
//! when the token is parsed but turned into [`Value`]s one member at a time,
//! when something reads that member.
//!
//! Why: `token verify --batch` reads six or seven claims of each token, and
//! building a `serde_json::Map` of all of them (a `String` per key and per
//! string value, a B-tree insert per member) cost more than a third of the
//! time outside the signature. Here a valid object costs one allocation for
//! its text and one for the member index; nothing about what is accepted
//! changes: an object this fast path does not accept in full (a duplicate
//! key at any depth, trailing data, a non-finite number, bad UTF-8, anything
//! unusual) goes through [`strict_json`], whose verdict and message stand.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::jwt::{StrictError, json_type, strict_json};

/// Objects with more members than this, at any depth, are left to
/// [`strict_json`]: the fast path finds duplicates by a linear scan.
const FAST_MEMBERS: usize = 64;

/// Read access to the members of a JSON object, however it is held.
pub trait Members {
    fn member(&self, name: &str) -> Option<&Value>;
}

impl Members for Map<String, Value> {
    fn member(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// A validated JSON object whose members are parsed on first use.
#[derive(Clone)]
pub struct JsonObject {
    /// The object's JSON text (empty when built from a map). A String, not
    /// a Box<str>: boxing would reallocate to shrink the decoder's buffer.
    text: String,
    /// Members in document order; keys are unique.
    members: Vec<Member>,
}

#[derive(Clone)]
struct Member {
    key: Key,
    /// Byte range of the value's JSON in `text`.
    value_at: (u32, u32),
    value: OnceLock<Value>,
}

#[derive(Clone)]
enum Key {
    /// Written without escapes: a range of `text`.
    At(u32, u32),
    Owned(Box<str>),
}

/// Why bytes are not a JSON object of a token.
pub enum ObjectError {
    /// Valid JSON of another type.
    NotObject(&'static str),
    Strict(StrictError),
}

impl JsonObject {
    /// Parses `bytes` as one JSON object, as strictly as [`strict_json`].
    pub fn parse(bytes: Vec<u8>) -> Result<JsonObject, ObjectError> {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => return Self::parse_slow(e.as_bytes()),
        };
        match fast(&text) {
            Some(members) => Ok(JsonObject { text, members }),
            None => Self::parse_slow(text.as_bytes()),
        }
    }

    fn parse_slow(bytes: &[u8]) -> Result<JsonObject, ObjectError> {
        match strict_json(bytes) {
            Ok(Value::Object(map)) => Ok(JsonObject::from(map)),
            Ok(other) => Err(ObjectError::NotObject(json_type(&other))),
            Err(e) => Err(ObjectError::Strict(e)),
        }
    }

    /// The member `name`, parsed on first use.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let m = self.members.iter().find(|m| self.key(m) == name)?;
        Some(self.value(m))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.members.iter().any(|m| self.key(m) == name)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Every member, as a map (keys sorted, as serde_json keeps them).
    pub fn to_map(&self) -> Map<String, Value> {
        self.members
            .iter()
            .map(|m| (self.key(m).to_string(), self.value(m).clone()))
            .collect()
    }

    fn key<'s>(&'s self, m: &'s Member) -> &'s str {
        match &m.key {
            Key::At(a, b) => &self.text[*a as usize..*b as usize],
            Key::Owned(k) => k,
        }
    }

    fn value<'s>(&'s self, m: &'s Member) -> &'s Value {
        m.value.get_or_init(|| {
            let json = &self.text[m.value_at.0 as usize..m.value_at.1 as usize];
            // Validated when the object was parsed. The two kinds most
            // claims are, read directly: a string without escapes, and a
            // non-negative integer short enough for any parser.
            if let Some(plain) = json
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .filter(|s| !s.contains('\\'))
            {
                return Value::String(plain.to_string());
            }
            if json.starts_with(|c: char| c.is_ascii_digit())
                && small_integer(json)
                && let Ok(n) = json.parse::<u64>()
            {
                return Value::from(n);
            }
            // So this parse succeeds; null would only ever stand for a bug
            // here, never for input.
            serde_json::from_str(json).unwrap_or(Value::Null)
        })
    }
}

impl Members for JsonObject {
    fn member(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl From<Map<String, Value>> for JsonObject {
    fn from(map: Map<String, Value>) -> Self {
        let members = map
            .into_iter()
            .map(|(k, v)| Member {
                key: Key::Owned(k.into_boxed_str()),
                value_at: (0, 0),
                value: OnceLock::from(v),
            })
            .collect();
        JsonObject {
            text: String::new(),
            members,
        }
    }
}

impl std::ops::Index<&str> for JsonObject {
    type Output = Value;
    /// Like `Value`'s index: null for a missing member.
    fn index(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(name).unwrap_or(&NULL)
    }
}

impl fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_map().fmt(f)
    }
}

impl PartialEq for JsonObject {
    fn eq(&self, other: &Self) -> bool {
        self.to_map() == other.to_map()
    }
}

impl Serialize for JsonObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

/// The members of the object `text`, or `None` when anything about it needs
/// [`strict_json`] to judge.
fn fast(text: &str) -> Option<Vec<Member>> {
    // Ranges are u32: far more than any token (64 KiB), but say so.
    if u32::try_from(text.len()).is_err() {
        return None;
    }
    let base = text.as_ptr() as usize;
    let mut members = Vec::with_capacity(16);
    let mut de = serde_json::Deserializer::from_str(text);
    de::Deserializer::deserialize_map(
        &mut de,
        TopLevel {
            base,
            members: &mut members,
        },
    )
    .ok()?;
    de.end().ok()?;
    Some(members)
}

/// The outermost object: records each member's key and value range; checks
/// each value that could hide something (objects, arrays, numbers, strings
/// with escapes) with [`Walk`].
struct TopLevel<'m> {
    base: usize,
    members: &'m mut Vec<Member>,
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let offset = |s: &str| (s.as_ptr() as usize - self.base) as u32;
        let mut keys: Vec<Cow<'de, str>> = Vec::with_capacity(16);
        while let Some(BorrowedKey(key)) = map.next_key()? {
            if !fresh_key(&keys, &key) {
                return Err(de::Error::custom("left to the strict parser"));
            }
            let raw: &'de RawValue = map.next_value()?;
            let json = raw.get();
            let needs_walk = match json.as_bytes().first() {
                Some(b'{' | b'[') => true,
                Some(b'-' | b'0'..=b'9') => !small_integer(json),
                Some(b'"') => json.contains('\\'),
                _ => false,
            };
            if needs_walk {
                let mut de = serde_json::Deserializer::from_str(json);
                Walk.deserialize(&mut de).map_err(de::Error::custom)?;
            }
            let start = offset(json);
            self.members.push(Member {
                key: match &key {
                    Cow::Borrowed(k) => Key::At(offset(k), offset(k) + k.len() as u32),
                    Cow::Owned(k) => Key::Owned(k.clone().into_boxed_str()),
                },
                value_at: (start, start + json.len() as u32),
                value: OnceLock::new(),
            });
            keys.push(key);
        }
        Ok(())
    }
}

/// `key` is not among the `keys` seen so far in this object, and the object
/// is still small enough for a linear scan.
fn fresh_key(keys: &[Cow<'_, str>], key: &str) -> bool {
    keys.len() < FAST_MEMBERS && !keys.iter().any(|k| k == key)
}

/// An integer of at most 18 digits: valid JSON (the skip checked the
/// grammar) that no parser can find out of range, so it needs no [`Walk`].
/// `exp`, `iat` and `nbf` are such numbers.
fn small_integer(json: &str) -> bool {
    let digits = json.strip_prefix('-').unwrap_or(json);
    digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A key, borrowed from the text when written without escapes.
struct BorrowedKey<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for BorrowedKey<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = BorrowedKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(BorrowedKey(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BorrowedKey(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Walks a value the way [`strict_json`] parses it, building nothing:
/// fails on a repeated key, a non-finite number or a large object.
struct Walk;

impl<'de> DeserializeSeed<'de> for Walk {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(E::custom("left to the strict parser"))
        }
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Walk)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(BorrowedKey(key)) = map.next_key()? {
            if !fresh_key(&keys, &key) {
                return Err(de::Error::custom("left to the strict parser"));
            }
            keys.push(key);
            map.next_value_seed(Walk)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Verdict = Result<Map<String, Value>, String>;

    /// What strict_json and JsonObject each make of `json`.
    fn both(json: &str) -> (Verdict, Verdict) {
        let strict = match strict_json(json.as_bytes()) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => Err(format!("not an object: {}", json_type(&other))),
            Err(StrictError::Duplicate { key, path }) => Err(format!("duplicate {key} at {path}")),
            Err(StrictError::Json(m)) => Err(m),
        };
        let lazy = match JsonObject::parse(json.as_bytes().to_vec()) {
            Ok(o) => Ok(o.to_map()),
            Err(ObjectError::NotObject(t)) => Err(format!("not an object: {t}")),
            Err(ObjectError::Strict(StrictError::Duplicate { key, path })) => {
                Err(format!("duplicate {key} at {path}"))
            }
            Err(ObjectError::Strict(StrictError::Json(m))) => Err(m),
        };
        (strict, lazy)
    }

    #[test]
    fn agrees_with_the_strict_parser() {
        let cases = [
            r#"{"iss":"https://i","sub":"a","exp":1800000000,"aud":["x","y"]}"#,
            r#"{"a":{"b":{"c":[1,2,{"d":null}]}},"e":true,"f":-1.5e3}"#,
            r#"{"k\u00e9y":"v\n","esc\"aped":"\ud83d\ude00"}"#,
            r#" { "spaced" : 1 } "#,
            r#"{}"#,
            // Refused, each for its own reason.
            r#"{"sub":"a","sub":"b"}"#,
            r#"{"act":{"sub":"a","sub":"b"}}"#,
            r#"{"aud":[{"x":1,"x":2}]}"#,
            r#"{"a":1} x"#,
            r#"{"a":1e999}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":"tab	in"}"#,
            r#"{"a":01}"#,
            r#"{"a":-0,"b":123456789012345678,"c":1234567890123456789012345678901234567890}"#,
            r#"{"a":-}"#,
            r#"{"a":1.0e5,"b":-2E-3}"#,
            r#"{"a":1,}"#,
            r#"[1,2]"#,
            r#""text""#,
            r#"{"a":"#,
            "{\"a\":\"\u{0}\"}",
            r#"{"k\u0065y":1,"key":2}"#,
        ];
        for case in cases {
            let (strict, lazy) = both(case);
            assert_eq!(strict, lazy, "{case}");
        }
    }

    /// Objects built from pieces that are plain, escaped, nested, invalid
    /// or repeated, then sometimes cut or extended: the lazy object and the
    /// strict parser must give one verdict for each.
    #[test]
    fn agrees_with_the_strict_parser_on_generated_objects() {
        const KEYS: &[&str] = &["iss", "sub", "aud", "exp", "k\\u0031", "k1", "", "é"];
        const VALUES: &[&str] = &[
            r#""x""#,
            r#""""#,
            r#""a\"b""#,
            r#""\u00e9""#,
            "\"tab\tin\"",
            "0",
            "-0",
            "7",
            "01",
            "-",
            "1.5",
            "1e3",
            "123456789012345678",
            "1234567890123456789",
            "true",
            "tru",
            "false",
            "null",
            "[]",
            r#"[1,"a",true,null]"#,
            "[1,]",
            "[[1]]",
            r#"[{"a":1,"a":2}]"#,
            r#"{"a":1}"#,
            r#"{"a":1,"a":2}"#,
            "1e999",
            "\"é\"",
        ];
        const GAPS: &[&str] = &["", " ", "\n\t", "\u{a0}"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut json = String::from(GAPS[next(3)]);
            json.push('{');
            for m in 0..next(5) {
                if m > 0 {
                    json.push(',');
                }
                json.push_str(GAPS[next(GAPS.len())]);
                json.push_str(&format!("\"{}\"", KEYS[next(KEYS.len())]));
                json.push_str(GAPS[next(3)]);
                json.push(':');
                json.push_str(VALUES[next(VALUES.len())]);
            }
            json.push('}');
            match next(8) {
                0 => {
                    let mut at = next(json.len() + 1);
                    while !json.is_char_boundary(at) {
                        at -= 1;
                    }
                    json.truncate(at);
                }
                1 => json.push_str([",", "}", " x", "\n", "]"][next(5)]),
                _ => {}
            }
            let (strict, lazy) = both(&json);
            assert_eq!(strict, lazy, "{json}");
            accepted += usize::from(strict.is_ok());
        }
        // Both kinds of verdict are well represented.
        assert!((3_000..17_000).contains(&accepted), "{accepted}");
    }

    #[test]
    fn large_objects_go_the_strict_way_with_the_same_result() {
        let mut json = String::from("{");
        for i in 0..200 {
            json.push_str(&format!("\"k{i}\":{{\"n\":{i}}},"));
        }
        json.push_str("\"k7\":0}");
        let (strict, lazy) = both(&json);
        assert!(strict.is_err());
        assert_eq!(strict, lazy);
        let ok = json.replace("\"k7\":0}", "\"last\":0}");
        let (strict, lazy) = both(&ok);
        assert_eq!(strict.as_ref().map(Map::len), Ok(201));
        assert_eq!(strict, lazy);
    }

    #[test]
    fn bad_utf8_is_judged_by_the_strict_parser() {
        let bytes = b"{\"a\":\"\xff\"}".to_vec();
        assert!(matches!(
            JsonObject::parse(bytes),
            Err(ObjectError::Strict(StrictError::Json(_)))
        ));
    }

    #[test]
    fn members_are_read_on_demand_and_keep_their_types() {
        let o = JsonObject::parse(
            br#"{"exp":1800000000,"f":1.5,"big":18446744073709551615,"s":"x","k\u0031":2}"#
                .to_vec(),
        )
        .unwrap_or_else(|_| panic!("parses"));
        assert_eq!(o.len(), 5);
        assert_eq!(o.get("exp").and_then(Value::as_i64), Some(1_800_000_000));
        assert_eq!(o["f"].as_f64(), Some(1.5));
        assert_eq!(o["big"].as_u64(), Some(u64::MAX));
        assert_eq!(o["s"], "x");
        assert_eq!(o["k1"], 2);
        assert!(o.contains_key("k1") && !o.contains_key("k"));
        assert_eq!(o["missing"], Value::Null);
        let keys: Vec<String> = o.to_map().keys().cloned().collect();
        assert_eq!(keys, ["big", "exp", "f", "k1", "s"]);
    }
}
