//! `agentid inventory` from a live AWS account: moto_server (tests/common/moto.rs)
//! with an estate built through the official SDK, read by the real binary.

mod common;

use std::collections::BTreeSet;

use aws_sdk_iam::types::{StatusType, Tag};
use common::moto::Moto;
use common::{Scratch, run};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";
const GITHUB: &str = "https://token.actions.githubusercontent.com";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn iam_as(moto: &Moto, id: &str, secret: &str) -> aws_sdk_iam::Client {
    let creds = aws_sdk_iam::config::Credentials::new(id, secret, None, None, "test");
    aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::config::Builder::new()
            .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
            .region(aws_sdk_iam::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&moto.url)
            .build(),
    )
}

fn iam(moto: &Moto) -> aws_sdk_iam::Client {
    iam_as(moto, "testing", "testing")
}

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}")
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().expect("tag")
}

fn trust_policy(conditions: Value) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": conditions,
        }]
    })
    .to_string()
}

const ADMIN_DOC: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const READ_DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// What the fixture planted, with the secrets it must never see again.
struct Planted {
    used_key: String,
    never_key: String,
    inactive_key: String,
    secrets: Vec<String>,
}

/// The estate:
/// - used-bot: one key, used once (AID011/AID010 once it ages), owner tag;
/// - never-bot: one key never used (AID012, AID010 with age);
/// - inactive-bot: one inactive key (nothing);
/// - admin-bot: no key, an inline `*` policy (AID020);
/// - shadow-bot: declared by no agent, no owner tag (AID002, AID003);
/// - deploy-pinned: GitHub OIDC trust with `sub` (StringLike) and `aud` (nothing);
/// - deploy-any: GitHub OIDC trust with `aud` only (AID021);
/// - admin-role: a customer managed policy granting `*` (AID020), a harmless one.
fn plant(moto: &Moto) -> Planted {
    let rt = rt();
    let iam = iam(moto);
    rt.block_on(async {
        iam.create_open_id_connect_provider()
            .url(GITHUB)
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("a".repeat(40))
            .send()
            .await
            .expect("oidc provider");
        let mut secrets = Vec::new();
        let mut key_of = async |user: &str, tags: Vec<Tag>| -> String {
            iam.create_user()
                .user_name(user)
                .set_tags(Some(tags))
                .send()
                .await
                .expect("user");
            let k = iam
                .create_access_key()
                .user_name(user)
                .send()
                .await
                .expect("key");
            let k = k.access_key().expect("key");
            secrets.push(k.secret_access_key().to_owned());
            k.access_key_id().to_owned()
        };
        let used_key = key_of("used-bot", vec![tag("owner", "team-a")]).await;
        let never_key = key_of("never-bot", vec![]).await;
        let inactive_key = key_of("inactive-bot", vec![]).await;
        iam.update_access_key()
            .user_name("inactive-bot")
            .access_key_id(&inactive_key)
            .status(StatusType::Inactive)
            .send()
            .await
            .expect("deactivate");
        for user in ["admin-bot", "shadow-bot"] {
            iam.create_user()
                .user_name(user)
                .send()
                .await
                .expect("user");
        }
        iam.put_user_policy()
            .user_name("admin-bot")
            .policy_name("do-anything")
            .policy_document(ADMIN_DOC)
            .send()
            .await
            .expect("inline policy");

        let pinned = trust_policy(serde_json::json!({
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"},
        }));
        let any = trust_policy(serde_json::json!({
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        }));
        for (role, doc) in [
            ("deploy-pinned", &pinned),
            ("deploy-any", &any),
            ("admin-role", &pinned),
        ] {
            iam.create_role()
                .role_name(role)
                .assume_role_policy_document(doc)
                .tags(tag("owner", "team-a"))
                .send()
                .await
                .expect("role");
        }
        for (name, doc) in [("everything", ADMIN_DOC), ("read-objects", READ_DOC)] {
            let p = iam
                .create_policy()
                .policy_name(name)
                .policy_document(doc)
                .send()
                .await
                .expect("policy");
            iam.attach_role_policy()
                .role_name("admin-role")
                .policy_arn(p.policy().and_then(|p| p.arn()).expect("arn"))
                .send()
                .await
                .expect("attach");
        }
        // Use used-bot's key once: moto records it as the key's last use.
        let used_secret = secrets[0].clone();
        iam_as(moto, &used_key, &used_secret)
            .get_user()
            .send()
            .await
            .expect("a call signed with used-bot's key");
        Planted {
            used_key,
            never_key,
            inactive_key,
            secrets,
        }
    })
}

/// A registry declaring every planted identity but shadow-bot, with owners.
fn registry(endpoint: &str) -> String {
    let agent = |name: &str, kind: &str, extra: &str| {
        format!(
            "  - name: {name}\n    owner: team-a\n{extra}    identities:\n      aws:\n        - arn: {}\n",
            arn(kind, name)
        )
    };
    let trust = format!(
        "    trust:\n      - issuer: {GITHUB}\n        subject: \"repo:acme/app:*\"\n        audiences: [sts.amazonaws.com]\n"
    );
    let mut agents = String::new();
    for u in ["used-bot", "never-bot", "inactive-bot", "admin-bot"] {
        agents.push_str(&agent(u, "user", ""));
    }
    for r in ["deploy-pinned", "deploy-any", "admin-role"] {
        agents.push_str(&agent(r, "role", &trust));
    }
    format!(
        "version: 1\nowners:\n  - id: team-a\nsources:\n  aws:\n    - name: moto\n      endpoint: {endpoint}\nagents:\n{agents}"
    )
}

fn cmd(s: &Scratch, moto: &Moto) -> assert_cmd::Command {
    let mut c = s.cmd();
    for (k, v) in moto.env() {
        c.env(k, v);
    }
    c
}

/// Days from now as an RFC 3339 time.
fn days_ahead(days: i64) -> String {
    jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * days))
        .expect("time")
        .to_string()
}

fn json_run(s: &Scratch, moto: &Moto, args: &[&str]) -> (i32, Value, String) {
    let mut c = cmd(s, moto);
    c.args(["inventory", "-f", "json"]).args(args);
    let (code, out, err) = run(c);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("json ({e}), exit {code}:\n{out}\nstderr:\n{err}"));
    (code, v, err)
}

/// (rule, subject id) of every finding.
fn findings(v: &Value) -> BTreeSet<(String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["subject"]["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

fn set(items: &[(&str, String)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(r, s)| (r.to_string(), s.clone()))
        .collect()
}

#[test]
fn finds_each_planted_problem_and_nothing_else_as_keys_age() {
    let moto = Moto::start();
    let p = plant(&moto);
    let s = Scratch::new();
    s.write("agentid.yaml", registry(&moto.url));

    let always = vec![
        ("AID002", arn("user", "shadow-bot")),
        ("AID003", arn("user", "shadow-bot")),
        (
            "AID020",
            format!("do-anything on {}", arn("user", "admin-bot")),
        ),
        (
            "AID020",
            format!("everything on {}", arn("role", "admin-role")),
        ),
        (
            "AID021",
            format!("{GITHUB} -> {}", arn("role", "deploy-any")),
        ),
    ];
    let (code, v, err) = json_run(&s, &moto, &["--as-of", &days_ahead(1)]);
    assert_eq!(code, 1, "high findings: exit 1\n{err}");
    assert_eq!(findings(&v), set(&always), "tomorrow");
    assert!(v.get("source_errors").is_none(), "{v}");
    assert_eq!(v["sources"][0]["name"], "moto");
    assert_eq!(v["sources"][0]["scope"], ACCOUNT);
    assert_eq!(v["summary"]["identities"], 8);
    assert_eq!(v["summary"]["credentials"], 3, "{v}");
    assert_eq!(
        v["summary"]["long_lived_credentials"], 2,
        "active keys: {v}"
    );
    // The trust without `sub` says why.
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "AID021")
        .expect("AID021");
    assert!(
        f["evidence"]
            .as_str()
            .expect("evidence")
            .contains("no subject condition"),
        "{f}"
    );

    // 100 days on: both active keys are past max_key_age (90d), the used
    // one unused for 45d+, the never-used one past its grace. The inactive
    // key is judged for nothing.
    let mut aged = always.clone();
    aged.extend([
        ("AID010", p.used_key.clone()),
        ("AID010", p.never_key.clone()),
        ("AID011", p.used_key.clone()),
        ("AID012", p.never_key.clone()),
    ]);
    let (_, v, _) = json_run(&s, &moto, &["--as-of", &days_ahead(100)]);
    assert_eq!(findings(&v), set(&aged), "in 100 days");
    assert!(!findings(&v).iter().any(|(_, id)| *id == p.inactive_key));

    // 200 days on: roles never assumed are dormant (AID013, from RoleLastUsed).
    let (_, v, _) = json_run(&s, &moto, &["--as-of", &days_ahead(200)]);
    let got = findings(&v);
    for role in ["deploy-pinned", "deploy-any", "admin-role"] {
        assert!(
            got.contains(&("AID013".into(), arn("role", role))),
            "{role} dormant: {got:?}"
        );
    }
}

#[test]
fn collect_writes_a_snapshot_without_secrets_that_reads_back_to_the_same_report() {
    let moto = Moto::start();
    let p = plant(&moto);
    let s = Scratch::new();
    s.write("agentid.yaml", registry(&moto.url));

    let mut c = cmd(&s, &moto);
    c.args(["inventory", "collect", "-o", "estate.json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "the snapshot goes to the file: {out}");
    let text = std::fs::read_to_string(s.path().join("estate.json")).expect("snapshot");
    for secret in &p.secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret key leaked into the snapshot"
        );
    }
    let snap: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(snap["kind"], "agentid.estate");
    assert_eq!(snap["schema_version"], 1);
    assert_eq!(snap["identities"].as_array().expect("ids").len(), 8);
    assert_eq!(snap["credentials"].as_array().expect("creds").len(), 3);
    assert!(
        snap["trusts"]
            .as_array()
            .expect("trusts")
            .iter()
            .any(|t| t["subjects"] == serde_json::json!(["repo:acme/app:*"])),
        "{}",
        snap["trusts"]
    );

    let as_of = days_ahead(100);
    let (live_code, mut live, _) = json_run(&s, &moto, &["--as-of", &as_of]);
    let (from_code, mut from, err) =
        json_run(&s, &moto, &["--as-of", &as_of, "--from", "estate.json"]);
    assert_eq!(from_code, live_code, "{err}");
    // Only the collection times differ.
    for v in [&mut live, &mut from] {
        for src in v["sources"].as_array_mut().expect("sources") {
            src.as_object_mut().expect("source").remove("collected_at");
        }
    }
    assert_eq!(from, live);

    // --from reads no live source: it works with moto gone.
    drop(moto);
    let mut c = s.cmd();
    c.args([
        "inventory",
        "--from",
        "estate.json",
        "--as-of",
        &as_of,
        "-q",
    ]);
    let (code, _, err) = run(c);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn diff_shows_new_shadows_keys_created_and_deleted_owners_gone() {
    let moto = Moto::start();
    let p = plant(&moto);
    let s = Scratch::new();
    s.write("agentid.yaml", registry(&moto.url));
    let collect = |file: &str| {
        let mut c = cmd(&s, &moto);
        c.args(["inventory", "collect", "-o", file]);
        let (code, _, err) = run(c);
        assert_eq!(code, 0, "{err}");
    };
    collect("old.json");

    let rt = rt();
    let iam = iam(&moto);
    let new_key = rt.block_on(async {
        iam.create_user()
            .user_name("new-bot")
            .send()
            .await
            .expect("user");
        let k = iam
            .create_access_key()
            .user_name("new-bot")
            .send()
            .await
            .expect("key");
        iam.delete_access_key()
            .user_name("never-bot")
            .access_key_id(&p.never_key)
            .send()
            .await
            .expect("delete");
        iam.untag_user()
            .user_name("used-bot")
            .tag_keys("owner")
            .send()
            .await
            .expect("untag");
        k.access_key().expect("key").access_key_id().to_owned()
    });
    collect("new.json");

    let mut c = s.cmd();
    c.args(["inventory", "diff", "old.json", "new.json", "-f", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let d: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(d["kind"], "agentid.inventory-diff");
    assert_eq!(d["schema_version"], 1);
    let added = d["identities_added"].as_array().expect("added");
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["id"], arn("user", "new-bot"));
    assert_eq!(added[0]["shadow"], true);
    assert_eq!(d["summary"]["new_shadow_identities"], 1);
    assert_eq!(d["identities_removed"], serde_json::json!([]));
    let ids = |k: &str| -> Vec<String> {
        d[k].as_array()
            .expect("list")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids("credentials_created"), vec![new_key]);
    assert_eq!(ids("credentials_deleted"), vec![p.never_key.clone()]);
    let gone = d["owners_gone"].as_array().expect("owners gone");
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert_eq!(gone[0]["identity"], arn("user", "used-bot"));
    assert_eq!(gone[0]["owner"], "team-a");
    let opened: BTreeSet<(String, String)> = d["findings_opened"]
        .as_array()
        .expect("opened")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["subject"]["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        opened,
        set(&[
            ("AID002", arn("user", "new-bot")),
            ("AID003", arn("user", "new-bot")),
        ])
    );
    assert_eq!(d["findings_closed"], serde_json::json!([]));

    // The table names the same changes.
    let mut c = s.cmd();
    c.args(["inventory", "diff", "old.json", "new.json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    for want in [
        "IDENTITIES ADDED (1)",
        "new-bot",
        "CREDENTIALS DELETED (1)",
        "OWNERS GONE (1)",
        "FINDINGS OPENED (2)",
    ] {
        assert!(out.contains(want), "table lacks {want:?}:\n{out}");
    }

    // The HTML view: the new estate's report, the two opened findings and
    // the new shadow marked "new", the previous report named.
    let mut c = s.cmd();
    c.args(["inventory", "diff", "old.json", "new.json", "-f", "html"]);
    let (code, html, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("rows marked <span class=\"new-label\">new</span> were not in it"));
    let new_rows = html.matches(" class=\"new\">").count();
    assert_eq!(new_rows, 2, "the two opened findings");
    assert!(
        html.contains("status-shadow new\""),
        "the new shadow identity's section is marked new"
    );
}

#[test]
fn access_denied_is_a_source_error_that_does_not_hide_other_sources() {
    // moto enforces signatures and IAM policies after the first 3 requests,
    // which create the auditor: it may call sts:GetCallerIdentity and
    // iam:GetAccountAuthorizationDetails, not iam:ListOpenIDConnectProviders.
    let moto = Moto::start_with_env(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
    let rt = rt();
    let iam = iam(&moto);
    let (id, secret) = rt.block_on(async {
        iam.create_user().user_name("auditor").send().await.expect("user");
        let k = iam
            .create_access_key()
            .user_name("auditor")
            .send()
            .await
            .expect("key");
        iam.put_user_policy()
            .user_name("auditor")
            .policy_name("partial")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetCallerIdentity","iam:GetAccountAuthorizationDetails"],"Resource":"*"}]}"#,
            )
            .send()
            .await
            .expect("policy");
        let k = k.access_key().expect("key");
        (k.access_key_id().to_owned(), k.secret_access_key().to_owned())
    });
    let s = Scratch::new();
    let estate = s.example("ex").with_file_name("estate.json");
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  snapshot:\n    - path: {}\n      name: saved\n  aws:\n    - name: prod\n      endpoint: {}\n",
            estate.display(),
            moto.url
        ),
    );
    let run_as = |args: &[&str]| {
        let mut c = s.cmd();
        c.env("AWS_ACCESS_KEY_ID", &id)
            .env("AWS_SECRET_ACCESS_KEY", &secret)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args(["inventory", "--as-of", common::AS_OF])
            .args(args);
        run(c)
    };

    let (code, out, err) = run_as(&["-f", "json"]);
    assert_eq!(code, 3, "a source not read: exit 3\n{err}");
    assert!(
        err.contains("error: source not read: prod: iam:ListOpenIDConnectProviders: access denied"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    let errors = v["source_errors"].as_array().expect("source_errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["source"], "prod");
    assert_eq!(errors[0]["endpoint"], "iam:ListOpenIDConnectProviders");
    assert_eq!(errors[0]["permission"], "iam:ListOpenIDConnectProviders");
    // The snapshot source is still reported in full.
    assert!(v["summary"]["identities"].as_u64().expect("n") > 0, "{v}");
    assert!(!v["findings"].as_array().expect("findings").is_empty());

    let (code, out, _) = run_as(&[]);
    assert_eq!(code, 3);
    assert!(out.starts_with("SOURCE ERRORS (1)"), "{out}");
    assert!(out.contains("iam:ListOpenIDConnectProviders"), "{out}");
    assert!(
        out.trim_end().ends_with("INCOMPLETE: 1 source(s) not read"),
        "{out}"
    );

    let (code, out, _) = run_as(&["-f", "csv"]);
    assert_eq!(code, 3);
    assert!(
        out.lines()
            .any(|l| l.starts_with("1,source-error,")
                && l.contains("iam:ListOpenIDConnectProviders")),
        "{out}"
    );

    // --allow-partial: exit by findings (the example estate has high ones).
    let (code, _, err) = run_as(&["--allow-partial", "-q"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("warning: source not read: prod"), "{err}");

    // collect writes nothing when a source failed, unless --allow-partial.
    let mut c = s.cmd();
    c.env("AWS_ACCESS_KEY_ID", &id)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory", "collect", "-o", "estate-out.json"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(!s.path().join("estate-out.json").exists());
}

#[test]
fn an_unreachable_endpoint_is_a_source_error_naming_the_call() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!("version: 1\nsources:\n  aws:\n    - name: gone\n      endpoint: http://127.0.0.1:{port}\n"),
    );
    let mut c = s.cmd();
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory", "-f", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("gone: sts:GetCallerIdentity: cannot reach the endpoint"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["source_errors"][0]["endpoint"], "sts:GetCallerIdentity");
    // Never an empty inventory that looks clean: the error is in the report.
    assert_eq!(v["summary"]["identities"], 0);

    // No credentials at all: the cause says so.
    let mut c = s.cmd();
    c.env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no usable AWS credentials"), "{err}");
}

#[test]
fn a_source_with_role_arn_and_owner_tag_collects() {
    let moto = Moto::start();
    let rt = rt();
    let iam = iam(&moto);
    rt.block_on(async {
        iam.create_role()
            .role_name("agentid-audit")
            .assume_role_policy_document(trust_policy(serde_json::json!({
                "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/audit:ref:refs/heads/main"},
            })))
            .tags(tag("team", "security"))
            .send()
            .await
            .expect("role");
    });
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: audited\n      endpoint: {}\n      role_arn: {}\n      owner_tag: team\n",
            moto.url,
            arn("role", "agentid-audit")
        ),
    );
    let mut c = cmd(&s, &moto);
    c.args(["inventory", "collect", "-o", "estate.json", "-v"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("call=\"sts:GetCallerIdentity\""),
        "-v logs each call: {err}"
    );
    assert!(!err.contains("testing"), "no credential in the log: {err}");
    let snap: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("estate.json")).expect("read"))
            .expect("json");
    let role = &snap["identities"][0];
    assert_eq!(role["id"], arn("role", "agentid-audit"));
    assert_eq!(role["owner"], "security", "owner from owner_tag: team");
    assert_eq!(
        snap["trusts"][0]["subjects"],
        serde_json::json!(["repo:acme/audit:ref:refs/heads/main"])
    );
}

/// IAM's query-protocol answer for `action`.
fn iam_xml(action: &str, result: &str) -> Option<common::stub::Answer> {
    Some((
        200,
        "text/xml".into(),
        format!(
            "<{action}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>"
        ),
    ))
}

fn user_xml(name: &str) -> String {
    format!(
        "<member><Path>/</Path><UserName>{name}</UserName><UserId>AIDA{name}</UserId><Arn>{}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>",
        arn("user", name)
    )
}

fn key_xml(user: &str, id: &str) -> String {
    format!(
        "<member><UserName>{user}</UserName><AccessKeyId>{id}</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>"
    )
}

#[test]
fn pages_are_followed_throttling_is_retried_and_every_request_is_counted() {
    use base64::Engine;
    use std::sync::atomic::{AtomicBool, Ordering};

    let stub = common::stub::Stub::start();
    // Real IAM URL-encodes trust policies.
    let encoded_trust: String = trust_policy(serde_json::json!({
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
    }))
    .bytes()
    .map(|b| {
        if b.is_ascii_alphanumeric() {
            (b as char).to_string()
        } else {
            format!("%{b:02X}")
        }
    })
    .collect();
    let report = base64::engine::general_purpose::STANDARD.encode(
        "user,arn,user_creation_time,password_enabled,password_last_used,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n\
         <root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,no_information,true,2020-02-01T00:00:00+00:00,N/A,false,N/A,N/A\n",
    );
    let throttled = AtomicBool::new(false);
    stub.handle_with(move |req| {
        let action = req.field("Action")?;
        let marker = req.field("Marker");
        match (action.as_str(), marker.as_deref()) {
            ("GetCallerIdentity", _) => Some((
                200,
                "text/xml".into(),
                format!("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>{}</Arn><UserId>AIDAAUDIT</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>", arn("user", "audit")),
            )),
            ("GetAccountAuthorizationDetails", None) => iam_xml(
                &action,
                &format!("<IsTruncated>true</IsTruncated><Marker>p2</Marker><UserDetailList>{}</UserDetailList>", user_xml("u1")),
            ),
            ("GetAccountAuthorizationDetails", Some("p2")) => iam_xml(
                &action,
                &format!(
                    "<IsTruncated>true</IsTruncated><Marker>p3</Marker><UserDetailList>{}</UserDetailList><RoleDetailList><member><Path>/</Path><RoleName>r1</RoleName><RoleId>AROAR1</RoleId><Arn>{}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>{encoded_trust}</AssumeRolePolicyDocument><RoleLastUsed><LastUsedDate>2026-10-30T00:00:00Z</LastUsedDate><Region>us-east-1</Region></RoleLastUsed></member></RoleDetailList>",
                    user_xml("u2"),
                    arn("role", "r1")
                ),
            ),
            ("GetAccountAuthorizationDetails", Some("p3")) => iam_xml(
                &action,
                &format!("<IsTruncated>false</IsTruncated><UserDetailList>{}</UserDetailList>", user_xml("u3")),
            ),
            ("ListOpenIDConnectProviders", _) => iam_xml(&action, "<OpenIDConnectProviderList/>"),
            ("GenerateCredentialReport", _) => {
                iam_xml(&action, "<State>COMPLETE</State><Description>done</Description>")
            }
            ("GetCredentialReport", _) => iam_xml(
                &action,
                &format!("<Content>{report}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-01T00:00:00Z</GeneratedTime>"),
            ),
            ("ListAccessKeys", m) => {
                let user = req.field("UserName")?;
                let page = match (user.as_str(), m) {
                    ("u1", None) => format!("<AccessKeyMetadata>{}</AccessKeyMetadata><IsTruncated>true</IsTruncated><Marker>k2</Marker>", key_xml("u1", "AKIAU1A")),
                    ("u1", Some("k2")) => format!("<AccessKeyMetadata>{}</AccessKeyMetadata><IsTruncated>false</IsTruncated>", key_xml("u1", "AKIAU1B")),
                    ("u3", _) if !throttled.swap(true, Ordering::SeqCst) => {
                        return Some((
                            400,
                            "text/xml".into(),
                            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>".into(),
                        ));
                    }
                    ("u3", _) => format!("<AccessKeyMetadata>{}</AccessKeyMetadata><IsTruncated>false</IsTruncated>", key_xml("u3", "AKIAU3A")),
                    _ => "<AccessKeyMetadata/><IsTruncated>false</IsTruncated>".into(),
                };
                iam_xml(&action, &page)
            }
            ("GetAccessKeyLastUsed", _) => {
                let used = if req.field("AccessKeyId").as_deref() == Some("AKIAU1A") {
                    "<LastUsedDate>2026-10-01T00:00:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region>"
                } else {
                    "<ServiceName>N/A</ServiceName><Region>N/A</Region>"
                };
                iam_xml(&action, &format!("<UserName>x</UserName><AccessKeyLastUsed>{used}</AccessKeyLastUsed>"))
            }
            _ => None,
        }
    });

    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: scripted\n      endpoint: {}\n",
            stub.url
        ),
    );
    let mut c = s.cmd();
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory", "--as-of", common::AS_OF, "-f", "json", "-v"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    // 1 sts + 3 pages + 1 oidc + 2 report + ListAccessKeys (u1: 2 pages,
    // u2: 1, u3: throttled then 1) + 3 GetAccessKeyLastUsed = 15.
    let sent = stub.requests().len();
    assert_eq!(sent, 15, "{err}");
    assert!(
        err.contains(&format!("source done source=scripted calls={sent}")),
        "{err}"
    );
    assert_eq!(
        v["summary"]["identities"], 5,
        "u1..u3, r1 and the root: {v}"
    );
    assert_eq!(
        v["summary"]["credentials"], 4,
        "AKIAU1A, AKIAU1B, AKIAU3A, the root key"
    );
    let got = findings(&v);
    for want in [
        ("AID022", "root-access-key-1".to_string()),
        ("AID016", arn("user", "u1")),
        ("AID021", format!("{GITHUB} -> {}", arn("role", "r1"))),
        ("AID012", "AKIAU3A".to_string()),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.clone())),
            "{want:?} in {got:?}"
        );
    }
    // The key used a month before as_of is not "never used".
    assert!(!got.contains(&("AID012".to_string(), "AKIAU1A".to_string())));
}

/// `role_arn` on a real moto: the source reads the account of the role it
/// assumed, not the caller's. moto keeps one IAM per account and serves a
/// session's calls from the account in its role ARN, so a user planted
/// (through the same role) in another account is found only if every IAM
/// call really carries the assumed session.
#[test]
fn role_arn_reads_the_account_the_role_belongs_to() {
    const OTHER: &str = "111122223333";
    let moto = Moto::start();
    let rt = rt();
    let role = format!("arn:aws:iam::{OTHER}:role/agentid-audit");
    rt.block_on(async {
        let creds = aws_sdk_sts::config::Credentials::new("testing", "testing", None, None, "test");
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::config::Builder::new()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .region(aws_sdk_sts::config::Region::new("us-east-1"))
                .credentials_provider(creds)
                .endpoint_url(&moto.url)
                .build(),
        );
        let session = sts
            .assume_role()
            .role_arn(&role)
            .role_session_name("plant")
            .send()
            .await
            .expect("assume role");
        let c = session.credentials().expect("credentials");
        let creds = aws_sdk_iam::config::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            None,
            "test",
        );
        let other = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::new()
                .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
                .region(aws_sdk_iam::config::Region::new("us-east-1"))
                .credentials_provider(creds)
                .endpoint_url(&moto.url)
                .build(),
        );
        other
            .create_user()
            .user_name("only-in-the-other-account")
            .send()
            .await
            .expect("user in the other account");
        iam(&moto)
            .create_user()
            .user_name("only-in-the-caller-account")
            .send()
            .await
            .expect("user in the caller's account");
    });
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: audited\n      endpoint: {}\n      role_arn: {role}\n",
            moto.url
        ),
    );
    let mut c = cmd(&s, &moto);
    c.args(["inventory", "collect", "-o", "estate.json", "-v"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("call=\"sts:AssumeRole\"").count(),
        1,
        "assumed once: {err}"
    );
    let snap: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("estate.json")).expect("read"))
            .expect("json");
    assert_eq!(snap["sources"][0]["scope"], OTHER, "{snap}");
    let ids: Vec<&str> = snap["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        vec![format!(
            "arn:aws:iam::{OTHER}:user/only-in-the-other-account"
        )],
        "{snap}"
    );
}

/// `role_arn` against a scripted endpoint that sees every request: one
/// sts:AssumeRole signed with the caller's key, every later call signed
/// with the session it returned, and the AssumeRole counted like the rest
/// (the count in the log equals the requests the server received).
#[test]
fn role_arn_is_one_counted_assume_role_and_every_call_uses_the_session() {
    let stub = common::stub::Stub::start();
    stub.handle_with(move |req| {
        let action = req.field("Action")?;
        match action.as_str() {
            "AssumeRole" => Some((
                200,
                "text/xml".into(),
                "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>ASIASTUBSESSION</AccessKeyId><SecretAccessKey>stub-session-secret</SecretAccessKey><SessionToken>stub-session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/audit/agentid-inventory</Arn><AssumedRoleId>AROAAUDIT:agentid-inventory</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>".into(),
            )),
            "GetCallerIdentity" => Some((
                200,
                "text/xml".into(),
                format!("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:sts::{ACCOUNT}:assumed-role/audit/agentid-inventory</Arn><UserId>AROAAUDIT:agentid-inventory</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>"),
            )),
            "GetAccountAuthorizationDetails" => iam_xml(&action, "<IsTruncated>false</IsTruncated>"),
            "ListOpenIDConnectProviders" => iam_xml(&action, "<OpenIDConnectProviderList/>"),
            "GenerateCredentialReport" => {
                iam_xml(&action, "<State>COMPLETE</State><Description>done</Description>")
            }
            "GetCredentialReport" => {
                use base64::Engine;
                let csv = base64::engine::general_purpose::STANDARD.encode("user,arn\n");
                iam_xml(&action, &format!("<Content>{csv}</Content><ReportFormat>text/csv</ReportFormat>"))
            }
            _ => None,
        }
    });
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: scripted\n      endpoint: {}\n      role_arn: arn:aws:iam::{ACCOUNT}:role/audit\n",
            stub.url
        ),
    );
    let mut c = s.cmd();
    c.env("AWS_ACCESS_KEY_ID", "AKIACALLER")
        .env("AWS_SECRET_ACCESS_KEY", "caller-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory", "collect", "-o", "estate.json", "-v"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let requests = stub.requests();
    let actions: Vec<String> = requests
        .iter()
        .map(|r| r.field("Action").unwrap_or_default())
        .collect();
    // AssumeRole, then GetCallerIdentity, in that order; the rest run
    // concurrently (the listing and the credential report overlap), so
    // their order is not fixed.
    assert_eq!(
        actions[..2],
        ["AssumeRole", "GetCallerIdentity"],
        "{actions:?}"
    );
    let mut rest = actions[2..].to_vec();
    rest.sort();
    assert_eq!(
        rest,
        [
            "GenerateCredentialReport",
            "GetAccountAuthorizationDetails",
            "GetCredentialReport",
            "ListOpenIDConnectProviders",
        ],
        "{actions:?}"
    );
    let auth = |i: usize| {
        requests[i]
            .header("authorization")
            .unwrap_or_default()
            .to_owned()
    };
    assert!(auth(0).contains("Credential=AKIACALLER/"), "{}", auth(0));
    for (i, r) in requests.iter().enumerate().skip(1) {
        assert!(
            auth(i).contains("Credential=ASIASTUBSESSION/"),
            "{}",
            auth(i)
        );
        assert_eq!(r.header("x-amz-security-token"), Some("stub-session-token"));
    }
    assert!(
        err.contains(&format!(
            "source done source=scripted calls={}",
            requests.len()
        )),
        "every request counted once, AssumeRole included: {err}"
    );
    assert!(!err.contains("stub-session-secret") && !err.contains("caller-secret"));
}

#[test]
fn a_refused_assume_role_names_the_call_and_the_permission() {
    let stub = common::stub::Stub::start();
    stub.handle_with(move |req| match req.field("Action")?.as_str() {
        "AssumeRole" => Some((
            403,
            "text/xml".into(),
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/caller is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>".into(),
        )),
        _ => None,
    });
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: scripted\n      endpoint: {}\n      role_arn: arn:aws:iam::{ACCOUNT}:role/audit\n",
            stub.url
        ),
    );
    let mut c = s.cmd();
    c.env("AWS_ACCESS_KEY_ID", "AKIACALLER")
        .env("AWS_SECRET_ACCESS_KEY", "caller-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["inventory", "-f", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 3, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let e = &v["source_errors"][0];
    assert_eq!(e["endpoint"], "sts:AssumeRole", "{e}");
    assert!(
        e["cause"]
            .as_str()
            .unwrap_or_default()
            .contains("access denied"),
        "{e}"
    );
    assert!(
        e["permission"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!(
                "sts:AssumeRole on arn:aws:iam::{ACCOUNT}:role/audit"
            )),
        "{e}"
    );
    assert_eq!(stub.requests().len(), 1, "nothing after the refusal");
}

/// AID020 from attached managed policies: a customer policy allowing `*` on
/// `*`, AdministratorAccess and IAMFullAccess (`iam:*`) are admin; a
/// customer policy allowing s3:GetObject and the AWS managed ReadOnlyAccess
/// are not. ReadOnlyAccess's document is fetched once (GetPolicy +
/// GetPolicyVersion) although three identities hold it; the two policies
/// known by name and the customer ones (whose documents come with the
/// authorization details) cost no call.
#[test]
fn managed_policies_are_judged_by_document_once_per_policy() {
    // moto knows AWS managed policies only when asked to load them.
    let moto = Moto::start_with_env(&[("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")]);
    let rt = rt();
    let iam = iam(&moto);
    let aws_policy = |name: &str| format!("arn:aws:iam::aws:policy/{name}");
    rt.block_on(async {
        let mut customer = Vec::new();
        for (name, doc) in [("star", ADMIN_DOC), ("get-objects", READ_DOC)] {
            let p = iam
                .create_policy()
                .policy_name(name)
                .policy_document(doc)
                .send()
                .await
                .expect("policy");
            customer.push(p.policy().and_then(|p| p.arn()).expect("arn").to_owned());
        }
        let attach = [
            ("star-role", customer[0].clone()),
            ("objects-role", customer[1].clone()),
            ("reader-a", aws_policy("ReadOnlyAccess")),
            ("reader-b", aws_policy("ReadOnlyAccess")),
            ("admin-role", aws_policy("AdministratorAccess")),
        ];
        for (role, policy) in &attach {
            let _ = iam
                .create_role()
                .role_name(*role)
                .assume_role_policy_document(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
                )
                .send()
                .await;
            iam.attach_role_policy()
                .role_name(*role)
                .policy_arn(policy)
                .send()
                .await
                .unwrap_or_else(|e| panic!("attach {policy}: {e:?}"));
        }
        for (user, policy) in [("iam-admin", "IAMFullAccess"), ("reader-user", "ReadOnlyAccess")] {
            iam.create_user().user_name(user).send().await.expect("user");
            iam.attach_user_policy()
                .user_name(user)
                .policy_arn(aws_policy(policy))
                .send()
                .await
                .unwrap_or_else(|e| panic!("attach {policy}: {e:?}"));
        }
    });
    let s = Scratch::new();
    s.write(
        "agentid.yaml",
        format!(
            "version: 1\nsources:\n  aws:\n    - name: moto\n      endpoint: {}\n",
            moto.url
        ),
    );
    let (_, v, err) = json_run(&s, &moto, &["--as-of", &days_ahead(1), "-v"]);
    let admin: BTreeSet<String> = findings(&v)
        .into_iter()
        .filter(|(rule, _)| rule == "AID020")
        .map(|(_, id)| id)
        .collect();
    let want: BTreeSet<String> = [
        format!("star on {}", arn("role", "star-role")),
        format!("AdministratorAccess on {}", arn("role", "admin-role")),
        format!("IAMFullAccess on {}", arn("user", "iam-admin")),
    ]
    .into_iter()
    .collect();
    assert_eq!(admin, want, "{err}");
    assert_eq!(err.matches("call=\"iam:GetPolicy\"").count(), 1, "{err}");
    assert_eq!(
        err.matches("call=\"iam:GetPolicyVersion\"").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("policy=arn:aws:iam::aws:policy/ReadOnlyAccess"),
        "{err}"
    );
}
