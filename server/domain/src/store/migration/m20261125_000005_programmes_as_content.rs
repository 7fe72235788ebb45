//! Programmes became content: a session and a certificate name their
//! programme by the folder id under `content/programmes/` (e.g.
//! `kokoro-supporter`), not by a word written in code, and a session no
//! longer repeats it as a separate course id.
// sea-orm-migration's trait is declared with an elided lifetime; writing it
// out here would not match the trait's late-bound form.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The words the first schema stored, and the folder ids they became.
const RENAMED: [(&str, &str); 4] = [
    ("kokoro_supporter", "kokoro-supporter"),
    ("kokoro_instructor", "kokoro-instructor"),
    ("mental_health_counsellor", "mental-health-counsellor"),
    ("inpatient_visitor", "inpatient-visitor"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (old, new) in RENAMED {
            for table in ["course_session", "certificate"] {
                db.execute_unprepared(&format!("UPDATE {table} SET programme = '{new}' WHERE programme = '{old}'"))
                    .await?;
            }
        }
        manager.alter_table(Table::alter().table("course_session").drop_column("course_id").to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("course_session")
                    .add_column(ColumnDef::new("course_id").string().not_null().default(""))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE course_session SET course_id = programme").await?;
        for (old, new) in RENAMED {
            for table in ["course_session", "certificate"] {
                db.execute_unprepared(&format!("UPDATE {table} SET programme = '{old}' WHERE programme = '{new}'"))
                    .await?;
            }
        }
        Ok(())
    }
}
