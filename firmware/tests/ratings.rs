//! Ratings over HTTP: one per finished ticket or dossier, inside the window, on the configured
//! scale; every refusal a 4xx that stores nothing; the signed chain verifies, and an edit made
//! directly in the database is caught.

mod common;
use common::*;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{json, Value};

async fn finished_ticket(k: &Kiosk) -> String {
    let t = k.issue("A").await;
    let token = k.login(1).await;
    k.post("/api/v1/counters/1/call-next", Some(&token), json!({})).await;
    let (s, _) = k.post("/api/v1/counters/1/finish", Some(&token), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    t["id"].as_str().unwrap().to_string()
}

async fn pending(k: &Kiosk) -> u64 {
    let token = k.login(2).await;
    let (s, v) = k.get_with_token("/api/v1/sync", &token).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["pending"].as_u64().unwrap()
}

#[tokio::test]
async fn the_scale_is_the_configured_one_best_first() {
    let k = kiosk().await;
    let (s, v) = k.get("/api/v1/ratings/levels").await;
    assert_eq!(s, StatusCode::OK);
    let levels = v.as_array().unwrap();
    assert_eq!(levels[0]["official"], "rat_hai_long");
    assert_eq!(levels[0]["label_vi"], "Rất hài lòng");
    assert_eq!(levels.last().unwrap()["official"], "khong_hai_long");
    assert_eq!(levels.last().unwrap()["asks_reason"], true);
}

#[tokio::test]
async fn a_finished_ticket_is_rated_exactly_once() {
    let k = kiosk().await;
    let waiting = k.issue("B").await;
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": waiting["id"], "level": "hai_long"})).await,
        StatusCode::CONFLICT,
        "not_finished",
    );
    let id = finished_ticket(&k).await;
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "so-so"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_level",
    );
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "khong_hai_long", "reasons": ["too_hot"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_reason",
    );
    assert_error(&k.post("/api/v1/ratings", None, json!({"level": "hai_long"})).await, StatusCode::UNPROCESSABLE_ENTITY, "missing_subject");
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": "nope", "level": "hai_long"})).await,
        StatusCode::NOT_FOUND,
        "unknown_ticket",
    );
    assert_eq!(pending(&k).await, 0, "refusals store nothing");

    let (s, v) = k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "khong_hai_long", "reasons": ["wait_long"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["id"].as_str().unwrap().len(), 36);
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "rat_hai_long"})).await,
        StatusCode::CONFLICT,
        "already_rated",
    );
    assert_eq!(pending(&k).await, 1, "queued for the central service");
}

#[tokio::test]
async fn the_window_closes() {
    let k = kiosk().await;
    let id = finished_ticket(&k).await;
    k.clock.advance(Duration::minutes(16));
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "hai_long"})).await,
        StatusCode::GONE,
        "rating_window_closed",
    );
}

#[tokio::test]
async fn a_dossier_is_rated_when_its_result_is_ready() {
    let k = kiosk().await;
    let t = k.login(1).await;
    let (_, d) = k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "2.000815", "applicant_name": "Lê Văn Bảy"})).await;
    let code = d["code"].as_str().unwrap().to_lowercase().replace(['-', '.'], "");
    // The rating tablet beside the counter rates by the code (the slip's QR is in tests/trust.rs).
    let db = firmware::Service::database_path(k.service.config());
    let device = firmware::service::enroll_device_beside(&db, "tablet", firmware::auth::unix_ms()).unwrap().unwrap();
    let rate = |level: &str| json!({"dossier_code": code, "level": level}).to_string();
    assert_error(&k.send("POST", "/api/v1/ratings", Some(&device), Some(&rate("hai_long"))).await, StatusCode::CONFLICT, "not_finished");
    let url = format!("/api/v1/dossiers/{}/status", d["code"].as_str().unwrap());
    k.post(&url, Some(&t), json!({"status": 4})).await;
    k.post(&url, Some(&t), json!({"status": 9})).await;
    let (s, v) = k.send("POST", "/api/v1/ratings", Some(&device), Some(&rate("rat_hai_long"))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn the_chain_verifies_and_catches_an_edit_in_the_database() {
    let k = kiosk().await;
    for level in ["rat_hai_long", "hai_long", "khong_hai_long"] {
        let id = finished_ticket(&k).await;
        let (s, _) = k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": level})).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let config = k.service.config().clone();
    assert_eq!(firmware::cli::verify_ratings(&config), Ok(3));

    // Someone turns the "not satisfied" into "very satisfied" directly in SQLite.
    let db = rusqlite::Connection::open(firmware::Service::database_path(&config)).unwrap();
    let json: String = db.query_row("SELECT record_json FROM ratings WHERE seq = 3", [], |r| r.get(0)).unwrap();
    let forged = json.replace("\"khong_hai_long\"", "\"rat_hai_long\"");
    assert_ne!(json, forged);
    db.execute("UPDATE ratings SET record_json = ?1, official = 'rat_hai_long' WHERE seq = 3", [forged]).unwrap();
    let err = firmware::cli::verify_ratings(&config).unwrap_err();
    assert!(err.contains("#3") && err.contains("altered"), "{err}");
}

/// The figures and the CSV export read the indexed columns, not the signed record: an edit
/// there must show too, named by its column.
#[tokio::test]
async fn an_edited_figure_column_fails_verification() {
    let k = kiosk().await;
    for level in ["khong_hai_long", "hai_long"] {
        let id = finished_ticket(&k).await;
        let (s, _) = k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": level})).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let config = k.service.config().clone();
    assert_eq!(firmware::cli::verify_ratings(&config), Ok(2));
    let db = rusqlite::Connection::open(firmware::Service::database_path(&config)).unwrap();
    for (edit, undo, column) in [
        (
            "UPDATE ratings SET official = 'rat_hai_long' WHERE seq = 1",
            "UPDATE ratings SET official = 'khong_hai_long' WHERE seq = 1",
            "official",
        ),
        ("UPDATE ratings SET counter = 6 WHERE seq = 2", "UPDATE ratings SET counter = 1 WHERE seq = 2", "counter"),
        (
            "UPDATE ratings SET rated_at = rated_at - 86400000 WHERE seq = 2",
            "UPDATE ratings SET rated_at = rated_at + 86400000 WHERE seq = 2",
            "rated_at",
        ),
    ] {
        db.execute(edit, []).unwrap();
        let err = firmware::cli::verify_ratings(&config).unwrap_err();
        assert!(err.contains(column) && err.contains("rating #"), "{edit}: {err}");
        db.execute(undo, []).unwrap();
    }
    assert_eq!(firmware::cli::verify_ratings(&config), Ok(2));
}

#[tokio::test]
async fn sync_state_needs_staff() {
    let k = kiosk().await;
    assert_error(&k.get("/api/v1/sync").await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let token = k.login(1).await;
    let (_, v) = k.get_with_token("/api/v1/sync", &token).await;
    assert_eq!(v["pending"], 0);
    assert_eq!(v["last_error"], Value::Null);
    assert_eq!(v["public_key"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn an_enrolled_rating_device_rates_by_the_number_on_the_ticket() {
    let k = kiosk().await;
    finished_ticket(&k).await; // A001
    let db = firmware::Service::database_path(k.service.config());
    let device = firmware::service::enroll_device_beside(&db, "tablet", firmware::auth::unix_ms()).unwrap().unwrap();
    let post = |body: serde_json::Value| {
        let (k, device) = (&k, device.clone());
        async move { k.send("POST", "/api/v1/ratings", Some(&device), Some(&body.to_string())).await }
    };
    let (s, v) = post(json!({"ticket_number": "a001", "level": "hai_long"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_error(&post(json!({"ticket_number": "A001", "level": "hai_long"})).await, StatusCode::CONFLICT, "already_rated");
    assert_error(&post(json!({"ticket_number": "A999", "level": "hai_long"})).await, StatusCode::NOT_FOUND, "unknown_ticket");
}
