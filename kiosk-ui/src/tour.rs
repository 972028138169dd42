//! A kiosk with a believable morning behind it, and a scripted visit of every screen. The
//! screenshots in docs/screens, the UI tests and the benchmark all start from here: the shipped
//! configuration, a fresh data directory, and a manual clock fixed on a Monday at 09:00 so the
//! dispensing windows are open whatever the real time is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::service::Reception;
use firmware::Service;

use crate::glue::Kiosk;
use crate::local::LocalBackend;
use crate::Api;
use slint::ComponentHandle;

/// The shipped configuration (`config/kiosk.toml`).
pub fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml")
}

/// Monday 2 March 2026, 09:00 in Vietnam: a working day inside the morning window.
pub fn monday_nine() -> DateTime<FixedOffset> {
    let at = firmware::calendar::vietnam_offset().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    debug_assert_eq!(at.weekday(), chrono::Weekday::Mon);
    at
}

/// `[notify]` for a demo: the default texts (unaccented SMS), sent as a generic webhook to `url`.
pub fn text_messages_to(url: &str) -> firmware::sync::notices::NotifyConfig {
    use std::time::Duration;
    let body = serde_json::json!({"to": "{phone}", "message": "{text}", "request_id": "{idempotency_key}"});
    firmware::sync::notices::NotifyConfig {
        timeout: Duration::from_secs(2),
        first_retry: Duration::from_millis(100),
        max_retry: Duration::from_secs(1),
        ..firmware::sync::notices::NotifyConfig::webhook(url, body)
    }
}

/// The service of a demo kiosk, running on its own tokio runtime.
pub struct Demo {
    pub runtime: tokio::runtime::Runtime,
    pub service: Service,
    pub clock: Arc<ManualClock>,
}

/// How the demo's receipt printer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printer {
    /// The shipped virtual printer: every job becomes a PNG under `<data>/receipts/`.
    Virtual,
    /// A USB printer that is not there: every job fails.
    Missing,
}

impl Demo {
    /// Open the shipped configuration with its data in `data_dir`.
    pub fn open(data_dir: &Path, printer: Printer) -> Result<Demo, String> {
        Demo::open_with(data_dir, printer, |_| {})
    }

    /// The same, with the configuration changed by `edit` first.
    pub fn open_with(data_dir: &Path, printer: Printer, edit: impl FnOnce(&mut firmware::Config)) -> Result<Demo, String> {
        let mut config = firmware::Config::load(&shipped_config()).map_err(|e| e.to_string())?;
        config.data_dir = data_dir.to_path_buf();
        edit(&mut config);
        if printer == Printer::Missing {
            if let Some(p) = config.printer.as_mut() {
                p.transport = "usb:/nonexistent/usb/lp0".into();
                p.timeout_ms = Some(200);
            }
        }
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| e.to_string())?;
        let clock = Arc::new(ManualClock::new(monday_nine()));
        let service = runtime.block_on(firmware::server::start(config, clock.clone())).map_err(|e| e.to_string())?;
        Ok(Demo { runtime, service, clock })
    }

    pub fn backend(&self) -> Arc<LocalBackend> {
        Arc::new(LocalBackend::new(self.service.clone(), self.runtime.handle().clone()))
    }

    /// Citizens already in the hall: `count` tickets for `service`.
    pub fn queue_up(&self, service: &str, count: usize) {
        for _ in 0..count {
            self.runtime.block_on(self.service.issue(service, None)).expect("issue");
        }
    }

    /// An officer at `counter` calls the next citizen and finishes with them; their number.
    pub fn serve_next(&self, counter: u32) -> String {
        let called = self.runtime.block_on(self.service.call_next(counter, None)).expect("call").expect("someone waits");
        self.clock.advance(chrono::Duration::minutes(6));
        self.runtime.block_on(self.service.act(counter, firmware::queue::Action::Finish)).expect("finish");
        called.number
    }

    /// A dossier received at counter 1 for `procedure`, now being processed; its code.
    pub fn receive_dossier(&self, procedure: &str) -> String {
        let r = Reception {
            procedure: procedure.into(),
            received_at: None,
            channel: "direct".into(),
            variant: None,
            applicant_name: "Nguyễn Văn An".into(),
            applicant_title: Some(firmware::dossier::Title::Ong),
            sets: 1,
        };
        let code = self.runtime.block_on(self.service.receive_dossier(1, None, r)).expect("receive").code;
        // 2 → 4: accepted, then in progress.
        self.runtime.block_on(self.service.set_dossier_status(&code, 4, false)).expect("in progress");
        code
    }
}

/// The QR text of an invented CCCD card whose holder was born on 15/03/1950 (75 on the tour's
/// Monday): the scanner's screens.
pub const SAMPLE_CARD: &str = "001095012345|123456789|Nguyễn Văn An|15031950|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|10072021";

/// The screens a visit shows, in order; `ticket-printer-failed` needs a demo with [`Printer::Missing`].
pub const SCREENS: [&str; 22] = [
    "home",
    "services",
    "priority",
    "ticket",
    "phone",
    "ticket-phone",
    "services-card",
    "search",
    "search-results",
    "procedure",
    "dossier",
    "rate-number",
    "rate",
    "reasons",
    "thanks",
    "services-holiday",
    "home-before-opening",
    "home-closing-soon",
    "guide-services",
    "guide-procedure",
    "help",
    "countdown",
];

/// Walk `kiosk` (running inline on `demo`) through every screen, calling `shoot` on each.
pub fn visit(kiosk: &Kiosk, demo: &Demo, mut shoot: impl FnMut(&str)) {
    let api: Api = kiosk.api();
    demo.queue_up("A", 4);
    demo.queue_up("B", 2);
    demo.queue_up("C", 1);
    let served = demo.serve_next(1);
    let dossier = demo.receive_dossier("1.001193");

    api.invoke_go("home".into());
    shoot("home");
    api.invoke_go("services".into());
    shoot("services");
    api.invoke_choose_service("A".into());
    shoot("priority");
    api.invoke_choose_priority("elderly".into());
    shoot("ticket");
    // A text message when the number comes near: the keypad, then the ticket again.
    api.invoke_go("phone".into());
    for digit in "0912345678".chars() {
        api.invoke_phone_key(digit.to_string().into());
    }
    shoot("phone");
    api.invoke_send_phone();
    shoot("ticket-phone");
    // The next citizen holds their card under the scanner, on whatever screen shows.
    kiosk.scan(SAMPLE_CARD);
    shoot("services-card");
    api.invoke_forget_card();

    api.invoke_go("search".into());
    shoot("search");
    for key in ["k", "h", "a", "i", " ", "s", "i", "n", "h"] {
        api.invoke_key(key.into());
    }
    shoot("search-results");
    api.invoke_open_procedure("1.001193".into());
    shoot("procedure");

    api.invoke_go("dossier".into());
    api.set_dossier_text(dossier.as_str().into());
    api.invoke_lookup_dossier();
    shoot("dossier");

    api.invoke_go("rate-number".into());
    shoot("rate-number");
    api.set_rating_number(served.as_str().into());
    api.invoke_rate_ticket();
    shoot("rate");
    let low = kiosk_low_level(kiosk);
    api.invoke_choose_level(low);
    api.invoke_toggle_reason("wait_long".into());
    shoot("reasons");
    api.invoke_send_rating();
    shoot("thanks");

    // Thursday 30 April 2026, inside the 30/4–1/5 break: every tile says why and when numbers
    // are given again.
    let vn = |d, m, h, min| firmware::calendar::vietnam_offset().with_ymd_and_hms(2026, m, d, h, min, 0).unwrap();
    demo.clock.set(vn(30, 4, 9, 0));
    api.invoke_go("services".into());
    shoot("services-holiday");

    // Monday 2 March, 06:50: Home says when numbers start; 11:05: that they stop soon.
    demo.clock.set(vn(2, 3, 6, 50));
    api.invoke_go("home".into());
    shoot("home-before-opening");
    demo.clock.set(vn(2, 3, 11, 5));
    api.invoke_go("home".into());
    shoot("home-closing-soon");

    // The audio guide, on the first service, then on a procedure's "take a number".
    demo.clock.set(vn(2, 3, 9, 30));
    api.invoke_go("services".into());
    api.invoke_toggle_guide();
    api.invoke_guide_step(1);
    shoot("guide-services");
    api.invoke_open_procedure("1.001193".into());
    api.invoke_guide_step(1);
    api.invoke_guide_step(1);
    shoot("guide-procedure");
    api.invoke_toggle_guide();

    // "Cần hỗ trợ": the staff were told.
    api.invoke_go("search".into());
    api.invoke_ask_help();
    shoot("help");
    api.set_help_state("".into());

    // Nobody touched the search screen for a while: 7 seconds left.
    api.set_idle_seconds(api.get_idle_limit() - 7);
    shoot("countdown");
    api.invoke_go("home".into());
}

/// The code of the last (lowest) rating level.
fn kiosk_low_level(kiosk: &Kiosk) -> slint::SharedString {
    use slint::Model;
    let levels = kiosk.api().get_levels();
    levels.row_data(levels.row_count() - 1).map(|l| l.code).unwrap_or_default()
}

/// Issue a ticket through the UI on a demo whose printer is missing (the QR screen).
pub fn visit_printer_failure(kiosk: &Kiosk, mut shoot: impl FnMut(&str)) {
    let api = kiosk.api();
    api.invoke_go("services".into());
    api.invoke_choose_service("B".into());
    api.invoke_choose_priority("".into());
    shoot("ticket-printer-failed");
}

/// The two screen shapes the kiosk supports.
pub const ORIENTATIONS: [(&str, u32, u32); 2] = [("portrait", 1080, 1920), ("landscape", 1920, 1080)];

/// The two ways the screens look: as they are, and "Chữ to" (text 1.5× larger, high contrast).
pub const MODES: [(&str, bool); 2] = [("", false), ("large-", true)];

/// Render every screen in both orientations, both languages and both modes to
/// `out/kiosk-<orientation>-<language>-<screen>.png` and `…-<language>-large-<screen>.png`.
pub fn render_all(out: &Path, screen: &mut crate::headless::Screen) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut written = Vec::new();
    for (orientation, width, height) in ORIENTATIONS {
        screen.resize(width, height);
        for english in [false, true] {
            let language = if english { "en" } else { "vi" };
            for (mode, low_vision) in MODES {
                for printer in [Printer::Virtual, Printer::Missing] {
                    let data =
                        std::env::temp_dir().join(format!("kiosk-screens-{}-{orientation}-{language}-{printer:?}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&data);
                    // Text messages on (to a port where nothing answers): the ticket offers them.
                    let demo = Demo::open_with(&data, printer, |c| c.notify = Some(text_messages_to("http://127.0.0.1:9/sms")))?;
                    let kiosk = Kiosk::new(demo.backend(), crate::glue::Runner::Inline).map_err(|e| e.to_string())?;
                    kiosk.app.show().map_err(|e| e.to_string())?;
                    kiosk.api().set_english(english);
                    kiosk.api().set_low_vision(low_vision);
                    let mut failure = None;
                    let mut shoot = |name: &str| {
                        let path = out.join(format!("kiosk-{orientation}-{language}-{mode}{name}.png"));
                        match screen.save_png(&path) {
                            Ok(()) => written.push(path),
                            Err(e) => failure = Some(format!("{}: {e}", path.display())),
                        }
                    };
                    match printer {
                        Printer::Virtual => visit(&kiosk, &demo, &mut shoot),
                        Printer::Missing => visit_printer_failure(&kiosk, &mut shoot),
                    }
                    kiosk.app.hide().map_err(|e| e.to_string())?;
                    drop(kiosk);
                    drop(demo);
                    let _ = std::fs::remove_dir_all(&data);
                    if let Some(e) = failure {
                        return Err(e);
                    }
                }
            }
        }
    }
    Ok(written)
}
