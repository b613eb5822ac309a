//! Checks that need the whole registry, after its shape is known to be right:
//! references between sections, uniqueness, URLs, globs and secrets.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Deserialize;

use super::types::{Agent, Issuer, Owner, Sources, Thresholds};
use super::yaml::{Node, Value};
use crate::problem::{FieldPath, PathRef, did_you_mean};
use crate::secrets::looks_like_secret;

/// A semantic problem: the path of the offending field and what is wrong.
pub type Issue = (FieldPath, String);

/// The parts of a registry that have the right shape. Checks run over these even
/// when other parts are malformed, so one run reports every problem.
#[derive(Debug, Default)]
pub struct Partial<'a> {
    pub defaults: Option<&'a super::types::Defaults>,
    pub owners: Vec<Option<&'a Owner>>,
    pub agents: Vec<Option<&'a Agent>>,
    pub sources: Option<&'a Sources>,
    pub issuers: Vec<Option<&'a Issuer>>,
}

impl<'a> Partial<'a> {
    /// A registry that deserialized whole.
    pub fn of(r: &'a super::types::Registry) -> Self {
        Partial {
            defaults: Some(&r.defaults),
            owners: r.owners.iter().map(Some).collect(),
            agents: r.agents.iter().map(Some).collect(),
            sources: Some(&r.sources),
            issuers: r.issuers.iter().map(Some).collect(),
        }
    }
}

/// The well-formed items of a registry that did not deserialize whole.
#[derive(Debug, Default)]
pub struct PartialOwned {
    defaults: Option<super::types::Defaults>,
    owners: Vec<Option<Owner>>,
    agents: Vec<Option<Agent>>,
    sources: Option<Sources>,
    issuers: Vec<Option<Issuer>>,
}

impl PartialOwned {
    pub fn from_json(doc: &serde_json::Value) -> Self {
        fn each<T: serde::de::DeserializeOwned>(
            doc: &serde_json::Value,
            key: &str,
        ) -> Vec<Option<T>> {
            doc.get(key)
                .and_then(serde_json::Value::as_array)
                .map(|items| items.iter().map(|v| T::deserialize(v).ok()).collect())
                .unwrap_or_default()
        }
        PartialOwned {
            defaults: doc
                .get("defaults")
                .and_then(|v| super::types::Defaults::deserialize(v).ok()),
            owners: each(doc, "owners"),
            agents: each(doc, "agents"),
            sources: doc
                .get("sources")
                .and_then(|v| Sources::deserialize(v).ok()),
            issuers: each(doc, "issuers"),
        }
    }

    pub fn as_partial(&self) -> Partial<'_> {
        Partial {
            defaults: self.defaults.as_ref(),
            owners: self.owners.iter().map(Option::as_ref).collect(),
            agents: self.agents.iter().map(Option::as_ref).collect(),
            sources: self.sources.as_ref(),
            issuers: self.issuers.iter().map(Option::as_ref).collect(),
        }
    }
}

fn present<'p, 'a, T>(items: &'p [Option<&'a T>]) -> impl Iterator<Item = (usize, &'a T)> + 'p {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.map(|x| (i, x)))
}

pub fn check(registry: &Partial) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let Some(d) = registry.defaults {
        check_thresholds(
            &d.thresholds(),
            FieldPath::root().field("defaults"),
            &mut issues,
        );
    }
    check_owners(registry, &mut issues);
    check_agents(registry, &mut issues);
    check_sources(registry, &mut issues);
    check_issuers(registry, &mut issues);
    issues
}

fn check_owners(reg: &Partial, issues: &mut Vec<Issue>) {
    let mut first: HashMap<&str, usize> = HashMap::default();
    for (i, owner) in present(&reg.owners) {
        let path = FieldPath::root().field("owners").index(i).field("id");
        if owner.id.trim().is_empty() {
            issues.push((path, "owner id is empty".into()));
        } else if let Some(prev) = first.insert(&owner.id, i) {
            issues.push((
                path,
                format!(
                    "owner {:?} is declared twice (also owners[{prev}])",
                    owner.id
                ),
            ));
        }
    }
}

fn check_agents(reg: &Partial, issues: &mut Vec<Issue>) {
    let owner_ids: Vec<&str> = present(&reg.owners).map(|(_, o)| o.id.as_str()).collect();
    let owner_set: HashSet<&str> = owner_ids.iter().copied().collect();
    // An owners: entry that is itself malformed is reported there; do not cascade.
    let owners_complete = reg.owners.iter().all(Option::is_some);
    let mut names: HashMap<&str, usize> = HashMap::default();
    let mut claimed: HashMap<(&'static str, &str, &str), usize> = HashMap::default();
    for (i, agent) in present(&reg.agents) {
        let at = FieldPath::root().field("agents").index(i);
        if agent.name.trim().is_empty() {
            issues.push((at.field("name"), "agent name is empty".into()));
        } else if let Some(prev) = names.insert(&agent.name, i) {
            issues.push((
                at.field("name"),
                format!(
                    "agent name {:?} is used twice (also agents[{prev}])",
                    agent.name
                ),
            ));
        }
        if let Some(owner) = &agent.owner
            && owners_complete
            && !owner_set.contains(owner.as_str())
        {
            let mut msg = format!("owner {owner:?} is not declared in owners:");
            match did_you_mean(owner, owner_ids.iter().copied()) {
                Some(hint) => msg.push_str(&format!(" (did you mean {hint:?}?)")),
                None if owner_ids.is_empty() => msg.push_str(" (owners: is empty)"),
                None => msg.push_str(&format!(" (declared: {})", owner_ids.join(", "))),
            }
            issues.push((at.field("owner"), msg));
        }
        for (t, rule) in agent.trust.iter().enumerate() {
            let tp = at.field("trust").index(t);
            check_issuer_url(&rule.issuer, tp.field("issuer"), issues);
            if rule.subject.trim().is_empty() {
                issues.push((
                    tp.field("subject"),
                    "subject is empty; write the exact subject or a glob".into(),
                ));
            } else if let Err(e) = globset::Glob::new(&rule.subject) {
                issues.push((
                    tp.field("subject"),
                    format!("invalid subject glob: {}", e.kind()),
                ));
            } else if rule.subject.chars().all(|c| c == '*') {
                issues.push((
                    tp.field("subject"),
                    "subject \"*\" trusts every workload of the issuer; name the repository, namespace or workload".into(),
                ));
            }
        }
        if let Some(d) = &agent.delegation
            && d.max_depth == 0
        {
            issues.push((
                at.field("delegation").field("max_depth"),
                "max_depth must be at least 1; use on_behalf_of: none to forbid delegation".into(),
            ));
        }
        check_identity_refs(agent, &at, i, &mut claimed, issues);
        for (a, acc) in agent.accept.iter().enumerate() {
            let ap = at.field("accept").index(a);
            if !crate::inventory::rules::is_rule_id(&acc.rule) {
                let upper = acc.rule.to_ascii_uppercase();
                let msg = if crate::inventory::rules::is_rule_id(&upper) {
                    format!("rule ids are upper-case: write {upper}")
                } else {
                    format!(
                        "unknown rule {:?}; the catalogue is in docs/findings.md",
                        acc.rule
                    )
                };
                issues.push((ap.field("rule"), msg));
            }
            if acc.until.parse::<jiff::civil::Date>().is_err() {
                issues.push((
                    ap.field("until"),
                    format!("expected a date such as 2027-03-31, got {:?}", acc.until),
                ));
            }
            if acc.reason.trim().is_empty() {
                issues.push((
                    ap.field("reason"),
                    "an accepted finding needs a reason".into(),
                ));
            }
        }
        if let Some(t) = &agent.thresholds {
            check_thresholds(t, at.field("thresholds"), issues);
        }
    }
}

fn check_identity_refs<'a>(
    agent: &'a Agent,
    at: &FieldPath,
    agent_index: usize,
    claimed: &mut HashMap<(&'static str, &'a str, &'a str), usize>,
    issues: &mut Vec<Issue>,
) {
    let ids = at.field("identities");
    // Registries declare hundreds of thousands of identities: the key borrows
    // from the registry and a path is written only for a problem.
    let mut claim = |provider: &'static str,
                     index: usize,
                     field: &str,
                     id: &'a str,
                     issues: &mut Vec<Issue>| {
        // Kubernetes names repeat across clusters; a `cluster:` pin makes them distinct.
        let scope = match agent.identities.kubernetes.get(index) {
            Some(r) if provider == "kubernetes" => r.cluster.as_deref().unwrap_or_default(),
            _ => "",
        };
        if let Some(prev) = claimed.insert((provider, scope, id), agent_index) {
            let path = ids.field(provider).index(index).field(field);
            if prev != agent_index {
                issues.push((
                    path,
                    format!("{provider} identity {id:?} is already claimed by agents[{prev}]"),
                ));
            } else {
                issues.push((path, format!("{provider} identity {id:?} is listed twice")));
            }
        }
    };
    for (k, r) in agent.identities.aws.iter().enumerate() {
        if !is_iam_arn(&r.arn) {
            issues.push((
                ids.field("aws").index(k).field("arn"),
                format!("expected an IAM role or user ARN like arn:aws:iam::123456789012:role/name, got {:?}", r.arn),
            ));
        }
        claim("aws", k, "arn", &r.arn, issues);
    }
    for (k, r) in agent.identities.kubernetes.iter().enumerate() {
        let ok = r
            .serviceaccount
            .split_once('/')
            .is_some_and(|(ns, name)| !ns.is_empty() && !name.is_empty() && !name.contains('/'));
        if !ok {
            issues.push((
                ids.field("kubernetes").index(k).field("serviceaccount"),
                format!("expected namespace/name, got {:?}", r.serviceaccount),
            ));
        }
        claim("kubernetes", k, "serviceaccount", &r.serviceaccount, issues);
    }
    for (k, r) in agent.identities.gcp.iter().enumerate() {
        if !r.email.contains('@') {
            issues.push((
                ids.field("gcp").index(k).field("email"),
                format!("expected a service account email such as name@project.iam.gserviceaccount.com, got {:?}", r.email),
            ));
        }
        claim("gcp", k, "email", &r.email, issues);
    }
    for (k, r) in agent.identities.entra.iter().enumerate() {
        claim("entra", k, "app_id", &r.app_id, issues);
    }
    for (k, r) in agent.identities.anthropic.iter().enumerate() {
        claim("anthropic", k, "api_key_id", &r.api_key_id, issues);
    }
    for (k, r) in agent.identities.openai.iter().enumerate() {
        claim("openai", k, "id", &r.id, issues);
    }
}

fn is_iam_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && (parts[5].starts_with("role/") || parts[5].starts_with("user/"))
}

fn check_sources(reg: &Partial, issues: &mut Vec<Issue>) {
    let Some(s) = reg.sources else { return };
    let src = FieldPath::root().field("sources");
    let mut names: HashMap<String, String> = HashMap::default();
    let mut visit = |kind: &str,
                     i: usize,
                     name: Option<&String>,
                     ignore: &[String],
                     th: Option<&Thresholds>,
                     issues: &mut Vec<Issue>| {
        let at = src.field(kind).index(i);
        if let Some(n) = name
            && let Some(prev) = names.insert(n.clone(), at.to_string())
        {
            issues.push((
                at.field("name"),
                format!("source name {n:?} is also used by {prev}"),
            ));
        }
        for (g, glob) in ignore.iter().enumerate() {
            if let Err(e) = globset::Glob::new(glob) {
                issues.push((
                    at.field("ignore").index(g),
                    format!("invalid glob: {}", e.kind()),
                ));
            }
        }
        if let Some(t) = th {
            check_thresholds(t, at.field("thresholds"), issues);
        }
    };
    for (i, x) in s.snapshot.iter().enumerate() {
        visit(
            "snapshot",
            i,
            x.name.as_ref(),
            &x.ignore,
            x.thresholds.as_ref(),
            issues,
        );
        if x.path.trim().is_empty() {
            issues.push((
                src.field("snapshot").index(i).field("path"),
                "path is empty".into(),
            ));
        }
    }
    for (i, x) in s.aws.iter().enumerate() {
        visit(
            "aws",
            i,
            x.name.as_ref(),
            &x.ignore,
            x.thresholds.as_ref(),
            issues,
        );
        if let Some(e) = &x.endpoint {
            check_endpoint(e, src.field("aws").index(i).field("endpoint"), issues);
        }
    }
    for (i, x) in s.kubernetes.iter().enumerate() {
        visit(
            "kubernetes",
            i,
            x.name.as_ref(),
            &x.ignore,
            x.thresholds.as_ref(),
            issues,
        );
    }
    for (i, x) in s.gcp.iter().enumerate() {
        visit(
            "gcp",
            i,
            x.name.as_ref(),
            &x.ignore,
            x.thresholds.as_ref(),
            issues,
        );
        if let Some(e) = &x.endpoint {
            check_endpoint(e, src.field("gcp").index(i).field("endpoint"), issues);
        }
    }
    for (i, x) in s.entra.iter().enumerate() {
        visit(
            "entra",
            i,
            x.name.as_ref(),
            &x.ignore,
            x.thresholds.as_ref(),
            issues,
        );
        if let Some(var) = &x.client_secret_env {
            check_env_name(
                var,
                src.field("entra").index(i).field("client_secret_env"),
                issues,
            );
        }
        check_entra_credential(x, src.field("entra").index(i), issues);
        if let Some(e) = &x.endpoint {
            check_endpoint(e, src.field("entra").index(i).field("endpoint"), issues);
        }
    }
    for (kind, list) in [("anthropic", &s.anthropic), ("openai", &s.openai)] {
        for (i, x) in list.iter().enumerate() {
            visit(
                kind,
                i,
                x.name.as_ref(),
                &x.ignore,
                x.thresholds.as_ref(),
                issues,
            );
            check_env_name(
                &x.admin_key_env,
                src.field(kind).index(i).field("admin_key_env"),
                issues,
            );
            if let Some(var) = &x.oauth_token_env {
                if kind == "openai" {
                    issues.push((
                        src.field(kind).index(i).field("oauth_token_env"),
                        "oauth_token_env applies to anthropic sources only; OpenAI's Admin API takes the admin key alone".to_string(),
                    ));
                } else {
                    check_env_name(
                        var,
                        src.field(kind).index(i).field("oauth_token_env"),
                        issues,
                    );
                }
            }
            if let Some(e) = &x.endpoint {
                check_endpoint(e, src.field(kind).index(i).field("endpoint"), issues);
            }
        }
    }
}

fn check_issuers(reg: &Partial, issues: &mut Vec<Issue>) {
    let mut names: HashSet<&str> = HashSet::default();
    for (i, issuer) in present(&reg.issuers) {
        let at = FieldPath::root().field("issuers").index(i);
        if !names.insert(&issuer.name) {
            issues.push((
                at.field("name"),
                format!("issuer name {:?} is used twice", issuer.name),
            ));
        }
        check_issuer_url(&issuer.issuer, at.field("issuer"), issues);
        if let super::types::Publisher::S3 {
            endpoint: Some(e), ..
        } = &issuer.publish
        {
            check_endpoint(e, at.field("publish").field("endpoint"), issues);
        }
        if let super::types::KeyBackend::AwsKms {
            endpoint,
            alias_prefix,
            deletion_window,
            ..
        } = &issuer.backend
        {
            let backend = at.field("backend");
            if let Some(e) = endpoint {
                check_endpoint(e, backend.field("endpoint"), issues);
            }
            if let Some(p) = alias_prefix {
                let valid = !p.is_empty()
                    && !p.starts_with("aws")
                    && p.len() <= 100
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b));
                if !valid {
                    issues.push((
                        backend.field("alias_prefix"),
                        format!("expected letters, digits, /, _ or - (not starting with \"aws\"), as a KMS alias allows, got {p:?}"),
                    ));
                }
            }
            if let Some(w) = deletion_window
                && (w.as_secs() % 86_400 != 0 || !(7..=30).contains(&(w.as_secs() / 86_400)))
            {
                issues.push((
                    backend.field("deletion_window"),
                    format!("KMS waits 7 to 30 whole days before deleting a key; got {w}"),
                ));
            }
            if issuer.algorithm == super::types::SigningAlgorithm::EdDSA {
                issues.push((
                    at.field("algorithm"),
                    "backend aws-kms signs ES256, ES384, RS256 or PS256; EdDSA needs backend kind: file".into(),
                ));
            }
        }
        if let (Some(life), Some(period)) = (issuer.max_token_lifetime, issuer.rotation_period)
            && life >= period
        {
            issues.push((
                at.field("max_token_lifetime"),
                format!("max_token_lifetime {life} must be shorter than rotation_period {period}"),
            ));
        }
        if let Some(period) = issuer.rotation_period
            && period.as_secs() == 0
        {
            issues.push((
                at.field("rotation_period"),
                "rotation_period must be longer than 0s".into(),
            ));
        }
        if let (Some(ttl), Some(period)) = (issuer.jwks_cache_ttl, issuer.rotation_period)
            && ttl >= period
        {
            issues.push((
                at.field("jwks_cache_ttl"),
                format!("jwks_cache_ttl {ttl} must be shorter than rotation_period {period}: the next key waits that long in the JWKS before it may sign"),
            ));
        }
    }
}

fn check_thresholds(t: &Thresholds, at: FieldPath, issues: &mut Vec<Issue>) {
    if let (Some(grace), Some(unused)) = (t.never_used_grace, t.unused_after)
        && grace > unused
    {
        issues.push((
            at.field("never_used_grace"),
            format!("never_used_grace {grace} is longer than unused_after {unused}"),
        ));
    }
}

/// Token issuers: https, or http on a loopback host (local test issuers).
pub fn check_issuer_url(url: &str, path: FieldPath, issues: &mut Vec<Issue>) {
    if let Err(msg) = crate::urls::require_https_or_loopback(url) {
        issues.push((path, msg));
    }
}

fn check_endpoint(url: &str, path: FieldPath, issues: &mut Vec<Issue>) {
    if let Err(msg) = crate::urls::require_https_or_loopback(url) {
        issues.push((path, msg));
    }
}

/// An Entra source signs in one way: exactly one of a client secret, a
/// federated token file or a certificate; `client_key_file` only beside a
/// certificate.
fn check_entra_credential(x: &super::types::EntraSource, at: FieldPath, issues: &mut Vec<Issue>) {
    let named: Vec<&str> = [
        ("client_secret_env", x.client_secret_env.is_some()),
        ("federated_token_file", x.federated_token_file.is_some()),
        (
            "client_certificate_file",
            x.client_certificate_file.is_some(),
        ),
    ]
    .into_iter()
    .filter_map(|(field, set)| set.then_some(field))
    .collect();
    match named.as_slice() {
        [] => issues.push((
            at.clone(),
            "no sign-in credential: name one of client_secret_env, federated_token_file or client_certificate_file".into(),
        )),
        [_] => {}
        [_, second, ..] => issues.push((
            at.field(second),
            format!(
                "{} are both set: name exactly one way to sign in",
                named.join(" and ")
            ),
        )),
    }
    for (field, value) in [
        ("federated_token_file", &x.federated_token_file),
        ("client_certificate_file", &x.client_certificate_file),
        ("client_key_file", &x.client_key_file),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            issues.push((at.field(field), "the path is empty".into()));
        }
    }
    if x.client_key_file.is_some() && x.client_certificate_file.is_none() {
        issues.push((
            at.field("client_key_file"),
            "client_key_file is the private key of client_certificate_file, which is not set"
                .into(),
        ));
    }
}

fn check_env_name(name: &str, path: FieldPath, issues: &mut Vec<Issue>) {
    let valid = !name.is_empty()
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    // A secret pasted here is reported by the inline-secret scan; do not report it twice.
    if !valid && !looks_like_secret(name) {
        issues.push((
            path,
            format!("expected the name of an environment variable (such as ANTHROPIC_ADMIN_KEY), got {name:?}"),
        ));
    }
}

/// Every string in the file that looks like a credential: secrets never belong in the registry.
pub fn inline_secrets(node: &Node, path: &PathRef<'_>, out: &mut Vec<(FieldPath, Node)>) {
    match &node.value {
        Value::Str(s) if looks_like_secret(s) => out.push((path.render(), node.clone())),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                inline_secrets(item, &path.index(i), out);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                match k.as_str() {
                    Some(name) => inline_secrets(v, &path.field(name), out),
                    None => inline_secrets(v, &path.field(&super::yaml::key_text(k)), out),
                }
            }
        }
        _ => {}
    }
}
