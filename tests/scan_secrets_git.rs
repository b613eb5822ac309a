//! `agentid scan-secrets --git / --history / --staged` through the binary, on
//! real repositories built with the `git` binary in temp dirs.

mod common;

use std::path::Path;

use common::gitrepo::Repo;
use common::run;
use serde_json::Value;

/// Distinct AWS access key ids (the rule has no checksum: any 16 of A-Z2-7).
const KEY_A: &str = "AKIA2BMVXS5LQZ7RTP4K";
const KEY_B: &str = "AKIA6HNDWQ3JRT2ZKXMV";
const KEY_C: &str = "AKIA3PLMRT6VWX2QZNHK";
const KEY_D: &str = "AKIA7QRSZT4MKWXP2DNV";
const KEY_E: &str = "AKIA5XTRKQ2MZPW3NVJL";

fn env_line(key: &str) -> String {
    format!("AWS_ACCESS_KEY_ID={key}\n")
}

/// sha256 of the secret, first 12 hex: how a report names it.
fn fp(secret: &str) -> String {
    agentid::scan::finding::fingerprint(secret.as_bytes())
}

/// Runs `agentid ARGS -f json` in `dir` and returns (code, report, stderr).
fn json_in(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut c = repo.scratch.cmd();
    c.current_dir(dir)
        .arg("scan-secrets")
        .args(args)
        .args(["-f", "json"]);
    let (code, out, err) = run(c);
    let doc = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}\nstderr: {err}"));
    (code, doc, err)
}

/// `scan-secrets ARGS -f json` at the top of the work tree.
fn scan(repo: &Repo, args: &[&str]) -> (i32, Value, String) {
    json_in(repo, &repo.dir, args)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings")
}

/// The findings of one secret.
fn of<'a>(doc: &'a Value, secret: &str) -> Vec<&'a Value> {
    let fp = fp(secret);
    findings(doc)
        .iter()
        .filter(|f| f["secret"]["fingerprint"] == fp.as_str())
        .collect()
}

/// The single finding of `secret`.
fn one<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    let found = of(doc, secret);
    assert_eq!(found.len(), 1, "{secret}: {found:#?}\n{doc:#}");
    found[0]
}

/// Runs with a non-JSON format and returns (code, stdout, stderr).
fn text(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let mut c = repo.scratch.cmd();
    c.current_dir(&repo.dir).arg("scan-secrets").args(args);
    run(c)
}

#[test]
fn a_secret_added_then_removed_is_found_at_the_adding_commit_with_author_and_date() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("init");
    r.author = ("Mallory", "mallory@example.com");
    r.write("deploy/.env", format!("REGION=eu\n{}", env_line(KEY_A)));
    let added = r.commit("add env");
    let added_date = r.date();
    r.author = ("Alice", "alice@example.com");
    r.remove("deploy/.env");
    r.commit("remove env");

    // The work tree no longer has it.
    let (code, doc, err) = scan(&r, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&doc).is_empty(), "{doc:#}");

    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    let f = one(&doc, KEY_A);
    assert_eq!(f["rule"], "aws-access-key-id");
    assert_eq!(f["path"], "deploy/.env");
    assert_eq!(f["line"], 2);
    assert_eq!(f["origin"]["commit"], added.as_str());
    assert_eq!(f["origin"]["author"], "Mallory <mallory@example.com>");
    assert_eq!(f["origin"]["date"], added_date.as_str());
    let blob = f["origin"]["blob"].as_str().expect("blob id");
    assert_eq!(
        r.git(&["cat-file", "-p", blob]),
        format!("REGION=eu\n{}", env_line(KEY_A)).trim_end()
    );
    let git = &doc["summary"]["git"];
    assert_eq!(git["mode"], "history");
    assert_eq!(git["repositories"][0]["path"], ".");
    assert_eq!(git["repositories"][0]["commits"], 3);
    assert_eq!(git["repositories"][0]["shallow"], false);
    assert_eq!(doc["schema_version"], 1);
    assert!(
        err.contains("blobs of 3 commits"),
        "summary line names blobs and commits: {err}"
    );
}

#[test]
fn a_secret_kept_while_its_file_changes_is_reported_once_at_the_commit_that_added_it() {
    let mut r = Repo::new();
    r.write("app.cfg", "a=1\n");
    r.commit("init");
    r.write("app.cfg", format!("a=1\n{}", env_line(KEY_A)));
    let added = r.commit("key");
    for i in 2..6 {
        r.write("app.cfg", format!("a={i}\n{}", env_line(KEY_A)));
        r.commit(&format!("edit {i}"));
    }
    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    let f = one(&doc, KEY_A);
    assert_eq!(f["origin"]["commit"], added.as_str());
    // Every version was read: 6 blobs of app.cfg.
    assert_eq!(doc["summary"]["files"], 6, "{doc:#}");
}

#[test]
fn a_secret_on_a_side_branch_is_found_and_branch_restricts_the_refs() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("init");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("feature.env", env_line(KEY_B));
    let side = r.commit("feature work");
    r.git(&["checkout", "-q", "main"]);
    r.write("main.txt", "main work\n");
    r.commit("main work");

    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(one(&doc, KEY_B)["origin"]["commit"], side.as_str());

    let (code, doc, err) = scan(&r, &["--git", "--branch", "main"]);
    assert_eq!(code, 0, "{err}");
    assert!(of(&doc, KEY_B).is_empty());
    assert_eq!(doc["summary"]["git"]["branches"][0], "main");

    let (code, doc, _) = scan(&r, &["--git", "--branch", "feature"]);
    assert_eq!(code, 1);
    assert_eq!(one(&doc, KEY_B)["origin"]["commit"], side.as_str());

    // HEAD works as a branch (CI checkouts are detached).
    r.git(&["checkout", "-q", "--detach", "feature"]);
    let (code, doc, _) = scan(&r, &["--git", "--branch", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(one(&doc, KEY_B)["origin"]["commit"], side.as_str());
}

#[test]
fn a_secret_written_while_resolving_a_merge_is_the_merge_commits() {
    let mut r = Repo::new();
    r.write("conf.ini", "x=0\n");
    r.commit("init");
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("conf.ini", "x=1\n");
    r.commit("other");
    r.git(&["checkout", "-q", "main"]);
    r.write("conf.ini", "x=2\n");
    r.commit("main");
    assert!(
        !r.git_ok(&["merge", "-q", "other"]),
        "the merge must conflict"
    );
    r.write("conf.ini", format!("x=3\n{}", env_line(KEY_C)));
    r.clock += 3600;
    r.git(&["add", "conf.ini"]);
    r.git(&["commit", "-q", "--no-edit"]);
    let merge = r.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        r.git(&["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        3
    );

    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(one(&doc, KEY_C)["origin"]["commit"], merge.as_str());
}

#[test]
fn a_renamed_file_is_reported_once_at_its_first_path() {
    let mut r = Repo::new();
    r.write("old/name.env", env_line(KEY_A));
    let first = r.commit("add");
    std::fs::create_dir_all(r.dir.join("new")).expect("mkdir");
    r.git(&["mv", "old/name.env", "new/name.env"]);
    r.commit("rename");
    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    let f = one(&doc, KEY_A);
    assert_eq!(f["path"], "old/name.env");
    assert_eq!(f["origin"]["commit"], first.as_str());
}

#[test]
fn secrets_in_stashes_are_found() {
    let mut r = Repo::new();
    r.write("work.env", "A=1\n");
    r.commit("init");
    r.write("work.env", env_line(KEY_D));
    r.git(&["stash", "-q"]);
    r.write("work.env", env_line(KEY_E));
    r.git(&["stash", "-q"]);
    // Neither is in any branch or in the work tree.
    let (code, doc, _) = scan(&r, &[]);
    assert_eq!(code, 0);
    assert!(findings(&doc).is_empty());

    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    let older = r.git(&["rev-parse", "stash@{1}"]);
    let newer = r.git(&["rev-parse", "stash@{0}"]);
    assert_eq!(one(&doc, KEY_D)["origin"]["commit"], older.as_str());
    assert_eq!(one(&doc, KEY_E)["origin"]["commit"], newer.as_str());
}

#[test]
fn a_file_that_becomes_binary_is_found_as_text_and_counted_as_binary() {
    let mut r = Repo::new();
    r.write("data.bin", env_line(KEY_A));
    let text_commit = r.commit("text");
    let mut bytes = vec![0u8, 1, 2, 3];
    bytes.extend_from_slice(env_line(KEY_B).as_bytes());
    r.write("data.bin", &bytes);
    r.commit("binary");
    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(one(&doc, KEY_A)["origin"]["commit"], text_commit.as_str());
    assert!(of(&doc, KEY_B).is_empty(), "a binary blob is not scanned");
    assert_eq!(doc["summary"]["skipped_binary"], 1);
}

#[test]
fn since_commit_reads_only_later_commits() {
    let mut r = Repo::new();
    r.write("a.env", env_line(KEY_A));
    r.commit("one");
    r.write("b.txt", "nothing\n");
    let base = r.commit("two");
    r.write("c.env", env_line(KEY_B));
    let third = r.commit("three");

    let (code, doc, err) = scan(&r, &["--git", "--since-commit", &base]);
    assert_eq!(code, 1, "{err}");
    assert!(of(&doc, KEY_A).is_empty(), "before the boundary");
    assert_eq!(one(&doc, KEY_B)["origin"]["commit"], third.as_str());
    assert_eq!(doc["summary"]["git"]["since_commit"], base.as_str());
    assert_eq!(doc["summary"]["git"]["repositories"][0]["commits"], 1);

    // A branch name works as REV too.
    r.git(&["branch", "base", &base]);
    let (_, doc, _) = scan(&r, &["--git", "--since-commit", "base"]);
    assert!(of(&doc, KEY_A).is_empty());
    assert_eq!(of(&doc, KEY_B).len(), 1);
}

#[test]
fn a_bare_repository_reads_like_its_work_tree() {
    let mut r = Repo::new();
    r.write("x/creds.env", env_line(KEY_A));
    let c = r.commit("add");
    r.git_outside(&["clone", "-q", "--bare", "repo", "bare.git"]);
    let (code, doc, err) = json_in(&r, r.scratch.path(), &["--git", "bare.git"]);
    assert_eq!(code, 1, "{err}");
    let f = one(&doc, KEY_A);
    assert_eq!(
        f["path"], "bare.git/x/creds.env",
        "labelled under the PATH given"
    );
    assert_eq!(f["origin"]["commit"], c.as_str());

    // A work tree named from outside: its paths are under its name, and its
    // .git names the same repository.
    let (_, doc, _) = json_in(&r, r.scratch.path(), &["--git", "repo"]);
    assert_eq!(one(&doc, KEY_A)["path"], "repo/x/creds.env");
    let (_, doc, _) = json_in(&r, r.scratch.path(), &["--git", "repo/.git"]);
    assert_eq!(one(&doc, KEY_A)["path"], "repo/x/creds.env");
}

#[test]
fn a_shallow_clone_scans_what_it_has_and_warns() {
    let mut r = Repo::new();
    r.write("old.env", env_line(KEY_A));
    r.commit("old");
    r.remove("old.env");
    r.write("new.env", env_line(KEY_B));
    let tip = r.commit("new");
    let url = format!("file://{}", r.dir.display());
    r.git_outside(&["clone", "-q", "--depth", "1", &url, "shallow"]);
    let dir = r.scratch.path().join("shallow");
    let (code, doc, err) = json_in(&r, &dir, &["--git"]);
    assert_eq!(code, 1, "{err}");
    assert!(of(&doc, KEY_A).is_empty(), "beyond the boundary");
    assert_eq!(one(&doc, KEY_B)["origin"]["commit"], tip.as_str());
    assert_eq!(doc["summary"]["git"]["repositories"][0]["shallow"], true);
    assert!(
        err.contains("warning: .: a shallow clone") && err.contains("fetch-depth: 0"),
        "{err}"
    );
    // -q silences the warning, not the result.
    let mut c = r.scratch.cmd();
    c.current_dir(&dir)
        .args(["-q", "scan-secrets", "--git", "-f", "json"]);
    let (code, _, err) = run(c);
    assert_eq!((code, err.as_str()), (1, ""));
}

#[test]
fn an_empty_repository_is_no_findings_not_an_error() {
    let r = Repo::new();
    let (code, doc, err) = scan(&r, &["--git"]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&doc).is_empty());
    assert_eq!(doc["summary"]["git"]["repositories"][0]["commits"], 0);
    assert_eq!(doc["summary"]["files"], 0);
    let (code, _, err) = scan(&r, &["--staged"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn history_scans_repositories_and_walks_the_rest() {
    let mut r = Repo::new();
    r.write("gone.env", env_line(KEY_A));
    r.commit("add");
    r.remove("gone.env");
    r.commit("remove");
    r.scratch.write("plain/here.env", env_line(KEY_B));
    let (code, doc, err) = json_in(&r, r.scratch.path(), &["--history", "repo", "plain"]);
    assert_eq!(code, 1, "{err}");
    let hist = one(&doc, KEY_A);
    assert_eq!(hist["path"], "repo/gone.env");
    assert!(hist["origin"]["commit"].is_string());
    let file = one(&doc, KEY_B);
    assert_eq!(file["path"], "plain/here.env");
    assert!(file.get("origin").is_none(), "a file has no commit: {file}");
    let repos = doc["summary"]["git"]["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 1, "only the repository is in summary.git");

    // --git refuses the directory that is not a repository.
    let (code, out, err) = {
        let mut c = r.scratch.cmd();
        c.args(["scan-secrets", "--git", "repo", "plain"]);
        run(c)
    };
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: plain: not a git repository"),
        "{err}"
    );
}

#[test]
fn include_and_exclude_apply_to_history_paths() {
    let mut r = Repo::new();
    r.write("vendor/lib/k.env", env_line(KEY_A));
    r.write("src/k.env", env_line(KEY_B));
    r.write("src/k.py", format!("KEY = \"{KEY_C}\"\n"));
    r.commit("add");
    let (_, doc, _) = scan(&r, &["--git", "--exclude", "vendor/"]);
    assert!(of(&doc, KEY_A).is_empty());
    assert_eq!(of(&doc, KEY_B).len(), 1);
    assert_eq!(doc["summary"]["git"]["repositories"][0]["filtered"], 1);
    let (_, doc, _) = scan(&r, &["--git", "--include", "*.py"]);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(of(&doc, KEY_C).len(), 1);
    let (code, _, err) = text(&r, &["--git", "--include", "a{"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: --include \"a{\""), "{err}");
}

#[test]
fn history_findings_in_table_jsonl_and_csv_carry_the_commit() {
    let mut r = Repo::new();
    r.write("k.env", env_line(KEY_A));
    let c = r.commit("add");

    let (code, out, _) = text(&r, &["--git", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(out.contains("k.env:1:19"), "{out}");
    assert!(
        out.contains(&format!(
            "commit {} 2024-01-01 Alice <alice@example.com>",
            &c[..12]
        )),
        "{out}"
    );

    let (_, out, _) = text(&r, &["--git", "-f", "jsonl"]);
    let line: Value = serde_json::from_str(out.lines().next().expect("a line")).unwrap();
    assert_eq!(line["kind"], "agentid.secret_finding");
    assert_eq!(line["origin"]["commit"], c.as_str());

    let (_, out, _) = text(&r, &["--git", "-f", "csv"]);
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let row = rd.records().next().expect("a row").unwrap();
    let col = |name: &str| {
        let i = headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"));
        row[i].to_string()
    };
    assert_eq!(col("commit"), c);
    assert_eq!(col("author"), "Alice <alice@example.com>");
    assert_eq!(col("date"), r.date());
    assert_eq!(col("path"), "k.env");
    // The columns of a file scan are still first, in their order.
    assert_eq!(
        &headers.iter().take(3).collect::<Vec<_>>(),
        &["schema_version", "rule", "severity"]
    );
}

#[test]
fn bad_git_input_exits_2_with_one_line() {
    let mut r = Repo::new();
    r.write("a.txt", "a\n");
    r.commit("one");
    std::fs::create_dir_all(r.dir.join("sub")).unwrap();
    r.scratch.write("notrepo/x.txt", "x\n");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--git", "../notrepo"],
            "../notrepo: not a git repository",
        ),
        (
            vec!["--git", "missing"],
            "missing: not a git repository (no such file or directory)",
        ),
        (vec!["--git", "sub"], "it is inside the work tree"),
        (
            vec!["--git", "--since-commit", "nope"],
            "since-commit \"nope\" does not name a commit",
        ),
        (vec!["--git", "--branch", "nope"], "unknown branch \"nope\""),
        (
            vec!["--since-commit", "HEAD"],
            "--since-commit needs --git or --history",
        ),
        (
            vec!["--branch", "main"],
            "--branch needs --git or --history",
        ),
        (vec!["--git", "-"], "(stdin) is a stream, not a repository"),
        (
            vec!["--staged", "../notrepo"],
            "../notrepo: not a git repository",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = text(&r, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: want {want:?} in {err}");
    }
    // Flags that cannot go together are refused by the parser (exit 2).
    for args in [
        vec!["--staged", "--git"],
        vec!["--git", "--history"],
        vec!["--staged", "--since-commit", "HEAD"],
    ] {
        let (code, _, err) = text(&r, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("cannot be used with"), "{args:?}: {err}");
    }
}

#[test]
fn a_corrupt_repository_exits_3() {
    let mut r = Repo::new();
    r.write("a.txt", "some text that is stored as a loose object\n");
    r.commit("one");
    let blob = r.git(&["rev-parse", "HEAD:a.txt"]);
    let obj = r.dir.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(&obj).expect("remove the loose blob");
    let (code, out, err) = text(&r, &["--git"]);
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("corrupt repository"), "{err}");
}

// --- --staged ---------------------------------------------------------------

#[test]
fn staged_finds_the_staged_content_with_its_path() {
    let mut r = Repo::new();
    r.write("README.md", "hi\n");
    r.commit("init");
    r.write("conf/app.env", env_line(KEY_A));
    r.git(&["add", "conf/app.env"]);
    // The work tree file changes after staging: the staged blob is what counts.
    r.write("conf/app.env", "AWS_ACCESS_KEY_ID=${FROM_VAULT}\n");
    let (code, doc, err) = scan(&r, &["--staged"]);
    assert_eq!(code, 1, "{err}");
    let f = one(&doc, KEY_A);
    assert_eq!(f["path"], "conf/app.env");
    assert!(f.get("origin").is_none(), "not committed yet: {f}");
    assert_eq!(doc["summary"]["git"]["mode"], "staged");
    assert_eq!(doc["summary"]["files"], 1);
    assert!(err.contains("scanned 1 staged file"), "{err}");
}

#[test]
fn staged_ignores_unstaged_changes_and_unchanged_files() {
    let mut r = Repo::new();
    r.write("old.env", env_line(KEY_A)); // committed: history's business, not the commit's
    r.write("app.py", "x = 1\n");
    r.commit("init");
    r.write("app.py", format!("x = 1\nKEY = \"{KEY_B}\"\n")); // not staged
    r.write("new.txt", "clean\n");
    r.git(&["add", "new.txt"]);
    let (code, doc, err) = scan(&r, &["--staged"]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["files"], 1, "only new.txt is staged");
}

#[test]
fn a_staged_deletion_is_not_scanned() {
    let mut r = Repo::new();
    r.write("leak.env", env_line(KEY_A));
    r.commit("oops");
    r.git(&["rm", "-q", "leak.env"]);
    let (code, doc, err) = scan(&r, &["--staged"]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&doc).is_empty());
    assert_eq!(doc["summary"]["files"], 0);
}

#[test]
fn staged_in_a_fresh_repository_reads_every_index_entry() {
    let r = Repo::new();
    r.write("a.env", env_line(KEY_A));
    r.write("b.txt", "nothing\n");
    r.git(&["add", "-A"]);
    let (code, doc, err) = scan(&r, &["--staged"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(one(&doc, KEY_A)["path"], "a.env");
    assert_eq!(doc["summary"]["files"], 2);
}

#[test]
fn staged_honours_fail_on_as_a_hook_would() {
    let r = Repo::new();
    // An ASIA (temporary) key id is low severity.
    r.write("t.env", "AWS_ACCESS_KEY_ID=ASIA2BMVXS5LQZ7RTP4K\n");
    r.git(&["add", "-A"]);
    let (code, _, err) = text(&r, &["--staged", "--fail-on", "high"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = text(&r, &["--staged"]);
    assert_eq!(code, 1);
    assert!(out.contains("t.env:1:19"), "{out}");
}

/// The history parts of the JSON report, read strictly: a field added or
/// renamed by accident fails here (the report's other fields are ignored).
#[test]
fn history_fields_have_exactly_the_documented_shape() {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Origin {
        commit: String,
        author: String,
        date: String,
        blob: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Repository {
        path: String,
        commits: u64,
        blobs: u64,
        scanned: u64,
        filtered: u64,
        missing: u64,
        shallow: bool,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Git {
        mode: String,
        #[serde(default)]
        since_commit: Option<String>,
        #[serde(default)]
        branches: Vec<String>,
        repositories: Vec<Repository>,
    }

    let mut r = Repo::new();
    r.write("a.env", env_line(KEY_A));
    let base = r.commit("one");
    r.write("b.env", env_line(KEY_B));
    r.commit("two");
    let (_, doc, _) = scan(&r, &["--git", "--since-commit", &base, "--branch", "main"]);
    let git: Git = serde_json::from_value(doc["summary"]["git"].clone()).expect("summary.git");
    assert_eq!(git.mode, "history");
    assert_eq!(git.since_commit.as_deref(), Some(base.as_str()));
    assert_eq!(git.branches, ["main"]);
    assert_eq!(git.repositories.len(), 1);
    assert_eq!(
        (git.repositories[0].commits, git.repositories[0].scanned),
        (1, 1)
    );
    for f in findings(&doc) {
        let o: Origin = serde_json::from_value(f["origin"].clone()).expect("origin");
        assert_eq!(o.blob.len(), 40);
    }
    assert_eq!(findings(&doc).len(), 1);
}
