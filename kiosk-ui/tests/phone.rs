//! A text message when the number comes near (issue 19), from the kiosk's keypad to the SMS
//! gateway: the screens driven with Slint's testing backend against a real service whose
//! `[notify]` webhook is a real HTTP server in this test, which records what it receives.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::tour::{text_messages_to, Demo, Printer};
use kiosk_ui::{Api, App};
use slint::ComponentHandle;

fn kiosk(demo: &Demo) -> Kiosk {
    i_slint_backend_testing::init_no_event_loop();
    let kiosk = Kiosk::new(demo.backend(), Runner::Inline).unwrap();
    kiosk.app.window().set_size(slint::PhysicalSize::new(1080, 1920));
    kiosk.app.show().unwrap();
    kiosk
}

fn screen(app: &App) -> String {
    app.global::<Api>().get_screen().to_string()
}

fn press(app: &App, label: &str) {
    let buttons: Vec<ElementHandle> =
        ElementHandle::find_by_accessible_label(app, label).filter(|e| e.accessible_role() == Some(AccessibleRole::Button)).collect();
    assert!(!buttons.is_empty(), "no button {label:?} on screen {:?}", screen(app));
    buttons[0].invoke_accessible_default_action();
}

fn shown(app: &App, label: &str) -> Vec<String> {
    ElementHandle::find_by_accessible_label(app, label).filter_map(|e| e.accessible_value()).map(|v| v.to_string()).collect()
}

/// An SMS gateway on loopback: answers 200 to every POST and keeps each body.
fn gateway() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_ok() {
                kept.lock().unwrap().push(serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null));
            }
            let _ =
                stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        }
    });
    (url, bodies)
}

#[test]
fn a_phone_typed_on_the_keypad_gets_one_unaccented_text_when_three_are_ahead() {
    let (url, received) = gateway();
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open_with(data.path(), Printer::Virtual, |c| c.notify = Some(text_messages_to(&url))).unwrap();
    std::fs::write(data.path().join("notify.secret"), "test-token").unwrap();
    demo.queue_up("A", 6);
    let k = kiosk(&demo);
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "A · Hộ tịch – Chứng thực");
    press(&k.app, "Không, lấy số thường");
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
    let deadline = Instant::now() + Duration::from_secs(10);
    while received.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "no text reached the gateway");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let bodies = received.lock().unwrap().clone();
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
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "B · Cư trú");
    press(&k.app, "Không, lấy số thường");
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
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "B · Cư trú");
    press(&k.app, "Không, lấy số thường");
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
    press(&k.app, "Lấy số thứ tự");
    press(&k.app, "B · Cư trú");
    press(&k.app, "Không, lấy số thường");
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
