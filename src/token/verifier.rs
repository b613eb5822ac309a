//! `token verify` end to end: choose the keys a token may be checked with,
//! run the standard checks (verify.rs) and the contract (policy.rs), and
//! assemble the report. Batches resolve keys once per source and verify on
//! every core.

use std::borrow::Cow;

use jiff::Timestamp;
use serde::Serialize;

use super::claims;
use super::jwt::Jws;
use super::keys::Lookup;
use super::keysource::{KeySourceError, KeySpec, Resolved, Resolver};
use super::policy::{self, AgentMatch};
use super::verify::{self, Check, Expectations, KeyUsed, Outcome, RequiredClaim};
use crate::duration::Duration;
use crate::registry::{Agent, Registry};

/// What the user asked for, flags resolved.
#[derive(Debug, Clone)]
pub struct Request<'r> {
    /// `--jwks`/`--key`/`--issuer`; `None` trusts issuers the registry declares.
    pub spec: Option<KeySpec>,
    /// `--issuer`: the exact `iss` expected (also the discovery source when no
    /// `--jwks`/`--key` is given).
    pub issuer: Option<String>,
    pub registry: Option<&'r Registry>,
    /// `--agent`: contract check against this agent.
    pub agent: Option<&'r Agent>,
    pub audiences: Vec<String>,
    pub require_claims: Vec<RequiredClaim>,
    pub typ: Option<String>,
    /// `--clock-skew`; else the contract agent's `thresholds.clock_skew`,
    /// the registry's `defaults.clock_skew`, 60 s (resolved per token, once
    /// its agent is known).
    pub clock_skew: Option<Duration>,
    pub now: Timestamp,
}

/// The result for one token; the json/yaml document of `token verify`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub schema_version: u32,
    pub kind: &'static str,
    /// Where the token came from (`token.jwt`, `<stdin>`, `$VAR`, `line 7`).
    pub source: String,
    /// Line number in a `--batch` file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub as_of: Timestamp,
    pub valid: bool,
    /// One line on the most likely cause when not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The registry agent whose contract was checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyUsed>,
    pub checks: Vec<Check>,
}

pub const KIND: &str = "agentid.token.verify";

/// Which key source a token needs: the flags' one, or its issuer's.
fn spec_for<'q>(req: &'q Request, jws: &Jws) -> Result<Cow<'q, KeySpec>, Check> {
    if let Some(s) = &req.spec {
        return Ok(Cow::Borrowed(s));
    }
    let iss = claims::string_claim(&jws.claims, "iss")
        .ok()
        .flatten()
        .unwrap_or("");
    match req.registry {
        Some(reg) if !iss.is_empty() && policy::issuer_declared(reg, iss) => {
            Ok(Cow::Owned(KeySpec::Issuer(iss.to_string())))
        }
        Some(_) => Err(Check::fail(
            "trust",
            if iss.is_empty() {
                "the token names no issuer, and no --jwks/--key/--issuer was given".to_string()
            } else {
                format!(
                    "issuer {iss} is declared by no agent's trust (nor issuers:) in the registry; pass --issuer, --jwks or --key to trust it explicitly"
                )
            },
        )),
        None => Err(Check::fail(
            "trust",
            "no keys to verify with: pass --jwks, --key or --issuer, or declare the issuer in agentid.yaml"
                .to_string(),
        )),
    }
}

/// The report for a batch line that is not a token at all.
pub fn malformed(req: &Request, line: usize, why: &str) -> VerifyReport {
    VerifyReport {
        schema_version: 1,
        kind: KIND,
        source: format!("line {line}"),
        line: Some(line),
        as_of: req.now,
        valid: false,
        explanation: Some(format!("malformed token: {why}")),
        issuer: None,
        subject: None,
        agent: None,
        key: None,
        checks: vec![Check::fail("parse", why.to_string())],
    }
}

/// Keys resolved once per source, shared by every token of a run.
pub struct KeyBook<'a> {
    resolver: &'a mut Resolver,
    /// By source, found by equality: a run has a handful of sources, and
    /// [`KeyBook::get`] runs once per token of a batch.
    resolved: Vec<(KeySpec, Result<Resolved, String>)>,
}

impl<'a> KeyBook<'a> {
    pub fn new(resolver: &'a mut Resolver) -> Self {
        KeyBook {
            resolver,
            resolved: Vec::new(),
        }
    }

    /// Resolve a source (once), and refetch it once if a token's kid is not
    /// in it. An operational failure is returned as an error for the single
    /// token path (exit 3) and kept per source for batches.
    pub async fn prepare(
        &mut self,
        spec: &KeySpec,
        kid: Option<&str>,
        alg: &str,
    ) -> Result<(), KeySourceError> {
        let at = match self.resolved.iter().position(|(s, _)| s == spec) {
            Some(at) => at,
            None => {
                let r = self.resolver.resolve(spec).await;
                match r {
                    Ok(r) => self.resolved.push((spec.clone(), Ok(r))),
                    Err(KeySourceError::BadInput(m)) => {
                        return Err(KeySourceError::BadInput(m));
                    }
                    Err(e) => {
                        self.resolved.push((spec.clone(), Err(e.to_string())));
                        return Err(e);
                    }
                }
                self.resolved.len() - 1
            }
        };
        if let (_, Ok(r)) = &mut self.resolved[at]
            && matches!(r.keys.find(kid, alg), Lookup::KidUnknown { .. })
            && !r.ctx.refetched
        {
            // Sets ctx.refetched when the set is as fresh as it can be (a
            // fetch just now); a file source cannot be refetched.
            self.resolver.refetch(r).await?;
        }
        Ok(())
    }

    pub fn get(&self, spec: &KeySpec) -> Option<&Result<Resolved, String>> {
        self.resolved
            .iter()
            .find_map(|(s, r)| (s == spec).then_some(r))
    }
}

/// Verify one token whose keys are in `book` (after `prepare`). Pure CPU:
/// safe to call from many threads.
pub fn verify_prepared(req: &Request, book: &KeyBook, jws: &Jws, source: &str) -> VerifyReport {
    let iss = claims::string_claim(&jws.claims, "iss")
        .ok()
        .flatten()
        .map(str::to_string);
    let sub = claims::string_claim(&jws.claims, "sub")
        .ok()
        .flatten()
        .map(str::to_string);
    let mut report = VerifyReport {
        schema_version: 1,
        kind: KIND,
        source: source.to_string(),
        line: None,
        as_of: req.now,
        valid: false,
        explanation: None,
        issuer: iss.clone(),
        subject: sub.clone(),
        agent: None,
        key: None,
        checks: Vec::new(),
    };
    let spec = match spec_for(req, jws) {
        Ok(s) => s,
        Err(check) => {
            report.explanation = Some(format!("untrusted issuer: {}", check.detail));
            report.checks.push(check);
            return report;
        }
    };
    let resolved = match book.get(&spec) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            report.checks.push(Check::fail("keys", e.clone()));
            report.explanation = Some(format!("key not found at issuer: {e}"));
            return report;
        }
        None => {
            report
                .checks
                .push(Check::fail("keys", "keys were not resolved".to_string()));
            return report;
        }
    };

    // The agent: --agent, or the one agent whose trust matches iss + sub.
    let agent_match = match (req.agent, req.registry) {
        (Some(a), _) => AgentMatch::One(a),
        (None, Some(reg)) => policy::match_agent(
            reg,
            iss.as_deref().unwrap_or(""),
            sub.as_deref().unwrap_or(""),
        ),
        (None, None) => AgentMatch::None,
    };
    let agent = match &agent_match {
        AgentMatch::One(a) => Some(*a),
        _ => None,
    };

    // Expected issuer and audiences: flags, else what the registry allows.
    let expected_issuer = req.issuer.clone().or_else(|| match (&req.spec, &*spec) {
        // Trusted through the registry: the issuer is the one declared.
        (None, KeySpec::Issuer(i)) => Some(i.clone()),
        _ => None,
    });
    let audiences = if !req.audiences.is_empty() {
        req.audiences.clone()
    } else if let Some(a) = agent {
        allowed_audiences(
            a,
            iss.as_deref().unwrap_or(""),
            sub.as_deref().unwrap_or(""),
        )
    } else {
        Vec::new()
    };
    let exp = Expectations {
        now: req.now,
        clock_skew_secs: clock_skew(req, agent).as_secs() as i64,
        issuer: expected_issuer,
        audiences,
        require_claims: req.require_claims.clone(),
        typ: req.typ.clone(),
    };
    let verdict = verify::verify_token(jws, &resolved.keys, &resolved.ctx, &exp);
    let verdict_refusal = verdict.refusal;
    report.key = verdict.key;
    report.checks = verdict.checks;

    if let Some(reg) = req.registry {
        match agent_match {
            AgentMatch::One(a) => {
                report.agent = Some(a.name.clone());
                let claims = jws.claims.to_map();
                report.checks.extend(policy::check_contract(
                    reg,
                    a,
                    &policy::ContractInput {
                        claims: &claims,
                        now: req.now,
                    },
                ));
            }
            AgentMatch::Many(names) => report.checks.push(Check::skip(
                "contract",
                format!(
                    "several agents' trust matches ({}); pass --agent to check one",
                    names.join(", ")
                ),
            )),
            // Trusted only because the registry declares the issuer: a subject
            // no agent declares is not covered by that trust.
            AgentMatch::None if req.spec.is_none() => report.checks.push(Check::fail(
                "contract.trust",
                format!(
                    "no agent's trust matches issuer {} and subject {:?}",
                    iss.as_deref().unwrap_or("(none)"),
                    sub.as_deref().unwrap_or("")
                ),
            )),
            AgentMatch::None => report.checks.push(Check::skip(
                "contract",
                "no agent's trust matches this issuer and subject (pass --agent to check one)"
                    .to_string(),
            )),
        }
    }
    report.valid = report.checks.iter().all(|c| c.outcome != Outcome::Fail);
    if !report.valid {
        report.explanation =
            verify::explain(&report.checks, jws, &resolved.ctx, &exp, verdict_refusal);
    }
    report
}

fn clock_skew(req: &Request, agent: Option<&Agent>) -> Duration {
    req.clock_skew
        .or_else(|| {
            agent
                .and_then(|a| a.thresholds.as_ref())
                .and_then(|t| t.clock_skew)
        })
        .or_else(|| req.registry.and_then(|r| r.defaults.clock_skew))
        .unwrap_or(Duration::from_secs(60))
}

/// The audiences an agent's token may carry: its matching trust rule's and
/// what it may request.
fn allowed_audiences(agent: &Agent, iss: &str, sub: &str) -> Vec<String> {
    let mut out: Vec<String> = agent
        .trust
        .iter()
        .filter(|t| {
            t.issuer == iss
                && crate::inventory::pattern::SubjectPattern::new(&t.subject)
                    .is_some_and(|p| p.is_match(sub))
        })
        .flat_map(|t| t.audiences.iter().cloned())
        .collect();
    if let Some(m) = &agent.may_request {
        out.extend(m.audiences.iter().cloned());
    }
    out.sort();
    out.dedup();
    out
}

/// The key source a token needs, if any; for preparing a batch.
pub fn needed_spec(req: &Request, jws: &Jws) -> Option<KeySpec> {
    spec_for(req, jws).ok().map(Cow::into_owned)
}
