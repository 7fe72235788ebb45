//! The training programmes as typed data. Every programme lives in
//! `content/programmes/<id>/` (see the README there): its plan, the document
//! it earns, who may take it, and the completion rule. The server parses and
//! checks the files at start-up ([`assemble`]); no programme is named in code.

mod completion;
mod file;
mod validate;

pub use completion::{Completion, Evidence, UnitDelivery, UnitEvidence};
pub use file::*;
pub use validate::{ContentError, assemble};

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A programme's id: the name of its folder, stored with every session and
/// certificate. Lowercase ASCII letters, digits and inner hyphens, at most 40.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
pub struct ProgrammeId(String);

/// Why a text is not an id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an id: use 1–40 lowercase letters, digits and hyphens, starting with a letter")]
pub struct BadId(pub String);

/// Ids of programmes, units, elective groups and questions share one syntax.
#[must_use]
pub fn is_valid_id(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && !text.ends_with('-')
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl ProgrammeId {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ProgrammeId {
    type Err = BadId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_valid_id(text) { Ok(Self(text.to_owned())) } else { Err(BadId(text.to_owned())) }
    }
}

impl TryFrom<String> for ProgrammeId {
    type Error = BadId;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<ProgrammeId> for String {
    fn from(id: ProgrammeId) -> Self {
        id.0
    }
}

impl fmt::Display for ProgrammeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A checked programme: units resolved and in teaching order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Programme {
    pub id: ProgrammeId,
    pub title: String,
    pub summary: String,
    pub draft: bool,
    pub sources: Vec<String>,
    pub certificate_code: u8,
    pub number_prefix: crate::certificate::NumberPrefix,
    pub total_minutes: u32,
    pub document: Document,
    pub unit_kinds: UnitKindLabels,
    pub eligibility: Eligibility,
    pub common: Vec<Unit>,
    pub elective_groups: Vec<ResolvedElectiveGroup>,
    pub completion: CompletionRule,
    pub self_check: Option<SelfCheck>,
    pub requirements: Option<Requirements>,
    pub national_target: Option<NationalTarget>,
}

/// An elective group with its units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedElectiveGroup {
    pub id: String,
    pub title: String,
    pub units: Vec<Unit>,
}

impl Programme {
    /// Every unit, common first, then each group's.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.common.iter().chain(self.elective_groups.iter().flat_map(|g| g.units.iter()))
    }

    /// The units a learner takes in a session whose implementing body chose
    /// `chosen` (one unit id per elective group): the common units, then the
    /// chosen ones. `None` when a group has no choice among `chosen`.
    #[must_use]
    pub fn plan_for(&self, chosen: &[&str]) -> Option<Vec<&Unit>> {
        let mut plan: Vec<&Unit> = self.common.iter().collect();
        for group in &self.elective_groups {
            plan.push(group.units.iter().find(|u| chosen.contains(&u.id.as_str()))?);
        }
        Some(plan)
    }

    /// The elective group a unit belongs to, if any.
    #[must_use]
    pub fn elective_group_of(&self, unit_id: &str) -> Option<&ResolvedElectiveGroup> {
        self.elective_groups.iter().find(|g| g.units.iter().any(|u| u.id == unit_id))
    }

    /// The label this programme uses for a kind of unit (座学, 講義, 実習, 演習…).
    #[must_use]
    pub fn kind_label(&self, kind: UnitKind) -> &str {
        match kind {
            UnitKind::Lecture => &self.unit_kinds.lecture,
            UnitKind::Exercise => &self.unit_kinds.exercise,
        }
    }

    /// Scores answers (one choice index per question, in order). A programme
    /// without a self-check never passes one.
    #[must_use]
    pub fn score(&self, answers: &[Option<usize>]) -> SelfCheckResult {
        let Some(check) = &self.self_check else {
            return SelfCheckResult { score: 0, out_of: 0, passed: false, correct: Vec::new() };
        };
        let correct: Vec<bool> = check
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| answers.get(i).copied().flatten() == Some(q.answer))
            .collect();
        let score = correct.iter().filter(|c| **c).count();
        SelfCheckResult { score, out_of: correct.len(), passed: score >= check.pass_mark, correct }
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
