//! Backend `aws-kms`: the private halves live in AWS KMS and never leave it.
//!
//! - a new key: CreateKey (ECC_NIST_P256 for ES256, ECC_NIST_P384 for
//!   ES384, RSA_2048 for RS256/PS256; KeyUsage SIGN_VERIFY), tagged with the
//!   issuer and its URL; GetPublicKey (DER SubjectPublicKeyInfo) gives the
//!   public JWK and thumbprint, hence the kid, which is then tagged too
//!   (`agentid:kid`) and, with `alias_prefix`, made an alias;
//! - signing: Sign with MessageType RAW over the JWS signing input (KMS
//!   hashes it; `DIGEST` is avoided, see docs/rotate-keys.md), ECDSA's DER
//!   signature converted to the JWS `r || s`;
//! - destroying: ScheduleKeyDeletion with the issuer's waiting period (7 to
//!   30 days, during which it can still be cancelled in KMS); a key created
//!   by a run interrupted before it journaled it is found in the state
//!   directory's `kms-created.log` and its deletion scheduled by the next run;
//! - checking (before a key signs, and in `status`): DescribeKey says it is
//!   enabled, and GetPublicKey still gives the public key the state records.
//!
//! State (the keyset, journal, lock) stays in the issuer's state directory;
//! each key record names its KMS key ARN (`backend_ref`). Every call goes
//! through the official AWS SDK, so the usual credential chain applies; an
//! access denial exits 3 naming the KMS permission that is missing.

use aws_sdk_kms::error::ProvideErrorMetadata;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeySpec, KeyUsageType, MessageType, SigningAlgorithmSpec, Tag};
use der::asn1::UintRef;
use der::{Decode as _, Reader as _};
use jiff::Timestamp;

use super::RotateError;
use super::backend::{jwt_alg, new_kid};
use super::keyset::{KeyRecord, NewKey};
use super::publish::{aws_error, runtime};
use super::{KmsConfig, alg_name};
use crate::registry::SigningAlgorithm;
use crate::token::keys::{VerificationKey, material_from_spki_der};

pub const TAG_ISSUER: &str = "agentid:issuer";
pub const TAG_ISSUER_URL: &str = "agentid:issuer-url";
pub const TAG_KID: &str = "agentid:kid";

/// The file in the state directory naming every KMS key created, written
/// right after CreateKey: a run interrupted before the journal names the key
/// leaves it here, and the next run schedules its deletion.
pub const CREATED_LOG: &str = "kms-created.log";

/// Keys in KMS, through one client.
pub struct KmsBackend {
    cfg: KmsConfig,
    created_log: std::path::PathBuf,
    rt: tokio::runtime::Runtime,
    client: aws_sdk_kms::Client,
}

impl std::fmt::Debug for KmsBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KmsBackend(issuer {})", self.cfg.issuer)
    }
}

/// The KMS key spec and signing algorithm of a JWS algorithm.
pub fn kms_specs(alg: SigningAlgorithm) -> Option<(KeySpec, SigningAlgorithmSpec)> {
    Some(match alg {
        SigningAlgorithm::ES256 => (KeySpec::EccNistP256, SigningAlgorithmSpec::EcdsaSha256),
        SigningAlgorithm::ES384 => (KeySpec::EccNistP384, SigningAlgorithmSpec::EcdsaSha384),
        SigningAlgorithm::RS256 => (KeySpec::Rsa2048, SigningAlgorithmSpec::RsassaPkcs1V15Sha256),
        SigningAlgorithm::PS256 => (KeySpec::Rsa2048, SigningAlgorithmSpec::RsassaPssSha256),
        SigningAlgorithm::EdDSA => return None,
    })
}

fn unsupported(alg: SigningAlgorithm) -> RotateError {
    RotateError::Input(format!(
        "backend aws-kms signs ES256, ES384, RS256 or PS256, not {}; use backend kind: file",
        alg_name(alg)
    ))
}

/// An ECDSA signature as KMS returns it (DER `SEQUENCE { r, s }`) in the
/// fixed-width `r || s` of JWS (RFC 7518 3.4), each `width` bytes.
pub fn ecdsa_der_to_jws(der: &[u8], width: usize) -> Result<Vec<u8>, String> {
    let any =
        der::asn1::AnyRef::from_der(der).map_err(|e| format!("not a DER ECDSA signature: {e}"))?;
    let (r, s) = any
        .sequence(|seq| {
            let r: UintRef<'_> = seq.decode()?;
            let s: UintRef<'_> = seq.decode()?;
            Ok((r, s))
        })
        .map_err(|e: der::Error| format!("not a DER ECDSA signature: {e}"))?;
    let mut out = vec![0u8; 2 * width];
    for (i, part) in [r.as_bytes(), s.as_bytes()].into_iter().enumerate() {
        if part.len() > width {
            return Err(format!(
                "an ECDSA signature component of {} bytes where {width} fit",
                part.len()
            ));
        }
        let end = (i + 1) * width;
        out[end - part.len()..end].copy_from_slice(part);
    }
    Ok(out)
}

impl KmsBackend {
    pub fn new(cfg: &KmsConfig, state_dir: &std::path::Path) -> Result<KmsBackend, RotateError> {
        if let Some(e) = &cfg.endpoint {
            crate::urls::require_https_or_loopback(e)
                .map_err(|why| RotateError::Input(format!("KMS endpoint: {why}")))?;
        }
        let rt = runtime()?;
        let timeouts =
            crate::http::aws_timeout_config().map_err(|e| RotateError::Input(e.to_string()))?;
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .timeout_config(timeouts)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(3));
        if let Some(r) = &cfg.region {
            loader = loader.region(aws_config::Region::new(r.clone()));
        }
        if let Some((id, secret)) = &cfg.test_credentials {
            loader = loader.credentials_provider(aws_sdk_kms::config::Credentials::new(
                id.clone(),
                secret.clone(),
                None,
                None,
                "agentid-test",
            ));
            if cfg.region.is_none() {
                loader = loader.region(aws_config::Region::new("us-east-1"));
            }
        }
        let sdk = rt.block_on(loader.load());
        let mut b = aws_sdk_kms::config::Builder::from(&sdk);
        if let Some(e) = &cfg.endpoint {
            b = b.endpoint_url(e);
        }
        Ok(KmsBackend {
            cfg: cfg.clone(),
            created_log: state_dir.join(CREATED_LOG),
            rt,
            client: aws_sdk_kms::Client::from_conf(b.build()),
        })
    }

    fn tag(key: &str, value: &str) -> Result<Tag, RotateError> {
        Tag::builder()
            .tag_key(key)
            .tag_value(value)
            .build()
            .map_err(|e| RotateError::Operational(format!("internal error: KMS tag: {e}")))
    }

    /// The public half of a KMS key, as a JWK with `kid`, `alg` and `use`.
    fn public_key(
        &self,
        key_id: &str,
        alg: SigningAlgorithm,
        kid: Option<&str>,
    ) -> Result<VerificationKey, RotateError> {
        let out = self
            .rt
            .block_on(self.client.get_public_key().key_id(key_id).send())
            .map_err(|e| aws_error(&e, "kms:GetPublicKey", key_id))?;
        let der = out.public_key().ok_or_else(|| {
            RotateError::Operational(format!(
                "kms:GetPublicKey on {key_id} returned no public key"
            ))
        })?;
        let material = material_from_spki_der(der.as_ref()).map_err(|e| {
            RotateError::Operational(format!(
                "kms:GetPublicKey on {key_id}: an unusable public key: {e}"
            ))
        })?;
        let mut key = VerificationKey::from_material(material, key_id.to_owned());
        key.kid = kid.map(str::to_owned);
        key.alg = Some(jwt_alg(alg));
        key.use_ = Some("sig".into());
        Ok(key)
    }

    /// Creates a key in KMS and returns its kid and public half; the KMS
    /// key exists (tagged with the issuer) before any journal entry names it.
    pub fn generate(
        &self,
        alg: SigningAlgorithm,
        now: Timestamp,
    ) -> Result<(String, NewKey), RotateError> {
        let (spec, _) = kms_specs(alg).ok_or_else(|| unsupported(alg))?;
        let created = self
            .rt
            .block_on(
                self.client
                    .create_key()
                    .key_spec(spec)
                    .key_usage(KeyUsageType::SignVerify)
                    .description(format!(
                        "agentid rotate-keys: {} signing key of issuer {} ({})",
                        alg_name(alg),
                        self.cfg.issuer,
                        self.cfg.issuer_url
                    ))
                    .tags(Self::tag(TAG_ISSUER, &self.cfg.issuer)?)
                    .tags(Self::tag(TAG_ISSUER_URL, &self.cfg.issuer_url)?)
                    .send(),
            )
            .map_err(|e| aws_error(&e, "kms:CreateKey", "a new key"))?;
        let meta = created.key_metadata().ok_or_else(|| {
            RotateError::Operational("kms:CreateKey returned no key metadata".into())
        })?;
        let key_ref = meta.arn().unwrap_or(meta.key_id()).to_owned();
        self.remember(&key_ref)?;
        let public = self.public_key(&key_ref, alg, None)?;
        let thumbprint = public.thumbprint.clone();
        let kid = new_kid(now, &thumbprint);
        self.rt
            .block_on(
                self.client
                    .tag_resource()
                    .key_id(&key_ref)
                    .tags(Self::tag(TAG_KID, &kid)?)
                    .send(),
            )
            .map_err(|e| aws_error(&e, "kms:TagResource", &key_ref))?;
        if let Some(prefix) = &self.cfg.alias_prefix {
            let alias = format!(
                "alias/{}/{}/{kid}",
                prefix.trim_end_matches('/'),
                self.cfg.issuer
            );
            self.rt
                .block_on(
                    self.client
                        .create_alias()
                        .alias_name(&alias)
                        .target_key_id(&key_ref)
                        .send(),
                )
                .map_err(|e| aws_error(&e, "kms:CreateAlias", &alias))?;
        }
        let mut public = public;
        public.kid = Some(kid.clone());
        Ok((
            kid,
            NewKey {
                alg,
                thumbprint,
                public_jwk: public.to_jwk(),
                backend_ref: Some(key_ref),
            },
        ))
    }

    /// Appends a created key's ARN to the created log, durably.
    fn remember(&self, key_ref: &str) -> Result<(), RotateError> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let fail = |e: std::io::Error| {
            RotateError::Operational(format!(
                "created KMS key {key_ref}, but cannot record it in {}: {} (schedule its deletion in KMS; it never signed)",
                self.created_log.display(),
                super::store::plain(&e)
            ))
        };
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.created_log)
            .map_err(fail)?;
        f.write_all(format!("{key_ref}\n").as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(fail)
    }

    /// KMS keys the created log names that no key of the state does: made
    /// by a run interrupted before it journaled them (never published,
    /// never used to sign).
    pub fn orphans(&self, known: &[&str]) -> Vec<String> {
        let text = std::fs::read_to_string(&self.created_log).unwrap_or_default();
        let mut out: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !known.contains(l))
            .map(str::to_owned)
            .collect();
        out.dedup();
        out
    }

    /// Whether the created log holds anything.
    pub fn has_created_log(&self) -> bool {
        std::fs::metadata(&self.created_log).is_ok_and(|m| m.len() > 0)
    }

    /// Schedules the deletion of a key no state names.
    pub fn destroy_orphan(&self, key_ref: &str) -> Result<(), RotateError> {
        self.destroy_ref(key_ref)
    }

    /// Empties the created log once every key in it is named by the state
    /// or scheduled for deletion.
    pub fn clear_created_log(&self) -> Result<(), RotateError> {
        super::store::atomic_write(&self.created_log, b"", 0o600, super::store::TEMP_PREFIX)
            .map_err(|e| {
                RotateError::Operational(format!(
                    "cannot rewrite {}: {}",
                    self.created_log.display(),
                    super::store::plain(&e)
                ))
            })
    }

    fn key_ref<'a>(&self, rec: &'a KeyRecord) -> Result<&'a str, RotateError> {
        rec.backend_ref.as_deref().ok_or_else(|| {
            RotateError::Input(format!(
                "key {} names no KMS key (backend_ref) in the state file: was the issuer's backend changed from file to aws-kms? Keep its backend, or start a new issuer",
                rec.kid
            ))
        })
    }

    /// A key that must be able to sign: enabled in KMS, and still the key
    /// the state records.
    pub fn check(&self, rec: &KeyRecord) -> Result<(), RotateError> {
        let key_ref = self.key_ref(rec)?;
        let out = self
            .rt
            .block_on(self.client.describe_key().key_id(key_ref).send())
            .map_err(|e| aws_error(&e, "kms:DescribeKey", key_ref))?;
        let meta = out.key_metadata().ok_or_else(|| {
            RotateError::Operational(format!("kms:DescribeKey on {key_ref} returned no metadata"))
        })?;
        let state = meta.key_state().map(|s| s.as_str().to_owned());
        if !meta.enabled() || state.as_deref() != Some("Enabled") {
            return Err(RotateError::Operational(format!(
                "the KMS key {key_ref} of {} ({}) cannot sign: KMS says it is {}; enable it in KMS (or cancel its deletion), or revoke it with `agentid rotate-keys emergency --revoke {}`",
                rec.kid,
                rec.state,
                state.as_deref().unwrap_or("disabled"),
                rec.kid
            )));
        }
        let public = self.public_key(key_ref, rec.alg, Some(&rec.kid))?;
        if public.thumbprint != rec.thumbprint {
            return Err(RotateError::Input(format!(
                "the KMS key {key_ref} holds another key than {} (thumbprint {} where the state records {})",
                rec.kid, public.thumbprint, rec.thumbprint
            )));
        }
        Ok(())
    }

    /// Signs the JWS signing input with the key of `rec`; returns the JWS
    /// signature bytes.
    pub fn sign(&self, rec: &KeyRecord, input: &[u8]) -> Result<Vec<u8>, RotateError> {
        let key_ref = self.key_ref(rec)?;
        let (_, algorithm) = kms_specs(rec.alg).ok_or_else(|| unsupported(rec.alg))?;
        let out = self
            .rt
            .block_on(
                self.client
                    .sign()
                    .key_id(key_ref)
                    .message(Blob::new(input))
                    .message_type(MessageType::Raw)
                    .signing_algorithm(algorithm)
                    .send(),
            )
            .map_err(|e| aws_error(&e, "kms:Sign", key_ref))?;
        let sig = out
            .signature()
            .ok_or_else(|| {
                RotateError::Operational(format!("kms:Sign on {key_ref} returned no signature"))
            })?
            .as_ref();
        let fixed = |width| {
            ecdsa_der_to_jws(sig, width)
                .map_err(|e| RotateError::Operational(format!("kms:Sign on {key_ref}: {e}")))
        };
        match rec.alg {
            SigningAlgorithm::ES256 => fixed(32),
            SigningAlgorithm::ES384 => fixed(48),
            _ => Ok(sig.to_vec()),
        }
    }

    /// Schedules the key's deletion (its private half is gone after the
    /// waiting period). A key already pending deletion, or gone, is fine.
    pub fn destroy(&self, rec: &KeyRecord) -> Result<(), RotateError> {
        self.destroy_ref(self.key_ref(rec)?)
    }

    fn destroy_ref(&self, key_ref: &str) -> Result<(), RotateError> {
        // The bare key id: KMS takes an id or an ARN, but moto_server 5.2.5
        // fails (HTTP 500) on an ARN here.
        let key_id = key_ref.rsplit_once(":key/").map_or(key_ref, |(_, id)| id);
        let result = self.rt.block_on(
            self.client
                .schedule_key_deletion()
                .key_id(key_id)
                .pending_window_in_days(self.cfg.deletion_window_days)
                .send(),
        );
        match result {
            Ok(_) => Ok(()),
            Err(e) => {
                let code = e.as_service_error().and_then(|s| s.code());
                if code == Some("NotFoundException")
                    || (code == Some("KMSInvalidStateException")
                        && self.pending_deletion_ref(key_ref).unwrap_or(false))
                {
                    Ok(())
                } else {
                    Err(aws_error(&e, "kms:ScheduleKeyDeletion", key_ref))
                }
            }
        }
    }

    /// Whether KMS has the key scheduled for deletion (or deleted) already.
    pub fn pending_deletion(&self, rec: &KeyRecord) -> Result<bool, RotateError> {
        self.pending_deletion_ref(self.key_ref(rec)?)
    }

    fn pending_deletion_ref(&self, key_ref: &str) -> Result<bool, RotateError> {
        match self
            .rt
            .block_on(self.client.describe_key().key_id(key_ref).send())
        {
            Ok(out) => Ok(out
                .key_metadata()
                .and_then(|m| m.key_state())
                .is_some_and(|s| {
                    matches!(
                        s.as_str(),
                        "PendingDeletion" | "PendingReplicaDeletion" | "Unavailable"
                    )
                })),
            Err(e) if e.as_service_error().and_then(|s| s.code()) == Some("NotFoundException") => {
                Ok(true)
            }
            Err(e) => Err(aws_error(&e, "kms:DescribeKey", key_ref)),
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "AWS KMS{}",
            self.cfg
                .region
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_der_signatures_become_fixed_width() {
        // r with a leading 0x00 (high bit set), s short: both padded to 32.
        let mut r = vec![0x00, 0x80];
        r.extend(std::iter::repeat_n(0x11, 31));
        let s = vec![0x01, 0x02];
        let mut der = vec![0x30, (2 + r.len() + 2 + s.len()) as u8];
        der.extend([0x02, r.len() as u8]);
        der.extend(&r);
        der.extend([0x02, s.len() as u8]);
        der.extend(&s);
        let out = ecdsa_der_to_jws(&der, 32).expect("converts");
        assert_eq!(out.len(), 64);
        assert_eq!(&out[..32], &r[1..]);
        assert_eq!(&out[32..62], &[0u8; 30]);
        assert_eq!(&out[62..], &s[..]);
        assert!(ecdsa_der_to_jws(&der, 16).is_err(), "too wide for 16");
        assert!(ecdsa_der_to_jws(b"\x04\x02ab", 32).is_err());
    }
}
