//! Provider tags and labels of an identity: a small map from name to value.
//!
//! Half the identities of a large estate carry two or three tags. A
//! `BTreeMap` allocates a whole node (eleven slots, about 550 bytes) for even
//! one entry, which at 500 k identities was over 100 MB to allocate and fault
//! in. [`Tags`] keeps the entries in one sorted vector and behaves like the
//! map it replaces: keys are unique (a later value replaces an earlier one,
//! in code and in JSON), iteration and serialisation are in key order.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        let at = self.position(name).ok()?;
        Some(&self.0[at].1)
    }

    /// Sets `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.position(&name) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (name, value));
                None
            }
        }
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }
}

/// `tags["name"]`, as on a map: panics when the tag is missing (for tests
/// and for code that has just checked).
impl std::ops::Index<&str> for Tags {
    type Output = String;

    fn index(&self, name: &str) -> &String {
        match self.get(name) {
            Some(value) => value,
            None => panic!("no tag {name:?}"),
        }
    }
}

impl From<BTreeMap<String, String>> for Tags {
    fn from(map: BTreeMap<String, String>) -> Self {
        // Already sorted and unique.
        Tags(map.into_iter().collect())
    }
}

impl FromIterator<(String, String)> for Tags {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(items: I) -> Self {
        let mut tags = Tags::default();
        for (k, v) in items {
            tags.insert(k, v);
        }
        tags
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TagsVisitor;

        impl<'de> Visitor<'de> for TagsVisitor {
            type Value = Tags;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Tags, A::Error> {
                let mut entries: Vec<(String, String)> =
                    Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                // As a map would: in key order, the last value of a repeated key.
                entries.reverse();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                entries.dedup_by(|later, earlier| later.0 == earlier.0);
                Ok(Tags(entries))
            }
        }

        d.deserialize_map(TagsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_map(tags: &Tags) -> BTreeMap<String, String> {
        tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    #[test]
    fn reads_and_writes_json_as_a_btreemap_does() {
        for json in [
            r#"{}"#,
            r#"{"team": "a"}"#,
            r#"{"z": "1", "a": "2", "m": "3"}"#,
            r#"{"k": "first", "j": "x", "k": "second", "k": "third"}"#,
            r#"{"k": 1}"#,
            r#"["k", "v"]"#,
            r#"null"#,
        ] {
            let ours = serde_json::from_str::<Tags>(json);
            let maps = serde_json::from_str::<BTreeMap<String, String>>(json);
            match (ours, maps) {
                (Ok(t), Ok(m)) => {
                    assert_eq!(as_map(&t), m, "{json}");
                    assert_eq!(
                        serde_json::to_string(&t).expect("tags"),
                        serde_json::to_string(&m).expect("map"),
                        "{json}"
                    );
                    assert_eq!(t.len(), m.len());
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{json}"),
                (a, b) => panic!("{json}: tags {a:?}, map {b:?}"),
            }
        }
    }

    #[test]
    fn insert_and_get_behave_as_a_map() {
        let mut tags = Tags::default();
        let mut map = BTreeMap::new();
        for (k, v) in [("b", "1"), ("a", "2"), ("c", "3"), ("a", "4"), ("", "5")] {
            assert_eq!(
                tags.insert(k.into(), v.into()),
                map.insert(k.to_string(), v.to_string())
            );
        }
        assert_eq!(as_map(&tags), map);
        for k in ["a", "b", "c", "", "d"] {
            assert_eq!(tags.get(k), map.get(k), "{k}");
        }
        let collected: Tags = map.clone().into_iter().rev().collect();
        assert_eq!(collected, Tags::from(map));
    }
}
