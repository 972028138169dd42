//! The staff counter page (`/counter`) and the hall display board (`/display`), served by the
//! kiosk service itself with every asset embedded in the binary: a centre's LAN has no internet,
//! so no CDN and no separate web server. The pages talk to the public API v1 like any other
//! client; this module adds only the voice routes they need (`announce`).
//!
//! Security: pages forbid inline script and third-party origins (CSP), cannot be framed, and
//! build every text with `textContent`. Counter actions carry the counter's bearer token, held
//! in `sessionStorage` — see `assets/counter.js` for why that makes them CSRF-safe.

mod announce;
mod assets;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::Service;

/// What the pages may load: only this service, no inline script, never inside a frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     media-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The page and voice routes, merged into the API router.
pub fn router(service: Service) -> Router {
    Router::new()
        .route("/counter", get(counter_page))
        .route("/display", get(display_page))
        .route("/assets/{file}", get(assets::asset))
        .route("/voice/{file}", get(announce::clip))
        .route("/api/v1/announcements/{number}", get(announce::announcement))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(service)
}

async fn counter_page(State(service): State<Service>) -> Html<String> {
    Html(with_centre(assets::COUNTER_HTML, &service))
}

async fn display_page(State(service): State<Service>) -> Html<String> {
    Html(with_centre(assets::DISPLAY_HTML, &service))
}

/// The page with the centre's name (from the configuration, so escaped) in its header.
fn with_centre(page: &str, service: &Service) -> String {
    page.replace("{{centre}}", &escape_html(&service.config().centre.name))
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

async fn security_headers(mut resp: Response) -> impl IntoResponse {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages and scripts change with an upgrade of the kiosk: always revalidate.
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_the_centre_name() {
        assert_eq!(escape_html(r#"<b>"Hòa" & 'Phú'</b>"#), "&lt;b&gt;&quot;Hòa&quot; &amp; &#39;Phú&#39;&lt;/b&gt;");
    }
}
