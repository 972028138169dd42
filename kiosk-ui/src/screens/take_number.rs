//! `take-number.slint`: the services with their queues, the priority question, and the ticket
//! (printed, or shown with its QR when the printer failed), said by the kiosk's speaker.

use slint::{ComponentHandle, Model};

use crate::backend::Failure;
use crate::glue::{model, say, Glue};
use crate::{Api, ServiceItem, TicketInfo};

/// List the services; then, if asked, choose `then_choose` (from a procedure's page).
pub(crate) fn refresh_services(glue: &Glue, then_choose: Option<String>) {
    glue.run(
        then_choose.is_some(),
        |b| b.services(),
        move |app, services| {
            let api = app.global::<Api>();
            match services {
                Ok(list) => {
                    api.set_services(model(
                        list.iter()
                            .map(|s| ServiceItem {
                                code: s.code.as_str().into(),
                                name: s.name.as_str().into(),
                                name_en: s.name_en.as_str().into(),
                                open: s.open,
                                waiting: s.waiting as i32,
                                wait_minutes: s.estimated_wait_minutes as i32,
                            })
                            .collect(),
                    ));
                    if let Some(code) = then_choose {
                        api.invoke_choose_service(code.into());
                    }
                }
                Err(e) => api.set_message(say(&api, &e)),
            }
        },
    );
}

fn issue(glue: &Glue, service: String, priority: Option<String>) {
    let public_url = glue.backend.info().public_url.clone();
    let speaker = glue.speaker.clone();
    glue.run(
        true,
        move |b| {
            let ticket = b.issue(&service, priority.as_deref());
            if let (Ok(t), Some(speaker)) = (&ticket, speaker.get()) {
                crate::speech::say_ticket(b, speaker, &t.number);
            }
            ticket
        },
        move |app, ticket| {
            let api = app.global::<Api>();
            match ticket {
                Ok(t) => {
                    let printed = t.printed == Some(true);
                    let follow_url = format!("{public_url}/t/{}", t.id);
                    let chosen = api.get_chosen_service();
                    api.set_ticket(TicketInfo {
                        number: t.number.as_str().into(),
                        service_name: t.service_name.as_str().into(),
                        service_name_en: if chosen.code == t.service.as_str() { chosen.name_en } else { t.service_name.as_str().into() },
                        ahead: t.ahead.unwrap_or(0) as i32,
                        wait_minutes: t.estimated_wait_minutes.unwrap_or(0) as i32,
                        print_state: if printed { "printed" } else { "failed" }.into(),
                        qr: if printed { Default::default() } else { crate::qr::image(&follow_url).unwrap_or_default() },
                        follow_url: follow_url.into(),
                    });
                    api.set_message("".into());
                    api.set_screen("ticket".into());
                }
                Err(e) => {
                    api.set_message(say(&api, &e));
                    api.set_screen("services".into());
                }
            }
        },
    );
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_choose_service(move |code| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let Some(service) = api.get_services().iter().find(|s| s.code == code) else {
            // Not listed yet (from a procedure's page): list the services, then choose.
            if api.get_services().row_count() == 0 {
                refresh_services(&g, Some(code.to_string()));
            }
            return;
        };
        if !service.open {
            api.set_message(say(&api, &Failure::new("service_closed", "")));
            api.set_screen("services".into());
            return;
        }
        api.set_chosen_service(service);
        api.set_message("".into());
        if api.get_priorities().row_count() > 0 {
            api.set_screen("priority".into());
        } else {
            issue(&g, code.to_string(), None);
        }
    });

    let g = glue.clone();
    api.on_choose_priority(move |priority| {
        let Some(app) = g.app.upgrade() else { return };
        let service = app.global::<Api>().get_chosen_service().code.to_string();
        issue(&g, service, Some(priority.to_string()).filter(|p| !p.is_empty()));
    });
}
