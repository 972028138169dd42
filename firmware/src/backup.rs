//! `kioskd backup` and `kioskd restore`: a consistent copy of the live database taken with
//! SQLite's online backup (safe while the service runs and writes), checked before it is kept;
//! and its return into the data directory while the service is stopped, keeping what was there.
//! The copy keeps no phone number left for the day's SMS notices.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{path} fails SQLite's integrity check: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("kioskd is running on {0}: stop it first (systemctl stop kioskd)")]
    InUse(PathBuf),
}

fn check(path: &Path) -> Result<(), BackupError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let result: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if result != "ok" {
        return Err(BackupError::Corrupt { path: path.to_path_buf(), detail: result });
    }
    // It must also be one of ours.
    conn.query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get::<_, i64>(0))?;
    Ok(())
}

/// Copy the live database at `db` to `dest` (written beside it, then renamed, then checked).
pub fn backup(db: &Path, dest: &Path) -> Result<u64, BackupError> {
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    // One step over all pages, inside one read transaction: the copy is the database as of one
    // instant, whatever the writer does meanwhile (WAL lets it go on writing).
    {
        let mut target = crate::store::open_copy(&tmp)?;
        let copy = Backup::new(&source, &mut target)?;
        loop {
            match copy.step(-1)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked => std::thread::sleep(std::time::Duration::from_millis(20)),
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
        drop(copy);
        // Phone numbers left for today's SMS notices are not the backup's to keep (they live
        // until midnight, a backup for a week; docs/PRIVACY.md): the copy has none, overwritten.
        target.pragma_update(None, "secure_delete", "ON")?;
        target.execute_batch("DELETE FROM notice_subscriptions; DELETE FROM notice_outbox;")?;
    }
    std::fs::File::open(&tmp)?.sync_all()?;
    check(&tmp)?;
    std::fs::rename(&tmp, dest)?;
    if let Some(dir) = dest.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(std::fs::metadata(dest)?.len())
}

/// Put `from` back as the database at `db`. The current database, if any, is kept beside it as
/// `<name>.before-restore-<unix time>`.
pub fn restore(from: &Path, db: &Path, lock: &Path) -> Result<Option<PathBuf>, BackupError> {
    check(from)?;
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let lock_file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(lock)?;
    if lock_file.try_lock().is_err() {
        return Err(BackupError::InUse(db.to_path_buf()));
    }
    let kept = if db.exists() {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let kept = db.with_extension(format!("sqlite3.before-restore-{stamp}"));
        // Fold the WAL into the old file first, so the kept copy is whole.
        crate::store::open_writable(db)?.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        std::fs::rename(db, &kept)?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let tmp = db.with_extension("restoring");
    std::fs::copy(from, &tmp)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, db)?;
    check(db)?;
    Ok(kept)
}
