//! What the layouts say and how their lines break: documents needed only in some case come
//! after those always needed, under "Chỉ khi: trường hợp …", with their notes; the late notice
//! takes its title and sentences from its template and names the citizen by their own title;
//! the ticket lists its counters as numbers; and at every paper width no line parts a number
//! from its word, starts with a dash, or leaves a short word alone under a line that could give
//! it company.

mod common;

use common::fixtures;
use printer::layout::{layout, Align, Block, PrinterFacts, Span, TextSize};
use printer::render::{text_em, Renderer};
use printer::{Document, DocumentItem, LateNoticeWording};

const WIDTHS: [u32; 3] = [576, 512, 384];

fn facts(width: u32) -> PrinterFacts {
    PrinterFacts { profile: "generic-80".into(), width_dots: width, dpi: 203, text_mode: "raster".into() }
}

/// Each paragraph's text as one string (no-break spaces as spaces), and its alignment.
fn paragraphs(doc: &Document) -> Vec<(String, Align)> {
    layout(&doc.normalized(), &facts(576))
        .into_iter()
        .filter_map(|b| match b {
            Block::Paragraph { spans, align, .. } => Some((spans.iter().map(|s| s.text.replace('\u{a0}', " ")).collect(), align)),
            _ => None,
        })
        .collect()
}

fn texts(doc: &Document) -> Vec<String> {
    paragraphs(doc).into_iter().map(|p| p.0).collect()
}

/// Each paragraph as the raster renderer wraps it at `width`: its lines, and its alignment.
fn wrapped(doc: &Document, width: u32) -> Vec<(Vec<String>, Align)> {
    let mut renderer = Renderer::new();
    let measure = width - 2 * (width / 36);
    layout(&doc.normalized(), &facts(width))
        .into_iter()
        .filter_map(|b| match b {
            Block::Paragraph { spans, size, align } => {
                let lines = renderer.wrap(&spans, text_em(size, width), measure, align);
                Some((lines.into_iter().map(|l| l.into_iter().map(|(t, _)| t).collect()).collect(), align))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn conditional_documents_follow_those_always_needed_under_their_case() {
    let expected = [
        "Thành phần hồ sơ:",
        "1. Tờ khai đăng ký khai sinh – 1 bản chính",
        "2. Giấy chứng sinh – 1 bản chính (Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh)",
        "3. Giấy tờ tùy thân của người đi đăng ký (Căn cước, hộ chiếu) – 1 bản chính (xuất trình để đối chiếu)",
        "Chỉ khi: trường hợp trẻ bị bỏ rơi",
        "4. Biên bản xác nhận việc trẻ bị bỏ rơi – 1 bản chính",
        "Chỉ khi: trường hợp sinh con theo phương pháp mang thai hộ",
        "5. Văn bản chứng minh việc mang thai hộ – 1 bản chính",
    ];
    for doc in [Document::Checklist(fixtures::checklist()), Document::DossierReceipt(fixtures::dossier_receipt())] {
        let texts = texts(&doc);
        let start = texts.iter().position(|t| t == "Thành phần hồ sơ:").expect("the documents heading");
        assert_eq!(&texts[start..start + expected.len()], &expected, "{}", doc.kind());
    }
}

#[test]
fn a_note_that_is_the_count_prints_once_and_callers_may_leave_case_and_note_out() {
    let mut checklist = fixtures::checklist();
    checklist.documents = vec![
        DocumentItem::new("Căn cước", "xuất trình để đối chiếu").with_note("xuất trình để đối chiếu"),
        DocumentItem::new("Tờ khai", ""),
    ];
    let texts = texts(&Document::Checklist(checklist));
    assert!(texts.contains(&"1. Căn cước – xuất trình để đối chiếu".to_string()), "{texts:?}");
    assert!(texts.contains(&"2. Tờ khai".to_string()), "{texts:?}");
    let item: DocumentItem = toml::from_str("name = \"Tờ khai\"\ncount = \"1 bản chính\"").unwrap();
    assert_eq!(item, DocumentItem::new("Tờ khai", "1 bản chính"));
}

#[test]
fn the_late_notice_follows_its_template_and_the_citizens_own_title() {
    let printed = texts(&Document::LateNotice(fixtures::late_notice()));
    for expected in [
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "(Mẫu số 04, Thông tư 03/2025/TT-VPCP)",
        "Kính gửi: Bà Lê Thị Ế",
        "Lý do quá hạn: Cần xác minh thông tin đăng ký khai sinh trước đây tại nơi đã đăng ký.",
        "Rất mong Bà thông cảm.",
    ] {
        assert!(printed.iter().any(|t| t == expected), "\"{expected}\" not in {printed:#?}");
    }
    assert!(printed.iter().any(|t| t.contains("xin lỗi Bà")), "{printed:#?}");
    for stale in ["Ông/Bà", "Lý do chậm", "{title}", "PHIẾU XIN LỖI"] {
        assert!(!printed.iter().any(|t| t.contains(stale)), "\"{stale}\" printed: {printed:#?}");
    }

    // A province's own wording is printed as given.
    let mut notice = fixtures::late_notice();
    notice.addressee_title = "Ông".into();
    notice.addressee_name = "Trần Văn Bình".into();
    notice.wording = LateNoticeWording {
        title: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".into(),
        apology: "Cơ quan xin lỗi {title} và hẹn lại:".into(),
        ..LateNoticeWording::default()
    };
    let doc = Document::LateNotice(notice);
    let own = texts(&doc);
    assert!(own.contains(&"PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".to_string()));
    assert!(own.contains(&"Cơ quan xin lỗi Ông và hẹn lại:".to_string()));
    assert!(own.contains(&"Kính gửi: Ông Trần Văn Bình".to_string()));
    // The 2018 title line that printed "LẠI" alone at 384 dots: balanced now.
    let old = [Span { text: "PHIẾU XIN LỖI VÀ HẸN LẠI".into(), bold: true }];
    let lines = Renderer::new().wrap(&old, text_em(TextSize::Title, 384), 384 - 2 * (384 / 36), Align::Centre);
    let lines: Vec<String> = lines.into_iter().map(|l| l.into_iter().map(|(t, _)| t).collect()).collect();
    assert_eq!(lines, vec!["PHIẾU XIN LỖI", "VÀ HẸN LẠI"]);
    // The whole 2018 title as a template: balanced at every width.
    for width in WIDTHS {
        let (title, _) = wrapped(&doc, width).into_iter().find(|(l, _)| l.concat().starts_with("PHIẾU")).unwrap();
        assert!(title.len() >= 2 && title.iter().all(|l| l.split(' ').count() >= 2), "{title:?} at {width}");
    }
}

#[test]
fn the_ticket_lists_its_counters_as_numbers_and_breaks_only_between_them() {
    assert!(texts(&Document::QueueTicket(fixtures::queue_ticket())).contains(&"Quầy phục vụ: 01, 02, 06".to_string()));
    let mut ticket = fixtures::queue_ticket();
    ticket.counters = (1..=14).collect();
    for width in WIDTHS {
        let (lines, _) =
            wrapped(&Document::QueueTicket(ticket.clone()), width).into_iter().find(|(l, _)| l[0].starts_with("Quầy")).unwrap();
        assert!(lines.len() >= 2, "{lines:?}");
        for line in &lines[..lines.len() - 1] {
            assert!(line.ends_with(','), "a break inside an item: {lines:?} at {width}");
        }
    }
}

#[test]
fn no_line_parts_a_number_from_its_word_starts_with_a_dash_or_leaves_a_word_alone() {
    for width in WIDTHS {
        let measure = width - 2 * (width / 36);
        for (name, doc) in fixtures::all() {
            for (lines, align) in wrapped(&doc, width) {
                for pair in lines.windows(2) {
                    let (above, line) = (&pair[0], &pair[1]);
                    let number_first = line.starts_with(|c: char| c.is_ascii_digit());
                    assert!(!number_first || above.ends_with([',', ';', ':', '–']), "{name}@{width}: {above:?} / {line:?}");
                    assert!(!line.starts_with('–'), "{name}@{width}: {above:?} / {line:?}");
                }
                if let [.., above, last] = lines.as_slice() {
                    let lone = !last.contains(' ') && last.chars().count() as u32 * 12 < measure / 3;
                    let could_give = above.split(' ').count() >= 3 || align == Align::Centre;
                    assert!(!(lone && could_give), "{name}@{width}: \"{last}\" alone under {above:?}");
                }
            }
        }
    }
}
