//! The shipped `content/` folder loads and passes validation.
#![cfg(feature = "server")]
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use nimo_domain::server::Content;
use std::path::Path;

fn content() -> Content {
    Content::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")).unwrap()
}

#[test]
fn the_supporter_course_is_two_hours_for_every_elective() {
    let content = content();
    let course = &content.kokoro_supporter;
    assert_eq!(course.total_minutes, 120);
    assert_eq!(course.common.iter().map(|m| m.minutes).sum::<u32>(), 90);
    assert!(course.electives.len() >= 2);
    for elective in &course.electives {
        let plan = course.plan_for(&elective.id).unwrap();
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
