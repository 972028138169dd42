//! Buttons, LED and counter display on the simulated board, driving the real service: a press
//! calls the next number, a long press recalls it, a rating button rates the ticket just
//! finished, the help button tells staff, the LED lights when the printer needs attention, and
//! the counter display shows the number being called.

mod common;
use common::*;

use std::time::Duration;

use firmware::devices::sim::SimulatedBoard;
use firmware::devices::{display::PngDisplay, Action, ButtonConfig, DevicesConfig};

fn devices(png: std::path::PathBuf) -> DevicesConfig {
    let button = |pin, press: Action, long: Option<Action>| ButtonConfig { pin, counter: Some(1), press, long_press: long };
    DevicesConfig {
        board: Default::default(),
        poll_ms: 2,
        debounce_ms: 20,
        long_press_ms: 400,
        buttons: vec![
            button(17, Action::CallNext, Some(Action::Recall)),
            button(27, Action::Finish, None),
            button(5, Action::Rate("rat_hai_long".into()), None),
            ButtonConfig { pin: 26, counter: None, press: Action::Help, long_press: None },
        ],
        printer_led: Some(22),
        display: Some(firmware::devices::DisplayConfig {
            counter: 1,
            spi_bus: 0,
            chip_select: 0,
            dc_pin: 24,
            reset_pin: 25,
            png: Some(png),
        }),
    }
}

async fn press(board: &SimulatedBoard, pin: u8, hold_ms: u64) {
    // a little bounce first, as real contacts do
    for _ in 0..3 {
        board.set_pressed(pin, true);
        tokio::time::sleep(Duration::from_millis(2)).await;
        board.set_pressed(pin, false);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    board.set_pressed(pin, true);
    tokio::time::sleep(Duration::from_millis(hold_ms)).await;
    board.set_pressed(pin, false);
    tokio::time::sleep(Duration::from_millis(120)).await;
}

async fn wait_until(mut ok: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        if ok().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("condition not reached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counter_buttons_drive_the_queue() {
    let k = kiosk_with(|c| c.printer = None).await;
    let png = k._dir.path().join("display.png");
    let board = SimulatedBoard::new();
    let mut events = k.service.events().subscribe();
    firmware::server::devices::start(
        k.service.clone(),
        devices(png.clone()),
        Box::new(board.clone()),
        Some(Box::new(PngDisplay { path: png.clone() })),
    )
    .unwrap();
    // No printer at all: the LED asks for attention.
    wait_until(async || board.output(22)).await;

    let a1 = k.issue("A").await;
    let id = a1["id"].as_str().unwrap().to_string();
    let p = png.clone();
    wait_until(async || p.exists()).await;
    let idle_frame = std::fs::read(&png).unwrap();

    press(&board, 17, 60).await; // call next
    let svc = k.service.clone();
    let i = id.clone();
    wait_until(async || svc.ticket(&i).await.unwrap().status == firmware::queue::TicketStatus::Called).await;
    wait_until(async || std::fs::read(&png).unwrap() != idle_frame).await;

    press(&board, 17, 600).await; // long press: recall
    let i = id.clone();
    wait_until(async || svc.ticket(&i).await.unwrap().recalls == 1).await;
    assert_eq!(svc.ticket(&id).await.unwrap().status, firmware::queue::TicketStatus::Called, "a long press is not a second call");

    press(&board, 27, 60).await; // finish
    let i = id.clone();
    wait_until(async || svc.ticket(&i).await.unwrap().status == firmware::queue::TicketStatus::Done).await;

    press(&board, 5, 60).await; // the citizen presses "Rất hài lòng"
    wait_until(async || svc.sync_state().await.unwrap().pending == 1).await;

    press(&board, 26, 60).await; // help
    let mut saw_help = false;
    while let Ok(Ok(e)) = tokio::time::timeout(Duration::from_secs(2), events.recv()).await {
        if matches!(e.event, firmware::events::Event::HelpRequested(_)) {
            saw_help = true;
            break;
        }
    }
    assert!(saw_help);
}

#[test]
fn the_configuration_checks_the_pin_map() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let text = std::fs::read_to_string(path).unwrap()
        + "\n[devices]\n[[devices.button]]\npin = 17\npress = \"call_next\"\n[[devices.button]]\npin = 17\ncounter = 9\npress = \"rate:great\"\n";
    let err = firmware::Config::parse(&text, std::path::Path::new("kiosk.toml")).unwrap_err().to_string();
    assert!(err.contains("needs `counter = <n>`"), "{err}");
    assert!(err.contains("GPIO 17 is used twice"), "{err}");
    assert!(err.contains("counter 9 is not defined"), "{err}");
    assert!(err.contains("rating level \"great\""), "{err}");
}

/// The audio guide's buttons (issue 18.2) belong to the touchscreen app: they need no counter,
/// and the service never acts on them (pressing one issues, calls and journals nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_s_buttons_are_left_to_the_touchscreen() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let base = std::fs::read_to_string(path).unwrap();
    let guide = "\n[devices]\n[[devices.button]]\npin = 5\npress = \"guide\"\n[[devices.button]]\npin = 6\npress = \"guide_next\"\nlong_press = \"guide_previous\"\n[[devices.button]]\npin = 13\npress = \"guide_confirm\"\n";
    let config = firmware::Config::parse(&(base.clone() + guide), std::path::Path::new("kiosk.toml")).unwrap_or_else(|e| panic!("{e}"));
    let buttons = &config.devices.as_ref().unwrap().buttons;
    assert_eq!(buttons.iter().map(|b| b.press.clone()).collect::<Vec<_>>(), [Action::Guide, Action::GuideNext, Action::GuideConfirm]);
    let mixed = "\n[devices]\n[[devices.button]]\npin = 6\ncounter = 1\npress = \"guide_next\"\nlong_press = \"recall\"\n";
    let err = firmware::Config::parse(&(base + mixed), std::path::Path::new("kiosk.toml")).unwrap_err().to_string();
    assert!(err.contains("GPIO 6 mixes a touchscreen action with a service action"), "{err}");

    let k = kiosk().await;
    let board = SimulatedBoard::new();
    let cfg = DevicesConfig { poll_ms: 2, debounce_ms: 20, long_press_ms: 400, ..config.devices.unwrap() };
    firmware::server::devices::start(k.service.clone(), cfg, Box::new(board.clone()), None).unwrap();
    for pin in [5, 6, 13] {
        press(&board, pin, 60).await;
    }
    press(&board, 6, 500).await;
    let journal = k.service.events_since(0, 100).await.unwrap();
    let done: Vec<&str> = journal.iter().map(|e| e.event.name()).filter(|n| *n != "printer_status").collect();
    assert!(done.is_empty(), "the service did nothing: {done:?}");
}
