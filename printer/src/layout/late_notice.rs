//! The late-dossier notice (Mẫu 04, domain §5–6): an apology with the reason and the one new
//! return date, which may be set only once.

use super::{Align, Block, TextSize};
use crate::document::LateNotice;

pub(super) fn layout(n: &LateNotice) -> Vec<Block> {
    vec![
        Block::centred(n.agency_name.to_uppercase(), TextSize::Body, true),
        Block::Rule,
        Block::centred("PHIẾU XIN LỖI VÀ HẸN LẠI", TextSize::Title, true),
        Block::centred("NGÀY TRẢ KẾT QUẢ", TextSize::Title, true),
        Block::centred(format!("Mã hồ sơ: {}", n.dossier_code), TextSize::Body, true),
        Block::Gap(10),
        Block::field("Kính gửi", n.addressee.clone()),
        Block::field("Hồ sơ", n.procedure_name.clone()),
        Block::field("Tiếp nhận lúc", n.received_at.clone()),
        Block::field("Hẹn trả ban đầu", n.original_return_at.clone()),
        Block::field("Lý do chậm", n.reason.clone()),
        Block::text("Cơ quan chúng tôi thành thật xin lỗi Ông/Bà vì sự chậm trễ này và xin hẹn lại:", TextSize::Body, false, Align::Left),
        Block::Gap(6),
        Block::centred("NGÀY HẸN TRẢ MỚI", TextSize::Body, true),
        Block::centred(n.new_return_at.clone(), TextSize::Large, true),
        Block::Gap(6),
        Block::field("Người lập phiếu", n.officer_name.clone()),
        Block::Qr(n.lookup_url.clone()),
        Block::centred("Quét mã để tra cứu tình trạng hồ sơ", TextSize::Small, false),
    ]
}
