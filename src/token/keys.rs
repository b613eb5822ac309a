//! Verification keys: PEM (public key, RSA public key, certificate), a single
//! JWK or a JWKS, all read into one [`KeySet`]; whether a token's `alg` may be
//! used with a key ([`alg_allowed`]); and the signature check itself
//! ([`verify_signature`]).
//!
//! The cryptography is `jsonwebtoken`'s low-level layer (its `CryptoProvider`
//! verifiers over `DecodingKey`), with the aws-lc-rs backend chosen
//! explicitly, not `jsonwebtoken::decode` and its `Validation`: the verifier
//! reports every check on its own, so this module only answers one question
//! at a time. Key files are parsed here (RustCrypto's `der`/`spki`/`pkcs1`
//! and the `pem` crate) rather than by `jsonwebtoken`'s PEM helpers, because
//! the checks need what those hide: the curve, the RSA modulus size and the
//! public numbers for the RFC 7638 thumbprint.
//!
//! Every error names where the key came from (the file, and the JWKS entry)
//! and what is wrong with it, on one line. Core code: never prints.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use aws_lc_rs::signature::{self as lc, ParsedPublicKey, VerificationAlgorithm};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use der::asn1::{AnyRef, ObjectIdentifier, UintRef};
use der::{Decode as _, Reader as _, Tag, TagNumber};
use jsonwebtoken::DecodingKey;
use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::jwk::ThumbprintHash;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use spki::SubjectPublicKeyInfoRef;

/// The JWS algorithms, re-exported so callers need not name `jsonwebtoken`.
pub use jsonwebtoken::Algorithm;

/// RSA keys shorter than this are refused: for verification and for signing.
pub const MIN_RSA_BITS: usize = 2048;
/// aws-lc verifies RSA signatures from keys of at most this size.
pub const MAX_RSA_BITS: usize = 8192;

/// The algorithms a signature can be checked with, for messages.
pub const SUPPORTED_ALGS: &str = "ES256, ES384, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA \
     (HS256/HS384/HS512 only with an explicitly allowed secret)";

pub(crate) const OID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const OID_RSASSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(crate) const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
pub(crate) const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
pub(crate) const OID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(crate) const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// The one crypto backend, named here rather than left to `jsonwebtoken`'s
/// process-wide default, which panics if some other crate in the build ever
/// turns on its second backend feature too.
pub(crate) fn provider() -> &'static CryptoProvider {
    &jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER
}

/// base64url without padding, as JOSE writes it.
pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a JOSE base64url member. Padding is tolerated (some issuers add
/// it); other characters, and non-canonical trailing bits, are not.
pub(crate) fn b64url_decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('='))
}

/// Drops leading zero octets: the JWK form of `n` and `e` (RFC 7518 6.3.1).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

// ---------------------------------------------------------------------------
// Key families

/// The elliptic curves agentid signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcCurve {
    P256,
    P384,
}

impl EcCurve {
    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
        }
    }

    /// Bytes in one coordinate (and in the private scalar).
    pub fn coordinate_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
        }
    }

    /// The one JWS algorithm for this curve.
    pub fn algorithm(self) -> Algorithm {
        match self {
            EcCurve::P256 => Algorithm::ES256,
            EcCurve::P384 => Algorithm::ES384,
        }
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            EcCurve::P256 => OID_P256,
            EcCurve::P384 => OID_P384,
        }
    }

    fn from_crv(crv: &str) -> Option<EcCurve> {
        match crv {
            "P-256" => Some(EcCurve::P256),
            "P-384" => Some(EcCurve::P384),
            _ => None,
        }
    }

    /// The curve named by an OID, or why it is refused.
    pub(crate) fn from_oid(oid: ObjectIdentifier) -> Result<EcCurve, String> {
        match oid {
            OID_P256 => Ok(EcCurve::P256),
            OID_P384 => Ok(EcCurve::P384),
            OID_P521 => Err("EC curve P-521 (ES512) is not supported; P-256 and P-384 are".into()),
            OID_SECP256K1 => {
                Err("EC curve secp256k1 (ES256K) is not supported; P-256 and P-384 are".into())
            }
            other => Err(format!(
                "EC curve {other} is not supported; P-256 and P-384 are"
            )),
        }
    }
}

/// The Edwards curves (JWK `kty` OKP) agentid signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OkpCurve {
    Ed25519,
}

/// What kind of key this is, as far as choosing an algorithm goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    Ec(EcCurve),
    Rsa {
        bits: usize,
    },
    Okp(OkpCurve),
    /// A symmetric secret, for HMAC only.
    Oct,
}

impl KeyFamily {
    /// The JWK `kty`.
    pub fn kty(self) -> &'static str {
        match self {
            KeyFamily::Ec(_) => "EC",
            KeyFamily::Rsa { .. } => "RSA",
            KeyFamily::Okp(_) => "OKP",
            KeyFamily::Oct => "oct",
        }
    }

    /// Whether `alg` is made for this kind of key (and this curve).
    pub fn fits(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        matches!(
            (self, alg),
            (KeyFamily::Oct, HS256 | HS384 | HS512)
                | (
                    KeyFamily::Rsa { .. },
                    RS256 | RS384 | RS512 | PS256 | PS384 | PS512
                )
                | (KeyFamily::Ec(EcCurve::P256), ES256)
                | (KeyFamily::Ec(EcCurve::P384), ES384)
                | (KeyFamily::Okp(OkpCurve::Ed25519), EdDSA)
        )
    }

    /// The algorithm to sign with when none is asked for.
    pub fn default_algorithm(self) -> Algorithm {
        match self {
            KeyFamily::Ec(curve) => curve.algorithm(),
            KeyFamily::Rsa { .. } => Algorithm::RS256,
            KeyFamily::Okp(OkpCurve::Ed25519) => Algorithm::EdDSA,
            KeyFamily::Oct => Algorithm::HS256,
        }
    }
}

impl fmt::Display for KeyFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyFamily::Ec(curve) => write!(f, "EC {}", curve.name()),
            KeyFamily::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            KeyFamily::Okp(OkpCurve::Ed25519) => f.write_str("OKP Ed25519"),
            KeyFamily::Oct => f.write_str("oct (symmetric secret)"),
        }
    }
}

impl Serialize for KeyFamily {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What key of which size an algorithm needs, for refusals.
pub(crate) fn key_needed(alg: Algorithm) -> &'static str {
    use Algorithm::*;
    match alg {
        HS256 | HS384 | HS512 => "a symmetric (oct) secret",
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => "an RSA key",
        ES256 => "an EC P-256 key",
        ES384 => "an EC P-384 key",
        EdDSA => "an OKP Ed25519 key",
    }
}

fn is_hmac(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
}

/// The name a JWS header uses for `alg`.
pub fn alg_name(alg: Algorithm) -> &'static str {
    use Algorithm::*;
    match alg {
        HS256 => "HS256",
        HS384 => "HS384",
        HS512 => "HS512",
        ES256 => "ES256",
        ES384 => "ES384",
        RS256 => "RS256",
        RS384 => "RS384",
        RS512 => "RS512",
        PS256 => "PS256",
        PS384 => "PS384",
        PS512 => "PS512",
        EdDSA => "EdDSA",
    }
}

fn rsa_bits(n: &[u8]) -> usize {
    let n = strip_leading_zeros(n);
    match n.first() {
        None => 0,
        Some(first) => n.len() * 8 - first.leading_zeros() as usize,
    }
}

// ---------------------------------------------------------------------------
// Public key material

/// The public numbers of a key (for `Oct`, the secret), in JWK form: EC
/// coordinates at full curve length, RSA `n` and `e` without leading zeros.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKeyMaterial {
    Ec {
        curve: EcCurve,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ed25519 {
        x: Vec<u8>,
    },
    Oct {
        k: Vec<u8>,
    },
}

impl fmt::Debug for PublicKeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the bytes: for Oct they are a secret.
        f.debug_struct("PublicKeyMaterial")
            .field("family", &self.family())
            .finish_non_exhaustive()
    }
}

impl PublicKeyMaterial {
    /// An EC public point; checks the coordinate lengths.
    pub fn ec(curve: EcCurve, x: Vec<u8>, y: Vec<u8>) -> Result<Self, String> {
        let len = curve.coordinate_len();
        for (name, value) in [("x", &x), ("y", &y)] {
            if value.len() != len {
                return Err(format!(
                    "EC {} \"{name}\" must be {len} bytes, got {}",
                    curve.name(),
                    value.len()
                ));
            }
        }
        Ok(PublicKeyMaterial::Ec { curve, x, y })
    }

    /// An uncompressed SEC1 point (`04 || x || y`) on `curve`.
    pub fn ec_point(curve: EcCurve, point: &[u8]) -> Result<Self, String> {
        let len = curve.coordinate_len();
        match point.first() {
            Some(0x04) if point.len() == 1 + 2 * len => {
                Self::ec(curve, point[1..1 + len].to_vec(), point[1 + len..].to_vec())
            }
            Some(0x02 | 0x03) => Err(format!(
                "the EC {} public key is a compressed point, which is not supported",
                curve.name()
            )),
            _ => Err(format!(
                "the EC {} public key is not a {}-byte uncompressed point",
                curve.name(),
                1 + 2 * len
            )),
        }
    }

    /// RSA public numbers; leading zeros are dropped. Refuses keys under
    /// [`MIN_RSA_BITS`] and over [`MAX_RSA_BITS`], and even or trivial
    /// exponents.
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Self, KeyErrorKind> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = rsa_bits(n);
        if bits < MIN_RSA_BITS {
            return Err(KeyErrorKind::WeakRsa { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(KeyErrorKind::Unsupported(format!(
                "RSA key of {bits} bits: at most {MAX_RSA_BITS} are supported"
            )));
        }
        if e.len() > 8 || e.last().is_none_or(|b| b & 1 == 0) || e == [1] {
            return Err(KeyErrorKind::Malformed(
                "the RSA public exponent is not a usable odd number".into(),
            ));
        }
        Ok(PublicKeyMaterial::Rsa {
            n: n.to_vec(),
            e: e.to_vec(),
        })
    }

    /// An Ed25519 public key (32 bytes).
    pub fn ed25519(x: Vec<u8>) -> Result<Self, String> {
        if x.len() != 32 {
            return Err(format!(
                "an Ed25519 public key is 32 bytes, got {}",
                x.len()
            ));
        }
        Ok(PublicKeyMaterial::Ed25519 { x })
    }

    pub fn family(&self) -> KeyFamily {
        match self {
            PublicKeyMaterial::Ec { curve, .. } => KeyFamily::Ec(*curve),
            PublicKeyMaterial::Rsa { n, .. } => KeyFamily::Rsa { bits: rsa_bits(n) },
            PublicKeyMaterial::Ed25519 { .. } => KeyFamily::Okp(OkpCurve::Ed25519),
            PublicKeyMaterial::Oct { .. } => KeyFamily::Oct,
        }
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 over the required members in
    /// lexicographic order without whitespace, base64url.
    pub fn thumbprint(&self) -> String {
        let canonical = match self {
            PublicKeyMaterial::Ec { curve, x, y } => format!(
                r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                curve.name(),
                b64url(x),
                b64url(y)
            ),
            PublicKeyMaterial::Rsa { n, e } => {
                format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, b64url(e), b64url(n))
            }
            PublicKeyMaterial::Ed25519 { x } => {
                format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, b64url(x))
            }
            PublicKeyMaterial::Oct { k } => format!(r#"{{"k":"{}","kty":"oct"}}"#, b64url(k)),
        };
        let digest =
            (provider().jwk_utils.compute_digest)(canonical.as_bytes(), ThumbprintHash::SHA256);
        b64url(&digest)
    }

    /// The JWK members that carry the key (`kty`, `crv`, `x`, `y`, `n`, `e`,
    /// `k`), without `kid`, `alg` or `use`.
    pub fn jwk_members(&self) -> Map<String, Value> {
        let mut jwk = Map::new();
        jwk.insert("kty".into(), self.family().kty().into());
        match self {
            PublicKeyMaterial::Ec { curve, x, y } => {
                jwk.insert("crv".into(), curve.name().into());
                jwk.insert("x".into(), b64url(x).into());
                jwk.insert("y".into(), b64url(y).into());
            }
            PublicKeyMaterial::Rsa { n, e } => {
                jwk.insert("n".into(), b64url(n).into());
                jwk.insert("e".into(), b64url(e).into());
            }
            PublicKeyMaterial::Ed25519 { x } => {
                jwk.insert("crv".into(), "Ed25519".into());
                jwk.insert("x".into(), b64url(x).into());
            }
            PublicKeyMaterial::Oct { k } => {
                jwk.insert("k".into(), b64url(k).into());
            }
        }
        jwk
    }

    /// The `jsonwebtoken` key the verifiers take.
    /// The public key as aws-lc parses it: the uncompressed point for EC,
    /// PKCS#1 `RSAPublicKey` DER for RSA, the raw key for Ed25519; none for
    /// a symmetric key.
    fn public_key_bytes(&self) -> Option<Vec<u8>> {
        match self {
            PublicKeyMaterial::Ec { x, y, .. } => {
                let mut point = Vec::with_capacity(1 + x.len() + y.len());
                point.push(0x04);
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                Some(point)
            }
            PublicKeyMaterial::Rsa { n, e } => {
                let mut body = der_unsigned(n);
                body.extend(der_unsigned(e));
                Some(der_tlv(0x30, &body))
            }
            PublicKeyMaterial::Ed25519 { x } => Some(x.clone()),
            PublicKeyMaterial::Oct { .. } => None,
        }
    }

    pub fn decoding_key(&self) -> DecodingKey {
        match self {
            PublicKeyMaterial::Ec { x, y, .. } => {
                let mut point = Vec::with_capacity(1 + x.len() + y.len());
                point.push(0x04);
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                DecodingKey::from_ec_der(&point)
            }
            PublicKeyMaterial::Rsa { n, e } => DecodingKey::from_rsa_raw_components(n, e),
            PublicKeyMaterial::Ed25519 { x } => DecodingKey::from_ed_der(x),
            PublicKeyMaterial::Oct { k } => DecodingKey::from_secret(k),
        }
    }
}

/// A DER INTEGER holding the unsigned big-endian `bytes`, minimally encoded.
fn der_unsigned(bytes: &[u8]) -> Vec<u8> {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = &bytes[first..];
    let mut value = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        value.push(0);
    }
    value.extend_from_slice(digits);
    der_tlv(0x02, &value)
}

/// A DER tag-length-value.
fn der_tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let octets: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | octets.len() as u8);
        out.extend(octets);
    }
    out.extend_from_slice(value);
    out
}

// ---------------------------------------------------------------------------
// Errors

/// A key file, JWK or JWKS that cannot be used. Displays as one line:
/// `ORIGIN: what is wrong`, where ORIGIN is the file and, in a JWKS, the
/// entry (`jwks.json keys[2] (kid "abc")`).
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct KeyError {
    pub origin: String,
    pub kind: KeyErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyErrorKind {
    #[error("cannot read the key file: {0}")]
    Read(std::io::Error),
    #[error("not valid JSON: {0}")]
    Json(String),
    /// Not a key at all, or a key with a broken member.
    #[error("{0}")]
    Malformed(String),
    /// A private key where only a public one belongs.
    #[error("{0}")]
    PrivateKey(String),
    #[error("RSA key of {bits} bits is refused: at least 2048 bits are required")]
    WeakRsa { bits: usize },
    /// A key type, curve or algorithm agentid does not handle.
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "a symmetric (oct) key is refused for verification unless symmetric keys are explicitly allowed"
    )]
    SymmetricRefused,
    /// Nothing usable in the file.
    #[error("{0}")]
    NoKey(String),
    /// A password-protected private key (signing only).
    #[error(
        "encrypted private keys are not supported; decrypt with openssl first \
         (openssl pkey -in FILE -out PLAIN.pem, and keep PLAIN.pem mode 0600)"
    )]
    Encrypted,
    /// A public key where a private one is needed (signing only).
    #[error("{0}")]
    PublicOnly(String),
}

impl KeyErrorKind {
    pub(crate) fn at(self, origin: impl Into<String>) -> KeyError {
        KeyError {
            origin: origin.into(),
            kind: self,
        }
    }

    /// Whether a JWKS entry with this problem is skipped (recorded) rather
    /// than failing the whole set.
    fn skippable(&self) -> bool {
        matches!(
            self,
            KeyErrorKind::WeakRsa { .. }
                | KeyErrorKind::Unsupported(_)
                | KeyErrorKind::SymmetricRefused
        )
    }
}

// ---------------------------------------------------------------------------
// Verification keys and key sets

/// One key a signature may be checked with.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationKey {
    pub kid: Option<String>,
    /// The JWK `kty`: EC, RSA, OKP or oct.
    pub kty: &'static str,
    /// The JWK's `alg`, when it names one: the only alg the key may be used with.
    pub alg: Option<Algorithm>,
    /// The JWK's `use`.
    #[serde(rename = "use")]
    pub use_: Option<String>,
    /// The JWK's `key_ops`.
    pub key_ops: Option<Vec<String>>,
    #[serde(skip)]
    pub key: DecodingKey,
    pub family: KeyFamily,
    /// RFC 7638 SHA-256 thumbprint, base64url.
    pub thumbprint: String,
    /// Where it came from: the file, and the entry in a JWKS or PEM bundle.
    pub origin: String,
    #[serde(skip)]
    pub material: PublicKeyMaterial,
    /// The key as aws-lc parsed it, per algorithm, made on first use.
    #[serde(skip)]
    pub parsed: Arc<ParsedKeys>,
    /// [`VerificationKey::describe`]'s text with the kid and origin it was
    /// made from: a batch describes the same key in every token's checks.
    #[serde(skip)]
    described: OnceLock<Described>,
}

#[derive(Debug, Clone)]
struct Described {
    kid: Option<String>,
    origin: String,
    text: String,
}

/// A public key parsed by aws-lc once per algorithm and kept for every
/// later signature. A batch checks thousands of tokens with one key, and
/// building an RSA key (its Montgomery constants) on every check cost about
/// a fifth of an RS256 verification.
#[derive(Default)]
pub struct ParsedKeys([OnceLock<Option<ParsedPublicKey>>; 9]);

impl fmt::Debug for ParsedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ParsedKeys")
    }
}

/// aws-lc's verification algorithm for a JWS alg, and its slot in
/// [`ParsedKeys`]: the same parameters jsonwebtoken's aws-lc backend uses
/// (RSA from 2048 to 8192 bits; ECDSA as fixed-width `r || s`).
fn lc_algorithm(alg: Algorithm) -> Option<(usize, &'static dyn VerificationAlgorithm)> {
    use Algorithm::*;
    Some(match alg {
        RS256 => (0, &lc::RSA_PKCS1_2048_8192_SHA256),
        RS384 => (1, &lc::RSA_PKCS1_2048_8192_SHA384),
        RS512 => (2, &lc::RSA_PKCS1_2048_8192_SHA512),
        PS256 => (3, &lc::RSA_PSS_2048_8192_SHA256),
        PS384 => (4, &lc::RSA_PSS_2048_8192_SHA384),
        PS512 => (5, &lc::RSA_PSS_2048_8192_SHA512),
        ES256 => (6, &lc::ECDSA_P256_SHA256_FIXED),
        ES384 => (7, &lc::ECDSA_P384_SHA384_FIXED),
        EdDSA => (8, &lc::ED25519),
        HS256 | HS384 | HS512 => return None,
    })
}

impl VerificationKey {
    /// A key with no JWK metadata (from PEM or a certificate).
    pub fn from_material(material: PublicKeyMaterial, origin: impl Into<String>) -> Self {
        let family = material.family();
        VerificationKey {
            kid: None,
            kty: family.kty(),
            alg: None,
            use_: None,
            key_ops: None,
            key: material.decoding_key(),
            family,
            thumbprint: material.thumbprint(),
            origin: origin.into(),
            material,
            parsed: Arc::default(),
            described: OnceLock::new(),
        }
    }

    /// The public JWK of this key, with its `kid`, `alg`, `use` and
    /// `key_ops` when it has them.
    pub fn to_jwk(&self) -> Value {
        let mut jwk = self.material.jwk_members();
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), alg_name(alg).into());
        }
        if let Some(use_) = &self.use_ {
            jwk.insert("use".into(), use_.clone().into());
        }
        if let Some(ops) = &self.key_ops {
            jwk.insert("key_ops".into(), ops.clone().into());
        }
        Value::Object(jwk)
    }

    /// `EC P-256 key (kid "abc")`, for messages.
    pub fn describe(&self) -> String {
        let fresh = || match &self.kid {
            Some(kid) => format!("{} key (kid {kid:?})", self.family),
            None => format!("{} key from {}", self.family, self.origin),
        };
        let d = self.described.get_or_init(|| Described {
            kid: self.kid.clone(),
            origin: self.origin.clone(),
            text: fresh(),
        });
        // kid and origin are public and set after construction: a memo made
        // before such a change is not used.
        if d.kid == self.kid && d.origin == self.origin {
            d.text.clone()
        } else {
            fresh()
        }
    }
}

/// A key a JWKS or PEM bundle holds but that will not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedKey {
    pub kid: Option<String>,
    pub origin: String,
    pub reason: String,
}

impl fmt::Display for SkippedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; skipped", self.origin, self.reason)
    }
}

/// How strict loading is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Accept symmetric (`oct`) keys, and with them HS256/384/512. Off by
    /// default: a secret has no place in a published key set.
    pub allow_symmetric: bool,
}

/// The keys a token may be verified with.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    pub keys: Vec<VerificationKey>,
    /// Entries that were read but will not be used (unsupported type or
    /// curve, too weak, symmetric): each a warning for the operator, and the
    /// explanation when a token names one of them by `kid`.
    pub skipped: Vec<SkippedKey>,
}

/// What [`KeySet::find`] found for a token's `kid` and `alg`.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// The key to check the signature with. It may still be refused by
    /// [`alg_allowed`], which then says why (a kid that names an RSA key in
    /// an HS256 token is returned here, so the refusal can name the attack).
    Found(&'a VerificationKey),
    /// The token names no `kid` (or names one the set does not use while the
    /// set has keys without a kid) and several keys fit the alg: try each.
    Several(Vec<&'a VerificationKey>),
    /// No key has this `kid`: a stale key set, or a key that is not the
    /// issuer's.
    KidUnknown { kid: String },
    /// The set holds an entry with this `kid`, but it was skipped on loading.
    KidSkipped { kid: String, reason: String },
    /// No `kid` in the token and no key fits the alg.
    NoKeyForAlg { alg: String, reason: String },
}

impl KeySet {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds the keys (and skipped entries) of another set, e.g. for several
    /// `--key` files.
    pub fn extend(&mut self, other: KeySet) {
        self.keys.extend(other.keys);
        self.skipped.extend(other.skipped);
    }

    /// One line per skipped entry, for the operator.
    pub fn warnings(&self) -> Vec<String> {
        self.skipped.iter().map(ToString::to_string).collect()
    }

    /// A JWK Set (RFC 7517 section 5), refusing symmetric keys.
    pub fn from_jwks_json(bytes: &[u8], origin: &str) -> Result<KeySet, KeyError> {
        Self::from_jwks_json_with(bytes, origin, LoadOptions::default())
    }

    /// A JWK Set. Entries of an unsupported type or curve, RSA keys under
    /// 2048 bits, unknown `alg`s and (unless allowed) symmetric keys are
    /// skipped with a recorded reason; a malformed entry, or one holding a
    /// private key, fails the whole set.
    pub fn from_jwks_json_with(
        bytes: &[u8],
        origin: &str,
        opts: LoadOptions,
    ) -> Result<KeySet, KeyError> {
        let value = parse_json(bytes, origin)?;
        Self::from_jwks_value(&value, origin, opts)
    }

    fn from_jwks_value(value: &Value, origin: &str, opts: LoadOptions) -> Result<KeySet, KeyError> {
        let Some(keys) = value.get("keys").and_then(Value::as_array) else {
            return Err(KeyErrorKind::Malformed(
                "a JWKS is an object with a \"keys\" array".into(),
            )
            .at(origin));
        };
        let mut set = KeySet::default();
        for (i, entry) in keys.iter().enumerate() {
            let kid = entry.get("kid").and_then(Value::as_str).map(str::to_owned);
            let at = match &kid {
                Some(kid) => format!("{origin} keys[{i}] (kid {kid:?})"),
                None => format!("{origin} keys[{i}]"),
            };
            match parse_public_jwk(entry, JwkContext::InSet, opts) {
                Ok(mut key) => {
                    key.origin = at;
                    set.keys.push(key);
                }
                Err(kind) if kind.skippable() => set.skipped.push(SkippedKey {
                    kid,
                    origin: at,
                    reason: kind.to_string(),
                }),
                Err(kind) => return Err(kind.at(at)),
            }
        }
        Ok(set)
    }

    /// A single public JWK (RFC 7517 section 4), refusing symmetric keys.
    pub fn from_jwk_json(bytes: &[u8], origin: &str) -> Result<KeySet, KeyError> {
        Self::from_jwk_json_with(bytes, origin, LoadOptions::default())
    }

    /// A single public JWK; anything the JWKS reader would skip is an error
    /// here.
    pub fn from_jwk_json_with(
        bytes: &[u8],
        origin: &str,
        opts: LoadOptions,
    ) -> Result<KeySet, KeyError> {
        let value = parse_json(bytes, origin)?;
        Self::from_jwk_value(&value, origin, opts)
    }

    fn from_jwk_value(value: &Value, origin: &str, opts: LoadOptions) -> Result<KeySet, KeyError> {
        let mut key =
            parse_public_jwk(value, JwkContext::Single, opts).map_err(|k| k.at(origin))?;
        key.origin = origin.to_owned();
        Ok(KeySet {
            keys: vec![key],
            skipped: Vec::new(),
        })
    }

    /// PEM: `PUBLIC KEY` (SubjectPublicKeyInfo), `RSA PUBLIC KEY` (PKCS#1)
    /// or `CERTIFICATE` (X.509; the key of the first certificate only — the
    /// rest of a chain is CA keys, which do not sign tokens). EC P-256/P-384,
    /// RSA of 2048 to 8192 bits, Ed25519. A private key is refused.
    pub fn from_pem(bytes: &[u8], origin: &str) -> Result<KeySet, KeyError> {
        let blocks = pem::parse_many(bytes).map_err(|e| {
            KeyErrorKind::Malformed(format!("not a valid PEM file: {e}")).at(origin)
        })?;
        if blocks.is_empty() {
            return Err(KeyErrorKind::NoKey(
                "no PEM block (expected -----BEGIN PUBLIC KEY-----, RSA PUBLIC KEY or CERTIFICATE)"
                    .into(),
            )
            .at(origin));
        }
        let several = blocks.len() > 1;
        let mut set = KeySet::default();
        let mut certificates = 0;
        for (i, block) in blocks.iter().enumerate() {
            let tag = block.tag();
            let at = if several {
                format!("{origin} PEM block {} ({tag})", i + 1)
            } else {
                origin.to_owned()
            };
            let material = match tag {
                "PUBLIC KEY" => material_from_spki_der(block.contents()),
                "RSA PUBLIC KEY" => material_from_pkcs1_public(block.contents()),
                "CERTIFICATE" => {
                    certificates += 1;
                    if certificates > 1 {
                        set.skipped.push(SkippedKey {
                            kid: None,
                            origin: at,
                            reason: "a further certificate (a CA chain?): only the first certificate's key verifies tokens".into(),
                        });
                        continue;
                    }
                    material_from_certificate(block.contents())
                }
                "PRIVATE KEY"
                | "RSA PRIVATE KEY"
                | "EC PRIVATE KEY"
                | "ENCRYPTED PRIVATE KEY"
                | "OPENSSH PRIVATE KEY" => Err(KeyErrorKind::PrivateKey(format!(
                    "holds a private key ({tag}); verification takes the public key only \
                     (extract it with: openssl pkey -in FILE -pubout)"
                ))),
                "EC PARAMETERS" => continue,
                other => {
                    set.skipped.push(SkippedKey {
                        kid: None,
                        origin: at,
                        reason: format!("a {other} block is not a public key"),
                    });
                    continue;
                }
            };
            let material = material.map_err(|kind| kind.at(at.clone()))?;
            set.keys.push(VerificationKey::from_material(material, at));
        }
        if set.keys.is_empty() {
            return Err(KeyErrorKind::NoKey(
                "no public key (expected a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block)".into(),
            )
            .at(origin));
        }
        Ok(set)
    }

    /// Sniffs the format: JSON with a `keys` array is a JWKS, other JSON a
    /// JWK, `-----BEGIN` PEM.
    pub fn parse(bytes: &[u8], origin: &str, opts: LoadOptions) -> Result<KeySet, KeyError> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        match first {
            Some(b'{') => {
                let value = parse_json(bytes, origin)?;
                if value.get("keys").is_some() {
                    Self::from_jwks_value(&value, origin, opts)
                } else {
                    Self::from_jwk_value(&value, origin, opts)
                }
            }
            _ if contains(bytes, b"-----BEGIN") => Self::from_pem(bytes, origin),
            None => Err(KeyErrorKind::NoKey("the file is empty".into()).at(origin)),
            _ => Err(KeyErrorKind::Malformed(
                "neither PEM (-----BEGIN ...) nor a JSON JWK or JWKS".into(),
            )
            .at(origin)),
        }
    }

    /// The key for a token's `kid` (if any) and header `alg` (as written).
    ///
    /// With a kid: the keys with that kid, preferring one the alg is allowed
    /// with; then a skipped entry with that kid (to say why it is unusable);
    /// then keys without a kid (a PEM key or certificate matches any kid).
    /// Without a kid: the keys the alg is allowed with; or the only key, so
    /// that [`alg_allowed`] can say why it does not fit.
    pub fn find(&self, kid: Option<&str>, alg: &str) -> Lookup<'_> {
        if let Some(kid) = kid {
            let named = self.keys.iter().filter(|k| k.kid.as_deref() == Some(kid));
            if let Some(found) = Self::choose(named.collect(), alg) {
                return found;
            }
            if let Some(skipped) = self.skipped.iter().find(|s| s.kid.as_deref() == Some(kid)) {
                return Lookup::KidSkipped {
                    kid: kid.to_owned(),
                    reason: skipped.reason.clone(),
                };
            }
            let unnamed = self.keys.iter().filter(|k| k.kid.is_none());
            return Self::choose(unnamed.collect(), alg).unwrap_or_else(|| Lookup::KidUnknown {
                kid: kid.to_owned(),
            });
        }
        let fitting: Vec<&VerificationKey> = self
            .keys
            .iter()
            .filter(|k| alg_allowed(k, alg).is_ok())
            .collect();
        match (fitting.len(), self.keys.as_slice()) {
            (1, _) => Lookup::Found(fitting[0]),
            (0, [only]) => Lookup::Found(only),
            (0, _) => Lookup::NoKeyForAlg {
                alg: alg.to_owned(),
                reason: self.why_no_key(alg),
            },
            _ => Lookup::Several(fitting),
        }
    }

    /// Among keys that match by kid: the one(s) the alg is allowed with, or
    /// else the first, for [`alg_allowed`] to explain.
    fn choose<'s>(candidates: Vec<&'s VerificationKey>, alg: &str) -> Option<Lookup<'s>> {
        let first = *candidates.first()?;
        let fitting: Vec<&VerificationKey> = candidates
            .into_iter()
            .filter(|k| alg_allowed(k, alg).is_ok())
            .collect();
        Some(match fitting.len() {
            0 => Lookup::Found(first),
            1 => Lookup::Found(fitting[0]),
            _ => Lookup::Several(fitting),
        })
    }

    fn why_no_key(&self, alg: &str) -> String {
        let parsed = match parse_alg(alg) {
            Ok(parsed) => parsed,
            Err(refusal) => return refusal.to_string(),
        };
        let holds = if self.keys.is_empty() {
            "no usable keys".to_owned()
        } else {
            let mut kinds: Vec<String> = self.keys.iter().map(|k| k.family.to_string()).collect();
            kinds.dedup();
            kinds.join(", ")
        };
        if is_hmac(parsed) && !self.keys.iter().any(|k| k.family == KeyFamily::Oct) {
            format!(
                "{alg} is an HMAC algorithm but the key set holds only public keys ({holds}): \
                 an HS/RS key-confusion attempt is never accepted"
            )
        } else {
            format!(
                "{alg} needs {}; the key set holds {holds}",
                key_needed(parsed)
            )
        }
    }
}

/// Reads a key file: PEM, a JWK or a JWKS (sniffed), refusing symmetric keys.
pub fn load_key_file(path: &Path) -> Result<KeySet, KeyError> {
    load_key_file_with(path, LoadOptions::default())
}

/// Reads a key file: PEM, a JWK or a JWKS (sniffed).
pub fn load_key_file_with(path: &Path, opts: LoadOptions) -> Result<KeySet, KeyError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| KeyErrorKind::Read(e).at(origin.as_str()))?;
    KeySet::parse(&bytes, &origin, opts)
}

pub(crate) fn parse_json(bytes: &[u8], origin: &str) -> Result<Value, KeyError> {
    serde_json::from_slice(bytes).map_err(|e| KeyErrorKind::Json(e.to_string()).at(origin))
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------
// JWK

/// Members that only a private JWK has (RFC 7518 6.2.2 and 6.3.2; `d` also
/// for OKP, RFC 8037).
pub(crate) const PRIVATE_JWK_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JwkContext {
    InSet,
    Single,
}

/// A string member, if present.
pub(crate) fn str_member<'v>(
    obj: &'v Map<String, Value>,
    name: &str,
) -> Result<Option<&'v str>, KeyErrorKind> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(KeyErrorKind::Malformed(format!(
            "\"{name}\" must be a string"
        ))),
    }
}

/// A required base64url member, decoded.
pub(crate) fn b64_member(obj: &Map<String, Value>, name: &str) -> Result<Vec<u8>, KeyErrorKind> {
    let text = str_member(obj, name)?
        .ok_or_else(|| KeyErrorKind::Malformed(format!("the JWK lacks \"{name}\"")))?;
    b64url_decode(text)
        .map_err(|e| KeyErrorKind::Malformed(format!("\"{name}\" is not valid base64url: {e}")))
}

/// The curve of an OKP JWK, or why it is refused.
pub(crate) fn okp_curve(crv: &str) -> Result<OkpCurve, KeyErrorKind> {
    match crv {
        "Ed25519" => Ok(OkpCurve::Ed25519),
        "X25519" | "X448" => Err(KeyErrorKind::Unsupported(format!(
            "OKP curve {crv} is for key agreement, not signatures"
        ))),
        other => Err(KeyErrorKind::Unsupported(format!(
            "OKP curve {other:?} is not supported; Ed25519 is"
        ))),
    }
}

/// The curve of an EC JWK, or why it is refused.
pub(crate) fn ec_curve(crv: &str) -> Result<EcCurve, KeyErrorKind> {
    EcCurve::from_crv(crv).ok_or_else(|| {
        KeyErrorKind::Unsupported(format!(
            "EC curve {crv:?} is not supported; P-256 and P-384 are"
        ))
    })
}

fn parse_public_jwk(
    value: &Value,
    ctx: JwkContext,
    opts: LoadOptions,
) -> Result<VerificationKey, KeyErrorKind> {
    let Some(obj) = value.as_object() else {
        return Err(KeyErrorKind::Malformed(
            "a JWK must be a JSON object".into(),
        ));
    };
    let kty = str_member(obj, "kty")?
        .ok_or_else(|| KeyErrorKind::Malformed("a JWK needs a \"kty\" member".into()))?;
    if kty != "oct"
        && let Some(member) = PRIVATE_JWK_MEMBERS.iter().find(|m| obj.contains_key(**m))
    {
        return Err(KeyErrorKind::PrivateKey(match ctx {
            JwkContext::InSet => format!(
                "JWKS holds a private key (member \"{member}\"); a published key set must hold public keys only"
            ),
            JwkContext::Single => format!(
                "the JWK holds a private key (member \"{member}\"); verification takes the public key only"
            ),
        }));
    }
    let kid = str_member(obj, "kid")?.map(str::to_owned);
    let alg = match str_member(obj, "alg")? {
        None => None,
        Some(alg) => Some(alg.parse::<Algorithm>().map_err(|_| {
            KeyErrorKind::Unsupported(format!(
                "the key is published for alg {alg:?}, not a signature algorithm agentid verifies"
            ))
        })?),
    };
    let use_ = str_member(obj, "use")?.map(str::to_owned);
    let key_ops = match obj.get("key_ops") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| {
                    KeyErrorKind::Malformed("\"key_ops\" must be an array of strings".into())
                })?,
        ),
        Some(_) => {
            return Err(KeyErrorKind::Malformed(
                "\"key_ops\" must be an array of strings".into(),
            ));
        }
    };
    let material = match kty {
        "EC" => {
            let crv = str_member(obj, "crv")?
                .ok_or_else(|| KeyErrorKind::Malformed("an EC JWK needs \"crv\"".into()))?;
            let curve = ec_curve(crv)?;
            PublicKeyMaterial::ec(curve, b64_member(obj, "x")?, b64_member(obj, "y")?)
                .map_err(KeyErrorKind::Malformed)?
        }
        "RSA" => PublicKeyMaterial::rsa(&b64_member(obj, "n")?, &b64_member(obj, "e")?)?,
        "OKP" => {
            let crv = str_member(obj, "crv")?
                .ok_or_else(|| KeyErrorKind::Malformed("an OKP JWK needs \"crv\"".into()))?;
            let OkpCurve::Ed25519 = okp_curve(crv)?;
            PublicKeyMaterial::ed25519(b64_member(obj, "x")?).map_err(KeyErrorKind::Malformed)?
        }
        "oct" => {
            if !opts.allow_symmetric {
                return Err(KeyErrorKind::SymmetricRefused);
            }
            let k = b64_member(obj, "k")?;
            if k.is_empty() {
                return Err(KeyErrorKind::Malformed("the oct key \"k\" is empty".into()));
            }
            PublicKeyMaterial::Oct { k }
        }
        other => {
            return Err(KeyErrorKind::Unsupported(format!(
                "key type {other:?} is not supported; EC, RSA and OKP are"
            )));
        }
    };
    let mut key = VerificationKey::from_material(material, String::new());
    key.kid = kid;
    key.alg = alg;
    key.use_ = use_;
    key.key_ops = key_ops;
    Ok(key)
}

// ---------------------------------------------------------------------------
// DER: SubjectPublicKeyInfo, PKCS#1, X.509

/// Why a key algorithm OID is refused.
pub(crate) fn unsupported_key_oid(oid: ObjectIdentifier) -> String {
    match oid {
        OID_RSASSA_PSS => "an RSASSA-PSS-restricted key (id-RSASSA-PSS) is not supported; \
                           an ordinary RSA key signs and verifies PS256 too"
            .into(),
        OID_ED448 => "Ed448 keys are not supported; Ed25519 is".into(),
        OID_X25519 | OID_X448 => "an X25519/X448 key is for key agreement, not signatures".into(),
        other => {
            format!("key algorithm {other} is not supported; EC P-256/P-384, RSA and Ed25519 are")
        }
    }
}

pub(crate) fn material_from_spki_der(der: &[u8]) -> Result<PublicKeyMaterial, KeyErrorKind> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid SubjectPublicKeyInfo: {e}")))?;
    material_from_spki(&spki)
}

fn material_from_spki(
    spki: &SubjectPublicKeyInfoRef<'_>,
) -> Result<PublicKeyMaterial, KeyErrorKind> {
    let key = spki.subject_public_key.as_bytes().ok_or_else(|| {
        KeyErrorKind::Malformed("the public key bit string is not whole bytes".into())
    })?;
    match spki.algorithm.oid {
        OID_EC_PUBLIC_KEY => {
            let curve_oid = spki.algorithm.parameters_oid().map_err(|_| {
                KeyErrorKind::Unsupported("an EC key without a named curve is not supported".into())
            })?;
            let curve = EcCurve::from_oid(curve_oid).map_err(KeyErrorKind::Unsupported)?;
            PublicKeyMaterial::ec_point(curve, key).map_err(KeyErrorKind::Malformed)
        }
        OID_RSA_ENCRYPTION => material_from_pkcs1_public(key),
        OID_ED25519 => PublicKeyMaterial::ed25519(key.to_vec()).map_err(KeyErrorKind::Malformed),
        other => Err(KeyErrorKind::Unsupported(unsupported_key_oid(other))),
    }
}

fn material_from_pkcs1_public(der: &[u8]) -> Result<PublicKeyMaterial, KeyErrorKind> {
    let key = pkcs1::RsaPublicKey::<UintRef<'_>>::from_der(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid PKCS#1 RSA public key: {e}")))?;
    PublicKeyMaterial::rsa(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

pub(crate) fn material_from_certificate(der: &[u8]) -> Result<PublicKeyMaterial, KeyErrorKind> {
    let spki = spki_from_certificate(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid X.509 certificate: {e}")))?;
    material_from_spki(&spki)
}

/// The SubjectPublicKeyInfo of an X.509 certificate (RFC 5280 4.1): the
/// seventh field of tbsCertificate, counting the optional `[0] version`.
/// Nothing else of the certificate is read: it is only a key container here,
/// not a trust decision (no chain, dates or names are checked).
fn spki_from_certificate(der: &[u8]) -> der::Result<SubjectPublicKeyInfoRef<'_>> {
    let certificate = AnyRef::from_der(der)?;
    certificate.sequence(|cert| {
        let tbs: AnyRef<'_> = cert.decode()?;
        let _signature_algorithm: AnyRef<'_> = cert.decode()?;
        let _signature: AnyRef<'_> = cert.decode()?;
        tbs.sequence(|fields| {
            let version = Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            };
            if Tag::peek(fields)? == version {
                let _version: AnyRef<'_> = fields.decode()?;
            }
            // serialNumber, signature, issuer, validity, subject
            for _ in 0..5 {
                let _field: AnyRef<'_> = fields.decode()?;
            }
            let spki: SubjectPublicKeyInfoRef<'_> = fields.decode()?;
            // issuerUniqueID, subjectUniqueID, extensions
            while !fields.is_finished() {
                let _field: AnyRef<'_> = fields.decode()?;
            }
            Ok(spki)
        })
    })
}

// ---------------------------------------------------------------------------
// Which alg may be used with which key

/// Why a token's `alg` may not be used with a key. Displays as the one-line
/// reason the verifier prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlgRefusal {
    #[error("alg {written:?} means an unsigned token; it is never accepted")]
    None { written: String },
    #[error(
        "alg {alg:?} is not an algorithm agentid verifies (names are case-sensitive): {SUPPORTED_ALGS}"
    )]
    Unknown { alg: String },
    #[error(
        "{} is an HMAC algorithm but the key is an {key} public key: \
         the HS/RS key-confusion attack (the public key used as an HMAC secret) is never accepted",
        alg_name(*alg)
    )]
    HmacWithPublicKey { alg: Algorithm, key: KeyFamily },
    #[error("{} needs {}; this key is {key}", alg_name(*alg), key_needed(*alg))]
    WrongKeyType { alg: Algorithm, key: KeyFamily },
    #[error(
        "the key is published for {} only (its JWK \"alg\") but the token says {}",
        alg_name(*jwk_alg),
        alg_name(*alg)
    )]
    JwkAlgMismatch { alg: Algorithm, jwk_alg: Algorithm },
    #[error("the key's \"use\" is {use_:?}, not \"sig\": it is not for signatures")]
    UseNotSig { use_: String },
    #[error("the key's \"key_ops\" {ops:?} do not include \"verify\"")]
    KeyOpsWithoutVerify { ops: Vec<String> },
}

impl AlgRefusal {
    /// A stable identifier for machine-readable output and tests.
    pub fn code(&self) -> &'static str {
        match self {
            AlgRefusal::None { .. } => "alg_none",
            AlgRefusal::Unknown { .. } => "alg_unknown",
            AlgRefusal::HmacWithPublicKey { .. } => "hmac_with_public_key",
            AlgRefusal::WrongKeyType { .. } => "alg_key_mismatch",
            AlgRefusal::JwkAlgMismatch { .. } => "jwk_alg_mismatch",
            AlgRefusal::UseNotSig { .. } => "jwk_use_not_sig",
            AlgRefusal::KeyOpsWithoutVerify { .. } => "jwk_key_ops_no_verify",
        }
    }
}

/// The header `alg` as an algorithm: never `none` in any casing, nothing
/// outside [`SUPPORTED_ALGS`].
pub fn parse_alg(alg: &str) -> Result<Algorithm, AlgRefusal> {
    if alg.trim().eq_ignore_ascii_case("none") {
        return Err(AlgRefusal::None {
            written: alg.to_owned(),
        });
    }
    alg.parse::<Algorithm>().map_err(|_| AlgRefusal::Unknown {
        alg: alg.to_owned(),
    })
}

/// Whether the header `alg` (as written) may be used with `key`; the parsed
/// algorithm to verify with if so.
///
/// Never `none`; never an HMAC alg with an asymmetric key; the alg must fit
/// the key type and curve; a JWK's `alg`, when present, must be this alg; its
/// `use`, when present, must be `sig`; its `key_ops`, when present, must
/// include `verify`.
pub fn alg_allowed(key: &VerificationKey, alg: &str) -> Result<Algorithm, AlgRefusal> {
    let parsed = parse_alg(alg)?;
    if is_hmac(parsed) && key.family != KeyFamily::Oct {
        return Err(AlgRefusal::HmacWithPublicKey {
            alg: parsed,
            key: key.family,
        });
    }
    if !key.family.fits(parsed) {
        return Err(AlgRefusal::WrongKeyType {
            alg: parsed,
            key: key.family,
        });
    }
    if let Some(jwk_alg) = key.alg
        && jwk_alg != parsed
    {
        return Err(AlgRefusal::JwkAlgMismatch {
            alg: parsed,
            jwk_alg,
        });
    }
    if let Some(use_) = &key.use_
        && use_ != "sig"
    {
        return Err(AlgRefusal::UseNotSig { use_: use_.clone() });
    }
    if let Some(ops) = &key.key_ops
        && !ops.iter().any(|op| op == "verify")
    {
        return Err(AlgRefusal::KeyOpsWithoutVerify { ops: ops.clone() });
    }
    Ok(parsed)
}

/// Checks `signature` (raw bytes, already base64url-decoded; for ECDSA the
/// fixed-width `r || s` of JWS) over `signing_input` (`header.payload` as
/// written in the token). False for a bad signature and for an alg that does
/// not fit the key; call [`alg_allowed`] first to learn why.
pub fn verify_signature(
    key: &VerificationKey,
    alg: Algorithm,
    signing_input: &[u8],
    signature: &[u8],
) -> bool {
    if !key.family.fits(alg) {
        return false;
    }
    if let Some((slot, lc_alg)) = lc_algorithm(alg) {
        let parsed = key.parsed.0[slot].get_or_init(|| {
            let bytes = key.material.public_key_bytes()?;
            ParsedPublicKey::new(lc_alg, bytes).ok()
        });
        if let Some(parsed) = parsed {
            return parsed.verify_sig(signing_input, signature).is_ok();
        }
    }
    // HMAC, or a key aws-lc would not parse on its own: jsonwebtoken decides.
    verify_with_jsonwebtoken(key, alg, signing_input, signature)
}

/// The check through jsonwebtoken's aws-lc backend, which builds the key
/// from [`VerificationKey::key`] every time.
fn verify_with_jsonwebtoken(
    key: &VerificationKey,
    alg: Algorithm,
    signing_input: &[u8],
    signature: &[u8],
) -> bool {
    match (provider().verifier_factory)(&alg, &key.key) {
        Ok(verifier) => verifier.verify(signing_input, &signature.to_vec()).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keys")
            .join(name)
    }

    fn load(name: &str) -> KeySet {
        load_key_file(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn load_err(name: &str) -> String {
        let err = load_key_file(&fixture(name)).expect_err(name).to_string();
        assert!(!err.contains('\n'), "one line: {err}");
        assert!(err.contains(name), "names the file: {err}");
        err
    }

    fn only(set: &KeySet) -> &VerificationKey {
        assert_eq!(set.keys.len(), 1, "{:?}", set.keys);
        &set.keys[0]
    }

    #[test]
    fn a_description_follows_a_kid_or_origin_set_later() {
        let mut key = only(&load("ec256.pub.pem")).clone();
        let first = key.describe();
        assert!(first.contains("key from"), "{first}");
        assert_eq!(key.describe(), first, "memoized, same text");
        key.kid = Some("k1".into());
        assert!(key.describe().contains("kid \"k1\""), "{}", key.describe());
        key.kid = None;
        key.origin = "elsewhere".into();
        assert!(
            key.describe().ends_with("key from elsewhere"),
            "{}",
            key.describe()
        );
    }

    /// RFC 7638 thumbprints computed by make.sh with openssl.
    fn thumbprint(name: &str) -> String {
        let all: Value =
            serde_json::from_slice(&std::fs::read(fixture("thumbprints.json")).unwrap()).unwrap();
        all[name].as_str().unwrap().to_owned()
    }

    /// A signature made by openssl's own key, so verification is tested
    /// against something this crate did not produce.
    fn openssl_signed(alg: Algorithm, key: &str) -> (Vec<u8>, Vec<u8>) {
        let pem = std::fs::read(fixture(key)).unwrap();
        let block = pem::parse(&pem).unwrap();
        let encoding = match alg {
            Algorithm::ES256 | Algorithm::ES384 => {
                jsonwebtoken::EncodingKey::from_ec_der(block.contents())
            }
            Algorithm::EdDSA => jsonwebtoken::EncodingKey::from_ed_der(block.contents()),
            _ => {
                let info = pkcs8::PrivateKeyInfoRef::from_der(block.contents()).unwrap();
                jsonwebtoken::EncodingKey::from_rsa_der(info.private_key.as_bytes())
            }
        };
        let input = b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0".to_vec();
        let signer = (provider().signer_factory)(&alg, &encoding).unwrap();
        let signature = signer.try_sign(&input).unwrap();
        (input, signature)
    }

    #[test]
    fn pem_public_keys_of_every_family() {
        for (file, family, thumb) in [
            ("ec256.pub.pem", KeyFamily::Ec(EcCurve::P256), "ec256"),
            ("ec384.pub.pem", KeyFamily::Ec(EcCurve::P384), "ec384"),
            ("rsa2048.pub.pem", KeyFamily::Rsa { bits: 2048 }, "rsa2048"),
            (
                "rsa2048.rsapub.pem",
                KeyFamily::Rsa { bits: 2048 },
                "rsa2048",
            ),
            (
                "ed25519.pub.pem",
                KeyFamily::Okp(OkpCurve::Ed25519),
                "ed25519",
            ),
            ("ec256.crt", KeyFamily::Ec(EcCurve::P256), "ec256"),
            ("rsa2048.crt", KeyFamily::Rsa { bits: 2048 }, "rsa2048"),
        ] {
            let set = load(file);
            let key = only(&set);
            assert_eq!(key.family, family, "{file}");
            assert_eq!(key.thumbprint, thumbprint(thumb), "{file}");
            assert_eq!(key.kid, None);
            assert!(key.origin.ends_with(file));
        }
    }

    #[test]
    fn jwks_reads_supported_keys_and_records_the_rest() {
        let set = load("jwks.json");
        let families: Vec<String> = set.keys.iter().map(|k| k.family.to_string()).collect();
        assert_eq!(
            families,
            ["EC P-256", "EC P-384", "RSA 2048-bit", "OKP Ed25519"]
        );
        for (key, name) in set
            .keys
            .iter()
            .zip(["ec256", "ec384", "rsa2048", "ed25519"])
        {
            assert_eq!(key.thumbprint, thumbprint(name));
            assert_eq!(key.kid.as_deref(), Some(thumbprint(name).as_str()));
            assert_eq!(key.use_.as_deref(), Some("sig"));
        }
        let warnings = set.warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("jwks.json keys[4] (kid \"p521-unsupported\")"));
        assert!(warnings[0].contains("P-521"), "{}", warnings[0]);
        assert!(warnings[1].contains("kid \"rsa1024-weak\""));
        assert!(warnings[1].contains("1024 bits"), "{}", warnings[1]);
    }

    #[test]
    fn a_jwk_round_trips_through_to_jwk() {
        let set = load("ec256.jwk.json");
        let key = only(&set);
        assert_eq!(key.kid.as_deref(), Some("ec256-jwk"));
        assert_eq!(key.alg, Some(Algorithm::ES256));
        let again = KeySet::from_jwk_json(key.to_jwk().to_string().as_bytes(), "again").unwrap();
        assert_eq!(only(&again).thumbprint, thumbprint("ec256"));
        assert_eq!(only(&again).material, key.material);
    }

    #[test]
    fn private_keys_are_refused_where_public_keys_belong() {
        let err = load_err("jwks-private.json");
        assert!(err.contains("JWKS holds a private key"), "{err}");
        assert!(err.contains("keys[0] (kid \"leaked\")"), "{err}");

        let err = load_err("ec256.private.jwk.json");
        assert!(
            err.contains("the JWK holds a private key (member \"d\")"),
            "{err}"
        );

        let err = load_err("ec256.pem");
        assert!(err.contains("holds a private key (PRIVATE KEY)"), "{err}");
        assert!(err.contains("openssl pkey -in FILE -pubout"), "{err}");
    }

    #[test]
    fn weak_rsa_keys_are_refused() {
        let err = load_err("rsa1024.pub.pem");
        assert!(err.contains("RSA key of 1024 bits is refused"), "{err}");
        let err = load_err("rsa1024.jwk.json");
        assert!(err.contains("at least 2048 bits"), "{err}");
    }

    #[test]
    fn symmetric_keys_only_when_allowed() {
        let jwk =
            br#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA","kid":"s"}"#;
        let err = KeySet::from_jwk_json(jwk, "secret.jwk").unwrap_err();
        assert!(matches!(err.kind, KeyErrorKind::SymmetricRefused), "{err}");
        assert!(
            err.to_string()
                .starts_with("secret.jwk: a symmetric (oct) key is refused")
        );

        let jwks = format!(r#"{{"keys":[{}]}}"#, std::str::from_utf8(jwk).unwrap());
        let set = KeySet::from_jwks_json(jwks.as_bytes(), "jwks").unwrap();
        assert!(set.is_empty());
        assert!(set.warnings()[0].contains("symmetric (oct) key is refused"));

        let allow = LoadOptions {
            allow_symmetric: true,
        };
        let set = KeySet::from_jwks_json_with(jwks.as_bytes(), "jwks", allow).unwrap();
        let key = only(&set);
        assert_eq!(key.family, KeyFamily::Oct);
        assert_eq!(alg_allowed(key, "HS256"), Ok(Algorithm::HS256));
        assert_eq!(
            alg_allowed(key, "RS256").unwrap_err().code(),
            "alg_key_mismatch"
        );
        let encoding =
            jsonwebtoken::EncodingKey::from_secret(b"secret-secret-secret-secret-secret");
        let signer = (provider().signer_factory)(&Algorithm::HS256, &encoding).unwrap();
        let signature = signer.try_sign(b"a.b").unwrap();
        assert!(verify_signature(key, Algorithm::HS256, b"a.b", &signature));
        assert!(!verify_signature(key, Algorithm::HS256, b"a.c", &signature));
    }

    #[test]
    fn openssl_signatures_verify_and_tampering_fails() {
        for (alg, private, public) in [
            (Algorithm::ES256, "ec256.pem", "ec256.pub.pem"),
            (Algorithm::ES256, "ec256.pem", "ec256.crt"),
            (Algorithm::ES384, "ec384.pem", "ec384.pub.pem"),
            (Algorithm::RS256, "rsa2048.pem", "rsa2048.pub.pem"),
            (Algorithm::PS512, "rsa2048.pem", "rsa2048.rsapub.pem"),
            (Algorithm::EdDSA, "ed25519.pem", "ed25519.pub.pem"),
        ] {
            let (input, signature) = openssl_signed(alg, private);
            let set = load(public);
            let key = only(&set);
            assert!(
                verify_signature(key, alg, &input, &signature),
                "{public} {alg:?}"
            );

            let mut bad = signature.clone();
            bad[5] ^= 1;
            assert!(!verify_signature(key, alg, &input, &bad), "{public}");
            let mut other_input = input.clone();
            other_input[3] ^= 1;
            assert!(!verify_signature(key, alg, &other_input, &signature));
            assert!(!verify_signature(
                key,
                alg,
                &input,
                &signature[..signature.len() - 1]
            ));
            assert!(!verify_signature(key, alg, &input, &[]));
        }
    }

    /// The kept aws-lc keys and jsonwebtoken's per-call keys agree on good,
    /// tampered, truncated and empty signatures, for every key family.
    #[test]
    fn parsed_keys_agree_with_jsonwebtoken() {
        for (alg, private, public) in [
            (Algorithm::ES256, "ec256.pem", "ec256.pub.pem"),
            (Algorithm::ES384, "ec384.pem", "ec384.pub.pem"),
            (Algorithm::RS256, "rsa2048.pem", "rsa2048.pub.pem"),
            (Algorithm::RS256, "rsa2048.pem", "rsa2048.rsapub.pem"),
            (Algorithm::PS512, "rsa2048.pem", "rsa2048.pub.pem"),
            (Algorithm::EdDSA, "ed25519.pem", "ed25519.pub.pem"),
        ] {
            let (input, signature) = openssl_signed(alg, private);
            let set = load(public);
            let key = only(&set);
            let mut flipped = signature.clone();
            flipped[7] ^= 0x40;
            for sig in [
                signature.clone(),
                flipped,
                signature[..signature.len() - 1].to_vec(),
                Vec::new(),
            ] {
                let ours = verify_signature(key, alg, &input, &sig);
                assert_eq!(
                    ours,
                    verify_with_jsonwebtoken(key, alg, &input, &sig),
                    "{public} {alg:?}"
                );
            }
            assert!(
                key.parsed
                    .0
                    .iter()
                    .any(|slot| matches!(slot.get(), Some(Some(_)))),
                "{public}: aws-lc parsed the key"
            );
        }
    }

    #[test]
    fn der_integers_are_minimal() {
        assert_eq!(der_unsigned(&[0, 0, 1, 0]), [2, 2, 1, 0]);
        assert_eq!(der_unsigned(&[0x80]), [2, 2, 0, 0x80]);
        assert_eq!(der_unsigned(&[]), [2, 1, 0]);
        assert_eq!(der_tlv(0x30, &[7; 300])[..4], [0x30, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn psychic_and_confused_signatures_fail() {
        let set = load("ec256.pub.pem");
        let key = only(&set);
        // CVE-2022-21449: r = s = 0
        assert!(!verify_signature(key, Algorithm::ES256, b"a.b", &[0; 64]));
        // an HMAC "signature" made with the RSA public key as the secret
        let rsa = load("rsa2048.pub.pem");
        let pem = std::fs::read(fixture("rsa2048.pub.pem")).unwrap();
        let encoding = jsonwebtoken::EncodingKey::from_secret(&pem);
        let signer = (provider().signer_factory)(&Algorithm::HS256, &encoding).unwrap();
        let forged = signer.try_sign(b"a.b").unwrap();
        assert!(!verify_signature(
            only(&rsa),
            Algorithm::HS256,
            b"a.b",
            &forged
        ));
    }

    #[test]
    fn alg_refusals() {
        let jwks = load("jwks.json");
        let [ec256, ec384, rsa, ed] = [0, 1, 2, 3].map(|i| &jwks.keys[i]);
        for none in ["none", "None", "NONE", "nOnE"] {
            let refusal = alg_allowed(rsa, none).unwrap_err();
            assert_eq!(refusal.code(), "alg_none");
            assert!(refusal.to_string().contains("never accepted"));
        }
        let refusal = alg_allowed(rsa, "HS256").unwrap_err();
        assert_eq!(refusal.code(), "hmac_with_public_key");
        assert!(
            refusal.to_string().contains("HS/RS key-confusion"),
            "{refusal}"
        );
        assert_eq!(
            alg_allowed(ec384, "ES256").unwrap_err().code(),
            "alg_key_mismatch"
        );
        assert_eq!(
            alg_allowed(ec384, "ES256").unwrap_err().to_string(),
            "ES256 needs an EC P-256 key; this key is EC P-384"
        );
        assert_eq!(
            alg_allowed(ec256, "RS256").unwrap_err().code(),
            "alg_key_mismatch"
        );
        assert_eq!(
            alg_allowed(ed, "ES256").unwrap_err().code(),
            "alg_key_mismatch"
        );
        let refusal = alg_allowed(rsa, "PS256").unwrap_err();
        assert_eq!(refusal.code(), "jwk_alg_mismatch");
        assert_eq!(
            refusal.to_string(),
            "the key is published for RS256 only (its JWK \"alg\") but the token says PS256"
        );
        assert_eq!(alg_allowed(rsa, "hs256").unwrap_err().code(), "alg_unknown");
        assert_eq!(alg_allowed(rsa, "ES512").unwrap_err().code(), "alg_unknown");

        let mut enc = ec256.clone();
        enc.use_ = Some("enc".into());
        let refusal = alg_allowed(&enc, "ES256").unwrap_err();
        assert_eq!(refusal.code(), "jwk_use_not_sig");
        assert!(refusal.to_string().contains("\"enc\""));

        let mut ops = ec256.clone();
        ops.key_ops = Some(vec!["encrypt".into()]);
        assert_eq!(
            alg_allowed(&ops, "ES256").unwrap_err().code(),
            "jwk_key_ops_no_verify"
        );
        ops.key_ops = Some(vec!["sign".into(), "verify".into()]);
        assert_eq!(alg_allowed(&ops, "ES256"), Ok(Algorithm::ES256));

        assert_eq!(alg_allowed(ec256, "ES256"), Ok(Algorithm::ES256));
        assert_eq!(alg_allowed(ec384, "ES384"), Ok(Algorithm::ES384));
        assert_eq!(alg_allowed(rsa, "RS256"), Ok(Algorithm::RS256));
        assert_eq!(alg_allowed(ed, "EdDSA"), Ok(Algorithm::EdDSA));
        // without a JWK "alg", an RSA key takes every RSA alg
        let pem = load("rsa2048.pub.pem");
        for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
            assert!(alg_allowed(only(&pem), alg).is_ok(), "{alg}");
        }
    }

    #[test]
    fn refusals_read_from_a_jwks_file() {
        let jwks = br#"{"keys":[
            {"kty":"EC","crv":"P-256","x":"7UPmKIAM7PZNifYntM3rqOKvoXNfycHaMbB_hnwlhDY","y":"rTlobPyGqHoYKOS0av3K_VeN3Wfj91bZPLALBQ4BLH4","kid":"enc","use":"enc"},
            {"kty":"EC","crv":"P-256","x":"7UPmKIAM7PZNifYntM3rqOKvoXNfycHaMbB_hnwlhDY","y":"rTlobPyGqHoYKOS0av3K_VeN3Wfj91bZPLALBQ4BLH4","kid":"ops","key_ops":["encrypt","wrapKey"]},
            {"kty":"RSA","n":"AQAB","e":"AQAB","kid":"oaep","alg":"RSA-OAEP","use":"enc"}
        ]}"#;
        let set = KeySet::from_jwks_json(jwks, "mixed.json").unwrap();
        assert_eq!(set.len(), 2);
        assert_eq!(
            alg_allowed(&set.keys[0], "ES256").unwrap_err().code(),
            "jwk_use_not_sig"
        );
        assert_eq!(
            alg_allowed(&set.keys[1], "ES256").unwrap_err().code(),
            "jwk_key_ops_no_verify"
        );
        assert!(set.warnings()[0].contains("published for alg \"RSA-OAEP\""));
    }

    #[test]
    fn find_by_kid_and_alg() {
        let set = load("jwks.json");
        let ec256 = thumbprint("ec256");
        let rsa = thumbprint("rsa2048");

        let Lookup::Found(key) = set.find(Some(&ec256), "ES256") else {
            panic!("found by kid")
        };
        assert_eq!(key.thumbprint, ec256);

        assert!(matches!(
            set.find(Some("gone"), "ES256"),
            Lookup::KidUnknown { kid } if kid == "gone"
        ));
        let Lookup::KidSkipped { reason, .. } = set.find(Some("rsa1024-weak"), "RS256") else {
            panic!("skipped kid")
        };
        assert!(reason.contains("1024 bits"));

        // an HS256 token naming the RSA key: found, so alg_allowed names the attack
        let Lookup::Found(key) = set.find(Some(&rsa), "HS256") else {
            panic!("rsa by kid")
        };
        assert_eq!(
            alg_allowed(key, "HS256").unwrap_err().code(),
            "hmac_with_public_key"
        );

        // no kid: the one key the alg fits
        let Lookup::Found(key) = set.find(None, "ES384") else {
            panic!("ES384 without kid")
        };
        assert_eq!(key.family, KeyFamily::Ec(EcCurve::P384));
        let Lookup::NoKeyForAlg { reason, .. } = set.find(None, "HS256") else {
            panic!("HS256 without kid")
        };
        assert!(reason.contains("HS/RS key-confusion"), "{reason}");
        let Lookup::NoKeyForAlg { reason, .. } = set.find(None, "none") else {
            panic!("none")
        };
        assert!(reason.contains("unsigned"), "{reason}");
        let Lookup::NoKeyForAlg { reason, .. } = set.find(None, "PS256") else {
            panic!("PS256 without kid: the RSA key is published for RS256")
        };
        assert!(reason.contains("PS256 needs an RSA key"), "{reason}");

        // a PEM key has no kid: it answers any kid
        let pem = load("ec256.pub.pem");
        assert!(matches!(
            pem.find(Some("whatever"), "ES256"),
            Lookup::Found(_)
        ));
        assert!(matches!(pem.find(None, "HS256"), Lookup::Found(_)));

        // several keys, no kid: try each
        let mut two = load("ec256.pub.pem");
        two.extend(load("ec256.crt"));
        assert!(matches!(two.find(None, "ES256"), Lookup::Several(keys) if keys.len() == 2));
    }

    #[test]
    fn bad_files_name_the_file_and_the_fault() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let cases = [
            ("empty.pem", "", "the file is empty"),
            ("junk.txt", "hello", "neither PEM"),
            (
                "bad.json",
                "{\"keys\": [",
                "not valid JSON: EOF while parsing",
            ),
            (
                "nokeys.json",
                "{\"keys\": 3}",
                "a JWKS is an object with a \"keys\" array",
            ),
            ("nokty.json", "{\"x\": 3}", "a JWK needs a \"kty\" member"),
            (
                "notobj.json",
                "{\"keys\": [1]}",
                "keys[0]: a JWK must be a JSON object",
            ),
            (
                "badb64.json",
                r#"{"kty":"OKP","crv":"Ed25519","x":"!!"}"#,
                "\"x\" is not valid base64url",
            ),
            (
                "short.json",
                r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}"#,
                "EC P-256 \"x\" must be 32 bytes, got 3",
            ),
            (
                "badpem.pem",
                "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n",
                "not a valid PEM file",
            ),
            (
                "trunc.pem",
                "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
                "not a valid SubjectPublicKeyInfo",
            ),
            (
                "cert.pem",
                "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
                "not a valid X.509 certificate",
            ),
            (
                "other.pem",
                "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n",
                "no public key",
            ),
            (
                "kty.json",
                r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#,
                "EC curve \"secp256k1\" is not supported",
            ),
        ];
        for (name, text, expected) in cases {
            let path = write(name, text);
            let err = load_key_file(&path).expect_err(name).to_string();
            assert!(err.starts_with(&path.display().to_string()), "{err}");
            assert!(err.contains(expected), "{name}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
        let missing = dir.path().join("missing.pem");
        let err = load_key_file(&missing).unwrap_err().to_string();
        assert!(
            err.contains("missing.pem: cannot read the key file"),
            "{err}"
        );

        // the first of two key files in a bundle is named by its block
        let two = write(
            "bundle.pem",
            &format!(
                "{}-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n",
                std::fs::read_to_string(fixture("ec256.pub.pem")).unwrap()
            ),
        );
        let err = load_key_file(&two).unwrap_err().to_string();
        assert!(err.contains("bundle.pem PEM block 2 (PUBLIC KEY)"), "{err}");
    }

    #[test]
    fn a_certificate_chain_uses_the_first_certificate() {
        let chain = [fixture("ec256.crt"), fixture("rsa2048.crt")]
            .map(|p| std::fs::read_to_string(p).unwrap())
            .concat();
        let set = KeySet::from_pem(chain.as_bytes(), "chain.pem").unwrap();
        assert_eq!(only(&set).thumbprint, thumbprint("ec256"));
        assert_eq!(set.skipped.len(), 1);
        assert!(set.warnings()[0].contains("only the first certificate"));
    }

    #[test]
    fn thumbprint_is_independent_of_leading_zeros_and_padding() {
        let set = load("jwks.json");
        let rsa = &set.keys[2];
        let PublicKeyMaterial::Rsa { n, .. } = &rsa.material else {
            panic!("rsa")
        };
        let padded = format!(
            r#"{{"kty":"RSA","n":"{}==","e":"AAEAAQ"}}"#,
            b64url(&[&[0u8][..], n].concat())
        );
        let again = KeySet::from_jwk_json(padded.as_bytes(), "padded").unwrap();
        assert_eq!(only(&again).thumbprint, thumbprint("rsa2048"));
    }
}
