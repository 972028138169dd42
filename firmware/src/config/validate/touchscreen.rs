//! `[touchscreen]`: how long a screen waits for a touch, how long it counts down before going
//! back to Home, and how early Home warns that dispensing stops soon; each value checked on its
//! line.

use std::ops::RangeInclusive;

use toml::Spanned;

use super::Validator;
use crate::config::model::Touchscreen;
use crate::config::raw::RawTouchscreen;

impl Validator<'_> {
    pub(super) fn touchscreen(&mut self, raw: Option<RawTouchscreen>) -> Touchscreen {
        let mut t = Touchscreen::default();
        let Some(raw) = raw else { return t };
        let mut read = |v: &Option<Spanned<i64>>, key: &str, range: RangeInclusive<u32>, into: &mut u32| {
            if let Some(v) = v {
                match u32::try_from(*v.get_ref()) {
                    Ok(n) if range.contains(&n) => *into = n,
                    _ => self.problem(
                        &v.span(),
                        format!("[touchscreen] {key} = {} must be from {} to {}", v.get_ref(), range.start(), range.end()),
                    ),
                }
            }
        };
        read(&raw.idle_seconds, "idle_seconds", 20..=900, &mut t.idle_seconds);
        read(&raw.rating_idle_seconds, "rating_idle_seconds", 10..=900, &mut t.rating_idle_seconds);
        read(&raw.countdown_seconds, "countdown_seconds", 3..=60, &mut t.countdown_seconds);
        read(&raw.closing_warning_minutes, "closing_warning_minutes", 0..=120, &mut t.closing_warning_minutes);
        let shortest = t.idle_seconds.min(t.rating_idle_seconds);
        if t.countdown_seconds >= shortest {
            let span = raw.countdown_seconds.as_ref().map(Spanned::span).unwrap_or(0..0);
            self.problem(
                &span,
                format!(
                    "[touchscreen] countdown_seconds = {} must be shorter than the idle time it ends ({shortest} s)",
                    t.countdown_seconds
                ),
            );
        }
        t
    }
}
