//! Ed25519 signing of certificate claims. The key is generated on first run
//! and kept in the data directory (or given by configuration), so restarting
//! the server never invalidates printed certificates.

use crate::certificate::{CLAIMS_LEN, CertificateClaims, NumberPrefix, TOKEN_LEN};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Domain separation: a signature made for certificates means nothing elsewhere.
const CONTEXT: &[u8] = b"nimo-certificate-v1\0";

pub struct CertificateSigner {
    key: SigningKey,
    key_id: u8,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the signing key at {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the signing key must be 32 bytes, base64url encoded")]
    Malformed,
    #[error(
        "the certificate signing key at {path} is missing, but this database holds certificates signed with \
         public key {expected}. Restore that key file from your backup of DATA_DIR (or set CERTIFICATE_SIGNING_KEY \
         to it) and start again; a new key would make every printed certificate unverifiable."
    )]
    Missing { path: String, expected: String },
    #[error(
        "the certificate signing key ({source_of_key}) is not the one this database's certificates were signed \
         with: it has public key {found}, the certificates need {expected}. Restore the original key from your \
         backup of DATA_DIR (or set CERTIFICATE_SIGNING_KEY to it) and start again."
    )]
    Mismatch { source_of_key: String, expected: String, found: String },
    #[error("the signing key at {path} is damaged (not 32 bytes, base64url). Restore it from your backup of DATA_DIR.")]
    Damaged { path: String },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
}

impl CertificateSigner {
    #[must_use]
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let key = SigningKey::from_bytes(&seed);
        let key_id = Sha256::digest(key.verifying_key().as_bytes())[0];
        Self { key, key_id }
    }

    /// Parses a base64url seed (from `CERTIFICATE_SIGNING_KEY`).
    ///
    /// # Errors
    /// [`KeyError::Malformed`] unless it decodes to 32 bytes.
    pub fn from_base64(encoded: &str) -> Result<Self, KeyError> {
        let bytes = URL_SAFE_NO_PAD.decode(encoded.trim()).map_err(|_| KeyError::Malformed)?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_seed(seed))
    }

    /// Reads the key file, or creates it (readable by the owner only).
    /// Start-up uses [`open_guarded`], which refuses to create a key when
    /// certificates exist.
    ///
    /// # Errors
    /// The file cannot be read or written, or holds no valid key.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        match Self::read_file(path)? {
            Some(signer) => Ok(signer),
            None => Self::create_file(path),
        }
    }

    /// The key in `path`, or `None` when there is no such file.
    ///
    /// # Errors
    /// The file exists but cannot be read, or holds no valid key.
    pub fn read_file(path: &Path) -> Result<Option<Self>, KeyError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::from_base64(&text).map(Some).map_err(|_| KeyError::Damaged { path: path.display().to_string() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io { path: path.display().to_string(), source }),
        }
    }

    /// Generates a key into a new file readable by the owner only.
    ///
    /// # Errors
    /// The file cannot be written (or already exists).
    pub fn create_file(path: &Path) -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
        let encoded = URL_SAFE_NO_PAD.encode(seed);
        write_private(path, &encoded).map_err(|source| KeyError::Io { path: path.display().to_string(), source })?;
        Ok(Self::from_seed(seed))
    }

    #[must_use]
    pub fn key_id(&self) -> u8 {
        self.key_id
    }

    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key, base64url, as published at the well-known URL.
    #[must_use]
    pub fn public_key_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }

    /// Signs `bytes` for another purpose than certificates; `context`
    /// separates the purposes, so a signature made for one means nothing
    /// for another (or for a certificate).
    #[must_use]
    pub fn sign_for(&self, context: &[u8], bytes: &[u8]) -> [u8; 64] {
        self.key.sign(&[context, bytes].concat()).to_bytes()
    }

    /// Whether `signature` is this key's over `bytes` for `context`.
    #[must_use]
    pub fn verify_for(&self, context: &[u8], bytes: &[u8], signature: &[u8]) -> bool {
        Signature::from_slice(signature)
            .is_ok_and(|s| self.key.verifying_key().verify(&[context, bytes].concat(), &s).is_ok())
    }

    /// Signs claims into the token a QR code carries (100 characters).
    #[must_use]
    pub fn sign(&self, claims: &CertificateClaims) -> String {
        let claims = CertificateClaims { key_id: self.key_id, ..*claims };
        let bytes = claims.to_bytes();
        let signature = self.key.sign(&message(&bytes));
        let mut token = Vec::with_capacity(TOKEN_LEN);
        token.extend_from_slice(&bytes);
        token.extend_from_slice(&signature.to_bytes());
        URL_SAFE_NO_PAD.encode(token)
    }

    /// Checks a token's signature and returns its claims; `None` for
    /// anything else, whatever the input. `prefix_of` names the number
    /// prefix of the programme a certificate code stands for (from content).
    #[must_use]
    pub fn verify(&self, token: &str, prefix_of: impl Fn(u8) -> Option<NumberPrefix>) -> Option<CertificateClaims> {
        let claims = self.signed_claims(token)?;
        let claims = CertificateClaims::from_bytes(&claims, prefix_of)?;
        (claims.key_id == self.key_id).then_some(claims)
    }

    /// Whether this key signed `token`, whatever its claims say.
    #[must_use]
    pub fn signed(&self, token: &str) -> bool {
        self.signed_claims(token).is_some()
    }

    /// The claim bytes of a token this key signed.
    fn signed_claims(&self, token: &str) -> Option<[u8; CLAIMS_LEN]> {
        if token.len() != TOKEN_LEN / 3 * 4 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let (claims, signature) = bytes.split_at_checked(CLAIMS_LEN)?;
        let claims: [u8; CLAIMS_LEN] = claims.try_into().ok()?;
        let signature = Signature::from_slice(signature).ok()?;
        self.key.verifying_key().verify(&message(&claims), &signature).ok()?;
        Some(claims)
    }
}

/// Opens the signing key for a database, refusing any key that would break
/// certificates already issued:
/// - the key given by configuration, or else the key file at `key_path`;
/// - no file: a new key only if the database has no certificate and no
///   recorded key (logged at WARN with where it was written), otherwise
///   `Missing`;
/// - a key whose public key is not the one recorded: `Mismatch`; a
///   database from before keys were recorded is checked against its latest
///   certificate's token instead.
///
/// The key in use is recorded on first use.
///
/// # Errors
/// See [`KeyError`]; every one must stop start-up.
pub async fn open_guarded(
    db: &sea_orm::DatabaseConnection,
    configured: Option<&str>,
    key_path: &Path,
) -> Result<CertificateSigner, KeyError> {
    use crate::store::{
        db as store,
        entity::{certificate, signing_key},
    };
    use sea_orm::{EntityTrait, QueryOrder, Set};
    let recorded = signing_key::Entity::find().order_by_desc(signing_key::Column::Id).one(db).await?;
    let latest_certificate = certificate::Entity::find().order_by_desc(certificate::Column::Id).one(db).await?;
    let source_of_key =
        if configured.is_some() { "CERTIFICATE_SIGNING_KEY".to_owned() } else { key_path.display().to_string() };
    let signer = match configured {
        Some(encoded) => CertificateSigner::from_base64(encoded)?,
        None => match CertificateSigner::read_file(key_path)? {
            Some(signer) => signer,
            None => {
                if let Some(recorded) = &recorded {
                    return Err(KeyError::Missing {
                        path: key_path.display().to_string(),
                        expected: recorded.public_key.clone(),
                    });
                }
                if latest_certificate.is_some() {
                    return Err(KeyError::Missing {
                        path: key_path.display().to_string(),
                        expected: "(not recorded: the key that signed the existing certificates)".into(),
                    });
                }
                let signer = CertificateSigner::create_file(key_path)?;
                tracing::warn!(
                    path = %key_path.display(),
                    public_key = %signer.public_key_base64(),
                    "generated a new certificate signing key for this empty database: back this file up now; \
                     without it no certificate issued from here on can be verified"
                );
                signer
            }
        },
    };
    let found = signer.public_key_base64();
    match recorded {
        Some(recorded) if recorded.public_key == found => return Ok(signer),
        Some(recorded) => return Err(KeyError::Mismatch { source_of_key, expected: recorded.public_key, found }),
        None => {}
    }
    // A database from before keys were recorded: the key must verify the
    // certificates it holds.
    if let Some(latest) = latest_certificate
        && !signer.signed(&latest.token)
    {
        return Err(KeyError::Mismatch {
            source_of_key,
            expected: format!("the key that signed certificate {}", latest.number),
            found,
        });
    }
    let txn = store::begin_write(db).await?;
    store::insert(
        &txn,
        signing_key::ActiveModel {
            key_id: Set(i32::from(signer.key_id())),
            public_key: Set(found),
            first_used_at: Set(chrono::Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(signer)
}

fn message(claims: &[u8; CLAIMS_LEN]) -> Vec<u8> {
    [CONTEXT, claims.as_slice()].concat()
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if path.exists() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the key file exists"));
    }
    // Written beside, synced, then renamed into place and the folder synced:
    // a crash leaves either no key file or a whole one, never an empty file
    // that would stop every later start.
    let partial = path.with_extension("key.partial");
    let _ = std::fs::remove_file(&partial);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    if let Some(parent) = path.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::CertificateNumber;

    fn prefix(_code: u8) -> Option<NumberPrefix> {
        NumberPrefix::parse("KS").ok()
    }

    fn claims() -> CertificateClaims {
        CertificateClaims {
            programme_code: 1,
            number: CertificateNumber::new(prefix(1).unwrap_or_else(|| panic!("KS")), 2026, 0x12_3456_789A),
            completed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            key_id: 0,
        }
    }

    #[test]
    fn a_signed_token_verifies_and_every_single_change_is_refused() {
        let signer = CertificateSigner::from_seed([7; 32]);
        let token = signer.sign(&claims());
        assert_eq!(token.len(), 100);
        let verified = signer.verify(&token, prefix);
        assert_eq!(verified.map(|c| c.number), Some(claims().number));
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (i, original) in token.char_indices() {
            // Try a neighbour in the alphabet and one far away.
            for replacement in alphabet.chars().filter(|c| *c != original).step_by(31) {
                let mut tampered = token.clone();
                tampered.replace_range(i..=i, &replacement.to_string());
                assert_eq!(signer.verify(&tampered, prefix), None, "changed position {i} to {replacement}");
            }
        }
        assert_eq!(signer.verify(&token[..99], prefix), None);
        assert_eq!(signer.verify(&format!("{token}A"), prefix), None);
        assert_eq!(signer.verify("%%%", prefix), None);
        assert_eq!(signer.verify("", prefix), None);
    }

    #[test]
    fn another_key_does_not_verify() {
        let token = CertificateSigner::from_seed([7; 32]).sign(&claims());
        assert_eq!(CertificateSigner::from_seed([8; 32]).verify(&token, prefix), None);
    }

    #[test]
    fn the_key_survives_a_restart() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { panic!("no temp dir") };
        let path = dir.path().join("key");
        let first = CertificateSigner::load_or_create(&path).ok().map(|s| s.public_key_base64());
        let second = CertificateSigner::load_or_create(&path).ok().map(|s| s.public_key_base64());
        assert!(first.is_some());
        assert_eq!(first, second);
    }
}
