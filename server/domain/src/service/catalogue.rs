//! What anyone may read about the programmes: the list, and each one's
//! plan, 到達目標 and completion rule in words. All of it comes from
//! content; nothing here is personal.

use crate::{
    programme::{PartialAttendance, Programme, SelfCheckRequirement, Unit},
    service::{DomainError, Platform},
    view::{ElectiveGroupView, ProgrammeDetail, ProgrammeSummary, UnitView},
};

/// Every programme, in the order they were founded.
#[must_use]
pub fn programmes(platform: &Platform) -> Vec<ProgrammeSummary> {
    platform.content.programmes().iter().map(summary).collect()
}

/// One programme by its id.
///
/// # Errors
/// `NotFound` with a Japanese message for an unknown or malformed id.
pub fn programme(platform: &Platform, id: &str) -> Result<ProgrammeDetail, DomainError> {
    let not_found = || DomainError::NotFound("その研修はありません。研修の一覧からお選びください".into());
    let id = id.parse().map_err(|_| not_found())?;
    platform.content.programme(&id).map(detail).ok_or_else(not_found)
}

/// The programme whose completions count toward the national target: the
/// one the home page is about.
///
/// # Errors
/// `Internal` when content has none.
pub fn featured(platform: &Platform) -> Result<ProgrammeDetail, DomainError> {
    platform
        .content
        .programmes()
        .iter()
        .find(|p| p.national_target.is_some())
        .map(detail)
        .ok_or_else(|| DomainError::Internal("no programme has a national target".into()))
}

fn summary(programme: &Programme) -> ProgrammeSummary {
    ProgrammeSummary {
        id: programme.id.to_string(),
        title: programme.title.clone(),
        summary: programme.summary.clone(),
        total_minutes: programme.total_minutes,
        document_name: programme.document.kind.name_ja().to_owned(),
        holder_title: programme.document.holder_title.clone(),
        eligibility: programme.eligibility.description().to_owned(),
        draft: programme.draft,
        unit_count: programme.common.len() + programme.elective_groups.len(),
    }
}

fn unit_view(programme: &Programme, unit: &Unit) -> UnitView {
    UnitView {
        id: unit.id.clone(),
        title: unit.title.clone(),
        minutes: unit.minutes,
        summary: unit.summary.clone(),
        kind: programme.kind_label(unit.kind).to_owned(),
        delivery: unit.delivery.iter().map(|m| m.name_ja().to_owned()).collect(),
        goals: unit.goals.clone(),
    }
}

fn detail(programme: &Programme) -> ProgrammeDetail {
    ProgrammeDetail {
        summary: summary(programme),
        common_minutes: programme.common.iter().map(|u| u.minutes).sum(),
        common_units: programme.common.iter().map(|u| unit_view(programme, u)).collect(),
        elective_groups: programme
            .elective_groups
            .iter()
            .map(|g| ElectiveGroupView {
                title: g.title.clone(),
                units: g.units.iter().map(|u| unit_view(programme, u)).collect(),
            })
            .collect(),
        completion: completion_in_words(programme),
        statement: programme.document.statement.clone(),
        after_completion: programme.document.after_completion.clone(),
        basis: programme.requirements.as_ref().map(|r| r.basis.clone()),
        sources: programme.sources.clone(),
    }
}

/// The completion rule as sentences a learner or an officer reads.
#[must_use]
pub fn completion_in_words(programme: &Programme) -> Vec<String> {
    let rule = &programme.completion;
    let document = programme.document.kind.name_ja();
    let mut lines = vec![format!("受講計画のすべての単元（合計{}分以上）を受講すること", rule.min_total_minutes)];
    if rule.live_units_need_attendance {
        lines.push("対面・オンライン（同時双方向）の単元は、当日の出席が記録されていること".into());
    }
    if programme.units().any(|u| u.delivery.contains(&crate::programme::DeliveryMode::OnDemandVideo)) {
        lines.push(format!("動画の単元は、{}%以上を視聴していること", rule.min_video_watched_percent));
    }
    if rule.self_check == SelfCheckRequirement::Required
        && let Some(check) = &programme.self_check
    {
        lines.push(format!("最後の確認テスト（{}問）で{}問以上正解すること", check.questions.len(), check.pass_mark));
    }
    lines.push(match rule.partial {
        PartialAttendance::Recorded => {
            format!("一部の単元だけの受講も記録されますが、{document}はすべてを終えたときに発行されます")
        }
        PartialAttendance::NotRecorded => format!("{document}は、すべてを終えたときに発行されます"),
    });
    lines
}
