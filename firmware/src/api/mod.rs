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
pub use ratelimit::ClientLimiter;

use crate::Service;

const OPENAPI: &str = include_str!("openapi.json");

/// All routes of the API, ready to serve. `assets` names the files under `/assets/` (served by
/// `crate::web`), for the document.
pub fn router(service: Service, assets: &[&str]) -> Router {
    // Made per request: the catalogue's fields change when central's catalogue is swapped in.
    let assets: Vec<String> = assets.iter().map(|a| a.to_string()).collect();
    let for_document = service.clone();
    let per_minute = service.config().http.tickets_per_minute_per_client;
    let limited = |route: axum::routing::MethodRouter<Service>, limiter: ClientLimiter| {
        route.route_layer(axum::middleware::from_fn_with_state(limiter, ratelimit::limit))
    };
    let issue = limited(post(tickets::issue), ClientLimiter::new(per_minute, per_minute, "tickets are requested"));
    let print = limited(post(dossiers::print_checklist), ClientLimiter::new(6, 3, "checklists are printed"));
    // A rating follows a ticket: the same configured rate per client.
    let rate = limited(post(ratings::rate), ClientLimiter::new(per_minute, per_minute, "ratings are sent"));
    let lookup = limited(get(dossiers::lookup), dossier_lookup_limiter());
    // A phone number per ticket for SMS notices: each one may cost the centre a message.
    let notify = limited(post(tickets::notify), ClientLimiter::new(per_minute, per_minute, "phone numbers are left"));
    Router::new()
        .route("/healthz", get(tickets::healthz))
        .route("/api/v1/openapi.json", get(move || openapi(document(&for_document, &assets))))
        .route("/api/v1/services", get(tickets::services))
        .route("/api/v1/tickets", issue)
        .route("/api/v1/tickets/{id}", get(tickets::ticket))
        .route("/api/v1/tickets/{id}/cancel", post(tickets::cancel))
        .route("/api/v1/tickets/{id}/printed", post(tickets::printed))
        .route("/api/v1/tickets/{id}/notify", notify)
        .route("/api/v1/centre", get(tickets::centre))
        .route("/api/v1/kiosks/printer", post(tickets::kiosk_printer))
        .route("/api/v1/queue", get(tickets::queue))
        .route("/api/v1/stats/today", get(tickets::figures_today))
        .route("/api/v1/events", get(events::events))
        .route("/api/v1/manager/login", post(admin::login))
        .route("/api/v1/manager/logout", post(admin::logout))
        .route("/api/v1/admin/devices", get(admin::devices))
        .route("/api/v1/admin/devices/{name}/revoke", post(admin::revoke_device))
        .route("/api/v1/admin/figures", get(admin::figures))
        .route("/api/v1/admin/export.csv", get(admin::export))
        .route("/api/v1/ratings/levels", get(ratings::levels))
        .route("/api/v1/ratings/reasons", get(ratings::reasons))
        .route("/api/v1/ratings", rate)
        .route("/api/v1/sync", get(ratings::sync))
        .route("/api/v1/procedures/{code}/print-checklist", print)
        .route("/api/v1/appointments/preview", post(dossiers::preview))
        .route("/api/v1/dossiers", post(dossiers::receive))
        .route("/api/v1/dossiers/due-soon", get(dossiers::due_soon))
        .route("/api/v1/dossiers/import", post(dossiers::import))
        .route("/api/v1/dossiers/{code}", lookup)
        .route("/api/v1/dossiers/{code}/status", post(dossiers::set_status))
        .route("/api/v1/dossiers/{code}/reschedule", post(dossiers::reschedule))
        .route("/api/v1/counters/{n}/login", post(counters::login))
        .route("/api/v1/counters/{n}/logout", post(counters::logout))
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
        .layer(axum::middleware::from_fn(extract::json_writes_only))
}

/// Dossier lookups per client (the API's and the `/d/` page's): codes are sequential, so a
/// client must not walk through them.
pub fn dossier_lookup_limiter() -> ClientLimiter {
    ClientLimiter::new(60, 20, "dossiers are looked up")
}

pub use ratelimit::limit as rate_limit;

async fn openapi(document: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document)
}

/// The OpenAPI document with what this site's configuration decides filled in where the
/// static document marks it (`"x-kiosk-config": "<what>"`): the counters, services, priority
/// categories, rating levels and reasons, catalogue fields and asset files as `enum`s, and the
/// shape of ticket numbers and dossier codes as `pattern`s — so a client (or a fuzzer) reading
/// it knows exactly what this kiosk accepts.
pub fn document(service: &Service, assets: &[String]) -> String {
    use serde_json::{json, Value};
    let config = service.config();
    let services: Vec<&str> = config.services.iter().map(|s| s.code.as_str()).collect();
    let fill = |what: &str, schema: &mut serde_json::Map<String, Value>| match what {
        "counters" => {
            schema.insert("enum".into(), json!(config.counters.iter().map(|c| c.number).collect::<Vec<_>>()));
        }
        "services" => {
            schema.insert("enum".into(), json!(services));
        }
        "priorities" => {
            let mut codes: Vec<Value> = config.priorities.iter().map(|p| json!(p.code)).collect();
            codes.push(Value::Null);
            schema.insert("enum".into(), Value::Array(codes));
        }
        "rating_levels" => {
            schema.insert("enum".into(), json!(config.ratings.levels.iter().map(|l| &l.code).collect::<Vec<_>>()));
        }
        "rating_reasons" => {
            schema.insert("enum".into(), json!(config.ratings.reasons.iter().map(|r| &r.code).collect::<Vec<_>>()));
        }
        "fields" => {
            // The empty string means every field.
            let catalog = service.catalog();
            let mut codes = vec![""];
            codes.extend(catalog.fields().iter().map(|f| f.code.as_str()));
            schema.insert("enum".into(), json!(codes));
        }
        "assets" => {
            schema.insert("enum".into(), json!(assets));
        }
        "ticket_number" => {
            schema.insert("pattern".into(), json!(format!("^({})[0-9]{{3}}$", services.join("|"))));
        }
        "dossier_code" => {
            schema.insert("pattern".into(), json!(config.dossier_codes.printed_pattern(&config.centre.agency_code)));
        }
        other => panic!("openapi.json: unknown x-kiosk-config {other:?}"),
    };
    fn walk(v: &mut Value, fill: &dyn Fn(&str, &mut serde_json::Map<String, Value>)) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(what)) = map.remove("x-kiosk-config") {
                    fill(&what, map);
                }
                map.values_mut().for_each(|v| walk(v, fill));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, fill)),
            _ => {}
        }
    }
    let mut doc: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
    walk(&mut doc, &fill);
    doc.to_string()
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
