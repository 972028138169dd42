//! The site configuration (`config/kiosk.toml`): one validated structure, loaded once at start.
//!
//! Three steps, three files: `raw` is the file's shape as serde reads it, remembering where
//! each value sits (`toml::Spanned`); `validate` checks it as a whole and reports every problem
//! with the file, the line and what to fix, all at once, so a technician fixes the file in one
//! pass; `model` is the validated [`Config`] the rest of the service reads. Sections owned by
//! other modules are read and checked by their owners' types. The service refuses to start on a
//! bad file: a centre is better served by a clear error at boot than by a queue that numbers
//! tickets wrongly all day.

mod holidays;
mod model;
mod raw;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use holidays::load_overrides;
pub use model::{Centre, Config, CounterDef, Http, PriorityCategory, QueueRules, ServiceDef, Touchscreen};

impl Config {
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
        let mut v = validate::Validator::new(text);
        let raw: raw::RawConfig = match toml::from_str(text) {
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
        let devices_span = validate::span_of(&raw.devices);
        let config = v.validate(raw, &base);
        v.devices_refer_to_known(&config, &devices_span);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::Ordering;
    use chrono::Weekday;

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

    /// The sample follows the organisation after 2025: no service named after the ministry
    /// merged on 1/3/2025, no district level, and one real province throughout (H41 is Nghệ An).
    #[test]
    fn the_shipped_sample_follows_the_2025_organisation() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
        let config = Config::load(&path).unwrap();
        for s in &config.services {
            for outdated in ["Thương binh", "Lao động – Thương binh", "huyện"] {
                assert!(!s.name_vi.contains(outdated), "service {}: {:?}", s.code, s.name_vi);
            }
            assert!(!s.name_en.to_lowercase().contains("invalids"), "service {}: {:?}", s.code, s.name_en);
        }
        assert!(config.centre.agency_code.ends_with(".H41"), "{}", config.centre.agency_code);
        assert!(config.centre.address.ends_with("tỉnh Nghệ An"), "{}", config.centre.address);
        assert!(!config.centre.address.contains("huyện") && !config.centre.name.contains("huyện"));
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
    fn central_keys_are_checked_on_their_own_lines() {
        let key = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
        let good = format!("{}\n[central]\nurl = \"https://tthc.example.gov.vn\"\ncatalogue_public_key = \"{key}\"\n", base());
        let c = Config::parse(&good, Path::new("k.toml")).unwrap().central.unwrap();
        assert_eq!((c.heartbeat_seconds, c.catalogue_poll_seconds), (60, 300), "the defaults");
        assert_eq!(c.catalogue_key().map(|k| k.to_bytes()), Some(DeviceKeyBytes::of(key)));
        let lines = base().lines().count();
        let bad = format!(
            "{}\n[central]\nurl = \"https://tthc.example.gov.vn\"\nheartbeat_seconds = 0\ncatalogue_poll_seconds = 90000\ncatalogue_public_key = \"{}\"\n",
            base(),
            &key[..60]
        );
        let err = Config::parse(&bad, Path::new("k.toml")).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(&format!("k.toml:{}: [central]: heartbeat_seconds = 0 must be from 1 to 86400", lines + 4)), "{shown}");
        assert!(shown.contains(&format!("k.toml:{}: [central]: catalogue_poll_seconds = 90000", lines + 5)), "{shown}");
        assert!(shown.contains(&format!("k.toml:{}: [central]: catalogue_public_key", lines + 6)), "{shown}");
        assert!(shown.contains("is not 64 hexadecimal digits"), "{shown}");
        let typo = format!("{}\n[central]\nurl = \"https://x\"\nheartbeat_second = 5\n", base());
        let err = Config::parse(&typo, Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("heartbeat_second"), "{err}");
    }

    /// The 32 bytes a hex key names.
    struct DeviceKeyBytes;

    impl DeviceKeyBytes {
        fn of(hex: &str) -> [u8; 32] {
            crate::rating::key::unhex(hex).unwrap().try_into().unwrap()
        }
    }

    #[test]
    fn the_touchscreen_waits_as_configured_and_bad_values_are_located() {
        assert_eq!(Config::parse(&base(), Path::new("k.toml")).unwrap().touchscreen, Touchscreen::default());
        let good = format!("{}\n[touchscreen]\nidle_seconds = 120\ncountdown_seconds = 15\nclosing_warning_minutes = 0\n", base());
        let t = Config::parse(&good, Path::new("k.toml")).unwrap().touchscreen;
        assert_eq!((t.idle_seconds, t.rating_idle_seconds, t.countdown_seconds, t.closing_warning_minutes), (120, 30, 15, 0));
        let lines = base().lines().count();
        let bad = format!("{}\n[touchscreen]\nidle_seconds = 5\nrating_idle_seconds = 20\ncountdown_seconds = 25\n", base());
        let shown = Config::parse(&bad, Path::new("k.toml")).unwrap_err().to_string();
        assert!(shown.contains(&format!("k.toml:{}: [touchscreen] idle_seconds = 5 must be from 20 to 900", lines + 3)), "{shown}");
        assert!(shown.contains(&format!("k.toml:{}: [touchscreen] countdown_seconds = 25 must be shorter", lines + 5)), "{shown}");
        let typo = format!("{}\n[touchscreen]\nidle = 60\n", base());
        assert!(Config::parse(&typo, Path::new("k.toml")).unwrap_err().to_string().contains("idle"));
    }

    #[test]
    fn identity_caps_and_the_elderly_priority_are_checked_on_their_lines() {
        let rules = Config::parse(&base(), Path::new("k.toml")).unwrap().identity;
        assert_eq!((rules.caps.per_service, rules.caps.per_day), (1, 3));
        let good = format!(
            "{}\n[identity]\ntickets_per_person_per_service = 2\ntickets_per_person_per_day = 4\nelderly_priority = \"\"\n",
            base()
        );
        let rules = Config::parse(&good, Path::new("k.toml")).unwrap().identity;
        assert_eq!((rules.caps.per_service, rules.caps.per_day, rules.elderly_priority), (2, 4, None));
        let lines = base().lines().count();
        let bad = format!(
            "{}\n[identity]\ntickets_per_person_per_service = 0\ntickets_per_person_per_day = 1\nelderly_priority = \"old\"\n",
            base()
        );
        let shown = Config::parse(&bad, Path::new("k.toml")).unwrap_err().to_string();
        assert!(
            shown.contains(&format!("k.toml:{}: [identity] tickets_per_person_per_service = 0 must be from 1 to 50", lines + 3)),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("k.toml:{}: [identity] elderly_priority = \"old\" is not a [[priority]] code", lines + 5)),
            "{shown}"
        );
        let over = format!("{}\n[identity]\ntickets_per_person_per_service = 3\ntickets_per_person_per_day = 2\n", base());
        let shown = Config::parse(&over, Path::new("k.toml")).unwrap_err().to_string();
        assert!(shown.contains(&format!("k.toml:{}: [identity] tickets_per_person_per_day = 2 must be at least", lines + 4)), "{shown}");
    }

    #[test]
    fn notify_is_off_unless_configured_and_checked_on_its_lines() {
        assert!(Config::parse(&base(), Path::new("k.toml")).unwrap().notify.is_none());
        let good = format!(
            "{}\n[notify]\ngateway = \"webhook\"\nurl = \"http://127.0.0.1:9/sms\"\nheaders = {{ X-Key = \"{{secret}}\" }}\nbody = {{ to = \"{{phone}}\", message = \"{{text}}\" }}\n",
            base()
        );
        let n = Config::parse(&good, Path::new("k.toml")).unwrap().notify.unwrap();
        assert_eq!((n.ahead, n.timeout.as_secs(), n.encoding), (3, 10, crate::notice::Encoding::Unaccented));
        assert_eq!(n.secret_file, std::path::PathBuf::from("notify.secret"));
        let text_body = format!(
            "{}\n[notify]\ngateway = \"webhook\"\nurl = \"http://127.0.0.1:9/sms\"\nbody = '{{\"to\": \"{{phone}}\", \"text\": \"{{text}}\"}}'\n",
            base()
        );
        let n = Config::parse(&text_body, Path::new("k.toml")).unwrap().notify.unwrap();
        assert!(matches!(n.gateway, crate::sync::notices::Gateway::Webhook { body: serde_json::Value::String(_), .. }));
        let not_json = text_body.replace("\"text\": ", "\"text\" ");
        let shown = Config::parse(&not_json, Path::new("k.toml")).unwrap_err().to_string();
        assert!(shown.contains("body is not JSON once its placeholders are filled"), "{shown}");
        let lines = base().lines().count();
        let long = "Số {number} ".repeat(25);
        let bad = format!(
            "{}\n[notify]\ngateway = \"webhook\"\nurl = \"ftp://x\"\nahead = 0\nbody = {{ to = \"{{phone}}\" }}\ncalled_text = \"Mời {{ahead}}\"\napproaching_text = \"{long}\"\n",
            base()
        );
        let shown = Config::parse(&bad, Path::new("k.toml")).unwrap_err().to_string();
        for (line, words) in [
            (lines + 4, "url \"ftp://x\" must start with https://"),
            (lines + 5, "ahead = 0 must be from 1 to 50"),
            (lines + 6, "body never says {text}"),
            (lines + 7, "called_text: {ahead} is not a placeholder"),
            (lines + 8, "approaching_text is 199 characters"),
        ] {
            assert!(shown.contains(&format!("k.toml:{line}: [notify] {words}")), "{words}: {shown}");
        }
        let zalo = format!("{}\n[notify]\ngateway = \"zalo\"\n[notify.zalo.approaching]\ntemplate_id = \"1\"\ndata = {{ so = \"{{number}}\", quay = \"{{counter}}\" }}\n", base());
        let shown = Config::parse(&zalo, Path::new("k.toml")).unwrap_err().to_string();
        assert!(shown.contains("data.quay says {counter}"), "{shown}");
        assert!(shown.contains("[notify.zalo.called] is missing"), "{shown}");
    }

    #[test]
    fn caps_must_fit_three_digits() {
        let text = base().replace("daily_cap = 300", "daily_cap = 999\nfirst_number = 10");
        let err = Config::parse(&text, Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("use at most 990"), "{err}");
    }
}
