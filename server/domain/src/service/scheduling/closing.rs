//! Closing a session: after the last part, the implementing body (or the
//! instructor) closes it, and everyone whose record meets the programme's
//! completion rule receives their certificate, all in one transaction, so
//! the national count moves by exactly that number or not at all.

use super::{attendance::completion, checkin::session_for_runner};
use crate::{
    service::{
        DomainError, Platform, certificates,
        identity::{Actor, audit, learner_of},
        support::audit::AuditAction,
    },
    store::{
        db,
        entity::{
            certificate, course_session, enrollment,
            values::{RegistrationStatus, SessionStatus},
        },
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Closes a session and issues the certificates of all who completed; the
/// number issued.
///
/// # Errors
/// As [`session_for_runner`]; validation for a session already closed or
/// cancelled; database errors (then nothing is issued).
pub async fn close(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<usize, DomainError> {
    let (session, _) = session_for_runner(platform, actor, code, address).await?;
    if !matches!(session.status, SessionStatus::Published | SessionStatus::Held) {
        return Err(DomainError::validation("code", "この研修はすでに終了しているか、中止されています"));
    }
    // Who completed is decided before the write lock is taken; the
    // transaction then finds the session still open, or gives up.
    // Only those holding a seat: a person who cancelled or still waits
    // cannot have attended.
    let enrollments = enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session.id))
        .filter(enrollment::Column::Status.eq(RegistrationStatus::Registered))
        .all(&platform.db)
        .await?;
    let mut completed = Vec::new();
    for enrollment in enrollments {
        let passed = enrollment.self_check_passed_at.is_some();
        let learner = learner_of(platform, enrollment).await?;
        if completion(platform, &learner, passed).await?.complete {
            completed.push(learner.enrollment);
        }
    }
    let txn = db::begin_write(&platform.db).await?;
    let still_open = course_session::Entity::find_by_id(session.id)
        .one(&txn)
        .await?
        .is_some_and(|s| matches!(s.status, SessionStatus::Published | SessionStatus::Held));
    if !still_open {
        return Err(DomainError::validation("code", "この研修はすでに終了しています"));
    }
    let mut issued = 0;
    for enrollment in &completed {
        let has_one =
            certificate::Entity::find().filter(certificate::Column::EnrollmentId.eq(enrollment.id)).one(&txn).await?;
        if has_one.is_some() {
            continue;
        }
        db::update(
            &txn,
            enrollment::ActiveModel {
                id: sea_orm::Unchanged(enrollment.id),
                completed_at: Set(Some(now)),
                ..Default::default()
            },
        )
        .await?;
        certificates::issue(platform, &txn, enrollment, &session, now).await?;
        issued += 1;
    }
    db::update(
        &txn,
        course_session::ActiveModel {
            id: sea_orm::Unchanged(session.id),
            status: Set(SessionStatus::Closed),
            closed_at: Set(Some(now)),
            ..Default::default()
        },
    )
    .await?;
    let detail = format!("{issued} certificates");
    audit(&txn, Some(actor), "", AuditAction::SessionClosed, &session.code, &detail, address).await?;
    txn.commit().await?;
    Ok(issued)
}
