//! The attack suite of `agentid token verify`: crafted tokens, each of which
//! must be rejected for the right reason (exit code, the failing check by
//! name, and a distinctive part of its detail and of the one-line likely
//! cause, or of the one-line error for bad input).
//!
//! Offline and fast: the trusted keys are the openssl-made fixtures in
//! tests/fixtures/keys (given with `--jwks` / `--key`), the attacker's key and
//! certificate are in tests/fixtures/verify (see make.sh there), tokens are
//! signed here with jsonwebtoken's aws-lc signer over header and payload
//! bytes written by hand, and `--as-of` pins the time. The table is one
//! struct per case; a few positive controls prove that the keys and the
//! token builder work, so that a rejection is never an accident of the setup.

mod common;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use common::{AS_OF, Scratch, repo, run};

/// `common::AS_OF` as a Unix time.
const NOW: i64 = 1_793_491_200;
const ISS: &str = "https://issuer.example";
const AUD: &str = "urn:agentid:test-api";

// ---------------------------------------------------------------------------
// Keys and crafting

fn keys_dir() -> PathBuf {
    repo().join("tests/fixtures/keys")
}

fn verify_dir() -> PathBuf {
    repo().join("tests/fixtures/verify")
}

fn key_path(name: &str) -> String {
    keys_dir().join(name).display().to_string()
}

/// The DER inside a one-block PEM file.
fn pem_der(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pem::parse(text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_contents()
}

fn b64u(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn b64u_decode(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

/// Everything the cases need: signing keys, kids, the attacker's key in the
/// forms a token header can carry, helper files, and a loopback listener that
/// `jku`/`x5u` point at (it must never see a connection).
struct Kit {
    scratch: Scratch,
    /// tests/fixtures/keys/ec256.pem: trusted (in jwks.json, ec256.pub.pem).
    ec: EncodingKey,
    /// tests/fixtures/keys/rsa2048.pkcs1.pem: trusted (jwks.json, rsa2048.pub.pem).
    rsa: EncodingKey,
    /// tests/fixtures/verify/attacker-ec256.pem: trusted by nobody.
    attacker: EncodingKey,
    /// RFC 7638 thumbprints: the kids of jwks.json (thumbprints.json, made by openssl).
    ec_kid: String,
    rsa_kid: String,
    /// The attacker's public key as a JWK, and its certificate as an x5c entry.
    attacker_jwk: Value,
    attacker_x5c: String,
    /// `http://127.0.0.1:PORT/jwks` of `trap`.
    trap_url: String,
    trap: TcpListener,
}

impl Kit {
    fn new() -> Kit {
        let scratch = Scratch::new();
        let thumbs: Value = serde_json::from_slice(
            &std::fs::read(keys_dir().join("thumbprints.json")).expect("thumbprints.json"),
        )
        .expect("thumbprints JSON");
        // SubjectPublicKeyInfo of a P-256 key ends with the point 04 || x || y.
        let spki = pem_der(&verify_dir().join("attacker-ec256.pub.pem"));
        let point = &spki[spki.len() - 65..];
        assert_eq!(point[0], 4, "uncompressed point");
        let attacker_jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": b64u(&point[1..33]), "y": b64u(&point[33..]),
        });
        let trap = TcpListener::bind("127.0.0.1:0").expect("bind the jku trap");
        trap.set_nonblocking(true).expect("nonblocking");
        let trap_url = format!("http://{}/jwks", trap.local_addr().expect("addr"));

        // Helper files a case can point --key / --jwks at.
        let ec_jwk: Value = serde_json::from_slice(
            &std::fs::read(keys_dir().join("ec256.jwk.json")).expect("ec256.jwk.json"),
        )
        .expect("JWK");
        let mut enc = ec_jwk.clone();
        enc["use"] = json!("enc");
        scratch.write("use-enc.jwk.json", enc.to_string());
        let mut ops = ec_jwk.clone();
        ops.as_object_mut().expect("object").remove("use");
        ops["key_ops"] = json!(["encrypt"]);
        scratch.write("key-ops-encrypt.jwk.json", ops.to_string());
        scratch.write(
            "attacker.pub.pem",
            std::fs::read(verify_dir().join("attacker-ec256.pub.pem")).expect("pub pem"),
        );

        Kit {
            ec: EncodingKey::from_ec_der(&pem_der(&keys_dir().join("ec256.pem"))),
            rsa: EncodingKey::from_rsa_der(&pem_der(&keys_dir().join("rsa2048.pkcs1.pem"))),
            attacker: EncodingKey::from_ec_der(&pem_der(&verify_dir().join("attacker-ec256.pem"))),
            ec_kid: thumbs["ec256"].as_str().expect("ec256").to_owned(),
            rsa_kid: thumbs["rsa2048"].as_str().expect("rsa2048").to_owned(),
            attacker_jwk,
            attacker_x5c: STANDARD.encode(pem_der(&verify_dir().join("attacker-ec256.crt"))),
            trap_url,
            trap,
            scratch,
        }
    }

    fn scratch_path(&self, name: &str) -> String {
        self.scratch.path().join(name).display().to_string()
    }
}

/// Valid claims for every case to start from: issued a minute before AS_OF,
/// expiring 10 minutes after it.
fn claims() -> Value {
    json!({
        "iss": ISS, "sub": "agent-1", "aud": AUD,
        "iat": NOW - 60, "exp": NOW + 600, "jti": "attack-suite",
    })
}

/// `claims()` with some members changed (`null` removes one).
fn claims_with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().expect("object") {
        if v.is_null() {
            c.as_object_mut().expect("object").remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

/// A compact JWS over header and payload exactly as given (raw JSON text,
/// so duplicate keys and trailing bytes survive), signed with `key`.
fn sign_raw(header: &str, payload: &str, key: &EncodingKey, alg: Algorithm) -> String {
    let input = format!("{}.{}", b64u(header), b64u(payload));
    let sig = jsonwebtoken::crypto::sign(input.as_bytes(), key, alg).expect("sign");
    format!("{input}.{sig}")
}

/// header.payload with a signature given as raw bytes.
fn with_signature(header: &Value, payload: &Value, sig: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64u(header.to_string()),
        b64u(payload.to_string()),
        b64u(sig)
    )
}

/// ES256 by the trusted P-256 key.
fn es256(k: &Kit, header: Value, payload: Value) -> String {
    sign_raw(
        &header.to_string(),
        &payload.to_string(),
        &k.ec,
        Algorithm::ES256,
    )
}

/// ES256 by the trusted P-256 key, with its kid and standard claims changed.
fn es256_claims(k: &Kit, changes: Value) -> String {
    es256(
        k,
        json!({"alg": "ES256", "typ": "JWT", "kid": k.ec_kid}),
        claims_with(changes),
    )
}

/// ES256 by the attacker's key, with this header (alg set here).
fn attacker_es256(k: &Kit, mut header: Value) -> String {
    header["alg"] = json!("ES256");
    sign_raw(
        &header.to_string(),
        &claims().to_string(),
        &k.attacker,
        Algorithm::ES256,
    )
}

fn alg_none(alg: &str, sig: &[u8]) -> String {
    with_signature(&json!({"alg": alg, "typ": "JWT"}), &claims(), sig)
}

/// The order n of P-256: r = s = n is r = s = 0 mod n.
const P256_N: &str = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// HS256 with `secret` as the HMAC key.
fn hs256(header: Value, secret: &[u8]) -> String {
    sign_raw(
        &header.to_string(),
        &claims().to_string(),
        &EncodingKey::from_secret(secret),
        Algorithm::HS256,
    )
}

fn rsa_public_pem() -> Vec<u8> {
    std::fs::read(keys_dir().join("rsa2048.pub.pem")).expect("rsa2048.pub.pem")
}

// ---------------------------------------------------------------------------
// The table

/// What `token verify` must answer.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exit 0, every check pass or skip: a control.
    Valid,
    /// Exit 1; `check` failed with `detail` in its detail, and the likely
    /// cause (`explanation`) contains `explains`.
    Invalid {
        check: &'static str,
        detail: &'static str,
        explains: &'static str,
    },
    /// Exit 2 with one line on stderr containing this.
    BadInput(&'static str),
}

use Expect::{BadInput, Invalid, Valid};

struct Case {
    name: &'static str,
    token: fn(&Kit) -> String,
    /// Key flags and expectations; `token verify FILE`, `--as-of` and `-f json` are added.
    args: fn(&Kit) -> Vec<String>,
    expect: Expect,
}

fn jwks() -> Vec<String> {
    vec!["--jwks".into(), key_path("jwks.json")]
}

fn key_ec() -> Vec<String> {
    vec!["--key".into(), key_path("ec256.pub.pem")]
}

fn key_rsa() -> Vec<String> {
    vec!["--key".into(), key_path("rsa2048.pub.pem")]
}

/// `--jwks jwks.json --audience AUD`.
fn jwks_aud() -> Vec<String> {
    let mut a = jwks();
    a.extend(["--audience".into(), AUD.into()]);
    a
}

fn cases() -> Vec<Case> {
    vec![
        // --- controls: the setup works, so every rejection below is earned.
        Case {
            name: "control: ES256 by the trusted key, --jwks, --issuer, --audience",
            token: |k| es256_claims(k, json!({})),
            args: |_| {
                let mut a = jwks_aud();
                a.extend(["--issuer".into(), ISS.into()]);
                a
            },
            expect: Valid,
        },
        Case {
            name: "control: RS256 by the trusted key, --key PEM",
            token: |k| {
                sign_raw(
                    &json!({"alg": "RS256", "typ": "JWT"}).to_string(),
                    &claims().to_string(),
                    &k.rsa,
                    Algorithm::RS256,
                )
            },
            args: |_| key_rsa(),
            expect: Valid,
        },
        Case {
            name: "control: PS256 with a PEM key that names no alg",
            token: |k| {
                sign_raw(
                    &json!({"alg": "PS256"}).to_string(),
                    &claims().to_string(),
                    &k.rsa,
                    Algorithm::PS256,
                )
            },
            args: |_| key_rsa(),
            expect: Valid,
        },
        Case {
            name: "control: aud as a plain string (RFC 7519 4.1.3)",
            token: |k| es256_claims(k, json!({"aud": AUD})),
            args: |_| jwks_aud(),
            expect: Valid,
        },
        Case {
            name: "control: aud as an array holding the expected audience",
            token: |k| es256_claims(k, json!({"aud": ["urn:other", AUD]})),
            args: |_| jwks_aud(),
            expect: Valid,
        },
        // --- alg none, every casing: unsigned, and with a made-up signature.
        Case {
            name: "alg none, empty signature",
            token: |_| alg_none("none", b""),
            args: |_| jwks(),
            expect: BadInput("signature: empty: the token is unsigned (alg \"none\")"),
        },
        Case {
            name: "alg None, empty signature",
            token: |_| alg_none("None", b""),
            args: |_| jwks(),
            expect: BadInput("the token is unsigned (alg \"None\")"),
        },
        Case {
            name: "alg NONE, empty signature",
            token: |_| alg_none("NONE", b""),
            args: |_| jwks(),
            expect: BadInput("the token is unsigned (alg \"NONE\")"),
        },
        Case {
            name: "alg nOnE, empty signature",
            token: |_| alg_none("nOnE", b""),
            args: |_| key_ec(),
            expect: BadInput("the token is unsigned (alg \"nOnE\")"),
        },
        Case {
            name: "alg none, fake signature",
            token: |_| alg_none("none", &[7u8; 64]),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "alg \"none\" means an unsigned token",
                explains: "unsigned token (alg none)",
            },
        },
        Case {
            name: "alg None, fake signature",
            token: |_| alg_none("None", &[7u8; 64]),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "alg \"None\" means an unsigned token",
                explains: "unsigned token (alg none)",
            },
        },
        Case {
            name: "alg NONE, fake signature",
            token: |_| alg_none("NONE", &[7u8; 64]),
            args: |_| key_ec(),
            expect: Invalid {
                check: "alg",
                detail: "alg \"NONE\" means an unsigned token",
                explains: "unsigned token (alg none)",
            },
        },
        Case {
            name: "alg nOnE, the signature of a genuine token",
            token: |k| {
                let genuine = es256_claims(k, json!({}));
                let sig = genuine.rsplit('.').next().expect("sig").to_owned();
                with_signature(
                    &json!({"alg": "nOnE", "kid": k.ec_kid}),
                    &claims(),
                    &b64u_decode(&sig),
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "alg \"nOnE\" means an unsigned token",
                explains: "unsigned token (alg none)",
            },
        },
        // --- HS/RS key confusion: the RSA public key as the HMAC secret.
        Case {
            name: "HS256 keyed with the RSA public key PEM, --key that PEM",
            token: |_| hs256(json!({"alg": "HS256", "typ": "JWT"}), &rsa_public_pem()),
            args: |_| key_rsa(),
            expect: Invalid {
                check: "alg",
                detail: "HS/RS key-confusion attack",
                explains: "HS/RS confusion attempt",
            },
        },
        Case {
            name: "HS256 keyed with the RSA public key PEM, kid of the RSA key in the JWKS",
            token: |k| hs256(json!({"alg": "HS256", "kid": k.rsa_kid}), &rsa_public_pem()),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "HS/RS key-confusion attack",
                explains: "HS/RS confusion attempt",
            },
        },
        Case {
            name: "HS256 without kid against a JWKS of public keys",
            token: |_| hs256(json!({"alg": "HS256"}), &rsa_public_pem()),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "an HS/RS key-confusion attempt is never accepted",
                explains: "HS/RS confusion attempt",
            },
        },
        // --- forged ECDSA signatures.
        Case {
            name: "ECDSA psychic signature r = s = 0 (CVE-2022-21449)",
            token: |k| {
                with_signature(
                    &json!({"alg": "ES256", "kid": k.ec_kid}),
                    &claims(),
                    &[0u8; 64],
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify with the EC P-256 key",
                explains: "bad signature",
            },
        },
        Case {
            name: "ECDSA psychic signature r = s = n (0 mod n)",
            token: |k| {
                let n = hex(P256_N);
                with_signature(
                    &json!({"alg": "ES256", "kid": k.ec_kid}),
                    &claims(),
                    &[n.clone(), n].concat(),
                )
            },
            args: |_| key_ec(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "bad signature",
            },
        },
        Case {
            name: "a genuine signature copied onto other claims",
            token: |k| {
                let genuine = es256_claims(k, json!({}));
                let sig = genuine.rsplit('.').next().expect("sig").to_owned();
                let header = genuine.split('.').next().expect("header").to_owned();
                let forged = claims_with(json!({"sub": "admin"}));
                format!("{header}.{}.{sig}", b64u(forged.to_string()))
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "the token was altered",
            },
        },
        Case {
            name: "an ES256 signature DER-encoded instead of r || s",
            token: |k| {
                let genuine = es256_claims(k, json!({}));
                let (input, sig) = genuine.rsplit_once('.').expect("parts");
                let raw = b64u_decode(sig);
                // SEQUENCE { INTEGER r, INTEGER s } with a leading 0 where the top bit is set.
                let int = |b: &[u8]| {
                    let mut v = if b[0] & 0x80 != 0 { vec![0] } else { vec![] };
                    v.extend_from_slice(b);
                    [vec![2, v.len() as u8], v].concat()
                };
                let body = [int(&raw[..32]), int(&raw[32..])].concat();
                let der = [vec![0x30, body.len() as u8], body].concat();
                format!("{input}.{}", b64u(der))
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "bad signature",
            },
        },
        // --- kid path traversal: a kid is a name, never a path.
        Case {
            name: "kid ../../etc/passwd",
            token: |k| {
                es256(
                    k,
                    json!({"alg": "ES256", "kid": "../../../../../../etc/passwd"}),
                    claims(),
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "no key with kid \"../../../../../../etc/passwd\"",
                explains: "key not found: no key with kid",
            },
        },
        Case {
            name: "kid /dev/null",
            token: |k| es256(k, json!({"alg": "ES256", "kid": "/dev/null"}), claims()),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "no key with kid \"/dev/null\"",
                explains: "key not found: no key with kid",
            },
        },
        Case {
            name: "kid naming the attacker's public key file, signed by the attacker",
            // Were the kid ever opened as a path, this token would verify.
            token: |k| attacker_es256(k, json!({"kid": k.scratch_path("attacker.pub.pem")})),
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "attacker.pub.pem\" in JWKS",
                explains: "key not found: no key with kid",
            },
        },
        // --- the token names its own key: never fetched, never trusted.
        Case {
            name: "jku pointing at an attacker URL, signed by the attacker",
            token: |k| attacker_es256(k, json!({"jku": k.trap_url})),
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "points at its own key",
            },
        },
        Case {
            name: "x5u pointing at an attacker URL, signed by the attacker",
            token: |k| attacker_es256(k, json!({"x5u": k.trap_url})),
            args: |_| key_ec(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "points at its own key",
            },
        },
        Case {
            name: "jku with the kid of a trusted key, signed by the attacker",
            token: |k| attacker_es256(k, json!({"jku": k.trap_url, "kid": k.ec_kid})),
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "points at its own key",
            },
        },
        Case {
            name: "embedded jwk: the attacker's public key",
            token: |k| attacker_es256(k, json!({"jwk": k.attacker_jwk})),
            args: |_| jwks(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "points at its own key",
            },
        },
        Case {
            name: "x5c: the attacker's self-signed certificate",
            token: |k| attacker_es256(k, json!({"x5c": [k.attacker_x5c]})),
            args: |_| key_ec(),
            expect: Invalid {
                check: "signature",
                detail: "does not verify",
                explains: "points at its own key",
            },
        },
        // --- crit: an extension agentid does not implement must be refused.
        Case {
            name: "crit [\"exp\"]",
            token: |k| {
                es256(
                    k,
                    json!({"alg": "ES256", "kid": k.ec_kid, "crit": ["exp"], "exp": NOW + 600}),
                    claims(),
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "header",
                detail: "crit names exp",
                explains: "extension (crit)",
            },
        },
        Case {
            name: "crit [\"b64\"] with b64 false (RFC 7797)",
            token: |k| {
                es256(
                    k,
                    json!({"alg": "ES256", "kid": k.ec_kid, "crit": ["b64"], "b64": false}),
                    claims(),
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "header",
                detail: "crit names b64",
                explains: "extension (crit)",
            },
        },
        // --- time.
        Case {
            name: "expired an hour ago",
            token: |k| es256_claims(k, json!({"iat": NOW - 7200, "exp": NOW - 3600})),
            args: |_| jwks(),
            expect: Invalid {
                check: "exp",
                detail: "beyond the 1m clock skew allowed",
                explains: "expired 1h ago",
            },
        },
        Case {
            name: "expired 90 s ago: beyond the skew, but likely a clock problem",
            token: |k| es256_claims(k, json!({"iat": NOW - 690, "exp": NOW - 90})),
            args: |_| jwks(),
            expect: Invalid {
                check: "exp",
                detail: "beyond the 1m clock skew allowed",
                explains: "clock skew? the token expired only 1m ago",
            },
        },
        Case {
            name: "control: expired 90 s ago, accepted with --clock-skew 2m",
            token: |k| es256_claims(k, json!({"iat": NOW - 690, "exp": NOW - 90})),
            args: |_| {
                let mut a = jwks();
                a.extend(["--clock-skew".into(), "2m".into()]);
                a
            },
            expect: Valid,
        },
        Case {
            name: "control: nbf and iat 30 s ahead, within the default 60 s skew",
            token: |k| es256_claims(k, json!({"nbf": NOW + 30, "iat": NOW + 30})),
            args: |_| jwks(),
            expect: Valid,
        },
        Case {
            name: "nbf an hour in the future",
            token: |k| es256_claims(k, json!({"nbf": NOW + 3600, "exp": NOW + 7200})),
            args: |_| jwks(),
            expect: Invalid {
                check: "nbf",
                detail: "beyond the 1m clock skew allowed",
                explains: "dated in the future",
            },
        },
        Case {
            name: "iat an hour in the future",
            token: |k| es256_claims(k, json!({"iat": NOW + 3600, "exp": NOW + 7200})),
            args: |_| jwks(),
            expect: Invalid {
                check: "iat",
                detail: "beyond the 1m clock skew allowed",
                explains: "dated in the future",
            },
        },
        Case {
            name: "missing exp",
            token: |k| es256_claims(k, json!({"exp": null})),
            args: |_| jwks(),
            expect: Invalid {
                check: "exp",
                detail: "missing",
                explains: "exp: missing",
            },
        },
        Case {
            name: "exp as a string",
            token: |k| es256_claims(k, json!({"exp": "tomorrow"})),
            args: |_| jwks(),
            expect: Invalid {
                check: "exp",
                detail: "exp",
                explains: "exp",
            },
        },
        // --- issuer and audience.
        Case {
            name: "wrong iss with --issuer",
            token: |k| es256_claims(k, json!({"iss": "https://evil.example"})),
            args: |_| {
                let mut a = key_ec();
                a.extend(["--issuer".into(), ISS.into()]);
                a
            },
            expect: Invalid {
                check: "iss",
                detail: "expected https://issuer.example, got https://evil.example",
                explains: "iss: expected https://issuer.example, got https://evil.example",
            },
        },
        Case {
            name: "iss with a trailing slash is not the issuer",
            token: |k| es256_claims(k, json!({"iss": "https://issuer.example/"})),
            args: |_| {
                let mut a = key_ec();
                a.extend(["--issuer".into(), ISS.into()]);
                a
            },
            expect: Invalid {
                check: "iss",
                detail: "got https://issuer.example/",
                explains: "iss: expected",
            },
        },
        Case {
            name: "iss missing with --issuer",
            token: |k| es256_claims(k, json!({"iss": null})),
            args: |_| {
                let mut a = key_ec();
                a.extend(["--issuer".into(), ISS.into()]);
                a
            },
            expect: Invalid {
                check: "iss",
                detail: "missing; expected https://issuer.example",
                explains: "iss: missing",
            },
        },
        Case {
            name: "aud confusion: a string holding a JSON array",
            token: |k| es256_claims(k, json!({"aud": format!("[\"{AUD}\"]")})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "expected urn:agentid:test-api, got [\"urn:agentid:test-api\"]",
                explains: "wrong audience: expected urn:agentid:test-api, got [",
            },
        },
        Case {
            name: "aud confusion: space-separated audiences in one string",
            token: |k| es256_claims(k, json!({"aud": format!("urn:other {AUD}")})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "got urn:other urn:agentid:test-api",
                explains: "wrong audience",
            },
        },
        Case {
            name: "aud confusion: the expected audience as a prefix",
            token: |k| es256_claims(k, json!({"aud": format!("{AUD}.evil.example")})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "got urn:agentid:test-api.evil.example",
                explains: "wrong audience",
            },
        },
        Case {
            name: "aud confusion: an array nested in the array",
            token: |k| es256_claims(k, json!({"aud": [[AUD]]})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "expected a string or an array of strings",
                explains: "audience",
            },
        },
        Case {
            name: "aud missing",
            token: |k| es256_claims(k, json!({"aud": null})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "expected urn:agentid:test-api, got none",
                explains: "wrong audience: expected urn:agentid:test-api, got none",
            },
        },
        Case {
            name: "aud as a number",
            token: |k| es256_claims(k, json!({"aud": 5})),
            args: |_| jwks_aud(),
            expect: Invalid {
                check: "aud",
                detail: "got a JSON number",
                explains: "audience",
            },
        },
        Case {
            name: "aud as a number, no --audience asked",
            token: |k| es256_claims(k, json!({"aud": 5})),
            args: |_| jwks(),
            expect: Invalid {
                check: "aud",
                detail: "got a JSON number",
                explains: "aud",
            },
        },
        // --- strict parsing: two readers must never disagree about a token.
        Case {
            name: "duplicate claim {\"sub\":\"a\",\"sub\":\"b\"}",
            token: |k| {
                sign_raw(
                    &json!({"alg": "ES256", "kid": k.ec_kid}).to_string(),
                    &format!(
                        r#"{{"iss":"{ISS}","sub":"a","sub":"b","aud":"{AUD}","iat":{},"exp":{}}}"#,
                        NOW - 60,
                        NOW + 600
                    ),
                    &k.ec,
                    Algorithm::ES256,
                )
            },
            args: |_| jwks(),
            expect: BadInput("payload: duplicate key \"sub\""),
        },
        Case {
            name: "duplicate claim inside a nested act",
            token: |k| {
                sign_raw(
                    &json!({"alg": "ES256", "kid": k.ec_kid}).to_string(),
                    &format!(
                        r#"{{"iss":"{ISS}","sub":"u","act":{{"sub":"x","sub":"y"}},"exp":{}}}"#,
                        NOW + 600
                    ),
                    &k.ec,
                    Algorithm::ES256,
                )
            },
            args: |_| jwks(),
            expect: BadInput("payload: duplicate key \"sub\" at act.sub"),
        },
        Case {
            name: "duplicate alg in the header (ES256, then none)",
            token: |k| {
                sign_raw(
                    r#"{"alg":"ES256","alg":"none"}"#,
                    &claims().to_string(),
                    &k.ec,
                    Algorithm::ES256,
                )
            },
            args: |_| key_ec(),
            expect: BadInput("header: duplicate key \"alg\""),
        },
        Case {
            name: "trailing data after the JSON payload",
            token: |k| {
                sign_raw(
                    &json!({"alg": "ES256", "kid": k.ec_kid}).to_string(),
                    &format!("{}{{\"sub\":\"admin\"}}", claims()),
                    &k.ec,
                    Algorithm::ES256,
                )
            },
            args: |_| jwks(),
            expect: BadInput("payload: not JSON: trailing characters"),
        },
        Case {
            name: "non-canonical base64url: unused bits set in the last character",
            token: |k| {
                let t = es256_claims(k, json!({}));
                // 64 signature bytes = 86 characters; the last carries 2 bits, 4 unused.
                let last = t.as_bytes()[t.len() - 1];
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let v = ALPHABET
                    .iter()
                    .position(|c| *c == last)
                    .expect("b64url char");
                assert_eq!(v & 0xf, 0, "canonical to start with");
                format!("{}{}", &t[..t.len() - 1], ALPHABET[v | 1] as char)
            },
            args: |_| jwks(),
            expect: BadInput("signature: bad base64url: non-canonical"),
        },
        Case {
            name: "'=' padding on the signature",
            token: |k| format!("{}==", es256_claims(k, json!({}))),
            args: |_| jwks(),
            expect: BadInput("signature: bad base64url: '=' padding"),
        },
        Case {
            name: "standard base64 alphabet in the signature",
            token: |k| {
                let t = es256_claims(k, json!({}));
                let (input, sig) = t.rsplit_once('.').expect("parts");
                let std_sig = STANDARD.encode(b64u_decode(sig));
                let std_sig = std_sig.trim_end_matches('=');
                if std_sig.contains(['+', '/']) {
                    format!("{input}.{std_sig}")
                } else {
                    // No '+' or '/' in this signature: force one where a '-' or '_' would be.
                    format!("{input}.+{}", &std_sig[1..])
                }
            },
            args: |_| jwks(),
            expect: BadInput("is standard base64, not base64url"),
        },
        Case {
            name: "oversized token (> 64 KiB)",
            token: |k| es256_claims(k, json!({"pad": "A".repeat(70 * 1024)})),
            args: |_| jwks(),
            expect: BadInput("over 64 KiB"),
        },
        Case {
            name: "a JWE (5 parts)",
            token: |_| {
                format!(
                    "{}.{}.{}.{}.{}",
                    b64u(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#),
                    b64u([1u8; 256]),
                    b64u([2u8; 12]),
                    b64u([3u8; 40]),
                    b64u([4u8; 16])
                )
            },
            args: |_| jwks(),
            expect: BadInput("a JWE (5 parts)"),
        },
        // --- the alg must fit the key, and the key must be fit to verify.
        Case {
            name: "ES256 token against an RSA key",
            token: |k| es256(k, json!({"alg": "ES256"}), claims()),
            args: |_| key_rsa(),
            expect: Invalid {
                check: "alg",
                detail: "ES256 needs",
                explains: "this key is RSA",
            },
        },
        Case {
            name: "PS256 with the kid of a JWK published for RS256 only",
            token: |k| {
                sign_raw(
                    &json!({"alg": "PS256", "kid": k.rsa_kid}).to_string(),
                    &claims().to_string(),
                    &k.rsa,
                    Algorithm::PS256,
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "published for RS256 only",
                explains: "the token says PS256",
            },
        },
        Case {
            name: "alg es256 (wrong case)",
            token: |k| {
                sign_raw(
                    &json!({"alg": "es256", "kid": k.ec_kid}).to_string(),
                    &claims().to_string(),
                    &k.ec,
                    Algorithm::ES256,
                )
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "alg \"es256\" is not an algorithm agentid verifies",
                explains: "es256",
            },
        },
        Case {
            name: "RS256 by a 1024-bit key that the JWKS publishes (skipped)",
            token: |_| {
                std::fs::read_to_string(verify_dir().join("rs256-rsa1024.jwt"))
                    .expect("rs256-rsa1024.jwt")
            },
            args: |_| jwks(),
            expect: Invalid {
                check: "alg",
                detail: "RSA key of 1024 bits is refused",
                explains: "rsa1024-weak",
            },
        },
        Case {
            name: "--key with a 1024-bit RSA public key",
            token: |_| {
                std::fs::read_to_string(verify_dir().join("rs256-rsa1024.jwt"))
                    .expect("rs256-rsa1024.jwt")
            },
            args: |_| vec!["--key".into(), key_path("rsa1024.pub.pem")],
            expect: BadInput("1024 bits is refused"),
        },
        Case {
            name: "a JWKS that publishes a private key",
            token: |k| es256_claims(k, json!({})),
            args: |_| vec!["--jwks".into(), key_path("jwks-private.json")],
            expect: BadInput("private"),
        },
        Case {
            name: "--key with a private key PEM",
            token: |k| es256_claims(k, json!({})),
            args: |_| vec!["--key".into(), key_path("ec256.pem")],
            expect: BadInput("private key"),
        },
        Case {
            name: "a JWK with use enc",
            token: |k| es256(k, json!({"alg": "ES256", "kid": "ec256-jwk"}), claims()),
            args: |k| vec!["--key".into(), k.scratch_path("use-enc.jwk.json")],
            expect: Invalid {
                check: "alg",
                detail: "\"use\" is \"enc\"",
                explains: "not for signatures",
            },
        },
        Case {
            name: "a JWK with key_ops [encrypt]",
            token: |k| es256(k, json!({"alg": "ES256", "kid": "ec256-jwk"}), claims()),
            args: |k| vec!["--key".into(), k.scratch_path("key-ops-encrypt.jwk.json")],
            expect: Invalid {
                check: "alg",
                detail: "\"key_ops\" [\"encrypt\"] do not include \"verify\"",
                explains: "key_ops",
            },
        },
    ]
}

// ---------------------------------------------------------------------------
// Running the table

fn verify_cmd(kit: &Kit, file: &Path, args: &[String]) -> assert_cmd::Command {
    let mut cmd = kit.scratch.cmd();
    cmd.env("XDG_CACHE_HOME", kit.scratch.path().join("cache"))
        .args(["token", "verify"])
        .arg(file)
        .args(args)
        .args(["--as-of", AS_OF, "-f", "json"]);
    cmd
}

/// Runs one case; Err says what differs.
fn run_case(kit: &Kit, i: usize, case: &Case) -> Result<(), String> {
    let token = (case.token)(kit);
    let file = kit.scratch.write(&format!("case-{i:02}.jwt"), &token);
    let args = (case.args)(kit);
    let (code, out, err) = run(verify_cmd(kit, &file, &args));
    let ctx = || format!("exit {code}\n--- stdout\n{out}--- stderr\n{err}");
    let report = || -> Result<Value, String> {
        serde_json::from_str(&out).map_err(|e| format!("stdout is not JSON ({e})\n{}", ctx()))
    };
    match case.expect {
        Valid => {
            if code != 0 {
                return Err(format!("expected exit 0\n{}", ctx()));
            }
            let r = report()?;
            let bad: Vec<&Value> = r["checks"]
                .as_array()
                .ok_or("no checks")?
                .iter()
                .filter(|c| c["outcome"] != "pass" && c["outcome"] != "skip")
                .collect();
            if r["valid"] != true || !bad.is_empty() {
                return Err(format!("not valid: {bad:?}\n{}", ctx()));
            }
        }
        Invalid {
            check,
            detail,
            explains,
        } => {
            if code != 1 {
                return Err(format!("expected exit 1\n{}", ctx()));
            }
            let r = report()?;
            if r["valid"] != false {
                return Err(format!("valid is not false\n{}", ctx()));
            }
            let failed = r["checks"]
                .as_array()
                .ok_or("no checks")?
                .iter()
                .find(|c| c["name"] == check && c["outcome"] == "fail")
                .ok_or_else(|| format!("check {check:?} did not fail\n{}", ctx()))?;
            let got = failed["detail"].as_str().unwrap_or_default();
            if !got.contains(detail) {
                return Err(format!(
                    "check {check} detail {got:?} lacks {detail:?}\n{}",
                    ctx()
                ));
            }
            let why = r["explanation"].as_str().unwrap_or_default();
            if !why.contains(explains) || why.contains('\n') {
                return Err(format!(
                    "explanation {why:?} lacks {explains:?} (or is not one line)\n{}",
                    ctx()
                ));
            }
        }
        BadInput(text) => {
            if code != 2 {
                return Err(format!("expected exit 2\n{}", ctx()));
            }
            if !out.is_empty() {
                return Err(format!("bad input wrote a report\n{}", ctx()));
            }
            let lines: Vec<&str> = err.lines().collect();
            if lines.len() != 1 || !lines[0].starts_with("error: ") || !lines[0].contains(text) {
                return Err(format!("expected one error line with {text:?}\n{}", ctx()));
            }
            // A message names the part at fault; it never echoes the token.
            if token.len() > 40 && err.contains(&token[token.len() - 30..]) {
                return Err(format!("the error echoes the token\n{}", ctx()));
            }
        }
    }
    Ok(())
}

#[test]
fn every_crafted_token_is_rejected_for_the_right_reason() {
    let kit = Kit::new();
    let cases = cases();
    let attacks = cases.iter().filter(|c| !matches!(c.expect, Valid)).count();
    assert!(
        attacks >= 20,
        "the suite needs at least 20 attacks: {attacks}"
    );

    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .filter_map(|(i, case)| {
            run_case(&kit, i, case)
                .err()
                .map(|e| format!("[{i:02}] {}: {e}", case.name))
        })
        .collect();

    // jku and x5u were never followed: the listener they name saw no connection.
    match kit.trap.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok((_, peer)) => panic!("agentid connected to the jku/x5u URL (from {peer})"),
        Err(e) => panic!("accept on the jku trap: {e}"),
    }
    // Keys came from files only: nothing was fetched, so nothing was cached.
    assert!(
        !kit.scratch.path().join("cache").exists(),
        "file keys must not create a JWKS cache"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The kid is a name to look up in the trusted set, never a path. Besides the
/// table's proof (a kid naming a real key file still fails as unknown), when
/// strace is installed this watches every file syscall of the run.
#[test]
fn a_kid_path_is_never_opened() {
    let kit = Kit::new();
    let kids = [
        "../../../../../../etc/passwd".to_string(),
        "/dev/null".to_string(),
        kit.scratch_path("attacker.pub.pem"),
    ];
    let strace_ok = std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !strace_ok {
        eprintln!("strace not installed: syscall check skipped; the table's kid cases still apply");
    }
    for (i, kid) in kids.iter().enumerate() {
        let token = attacker_es256(&kit, json!({"kid": kid}));
        let file = kit.scratch.write(&format!("kid-{i}.jwt"), &token);
        let args = [
            "token".to_string(),
            "verify".into(),
            file.display().to_string(),
            "--jwks".into(),
            key_path("jwks.json"),
            "--as-of".into(),
            AS_OF.into(),
            "-f".into(),
            "json".into(),
        ];
        let (code, out, err) = run(verify_cmd(&kit, &file, &args[3..5]));
        assert_eq!(code, 1, "{kid}: {out}{err}");
        if strace_ok {
            let trace = kit.scratch.path().join(format!("kid-{i}.strace"));
            let status = std::process::Command::new("strace")
                .args(["-f", "-qq", "-e", "trace=%file", "-o"])
                .arg(&trace)
                .arg(assert_cmd::cargo::cargo_bin("agentid"))
                .args(&args)
                .current_dir(kit.scratch.path())
                .env_clear()
                .env("HOME", kit.scratch.path().join("home"))
                .env("XDG_CACHE_HOME", kit.scratch.path().join("cache"))
                .output()
                .expect("strace agentid");
            assert_eq!(status.status.code(), Some(1), "{status:?}");
            let text = std::fs::read_to_string(&trace).expect("trace");
            // The trace works: it saw the token and the JWKS being opened.
            assert!(
                text.contains("jwks.json") && text.contains(&format!("kid-{i}.jwt")),
                "strace recorded no file syscalls:\n{text}"
            );
            let needle = kid.trim_start_matches("../");
            let touched: Vec<&str> = text.lines().filter(|l| l.contains(needle)).collect();
            assert!(
                touched.is_empty(),
                "kid {kid:?} reached a file syscall:\n{}",
                touched.join("\n")
            );
        }
    }
}

/// Verifies one token offline against the fixtures; the JSON report.
fn verify_json(kit: &Kit, name: &str, token: &str, args: &[String]) -> (i32, Value) {
    let file = kit.scratch.write(name, token);
    let (code, out, err) = run(verify_cmd(kit, &file, args));
    let report = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): exit {code}\n{out}\n{err}"));
    (code, report)
}

/// A kid missing from a JWKS *file* is a key that is not there, not a stale
/// download: nothing was fetched, so the explanation must not claim a fresh
/// fetch (a regression test: `KeyBook::prepare` once marked file keys as
/// refetched).
#[test]
fn an_unknown_kid_in_a_key_file_is_not_blamed_on_a_fresh_fetch() {
    let kit = Kit::new();
    let token = es256(
        &kit,
        json!({"alg": "ES256", "kid": "not-published"}),
        claims(),
    );
    let (code, r) = verify_json(&kit, "unknown-kid.jwt", &token, &jwks());
    assert_eq!(code, 1, "{r:#}");
    let alg = r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == "alg")
        .expect("alg check");
    assert_eq!(alg["outcome"], "fail", "{r:#}");
    let detail = alg["detail"].as_str().expect("detail");
    assert!(
        !detail.contains("fetched again"),
        "nothing was fetched: {detail}"
    );
    let why = r["explanation"].as_str().expect("explanation");
    assert!(
        why.starts_with("key not found: no key with kid \"not-published\""),
        "{why}"
    );
    assert!(
        !why.contains("stale JWKS") && !why.contains("fresh fetch"),
        "{why}"
    );
}

/// An `aud` that is present but not a string or an array of strings is a
/// malformed claim, and says so; without --audience there is no expected
/// audience to print. (verify.rs `explain` reads the audiences with
/// `unwrap_or_default()`, so it prints "got none", and "expected , got none"
/// when no audience was asked for.)
#[test]
fn a_malformed_aud_is_explained_as_malformed() {
    let kit = Kit::new();
    for (i, (aud, args)) in [
        (json!(5), jwks()),
        (json!(5), jwks_aud()),
        (json!([[AUD]]), jwks_aud()),
    ]
    .into_iter()
    .enumerate()
    {
        let token = es256_claims(&kit, json!({ "aud": aud }));
        let (code, r) = verify_json(&kit, &format!("aud-{i}.jwt"), &token, &args);
        assert_eq!(code, 1, "{r:#}");
        let why = r["explanation"].as_str().expect("explanation");
        assert!(
            !why.contains("got none") && !why.contains("expected ,"),
            "aud {aud} is present, just malformed: {why}"
        );
        assert!(
            why.contains("expected a string or an array of strings"),
            "{why}"
        );
    }
}
