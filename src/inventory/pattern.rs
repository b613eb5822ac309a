//! Subject patterns of `trust:` rules. Most are plain text with `*`; those are
//! matched directly, because compiling a regex per agent dominated large
//! inventories. Anything richer (`?`, `[..]`, `{a,b}`) goes to globset.

use globset::{Glob, GlobMatcher};

#[derive(Debug, Clone)]
pub enum SubjectPattern {
    /// The pattern split at each `*`.
    Star(Vec<String>),
    Glob(GlobMatcher),
}

impl SubjectPattern {
    /// `None` for an invalid glob (the registry loader has already reported it).
    pub fn new(pattern: &str) -> Option<Self> {
        if pattern.contains(['?', '[', ']', '{', '}', '\\']) {
            return Some(SubjectPattern::Glob(
                Glob::new(pattern).ok()?.compile_matcher(),
            ));
        }
        Some(SubjectPattern::Star(
            pattern.split('*').map(str::to_string).collect(),
        ))
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            SubjectPattern::Glob(g) => g.is_match(text),
            SubjectPattern::Star(parts) => star_match(parts, text),
        }
    }
}

fn star_match(parts: &[String], text: &str) -> bool {
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return text.is_empty(),
    };
    let Some(mut remaining) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        // No `*` at all: exact match.
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part.as_str()) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_globset_on_star_patterns() {
        let patterns = [
            "repo:acme/billing:environment:prod",
            "repo:acme/*",
            "repo:acme/*:ref:refs/heads/main",
            "*",
            "*:prod",
            "a*b*c",
            "system:serviceaccount:billing:*",
            "aa*aa",
            "",
        ];
        let texts = [
            "repo:acme/billing:environment:prod",
            "repo:acme/billing:ref:refs/heads/main",
            "repo:acme/*",
            "repo:other/x",
            "x:prod",
            "abc",
            "aXbYc",
            "acb",
            "system:serviceaccount:billing:reconciler",
            "aaa",
            "aaaa",
            "",
        ];
        for p in patterns {
            let ours = SubjectPattern::new(p).expect("valid");
            let theirs = Glob::new(p).expect("valid").compile_matcher();
            for t in texts {
                assert_eq!(
                    ours.is_match(t),
                    theirs.is_match(t),
                    "pattern {p:?} on {t:?}"
                );
            }
        }
    }

    #[test]
    fn rich_globs_use_globset() {
        let p = SubjectPattern::new("repo:acme/{billing,ledger}:*").expect("valid");
        assert!(matches!(p, SubjectPattern::Glob(_)));
        assert!(p.is_match("repo:acme/ledger:ref:refs/heads/main"));
        assert!(!p.is_match("repo:acme/other:ref:refs/heads/main"));
    }
}
