//! The contract check: does a token fit what the registry declares for the
//! agent it belongs to — who may issue it for which subject (`trust`), what
//! it may carry (`may_request`), how long it may live, and who may act for
//! whom (`delegation`).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::claims;
use super::delegation;
use super::verify::Check;
use crate::duration::Duration;
use crate::inventory::pattern::SubjectPattern;
use crate::registry::{Agent, OnBehalfOf, Registry};

/// Which agent a token belongs to.
#[derive(Debug, Clone)]
pub enum AgentMatch<'r> {
    None,
    One(&'r Agent),
    /// Several agents' trust rules match: the caller must say which (`--agent`).
    Many(Vec<&'r str>),
}

/// The agents whose `trust` accepts this issuer and subject.
pub fn match_agent<'r>(registry: &'r Registry, iss: &str, sub: &str) -> AgentMatch<'r> {
    let hits: Vec<&Agent> = registry
        .agents
        .iter()
        .filter(|a| trust_rule_for(a, iss, sub).is_some())
        .collect();
    match hits.as_slice() {
        [] => AgentMatch::None,
        [one] => AgentMatch::One(one),
        many => AgentMatch::Many(many.iter().map(|a| a.name.as_str()).collect()),
    }
}

/// True when some agent's trust, or a declared issuer, names this issuer:
/// without explicit keys, only such issuers are trusted.
pub fn issuer_declared(registry: &Registry, iss: &str) -> bool {
    registry
        .agents
        .iter()
        .any(|a| a.trust.iter().any(|t| t.issuer == iss))
        || registry.issuers.iter().any(|i| i.issuer == iss)
}

fn trust_rule_for<'a>(
    agent: &'a Agent,
    iss: &str,
    sub: &str,
) -> Option<&'a crate::registry::TrustRule> {
    agent.trust.iter().find(|t| {
        t.issuer == iss && SubjectPattern::new(&t.subject).is_some_and(|p| p.is_match(sub))
    })
}

/// Everything the contract needs besides the registry and the agent.
pub struct ContractInput<'a> {
    pub claims: &'a Map<String, Value>,
    pub now: Timestamp,
}

/// The contract checks for one agent, each named `contract.*`.
pub fn check_contract(registry: &Registry, agent: &Agent, input: &ContractInput) -> Vec<Check> {
    let c = input.claims;
    let iss = claims::string_claim(c, "iss").ok().flatten().unwrap_or("");
    let sub = claims::string_claim(c, "sub").ok().flatten().unwrap_or("");
    let mut checks = Vec::new();

    // trust: issuer + subject glob.
    let rule = trust_rule_for(agent, iss, sub);
    checks.push(match rule {
        Some(r) => Check::pass(
            "contract.trust",
            format!(
                "issuer {iss} and subject {sub:?} match trust rule {:?}",
                r.subject
            ),
        ),
        None if agent.trust.is_empty() => Check::fail(
            "contract.trust",
            format!(
                "agent {} declares no trust: it accepts no federated token",
                agent.name
            ),
        ),
        None => Check::fail(
            "contract.trust",
            format!(
                "issuer {iss} / subject {sub:?} match none of agent {}'s trust rules ({})",
                agent.name,
                agent
                    .trust
                    .iter()
                    .map(|t| format!("{} {:?}", t.issuer, t.subject))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
    });

    // audiences: every audience the token carries must be one the agent may
    // hold, as its identity token (trust audiences) or as an issued token (may_request).
    let auds = claims::audiences(c).unwrap_or_default();
    let may = agent.may_request.clone().unwrap_or_default();
    let mut allowed: Vec<&str> = may.audiences.iter().map(String::as_str).collect();
    if let Some(r) = rule {
        allowed.extend(r.audiences.iter().map(String::as_str));
    }
    if allowed.is_empty() {
        checks.push(Check::skip(
            "contract.audience",
            format!("agent {} declares no audiences", agent.name),
        ));
    } else {
        let outside: Vec<&str> = auds
            .iter()
            .map(String::as_str)
            .filter(|a| !allowed.contains(a))
            .collect();
        let required_missing: Vec<&str> = rule
            .map(|r| {
                r.audiences
                    .iter()
                    .map(String::as_str)
                    .filter(|a| !auds.iter().any(|t| t == a))
                    .collect()
            })
            .unwrap_or_default();
        checks.push(if !outside.is_empty() {
            Check::fail(
                "contract.audience",
                format!(
                    "audience {} is outside what {} may hold ({})",
                    outside.join(", "),
                    agent.name,
                    allowed.join(", ")
                ),
            )
        } else if auds.is_empty() {
            Check::fail(
                "contract.audience",
                "the token names no audience".to_string(),
            )
        } else if !required_missing.is_empty() && may.audiences.is_empty() {
            Check::fail(
                "contract.audience",
                format!(
                    "the trust rule requires audience {}",
                    required_missing.join(", ")
                ),
            )
        } else {
            Check::pass(
                "contract.audience",
                format!("{} within the declared audiences", auds.join(", ")),
            )
        });
    }

    // scopes within may_request.scopes.
    let scopes = claims::scopes(c).map(|s| s.values).unwrap_or_default();
    if scopes.is_empty() {
        checks.push(Check::skip(
            "contract.scope",
            "the token carries no scope".to_string(),
        ));
    } else if may.scopes.is_empty() {
        checks.push(Check::fail(
            "contract.scope",
            format!(
                "the token carries scope {} but {} may request none",
                scopes.join(" "),
                agent.name
            ),
        ));
    } else {
        let extra: Vec<&str> = scopes
            .iter()
            .map(String::as_str)
            .filter(|s| !may.scopes.iter().any(|m| m == s))
            .collect();
        checks.push(if extra.is_empty() {
            Check::pass(
                "contract.scope",
                format!("{} within may_request", scopes.join(" ")),
            )
        } else {
            Check::fail(
                "contract.scope",
                format!(
                    "scope {} exceeds may_request ({})",
                    extra.join(" "),
                    may.scopes.join(" ")
                ),
            )
        });
    }

    // lifetime: exp - iat (or exp - now without iat) against the agent's limit.
    let (max, from) = max_lifetime(registry, agent);
    let (times, _) = claims::times(c, input.now);
    let lifetime = match (&times.iat, &times.exp) {
        (Some(i), Some(e)) => Some(e.at.as_second() - i.at.as_second()),
        (None, Some(e)) => Some(e.at.as_second() - input.now.as_second()),
        _ => None,
    };
    checks.push(match lifetime {
        None => Check::skip("contract.lifetime", "no exp: see the exp check".to_string()),
        Some(secs) if secs > max.as_secs() as i64 => Check::fail(
            "contract.lifetime",
            format!(
                "lifetime {} exceeds {} ({from})",
                crate::duration::humanize_secs(secs),
                crate::duration::humanize_secs(max.as_secs() as i64)
            ),
        ),
        Some(secs) => Check::pass(
            "contract.lifetime",
            format!(
                "lifetime {} within {} ({from})",
                crate::duration::humanize_secs(secs),
                crate::duration::humanize_secs(max.as_secs() as i64)
            ),
        ),
    });

    checks.push(delegation_check(registry, agent, c));
    checks
}

/// The lifetime limit for tokens of this agent and where it comes from.
pub fn max_lifetime(registry: &Registry, agent: &Agent) -> (Duration, String) {
    if let Some(d) = agent
        .may_request
        .as_ref()
        .and_then(|m| m.max_token_lifetime)
    {
        return (
            d,
            format!("agents.{}.may_request.max_token_lifetime", agent.name),
        );
    }
    if let Some(d) = agent.thresholds.as_ref().and_then(|t| t.max_token_lifetime) {
        return (
            d,
            format!("agents.{}.thresholds.max_token_lifetime", agent.name),
        );
    }
    if let Some(d) = registry.defaults.max_token_lifetime {
        return (d, "defaults.max_token_lifetime".to_string());
    }
    (Duration::from_secs(3600), "built-in default 1h".to_string())
}

fn delegation_check(registry: &Registry, agent: &Agent, c: &Map<String, Value>) -> Check {
    let chain = match delegation::chain(c) {
        Ok(chain) => chain,
        Err(e) => return Check::fail("contract.delegation", e.to_string()),
    };
    let Some(chain) = chain else {
        return Check::pass(
            "contract.delegation",
            "no act claim: nobody acts for anyone".to_string(),
        );
    };
    let (allowed, max_depth) = match &agent.delegation {
        None => (OnBehalfOf::None, 0),
        Some(d) => (d.on_behalf_of, d.max_depth as usize),
    };
    if allowed == OnBehalfOf::None {
        return Check::fail(
            "contract.delegation",
            format!(
                "act chain {} but {} may not act on behalf of anyone",
                chain.path, agent.name
            ),
        );
    }
    if chain.depth > max_depth {
        return Check::fail(
            "contract.delegation",
            format!(
                "act chain {} is {} deep; {} allows {max_depth}",
                chain.path, chain.depth, agent.name
            ),
        );
    }
    if allowed == OnBehalfOf::Agents {
        let iss = claims::string_claim(c, "iss").ok().flatten().unwrap_or("");
        for actor in &chain.actors {
            let declared = actor.sub.as_deref().is_some_and(|sub| {
                let actor_iss = actor.iss.as_deref().unwrap_or(iss);
                registry.agents.iter().any(|a| a.name == sub)
                    || !matches!(match_agent(registry, actor_iss, sub), AgentMatch::None)
            });
            if !declared {
                return Check::fail(
                    "contract.delegation",
                    format!(
                        "actor {} in {} is not a declared agent (on_behalf_of: agents)",
                        actor.label(),
                        chain.path
                    ),
                );
            }
        }
    }
    Check::pass(
        "contract.delegation",
        format!("act chain {} ({} deep) allowed", chain.path, chain.depth),
    )
}
