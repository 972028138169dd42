//! Realistic sample documents (invented people, real procedure codes from domain §4), for the
//! self-check, the golden receipts in `docs/receipts/`, tests and the benchmark.

use crate::document::*;

pub fn queue_ticket() -> QueueTicket {
    QueueTicket {
        centre_name: "Trung tâm Phục vụ hành chính công xã An Bình".into(),
        number: "A025".into(),
        service_name: "Hộ tịch – Chứng thực".into(),
        counters: vec!["Quầy 01".into(), "Quầy 02".into()],
        people_waiting: 7,
        estimated_wait_minutes: Some(15),
        issued_at: "08:12 ngày 05/03/2026".into(),
        priority_label: None,
        follow_url: "https://kiosk.example.gov.vn/t/20260305-A025".into(),
    }
}

pub fn priority_ticket() -> QueueTicket {
    QueueTicket {
        number: "B003".into(),
        service_name: "Đăng ký cư trú".into(),
        counters: vec!["Quầy 05".into()],
        people_waiting: 2,
        estimated_wait_minutes: None,
        priority_label: Some("ƯU TIÊN: NGƯỜI CAO TUỔI".into()),
        follow_url: "https://kiosk.example.gov.vn/t/20260305-B003".into(),
        ..queue_ticket()
    }
}

pub fn dossier_receipt() -> DossierReceipt {
    DossierReceipt {
        agency_name: "Trung tâm Phục vụ hành chính công xã An Bình".into(),
        dossier_code: "000.00.15.H41-251120-0001".into(),
        received_from: "Ông Nguyễn Văn Ấn".into(),
        procedure_name: "Đăng ký khai sinh (1.001193)".into(),
        documents: vec![
            DocumentItem { name: "Tờ khai đăng ký khai sinh".into(), count: "01 bản chính".into() },
            DocumentItem { name: "Giấy chứng sinh".into(), count: "01 bản chính".into() },
            DocumentItem { name: "Giấy tờ tùy thân của người đi đăng ký".into(), count: "01 bản sao".into() },
        ],
        sets: "01 bộ".into(),
        processing_time: "Trong ngày; sau 15 giờ trả vào ngày làm việc tiếp theo".into(),
        received_at: "08 giờ 37 phút, ngày 20 tháng 11 năm 2025".into(),
        return_at: "14 giờ 00 phút, ngày 20 tháng 11 năm 2025".into(),
        result_delivery: "Quầy số 03, Bộ phận Một cửa".into(),
        fee: "Miễn lệ phí (đăng ký đúng hạn)".into(),
        lookup_url: "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.15.H41-251120-0001".into(),
        officer_name: "Trần Thị Bích Ngọc".into(),
    }
}

pub fn checklist() -> Checklist {
    Checklist {
        centre_name: "Trung tâm Phục vụ hành chính công xã An Bình".into(),
        procedure_code: "1.004222".into(),
        procedure_name: "Đăng ký thường trú".into(),
        documents: vec![
            DocumentItem { name: "Tờ khai thay đổi thông tin cư trú (CT01)".into(), count: "01 bản chính".into() },
            DocumentItem { name: "Giấy tờ chứng minh chỗ ở hợp pháp".into(), count: "01 bản sao".into() },
            DocumentItem { name: "Ý kiến đồng ý của chủ hộ (nếu nhập hộ)".into(), count: "01 bản chính".into() },
        ],
        time_limit: "07 ngày làm việc".into(),
        fee: "20.000 đồng (trực tiếp); 10.000 đồng (trực tuyến)".into(),
        where_to_submit: "Công an xã An Bình hoặc Cổng Dịch vụ công quốc gia".into(),
        online_url: "https://dichvucong.example.gov.vn/thu-tuc/1.004222".into(),
        printed_at: "09:05 ngày 05/03/2026".into(),
    }
}

pub fn late_notice() -> LateNotice {
    LateNotice {
        agency_name: "Ủy ban nhân dân xã An Bình".into(),
        addressee: "Bà Lê Thị Ế".into(),
        dossier_code: "000.00.15.H41-251110-0042".into(),
        procedure_name: "Đăng ký thành lập hộ kinh doanh".into(),
        received_at: "09 giờ 15 phút, ngày 10 tháng 11 năm 2025".into(),
        original_return_at: "09 giờ 15 phút, ngày 13 tháng 11 năm 2025".into(),
        new_return_at: "16 giờ 00 phút, ngày 17 tháng 11 năm 2025".into(),
        reason: "Cần xác minh thông tin địa điểm kinh doanh với cơ quan thuế.".into(),
        lookup_url: "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.15.H41-251110-0042".into(),
        officer_name: "Phạm Quốc Đạt".into(),
    }
}

pub fn self_test() -> SelfTest {
    SelfTest {
        kiosk_name: "Kiosk sảnh chính – xã An Bình".into(),
        printed_at: "07:30 ngày 05/03/2026".into(),
        check_url: "https://kiosk.example.gov.vn/healthz".into(),
    }
}

/// One of each document, with the file stem used for goldens.
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
