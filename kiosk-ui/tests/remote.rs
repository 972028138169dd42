//! A second kiosk (`--server URL`) sees exactly what the main kiosk sees: the HTTP backend
//! against a served `Service` gives the same answers as the in-process backend.

use std::sync::mpsc;
use std::time::Duration;

use kiosk_ui::backend::{Backend, KioskInfo};
use kiosk_ui::remote::RemoteBackend;
use kiosk_ui::tour::{Demo, Printer};

#[test]
fn the_remote_backend_answers_like_the_local_one() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let listener = demo.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    demo.runtime.spawn(firmware::server::serve(demo.service.clone(), listener, std::future::pending()));
    let remote = RemoteBackend::new(&url, KioskInfo::from_config(demo.service.config()));
    let local = demo.backend();

    assert_eq!(remote.services().unwrap(), local.services().unwrap());
    assert_eq!(remote.fields().unwrap(), local.fields().unwrap());
    assert_eq!(remote.search("dang ky khai sinh", None, 10).unwrap(), local.search("dang ky khai sinh", None, 10).unwrap());
    assert_eq!(remote.search("", Some("ho-tich"), 50).unwrap(), local.search("", Some("ho-tich"), 50).unwrap());
    // Nothing matched: both offer the fields; a placeholder code has no public code on either.
    let none = remote.search("cho tôi hỏi", None, 10).unwrap();
    assert_eq!((none.outcome.as_str(), none.fields.len()), ("no_match", local.fields().unwrap().len()));
    assert_eq!(none, local.search("cho tôi hỏi", None, 10).unwrap());
    let placeholder = remote.search("khai sinh cho người đã có hồ sơ", None, 5).unwrap();
    assert!(placeholder.results.iter().any(|r| r.code.starts_with("CXN.") && r.public_code.is_none()), "{placeholder:?}");
    assert_eq!(placeholder, local.search("khai sinh cho người đã có hồ sơ", None, 5).unwrap());
    assert_eq!(remote.procedure("1.001193").unwrap(), local.procedure("1.001193").unwrap());
    assert_eq!(remote.procedure("9.999999").unwrap_err().code, "unknown_procedure");

    let code = demo.receive_dossier("1.001193");
    assert_eq!(remote.dossier(&code).unwrap(), local.dossier(&code).unwrap());
    assert_eq!(remote.dossier("000.00.17.H41-260302-9999").unwrap_err().code, "unknown_dossier");

    let ticket = remote.issue("A", Some("elderly"), None).unwrap();
    assert_eq!((ticket.number.as_str(), ticket.printed), ("A001", Some(true)));
    assert_eq!(remote.issue("Z", None, None).unwrap_err().code, "unknown_service");

    let (tx, rx) = mpsc::channel();
    remote.watch_finished(1, Box::new(move |f| tx.send(f).unwrap()));
    std::thread::sleep(Duration::from_millis(500)); // the event stream is open
    let number = demo.serve_next(1);
    let finished = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!((finished.number.as_str(), finished.counter), (number.as_str(), 1));

    // Rating by the printed number needs this kiosk enrolled as a rating device.
    assert_eq!(remote.rate(&number, "hai_long", &[]).unwrap_err().code, "device_not_enrolled");
    let db = firmware::Service::database_path(demo.service.config());
    let token = firmware::service::enroll_device_beside(&db, "second kiosk", firmware::auth::unix_ms()).unwrap();
    let remote = remote.with_device_token(token);
    remote.rate(&number, "hai_long", &[]).unwrap();
    assert_eq!(remote.rate(&number, "hai_long", &[]).unwrap_err().code, "already_rated");
    assert_eq!(demo.runtime.block_on(demo.service.sync_state()).unwrap().pending, 1);
    let receipts = || std::fs::read_dir(data.path().join("receipts")).unwrap().count();
    let before = receipts();
    assert!(remote.print_checklist("1.001193").unwrap());
    assert!(receipts() > before, "printed on the main kiosk's printer");

    // Without a configuration file of its own, the second kiosk still has the rating scale.
    let info = RemoteBackend::info_from_server(&url).unwrap();
    assert_eq!(info.levels, remote.info().levels);
    assert_eq!(info.reasons, remote.info().reasons);
}

/// A second kiosk's scanner and keypad go through the main kiosk's API: the card's caps and age
/// rule, and the text-message subscription, as on the main kiosk.
#[test]
fn a_second_kiosk_sends_the_card_and_the_phone_number() {
    use kiosk_ui::backend::CardScan;
    let data = tempfile::tempdir().unwrap();
    let demo =
        Demo::open_with(data.path(), Printer::Virtual, |c| c.notify = Some(kiosk_ui::tour::text_messages_to("http://127.0.0.1:9/sms")))
            .unwrap();
    let listener = demo.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    demo.runtime.spawn(firmware::server::serve(demo.service.clone(), listener, std::future::pending()));
    // What a second kiosk without the centre's file learns: notices on, at 3 ahead; priority by age.
    let info = RemoteBackend::info_from_server(&url).unwrap();
    assert_eq!((info.notify_ahead, info.elderly_priority.as_deref()), (Some(3), Some("elderly")));
    let remote = RemoteBackend::new(&url, info);

    let card = CardScan { qr: kiosk_ui::tour::SAMPLE_CARD.into(), decline_priority: false };
    let ticket = remote.issue("B", None, Some(&card)).unwrap();
    assert_eq!((ticket.number.as_str(), ticket.priority.as_deref()), ("B001", Some("elderly")));
    assert_eq!(remote.issue("B", None, Some(&card)).unwrap_err().code, "person_cap_reached");
    let declined = CardScan { decline_priority: true, ..card };
    assert_eq!(remote.issue("C", None, Some(&declined)).unwrap().priority, None);

    let sub = remote.subscribe_notices(&ticket.id, "0912 345 678").unwrap();
    assert_eq!((sub.phone.as_str(), sub.notify_ahead), ("0912 *** 678", 3));
    assert_eq!(remote.subscribe_notices(&ticket.id, "12345").unwrap_err().code, "bad_phone");
    assert_eq!(remote.subscribe_notices(&ticket.number, "0912345678").unwrap_err().code, "unknown_ticket");
}
