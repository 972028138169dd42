//! The printer section of the kiosk configuration, checked once at start-up into settings;
//! every error names the value to fix.

use crate::error::PrintError;
use crate::profile::{Profile, TextMode};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// As written in the configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    /// "virtual", "usb:/dev/usb/lp0", "tcp:192.168.1.50:9100", "serial:/dev/ttyUSB0:19200",
    /// "file:/tmp/out.bin".
    pub transport: String,
    /// "generic-58" | "epson-tm-t20" | "epson-tm-t88" | "xprinter-80"; default generic 80 mm.
    #[serde(default)]
    pub profile: Option<String>,
    /// Overrides the profile's width (a multiple of 8).
    #[serde(default)]
    pub width_dots: Option<u32>,
    /// "raster" (default) | "tcvn3" | "cp1258".
    #[serde(default)]
    pub text_mode: Option<String>,
    /// Longest a print or status call may take; default 3000.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Where the virtual printer saves jobs; default "var/receipts".
    #[serde(default)]
    pub virtual_dir: Option<PathBuf>,
}

impl PrinterConfig {
    /// The development default: the virtual printer, saving under `var/receipts`.
    pub fn virtual_default() -> PrinterConfig {
        PrinterConfig { transport: "virtual".into(), profile: None, width_dots: None, text_mode: None, timeout_ms: None, virtual_dir: None }
    }
}

/// Baud rate assumed when a serial transport names none (the usual factory setting).
pub const DEFAULT_BAUD: u32 = 9600;
pub const DEFAULT_TIMEOUT_MS: u64 = 3000;

/// Where the bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportSpec {
    Virtual,
    Usb(PathBuf),
    Tcp(String),
    Serial { path: String, baud: u32 },
    File(PathBuf),
}

/// Checked settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub transport: TransportSpec,
    pub profile: Profile,
    pub width_dots: u32,
    pub text_mode: TextMode,
    pub timeout: Duration,
    pub virtual_dir: PathBuf,
}

impl Settings {
    pub fn from_config(cfg: &PrinterConfig) -> Result<Settings, PrintError> {
        let profile = match &cfg.profile {
            Some(name) => Profile::by_name(name)?,
            None => Profile::generic_80(),
        };
        let width_dots = cfg.width_dots.unwrap_or(profile.width_dots);
        if !width_dots.is_multiple_of(8) || !(128..=832).contains(&width_dots) {
            return Err(PrintError::Config(format!(
                "width_dots = {width_dots}: use a multiple of 8 between 128 and 832 (384 for 58 mm, 576 or 512 for 80 mm)"
            )));
        }
        let text_mode = TextMode::parse(cfg.text_mode.as_deref().unwrap_or("raster"))?;
        profile.check_text_mode(text_mode)?;
        let timeout_ms = cfg.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if timeout_ms == 0 {
            return Err(PrintError::Config("timeout_ms = 0: use a positive number of milliseconds, e.g. 3000".into()));
        }
        Ok(Settings {
            transport: parse_transport(&cfg.transport)?,
            profile,
            width_dots,
            text_mode,
            timeout: Duration::from_millis(timeout_ms),
            virtual_dir: cfg.virtual_dir.clone().unwrap_or_else(|| PathBuf::from("var/receipts")),
        })
    }
}

fn parse_transport(s: &str) -> Result<TransportSpec, PrintError> {
    let bad = |why: &str| {
        PrintError::Config(format!(
            "transport \"{s}\": {why}; use \"virtual\", \"usb:/dev/usb/lp0\", \"tcp:HOST:9100\", \"serial:/dev/ttyUSB0:19200\" or \"file:/path\""
        ))
    };
    if s == "virtual" {
        return Ok(TransportSpec::Virtual);
    }
    let (kind, rest) = s.split_once(':').ok_or_else(|| bad("no kind"))?;
    if rest.is_empty() {
        return Err(bad("nothing after the colon"));
    }
    match kind {
        "usb" => Ok(TransportSpec::Usb(PathBuf::from(rest))),
        "file" => Ok(TransportSpec::File(PathBuf::from(rest))),
        "tcp" => {
            let address = match rest.rsplit_once(':') {
                Some((_, port)) if port.parse::<u16>().is_ok() => rest.to_string(),
                Some((_, port)) if !rest.starts_with('[') => return Err(bad(&format!("port \"{port}\" is not a number"))),
                _ => format!("{rest}:9100"),
            };
            Ok(TransportSpec::Tcp(address))
        }
        "serial" => match rest.rsplit_once(':') {
            Some((path, baud)) => {
                let baud = baud.parse().map_err(|_| bad(&format!("baud rate \"{baud}\" is not a number")))?;
                Ok(TransportSpec::Serial { path: path.to_string(), baud })
            }
            None => Ok(TransportSpec::Serial { path: rest.to_string(), baud: DEFAULT_BAUD }),
        },
        _ => Err(bad(&format!("unknown kind \"{kind}\""))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(transport: &str) -> PrinterConfig {
        PrinterConfig { transport: transport.into(), ..PrinterConfig::virtual_default() }
    }

    #[test]
    fn transports_parse() {
        let t = |s| Settings::from_config(&cfg(s)).map(|s| s.transport);
        assert_eq!(t("virtual").unwrap(), TransportSpec::Virtual);
        assert_eq!(t("usb:/dev/usb/lp0").unwrap(), TransportSpec::Usb("/dev/usb/lp0".into()));
        assert_eq!(t("tcp:192.168.1.50:9100").unwrap(), TransportSpec::Tcp("192.168.1.50:9100".into()));
        assert_eq!(t("tcp:printer.local").unwrap(), TransportSpec::Tcp("printer.local:9100".into()));
        assert_eq!(t("serial:/dev/ttyUSB0:19200").unwrap(), TransportSpec::Serial { path: "/dev/ttyUSB0".into(), baud: 19200 });
        assert_eq!(t("serial:/dev/ttyS0").unwrap(), TransportSpec::Serial { path: "/dev/ttyS0".into(), baud: DEFAULT_BAUD });
        assert!(matches!(t("lpt:1"), Err(PrintError::Config(m)) if m.contains("unknown kind")));
        assert!(matches!(t("serial:/dev/ttyUSB0:fast"), Err(PrintError::Config(m)) if m.contains("baud")));
    }

    #[test]
    fn errors_say_what_to_fix() {
        let mut c = cfg("virtual");
        c.profile = Some("epson-tm-t99".into());
        let e = Settings::from_config(&c).unwrap_err().to_string();
        assert!(e.contains("epson-tm-t88"), "{e}");
        c.profile = Some("generic-58".into());
        c.text_mode = Some("tcvn3".into());
        let e = Settings::from_config(&c).unwrap_err().to_string();
        assert!(e.contains("no tcvn3 code page"), "{e}");
        c.text_mode = None;
        c.width_dots = Some(580);
        assert!(Settings::from_config(&c).unwrap_err().to_string().contains("multiple of 8"));
    }

    #[test]
    fn defaults_are_raster_80mm_3s() {
        let s = Settings::from_config(&cfg("virtual")).unwrap();
        assert_eq!((s.width_dots, s.text_mode, s.timeout), (576, TextMode::Raster, Duration::from_secs(3)));
        assert_eq!(s.virtual_dir, PathBuf::from("var/receipts"));
    }
}
