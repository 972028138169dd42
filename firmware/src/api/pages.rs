//! `/t/{id}`: the page a citizen's phone opens from the ticket's QR code — the number, the
//! status in Vietnamese (English below), people ahead and the counter once called. Plain HTML
//! that refreshes itself; no script, no personal data.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;

use super::extract::ApiPath;
use crate::queue::TicketStatus;
use crate::service::ServiceError;
use crate::Service;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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

pub async fn follow_ticket(State(service): State<Service>, ApiPath(id): ApiPath<String>) -> (StatusCode, Html<String>) {
    let centre = escape(&service.config().centre.name);
    let body = match service.ticket(&id).await {
        Ok(t) => {
            let (vi, en) = status_text(t.status);
            let mut lines = vec![format!("<p class=status>{vi}<br><small>{en}</small></p>")];
            if let Some(ahead) = t.ahead {
                lines.push(format!("<p>Số người đang chờ trước quý khách: <b>{ahead}</b><br><small>People ahead of you</small></p>"));
            }
            if let Some(min) = t.estimated_wait_minutes.filter(|_| t.ahead.is_some()) {
                lines.push(format!(
                    "<p>Thời gian chờ dự kiến: <b>khoảng {min} phút</b><br><small>Estimated wait: about {min} min</small></p>"
                ));
            }
            if let Some(name) = t.counter_name.as_deref().filter(|_| t.status.is_at_counter()) {
                lines.push(format!("<p class=counter>{}</p>", escape(name)));
            }
            format!("<h1>{}</h1><p>{}</p>{}", escape(&t.number), escape(&t.service_name), lines.join(""))
        }
        Err(ServiceError::Queue(_)) => {
            return (
                StatusCode::NOT_FOUND,
                Html(page(&centre, "<p>Không tìm thấy phiếu này.<br><small>No such ticket.</small></p>", false)),
            )
        }
        Err(_) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(page(&centre, "<p>Hệ thống đang bận, vui lòng thử lại.<br><small>Please try again.</small></p>", true)),
            )
        }
    };
    (StatusCode::OK, Html(page(&centre, &body, true)))
}

pub async fn follow_dossier(State(service): State<Service>, ApiPath(code): ApiPath<String>) -> (StatusCode, Html<String>) {
    let centre = escape(&service.config().centre.name);
    match service.lookup_dossier(&code).await {
        Ok(d) => {
            let date =
                |t: &str| chrono::DateTime::parse_from_rfc3339(t).map(|t| t.format("%H:%M ngày %d/%m/%Y").to_string()).unwrap_or_default();
            let mut body = format!(
                "<h2>{}</h2><p>{}</p><p class=status>{}</p><p>Ngày tiếp nhận / Received: {}<br>Ngày hẹn trả / Due: <b>{}</b></p>",
                escape(&d.code),
                escape(&d.procedure_name),
                escape(&d.status_text),
                date(&d.received_at),
                date(d.new_due_at.as_deref().unwrap_or(&d.due_at)),
            );
            if !d.steps.is_empty() {
                body.push_str("<ol style=text-align:left>");
                for s in &d.steps {
                    body.push_str(&format!("<li>{}</li>", escape(s)));
                }
                body.push_str("</ol>");
            }
            (StatusCode::OK, Html(page(&centre, &body, false)))
        }
        Err(_) => (StatusCode::NOT_FOUND, Html(page(&centre, "<p>Không tìm thấy hồ sơ.<br><small>No such dossier.</small></p>", false))),
    }
}

fn page(centre: &str, body: &str, refresh: bool) -> String {
    let refresh = if refresh { "<meta http-equiv=refresh content=10>" } else { "" };
    format!(
        "<!doctype html><html lang=vi><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">{refresh}\
<title>Phiếu số thứ tự</title><style>body{{font-family:sans-serif;text-align:center;margin:1.5em;font-size:1.2em}}\
h1{{font-size:4em;margin:.2em}}.status{{font-size:1.4em;font-weight:bold}}.counter{{font-size:2.5em;font-weight:bold}}small{{color:#555}}</style>\
</head><body><p>{centre}</p>{body}</body></html>"
    )
}
