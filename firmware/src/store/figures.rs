//! The centre manager's figures over a range of days, straight from the tables: tickets per
//! hour, waiting and service times, no-shows, and satisfaction per service and per counter.
//! Also the CSV export — tickets and their ratings, never a citizen's personal data.

use super::row;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::StoreError;

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Figures {
    pub from: String,
    pub to: String,
    pub issued: u32,
    pub served: u32,
    pub no_show: u32,
    pub average_wait_minutes: Option<f64>,
    pub average_service_minutes: Option<f64>,
    /// Tickets issued per local hour of the day (index 0 = 00:00–00:59).
    pub issued_per_hour: Vec<u32>,
    pub per_service: Vec<Group>,
    pub per_counter: Vec<Group>,
    /// Tickets per dispensing kiosk: a kiosk that dispenses nothing, or whose tickets do not
    /// print, shows here.
    pub per_kiosk: Vec<KioskFigures>,
}

/// Tickets one kiosk dispensed, and how many printed.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct KioskFigures {
    /// The enrolled kiosk's name; `None`: this service's own kiosk (its printer).
    pub kiosk: Option<String>,
    pub issued: u32,
    pub printed: u32,
    /// Issued but not printed (the printer failed; the number was shown on screen).
    pub not_printed: u32,
}

/// Figures of one service or one counter.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Group {
    pub key: String,
    pub served: u32,
    pub average_wait_minutes: Option<f64>,
    pub average_service_minutes: Option<f64>,
    pub rat_hai_long: u32,
    pub hai_long: u32,
    pub khong_hai_long: u32,
    /// Share of ratings that are "hài lòng" or better, in percent.
    pub satisfied_percent: Option<f64>,
}

/// Local day of a unix-milliseconds column, for a site at `offset_secs`.
fn local_day(column: &str, offset_secs: i32) -> String {
    format!("strftime('%Y-%m-%d', {column} / 1000 + {offset_secs}, 'unixepoch')")
}

pub fn figures(conn: &Connection, from: &str, to: &str, offset_secs: i32) -> Result<Figures, StoreError> {
    let mut f = Figures { from: from.into(), to: to.into(), issued_per_hour: vec![0; 24], ..Default::default() };
    (f.issued, f.served, f.no_show, f.average_wait_minutes, f.average_service_minutes) = row(
        conn,
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'done'), COUNT(*) FILTER (WHERE status = 'no_show'),
                AVG(called_at - issued_at) FILTER (WHERE called_at IS NOT NULL) / 60000.0,
                AVG(finished_at - called_at) FILTER (WHERE status = 'done') / 60000.0
           FROM tickets WHERE day BETWEEN ?1 AND ?2",
        params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT CAST(strftime('%H', issued_at / 1000 + {offset_secs}, 'unixepoch') AS INTEGER), COUNT(*)
           FROM tickets WHERE day BETWEEN ?1 AND ?2 GROUP BY 1"
    ))?;
    for row in stmt.query_map(params![from, to], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, u32>(1)?)))? {
        let (hour, n) = row?;
        if hour < 24 {
            f.issued_per_hour[hour] = n;
        }
    }
    f.per_service = groups(conn, "service", from, to, offset_secs)?;
    f.per_counter = groups(conn, "counter", from, to, offset_secs)?;
    let mut stmt = conn.prepare(
        "SELECT kiosk, COUNT(*), COUNT(*) FILTER (WHERE printed = 1), COUNT(*) FILTER (WHERE printed = 0)
           FROM tickets WHERE day BETWEEN ?1 AND ?2 GROUP BY kiosk ORDER BY kiosk IS NOT NULL, kiosk",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(KioskFigures { kiosk: r.get(0)?, issued: r.get(1)?, printed: r.get(2)?, not_printed: r.get(3)? })
    })?;
    f.per_kiosk = rows.collect::<Result<_, _>>()?;
    Ok(f)
}

fn groups(conn: &Connection, column: &str, from: &str, to: &str, offset_secs: i32) -> Result<Vec<Group>, StoreError> {
    let mut out: Vec<Group> = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT CAST({column} AS TEXT), COUNT(*) FILTER (WHERE status = 'done'),
                AVG(called_at - issued_at) FILTER (WHERE called_at IS NOT NULL) / 60000.0,
                AVG(finished_at - called_at) FILTER (WHERE status = 'done') / 60000.0
           FROM tickets WHERE day BETWEEN ?1 AND ?2 AND {column} IS NOT NULL GROUP BY {column} ORDER BY {column}"
    ))?;
    for row in stmt.query_map(params![from, to], |r| {
        Ok(Group {
            key: r.get(0)?,
            served: r.get(1)?,
            average_wait_minutes: r.get(2)?,
            average_service_minutes: r.get(3)?,
            ..Default::default()
        })
    })? {
        out.push(row?);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT CAST({column} AS TEXT), official, COUNT(*) FROM ratings
          WHERE {} BETWEEN ?1 AND ?2 AND {column} IS NOT NULL GROUP BY 1, 2",
        local_day("rated_at", offset_secs)
    ))?;
    for row in stmt.query_map(params![from, to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))? {
        let (key, official, n) = row?;
        let i = match out.iter().position(|g| g.key == key) {
            Some(i) => i,
            None => {
                out.push(Group { key: key.clone(), ..Default::default() });
                out.len() - 1
            }
        };
        let g = &mut out[i];
        match official.as_str() {
            "rat_hai_long" => g.rat_hai_long += n,
            "hai_long" => g.hai_long += n,
            _ => g.khong_hai_long += n,
        }
    }
    for g in &mut out {
        let total = g.rat_hai_long + g.hai_long + g.khong_hai_long;
        if total > 0 {
            g.satisfied_percent = Some(((g.rat_hai_long + g.hai_long) as f64 * 1000.0 / total as f64).round() / 10.0);
        }
    }
    Ok(out)
}

/// Tickets of the range as CSV (RFC 4180), one line per ticket with its rating, if any.
pub fn tickets_csv(conn: &Connection, from: &str, to: &str, offset_secs: i32) -> Result<String, StoreError> {
    let t = |c: &str| format!("strftime('%Y-%m-%dT%H:%M:%S', {c} / 1000 + {offset_secs}, 'unixepoch')");
    let mut stmt = conn.prepare(&format!(
        "SELECT t.day, t.number, t.service, COALESCE(t.priority, ''), t.status, COALESCE(CAST(t.counter AS TEXT), ''),
                {}, COALESCE({}, ''), COALESCE({}, ''), t.recalls, COALESCE(r.official, '')
           FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id
          WHERE t.day BETWEEN ?1 AND ?2 ORDER BY t.issued_at",
        t("t.issued_at"),
        t("t.called_at"),
        t("t.finished_at")
    ))?;
    let mut csv = String::from("day,number,service,priority,status,counter,issued_at,called_at,finished_at,recalls,rating\r\n");
    let rows = stmt.query_map(params![from, to], |r| {
        let mut cells = Vec::new();
        for i in 0..11 {
            let v: rusqlite::types::Value = r.get(i)?;
            cells.push(match v {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Text(s) => s,
                _ => String::new(),
            });
        }
        Ok(cells)
    })?;
    for row in rows {
        let cells: Vec<String> =
            row?.into_iter().map(|c| if c.contains([',', '"', '\n']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }).collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    Ok(csv)
}
