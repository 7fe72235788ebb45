//! Staff accounts down the hierarchy: invitations (the only way in),
//! password resets, and what a person may see of the people and records of
//! their jurisdiction.

pub mod invitations;
pub mod password_reset;
pub mod people;

pub use invitations::{accept_invitation, invitation, invite};
pub use password_reset::{request_password_reset, reset_password};
pub use people::{own_audit_trail, people_in, people_of, staff_home};
