// Stamps the git commit and build date into `agentid --version`.
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    // --no-optional-locks: a plain `git status` may rewrite the index to
    // refresh its stat cache, which is a file watched below.
    let dirty = Command::new("git")
        .args([
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let commit = if dirty && commit != "unknown" {
        format!("{commit}-dirty")
    } else {
        commit
    };
    // SOURCE_DATE_EPOCH keeps builds reproducible; otherwise the commit's date.
    let date = Command::new("git")
        .args(["log", "-1", "--format=%cs"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown date".to_string());
    println!("cargo:rustc-env=AGENTID_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=AGENTID_BUILD_DATE={date}");
    // The files that change with the commit or the dirty state. In a `git
    // worktree`, `.git` is a file and these live elsewhere; a path that does
    // not exist makes cargo rerun this script, and rebuild agentid, on every
    // build, so they are asked of git rather than assumed.
    for (flag, name) in [
        ("--git-path", "HEAD"),
        ("--git-path", "index"),
        ("--git-common-dir", ""),
    ] {
        let mut args = vec!["rev-parse", flag];
        if !name.is_empty() {
            args.push(name);
        }
        let path = Command::new("git")
            .args(&args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        match path {
            // refs/ of the common directory: branch moves (commits).
            Some(dir) if name.is_empty() => println!("cargo:rerun-if-changed={dir}/refs"),
            Some(file) => println!("cargo:rerun-if-changed={file}"),
            None => {}
        }
    }
}
