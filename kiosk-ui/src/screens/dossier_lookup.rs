//! `dossier-lookup.slint`: a citizen types (or scans) a dossier code and sees its procedure,
//! status and dates — never the applicant.

use slint::ComponentHandle;

use crate::glue::{ask, say, Glue};
use crate::{Api, DossierInfo};
use firmware::time::clock_and_date;

/// "09:06, 02/03/2026": the English screen's time and date.
fn in_english(at: chrono::DateTime<chrono::FixedOffset>) -> String {
    at.format("%H:%M, %d/%m/%Y").to_string()
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_lookup_dossier(move || {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let typed = api.get_dossier_text().trim().to_string();
        if typed.is_empty() {
            api.set_message(ask(&api, "Xin nhập mã hồ sơ.", "Please type the dossier code."));
            return;
        }
        g.run(
            true,
            move |b| b.dossier(&typed),
            |app, found| {
                let api = app.global::<Api>();
                match found {
                    Ok(d) => {
                        api.set_dossier(DossierInfo {
                            code: d.code.as_str().into(),
                            procedure_name: d.procedure_name.as_str().into(),
                            status_text: d.status_text.as_str().into(),
                            status_text_en: d.status_text_en.as_deref().unwrap_or(&d.status_text).into(),
                            received: clock_and_date(d.received_at).into(),
                            received_en: in_english(d.received_at).into(),
                            due: clock_and_date(d.due_at).into(),
                            due_en: in_english(d.due_at).into(),
                            new_due: d.new_due_at.map(clock_and_date).unwrap_or_default().into(),
                            new_due_en: d.new_due_at.map(in_english).unwrap_or_default().into(),
                            timeliness: d.timeliness.unwrap_or_default().into(),
                        });
                        api.set_dossier_found(true);
                        api.set_message("".into());
                    }
                    Err(e) => {
                        api.set_dossier_found(false);
                        api.set_message(say(&api, &e));
                    }
                }
            },
        );
    });
}
