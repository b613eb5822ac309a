//! Generated files that are committed: completions and docs that mirror code.
//! Regenerate with `AGENTID_UPDATE_GOLDEN=1 cargo test`.

mod common;

use common::{Scratch, repo, run};

const SHELLS: [(&str, &str); 5] = [
    ("bash", "agentid.bash"),
    ("zsh", "_agentid"),
    ("fish", "agentid.fish"),
    ("powershell", "_agentid.ps1"),
    ("elvish", "agentid.elv"),
];

#[test]
fn completions_are_current() {
    let s = Scratch::new();
    let update = std::env::var_os("AGENTID_UPDATE_GOLDEN").is_some();
    for (shell, file) in SHELLS {
        let mut c = s.cmd();
        c.args(["generate", "completions", shell]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{shell}: {err}");
        let path = repo().join("completions").join(file);
        if update {
            std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
            std::fs::write(&path, &out).expect("write");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, out,
            "completions/{file} is stale: run AGENTID_UPDATE_GOLDEN=1 cargo test"
        );
    }
}

/// The bash completion loads in a real bash and completes subcommands.
#[test]
fn bash_completion_works_in_bash() {
    let script = repo().join("completions/agentid.bash");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(agentid reg); COMP_CWORD=1; COMP_LINE='agentid reg'; COMP_POINT=11; _agentid agentid reg agentid; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .expect("bash");
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "registry"),
        "completions offered: {words:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn findings_doc_lists_every_rule_with_its_remedy() {
    let doc = std::fs::read_to_string(repo().join("docs/findings.md")).expect("docs/findings.md");
    for rule in agentid::inventory::rules::CATALOGUE {
        assert!(doc.contains(rule.id), "docs/findings.md lacks {}", rule.id);
        assert!(
            doc.contains(rule.remediation),
            "docs/findings.md lacks the remedy of {}: {}",
            rule.id,
            rule.remediation
        );
    }
}

#[test]
fn exit_codes_doc_matches_the_code() {
    use agentid::error::ExitStatus;
    let doc =
        std::fs::read_to_string(repo().join("docs/exit-codes.md")).expect("docs/exit-codes.md");
    for (status, code) in [
        (ExitStatus::Ok, 0),
        (ExitStatus::Findings, 1),
        (ExitStatus::Usage, 2),
        (ExitStatus::Failure, 3),
    ] {
        assert_eq!(status.code(), code);
        assert!(
            doc.contains(&format!("| `{code}`")) || doc.contains(&format!("| {code} ")),
            "docs/exit-codes.md documents {code}"
        );
    }
}

/// README's first command runs the main job on the bundled example; keep it true.
#[test]
fn readme_first_command_works() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let block = readme.split("```").nth(1).expect("a code block");
    let mut lines = block
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("sh") && !l.starts_with("bash"));
    let first = lines.next().expect("first command");
    let second = lines.next().expect("second command");
    let args = first.split_once("-- ").expect("cargo run -- ARGS").1;
    assert!(args.starts_with("inventory"), "{first}");
    let mut c = assert_cmd::Command::cargo_bin("agentid").expect("bin");
    c.current_dir(repo()).args(args.split_whitespace());
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "README's first command: {err}");
    assert!(out.contains("AGENTS") && out.contains("findings:"), "{out}");
    assert_eq!(second.trim(), "./scripts/test.sh");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains(second.trim()),
        ".ci/run runs README's test command"
    );
}
