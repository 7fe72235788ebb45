//! One page per file, grouped by who uses them: residents learning, and
//! anyone checking a certificate.
//!
//! Pages are never hydrated (only islands are), so they load their data by
//! awaiting server functions inside `Suspend` rather than through
//! `Resource`s: a resource would also be serialised into an inline script
//! for a browser that never reads it, doubling the bytes and repeating
//! personal data in the page.

pub mod certificate;
pub mod check;
pub mod home;
pub mod join;
pub mod learn;
pub mod module;
pub mod not_found;
pub mod poster;
pub mod verify;
