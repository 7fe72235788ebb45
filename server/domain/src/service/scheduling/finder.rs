//! The public finder: published, public sessions still to come, by
//! prefecture, programme, format and date; each session's page; and its
//! calendar entry (.ics), alone or as an implementing body's feed.

use crate::{
    jurisdiction::LocalGovCode,
    programme::DeliveryMode,
    service::{DomainError, Platform, support::clock::jst},
    store::entity::{
        course_session, enrollment, session_part,
        values::{RegistrationStatus, SessionStatus, Visibility},
    },
    view::{FinderQuery, FinderResult, PublicSession},
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Most sessions one finder page lists.
pub const PAGE_SIZE: u64 = 50;

async fn public_view(
    platform: &Platform,
    session: &course_session::Model,
    now: DateTime<Utc>,
) -> Result<PublicSession, DomainError> {
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .order_by_asc(session_part::Column::Position)
        .all(&platform.db)
        .await?;
    let enrolled = super::registration::seats_taken(&platform.db, session.id).await?;
    let waiting = enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session.id))
        .filter(enrollment::Column::Status.eq(RegistrationStatus::Waitlisted))
        .count(&platform.db)
        .await?;
    let registration = super::registration::check_open(session, now);
    let programme = platform.content.programme(&session.programme);
    Ok(PublicSession {
        code: session.code.clone(),
        title: session.title.clone(),
        programme: programme.map(|p| p.title.clone()).unwrap_or_default(),
        body: platform.content.place_name(&session.implementing_body_code),
        parts: parts
            .iter()
            .map(|p| format!("{}　{}　{}", super::checkin::part_label(p), p.mode.name_ja(), p.place))
            .collect(),
        online: parts.iter().any(|p| p.mode == DeliveryMode::LiveOnline),
        in_person: parts.iter().any(|p| p.mode == DeliveryMode::InPerson),
        seats_left: session.capacity.map(|c| u64::try_from(c).unwrap_or(0).saturating_sub(enrolled)),
        open: registration.is_ok(),
        waiting,
        notice: match (registration, session.status) {
            (_, SessionStatus::Cancelled) => {
                format!("この研修は中止になりました。理由：{}", session.cancel_reason.clone().unwrap_or_default())
            }
            (Err(refusal), _) => refusal.to_string(),
            (Ok(()), _) => String::new(),
        },
    })
}

/// Published public sessions that have not ended, matching the query.
///
/// # Errors
/// A validation message for a malformed date; database errors.
pub async fn search(platform: &Platform, query: &FinderQuery, now: DateTime<Utc>) -> Result<FinderResult, DomainError> {
    let day = |text: &str, field: &'static str| -> Result<Option<DateTime<Utc>>, DomainError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| DomainError::validation(field, "日付は 2026-12-01 のように入力してください"))?;
        Ok(jst()
            .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc)))
    };
    let from = day(&query.from, "from")?.unwrap_or(now).max(now - chrono::Duration::days(1));
    let until = day(&query.until, "until")?.map(|t| t + chrono::Duration::days(1));
    let mut select = course_session::Entity::find()
        .filter(course_session::Column::Status.is_in([SessionStatus::Published, SessionStatus::Held]))
        .filter(course_session::Column::Visibility.eq(Visibility::Public))
        .filter(course_session::Column::EndsAt.gte(from));
    if let Some(until) = until {
        select = select.filter(course_session::Column::StartsAt.lt(until));
    }
    if let Ok(id) = query.programme.parse::<crate::programme::ProgrammeId>() {
        select = select.filter(course_session::Column::Programme.eq(id));
    }
    let prefecture = query.prefecture.trim().parse::<u8>().ok().filter(|n| (1..=47).contains(n));
    if let Some(number) = prefecture {
        // 団体コード start with the prefecture's two digits: filter in SQL,
        // not over every session in the country.
        select = select.filter(course_session::Column::ImplementingBodyCode.starts_with(format!("{number:02}")));
    }
    let candidates = select.order_by_asc(course_session::Column::StartsAt).limit(500).all(&platform.db).await?;
    let mut sessions = Vec::new();
    for session in candidates {
        let view = public_view(platform, &session, now).await?;
        let format_ok = match query.format.as_str() {
            "online" => view.online,
            "in_person" => view.in_person,
            _ => true,
        };
        if format_ok {
            sessions.push(view);
        }
        if sessions.len() >= usize::try_from(PAGE_SIZE).unwrap_or(50) {
            break;
        }
    }
    Ok(FinderResult {
        sessions,
        prefectures: platform
            .content
            .jurisdictions
            .prefectures()
            .map(|p| (p.code.prefecture_number().to_string(), p.name.clone()))
            .collect(),
        programmes: platform.content.programmes().iter().map(|p| (p.id.to_string(), p.title.clone())).collect(),
    })
}

/// One session's public page; closed (private-link) sessions too, since
/// the link is how they are reached. Drafts are not shown.
///
/// # Errors
/// `NotFound` for an unknown code or a draft.
pub async fn session_page(platform: &Platform, code: &str, now: DateTime<Utc>) -> Result<PublicSession, DomainError> {
    let session = super::sessions::find_session(platform, code).await?;
    if session.status == SessionStatus::Draft {
        return Err(DomainError::NotFound("その研修はまだ公開されていません".into()));
    }
    public_view(platform, &session, now).await
}

/// RFC 5545 text: backslash, semicolon, comma and line breaks escaped.
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\r', "").replace('\n', "\\n")
}

/// RFC 5545 lines end in CRLF and fold at 75 octets (a continuation line
/// starts with a space), never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

async fn events(
    platform: &Platform,
    session: &course_session::Model,
    out: &mut String,
    stamp: DateTime<Utc>,
) -> Result<(), DomainError> {
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .order_by_asc(session_part::Column::Position)
        .all(&platform.db)
        .await?;
    let host = platform.public_url.split("://").nth(1).unwrap_or("nimo").split('/').next().unwrap_or("nimo");
    for part in parts {
        let lines = [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:session-{}-part-{}@{host}", session.code, part.position),
            format!("DTSTAMP:{}", ics_time(stamp)),
            format!("DTSTART:{}", ics_time(part.starts_at)),
            format!("DTEND:{}", ics_time(part.ends_at)),
            format!("SUMMARY:{}", ics_text(&session.title)),
            format!("LOCATION:{}", ics_text(&part.place)),
            format!(
                "DESCRIPTION:{}",
                ics_text(&format!(
                    "{}（{}）\n{}/sessions/{}",
                    session.title,
                    part.mode.name_ja(),
                    platform.public_url,
                    session.code
                ))
            ),
            format!("URL:{}/sessions/{}", platform.public_url, session.code),
            "END:VEVENT".to_owned(),
        ];
        for line in lines {
            fold(&line, out);
        }
    }
    Ok(())
}

fn calendar(name: &str) -> String {
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//nimo//training sessions//JA", "CALSCALE:GREGORIAN"] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", ics_text(name)), &mut out);
    out
}

/// One session as an `.ics` file: (file name, contents).
///
/// # Errors
/// As [`session_page`].
pub async fn session_ics(platform: &Platform, code: &str, now: DateTime<Utc>) -> Result<(String, String), DomainError> {
    let session = super::sessions::find_session(platform, code).await?;
    if session.status == SessionStatus::Draft {
        return Err(DomainError::NotFound("その研修はまだ公開されていません".into()));
    }
    let mut out = calendar(&session.title);
    events(platform, &session, &mut out, now).await?;
    fold("END:VCALENDAR", &mut out);
    Ok((format!("session-{}.ics", session.code), out))
}

/// An implementing body's published public sessions as an iCal feed.
///
/// # Errors
/// `NotFound` for a code that names no local government.
pub async fn body_feed(platform: &Platform, body: &str, now: DateTime<Utc>) -> Result<String, DomainError> {
    let code = LocalGovCode::parse(body.trim_end_matches(".ics"))
        .ok()
        .filter(|c| platform.content.jurisdictions.get(*c).is_some())
        .ok_or_else(|| DomainError::NotFound("その団体コードの自治体はありません".into()))?;
    let sessions = course_session::Entity::find()
        .filter(course_session::Column::ImplementingBodyCode.eq(code.to_string()))
        .filter(course_session::Column::Status.is_in([SessionStatus::Published, SessionStatus::Held]))
        .filter(course_session::Column::Visibility.eq(Visibility::Public))
        .order_by_asc(course_session::Column::StartsAt)
        .limit(500)
        .all(&platform.db)
        .await?;
    let mut out = calendar(&format!("{}の研修", platform.content.jurisdictions.full_name(code)));
    for session in &sessions {
        events(platform, session, &mut out, now).await?;
    }
    fold("END:VCALENDAR", &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_are_escaped_and_folded_on_character_boundaries() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "心".repeat(40)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "心".repeat(40)));
    }
}
