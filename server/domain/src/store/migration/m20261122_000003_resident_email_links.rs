//! Residents' e-mail: a certificate claimed with an e-mail address, single-use
//! sign-in links, and the extra devices a resident signs in from.
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
            .alter_table(Table::alter().table("enrollment").add_column_if_not_exists(string_null("email")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("enrollment")
                    .add_column_if_not_exists(timestamp_with_time_zone_null("email_verified_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("resident_link")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("enrollment_id"))
                    .col(string("email"))
                    .col(string("purpose"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(ForeignKey::create().from("resident_link", "enrollment_id").to("enrollment", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("learner_device")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("enrollment_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(ForeignKey::create().from("learner_device", "enrollment_id").to("enrollment", "id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("learner_device").to_owned()).await?;
        manager.drop_table(Table::drop().table("resident_link").to_owned()).await
    }
}
