//! Layouts as data: each document becomes a list of blocks (paragraphs, the big number, a
//! rule, a QR...). The raster renderer and the text-mode encoder both consume the same blocks,
//! so a layout is written once and prints the same way in every mode.

mod checklist;
mod late_notice;
mod receipt;
mod self_test;
mod ticket;

use crate::document::Document;

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

/// Numbered list lines "1. name (count)".
fn numbered(items: &[crate::document::DocumentItem]) -> impl Iterator<Item = Block> + '_ {
    items.iter().enumerate().map(|(i, item)| Block::Paragraph {
        spans: vec![
            Span { text: format!("{}. {}", i + 1, item.name), bold: false },
            Span { text: format!(" – {}", item.count), bold: true },
        ],
        size: TextSize::Body,
        align: Align::Left,
    })
}
