//! The playback thread: one thread owns the sink and plays announcements in the order they were
//! asked for, each to its end. Asking never waits for the sound: [`Speaker::say`] queues and
//! returns; the clips are joined on the playback thread, not on the caller's. An announcement asked for during quiet hours (by the site clock) is not said; one
//! that waited more than [`STALE_AFTER`] behind others is dropped when its turn comes, since
//! its citizen has walked on. A sink that fails (a USB speaker pulled out) costs that
//! announcement, never the kiosk.
//!
//! The audio guide (issue 18) speaks through the same thread, so the two never talk over each
//! other, but by other rules: [`Speaker::guide`] replaces whatever guide words were waiting or
//! being said (the citizen stepped to another choice: the old words are stale at once), its
//! sentences are synthesised one at a time on this thread just before they are played (a long
//! procedure starts speaking after its first sentence), and an announcement comes first: it
//! cuts the guide off. The guide is spoken in quiet hours too — the citizen asked for it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::{AudioSink, Sound, SpeakerSettings, Synthesizer};
use crate::clock::Clock;
use crate::voice::Announcement;

/// Announcements waiting beyond this many are refused at once.
const QUEUE_DEPTH: usize = 8;
/// An announcement that waited this long for its turn is not said any more.
pub const STALE_AFTER: Duration = Duration::from_secs(20);

/// What became of an announcement asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// In the queue: it will be said after those before it.
    Queued,
    /// The kiosk's voice is switched off (`enabled = false`).
    Disabled,
    /// It is quiet hours.
    QuietHours,
    /// Too many are waiting already.
    Busy,
}

struct Request {
    label: String,
    announcement: Announcement,
    asked: Instant,
}

/// Words of the audio guide: sentences to synthesise and say in order, in one language.
pub struct Guidance {
    /// A short name for files and logs ("guide").
    pub label: String,
    pub sentences: Vec<String>,
    /// Said in English (else Vietnamese).
    pub english: bool,
    pub voice: Arc<dyn Synthesizer>,
}

struct GuideRequest {
    guidance: Guidance,
    generation: u64,
}

/// What waits for the playback thread.
#[derive(Default)]
struct Waiting {
    announcements: VecDeque<Request>,
    guide: Option<GuideRequest>,
    /// Every handle is gone: finish what waits, then end.
    closed: bool,
}

/// The state the handles and the playback thread share.
struct Shared {
    waiting: Mutex<Waiting>,
    wake: Condvar,
    /// Bumped by every guide request, announcement and hush: guide words of an older generation
    /// stop (between two writes to the sound device).
    generation: AtomicU64,
    /// Announcements and guidance waiting or playing, for [`Speaker::wait_idle`].
    pending: Mutex<usize>,
    idle: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn add_pending(&self, n: isize) {
        let mut count = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *count = count.saturating_add_signed(n);
        self.idle.notify_all();
    }
}

/// Ends the playback thread when the last [`Speaker`] handle goes.
struct Closer(Arc<Shared>);

impl Drop for Closer {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.wake.notify_all();
    }
}

/// Handle to the playback thread; cheap to clone. The thread ends when the last handle goes.
#[derive(Clone)]
pub struct Speaker {
    shared: Arc<Shared>,
    settings: Arc<SpeakerSettings>,
    clock: Arc<dyn Clock>,
    _closer: Arc<Closer>,
}

enum Job {
    Announce(Request),
    Guide(GuideRequest),
}

impl Speaker {
    /// Start the playback thread over `sink`. `clock` says when quiet hours are.
    pub fn start(settings: SpeakerSettings, sink: Box<dyn AudioSink>, clock: Arc<dyn Clock>) -> Speaker {
        Speaker::start_with(settings, sink, clock, STALE_AFTER)
    }

    fn start_with(settings: SpeakerSettings, sink: Box<dyn AudioSink>, clock: Arc<dyn Clock>, stale_after: Duration) -> Speaker {
        let shared = Arc::new(Shared {
            waiting: Mutex::new(Waiting::default()),
            wake: Condvar::new(),
            generation: AtomicU64::new(0),
            pending: Mutex::new(0),
            idle: Condvar::new(),
        });
        let thread = shared.clone();
        let volume = settings.volume;
        std::thread::Builder::new()
            .name("speaker".into())
            .spawn(move || play_all(&thread, sink, volume, stale_after))
            .expect("spawning the speaker thread");
        Speaker { shared: shared.clone(), settings: Arc::new(settings), clock, _closer: Arc::new(Closer(shared)) }
    }

    pub fn settings(&self) -> &SpeakerSettings {
        &self.settings
    }

    /// Say `announcement` after those already queued; `label` names it in files and logs.
    /// Guide words being said stop for it.
    pub fn say(&self, label: &str, announcement: &Announcement) -> Said {
        if !self.settings.enabled {
            return Said::Disabled;
        }
        if self.settings.is_quiet(self.clock.now().time()) {
            return Said::QuietHours;
        }
        let mut waiting = self.shared.lock();
        if waiting.announcements.len() >= QUEUE_DEPTH {
            tracing::warn!(label, "announcement not said: too many waiting");
            return Said::Busy;
        }
        self.shared.add_pending(1);
        waiting.announcements.push_back(Request { label: label.to_string(), announcement: announcement.clone(), asked: Instant::now() });
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.shared.wake.notify_all();
        Said::Queued
    }

    /// Say `guidance` now, instead of any guide words waiting or being said (after the
    /// announcements waiting, if any).
    pub fn guide(&self, guidance: Guidance) -> Said {
        if !self.settings.enabled {
            return Said::Disabled;
        }
        let mut waiting = self.shared.lock();
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if waiting.guide.replace(GuideRequest { guidance, generation }).is_none() {
            self.shared.add_pending(1);
        }
        self.shared.wake.notify_all();
        Said::Queued
    }

    /// Stop the guide: words waiting are dropped, words being said end now.
    pub fn hush(&self) {
        let mut waiting = self.shared.lock();
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        if waiting.guide.take().is_some() {
            self.shared.add_pending(-1);
        }
    }

    /// Wait until every queued announcement and guidance has been played (or dropped); false
    /// on timeout.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let count = self.shared.pending.lock().unwrap_or_else(|e| e.into_inner());
        let (count, _) = self.shared.idle.wait_timeout_while(count, timeout, |n| *n > 0).unwrap_or_else(|e| e.into_inner());
        *count == 0
    }
}

/// The playback thread: announcements first, each to its end; then the latest guidance, one
/// sentence at a time, until a newer generation stops it.
fn play_all(shared: &Shared, mut sink: Box<dyn AudioSink>, volume: u8, stale_after: Duration) {
    loop {
        let job = {
            let mut waiting = shared.lock();
            loop {
                if let Some(r) = waiting.announcements.pop_front() {
                    break Job::Announce(r);
                }
                if let Some(g) = waiting.guide.take() {
                    break Job::Guide(g);
                }
                if waiting.closed {
                    return;
                }
                waiting = shared.wake.wait(waiting).unwrap_or_else(|e| e.into_inner());
            }
        };
        match job {
            Job::Announce(Request { label, announcement, asked }) => {
                let waited = asked.elapsed();
                if waited > stale_after {
                    tracing::info!(label, ?waited, "announcement dropped: it waited too long for its turn");
                } else if let Err(e) = sink.play(&Sound::of(&label, &announcement, volume)) {
                    tracing::warn!(label, error = %e, "announcement not played");
                }
            }
            Job::Guide(GuideRequest { guidance, generation }) => {
                let current = || shared.generation.load(Ordering::SeqCst) == generation;
                for sentence in &guidance.sentences {
                    if !current() {
                        break;
                    }
                    let sound = match guidance.voice.synthesize(&guidance.label, sentence, guidance.english) {
                        Ok(sound) => sound.at_volume(volume),
                        Err(e) => {
                            tracing::warn!(error = %e, "the guide cannot speak");
                            break;
                        }
                    };
                    match sink.play_until(&sound, &|| !current()) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "guide words not played");
                            break;
                        }
                    }
                }
            }
        }
        shared.add_pending(-1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::AudioError;
    use crate::clock::ManualClock;
    use crate::queue::TimeWindow;
    use crate::voice::Voice;
    use chrono::{FixedOffset, NaiveTime, TimeZone};

    /// A sink that takes as long as the sound lasts (sped up), recording when each began and ended.
    #[derive(Clone, Default)]
    struct Recorder {
        played: Arc<Mutex<Vec<(String, Instant, Instant)>>>,
        speed_up: u32,
        fail: Arc<Mutex<bool>>,
    }

    impl AudioSink for Recorder {
        fn play(&mut self, sound: &Sound) -> Result<(), AudioError> {
            if *self.fail.lock().unwrap() {
                return Err(AudioError::Device { device: "test".into(), message: "unplugged".into() });
            }
            let began = Instant::now();
            std::thread::sleep(sound.duration() / self.speed_up.max(1));
            self.played.lock().unwrap().push((sound.label.clone(), began, Instant::now()));
            Ok(())
        }
    }

    fn clock_at(h: u32, m: u32) -> Arc<ManualClock> {
        Arc::new(ManualClock::new(FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()))
    }

    #[test]
    fn each_announcement_waits_for_the_one_being_said() {
        let sink = Recorder { speed_up: 20, ..Recorder::default() };
        let speaker = Speaker::start(SpeakerSettings::default(), Box::new(sink.clone()), clock_at(9, 0));
        let v = Voice::default();
        for n in ["A001", "A002", "A003"] {
            assert_eq!(speaker.say(n, &v.ticket(n).unwrap()), Said::Queued);
        }
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        let played = sink.played.lock().unwrap().clone();
        let labels: Vec<&str> = played.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(labels, ["A001", "A002", "A003"], "in the order asked");
        for w in played.windows(2) {
            assert!(w[1].1 >= w[0].2, "{} began before {} ended", w[1].0, w[0].0);
        }
    }

    #[test]
    fn quiet_hours_and_switched_off_say_nothing() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let settings = SpeakerSettings { quiet_hours: vec![TimeWindow { start: t(12), end: t(13) }], ..SpeakerSettings::default() };
        let sink = Recorder::default();
        let clock = clock_at(12, 30);
        let speaker = Speaker::start(settings, Box::new(sink.clone()), clock.clone());
        let a = Voice::default().ticket("A001").unwrap();
        assert_eq!(speaker.say("A001", &a), Said::QuietHours);
        clock.set(FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 13, 0, 0).unwrap());
        assert_eq!(speaker.say("A002", &a), Said::Queued);
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        assert_eq!(sink.played.lock().unwrap().iter().map(|(l, _, _)| l.clone()).collect::<Vec<_>>(), ["A002"]);

        let off = Speaker::start(SpeakerSettings { enabled: false, ..SpeakerSettings::default() }, Box::new(Recorder::default()), clock);
        assert_eq!(off.say("A003", &a), Said::Disabled);
    }

    #[test]
    fn a_failing_sink_costs_one_announcement_only() {
        let sink = Recorder { speed_up: 50, ..Recorder::default() };
        let speaker = Speaker::start(SpeakerSettings::default(), Box::new(sink.clone()), clock_at(9, 0));
        let a = Voice::default().ticket("A001").unwrap();
        *sink.fail.lock().unwrap() = true;
        assert_eq!(speaker.say("A001", &a), Said::Queued);
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        *sink.fail.lock().unwrap() = false;
        assert_eq!(speaker.say("A002", &a), Said::Queued);
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        assert_eq!(sink.played.lock().unwrap().iter().map(|(l, _, _)| l.clone()).collect::<Vec<_>>(), ["A002"]);
    }

    /// A sink that waits at a gate the test holds, then records the label.
    struct Stuck(Arc<Mutex<()>>, Arc<Mutex<Vec<String>>>);
    impl AudioSink for Stuck {
        fn play(&mut self, sound: &Sound) -> Result<(), AudioError> {
            drop(self.0.lock().unwrap());
            self.1.lock().unwrap().push(sound.label.clone());
            Ok(())
        }
    }

    #[test]
    fn an_announcement_that_waited_too_long_is_dropped() {
        let gate = Arc::new(Mutex::new(()));
        let played = Arc::new(Mutex::new(Vec::new()));
        let held = gate.lock().unwrap();
        let sink = Stuck(gate.clone(), played.clone());
        let speaker = Speaker::start_with(SpeakerSettings::default(), Box::new(sink), clock_at(9, 0), Duration::from_millis(100));
        let a = Voice::default().ticket("A001").unwrap();
        assert_eq!(speaker.say("A001", &a), Said::Queued);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(speaker.say("A002", &a), Said::Queued);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(speaker.say("A003", &a), Said::Queued);
        drop(held);
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        assert_eq!(*played.lock().unwrap(), ["A001", "A003"], "A002 waited 200 ms behind A001");
    }

    #[test]
    fn a_full_queue_refuses_at_once() {
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap();
        let speaker = Speaker::start(SpeakerSettings::default(), Box::new(Stuck(gate.clone(), Arc::default())), clock_at(9, 0));
        let a = Voice::default().ticket("A001").unwrap();
        let answers: Vec<Said> = (0..QUEUE_DEPTH + 3).map(|_| speaker.say("A001", &a)).collect();
        assert!(answers.contains(&Said::Busy), "{answers:?}");
        assert!(answers.iter().filter(|s| **s == Said::Queued).count() <= QUEUE_DEPTH + 1, "{answers:?}");
        drop(held);
        assert!(speaker.wait_idle(Duration::from_secs(10)));
    }

    /// Speaks each sentence as 300 ms of sound (its text kept), counting the sentences asked for.
    #[derive(Default)]
    struct Voice300 {
        asked: Mutex<Vec<String>>,
    }

    impl Synthesizer for Voice300 {
        fn synthesize(&self, label: &str, text: &str, _english: bool) -> Result<Sound, AudioError> {
            self.asked.lock().unwrap().push(text.to_string());
            Ok(Sound { label: label.into(), text: text.into(), rate: 22_050, samples: vec![1000; 6_615] })
        }
    }

    /// A sink that plays in 10 ms steps, listening for `stop`, recording what it said and whether
    /// to the end.
    #[derive(Clone, Default)]
    struct Listener {
        heard: Arc<Mutex<Vec<(String, bool)>>>,
    }

    impl AudioSink for Listener {
        fn play(&mut self, sound: &Sound) -> Result<(), AudioError> {
            self.play_until(sound, &|| false).map(|_| ())
        }

        fn play_until(&mut self, sound: &Sound, stop: &dyn Fn() -> bool) -> Result<bool, AudioError> {
            let what = if sound.text.is_empty() { sound.label.clone() } else { sound.text.clone() };
            let steps = sound.duration().as_millis() / 10;
            for _ in 0..steps {
                if stop() {
                    self.heard.lock().unwrap().push((what, false));
                    return Ok(false);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            self.heard.lock().unwrap().push((what, true));
            Ok(true)
        }
    }

    fn guidance(voice: &Arc<Voice300>, sentences: &[&str]) -> Guidance {
        Guidance {
            label: "guide".into(),
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
            english: false,
            voice: voice.clone(),
        }
    }

    #[test]
    fn the_newest_guide_words_replace_the_old_ones_at_once() {
        let sink = Listener::default();
        let voice = Arc::new(Voice300::default());
        let speaker = Speaker::start(SpeakerSettings::default(), Box::new(sink.clone()), clock_at(9, 0));
        assert_eq!(speaker.guide(guidance(&voice, &["một", "hai", "ba"])), Said::Queued);
        std::thread::sleep(Duration::from_millis(100));
        // The citizen steps on: "một" stops mid-word, "hai" and "ba" are never synthesised.
        speaker.guide(guidance(&voice, &["bốn"]));
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        let heard = sink.heard.lock().unwrap().clone();
        assert_eq!(heard, [("một".to_string(), false), ("bốn".to_string(), true)]);
        assert_eq!(*voice.asked.lock().unwrap(), ["một", "bốn"]);
    }

    #[test]
    fn an_announcement_cuts_the_guide_off_and_the_guide_waits_for_announcements() {
        let sink = Listener::default();
        let voice = Arc::new(Voice300::default());
        // Quiet hours hold announcements back, never the guide the citizen asked for.
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let quiet = SpeakerSettings { quiet_hours: vec![TimeWindow { start: t(9), end: t(10) }], ..SpeakerSettings::default() };
        let clock = clock_at(9, 30);
        let speaker = Speaker::start(quiet, Box::new(sink.clone()), clock.clone());
        speaker.guide(guidance(&voice, &["Trang chủ", "Lấy số thứ tự"]));
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        clock.set(FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap());
        speaker.guide(guidance(&voice, &["Chọn lĩnh vực", "Hộ tịch"]));
        std::thread::sleep(Duration::from_millis(100));
        // A ticket is issued: its number is said now; guide words asked after it wait for it.
        assert_eq!(speaker.say("A001", &Voice::default().ticket("A001").unwrap()), Said::Queued);
        speaker.guide(guidance(&voice, &["Số của quý khách"]));
        assert!(speaker.wait_idle(Duration::from_secs(20)));
        let heard: Vec<(String, bool)> = sink.heard.lock().unwrap().clone();
        let said: Vec<&str> = heard.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            said,
            [
                "Trang chủ",
                "Lấy số thứ tự",
                "Chọn lĩnh vực",
                "Số của quý khách là A, không không một. Mời quý khách chờ gọi số tại khu vực chờ.",
                "Số của quý khách"
            ]
        );
        assert!(!heard[2].1, "cut off by the announcement");
        assert!(heard[3].1 && heard[4].1);
    }

    #[test]
    fn hush_stops_the_guide_and_a_silent_kiosk_has_no_guide() {
        let sink = Listener::default();
        let voice = Arc::new(Voice300::default());
        let speaker = Speaker::start(SpeakerSettings::default(), Box::new(sink.clone()), clock_at(9, 0));
        speaker.guide(guidance(&voice, &["một", "hai"]));
        std::thread::sleep(Duration::from_millis(100));
        speaker.hush();
        assert!(speaker.wait_idle(Duration::from_secs(10)));
        assert_eq!(*sink.heard.lock().unwrap(), [("một".to_string(), false)]);
        let off =
            Speaker::start(SpeakerSettings { enabled: false, ..SpeakerSettings::default() }, Box::new(Listener::default()), clock_at(9, 0));
        assert_eq!(off.guide(guidance(&voice, &["ba"])), Said::Disabled);
    }
}
