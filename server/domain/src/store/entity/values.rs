//! The typed values of enum-like columns. Each is stored as a fixed word;
//! reading a word that names no variant is an error, never a default.
//! (Roles, jurisdictions and programme ids are typed the same way where
//! they are defined: `crate::roles`, `crate::programme`.)

use std::{fmt, str::FromStr};

/// A stored value that names no known variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored value `{0}`")]
pub struct UnknownValue(pub String);

/// What an e-mailed single-use link does. Stored in `email_token.purpose`
/// and `resident_link.purpose`; an unknown stored value is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sea_orm::DeriveValueType)]
#[sea_orm(value_type = "String")]
pub enum TokenPurpose {
    /// A staff member sets a new password.
    PasswordReset,
    /// A resident attaches a verified e-mail to their certificate.
    ResidentClaim,
    /// A resident signs in on another device.
    ResidentSignIn,
}

impl TokenPurpose {
    const ALL: [Self; 3] = [Self::PasswordReset, Self::ResidentClaim, Self::ResidentSignIn];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::ResidentClaim => "claim",
            Self::ResidentSignIn => "sign_in",
        }
    }
}

impl fmt::Display for TokenPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TokenPurpose {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|p| p.as_str() == text).ok_or_else(|| UnknownValue(text.to_owned()))
    }
}

/// What was done. Stored in `audit_event.action`; the stored words never
/// change, and an unknown stored word is an error when read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
#[sea_orm(value_type = "String")]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignInThrottled,
    SignOut,
    AuthorizationRefused,
    InvitationSent,
    InvitationAccepted,
    PasswordResetRequested,
    PasswordResetUnknown,
    PasswordReset,
    PersonalDataViewed,
    ResidentEmailClaimed,
    ResidentSignIn,
}

impl AuditAction {
    const ALL: [Self; 13] = [
        Self::SignIn,
        Self::SignInFailed,
        Self::SignInThrottled,
        Self::SignOut,
        Self::AuthorizationRefused,
        Self::InvitationSent,
        Self::InvitationAccepted,
        Self::PasswordResetRequested,
        Self::PasswordResetUnknown,
        Self::PasswordReset,
        Self::PersonalDataViewed,
        Self::ResidentEmailClaimed,
        Self::ResidentSignIn,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignInThrottled => "sign_in_throttled",
            Self::SignOut => "sign_out",
            Self::AuthorizationRefused => "authorization_refused",
            Self::InvitationSent => "invitation_sent",
            Self::InvitationAccepted => "invitation_accepted",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordResetUnknown => "password_reset_unknown",
            Self::PasswordReset => "password_reset",
            Self::PersonalDataViewed => "personal_data_viewed",
            Self::ResidentEmailClaimed => "resident_email_claimed",
            Self::ResidentSignIn => "resident_sign_in",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditAction {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|a| a.as_str() == text).ok_or_else(|| UnknownValue(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_read_back_and_unknown_ones_are_errors() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>().ok(), Some(action));
        }
        assert!("deleted_everything".parse::<AuditAction>().is_err());
        for purpose in TokenPurpose::ALL {
            assert_eq!(purpose.as_str().parse::<TokenPurpose>().ok(), Some(purpose));
        }
        assert!("admin".parse::<TokenPurpose>().is_err());
    }
}
