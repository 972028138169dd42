//! The pages' files, compiled into the binary: a kiosk is one file to install and nothing can
//! go missing from a `static/` folder. Two are written by the service itself from its own
//! lists, so the pages never keep a copy: `events.js` (the event names, from
//! [`crate::events::NAMES`]) and `messages.js` (what each error code means to a person, from
//! [`crate::messages`]).

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::ApiError;
use crate::events::{Event, LAGGED, NAMES};

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// `(file name, content type, contents)` of the files under `/assets/`.
const FILES: &[(&str, &str, &str)] = &[
    ("app.css", CSS, include_str!("assets/app.css")),
    ("admin.css", CSS, include_str!("assets/admin.css")),
    ("citizen.css", CSS, include_str!("assets/citizen.css")),
    ("common.js", JS, include_str!("assets/common.js")),
    ("counter.js", JS, include_str!("assets/counter.js")),
    ("display.js", JS, include_str!("assets/display.js")),
    ("reception.js", JS, include_str!("assets/reception.js")),
    ("printer-status.js", JS, include_str!("assets/printer-status.js")),
    ("help-alert.js", JS, include_str!("assets/help-alert.js")),
    ("admin.js", JS, include_str!("assets/admin.js")),
    ("rate.js", JS, include_str!("assets/rate.js")),
    ("notify.js", JS, include_str!("assets/notify.js")),
];

/// `KioskEvents`: every event name, the queue's (what the counter page and the display follow),
/// the printer's, and the stream's own `lagged`.
static EVENTS_JS: LazyLock<String> = LazyLock::new(|| {
    let queue: Vec<&str> = NAMES.iter().copied().filter(|n| n.starts_with("ticket_")).collect();
    let printer = Event::PrinterStatus(crate::events::PrinterStatus {
        state: String::new(),
        kiosk: None,
        at: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
    });
    let names = json!({"all": NAMES, "queue": queue, "printerStatus": printer.name(), "lagged": LAGGED});
    format!("// The kinds of events on /api/v1/events, written by the service from its own list.\n'use strict';\nconst KioskEvents = Object.freeze({names});\n")
});

/// `KioskMessages`: what each error code means, in Vietnamese and English.
static MESSAGES_JS: LazyLock<String> = LazyLock::new(|| {
    let lang = |pick: fn(crate::messages::Words) -> &'static str| {
        crate::messages::all().map(|(code, words)| (code.to_string(), json!(pick(words)))).collect::<serde_json::Map<_, _>>()
    };
    let table = json!({"vi": lang(|m| m.vi), "en": lang(|m| m.en)});
    format!("// What each error code of the API means to a person, written by the service from its own table.\n'use strict';\nconst KioskMessages = Object.freeze({table});\n")
});

/// The name of every file served under `/assets/`.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FILES.iter().map(|(name, _, _)| *name).collect();
    names.extend(["events.js", "messages.js"]);
    names
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "events.js" => ([(header::CONTENT_TYPE, JS)], EVENTS_JS.as_str()).into_response(),
        "messages.js" => ([(header::CONTENT_TYPE, JS)], MESSAGES_JS.as_str()).into_response(),
        _ => match FILES.iter().find(|(name, _, _)| *name == file) {
            Some((_, content_type, body)) => ([(header::CONTENT_TYPE, *content_type)], *body).into_response(),
            None => ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no asset {file:?}")).into_response(),
        },
    }
}
