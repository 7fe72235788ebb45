//! Check-in by a rotating code. The instructor's screen shows a QR code of
//! `PUBLIC_URL/checkin/<token>`: the part, the direction (in or out) and a
//! 30-second slot, signed with the platform's key. A token is taken in its
//! own slot and the next, so a code photographed and shared is useless
//! within a minute, and no one can make one.

use crate::{
    jurisdiction::LocalGovCode,
    roles::Scope,
    service::{
        DomainError, Platform,
        certificates::render::qr_svg,
        identity::{Actor, learner, refuse},
        support::clock::jst,
    },
    store::{
        db,
        entity::{
            attendance, course_session, enrollment, session_instructor, session_part,
            values::{AttendanceMethod, SessionStatus},
        },
    },
    view::{CheckInOutcome, CheckInScreen},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Separates check-in signatures from every other use of the key.
const CONTEXT: &[u8] = b"nimo-check-in-v1\0";
const VERSION: u8 = 1;
/// Length of the signed claims; with the 64-byte signature, 75 bytes: every
/// one of the 100 base64url characters is significant.
const CLAIMS_LEN: usize = 11;
/// One code is shown for this long…
pub const SLOT_SECONDS: i64 = 30;
/// …and taken until the end of the next slot.
pub const SLOTS_ACCEPTED: i64 = 2;
/// A part can be checked into from this long before it starts, and out of
/// until this long after it ends.
pub const DOORS_OPEN: Duration = Duration::minutes(30);

/// A live online part shows a six-digit code instead of relying on a
/// camera: it changes every two minutes and is taken in its own slot and
/// the next. An attendance recorded with it counts only once the instructor
/// confirms it on the roster (they see who is in the meeting).
pub const ONLINE_SLOT_SECONDS: i64 = 120;
const ONLINE_CONTEXT: &[u8] = b"nimo-online-code-v1\0";

fn online_slot_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(ONLINE_SLOT_SECONDS)
}

/// The six digits for one part and two-minute slot.
#[must_use]
pub fn online_code(platform: &Platform, part_id: i32, slot: i64) -> String {
    let claims = [part_id.to_be_bytes().as_slice(), slot.to_be_bytes().as_slice()].concat();
    let signature = platform.signer.sign_for(ONLINE_CONTEXT, &claims);
    let number = u32::from_be_bytes([signature[0], signature[1], signature[2], signature[3]]) % 1_000_000;
    format!("{number:06}")
}

/// Records the learner's attendance at the live online part under way with
/// the code the instructor shows; it waits for the instructor's
/// confirmation. Attempts are limited per learner and address.
///
/// # Errors
/// `NoLearner`; `TooManyAttempts`; a Japanese message for a wrong or old
/// code, or no online part under way.
pub async fn check_in_online(
    platform: &Platform,
    typed: &str,
    learner_token: Option<&str>,
    now: DateTime<Utc>,
    address: IpAddr,
) -> Result<(), DomainError> {
    let learner = learner(platform, learner_token).await?;
    if !platform.attempt_limits.allow_attempt(&format!("online-code {}", learner.enrollment.id), address) {
        return Err(DomainError::TooManyAttempts);
    }
    if learner.enrollment.status != crate::store::entity::values::RegistrationStatus::Registered {
        return Err(DomainError::validation("code", "お申し込みが確定していないため受付できません"));
    }
    let typed: String = typed
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0),
            c if c.is_ascii_digit() => Some(c),
            _ => None,
        })
        .take(12)
        .collect();
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(learner.session.id))
        .all(&platform.db)
        .await?;
    let slot = online_slot_of(now);
    let part = parts
        .iter()
        .filter(|p| p.mode == crate::programme::DeliveryMode::LiveOnline)
        .filter(|p| now >= p.starts_at - DOORS_OPEN && now <= p.ends_at + DOORS_OPEN)
        .find(|p| [slot, slot - 1].iter().any(|s| online_code(platform, p.id, *s) == typed))
        .ok_or_else(|| {
            DomainError::validation(
                "code",
                "出席コードが違うか、古くなっています。講師の画面に表示されている最新の6けたの数字を入力してください",
            )
        })?;
    attendance::Entity::insert(attendance::ActiveModel {
        enrollment_id: Set(learner.enrollment.id),
        part_id: Set(part.id),
        checked_in_at: Set(now),
        checked_out_at: Set(None),
        method: Set(AttendanceMethod::OnlineCode),
        recorded_by: Set(None),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([attendance::Column::EnrollmentId, attendance::Column::PartId])
    .exec_without_returning(&platform.db)
    .await?;
    Ok(())
}

/// In or out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    fn byte(self) -> u8 {
        match self {
            Self::In => 0,
            Self::Out => 1,
        }
    }

    /// `in` or `out`, as URLs carry it.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "in" => Some(Self::In),
            "out" => Some(Self::Out),
            _ => None,
        }
    }
}

fn slot_of(now: DateTime<Utc>) -> u32 {
    u32::try_from(now.timestamp().div_euclid(SLOT_SECONDS)).unwrap_or(0)
}

/// The token for one part, direction and moment.
#[must_use]
pub fn token(platform: &Platform, part_id: i32, direction: Direction, now: DateTime<Utc>) -> String {
    let part = u32::try_from(part_id).unwrap_or(0).to_be_bytes();
    let slot = slot_of(now).to_be_bytes();
    let claims: [u8; CLAIMS_LEN] = [
        VERSION,
        platform.signer.key_id(),
        direction.byte(),
        part[0],
        part[1],
        part[2],
        part[3],
        slot[0],
        slot[1],
        slot[2],
        slot[3],
    ];
    let signature = platform.signer.sign_for(CONTEXT, &claims);
    URL_SAFE_NO_PAD.encode([&claims[..], &signature[..]].concat())
}

/// What a genuine token says.
struct Claims {
    part_id: i32,
    direction: Direction,
    slot: u32,
}

fn read_token(platform: &Platform, token: &str) -> Option<Claims> {
    if token.len() > 200 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
    let (claims, signature) = bytes.split_at_checked(CLAIMS_LEN)?;
    if !platform.signer.verify_for(CONTEXT, claims, signature) {
        return None;
    }
    let [version, _key, direction, p0, p1, p2, p3, s0, s1, s2, s3] = <[u8; CLAIMS_LEN]>::try_from(claims).ok()?;
    if version != VERSION {
        return None;
    }
    let direction = match direction {
        0 => Direction::In,
        1 => Direction::Out,
        _ => return None,
    };
    Some(Claims {
        part_id: i32::try_from(u32::from_be_bytes([p0, p1, p2, p3])).ok()?,
        direction,
        slot: u32::from_be_bytes([s0, s1, s2, s3]),
    })
}

fn unusable() -> DomainError {
    DomainError::validation("code", "このQRコードは使えません。講師の画面に表示されているQRコードを読み取ってください")
}

fn expired() -> DomainError {
    DomainError::validation(
        "code",
        "このQRコードは有効期限（約1分）が過ぎています。講師の画面に表示されている最新のQRコードを読み取ってください",
    )
}

/// Records the learner's check-in (or check-out) with a scanned token.
///
/// # Errors
/// A Japanese validation message for a forged, expired or other session's
/// code, or outside the part's hours; `NoLearner` without a registration.
pub async fn check_in(
    platform: &Platform,
    token: &str,
    learner_token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CheckInOutcome, DomainError> {
    let claims = read_token(platform, token).ok_or_else(unusable)?;
    let current = slot_of(now);
    if claims.slot > current || current - claims.slot >= u32::try_from(SLOTS_ACCEPTED).unwrap_or(2) {
        return Err(expired());
    }
    let part = session_part::Entity::find_by_id(claims.part_id).one(&platform.db).await?.ok_or_else(unusable)?;
    let learner = learner(platform, learner_token).await?;
    if learner.session.id != part.session_id {
        return Err(DomainError::validation(
            "code",
            "このQRコードは、あなたが申し込んだ研修のものではありません。会場の受付でお申し出ください",
        ));
    }
    if learner.enrollment.status != crate::store::entity::values::RegistrationStatus::Registered {
        return Err(DomainError::validation(
            "code",
            "お申し込みが確定していないため受付できません（空席待ち・キャンセル済み）。会場の担当者にお声がけください",
        ));
    }
    if !matches!(learner.session.status, SessionStatus::Published | SessionStatus::Held) {
        return Err(DomainError::validation("code", "この研修は受付を終了しています"));
    }
    if now < part.starts_at - DOORS_OPEN || now > part.ends_at + DOORS_OPEN {
        return Err(DomainError::validation("code", "この時間帯の受付ではありません。研修の時間をご確認ください"));
    }
    let enrollment_id = learner.enrollment.id;
    match claims.direction {
        Direction::In => {
            attendance::Entity::insert(attendance::ActiveModel {
                enrollment_id: Set(enrollment_id),
                part_id: Set(part.id),
                checked_in_at: Set(now),
                checked_out_at: Set(None),
                method: Set(AttendanceMethod::Qr),
                recorded_by: Set(None),
                ..Default::default()
            })
            .on_conflict_do_nothing_on([attendance::Column::EnrollmentId, attendance::Column::PartId])
            .exec_without_returning(&platform.db)
            .await?;
        }
        Direction::Out => {
            let updated = attendance::Entity::update_many()
                .col_expr(attendance::Column::CheckedOutAt, sea_orm::sea_query::Expr::value(Some(now)))
                .filter(attendance::Column::EnrollmentId.eq(enrollment_id))
                .filter(attendance::Column::PartId.eq(part.id))
                .filter(attendance::Column::CheckedOutAt.is_null())
                .exec(&platform.db)
                .await?;
            if updated.rows_affected == 0 {
                return Err(DomainError::validation(
                    "code",
                    "受付（入室）の記録がありません。会場の受付でお申し出ください",
                ));
            }
        }
    }
    let record = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.eq(enrollment_id))
        .filter(attendance::Column::PartId.eq(part.id))
        .one(&platform.db)
        .await?
        .ok_or_else(|| DomainError::Internal("attendance not stored".into()))?;
    let tolerance = super::attendance::tolerance(platform, &learner.session.implementing_body_code).await?;
    let judged = super::attendance::judge(&part, &record, tolerance);
    Ok(CheckInOutcome {
        session_title: learner.session.title.clone(),
        part_label: part_label(&part),
        checked_in_at: record.checked_in_at.with_timezone(&jst()).format("%H:%M").to_string(),
        checked_out_at: record.checked_out_at.map(|t| t.with_timezone(&jst()).format("%H:%M").to_string()),
        late: judged.late,
        left_early: judged.left_early,
        tolerance_minutes: tolerance,
    })
}

/// "11月25日 14:00〜16:00".
#[must_use]
pub fn part_label(part: &session_part::Model) -> String {
    let starts = part.starts_at.with_timezone(&jst());
    let ends = part.ends_at.with_timezone(&jst());
    format!("{} {}〜{}", starts.format("%-m月%-d日"), starts.format("%H:%M"), ends.format("%H:%M"))
}

/// How a staff member reaches a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Runs the implementing body's sessions.
    Body,
    /// An instructor assigned to this session: its check-in, roster (names
    /// only) and closing, nothing else.
    Instructor,
}

/// The session behind a code, for staff who run its implementing body's
/// sessions.
///
/// # Errors
/// `NotFound`; `Forbidden` (audited) for anyone else.
pub async fn session_for_staff(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<course_session::Model, DomainError> {
    match session_for_runner(platform, actor, code, address).await? {
        (session, Access::Body) => Ok(session),
        (session, Access::Instructor) => {
            Err(refuse(platform, actor, &format!("session {} (instructor)", session.code), address).await)
        }
    }
}

/// The session behind a code, for those who run it on the day: its body's
/// staff, or an instructor assigned to it.
///
/// # Errors
/// `NotFound`; `Forbidden` (audited) for anyone else.
pub async fn session_for_runner(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<(course_session::Model, Access), DomainError> {
    let session = super::sessions::find_session(platform, code).await?;
    let body = LocalGovCode::parse(&session.implementing_body_code)
        .map_err(|e| DomainError::Internal(format!("stored implementing body code: {e}")))?;
    if actor.runs_sessions_of(Scope::Local(body)) {
        return Ok((session, Access::Body));
    }
    if actor.is_instructor() {
        let assigned = session_instructor::Entity::find()
            .filter(session_instructor::Column::SessionId.eq(session.id))
            .filter(session_instructor::Column::PersonId.eq(actor.person_id))
            .one(&platform.db)
            .await?;
        if assigned.is_some() {
            return Ok((session, Access::Instructor));
        }
    }
    Err(refuse(platform, actor, &format!("session {}", session.code), address).await)
}

/// What the instructor's screen shows: the current code of one part.
///
/// # Errors
/// As [`session_for_runner`]; `NotFound` for a part the session lacks.
pub async fn screen(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    position: i32,
    direction: Direction,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<CheckInScreen, DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    let parts =
        session_part::Entity::find().filter(session_part::Column::SessionId.eq(session.id)).all(&platform.db).await?;
    let part = parts
        .iter()
        .find(|p| p.position == position)
        .ok_or_else(|| DomainError::NotFound("この研修にその回はありません".into()))?;
    let url = format!("{}/checkin/{}", platform.public_url, token(platform, part.id, direction, now));
    let enrolled = enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session.id))
        .filter(enrollment::Column::Status.eq(crate::store::entity::values::RegistrationStatus::Registered))
        .count(&platform.db)
        .await?;
    let checked_in =
        attendance::Entity::find().filter(attendance::Column::PartId.eq(part.id)).count(&platform.db).await?;
    let slot_ends = (i64::from(slot_of(now)) + 1) * SLOT_SECONDS;
    Ok(CheckInScreen {
        session_title: session.title.clone(),
        code: session.code.clone(),
        part_label: part_label(part),
        position,
        parts: parts.len(),
        checking_out: direction == Direction::Out,
        qr_svg: qr_svg(&url),
        url,
        refresh_in_seconds: u32::try_from((slot_ends - now.timestamp()).clamp(1, SLOT_SECONDS)).unwrap_or(1),
        enrolled,
        checked_in,
        online_code: (part.mode == crate::programme::DeliveryMode::LiveOnline && direction == Direction::In)
            .then(|| online_code(platform, part.id, online_slot_of(now))),
    })
}

/// Writes one attendance in a caller's transaction (manual roster, tests).
///
/// # Errors
/// Database errors.
pub async fn record<C: sea_orm::ConnectionTrait>(
    conn: &C,
    enrollment_id: i32,
    part_id: i32,
    at: DateTime<Utc>,
    method: AttendanceMethod,
    recorded_by: Option<i32>,
) -> Result<(), DomainError> {
    db::insert(
        conn,
        attendance::ActiveModel {
            enrollment_id: Set(enrollment_id),
            part_id: Set(part_id),
            checked_in_at: Set(at),
            checked_out_at: Set(None),
            method: Set(method),
            recorded_by: Set(recorded_by),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
