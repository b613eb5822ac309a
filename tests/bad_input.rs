//! The bad-input catalogue: every malformed registry, snapshot, flag value and
//! time gets the documented exit code and one line per problem naming the file,
//! line and field. Never a panic (exit 101), never partial output.

mod common;

use common::{AS_OF, MINIMAL_REGISTRY, Scratch, minimal_snapshot, run};

struct Case {
    name: &'static str,
    /// Files to create: (name, contents).
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    code: i32,
    /// Every one of these must appear in stderr.
    expect: &'static [&'static str],
}

const SNAP_OK: &str = r#"{"schema_version": 1, "kind": "agentid.estate", "sources": [{"name": "aws", "provider": "aws"}]}"#;

fn registry_cases() -> Vec<Case> {
    vec![
        Case {
            name: "not yaml",
            files: &[("r.yaml", "version: 1\nagents: [1, 2\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:", "not valid YAML"],
        },
        Case {
            name: "empty file",
            files: &[("r.yaml", "")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:1:1", "the registry is empty"],
        },
        Case {
            name: "version 2",
            files: &[("r.yaml", "version: 2\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:1:10: version: expected 1"],
        },
        Case {
            name: "missing version",
            files: &[("r.yaml", "owners: []\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:1:1", "missing required field \"version\""],
        },
        Case {
            name: "misspelt top-level field",
            files: &[("r.yaml", "version: 1\nagnets: []\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:2:1: agnets: unknown field \"agnets\", did you mean \"agents\"?"],
        },
        Case {
            name: "list expected",
            files: &[("r.yaml", "version: 1\nagents: bot\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:2:9: agents: expected a list, got \"bot\""],
        },
        Case {
            name: "bad duration text",
            files: &[("r.yaml", "version: 1\ndefaults:\n  max_key_age: 90days\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:3:16: defaults.max_key_age: expected a duration such as 30s, 15m, 1h, 90d or 2w, got \"90days\"",
            ],
        },
        Case {
            name: "duration without unit",
            files: &[("r.yaml", "version: 1\ndefaults:\n  unused_after: 45\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:3:17: defaults.unused_after", "got the number 45"],
        },
        Case {
            name: "bad fail_on",
            files: &[("r.yaml", "version: 1\ndefaults:\n  fail_on: hgh\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["defaults.fail_on", "did you mean high?"],
        },
        Case {
            name: "duplicate agent",
            files: &[("r.yaml", "version: 1\nagents:\n  - name: a\n  - name: a\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:4:11: agents[1].name: agent name \"a\" is used twice (also agents[0])",
            ],
        },
        Case {
            name: "owner not declared",
            files: &[(
                "r.yaml",
                "version: 1\nowners:\n  - id: alice@acme.example\nagents:\n  - name: a\n    owner: alicee@acme.example\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:6:12: agents[0].owner",
                "did you mean \"alice@acme.example\"?",
            ],
        },
        Case {
            name: "duplicate owner",
            files: &[("r.yaml", "version: 1\nowners:\n  - id: a\n  - id: a\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["owners[1].id: owner \"a\" is declared twice"],
        },
        Case {
            name: "invalid subject glob",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: https://token.actions.githubusercontent.com\n        subject: \"repo:[acme\"\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:6:18: agents[0].trust[0].subject: invalid subject glob"],
        },
        Case {
            name: "subject star",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: https://token.actions.githubusercontent.com\n        subject: \"*\"\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].trust[0].subject", "trusts every workload"],
        },
        Case {
            name: "http issuer",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: http://id.acme.example\n        subject: x\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:5:17: agents[0].trust[0].issuer", "plain http"],
        },
        Case {
            name: "inline admin key",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  anthropic:\n    - admin_key_env: sk-ant-admin01-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:4:22: sources.anthropic[0].admin_key_env: this looks like a secret written inline",
            ],
        },
        Case {
            name: "oauth_token_env on an openai source",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  openai:\n    - admin_key_env: OPENAI_ADMIN_KEY\n      oauth_token_env: TOKEN\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:5:24: sources.openai[0].oauth_token_env: oauth_token_env applies to anthropic sources only",
            ],
        },
        Case {
            name: "anthropic oauth_token_env that is not a variable name",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  anthropic:\n    - admin_key_env: ANTHROPIC_ADMIN_KEY\n      oauth_token_env: my token\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "sources.anthropic[0].oauth_token_env: expected the name of an environment variable",
            ],
        },
        Case {
            name: "inline AWS key in a description",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    purpose: AKIAQWERTYUIOPASDFGH\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].purpose: this looks like a secret written inline"],
        },
        Case {
            name: "env var name with a space",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  openai:\n    - admin_key_env: my key\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "sources.openai[0].admin_key_env: expected the name of an environment variable",
            ],
        },
        Case {
            name: "duplicate yaml key",
            files: &[("r.yaml", "version: 1\nowners: []\nowners: []\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:3:1: owners: duplicate key \"owners\" (first written at line 2)"],
        },
        Case {
            name: "bad ARN",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      aws:\n        - arn: role/x\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].identities.aws[0].arn: expected an IAM role or user ARN"],
        },
        Case {
            name: "bad service account",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      kubernetes:\n        - serviceaccount: billing\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].identities.kubernetes[0].serviceaccount: expected namespace/name"],
        },
        Case {
            name: "identity claimed twice",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      gcp:\n        - email: x@p.iam.gserviceaccount.com\n  - name: b\n    identities:\n      gcp:\n        - email: x@p.iam.gserviceaccount.com\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "agents[1].identities.gcp[0].email: gcp identity \"x@p.iam.gserviceaccount.com\" is already claimed by agents[0]",
            ],
        },
        Case {
            name: "accept unknown rule",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    accept:\n      - rule: AID999\n        reason: x\n        until: 2027-01-01\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].accept[0].rule: unknown rule \"AID999\""],
        },
        Case {
            name: "accept bad date",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    accept:\n      - rule: AID010\n        reason: x\n        until: next year\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].accept[0].until: expected a date such as 2027-03-31"],
        },
        Case {
            name: "two documents",
            files: &[("r.yaml", "version: 1\n---\nversion: 1\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["more than one YAML document"],
        },
        Case {
            name: "bad backend kind",
            files: &[(
                "r.yaml",
                "version: 1\nissuers:\n  - name: b\n    issuer: https://id.acme.example\n    algorithm: ES256\n    backend: {kind: fil, dir: /k}\n    publish: {kind: file, path: /j}\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["issuers[0].backend.kind: expected one of file, aws-kms, got \"fil\""],
        },
        Case {
            name: "aws-kms backend block",
            files: &[(
                "r.yaml",
                "version: 1\nissuers:\n  - name: b\n    issuer: https://id.acme.example\n    algorithm: EdDSA\n    backend: {kind: aws-kms, alias_prefix: \"aws/x\", deletion_window: 3d, endpoint: \"http://kms.example\"}\n    publish: {kind: file, path: /j}\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &[
                "r.yaml:5:16: issuers[0].algorithm: backend aws-kms signs ES256, ES384, RS256 or PS256; EdDSA needs backend kind: file",
                "issuers[0].backend.alias_prefix: expected letters, digits, /, _ or - (not starting with \"aws\")",
                "issuers[0].backend.deletion_window: KMS waits 7 to 30 whole days before deleting a key; got 3d",
                "issuers[0].backend.endpoint:",
            ],
        },
        Case {
            name: "delegation depth 0",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    delegation:\n      on_behalf_of: users\n      max_depth: 0\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["agents[0].delegation.max_depth: max_depth must be at least 1"],
        },
        Case {
            name: "registry is a directory",
            files: &[("d/x", "")],
            args: &["registry", "validate", "d"],
            code: 2,
            expect: &["cannot read registry d"],
        },
        Case {
            name: "registry missing",
            files: &[],
            args: &["registry", "validate", "nope.yaml"],
            code: 2,
            expect: &["cannot read registry nope.yaml"],
        },
        Case {
            name: "tab indentation",
            files: &[("r.yaml", "version: 1\nagents:\n\t- name: a\n")],
            args: &["registry", "validate", "r.yaml"],
            code: 2,
            expect: &["r.yaml:3:", "not valid YAML"],
        },
    ]
}

fn snapshot_and_flag_cases() -> Vec<Case> {
    vec![
        Case {
            name: "snapshot not json",
            files: &[("s.json", "{\"schema_version\": 1,\n  oops")],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["s.json:2:"],
        },
        Case {
            name: "snapshot version",
            files: &[(
                "s.json",
                "{\"schema_version\": 9, \"kind\": \"agentid.estate\", \"future\": true}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["s.json: snapshot schema_version 9 is not supported"],
        },
        Case {
            name: "snapshot kind",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"something-else\"}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["s.json: kind: expected \"agentid.estate\""],
        },
        Case {
            name: "snapshot unknown field",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"sources\": [{\"name\": \"a\", \"provider\": \"aws\", \"colour\": 1}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["s.json:2:", "sources[0]", "unknown field `colour`"],
        },
        Case {
            name: "snapshot bad provider",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"sources\": [{\"name\": \"a\", \"provider\": \"azure\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &[
                "s.json:2:",
                "sources[0].provider",
                "unknown variant `azure`",
            ],
        },
        Case {
            name: "snapshot bad time",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"sources\": [{\"name\": \"a\", \"provider\": \"aws\"}],\n \"identities\": [{\"source\": \"a\", \"provider\": \"aws\", \"id\": \"i\", \"name\": \"i\", \"kind\": \"role\", \"last_activity\": \"last tuesday\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &[
                "s.json:2:",
                "identities[0].last_activity",
                "expected \"never\", null or an RFC 3339 time",
            ],
        },
        Case {
            name: "snapshot dangling credential",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"sources\": [{\"name\": \"a\", \"provider\": \"aws\"}],\n \"credentials\": [{\"source\": \"a\", \"provider\": \"aws\", \"id\": \"k\", \"identity\": \"ghost\", \"kind\": \"access_key\", \"state\": \"active\", \"long_lived\": true}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["s.json: credentials[0].identity: no identity \"ghost\" in source \"a\""],
        },
        Case {
            name: "snapshot unknown source",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"identities\": [{\"source\": \"nowhere\", \"provider\": \"aws\", \"id\": \"i\", \"name\": \"i\", \"kind\": \"role\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            code: 2,
            expect: &["identities[0].source: source \"nowhere\" is not listed in sources"],
        },
        Case {
            name: "snapshot missing",
            files: &[],
            args: &["inventory", "--snapshot", "gone.json"],
            code: 2,
            expect: &["cannot read snapshot gone.json"],
        },
        Case {
            name: "same source twice",
            files: &[("a.json", SNAP_OK), ("b.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "a.json", "--snapshot", "b.json"],
            code: 2,
            expect: &["source \"aws\" appears in both a.json and b.json"],
        },
        Case {
            name: "as-of yesterday",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--as-of", "yesterday"],
            code: 2,
            expect: &[
                "--as-of",
                "expected an RFC 3339 time such as 2026-11-01T00:00:00Z",
                "\"yesterday\"",
            ],
        },
        Case {
            name: "as-of impossible date",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--as-of", "2026-02-30"],
            code: 2,
            expect: &["--as-of", "\"2026-02-30\""],
        },
        Case {
            name: "fail-on unknown",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--fail-on", "severe"],
            code: 2,
            expect: &["--fail-on", "severe"],
        },
        Case {
            name: "only unknown rule",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--only", "AID999"],
            code: 2,
            expect: &["unknown rule \"AID999\""],
        },
        Case {
            name: "only and skip cancel",
            files: &[("s.json", SNAP_OK)],
            args: &[
                "inventory",
                "--snapshot",
                "s.json",
                "--only",
                "AID010",
                "--skip",
                "AID010",
            ],
            code: 2,
            expect: &["--only and --skip leave no rule to evaluate"],
        },
        Case {
            name: "unknown source",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--source", "awz"],
            code: 2,
            expect: &["--source \"awz\": no such source (did you mean \"aws\"?)"],
        },
        Case {
            name: "unknown agent",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--agent", "nobody"],
            code: 2,
            expect: &["--agent \"nobody\": no agent or identity by that name"],
        },
        Case {
            name: "unsupported format",
            files: &[("r.yaml", "version: 1\n")],
            args: &["registry", "validate", "r.yaml", "-f", "csv"],
            code: 2,
            expect: &["format csv is not available for registry validate (use table, json, yaml)"],
        },
        Case {
            name: "bad color",
            files: &[],
            args: &["inventory", "--color", "sometimes"],
            code: 2,
            expect: &["--color", "sometimes"],
        },
        Case {
            name: "no registry anywhere",
            files: &[],
            args: &["inventory"],
            code: 2,
            expect: &["no registry found"],
        },
        Case {
            name: "init over existing",
            files: &[("agentid.yaml", "keep me")],
            args: &["registry", "init"],
            code: 2,
            expect: &["agentid.yaml already exists; not overwriting it"],
        },
        Case {
            name: "kubernetes source with no kubeconfig and no pod",
            files: &[(
                "agentid.yaml",
                "version: 1\nsources:\n  kubernetes:\n    - name: prod\n",
            )],
            args: &["inventory"],
            code: 3,
            expect: &[
                "source not read: prod: kubeconfig or in-cluster config: no usable kubeconfig ($KUBECONFIG, ~/.kube/config) and not running in a pod",
            ],
        },
        Case {
            name: "output dir missing",
            files: &[("s.json", SNAP_OK)],
            args: &[
                "inventory",
                "--snapshot",
                "s.json",
                "-o",
                "no/such/dir/out.json",
                "-f",
                "json",
            ],
            code: 3,
            expect: &["cannot write no/such/dir/out.json"],
        },
    ]
}

fn check(case: &Case) {
    let s = Scratch::new();
    for (name, text) in case.files {
        s.write(name, text);
    }
    let before = listing(s.path());
    let mut c = s.cmd();
    c.args(case.args);
    let (code, out, err) = run(c);
    assert_ne!(code, 101, "{}: panicked:\n{err}", case.name);
    assert_eq!(code, case.code, "{}: exit code; stderr:\n{err}", case.name);
    for want in case.expect {
        assert!(
            err.contains(want),
            "{}: stderr lacks {want:?}:\n{err}",
            case.name
        );
    }
    // Every diagnostic is one self-contained line; nothing partial reaches stdout.
    for line in err.lines() {
        assert!(
            line.starts_with("error: ")
                || line.starts_with("  ")
                || line.starts_with("Usage")
                || line.starts_with("For more")
                || line.is_empty()
                || line.starts_with("tip:"),
            "{}: unexpected stderr line {line:?}",
            case.name
        );
    }
    assert!(
        out.is_empty(),
        "{}: stdout must stay empty on error, got {out:?}",
        case.name
    );
    // No file was created or changed (no half-written output, no temp leftovers).
    assert_eq!(listing(s.path()), before, "{}: files changed", case.name);
}

fn listing(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        let content = std::fs::read(&entry).unwrap_or_default();
        out.push((
            entry
                .strip_prefix(dir)
                .unwrap_or(&entry)
                .display()
                .to_string(),
            content,
        ));
    }
    out.sort();
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push(p.clone());
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn bad_registries() {
    let cases = registry_cases();
    assert!(cases.len() >= 25);
    for case in &cases {
        check(case);
    }
}

#[test]
fn bad_snapshots_flags_and_times() {
    let cases = snapshot_and_flag_cases();
    assert!(cases.len() + registry_cases().len() >= 30);
    for case in &cases {
        check(case);
    }
}

#[test]
fn many_problems_are_reported_at_once() {
    let s = Scratch::new();
    s.write(
        "r.yaml",
        "version: 1\ndefaults:\n  max_key_age: soon\nowners:\n  - id: a\nagents:\n  - name: x\n    owner: b\n    colour: red\n  - name: x\n",
    );
    let mut c = s.cmd();
    c.args(["registry", "validate", "r.yaml"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one line per problem:\n{err}");
    assert!(lines[0].starts_with("error: r.yaml:3:16: defaults.max_key_age"));
    assert!(lines[1].starts_with("error: r.yaml:8:12: agents[0].owner"));
    assert!(lines[2].starts_with("error: r.yaml:9:5: agents[0].colour: unknown field"));
    assert!(
        lines[3].starts_with("error: r.yaml:10:11: agents[1].name: agent name \"x\" is used twice")
    );
}

#[test]
fn validate_json_lists_problems_with_positions() {
    let s = Scratch::new();
    s.write(
        "r.yaml",
        "version: 1\nagents:\n  - name: a\n    owner: nobody\n",
    );
    let mut c = s.cmd();
    c.args(["registry", "validate", "r.yaml", "-f", "json"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 2);
    let v: common::schema::Validation =
        serde_json::from_str(&out).expect("documented validation JSON");
    assert!(!v.valid);
    assert_eq!(v.kind, "agentid.registry-validation");
    assert_eq!(v.problems.len(), 1);
    assert_eq!(
        (v.problems[0].line, v.problems[0].column),
        (Some(4), Some(12))
    );
    assert_eq!(v.problems[0].path, "agents[0].owner");
}

#[test]
fn a_good_registry_with_a_bad_snapshot_names_the_snapshot() {
    let s = Scratch::new();
    s.write("agentid.yaml", MINIMAL_REGISTRY);
    s.write(
        "estate.json",
        minimal_snapshot("2026-01-01T00:00:00Z", "not-a-time"),
    );
    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF]);
    let (code, out, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("estate.json:") && err.contains("credentials[0].last_used"),
        "{err}"
    );
}

#[test]
fn registry_that_is_not_utf8() {
    let s = Scratch::new();
    s.write("r.yaml", b"version: 1\nagents:\n  - name: \xff\xfe\n");
    let mut c = s.cmd();
    c.args(["registry", "validate", "r.yaml"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        "error: cannot read registry r.yaml: not UTF-8 text (invalid byte at offset 29)"
    );
}

/// Large snapshots check references on two threads; a dangling credential in
/// the second half is still named by its index.
#[test]
fn dangling_reference_in_a_large_snapshot() {
    let s = Scratch::new();
    let n = 60_000;
    let mut creds = Vec::with_capacity(n);
    for i in 0..n {
        let identity = if i == n - 1 { "ghost" } else { "bot" };
        creds.push(format!(
            r#"{{"source": "a", "provider": "aws", "id": "k{i}", "identity": "{identity}", "kind": "access_key", "state": "active", "long_lived": true}}"#
        ));
    }
    s.write(
        "big.json",
        format!(
            r#"{{"schema_version": 1, "kind": "agentid.estate", "sources": [{{"name": "a", "provider": "aws"}}],
  "identities": [{{"source": "a", "provider": "aws", "id": "bot", "name": "bot", "kind": "user"}}],
  "credentials": [{}]}}"#,
            creds.join(",\n")
        ),
    );
    let mut c = s.cmd();
    c.args(["inventory", "--snapshot", "big.json", "--as-of", AS_OF]);
    let (code, out, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        format!(
            "error: big.json: credentials[{}].identity: no identity \"ghost\" in source \"a\"",
            n - 1
        )
    );
}
