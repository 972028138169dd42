//! Checking the raw file as a whole: every problem is collected with the line it sits on and
//! what to fix, so a technician fixes the file in one pass. Sections owned by other modules
//! are read by their own types and checked by their owners (`CalendarConfig`,
//! `DossierCodeScheme`, `RatingScale`, `CentralConfig::problems`, `DevicesConfig::problems`);
//! this module only places their findings on the right line.

use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use toml::Spanned;

use super::model::{Centre, Config, CounterDef, Http, PriorityCategory, QueueRules, ServiceDef};
use super::raw::{RawCentre, RawConfig, RawCounter, RawHttp, RawPriority, RawQueue, RawService, RawWindows};
use super::Problem;
use crate::queue::{DispensingWindows, Ordering, TimeWindow, TransferPosition};
use crate::text::nfc;

mod identity;
mod notify;
mod touchscreen;
mod voice;

/// Vietnam has used UTC+7 without daylight saving since 1975.
const VIETNAM: &[&str] = &["Asia/Ho_Chi_Minh", "Asia/Saigon", "+07:00"];

pub(super) struct Validator<'a> {
    text: &'a str,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Validator<'a> {
    pub(super) fn new(text: &'a str) -> Validator<'a> {
        Validator { text, problems: Vec::new() }
    }

    pub(super) fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text[..end].bytes().filter(|&b| b == b'\n').count() + 1
    }

    fn problem(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = if span.is_empty() && span.start == 0 { None } else { Some(self.line_of(span)) };
        self.problems.push(Problem { line, message: message.into() });
    }

    /// Where `key = …` sits in the table whose header is at `section`: the lines after it up to
    /// the next table header (the section itself if not found).
    fn key_in(&self, section: &Range<usize>, key: &str) -> Range<usize> {
        let mut at = section.start.min(self.text.len());
        for (i, line) in self.text[at..].split_inclusive('\n').enumerate() {
            let code = line.trim_start();
            if i > 0 && code.starts_with('[') {
                break;
            }
            if code.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
                let indent = line.len() - code.len();
                return at + indent..at + indent + key.len();
            }
            at += line.len();
        }
        section.clone()
    }

    fn unplaced(&mut self, message: String) {
        self.problems.push(Problem { line: None, message });
    }

    /// Deserialize an optional section into `T`, reporting a failure at the section's line.
    fn section<T: serde::de::DeserializeOwned + Default>(&mut self, name: &str, table: Option<Spanned<toml::Table>>) -> T {
        self.optional_section(name, table).unwrap_or_default()
    }

    /// Deserialize an optional section into `T` (`None` when absent or unreadable).
    fn optional_section<T: serde::de::DeserializeOwned>(&mut self, name: &str, table: Option<Spanned<toml::Table>>) -> Option<T> {
        let table = table?;
        let span = table.span();
        match table.into_inner().try_into::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(&span, format!("[{name}]: {}", e.message().trim()));
                None
            }
        }
    }

    /// The whole configuration; relative data paths are resolved against `base`.
    pub(super) fn validate(&mut self, raw: RawConfig, base: &Path) -> Config {
        let centre = self.centre(raw.centre);
        let http = self.http(raw.http);
        let queue = self.queue(raw.queue);
        let priorities = self.priorities(raw.priority);
        let dispensing = self.windows(raw.dispensing.get_ref());
        let services = self.services(raw.service);
        let counters = self.counters(raw.counter, &services);
        let printer = self.printer(raw.printer);
        let calendar: crate::calendar::CalendarConfig = self.section("calendar", raw.calendar);
        let dossier_span = span_of(&raw.dossiers);
        let dossier_codes: crate::dossier::DossierCodeScheme = self.section("dossiers", raw.dossiers);
        if let Err(e) = dossier_codes.check_agency(&centre.agency_code) {
            self.problem(&dossier_span, format!("centre agency_code {:?} does not fit the dossier code scheme: {e}", centre.agency_code));
        }
        let ratings_span = span_of(&raw.ratings);
        let ratings: crate::rating::RatingScale = self.section("ratings", raw.ratings);
        for p in ratings.problems() {
            self.problem(&ratings_span, p);
        }
        let central_span = span_of(&raw.central);
        let central = self.optional_section::<crate::sync::CentralConfig>("central", raw.central).and_then(|c| {
            let problems = c.problems();
            for (key, p) in &problems {
                let span = self.key_in(&central_span, key);
                self.problem(&span, p.clone());
            }
            problems.is_empty().then_some(c)
        });
        let devices = self.optional_section::<crate::devices::DevicesConfig>("devices", raw.devices);
        let manager_pin_hash = raw.manager.map(|m| {
            if !m.pin_hash.get_ref().starts_with("$argon2") {
                self.problem(
                    &m.pin_hash.span(),
                    "[manager]: pin_hash must be an argon2 hash; run `kioskd hash-pin <PIN>` and paste what it prints",
                );
            }
            m.pin_hash.into_inner()
        });
        let (voice, kiosk_speaker) = self.voice(raw.voice);
        let touchscreen = self.touchscreen(raw.touchscreen);
        let identity = self.identity(raw.identity, &priorities);
        let notify = raw.notify.and_then(|n| self.notify(n, &centre, &counters, &dossier_codes));
        let relative = |p: Option<PathBuf>, default: &str| {
            let p = p.unwrap_or_else(|| PathBuf::from(default));
            if p.is_absolute() {
                p
            } else {
                base.join(p)
            }
        };
        Config {
            centre,
            http,
            data_dir: raw.data.dir.unwrap_or_else(|| PathBuf::from("var")),
            queue,
            priorities,
            services,
            counters,
            dispensing,
            printer,
            catalog_dir: relative(raw.data.catalog.clone(), "catalog"),
            holidays_dir: relative(raw.data.holidays.clone(), "holidays"),
            calendar,
            dossier_codes,
            ratings,
            central,
            devices,
            manager_pin_hash,
            voice,
            kiosk_speaker,
            development_pins_allowed: false,
            touchscreen,
            identity,
            notify,
        }
    }

    /// What `[devices]` says about the rest of the file (counters, rating levels), placed at
    /// the section's line; run once the rest is known.
    pub(super) fn devices_refer_to_known(&mut self, config: &Config, span: &Range<usize>) {
        if let Some(d) = &config.devices {
            for p in d.problems(|n| config.counter(n).is_some(), |level| config.ratings.level(level).is_some()) {
                self.problem(span, p);
            }
        }
    }

    fn centre(&mut self, c: RawCentre) -> Centre {
        if c.name.get_ref().trim().is_empty() {
            self.problem(&c.name.span(), "centre name is empty: it is printed on every ticket");
        }
        if c.agency_code.get_ref().trim().is_empty() {
            self.problem(&c.agency_code.span(), "agency_code is empty: it prefixes every dossier code");
        }
        let offset = crate::calendar::vietnam_offset();
        if !VIETNAM.contains(&c.time_zone.get_ref().as_str()) {
            self.problem(&c.time_zone.span(), format!("time_zone {:?} is not supported; use \"Asia/Ho_Chi_Minh\"", c.time_zone.get_ref()));
        }
        let public_url = match &c.public_url {
            Some(u) if !(u.get_ref().starts_with("http://") || u.get_ref().starts_with("https://")) => {
                self.problem(&u.span(), format!("public_url {:?} must start with http:// or https://", u.get_ref()));
                String::new()
            }
            Some(u) => u.get_ref().trim_end_matches('/').to_string(),
            None => "http://127.0.0.1:8080".into(),
        };
        Centre {
            name: nfc(c.name.get_ref().trim()),
            agency_code: c.agency_code.get_ref().trim().to_string(),
            address: nfc(c.address.trim()),
            time_zone: c.time_zone.into_inner(),
            offset,
            public_url,
        }
    }

    fn http(&mut self, h: RawHttp) -> Http {
        let listen = match &h.listen {
            None => "127.0.0.1:8080".parse().unwrap(),
            Some(l) => match l.get_ref().parse::<SocketAddr>() {
                Ok(a) => a,
                Err(_) => {
                    self.problem(&l.span(), format!("listen {:?} is not an address:port; write e.g. \"0.0.0.0:8080\"", l.get_ref()));
                    "127.0.0.1:8080".parse().unwrap()
                }
            },
        };
        Http { listen, tickets_per_minute_per_client: h.tickets_per_minute_per_client.unwrap_or(30).max(1) }
    }

    fn queue(&mut self, q: RawQueue) -> QueueRules {
        let n = q.interleave_normal.as_ref().map(|n| *n.get_ref()).unwrap_or(3);
        let ordering = match q.ordering.as_ref().map(|o| o.get_ref().as_str()) {
            None | Some("interleave") => {
                if n == 0 {
                    let span = q.interleave_normal.as_ref().unwrap().span();
                    self.problem(&span, "interleave_normal must be at least 1 (normal citizens served per priority citizen)");
                }
                Ordering::Interleave { normal: n.max(1) }
            }
            Some("strict") => Ordering::Strict,
            Some(other) => {
                self.problem(
                    &q.ordering.as_ref().unwrap().span(),
                    format!("ordering {other:?} is unknown; use \"strict\" or \"interleave\""),
                );
                Ordering::Strict
            }
        };
        let minutes = q.default_service_minutes.as_ref().map(|m| *m.get_ref()).unwrap_or(6);
        if minutes == 0 {
            self.problem(&q.default_service_minutes.unwrap().span(), "default_service_minutes must be at least 1");
        }
        QueueRules {
            ordering,
            default_service_minutes: minutes.max(1),
            transfer_position: q.transfer_position.unwrap_or(TransferPosition::Front),
        }
    }

    fn priorities(&mut self, raw: Vec<RawPriority>) -> Vec<PriorityCategory> {
        let mut priorities: Vec<PriorityCategory> = Vec::new();
        for p in raw {
            let code = p.code.get_ref().trim().to_string();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                self.problem(&p.code.span(), format!("priority code {:?} must be lowercase ASCII letters or '_' (e.g. \"elderly\")", code));
            } else if priorities.iter().any(|q| q.code == code) {
                self.problem(&p.code.span(), format!("priority code {code:?} is defined twice"));
            }
            priorities.push(PriorityCategory { code, name_vi: nfc(&p.name_vi), name_en: p.name_en });
        }
        priorities
    }

    fn services(&mut self, raw: Vec<Spanned<RawService>>) -> Vec<ServiceDef> {
        let mut services: Vec<ServiceDef> = Vec::new();
        for s in raw {
            let s_span = s.span();
            let s = s.into_inner();
            let code = s.code.get_ref().clone();
            if code.len() != 1 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                self.problem(
                    &s.code.span(),
                    format!("service code {code:?} must be one capital letter A–Z (it prefixes the ticket number, e.g. A025)"),
                );
            } else if services.iter().any(|x| x.code == code) {
                self.problem(&s.code.span(), format!("service code {code:?} is used by two services; give each its own letter"));
            }
            if s.name_vi.get_ref().trim().is_empty() {
                self.problem(&s.name_vi.span(), "name_vi is empty: write the Vietnamese name shown to citizens");
            }
            let first = *s.first_number.get_ref();
            let cap = *s.daily_cap.get_ref();
            if !(1..=999).contains(&first) {
                let span = if s.first_number.span().is_empty() { s_span.clone() } else { s.first_number.span() };
                self.problem(&span, format!("first_number {first} must be between 1 and 999 (numbers have 3 digits)"));
            }
            if cap == 0 {
                self.problem(&s.daily_cap.span(), "daily_cap is 0: nobody could take a number; use at least 1");
            } else if (1..=999).contains(&first) && first + cap - 1 > 999 {
                self.problem(
                    &s.daily_cap.span(),
                    format!("daily_cap {cap} starting at {first} would go past {code}999; use at most {}", 1000 - first),
                );
            }
            let windows = s.dispensing.as_ref().map(|w| self.windows(w.get_ref()));
            services.push(ServiceDef {
                code,
                name_vi: nfc(s.name_vi.get_ref().trim()),
                name_en: s.name_en.trim().to_string(),
                daily_cap: cap,
                first_number: first,
                windows,
            });
        }
        if services.is_empty() {
            self.unplaced("no [[service]] defined: add at least one".into());
        }
        services
    }

    fn counters(&mut self, raw: Vec<Spanned<RawCounter>>, services: &[ServiceDef]) -> Vec<CounterDef> {
        let mut counters: Vec<CounterDef> = Vec::new();
        for c in raw {
            let c = c.into_inner();
            let number = *c.number.get_ref();
            if number == 0 || number > 99 {
                self.problem(&c.number.span(), format!("counter number {number} must be between 1 and 99"));
            } else if counters.iter().any(|x| x.number == number) {
                self.problem(&c.number.span(), format!("counter number {number} is defined twice"));
            }
            let mut served = Vec::new();
            for s in c.services.get_ref() {
                if !services.iter().any(|x| &x.code == s.get_ref()) {
                    self.problem(
                        &s.span(),
                        format!(
                            "counter {number} serves unknown service {:?}; known services: {}",
                            s.get_ref(),
                            services.iter().map(|x| x.code.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                } else if !served.contains(s.get_ref()) {
                    served.push(s.get_ref().clone());
                }
            }
            if c.services.get_ref().is_empty() {
                self.problem(&c.services.span(), format!("counter {number} serves no service; list at least one, e.g. [\"A\"]"));
            }
            if !c.pin_hash.get_ref().starts_with("$argon2") {
                self.problem(
                    &c.pin_hash.span(),
                    format!("counter {number}: pin_hash must be an argon2 hash; run `kioskd hash-pin <PIN>` and paste what it prints"),
                );
            }
            counters.push(CounterDef { number, name: nfc(c.name.trim()), services: served, pin_hash: c.pin_hash.into_inner() });
        }
        if counters.is_empty() {
            self.unplaced("no [[counter]] defined: add at least one".into());
        }
        for s in services {
            if !counters.iter().any(|c| c.services.contains(&s.code)) {
                self.unplaced(format!("no counter serves service {} ({}); tickets would never be called", s.code, s.name_vi));
            }
        }
        counters
    }

    fn printer(&mut self, table: Option<Spanned<toml::Table>>) -> Option<printer::PrinterConfig> {
        let span = span_of(&table);
        let cfg = self.optional_section::<printer::PrinterConfig>("printer", table)?;
        match printer::Settings::from_config(&cfg) {
            Ok(_) => Some(cfg),
            Err(e) => {
                self.problem(&span, format!("[printer]: {e}"));
                None
            }
        }
    }

    fn windows(&mut self, w: &RawWindows) -> DispensingWindows {
        let days = [&w.monday, &w.tuesday, &w.wednesday, &w.thursday, &w.friday, &w.saturday, &w.sunday];
        let mut out = DispensingWindows::default();
        for (i, day) in days.iter().enumerate() {
            for entry in day.iter() {
                match parse_window(entry.get_ref()) {
                    Some(win) => {
                        if out.days[i].iter().any(|o| win.start < o.end && o.start < win.end) {
                            self.problem(&entry.span(), format!("window {:?} overlaps another window of the same day", entry.get_ref()));
                        }
                        out.days[i].push(win);
                    }
                    None => self.problem(
                        &entry.span(),
                        format!(
                            "window {:?} must look like \"07:00-11:15\" (start before end, 24-hour clock, \"24:00\" for midnight)",
                            entry.get_ref()
                        ),
                    ),
                }
            }
            out.days[i].sort_by_key(|w| w.start);
        }
        out
    }
}

/// Where an optional section sits (`0..0`: nowhere, so its problems carry no line).
pub(super) fn span_of(table: &Option<Spanned<toml::Table>>) -> Range<usize> {
    table.as_ref().map(|t| t.span()).unwrap_or(0..0)
}

fn parse_window(s: &str) -> Option<TimeWindow> {
    let (a, b) = s.split_once('-')?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
    let end = match b.trim() {
        // "24:00" closes at the end of the day.
        "24:00" => NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)?,
        b => NaiveTime::parse_from_str(b, "%H:%M").ok()?,
    };
    (start < end).then_some(TimeWindow { start, end })
}
