//! Issuing, showing and verifying 認定証.

use super::{DomainError, Platform, entity::*, learning, png};
use crate::{
    certificate::{CertificateClaims, CertificateNumber, Programme},
    dto::{CertificateView, VerifyOutcome},
    jurisdiction::LocalGovCode,
    wareki,
};
use chrono::{DateTime, Utc};
use qrcode::{EcLevel, QrCode, render::svg};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The certificate of an enrollment, if issued.
///
/// # Errors
/// Database errors.
pub async fn for_enrollment(
    platform: &Platform,
    enrollment_id: i32,
) -> Result<Option<certificate::Model>, DomainError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::EnrollmentId.eq(enrollment_id))
        .one(&platform.db)
        .await?)
}

/// Issues the certificate of a completed enrollment inside the caller's
/// transaction, so completion and certificate land together or not at all.
///
/// # Errors
/// Database errors.
pub async fn issue<C: ConnectionTrait>(
    platform: &Platform,
    txn: &C,
    enrollment: &enrollment::Model,
    session: &course_session::Model,
    now: DateTime<Utc>,
) -> Result<String, DomainError> {
    let programme = Programme::from_str_id(&session.programme)
        .ok_or_else(|| DomainError::Internal(format!("session {} has unknown programme", session.id)))?;
    let completed_on = now.with_timezone(&learning::jst()).date_naive();
    // 40 random bits: a clash is rare, but the unique index would turn one
    // into a failed completion, so look before inserting.
    let mut number = random_number(programme, completed_on);
    for _ in 0..4 {
        let taken =
            certificate::Entity::find().filter(certificate::Column::Number.eq(number.to_string())).one(txn).await?;
        if taken.is_none() {
            break;
        }
        number = random_number(programme, completed_on);
    }
    let token = platform.signer.sign(&CertificateClaims { number, completed_on, key_id: platform.signer.key_id() });
    let municipality = LocalGovCode::parse(&enrollment.municipality_code)
        .map_err(|e| DomainError::Internal(format!("stored municipality code is invalid: {e}")))?;
    super::db::insert(
        txn,
        certificate::ActiveModel {
            number: Set(number.to_string()),
            enrollment_id: Set(enrollment.id),
            programme: Set(programme.as_str().to_owned()),
            holder_name: Set(enrollment.display_name.clone()),
            municipality_code: Set(municipality.to_string()),
            prefecture_code: Set(municipality.prefecture_code().to_string()),
            implementing_body_code: Set(session.implementing_body_code.clone()),
            issuer_name: Set(learning::implementing_body_name(platform, &session.implementing_body_code)),
            completed_on: Set(completed_on),
            issued_at: Set(now),
            token: Set(token),
            ..Default::default()
        },
    )
    .await?;
    Ok(number.to_string())
}

fn random_number(programme: Programme, date: chrono::NaiveDate) -> CertificateNumber {
    use chrono::Datelike;
    CertificateNumber::new(programme, date.year(), rand::RngCore::next_u64(&mut rand::rngs::OsRng))
}

/// The public URL a certificate's QR code holds.
#[must_use]
pub fn verify_url(platform: &Platform, token: &str) -> String {
    format!("{}/v/{token}", platform.public_url)
}

fn view(platform: &Platform, model: &certificate::Model) -> CertificateView {
    let programme = Programme::from_str_id(&model.programme);
    let certificate_title = match programme {
        Some(Programme::KokoroSupporter) => platform.content.kokoro_supporter.certificate_title.clone(),
        Some(Programme::KokoroInstructor) => "心のサポーター指導者".to_owned(),
        Some(Programme::MentalHealthCounsellor) => "精神保健福祉相談員講習 修了者".to_owned(),
        Some(Programme::InpatientVisitor) => "入院者訪問支援員養成研修 修了者".to_owned(),
        None => String::new(),
    };
    let url = verify_url(platform, &model.token);
    CertificateView {
        number: model.number.clone(),
        holder_name: model.holder_name.clone(),
        certificate_title,
        programme_name: programme.map(Programme::name_ja).unwrap_or_default().to_owned(),
        completed_on: wareki::format_date(model.completed_on),
        issuer: model.issuer_name.clone(),
        qr_svg: qr_svg(&url),
        verify_url: url,
    }
}

/// A QR code of `text` as an SVG document (empty if it cannot be encoded).
#[must_use]
pub fn qr_svg(text: &str) -> String {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map(|code| code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
        .unwrap_or_default()
}

/// The learner's own certificate.
///
/// # Errors
/// `NoLearner`, or `NotFound` before the course is complete.
pub async fn own_certificate(platform: &Platform, token: Option<&str>) -> Result<CertificateView, DomainError> {
    let learner = learning::learner(platform, token).await?;
    let model = for_enrollment(platform, learner.enrollment.id).await?.ok_or_else(|| {
        DomainError::NotFound("認定証はまだ発行されていません。すべての単元と確認テストを終えると発行されます".into())
    })?;
    Ok(view(platform, &model))
}

/// The learner's own certificate as a PNG: (file name, bytes).
///
/// # Errors
/// As [`own_certificate`]; `Unavailable` when no font is installed.
pub async fn own_certificate_png(platform: &Platform, token: Option<&str>) -> Result<(String, Vec<u8>), DomainError> {
    let certificate = own_certificate(platform, token).await?;
    let font = platform.certificate_font.as_ref().ok_or_else(|| {
        DomainError::Unavailable(
            "認定証の画像を作るための日本語フォントがこのサーバーにありません。画面の認定証をご利用ください".into(),
        )
    })?;
    let bytes = png::render_certificate(&certificate, font).map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok((format!("certificate-{}.png", certificate.number), bytes))
}

/// Checks a verification token: its signature first (no database work for
/// forgeries), then the certificate's presence and status.
///
/// # Errors
/// Database errors only; every malformed input is `Unverifiable`.
pub async fn verify(platform: &Platform, token: &str) -> Result<VerifyOutcome, DomainError> {
    let Some(claims) = platform.signer.verify(token) else {
        return Ok(VerifyOutcome::Unverifiable);
    };
    let Some(model) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(claims.number.to_string()))
        .one(&platform.db)
        .await?
    else {
        return Ok(VerifyOutcome::Unverifiable);
    };
    if model.completed_on != claims.completed_on || model.token != token {
        return Ok(VerifyOutcome::Unverifiable);
    }
    if let Some(revoked_at) = model.revoked_at {
        return Ok(VerifyOutcome::Revoked {
            number: model.number,
            revoked_on: wareki::format_date(revoked_at.with_timezone(&learning::jst()).date_naive()),
        });
    }
    Ok(VerifyOutcome::Genuine(view(platform, &model)))
}
