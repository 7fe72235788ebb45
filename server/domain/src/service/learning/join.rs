//! Joining a session: the name to print and the place of residence.

use crate::store::entity::values::SessionStatus;
use crate::{
    service::{
        DomainError, Platform, identity::parse_display_name, scheduling::sessions::find_session, support::tokens,
    },
    store::{db, entity::enrollment},
    text,
};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Registers a resident for a session and returns the learner token to keep
/// in their cookie.
///
/// # Errors
/// Validation errors in Japanese for an unknown code, a bad name or an
/// unresolvable municipality; database errors.
pub async fn join_session(platform: &Platform, code: &str, name: &str, residence: &str) -> Result<String, DomainError> {
    let session = find_session(platform, code).await?;
    match session.status {
        SessionStatus::Draft => return Err(DomainError::NotFound("その研修はまだ公開されていません".into())),
        SessionStatus::Cancelled => {
            return Err(DomainError::validation(
                "code",
                "この研修は中止になりました。実施する自治体の案内をご覧ください",
            ));
        }
        _ => {}
    }
    if let Some(capacity) = session.capacity {
        let enrolled =
            enrollment::Entity::find().filter(enrollment::Column::SessionId.eq(session.id)).count(&platform.db).await?;
        if enrolled >= u64::try_from(capacity).unwrap_or(0) {
            return Err(DomainError::validation("code", "この研修は満席です。ほかの日程をおさがしください"));
        }
    }
    let display_name = parse_display_name(name)?;
    if residence.chars().count() > 40 || text::find_hidden_character(residence).is_some() {
        return Err(DomainError::validation(
            "municipality",
            "お住まいの市区町村名を、候補から選ぶか正しく入力してください",
        ));
    }
    let municipality = platform
        .content
        .jurisdictions
        .resolve_municipality(residence)
        .map_err(|e| DomainError::validation("municipality", e.to_string()))?;
    let token = tokens::new_secret_token();
    let txn = db::begin_write(&platform.db).await?;
    db::insert(
        &txn,
        enrollment::ActiveModel {
            session_id: Set(session.id),
            learner_token_hash: Set(tokens::token_hash(&token)),
            display_name: Set(display_name),
            municipality_code: Set(municipality.to_string()),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    // Only a committed enrollment may become the learner's cookie.
    txn.commit().await?;
    Ok(token)
}
