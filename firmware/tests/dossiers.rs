//! Dossiers over HTTP: the appointment preview, receiving at a counter with the receipt slip
//! printed, the public lookup without personal data (codes typed any way), status changes, the
//! one rescheduling, the due-soon list, the import hook, and ten counters receiving at once.

mod common;
use common::*;

use axum::http::StatusCode;
use serde_json::{json, Value};

async fn receive(k: &Kiosk, token: &str, procedure: &str, at: &str) -> Value {
    let (s, v) = k
        .post(
            "/api/v1/dossiers",
            Some(token),
            json!({"procedure": procedure, "received_at": at, "channel": "direct", "applicant_name": "Nguyễn Văn An"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

#[tokio::test]
async fn preview_gives_the_due_date_by_the_rules() {
    let k = kiosk().await;
    // Đăng ký thường trú: 7 working days. Monday 2 March 2026 09:00 → Wednesday 11 March.
    let (s, v) = k
        .post(
            "/api/v1/appointments/preview",
            None,
            json!({"procedure": "1.004222", "received_at": "2026-03-02T09:00:00+07:00", "channel": "direct"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["due_at"].as_str().unwrap().starts_with("2026-03-11T"), "{v}");
    assert_eq!(v["working_days"], 7);
    assert!(v["rule"].as_str().unwrap().len() > 10);

    // Đăng ký khai sinh, same day with the 15:00 cut-off: 14:00 → today; 15:30 → next working day.
    let (_, v) =
        k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.001193", "received_at": "2026-03-06T14:00:00+07:00"})).await;
    assert!(v["due_at"].as_str().unwrap().starts_with("2026-03-06T"), "{v}");
    let (_, v) =
        k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.001193", "received_at": "2026-03-06T15:30:00+07:00"})).await;
    assert!(v["due_at"].as_str().unwrap().starts_with("2026-03-09T"), "Friday after 15:00 → Monday: {v}");

    assert_error(
        &k.post("/api/v1/appointments/preview", None, json!({"procedure": "9.999999"})).await,
        StatusCode::NOT_FOUND,
        "unknown_procedure",
    );
    assert_error(
        &k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.004222", "channel": "fax"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_channel",
    );
    assert_error(
        &k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.004222", "received_at": "yesterday"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_time",
    );
    // A time without an offset is the site's local time.
    let (s, local) =
        k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.004222", "received_at": "2026-03-05T15:30:00"})).await;
    assert_eq!(s, StatusCode::OK, "{local}");
    let (_, explicit) =
        k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.004222", "received_at": "2026-03-05T15:30:00+07:00"})).await;
    assert_eq!(local, explicit);
}

/// Kết hôn (1.000894) is handled the same day, or within 05 working days "trường hợp cần xác
/// minh": the officer's choice decides the date, on the preview and on the slip.
#[tokio::test]
async fn a_verification_case_takes_its_own_longer_limit() {
    let k = kiosk().await;
    let preview = |variant: Value| {
        let mut body = json!({"procedure": "1.000894", "received_at": "2026-03-02T09:00:00+07:00"});
        if !variant.is_null() {
            body["variant"] = variant;
        }
        body
    };
    let (s, v) = k.post("/api/v1/appointments/preview", None, preview(Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["due_at"], "2026-03-02T17:00:00+07:00", "without a variant: the same day");
    let (s, v) = k.post("/api/v1/appointments/preview", None, preview(json!("xac_minh"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["due_at"], "2026-03-09T09:00:00+07:00", "05 working days: Monday to Monday");
    assert_eq!(v["working_days"], 5);
    assert!(v["rule"].as_str().unwrap().starts_with("Trường hợp cần xác minh"), "{v}");
    // An unknown case is refused, naming the ones there are; a procedure without cases has none.
    let (s, v) = k.post("/api/v1/appointments/preview", None, preview(json!("nhanh"))).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_variant")), "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("\"xac_minh\""), "{v}");
    assert_error(
        &k.post("/api/v1/appointments/preview", None, json!({"procedure": "1.004222", "variant": "xac_minh"})).await,
        StatusCode::NOT_FOUND,
        "unknown_variant",
    );

    // Received with the case chosen: the dossier is due when the preview said, and stays so.
    let t = k.login(1).await;
    let body = json!({"procedure": "1.000894", "received_at": "2026-03-02T09:00:00+07:00", "applicant_name": "Trần Văn Bình",
                      "applicant_title": "ông", "variant": "xac_minh"});
    let (s, d) = k.post("/api/v1/dossiers", Some(&t), body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["due_at"], "2026-03-09T09:00:00+07:00");
    let (_, public) = k.get(&format!("/api/v1/dossiers/{}", d["code"].as_str().unwrap())).await;
    assert_eq!(public["due_at"], "2026-03-09T09:00:00+07:00");
    let (s, d) = k
        .post(
            "/api/v1/dossiers",
            Some(&t),
            json!({"procedure": "1.000894", "received_at": "2026-03-02T09:00:00+07:00", "applicant_name": "Lê Thị Hoa"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["due_at"], "2026-03-02T17:00:00+07:00");
    assert_error(
        &k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "1.000894", "applicant_name": "Lê Thị Hoa", "variant": "nhanh"})).await,
        StatusCode::NOT_FOUND,
        "unknown_variant",
    );
    assert_error(
        &k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "1.000894", "applicant_name": "Lê Thị Hoa", "applicant_title": "Cô"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_title",
    );
}

#[tokio::test]
async fn a_counter_receives_a_dossier_and_prints_the_slip() {
    let k = kiosk().await;
    assert_error(
        &k.post("/api/v1/dossiers", None, json!({"procedure": "1.004222", "applicant_name": "A"})).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );
    let t = k.login(3).await;
    let d1 = receive(&k, &t, "1.004222", "2026-03-02T09:00:00+07:00").await;
    assert_eq!(d1["code"], "000.00.17.H41-260302-0001");
    assert_eq!(d1["printed"], true);
    assert!(d1["due_at"].as_str().unwrap().starts_with("2026-03-11T"));
    let d2 = receive(&k, &t, "1.001193", "2026-03-02T09:05:00+07:00").await;
    assert_eq!(d2["code"], "000.00.17.H41-260302-0002");
    let receipts: Vec<String> =
        std::fs::read_dir(k._dir.path().join("receipts")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(receipts.iter().any(|n| n.ends_with("receipt.png")), "{receipts:?}");

    assert_error(
        &k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "1.004222", "applicant_name": "  "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_applicant_name",
    );
}

#[tokio::test]
async fn the_public_lookup_has_no_personal_data_and_accepts_loose_codes() {
    let k = kiosk().await;
    let t = k.login(1).await;
    receive(&k, &t, "1.001193", "2026-03-02T09:00:00+07:00").await;
    for typed in ["000.00.17.H41-260302-0001", "000.00.17.h41-260302-0001", "0000017H412603020001", "000.00.17.H41 260302 0001"] {
        let (s, v) = k.get(&format!("/api/v1/dossiers/{}", typed.replace(' ', "%20"))).await;
        assert_eq!(s, StatusCode::OK, "{typed}: {v}");
        assert_eq!(v["code"], "000.00.17.H41-260302-0001");
        assert_eq!(v["procedure"], "1.001193");
        assert_eq!(v["status"], 2);
        assert_eq!(v["status_text"], "Được tiếp nhận");
        assert_eq!(v["status_text_en"], "Accepted");
        assert_eq!(v["timeliness"], Value::Null);
        let text = v.to_string();
        assert!(!text.contains("Nguyễn") && !text.contains("applicant"), "personal data leaked: {text}");
    }
    assert_error(&k.get("/api/v1/dossiers/000.00.17.H41-260302-0099").await, StatusCode::NOT_FOUND, "unknown_dossier");
    assert_error(&k.get("/api/v1/dossiers/hello").await, StatusCode::UNPROCESSABLE_ENTITY, "malformed_code");
    let (s, page) = k.get("/d/000.00.17.H41-260302-0001").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.as_str().unwrap().contains("Nguyễn"));
}

#[tokio::test]
async fn statuses_follow_the_rules_and_timeliness_is_classified() {
    let k = kiosk().await;
    let t = k.login(1).await;
    let d = receive(&k, &t, "1.004222", "2026-03-02T09:00:00+07:00").await;
    let code = d["code"].as_str().unwrap();
    let url = format!("/api/v1/dossiers/{code}/status");
    assert_error(&k.post(&url, None, json!({"status": 4})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(&k.post(&url, Some(&t), json!({"status": 11})).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_status");
    assert_error(&k.post(&url, Some(&t), json!({"status": 1})).await, StatusCode::CONFLICT, "status_change_refused");
    let (s, v) = k.post(&url, Some(&t), json!({"status": 4})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status_text"], "Đang xử lý");
    k.clock.set(vn(2026, 3, 6, 10, 0)); // finished before the 11th
    let (_, v) = k.post(&url, Some(&t), json!({"status": 9})).await;
    assert_eq!(v["timeliness"], "early", "{v}");
}

#[tokio::test]
async fn a_dossier_can_be_rescheduled_once() {
    let k = kiosk().await;
    let t = k.login(1).await;
    let d = receive(&k, &t, "1.004222", "2026-03-02T09:00:00+07:00").await; // due Wed 11 March
    let code = d["code"].as_str().unwrap().to_string();
    k.clock.set(vn(2026, 3, 9, 9, 0)); // Monday: due soon
    let (s, v) = k.get_with_token("/api/v1/dossiers/due-soon?working_days=3", &t).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["dossiers"][0]["code"], code.as_str());
    assert_eq!(v["dossiers"][0]["applicant_name"], "Nguyễn Văn An", "staff see the name");

    let url = format!("/api/v1/dossiers/{code}/reschedule");
    // The notice addresses the applicant by their own title: without one recorded, it is asked for.
    assert_error(
        &k.post(&url, Some(&t), json!({"new_due_at": "2026-03-13T16:00:00+07:00", "reason": "Chờ xác minh"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_title",
    );
    assert_error(
        &k.post(&url, Some(&t), json!({"new_due_at": "2026-03-13T16:00:00+07:00", "reason": "Chờ xác minh", "addressee_title": "Ông/Bà"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_title",
    );
    assert_error(
        &k.post(&url, Some(&t), json!({"new_due_at": "2026-03-13T16:00:00+07:00", "reason": "", "addressee_title": "Ông"})).await,
        StatusCode::CONFLICT,
        "reschedule_refused",
    );
    let (s, v) = k
        .post(
            &url,
            Some(&t),
            json!({"new_due_at": "2026-03-13T16:00:00+07:00", "reason": "Chờ xác minh thông tin cư trú", "addressee_title": "Ông"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["printed"], true, "the apology notice printed");
    assert!(v["dossier"]["new_due_at"].as_str().unwrap().starts_with("2026-03-13"));
    assert!(v["dossier"]["due_at"].as_str().unwrap().starts_with("2026-03-11"), "the original date is kept");
    let (s, v) =
        k.post(&url, Some(&t), json!({"new_due_at": "2026-03-20T16:00:00+07:00", "reason": "Lần nữa", "addressee_title": "Ông"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "a second rescheduling is refused: {v}");
    // finished on the new date: late against the original
    k.clock.set(vn(2026, 3, 13, 10, 0));
    let (_, v) = k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&t), json!({"status": 4})).await;
    assert_eq!(v["status"], 4);
    let (_, v) = k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&t), json!({"status": 9})).await;
    assert_eq!(v["timeliness"], "late");
}

#[tokio::test]
async fn the_province_import_sets_any_status() {
    let k = kiosk().await;
    let t = k.login(2).await;
    let d = receive(&k, &t, "1.004222", "2026-03-02T09:00:00+07:00").await;
    // Authoritative, so the manager's (a counter's token is refused: see tests/trust.rs).
    let (_, m) = k.post("/api/v1/manager/login", None, json!({"pin": "9999"})).await;
    let manager = m["token"].as_str().unwrap().to_string();
    let (s, v) = k
        .post(
            "/api/v1/dossiers/import",
            Some(&manager),
            json!({"updates": [{"code": d["code"], "status": 10}, {"code": "nonsense", "status": 4}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["results"][0]["status"], 10);
    assert_eq!(v["results"][1]["error"]["code"], "malformed_code");
}

#[tokio::test]
async fn ten_counters_receiving_at_once_never_share_a_code() {
    let k = kiosk().await;
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let service = k.service.clone();
            tokio::spawn(async move {
                let r = firmware::service::Reception {
                    procedure: "1.004222".into(),
                    received_at: None,
                    channel: "direct".into(),
                    variant: None,
                    applicant_name: format!("Công dân {i}"),
                    applicant_title: None,
                    sets: 1,
                };
                service.receive_dossier(1 + (i % 6), None, r).await.unwrap().code
            })
        })
        .collect();
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    codes.sort();
    let expected: Vec<_> = (1..=10).map(|i| format!("000.00.17.H41-260302-{i:04}")).collect();
    assert_eq!(codes, expected);
}

#[tokio::test]
async fn the_centre_is_closed_on_tet() {
    let k = kiosk().await;
    k.clock.set(vn(2026, 2, 17, 9, 0)); // mùng 1 Tết Bính Ngọ, a Tuesday
    assert_error(&k.post("/api/v1/tickets", None, json!({"service": "A"})).await, StatusCode::CONFLICT, "service_closed");
    let (_, v) = k.get("/api/v1/services").await;
    assert_eq!(v[0]["open"], false);
    k.clock.set(vn(2026, 2, 23, 9, 0)); // back to work
    k.issue("A").await;
}

#[tokio::test]
async fn the_kiosk_prints_a_procedures_checklist() {
    let k = kiosk().await;
    let (s, v) = k.post("/api/v1/procedures/1.001193/print-checklist", None, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["printed"], true);
    assert_error(&k.post("/api/v1/procedures/9.9/print-checklist", None, json!({})).await, StatusCode::NOT_FOUND, "unknown_procedure");
    let names: Vec<String> =
        std::fs::read_dir(k._dir.path().join("receipts")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with("checklist.png")), "{names:?}");
}
