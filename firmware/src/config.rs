//! The site configuration (`config/kiosk.toml`): one validated structure, loaded once at start.
//!
//! The file is read into a *raw* shape that remembers where each value sits in the file
//! (`toml::Spanned`), then checked as a whole. Every problem found is reported with the file,
//! the line and what to fix, all at once, so a technician fixes the file in one pass. The
//! service refuses to start on a bad file: a centre is better served by a clear error at boot
//! than by a queue that numbers tickets wrongly all day.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveTime, Weekday};
use serde::Deserialize;
use toml::Spanned;

use crate::text::nfc;

/// The validated configuration of one centre.
#[derive(Debug, Clone)]
pub struct Config {
    pub centre: Centre,
    pub http: Http,
    pub data_dir: PathBuf,
    pub queue: QueueRules,
    pub priorities: Vec<PriorityCategory>,
    pub services: Vec<ServiceDef>,
    pub counters: Vec<CounterDef>,
    pub dispensing: DispensingWindows,
    /// The receipt printer (absent: this kiosk has none, tickets report `printed: false`).
    pub printer: Option<printer::PrinterConfig>,
    /// The procedure catalogue directory (`[data] catalog`, relative to the config file).
    pub catalog_dir: PathBuf,
    /// The holiday override table directory (`[data] holidays`, relative to the config file).
    pub holidays_dir: PathBuf,
    /// Office hours for appointment dates (`[calendar]`).
    pub calendar: crate::calendar::CalendarConfig,
    /// How dossier codes are formed and which typed codes are accepted (`[dossiers]`).
    pub dossier_codes: crate::dossier::DossierCodeScheme,
    /// The rating scale and window (`[ratings]`).
    pub ratings: crate::rating::RatingScale,
    /// The province's central service that receives ratings (`[central]`; absent: keep them).
    pub central: Option<crate::sync::CentralConfig>,
    /// Buttons, LED and counter display (`[devices]`; absent: none).
    pub devices: Option<crate::devices::DevicesConfig>,
    /// The centre manager's PIN hash for `/admin` (`[manager]`; absent: no manager login).
    pub manager_pin_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Centre {
    pub name: String,
    pub agency_code: String,
    pub address: String,
    pub time_zone: String,
    /// Fixed UTC offset of the site (Vietnam: +07:00, no daylight saving).
    pub offset: FixedOffset,
    /// Base URL printed in QR codes so a phone can follow a ticket (`<public_url>/t/<id>`).
    pub public_url: String,
}

#[derive(Debug, Clone)]
pub struct Http {
    pub listen: SocketAddr,
    /// How many tickets one client address may take per minute before getting 429.
    pub tickets_per_minute_per_client: u32,
}

/// How waiting citizens are ordered when a counter calls the next number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordering {
    /// Any waiting priority citizen is called before any normal one.
    Strict,
    /// After `normal` normal citizens, one priority citizen (if any waits).
    Interleave { normal: u32 },
}

/// Where a transferred ticket goes in its new queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferPosition {
    Front,
    Back,
}

#[derive(Debug, Clone)]
pub struct QueueRules {
    pub ordering: Ordering,
    /// Service time assumed before the day has any finished ticket to learn from.
    pub default_service_minutes: u32,
    pub transfer_position: TransferPosition,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityCategory {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone)]
pub struct ServiceDef {
    /// The letter prefix, also the service code in the API (`"A"`).
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub daily_cap: u32,
    pub first_number: u32,
    /// Service-specific dispensing windows; `None` uses the centre's.
    pub windows: Option<DispensingWindows>,
}

#[derive(Debug, Clone)]
pub struct CounterDef {
    pub number: u32,
    pub name: String,
    pub services: Vec<String>,
    /// Argon2 PHC string of the staff PIN; the PIN itself is never stored.
    pub pin_hash: String,
}

/// A time range `[start, end)` within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Ticket-dispensing windows for each weekday (index 0 = Monday).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DispensingWindows {
    pub days: [Vec<TimeWindow>; 7],
}

impl DispensingWindows {
    pub fn for_weekday(&self, day: Weekday) -> &[TimeWindow] {
        &self.days[day.num_days_from_monday() as usize]
    }
}

impl Config {
    pub fn service(&self, code: &str) -> Option<&ServiceDef> {
        self.services.iter().find(|s| s.code == code)
    }

    pub fn counter(&self, number: u32) -> Option<&CounterDef> {
        self.counters.iter().find(|c| c.number == number)
    }

    pub fn priority(&self, code: &str) -> Option<&PriorityCategory> {
        self.priorities.iter().find(|p| p.code == code)
    }

    /// Numbers of the counters serving `service`.
    pub fn counters_serving(&self, service: &str) -> Vec<u32> {
        self.counters.iter().filter(|c| c.services.iter().any(|s| s == service)).map(|c| c.number).collect()
    }

    /// The windows that apply to `service` (its own, or the centre's).
    pub fn windows_for<'a>(&'a self, service: &'a ServiceDef) -> &'a DispensingWindows {
        service.windows.as_ref().unwrap_or(&self.dispensing)
    }

    /// Load and validate a configuration file. Relative data paths are resolved against the
    /// current directory, as the operator typed them.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![Problem { line: None, message: format!("cannot read the file: {e}") }],
        })?;
        Config::parse(&text, path)
    }

    /// Parse and validate configuration text; `file` is only used in error messages.
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let mut v = Validator { text, problems: Vec::new() };
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| v.line_of(&s));
                return Err(ConfigError {
                    file: file.to_path_buf(),
                    problems: vec![Problem { line, message: e.message().trim().to_string() }],
                });
            }
        };
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let devices_span = raw.devices.as_ref().map(|d| d.span()).unwrap_or(0..0);
        let config = v.validate(raw, &base);
        if let Some(d) = &config.devices {
            for p in crate::devices::problems(d, &config) {
                v.problem(&devices_span, p);
            }
        }
        if v.problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError { file: file.to_path_buf(), problems: v.problems })
        }
    }
}

/// Every problem found in one configuration file.
#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone)]
pub struct Problem {
    /// 1-based line number, when the problem has a place in the file.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(f, "{} problem{} in {}:", n, if n == 1 { "" } else { "s" }, self.file.display())?;
        for p in &self.problems {
            match p.line {
                Some(line) => writeln!(f, "  {}:{}: {}", self.file.display(), line, p.message)?,
                None => writeln!(f, "  {}: {}", self.file.display(), p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

// ---------------------------------------------------------------------------------------------
// The raw shape of the file.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    centre: RawCentre,
    #[serde(default)]
    http: RawHttp,
    #[serde(default)]
    data: RawData,
    #[serde(default)]
    queue: RawQueue,
    #[serde(default)]
    priority: Vec<RawPriority>,
    #[serde(default)]
    service: Vec<Spanned<RawService>>,
    #[serde(default)]
    counter: Vec<Spanned<RawCounter>>,
    dispensing: Spanned<RawWindows>,
    #[serde(default)]
    printer: Option<Spanned<toml::Table>>,
    #[serde(default)]
    calendar: Option<Spanned<toml::Table>>,
    #[serde(default)]
    dossiers: Option<Spanned<toml::Table>>,
    #[serde(default)]
    ratings: Option<Spanned<toml::Table>>,
    #[serde(default)]
    central: Option<Spanned<toml::Table>>,
    #[serde(default)]
    devices: Option<Spanned<toml::Table>>,
    #[serde(default)]
    manager: Option<RawManager>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManager {
    pin_hash: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCentre {
    name: Spanned<String>,
    agency_code: Spanned<String>,
    #[serde(default)]
    address: String,
    time_zone: Spanned<String>,
    #[serde(default)]
    public_url: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: Option<Spanned<String>>,
    tickets_per_minute_per_client: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawData {
    dir: Option<PathBuf>,
    catalog: Option<PathBuf>,
    holidays: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawQueue {
    ordering: Option<Spanned<String>>,
    interleave_normal: Option<Spanned<u32>>,
    default_service_minutes: Option<Spanned<u32>>,
    transfer_position: Option<TransferPosition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriority {
    code: Spanned<String>,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    code: Spanned<String>,
    name_vi: Spanned<String>,
    name_en: String,
    daily_cap: Spanned<u32>,
    #[serde(default = "one")]
    first_number: Spanned<u32>,
    #[serde(default)]
    dispensing: Option<Spanned<RawWindows>>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounter {
    number: Spanned<u32>,
    name: String,
    services: Spanned<Vec<Spanned<String>>>,
    pin_hash: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindows {
    #[serde(default)]
    monday: Vec<Spanned<String>>,
    #[serde(default)]
    tuesday: Vec<Spanned<String>>,
    #[serde(default)]
    wednesday: Vec<Spanned<String>>,
    #[serde(default)]
    thursday: Vec<Spanned<String>>,
    #[serde(default)]
    friday: Vec<Spanned<String>>,
    #[serde(default)]
    saturday: Vec<Spanned<String>>,
    #[serde(default)]
    sunday: Vec<Spanned<String>>,
}

// ---------------------------------------------------------------------------------------------
// Validation.

struct Validator<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text[..end].bytes().filter(|&b| b == b'\n').count() + 1
    }

    fn problem(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = if span.is_empty() && span.start == 0 { None } else { Some(self.line_of(span)) };
        self.problems.push(Problem { line, message: message.into() });
    }

    /// Deserialize an optional section into `T`, reporting a failure at the section's line.
    fn section<T: serde::de::DeserializeOwned + Default>(&mut self, name: &str, table: Option<Spanned<toml::Table>>) -> T {
        let Some(table) = table else { return T::default() };
        let span = table.span();
        match table.into_inner().try_into::<T>() {
            Ok(v) => v,
            Err(e) => {
                self.problem(&span, format!("[{name}]: {}", e.message().trim()));
                T::default()
            }
        }
    }

    fn validate(&mut self, raw: RawConfig, base: &Path) -> Config {
        let centre = self.centre(raw.centre);
        let http = self.http(raw.http);
        let queue = self.queue(raw.queue);

        let mut priorities: Vec<PriorityCategory> = Vec::new();
        for p in raw.priority {
            let code = p.code.get_ref().trim().to_string();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                self.problem(&p.code.span(), format!("priority code {:?} must be lowercase ASCII letters or '_' (e.g. \"elderly\")", code));
            } else if priorities.iter().any(|q| q.code == code) {
                self.problem(&p.code.span(), format!("priority code {code:?} is defined twice"));
            }
            priorities.push(PriorityCategory { code, name_vi: nfc(&p.name_vi), name_en: p.name_en });
        }

        let dispensing = self.windows(raw.dispensing.get_ref());

        let mut services: Vec<ServiceDef> = Vec::new();
        for s in raw.service {
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
            self.problems.push(Problem { line: None, message: "no [[service]] defined: add at least one".into() });
        }

        let mut counters: Vec<CounterDef> = Vec::new();
        for c in raw.counter {
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
            self.problems.push(Problem { line: None, message: "no [[counter]] defined: add at least one".into() });
        }
        for s in &services {
            if !counters.iter().any(|c| c.services.contains(&s.code)) {
                self.problems.push(Problem {
                    line: None,
                    message: format!("no counter serves service {} ({}); tickets would never be called", s.code, s.name_vi),
                });
            }
        }

        let printer = raw.printer.and_then(|table| {
            let span = table.span();
            let parsed = table.into_inner().try_into::<printer::PrinterConfig>();
            match parsed {
                Ok(cfg) => match printer::Settings::from_config(&cfg) {
                    Ok(_) => Some(cfg),
                    Err(e) => {
                        self.problem(&span, format!("[printer]: {e}"));
                        None
                    }
                },
                Err(e) => {
                    self.problem(&span, format!("[printer]: {}", e.message().trim()));
                    None
                }
            }
        });

        let calendar: crate::calendar::CalendarConfig = self.section("calendar", raw.calendar);
        let dossier_span = raw.dossiers.as_ref().map(|d| d.span()).unwrap_or(0..0);
        let dossier_codes: crate::dossier::DossierCodeScheme = self.section("dossiers", raw.dossiers);
        if let Err(e) = dossier_codes.check_agency(&centre.agency_code) {
            self.problem(&dossier_span, format!("centre agency_code {:?} does not fit the dossier code scheme: {e}", centre.agency_code));
        }
        let ratings_span = raw.ratings.as_ref().map(|d| d.span()).unwrap_or(0..0);
        let ratings: crate::rating::RatingScale = self.section("ratings", raw.ratings);
        for p in ratings.problems() {
            self.problem(&ratings_span, p);
        }
        let central = match raw.central {
            None => None,
            Some(table) => {
                let span = table.span();
                match table.into_inner().try_into::<crate::sync::CentralConfig>() {
                    Ok(c) if c.url.starts_with("http://") || c.url.starts_with("https://") => Some(c),
                    Ok(c) => {
                        self.problem(&span, format!("[central]: url {:?} must start with https:// (or http:// on a test LAN)", c.url));
                        None
                    }
                    Err(e) => {
                        self.problem(&span, format!("[central]: {}", e.message().trim()));
                        None
                    }
                }
            }
        };
        let devices_span = raw.devices.as_ref().map(|d| d.span());
        let devices = match raw.devices {
            None => None,
            Some(table) => match table.into_inner().try_into::<crate::devices::DevicesConfig>() {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem(devices_span.as_ref().unwrap(), format!("[devices]: {}", e.message().trim()));
                    None
                }
            },
        };
        let manager_pin_hash = raw.manager.map(|m| {
            if !m.pin_hash.get_ref().starts_with("$argon2") {
                self.problem(
                    &m.pin_hash.span(),
                    "[manager]: pin_hash must be an argon2 hash; run `kioskd hash-pin <PIN>` and paste what it prints",
                );
            }
            m.pin_hash.into_inner()
        });
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
        }
    }

    fn centre(&mut self, c: RawCentre) -> Centre {
        if c.name.get_ref().trim().is_empty() {
            self.problem(&c.name.span(), "centre name is empty: it is printed on every ticket");
        }
        if c.agency_code.get_ref().trim().is_empty() {
            self.problem(&c.agency_code.span(), "agency_code is empty: it prefixes every dossier code");
        }
        let offset = match c.time_zone.get_ref().as_str() {
            // Vietnam has used UTC+7 without daylight saving since 1975.
            "Asia/Ho_Chi_Minh" | "Asia/Saigon" | "+07:00" => FixedOffset::east_opt(7 * 3600).unwrap(),
            other => {
                self.problem(&c.time_zone.span(), format!("time_zone {other:?} is not supported; use \"Asia/Ho_Chi_Minh\""));
                FixedOffset::east_opt(7 * 3600).unwrap()
            }
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

    fn base() -> String {
        format!(
            r#"
[centre]
name = "UBND xã Hòa Phú"
agency_code = "H41.17.12"
time_zone = "Asia/Ho_Chi_Minh"

[dispensing]
monday = ["07:00-11:15", "13:15-16:30"]
saturday = ["07:30-11:00"]

[[service]]
code = "A"
name_vi = "Hộ tịch – Chứng thực"
name_en = "Civil status"
daily_cap = 300

[[counter]]
number = 1
name = "Quầy số 01"
services = ["A"]
pin_hash = "{HASH}"
"#
        )
    }

    #[test]
    fn the_shipped_default_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
        let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.services.len(), 6);
        assert_eq!(config.counters.len(), 6);
        assert_eq!(config.centre.time_zone, "Asia/Ho_Chi_Minh");
        assert!(!config.dispensing.for_weekday(Weekday::Sat).is_empty());
    }

    #[test]
    fn a_small_valid_file_loads() {
        let c = Config::parse(&base(), Path::new("k.toml")).unwrap();
        assert_eq!(c.services[0].first_number, 1);
        assert_eq!(c.dispensing.for_weekday(Weekday::Mon).len(), 2);
        assert_eq!(c.http.listen.port(), 8080);
        assert_eq!(c.queue.ordering, Ordering::Interleave { normal: 3 });
    }

    #[test]
    fn errors_name_the_line_and_the_fix() {
        let text = base().replace("code = \"A\"", "code = \"AB\"").replace("\"13:15-16:30\"", "\"16:30-13:15\"");
        let err = Config::parse(&text, Path::new("config/kiosk.toml")).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("config/kiosk.toml:8: window \"16:30-13:15\""), "{shown}");
        assert!(shown.contains("config/kiosk.toml:12: service code \"AB\""), "{shown}");
        // the counter now serves a service that does not exist
        assert!(shown.contains("serves unknown service \"A\""), "{shown}");
    }

    #[test]
    fn syntax_and_unknown_keys_are_located() {
        let text = base().replace("daily_cap = 300", "daily_cap = 300\ncolour = \"red\"");
        let err = Config::parse(&text, Path::new("k.toml")).unwrap_err();
        assert_eq!(err.problems[0].line, Some(16), "{err}");
        assert!(err.problems[0].message.contains("colour"), "{err}");

        let err = Config::parse("[centre\nname=1", Path::new("k.toml")).unwrap_err();
        assert_eq!(err.problems[0].line, Some(1), "{err}");
    }

    #[test]
    fn a_plain_pin_is_refused() {
        let text = base().replace(HASH, "1234");
        let err = Config::parse(&text, Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("kioskd hash-pin"), "{err}");
    }

    #[test]
    fn caps_must_fit_three_digits() {
        let text = base().replace("daily_cap = 300", "daily_cap = 999\nfirst_number = 10");
        let err = Config::parse(&text, Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("use at most 990"), "{err}");
    }
}
