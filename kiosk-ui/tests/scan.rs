//! The citizen's identity card under the kiosk's scanner (issue 19), driven through the screens
//! with Slint's testing backend against a real service: a scanner in keyboard mode (a burst of
//! key events, as the window receives them) on any screen, and one in serial mode (a real
//! pseudo-terminal, as a CDC-ACM port is one). What the service recorded is read back from it.

use std::io::Write;
use std::time::{Duration, Instant};

mod common;

use common::{kiosk, press, screen};
use i_slint_backend_testing::ElementHandle;
use kiosk_ui::glue::Kiosk;
use kiosk_ui::tour::{Demo, Printer};
use kiosk_ui::App;
use slint::platform::{Key, WindowEvent};
use slint::ComponentHandle;

/// Born 15/03/1950: 75 on the demo's Monday, 2 March 2026.
const ELDER: &str = "001095012345|123456789|Nguyễn Văn An|15031950|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|10072021";
/// Born 01/02/2003.
const YOUNG: &str = "079303001122||Trần Thị Bình|01022003|Nữ|Phường Bến Nghé, TP. Hồ Chí Minh|05052022";

/// A scanner in keyboard mode: each character as a key, `pause` apart, then Enter.
fn type_burst(app: &App, text: &str, pause: Duration) {
    for c in text.chars().chain([char::from(Key::Return)]) {
        app.window().dispatch_event(WindowEvent::KeyPressed { text: c.into() });
        app.window().dispatch_event(WindowEvent::KeyReleased { text: c.into() });
        if !pause.is_zero() {
            std::thread::sleep(pause);
        }
    }
}

fn ticket_priority(demo: &Demo, k: &Kiosk) -> (String, Option<String>) {
    let id = k.api().get_ticket().id.to_string();
    let view = demo.runtime.block_on(demo.service.ticket(&id)).unwrap();
    (view.number, view.priority)
}

#[test]
fn a_card_scanned_on_the_search_screen_gives_an_elderly_number_once() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    assert_eq!(screen(&k.app), "search");
    k.api().set_search_text("khai sinh".into());

    type_burst(&k.app, ELDER, Duration::ZERO);

    // The services open with the card held; the search field got nothing of it.
    assert_eq!(screen(&k.app), "services");
    assert_eq!(k.api().get_card(), "elderly");
    assert_eq!(k.api().get_search_text(), "khai sinh");
    assert!(!ElementHandle::find_by_accessible_label(&k.app, "card elderly").collect::<Vec<_>>().is_empty());
    // No priority question: the card's holder is 75.
    press(&k.app, "C · Đất đai – Xây dựng");
    assert_eq!(screen(&k.app), "ticket");
    assert_eq!(ticket_priority(&demo, &k), ("C001".to_string(), Some("elderly".to_string())));
    assert_eq!(k.api().get_card(), "", "the card counts for one number and is put aside");

    // The same card again for the same service: refused in Vietnamese, nothing issued.
    press(&k.app, "Trang chủ");
    type_burst(&k.app, ELDER, Duration::ZERO);
    press(&k.app, "C · Đất đai – Xây dựng");
    assert_eq!(screen(&k.app), "services");
    let refusal = firmware::messages::message("person_cap_reached").unwrap().vi;
    assert_eq!(k.api().get_message(), refusal);
    let c = demo.runtime.block_on(demo.service.services()).unwrap().into_iter().find(|s| s.code == "C").unwrap();
    assert_eq!(c.waiting, 1, "one number for one person");
}

#[test]
fn an_elderly_holder_may_decline_the_priority_and_a_young_one_is_asked_as_anyone() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    type_burst(&k.app, ELDER, Duration::ZERO);
    assert_eq!(screen(&k.app), "services");
    press(&k.app, "Không cần ưu tiên");
    assert!(k.api().get_card_decline());
    press(&k.app, "B · Cư trú");
    // Declined: the priority question as for anyone, and a normal number.
    assert_eq!(screen(&k.app), "priority");
    press(&k.app, "Không, lấy số thường");
    assert_eq!(ticket_priority(&demo, &k), ("B001".to_string(), None));

    press(&k.app, "Xong");
    type_burst(&k.app, YOUNG, Duration::ZERO);
    assert_eq!(k.api().get_card(), "read");
    assert!(ElementHandle::find_by_accessible_label(&k.app, "Không cần ưu tiên").next().is_none());
    press(&k.app, "A · Hộ tịch – Chứng thực");
    assert_eq!(screen(&k.app), "priority");
    press(&k.app, "Không, lấy số thường");
    assert_eq!(ticket_priority(&demo, &k), ("A001".to_string(), None));
}

#[test]
fn a_person_typing_the_same_text_is_not_a_scan_and_home_forgets_a_card() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Tra cứu thủ tục");
    // 60 ms between keys: a quick typist, not a scanner.
    type_burst(&k.app, YOUNG, Duration::from_millis(60));
    assert_eq!(screen(&k.app), "search");
    assert_eq!(k.api().get_card(), "");

    type_burst(&k.app, YOUNG, Duration::ZERO);
    assert_eq!(k.api().get_card(), "read");
    press(&k.app, "Bỏ thẻ, lấy số không dùng thẻ");
    assert_eq!(k.api().get_card(), "");
    type_burst(&k.app, YOUNG, Duration::ZERO);
    press(&k.app, "Trang chủ");
    assert_eq!(k.api().get_card(), "", "the next citizen finds no card held");
}

#[test]
fn a_scanner_in_serial_mode_reads_cards_and_refuses_other_codes() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    // A CDC-ACM port is a terminal: the kiosk reads the far end of a pseudo-terminal pair.
    let (mut scanner, port) = serialport::TTYPort::pair().expect("a pseudo-terminal");
    let path = serialport::SerialPort::name(&port).expect("the port's name");
    k.watch_scanner(path.into());
    let wait_for = |what: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !what() {
            assert!(Instant::now() < deadline, "the scan never reached the window");
            std::thread::sleep(Duration::from_millis(20));
            i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(25));
        }
    };

    scanner.write_all(b"https://example.com/not-a-card\r\n").unwrap();
    wait_for(&|| k.api().get_scan_problem() != "");
    assert_eq!(k.api().get_scan_problem(), firmware::messages::message("not_an_identity_card").unwrap().vi);
    assert_eq!(k.api().get_card(), "");
    press(&k.app, "Đóng");

    scanner.write_all(format!("{ELDER}\r").as_bytes()).unwrap();
    wait_for(&|| k.api().get_card() != "");
    assert_eq!((screen(&k.app).as_str(), k.api().get_card().as_str()), ("services", "elderly"));
    press(&k.app, "A · Hộ tịch – Chứng thực");
    assert_eq!(ticket_priority(&demo, &k), ("A001".to_string(), Some("elderly".to_string())));
    drop(port);
}

#[test]
fn the_voice_guide_says_a_card_was_read_or_that_a_code_is_not_a_card() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    press(&k.app, "Hướng dẫn bằng giọng nói");
    k.scan("https://example.com/not-a-card");
    let said = || k.api().get_guide_said().to_string();
    assert!(said().starts_with("Đây không phải mã QR của thẻ Căn cước."), "{}", said());
    press(&k.app, "Sau");
    press(&k.app, "Chọn");
    assert_eq!(k.api().get_scan_problem(), "");
    k.scan(ELDER);
    assert!(said().contains("Đã đọc thẻ căn cước của quý khách. Quý khách từ 60 tuổi trở lên: số được ưu tiên."), "{}", said());
}
