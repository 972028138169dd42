//! The queue ticket (domain §3): the number very large, the service and its counters, how many
//! are waiting, the time, a QR to follow the ticket live. No personal data.

use super::{Align, Block, TextSize};
use crate::document::QueueTicket;

pub(super) fn layout(t: &QueueTicket) -> Vec<Block> {
    let mut blocks = vec![
        Block::centred(t.centre_name.to_uppercase(), TextSize::Body, true),
        Block::Rule,
        Block::centred("PHIẾU SỐ THỨ TỰ", TextSize::Title, true),
        Block::Number(t.number.clone()),
    ];
    if let Some(p) = &t.priority_label {
        blocks.push(Block::Banner(p.clone()));
        blocks.push(Block::Gap(8));
    }
    blocks.push(Block::centred(t.service_name.clone(), TextSize::Large, true));
    if !t.counters.is_empty() {
        let numbers: Vec<String> = t.counters.iter().map(|n| format!("{n:02}")).collect();
        blocks.push(Block::centred(format!("Quầy phục vụ: {}", numbers.join(", ")), TextSize::Body, false));
    }
    blocks.push(Block::Gap(8));
    // In bold, the one figure besides the number the citizen looks for (and in bold it goes in
    // half the bytes, see `crate::render::Grain`).
    blocks.push(Block::text(format!("Số người đang chờ: {}", t.people_waiting), TextSize::Large, true, Align::Centre));
    if let Some(m) = t.estimated_wait_minutes {
        blocks.push(Block::centred(format!("Thời gian chờ dự kiến: khoảng {m} phút"), TextSize::Body, false));
    }
    blocks.push(Block::centred(format!("Giờ lấy số: {}", t.issued_at), TextSize::Body, false));
    blocks.push(Block::Qr(t.follow_url.clone()));
    blocks.push(Block::centred("Quét mã để theo dõi lượt gọi số", TextSize::Small, false));
    blocks.push(Block::Rule);
    blocks.push(Block::centred("Vui lòng giữ phiếu và chờ gọi số.", TextSize::Body, true));
    blocks.push(Block::centred("Xin cảm ơn!", TextSize::Body, true));
    blocks
}
