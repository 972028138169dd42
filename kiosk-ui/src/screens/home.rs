//! `home.slint` and the navigation between screens: going to a screen clears what the citizen
//! left on the ones before and loads what the new one shows; any touch resets the idle timer;
//! the language switch.

use slint::{ComponentHandle, Model};

use super::{procedure_lookup, take_number};
use crate::glue::{model, Glue};
use crate::Api;

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_go(move |screen| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        api.set_idle_seconds(0);
        api.set_message("".into());
        // The clock is right the moment a screen opens, not only at the next tick.
        crate::glue::show_time(&app, &*g.backend);
        match screen.as_str() {
            "home" => {
                api.set_search_text("".into());
                api.set_field_code("".into());
                api.set_field_name("".into());
                api.set_results(model(Vec::new()));
                api.set_search_outcome("browse".into());
                api.set_unmatched("".into());
                api.set_dossier_text("".into());
                api.set_dossier_found(false);
                api.set_rating_number("".into());
                api.set_rating_counter("".into());
                api.set_checklist_state("".into());
            }
            "services" => take_number::refresh_services(&g, None),
            "search" if api.get_fields().row_count() == 0 => procedure_lookup::load_fields(&g),
            "dossier" => {
                api.set_dossier_text("".into());
                api.set_dossier_found(false);
            }
            "rate-number" => {
                api.set_rating_number("".into());
                api.set_rating_counter("".into());
            }
            _ => {}
        }
        api.set_screen(screen);
    });

    let w = glue.app.clone();
    api.on_touched(move || {
        if let Some(app) = w.upgrade() {
            app.global::<Api>().set_idle_seconds(0);
        }
    });

    let w = glue.app.clone();
    api.on_toggle_language(move || {
        if let Some(app) = w.upgrade() {
            let api = app.global::<Api>();
            api.set_english(!api.get_english());
            api.set_message("".into());
        }
    });
}
