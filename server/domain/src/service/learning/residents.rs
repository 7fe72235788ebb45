//! Residents have no password. A resident who took a course with only a
//! session code can claim their certificate with an e-mail address, and
//! later sign in on any device with a single-use link sent there.

use crate::{
    service::{
        DomainError, Platform,
        identity::{self, audit, learner},
        support::{
            audit::AuditAction,
            mail::Mail,
            tokens::{self, TokenPurpose, token_hash},
        },
    },
    store::{
        db,
        entity::{enrollment, learner_device, resident_link},
    },
};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::net::IpAddr;

/// E-mailed resident links are valid this long.
pub const LINK_VALIDITY: Duration = Duration::minutes(30);

async fn send_link(
    platform: &Platform,
    enrollment_id: i32,
    email: &str,
    purpose: TokenPurpose,
) -> Result<(), DomainError> {
    let token = tokens::new_secret_token();
    let now = Utc::now();
    db::insert(
        &platform.db,
        resident_link::ActiveModel {
            token_hash: Set(token_hash(&token)),
            enrollment_id: Set(enrollment_id),
            email: Set(email.to_owned()),
            purpose: Set(purpose),
            created_at: Set(now),
            expires_at: Set(now + LINK_VALIDITY),
            ..Default::default()
        },
    )
    .await?;
    let link = format!("{}/my/link?token={token}", platform.public_url);
    let mail = if purpose == TokenPurpose::ResidentClaim {
        Mail::ResidentClaim { link: &link, valid_for: LINK_VALIDITY }
    } else {
        Mail::ResidentSignIn { link: &link, valid_for: LINK_VALIDITY }
    };
    platform.mailer.send(email, &mail).await.map_err(|e| {
        DomainError::Unavailable(format!("メールを送れませんでした（{e}）。時間をおいてもう一度お試しください"))
    })
}

/// The signed-in learner asks to attach `email` to their certificate; a
/// link is mailed there to prove it is theirs.
///
/// # Errors
/// `NoLearner`; a malformed e-mail; `TooManyAttempts`; mail errors.
pub async fn request_claim(
    platform: &Platform,
    learner_token: Option<&str>,
    email: &str,
    address: IpAddr,
) -> Result<(), DomainError> {
    let learner = learner(platform, learner_token).await?;
    let email = identity::normalize_email(email)?;
    if !platform.attempt_limits.allow_attempt(&email, address) {
        return Err(DomainError::TooManyAttempts);
    }
    send_link(platform, learner.enrollment.id, &email, TokenPurpose::ResidentClaim).await
}

/// Mails a sign-in link if a certificate was claimed with `email`; answers
/// the same either way, so it tells nobody which addresses are known.
///
/// # Errors
/// A malformed e-mail; `TooManyAttempts`; mail errors.
pub async fn request_sign_in(platform: &Platform, email: &str, address: IpAddr) -> Result<(), DomainError> {
    let email = identity::normalize_email(email)?;
    if !platform.attempt_limits.allow_attempt(&email, address) {
        return Err(DomainError::TooManyAttempts);
    }
    let latest = enrollment::Entity::find()
        .filter(enrollment::Column::Email.eq(email.clone()))
        .filter(enrollment::Column::EmailVerifiedAt.is_not_null())
        .order_by_desc(enrollment::Column::Id)
        .one(&platform.db)
        .await?;
    match latest {
        Some(found) => send_link(platform, found.id, &email, TokenPurpose::ResidentSignIn).await,
        None => Ok(()),
    }
}

/// Uses a link: verifies the claimed e-mail (for a claim), and signs this
/// device in with a new learner token, which it returns.
///
/// # Errors
/// `NotFound` for used, expired or unknown links.
pub async fn use_link(platform: &Platform, token: &str, address: IpAddr) -> Result<String, DomainError> {
    let gone = || {
        DomainError::NotFound("このリンクは使えません（使用済み・期限切れ・誤り）。もう一度お申し込みください".into())
    };
    let link = resident_link::Entity::find()
        .filter(resident_link::Column::TokenHash.eq(token_hash(token)))
        .one(&platform.db)
        .await?
        .filter(|l| l.used_at.is_none() && Utc::now() < l.expires_at)
        .ok_or_else(gone)?;
    let found = enrollment::Entity::find_by_id(link.enrollment_id).one(&platform.db).await?.ok_or_else(gone)?;
    let now = Utc::now();
    let txn = db::begin_write(&platform.db).await?;
    // Single use, even for two taps at once: only the request that flips
    // `used_at` from empty goes on.
    let used = resident_link::Entity::update_many()
        .col_expr(resident_link::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(resident_link::Column::Id.eq(link.id))
        .filter(resident_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(gone());
    }
    if link.purpose == TokenPurpose::ResidentClaim {
        db::update(
            &txn,
            enrollment::ActiveModel {
                id: sea_orm::Unchanged(found.id),
                email: Set(Some(link.email.clone())),
                email_verified_at: Set(Some(now)),
                ..Default::default()
            },
        )
        .await?;
    }
    let learner_token = tokens::new_secret_token();
    db::insert(
        &txn,
        learner_device::ActiveModel {
            token_hash: Set(token_hash(&learner_token)),
            enrollment_id: Set(found.id),
            created_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    audit(
        &txn,
        None,
        &link.email,
        if link.purpose == TokenPurpose::ResidentClaim {
            AuditAction::ResidentEmailClaimed
        } else {
            AuditAction::ResidentSignIn
        },
        &link.email,
        "",
        Some(address),
    )
    .await?;
    txn.commit().await?;
    Ok(learner_token)
}
