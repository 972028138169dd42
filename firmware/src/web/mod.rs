//! The pages the kiosk service serves itself, with every asset embedded in the binary: a
//! centre's LAN has no internet, so no CDN and no separate web server. The staff counter page
//! (`/counter`), the hall display board (`/display`), the manager's figures (`/admin`) and the
//! citizen's follow pages (`/t/<id>`, `/d/<code>`) are all rendered from templates (`pages`);
//! the pages talk to the public API v1 like any other client; this module adds only the voice
//! routes they need (`announce`).
//!
//! Security: every HTML response gets the same headers from [`security_headers`], applied to
//! the whole app in one place (`server::app`), so a new page cannot forget them: no inline
//! script and no third-party origin (CSP), never inside a frame, no referrer, no sniffing.
//! Scripts build every text with `textContent`. Staff actions carry a bearer token held in
//! `sessionStorage` — see `assets/counter.js` for why that makes them CSRF-safe.

mod announce;
mod assets;
mod pages;

use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::Service;

/// What the pages may load: only this service, no inline script, never inside a frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     media-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub use assets::names as asset_names;

/// The page and voice routes, merged beside the API by `server::app`.
pub fn router(service: Service) -> Router {
    Router::new()
        .route("/counter", get(pages::counter))
        .route("/display", get(pages::display))
        .route("/admin", get(pages::admin))
        .route("/t/{id}", get(pages::follow_ticket))
        .route(
            "/d/{code}",
            get(pages::follow_dossier)
                .route_layer(axum::middleware::from_fn_with_state(crate::api::dossier_lookup_limiter(), crate::api::rate_limit)),
        )
        .route("/assets/{file}", get(assets::asset))
        .route("/voice/{file}", get(announce::clip))
        .route("/api/v1/announcements/{number}", get(announce::announcement))
        .route("/api/v1/announcements/{number}/kiosk", get(announce::kiosk_announcement))
        .layer(axum::middleware::map_response(revalidate))
        .with_state(service)
}

/// Pages and scripts change with an upgrade of the kiosk: always revalidate (unless a route
/// said otherwise, like the voice clips).
async fn revalidate(mut resp: Response) -> Response {
    resp.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    resp
}

/// The security headers: on every response no MIME sniffing and no referrer; on every HTML
/// response the strict CSP and no framing.
pub async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    resp
}
