//! Tickets in SQL: rows in, rows out. The rules (who is next, whether a number may be issued)
//! live in [`crate::queue`]; the use cases in `service::tickets` and `service::counters` run
//! these statements inside the writer's transaction.

use super::{exec, row};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreError;
use crate::queue::TicketStatus;

/// A ticket as stored (times in unix milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    pub day: String,
    pub number: String,
    pub issued_service: String,
    pub service: String,
    pub priority: Option<String>,
    pub status: TicketStatus,
    pub queue_pos: i64,
    pub counter: Option<u32>,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub serving_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub recalls: u32,
    pub transfers: u32,
    pub printed: Option<bool>,
}

/// A ticket to insert: it starts waiting.
pub struct NewTicket<'a> {
    pub id: &'a str,
    pub day: &'a str,
    pub prefix: &'a str,
    pub seq: u32,
    pub number: &'a str,
    pub priority: Option<&'a str>,
    pub queue_pos: i64,
    pub issued_at: i64,
    /// The print outcome when it is known before the commit (no printer: `false`), else `None`
    /// until the printer answers.
    pub printed: Option<bool>,
}

const COLUMNS: &str = "id, day, number, prefix, service, priority, status, queue_pos, counter, issued_at, \
                       called_at, serving_at, finished_at, recalls, transfers, printed";

fn from_row(r: &Row) -> rusqlite::Result<Ticket> {
    let status: String = r.get(6)?;
    Ok(Ticket {
        id: r.get(0)?,
        day: r.get(1)?,
        number: r.get(2)?,
        issued_service: r.get(3)?,
        service: r.get(4)?,
        priority: r.get(5)?,
        status: TicketStatus::parse(&status).unwrap_or(TicketStatus::Cancelled),
        queue_pos: r.get(7)?,
        counter: r.get(8)?,
        issued_at: r.get(9)?,
        called_at: r.get(10)?,
        serving_at: r.get(11)?,
        finished_at: r.get(12)?,
        recalls: r.get(13)?,
        transfers: r.get(14)?,
        printed: r.get(15)?,
    })
}

/// The highest number issued for `prefix` on `day` and how many were issued. A day's numbers
/// run on without a gap from its first (each is the last plus one, and no ticket row is ever
/// deleted during its day), so the count is `last - first + 1`: two lookups at the ends of the
/// `(day, prefix, seq)` index instead of counting the day's tickets one by one, which grew with
/// every ticket of the day.
pub fn issued_so_far(conn: &Connection, day: &str, prefix: &str) -> Result<(Option<u32>, u32), StoreError> {
    let (first, last): (Option<u32>, Option<u32>) = row(
        conn,
        "SELECT (SELECT MIN(seq) FROM tickets WHERE day = ?1 AND prefix = ?2),
                (SELECT MAX(seq) FROM tickets WHERE day = ?1 AND prefix = ?2)",
        params![day, prefix],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((last, first.zip(last).map_or(0, |(first, last)| last - first + 1)))
}

pub fn insert(tx: &Connection, t: &NewTicket) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO tickets (id, day, prefix, seq, number, service, priority, status, queue_pos, issued_at, printed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6, 'waiting', ?7, ?8, ?9)",
        params![t.id, t.day, t.prefix, t.seq, t.number, t.priority, t.queue_pos, t.issued_at, t.printed],
    )?;
    Ok(())
}

/// The ticket with this id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Ticket>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?)
}

/// The counter's current ticket (called or being served) on `day`.
pub fn current_of(conn: &Connection, day: &str, counter: u32) -> Result<Option<Ticket>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets WHERE day = ?1 AND counter = ?2 AND status IN ('called', 'serving')
         ORDER BY called_at DESC LIMIT 1"
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![day, counter], from_row).optional()?)
}

/// The queued tickets of `day` in any of `services`, in queue order.
pub fn queued_in(conn: &Connection, day: &str, services: &[String]) -> Result<Vec<Ticket>, StoreError> {
    let placeholders = vec!["?"; services.len()].join(",");
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets WHERE day = ? AND status IN ('waiting', 'transferred') AND service IN ({placeholders})
         ORDER BY queue_pos"
    );
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&day];
    args.extend(services.iter().map(|s| s as &dyn rusqlite::ToSql));
    let rows = conn.prepare_cached(&sql)?.query_map(args.as_slice(), from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// How many queued tickets of the same queue would be called before this one.
pub fn ahead_of(conn: &Connection, t: &Ticket) -> Result<u32, StoreError> {
    if !t.status.is_queued() {
        return Ok(0);
    }
    Ok(row(
        conn,
        "SELECT COUNT(*) FROM tickets WHERE day = ?1 AND service = ?2 AND status IN ('waiting', 'transferred')
           AND queue_pos < ?3",
        params![t.day, t.service, t.queue_pos],
        |r| r.get(0),
    )?)
}

/// How many tickets wait in `service`'s queue on `day`: one row that triggers keep (migration
/// 13), not a count of the queue.
pub fn waiting_count(conn: &Connection, day: &str, service: &str) -> Result<u32, StoreError> {
    Ok(row(conn, "SELECT waiting FROM queue_lengths WHERE day = ?1 AND service = ?2", params![day, service], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The mean service time of the queue's latest 20 finished tickets, latest by their place in
/// the queue: read backwards along the queue's index, 20 entries, where ordering them by the
/// time they finished sorted every ticket finished that day in the queue, at every issue and
/// for every service the kiosk's screen lists (issue 20).
const RECENT_SERVICE_SECS: &str = "SELECT AVG(d) / 1000.0 FROM (SELECT finished_at - called_at AS d FROM tickets
       WHERE day = ?1 AND service = ?2 AND status = 'done' AND called_at IS NOT NULL
       ORDER BY queue_pos DESC LIMIT 20)";

/// Mean service seconds of the last 20 tickets served on `day` in this queue.
pub fn recent_service_secs(conn: &Connection, day: &str, service: &str) -> Result<Option<f64>, StoreError> {
    Ok(row(conn, RECENT_SERVICE_SECS, params![day, service], |r| r.get(0))?)
}

/// How many normal citizens `counter` called since its last priority one.
pub fn normal_streak(conn: &Connection, counter: u32) -> Result<u32, StoreError> {
    Ok(row(conn, "SELECT normal_streak FROM counter_state WHERE counter = ?1", [counter], |r| r.get(0)).optional()?.unwrap_or(0))
}

pub fn set_normal_streak(tx: &Connection, counter: u32, streak: u32) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO counter_state (counter, normal_streak) VALUES (?1, ?2)
         ON CONFLICT (counter) DO UPDATE SET normal_streak = excluded.normal_streak",
        params![counter, streak],
    )?;
    Ok(())
}

/// The ticket is called to `counter` at `at`, by `officer` if named.
pub fn set_called(tx: &Connection, id: &str, counter: u32, at: i64, officer: Option<&str>) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE tickets SET status = 'called', counter = ?2, called_at = ?3, officer = ?4 WHERE id = ?1",
        params![id, counter, at, officer],
    )?;
    Ok(())
}

pub fn add_recall(tx: &Connection, id: &str) -> Result<(), StoreError> {
    exec(tx, "UPDATE tickets SET recalls = recalls + 1 WHERE id = ?1", [id])?;
    Ok(())
}

pub fn set_serving(tx: &Connection, id: &str, at: i64) -> Result<(), StoreError> {
    exec(tx, "UPDATE tickets SET status = 'serving', serving_at = ?2 WHERE id = ?1", params![id, at])?;
    Ok(())
}

/// The ticket ends with `status` (done, no-show, cancelled) at `at`.
pub fn set_finished(tx: &Connection, id: &str, status: TicketStatus, at: i64) -> Result<(), StoreError> {
    exec(tx, "UPDATE tickets SET status = ?2, finished_at = ?3 WHERE id = ?1", params![id, status.as_str(), at])?;
    Ok(())
}

/// The ticket waits again, in `service`'s queue at `queue_pos`.
pub fn set_transferred(tx: &Connection, id: &str, service: &str, queue_pos: i64) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE tickets SET status = 'transferred', service = ?2, queue_pos = ?3, counter = NULL,
                called_at = NULL, serving_at = NULL, transfers = transfers + 1 WHERE id = ?1",
        params![id, service, queue_pos],
    )?;
    Ok(())
}

/// Record whether the ticket's print job succeeded.
pub fn set_printed(tx: &Connection, id: &str, printed: bool) -> Result<(), StoreError> {
    exec(tx, "UPDATE tickets SET printed = ?2 WHERE id = ?1", params![id, printed])?;
    Ok(())
}

/// Record that the enrolled kiosk `kiosk` dispensed (and prints) the ticket `id`.
pub fn set_kiosk(tx: &Connection, id: &str, kiosk: &str) -> Result<(), StoreError> {
    exec(tx, "UPDATE tickets SET kiosk = ?2 WHERE id = ?1", params![id, kiosk])?;
    Ok(())
}

/// The print outcome a kiosk reports for a ticket it dispensed; whether `kiosk` dispensed `id`
/// (another kiosk's ticket, or the service's own, is left alone).
pub fn set_printed_by(tx: &Connection, id: &str, kiosk: &str, printed: bool) -> Result<bool, StoreError> {
    Ok(exec(tx, "UPDATE tickets SET printed = ?3 WHERE id = ?1 AND kiosk = ?2", params![id, kiosk, printed])? > 0)
}

/// Tickets of days before `today` that never reached a counter end cancelled: numbers restart
/// every day, so yesterday's A025 must not be called today. Those days' queue lengths go.
pub fn close_past_days(tx: &Connection, today: &str, now_ms: i64) -> Result<usize, StoreError> {
    let closed = exec(
        tx,
        "UPDATE tickets SET status = 'cancelled', finished_at = ?2
          WHERE day < ?1 AND status IN ('waiting', 'transferred', 'called', 'serving')",
        params![today, now_ms],
    )?;
    exec(tx, "DELETE FROM queue_lengths WHERE day < ?1", [today])?;
    Ok(closed)
}

/// The current ticket number of each counter on `day`.
pub fn counters_current(conn: &Connection, day: &str) -> Result<Vec<(u32, String)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT counter, number FROM tickets WHERE day = ?1 AND status IN ('called', 'serving') AND counter IS NOT NULL")?;
    let rows = stmt.query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The officer who called the ticket, if one was named.
pub fn officer_of(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    Ok(row(conn, "SELECT officer FROM tickets WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The id of the ticket numbered `number` on `day` (the latest, should it exist twice).
pub fn id_by_number(conn: &Connection, day: &str, number: &str) -> Result<Option<String>, StoreError> {
    Ok(row(conn, "SELECT id FROM tickets WHERE day = ?1 AND number = ?2 ORDER BY issued_at DESC LIMIT 1", [day, number], |r| r.get(0)).ok())
}

/// The ticket `counter` finished last on `day`.
pub fn last_finished_at(conn: &Connection, day: &str, counter: u32) -> Result<Option<String>, StoreError> {
    Ok(row(
        conn,
        "SELECT id FROM tickets WHERE day = ?1 AND counter = ?2 AND status = 'done' ORDER BY finished_at DESC LIMIT 1",
        params![day, counter],
        |r| r.get(0),
    )
    .ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::all_rows;

    fn store() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        conn
    }

    fn issue(conn: &Connection, day: &str, service: &str, seq: u32) -> String {
        let id = format!("{day}-{service}{seq:03}");
        let number = format!("{service}{seq:03}");
        let new = NewTicket {
            id: &id,
            day,
            prefix: service,
            seq,
            number: &number,
            priority: None,
            queue_pos: seq as i64,
            issued_at: 0,
            printed: None,
        };
        insert(conn, &new).unwrap();
        id
    }

    /// For every (day, service) with tickets, the length the triggers kept equals a count of
    /// the rows.
    fn assert_kept(conn: &Connection, step: &str) {
        let counted: Vec<(String, String, u32)> = all_rows(
            conn,
            "SELECT day, service, COUNT(*) FILTER (WHERE status IN ('waiting', 'transferred'))
               FROM tickets GROUP BY day, service ORDER BY day, service",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        );
        for (day, service, n) in counted {
            assert_eq!(waiting_count(conn, &day, &service).unwrap(), n, "after {step}: {day} {service}");
        }
    }

    /// The service time comes from the queue's last 20 served tickets, found without sorting
    /// the day's finished tickets.
    #[test]
    fn the_service_time_is_the_mean_of_the_last_twenty_served() {
        let conn = store();
        let day = "2026-03-02";
        assert_eq!(recent_service_secs(&conn, day, "A").unwrap(), None, "nobody served yet");
        // 25 served: the first 5 took 20 minutes, the last 20 took 1 to 20 minutes.
        for seq in 1..=25u32 {
            let id = issue(&conn, day, "A", seq);
            let minutes = if seq <= 5 { 20 } else { i64::from(seq) - 5 };
            set_called(&conn, &id, 1, 0, None).unwrap();
            set_finished(&conn, &id, TicketStatus::Done, minutes * 60_000).unwrap();
        }
        // One cancelled while waiting and one in the next queue count for nothing.
        let cancelled = issue(&conn, day, "A", 26);
        set_finished(&conn, &cancelled, TicketStatus::Cancelled, 1).unwrap();
        let other = issue(&conn, day, "B", 1);
        set_called(&conn, &other, 2, 0, None).unwrap();
        set_finished(&conn, &other, TicketStatus::Done, 3_600_000).unwrap();
        assert_eq!(recent_service_secs(&conn, day, "A").unwrap(), Some(10.5 * 60.0));

        let plan: Vec<String> = all_rows(&conn, &format!("EXPLAIN QUERY PLAN {RECENT_SERVICE_SECS}"), params![day, "A"], |r| r.get(3));
        assert!(plan.iter().any(|step| step.contains("USING INDEX tickets_queue")), "{plan:?}");
        assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "no sort: {plan:?}");
    }

    /// The queue lengths the triggers keep equal a count of the queue after every statement of
    /// this module that moves a ticket: issue, call, serve, finish, transfer (also back into a
    /// queue it already waits in), and the closing of past days.
    #[test]
    fn the_queue_lengths_follow_every_move_of_a_ticket() {
        let conn = store();
        let (yesterday, today) = ("2026-03-01", "2026-03-02");
        let old: Vec<_> = (1..=3).map(|i| issue(&conn, yesterday, "A", i)).collect();
        let a: Vec<_> = (1..=5).map(|i| issue(&conn, today, "A", i)).collect();
        let b: Vec<_> = (1..=3).map(|i| issue(&conn, today, "B", i)).collect();
        assert_kept(&conn, "issuing");
        assert_eq!((waiting_count(&conn, today, "A").unwrap(), waiting_count(&conn, today, "B").unwrap()), (5, 3));
        assert_eq!(waiting_count(&conn, today, "C").unwrap(), 0, "a queue nobody joined");

        set_called(&conn, &a[0], 1, 10, None).unwrap();
        assert_kept(&conn, "a call");
        set_serving(&conn, &a[0], 11).unwrap();
        set_finished(&conn, &a[0], TicketStatus::Done, 12).unwrap();
        assert_kept(&conn, "serving and finishing");
        set_called(&conn, &a[1], 2, 13, None).unwrap();
        set_transferred(&conn, &a[1], "B", 100).unwrap();
        assert_kept(&conn, "a transfer from a counter");
        set_transferred(&conn, &a[2], "B", 101).unwrap();
        assert_kept(&conn, "a transfer out of a queue");
        set_transferred(&conn, &b[0], "B", 102).unwrap();
        assert_kept(&conn, "a transfer to the queue it waits in");
        set_finished(&conn, &a[3], TicketStatus::Cancelled, 14).unwrap();
        set_called(&conn, &b[1], 3, 15, None).unwrap();
        set_finished(&conn, &b[1], TicketStatus::NoShow, 16).unwrap();
        add_recall(&conn, &b[2]).unwrap();
        set_printed(&conn, &b[2], true).unwrap();
        assert_kept(&conn, "cancel, no-show, a recall and a print outcome");
        assert_eq!((waiting_count(&conn, today, "A").unwrap(), waiting_count(&conn, today, "B").unwrap()), (1, 4));

        set_called(&conn, &old[0], 1, 1, None).unwrap();
        assert_eq!(close_past_days(&conn, today, 20).unwrap(), 3);
        assert_kept(&conn, "closing yesterday");
        let days: Vec<String> = all_rows(&conn, "SELECT DISTINCT day FROM queue_lengths", [], |r| r.get(0));
        assert_eq!(days, [today], "only today's lengths are kept");
    }
}
