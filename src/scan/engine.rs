//! The scanning engine: one pass of a multi-keyword prefilter (Aho-Corasick)
//! over the bytes, then each rule's regex only in windows around its keywords'
//! hits, then validators, entropy and the placeholder filter.
//!
//! Why the prefilter never changes the result (the differential test checks it):
//! every match of a rule contains one of its keywords and is at most `L` bytes
//! long (`L` = the regex's longest match, or the rule's `max_len`). A hit at
//! `s..e` opens the window `s-L .. e+L`, which holds every match containing
//! that hit; a rule's overlapping windows are merged, so no match is cut by a
//! window's edge and no match is seen twice. Searches run on the whole
//! haystack restricted to the window, so `\b`, `^` and `$` see the real
//! neighbours of the window's edges, and a merged window starts before any
//! match that could overlap it: leftmost-first matching inside a window finds
//! exactly the matches that a search of the whole file finds there.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternID, meta};

use crate::model::Severity;
use crate::problem::Problem;
use crate::scan::allow;
use crate::scan::finding::{Finding, LinkKey, Redacted, Region, Suppression, SuppressionKind};
use crate::scan::rules::{Lifetime, Rule, RuleSet, ValidatorKind};
use crate::scan::validate::{self, Limits, Verdict};

/// A rule a keyword triggers, with the exact bytes to check when its keywords are case-sensitive.
type Trigger = (u32, Option<Box<[u8]>>);

/// Rules ready to scan: regexes and the keyword automaton, built once and shared by all threads.
#[derive(Debug)]
pub struct CompiledRules {
    rules: Vec<CompiledRule>,
    keywords: Option<AhoCorasick>,
    /// Per keyword pattern: the rules it triggers, with the exact bytes to
    /// check when the rule's keywords are case-sensitive.
    triggers: Vec<Vec<Trigger>>,
    /// Rules with `keywords: []`: searched over the whole input, no prefilter.
    always: Vec<u32>,
    pub limits: Limits,
}

#[derive(Debug)]
pub struct CompiledRule {
    pub rule: Rule,
    re: meta::Regex,
    secret_group: usize,
    /// The longest match, in bytes (the window reach).
    pub max_len: usize,
    /// Every match starts with one of the rule's keywords: with the
    /// prefilter, the regex runs anchored at each hit instead of in a window.
    anchored: bool,
    suppresses: Vec<u32>,
    pair: Option<(u32, usize, Severity)>,
}

/// Prefilter on (the product) or off (every regex over the whole input: the
/// reference the differential test compares with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Prefilter,
    Exhaustive,
}

impl CompiledRules {
    /// Compiles the enabled rules of `set`. Problems name the rule's field.
    pub fn new(set: &RuleSet) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        let enabled: Vec<usize> = (0..set.rules.len())
            .filter(|&i| set.rules[i].enabled)
            .collect();
        let position = |id: &str| {
            enabled
                .iter()
                .position(|&i| set.rules[i].id == id)
                .map(|p| p as u32)
        };
        for &i in &enabled {
            let (rule, marks) = (&set.rules[i], &set.marks[i]);
            let re = match compile(&rule.regex) {
                Ok(re) => re,
                Err(message) => {
                    problems.push(marks.problem(marks.regex, "regex", message));
                    continue;
                }
            };
            let Some(secret_group) = re.group_info().to_index(PatternID::ZERO, "secret") else {
                problems.push(marks.problem(
                    marks.regex,
                    "regex",
                    "has no `(?P<secret>...)` group: name the part that is the secret",
                ));
                continue;
            };
            let max_len = match (longest_match(&rule.regex), rule.max_len) {
                (_, Some(n)) => n,
                (Some(n), None) => n,
                (None, None) => {
                    problems.push(marks.problem(
                        marks.regex,
                        "max_len",
                        "missing: the regex has no longest match (it uses * or + or {n,}); give max_len, the longest match in bytes",
                    ));
                    continue;
                }
            };
            rules.push(CompiledRule {
                rule: rule.clone(),
                re,
                secret_group,
                max_len,
                anchored: starts_with_keyword(
                    &rule.regex,
                    &rule.keywords,
                    rule.keywords_ignore_case,
                ),
                suppresses: rule.suppresses.iter().filter_map(|s| position(s)).collect(),
                pair: rule
                    .pair
                    .as_ref()
                    .and_then(|p| position(&p.with).map(|w| (w, p.within_lines, p.severity))),
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        // One automaton for all keywords, case-insensitive; a case-sensitive
        // rule checks the exact bytes of a hit (cheap: hits are rare).
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut triggers: Vec<Vec<Trigger>> = Vec::new();
        let mut always = Vec::new();
        for (r, c) in rules.iter().enumerate() {
            if c.rule.keywords.is_empty() {
                always.push(r as u32);
            }
            for k in &c.rule.keywords {
                let folded = k.as_bytes().to_ascii_lowercase();
                let p = match patterns.iter().position(|p| *p == folded) {
                    Some(p) => p,
                    None => {
                        patterns.push(folded);
                        triggers.push(Vec::new());
                        patterns.len() - 1
                    }
                };
                let exact = (!c.rule.keywords_ignore_case).then(|| k.as_bytes().into());
                triggers[p].push((r as u32, exact));
            }
        }
        let keywords = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| {
                        vec![Problem {
                            file: "<rules>".into(),
                            mark: None,
                            path: "keywords".into(),
                            message: e.to_string(),
                        }]
                    })?,
            )
        };
        Ok(CompiledRules {
            rules,
            keywords,
            triggers,
            always,
            limits: Limits::default(),
        })
    }

    /// The built-in catalogue, compiled.
    pub fn builtin() -> Self {
        let set = crate::scan::rules::builtin();
        CompiledRules::new(&set).unwrap_or_else(|p| panic!("built-in rules do not compile: {p:?}"))
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().map(|c| &c.rule)
    }

    pub fn compiled(&self) -> &[CompiledRule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// Checks the examples of the rules that did not come with the binary:
    /// each positive must be found by its rule, each negative must not.
    pub fn check_examples(&self, set: &RuleSet) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (rule, marks) in set.rules.iter().zip(&set.marks) {
            if rule.origin == "built-in" || !rule.enabled {
                continue;
            }
            for (kind, list, want) in [
                ("positive", &rule.examples.positive, true),
                ("negative", &rule.examples.negative, false),
            ] {
                for (i, ex) in list.iter().enumerate() {
                    let found = scan_bytes(self, "<example>", ex.as_bytes())
                        .iter()
                        .any(|f| f.rule == rule.id);
                    if found != want {
                        problems.push(marks.problem(
                            marks.examples,
                            &format!("examples.{kind}[{i}]"),
                            if want {
                                "not found by the rule (check regex, keywords, min_entropy and validator)"
                            } else {
                                "found by the rule, but it is a negative example"
                            },
                        ));
                    }
                }
            }
        }
        problems
    }
}

fn compile(pattern: &str) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(meta::Config::new().utf8_empty(false))
        .build(pattern)
        .map_err(|e| match e.syntax_error() {
            Some(regex_syntax::Error::Parse(p)) => format!(
                "does not compile: {} (at character {})",
                p.kind(),
                p.span().start.offset + 1
            ),
            Some(regex_syntax::Error::Translate(t)) => format!(
                "does not compile: {} (at character {})",
                t.kind(),
                t.span().start.offset + 1
            ),
            _ => format!("does not compile: {}", one_line(&e.to_string())),
        })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when every match of `pattern` starts with one of `keywords`: each
/// literal prefix the regex's matches can begin with (a finite set) begins
/// with a keyword. Then a match can only start where a keyword's hit starts.
fn starts_with_keyword(pattern: &str, keywords: &[String], ignore_case: bool) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return false;
    };
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let Some(literals) = seq.literals() else {
        return false;
    };
    !literals.is_empty()
        && literals.iter().all(|lit| {
            let b = lit.as_bytes();
            keywords.iter().any(|k| {
                let k = k.as_bytes();
                !k.is_empty()
                    && b.len() >= k.len()
                    && if ignore_case {
                        b[..k.len()].eq_ignore_ascii_case(k)
                    } else {
                        b[..k.len()] == *k
                    }
            })
        })
}

/// The longest match of `pattern` in bytes, when it has one.
fn longest_match(pattern: &str) -> Option<usize> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    hir.properties().maximum_len()
}

/// Scans `bytes` (a file, a git blob, stdin) with the prefilter. `path` labels the findings.
pub fn scan_bytes(rules: &CompiledRules, path: &str, bytes: &[u8]) -> Vec<Finding> {
    scan(rules, path, bytes, Mode::Prefilter)
}

/// A match that passed every filter, before it becomes a finding.
struct Candidate {
    rule: u32,
    whole: (usize, usize),
    secret: (usize, usize),
    severity: Severity,
    lifetime: Lifetime,
    note: Option<String>,
}

/// Scans `bytes` in `mode`.
pub fn scan(rules: &CompiledRules, path: &str, bytes: &[u8], mode: Mode) -> Vec<Finding> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let (windows, starts) = match mode {
        Mode::Exhaustive => (
            (0..rules.rules.len() as u32)
                .map(|r| (r, 0, bytes.len()))
                .collect(),
            Vec::new(),
        ),
        Mode::Prefilter => windows(rules, bytes),
    };
    let mut candidates = Vec::new();
    let mut caps = None;
    let mut current = u32::MAX;
    // Anchored rules: a search at each hit, in order; a hit inside the last
    // match is skipped, as a search of the whole input resumes after it.
    let mut resume = 0;
    for (r, q, limit) in starts {
        let c = &rules.rules[r as usize];
        if r != current {
            caps = Some(c.re.create_captures());
            current = r;
            resume = 0;
        }
        let Some(caps) = caps.as_mut() else { continue };
        if q < resume {
            continue;
        }
        let input = Input::new(bytes).range(q..limit).anchored(Anchored::Yes);
        c.re.search_captures(&input, caps);
        let Some(m) = caps.get_match() else { continue };
        if let Some(cand) = judge(
            rules,
            r,
            c,
            bytes,
            m.range(),
            caps.get_group(c.secret_group).map(|s| s.range()),
        ) {
            candidates.push(cand);
        }
        resume = if m.is_empty() { m.end() + 1 } else { m.end() };
    }
    current = u32::MAX;
    for (r, ws, we) in windows {
        let c = &rules.rules[r as usize];
        if r != current {
            caps = Some(c.re.create_captures());
            current = r;
        }
        let Some(caps) = caps.as_mut() else { continue };
        let mut input = Input::new(bytes).range(ws..we);
        loop {
            c.re.search_captures(&input, caps);
            let Some(m) = caps.get_match() else { break };
            if let Some(cand) = judge(
                rules,
                r,
                c,
                bytes,
                m.range(),
                caps.get_group(c.secret_group).map(|s| s.range()),
            ) {
                candidates.push(cand);
            }
            let next = if m.is_empty() { m.end() + 1 } else { m.end() };
            if next > we {
                break;
            }
            input.set_start(next);
        }
    }
    finish(rules, path, bytes, candidates)
}

/// A rule and a range of the input to search.
type Span = (u32, usize, usize);

/// Per rule, the merged windows around its keywords' hits, sorted by rule
/// then start; and for anchored rules, each hit's start and how far a match
/// from it may reach, sorted the same way.
fn windows(rules: &CompiledRules, bytes: &[u8]) -> (Vec<Span>, Vec<Span>) {
    let n = bytes.len();
    let mut out: Vec<Span> = Vec::new();
    let mut starts: Vec<Span> = Vec::new();
    // The open window of each rule, merged on the fly (hits arrive nearly in order).
    let mut open: Vec<Option<(usize, usize)>> = vec![None; rules.rules.len()];
    if let Some(ac) = &rules.keywords {
        for hit in ac.find_overlapping_iter(bytes) {
            let (s, e) = (hit.start(), hit.end());
            for (r, exact) in &rules.triggers[hit.pattern().as_usize()] {
                if let Some(exact) = exact
                    && bytes[s..e] != **exact
                {
                    continue;
                }
                let reach = rules.rules[*r as usize].max_len;
                if rules.rules[*r as usize].anchored {
                    starts.push((*r, s, (e + reach).min(n)));
                    continue;
                }
                let w = (s.saturating_sub(reach), (e + reach).min(n));
                let slot = &mut open[*r as usize];
                match slot {
                    Some((os, oe)) if w.0 <= *oe && w.1 >= *os => {
                        *os = (*os).min(w.0);
                        *oe = (*oe).max(w.1);
                    }
                    Some(prev) => {
                        out.push((*r, prev.0, prev.1));
                        *slot = Some(w);
                    }
                    None => *slot = Some(w),
                }
            }
        }
    }
    for (r, w) in open.into_iter().enumerate() {
        if let Some((s, e)) = w {
            out.push((r as u32, s, e));
        }
    }
    for &r in &rules.always {
        out.push((r, 0, n));
    }
    out.sort_unstable();
    // Merge what arrived out of order.
    let mut merged: Vec<Span> = Vec::with_capacity(out.len());
    for w in out {
        match merged.last_mut() {
            Some(last) if last.0 == w.0 && w.1 <= last.2 => last.2 = last.2.max(w.2),
            _ => merged.push(w),
        }
    }
    // Two keywords of a rule can hit at one start: search it once, as far
    // as the farther reach.
    starts.sort_unstable();
    starts.dedup_by(|b, a| {
        let same = a.0 == b.0 && a.1 == b.1;
        if same {
            a.2 = a.2.max(b.2);
        }
        same
    });
    (merged, starts)
}

/// Applies a rule's filters to one regex match.
fn judge(
    rules: &CompiledRules,
    r: u32,
    c: &CompiledRule,
    bytes: &[u8],
    whole: std::ops::Range<usize>,
    secret: Option<std::ops::Range<usize>>,
) -> Option<Candidate> {
    let secret = secret?;
    if whole.len() > c.max_len || secret.is_empty() {
        return None;
    }
    let value = &bytes[secret.clone()];
    // Cheap first: most literals `random_string` sees are hex ids, UUIDs and
    // digests, which it rejects before any allocation (same outcome, as
    // every filter here only rejects).
    if c.rule.validator == Some(ValidatorKind::RandomString) && !validate::looks_random(value) {
        return None;
    }
    if let Some(min) = c.rule.min_entropy
        && validate::entropy(value) < min
    {
        return None;
    }
    if c.rule.placeholders && validate::is_placeholder(value) {
        return None;
    }
    let (mut severity, mut lifetime, mut note) = (c.rule.severity, c.rule.lifetime, None);
    if let Some(kind) = c.rule.validator {
        match validate::check(kind, &bytes[whole.clone()], value, &rules.limits) {
            Verdict::Reject => return None,
            Verdict::Keep {
                severity: s,
                lifetime: l,
                note: n,
            } => {
                severity = s.unwrap_or(severity);
                lifetime = l.unwrap_or(lifetime);
                note = n;
            }
        }
    }
    Some(Candidate {
        rule: r,
        whole: (whole.start, whole.end),
        secret: (secret.start, secret.end),
        severity,
        lifetime,
        note,
    })
}

/// Dedupes, applies `suppresses` and `pair`, and places each candidate in lines.
fn finish(
    rules: &CompiledRules,
    path: &str,
    bytes: &[u8],
    mut cands: Vec<Candidate>,
) -> Vec<Finding> {
    cands.sort_by_key(|c| (c.secret.0, c.rule, c.secret.1));
    cands.dedup_by_key(|c| (c.rule, c.secret));
    // A fallback rule's value that holds another rule's keyword is that
    // rule's business: a token it rejected (bad checksum, placeholder) or a
    // truncated one is not a generic secret either.
    cands.retain(|c| {
        !rules.rules[c.rule as usize].rule.fallback
            || !holds_specific_keyword(rules, &bytes[c.secret.0..c.secret.1])
    });
    // A match of a rule that `suppresses` another hides that rule's findings
    // inside it; a fallback rule's finding yields to any other rule's finding
    // that overlaps its secret.
    if cands.len() > 1 {
        let fallback = |r: u32| rules.rules[r as usize].rule.fallback;
        let hide: Vec<bool> = cands
            .iter()
            .map(|x| {
                cands.iter().any(|y| {
                    (rules.rules[y.rule as usize].suppresses.contains(&x.rule)
                        && y.whole.0 <= x.secret.0
                        && x.secret.1 <= y.whole.1)
                        || (fallback(x.rule)
                            && !fallback(y.rule)
                            && y.secret.0 < x.secret.1
                            && x.secret.0 < y.secret.1)
                })
            })
            .collect();
        let mut keep = hide.iter().map(|h| !h);
        cands.retain(|_| keep.next().unwrap_or(true));
    }

    let mut lines = LineIndex::new(bytes);
    let mut line_facts = LineFacts::default();
    let mut findings: Vec<Finding> = cands
        .into_iter()
        .map(|c| {
            let (line, column) = lines.locate(c.secret.0);
            let value = &bytes[c.secret.0..c.secret.1];
            let end_line = line + value.iter().filter(|&&b| b == b'\n').count();
            let rule = &rules.rules[c.rule as usize].rule;
            let facts = line_facts.at(bytes, c.secret.0 + 1 - column);
            let suppressed = facts
                .allowing(bytes, c.secret, &rule.id)
                .map(|marker| Suppression {
                    kind: SuppressionKind::Inline,
                    reason: format!("{marker} on line {line}"),
                });
            let region = facts.region(bytes, line, c.secret);
            Finding {
                rule: rule.id.clone(),
                severity: c.severity,
                lifetime: c.lifetime,
                path: path.to_string(),
                line,
                column,
                end_line,
                start: c.secret.0,
                end: c.secret.1,
                secret: Redacted::new(value),
                note: c.note,
                paired_with: None,
                origin: None,
                suppressed,
                region,
                estate: None,
                link: LinkKey::for_secret(&rule.provider, value),
            }
        })
        .collect();

    // Pairs: the nearest finding of the partner rule within the distance.
    for c in &rules.rules {
        let Some((with, within, severity)) = c.pair else {
            continue;
        };
        let (id, partner) = (&c.rule.id, &rules.rules[with as usize].rule.id);
        for i in 0..findings.len() {
            if findings[i].rule != *id {
                continue;
            }
            let line = findings[i].line;
            let nearest = (0..findings.len())
                .filter(|&j| {
                    findings[j].rule == *partner && findings[j].line.abs_diff(line) <= within
                })
                .min_by_key(|&j| findings[j].line.abs_diff(line));
            if let Some(j) = nearest {
                findings[i].paired_with = Some(findings[j].secret.fingerprint.clone());
                findings[i].severity = findings[i].severity.max(severity);
                if findings[j].paired_with.is_none() {
                    findings[j].paired_with = Some(findings[i].secret.fingerprint.clone());
                    findings[j].severity = findings[j].severity.max(severity);
                }
            }
        }
    }
    findings
}

/// What the findings of one line share, worked out once per line: a
/// minified file can hold thousands of findings on one long line, and each
/// must not rescan it.
#[derive(Debug, Default)]
struct LineFacts {
    start: usize,
    end: usize,
    marker: bool,
    /// UTF-16 code units from `start` to `pos` (findings come in increasing order).
    pos: usize,
    units: usize,
    valid: bool,
}

impl LineFacts {
    /// The facts of the line starting at `start`.
    fn at(&mut self, bytes: &[u8], start: usize) -> &mut Self {
        if !self.valid || self.start != start {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| start + p);
            *self = LineFacts {
                start,
                end,
                marker: allow::has_marker(&bytes[start..end]),
                pos: start,
                units: 0,
                valid: true,
            };
        }
        self
    }

    /// UTF-16 code units from the line's start to `offset`.
    fn units_to(&mut self, bytes: &[u8], offset: usize) -> usize {
        if offset < self.pos {
            self.pos = self.start;
            self.units = 0;
        }
        self.units += utf16_units(&bytes[self.pos..offset]);
        self.pos = offset;
        self.units
    }

    /// The `agentid:allow` marker that allows `rule` for the secret at
    /// `secret`: on its line, or on any later line it spans.
    fn allowing<'b>(&self, bytes: &'b [u8], secret: (usize, usize), rule: &str) -> Option<&'b str> {
        if self.marker
            && let Some(m) = allow::allowing(&bytes[self.start..self.end], rule)
        {
            return Some(m);
        }
        if secret.1 <= self.end {
            return None;
        }
        let last_end = bytes[secret.1..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| secret.1 + p);
        allow::allowing(&bytes[self.end..last_end], rule)
    }

    /// The secret's region in UTF-16 code units, as SARIF counts columns.
    /// A line end the secret ends with is not part of it.
    fn region(&mut self, bytes: &[u8], line: usize, secret: (usize, usize)) -> Region {
        let mut end = secret.1;
        while end > secret.0 && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let value = &bytes[secret.0..end];
        let start_units = self.units_to(bytes, secret.0);
        match value.iter().rposition(|&b| b == b'\n') {
            None => Region {
                start_column: start_units + 1,
                end_line: line,
                end_column: start_units + utf16_units(value) + 1,
            },
            Some(p) => Region {
                start_column: start_units + 1,
                end_line: line + value.iter().filter(|&&b| b == b'\n').count(),
                end_column: utf16_units(&value[p + 1..]) + 1,
            },
        }
    }
}

/// UTF-16 code units of UTF-8 text: one per character, two for those
/// outside the BMP (4-byte sequences). Invalid bytes count one each.
fn utf16_units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

/// True when `value` contains a keyword of a rule that is not a fallback.
fn holds_specific_keyword(rules: &CompiledRules, value: &[u8]) -> bool {
    let Some(ac) = &rules.keywords else {
        return false;
    };
    ac.find_overlapping_iter(value).any(|hit| {
        rules.triggers[hit.pattern().as_usize()]
            .iter()
            .any(|(r, exact)| {
                !rules.rules[*r as usize].rule.fallback
                    && exact
                        .as_ref()
                        .is_none_or(|e| value[hit.start()..hit.end()] == **e)
            })
    })
}

/// Line and column of offsets visited in increasing order.
struct LineIndex<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineIndex {
            bytes,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// 1-based line and byte column of `offset` (offsets must not decrease).
    fn locate(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.pos {
            *self = LineIndex::new(self.bytes);
        }
        for (i, &b) in self.bytes[self.pos..offset].iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = offset;
        (self.line, offset - self.line_start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> CompiledRules {
        CompiledRules::builtin()
    }

    /// Many findings on one long line (minified files): each placed right,
    /// the line's marker seen by all of them, columns counted incrementally.
    #[test]
    fn many_findings_on_one_line() {
        let rules = rules();
        let token = "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";
        let mut line = String::from("é");
        for i in 0..300 {
            line.push_str(&format!(" t{i}=\"{token}\";"));
        }
        for (text, suppressed) in [
            (format!("{line}\n"), false),
            (
                format!("{line} // agentid:allow=github-pat-classic\n"),
                true,
            ),
        ] {
            let found = scan(&rules, "min.js", text.as_bytes(), Mode::Prefilter);
            let tokens: Vec<&Finding> = found
                .iter()
                .filter(|f| f.rule == "github-pat-classic")
                .collect();
            assert_eq!(tokens.len(), 300);
            for f in tokens {
                assert_eq!(&text[f.start..f.end], token);
                // 'é' is 2 bytes, 1 UTF-16 unit.
                assert_eq!(f.region.start_column, f.column - 1);
                assert_eq!(f.region.end_column, f.column - 1 + token.len());
                assert_eq!(f.region.end_line, 1);
                assert_eq!(f.is_suppressed(), suppressed);
            }
        }
    }

    /// Every rule's positive examples are found by it, with and without the
    /// prefilter; its negatives are not.
    #[test]
    fn every_rule_keeps_its_examples() {
        let rules = rules();
        let mut failures = Vec::new();
        for c in rules.compiled() {
            let r = &c.rule;
            for (i, ex) in r.examples.positive.iter().enumerate() {
                for mode in [Mode::Prefilter, Mode::Exhaustive] {
                    let found = scan(&rules, "ex", ex.as_bytes(), mode);
                    if !found.iter().any(|f| f.rule == r.id) {
                        failures.push(format!(
                            "{} positive[{i}] not found ({mode:?}): {found:?}",
                            r.id
                        ));
                    }
                }
            }
            for (i, ex) in r.examples.negative.iter().enumerate() {
                let found = scan(&rules, "ex", ex.as_bytes(), Mode::Exhaustive);
                if found.iter().any(|f| f.rule == r.id) {
                    failures.push(format!("{} negative[{i}] found: {found:?}", r.id));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// A positive example finds the secret itself: the redaction's length
    /// shows the whole key was taken, including a last '-' or '_'.
    #[test]
    fn keys_ending_in_dash_or_underscore_are_whole() {
        let rules = rules();
        for (text, rule, len) in [
            (
                "k=sk-ant-api03-DHY474w17GXNPK8-uXeY73jd2uia9WCjoyKDfAzO10c3wKr9VyNwcVGcnxZOiLVcaKRausJeUqVS5hgxgLoK6At50zLEw8- next",
                "anthropic-api-key",
                108,
            ),
            (
                "k=\"sk-ant-api03-cxrtKMFBJwO1-9j_Koxqujz5EOOcv9CG4b1xfMRXsdrPb4fpBi5Da_zkFn3N6QOZzK99DAy7kZgg_K-htHu3LrE75-2Hlg_\"",
                "anthropic-api-key",
                108,
            ),
            (
                "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",
                "google-oauth-client-secret",
                35,
            ),
            (
                "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\n",
                "google-oauth-client-secret",
                35,
            ),
        ] {
            let found = scan_bytes(&rules, "t", text.as_bytes());
            let f = found
                .iter()
                .find(|f| f.rule == rule)
                .unwrap_or_else(|| panic!("{rule}: {found:?}"));
            assert_eq!(f.secret.length, len, "{rule}");
            assert_eq!(f.end - f.start, len);
        }
    }

    #[test]
    fn aws_key_id_pairs_with_its_secret_key() {
        let rules = rules();
        let text = "[default]\naws_access_key_id = AKIAIY22VPTL4QPE3HAX\naws_secret_access_key = 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\n";
        let found = scan_bytes(&rules, "credentials", text.as_bytes());
        let id = found
            .iter()
            .find(|f| f.rule == "aws-access-key-id")
            .expect("id");
        let key = found
            .iter()
            .find(|f| f.rule == "aws-secret-access-key")
            .expect("secret");
        assert_eq!(id.severity, Severity::Critical);
        assert_eq!(
            id.paired_with.as_deref(),
            Some(key.secret.fingerprint.as_str())
        );
        assert_eq!(
            key.paired_with.as_deref(),
            Some(id.secret.fingerprint.as_str())
        );
        assert_eq!((id.line, id.column), (2, 21));
        // Far apart: no pair, the id keeps its own severity.
        let far = format!(
            "aws_access_key_id = AKIAIY22VPTL4QPE3HAX\n{}aws_secret_access_key = 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\n",
            "\n".repeat(10)
        );
        let found = scan_bytes(&rules, "credentials", far.as_bytes());
        let id = found
            .iter()
            .find(|f| f.rule == "aws-access-key-id")
            .expect("id");
        assert_eq!(id.severity, Severity::High);
        assert!(id.paired_with.is_none());
    }

    /// A random literal under any name is found with and without the
    /// prefilter; a named rule's finding on the same value hides it (one
    /// secret, one finding); a rule with `keywords: []` runs over the whole
    /// input in both modes.
    #[test]
    fn literals_and_rules_without_keywords() {
        let rules = rules();
        let literal = "const loadSettings = \"Vb7Kq2#Lm*Zx9-Rt^Wp4Nf+H\";\n";
        for mode in [Mode::Prefilter, Mode::Exhaustive] {
            let found = scan(&rules, "a.js", literal.as_bytes(), mode);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].rule, "high-entropy-string");
            assert_eq!(found[0].severity, Severity::Low);
            assert_eq!(found[0].secret.length, 24);
        }
        let named = "API_SECRET = \"Vb7Kq2#Lm*Zx9-Rt^Wp4Nf+H\"\n";
        let found = scan_bytes(&rules, "a.py", named.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "generic-secret");
        let bearer = "h = {\"Authorization\": \"Bearer Hk#2v%Qp^Lr8*Zt!Mx4^Nc\"}\n";
        let found = scan_bytes(&rules, "a.py", bearer.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "bearer-token");
        // A custom rule without keywords compiles and is searched everywhere.
        let set = crate::scan::rules::parse(
            "r.yaml",
            "rules:\n  - id: acme-key\n    provider: acme\n    name: Acme key\n    regex: '(?P<secret>acme[0-9]{8})'\n    keywords: []\n    severity: high\n    lifetime: long_lived\n    remediation: Revoke it.\n",
            None,
        )
        .expect("parses");
        let custom = CompiledRules::new(&set).expect("compiles");
        for mode in [Mode::Prefilter, Mode::Exhaustive] {
            let found = scan(&custom, "t", b"x acme12345678 y", mode);
            assert_eq!(found.len(), 1, "{found:?}");
        }
    }

    /// Rules whose matches start with a keyword run anchored at each hit;
    /// the others in windows.
    #[test]
    fn anchored_rules_are_those_whose_matches_start_with_a_keyword() {
        let rules = rules();
        let anchored = |id: &str| {
            rules
                .compiled()
                .iter()
                .find(|c| c.rule.id == id)
                .map(|c| c.anchored)
                .unwrap_or_else(|| panic!("{id}"))
        };
        for id in [
            "github-pat-classic",
            "anthropic-api-key",
            "high-entropy-string",
        ] {
            assert!(anchored(id), "{id}");
        }
        // A name before the keyword, a class before the secret, a keyword in the middle.
        for id in ["generic-secret", "azure-client-secret", "openai-legacy-key"] {
            assert!(!anchored(id), "{id}");
        }
        assert!(!starts_with_keyword("x?abc", &["abc".into()], false));
        assert!(starts_with_keyword("(?i)abc", &["ABC".into()], true));
        assert!(!starts_with_keyword("(?i)abc", &["ABC".into()], false));
        // A hit inside the previous match is not a new start: as without the prefilter.
        let text = b"a=\"Vb7Kq2=\"Lm*Zx9-Rt^Wp4Nf+HqQ2mZ8\" \"\n";
        assert_eq!(
            scan(&rules, "t", text, Mode::Prefilter),
            scan(&rules, "t", text, Mode::Exhaustive)
        );
    }

    #[test]
    fn a_gcp_key_file_is_one_finding() {
        let rules = rules();
        let ex = &rules
            .get("gcp-service-account-key")
            .unwrap()
            .examples
            .positive[0];
        let found = scan_bytes(&rules, "sa.json", ex.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "gcp-service-account-key");
    }

    #[test]
    fn jwt_lifetimes() {
        let rules = rules();
        let r = rules.get("jwt").unwrap();
        let lifetimes: Vec<(Lifetime, Severity)> = r
            .examples
            .positive
            .iter()
            .map(|ex| {
                let f = scan_bytes(&rules, "t", ex.as_bytes())
                    .into_iter()
                    .find(|f| f.rule == "jwt")
                    .unwrap();
                (f.lifetime, f.severity)
            })
            .collect();
        assert_eq!(
            lifetimes,
            vec![
                (Lifetime::LongLived, Severity::High),
                (Lifetime::LongLived, Severity::Medium),
                (Lifetime::ShortLived, Severity::Low)
            ]
        );
    }

    #[test]
    fn encrypted_private_keys_are_lower() {
        let rules = rules();
        let r = rules.get("private-key").unwrap();
        let sev: Vec<Severity> = r
            .examples
            .positive
            .iter()
            .map(|ex| scan_bytes(&rules, "k", ex.as_bytes())[0].severity)
            .collect();
        assert_eq!(
            sev,
            vec![
                Severity::Critical,
                Severity::Critical,
                Severity::Critical,
                Severity::Medium,
                Severity::Medium
            ]
        );
    }

    #[test]
    fn crlf_and_invalid_utf8() {
        let rules = rules();
        let mut text =
            b"\xff\xfe garbage \x80\r\nGITHUB_TOKEN=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\r\n"
                .to_vec();
        text.extend_from_slice(b"\xc3\x28 more\r\n");
        let found = scan_bytes(&rules, "t", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].line, found[0].column, found[0].secret.length),
            (2, 14, 40)
        );
    }

    /// A small deterministic generator (xorshift), so the corpus needs no crate.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// The differential test: on every example and on a generated mixed file
    /// set, the prefilter finds exactly what running every regex over every
    /// whole file finds.
    #[test]
    fn prefilter_changes_nothing() {
        let rules = rules();
        let mut pieces: Vec<String> = Vec::new();
        for c in rules.compiled() {
            pieces.extend(c.rule.examples.positive.iter().cloned());
            pieces.extend(c.rule.examples.negative.iter().cloned());
            pieces.extend(c.rule.keywords.iter().cloned());
        }
        let filler = [
            "fn main() { let x = 1; }\n",
            "password = \n",
            "token: ",
            "# a comment about secret handling\n",
            "\r\n",
            "\"",
            " ",
            "-",
            "_",
            "=",
            "\n\n",
            "integrity sha512-q83vOsz7ZWnC2hc/YvLmQkC2PlmE2nJQ==\n",
            "id: 0f8fad5b-d9cb-469f-a165-70867728950e\n",
            "AKIA",
            "eyJ",
            "-----BEGIN PRIVATE KEY-----\n",
            "-----END PRIVATE KEY-----\n",
            "\u{00e9}\u{4e2d}",
        ];
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let mut files: Vec<Vec<u8>> = pieces.iter().map(|p| p.clone().into_bytes()).collect();
        for _ in 0..300 {
            let mut f = Vec::new();
            for _ in 0..g.below(40) + 1 {
                let piece = if g.below(3) == 0 {
                    pieces[g.below(pieces.len())].as_bytes()
                } else {
                    filler[g.below(filler.len())].as_bytes()
                };
                // Sometimes cut a piece, so keywords appear at odd places.
                let cut = if g.below(5) == 0 {
                    g.below(piece.len() + 1)
                } else {
                    piece.len()
                };
                f.extend_from_slice(&piece[..cut]);
            }
            files.push(f);
        }
        // All examples in one file, in both orders, with and without separators.
        files.push(pieces.join("").into_bytes());
        files.push(pieces.join("\n").into_bytes());
        files.push(
            pieces
                .iter()
                .rev()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
                .into_bytes(),
        );
        let mut total = 0;
        for (i, f) in files.iter().enumerate() {
            let a = scan(&rules, "f", f, Mode::Prefilter);
            let b = scan(&rules, "f", f, Mode::Exhaustive);
            assert_eq!(a, b, "file {i}: {:?}", String::from_utf8_lossy(f));
            total += a.len();
        }
        assert!(total > 100, "the corpus should hold findings: {total}");
    }
}
