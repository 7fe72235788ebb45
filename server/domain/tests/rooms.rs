//! The domain's rooms lean one way only: every room of `service/` uses only
//! `support` and the rooms listed before it in `ROOMS`, and `store/` uses no
//! room at all. An import the other way (a circle in waiting) fails here.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

/// In dependency order: each may use those before it, never after.
const ROOMS: [&str; 9] =
    ["support", "content", "catalogue", "identity", "accounts", "certificates", "learning", "reporting", "demo"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The rooms a source file names as `service::<room>` (in paths and `use`
/// trees: `service::{identity, …}` counts every name in the braces).
fn rooms_used(source: &str) -> Vec<&'static str> {
    let compact: String = source.split_whitespace().collect();
    let mut used = Vec::new();
    for (at, _) in compact.match_indices("service::") {
        let rest = &compact[at + "service::".len()..];
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
            let head: String = name.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
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
            for used in rooms_used(&source) {
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
        rooms_used("use crate::service::{DomainError, identity::{self, audit}, support::clock};"),
        ["identity", "support"]
    );
    assert_eq!(rooms_used("crate::service::learning::sessions::x()"), ["learning"]);
}
