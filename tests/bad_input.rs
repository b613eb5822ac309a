//! The bad-input catalogue: every malformed registry, snapshot, flag value and
//! time gets the documented exit code and one line per problem naming the file,
//! line and field. Never a panic (exit 101), never partial output.

mod common;

use common::{AS_OF, MINIMAL_REGISTRY, Scratch, minimal_snapshot, run};

struct Case {
    /// The row of docs/bad-input.md this case proves.
    id: &'static str,
    /// Files to create: (name, contents).
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// Environment variables to set (the environment is otherwise clean).
    env: &'static [(&'static str, &'static str)],
    code: i32,
    /// Every one of these must appear in stderr.
    expect: &'static [&'static str],
}

const SNAP_OK: &str = r#"{"schema_version": 1, "kind": "agentid.estate", "sources": [{"name": "aws", "provider": "aws"}]}"#;

fn registry_cases() -> Vec<Case> {
    vec![
        Case {
            id: "registry-not-yaml",
            files: &[("r.yaml", "version: 1\nagents: [1, 2\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:", "not valid YAML"],
        },
        Case {
            id: "registry-empty-file",
            files: &[("r.yaml", "")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:1:1", "the registry is empty"],
        },
        Case {
            id: "registry-version-2",
            files: &[("r.yaml", "version: 2\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:1:10: version: expected 1"],
        },
        Case {
            id: "registry-missing-version",
            files: &[("r.yaml", "owners: []\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:1:1", "missing required field \"version\""],
        },
        Case {
            id: "registry-misspelt-top-level-field",
            files: &[("r.yaml", "version: 1\nagnets: []\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:2:1: agnets: unknown field \"agnets\", did you mean \"agents\"?"],
        },
        Case {
            id: "registry-list-expected",
            files: &[("r.yaml", "version: 1\nagents: bot\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:2:9: agents: expected a list, got \"bot\""],
        },
        Case {
            id: "registry-bad-duration-text",
            files: &[("r.yaml", "version: 1\ndefaults:\n  max_key_age: 90days\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:3:16: defaults.max_key_age: expected a duration such as 30s, 15m, 1h, 90d or 2w, got \"90days\"",
            ],
        },
        Case {
            id: "registry-duration-without-unit",
            files: &[("r.yaml", "version: 1\ndefaults:\n  unused_after: 45\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:3:17: defaults.unused_after", "got the number 45"],
        },
        Case {
            id: "registry-bad-fail-on",
            files: &[("r.yaml", "version: 1\ndefaults:\n  fail_on: hgh\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["defaults.fail_on", "did you mean high?"],
        },
        Case {
            id: "registry-duplicate-agent",
            files: &[("r.yaml", "version: 1\nagents:\n  - name: a\n  - name: a\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:4:11: agents[1].name: agent name \"a\" is used twice (also agents[0])",
            ],
        },
        Case {
            id: "registry-owner-not-declared",
            files: &[(
                "r.yaml",
                "version: 1\nowners:\n  - id: alice@acme.example\nagents:\n  - name: a\n    owner: alicee@acme.example\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:6:12: agents[0].owner",
                "did you mean \"alice@acme.example\"?",
            ],
        },
        Case {
            id: "registry-duplicate-owner",
            files: &[("r.yaml", "version: 1\nowners:\n  - id: a\n  - id: a\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["owners[1].id: owner \"a\" is declared twice"],
        },
        Case {
            id: "registry-invalid-subject-glob",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: https://token.actions.githubusercontent.com\n        subject: \"repo:[acme\"\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:6:18: agents[0].trust[0].subject: invalid subject glob"],
        },
        Case {
            id: "registry-subject-star",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: https://token.actions.githubusercontent.com\n        subject: \"*\"\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].trust[0].subject", "trusts every workload"],
        },
        Case {
            id: "registry-http-issuer",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    trust:\n      - issuer: http://id.acme.example\n        subject: x\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:5:17: agents[0].trust[0].issuer", "plain http"],
        },
        Case {
            id: "registry-inline-admin-key",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  anthropic:\n    - admin_key_env: sk-ant-admin01-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:4:22: sources.anthropic[0].admin_key_env: this looks like a secret written inline",
            ],
        },
        Case {
            id: "registry-oauth-token-env-on-openai",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  openai:\n    - admin_key_env: OPENAI_ADMIN_KEY\n      oauth_token_env: TOKEN\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:5:24: sources.openai[0].oauth_token_env: oauth_token_env applies to anthropic sources only",
            ],
        },
        Case {
            id: "registry-oauth-token-env-not-a-variable",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  anthropic:\n    - admin_key_env: ANTHROPIC_ADMIN_KEY\n      oauth_token_env: my token\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "sources.anthropic[0].oauth_token_env: expected the name of an environment variable",
            ],
        },
        Case {
            id: "registry-inline-aws-key-in-description",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    purpose: AKIAQWERTYUIOPASDFGH\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].purpose: this looks like a secret written inline"],
        },
        Case {
            id: "registry-env-var-name-with-a-space",
            files: &[(
                "r.yaml",
                "version: 1\nsources:\n  openai:\n    - admin_key_env: my key\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "sources.openai[0].admin_key_env: expected the name of an environment variable",
            ],
        },
        Case {
            id: "registry-duplicate-yaml-key",
            files: &[("r.yaml", "version: 1\nowners: []\nowners: []\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:3:1: owners: duplicate key \"owners\" (first written at line 2)"],
        },
        Case {
            id: "registry-bad-arn",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      aws:\n        - arn: role/x\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].identities.aws[0].arn: expected an IAM role or user ARN"],
        },
        Case {
            id: "registry-bad-service-account",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      kubernetes:\n        - serviceaccount: billing\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].identities.kubernetes[0].serviceaccount: expected namespace/name"],
        },
        Case {
            id: "registry-identity-claimed-twice",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    identities:\n      gcp:\n        - email: x@p.iam.gserviceaccount.com\n  - name: b\n    identities:\n      gcp:\n        - email: x@p.iam.gserviceaccount.com\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "agents[1].identities.gcp[0].email: gcp identity \"x@p.iam.gserviceaccount.com\" is already claimed by agents[0]",
            ],
        },
        Case {
            id: "registry-accept-unknown-rule",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    accept:\n      - rule: AID999\n        reason: x\n        until: 2027-01-01\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].accept[0].rule: unknown rule \"AID999\""],
        },
        Case {
            id: "registry-accept-bad-date",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    accept:\n      - rule: AID010\n        reason: x\n        until: next year\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].accept[0].until: expected a date such as 2027-03-31"],
        },
        Case {
            id: "registry-two-documents",
            files: &[("r.yaml", "version: 1\n---\nversion: 1\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["more than one YAML document"],
        },
        Case {
            id: "registry-bad-backend-kind",
            files: &[(
                "r.yaml",
                "version: 1\nissuers:\n  - name: b\n    issuer: https://id.acme.example\n    algorithm: ES256\n    backend: {kind: fil, dir: /k}\n    publish: {kind: file, path: /j}\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["issuers[0].backend.kind: expected one of file, aws-kms, got \"fil\""],
        },
        Case {
            id: "registry-aws-kms-backend-block",
            files: &[(
                "r.yaml",
                "version: 1\nissuers:\n  - name: b\n    issuer: https://id.acme.example\n    algorithm: EdDSA\n    backend: {kind: aws-kms, alias_prefix: \"aws/x\", deletion_window: 3d, endpoint: \"http://kms.example\"}\n    publish: {kind: file, path: /j}\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &[
                "r.yaml:5:16: issuers[0].algorithm: backend aws-kms signs ES256, ES384, RS256 or PS256; EdDSA needs backend kind: file",
                "issuers[0].backend.alias_prefix: expected letters, digits, /, _ or - (not starting with \"aws\")",
                "issuers[0].backend.deletion_window: KMS waits 7 to 30 whole days before deleting a key; got 3d",
                "issuers[0].backend.endpoint:",
            ],
        },
        Case {
            id: "registry-delegation-depth-0",
            files: &[(
                "r.yaml",
                "version: 1\nagents:\n  - name: a\n    delegation:\n      on_behalf_of: users\n      max_depth: 0\n",
            )],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["agents[0].delegation.max_depth: max_depth must be at least 1"],
        },
        Case {
            id: "registry-is-a-directory",
            files: &[("d/x", "")],
            args: &["registry", "validate", "d"],
            env: &[],
            code: 2,
            expect: &["cannot read registry d"],
        },
        Case {
            id: "registry-missing",
            files: &[],
            args: &["registry", "validate", "nope.yaml"],
            env: &[],
            code: 2,
            expect: &["cannot read registry nope.yaml"],
        },
        Case {
            id: "registry-tab-indentation",
            files: &[("r.yaml", "version: 1\nagents:\n\t- name: a\n")],
            args: &["registry", "validate", "r.yaml"],
            env: &[],
            code: 2,
            expect: &["r.yaml:3:", "not valid YAML"],
        },
    ]
}

fn snapshot_and_flag_cases() -> Vec<Case> {
    vec![
        Case {
            id: "snapshot-not-json",
            files: &[("s.json", "{\"schema_version\": 1,\n  oops")],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json:2:"],
        },
        Case {
            id: "snapshot-version",
            files: &[(
                "s.json",
                "{\"schema_version\": 9, \"kind\": \"agentid.estate\", \"future\": true}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json: snapshot schema_version 9 is not supported"],
        },
        Case {
            id: "snapshot-kind",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"something-else\"}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json: kind: expected \"agentid.estate\""],
        },
        Case {
            id: "snapshot-unknown-field",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"sources\": [{\"name\": \"a\", \"provider\": \"aws\", \"colour\": 1}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json:2:", "sources[0]", "unknown field `colour`"],
        },
        Case {
            id: "snapshot-bad-provider",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"sources\": [{\"name\": \"a\", \"provider\": \"azure\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &[
                "s.json:2:",
                "sources[0].provider",
                "unknown variant `azure`",
            ],
        },
        Case {
            id: "snapshot-bad-time",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"sources\": [{\"name\": \"a\", \"provider\": \"aws\"}],\n \"identities\": [{\"source\": \"a\", \"provider\": \"aws\", \"id\": \"i\", \"name\": \"i\", \"kind\": \"role\", \"last_activity\": \"last tuesday\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &[
                "s.json:2:",
                "identities[0].last_activity",
                "expected \"never\", null or an RFC 3339 time",
            ],
        },
        Case {
            id: "snapshot-dangling-credential",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"sources\": [{\"name\": \"a\", \"provider\": \"aws\"}],\n \"credentials\": [{\"source\": \"a\", \"provider\": \"aws\", \"id\": \"k\", \"identity\": \"ghost\", \"kind\": \"access_key\", \"state\": \"active\", \"long_lived\": true}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json: credentials[0].identity: no identity \"ghost\" in source \"a\""],
        },
        Case {
            id: "snapshot-unknown-source",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.estate\",\n \"identities\": [{\"source\": \"nowhere\", \"provider\": \"aws\", \"id\": \"i\", \"name\": \"i\", \"kind\": \"role\"}]}",
            )],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[],
            code: 2,
            expect: &["identities[0].source: source \"nowhere\" is not listed in sources"],
        },
        Case {
            id: "snapshot-missing",
            files: &[],
            args: &["inventory", "--snapshot", "gone.json"],
            env: &[],
            code: 2,
            expect: &["cannot read snapshot gone.json"],
        },
        Case {
            id: "snapshot-same-source-twice",
            files: &[("a.json", SNAP_OK), ("b.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "a.json", "--snapshot", "b.json"],
            env: &[],
            code: 2,
            expect: &["source \"aws\" appears in both a.json and b.json"],
        },
        Case {
            id: "inventory-as-of-yesterday",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--as-of", "yesterday"],
            env: &[],
            code: 2,
            expect: &[
                "--as-of",
                "expected an RFC 3339 time such as 2026-11-01T00:00:00Z",
                "\"yesterday\"",
            ],
        },
        Case {
            id: "inventory-as-of-impossible-date",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--as-of", "2026-02-30"],
            env: &[],
            code: 2,
            expect: &["--as-of", "\"2026-02-30\""],
        },
        Case {
            id: "inventory-fail-on-unknown",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--fail-on", "severe"],
            env: &[],
            code: 2,
            expect: &["--fail-on", "severe"],
        },
        Case {
            id: "inventory-only-unknown-rule",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--only", "AID999"],
            env: &[],
            code: 2,
            expect: &["unknown rule \"AID999\""],
        },
        Case {
            id: "inventory-only-and-skip-cancel",
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
            env: &[],
            code: 2,
            expect: &["--only and --skip leave no rule to evaluate"],
        },
        Case {
            id: "inventory-unknown-source",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--source", "awz"],
            env: &[],
            code: 2,
            expect: &["--source \"awz\": no such source (did you mean \"aws\"?)"],
        },
        Case {
            id: "inventory-unknown-agent",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json", "--agent", "nobody"],
            env: &[],
            code: 2,
            expect: &["--agent \"nobody\": no agent or identity by that name"],
        },
        Case {
            id: "validate-format-csv",
            files: &[("r.yaml", "version: 1\n")],
            args: &["registry", "validate", "r.yaml", "-f", "csv"],
            env: &[],
            code: 2,
            expect: &["format csv is not available for registry validate (use table, json, yaml)"],
        },
        Case {
            id: "global-bad-color",
            files: &[],
            args: &["inventory", "--color", "sometimes"],
            env: &[],
            code: 2,
            expect: &["--color", "sometimes"],
        },
        Case {
            id: "global-no-registry",
            files: &[],
            args: &["inventory"],
            env: &[],
            code: 2,
            expect: &["no registry found"],
        },
        Case {
            id: "init-over-existing",
            files: &[("agentid.yaml", "keep me")],
            args: &["registry", "init"],
            env: &[],
            code: 2,
            expect: &["agentid.yaml already exists; not overwriting it"],
        },
        Case {
            id: "global-output-dir-missing",
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
            env: &[],
            code: 3,
            expect: &["cannot write no/such/dir/out.json"],
        },
    ]
}

/// An unsigned-looking but well-formed token (ES256 header, no real signature).
const JWT: &str = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib3QiLCJpc3MiOiJodHRwczovL2lkLmFjbWUuZXhhbXBsZSJ9.c2ln";
const ISSUER_REGISTRY: &str = "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.acme.example\n    algorithm: ES256\n    backend: { kind: file, dir: keys }\n    publish: { kind: file, path: jwks.json }\n";

fn token_cases() -> Vec<Case> {
    vec![
        Case {
            id: "token-decode-no-token",
            files: &[],
            args: &["token", "decode"],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "token-decode-on-command-line",
            files: &[],
            args: &["token", "decode", JWT],
            env: &[],
            code: 2,
            expect: &["not accepted on the command line"],
        },
        Case {
            id: "token-decode-file-missing",
            files: &[],
            args: &["token", "decode", "gone.jwt"],
            env: &[],
            code: 2,
            expect: &["gone.jwt"],
        },
        Case {
            id: "token-decode-directory",
            files: &[("d/x", "")],
            args: &["token", "decode", "d"],
            env: &[],
            code: 2,
            expect: &["directory"],
        },
        Case {
            id: "token-decode-empty",
            files: &[("t.jwt", "  \n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["t.jwt"],
        },
        Case {
            id: "token-decode-too-large",
            files: &[("t.jwt", "@big:70000")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["t.jwt", "64 KiB"],
        },
        Case {
            id: "token-decode-not-utf8",
            files: &[("t.jwt", "@notutf8")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["t.jwt", "UTF-8"],
        },
        Case {
            id: "token-decode-jwe",
            files: &[("t.jwt", "a.b.c.d.e\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["JWE"],
        },
        Case {
            id: "token-decode-opaque",
            files: &[("t.jwt", "opaque-token-value\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["not a JWT"],
        },
        Case {
            id: "token-decode-empty-header",
            files: &[("t.jwt", ".eyJzdWIiOiJ4In0.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["header"],
        },
        Case {
            id: "token-decode-bad-base64",
            files: &[("t.jwt", "eyJhbGciOiJSUzI1NiJ9.e30!.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["payload"],
        },
        Case {
            // base64url of `{"alg": RS256}`
            id: "token-decode-header-not-json",
            files: &[("t.jwt", "eyJhbGciOiBSUzI1Nn0.e30.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["header"],
        },
        Case {
            // base64url of `[]` as the payload
            id: "token-decode-payload-not-object",
            files: &[("t.jwt", "eyJhbGciOiJSUzI1NiJ9.W10.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["payload"],
        },
        Case {
            // `{"alg":"RS256","alg":"none"}`
            id: "token-decode-duplicate-key",
            files: &[("t.jwt", "eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["alg"],
        },
        Case {
            // `{"typ":"JWT"}`: no alg
            id: "token-decode-no-alg",
            files: &[("t.jwt", "eyJ0eXAiOiJKV1QifQ.e30.c2ln\n")],
            args: &["token", "decode", "t.jwt"],
            env: &[],
            code: 2,
            expect: &["alg"],
        },
        Case {
            id: "token-decode-env-unset",
            files: &[],
            args: &["token", "decode", "--env", "NO_SUCH_VAR"],
            env: &[],
            code: 2,
            expect: &["NO_SUCH_VAR"],
        },
        Case {
            id: "token-decode-file-and-env",
            files: &[("t.jwt", JWT)],
            args: &["token", "decode", "t.jwt", "--env", "TOKEN"],
            env: &[("TOKEN", JWT)],
            code: 2,
            expect: &["--env"],
        },
        Case {
            id: "token-decode-format-csv",
            files: &[("t.jwt", JWT)],
            args: &["token", "decode", "t.jwt", "-f", "csv"],
            env: &[],
            code: 2,
            expect: &["csv"],
        },
        Case {
            id: "token-decode-bad-max-lifetime",
            files: &[("t.jwt", JWT)],
            args: &["token", "decode", "t.jwt", "--max-lifetime", "forever"],
            env: &[],
            code: 2,
            expect: &["forever"],
        },
        Case {
            id: "token-verify-no-key-source",
            files: &[("t.jwt", JWT)],
            args: &["token", "verify", "t.jwt"],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "token-verify-jwks-missing",
            files: &[("t.jwt", JWT)],
            args: &["token", "verify", "t.jwt", "--jwks", "gone.json"],
            env: &[],
            code: 2,
            expect: &["cannot read the --jwks file gone.json: no such file"],
        },
        Case {
            id: "token-verify-jwks-not-json",
            files: &[("t.jwt", JWT), ("jwks.json", "{\"keys\": [\n")],
            args: &["token", "verify", "t.jwt", "--jwks", "jwks.json"],
            env: &[],
            code: 2,
            expect: &["jwks.json"],
        },
        Case {
            id: "token-verify-jwks-keys-not-array",
            files: &[("t.jwt", JWT), ("jwks.json", "{\"keys\": 1}")],
            args: &["token", "verify", "t.jwt", "--jwks", "jwks.json"],
            env: &[],
            code: 2,
            expect: &["jwks.json"],
        },
        Case {
            id: "token-verify-jwks-private-key",
            files: &[
                ("t.jwt", JWT),
                (
                    "jwks.json",
                    "@fixture:tests/fixtures/keys/jwks-private.json",
                ),
            ],
            args: &["token", "verify", "t.jwt", "--jwks", "jwks.json"],
            env: &[],
            code: 2,
            expect: &["jwks.json", "private"],
        },
        Case {
            id: "token-verify-jwks-http-url",
            files: &[("t.jwt", JWT)],
            args: &[
                "token",
                "verify",
                "t.jwt",
                "--jwks",
                "http://keys.acme.example/jwks.json",
            ],
            env: &[],
            code: 2,
            expect: &["http"],
        },
        Case {
            id: "token-verify-key-bad-pem",
            files: &[
                ("t.jwt", JWT),
                (
                    "k.pem",
                    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                ),
            ],
            args: &["token", "verify", "t.jwt", "--key", "k.pem"],
            env: &[],
            code: 2,
            expect: &["k.pem"],
        },
        Case {
            id: "token-verify-key-rsa-1024",
            files: &[
                ("t.jwt", JWT),
                ("k.pem", "@fixture:tests/fixtures/keys/rsa1024.pub.pem"),
            ],
            args: &["token", "verify", "t.jwt", "--key", "k.pem"],
            env: &[],
            code: 2,
            expect: &["k.pem"],
        },
        Case {
            id: "token-verify-key-private",
            files: &[
                ("t.jwt", JWT),
                ("k.pem", "@fixture:tests/fixtures/keys/ec256.pem"),
            ],
            args: &["token", "verify", "t.jwt", "--key", "k.pem"],
            env: &[],
            code: 2,
            expect: &["k.pem"],
        },
        Case {
            id: "token-verify-bad-clock-skew",
            files: &[("t.jwt", JWT)],
            args: &["token", "verify", "t.jwt", "--clock-skew", "a while"],
            env: &[],
            code: 2,
            expect: &["--clock-skew"],
        },
        Case {
            id: "token-verify-bad-require-claim",
            files: &[("t.jwt", JWT)],
            args: &["token", "verify", "t.jwt", "--require-claim", "=x"],
            env: &[],
            code: 2,
            expect: &["--require-claim"],
        },
        Case {
            id: "token-verify-agent-without-registry",
            files: &[
                ("t.jwt", JWT),
                ("jwks.json", "@fixture:tests/fixtures/tokens/jwks.json"),
            ],
            args: &[
                "token",
                "verify",
                "t.jwt",
                "--jwks",
                "jwks.json",
                "--agent",
                "bot",
            ],
            env: &[],
            code: 2,
            expect: &["--agent"],
        },
        Case {
            id: "token-verify-batch-missing",
            files: &[("jwks.json", "@fixture:tests/fixtures/tokens/jwks.json")],
            args: &[
                "token",
                "verify",
                "--batch",
                "gone.txt",
                "--jwks",
                "jwks.json",
            ],
            env: &[],
            code: 2,
            expect: &["gone.txt"],
        },
        Case {
            id: "token-sign-key-missing",
            files: &[],
            args: &["token", "sign", "--key", "gone.pem"],
            env: &[],
            code: 2,
            expect: &["gone.pem"],
        },
        Case {
            id: "token-sign-key-public",
            files: &[("k.pem", "@fixture:tests/fixtures/keys/ec256.pub.pem")],
            args: &["token", "sign", "--key", "k.pem"],
            env: &[],
            code: 2,
            expect: &["k.pem"],
        },
        Case {
            id: "token-sign-key-encrypted",
            files: &[("k.pem", "@fixture:tests/fixtures/keys/ec256.encrypted.pem")],
            args: &["token", "sign", "--key", "k.pem"],
            env: &[],
            code: 2,
            expect: &["k.pem"],
        },
        Case {
            id: "token-sign-claims-not-object",
            files: &[
                ("k.pem", "@fixture:tests/fixtures/keys/ec256.pem"),
                ("c.json", "[1, 2]"),
            ],
            args: &["token", "sign", "--key", "k.pem", "--claims", "c.json"],
            env: &[],
            code: 2,
            expect: &["c.json"],
        },
        Case {
            id: "token-sign-alg-mismatch",
            files: &[("k.pem", "@fixture:tests/fixtures/keys/ec256.pem")],
            args: &["token", "sign", "--key", "k.pem", "--alg", "RS256"],
            env: &[],
            code: 2,
            expect: &["RS256"],
        },
    ]
}

fn exchange_cases() -> Vec<Case> {
    vec![
        Case {
            id: "exchange-no-subject-token",
            files: &[],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "https://as.acme.example/token",
            ],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "exchange-subject-token-on-command-line",
            files: &[],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "https://as.acme.example/token",
                "--subject-token",
                JWT,
            ],
            env: &[],
            code: 2,
            expect: &["command line"],
        },
        Case {
            id: "exchange-subject-token-missing",
            files: &[],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "https://as.acme.example/token",
                "--subject-token",
                "gone.jwt",
            ],
            env: &[],
            code: 2,
            expect: &["gone.jwt"],
        },
        Case {
            id: "exchange-http-token-endpoint",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "http://as.acme.example/token",
                "--subject-token",
                "t.jwt",
            ],
            env: &[],
            code: 2,
            expect: &["http"],
        },
        Case {
            id: "exchange-client-secret-env-unset",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "https://as.acme.example/token",
                "--subject-token",
                "t.jwt",
                "--client-id",
                "broker",
                "--client-secret-env",
                "NO_SUCH_SECRET",
            ],
            env: &[],
            code: 2,
            expect: &["NO_SUCH_SECRET"],
        },
        Case {
            id: "exchange-aws-bad-role-arn",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "aws",
                "--role-arn",
                "arn:aws:iam::12:role/x",
                "--subject-token",
                "t.jwt",
            ],
            env: &[],
            code: 2,
            expect: &["--role-arn"],
        },
        Case {
            id: "exchange-aws-role-arn-not-a-role",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "aws",
                "--role-arn",
                "arn:aws:s3:::acme-bucket",
                "--subject-token",
                "t.jwt",
            ],
            env: &[],
            code: 2,
            expect: &["--role-arn"],
        },
        Case {
            id: "exchange-aws-duration-out-of-range",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "aws",
                "--role-arn",
                "arn:aws:iam::123456789012:role/deploy",
                "--subject-token",
                "t.jwt",
                "--duration",
                "1m",
            ],
            env: &[],
            code: 2,
            expect: &["--duration"],
        },
        Case {
            id: "exchange-gcp-bad-provider",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "gcp",
                "--provider",
                "pools/k8s",
                "--subject-token",
                "t.jwt",
            ],
            env: &[],
            code: 2,
            expect: &["--provider"],
        },
        Case {
            id: "exchange-format-not-offered",
            files: &[("t.jwt", JWT)],
            args: &[
                "exchange",
                "oauth",
                "--token-endpoint",
                "https://as.acme.example/token",
                "--subject-token",
                "t.jwt",
                "-f",
                "credential-process",
            ],
            env: &[],
            code: 2,
            expect: &["credential-process"],
        },
    ]
}

fn scan_cases() -> Vec<Case> {
    vec![
        Case {
            id: "scan-path-missing",
            files: &[],
            args: &["scan-secrets", "gone"],
            env: &[],
            code: 2,
            expect: &["gone"],
        },
        Case {
            id: "scan-stdin-with-paths",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "-", "a.txt"],
            env: &[],
            code: 2,
            expect: &["-"],
        },
        Case {
            id: "scan-bad-glob",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--include", "{a"],
            env: &[],
            code: 2,
            expect: &["--include"],
        },
        Case {
            id: "scan-bad-max-file-size",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--max-file-size", "lots"],
            env: &[],
            code: 2,
            expect: &["--max-file-size"],
        },
        Case {
            id: "scan-bad-fail-on",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--fail-on", "severe"],
            env: &[],
            code: 2,
            expect: &["--fail-on"],
        },
        Case {
            id: "scan-rules-missing",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--rules", "gone.yaml"],
            env: &[],
            code: 2,
            expect: &["gone.yaml"],
        },
        Case {
            id: "scan-rules-bad-regex",
            files: &[
                ("a.txt", "x"),
                (
                    "rules.yaml",
                    "rules:\n  - id: jwt\n    regex: \"(?P<secret>\"\n",
                ),
            ],
            args: &["scan-secrets", "a.txt", "--rules", "rules.yaml"],
            env: &[],
            code: 2,
            expect: &["rules.yaml:3:", "rules[0].regex"],
        },
        Case {
            id: "scan-rules-bad-severity",
            files: &[
                ("a.txt", "x"),
                ("rules.yaml", "rules:\n  - id: jwt\n    severity: severe\n"),
            ],
            args: &["scan-secrets", "a.txt", "--rules", "rules.yaml"],
            env: &[],
            code: 2,
            expect: &["rules.yaml:3:", "rules[0].severity"],
        },
        Case {
            id: "scan-rules-no-secret-group",
            files: &[
                ("a.txt", "x"),
                (
                    "rules.yaml",
                    "rules:\n  - id: acme\n    provider: acme\n    name: Acme key\n    regex: 'acme_[a-z]{8}'\n    keywords: [acme_]\n    severity: high\n    lifetime: long_lived\n    remediation: revoke it\n",
                ),
            ],
            args: &["scan-secrets", "a.txt", "--rules", "rules.yaml"],
            env: &[],
            code: 2,
            expect: &["rules.yaml:", "rules[0].regex"],
        },
        Case {
            id: "scan-rules-unknown-reference",
            files: &[
                ("a.txt", "x"),
                (
                    "rules.yaml",
                    "rules:\n  - id: jwt\n    suppresses: [no-such-rule]\n",
                ),
            ],
            args: &["scan-secrets", "a.txt", "--rules", "rules.yaml"],
            env: &[],
            code: 2,
            expect: &["rules.yaml:", "no-such-rule"],
        },
        Case {
            id: "scan-rules-not-utf8",
            files: &[("a.txt", "x"), ("rules.yaml", "@notutf8")],
            args: &["scan-secrets", "a.txt", "--rules", "rules.yaml"],
            env: &[],
            code: 2,
            expect: &["rules.yaml"],
        },
        Case {
            id: "scan-rules-list-bad-format",
            files: &[],
            args: &["scan-secrets", "rules", "-f", "sarif"],
            env: &[],
            code: 2,
            expect: &["sarif"],
        },
        Case {
            id: "scan-baseline-missing",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--baseline", "gone.json"],
            env: &[],
            code: 2,
            expect: &["gone.json"],
        },
        Case {
            id: "scan-baseline-not-json",
            files: &[("a.txt", "x"), ("b.json", "not json")],
            args: &["scan-secrets", "a.txt", "--baseline", "b.json"],
            env: &[],
            code: 2,
            expect: &["b.json"],
        },
        Case {
            id: "scan-baseline-wrong-kind",
            files: &[("a.txt", "x"), ("b.json", SNAP_OK)],
            args: &["scan-secrets", "a.txt", "--baseline", "b.json"],
            env: &[],
            code: 2,
            expect: &["b.json"],
        },
        Case {
            id: "scan-bad-shard",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--shard", "0/3"],
            env: &[],
            code: 2,
            expect: &["--shard"],
        },
        Case {
            id: "scan-format-yaml",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "-f", "yaml"],
            env: &[],
            code: 2,
            expect: &["yaml"],
        },
        Case {
            id: "scan-git-not-a-repository",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "--git", "."],
            env: &[],
            code: 2,
            expect: &["repository"],
        },
        Case {
            id: "scan-since-commit-without-git",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--since-commit", "HEAD~1"],
            env: &[],
            code: 2,
            expect: &["--since-commit"],
        },
        Case {
            id: "scan-estate-missing",
            files: &[("a.txt", "x")],
            args: &["scan-secrets", "a.txt", "--estate", "gone.json"],
            env: &[],
            code: 2,
            expect: &["gone.json"],
        },
        Case {
            id: "scan-output-dir-missing",
            files: &[("a.txt", "x")],
            args: &[
                "scan-secrets",
                "a.txt",
                "-o",
                "no/such/dir/out.json",
                "-f",
                "json",
            ],
            env: &[],
            code: 3,
            expect: &["no/such/dir/out.json"],
        },
    ]
}

fn rotate_cases() -> Vec<Case> {
    vec![
        Case {
            id: "rotate-no-registry",
            files: &[],
            args: &["rotate-keys", "status"],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "rotate-no-issuers",
            files: &[("agentid.yaml", "version: 1\n")],
            args: &["rotate-keys", "status"],
            env: &[],
            code: 2,
            expect: &["issuers"],
        },
        Case {
            id: "rotate-unknown-issuer",
            files: &[("agentid.yaml", ISSUER_REGISTRY)],
            args: &["rotate-keys", "status", "--issuer", "brokr"],
            env: &[],
            code: 2,
            expect: &["brokr"],
        },
        Case {
            id: "rotate-not-initialised",
            files: &[("agentid.yaml", ISSUER_REGISTRY)],
            args: &["rotate-keys", "jwks", "--issuer", "broker"],
            env: &[],
            code: 2,
            expect: &["broker"],
        },
        Case {
            id: "rotate-emergency-not-initialised",
            files: &[("agentid.yaml", ISSUER_REGISTRY)],
            args: &[
                "rotate-keys",
                "emergency",
                "--issuer",
                "broker",
                "--revoke",
                "k1",
                "--reason",
                "leaked",
            ],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "rotate-bad-algorithm",
            files: &[(
                "agentid.yaml",
                "version: 1\nissuers:\n  - name: broker\n    issuer: https://id.acme.example\n    algorithm: HS256\n    backend: { kind: file, dir: keys }\n    publish: { kind: file, path: jwks.json }\n",
            )],
            args: &["rotate-keys", "init", "--issuer", "broker"],
            env: &[],
            code: 2,
            expect: &["agentid.yaml:5:", "algorithm"],
        },
    ]
}

fn collect_diff_global_cases() -> Vec<Case> {
    vec![
        Case {
            id: "diff-old-missing",
            files: &[("new.json", SNAP_OK)],
            args: &["inventory", "diff", "old.json", "new.json"],
            env: &[],
            code: 2,
            expect: &["old.json"],
        },
        Case {
            id: "diff-new-not-json",
            files: &[("old.json", SNAP_OK), ("new.json", "{")],
            args: &["inventory", "diff", "old.json", "new.json"],
            env: &[],
            code: 2,
            expect: &["new.json"],
        },
        Case {
            id: "diff-bad-format",
            files: &[("old.json", SNAP_OK), ("new.json", SNAP_OK)],
            args: &["inventory", "diff", "old.json", "new.json", "-f", "csv"],
            env: &[],
            code: 2,
            expect: &["csv"],
        },
        Case {
            id: "from-missing",
            files: &[],
            args: &["inventory", "--from", "gone.json"],
            env: &[],
            code: 2,
            expect: &["gone.json"],
        },
        Case {
            id: "from-not-a-snapshot",
            files: &[(
                "s.json",
                "{\"schema_version\": 1, \"kind\": \"agentid.inventory\"}",
            )],
            args: &["inventory", "--from", "s.json"],
            env: &[],
            code: 2,
            expect: &["s.json"],
        },
        Case {
            id: "collect-no-registry",
            files: &[],
            args: &["inventory", "collect"],
            env: &[],
            code: 2,
            expect: &[],
        },
        Case {
            id: "collect-output-dir-missing",
            files: &[("agentid.yaml", MINIMAL_REGISTRY), ("estate.json", SNAP_OK)],
            args: &["inventory", "collect", "-o", "no/such/dir/estate.json"],
            env: &[],
            code: 3,
            expect: &["no/such/dir/estate.json"],
        },
        Case {
            id: "global-config-missing",
            files: &[],
            args: &["--config", "gone.yaml", "inventory"],
            env: &[],
            code: 2,
            expect: &["gone.yaml"],
        },
        Case {
            id: "global-config-env-missing",
            files: &[],
            args: &["inventory"],
            env: &[("AGENTID_CONFIG", "gone.yaml")],
            code: 2,
            expect: &["gone.yaml"],
        },
        Case {
            id: "global-format-env-bad",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[("AGENTID_FORMAT", "xml")],
            code: 2,
            expect: &["xml"],
        },
        Case {
            id: "global-as-of-env-bad",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[("AGENTID_AS_OF", "yesterday")],
            code: 2,
            expect: &["invalid value 'yesterday' in environment variable AGENTID_AS_OF"],
        },
        Case {
            id: "global-fail-on-env-bad",
            files: &[("s.json", SNAP_OK)],
            args: &["inventory", "--snapshot", "s.json"],
            env: &[("AGENTID_FAIL_ON", "severe")],
            code: 2,
            expect: &["invalid value 'severe' in environment variable AGENTID_FAIL_ON"],
        },
        Case {
            id: "global-unknown-command",
            files: &[],
            args: &["invent0ry"],
            env: &[],
            code: 2,
            expect: &["invent0ry"],
        },
        Case {
            id: "global-unknown-flag",
            files: &[],
            args: &["inventory", "--colour", "never"],
            env: &[],
            code: 2,
            expect: &["--colour"],
        },
        Case {
            id: "schema-format-table",
            files: &[],
            args: &["registry", "schema", "-f", "table"],
            env: &[],
            code: 2,
            expect: &["table"],
        },
        Case {
            id: "init-directory-missing",
            files: &[],
            args: &["registry", "init", "no/such/dir/agentid.yaml"],
            env: &[],
            code: 3,
            expect: &["no/such/dir/agentid.yaml"],
        },
        Case {
            id: "generate-unknown-shell",
            files: &[],
            args: &["generate", "completions", "tcsh"],
            env: &[],
            code: 2,
            expect: &["tcsh"],
        },
    ]
}

/// Every case of the catalogue, in docs order.
fn all_cases() -> Vec<Case> {
    let mut all = registry_cases();
    all.extend(snapshot_and_flag_cases());
    all.extend(token_cases());
    all.extend(exchange_cases());
    all.extend(scan_cases());
    all.extend(rotate_cases());
    all.extend(collect_diff_global_cases());
    all
}

/// One row of docs/bad-input.md: `| id | input | exit | message |`.
#[derive(Debug)]
struct DocRow {
    exit: i32,
    /// The first stderr line exactly; `[…]` stands for any text.
    message: String,
}

/// The rows of every catalogue table in docs/bad-input.md, by id.
fn doc_rows() -> std::collections::BTreeMap<String, DocRow> {
    let text = std::fs::read_to_string(common::repo().join("docs/bad-input.md"))
        .expect("docs/bad-input.md");
    let mut rows = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let cells = split_row(line);
        if cells.len() != 4 || !cells[0].starts_with('`') {
            continue;
        }
        let id = code_span(&cells[0]);
        let exit = cells[2]
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("docs/bad-input.md:{}: exit {:?}", n + 1, cells[2]));
        let message = code_span(&cells[3]);
        let dup = rows.insert(id.clone(), DocRow { exit, message });
        assert!(dup.is_none(), "docs/bad-input.md:{}: id {id} twice", n + 1);
    }
    rows
}

/// The cells of a markdown table row; `\|` is a literal bar.
fn split_row(line: &str) -> Vec<String> {
    let line = line.trim();
    if !line.starts_with('|') || !line.ends_with('|') || line.len() < 2 {
        return Vec::new();
    }
    let mut cells = vec![String::new()];
    let mut chars = line[1..line.len() - 1].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().expect("a cell").push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The text of a `code` or ``` ``code`` ``` span.
fn code_span(cell: &str) -> String {
    let ticks = cell.chars().take_while(|c| *c == '`').count();
    let inner = &cell[ticks..cell.len().saturating_sub(ticks)];
    if ticks > 1 {
        inner
            .strip_prefix(' ')
            .unwrap_or(inner)
            .strip_suffix(' ')
            .unwrap_or(inner)
            .to_string()
    } else {
        inner.to_string()
    }
}

/// `text` matches `pattern`, in which `[…]` stands for any text.
fn matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[…]").collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// Writes a case's file: `@fixture:PATH` copies a repository file,
/// `@big:N` is N bytes of `a`, `@notutf8` is bytes that are not UTF-8, and a
/// name with a `/` creates its directory.
fn materialise(s: &Scratch, name: &str, text: &str) {
    let bytes: Vec<u8> = if let Some(path) = text.strip_prefix("@fixture:") {
        std::fs::read(common::repo().join(path)).expect("fixture")
    } else if let Some(n) = text.strip_prefix("@big:") {
        vec![b'a'; n.parse().expect("@big:N")]
    } else if text == "@notutf8" {
        b"\xff\xfe\x00not utf-8\n".to_vec()
    } else {
        text.as_bytes().to_vec()
    };
    s.write(name, bytes);
}

/// Cases whose input holds several problems: one `error:` line each.
const MANY_PROBLEMS: &[&str] = &["registry-aws-kms-backend-block"];

fn check(case: &Case, row: &DocRow) {
    let s = Scratch::new();
    for (name, text) in case.files {
        materialise(&s, name, text);
    }
    let before = listing(s.path());
    let mut c = s.cmd();
    c.args(case.args);
    for (k, v) in case.env {
        c.env(k, v);
    }
    let (code, out, err) = run(c);
    assert_ne!(code, 101, "{}: panicked:\n{err}", case.id);
    assert_eq!(code, case.code, "{}: exit code; stderr:\n{err}", case.id);
    assert_eq!(
        row.exit, case.code,
        "{}: docs/bad-input.md says exit {}",
        case.id, row.exit
    );
    let first = err.lines().next().unwrap_or("");
    assert!(
        matches(&row.message, first),
        "{}: stderr's first line is not the documented message\n  docs: {}\n  got:  {first}",
        case.id,
        row.message
    );
    for want in case.expect {
        assert!(
            err.contains(want),
            "{}: stderr lacks {want:?}:\n{err}",
            case.id
        );
    }
    // One self-contained `error:` line; the argument parser may add its usage
    // and a hint. Nothing partial reaches stdout.
    let errors = err.lines().filter(|l| l.starts_with("error: ")).count();
    assert!(
        errors == 1 || (errors > 1 && MANY_PROBLEMS.contains(&case.id)),
        "{}: expected one error line, got {errors}:\n{err}",
        case.id
    );
    for line in err.lines() {
        assert!(
            line.starts_with("error: ")
                || line.starts_with("  ")
                || line.starts_with("Usage")
                || line.starts_with("For more")
                || line.is_empty()
                || line.starts_with("tip:"),
            "{}: unexpected stderr line {line:?}",
            case.id
        );
    }
    assert!(
        out.is_empty(),
        "{}: stdout must stay empty on error, got {out:?}",
        case.id
    );
    // No file was created or changed (no half-written output, no temp leftovers).
    assert_eq!(listing(s.path()), before, "{}: files changed", case.id);
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

/// Every case against its row of docs/bad-input.md: exit code, the exact
/// first stderr line, one `error:` line, empty stdout, no file touched.
/// A case without a row fails; its would-be row is printed so it can be
/// pasted into the docs after review.
#[test]
fn every_catalogue_row_holds() {
    let rows = doc_rows();
    let cases = all_cases();
    assert!(cases.len() >= 80, "the catalogue has {} rows", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let Some(row) = rows.get(case.id) else {
            let s = Scratch::new();
            for (name, text) in case.files {
                materialise(&s, name, text);
            }
            let mut c = s.cmd();
            c.args(case.args);
            for (k, v) in case.env {
                c.env(k, v);
            }
            let (code, _, err) = run(c);
            let first = err.lines().next().unwrap_or("").replace('|', "\\|");
            eprintln!("| `{}` | ? | {code} | ``{first}`` |", case.id);
            failed.push(format!("{}: no row in docs/bad-input.md", case.id));
            continue;
        };
        if let Err(panic) = std::panic::catch_unwind(|| check(case, row)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(why);
        }
    }
    assert!(
        failed.is_empty(),
        "{} rows fail:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// The docs cannot list a row no test proves.
#[test]
fn docs_list_no_row_without_a_case() {
    let ids: std::collections::BTreeSet<&str> = all_cases().iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), all_cases().len(), "a case id is used twice");
    let stray: Vec<String> = doc_rows()
        .into_keys()
        .filter(|id| !ids.contains(id.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "docs/bad-input.md rows without a test case: {stray:?}"
    );
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

/// Every malformed fixture, every past fuzz crasher and every ordinary
/// fixture, fed to the binary as each kind of input it reads: a token
/// (decode and verify), a key file, a registry, a snapshot, a rules file and
/// a scanned file. Whatever the bytes, the exit code is 0–3: never 101 (a
/// panic), never a signal.
#[test]
fn no_panic_on_any_malformed_or_fuzz_input() {
    let root = common::repo();
    let mut inputs = Vec::new();
    for dir in [
        "tests/fixtures/malformed",
        "tests/fixtures/fuzz-crashers",
        "tests/fixtures/tokens",
        "tests/fixtures/keys",
        "tests/fixtures/verify",
        "examples",
    ] {
        inputs.extend(
            walk(&root.join(dir))
                .into_iter()
                .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md" && e != "sh")),
        );
    }
    inputs.sort();
    assert!(
        inputs.len() >= 60,
        "only {} inputs: are the fixtures there?",
        inputs.len()
    );
    let jwks = root.join("tests/fixtures/tokens/jwks.json");
    let token = root.join("tests/fixtures/tokens/github-actions.jwt");
    let s = Scratch::new();
    let mut runs = 0;
    for input in &inputs {
        let f = input.to_str().expect("UTF-8 fixture path");
        let j = jwks.to_str().expect("UTF-8 path");
        let t = token.to_str().expect("UTF-8 path");
        let uses: [&[&str]; 8] = [
            &["token", "decode", f, "--as-of", AS_OF],
            &["token", "verify", f, "--jwks", j, "--as-of", AS_OF],
            &["token", "verify", t, "--key", f, "--as-of", AS_OF],
            &["registry", "validate", f],
            &[
                "inventory",
                "--snapshot",
                f,
                "--as-of",
                AS_OF,
                "--fail-on",
                "never",
            ],
            &["inventory", "diff", f, f],
            &["scan-secrets", "rules", "--rules", f],
            &["scan-secrets", f, "--fail-on", "never", "-f", "json"],
        ];
        for args in uses {
            let mut c = s.cmd();
            c.args(args);
            let out = c.output().expect("run agentid");
            runs += 1;
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=3)),
                "agentid {args:?} exited {code:?} (must be 0–3):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert_eq!(runs, inputs.len() * 8);
}
