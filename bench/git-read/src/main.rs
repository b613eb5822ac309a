//! Reads every blob of a history once, with its introducing commit and path,
//! two ways:
//!
//! * `gix REPO [THREADS]`: agentid's reader (`src/scan/git.rs`, compiled in).
//! * `gix-walk REPO [THREADS]`: the same with every blob over the size limit:
//!   the cost of enumerating and attributing (commits, trees, blob headers).
//! * `catfile REPO [THREADS]`: the git binary. `git log --all --reverse
//!   --topo-order --raw -c --root --no-renames -z` gives each blob's first
//!   commit and path; THREADS `git cat-file --batch --buffer` processes read
//!   the blobs.
//!
//! Both NUL-sniff each blob and do the same token work per blob (a sum over
//! every 64th byte, standing in for the scan engine), and print the same
//! counts and checksum. `DUMP=1` prints `blob commit path` lines instead, to
//! compare attributions (`sort` both).

#[path = "../../../src/scan/git.rs"]
#[allow(dead_code)]
mod git;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn work(data: &[u8]) -> u64 {
    data.iter().step_by(64).map(|&b| u64::from(b)).sum()
}

fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8192)].contains(&0)
}

struct Totals {
    blobs: AtomicU64,
    bytes: AtomicU64,
    binary: AtomicU64,
    checksum: AtomicU64,
    dump: Option<Mutex<Vec<String>>>,
}

impl Totals {
    fn new() -> Self {
        Totals {
            blobs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            binary: AtomicU64::new(0),
            checksum: AtomicU64::new(0),
            dump: std::env::var_os("DUMP").map(|_| Mutex::new(Vec::new())),
        }
    }

    fn blob(&self, blob: &str, commit: &str, path: &str, author: &str, data: &[u8]) {
        self.blobs.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let sum = work(data) + (path.len() + author.len()) as u64;
        self.checksum.fetch_add(sum, Ordering::Relaxed);
        if let Some(Ok(mut d)) = self.dump.as_ref().map(Mutex::lock) {
            d.push(format!("{blob} {commit} {path}"));
        }
    }

    fn report(&self, how: &str, started: Instant) {
        if let Some(d) = &self.dump {
            if let Ok(d) = d.lock() {
                let mut out = std::io::stdout().lock();
                for line in d.iter() {
                    if writeln!(out, "{line}").is_err() {
                        break; // e.g. `| head`
                    }
                }
            }
            return;
        }
        eprintln!(
            "{how}: blobs {} bytes {} binary {} checksum {} in {:.3} s",
            self.blobs.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.binary.load(Ordering::Relaxed),
            self.checksum.load(Ordering::Relaxed),
            started.elapsed().as_secs_f64()
        );
    }
}

fn with_gix(repo: &Path, threads: usize, walk_only: bool) -> Res<()> {
    let started = Instant::now();
    let totals = Totals::new();
    let opts = git::HistoryOptions {
        threads,
        // Every blob "oversized": commits, trees and blob headers only.
        max_blob_size: if walk_only { 0 } else { u64::MAX },
        ..git::HistoryOptions::default()
    };
    let stats = git::scan_history(repo, &opts, |o, data| {
        totals.blob(&o.blob, &o.commit, &o.path, &o.author, data);
    })?;
    totals.binary.store(stats.skipped_binary, Ordering::Relaxed);
    totals.report("gix", started);
    Ok(())
}

struct Origin {
    commit: String,
    author: String,
}

/// A blob to read: its id, the index of its commit, its path.
type Item = (String, usize, String);

/// `git log --raw` for attribution: an [`Item`] for each new blob id.
fn log_attribution(repo: &Path) -> Res<(Vec<Origin>, Vec<Item>)> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "log",
            "--all",
            "--reverse",
            "--topo-order",
            "--raw",
            "-c",
            "--root",
            "--no-abbrev",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "-z",
            "--format=%x01%H%x00%an <%ae>%x00",
        ])
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    let mut commits: Vec<Origin> = Vec::new();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut items = Vec::new();
    let mut fields = out.stdout.split(|&b| b == 0);
    while let Some(f) = fields.next() {
        let f = f.strip_prefix(b"\n").unwrap_or(f);
        if let Some(hash) = f.strip_prefix(b"\x01") {
            let author = fields.next().ok_or("truncated log")?;
            commits.push(Origin {
                commit: String::from_utf8_lossy(hash).into_owned(),
                author: String::from_utf8_lossy(author).into_owned(),
            });
        } else if f.starts_with(b":") {
            // ":m m sha sha S" (one parent) or "::m m m sha sha sha MM" (merge, -c)
            let parents = f.iter().take_while(|&&b| b == b':').count();
            let parts: Vec<&[u8]> = f[parents..].split(|&b| b == b' ').collect();
            let mode = parts.get(parents).ok_or("bad raw line")?;
            let sha = parts.get(2 * parents + 1).ok_or("bad raw line")?;
            let path = fields.next().ok_or("truncated log")?;
            if *mode == b"160000" || *mode == b"000000" {
                continue; // submodule, or deleted
            }
            if seen.insert(sha.to_vec()) {
                items.push((
                    String::from_utf8_lossy(sha).into_owned(),
                    commits
                        .len()
                        .checked_sub(1)
                        .ok_or("raw line before a commit")?,
                    String::from_utf8_lossy(path).into_owned(),
                ));
            }
        } else if !f.is_empty() {
            return Err(format!("unexpected log field {:?}", String::from_utf8_lossy(f)).into());
        }
    }
    Ok((commits, items))
}

fn with_cat_file(repo: &Path, threads: usize) -> Res<()> {
    let started = Instant::now();
    let totals = Totals::new();
    let (commits, items) = log_attribution(repo)?;
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| -> Res<()> {
        let mut handles = Vec::new();
        for part in items.chunks(chunk) {
            let (totals, commits) = (&totals, &commits);
            handles.push(s.spawn(move || -> Res<()> {
                let mut cat = Command::new("git")
                    .arg("-C")
                    .arg(repo)
                    .args(["cat-file", "--batch", "--buffer"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()?;
                let mut stdin = cat.stdin.take().ok_or("no stdin")?;
                let stdout = cat.stdout.take().ok_or("no stdout")?;
                std::thread::scope(|s2| -> Res<()> {
                    let writer = s2.spawn(move || -> std::io::Result<()> {
                        let mut w = std::io::BufWriter::new(&mut stdin);
                        for (sha, _, _) in part {
                            w.write_all(sha.as_bytes())?;
                            w.write_all(b"\n")?;
                        }
                        w.flush()
                    });
                    let mut r = BufReader::with_capacity(1 << 16, stdout);
                    let mut line = Vec::new();
                    let mut data = Vec::new();
                    for (sha, commit, path) in part {
                        line.clear();
                        r.read_until(b'\n', &mut line)?;
                        let header = String::from_utf8_lossy(&line);
                        let size: usize = header
                            .trim_end()
                            .rsplit(' ')
                            .next()
                            .and_then(|n| n.parse().ok())
                            .ok_or_else(|| format!("bad cat-file header {header:?}"))?;
                        data.resize(size + 1, 0);
                        r.read_exact(&mut data)?;
                        let blob = &data[..size];
                        if is_binary(blob) {
                            totals.binary.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        let c = &commits[*commit];
                        totals.blob(sha, &c.commit, path, &c.author, blob);
                    }
                    writer.join().map_err(|_| "writer panicked")??;
                    Ok(())
                })?;
                cat.wait()?;
                Ok(())
            }));
        }
        for h in handles {
            h.join().map_err(|_| "reader panicked")??;
        }
        Ok(())
    })?;
    totals.report("cat-file", started);
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(how), Some(repo)) = (args.get(1), args.get(2)) else {
        return Err("usage: git-read-bench gix|gix-walk|catfile REPO [THREADS]".into());
    };
    let threads = match args.get(3) {
        Some(n) => n.parse()?,
        None => 2,
    };
    match how.as_str() {
        "gix" => with_gix(Path::new(repo), threads, false),
        "gix-walk" => with_gix(Path::new(repo), threads, true),
        "catfile" => with_cat_file(Path::new(repo), threads),
        _ => Err(format!("unknown reader {how}").into()),
    }
}
