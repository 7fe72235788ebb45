//! Sessions, enrollments, progress, self-check attempts and certificates.
// sea-orm-migration's trait is declared with an elided lifetime; writing it
// out here would not match the trait's late-bound form.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite runs migrations outside a transaction by default; this one
    // creates several tables, so all or none of them must land.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("course_session")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("code"))
                    .col(string("programme"))
                    .col(string("course_id"))
                    .col(string("elective_module_id"))
                    .col(string("title"))
                    .col(string("implementing_body_code"))
                    .col(string("venue"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("enrollment")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("session_id"))
                    .col(string_uniq("learner_token_hash"))
                    .col(string("display_name"))
                    .col(string("municipality_code"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("self_check_passed_at"))
                    .col(timestamp_with_time_zone_null("completed_at"))
                    .foreign_key(ForeignKey::create().from("enrollment", "session_id").to("course_session", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("module_completion")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("enrollment_id"))
                    .col(string("module_id"))
                    .col(timestamp_with_time_zone("completed_at"))
                    .foreign_key(ForeignKey::create().from("module_completion", "enrollment_id").to("enrollment", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("ux_module_completion_enrollment_module")
                    .table("module_completion")
                    .col("enrollment_id")
                    .col("module_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("self_check_attempt")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("enrollment_id"))
                    .col(text("answers_json"))
                    .col(integer("score"))
                    .col(integer("out_of"))
                    .col(boolean("passed"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create().from("self_check_attempt", "enrollment_id").to("enrollment", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("certificate")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("number"))
                    .col(integer_uniq("enrollment_id"))
                    .col(string("programme"))
                    .col(string("holder_name"))
                    .col(string("municipality_code"))
                    .col(string("prefecture_code"))
                    .col(string("implementing_body_code"))
                    .col(string("issuer_name"))
                    .col(date("completed_on"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(text("token"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string_null("revoked_reason"))
                    .foreign_key(ForeignKey::create().from("certificate", "enrollment_id").to("enrollment", "id"))
                    .to_owned(),
            )
            .await?;
        // Totals per programme, prefecture and municipality are the hot
        // queries of the dashboards.
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("ix_certificate_programme_place")
                    .table("certificate")
                    .col("programme")
                    .col("prefecture_code")
                    .col("municipality_code")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["certificate", "self_check_attempt", "module_completion", "enrollment", "course_session"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
