//! The test kiosk shared by the HTTP tests: the shipped configuration on a fresh SQLite file in
//! a temporary directory, a manual clock, and a JSON client over the router.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::{Config, Service};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

pub struct Kiosk {
    pub app: axum::Router,
    pub service: Service,
    pub clock: Arc<ManualClock>,
    pub _dir: tempfile::TempDir,
}

/// The shipped configuration, on a fresh database, at Monday 2 March 2026 09:00.
pub async fn kiosk_with(edit: impl FnOnce(&mut Config)) -> Kiosk {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.http.tickets_per_minute_per_client = 1000;
    edit(&mut config);
    let clock = Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 0)));
    let service = firmware::server::start(config, clock.clone()).await.unwrap();
    Kiosk { app: firmware::server::app(service.clone()), service, clock, _dir: dir }
}

pub async fn kiosk() -> Kiosk {
    kiosk_with(|_| {}).await
}

impl Kiosk {
    pub async fn send(&self, method: &str, uri: &str, token: Option<&str>, body: Option<&str>) -> (StatusCode, Value) {
        self.send_as(method, uri, token, body.map(|_| "application/json"), body).await
    }

    /// Like `send`, with the Content-Type chosen by the caller (or none).
    pub async fn send_as(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let mut req = req.body(Body::from(body.unwrap_or("").to_string())).unwrap();
        req.extensions_mut().insert(ConnectInfo::<SocketAddr>("10.0.0.5:5000".parse().unwrap()));
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        assert!(status.as_u16() < 500, "{method} {uri} gave {status}: {value}");
        (status, value)
    }

    pub async fn get_with_token(&self, uri: &str, token: &str) -> (StatusCode, Value) {
        self.send("GET", uri, Some(token), None).await
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        self.send("GET", uri, None, None).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.send("POST", uri, token, Some(&body.to_string())).await
    }

    pub async fn issue(&self, service: &str) -> Value {
        let (s, v) = self.post("/api/v1/tickets", None, json!({"service": service, "priority": null})).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }

    pub async fn login(&self, counter: u32) -> String {
        let pin = format!("{counter}").repeat(4);
        let (s, v) = self.post(&format!("/api/v1/counters/{counter}/login"), None, json!({"pin": pin})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["token"].as_str().unwrap().to_string()
    }
}

pub fn assert_error(got: &(StatusCode, Value), status: StatusCode, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{}", got.1);
    assert!(got.1["error"]["message"].as_str().is_some_and(|m| m.len() > 5), "{}", got.1);
}

/// Every file under `dir` (the database, its log, receipts, keys) with its bytes.
pub fn every_file(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

/// The files under `dir` that hold `needle` anywhere in their bytes.
pub fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    every_file(dir)
        .iter()
        .filter(|(_, b)| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p.display().to_string())
        .collect()
}
