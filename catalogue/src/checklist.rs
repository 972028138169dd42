//! The document checklist a citizen takes home (printed or on screen): what to bring, how many
//! originals and copies, in which case each paper is needed and what is only shown, the fee, the
//! time limit (and the cases with a longer one), where to submit and the online service to scan.
//! Data only; the printer crate lays it out.

use serde::Serialize;

use super::model::Procedure;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// The catalogue's key for the procedure (also a placeholder such as `CXN.301`).
    pub code: String,
    /// The code to print as "Mã thủ tục"; `None` while `code` is a local placeholder.
    pub public_code: Option<String>,
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
    /// The case it is needed in, absent when always needed ("Trường hợp trẻ bị bỏ rơi").
    pub case: Option<String>,
    /// "Chỉ khi: trường hợp trẻ bị bỏ rơi", ready to print beside the document.
    pub case_text: Option<String>,
    /// e.g. "xuất trình để đối chiếu" for a paper shown rather than handed in.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistChannel {
    /// "Trực tiếp", "Trực tuyến", "Bưu chính công ích".
    pub channel: String,
    pub time_limit: String,
    pub fee: String,
    /// Cases with another time limit through this channel.
    pub variants: Vec<ChecklistVariant>,
}

/// A case with its own time limit, as the checklist shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistVariant {
    pub code: String,
    /// "Trường hợp cần xác minh".
    pub label: String,
    /// The published wording of the limit in that case.
    pub time_limit: String,
}

impl Procedure {
    /// The checklist for this procedure.
    pub fn checklist(&self) -> Checklist {
        Checklist {
            code: self.code.clone(),
            public_code: self.public_code().map(str::to_owned),
            name: self.name.clone(),
            field: self.field.clone(),
            submit_at: self.agency.clone(),
            service: self.service.clone(),
            documents: self
                .documents
                .iter()
                .map(|d| ChecklistDocument {
                    name: d.name.clone(),
                    count: d.count_text(),
                    form: d.form.clone(),
                    case: d.case.clone(),
                    case_text: d.case_text(),
                    note: d.note.clone(),
                })
                .collect(),
            channels: self
                .channels
                .iter()
                .map(|c| ChecklistChannel {
                    channel: c.kind.label_vi().to_owned(),
                    time_limit: c.time_limit.text.clone(),
                    fee: c.fee.text.clone(),
                    variants: self
                        .variants
                        .iter()
                        .filter_map(|v| {
                            let limit = v.limit_for(c.kind)?;
                            Some(ChecklistVariant { code: v.code.clone(), label: v.label.clone(), time_limit: limit.text.clone() })
                        })
                        .collect(),
                })
                .collect(),
            same_day_cutoff: self.same_day_cutoff.map(|t| t.to_string()),
            online_url: self.online_url.clone(),
            has_unconfirmed: !self.unconfirmed.is_empty(),
        }
    }
}

/// What the checklist prints as "Mã thủ tục" while the code is a local placeholder.
pub const CODE_PENDING: &str = "đang cập nhật";

impl Checklist {
    /// Plain-text lines for a printer or a text view, in the order a citizen reads them.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            "DANH MỤC HỒ SƠ CẦN CHUẨN BỊ".to_owned(),
            self.name.clone(),
            format!("Mã thủ tục: {} - Lĩnh vực: {}", self.public_code.as_deref().unwrap_or(CODE_PENDING), self.field),
            "Giấy tờ:".to_owned(),
        ];
        for (i, d) in self.documents.iter().enumerate() {
            let mut line = format!("[ ] {}. {}", i + 1, d.name);
            if let Some(form) = &d.form {
                line.push_str(&format!(" ({form})"));
            }
            line.push_str(&format!(": {}", d.count));
            if let Some(note) = d.note.as_deref().filter(|n| *n != d.count) {
                line.push_str(&format!(" ({note})"));
            }
            if let Some(case) = &d.case_text {
                line.push_str(&format!(" - {case}"));
            }
            out.push(line);
        }
        out.push("Thời hạn giải quyết:".to_owned());
        for c in &self.channels {
            out.push(format!("- {}: {}", c.channel, c.time_limit));
            out.extend(c.variants.iter().map(|v| format!("  + {}: {}", v.label, v.time_limit)));
        }
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
        p.documents.push(Document {
            name: "Căn cước".into(),
            originals: 1,
            copies: 0,
            form: None,
            case: None,
            note: Some("xuất trình để đối chiếu".into()),
        });
        p.documents.push(Document {
            name: "Giấy chứng sinh".into(),
            originals: 0,
            copies: 0,
            form: None,
            case: None,
            note: Some("Nộp bản điện tử".into()),
        });
        p.variants = vec![Variant {
            code: "xac_minh".into(),
            label: "Trường hợp cần xác minh".into(),
            time_limit: Some(TimeLimit { kind: TimeUnit::WorkingDays, amount: Some(5), text: "Không quá 05 ngày làm việc".into() }),
            channels: vec![],
        }];
        p.documents[0].form = Some("Mẫu CT01".into());
        p.channels[0].fee = Fee { text: "20.000 đồng/lần".into(), amounts: vec![] };
        p.same_day_cutoff = Some(CutoffTime { hour: 15, minute: 0 });
        p.online_url = Some("https://dichvucong.gov.vn".into());
        p.unconfirmed = vec![Unconfirmed::Fee];
        let lines = p.checklist().lines();
        let expected = [
            "[ ] 1. Tờ khai (Mẫu CT01): 1 bản chính",
            "Mã thủ tục: 1.004222 - Lĩnh vực: Hộ tịch",
            "[ ] 2. Giấy tờ chứng minh chỗ ở hợp pháp: 1 bản sao - Chỉ khi: trường hợp ở nhờ",
            "[ ] 3. Căn cước: 1 bản chính (xuất trình để đối chiếu)",
            "[ ] 4. Giấy chứng sinh: Nộp bản điện tử",
            "- Trực tiếp: 03 ngày làm việc",
            "  + Trường hợp cần xác minh: Không quá 05 ngày làm việc",
            "- Hồ sơ nhận sau 15:00 được trả kết quả vào ngày làm việc tiếp theo.",
            "- Trực tiếp: 20.000 đồng/lần",
            "Nơi nộp: UBND cấp xã - lấy số thứ tự dịch vụ A",
            "Nộp trực tuyến: https://dichvucong.gov.vn",
            "Một số thông tin chưa được xác nhận: vui lòng hỏi lại tại quầy.",
        ];
        for line in expected {
            assert!(lines.iter().any(|l| l == line), "missing {line:?} in {lines:#?}");
        }
        let list = p.checklist();
        assert_eq!(list.documents[1].case_text.as_deref(), Some("Chỉ khi: trường hợp ở nhờ"));
        assert_eq!(list.documents[2].note.as_deref(), Some("xuất trình để đối chiếu"));
        assert_eq!(list.channels[0].variants[0].code, "xac_minh");
    }

    #[test]
    fn a_placeholder_code_is_not_printed_as_the_procedure_code() {
        let mut p = sample("CXN.301", "Tách hộ");
        p.unconfirmed = vec![Unconfirmed::Code];
        let list = p.checklist();
        assert_eq!(list.public_code, None);
        assert_eq!(list.code, "CXN.301", "still the key to look it up");
        let lines = list.lines();
        assert!(lines.contains(&"Mã thủ tục: đang cập nhật - Lĩnh vực: Hộ tịch".to_owned()), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.contains("CXN")), "{lines:#?}");
    }
}
