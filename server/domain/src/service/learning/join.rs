//! Joining a session: registering for it and taking the learner cookie.

use crate::service::{
    DomainError, Platform,
    scheduling::registration::{self, Registration, RegistrationForm},
};
use chrono::{DateTime, Utc};

/// Registers a resident for a session (a seat, or a place in line) and
/// returns the learner token to keep in their cookie.
///
/// # Errors
/// Validation errors in Japanese naming the field; database errors.
pub async fn join_session(
    platform: &Platform,
    form: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<Registration, DomainError> {
    registration::register(platform, form, now).await
}
