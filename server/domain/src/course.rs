//! Course content as typed data. Files in `content/courses/<id>/` are parsed
//! into these structures at start-up and validated; invalid content stops the
//! server rather than showing learners a broken course.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// `course.toml`: the plan of one course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseFile {
    pub id: String,
    pub title: String,
    /// What the certificate calls its holder, e.g. "心のサポーター".
    pub certificate_title: String,
    pub summary: String,
    pub total_minutes: u32,
    /// Modules every session teaches, in order.
    pub common_modules: Vec<String>,
    /// Modules the implementing body chooses from, one per session.
    pub elective: ElectiveGroup,
    pub self_check: SelfCheck,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectiveGroup {
    pub title: String,
    pub modules: Vec<String>,
}

/// One module file: `modules/NN-slug.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    /// One line shown in the course overview.
    pub summary: String,
    pub sections: Vec<Section>,
}

/// 座学 (reading) or 実習 (a guided exercise).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Section {
    Reading {
        heading: String,
        paragraphs: Vec<String>,
        #[serde(default)]
        points: Vec<String>,
    },
    Practice {
        heading: String,
        /// The situation the learner practises with.
        scenario: String,
        /// What to do, step by step.
        steps: Vec<String>,
        /// Questions to reflect on afterwards.
        prompts: Vec<String>,
        #[serde(default)]
        note: Option<String>,
    },
}

impl Section {
    #[must_use]
    pub fn heading(&self) -> &str {
        match self {
            Self::Reading { heading, .. } | Self::Practice { heading, .. } => heading,
        }
    }

    #[must_use]
    pub fn is_practice(&self) -> bool {
        matches!(self, Self::Practice { .. })
    }
}

/// The short quiz that ends the course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    /// Correct answers needed to pass.
    pub pass_mark: usize,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub choices: Vec<String>,
    /// Index into `choices` of the correct answer. Never sent to a browser.
    pub answer: usize,
    pub explanation: String,
}

/// A validated course: modules resolved and in teaching order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub id: String,
    pub title: String,
    pub certificate_title: String,
    pub summary: String,
    pub total_minutes: u32,
    pub common: Vec<Module>,
    pub elective_title: String,
    pub electives: Vec<Module>,
    pub self_check: SelfCheck,
}

/// Everything wrong with a course, so an author fixes it in one pass.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("course content is invalid:\n- {}", problems.join("\n- "))]
pub struct ContentError {
    pub problems: Vec<String>,
}

impl Course {
    /// Resolves the plan against the module files and checks that ids are
    /// unique, every module is used exactly once, minutes add up to the total
    /// for every elective choice, and the self-check is answerable.
    ///
    /// # Errors
    /// A [`ContentError`] listing every problem found.
    pub fn assemble(plan: CourseFile, modules: Vec<Module>) -> Result<Self, ContentError> {
        let mut problems = Vec::new();
        let mut ids = HashSet::new();
        for module in &modules {
            if !ids.insert(module.id.as_str()) {
                problems.push(format!("duplicate module id `{}`", module.id));
            }
            if module.title.trim().is_empty() || module.sections.is_empty() {
                problems.push(format!("module `{}` needs a title and at least one section", module.id));
            }
            if module.minutes == 0 {
                problems.push(format!("module `{}` has no minutes", module.id));
            }
            for section in &module.sections {
                let empty = match section {
                    Section::Reading { paragraphs, .. } => paragraphs.is_empty(),
                    Section::Practice { steps, prompts, .. } => steps.is_empty() || prompts.is_empty(),
                };
                if empty || section.heading().trim().is_empty() {
                    problems.push(format!("module `{}` has an empty section `{}`", module.id, section.heading()));
                }
            }
        }
        let mut used = HashSet::new();
        let mut take = |id: &String, problems: &mut Vec<String>| {
            if !used.insert(id.clone()) {
                problems.push(format!("module `{id}` is listed twice in course.toml"));
            }
            let found = modules.iter().find(|m| &m.id == id).cloned();
            if found.is_none() {
                problems.push(format!("course.toml lists `{id}` but no module file has that id"));
            }
            found
        };
        let common: Vec<Module> = plan.common_modules.iter().filter_map(|id| take(id, &mut problems)).collect();
        let electives: Vec<Module> = plan.elective.modules.iter().filter_map(|id| take(id, &mut problems)).collect();
        for module in &modules {
            if !used.contains(&module.id) {
                problems.push(format!("module `{}` is not reachable: course.toml does not list it", module.id));
            }
        }
        if electives.len() < 2 {
            problems.push("the elective group needs at least two modules to choose from".into());
        }
        let common_minutes: u32 = common.iter().map(|m| m.minutes).sum();
        for elective in &electives {
            let total = common_minutes + elective.minutes;
            if total != plan.total_minutes {
                problems.push(format!(
                    "with elective `{}` the course lasts {total} minutes, not {}",
                    elective.id, plan.total_minutes
                ));
            }
        }
        let check = &plan.self_check;
        if check.questions.is_empty() || check.pass_mark == 0 || check.pass_mark > check.questions.len() {
            problems.push("the self-check needs questions and a pass mark between 1 and their number".into());
        }
        let mut question_ids = HashSet::new();
        for q in &check.questions {
            if !question_ids.insert(q.id.as_str()) {
                problems.push(format!("duplicate question id `{}`", q.id));
            }
            if q.choices.len() < 2 || q.answer >= q.choices.len() {
                problems.push(format!("question `{}` needs two or more choices and an answer among them", q.id));
            }
        }
        if !problems.is_empty() {
            return Err(ContentError { problems });
        }
        Ok(Self {
            id: plan.id,
            title: plan.title,
            certificate_title: plan.certificate_title,
            summary: plan.summary,
            total_minutes: plan.total_minutes,
            common,
            elective_title: plan.elective.title,
            electives,
            self_check: plan.self_check,
        })
    }

    /// The modules a learner takes in a session whose implementing body chose
    /// `elective_id`: the common modules, then that elective. `None` when the
    /// elective is not one of this course's.
    #[must_use]
    pub fn plan_for(&self, elective_id: &str) -> Option<Vec<&Module>> {
        let elective = self.electives.iter().find(|m| m.id == elective_id)?;
        Some(self.common.iter().chain(std::iter::once(elective)).collect())
    }

    /// Scores answers (one choice index per question, in order).
    #[must_use]
    pub fn score(&self, answers: &[Option<usize>]) -> SelfCheckResult {
        let correct: Vec<bool> = self
            .self_check
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| answers.get(i).copied().flatten() == Some(q.answer))
            .collect();
        let score = correct.iter().filter(|c| **c).count();
        SelfCheckResult { score, out_of: correct.len(), passed: score >= self.self_check.pass_mark, correct }
    }
}

/// The outcome of one self-check attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheckResult {
    pub score: usize,
    pub out_of: usize,
    pub passed: bool,
    /// Whether each question was answered correctly, in order.
    pub correct: Vec<bool>,
}

/// The completion rule: every module of the learner's plan done, and the
/// self-check passed.
#[must_use]
pub fn is_complete(plan: &[&Module], completed_ids: &HashSet<String>, self_check_passed: bool) -> bool {
    self_check_passed && plan.iter().all(|m| completed_ids.contains(&m.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(id: &str, minutes: u32) -> Module {
        Module {
            id: id.into(),
            title: format!("{id} title"),
            minutes,
            summary: String::new(),
            sections: vec![Section::Reading { heading: "h".into(), paragraphs: vec!["p".into()], points: vec![] }],
        }
    }

    fn plan(common: &[&str], electives: &[&str]) -> CourseFile {
        CourseFile {
            id: "c".into(),
            title: "t".into(),
            certificate_title: "心のサポーター".into(),
            summary: String::new(),
            total_minutes: 120,
            common_modules: common.iter().map(|s| (*s).to_owned()).collect(),
            elective: ElectiveGroup {
                title: "選択".into(),
                modules: electives.iter().map(|s| (*s).to_owned()).collect(),
            },
            self_check: SelfCheck {
                pass_mark: 1,
                questions: vec![Question {
                    id: "q1".into(),
                    prompt: "?".into(),
                    choices: vec!["a".into(), "b".into()],
                    answer: 1,
                    explanation: String::new(),
                }],
            },
        }
    }

    #[test]
    fn minutes_must_add_up_for_every_elective() {
        let modules = vec![module("a", 90), module("e1", 30), module("e2", 25)];
        let error = Course::assemble(plan(&["a"], &["e1", "e2"]), modules).err();
        assert!(error.is_some_and(|e| e.problems.iter().any(|p| p.contains("e2") && p.contains("115"))));
    }

    #[test]
    fn unlisted_modules_are_unreachable() {
        let modules = vec![module("a", 90), module("e1", 30), module("e2", 30), module("orphan", 5)];
        let error = Course::assemble(plan(&["a"], &["e1", "e2"]), modules).err();
        assert!(error.is_some_and(|e| e.problems.iter().any(|p| p.contains("orphan"))));
    }

    #[test]
    fn completion_needs_every_planned_module_and_a_pass() {
        let course =
            Course::assemble(plan(&["a"], &["e1", "e2"]), vec![module("a", 90), module("e1", 30), module("e2", 30)]);
        let Ok(course) = course else { panic!("valid course rejected") };
        let Some(plan) = course.plan_for("e2") else { panic!("elective missing") };
        let mut done: HashSet<String> = ["a".to_owned(), "e1".to_owned()].into();
        assert!(!is_complete(&plan, &done, true), "the chosen elective e2 is not done");
        done.insert("e2".into());
        assert!(!is_complete(&plan, &done, false), "self-check not passed");
        assert!(is_complete(&plan, &done, true));
        assert!(course.score(&[Some(1)]).passed);
        assert!(!course.score(&[Some(0)]).passed);
        assert!(!course.score(&[]).passed);
    }
}
