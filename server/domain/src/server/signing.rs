//! Ed25519 signing of certificate claims. The key is generated on first run
//! and kept in the data directory (or given by configuration), so restarting
//! the server never invalidates printed certificates.

use crate::certificate::{CLAIMS_LEN, CertificateClaims, TOKEN_LEN};
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
    ///
    /// # Errors
    /// The file cannot be read or written, or holds no valid key.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_base64(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
                let encoded = URL_SAFE_NO_PAD.encode(seed);
                write_private(path, &encoded).map_err(io)?;
                tracing::info!(path = %path.display(), "generated a new certificate signing key");
                Ok(Self::from_seed(seed))
            }
            Err(e) => Err(io(e)),
        }
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
    /// anything else, whatever the input.
    #[must_use]
    pub fn verify(&self, token: &str) -> Option<CertificateClaims> {
        if token.len() != TOKEN_LEN / 3 * 4 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let (claims, signature) = bytes.split_at_checked(CLAIMS_LEN)?;
        let claims: [u8; CLAIMS_LEN] = claims.try_into().ok()?;
        let signature = Signature::from_slice(signature).ok()?;
        self.key.verifying_key().verify(&message(&claims), &signature).ok()?;
        let claims = CertificateClaims::from_bytes(&claims)?;
        (claims.key_id == self.key_id).then_some(claims)
    }
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
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
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
    use crate::certificate::{CertificateNumber, Programme};

    fn claims() -> CertificateClaims {
        CertificateClaims {
            number: CertificateNumber::new(Programme::KokoroSupporter, 2026, 0x12_3456_789A),
            completed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            key_id: 0,
        }
    }

    #[test]
    fn a_signed_token_verifies_and_every_single_change_is_refused() {
        let signer = CertificateSigner::from_seed([7; 32]);
        let token = signer.sign(&claims());
        assert_eq!(token.len(), 100);
        let verified = signer.verify(&token);
        assert_eq!(verified.map(|c| c.number), Some(claims().number));
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (i, original) in token.char_indices() {
            // Try a neighbour in the alphabet and one far away.
            for replacement in alphabet.chars().filter(|c| *c != original).step_by(31) {
                let mut tampered = token.clone();
                tampered.replace_range(i..=i, &replacement.to_string());
                assert_eq!(signer.verify(&tampered), None, "changed position {i} to {replacement}");
            }
        }
        assert_eq!(signer.verify(&token[..99]), None);
        assert_eq!(signer.verify(&format!("{token}A")), None);
        assert_eq!(signer.verify("%%%"), None);
        assert_eq!(signer.verify(""), None);
    }

    #[test]
    fn another_key_does_not_verify() {
        let token = CertificateSigner::from_seed([7; 32]).sign(&claims());
        assert_eq!(CertificateSigner::from_seed([8; 32]).verify(&token), None);
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
