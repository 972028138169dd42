//! The letter to a citizen whose dossier will be late (TT 03/2025 Mẫu 04, domain §5–6 and §10):
//! an apology with the reason and the one new return date. Title and fixed sentences come from
//! the notice's wording template; the citizen is named with their own title and then addressed
//! by it alone.

use super::{Align, Block, TextSize};
use crate::document::{LateNotice, LateNoticeWording};

pub(super) fn layout(n: &LateNotice) -> Vec<Block> {
    let w = &n.wording;
    let title = n.addressee_title.trim();
    let addressee = [title, n.addressee_name.trim()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
    let sentence = |s: &str| Block::text(LateNoticeWording::fill(s, title), TextSize::Body, false, Align::Left);
    vec![
        Block::centred(n.agency_name.to_uppercase(), TextSize::Body, true),
        Block::Rule,
        Block::centred(w.title.clone(), TextSize::Title, true),
        Block::centred(format!("({})", w.form), TextSize::Small, false),
        Block::centred(format!("Mã hồ sơ: {}", n.dossier_code), TextSize::Body, true),
        Block::Gap(10),
        Block::field("Kính gửi", addressee),
        Block::field("Hồ sơ", n.procedure_name.clone()),
        Block::field("Tiếp nhận lúc", n.received_at.clone()),
        Block::field("Hẹn trả ban đầu", n.original_return_at.clone()),
        Block::field(&w.reason_label, n.reason.clone()),
        Block::Gap(6),
        sentence(&w.apology),
        Block::Gap(6),
        Block::centred(w.new_date_heading.clone(), TextSize::Body, true),
        Block::centred(n.new_return_at.clone(), TextSize::Large, true),
        Block::Gap(6),
        sentence(&w.closing),
        Block::field("Người lập", n.officer_name.clone()),
        Block::Qr(n.lookup_url.clone()),
        Block::centred("Quét mã để tra cứu tình trạng hồ sơ", TextSize::Small, false),
    ]
}
