//! Registration: the name's フリガナ, consent, a waitlist with offers that
//! expire, reminders, walk-ins; a session's
//! registration window and the reason it was cancelled; mail kept in an
//! outbox table so a state change and the mail it causes commit together;
//! instructors' 謝金・旅費 per session.
// sea-orm-migration's trait is declared with an elided lifetime; writing it
// out here would not match the trait's late-bound form.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn add(manager: &SchemaManager<'_>, table: &str, column: ColumnDef) -> Result<(), DbErr> {
    let mut column = column;
    manager.alter_table(Table::alter().table(table.to_owned()).add_column(&mut column).to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, "enrollment", string_null("furigana")).await?;
        // Everyone who joined before registration existed holds a seat and
        // joined online.
        add(manager, "enrollment", ColumnDef::new("status").string().not_null().default("registered").to_owned())
            .await?;
        add(manager, "enrollment", ColumnDef::new("source").string().not_null().default("online").to_owned()).await?;
        add(manager, "enrollment", timestamp_with_time_zone_null("consented_at")).await?;
        add(manager, "enrollment", timestamp_with_time_zone_null("offer_expires_at")).await?;
        add(manager, "enrollment", timestamp_with_time_zone_null("reminded_at")).await?;
        add(manager, "enrollment", timestamp_with_time_zone_null("cancelled_at")).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrollment_session_status")
                    .table("enrollment")
                    .col("session_id")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        add(manager, "course_session", timestamp_with_time_zone_null("registration_opens_at")).await?;
        add(manager, "course_session", timestamp_with_time_zone_null("registration_closes_at")).await?;
        add(manager, "course_session", string_null("cancel_reason")).await?;
        add(
            manager,
            "implementing_body_setting",
            ColumnDef::new("reminder_days_before").integer().not_null().default(1).to_owned(),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_outbox")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string("recipient"))
                    .col(string("subject"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(string_null("last_error"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_outbox_due")
                    .table("mail_outbox")
                    .col("sent_at")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("instructor_payment")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("session_id"))
                    .col(integer("person_id"))
                    .col(integer("honorarium_yen"))
                    .col(integer("travel_yen"))
                    .col(date_null("paid_on"))
                    .col(string("note"))
                    .col(integer("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(
                        ForeignKey::create().from("instructor_payment", "session_id").to("course_session", "id"),
                    )
                    .foreign_key(ForeignKey::create().from("instructor_payment", "person_id").to("person", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_instructor_payment")
                    .table("instructor_payment")
                    .col("session_id")
                    .col("person_id")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("instructor_payment").to_owned()).await?;
        manager.drop_table(Table::drop().table("mail_outbox").to_owned()).await?;
        for index in ["ix_enrollment_session_status"] {
            manager.drop_index(Index::drop().name(index).table("enrollment").to_owned()).await?;
        }
        let columns: [(&str, &[&str]); 3] = [
            (
                "enrollment",
                &["furigana", "status", "source", "consented_at", "offer_expires_at", "reminded_at", "cancelled_at"],
            ),
            ("course_session", &["registration_opens_at", "registration_closes_at", "cancel_reason"]),
            ("implementing_body_setting", &["reminder_days_before"]),
        ];
        for (table, names) in columns {
            for column in names {
                manager
                    .alter_table(Table::alter().table(table.to_owned()).drop_column(column.to_owned()).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
