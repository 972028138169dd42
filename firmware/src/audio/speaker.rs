//! The playback thread: one thread owns the sink and plays announcements in the order they were
//! asked for, each to its end. Asking never waits for the sound: [`Speaker::say`] queues and
//! returns; the clips are joined on the playback thread, not on the caller's. An announcement asked for during quiet hours (by the site clock) is not said; one
//! that waited more than [`STALE_AFTER`] behind others is dropped when its turn comes, since
//! its citizen has walked on. A sink that fails (a USB speaker pulled out) costs that
//! announcement, never the kiosk.

use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::{AudioSink, Sound, SpeakerSettings};
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

/// Announcements waiting or playing, for [`Speaker::wait_idle`].
#[derive(Default)]
struct Pending {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Pending {
    fn add(&self, n: isize) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        *count = count.saturating_add_signed(n);
        self.changed.notify_all();
    }
}

/// Handle to the playback thread; cheap to clone. The thread ends when the last handle goes.
#[derive(Clone)]
pub struct Speaker {
    requests: SyncSender<Request>,
    settings: Arc<SpeakerSettings>,
    clock: Arc<dyn Clock>,
    pending: Arc<Pending>,
}

impl Speaker {
    /// Start the playback thread over `sink`. `clock` says when quiet hours are.
    pub fn start(settings: SpeakerSettings, sink: Box<dyn AudioSink>, clock: Arc<dyn Clock>) -> Speaker {
        Speaker::start_with(settings, sink, clock, STALE_AFTER)
    }

    fn start_with(settings: SpeakerSettings, sink: Box<dyn AudioSink>, clock: Arc<dyn Clock>, stale_after: Duration) -> Speaker {
        let (requests, rx) = mpsc::sync_channel::<Request>(QUEUE_DEPTH);
        let pending = Arc::new(Pending::default());
        let done = pending.clone();
        let mut sink = sink;
        let volume = settings.volume;
        std::thread::Builder::new()
            .name("speaker".into())
            .spawn(move || {
                for Request { label, announcement, asked } in rx {
                    let waited = asked.elapsed();
                    if waited > stale_after {
                        tracing::info!(label, ?waited, "announcement dropped: it waited too long for its turn");
                    } else if let Err(e) = sink.play(&Sound::of(&label, &announcement, volume)) {
                        tracing::warn!(label, error = %e, "announcement not played");
                    }
                    done.add(-1);
                }
            })
            .expect("spawning the speaker thread");
        Speaker { requests, settings: Arc::new(settings), clock, pending }
    }

    pub fn settings(&self) -> &SpeakerSettings {
        &self.settings
    }

    /// Say `announcement` after those already queued; `label` names it in files and logs.
    pub fn say(&self, label: &str, announcement: &Announcement) -> Said {
        if !self.settings.enabled {
            return Said::Disabled;
        }
        if self.settings.is_quiet(self.clock.now().time()) {
            return Said::QuietHours;
        }
        self.pending.add(1);
        let request = Request { label: label.to_string(), announcement: announcement.clone(), asked: Instant::now() };
        match self.requests.try_send(request) {
            Ok(()) => Said::Queued,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.pending.add(-1);
                tracing::warn!(label, "announcement not said: too many waiting");
                Said::Busy
            }
        }
    }

    /// Wait until every queued announcement has been played (or dropped); false on timeout.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let count = self.pending.count.lock().unwrap_or_else(|e| e.into_inner());
        let (count, _) = self.pending.changed.wait_timeout_while(count, timeout, |n| *n > 0).unwrap_or_else(|e| e.into_inner());
        *count == 0
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
}
