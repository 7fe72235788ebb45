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
    store::{
        db,
        entity::{
            attendance, certificate, enrollment, session_part,
            values::{AttendanceMethod, RegistrationSource, RegistrationStatus},
        },
    },
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
                        let word = if judged.unconfirmed {
                            "オンライン未確認"
                        } else if judged.late {
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
                furigana: person.furigana.clone().unwrap_or_default(),
                status: registration_word(person.status).to_owned(),
                holds_seat: person.status == RegistrationStatus::Registered,
                walk_in: person.source == RegistrationSource::WalkIn,
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
    let field = crate::text::csv_field;
    let mut out = String::from("\u{feff}");
    let mut header =
        vec![field("氏名"), field("フリガナ"), field("お住まいの市区町村"), field("申し込み"), field("当日参加")];
    header.extend(roster.parts.iter().map(|p| field(p)));
    header.push(field("出席の条件"));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &roster.rows {
        let mut line = vec![
            field(&row.name),
            field(&row.furigana),
            field(&row.municipality),
            field(&row.status),
            field(if row.walk_in { "当日参加" } else { "" }),
        ];
        line.extend(row.marks.iter().map(|m| field(m)));
        line.push(field(if row.attended_all { "満たす" } else { "満たさない" }));
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    audit_view(platform, actor, &session.code, &format!("{} people (CSV)", roster.rows.len()), address).await?;
    Ok((format!("roster-{}.csv", session.code), out))
}

/// How long a tick kept offline by the roster page may wait to be sent.
pub const OFFLINE_TICK_MAX_AGE: chrono::Duration = chrono::Duration::hours(12);

/// The instructor ticks a name on the roster: present at that part, now,
/// or at `ticked_at` (RFC 3339; empty: now) for a tick the roster page kept
/// while offline (when it
/// lies between the part's doors opening and now, at most 12 hours back).
///
/// # Errors
/// As [`session_for_staff`]; `NotFound` for a person or part not of the session.
#[allow(clippy::too_many_arguments, reason = "the tick, who made it, when, and from where")]
pub async fn mark_present(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    enrollment_id: i32,
    position: i32,
    now: DateTime<Utc>,
    ticked_at: &str,
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
    if person.status != RegistrationStatus::Registered {
        return Err(DomainError::validation(
            "enrollment",
            "申し込みが確定していない方（空席待ち・キャンセル）は出席にできません。当日参加として追加してください",
        ));
    }
    let already = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.eq(person.id))
        .filter(attendance::Column::PartId.eq(part.id))
        .one(&platform.db)
        .await?;
    if already.is_some() {
        return Ok(());
    }
    let earliest = (part.starts_at - super::checkin::DOORS_OPEN).max(now - OFFLINE_TICK_MAX_AGE);
    let at = DateTime::parse_from_rfc3339(ticked_at.trim())
        .ok()
        .map(|t| t.to_utc())
        .filter(|t| *t >= earliest && *t <= now)
        .unwrap_or(now);
    let txn = db::begin_write(&platform.db).await?;
    record(&txn, person.id, part.id, at, AttendanceMethod::Manual, Some(actor.person_id)).await?;
    let target = format!("roster {} #{}", session.code, person.id);
    let detail = if at == now {
        part_label(&part)
    } else {
        format!("{} (ticked offline at {}, sent {})", part_label(&part), at.to_rfc3339(), now.to_rfc3339())
    };
    audit(&txn, Some(actor), "", AuditAction::AttendanceRecorded, &target, &detail, address).await?;
    txn.commit().await?;
    Ok(())
}

/// The instructor confirms an attendance recorded with the online code
/// (the person is in the meeting). Audited.
///
/// # Errors
/// As [`session_for_runner`]; `NotFound` when there is no such attendance.
pub async fn confirm_online(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    enrollment_id: i32,
    position: i32,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    let not_here = || DomainError::NotFound("確認を待っているオンラインの出席がありません".into());
    let part = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .filter(session_part::Column::Position.eq(position))
        .one(&platform.db)
        .await?
        .ok_or_else(not_here)?;
    let txn = db::begin_write(&platform.db).await?;
    let confirmed = attendance::Entity::update_many()
        .col_expr(attendance::Column::RecordedBy, sea_orm::sea_query::Expr::value(Some(actor.person_id)))
        .filter(attendance::Column::EnrollmentId.eq(enrollment_id))
        .filter(attendance::Column::PartId.eq(part.id))
        .filter(attendance::Column::RecordedBy.is_null())
        .exec(&txn)
        .await?;
    if confirmed.rows_affected != 1 {
        return Err(not_here());
    }
    let target = format!("roster {} #{enrollment_id}", session.code);
    audit(&txn, Some(actor), "", AuditAction::AttendanceRecorded, &target, "online code confirmed", address).await?;
    txn.commit().await?;
    Ok(())
}

/// 申し込み済み, 空席待ち … as the roster says it.
#[must_use]
pub fn registration_word(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "申し込み済み",
        RegistrationStatus::Waitlisted => "空席待ち",
        RegistrationStatus::Offered => "空席を案内中",
        RegistrationStatus::Cancelled => "キャンセル",
        RegistrationStatus::Lapsed => "案内の期限切れ",
    }
}

/// A walk-in as the roster's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalkInForm {
    pub name: String,
    pub furigana: String,
    pub municipality: String,
    /// The staff member asked the person and they agreed.
    pub consent: bool,
}

/// Adds someone who came without registering: they hold a seat even beyond
/// the capacity (they are in the room), and are marked present at the part
/// under way or next. Returns the enrollment id, for the link that lets the
/// person continue on their own phone. Audited.
///
/// # Errors
/// As [`session_for_runner`]; Japanese validation messages.
pub async fn add_walk_in(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    form: &WalkInForm,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<i32, DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    if !matches!(
        session.status,
        crate::store::entity::values::SessionStatus::Published | crate::store::entity::values::SessionStatus::Held
    ) {
        return Err(DomainError::validation("name", "終了・中止した研修には追加できません"));
    }
    let name = crate::service::identity::parse_display_name(&form.name)?;
    let furigana = super::registration::normalize_furigana(&form.furigana)?;
    let municipality = super::registration::resolve_residence(platform, &form.municipality)?;
    if !form.consent {
        return Err(DomainError::validation(
            "consent",
            "ご本人に個人情報の取り扱いを説明し、同意を得てからチェックしてください",
        ));
    }
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .order_by_asc(session_part::Column::Position)
        .all(&platform.db)
        .await?;
    let part = parts.iter().find(|p| now <= p.ends_at).or(parts.last());
    let token = crate::service::support::tokens::new_secret_token();
    let hash = crate::service::support::tokens::token_hash(&token);
    let txn = db::begin_write(&platform.db).await?;
    db::insert(
        &txn,
        enrollment::ActiveModel {
            session_id: sea_orm::Set(session.id),
            learner_token_hash: sea_orm::Set(hash.clone()),
            display_name: sea_orm::Set(name.clone()),
            municipality_code: sea_orm::Set(municipality),
            created_at: sea_orm::Set(now),
            furigana: sea_orm::Set(Some(furigana)),
            status: sea_orm::Set(RegistrationStatus::Registered),
            source: sea_orm::Set(RegistrationSource::WalkIn),
            consented_at: sea_orm::Set(Some(now)),
            ..Default::default()
        },
    )
    .await?;
    let added = enrollment::Entity::find()
        .filter(enrollment::Column::LearnerTokenHash.eq(hash))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the walk-in is not there".into()))?;
    if let Some(part) = part {
        record(&txn, added.id, part.id, now, AttendanceMethod::Manual, Some(actor.person_id)).await?;
    }
    let target = format!("roster {} #{}", session.code, added.id);
    audit(&txn, Some(actor), "", AuditAction::WalkInAdded, &target, "", address).await?;
    txn.commit().await?;
    Ok(added.id)
}

/// Corrects the name to print, before the certificate is issued. Audited.
///
/// # Errors
/// As [`session_for_runner`]; validation once a certificate exists.
pub async fn correct_name(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    enrollment_id: i32,
    name: &str,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    let person = enrollment::Entity::find_by_id(enrollment_id)
        .one(&platform.db)
        .await?
        .filter(|e| e.session_id == session.id)
        .ok_or_else(|| DomainError::NotFound("この研修の名簿にその方はいません".into()))?;
    let name = crate::service::identity::parse_display_name(name)?;
    let txn = db::begin_write(&platform.db).await?;
    set_printed_name(&txn, &person, &name).await?;
    let target = format!("roster {} #{}", session.code, person.id);
    audit(&txn, Some(actor), "", AuditAction::NameCorrected, &target, "", address).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the name to print unless a certificate already carries it (a
/// re-issue is the certificates' lifecycle, not a correction).
///
/// # Errors
/// Validation once a certificate exists; database errors.
pub async fn set_printed_name<C: sea_orm::ConnectionTrait>(
    txn: &C,
    person: &enrollment::Model,
    name: &str,
) -> Result<(), DomainError> {
    let issued = certificate::Entity::find().filter(certificate::Column::EnrollmentId.eq(person.id)).one(txn).await?;
    if issued.is_some() {
        return Err(DomainError::validation(
            "name",
            "認定証はすでに発行されています。お名前の訂正は実施する自治体にご相談ください",
        ));
    }
    db::update(
        txn,
        enrollment::ActiveModel {
            id: sea_orm::Unchanged(person.id),
            display_name: sea_orm::Set(name.to_owned()),
            ..Default::default()
        },
    )
    .await
    .map_err(DomainError::from)
}
