//! Totals for the open-data API and the home page.

use super::{DomainError, Platform, entity::certificate};
use crate::{certificate::Programme, dto::NationalStats};
use chrono::{SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// 健康日本21（第三次）: 100万人 by 令和15年度.
pub const SUPPORTER_TARGET: u64 = 1_000_000;
pub const SUPPORTER_TARGET_FISCAL_YEAR: i32 = 2033;

/// People holding a valid 心のサポーター certificate, nationally.
///
/// # Errors
/// Database errors.
pub async fn national(platform: &Platform) -> Result<NationalStats, DomainError> {
    let supporters = certificate::Entity::find()
        .filter(certificate::Column::Programme.eq(Programme::KokoroSupporter.as_str()))
        .filter(certificate::Column::RevokedAt.is_null())
        .count(&platform.db)
        .await?;
    Ok(NationalStats {
        supporters,
        target: SUPPORTER_TARGET,
        target_fiscal_year: SUPPORTER_TARGET_FISCAL_YEAR,
        as_of: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    })
}
