//! Whether the platform can keep its promises: that the database accepts a
//! write now, and that the disk under it has room for the next ones. What
//! `/healthz` answers, so monitoring sees a full disk or a stuck lock before
//! residents do.

use super::{db, entity::health_probe};
use chrono::Utc;
use sea_orm::DatabaseConnection;
use sea_orm::{EntityTrait, Set, sea_query::OnConflict};
use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

/// Where the data lives and how much room it needs.
#[derive(Debug, Clone, Default)]
pub struct StorageSettings {
    /// The folder of the SQLite file (and the signing key).
    pub data_dir: PathBuf,
    /// Below this many free bytes the platform reports itself unhealthy.
    pub min_free_bytes: u64,
    /// When the last probe write succeeded. Probes run one at a time and a
    /// success counts for a second, so a monitor (or anyone) calling
    /// `/healthz` in a loop cannot compete with residents for the write lock.
    pub last_good_probe: std::sync::Arc<tokio::sync::Mutex<Option<Instant>>>,
}

/// How long a successful probe write stands for the next ones.
const PROBE_FRESH_FOR: Duration = Duration::from_secs(1);

/// Default for `MIN_FREE_MB`.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

/// What is wrong, for the log and the health answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Free space under the data folder is below the minimum.
    LowDiskSpace { free_bytes: u64, min_free_bytes: u64 },
    /// A committed test write failed.
    CannotWrite(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LowDiskSpace { free_bytes, min_free_bytes } => {
                write!(f, "low disk space: {free_bytes} bytes free, {min_free_bytes} needed")
            }
            Self::CannotWrite(cause) => write!(f, "database cannot write: {cause}"),
        }
    }
}

/// Free bytes for an unprivileged writer on the file system of `path`.
///
/// # Errors
/// The path cannot be examined.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    let stats = rustix::fs::statvfs(path).map_err(std::io::Error::from)?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}

/// Checks free space, then commits a one-row write.
///
/// # Errors
/// The first problem found.
pub async fn check(db: &DatabaseConnection, storage: &StorageSettings) -> Result<(), Problem> {
    if let Ok(free) = free_bytes(&storage.data_dir)
        && free < storage.min_free_bytes
    {
        return Err(Problem::LowDiskSpace { free_bytes: free, min_free_bytes: storage.min_free_bytes });
    }
    let mut last_good = storage.last_good_probe.lock().await;
    if last_good.is_some_and(|at| at.elapsed() < PROBE_FRESH_FOR) {
        return Ok(());
    }
    probe_write(db).await.map_err(|e| Problem::CannotWrite(e.to_string()))?;
    *last_good = Some(Instant::now());
    Ok(())
}

async fn probe_write(conn: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let txn = db::begin_write(conn).await?;
    health_probe::Entity::insert(health_probe::ActiveModel { id: Set(1), written_at: Set(Utc::now()) })
        .on_conflict(
            OnConflict::column(health_probe::Column::Id).update_column(health_probe::Column::WrittenAt).to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await
}
