//! Secret tokens (learner and staff cookies, e-mailed links): what they are
//! made of and what is stored of them.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

pub use crate::store::entity::values::TokenPurpose;

/// A new secret token: 256 random bits, base64url.
#[must_use]
pub fn new_secret_token() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret token: its SHA-256, hex.
#[must_use]
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
