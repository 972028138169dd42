//! Help in the hall (issue 18.5): the kiosk's "Cần hỗ trợ" button and the GPIO help button
//! raise one alert each for the officers, who read and answer it with their counter's token. A
//! help request is a staff event: the anonymous stream never carries it, live or replayed.

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use browser_test::{click, until_js, until_text, Browser, Client, Locator, ONE_AT_A_TIME};
use firmware::events::HelpFrom;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

mod common;
use common::*;

/// Read the anonymous stream (replaying from `since`, when given) until `until` appears.
async fn anonymous_stream_until(k: &Kiosk, since: Option<i64>, until: &str, meanwhile: impl std::future::Future<Output = ()>) -> String {
    let mut req = Request::get("/api/v1/events");
    if let Some(seq) = since {
        req = req.header("last-event-id", seq.to_string());
    }
    let resp = k.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.into_body();
    meanwhile.await;
    let mut text = String::new();
    while !text.contains(until) {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame()).await.expect(until).unwrap().unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
    text
}

#[tokio::test]
async fn a_help_request_reaches_the_counters_once_and_is_answered() {
    let k = kiosk().await;
    let (s, first) = k.send("POST", "/api/v1/help", None, None).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!((first["from"].as_str(), first["at"].as_str()), (Some("kiosk"), Some("2026-03-02T09:00:00+07:00")));
    // Pressed again and again (or called by a script on the Wi-Fi): still the one alert.
    for _ in 0..5 {
        let (s, again) = k.send("POST", "/api/v1/help", None, None).await;
        assert_eq!((s, &again["id"]), (StatusCode::OK, &first["id"]));
    }
    // The hall's GPIO button is another place: its own alert.
    let button = k.service.request_help(HelpFrom::Button).await.unwrap();
    assert_ne!(json!(button.id), first["id"]);

    // Only a logged-in officer reads them, on their own counter's route.
    assert_error(&k.get("/api/v1/counters/3/help").await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let t3 = k.login(3).await;
    assert_error(&k.get_with_token("/api/v1/counters/1/help", &t3).await, StatusCode::FORBIDDEN, "wrong_counter");
    let (s, open) = k.get_with_token("/api/v1/counters/3/help", &t3).await;
    assert_eq!(s, StatusCode::OK);
    let open = open["open"].as_array().unwrap().clone();
    assert_eq!(open.len(), 2, "{open:?}");
    assert_eq!((open[0]["id"].clone(), open[0]["from"].as_str()), (first["id"].clone(), Some("kiosk")));
    assert_eq!(open[1]["from"], "button");

    // Counter 3 answers the kiosk's: it leaves every counter's list, saying who went.
    let id = first["id"].as_i64().unwrap();
    let ack = format!("/api/v1/counters/3/help/{id}/acknowledge");
    let (s, answered) = k.post(&ack, Some(&t3), json!({})).await;
    assert_eq!((s, answered["acknowledged_by"].as_str()), (StatusCode::OK, Some("Quầy số 03")), "{answered}");
    let t1 = k.login(1).await;
    let (_, open) = k.get_with_token("/api/v1/counters/1/help", &t1).await;
    assert_eq!(open["open"].as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open["open"][0]["from"], "button");
    // A second officer answering the same request learns who went first; nothing changes.
    let (s, twice) = k.post(&format!("/api/v1/counters/1/help/{id}/acknowledge"), Some(&t1), json!({})).await;
    assert_eq!((s, twice["acknowledged_by"].as_str()), (StatusCode::OK, Some("Quầy số 03")));
    assert_error(&k.post(&ack, None, json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(
        &k.post("/api/v1/counters/3/help/999999/acknowledge", Some(&t3), json!({})).await,
        StatusCode::NOT_FOUND,
        "unknown_help_request",
    );

    // Once answered, the kiosk can ask again: a new alert.
    let (s, next) = k.send("POST", "/api/v1/help", None, None).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_ne!(next["id"], first["id"]);

    // Yesterday's requests are gone the next morning.
    k.clock.set(vn(2026, 3, 3, 7, 30));
    let (_, open) = k.get_with_token("/api/v1/counters/3/help", &t3).await;
    assert_eq!(open["open"], json!([]));
}

#[tokio::test]
async fn the_anonymous_stream_never_carries_help() {
    let k = kiosk().await;
    let t3 = k.login(3).await;
    // Live: a request and its answer happen while a hall display listens; the ticket after
    // them arrives, they never do.
    let live = anonymous_stream_until(&k, None, "ticket_issued", async {
        let (_, r) = k.send("POST", "/api/v1/help", None, None).await;
        k.service.request_help(HelpFrom::Button).await.unwrap();
        k.post(&format!("/api/v1/counters/3/help/{}/acknowledge", r["id"]), Some(&t3), json!({})).await;
        k.issue("A").await;
    })
    .await;
    assert!(!live.contains("help"), "{live}");
    // Replayed from the start of the journal: the same.
    let replay = anonymous_stream_until(&k, Some(0), "ticket_issued", async {}).await;
    assert!(!replay.contains("help"), "{replay}");
    // The journal has them all the same: staff can be told.
    let journal = k.service.events_since(0, 100).await.unwrap();
    let staff: Vec<&str> = journal.iter().map(|e| e.event.name()).filter(|n| n.starts_with("help")).collect();
    assert_eq!(staff, ["help_requested", "help_requested", "help_acknowledged"]);
}

async fn log_in(c: &Client, base: &str, counter: u32) {
    c.goto(&format!("{base}/counter")).await.unwrap();
    let option = format!("#counter option[value='{counter}']");
    c.wait().at_most(Duration::from_secs(5)).for_element(Locator::Css(&option)).await.unwrap();
    click(c, &option).await;
    c.find(Locator::Css("#pin")).await.unwrap().send_keys(&counter.to_string().repeat(4)).await.unwrap();
    click(c, "#login-submit").await;
    until_text(c, "#who", &format!("Quầy số 0{counter}"), Duration::from_secs(5)).await;
}

/// 18.5 in a real Chromium: the kiosk's "Cần hỗ trợ" shows on every logged-in counter page
/// within seconds, with a sound; one officer answers and it leaves them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_s_help_request_shows_on_the_counter_pages_until_answered() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let k = kiosk().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(firmware::server::serve(k.service.clone(), listener, std::future::pending()));

    let two = browser.window(1280, 800).await;
    let three = browser.window(1280, 800).await;
    log_in(&two, &base, 2).await;
    log_in(&three, &base, 3).await;
    let hidden = "return document.getElementById('help-alert').hidden";
    assert!(two.execute(hidden, vec![]).await.unwrap().as_bool().unwrap(), "no alert before anyone asks");

    let (s, _) = k.send("POST", "/api/v1/help", None, None).await;
    assert_eq!(s, StatusCode::CREATED);
    for page in [&two, &three] {
        until_text(page, "#help-alert", "Kiosk cần hỗ trợ", Duration::from_secs(5)).await;
        until_text(page, "#help-alert", "lúc 09:00", Duration::from_secs(1)).await;
    }
    browser_test::screenshot(&two, Path::new(env!("CARGO_TARGET_TMPDIR")), "counter-help.png").await;

    // Counter 3 answers: the alert leaves both pages, and the journal says who went.
    click(&three, "#help-alert .help-answer").await;
    for page in [&three, &two] {
        until_js(page, hidden, Duration::from_secs(5)).await;
    }
    let journal = k.service.events_since(0, 100).await.unwrap();
    let answered = journal.iter().find_map(|e| match &e.event {
        firmware::events::Event::HelpAcknowledged(a) => Some(a.counter_name.clone()),
        _ => None,
    });
    assert_eq!(answered.as_deref(), Some("Quầy số 03"));
}
