//! Schema migrations: the source of truth for the database. They run at
//! start-up and the server stops if one fails.

use sea_orm_migration::prelude::*;

mod m20261122_000001_create_learning_tables;
mod m20261122_000002_create_accounts;
mod m20261122_000003_resident_email_links;
mod m20261125_000004_data_safety;
mod m20261125_000005_programmes_as_content;
mod m20261125_000006_session_parts_and_attendance;
mod m20261125_000007_session_capacity_and_visibility;
mod m20261125_000008_session_instructors;
mod m20261125_000009_registration_and_outbox;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_learning_tables::Migration),
            Box::new(m20261122_000002_create_accounts::Migration),
            Box::new(m20261122_000003_resident_email_links::Migration),
            Box::new(m20261125_000004_data_safety::Migration),
            Box::new(m20261125_000005_programmes_as_content::Migration),
            Box::new(m20261125_000006_session_parts_and_attendance::Migration),
            Box::new(m20261125_000007_session_capacity_and_visibility::Migration),
            Box::new(m20261125_000008_session_instructors::Migration),
            Box::new(m20261125_000009_registration_and_outbox::Migration),
        ]
    }
}
