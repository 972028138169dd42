//! `[identity]`: how many numbers one person (by their card's QR) may take a day, per service
//! and in all, and which priority category a holder aged 60 or more gets; each value checked on
//! its line; and where the kiosk's scanner is, when it is a serial port.

use toml::Spanned;

use super::Validator;
use crate::config::model::{IdentityRules, PriorityCategory};
use crate::config::raw::RawIdentity;
use crate::identity::PersonCaps;

impl Validator<'_> {
    pub(super) fn identity(&mut self, raw: Option<RawIdentity>, priorities: &[PriorityCategory]) -> IdentityRules {
        let has = |code: &str| priorities.iter().any(|p| p.code == code);
        let mut rules =
            IdentityRules { caps: PersonCaps::default(), elderly_priority: has("elderly").then(|| "elderly".to_string()), scanner: None };
        let Some(raw) = raw else { return rules };
        let mut read = |v: &Option<Spanned<i64>>, key: &str, into: &mut u32| {
            if let Some(v) = v {
                match u32::try_from(*v.get_ref()) {
                    Ok(n) if (1..=50).contains(&n) => *into = n,
                    _ => self.problem(&v.span(), format!("[identity] {key} = {} must be from 1 to 50", v.get_ref())),
                }
            }
        };
        read(&raw.tickets_per_person_per_service, "tickets_per_person_per_service", &mut rules.caps.per_service);
        read(&raw.tickets_per_person_per_day, "tickets_per_person_per_day", &mut rules.caps.per_day);
        if rules.caps.per_day < rules.caps.per_service {
            let span = raw.tickets_per_person_per_day.as_ref().map(Spanned::span).unwrap_or(0..0);
            self.problem(
                &span,
                format!(
                    "[identity] tickets_per_person_per_day = {} must be at least tickets_per_person_per_service ({})",
                    rules.caps.per_day, rules.caps.per_service
                ),
            );
        }
        if let Some(code) = raw.elderly_priority {
            let value = code.get_ref().trim();
            if value.is_empty() {
                rules.elderly_priority = None;
            } else if has(value) {
                rules.elderly_priority = Some(value.to_string());
            } else {
                self.problem(
                    &code.span(),
                    format!("[identity] elderly_priority = {value:?} is not a [[priority]] code (\"\" gives no priority by age)"),
                );
            }
        }
        if let Some(port) = raw.scanner {
            let value = port.get_ref().trim();
            if value.starts_with("/dev/") {
                rules.scanner = Some(value.into());
            } else if !value.is_empty() {
                self.problem(
                    &port.span(),
                    format!("[identity] scanner = {value:?} must be a serial port under /dev/ (e.g. /dev/ttyACM0), or \"\" for a scanner in keyboard mode"),
                );
            }
        }
        rules
    }
}
