//! `token verify --batch`: one JSON result line per token line, in input
//! order, verified on every core.
//!
//! The input is read by its own thread in blocks of whole lines while the
//! workers verify the blocks before them, so reading a large file overlaps
//! the signatures instead of preceding them: on the 100 k-token bench file
//! (131 MB), reading, UTF-8 checking and splitting it up front took ~90 ms of
//! a 1 s run on one core while the other waited.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read};
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

use crate::error::{ExitStatus, UsageError};
use crate::output::{self, Format};
use crate::token::claims;
use crate::token::input;
use crate::token::jwt;
use crate::token::keysource::{KeySourceError, KeySpec, Resolver, io_reason};
use crate::token::verifier::{self, KeyBook, Request, VerifyReport};

use super::super::Ctx;

/// Input bytes per unit of work: ~200 typical tokens, a few milliseconds of
/// signatures, so a core that other processes also use does not hold the
/// rest up.
const BLOCK: usize = 256 * 1024;

/// Bytes asked of the input per read.
const READ: usize = 64 * 1024;

/// Longest batch line: a token is at most 64 KiB, plus a `\r` and a space.
const MAX_LINE: usize = crate::token::input::MAX_TOKEN_BYTES + 2;

/// A block always ends at a newline: its bytes cannot all be one line.
const _: () = assert!(BLOCK > MAX_LINE + 1);

const TOO_LONG: &str = "over 64 KiB, larger than any real token";
const NOT_UTF8: &str = "not UTF-8 text";

/// `--batch`: one JSON line per token, in input order, verified on every
/// core with keys resolved once.
///
/// Keys are resolved in line order, once per distinct (issuer, kid, alg),
/// and all of them before anything is verified, so every token sees the
/// same key book, also after an unknown kid made a JWKS refetch. For that
/// the general path parses every line first (on every core), resolves, then
/// verifies. With `--key FILE` or `--jwks FILE` the book cannot change (a
/// file source is never refetched), so that path loads the file first and
/// then reads, parses and verifies in one stream, keeping no block longer
/// than it takes to verify it. Either way the workers serialize their
/// blocks, and this thread writes them in input order as they come in.
pub(super) fn run_batch(
    ctx: &Ctx,
    req: &Request,
    resolver: &mut Resolver,
    path: &Path,
) -> anyhow::Result<ExitStatus> {
    ctx.format("token verify --batch", Format::Json, &[Format::Json])?;
    let unreadable = |e: io::Error| {
        UsageError(format!(
            "cannot read batch file {}: {}",
            batch_name(path),
            io_reason(&e)
        ))
    };
    let blocks = BlockReader::new(open_batch(path).map_err(unreadable)?);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut book = KeyBook::new(resolver);
    let mut tally = Tally::default();

    let stopped = if let Some(spec @ (KeySpec::KeyFile(_) | KeySpec::JwksFile(_))) = &req.spec {
        // A key file does not depend on the tokens and is never refetched:
        // loaded once, up front, it serves every line of the stream.
        prepare_file_keys(&mut book, spec)?;
        write_results(ctx, threads, blocks, &mut tally, |block: Block| {
            let lines = block.lines().map(|(n, t)| (n, parse_line(t)));
            verify_lines(req, &book, lines, block.text.len())
        })?
    } else {
        // Each block's lines, parsed, and the block's size.
        let mut parsed: Vec<(Vec<(usize, Line)>, usize)> = Vec::new();
        let parse = |block: Block| {
            let lines = block.lines().map(|(n, t)| (n, parse_line(t))).collect();
            (lines, block.text.len())
        };
        match pipeline(blocks, threads, parse, |lines| {
            parsed.push(lines);
            Ok(())
        }) {
            Ok(()) => {}
            Err(Stopped::Read(e)) => return Err(unreadable(e).into()),
            Err(Stopped::Write(e)) => return Err(e.into()),
        }
        let tokens =
            parsed
                .iter()
                .flat_map(|(lines, _)| lines)
                .filter_map(|(_, line)| match line {
                    Line::Token(jws) => Some(&**jws),
                    Line::Bad(_) => None,
                });
        prepare_keys(req, &mut book, tokens)?;
        let feed = parsed.into_iter().map(Ok);
        write_results(ctx, threads, feed, &mut tally, |(lines, bytes)| {
            verify_lines(req, &book, lines.into_iter(), bytes)
        })?
    };
    if let Some(e) = stopped {
        return Err(unreadable(e).into());
    }

    let Tally {
        total,
        valid,
        unchecked,
    } = tally;
    let invalid = total - valid;
    if !ctx.quiet {
        eprintln!(
            "verified {} token{}: {valid} valid, {invalid} invalid{}",
            total,
            if total == 1 { "" } else { "s" },
            if unchecked > 0 {
                format!(" ({unchecked} could not be checked: keys unavailable)")
            } else {
                String::new()
            }
        );
    }
    Ok(if unchecked > 0 && unchecked == total {
        ExitStatus::Failure
    } else if invalid > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    })
}

/// Counts over the whole batch.
#[derive(Default)]
struct Tally {
    total: usize,
    valid: usize,
    /// Results with a failed `keys` check: the keys were unavailable.
    unchecked: usize,
}

/// One verified unit of work: its JSON lines and counts.
struct Done {
    json: Vec<u8>,
    tally: Tally,
}

/// Verifies `feed` on `threads` threads and writes the results in order to
/// the output. Returns the read error that cut the input short, if one did:
/// then the output is abandoned (an `-o` file is not created) and the
/// caller reports the error.
fn write_results<T: Send>(
    ctx: &Ctx,
    threads: usize,
    feed: impl Iterator<Item = io::Result<T>> + Send,
    tally: &mut Tally,
    verify: impl Fn(T) -> Done + Sync,
) -> anyhow::Result<Option<io::Error>> {
    let mut read_error = None;
    let written = output::write_to(&ctx.destination, |out| {
        let sink = |done: Done| {
            tally.total += done.tally.total;
            tally.valid += done.tally.valid;
            tally.unchecked += done.tally.unchecked;
            // Flushed per block: results reach a pipe as soon as they are
            // known (a block is ~250 kB, or less from a live pipe).
            out.write_all(&done.json).and_then(|()| out.flush())
        };
        match pipeline(feed, threads, verify, sink) {
            Ok(()) => Ok(()),
            Err(Stopped::Write(e)) => Err(e),
            Err(Stopped::Read(e)) => {
                read_error = Some(e);
                // Abandons the output; the caller reports the read error.
                Err(io::Error::other("batch input cut short"))
            }
        }
    });
    match (written, read_error) {
        (_, Some(e)) => Ok(Some(e)),
        (Ok(()), None) => Ok(None),
        (Err(e), None) => Err(e.into()),
    }
}

/// Verifies `lines`; `input_bytes`, their size, sizes the output (a result
/// line is ~1.2 kB for a token of ~1.3 kB).
fn verify_lines(
    req: &Request,
    book: &KeyBook,
    lines: impl Iterator<Item = (usize, Line)>,
    input_bytes: usize,
) -> Done {
    let mut done = Done {
        json: Vec::with_capacity(input_bytes),
        tally: Tally::default(),
    };
    for (n, line) in lines {
        let report = batch_result(req, book, n, &line);
        done.tally.total += 1;
        done.tally.valid += usize::from(report.valid);
        done.tally.unchecked += usize::from(report.checks.iter().any(|c| c.name == "keys"));
        output::jsonl::verify_result(&mut done.json, &report);
    }
    done
}

fn batch_result(req: &Request, book: &KeyBook, n: usize, line: &Line) -> VerifyReport {
    match line {
        Line::Token(jws) => {
            let mut report = verifier::verify_prepared(req, book, jws, &format!("line {n}"));
            report.line = Some(n);
            report
        }
        Line::Bad(why) => verifier::malformed(req, n, why),
    }
}

/// Loads `--key FILE` / `--jwks FILE`. A file that cannot be used is bad
/// input (exit 2), whether or not the batch holds a token.
fn prepare_file_keys(book: &mut KeyBook, spec: &KeySpec) -> anyhow::Result<()> {
    match crate::http::block_on(book.prepare(spec, None, ""))? {
        Ok(()) => Ok(()),
        Err(KeySourceError::BadInput(m)) => Err(UsageError(m).into()),
        // Kept in the book: every token reports it.
        Err(e) => {
            tracing::warn!(error = %e, "cannot load keys");
            Ok(())
        }
    }
}

/// Resolves the keys of `tokens`, in order: each distinct source once;
/// unknown kids refetch once per source. The source depends only on the
/// flags and `iss`, so a `prepare` for an (iss, kid, alg) that already
/// succeeded would change nothing and is skipped; one that failed is tried
/// again for the next token that needs it.
fn prepare_keys<'j>(
    req: &Request,
    book: &mut KeyBook,
    tokens: impl IntoIterator<Item = &'j jwt::Jws>,
) -> anyhow::Result<()> {
    crate::http::block_on(async {
        let mut done: HashSet<(&str, Option<&str>, &str)> = HashSet::new();
        for jws in tokens {
            let need = (
                claims::string_claim(&jws.claims, "iss")
                    .ok()
                    .flatten()
                    .unwrap_or(""),
                jws.header.kid.as_deref(),
                jws.header.alg.as_str(),
            );
            if done.contains(&need) {
                continue;
            }
            let Some(spec) = verifier::needed_spec(req, jws) else {
                continue;
            };
            match book
                .prepare(&spec, jws.header.kid.as_deref(), &jws.header.alg)
                .await
            {
                Ok(()) => {
                    done.insert(need);
                }
                Err(KeySourceError::BadInput(m)) => return Err(UsageError(m)),
                // Kept in the book: every token of that source reports it.
                Err(e) => tracing::warn!(error = %e, "cannot fetch keys"),
            }
        }
        Ok(())
    })??;
    Ok(())
}

/// One line of a batch: parsed, or why not.
enum Line {
    Token(Box<jwt::Jws>),
    Bad(String),
}

fn parse_line(text: Result<&str, &'static str>) -> Line {
    let token = match text {
        // As for a single token: trimmed, and a `Bearer` scheme in any case.
        Ok(text) => input::strip_bearer(text.trim()),
        Err(why) => return Line::Bad(why.to_string()),
    };
    match jwt::parse(token) {
        Ok(j) => Line::Token(Box::new(j)),
        Err(e) => Line::Bad(e.to_string()),
    }
}

// ---------------------------------------------------------------------------
// Reading

fn open_batch(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    if path == Path::new("-") {
        return Ok(Box::new(io::stdin()));
    }
    let file = std::fs::File::open(path)?;
    // Linux opens a directory for reading; say so now rather than at the
    // first read.
    if file.metadata()?.is_dir() {
        return Err(io::Error::other("it is a directory"));
    }
    Ok(Box::new(file))
}

fn batch_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// A run of whole lines of the input, the first numbered `first_line`.
struct Block {
    first_line: usize,
    text: Vec<u8>,
}

impl Block {
    /// The lines that are not blank, numbered from 1 over the whole input,
    /// each as text or why it cannot be a token. A line that is too long or
    /// not UTF-8 is a bad line like any other malformed one: one corrupt
    /// line in a day of gateway logs does not stop the audit.
    fn lines(&self) -> impl Iterator<Item = (usize, Result<&str, &'static str>)> + '_ {
        let text = self.text.strip_suffix(b"\n").unwrap_or(&self.text);
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len()));
        ends.enumerate().filter_map(move |(i, end)| {
            let line = &text[start..end];
            start = end + 1;
            let n = self.first_line + i;
            if line.len() > MAX_LINE {
                return Some((n, Err(TOO_LONG)));
            }
            match std::str::from_utf8(line) {
                Ok(s) if s.trim().is_empty() => None,
                Ok(s) => Some((n, Ok(s))),
                Err(_) => Some((n, Err(NOT_UTF8))),
            }
        })
    }
}

/// Cuts an input into [`Block`]s of whole lines, numbering them.
///
/// A line is kept only up to `MAX_LINE + 1` bytes, enough to report it as
/// too long; the rest of it is skipped as it is read, so a stray binary
/// file without newlines costs no more memory than a block.
struct BlockReader<R> {
    input: R,
    /// Read, not yet handed out: whole lines, then the start of the next.
    pending: Vec<u8>,
    /// Newlines in `pending`.
    newlines: usize,
    /// Where the partial line at the end of `pending` starts.
    partial: usize,
    /// The partial line is already too long: drop input up to its newline.
    skipping: bool,
    /// Number of the first line in `pending`.
    next_line: usize,
    eof: bool,
    failed: bool,
}

impl<R: Read> BlockReader<R> {
    fn new(input: R) -> Self {
        BlockReader {
            input,
            pending: Vec::with_capacity(BLOCK + 2 * READ),
            newlines: 0,
            partial: 0,
            skipping: false,
            next_line: 1,
            eof: false,
            failed: false,
        }
    }

    /// The next block: [`BLOCK`] bytes or more, or less when it is the last
    /// or the input has nothing more for now; `None` at the end of the input.
    fn next_block(&mut self) -> io::Result<Option<Block>> {
        while !self.eof && self.pending.len() < BLOCK {
            let asked = self.read_some()?;
            // A read that got less than it asked for means a pipe or a
            // terminal has nothing more for now (a regular file fills every
            // read up to its end): hand on the whole lines read so far
            // instead of waiting, so `tail -f log | agentid token verify
            // --batch -` answers each token as it comes.
            if asked < READ && self.partial > 0 {
                break;
            }
        }
        if self.pending.is_empty() {
            return Ok(None);
        }
        // Up to the last newline; at the end, everything. `partial` is past
        // the block's first line: the partial line is at most MAX_LINE + 1
        // bytes, and `pending` is longer.
        let cut = if self.eof {
            self.pending.len()
        } else {
            self.partial
        };
        let mut rest = Vec::with_capacity(BLOCK + 2 * READ);
        rest.extend_from_slice(&self.pending[cut..]);
        let mut text = std::mem::replace(&mut self.pending, rest);
        text.truncate(cut);
        let block = Block {
            first_line: self.next_line,
            text,
        };
        self.next_line += self.newlines;
        self.newlines = 0;
        self.partial = 0;
        Ok(Some(block))
    }

    /// Reads once (up to [`READ`] bytes); returns how many bytes came.
    fn read_some(&mut self) -> io::Result<usize> {
        let start = self.pending.len();
        self.pending.resize(start + READ, 0);
        let n = loop {
            match self.input.read(&mut self.pending[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(e);
                }
            }
        };
        self.pending.truncate(start + n);
        if n == 0 {
            self.eof = true;
            return Ok(0);
        }
        if self.skipping {
            match memchr::memchr(b'\n', &self.pending[start..]) {
                None => {
                    self.pending.truncate(start);
                    return Ok(n);
                }
                Some(p) => {
                    self.pending.drain(start..start + p);
                    self.skipping = false;
                }
            }
        }
        let from = self.partial;
        let mut longest = 0;
        for p in memchr::memchr_iter(b'\n', &self.pending[start..]) {
            let newline = start + p;
            longest = longest.max(newline - self.partial);
            self.partial = newline + 1;
            self.newlines += 1;
        }
        if longest > MAX_LINE || self.pending.len() - self.partial > MAX_LINE {
            self.shorten_lines(from);
        }
        Ok(n)
    }

    /// Cuts every line from `from` on to MAX_LINE + 1 bytes; a partial last
    /// line that long makes the rest of it be skipped.
    fn shorten_lines(&mut self, from: usize) {
        let tail = self.pending.split_off(from);
        let mut lines = tail.split(|&b| b == b'\n').peekable();
        while let Some(line) = lines.next() {
            self.pending
                .extend_from_slice(&line[..line.len().min(MAX_LINE + 1)]);
            if lines.peek().is_some() {
                self.pending.push(b'\n');
            } else {
                self.skipping = line.len() > MAX_LINE;
            }
        }
        self.partial = memchr::memrchr(b'\n', &self.pending[from..]).map_or(from, |p| from + p + 1);
    }
}

impl<R: Read> Iterator for BlockReader<R> {
    type Item = io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_block().transpose();
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

// ---------------------------------------------------------------------------
// Running on every core

/// Why a [`pipeline`] stopped before the end of its feed.
enum Stopped {
    Read(io::Error),
    Write(io::Error),
}

/// Runs `work` on each item of `feed` on `threads` threads while `feed`
/// itself runs on one more (it reads the input), and hands the results to
/// `sink` on this thread in feed order. At most a few items per thread are
/// in flight, so memory stays bounded by the block size, not the input.
fn pipeline<T: Send, R: Send>(
    feed: impl Iterator<Item = io::Result<T>> + Send,
    threads: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> io::Result<()>,
) -> Result<(), Stopped> {
    let (work_tx, work_rx) = sync_channel::<(usize, T)>(2 * threads);
    // Taken and dropped by a worker when the sink has failed, which makes
    // the feed's next send fail and so stops the reading.
    let work_rx = Mutex::new(Some(work_rx));
    let (done_tx, done_rx) = sync_channel::<(usize, R)>(2 * threads);
    let read_error = Mutex::new(None);
    let written = std::thread::scope(|scope| {
        // Owned here, so that an early return drops it before the scope
        // waits for the workers: their next send fails and they stop.
        let done_rx = done_rx;
        let read_error = &read_error;
        scope.spawn(move || {
            for (index, item) in feed.enumerate() {
                match item {
                    Ok(item) => {
                        if work_tx.send((index, item)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        *read_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                        break;
                    }
                }
            }
        });
        for _ in 0..threads {
            let (done_tx, work_rx, work) = (done_tx.clone(), &work_rx, &work);
            scope.spawn(move || {
                loop {
                    let next = match &*work_rx.lock().unwrap_or_else(|p| p.into_inner()) {
                        Some(rx) => rx.recv().ok(),
                        None => None,
                    };
                    let Some((index, item)) = next else { break };
                    if done_tx.send((index, work(item))).is_err() {
                        work_rx.lock().unwrap_or_else(|p| p.into_inner()).take();
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut want = 0;
        for (index, result) in &done_rx {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&want) {
                sink(result)?;
                want += 1;
            }
        }
        Ok(())
    });
    written.map_err(Stopped::Write)?;
    match read_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(Stopped::Read(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `input` with a reader that gets at most `chunk` bytes per
    /// read, as a pipe does.
    fn blocks(input: &[u8], chunk: usize) -> Vec<(usize, String)> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.1).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        for block in BlockReader::new(Trickle(input, chunk)) {
            let block = block.expect("reads");
            for (n, line) in block.lines() {
                out.push((
                    n,
                    match line {
                        Ok(s) => s.to_string(),
                        Err(why) => format!("<{why}>"),
                    },
                ));
            }
        }
        out
    }

    /// What [`blocks`] must give: the plain reading of the whole input.
    fn expected(input: &[u8]) -> Vec<(usize, String)> {
        let input = input.strip_suffix(b"\n").unwrap_or(input);
        input
            .split(|&b| b == b'\n')
            .enumerate()
            .filter_map(|(i, line)| {
                let text = if line.len() > MAX_LINE {
                    format!("<{TOO_LONG}>")
                } else {
                    match std::str::from_utf8(line) {
                        Ok(s) if s.trim().is_empty() => return None,
                        Ok(s) => s.to_string(),
                        Err(_) => format!("<{NOT_UTF8}>"),
                    }
                };
                Some((i + 1, text))
            })
            .collect()
    }

    #[test]
    fn blocks_number_every_line_as_a_whole_file_read_would() {
        let mut input = Vec::new();
        for i in 0..3000 {
            match i % 500 {
                7 => input.extend_from_slice(b"   \t"),
                11 => input.extend_from_slice(b"\xff\xfe not utf-8"),
                13 => input.extend(std::iter::repeat_n(b'a', MAX_LINE)),
                17 => input.extend(std::iter::repeat_n(b'b', MAX_LINE + 1)),
                19 => input.extend(std::iter::repeat_n(b'c', 3 * BLOCK + 5)),
                23 => input.extend(std::iter::repeat_n(b'd', MAX_LINE + READ)),
                _ => input.extend(format!("token-{i}-{}", "x".repeat(i % 1400)).bytes()),
            }
            input.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
        let want = expected(&input);
        assert_eq!(want.len(), 3000 - 6, "blank lines are skipped");
        for chunk in [1 << 20, READ, 4096, 1000, 7] {
            assert_eq!(blocks(&input, chunk), want, "reads of {chunk} bytes");
        }
        // Without a final newline, and ending inside a long line.
        input.extend_from_slice(b"last");
        assert_eq!(blocks(&input, READ), expected(&input));
        input.extend(std::iter::repeat_n(b'e', 2 * BLOCK));
        let got = blocks(&input, READ);
        assert_eq!(got, expected(&input));
        assert_eq!(
            got.last().map(|(_, t)| t.as_str()),
            Some("<over 64 KiB, larger than any real token>")
        );
    }

    #[test]
    fn blocks_hold_whole_lines_and_stay_bounded() {
        let line = format!("{}\n", "t".repeat(1299));
        let input = line.repeat(1000);
        let mut reader = BlockReader::new(input.as_bytes());
        let mut lines = 0;
        while let Some(block) = reader.next_block().expect("reads") {
            assert!(block.text.ends_with(b"\n"));
            assert!(
                block.text.len() < BLOCK + READ + MAX_LINE,
                "{}",
                block.text.len()
            );
            assert_eq!(block.first_line, lines + 1);
            lines += block.lines().count();
            // A file fills every read: only the last block is short (a
            // block ends at the newline before the BLOCK-th byte or after).
            assert!(
                block.text.len() + MAX_LINE > BLOCK || lines == 1000,
                "{lines}"
            );
        }
        assert_eq!(lines, 1000);
        // A file of one endless line never holds more than a block.
        let mut reader = BlockReader::new(io::repeat(b'x').take(64 << 20));
        let block = reader.next_block().expect("reads").expect("a block");
        assert_eq!(block.text.len(), MAX_LINE + 1);
        assert!(reader.pending.capacity() < 2 * BLOCK);
        assert!(reader.next_block().expect("reads").is_none());
    }

    /// A pipe that has nothing more for now: its whole lines go on at once.
    #[test]
    fn a_short_read_hands_on_the_lines_read_so_far() {
        struct Pipe(Vec<&'static [u8]>);
        impl Read for Pipe {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let chunk = self.0.remove(0);
                buf[..chunk.len()].copy_from_slice(chunk);
                Ok(chunk.len())
            }
        }
        let mut reader = BlockReader::new(Pipe(vec![b"one\ntwo\nthr", b"ee", b"\nfour", b"\n"]));
        let mut got = Vec::new();
        while let Some(block) = reader.next_block().expect("reads") {
            got.push((
                block.first_line,
                String::from_utf8(block.text).expect("text"),
            ));
        }
        assert_eq!(
            got,
            [
                (1, "one\ntwo\n".to_string()),
                (3, "three\n".to_string()),
                (4, "four\n".to_string())
            ]
        );
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(
            BlockReader::new(&b""[..])
                .next_block()
                .expect("reads")
                .is_none()
        );
        assert_eq!(blocks(b"\n\n  \n", 3), vec![]);
    }

    #[test]
    fn a_pipeline_keeps_feed_order_and_stops_on_either_side() {
        let feed = (0..10_000).map(Ok);
        let mut got = Vec::new();
        let run = pipeline(
            feed,
            3,
            |i: u32| i * 2,
            |r| {
                got.push(r);
                Ok(())
            },
        );
        assert!(run.is_ok());
        assert_eq!(got, (0..10_000).map(|i| i * 2).collect::<Vec<_>>());

        // A sink that fails stops the feed: the endless one below ends.
        let mut seen = 0;
        let run = pipeline(
            (0..).map(Ok),
            2,
            |i: u64| i,
            |_| {
                seen += 1;
                if seen == 100 {
                    Err(io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            },
        );
        assert!(matches!(run, Err(Stopped::Write(e)) if e.to_string() == "disk full"));

        // A feed that fails: what came before it is still delivered.
        let feed = (0..50).map(|i| {
            if i == 40 {
                Err(io::Error::other("EIO"))
            } else {
                Ok(i)
            }
        });
        let mut got = Vec::new();
        let run = pipeline(
            feed,
            2,
            |i: i32| i,
            |r| {
                got.push(r);
                Ok(())
            },
        );
        assert!(matches!(run, Err(Stopped::Read(e)) if e.to_string() == "EIO"));
        assert_eq!(got, (0..40).collect::<Vec<_>>());
    }
}
