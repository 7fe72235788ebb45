//! The checks a programme passes before the server starts. Each problem
//! names the file and the field, and all are reported at once, so an author
//! fixes the content in one pass.

use super::{
    CompletionRule, Programme, ProgrammeFile, ResolvedElectiveGroup, SelfCheck, SelfCheckRequirement, Unit, UnitKind,
    is_valid_id,
};
use std::collections::{HashMap, HashSet};

/// Longest unit: a day. Bounds every sum of minutes far below overflow.
pub const MAX_UNIT_MINUTES: u32 = 24 * 60;
/// Longest statement: it must fit the printed document in three lines.
pub const MAX_STATEMENT_CHARS: usize = 80;

/// Everything wrong with the content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("content is invalid:\n- {}", problems.join("\n- "))]
pub struct ContentError {
    pub problems: Vec<String>,
}

/// Collects problems against the file they are in.
struct Problems {
    list: Vec<String>,
}

impl Problems {
    fn add(&mut self, file: &str, field: &str, message: impl std::fmt::Display) {
        self.list.push(format!("{file}: `{field}`: {message}"));
    }
}

/// Resolves a programme file against its unit files (each with the path it
/// was read from, for messages) and checks it.
///
/// # Errors
/// A [`ContentError`] listing every problem found.
pub fn assemble(plan: ProgrammeFile, plan_path: &str, units: Vec<(String, Unit)>) -> Result<Programme, ContentError> {
    let mut problems = Problems { list: Vec::new() };
    let mut paths: HashMap<String, String> = HashMap::new();
    for (path, unit) in &units {
        check_unit(&mut problems, path, unit);
        if paths.insert(unit.id.clone(), path.clone()).is_some() {
            problems.add(path, "id", format_args!("unit id `{}` is used by another unit file too", unit.id));
        }
    }
    let by_id: HashMap<&str, &Unit> = units.iter().map(|(_, u)| (u.id.as_str(), u)).collect();
    let mut listed = HashSet::new();
    let mut take = |id: &String, field: &str, problems: &mut Problems| {
        if !listed.insert(id.clone()) {
            problems.add(plan_path, field, format_args!("unit `{id}` is listed twice"));
        }
        let found = by_id.get(id.as_str()).map(|u| (*u).clone());
        if found.is_none() {
            problems.add(plan_path, field, format_args!("lists `{id}` but no unit file has that id"));
        }
        found
    };
    let common: Vec<Unit> = plan.common_units.iter().filter_map(|id| take(id, "common_units", &mut problems)).collect();
    let mut groups = Vec::new();
    let mut group_ids = HashSet::new();
    for group in &plan.elective_groups {
        if !is_valid_id(&group.id) || !group_ids.insert(group.id.as_str()) {
            problems.add(plan_path, "elective_groups.id", format_args!("`{}` is not a unique id", group.id));
        }
        let units: Vec<Unit> =
            group.units.iter().filter_map(|id| take(id, "elective_groups.units", &mut problems)).collect();
        if group.units.len() < 2 {
            problems.add(plan_path, "elective_groups.units", format_args!("group `{}` needs two or more", group.id));
        }
        groups.push(ResolvedElectiveGroup { id: group.id.clone(), title: group.title.clone(), units });
    }
    if plan.elective_groups.len() > 1 {
        // A session records one elective choice today; several groups
        // would need several choices per session (scheduling, next).
        problems.add(plan_path, "elective_groups", "only one elective group is supported for now");
    }
    for (path, unit) in &units {
        if !listed.contains(&unit.id) {
            problems.add(
                path,
                "id",
                format_args!("unit `{}` is not in the plan: programme.toml does not list it", unit.id),
            );
        }
    }
    check_programme(&mut problems, &plan, plan_path);
    check_totals(&mut problems, plan_path, plan.total_minutes, &common, &groups);
    check_completion(&mut problems, plan_path, &plan.completion, plan.total_minutes, plan.self_check.as_ref());
    if let Some(check) = &plan.self_check {
        check_self_check(&mut problems, plan_path, check);
    }
    // The shape a law fixes must hold for every plan a session can choose.
    let plans: Vec<Vec<&Unit>> = match groups.first() {
        None => vec![common.iter().collect()],
        Some(group) => group.units.iter().map(|choice| common.iter().chain([choice]).collect()).collect(),
    };
    for plan_units in &plans {
        check_requirements(&mut problems, plan_path, &plan, plan_units, &paths);
    }
    check_areas(&mut problems, plan_path, &plan, &units);
    // Each plan is checked; a problem they share is said once.
    let mut seen = HashSet::new();
    problems.list.retain(|problem| seen.insert(problem.clone()));
    if !problems.list.is_empty() {
        return Err(ContentError { problems: problems.list });
    }
    Ok(Programme {
        id: plan.id,
        title: plan.title,
        summary: plan.summary,
        draft: plan.draft,
        sources: plan.sources,
        certificate_code: plan.certificate_code,
        number_prefix: plan.number_prefix,
        total_minutes: plan.total_minutes,
        document: plan.document,
        unit_kinds: plan.unit_kinds,
        eligibility: plan.eligibility,
        common,
        elective_groups: groups,
        completion: plan.completion,
        self_check: plan.self_check,
        requirements: plan.requirements,
        national_target: plan.national_target,
    })
}

fn check_programme(problems: &mut Problems, plan: &ProgrammeFile, path: &str) {
    if plan.title.trim().is_empty() {
        problems.add(path, "title", "is empty");
    }
    if plan.certificate_code == 0 {
        problems.add(path, "certificate_code", "must be between 1 and 255");
    }
    if plan.document.holder_title.trim().is_empty() || plan.document.statement.trim().is_empty() {
        problems.add(path, "document", "needs a holder_title and a statement");
    }
    if plan.document.statement.chars().count() > MAX_STATEMENT_CHARS {
        problems.add(path, "document.statement", format_args!("is longer than {MAX_STATEMENT_CHARS} characters"));
    }
    if plan.total_minutes > MAX_UNIT_MINUTES * 100 {
        problems.add(path, "total_minutes", "is longer than any programme can be");
    }
    if plan.eligibility.description().trim().is_empty() {
        problems.add(path, "eligibility.description", "is empty");
    }
    if let super::Eligibility::Qualified { qualifications, alternative_trainings, .. } = &plan.eligibility
        && qualifications.is_empty()
        && alternative_trainings.is_empty()
    {
        problems.add(path, "eligibility.qualifications", "a qualified programme lists qualifications or trainings");
    }
    if plan.common_units.is_empty() {
        problems.add(path, "common_units", "a programme needs at least one common unit");
    }
}

fn check_unit(problems: &mut Problems, path: &str, unit: &Unit) {
    if !is_valid_id(&unit.id) {
        problems.add(path, "id", format_args!("`{}` is not an id (lowercase letters, digits, hyphens)", unit.id));
    }
    if unit.title.trim().is_empty() {
        problems.add(path, "title", "is empty");
    }
    if unit.minutes == 0 || unit.minutes > MAX_UNIT_MINUTES {
        problems.add(path, "minutes", format_args!("must be between 1 and {MAX_UNIT_MINUTES}"));
    }
    if unit.delivery.is_empty() {
        problems.add(path, "delivery", "needs at least one mode");
    }
    if unit.sections.is_empty() {
        problems.add(path, "sections", "needs at least one section");
    }
    for section in &unit.sections {
        let empty = match section {
            super::Section::Reading { paragraphs, .. } => paragraphs.is_empty(),
            super::Section::Practice { steps, prompts, .. } => steps.is_empty() || prompts.is_empty(),
        };
        if empty || section.heading().trim().is_empty() {
            problems.add(path, "sections", format_args!("section `{}` is empty", section.heading()));
        }
    }
    if unit.goals.iter().any(|g| g.trim().is_empty()) {
        problems.add(path, "goals", "has an empty goal");
    }
}

/// Every choice of one unit per elective group must add up to the total.
/// Units of one group differ only in content, so checking each unit against
/// the others' first choice checks every combination.
fn check_totals(problems: &mut Problems, path: &str, total: u32, common: &[Unit], groups: &[ResolvedElectiveGroup]) {
    let common_minutes: u32 = common.iter().map(|u| u.minutes).sum();
    let first_choices: Vec<u32> = groups.iter().map(|g| g.units.first().map_or(0, |u| u.minutes)).collect();
    if groups.is_empty() && common_minutes != total {
        problems.add(path, "total_minutes", format_args!("is {total}, but the units add up to {common_minutes}"));
    }
    for (index, group) in groups.iter().enumerate() {
        let others: u32 = first_choices.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, m)| m).sum();
        for unit in &group.units {
            let sum = common_minutes + others + unit.minutes;
            if sum != total {
                problems.add(
                    path,
                    "total_minutes",
                    format_args!("is {total}, but choosing `{}` in group `{}` makes {sum}", unit.id, group.id),
                );
            }
        }
    }
}

fn check_completion(
    problems: &mut Problems,
    path: &str,
    rule: &CompletionRule,
    total: u32,
    self_check: Option<&SelfCheck>,
) {
    if rule.min_total_minutes > total {
        problems.add(
            path,
            "completion.min_total_minutes",
            format_args!("{} is more than the programme's {total} minutes", rule.min_total_minutes),
        );
    }
    if !(1..=100).contains(&rule.min_video_watched_percent) {
        problems.add(path, "completion.min_video_watched_percent", "must be between 1 and 100");
    }
    if rule.self_check == SelfCheckRequirement::Required && self_check.is_none() {
        problems.add(path, "completion.self_check", "is required, but there is no [self_check]");
    }
}

fn check_self_check(problems: &mut Problems, path: &str, check: &SelfCheck) {
    if check.questions.is_empty() || check.pass_mark == 0 || check.pass_mark > check.questions.len() {
        problems.add(path, "self_check.pass_mark", "needs questions and a pass mark between 1 and their number");
    }
    let mut ids = HashSet::new();
    for q in &check.questions {
        if !ids.insert(q.id.as_str()) {
            problems.add(path, "self_check.questions.id", format_args!("`{}` is used twice", q.id));
        }
        if q.choices.len() < 2 || q.answer >= q.choices.len() {
            problems.add(
                path,
                "self_check.questions.answer",
                format_args!("question `{}` needs two or more choices and an answer among them", q.id),
            );
        }
    }
}

fn check_requirements(
    problems: &mut Problems,
    path: &str,
    plan: &ProgrammeFile,
    units: &[&Unit],
    paths: &HashMap<String, String>,
) {
    let Some(req) = &plan.requirements else { return };
    let basis = &req.basis;
    if let Some(count) = req.unit_count
        && units.len() != count
    {
        problems.add(
            path,
            "common_units",
            format_args!("{basis} requires exactly {count} units, found {}", units.len()),
        );
    }
    if let Some(min) = req.min_total_minutes
        && plan.total_minutes < min
    {
        problems.add(
            path,
            "total_minutes",
            format_args!("{basis} requires at least {min} minutes, the plan has {}", plan.total_minutes),
        );
    }
    if let Some(min) = req.min_exercise_units {
        let exercises = units.iter().filter(|u| u.kind == UnitKind::Exercise).count();
        if exercises < min {
            problems.add(
                path,
                "kind",
                format_args!("{basis} requires at least {min} exercise units, found {exercises}"),
            );
        }
    }
    let path_of = |unit: &Unit| paths.get(&unit.id).cloned().unwrap_or_else(|| path.to_owned());
    if req.goals_on_every_unit {
        for unit in units.iter().filter(|u| u.goals.is_empty()) {
            problems.add(&path_of(unit), "goals", format_args!("{basis} requires a 到達目標 for every unit"));
        }
    }
    for range in &req.minutes {
        let sum: u32 = units.iter().filter(|u| u.kind == range.kind).map(|u| u.minutes).sum();
        if !(range.min..=range.max).contains(&sum) {
            problems.add(
                path,
                "requirements.minutes",
                format_args!(
                    "{basis}: {:?} units add up to {sum} minutes, outside {}–{}",
                    range.kind, range.min, range.max
                ),
            );
        }
    }
    for rule in &req.delivery {
        for unit in units.iter().filter(|u| u.kind == rule.kind) {
            if let Some(mode) = unit.delivery.iter().find(|m| !rule.allowed.contains(m)) {
                problems.add(
                    &path_of(unit),
                    "delivery",
                    format_args!("{basis} does not allow {} for {:?} units", mode.name_ja(), rule.kind),
                );
            }
        }
    }
    for area in &req.areas {
        for kind in &area.kinds {
            if !units.iter().any(|u| u.kind == *kind && u.areas.contains(&area.id)) {
                problems.add(
                    path,
                    "requirements.areas",
                    format_args!("{basis}: no {kind:?} unit covers 「{}」 (`{}`)", area.title, area.id),
                );
            }
        }
    }
}

/// Area ids are unique, each names at least one kind, and units name only
/// areas that exist (none when there is no `[requirements]`).
fn check_areas(problems: &mut Problems, path: &str, plan: &ProgrammeFile, units: &[(String, Unit)]) {
    let areas = plan.requirements.as_ref().map_or(&[][..], |r| r.areas.as_slice());
    let mut ids = HashSet::new();
    for area in areas {
        if !ids.insert(area.id.as_str()) {
            problems.add(path, "requirements.areas.id", format_args!("`{}` is used twice", area.id));
        }
        if area.kinds.is_empty() {
            problems.add(path, "requirements.areas.kinds", format_args!("area `{}` names no kind of unit", area.id));
        }
    }
    for (unit_path, unit) in units {
        for area in unit.areas.iter().filter(|a| !ids.contains(a.as_str())) {
            problems.add(unit_path, "areas", format_args!("`{area}` is not one of [[requirements.areas]]"));
        }
    }
    for range in plan.requirements.iter().flat_map(|r| &r.minutes) {
        if range.min > range.max {
            problems.add(
                path,
                "requirements.minutes",
                format_args!("min {} is more than max {}", range.min, range.max),
            );
        }
    }
}
