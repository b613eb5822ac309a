//! CI integration stays true: `.pre-commit-hooks.yaml` declares a hook whose
//! entry runs and gates a commit, and every YAML block of docs/ci.md parses
//! and its `agentid` command lines are valid for this CLI.

mod common;

use clap::Parser;
use serde_yaml::Value;

use agentid::cli::Cli;
use common::gitrepo::Repo;
use common::{repo, run};

const SECRET_LINE: &str = "AWS_ACCESS_KEY_ID=AKIA2BMVXS5LQZ7RTP4K\n";

fn hooks() -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).expect("read hooks");
    let doc: Value = serde_yaml::from_str(&text).expect(".pre-commit-hooks.yaml is YAML");
    doc.as_sequence().expect("a list of hooks").clone()
}

/// Splits a command line the way a POSIX shell splits a simple command with
/// double quotes (enough for the documented examples).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

#[test]
fn the_pre_commit_hook_is_declared_as_the_framework_expects() {
    let hooks = hooks();
    let hook = hooks
        .iter()
        .find(|h| h["id"].as_str() == Some("agentid-scan-secrets"))
        .expect("hook agentid-scan-secrets");
    assert_eq!(
        hook["entry"].as_str(),
        Some("agentid scan-secrets --staged")
    );
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    assert!(hook["name"].as_str().is_some_and(|n| !n.is_empty()));
    // `language: rust` builds the hook with `cargo install --bins --path .`
    // at the repository root: a root package whose binary is `agentid`.
    assert_eq!(hook["language"].as_str(), Some("rust"));
    let cargo = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        cargo.starts_with("[package]\nname = \"agentid\"\n"),
        "{cargo}"
    );
    assert!(
        !cargo.contains("[[bin]]"),
        "the binary is named after the package"
    );
    assert!(repo().join("src/main.rs").is_file());
    // Stage names of pre-commit >= 3.2.
    if let Some(stages) = hook["stages"].as_sequence() {
        assert!(
            hook["minimum_pre_commit_version"]
                .as_str()
                .is_some_and(|v| v >= "3.2.0"),
            "new stage names need pre-commit 3.2.0"
        );
        for s in stages {
            assert!(
                ["pre-commit", "pre-push", "manual"].contains(&s.as_str().unwrap_or("")),
                "{s:?}"
            );
        }
    }
}

/// Runs the hook's entry (plus `args`) the way pre-commit does: in the top
/// level of the work tree, no file names.
fn run_entry(r: &Repo, args: &[&str]) -> (i32, String, String) {
    let entry = hooks()
        .iter()
        .find(|h| h["id"].as_str() == Some("agentid-scan-secrets"))
        .and_then(|h| h["entry"].as_str().map(str::to_string))
        .expect("entry");
    let w = words(&entry);
    assert_eq!(w[0], "agentid");
    let mut c = r.scratch.cmd();
    c.current_dir(&r.dir).args(&w[1..]).args(args);
    run(c)
}

#[test]
fn the_pre_commit_entry_stops_a_commit_with_a_staged_secret_and_passes_a_clean_one() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("init");

    r.write("notes.txt", "nothing secret\n");
    r.git(&["add", "notes.txt"]);
    let (code, out, err) = run_entry(&r, &[]);
    assert_eq!(code, 0, "{out}{err}");

    r.write("deploy.env", SECRET_LINE);
    r.git(&["add", "deploy.env"]);
    let (code, out, err) = run_entry(&r, &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("deploy.env:1:19"), "{out}");
    // `args:` in .pre-commit-config.yaml are appended to the entry.
    let (code, _, err) = run_entry(&r, &["--fail-on", "critical"]);
    assert_eq!(code, 0, "a high finding passes --fail-on critical: {err}");
}

/// The fenced ```yaml blocks of a Markdown file.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur: Option<String> = None;
    for line in markdown.lines() {
        match &mut cur {
            None if line.trim_start().starts_with("```yaml") => cur = Some(String::new()),
            Some(_) if line.trim_start().starts_with("```") => blocks.extend(cur.take()),
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    assert!(cur.is_none(), "an unclosed ```yaml block");
    blocks
}

/// Every string in a YAML document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(s) => s.iter().for_each(|x| strings(x, out)),
        Value::Mapping(m) => m.iter().for_each(|(k, x)| {
            strings(k, out);
            strings(x, out);
        }),
        Value::Tagged(t) => strings(&t.value, out),
        _ => {}
    }
}

/// The `agentid scan-secrets …` command lines in a script (shell line
/// continuations joined), with CI expressions replaced by sample values.
fn agentid_commands(script: &str) -> Vec<String> {
    let joined = script.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|l| {
            let at = l.find("agentid scan-secrets")?;
            let cmd = &l[at..];
            // Up to a shell operator that ends the command.
            let cmd = cmd.split(['|', ';', '&']).next().unwrap_or(cmd);
            Some(cmd.to_string())
        })
        .map(|c| {
            c.replace("${{ matrix.shard }}", "2")
                .replace("${{ github.base_ref }}", "main")
                .replace("$CI_MERGE_REQUEST_DIFF_BASE_SHA", "0123abc")
        })
        .collect()
}

#[test]
fn every_yaml_block_of_ci_md_parses_and_its_commands_are_valid() {
    let md = std::fs::read_to_string(repo().join("docs/ci.md")).expect("docs/ci.md");
    let blocks = yaml_blocks(&md);
    assert!(
        blocks.len() >= 5,
        "GitHub, sharded GitHub, GitLab, two pre-commit configs"
    );
    // What this build of the CLI accepts, to tell a broken example from one
    // that uses a flag of the parallel scan-results work not merged here yet.
    let accepts = |args: &[&str]| Cli::try_parse_from(args).is_ok();
    let has_sarif = accepts(&["agentid", "scan-secrets", "-f", "sarif"]);
    let has_shard = accepts(&["agentid", "scan-secrets", "--shard", "1/2"]);

    let mut commands = Vec::new();
    let mut saw = (false, false, false, false);
    for (i, block) in blocks.iter().enumerate() {
        let doc: Value = serde_yaml::from_str(block)
            .unwrap_or_else(|e| panic!("docs/ci.md yaml block {}: {e}\n{block}", i + 1));
        // GitHub Actions workflows: code scanning needs security-events: write.
        if let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) {
            for (_, job) in jobs {
                let uses_sarif = job["steps"].as_sequence().is_some_and(|steps| {
                    steps.iter().any(|s| {
                        s["uses"]
                            .as_str()
                            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
                    })
                });
                if uses_sarif {
                    saw.0 = true;
                    assert_eq!(
                        job["permissions"]["security-events"].as_str(),
                        Some("write"),
                        "block {}: upload-sarif needs security-events: write",
                        i + 1
                    );
                }
                if job["strategy"]["matrix"]["shard"].is_sequence() {
                    saw.1 = true;
                }
            }
        }
        if doc.get("agentid-scan-secrets").is_some() {
            saw.2 = true; // GitLab job
        }
        if let Some(repos) = doc.get("repos").and_then(Value::as_sequence) {
            saw.3 = true;
            for r in repos {
                for h in r["hooks"].as_sequence().into_iter().flatten() {
                    assert_eq!(h["id"].as_str(), Some("agentid-scan-secrets"));
                    if let Some(entry) = h["entry"].as_str() {
                        commands.push(entry.to_string());
                    }
                }
            }
        }
        let mut texts = Vec::new();
        strings(&doc, &mut texts);
        for t in texts {
            commands.extend(agentid_commands(&t));
        }
    }
    assert_eq!(
        saw,
        (true, true, true, true),
        "(upload-sarif, shard matrix, GitLab job, pre-commit config)"
    );
    assert!(commands.len() >= 6, "{commands:#?}");
    for cmd in &commands {
        let args = words(cmd);
        match Cli::try_parse_from(&args) {
            Ok(_) => {}
            Err(e) => {
                let awaits_sarif = !has_sarif && args.iter().any(|a| a == "sarif");
                let awaits_shard = !has_shard && args.iter().any(|a| a == "--shard");
                assert!(
                    awaits_sarif || awaits_shard,
                    "docs/ci.md: `{cmd}` is not valid for this CLI: {e}"
                );
                // Valid once SARIF and --shard exist: the rest must parse now.
                let rest: Vec<String> = strip_pending(&args, awaits_sarif, awaits_shard);
                if let Err(e) = Cli::try_parse_from(&rest) {
                    panic!("docs/ci.md: `{cmd}` is not valid for this CLI: {e}");
                }
                eprintln!("note: `{cmd}` waits for -f sarif / --shard in this build");
            }
        }
    }
}

/// `args` without `-f sarif` and `--shard I/N` (for a build without them).
fn strip_pending(args: &[String], sarif: bool, shard: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = args.get(i + 1).map(String::as_str);
        if sarif && (a == "-f" || a == "--format") && next == Some("sarif") {
            i += 2;
            continue;
        }
        if shard && a == "--shard" {
            i += 2;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    out
}
