//! The raw shape of `config/kiosk.toml`, as serde reads it: every value that can be wrong
//! remembers where it sits in the file (`toml::Spanned`), so validation can name the line.
//! Sections owned by other modules (`[printer]`, `[calendar]`, `[dossiers]`, `[ratings]`,
//! `[central]`, `[devices]`) stay tables here and are read by their owners' types.

use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use crate::queue::TransferPosition;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) centre: RawCentre,
    #[serde(default)]
    pub(super) http: RawHttp,
    #[serde(default)]
    pub(super) data: RawData,
    #[serde(default)]
    pub(super) queue: RawQueue,
    #[serde(default)]
    pub(super) priority: Vec<RawPriority>,
    #[serde(default)]
    pub(super) service: Vec<Spanned<RawService>>,
    #[serde(default)]
    pub(super) counter: Vec<Spanned<RawCounter>>,
    pub(super) dispensing: Spanned<RawWindows>,
    #[serde(default)]
    pub(super) printer: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) calendar: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) dossiers: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) ratings: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) central: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) devices: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub(super) manager: Option<RawManager>,
    #[serde(default)]
    pub(super) voice: Option<RawVoice>,
    #[serde(default)]
    pub(super) touchscreen: Option<RawTouchscreen>,
    #[serde(default)]
    pub(super) identity: Option<RawIdentity>,
    #[serde(default)]
    pub(super) notify: Option<Spanned<RawNotify>>,
}

/// `[notify]`: SMS / Zalo notices to citizens who leave a phone number.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotify {
    pub(super) gateway: Spanned<String>,
    #[serde(default)]
    pub(super) url: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) ahead: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) timeout_seconds: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) unaccented: Option<bool>,
    #[serde(default)]
    pub(super) secret_file: Option<PathBuf>,
    #[serde(default)]
    pub(super) first_retry_seconds: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) max_retry_seconds: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) approaching_text: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) called_text: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) result_ready_text: Option<Spanned<String>>,
    /// Webhook: header name → value (may say `{secret}`).
    #[serde(default)]
    pub(super) headers: Option<Spanned<std::collections::BTreeMap<String, String>>>,
    /// Webhook: the JSON body, as a TOML table whose strings hold placeholders, or as JSON text.
    #[serde(default)]
    pub(super) body: Option<Spanned<toml::Value>>,
    /// Zalo: one template per notice.
    #[serde(default)]
    pub(super) zalo: Option<Spanned<RawZalo>>,
}

/// `[notify.zalo]`: the ZNS template of each notice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawZalo {
    pub(super) approaching: Option<Spanned<RawZaloTemplate>>,
    pub(super) called: Option<Spanned<RawZaloTemplate>>,
    pub(super) result_ready: Option<Spanned<RawZaloTemplate>>,
}

/// One ZNS template: its id and its parameters (name → text with placeholders).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawZaloTemplate {
    pub(super) template_id: Spanned<String>,
    #[serde(default)]
    pub(super) data: std::collections::BTreeMap<String, Spanned<String>>,
}

/// `[identity]`: fair numbers by the citizen's card.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentity {
    pub(super) tickets_per_person_per_service: Option<Spanned<i64>>,
    pub(super) tickets_per_person_per_day: Option<Spanned<i64>>,
    pub(super) elderly_priority: Option<Spanned<String>>,
    pub(super) scanner: Option<Spanned<String>>,
}

/// `[touchscreen]`: how the kiosk's screens wait for a citizen.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTouchscreen {
    pub(super) idle_seconds: Option<Spanned<i64>>,
    pub(super) rating_idle_seconds: Option<Spanned<i64>>,
    pub(super) countdown_seconds: Option<Spanned<i64>>,
    pub(super) closing_warning_minutes: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawManager {
    pub(super) pin_hash: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCentre {
    pub(super) name: Spanned<String>,
    pub(super) agency_code: Spanned<String>,
    #[serde(default)]
    pub(super) address: String,
    pub(super) time_zone: Spanned<String>,
    #[serde(default)]
    pub(super) public_url: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHttp {
    pub(super) listen: Option<Spanned<String>>,
    pub(super) tickets_per_minute_per_client: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawData {
    pub(super) dir: Option<PathBuf>,
    pub(super) catalog: Option<PathBuf>,
    pub(super) holidays: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQueue {
    pub(super) ordering: Option<Spanned<String>>,
    pub(super) interleave_normal: Option<Spanned<u32>>,
    pub(super) default_service_minutes: Option<Spanned<u32>>,
    pub(super) transfer_position: Option<TransferPosition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPriority {
    pub(super) code: Spanned<String>,
    pub(super) name_vi: String,
    pub(super) name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub(super) code: Spanned<String>,
    pub(super) name_vi: Spanned<String>,
    pub(super) name_en: String,
    pub(super) daily_cap: Spanned<u32>,
    #[serde(default = "one")]
    pub(super) first_number: Spanned<u32>,
    #[serde(default)]
    pub(super) dispensing: Option<Spanned<RawWindows>>,
}

pub(super) fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCounter {
    pub(super) number: Spanned<u32>,
    pub(super) name: String,
    pub(super) services: Spanned<Vec<Spanned<String>>>,
    pub(super) pin_hash: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWindows {
    #[serde(default)]
    pub(super) monday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) tuesday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) wednesday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) thursday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) friday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) saturday: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) sunday: Vec<Spanned<String>>,
}

/// `[voice]`: how announcements are worded; `[voice.kiosk]`: the kiosk's own speaker.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVoice {
    pub(super) zero_tens: Option<Spanned<String>>,
    pub(super) sentence: Option<Spanned<String>>,
    pub(super) kiosk: Option<RawKioskVoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKioskVoice {
    pub(super) enabled: Option<bool>,
    pub(super) volume: Option<Spanned<i64>>,
    /// One window ("12:00-13:00") or a list of them.
    pub(super) quiet_hours: Option<Spanned<toml::Value>>,
    pub(super) sentence: Option<Spanned<String>>,
    pub(super) output: Option<Spanned<String>>,
}
