//! Issue 19 checked as an outsider would, on a real `kioskd` process with a real HTTP server in
//! this test standing in for the SMS gateway: a second ticket for the same CCCD QR and service is
//! refused; a card born in 1950 gives an elderly ticket; the card's 12-digit number and the
//! holder's name are in no file of the data directory; a subscribed ticket's phone receives one
//! unaccented "approaching" message naming its number when `ahead` reaches the threshold.

use std::path::Path;
use std::time::Duration;

use e2e::gateway::{after_first, recording_gateway};
use e2e::{free_port, write_test_config_with, Client, Kioskd};
use serde_json::{json, Value};

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

/// Born 15/03/1950: 75 on the test's day (4 March 2026).
const CARD: &str = "001095012345|123456789|Nguyễn Văn An|15031950|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|10072021";

fn every_file(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn a_card_gets_one_elderly_number_leaves_no_trace_and_a_phone_gets_one_unaccented_text() {
    let (url, received) = recording_gateway();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let extra = format!(
        r#"
[[priority]]
code = "elderly"
name_vi = "Người cao tuổi"
name_en = "Elderly person"

[identity]
tickets_per_person_per_service = 1
tickets_per_person_per_day = 3

[notify]
gateway = "webhook"
url = "{url}"
ahead = 3
body = {{ to = "{{phone}}", message = "{{text}}", request_id = "{{idempotency_key}}" }}
"#
    );
    let config = write_test_config_with(dir.path(), port, 500, &extra);
    let kioskd = Kioskd::start(EXE, &config, &data, port);
    let client = Client::new();
    let base = kioskd.base.clone();
    let post = |path: &str, token: Option<&str>, body: Value| client.post(&format!("{base}{path}"), token, Some(&body)).unwrap();

    // The card: one elderly number for service A, then refused.
    let (status, first) = post("/api/v1/tickets", None, json!({"service": "A", "identity_qr": CARD}));
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["priority"], "elderly");
    let (status, again) = post("/api/v1/tickets", None, json!({"service": "A", "identity_qr": CARD}));
    assert_eq!((status, again["error"]["code"].as_str()), (409, Some("person_cap_reached")), "{again}");

    // Six more citizens; the last leaves a phone number (by its ticket's own id).
    let mut last = Value::Null;
    for _ in 0..6 {
        let (status, t) = post("/api/v1/tickets", None, json!({"service": "A"}));
        assert_eq!(status, 201);
        last = t;
    }
    assert_eq!(last["ahead"], 6);
    let id = last["id"].as_str().unwrap();
    let (status, sub) = post(&format!("/api/v1/tickets/{id}/notify"), None, json!({"phone": "0912 345 678"}));
    assert!(status == 200 || status == 201, "{status} {sub}");
    assert_eq!(sub["phone"], "0912 *** 678");

    // Counter 1 serves: at four ahead nothing is sent; at three, one text.
    let (status, login) = post("/api/v1/counters/1/login", None, json!({"pin": "1111"}));
    assert_eq!(status, 200, "{login}");
    let token = login["token"].as_str().unwrap().to_string();
    let serve = || {
        let (status, called) = post("/api/v1/counters/1/call-next", Some(&token), json!({}));
        assert_eq!(status, 200, "{called}");
        let (status, done) = post("/api/v1/counters/1/finish", Some(&token), json!({}));
        assert_eq!(status, 200, "{done}");
    };
    serve();
    serve();
    std::thread::sleep(Duration::from_millis(700));
    assert!(received.lock().unwrap().is_empty(), "too early: {:?}", received.lock().unwrap());
    serve();
    let bodies = after_first(&received, Duration::from_secs(15), Duration::from_millis(700));
    assert_eq!(bodies.len(), 1, "one text: {bodies:?}");
    assert_eq!(bodies[0]["to"], "84912345678");
    let text = bodies[0]["message"].as_str().unwrap();
    let number = last["number"].as_str().unwrap();
    assert!(text.contains(number), "{text}");
    assert!(text.is_ascii() && text.chars().count() <= 160, "no diacritics, one SMS: {text}");

    // Nothing of the card in any file the service wrote (database, its log, receipts, secrets).
    kioskd.terminate();
    let mut files = Vec::new();
    every_file(&data, &mut files);
    assert!(files.iter().any(|f| f.extension().is_some_and(|x| x == "sqlite3")), "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in ["001095012345", "Nguyễn Văn An", "15031950", "Tràng Tiền"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} in {}", file.display());
        }
    }
}
