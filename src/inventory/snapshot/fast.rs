//! The fast path for reading a well-formed snapshot: every byte is parsed
//! once, on two threads, each taking about half of the file.
//!
//! The top-level object is walked here by hand, and each value in it (each
//! element, for the lists) is handed to serde_json with the same types as
//! the careful parse, so a value means here exactly what it means there. The
//! second thread starts at an element boundary it guesses in the middle of
//! the file, inside the `credentials` (or `identities`) list, and parses from
//! there to the end. The first thread parses from the start; the guess was
//! right only if the first thread, element by element, arrives exactly at that
//! boundary inside that same list. Then both halves were parsed from the same
//! state, and are joined. Otherwise the second thread's work is dropped and
//! the first thread goes on alone.
//!
//! Anything unusual (a syntax or type error, an unknown, escaped or repeated
//! key, a missing required field) gives up with `None`, and the caller parses
//! the file the careful way, which accepts and rejects exactly what it always
//! did and says why.

use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use serde::Deserialize;

use super::Snapshot;
use crate::model::{Credential, Identity, Privilege, SourceInfo, Trust, User};

/// Below this size one thread parses the whole file.
const SPLIT_FROM: usize = 1 << 20;

/// How far past the middle of the file the second thread looks for an
/// element boundary.
const SEARCH_WINDOW: usize = 1 << 20;

/// The top-level fields, each `Some` once read.
#[derive(Default)]
struct Fields {
    schema_version: Option<u32>,
    kind: Option<String>,
    collected_at: Option<Option<Timestamp>>,
    generator: Option<Option<String>>,
    sources: Option<Vec<SourceInfo>>,
    identities: Option<Vec<Identity>>,
    credentials: Option<Vec<Credential>>,
    trusts: Option<Vec<Trust>>,
    privileges: Option<Vec<Privilege>>,
    users: Option<Vec<User>>,
}

/// Sets `slot`, failing if it was already set (a key given twice).
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

impl Fields {
    /// Adds the fields read by the other thread; a key both read is a duplicate.
    fn merge(&mut self, other: Fields) -> Option<()> {
        fn join<T>(mine: &mut Option<T>, theirs: Option<T>) -> Option<()> {
            match theirs {
                Some(v) => once(mine, v),
                None => Some(()),
            }
        }
        join(&mut self.schema_version, other.schema_version)?;
        join(&mut self.kind, other.kind)?;
        join(&mut self.collected_at, other.collected_at)?;
        join(&mut self.generator, other.generator)?;
        join(&mut self.sources, other.sources)?;
        join(&mut self.identities, other.identities)?;
        join(&mut self.credentials, other.credentials)?;
        join(&mut self.trusts, other.trusts)?;
        join(&mut self.privileges, other.privileges)?;
        join(&mut self.users, other.users)
    }

    fn into_snapshot(self) -> Option<Snapshot> {
        Some(Snapshot {
            schema_version: self.schema_version?,
            kind: self.kind?,
            collected_at: self.collected_at.flatten(),
            generator: self.generator.flatten(),
            sources: self.sources.unwrap_or_default(),
            identities: self.identities.unwrap_or_default(),
            credentials: self.credentials.unwrap_or_default(),
            trusts: self.trusts.unwrap_or_default(),
            privileges: self.privileges.unwrap_or_default(),
            users: self.users.unwrap_or_default(),
        })
    }
}

/// Which list the second thread took the tail of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Identities,
    Credentials,
}

/// What the second thread read: the list elements from where it started to
/// the end of the list, and the top-level fields after it.
struct Tail {
    identities: Vec<Identity>,
    credentials: Vec<Credential>,
    fields: Fields,
}

struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

/// How a list ended.
enum Ended {
    /// At its `]`.
    Closed,
    /// At `stop`, the start of an element after a comma.
    Stopped,
}

impl<'t> Cursor<'t> {
    /// Skips JSON whitespace and returns the next byte.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&c) = bytes.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.pos += 1)
    }

    /// A key and its colon; keys with escapes are left to the careful parse.
    fn key(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let rest = &self.text.as_bytes()[self.pos..];
        let len = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        let key = self.text.get(self.pos..self.pos + len)?;
        self.pos += len + 1;
        self.eat(b':')?;
        Some(key)
    }

    /// One JSON value, read by serde_json as `T`.
    fn value<T: Deserialize<'t>>(&mut self) -> Option<T> {
        self.peek()?;
        let mut values =
            serde_json::Deserializer::from_str(self.text.get(self.pos..)?).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.pos += values.byte_offset();
        Some(value)
    }

    /// The elements of a list into `into`, from just after its `[` (or from
    /// just after a comma, with `after_comma`), up to its `]`, or up to `stop`
    /// if an element after a comma starts there.
    fn elements<T: Deserialize<'t>>(
        &mut self,
        into: &mut Vec<T>,
        after_comma: bool,
        stop: usize,
        cancel: Option<&AtomicBool>,
    ) -> Option<Ended> {
        let started = self.pos;
        if !after_comma && self.peek()? == b']' {
            self.pos += 1;
            return Some(Ended::Closed);
        }
        loop {
            into.push(self.value()?);
            if into.len().is_multiple_of(4096) {
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                if into.len() == 4096 {
                    reserve_for_rest(into, self.pos - started, self.text.len() - self.pos);
                }
            }
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    if self.peek()? == b'{' && self.pos == stop {
                        return Some(Ended::Stopped);
                    }
                }
                b']' => {
                    self.pos += 1;
                    return Some(Ended::Closed);
                }
                _ => return None,
            }
        }
    }

    /// A whole list, from its `[`.
    fn list<T: Deserialize<'t>>(&mut self) -> Option<Vec<T>> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        self.elements(&mut items, false, usize::MAX, None)?;
        Some(items)
    }

    /// One top-level `key: value` into `fields`. Lists other than the
    /// identities and credentials are read whole here.
    fn field(&mut self, key: &str, fields: &mut Fields) -> Option<()> {
        match key {
            "schema_version" => once(&mut fields.schema_version, self.value()?),
            "kind" => once(&mut fields.kind, self.value()?),
            "collected_at" => once(&mut fields.collected_at, self.value()?),
            "generator" => once(&mut fields.generator, self.value()?),
            "sources" => once(&mut fields.sources, self.value()?),
            "trusts" => once(&mut fields.trusts, self.value()?),
            "privileges" => once(&mut fields.privileges, self.value()?),
            "users" => once(&mut fields.users, self.value()?),
            _ => None,
        }
    }

    /// After a top-level value: `,` and the next key, or the end of the
    /// object and of the text.
    fn next_key(&mut self) -> Option<Option<&'t str>> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(Some(self.key()?))
            }
            b'}' => {
                self.pos += 1;
                // Only whitespace may follow the document.
                match self.peek() {
                    None => Some(None),
                    Some(_) => None,
                }
            }
            _ => None,
        }
    }
}

/// Once the first elements show their average size, reserves room for as
/// many as the rest of the text could hold, so that a list of a million is
/// not copied each time it outgrows its allocation. Room never written to is
/// never touched, so it costs address space, not memory.
fn reserve_for_rest<T>(into: &mut Vec<T>, bytes_so_far: usize, bytes_left: usize) {
    let average = (bytes_so_far / into.len().max(1)).max(1);
    let _ = into.try_reserve(bytes_left / average + 16);
}

/// Parses `text` if it is a well-formed snapshot; `None` when anything is
/// unusual (see the module documentation).
pub(super) fn parse(text: &str) -> Option<Snapshot> {
    let guess = if text.len() >= SPLIT_FROM {
        guess_split(text)
    } else {
        None
    };
    let Some((start, list)) = guess else {
        return parse_from_start(text, None);
    };
    let cancel = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let tail = scope.spawn(|| parse_tail(text, start, list, &cancel));
        let parsed = parse_from_start(text, Some((start, list, tail)));
        // If the first thread never arrived where the second one started, the
        // second one's work is not needed: tell it to stop early. (When it
        // did arrive, the tail has been joined already.)
        cancel.store(true, Ordering::Relaxed);
        parsed
    })
}

/// A place just past the middle of the text that looks like the start of an
/// element after a comma, and the list whose element parses there.
fn guess_split(text: &str) -> Option<(usize, List)> {
    let bytes = text.as_bytes();
    let from = text.len() / 2;
    let to = (from + SEARCH_WINDOW).min(bytes.len());
    let start = (from..to).find(|&p| {
        bytes[p] == b'{'
            && bytes[..p]
                .iter()
                .rev()
                .find(|c| !matches!(c, b' ' | b'\n' | b'\t' | b'\r'))
                == Some(&b',')
    })?;
    let mut probe = Cursor { text, pos: start };
    if probe.value::<Credential>().is_some() {
        return Some((start, List::Credentials));
    }
    let mut probe = Cursor { text, pos: start };
    probe.value::<Identity>().map(|_| (start, List::Identities))
}

/// The second thread: from `start`, the rest of `list` and every top-level
/// field after it, to the end of the text.
fn parse_tail(text: &str, start: usize, list: List, cancel: &AtomicBool) -> Option<Tail> {
    let mut cur = Cursor { text, pos: start };
    let mut tail = Tail {
        identities: Vec::new(),
        credentials: Vec::new(),
        fields: Fields::default(),
    };
    match list {
        List::Identities => cur.elements(&mut tail.identities, true, usize::MAX, Some(cancel))?,
        List::Credentials => cur.elements(&mut tail.credentials, true, usize::MAX, Some(cancel))?,
    };
    while let Some(key) = cur.next_key()? {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        match key {
            // Both big lists are read whole here if they come after the split.
            "identities" => once(&mut tail.fields.identities, cur.list()?)?,
            "credentials" => once(&mut tail.fields.credentials, cur.list()?)?,
            other => cur.field(other, &mut tail.fields)?,
        }
    }
    Some(tail)
}

/// The first thread: the whole document from the start, unless it arrives
/// at `split`, where the second thread took over; then that thread's tail
/// completes the document.
fn parse_from_start(
    text: &str,
    split: Option<(usize, List, std::thread::ScopedJoinHandle<'_, Option<Tail>>)>,
) -> Option<Snapshot> {
    let mut split = split;
    let mut cur = Cursor { text, pos: 0 };
    let mut fields = Fields::default();
    cur.eat(b'{')?;
    if cur.peek()? == b'}' {
        // `{}` lacks the required fields.
        return None;
    }
    let mut key = Some(cur.key()?);
    while let Some(k) = key {
        let list = match k {
            "identities" => List::Identities,
            "credentials" => List::Credentials,
            other => {
                cur.field(other, &mut fields)?;
                key = cur.next_key()?;
                continue;
            }
        };
        let stop = match &split {
            Some((at, l, _)) if *l == list => *at,
            _ => usize::MAX,
        };
        cur.eat(b'[')?;
        let mut identities = Vec::new();
        let mut credentials = Vec::new();
        let ended = match list {
            List::Identities => cur.elements(&mut identities, false, stop, None)?,
            List::Credentials => cur.elements(&mut credentials, false, stop, None)?,
        };
        if let Ended::Stopped = ended {
            // Arrived where the second thread started, inside the same list:
            // its tail carries on from here to the end of the document.
            let (_, _, handle) = split.take()?;
            let tail = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            identities.extend(tail.identities);
            credentials.extend(tail.credentials);
            match list {
                List::Identities => once(&mut fields.identities, identities)?,
                List::Credentials => once(&mut fields.credentials, credentials)?,
            }
            fields.merge(tail.fields)?;
            return fields.into_snapshot();
        }
        match list {
            List::Identities => once(&mut fields.identities, identities)?,
            List::Credentials => once(&mut fields.credentials, credentials)?,
        }
        key = cur.next_key()?;
    }
    fields.into_snapshot()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot of `n` identities with two credentials each; the
    /// credentials' hints contain text that looks like an element boundary.
    fn snapshot_text(n: usize, hint: &str) -> String {
        let mut s = String::from(
            "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n\"sources\": [{\"name\": \"aws\", \"provider\": \"aws\"}],\n\"identities\": [\n",
        );
        for i in 0..n {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&format!(
                "{{\"source\": \"aws\", \"provider\": \"aws\", \"id\": \"u{i}\", \"name\": \"u{i}\", \"kind\": \"user\", \"tags\": {{\"t\": \"{i}\"}}}}"
            ));
        }
        s.push_str("],\n\"credentials\": [\n");
        for i in 0..2 * n {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&format!(
                "{{\"source\": \"aws\", \"provider\": \"aws\", \"id\": \"k{i}\", \"identity\": \"u{}\", \"kind\": \"access_key\", \"hint\": \"{hint}\", \"state\": \"active\", \"long_lived\": true}}",
                i / 2
            ));
        }
        s.push_str("],\n\"trusts\": [], \"users\": [{\"source\": \"aws\", \"provider\": \"aws\", \"id\": \"x\", \"active\": true}]\n}\n");
        s
    }

    fn as_json(s: &Snapshot) -> String {
        serde_json::to_string(s).expect("serializes")
    }

    #[test]
    fn agrees_with_the_careful_parse_on_both_paths() {
        for (n, hint) in [(3, "h"), (6000, "h"), (6000, ", {\\\"a\\\": 1}")] {
            let text = snapshot_text(n, hint);
            let fast = parse(&text).expect("fast path");
            let careful = super::super::parse_parallel(&text).expect("parses");
            assert_eq!(fast.credentials.len(), 2 * n);
            assert_eq!(as_json(&fast), as_json(&careful), "n = {n}");
        }
    }

    #[test]
    fn splits_large_files_inside_the_credentials() {
        let text = snapshot_text(6000, "h");
        assert!(text.len() >= SPLIT_FROM);
        let (at, list) = guess_split(&text).expect("a boundary");
        assert!(list == List::Credentials);
        assert!(text[at..].starts_with("{\"source\""));
    }

    #[test]
    fn gives_up_on_anything_unusual() {
        let base = "{\"schema_version\": 1, \"kind\": \"agentid.estate\"";
        assert!(parse(&format!("{base}}}")).is_some());
        for bad in [
            format!("{base}, \"kind\": \"agentid.estate\"}}"),
            format!("{base}, \"colour\": 1}}"),
            format!("{base}, \"us\\u0065rs\": []}}"),
            format!("{base}}} x"),
            format!("{base}, \"credentials\": [],}}"),
            format!("{base}, \"credentials\": [1]}}"),
            format!("{base}, \"identities\": [], \"identities\": []}}"),
            "{\"kind\": \"agentid.estate\"}".to_string(),
            "{}".to_string(),
            "[]".to_string(),
        ] {
            assert!(parse(&bad).is_none(), "{bad}");
        }
    }
}
