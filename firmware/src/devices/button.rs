//! A push button as people press it: contacts bounce for a few milliseconds, an officer holds a
//! button to mean something else. Sampled every few milliseconds, a level must hold for the
//! debounce time to count; a press ends in a short press on release, or a long press as soon
//! as it has been held long enough (so the officer feels it happen).

/// What a press meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Short,
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub debounce_ms: u64,
    pub long_press_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { debounce_ms: 30, long_press_ms: 1500 }
    }
}

/// Debounce and press classification for one input.
#[derive(Debug, Clone)]
pub struct Button {
    timing: Timing,
    stable: bool,
    candidate: bool,
    candidate_since: u64,
    pressed_at: u64,
    long_fired: bool,
}

impl Button {
    pub fn new(timing: Timing) -> Button {
        Button { timing, stable: false, candidate: false, candidate_since: 0, pressed_at: 0, long_fired: false }
    }

    /// Feed one sample (`pressed` at `now_ms`); returns a press when one completes.
    pub fn sample(&mut self, pressed: bool, now_ms: u64) -> Option<Press> {
        if pressed != self.candidate {
            self.candidate = pressed;
            self.candidate_since = now_ms;
        }
        if self.candidate != self.stable && now_ms.saturating_sub(self.candidate_since) >= self.timing.debounce_ms {
            self.stable = self.candidate;
            if self.stable {
                self.pressed_at = self.candidate_since;
                self.long_fired = false;
            } else if !self.long_fired {
                return Some(Press::Short);
            }
        }
        if self.stable && !self.long_fired && now_ms.saturating_sub(self.pressed_at) >= self.timing.long_press_ms {
            self.long_fired = true;
            return Some(Press::Long);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run a level pattern (ms, pressed) sampled every 5 ms; collect presses with their times.
    fn run(pattern: &[(u64, bool)], until: u64) -> Vec<(u64, Press)> {
        let mut b = Button::new(Timing::default());
        let mut out = Vec::new();
        let mut t = 0;
        while t <= until {
            let level = pattern.iter().rev().find(|(at, _)| *at <= t).map(|(_, p)| *p).unwrap_or(false);
            if let Some(p) = b.sample(level, t) {
                out.push((t, p));
            }
            t += 5;
        }
        out
    }

    #[test]
    fn a_bouncy_short_press_counts_once() {
        let pattern = [(100, true), (103, false), (106, true), (109, false), (112, true), (300, false), (303, true), (306, false)];
        let presses = run(&pattern, 1000);
        assert_eq!(presses.len(), 1, "{presses:?}");
        assert_eq!(presses[0].1, Press::Short);
        assert!(presses[0].0 >= 330 && presses[0].0 <= 345, "released and settled: {presses:?}");
    }

    #[test]
    fn a_glitch_shorter_than_the_debounce_is_ignored() {
        assert!(run(&[(100, true), (115, false)], 1000).is_empty());
    }

    #[test]
    fn holding_gives_one_long_press_and_no_short_one() {
        let presses = run(&[(100, true), (2500, false)], 3000);
        assert_eq!(presses.len(), 1, "{presses:?}");
        assert_eq!(presses[0].1, Press::Long);
        assert!(presses[0].0 >= 1600 && presses[0].0 <= 1610, "fires while held: {presses:?}");
    }

    #[test]
    fn two_presses_in_a_row_are_two() {
        let presses = run(&[(100, true), (200, false), (400, true), (500, false)], 1000);
        assert_eq!(presses.iter().map(|p| p.1).collect::<Vec<_>>(), [Press::Short, Press::Short]);
    }
}
