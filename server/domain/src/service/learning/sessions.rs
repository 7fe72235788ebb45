//! Sessions as residents meet them: found by the code they type or scan,
//! shown before joining, joined with a name and a place of residence.

use crate::{
    service::{
        DomainError, Platform,
        certificates::render::qr_svg,
        identity::parse_display_name,
        support::{clock::jst, tokens},
    },
    store::{
        db,
        entity::{course_session, enrollment},
    },
    text,
    view::{SessionInfo, SessionPoster},
    wareki,
};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

/// Session codes are typed on phones: fold case, full-width and separators.
#[must_use]
pub fn normalize_session_code(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(u32::from(c) - 0xFEE0),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .map(|c| c.to_ascii_uppercase())
        .take(16)
        .collect()
}

/// Finds a session by the code a resident typed or scanned.
///
/// # Errors
/// `NotFound` with a Japanese message.
pub async fn find_session(platform: &Platform, code: &str) -> Result<course_session::Model, DomainError> {
    let code = normalize_session_code(code);
    if code.is_empty() {
        return Err(DomainError::validation("code", "受講コードを入力してください"));
    }
    course_session::Entity::find()
        .filter(course_session::Column::Code.eq(code.clone()))
        .one(&platform.db)
        .await?
        .ok_or_else(|| {
            DomainError::NotFound(format!("受講コード「{code}」の研修が見つかりません。コードをご確認ください"))
        })
}

/// The session as shown to a resident.
#[must_use]
pub fn session_info(platform: &Platform, session: &course_session::Model) -> SessionInfo {
    let jst = jst();
    let starts = session.starts_at.with_timezone(&jst);
    let ends = session.ends_at.with_timezone(&jst);
    let programme = platform.content.programme(&session.programme);
    let elective = programme.and_then(|p| p.units().find(|u| u.id == session.elective_module_id));
    SessionInfo {
        code: session.code.clone(),
        title: session.title.clone(),
        programme_name: programme.map(|p| p.title.clone()).unwrap_or_else(|| session.programme.to_string()),
        implementing_body: platform.content.place_name(&session.implementing_body_code),
        when: format!(
            "{} {}〜{}",
            wareki::format_date(starts.date_naive()),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        ),
        venue: session.venue.clone(),
        elective_title: elective.map(|u| u.title.clone()).unwrap_or_default(),
    }
}

/// The join poster of a session: its facts and a QR code of its join URL.
///
/// # Errors
/// `NotFound` for an unknown code.
pub async fn session_poster(platform: &Platform, code: &str) -> Result<SessionPoster, DomainError> {
    let session = find_session(platform, code).await?;
    let join_url = format!("{}/join?code={}", platform.public_url, session.code);
    Ok(SessionPoster { session: session_info(platform, &session), qr_svg: qr_svg(&join_url), join_url })
}

/// Registers a resident for a session and returns the learner token to keep
/// in their cookie.
///
/// # Errors
/// Validation errors in Japanese for an unknown code, a bad name or an
/// unresolvable municipality; database errors.
pub async fn join_session(platform: &Platform, code: &str, name: &str, residence: &str) -> Result<String, DomainError> {
    let session = find_session(platform, code).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_codes_fold_what_phones_type() {
        assert_eq!(normalize_session_code(" tokyo-1 "), "TOKYO1");
        assert_eq!(normalize_session_code("ＴＯＫＹＯ１"), "TOKYO1");
    }
}
