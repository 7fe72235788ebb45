//! SeaORM entities. The migrations in `../migration` are the source of truth
//! for the schema; these structs mirror them column for column.

pub mod certificate;
pub mod course_session;
pub mod enrollment;
pub mod module_completion;
pub mod self_check_attempt;
