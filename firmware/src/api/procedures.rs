//! `/api/v1/procedures`: the public HTTP face of the catalogue (see `docs/api-v1.md`). Bad
//! query parameters are a 400 that says what to fix, never a 500.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::ApiError;

use crate::service::LiveCatalogue;
use catalogue::{field_code, nfc, Catalog, Level, OnlineLevel, Procedure};

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;
const MAX_QUERY_CHARS: usize = 200;

/// The procedure routes, with the live catalogue attached: `.merge()` it into the app. Each
/// request reads the catalogue in use when it arrives (a bundle installed meanwhile serves the
/// next request).
pub fn router(catalog: Arc<LiveCatalogue>) -> Router {
    Router::new()
        .route("/api/v1/procedures", get(list))
        .route("/api/v1/procedures/fields", get(fields))
        .route("/api/v1/procedures/{code}", get(detail))
        .route("/api/v1/procedures/{code}/checklist", get(checklist))
        .with_state(catalog)
}

fn bad_request(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message)
}

#[derive(Deserialize)]
struct ListParams {
    q: Option<String>,
    field: Option<String>,
    limit: Option<String>,
}

/// One line of a result list.
#[derive(Serialize)]
struct Summary<'a> {
    /// The catalogue's key (for `/api/v1/procedures/{code}`), a local placeholder included.
    code: &'a str,
    /// The code to show as "Mã thủ tục"; null while `code` is a placeholder (show "đang cập nhật").
    public_code: Option<&'a str>,
    name: &'a str,
    field: &'a str,
    field_code: String,
    level: Level,
    agency: &'a str,
    service: &'a str,
    online_level: OnlineLevel,
    /// Time limit and fee at the counter (or of the only channel).
    time_limit: Option<&'a str>,
    fee: Option<&'a str>,
}

impl<'a> From<&'a Procedure> for Summary<'a> {
    fn from(p: &'a Procedure) -> Self {
        let counter = p.counter_channel();
        Summary {
            code: &p.code,
            public_code: p.public_code(),
            name: &p.name,
            field: &p.field,
            field_code: field_code(&p.field),
            level: p.level,
            agency: &p.agency,
            service: &p.service,
            online_level: p.online_level,
            time_limit: counter.map(|c| c.time_limit.text.as_str()),
            fee: counter.map(|c| c.fee.text.as_str()),
        }
    }
}

async fn list(State(live): State<Arc<LiveCatalogue>>, params: Result<Query<ListParams>, QueryRejection>) -> Result<Json<Value>, ApiError> {
    let catalog = live.load();
    let Query(params) = params.map_err(|e| {
        bad_request("bad_query", format!("cannot read the query string ({e}); use ?q=<text>&field=<field code>&limit=<1-100>"))
    })?;
    // An empty `limit=` is not a number either (the contract says integer): refused like "abc".
    let limit = match params.limit.as_deref().map(str::trim) {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(bad_request("bad_limit", format!("limit \"{text}\" must be a whole number from 1 to {MAX_LIMIT}"))),
        },
    };
    // Counted as typed (what the OpenAPI document's maxLength counts), before NFC.
    let typed = params.q.as_deref().unwrap_or("");
    let q = nfc(typed);
    if typed.chars().count() > MAX_QUERY_CHARS {
        return Err(bad_request("query_too_long", format!("q must be at most {MAX_QUERY_CHARS} characters")));
    }
    // An empty field (a form's "all fields") is no filter; anything else must be a field.
    let field = params.field.as_deref().map(nfc).filter(|f| !f.is_empty());
    if let Some(f) = &field {
        if catalog.field(f).is_none() {
            let known: Vec<&str> = catalog.fields().iter().map(|f| f.code.as_str()).collect();
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_field",
                format!("field \"{f}\" is not in the catalogue; use one of: {}", known.join(", ")),
            ));
        }
    }
    let found = catalog.search(&q, field.as_deref(), limit);
    let results: Vec<Summary> = found.results.into_iter().map(Summary::from).collect();
    // `outcome` says how to word the answer; with `no_match`, `fields` are offered instead.
    Ok(Json(json!({
        "results": results,
        "total": found.total,
        "outcome": found.outcome,
        "unmatched": found.unmatched,
        "fields": found.fields,
    })))
}

async fn fields(State(live): State<Arc<LiveCatalogue>>) -> Json<Value> {
    Json(json!(live.load().fields()))
}

fn find<'a>(catalog: &'a Catalog, code: &str) -> Result<&'a Procedure, ApiError> {
    catalog.get(code).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_procedure",
            format!("no procedure with code \"{code}\"; search with GET /api/v1/procedures?q=…"),
        )
    })
}

async fn detail(State(live): State<Arc<LiveCatalogue>>, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let catalog = live.load();
    let p = find(&catalog, &code)?;
    let mut record = json!(p);
    record["field_code"] = json!(field_code(&p.field));
    record["public_code"] = json!(p.public_code());
    Ok(Json(record))
}

async fn checklist(State(live): State<Arc<LiveCatalogue>>, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let list = find(&live.load(), &code)?.checklist();
    let lines = list.lines();
    let mut body = json!(list);
    body["lines"] = json!(lines);
    Ok(Json(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use catalogue::testing::sample;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn app() -> Router {
        let mut b = sample("1.004222", "Đăng ký thường trú");
        b.field = "Cư trú".into();
        let catalog = Catalog::from_procedures(vec![sample("1.001193", "Đăng ký khai sinh"), b]).unwrap();
        router(Arc::new(LiveCatalogue::fixed(catalog)))
    }

    async fn get(uri: &str) -> (StatusCode, Value) {
        let response = app().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn search_returns_summaries_best_first() {
        let (status, body) = get("/api/v1/procedures?q=%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh&limit=5").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 1);
        let first = &body["results"][0];
        assert_eq!(first["code"], "1.001193");
        assert_eq!(first["name"], "Đăng ký khai sinh");
        assert_eq!(first["field"], "Hộ tịch");
        assert_eq!(first["field_code"], "ho-tich");
        assert_eq!(first["level"], "commune");
        assert_eq!(first["time_limit"], "03 ngày làm việc");
        assert_eq!(first["public_code"], "1.001193");
        assert_eq!(body["outcome"], "found");
        assert_eq!(body["unmatched"], json!([]));
        assert_eq!(body["fields"], json!([]), "fields are offered only when nothing matched");
    }

    #[tokio::test]
    async fn nothing_matched_offers_the_fields_instead() {
        let (status, body) = get("/api/v1/procedures?q=cho%20t%C3%B4i%20h%E1%BB%8Fi").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["outcome"], "no_match", "{body}");
        assert_eq!(body["results"], json!([]));
        assert_eq!(
            body["fields"],
            json!([{"code": "cu-tru", "name": "Cư trú", "count": 1}, {"code": "ho-tich", "name": "Hộ tịch", "count": 1}])
        );
        let (_, body) = get("/api/v1/procedures?q=khai%20sinh%20xyzzyq").await;
        assert_eq!(body["outcome"], "partial", "{body}");
        assert_eq!(body["unmatched"], json!(["xyzzyq"]));
        assert_eq!(body["results"][0]["code"], "1.001193");
    }

    #[tokio::test]
    async fn a_placeholder_code_has_no_public_code() {
        let mut p = sample("CXN.301", "Tách hộ");
        p.unconfirmed = vec![catalogue::Unconfirmed::Code];
        let app = router(Arc::new(LiveCatalogue::fixed(Catalog::from_procedures(vec![p]).unwrap())));
        for uri in ["/api/v1/procedures/CXN.301", "/api/v1/procedures?q=tach%20ho"] {
            let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let body: Value = serde_json::from_slice(&bytes).unwrap();
            let record = if body["results"].is_array() { &body["results"][0] } else { &body };
            assert_eq!(record["code"], "CXN.301", "{uri}: still the key");
            assert_eq!(record["public_code"], Value::Null, "{uri}: {body}");
        }
    }

    #[tokio::test]
    async fn field_filter_and_browsing() {
        let (status, body) = get("/api/v1/procedures?field=cu-tru").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 1);
        assert_eq!(body["results"][0]["code"], "1.004222");
        let (status, body) = get("/api/v1/procedures?q=dang+ky&field=xay-dung").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "unknown_field");
        assert!(body["error"]["message"].as_str().unwrap().contains("cu-tru, ho-tich"), "{body}");
    }

    #[tokio::test]
    async fn bad_limits_are_400_with_a_message() {
        for limit in ["abc", "0", "101", "-1", "2.5", ""] {
            let (status, body) = get(&format!("/api/v1/procedures?q=khai&limit={limit}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "limit={limit}");
            assert_eq!(body["error"]["code"], "bad_limit");
            assert!(body["error"]["message"].as_str().unwrap().contains("from 1 to 100"));
        }
        let (status, body) = get(&format!("/api/v1/procedures?q={}", "a".repeat(201))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("query_too_long")));
    }

    #[tokio::test]
    async fn a_record_by_code_or_404() {
        let (status, body) = get("/api/v1/procedures/1.001193").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["channels"][0]["kind"], "direct");
        assert_eq!(body["documents"][0]["originals"], 1);
        assert_eq!(body["field_code"], "ho-tich");
        let (status, _) = get("/api/v1/procedures/1001193").await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = get("/api/v1/procedures/9.999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "unknown_procedure");
    }

    #[tokio::test]
    async fn fields_and_checklist() {
        let (status, body) = get("/api/v1/procedures/fields").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!([{"code": "cu-tru", "name": "Cư trú", "count": 1}, {"code": "ho-tich", "name": "Hộ tịch", "count": 1}]));
        let (status, body) = get("/api/v1/procedures/1.004222/checklist").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["documents"][0]["count"], "1 bản chính");
        assert!(body["lines"].as_array().unwrap().iter().any(|l| l == "[ ] 1. Tờ khai: 1 bản chính"), "{body}");
    }
}
