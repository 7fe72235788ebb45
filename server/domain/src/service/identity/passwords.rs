//! Staff passwords: the rules a new one must meet, and argon2id hashing off
//! the async threads.

use crate::service::DomainError;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use std::{collections::HashSet, path::Path};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const RECOMMENDED_PASSWORD_CHARS: usize = 15;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The password rules, with the list of common passwords loaded once.
pub struct PasswordPolicy {
    common_passwords: HashSet<String>,
}

impl PasswordPolicy {
    /// Loads `security/common-passwords.txt` from the content folder.
    ///
    /// # Errors
    /// The list cannot be read.
    pub fn load(content_dir: &Path) -> std::io::Result<Self> {
        let list = std::fs::read_to_string(content_dir.join("security").join("common-passwords.txt"))?;
        Ok(Self::with_common_passwords(list.lines().map(str::to_lowercase).collect()))
    }

    #[must_use]
    pub fn with_common_passwords(common_passwords: HashSet<String>) -> Self {
        Self { common_passwords }
    }

    /// NIST SP 800-63B / OWASP ASVS 5: length only (8 to 128), no composition
    /// rules, not a common password, not the user's own e-mail.
    ///
    /// # Errors
    /// A Japanese message saying what to change.
    pub fn check(&self, password: &str, email: &str) -> Result<(), DomainError> {
        let length = password.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(DomainError::validation(
                "password",
                format!(
                    "パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください（{RECOMMENDED_PASSWORD_CHARS}文字以上をおすすめします）"
                ),
            ));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(DomainError::validation(
                "password",
                format!("パスワードは{MAX_PASSWORD_CHARS}文字以内にしてください"),
            ));
        }
        let lower = password.to_lowercase();
        if self.common_passwords.contains(&lower) {
            return Err(DomainError::validation(
                "password",
                "よく使われていて推測されやすいパスワードです。別のものにしてください",
            ));
        }
        let email = email.to_lowercase();
        let local_part = email.split('@').next().unwrap_or_default();
        if lower == email || (!local_part.is_empty() && lower == local_part) {
            return Err(DomainError::validation("password", "メールアドレスをパスワードにすることはできません"));
        }
        Ok(())
    }
}

/// argon2id with 46 MiB of memory, one pass, one lane (OWASP's minimum).
fn argon2() -> Argon2<'static> {
    let params = Params::new(46 * 1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a new password.
///
/// # Errors
/// Only if the hashing task fails.
pub async fn hash(password: String) -> Result<String, DomainError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| DomainError::Internal(e.to_string()))?
    .map_err(|e| DomainError::Internal(e.to_string()))
}

/// Verifies off the async threads; an unknown account verifies against a
/// dummy hash so timing does not tell which e-mails exist.
pub async fn verify(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy = "$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$2J8P6Fz8bZ3oQeWfW6c5hYF3yq6e7r0xU2y0y2c8qkA";
        let stored = hash.clone().unwrap_or_else(|| dummy.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
    })
    .await
    .unwrap_or(false)
}
