//! Password resets by a single-use link mailed to the account's address.

use crate::{
    service::{
        DomainError, Platform,
        identity::{self, audit, passwords, staff_sessions::end_all_sessions},
        support::{
            audit::{AuditAction, append_repeatable},
            mail::Mail,
            tokens::{self, TokenPurpose},
        },
    },
    store::{
        db,
        entity::{email_token, person},
    },
};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Password-reset links are valid this long.
pub const RESET_VALIDITY: Duration = Duration::hours(1);

/// Sends a password-reset link if the e-mail belongs to an account; answers
/// the same either way, so it tells nobody which e-mails exist.
///
/// # Errors
/// `TooManyAttempts`; mail errors.
pub async fn request_password_reset(platform: &Platform, email: &str, address: IpAddr) -> Result<(), DomainError> {
    let email = identity::normalize_email(email)?;
    if !platform.attempt_limits.allow_attempt(&email, address) {
        return Err(DomainError::TooManyAttempts);
    }
    let Some(person) = person::Entity::find()
        .filter(person::Column::Email.eq(email.clone()))
        .one(&platform.db)
        .await?
        .filter(|p| p.disabled_at.is_none())
    else {
        append_repeatable(&platform.db, &platform.audit_repeats, AuditAction::PasswordResetUnknown, &email, address)
            .await?;
        return Ok(());
    };
    let token = tokens::new_secret_token();
    let now = Utc::now();
    db::insert(
        &platform.db,
        email_token::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            purpose: Set(TokenPurpose::PasswordReset),
            person_id: Set(person.id),
            created_at: Set(now),
            expires_at: Set(now + RESET_VALIDITY),
            ..Default::default()
        },
    )
    .await?;
    let link = format!("{}/staff/reset?token={token}", platform.public_url);
    let mail = Mail::PasswordReset { display_name: &person.display_name, link: &link, valid_for: RESET_VALIDITY };
    platform
        .mailer
        .send(&email, &mail)
        .await
        .map_err(|e| DomainError::Unavailable(format!("メールを送れませんでした（{e}）")))?;
    audit(&platform.db, None, &email, AuditAction::PasswordResetRequested, &email, "", Some(address)).await
}

/// Sets a new password with a reset link; every session of the person ends.
///
/// # Errors
/// `NotFound` for a bad link; password validation errors.
pub async fn reset_password(
    platform: &Platform,
    token: &str,
    password: &str,
    address: IpAddr,
) -> Result<(), DomainError> {
    let gone = || {
        DomainError::NotFound(
            "この再設定リンクは使えません（使用済み・期限切れ・誤り）。もう一度お申し込みください".into(),
        )
    };
    let found = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(tokens::token_hash(token)))
        .filter(email_token::Column::Purpose.eq(TokenPurpose::PasswordReset))
        .one(&platform.db)
        .await?
        .filter(|t| t.used_at.is_none() && Utc::now() < t.expires_at)
        .ok_or_else(gone)?;
    let person = person::Entity::find_by_id(found.person_id).one(&platform.db).await?.ok_or_else(gone)?;
    platform.passwords.check(password, &person.email)?;
    let hash = passwords::hash(password.to_owned()).await?;
    let txn = db::begin_write(&platform.db).await?;
    // Single use, even for two requests at once: only the one that flips
    // `used_at` from empty goes on.
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(email_token::Column::Id.eq(found.id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(gone());
    }
    db::update(
        &txn,
        person::ActiveModel { id: sea_orm::Unchanged(person.id), password_hash: Set(Some(hash)), ..Default::default() },
    )
    .await?;
    end_all_sessions(&txn, person.id).await?;
    audit(&txn, None, &person.email, AuditAction::PasswordReset, &person.email, "", Some(address)).await?;
    txn.commit().await?;
    Ok(())
}
