//! The self-test page: the printer's settings, every Vietnamese letter form in both weights (so a
//! glance shows marks stacked, not beside the letters), a ruler to the paper edges and a QR.

use super::{Align, Block, PrinterFacts, TextSize};
use crate::document::SelfTest;

/// Every Vietnamese letter form: 12 vowels × 6 tones × 2 cases, plus đ and Đ (146).
pub const VIETNAMESE_LETTERS: [&str; 13] =
    ["aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị", "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ", "đ"];

pub(super) fn layout(s: &SelfTest, facts: &PrinterFacts) -> Vec<Block> {
    let mut blocks = vec![
        Block::Rule,
        Block::centred("TRANG IN THỬ", TextSize::Title, true),
        Block::centred(s.kiosk_name.clone(), TextSize::Body, true),
        Block::field("Cấu hình máy in", facts.profile.clone()),
        Block::field("Khổ in", format!("{} điểm, {} dpi", facts.width_dots, facts.dpi)),
        Block::field("Chế độ chữ", facts.text_mode.clone()),
        Block::field("Thời điểm in", s.printed_at.clone()),
        Block::Rule,
    ];
    let lower = VIETNAMESE_LETTERS.join(" ");
    let upper = lower.to_uppercase();
    for (text, bold) in [(&lower, false), (&upper, false), (&lower, true), (&upper, true)] {
        blocks.push(Block::text(text.clone(), TextSize::Body, bold, Align::Left));
    }
    blocks.extend([
        Block::centred("ẾẦỐ ỮỸ ẶỢ Đ", TextSize::Title, true),
        Block::Qr(s.check_url.clone()),
        Block::centred("0123456789 ₫ – “” ‘’ …", TextSize::Small, false),
        Block::Rule,
    ]);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_table_has_all_146_forms() {
        let lower: String = VIETNAMESE_LETTERS.concat();
        let all: String = format!("{lower}{}", lower.to_uppercase());
        assert_eq!(all.chars().count(), 146);
        let unique: std::collections::HashSet<char> = all.chars().collect();
        assert_eq!(unique.len(), 146);
    }
}
