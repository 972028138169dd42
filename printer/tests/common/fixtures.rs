//! Fixture documents for this crate's own tests, benchmark and example (included by path from
//! `benches/` and `examples/`). They are what firmware builds from the shipped configuration
//! (`config/kiosk.toml`), catalogue (`config/catalog/ho_tich.toml`) and calendar, written out
//! here because this crate knows neither. The receipts in `docs/receipts/` come from firmware.

use printer::{Checklist, Document, DocumentItem, DossierReceipt, LateNotice, LateNoticeWording, QueueTicket, SelfTest};

const CENTRE: &str = "Trung tâm Phục vụ hành chính công xã Hòa Phú";
const PUBLIC_URL: &str = "http://192.168.1.10:8080";

/// Service A at 08:12 on Thursday 5 March 2026; counters 01, 02 and 06 serve A.
pub fn queue_ticket() -> QueueTicket {
    QueueTicket {
        centre_name: CENTRE.into(),
        number: "A025".into(),
        service_name: "Hộ tịch – Chứng thực".into(),
        counters: vec![1, 2, 6],
        people_waiting: 7,
        estimated_wait_minutes: Some(15),
        issued_at: "08:12 ngày 05/03/2026".into(),
        priority_label: None,
        follow_url: format!("{PUBLIC_URL}/t/3f2b8c1e-5d47-4a9b-9e0c-2a6d1f7b8c90"),
    }
}

/// Service B (counters 03, 05, 06) for an elderly citizen, nobody's wait estimated yet.
pub fn priority_ticket() -> QueueTicket {
    QueueTicket {
        number: "B003".into(),
        service_name: "Cư trú".into(),
        counters: vec![3, 5, 6],
        people_waiting: 2,
        estimated_wait_minutes: None,
        issued_at: "08:14 ngày 05/03/2026".into(),
        priority_label: Some("Ưu tiên: Người cao tuổi".into()),
        follow_url: format!("{PUBLIC_URL}/t/9a1c4e77-0b3d-4f62-8d15-c7e2b94a6f03"),
        ..queue_ticket()
    }
}

/// 1.001193 Đăng ký khai sinh: its documents as the catalogue lists them (two only in a case,
/// two with a note), counts as the catalogue's `count_text` gives them.
pub fn birth_registration_documents() -> Vec<DocumentItem> {
    vec![
        DocumentItem::new("Tờ khai đăng ký khai sinh", "1 bản chính"),
        DocumentItem::new("Giấy chứng sinh", "1 bản chính")
            .with_note("Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh"),
        DocumentItem::new("Biên bản xác nhận việc trẻ bị bỏ rơi", "1 bản chính").in_case("Trường hợp trẻ bị bỏ rơi"),
        DocumentItem::new("Văn bản chứng minh việc mang thai hộ", "1 bản chính")
            .in_case("Trường hợp sinh con theo phương pháp mang thai hộ"),
        DocumentItem::new("Giấy tờ tùy thân của người đi đăng ký (Căn cước, hộ chiếu)", "1 bản chính").with_note("xuất trình để đối chiếu"),
    ]
}

/// The catalogue's direct-channel time limit of 1.001193.
const BIRTH_TIME_LIMIT: &str = "Ngay trong ngày tiếp nhận yêu cầu; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo.";
/// The catalogue's direct-channel fee text of 1.001193, verbatim.
const BIRTH_FEE: &str = "Miễn lệ phí đăng ký khai sinh đúng hạn. Đăng ký khai sinh quá hạn: lệ phí theo Nghị quyết của HĐND tỉnh (ví dụ 8.000 đồng). Miễn lệ phí cho người thuộc gia đình có công với cách mạng, người thuộc hộ nghèo, người khuyết tật. Cấp bản sao Giấy khai sinh: 8.000 đồng/bản.";

/// A birth registration received at counter 01 at 08:37 on Thursday 20 November 2025: a
/// same-day procedure received before the 15:00 cut-off is due at 17:00 that day.
pub fn dossier_receipt() -> DossierReceipt {
    DossierReceipt {
        agency_name: CENTRE.to_uppercase(),
        dossier_code: "000.00.17.H41-251120-0001".into(),
        received_from: "Ông/Bà Nguyễn Văn An".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        documents: birth_registration_documents(),
        sets: "01 bộ".into(),
        processing_time: BIRTH_TIME_LIMIT.into(),
        received_at: "08 giờ 37 phút, ngày 20 tháng 11 năm 2025".into(),
        return_at: "17 giờ 00 phút, ngày 20 tháng 11 năm 2025".into(),
        result_delivery: "Tại Quầy số 01".into(),
        fee: BIRTH_FEE.into(),
        lookup_url: format!("{PUBLIC_URL}/d/000.00.17.H41-251120-0001"),
        officer_name: "Trần Thị Bích Ngọc".into(),
    }
}

/// The checklist of 1.001193 printed from the kiosk at 09:05 on Thursday 5 March 2026.
pub fn checklist() -> Checklist {
    Checklist {
        centre_name: CENTRE.into(),
        procedure_code: "1.001193".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        documents: birth_registration_documents(),
        time_limit: format!("{BIRTH_TIME_LIMIT} (nhận sau 15:00: trả ngày làm việc tiếp theo)"),
        fee: BIRTH_FEE.into(),
        where_to_submit: "Ủy ban nhân dân cấp xã".into(),
        online_url: "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=187805".into(),
        printed_at: "09:05 ngày 05/03/2026".into(),
    }
}

/// 1.004884 Đăng ký lại khai sinh (05 working days): received 09:15 on Monday 10 November
/// 2025, due 09:15 on Monday 17 November; moved once, two days before, to Wednesday 19th.
pub fn late_notice() -> LateNotice {
    LateNotice {
        agency_name: CENTRE.to_uppercase(),
        addressee_title: "Bà".into(),
        addressee_name: "Lê Thị Ế".into(),
        dossier_code: "000.00.17.H41-251110-0042".into(),
        procedure_name: "Đăng ký lại khai sinh".into(),
        received_at: "09 giờ 15 phút, ngày 10 tháng 11 năm 2025".into(),
        original_return_at: "09 giờ 15 phút, ngày 17 tháng 11 năm 2025".into(),
        new_return_at: "16 giờ 00 phút, ngày 19 tháng 11 năm 2025".into(),
        reason: "Cần xác minh thông tin đăng ký khai sinh trước đây tại nơi đã đăng ký.".into(),
        lookup_url: format!("{PUBLIC_URL}/d/000.00.17.H41-251110-0042"),
        officer_name: "Phạm Quốc Đạt".into(),
        wording: LateNoticeWording::default(),
    }
}

pub fn self_test() -> SelfTest {
    SelfTest {
        kiosk_name: "Kiosk sảnh chính – xã Hòa Phú".into(),
        printed_at: "07:30 ngày 05/03/2026".into(),
        check_url: format!("{PUBLIC_URL}/healthz"),
    }
}

/// One of each layout, with the file stem of its golden.
pub fn all() -> Vec<(&'static str, Document)> {
    vec![
        ("ticket", Document::QueueTicket(queue_ticket())),
        ("ticket-priority", Document::QueueTicket(priority_ticket())),
        ("receipt", Document::DossierReceipt(dossier_receipt())),
        ("checklist", Document::Checklist(checklist())),
        ("late-notice", Document::LateNotice(late_notice())),
        ("self-test", Document::SelfTest(self_test())),
    ]
}
