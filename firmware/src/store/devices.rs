//! Enrolled rating devices in SQL: a rating tablet or the second kiosk beside a counter, known
//! by the SHA-256 of its bearer token (never the token), enrolled and revoked by the manager.

use super::{exec, row};
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// A device as stored (times in unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub name: String,
    pub enrolled_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Enrol `name` with its token's hash; a revoked device of that name is replaced, a live one is
/// not (`Ok(false)`).
pub fn enroll(tx: &Connection, name: &str, token_sha256: &str, at_ms: i64) -> Result<bool, StoreError> {
    let live: bool = row(tx, "SELECT EXISTS (SELECT 1 FROM rating_devices WHERE name = ?1 AND revoked_at IS NULL)", [name], |r| r.get(0))?;
    if live {
        return Ok(false);
    }
    exec(
        tx,
        "INSERT INTO rating_devices (name, token_sha256, enrolled_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, enrolled_at = excluded.enrolled_at,
                                          revoked_at = NULL, last_used_at = NULL",
        params![name, token_sha256, at_ms],
    )?;
    Ok(true)
}

/// Revoke `name`; whether a live device had that name.
pub fn revoke(tx: &Connection, name: &str, at_ms: i64) -> Result<bool, StoreError> {
    Ok(exec(tx, "UPDATE rating_devices SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL", params![name, at_ms])? > 0)
}

/// The live device whose token hashes to `token_sha256`.
pub fn live_by_token(conn: &Connection, token_sha256: &str) -> Result<Option<String>, StoreError> {
    Ok(row(conn, "SELECT name FROM rating_devices WHERE token_sha256 = ?1 AND revoked_at IS NULL", [token_sha256], |r| r.get(0))
        .optional()?)
}

/// Note that `name` was just used.
pub fn touch(tx: &Connection, name: &str, at_ms: i64) -> Result<(), StoreError> {
    exec(tx, "UPDATE rating_devices SET last_used_at = ?2 WHERE name = ?1", params![name, at_ms])?;
    Ok(())
}

/// Every device ever enrolled, by name.
pub fn all(conn: &Connection) -> Result<Vec<DeviceRow>, StoreError> {
    let mut stmt = conn.prepare("SELECT name, enrolled_at, revoked_at, last_used_at FROM rating_devices ORDER BY name")?;
    let rows =
        stmt.query_map([], |r| Ok(DeviceRow { name: r.get(0)?, enrolled_at: r.get(1)?, revoked_at: r.get(2)?, last_used_at: r.get(3)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
