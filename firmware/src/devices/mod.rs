//! Hardware at the counters and in the hall, behind small traits: buttons (call next, recall,
//! rating buttons, a help button), a printer-status LED and a small counter display. The
//! Raspberry Pi backend (rppal) is behind the `rpi` feature; the simulated board drives the same
//! logic in tests and development. Presses become the same `Service` commands the API uses.

pub mod button;
pub mod display;
#[cfg(feature = "rpi")]
pub mod rpi;
pub mod sim;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::queue::Action as TicketAction;
use crate::satisfaction::Answer;
use crate::Service;
use button::{Button, Press, Timing};
use display::DisplaySink;

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
            s if s.starts_with("rate:") => Action::Rate(s["rate:".len()..].to_string()),
            other => {
                return Err(format!(
                    "unknown button action {other:?}; use call_next, recall, start, no_show, finish, help or rate:<level code>"
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
    /// The counter it acts for (all actions but `help`).
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

/// Problems in `[devices]`, each saying what to fix.
pub fn problems(cfg: &DevicesConfig, config: &crate::Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut pins: Vec<u8> = Vec::new();
    for b in &cfg.buttons {
        if pins.contains(&b.pin) || Some(b.pin) == cfg.printer_led {
            out.push(format!("[devices]: GPIO {} is used twice", b.pin));
        }
        pins.push(b.pin);
        for action in std::iter::once(&b.press).chain(b.long_press.as_ref()) {
            if *action != Action::Help {
                match b.counter {
                    None => out.push(format!("[devices]: the button on GPIO {} needs `counter = <n>` for {action:?}", b.pin)),
                    Some(n) if config.counter(n).is_none() => out.push(format!("[devices]: GPIO {}: counter {n} is not defined", b.pin)),
                    _ => {}
                }
            }
            if let Action::Rate(level) = action {
                if config.ratings.level(level).is_none() {
                    out.push(format!("[devices]: GPIO {}: rating level {level:?} is not in [ratings]", b.pin));
                }
            }
        }
    }
    if let Some(d) = &cfg.display {
        if config.counter(d.counter).is_none() {
            out.push(format!("[devices.display]: counter {} is not defined", d.counter));
        }
    }
    if cfg.board == BoardKind::Rpi && !cfg!(feature = "rpi") {
        out.push("[devices]: board = \"rpi\" needs kioskd built with `--features rpi`".to_string());
    }
    out
}

/// Start the devices of `cfg` on `board`, frames going to `display`.
pub fn start(
    service: Service,
    cfg: DevicesConfig,
    mut board: Box<dyn Board>,
    display: Option<Box<dyn DisplaySink>>,
) -> Result<(), DeviceError> {
    let timing = Timing { debounce_ms: cfg.debounce_ms, long_press_ms: cfg.long_press_ms };
    let mut inputs = Vec::new();
    for b in &cfg.buttons {
        inputs.push((board.input(b.pin)?, Button::new(timing), b.clone()));
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Option<u32>, Action)>();
    if !inputs.is_empty() {
        let poll = Duration::from_millis(cfg.poll_ms.max(1));
        std::thread::Builder::new()
            .name("buttons".into())
            .spawn(move || {
                let start = Instant::now();
                loop {
                    let now = start.elapsed().as_millis() as u64;
                    for (pin, button, b) in inputs.iter_mut() {
                        let action = match button.sample(pin.is_pressed(), now) {
                            Some(Press::Short) => Some(b.press.clone()),
                            Some(Press::Long) => Some(b.long_press.clone().unwrap_or_else(|| b.press.clone())),
                            None => None,
                        };
                        if let Some(a) = action {
                            if tx.send((b.counter, a)).is_err() {
                                return;
                            }
                        }
                    }
                    std::thread::sleep(poll);
                }
            })
            .map_err(|e| DeviceError(e.to_string()))?;
    }
    let s = service.clone();
    tokio::spawn(async move {
        while let Some((counter, action)) = rx.recv().await {
            if let Err(e) = perform(&s, counter, &action).await {
                tracing::info!(?action, counter, error = %e, "button action refused");
            }
        }
    });
    let led = cfg.printer_led.map(|pin| board.output(pin)).transpose()?;
    let events = service.events().subscribe();
    tokio::spawn(follow_events(service, events, led, display.map(|d| (cfg.display.map(|c| c.counter).unwrap_or(0), d))));
    Ok(())
}

/// Carry out one button action through the service.
pub async fn perform(service: &Service, counter: Option<u32>, action: &Action) -> Result<(), crate::ServiceError> {
    let n = || counter.expect("checked by devices::problems");
    match action {
        Action::CallNext => service.call_next(n(), None).await.map(|_| ()),
        Action::Recall => service.act(n(), TicketAction::Recall).await.map(|_| ()),
        Action::Start => service.act(n(), TicketAction::StartServing).await.map(|_| ()),
        Action::NoShow => service.act(n(), TicketAction::NoShow).await.map(|_| ()),
        Action::Finish => service.act(n(), TicketAction::Finish).await.map(|_| ()),
        Action::Rate(level) => {
            let ticket = service.last_finished_ticket(n()).await?.ok_or(crate::satisfaction::RatingError::UnknownTicket)?;
            let answer = Answer { ticket_id: Some(ticket), ticket_number: None, dossier_code: None, level: level.clone(), reasons: vec![] };
            service.rate(answer).await.map(|_| ())
        }
        Action::Help => service.request_help().await,
    }
}

/// Keep the LED and the counter display in step with the events.
async fn follow_events(
    service: Service,
    mut events: tokio::sync::broadcast::Receiver<crate::events::Event>,
    mut led: Option<Box<dyn OutputPin>>,
    mut display: Option<(u32, Box<dyn DisplaySink>)>,
) {
    let needs_attention = |state: &str| !matches!(state, "ready" | "paper_near_end" | "unknown");
    if let Some(l) = led.as_mut() {
        l.set(needs_attention(service.printer_state()));
    }
    let label = |n: u32| format!("Quầy {n}");
    if let Some((n, d)) = display.as_mut() {
        let current = service.queue().await.ok().and_then(|q| q.counters.into_iter().find(|c| c.number == *n)).and_then(|c| c.current);
        if let Err(e) = d.show(&display::frame(&label(*n), current.as_deref())) {
            tracing::warn!(error = %e, "counter display");
        }
    }
    loop {
        let event = match events.recv().await {
            Ok(e) => e,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(_) => return,
        };
        if event.name == "printer_status" {
            if let Some(l) = led.as_mut() {
                l.set(needs_attention(event.data["state"].as_str().unwrap_or("unknown")));
            }
        }
        if let Some((n, d)) = display.as_mut() {
            if event.data["counter"].as_u64() == Some(*n as u64) {
                let number = match event.name.as_str() {
                    "ticket_called" | "ticket_recalled" | "ticket_serving" => event.data["number"].as_str().map(str::to_string),
                    "ticket_done" | "ticket_no_show" | "ticket_transferred" => None,
                    _ => continue,
                };
                if let Err(e) = d.show(&display::frame(&label(*n), number.as_deref())) {
                    tracing::warn!(error = %e, "counter display");
                }
            }
        }
    }
}
