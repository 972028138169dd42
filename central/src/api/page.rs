//! `GET /`: the satisfaction of each centre as a small HTML page for people — no script, no
//! CDN, every text escaped.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;

use super::error::ApiError;
use super::staff::{figures, PeriodQuery};
use super::App;
use crate::chain::Official;
use crate::ratings::CentreFigures;

pub async fn home(State(app): State<Arc<App>>) -> Result<Html<String>, ApiError> {
    Ok(Html(render(&figures(&app, &PeriodQuery::default()).await?)))
}

fn render(centres: &[CentreFigures]) -> String {
    let mut rows = String::new();
    for c in centres {
        let _ = write!(rows, "<tr><td>{}</td><td>{}</td>", escape(&c.agency_code), c.total);
        for level in Official::ALL {
            let _ = write!(rows, "<td>{}</td>", c.count(level));
        }
        let _ = write!(rows, "<td><span class=bar style=\"width:{p}%\"></span> {p:.1} %</td></tr>", p = c.satisfied_percent);
    }
    if centres.is_empty() {
        rows.push_str("<tr><td colspan=6>Chưa có đánh giá nào.</td></tr>");
    }
    let levels: String = Official::ALL.iter().map(|l| format!("<th>{}</th>", l.label())).collect();
    format!(
        "<!doctype html>\n<html lang=vi><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width, initial-scale=1\">\
<title>Mức độ hài lòng theo trung tâm</title><style>\
body{{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}}\
table{{border-collapse:collapse}}th,td{{padding:.4rem .8rem;border-bottom:1px solid #ddd;text-align:right}}\
th:first-child,td:first-child{{text-align:left}}\
.bar{{display:inline-block;height:.7rem;background:#2e7d32;max-width:6rem;vertical-align:middle}}\
</style></head><body><h1>Mức độ hài lòng theo trung tâm</h1>\
<table><thead><tr><th>Mã cơ quan</th><th>Số đánh giá</th>{levels}<th>Tỷ lệ hài lòng</th></tr></thead>\
<tbody>{rows}</tbody></table>\
<p>Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / số đánh giá. Dữ liệu: <a href=\"/api/v1/centres\">/api/v1/centres</a>.</p>\
</body></html>\n"
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_are_escaped_and_figures_shown() {
        let html = render(&[CentreFigures {
            agency_code: "<script>alert(1)</script>".into(),
            total: 4,
            rat_hai_long: 1,
            hai_long: 2,
            khong_hai_long: 1,
            satisfied_percent: 75.0,
        }]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("75.0 %"));
        assert!(html.contains("Rất hài lòng"));
    }
}
