//! The documents a kiosk prints, as plain data with pre-formatted Vietnamese strings (dates and
//! times arrive formatted, so this crate needs no calendar). Text is NFC-normalised on the way
//! in: the font has precomposed glyphs, and the code-page encoders expect precomposed letters.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// One printable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Document {
    QueueTicket(QueueTicket),
    DossierReceipt(DossierReceipt),
    Checklist(Checklist),
    LateNotice(LateNotice),
    SelfTest(SelfTest),
}

/// Phiếu số thứ tự (domain §3). Carries no personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueTicket {
    pub centre_name: String,
    /// Prefix letter and three digits, e.g. "A025".
    pub number: String,
    pub service_name: String,
    /// The numbers of the counters that serve this service, as on their signs: printed
    /// "Quầy phục vụ: 01, 02, 06".
    pub counters: Vec<u32>,
    pub people_waiting: u32,
    pub estimated_wait_minutes: Option<u32>,
    /// Already formatted, e.g. "08:12 ngày 05/03/2026".
    pub issued_at: String,
    /// e.g. "Ưu tiên: Người cao tuổi"; the category only, never evidence of it.
    pub priority_label: Option<String>,
    /// The public page that follows this ticket live (QR target).
    pub follow_url: String,
}

/// One document of a dossier, as the catalogue lists it: "Tờ khai đăng ký khai sinh",
/// "1 bản chính", and when it is needed only in some case or only shown, that too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentItem {
    pub name: String,
    /// Originals and copies, e.g. "1 bản chính, 1 bản sao"; empty when nothing is handed in.
    pub count: String,
    /// The case it is needed in, e.g. "Trường hợp trẻ bị bỏ rơi"; `None` when always needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// How it is handed in, e.g. "xuất trình để đối chiếu".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl DocumentItem {
    /// A document always needed, handed in as `count`.
    pub fn new(name: impl Into<String>, count: impl Into<String>) -> DocumentItem {
        DocumentItem { name: name.into(), count: count.into(), case: None, note: None }
    }

    /// Needed only in `case` ("Trường hợp …").
    pub fn in_case(mut self, case: impl Into<String>) -> DocumentItem {
        self.case = Some(case.into());
        self
    }

    /// With a note on how it is handed in.
    pub fn with_note(mut self, note: impl Into<String>) -> DocumentItem {
        self.note = Some(note.into());
        self
    }
}

/// Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, domain §5): the citizen's copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierReceipt {
    /// The receiving body, e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ AN BÌNH".
    pub agency_name: String,
    /// e.g. "000.00.15.H41-251120-0001".
    pub dossier_code: String,
    /// The applicant by their own title, "Ông Nguyễn Văn An" (or the name alone when no title
    /// was recorded): printed on the citizen's own copy only.
    pub received_from: String,
    pub procedure_name: String,
    pub documents: Vec<DocumentItem>,
    /// e.g. "01 bộ".
    pub sets: String,
    /// Legal processing time, e.g. "03 ngày làm việc".
    pub processing_time: String,
    /// "08 giờ 37 phút, ngày 20 tháng 11 năm 2025".
    pub received_at: String,
    /// Same format as `received_at`.
    pub return_at: String,
    /// Where the result is collected, e.g. "Quầy số 03" or "Qua dịch vụ bưu chính công ích".
    pub result_delivery: String,
    /// Verbatim fee text, exemptions included.
    pub fee: String,
    /// Public lookup page (QR target).
    pub lookup_url: String,
    pub officer_name: String,
}

/// The documents a procedure needs, printed from the kiosk's lookup (domain §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    pub centre_name: String,
    /// e.g. "1.001193".
    pub procedure_code: String,
    pub procedure_name: String,
    pub documents: Vec<DocumentItem>,
    pub time_limit: String,
    pub fee: String,
    pub where_to_submit: String,
    /// The procedure on the online public-service portal (QR target).
    pub online_url: String,
    pub printed_at: String,
}

/// The letter to a citizen whose dossier will be late: an apology with the reason and the one
/// new return date (domain §5–6, §10). Its title and fixed sentences come from `wording`, by
/// default the crate's TT 03/2025 template; the citizen is addressed by their own title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateNotice {
    pub agency_name: String,
    /// The citizen's own title, "Ông" or "Bà": printed before the name, and alone where the
    /// letter speaks to them ("xin lỗi Bà").
    pub addressee_title: String,
    /// The citizen's full name, e.g. "Lê Thị Ế".
    pub addressee_name: String,
    pub dossier_code: String,
    pub procedure_name: String,
    pub received_at: String,
    pub original_return_at: String,
    pub new_return_at: String,
    /// Why it is late (lý do quá hạn).
    pub reason: String,
    pub lookup_url: String,
    pub officer_name: String,
    #[serde(default)]
    pub wording: LateNoticeWording,
}

/// The fixed words of the late notice. `{title}` in a sentence stands for the addressee's title.
///
/// The default follows Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 04 "Văn bản xin lỗi và đề nghị
/// gia hạn thời gian giải quyết" (it replaced the 2018 "Phiếu xin lỗi và hẹn lại ngày trả kết
/// quả"). The title and the form's number are confirmed by two secondary sources (a legal-forms
/// site listing Phụ lục I, and a 2026 analysis document); the body sentences are not the form's
/// verbatim text, which we could not find: they carry what NĐ 118/2025 requires of the letter
/// (the reason for the delay and the proposed new time) in the 2018 form's wording. A province
/// with the official text passes its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateNoticeWording {
    pub title: String,
    /// The form it follows, printed small under the title.
    pub form: String,
    /// Label of the reason: "Lý do quá hạn".
    pub reason_label: String,
    /// Before the new date.
    pub apology: String,
    /// Heading of the new date.
    pub new_date_heading: String,
    /// After the new date.
    pub closing: String,
}

impl Default for LateNoticeWording {
    fn default() -> LateNoticeWording {
        LateNoticeWording {
            title: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT".into(),
            form: "Mẫu số 04, Thông\u{a0}tư 03/2025/TT-VPCP".into(),
            reason_label: "Lý do quá hạn".into(),
            apology: "Hồ sơ của {title} chưa được giải quyết đúng thời hạn đã hẹn. Cơ quan chúng tôi thành thật xin lỗi {title} \
                      và đề nghị gia hạn thời gian trả kết quả đến:"
                .into(),
            new_date_heading: "THỜI GIAN HẸN TRẢ KẾT QUẢ MỚI".into(),
            closing: "Rất mong {title} thông cảm.".into(),
        }
    }
}

impl LateNoticeWording {
    /// `sentence` with `{title}` replaced by the addressee's title.
    pub fn fill(sentence: &str, title: &str) -> String {
        sentence.replace("{title}", title)
    }
}

/// A page to check a printer: paper edges, every Vietnamese letter, a QR and the settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfTest {
    pub kiosk_name: String,
    pub printed_at: String,
    /// QR target, e.g. the kiosk's health page.
    pub check_url: String,
}

impl Document {
    /// Short name used for job files (`<n>-<kind>.png`).
    pub fn kind(&self) -> &'static str {
        match self {
            Document::QueueTicket(_) => "ticket",
            Document::DossierReceipt(_) => "receipt",
            Document::Checklist(_) => "checklist",
            Document::LateNotice(_) => "late-notice",
            Document::SelfTest(_) => "self-test",
        }
    }

    /// The same document with every string in NFC.
    pub fn normalized(&self) -> Document {
        let mut doc = self.clone();
        doc.for_each_text(&mut |s| {
            if !unicode_normalization::is_nfc(s) {
                *s = s.nfc().collect();
            }
        });
        doc
    }

    fn for_each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        let items = |items: &mut Vec<DocumentItem>, f: &mut dyn FnMut(&mut String)| {
            for item in items {
                f(&mut item.name);
                f(&mut item.count);
                item.case.iter_mut().for_each(&mut *f);
                item.note.iter_mut().for_each(&mut *f);
            }
        };
        match self {
            Document::QueueTicket(t) => {
                for s in [&mut t.centre_name, &mut t.number, &mut t.service_name, &mut t.issued_at, &mut t.follow_url] {
                    f(s);
                }
                if let Some(p) = &mut t.priority_label {
                    f(p);
                }
            }
            Document::DossierReceipt(r) => {
                for s in [
                    &mut r.agency_name,
                    &mut r.dossier_code,
                    &mut r.received_from,
                    &mut r.procedure_name,
                    &mut r.sets,
                    &mut r.processing_time,
                    &mut r.received_at,
                    &mut r.return_at,
                    &mut r.result_delivery,
                    &mut r.fee,
                    &mut r.lookup_url,
                    &mut r.officer_name,
                ] {
                    f(s);
                }
                items(&mut r.documents, f);
            }
            Document::Checklist(c) => {
                for s in [
                    &mut c.centre_name,
                    &mut c.procedure_code,
                    &mut c.procedure_name,
                    &mut c.time_limit,
                    &mut c.fee,
                    &mut c.where_to_submit,
                    &mut c.online_url,
                    &mut c.printed_at,
                ] {
                    f(s);
                }
                items(&mut c.documents, f);
            }
            Document::LateNotice(n) => {
                let w = &mut n.wording;
                for s in [&mut w.title, &mut w.form, &mut w.reason_label, &mut w.apology, &mut w.new_date_heading, &mut w.closing] {
                    f(s);
                }
                for s in [
                    &mut n.agency_name,
                    &mut n.addressee_title,
                    &mut n.addressee_name,
                    &mut n.dossier_code,
                    &mut n.procedure_name,
                    &mut n.received_at,
                    &mut n.original_return_at,
                    &mut n.new_return_at,
                    &mut n.reason,
                    &mut n.lookup_url,
                    &mut n.officer_name,
                ] {
                    f(s);
                }
            }
            Document::SelfTest(s) => {
                for t in [&mut s.kiosk_name, &mut s.printed_at, &mut s.check_url] {
                    f(t);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_is_normalised_to_nfc() {
        let nfd: String = "Phiếu số thứ tự".nfd().collect();
        let doc = Document::SelfTest(SelfTest { kiosk_name: nfd.clone(), printed_at: String::new(), check_url: String::new() });
        let Document::SelfTest(s) = doc.normalized() else { unreachable!() };
        assert_ne!(nfd, s.kiosk_name);
        assert_eq!(s.kiosk_name, "Phiếu số thứ tự");
    }
}
