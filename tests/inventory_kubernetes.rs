//! Fake-server tests of the `kubernetes` inventory source
//! (../shared/testing/README.md §3: no kube-apiserver can run here). An
//! in-process server answers in the documented formats of the Kubernetes
//! API (<https://kubernetes.io/docs/reference/kubernetes-api/>):
//! ServiceAccountList, PartialObjectMetadataList of Secrets of type
//! `kubernetes.io/service-account-token` (labels
//! `kubernetes.io/legacy-token-last-used` / `-invalid-since`, dates
//! `YYYY-MM-DD`), ClusterRoleList, ClusterRoleBindingList, RoleBindingList,
//! paged with `limit` / `metadata.continue`, errors as `Status` objects.
//!
//! The client is the real one: kube-rs reads a kubeconfig written in a temp
//! dir (two contexts, token auth) and talks plain http to 127.0.0.1.

#[path = "common/scripted.rs"]
mod scripted;

use std::time::Instant;

use agentid::inventory::kubernetes::collect;
use agentid::inventory::source::{SourceContext, SourceFailure};
use agentid::model::{Activity, CredentialKind, CredentialState, Estate};
use agentid::registry::KubernetesSource;
use scripted::{Answer, Request, Server};
use serde_json::{Value, json};

const TOKEN: &str = "kubeTESTbearerTOKENkubeTESTbearerTOKEN0001";
const OTHER_TOKEN: &str = "otherCONTEXTtokenOTHERcontextTOKEN0002";
const LEGACY_TOKEN_DATA: &str = "ZXlKaGJHY2lPaUpTVXpJMU5pSjkuTEVHQUNZU0VDUkVULnNpZw==";
const AS_OF: &str = "2026-11-01T00:00:00Z";

const SAS: &str = "/api/v1/serviceaccounts";
const SECRETS: &str = "/api/v1/secrets";
const ROLES: &str = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
const CRBS: &str = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
const RBS: &str = "/apis/rbac.authorization.k8s.io/v1/rolebindings";

fn meta(ns: &str, name: &str, created: &str) -> Value {
    json!({"name": name, "namespace": ns, "uid": format!("uid-{ns}-{name}"),
           "resourceVersion": "1001", "creationTimestamp": created})
}

fn sa(ns: &str, name: &str, owner: Option<&str>) -> Value {
    let mut m = meta(ns, name, "2026-01-05T10:00:00Z");
    if let Some(o) = owner {
        m["annotations"] = json!({"agentid.io/owner": o});
    }
    json!({"metadata": m})
}

/// A legacy token Secret's metadata as a PartialObjectMetadata item.
fn token(ns: &str, name: &str, account: &str, created: &str, labels: Value) -> Value {
    let mut m = meta(ns, name, created);
    m["labels"] = labels;
    m["annotations"] = json!({"kubernetes.io/service-account.name": account,
                              "kubernetes.io/service-account.uid": format!("uid-{ns}-{account}")});
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": m})
}

fn list(kind: &str, api_version: &str, items: Vec<Value>, next: Option<&str>) -> String {
    let mut m = json!({"resourceVersion": "2002"});
    if let Some(n) = next {
        m["continue"] = json!(n);
    }
    json!({"kind": kind, "apiVersion": api_version, "metadata": m, "items": items}).to_string()
}

fn binding(kind: &str, ns: Option<&str>, name: &str, role: (&str, &str), subjects: Value) -> Value {
    let mut m = json!({"name": name, "uid": format!("uid-{name}"), "creationTimestamp": "2026-01-05T10:00:00Z"});
    if let Some(ns) = ns {
        m["namespace"] = json!(ns);
    }
    json!({"kind": kind, "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": m,
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role.0, "name": role.1},
           "subjects": subjects})
}

fn status(code: u16, reason: &str, message: &str) -> String {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
    .to_string()
}

/// A cluster with one problem of each kind:
/// - team-a/deployer: bound to cluster-admin (AID020); a legacy token used
///   two days ago (AID017, medium);
/// - team-a/builder: bound to `view` only; a legacy token made in 2024 and
///   last used 2025-09-01 (AID017 high; as a static key also AID010, AID011);
/// - ci/legacy-bot: a legacy token marked invalid since 2026-10-01 (AID017 high);
/// - team-b/ops: undeclared (a shadow in the end-to-end test), bound in its
///   namespace to a custom ClusterRole granting `*` on `*` (AID020);
/// - default/default and kube-system/coredns: the cluster's own.
///
/// Service accounts come in three pages.
fn cluster() -> Server {
    let s = Server::start();
    s.on(SAS, |r, _| {
        let kind = "ServiceAccountList";
        match r.param("continue") {
            None => Answer::json(
                200,
                list(
                    kind,
                    "v1",
                    vec![
                        sa("default", "default", None),
                        sa("team-a", "deployer", Some("team-a")),
                    ],
                    Some("page-2"),
                ),
            ),
            Some("page-2") => Answer::json(
                200,
                list(
                    kind,
                    "v1",
                    vec![
                        sa("team-a", "builder", None),
                        sa("kube-system", "coredns", None),
                    ],
                    Some("page-3"),
                ),
            ),
            Some("page-3") => Answer::json(
                200,
                list(
                    kind,
                    "v1",
                    vec![sa("ci", "legacy-bot", None), sa("team-b", "ops", None)],
                    None,
                ),
            ),
            Some(_) => Answer::json(
                410,
                status(410, "Expired", "The provided continue parameter is too old"),
            ),
        }
    });
    s.always(
        SECRETS,
        Answer::json(
            200,
            list(
                "PartialObjectMetadataList",
                "meta.k8s.io/v1",
                vec![
                    token(
                        "team-a",
                        "deployer-token",
                        "deployer",
                        "2026-10-01T00:00:00Z",
                        json!({"kubernetes.io/legacy-token-last-used": "2026-10-30"}),
                    ),
                    token(
                        "team-a",
                        "builder-token",
                        "builder",
                        "2024-01-10T00:00:00Z",
                        json!({"kubernetes.io/legacy-token-last-used": "2025-09-01"}),
                    ),
                    token(
                        "ci",
                        "legacy-bot-token",
                        "legacy-bot",
                        "2023-03-01T00:00:00Z",
                        json!({"kubernetes.io/legacy-token-last-used": "2025-06-01",
                                 "kubernetes.io/legacy-token-invalid-since": "2026-10-01"}),
                    ),
                ],
                None,
            ),
        ),
    );
    s.always(
        ROLES,
        Answer::json(
            200,
            list(
                "ClusterRoleList",
                "rbac.authorization.k8s.io/v1",
                vec![
                    json!({"metadata": {"name": "cluster-admin"},
                           "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                                     {"nonResourceURLs": ["*"], "verbs": ["*"]}]}),
                    json!({"metadata": {"name": "everything"},
                           "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["*"]}]}),
                    json!({"metadata": {"name": "view"},
                           "rules": [{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["get", "list", "watch"]}]}),
                ],
                None,
            ),
        ),
    );
    s.always(
        CRBS,
        Answer::json(
            200,
            list(
                "ClusterRoleBindingList",
                "rbac.authorization.k8s.io/v1",
                vec![
                    binding("ClusterRoleBinding", None, "deployer-admin", ("ClusterRole", "cluster-admin"),
                            json!([{"kind": "ServiceAccount", "name": "deployer", "namespace": "team-a"}])),
                    binding("ClusterRoleBinding", None, "system:service-account-issuer-discovery",
                            ("ClusterRole", "system:service-account-issuer-discovery"),
                            json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:serviceaccounts"}])),
                    binding("ClusterRoleBinding", None, "builder-view", ("ClusterRole", "view"),
                            json!([{"kind": "ServiceAccount", "name": "builder", "namespace": "team-a"}])),
                    binding("ClusterRoleBinding", None, "admins", ("ClusterRole", "cluster-admin"),
                            json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice@acme.example"}])),
                ],
                None,
            ),
        ),
    );
    s.always(
        RBS,
        Answer::json(
            200,
            list(
                "RoleBindingList",
                "rbac.authorization.k8s.io/v1",
                // A ServiceAccount subject without a namespace means the binding's.
                vec![binding(
                    "RoleBinding",
                    Some("team-b"),
                    "ops-everything",
                    ("ClusterRole", "everything"),
                    json!([{"kind": "ServiceAccount", "name": "ops"}]),
                )],
                None,
            ),
        ),
    );
    s
}

/// A kubeconfig with two contexts: `other` (the current one, a cluster
/// nobody listens on) and `test` (the fake server), each with its token.
fn kubeconfig(dir: &std::path::Path, server: &Server) -> std::path::PathBuf {
    let path = dir.join("kubeconfig.yaml");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1
kind: Config
current-context: other
clusters:
- name: fake
  cluster:
    server: {}
- name: elsewhere
  cluster:
    server: http://127.0.0.1:9
users:
- name: auditor
  user:
    token: {TOKEN}
- name: someone
  user:
    token: {OTHER_TOKEN}
contexts:
- name: test
  context:
    cluster: fake
    user: auditor
- name: other
  context:
    cluster: elsewhere
    user: someone
",
            server.url
        ),
    )
    .unwrap();
    path
}

fn run_with(server: &Server, context: Option<&str>) -> (Result<Estate, SourceFailure>, u64) {
    let dir = tempfile::tempdir().unwrap();
    let settings = KubernetesSource {
        name: Some("prod".into()),
        kubeconfig: Some(kubeconfig(dir.path(), server).display().to_string()),
        context: context.map(str::to_string),
        ..KubernetesSource::default()
    };
    let ctx = SourceContext::new("prod", AS_OF.parse().unwrap());
    let r = agentid::http::block_on(collect(&settings, &ctx)).expect("runtime");
    (r, ctx.calls_made())
}

fn run(server: &Server) -> (Result<Estate, SourceFailure>, u64) {
    run_with(server, Some("test"))
}

fn assert_no_secret(f: &SourceFailure) {
    let text = format!("{f} {f:?}");
    for s in [TOKEN, OTHER_TOKEN, LEGACY_TOKEN_DATA] {
        assert!(!text.contains(s), "{text}");
    }
}

#[test]
fn reads_every_page_and_maps_the_cluster() {
    let server = cluster();
    let (estate, calls) = run(&server);
    let estate = estate.expect("collected");
    // 3 pages of service accounts + secrets + cluster roles + 2 binding lists.
    assert_eq!(calls, 7);
    let pages = server.requests_to(SAS);
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].param("continue"), None);
    assert_eq!(pages[1].param("continue"), Some("page-2"));
    assert_eq!(pages[2].param("continue"), Some("page-3"));
    for r in server.requests() {
        assert_eq!(r.method, "GET");
        assert_eq!(r.param("limit"), Some("500"), "{}", r.path);
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    // Only token Secrets, and only their metadata: the token never crosses the wire.
    let secrets = &server.requests_to(SECRETS)[0];
    assert_eq!(
        secrets.param("fieldSelector"),
        Some("type=kubernetes.io/service-account-token")
    );
    assert!(
        secrets
            .header("accept")
            .is_some_and(|a| a.contains("as=PartialObjectMetadataList")),
        "{:?}",
        secrets.headers
    );

    let ids: Vec<&str> = estate.identities.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "default/default",
            "team-a/deployer",
            "team-a/builder",
            "kube-system/coredns",
            "ci/legacy-bot",
            "team-b/ops"
        ]
    );
    let deployer = &estate.identities[1];
    assert_eq!(deployer.name, "deployer");
    assert_eq!(deployer.owner.as_deref(), Some("team-a"));
    assert_eq!(deployer.tags["namespace"], "team-a");
    assert_eq!(
        deployer.created,
        Some("2026-01-05T10:00:00Z".parse().unwrap())
    );
    assert_eq!(
        estate.sources[0].scope.as_deref(),
        Some(format!("{}/", server.url).as_str())
    );

    let cred = |id: &str| estate.credentials.iter().find(|c| c.id == id).unwrap();
    let builder = cred("team-a/builder-token");
    assert_eq!(builder.identity, "team-a/builder");
    assert_eq!(builder.kind, CredentialKind::KubernetesLegacyToken);
    assert_eq!(
        builder.last_used,
        Activity::At("2025-09-01T00:00:00Z".parse().unwrap())
    );
    assert_eq!(builder.state, CredentialState::Active);
    assert!(builder.long_lived);
    let bot = cred("ci/legacy-bot-token");
    assert_eq!(
        bot.invalid_since,
        Some("2026-10-01T00:00:00Z".parse().unwrap())
    );
    assert_eq!(bot.state, CredentialState::Inactive);

    let admin: Vec<(&str, &str)> = estate
        .privileges
        .iter()
        .filter(|p| p.admin)
        .map(|p| (p.identity.as_str(), p.grant.as_str()))
        .collect();
    assert_eq!(
        admin,
        [
            ("team-a/deployer", "cluster-admin"),
            ("team-b/ops", "everything")
        ]
    );
    // The view binding is kept, not admin; the issuer-discovery group binding
    // (every service account, harmless) and the human admin are not.
    assert!(
        estate
            .privileges
            .iter()
            .any(|p| p.identity == "team-a/builder" && p.grant == "view" && !p.admin)
    );
    assert_eq!(estate.privileges.len(), 3);
    let ops = estate
        .privileges
        .iter()
        .find(|p| p.identity == "team-b/ops")
        .unwrap();
    assert_eq!(
        ops.via.as_deref(),
        Some("RoleBinding team-b/ops-everything (namespace team-b only)")
    );

    let text = serde_json::to_string(&estate).unwrap();
    assert!(!text.contains(TOKEN) && !text.contains(OTHER_TOKEN));
}

fn evaluate(estate: &Estate) -> Vec<(String, String, String)> {
    let report = agentid::inventory::evaluate::evaluate(
        &agentid::registry::Registry::default(),
        None,
        estate,
        &Default::default(),
        &agentid::inventory::Options {
            as_of: AS_OF.parse().unwrap(),
            fail_on: agentid::registry::FailOn::Never,
            agent: None,
            rules: None,
        },
    );
    let mut out: Vec<(String, String, String)> = report
        .findings
        .iter()
        // Without a registry every service account is a shadow without an
        // owner; those two rules are checked end to end below.
        .filter(|f| f.rule != "AID002" && f.rule != "AID003")
        .map(|f| {
            (
                f.rule.to_string(),
                f.subject.id.clone(),
                f.severity.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn findings_over_the_collected_cluster() {
    let server = cluster();
    let estate = run(&server).0.expect("collected");
    let got = evaluate(&estate);
    let want: Vec<(String, String, String)> = [
        ("AID010", "team-a/builder-token", "medium"),
        ("AID011", "team-a/builder-token", "medium"),
        ("AID017", "ci/legacy-bot-token", "high"),
        ("AID017", "team-a/builder-token", "high"),
        ("AID017", "team-a/deployer-token", "medium"),
        ("AID020", "cluster-admin on team-a/deployer", "high"),
        ("AID020", "everything on team-b/ops", "high"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_group_of_every_service_account_bound_to_cluster_admin_makes_each_admin() {
    let server = cluster();
    server.always(
        CRBS,
        Answer::json(
            200,
            list(
                "ClusterRoleBindingList",
                "rbac.authorization.k8s.io/v1",
                vec![binding("ClusterRoleBinding", None, "oops", ("ClusterRole", "cluster-admin"),
                             json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:serviceaccounts:team-a"}]))],
                None,
            ),
        ),
    );
    let estate = run(&server).0.expect("collected");
    let mut admin: Vec<&str> = estate
        .privileges
        .iter()
        .filter(|p| p.admin && p.grant == "cluster-admin")
        .map(|p| p.identity.as_str())
        .collect();
    admin.sort();
    assert_eq!(admin, ["team-a/builder", "team-a/deployer"]);
    assert!(
        estate.privileges[0]
            .via
            .as_deref()
            .unwrap()
            .contains("through group system:serviceaccounts:team-a")
    );
}

#[test]
fn the_context_setting_picks_the_cluster_and_its_credentials() {
    let server = cluster();
    // Without `context:` the current context is used: `other`, where nobody listens.
    let started = Instant::now();
    let f = run_with(&server, None)
        .0
        .expect_err("the current context's cluster is down");
    assert_eq!(f.source, "prod");
    assert_eq!(f.endpoint, "GET /api/v1/serviceaccounts");
    assert!(
        f.cause
            .contains("cannot reach the API server at http://127.0.0.1:9/"),
        "{f}"
    );
    // Connection failures are retried: 250 + 500 + 1000 ms of backoff.
    assert!(
        started.elapsed().as_millis() >= 1700,
        "{:?}",
        started.elapsed()
    );
    assert_no_secret(&f);
    assert!(server.requests().is_empty());
    // A context the kubeconfig does not have.
    let f = run_with(&server, Some("staging"))
        .0
        .expect_err("no such context");
    assert!(f.endpoint.starts_with("kubeconfig "), "{f}");
    assert!(f.cause.contains("staging"), "{f}");
    assert_no_secret(&f);
    // `test` reaches the fake server with its own token (checked in the first test).
    assert!(run_with(&server, Some("test")).0.is_ok());
}

#[test]
fn honours_retry_after_and_retries_a_500() {
    let server = cluster();
    server.on(ROLES, |_, n| {
        if n == 0 {
            Answer::json(
                429,
                status(
                    429,
                    "TooManyRequests",
                    "Too many requests, please try again later.",
                ),
            )
            .with_header("retry-after", "1")
        } else {
            Answer::json(
                200,
                list(
                    "ClusterRoleList",
                    "rbac.authorization.k8s.io/v1",
                    vec![],
                    None,
                ),
            )
        }
    });
    server.on(RBS, |_, n| {
        if n == 0 {
            Answer::json(
                500,
                status(
                    500,
                    "InternalError",
                    "Internal error occurred: etcdserver: request timed out",
                ),
            )
        } else {
            Answer::json(
                200,
                list(
                    "RoleBindingList",
                    "rbac.authorization.k8s.io/v1",
                    vec![],
                    None,
                ),
            )
        }
    });
    let started = Instant::now();
    let (estate, calls) = run(&server);
    let estate = estate.expect("collected after retries");
    assert!(
        started.elapsed().as_millis() >= 950,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_to(ROLES).len(), 2);
    assert_eq!(server.requests_to(RBS).len(), 2);
    // Every request sent counts, retries included.
    assert_eq!(calls, 9);
    // With no cluster roles read, cluster-admin is still known to be admin.
    assert!(
        estate
            .privileges
            .iter()
            .any(|p| p.admin && p.grant == "cluster-admin")
    );
    assert!(!estate.privileges.iter().any(|p| p.identity == "team-b/ops"));
}

#[test]
fn a_500_that_persists_fails_the_source_after_four_attempts() {
    let server = cluster();
    server.always(
        CRBS,
        Answer::json(
            503,
            status(
                503,
                "ServiceUnavailable",
                "the server is currently unable to handle the request",
            ),
        ),
    );
    let f = run(&server).0.expect_err("503");
    assert_eq!(server.requests_to(CRBS).len(), 4);
    assert_eq!(f.endpoint, format!("GET {CRBS}"));
    assert!(f.cause.contains("HTTP 503"), "{f}");
    assert!(f.permission.is_none());
    assert_no_secret(&f);
}

#[test]
fn a_403_names_the_resource_and_the_rbac_permission() {
    let server = cluster();
    server.always(
        SECRETS,
        Answer::json(
            403,
            status(403, "Forbidden", "secrets is forbidden: User \"system:serviceaccount:audit:agentid\" cannot list resource \"secrets\" in API group \"\" at the cluster scope"),
        ),
    );
    let f = run(&server).0.expect_err("403");
    assert_eq!(f.source, "prod");
    assert_eq!(f.endpoint, "GET /api/v1/secrets");
    assert!(
        f.cause.contains("list secrets (all namespaces) denied"),
        "{f}"
    );
    assert!(f.cause.contains("cannot list resource"), "{f}");
    let p = f.permission.as_deref().unwrap();
    assert!(p.contains("list on secrets"), "{p}");
    assert_eq!(
        server.requests_to(SECRETS).len(),
        1,
        "a refusal is not retried"
    );
    assert_no_secret(&f);
}

#[test]
fn a_401_says_the_credentials_were_refused_without_showing_them() {
    let server = cluster();
    server.always(
        SAS,
        Answer::json(401, status(401, "Unauthorized", "Unauthorized")),
    );
    let f = run(&server).0.expect_err("401");
    assert!(f.cause.contains("refused the credentials"), "{f}");
    assert_no_secret(&f);
}

#[test]
fn malformed_json_names_the_source_and_the_endpoint() {
    let server = cluster();
    server.always(
        RBS,
        Answer::json(
            200,
            r#"{"kind":"RoleBindingList","items":[{"metadata":{"name":7}}]}"#,
        ),
    );
    let f = run(&server).0.expect_err("malformed");
    assert_eq!(f.source, "prod");
    assert_eq!(f.endpoint, format!("GET {RBS}"));
    assert!(f.cause.contains("malformed response"), "{f}");
    assert_no_secret(&f);
    server.always(RBS, Answer::json(200, "<html>proxy error</html>"));
    let f = run(&server).0.expect_err("not JSON");
    assert!(f.cause.contains("malformed response"), "{f}");
}

#[test]
fn a_server_that_ignores_the_metadata_request_still_leaves_no_token_behind() {
    // An old or non-conforming server answering with the whole SecretList,
    // token data included: only the metadata is kept.
    let server = cluster();
    server.on(SECRETS, |r: &Request, _| {
        assert!(
            r.header("accept")
                .is_some_and(|a| a.contains("PartialObjectMetadataList"))
        );
        let mut item = token(
            "team-a",
            "deployer-token",
            "deployer",
            "2026-10-01T00:00:00Z",
            json!({}),
        );
        item["kind"] = json!("Secret");
        item["apiVersion"] = json!("v1");
        item["type"] = json!("kubernetes.io/service-account-token");
        item["data"] = json!({"token": LEGACY_TOKEN_DATA, "namespace": "dGVhbS1h"});
        Answer::json(200, list("SecretList", "v1", vec![item], None))
    });
    let estate = run(&server).0.expect("collected");
    assert_eq!(estate.credentials.len(), 1);
    assert_eq!(estate.credentials[0].last_used, Activity::Unknown);
    let text = format!("{} {estate:?}", serde_json::to_string(&estate).unwrap());
    assert!(!text.contains(LEGACY_TOKEN_DATA));
}

/// `agentid inventory` on a registry with a kubernetes source, found through
/// $KUBECONFIG and a context: the planted problems and nothing else.
#[test]
fn inventory_end_to_end_finds_each_planted_problem() {
    let server = cluster();
    let dir = tempfile::tempdir().unwrap();
    let kc = kubeconfig(dir.path(), &server);
    std::fs::write(
        dir.path().join("agentid.yaml"),
        "version: 1
owners:
  - id: team-a
    name: Team A
agents:
  - name: deployer
    owner: team-a
    purpose: Deploys the team's services
    identities:
      kubernetes:
        - serviceaccount: team-a/deployer
  - name: builder
    owner: team-a
    purpose: Builds images
    identities:
      kubernetes:
        - serviceaccount: team-a/builder
  - name: legacy-bot
    owner: team-a
    purpose: Old CI bot
    identities:
      kubernetes:
        - serviceaccount: ci/legacy-bot
sources:
  kubernetes:
    - name: prod
      context: test
      ignore: [\"kube-system/*\", \"*/default\"]
",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("agentid")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("KUBECONFIG", &kc)
        .args(["inventory", "--as-of", AS_OF, "-f", "json", "-vv"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings at or above high: {stderr}"
    );
    for s in [TOKEN, OTHER_TOKEN] {
        assert!(!stdout.contains(s) && !stderr.contains(s), "a token leaked");
    }
    // -v logs each API call by path.
    assert!(stderr.contains("GET /api/v1/secrets"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["source_errors"].as_array().map_or(0, Vec::len),
        0,
        "{report}"
    );
    let mut got: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["subject"]["id"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "AID002 team-b/ops high",
            "AID003 team-b/ops high",
            "AID010 team-a/builder-token medium",
            "AID011 team-a/builder-token medium",
            "AID017 ci/legacy-bot-token high",
            "AID017 team-a/builder-token high",
            "AID017 team-a/deployer-token medium",
            "AID020 cluster-admin on team-a/deployer high",
            "AID020 everything on team-b/ops high",
        ],
        "{report}"
    );
}

/// No kubeconfig anywhere and not in a pod: not bad input but a source that
/// cannot be read, so exit 3 with the report still written and a
/// `source_errors` entry saying where agentid looked.
#[test]
fn no_kubeconfig_and_no_pod_is_a_source_error_naming_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agentid.yaml"),
        "version: 1\nsources:\n  kubernetes:\n    - name: prod\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("agentid")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .args(["inventory", "-f", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: source not read: prod: kubeconfig or in-cluster config: no usable kubeconfig ($KUBECONFIG, ~/.kube/config) and not running in a pod"
        ),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let errors = report["source_errors"].as_array().expect("source_errors");
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["source"], "prod", "{report}");
}
