//! 認定証 and 修了証: issued inside the completion's transaction, shown to
//! their holder, rendered as an image, and verified by anyone holding the
//! QR code.

pub mod issue;
pub mod render;
pub mod signing;
pub mod verify;

pub use issue::issue;
pub use verify::{verify, verify_url};

use crate::{
    service::{DomainError, Platform, identity::learner},
    store::entity::certificate,
    view::CertificateView,
    wareki,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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

/// A certificate as shown: its programme's document wording from content.
///
/// # Errors
/// `Internal` when content no longer has the certificate's programme.
pub fn view(platform: &Platform, model: &certificate::Model) -> Result<CertificateView, DomainError> {
    let programme = platform.content.programme(&model.programme).ok_or_else(|| {
        DomainError::Internal(format!(
            "certificate {} is of `{}`, which content does not have",
            model.number, model.programme
        ))
    })?;
    let url = verify_url(platform, &model.token);
    Ok(CertificateView {
        number: model.number.clone(),
        holder_name: model.holder_name.clone(),
        document_name: programme.document.kind.name_ja().to_owned(),
        certificate_title: programme.document.holder_title.clone(),
        statement: programme.document.statement.clone(),
        programme_name: programme.title.clone(),
        completed_on: wareki::format_date(model.completed_on),
        issuer: model.issuer_name.clone(),
        qr_svg: render::qr_svg(&url),
        verify_url: url,
    })
}

/// The learner's own certificate.
///
/// # Errors
/// `NoLearner`, or `NotFound` before the programme is complete.
pub async fn own_certificate(platform: &Platform, token: Option<&str>) -> Result<CertificateView, DomainError> {
    let learner = learner(platform, token).await?;
    let model = for_enrollment(platform, learner.enrollment.id).await?.ok_or_else(|| {
        DomainError::NotFound("認定証はまだ発行されていません。すべての単元と確認テストを終えると発行されます".into())
    })?;
    view(platform, &model)
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
    let bytes = render::render_certificate(&certificate, font).map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok((format!("certificate-{}.png", certificate.number), bytes))
}
