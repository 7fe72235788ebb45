//! Totals for the open-data API and the home page.

use crate::{
    service::{DomainError, Platform},
    store::entity::certificate,
    view::NationalStats,
};
use chrono::{SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// People holding a valid certificate of the programme that has a national
/// target (content says which, and what the target is).
///
/// # Errors
/// Database errors; `Internal` when no programme has a national target.
pub async fn national(platform: &Platform) -> Result<NationalStats, DomainError> {
    let (programme, target) = platform
        .content
        .programmes()
        .iter()
        .find_map(|p| p.national_target.as_ref().map(|t| (p, t)))
        .ok_or_else(|| DomainError::Internal("no programme has a national target".into()))?;
    let supporters = certificate::Entity::find()
        .filter(certificate::Column::Programme.eq(programme.id.clone()))
        .filter(certificate::Column::RevokedAt.is_null())
        .count(&platform.db)
        .await?;
    Ok(NationalStats {
        supporters,
        holder_title: programme.document.holder_title.clone(),
        target: target.count,
        target_fiscal_year: target.fiscal_year,
        as_of: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    })
}
