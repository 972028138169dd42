//! The citizen's flows, driven through the screens with Slint's testing backend (no display):
//! each test presses the on-screen buttons and keys a citizen would, against a real service on
//! a temporary data directory, and checks what the service and the virtual printer did.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use common::{kiosk, press, screen, shown};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk_ui::backend::Backend;
use kiosk_ui::glue::Kiosk;
use kiosk_ui::tour::{Demo, Printer};
use kiosk_ui::{Api, App};
use slint::{ComponentHandle, Model};

/// Type on the on-screen keyboard.
fn type_keys(app: &App, text: &str) {
    for c in text.chars() {
        press(app, &if c == ' ' { "key space".to_string() } else { format!("key {c}") });
    }
}

/// A USB barcode scanner: it types each character as a key, then Enter.
fn scan(app: &App, code: &str) {
    use slint::platform::{Key, WindowEvent};
    let keys = code.chars().chain([char::from(Key::Return)]);
    for c in keys {
        app.window().dispatch_event(WindowEvent::KeyPressed { text: c.into() });
        app.window().dispatch_event(WindowEvent::KeyReleased { text: c.into() });
    }
}

fn receipts(data: &Path) -> Vec<std::path::PathBuf> {
    let mut pngs: Vec<_> = std::fs::read_dir(data.join("receipts"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "png")).collect())
        .unwrap_or_default();
    pngs.sort();
    pngs
}

fn qr_codes(png: &Path) -> Vec<String> {
    let page = printer::bitmap::Bitmap::read_png(&std::fs::read(png).unwrap()).unwrap();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
        if page.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

#[test]
fn taking_a_number_prints_that_number() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    demo.queue_up("A", 2);
    let before = receipts(data.path()).len();
    let k = kiosk(&demo);

    press(&k.app, "Lấy số thứ tự");
    assert_eq!(screen(&k.app), "services");
    press(&k.app, "A · Hộ tịch – Chứng thực");
    assert_eq!(screen(&k.app), "priority");
    press(&k.app, "Không, lấy số thường");

    assert_eq!(screen(&k.app), "ticket");
    assert_eq!(shown(&k.app, "ticket-number"), ["A003"]);
    let ticket = k.api().get_ticket();
    assert_eq!(ticket.print_state, "printed");
    assert_eq!(ticket.ahead, 2);
    // The one new receipt is this ticket: its QR leads to this ticket's page.
    let printed = receipts(data.path());
    assert_eq!(printed.len(), before + 1, "{printed:?}");
    assert_eq!(qr_codes(printed.last().unwrap()), [ticket.follow_url.to_string()]);
    let view = demo.runtime.block_on(demo.service.ticket(ticket.follow_url.rsplit('/').next().unwrap())).unwrap();
    assert_eq!(view.number, "A003");
}

#[test]
fn a_priority_citizen_is_recorded_with_the_category_only() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "C · Đất đai – Xây dựng");
    press(&k.app, "Người cao tuổi");
    let id = k.api().get_ticket().follow_url.rsplit('/').next().unwrap().to_string();
    let view = demo.runtime.block_on(demo.service.ticket(&id)).unwrap();
    assert_eq!((view.number.as_str(), view.priority.as_deref()), ("C001", Some("elderly")));
}

#[test]
fn when_the_printer_fails_the_number_stays_with_a_qr_to_follow_it() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Missing).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "B · Cư trú");
    press(&k.app, "Không, lấy số thường");
    assert_eq!(screen(&k.app), "ticket");
    assert_eq!(shown(&k.app, "ticket-number"), ["B001"]);
    let ticket = k.api().get_ticket();
    assert_eq!(ticket.print_state, "failed");
    let qr = ticket.qr.to_rgb8().expect("a QR image");
    let w = qr.width() as usize;
    let pixels = qr.as_slice();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, qr.height() as usize, |x, y| pixels[y * w + x].r);
    let decoded: Vec<String> = img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, t)| t)).collect();
    assert_eq!(decoded, [format!("http://192.168.1.10:8080/t/{}", ticket.follow_url.rsplit('/').next().unwrap())]);
}

#[test]
fn searching_dang_ky_khai_sinh_leads_to_the_detail_of_1_001193() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    assert_eq!(screen(&k.app), "search");

    type_keys(&k.app, "dang ky");
    let partial = k.api().get_results_total();
    type_keys(&k.app, " khai sinh");
    assert_eq!(k.api().get_search_text(), "dang ky khai sinh");
    let results = k.api().get_results();
    assert!(k.api().get_results_total() <= partial, "results narrow as one types");
    assert_eq!(results.row_data(0).unwrap().code, "1.001193");

    press(&k.app, &results.row_data(0).unwrap().name);
    assert_eq!(screen(&k.app), "procedure");
    assert_eq!(shown(&k.app, "procedure-name"), ["Đăng ký khai sinh"]);
    let p = k.api().get_procedure();
    assert_eq!(p.code, "1.001193");
    assert!(p.documents.row_count() > 0 && p.channels.row_count() > 0);

    let before = receipts(data.path()).len();
    press(&k.app, "In danh mục giấy tờ");
    assert_eq!(k.api().get_checklist_state(), "printed");
    assert_eq!(receipts(data.path()).len(), before + 1);

    press(&k.app, "Lấy số cho thủ tục này");
    assert_eq!(screen(&k.app), "priority");
    assert_eq!(k.api().get_chosen_service().code, p.service_code);
}

#[test]
fn a_usb_keyboard_goes_on_where_the_on_screen_keys_stopped() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    type_keys(&k.app, "khai");
    // The on-screen keys set the text; typing on a real keyboard continues after it.
    use slint::platform::WindowEvent;
    for c in " sinh".chars() {
        k.app.window().dispatch_event(WindowEvent::KeyPressed { text: c.into() });
        k.app.window().dispatch_event(WindowEvent::KeyReleased { text: c.into() });
    }
    assert_eq!(k.api().get_search_text(), "khai sinh");
}

#[test]
fn the_keyboard_writes_vietnamese_with_tone_keys_and_telex() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    type_keys(&k.app, "đăng ky");
    press(&k.app, "key sắc");
    assert_eq!(k.api().get_search_text(), "đăng ký");
    press(&k.app, "key clear");
    type_keys(&k.app, "chuwngs thuwcj");
    assert_eq!(k.api().get_search_text(), "chứng thực");
    assert!(k.api().get_results_total() > 0);
    press(&k.app, "key backspace");
    assert_eq!(k.api().get_search_text(), "chứng thự");
}

#[test]
fn browsing_a_field_lists_its_procedures() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    let fields = k.api().get_fields();
    let field = fields.iter().find(|f| f.code == "chung-thuc").expect("the Chứng thực field");
    press(&k.app, &field.name);
    assert_eq!(k.api().get_field_name(), "Chứng thực");
    let results = k.api().get_results();
    assert!(results.row_count() > 3);
    assert!(results.iter().all(|r| r.field == "Chứng thực"));
    assert_eq!(results.row_count() as i32, k.api().get_results_total());
}

#[test]
fn a_scanned_dossier_code_shows_status_and_dates_without_personal_data() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let code = demo.receive_dossier("1.001193");
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu hồ sơ");
    assert_eq!(screen(&k.app), "dossier");
    // A USB scanner types the code and Enter into the focused field.
    scan(&k.app, &code);
    assert!(k.api().get_dossier_found(), "message: {}", k.api().get_message());
    assert_eq!(shown(&k.app, "dossier-status"), ["Đang xử lý"]);
    let d = k.api().get_dossier();
    assert_eq!(d.code, code.as_str());
    assert_eq!(d.procedure_name, "Đăng ký khai sinh");
    assert!(d.received.starts_with("09:00 ngày 02/03/2026"), "{}", d.received);
    assert!(!d.due.is_empty());
    assert!(ElementHandle::find_by_accessible_label(&k.app, "Nguyễn Văn An").next().is_none(), "the applicant is not shown");

    // A wrong code is said plainly.
    press(&k.app, "key clear");
    type_keys(&k.app, "123");
    press(&k.app, "Tra cứu");
    assert!(!k.api().get_dossier_found());
    assert!(!k.api().get_message().is_empty());
}

#[test]
fn a_finished_ticket_is_rated_once_and_queued_for_the_province() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    demo.queue_up("A", 1);
    let number = demo.serve_next(1);
    assert_eq!(demo.runtime.block_on(demo.service.sync_state()).unwrap().pending, 0);
    let k = kiosk(&demo);

    press(&k.app, "Đánh giá hài lòng");
    assert_eq!(screen(&k.app), "rate-number");
    type_keys(&k.app, &number.to_lowercase());
    assert_eq!(k.api().get_rating_number(), number.as_str());
    press(&k.app, "Tiếp tục");
    assert_eq!(screen(&k.app), "rate");
    press(&k.app, "Hài lòng");
    assert_eq!(screen(&k.app), "thanks");
    assert_eq!(demo.runtime.block_on(demo.service.sync_state()).unwrap().pending, 1);

    // The same ticket cannot be rated twice: the citizen is told so.
    press(&k.app, "Về trang chủ");
    press(&k.app, "Đánh giá hài lòng");
    type_keys(&k.app, &number.to_lowercase());
    press(&k.app, "Tiếp tục");
    press(&k.app, "Rất hài lòng");
    assert_eq!(screen(&k.app), "rate-number");
    assert!(k.api().get_message().contains("đã được đánh giá"), "{}", k.api().get_message());
    assert_eq!(demo.runtime.block_on(demo.service.sync_state()).unwrap().pending, 1);
}

#[test]
fn a_low_rating_asks_why() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    demo.queue_up("A", 1);
    let number = demo.serve_next(1);
    let k = kiosk(&demo);
    kiosk_ui::glue::open_rating(&k.app, &kiosk_ui::backend::Finished { number, counter: 1, counter_name: "Quầy số 01".into() });
    assert_eq!(screen(&k.app), "rate");
    press(&k.app, "Không hài lòng");
    assert_eq!(screen(&k.app), "reasons");
    press(&k.app, "Chờ đợi lâu");
    press(&k.app, "Gửi đánh giá");
    assert_eq!(screen(&k.app), "thanks");
    assert_eq!(demo.runtime.block_on(demo.service.sync_state()).unwrap().pending, 1);
}

#[test]
fn finishing_a_ticket_at_the_counter_reaches_its_rating_screen() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let backend = demo.backend();
    let (tx, rx) = mpsc::channel();
    backend.watch_finished(3, Box::new(move |f| tx.send(f).unwrap()));
    demo.queue_up("A", 1);
    demo.queue_up("B", 1);
    demo.serve_next(1); // another counter: not for this screen
    let number = demo.serve_next(3);
    let f = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!((f.number, f.counter, f.counter_name.as_str()), (number, 3, "Quầy số 03"));
    assert!(rx.try_recv().is_err());
}

#[test]
fn an_idle_screen_returns_home_in_vietnamese_and_the_rating_after_30_s() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "English");
    press(&k.app, "Find a procedure");
    // The window's timer calls `tick` once a second.
    let wait = |seconds: u32| {
        for _ in 0..seconds {
            k.api().invoke_tick();
        }
    };
    wait(60);
    press(&k.app, "key a"); // a touch restarts the count
    wait(80);
    assert_eq!(screen(&k.app), "search");
    wait(15);
    assert_eq!(screen(&k.app), "home");
    assert!(!k.api().get_english());

    press(&k.app, "Đánh giá hài lòng");
    wait(29);
    assert_eq!(screen(&k.app), "rate-number");
    wait(2);
    assert_eq!(screen(&k.app), "home");
}

/// The geometry of the first result card and of its first line of text (the name).
fn first_card(app: &App) -> (f32, f32, f32, f32) {
    let name = app.global::<Api>().get_results().row_data(0).expect("a first result").name;
    let card = ElementHandle::find_by_accessible_label(app, &name)
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .unwrap_or_else(|| panic!("no card {name:?}"));
    let texts = card.query_descendants().match_type_name("Text").find_all();
    let title = texts.first().expect("the card's text");
    let last = texts.last().unwrap();
    let (top, height) = (card.absolute_position().y, card.size().height);
    let bottom_of_text = last.absolute_position().y + last.size().height;
    (top, height, title.absolute_position().y - top, top + height - bottom_of_text)
}

/// Issue 21.4: after typing, the first card showed a large blank band above its text. Whatever
/// was typed before (many results, one, none), the first card hugs its text: the name starts
/// at the card's padding and the card ends just below its last line.
#[test]
fn result_cards_hug_their_text_after_every_query() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    let list_top = |app: &App| {
        ElementHandle::find_by_accessible_label(app, "results-heading").next().map(|h| h.absolute_position().y + h.size().height).unwrap()
    };
    for query in ["khai sinh", "xac nhan tinh trang hon nhan", "ket hon", "tach ho", "chung thuc ban sao", "k", "khai tu"] {
        press(&k.app, "key clear");
        type_keys(&k.app, query);
        assert!(k.api().get_results_total() > 0, "{query}: no results");
        let (top, height, above, below) = first_card(&k.app);
        assert!((8.0..=20.0).contains(&above), "{query}: {above} px of blank above the name (card {height} px high)");
        assert!((8.0..=20.0).contains(&below), "{query}: {below} px of blank below the text (card {height} px high)");
        assert!(top - list_top(&k.app) < 40.0, "{query}: the first card starts {} px below the heading", top - list_top(&k.app));
    }
}

/// Đăng ký khai sinh: the papers every parent brings are listed first; the record of an
/// abandoned child and the surrogacy paper come after, each under "Chỉ khi: …", and a paper
/// only shown says so.
#[test]
fn a_procedure_marks_the_papers_needed_only_in_a_case() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    type_keys(&k.app, "khai sinh");
    k.api().invoke_open_procedure("1.001193".into());
    assert_eq!(screen(&k.app), "procedure");
    let always = shown(&k.app, "document");
    let cases = shown(&k.app, "document-case");
    let abandoned = always.iter().position(|d| d.contains("Biên bản xác nhận việc trẻ bị bỏ rơi")).expect("listed");
    let surrogacy = always.iter().position(|d| d.contains("Văn bản chứng minh việc mang thai hộ")).expect("listed");
    let declaration = always.iter().position(|d| d.contains("Tờ khai đăng ký khai sinh")).expect("listed");
    assert!(declaration < abandoned && declaration < surrogacy, "always-needed papers first: {always:#?}");
    assert!(cases.contains(&"Chỉ khi: trường hợp trẻ bị bỏ rơi".to_string()), "{cases:#?}");
    assert!(cases.iter().any(|c| c.contains("mang thai hộ")), "{cases:#?}");
    let p = k.api().get_procedure();
    assert!(p.documents.iter().all(|d| d.case.is_empty()));
    assert!(p.case_documents.iter().all(|d| !d.case.is_empty()) && p.case_documents.row_count() >= 2);
    assert!(p.documents.iter().any(|d| d.note == "xuất trình để đối chiếu"), "a paper only shown says so");
    assert_eq!(shown(&k.app, "procedure-code"), ["Mã thủ tục: 1.001193 · Hộ tịch · Cấp xã"]);

    // In English the marks are English; the catalogue's words stay as published.
    press(&k.app, "English");
    assert!(shown(&k.app, "document-case").contains(&"Only when: trường hợp trẻ bị bỏ rơi".to_string()));
}

/// A local placeholder code (`CXN.*`) is never shown as the "Mã thủ tục", in a list or on the page.
#[test]
fn a_placeholder_code_is_shown_as_being_updated() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    type_keys(&k.app, "khai sinh cho nguoi da co ho so");
    let results = k.api().get_results();
    let placeholder = results.iter().find(|r| r.code.starts_with("CXN.")).expect("a procedure with a placeholder code");
    assert_eq!(placeholder.shown_code, "");
    assert!(results.iter().all(|r| !r.shown_code.starts_with("CXN")));
    k.api().invoke_open_procedure(placeholder.code.clone());
    let code_line = shown(&k.app, "procedure-code");
    assert_eq!(code_line.len(), 1);
    assert!(code_line[0].starts_with("Mã thủ tục: đang cập nhật · "), "{code_line:?}");
    assert!(!code_line[0].contains("CXN"));
}

/// Words that match no procedure: the screen offers the fields instead of an empty list, and
/// choosing one lists its procedures.
#[test]
fn nothing_found_offers_the_fields() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    type_keys(&k.app, "cho toi hoi");
    assert_eq!(k.api().get_search_outcome(), "no_match");
    assert_eq!(shown(&k.app, "results-heading"), ["Không tìm thấy thủ tục nào phù hợp. Xin chọn lĩnh vực quý khách cần:"]);
    press(&k.app, "Cư trú");
    assert_eq!(k.api().get_field_name(), "Cư trú");
    assert_eq!(k.api().get_search_text(), "");
    assert!(k.api().get_results().iter().all(|r| r.field == "Cư trú") && k.api().get_results().row_count() > 3);
    // A word with a typo beyond repair is named; the others still find.
    press(&k.app, "Mọi lĩnh vực");
    type_keys(&k.app, "khai sinh qqqxz");
    assert_eq!(k.api().get_search_outcome(), "partial");
    assert!(shown(&k.app, "results-heading")[0].contains("không tìm thấy từ: qqqxz"), "{:?}", shown(&k.app, "results-heading"));
    press(&k.app, "English");
    assert!(shown(&k.app, "results-heading")[0].contains("no match for: qqqxz"));
}

/// A closed service says when numbers are given again: before opening, after closing, on a day
/// of the Tết break (with its name).
#[test]
fn a_closed_service_says_when_numbers_start() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    let note = |k: &Kiosk, code: &str| {
        press(&k.app, "Trang chủ");
        press(&k.app, "Lấy số thứ tự");
        let s = k.api().get_services().iter().find(|s| s.code == code).unwrap();
        (s.open, s.note.to_string(), s.note_en.to_string())
    };
    let vn = |d: u32, m: u32, h: u32, min: u32| {
        use chrono::TimeZone;
        firmware::calendar::vietnam_offset().with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
    };
    press(&k.app, "Lấy số thứ tự");
    // Monday 2 March 06:30, before the 07:00 window.
    demo.clock.set(vn(2, 3, 6, 30));
    assert_eq!(note(&k, "A"), (false, "Chưa đến giờ lấy số · Bắt đầu lúc 07:00".into(), "Not yet open · Numbers from 07:00".into()));
    // The lunch break: numbers again at 13:15.
    demo.clock.set(vn(2, 3, 12, 0));
    assert_eq!(note(&k, "A").1, "Chưa đến giờ lấy số · Bắt đầu lúc 13:15");
    // Friday 6 March after closing: Saturday morning is open at this centre.
    demo.clock.set(vn(6, 3, 17, 0));
    assert_eq!(note(&k, "A").1, "Hôm nay không còn lấy số · Lấy số lại từ 07:30 thứ Bảy, 07/03");
    // Open with nobody waiting: said plainly, no "0 người · khoảng 0 phút".
    demo.clock.set(vn(2, 3, 9, 0));
    let (open, vi, en) = note(&k, "D");
    assert!(open);
    assert_eq!((vi.as_str(), en.as_str()), ("Không có người chờ", "No one waiting"));
    // Saturday 14 February 2026: the first day of the Tết break, not a Saturday morning.
    demo.clock.set(vn(14, 2, 9, 0));
    let (open, vi, en) = note(&k, "A");
    assert!(!open);
    assert_eq!(vi, "Nghỉ Tết Nguyên đán Bính Ngọ · Lấy số lại từ 07:00 thứ Hai, 23/02");
    assert_eq!(en, "Holiday (Nghỉ Tết Nguyên đán Bính Ngọ) · Numbers from Mon 23/02, 07:00");
    // A statutory holiday by its name: Thursday 30 April 2026.
    demo.clock.set(vn(30, 4, 9, 0));
    assert!(note(&k, "A").1.starts_with("Nghỉ"), "{:?}", note(&k, "A"));
}

/// The dossier screen in English says the status in English.
#[test]
fn the_english_dossier_screen_translates_the_status() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let code = demo.receive_dossier("1.001193");
    let k = kiosk(&demo);
    press(&k.app, "English");
    press(&k.app, "Check a dossier");
    scan(&k.app, &code);
    assert_eq!(shown(&k.app, "dossier-status"), ["Being processed"]);
    press(&k.app, "Tiếng Việt");
    assert_eq!(shown(&k.app, "dossier-status"), ["Đang xử lý"]);
}
