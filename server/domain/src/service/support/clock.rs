//! The platform's time zone and its clock.

use chrono::{Duration, FixedOffset, Offset, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// Japan Standard Time; the platform shows all times in it.
#[must_use]
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Seconds the test clock is ahead of the real one; always 0 unless a
/// server started with the test clock enabled moved it.
static TEST_OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);

/// The time now. One place, so a test clock has one place to go.
#[must_use]
pub fn now() -> chrono::DateTime<Utc> {
    Utc::now() + Duration::seconds(TEST_OFFSET_SECONDS.load(Ordering::Relaxed))
}

/// Moves the clock `by` ahead (end-to-end tests: "a resident arrives 20
/// minutes late"). Only the test-clock route calls it, and that route
/// exists only when the server is started with `NIMO_TEST_CLOCK=1`.
pub fn advance_minutes(minutes: i64) {
    TEST_OFFSET_SECONDS.fetch_add(minutes.saturating_mul(60), Ordering::Relaxed);
}
