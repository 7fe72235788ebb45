//! Implementing bodies plan their sessions: one or more parts (a day, a
//! lecture online and an exercise in person…), seats, listed publicly or
//! reachable only by a private link, created as a draft and then published.

use super::checkin::session_for_staff;
use crate::{
    jurisdiction::LocalGovCode,
    programme::{DeliveryMode, UnitKind},
    roles::Scope,
    service::{
        DomainError, Platform,
        identity::{Actor, audit, refuse},
        support::{
            audit::AuditAction,
            clock::jst,
            mail::{Mail, outbox},
        },
    },
    store::{
        db,
        entity::{
            course_session, enrollment, person, session_instructor, session_part,
            values::{RegistrationStatus, SessionStatus, Visibility},
        },
    },
    text,
    view::{StaffSessionLine, StaffSessions},
};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr};
use std::net::IpAddr;

/// Longest title and place.
pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_PLACE_CHARS: usize = 200;
/// Most seats one session may have.
pub const MAX_CAPACITY: i32 = 10_000;

/// One part as a form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartForm {
    /// `YYYY-MM-DD`, JST.
    pub date: String,
    /// `HH:MM`, JST.
    pub starts: String,
    pub ends: String,
    /// `in_person` or `live_online`.
    pub mode: String,
    /// Venue address or meeting URL.
    pub place: String,
    /// `all`, `lecture` or `exercise`.
    pub covers: String,
}

/// A new session as a form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionForm {
    pub title: String,
    pub programme: String,
    /// The chosen elective unit, where the programme has a group.
    pub elective: String,
    /// The implementing body: a code or a name; empty for the actor's own.
    pub body: String,
    /// Empty: no limit.
    pub capacity: String,
    /// `public` or `closed`.
    pub visibility: String,
    pub parts: Vec<PartForm>,
    /// `YYYY-MM-DDTHH:MM` (JST) or empty: from publication.
    pub registration_opens: String,
    /// `YYYY-MM-DDTHH:MM` (JST) or empty: until the session ends.
    pub registration_closes: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::validation(field, message)
}

fn bounded_text(field: &'static str, label: &str, input: &str, max: usize) -> Result<String, DomainError> {
    let value = input.trim();
    if value.is_empty() {
        return Err(invalid(field, format!("{label}を入力してください")));
    }
    if value.chars().count() > max {
        return Err(invalid(field, format!("{label}は{max}文字以内で入力してください")));
    }
    text::refuse_hidden_characters(value).map_err(|problem| invalid(field, format!("{label}に{problem}")))?;
    Ok(value.to_owned())
}

fn jst_instant(date: NaiveDate, time: &str, field: &'static str) -> Result<DateTime<Utc>, DomainError> {
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| invalid(field, "時刻は 14:00 のように入力してください"))?;
    jst()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| invalid(field, "その日時は使えません"))
}

/// A `datetime-local` value in JST, or `None` when empty.
fn optional_instant(input: &str, field: &'static str) -> Result<Option<DateTime<Utc>>, DomainError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let (date, time) = input.split_once(['T', ' ']).unwrap_or((input, ""));
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| invalid(field, "日時は 2026-12-01 10:00 のように入力してください"))?;
    jst_instant(date, if time.is_empty() { "00:00" } else { time }, field).map(Some)
}

/// A checked part, ready to store.
struct Part {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    mode: DeliveryMode,
    place: String,
    unit_kind: Option<UnitKind>,
}

/// Creates a session as a draft and returns its code.
///
/// # Errors
/// A Japanese validation message naming the field; `Forbidden` (audited)
/// for a body outside the actor's jurisdiction.
pub async fn create(
    platform: &Platform,
    actor: &Actor,
    form: &SessionForm,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<String, DomainError> {
    let title = bounded_text("title", "研修の名前", &form.title, MAX_TITLE_CHARS)?;
    let programme = form
        .programme
        .parse()
        .ok()
        .and_then(|id| platform.content.programme(&id))
        .ok_or_else(|| invalid("programme", "研修の種類を選んでください"))?;
    let elective = match programme.elective_groups.first() {
        None => String::new(),
        Some(group) => group
            .units
            .iter()
            .find(|u| u.id == form.elective)
            .map(|u| u.id.clone())
            .ok_or_else(|| invalid("elective", format!("{}から1つ選んでください", group.title)))?,
    };
    let body = if form.body.trim().is_empty() {
        match actor.grants.iter().find(|g| matches!(g.scope, Scope::Local(_))) {
            Some(grant) => grant.scope,
            None => return Err(invalid("body", "実施する自治体（団体コードか名前）を入力してください")),
        }
    } else {
        platform.content.parse_scope(&form.body).map_err(|_| invalid("body", "実施する自治体が見つかりません"))?
    };
    let Scope::Local(body_code) = body else {
        return Err(invalid("body", "実施する自治体（団体コードか名前）を入力してください"));
    };
    if !actor.runs_sessions_of(body) {
        return Err(refuse(platform, actor, &format!("create session {body}"), address).await);
    }
    let capacity = match form.capacity.trim() {
        "" => None,
        text => Some(text.parse::<i32>().ok().filter(|n| (1..=MAX_CAPACITY).contains(n)).ok_or_else(|| {
            invalid("capacity", format!("定員は1〜{MAX_CAPACITY}の数で入力してください（空欄は定員なし）"))
        })?),
    };
    let visibility = match form.visibility.as_str() {
        "closed" => Visibility::Closed,
        _ => Visibility::Public,
    };
    let parts = check_parts(programme, &form.parts, now)?;
    let first = parts.first().map(|p| p.starts_at).unwrap_or(now);
    let last = parts.iter().map(|p| p.ends_at).max().unwrap_or(now);
    let opens = optional_instant(&form.registration_opens, "registration_opens")?;
    let closes = optional_instant(&form.registration_closes, "registration_closes")?;
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        return Err(invalid("registration_closes", "申し込みの締切は受付開始より後にしてください"));
    }
    if closes.is_some_and(|closes| closes > last) {
        return Err(invalid("registration_closes", "申し込みの締切は研修の終わりより前にしてください"));
    }
    let code = new_code(platform).await?;
    let txn = db::begin_write(&platform.db).await?;
    db::insert(
        &txn,
        course_session::ActiveModel {
            code: Set(code.clone()),
            programme: Set(programme.id.clone()),
            elective_module_id: Set(elective),
            title: Set(title),
            implementing_body_code: Set(body_code.to_string()),
            venue: Set(parts.first().map(|p| p.place.clone()).unwrap_or_default()),
            starts_at: Set(first),
            ends_at: Set(last),
            created_at: Set(now),
            status: Set(SessionStatus::Draft),
            closed_at: Set(None),
            capacity: Set(capacity),
            visibility: Set(visibility),
            registration_opens_at: Set(opens),
            registration_closes_at: Set(closes),
            cancel_reason: Set(None),
            ..Default::default()
        },
    )
    .await?;
    let session = course_session::Entity::find()
        .filter(course_session::Column::Code.eq(code.clone()))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the new session is not there".into()))?;
    for (index, part) in parts.into_iter().enumerate() {
        db::insert(
            &txn,
            session_part::ActiveModel {
                session_id: Set(session.id),
                position: Set(i32::try_from(index + 1).unwrap_or(1)),
                starts_at: Set(part.starts_at),
                ends_at: Set(part.ends_at),
                mode: Set(part.mode),
                place: Set(part.place),
                unit_kind: Set(part.unit_kind),
                ..Default::default()
            },
        )
        .await?;
    }
    audit(&txn, Some(actor), "", AuditAction::SessionCreated, &code, programme.id.as_str(), address).await?;
    txn.commit().await?;
    Ok(code)
}

fn check_parts(
    programme: &crate::programme::Programme,
    forms: &[PartForm],
    now: DateTime<Utc>,
) -> Result<Vec<Part>, DomainError> {
    let filled: Vec<&PartForm> = forms.iter().filter(|p| !p.date.trim().is_empty()).take(10).collect();
    if filled.is_empty() {
        return Err(invalid("date", "日付と時刻を入力してください"));
    }
    let mut parts = Vec::new();
    for form in filled {
        let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
            .map_err(|_| invalid("date", "日付は 2026-12-01 のように入力してください"))?;
        let starts_at = jst_instant(date, &form.starts, "starts")?;
        let ends_at = jst_instant(date, &form.ends, "ends")?;
        if ends_at <= starts_at {
            return Err(invalid("ends", "終わりの時刻は始まりより後にしてください"));
        }
        if ends_at < now {
            return Err(invalid("date", "過ぎた日時の研修は作れません"));
        }
        let mode = match form.mode.as_str() {
            "live_online" => DeliveryMode::LiveOnline,
            _ => DeliveryMode::InPerson,
        };
        let unit_kind = match form.covers.as_str() {
            "lecture" => Some(UnitKind::Lecture),
            "exercise" => Some(UnitKind::Exercise),
            _ => None,
        };
        // Every unit the part teaches must allow the part's mode (e.g. the
        // 訪問支援員 exercises are in person only).
        if let Some(unit) =
            programme.units().find(|u| unit_kind.is_none_or(|k| k == u.kind) && !u.delivery.contains(&mode))
        {
            return Err(invalid(
                "mode",
                format!("「{}」は{}では実施できません（{}）", unit.title, mode.name_ja(), programme.title),
            ));
        }
        let place = bounded_text("place", "会場（住所）またはオンラインのURL", &form.place, MAX_PLACE_CHARS)?;
        parts.push(Part { starts_at, ends_at, mode, place, unit_kind });
    }
    parts.sort_by_key(|p| p.starts_at);
    Ok(parts)
}

/// Six characters residents can type: no 0/O, 1/I/L.
async fn new_code(platform: &Platform) -> Result<String, DomainError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    for _ in 0..8 {
        let mut bytes = [0u8; 6];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        let code: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
        let taken = course_session::Entity::find()
            .filter(course_session::Column::Code.eq(code.clone()))
            .one(&platform.db)
            .await?;
        if taken.is_none() {
            return Ok(code);
        }
    }
    Err(DomainError::Internal("no free session code after eight tries".into()))
}

/// Publishes a draft: it can be found and joined.
///
/// # Errors
/// As [`session_for_staff`]; validation when it is not a draft.
pub async fn publish(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    if session.status != SessionStatus::Draft {
        return Err(invalid("code", "下書きの研修だけを公開できます"));
    }
    let txn = db::begin_write(&platform.db).await?;
    db::update(
        &txn,
        course_session::ActiveModel {
            id: sea_orm::Unchanged(session.id),
            status: Set(SessionStatus::Published),
            ..Default::default()
        },
    )
    .await?;
    audit(&txn, Some(actor), "", AuditAction::SessionPublished, &session.code, "", address).await?;
    txn.commit().await?;
    Ok(())
}

/// Assigns an instructor (a person holding the 指導者 role, by e-mail) to a
/// session of a body the actor runs.
///
/// # Errors
/// As [`session_for_staff`]; a validation message when no instructor has
/// that e-mail.
pub async fn assign_instructor(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    email: &str,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    let email = crate::service::identity::normalize_email(email)?;
    let no_one = || {
        invalid(
            "email",
            "そのメールアドレスの指導者が見つかりません（指導者として招待され、登録した方だけを割り当てられます）",
        )
    };
    let instructor = person::Entity::find()
        .filter(person::Column::Email.eq(email.clone()))
        .one(&platform.db)
        .await?
        .filter(|p| p.disabled_at.is_none())
        .ok_or_else(no_one)?;
    let grants = crate::service::identity::staff_sessions::grants_of(&platform.db, instructor.id).await?;
    if !grants.iter().any(|g| g.role == crate::roles::Role::Instructor) {
        return Err(no_one());
    }
    session_instructor::Entity::insert(session_instructor::ActiveModel {
        session_id: Set(session.id),
        person_id: Set(instructor.id),
        assigned_by: Set(actor.person_id),
        assigned_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([session_instructor::Column::SessionId, session_instructor::Column::PersonId])
    .exec_without_returning(&platform.db)
    .await?;
    audit(&platform.db, Some(actor), "", AuditAction::InstructorAssigned, &session.code, &email, address).await
}

/// The sessions of the bodies the actor runs, and those the actor is
/// assigned to teach, newest first.
///
/// # Errors
/// Database errors.
pub async fn staff_sessions(platform: &Platform, actor: &Actor) -> Result<StaffSessions, DomainError> {
    let sessions = course_session::Entity::find()
        .order_by_desc(course_session::Column::StartsAt)
        .limit(500)
        .all(&platform.db)
        .await?;
    let assigned: Vec<i32> = session_instructor::Entity::find()
        .filter(session_instructor::Column::PersonId.eq(actor.person_id))
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|a| a.session_id)
        .collect();
    let mut lines = Vec::new();
    for session in sessions {
        let Ok(body) = LocalGovCode::parse(&session.implementing_body_code) else { continue };
        let teaches = actor.is_instructor() && assigned.contains(&session.id);
        if !actor.runs_sessions_of(Scope::Local(body)) && !teaches {
            continue;
        }
        let enrolled = enrollment::Entity::find()
            .filter(enrollment::Column::SessionId.eq(session.id))
            .filter(enrollment::Column::Status.eq(RegistrationStatus::Registered))
            .count(&platform.db)
            .await?;
        let waitlisted = enrollment::Entity::find()
            .filter(enrollment::Column::SessionId.eq(session.id))
            .filter(enrollment::Column::Status.is_in([RegistrationStatus::Waitlisted, RegistrationStatus::Offered]))
            .count(&platform.db)
            .await?;
        let runs_body = actor.runs_sessions_of(Scope::Local(body));
        lines.push(StaffSessionLine {
            code: session.code.clone(),
            title: session.title.clone(),
            body: platform.content.place_name(&session.implementing_body_code),
            when: super::sessions::session_info(platform, &session).when,
            status: status_name(session.status).to_owned(),
            draft: session.status == SessionStatus::Draft,
            enrolled,
            waitlisted,
            capacity: session.capacity.and_then(|c| u64::try_from(c).ok()),
            cancellable: runs_body
                && matches!(session.status, SessionStatus::Draft | SessionStatus::Published | SessionStatus::Held),
            runs_body,
        });
    }
    Ok(StaffSessions {
        sessions: lines,
        programmes: platform.content.programmes().iter().map(|p| (p.id.to_string(), p.title.clone())).collect(),
        electives: platform
            .content
            .programmes()
            .iter()
            .flat_map(|p| {
                p.elective_groups
                    .iter()
                    .flat_map(move |g| g.units.iter().map(move |u| (u.id.clone(), format!("{}：{}", p.title, u.title))))
            })
            .collect(),
    })
}

/// Longest reason for a cancellation.
pub const MAX_REASON_CHARS: usize = 200;

/// Cancels a session: every registration ends, and everyone registered,
/// offered a seat or waiting is mailed the reason (in the same transaction,
/// through the outbox). The number of people mailed.
///
/// # Errors
/// As [`session_for_staff`]; validation without a reason, or for a session
/// already closed or cancelled.
pub async fn cancel_session(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    reason: &str,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<usize, DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    if !matches!(session.status, SessionStatus::Draft | SessionStatus::Published | SessionStatus::Held) {
        return Err(invalid("reason", "この研修はすでに終了しているか、中止されています"));
    }
    let reason = bounded_text("reason", "中止の理由", reason, MAX_REASON_CHARS)?;
    let txn = db::begin_write(&platform.db).await?;
    let changed = course_session::Entity::update_many()
        .col_expr(course_session::Column::Status, Expr::value(SessionStatus::Cancelled.as_str()))
        .col_expr(course_session::Column::CancelReason, Expr::value(Some(reason.clone())))
        .filter(course_session::Column::Id.eq(session.id))
        .filter(course_session::Column::Status.is_in([
            SessionStatus::Draft,
            SessionStatus::Published,
            SessionStatus::Held,
        ]))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(invalid("reason", "この研修はすでに終了しているか、中止されています"));
    }
    let affected = enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session.id))
        .filter(enrollment::Column::Status.is_in([
            RegistrationStatus::Registered,
            RegistrationStatus::Offered,
            RegistrationStatus::Waitlisted,
        ]))
        .all(&txn)
        .await?;
    enrollment::Entity::update_many()
        .col_expr(enrollment::Column::Status, Expr::value(RegistrationStatus::Cancelled.as_str()))
        .col_expr(enrollment::Column::CancelledAt, Expr::value(Some(now)))
        .filter(enrollment::Column::Id.is_in(affected.iter().map(|e| e.id)))
        .exec(&txn)
        .await?;
    let mut mailed = 0;
    for person in &affected {
        if let Some(email) = &person.email {
            let facts = super::registration::Facts::of(platform, &session, &person.display_name);
            outbox::queue(&txn, email, &Mail::SessionCancelled { session: facts.mail(), reason: &reason }, now).await?;
            mailed += 1;
        }
    }
    let detail = format!("{mailed} mailed: {reason}");
    audit(&txn, Some(actor), "", AuditAction::SessionCancelled, &session.code, &detail, address).await?;
    txn.commit().await?;
    platform.mail_wakeup.notify_one();
    Ok(mailed)
}

/// 下書き, 公開中 …
#[must_use]
pub fn status_name(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Draft => "下書き",
        SessionStatus::Published => "公開中",
        SessionStatus::Held => "開催中・終了処理待ち",
        SessionStatus::Closed => "終了",
        SessionStatus::Cancelled => "中止",
    }
}
