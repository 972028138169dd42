//! How many numbers each person took today, by the day's key of their card
//! ([`crate::identity::PersonKey`]) — never the card's number, name or date of birth, and not
//! which ticket is theirs. Rows of past days are deleted at the day's rollover.

use rusqlite::{params, Connection};

use super::{exec, row, StoreError};

/// Numbers `person` took on `day`: of `service`, and in all.
pub fn taken(conn: &Connection, day: &str, person: &str, service: &str) -> Result<(u32, u32), StoreError> {
    Ok(row(
        conn,
        "SELECT COALESCE(SUM(service = ?3), 0), COUNT(*) FROM person_tickets WHERE day = ?1 AND person = ?2",
        params![day, person, service],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Count one more number of `service` for `person` on `day`.
pub fn record(tx: &Connection, day: &str, person: &str, service: &str) -> Result<(), StoreError> {
    exec(tx, "INSERT INTO person_tickets (day, person, service) VALUES (?1, ?2, ?3)", params![day, person, service])?;
    Ok(())
}

/// Forget every day before `today`; how many rows went.
pub fn forget_before(tx: &Connection, today: &str) -> Result<usize, StoreError> {
    Ok(exec(tx, "DELETE FROM person_tickets WHERE day < ?1", [today])?)
}
