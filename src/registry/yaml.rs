//! A YAML document as a tree of nodes that remember where they were written,
//! so every registry problem can name its line and column.
//!
//! serde_yaml stops at the first error and forgets positions once a value is
//! built; the loader needs both all problems and their positions, so it reads
//! the event stream of yaml-rust2 into this tree instead.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// 1-based line and column in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
}

impl From<Marker> for Mark {
    fn from(m: Marker) -> Self {
        Mark {
            line: m.line(),
            col: m.col() + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys keep their own marks; order is the file's order.
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub mark: Mark,
}

impl Node {
    /// What the value is, for messages: "a string", "a list", …
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON form, for serde after validation.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (key_text(k), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A mapping key as text (non-string keys are written as YAML shows them).
pub fn key_text(key: &Node) -> String {
    match &key.value {
        Value::Str(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
    }
}

/// Why a text is not a single YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub mark: Mark,
    pub message: String,
}

/// Parses one YAML document. An empty document is `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    parse_observing(text, None)
}

/// Sees each entry of the document's top-level mapping as soon as its value
/// has been read, before the rest of the file is parsed.
pub type Observer<'a> = &'a mut dyn FnMut(&str, &Node);

/// [`parse`], calling `observer` with the key and value of every top-level
/// mapping entry (string keys only) as it completes. What it is shown may
/// still belong to a file that later turns out not to be valid YAML.
pub fn parse_observing(
    text: &str,
    observer: Option<Observer<'_>>,
) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder {
        observer,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        mark: (*e.marker()).into(),
        message: e.info().to_string(),
    })?;
    if let Some(err) = builder.error {
        return Err(err);
    }
    if builder.documents.len() > 1 {
        return Err(SyntaxError {
            mark: builder.second_document.unwrap_or_default(),
            message: "more than one YAML document; a registry is one document".into(),
        });
    }
    Ok(builder.documents.pop())
}

#[derive(Default)]
struct Builder<'a> {
    observer: Option<Observer<'a>>,
    /// Open collections: the node being filled, and a pending key for maps.
    stack: Vec<(Node, Option<Node>)>,
    anchors: HashMap<usize, Node>,
    /// Anchor id of each open collection, to record it when it closes.
    open_anchors: Vec<usize>,
    documents: Vec<Node>,
    second_document: Option<Mark>,
    error: Option<SyntaxError>,
}

impl Builder<'_> {
    fn push_value(&mut self, node: Node) {
        let top_level = self.stack.len() == 1 && self.documents.is_empty();
        match self.stack.last_mut() {
            None => {
                if self.documents.len() == 1 && self.second_document.is_none() {
                    self.second_document = Some(node.mark);
                }
                self.documents.push(node);
            }
            Some((parent, pending_key)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => match pending_key.take() {
                    None => *pending_key = Some(node),
                    Some(key) => {
                        if top_level
                            && let (Some(observe), Value::Str(k)) = (&mut self.observer, &key.value)
                        {
                            observe(k, &node);
                        }
                        entries.push((key, node));
                    }
                },
                _ => unreachable!("only collections are pushed on the stack"),
            },
        }
    }

    fn fail(&mut self, mark: Mark, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                mark,
                message: message.into(),
            });
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, marker: Marker) {
        let mark = Mark::from(marker);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let value = match resolve_scalar(text, style, tag.as_ref()) {
                    Ok(v) => v,
                    Err(msg) => {
                        self.fail(mark, msg);
                        Value::Null
                    }
                };
                let node = Node { value, mark };
                if anchor != 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_value(node);
            }
            Event::SequenceStart(anchor, _) => {
                self.open_anchors.push(anchor);
                self.stack.push((
                    Node {
                        value: Value::Seq(Vec::new()),
                        mark,
                    },
                    None,
                ));
            }
            Event::MappingStart(anchor, _) => {
                self.open_anchors.push(anchor);
                self.stack.push((
                    Node {
                        value: Value::Map(Vec::new()),
                        mark,
                    },
                    None,
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, _)) = self.stack.pop() {
                    // A block mapping's start mark points past its first key;
                    // the first key is where a reader looks for it.
                    if let Value::Map(entries) = &node.value
                        && let Some((first_key, _)) = entries.first()
                    {
                        node.mark = node.mark.min(first_key.mark);
                    }
                    let anchor = self.open_anchors.pop().unwrap_or(0);
                    if anchor != 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    self.push_value(node);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(node) => {
                    let mut copy = node.clone();
                    copy.mark = mark;
                    self.push_value(copy);
                }
                None => self.fail(mark, "alias to an unknown anchor"),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// YAML 1.2 core schema for plain scalars; quoted and block scalars are strings.
fn resolve_scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        // `!!str 123` forces a string; other tags are not part of a registry.
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            return match tag.suffix.as_str() {
                "str" => Ok(Value::Str(text)),
                other => Err(format!("YAML tag !!{other} is not supported in a registry")),
            };
        }
        return Err(format!(
            "YAML tag {}{} is not supported in a registry",
            tag.handle, tag.suffix
        ));
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::Str(text));
    }
    Ok(match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(i) = parse_int(&text) {
                Value::Int(i)
            } else if looks_like_float(&text) {
                match text.parse::<f64>() {
                    Ok(f) => Value::Float(f),
                    Err(_) => Value::Str(text),
                }
            } else {
                Value::Str(text)
            }
        }
    })
}

fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(hex) = text.strip_prefix("0x") {
            return i64::from_str_radix(hex, 16).ok();
        }
        if let Some(oct) = text.strip_prefix("0o") {
            return i64::from_str_radix(oct, 8).ok();
        }
        return None;
    }
    text.parse().ok()
}

fn looks_like_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    matches!(body, ".inf" | ".Inf" | ".INF")
        || matches!(text, ".nan" | ".NaN" | ".NAN")
        || (body.bytes().any(|b| b.is_ascii_digit())
            && body.bytes().all(|b| {
                b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'-' || b == b'+'
            })
            && body
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || b == b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_entries(node: &Node) -> &[(Node, Node)] {
        match &node.value {
            Value::Map(e) => e,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn records_positions_of_keys_and_values() {
        let doc = parse("version: 1\nagents:\n  - name: x\n    owner: bob\n")
            .unwrap()
            .unwrap();
        let entries = map_entries(&doc);
        assert_eq!(entries[0].0.mark, Mark { line: 1, col: 1 });
        assert_eq!(entries[0].1.value, Value::Int(1));
        let Value::Seq(agents) = &entries[1].1.value else {
            panic!()
        };
        let agent = map_entries(&agents[0]);
        assert_eq!(agent[1].0.mark, Mark { line: 4, col: 5 });
        assert_eq!(agent[1].1.mark, Mark { line: 4, col: 12 });
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let doc = parse("a: 90d\nb: '1'\nc: 1.5\nd: true\ne:\nf: yes\n")
            .unwrap()
            .unwrap();
        let values: Vec<_> = map_entries(&doc)
            .iter()
            .map(|(_, v)| v.value.clone())
            .collect();
        assert_eq!(
            values,
            vec![
                Value::Str("90d".into()),
                Value::Str("1".into()),
                Value::Float(1.5),
                Value::Bool(true),
                Value::Null,
                Value::Str("yes".into()),
            ]
        );
    }

    #[test]
    fn expands_aliases() {
        let doc = parse("a: &x {k: v}\nb: *x\n").unwrap().unwrap();
        let e = map_entries(&doc);
        assert_eq!(map_entries(&e[1].1)[0].1.value, Value::Str("v".into()));
    }

    #[test]
    fn rejects_bad_syntax_with_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.mark.line >= 1, "{err:?}");
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(err.message.contains("more than one"), "{err:?}");
    }

    #[test]
    fn observes_top_level_entries_as_they_complete() {
        let mut seen = Vec::new();
        let doc = parse_observing(
            "a: 1\nb:\n  c: [2, 3]\n  d: x\n'e': y\n",
            Some(&mut |k: &str, v: &Node| seen.push((k.to_string(), v.clone()))),
        )
        .unwrap()
        .unwrap();
        let keys: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "e"]);
        let entries = map_entries(&doc);
        for ((k, v), (key, value)) in seen.iter().zip(entries) {
            assert_eq!(Some(k.as_str()), key.as_str());
            assert_eq!(v, value);
        }
    }

    #[test]
    fn empty_is_none() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }
}
