//! Demo data for the run command: the sessions of `content/demo/`, so
//! residents have something to join. Idempotent: a session whose code
//! exists is left alone.

use crate::{
    service::{DomainError, Platform, support::clock::jst},
    store::{db, entity::course_session},
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
        let day = today + Duration::days(demo.days_from_today);
        let starts = jst()
            .from_local_datetime(&day.and_hms_opt(14, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now);
        db::insert(
            &platform.db,
            course_session::ActiveModel {
                code: Set(demo.code.clone()),
                programme: Set(programme.id.clone()),
                elective_module_id: Set(demo.electives.first().cloned().unwrap_or_default()),
                title: Set(demo.title.clone()),
                implementing_body_code: Set(demo.implementing_body.clone()),
                venue: Set(demo.venue.clone()),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::minutes(i64::from(programme.total_minutes))),
                created_at: Set(Utc::now()),
                ..Default::default()
            },
        )
        .await?;
        created += 1;
    }
    Ok(created)
}
