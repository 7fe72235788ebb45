//! Opening the database and writing to it safely.
//!
//! SQLite runs in WAL mode with full fsync, so a crash or a power cut never
//! loses a committed record. Two rules make every acknowledged write a
//! stored one:
//! - **No `RETURNING`.** SeaORM's `ActiveModel::insert`/`update` use
//!   `INSERT … RETURNING` on SQLite, and sqlx hands back the returned row
//!   before the statement has finished, then ignores the error the rest of
//!   the statement reports (sqlx issue #2099). On a full disk that error
//!   rolls the statement back: the row is gone, the transaction commits
//!   without it, and the caller was told it was stored. Measured here: 8 of
//!   8 joins acknowledged on a full disk were lost, inside explicit
//!   transactions. So writes use [`insert`] and [`update`] (and the
//!   `*_many` forms), which run each statement to its end and report its
//!   error; `tests/write_paths.rs` refuses the `RETURNING` forms in the
//!   services.
//! - **Explicit transactions with a checked commit** ([`begin_write`]) for
//!   every change of more than one row, so they land together or not at all.

use super::migration::Migrator;
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// How long a write waits for another writer before giving up with a
/// message to the user, unless configured (`DB_BUSY_TIMEOUT_MS`).
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// Connects and migrates with the default busy timeout.
///
/// # Errors
/// Any connection or migration failure: the caller must not start serving.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_and_migrate_with(url, DEFAULT_BUSY_TIMEOUT).await
}

/// Connects and migrates. `busy_timeout` bounds how long a write waits for
/// the write lock (and a request for a free connection).
///
/// # Errors
/// Any connection or migration failure: the caller must not start serving.
pub async fn connect_and_migrate_with(url: &str, busy_timeout: Duration) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(8)
        .min_connections(1)
        .sqlx_logging(false)
        // A request waits for a pooled connection no longer than for the lock.
        .acquire_timeout(busy_timeout + Duration::from_secs(1));
    if url.starts_with("sqlite:") {
        // A connection whose COMMIT failed (disk full) can come back to the
        // pool still inside its transaction: the next request's writes would
        // then go into a transaction that never commits, and be acknowledged.
        // Measured here before this check: 28 joins acknowledged on a full
        // disk, none stored. `BEGIN` fails inside a transaction, so such a
        // connection is found and closed (closing rolls it back) before it
        // is handed out.
        options.map_sqlx_sqlite_before_acquire(|connection, _| {
            Box::pin(async move {
                use sea_orm::sqlx::{Executor, Sqlite};
                use sqlx_core::transaction::TransactionManager as _;
                // sqlx's own count of open transactions must agree: if it
                // says one is open when SQLite has none (a failed ROLLBACK
                // after a failed COMMIT), the next `begin_write` would become
                // a SAVEPOINT instead of `BEGIN IMMEDIATE`.
                if <Sqlite as sea_orm::sqlx::Database>::TransactionManager::get_transaction_depth(connection) != 0 {
                    tracing::warn!("closing a database connection whose transaction count is off");
                    return Ok(false);
                }
                if connection.execute("BEGIN").await.is_err() {
                    tracing::warn!("closing a database connection left inside a failed transaction");
                    return Ok(false);
                }
                Ok(connection.execute("ROLLBACK").await.is_ok())
            })
        });
        options.map_sqlx_sqlite_opts(move |o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
        });
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Starts a write transaction. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes
/// later can fail to upgrade without waiting for the busy timeout, and two
/// concurrent submissions would both read "not yet issued".
///
/// The caller must `commit()` and propagate its error: only a successful
/// commit means the data is stored.
///
/// # Errors
/// The lock could not be had within the busy timeout, or the database failed.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// Inserts one row without `RETURNING`: the statement runs to its end and
/// any failure is reported.
///
/// # Errors
/// Any database error, storage failures included.
pub async fn insert<A, C>(conn: &C, model: A) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    <A::Entity as EntityTrait>::insert(model).exec_without_returning(conn).await?;
    Ok(())
}

/// Updates the columns set in `model` of the row with its primary key,
/// without `RETURNING`.
///
/// # Errors
/// `RecordNotUpdated` when no row has that key; any database error.
pub async fn update<A, C>(conn: &C, model: A) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    let result = <A::Entity as EntityTrait>::update(model).exec_without_returning(conn).await?;
    if result.rows_affected == 1 { Ok(()) } else { Err(DbErr::RecordNotUpdated) }
}

/// Why storage failed, when it is the storage (not the request) at fault:
/// what the user is told, and what `/healthz` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFailure {
    /// No space left on the device (SQLite `SQLITE_FULL`).
    Full,
    /// Another writer held the lock past the busy timeout, or no connection
    /// was free in time.
    Busy,
    /// The disk or file system failed (`SQLITE_IOERR`, read-only, cannot open).
    Io,
}

impl StorageFailure {
    /// Classifies a database error; `None` for errors that are not the
    /// storage's fault (constraint violations, bad queries, missing rows).
    #[must_use]
    pub fn of(error: &DbErr) -> Option<Self> {
        use sea_orm::RuntimeErr;
        let runtime = match error {
            DbErr::Conn(e) | DbErr::Exec(e) | DbErr::Query(e) => e,
            DbErr::ConnectionAcquire(_) => return Some(Self::Busy),
            _ => return None,
        };
        let RuntimeErr::SqlxError(sqlx_error) = runtime else {
            return classify_message(&runtime.to_string());
        };
        match sqlx_error.as_ref() {
            sea_orm::sqlx::Error::PoolTimedOut => Some(Self::Busy),
            sea_orm::sqlx::Error::Io(_) => Some(Self::Io),
            sea_orm::sqlx::Error::Database(db_error) => {
                // SQLite's primary result code is the low byte of the
                // extended one.
                let code = db_error.code().and_then(|c| c.parse::<i64>().ok()).map(|c| c & 0xff);
                match code {
                    Some(13) => Some(Self::Full),             // SQLITE_FULL
                    Some(5 | 6) => Some(Self::Busy),          // SQLITE_BUSY, SQLITE_LOCKED
                    Some(8 | 10 | 11 | 14) => Some(Self::Io), // READONLY, IOERR, CORRUPT, CANTOPEN
                    Some(_) => None,
                    None => classify_message(db_error.message()),
                }
            }
            other => classify_message(&other.to_string()),
        }
    }

    /// The Japanese message a user sees: that nothing was stored, and what
    /// to do.
    #[must_use]
    pub fn message_ja(self) -> &'static str {
        match self {
            Self::Busy => {
                "ただいま混み合っていて、記録を保存できませんでした。入力した内容はまだ保存されていません。\
                 少し待ってから、もう一度送信してください。"
            }
            Self::Full | Self::Io => {
                "ただいまサーバーの保存領域に問題があり、記録を保存できませんでした。入力した内容はまだ保存されていません。\
                 時間をおいてもう一度お試しください。続くときは研修の実施主体にお知らせください。"
            }
        }
    }
}

fn classify_message(message: &str) -> Option<StorageFailure> {
    let message = message.to_ascii_lowercase();
    if message.contains("database or disk is full") || message.contains("no space left") {
        Some(StorageFailure::Full)
    } else if message.contains("database is locked") || message.contains("timed out") {
        Some(StorageFailure::Busy)
    } else if message.contains("disk i/o error") || message.contains("readonly") {
        Some(StorageFailure::Io)
    } else {
        None
    }
}

/// Whether a database error is a unique-constraint violation (two requests
/// racing to create the same row).
#[must_use]
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_are_told_apart_from_request_errors() {
        let full = DbErr::Exec(sea_orm::RuntimeErr::Internal("database or disk is full".into()));
        assert_eq!(StorageFailure::of(&full), Some(StorageFailure::Full));
        let locked = DbErr::Query(sea_orm::RuntimeErr::Internal("database is locked".into()));
        assert_eq!(StorageFailure::of(&locked), Some(StorageFailure::Busy));
        let missing = DbErr::RecordNotFound("x".into());
        assert_eq!(StorageFailure::of(&missing), None);
        let constraint = DbErr::Exec(sea_orm::RuntimeErr::Internal("UNIQUE constraint failed: a.b".into()));
        assert_eq!(StorageFailure::of(&constraint), None);
    }
}
