//! A procedure's document checklist, printed from the kiosk lookup (domain §4) so the citizen
//! can gather the papers before queueing.

use super::{documents, Align, Block, TextSize};
use crate::document::Checklist;

pub(super) fn layout(c: &Checklist) -> Vec<Block> {
    let mut blocks = vec![
        Block::centred(c.centre_name.to_uppercase(), TextSize::Body, true),
        Block::Rule,
        Block::centred("HỒ SƠ CẦN CHUẨN BỊ", TextSize::Title, true),
        Block::centred(c.procedure_name.clone(), TextSize::Large, true),
        Block::centred(format!("Mã thủ tục: {}", c.procedure_code), TextSize::Small, false),
        Block::Gap(10),
        Block::text("Thành phần hồ sơ:", TextSize::Body, true, Align::Left),
    ];
    blocks.extend(documents(&c.documents));
    blocks.extend([
        Block::Gap(6),
        Block::field("Thời hạn giải quyết", c.time_limit.clone()),
        Block::field("Phí, lệ phí", c.fee.clone()),
        Block::field("Nơi nộp hồ sơ", c.where_to_submit.clone()),
        Block::Qr(c.online_url.clone()),
        Block::centred("Quét mã để nộp hồ sơ trực tuyến", TextSize::Small, false),
        Block::centred(format!("In lúc {}", c.printed_at), TextSize::Small, false),
    ]);
    blocks
}
