//! One page per file, grouped by who uses them: residents learning, and
//! anyone checking a certificate.
//! Pages load their data with `components::loaded::loaded`.

pub mod certificate;
pub mod check;
pub mod checkin;
pub mod help;
pub mod home;
pub mod join;
pub mod learn;
pub mod module;
pub mod not_found;
pub mod poster;
pub mod programmes;
pub mod registration;
pub mod resident;
pub mod sessions;
pub mod staff;
pub mod verify;
