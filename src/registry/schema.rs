//! The registry's JSON Schema: generated from the Rust types, and a validator
//! for the subset of JSON Schema those types produce, which reports every
//! problem with its position instead of stopping at the first.

use serde_json::{Map, Value as Json};

use super::types::Registry;
use super::yaml::{Mark, Node, Value, key_text};
use crate::duration::DURATION_PATTERN;
use crate::problem::{FieldPath, PathRef, did_you_mean};

pub const SCHEMA_ID: &str = "https://agentid.dev/schema/agentid.schema.json";

/// The JSON Schema of `agentid.yaml`, as published at docs/agentid.schema.json.
pub fn registry_schema() -> Json {
    let mut schema = serde_json::to_value(schemars::schema_for!(Registry)).unwrap_or(Json::Null);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$id".into(), Json::String(SCHEMA_ID.into()));
    }
    schema
}

/// One structural problem found by the validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    pub mark: Mark,
    pub path: FieldPath,
    pub message: String,
}

pub struct Validator<'s> {
    root: &'s Json,
    pub problems: Vec<SchemaProblem>,
    /// Compiled `pattern`s, shared with the trial validators of alternatives.
    patterns:
        std::rc::Rc<std::cell::RefCell<std::collections::HashMap<&'s str, Option<regex::Regex>>>>,
}

impl<'s> Validator<'s> {
    pub fn new(root: &'s Json) -> Self {
        Validator {
            root,
            problems: Vec::new(),
            patterns: Default::default(),
        }
    }

    fn report(&mut self, node: &Node, path: &PathRef<'_>, message: String) {
        self.problems.push(SchemaProblem {
            mark: node.mark,
            path: path.render(),
            message,
        });
    }

    fn resolve(&self, schema: &'s Json) -> &'s Json {
        let mut current = schema;
        // Bounded: the generated schema never chains more than a couple of refs.
        for _ in 0..8 {
            let Some(reference) = current.get("$ref").and_then(Json::as_str) else {
                return current;
            };
            let Some(name) = reference.strip_prefix("#/$defs/") else {
                return current;
            };
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(next) => current = next,
                None => return current,
            }
        }
        current
    }

    pub fn validate(&mut self, schema: &'s Json, node: &Node, path: &PathRef<'_>) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Json::as_array)
        {
            self.validate_alternatives(branches, node, path);
            return;
        }
        if let Some(expected) = schema.get("const") {
            if &node.to_json() != expected {
                self.report(
                    node,
                    path,
                    format!("expected {expected}, got {}", describe(node)),
                );
            }
            return;
        }
        if !self.check_type(schema, node, path) {
            return;
        }
        if let Some(options) = schema.get("enum").and_then(Json::as_array) {
            let json = node.to_json();
            if !options.contains(&json) {
                let names: Vec<&str> = options.iter().filter_map(Json::as_str).collect();
                let mut msg = format!(
                    "expected one of {}, got {}",
                    names.join(", "),
                    describe(node)
                );
                if let Some(s) = node.as_str()
                    && let Some(hint) = did_you_mean(s, names.iter().copied())
                {
                    msg.push_str(&format!(" (did you mean {hint}?)"));
                }
                self.report(node, path, msg);
            }
        }
        match &node.value {
            Value::Str(s) => {
                if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
                    // Compiled once per pattern: a large registry has tens of
                    // thousands of durations.
                    let ok = self
                        .patterns
                        .borrow_mut()
                        .entry(pattern)
                        .or_insert_with(|| regex::Regex::new(pattern).ok())
                        .as_ref()
                        .is_none_or(|re| re.is_match(s));
                    if !ok {
                        let msg = if pattern == DURATION_PATTERN {
                            format!(
                                "expected a duration such as 30s, 15m, 1h, 90d or 2w, got {s:?}"
                            )
                        } else {
                            format!("{s:?} does not match the pattern {pattern}")
                        };
                        self.report(node, path, msg);
                    }
                }
            }
            Value::Int(i) => {
                if let Some(min) = schema.get("minimum").and_then(Json::as_i64)
                    && *i < min
                {
                    self.report(node, path, format!("expected at least {min}, got {i}"));
                }
                if let Some(max) = schema.get("maximum").and_then(Json::as_i64)
                    && *i > max
                {
                    self.report(node, path, format!("expected at most {max}, got {i}"));
                }
            }
            Value::Seq(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.validate(item_schema, item, &path.index(i));
                    }
                }
            }
            Value::Map(entries) => self.validate_object(schema, node, entries, path),
            _ => {}
        }
    }

    /// Checks `type`; false when the node has the wrong type (nothing more to check).
    fn check_type(&mut self, schema: &Json, node: &Node, path: &PathRef<'_>) -> bool {
        let types: Vec<&str> = match schema.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            _ => return true,
        };
        let fits = types.iter().any(|t| match *t {
            "null" => matches!(node.value, Value::Null),
            "boolean" => matches!(node.value, Value::Bool(_)),
            "integer" => matches!(node.value, Value::Int(_)),
            "number" => matches!(node.value, Value::Int(_) | Value::Float(_)),
            "string" => matches!(node.value, Value::Str(_)),
            "array" => matches!(node.value, Value::Seq(_)),
            "object" => matches!(node.value, Value::Map(_)),
            _ => true,
        });
        if !fits {
            let is_duration =
                schema.get("pattern").and_then(Json::as_str) == Some(DURATION_PATTERN);
            let msg = if is_duration {
                format!(
                    "expected a duration such as 30s, 15m, 1h, 90d or 2w (a number and a unit), got {}",
                    describe(node)
                )
            } else {
                let wanted: Vec<&str> = types
                    .iter()
                    .filter(|t| **t != "null")
                    .map(|t| type_phrase(t))
                    .collect();
                format!("expected {}, got {}", wanted.join(" or "), describe(node))
            };
            self.report(node, path, msg);
        }
        fits
    }

    fn validate_object(
        &mut self,
        schema: &'s Json,
        node: &Node,
        entries: &[(Node, Node)],
        path: &PathRef<'_>,
    ) {
        static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
        let properties = schema
            .get("properties")
            .and_then(Json::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        let additional = schema.get("additionalProperties");
        let mut seen: Vec<(&str, Mark)> = Vec::new();
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.report(
                    key,
                    path,
                    format!("expected a field name, got {}", describe(key)),
                );
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.report(
                    key,
                    &path.field(name),
                    format!(
                        "duplicate key {name:?} (first written at line {})",
                        first.line
                    ),
                );
                continue;
            }
            seen.push((name, key.mark));
            let child = path.field(name);
            if let Some(prop) = properties.get(name.as_str()) {
                self.validate(prop, value, &child);
            } else {
                match additional {
                    Some(Json::Bool(false)) => {
                        let mut msg = format!("unknown field {name:?}");
                        if let Some(hint) =
                            did_you_mean(name, properties.keys().map(String::as_str))
                        {
                            msg.push_str(&format!(", did you mean {hint:?}?"));
                        } else if !properties.is_empty() {
                            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                            msg.push_str(&format!("; expected one of {}", known.join(", ")));
                        }
                        self.report(key, &child, msg);
                    }
                    Some(extra @ Json::Object(_)) => self.validate(extra, value, &child),
                    _ => {}
                }
            }
        }
        if let Some(required) = schema.get("required").and_then(Json::as_array) {
            for field in required.iter().filter_map(Json::as_str) {
                if !seen.iter().any(|(n, _)| *n == field) {
                    self.report(node, path, format!("missing required field {field:?}"));
                }
            }
        }
    }

    fn validate_alternatives(&mut self, branches: &'s [Json], node: &Node, path: &PathRef<'_>) {
        let mut best: Option<Vec<SchemaProblem>> = None;
        // A tagged union: pick the branch whose `kind` (or other const field) matches.
        if let Value::Map(entries) = &node.value {
            for (key, value) in entries {
                let tag: std::borrow::Cow<str> = match key.as_str() {
                    Some(k) => k.into(),
                    None => key_text(key).into(),
                };
                let tag = tag.as_ref();
                let consts: Vec<(&Json, &Json)> = branches
                    .iter()
                    .map(|b| self.resolve(b))
                    .filter_map(|b| {
                        b.get("properties")
                            .and_then(|p| p.get(tag))
                            .and_then(|p| p.get("const").map(|c| (b, c)))
                    })
                    .collect();
                if consts.is_empty() {
                    continue;
                }
                let json = value.to_json();
                if let Some((branch, _)) = consts.iter().find(|(_, c)| **c == json) {
                    self.validate(branch, node, path);
                } else {
                    let names: Vec<String> = consts
                        .iter()
                        .map(|(_, c)| c.as_str().map_or_else(|| c.to_string(), str::to_string))
                        .collect();
                    self.report(
                        value,
                        &path.field(tag),
                        format!(
                            "expected one of {}, got {}",
                            names.join(", "),
                            describe(value)
                        ),
                    );
                }
                return;
            }
        }
        for branch in branches {
            let mut trial = Validator {
                root: self.root,
                problems: Vec::new(),
                patterns: self.patterns.clone(),
            };
            trial.validate(branch, node, path);
            if trial.problems.is_empty() {
                return;
            }
            let branch = self.resolve(branch);
            let is_null_branch = branch.get("type").and_then(Json::as_str) == Some("null");
            if is_null_branch {
                continue;
            }
            if best.as_ref().is_none_or(|b| trial.problems.len() < b.len()) {
                best = Some(trial.problems);
            }
        }
        match best {
            Some(problems) => self.problems.extend(problems),
            None => self.report(node, path, format!("unexpected {}", describe(node))),
        }
    }
}

fn type_phrase(t: &str) -> &'static str {
    match t {
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        "object" => "a mapping",
        _ => "a value",
    }
}

/// A value for an error message; long strings are cut so a pasted secret is not echoed.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Str(s) if s.chars().count() > 40 => {
            let head: String = s.chars().take(12).collect();
            format!("a string starting {head:?}…")
        }
        Value::Str(s) => format!("{s:?}"),
        Value::Int(i) => format!("the number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Bool(b) => format!("{b}"),
        _ => node.type_name().to_string(),
    }
}
