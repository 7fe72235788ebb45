//! Opening the database: SQLite in WAL mode with full fsync, so a crash or a
//! power cut never loses a committed record; migrations before anything else.

use super::migration::Migrator;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// Connects and migrates.
///
/// # Errors
/// Any connection or migration failure: the caller must not start serving.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(8).min_connections(1).sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}
