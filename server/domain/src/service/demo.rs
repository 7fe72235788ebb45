//! Demo data for the run command: the sessions of `content/demo/`, so
//! residents have something to join. Idempotent: a session whose code
//! exists is left alone.

use crate::{
    service::{DomainError, Platform, support::clock::jst},
    store::{
        db,
        entity::{
            course_session, session_part,
            values::{SessionStatus, Visibility},
        },
    },
};
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

/// Inserts the demo sessions that are missing and returns how many.
///
/// # Errors
/// Database errors.
pub async fn seed(platform: &Platform) -> Result<usize, DomainError> {
    let today = Utc::now().with_timezone(&jst()).date_naive();
    let mut created = 0;
    for demo in &platform.content.demo_sessions {
        let exists = course_session::Entity::find()
            .filter(course_session::Column::Code.eq(demo.code.clone()))
            .one(&platform.db)
            .await?
            .is_some();
        let Some(programme) = platform.content.programme(&demo.programme) else { continue };
        if exists {
            continue;
        }
        let starts = match (demo.starts_minutes_from_now, demo.days_from_today) {
            (Some(minutes), _) => Utc::now() + Duration::minutes(minutes),
            (None, days) => jst()
                .from_local_datetime(
                    &(today + Duration::days(days.unwrap_or(0))).and_hms_opt(14, 0, 0).unwrap_or_default(),
                )
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(Utc::now),
        };
        let ends = starts + Duration::minutes(i64::from(programme.total_minutes));
        // The session and its part land together.
        let txn = db::begin_write(&platform.db).await?;
        db::insert(
            &txn,
            course_session::ActiveModel {
                code: Set(demo.code.clone()),
                programme: Set(programme.id.clone()),
                elective_module_id: Set(demo.electives.first().cloned().unwrap_or_default()),
                title: Set(demo.title.clone()),
                implementing_body_code: Set(demo.implementing_body.clone()),
                venue: Set(demo.venue.clone()),
                starts_at: Set(starts),
                ends_at: Set(ends),
                created_at: Set(Utc::now()),
                status: Set(SessionStatus::Published),
                closed_at: Set(None),
                capacity: Set(None),
                visibility: Set(Visibility::Public),
                ..Default::default()
            },
        )
        .await?;
        let session = course_session::Entity::find()
            .filter(course_session::Column::Code.eq(demo.code.clone()))
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::Internal("the demo session is not there".into()))?;
        db::insert(
            &txn,
            session_part::ActiveModel {
                session_id: Set(session.id),
                position: Set(1),
                starts_at: Set(starts),
                ends_at: Set(ends),
                mode: Set(demo.mode),
                place: Set(demo.venue.clone()),
                unit_kind: Set(None),
                ..Default::default()
            },
        )
        .await?;
        txn.commit().await?;
        created += 1;
    }
    Ok(created)
}
