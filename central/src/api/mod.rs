//! The receiver's HTTP API: the kiosks' routes (ratings, heartbeats, catalogue bundles), the
//! staff's listing, figures and fleet view, the pages for people, and the OpenAPI document of
//! all of it at `/api/v1/openapi.json`.

mod bundle;
mod error;
mod fleet;
mod heartbeat;
mod pages;
mod push;
mod staff;

use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub use error::ApiError;

use crate::config::Kiosk;
use crate::{Config, Store};

const OPENAPI: &str = include_str!("openapi.json");

/// 500 ratings of about 1 KiB each, with room to spare.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// What every handler shares. Nothing here is state a second `central` would need: the
/// bundle cache is only a copy of a row, checked against the database on every request.
pub struct App {
    pub config: Config,
    pub store: Store,
    /// The body of the newest catalogue bundle, by ETag, so a thousand kiosks polling do not
    /// each read megabytes from the database.
    pub bundle_cache: Mutex<Option<(String, Arc<str>)>>,
}

impl App {
    pub fn new(config: Config, store: Store) -> App {
        App { config, store, bundle_cache: Mutex::new(None) }
    }

    /// The registered kiosk whose credential the request carries.
    fn kiosk(&self, headers: &HeaderMap) -> Result<Kiosk, ApiError> {
        let token = bearer(headers).ok_or_else(|| ApiError::bad_credential("send the kiosk's credential as Authorization: Bearer …"))?;
        self.config.kiosks.by_credential(token).cloned().ok_or_else(|| ApiError::bad_credential("this credential is not registered"))
    }

    /// Only the province's staff (the admin token) may go on.
    fn require_admin(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        match (&self.config.admin_token_sha256, bearer(headers)) {
            (None, _) => Err(ApiError::bad_credential("no admin token is configured (admin_token_sha256): staff routes are off")),
            (Some(_), None) => Err(ApiError::bad_credential("send the admin token as Authorization: Bearer …")),
            (Some(_), Some(token)) if !self.config.is_admin(token) => Err(ApiError::bad_credential("wrong admin token")),
            _ => Ok(()),
        }
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/fleet", get(pages::fleet))
        .route("/assets/{file}", get(pages::asset))
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/push/ratings", post(push::push).layer(DefaultBodyLimit::max(MAX_BODY)))
        .route("/api/v1/push/heartbeat", post(heartbeat::heartbeat).layer(DefaultBodyLimit::max(crate::heartbeat::MAX_BODY)))
        .route("/api/v1/catalogue/bundle", get(bundle::bundle))
        .route("/api/v1/ratings", get(staff::list))
        .route("/api/v1/centres", get(staff::centres))
        .route("/api/v1/satisfaction", get(staff::satisfaction))
        .route("/api/v1/satisfaction.csv", get(staff::satisfaction_csv))
        .route("/api/v1/fleet", get(fleet::fleet))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(pages::security_headers))
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

/// Alive and the database answers; the newest catalogue bundle published.
async fn healthz(axum::extract::State(app): axum::extract::State<Arc<App>>) -> Result<Json<serde_json::Value>, ApiError> {
    let latest = app.store.read(crate::bundles::latest).await?;
    Ok(Json(json!({
        "status": "ok",
        "kiosks_registered": app.config.kiosks.len(),
        "catalogue": latest.map(|l| json!({"version": l.version, "published_at": l.published_at})),
    })))
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
        for path in [
            "/",
            "/fleet",
            "/healthz",
            "/api/v1/openapi.json",
            "/api/v1/push/ratings",
            "/api/v1/push/heartbeat",
            "/api/v1/catalogue/bundle",
            "/api/v1/ratings",
            "/api/v1/centres",
            "/api/v1/satisfaction",
            "/api/v1/satisfaction.csv",
            "/api/v1/fleet",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is not documented");
        }
        let codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"].to_string();
        for code in [
            "malformed",
            "bad_hash",
            "bad_signature",
            "bad_credential",
            "chain_gap",
            "chain_conflict",
            "stale_heartbeat",
            "no_catalogue",
            "bad_query",
        ] {
            assert!(codes.contains(code), "{code}");
        }
        let alerts = doc["components"]["schemas"]["Alert"]["properties"]["code"]["enum"].to_string();
        for (code, _) in crate::alerts::ALERTS {
            assert!(alerts.contains(code), "alert {code} is not documented");
        }
    }
}
