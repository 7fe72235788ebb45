//! Sessions as implementing bodies run them: their parts, and attendance
//! taken on the day with a rotating check-in code. Completion reads the
//! attendance recorded here.

pub mod attendance;
pub mod checkin;
pub mod closing;
pub mod finder;
pub mod payments;
pub mod planning;
pub mod registration;
pub mod roster;
pub mod sessions;
pub mod upkeep;
