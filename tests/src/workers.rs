//! The people of a test: citizens taking numbers and officers calling and finishing them, each
//! a thread that keeps going through server restarts and records what the server acknowledged.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::Client;

/// A ticket the server acknowledged with 201.
#[derive(Debug, Clone)]
pub struct Acknowledged {
    pub id: String,
    pub number: String,
    pub service: String,
    pub issued_at: String,
}

impl Acknowledged {
    /// How the ticket is known to a counter: "<issue day> <number>" (unique; counters are not told ids).
    pub fn key(&self) -> String {
        format!("{} {}", &self.issued_at[..10], self.number)
    }
}

/// Take numbers for `services` in turn until `stop`; transport errors (server down) are retried.
pub fn citizen(base: String, services: Vec<&'static str>, stop: Arc<AtomicBool>, max: usize, out: Arc<Mutex<Vec<Acknowledged>>>) {
    paced_citizen(base, services, stop, max, Duration::ZERO, out)
}

/// Like [`citizen`], waiting `pace` between tickets (so a fast machine does not exhaust the
/// day's numbers before a test has done what it must).
pub fn paced_citizen(
    base: String,
    services: Vec<&'static str>,
    stop: Arc<AtomicBool>,
    max: usize,
    pace: Duration,
    out: Arc<Mutex<Vec<Acknowledged>>>,
) {
    let client = Client::new();
    let mut i = 0usize;
    let mut taken = 0;
    while !stop.load(Ordering::Relaxed) && taken < max {
        let service = services[i % services.len()];
        i += 1;
        match client.post(&format!("{base}/api/v1/tickets"), None, Some(&json!({"service": service, "priority": null}))) {
            Ok((201, v)) => {
                taken += 1;
                out.lock().unwrap().push(Acknowledged {
                    id: v["id"].as_str().unwrap().to_string(),
                    number: v["number"].as_str().unwrap().to_string(),
                    service: v["service"].as_str().unwrap().to_string(),
                    issued_at: v["issued_at"].as_str().unwrap().to_string(),
                });
                std::thread::sleep(pace);
            }
            Ok((status, v)) => panic!("issuing failed with {status}: {v}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// An officer at counter `n`: log in, call the next number, finish it, repeat until `stop`
/// and (when `drain`) until nothing is left. Records `(ticket, counter)` of every call the
/// server acknowledged, the ticket as "<issue day> <number>" (a counter is not told ids).
pub fn officer(base: String, n: u32, stop: Arc<AtomicBool>, drain: bool, calls: Arc<Mutex<Vec<(String, u32)>>>) {
    let client = Client::new();
    let pin = n.to_string().repeat(4);
    let mut token: Option<String> = None;
    let url = |action: &str| format!("{base}/api/v1/counters/{n}/{action}");
    let mut idle_after_stop = 0;
    loop {
        if stop.load(Ordering::Relaxed) && (!drain || idle_after_stop >= 3) {
            return;
        }
        let Some(t) = token.clone() else {
            match client.post(&url("login"), None, Some(&json!({"pin": pin}))) {
                Ok((200, v)) => token = v["token"].as_str().map(str::to_string),
                Ok((status, v)) => panic!("login at counter {n} failed with {status}: {v}"),
                Err(_) => std::thread::sleep(Duration::from_millis(30)),
            }
            continue;
        };
        match client.post(&url("call-next"), Some(&t), None) {
            Ok((200, v)) => {
                idle_after_stop = 0;
                let t = &v["ticket"];
                let ticket = format!("{} {}", &t["issued_at"].as_str().unwrap()[..10], t["number"].as_str().unwrap());
                calls.lock().unwrap().push((ticket, n));
                finish(&client, &url("finish"), &mut token);
            }
            Ok((204, _)) => {
                if stop.load(Ordering::Relaxed) {
                    idle_after_stop += 1;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            // A call committed just before a crash: finish it first.
            Ok((409, v)) if v["error"]["code"] == "ticket_in_progress" => finish(&client, &url("finish"), &mut token),
            // The server restarted and forgot the session.
            Ok((401, _)) => token = None,
            Ok((status, v)) => panic!("call-next at counter {n} failed with {status}: {v}"),
            Err(_) => std::thread::sleep(Duration::from_millis(30)),
        }
    }
}

fn finish(client: &Client, url: &str, token: &mut Option<String>) {
    let Some(t) = token.clone() else { return };
    match client.post(url, Some(&t), None) {
        Ok((200, _)) | Ok((409, _)) => {}
        Ok((401, _)) => *token = None,
        Ok((status, v)) => panic!("finish failed with {status}: {v:?}"),
        Err(_) => {} // server down: the next call-next will see ticket_in_progress
    }
}

/// Group acknowledged tickets by (day, number) and return those seen more than once.
pub fn duplicate_numbers(tickets: &[Acknowledged]) -> Vec<(String, String)> {
    let mut seen = std::collections::HashMap::new();
    for t in tickets {
        *seen.entry((t.issued_at[..10].to_string(), t.number.clone())).or_insert(0) += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect()
}

/// Tickets returned by call-next more than once.
pub fn called_twice(calls: &[(String, u32)]) -> Vec<String> {
    let mut seen = std::collections::HashMap::new();
    for (id, _) in calls {
        *seen.entry(id.clone()).or_insert(0) += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(id, _)| id).collect()
}

/// Integrity checks straight on the database file: no number twice, no gap in a service's
/// numbering, no ticket called by two counters.
pub fn check_database(db: &std::path::Path) -> Value {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let dup: i64 = conn
        .query_row("SELECT COUNT(*) FROM (SELECT 1 FROM tickets GROUP BY day, prefix, seq HAVING COUNT(*) > 1)", [], |r| r.get(0))
        .unwrap();
    let gaps: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT day, prefix FROM tickets GROUP BY day, prefix HAVING MAX(seq) - MIN(seq) + 1 != COUNT(*))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let two_counters: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT ticket_id FROM journal WHERE kind = 'ticket_called' GROUP BY ticket_id HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let tickets: i64 = conn.query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0)).unwrap();
    json!({"tickets": tickets, "duplicate_numbers": dup, "numbering_gaps": gaps, "called_twice": two_counters})
}
