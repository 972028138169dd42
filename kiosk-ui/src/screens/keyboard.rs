//! `components/keyboard.slint`: the on-screen keyboard (direct keys for ă â đ ê ô ơ ư, tone
//! keys) edits the text field of whichever screen is showing.

use slint::ComponentHandle;

use super::procedure_lookup;
use crate::glue::Glue;
use crate::vietnamese::{self, Tone};
use crate::Api;

/// Edit the text field of the current screen with `edit` (text, whether telex applies).
fn edit(glue: &Glue, api: &Api, edit: impl Fn(&str, bool) -> String) {
    match api.get_screen().as_str() {
        "search" => {
            api.set_search_text(edit(&api.get_search_text(), true).into());
            procedure_lookup::search(glue, api);
        }
        "dossier" => api.set_dossier_text(edit(&api.get_dossier_text(), false).to_uppercase().into()),
        "rate-number" => api.set_rating_number(edit(&api.get_rating_number(), false).to_uppercase().into()),
        _ => {}
    }
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_key(move |key| {
        let Some(app) = g.app.upgrade() else { return };
        edit(&g, &app.global::<Api>(), |text, telex| vietnamese::type_key(text, &key, telex));
    });
    let g = glue.clone();
    api.on_tone(move |n| {
        let Some(app) = g.app.upgrade() else { return };
        if let Some(tone) = Tone::from_key(n) {
            edit(&g, &app.global::<Api>(), |text, _| vietnamese::apply_tone(text, tone));
        }
    });
    let g = glue.clone();
    api.on_backspace(move || {
        let Some(app) = g.app.upgrade() else { return };
        edit(&g, &app.global::<Api>(), |text, _| vietnamese::backspace(text));
    });
    let g = glue.clone();
    api.on_clear(move || {
        let Some(app) = g.app.upgrade() else { return };
        edit(&g, &app.global::<Api>(), |_, _| String::new());
    });
}
