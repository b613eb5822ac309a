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

/// docs/rules.md is generated from the secret-rule catalogue.
#[test]
fn secret_rules_doc_is_current() {
    let doc = secret_rules_doc();
    let path = repo().join("docs/rules.md");
    if std::env::var_os("AGENTID_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &doc).expect("write docs/rules.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/rules.md is stale: run AGENTID_UPDATE_GOLDEN=1 cargo test --test golden"
    );
}

fn secret_rules_doc() -> String {
    use agentid::scan::rules::{self, Lifetime};
    use std::fmt::Write as _;
    let set = rules::builtin();
    let mut d = String::new();
    d.push_str(SECRET_RULES_INTRO);
    let _ = writeln!(d, "## The {} built-in rules\n", set.rules.len());
    d.push_str("| id | provider | severity | lifetime | check | what it finds |\n|---|---|---|---|---|---|\n");
    for r in &set.rules {
        let _ = writeln!(
            d,
            "| [`{}`](#{}) | {} | {} | {} | {} | {} |",
            r.id,
            r.id,
            r.provider,
            r.severity,
            match r.lifetime {
                Lifetime::LongLived => "long-lived",
                Lifetime::ShortLived => "short-lived",
            },
            r.validator.map_or("—", |v| v.as_str()),
            r.name
        );
    }
    for r in &set.rules {
        let _ = writeln!(d, "\n### {}\n\n{}.\n", r.id, r.name);
        let _ = writeln!(d, "- provider: {}", r.provider);
        let _ = writeln!(d, "- severity: {}; lifetime: {}", r.severity, r.lifetime);
        let mut kw: Vec<String> = r.keywords.iter().map(|k| format!("`{k}`")).collect();
        if kw.is_empty() {
            kw.push("none (no prefilter: the regex runs over every file)".into());
        }
        let _ = writeln!(
            d,
            "- keywords{}: {}",
            if r.keywords_ignore_case {
                " (any case)"
            } else {
                ""
            },
            kw.join(", ")
        );
        if let Some(v) = r.validator {
            let _ = writeln!(d, "- validator: `{}`", v.as_str());
        }
        if let Some(e) = r.min_entropy {
            let _ = writeln!(d, "- min_entropy: {e} bits per character");
        }
        if let Some(m) = r.max_len {
            let _ = writeln!(d, "- max_len: {m} bytes");
        }
        if !r.placeholders {
            let _ = writeln!(d, "- placeholder filter: off");
        }
        if r.fallback {
            let _ = writeln!(d, "- fallback: yields to any other rule on the same text");
        }
        if !r.suppresses.is_empty() {
            let _ = writeln!(d, "- suppresses: {}", r.suppresses.join(", "));
        }
        if let Some(p) = &r.pair {
            let _ = writeln!(
                d,
                "- pairs with `{}` within {} lines, raising both to {}",
                p.with, p.within_lines, p.severity
            );
        }
        let _ = writeln!(
            d,
            "- examples: {} positive, {} negative (src/scan/catalogue.yaml)",
            r.examples.positive.len(),
            r.examples.negative.len()
        );
        let _ = writeln!(d, "- revoke: {}", r.remediation);
        let _ = writeln!(d, "\n```text\n{}\n```", r.regex);
    }
    d
}

const SECRET_RULES_INTRO: &str = "# Secret rules

<!-- Generated from src/scan/catalogue.yaml by tests/golden.rs; edit the catalogue, then run
     AGENTID_UPDATE_GOLDEN=1 cargo test --test golden -->

`agentid scan-secrets` finds secrets with the rules below. They are data:
`src/scan/catalogue.yaml`, compiled into the binary. `agentid scan-secrets rules`
lists them (`-f json` with every field but the examples).

## How a rule finds a secret

1. **Keywords** (the prefilter): one Aho-Corasick pass over the file finds
   every keyword of every rule. A rule's regex runs only around its keywords'
   hits, in a window as wide as its longest match on each side. Every match of
   a rule must contain one of its keywords; `keywords_ignore_case: true` lets
   them appear in any case. When every match of a rule starts with one of its
   keywords (found from the regex's literal prefixes, e.g. `\\bghp_`), the
   regex runs anchored at each hit instead, which is cheaper when hits are
   many. A rule with `keywords: []` has no prefilter: its regex runs over
   every whole file.
2. **Regex** (Rust syntax on bytes, ASCII classes): the secret is the group
   `(?P<secret>...)`. No rule ends in `\\b`: a key that ends in `-` or `_` is
   taken whole; rules end with a class the key cannot contain, or `$`.
3. **Filters**, in this order: the match is at most `max_len` bytes; the
   secret reaches `min_entropy` (Shannon bits per character); it is not a
   placeholder (`EXAMPLE`, `changeme`, `xxxxx`, `*****`, `...`, `<...>`,
   `${...}`, `{{...}}`, `%(...)s`, `your_`, `redacted`, `dummy`); then the
   rule's validator, if any.
4. **Validators**: `github_crc32` (GitHub tokens end in the CRC32 of their
   random part, 6 base62 characters: a token that fails it was never issued),
   `jwt` (decodes the token; no `exp` is long-lived and high, a lifetime over
   1 hour is long-lived and medium, otherwise short-lived and low; the jwt.io
   example is dropped), `private_key` (the body must decode to a key;
   encrypted keys are medium), `generic_value` (a generic assignment's value
   must not be code, a path, a URL, a word, a number, a format string or a
   variable reference such as `%APPDATA%`; a value may start with `%` or
   `#`), `random_string` (a value no name marks as secret must look random
   by itself: both letter cases; not hex, which cannot be told from a digest;
   not words, names, file names, paths, percent- or base64-encoded text).
5. **Across rules**: a `fallback` rule (the generic one) yields to any other
   rule's finding on the same text, and to values holding another rule's
   keyword (a GitHub token with a bad checksum is not a generic secret
   either); `suppresses` drops another rule's findings inside a match (a GCP
   key file is one finding, not also a private key); `pair` joins an AWS key
   id to the secret access key within a few lines and raises both. The named
   generic rules suppress `high-entropy-string` on their own matches.

The fingerprint of a finding is sha256 of the secret, first 12 hex digits:
the same wherever the secret appears, so the table groups by it.

## Your own rules: `--rules FILE`

The file has the catalogue's shape. An entry with a new id adds a rule and
needs every required field; an entry with a built-in id overrides only the
fields it gives (`enabled: false` turns a rule off):

```yaml
rules:
  - id: acme-deploy-key
    provider: acme
    name: Acme deploy key
    regex: '\\bacme_(?P<secret>[a-z0-9]{32})(?:[^a-z0-9]|$)'
    keywords: [acme_]
    severity: critical          # info | low | medium | high | critical
    lifetime: long_lived        # long_lived | short_lived
    remediation: Revoke it in the Acme console under Settings > Deploy keys.
    examples:
      positive: ['ACME_KEY=acme_0123456789abcdef0123456789abcdef']
      negative: ['ACME_KEY=acme_short']
  - id: generic-secret
    severity: low
  - id: jwt
    enabled: false
```

| field | required | meaning |
|---|---|---|
| `id` | yes | lower-case letters, digits and `-`; what baselines and suppressions will name |
| `provider`, `name` | new rules | who issues the secret; what it is |
| `regex` | new rules | the pattern, with a `secret` group |
| `keywords` | new rules | literals, one of which every match contains |
| `keywords_ignore_case` | no | default `false` |
| `min_entropy` | no | bits per character, 0 to 8 |
| `validator` | no | `github_crc32`, `jwt`, `private_key`, `generic_value` |
| `severity`, `lifetime`, `remediation` | new rules | as above; `remediation` is one line: where to revoke it |
| `max_len` | when the regex is unbounded | the longest match in bytes (the prefilter's window) |
| `placeholders` | no | `false` turns the placeholder filter off |
| `fallback` | no | `true` for a catch-all rule |
| `suppresses` | no | rule ids whose findings inside a match of this rule are dropped |
| `pair` | no | `{with: RULE, within_lines: N, severity: S}` |
| `examples` | no | `positive` and `negative` texts; checked when the file is loaded |
| `enabled` | no | `false` turns the rule off |

A bad file is refused with exit 2 and one line per problem:
`rules.yaml:7:15: rules[0].severity: \"severe\": expected info, low, medium, high or critical`.
A regex that does not compile, a missing `secret` group, an unbounded regex
without `max_len`, a reference to an unknown rule and an example the rule
gets wrong are problems too.

";
