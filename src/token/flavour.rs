//! Issuer-aware explanations: recognise tokens from well-known workload
//! issuers and say what their claims mean.
//!
//! Recognised: GitHub Actions OIDC tokens, Kubernetes service-account tokens
//! (projected and legacy), Google ID tokens, Microsoft Entra ID access tokens
//! and SPIFFE JWT-SVIDs. Anthropic's Workload Identity Federation consumes
//! tokens of these kinds rather than issuing JWTs of its own (its access
//! tokens, `sk-ant-oat01-…`, are opaque), so it has no flavour here.
//!
//! Recognition reads claims only: it says what a token claims to be, never
//! that it is genuine.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::claims::compact;

/// A recognised kind of token and what its claims say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flavour {
    /// Stable id: `github_actions`, `kubernetes`, `kubernetes_legacy`, `gcp`,
    /// `entra`, `spiffe`.
    pub id: String,
    /// `GitHub Actions OIDC token`.
    pub name: String,
    /// One line: who this token stands for.
    pub summary: String,
    pub facts: Vec<Fact>,
    /// Things worth knowing: risks, bindings, missing claims.
    pub notes: Vec<String>,
}

/// One claim and its meaning for this kind of token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Claim name; nested claims dotted: `kubernetes.io.pod.name`.
    pub claim: String,
    pub value: String,
    pub meaning: String,
}

pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// Every flavour the claims match (usually none or one).
pub fn recognise(claims: &Map<String, Value>) -> Vec<Flavour> {
    [
        github_actions,
        kubernetes,
        kubernetes_legacy,
        gcp,
        entra,
        spiffe,
    ]
    .iter()
    .filter_map(|f| f(claims))
    .collect()
}

fn str_at<'a>(claims: &'a Map<String, Value>, path: &[&str]) -> Option<&'a str> {
    value_at(claims, path).and_then(Value::as_str)
}

fn value_at<'a>(claims: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut v = claims.get(*first)?;
    for key in rest {
        v = v.as_object()?.get(*key)?;
    }
    Some(v)
}

/// Facts for the claims present, in the order given.
fn facts(claims: &Map<String, Value>, table: &[(&[&str], &str)]) -> Vec<Fact> {
    table
        .iter()
        .filter_map(|(path, meaning)| {
            let v = value_at(claims, path)?;
            if v.is_object() || v.as_str() == Some("") {
                return None;
            }
            Some(Fact {
                claim: path.join("."),
                value: compact(v),
                meaning: (*meaning).to_string(),
            })
        })
        .collect()
}

// ---- GitHub Actions ----

const GITHUB_FACTS: &[(&[&str], &str)] = &[
    (&["repository"], "repository the workflow ran in"),
    (
        &["repository_owner"],
        "organization or user owning the repository",
    ),
    (&["repository_visibility"], "public, private or internal"),
    (&["ref"], "git ref that triggered the run"),
    (&["ref_type"], "branch or tag"),
    (
        &["ref_protected"],
        "true when branch protection or rulesets apply to the ref",
    ),
    (&["sha"], "commit the run is for"),
    (
        &["environment"],
        "deployment environment of the job (its protection rules ran)",
    ),
    (&["event_name"], "event that triggered the run"),
    (&["base_ref"], "target branch of the pull request"),
    (&["head_ref"], "source branch of the pull request"),
    (&["workflow_ref"], "workflow file that ran, at its ref"),
    (
        &["job_workflow_ref"],
        "workflow file the job is defined in (a reusable workflow when it differs from workflow_ref)",
    ),
    (
        &["runner_environment"],
        "github-hosted or self-hosted runner",
    ),
    (&["actor"], "account that triggered the run"),
    (&["run_id"], "workflow run id"),
    (&["run_attempt"], "attempt number of the run"),
    (&["enterprise"], "enterprise owning the repository"),
];

fn github_actions(c: &Map<String, Value>) -> Option<Flavour> {
    let iss = str_at(c, &["iss"])?;
    let github_com = iss == GITHUB_ISSUER || iss.starts_with(&format!("{GITHUB_ISSUER}/"));
    let shaped = c.contains_key("job_workflow_ref")
        && c.contains_key("repository")
        && c.contains_key("run_id");
    if !github_com && !shaped {
        return None;
    }
    let mut notes = Vec::new();
    if !github_com {
        notes.push(format!(
            "shaped like a GitHub Actions token but issued by {iss}, not {GITHUB_ISSUER}: GitHub Enterprise Server, or an imitation"
        ));
    } else if iss != GITHUB_ISSUER {
        notes.push(
            "issuer has an enterprise slug: a customised GitHub Enterprise Cloud issuer".into(),
        );
    }
    if let Some(sub) = str_at(c, &["sub"]) {
        notes.push(format!("sub {sub:?} is what cloud trust policies usually match on; its form is repo:OWNER/REPO:environment:NAME, :ref:REF, :pull_request, unless the repository customised it"));
    }
    if str_at(c, &["runner_environment"]) == Some("self-hosted") {
        notes.push(
            "ran on a self-hosted runner: the machine is the repository owner's, not GitHub's"
                .into(),
        );
    }
    match str_at(c, &["event_name"]) {
        Some("pull_request_target") => notes.push("event pull_request_target: triggered by a pull request, possibly from a fork, but running with the base repository's permissions".into()),
        Some("pull_request") => notes.push("event pull_request: the code under test came from a pull request".into()),
        _ => {}
    }
    if let (Some(job), Some(wf)) = (
        str_at(c, &["job_workflow_ref"]),
        str_at(c, &["workflow_ref"]),
    ) && job != wf
    {
        notes.push(format!(
            "issued to a job of the reusable workflow {job}, called from {wf}"
        ));
    }
    let mut summary = String::from("workflow");
    if let Some(wf) = str_at(c, &["workflow_ref"]).or(str_at(c, &["workflow"])) {
        summary = format!("workflow {wf}");
    }
    if let Some(r) = str_at(c, &["ref"]) {
        summary.push_str(&format!(" on {r}"));
    }
    if let Some(env) = str_at(c, &["environment"]) {
        summary.push_str(&format!(", environment {env}"));
    }
    if let Some(runner) = str_at(c, &["runner_environment"]) {
        summary.push_str(&format!(", {runner} runner"));
    }
    Some(Flavour {
        id: "github_actions".into(),
        name: "GitHub Actions OIDC token".into(),
        summary,
        facts: facts(c, GITHUB_FACTS),
        notes,
    })
}

// ---- Kubernetes ----

const K8S_FACTS: &[(&[&str], &str)] = &[
    (
        &["kubernetes.io", "namespace"],
        "namespace of the service account",
    ),
    (
        &["kubernetes.io", "serviceaccount", "name"],
        "service account the token stands for",
    ),
    (
        &["kubernetes.io", "serviceaccount", "uid"],
        "uid of the service account: a re-created account with the same name has another",
    ),
    (
        &["kubernetes.io", "pod", "name"],
        "pod the token is bound to",
    ),
    (&["kubernetes.io", "pod", "uid"], "uid of that pod"),
    (&["kubernetes.io", "node", "name"], "node the pod runs on"),
    (&["kubernetes.io", "node", "uid"], "uid of that node"),
    (
        &["kubernetes.io", "secret", "name"],
        "secret the token is bound to",
    ),
    (
        &["kubernetes.io", "warnafter"],
        "when the issuer meant it to expire: exp was extended for clients that do not reload tokens",
    ),
];

fn kubernetes(c: &Map<String, Value>) -> Option<Flavour> {
    let k = c.get("kubernetes.io")?.as_object()?;
    let ns = k.get("namespace").and_then(Value::as_str);
    let sa = str_at(c, &["kubernetes.io", "serviceaccount", "name"]);
    let pod = str_at(c, &["kubernetes.io", "pod", "name"]);
    let secret = str_at(c, &["kubernetes.io", "secret", "name"]);
    let mut notes = Vec::new();
    match (pod, secret) {
        (Some(p), _) => notes.push(format!(
            "bound to pod {p}: the API server rejects it once that pod is deleted"
        )),
        (None, Some(s)) => notes.push(format!(
            "bound to secret {s}: the API server rejects it once that secret is deleted"
        )),
        (None, None) => notes.push(
            "bound to no pod or secret (kubectl create token?): it stays valid until exp".into(),
        ),
    }
    if let (Some(ns), Some(sa), Some(sub)) = (ns, sa, str_at(c, &["sub"]))
        && sub != format!("system:serviceaccount:{ns}:{sa}")
    {
        notes.push(format!(
            "sub {sub:?} does not match system:serviceaccount:{ns}:{sa}"
        ));
    }
    if let Some(w) = k.get("warnafter").and_then(Value::as_i64)
        && let Some(exp) = c.get("exp").and_then(Value::as_i64)
        && exp > w
    {
        notes.push(format!(
            "exp was extended by {} past warnafter for old clients; the API server logs use after warnafter",
            crate::duration::humanize_secs(exp - w)
        ));
    }
    let summary = format!(
        "service account {}/{}{}",
        ns.unwrap_or("?"),
        sa.unwrap_or("?"),
        pod.map(|p| format!(" in pod {p}")).unwrap_or_default()
    );
    Some(Flavour {
        id: "kubernetes".into(),
        name: "Kubernetes service-account token (projected)".into(),
        summary,
        facts: facts(c, K8S_FACTS),
        notes,
    })
}

const K8S_LEGACY_FACTS: &[(&[&str], &str)] = &[
    (
        &["kubernetes.io/serviceaccount/namespace"],
        "namespace of the service account",
    ),
    (
        &["kubernetes.io/serviceaccount/service-account.name"],
        "service account the token stands for",
    ),
    (
        &["kubernetes.io/serviceaccount/service-account.uid"],
        "uid of the service account",
    ),
    (
        &["kubernetes.io/serviceaccount/secret.name"],
        "secret holding the token",
    ),
];

fn kubernetes_legacy(c: &Map<String, Value>) -> Option<Flavour> {
    if str_at(c, &["iss"]) != Some("kubernetes/serviceaccount")
        && !c.contains_key("kubernetes.io/serviceaccount/namespace")
    {
        return None;
    }
    let ns = str_at(c, &["kubernetes.io/serviceaccount/namespace"]).unwrap_or("?");
    let sa = str_at(c, &["kubernetes.io/serviceaccount/service-account.name"]).unwrap_or("?");
    let mut notes = vec![
        "a legacy token from a service-account Secret: bound to no pod and no audience".to_string(),
    ];
    if !c.contains_key("exp") {
        notes.push("no exp: it never expires; it stops working only when its Secret is deleted. Prefer projected tokens (TokenRequest)".into());
    }
    Some(Flavour {
        id: "kubernetes_legacy".into(),
        name: "Kubernetes service-account token (legacy Secret)".into(),
        summary: format!("service account {ns}/{sa}"),
        facts: facts(c, K8S_LEGACY_FACTS),
        notes,
    })
}

// ---- Google ----

const GCP_FACTS: &[(&[&str], &str)] = &[
    (&["email"], "account the token stands for"),
    (&["email_verified"], "Google verified the email"),
    (&["azp"], "client the token was issued to"),
    (&["hd"], "Google Workspace domain of the user"),
    (
        &["google", "compute_engine", "project_id"],
        "project of the VM that asked for the token",
    ),
    (
        &["google", "compute_engine", "project_number"],
        "number of that project",
    ),
    (&["google", "compute_engine", "zone"], "zone of the VM"),
    (
        &["google", "compute_engine", "instance_name"],
        "name of the VM",
    ),
    (
        &["google", "compute_engine", "instance_id"],
        "id of the VM: names can be reused, ids cannot",
    ),
    (
        &["google", "compute_engine", "instance_creation_timestamp"],
        "when the VM was created",
    ),
];

fn gcp(c: &Map<String, Value>) -> Option<Flavour> {
    let iss = str_at(c, &["iss"])?;
    if iss != "https://accounts.google.com" && iss != "accounts.google.com" {
        return None;
    }
    let email = str_at(c, &["email"]);
    let mut notes = Vec::new();
    match email {
        Some(e) if e.ends_with(".gserviceaccount.com") => notes.push(
            "a service account: a workload, not a person".to_string(),
        ),
        Some(_) => notes.push("the email is not a service account's: a person's identity".into()),
        None => notes.push("no email claim: ask for the token with the email included to know whose it is; sub alone is an opaque numeric id".into()),
    }
    if value_at(c, &["google", "compute_engine"]).is_some() {
        notes.push("issued by the metadata server of a Compute Engine VM (format=full)".into());
    }
    let summary = match (
        email,
        str_at(c, &["google", "compute_engine", "instance_name"]),
    ) {
        (Some(e), Some(vm)) => format!("{e} on VM {vm}"),
        (Some(e), None) => e.to_string(),
        (None, _) => format!("Google account {}", str_at(c, &["sub"]).unwrap_or("?")),
    };
    Some(Flavour {
        id: "gcp".into(),
        name: "Google ID token".into(),
        summary,
        facts: facts(c, GCP_FACTS),
        notes,
    })
}

// ---- Microsoft Entra ID ----

const ENTRA_FACTS: &[(&[&str], &str)] = &[
    (&["tid"], "tenant (directory) id"),
    (
        &["oid"],
        "object id of the principal: stable across applications",
    ),
    (
        &["appid"],
        "client id of the application that asked for the token (v1)",
    ),
    (
        &["azp"],
        "client id of the application that asked for the token (v2)",
    ),
    (
        &["idtyp"],
        "app: an application's own token; user: a person's",
    ),
    (&["xms_mirid"], "Azure resource id of the managed identity"),
    (&["roles"], "application roles granted"),
    (&["scp"], "delegated scopes granted"),
    (&["upn"], "user principal name"),
    (&["preferred_username"], "user name, for display only"),
    (
        &["appidacr"],
        "how the client authenticated: 0 none, 1 secret, 2 certificate",
    ),
    (
        &["azpacr"],
        "how the client authenticated: 0 none, 1 secret, 2 certificate",
    ),
    (&["ver"], "token format version"),
];

fn entra(c: &Map<String, Value>) -> Option<Flavour> {
    let iss = str_at(c, &["iss"])?;
    let v2 = iss.starts_with("https://login.microsoftonline.com/");
    let v1 = iss.starts_with("https://sts.windows.net/");
    if !v1 && !v2 {
        return None;
    }
    let mut notes = Vec::new();
    let app = str_at(c, &["appid"]).or(str_at(c, &["azp"]));
    let user = str_at(c, &["upn"]).or(str_at(c, &["preferred_username"]));
    if let Some(mirid) = str_at(c, &["xms_mirid"]) {
        notes.push(format!("a managed identity: {mirid}"));
    }
    if str_at(c, &["idtyp"]) == Some("app") || (user.is_none() && !c.contains_key("scp")) {
        notes.push("app-only: no user is involved; roles, not scp, say what it may do".into());
    } else if c.contains_key("scp") {
        notes.push("delegated: the application acts for a signed-in user, within scp".into());
    }
    if let Some(tid) = str_at(c, &["tid"])
        && !iss.contains(tid)
    {
        notes.push(format!("the issuer does not name tenant {tid}"));
    }
    let summary = match (user, app) {
        (Some(u), Some(a)) => format!("user {u} through application {a}"),
        (None, Some(a)) => format!("application {a}"),
        (Some(u), None) => format!("user {u}"),
        (None, None) => format!("principal {}", str_at(c, &["oid"]).unwrap_or("?")),
    };
    Some(Flavour {
        id: "entra".into(),
        name: format!(
            "Microsoft Entra ID token ({})",
            if v1 { "v1.0" } else { "v2.0" }
        ),
        summary,
        facts: facts(c, ENTRA_FACTS),
        notes,
    })
}

// ---- SPIFFE ----

/// A SPIFFE ID split into trust domain and path, or why it is not one.
pub fn parse_spiffe_id(id: &str) -> Result<(&str, &str), &'static str> {
    let rest = id
        .strip_prefix("spiffe://")
        .ok_or("it does not start with spiffe://")?;
    if id.len() > 2048 {
        return Err("it is longer than 2048 bytes");
    }
    let (td, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if td.is_empty() {
        return Err("the trust domain is empty");
    }
    if !td
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
    {
        return Err(
            "the trust domain may hold only lowercase letters, digits, '.', '-' and '_' (no port, user or upper case)",
        );
    }
    if !path.is_empty() {
        for seg in path[1..].split('/') {
            if seg.is_empty() {
                return Err("the path has an empty segment or a trailing '/'");
            }
            if seg == "." || seg == ".." {
                return Err("the path has a '.' or '..' segment");
            }
            if !seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
            {
                return Err(
                    "the path may hold only letters, digits, '.', '-' and '_' (no query or fragment)",
                );
            }
        }
    }
    Ok((td, path))
}

fn spiffe(c: &Map<String, Value>) -> Option<Flavour> {
    let sub = str_at(c, &["sub"])?;
    if !sub.starts_with("spiffe://") {
        return None;
    }
    let mut notes = Vec::new();
    let mut facts = vec![Fact {
        claim: "sub".into(),
        value: sub.to_string(),
        meaning: "SPIFFE ID of the workload".into(),
    }];
    let summary = match parse_spiffe_id(sub) {
        Ok((td, path)) => {
            facts.push(Fact {
                claim: "sub (trust domain)".into(),
                value: td.to_string(),
                meaning: "trust domain: whose keys must have signed it".into(),
            });
            facts.push(Fact {
                claim: "sub (path)".into(),
                value: if path.is_empty() {
                    "/".into()
                } else {
                    path.to_string()
                },
                meaning: "workload path within the trust domain".into(),
            });
            format!("workload {path} in trust domain {td}")
        }
        Err(why) => {
            notes.push(format!("sub is not a valid SPIFFE ID: {why}"));
            format!("workload {sub}")
        }
    };
    if !c.contains_key("aud") {
        notes.push("no aud: a JWT-SVID must name its audience".into());
    }
    if !c.contains_key("exp") {
        notes.push("no exp: a JWT-SVID must expire".into());
    }
    let missing: Vec<&str> = ["iss", "iat"]
        .into_iter()
        .filter(|k| !c.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        notes.push(format!(
            "no {}: the JWT-SVID specification does not require it, but some relying parties do (Anthropic's Workload Identity Federation requires both iss and iat)",
            missing.join(" nor ")
        ));
    }
    Some(Flavour {
        id: "spiffe".into(),
        name: "SPIFFE JWT-SVID".into(),
        summary,
        facts,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn one(v: Value) -> Flavour {
        let mut f = recognise(&map(v));
        assert_eq!(f.len(), 1, "{f:?}");
        f.remove(0)
    }

    fn fact<'a>(f: &'a Flavour, claim: &str) -> &'a str {
        &f.facts.iter().find(|x| x.claim == claim).unwrap().value
    }

    #[test]
    fn github_actions() {
        let f = one(json!({
            "iss": GITHUB_ISSUER, "sub": "repo:octo/app:environment:prod",
            "repository": "octo/app", "ref": "refs/heads/main", "environment": "prod",
            "job_workflow_ref": "octo/shared/.github/workflows/deploy.yml@refs/heads/main",
            "workflow_ref": "octo/app/.github/workflows/ci.yml@refs/heads/main",
            "runner_environment": "self-hosted", "run_id": "1", "event_name": "pull_request_target"
        }));
        assert_eq!(f.id, "github_actions");
        assert_eq!(fact(&f, "repository"), "octo/app");
        assert!(f.summary.contains("environment prod"), "{}", f.summary);
        let notes = f.notes.join("\n");
        assert!(notes.contains("self-hosted"));
        assert!(notes.contains("reusable workflow"));
        assert!(notes.contains("pull_request_target"));
    }

    #[test]
    fn github_shape_from_another_issuer_is_flagged() {
        let f = one(
            json!({"iss": "https://ghe.example/_services/token", "repository": "a/b",
            "job_workflow_ref": "a/b/.github/workflows/x.yml@refs/heads/main", "run_id": "1"}),
        );
        assert!(
            f.notes[0].contains("not https://token.actions"),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn kubernetes_projected_and_legacy() {
        let f = one(json!({
            "iss": "https://kubernetes.default.svc", "sub": "system:serviceaccount:agents:planner",
            "exp": 2000, "kubernetes.io": {"namespace": "agents",
              "serviceaccount": {"name": "planner", "uid": "u1"},
              "pod": {"name": "planner-7d9", "uid": "u2"}, "node": {"name": "n1", "uid": "u3"},
              "warnafter": 1000}
        }));
        assert_eq!(
            f.summary,
            "service account agents/planner in pod planner-7d9"
        );
        assert_eq!(fact(&f, "kubernetes.io.node.name"), "n1");
        assert!(f.notes.iter().any(|n| n.contains("bound to pod")));
        assert!(f.notes.iter().any(|n| n.contains("extended")));

        let f = one(json!({"iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": "default",
            "kubernetes.io/serviceaccount/service-account.name": "old"}));
        assert_eq!(f.id, "kubernetes_legacy");
        assert!(f.notes.iter().any(|n| n.contains("never expires")));
    }

    #[test]
    fn gcp_and_entra() {
        let f = one(json!({"iss": "https://accounts.google.com", "sub": "1234",
            "email": "bot@p.iam.gserviceaccount.com",
            "google": {"compute_engine": {"project_id": "p", "instance_name": "vm1"}}}));
        assert_eq!(f.summary, "bot@p.iam.gserviceaccount.com on VM vm1");
        assert_eq!(fact(&f, "google.compute_engine.project_id"), "p");

        let f = one(
            json!({"iss": "https://sts.windows.net/t1/", "tid": "t1", "oid": "o",
            "appid": "app1", "idtyp": "app",
            "xms_mirid": "/subscriptions/s/resourcegroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/bot"}),
        );
        assert_eq!(f.id, "entra");
        assert!(f.name.contains("v1.0"));
        assert_eq!(f.summary, "application app1");
        assert!(f.notes.iter().any(|n| n.contains("managed identity")));
        assert!(f.notes.iter().any(|n| n.contains("app-only")));
    }

    #[test]
    fn spiffe_ids() {
        let f =
            one(json!({"sub": "spiffe://prod.acme/ns/agents/sa/planner", "aud": "x", "exp": 1}));
        assert_eq!(
            f.summary,
            "workload /ns/agents/sa/planner in trust domain prod.acme"
        );
        assert!(
            f.notes.iter().any(|n| n.contains("iss nor iat")),
            "{:?}",
            f.notes
        );
        for bad in [
            "spiffe://",
            "spiffe://Acme/x",
            "spiffe://acme:443/x",
            "spiffe://acme/a//b",
            "spiffe://acme/a/",
            "spiffe://acme/../x",
            "spiffe://acme/x?y",
        ] {
            assert!(parse_spiffe_id(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_spiffe_id("spiffe://acme").unwrap(), ("acme", ""));
    }

    #[test]
    fn plain_tokens_have_no_flavour() {
        assert!(recognise(&map(json!({"iss": "https://idp.example", "sub": "x"}))).is_empty());
    }
}
