//! SMS / Zalo notices (issue 19) end to end: a citizen leaves a phone number over the real HTTP
//! routes of a real service, the queue moves, and a real HTTP receiver on 127.0.0.1 stands in
//! for the SMS gateway — answering, failing with 500, hanging past the timeout, or dropping the
//! connection after it read the request (delivered, but the kiosk never hears so). Checked: one
//! notice per kind, plain ASCII within one SMS naming the number, the same idempotency key on
//! every attempt, a queue that never waits for the gateway, an outbox that survives a restart,
//! and no phone number left anywhere in the data directory after the rollover.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{assert_error, files_holding, kiosk_with, vn, Kiosk};
use firmware::clock::ManualClock;
use firmware::sync::notices::{Gateway, NotifyConfig};
use firmware::Config;
use serde_json::{json, Value};

const PHONE: &str = "0912 345 678";
/// The subscriber digits, as any file would hold them (`84912345678` contains them).
const DIGITS: &str = "912345678";

/// What the receiver does with the next requests.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    Ok,
    Fail500,
    /// Read the request, then wait this long before answering 200.
    Hang(Duration),
    /// Read the request, then close the connection without an answer.
    Drop,
}

/// One request the receiver read.
#[derive(Clone, Debug)]
struct Received {
    headers: HashMap<String, String>,
    body: Value,
    /// How the receiver answered it.
    act: Act,
}

/// A tiny HTTP server standing in for the SMS gateway.
#[derive(Clone)]
struct Gateway_ {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    /// What to do with the next requests, in order; then `then`.
    script: Arc<Mutex<(Vec<Act>, Act)>>,
}

impl Gateway_ {
    fn start(script: Vec<Act>, then: Act) -> Gateway_ {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sms/send", listener.local_addr().unwrap());
        let g = Gateway_ { url, got: Arc::default(), script: Arc::new(Mutex::new((script, then))) };
        let shared = g.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let g = shared.clone();
                std::thread::spawn(move || g.serve(stream));
            }
        });
        g
    }

    fn serve(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
        let body = if let Some(n) = headers.get("content-length") {
            let mut buf = vec![0; n.parse().unwrap()];
            reader.read_exact(&mut buf).unwrap();
            buf
        } else {
            // chunked
            let mut out = Vec::new();
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).unwrap();
                let n = usize::from_str_radix(size.trim(), 16).unwrap();
                let mut chunk = vec![0; n + 2];
                reader.read_exact(&mut chunk).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..n]);
            }
            out
        };
        let act = {
            let mut script = self.script.lock().unwrap();
            if script.0.is_empty() {
                script.1
            } else {
                script.0.remove(0)
            }
        };
        let body: Value = serde_json::from_slice(&body).unwrap();
        self.got.lock().unwrap().push(Received { headers, body, act });
        let answer = |stream: &mut TcpStream, status: &str, body: &str| {
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        };
        match act {
            Act::Ok => answer(&mut stream, "200 OK", r#"{"status":"queued"}"#),
            Act::Fail500 => answer(&mut stream, "500 Internal Server Error", r#"{"error":"busy"}"#),
            Act::Hang(d) => {
                std::thread::sleep(d);
                answer(&mut stream, "200 OK", "{}")
            }
            Act::Drop => {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Requests answered 200, i.e. delivered notices.
    fn delivered(&self) -> Vec<Received> {
        self.got().into_iter().filter(|r| r.act == Act::Ok || matches!(r.act, Act::Hang(_))).collect()
    }

    /// Wait until `n` requests came (or fail after `within`).
    fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.got();
            if got.len() >= n {
                return got;
            }
            assert!(start.elapsed() < within, "the gateway got {} requests, expected {n}: {got:?}", got.len());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn notify_config(url: &str) -> NotifyConfig {
    let body = json!({"to": "{phone}", "message": "{text}", "request_id": "{idempotency_key}", "brandname": "MOTCUA"});
    NotifyConfig {
        gateway: Gateway::Webhook { headers: vec![("Authorization".into(), "Bearer {secret}".into())], body: body.clone() },
        timeout: Duration::from_millis(800),
        first_retry: Duration::from_millis(50),
        max_retry: Duration::from_millis(400),
        ..NotifyConfig::webhook(url, body)
    }
}

/// Everything the service logged in this test binary (every level), to look for phone numbers.
static LOG: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log so far (capturing from the first call on).
fn logged() -> String {
    let log = LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        log
    });
    String::from_utf8_lossy(&log.lock().unwrap()).into_owned()
}

/// A kiosk whose notices go to `gateway`, with the gateway's secret in its data directory.
async fn kiosk_notifying(gateway: &Gateway_) -> Kiosk {
    logged();
    let url = gateway.url.clone();
    let k = kiosk_with(move |c| c.notify = Some(notify_config(&url))).await;
    std::fs::write(k.service.config().data_dir.join("notify.secret"), "s3cret-token\n").unwrap();
    k
}

async fn subscribe(k: &Kiosk, id: &str, phone: &str) -> (StatusCode, Value) {
    k.post(&format!("/api/v1/tickets/{id}/notify"), None, json!({"phone": phone})).await
}

/// Counter `counter` calls the next ticket and finishes it; the number called.
async fn serve_next(k: &Kiosk, token: &str, counter: u32) -> String {
    let (s, v) = k.post(&format!("/api/v1/counters/{counter}/call-next"), Some(token), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, f) = k.post(&format!("/api/v1/counters/{counter}/finish"), Some(token), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    v["ticket"]["number"].as_str().unwrap().to_string()
}

fn has_diacritics(s: &str) -> bool {
    s.chars().any(|c| "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ".contains(c.to_lowercase().next().unwrap()))
}

fn message(r: &Received) -> String {
    r.body["message"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_unaccented_approaching_notice_when_ahead_reaches_the_threshold_then_one_when_called() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    let mut ids = Vec::new();
    for _ in 0..8 {
        ids.push(k.issue("A").await["id"].as_str().unwrap().to_string());
    }
    let (s, sub) = subscribe(&k, &ids[7], PHONE).await;
    assert_eq!(s, StatusCode::CREATED, "{sub}");
    assert_eq!(sub, json!({"ticket": ids[7], "phone": "0912 *** 678", "ahead": 7, "notify_ahead": 3}));
    let token = k.login(1).await;
    // 7, 6, 5, 4 ahead: nothing yet.
    for _ in 0..3 {
        serve_next(&k, &token, 1).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(gateway.got().is_empty(), "nothing before ahead reaches 3: {:?}", gateway.got());
    // 3 ahead: the approaching notice.
    serve_next(&k, &token, 1).await;
    let (_, t) = k.get(&format!("/api/v1/tickets/{}", ids[7])).await;
    assert_eq!(t["ahead"], 3);
    let got = gateway.wait_for(1, Duration::from_secs(5));
    // 2, 1, 0 ahead: no second approaching notice.
    for _ in 0..3 {
        serve_next(&k, &token, 1).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(gateway.got().len(), 1, "{:?}", gateway.got());
    let text = message(&got[0]);
    assert!(text.contains("A008"), "names the number: {text}");
    assert!(text.bytes().all(|b| b < 0x80) && !has_diacritics(&text), "plain ASCII: {text}");
    assert!(text.chars().count() <= 160, "one SMS: {text}");
    assert_eq!(text, "So A008 sap den luot: con 3 nguoi truoc quy khach. Xin moi quy khach ve khu cho de nghe goi so.");
    assert_eq!(got[0].body["to"], "84912345678");
    assert_eq!(got[0].body["brandname"], "MOTCUA");
    assert_eq!(got[0].headers["authorization"], "Bearer s3cret-token");
    assert_eq!(got[0].headers["idempotency-key"], got[0].body["request_id"].as_str().unwrap());

    // Called: one notice naming the counter.
    let (s, v) = k.post("/api/v1/counters/1/call-next", Some(&token), json!({})).await;
    assert_eq!((s, v["ticket"]["number"].as_str()), (StatusCode::OK, Some("A008")), "{v}");
    let got = gateway.wait_for(2, Duration::from_secs(5));
    let called = message(&got[1]);
    assert_eq!(called, "Moi so A008 den Quay so 01. Xin cam on!");
    k.post("/api/v1/counters/1/recall", Some(&token), json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.got().len(), 2, "a recall sends nothing more");
    assert_ne!(got[0].headers["idempotency-key"], got[1].headers["idempotency-key"]);
    // Subscribing a called ticket is refused.
    assert_error(&subscribe(&k, &ids[7], PHONE).await, StatusCode::CONFLICT, "ticket_not_waiting");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_already_close_is_told_at_once_and_subscribing_again_sends_nothing_more() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    k.issue("B").await;
    let t = k.issue("B").await;
    let id = t["id"].as_str().unwrap();
    let (s, sub) = subscribe(&k, id, "+84 912.345.678").await;
    assert_eq!((s, sub["ahead"].clone(), sub["phone"].clone()), (StatusCode::CREATED, json!(1), json!("0912 *** 678")), "{sub}");
    let got = gateway.wait_for(1, Duration::from_secs(5));
    assert!(message(&got[0]).contains("con 1 nguoi"), "{}", message(&got[0]));
    // Another number for the same ticket replaces the first; the notice already went.
    let (s, sub) = subscribe(&k, id, "0987654321").await;
    assert_eq!((s, sub["phone"].as_str()), (StatusCode::CREATED, Some("0987 *** 321")));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.got().len(), 1);
    // A second kiosk learns that this centre sends notices.
    let (_, centre) = k.get("/api/v1/centre").await;
    assert_eq!(centre["notices"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_retried_with_the_same_key_until_delivered_once() {
    // 500, 500, then a dropped answer after the gateway read the request (it may have sent the
    // SMS), then 200.
    let gateway = Gateway_::start(vec![Act::Fail500, Act::Fail500, Act::Drop], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    let id = k.issue("C").await["id"].as_str().unwrap().to_string();
    assert_eq!(subscribe(&k, &id, PHONE).await.0, StatusCode::CREATED);
    let got = gateway.wait_for(4, Duration::from_secs(10));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let got_after = gateway.got();
    assert_eq!(got_after.len(), 4, "delivered once, then never again: {got_after:?}");
    let keys: Vec<&str> = got.iter().map(|r| r.headers["idempotency-key"].as_str()).collect();
    assert!(keys.iter().all(|k| *k == keys[0]), "one key on every attempt: {keys:?}");
    assert!(got.iter().all(|r| r.body["request_id"] == keys[0] && r.body["message"] == got[0].body["message"]));
    assert_eq!(gateway.delivered().len(), 1);
    // The outbox row is sent and keeps no phone number.
    let db = k.service.config().database_path();
    let row = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row("SELECT state, phone, attempts FROM notice_outbox", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })
        .unwrap();
    assert_eq!(row, ("sent".to_string(), String::new(), 4));
    // The failures and the delivery were logged, without the number or the text.
    let log = logged();
    assert!(log.contains("notice not sent yet") && log.contains("notice sent"), "{log}");
    assert!(!log.contains(DIGITS) && !log.contains("sap den luot"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_gateway_never_slows_the_queue() {
    // Every request hangs far past the kiosk's timeout (2 s here).
    let gateway = Gateway_::start(vec![], Act::Hang(Duration::from_secs(60)));
    let url = gateway.url.clone();
    let k = kiosk_with(move |c| {
        let mut notify = notify_config(&url);
        notify.timeout = Duration::from_secs(2);
        c.notify = Some(notify);
    })
    .await;
    std::fs::write(k.service.config().data_dir.join("notify.secret"), "s3cret-token").unwrap();
    let first = k.issue("A").await["id"].as_str().unwrap().to_string();
    assert_eq!(subscribe(&k, &first, PHONE).await.0, StatusCode::CREATED);
    let token = k.login(2).await;
    gateway.wait_for(1, Duration::from_secs(5));
    // The sender is stuck on the gateway: issuing, calling and subscribing go on at full speed —
    // none of them waits anywhere near the gateway's timeout.
    let start = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut timed = |t: Instant| slowest = slowest.max(t.elapsed());
    for _ in 0..20 {
        let t = Instant::now();
        k.issue("A").await;
        timed(t);
    }
    let t = Instant::now();
    let id = k.issue("A").await["id"].as_str().unwrap().to_string();
    assert_eq!(subscribe(&k, &id, "0987 654 321").await.0, StatusCode::CREATED);
    timed(t);
    for _ in 0..3 {
        let t = Instant::now();
        serve_next(&k, &token, 2).await;
        timed(t);
    }
    let took = start.elapsed();
    assert!(slowest < Duration::from_secs(1), "an operation waited on the gateway (timeout 2 s): {slowest:?}");
    assert!(took < Duration::from_secs(10), "24 operations took {took:?}");
    // Timed-out attempts are tried again, with the same key.
    let started = Instant::now();
    loop {
        let got = gateway.got();
        let key = &got[0].headers["idempotency-key"];
        if got.iter().filter(|r| &r.headers["idempotency-key"] == key).count() >= 2 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never retried: {got:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Start a service on `dir` (as kioskd would after a restart), its notices going to `url`.
async fn reopen(dir: &Path, url: &str, clock: Arc<ManualClock>) -> Kiosk {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    config.data_dir = dir.to_path_buf();
    config.http.tickets_per_minute_per_client = 1000;
    config.notify = Some(notify_config(url));
    let service = firmware::server::start(config, clock.clone()).await.unwrap();
    Kiosk { app: firmware::server::app(service.clone()), service, clock, _dir: tempfile::tempdir().unwrap() }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_queued_notice_is_sent_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notify.secret"), "s3cret-token").unwrap();
    let clock = Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 0)));
    // The gateway is down while the notice is queued.
    let down = Gateway_::start(vec![], Act::Fail500);
    let k = reopen(dir.path(), &down.url, clock.clone()).await;
    let id = k.issue("D").await["id"].as_str().unwrap().to_string();
    assert_eq!(subscribe(&k, &id, PHONE).await.0, StatusCode::CREATED);
    down.wait_for(1, Duration::from_secs(5));
    drop(k);
    // Give the old service's tasks a moment to notice it is gone and let go of the database.
    let up = Gateway_::start(vec![], Act::Ok);
    let start = Instant::now();
    let k = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
        let mut config = Config::load(&path).unwrap();
        config.data_dir = dir.path().to_path_buf();
        config.notify = Some(notify_config(&up.url));
        match firmware::server::start(config, clock.clone()).await {
            Ok(service) => break service,
            Err(e) => assert!(start.elapsed() < Duration::from_secs(10), "cannot reopen: {e}"),
        }
    };
    let got = up.wait_for(1, Duration::from_secs(5));
    assert!(message(&got[0]).contains("D001"), "{got:?}");
    assert_eq!(got[0].headers["idempotency-key"], down.got()[0].headers["idempotency-key"], "the same notice, the same key");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(up.got().len(), 1);
    drop(k);
}

/// A dossier received at counter 3 with `phone` for its result; its code.
async fn receive_dossier(k: &Kiosk, token: &str, phone: &str) -> String {
    let body = json!({"procedure": "2.000815", "applicant_name": "Lê Văn Cường", "phone": phone});
    let (s, d) = k.post("/api/v1/dossiers", Some(token), body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    d["code"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rollover_deletes_every_phone_number() {
    let gateway = Gateway_::start(vec![], Act::Fail500);
    let k = kiosk_notifying(&gateway).await;
    let a = k.issue("A").await["id"].as_str().unwrap().to_string();
    let e = k.issue("E").await["id"].as_str().unwrap().to_string();
    for _ in 0..6 {
        k.issue("E").await;
    }
    assert_eq!(subscribe(&k, &a, PHONE).await.0, StatusCode::CREATED);
    let far = k.issue("E").await["id"].as_str().unwrap().to_string();
    assert_eq!(subscribe(&k, &far, "0987 654 321").await.0, StatusCode::CREATED);
    assert_eq!(subscribe(&k, &e, "0355 123 456").await.0, StatusCode::CREATED);
    let token = k.login(3).await;
    receive_dossier(&k, &token, "0703 111 222").await;
    gateway.wait_for(2, Duration::from_secs(5));
    let dir = k.service.config().data_dir.clone();
    let phones = ["912345678", "987654321", "355123456", "703111222"];
    assert!(phones.iter().any(|p| !files_holding(&dir, p).is_empty()), "the numbers are kept during the day");

    // The evening's backup keeps none of them.
    let backup = dir.join("backups").join("kiosk-monday.sqlite3");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    firmware::backup::backup(&k.service.config().database_path(), &backup).unwrap();
    let copy = std::fs::read(&backup).unwrap();
    for p in phones {
        assert!(!copy.windows(p.len()).any(|w| w == p.as_bytes()), "{p} is in the backup");
    }

    k.clock.advance(chrono::Duration::days(1));
    k.service.close_past_days().await.unwrap();
    let (tickets, dossier) = phones.split_at(3);
    for p in tickets {
        assert!(files_holding(&dir, p).is_empty(), "{p} is still in {:?}", files_holding(&dir, p));
    }
    // The dossier's result is not ready yet: its number waits for it, at most 120 days.
    assert!(!files_holding(&dir, dossier[0]).is_empty(), "a dossier's number waits for its result");
    k.clock.advance(chrono::Duration::days(firmware::notice::DOSSIER_NUMBER_DAYS));
    k.service.close_past_days().await.unwrap();
    for p in phones {
        assert!(files_holding(&dir, p).is_empty(), "{p} is still in {:?}", files_holding(&dir, p));
    }
    let conn =
        rusqlite::Connection::open_with_flags(k.service.config().database_path(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let left: (i64, i64) = conn
        .query_row("SELECT (SELECT COUNT(*) FROM notice_subscriptions), (SELECT COUNT(*) FROM notice_outbox)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(left, (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dossier_s_result_ready_is_sent_once_at_status_9() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    let token = k.login(3).await;
    let code = &receive_dossier(&k, &token, PHONE).await;
    for status in [4, 9, 10] {
        let (s, v) = k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&token), json!({"status": status})).await;
        assert_eq!(s, StatusCode::OK, "{status}: {v}");
    }
    let got = gateway.wait_for(1, Duration::from_secs(5));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.got().len(), 1);
    let text = message(&got[0]);
    assert!(text.contains(code) && text.is_ascii() && text.len() <= 160, "{text}");
    // A bad number at reception is refused before anything is received.
    let bad = k.post("/api/v1/dossiers", Some(&token), json!({"procedure": "2.000815", "applicant_name": "A", "phone": "12"})).await;
    assert_error(&bad, StatusCode::UNPROCESSABLE_ENTITY, "bad_phone");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dossier_s_number_waits_for_a_result_ready_days_later_then_goes() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    let token = k.login(3).await;
    let code = receive_dossier(&k, &token, PHONE).await;
    let dir = k.service.config().data_dir.clone();
    // Three nights pass while the dossier is processed.
    for _ in 0..3 {
        k.clock.advance(chrono::Duration::days(1));
        k.service.close_past_days().await.unwrap();
    }
    assert!(!files_holding(&dir, "912345678").is_empty(), "the number waits for the result");
    let token = k.login(3).await;
    for status in [4, 9] {
        let (s, v) = k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&token), json!({"status": status})).await;
        assert_eq!(s, StatusCode::OK, "{status}: {v}");
    }
    let got = gateway.wait_for(1, Duration::from_secs(5));
    assert!(message(&got[0]).contains(&code), "{:?}", got[0]);
    // Told: the next rollover deletes the number.
    k.clock.advance(chrono::Duration::days(1));
    k.service.close_past_days().await.unwrap();
    assert!(files_holding(&dir, "912345678").is_empty(), "{:?}", files_holding(&dir, "912345678"));
    assert_eq!(gateway.got().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_holder_of_the_ticket_s_id_with_a_mobile_number_can_subscribe() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    let t = k.issue("A").await;
    let id = t["id"].as_str().unwrap();
    for phone in ["12", "024 3825 1234", "0912 345 67x", ""] {
        let got = subscribe(&k, id, phone).await;
        assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "bad_phone");
        assert!(!got.1.to_string().contains("3825"), "the error does not repeat the number: {}", got.1);
    }
    // The printed number (public on the hall display) is not the ticket's id.
    assert_error(&subscribe(&k, t["number"].as_str().unwrap(), PHONE).await, StatusCode::NOT_FOUND, "unknown_ticket");
    assert_error(&subscribe(&k, "00000000-0000-4000-8000-000000000000", PHONE).await, StatusCode::NOT_FOUND, "unknown_ticket");
    // JSON only, and nothing but the phone.
    let form = k
        .send_as("POST", &format!("/api/v1/tickets/{id}/notify"), None, Some("application/x-www-form-urlencoded"), Some("phone=0912345678"))
        .await;
    assert_eq!(form.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let extra = k.post(&format!("/api/v1/tickets/{id}/notify"), None, json!({"phone": PHONE, "ticket": "A001"})).await;
    assert_eq!(extra.0, StatusCode::UNPROCESSABLE_ENTITY);
    // A cancelled ticket is not waiting.
    k.post(&format!("/api/v1/tickets/{id}/cancel"), None, json!({})).await;
    assert_error(&subscribe(&k, id, PHONE).await, StatusCode::CONFLICT, "ticket_not_waiting");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(gateway.got().is_empty());
}

#[tokio::test]
async fn without_notify_nothing_is_offered() {
    let k = common::kiosk().await;
    let id = k.issue("A").await["id"].as_str().unwrap().to_string();
    assert_error(&subscribe(&k, &id, PHONE).await, StatusCode::CONFLICT, "notices_off");
    let (_, centre) = k.get("/api/v1/centre").await;
    assert_eq!(centre["notices"], false);
    assert!(!k.service.notices_enabled());
    let e = k.service.subscribe_notices(&id, PHONE).await.unwrap_err();
    assert_eq!(e.code(), "notices_off");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_api_the_kiosk_uses() {
    let gateway = Gateway_::start(vec![], Act::Ok);
    let k = kiosk_notifying(&gateway).await;
    assert!(k.service.notices_enabled());
    let t = k.service.issue("F", None).await.unwrap();
    let sub: firmware::service::NoticeSubscription = k.service.subscribe_notices(&t.id, PHONE).await.unwrap();
    assert_eq!(
        sub,
        firmware::service::NoticeSubscription { ticket: t.id.clone(), phone: "0912 *** 678".into(), ahead: Some(0), notify_ahead: 3 }
    );
    assert_eq!(k.service.subscribe_notices(&t.id, "abc").await.unwrap_err().code(), "bad_phone");
    gateway.wait_for(1, Duration::from_secs(5));
    // Nothing of the phone number in the journal (and so in no event).
    let journal = k.service.events_since(0, 1000).await.unwrap();
    assert!(!format!("{journal:?}").contains(DIGITS));
    assert!(!logged().contains(DIGITS));
}
