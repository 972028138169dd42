//! Every HTML page the kiosk serves, rendered from the templates in `templates/` (MiniJinja,
//! compiled into the binary): `/counter` and `/display` (which then live on the API and the
//! event stream), `/admin`, and the citizen's `/t/<id>` and `/d/<code>`. Values are escaped by
//! the one escaper, [`crate::text::escape_html`]; pages load their scripts and styles from
//! `/assets/` only, so the strict CSP set on every HTML response holds for all of them.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, Output, State as TemplateState, Value};
use serde::Serialize;

use crate::api::ApiPath;
use crate::queue::TicketStatus;
use crate::service::{PublicDossier, ServiceError, TicketView};
use crate::text::escape_html;
use crate::time::clock_and_date;
use crate::Service;

const TEMPLATES: &[(&str, &str)] = &[
    ("page.html", include_str!("templates/page.html")),
    ("citizen.html", include_str!("templates/citizen.html")),
    ("ticket.html", include_str!("templates/ticket.html")),
    ("dossier.html", include_str!("templates/dossier.html")),
    ("counter.html", include_str!("templates/counter.html")),
    ("display.html", include_str!("templates/display.html")),
    ("admin.html", include_str!("templates/admin.html")),
];

/// Values written into HTML go through our one escaper (it leaves `/` alone, as the pages expect).
fn formatter(out: &mut Output, state: &mut TemplateState, value: &Value) -> Result<(), Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    let text = value.to_string();
    let escaped = if value.is_safe() || *state.auto_escape() == AutoEscape::None { text } else { escape_html(&text) };
    out.write_str(&escaped).map_err(Error::from)
}

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(formatter);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env
});

/// Render `template` with `context`.
fn render(template: &str, context: impl Serialize) -> Html<String> {
    let page = PAGES.get_template(template).and_then(|t| t.render(Value::from(Serde(context))));
    Html(page.unwrap_or_else(|e| panic!("template {template}: {e}")))
}

#[derive(Serialize)]
struct Centre<'a> {
    centre: &'a str,
}

#[derive(Serialize)]
struct CounterPage<'a> {
    centre: &'a str,
    /// Started with `--dev`: a banner says the development PINs are in use.
    development_pins: bool,
}

pub async fn counter(State(service): State<Service>) -> Html<String> {
    let config = service.config();
    render("counter.html", CounterPage { centre: &config.centre.name, development_pins: config.development_pins_allowed })
}

pub async fn display(State(service): State<Service>) -> Html<String> {
    render("display.html", Centre { centre: &service.config().centre.name })
}

pub async fn admin() -> Html<String> {
    render("admin.html", ())
}

fn status_text(s: TicketStatus) -> (&'static str, &'static str) {
    match s {
        TicketStatus::Waiting => ("Đang chờ gọi số", "Waiting"),
        TicketStatus::Transferred => ("Đã chuyển sang dịch vụ khác, đang chờ gọi", "Transferred, waiting"),
        TicketStatus::Called => ("Mời quý khách đến quầy", "Please go to the counter"),
        TicketStatus::Serving => ("Đang được phục vụ", "Being served"),
        TicketStatus::Done => ("Đã hoàn thành. Xin cảm ơn!", "Done. Thank you!"),
        TicketStatus::NoShow => ("Đã qua lượt (vắng mặt)", "Missed (not present)"),
        TicketStatus::Cancelled => ("Đã hủy", "Cancelled"),
    }
}

/// The rating a citizen's page offers, with the proof of the visit it was opened with.
#[derive(Serialize)]
struct RateOffer<'a> {
    ticket_id: Option<&'a str>,
    dossier_code: Option<&'a str>,
    dossier_key: Option<&'a str>,
    levels: &'a [crate::rating::Level],
}

#[derive(Serialize)]
struct TicketPage<'a> {
    centre: &'a str,
    refresh: bool,
    rate: Option<RateOffer<'a>>,
    busy: bool,
    ticket: Option<&'a TicketView>,
    status_vi: &'a str,
    status_en: &'a str,
    /// The counter to go to, once called.
    counter_name: Option<&'a str>,
    /// The ticket's id, when the page offers to leave a phone number for SMS notices (the centre
    /// sends them and the ticket still waits).
    notify: Option<&'a str>,
}

/// `/t/{id}`: the page a citizen's phone opens from the ticket's QR code; refreshes itself.
pub async fn follow_ticket(State(service): State<Service>, ApiPath(id): ApiPath<String>) -> (StatusCode, Html<String>) {
    let centre = &service.config().centre.name;
    let found = service.ticket(&id).await;
    let (status, ticket) = match &found {
        Ok(t) => (StatusCode::OK, Some(t)),
        Err(ServiceError::Queue(_)) => (StatusCode::NOT_FOUND, None),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, None),
    };
    let (status_vi, status_en) = ticket.map(|t| status_text(t.status)).unwrap_or_default();
    // A finished ticket: the page holds its id, the proof that lets its holder rate it.
    let done = ticket.filter(|t| t.status == TicketStatus::Done);
    let rate =
        done.map(|t| RateOffer { ticket_id: Some(&t.id), dossier_code: None, dossier_key: None, levels: &service.config().ratings.levels });
    let notify = ticket.filter(|t| service.notices_enabled() && t.status.is_queued()).map(|t| t.id.as_str());
    let page = TicketPage {
        centre,
        // With the form, notify.js reloads the page (not while the citizen types).
        refresh: status != StatusCode::NOT_FOUND && done.is_none() && notify.is_none(),
        notify,
        rate,
        busy: status == StatusCode::SERVICE_UNAVAILABLE,
        ticket,
        status_vi,
        status_en,
        counter_name: ticket.filter(|t| t.status.is_at_counter()).and_then(|t| t.counter_name.as_deref()),
    };
    (status, render("ticket.html", page))
}

#[derive(Serialize)]
struct DossierPage<'a> {
    centre: &'a str,
    refresh: bool,
    rate: Option<RateOffer<'a>>,
    dossier: Option<&'a PublicDossier>,
    received: String,
    due: String,
}

#[derive(serde::Deserialize)]
pub struct SlipKey {
    /// The receipt slip's secret, carried in its QR (`/d/<code>?k=<secret>`).
    k: Option<String>,
}

/// `/d/{code}`: the page a citizen's phone opens from the receipt slip's QR code. With the
/// slip's secret (`?k=`) and the dossier finished, it offers the rating.
pub async fn follow_dossier(
    State(service): State<Service>,
    ApiPath(code): ApiPath<String>,
    slip: Result<axum::extract::Query<SlipKey>, axum::extract::rejection::QueryRejection>,
) -> (StatusCode, Html<String>) {
    let slip = slip.map(|q| q.0).unwrap_or(SlipKey { k: None });
    let centre = &service.config().centre.name;
    let found = service.lookup_dossier(&code).await.ok();
    let key = slip.k.filter(|k| !k.trim().is_empty());
    let finished = found.as_ref().is_some_and(|d| d.status >= 9);
    let proven = match (&key, finished) {
        (Some(k), true) => service.dossier_key_matches(&code, k).await.unwrap_or(false),
        _ => false,
    };
    let rate = found.as_ref().filter(|_| proven).map(|d| RateOffer {
        ticket_id: None,
        dossier_code: Some(&d.code),
        dossier_key: key.as_deref(),
        levels: &service.config().ratings.levels,
    });
    let page = DossierPage {
        centre,
        refresh: false,
        rate,
        dossier: found.as_ref(),
        received: found.as_ref().map(|d| clock_and_date(d.received_at)).unwrap_or_default(),
        due: found.as_ref().map(|d| clock_and_date(d.new_due_at.unwrap_or(d.due_at))).unwrap_or_default(),
    };
    (if found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND }, render("dossier.html", page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_escapes_with_the_one_escaper() {
        for (name, _) in TEMPLATES {
            assert!(PAGES.get_template(name).is_ok(), "{name}");
        }
        let html = render("counter.html", Centre { centre: "<b>'Hòa' & Phú</b>" }).0;
        assert!(html.contains("&lt;b&gt;&#39;Hòa&#39; &amp; Phú&lt;/b&gt;"), "{html}");
    }
}
