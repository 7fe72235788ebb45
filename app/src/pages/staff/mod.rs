//! The staff area: sign-in, invitations, people of one's jurisdiction and
//! one's own audit trail. Usable on an office PC and on a phone.

pub mod accept;
pub mod audit;
pub mod checkin;
pub mod home;
pub mod invite;
pub mod jurisdiction;
pub mod password;
pub mod payments;
pub mod roster;
pub mod sessions;
pub mod sign_in;
