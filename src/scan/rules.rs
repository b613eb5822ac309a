//! The rule catalogue: data (catalogue.yaml, compiled in), read with the
//! position of every field so that a bad `--rules FILE` gets one
//! `file:line:col: field: message` line per problem.
//!
//! A rules file has the catalogue's shape (`rules:` and a list). An entry
//! whose id is already known overrides the fields it gives and keeps the
//! others; `enabled: false` turns a rule off. A new id must give every
//! required field.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::model::Severity;
use crate::problem::{Mark, Problem};
use crate::registry::yaml::{self, Node, Value, key_text};

/// The built-in catalogue.
pub const CATALOGUE: &str = include_str!("catalogue.yaml");

/// Name under which problems of the built-in catalogue are reported.
pub const BUILTIN: &str = "<built-in catalogue>";

/// Whether a secret keeps working until someone revokes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifetime {
    LongLived,
    ShortLived,
}

impl Lifetime {
    pub fn as_str(self) -> &'static str {
        match self {
            Lifetime::LongLived => "long_lived",
            Lifetime::ShortLived => "short_lived",
        }
    }
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check in code that a regex cannot express (validate.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidatorKind {
    /// GitHub tokens: the last 6 base62 characters are the CRC32 of the rest.
    GithubCrc32,
    /// Decodes a JWT; its lifetime decides long- or short-lived.
    Jwt,
    /// A PEM/OpenSSH body that decodes; encrypted keys are lower severity.
    PrivateKey,
    /// A generic assignment's value: not code, a path, a URL or a placeholder.
    GenericValue,
    /// A literal that nothing names as a secret: it must look random by itself.
    RandomString,
}

impl ValidatorKind {
    pub const ALL: [(ValidatorKind, &'static str); 5] = [
        (ValidatorKind::GithubCrc32, "github_crc32"),
        (ValidatorKind::Jwt, "jwt"),
        (ValidatorKind::PrivateKey, "private_key"),
        (ValidatorKind::GenericValue, "generic_value"),
        (ValidatorKind::RandomString, "random_string"),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, n)| n)
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == text).map(|(k, _)| *k)
    }
}

/// A finding of another rule near this one pairs with it (an AWS key id and its secret key).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub with: String,
    pub within_lines: usize,
    pub severity: Severity,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Examples {
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

/// One rule, as written in the catalogue (or a rules file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    pub provider: String,
    /// What the secret is.
    pub name: String,
    pub regex: String,
    pub keywords: Vec<String>,
    pub keywords_ignore_case: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_entropy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validator: Option<ValidatorKind>,
    pub severity: Severity,
    pub lifetime: Lifetime,
    pub remediation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_len: Option<usize>,
    pub placeholders: bool,
    /// A catch-all: its finding is dropped where another rule's finding overlaps it.
    pub fallback: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<Pair>,
    #[serde(skip)]
    pub examples: Examples,
    /// `built-in`, or the rules file that added or changed it.
    pub origin: String,
    #[serde(skip)]
    pub enabled: bool,
}

/// Why the rules cannot be used: every problem, each with where it is.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{}", problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid { problems: Vec<Problem> },
    /// The I/O error is part of the message (not a `source`), so that the
    /// one line says it all and is not repeated by the error chain.
    #[error("cannot read rules file {path}: {error}")]
    Read { path: String, error: std::io::Error },
}

/// The fields of one entry as read, each with where it was written.
#[derive(Debug, Default)]
struct Draft {
    mark: Mark,
    id: Option<String>,
    provider: Option<String>,
    name: Option<String>,
    regex: Option<(String, Mark)>,
    keywords: Option<(Vec<String>, Mark)>,
    keywords_ignore_case: Option<bool>,
    min_entropy: Option<Option<f64>>,
    validator: Option<Option<ValidatorKind>>,
    severity: Option<Severity>,
    lifetime: Option<Lifetime>,
    remediation: Option<String>,
    max_len: Option<Option<usize>>,
    placeholders: Option<bool>,
    fallback: Option<bool>,
    suppresses: Option<(Vec<String>, Mark)>,
    pair: Option<Option<(Pair, Mark)>>,
    examples: Option<(Examples, Mark)>,
    enabled: Option<bool>,
}

/// Where each rule's fields were written, for problems found after parsing.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub file: String,
    pub entry: Mark,
    pub path: String,
    pub regex: Option<Mark>,
    pub keywords: Option<Mark>,
    pub suppresses: Option<Mark>,
    pub pair: Option<Mark>,
    pub examples: Option<Mark>,
}

impl Marks {
    pub fn problem(&self, mark: Option<Mark>, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            mark: Some(mark.unwrap_or(self.entry)),
            path: if field.is_empty() {
                self.path.clone()
            } else {
                format!("{}.{field}", self.path)
            },
            message: message.into(),
        }
    }
}

/// Rules with where their fields were written.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub marks: Vec<Marks>,
}

const FIELDS: &[&str] = &[
    "id",
    "provider",
    "name",
    "regex",
    "keywords",
    "keywords_ignore_case",
    "min_entropy",
    "validator",
    "severity",
    "lifetime",
    "remediation",
    "max_len",
    "placeholders",
    "fallback",
    "suppresses",
    "pair",
    "examples",
    "enabled",
];

/// The built-in catalogue. It is checked by tests; a broken one is a bug.
pub fn builtin() -> RuleSet {
    match parse(BUILTIN, CATALOGUE, None) {
        Ok(set) => set,
        Err(problems) => panic!(
            "the built-in catalogue is invalid: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// The built-in catalogue with `path`'s rules added or overriding by id.
pub fn with_file(path: &Path) -> Result<RuleSet, RulesError> {
    let label = path.display().to_string();
    let text = std::fs::read(path).map_err(|error| RulesError::Read {
        path: label.clone(),
        error,
    })?;
    let text = String::from_utf8(text).map_err(|_| RulesError::Invalid {
        problems: vec![Problem {
            file: label.clone(),
            mark: None,
            path: String::new(),
            message: "not UTF-8 text".into(),
        }],
    })?;
    let base = builtin();
    parse(&label, &text, Some(base)).map_err(|problems| RulesError::Invalid { problems })
}

/// Parses a rules document; with `base`, entries add to it or override it.
pub fn parse(file: &str, text: &str, base: Option<RuleSet>) -> Result<RuleSet, Vec<Problem>> {
    let mut problems = Vec::new();
    let at = |mark: Option<Mark>, path: &str, message: String| Problem {
        file: file.to_string(),
        mark,
        path: path.to_string(),
        message,
    };
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(vec![at(
                None,
                "",
                "empty rules file: expected `rules:` and a list of rules".into(),
            )]);
        }
        Err(e) => {
            return Err(vec![at(
                Some(e.mark),
                "",
                format!("not YAML: {}", e.message),
            )]);
        }
    };
    let Value::Map(entries) = &root.value else {
        return Err(vec![at(
            Some(root.mark),
            "",
            format!(
                "expected a mapping with `rules:`, found {}",
                root.type_name()
            ),
        )]);
    };
    let mut list = None;
    for (k, v) in entries {
        match key_text(k).as_str() {
            "rules" => list = Some(v),
            other => problems.push(at(
                Some(k.mark),
                other,
                "unknown field; a rules file has only `rules:`".into(),
            )),
        }
    }
    let Some(list) = list else {
        problems.push(at(
            Some(root.mark),
            "rules",
            "missing: the list of rules".into(),
        ));
        return Err(problems);
    };
    let Value::Seq(items) = &list.value else {
        problems.push(at(
            Some(list.mark),
            "rules",
            format!("expected a list of rules, found {}", list.type_name()),
        ));
        return Err(problems);
    };

    let (mut rules, mut marks) = match base {
        Some(b) => (b.rules, b.marks),
        None => (Vec::new(), Vec::new()),
    };
    let mut index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let mut seen_here: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("rules[{i}]");
        let draft = read_entry(file, &path, item, &mut problems);
        let Some(id) = draft.id.clone() else { continue };
        if let Some(first) = seen_here.insert(id.clone(), i) {
            problems.push(at(
                Some(draft.mark),
                &format!("{path}.id"),
                format!("{id:?} is already defined at rules[{first}]"),
            ));
            continue;
        }
        let m = Marks {
            file: file.to_string(),
            entry: draft.mark,
            path: path.clone(),
            regex: draft.regex.as_ref().map(|r| r.1),
            keywords: draft.keywords.as_ref().map(|k| k.1),
            suppresses: draft.suppresses.as_ref().map(|k| k.1),
            pair: draft.pair.as_ref().and_then(|p| p.as_ref().map(|p| p.1)),
            examples: draft.examples.as_ref().map(|e| e.1),
        };
        match index.get(&id) {
            Some(&at_index) => {
                let old = &marks[at_index];
                let merged = Marks {
                    regex: m.regex.or(old.regex),
                    keywords: m.keywords.or(old.keywords),
                    suppresses: m.suppresses.or(old.suppresses),
                    pair: m.pair.or(old.pair),
                    examples: m.examples.or(old.examples),
                    ..m
                };
                apply(&mut rules[at_index], draft, file);
                marks[at_index] = merged;
            }
            None => match complete(draft, file, &path, &mut problems) {
                Some(rule) => {
                    index.insert(id, rules.len());
                    rules.push(rule);
                    marks.push(m);
                }
                None => continue,
            },
        }
    }
    // References between rules, once all are known.
    for (rule, m) in rules.iter().zip(&marks) {
        for s in &rule.suppresses {
            if !index.contains_key(s) {
                problems.push(m.problem(
                    m.suppresses,
                    "suppresses",
                    format!("no rule has id {s:?}"),
                ));
            }
        }
        if let Some(p) = &rule.pair
            && !index.contains_key(&p.with)
        {
            problems.push(m.problem(m.pair, "pair.with", format!("no rule has id {:?}", p.with)));
        }
    }
    if problems.is_empty() {
        Ok(RuleSet { rules, marks })
    } else {
        problems.sort();
        Err(problems)
    }
}

fn read_entry(file: &str, path: &str, item: &Node, problems: &mut Vec<Problem>) -> Draft {
    let mut d = Draft {
        mark: item.mark,
        ..Draft::default()
    };
    let mut bad = |mark: Mark, field: &str, message: String| {
        problems.push(Problem {
            file: file.to_string(),
            mark: Some(mark),
            path: if field.is_empty() {
                path.to_string()
            } else {
                format!("{path}.{field}")
            },
            message,
        })
    };
    let Value::Map(entries) = &item.value else {
        bad(
            item.mark,
            "",
            format!("expected a rule (a mapping), found {}", item.type_name()),
        );
        return d;
    };
    for (k, v) in entries {
        let key = key_text(k);
        let f = key.as_str();
        match f {
            "id" => match text(v) {
                Some(s) if is_id(s) => d.id = Some(s.to_string()),
                Some(s) => bad(
                    v.mark,
                    f,
                    format!("{s:?}: an id is lower-case letters, digits and '-'"),
                ),
                None => bad(v.mark, f, expected("a string", v)),
            },
            "provider" | "name" | "remediation" => match text(v) {
                Some(s) if !s.trim().is_empty() && !s.contains('\n') => {
                    let s = Some(s.trim().to_string());
                    match f {
                        "provider" => d.provider = s,
                        "name" => d.name = s,
                        _ => d.remediation = s,
                    }
                }
                Some(_) => bad(v.mark, f, "expected one non-empty line".into()),
                None => bad(v.mark, f, expected("a string", v)),
            },
            "regex" => match text(v) {
                Some(s) if !s.is_empty() => d.regex = Some((s.to_string(), v.mark)),
                _ => bad(v.mark, f, expected("a non-empty string", v)),
            },
            "keywords" | "suppresses" => match strings(v) {
                Some(list) if list.iter().all(|s| !s.is_empty()) => {
                    if f == "keywords" {
                        d.keywords = Some((list, v.mark));
                    } else {
                        d.suppresses = Some((list, v.mark));
                    }
                }
                _ => bad(v.mark, f, expected("a list of non-empty strings", v)),
            },
            "keywords_ignore_case" | "placeholders" | "fallback" | "enabled" => match v.value {
                Value::Bool(b) => match f {
                    "keywords_ignore_case" => d.keywords_ignore_case = Some(b),
                    "placeholders" => d.placeholders = Some(b),
                    "fallback" => d.fallback = Some(b),
                    _ => d.enabled = Some(b),
                },
                _ => bad(v.mark, f, expected("true or false", v)),
            },
            "min_entropy" => match v.value {
                Value::Null => d.min_entropy = Some(None),
                Value::Int(i) if (0..=8).contains(&i) => d.min_entropy = Some(Some(i as f64)),
                Value::Float(x) if (0.0..=8.0).contains(&x) => d.min_entropy = Some(Some(x)),
                _ => bad(v.mark, f, expected("bits per character between 0 and 8", v)),
            },
            "max_len" => match v.value {
                Value::Null => d.max_len = Some(None),
                Value::Int(i) if (1..=1 << 20).contains(&i) => d.max_len = Some(Some(i as usize)),
                _ => bad(
                    v.mark,
                    f,
                    expected("a length in bytes between 1 and 1048576", v),
                ),
            },
            "validator" => match &v.value {
                Value::Null => d.validator = Some(None),
                Value::Str(s) => match ValidatorKind::parse(s) {
                    Some(k) => d.validator = Some(Some(k)),
                    None => bad(
                        v.mark,
                        f,
                        format!(
                            "unknown validator {s:?}; validators are {}",
                            validator_names()
                        ),
                    ),
                },
                _ => bad(v.mark, f, expected("a validator name", v)),
            },
            "severity" => match text(v).and_then(parse_severity) {
                Some(s) => d.severity = Some(s),
                None => bad(
                    v.mark,
                    f,
                    format!("{}: expected info, low, medium, high or critical", shown(v)),
                ),
            },
            "lifetime" => match text(v) {
                Some("long_lived") => d.lifetime = Some(Lifetime::LongLived),
                Some("short_lived") => d.lifetime = Some(Lifetime::ShortLived),
                _ => bad(
                    v.mark,
                    f,
                    format!("{}: expected long_lived or short_lived", shown(v)),
                ),
            },
            "pair" => match &v.value {
                Value::Null => d.pair = Some(None),
                Value::Map(fields) => {
                    let (mut with, mut within, mut severity) = (None, None, None);
                    for (pk, pv) in fields {
                        let pf = format!("pair.{}", key_text(pk));
                        match key_text(pk).as_str() {
                            "with" => match text(pv) {
                                Some(s) => with = Some(s.to_string()),
                                None => bad(pv.mark, &pf, expected("a rule id", pv)),
                            },
                            "within_lines" => match pv.value {
                                Value::Int(i) if (0..=1000).contains(&i) => {
                                    within = Some(i as usize)
                                }
                                _ => {
                                    bad(pv.mark, &pf, expected("a number of lines (0 to 1000)", pv))
                                }
                            },
                            "severity" => match text(pv).and_then(parse_severity) {
                                Some(s) => severity = Some(s),
                                None => bad(
                                    pv.mark,
                                    &pf,
                                    format!(
                                        "{}: expected info, low, medium, high or critical",
                                        shown(pv)
                                    ),
                                ),
                            },
                            _ => bad(
                                pk.mark,
                                &pf,
                                "unknown field; pair has with, within_lines and severity".into(),
                            ),
                        }
                    }
                    match (with, within, severity) {
                        (Some(with), Some(within_lines), Some(severity)) => {
                            d.pair = Some(Some((
                                Pair {
                                    with,
                                    within_lines,
                                    severity,
                                },
                                v.mark,
                            )))
                        }
                        _ => bad(v.mark, f, "needs with, within_lines and severity".into()),
                    }
                }
                _ => bad(v.mark, f, expected("a mapping", v)),
            },
            "examples" => match &v.value {
                Value::Map(fields) => {
                    let mut ex = Examples::default();
                    for (ek, ev) in fields {
                        let ef = format!("examples.{}", key_text(ek));
                        let list = match strings(ev) {
                            Some(l) => l,
                            None => {
                                bad(ev.mark, &ef, expected("a list of strings", ev));
                                continue;
                            }
                        };
                        match key_text(ek).as_str() {
                            "positive" => ex.positive = list,
                            "negative" => ex.negative = list,
                            _ => bad(
                                ek.mark,
                                &ef,
                                "unknown field; examples has positive and negative".into(),
                            ),
                        }
                    }
                    d.examples = Some((ex, v.mark));
                }
                _ => bad(
                    v.mark,
                    f,
                    expected("a mapping with positive and negative", v),
                ),
            },
            _ => {
                let hint = crate::problem::did_you_mean(f, FIELDS.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                bad(k.mark, f, format!("unknown field{hint}"));
            }
        }
    }
    if d.id.is_none() && !entries.iter().any(|(k, _)| key_text(k) == "id") {
        bad(item.mark, "id", "missing: every rule needs an id".into());
    }
    d
}

/// A new rule: every required field must be there.
fn complete(d: Draft, file: &str, path: &str, problems: &mut Vec<Problem>) -> Option<Rule> {
    let mut missing = Vec::new();
    for (field, present) in [
        ("provider", d.provider.is_some()),
        ("name", d.name.is_some()),
        ("regex", d.regex.is_some()),
        ("keywords", d.keywords.is_some()),
        ("severity", d.severity.is_some()),
        ("lifetime", d.lifetime.is_some()),
        ("remediation", d.remediation.is_some()),
    ] {
        if !present {
            missing.push(field);
        }
    }
    if !missing.is_empty() {
        for field in missing {
            problems.push(Problem {
                file: file.to_string(),
                mark: Some(d.mark),
                path: format!("{path}.{field}"),
                message: format!(
                    "missing: a new rule ({:?} is not a built-in id) needs {field}",
                    d.id.as_deref().unwrap_or("")
                ),
            });
        }
        return None;
    }
    Some(Rule {
        id: d.id?,
        provider: d.provider?,
        name: d.name?,
        regex: d.regex?.0,
        keywords: d.keywords?.0,
        keywords_ignore_case: d.keywords_ignore_case.unwrap_or(false),
        min_entropy: d.min_entropy.flatten(),
        validator: d.validator.flatten(),
        severity: d.severity?,
        lifetime: d.lifetime?,
        remediation: d.remediation?,
        max_len: d.max_len.flatten(),
        placeholders: d.placeholders.unwrap_or(true),
        fallback: d.fallback.unwrap_or(false),
        suppresses: d.suppresses.map(|s| s.0).unwrap_or_default(),
        pair: d.pair.flatten().map(|p| p.0),
        examples: d.examples.map(|e| e.0).unwrap_or_default(),
        origin: origin(file),
        enabled: d.enabled.unwrap_or(true),
    })
}

/// An override: the fields given replace the rule's.
fn apply(rule: &mut Rule, d: Draft, file: &str) {
    macro_rules! set {
        ($($f:ident),*) => { $( if let Some(v) = d.$f { rule.$f = v; } )* };
    }
    set!(
        provider,
        name,
        remediation,
        keywords_ignore_case,
        min_entropy,
        validator,
        severity,
        lifetime,
        max_len,
        placeholders,
        fallback,
        enabled
    );
    if let Some((r, _)) = d.regex {
        rule.regex = r;
    }
    if let Some((k, _)) = d.keywords {
        rule.keywords = k;
    }
    if let Some((s, _)) = d.suppresses {
        rule.suppresses = s;
    }
    if let Some(p) = d.pair {
        rule.pair = p.map(|p| p.0);
    }
    if let Some((e, _)) = d.examples {
        rule.examples = e;
    }
    rule.origin = origin(file);
}

fn origin(file: &str) -> String {
    if file == BUILTIN {
        "built-in".into()
    } else {
        file.to_string()
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn text(n: &Node) -> Option<&str> {
    n.as_str()
}

fn strings(n: &Node) -> Option<Vec<String>> {
    match &n.value {
        Value::Seq(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

fn expected(what: &str, n: &Node) -> String {
    format!("expected {what}, found {}", n.type_name())
}

fn shown(n: &Node) -> String {
    match n.as_str() {
        Some(s) => format!("{s:?}"),
        None => n.type_name().to_string(),
    }
}

fn parse_severity(s: &str) -> Option<Severity> {
    Severity::ALL.into_iter().find(|v| v.as_str() == s)
}

fn validator_names() -> String {
    ValidatorKind::ALL
        .iter()
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_parses() {
        let set = builtin();
        assert!(set.rules.len() >= 30, "{}", set.rules.len());
        for r in &set.rules {
            assert!(
                !r.examples.positive.is_empty(),
                "{} has no positive example",
                r.id
            );
            assert!(
                !r.examples.negative.is_empty(),
                "{} has no negative example",
                r.id
            );
            assert_eq!(r.origin, "built-in");
        }
    }

    #[test]
    fn every_problem_has_line_and_field() {
        let text = "rules:\n  - id: my-rule\n    provider: acme\n    severity: huge\n    lifetime: forever\n    keywords: acme_\n    regx: 'x'\n  - name: no id\n";
        let problems = parse("r.yaml", text, None).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |s: &str| lines.iter().any(|l| l.contains(s));
        assert!(
            has("r.yaml:4:15: rules[0].severity: \"huge\""),
            "{lines:#?}"
        );
        assert!(has("r.yaml:5:15: rules[0].lifetime"), "{lines:#?}");
        assert!(
            has("r.yaml:6:15: rules[0].keywords: expected a list"),
            "{lines:#?}"
        );
        assert!(
            has("r.yaml:7:5: rules[0].regx: unknown field (did you mean `regex`?)"),
            "{lines:#?}"
        );
        assert!(has("rules[1].id: missing"), "{lines:#?}");
    }

    #[test]
    fn an_override_keeps_the_fields_it_does_not_give() {
        let text =
            "rules:\n  - id: generic-secret\n    severity: low\n  - id: jwt\n    enabled: false\n";
        let set = parse("mine.yaml", text, Some(builtin())).unwrap();
        let g = set.rules.iter().find(|r| r.id == "generic-secret").unwrap();
        assert_eq!(g.severity, Severity::Low);
        assert!(g.regex.contains("password"));
        assert_eq!(g.origin, "mine.yaml");
        assert!(!set.rules.iter().find(|r| r.id == "jwt").unwrap().enabled);
    }

    #[test]
    fn a_new_rule_needs_every_required_field() {
        let text = "rules:\n  - id: acme-key\n    regex: 'acme_(?P<secret>[a-z0-9]{32})'\n";
        let problems = parse("mine.yaml", text, Some(builtin())).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        for f in [
            "provider",
            "name",
            "keywords",
            "severity",
            "lifetime",
            "remediation",
        ] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains(&format!("rules[0].{f}: missing"))),
                "{f}: {lines:#?}"
            );
        }
    }

    #[test]
    fn references_must_name_rules() {
        let text = "rules:\n  - id: jwt\n    suppresses: [nope]\n";
        let problems = parse("mine.yaml", text, Some(builtin())).unwrap_err();
        assert!(
            problems[0]
                .to_string()
                .contains("mine.yaml:3:17: rules[0].suppresses: no rule has id \"nope\""),
            "{problems:?}"
        );
    }
}
