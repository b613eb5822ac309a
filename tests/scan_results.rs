//! `scan-secrets` results: SARIF (validated against the official OASIS
//! schema), baselines, inline `agentid:allow` suppression, `--shard` and the
//! progress line, through the binary on real files in temp dirs.

mod common;

use std::collections::BTreeSet;
use std::process::Command as StdCommand;

use common::{Scratch, run};
use serde_json::Value;

use agentid::scan::rules;

/// A GitHub classic token with a valid checksum (rule `github-pat-classic`, high).
const TOKEN: &str = "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";

fn scan(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let mut c = s.cmd();
    c.arg("scan-secrets").args(args);
    run(c)
}

fn json(s: &Scratch, args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let (code, out, err) = scan(s, &all);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, doc, err)
}

fn sarif(s: &Scratch, args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.extend(["-f", "sarif"]);
    let (code, out, err) = scan(s, &all);
    let doc =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not SARIF JSON ({e}): {out}\n{err}"));
    (code, doc, err)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings")
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().expect("results")
}

/// The official SARIF 2.1.0 schema (tests/fixtures/sarif/README.md says where it came from).
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        common::repo().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"),
    )
    .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

// ---------------------------------------------------------------- SARIF

/// Every rule's examples, a suppressed finding of each kind, awkward file
/// names and a skipped file: the SARIF is valid against the official schema
/// and carries what GitHub code scanning reads.
#[test]
fn sarif_is_valid_against_the_official_schema() {
    let set = rules::builtin();
    let s = Scratch::new();
    let mut secrets = Vec::new();
    for r in &set.rules {
        for (i, ex) in r.examples.positive.iter().enumerate() {
            s.write(&format!("ex/{}-{i}.txt", r.id), ex);
        }
    }
    s.write("odd names/ü:x [1].env", format!("T={TOKEN}\n"));
    s.write(
        "allowed.env",
        format!("T={TOKEN} # agentid:allow test fixture\n"),
    );
    s.write("big.txt", format!("{}\n", "x".repeat(3000)));
    let (_, report, _) = json(&s, &["--max-file-size", "2KB"]);
    for f in findings(&report) {
        let text = std::fs::read(s.path().join(f["path"].as_str().unwrap())).unwrap();
        let (a, b) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        secrets.push(String::from_utf8_lossy(&text[a..b]).into_owned());
    }
    // One secret baselined.
    let (code, _, err) = scan(
        &s,
        &["ex/slack-webhook-0.txt", "--write-baseline", "base.json"],
    );
    assert_eq!(code, 1, "{err}");

    let (code, doc, err) = sarif(&s, &["--max-file-size", "2KB", "--baseline", "base.json"]);
    assert_eq!(code, 1, "{err}");
    let validator = sarif_validator();
    let errors = schema_errors(&validator, &doc);
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a broken log fails it.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["version"] = Value::from("2.0.0");
    assert!(schema_errors(&validator, &broken).len() >= 2);

    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "agentid");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    if homepage.is_empty() {
        assert!(driver.get("informationUri").is_none());
    } else {
        assert_eq!(driver["informationUri"], homepage);
    }
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );

    // Rules: the ones that fired, with what GitHub shows.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let fired: BTreeSet<&str> = findings(&report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), fired);
    for r in rules {
        let id = r["id"].as_str().unwrap();
        let rule = set.rules.iter().find(|x| x.id == id).unwrap();
        assert_eq!(r["shortDescription"]["text"], rule.name.as_str());
        assert!(
            r["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .contains(&rule.name)
        );
        assert!(
            r["help"]["text"]
                .as_str()
                .unwrap()
                .contains(&rule.remediation),
            "{r}"
        );
        assert!(!r["name"].as_str().unwrap().is_empty());
        let want_level = match rule.severity.as_str() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(r["defaultConfiguration"]["level"], want_level, "{id}");
        let p = &r["properties"];
        assert_eq!(p["severity"], rule.severity.as_str());
        assert_eq!(p["lifetime"], rule.lifetime.as_str());
        assert_eq!(p["long-lived"], rule.lifetime.as_str() == "long_lived");
        let tags: Vec<&str> = p["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"secret"),
            "{tags:?}"
        );
        if rule.severity.as_str() != "info" {
            let score: f64 = p["security-severity"].as_str().unwrap().parse().unwrap();
            assert!(score > 0.0 && score <= 10.0);
        }
    }

    // Results: one per finding, suppressed ones included and marked.
    let res = results(&doc);
    assert_eq!(res.len(), findings(&report).len());
    let mut keys = BTreeSet::new();
    let (mut in_source, mut external) = (0, 0);
    for r in res {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(' '), "{uri}");
        let region = &loc["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap() >= 1, "{k}: {r}");
        }
        let key = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(keys.insert(key.to_string()), "duplicate key {key}");
        let message = r["message"]["text"].as_str().unwrap();
        assert!(
            message.contains(r["properties"]["secret"]["fingerprint"].as_str().unwrap()),
            "{message}"
        );
        match r["suppressions"][0]["kind"].as_str() {
            Some("inSource") => {
                in_source += 1;
                assert!(uri.ends_with("allowed.env"));
                assert_eq!(
                    r["suppressions"][0]["justification"],
                    "agentid:allow on line 1"
                );
            }
            Some("external") => {
                external += 1;
                assert_eq!(
                    r["suppressions"][0]["justification"],
                    "in baseline base.json"
                );
            }
            Some(other) => panic!("suppression kind {other}"),
            None => {}
        }
    }
    assert_eq!(in_source, 1);
    assert!(external >= 1, "the baselined webhook");
    assert!(
        res.iter().any(
            |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "odd%20names/%C3%BC%3Ax%20%5B1%5D.env"
        ),
        "percent-encoded path"
    );
    // The file over the size cap is a notification, not a result.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "big.txt"),
        "{notes:?}"
    );
    // Never a secret whole.
    let text = doc.to_string();
    for secret in &secrets {
        let tail = &secret[(secret.len() / 4).min(12)..];
        assert!(!text.contains(tail), "SARIF holds the tail of {secret}");
    }
}

/// The key GitHub matches alerts by follows the secret, not its line: the
/// same across runs and when lines are added above it; different for the
/// same secret in another file or twice in one file.
#[test]
fn sarif_fingerprints_are_stable() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\nU={TOKEN}\n"));
    s.write("b.env", format!("T={TOKEN}\n"));
    let keys = |doc: &Value| -> Vec<(String, String)> {
        results(doc)
            .iter()
            .map(|r| {
                (
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let (_, first, _) = sarif(&s, &[]);
    let (_, again, _) = sarif(&s, &[]);
    assert_eq!(keys(&first), keys(&again));
    s.write("a.env", format!("# config\n\nT={TOKEN}\nU={TOKEN}\n"));
    let (_, moved, _) = sarif(&s, &[]);
    assert_eq!(keys(&first), keys(&moved), "lines added above");
    let k = keys(&first);
    assert_eq!(k.len(), 3);
    let distinct: BTreeSet<&String> = k.iter().map(|(_, key)| key).collect();
    assert_eq!(distinct.len(), 3, "{k:?}");
    assert!(k[0].1.ends_with(":1") && k[1].1.ends_with(":2"), "{k:?}");
    assert_eq!(
        k[0].1.split(':').next(),
        k[1].1.split(':').next(),
        "same secret, same file"
    );
}

/// SARIF columns count UTF-16 code units; the JSON report counts bytes.
#[test]
fn sarif_columns_are_utf16_code_units() {
    let s = Scratch::new();
    // 'é' is 2 bytes and 1 UTF-16 unit; '𝄞' is 4 bytes and 2 units.
    s.write("u.txt", format!("é𝄞 = {TOKEN}\n"));
    let (_, doc, _) = sarif(&s, &[]);
    let region = &results(&doc)[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], 7);
    assert_eq!(region["endLine"], 1);
    assert_eq!(region["endColumn"], 7 + 40);
    let (_, report, _) = json(&s, &[]);
    assert_eq!(findings(&report)[0]["column"], 10, "bytes");

    // A private key spans lines: the region ends on its last line.
    let set = rules::builtin();
    let pem = set
        .rules
        .iter()
        .find(|r| r.id == "private-key")
        .and_then(|r| r.examples.positive.iter().find(|e| e.contains("BEGIN")))
        .expect("a private key example")
        .clone();
    let s = Scratch::new();
    s.write("k.pem", format!("{pem}\n"));
    let (_, report, _) = json(&s, &[]);
    let f = &findings(&report)[0];
    let (_, doc, _) = sarif(&s, &[]);
    let region = &results(&doc)[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], f["line"]);
    assert_eq!(region["endLine"], f["end_line"]);
    assert!(f["end_line"].as_u64() > f["line"].as_u64(), "{f}");
}

// ---------------------------------------------------------------- baseline

#[test]
fn a_baseline_suppresses_what_it_recorded_and_nothing_else() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\n"));
    s.write("b/c.env", format!("X=1\nT={TOKEN}\n"));
    let (code, out, err) = scan(&s, &["--write-baseline", "base.json"]);
    assert_eq!(
        code, 1,
        "writing a baseline does not hide this run's findings: {err}"
    );
    assert!(out.contains("github-pat-classic"), "{out}");
    assert!(err.contains("wrote baseline base.json (1 secret)"), "{err}");

    let text = std::fs::read_to_string(s.path().join("base.json")).unwrap();
    assert!(
        !text.contains(&TOKEN[12..]),
        "no secret in the baseline: {text}"
    );
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["schema_version"], 1);
    assert_eq!(b["kind"], "agentid.secret_baseline");
    let secrets = b["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1);
    assert_eq!(secrets[0]["rule"], "github-pat-classic");
    assert_eq!(secrets[0]["fingerprint"].as_str().unwrap().len(), 12);
    assert_eq!(
        secrets[0]["locations"],
        serde_json::json!([{"path": "a.env", "line": 1}, {"path": "b/c.env", "line": 2}])
    );
    // Written atomically: no temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");

    // With the baseline: nothing counts, the run passes, the summary says why.
    let (code, out, err) = scan(&s, &["--baseline", "base.json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no secrets found (2 suppressed)"), "{out}");
    assert!(err.contains("2 suppressed (baseline 2)"), "{err}");
    let (code, doc, _) = json(&s, &["--baseline", "base.json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["findings"], 0);
    assert_eq!(doc["summary"]["suppressed"]["baseline"], 2);
    assert_eq!(doc["summary"]["failed"], false);
    for f in findings(&doc) {
        assert_eq!(f["suppressed"]["kind"], "baseline");
        assert_eq!(f["suppressed"]["reason"], "in baseline base.json");
    }

    // The secret moved: still suppressed (matched by fingerprint, not place).
    std::fs::rename(s.path().join("a.env"), s.path().join("moved.env")).unwrap();
    // A new secret is not.
    let admin = rules::builtin()
        .rules
        .iter()
        .find(|r| r.id == "anthropic-admin-key")
        .map(|r| r.examples.positive[0].clone())
        .expect("an admin key example");
    s.write("new.env", format!("{admin}\n"));
    let (code, doc, err) = json(&s, &["--baseline", "base.json"]);
    assert_eq!(code, 1, "{err}");
    let counted: Vec<&str> = findings(&doc)
        .iter()
        .filter(|f| f.get("suppressed").is_none())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(counted, vec!["new.env"], "{doc:#}");
    assert_eq!(doc["summary"]["suppressed"]["baseline"], 2);

    // --fail-on counts only what is not suppressed.
    let (code, _, _) = scan(&s, &["--baseline", "base.json", "--fail-on", "critical"]);
    assert_eq!(code, 1, "the admin key is critical");
    std::fs::remove_file(s.path().join("new.env")).unwrap();
    let (code, _, _) = scan(&s, &["--baseline", "base.json", "--fail-on", "info"]);
    assert_eq!(code, 0);

    // Refreshing: read and rewrite the same file.
    let (_, _, err) = scan(
        &s,
        &["--baseline", "base.json", "--write-baseline", "base.json"],
    );
    assert!(err.contains("wrote baseline base.json (1 secret)"), "{err}");
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(b["secrets"][0]["locations"][0]["path"], "b/c.env");

    // From stdin.
    let mut c = s.cmd();
    c.args(["scan-secrets", "--baseline", "-"])
        .write_stdin(std::fs::read(s.path().join("base.json")).unwrap());
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_bad_baseline_exits_2_naming_the_file() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\n"));
    s.write("broken.json", "{\"schema_version\": 1,\n  \"kind\": ");
    s.write(
        "report.json",
        "{\"schema_version\": 1, \"kind\": \"agentid.secret_scan\"}",
    );
    s.write(
        "future.json",
        "{\"schema_version\": 9, \"kind\": \"agentid.secret_baseline\", \"secrets\": []}",
    );
    s.write(
        "badfp.json",
        "{\"schema_version\": 1, \"kind\": \"agentid.secret_baseline\", \"secrets\": [{\"rule\": \"x\", \"fingerprint\": \"ghp_kucGs4\"}]}",
    );
    for (args, message) in [
        (
            vec!["--baseline", "missing.json"],
            "error: cannot read baseline file missing.json: No such file or directory",
        ),
        (
            vec!["--baseline", "broken.json"],
            "error: broken.json:2:10: not a baseline: not JSON (EOF while parsing a value)",
        ),
        (
            vec!["--baseline", "report.json"],
            "error: report.json: kind \"agentid.secret_scan\" is not a baseline (expected \"agentid.secret_baseline\"; write one with --write-baseline)",
        ),
        (
            vec!["--baseline", "future.json"],
            "error: future.json: schema_version 9 is not supported (this agentid reads baseline version 1)",
        ),
        (
            vec!["--baseline", "badfp.json"],
            "error: badfp.json: secrets[0].fingerprint: \"ghp_kucGs4\" is not a fingerprint (12 lower-case hex digits)",
        ),
        (
            vec!["--write-baseline", "-"],
            "error: --write-baseline -: give a file name (stdout carries the report)",
        ),
        (
            vec!["-", "--baseline", "-"],
            "error: --baseline -: stdin is already the input being scanned",
        ),
    ] {
        let (code, out, err) = scan(&s, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(out.is_empty(), "{args:?}: nothing scanned: {out}");
    }
    // A baseline that cannot be written is an operational failure (3).
    let (code, _, err) = scan(&s, &["--write-baseline", "no/such/dir/base.json"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("cannot write no/such/dir/base.json"), "{err}");
}

// ---------------------------------------------------------------- inline

#[test]
fn inline_allow_suppresses_on_its_line_in_any_comment_syntax() {
    let s = Scratch::new();
    for (name, line) in [
        ("hash.env", format!("T={TOKEN} # agentid:allow")),
        (
            "slashes.js",
            format!("const t = '{TOKEN}'; // agentid:allow test fixture"),
        ),
        (
            "block.c",
            format!("char *t = \"{TOKEN}\"; /* agentid:allow */"),
        ),
        (
            "html.html",
            format!("<meta content=\"{TOKEN}\"> <!-- agentid:allow -->"),
        ),
        (
            "sql.sql",
            format!("SELECT '{TOKEN}'; -- agentid:allow=github-pat-classic"),
        ),
        (
            "list.yaml",
            format!("t: {TOKEN} # agentid:allow=generic-secret,github-pat-classic"),
        ),
        // Not suppressed: another rule named, a marker on another line, a near miss.
        (
            "other.env",
            format!("T={TOKEN} # agentid:allow=aws-access-key-id"),
        ),
        ("above.env", format!("# agentid:allow\nT={TOKEN}")),
        ("nearmiss.env", format!("T={TOKEN} # agentid:allowed")),
    ] {
        s.write(name, format!("{line}\n"));
    }
    let (code, doc, err) = json(&s, &[]);
    assert_eq!(code, 1, "{err}");
    let mut counted = Vec::new();
    let mut suppressed = Vec::new();
    for f in findings(&doc) {
        let path = f["path"].as_str().unwrap().to_string();
        match f.get("suppressed") {
            Some(sup) => {
                assert_eq!(sup["kind"], "inline");
                suppressed.push((path, sup["reason"].as_str().unwrap().to_string()));
            }
            None => counted.push(path),
        }
    }
    assert_eq!(counted, vec!["above.env", "nearmiss.env", "other.env"]);
    assert_eq!(
        suppressed,
        vec![
            ("block.c".into(), "agentid:allow on line 1".into()),
            ("hash.env".into(), "agentid:allow on line 1".into()),
            ("html.html".into(), "agentid:allow on line 1".into()),
            (
                "list.yaml".into(),
                "agentid:allow=generic-secret,github-pat-classic on line 1".into()
            ),
            ("slashes.js".into(), "agentid:allow on line 1".into()),
            (
                "sql.sql".into(),
                "agentid:allow=github-pat-classic on line 1".into()
            ),
        ]
    );
    assert_eq!(doc["summary"]["findings"], 3);
    assert_eq!(doc["summary"]["suppressed"]["inline"], 6);

    // Table: suppressed findings are not rows; the summary counts them.
    let (_, out, err) = scan(&s, &[]);
    assert!(
        !out.contains("hash.env") && out.contains("other.env"),
        "{out}"
    );
    assert!(
        err.contains("3 findings of 1 secret (3 high); 6 suppressed (inline 6)"),
        "{err}"
    );

    // jsonl and csv mark them.
    let (_, out, _) = scan(&s, &["-f", "jsonl"]);
    let marked = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["suppressed"]["kind"] == "inline")
        .count();
    assert_eq!(marked, 6);
    let (_, out, _) = scan(&s, &["-f", "csv"]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (kind, reason) = (col("suppressed"), col("suppressed_reason"));
    assert_eq!(reason, kind + 1);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let sql = rows.iter().find(|r| &r[4] == "sql.sql").unwrap();
    assert_eq!(&sql[kind], "inline");
    assert_eq!(&sql[reason], "agentid:allow=github-pat-classic on line 1");
    let other = rows.iter().find(|r| &r[4] == "other.env").unwrap();
    assert_eq!(&other[kind], "");

    // Only unsuppressed findings fail a run.
    for f in ["other.env", "above.env", "nearmiss.env"] {
        std::fs::remove_file(s.path().join(f)).unwrap();
    }
    let (code, out, err) = scan(&s, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no secrets found (6 suppressed)"), "{out}");

    // A baseline records what is not suppressed inline.
    let (_, _, err) = scan(&s, &["--write-baseline", "base.json"]);
    assert!(
        err.contains("wrote baseline base.json (0 secrets)"),
        "{err}"
    );
}

// ---------------------------------------------------------------- shard

#[test]
fn shards_split_the_files_disjointly_and_completely() {
    let s = Scratch::new();
    for i in 0..60 {
        let dir = ["", "src/", "src/deep/", "config/"][i % 4];
        s.write(&format!("{dir}f{i}.env"), format!("T={TOKEN}\n"));
    }
    s.write("clean.txt", "nothing\n");
    let key = |f: &Value| {
        format!(
            "{}:{}:{}",
            f["path"].as_str().unwrap(),
            f["line"],
            f["rule"].as_str().unwrap()
        )
    };
    let (_, all, _) = json(&s, &[]);
    let all_keys: BTreeSet<String> = findings(&all).iter().map(key).collect();
    assert_eq!(all_keys.len(), 60);
    let mut union = BTreeSet::new();
    let mut files = 0;
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let (_, doc, err) = json(&s, &["--shard", &shard]);
        assert_eq!(doc["summary"]["shard"], shard.as_str());
        assert!(err.contains(&format!("(shard {shard})")), "{err}");
        files += doc["summary"]["files"].as_u64().unwrap();
        let keys: Vec<String> = findings(&doc).iter().map(key).collect();
        assert!(!keys.is_empty(), "shard {shard} got no file of 60");
        for k in keys {
            assert!(union.insert(k.clone()), "{k} in two shards");
        }
        // The same shard again: the same files.
        let (_, again, _) = json(&s, &["--shard", &shard, "--threads", "1"]);
        assert_eq!(findings(&again), findings(&doc));
    }
    assert_eq!(union, all_keys);
    assert_eq!(files, all["summary"]["files"].as_u64().unwrap());

    // 1/1 is everything; SARIF names the shard's category.
    let (_, one, _) = json(&s, &["--shard", "1/1"]);
    assert_eq!(findings(&one).len(), 60);
    let (_, doc, _) = sarif(&s, &["--shard", "2/3"]);
    assert_eq!(
        doc["runs"][0]["automationDetails"]["id"],
        "agentid/scan-secrets/shard-2-of-3/"
    );
}

#[test]
fn bad_shards_exit_2() {
    let s = Scratch::new();
    s.write("a.env", format!("T={TOKEN}\n"));
    for (value, message) in [
        ("0/3", "shards are numbered 1 to 3"),
        ("4/3", "shards are numbered 1 to 3"),
        ("x/y", "expected I/N with 1 <= I <= N, such as 1/4"),
        ("3", "expected I/N"),
        ("1/0", "N must be at least 1"),
    ] {
        let (code, _, err) = scan(&s, &["--shard", value]);
        assert_eq!(code, 2, "{value}: {err}");
        assert!(
            err.contains(&format!("invalid value '{value}' for '--shard <I/N>'"))
                && err.contains(message),
            "{value}: {err}"
        );
    }
    let mut c = s.cmd();
    c.args(["scan-secrets", "-", "--shard", "1/2"])
        .write_stdin("x");
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "--shard 1/2 splits the files of a directory walk; it does not apply to `-` (stdin)"
        ),
        "{err}"
    );
    for flag in ["--git", "--history", "--staged"] {
        let (code, _, err) = scan(&s, &["--shard", "1/2", flag]);
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(
            err.contains("--shard 1/2 splits the files of a directory walk; it does not apply to --git, --history or --staged"),
            "{flag}: {err}"
        );
    }
}

// ---------------------------------------------------------------- progress

/// Runs `agentid scan-secrets ARGS` under a pseudo-terminal (util-linux
/// `script`), stdout to a file, and returns what the terminal showed (stderr).
fn on_a_terminal(s: &Scratch, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("agentid");
    let mut c = StdCommand::new("script");
    c.args(["-qec"])
        .arg(format!(
            "{} scan-secrets {args} -o /dev/null",
            bin.display()
        ))
        .arg("/dev/null")
        .current_dir(s.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.path().join("home"))
        .env("TERM", "xterm");
    let out = c
        .output()
        .expect("util-linux `script` runs agentid under a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let s = Scratch::new();
    for i in 0..20 {
        s.write(&format!("d/f{i}.txt"), "nothing to see\n".repeat(100));
    }
    s.write("d/a.env", format!("T={TOKEN}\n"));
    let shown = on_a_terminal(&s, ".");
    assert!(
        shown.contains("scanning: "),
        "progress on a terminal: {shown:?}"
    );
    assert!(shown.contains(" MB/s"), "{shown:?}");
    // The summary line stays after the progress line is cleared.
    assert!(shown.contains("scanned 21 files"), "{shown:?}");

    let quiet = on_a_terminal(&s, ". -q");
    assert!(!quiet.contains("scanning: "), "-q hides it: {quiet:?}");
    // stderr not a terminal: no progress, the summary only.
    let (_, _, err) = scan(&s, &[]);
    assert!(!err.contains("scanning: "), "{err}");
    assert!(err.contains("scanned 21 files"), "{err}");
    assert!(!err.contains('\u{1b}'), "no escape codes: {err:?}");
}
