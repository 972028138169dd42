//! Text modes: TCVN-3 and CP1258 jobs read back through the virtual printer give the document's
//! Vietnamese text, with no unknown bytes and a scannable QR (native where the profile has it,
//! raster otherwise).

mod common;

use common::fixtures;

use printer::Document;

#[test]
fn text_mode_jobs_decode_back_to_the_documents_text() {
    let dir = tempfile::tempdir().unwrap();
    for (profile, mode) in [
        ("epson-tm-t20", "tcvn3"),
        ("epson-tm-t88", "tcvn3"),
        ("epson-tm-t20", "cp1258"),
        ("xprinter-80", "cp1258"),
        ("generic-58", "cp1258"),
    ] {
        let mut printer = common::virtual_printer(dir.path(), Some(profile), None, Some(mode));
        for (name, doc) in fixtures::all() {
            let job = printer.encode(&doc).unwrap();
            if name != "self-test" {
                assert_eq!(job.replaced, 0, "{name} {profile}/{mode}: letters lost");
            }
            let out = printer.virtual_printer().unwrap().print_to_memory(&job.bytes);
            assert!(out.unknown.is_empty(), "{name} {profile}/{mode}: {:?}", out.unknown);
            assert!(out.cut);
            let text = out.text.replace('\n', " ");
            let expect: &[&str] = match &doc {
                Document::QueueTicket(t) => &["PHIẾU SỐ THỨ TỰ", t.number.as_str(), "Số người đang chờ"],
                Document::DossierReceipt(_) => {
                    &["GIẤY TIẾP NHẬN HỒ SƠ", "Nguyễn Văn An", "17 giờ 00 phút", "Chỉ khi: trường hợp trẻ bị bỏ rơi"]
                }
                Document::Checklist(_) => &["HỒ SƠ CẦN CHUẨN BỊ", "Đăng ký khai sinh", "(xuất trình để đối chiếu)"],
                Document::LateNotice(_) => &["THỜI GIAN HẸN TRẢ KẾT QUẢ MỚI", "16 giờ 00 phút, ngày 19 tháng 11 năm 2025", "xin lỗi Bà"],
                Document::SelfTest(_) => &["aàáảãạ", "ƯỪỨỬỮỰ", "ẾẦỐ ỮỸ ẶỢ Đ"],
            };
            for e in expect {
                assert!(text.contains(e), "{name} {profile}/{mode}: \"{e}\" not in {text}");
            }
            let qr = common::decode_qr(&out.image);
            assert_eq!(qr.len(), 1, "{name} {profile}/{mode}: QR not readable");
            let (above, below) = white_around_qr(&out.image);
            assert!(above >= 4 * 5 && below >= 4 * 5, "{name} {profile}/{mode}: {above} and {below} white rows around the QR");
        }
    }
}

/// White rows above and below the page's QR code (its tallest run of inked rows): a printer's
/// own QR comes without a quiet zone, so the job must feed one (4 modules of at least 5 dots).
fn white_around_qr(page: &printer::Bitmap) -> (u32, u32) {
    let qr = common::tallest_inked_run(page);
    let above = (0..qr.start).rev().take_while(|y| page.row_is_blank(*y)).count();
    let below = (qr.end..page.height()).take_while(|y| page.row_is_blank(*y)).count();
    (above as u32, below as u32)
}

#[test]
fn text_mode_is_far_smaller_than_raster() {
    let dir = tempfile::tempdir().unwrap();
    let ticket = Document::QueueTicket(fixtures::queue_ticket());
    let raster = common::virtual_printer(dir.path(), Some("epson-tm-t20"), None, None).encode(&ticket).unwrap();
    let text = common::virtual_printer(dir.path(), Some("epson-tm-t20"), None, Some("tcvn3")).encode(&ticket).unwrap();
    assert!(text.bytes.len() * 10 < raster.bytes.len(), "text {} vs raster {}", text.bytes.len(), raster.bytes.len());
    // Native QR is Model 2 (the escpos crate's default would be Model 1).
    assert!(text.bytes.windows(9).any(|w| w == [0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]));
    // Chinese-firmware printers get FS . first; Epson does not need it.
    let x = common::virtual_printer(dir.path(), Some("xprinter-80"), None, Some("cp1258")).encode(&ticket).unwrap();
    assert_eq!(&x.bytes[..4], &[0x1b, 0x40, 0x1c, 0x2e]);
    assert_eq!(&x.bytes[4..7], &[0x1b, b't', 27]);
}
