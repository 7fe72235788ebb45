//! Instructors assigned to a session: they take its attendance, see its
//! roster (names only) and close it.
// sea-orm-migration's trait is declared with an elided lifetime; writing it
// out here would not match the trait's late-bound form.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("session_instructor")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("session_id"))
                    .col(integer("person_id"))
                    .col(integer("assigned_by"))
                    .col(timestamp_with_time_zone("assigned_at"))
                    .foreign_key(
                        ForeignKey::create().from("session_instructor", "session_id").to("course_session", "id"),
                    )
                    .foreign_key(ForeignKey::create().from("session_instructor", "person_id").to("person", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_session_instructor")
                    .table("session_instructor")
                    .col("session_id")
                    .col("person_id")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("session_instructor").to_owned()).await
    }
}
