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
