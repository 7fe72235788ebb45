//! The completion rule applied to what a learner has done. Pure: the
//! services gather the evidence, this decides, and the same decision is
//! made for every programme from its `[completion]` table.

use super::{CompletionRule, DeliveryMode, PartialAttendance, Programme, SelfCheckRequirement, Unit};
use std::collections::HashMap;

/// How the learner's session delivers one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitDelivery {
    /// The session has no timetable for the unit: the platform's own
    /// material is the delivery, and reading it is what counts. Sessions
    /// created before scheduling existed are all like this.
    Unscheduled,
    Mode(DeliveryMode),
}

/// What is recorded for one unit of one learner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnitEvidence {
    /// The learner worked through the unit's material.
    pub read: bool,
    /// Attendance was recorded by the session's staff.
    pub attended: bool,
    /// Share of the unit's video watched, 0–100.
    pub video_watched_percent: u8,
}

/// Everything the rule looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    pub units: HashMap<String, (UnitDelivery, UnitEvidence)>,
    pub self_check_passed: bool,
}

/// The rule's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub complete: bool,
    /// Units of the plan that count, in plan order.
    pub satisfied: Vec<String>,
    pub satisfied_minutes: u32,
    /// Some units count but not all: 一部受講, recorded for programmes that say so.
    pub partial: bool,
    pub self_check_missing: bool,
}

fn unit_counts(rule: &CompletionRule, delivery: UnitDelivery, evidence: UnitEvidence) -> bool {
    match delivery {
        UnitDelivery::Unscheduled | UnitDelivery::Mode(DeliveryMode::SelfStudy) => evidence.read,
        UnitDelivery::Mode(DeliveryMode::OnDemandVideo) => {
            evidence.video_watched_percent >= rule.min_video_watched_percent
        }
        UnitDelivery::Mode(mode) if mode.is_live() => {
            if rule.live_units_need_attendance {
                evidence.attended
            } else {
                evidence.attended || evidence.read
            }
        }
        UnitDelivery::Mode(_) => false,
    }
}

impl Programme {
    /// Applies this programme's completion rule to a learner's `plan` and
    /// evidence.
    #[must_use]
    pub fn completion(&self, plan: &[&Unit], evidence: &Evidence) -> Completion {
        let rule = &self.completion;
        let satisfied: Vec<&Unit> = plan
            .iter()
            .copied()
            .filter(|unit| {
                evidence.units.get(&unit.id).is_some_and(|(delivery, ev)| {
                    // A mode the unit does not offer teaches nothing it promises.
                    let offered = match delivery {
                        UnitDelivery::Unscheduled => true,
                        UnitDelivery::Mode(mode) => unit.delivery.contains(mode),
                    };
                    offered && unit_counts(rule, *delivery, *ev)
                })
            })
            .collect();
        let satisfied_minutes = satisfied.iter().map(|u| u.minutes).sum();
        let all_units = satisfied.len() == plan.len();
        let self_check_missing = rule.self_check == SelfCheckRequirement::Required && !evidence.self_check_passed;
        let complete = all_units && satisfied_minutes >= rule.min_total_minutes && !self_check_missing;
        Completion {
            complete,
            partial: !complete && !satisfied.is_empty() && rule.partial == PartialAttendance::Recorded,
            satisfied: satisfied.iter().map(|u| u.id.clone()).collect(),
            satisfied_minutes,
            self_check_missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::{
        CompletionRule, Document, DocumentKind, Eligibility, RequiredUnits, Section, SelfCheckRequirement, UnitKind,
        UnitKindLabels,
    };

    fn unit(id: &str, minutes: u32, delivery: &[DeliveryMode]) -> Unit {
        Unit {
            id: id.into(),
            title: id.into(),
            minutes,
            summary: String::new(),
            kind: UnitKind::Lecture,
            delivery: delivery.to_vec(),
            goals: vec![],
            areas: vec![],
            sections: vec![Section::Reading { heading: "h".into(), paragraphs: vec!["p".into()], points: vec![] }],
        }
    }

    fn programme(self_check: SelfCheckRequirement, partial: PartialAttendance) -> Programme {
        Programme {
            id: "p".parse().unwrap_or_else(|_| panic!("id")),
            title: "t".into(),
            summary: String::new(),
            draft: false,
            sources: vec![],
            certificate_code: 9,
            number_prefix: crate::certificate::NumberPrefix::parse("TT").unwrap_or_else(|_| panic!("prefix")),
            total_minutes: 90,
            document: Document {
                kind: DocumentKind::Completion,
                holder_title: "h".into(),
                statement: "s".into(),
                after_completion: None,
            },
            unit_kinds: UnitKindLabels { lecture: "講義".into(), exercise: "演習".into() },
            eligibility: Eligibility::Open { description: "d".into() },
            common: vec![
                unit("live", 30, &[DeliveryMode::InPerson]),
                unit("video", 30, &[DeliveryMode::OnDemandVideo]),
                unit("reading", 30, &[DeliveryMode::SelfStudy]),
            ],
            elective_groups: vec![],
            completion: CompletionRule {
                units: RequiredUnits::AllInPlan,
                min_total_minutes: 90,
                live_units_need_attendance: true,
                min_video_watched_percent: 90,
                self_check,
                partial,
            },
            self_check: None,
            requirements: None,
            national_target: None,
        }
    }

    fn evidence(live: UnitEvidence, video_percent: u8, read: bool, self_check_passed: bool) -> Evidence {
        let mode = |m| UnitDelivery::Mode(m);
        let units = [
            ("live", (mode(DeliveryMode::InPerson), live)),
            (
                "video",
                (
                    mode(DeliveryMode::OnDemandVideo),
                    UnitEvidence { video_watched_percent: video_percent, ..UnitEvidence::default() },
                ),
            ),
            ("reading", (mode(DeliveryMode::SelfStudy), UnitEvidence { read, ..UnitEvidence::default() })),
        ];
        Evidence { units: units.into_iter().map(|(id, e)| (id.to_owned(), e)).collect(), self_check_passed }
    }

    #[test]
    fn live_units_count_only_with_attendance() {
        let p = programme(SelfCheckRequirement::None, PartialAttendance::Recorded);
        let plan: Vec<&Unit> = p.common.iter().collect();
        let read_only = UnitEvidence { read: true, ..UnitEvidence::default() };
        let verdict = p.completion(&plan, &evidence(read_only, 100, true, false));
        assert!(!verdict.complete, "reading the material of an in-person unit is not attending it");
        assert!(verdict.partial, "the other units are kept as 一部受講");
        assert_eq!(verdict.satisfied, ["video", "reading"]);
        let attended = UnitEvidence { attended: true, ..UnitEvidence::default() };
        assert!(p.completion(&plan, &evidence(attended, 100, true, false)).complete);
        let mut online = evidence(attended, 100, true, false);
        if let Some(entry) = online.units.get_mut("live") {
            entry.0 = UnitDelivery::Mode(DeliveryMode::LiveOnline);
        }
        assert!(!p.completion(&plan, &online).complete, "the unit is offered in person only");
    }

    #[test]
    fn videos_count_from_the_share_watched() {
        let p = programme(SelfCheckRequirement::None, PartialAttendance::NotRecorded);
        let plan: Vec<&Unit> = p.common.iter().collect();
        let attended = UnitEvidence { attended: true, ..UnitEvidence::default() };
        let verdict = p.completion(&plan, &evidence(attended, 89, true, false));
        assert!(!verdict.complete && !verdict.partial, "89 % < 90 %, and partial is not recorded");
        assert_eq!(verdict.satisfied_minutes, 60);
        assert!(p.completion(&plan, &evidence(attended, 90, true, false)).complete);
    }

    #[test]
    fn a_required_self_check_must_be_passed() {
        let p = programme(SelfCheckRequirement::Required, PartialAttendance::Recorded);
        let plan: Vec<&Unit> = p.common.iter().collect();
        let attended = UnitEvidence { attended: true, ..UnitEvidence::default() };
        let verdict = p.completion(&plan, &evidence(attended, 100, true, false));
        assert!(!verdict.complete && verdict.self_check_missing);
        assert!(p.completion(&plan, &evidence(attended, 100, true, true)).complete);
    }

    #[test]
    fn unscheduled_units_count_when_read() {
        let p = programme(SelfCheckRequirement::None, PartialAttendance::Recorded);
        let plan: Vec<&Unit> = p.common.iter().collect();
        let units = plan
            .iter()
            .map(|u| {
                (u.id.clone(), (UnitDelivery::Unscheduled, UnitEvidence { read: true, ..UnitEvidence::default() }))
            })
            .collect();
        assert!(p.completion(&plan, &Evidence { units, self_check_passed: false }).complete);
        assert!(!p.completion(&plan, &Evidence::default()).complete, "nothing done is not complete");
    }
}
