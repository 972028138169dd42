//! A citizen's identity card at the kiosk (issue 19), over HTTP as a kiosk that scans remotely
//! would send it: one person takes a fair share of numbers, a holder aged 60 or more is served as
//! elderly unless they decline, and nothing of the card — number, name, date of birth, address —
//! is written anywhere in the data directory; the day's keys go at the rollover.

mod common;

use axum::http::StatusCode;
use common::{assert_error, every_file, files_holding, kiosk, kiosk_with};
use serde_json::{json, Value};

/// A card of a man born 15/3/1950 (76 on the test's Monday 2/3/2026).
const ELDER: &str = "001095012345|123456789|Nguyễn Văn An|15031950|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|10072021";
/// A card of a woman born 1/2/2003.
const YOUNG: &str = "079303001122||Trần Thị Bình|01022003|Nữ|Phường Bến Nghé, TP. Hồ Chí Minh|05052022";

async fn take(k: &common::Kiosk, service: &str, body: Value) -> (StatusCode, Value) {
    let mut body = body;
    body["service"] = json!(service);
    k.post("/api/v1/tickets", None, body).await
}

#[tokio::test]
async fn one_person_takes_a_fair_share_of_numbers() {
    let k = kiosk().await;
    let (s, first) = take(&k, "A", json!({"identity_qr": YOUNG})).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    // The same card, the same service: refused, in the kiosk's words.
    let again = take(&k, "A", json!({"identity_qr": YOUNG})).await;
    assert_error(&again, StatusCode::CONFLICT, "person_cap_reached");
    // The card read again by another scanner (spaces, a trailing newline) is the same person.
    let rescanned = take(&k, "A", json!({"identity_qr": format!("  {YOUNG}\r\n")})).await;
    assert_error(&rescanned, StatusCode::CONFLICT, "person_cap_reached");
    // Other services, up to the day's cap (shipped: 1 per service, 3 a day).
    for service in ["B", "C"] {
        let (s, v) = take(&k, service, json!({"identity_qr": YOUNG})).await;
        assert_eq!(s, StatusCode::CREATED, "{service}: {v}");
    }
    assert_error(&take(&k, "D", json!({"identity_qr": YOUNG})).await, StatusCode::CONFLICT, "person_cap_reached");
    // Someone else is not held back by her numbers, nor is a citizen without a card.
    let (s, v) = take(&k, "A", json!({"identity_qr": ELDER})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = take(&k, "A", json!({})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn caps_follow_the_configuration() {
    let k = kiosk_with(|c| {
        c.identity.caps.per_service = 2;
        c.identity.caps.per_day = 2;
    })
    .await;
    for _ in 0..2 {
        let (s, v) = take(&k, "A", json!({"identity_qr": YOUNG})).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    assert_error(&take(&k, "B", json!({"identity_qr": YOUNG})).await, StatusCode::CONFLICT, "person_cap_reached");
}

#[tokio::test]
async fn parallel_scans_of_one_card_get_one_number() {
    let k = kiosk().await;
    let answers = futures_util::future::join_all((0..20).map(|_| take(&k, "B", json!({"identity_qr": YOUNG})))).await;
    let created = answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let refused = answers.iter().filter(|(s, v)| *s == StatusCode::CONFLICT && v["error"]["code"] == "person_cap_reached").count();
    assert_eq!((created, refused), (1, 19), "{answers:?}");
}

#[tokio::test]
async fn a_holder_of_sixty_or_more_is_served_as_elderly_unless_declining() {
    let k = kiosk().await;
    let (s, t) = take(&k, "A", json!({"identity_qr": ELDER})).await;
    assert_eq!((s, t["priority"].as_str()), (StatusCode::CREATED, Some("elderly")), "{t}");
    let (s, t) = take(&k, "B", json!({"identity_qr": ELDER, "decline_priority": true})).await;
    assert_eq!((s, t["priority"].clone()), (StatusCode::CREATED, Value::Null), "{t}");
    let (s, t) = take(&k, "A", json!({"identity_qr": YOUNG})).await;
    assert_eq!((s, t["priority"].clone()), (StatusCode::CREATED, Value::Null), "{t}");
    // A young holder may still ask for another category, as anyone may.
    let (s, t) = take(&k, "B", json!({"identity_qr": YOUNG, "priority": "pregnant_or_child"})).await;
    assert_eq!((s, t["priority"].as_str()), (StatusCode::CREATED, Some("pregnant_or_child")), "{t}");
}

#[tokio::test]
async fn anything_but_a_card_s_qr_is_refused_and_takes_no_number() {
    let k = kiosk().await;
    for text in ["https://dichvucong.gov.vn/p/home", "", "001095012345|123456789|Nguyễn Văn An|31021950|Nam|Hà Nội|10072021"] {
        let got = take(&k, "A", json!({"identity_qr": text})).await;
        assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "not_an_identity_card");
    }
    let (_, queue) = k.get("/api/v1/queue").await;
    let waiting: u64 = queue["services"].as_array().unwrap().iter().map(|s| s["waiting"].as_u64().unwrap()).sum();
    assert_eq!(waiting, 0, "a refused scan issued nothing: {queue}");
}

#[tokio::test]
async fn nothing_of_the_card_is_kept_and_the_day_s_keys_go_at_the_rollover() {
    let k = kiosk().await;
    for (service, card) in [("A", ELDER), ("B", ELDER), ("A", YOUNG)] {
        let (s, v) = take(&k, service, json!({"identity_qr": card})).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let db = k.service.config().database_path();
    let keys = |db: &std::path::Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut stmt = conn.prepare("SELECT day, person FROM person_tickets ORDER BY rowid").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let kept = keys(&db);
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[0].1, kept[1].1, "one person, one key for the day");
    assert_ne!(kept[0].1, kept[2].1);

    // No file of the data directory holds the number, the old number, the name, the birth
    // date or the address, in any form SQLite or the printer would write them.
    let dir = &k.service.config().data_dir;
    assert!(every_file(dir).iter().any(|(p, _)| p.ends_with("kiosk.sqlite3")));
    for secret in ["001095012345", "123456789", "Nguyễn Văn An", "15031950", "Tràng Tiền", "079303001122", "Trần Thị Bình", "01022003"]
    {
        let found = files_holding(dir, secret);
        assert!(found.is_empty(), "{secret:?} is in {found:?}");
    }

    // The next morning: yesterday's keys are gone and the same card takes a number again.
    k.clock.advance(chrono::Duration::days(1));
    k.service.close_past_days().await.unwrap();
    assert!(keys(&db).is_empty(), "yesterday's keys are deleted at the rollover");
    let (s, v) = take(&k, "A", json!({"identity_qr": YOUNG})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let today = keys(&db);
    assert_eq!(today.len(), 1);
    assert_ne!(today[0].1, kept[2].1, "the same card's key differs from one day to the next");
}
