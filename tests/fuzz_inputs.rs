//! The fuzz targets' bodies (fuzz/harness.rs, the same file cargo-fuzz
//! builds) run in the normal test suite, on stable Rust, over every input
//! that ever mattered: each past crasher under
//! tests/fixtures/fuzz-crashers/<target>/ through its own target, and every
//! malformed fixture, token, key, registry, snapshot and rules file through
//! every target. A crash fixed once stays fixed.

#[path = "../fuzz/harness.rs"]
mod harness;

mod common;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn replay(target: &str, run: fn(&[u8]), path: &Path) {
    let data = std::fs::read(path).expect("read input");
    let outcome = std::panic::catch_unwind(|| run(&data));
    assert!(
        outcome.is_ok(),
        "fuzz target {target} fails on {} (see the panic above)",
        path.display()
    );
}

/// Each crasher through the target that found it. The directory name is the
/// target; a directory naming no target is a mistake.
#[test]
fn past_crashers_stay_fixed() {
    let root = common::repo().join("tests/fixtures/fuzz-crashers");
    let mut n = 0;
    for path in files(&root) {
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let target = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .expect("crashers live in a directory named after their target");
        let (_, run) = harness::TARGETS
            .iter()
            .find(|(name, _)| *name == target)
            .unwrap_or_else(|| panic!("{}: no fuzz target {target}", path.display()));
        replay(target, *run, &path);
        n += 1;
    }
    eprintln!("{n} crashers replayed");
}

/// Every seed source through every target: the seeds themselves must not
/// crash, whatever kind of input they are fed as.
#[test]
fn every_fixture_through_every_target() {
    let repo = common::repo();
    let mut inputs = Vec::new();
    for dir in [
        "tests/fixtures/malformed",
        "tests/fixtures/tokens",
        "tests/fixtures/keys",
        "tests/fixtures/verify",
        "examples",
    ] {
        inputs.extend(
            files(&repo.join(dir))
                .into_iter()
                .filter(|p| p.extension().is_none_or(|e| e != "md" && e != "sh")),
        );
    }
    inputs.push(repo.join("src/scan/catalogue.yaml"));
    assert!(inputs.len() >= 60, "only {} inputs", inputs.len());
    for path in &inputs {
        for (target, run) in harness::TARGETS {
            replay(target, *run, path);
        }
    }
}

/// A small, coverage-blind mutation fuzzer over the same target bodies, for
/// machines without nightly Rust or without the time to build cargo-fuzz's
/// instrumented targets (docs/development.md#fuzzing). Ignored by default:
///
/// ```sh
/// FUZZ_TARGET=scan_engine FUZZ_SECONDS=120 cargo test --test fuzz_inputs -- --ignored --nocapture
/// ```
///
/// Seeds are the same fixtures as `every_fixture_through_every_target`;
/// each run mutates one (bit flips, byte runs, inserts, deletes, splices of
/// two seeds, interesting bytes) and a failing input is written to
/// `target/fuzz-crashes/<target>/` before the test fails.
#[test]
#[ignore = "a fuzzing run, not a test: FUZZ_TARGET and FUZZ_SECONDS"]
fn mutate() {
    let target = std::env::var("FUZZ_TARGET").unwrap_or_else(|_| "scan_engine".into());
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (_, run) = *harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let repo = common::repo();
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for dir in [
        "tests/fixtures/malformed",
        "tests/fixtures/fuzz-crashers",
        "tests/fixtures/tokens",
        "tests/fixtures/keys",
        "tests/fixtures/verify",
        "examples",
    ] {
        for p in files(&repo.join(dir)) {
            if let Ok(b) = std::fs::read(&p) {
                seeds.push(b);
            }
        }
    }
    seeds.push(std::fs::read(repo.join("src/scan/catalogue.yaml")).expect("catalogue"));
    // xorshift64*: reproducible with FUZZ_SEED.
    let mut state: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    const INTERESTING: &[&[u8]] = &[
        b"\0",
        b"\xff",
        b"\n",
        b"\"",
        b".",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b"-",
        b"=",
        b"\\u0000",
        b"1e999",
        b"-1",
        b"18446744073709551616",
        b"null",
        b"&a",
        b"*a",
        b"!!binary",
        b"---",
        b"\t",
        b"\xf0\x9f\x98\x80",
        b"AKIA",
        b"ghp_",
        b"sk-ant-",
        b"eyJ",
        b"-----BEGIN",
        b"(?P<secret>",
        b".*",
        b"{9999}",
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut execs: u64 = 0;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while std::time::Instant::now() < deadline {
        for _ in 0..64 {
            let mut data = seeds[(next() % seeds.len() as u64) as usize].clone();
            for _ in 0..1 + next() % 8 {
                let len = data.len() as u64;
                let at = if len == 0 { 0 } else { (next() % len) as usize };
                match next() % 7 {
                    0 if !data.is_empty() => data[at] ^= 1 << (next() % 8),
                    1 if !data.is_empty() => data[at] = next() as u8,
                    2 => {
                        let piece = INTERESTING[(next() % INTERESTING.len() as u64) as usize];
                        data.splice(at..at, piece.iter().copied());
                    }
                    3 if !data.is_empty() => {
                        let end = (at + 1 + (next() % 16) as usize).min(data.len());
                        data.drain(at..end);
                    }
                    4 => {
                        let other = &seeds[(next() % seeds.len() as u64) as usize];
                        if !other.is_empty() {
                            let from = (next() % other.len() as u64) as usize;
                            let to = (from + (next() % 256) as usize).min(other.len());
                            data.splice(at..at, other[from..to].iter().copied());
                        }
                    }
                    5 if !data.is_empty() => {
                        let b = data[at];
                        let n = (next() % 64) as usize;
                        data.splice(at..at, std::iter::repeat_n(b, n));
                    }
                    _ => data.truncate(at),
                }
            }
            execs += 1;
            if std::panic::catch_unwind(|| run(&data)).is_err() {
                std::panic::set_hook(hook);
                let dir = repo.join("target/fuzz-crashes").join(&target);
                std::fs::create_dir_all(&dir).expect("mkdir");
                let path = dir.join(format!("crash-{execs}"));
                std::fs::write(&path, &data).expect("write crasher");
                // Run again with the hook back, to show the panic.
                run(&data);
                panic!(
                    "{target}: crash after {execs} runs, input in {}",
                    path.display()
                );
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "{target}: {execs} runs in {seconds} s ({} per second), no crash",
        execs / seconds.max(1)
    );
}
