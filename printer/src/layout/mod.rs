//! Layouts as data: each document becomes a list of blocks (paragraphs, the big number, a
//! rule, a QR...). The raster renderer and the text-mode encoder both consume the same blocks,
//! so a layout is written once and prints the same way in every mode.

mod checklist;
mod late_notice;
mod receipt;
mod self_test;
mod ticket;
pub mod wrap;

use crate::document::{Document, DocumentItem};

/// Horizontal placement of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
}

/// Text sizes, from fine print to headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    Small,
    Body,
    Large,
    Title,
}

/// A run of text with one weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// One element of a printed layout, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Word-wrapped text; a hanging `indent` (in characters of the label) is not needed on
    /// receipts, so paragraphs wrap to the full width.
    Paragraph { spans: Vec<Span>, size: TextSize, align: Align },
    /// The ticket number, as large as the paper allows.
    Number(String),
    /// White text on a black band (priority tickets).
    Banner(String),
    /// A horizontal line across the paper.
    Rule,
    /// Vertical space, in dots at 203 dpi.
    Gap(u32),
    /// A QR code (Model 2, EC level M) of this URL, centred with its quiet zone.
    Qr(String),
}

impl Block {
    pub fn text(text: impl Into<String>, size: TextSize, bold: bool, align: Align) -> Block {
        Block::Paragraph { spans: vec![Span { text: text.into(), bold }], size, align }
    }

    pub fn centred(text: impl Into<String>, size: TextSize, bold: bool) -> Block {
        Block::text(text, size, bold, Align::Centre)
    }

    /// "Label: value", the label in bold.
    pub fn field(label: &str, value: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span { text: format!("{label}: "), bold: true }, Span { text: value.into(), bold: false }],
            size: TextSize::Body,
            align: Align::Left,
        }
    }

    /// "Label: value" with the value in bold (the dates a citizen must remember).
    pub fn field_strong(label: &str, value: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span { text: format!("{label}: "), bold: false }, Span { text: value.into(), bold: true }],
            size: TextSize::Body,
            align: Align::Left,
        }
    }
}

/// Facts about the printer that a layout may print (the self-test page does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterFacts {
    pub profile: String,
    pub width_dots: u32,
    pub dpi: u32,
    pub text_mode: String,
}

/// The blocks for a document.
pub fn layout(doc: &Document, facts: &PrinterFacts) -> Vec<Block> {
    match doc {
        Document::QueueTicket(t) => ticket::layout(t),
        Document::DossierReceipt(r) => receipt::layout(r),
        Document::Checklist(c) => checklist::layout(c),
        Document::LateNotice(n) => late_notice::layout(n),
        Document::SelfTest(s) => self_test::layout(s, facts),
    }
}

/// The documents of a dossier, numbered on: those always needed first, then one group per case
/// under "Chỉ khi: trường hợp …" (domain §10), so nobody is told to bring papers for a case that
/// is not theirs. The count is bold; a note on how to hand it in follows in parentheses.
fn documents(items: &[DocumentItem]) -> Vec<Block> {
    let mut cases: Vec<&str> = vec![];
    for case in items.iter().filter_map(|d| d.case.as_deref()) {
        if !cases.contains(&case) {
            cases.push(case);
        }
    }
    let mut blocks = vec![];
    let mut number = 0;
    let mut list = |blocks: &mut Vec<Block>, case: Option<&str>| {
        for d in items.iter().filter(|d| d.case.as_deref() == case) {
            number += 1;
            blocks.push(document_line(number, d));
        }
    };
    list(&mut blocks, None);
    for case in cases {
        blocks.push(Block::Gap(4));
        blocks.push(Block::Paragraph {
            spans: vec![Span { text: "Chỉ khi: ".into(), bold: true }, Span { text: lower_first(case), bold: false }],
            size: TextSize::Body,
            align: Align::Left,
        });
        list(&mut blocks, Some(case));
    }
    blocks
}

/// "3. Giấy tờ tùy thân – 1 bản chính (xuất trình để đối chiếu)"; the number never ends a line.
fn document_line(number: usize, d: &DocumentItem) -> Block {
    let mut spans = vec![Span { text: format!("{number}.\u{a0}{}", d.name), bold: false }];
    if !d.count.trim().is_empty() {
        // "1 bản chính, 1 bản sao": each count whole on a line.
        let count = d.count.trim().split(", ").map(|c| c.replace(' ', "\u{a0}")).collect::<Vec<_>>().join(", ");
        spans.push(Span { text: format!(" – {count}"), bold: true });
    }
    if let Some(note) = d.note.as_deref().map(str::trim).filter(|n| !n.is_empty() && *n != d.count.trim()) {
        spans.push(Span { text: format!(" ({note})"), bold: false });
    }
    Block::Paragraph { spans, size: TextSize::Body, align: Align::Left }
}

/// "Trường hợp trẻ bị bỏ rơi" → "trường hợp trẻ bị bỏ rơi", to follow "Chỉ khi:".
fn lower_first(text: &str) -> String {
    let mut chars = text.trim().chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
