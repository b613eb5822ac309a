//! Where private keys live. `file`: one PKCS#8 PEM file per key,
//! `<kid>.key.pem`, 0600, in the issuer's 0700 key directory, written
//! atomically and fsync'd before the journal names the key. `aws-kms`:
//! see kms.rs; [`Backend`] is the one door the engine uses.

use std::path::{Path, PathBuf};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair,
};
use jiff::Timestamp;

use super::RotateError;
use super::keyset::{KeyRecord, NewKey};
use super::store::{TEMP_PREFIX, atomic_write, check_private_file, remove_durably};
use crate::registry::SigningAlgorithm;
use crate::token::keys::Algorithm;
use crate::token::sign::{SigningKey, public_jwk};

pub const KEY_SUFFIX: &str = ".key.pem";

/// The jsonwebtoken algorithm of a registry algorithm.
pub fn jwt_alg(alg: SigningAlgorithm) -> Algorithm {
    match alg {
        SigningAlgorithm::ES256 => Algorithm::ES256,
        SigningAlgorithm::ES384 => Algorithm::ES384,
        SigningAlgorithm::RS256 => Algorithm::RS256,
        SigningAlgorithm::PS256 => Algorithm::PS256,
        SigningAlgorithm::EdDSA => Algorithm::EdDSA,
    }
}

/// A freshly generated private key as PKCS#8 DER.
pub fn generate_pkcs8(alg: SigningAlgorithm) -> Result<Vec<u8>, RotateError> {
    let fail = |what: &str| RotateError::Operational(format!("cannot generate {what} key"));
    Ok(match alg {
        SigningAlgorithm::ES256 => EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .and_then(|k| k.to_pkcs8v1())
            .map_err(|_| fail("an EC P-256"))?
            .as_ref()
            .to_vec(),
        SigningAlgorithm::ES384 => EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING)
            .and_then(|k| k.to_pkcs8v1())
            .map_err(|_| fail("an EC P-384"))?
            .as_ref()
            .to_vec(),
        SigningAlgorithm::RS256 | SigningAlgorithm::PS256 => {
            aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048)
                .and_then(|k| k.as_der())
                .map_err(|_| fail("an RSA 2048-bit"))?
                .as_ref()
                .to_vec()
        }
        SigningAlgorithm::EdDSA => Ed25519KeyPair::generate()
            .and_then(|k| k.to_pkcs8v1())
            .map_err(|_| fail("an Ed25519"))?
            .as_ref()
            .to_vec(),
    })
}

/// The kid of a new key: its creation date and the start of its thumbprint,
/// readable in logs and unique.
pub fn new_kid(now: Timestamp, thumbprint: &str) -> String {
    let date = now.strftime("%Y%m%d");
    let short: String = thumbprint.chars().take(12).collect();
    format!("{date}-{short}")
}

/// Private keys in files.
#[derive(Debug, Clone)]
pub struct FileBackend {
    dir: PathBuf,
}

impl FileBackend {
    pub fn new(dir: impl Into<PathBuf>) -> FileBackend {
        FileBackend { dir: dir.into() }
    }

    pub fn key_path(&self, kid: &str) -> PathBuf {
        self.dir.join(format!("{kid}{KEY_SUFFIX}"))
    }

    /// Generates a key, writes it 0600 atomically and durably, and returns
    /// its kid and public half. The file exists before any journal entry
    /// names the key.
    pub fn generate(
        &self,
        alg: SigningAlgorithm,
        now: Timestamp,
    ) -> Result<(String, NewKey), RotateError> {
        let der = generate_pkcs8(alg)?;
        let pem = pem::encode(&pem::Pem::new("PRIVATE KEY", der));
        let key = SigningKey::from_pem(pem.as_bytes(), "new key")
            .map_err(|e| RotateError::Operational(format!("a generated key is unusable: {e}")))?;
        let kid = new_kid(now, key.thumbprint());
        let key = key
            .with_kid(&kid)
            .with_alg(jwt_alg(alg))
            .map_err(|e| RotateError::Operational(e.to_string()))?;
        let path = self.key_path(&kid);
        if path.exists() {
            return Err(RotateError::Operational(format!(
                "{}: a key file with this kid exists already",
                path.display()
            )));
        }
        atomic_write(&path, pem.as_bytes(), 0o600, TEMP_PREFIX).map_err(|e| {
            RotateError::Operational(format!(
                "cannot write {}: {}",
                path.display(),
                super::store::plain(&e)
            ))
        })?;
        let thumbprint = key.thumbprint().to_owned();
        Ok((
            kid,
            NewKey {
                alg,
                thumbprint,
                public_jwk: public_jwk(&key),
                backend_ref: None,
            },
        ))
    }

    /// The private key of `rec`, checked: a 0600 regular file whose public
    /// half is the key the state records.
    pub fn signing_key(&self, rec: &KeyRecord) -> Result<SigningKey, RotateError> {
        let path = self.key_path(&rec.kid);
        if !path.exists() {
            return Err(RotateError::Input(format!(
                "{}: the private key of {} ({}) is missing; restore it from backup, or revoke it with `agentid rotate-keys emergency --revoke {}`",
                path.display(),
                rec.kid,
                rec.state,
                rec.kid
            )));
        }
        check_private_file(&path, "private key file")?;
        let key = SigningKey::from_pem_file(&path)
            .map_err(|e| RotateError::Input(format!("{e} (the private key of {})", rec.kid)))?;
        if key.thumbprint() != rec.thumbprint {
            return Err(RotateError::Input(format!(
                "{}: holds another key than {} (thumbprint {} where the state records {})",
                path.display(),
                rec.kid,
                key.thumbprint(),
                rec.thumbprint
            )));
        }
        key.with_kid(&rec.kid)
            .with_alg(jwt_alg(rec.alg))
            .map_err(|e| RotateError::Input(format!("{}: {e}", path.display())))
    }

    /// Checks a key that must have its private half: present, 0600, the right key.
    pub fn check(&self, rec: &KeyRecord) -> Result<(), RotateError> {
        self.signing_key(rec).map(|_| ())
    }

    pub fn has_file(&self, kid: &str) -> bool {
        std::fs::symlink_metadata(self.key_path(kid)).is_ok()
    }

    /// Destroys a private key file (gone already is fine).
    pub fn destroy(&self, kid: &str) -> Result<(), RotateError> {
        let path = self.key_path(kid);
        remove_durably(&path).map_err(|e| {
            RotateError::Operational(format!(
                "cannot remove {}: {}",
                path.display(),
                super::store::plain(&e)
            ))
        })
    }

    /// Key files no key of the state names (left by a run interrupted
    /// between writing the file and journaling the key): never signed, never
    /// published.
    pub fn orphans(&self, known: &[&str]) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(kid) = name.strip_suffix(KEY_SUFFIX)
                    && !known.contains(&kid)
                {
                    out.push(e.path());
                }
            }
        }
        out.sort();
        out
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Where an issuer's private keys live: files, or AWS KMS.
#[derive(Debug)]
pub enum Backend {
    File(FileBackend),
    Kms(Box<super::kms::KmsBackend>),
}

/// What signs for a key: a private key in memory, or KMS.
pub enum Signer<'a> {
    Local(SigningKey),
    Kms {
        backend: &'a super::kms::KmsBackend,
        rec: KeyRecord,
    },
}

impl Backend {
    pub fn of(cfg: &super::IssuerConfig) -> Result<Backend, RotateError> {
        Ok(match &cfg.backend {
            super::BackendConfig::File { dir } => Backend::File(FileBackend::new(dir)),
            super::BackendConfig::AwsKms(k) => {
                Backend::Kms(Box::new(super::kms::KmsBackend::new(k, &cfg.state_dir)?))
            }
        })
    }

    /// A new key: its kid and public half. Its private half exists (a
    /// durable file, or a KMS key) before any journal entry names it.
    pub fn generate(
        &self,
        alg: SigningAlgorithm,
        now: Timestamp,
    ) -> Result<(String, NewKey), RotateError> {
        match self {
            Backend::File(b) => b.generate(alg, now),
            Backend::Kms(b) => b.generate(alg, now),
        }
    }

    /// Checks a key that must be able to sign.
    pub fn check(&self, rec: &KeyRecord) -> Result<(), RotateError> {
        match self {
            Backend::File(b) => b.check(rec),
            Backend::Kms(b) => b.check(rec),
        }
    }

    /// Destroys the private half (file removed; KMS deletion scheduled).
    pub fn destroy(&self, rec: &KeyRecord) -> Result<(), RotateError> {
        match self {
            Backend::File(b) => b.destroy(&rec.kid),
            Backend::Kms(b) => b.destroy(rec),
        }
    }

    /// Whether the private half of a key the state marks destroyed is
    /// still there (an interrupted run).
    pub fn still_there(&self, rec: &KeyRecord) -> Result<bool, RotateError> {
        match self {
            Backend::File(b) => Ok(b.has_file(&rec.kid)),
            Backend::Kms(b) => b.pending_deletion(rec).map(|gone| !gone),
        }
    }

    /// What signs with `rec`'s key.
    pub fn signer(&self, rec: &KeyRecord) -> Result<Signer<'_>, RotateError> {
        match self {
            Backend::File(b) => b.signing_key(rec).map(Signer::Local),
            Backend::Kms(b) => {
                b.check(rec)?;
                Ok(Signer::Kms {
                    backend: b,
                    rec: rec.clone(),
                })
            }
        }
    }

    pub fn kms(&self) -> Option<&super::kms::KmsBackend> {
        match self {
            Backend::Kms(b) => Some(b),
            Backend::File(_) => None,
        }
    }

    pub fn file(&self) -> Option<&FileBackend> {
        match self {
            Backend::File(b) => Some(b),
            Backend::Kms(_) => None,
        }
    }
}
