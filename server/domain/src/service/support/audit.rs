//! The append-only audit log: who did what, to what, from where. Every field
//! is bounded, and a failure repeated over and over (a script hammering the
//! sign-in form) is counted, not written out each time, so nobody can grow
//! the log without limit.

pub use crate::store::entity::values::AuditAction;

use crate::{
    roles::Grant,
    service::DomainError,
    store::{db, entity::audit_event},
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Set};
use std::{collections::HashMap, net::IpAddr, sync::Mutex};

/// Longest text kept in one field; longer input is cut and marked.
pub const MAX_FIELD_CHARS: usize = 254;

/// Who acted, as written into an entry.
#[derive(Debug, Clone, Copy)]
pub struct AuditActor<'a> {
    pub person_id: Option<i32>,
    /// The actor's e-mail, or what was typed at a failed sign-in, or "system".
    pub label: &'a str,
    /// The first grant's jurisdiction, for staff.
    pub grants: &'a [Grant],
}

impl<'a> AuditActor<'a> {
    /// Someone not signed in, known by what they typed (an e-mail), or
    /// "system" for the command line.
    #[must_use]
    pub fn anonymous(label: &'a str) -> Self {
        Self { person_id: None, label, grants: &[] }
    }
}

/// One entry to append.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub action: AuditAction,
    pub target: &'a str,
    pub detail: &'a str,
    pub address: Option<IpAddr>,
}

/// Cuts `text` to [`MAX_FIELD_CHARS`], marking the cut with its full length.
#[must_use]
pub fn bounded(text: &str) -> String {
    let length = text.chars().count();
    if length <= MAX_FIELD_CHARS {
        return text.to_owned();
    }
    let kept: String = text.chars().take(MAX_FIELD_CHARS - 24).collect();
    format!("{kept}…（全{length}文字）")
}

/// Appends one entry. Failing to audit fails the action.
///
/// It runs on whatever the caller passes: a transaction, so the entry lands
/// with the change it records, or the connection for a lone entry.
///
/// # Errors
/// Database errors.
pub async fn append<C: ConnectionTrait>(db: &C, actor: AuditActor<'_>, entry: Entry<'_>) -> Result<(), DomainError> {
    db::insert(
        db,
        audit_event::ActiveModel {
            at: Set(Utc::now()),
            actor_person_id: Set(actor.person_id),
            actor: Set(bounded(actor.label)),
            jurisdiction: Set(actor.grants.first().map(|g| g.scope)),
            action: Set(entry.action),
            target: Set(bounded(entry.target)),
            detail: Set(bounded(entry.detail)),
            address: Set(entry.address.map(|a| a.to_string())),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Audits a failure that a script may repeat many times a minute: the
/// first of a run is written, the rest are counted into the next entry.
///
/// # Errors
/// Database errors.
pub async fn append_repeatable<C: ConnectionTrait>(
    db: &C,
    repeats: &RepeatGate,
    action: AuditAction,
    target: &str,
    address: IpAddr,
) -> Result<(), DomainError> {
    let target = bounded(target);
    let key = format!("{action}\u{1f}{target}\u{1f}{address}");
    match repeats.pass(&key, Utc::now()) {
        Gate::Count => Ok(()),
        Gate::Write { held_back } => {
            let detail = if held_back == 0 {
                String::new()
            } else {
                format!("前回の記録から同じ失敗が{held_back}回（個別の記録は省略）")
            };
            let entry = Entry { action, target: &target, detail: &detail, address: Some(address) };
            append(db, AuditActor::anonymous(&target), entry).await
        }
    }
}

/// Lets the first of a run of identical failures through and counts the
/// rest: an entry per key per window at most, and that entry says how many
/// were held back since the previous one.
pub struct RepeatGate {
    window: Duration,
    capacity: usize,
    seen: Mutex<HashMap<String, Run>>,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    written_at: DateTime<Utc>,
    held_back: u64,
}

/// What to do with one more occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Write an entry; `held_back` repeats were counted since the last one.
    Write { held_back: u64 },
    /// Counted; write nothing.
    Count,
}

impl Default for RepeatGate {
    /// One entry per run of ten minutes; at most 10,000 runs remembered.
    fn default() -> Self {
        Self::new(Duration::minutes(10), 10_000)
    }
}

impl RepeatGate {
    /// At most one entry per key per `window`; at most `capacity` keys are
    /// remembered (the oldest are forgotten first).
    #[must_use]
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self { window, capacity: capacity.max(1), seen: Mutex::new(HashMap::new()) }
    }

    /// Records one occurrence of `key` at `now`.
    pub fn pass(&self, key: &str, now: DateTime<Utc>) -> Gate {
        let Ok(mut seen) = self.seen.lock() else { return Gate::Write { held_back: 0 } };
        if let Some(run) = seen.get_mut(key) {
            if now - run.written_at < self.window {
                run.held_back += 1;
                return Gate::Count;
            }
            let held_back = run.held_back;
            *run = Run { written_at: now, held_back: 0 };
            return Gate::Write { held_back };
        }
        if seen.len() >= self.capacity {
            // Forget the runs whose window has passed, then, if still full,
            // the oldest one.
            let window = self.window;
            seen.retain(|_, run| now - run.written_at < window);
            if seen.len() >= self.capacity
                && let Some(oldest) = seen.iter().min_by_key(|(_, run)| run.written_at).map(|(k, _)| k.clone())
            {
                seen.remove(&oldest);
            }
        }
        seen.insert(key.to_owned(), Run { written_at: now, held_back: 0 });
        Gate::Write { held_back: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_fields_are_cut_and_marked() {
        let long = "a".repeat(100_000);
        let cut = bounded(&long);
        assert!(cut.chars().count() <= MAX_FIELD_CHARS);
        assert!(cut.ends_with("（全100000文字）"));
        assert_eq!(bounded("short"), "short");
    }

    #[test]
    fn repeats_are_counted_not_written() {
        let gate = RepeatGate::new(Duration::minutes(10), 100);
        let start = Utc::now();
        assert_eq!(gate.pass("k", start), Gate::Write { held_back: 0 });
        for i in 1..=5 {
            assert_eq!(gate.pass("k", start + Duration::seconds(i)), Gate::Count);
        }
        assert_eq!(gate.pass("other", start), Gate::Write { held_back: 0 });
        assert_eq!(gate.pass("k", start + Duration::minutes(11)), Gate::Write { held_back: 5 });
    }

    #[test]
    fn memory_is_bounded() {
        let gate = RepeatGate::new(Duration::minutes(10), 3);
        let now = Utc::now();
        for i in 0..10 {
            let _ = gate.pass(&format!("k{i}"), now + Duration::seconds(i));
        }
        assert!(gate.seen.lock().map(|s| s.len()).unwrap_or(99) <= 3);
    }
}
