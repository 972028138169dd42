//! The province's satisfaction figures per centre, service and month on the three official
//! levels (Rất hài lòng, Hài lòng, Không hài lòng), as JSON rows and as CSV for a spreadsheet.
//! Counted in SQL over the columns copied out of each signed record (`central verify` checks
//! they still match it); centre and service names come from the kiosks' heartbeats.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use crate::chain::Official;
use crate::ratings::Filter;
use crate::store::{Sql, StoreError};

/// One centre, one service, one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub agency_code: String,
    pub centre_name: Option<String>,
    /// The kiosk's service code; empty for ratings not tied to a service.
    pub service: String,
    pub service_name: Option<String>,
    /// `2026-03`, in Vietnam.
    pub month: String,
    pub total: i64,
    pub rat_hai_long: i64,
    pub hai_long: i64,
    pub khong_hai_long: i64,
    /// (Rất hài lòng + Hài lòng) / total, in percent with one decimal.
    pub satisfied_percent: f64,
}

/// Counts per centre, service and month over the ratings matching `filter`, ordered by centre,
/// month, service.
pub fn rows(sql: &mut dyn Sql, filter: &Filter) -> Result<Vec<Row>, StoreError> {
    let (clause, params) = filter.clause();
    let found = sql.query(
        &format!(
            "SELECT agency_code, rated_month, service, official, COUNT(*) FROM ratings{clause}
             GROUP BY agency_code, rated_month, service, official ORDER BY agency_code, rated_month, service"
        ),
        &params,
    )?;
    let mut rows: Vec<Row> = Vec::new();
    for r in &found {
        let (agency_code, month, service) = (r.text(0)?, r.text(1)?, r.text(2)?);
        let same = rows.last().is_some_and(|l| l.agency_code == agency_code && l.month == month && l.service == service);
        if !same {
            rows.push(Row {
                agency_code,
                centre_name: None,
                service,
                service_name: None,
                month,
                total: 0,
                rat_hai_long: 0,
                hai_long: 0,
                khong_hai_long: 0,
                satisfied_percent: 0.0,
            });
        }
        let row = rows.last_mut().expect("just pushed");
        let n = r.int(4)?;
        match Official::from_code(&r.text(3)?) {
            Some(Official::RatHaiLong) => row.rat_hai_long += n,
            Some(Official::HaiLong) => row.hai_long += n,
            Some(Official::KhongHaiLong) => row.khong_hai_long += n,
            None => return Err(StoreError(format!("unknown official level stored: {:?}", r.text(3)?))),
        }
        row.total += n;
    }
    for row in &mut rows {
        row.satisfied_percent = ((row.rat_hai_long + row.hai_long) as f64 * 1000.0 / row.total as f64).round() / 10.0;
    }
    Ok(rows)
}

/// Fill in the names the heartbeats gave.
pub fn name(rows: &mut [Row], centres: &HashMap<String, String>, services: &HashMap<(String, String), String>) {
    for row in rows {
        row.centre_name = centres.get(&row.agency_code).cloned();
        row.service_name = services.get(&(row.agency_code.clone(), row.service.clone())).cloned();
    }
}

/// The rows as CSV (RFC 4180, CRLF), headed in Vietnamese. Starts with a byte-order mark so that
/// a spreadsheet opens the diacritics right.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        "Mã cơ quan,Tên trung tâm,Mã dịch vụ,Tên dịch vụ,Tháng,Số đánh giá,Rất hài lòng,Hài lòng,Không hài lòng,Tỷ lệ hài lòng (%)\r\n",
    );
    for r in rows {
        let cells = [
            cell(&r.agency_code),
            cell(r.centre_name.as_deref().unwrap_or("")),
            cell(&r.service),
            cell(r.service_name.as_deref().unwrap_or("")),
            r.month.clone(),
            r.total.to_string(),
            r.rat_hai_long.to_string(),
            r.hai_long.to_string(),
            r.khong_hai_long.to_string(),
            format!("{:.1}", r.satisfied_percent),
        ];
        let _ = write!(out, "{}\r\n", cells.join(","));
    }
    out
}

/// A text cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so a spreadsheet never runs a name as a formula.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(service: &str, name: Option<&str>) -> Row {
        Row {
            agency_code: "000.00.17.H41".into(),
            centre_name: Some("Trung tâm xã Hòa Phú, Đắk Lắk".into()),
            service: service.into(),
            service_name: name.map(Into::into),
            month: "2026-03".into(),
            total: 4,
            rat_hai_long: 1,
            hai_long: 2,
            khong_hai_long: 1,
            satisfied_percent: 75.0,
        }
    }

    #[test]
    fn csv_is_headed_in_vietnamese_quoted_and_safe_in_a_spreadsheet() {
        let text = csv(&[row("A", Some("Hộ tịch \"khai sinh\"")), row("B", Some("=HYPERLINK(\"x\")"))]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines[0].starts_with("\u{feff}Mã cơ quan,Tên trung tâm,"), "{}", lines[0]);
        assert!(lines[0].ends_with("Không hài lòng,Tỷ lệ hài lòng (%)"));
        assert_eq!(lines[1], "000.00.17.H41,\"Trung tâm xã Hòa Phú, Đắk Lắk\",A,\"Hộ tịch \"\"khai sinh\"\"\",2026-03,4,1,2,1,75.0");
        assert!(lines[2].contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{}", lines[2]);
        assert_eq!(lines[3], "");
    }
}
