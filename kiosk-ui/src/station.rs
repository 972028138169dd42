//! A second kiosk's own side (`kiosk --server URL --config FILE --data DIR`): its configuration
//! file, its own printer, and the loop that keeps it honest with the main service. The centre
//! (services, counters, rules, the rating scale) comes from the main service; what belongs to
//! this machine is in its own small file:
//!
//! ```toml
//! [kiosk]
//! language = "vi"                  # the language every citizen starts in ("vi" | "en")
//! idle_seconds = 90                # back to Home after this long without a touch
//! device_token_file = "device-token"   # from `kioskd enroll-device NAME`; relative to --data
//! scanner = "/dev/ttyACM0"         # its QR scanner in serial mode (keyboard mode needs nothing)
//!
//! [printer]                        # this kiosk's own printer, as in kiosk.toml
//! transport = "usb:/dev/usb/lp0"
//! profile = "xprinter-80"
//! ```
//!
//! With a `[printer]` it prints everything it dispenses itself, as an enrolled kiosk (its
//! token); without one the main service prints for it, as for any screen. A centre's full
//! `kiosk.toml` given to `--config` (the main Pi's UI unit) is not such a file: that kiosk keeps
//! having the service print for it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use firmware::printing::PrinterTask;
use printer::{Document, PrinterConfig, PrinterState};
use serde::Deserialize;
use slint::ComponentHandle;

use crate::backend::Backend;
use crate::glue::Kiosk;
use crate::remote::RemoteBackend;
use crate::Api;

/// A second kiosk's own configuration, checked.
#[derive(Debug, Clone)]
pub struct StationConfig {
    /// Every citizen starts in English (otherwise Vietnamese).
    pub english_first: bool,
    /// Seconds without a touch before a screen goes back to Home.
    pub idle_seconds: u32,
    /// This kiosk's own printer; none: the main service prints for it.
    pub printer: Option<PrinterConfig>,
    /// Where its token as an enrolled kiosk is (`kioskd enroll-device NAME` on the main kiosk).
    pub device_token_file: PathBuf,
    /// Its code scanner in serial (CDC-ACM) mode; none for keyboard mode (or no scanner).
    pub scanner: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    kiosk: RawKiosk,
    #[serde(default)]
    printer: Option<PrinterConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKiosk {
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    idle_seconds: Option<u32>,
    #[serde(default)]
    device_token_file: Option<PathBuf>,
    #[serde(default)]
    scanner: Option<PathBuf>,
}

/// Whether `text` is a second kiosk's own file (a `[kiosk]` section and no centre of its own),
/// rather than a centre's `kiosk.toml`.
pub fn is_station_file(text: &str) -> bool {
    text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("kiosk") && !t.contains_key("centre") && !t.contains_key("service"))
}

impl StationConfig {
    /// Read and check the file at `path`; `data_dir` is this kiosk's own data directory
    /// (receipts of a virtual printer, the token file by default). Every problem says where.
    pub fn load(path: &Path, data_dir: &Path) -> Result<StationConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        StationConfig::parse(&text, data_dir).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str, data_dir: &Path) -> Result<StationConfig, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let english_first = match raw.kiosk.language.as_deref() {
            None | Some("vi") => false,
            Some("en") => true,
            Some(other) => return Err(format!("[kiosk] language = {other:?}: \"vi\" or \"en\"")),
        };
        let idle_seconds = raw.kiosk.idle_seconds.unwrap_or(90);
        if !(15..=600).contains(&idle_seconds) {
            return Err(format!("[kiosk] idle_seconds = {idle_seconds}: from 15 to 600"));
        }
        let printer = match raw.printer {
            Some(mut p) => {
                printer::Settings::from_config(&p).map_err(|e| format!("[printer]: {e}"))?;
                if p.transport == "virtual" && p.virtual_dir.is_none() {
                    p.virtual_dir = Some(data_dir.join("receipts"));
                }
                Some(p)
            }
            None => None,
        };
        let token = raw.kiosk.device_token_file.unwrap_or_else(|| PathBuf::from("device-token"));
        let scanner = raw.kiosk.scanner.filter(|p| !p.as_os_str().is_empty());
        if let Some(p) = scanner.as_ref().filter(|p| !p.starts_with("/dev/")) {
            return Err(format!("[kiosk] scanner = {:?}: a serial port under /dev/ (e.g. /dev/ttyACM0)", p.display().to_string()));
        }
        Ok(StationConfig { english_first, idle_seconds, printer, device_token_file: data_dir.join(token), scanner })
    }
}

/// The token in `path`, trimmed; `None` when there is no such file.
pub fn read_token(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) if !t.trim().is_empty() => Ok(Some(t.trim().to_string())),
        Ok(_) => Err(format!("{} is empty: put the token from `kioskd enroll-device NAME` in it", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// This kiosk's own printer: the firmware's printer thread, with a small runtime to wait on it.
pub struct OwnPrinter {
    task: PrinterTask,
    runtime: tokio::runtime::Runtime,
}

impl OwnPrinter {
    pub fn start(config: &PrinterConfig) -> Result<OwnPrinter, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("own-printer")
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the printer's runtime: {e}"))?;
        // The state is read by the station's loop ([`follow`]); changes need no listener.
        let (changes, _) = tokio::sync::mpsc::unbounded_channel();
        let task = PrinterTask::start(config, changes).map_err(|e| format!("[printer]: {e}"))?;
        Ok(OwnPrinter { task, runtime })
    }

    /// Print `document`; why not, if it did not print within the printer's timeout.
    pub fn print(&self, document: Document) -> Result<(), String> {
        self.runtime.block_on(self.task.print(document)).map(|_| ())
    }

    pub fn state(&self) -> PrinterState {
        self.task.state()
    }
}

/// What the screen says about this kiosk's own printer when it needs attention.
fn printer_notice(state: PrinterState) -> Option<(&'static str, &'static str)> {
    match state {
        PrinterState::PaperOut => Some((
            "Máy in của kiosk này đã hết giấy: số thứ tự sẽ hiện trên màn hình. Xin báo cán bộ.",
            "This kiosk's printer is out of paper: your number will be shown on screen. Please tell staff.",
        )),
        PrinterState::CoverOpen => Some((
            "Nắp máy in của kiosk này đang mở: số thứ tự sẽ hiện trên màn hình. Xin báo cán bộ.",
            "This kiosk's printer cover is open: your number will be shown on screen. Please tell staff.",
        )),
        PrinterState::Offline => Some((
            "Máy in của kiosk này không hoạt động: số thứ tự sẽ hiện trên màn hình. Xin báo cán bộ.",
            "This kiosk's printer is not working: your number will be shown on screen. Please tell staff.",
        )),
        _ => None,
    }
}

/// How often the main service is asked whether it is there.
const PING_EVERY: Duration = Duration::from_secs(3);
/// How often the printer's state is reported though it did not change.
const REPORT_EVERY: Duration = Duration::from_secs(30);

/// Keep `kiosk` honest with the main service, from a thread of its own: say on screen when the
/// main service cannot be reached (numbers paused) and recover by itself when it answers again
/// (the centre learnt again, the services listed again); report this kiosk's printer state at
/// each change and every 30 s, and say on screen when it needs attention.
pub fn follow(kiosk: &Kiosk, backend: Arc<RemoteBackend>) {
    let weak = kiosk.app.as_weak();
    std::thread::Builder::new()
        .name("station".into())
        .spawn(move || {
            let mut reachable: Option<bool> = None;
            let mut reported: Option<(PrinterState, Instant)> = None;
            loop {
                let up = backend.ping();
                let recovered = up && reachable != Some(true);
                if recovered {
                    if let Err(e) = backend.refresh_info() {
                        tracing::warn!(error = %e, "the main service answers, but not what this kiosk asked");
                    }
                }
                match (reachable, up) {
                    (None, true) => tracing::info!("the main service answers"),
                    (Some(false), true) => tracing::info!("the main service answers again"),
                    (None | Some(true), false) => tracing::warn!("the main service cannot be reached: numbers are paused on this kiosk"),
                    _ => {}
                }
                let reachable_before = reachable;
                reachable = Some(up);
                let state = backend.own_printer().map(OwnPrinter::state);
                if let (Some(state), true) = (state, up) {
                    let due = reported.is_none_or(|(s, at)| s != state || at.elapsed() >= REPORT_EVERY);
                    if due {
                        match backend.report_printer(state) {
                            Ok(()) => reported = Some((state, Instant::now())),
                            Err(e) => tracing::warn!(error = %e, "could not report the printer's state"),
                        }
                    }
                }
                let notice = if !up {
                    let m = firmware::messages::message("unreachable").unwrap_or(firmware::messages::FALLBACK);
                    Some((m.vi, m.en))
                } else {
                    state.and_then(printer_notice)
                };
                let info = recovered.then(|| backend.info());
                let lost = !up && reachable_before != Some(false);
                let _ = weak.upgrade_in_event_loop(move |app| {
                    let api = app.global::<Api>();
                    if lost {
                        // Tiles of a queue this kiosk cannot reach would say what is no longer true.
                        api.set_services(Default::default());
                    }
                    let (vi, en) = notice.unwrap_or(("", ""));
                    api.set_kiosk_notice_vi(vi.into());
                    api.set_kiosk_notice_en(en.into());
                    if let Some(info) = info {
                        crate::glue::show_info(&api, &info);
                        if api.get_screen() == "services" {
                            api.invoke_go("services".into());
                        }
                    }
                });
                std::thread::sleep(PING_EVERY);
            }
        })
        .expect("the station thread starts");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_file_is_told_from_a_centres_configuration() {
        assert!(is_station_file("[kiosk]\nlanguage = \"vi\"\n[printer]\ntransport = \"virtual\"\n"));
        let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../config/kiosk.toml")).unwrap();
        assert!(!is_station_file(&shipped), "the main Pi's UI keeps having the service print");
        assert!(!is_station_file("[printer]\ntransport = \"virtual\"\n"));
    }

    #[test]
    fn the_screen_says_when_its_own_printer_needs_staff() {
        assert!(printer_notice(PrinterState::PaperOut).unwrap().0.contains("hết giấy"));
        assert!(printer_notice(PrinterState::Offline).unwrap().1.contains("shown on screen"));
        assert_eq!(printer_notice(PrinterState::Ready), None);
        assert_eq!(printer_notice(PrinterState::PaperNearEnd), None, "the citizen still gets a ticket; /counter warns staff");
    }

    #[test]
    fn the_file_is_checked_with_its_place() {
        let data = Path::new("/var/lib/kiosk");
        let c = StationConfig::parse("[kiosk]\nlanguage = \"en\"\nidle_seconds = 45\n[printer]\ntransport = \"virtual\"\n", data).unwrap();
        assert!(c.english_first);
        assert_eq!(c.idle_seconds, 45);
        assert_eq!(c.printer.unwrap().virtual_dir, Some(data.join("receipts")), "receipts under this kiosk's own --data");
        assert_eq!(c.device_token_file, data.join("device-token"));
        let none = StationConfig::parse("[kiosk]\n", data).unwrap();
        assert_eq!((none.english_first, none.idle_seconds, none.printer.is_none()), (false, 90, true));
        assert!(StationConfig::parse("[kiosk]\nlanguage = \"fr\"\n", data).unwrap_err().contains("language"));
        assert!(StationConfig::parse("[kiosk]\nidle_seconds = 5\n", data).unwrap_err().contains("idle_seconds"));
        let typo = StationConfig::parse("[kiosk]\nlanguage = \"vi\"\nidle = 3\n", data).unwrap_err();
        assert!(typo.contains("line 3") && typo.contains("idle"), "{typo}");
        assert!(StationConfig::parse("[kiosk]\n[printer]\ntransport = \"carrier-pigeon\"\n", data).unwrap_err().contains("[printer]"));
    }
}
