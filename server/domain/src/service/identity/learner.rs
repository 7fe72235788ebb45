//! Learners have no account: their device holds a secret token from the
//! moment they join (or from an e-mailed sign-in link), and that token is
//! all that finds their enrollment.

use crate::{
    programme::{Programme, Unit},
    service::{DomainError, Platform, support::tokens::token_hash},
    store::entity::{course_session, enrollment, learner_device},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The learner behind a token, with their session, programme and plan.
pub struct Learner<'a> {
    pub enrollment: enrollment::Model,
    pub session: course_session::Model,
    pub programme: &'a Programme,
    pub plan: Vec<&'a Unit>,
}

/// Finds the learner a token belongs to.
///
/// # Errors
/// `NoLearner` for no or an unknown token; `Internal` when the stored
/// session names a programme or elective the content no longer has.
pub async fn learner<'a>(platform: &'a Platform, token: Option<&str>) -> Result<Learner<'a>, DomainError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(DomainError::NoLearner)?;
    let hash = token_hash(token);
    let first_device = enrollment::Entity::find()
        .filter(enrollment::Column::LearnerTokenHash.eq(hash.clone()))
        .one(&platform.db)
        .await?;
    let enrollment = match first_device {
        Some(enrollment) => enrollment,
        None => {
            // A device signed in later with an e-mailed link.
            let device = learner_device::Entity::find()
                .filter(learner_device::Column::TokenHash.eq(hash))
                .one(&platform.db)
                .await?
                .ok_or(DomainError::NoLearner)?;
            enrollment::Entity::find_by_id(device.enrollment_id)
                .one(&platform.db)
                .await?
                .ok_or(DomainError::NoLearner)?
        }
    };
    learner_of(platform, enrollment).await
}

/// The learner an enrollment is (for staff closing a session).
///
/// # Errors
/// `Internal` when the stored session or its programme is gone.
pub async fn learner_of(platform: &Platform, enrollment: enrollment::Model) -> Result<Learner<'_>, DomainError> {
    let session = course_session::Entity::find_by_id(enrollment.session_id)
        .one(&platform.db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("enrollment {} has no session", enrollment.id)))?;
    let programme = platform.content.programme(&session.programme).ok_or_else(|| {
        DomainError::Internal(format!(
            "session {} teaches `{}`, which content does not have",
            session.id, session.programme
        ))
    })?;
    let plan = programme
        .plan_for(&[session.elective_module_id.as_str()])
        .ok_or_else(|| DomainError::Internal(format!("session {} chose an unknown elective", session.id)))?;
    Ok(Learner { enrollment, session, programme, plan })
}
