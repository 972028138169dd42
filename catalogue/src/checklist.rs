//! The document checklist a citizen takes home (printed or on screen): what to bring, how many
//! originals and copies, the fee, the time limit, where to submit and the online service to scan.
//! Data only; the printer crate lays it out.

use serde::Serialize;

use super::model::Procedure;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub code: String,
    pub name: String,
    pub field: String,
    /// Where to submit: the implementing agency.
    pub submit_at: String,
    /// Queue service letter to take a number for.
    pub service: String,
    pub documents: Vec<ChecklistDocument>,
    pub channels: Vec<ChecklistChannel>,
    /// "15:00" when same-day handling stops at that time.
    pub same_day_cutoff: Option<String>,
    /// Target of the QR code, when the procedure has an online service page.
    pub online_url: Option<String>,
    /// Some values were not confirmed: the slip should say "ask at the counter".
    pub has_unconfirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistDocument {
    pub name: String,
    /// "1 bản chính, 1 bản sao".
    pub count: String,
    pub form: Option<String>,
    /// The case it is needed in, absent when always needed.
    pub case: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistChannel {
    /// "Trực tiếp", "Trực tuyến", "Bưu chính công ích".
    pub channel: String,
    pub time_limit: String,
    pub fee: String,
}

impl Procedure {
    /// The checklist for this procedure.
    pub fn checklist(&self) -> Checklist {
        Checklist {
            code: self.code.clone(),
            name: self.name.clone(),
            field: self.field.clone(),
            submit_at: self.agency.clone(),
            service: self.service.clone(),
            documents: self
                .documents
                .iter()
                .map(|d| ChecklistDocument { name: d.name.clone(), count: d.count_text(), form: d.form.clone(), case: d.case.clone() })
                .collect(),
            channels: self
                .channels
                .iter()
                .map(|c| ChecklistChannel {
                    channel: c.kind.label_vi().to_owned(),
                    time_limit: c.time_limit.text.clone(),
                    fee: c.fee.text.clone(),
                })
                .collect(),
            same_day_cutoff: self.same_day_cutoff.map(|t| t.to_string()),
            online_url: self.online_url.clone(),
            has_unconfirmed: !self.unconfirmed.is_empty(),
        }
    }
}

impl Checklist {
    /// Plain-text lines for a printer or a text view, in the order a citizen reads them.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            "DANH MỤC HỒ SƠ CẦN CHUẨN BỊ".to_owned(),
            self.name.clone(),
            format!("Mã thủ tục: {} - Lĩnh vực: {}", self.code, self.field),
            "Giấy tờ:".to_owned(),
        ];
        for (i, d) in self.documents.iter().enumerate() {
            let mut line = format!("[ ] {}. {}", i + 1, d.name);
            if let Some(form) = &d.form {
                line.push_str(&format!(" ({form})"));
            }
            line.push_str(&format!(": {}", d.count));
            if let Some(case) = &d.case {
                line.push_str(&format!(" - {case}"));
            }
            out.push(line);
        }
        out.push("Thời hạn giải quyết:".to_owned());
        out.extend(self.channels.iter().map(|c| format!("- {}: {}", c.channel, c.time_limit)));
        if let Some(cutoff) = &self.same_day_cutoff {
            out.push(format!("- Hồ sơ nhận sau {cutoff} được trả kết quả vào ngày làm việc tiếp theo."));
        }
        out.push("Phí, lệ phí:".to_owned());
        out.extend(self.channels.iter().map(|c| format!("- {}: {}", c.channel, c.fee)));
        out.push(format!("Nơi nộp: {} - lấy số thứ tự dịch vụ {}", self.submit_at, self.service));
        if let Some(url) = &self.online_url {
            out.push(format!("Nộp trực tuyến: {url}"));
        }
        if self.has_unconfirmed {
            out.push("Một số thông tin chưa được xác nhận: vui lòng hỏi lại tại quầy.".to_owned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::testing::sample;

    #[test]
    fn lists_documents_with_counts_fees_time_and_place() {
        let mut p = sample("1.004222", "Đăng ký thường trú");
        p.documents.push(Document {
            name: "Giấy tờ chứng minh chỗ ở hợp pháp".into(),
            originals: 0,
            copies: 1,
            form: None,
            case: Some("Trường hợp ở nhờ".into()),
            note: None,
        });
        p.documents[0].form = Some("Mẫu CT01".into());
        p.channels[0].fee = Fee { text: "20.000 đồng/lần".into(), amounts: vec![] };
        p.same_day_cutoff = Some(CutoffTime { hour: 15, minute: 0 });
        p.online_url = Some("https://dichvucong.gov.vn".into());
        p.unconfirmed = vec![Unconfirmed::Fee];
        let lines = p.checklist().lines();
        let expected = [
            "[ ] 1. Tờ khai (Mẫu CT01): 1 bản chính",
            "[ ] 2. Giấy tờ chứng minh chỗ ở hợp pháp: 1 bản sao - Trường hợp ở nhờ",
            "- Trực tiếp: 03 ngày làm việc",
            "- Hồ sơ nhận sau 15:00 được trả kết quả vào ngày làm việc tiếp theo.",
            "- Trực tiếp: 20.000 đồng/lần",
            "Nơi nộp: UBND cấp xã - lấy số thứ tự dịch vụ A",
            "Nộp trực tuyến: https://dichvucong.gov.vn",
            "Một số thông tin chưa được xác nhận: vui lòng hỏi lại tại quầy.",
        ];
        for line in expected {
            assert!(lines.iter().any(|l| l == line), "missing {line:?} in {lines:#?}");
        }
    }
}
