//! The domain's rooms lean one way only: every room of `service/` uses only
//! `support` and the rooms listed before it in `ROOMS`, and `store/` uses no
//! room at all. An import the other way (a circle in waiting) fails here.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::rust_files;
use std::path::Path;

/// In dependency order: each may use those before it, never after.
const ROOMS: [&str; 10] = [
    "support",
    "content",
    "catalogue",
    "identity",
    "accounts",
    "certificates",
    "scheduling",
    "learning",
    "reporting",
    "demo",
];

/// The rooms a source file names as `service::<room>` (in paths and `use`
/// trees: `service::{identity, …}` counts every name in the braces, `as`
/// renames included), or reaches with `super::` from where it stands
/// (`depth` folders below `service/`). A glob (`service::*`) counts as all.
fn rooms_used(source: &str, depth: usize) -> Vec<&'static str> {
    let mut used = rooms_named(source, "service::");
    let reach = if depth == 0 { "super::".to_owned() } else { "super::".repeat(depth + 1) };
    used.extend(rooms_named(&source.replace(&format!("{reach}super::"), ""), &reach));
    if source.split_whitespace().collect::<String>().contains("service::*") {
        used.extend(ROOMS);
    }
    used
}

fn rooms_named(source: &str, prefix: &str) -> Vec<&'static str> {
    let compact: String =
        source.split_whitespace().collect::<Vec<_>>().join(" ").replace(":: ", "::").replace("{ ", "{");
    let mut used = Vec::new();
    for (at, _) in compact.match_indices(prefix) {
        let rest = &compact[at + prefix.len()..];
        let names: Vec<&str> = if let Some(inner) = rest.strip_prefix('{') {
            // Up to the matching brace, top level names only.
            let mut depth = 0;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = i;
                        break;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            let mut top = Vec::new();
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        top.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            top.push(&inner[start..end]);
            top
        } else {
            vec![rest]
        };
        for name in names {
            let head: String = name.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if let Some(room) = ROOMS.iter().find(|r| **r == head) {
                used.push(*room);
            }
        }
    }
    used
}

#[test]
fn rooms_lean_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for (position, room) in ROOMS.iter().enumerate() {
        let mut files = Vec::new();
        let dir = src.join("service").join(room);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src.join("service").join(format!("{room}.rs")));
        }
        assert!(files.iter().all(|f| f.exists()), "room {room} not found");
        for file in &files {
            let source = std::fs::read_to_string(file).unwrap();
            // How far below `service` the module is: 0 for `service/demo.rs`
            // and `service/learning/mod.rs` (whose `super` is `service`), 1
            // for `service/learning/sessions.rs`.
            let below = file.strip_prefix(src.join("service")).unwrap().components().count() - 1;
            let depth = below - usize::from(file.file_name().is_some_and(|n| n == "mod.rs"));
            for used in rooms_used(&source, depth) {
                let allowed = used == *room || ROOMS.iter().position(|r| *r == used).is_some_and(|p| p < position);
                if !allowed {
                    problems.push(format!("{} uses `{used}`, which comes after `{room}`", file.display()));
                }
            }
        }
    }
    let mut store = Vec::new();
    rust_files(&src.join("store"), &mut store);
    for file in &store {
        let source = std::fs::read_to_string(file).unwrap();
        if source.contains("service::") {
            problems.push(format!("{} (storage) uses a service", file.display()));
        }
    }
    assert!(problems.is_empty(), "imports against the order of rooms:\n{}", problems.join("\n"));
}

#[test]
fn the_check_reads_use_trees() {
    assert_eq!(
        rooms_used("use crate::service::{DomainError, identity::{self, audit}, support::clock};", 1),
        ["identity", "support"]
    );
    assert_eq!(rooms_used("crate::service::learning::sessions::x()", 1), ["learning"]);
    assert_eq!(rooms_used("use crate::service::{learning as l};", 1), ["learning"]);
    assert_eq!(rooms_used("use super::super::learning::x;", 1), ["learning"]);
    assert_eq!(rooms_used("use super::identity;", 0), ["identity"]);
    assert_eq!(rooms_used("use super::x;", 1), Vec::<&str>::new(), "a module of its own room");
    assert_eq!(rooms_used("use crate::service::*;", 1).len(), ROOMS.len());
}
