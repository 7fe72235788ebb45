//! The shipped `content/` folder loads and passes validation, and every
//! validation rule refuses a copy of it broken in that one way, naming the
//! file and the field.
#![cfg(feature = "server")]
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::copy_dir;
use nimo_domain::{
    programme::{DeliveryMode, DocumentKind, Eligibility, ProgrammeId, UnitKind},
    service::{Content, content::ContentLoadError},
};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

fn content() -> Content {
    Content::load(&shipped()).unwrap()
}

fn id(text: &str) -> ProgrammeId {
    text.parse().unwrap()
}

/// A copy of the shipped content to break.
struct Copy {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Copy {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        copy_dir(&shipped(), &root);
        Self { _dir: dir, root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join("programmes").join(relative)
    }

    /// Replaces `from` with `to` in one file; the text must be there, so a
    /// change of content cannot make the test pass by accident.
    fn replace(&self, relative: &str, from: &str, to: &str) -> &Self {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} no longer contains {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.path(relative)).unwrap();
        self
    }

    /// The load must fail, and one message must name `file` and `field`.
    fn refused(&self, file: &str, field: &str) -> String {
        let error = match Content::load(&self.root) {
            Ok(_) => panic!("broken content was accepted (expected a problem in {file}, `{field}`)"),
            Err(error) => error.to_string(),
        };
        // One problem per "\n- " item; a parse error is one problem over several lines.
        let named = error.split("\n- ").any(|problem| problem.contains(file) && problem.contains(field));
        assert!(named, "expected a message naming {file} and `{field}`, got:\n{error}");
        error
    }
}

#[test]
fn four_programmes_load_in_the_order_they_were_founded() {
    let content = content();
    let ids: Vec<&str> = content.programmes().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["kokoro-supporter", "kokoro-instructor", "mental-health-counsellor", "inpatient-visitor"]);
    let codes: Vec<u8> = content.programmes().iter().map(|p| p.certificate_code).collect();
    assert_eq!(codes, [1, 2, 3, 4], "the codes signed into tokens before programmes became content");
    let prefixes: Vec<&str> = content.programmes().iter().map(|p| p.number_prefix.as_str()).collect();
    assert_eq!(prefixes, ["KS", "KI", "SS", "HS"]);
}

#[test]
fn the_supporter_course_is_two_hours_for_every_elective() {
    let content = content();
    let course = content.programme(&id("kokoro-supporter")).unwrap();
    assert_eq!(course.total_minutes, 120);
    assert_eq!(course.document.kind, DocumentKind::Certification);
    assert!(matches!(course.eligibility, Eligibility::Open { .. }));
    assert_eq!(course.common.iter().map(|m| m.minutes).sum::<u32>(), 90);
    assert_eq!(course.elective_groups.len(), 1);
    let electives = &course.elective_groups[0].units;
    assert!(electives.len() >= 2);
    for elective in electives {
        let plan = course.plan_for(&[elective.id.as_str()]).unwrap();
        assert_eq!(plan.iter().map(|m| m.minutes).sum::<u32>(), 120, "{}", elective.id);
    }
    let practices = course.common.iter().flat_map(|m| &m.sections).filter(|s| s.is_practice()).count();
    assert!(practices >= 1, "座学＋実習: the common part has exercises");
    let titles: Vec<&str> = course.common.iter().map(|m| m.title.as_str()).collect();
    for expected in [
        "心のサポーターの紹介",
        "こころの病気の知識",
        "こころの病気からの回復",
        "身近な人をサポートする方法",
        "心のサポーター4つのステップ",
    ] {
        assert!(titles.contains(&expected), "missing {expected}");
    }
    assert!(titles.iter().any(|t| t.contains("グループワーク")));
    let target = course.national_target.as_ref().unwrap();
    assert_eq!((target.count, target.fiscal_year), (1_000_000, 2033));
}

#[test]
fn the_instructor_course_is_two_hours_for_the_qualified() {
    let content = content();
    let course = content.programme(&id("kokoro-instructor")).unwrap();
    assert_eq!(course.total_minutes, 120);
    let Eligibility::Qualified { qualifications, alternative_trainings, .. } = &course.eligibility else {
        panic!("the instructor course is for the qualified")
    };
    for qualification in ["医師", "保健師", "看護師", "精神保健福祉士", "公認心理師"] {
        assert!(qualifications.iter().any(|q| q == qualification), "{qualification}");
    }
    assert!(alternative_trainings.iter().any(|t| t.contains("メンタルヘルス・ファーストエイド")));
}

#[test]
fn the_counsellor_course_is_eleven_subjects_over_22_hours_marked_as_a_draft() {
    let content = content();
    let course = content.programme(&id("mental-health-counsellor")).unwrap();
    let units: Vec<_> = course.units().collect();
    assert_eq!(units.len(), 11);
    assert!(course.total_minutes >= 1320);
    assert!(units.iter().any(|u| u.kind == UnitKind::Exercise));
    assert!(units.iter().all(|u| !u.goals.is_empty()), "a 到達目標 for every subject");
    assert!(course.draft, "the official subject table is not in our sources");
    assert_eq!(course.document.kind, DocumentKind::Completion);
    let lectures_by_video =
        units.iter().filter(|u| u.kind == UnitKind::Lecture).all(|u| u.delivery.contains(&DeliveryMode::OnDemandVideo));
    assert!(lectures_by_video, "lectures may be watched as video");
    let all = course.plan_for(&[]).unwrap();
    let some: Vec<_> = all.iter().take(3).map(|u| (u.id.clone(), u.minutes)).collect();
    assert_eq!(some.len(), 3);
}

#[test]
fn the_visitor_course_has_five_hours_of_lectures_and_six_of_exercises_in_person() {
    let content = content();
    let course = content.programme(&id("inpatient-visitor")).unwrap();
    let minutes = |kind| course.units().filter(|u| u.kind == kind).map(|u| u.minutes).sum::<u32>();
    assert!((270..=330).contains(&minutes(UnitKind::Lecture)), "講義 ≈ 5 h: {}", minutes(UnitKind::Lecture));
    assert!((330..=390).contains(&minutes(UnitKind::Exercise)), "演習 ≈ 6 h: {}", minutes(UnitKind::Exercise));
    for exercise in course.units().filter(|u| u.kind == UnitKind::Exercise) {
        assert_eq!(exercise.delivery, [DeliveryMode::InPerson], "{}", exercise.id);
    }
    let areas = &course.requirements.as_ref().unwrap().areas;
    let titles: Vec<&str> = areas.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["①精神保健、医療及び福祉の現状及び課題", "②入院者訪問支援事業の概要", "③入院者訪問支援員として必要な技能"]
    );
    assert!(course.document.after_completion.as_deref().is_some_and(|t| t.contains("選任")));
}

#[test]
fn all_jurisdictions_load_with_valid_codes() {
    let content = content();
    let index = &content.jurisdictions;
    assert_eq!(index.prefectures().count(), 47);
    assert_eq!(index.municipality_count(), 1747);
    let total: u64 = (1..=47).map(|n| index.prefecture_population(n).unwrap()).sum();
    assert_eq!(total, 126_146_099);
    let fuchu = index.search_municipalities("ふちゅう", 10);
    assert!(fuchu.iter().any(|m| m.full_name == "東京都府中市"));
    assert!(fuchu.iter().any(|m| m.full_name == "広島県府中市"));
    assert!(index.resolve_municipality("府中市").is_err(), "ambiguous");
    assert_eq!(index.resolve_municipality("東京都府中市").unwrap().to_string(), "132063");
    assert_eq!(index.resolve_municipality("シンジュクク").unwrap().to_string(), "131041");
    assert_eq!(index.resolve_municipality("131041").unwrap().to_string(), "131041");
    assert!(index.resolve_municipality("131042").is_err(), "bad check digit");
    assert_eq!(index.full_name(nimo_domain::jurisdiction::LocalGovCode::parse("271276").unwrap()), "大阪府大阪市北区");
}

// ---- a new programme is a folder -------------------------------------------

#[test]
fn a_new_programme_is_one_folder_and_nothing_else() {
    let copy = Copy::new();
    let dir = copy.path("first-aid-refresher");
    std::fs::create_dir_all(dir.join("units")).unwrap();
    std::fs::write(
        dir.join("programme.toml"),
        r#"
id = "first-aid-refresher"
title = "心の応急処置 ふりかえり研修"
summary = "修了者が学んだことを思い出すための1時間の研修です。"
draft = true
sources = ["テスト用"]
certificate_code = 9
number_prefix = "FR"
total_minutes = 60
common_units = ["recap", "practice"]

[document]
kind = "修了証"
holder_title = "ふりかえり研修 修了"
statement = "あなたは心の応急処置 ふりかえり研修を修了したことを証します。"

[unit_kinds]
lecture = "講義"
exercise = "演習"

[eligibility]
rule = "open"
description = "どなたでも受講できます。"

[completion]
units = "all_in_plan"
min_total_minutes = 60
live_units_need_attendance = true
min_video_watched_percent = 90
self_check = "none"
partial = "recorded"
"#,
    )
    .unwrap();
    let unit = |id: &str, kind: &str, minutes: u32| {
        format!(
            "id = \"{id}\"\ntitle = \"{id}\"\nminutes = {minutes}\nsummary = \"s\"\nkind = \"{kind}\"\n\
             delivery = [\"in_person\", \"on_demand_video\"]\ngoals = [\"ふりかえることができる\"]\n\n\
             [[sections]]\nkind = \"reading\"\nheading = \"h\"\nparagraphs = [\"p\"]\n"
        )
    };
    std::fs::write(dir.join("units/01-recap.toml"), unit("recap", "lecture", 30)).unwrap();
    std::fs::write(dir.join("units/02-practice.toml"), unit("practice", "exercise", 30)).unwrap();
    let content = Content::load(&copy.root).unwrap();
    assert_eq!(content.programmes().len(), 5);
    let added = content.programme(&id("first-aid-refresher")).unwrap();
    assert_eq!(added.title, "心の応急処置 ふりかえり研修");
    assert_eq!(content.programme_by_code(9).map(|p| p.id.as_str()), Some("first-aid-refresher"));
    assert_eq!(added.plan_for(&[]).unwrap().len(), 2);
    // Validated like the others: break it and it is refused.
    std::fs::write(dir.join("units/02-practice.toml"), unit("practice", "exercise", 20)).unwrap();
    let Err(error) = Content::load(&copy.root) else { panic!("50 minutes accepted as 60") };
    assert!(error.to_string().contains("first-aid-refresher/programme.toml: `total_minutes`"), "{error}");
}

// ---- one refused copy per rule ---------------------------------------------

#[test]
fn refused_an_unknown_field_names_file_and_field() {
    let copy = Copy::new();
    copy.replace("kokoro-supporter/units/01-intro.toml", "minutes = 10", "minutes = 10\nminuets = 10");
    let error = copy.refused("01-intro.toml", "minuets");
    assert!(matches!(Content::load(&copy.root), Err(ContentLoadError::Parse { .. })), "{error}");
}

#[test]
fn refused_a_folder_whose_name_is_not_its_id() {
    let copy = Copy::new();
    copy.replace("kokoro-instructor/programme.toml", "id = \"kokoro-instructor\"", "id = \"kokoro-teacher\"");
    copy.refused("kokoro-instructor/programme.toml", "id");
}

#[test]
fn refused_two_units_with_one_id() {
    let copy = Copy::new();
    copy.replace("kokoro-supporter/units/02-knowledge.toml", "id = \"knowledge\"", "id = \"intro\"");
    copy.refused("02-knowledge.toml", "id");
}

#[test]
fn refused_two_programmes_with_one_certificate_code() {
    let copy = Copy::new();
    copy.replace("inpatient-visitor/programme.toml", "certificate_code = 4", "certificate_code = 1");
    copy.refused("programme.toml", "certificate_code");
}

#[test]
fn refused_two_programmes_with_one_number_prefix() {
    let copy = Copy::new();
    copy.replace("inpatient-visitor/programme.toml", "number_prefix = \"HS\"", "number_prefix = \"KS\"");
    copy.refused("programme.toml", "number_prefix");
}

#[test]
fn refused_a_unit_listed_without_a_file_and_a_file_not_listed() {
    let copy = Copy::new();
    copy.remove("kokoro-instructor/units/06-day-and-after.toml");
    copy.refused("kokoro-instructor/programme.toml", "common_units");
    let copy = Copy::new();
    copy.replace("kokoro-supporter/programme.toml", "  \"recovery\",\n", "");
    copy.refused("03-recovery.toml", "id");
}

#[test]
fn refused_an_elective_choice_that_does_not_add_up() {
    let copy = Copy::new();
    copy.replace("kokoro-supporter/units/08-elective-young-people.toml", "minutes = 30", "minutes = 25");
    let error = copy.refused("kokoro-supporter/programme.toml", "total_minutes");
    assert!(error.contains("elective-young-people") && error.contains("115"), "{error}");
}

#[test]
fn refused_a_self_check_that_cannot_be_passed_or_is_missing() {
    let copy = Copy::new();
    copy.replace("kokoro-supporter/programme.toml", "pass_mark = 4", "pass_mark = 6");
    copy.refused("kokoro-supporter/programme.toml", "self_check.pass_mark");
    let copy = Copy::new();
    copy.replace("kokoro-supporter/programme.toml", "answer = 1", "answer = 3");
    copy.refused("kokoro-supporter/programme.toml", "self_check.questions.answer");
    let copy = Copy::new();
    copy.replace("mental-health-counsellor/programme.toml", "self_check = \"none\"", "self_check = \"required\"");
    copy.refused("mental-health-counsellor/programme.toml", "completion.self_check");
}

#[test]
fn refused_a_counsellor_course_of_ten_subjects() {
    let copy = Copy::new();
    copy.remove("mental-health-counsellor/units/09-multi-agency-collaboration.toml");
    copy.replace("mental-health-counsellor/programme.toml", "  \"multi-agency-collaboration\",\n", "");
    copy.replace("mental-health-counsellor/programme.toml", "total_minutes = 1320", "total_minutes = 1230");
    copy.replace(
        "mental-health-counsellor/programme.toml",
        "min_total_minutes = 1320\nlive",
        "min_total_minutes = 1230\nlive",
    );
    let error = copy.refused("mental-health-counsellor/programme.toml", "common_units");
    assert!(error.contains("exactly 11"), "{error}");
}

#[test]
fn refused_a_counsellor_course_without_an_exercise() {
    let copy = Copy::new();
    copy.replace(
        "mental-health-counsellor/units/10-exercise-casework.toml",
        "kind = \"exercise\"",
        "kind = \"lecture\"",
    );
    copy.replace(
        "mental-health-counsellor/units/11-exercise-collaboration.toml",
        "kind = \"exercise\"",
        "kind = \"lecture\"",
    );
    copy.refused("mental-health-counsellor/programme.toml", "kind");
}

#[test]
fn refused_a_counsellor_course_under_22_hours() {
    let copy = Copy::new();
    copy.replace("mental-health-counsellor/units/01-law-and-administration.toml", "minutes = 120", "minutes = 60");
    copy.replace("mental-health-counsellor/programme.toml", "total_minutes = 1320", "total_minutes = 1260");
    copy.replace(
        "mental-health-counsellor/programme.toml",
        "min_total_minutes = 1320\nlive",
        "min_total_minutes = 1260\nlive",
    );
    let error = copy.refused("mental-health-counsellor/programme.toml", "total_minutes");
    assert!(error.contains("at least 1320"), "{error}");
}

#[test]
fn refused_a_counsellor_subject_without_a_goal() {
    let copy = Copy::new();
    let path = copy.path("mental-health-counsellor/units/04-rights-and-admission.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("goals = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    std::fs::write(&path, format!("{}goals = []{}", &text[..start], &text[end..])).unwrap();
    copy.refused("04-rights-and-admission.toml", "goals");
}

#[test]
fn refused_a_visitor_course_that_leaves_a_statutory_area_uncovered() {
    let copy = Copy::new();
    copy.replace("inpatient-visitor/units/03-programme-outline.toml", "areas = [\"programme-outline\"]", "areas = []");
    copy.replace(
        "inpatient-visitor/units/04-selection-dispatch-rules.toml",
        "areas = [\"programme-outline\"]",
        "areas = []",
    );
    let error = copy.refused("inpatient-visitor/programme.toml", "requirements.areas");
    assert!(error.contains("②入院者訪問支援事業の概要"), "{error}");
}

#[test]
fn refused_a_visitor_course_with_too_few_lecture_minutes() {
    let copy = Copy::new();
    copy.replace("inpatient-visitor/units/01-current-issues.toml", "minutes = 60", "minutes = 10");
    copy.replace("inpatient-visitor/programme.toml", "total_minutes = 660", "total_minutes = 610");
    copy.replace("inpatient-visitor/programme.toml", "min_total_minutes = 660", "min_total_minutes = 610");
    let error = copy.refused("inpatient-visitor/programme.toml", "requirements.minutes");
    assert!(error.contains("250"), "{error}");
}

#[test]
fn refused_a_visitor_exercise_offered_online() {
    let copy = Copy::new();
    copy.replace(
        "inpatient-visitor/units/08-ex-first-visit.toml",
        "delivery = [\"in_person\"]",
        "delivery = [\"in_person\", \"live_online\"]",
    );
    copy.refused("08-ex-first-visit.toml", "delivery");
}

#[test]
fn refused_a_completion_rule_asking_for_more_than_the_programme_has() {
    let copy = Copy::new();
    copy.replace("kokoro-supporter/programme.toml", "min_total_minutes = 120", "min_total_minutes = 150");
    copy.refused("kokoro-supporter/programme.toml", "completion.min_total_minutes");
}

#[test]
fn refused_a_demo_session_of_a_programme_that_does_not_exist() {
    let copy = Copy::new();
    let path = copy.root.join("demo/sessions.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "programme = \"kokoro-supporter\"",
        "programme = \"kokoro\"",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let Err(error) = Content::load(&copy.root) else { panic!("a demo session of no programme was accepted") };
    assert!(error.to_string().contains("sessions.toml: `programme`"), "{error}");
}

#[test]
fn refused_a_statutory_area_named_twice_or_for_no_kind() {
    let copy = Copy::new();
    copy.replace("inpatient-visitor/programme.toml", "id = \"programme-outline\"", "id = \"current-issues\"");
    copy.refused("inpatient-visitor/programme.toml", "requirements.areas.id");
    let copy = Copy::new();
    copy.replace("inpatient-visitor/programme.toml", "kinds = [\"lecture\", \"exercise\"]", "kinds = []");
    copy.refused("inpatient-visitor/programme.toml", "requirements.areas.kinds");
}

#[test]
fn refused_a_unit_longer_than_a_day_and_a_statement_too_long_to_print() {
    let copy = Copy::new();
    copy.replace("kokoro-instructor/units/01-instructor-role.toml", "minutes = 20", "minutes = 4294967295");
    copy.refused("01-instructor-role.toml", "minutes");
    let copy = Copy::new();
    copy.replace("kokoro-supporter/programme.toml", "statement = \"", &format!("statement = \"{}", "あ".repeat(80)));
    copy.refused("kokoro-supporter/programme.toml", "document.statement");
}

#[test]
fn refused_two_programmes_with_a_national_target() {
    let copy = Copy::new();
    copy.replace(
        "kokoro-instructor/programme.toml",
        "[completion]",
        "[national_target]\ncount = 1\nfiscal_year = 2033\nbasis = \"x\"\n\n[completion]",
    );
    copy.refused("programme.toml", "national_target");
}

#[test]
fn refused_a_second_elective_group_sessions_cannot_record_yet() {
    let copy = Copy::new();
    copy.replace(
        "kokoro-supporter/programme.toml",
        "[completion]",
        "[[elective_groups]]\nid = \"second\"\ntitle = \"t\"\nunits = [\"a\", \"b\"]\n\n[completion]",
    );
    copy.refused("kokoro-supporter/programme.toml", "elective_groups");
}
