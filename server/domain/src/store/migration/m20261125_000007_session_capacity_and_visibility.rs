//! What residents see before they register: how many seats a session has
//! (none: no limit), and whether it is listed in the public finder or only
//! reachable by its private link (a school, a company).
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
            .alter_table(Table::alter().table("course_session").add_column(integer_null("capacity")).to_owned())
            .await?;
        // Sessions that exist were announced publicly with their code.
        manager
            .alter_table(
                Table::alter()
                    .table("course_session")
                    .add_column(ColumnDef::new("visibility").string().not_null().default("public"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["visibility", "capacity"] {
            manager.alter_table(Table::alter().table("course_session").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
