//! The git-history reader (`agentid::scan::git`) on real repositories built
//! with the `git` binary in temp dirs: isolated from the user's config
//! (HOME in the scratch dir, no system config), fixed identities and dates.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentid::scan::git::{self, BlobOrigin, GitError, HistoryOptions, HistoryStats, StagedBlob};
use common::Scratch;

/// First commit date: 2024-01-01T00:00:00Z; each commit one hour later.
const EPOCH: i64 = 1_704_067_200;

/// A repository driven by the `git` binary with deterministic dates.
struct Repo {
    scratch: Scratch,
    dir: PathBuf,
    clock: i64,
    author: (&'static str, &'static str),
}

fn git_in(scratch: &Scratch, dir: &Path, args: &[&str], date: i64, author: (&str, &str)) -> String {
    common::gitrepo::git_at(scratch, dir, args, date, author)
        .unwrap_or_else(|e| panic!("git {args:?} failed: {e}"))
}

impl Repo {
    /// `git init` of a work tree with branch `main`.
    fn new() -> Self {
        Self::init(&["init", "-q", "-b", "main", "repo"], "repo")
    }

    fn init(args: &[&str], name: &str) -> Self {
        let scratch = Scratch::new();
        let dir = scratch.path().join(name);
        git_in(
            &scratch,
            scratch.path(),
            args,
            EPOCH,
            ("x", "x@example.com"),
        );
        Repo {
            scratch,
            dir,
            clock: EPOCH,
            author: ("Alice", "alice@example.com"),
        }
    }

    fn path(&self) -> &Path {
        &self.dir
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(&self.scratch, &self.dir, args, self.clock, self.author)
    }

    /// Like `git`, but a failure is returned (a merge that conflicts).
    fn git_may_fail(&self, args: &[&str]) -> bool {
        let mut cmd = Command::new("git");
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("GIT_") {
                cmd.env_remove(k);
            }
        }
        let date = format!("@{} +0000", self.clock);
        cmd.current_dir(&self.dir)
            .args(args)
            .env("HOME", self.scratch.path().join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.author.0)
            .env("GIT_AUTHOR_EMAIL", self.author.1)
            .env("GIT_COMMITTER_NAME", self.author.0)
            .env("GIT_COMMITTER_EMAIL", self.author.1)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("run git")
            .status
            .success()
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        let p = self.dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.dir.join(name)).expect("remove");
    }

    /// Stages everything and commits one hour after the previous commit.
    fn commit(&mut self, msg: &str) -> String {
        self.clock += 3600;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn date(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_second(self.clock).expect("date")
    }
}

/// Every call of `on_blob`: origin and content.
struct Seen {
    stats: HistoryStats,
    blobs: Vec<(BlobOrigin, String)>,
}

impl Seen {
    /// Blobs whose content contains `needle`.
    fn with(&self, needle: &str) -> Vec<&BlobOrigin> {
        self.blobs
            .iter()
            .filter(|(_, text)| text.contains(needle))
            .map(|(o, _)| o)
            .collect()
    }

    /// The single blob containing `needle`.
    fn one(&self, needle: &str) -> &BlobOrigin {
        let found = self.with(needle);
        assert_eq!(found.len(), 1, "{needle}: {found:#?}");
        found[0]
    }

    fn paths(&self) -> BTreeSet<String> {
        self.blobs.iter().map(|(o, _)| o.path.clone()).collect()
    }
}

fn scan_opts(repo: &Path, opts: &HistoryOptions) -> Result<Seen, GitError> {
    let blobs = Mutex::new(Vec::new());
    let stats = git::scan_history(repo, opts, |origin, data| {
        let text = String::from_utf8_lossy(data).into_owned();
        blobs.lock().expect("lock").push((origin.clone(), text));
    })?;
    let mut blobs = blobs.into_inner().expect("lock");
    blobs.sort_by(|a, b| a.0.blob.cmp(&b.0.blob));
    let ids: BTreeSet<&str> = blobs.iter().map(|(o, _)| o.blob.as_str()).collect();
    assert_eq!(ids.len(), blobs.len(), "a blob was passed on twice");
    assert_eq!(stats.scanned as usize, blobs.len());
    Ok(Seen { stats, blobs })
}

fn scan(repo: &Path) -> Seen {
    scan_opts(repo, &HistoryOptions::default()).expect("scan")
}

fn since(rev: &str) -> HistoryOptions {
    HistoryOptions {
        since: Some(rev.to_string()),
        ..HistoryOptions::default()
    }
}

fn branches(names: &[&str]) -> HistoryOptions {
    HistoryOptions {
        branches: names.iter().map(|s| s.to_string()).collect(),
        ..HistoryOptions::default()
    }
}

#[test]
fn a_secret_added_then_removed_is_found_at_the_adding_commit() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("init");
    r.author = ("Bob Builder", "bob@example.com");
    r.write(
        "config/app.env",
        "DEBUG=1\nTOKEN=secret-added-then-removed\n",
    );
    let adding = r.commit("add config");
    let added_at = r.date();
    r.author = ("Alice", "alice@example.com");
    r.write("config/app.env", "DEBUG=1\n");
    r.commit("remove the token");
    r.remove("config/app.env");
    r.commit("remove config");

    let seen = scan(r.path());
    let o = seen.one("secret-added-then-removed");
    assert_eq!(o.commit, adding);
    assert_eq!(o.path, "config/app.env");
    assert_eq!(o.author, "Bob Builder <bob@example.com>");
    assert_eq!(o.date, added_at);
    assert_eq!(
        o.blob,
        r.git(&["rev-parse", &format!("{adding}:config/app.env")])
    );
    assert_eq!(seen.stats.commits, 4);
    assert_eq!(seen.stats.blobs, 3); // README, env with token, env without
    assert!(!seen.stats.shallow);
}

#[test]
fn a_secret_on_a_side_branch_only_is_found() {
    let mut r = Repo::new();
    r.write("a.txt", "base\n");
    r.commit("init");
    r.git(&["switch", "-q", "-c", "feature"]);
    r.write("b.txt", "key = secret-on-side-branch\n");
    let side = r.commit("side");
    r.git(&["switch", "-q", "main"]);
    r.write("a.txt", "base 2\n");
    r.commit("main moves on");

    let seen = scan(r.path());
    let o = seen.one("secret-on-side-branch");
    assert_eq!(
        (o.commit.as_str(), o.path.as_str()),
        (side.as_str(), "b.txt")
    );
    assert_eq!(seen.stats.commits, 3);
}

#[test]
fn a_secret_written_while_resolving_a_merge_conflict_is_the_merge_commits() {
    let mut r = Repo::new();
    r.write("settings.ini", "password = one\n");
    r.commit("init");
    r.git(&["switch", "-q", "-c", "feature"]);
    r.write("settings.ini", "password = two\n");
    r.commit("feature");
    r.git(&["switch", "-q", "main"]);
    r.write("settings.ini", "password = three\n");
    r.commit("main");
    r.clock += 3600;
    assert!(
        !r.git_may_fail(&["merge", "-q", "feature"]),
        "the merge must conflict"
    );
    r.write(
        "settings.ini",
        "password = secret-from-conflict-resolution\n",
    );
    r.git(&["add", "settings.ini"]);
    r.git(&["commit", "-q", "--no-edit"]);
    let merge = r.git(&["rev-parse", "HEAD"]);
    assert_eq!(r.git(&["rev-list", "--merges", "HEAD"]), merge);

    let seen = scan(r.path());
    let o = seen.one("secret-from-conflict-resolution");
    assert_eq!(o.commit, merge);
    assert_eq!(o.path, "settings.ini");
    assert_eq!(seen.stats.commits, 4);
    // Each branch's own version belongs to that branch's commit.
    assert_ne!(seen.one("password = two").commit, merge);
    assert_ne!(seen.one("password = three").commit, merge);
}

#[test]
fn a_renamed_or_copied_file_is_read_once_at_its_first_path() {
    let mut r = Repo::new();
    r.write("old/name.txt", "api_key = secret-in-renamed-file\n");
    let added = r.commit("add");
    r.git(&["mv", "old/name.txt", "new-name.txt"]);
    r.commit("rename");
    r.write("copy/of/it.txt", "api_key = secret-in-renamed-file\n");
    r.commit("copy");

    let seen = scan(r.path());
    let o = seen.one("secret-in-renamed-file");
    assert_eq!(
        (o.commit.as_str(), o.path.as_str()),
        (added.as_str(), "old/name.txt")
    );
    assert_eq!(seen.stats.blobs, 1);
    assert_eq!(seen.stats.commits, 3);
}

#[test]
fn secrets_in_stashes_are_found_including_older_stashes() {
    let mut r = Repo::new();
    r.write("app.py", "print('hi')\n");
    r.write("staged.py", "x = 1\n");
    r.commit("init");
    // Older stash: a work-tree change.
    r.clock += 3600;
    r.write("app.py", "TOKEN = 'secret-in-older-stash'\n");
    r.git(&["stash", "push", "-q"]);
    // Newest stash: a work-tree change, a staged change and an untracked file.
    r.clock += 3600;
    r.write("app.py", "TOKEN = 'secret-in-stash-worktree'\n");
    r.write("staged.py", "x = 'secret-in-stash-index'\n");
    r.git(&["add", "staged.py"]);
    r.write("untracked.txt", "secret-in-stash-untracked\n");
    r.git(&["stash", "push", "-q", "--include-untracked"]);
    assert_eq!(r.git(&["stash", "list"]).lines().count(), 2);

    let seen = scan(r.path());
    let stash = r.git(&["rev-parse", "stash@{0}"]);
    let index = r.git(&["rev-parse", "stash@{0}^2"]);
    let untracked = r.git(&["rev-parse", "stash@{0}^3"]);
    let older = r.git(&["rev-parse", "stash@{1}"]);
    assert_eq!(seen.one("secret-in-stash-worktree").commit, stash);
    assert_eq!(seen.one("secret-in-stash-index").commit, index);
    let u = seen.one("secret-in-stash-untracked");
    assert_eq!(
        (u.commit.as_str(), u.path.as_str()),
        (untracked.as_str(), "untracked.txt")
    );
    assert_eq!(seen.one("secret-in-older-stash").commit, older);
}

#[test]
fn a_file_that_becomes_binary_is_scanned_as_text_and_skipped_as_binary() {
    let mut r = Repo::new();
    r.write("blob.dat", "secret-before-binary\n");
    let text = r.commit("text");
    let mut bin = b"\x00\x01\x02 binary ".to_vec();
    bin.extend_from_slice(b"secret-inside-binary\n");
    r.write("blob.dat", bin);
    r.commit("binary");

    let seen = scan(r.path());
    assert_eq!(seen.one("secret-before-binary").commit, text);
    assert!(seen.with("secret-inside-binary").is_empty());
    assert_eq!(seen.stats.skipped_binary, 1);
    assert_eq!(seen.stats.blobs, 2);
    assert_eq!(seen.stats.scanned, 1);
}

#[test]
fn a_nul_after_the_first_8_kib_is_still_text() {
    let mut r = Repo::new();
    let mut text = "a".repeat(git::BINARY_SNIFF_LEN).into_bytes();
    text.extend_from_slice(b"\x00secret-after-late-nul\n");
    r.write("late.txt", text);
    r.commit("late nul");
    let seen = scan(r.path());
    seen.one("secret-after-late-nul");
    assert_eq!(seen.stats.skipped_binary, 0);
}

#[test]
fn oversized_blobs_are_skipped_and_counted() {
    let mut r = Repo::new();
    r.write("small.txt", "secret-small\n");
    r.write("big.txt", format!("{}secret-big\n", "b".repeat(5000)));
    r.commit("sizes");
    let opts = HistoryOptions {
        max_blob_size: 1000,
        ..HistoryOptions::default()
    };
    let seen = scan_opts(r.path(), &opts).expect("scan");
    seen.one("secret-small");
    assert!(seen.with("secret-big").is_empty());
    assert_eq!(seen.stats.skipped_oversized, 1);
    assert_eq!(seen.stats.bytes, "secret-small\n".len() as u64);
}

#[test]
fn since_commit_reads_only_commits_not_reachable_from_it() {
    let mut r = Repo::new();
    r.write("unchanged.txt", "secret-unchanged-since-c1\n");
    r.write("a.txt", "secret-one\n");
    let c1 = r.commit("one");
    r.write("a.txt", "secret-two\n");
    let c2 = r.commit("two");
    r.write("b.txt", "secret-three\n");
    let c3 = r.commit("three");
    r.git(&["tag", "v1", &c1]);

    let seen = scan_opts(r.path(), &since(&c1)).expect("scan");
    assert!(seen.with("secret-one").is_empty());
    assert!(seen.with("secret-unchanged-since-c1").is_empty());
    assert_eq!(seen.one("secret-two").commit, c2);
    assert_eq!(seen.one("secret-three").commit, c3);
    assert_eq!(seen.stats.commits, 2);

    // Any revision git would accept: a tag, a relative name.
    let by_tag = scan_opts(r.path(), &since("v1")).expect("scan");
    assert_eq!(by_tag.stats.commits, 2);
    let last = scan_opts(r.path(), &since("main~1")).expect("scan");
    assert_eq!(last.stats.commits, 1);
    assert_eq!(last.paths(), BTreeSet::from(["b.txt".to_string()]));
    // Since the tip: nothing new.
    let none = scan_opts(r.path(), &since("HEAD")).expect("scan");
    assert_eq!((none.stats.commits, none.stats.blobs), (0, 0));
}

#[test]
fn since_commit_reports_content_restored_after_the_boundary() {
    let mut r = Repo::new();
    r.write("a.txt", "secret-restored\n");
    r.commit("one");
    r.write("a.txt", "clean\n");
    let c2 = r.commit("two");
    r.write("a.txt", "secret-restored\n");
    let c3 = r.commit("revert");
    // The blob is older than c2, but not in c2's tree: c3 brings it back.
    let seen = scan_opts(r.path(), &since(&c2)).expect("scan");
    assert_eq!(seen.one("secret-restored").commit, c3);
}

#[test]
fn branches_restrict_the_refs_read() {
    let mut r = Repo::new();
    r.write("base.txt", "secret-base\n");
    let base = r.commit("base");
    r.git(&["switch", "-q", "-c", "feature"]);
    r.write("f.txt", "secret-feature\n");
    r.commit("feature");
    r.git(&["switch", "-q", "main"]);
    r.write("m.txt", "secret-main\n");
    r.commit("main");
    r.git(&["tag", "-a", "-m", "release", "v2", "feature"]);

    let feature = scan_opts(r.path(), &branches(&["feature"])).expect("scan");
    assert_eq!(feature.one("secret-base").commit, base);
    feature.one("secret-feature");
    assert!(feature.with("secret-main").is_empty());
    assert_eq!(feature.stats.tips, 1);

    let main = scan_opts(r.path(), &branches(&["refs/heads/main"])).expect("scan");
    main.one("secret-main");
    assert!(main.with("secret-feature").is_empty());

    let tag = scan_opts(r.path(), &branches(&["v2"])).expect("scan");
    tag.one("secret-feature");

    let both = scan_opts(r.path(), &branches(&["main", "feature"])).expect("scan");
    assert_eq!(both.stats.commits, 3);

    let err = scan_opts(r.path(), &branches(&["main", "no-such-branch"]))
        .err()
        .expect("error");
    assert!(matches!(err, GitError::UnknownBranch { .. }), "{err}");
    assert!(err.is_bad_input());
    let msg = err.to_string();
    assert!(
        msg.contains("no-such-branch") && msg.contains(&r.path().display().to_string()),
        "{msg}"
    );
}

#[test]
fn refs_outside_branches_are_read_detached_head_and_tags() {
    let mut r = Repo::new();
    r.write("a.txt", "a\n");
    let c1 = r.commit("one");
    // A commit reachable only from an annotated tag.
    r.git(&["switch", "-q", "--detach"]);
    r.write("tagged.txt", "secret-only-tagged\n");
    let tagged = r.commit("tagged");
    r.git(&["tag", "-a", "-m", "t", "only-tag"]);
    // A commit reachable only from the detached HEAD.
    r.git(&["switch", "-q", "--detach", &c1]);
    r.write("detached.txt", "secret-only-detached\n");
    let detached = r.commit("detached");
    // A tag of a blob is no commit: not followed, not an error.
    let blob = r.git(&["rev-parse", "HEAD:a.txt"]);
    r.git(&["tag", "blob-tag", &blob]);

    let seen = scan(r.path());
    assert_eq!(seen.one("secret-only-tagged").commit, tagged);
    assert_eq!(seen.one("secret-only-detached").commit, detached);
    assert_eq!(seen.stats.commits, 3);
}

#[test]
fn a_shallow_clone_reads_what_it_has_and_attributes_it_to_the_boundary() {
    let mut src = Repo::new();
    src.write("a.txt", "secret-in-history-only\n");
    src.commit("one");
    src.write("a.txt", "clean\n");
    src.write("keep.txt", "secret-still-there\n");
    src.commit("two");
    src.write("b.txt", "b\n");
    let tip = src.commit("three");

    let url = format!("file://{}", src.path().display());
    git_in(
        &src.scratch,
        src.scratch.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        src.clock,
        src.author,
    );
    let shallow = src.scratch.path().join("shallow");
    assert!(shallow.join(".git/shallow").exists());

    let seen = scan(&shallow);
    assert!(seen.stats.shallow);
    assert_eq!(seen.stats.commits, 1);
    assert!(seen.with("secret-in-history-only").is_empty());
    let o = seen.one("secret-still-there");
    assert_eq!(
        (o.commit.as_str(), o.path.as_str()),
        (tip.as_str(), "keep.txt")
    );

    // since-commit at the boundary itself: nothing new.
    let none = scan_opts(&shallow, &since(&tip)).expect("scan");
    assert_eq!(none.stats.blobs, 0);
}

#[test]
fn remote_branches_are_read_and_a_dangling_origin_head_is_skipped() {
    let mut src = Repo::new();
    src.write("a.txt", "a\n");
    src.commit("one");
    src.git(&["switch", "-q", "-c", "side"]);
    src.write("side.txt", "secret-on-remote-branch\n");
    let side = src.commit("side");
    src.git(&["switch", "-q", "main"]);
    let url = format!("file://{}", src.path().display());
    let s = &src.scratch;
    git_in(
        s,
        s.path(),
        &["clone", "-q", &url, "clone"],
        src.clock,
        src.author,
    );
    let clone = s.path().join("clone");
    // Only refs/remotes/origin/side holds the side commit.
    git_in(
        s,
        &clone,
        &["show-ref", "--verify", "refs/remotes/origin/side"],
        src.clock,
        src.author,
    );
    assert_eq!(scan(&clone).one("secret-on-remote-branch").commit, side);
    // origin/HEAD -> origin/main, and origin/main is gone: skipped, as git does.
    git_in(
        s,
        &clone,
        &["update-ref", "-d", "refs/remotes/origin/main"],
        src.clock,
        src.author,
    );
    assert_eq!(scan(&clone).one("secret-on-remote-branch").commit, side);
}

#[test]
fn a_partial_clone_counts_the_blobs_it_never_fetched() {
    let mut src = Repo::new();
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    src.write("a.txt", "secret-old-version\n");
    src.commit("one");
    src.write("a.txt", "secret-new-version\n");
    src.commit("two");
    let url = format!("file://{}", src.path().display());
    let s = &src.scratch;
    git_in(
        s,
        s.path(),
        &["clone", "-q", "--filter=blob:none", &url, "partial"],
        src.clock,
        src.author,
    );
    let seen = scan(&s.path().join("partial"));
    seen.one("secret-new-version"); // fetched by the checkout
    assert!(seen.with("secret-old-version").is_empty());
    assert_eq!(seen.stats.skipped_missing, 1);
}

#[test]
fn a_bare_repository_reads_like_its_work_tree() {
    let mut src = Repo::new();
    src.write("a.txt", "secret-one\n");
    src.commit("one");
    src.git(&["switch", "-q", "-c", "side"]);
    src.write("b.txt", "secret-two\n");
    src.commit("two");
    let url = format!("file://{}", src.path().display());
    git_in(
        &src.scratch,
        src.scratch.path(),
        &["clone", "-q", "--bare", &url, "bare.git"],
        src.clock,
        src.author,
    );

    let bare = src.scratch.path().join("bare.git");
    assert!(git::is_repository(&bare));
    let key = |s: &Seen| -> BTreeMap<String, (String, String)> {
        s.blobs
            .iter()
            .map(|(o, _)| (o.blob.clone(), (o.commit.clone(), o.path.clone())))
            .collect()
    };
    let from_bare = scan(&bare);
    assert_eq!(key(&from_bare), key(&scan(src.path())));
    from_bare.one("secret-two");
}

#[test]
fn an_empty_repository_is_zero_blobs_not_an_error() {
    let r = Repo::new();
    let seen = scan(r.path());
    assert_eq!(seen.stats, HistoryStats::default());
    let bare = Repo::init(&["init", "-q", "--bare", "empty.git"], "empty.git");
    assert_eq!(scan(bare.path()).stats, HistoryStats::default());
    // Nothing staged either, index or not.
    let staged =
        git::staged(r.path(), u64::MAX, |_, _| panic!("nothing is staged")).expect("staged");
    assert_eq!(staged, HistoryStats::default());
    let staged = git::staged(bare.path(), u64::MAX, |_, _| panic!("bare")).expect("staged");
    assert_eq!(staged, HistoryStats::default());
}

#[test]
fn a_directory_that_is_not_a_repository_is_bad_input() {
    let s = Scratch::new();
    let plain = s.path().join("plain");
    std::fs::create_dir_all(&plain).expect("mkdir");
    assert!(!git::is_repository(&plain));
    for path in [plain.clone(), s.path().join("missing")] {
        let err = scan_opts(&path, &HistoryOptions::default())
            .err()
            .expect("error");
        assert!(matches!(err, GitError::NotARepository { .. }), "{err}");
        assert!(err.is_bad_input());
        let msg = err.to_string();
        assert!(msg.starts_with(&path.display().to_string()), "{msg}");
        assert!(msg.contains("not a git repository"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        let staged = git::staged(&path, u64::MAX, |_, _| {}).expect_err("error");
        assert!(staged.is_bad_input(), "{staged}");
    }
}

#[test]
fn a_subdirectory_of_a_work_tree_is_not_the_repository_and_says_where_it_is() {
    let mut r = Repo::new();
    r.write("sub/a.txt", "a\n");
    r.commit("one");
    let err = scan_opts(&r.path().join("sub"), &HistoryOptions::default())
        .err()
        .expect("error");
    assert!(matches!(err, GitError::NotARepository { .. }), "{err}");
    let top = std::fs::canonicalize(r.path()).expect("canonical");
    assert!(
        err.to_string()
            .contains(&format!("inside the work tree {}", top.display())),
        "{err}"
    );
    assert!(git::is_repository(r.path()) && git::is_repository(&r.path().join(".git")));
}

#[test]
fn a_bad_since_commit_is_bad_input_naming_the_revision() {
    let mut r = Repo::new();
    r.write("a.txt", "a\n");
    r.commit("one");
    for rev in [
        "no-such-rev",
        "HEAD~5",
        "HEAD:a.txt",
        "0123456789abcdef0123456789abcdef01234567",
    ] {
        let err = scan_opts(r.path(), &since(rev)).err().expect("error");
        assert!(matches!(err, GitError::BadRevision { .. }), "{rev}: {err}");
        assert!(err.is_bad_input());
        let msg = err.to_string();
        assert!(
            msg.contains(rev) && msg.contains(&r.path().display().to_string()),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "{msg}");
    }
}

#[test]
fn a_missing_object_is_a_corrupt_repository_not_bad_input() {
    let mut r = Repo::new();
    r.write("a.txt", "will vanish\n");
    r.commit("one");
    let blob = r.git(&["rev-parse", "HEAD:a.txt"]);
    let loose = r
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(loose).expect("remove the loose blob");

    let err = scan_opts(r.path(), &HistoryOptions::default())
        .err()
        .expect("error");
    assert!(matches!(err, GitError::Corrupt { .. }), "{err}");
    assert!(!err.is_bad_input());
    let msg = err.to_string();
    assert!(msg.contains(&blob) && msg.contains("a.txt"), "{msg}");
    assert!(msg.starts_with(&r.path().display().to_string()), "{msg}");
}

fn staged_of(repo: &Path) -> (HistoryStats, BTreeMap<String, String>) {
    let found = Mutex::new(BTreeMap::new());
    let stats = git::staged(repo, u64::MAX, |b: &StagedBlob, data| {
        let prev = found
            .lock()
            .expect("lock")
            .insert(b.path.clone(), String::from_utf8_lossy(data).into_owned());
        assert!(prev.is_none(), "{} twice", b.path);
    })
    .expect("staged");
    (stats, found.into_inner().expect("lock"))
}

#[test]
fn staged_reads_only_index_blobs_that_differ_from_head() {
    let mut r = Repo::new();
    r.write("same.txt", "unchanged\n");
    r.write("edit.txt", "old\n");
    r.write("worktree-only.txt", "committed\n");
    r.write("gone.txt", "deleted\n");
    r.commit("init");
    r.write("edit.txt", "secret-staged-edit\n");
    r.write("new/file.txt", "secret-staged-new\n");
    r.git(&["add", "edit.txt", "new/file.txt"]);
    r.git(&["rm", "-q", "gone.txt"]);
    r.write("worktree-only.txt", "secret-not-staged\n");
    r.git(&["mv", "same.txt", "moved.txt"]);

    let (stats, found) = staged_of(r.path());
    let paths: Vec<&str> = found.keys().map(String::as_str).collect();
    // A moved file is at a new path: it is what the commit adds there.
    assert_eq!(paths, ["edit.txt", "moved.txt", "new/file.txt"]);
    assert_eq!(found["edit.txt"], "secret-staged-edit\n");
    assert_eq!(stats.scanned, 3);
    assert_eq!(stats.commits, 0);
}

#[test]
fn staged_without_head_reads_every_index_entry() {
    let r = Repo::new();
    r.write("a.txt", "secret-first-commit\n");
    r.write("b/c.txt", "same\n");
    r.write("b/d.txt", "same\n");
    r.git(&["add", "-A"]);
    let (stats, found) = staged_of(r.path());
    // Two paths, one blob: read once, at the first path.
    assert_eq!(
        found.keys().map(String::as_str).collect::<Vec<_>>(),
        ["a.txt", "b/c.txt"]
    );
    assert_eq!((stats.blobs, stats.scanned), (2, 2));
}

#[test]
fn the_same_blob_in_fifty_commits_is_read_once() {
    let mut r = Repo::new();
    r.write("constant.txt", "secret-in-every-commit\n");
    for i in 0..50 {
        r.write("counter.txt", format!("{i}\n"));
        // Removed and restored: the same blob comes back each time.
        if i % 2 == 0 {
            r.write("flapping.txt", "secret-flapping\n");
        } else {
            let _ = std::fs::remove_file(r.path().join("flapping.txt"));
        }
        r.commit(&format!("c{i}"));
    }
    for threads in [1, 2, 4] {
        let calls = AtomicUsize::new(0);
        let constant_calls = AtomicUsize::new(0);
        let opts = HistoryOptions {
            threads,
            ..HistoryOptions::default()
        };
        let stats = git::scan_history(r.path(), &opts, |_, data| {
            calls.fetch_add(1, Ordering::Relaxed);
            if data.starts_with(b"secret-in-every-commit") || data.starts_with(b"secret-flapping") {
                constant_calls.fetch_add(1, Ordering::Relaxed);
            }
        })
        .expect("scan");
        assert_eq!(
            constant_calls.load(Ordering::Relaxed),
            2,
            "threads {threads}"
        );
        assert_eq!(calls.load(Ordering::Relaxed), 2 + 50, "threads {threads}");
        assert_eq!((stats.commits, stats.blobs, stats.scanned), (50, 52, 52));
    }
}

#[test]
fn a_callback_runs_on_several_threads_and_sees_every_blob() {
    let mut r = Repo::new();
    for i in 0..400 {
        r.write(&format!("f{i:03}.txt"), format!("content {i}\n"));
    }
    r.commit("many files");
    let threads = Mutex::new(BTreeSet::new());
    let stats = git::scan_history(
        r.path(),
        &HistoryOptions {
            threads: 2,
            ..HistoryOptions::default()
        },
        |_, _| {
            threads
                .lock()
                .expect("lock")
                .insert(format!("{:?}", std::thread::current().id()));
            std::thread::sleep(std::time::Duration::from_millis(1));
        },
    )
    .expect("scan");
    assert_eq!(stats.scanned, 400);
    let threads = threads.into_inner().expect("lock");
    assert_eq!(threads.len(), 2, "{threads:?}");
    assert!(!threads.contains(&format!("{:?}", std::thread::current().id())));
}
