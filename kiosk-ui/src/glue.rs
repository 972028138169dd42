//! The thin layer between the screens' `Api` global and a [`Backend`]: it answers each
//! callback by asking the backend and filling `Api`'s properties. All the screen state lives in
//! `Api`, so nothing here outlives a callback. Each screen of `ui/` has its glue in
//! `src/screens/` (same names); this file holds what they share: how calls run, and how a
//! refusal is put into words. Calls to the service run on a worker thread ([`Runner::Threads`])
//! so the window keeps drawing while a ticket prints; the tests and the screenshot renderer run
//! them inline ([`Runner::Inline`]), which needs no event loop.

use std::sync::{Arc, OnceLock};

use firmware::audio::Speaker;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::backend::{Backend, Failure, Finished};
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
    _clock: slint::Timer,
}

/// What every screen's glue holds: the window (weakly) and the backend.
#[derive(Clone)]
pub(crate) struct Glue {
    pub app: slint::Weak<App>,
    pub backend: Arc<dyn Backend>,
    /// The kiosk's own speaker, once [`Kiosk::speak_with`] gave it one.
    pub speaker: Arc<OnceLock<Speaker>>,
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
        let finish = move |app: &App, result: T| {
            if busy {
                app.global::<Api>().set_busy(false);
            }
            done(app, result);
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
        let glue = Glue { app: app.as_weak(), backend: backend.clone(), speaker: speaker.clone(), runner };
        let api = app.global::<Api>();
        show_info(&api, &backend.info());
        crate::screens::wire(&api, &glue);
        let clock = slint::Timer::default();
        let (weak, b) = (app.as_weak(), backend.clone());
        clock.start(slint::TimerMode::Repeated, std::time::Duration::from_secs(1), move || {
            if let Some(app) = weak.upgrade() {
                show_time(&app, &*b);
            }
        });
        show_time(&app, &*backend);
        Ok(Kiosk { app, backend, speaker, _clock: clock })
    }

    /// Say each ticket this kiosk issues through `speaker` (`crate::speech`); the first speaker
    /// given stays.
    pub fn speak_with(&self, speaker: Speaker) {
        let _ = self.speaker.set(speaker);
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

/// What the screens show of the centre: its name, the priority question, the rating scale.
pub(crate) fn show_info(api: &Api, info: &crate::backend::KioskInfo) {
    api.set_centre_name(info.centre_name.as_str().into());
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

/// The header's clock: the centre's time now.
pub(crate) fn show_time(app: &App, backend: &dyn Backend) {
    app.global::<Api>().set_clock(backend.now().format("%H:%M\n%d/%m/%Y").to_string().into());
}
