//! Time as a value passed in. The queue restarts at local midnight and windows close at 11:15;
//! tests move a manual clock across those instants instead of waiting for them.

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, Utc};

/// Source of the current instant, in the site's offset.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The machine's clock, shown in the site's offset.
pub struct SystemClock {
    pub offset: FixedOffset,
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Utc::now().with_timezone(&self.offset)
    }
}

/// A clock that only moves when told to (tests, simulations).
pub struct ManualClock {
    now: Mutex<DateTime<FixedOffset>>,
}

impl ManualClock {
    pub fn new(at: DateTime<FixedOffset>) -> ManualClock {
        ManualClock { now: Mutex::new(at) }
    }

    pub fn set(&self, at: DateTime<FixedOffset>) {
        *self.now.lock().unwrap() = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.now.lock().unwrap();
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.now.lock().unwrap()
    }
}

/// A clock that starts at a chosen instant and then runs at real speed: end-to-end tests run a
/// real `kioskd` on a fixed working day (never on a real holiday), with time still passing.
pub struct StartedClock {
    start: DateTime<FixedOffset>,
    since: std::time::Instant,
}

impl StartedClock {
    pub fn new(start: DateTime<FixedOffset>) -> StartedClock {
        StartedClock { start, since: std::time::Instant::now() }
    }
}

impl Clock for StartedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.start + chrono::Duration::from_std(self.since.elapsed()).unwrap_or_default()
    }
}
