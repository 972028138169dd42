//! Staff sessions on disk: a login survives a restart of the service, so a watchdog restart or
//! a short power cut does not send every officer back to the PIN screen; a logout deletes its
//! row at once. Only a SHA-256 of each token is kept, so a copied database or backup holds no
//! usable token. Beside them, the wrong-PIN throttle per client address and counter, so a
//! restart gives a guesser no fresh attempts.

use super::exec;
use rusqlite::{params, Connection};

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
pub fn insert(tx: &Connection, s: &SessionRow, now_ms: i64) -> Result<(), StoreError> {
    exec(tx, "DELETE FROM sessions WHERE expires_at <= ?1", params![now_ms])?;
    exec(
        tx,
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

/// End a session (logout).
pub fn delete(tx: &Connection, token_sha256: &str) -> Result<bool, StoreError> {
    Ok(exec(tx, "DELETE FROM sessions WHERE token_sha256 = ?1", [token_sha256])? > 0)
}

/// The wrong-PIN record of one client at one counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureRow {
    pub client: String,
    pub counter: u32,
    pub failures: u32,
    pub locked_until_ms: i64,
}

/// Write down one client's failures at one counter. Attempts at the same moment may reach the
/// writer in another order than they were counted (and commit together): a row never replaces
/// a later lock, nor more failures under the same lock, so the lockout on disk is the newest.
/// (A count started again after a lock long expired is written once it locks again; until then
/// a restart counts from the old row, which `auth` forgets the same way.)
pub fn put_failures(tx: &Connection, f: &FailureRow) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO login_failures (client, counter, failures, locked_until) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (client, counter) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
          WHERE excluded.locked_until > login_failures.locked_until
             OR (excluded.locked_until = login_failures.locked_until AND excluded.failures > login_failures.failures)",
        params![f.client, f.counter, f.failures, f.locked_until_ms],
    )?;
    Ok(())
}

/// A right PIN: the client's failures at that counter are forgotten.
pub fn clear_failures(tx: &Connection, client: &str, counter: u32) -> Result<(), StoreError> {
    exec(tx, "DELETE FROM login_failures WHERE client = ?1 AND counter = ?2", params![client, counter])?;
    Ok(())
}

/// The failures still worth remembering at `since_ms` (locked then or later).
pub fn recent_failures(conn: &Connection, since_ms: i64) -> Result<Vec<FailureRow>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT client, counter, failures, locked_until FROM login_failures WHERE locked_until >= ?1 OR locked_until = 0")?;
    let rows = stmt.query_map(params![since_ms], |r| {
        Ok(FailureRow { client: r.get(0)?, counter: r.get(1)?, failures: r.get(2)?, locked_until_ms: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(failures: u32, locked_until_ms: i64) -> FailureRow {
        FailureRow { client: "10.0.0.66".into(), counter: 1, failures, locked_until_ms }
    }

    fn stored(conn: &Connection) -> (u32, i64) {
        conn.query_row("SELECT failures, locked_until FROM login_failures", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
    }

    #[test]
    fn an_older_attempt_written_late_never_undoes_a_lock() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        put_failures(&conn, &row(1, 0)).unwrap();
        // The third attempt locked the client; the second reaches the writer after it.
        put_failures(&conn, &row(3, 5_000)).unwrap();
        put_failures(&conn, &row(2, 0)).unwrap();
        assert_eq!(stored(&conn), (3, 5_000));
        // A later, longer lock replaces it.
        put_failures(&conn, &row(4, 9_000)).unwrap();
        assert_eq!(stored(&conn), (4, 9_000));
    }
}
