//! Trust (issue 14), tried from outside as a stranger on the hall Wi-Fi would: only the served
//! citizen (the QR's proof) or an enrolled rating device rates; writes take JSON only; wrong PINs
//! are throttled per address before argon2 runs; a logout kills the token; the anonymous event
//! stream carries no dossier code and no rating; the import needs the manager; the costly
//! public routes are rate-limited per client.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::{assert_error, kiosk, kiosk_with, Kiosk};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// One request from `client` (an IP address), JSON in and out; the headers come back too.
async fn from(
    k: &Kiosk,
    client: &str,
    method: &str,
    uri: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> (StatusCode, Value, axum::http::HeaderMap) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    req.extensions_mut().insert(ConnectInfo::<SocketAddr>(format!("{client}:40000").parse().unwrap()));
    let resp = k.app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value, headers)
}

/// A finished ticket of service A at counter 1: (its id, as the citizen's QR holds it; its number).
async fn finished(k: &Kiosk) -> (String, String) {
    let t = k.issue("A").await;
    let token = k.login(1).await;
    let (s, called) = k.post("/api/v1/counters/1/call-next", Some(&token), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{called}");
    assert!(called["ticket"].get("id").is_none(), "a counter is never told the ticket's id: {called}");
    let (s, v) = k.post("/api/v1/counters/1/finish", Some(&token), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (t["id"].as_str().unwrap().to_string(), t["number"].as_str().unwrap().to_string())
}

async fn manager(k: &Kiosk) -> String {
    let (s, v) = k.post("/api/v1/manager/login", None, json!({"pin": "9999"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_string()
}

fn database(k: &Kiosk) -> std::path::PathBuf {
    k.service.config().database_path()
}

#[tokio::test]
async fn writes_take_json_only() {
    let k = kiosk().await;
    let body = r#"{"service": "A"}"#;
    for ct in [Some("application/x-www-form-urlencoded"), Some("text/plain"), Some("multipart/form-data; boundary=x"), None] {
        let (s, v, _) = from(&k, "10.0.0.5", "POST", "/api/v1/tickets", None, ct, body).await;
        assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_media_type")), "{ct:?}");
    }
    let (s, _, _) = from(&k, "10.0.0.5", "POST", "/api/v1/tickets", None, Some("application/json; charset=utf-8"), body).await;
    assert_eq!(s, StatusCode::CREATED);
    // A form cannot print a checklist or rate either, even with an empty body.
    let (s, _, _) =
        from(&k, "10.0.0.5", "POST", "/api/v1/procedures/1.001193/print-checklist", None, Some("application/x-www-form-urlencoded"), "")
            .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, _, _) = from(&k, "10.0.0.5", "POST", "/api/v1/ratings", None, Some("text/plain"), r#"{"level":"hai_long"}"#).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A staff action without a body needs no type (curl -X POST with a bearer token).
    let token = k.login(1).await;
    let (s, v, _) = from(&k, "10.0.0.5", "POST", "/api/v1/counters/1/call-next", Some(&token), None, "").await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn a_ticket_number_rates_only_from_an_enrolled_device() {
    let k = kiosk().await;
    let (id, number) = finished(&k).await;
    // Anyone who saw A001 on the hall display: refused.
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_number": number, "level": "rat_hai_long"})).await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );
    // A made-up or copied device token: refused too.
    assert_error(
        &k.send("POST", "/api/v1/ratings", Some("not-a-device"), Some(&json!({"ticket_number": number, "level": "hai_long"}).to_string()))
            .await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );
    // The manager enrols the rating tablet beside counter 1 (`kioskd enroll-device`, beside the
    // running service); its token rates by number.
    let now = firmware::auth::unix_ms();
    let token = firmware::service::enroll_device_beside(&database(&k), "tablet-1", now).unwrap().expect("enrolled");
    assert_eq!(firmware::service::enroll_device_beside(&database(&k), "tablet-1", now).unwrap(), None, "one live device per name");
    let (s, v) =
        k.send("POST", "/api/v1/ratings", Some(&token), Some(&json!({"ticket_number": number, "level": "hai_long"}).to_string())).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // It is listed on /admin, with its last use; revoked, its token no longer rates.
    let m = manager(&k).await;
    let (_, list) = k.get_with_token("/api/v1/admin/devices", &m).await;
    assert_eq!(list["devices"][0]["name"], "tablet-1", "{list}");
    assert!(list["devices"][0]["last_used_at"].is_string(), "{list}");
    let (s, _) = k.send("POST", "/api/v1/admin/devices/tablet-1/revoke", Some(&m), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, second) = finished(&k).await;
    assert_error(
        &k.send("POST", "/api/v1/ratings", Some(&token), Some(&json!({"ticket_number": second, "level": "hai_long"}).to_string())).await,
        StatusCode::FORBIDDEN,
        "device_not_enrolled",
    );
    // The ticket's own id (the secret in its QR) rates from any phone.
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "hai_long"})).await,
        StatusCode::CONFLICT,
        "already_rated",
    );
    let (third_id, _) = finished(&k).await;
    let (s, v) = k.post("/api/v1/ratings", None, json!({"ticket_id": third_id, "level": "rat_hai_long"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // The ticket page holds the id, so it offers the rating (once finished).
    let (s, page) = k.get(&format!("/t/{third_id}")).await;
    assert_eq!(s, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(page.contains(&format!("data-ticket=\"{third_id}\"")) && page.contains("/assets/rate.js"), "{page}");
}

/// The QR codes on the last printed document whose file name contains `kind`.
fn printed_qr(data_dir: &Path, kind: &str) -> Vec<String> {
    let mut pngs: Vec<_> = std::fs::read_dir(data_dir.join("receipts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png") && p.file_name().unwrap().to_string_lossy().contains(kind))
        .collect();
    pngs.sort();
    let page = printer::Bitmap::read_png(&std::fs::read(pngs.last().expect("a printed document")).unwrap()).unwrap();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
        if page.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

#[tokio::test]
async fn a_dossier_rates_with_the_secret_of_its_receipt_slip() {
    let k = kiosk().await;
    let t = k.login(2).await;
    let (s, d) = k
        .post("/api/v1/dossiers", Some(&t), json!({"procedure": "2.000815", "channel": "direct", "applicant_name": "Trần Văn Bình"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let code = d["code"].as_str().unwrap().to_string();
    assert!(d.get("key").is_none() && !d.to_string().contains("?k="), "the officer is not told the secret: {d}");
    // The slip's QR: /d/<code>?k=<secret>.
    let qr = printed_qr(&k.service.config().data_dir, "receipt");
    let url = qr.iter().find(|u| u.contains(&format!("/d/{code}?k="))).unwrap_or_else(|| panic!("{qr:?}"));
    let key = url.split("?k=").nth(1).unwrap().to_string();
    assert!(key.len() >= 32, "{key}");
    k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&t), json!({"status": 4})).await;
    let (s, _) = k.post(&format!("/api/v1/dossiers/{code}/status"), Some(&t), json!({"status": 9})).await;
    assert_eq!(s, StatusCode::OK);

    // The code is public (sequential, looked up by anyone): alone, or with a wrong key, refused.
    for body in [
        json!({"dossier_code": code, "level": "hai_long"}),
        json!({"dossier_code": code, "dossier_key": "0".repeat(32), "level": "hai_long"}),
    ] {
        assert_error(&k.post("/api/v1/ratings", None, body).await, StatusCode::FORBIDDEN, "device_not_enrolled");
    }
    // The page offers the rating only with the secret, and keeps its security headers.
    let (_, plain, _) = from(&k, "10.0.0.5", "GET", &format!("/d/{code}"), None, None, "").await;
    assert!(!plain.as_str().unwrap().contains("id=\"rate\""), "no rating without the slip's secret");
    let (s, page, headers) = from(&k, "10.0.0.5", "GET", &format!("/d/{code}?k={key}"), None, None, "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.as_str().unwrap().contains(&format!("data-key=\"{key}\"")), "{page}");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers["x-frame-options"], "DENY");
    // With it, the citizen's phone rates, once.
    let (s, v) = k.post("/api/v1/ratings", None, json!({"dossier_code": code, "dossier_key": key, "level": "rat_hai_long"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_error(
        &k.post("/api/v1/ratings", None, json!({"dossier_code": code, "dossier_key": key, "level": "hai_long"})).await,
        StatusCode::CONFLICT,
        "already_rated",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_wrong_pins_from_one_address_runs_few_verifications_and_locks_nobody_else_out() {
    let k = kiosk().await;
    let before = k.service.pin_verifications();
    let storm: Vec<_> = (0..100)
        .map(|i| {
            let app = k.app.clone();
            tokio::spawn(async move {
                let mut req = Request::post("/api/v1/counters/1/login")
                    .header("content-type", "application/json")
                    .body(Body::from(format!(r#"{{"pin": "{:04}"}}"#, 2000 + i)))
                    .unwrap();
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>("10.0.0.66:5000".parse().unwrap()));
                app.oneshot(req).await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in storm {
        statuses.push(t.await.unwrap());
    }
    let verified = k.service.pin_verifications() - before;
    assert!(verified <= u64::from(firmware::auth::FREE_ATTEMPTS), "{verified} PINs verified for 100 guesses");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count() as u64, verified);
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count() as u64, 100 - verified);
    // The officer at another address signs in at once; the guesser stays locked, even with the right PIN.
    let (s, v, _) = from(&k, "10.0.0.5", "POST", "/api/v1/counters/1/login", None, Some("application/json"), r#"{"pin": "1111"}"#).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v, _) = from(&k, "10.0.0.66", "POST", "/api/v1/counters/1/login", None, Some("application/json"), r#"{"pin": "1111"}"#).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));

    // A restart forgets nothing: the guesser is still locked.
    let config = k.service.config().clone();
    let dir = k._dir;
    drop(k.app);
    drop(k.service);
    let restarted = firmware::server::start(config, k.clock.clone()).await.unwrap();
    let again = Kiosk { app: firmware::server::app(restarted.clone()), service: restarted, clock: k.clock, _dir: dir };
    let (s, _, _) =
        from(&again, "10.0.0.66", "POST", "/api/v1/counters/1/login", None, Some("application/json"), r#"{"pin": "1111"}"#).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.service.pin_verifications(), 0);
}

#[tokio::test]
async fn logging_out_kills_the_token_also_after_a_restart() {
    let k = kiosk().await;
    let token = k.login(3).await;
    let other = k.login(3).await;
    let (s, _) = k.send("POST", "/api/v1/counters/3/logout", Some(&token), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_error(&k.post("/api/v1/counters/3/call-next", Some(&token), json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_error(&k.send("POST", "/api/v1/counters/3/logout", Some(&token), None).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let m = manager(&k).await;
    let (s, _) = k.send("POST", "/api/v1/manager/logout", Some(&m), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_error(&k.get_with_token("/api/v1/admin/figures", &m).await, StatusCode::UNAUTHORIZED, "unauthenticated");

    let config = k.service.config().clone();
    let dir = k._dir;
    drop(k.app);
    drop(k.service);
    let restarted = firmware::server::start(config, k.clock.clone()).await.unwrap();
    let again = Kiosk { app: firmware::server::app(restarted.clone()), service: restarted, clock: k.clock, _dir: dir };
    assert_error(&again.post("/api/v1/counters/3/call-next", Some(&token), json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (s, _) = again.post("/api/v1/counters/3/call-next", Some(&other), json!({})).await;
    assert!(s == StatusCode::OK || s == StatusCode::NO_CONTENT, "the other session lives on: {s}");
}

/// Read an event stream until `until` appears (or 3 s pass); the text read.
async fn stream(k: &Kiosk, token: Option<&str>, until: &str) -> String {
    let mut req = Request::get("/api/v1/events?since=0");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = k.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.into_body();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    while !text.contains(until) {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => text.push_str(std::str::from_utf8(&frame.into_data().unwrap_or_default()).unwrap()),
            _ => break,
        }
    }
    text
}

#[tokio::test]
async fn the_anonymous_event_stream_carries_no_dossier_and_no_rating() {
    let k = kiosk().await;
    let t = k.login(2).await;
    let (_, d) =
        k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "2.000815", "channel": "direct", "applicant_name": "Lê Thị Hoa"})).await;
    let code = d["code"].as_str().unwrap().to_string();
    let (id, _) = finished(&k).await;
    k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "khong_hai_long", "reasons": ["wait_long"]})).await;
    k.issue("B").await; // the last event: the anonymous stream reads up to it

    let public = stream(&k, None, "\"service\":\"B\"").await;
    assert!(public.contains("event: ticket_done") && public.contains("\"service\":\"B\""), "{public}");
    assert!(!public.contains(&code) && !public.contains("dossier_"), "{public}");
    assert!(!public.contains("rating_recorded") && !public.contains("official"), "{public}");
    assert!(!public.contains(&id), "{public}");
    // Staff see everything.
    let staff = stream(&k, Some(&t), "\"service\":\"B\"").await;
    assert!(staff.contains("event: dossier_received") && staff.contains(&code) && staff.contains("event: rating_recorded"), "{staff}");
}

#[tokio::test]
async fn only_the_manager_imports_dossier_statuses() {
    let k = kiosk().await;
    let t = k.login(2).await;
    let (_, d) =
        k.post("/api/v1/dossiers", Some(&t), json!({"procedure": "2.000815", "channel": "direct", "applicant_name": "Lê Thị Hoa"})).await;
    let body = json!({"updates": [{"code": d["code"], "status": 10}]});
    assert_error(&k.post("/api/v1/dossiers/import", Some(&t), body.clone()).await, StatusCode::FORBIDDEN, "wrong_counter");
    let m = manager(&k).await;
    let (s, v) = k.post("/api/v1/dossiers/import", Some(&m), body).await;
    assert_eq!((s, &v["results"][0]["status"]), (StatusCode::OK, &json!(10)), "{v}");
}

#[tokio::test]
async fn costly_public_routes_are_limited_per_client() {
    let k = kiosk_with(|c| c.printer = None).await;
    let print = "/api/v1/procedures/1.001193/print-checklist";
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(from(&k, "10.0.0.77", "POST", print, None, None, "").await);
    }
    assert!(statuses[..3].iter().all(|(s, _, _)| *s == StatusCode::OK), "{statuses:?}");
    let (s, v, h) = &statuses[3];
    assert_eq!((*s, v["error"]["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")));
    assert!(h.contains_key("retry-after"));
    // Another kiosk is not affected.
    assert_eq!(from(&k, "10.0.0.78", "POST", print, None, None, "").await.0, StatusCode::OK);
    // Walking through the sequential dossier codes stops after a burst.
    let mut last = StatusCode::OK;
    for n in 1..=25 {
        last = from(&k, "10.0.0.79", "GET", &format!("/api/v1/dossiers/000.00.17.H41-260302-{n:04}"), None, None, "").await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_counter_page_says_when_development_pins_are_in_use() {
    let dev = kiosk_with(|c| c.development_pins_allowed = true).await;
    let (_, page) = dev.get("/counter").await;
    assert!(page.as_str().unwrap().contains("id=\"dev-banner\""), "{page}");
    let (_, page) = kiosk().await.get("/counter").await;
    assert!(!page.as_str().unwrap().contains("dev-banner"));
}

#[test]
fn the_shipped_configuration_holds_development_pins_and_is_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = firmware::Config::load(&path).unwrap();
    let err = firmware::cli::refuse_development_pins(&mut config).unwrap_err();
    assert!(err.contains("Quầy số 01") && err.contains("Quầy số 06") && err.contains("manager"), "{err}");
    config.development_pins_allowed = true;
    assert!(firmware::cli::refuse_development_pins(&mut config).is_ok());
    assert!(config.development_pins_allowed, "the banner shows");
    // Fresh PINs: started as is, no banner even with --dev.
    for c in &mut config.counters {
        c.pin_hash = firmware::auth::hash_pin("482193");
    }
    config.manager_pin_hash = Some(firmware::auth::hash_pin("771204"));
    assert!(firmware::cli::refuse_development_pins(&mut config).is_ok());
    assert!(!config.development_pins_allowed);
}
