//! What attendance means: on time (within the implementing body's
//! tolerance, 15 minutes unless it says otherwise, as 奈良県 states it),
//! not gone early, at every part that teaches a unit.

use crate::{
    programme::{Completion, Evidence, UnitDelivery, UnitEvidence, UnitKind},
    service::{DomainError, Platform, identity::Learner, support::clock::jst},
    store::entity::{attendance, implementing_body_setting, module_completion, session_part},
    view::AttendanceLine,
};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

/// Minutes late (or early) that still count when a body has set nothing.
pub const DEFAULT_TOLERANCE_MINUTES: i64 = 15;

/// The implementing body's tolerance, in minutes.
///
/// # Errors
/// Database errors.
pub async fn tolerance(platform: &Platform, body_code: &str) -> Result<i64, DomainError> {
    Ok(implementing_body_setting::Entity::find_by_id(body_code.to_owned())
        .one(&platform.db)
        .await?
        .map_or(DEFAULT_TOLERANCE_MINUTES, |s| i64::from(s.late_tolerance_minutes)))
}

/// One attendance judged against its part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judged {
    pub late: bool,
    pub left_early: bool,
    /// At a live online part, not yet confirmed by the instructor.
    pub unconfirmed: bool,
}

impl Judged {
    #[must_use]
    pub fn attended(self) -> bool {
        !self.late && !self.left_early && !self.unconfirmed
    }
}

#[must_use]
pub fn judge(part: &session_part::Model, record: &attendance::Model, tolerance_minutes: i64) -> Judged {
    let tolerance = Duration::minutes(tolerance_minutes);
    Judged {
        late: record.checked_in_at > part.starts_at + tolerance,
        left_early: record.checked_out_at.is_some_and(|out| out < part.ends_at - tolerance),
        // Online, anyone sent the code can type it: the instructor, who sees
        // who is in the meeting, confirms each one.
        unconfirmed: part.mode == crate::programme::DeliveryMode::LiveOnline && record.recorded_by.is_none(),
    }
}

/// The parts of the learner's session, what is recorded of the learner at
/// them, and the body's tolerance.
async fn recorded(
    platform: &Platform,
    learner: &Learner<'_>,
) -> Result<(Vec<session_part::Model>, Vec<attendance::Model>, i64), DomainError> {
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(learner.session.id))
        .order_by_asc(session_part::Column::Position)
        .all(&platform.db)
        .await?;
    let records = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.eq(learner.enrollment.id))
        .all(&platform.db)
        .await?;
    let tolerance = tolerance(platform, &learner.session.implementing_body_code).await?;
    Ok((parts, records, tolerance))
}

/// How the learner's session delivers each unit of their plan, and what is
/// recorded of the learner there: attendance for the parts, `read` for the
/// units read on the platform.
///
/// # Errors
/// Database errors.
pub async fn evidence(
    platform: &Platform,
    learner: &Learner<'_>,
    read: &HashSet<String>,
) -> Result<HashMap<String, (UnitDelivery, UnitEvidence)>, DomainError> {
    let (parts, records, tolerance) = recorded(platform, learner).await?;
    let mut units = HashMap::new();
    for unit in &learner.plan {
        let part = parts.iter().find(|p| p.unit_kind.is_none_or(|kind: UnitKind| kind == unit.kind));
        let (delivery, attended) = match part {
            // Sessions from before parts existed have none: the material is
            // the delivery. Every session made since has parts.
            None if parts.is_empty() => (UnitDelivery::Unscheduled, false),
            // No part teaches this unit: only reading it on the platform
            // can count, where the unit offers that.
            None => (UnitDelivery::Mode(crate::programme::DeliveryMode::SelfStudy), false),
            Some(part) => {
                let attended =
                    records.iter().find(|r| r.part_id == part.id).is_some_and(|r| judge(part, r, tolerance).attended());
                (UnitDelivery::Mode(part.mode), attended)
            }
        };
        let evidence = UnitEvidence { read: read.contains(&unit.id), attended, video_watched_percent: 0 };
        units.insert(unit.id.clone(), (delivery, evidence));
    }
    Ok(units)
}

/// The learner's own attendance, part by part, in words.
///
/// # Errors
/// `NoLearner`; database errors.
pub async fn lines(platform: &Platform, learner_token: Option<&str>) -> Result<Vec<AttendanceLine>, DomainError> {
    let learner = crate::service::identity::learner(platform, learner_token).await?;
    let (parts, records, tolerance) = recorded(platform, &learner).await?;
    let at = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&jst()).format("%H:%M").to_string();
    Ok(parts
        .iter()
        .map(|part| {
            let record = records.iter().find(|r| r.part_id == part.id);
            let judged = record.map(|r| judge(part, r, tolerance));
            let status = match (record, judged) {
                (Some(r), Some(j)) if j.late => format!(
                    "{} 受付（開始から{tolerance}分を超えた遅刻のため、この回は修了の条件を満たしません）",
                    at(r.checked_in_at)
                ),
                (Some(r), Some(j)) if j.left_early => format!(
                    "{} 受付・{} 退出（終了の{tolerance}分より前の退出のため、この回は修了の条件を満たしません）",
                    at(r.checked_in_at),
                    r.checked_out_at.map(at).unwrap_or_default()
                ),
                (Some(r), Some(j)) if j.unconfirmed => {
                    format!("{} 出席コードを入力（講師の確認を待っています）", at(r.checked_in_at))
                }
                (Some(r), _) => match r.checked_out_at {
                    Some(out) => format!("{} 受付・{} 退出", at(r.checked_in_at), at(out)),
                    None => format!("{} 受付", at(r.checked_in_at)),
                },
                (None, _) => "まだ受付していません".to_owned(),
            };
            AttendanceLine {
                part_label: super::checkin::part_label(part),
                mode: part.mode.name_ja().to_owned(),
                place: part.place.clone(),
                status,
                attended: judged.is_some_and(Judged::attended),
            }
        })
        .collect())
}

/// The units the learner has read on the platform.
///
/// # Errors
/// Database errors.
pub async fn units_read(platform: &Platform, enrollment_id: i32) -> Result<HashSet<String>, DomainError> {
    Ok(module_completion::Entity::find()
        .filter(module_completion::Column::EnrollmentId.eq(enrollment_id))
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|m| m.module_id)
        .collect())
}

/// The programme's completion rule applied to everything recorded of the
/// learner: attendance at the session's parts, units read, the self-check.
///
/// # Errors
/// Database errors.
pub async fn completion(
    platform: &Platform,
    learner: &Learner<'_>,
    self_check_passed: bool,
) -> Result<Completion, DomainError> {
    let read = units_read(platform, learner.enrollment.id).await?;
    let units = evidence(platform, learner, &read).await?;
    Ok(learner.programme.completion(&learner.plan, &Evidence { units, self_check_passed }))
}
