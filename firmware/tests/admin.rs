//! The manager's figures and CSV export: behind the manager PIN, computed from the day's
//! tickets and ratings, without personal data.

mod common;
use common::*;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::json;

#[tokio::test]
async fn figures_and_export_for_the_manager_only() {
    let k = kiosk().await;
    // Two citizens at counter 1: one served in 5 minutes and rated, one absent.
    let a1 = k.issue("A").await;
    k.issue("A").await;
    let t = k.login(1).await;
    k.clock.advance(Duration::minutes(10));
    k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    k.clock.advance(Duration::minutes(5));
    k.post("/api/v1/counters/1/finish", Some(&t), json!({})).await;
    k.post("/api/v1/ratings", None, json!({"ticket_id": a1["id"], "level": "khong_hai_long", "reasons": ["wait_long"]})).await;
    k.post("/api/v1/counters/1/call-next", Some(&t), json!({})).await;
    k.post("/api/v1/counters/1/no-show", Some(&t), json!({})).await;

    assert_error(&k.get("/api/v1/admin/figures").await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(&k.get_with_token("/api/v1/admin/figures", &t).await, StatusCode::FORBIDDEN, "wrong_counter");
    assert_error(&k.post("/api/v1/manager/login", None, json!({"pin": "1111"})).await, StatusCode::UNAUTHORIZED, "bad_pin");
    let (s, v) = k.post("/api/v1/manager/login", None, json!({"pin": "9999"})).await;
    assert_eq!(s, StatusCode::OK);
    let m = v["token"].as_str().unwrap().to_string();

    let (s, f) = k.get_with_token("/api/v1/admin/figures?from=2026-03-02&to=2026-03-02", &m).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["issued"], 2);
    assert_eq!(f["served"], 1);
    assert_eq!(f["no_show"], 1);
    assert_eq!(f["issued_per_hour"][9], 2, "both issued in the 09:00 hour, local time");
    assert_eq!(f["average_service_minutes"], 5.0);
    let a = &f["per_service"][0];
    assert_eq!((a["key"].as_str(), a["served"].as_u64(), a["khong_hai_long"].as_u64()), (Some("A"), Some(1), Some(1)));
    assert_eq!(a["satisfied_percent"], 0.0);
    assert_eq!(f["per_counter"][0]["key"], "1");

    assert_error(&k.get_with_token("/api/v1/admin/figures?from=yesterday", &m).await, StatusCode::BAD_REQUEST, "bad_query");
    assert_error(&k.get_with_token("/api/v1/admin/figures?from=2026-03-05&to=2026-03-01", &m).await, StatusCode::BAD_REQUEST, "bad_query");

    let (s, csv) = k.get_with_token("/api/v1/admin/export.csv?from=2026-03-02&to=2026-03-02", &m).await;
    assert_eq!(s, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "day,number,service,priority,status,counter,issued_at,called_at,finished_at,recalls,rating");
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("2026-03-02,A001,A,,done,1,2026-03-02T09:00:00,2026-03-02T09:10:00,2026-03-02T09:15:00,0,khong_hai_long"),
        "{csv}"
    );
    assert!(lines[2].contains(",no_show,"), "{csv}");

    let (s, page) = k.get("/admin").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.as_str().unwrap().contains("Mã PIN quản lý"));
    let page = page.as_str().unwrap();
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"), "nothing loaded from elsewhere (no CDN)");
}
