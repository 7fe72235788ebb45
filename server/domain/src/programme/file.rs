//! The shapes of `programme.toml` and `units/*.toml`, exactly as authors
//! write them. Unknown fields are refused, so a misspelt field is an error
//! rather than a silently ignored line.

use super::ProgrammeId;
use crate::certificate::NumberPrefix;
use serde::{Deserialize, Serialize};

/// `programme.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    pub id: ProgrammeId,
    pub title: String,
    pub summary: String,
    /// The curriculum is the platform's draft, not the official table.
    pub draft: bool,
    pub sources: Vec<String>,
    /// Signed into every certificate token: never changed, never reused.
    pub certificate_code: u8,
    pub number_prefix: NumberPrefix,
    pub total_minutes: u32,
    pub common_units: Vec<String>,
    pub document: Document,
    pub unit_kinds: UnitKindLabels,
    pub eligibility: Eligibility,
    #[serde(default)]
    pub elective_groups: Vec<ElectiveGroup>,
    pub completion: CompletionRule,
    #[serde(default)]
    pub self_check: Option<SelfCheck>,
    #[serde(default)]
    pub requirements: Option<Requirements>,
    #[serde(default)]
    pub national_target: Option<NationalTarget>,
}

/// What completion earns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kind: DocumentKind,
    /// Printed large on the document, e.g. 「心のサポーター」.
    pub holder_title: String,
    /// The sentence the document states.
    pub statement: String,
    /// What follows completion, e.g. the governor's 選任.
    #[serde(default)]
    pub after_completion: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    #[serde(rename = "認定証")]
    Certification,
    #[serde(rename = "修了証")]
    Completion,
}

impl DocumentKind {
    #[must_use]
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Certification => "認定証",
            Self::Completion => "修了証",
        }
    }
}

/// The words a programme uses for its two kinds of unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitKindLabels {
    pub lecture: String,
    pub exercise: String,
}

/// Who may take the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Eligibility {
    /// Anyone.
    Open { description: String },
    /// Engaged in a field with a listed national qualification, or having
    /// completed one of the listed trainings.
    Qualified {
        description: String,
        engaged_in: String,
        qualifications: Vec<String>,
        alternative_trainings: Vec<String>,
    },
    /// The implementing body decides who takes part.
    Nominated { description: String },
}

impl Eligibility {
    #[must_use]
    pub fn description(&self) -> &str {
        match self {
            Self::Open { description } | Self::Qualified { description, .. } | Self::Nominated { description } => {
                description
            }
        }
    }
}

/// "The implementing body chooses one of".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectiveGroup {
    pub id: String,
    pub title: String,
    pub units: Vec<String>,
}

/// When someone has completed the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletionRule {
    pub units: RequiredUnits,
    pub min_total_minutes: u32,
    /// A unit delivered 対面 or オンライン counts only with attendance recorded.
    pub live_units_need_attendance: bool,
    /// Share of an on-demand video that must be watched, 0–100.
    pub min_video_watched_percent: u8,
    pub self_check: SelfCheckRequirement,
    pub partial: PartialAttendance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredUnits {
    /// Every unit of the learner's plan.
    AllInPlan,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfCheckRequirement {
    Required,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialAttendance {
    /// Units done are kept and shown as 一部受講, never as 修了.
    Recorded,
    NotRecorded,
}

/// The shape a law or notice fixes, checked at start-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    pub basis: String,
    #[serde(default)]
    pub unit_count: Option<usize>,
    #[serde(default)]
    pub min_total_minutes: Option<u32>,
    #[serde(default)]
    pub min_exercise_units: Option<usize>,
    #[serde(default)]
    pub goals_on_every_unit: bool,
    #[serde(default)]
    pub minutes: Vec<MinutesByKind>,
    #[serde(default)]
    pub delivery: Vec<DeliveryByKind>,
    #[serde(default)]
    pub areas: Vec<Area>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesByKind {
    pub kind: UnitKind,
    pub min: u32,
    pub max: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryByKind {
    pub kind: UnitKind,
    pub allowed: Vec<DeliveryMode>,
}

/// A subject area a law requires, e.g. 「②入院者訪問支援事業の概要」.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub title: String,
    /// For each kind, at least one unit of that kind covers the area.
    pub kinds: Vec<UnitKind>,
}

/// A national target the programme's completions count toward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalTarget {
    pub count: u64,
    pub fiscal_year: i32,
    pub basis: String,
}

/// One unit file: `units/NN-slug.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    /// One line shown in the plan.
    pub summary: String,
    pub kind: UnitKind,
    pub delivery: Vec<DeliveryMode>,
    /// 到達目標.
    pub goals: Vec<String>,
    #[serde(default)]
    pub areas: Vec<String>,
    pub sections: Vec<Section>,
}

stored_words! {
    /// 座学・講義, or 実習・演習. Stored by session parts that teach one kind.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
    pub enum UnitKind {
        Lecture => "lecture",
        Exercise => "exercise",
    }
}

stored_words! {
    /// How a session may deliver a unit. Stored by session parts.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
    pub enum DeliveryMode {
        /// 対面.
        InPerson => "in_person",
        /// オンライン（同時双方向）.
        LiveOnline => "live_online",
        /// 動画（オンデマンド）.
        OnDemandVideo => "on_demand_video",
        /// 自習（読み物）.
        SelfStudy => "self_study",
    }
}

impl DeliveryMode {
    #[must_use]
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::InPerson => "対面",
            Self::LiveOnline => "オンライン（同時双方向）",
            Self::OnDemandVideo => "動画（オンデマンド）",
            Self::SelfStudy => "自習",
        }
    }

    /// Taught to people present at the same time, in a room or online.
    #[must_use]
    pub fn is_live(self) -> bool {
        matches!(self, Self::InPerson | Self::LiveOnline)
    }
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

/// The short quiz that ends a programme.
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
