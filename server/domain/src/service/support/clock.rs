//! The platform's time zone.

use chrono::{FixedOffset, Offset, Utc};

/// Japan Standard Time; the platform shows all times in it.
#[must_use]
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The time now. One place, so a test clock has one place to go.
#[must_use]
pub fn now() -> chrono::DateTime<Utc> {
    Utc::now()
}
