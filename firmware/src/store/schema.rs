//! Schema migrations: an ordered list of SQL scripts; `PRAGMA user_version` records how many
//! ran. A migration runs in the same transaction as the version bump, so a power cut during an
//! upgrade leaves the old schema intact.

use rusqlite::Connection;

use super::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: tickets, per-counter ordering state and the journal.
    r#"
    CREATE TABLE tickets (
        id             TEXT PRIMARY KEY,
        day            TEXT NOT NULL,              -- local service day, YYYY-MM-DD
        prefix         TEXT NOT NULL,              -- letter of the service that issued it
        seq            INTEGER NOT NULL,
        number         TEXT NOT NULL,              -- 'A025'
        service        TEXT NOT NULL,              -- queue it is in now (changes on transfer)
        priority       TEXT,                       -- category code, never evidence
        status         TEXT NOT NULL,
        queue_pos      INTEGER NOT NULL,
        counter        INTEGER,
        issued_at      INTEGER NOT NULL,           -- unix milliseconds
        called_at      INTEGER,
        serving_at     INTEGER,
        finished_at    INTEGER,
        recalls        INTEGER NOT NULL DEFAULT 0,
        transfers      INTEGER NOT NULL DEFAULT 0,
        printed        INTEGER,                    -- NULL until the print job ended
        UNIQUE (day, prefix, seq)
    );
    CREATE INDEX tickets_queue ON tickets (day, service, status, queue_pos);
    CREATE INDEX tickets_counter ON tickets (day, counter, status);
    CREATE TABLE counter_state (
        counter        INTEGER PRIMARY KEY,
        normal_streak  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE journal (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        at             INTEGER NOT NULL,           -- unix milliseconds
        day            TEXT NOT NULL,
        kind           TEXT NOT NULL,              -- event name, e.g. 'ticket_called'
        ticket_id      TEXT,
        counter        INTEGER,
        data           TEXT NOT NULL               -- the event as published, JSON
    );
    CREATE INDEX journal_day ON journal (day, kind);
    "#,
    // 2: dossiers received at the counters; the officer who called a ticket.
    r#"
    ALTER TABLE tickets ADD COLUMN officer TEXT;
    CREATE TABLE dossiers (
        code              TEXT PRIMARY KEY,        -- as printed: 000.00.17.H41-260302-0001
        compact           TEXT NOT NULL UNIQUE,    -- letters and digits only: the lookup key
        agency            TEXT NOT NULL,
        day               TEXT NOT NULL,           -- local day of receipt, YYYY-MM-DD
        seq               INTEGER NOT NULL,
        procedure         TEXT NOT NULL,
        channel           TEXT NOT NULL,
        applicant_name    TEXT NOT NULL,           -- personal: receipt and staff lists only
        received_at       INTEGER NOT NULL,
        due_at            INTEGER NOT NULL,        -- the original date, printed on the slip
        working_days      INTEGER,
        rule              TEXT NOT NULL,
        status            INTEGER NOT NULL,        -- 1..10, national sync codes
        status_at         INTEGER NOT NULL,
        new_due_at        INTEGER,                 -- the one rescheduling
        reschedule_reason TEXT,
        rescheduled_at    INTEGER,
        finished_at       INTEGER,
        counter           INTEGER,
        officer           TEXT,
        printed           INTEGER,
        UNIQUE (agency, day, seq)
    );
    CREATE INDEX dossiers_open ON dossiers (status, due_at);
    "#,
    // 3: the signed chain of ratings, the outbox towards the central service, its state.
    r#"
    CREATE TABLE ratings (
        seq           INTEGER PRIMARY KEY,         -- position in this kiosk's chain, from 1
        id            TEXT NOT NULL UNIQUE,        -- idempotency key at the central service
        ticket_id     TEXT UNIQUE,                 -- one rating per ticket …
        dossier_code  TEXT UNIQUE,                 -- … or per dossier
        official      TEXT NOT NULL,
        counter       INTEGER,
        service       TEXT,
        procedure     TEXT,
        rated_at      INTEGER NOT NULL,
        prev_hash     TEXT NOT NULL,
        hash          TEXT NOT NULL,
        signature     TEXT NOT NULL,
        record_json   TEXT NOT NULL                -- the exact bytes hashed and sent
    );
    CREATE TABLE outbox (
        rating_seq    INTEGER PRIMARY KEY REFERENCES ratings (seq),
        queued_at     INTEGER NOT NULL
    );
    CREATE TABLE sync_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        last_success_at INTEGER,
        last_error      TEXT,
        failures        INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 4: staff sessions, so that a restart (watchdog, power cut) does not log every counter out.
    r#"
    CREATE TABLE sessions (
        token_sha256  TEXT PRIMARY KEY,            -- the bearer token itself is never stored
        counter       INTEGER NOT NULL,            -- 0: the centre manager
        officer       TEXT,
        expires_at    INTEGER NOT NULL             -- unix milliseconds
    );
    "#,
    // 5: the latest event time, read by every /healthz for the clock check, without a scan.
    r#"
    CREATE INDEX journal_at ON journal (at);
    "#,
    // 6: the time-limit case the officer chose at reception ("xac_minh"), and how letters
    //    address the applicant ("Ông" / "Bà").
    r#"
    ALTER TABLE dossiers ADD COLUMN variant TEXT;
    ALTER TABLE dossiers ADD COLUMN applicant_title TEXT;
    "#,
    // 7: the heartbeats' sequence number towards the central service, kept across restarts.
    r#"
    CREATE TABLE heartbeat_state (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq      INTEGER NOT NULL             -- the seq of the last heartbeat signed
    );
    "#,
    // 8: wrong-PIN throttling per client address and counter, so a restart gives a
    // guesser no fresh attempts; enrolled rating devices (by token hash); the secret printed in
    // a dossier receipt slip's QR (by hash), which lets its holder rate the dossier.
    r#"
    CREATE TABLE login_failures (
        client        TEXT NOT NULL,               -- the client's IP address
        counter       INTEGER NOT NULL,            -- 0: the centre manager
        failures      INTEGER NOT NULL,
        locked_until  INTEGER NOT NULL,            -- unix milliseconds
        PRIMARY KEY (client, counter)
    );
    CREATE TABLE rating_devices (
        name          TEXT PRIMARY KEY,
        token_sha256  TEXT NOT NULL UNIQUE,        -- the device's bearer token itself is never stored
        enrolled_at   INTEGER NOT NULL,
        revoked_at    INTEGER,
        last_used_at  INTEGER
    );
    CREATE TABLE dossier_keys (
        compact       TEXT PRIMARY KEY REFERENCES dossiers (compact),
        key_sha256    TEXT NOT NULL
    );
    "#,
    // 9: which kiosk dispensed a ticket: the enrolled device name of a kiosk that prints its own
    //    tickets (NULL: this service's own kiosk, or a screen without a printer that it prints for).
    r#"
    ALTER TABLE tickets ADD COLUMN kiosk TEXT;
    "#,
    // 10: numbers taken today per person, by the day's HMAC of their identity card (never the
    //     card's number, name or birth date; not which ticket); deleted at the day's rollover.
    r#"
    CREATE TABLE person_tickets (
        day           TEXT NOT NULL,               -- YYYY-MM-DD, site time
        person        TEXT NOT NULL,               -- HMAC-SHA256(site secret, day | ID number), hex
        service       TEXT NOT NULL
    );
    CREATE INDEX person_tickets_day ON person_tickets (day, person);
    "#,
    // 11: SMS / Zalo notices (issue 19): who asked to be told, for the day (a ticket's secret id
    //     or a dossier's compact code, and a phone number), and the durable outbox of notices.
    //     Phone numbers leave a notice once it is sent or given up; every row of a past day is
    //     deleted at the rollover (docs/PRIVACY.md).
    r#"
    CREATE TABLE notice_subscriptions (
        id                  INTEGER PRIMARY KEY,
        day                 TEXT NOT NULL,         -- YYYY-MM-DD, site time
        ticket_id           TEXT UNIQUE,           -- a ticket's id …
        dossier             TEXT UNIQUE,           -- … or a dossier's compact code
        phone               TEXT NOT NULL,         -- 84 and 9 digits
        approaching_queued  INTEGER NOT NULL DEFAULT 0,
        called_queued       INTEGER NOT NULL DEFAULT 0,
        result_queued       INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX notice_subscriptions_day ON notice_subscriptions (day);
    CREATE TABLE notice_outbox (
        id                  INTEGER PRIMARY KEY,
        idempotency_key     TEXT NOT NULL UNIQUE,  -- sent with every attempt
        day                 TEXT NOT NULL,
        kind                TEXT NOT NULL,         -- approaching | called | result_ready
        phone               TEXT NOT NULL,         -- '' once sent or given up
        text                TEXT NOT NULL,         -- the SMS text (names a number, never a person)
        vals                TEXT NOT NULL,         -- the placeholders' values, JSON
        queued_at           INTEGER NOT NULL,
        attempts            INTEGER NOT NULL DEFAULT 0,
        state               TEXT NOT NULL,         -- pending | sent | failed
        sent_at             INTEGER,
        last_error          TEXT
    );
    CREATE INDEX notice_outbox_pending ON notice_outbox (state, day, id);
    "#,
    // 12: the counter index holds called tickets only: every query of it names a counter, and
    //     a waiting ticket (no counter yet) no longer costs an index page at every issue
    //     (issue 20: pages written per ticket).
    r#"
    DROP INDEX tickets_counter;
    CREATE INDEX tickets_counter ON tickets (day, counter, status) WHERE counter IS NOT NULL;
    "#,
    // 13: how many tickets wait in each queue, kept by triggers on every row that enters or
    //     leaves one (queued = 'waiting' or 'transferred', as `TicketStatus::is_queued`), so
    //     that issuing a ticket, the kiosk's services and the hall's queue read one row instead
    //     of counting the queue's index entries one by one: about 27 k instructions plus 560
    //     per waiting ticket, two fifths of the server's per ticket at 250 waiting (issue 20).
    //     Tickets are never deleted.
    r#"
    CREATE TABLE queue_lengths (
        day     TEXT NOT NULL,
        service TEXT NOT NULL,
        waiting INTEGER NOT NULL,
        PRIMARY KEY (day, service)
    ) WITHOUT ROWID;
    INSERT INTO queue_lengths (day, service, waiting)
        SELECT day, service, COUNT(*) FROM tickets WHERE status IN ('waiting', 'transferred') GROUP BY day, service;
    CREATE TRIGGER queue_lengths_issue AFTER INSERT ON tickets WHEN NEW.status IN ('waiting', 'transferred') BEGIN
        INSERT INTO queue_lengths (day, service, waiting) VALUES (NEW.day, NEW.service, 1)
            ON CONFLICT (day, service) DO UPDATE SET waiting = waiting + 1;
    END;
    CREATE TRIGGER queue_lengths_leave AFTER UPDATE OF status, service ON tickets
        WHEN OLD.status IN ('waiting', 'transferred') BEGIN
        UPDATE queue_lengths SET waiting = waiting - 1 WHERE day = OLD.day AND service = OLD.service;
    END;
    CREATE TRIGGER queue_lengths_enter AFTER UPDATE OF status, service ON tickets
        WHEN NEW.status IN ('waiting', 'transferred') BEGIN
        INSERT INTO queue_lengths (day, service, waiting) VALUES (NEW.day, NEW.service, 1)
            ON CONFLICT (day, service) DO UPDATE SET waiting = waiting + 1;
    END;
    "#,
    // 14: the journal's numbers without AUTOINCREMENT, which wrote its counter's row in
    //     `sqlite_sequence` (a page of its own) at every event. No journal row is ever deleted,
    //     so the highest number plus one — SQLite's rule for an INTEGER PRIMARY KEY — is the
    //     same sequence, never reused (issue 20: pages written per operation).
    r#"
    CREATE TABLE journal_numbered (
        seq            INTEGER PRIMARY KEY,
        at             INTEGER NOT NULL,           -- unix milliseconds
        day            TEXT NOT NULL,
        kind           TEXT NOT NULL,              -- event name, e.g. 'ticket_called'
        ticket_id      TEXT,
        counter        INTEGER,
        data           TEXT NOT NULL               -- the event as published, JSON
    );
    INSERT INTO journal_numbered (seq, at, day, kind, ticket_id, counter, data)
        SELECT seq, at, day, kind, ticket_id, counter, data FROM journal;
    DROP TABLE journal;
    ALTER TABLE journal_numbered RENAME TO journal;
    CREATE INDEX journal_day ON journal (day, kind);
    CREATE INDEX journal_at ON journal (at);
    DELETE FROM sqlite_sequence WHERE name = 'journal';
    "#,
];

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
    if version > MIGRATIONS.len() {
        return Err(StoreError(format!(
            "the database has schema version {version}, newer than this program ({}); upgrade kioskd",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::all_rows;

    /// A database as the first `version` migrations left it.
    fn at_version(version: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64).unwrap();
        conn
    }

    /// A database from before the queue lengths (version 12) gets them counted from its
    /// tickets as it upgrades, so the first ticket issued after the upgrade is told the truth.
    #[test]
    fn the_queue_lengths_start_from_the_tickets_already_waiting() {
        let mut conn = at_version(12);
        let statuses = ["waiting", "waiting", "transferred", "called", "done", "waiting"];
        for (i, (service, status)) in ["A", "A", "A", "A", "B", "B"].iter().zip(statuses).enumerate() {
            conn.execute(
                "INSERT INTO tickets (id, day, prefix, seq, number, service, status, queue_pos, issued_at)
                 VALUES (?1, '2026-03-02', ?2, ?3, ?2 || ?3, ?2, ?4, ?3, 0)",
                rusqlite::params![format!("t{i}"), service, i as i64 + 1, status],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let lengths: Vec<(String, u32)> =
            all_rows(&conn, "SELECT service, waiting FROM queue_lengths ORDER BY service", [], |r| Ok((r.get(0)?, r.get(1)?)));
        assert_eq!(lengths, [("A".to_string(), 3), ("B".to_string(), 1)]);
    }

    /// The journal rebuilt without AUTOINCREMENT keeps its entries and numbers on from the
    /// highest, and no event writes `sqlite_sequence` any more.
    #[test]
    fn the_journal_numbers_on_without_its_sequence_row() {
        let mut conn = at_version(13);
        let append = |conn: &Connection, kind: &str| {
            conn.execute("INSERT INTO journal (at, day, kind, data) VALUES (1, '2026-03-02', ?1, '{}')", [kind]).unwrap();
            conn.last_insert_rowid()
        };
        for kind in ["ticket_issued", "ticket_called", "ticket_finished"] {
            append(&conn, kind);
        }
        conn.execute("UPDATE journal SET seq = 41 WHERE seq = 3", []).unwrap();
        migrate(&mut conn).unwrap();
        let kept: Vec<(i64, String)> = all_rows(&conn, "SELECT seq, kind FROM journal ORDER BY seq", [], |r| Ok((r.get(0)?, r.get(1)?)));
        assert_eq!(kept, [(1, "ticket_issued".to_string()), (2, "ticket_called".to_string()), (41, "ticket_finished".to_string())]);
        assert_eq!(append(&conn, "ticket_issued"), 42);
        let sequences: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_sequence", [], |r| r.get(0)).unwrap();
        assert_eq!(sequences, 0, "nothing counts in sqlite_sequence");
        let indexes: Vec<String> =
            all_rows(&conn, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal' ORDER BY name", [], |r| r.get(0));
        assert_eq!(indexes, ["journal_at", "journal_day"]);
    }
}
