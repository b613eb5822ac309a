//! `agentid registry validate|schema|init` and where the registry is found.

mod common;

use common::schema::{Inventory, Validation};
use common::{AS_OF, MINIMAL_REGISTRY, Scratch, minimal_snapshot, repo, run};

#[test]
fn example_registry_is_valid() {
    let s = Scratch::new();
    let reg = s.example("ex");
    let mut c = s.cmd();
    c.args(["registry", "validate", "-f", "json"]).arg(&reg);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: Validation = serde_json::from_str(&out).expect("documented JSON");
    assert!(v.valid && v.problems.is_empty());
    let d = v.declares.expect("counts");
    assert!(d.agents >= 10 && d.owners >= 3 && d.sources == 1);
}

#[test]
fn validate_reads_stdin() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args(["registry", "validate", "-"])
        .write_stdin("version: 1\nowner: x\n");
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("<stdin>:2:1: owner: unknown field \"owner\", did you mean \"owners\"?"),
        "{err}"
    );
}

/// docs/agentid.schema.json is what `registry schema` prints. Regenerate with
/// `AGENTID_UPDATE_GOLDEN=1 cargo test`.
#[test]
fn published_schema_is_current() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args(["registry", "schema"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let path = repo().join("docs/agentid.schema.json");
    if std::env::var_os("AGENTID_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &out).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).expect("docs/agentid.schema.json exists");
    assert_eq!(
        committed, out,
        "docs/agentid.schema.json is stale: run AGENTID_UPDATE_GOLDEN=1 cargo test"
    );
    let schema: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    for field in [
        "version", "defaults", "owners", "agents", "sources", "issuers",
    ] {
        assert!(
            schema["properties"][field].is_object(),
            "schema documents {field}"
        );
    }
}

#[test]
fn init_writes_a_starter_that_validates_and_never_overwrites() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.args(["registry", "init"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote agentid.yaml"));
    let mut c = s.cmd();
    c.args(["registry", "validate"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("agentid.yaml: valid (1 agent, 1 owner, 1 source, 0 issuers)"),
        "{out}"
    );
    let text = std::fs::read_to_string(s.path().join("agentid.yaml")).expect("starter");
    assert!(text.starts_with("# yaml-language-server: $schema=agentid.schema.json\n"));
    // The schema the comment names is written beside it, and is the published one.
    let written = std::fs::read_to_string(s.path().join("agentid.schema.json"))
        .expect("schema beside the starter");
    let published =
        std::fs::read_to_string(repo().join("docs/agentid.schema.json")).expect("published");
    assert_eq!(written, published);
    let mut c = s.cmd();
    c.args(["registry", "init"]);
    assert_eq!(run(c).0, 2);
    assert_eq!(
        std::fs::read_to_string(s.path().join("agentid.yaml")).expect("kept"),
        text
    );
}

/// Writes a registry in `dir` whose snapshot is next to it, and whose
/// `defaults.fail_on` identifies it in the report.
fn registry_in(s: &Scratch, dir: &str, fail_on: &str) {
    let text = MINIMAL_REGISTRY.replace(
        "owners:",
        &format!("defaults:\n  fail_on: {fail_on}\nowners:"),
    );
    s.write(&format!("{dir}/agentid.yaml"), text);
    s.write(
        &format!("{dir}/estate.json"),
        minimal_snapshot("2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"),
    );
}

fn which_registry(c: assert_cmd::Command) -> (Option<String>, String) {
    which_registry_with(c, &[])
}

fn which_registry_with(mut c: assert_cmd::Command, extra: &[&str]) -> (Option<String>, String) {
    c.args(["inventory", "--as-of", AS_OF, "-f", "json"])
        .args(extra);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "{err}");
    let inv = Inventory::parse(&out);
    (inv.registry, inv.summary.fail_on)
}

#[test]
fn registry_lookup_precedence() {
    let s = Scratch::new();
    registry_in(&s, "flag", "critical");
    registry_in(&s, "env", "medium");
    registry_in(&s, ".", "low");
    registry_in(&s, "home/.config/agentid", "info");

    // --config beats AGENTID_CONFIG beats ./agentid.yaml beats $XDG_CONFIG_HOME.
    let mut c = s.cmd();
    c.args(["--config", "flag/agentid.yaml"])
        .env("AGENTID_CONFIG", "env/agentid.yaml");
    assert_eq!(
        which_registry(c),
        (Some("flag/agentid.yaml".into()), "critical".into())
    );

    let mut c = s.cmd();
    c.env("AGENTID_CONFIG", "env/agentid.yaml");
    assert_eq!(
        which_registry(c),
        (Some("env/agentid.yaml".into()), "medium".into())
    );

    let c = s.cmd();
    assert_eq!(
        which_registry(c),
        (Some("agentid.yaml".into()), "low".into())
    );

    std::fs::remove_file(s.path().join("agentid.yaml")).expect("rm");
    let c = s.cmd();
    let (path, fail_on) = which_registry(c);
    assert!(
        path.expect("xdg")
            .ends_with("home/.config/agentid/agentid.yaml")
    );
    assert_eq!(fail_on, "info");

    // Without XDG_CONFIG_HOME, ~/.config is the user directory.
    let mut c = s.cmd();
    c.env_remove("XDG_CONFIG_HOME");
    assert!(
        which_registry(c)
            .0
            .expect("home")
            .ends_with("home/.config/agentid/agentid.yaml")
    );
}

#[test]
fn setting_precedence_flag_env_file_default() {
    let s = Scratch::new();
    registry_in(&s, ".", "low");
    let fail_on = |flag: Option<&str>, env: Option<&str>| {
        let mut c = s.cmd();
        if let Some(e) = env {
            c.env("AGENTID_FAIL_ON", e);
        }
        let extra: Vec<&str> = flag.map(|f| vec!["--fail-on", f]).unwrap_or_default();
        which_registry_with(c, &extra).1
    };
    assert_eq!(
        fail_on(Some("critical"), Some("medium")),
        "critical",
        "flag beats env"
    );
    assert_eq!(fail_on(None, Some("medium")), "medium", "env beats file");
    assert_eq!(fail_on(None, None), "low", "file beats default");
    std::fs::write(s.path().join("agentid.yaml"), MINIMAL_REGISTRY).expect("rewrite");
    assert_eq!(fail_on(None, None), "high", "built-in default");

    // AGENTID_FORMAT and AGENTID_AS_OF, each beaten by its flag.
    let mut c = s.cmd();
    c.env("AGENTID_FORMAT", "json")
        .env("AGENTID_AS_OF", "2026-01-01");
    c.args(["inventory", "--fail-on", "never"]);
    let (_, out, _) = run(c);
    assert_eq!(Inventory::parse(&out).as_of, "2026-01-01T00:00:00Z");
    let mut c = s.cmd();
    c.env("AGENTID_FORMAT", "json")
        .env("AGENTID_AS_OF", "2026-01-01");
    c.args([
        "inventory",
        "--fail-on",
        "never",
        "-f",
        "csv",
        "--as-of",
        AS_OF,
    ]);
    let (_, out, _) = run(c);
    assert!(
        out.starts_with("schema_version,record,"),
        "flag beats AGENTID_FORMAT: {out}"
    );
}

#[test]
fn explicit_config_that_is_missing_is_an_error_not_a_fallback() {
    let s = Scratch::new();
    registry_in(&s, ".", "low");
    let mut c = s.cmd();
    c.args(["--config", "missing.yaml", "inventory"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read registry missing.yaml"), "{err}");
}
