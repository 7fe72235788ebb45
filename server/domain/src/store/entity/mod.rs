//! SeaORM entities. The migrations in `../migration` are the source of truth
//! for the schema; these structs mirror them column for column.

pub mod attendance;
pub mod audit_event;
pub mod certificate;
pub mod course_session;
pub mod email_token;
pub mod enrollment;
pub mod health_probe;
pub mod implementing_body_setting;
pub mod instructor_payment;
pub mod invitation;
pub mod learner_device;
pub mod mail_outbox;
pub mod module_completion;
pub mod person;
pub mod resident_link;
pub mod role_grant;
pub mod self_check_attempt;
pub mod session_instructor;
pub mod session_part;
pub mod signing_key;
pub mod staff_session;
pub mod values;
