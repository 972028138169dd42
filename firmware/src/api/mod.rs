//! The HTTP API v1 (`shared/docs/api-v1.md`): axum routes that translate requests into
//! `Service` calls and domain errors into `{"error": {"code", "message"}}`. The full contract
//! is served as OpenAPI at `/api/v1/openapi.json`. The pages (`crate::web`) are merged beside
//! these routes by `crate::server::app`.

mod admin;
mod counters;
mod dossiers;
mod error;
mod events;
mod extract;
mod help;
mod procedures;
mod ratelimit;
mod ratings;
mod tickets;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

pub use error::ApiError;
pub use extract::ApiPath;
pub use ratelimit::IssueLimiter;

use crate::Service;

const OPENAPI: &str = include_str!("openapi.json");

/// All routes of the API, ready to serve.
pub fn router(service: Service) -> Router {
    let limiter = IssueLimiter::new(service.config().http.tickets_per_minute_per_client);
    let issue = post(tickets::issue).route_layer(axum::middleware::from_fn_with_state(limiter, ratelimit::limit_issue));
    Router::new()
        .route("/healthz", get(tickets::healthz))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/services", get(tickets::services))
        .route("/api/v1/tickets", issue)
        .route("/api/v1/tickets/{id}", get(tickets::ticket))
        .route("/api/v1/tickets/{id}/cancel", post(tickets::cancel))
        .route("/api/v1/queue", get(tickets::queue))
        .route("/api/v1/stats/today", get(tickets::figures_today))
        .route("/api/v1/events", get(events::events))
        .route("/api/v1/manager/login", post(admin::login))
        .route("/api/v1/admin/figures", get(admin::figures))
        .route("/api/v1/admin/export.csv", get(admin::export))
        .route("/api/v1/ratings/levels", get(ratings::levels))
        .route("/api/v1/ratings/reasons", get(ratings::reasons))
        .route("/api/v1/ratings", post(ratings::rate))
        .route("/api/v1/sync", get(ratings::sync))
        .route("/api/v1/procedures/{code}/print-checklist", post(dossiers::print_checklist))
        .route("/api/v1/appointments/preview", post(dossiers::preview))
        .route("/api/v1/dossiers", post(dossiers::receive))
        .route("/api/v1/dossiers/due-soon", get(dossiers::due_soon))
        .route("/api/v1/dossiers/import", post(dossiers::import))
        .route("/api/v1/dossiers/{code}", get(dossiers::lookup))
        .route("/api/v1/dossiers/{code}/status", post(dossiers::set_status))
        .route("/api/v1/dossiers/{code}/reschedule", post(dossiers::reschedule))
        .route("/api/v1/counters/{n}/login", post(counters::login))
        .route("/api/v1/counters/{n}/call-next", post(counters::call_next))
        .route("/api/v1/counters/{n}/recall", post(counters::recall))
        .route("/api/v1/counters/{n}/start", post(counters::start))
        .route("/api/v1/counters/{n}/no-show", post(counters::no_show))
        .route("/api/v1/counters/{n}/finish", post(counters::finish))
        .route("/api/v1/counters/{n}/transfer", post(counters::transfer))
        .route("/api/v1/help", post(help::request))
        .route("/api/v1/counters/{n}/help", get(help::open))
        .route("/api/v1/counters/{n}/help/{id}/acknowledge", post(help::acknowledge))
        .with_state(service.clone())
        .merge(procedures::router(service.live_catalogue().clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no route {}; see /api/v1/openapi.json", uri.path()))
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}; see /api/v1/openapi.json", uri.path()),
    )
}
