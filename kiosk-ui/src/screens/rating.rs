//! `rating.slint`: the citizen types the number on the ticket (or the rating opens by itself
//! beside a counter when its officer finishes), chooses a level, and for a low one the reasons;
//! then thanks.

use slint::{ComponentHandle, Model};

use crate::backend::Finished;
use crate::glue::{ask, model, say, Glue};
use crate::{Api, Choice};

/// Open the rating for a ticket just finished at this kiosk's counter.
pub(crate) fn open(api: &Api, finished: &Finished) {
    api.set_rating_number(finished.number.as_str().into());
    api.set_rating_counter(finished.counter_name.as_str().into());
    api.set_message("".into());
    api.set_idle_seconds(0);
    api.set_screen("rate".into());
}

fn send(glue: &Glue, api: &Api) {
    let number = api.get_rating_number().trim().to_uppercase();
    let level = api.get_rating_level().to_string();
    let reasons: Vec<String> = api.get_reasons().iter().filter(|r| r.chosen).map(|r| r.code.to_string()).collect();
    glue.run(
        true,
        move |b| b.rate(&number, &level, &reasons),
        |app, rated| {
            let api = app.global::<Api>();
            match rated {
                Ok(()) => {
                    api.set_message("".into());
                    api.set_screen("thanks".into());
                }
                Err(e) => {
                    api.set_message(say(&api, &e));
                    api.set_screen("rate-number".into());
                }
            }
            api.set_idle_seconds(0);
        },
    );
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let w = glue.app.clone();
    api.on_rate_ticket(move || {
        let Some(app) = w.upgrade() else { return };
        let api = app.global::<Api>();
        let number = api.get_rating_number().trim().to_uppercase();
        if number.is_empty() {
            api.set_message(ask(&api, "Xin nhập số thứ tự trên phiếu.", "Please type the number on your ticket."));
            return;
        }
        api.set_rating_number(number.into());
        api.set_message("".into());
        api.set_screen("rate".into());
    });

    let g = glue.clone();
    api.on_choose_level(move |code| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        api.set_rating_level(code.clone());
        let info = g.backend.info();
        let asks = info.levels.iter().any(|l| l.code == code.as_str() && l.asks_reason);
        api.set_reasons(model(
            info.reasons
                .iter()
                .map(|r| Choice {
                    code: r.code.as_str().into(),
                    label: r.label_vi.as_str().into(),
                    label_en: r.label_en.as_str().into(),
                    chosen: false,
                })
                .collect(),
        ));
        if asks && !info.reasons.is_empty() {
            api.set_screen("reasons".into());
        } else {
            send(&g, &api);
        }
    });

    let w = glue.app.clone();
    api.on_toggle_reason(move |code| {
        let Some(app) = w.upgrade() else { return };
        let reasons = app.global::<Api>().get_reasons();
        if let Some(i) = reasons.iter().position(|r| r.code == code) {
            let mut r = reasons.row_data(i).expect("row exists");
            r.chosen = !r.chosen;
            reasons.set_row_data(i, r);
        }
    });

    let g = glue.clone();
    api.on_send_rating(move || {
        let Some(app) = g.app.upgrade() else { return };
        send(&g, &app.global::<Api>());
    });
}
