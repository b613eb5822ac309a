//! Conventions every command follows: version, help, exit codes, colour,
//! logging, -o, broken pipes.

mod common;

use std::process::Command as StdCommand;

use common::{AS_OF, JSON_REPORT, Scratch, minimal_snapshot, repo, run};

#[test]
fn version_names_the_git_commit() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.arg("--version");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let head = StdCommand::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo())
        .output()
        .expect("git is needed to build agentid's version string");
    assert!(
        head.status.success(),
        "the repository must be a git checkout"
    );
    let commit = String::from_utf8_lossy(&head.stdout).trim().to_string();
    assert!(
        out.starts_with(&format!("agentid {} ({commit}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
}

/// Every command's --help is part of the product: a change shows up in review.
#[test]
fn help_texts() {
    let s = Scratch::new();
    for args in [
        vec!["--help"],
        vec!["inventory", "--help"],
        vec!["registry", "--help"],
        vec!["registry", "validate", "--help"],
        vec!["registry", "schema", "--help"],
        vec!["registry", "init", "--help"],
        vec!["token", "--help"],
        vec!["token", "decode", "--help"],
        vec!["token", "verify", "--help"],
        vec!["token", "sign", "--help"],
        vec!["scan-secrets", "--help"],
        vec!["scan-secrets", "rules", "--help"],
        vec!["rotate-keys", "--help"],
        vec!["rotate-keys", "init", "--help"],
        vec!["rotate-keys", "status", "--help"],
        vec!["rotate-keys", "plan", "--help"],
        vec!["rotate-keys", "run", "--help"],
        vec!["rotate-keys", "emergency", "--help"],
        vec!["rotate-keys", "jwks", "--help"],
        vec!["rotate-keys", "log", "--help"],
        vec!["exchange", "--help"],
        vec!["exchange", "oauth", "--help"],
        vec!["exchange", "aws", "--help"],
        vec!["exchange", "anthropic", "--help"],
        vec!["exchange", "entra", "--help"],
        vec!["exchange", "gcp", "--help"],
    ] {
        let mut c = s.cmd();
        c.args(&args);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{args:?}: {err}");
        let name = format!(
            "help_{}",
            args.iter()
                .filter(|a| !a.starts_with('-'))
                .cloned()
                .collect::<Vec<_>>()
                .join("_")
        );
        let name = if name == "help_" {
            "help_agentid".to_string()
        } else {
            name
        };
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn only_working_commands_are_listed() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.arg("--help");
    let (_, out, _) = run(c);
    let commands: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A long description wraps onto an indented line of its own.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        vec![
            "inventory",
            "registry",
            "token",
            "scan-secrets",
            "rotate-keys",
            "exchange",
            "help"
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = Scratch::new();
    for args in [
        vec!["frobnicate"],
        vec!["inventory", "--no-such-flag"],
        vec![],
    ] {
        let mut c = s.cmd();
        c.args(&args);
        let (code, _, _) = run(c);
        assert_eq!(code, 2, "{args:?}");
    }
}

/// A bad value is blamed on where it came from: the environment variable
/// when the flag was not typed, the flag when it was (the flag wins over the
/// variable, so the variable's value was never used).
#[test]
fn a_bad_value_names_the_environment_variable_it_came_from() {
    let s = Scratch::new();
    minimal(&s);
    let mut c = s.cmd();
    c.args(["inventory", "--snapshot", "estate.json"])
        .env("AGENTID_FAIL_ON", "severe");
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: invalid value 'severe' in environment variable AGENTID_FAIL_ON (read for '--fail-on <SEVERITY>')"),
        "{err}"
    );
    for typed in [vec!["--fail-on", "severe"], vec!["--fail-on=severe"]] {
        let mut c = s.cmd();
        c.args(["inventory", "--snapshot", "estate.json"])
            .args(&typed)
            .env("AGENTID_FAIL_ON", "severe");
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.starts_with("error: invalid value 'severe' for '--fail-on <SEVERITY>'"),
            "{typed:?}: {err}"
        );
    }
}

fn minimal(s: &Scratch) {
    s.write("agentid.yaml", common::MINIMAL_REGISTRY);
    s.write(
        "estate.json",
        minimal_snapshot("2026-07-24T00:00:00Z", "2026-10-31T00:00:00Z"),
    );
}

#[test]
fn color_follows_the_flag_when_not_a_terminal() {
    let s = Scratch::new();
    minimal(&s);
    for (flag, colored) in [("always", true), ("never", false), ("auto", false)] {
        let mut c = s.cmd();
        c.args(["inventory", "--as-of", AS_OF, "--color", flag]);
        let (_, out, _) = run(c);
        assert_eq!(out.contains("\u{1b}["), colored, "--color {flag}");
    }
}

/// Runs `agentid` under a pseudo-terminal (util-linux `script`) to test "auto".
fn in_terminal(s: &Scratch, env: &[(&str, &str)]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("agentid");
    let mut c = StdCommand::new("script");
    c.args(["-qec"])
        .arg(format!("{} inventory --as-of {AS_OF}", bin.display()))
        .arg("/dev/null")
        .current_dir(s.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.path().join("home"))
        .env("COLUMNS", "100")
        .env("TERM", "xterm");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .expect("util-linux `script` runs agentid under a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn color_auto_on_a_terminal_respects_no_color_and_dumb_terminals() {
    let s = Scratch::new();
    minimal(&s);
    let plain = in_terminal(&s, &[]);
    assert!(plain.contains("\u{1b}["), "colour on a terminal: {plain}");
    assert!(plain.contains('┌'), "boxed table on a terminal");
    assert!(
        !in_terminal(&s, &[("NO_COLOR", "1")]).contains("\u{1b}["),
        "NO_COLOR"
    );
    assert!(
        !in_terminal(&s, &[("TERM", "dumb")]).contains("\u{1b}["),
        "TERM=dumb"
    );
    // Tables are fitted to the terminal: no table line wider than COLUMNS.
    let widest = plain
        .lines()
        .map(strip_ansi)
        .filter(|l| l.starts_with(['│', '┌', '└', '╞', '├']))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(widest > 50, "found the tables");
    assert!(widest <= 100, "widest line {widest}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

#[test]
fn output_file_is_written_atomically_and_privately() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    minimal(&s);
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "-o",
        "report.json",
        "--fail-on",
        "never",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "-o keeps stdout empty");
    let written = std::fs::read_to_string(s.path().join("report.json")).expect("report written");
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "-o",
        "-",
        "--fail-on",
        "never",
    ]);
    let (_, stdout, _) = run(c);
    assert_eq!(
        written, stdout,
        "-o - is stdout, and the file holds the same bytes"
    );
    let mode = std::fs::metadata(s.path().join("report.json"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644, "a new report is an ordinary file");
    // Rewriting an existing file keeps the mode its owner chose.
    std::fs::set_permissions(
        s.path().join("report.json"),
        std::fs::Permissions::from_mode(0o640),
    )
    .expect("chmod");
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "-o",
        "report.json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(run(c).0, 0);
    let mode = std::fs::metadata(s.path().join("report.json"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn failed_run_leaves_an_existing_output_file_alone() {
    let s = Scratch::new();
    s.write("report.json", "previous report");
    s.write("agentid.yaml", "version: 1\nagents: nonsense\n");
    let mut c = s.cmd();
    c.args(["inventory", "-f", "json", "-o", "report.json"]);
    let (code, _, _) = run(c);
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read_to_string(s.path().join("report.json")).expect("kept"),
        "previous report"
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let s = Scratch::new();
    // Enough identities that the JSON is far larger than a pipe buffer.
    let mut identities = Vec::new();
    for i in 0..3000 {
        identities.push(format!(
            r#"{{"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:user/u{i}", "name": "u{i}", "kind": "user"}}"#
        ));
    }
    s.write(
        "big.json",
        format!(
            r#"{{"schema_version": 1, "kind": "agentid.estate", "sources": [{{"name": "aws", "provider": "aws"}}], "identities": [{}]}}"#,
            identities.join(",")
        ),
    );
    let bin = assert_cmd::cargo::cargo_bin("agentid");
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "{} inventory --snapshot big.json --as-of {AS_OF} -f json --fail-on never | head -c 100 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            bin.display()
        ))
        .current_dir(s.path())
        .env("HOME", s.path().join("home"))
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("status=0"), "{stdout} {stderr}");
    assert!(stderr.is_empty(), "quiet on a broken pipe: {stderr}");
}

#[test]
fn verbose_logs_go_to_stderr_and_quiet_silences() {
    let s = Scratch::new();
    minimal(&s);
    let mut c = s.cmd();
    c.args([
        "-v",
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--fail-on",
        "never",
    ]);
    let (_, out, err) = run(c);
    assert!(err.contains("using registry"), "{err}");
    assert!(
        out.trim_start().starts_with('{'),
        "stdout holds only the document"
    );
    let mut c = s.cmd();
    c.args(JSON_REPORT).env("RUST_LOG", "agentid=debug");
    let (_, _, err) = run(c);
    assert!(
        err.contains("read snapshot"),
        "RUST_LOG turns on logs: {err}"
    );
    let mut c = s.cmd();
    c.args(["-q", "registry", "init", "other.yaml"]);
    let (code, out, err) = run(c);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}

#[test]
fn generate_man_pages() {
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("man")).expect("mkdir");
    let mut c = s.cmd();
    c.args(["generate", "man", "man"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    for page in [
        "agentid.1",
        "agentid-inventory.1",
        "agentid-registry.1",
        "agentid-registry-validate.1",
        "agentid-token-decode.1",
        "agentid-token-verify.1",
        "agentid-token-sign.1",
    ] {
        let text = std::fs::read_to_string(s.path().join("man").join(page))
            .unwrap_or_else(|_| panic!("{page}"));
        assert!(text.contains(".TH"), "{page} is a man page");
    }
}

#[test]
fn agentid_format_is_a_preference_the_flag_is_a_demand() {
    let s = Scratch::new();
    minimal(&s);
    // AGENTID_FORMAT=csv: inventory speaks CSV, `registry schema` keeps its JSON.
    let mut c = s.cmd();
    c.env("AGENTID_FORMAT", "csv").args(["registry", "schema"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('{'));
    let mut c = s.cmd();
    c.env("AGENTID_FORMAT", "csv")
        .args(["inventory", "--as-of", AS_OF, "--fail-on", "never"]);
    assert!(run(c).1.starts_with("schema_version,record,"));
    // The flag is not a preference: a command without that format refuses it.
    let mut c = s.cmd();
    c.args(["registry", "schema", "-f", "csv"]);
    assert_eq!(run(c).0, 2);
    // A bad AGENTID_FORMAT is a usage error, named.
    let mut c = s.cmd();
    c.env("AGENTID_FORMAT", "xml").args(["registry", "schema"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("AGENTID_FORMAT=\"xml\""), "{err}");
}

/// `-o` onto a FIFO (as onto /dev/null) writes through it; it must never be
/// replaced by a regular file the way an atomic rename would.
#[test]
fn output_to_a_fifo_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let s = Scratch::new();
    minimal(&s);
    let fifo = s.path().join("pipe");
    let made = StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read_to_string(fifo).expect("read fifo")
    });
    let mut c = s.cmd();
    c.args(JSON_REPORT).args(["-o", "pipe"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let got = reader.join().expect("reader");
    assert!(
        got.contains("\"kind\": \"agentid.inventory\""),
        "{got:.200}"
    );
    let kind = std::fs::symlink_metadata(&fifo).expect("meta").file_type();
    assert!(kind.is_fifo(), "the FIFO is still a FIFO");
}
