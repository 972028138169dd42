//! The thin layer between the screens' `Api` global and a [`Backend`]: it answers each
//! callback by asking the backend and filling `Api`'s properties. All the screen state lives in
//! `Api`, so nothing here outlives a callback. Each screen of `ui/` has its glue in
//! `src/screens/` (same names); this file holds what they share: how calls run, and how a
//! refusal is put into words. Calls to the service run on a worker thread ([`Runner::Threads`])
//! so the window keeps drawing while a ticket prints; the tests and the screenshot renderer run
//! them inline ([`Runner::Inline`]), which needs no event loop.

use std::sync::{Arc, Mutex, OnceLock};

use firmware::audio::{Speaker, Synthesizer};

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::backend::{Backend, CardScan, Failure, Finished};
use crate::scanner::KeyBurst;
use crate::{Api, App, Choice, RatingLevel};

/// Where calls to the service run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// On the calling (UI) thread: for tests and headless rendering.
    Inline,
    /// On a worker thread, the answer delivered through the Slint event loop.
    Threads,
}

/// The kiosk's window with its glue.
pub struct Kiosk {
    pub app: App,
    backend: Arc<dyn Backend>,
    speaker: Arc<OnceLock<Speaker>>,
    guide_voice: Arc<OnceLock<Arc<dyn Synthesizer>>>,
    glue: Glue,
    _clock: slint::Timer,
    /// Hands the presses of the touchscreen's GPIO buttons to the window, once watched.
    buttons: std::cell::RefCell<Option<slint::Timer>>,
    /// Hands the codes of a scanner in serial mode to the window, once watched.
    scanner: std::cell::RefCell<Option<slint::Timer>>,
}

/// What every screen's glue holds: the window (weakly) and the backend.
#[derive(Clone)]
pub(crate) struct Glue {
    pub app: slint::Weak<App>,
    pub backend: Arc<dyn Backend>,
    /// The kiosk's own speaker, once [`Kiosk::speak_with`] gave it one.
    pub speaker: Arc<OnceLock<Speaker>>,
    /// The audio guide's voice (espeak-ng, unless a test gave another).
    pub guide_voice: Arc<OnceLock<Arc<dyn Synthesizer>>>,
    /// The identity card the scanner read, held for the next number only (`Api.card` says
    /// whether there is one; the card's text never goes into `Api`).
    pub card: Arc<Mutex<Option<CardScan>>>,
    /// The keys of a scanner in keyboard mode, told from a person's.
    pub burst: Arc<Mutex<KeyBurst>>,
    runner: Runner,
}

pub(crate) fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

impl Glue {
    /// Run `job` against the backend, then `done` on the UI thread. `busy` shows the wait overlay.
    pub fn run<T: Send + 'static>(
        &self,
        busy: bool,
        job: impl FnOnce(&dyn Backend) -> T + Send + 'static,
        done: impl FnOnce(&App, T) + Send + 'static,
    ) {
        let Some(app) = self.app.upgrade() else { return };
        if busy {
            app.global::<Api>().set_busy(true);
        }
        let glue = self.clone();
        let finish = move |app: &App, result: T| {
            if busy {
                app.global::<Api>().set_busy(false);
            }
            done(app, result);
            // The service answered: the screen may have changed under the audio guide.
            crate::guide::follow(&glue, app);
            keep_scanner_focus(app);
        };
        match self.runner {
            Runner::Inline => finish(&app, job(&*self.backend)),
            Runner::Threads => {
                let (backend, weak) = (self.backend.clone(), self.app.clone());
                std::thread::spawn(move || {
                    let result = job(&*backend);
                    let _ = weak.upgrade_in_event_loop(move |app| finish(&app, result));
                });
            }
        }
    }
}

/// A refusal in the person's words, in the current language: firmware's one table of error
/// codes (`firmware::messages`), shared with the counter page.
pub(crate) fn say(api: &Api, failure: &Failure) -> SharedString {
    let m = firmware::messages::message(&failure.code).unwrap_or_else(|| {
        tracing::warn!(error = %failure, "kiosk call failed");
        firmware::messages::FALLBACK
    });
    SharedString::from(if api.get_english() { m.en } else { m.vi })
}

/// A prompt of the kiosk's own, in the current language.
pub(crate) fn ask(api: &Api, vi: &str, en: &str) -> SharedString {
    SharedString::from(if api.get_english() { en } else { vi })
}

impl Kiosk {
    /// The window with every callback wired to `backend`.
    pub fn new(backend: Arc<dyn Backend>, runner: Runner) -> Result<Kiosk, slint::PlatformError> {
        let app = App::new()?;
        let speaker = Arc::new(OnceLock::new());
        let guide_voice = Arc::new(OnceLock::new());
        let glue = Glue {
            app: app.as_weak(),
            backend: backend.clone(),
            speaker: speaker.clone(),
            guide_voice: guide_voice.clone(),
            card: Default::default(),
            burst: Default::default(),
            runner,
        };
        let api = app.global::<Api>();
        show_info(&api, &backend.info());
        crate::screens::wire(&api, &glue);
        let clock = slint::Timer::default();
        let g = glue.clone();
        clock.start(slint::TimerMode::Repeated, std::time::Duration::from_secs(1), move || {
            if let Some(app) = g.app.upgrade() {
                let minute = show_time(&app, &*g.backend);
                if minute {
                    crate::screens::home::refresh_notice(&g);
                }
                // A countdown began, or anything else the guide has not said yet.
                crate::guide::follow(&g, &app);
                keep_scanner_focus(&app);
            }
        });
        show_time(&app, &*backend);
        crate::screens::home::refresh_notice(&glue);
        keep_scanner_focus(&app);
        Ok(Kiosk { app, backend, speaker, guide_voice, glue, _clock: clock, buttons: Default::default(), scanner: Default::default() })
    }

    /// Say each ticket this kiosk issues through `speaker` (`crate::speech`), and let the audio
    /// guide speak through it (with espeak-ng, unless [`Kiosk::guide_with`] gave another voice);
    /// the first speaker given stays.
    pub fn speak_with(&self, speaker: Speaker) {
        let _ = self.speaker.set(speaker);
        if self.guide_voice.get().is_none() {
            let espeak = firmware::audio::Espeak::new();
            let can_speak = espeak.available();
            if !can_speak {
                tracing::warn!("espeak-ng is not installed: the audio guide cannot speak (apt install espeak-ng)");
            }
            self.api().set_guide_can_speak(can_speak);
            let _ = self.guide_voice.set(Arc::new(espeak));
        }
    }

    /// The audio guide speaks with `voice` (tests; the kiosk uses espeak-ng).
    pub fn guide_with(&self, voice: Arc<dyn Synthesizer>) {
        let _ = self.guide_voice.set(voice);
    }

    /// Act on a press of one of the touchscreen's GPIO buttons (`[devices]`: `guide`,
    /// `guide_previous`, `guide_next`, `guide_confirm`), as its key on screen would.
    pub fn press(&self, action: &firmware::devices::Action) {
        press(&self.glue, action);
    }

    /// Watch the touchscreen's own GPIO buttons of `devices` (the audio guide's: the others are
    /// `kioskd`'s) on `board`: a thread samples them (debounced, long presses), the window
    /// acts on each press within 20 ms. Without such buttons nothing is started.
    pub fn watch_buttons(
        &self,
        devices: &firmware::devices::DevicesConfig,
        mut board: Box<dyn firmware::devices::Board>,
    ) -> Result<(), firmware::devices::DeviceError> {
        let buttons: Vec<_> = devices.buttons.iter().filter(|b| b.press.for_touchscreen()).cloned().collect();
        if buttons.is_empty() {
            return Ok(());
        }
        let timing = firmware::devices::button::Timing { debounce_ms: devices.debounce_ms, long_press_ms: devices.long_press_ms };
        let (tx, rx) = std::sync::mpsc::channel();
        firmware::devices::watch_buttons("touchscreen-buttons", &mut *board, &buttons, timing, devices.poll_ms, move |_, action| {
            tx.send(action).is_ok()
        })?;
        let glue = self.glue.clone();
        let timer = slint::Timer::default();
        timer.start(slint::TimerMode::Repeated, std::time::Duration::from_millis(20), move || {
            while let Ok(action) = rx.try_recv() {
                press(&glue, &action);
            }
        });
        *self.buttons.borrow_mut() = Some(timer);
        Ok(())
    }

    /// A code the scanner read, as from either of its modes (the screenshots' tour).
    pub fn scan(&self, code: &str) {
        crate::screens::take_number::scanned(&self.glue, code);
    }

    /// Read codes from a scanner in serial (CDC-ACM) mode at `port` (`[identity] scanner`): a
    /// thread reads the lines, the window acts on each within 20 ms as on a scan in keyboard mode.
    pub fn watch_scanner(&self, port: std::path::PathBuf) {
        let (tx, rx) = std::sync::mpsc::channel();
        crate::scanner::watch_serial(port, std::time::Duration::from_secs(2), move |code| tx.send(code).is_ok());
        let glue = self.glue.clone();
        let timer = slint::Timer::default();
        timer.start(slint::TimerMode::Repeated, std::time::Duration::from_millis(20), move || {
            while let Ok(code) = rx.try_recv() {
                crate::screens::take_number::scanned(&glue, &code);
            }
        });
        *self.scanner.borrow_mut() = Some(timer);
    }

    /// Be the rating screen beside `counter`: open the rating when its officer finishes a ticket.
    pub fn watch_counter(&self, counter: u32) {
        let weak = self.app.as_weak();
        self.backend.watch_finished(
            counter,
            Box::new(move |f| {
                let _ = weak.upgrade_in_event_loop(move |app| open_rating(&app, &f));
            }),
        );
    }

    pub fn api(&self) -> Api<'_> {
        self.app.global::<Api>()
    }
}

/// The screens with a text field of their own (`components/entry-field.slint`), which takes the
/// keys while it shows.
const SCREENS_WITH_A_FIELD: [&str; 3] = ["search", "dossier", "rate-number"];

/// Give the keys to the window's scanner watch when no text field takes them: a screen that
/// closes takes its field's focus with it, and a window where nothing is focused hears no key.
pub(crate) fn keep_scanner_focus(app: &App) {
    if !SCREENS_WITH_A_FIELD.contains(&app.global::<Api>().get_screen().as_str()) {
        app.invoke_focus_scanner();
    }
}

/// A press of a touchscreen GPIO button: what its key on screen does.
fn press(glue: &Glue, action: &firmware::devices::Action) {
    use firmware::devices::Action;
    let Some(app) = glue.app.upgrade() else { return };
    app.global::<Api>().set_idle_seconds(0);
    match action {
        Action::Guide => crate::guide::toggle(glue, &app),
        Action::GuidePrevious => crate::guide::step(glue, &app, -1),
        Action::GuideNext => crate::guide::step(glue, &app, 1),
        Action::GuideConfirm => crate::guide::confirm(glue, &app),
        other => tracing::debug!(?other, "not a touchscreen button"),
    }
}

/// What the screens show of the centre: its name, the priority question, the rating scale.
pub(crate) fn show_info(api: &Api, info: &crate::backend::KioskInfo) {
    api.set_centre_name(info.centre_name.as_str().into());
    let wait = info.touchscreen;
    api.set_idle_limit(wait.idle_seconds as i32);
    api.set_rating_idle_limit(wait.rating_idle_seconds as i32);
    api.set_countdown_seconds(wait.countdown_seconds as i32);
    api.set_notices(info.notify_ahead.is_some());
    api.set_notify_ahead(info.notify_ahead.unwrap_or(0) as i32);
    api.set_priorities(model(
        info.priorities
            .iter()
            .map(|p| Choice {
                code: p.code.as_str().into(),
                label: p.label_vi.as_str().into(),
                label_en: p.label_en.as_str().into(),
                chosen: false,
            })
            .collect(),
    ));
    let moods = crate::backend::Level::moods(&info.levels);
    api.set_levels(model(
        info.levels
            .iter()
            .zip(moods)
            .map(|(l, mood)| RatingLevel {
                code: l.code.as_str().into(),
                label: l.label_vi.as_str().into(),
                label_en: l.label_en.as_str().into(),
                mood,
                asks_reason: l.asks_reason,
            })
            .collect(),
    ));
}

/// Open the rating for a ticket just finished at this kiosk's counter.
pub fn open_rating(app: &App, finished: &Finished) {
    crate::screens::rating::open(&app.global::<Api>(), finished);
}

/// The header's clock: the centre's time now; whether the minute changed.
pub(crate) fn show_time(app: &App, backend: &dyn Backend) -> bool {
    let api = app.global::<Api>();
    let now = backend.now();
    let clock: SharedString = now.format("%H:%M").to_string().into();
    let changed = api.get_clock() != clock;
    api.set_clock(clock);
    api.set_date(now.format("%d/%m/%Y").to_string().into());
    changed
}
