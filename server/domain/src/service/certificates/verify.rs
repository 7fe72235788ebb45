//! Verifying a certificate from its QR code: the signature first (no
//! database work for forgeries), then the stored record and its status.

use super::view;
use crate::{
    service::{DomainError, Platform, support::clock::jst},
    store::entity::certificate,
    view::VerifyOutcome,
    wareki,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The public URL a certificate's QR code holds.
#[must_use]
pub fn verify_url(platform: &Platform, token: &str) -> String {
    format!("{}/v/{token}", platform.public_url)
}

/// Checks a verification token.
///
/// # Errors
/// Database errors only; every malformed input is `Unverifiable`.
pub async fn verify(platform: &Platform, token: &str) -> Result<VerifyOutcome, DomainError> {
    let Some(claims) = platform.signer.verify(token, |code| platform.content.prefix_of(code)) else {
        return Ok(VerifyOutcome::Unverifiable);
    };
    let Some(model) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(claims.number.to_string()))
        .one(&platform.db)
        .await?
    else {
        return Ok(VerifyOutcome::Unverifiable);
    };
    let programme_matches =
        platform.content.programme_by_code(claims.programme_code).is_some_and(|p| p.id == model.programme);
    if model.completed_on != claims.completed_on || model.token != token || !programme_matches {
        return Ok(VerifyOutcome::Unverifiable);
    }
    if let Some(revoked_at) = model.revoked_at {
        return Ok(VerifyOutcome::Revoked {
            number: model.number,
            revoked_on: wareki::format_date(revoked_at.with_timezone(&jst()).date_naive()),
        });
    }
    Ok(VerifyOutcome::Genuine(view(platform, &model)?))
}
