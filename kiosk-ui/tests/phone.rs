//! A text message when the number comes near (issue 19), from the kiosk's keypad to the SMS
//! gateway: the screens driven with Slint's testing backend against a real service whose
//! `[notify]` webhook is a real HTTP server in this test, which records what it receives.

mod common;

use std::time::Duration;

use common::{kiosk, press, screen, shown, take_number};
use e2e::gateway::{after_first, recording_gateway as gateway};
use i_slint_backend_testing::ElementHandle;
use kiosk_ui::tour::{text_messages_to, Demo, Printer};
use kiosk_ui::{Api, App};
use slint::ComponentHandle;

#[test]
fn a_phone_typed_on_the_keypad_gets_one_unaccented_text_when_three_are_ahead() {
    let (url, received) = gateway();
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open_with(data.path(), Printer::Virtual, |c| c.notify = Some(text_messages_to(&url))).unwrap();
    std::fs::write(data.path().join("notify.secret"), "test-token").unwrap();
    demo.queue_up("A", 6);
    let k = kiosk(&demo);
    take_number(&k.app, "A · Hộ tịch – Chứng thực");
    assert_eq!(shown(&k.app, "ticket-number"), ["A007"]);

    press(&k.app, "Nhắn tin cho tôi khi sắp đến lượt");
    assert_eq!(screen(&k.app), "phone");
    // A wrong key first, taken back.
    for key in ["0", "9", "1", "2", "3", "4", "5", "6", "7", "7", "← Xóa số", "8"] {
        press(&k.app, key);
    }
    assert_eq!(shown(&k.app, "phone-text"), ["0912 345 678"]);
    press(&k.app, "Gửi");
    assert_eq!(screen(&k.app), "ticket");
    assert_eq!(k.api().get_phone_sent(), "0912 *** 678");
    let said = shown(&k.app, "phone-sent");
    assert!(said.len() == 1 && said[0].contains("0912 *** 678") && said[0].contains("còn 3 người"), "{said:?}");
    // Subscribed: the ticket screen no longer offers it.
    assert!(ElementHandle::find_by_accessible_label(&k.app, "Nhắn tin cho tôi khi sắp đến lượt").next().is_none());

    // Two served: four ahead, nothing sent; the third: three ahead, one text.
    demo.serve_next(1);
    demo.serve_next(1);
    std::thread::sleep(Duration::from_millis(500));
    assert!(received.lock().unwrap().is_empty(), "{:?}", received.lock().unwrap());
    demo.serve_next(1);
    let bodies = after_first(&received, Duration::from_secs(10), Duration::from_millis(500));
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["to"], "84912345678");
    let text = bodies[0]["message"].as_str().unwrap();
    assert!(text.contains("A007") && text.is_ascii() && text.chars().count() <= 160, "{text}");
}

#[test]
fn a_wrong_number_is_refused_on_the_keypad_and_home_forgets_it() {
    let (url, _) = gateway();
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open_with(data.path(), Printer::Virtual, |c| c.notify = Some(text_messages_to(&url))).unwrap();
    let k = kiosk(&demo);
    take_number(&k.app, "B · Cư trú");
    press(&k.app, "Nhắn tin cho tôi khi sắp đến lượt");
    for key in ["1", "2", "3", "4", "5"] {
        press(&k.app, key);
    }
    press(&k.app, "Gửi");
    assert_eq!(screen(&k.app), "phone");
    assert_eq!(k.api().get_message(), firmware::messages::message("bad_phone").unwrap().vi);
    press(&k.app, "Trang chủ");
    assert_eq!((k.api().get_phone_text().as_str(), k.api().get_phone_sent().as_str()), ("", ""));
}

#[test]
fn without_notices_the_ticket_offers_no_keypad() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo);
    take_number(&k.app, "B · Cư trú");
    assert_eq!(screen(&k.app), "ticket");
    assert!(ElementHandle::find_by_accessible_label(&k.app, "Nhắn tin cho tôi khi sắp đến lượt").next().is_none());
}

/// What the guide says last.
fn said(app: &App) -> String {
    app.global::<Api>().get_guide_said().to_string()
}

#[test]
fn the_voice_guide_reaches_the_keypad_and_types_with_its_arrows() {
    let (url, _) = gateway();
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open_with(data.path(), Printer::Virtual, |c| c.notify = Some(text_messages_to(&url))).unwrap();
    let k = kiosk(&demo);
    take_number(&k.app, "B · Cư trú");
    press(&k.app, "Hướng dẫn bằng giọng nói");
    // The ticket's first choice is the text message.
    press(&k.app, "Sau");
    assert_eq!(said(&k.app), "Nhắn tin cho tôi khi sắp đến lượt.");
    press(&k.app, "Chọn");
    assert_eq!(screen(&k.app), "phone");
    assert!(said(&k.app).contains("Xin nhập số điện thoại di động, rồi chọn Gửi."), "{}", said(&k.app));
    // Keys in telephone order: 1 first; choosing types it and the guide says what is typed.
    press(&k.app, "Sau");
    assert_eq!(said(&k.app), "1");
    press(&k.app, "Chọn");
    assert_eq!(k.api().get_phone_text(), "1");
    assert!(said(&k.app).contains("Đã nhập: 1."), "{}", said(&k.app));
}
