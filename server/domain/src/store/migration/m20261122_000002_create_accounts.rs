//! Staff accounts, their roles per jurisdiction, invitations, e-mailed
//! tokens, server-side sessions and the append-only audit log.
// sea-orm-migration's trait is declared with an elided lifetime; writing it
// out here would not match the trait's late-bound form.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

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
                    .table("person")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("display_name"))
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("role_grant")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("person_id"))
                    .col(string("role"))
                    .col(string("jurisdiction"))
                    .col(integer_null("granted_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(ForeignKey::create().from("role_grant", "person_id").to("person", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("ux_role_grant")
                    .table("role_grant")
                    .col("person_id")
                    .col("role")
                    .col("jurisdiction")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitation")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(string("email"))
                    .col(string("display_name"))
                    .col(string("role"))
                    .col(string("jurisdiction"))
                    .col(integer_null("invited_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("accepted_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("email_token")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(string("purpose"))
                    .col(integer("person_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(ForeignKey::create().from("email_token", "person_id").to("person", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("staff_session")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("person_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(ForeignKey::create().from("staff_session", "person_id").to("person", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_person_id"))
                    .col(string("actor"))
                    .col(string_null("jurisdiction"))
                    .col(string("action"))
                    .col(string("target"))
                    .col(text("detail"))
                    .col(string_null("address"))
                    .to_owned(),
            )
            .await?;
        // The audit log is append-only: the database itself refuses to
        // change or remove an entry, whatever the application does.
        if manager.get_database_backend() == DbBackend::Sqlite {
            let db = manager.get_connection();
            db.execute_unprepared(
                "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event \
                 BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event \
                 BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["audit_event", "staff_session", "email_token", "invitation", "role_grant", "person"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
