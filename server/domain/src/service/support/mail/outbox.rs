//! Mail that must not be lost with the change that causes it. [`queue`]
//! writes the message in the caller's transaction; [`deliver_due`] sends
//! what is due and, when the mail server refuses, tries again later (1, 2,
//! 4 … minutes, at most an hour apart). A crash between the two sends the
//! mail at the next start; a mail server that is down delays it, never
//! drops it.

use super::{Mail, Mailer};
use crate::store::{db, entity::mail_outbox};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Most messages one round sends.
const BATCH: u64 = 50;

/// Writes `mail` to `to` into the outbox, as part of the caller's
/// transaction.
///
/// # Errors
/// Database errors (the caller's transaction then fails as a whole).
pub async fn queue<C: ConnectionTrait>(db: &C, to: &str, mail: &Mail<'_>, now: DateTime<Utc>) -> Result<(), DbErr> {
    let (subject, body) = mail.render();
    db::insert(
        db,
        mail_outbox::ActiveModel {
            recipient: Set(to.to_owned()),
            subject: Set(subject),
            body: Set(body),
            created_at: Set(now),
            next_attempt_at: Set(now),
            attempts: Set(0),
            sent_at: Set(None),
            last_error: Set(None),
            ..Default::default()
        },
    )
    .await
}

fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1_i64 << attempts.clamp(0, 6)).min(Duration::hours(1))
}

/// Sends the mail that is due; the number sent.
///
/// # Errors
/// Database errors. A refused message is kept for a later try, not an error.
pub async fn deliver_due(db: &DatabaseConnection, mailer: &Mailer, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let due = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(mail_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut sent = 0;
    for message in due {
        let outcome = mailer.send_text(&message.recipient, &message.subject, message.body.clone()).await;
        let update = match outcome {
            Ok(()) => {
                sent += 1;
                mail_outbox::ActiveModel {
                    id: sea_orm::Unchanged(message.id),
                    sent_at: Set(Some(Utc::now())),
                    attempts: Set(message.attempts + 1),
                    last_error: Set(None),
                    ..Default::default()
                }
            }
            Err(error) => {
                tracing::warn!(id = message.id, attempts = message.attempts + 1, "mail not sent, will retry: {error}");
                mail_outbox::ActiveModel {
                    id: sea_orm::Unchanged(message.id),
                    attempts: Set(message.attempts + 1),
                    next_attempt_at: Set(now + backoff(message.attempts)),
                    last_error: Set(Some(error.to_string().chars().take(500).collect())),
                    ..Default::default()
                }
            }
        };
        // Sent but not marked (a crash here) means one duplicate later, the
        // side to err on for an offer or a cancellation.
        db::update(db, update).await?;
    }
    Ok(sent)
}

/// Messages not yet sent (for the health of the mail path).
///
/// # Errors
/// Database errors.
pub async fn pending(db: &DatabaseConnection) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    mail_outbox::Entity::find().filter(mail_outbox::Column::SentAt.is_null()).count(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(40), Duration::hours(1));
    }
}
