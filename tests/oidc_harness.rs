//! The test OIDC provider (tests/oidc, npm oidc-provider) and its Rust harness
//! (tests/common/oidc.rs) do what later `token verify` and `exchange` tests rely on.
mod common;

use common::oidc::{
    Auth, CC_CLIENT, GRANT_JWT_BEARER, OidcProvider, OldKeys, PKJWT_CLIENT, RESOURCE, RESOURCE_RS,
    jwt_parts, kid_resource,
};
use serde_json::json;

#[test]
fn discovery_names_issuer_jwks_and_grants() {
    let op = OidcProvider::start();
    let d = op.discovery();
    assert_eq!(d["issuer"], op.issuer.as_str());
    assert_eq!(d["jwks_uri"], op.jwks_uri().as_str());
    assert_eq!(d["token_endpoint"], op.token_endpoint().as_str());
    let grants = d["grant_types_supported"].to_string();
    for g in [
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        GRANT_JWT_BEARER,
    ] {
        assert!(grants.contains(g), "{g} not in {grants}");
    }
}

#[test]
fn jwks_publishes_public_es256_and_rs256_keys() {
    let op = OidcProvider::start();
    assert_eq!(op.kids(), ["as-es256", "as-rs256"]);
    let jwks = op.jwks();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys[0]["kty"], "EC");
    assert_eq!(keys[0]["alg"], "ES256");
    assert_eq!(keys[1]["kty"], "RSA");
    assert_eq!(keys[1]["alg"], "RS256");
    for k in keys {
        assert!(k.get("d").is_none(), "private part published: {k}");
    }
}

#[test]
fn client_credentials_gives_es256_at_jwt_and_rs256_on_request() {
    let op = OidcProvider::start();
    let token = op.token_client_credentials(Some("read"), None);
    assert_eq!(token.split('.').count(), 3);
    let (header, claims) = jwt_parts(&token);
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["kid"], "as-es256");
    assert_eq!(claims["iss"], op.issuer.as_str());
    assert_eq!(claims["sub"], CC_CLIENT);
    assert_eq!(claims["client_id"], CC_CLIENT);
    assert_eq!(claims["aud"], RESOURCE);
    assert_eq!(claims["scope"], "read");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());

    let (header, claims) = jwt_parts(&op.token_client_credentials(None, Some(RESOURCE_RS)));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "as-rs256");
    assert_eq!(claims["aud"], RESOURCE_RS);

    let unknown = op.token_request(
        Auth::Basic(CC_CLIENT, "agent-cc-secret"),
        &[
            ("grant_type", "client_credentials"),
            ("resource", "urn:nope"),
        ],
    );
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(unknown.json()["error"], "invalid_target");
}

#[test]
fn wrong_client_secret_is_rejected() {
    let op = OidcProvider::start();
    let reply = op.token_request(
        Auth::Basic(CC_CLIENT, "not-the-secret"),
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert_eq!(reply.json()["error"], "invalid_client");
    let none = op.token_request(Auth::None, &[("grant_type", "client_credentials")]);
    assert_eq!(none.status, 400, "{}", none.body);
    assert_eq!(none.json()["error"], "invalid_request");
}

#[test]
fn rotation_keeps_then_removes_the_old_key() {
    let op = OidcProvider::start();
    let old = op.token_client_credentials(None, None);
    assert_eq!(jwt_parts(&old).0["kid"], "as-es256");

    let state = op.rotate(OldKeys::Keep);
    assert_eq!(state.signing("ES256"), "as-es256-2");
    assert_eq!(state.signing("RS256"), "as-rs256-2");
    assert_eq!(
        op.kids(),
        ["as-es256-2", "as-rs256-2", "as-es256", "as-rs256"]
    );
    let new = op.token_client_credentials(None, None);
    assert_eq!(jwt_parts(&new).0["kid"], "as-es256-2");
    // A token from a given published key, old or new.
    let by_old = op.token_client_credentials(None, Some(&kid_resource("as-es256")));
    assert_eq!(jwt_parts(&by_old).0["kid"], "as-es256");

    let state = op.retire_old();
    assert_eq!(state.published, ["as-es256-2", "as-rs256-2"]);
    assert_eq!(state.retired, ["as-es256", "as-rs256"]);
    assert_eq!(op.kids(), ["as-es256-2", "as-rs256-2"]);
    let gone = op.token_request(
        Auth::Basic(CC_CLIENT, "agent-cc-secret"),
        &[
            ("grant_type", "client_credentials"),
            ("resource", &kid_resource("as-es256")),
        ],
    );
    assert_eq!(gone.json()["error"], "invalid_target");

    // Emergency rotation of one alg: the old ES256 key leaves the JWKS at once.
    let state = op.rotate_algs(&["ES256"], OldKeys::Remove);
    assert_eq!(state.generation, 3);
    assert_eq!(op.kids(), ["as-es256-3", "as-rs256-2"]);
    // The AS still holds retired keys, so a test can make "signed by an unpublished key".
    let stray = op.sign(Some("as-es256"), json!({"sub": "x"}), json!({}));
    assert_eq!(jwt_parts(&stray).0["kid"], "as-es256");
}

#[test]
fn restart_on_the_same_state_keeps_issuer_and_keys() {
    let mut op = OidcProvider::start();
    op.rotate(OldKeys::Keep);
    let (issuer, before) = (op.issuer.clone(), op.jwks());
    op.restart();
    assert_eq!(op.issuer, issuer);
    assert_eq!(op.jwks(), before);
    let token = op.token_client_credentials(None, None);
    assert_eq!(jwt_parts(&token).0["kid"], "as-es256-2");

    // A second server on the same state directory serves the same keys.
    let twin = OidcProvider::start_in(&op.state_dir);
    assert_ne!(twin.issuer, op.issuer);
    assert_eq!(twin.jwks(), before);
}

#[test]
fn token_exchange_adds_act_for_an_actor_and_rejects_a_forged_subject() {
    let op = OidcProvider::start();
    let subject = op.token_client_credentials(Some("read"), None);
    let actor = op
        .token_request(
            Auth::Assertion(&op.client_assertion()),
            &[("grant_type", "client_credentials")],
        )
        .access_token();

    let reply = op.token_exchange(&subject, Some(&actor));
    let body = reply.json();
    assert_eq!(
        body["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    let (header, claims) = jwt_parts(&reply.access_token());
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(claims["sub"], CC_CLIENT);
    assert_eq!(claims["act"], json!({"sub": PKJWT_CLIENT}));
    assert_eq!(claims["scope"], "read");

    // Exchanging again nests the earlier actor (RFC 8693 4.1).
    let again = op
        .token_exchange(&reply.access_token(), Some(&subject))
        .access_token();
    assert_eq!(
        jwt_parts(&again).1["act"],
        json!({"sub": CC_CLIENT, "act": {"sub": PKJWT_CLIENT}})
    );

    let plain = op.token_exchange(&subject, None).access_token();
    assert!(jwt_parts(&plain).1.get("act").is_none());

    // Change one signature character that carries whole bits (not the last one).
    let sig_at = subject.rfind('.').unwrap() + 10;
    let flipped = if &subject[sig_at..=sig_at] == "A" {
        "B"
    } else {
        "A"
    };
    let forged = format!("{}{flipped}{}", &subject[..sig_at], &subject[sig_at + 1..]);
    let bad = op.token_exchange(&forged, None);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["error"], "invalid_grant");
}

#[test]
fn private_key_jwt_client_and_jwt_bearer_grant() {
    let op = OidcProvider::start();
    let jwk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(op.pkjwt_private_jwk()).unwrap()).unwrap();
    assert_eq!(jwk["kty"], "EC");
    assert!(jwk["d"].is_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(op.pkjwt_private_jwk())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let assertion = op.client_assertion();
    let form = [("grant_type", "client_credentials")];
    let token = op
        .token_request(Auth::Assertion(&assertion), &form)
        .access_token();
    assert_eq!(jwt_parts(&token).1["sub"], PKJWT_CLIENT);
    let replay = op.token_request(Auth::Assertion(&assertion), &form);
    assert_eq!(replay.json()["error"], "invalid_client");

    // RFC 7523 2.1: an assertion from a trusted issuer (here the AS itself) names the subject.
    let grant = op.sign(
        None,
        json!({"sub": "workload-7", "aud": op.issuer}),
        json!({}),
    );
    let token = op
        .token_request(
            Auth::Basic(CC_CLIENT, "agent-cc-secret"),
            &[("grant_type", GRANT_JWT_BEARER), ("assertion", &grant)],
        )
        .access_token();
    assert_eq!(jwt_parts(&token).1["sub"], "workload-7");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut op = OidcProvider::start();
    let status = op.terminate();
    assert!(status.success(), "exit status {status}");
}
