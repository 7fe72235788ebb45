//! Reusable pieces of pages.

pub mod crisis;
pub mod feedback;
pub mod layout;
pub mod loaded;
pub mod municipality_picker;
pub mod password_fields;
pub mod progress;
