//! Signing keys and minting tokens, for testing relying parties
//! (`agentid token sign`) and for `rotate-keys`.
//!
//! A key comes from PEM — PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY` or
//! PKCS#1 `RSA PRIVATE KEY` — or from a private JWK: EC P-256/P-384, RSA of
//! 2048 to 8192 bits, Ed25519. Its algorithm is inferred (ES256, ES384, RS256,
//! EdDSA); an RSA key may also sign RS384/RS512 and PS256/PS384/PS512 when
//! asked. On loading, the key signs a test message that its public half must
//! verify, so a private JWK whose `d` does not match its `x`/`y` (or `n`) is
//! refused before it mints anything.
//!
//! Signing is `jsonwebtoken`'s low-level signer with the aws-lc-rs backend
//! (see `keys.rs`); aws-lc-rs is also used directly, only to derive the public
//! half of EC and Ed25519 private keys and to normalise them to PKCS#8.

use std::path::Path;

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair,
    EcdsaSigningAlgorithm, Ed25519KeyPair, KeyPair as _,
};
use der::asn1::UintRef;
use der::{Decode as _, Encode as _};
use jsonwebtoken::EncodingKey;
use serde_json::{Map, Value};

use super::keys::{
    Algorithm, EcCurve, KeyError, KeyErrorKind, KeyFamily, OID_EC_PUBLIC_KEY, OID_ED25519,
    OID_RSA_ENCRYPTION, PublicKeyMaterial, VerificationKey, alg_name, b64_member, b64url, contains,
    ec_curve, key_needed, okp_curve, parse_json, provider, str_member, unsupported_key_oid,
};
use crate::duration::Duration;

/// How long a minted token lives when neither `--lifetime` nor the claims'
/// `exp` says.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// A private key that signs tokens.
#[derive(Debug, Clone)]
pub struct SigningKey {
    origin: String,
    encoding: EncodingKey,
    public: PublicKeyMaterial,
    alg: Algorithm,
    kid: String,
    thumbprint: String,
}

impl SigningKey {
    /// A private key file: PEM or a private JWK (sniffed).
    pub fn from_file(path: &Path) -> Result<SigningKey, KeyError> {
        let origin = path.display().to_string();
        let bytes = read(path, &origin)?;
        Self::parse(&bytes, &origin)
    }

    /// A PEM private key file.
    pub fn from_pem_file(path: &Path) -> Result<SigningKey, KeyError> {
        let origin = path.display().to_string();
        Self::from_pem(&read(path, &origin)?, &origin)
    }

    /// A private JWK file.
    pub fn from_jwk_file(path: &Path) -> Result<SigningKey, KeyError> {
        let origin = path.display().to_string();
        Self::from_jwk_json(&read(path, &origin)?, &origin)
    }

    /// PEM or a private JWK, sniffed from the first non-blank character.
    pub fn parse(bytes: &[u8], origin: &str) -> Result<SigningKey, KeyError> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Self::from_jwk_json(bytes, origin),
            None => Err(KeyErrorKind::NoKey("the file is empty".into()).at(origin)),
            _ => Self::from_pem(bytes, origin),
        }
    }

    /// One PEM private key: `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` (SEC1)
    /// or `RSA PRIVATE KEY` (PKCS#1). An `EC PARAMETERS` block beside it is
    /// ignored. Encrypted keys are refused with advice.
    pub fn from_pem(bytes: &[u8], origin: &str) -> Result<SigningKey, KeyError> {
        if contains(bytes, b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
            || contains(bytes, b"Proc-Type: 4,ENCRYPTED")
        {
            return Err(KeyErrorKind::Encrypted.at(origin));
        }
        if contains(bytes, b"-----BEGIN OPENSSH PRIVATE KEY-----") {
            return Err(KeyErrorKind::Unsupported(
                "an OpenSSH private key; convert a copy to PKCS#8 PEM with: ssh-keygen -p -m PKCS8 -f COPY"
                    .into(),
            )
            .at(origin));
        }
        let blocks = pem::parse_many(bytes).map_err(|e| {
            KeyErrorKind::Malformed(format!("not a valid PEM file: {e}")).at(origin)
        })?;
        let mut private = Vec::new();
        let mut other = Vec::new();
        for block in &blocks {
            match block.tag() {
                "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" => private.push(block),
                "EC PARAMETERS" => {}
                tag => other.push(tag.to_owned()),
            }
        }
        match private.as_slice() {
            [block] => Self::from_der(block.tag(), block.contents(), origin),
            [] if other.is_empty() => Err(KeyErrorKind::NoKey(
                "no PEM block (expected -----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY)"
                    .into(),
            )
            .at(origin)),
            [] => Err(KeyErrorKind::PublicOnly(format!(
                "holds {} but no private key; signing needs the private key",
                other.join(", ")
            ))
            .at(origin)),
            several => Err(KeyErrorKind::Malformed(format!(
                "holds {} private keys; give a file with exactly one",
                several.len()
            ))
            .at(origin)),
        }
    }

    fn from_der(tag: &str, der: &[u8], origin: &str) -> Result<SigningKey, KeyError> {
        let parts = match tag {
            "PRIVATE KEY" => parts_from_pkcs8(der),
            "EC PRIVATE KEY" => parts_from_sec1(der),
            _ => parts_from_pkcs1(der),
        };
        let (encoding, public) = parts.map_err(|kind| kind.at(origin))?;
        Self::assemble(encoding, public, None, None, origin)
    }

    /// A private JWK: EC (`d`, `x`, `y`), RSA (`n`, `e`, `d`, `p`, `q`, `dp`,
    /// `dq`, `qi`) or OKP Ed25519 (`d`, `x`). Its `kid` and `alg`, when
    /// present, become the key's.
    pub fn from_jwk_json(bytes: &[u8], origin: &str) -> Result<SigningKey, KeyError> {
        let value = parse_json(bytes, origin)?;
        let Some(jwk) = value.as_object() else {
            return Err(KeyErrorKind::Malformed("a JWK must be a JSON object".into()).at(origin));
        };
        if jwk.contains_key("keys") {
            return Err(KeyErrorKind::Malformed(
                "holds a JWK Set; signing needs a single private JWK".into(),
            )
            .at(origin));
        }
        let (encoding, public) = parts_from_jwk(jwk).map_err(|kind| kind.at(origin))?;
        let kid = str_member(jwk, "kid")
            .map_err(|kind| kind.at(origin))?
            .map(str::to_owned);
        let alg = match str_member(jwk, "alg").map_err(|kind| kind.at(origin))? {
            None => None,
            Some(alg) => Some(alg.parse::<Algorithm>().map_err(|_| {
                KeyErrorKind::Unsupported(format!(
                    "the key is published for alg {alg:?}, not one agentid signs with"
                ))
                .at(origin)
            })?),
        };
        Self::assemble(encoding, public, alg, kid, origin)
    }

    /// Settles the algorithm and kid, then proves the pair: a test message
    /// signed with the private half must verify with the public half.
    fn assemble(
        encoding: EncodingKey,
        public: PublicKeyMaterial,
        alg: Option<Algorithm>,
        kid: Option<String>,
        origin: &str,
    ) -> Result<SigningKey, KeyError> {
        let family = public.family();
        let alg = alg.unwrap_or(family.default_algorithm());
        if !signs_with(family, alg) {
            return Err(KeyErrorKind::Unsupported(format!(
                "the key is marked for {} but is {family}",
                alg_name(alg)
            ))
            .at(origin));
        }
        let message = b"agentid: signing key self-test";
        let signer = (provider().signer_factory)(&alg, &encoding).map_err(|e| {
            KeyErrorKind::Malformed(format!("unusable private key: {e}")).at(origin)
        })?;
        let signature = signer.try_sign(message).map_err(|e| {
            KeyErrorKind::Malformed(format!("the private key cannot sign: {e}")).at(origin)
        })?;
        let verifies = (provider().verifier_factory)(&alg, &public.decoding_key())
            .is_ok_and(|verifier| verifier.verify(message, &signature).is_ok());
        if !verifies {
            return Err(KeyErrorKind::Malformed(
                "the private and public halves of the key do not match".into(),
            )
            .at(origin));
        }
        let thumbprint = public.thumbprint();
        Ok(SigningKey {
            origin: origin.to_owned(),
            encoding,
            kid: kid.unwrap_or_else(|| thumbprint.clone()),
            thumbprint,
            public,
            alg,
        })
    }

    /// Signs with `alg` from now on (e.g. PS256 with an RSA key).
    pub fn with_alg(mut self, alg: Algorithm) -> Result<SigningKey, MintError> {
        check_alg(self.family(), alg)?;
        self.alg = alg;
        Ok(self)
    }

    /// Uses `kid` in headers and in the public JWK instead of the thumbprint.
    pub fn with_kid(mut self, kid: impl Into<String>) -> SigningKey {
        self.kid = kid.into();
        self
    }

    /// The file it came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn family(&self) -> KeyFamily {
        self.public.family()
    }

    /// The algorithm tokens are signed with unless another is asked for.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The kid put in headers: the JWK's `kid`, one set with
    /// [`with_kid`](Self::with_kid), or else the thumbprint.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// RFC 7638 SHA-256 thumbprint of the public half, base64url.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    pub fn public_material(&self) -> &PublicKeyMaterial {
        &self.public
    }

    /// The public half as a verification key, with this key's kid and alg
    /// and `use` = `sig`.
    pub fn verification_key(&self) -> VerificationKey {
        let mut key = VerificationKey::from_material(self.public.clone(), self.origin.clone());
        key.kid = Some(self.kid.clone());
        key.alg = Some(self.alg);
        key.use_ = Some("sig".into());
        key
    }
}

fn read(path: &Path, origin: &str) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|e| KeyErrorKind::Read(e).at(origin))
}

/// Whether a key of `family` signs `alg` here (no HMAC: `token sign` mints
/// with asymmetric keys only).
fn signs_with(family: KeyFamily, alg: Algorithm) -> bool {
    family != KeyFamily::Oct && family.fits(alg)
}

fn check_alg(family: KeyFamily, alg: Algorithm) -> Result<(), MintError> {
    if signs_with(family, alg) {
        return Ok(());
    }
    let allowed = match family {
        KeyFamily::Rsa { .. } => "RS256, RS384, RS512, PS256, PS384 or PS512",
        other => alg_name(other.default_algorithm()),
    };
    Err(MintError::AlgDoesNotFit {
        alg: alg_name(alg),
        needs: key_needed(alg),
        key: family,
        allowed,
    })
}

/// The public half of the public JWK of `key`: its `kty` and key members,
/// `kid`, `alg` and `use` = `sig`. No private member, ever.
pub fn public_jwk(key: &SigningKey) -> Value {
    key.verification_key().to_jwk()
}

// ---------------------------------------------------------------------------
// DER and JWK private keys → (jsonwebtoken key, public half)

type Parts = (EncodingKey, PublicKeyMaterial);

fn ecdsa_signing(curve: EcCurve) -> &'static EcdsaSigningAlgorithm {
    match curve {
        EcCurve::P256 => &ECDSA_P256_SHA256_FIXED_SIGNING,
        EcCurve::P384 => &ECDSA_P384_SHA384_FIXED_SIGNING,
    }
}

/// An aws-lc EC key pair as a PKCS#8 `EncodingKey` plus its public point.
fn ec_parts(curve: EcCurve, pair: &EcdsaKeyPair) -> Result<Parts, KeyErrorKind> {
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(|_| KeyErrorKind::Malformed("the EC key cannot be re-encoded".into()))?;
    let public = PublicKeyMaterial::ec_point(curve, pair.public_key().as_ref())
        .map_err(KeyErrorKind::Malformed)?;
    Ok((EncodingKey::from_ec_der(pkcs8.as_ref()), public))
}

fn ed25519_parts(pair: &Ed25519KeyPair) -> Result<Parts, KeyErrorKind> {
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(|_| KeyErrorKind::Malformed("the Ed25519 key cannot be re-encoded".into()))?;
    let public = PublicKeyMaterial::ed25519(pair.public_key().as_ref().to_vec())
        .map_err(KeyErrorKind::Malformed)?;
    Ok((EncodingKey::from_ed_der(pkcs8.as_ref()), public))
}

fn rejected(what: &str) -> impl Fn(aws_lc_rs::error::KeyRejected) -> KeyErrorKind + '_ {
    move |e| KeyErrorKind::Malformed(format!("not a valid {what}: {e}"))
}

fn parts_from_pkcs8(der: &[u8]) -> Result<Parts, KeyErrorKind> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid PKCS#8 private key: {e}")))?;
    match info.algorithm.oid {
        OID_EC_PUBLIC_KEY => {
            let curve_oid = info.algorithm.parameters_oid().map_err(|_| {
                KeyErrorKind::Unsupported("an EC key without a named curve is not supported".into())
            })?;
            let curve = EcCurve::from_oid(curve_oid).map_err(KeyErrorKind::Unsupported)?;
            let pair = EcdsaKeyPair::from_pkcs8(ecdsa_signing(curve), der)
                .map_err(rejected("EC private key"))?;
            ec_parts(curve, &pair)
        }
        OID_RSA_ENCRYPTION => parts_from_pkcs1(info.private_key.as_bytes()),
        OID_ED25519 => {
            let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .map_err(rejected("Ed25519 private key"))?;
            ed25519_parts(&pair)
        }
        other => Err(KeyErrorKind::Unsupported(unsupported_key_oid(other))),
    }
}

fn parts_from_sec1(der: &[u8]) -> Result<Parts, KeyErrorKind> {
    let key = sec1::EcPrivateKey::from_der(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid SEC1 EC private key: {e}")))?;
    let curve_oid = key
        .parameters
        .and_then(|p| p.named_curve())
        .ok_or_else(|| {
            KeyErrorKind::Unsupported(
                "an EC PRIVATE KEY without its named curve; convert it with: openssl pkey -in FILE"
                    .into(),
            )
        })?;
    let curve = EcCurve::from_oid(curve_oid).map_err(KeyErrorKind::Unsupported)?;
    let pair = EcdsaKeyPair::from_private_key_der(ecdsa_signing(curve), der)
        .map_err(rejected("EC private key"))?;
    ec_parts(curve, &pair)
}

fn parts_from_pkcs1(der: &[u8]) -> Result<Parts, KeyErrorKind> {
    let key = pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(der)
        .map_err(|e| KeyErrorKind::Malformed(format!("not a valid PKCS#1 RSA private key: {e}")))?;
    if key.other_prime_infos.is_some() {
        return Err(KeyErrorKind::Unsupported(
            "multi-prime RSA keys are not supported".into(),
        ));
    }
    let public = PublicKeyMaterial::rsa(key.modulus.as_bytes(), key.public_exponent.as_bytes())?;
    Ok((EncodingKey::from_rsa_der(der), public))
}

fn parts_from_jwk(jwk: &Map<String, Value>) -> Result<Parts, KeyErrorKind> {
    let kty = str_member(jwk, "kty")?
        .ok_or_else(|| KeyErrorKind::Malformed("a JWK needs a \"kty\" member".into()))?;
    if kty == "oct" {
        return Err(KeyErrorKind::Unsupported(
            "a symmetric (oct) key: agentid signs with asymmetric keys only \
             (ES256, ES384, RS256, PS256, EdDSA)"
                .into(),
        ));
    }
    if !jwk.contains_key("d") {
        return Err(KeyErrorKind::PublicOnly(
            "the JWK is a public key (no \"d\"); signing needs the private key".into(),
        ));
    }
    match kty {
        "EC" => {
            let crv = str_member(jwk, "crv")?
                .ok_or_else(|| KeyErrorKind::Malformed("an EC JWK needs \"crv\"".into()))?;
            let curve = ec_curve(crv)?;
            let public = PublicKeyMaterial::ec(curve, b64_member(jwk, "x")?, b64_member(jwk, "y")?)
                .map_err(KeyErrorKind::Malformed)?;
            let PublicKeyMaterial::Ec { x, y, .. } = &public else {
                unreachable!("PublicKeyMaterial::ec makes an EC key")
            };
            let d = fixed_len(b64_member(jwk, "d")?, curve.coordinate_len(), "d")?;
            let point = [&[0x04][..], x, y].concat();
            let pair =
                EcdsaKeyPair::from_private_key_and_public_key(ecdsa_signing(curve), &d, &point)
                    .map_err(|_| {
                        KeyErrorKind::Malformed(
                            "the EC private key \"d\" does not match \"x\"/\"y\"".into(),
                        )
                    })?;
            ec_parts(curve, &pair)
        }
        "RSA" => {
            if jwk.contains_key("oth") {
                return Err(KeyErrorKind::Unsupported(
                    "multi-prime RSA keys (\"oth\") are not supported".into(),
                ));
            }
            let members = ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
                .map(|name| b64_member(jwk, name).map_err(|_| name));
            if let Some(Err(name)) = members.iter().find(|m| m.is_err()) {
                return Err(KeyErrorKind::Unsupported(format!(
                    "an RSA private JWK needs n, e, d, p, q, dp, dq and qi; \"{name}\" is missing or not base64url"
                )));
            }
            let [n, e, d, p, q, dp, dq, qi] = members.map(|m| m.unwrap_or_default());
            let public = PublicKeyMaterial::rsa(&n, &e)?;
            let pkcs1 = pkcs1::RsaPrivateKey {
                modulus: uint(&n)?,
                public_exponent: uint(&e)?,
                private_exponent: uint(&d)?,
                prime1: uint(&p)?,
                prime2: uint(&q)?,
                exponent1: uint(&dp)?,
                exponent2: uint(&dq)?,
                coefficient: uint(&qi)?,
                other_prime_infos: None,
            }
            .to_der()
            .map_err(|e| KeyErrorKind::Malformed(format!("the RSA key cannot be encoded: {e}")))?;
            Ok((EncodingKey::from_rsa_der(&pkcs1), public))
        }
        "OKP" => {
            let crv = str_member(jwk, "crv")?
                .ok_or_else(|| KeyErrorKind::Malformed("an OKP JWK needs \"crv\"".into()))?;
            let super::keys::OkpCurve::Ed25519 = okp_curve(crv)?;
            let x = b64_member(jwk, "x")?;
            let d = fixed_len(b64_member(jwk, "d")?, 32, "d")?;
            let pair = Ed25519KeyPair::from_seed_and_public_key(&d, &x).map_err(|_| {
                KeyErrorKind::Malformed("the Ed25519 private key \"d\" does not match \"x\"".into())
            })?;
            ed25519_parts(&pair)
        }
        other => Err(KeyErrorKind::Unsupported(format!(
            "key type {other:?} is not supported; EC, RSA and OKP are"
        ))),
    }
}

fn uint(bytes: &[u8]) -> Result<UintRef<'_>, KeyErrorKind> {
    UintRef::new(bytes)
        .map_err(|e| KeyErrorKind::Malformed(format!("an RSA member is not a valid integer: {e}")))
}

/// A private scalar at its full length (some writers drop leading zeros).
fn fixed_len(bytes: Vec<u8>, len: usize, name: &str) -> Result<Vec<u8>, KeyErrorKind> {
    if bytes.len() > len {
        return Err(KeyErrorKind::Malformed(format!(
            "\"{name}\" is {} bytes; at most {len} are expected",
            bytes.len()
        )));
    }
    let mut full = vec![0; len - bytes.len()];
    full.extend_from_slice(&bytes);
    Ok(full)
}

// ---------------------------------------------------------------------------
// Minting

/// What to mint besides the claims.
#[derive(Debug, Clone)]
pub struct MintOptions {
    /// Defaults to the key's algorithm.
    pub alg: Option<Algorithm>,
    /// Defaults to the key's kid (its JWK `kid`, or the RFC 7638 thumbprint).
    pub kid: Option<String>,
    /// The `typ` header; defaults to `JWT` (`at+jwt` for RFC 9068 tokens).
    pub typ: Option<String>,
    /// The time iat/nbf/exp are counted from.
    pub now: jiff::Timestamp,
    /// Sets `exp` = now + lifetime, overriding the claims' `exp`.
    pub lifetime: Option<Duration>,
    /// Replaces the claims' `aud`: one audience as a string, several as an
    /// array; empty leaves the claims' `aud` alone.
    pub audience: Vec<String>,
    /// Replaces the claims' `sub`.
    pub subject: Option<String>,
}

impl MintOptions {
    pub fn new(now: jiff::Timestamp) -> MintOptions {
        MintOptions {
            alg: None,
            kid: None,
            typ: None,
            now,
            lifetime: None,
            audience: Vec::new(),
            subject: None,
        }
    }
}

/// Why a token could not be minted. One line each.
#[derive(Debug, thiserror::Error)]
pub enum MintError {
    #[error("{alg} needs {needs}; this key is {key}, which signs {allowed}")]
    AlgDoesNotFit {
        alg: &'static str,
        needs: &'static str,
        key: KeyFamily,
        allowed: &'static str,
    },
    #[error("claims: {claim:?} must be a number of seconds since 1970 (a NumericDate), got {got}")]
    NotNumericDate { claim: &'static str, got: String },
    #[error("the token lifetime must be at least one second")]
    ZeroLifetime,
    #[error("signing failed: {0}")]
    Sign(String),
}

/// Mints a signed JWT (compact serialization).
///
/// The claims (from the claims file) are the base; flags override them:
/// `subject` replaces `sub`, a non-empty `audience` replaces `aud`, and
/// `lifetime` sets `exp` = now + lifetime. `iat` and `nbf` are set to now
/// unless the claims carry them; `exp` to now + [`DEFAULT_LIFETIME`] unless
/// the claims carry it or `lifetime` is given. Claims' iat/nbf/exp must be
/// numbers. The header is `{"alg", "kid", "typ": "JWT"}`.
pub fn mint(
    key: &SigningKey,
    claims: Map<String, Value>,
    opts: &MintOptions,
) -> Result<String, MintError> {
    mint_with_header(key, claims, opts, Map::new())
}

/// [`mint`], with more header members after `alg`, `kid` and `typ` (e.g.
/// `x5t#S256` naming the certificate of the key).
pub fn mint_with_header(
    key: &SigningKey,
    claims: Map<String, Value>,
    opts: &MintOptions,
    extra_header: Map<String, Value>,
) -> Result<String, MintError> {
    let alg = opts.alg.unwrap_or(key.alg);
    check_alg(key.family(), alg)?;
    mint_inner(alg, &key.kid, claims, opts, extra_header, |input| {
        let signer = (provider().signer_factory)(&alg, &key.encoding)
            .map_err(|e| MintError::Sign(e.to_string()))?;
        signer
            .try_sign(input)
            .map_err(|e| MintError::Sign(e.to_string()))
    })
}

/// Mints a token whose signature `sign` makes over the JWS signing input
/// (`header.payload`), returning the JWS signature bytes (for ECDSA the
/// fixed-width `r || s`): a key held elsewhere, such as in AWS KMS.
/// `kid` is the header's kid unless `opts.kid` says otherwise.
pub fn mint_with(
    alg: Algorithm,
    kid: &str,
    claims: Map<String, Value>,
    opts: &MintOptions,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, MintError>,
) -> Result<String, MintError> {
    mint_inner(alg, kid, claims, opts, Map::new(), sign)
}

fn mint_inner(
    alg: Algorithm,
    kid: &str,
    mut claims: Map<String, Value>,
    opts: &MintOptions,
    extra_header: Map<String, Value>,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, MintError>,
) -> Result<String, MintError> {
    for claim in ["iat", "nbf", "exp"] {
        if let Some(value) = claims.get(claim)
            && !value.is_number()
        {
            return Err(MintError::NotNumericDate {
                claim,
                got: value.to_string(),
            });
        }
    }
    let now = opts.now.as_second();
    let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    claims.entry("iat").or_insert(now.into());
    claims.entry("nbf").or_insert(now.into());
    match opts.lifetime {
        Some(lifetime) if lifetime.as_secs() == 0 => return Err(MintError::ZeroLifetime),
        Some(lifetime) => {
            claims.insert("exp".into(), now.saturating_add(seconds(lifetime)).into());
        }
        None => {
            claims
                .entry("exp")
                .or_insert(now.saturating_add(seconds(DEFAULT_LIFETIME)).into());
        }
    }
    if let Some(subject) = &opts.subject {
        claims.insert("sub".into(), subject.clone().into());
    }
    match opts.audience.as_slice() {
        [] => {}
        [one] => {
            claims.insert("aud".into(), one.clone().into());
        }
        several => {
            claims.insert("aud".into(), several.to_vec().into());
        }
    }

    let mut header = Map::new();
    header.insert("alg".into(), alg_name(alg).into());
    header.insert(
        "kid".into(),
        opts.kid.clone().unwrap_or_else(|| kid.to_owned()).into(),
    );
    header.insert(
        "typ".into(),
        opts.typ.clone().unwrap_or_else(|| "JWT".into()).into(),
    );
    for (name, value) in extra_header {
        header.entry(name).or_insert(value);
    }
    let encode = |map: Map<String, Value>| {
        serde_json::to_vec(&Value::Object(map))
            .map(|json| b64url(&json))
            .map_err(|e| MintError::Sign(e.to_string()))
    };
    let signing_input = format!("{}.{}", encode(header)?, encode(claims)?);
    let signature = sign(signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", b64url(&signature)))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::token::keys::{
        KeySet, Lookup, alg_allowed, b64url_decode, load_key_file, verify_signature,
    };

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keys")
            .join(name)
    }

    fn signing(name: &str) -> SigningKey {
        SigningKey::from_file(&fixture(name)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn thumbprint(name: &str) -> String {
        let all: Value =
            serde_json::from_slice(&std::fs::read(fixture("thumbprints.json")).unwrap()).unwrap();
        all[name].as_str().unwrap().to_owned()
    }

    fn now() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_800_000_000).unwrap()
    }

    fn claims(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    /// (header, claims, signing input, signature) of a compact JWT.
    fn split(token: &str) -> (Value, Value, String, Vec<u8>) {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        let json = |part: &str| -> Value {
            serde_json::from_slice(&b64url_decode(part).unwrap()).unwrap()
        };
        (
            json(parts[0]),
            json(parts[1]),
            format!("{}.{}", parts[0], parts[1]),
            b64url_decode(parts[2]).unwrap(),
        )
    }

    /// Verifies `token` with the key `find` picks from `set`, the way the
    /// verifier will: lookup by kid, alg check, then the signature.
    fn verifies(set: &KeySet, token: &str) -> bool {
        let (header, _, input, signature) = split(token);
        let alg = header["alg"].as_str().unwrap();
        let candidates = match set.find(header["kid"].as_str(), alg) {
            Lookup::Found(key) => vec![key],
            Lookup::Several(keys) => keys,
            other => panic!("{other:?}"),
        };
        candidates.into_iter().any(|key| {
            alg_allowed(key, alg)
                .is_ok_and(|alg| verify_signature(key, alg, input.as_bytes(), &signature))
        })
    }

    #[test]
    fn every_key_signs_and_every_public_form_verifies() {
        let jwks = load_key_file(&fixture("jwks.json")).unwrap();
        for (private, alg, public, thumb) in [
            ("ec256.pem", Algorithm::ES256, "ec256.pub.pem", "ec256"),
            ("ec256.sec1.pem", Algorithm::ES256, "ec256.crt", "ec256"),
            (
                "ec256.private.jwk.json",
                Algorithm::ES256,
                "ec256.pub.pem",
                "ec256",
            ),
            ("ec384.pem", Algorithm::ES384, "ec384.pub.pem", "ec384"),
            (
                "rsa2048.pem",
                Algorithm::RS256,
                "rsa2048.pub.pem",
                "rsa2048",
            ),
            (
                "rsa2048.pkcs1.pem",
                Algorithm::RS256,
                "rsa2048.crt",
                "rsa2048",
            ),
            (
                "ed25519.pem",
                Algorithm::EdDSA,
                "ed25519.pub.pem",
                "ed25519",
            ),
        ] {
            let key = signing(private);
            assert_eq!(key.algorithm(), alg, "{private}");
            assert_eq!(key.thumbprint(), thumbprint(thumb), "{private}");
            let token = mint(
                &key,
                claims(r#"{"iss":"https://issuer.test"}"#),
                &MintOptions::new(now()),
            )
            .unwrap();

            let pem = load_key_file(&fixture(public)).unwrap();
            assert!(verifies(&pem, &token), "{private} with {public}");
            let jwk =
                KeySet::from_jwk_json(public_jwk(&key).to_string().as_bytes(), "jwk").unwrap();
            assert!(verifies(&jwk, &token), "{private} with its public JWK");
            if key.kid() == thumbprint(thumb) {
                assert!(verifies(&jwks, &token), "{private} with jwks.json");
            }

            // tampered: signature, payload, header alg
            let (_, _, input, signature) = split(&token);
            let mut bad = signature.clone();
            *bad.last_mut().unwrap() ^= 1;
            let tampered = format!("{input}.{}", b64url(&bad));
            assert!(!verifies(&pem, &tampered), "{private}: tampered signature");
            let (header, _, _, _) = split(&token);
            let forged_claims = b64url(br#"{"iss":"https://issuer.test","admin":true}"#);
            let forged = format!(
                "{}.{forged_claims}.{}",
                b64url(header.to_string().as_bytes()),
                b64url(&signature)
            );
            assert!(!verifies(&pem, &forged), "{private}: tampered payload");
        }
        // the published single JWK (kid "ec256-jwk", alg ES256, use sig)
        let key = signing("ec256.pem").with_kid("ec256-jwk");
        let token = mint(&key, Map::new(), &MintOptions::new(now())).unwrap();
        assert!(verifies(
            &load_key_file(&fixture("ec256.jwk.json")).unwrap(),
            &token
        ));
    }

    #[test]
    fn rsa_keys_sign_every_rsa_alg_when_asked() {
        let public = load_key_file(&fixture("rsa2048.pub.pem")).unwrap();
        for alg in [
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
            Algorithm::RS384,
            Algorithm::RS512,
        ] {
            let key = signing("rsa2048.pem").with_alg(alg).unwrap();
            let token = mint(&key, Map::new(), &MintOptions::new(now())).unwrap();
            assert_eq!(split(&token).0["alg"], alg_name(alg));
            assert!(verifies(&public, &token), "{alg:?}");
        }
        let err = signing("rsa2048.pem")
            .with_alg(Algorithm::ES256)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ES256 needs an EC P-256 key; this key is RSA 2048-bit, which signs RS256, RS384, RS512, PS256, PS384 or PS512"
        );
        let err = signing("ec256.pem").with_alg(Algorithm::ES384).unwrap_err();
        assert!(err.to_string().contains("which signs ES256"), "{err}");
        let mut opts = MintOptions::new(now());
        opts.alg = Some(Algorithm::HS256);
        let err = mint(&signing("ec256.pem"), Map::new(), &opts).unwrap_err();
        assert!(matches!(err, MintError::AlgDoesNotFit { .. }), "{err}");
    }

    #[test]
    fn mint_sets_times_header_and_overrides() {
        let key = signing("ec256.pem");
        let t = now().as_second();

        let token = mint(
            &key,
            claims(r#"{"sub":"file","aud":"file-aud"}"#),
            &MintOptions::new(now()),
        )
        .unwrap();
        let (header, body, _, _) = split(&token);
        assert_eq!(
            header,
            serde_json::json!({"alg": "ES256", "kid": thumbprint("ec256"), "typ": "JWT"})
        );
        assert_eq!(body["iat"], t);
        assert_eq!(body["nbf"], t);
        assert_eq!(body["exp"], t + 900);
        assert_eq!(body["sub"], "file");
        assert_eq!(body["aud"], "file-aud");

        // the claims file's times stand unless --lifetime is given
        let file = claims(r#"{"iat": 100, "nbf": 200, "exp": 300}"#);
        let (_, body, _, _) = split(&mint(&key, file.clone(), &MintOptions::new(now())).unwrap());
        assert_eq!(
            (
                body["iat"].clone(),
                body["nbf"].clone(),
                body["exp"].clone()
            ),
            (100.into(), 200.into(), 300.into())
        );

        let mut opts = MintOptions::new(now());
        opts.lifetime = Some(Duration::from_secs(60));
        opts.subject = Some("flag".into());
        opts.audience = vec!["a".into(), "b".into()];
        opts.kid = Some("chosen".into());
        opts.typ = Some("at+jwt".into());
        let (header, body, _, _) = split(&mint(&key, file, &opts).unwrap());
        assert_eq!(body["exp"], t + 60);
        assert_eq!(body["iat"], 100);
        assert_eq!(body["sub"], "flag");
        assert_eq!(body["aud"], serde_json::json!(["a", "b"]));
        assert_eq!(header["kid"], "chosen");
        assert_eq!(header["typ"], "at+jwt");

        opts.audience = vec!["only".into()];
        let (_, body, _, _) = split(&mint(&key, Map::new(), &opts).unwrap());
        assert_eq!(body["aud"], "only");

        let err = mint(
            &key,
            claims(r#"{"exp": "tomorrow"}"#),
            &MintOptions::new(now()),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "claims: \"exp\" must be a number of seconds since 1970 (a NumericDate), got \"tomorrow\""
        );
        opts.lifetime = Some(Duration::from_secs(0));
        assert!(matches!(
            mint(&key, Map::new(), &opts),
            Err(MintError::ZeroLifetime)
        ));
    }

    #[test]
    fn private_jwk_keeps_its_kid_and_matches_the_pem() {
        let jwk = signing("ec256.private.jwk.json");
        assert_eq!(jwk.kid(), "ec256-private-jwk");
        assert_eq!(
            jwk.public_material(),
            signing("ec256.pem").public_material()
        );
        let token = mint(&jwk, Map::new(), &MintOptions::new(now())).unwrap();
        assert_eq!(split(&token).0["kid"], "ec256-private-jwk");
    }

    #[test]
    fn public_jwk_has_no_private_member() {
        for (file, kty) in [
            ("ec256.pem", "EC"),
            ("rsa2048.pem", "RSA"),
            ("ed25519.pem", "OKP"),
        ] {
            let key = signing(file);
            let jwk = public_jwk(&key);
            let members: Vec<&String> = jwk.as_object().unwrap().keys().collect();
            for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                assert!(
                    !members.iter().any(|m| *m == private),
                    "{file}: {members:?}"
                );
            }
            assert_eq!(jwk["kty"], kty);
            assert_eq!(jwk["use"], "sig");
            assert_eq!(jwk["kid"], key.thumbprint());
            assert_eq!(jwk["alg"], alg_name(key.algorithm()));
        }
        let rotated = signing("rsa2048.pem")
            .with_alg(Algorithm::PS256)
            .unwrap()
            .with_kid("2026-11");
        let jwk = public_jwk(&rotated);
        assert_eq!(
            (jwk["kid"].as_str(), jwk["alg"].as_str()),
            (Some("2026-11"), Some("PS256"))
        );
    }

    #[test]
    fn unusable_private_keys_name_the_file_and_the_fault() {
        for (file, expected) in [
            (
                "ec256.encrypted.pem",
                "encrypted private keys are not supported; decrypt with openssl first",
            ),
            (
                "rsa2048.encrypted.pem",
                "encrypted private keys are not supported",
            ),
            (
                "rsa1024.pem",
                "RSA key of 1024 bits is refused: at least 2048 bits are required",
            ),
            (
                "ec256.pub.pem",
                "holds PUBLIC KEY but no private key; signing needs the private key",
            ),
            ("ec256.crt", "holds CERTIFICATE but no private key"),
            ("ec256.jwk.json", "the JWK is a public key (no \"d\")"),
            (
                "jwks.json",
                "holds a JWK Set; signing needs a single private JWK",
            ),
        ] {
            let err = SigningKey::from_file(&fixture(file))
                .expect_err(file)
                .to_string();
            assert!(
                err.starts_with(&fixture(file).display().to_string()),
                "{err}"
            );
            assert!(err.contains(expected), "{file}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
        let err = SigningKey::from_file(&fixture("nope.pem"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope.pem: cannot read the key file"), "{err}");
    }

    #[test]
    fn mismatched_or_broken_private_jwks_are_refused() {
        let jwk: Value =
            serde_json::from_slice(&std::fs::read(fixture("ec256.private.jwk.json")).unwrap())
                .unwrap();
        let mut wrong = jwk.clone();
        wrong["d"] = b64url(&[7u8; 32]).into();
        let err = SigningKey::from_jwk_json(wrong.to_string().as_bytes(), "wrong.jwk").unwrap_err();
        assert_eq!(
            err.to_string(),
            "wrong.jwk: the EC private key \"d\" does not match \"x\"/\"y\""
        );
        let mut oct = serde_json::json!({"kty": "oct", "k": "c2VjcmV0"});
        let err = SigningKey::from_jwk_json(oct.to_string().as_bytes(), "oct.jwk").unwrap_err();
        assert!(err.to_string().contains("asymmetric keys only"), "{err}");
        oct = serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"});
        let err = SigningKey::from_jwk_json(oct.to_string().as_bytes(), "rsa.jwk").unwrap_err();
        assert!(err.to_string().contains("\"p\" is missing"), "{err}");
        let mut marked = jwk;
        marked["alg"] = "RS256".into();
        let err = SigningKey::from_jwk_json(marked.to_string().as_bytes(), "m.jwk").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.jwk: the key is marked for RS256 but is EC P-256"
        );
    }

    #[test]
    fn an_rsa_private_jwk_signs() {
        // the RSA key as a private JWK, built from its PKCS#1 numbers
        let pem = std::fs::read(fixture("rsa2048.pkcs1.pem")).unwrap();
        let der = pem::parse(&pem).unwrap().into_contents();
        let key = pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(&der).unwrap();
        let b = |u: UintRef<'_>| b64url(u.as_bytes());
        let jwk = serde_json::json!({
            "kty": "RSA", "kid": "rsa-jwk",
            "n": b(key.modulus), "e": b(key.public_exponent), "d": b(key.private_exponent),
            "p": b(key.prime1), "q": b(key.prime2), "dp": b(key.exponent1),
            "dq": b(key.exponent2), "qi": b(key.coefficient),
        });
        let signing = SigningKey::from_jwk_json(jwk.to_string().as_bytes(), "rsa.jwk").unwrap();
        assert_eq!(signing.thumbprint(), thumbprint("rsa2048"));
        let token = mint(&signing, Map::new(), &MintOptions::new(now())).unwrap();
        let public = load_key_file(&fixture("rsa2048.pub.pem")).unwrap();
        assert!(verifies(&public, &token));
    }
}
