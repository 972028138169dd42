//! The pages' files, compiled into the binary: a kiosk is one file to install and nothing can
//! go missing from a `static/` folder.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;

pub const COUNTER_HTML: &str = include_str!("assets/counter.html");
pub const DISPLAY_HTML: &str = include_str!("assets/display.html");

/// `(file name, content type, contents)` of everything under `/assets/`.
const FILES: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("assets/app.css")),
    ("common.js", "text/javascript; charset=utf-8", include_str!("assets/common.js")),
    ("counter.js", "text/javascript; charset=utf-8", include_str!("assets/counter.js")),
    ("display.js", "text/javascript; charset=utf-8", include_str!("assets/display.js")),
    ("reception.js", "text/javascript; charset=utf-8", include_str!("assets/reception.js")),
    ("printer-status.js", "text/javascript; charset=utf-8", include_str!("assets/printer-status.js")),
];

pub async fn asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => ([(header::CONTENT_TYPE, *content_type)], *body).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no asset {file:?}")).into_response(),
    }
}
