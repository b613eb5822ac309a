//! A problem in an input file, with where it is: `file:line:col: field: message`.

use std::fmt;

/// 1-based line and column.
pub use crate::registry::yaml::Mark;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// File as the user named it (`<stdin>` for `-`).
    pub file: String,
    pub mark: Option<Mark>,
    /// Field path such as `agents[2].owner`; empty for the whole file.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(m) = self.mark {
            write!(f, ":{}:{}", m.line, m.col)?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A field path being walked: `agents[2].trust[0].issuer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(String::new())
    }

    pub fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    pub fn index(&self, i: usize) -> Self {
        FieldPath(format!("{}[{i}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The enclosing path: `a.b[2]` → `a.b`, `a.b` → `a`.
    pub fn parent(&self) -> Option<FieldPath> {
        let cut = self.0.rfind(['.', '['])?;
        Some(FieldPath(self.0[..cut].to_string()))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// "did you mean `x`?" for a misspelt name, when one candidate is close.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A field path on the stack while walking a document: no allocation until a
/// problem needs it rendered as a [`FieldPath`].
#[derive(Debug, Clone, Copy)]
pub struct PathRef<'a> {
    parent: Option<&'a PathRef<'a>>,
    seg: Seg<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> PathRef<'a> {
    pub const ROOT: PathRef<'static> = PathRef {
        parent: None,
        seg: Seg::Root,
    };

    pub fn field<'b>(&'b self, name: &'b str) -> PathRef<'b> {
        PathRef {
            parent: Some(self),
            seg: Seg::Key(name),
        }
    }

    pub fn index(&self, i: usize) -> PathRef<'_> {
        PathRef {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    pub fn render(&self) -> FieldPath {
        let mut segs = Vec::new();
        let mut cur = Some(self);
        while let Some(p) = cur {
            segs.push(p.seg);
            cur = p.parent;
        }
        let mut out = FieldPath::root();
        for seg in segs.into_iter().rev() {
            out = match seg {
                Seg::Root => out,
                Seg::Key(k) => out.field(k),
                Seg::Index(i) => out.index(i),
            };
        }
        out
    }
}
