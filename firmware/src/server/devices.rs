//! The counter hardware wired to the service: a button press becomes the same `Service` command
//! the API runs, and the events keep the printer LED and the counter display in step. Started
//! by the lifecycle (`cli`, tests) with the board and display it chose.

use crate::devices::button::Timing;
use crate::devices::display::{self, DisplaySink};
#[cfg(feature = "rpi")]
use crate::devices::BoardKind;
use crate::devices::{Action, Board, DeviceError, DevicesConfig, OutputPin};
use crate::events::{Event, Journaled};
use crate::queue::Action as TicketAction;
use crate::service::{Answer, Rater, RatingError};
use crate::{Service, ServiceError};

/// Start the configured board: the Pi's GPIO (`board = "rpi"`) or the simulator, whose counter
/// display is a PNG under the data directory.
pub fn start_configured(service: &Service, cfg: DevicesConfig) -> Result<(), DeviceError> {
    let board = crate::devices::open_board(cfg.board)?;
    let sink: Option<Box<dyn DisplaySink>> = match (&cfg.display, cfg.board) {
        (None, _) => None,
        #[cfg(feature = "rpi")]
        (Some(d), BoardKind::Rpi) => Some(Box::new(display::Ssd1306::open(d.spi_bus, d.chip_select, d.dc_pin, d.reset_pin)?)),
        (Some(d), _) => Some(Box::new(display::PngDisplay {
            path: d.png.clone().unwrap_or_else(|| service.config().data_dir.join(format!("counter-display-{}.png", d.counter))),
        })),
    };
    start(service.clone(), cfg, board, sink)
}

/// Start the devices of `cfg` on `board`, frames going to `display`.
pub fn start(
    service: Service,
    cfg: DevicesConfig,
    mut board: Box<dyn Board>,
    display: Option<Box<dyn DisplaySink>>,
) -> Result<(), DeviceError> {
    let timing = Timing { debounce_ms: cfg.debounce_ms, long_press_ms: cfg.long_press_ms };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Option<u32>, Action)>();
    // The audio guide's buttons are the touchscreen app's (`kiosk`): this service leaves them be.
    let buttons: Vec<_> = cfg.buttons.iter().filter(|b| !b.press.for_touchscreen()).cloned().collect();
    crate::devices::watch_buttons("buttons", &mut *board, &buttons, timing, cfg.poll_ms, move |counter, action| {
        tx.send((counter, action)).is_ok()
    })?;
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
pub async fn perform(service: &Service, counter: Option<u32>, action: &Action) -> Result<(), ServiceError> {
    let n = || counter.expect("checked by DevicesConfig::problems");
    match action {
        Action::CallNext => service.call_next(n(), None).await.map(|_| ()),
        Action::Recall => service.act(n(), TicketAction::Recall).await.map(|_| ()),
        Action::Start => service.act(n(), TicketAction::StartServing).await.map(|_| ()),
        Action::NoShow => service.act(n(), TicketAction::NoShow).await.map(|_| ()),
        Action::Finish => service.act(n(), TicketAction::Finish).await.map(|_| ()),
        Action::Rate(level) => {
            let ticket = service.last_finished_ticket(n()).await?.ok_or(RatingError::UnknownTicket)?;
            // The rating box is wired to this kiosk, beside the counter: on site.
            let answer = Answer {
                ticket_id: Some(ticket),
                ticket_number: None,
                dossier_code: None,
                dossier_key: None,
                level: level.clone(),
                reasons: vec![],
                by: Rater::OnSite,
            };
            service.rate(answer).await.map(|_| ())
        }
        Action::Help => service.request_help(crate::events::HelpFrom::Button).await.map(|_| ()),
        // Never sent here: `start` leaves these buttons to the touchscreen app.
        Action::Guide | Action::GuidePrevious | Action::GuideNext | Action::GuideConfirm => Ok(()),
    }
}

/// Keep the LED and the counter display in step with the events.
async fn follow_events(
    service: Service,
    mut events: tokio::sync::broadcast::Receiver<Journaled>,
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
            Ok(e) => e.event,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(_) => return,
        };
        if let Event::PrinterStatus(p) = &event {
            if let Some(l) = led.as_mut() {
                l.set(needs_attention(&p.state));
            }
        }
        if let (Some((n, d)), Some(call)) = (display.as_mut(), event.at_counter()) {
            if call.counter == *n {
                let number = match &event {
                    Event::TicketCalled(c) | Event::TicketServing(c) => Some(c.number.as_str()),
                    Event::TicketRecalled(r) => Some(r.call.number.as_str()),
                    _ => None,
                };
                if let Err(e) = d.show(&display::frame(&label(*n), number)) {
                    tracing::warn!(error = %e, "counter display");
                }
            }
        }
    }
}
