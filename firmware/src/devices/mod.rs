//! Hardware at the counters and in the hall, behind small traits: buttons (call next, recall,
//! rating buttons, a help button), a printer-status LED and a small counter display. The
//! Raspberry Pi backend (rppal) is behind the `rpi` feature; the simulated board drives the same
//! logic in tests and development. This module knows the hardware and its `[devices]` section;
//! `server::devices` wires presses to the same `Service` commands the API uses.

pub mod button;
pub mod display;
#[cfg(feature = "rpi")]
pub mod rpi;
pub mod sim;

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeviceError(pub String);

/// A button input; `true` while pressed.
pub trait InputPin: Send {
    fn is_pressed(&mut self) -> bool;
}

/// A lamp or LED.
pub trait OutputPin: Send {
    fn set(&mut self, on: bool);
}

/// Where pins come from.
pub trait Board: Send {
    fn input(&mut self, pin: u8) -> Result<Box<dyn InputPin>, DeviceError>;
    fn output(&mut self, pin: u8) -> Result<Box<dyn OutputPin>, DeviceError>;
}

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CallNext,
    Recall,
    Start,
    NoShow,
    Finish,
    /// Rate the counter's last finished ticket with this level code.
    Rate(String),
    /// A citizen in the hall asks for help.
    Help,
    /// The touchscreen's audio guide (issue 18): on/off, the previous and next choice, choose
    /// it. Read by the touchscreen app (`kiosk`), not by `kioskd`.
    Guide,
    GuidePrevious,
    GuideNext,
    GuideConfirm,
}

impl Action {
    /// Whether the touchscreen app, rather than the service, acts on this press.
    pub fn for_touchscreen(&self) -> bool {
        matches!(self, Action::Guide | Action::GuidePrevious | Action::GuideNext | Action::GuideConfirm)
    }

    /// Whether the action is done for a counter (and so needs `counter = <n>`).
    fn needs_counter(&self) -> bool {
        !(self.for_touchscreen() || *self == Action::Help)
    }
}

impl std::str::FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Action, String> {
        Ok(match s {
            "call_next" => Action::CallNext,
            "recall" => Action::Recall,
            "start" => Action::Start,
            "no_show" => Action::NoShow,
            "finish" => Action::Finish,
            "help" => Action::Help,
            "guide" => Action::Guide,
            "guide_previous" => Action::GuidePrevious,
            "guide_next" => Action::GuideNext,
            "guide_confirm" => Action::GuideConfirm,
            s if s.starts_with("rate:") => Action::Rate(s["rate:".len()..].to_string()),
            other => {
                return Err(format!(
                    "unknown button action {other:?}; use call_next, recall, start, no_show, finish, help, rate:<level code>, \
                     or for the touchscreen's audio guide guide, guide_previous, guide_next, guide_confirm"
                ))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Action, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    /// No hardware: the logic runs, nothing is wired (development).
    #[default]
    Simulated,
    /// The Raspberry Pi's GPIO (needs `--features rpi`).
    Rpi,
}

/// `[devices]` in the configuration; pin numbers are BCM GPIO numbers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesConfig {
    #[serde(default)]
    pub board: BoardKind,
    #[serde(default = "default_poll")]
    pub poll_ms: u64,
    #[serde(default = "default_debounce")]
    pub debounce_ms: u64,
    #[serde(default = "default_long")]
    pub long_press_ms: u64,
    #[serde(default, rename = "button")]
    pub buttons: Vec<ButtonConfig>,
    /// Lit while the printer needs attention (paper out, cover open, offline).
    #[serde(default)]
    pub printer_led: Option<u8>,
    #[serde(default)]
    pub display: Option<DisplayConfig>,
}

fn default_poll() -> u64 {
    5
}
fn default_debounce() -> u64 {
    30
}
fn default_long() -> u64 {
    1500
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ButtonConfig {
    pub pin: u8,
    /// The counter it acts for (all actions but `help` and the touchscreen's).
    #[serde(default)]
    pub counter: Option<u32>,
    pub press: Action,
    #[serde(default)]
    pub long_press: Option<Action>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    pub counter: u32,
    #[serde(default)]
    pub spi_bus: u8,
    #[serde(default)]
    pub chip_select: u8,
    #[serde(default = "default_dc")]
    pub dc_pin: u8,
    #[serde(default = "default_reset")]
    pub reset_pin: u8,
    /// Simulator: where the frame is saved (default `<data dir>/counter-display-<n>.png`).
    #[serde(default)]
    pub png: Option<PathBuf>,
}

fn default_dc() -> u8 {
    24
}
fn default_reset() -> u8 {
    25
}

impl DevicesConfig {
    /// Problems in `[devices]`, each saying what to fix. `counter_exists` and `level_exists`
    /// answer for the rest of the configuration (counters, rating levels).
    pub fn problems(&self, counter_exists: impl Fn(u32) -> bool, level_exists: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut pins: Vec<u8> = Vec::new();
        for b in &self.buttons {
            if pins.contains(&b.pin) || Some(b.pin) == self.printer_led {
                out.push(format!("[devices]: GPIO {} is used twice", b.pin));
            }
            pins.push(b.pin);
            if b.long_press.as_ref().is_some_and(|l| l.for_touchscreen() != b.press.for_touchscreen()) {
                out.push(format!("[devices]: the button on GPIO {} mixes a touchscreen action with a service action", b.pin));
            }
            for action in std::iter::once(&b.press).chain(b.long_press.as_ref()) {
                if action.needs_counter() {
                    match b.counter {
                        None => out.push(format!("[devices]: the button on GPIO {} needs `counter = <n>` for {action:?}", b.pin)),
                        Some(n) if !counter_exists(n) => out.push(format!("[devices]: GPIO {}: counter {n} is not defined", b.pin)),
                        _ => {}
                    }
                }
                if let Action::Rate(level) = action {
                    if !level_exists(level) {
                        out.push(format!("[devices]: GPIO {}: rating level {level:?} is not in [ratings]", b.pin));
                    }
                }
            }
        }
        if let Some(d) = &self.display {
            if !counter_exists(d.counter) {
                out.push(format!("[devices.display]: counter {} is not defined", d.counter));
            }
        }
        if self.board == BoardKind::Rpi && !cfg!(feature = "rpi") && self.buttons.iter().any(|b| !b.press.for_touchscreen()) {
            out.push("[devices]: board = \"rpi\" needs kioskd built with `--features rpi`".to_string());
        }
        out
    }
}

/// The board of `kind`: the Raspberry Pi's GPIO (with the `rpi` feature), or the simulator.
pub fn open_board(kind: BoardKind) -> Result<Box<dyn Board>, DeviceError> {
    match kind {
        BoardKind::Simulated => Ok(Box::new(sim::SimulatedBoard::new())),
        #[cfg(feature = "rpi")]
        BoardKind::Rpi => Ok(Box::new(rpi::RpiBoard::open()?)),
        #[cfg(not(feature = "rpi"))]
        BoardKind::Rpi => Err(DeviceError("built without --features rpi".into())),
    }
}

/// Watch `buttons` on `board` from a thread named `name`, sampling every `poll_ms`: each
/// completed press goes to `on` with the button's counter and what the press means (its
/// `long_press` action when held). The thread ends when `on` returns false. Nothing is started
/// for an empty list.
pub fn watch_buttons(
    name: &str,
    board: &mut dyn Board,
    buttons: &[ButtonConfig],
    timing: button::Timing,
    poll_ms: u64,
    mut on: impl FnMut(Option<u32>, Action) -> bool + Send + 'static,
) -> Result<(), DeviceError> {
    let mut inputs = Vec::new();
    for b in buttons {
        inputs.push((board.input(b.pin)?, button::Button::new(timing), b.clone()));
    }
    if inputs.is_empty() {
        return Ok(());
    }
    let poll = std::time::Duration::from_millis(poll_ms.max(1));
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let start = std::time::Instant::now();
            loop {
                let now = start.elapsed().as_millis() as u64;
                for (pin, button, b) in inputs.iter_mut() {
                    let action = match button.sample(pin.is_pressed(), now) {
                        Some(button::Press::Short) => Some(b.press.clone()),
                        Some(button::Press::Long) => Some(b.long_press.clone().unwrap_or_else(|| b.press.clone())),
                        None => None,
                    };
                    if let Some(a) = action {
                        if !on(b.counter, a) {
                            return;
                        }
                    }
                }
                std::thread::sleep(poll);
            }
        })
        .map_err(|e| DeviceError(e.to_string()))?;
    Ok(())
}
