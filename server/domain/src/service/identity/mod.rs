//! Who is asking: staff sign in with a password and hold server-side
//! sessions; learners are known by the token their device holds. Also the
//! checks on what identifies a person (e-mail, printed name) and the one
//! way every room writes "who did it" into the audit log.

pub mod learner;
pub mod passwords;
pub mod staff_sessions;

pub use learner::{Learner, learner, learner_of};
pub use staff_sessions::{Actor, actor, refuse, sign_in, sign_out};

use crate::service::{
    DomainError,
    support::{
        audit::{self, AuditAction, AuditActor, Entry},
        limiter::{Limiter, Rate},
    },
};
use sea_orm::ConnectionTrait;
use std::net::IpAddr;

/// Longest name printed on a certificate or shown for a staff member.
pub const MAX_NAME_CHARS: usize = 40;

/// Limits on guessing: sign-in attempts, and e-mailed links requested.
pub struct AttemptLimits {
    /// Per (account, address): a victim's own address is never limited by
    /// an attacker's attempts from elsewhere.
    per_account_address: Limiter<(String, IpAddr)>,
    /// Per address, whatever the account (an office NAT shares one).
    per_address: Limiter<IpAddr>,
}

impl Default for AttemptLimits {
    fn default() -> Self {
        Self {
            // 10 attempts, then one every 6 minutes, per account and address.
            per_account_address: Limiter::new(Rate::per_hour(10, 10)),
            // 100 attempts, then 100 an hour, per address.
            per_address: Limiter::new(Rate::per_hour(100, 100)),
        }
    }
}

impl AttemptLimits {
    /// Whether one more attempt for `account` from `address` is within both
    /// limits (and counts it).
    #[must_use]
    pub fn allow_attempt(&self, account: &str, address: IpAddr) -> bool {
        self.per_address.allow(&address) && self.per_account_address.allow(&(account.to_owned(), address))
    }

    /// Counts an attempt against the address alone (input that names no
    /// account).
    #[must_use]
    pub fn allow_address(&self, address: IpAddr) -> bool {
        self.per_address.allow(&address)
    }

    /// Drops recovered entries; called every minute.
    pub fn forget_idle(&self) {
        self.per_account_address.forget_idle();
        self.per_address.forget_idle();
    }
}

/// Lower-cases and checks the shape of an e-mail address.
///
/// # Errors
/// A Japanese validation message.
pub fn normalize_email(input: &str) -> Result<String, DomainError> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace)
        && crate::text::find_hidden_character(&email).is_none();
    if valid {
        Ok(email)
    } else {
        Err(DomainError::validation("email", "メールアドレスの形が正しくありません"))
    }
}

/// Checks a person's name: trimmed, 1 to 40 characters, nothing that
/// prints invisibly or reorders text (see [`crate::text::refuse_hidden_characters`]).
///
/// # Errors
/// A Japanese validation message.
pub fn parse_display_name(input: &str) -> Result<String, DomainError> {
    if input.chars().count() > MAX_NAME_CHARS * 4 {
        return Err(DomainError::validation("name", format!("お名前は{MAX_NAME_CHARS}文字以内で入力してください")));
    }
    crate::text::refuse_hidden_characters(input)
        .map_err(|problem| DomainError::validation("name", format!("お名前に{problem}")))?;
    let name: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DomainError::validation("name", "認定証に印刷するお名前を入力してください"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::validation("name", format!("お名前は{MAX_NAME_CHARS}文字以内で入力してください")));
    }
    Ok(name)
}

/// Appends one audit entry for `actor`, or, when nobody is signed in, for
/// `label` (what was typed, or "system"). Failing to audit fails the action.
///
/// # Errors
/// Database errors.
pub async fn audit<C: ConnectionTrait>(
    db: &C,
    actor: Option<&Actor>,
    label: &str,
    action: AuditAction,
    target: &str,
    detail: &str,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let who = match actor {
        Some(actor) => {
            AuditActor { person_id: Some(actor.person_id), label: &actor.email, grants: actor.grants.as_slice() }
        }
        None => AuditActor::anonymous(label),
    };
    audit::append(db, who, Entry { action, target, detail, address }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(parse_display_name("  山田　花子 ").ok(), Some("山田 花子".into()));
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"あ".repeat(41)).is_err());
        assert!(parse_display_name("a\u{0007}b").is_err());
        assert!(parse_display_name("山田\u{202E}子花").is_err());
        assert!(parse_display_name("山\u{200B}田").is_err());
        assert!(parse_display_name("山田\u{FFFD}").is_err());
        // Ideographic variation sequences are how 外字-like names are written.
        assert!(parse_display_name("葛\u{E0100}城").is_ok());
    }
}
