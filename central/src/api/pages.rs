//! The pages for people, built one way: a static HTML file, the shared stylesheet and a script
//! per page that reads the JSON API and builds the page with `textContent` (never markup made
//! of data), all compiled into the binary. Every response of central — pages, assets, API —
//! carries the same strict security headers: only this origin's scripts and styles, nothing
//! inline, never inside a frame.
//!
//! - `/`: satisfaction per centre, and per centre, service and month, with the CSV (public, as
//!   the figures are).
//! - `/fleet`: province IT's view of every kiosk, alerts first (admin token, kept in
//!   `sessionStorage` and sent as a bearer header: no cookie, so no CSRF).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::error::ApiError;

/// What a page may load: only this service, no inline script or style, never inside a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const HOME_HTML: &str = include_str!("assets/home.html");
const FLEET_HTML: &str = include_str!("assets/fleet.html");

/// `(file name, content type, contents)` of everything under `/assets/`.
const FILES: &[(&str, &str, &str)] = &[
    ("central.css", "text/css; charset=utf-8", include_str!("assets/central.css")),
    ("common.js", "text/javascript; charset=utf-8", include_str!("assets/common.js")),
    ("home.js", "text/javascript; charset=utf-8", include_str!("assets/home.js")),
    ("fleet.js", "text/javascript; charset=utf-8", include_str!("assets/fleet.js")),
];

pub async fn home() -> Html<&'static str> {
    Html(HOME_HTML)
}

pub async fn fleet() -> Html<&'static str> {
    Html(FLEET_HTML)
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => ([(header::CONTENT_TYPE, *content_type)], *body).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no asset {file:?}")).into_response(),
    }
}

/// On every response, HTML or not.
pub async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages and scripts change with an upgrade of central: always revalidate.
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy forbids inline script and style, so the pages must have none: an inline
    /// `<script>` body, a `<style>` element, a `style=` attribute or an `on…=` handler would be
    /// blocked by the browser and the page would silently break.
    #[test]
    fn pages_hold_nothing_the_policy_would_block() {
        for (name, html) in [("home.html", HOME_HTML), ("fleet.html", FLEET_HTML)] {
            let lower = html.to_ascii_lowercase();
            assert!(!lower.contains("<style"), "{name}: <style>");
            assert!(!lower.contains(" style="), "{name}: style attribute");
            assert!(!lower.contains(" onclick=") && !lower.contains(" onload=") && !lower.contains(" onsubmit="), "{name}: handler");
            for (i, _) in lower.match_indices("<script") {
                let tag_end = i + lower[i..].find('>').unwrap();
                assert!(lower[i..tag_end].contains(" src="), "{name}: inline script");
                assert!(lower[tag_end..].starts_with("></script>"), "{name}: script with a body");
            }
            for (i, _) in lower.match_indices("src=\"").chain(lower.match_indices("href=\"")) {
                let url = &lower[i..].split('"').nth(1).unwrap();
                assert!(url.starts_with('/') || url.starts_with('#'), "{name}: {url} is not this origin");
            }
            assert!(html.contains("lang=\"vi\""), "{name}: Vietnamese first");
        }
        for (name, _, body) in FILES {
            assert!(!body.contains("innerHTML") && !body.contains("insertAdjacentHTML") && !body.contains("eval("), "{name}");
        }
    }
}
