//! The tables and how a database gets from any earlier version to this one. Each migration runs
//! once, in the writer's first transaction, recorded in `central_migrations`; several `central`
//! processes starting together on one PostgreSQL take a lock first, so only one migrates.

use super::{Sql, StoreError};
use crate::ratings;

/// One step of the schema: its number, what it does, and how.
struct Migration {
    version: i64,
    name: &'static str,
    run: fn(&mut dyn Sql) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "ratings", run: ratings_table },
    Migration { version: 2, name: "service and month of each rating", run: service_and_month },
    Migration { version: 3, name: "fleet: kiosk status and catalogue bundles", run: fleet_tables },
];

/// Bring the schema up to date, inside the caller's transaction.
pub(super) fn migrate(sql: &mut dyn Sql, postgres: bool) -> Result<(), StoreError> {
    if postgres {
        // Released at commit. The number is arbitrary, the same in every central.
        sql.execute("SELECT pg_advisory_xact_lock(7247815)", &[])?;
    }
    sql.execute("CREATE TABLE IF NOT EXISTS central_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)", &[])?;
    let current = sql.query("SELECT COALESCE(MAX(version), 0) FROM central_migrations", &[])?;
    let current = current.first().map(|r| r.int(0)).transpose()?.unwrap_or(0);
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        (m.run)(sql).map_err(|e| StoreError(format!("migration {} ({}): {}", m.version, m.name, e.0)))?;
        sql.execute("INSERT INTO central_migrations (version, name) VALUES ($1, $2)", &[m.version.into(), m.name.into()])?;
    }
    Ok(())
}

fn run_all(sql: &mut dyn Sql, statements: &str) -> Result<(), StoreError> {
    for statement in statements.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sql.execute(statement, &[])?;
    }
    Ok(())
}

/// The ratings as protocol 1 stores them. `IF NOT EXISTS`: databases made before migrations
/// were recorded already have them.
fn ratings_table(sql: &mut dyn Sql) -> Result<(), StoreError> {
    run_all(
        sql,
        "CREATE TABLE IF NOT EXISTS ratings (
            kiosk_id     TEXT   NOT NULL,
            seq          BIGINT NOT NULL,
            id           TEXT   NOT NULL UNIQUE,
            prev_hash    TEXT   NOT NULL,
            hash         TEXT   NOT NULL,
            signature    TEXT   NOT NULL,
            public_key   TEXT   NOT NULL,
            record_json  TEXT   NOT NULL,
            agency_code  TEXT   NOT NULL,
            official     TEXT   NOT NULL,
            rated_at     TEXT   NOT NULL,
            received_at  TEXT   NOT NULL,
            PRIMARY KEY (kiosk_id, seq)
        );
        CREATE INDEX IF NOT EXISTS ratings_by_centre ON ratings (agency_code, rated_at)",
    )
}

/// The service code and the month in Vietnam, copied out of each signed record so the
/// province's figures group by them in SQL; filled in for the ratings already stored.
fn service_and_month(sql: &mut dyn Sql) -> Result<(), StoreError> {
    run_all(
        sql,
        "ALTER TABLE ratings ADD COLUMN service TEXT NOT NULL DEFAULT '';
         ALTER TABLE ratings ADD COLUMN rated_month TEXT NOT NULL DEFAULT ''",
    )?;
    ratings::fill_service_and_month(sql)?;
    run_all(sql, "CREATE INDEX IF NOT EXISTS ratings_by_month ON ratings (rated_month, agency_code, service)")
}

/// The latest heartbeat of each kiosk (and since when its printer and clock are in their
/// state), and every catalogue bundle published.
fn fleet_tables(sql: &mut dyn Sql) -> Result<(), StoreError> {
    run_all(
        sql,
        "CREATE TABLE kiosk_status (
            kiosk_id        TEXT   PRIMARY KEY,
            seq             BIGINT NOT NULL,
            hash            TEXT   NOT NULL,
            signature       TEXT   NOT NULL,
            public_key      TEXT   NOT NULL,
            heartbeat_json  TEXT   NOT NULL,
            received_at     TEXT   NOT NULL,
            first_seen      TEXT   NOT NULL,
            agency_code     TEXT   NOT NULL,
            centre_name     TEXT   NOT NULL,
            printer         TEXT   NOT NULL,
            printer_since   TEXT   NOT NULL,
            clock           TEXT   NOT NULL,
            clock_since     TEXT   NOT NULL
        );
        CREATE TABLE catalogue_bundles (
            version       BIGINT PRIMARY KEY,
            published_at  TEXT   NOT NULL,
            etag          TEXT   NOT NULL,
            public_key    TEXT   NOT NULL,
            files         BIGINT NOT NULL,
            procedures    BIGINT NOT NULL,
            bundle_json   TEXT   NOT NULL
        )",
    )
}
