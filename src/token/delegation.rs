//! Delegation: the RFC 8693 §4.1 `act` (actor) claim and §4.4 `may_act`.
//!
//! `act` names the party acting for the token's subject. A nested `act`
//! inside it names the party that acted before: the outermost `act` is the
//! current actor, the innermost the first. So in
//!
//! ```json
//! {"sub": "alice", "act": {"sub": "agent-b", "act": {"sub": "agent-a"}}}
//! ```
//!
//! agent-b acts for alice now, and got there through agent-a: the
//! delegation ran alice → agent-a → agent-b. Only identity claims are
//! meaningful inside `act` (§4.1); others are kept but carry no weight.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::claims::ClaimError;
use super::jwt::json_type;

/// One party in a delegation chain, or the party `may_act` allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub sub: Option<String>,
    pub iss: Option<String>,
    pub client_id: Option<String>,
    /// Any other members, a nested `act` excluded.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub other: Map<String, Value>,
}

impl Actor {
    /// How to name this party: `sub`, else `client_id`, else `iss`.
    pub fn label(&self) -> &str {
        self.sub
            .as_deref()
            .or(self.client_id.as_deref())
            .or(self.iss.as_deref())
            .unwrap_or("(unnamed)")
    }

    fn from_object(path: &str, obj: &Map<String, Value>) -> Result<Actor, ClaimError> {
        let string = |name: &str| match obj.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(ClaimError::new(
                format!("{path}.{name}"),
                format!("expected a string, got a JSON {}", json_type(v)),
            )),
        };
        Ok(Actor {
            sub: string("sub")?,
            iss: string("iss")?,
            client_id: string("client_id")?,
            other: obj
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "sub" | "iss" | "client_id" | "act"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }
}

/// The chain of actors from nested `act` claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// The token's `sub`: the party being acted for.
    pub subject: Option<String>,
    /// Outermost first: `actors[0]` is the current actor, the last is the first
    /// party the subject delegated to.
    pub actors: Vec<Actor>,
    /// Number of actors (nesting depth of `act`).
    pub depth: usize,
    /// Who delegated to whom, in order: `alice → agent-a → agent-b`.
    pub path: String,
}

/// Reads the `act` chain; `None` when the token has no `act`.
pub fn chain(claims: &Map<String, Value>) -> Result<Option<Delegation>, ClaimError> {
    let subject = match claims.get("sub") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let mut actors = Vec::new();
    let mut path = "act".to_string();
    let mut next = claims.get("act");
    while let Some(v) = next {
        let Value::Object(obj) = v else {
            return Err(ClaimError::new(
                path,
                format!(
                    "expected a JSON object naming the actor (RFC 8693 §4.1), got a JSON {}",
                    json_type(v)
                ),
            ));
        };
        actors.push(Actor::from_object(&path, obj)?);
        next = obj.get("act");
        path.push_str(".act");
    }
    if actors.is_empty() {
        return Ok(None);
    }
    let mut names: Vec<&str> = vec![subject.as_deref().unwrap_or("(no sub)")];
    names.extend(actors.iter().rev().map(Actor::label));
    Ok(Some(Delegation {
        path: names.join(" → "),
        depth: actors.len(),
        subject,
        actors,
    }))
}

/// `may_act`: the party allowed to become the actor for this subject in a
/// later token exchange (RFC 8693 §4.4).
pub fn may_act(claims: &Map<String, Value>) -> Result<Option<Actor>, ClaimError> {
    match claims.get("may_act") {
        None => Ok(None),
        Some(Value::Object(obj)) => Actor::from_object("may_act", obj).map(Some),
        Some(v) => Err(ClaimError::new(
            "may_act",
            format!(
                "expected a JSON object naming the party (RFC 8693 §4.4), got a JSON {}",
                json_type(v)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn no_act_no_chain() {
        assert_eq!(chain(&map(json!({"sub": "alice"}))).unwrap(), None);
    }

    #[test]
    fn outermost_act_is_the_current_actor() {
        let c = map(json!({
            "sub": "alice",
            "act": {
                "sub": "agent-b", "iss": "https://idp.example",
                "act": {"client_id": "agent-a", "role": "planner"}
            }
        }));
        let d = chain(&c).unwrap().unwrap();
        assert_eq!(d.depth, 2);
        assert_eq!(d.subject.as_deref(), Some("alice"));
        assert_eq!(d.actors[0].sub.as_deref(), Some("agent-b"));
        assert_eq!(d.actors[0].iss.as_deref(), Some("https://idp.example"));
        assert_eq!(d.actors[1].label(), "agent-a");
        assert_eq!(d.actors[1].other.get("role"), Some(&json!("planner")));
        assert_eq!(d.path, "alice → agent-a → agent-b");
    }

    #[test]
    fn malformed_act_names_its_depth() {
        let e = chain(&map(json!({"act": {"sub": "b", "act": "a"}}))).unwrap_err();
        assert_eq!(e.claim, "act.act");
        let e = chain(&map(json!({"act": {"sub": 7}}))).unwrap_err();
        assert_eq!(e.claim, "act.sub");
    }

    #[test]
    fn may_act_names_a_party() {
        let a = may_act(&map(json!({"may_act": {"sub": "agent-x"}})))
            .unwrap()
            .unwrap();
        assert_eq!(a.label(), "agent-x");
        assert!(may_act(&map(json!({"may_act": ["x"]}))).is_err());
        assert_eq!(may_act(&map(json!({}))).unwrap(), None);
    }
}
