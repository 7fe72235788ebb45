//! The resident's journey: join a session, work through the units, pass
//! the self-check. Every function takes the learner's token and only ever
//! reads or writes that learner's own records. Whether the journey is
//! complete is the programme's completion rule's to say.

pub mod join;
pub mod residents;

pub use crate::service::scheduling::sessions::{find_session, normalize_session_code, session_info, session_poster};
pub use join::join_session;

use crate::{
    service::{
        DomainError, Platform, certificates,
        identity::learner,
        scheduling::attendance::{completion, units_read},
    },
    store::entity::values::SessionStatus,
    store::{db, entity::*},
    view::{AnswerFeedback, AttemptView, LearnerOverview, ModulePage, ModuleStatus, QuestionView, SelfCheckPage},
};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The learner's course page: modules with their state, and the certificate
/// once issued.
///
/// # Errors
/// `NoLearner` without a valid token; database errors.
pub async fn overview(platform: &Platform, token: Option<&str>) -> Result<LearnerOverview, DomainError> {
    let learner = learner(platform, token).await?;
    let done = units_read(platform, learner.enrollment.id).await?;
    let certificate = certificates::for_enrollment(platform, learner.enrollment.id).await?;
    let programme = learner.programme;
    let passed = learner.enrollment.self_check_passed_at.is_some();
    let waiting_note = match (&certificate, passed, learner.session.status) {
        (None, true, SessionStatus::Closed) => Some(
            "出席の記録が修了の条件を満たしていないため、認定証は発行されていません。「出席の記録」をご確認のうえ、実施する自治体にお問い合わせください。"
                .to_owned(),
        ),
        (None, true, _) => Some(
            "確認テストに合格しました。研修が終わり、出席の記録が確かめられると認定証が発行されます。".to_owned(),
        ),
        _ => None,
    };
    Ok(LearnerOverview {
        session: session_info(platform, &learner.session),
        learner_name: learner.enrollment.display_name.clone(),
        municipality: platform.content.place_name(&learner.enrollment.municipality_code),
        course_title: programme.title.clone(),
        total_minutes: programme.total_minutes,
        modules: learner
            .plan
            .iter()
            .map(|m| ModuleStatus {
                id: m.id.clone(),
                title: m.title.clone(),
                minutes: m.minutes,
                summary: m.summary.clone(),
                elective: programme.elective_group_of(&m.id).is_some(),
                done: done.contains(&m.id),
            })
            .collect(),
        self_check_passed: learner.enrollment.self_check_passed_at.is_some(),
        certificate_number: certificate.map(|c| c.number),
        waiting_note,
    })
}

/// The learner corrects the name to print, until the certificate exists.
///
/// # Errors
/// `NoLearner`; validation for a bad name or once issued.
pub async fn correct_my_name(platform: &Platform, token: Option<&str>, name: &str) -> Result<(), DomainError> {
    let learner = learner(platform, token).await?;
    let name = crate::service::identity::parse_display_name(name)?;
    let txn = db::begin_write(&platform.db).await?;
    crate::service::scheduling::roster::set_printed_name(&txn, &learner.enrollment, &name).await?;
    txn.commit().await?;
    Ok(())
}

/// One module of the learner's plan.
///
/// # Errors
/// `NotFound` for a module outside the learner's plan.
pub async fn module_page(platform: &Platform, token: Option<&str>, module_id: &str) -> Result<ModulePage, DomainError> {
    let learner = learner(platform, token).await?;
    let done = units_read(platform, learner.enrollment.id).await?;
    let (index, module) = learner
        .plan
        .iter()
        .enumerate()
        .find(|(_, m)| m.id == module_id)
        .ok_or_else(|| DomainError::NotFound("この研修にその単元はありません".into()))?;
    let steps_done = learner.plan.iter().filter(|m| done.contains(&m.id)).count()
        + usize::from(learner.enrollment.self_check_passed_at.is_some());
    Ok(ModulePage {
        module: (*module).clone(),
        position: index + 1,
        of: learner.plan.len(),
        done: done.contains(&module.id),
        steps_done,
        steps_total: learner.plan.len() + 1,
    })
}

/// Marks a module done (again is harmless) and says where to go next: the
/// next unfinished module, or `None` for the self-check.
///
/// # Errors
/// `NotFound` for a module outside the learner's plan.
pub async fn complete_module(
    platform: &Platform,
    token: Option<&str>,
    module_id: &str,
) -> Result<Option<String>, DomainError> {
    let learner = learner(platform, token).await?;
    if !learner.plan.iter().any(|m| m.id == module_id) {
        return Err(DomainError::NotFound("この研修にその単元はありません".into()));
    }
    // No RETURNING: the statement runs to its end, so a failed write is
    // reported, never mistaken for a stored one.
    module_completion::Entity::insert(module_completion::ActiveModel {
        enrollment_id: Set(learner.enrollment.id),
        module_id: Set(module_id.to_owned()),
        completed_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([module_completion::Column::EnrollmentId, module_completion::Column::ModuleId])
    .exec_without_returning(&platform.db)
    .await?;
    let done = units_read(platform, learner.enrollment.id).await?;
    let position = learner.plan.iter().position(|m| m.id == module_id).unwrap_or(0);
    // Prefer the module after this one; fall back to any earlier gap.
    let next = learner.plan[position..]
        .iter()
        .chain(learner.plan[..position].iter())
        .find(|m| !done.contains(&m.id))
        .map(|m| m.id.clone());
    Ok(next)
}

/// The self-check page, with feedback on the last attempt.
///
/// # Errors
/// `NoLearner`; database errors.
pub async fn self_check_page(platform: &Platform, token: Option<&str>) -> Result<SelfCheckPage, DomainError> {
    let learner = learner(platform, token).await?;
    let done = units_read(platform, learner.enrollment.id).await?;
    let last = self_check_attempt::Entity::find()
        .filter(self_check_attempt::Column::EnrollmentId.eq(learner.enrollment.id))
        .order_by_desc(self_check_attempt::Column::Id)
        .one(&platform.db)
        .await?;
    let Some(check) = &learner.programme.self_check else {
        return Err(DomainError::NotFound("この研修に確認テストはありません".into()));
    };
    let questions = &check.questions;
    let last_attempt = last.map(|attempt| {
        let answers: Vec<Option<usize>> = serde_json::from_str(&attempt.answers_json).unwrap_or_default();
        AttemptView {
            score: usize::try_from(attempt.score).unwrap_or(0),
            out_of: usize::try_from(attempt.out_of).unwrap_or(0),
            passed: attempt.passed,
            feedback: questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let chosen = answers.get(i).copied().flatten();
                    AnswerFeedback { chosen, correct: chosen == Some(q.answer), explanation: q.explanation.clone() }
                })
                .collect(),
        }
    });
    let modules_done = learner.plan.iter().filter(|m| done.contains(&m.id)).count();
    let certificate = certificates::for_enrollment(platform, learner.enrollment.id).await?;
    Ok(SelfCheckPage {
        questions: questions
            .iter()
            .map(|q| QuestionView { id: q.id.clone(), prompt: q.prompt.clone(), choices: q.choices.clone() })
            .collect(),
        pass_mark: check.pass_mark,
        modules_done: modules_done == learner.plan.len(),
        last_attempt,
        certificate_number: certificate.map(|c| c.number),
        steps_done: modules_done + usize::from(learner.enrollment.self_check_passed_at.is_some()),
        steps_total: learner.plan.len() + 1,
    })
}

/// What a self-check submission led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelfCheckOutcome {
    /// Passed and complete: the certificate now exists.
    Certified { number: String },
    /// Passed; the certificate comes when the session is closed and the
    /// attendance the programme asks for is recorded.
    Passed,
    /// Not passed: the page shows which answers to revisit.
    TryAgain,
}

/// Scores a submission (answers by question id, as the form sends them),
/// keeps it, and when the course is complete issues the certificate in the
/// same transaction as the completion record.
///
/// # Errors
/// Validation while modules remain; database errors.
pub async fn submit_self_check(
    platform: &Platform,
    token: Option<&str>,
    answers: &[(String, String)],
) -> Result<SelfCheckOutcome, DomainError> {
    let learner = learner(platform, token).await?;
    if let Some(existing) = certificates::for_enrollment(platform, learner.enrollment.id).await? {
        return Ok(SelfCheckOutcome::Certified { number: existing.number });
    }
    let done = units_read(platform, learner.enrollment.id).await?;
    if !learner.plan.iter().all(|m| done.contains(&m.id)) {
        return Err(DomainError::validation(
            "self_check",
            "まだ終わっていない単元があります。すべての単元を終えてから確認テストに進んでください",
        ));
    }
    let Some(check) = &learner.programme.self_check else {
        return Err(DomainError::NotFound("この研修に確認テストはありません".into()));
    };
    let questions = &check.questions;
    let chosen: Vec<Option<usize>> = questions
        .iter()
        .map(|q| {
            answers
                .iter()
                .find(|(id, _)| id == &q.id)
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .filter(|i| *i < q.choices.len())
        })
        .collect();
    let result = learner.programme.score(&chosen);
    let now = Utc::now();
    let txn = db::begin_write(&platform.db).await?;
    // A second submission that raced this one waited for the write lock;
    // it finds the certificate the first one issued and shows it.
    if let Some(existing) = certificate::Entity::find()
        .filter(certificate::Column::EnrollmentId.eq(learner.enrollment.id))
        .one(&txn)
        .await?
    {
        txn.rollback().await?;
        return Ok(SelfCheckOutcome::Certified { number: existing.number });
    }
    db::insert(
        &txn,
        self_check_attempt::ActiveModel {
            enrollment_id: Set(learner.enrollment.id),
            answers_json: Set(serde_json::to_string(&chosen).unwrap_or_else(|_| "[]".into())),
            score: Set(i32::try_from(result.score).unwrap_or(0)),
            out_of: Set(i32::try_from(result.out_of).unwrap_or(0)),
            passed: Set(result.passed),
            created_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    if !result.passed {
        txn.commit().await?;
        return Ok(SelfCheckOutcome::TryAgain);
    }
    // A certificate is earned by attending: it is issued now only if the
    // session is already closed and the attendance it asks for is recorded;
    // otherwise closing the session issues it.
    let closed = learner.session.status == SessionStatus::Closed;
    let complete = closed && completion(platform, &learner, true).await?.complete;
    let passed_at = learner.enrollment.self_check_passed_at.unwrap_or(now);
    let enrollment = enrollment::Model {
        self_check_passed_at: Some(passed_at),
        completed_at: complete.then_some(now),
        ..learner.enrollment.clone()
    };
    db::update(
        &txn,
        enrollment::ActiveModel {
            id: sea_orm::Unchanged(enrollment.id),
            self_check_passed_at: Set(enrollment.self_check_passed_at),
            completed_at: Set(enrollment.completed_at),
            ..Default::default()
        },
    )
    .await?;
    if !complete {
        txn.commit().await?;
        return Ok(SelfCheckOutcome::Passed);
    }
    let number = certificates::issue(platform, &txn, &enrollment, &learner.session, now).await?;
    // The certificate exists only once this commit succeeds; its number is
    // shown to nobody before.
    txn.commit().await?;
    Ok(SelfCheckOutcome::Certified { number })
}
