//! The session's roster: who registered, and their attendance part by part.
//! Names are personal data: only staff who run the session see them, every
//! view and export is audited, and a tick by hand says who made it.

use super::{
    attendance::{judge, tolerance},
    checkin::{Access, part_label, record, session_for_runner, session_for_staff},
};
use crate::{
    service::{
        DomainError, Platform,
        identity::{Actor, audit},
        support::{audit::AuditAction, clock::jst},
    },
    store::entity::{attendance, enrollment, session_part, values::AttendanceMethod},
    view::{Roster, RosterRow},
};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::net::IpAddr;

/// Most names one roster lists.
pub const MAX_ROWS: u64 = 2000;

async fn build(
    platform: &Platform,
    session: &crate::store::entity::course_session::Model,
) -> Result<Roster, DomainError> {
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .order_by_asc(session_part::Column::Position)
        .all(&platform.db)
        .await?;
    let people = enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session.id))
        .order_by_asc(enrollment::Column::Id)
        .limit(MAX_ROWS)
        .all(&platform.db)
        .await?;
    let part_ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    let records =
        attendance::Entity::find().filter(attendance::Column::PartId.is_in(part_ids)).all(&platform.db).await?;
    let tolerance = tolerance(platform, &session.implementing_body_code).await?;
    let at = |t: DateTime<Utc>| t.with_timezone(&jst()).format("%H:%M").to_string();
    let rows = people
        .into_iter()
        .map(|person| {
            let marks: Vec<(String, bool)> = parts
                .iter()
                .map(|part| match records.iter().find(|r| r.part_id == part.id && r.enrollment_id == person.id) {
                    None => ("未".to_owned(), false),
                    Some(r) => {
                        let judged = judge(part, r, tolerance);
                        let word = if judged.late {
                            "遅刻"
                        } else if judged.left_early {
                            "早退"
                        } else {
                            "出席"
                        };
                        (format!("{word} {}", at(r.checked_in_at)), judged.attended())
                    }
                })
                .collect();
            RosterRow {
                enrollment_id: person.id,
                name: person.display_name,
                municipality: platform.content.place_name(&person.municipality_code),
                attended_all: !marks.is_empty() && marks.iter().all(|(_, ok)| *ok),
                marks: marks.into_iter().map(|(word, _)| word).collect(),
            }
        })
        .collect();
    Ok(Roster {
        code: session.code.clone(),
        title: session.title.clone(),
        parts: parts.iter().map(part_label).collect(),
        rows,
    })
}

use sea_orm::QuerySelect;

/// Every view of a roster is personal data seen: one audit entry each.
async fn audit_view(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    detail: &str,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let target = format!("roster {code}");
    audit(&platform.db, Some(actor), "", AuditAction::PersonalDataViewed, &target, detail, address).await
}

/// The roster, for staff who run the session. Audited.
///
/// # Errors
/// As [`session_for_runner`].
pub async fn roster(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<Roster, DomainError> {
    let (session, access) = session_for_runner(platform, actor, code, address).await?;
    let mut roster = build(platform, &session).await?;
    if access == Access::Instructor {
        // Instructors need the names to take attendance, nothing more.
        for row in &mut roster.rows {
            row.municipality = String::new();
        }
    }
    audit_view(platform, actor, &session.code, &format!("{} people", roster.rows.len()), address).await?;
    Ok(roster)
}

/// The roster as CSV (UTF-8 with BOM, so Excel opens it as it is). Audited.
///
/// # Errors
/// As [`roster`].
pub async fn roster_csv(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<(String, String), DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    let roster = build(platform, &session).await?;
    let field = |text: &str| {
        // Quotes doubled; a leading = + - @ cannot start a formula in Excel.
        let safe = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
        format!("\"{}\"", safe.replace('"', "\"\""))
    };
    let mut out = String::from("\u{feff}");
    let mut header = vec![field("氏名"), field("お住まいの市区町村")];
    header.extend(roster.parts.iter().map(|p| field(p)));
    header.push(field("出席の条件"));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &roster.rows {
        let mut line = vec![field(&row.name), field(&row.municipality)];
        line.extend(row.marks.iter().map(|m| field(m)));
        line.push(field(if row.attended_all { "満たす" } else { "満たさない" }));
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    audit_view(platform, actor, &session.code, &format!("{} people (CSV)", roster.rows.len()), address).await?;
    Ok((format!("roster-{}.csv", session.code), out))
}

/// The instructor ticks a name on the roster: present at that part now.
///
/// # Errors
/// As [`session_for_staff`]; `NotFound` for a person or part not of the session.
pub async fn mark_present(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    enrollment_id: i32,
    position: i32,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    let not_here = || DomainError::NotFound("この研修の名簿にその方はいません".into());
    let person = enrollment::Entity::find_by_id(enrollment_id)
        .one(&platform.db)
        .await?
        .filter(|e| e.session_id == session.id)
        .ok_or_else(not_here)?;
    let part = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .filter(session_part::Column::Position.eq(position))
        .one(&platform.db)
        .await?
        .ok_or_else(not_here)?;
    let already = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.eq(person.id))
        .filter(attendance::Column::PartId.eq(part.id))
        .one(&platform.db)
        .await?;
    if already.is_some() {
        return Ok(());
    }
    let txn = crate::store::db::begin_write(&platform.db).await?;
    record(&txn, person.id, part.id, now, AttendanceMethod::Manual, Some(actor.person_id)).await?;
    let target = format!("roster {} #{}", session.code, person.id);
    audit(&txn, Some(actor), "", AuditAction::AttendanceRecorded, &target, &part_label(&part), address).await?;
    txn.commit().await?;
    Ok(())
}
