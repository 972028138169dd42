//! What the UI tests share: a kiosk window on Slint's testing backend over a demo service, and
//! the touches and reads a person makes on it.
#![allow(dead_code)]

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::tour::Demo;
use kiosk_ui::{Api, App};
use slint::ComponentHandle;

/// The kiosk's window on `demo`, `width` × `height`, calls to the service run inline.
pub fn kiosk_sized(demo: &Demo, width: u32, height: u32) -> Kiosk {
    i_slint_backend_testing::init_no_event_loop();
    let kiosk = Kiosk::new(demo.backend(), Runner::Inline).unwrap();
    kiosk.app.window().set_size(slint::PhysicalSize::new(width, height));
    kiosk.app.show().unwrap();
    kiosk
}

/// The kiosk's window on `demo`, portrait.
pub fn kiosk(demo: &Demo) -> Kiosk {
    kiosk_sized(demo, 1080, 1920)
}

pub fn screen(app: &App) -> String {
    app.global::<Api>().get_screen().to_string()
}

/// Press the button labelled `label` on the current screen, as a finger would.
pub fn press(app: &App, label: &str) {
    let button = ElementHandle::find_by_accessible_label(app, label)
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .unwrap_or_else(|| panic!("no button {label:?} on screen {:?}", screen(app)));
    button.invoke_accessible_default_action();
}

/// The texts shown by elements labelled `label` (e.g. "ticket-number").
pub fn shown(app: &App, label: &str) -> Vec<String> {
    ElementHandle::find_by_accessible_label(app, label).filter_map(|e| e.accessible_value()).map(|v| v.to_string()).collect()
}

/// From Home: take a normal number of the service whose tile says `tile`.
pub fn take_number(app: &App, tile: &str) {
    press(app, "Lấy số thứ tự");
    press(app, tile);
    press(app, "Không, lấy số thường");
}
