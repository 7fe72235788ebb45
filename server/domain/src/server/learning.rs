//! The resident's journey: join a session, work through the modules, pass
//! the self-check. Every function takes the learner's token and only ever
//! reads or writes that learner's own records.

use super::{DomainError, Platform, certificates, db, entity::*};
use crate::{
    certificate::Programme,
    course::{Course, Module, is_complete},
    dto::{
        AnswerFeedback, AttemptView, LearnerOverview, ModulePage, ModuleStatus, SelfCheckPage, SessionInfo,
        SessionPoster,
    },
    jurisdiction::LocalGovCode,
    text, wareki,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{FixedOffset, Offset, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// Longest name printed on a certificate.
pub const MAX_NAME_CHARS: usize = 40;

/// Japan Standard Time; the platform shows all times in it.
#[must_use]
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A new secret token (learner and staff cookies, e-mailed links): 256
/// random bits, base64url.
#[must_use]
pub fn new_secret_token() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret token: its SHA-256, hex.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Session codes are typed on phones: fold case, full-width and separators.
#[must_use]
pub fn normalize_session_code(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(u32::from(c) - 0xFEE0),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .map(|c| c.to_ascii_uppercase())
        .take(16)
        .collect()
}

/// Checks the name to print: trimmed, 1 to 40 characters, nothing that
/// prints invisibly or reorders text (see [`text::refuse_hidden_characters`]).
///
/// # Errors
/// A Japanese validation message.
pub fn parse_display_name(input: &str) -> Result<String, DomainError> {
    if input.chars().count() > MAX_NAME_CHARS * 4 {
        return Err(DomainError::validation("name", format!("お名前は{MAX_NAME_CHARS}文字以内で入力してください")));
    }
    text::refuse_hidden_characters(input)
        .map_err(|problem| DomainError::validation("name", format!("お名前に{problem}")))?;
    let name: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DomainError::validation("name", "認定証に印刷するお名前を入力してください"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::validation("name", format!("お名前は{MAX_NAME_CHARS}文字以内で入力してください")));
    }
    Ok(name)
}

/// Finds a session by the code a resident typed or scanned.
///
/// # Errors
/// `NotFound` with a Japanese message.
pub async fn find_session(platform: &Platform, code: &str) -> Result<course_session::Model, DomainError> {
    let code = normalize_session_code(code);
    if code.is_empty() {
        return Err(DomainError::validation("code", "受講コードを入力してください"));
    }
    course_session::Entity::find()
        .filter(course_session::Column::Code.eq(code.clone()))
        .one(&platform.db)
        .await?
        .ok_or_else(|| {
            DomainError::NotFound(format!("受講コード「{code}」の研修が見つかりません。コードをご確認ください"))
        })
}

/// The session as shown to a resident.
#[must_use]
pub fn session_info(platform: &Platform, session: &course_session::Model) -> SessionInfo {
    let jst = jst();
    let starts = session.starts_at.with_timezone(&jst);
    let ends = session.ends_at.with_timezone(&jst);
    let course = platform.content.course(&session.course_id);
    let elective_title = course
        .and_then(|c| c.electives.iter().find(|m| m.id == session.elective_module_id))
        .map(|m| m.title.clone())
        .unwrap_or_default();
    SessionInfo {
        code: session.code.clone(),
        title: session.title.clone(),
        programme_name: Programme::from_str_id(&session.programme)
            .map(Programme::name_ja)
            .unwrap_or_default()
            .to_owned(),
        implementing_body: implementing_body_name(platform, &session.implementing_body_code),
        when: format!(
            "{} {}〜{}",
            wareki::format_date(starts.date_naive()),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        ),
        venue: session.venue.clone(),
        elective_title,
    }
}

/// The join poster of a session: its facts and a QR code of its join URL.
///
/// # Errors
/// `NotFound` for an unknown code.
pub async fn session_poster(platform: &Platform, code: &str) -> Result<SessionPoster, DomainError> {
    let session = find_session(platform, code).await?;
    let join_url = format!("{}/join?code={}", platform.public_url, session.code);
    Ok(SessionPoster { session: session_info(platform, &session), qr_svg: certificates::qr_svg(&join_url), join_url })
}

/// "東京都" or "大阪府大阪市": the full name of an implementing body's code.
#[must_use]
pub fn implementing_body_name(platform: &Platform, code: &str) -> String {
    LocalGovCode::parse(code).map(|c| platform.content.jurisdictions.full_name(c)).unwrap_or_else(|_| code.to_owned())
}

/// Registers a resident for a session and returns the learner token to keep
/// in their cookie.
///
/// # Errors
/// Validation errors in Japanese for an unknown code, a bad name or an
/// unresolvable municipality; database errors.
pub async fn join_session(platform: &Platform, code: &str, name: &str, residence: &str) -> Result<String, DomainError> {
    let session = find_session(platform, code).await?;
    let display_name = parse_display_name(name)?;
    if residence.chars().count() > 40 || text::find_hidden_character(residence).is_some() {
        return Err(DomainError::validation(
            "municipality",
            "お住まいの市区町村名を、候補から選ぶか正しく入力してください",
        ));
    }
    let municipality = platform
        .content
        .jurisdictions
        .resolve_municipality(residence)
        .map_err(|e| DomainError::validation("municipality", e.to_string()))?;
    let token = new_secret_token();
    let txn = db::begin_write(&platform.db).await?;
    db::insert(
        &txn,
        enrollment::ActiveModel {
            session_id: Set(session.id),
            learner_token_hash: Set(token_hash(&token)),
            display_name: Set(display_name),
            municipality_code: Set(municipality.to_string()),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    // Only a committed enrollment may become the learner's cookie.
    txn.commit().await?;
    Ok(token)
}

/// The learner behind a token, with their session and course.
pub struct Learner<'a> {
    pub enrollment: enrollment::Model,
    pub session: course_session::Model,
    pub course: &'a Course,
    pub plan: Vec<&'a Module>,
}

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
    let session = course_session::Entity::find_by_id(enrollment.session_id)
        .one(&platform.db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("enrollment {} has no session", enrollment.id)))?;
    let course = platform
        .content
        .course(&session.course_id)
        .ok_or_else(|| DomainError::Internal(format!("session {} teaches unknown course", session.id)))?;
    let plan = course
        .plan_for(&session.elective_module_id)
        .ok_or_else(|| DomainError::Internal(format!("session {} chose an unknown elective", session.id)))?;
    Ok(Learner { enrollment, session, course, plan })
}

async fn completed_modules(platform: &Platform, enrollment_id: i32) -> Result<HashSet<String>, DomainError> {
    Ok(module_completion::Entity::find()
        .filter(module_completion::Column::EnrollmentId.eq(enrollment_id))
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|m| m.module_id)
        .collect())
}

/// The learner's course page: modules with their state, and the certificate
/// once issued.
///
/// # Errors
/// `NoLearner` without a valid token; database errors.
pub async fn overview(platform: &Platform, token: Option<&str>) -> Result<LearnerOverview, DomainError> {
    let learner = learner(platform, token).await?;
    let done = completed_modules(platform, learner.enrollment.id).await?;
    let certificate = certificates::for_enrollment(platform, learner.enrollment.id).await?;
    let elective_id = &learner.session.elective_module_id;
    Ok(LearnerOverview {
        session: session_info(platform, &learner.session),
        learner_name: learner.enrollment.display_name.clone(),
        municipality: implementing_body_name(platform, &learner.enrollment.municipality_code),
        course_title: learner.course.title.clone(),
        total_minutes: learner.course.total_minutes,
        modules: learner
            .plan
            .iter()
            .map(|m| ModuleStatus {
                id: m.id.clone(),
                title: m.title.clone(),
                minutes: m.minutes,
                summary: m.summary.clone(),
                elective: &m.id == elective_id,
                done: done.contains(&m.id),
            })
            .collect(),
        self_check_passed: learner.enrollment.self_check_passed_at.is_some(),
        certificate_number: certificate.map(|c| c.number),
    })
}

/// One module of the learner's plan.
///
/// # Errors
/// `NotFound` for a module outside the learner's plan.
pub async fn module_page(platform: &Platform, token: Option<&str>, module_id: &str) -> Result<ModulePage, DomainError> {
    let learner = learner(platform, token).await?;
    let done = completed_modules(platform, learner.enrollment.id).await?;
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
    let done = completed_modules(platform, learner.enrollment.id).await?;
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
    let done = completed_modules(platform, learner.enrollment.id).await?;
    let last = self_check_attempt::Entity::find()
        .filter(self_check_attempt::Column::EnrollmentId.eq(learner.enrollment.id))
        .order_by_desc(self_check_attempt::Column::Id)
        .one(&platform.db)
        .await?;
    let questions = &learner.course.self_check.questions;
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
            .map(|q| crate::dto::QuestionView {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                choices: q.choices.clone(),
            })
            .collect(),
        pass_mark: learner.course.self_check.pass_mark,
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
    let done = completed_modules(platform, learner.enrollment.id).await?;
    if !learner.plan.iter().all(|m| done.contains(&m.id)) {
        return Err(DomainError::validation(
            "self_check",
            "まだ終わっていない単元があります。すべての単元を終えてから確認テストに進んでください",
        ));
    }
    let questions = &learner.course.self_check.questions;
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
    let result = learner.course.score(&chosen);
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
    if !result.passed || !is_complete(&learner.plan, &done, result.passed) {
        txn.commit().await?;
        return Ok(SelfCheckOutcome::TryAgain);
    }
    let enrollment =
        enrollment::Model { self_check_passed_at: Some(now), completed_at: Some(now), ..learner.enrollment.clone() };
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
    let number = certificates::issue(platform, &txn, &enrollment, &learner.session, now).await?;
    // The certificate exists only once this commit succeeds; its number is
    // shown to nobody before.
    txn.commit().await?;
    Ok(SelfCheckOutcome::Certified { number })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_codes_fold_what_phones_type() {
        assert_eq!(normalize_session_code(" tokyo-1 "), "TOKYO1");
        assert_eq!(normalize_session_code("ＴＯＫＹＯ１"), "TOKYO1");
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(parse_display_name("  山田　花子 ").ok(), Some("山田 花子".into()));
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"あ".repeat(41)).is_err());
        assert!(parse_display_name("a\u{0007}b").is_err());
        assert!(parse_display_name("山田\u{202E}子花").is_err());
        assert!(parse_display_name("山\u{200B}田").is_err());
        assert!(parse_display_name("山田\u{FFFD}").is_err());
        // Ideographic variation sequences are how 外字-like names are written.
        assert!(parse_display_name("葛\u{E0100}城").is_ok());
    }
}
