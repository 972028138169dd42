//! The dossier receipt slip, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (Mẫu 01, domain §5):
//! the citizen's copy, with the return date in bold and a QR to the public lookup.

use super::{documents, Block, TextSize};
use crate::document::DossierReceipt;

pub(super) fn layout(r: &DossierReceipt) -> Vec<Block> {
    let mut blocks = vec![
        Block::centred(r.agency_name.to_uppercase(), TextSize::Body, true),
        Block::Rule,
        Block::centred("GIẤY TIẾP NHẬN HỒ SƠ", TextSize::Title, true),
        Block::centred("VÀ HẸN TRẢ KẾT QUẢ", TextSize::Title, true),
        Block::centred(format!("Mã hồ sơ: {}", r.dossier_code), TextSize::Body, true),
        Block::Gap(10),
        Block::field("Tiếp nhận hồ sơ của", r.received_from.clone()),
        Block::field("Nội dung yêu cầu giải quyết", r.procedure_name.clone()),
        Block::text("Thành phần hồ sơ:", TextSize::Body, true, super::Align::Left),
    ];
    blocks.extend(documents(&r.documents));
    blocks.extend([
        Block::field("Số lượng hồ sơ", r.sets.clone()),
        Block::field("Thời gian giải quyết theo quy định", r.processing_time.clone()),
        Block::field("Thời gian nhận hồ sơ", r.received_at.clone()),
        Block::field_strong("Thời gian trả kết quả", r.return_at.clone()),
        Block::field("Nơi nhận kết quả", r.result_delivery.clone()),
        Block::field("Phí, lệ phí", r.fee.clone()),
        Block::field("Người tiếp nhận", r.officer_name.clone()),
        Block::Qr(r.lookup_url.clone()),
        Block::centred("Quét mã để tra cứu tình trạng hồ sơ", TextSize::Small, false),
        Block::centred("Vui lòng mang theo giấy này khi nhận kết quả.", TextSize::Small, true),
    ]);
    blocks
}
