//! What happens with time and no one asking: unanswered offers pass to the
//! next in line, reminders go out the configured days before a session,
//! sessions under way are marked held, and the outbox is sent. The server
//! runs [`run`] every few seconds and whenever a change queues mail; tests
//! call it with the moment they want.

use super::registration::{Facts, manage_link, offer_free_seats};
use crate::{
    service::{
        DomainError, Platform,
        support::mail::{Mail, outbox},
    },
    store::{
        db,
        entity::{
            course_session, enrollment, implementing_body_setting,
            values::{RegistrationStatus, SessionStatus},
        },
    },
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};

/// Days before a session its reminder goes out, unless the body set its own.
pub const DEFAULT_REMINDER_DAYS: i32 = 1;
/// Longest reminder lead a body may set.
pub const MAX_REMINDER_DAYS: i32 = 14;
/// Most rows one round touches of each kind; the next round takes the rest.
const ROUND: u64 = 200;

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub offers_lapsed: usize,
    pub seats_offered: usize,
    pub reminders: usize,
    pub sessions_held: u64,
    pub mails_sent: usize,
}

/// One round of upkeep at `now`.
///
/// # Errors
/// Database errors (the round's committed steps stay done).
pub async fn run(platform: &Platform, now: DateTime<Utc>) -> Result<Report, DomainError> {
    let mut report = Report::default();
    lapse_offers(platform, now, &mut report).await?;
    send_reminders(platform, now, &mut report).await?;
    // Read first: an UPDATE that matches nothing still takes SQLite's write
    // lock, and this runs every round.
    let started: Vec<i32> = course_session::Entity::find()
        .filter(course_session::Column::Status.eq(SessionStatus::Published))
        .filter(course_session::Column::StartsAt.lte(now))
        .limit(ROUND)
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if !started.is_empty() {
        report.sessions_held = course_session::Entity::update_many()
            .col_expr(course_session::Column::Status, Expr::value(SessionStatus::Held.as_str()))
            .filter(course_session::Column::Id.is_in(started))
            .filter(course_session::Column::Status.eq(SessionStatus::Published))
            .exec(&platform.db)
            .await?
            .rows_affected;
    }
    report.mails_sent = outbox::deliver_due(&platform.db, &platform.mailer, now).await?;
    Ok(report)
}

async fn lapse_offers(platform: &Platform, now: DateTime<Utc>, report: &mut Report) -> Result<(), DomainError> {
    let expired = enrollment::Entity::find()
        .filter(enrollment::Column::Status.eq(RegistrationStatus::Offered))
        .filter(enrollment::Column::OfferExpiresAt.lte(now))
        .limit(ROUND)
        .all(&platform.db)
        .await?;
    for offer in expired {
        let Some(session) = course_session::Entity::find_by_id(offer.session_id).one(&platform.db).await? else {
            continue;
        };
        let txn = db::begin_write(&platform.db).await?;
        // Accepted at the last moment: it stays accepted.
        let lapsed = enrollment::Entity::update_many()
            .col_expr(enrollment::Column::Status, Expr::value(RegistrationStatus::Lapsed.as_str()))
            .filter(enrollment::Column::Id.eq(offer.id))
            .filter(enrollment::Column::Status.eq(RegistrationStatus::Offered))
            .exec(&txn)
            .await?;
        if lapsed.rows_affected != 1 {
            continue;
        }
        if let Some(email) = &offer.email {
            let facts = Facts::of(platform, &session, &offer.display_name);
            outbox::queue(&txn, email, &Mail::OfferLapsed { session: facts.mail() }, now).await?;
        }
        report.seats_offered += offer_free_seats(platform, &txn, &session, now).await?;
        txn.commit().await?;
        report.offers_lapsed += 1;
    }
    Ok(())
}

async fn send_reminders(platform: &Platform, now: DateTime<Utc>, report: &mut Report) -> Result<(), DomainError> {
    let soon = course_session::Entity::find()
        .filter(course_session::Column::Status.eq(SessionStatus::Published))
        .filter(course_session::Column::StartsAt.gt(now))
        .filter(course_session::Column::StartsAt.lte(now + Duration::days(i64::from(MAX_REMINDER_DAYS))))
        .limit(ROUND)
        .all(&platform.db)
        .await?;
    for session in soon {
        let days = implementing_body_setting::Entity::find_by_id(session.implementing_body_code.clone())
            .one(&platform.db)
            .await?
            .map_or(DEFAULT_REMINDER_DAYS, |s| s.reminder_days_before.clamp(0, MAX_REMINDER_DAYS));
        if days == 0 || session.starts_at > now + Duration::days(i64::from(days)) {
            continue;
        }
        let due = enrollment::Entity::find()
            .filter(enrollment::Column::SessionId.eq(session.id))
            .filter(enrollment::Column::Status.eq(RegistrationStatus::Registered))
            .filter(enrollment::Column::Email.is_not_null())
            .filter(enrollment::Column::RemindedAt.is_null())
            .limit(ROUND)
            .all(&platform.db)
            .await?;
        if due.is_empty() {
            continue;
        }
        let txn = db::begin_write(&platform.db).await?;
        for person in due {
            let marked = enrollment::Entity::update_many()
                .col_expr(enrollment::Column::RemindedAt, Expr::value(Some(now)))
                .filter(enrollment::Column::Id.eq(person.id))
                .filter(enrollment::Column::RemindedAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected != 1 {
                continue;
            }
            if let Some(email) = &person.email {
                let facts = Facts::of(platform, &session, &person.display_name);
                let link = manage_link(platform, person.id);
                outbox::queue(&txn, email, &Mail::Reminder { session: facts.mail(), manage_link: &link }, now).await?;
                report.reminders += 1;
            }
        }
        txn.commit().await?;
    }
    Ok(())
}

/// Runs [`run`] every `every` and whenever a change queued mail, for as
/// long as the server runs. Errors are logged and the next round tries
/// again.
pub async fn keep_running(platform: Platform, every: std::time::Duration) {
    loop {
        match run(&platform, crate::service::support::clock::now()).await {
            Ok(report) if report != Report::default() => tracing::info!(?report, "upkeep"),
            Ok(_) => {}
            Err(error) => tracing::warn!("upkeep failed, will retry: {error}"),
        }
        let _ = tokio::time::timeout(every, platform.mail_wakeup.notified()).await;
    }
}
