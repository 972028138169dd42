//! Staff sessions on disk: a login survives a restart of the service, so a watchdog restart or
//! a short power cut does not send every officer back to the PIN screen. Only a SHA-256 of each
//! token is kept, so a copied database or backup holds no usable token.

use rusqlite::{params, Connection, Transaction};

use super::StoreError;

/// A session as stored: the token's hash, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_sha256: String,
    pub counter: u32,
    pub officer: Option<String>,
    pub expires_at_ms: i64,
}

/// Record a new session and forget the expired ones.
pub fn insert(tx: &Transaction, s: &SessionRow, now_ms: i64) -> Result<(), StoreError> {
    tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", params![now_ms])?;
    tx.execute(
        "INSERT OR REPLACE INTO sessions (token_sha256, counter, officer, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![s.token_sha256, s.counter, s.officer, s.expires_at_ms],
    )?;
    Ok(())
}

/// The sessions still valid at `now_ms`.
pub fn live(conn: &Connection, now_ms: i64) -> Result<Vec<SessionRow>, StoreError> {
    let mut stmt = conn.prepare("SELECT token_sha256, counter, officer, expires_at FROM sessions WHERE expires_at > ?1")?;
    let rows = stmt.query_map(params![now_ms], |r| {
        Ok(SessionRow { token_sha256: r.get(0)?, counter: r.get(1)?, officer: r.get(2)?, expires_at_ms: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
