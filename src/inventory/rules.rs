//! The finding catalogue (docs/findings.md): each rule's id, severity, title and
//! remediation, and the pure predicates that decide whether it fires.
//!
//! Predicates take the facts and the resolved thresholds and return the
//! evidence sentence when the rule fires; they never look anything up, so each
//! is testable alone and the evaluation stays linear.

use jiff::Timestamp;

use crate::duration::{Duration, humanize_secs};
use crate::model::{
    Activity, Credential, CredentialKind, CredentialState, Expiry, Identity, Managed, Provider,
    Severity, Trust,
};

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub fires_when: &'static str,
    pub remediation: &'static str,
}

macro_rules! rule {
    ($name:ident, $id:literal, $sev:ident, $title:literal, $when:literal, $fix:literal) => {
        pub const $name: Rule = Rule {
            id: $id,
            title: $title,
            severity: Severity::$sev,
            fires_when: $when,
            remediation: $fix,
        };
    };
}

rule!(
    DECLARED_MISSING,
    "AID001",
    High,
    "declared agent missing",
    "an identity declared in the registry is not found in a source that was scanned for it",
    "Remove the agent (or the identity) from the registry, or recreate the identity if it was deleted by mistake."
);
rule!(
    SHADOW,
    "AID002",
    High,
    "shadow identity",
    "an identity found in a source is matched by no registry agent",
    "Declare it as an agent with an owner in agentid.yaml, add it to the source's ignore: list if it is not an agent, or delete it."
);
rule!(
    NO_OWNER,
    "AID003",
    High,
    "no owner",
    "no owner in the registry, no owner tag, and the provider does not know who created it",
    "Give it an owner: set owner: in the registry or an owner tag on the identity."
);
rule!(
    OWNER_GONE,
    "AID004",
    High,
    "owner gone",
    "the owner is marked inactive in owners:, or is no longer an active user of the provider",
    "Hand the agent to a current owner (update owner: and the owner tag), or retire the agent."
);
rule!(
    NOT_ROTATED,
    "AID010",
    Medium,
    "key not rotated",
    "an active, user-managed static credential is older than max_key_age (90d)",
    "Rotate the key: create a new one, deploy it, then delete the old one; better, move the agent to workload identity federation."
);
rule!(
    UNUSED,
    "AID011",
    Medium,
    "unused key",
    "an active static credential was last used longer ago than unused_after (45d)",
    "Deactivate the key, wait a cycle for complaints, then delete it."
);
rule!(
    NEVER_USED,
    "AID012",
    Medium,
    "never-used key",
    "an active static credential was never used and is older than never_used_grace (7d)",
    "Delete the key; issue one again only when something needs it."
);
rule!(
    DORMANT,
    "AID013",
    Medium,
    "dormant identity",
    "the identity shows no activity for dormant_after (180d)",
    "Disable the identity, then delete it after a grace period if nobody claims it."
);
rule!(
    NO_EXPIRY,
    "AID014",
    High,
    "no expiry",
    "a static secret that could expire has no expiry date",
    "Replace the secret with one that expires (at most max_key_age), or with federation."
);
rule!(
    EXPIRING,
    "AID015",
    Medium,
    "expiring or expired",
    "a credential expires within expiry_warning (30d: medium), or has expired but is still present (low)",
    "Renew or rotate it before it expires; delete credentials that have already expired."
);
rule!(
    SEVERAL_KEYS,
    "AID016",
    Low,
    "several active keys",
    "one identity holds more than one active static credential",
    "Keep a single active key; delete the others once rotation has finished."
);
rule!(
    LEGACY_K8S_TOKEN,
    "AID017",
    Medium,
    "legacy Kubernetes token",
    "a Secret of type kubernetes.io/service-account-token exists (high when unused for legacy_token_stale_after or marked invalid)",
    "Delete the token Secret and use projected service-account tokens (TokenRequest) instead."
);
rule!(
    GCP_USER_KEY,
    "AID018",
    Medium,
    "user-managed GCP key",
    "a GCP service account has a user-managed key",
    "Delete the key and use workload identity federation or attached service accounts."
);
rule!(
    OVER_PRIVILEGED,
    "AID020",
    High,
    "over-privileged",
    "an admin or * grant is attached, or scopes or audiences beyond the agent's may_request",
    "Replace the grant with one scoped to what the agent's may_request declares."
);
rule!(
    TRUST_TOO_BROAD,
    "AID021",
    High,
    "federated trust too broad",
    "a federated trust has no subject condition or attribute condition, or trusts an issuer, subject or audience the agent does not declare",
    "Pin the trust to the exact issuer, subject and audience declared in the agent's trust:."
);
rule!(
    ROOT_OR_ADMIN_KEY,
    "AID022",
    Critical,
    "root or admin static key",
    "an AWS root access key, or an organisation admin key without expiry",
    "Delete the root or admin key now; use short-lived, scoped admin sessions instead."
);
rule!(
    DISABLED_WITH_KEYS,
    "AID023",
    Info,
    "disabled identity still holds credentials",
    "a disabled or archived identity still has active credentials",
    "Delete the leftover credentials of the disabled identity."
);

/// The whole catalogue, in id order.
pub const CATALOGUE: &[Rule] = &[
    DECLARED_MISSING,
    SHADOW,
    NO_OWNER,
    OWNER_GONE,
    NOT_ROTATED,
    UNUSED,
    NEVER_USED,
    DORMANT,
    NO_EXPIRY,
    EXPIRING,
    SEVERAL_KEYS,
    LEGACY_K8S_TOKEN,
    GCP_USER_KEY,
    OVER_PRIVILEGED,
    TRUST_TOO_BROAD,
    ROOT_OR_ADMIN_KEY,
    DISABLED_WITH_KEYS,
];

pub fn is_rule_id(id: &str) -> bool {
    CATALOGUE.iter().any(|r| r.id == id)
}

pub fn rule_index(id: &str) -> Option<usize> {
    CATALOGUE.iter().position(|r| r.id == id)
}

/// Every threshold with its value decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_key_age: Duration,
    pub unused_after: Duration,
    pub dormant_after: Duration,
    pub never_used_grace: Duration,
    pub expiry_warning: Duration,
    pub max_token_lifetime: Duration,
    pub clock_skew: Duration,
    pub legacy_token_stale_after: Duration,
}

impl Limits {
    pub const BUILT_IN: Limits = Limits {
        max_key_age: Duration::days(90),
        unused_after: Duration::days(45),
        dormant_after: Duration::days(180),
        never_used_grace: Duration::days(7),
        expiry_warning: Duration::days(30),
        max_token_lifetime: Duration::from_secs(3_600),
        clock_skew: Duration::from_secs(60),
        legacy_token_stale_after: Duration::days(365),
    };

    /// These limits with every field `over` sets replaced.
    pub fn overridden_by(self, over: &crate::registry::Thresholds) -> Limits {
        Limits {
            max_key_age: over.max_key_age.unwrap_or(self.max_key_age),
            unused_after: over.unused_after.unwrap_or(self.unused_after),
            dormant_after: over.dormant_after.unwrap_or(self.dormant_after),
            never_used_grace: over.never_used_grace.unwrap_or(self.never_used_grace),
            expiry_warning: over.expiry_warning.unwrap_or(self.expiry_warning),
            max_token_lifetime: over.max_token_lifetime.unwrap_or(self.max_token_lifetime),
            clock_skew: over.clock_skew.unwrap_or(self.clock_skew),
            legacy_token_stale_after: over
                .legacy_token_stale_after
                .unwrap_or(self.legacy_token_stale_after),
        }
    }
}

/// Seconds from `then` to `now` (negative when `then` is in the future).
fn age_secs(now: Timestamp, then: Timestamp) -> i64 {
    now.as_second() - then.as_second()
}

fn older_than(now: Timestamp, then: Timestamp, limit: Duration) -> bool {
    age_secs(now, then) > limit.as_secs() as i64
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

fn ago(now: Timestamp, then: Timestamp) -> String {
    let s = age_secs(now, then);
    if s >= 0 {
        format!("{} ago", humanize_secs(s))
    } else {
        format!("in {}", humanize_secs(s))
    }
}

fn is_active_static(c: &Credential) -> bool {
    c.state == CredentialState::Active && c.long_lived
}

pub fn key_not_rotated(c: &Credential, l: &Limits, now: Timestamp) -> Option<String> {
    if !is_active_static(c) || c.managed != Managed::User {
        return None;
    }
    let created = c.created?;
    older_than(now, created, l.max_key_age).then(|| {
        format!(
            "created {} ({}), older than max_key_age {}",
            day(created),
            ago(now, created),
            l.max_key_age
        )
    })
}

pub fn unused_key(c: &Credential, l: &Limits, now: Timestamp) -> Option<String> {
    if !is_active_static(c) {
        return None;
    }
    match c.last_used {
        Activity::At(t) if older_than(now, t, l.unused_after) => Some(format!(
            "last used {} ({}), longer than unused_after {}",
            day(t),
            ago(now, t),
            l.unused_after
        )),
        _ => None,
    }
}

pub fn never_used_key(c: &Credential, l: &Limits, now: Timestamp) -> Option<String> {
    if !is_active_static(c) || c.last_used != Activity::Never {
        return None;
    }
    let created = c.created?;
    older_than(now, created, l.never_used_grace).then(|| {
        format!(
            "never used since it was created {} ({}); grace {}",
            day(created),
            ago(now, created),
            l.never_used_grace
        )
    })
}

pub fn dormant_identity(i: &Identity, l: &Limits, now: Timestamp) -> Option<String> {
    if i.disabled {
        return None;
    }
    match i.last_activity {
        Activity::At(t) if older_than(now, t, l.dormant_after) => Some(format!(
            "last activity {} ({}), longer than dormant_after {}",
            day(t),
            ago(now, t),
            l.dormant_after
        )),
        Activity::Never => {
            let created = i.created?;
            older_than(now, created, l.dormant_after).then(|| {
                format!(
                    "no activity ever since it was created {} ({})",
                    day(created),
                    ago(now, created)
                )
            })
        }
        _ => None,
    }
}

pub fn no_expiry(c: &Credential) -> Option<String> {
    let expirable = matches!(
        c.kind,
        CredentialKind::ClientSecret
            | CredentialKind::ClientCertificate
            | CredentialKind::ApiKey
            | CredentialKind::AdminKey
    );
    (expirable && c.state == CredentialState::Active && c.expires == Expiry::Never)
        .then(|| format!("{} has no expiry date", c.kind.as_str().replace('_', " ")))
}

/// Some((severity, evidence)) when the credential expires soon or has expired.
pub fn expiring(c: &Credential, l: &Limits, now: Timestamp) -> Option<(Severity, String)> {
    let Expiry::At(t) = c.expires else {
        return None;
    };
    if matches!(c.state, CredentialState::Revoked) {
        return None;
    }
    let left = -age_secs(now, t);
    if left <= 0 {
        Some((
            Severity::Low,
            format!("expired {} ({}) but is still present", day(t), ago(now, t)),
        ))
    } else if left <= l.expiry_warning.as_secs() as i64 {
        Some((
            Severity::Medium,
            format!(
                "expires {} ({}), within expiry_warning {}",
                day(t),
                ago(now, t),
                l.expiry_warning
            ),
        ))
    } else {
        None
    }
}

pub fn several_active_keys(active_static: usize) -> Option<String> {
    (active_static > 1)
        .then(|| format!("{active_static} active static credentials on one identity"))
}

pub fn legacy_kubernetes_token(
    c: &Credential,
    l: &Limits,
    now: Timestamp,
) -> Option<(Severity, String)> {
    if c.kind != CredentialKind::KubernetesLegacyToken || c.state == CredentialState::Revoked {
        return None;
    }
    if let Some(since) = c.invalid_since {
        return Some((
            Severity::High,
            format!("legacy token Secret, marked invalid since {}", day(since)),
        ));
    }
    let stale = |t: Timestamp| older_than(now, t, l.legacy_token_stale_after);
    Some(match (c.last_used, c.created) {
        (Activity::At(t), _) if stale(t) => (
            Severity::High,
            format!(
                "legacy token Secret, last used {} ({}), over {}",
                day(t),
                ago(now, t),
                l.legacy_token_stale_after
            ),
        ),
        (Activity::Never, Some(created)) if stale(created) => (
            Severity::High,
            format!(
                "legacy token Secret, never used since {} ({})",
                day(created),
                ago(now, created)
            ),
        ),
        (Activity::At(t), _) => (
            Severity::Medium,
            format!("legacy token Secret, last used {}", day(t)),
        ),
        _ => (
            Severity::Medium,
            "legacy token Secret of type kubernetes.io/service-account-token".to_string(),
        ),
    })
}

pub fn user_managed_gcp_key(c: &Credential) -> Option<String> {
    (c.provider == Provider::Gcp
        && c.kind == CredentialKind::ServiceAccountKey
        && c.managed == Managed::User
        && c.state == CredentialState::Active)
        .then(|| "user-managed service-account key".to_string())
}

pub fn root_or_admin_key(c: &Credential) -> Option<String> {
    if c.state != CredentialState::Active {
        return None;
    }
    if c.root {
        return Some("access key of the AWS root user".to_string());
    }
    (c.admin && !matches!(c.expires, Expiry::At(_)))
        .then(|| "organisation admin key with no expiry".to_string())
}

/// Why a federated trust is too broad on its own, whatever the registry says.
pub fn unconditioned_trust(t: &Trust) -> Option<String> {
    if t.subjects.is_empty() {
        return Some(format!(
            "trusts every token from {} (no subject condition)",
            t.issuer
        ));
    }
    if t.provider == Provider::Gcp
        && t.attribute_condition
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        return Some(format!(
            "workload identity provider for {} has no attributeCondition",
            t.issuer
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn key(created: &str, last_used: Activity) -> Credential {
        Credential {
            source: "aws".into(),
            provider: Provider::Aws,
            id: "AKIA1".into(),
            identity: "arn:aws:iam::123456789012:user/a".into(),
            kind: CredentialKind::AccessKey,
            hint: None,
            created: Some(ts(created)),
            last_used,
            expires: Expiry::NotApplicable,
            state: CredentialState::Active,
            long_lived: true,
            managed: Managed::User,
            root: false,
            admin: false,
            invalid_since: None,
        }
    }

    const NOW: &str = "2026-11-01T00:00:00Z";

    #[test]
    fn rotation_boundary_is_strict() {
        let l = Limits::BUILT_IN;
        let exactly_90d = key("2026-08-03T00:00:00Z", Activity::Never);
        assert!(key_not_rotated(&exactly_90d, &l, ts(NOW)).is_none());
        let older = key("2026-08-02T23:59:59Z", Activity::Never);
        assert!(key_not_rotated(&older, &l, ts(NOW)).is_some());
    }

    #[test]
    fn provider_managed_and_inactive_keys_are_not_rotation_findings() {
        let l = Limits::BUILT_IN;
        let mut k = key("2020-01-01T00:00:00Z", Activity::Never);
        k.managed = Managed::Provider;
        assert!(key_not_rotated(&k, &l, ts(NOW)).is_none());
        let mut k = key("2020-01-01T00:00:00Z", Activity::Never);
        k.state = CredentialState::Inactive;
        assert!(key_not_rotated(&k, &l, ts(NOW)).is_none());
    }

    #[test]
    fn a_brand_new_unused_key_is_not_never_used() {
        let l = Limits::BUILT_IN;
        let fresh = key("2026-10-28T00:00:00Z", Activity::Never);
        assert!(never_used_key(&fresh, &l, ts(NOW)).is_none());
        let stale = key("2026-10-01T00:00:00Z", Activity::Never);
        assert!(never_used_key(&stale, &l, ts(NOW)).is_some());
        // "unknown" usage is not "never".
        let unknown = key("2026-01-01T00:00:00Z", Activity::Unknown);
        assert!(never_used_key(&unknown, &l, ts(NOW)).is_none());
    }

    #[test]
    fn unused_uses_last_use_not_creation() {
        let l = Limits::BUILT_IN;
        let recent = key(
            "2020-01-01T00:00:00Z",
            Activity::At(ts("2026-10-30T00:00:00Z")),
        );
        assert!(unused_key(&recent, &l, ts(NOW)).is_none());
        let old = key(
            "2026-01-01T00:00:00Z",
            Activity::At(ts("2026-09-01T00:00:00Z")),
        );
        assert!(unused_key(&old, &l, ts(NOW)).is_some());
    }

    #[test]
    fn expiry_is_medium_before_and_low_after() {
        let l = Limits::BUILT_IN;
        let mut k = key("2026-01-01T00:00:00Z", Activity::Unknown);
        k.expires = Expiry::At(ts("2026-11-10T00:00:00Z"));
        assert_eq!(
            expiring(&k, &l, ts(NOW)).map(|x| x.0),
            Some(Severity::Medium)
        );
        k.expires = Expiry::At(ts("2026-10-10T00:00:00Z"));
        assert_eq!(expiring(&k, &l, ts(NOW)).map(|x| x.0), Some(Severity::Low));
        k.expires = Expiry::At(ts("2027-10-10T00:00:00Z"));
        assert!(expiring(&k, &l, ts(NOW)).is_none());
    }

    #[test]
    fn catalogue_ids_are_unique_and_sorted() {
        let ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }
}
