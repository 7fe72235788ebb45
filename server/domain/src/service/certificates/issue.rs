//! Issuing a certificate: a random number with the programme's prefix, the
//! signed token its QR code carries, and the stored record.

use crate::{
    certificate::{CertificateClaims, CertificateNumber, NumberPrefix},
    jurisdiction::LocalGovCode,
    service::{DomainError, Platform, support::clock::jst},
    store::{
        db,
        entity::{certificate, course_session, enrollment},
    },
};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Issues the certificate of a completed enrollment inside the caller's
/// transaction, so completion and certificate land together or not at all.
///
/// # Errors
/// Database errors; `Internal` when content lacks the session's programme.
pub async fn issue<C: ConnectionTrait>(
    platform: &Platform,
    txn: &C,
    enrollment: &enrollment::Model,
    session: &course_session::Model,
    now: DateTime<Utc>,
) -> Result<String, DomainError> {
    let programme = platform
        .content
        .programme(&session.programme)
        .ok_or_else(|| DomainError::Internal(format!("session {} has unknown programme", session.id)))?;
    let completed_on = now.with_timezone(&jst()).date_naive();
    // 40 random bits: a clash is rare, but the unique index would turn one
    // into a failed completion, so look before inserting.
    let mut number = random_number(programme.number_prefix, completed_on);
    for _ in 0..4 {
        let taken =
            certificate::Entity::find().filter(certificate::Column::Number.eq(number.to_string())).one(txn).await?;
        if taken.is_none() {
            break;
        }
        number = random_number(programme.number_prefix, completed_on);
    }
    let claims = CertificateClaims {
        programme_code: programme.certificate_code,
        number,
        completed_on,
        key_id: platform.signer.key_id(),
    };
    let token = platform.signer.sign(&claims);
    let municipality = LocalGovCode::parse(&enrollment.municipality_code)
        .map_err(|e| DomainError::Internal(format!("stored municipality code is invalid: {e}")))?;
    db::insert(
        txn,
        certificate::ActiveModel {
            number: Set(number.to_string()),
            enrollment_id: Set(enrollment.id),
            programme: Set(programme.id.clone()),
            holder_name: Set(enrollment.display_name.clone()),
            municipality_code: Set(municipality.to_string()),
            prefecture_code: Set(municipality.prefecture_code().to_string()),
            implementing_body_code: Set(session.implementing_body_code.clone()),
            issuer_name: Set(platform.content.place_name(&session.implementing_body_code)),
            completed_on: Set(completed_on),
            issued_at: Set(now),
            token: Set(token),
            ..Default::default()
        },
    )
    .await?;
    Ok(number.to_string())
}

fn random_number(prefix: NumberPrefix, date: chrono::NaiveDate) -> CertificateNumber {
    CertificateNumber::new(prefix, date.year(), rand::RngCore::next_u64(&mut rand::rngs::OsRng))
}
