//! Data safety: the public key every certificate was signed with, so a lost
//! or replaced key file stops start-up instead of silently breaking every
//! printed QR code; and the one-row table `/healthz` writes to, to prove the
//! database still accepts writes.
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
                    .table("signing_key")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    // The one-byte id carried in every token.
                    .col(integer("key_id"))
                    // base64url Ed25519 public key.
                    .col(string_uniq("public_key"))
                    .col(timestamp_with_time_zone("first_used_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("health_probe")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(timestamp_with_time_zone("written_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("health_probe").to_owned()).await?;
        manager.drop_table(Table::drop().table("signing_key").to_owned()).await?;
        Ok(())
    }
}
