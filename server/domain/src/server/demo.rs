//! Demo data for the run command: a few scheduled sessions residents can
//! join. Idempotent: a session whose code exists is left alone.

use super::{DomainError, Platform, entity::course_session};
use crate::certificate::Programme;
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

/// (code, title, implementing body code, venue, elective module, days from today)
const DEMO_SESSIONS: &[(&str, &str, &str, &str, &str, i64)] = &[
    (
        "TOKYO1",
        "心のサポーター養成研修（都民向け）",
        "130001",
        "東京都庁 第一本庁舎 5階 大会議室",
        "elective-self-care",
        0,
    ),
    ("OSAKA2", "心のサポーター養成研修（オンライン）", "271004", "オンライン（Zoom）", "elective-young-people", 3),
    (
        "KOBE03",
        "心のサポーター養成研修（大学生向け）",
        "281000",
        "神戸市役所 1号館 14階 会議室",
        "elective-self-care",
        7,
    ),
];

/// Inserts the demo sessions that are missing.
///
/// # Errors
/// Database errors.
pub async fn seed(platform: &Platform) -> Result<usize, DomainError> {
    let today = Utc::now().with_timezone(&super::learning::jst()).date_naive();
    let mut created = 0;
    for (code, title, body, venue, elective, offset) in DEMO_SESSIONS {
        let exists = course_session::Entity::find()
            .filter(course_session::Column::Code.eq(*code))
            .one(&platform.db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let day = today + Duration::days(*offset);
        let starts = super::learning::jst()
            .from_local_datetime(&day.and_hms_opt(14, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now);
        super::db::insert(
            &platform.db,
            course_session::ActiveModel {
                code: Set((*code).to_owned()),
                programme: Set(Programme::KokoroSupporter.as_str().to_owned()),
                course_id: Set(platform.content.kokoro_supporter.id.clone()),
                elective_module_id: Set((*elective).to_owned()),
                title: Set((*title).to_owned()),
                implementing_body_code: Set((*body).to_owned()),
                venue: Set((*venue).to_owned()),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(2)),
                created_at: Set(Utc::now()),
                ..Default::default()
            },
        )
        .await?;
        created += 1;
    }
    Ok(created)
}
