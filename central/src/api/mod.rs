//! The receiver's HTTP API: the kiosks' push route, the staff's listing and figures, a page for
//! people, and the OpenAPI document of all of it at `/api/v1/openapi.json`.

mod error;
mod page;
mod push;
mod staff;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub use error::ApiError;

use crate::{Config, Store};

const OPENAPI: &str = include_str!("openapi.json");

/// 500 ratings of about 1 KiB each, with room to spare.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// What every handler shares.
pub struct App {
    pub config: Config,
    pub store: Store,
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page::home))
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/push/ratings", post(push::push).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/api/v1/ratings", get(staff::list))
        .route("/api/v1/centres", get(staff::centres))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
}

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
}

/// Alive and the database answers.
async fn healthz(axum::extract::State(app): axum::extract::State<Arc<App>>) -> Result<Json<serde_json::Value>, ApiError> {
    app.store.read(|sql| sql.query("SELECT 1", &[])).await?;
    Ok(Json(json!({"status": "ok", "kiosks_registered": app.config.kiosks.len()})))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no route {}; see /api/v1/openapi.json", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}; see /api/v1/openapi.json", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_is_json_and_names_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        for path in ["/", "/healthz", "/api/v1/openapi.json", "/api/v1/push/ratings", "/api/v1/ratings", "/api/v1/centres"] {
            assert!(doc["paths"][path].is_object(), "{path} is not documented");
        }
        let codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"].to_string();
        for code in ["malformed", "bad_hash", "bad_signature", "bad_credential", "chain_gap", "chain_conflict"] {
            assert!(codes.contains(code), "{code}");
        }
    }
}
