//! HTTP tests of every route of API v1, including bad input: each refusal is a 4xx with a JSON
//! error that says what to fix, never a 500. The service runs on a real SQLite file in a
//! temporary directory, with a manual clock set to a Monday morning in Hà Nội.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

mod common;
use common::*;

#[tokio::test]
async fn health_reports_database_and_printer() {
    let k = kiosk().await;
    let (s, v) = k.get("/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["db"], "ok");
    assert_eq!(v["printer"]["state"], "ready", "the shipped virtual printer answers DLE EOT");
    assert_eq!(v["catalogue"], serde_json::json!({"version": 0, "source": "local"}), "no bundle: the shipped catalogue");

    let k = kiosk_with(|c| c.printer = None).await;
    let (_, v) = k.get("/healthz").await;
    assert_eq!(v["printer"]["state"], "offline");
    let a1 = k.issue("A").await;
    assert_eq!(a1["printed"], false, "no printer configured: printed must say so");
}

#[tokio::test]
async fn health_tells_when_the_clock_went_back() {
    let k = kiosk().await;
    k.issue("A").await;
    let (_, v) = k.get("/healthz").await;
    assert_eq!(v["clock"]["state"], "ok", "{v}");
    assert_eq!(v["clock"]["now"], "2026-03-02T09:00:00+07:00", "{v}");
    // A Pi without a battery clock boots believing it is the evening before.
    k.clock.set(vn(2026, 3, 1, 18, 0));
    let (s, v) = k.get("/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((v["status"].as_str(), v["clock"]["state"].as_str()), (Some("degraded"), Some("behind")), "{v}");
    assert_eq!(v["clock"]["last_event_at"], "2026-03-02T09:00:00+07:00", "{v}");
}

#[tokio::test]
async fn services_show_opening_and_waiting() {
    let k = kiosk().await;
    k.issue("A").await;
    let (s, v) = k.get("/api/v1/services").await;
    assert_eq!(s, StatusCode::OK);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 6);
    assert_eq!(list[0]["code"], "A");
    assert_eq!(list[0]["name"], "Hộ tịch – Chứng thực");
    assert_eq!(list[0]["open"], true);
    assert_eq!(list[0]["waiting"], 1);
    // one waits; counters 1, 2 and 6 serve A; 6 minutes assumed: 1 × 6 / 3 → 2 minutes
    assert_eq!(list[0]["estimated_wait_minutes"], 2);
    k.clock.set(vn(2026, 3, 2, 12, 0));
    let (_, v) = k.get("/api/v1/services").await;
    assert_eq!(v[0]["open"], false);
}

#[tokio::test]
async fn issuing_numbers_tickets_per_service() {
    let k = kiosk().await;
    let a1 = k.issue("A").await;
    assert_eq!(a1["number"], "A001");
    assert_eq!(a1["service"], "A");
    assert_eq!(a1["priority"], Value::Null);
    assert_eq!(a1["status"], "waiting");
    assert_eq!(a1["ahead"], 0);
    assert_eq!(a1["printed"], true, "the virtual printer printed it");
    let receipts: Vec<_> = std::fs::read_dir(k._dir.path().join("receipts")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(receipts.iter().any(|n| n.to_string_lossy().ends_with(".png")), "{receipts:?}");
    assert_eq!(a1["issued_at"], "2026-03-02T09:00:00+07:00");
    assert_eq!(k.issue("A").await["number"], "A002");
    let b1 = k.issue("B").await;
    assert_eq!(b1["number"], "B001");
    let a3 = k.issue("A").await;
    assert_eq!(a3["ahead"], 2);
    assert!(a3["estimated_wait_minutes"].as_u64().unwrap() > 0);

    let (s, v) = k.get(&format!("/api/v1/tickets/{}", a1["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["number"], "A001");
    assert_eq!(v["ahead"], 0);
}

/// The daily cap counts the day's numbers (they run on without a gap from the first, which is
/// how they are counted), from a first number other than 1 too, and a new day starts again.
#[tokio::test]
async fn the_daily_cap_counts_the_numbers_issued_from_the_first() {
    let k = kiosk_with(|c| {
        c.services[1].daily_cap = 3;
        c.services[1].first_number = 10;
    })
    .await;
    let mut issued = vec![];
    for _ in 0..3 {
        issued.push(k.issue("B").await["number"].as_str().unwrap().to_string());
    }
    assert_eq!(issued, ["B010", "B011", "B012"]);
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "B"})).await, StatusCode::CONFLICT, "daily_limit_reached");
    k.clock.set(vn(2026, 3, 3, 9, 0));
    assert_eq!(k.issue("B").await["number"], "B010");
}

#[tokio::test]
async fn issuing_refuses_bad_requests_with_reasons() {
    let k = kiosk_with(|c| c.services[1].daily_cap = 1).await;
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "Z"})).await, StatusCode::NOT_FOUND, "unknown_service");
    assert_error(
        &k.post("/api/v1/tickets", None, json!({"service": "A", "priority": "vip"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_priority",
    );
    assert_error(&k.send("POST", "/api/v1/tickets", None, Some("{\"service\": \"A\"")).await, StatusCode::BAD_REQUEST, "malformed_json");
    assert_error(&k.post("/api/v1/tickets", None, json!({"priority": null})).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": 7})).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_error(&k.send("POST", "/api/v1/tickets", None, None).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_error(
        &k.send_as("POST", "/api/v1/tickets", None, Some("application/json"), None).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    );
    // A body must say it is JSON (a cross-site form cannot): `curl -d` needs -H 'content-type: application/json'.
    for ct in [None, Some("application/x-www-form-urlencoded"), Some("text/plain")] {
        let got = k.send_as("POST", "/api/v1/tickets", None, ct, Some("{\"service\": \"C\"}")).await;
        assert_error(&got, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    k.issue("C").await;
    k.issue("B").await;
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "B"})).await, StatusCode::CONFLICT, "daily_limit_reached");
    // lunch break: closed
    k.clock.set(vn(2026, 3, 2, 12, 0));
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A"})).await, StatusCode::CONFLICT, "service_closed");
    // Saturday morning is open, Sunday is not
    k.clock.set(vn(2026, 3, 7, 8, 0));
    k.issue("A").await;
    k.clock.set(vn(2026, 3, 8, 8, 0));
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A"})).await, StatusCode::CONFLICT, "service_closed");
    assert_error(&k.get("/api/v1/tickets/not-a-ticket").await, StatusCode::NOT_FOUND, "unknown_ticket");
}

#[tokio::test]
async fn a_priority_ticket_is_recorded_by_category_only() {
    let k = kiosk().await;
    let (s, v) = k.post("/api/v1/tickets", None, json!({"service": "A", "priority": "elderly"})).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["priority"], "elderly");
}

#[tokio::test]
async fn numbering_restarts_at_local_midnight() {
    let k = kiosk_with(|c| {
        for day in c.dispensing.days.iter_mut() {
            *day = vec![firmware::queue::TimeWindow {
                start: chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
                end: chrono::NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap(),
            }];
        }
        c.services[5].windows = None;
    })
    .await;
    k.clock.set(vn(2026, 3, 2, 23, 58));
    assert_eq!(k.issue("A").await["number"], "A001");
    let late = k.issue("A").await;
    assert_eq!(late["number"], "A002");
    k.clock.advance(Duration::minutes(3)); // 00:01 on the 3rd, still the 2nd in UTC
    assert_eq!(k.issue("A").await["number"], "A001");
    assert_eq!(k.issue("A").await["number"], "A002");
}

#[tokio::test]
async fn counters_need_a_login_for_their_own_counter() {
    let k = kiosk().await;
    let (s, v) = k.post("/api/v1/counters/1/login", None, json!({"pin": "0000"})).await;
    assert_error(&(s, v), StatusCode::UNAUTHORIZED, "bad_pin");
    assert_error(&k.post("/api/v1/counters/42/login", None, json!({"pin": "1111"})).await, StatusCode::NOT_FOUND, "unknown_counter");
    assert_error(&k.post("/api/v1/counters/abc/login", None, json!({"pin": "1111"})).await, StatusCode::BAD_REQUEST, "bad_path");
    assert_error(
        &k.post("/api/v1/counters/1/login", None, json!({"code": "1111"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    let t1 = k.login(1).await;
    let t3 = k.login(3).await;
    assert_error(&k.post("/api/v1/counters/1/call-next", None, json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(&k.post("/api/v1/counters/1/call-next", Some("forged"), json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(&k.post("/api/v1/counters/1/call-next", Some(&t3), json!({})).await, StatusCode::FORBIDDEN, "wrong_counter");
    let (s, _) = k.post("/api/v1/counters/1/call-next", Some(&t1), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "nothing waits");
}

#[tokio::test]
async fn repeated_wrong_pins_slow_down() {
    let k = kiosk().await;
    for _ in 0..3 {
        assert_error(&k.post("/api/v1/counters/2/login", None, json!({"pin": "9999"})).await, StatusCode::UNAUTHORIZED, "bad_pin");
    }
    // even the right PIN waits until the lock passes
    assert_error(
        &k.post("/api/v1/counters/2/login", None, json!({"pin": "2222"})).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    );
}

#[tokio::test]
async fn a_ticket_goes_from_call_to_finish() {
    let k = kiosk().await;
    let a1 = k.issue("A").await;
    let t = k.login(1).await;
    let (s, v) = k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ticket"]["number"], "A001");
    assert_eq!(v["ticket"]["status"], "called");
    assert_eq!(v["ticket"]["counter"], 1);
    assert_eq!(v["ticket"]["counter_name"], "Quầy số 01");

    // the hall display sees it
    let (_, q) = k.get("/api/v1/queue").await;
    assert_eq!(q["counters"][0]["number"], 1);
    assert_eq!(q["counters"][0]["name"], "Quầy số 01");
    assert_eq!(q["counters"][0]["current"], "A001");
    assert_eq!(q["counters"][1]["current"], Value::Null);
    assert_eq!(q["services"][0]["code"], "A");

    // one ticket at a time per counter
    k.issue("A").await;
    assert_error(&k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await, StatusCode::CONFLICT, "ticket_in_progress");

    let (s, v) = k.post("/api/v1/counters/1/recall", Some(&t), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ticket"]["recalls"], 1);
    let (_, v) = k.post("/api/v1/counters/1/recall", Some(&t), json!({})).await;
    assert_eq!(v["ticket"]["recalls"], 2);
    let (_, v) = k.post("/api/v1/counters/1/start", Some(&t), json!({})).await;
    assert_eq!(v["ticket"]["status"], "serving");
    assert_error(&k.post("/api/v1/counters/1/recall", Some(&t), json!({})).await, StatusCode::CONFLICT, "invalid_state");
    k.clock.advance(Duration::minutes(4));
    let (s, v) = k.post("/api/v1/counters/1/finish", Some(&t), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ticket"]["status"], "done");
    assert_error(&k.post("/api/v1/counters/1/finish", Some(&t), json!({})).await, StatusCode::CONFLICT, "no_current_ticket");
    assert_error(&k.post("/api/v1/counters/1/no-show", Some(&t), json!({})).await, StatusCode::CONFLICT, "no_current_ticket");
    assert_error(&k.post("/api/v1/counters/1/recall", Some(&t), json!({})).await, StatusCode::CONFLICT, "no_current_ticket");
    assert_error(
        &k.post("/api/v1/counters/1/transfer", Some(&t), json!({"service": "B"})).await,
        StatusCode::CONFLICT,
        "no_current_ticket",
    );

    let (_, v) = k.get(&format!("/api/v1/tickets/{}", a1["id"].as_str().unwrap())).await;
    assert_eq!(v["status"], "done");
    assert!(v.get("ahead").is_none());

    // the next one does not show up
    let (_, v) = k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    assert_eq!(v["ticket"]["number"], "A002");
    let (s, v) = k.post("/api/v1/counters/1/no-show", Some(&t), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ticket"]["status"], "no_show");

    // figures come from the journal
    let (_, f) = k.get("/api/v1/stats/today").await;
    assert_eq!(f["issued"], 2);
    assert_eq!(f["called"], 2);
    assert_eq!(f["recalled"], 2);
    assert_eq!(f["done"], 1);
    assert_eq!(f["no_show"], 1);
    assert_eq!(f["average_service_minutes"], 4.0);
}

#[tokio::test]
async fn a_counter_only_calls_the_services_it_serves() {
    let k = kiosk().await;
    k.issue("B").await;
    let t1 = k.login(1).await; // serves A only
    let (s, _) = k.post("/api/v1/counters/1/call-next", Some(&t1), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let t3 = k.login(3).await; // serves B
    let (_, v) = k.post("/api/v1/counters/3/call-next", Some(&t3), json!({})).await;
    assert_eq!(v["ticket"]["number"], "B001");
}

#[tokio::test]
async fn a_transfer_keeps_the_number_and_goes_to_the_front() {
    let k = kiosk().await;
    k.issue("A").await;
    k.issue("B").await;
    k.issue("B").await;
    let t1 = k.login(1).await;
    k.post("/api/v1/counters/1/call-next", Some(&t1), json!({})).await;
    assert_error(
        &k.post("/api/v1/counters/1/transfer", Some(&t1), json!({"service": "Q"})).await,
        StatusCode::NOT_FOUND,
        "unknown_service",
    );
    assert_error(
        &k.post("/api/v1/counters/1/transfer", Some(&t1), json!({"service": "A"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "same_service",
    );
    assert_error(
        &k.post("/api/v1/counters/1/transfer", Some(&t1), json!({"service": "B", "position": "middle"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    let (s, v) = k.post("/api/v1/counters/1/transfer", Some(&t1), json!({"service": "B"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["ticket"]["number"], "A001");
    assert_eq!(v["ticket"]["service"], "B");
    assert_eq!(v["ticket"]["status"], "transferred");
    assert_eq!(v["ticket"]["ahead"], 0, "front of the queue");
    let t3 = k.login(3).await;
    let (_, v) = k.post("/api/v1/counters/3/call-next", Some(&t3), json!({})).await;
    assert_eq!(v["ticket"]["number"], "A001");
    k.post("/api/v1/counters/3/finish", Some(&t3), json!({})).await;
    let (_, v) = k.post("/api/v1/counters/3/call-next", Some(&t3), json!({})).await;
    assert_eq!(v["ticket"]["number"], "B001");
}

#[tokio::test]
async fn priority_citizens_are_interleaved() {
    // default rule: 3 normal, then 1 priority
    let k = kiosk().await;
    for _ in 0..5 {
        k.issue("A").await;
    }
    let (_, p) = k.post("/api/v1/tickets", None, json!({"service": "A", "priority": "disabled"})).await;
    assert_eq!(p["number"], "A006");
    let t = k.login(1).await;
    let mut order = Vec::new();
    for _ in 0..6 {
        let (_, v) = k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
        order.push(v["ticket"]["number"].as_str().unwrap().to_string());
        k.post("/api/v1/counters/1/finish", Some(&t), json!({})).await;
    }
    assert_eq!(order, ["A001", "A002", "A003", "A006", "A004", "A005"]);
}

#[tokio::test]
async fn strict_priority_goes_first() {
    let k = kiosk_with(|c| c.queue.ordering = firmware::queue::Ordering::Strict).await;
    k.issue("A").await;
    k.post("/api/v1/tickets", None, json!({"service": "A", "priority": "elderly"})).await;
    let t = k.login(1).await;
    let (_, v) = k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    assert_eq!(v["ticket"]["number"], "A002");
}

#[tokio::test]
async fn a_citizen_can_cancel_a_waiting_ticket_only() {
    let k = kiosk().await;
    let a = k.issue("A").await;
    let id = a["id"].as_str().unwrap();
    let (s, v) = k.post(&format!("/api/v1/tickets/{id}/cancel"), None, json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ticket"]["status"], "cancelled");
    assert_error(&k.post(&format!("/api/v1/tickets/{id}/cancel"), None, json!({})).await, StatusCode::CONFLICT, "invalid_state");
    let t = k.login(1).await;
    let (s, _) = k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "a cancelled ticket is never called");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let k = kiosk().await;
    assert_error(&k.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND, "not_found");
    assert_error(&k.send("DELETE", "/api/v1/services", None, None).await, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn one_kiosk_asking_too_fast_gets_429() {
    let k = kiosk_with(|c| c.http.tickets_per_minute_per_client = 2).await;
    k.issue("A").await;
    k.issue("A").await;
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A"})).await, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let k = kiosk().await;
    let (s, doc) = k.get("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/api/v1/services", "get"),
        ("/api/v1/tickets", "post"),
        ("/api/v1/tickets/{id}", "get"),
        ("/api/v1/tickets/{id}/cancel", "post"),
        ("/api/v1/tickets/{id}/printed", "post"),
        ("/api/v1/kiosks/printer", "post"),
        ("/api/v1/centre", "get"),
        ("/api/v1/queue", "get"),
        ("/api/v1/stats/today", "get"),
        ("/api/v1/events", "get"),
        ("/api/v1/counters/{n}/login", "post"),
        ("/api/v1/counters/{n}/call-next", "post"),
        ("/api/v1/counters/{n}/recall", "post"),
        ("/api/v1/counters/{n}/start", "post"),
        ("/api/v1/counters/{n}/no-show", "post"),
        ("/api/v1/counters/{n}/finish", "post"),
        ("/api/v1/counters/{n}/transfer", "post"),
        ("/api/v1/help", "post"),
        ("/api/v1/counters/{n}/help", "get"),
        ("/api/v1/counters/{n}/help/{id}/acknowledge", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
    }
}

#[tokio::test]
async fn events_stream_state_changes_and_replays_after_reconnect() {
    let k = kiosk().await;
    k.issue("A").await;
    let t = k.login(2).await;
    k.post("/api/v1/counters/2/call-next", Some(&t), json!({})).await;

    // A display reconnecting with Last-Event-ID 0 gets the whole day so far, in order.
    let req = Request::get("/api/v1/events").header("last-event-id", "0").body(Body::empty()).unwrap();
    let resp = k.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut body = resp.into_body();
    let mut text = String::new();
    while !text.contains("ticket_called") {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame()).await.unwrap().unwrap().unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
    assert!(text.contains("event: ticket_issued"), "{text}");
    assert!(text.contains("event: ticket_called"), "{text}");
    assert!(text.contains("\"counter_name\":\"Quầy số 02\""), "{text}");
    assert!(text.contains("\"number\":\"A001\""), "{text}");
    assert!(text.find("ticket_issued").unwrap() < text.find("ticket_called").unwrap());

    // Live: the next change arrives on the open stream.
    k.post("/api/v1/counters/2/recall", Some(&t), json!({})).await;
    let mut live = String::new();
    while !live.contains("ticket_recalled") {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame()).await.unwrap().unwrap().unwrap();
        if let Ok(data) = frame.into_data() {
            live.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
    assert!(!live.contains("ticket_issued"), "no duplicates after the replay: {live}");
}

/// Commands committed together (the store's group commit) are answered at once and their events
/// may be published in either order: a live event with a lower number than one already sent
/// still reaches the stream.
#[tokio::test]
async fn live_events_published_out_of_order_all_arrive() {
    let k = kiosk().await;
    k.issue("A").await;
    let issued = k.service.events_since(0, 10).await.unwrap().pop().unwrap();
    let req = Request::get("/api/v1/events").body(Body::empty()).unwrap();
    let mut body = k.app.clone().oneshot(req).await.unwrap().into_body();
    // The handler subscribed before it answered.
    for seq in [1001, 1000] {
        k.service.events().publish(firmware::events::Journaled { seq, event: issued.event.clone() });
    }
    let mut text = String::new();
    while !(text.contains("id: 1001") && text.contains("id: 1000")) {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame()).await.expect(&text).unwrap().unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
}

#[tokio::test]
async fn text_is_nfc_normalised_at_the_boundary() {
    let k = kiosk().await;
    // A decomposed "A" cannot differ, but a service code with a combining mark must not match.
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A\u{0301}"})).await, StatusCode::NOT_FOUND, "unknown_service");
    let (_, v) = k.get("/api/v1/services").await;
    let name = v[2]["name"].as_str().unwrap();
    use unicode_normalization::UnicodeNormalization;
    assert_eq!(name, name.nfc().collect::<String>());
    assert_eq!(name, "Đất đai – Xây dựng");
}

#[tokio::test]
async fn a_phone_follows_the_ticket_from_its_qr() {
    let k = kiosk().await;
    let a1 = k.issue("A").await;
    // The first of the day is told it is next, not "0 people ahead, about 0 minutes".
    let (_, v) = k.get(&format!("/t/{}", a1["id"].as_str().unwrap())).await;
    let first = v.as_str().unwrap();
    assert!(first.contains("Quý khách là người tiếp theo.") && !first.contains("khoảng 0 phút"), "{first}");
    let a2 = k.issue("A").await;
    let url = format!("/t/{}", a2["id"].as_str().unwrap());
    let (s, v) = k.get(&url).await;
    assert_eq!(s, StatusCode::OK);
    let html = v.as_str().unwrap();
    assert!(html.contains("<h1>A002</h1>"), "{html}");
    assert!(html.contains("Đang chờ gọi số"), "{html}");
    assert!(html.contains("<b>1</b>"), "one person ahead: {html}");
    let t = k.login(1).await;
    k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    k.post("/api/v1/counters/1/finish", Some(&t), json!({})).await;
    k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    let (_, v) = k.get(&url).await;
    let html = v.as_str().unwrap();
    assert!(html.contains("Mời quý khách đến quầy") && html.contains("Quầy số 01"), "{html}");
    let (s, _) = k.get("/t/unknown").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_counter_stays_logged_in_across_a_restart() {
    use firmware::clock::ManualClock;
    use std::sync::Arc;
    let first = kiosk().await;
    let token = first.login(1).await;
    let config = first.service.config().clone();
    let dir = first._dir;
    drop(first.app);
    drop(first.service);
    // The service restarts on the same database (the watchdog, a power cut).
    let restarted = firmware::server::start(config, Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 30)))).await.unwrap();
    let app = firmware::server::app(restarted.clone());
    let again = Kiosk { app, service: restarted, clock: Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 30))), _dir: dir };
    let (s, v) = again.post("/api/v1/counters/1/call-next", Some(&token), json!({})).await;
    assert!(s == StatusCode::NO_CONTENT || s == StatusCode::OK, "{s} {v}");
    assert_error(&again.post("/api/v1/counters/2/call-next", Some(&token), json!({})).await, StatusCode::FORBIDDEN, "wrong_counter");
    // Only a hash of the token is on disk.
    let db = rusqlite::Connection::open(again.service.config().data_dir.join("kiosk.sqlite3")).unwrap();
    let stored: String = db.query_row("SELECT group_concat(token_sha256) FROM sessions", [], |r| r.get(0)).unwrap();
    assert!(!stored.contains(&token) && !stored.is_empty());
}

/// Dispensing follows the holiday breaks of `config/holidays/`: no tickets on any day of a break
/// (its Saturdays included), weekday windows on a make-up Saturday, ordinary Saturdays as
/// configured. The clock is set to each date; nothing depends on today.
#[tokio::test]
async fn tickets_follow_holiday_breaks_and_make_up_saturdays() {
    let k = kiosk().await;
    // Tết Bính Ngọ: the break is Saturday 14/2 to Sunday 22/2/2026.
    for day in [14, 17, 21] {
        k.clock.set(vn(2026, 2, day, 9, 0));
        assert_closed(&k).await;
    }
    let (_, services) = k.get("/api/v1/services").await;
    assert_eq!(services[0]["open"], false);
    assert!(services[0]["closed_today"].as_str().unwrap().contains("Tết Nguyên đán"), "{services}");
    assert_eq!(services[0]["opens_at"], "2026-02-23T07:00:00+07:00", "the Monday after the break");
    // The Saturday after the break is an ordinary Saturday morning.
    k.clock.set(vn(2026, 2, 28, 9, 0));
    k.issue("A").await;
    // 30/4–3/5/2026: Saturday 2/5 is inside the break; Saturday 9/5 is not.
    k.clock.set(vn(2026, 5, 2, 9, 0));
    assert_closed(&k).await;
    k.clock.set(vn(2026, 5, 9, 9, 0));
    k.issue("A").await;
    // Saturday 10/1/2026 is worked for Friday 2/1 (Văn bản 12729/VPCP-KGVX): weekday windows,
    // the afternoon included; an ordinary Saturday afternoon is closed.
    k.clock.set(vn(2026, 1, 10, 14, 0));
    k.issue("A").await;
    k.clock.set(vn(2026, 1, 17, 14, 0));
    assert_closed(&k).await;
    let (_, services) = k.get("/api/v1/services").await;
    assert!(services[0]["closed_today"].is_null(), "{services}");
    assert_eq!(services[0]["opens_at"], "2026-01-19T07:00:00+07:00");
    k.clock.set(vn(2026, 1, 19, 10, 0));
    let (_, services) = k.get("/api/v1/services").await;
    assert_eq!((services[0]["open"].as_bool(), services[0]["closes_at"].as_str()), (Some(true), Some("2026-01-19T11:15:00+07:00")));
    // Before opening on an ordinary day: when it opens today.
    k.clock.set(vn(2026, 1, 19, 6, 50));
    let (_, services) = k.get("/api/v1/services").await;
    assert_eq!(services[0]["opens_at"], "2026-01-19T07:00:00+07:00");
}

async fn assert_closed(k: &common::Kiosk) {
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A"})).await, StatusCode::CONFLICT, "service_closed");
}
