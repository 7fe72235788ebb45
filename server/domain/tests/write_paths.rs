//! Every write in the services is reported when it fails. SeaORM's
//! `ActiveModel::insert`/`update` and `Entity::insert(..).exec(..)` use
//! `RETURNING` on SQLite, where a failure after the returned row (a full
//! disk) is lost and the row silently disappears (see `store/db.rs`). This
//! test reads the services' source and refuses those forms, so a new write
//! path cannot bring the bug back.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::rust_files;
use std::path::Path;

/// Statements that write with `RETURNING`, as "file: statement".
fn returning_writes(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for statement in source.split(';') {
        let compact: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let active_model_write = [".insert(&", ".insert(txn", ".insert(db", ".update(&", ".update(txn", ".update(db"]
            .iter()
            .any(|form| compact.contains(form));
        let entity_write_with_returning =
            (compact.contains("::insert(") || compact.contains("::update(")) && compact.contains(".exec(");
        if active_model_write || entity_write_with_returning || compact.contains("exec_with_returning") {
            found.push(compact.chars().take(160).collect());
        }
    }
    found
}

#[test]
fn no_service_writes_with_returning() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("service"), &mut files);
    rust_files(&src.join("store"), &mut files);
    assert!(files.len() > 20, "the services were not found under {}", src.display());
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.components().any(|c| c.as_os_str() == "migration")) {
        let source = std::fs::read_to_string(file).unwrap();
        offenders.extend(returning_writes(&source).into_iter().map(|s| format!("{}: {s}", file.display())));
    }
    assert!(offenders.is_empty(), "writes with RETURNING (use db::insert / db::update):\n{}", offenders.join("\n"));
}

#[test]
fn the_check_recognises_the_forbidden_forms() {
    assert_eq!(returning_writes("model.insert(&txn).await?;").len(), 1);
    assert_eq!(returning_writes("x::Entity::insert(m)\n    .exec(&platform.db).await?;").len(), 1);
    assert_eq!(returning_writes("x::Entity::insert(m).exec_without_returning(&db).await?;").len(), 0);
    assert_eq!(returning_writes("db::insert(&txn, m).await?;").len(), 0);
    assert_eq!(returning_writes("x::Entity::update_many().filter(c).exec(&txn).await?;").len(), 0);
}
