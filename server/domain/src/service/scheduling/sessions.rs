//! Sessions as residents meet them: found by the code they type or scan,
//! and shown before joining.

use crate::{
    service::{DomainError, Platform, certificates::render::qr_svg, support::clock::jst},
    store::entity::course_session,
    view::{SessionInfo, SessionPoster},
    wareki,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_codes_fold_what_phones_type() {
        assert_eq!(normalize_session_code(" tokyo-1 "), "TOKYO1");
        assert_eq!(normalize_session_code("ＴＯＫＹＯ１"), "TOKYO1");
    }
}
