//! What each printed document says: the queue ticket (no personal data), the dossier receipt
//! slip (Mẫu 01), the apology notice of a rescheduling (Mẫu 04) and a procedure's checklist.
//! Built from typed values; the Vietnamese wording of times comes from `crate::time`.

use chrono::{DateTime, FixedOffset};
use printer::{Checklist, DocumentItem, DossierReceipt, LateNotice, QueueTicket};

use super::tickets::TicketView;
use crate::config::Config;
use crate::dossier::Title;
use crate::store::dossiers::DossierRow;
use crate::time::{self, clock_and_date, slip_time};
use catalogue::{ChannelKind, Procedure, Variant, CODE_PENDING};

/// The paper ticket for an issued ticket (domain §3): no personal data.
pub(super) fn queue_ticket(config: &Config, t: &TicketView) -> QueueTicket {
    QueueTicket {
        centre_name: config.centre.name.clone(),
        number: t.number.clone(),
        service_name: t.service_name.clone(),
        counters: config.counters.iter().filter(|c| c.services.contains(&t.service)).map(|c| c.number).collect(),
        people_waiting: t.ahead.unwrap_or(0),
        // "about 0 minutes" helps nobody: with nobody ahead the line is left out.
        estimated_wait_minutes: t.estimated_wait_minutes.filter(|&m| m > 0),
        issued_at: clock_and_date(t.issued_at),
        priority_label: t.priority.as_deref().and_then(|p| config.priority(p)).map(|p| format!("Ưu tiên: {}", p.name_vi)),
        follow_url: format!("{}/t/{}", config.centre.public_url, t.id),
    }
}

/// A catalogue document as printed: its count, and the case and note that go with it.
fn document_item(d: &catalogue::Document) -> DocumentItem {
    DocumentItem { name: d.name.clone(), count: d.count_text(), case: d.case.clone(), note: d.note.clone() }
}

/// What the receipt slip needs beside the stored dossier.
pub(super) struct Receipt<'a> {
    pub procedure: &'a Procedure,
    pub channel: ChannelKind,
    /// The case the officer chose, whose limit the slip promises.
    pub variant: Option<&'a Variant>,
    /// The published wording of the limit that applies (the variant's, or the channel's).
    pub limit: String,
    pub title: Option<Title>,
    pub sets: u32,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    pub counter: u32,
    pub officer: Option<&'a str>,
}

/// The citizen's receipt slip (Mẫu 01). `key` is the slip's secret: its QR carries it, so the
/// phone that scans the slip may rate the dossier; nobody else learns it.
pub(super) fn dossier_receipt(config: &Config, d: &DossierRow, r: Receipt, key: &str) -> DossierReceipt {
    let p = r.procedure;
    let channel = p.channel(r.channel).expect("the appointment checked the channel");
    DossierReceipt {
        agency_name: config.centre.name.to_uppercase(),
        dossier_code: d.code.clone(),
        // "Bà Lê Thị Ế" with the title the officer chose; the name alone without one.
        received_from: match r.title {
            Some(t) => format!("{} {}", t.text(), d.applicant_name),
            None => d.applicant_name.clone(),
        },
        procedure_name: p.name.clone(),
        documents: p.documents.iter().map(document_item).collect(),
        sets: format!("{:02} bộ", r.sets.max(1)),
        processing_time: match r.variant {
            Some(v) => format!("{}: {}", v.label, lower_first(&r.limit)),
            None => r.limit,
        },
        received_at: slip_time(r.received_at),
        return_at: slip_time(r.due_at),
        result_delivery: match r.channel {
            ChannelKind::Post => "Qua dịch vụ bưu chính công ích".to_string(),
            _ => format!("Tại {}", config.counter(r.counter).map(|c| c.name.as_str()).unwrap_or("Bộ phận Một cửa")),
        },
        fee: channel.fee.text.clone(),
        lookup_url: format!("{}/d/{}?k={key}", config.centre.public_url, d.code),
        officer_name: r
            .officer
            .map(str::to_string)
            .unwrap_or_else(|| config.counter(r.counter).map(|c| c.name.clone()).unwrap_or_default()),
    }
}

/// The apology notice of the one rescheduling (Mẫu 04), addressed by the applicant's title.
pub(super) fn late_notice(
    config: &Config,
    d: &DossierRow,
    title: Title,
    procedure_name: String,
    new_due: DateTime<FixedOffset>,
    reason: String,
) -> LateNotice {
    let offset = config.centre.offset;
    LateNotice {
        agency_name: config.centre.name.to_uppercase(),
        addressee_title: title.text().into(),
        addressee_name: d.applicant_name.clone(),
        dossier_code: d.code.clone(),
        procedure_name,
        received_at: slip_time(time::from_millis(offset, d.received_at)),
        original_return_at: slip_time(time::from_millis(offset, d.due_at)),
        new_return_at: slip_time(new_due),
        reason,
        lookup_url: format!("{}/d/{}", config.centre.public_url, d.code),
        officer_name: d.officer.clone().unwrap_or_default(),
        wording: printer::LateNoticeWording::default(),
    }
}

/// A procedure's document checklist, printed at the kiosk: the limit at the counter with the
/// cases that take longer, and a placeholder code printed as "đang cập nhật", never as a code.
pub(super) fn checklist(config: &Config, p: &Procedure, now: DateTime<FixedOffset>) -> Checklist {
    let c = p.checklist();
    let direct = c.channels.iter().find(|ch| ch.channel == ChannelKind::Direct.label_vi()).or(c.channels.first());
    let mut time_limit = direct.map(|ch| ch.time_limit.clone()).unwrap_or_default();
    // The published wording usually states the cut-off itself ("sau 15 giờ"); say it only if not.
    if let Some(cut) = p.same_day_cutoff {
        let said = [format!("{} giờ", cut.hour), cut.to_string()].iter().any(|t| time_limit.contains(t.as_str()));
        if !said {
            time_limit.push_str(&format!(" Hồ sơ nhận sau {cut} được trả kết quả vào ngày làm việc tiếp theo."));
        }
    }
    for v in direct.map(|ch| ch.variants.as_slice()).unwrap_or_default() {
        time_limit.push_str(&format!(" {}: {}", v.label, lower_first(&v.time_limit)));
    }
    Checklist {
        centre_name: config.centre.name.clone(),
        procedure_code: c.public_code.clone().unwrap_or_else(|| CODE_PENDING.to_owned()),
        procedure_name: c.name.clone(),
        documents: p.documents.iter().map(document_item).collect(),
        time_limit,
        fee: direct.map(|ch| ch.fee.clone()).unwrap_or_default(),
        where_to_submit: c.submit_at.clone(),
        // Without an online page of its own, the QR leads to the procedure on this kiosk.
        online_url: c.online_url.clone().unwrap_or_else(|| format!("{}/api/v1/procedures/{}", config.centre.public_url, c.code)),
        printed_at: clock_and_date(now),
    }
}

/// "Không quá 05 ngày…" → "không quá 05 ngày…", to follow a label and a colon.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
