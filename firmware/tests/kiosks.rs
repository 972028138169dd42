//! Several kiosks in one centre (issue 22), over HTTP: an enrolled kiosk with its own printer
//! takes numbers that this service does not print; it gets the ticket's paper, reports whether it
//! printed, and its printer's state reaches `/healthz` (and so `/counter`) under its name; the
//! manager's figures count tickets per kiosk. Callers that are not enrolled keep the old path.

mod common;

use axum::http::StatusCode;
use common::{assert_error, kiosk, Kiosk};
use serde_json::{json, Value};

/// What the main kiosk's virtual printer has printed so far (one `.png` per job).
fn printed_here(k: &Kiosk) -> usize {
    let dir = k.service.config().data_dir.join("receipts");
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "png")).count())
        .unwrap_or(0)
}

fn enrol(k: &Kiosk, name: &str) -> String {
    firmware::service::enroll_device_beside(&k.service.config().database_path(), name, firmware::auth::unix_ms()).unwrap().unwrap()
}

async fn manager(k: &Kiosk) -> String {
    let (s, v) = k.post("/api/v1/manager/login", None, json!({"pin": "9999"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_enrolled_kiosk_prints_its_own_tickets_and_reports_back() {
    let k = kiosk().await;
    let token = enrol(&k, "Kiosk 2");

    // Not enrolled: `prints_itself` is refused, and nothing is issued.
    assert_error(
        &k.post("/api/v1/tickets", None, json!({"service": "A", "prints_itself": true})).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );
    assert_error(
        &k.post("/api/v1/tickets", Some("not-a-token"), json!({"service": "A", "prints_itself": true})).await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );

    // The main kiosk's own ticket prints here, as always.
    let before = printed_here(&k);
    let own = k.issue("A").await;
    assert_eq!((own["number"].as_str(), own["printed"].as_bool()), (Some("A001"), Some(true)));
    assert_eq!(printed_here(&k), before + 1);

    // The enrolled kiosk's ticket: numbered in the same queue, not printed here, with its paper.
    let (s, t) = k.post("/api/v1/tickets", Some(&token), json!({"service": "A", "priority": "elderly", "prints_itself": true})).await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(printed_here(&k), before + 1, "the main printer printed another kiosk's ticket");
    assert_eq!(t["number"], "A002");
    assert_eq!(t["kiosk"], "Kiosk 2");
    assert!(t.get("printed").is_none(), "not known until the kiosk reports: {t}");
    let paper = &t["paper"];
    assert_eq!(paper["number"], "A002");
    assert_eq!(paper["service_name"], t["service_name"]);
    assert_eq!(paper["people_waiting"], 1, "A001 is ahead: {paper}");
    assert_eq!(paper["centre_name"].as_str(), Some(k.service.config().centre.name.as_str()));
    assert_eq!(paper["follow_url"].as_str().unwrap(), format!("{}/t/{}", k.service.config().centre.public_url, t["id"].as_str().unwrap()));
    assert!(paper["priority_label"].as_str().unwrap().starts_with("Ưu tiên: "), "{paper}");
    // The paper reads back as the printer's own document type.
    let _: printer::QueueTicket = serde_json::from_value(paper.clone()).unwrap();
    let id = t["id"].as_str().unwrap();

    // The outcome: only from the kiosk that dispensed it.
    let report = |printed: bool| json!({"printed": printed});
    assert_error(&k.post(&format!("/api/v1/tickets/{id}/printed"), None, report(true)).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(
        &k.post(&format!("/api/v1/tickets/{id}/printed"), Some("forged"), report(false)).await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );
    let other = enrol(&k, "Kiosk 3");
    assert_error(
        &k.post(&format!("/api/v1/tickets/{id}/printed"), Some(&other), report(false)).await,
        StatusCode::NOT_FOUND,
        "unknown_ticket",
    );
    let own_id = own["id"].as_str().unwrap();
    assert_error(
        &k.post(&format!("/api/v1/tickets/{own_id}/printed"), Some(&token), report(false)).await,
        StatusCode::NOT_FOUND,
        "unknown_ticket",
    );
    let (s, v) = k.post(&format!("/api/v1/tickets/{id}/printed"), Some(&token), report(true)).await;
    assert_eq!((s, v["ticket"]["printed"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
    let (_, followed) = k.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(followed["printed"], true);
    assert_eq!(k.get(&format!("/api/v1/tickets/{own_id}")).await.1["printed"], true, "the main ticket is untouched");

    // A second ticket whose paper jammed: recorded as not printed.
    let (_, t2) = k.post("/api/v1/tickets", Some(&token), json!({"service": "B", "prints_itself": true})).await;
    let (s, _) = k.post(&format!("/api/v1/tickets/{}/printed", t2["id"].as_str().unwrap()), Some(&token), report(false)).await;
    assert_eq!(s, StatusCode::OK);
    // An enrolled device without `prints_itself` (a printer-less screen) is printed for, as before.
    let (s, t3) = k.post("/api/v1/tickets", Some(&other), json!({"service": "A"})).await;
    assert_eq!((s, t3["printed"].as_bool()), (StatusCode::CREATED, Some(true)), "{t3}");
    assert_eq!(printed_here(&k), before + 2);

    // The manager's figures: per kiosk, with what printed.
    let m = manager(&k).await;
    let (s, f) = k.get_with_token("/api/v1/admin/figures?from=2026-03-02&to=2026-03-02", &m).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(
        f["per_kiosk"],
        json!([
            {"kiosk": null, "issued": 2, "printed": 2, "not_printed": 0},
            {"kiosk": "Kiosk 2", "issued": 2, "printed": 1, "not_printed": 1},
        ]),
        "{f}"
    );
}

#[tokio::test]
async fn an_enrolled_kiosk_prints_its_own_checklists() {
    let k = kiosk().await;
    let token = enrol(&k, "Kiosk 2");
    let before = printed_here(&k);
    let url = "/api/v1/procedures/1.001193/print-checklist";
    assert_error(&k.post(url, None, json!({"prints_itself": true})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (s, v) = k.post(url, Some(&token), json!({"prints_itself": true})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["printed"], Value::Null);
    let paper: printer::Checklist = serde_json::from_value(v["paper"].clone()).unwrap();
    assert_eq!(paper.procedure_code, "1.001193");
    assert!(!paper.documents.is_empty());
    assert_eq!(printed_here(&k), before, "nothing printed on the main printer");
    // Without the flag the main printer prints it.
    assert_eq!(k.post(url, None, json!({})).await.1["printed"], true);
    assert_eq!(printed_here(&k), before + 1);
}

#[tokio::test]
async fn a_checklist_without_a_body_prints_as_before_and_a_wrong_body_is_refused() {
    // (A fresh kiosk: checklists are limited to 3 at once per address.)
    let k = kiosk().await;
    let token = enrol(&k, "Kiosk 2");
    let url = "/api/v1/procedures/1.001193/print-checklist";
    assert_eq!(k.send("POST", url, None, None).await.1["printed"], true);
    assert_error(&k.post(url, Some(&token), json!({"prints_itself": "yes"})).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_error(&k.post(url, Some(&token), json!({"printer": 1})).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
}

#[tokio::test]
async fn a_kiosks_printer_state_is_published_under_its_name() {
    let k = kiosk().await;
    let token = enrol(&k, "Kiosk 2");
    assert_error(&k.post("/api/v1/kiosks/printer", None, json!({"state": "paper_out"})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let revoked = enrol(&k, "Kiosk 9");
    firmware::service::revoke_device_beside(&k.service.config().database_path(), "Kiosk 9", firmware::auth::unix_ms()).unwrap();
    assert_error(
        &k.post("/api/v1/kiosks/printer", Some(&revoked), json!({"state": "paper_out"})).await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );
    assert_error(
        &k.post("/api/v1/kiosks/printer", Some(&token), json!({"state": "on_fire"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    let mut events = k.service.events().subscribe();
    let (s, v) = k.post("/api/v1/kiosks/printer", Some(&token), json!({"state": "paper_out"})).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"kiosk": "Kiosk 2", "state": "paper_out"})));
    // (The main printer's own state events carry no kiosk name.)
    let mut kiosk_events = move || {
        let mut named = Vec::new();
        while let Ok(e) = events.try_recv() {
            let data: Value = serde_json::from_str(&e.event.data_json()).unwrap();
            if e.event.name() == "printer_status" && !data["kiosk"].is_null() {
                named.push(data);
            }
        }
        named
    };
    let named = kiosk_events();
    assert_eq!((named.len(), &named[0]["kiosk"], &named[0]["state"]), (1, &json!("Kiosk 2"), &json!("paper_out")), "{named:?}");
    // The same state again is not a new event; a change is.
    k.post("/api/v1/kiosks/printer", Some(&token), json!({"state": "paper_out"})).await;
    assert!(kiosk_events().is_empty());
    let (_, health) = k.get("/healthz").await;
    assert_eq!(health["kiosks"][0]["kiosk"], "Kiosk 2");
    assert_eq!((health["kiosks"][0]["state"].as_str(), health["kiosks"][0]["stale"].as_bool()), (Some("paper_out"), Some(false)));
    // Silent for longer than a report period: stale (off, or cut off from the main service).
    k.clock.advance(chrono::Duration::seconds(firmware::service::kiosks::REPORT_STALE_SECS + 1));
    assert_eq!(k.get("/healthz").await.1["kiosks"][0]["stale"], true);
    k.post("/api/v1/kiosks/printer", Some(&token), json!({"state": "ready"})).await;
    assert_eq!(k.get("/healthz").await.1["kiosks"][0]["state"], "ready");
    assert_eq!(kiosk_events().len(), 1);
    assert!(k.get("/api/v1/centre").await.1["priorities"].as_array().is_some_and(|p| !p.is_empty()));
}
