//! `agentid inventory` end to end: the real binary over real files.

mod common;

use common::schema::Inventory;
use common::{AS_OF, JSON_REPORT, MINIMAL_REGISTRY, Scratch, minimal_snapshot, run};

const ALL_RULES: [&str; 17] = [
    "AID001", "AID002", "AID003", "AID004", "AID010", "AID011", "AID012", "AID013", "AID014",
    "AID015", "AID016", "AID017", "AID018", "AID020", "AID021", "AID022", "AID023",
];

fn example_json(s: &Scratch, extra: &[&str]) -> (i32, Inventory, String) {
    let reg = s.example("ex");
    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF, "-f", "json", "--config"])
        .arg(&reg)
        .args(extra);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    (code, Inventory::parse(&out), err)
}

#[test]
fn example_estate_shows_every_rule_and_clean_agents() {
    let s = Scratch::new();
    let (code, inv, err) = example_json(&s, &[]);
    assert_eq!(
        code, 1,
        "the example has high findings, default --fail-on high: {err}"
    );
    assert_eq!(inv.schema_version, 1);
    assert_eq!(inv.kind, "agentid.inventory");
    assert_eq!(inv.as_of, AS_OF);
    let rules = inv.rules();
    for id in ALL_RULES {
        assert!(
            rules.contains(id),
            "rule {id} does not fire on the example; fired: {rules:?}"
        );
    }
    let clean: Vec<&str> = inv
        .agents
        .iter()
        .filter(|a| a.status == "declared" && a.findings == 0)
        .map(|a| a.name.as_str())
        .collect();
    assert!(
        clean.len() >= 3,
        "the example needs clean agents too, got {clean:?}"
    );
    // Every finding says what to do, and every count adds up.
    assert!(
        inv.findings
            .iter()
            .all(|f| !f.remediation.is_empty() && !f.evidence.is_empty())
    );
    let counted: usize = inv.summary.findings.values().sum();
    assert_eq!(counted + inv.summary.accepted, inv.findings.len());
    assert_eq!(
        inv.summary.shadow_identities,
        inv.agents.iter().filter(|a| a.status == "shadow").count()
    );
    assert!(inv.summary.failed);
}

#[test]
fn example_table_is_stable() {
    let s = Scratch::new();
    let reg = s.example("ex");
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--as-of",
        AS_OF,
        "--color",
        "never",
        "--config",
    ])
    .arg(&reg);
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "nothing on stderr for a normal run: {err}");
    insta::assert_snapshot!(
        "example_inventory_table",
        out.replace(&reg.display().to_string(), "<registry>")
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let s = Scratch::new();
    assert_eq!(example_json(&s, &["--fail-on", "never"]).0, 0);
    assert_eq!(example_json(&s, &["--fail-on", "critical"]).0, 1);
    // Only the info finding and below: --only AID023 (info) fails at info, passes at low.
    assert_eq!(
        example_json(&s, &["--only", "AID023", "--fail-on", "info"]).0,
        1
    );
    assert_eq!(
        example_json(&s, &["--only", "AID023", "--fail-on", "low"]).0,
        0
    );
}

#[test]
fn yaml_and_csv_carry_the_same_report() {
    let s = Scratch::new();
    let (_, inv, _) = example_json(&s, &[]);
    let reg = s.path().join("ex/agentid.yaml");

    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF, "-f", "yaml", "--config"])
        .arg(&reg);
    let (_, yaml, _) = run(c);
    let from_yaml: Inventory =
        serde_yaml::from_str(&yaml).expect("yaml matches the documented schema");
    assert_eq!(from_yaml.findings.len(), inv.findings.len());
    assert_eq!(from_yaml.agents.len(), inv.agents.len());

    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF, "-f", "csv", "--config"])
        .arg(&reg);
    let (_, csv_text, _) = run(c);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers[0], "schema_version");
    assert_eq!(headers[1], "record");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let findings = rows.iter().filter(|r| &r[1] == "finding").count();
    let agents = rows.iter().filter(|r| &r[1] == "agent").count();
    assert_eq!(findings, inv.findings.len());
    assert_eq!(agents, inv.agents.len());
    assert!(rows.iter().all(|r| &r[0] == "1"));
}

#[test]
fn agent_source_only_and_skip_narrow_the_report() {
    let s = Scratch::new();
    let (_, all, _) = example_json(&s, &[]);
    let some_agent = all
        .findings
        .iter()
        .find_map(|f| f.agent.clone())
        .expect("a declared agent with findings");

    let (_, one, _) = example_json(&s, &["--agent", &some_agent]);
    assert!(!one.findings.is_empty());
    assert!(
        one.findings
            .iter()
            .all(|f| f.agent.as_deref() == Some(some_agent.as_str()))
    );
    assert_eq!(one.agents.len(), 1);

    let source = all.sources[0].name.clone();
    let (_, by_source, _) = example_json(&s, &["--source", &source]);
    assert_eq!(by_source.sources.len(), 1);
    assert!(by_source.findings.iter().all(
        |f| f.subject.source.is_none() || f.subject.source.as_deref() == Some(source.as_str())
    ));

    let (_, only, _) = example_json(&s, &["--only", "AID010,aid011"]);
    assert!(!only.findings.is_empty());
    assert!(
        only.findings
            .iter()
            .all(|f| f.rule == "AID010" || f.rule == "AID011")
    );

    let (_, skipped, _) = example_json(&s, &["--skip", "AID002", "--skip", "AID003"]);
    assert!(
        skipped
            .findings
            .iter()
            .all(|f| f.rule != "AID002" && f.rule != "AID003")
    );
    assert_eq!(
        skipped.findings.len(),
        all.findings.len() - all.findings_of("AID002").count() - all.findings_of("AID003").count()
    );
}

/// Runs the minimal registry with `registry_extra` spliced in and returns the rules that fired.
fn rules_with(registry: &str, snapshot: &str) -> Vec<String> {
    let s = Scratch::new();
    s.write("agentid.yaml", registry);
    s.write("estate.json", snapshot);
    let mut c = s.cmd();
    c.args(JSON_REPORT);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    Inventory::parse(&out)
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .collect()
}

#[test]
fn thresholds_resolve_agent_over_source_over_defaults_over_built_in() {
    // A key 100 days old, used yesterday.
    let snap = minimal_snapshot("2026-07-24T00:00:00Z", "2026-10-31T00:00:00Z");
    let base = MINIMAL_REGISTRY;
    assert!(
        rules_with(base, &snap).contains(&"AID010".to_string()),
        "built-in 90d"
    );

    let defaults = base.replace("owners:", "defaults:\n  max_key_age: 120d\nowners:");
    assert!(
        !rules_with(&defaults, &snap).contains(&"AID010".to_string()),
        "defaults 120d"
    );

    let source = defaults.replace(
        "    - path: estate.json\n",
        "    - path: estate.json\n      thresholds:\n        max_key_age: 60d\n",
    );
    assert!(
        rules_with(&source, &snap).contains(&"AID010".to_string()),
        "source 60d beats defaults"
    );

    let agent = source.replace(
        "    owner: team-a\n",
        "    owner: team-a\n    thresholds:\n      max_key_age: 200d\n",
    );
    assert!(
        !rules_with(&agent, &snap).contains(&"AID010".to_string()),
        "agent 200d beats source"
    );
}

#[test]
fn acceptance_holds_until_its_date() {
    // Created 100 days ago: AID010 (medium). --fail-on medium makes it matter.
    let snap = minimal_snapshot("2026-07-24T00:00:00Z", "2026-10-31T00:00:00Z");
    let accept = |until: &str| {
        MINIMAL_REGISTRY.replace(
            "    owner: team-a\n",
            &format!("    owner: team-a\n    accept:\n      - rule: AID010\n        reason: vendor cannot rotate until Q1\n        until: {until}\n"),
        )
    };
    for (until, accepted) in [
        ("2026-12-31", true),
        ("2026-11-01", true),
        ("2026-10-31", false),
    ] {
        let s = Scratch::new();
        s.write("agentid.yaml", accept(until));
        s.write("estate.json", &snap);
        let mut c = s.cmd();
        c.args([
            "inventory",
            "--as-of",
            AS_OF,
            "-f",
            "json",
            "--fail-on",
            "medium",
        ]);
        let (code, out, err) = run(c);
        let inv = Inventory::parse(&out);
        let f = inv
            .findings_of("AID010")
            .next()
            .expect("AID010 still listed");
        assert_eq!(f.accepted.is_some(), accepted, "until {until}");
        assert_eq!(code, if accepted { 0 } else { 1 }, "until {until}: {err}");
        assert_eq!(inv.summary.accepted, usize::from(accepted));
    }
}

#[test]
fn reporting_rules_for_disabled_ignored_and_fresh_identities() {
    let registry = "version: 1\nsources:\n  snapshot:\n    - path: estate.json\n      ignore: ['*:user/alice', 'AWSServiceRole*']\n";
    let snapshot = r#"{"schema_version": 1, "kind": "agentid.estate",
      "sources": [{"name": "aws", "provider": "aws", "scope": "123456789012"}],
      "identities": [
        {"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:user/old-bot", "name": "old-bot", "kind": "user", "owner": "x@acme.example", "disabled": true, "last_activity": "2020-01-01T00:00:00Z"},
        {"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:user/alice", "name": "alice", "kind": "user", "owner": "alice@acme.example"},
        {"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:role/AWSServiceRoleForSupport", "name": "AWSServiceRoleForSupport", "kind": "role", "last_activity": "never", "created": "2019-01-01T00:00:00Z"},
        {"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:user/new-bot", "name": "new-bot", "kind": "user", "owner": "y@acme.example", "last_activity": "2026-10-30T00:00:00Z"},
        {"source": "aws", "provider": "aws", "id": "arn:aws:iam::123456789012:user/keyless", "name": "keyless", "kind": "user", "owner": "z@acme.example", "last_activity": "2026-10-30T00:00:00Z"}
      ],
      "credentials": [
        {"source": "aws", "provider": "aws", "id": "AKIAOLD", "identity": "arn:aws:iam::123456789012:user/old-bot", "kind": "access_key", "created": "2026-10-01T00:00:00Z", "last_used": "2026-10-20T00:00:00Z", "state": "active", "long_lived": true},
        {"source": "aws", "provider": "aws", "id": "AKIAALICE", "identity": "arn:aws:iam::123456789012:user/alice", "kind": "access_key", "created": "2019-01-01T00:00:00Z", "last_used": "never", "state": "active", "long_lived": true},
        {"source": "aws", "provider": "aws", "id": "AKIANEW", "identity": "arn:aws:iam::123456789012:user/new-bot", "kind": "access_key", "created": "2026-10-29T00:00:00Z", "last_used": "never", "state": "active", "long_lived": true},
        {"source": "aws", "provider": "aws", "id": "AKIAINACTIVE", "identity": "arn:aws:iam::123456789012:user/keyless", "kind": "access_key", "created": "2025-01-01T00:00:00Z", "last_used": "2025-02-01T00:00:00Z", "state": "inactive", "long_lived": true}
      ]}"#;
    let s = Scratch::new();
    s.write("agentid.yaml", registry);
    s.write("estate.json", snapshot);
    let mut c = s.cmd();
    c.args(JSON_REPORT);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let inv = Inventory::parse(&out);
    let about = |id: &str| -> Vec<String> {
        inv.findings
            .iter()
            .filter(|f| f.subject.id.contains(id))
            .map(|f| f.rule.clone())
            .collect()
    };
    // A disabled identity is not itself a finding; its live key is (AID023).
    assert_eq!(about("old-bot"), Vec::<String>::new());
    assert_eq!(about("AKIAOLD"), vec!["AID023"]);
    // Ignored identities are never shadows, owner or dormancy findings...
    assert!(about("user/alice").is_empty() && about("AWSServiceRole").is_empty());
    // ...but the long-lived key they hold is still judged.
    assert_eq!(about("AKIAALICE"), vec!["AID010", "AID012"]);
    // A two-day-old unused key is not "never used"; the identity is still a shadow.
    assert_eq!(about("AKIANEW"), Vec::<String>::new());
    assert!(about("new-bot").contains(&"AID002".to_string()));
    // A user whose only key is inactive does not fail "unused" or "not rotated".
    assert!(about("AKIAINACTIVE").is_empty());
}

#[test]
fn snapshot_flag_works_without_a_registry() {
    let s = Scratch::new();
    let snap = s.write(
        "estate.json",
        minimal_snapshot("2026-07-24T00:00:00Z", "never"),
    );
    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF, "-f", "json", "--snapshot"])
        .arg(&snap);
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "a shadow identity is high: {err}");
    let inv = Inventory::parse(&out);
    assert_eq!(inv.registry, None);
    assert_eq!(inv.summary.shadow_identities, 1);
    assert!(inv.rules().contains("AID002") && inv.rules().contains("AID012"));
}

#[test]
fn missing_identity_only_when_its_source_was_scanned() {
    let registry = MINIMAL_REGISTRY.replace(
        "        - arn: arn:aws:iam::123456789012:role/bot\n",
        "        - arn: arn:aws:iam::123456789012:role/bot\n        - arn: arn:aws:iam::123456789012:role/gone\n        - arn: arn:aws:iam::999999999999:role/elsewhere\n      gcp:\n        - email: bot@p.iam.gserviceaccount.com\n",
    );
    let s = Scratch::new();
    s.write("agentid.yaml", registry);
    s.write(
        "estate.json",
        minimal_snapshot("2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"),
    );
    let mut c = s.cmd();
    c.args(JSON_REPORT);
    let (_, out, _) = run(c);
    let inv = Inventory::parse(&out);
    let missing: Vec<&str> = inv
        .findings_of("AID001")
        .map(|f| f.subject.id.as_str())
        .collect();
    // Same account, scanned: missing. Other account and unscanned GCP: not looked for.
    assert_eq!(missing, vec!["arn:aws:iam::123456789012:role/gone"]);
    assert_eq!(inv.agents[0].status, "partial");

    // An agent whose only identities were not looked for is not "missing".
    let registry = MINIMAL_REGISTRY.replace(
        "      aws:\n        - arn: arn:aws:iam::123456789012:role/bot\n",
        "      gcp:\n        - email: bot@p.iam.gserviceaccount.com\n",
    );
    std::fs::write(s.path().join("agentid.yaml"), registry).expect("write");
    let mut c = s.cmd();
    c.args(JSON_REPORT);
    let inv = Inventory::parse(&run(c).1);
    assert_eq!(inv.agents[0].status, "declared");
    assert_eq!(inv.summary.agents_missing, 0);
}

#[test]
fn agent_filter_refuses_names_that_are_not_agents() {
    let s = Scratch::new();
    let reg = s.example("ex");
    // release-bot's AWS role has a provider name of its own; it is not an agent name.
    let (_, inv, _) = example_json(&s, &[]);
    let role = inv
        .agents
        .iter()
        .find(|a| a.name == "release-bot")
        .expect("release-bot")
        .identities[0]
        .id
        .clone();
    let mut c = s.cmd();
    c.args(["inventory", "--as-of", AS_OF, "--config"])
        .arg(&reg)
        .args(["--agent", &role]);
    let (code, out, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("not a declared agent or shadow identity"),
        "{err}"
    );
}

#[test]
fn source_selects_a_registry_snapshot_entry_by_name_and_a_repeated_snapshot_is_read_once() {
    let s = Scratch::new();
    let reg = s.example("ex");
    let (_, all, _) = example_json(&s, &[]);
    // The registry's snapshot entry has no name: it is `snapshot:estate.json`.
    let (code, by_entry, err) = example_json(&s, &["--source", "snapshot:estate.json"]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(by_entry.findings.len(), all.findings.len());
    assert_eq!(by_entry.sources.len(), all.sources.len());
    // Naming the registry's own snapshot again with --snapshot is not a second source.
    let mut c = s.cmd();
    c.current_dir(reg.parent().expect("dir")).args([
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--snapshot",
        "estate.json",
    ]);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(Inventory::parse(&out).findings.len(), all.findings.len());
}

#[test]
fn agents_carry_purpose_trust_and_credential_ages_that_match_aid010() {
    let s = Scratch::new();
    let (_, inv, _) = example_json(&s, &["--fail-on", "never"]);
    assert_eq!(inv.summary.max_key_age, "90d");

    let loader = inv
        .agents
        .iter()
        .find(|a| a.name == "warehouse-loader")
        .expect("warehouse-loader");
    assert_eq!(
        loader.purpose.as_deref(),
        Some("Load nightly extracts into the data warehouse landing bucket")
    );
    assert!(loader.trust.is_empty());
    assert_eq!(loader.federated_trusts, 0);
    // 2025-12-01T08:12:40Z and 2026-10-20T11:05:09Z against 2026-11-01T00:00:00Z.
    let ages: Vec<(&str, Option<i64>)> = loader
        .credential_ages
        .iter()
        .map(|c| (c.id.as_str(), c.age_days))
        .collect();
    assert_eq!(
        ages,
        [
            ("AKIA4R7WQ2XK5N3PZ6HD", Some(334)),
            ("AKIA4R7WQ2XKJ8M1TQ2C", Some(11))
        ]
    );
    assert_eq!(loader.credential_ages.len(), loader.credentials);

    let reconciler = inv
        .agents
        .iter()
        .find(|a| a.name == "invoice-reconciler")
        .expect("invoice-reconciler");
    assert_eq!(reconciler.trust.len(), 1);
    assert_eq!(
        reconciler.trust[0].subject,
        "system:serviceaccount:billing:invoice-reconciler"
    );
    assert_eq!(reconciler.trust[0].audiences, ["sts.amazonaws.com"]);
    assert_eq!(reconciler.federated_trusts, 1);
    assert!(
        inv.agents
            .iter()
            .filter(|a| a.status == "shadow")
            .all(|a| a.purpose.is_none() && a.trust.is_empty())
    );

    // Every listed long-lived credential older than its max_key_age is an
    // AID010, and every other listed one is not.
    let aid010: std::collections::BTreeSet<&str> = inv
        .findings
        .iter()
        .filter(|f| f.rule == "AID010")
        .map(|f| f.subject.id.as_str())
        .collect();
    let mut judged = 0;
    for c in inv.agents.iter().flat_map(|a| &a.credential_ages) {
        let max_days: i64 = c
            .max_key_age
            .strip_suffix('d')
            .and_then(|d| d.parse().ok())
            .expect("the example's max_key_age is in days");
        let Some(age) = c.age_days else { continue };
        if age == max_days {
            continue;
        }
        judged += 1;
        assert_eq!(
            aid010.contains(c.id.as_str()),
            c.long_lived && age > max_days,
            "credential {} aged {age}d, max {}",
            c.id,
            c.max_key_age
        );
    }
    assert!(judged >= 15, "judged {judged}");
}

#[test]
fn credential_ages_carry_the_max_key_age_of_the_agent_thresholds() {
    let s = Scratch::new();
    let reg = s.example("ex");
    let text = std::fs::read_to_string(&reg).expect("registry");
    let before = "      unused_after: 100d\n";
    assert!(text.contains(before), "quarterly-forecaster's thresholds");
    std::fs::write(
        &reg,
        text.replacen(
            before,
            "      unused_after: 100d\n      max_key_age: 30d\n",
            1,
        ),
    )
    .expect("write registry");
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--fail-on",
        "never",
        "--config",
    ])
    .arg(&reg);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let inv = Inventory::parse(&out);
    assert_eq!(inv.summary.max_key_age, "90d", "the registry-wide value");
    let forecaster = inv
        .agents
        .iter()
        .find(|a| a.name == "quarterly-forecaster")
        .expect("quarterly-forecaster");
    let key = &forecaster.credential_ages[0];
    assert_eq!(key.max_key_age, "30d");
    assert_eq!(key.age_days, Some(74));
    assert!(
        inv.findings
            .iter()
            .any(|f| f.rule == "AID010" && f.subject.id == key.id),
        "74 days is past the agent's 30d"
    );
    assert!(
        inv.agents
            .iter()
            .filter(|a| a.name != "quarterly-forecaster")
            .flat_map(|a| &a.credential_ages)
            .all(|c| c.max_key_age == "90d")
    );
}
