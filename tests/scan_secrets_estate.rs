//! `agentid scan-secrets --estate SNAPSHOT`: found keys linked to the
//! credential, identity, agent and owner of an estate snapshot built for the test.

mod common;

use common::{Scratch, run};
use serde_json::{Value, json};

const AWS_KEY: &str = "AKIA2BMVXS5LQZ7RTP4K";
const AWS_SECRET: &str = "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";
const AWS_UNKNOWN: &str = "AKIA6HNDWQ3JRT2ZKXMV";
const ANTHROPIC: &str = "sk-ant-api03-yu4AbfSbDqiVGpollQ-9UDjoWkX4rb3MwhNHHRhxhpvtBt0-H5PArZ-EysfoDYbWMgWLRiRRna3vJvjttZD1o5fHoIvSBAA";
const OPENAI: &str = "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";
const GITHUB: &str = "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";

fn fp(secret: &str) -> String {
    agentid::scan::finding::fingerprint(secret.as_bytes())
}

/// A snapshot with: the AWS key (active, on a role the registry declares),
/// the Anthropic key by its Admin API hint (expired), the OpenAI key by its
/// redacted value, and an unrelated Anthropic key whose hint does not fit.
fn snapshot() -> Value {
    json!({
        "schema_version": 1,
        "kind": "agentid.estate",
        "sources": [
            {"name": "aws-prod", "provider": "aws", "scope": "123456789012"},
            {"name": "anthropic-acme", "provider": "anthropic"},
            {"name": "openai-acme", "provider": "openai"}
        ],
        "identities": [
            {"source": "aws-prod", "provider": "aws", "id": "arn:aws:iam::123456789012:user/loader",
             "name": "loader", "kind": "user", "owner": "provider-owner@acme.com"},
            {"source": "anthropic-acme", "provider": "anthropic", "id": "apikey_01AAA",
             "name": "summarizer-prod", "kind": "api_key", "owner": "maria@acme.com"},
            {"source": "anthropic-acme", "provider": "anthropic", "id": "apikey_01BBB",
             "name": "other", "kind": "api_key"},
            {"source": "openai-acme", "provider": "openai", "id": "user-svc1",
             "name": "forecaster", "kind": "service_account"}
        ],
        "credentials": [
            {"source": "aws-prod", "provider": "aws", "id": AWS_KEY,
             "identity": "arn:aws:iam::123456789012:user/loader", "kind": "access_key",
             "hint": "AKIA...TP4K", "state": "active", "long_lived": true},
            {"source": "anthropic-acme", "provider": "anthropic", "id": "apikey_01AAA",
             "identity": "apikey_01AAA", "kind": "api_key", "hint": "sk-ant-api03-yu4...SBAA",
             "expires": "2025-01-01T00:00:00Z", "state": "active", "long_lived": true},
            {"source": "anthropic-acme", "provider": "anthropic", "id": "apikey_01BBB",
             "identity": "apikey_01BBB", "kind": "api_key", "hint": "sk-ant-api03-Zz9...SBAA",
             "state": "active", "long_lived": true},
            {"source": "openai-acme", "provider": "openai", "id": "key_svc1",
             "identity": "user-svc1", "kind": "api_key", "hint": "sk-svcacct-piS...MslM",
             "state": "revoked", "long_lived": true}
        ]
    })
}

const REGISTRY: &str = "version: 1
owners:
  - id: team-data
agents:
  - name: warehouse-loader
    owner: team-data
    identities:
      aws:
        - arn: arn:aws:iam::123456789012:user/loader
  - name: slack-summarizer
    identities:
      anthropic:
        - api_key_id: apikey_01AAA
";

/// A scratch dir with leaked.env holding every kind of key, and the snapshot.
fn setup(snapshot: &Value) -> Scratch {
    let s = Scratch::new();
    s.write(
        "src/leaked.env",
        format!(
            "AWS_ACCESS_KEY_ID={AWS_KEY}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\n\
             ANTHROPIC_API_KEY={ANTHROPIC}\nOPENAI_API_KEY={OPENAI}\n\
             GITHUB_TOKEN={GITHUB}\nOTHER_KEY_ID={AWS_UNKNOWN}\n"
        ),
    );
    s.write(
        "estate.json",
        serde_json::to_string_pretty(snapshot).unwrap(),
    );
    s
}

fn scan_json(s: &Scratch, args: &[&str]) -> (i32, Value, String) {
    let mut c = s.cmd();
    c.args([
        "scan-secrets",
        "src",
        "--estate",
        "estate.json",
        "-f",
        "json",
    ])
    .args(args);
    let (code, out, err) = run(c);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, doc, err)
}

fn finding<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    let fp = fp(secret);
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["secret"]["fingerprint"] == fp.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{secret}: {doc:#}");
    found[0]
}

#[test]
fn keys_are_linked_to_credential_identity_agent_and_owner() {
    let s = setup(&snapshot());
    s.write("agentid.yaml", REGISTRY);
    let (code, doc, err) = scan_json(&s, &[]);
    assert_eq!(code, 1, "{err}");

    // AWS: the credential id is the key id.
    let aws = &finding(&doc, AWS_KEY)["estate"];
    assert_eq!(aws["status"], "matched");
    assert_eq!(aws["matched_by"], "id");
    let c = &aws["candidates"][0];
    assert_eq!(c["source"], "aws-prod");
    assert_eq!(c["identity"], "arn:aws:iam::123456789012:user/loader");
    assert_eq!(c["identity_name"], "loader");
    assert_eq!(c["agent"], "warehouse-loader");
    assert_eq!(c["owner"], "team-data", "the registry owner comes first");
    assert_eq!(c["state"], "active");
    assert_eq!(c["active"], true);
    assert_eq!(c["kind"], "access_key");
    assert_eq!(
        c["credential"], "AKIA...TP4K",
        "the key id is never shown whole"
    );

    // Its secret key, through the pair.
    let secret = &finding(&doc, AWS_SECRET)["estate"];
    assert_eq!(secret["status"], "matched");
    assert_eq!(secret["matched_by"], "pair");
    assert_eq!(secret["candidates"][0]["agent"], "warehouse-loader");

    // A key id the estate does not hold.
    let unknown = &finding(&doc, AWS_UNKNOWN)["estate"];
    assert_eq!(unknown["status"], "not_found");
    assert!(unknown.get("matched_by").is_none());
    assert_eq!(unknown["candidates"], json!([]));

    // Anthropic: by the Admin API's partial_key_hint; expired since.
    let ant = &finding(&doc, ANTHROPIC)["estate"];
    assert_eq!(ant["status"], "matched", "{ant:#}");
    assert_eq!(ant["matched_by"], "hint");
    let c = &ant["candidates"][0];
    assert_eq!(c["credential"], "apikey_01AAA");
    assert_eq!(c["agent"], "slack-summarizer");
    assert_eq!(
        c["owner"], "maria@acme.com",
        "no registry owner: the provider's"
    );
    assert_eq!(c["state"], "active");
    assert_eq!(c["active"], false, "its expiry has passed");

    // OpenAI: by redacted_value; revoked.
    let oai = &finding(&doc, OPENAI)["estate"];
    assert_eq!(oai["status"], "matched");
    let c = &oai["candidates"][0];
    assert_eq!(c["identity_name"], "forecaster");
    assert!(c.get("agent").is_none(), "no agent declares it");
    assert_eq!(c["state"], "revoked");
    assert_eq!(c["active"], false);

    // A GitHub token cannot be in an estate: no link at all.
    assert!(finding(&doc, GITHUB).get("estate").is_none());

    let sum = &doc["summary"]["estate"];
    assert_eq!(sum["snapshot"], "estate.json");
    assert_eq!(sum["registry"], "agentid.yaml");
    assert_eq!(
        (&sum["matched"], &sum["ambiguous"], &sum["not_found"]),
        (&json!(4), &json!(0), &json!(1))
    );
    assert!(
        err.contains("estate: 4 matched, 0 ambiguous, 1 not found"),
        "{err}"
    );
}

#[test]
fn without_a_registry_there_is_no_agent_but_still_the_identity_and_owner() {
    let s = setup(&snapshot());
    let (code, doc, err) = scan_json(&s, &[]);
    assert_eq!(code, 1, "{err}");
    let c = &finding(&doc, AWS_KEY)["estate"]["candidates"][0];
    assert!(c.get("agent").is_none());
    assert_eq!(c["owner"], "provider-owner@acme.com");
    assert!(doc["summary"]["estate"].get("registry").is_none());
}

#[test]
fn several_fitting_hints_are_ambiguous_and_all_listed() {
    let mut snap = snapshot();
    // A second Anthropic key whose (shorter) hint also fits the found key.
    snap["credentials"][2]["hint"] = json!("sk-ant-api03-...SBAA");
    let s = setup(&snap);
    let (_, doc, _) = scan_json(&s, &[]);
    let ant = &finding(&doc, ANTHROPIC)["estate"];
    assert_eq!(ant["status"], "ambiguous");
    let ids: Vec<&str> = ant["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["credential"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["apikey_01AAA", "apikey_01BBB"]);
    assert_eq!(doc["summary"]["estate"]["ambiguous"], 1);
}

#[test]
fn every_format_shows_the_owner() {
    let s = setup(&snapshot());
    s.write("agentid.yaml", REGISTRY);
    let base = ["scan-secrets", "src", "--estate", "estate.json"];

    let mut c = s.cmd();
    c.args(base).args(["--color", "never"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 1);
    assert!(out.contains("OWNED BY"), "{out}");
    assert!(
        out.contains("agent warehouse-loader (owner team-data)"),
        "{out}"
    );
    assert!(
        out.contains("access key AKIA...TP4K in aws-prod: ACTIVE"),
        "{out}"
    );
    assert!(
        out.contains("api key key_svc1 in openai-acme: revoked"),
        "{out}"
    );
    assert!(
        out.contains("api key apikey_01AAA in anthropic-acme: expired"),
        "{out}"
    );
    assert!(out.contains("not in the estate"), "{out}");
    assert!(!out.contains(AWS_KEY), "the key id is never printed whole");

    let mut c = s.cmd();
    c.args(base).args(["-f", "jsonl"]);
    let (_, out, _) = run(c);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let aws = lines
        .iter()
        .find(|l| l["secret"]["fingerprint"] == fp(AWS_KEY).as_str())
        .expect("aws line");
    assert_eq!(aws["estate"]["candidates"][0]["agent"], "warehouse-loader");

    let mut c = s.cmd();
    c.args(base).args(["-f", "csv"]);
    let (_, out, _) = run(c);
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let idx = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let aws = rows
        .iter()
        .find(|r| r[idx("fingerprint")] == fp(AWS_KEY))
        .expect("aws row");
    assert_eq!(&aws[idx("estate")], "matched");
    assert_eq!(&aws[idx("agent")], "warehouse-loader");
    assert_eq!(&aws[idx("owner")], "team-data");
    assert_eq!(
        &aws[idx("identity")],
        "arn:aws:iam::123456789012:user/loader"
    );
    assert_eq!(&aws[idx("credential_state")], "active");
    assert_eq!(&aws[idx("active")], "true");
    assert!(!out.contains(AWS_KEY));
}

#[test]
fn a_bad_snapshot_or_registry_exits_2_with_one_line_before_scanning() {
    let s = setup(&snapshot());
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("missing.json", None, "cannot read snapshot missing.json"),
        (
            "bad.json",
            Some("{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"credentials\": [{]}"),
            "bad.json:1:",
        ),
        (
            "wrong.json",
            Some("{\"schema_version\": 1, \"kind\": \"agentid.estate\", \"bogus\": 1}"),
            "wrong.json",
        ),
        ("src", None, "it is a directory"),
    ];
    for (file, text, want) in cases {
        if let Some(t) = text {
            s.write(file, t);
        }
        let mut c = s.cmd();
        c.args(["scan-secrets", "src", "--estate", file]);
        let (code, out, err) = run(c);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(out.is_empty(), "{file}: nothing on stdout: {out}");
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(want),
            "{file}: want {want:?}: {err}"
        );
    }
    // A registry that does not parse: it names the agents, so it is an error too.
    s.write("agentid.yaml", "version: 1\nagents: [\n");
    let mut c = s.cmd();
    c.args(["scan-secrets", "src", "--estate", "estate.json"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("agentid.yaml"), "{err}");
    // Without --estate the registry is not read at all.
    let mut c = s.cmd();
    c.args(["scan-secrets", "src", "--fail-on", "never"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn keys_found_in_history_are_linked_too() {
    use common::gitrepo::Repo;
    let mut r = Repo::new();
    r.write("ci.env", format!("AWS_ACCESS_KEY_ID={AWS_KEY}\n"));
    r.commit("add");
    r.remove("ci.env");
    r.commit("remove");
    r.scratch
        .write("estate.json", serde_json::to_string(&snapshot()).unwrap());
    let mut c = r.scratch.cmd();
    c.args([
        "scan-secrets",
        "--git",
        "repo",
        "--estate",
        "estate.json",
        "-f",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let f = finding(&doc, AWS_KEY);
    assert!(f["origin"]["commit"].is_string());
    assert_eq!(f["estate"]["candidates"][0]["identity_name"], "loader");
}

/// `estate` on a finding and `summary.estate`, read strictly.
#[test]
fn estate_fields_have_exactly_the_documented_shape() {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Candidate {
        source: String,
        provider: String,
        credential: String,
        kind: String,
        state: String,
        active: bool,
        #[serde(default)]
        hint: Option<String>,
        identity: String,
        #[serde(default)]
        identity_name: Option<String>,
        #[serde(default)]
        agent: Option<String>,
        #[serde(default)]
        owner: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Link {
        status: String,
        #[serde(default)]
        matched_by: Option<String>,
        candidates: Vec<Candidate>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Summary {
        snapshot: String,
        #[serde(default)]
        registry: Option<String>,
        matched: usize,
        ambiguous: usize,
        not_found: usize,
    }

    let s = setup(&snapshot());
    s.write("agentid.yaml", REGISTRY);
    let (_, doc, _) = scan_json(&s, &[]);
    let _: Summary = serde_json::from_value(doc["summary"]["estate"].clone()).expect("summary");
    let mut linked = 0;
    for f in doc["findings"].as_array().unwrap() {
        if let Some(e) = f.get("estate") {
            let link: Link = serde_json::from_value(e.clone()).expect("estate");
            assert_eq!(link.candidates.is_empty(), link.status == "not_found");
            linked += 1;
        }
    }
    assert_eq!(linked, 5);
}
