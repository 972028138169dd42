//! The heartbeats' sequence number (`docs/sync-protocol.md`, "Order and replays"): central keeps
//! a heartbeat only if its `seq` is higher than the stored one, so the number must keep growing
//! across restarts and power cuts — one row, bumped in the transaction that hands it out.

use super::{exec, row};
use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// The next sequence number, recorded as used before it is returned.
pub fn next_seq(tx: &Connection) -> Result<i64, StoreError> {
    let seq: i64 = row(
        tx,
        "INSERT INTO heartbeat_state (id, last_seq) VALUES (1, 1)
         ON CONFLICT (id) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
        [],
        |r| r.get(0),
    )?;
    Ok(seq)
}

/// Continue after `last_seq` (what central holds): the next number handed out is `last_seq + 1`,
/// never one already used here.
pub fn continue_after(tx: &Connection, last_seq: i64) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO heartbeat_state (id, last_seq) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)",
        [last_seq],
    )?;
    Ok(())
}

/// The last number handed out (0 before the first heartbeat).
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(row(conn, "SELECT last_seq FROM heartbeat_state WHERE id = 1", [], |r| r.get(0)).optional()?.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_grow_across_reopening_and_jump_past_what_central_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        {
            let mut conn = Connection::open(&path).unwrap();
            crate::store::schema::migrate(&mut conn).unwrap();
            assert_eq!(last_seq(&conn).unwrap(), 0);
            assert_eq!(next_seq(&conn).unwrap(), 1);
            assert_eq!(next_seq(&conn).unwrap(), 2);
        }
        let conn = Connection::open(&path).unwrap();
        assert_eq!(next_seq(&conn).unwrap(), 3, "kept across a restart");
        continue_after(&conn, 41).unwrap();
        assert_eq!(next_seq(&conn).unwrap(), 42);
        // Never backwards: a lower number from central does not reuse numbers signed here.
        continue_after(&conn, 5).unwrap();
        assert_eq!(next_seq(&conn).unwrap(), 43);
    }
}
