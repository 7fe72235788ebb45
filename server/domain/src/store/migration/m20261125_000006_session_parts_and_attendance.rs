//! Sessions as implementing bodies run them: a status, one or more parts
//! (a day, a lecture online and an exercise in person…), and attendance per
//! part, which is what completion will ask for. Each implementing body may
//! set how late (or how early a departure) still counts as attended.
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
        // Sessions that exist were announced with a code residents use:
        // they are published.
        manager
            .alter_table(
                Table::alter()
                    .table("course_session")
                    .add_column(ColumnDef::new("status").string().not_null().default("published"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("course_session")
                    .add_column(timestamp_with_time_zone_null("closed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("session_part")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("session_id"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    // in_person | live_online
                    .col(string("mode"))
                    // Venue address or meeting URL.
                    .col(string("place"))
                    // lecture | exercise; empty: the part teaches every unit.
                    .col(string_null("unit_kind"))
                    .foreign_key(ForeignKey::create().from("session_part", "session_id").to("course_session", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_session_part_position")
                    .table("session_part")
                    .col("session_id")
                    .col("position")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("attendance")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("enrollment_id"))
                    .col(integer("part_id"))
                    .col(timestamp_with_time_zone("checked_in_at"))
                    .col(timestamp_with_time_zone_null("checked_out_at"))
                    // qr | manual | online_code
                    .col(string("method"))
                    // The staff member who recorded it by hand, if any.
                    .col(integer_null("recorded_by"))
                    .foreign_key(ForeignKey::create().from("attendance", "enrollment_id").to("enrollment", "id"))
                    .foreign_key(ForeignKey::create().from("attendance", "part_id").to("session_part", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_attendance_enrollment_part")
                    .table("attendance")
                    .col("enrollment_id")
                    .col("part_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("implementing_body_setting")
                    .if_not_exists()
                    .col(string("implementing_body_code").primary_key())
                    // Minutes late (or early) that still count as attended.
                    .col(integer("late_tolerance_minutes"))
                    .to_owned(),
            )
            .await?;
        // Every existing session becomes one part covering its whole time.
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO session_part (session_id, position, starts_at, ends_at, mode, place, unit_kind) \
             SELECT id, 1, starts_at, ends_at, \
                    CASE WHEN venue LIKE 'オンライン%' THEN 'live_online' ELSE 'in_person' END, venue, NULL \
             FROM course_session",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["implementing_body_setting", "attendance", "session_part"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in ["closed_at", "status"] {
            manager.alter_table(Table::alter().table("course_session").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
