//! `components/access-bar.slint`: the bar at the bottom of every screen for a citizen who cannot
//! read the screen well (issue 18) — the audio guide and its keys (`crate::guide`), "Chữ to"
//! (large text, high contrast: `components/theme.slint`), and "Cần hỗ trợ", which tells the
//! staff at their counters (`Backend::request_help`).

use slint::ComponentHandle;

use crate::glue::Glue;
use crate::Api;

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let w = glue.app.clone();
    api.on_toggle_low_vision(move || {
        if let Some(app) = w.upgrade() {
            let api = app.global::<Api>();
            api.set_low_vision(!api.get_low_vision());
        }
    });

    let g = glue.clone();
    api.on_toggle_guide(move || {
        if let Some(app) = g.app.upgrade() {
            crate::guide::toggle(&g, &app);
        }
    });
    let g = glue.clone();
    api.on_guide_step(move |delta| {
        if let Some(app) = g.app.upgrade() {
            crate::guide::step(&g, &app, delta);
        }
    });
    let g = glue.clone();
    api.on_guide_confirm(move || {
        if let Some(app) = g.app.upgrade() {
            crate::guide::confirm(&g, &app);
        }
    });
    let g = glue.clone();
    api.on_guide_repeat(move || {
        if let Some(app) = g.app.upgrade() {
            crate::guide::repeat(&g, &app);
        }
    });

    let g = glue.clone();
    api.on_ask_help(move || {
        g.run(
            true,
            |b| b.request_help(),
            |app, asked| {
                let api = app.global::<Api>();
                if let Err(e) = &asked {
                    tracing::warn!(error = %e, "the help request did not reach the staff");
                }
                api.set_help_state(if asked.is_ok() { "sent" } else { "failed" }.into());
            },
        );
    });
}
