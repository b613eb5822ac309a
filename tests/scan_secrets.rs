//! `agentid scan-secrets` through the binary, on real files in temp dirs.

mod common;

use std::path::Path;

use common::{Scratch, run};
use serde_json::Value;

use agentid::scan::rules;

/// Runs `scan-secrets ARGS -f json` in `s` and returns (code, report, stderr).
fn scan_json(s: &Scratch, args: &[&str]) -> (i32, Value, String) {
    let mut c = s.cmd();
    c.arg("scan-secrets").args(args).args(["-f", "json"]);
    let (code, out, err) = run(c);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, doc, err)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings")
}

/// Every positive example of every rule is found by the binary; no negative
/// example is found by its rule.
#[test]
fn every_rule_example_through_the_binary() {
    let set = rules::builtin();
    let s = Scratch::new();
    for r in &set.rules {
        for (i, ex) in r.examples.positive.iter().enumerate() {
            s.write(&format!("pos/{}/{i}.txt", r.id), ex);
        }
        for (i, ex) in r.examples.negative.iter().enumerate() {
            s.write(&format!("neg/{}/{i}.txt", r.id), ex);
        }
    }
    let (code, doc, err) = scan_json(&s, &["pos"]);
    assert_eq!(code, 1, "{err}");
    let mut missing = Vec::new();
    for r in &set.rules {
        for i in 0..r.examples.positive.len() {
            let path = format!("pos/{}/{i}.txt", r.id);
            if !findings(&doc)
                .iter()
                .any(|f| f["rule"] == r.id.as_str() && f["path"] == path.as_str())
            {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "not found: {missing:?}");

    let (_, doc, _) = scan_json(&s, &["neg"]);
    for f in findings(&doc) {
        let path = f["path"].as_str().unwrap();
        let rule = path.split('/').nth(1).unwrap();
        assert_ne!(
            f["rule"].as_str(),
            Some(rule),
            "negative example found: {f}"
        );
    }
}

#[test]
fn placeholders_do_not_fire() {
    let s = Scratch::new();
    s.write(
        "config.env",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
         AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
         ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
         GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
         SLACK_BOT_TOKEN=xoxb-your-bot-token\n\
         DB_PASSWORD=changeme\n\
         DB_PASSWORD=${DB_PASSWORD}\n\
         API_SECRET=<YOUR_API_SECRET>\n\
         password: <redacted>\n\
         password: \"****************\"\n\
         token: \"{{ .Values.token }}\"\n\
         secret = os.environ[\"APP_SECRET\"]\n\
         password = get_password()\n\
         JWT=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n\
         -----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n",
    );
    let (code, doc, err) = scan_json(&s, &[]);
    assert_eq!(findings(&doc).len(), 0, "{doc:#}");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no secrets found"), "{err}");
}

const TOKEN: &str = "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";

#[test]
fn gitignored_and_git_directories_are_skipped() {
    let s = Scratch::new();
    s.write(".gitignore", "ignored/\n*.log\n");
    s.write("ignored/a.env", format!("T={TOKEN}\n"));
    s.write("debug.log", format!("T={TOKEN}\n"));
    s.write(".git/config", format!("T={TOKEN}\n"));
    s.write(".env", format!("T={TOKEN}\n"));
    let (code, doc, _) = scan_json(&s, &[]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = findings(&doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![".env"],
        "hidden files are scanned, ignored ones are not"
    );
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let s = Scratch::new();
    let mut bin = b"\x7fELF\x00\x01".to_vec();
    bin.extend_from_slice(TOKEN.as_bytes());
    s.write("tool.bin", bin);
    let (code, doc, err) = scan_json(&s, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["summary"]["skipped_binary"], 1);
    assert!(err.contains("skipped 1 binary"), "{err}");
}

#[test]
fn files_over_the_size_cap_are_skipped_with_a_warning() {
    let s = Scratch::new();
    s.write("big.txt", format!("{}\nT={TOKEN}\n", "x".repeat(2000)));
    s.write("small.txt", format!("T={TOKEN}\n"));
    let (code, doc, err) = scan_json(&s, &["--max-file-size", "1KB"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0]["path"], "small.txt");
    assert!(
        err.contains("warning: big.txt: 2044 bytes, over --max-file-size 1000"),
        "{err}"
    );
    assert_eq!(doc["skipped"][0]["path"], "big.txt");
    let mut c = s.cmd();
    c.args(["scan-secrets", "--max-file-size", "lots"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_warning_not_an_abort() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    let locked = s.write("locked.env", format!("T={TOKEN}\n"));
    s.write("open.env", format!("T={TOKEN}\n"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root, mode 000 does not stop reads: then the file is scanned like any other.
    let readable = std::fs::read(&locked).is_ok();
    let (code, doc, err) = scan_json(&s, &[]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(code, 1, "{err}");
    let paths: Vec<&str> = findings(&doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    if readable {
        assert_eq!(
            paths,
            vec!["locked.env", "open.env"],
            "running as root: {err}"
        );
        assert_eq!(doc["summary"]["unreadable"], 0);
    } else {
        assert_eq!(paths, vec!["open.env"]);
        assert!(err.contains("warning: locked.env: cannot read"), "{err}");
        assert_eq!(doc["summary"]["unreadable"], 1);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_survived() {
    let s = Scratch::new();
    s.write("d/a.env", format!("T={TOKEN}\n"));
    std::os::unix::fs::symlink("..", s.path().join("d/loop")).unwrap();
    std::os::unix::fs::symlink("a.env", s.path().join("d/link.env")).unwrap();
    // Not following links: the loop is never entered.
    let (code, doc, err) = scan_json(&s, &["d"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&doc).len(), 1);
    // Following them: the loop is reported and the walk goes on.
    let (code, doc, err) = scan_json(&s, &["d", "--follow-symlinks"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("symbolic link loop"), "{err}");
    let paths: Vec<&str> = findings(&doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"d/a.env") && paths.contains(&"d/link.env"),
        "{paths:?}"
    );
}

#[test]
fn crlf_and_invalid_utf8_files() {
    let s = Scratch::new();
    let mut bytes = b"# \xff\xfe not utf-8 \xc3\x28\r\n".to_vec();
    bytes.extend_from_slice(format!("token = {TOKEN}\r\n").as_bytes());
    s.write("mixed.txt", bytes);
    let (code, doc, _) = scan_json(&s, &[]);
    assert_eq!(code, 1);
    let f = &findings(&doc)[0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(f["secret"]["length"], 40);
}

#[test]
fn stdin_is_a_stream() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args(["scan-secrets", "-", "-f", "jsonl"])
        .write_stdin(format!("line one\nexport GH={TOKEN}\n"));
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{err}");
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["kind"], "agentid.secret_finding");
    assert_eq!(line["schema_version"], 1);
    assert_eq!(line["path"], "<stdin>");
    assert_eq!(line["line"], 2);
    let mut c = s.cmd();
    c.args(["scan-secrets", "-", "."]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("`-` (stdin) cannot be combined"), "{err}");
}

#[test]
fn exit_codes_follow_fail_on() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\n")); // high
    for (fail_on, want) in [
        ("low", 1),
        ("high", 1),
        ("critical", 0),
        ("never", 0),
        ("info", 1),
    ] {
        let mut c = s.cmd();
        c.args(["scan-secrets", "--fail-on", fail_on]);
        let (code, out, err) = run(c);
        assert_eq!(code, want, "--fail-on {fail_on}: {out}{err}");
    }
    // Nothing found: 0.
    let clean = Scratch::new();
    clean.write("a.txt", "nothing here\n");
    let mut c = clean.cmd();
    c.arg("scan-secrets");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("no secrets found"), "{out}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let s = Scratch::new();
    for (args, message) in [
        (
            vec!["scan-secrets", "missing-dir"],
            "error: missing-dir: no such file or directory",
        ),
        (
            vec!["scan-secrets", "--include", "a{b"],
            "error: --include \"a{b\": unclosed alternate group",
        ),
        (
            vec!["scan-secrets", "--exclude", "**/[z-a]"],
            "error: --exclude \"**/[z-a]\": invalid range",
        ),
        (
            vec!["scan-secrets", "--rules", "nope.yaml"],
            "error: cannot read rules file nope.yaml",
        ),
        (
            vec!["scan-secrets", "-f", "yaml"],
            "format yaml is not available for scan-secrets",
        ),
        (
            vec!["scan-secrets", "--fail-on", "sometimes"],
            "invalid value 'sometimes'",
        ),
    ] {
        let mut c = s.cmd();
        c.args(&args);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn a_bad_rules_file_gets_every_problem_with_line_and_field() {
    let s = Scratch::new();
    s.write(
        "rules.yaml",
        "rules:\n\
         \x20 - id: acme-key\n\
         \x20   provider: acme\n\
         \x20   name: Acme key\n\
         \x20   regex: 'acme_(?P<secret>[a-z0-9]{32}'\n\
         \x20   keywords: [acme_]\n\
         \x20   severity: severe\n\
         \x20   lifetime: long_lived\n\
         \x20   remediation: Revoke it.\n\
         \x20 - id: jwt\n\
         \x20   validatr: jwt\n",
    );
    s.write("a.txt", "x\n");
    for args in [
        vec!["scan-secrets", "--rules", "rules.yaml"],
        vec!["scan-secrets", "rules", "--rules", "rules.yaml"],
    ] {
        let mut c = s.cmd();
        c.args(&args);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("error: rules.yaml:7:15: rules[0].severity: \"severe\": expected info, low, medium, high or critical"), "{err}");
        assert!(err.contains("error: rules.yaml:11:5: rules[1].validatr: unknown field (did you mean `validator`?)"), "{err}");
    }
    // Once the shape is right, the regex is compiled and its problem located.
    s.write(
        "rules.yaml",
        "rules:\n  - id: acme-key\n    provider: acme\n    name: Acme key\n    regex: 'acme_(?P<secret>[a-z0-9]{32}'\n    keywords: [acme_]\n    severity: high\n    lifetime: long_lived\n    remediation: Revoke it.\n",
    );
    let mut c = s.cmd();
    c.args(["scan-secrets", "--rules", "rules.yaml"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: rules.yaml:5:12: rules[0].regex: does not compile: unclosed group"),
        "{err}"
    );
}

#[test]
fn a_rules_file_adds_and_overrides() {
    let s = Scratch::new();
    s.write(
        "rules.yaml",
        "rules:\n\
         \x20 - id: acme-key\n\
         \x20   provider: acme\n\
         \x20   name: Acme deploy key\n\
         \x20   regex: '\\bacme_(?P<secret>[a-z0-9]{32})(?:[^a-z0-9]|$)'\n\
         \x20   keywords: [acme_]\n\
         \x20   severity: critical\n\
         \x20   lifetime: long_lived\n\
         \x20   remediation: Revoke it in the Acme console.\n\
         \x20   examples:\n\
         \x20     positive: ['k = acme_0123456789abcdef0123456789abcdef']\n\
         \x20     negative: ['k = acme_short']\n\
         \x20 - id: github-pat-classic\n\
         \x20   severity: low\n",
    );
    s.write(
        "a.txt",
        format!("k = acme_0123456789abcdef0123456789abcdef\nT={TOKEN}\n"),
    );
    let (code, doc, err) = scan_json(
        &s,
        &["a.txt", "--rules", "rules.yaml", "--fail-on", "critical"],
    );
    assert_eq!(code, 1, "{err}");
    let sev: Vec<(String, String)> = findings(&doc)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        sev,
        vec![
            ("acme-key".into(), "critical".into()),
            ("github-pat-classic".into(), "low".into())
        ]
    );
    assert_eq!(
        doc["rules"]["acme-key"]["remediation"],
        "Revoke it in the Acme console."
    );
    let mut c = s.cmd();
    c.args([
        "scan-secrets",
        "rules",
        "--rules",
        "rules.yaml",
        "-f",
        "json",
    ]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["kind"], "agentid.secret_rules");
    assert!(
        list["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "acme-key" && r["origin"] == "rules.yaml")
    );

    // A rule whose own examples fail is refused, with where.
    s.write(
        "bad.yaml",
        "rules:\n  - id: github-pat-classic\n    examples:\n      positive: ['nothing here']\n      negative: []\n",
    );
    let mut c = s.cmd();
    c.args(["scan-secrets", "--rules", "bad.yaml"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.yaml:4:7: rules[0].examples.positive[0]: not found by the rule"),
        "{err}"
    );
}

#[test]
fn include_and_exclude_globs() {
    let s = Scratch::new();
    s.write("src/a.py", format!("T='{TOKEN}'\n"));
    s.write("src/b.js", format!("T='{TOKEN}'\n"));
    s.write("vendor/c.py", format!("T='{TOKEN}'\n"));
    let paths = |args: &[&str]| -> Vec<String> {
        let (_, doc, _) = scan_json(&s, args);
        findings(&doc)
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths(&["--include", "*.py"]),
        vec!["src/a.py", "vendor/c.py"]
    );
    assert_eq!(
        paths(&["--exclude", "vendor/"]),
        vec!["src/a.py", "src/b.js"]
    );
    assert_eq!(
        paths(&["--include", "*.py", "--exclude", "vendor"]),
        vec!["src/a.py"]
    );
    assert_eq!(paths(&["src", "--exclude", "*.js"]), vec!["src/a.py"]);
}

/// The table groups one secret found in many places into one row.
#[test]
fn the_table_groups_a_secret_by_fingerprint() {
    let s = Scratch::new();
    for f in ["a.env", "b.env", "c/d.env"] {
        s.write(f, format!("T={TOKEN}\n"));
    }
    let mut c = s.cmd();
    c.arg("scan-secrets");
    let (code, out, err) = run(c);
    assert_eq!(code, 1);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("github-pat-classic") && !l.contains("revoke"))
        .collect();
    assert_eq!(rows.len(), 1, "{out}");
    for loc in ["a.env:1:3", "b.env:1:3", "c/d.env:1:3"] {
        assert!(out.contains(loc), "{out}");
    }
    assert!(err.contains("3 findings of 1 secret (3 high)"), "{err}");
    assert!(out.contains("revoke github-pat-classic:"), "{out}");
}

/// No output format, and no message, ever holds a secret whole.
#[test]
fn secrets_never_appear_whole() {
    let set = rules::builtin();
    let s = Scratch::new();
    let mut secrets = Vec::new();
    for r in &set.rules {
        for (i, ex) in r.examples.positive.iter().enumerate() {
            s.write(&format!("{}-{i}.txt", r.id), ex);
        }
    }
    // The secrets themselves: the JSON report gives where each one is.
    let (_, doc, _) = scan_json(&s, &[]);
    for f in findings(&doc) {
        let text = std::fs::read(s.path().join(f["path"].as_str().unwrap())).unwrap();
        let (a, b) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        secrets.push(String::from_utf8_lossy(&text[a..b]).into_owned());
    }
    assert!(secrets.len() >= 40, "{}", secrets.len());
    for args in [
        vec!["scan-secrets"],
        vec!["scan-secrets", "-f", "json"],
        vec!["scan-secrets", "-f", "jsonl"],
        vec!["scan-secrets", "-f", "csv"],
        vec!["scan-secrets", "-f", "sarif"],
        vec!["scan-secrets", "-v", "--color", "always"],
        vec!["scan-secrets", "rules"],
    ] {
        let mut c = s.cmd();
        c.args(&args).env("COLUMNS", "400");
        let (_, out, err) = run(c);
        for secret in &secrets {
            // Compare the part after the longest prefix ever shown (12 chars).
            let tail = &secret[(secret.len() / 4).min(12)..];
            assert!(tail.len() >= 6);
            assert!(
                !out.contains(secret) && !err.contains(secret),
                "{args:?} printed {secret}"
            );
            assert!(
                !out.contains(tail) && !err.contains(tail),
                "{args:?} printed the tail of {secret}"
            );
        }
    }
}

/// The prefilter changes nothing: the binary with and without it agrees on a
/// tree of every example plus mixed files.
#[test]
fn prefilter_on_and_off_agree_through_the_binary() {
    let set = rules::builtin();
    let s = Scratch::new();
    let mut all = String::new();
    for r in &set.rules {
        for (i, ex) in r
            .examples
            .positive
            .iter()
            .chain(&r.examples.negative)
            .enumerate()
        {
            s.write(&format!("ex/{}-{i}.txt", r.id), ex);
            all.push_str(ex);
            all.push(if i % 2 == 0 { '\n' } else { ' ' });
        }
    }
    s.write("mixed/all.txt", &all);
    s.write("mixed/crlf.txt", all.replace('\n', "\r\n"));
    let strip = |mut doc: Value| {
        doc["summary"]["elapsed_ms"] = Value::Null;
        doc
    };
    let (_, with, _) = scan_json(&s, &[]);
    let (_, without, _) = scan_json(&s, &["--no-prefilter"]);
    assert!(findings(&with).len() > 50);
    assert_eq!(strip(with), strip(without));
}

#[test]
fn output_file_and_formats() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\n"));
    let mut c = s.cmd();
    c.args(["scan-secrets", "a.env", "-f", "csv", "-o", "out.csv"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let csv = std::fs::read_to_string(s.path().join("out.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "schema_version,rule,severity,lifetime,path,line,column,end_line,prefix,length,fingerprint,paired_with,note,\
             suppressed,suppressed_reason,commit,author,date,estate,credential,credential_state,active,identity,agent,owner"
        )
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("1,github-pat-classic,high,long_lived,a.env,1,3,1,ghp_kucGs4,40,")
    );
    let (_, doc, _) = scan_json(&s, &["a.env"]);
    assert_eq!(doc["kind"], "agentid.secret_scan");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["secrets"], 1);
    assert_eq!(doc["summary"]["failed"], true);
    assert!(Path::new(&s.path().join("out.csv")).exists());
}

#[test]
fn rules_lists_the_catalogue() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args(["scan-secrets", "rules"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let n = rules::builtin().rules.len();
    assert!(out.contains(&format!("{n} rules")), "{out}");
    for id in [
        "anthropic-admin-key",
        "aws-access-key-id",
        "github-pat-classic",
        "generic-secret",
    ] {
        assert!(out.contains(id), "{out}");
    }
    // A directory named `rules` is still scannable as ./rules.
    s.write("rules/a.env", format!("T={TOKEN}\n"));
    let (code, doc, _) = scan_json(&s, &["./rules"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc)[0]["path"], "rules/a.env");
}
