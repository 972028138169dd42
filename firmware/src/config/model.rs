//! The validated configuration of one centre: what the rest of the service reads. Every value
//! here has been checked (`super::validate`); the domain's own types (dispensing windows, the
//! ordering rule, the calendar, the dossier code scheme, the rating scale) are assembled here
//! from the sections they own.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::FixedOffset;

use crate::queue::{DispensingWindows, Ordering, TransferPosition};

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
    /// How announcements are worded: "lẻ" or "linh", the hall's call, the kiosk's words (`[voice]`).
    pub voice: crate::voice::Voice,
    /// The kiosk's own speaker (`[voice.kiosk]`).
    pub kiosk_speaker: crate::audio::SpeakerSettings,
    /// Started with `--dev` and holding a published development PIN: allowed, and `/counter`
    /// says so in a banner. Never read from the file.
    pub development_pins_allowed: bool,
    /// How the touchscreen waits for a citizen (`[touchscreen]`).
    pub touchscreen: Touchscreen,
    /// Fair numbers by the citizen's identity card (`[identity]`).
    pub identity: IdentityRules,
    /// SMS / Zalo notices to citizens who leave a phone number (`[notify]`; absent: off).
    pub notify: Option<crate::sync::notices::NotifyConfig>,
}

/// `[identity]`: how many numbers a person may take a day, and the priority of a holder aged 60
/// or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRules {
    pub caps: crate::identity::PersonCaps,
    /// The `[[priority]]` code a card of someone aged 60 or more gets (default "elderly" when
    /// that category exists; `None`: no priority by age).
    pub elderly_priority: Option<String>,
    /// The kiosk's code scanner in serial (CDC-ACM) mode, e.g. `/dev/serial/by-id/…`; `None`:
    /// a scanner in keyboard mode (or none), which needs no setting.
    pub scanner: Option<std::path::PathBuf>,
}

/// `[touchscreen]`: without a touch, a screen counts down and goes back to Home (clearing what
/// was typed); near the end of a dispensing window, Home warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touchscreen {
    /// Seconds without a touch before a screen goes back to Home.
    pub idle_seconds: u32,
    /// The same for the rating screens (a citizen rates in passing).
    pub rating_idle_seconds: u32,
    /// The last seconds of the wait, counted down on screen ("touch to stay").
    pub countdown_seconds: u32,
    /// Minutes before a dispensing window ends when Home says numbers stop soon (0: never).
    pub closing_warning_minutes: u32,
}

impl Default for Touchscreen {
    fn default() -> Touchscreen {
        Touchscreen { idle_seconds: 90, rating_idle_seconds: 30, countdown_seconds: 10, closing_warning_minutes: 15 }
    }
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

impl Config {
    pub fn service(&self, code: &str) -> Option<&ServiceDef> {
        self.services.iter().find(|s| s.code == code)
    }

    pub fn counter(&self, number: u32) -> Option<&CounterDef> {
        self.counters.iter().find(|c| c.number == number)
    }

    /// The counter's name as printed and shown ("Quầy số 03"), even for an unknown number.
    pub fn counter_name(&self, number: u32) -> String {
        self.counter(number).map(|c| c.name.clone()).unwrap_or_else(|| format!("Quầy số {number:02}"))
    }

    pub fn priority(&self, code: &str) -> Option<&PriorityCategory> {
        self.priorities.iter().find(|p| p.code == code)
    }

    /// Numbers of the counters serving `service`.
    pub fn counters_serving(&self, service: &str) -> Vec<u32> {
        self.counters.iter().filter(|c| c.services.iter().any(|s| s == service)).map(|c| c.number).collect()
    }

    /// Names of the counters serving `service`, as the kiosk lists them beside the service.
    pub fn counter_names_serving(&self, service: &str) -> Vec<String> {
        self.counters.iter().filter(|c| c.services.iter().any(|s| s == service)).map(|c| c.name.clone()).collect()
    }

    /// The windows that apply to `service` (its own, or the centre's).
    pub fn windows_for<'a>(&'a self, service: &'a ServiceDef) -> &'a DispensingWindows {
        service.windows.as_ref().unwrap_or(&self.dispensing)
    }

    /// What holds a published development PIN (README): "Quầy số 01", …, "the manager".
    /// Verifies every hash against every development PIN, in parallel (argon2: ~1 s in all).
    pub fn development_pins(&self) -> Vec<String> {
        let mut hashes: Vec<(String, &str)> = self.counters.iter().map(|c| (c.name.clone(), c.pin_hash.as_str())).collect();
        if let Some(h) = &self.manager_pin_hash {
            hashes.push(("the manager ([manager])".to_string(), h.as_str()));
        }
        std::thread::scope(|scope| {
            let checks: Vec<_> =
                hashes.iter().map(|(name, hash)| (name, scope.spawn(move || crate::auth::is_development_pin(hash)))).collect();
            checks.into_iter().filter_map(|(name, h)| h.join().unwrap_or(false).then(|| name.clone())).collect()
        })
    }

    /// Where the database lives under the data directory.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("kiosk.sqlite3")
    }
}
