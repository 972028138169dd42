//! `take-number.slint`: the services with their queues, the priority question, and the ticket
//! (printed, or shown with its QR when the printer failed), said by the kiosk's speaker. A closed
//! service says when numbers are given again: later today, or on the next working day (with the
//! holiday's name on a day off) — never "closed" alone before opening time.
//!
//! A citizen's identity card held under the scanner (`crate::scanner`), on any screen, opens the
//! services with the card held for the next number: the service counts it against the centre's
//! numbers per person and gives a holder aged 60 or more the elderly priority (no question
//! asked, unless they decline it). The card's text stays in memory until that number is taken,
//! the card is put aside, or the screen goes back to Home.

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use slint::{ComponentHandle, Model};

use crate::backend::{CardScan, Failure, QueueService};
use crate::glue::{model, say, Glue};
use crate::scanner::Burst;
use crate::{Api, ServiceItem, TicketInfo};

/// "07:00 thứ Hai, 09/03" and "Mon 09/03, 07:00".
pub(crate) fn day_and_time(at: DateTime<FixedOffset>) -> (String, String) {
    let (vi, en) = match at.weekday() {
        Weekday::Mon => ("thứ Hai", "Mon"),
        Weekday::Tue => ("thứ Ba", "Tue"),
        Weekday::Wed => ("thứ Tư", "Wed"),
        Weekday::Thu => ("thứ Năm", "Thu"),
        Weekday::Fri => ("thứ Sáu", "Fri"),
        Weekday::Sat => ("thứ Bảy", "Sat"),
        Weekday::Sun => ("Chủ nhật", "Sun"),
    };
    let (time, date) = (at.format("%H:%M"), at.format("%d/%m"));
    (format!("{time} {vi}, {date}"), format!("{en} {date}, {time}"))
}

/// Today's day off as a tile says it: a break's own words up to their first comma ("Nghỉ Tết
/// Nguyên đán Bính Ngọ"), or the holiday's name after "Nghỉ lễ" ("Nghỉ lễ: Tết Nguyên đán");
/// the document that announced it stays off the screen.
pub(crate) fn day_off(name: &str) -> String {
    let name = name.split(" (").next().unwrap_or(name);
    let name = name.split(',').next().unwrap_or(name).trim();
    if name.starts_with("Nghỉ") {
        name.to_string()
    } else {
        format!("Nghỉ lễ: {name}")
    }
}

/// What a service's tile says under its name, in Vietnamese and English, at `now`; within
/// `warning_minutes` of the end of its window, when numbers stop.
pub(crate) fn tile_note(s: &QueueService, now: DateTime<FixedOffset>, warning_minutes: u32) -> (String, String) {
    if s.open {
        let (vi, en) = match (s.waiting, s.estimated_wait_minutes) {
            (0, _) => ("Không có người chờ".to_string(), "No one waiting".to_string()),
            (n, 0) => (format!("Đang chờ: {n} người"), format!("{n} waiting")),
            (n, m) => (format!("Đang chờ: {n} người · khoảng {m} phút"), format!("{n} waiting · about {m} min")),
        };
        let soon =
            s.closes_at.filter(|at| warning_minutes > 0 && *at > now && *at - now <= chrono::Duration::minutes(i64::from(warning_minutes)));
        return match soon {
            Some(at) => {
                let time = at.with_timezone(now.offset()).format("%H:%M");
                (format!("{vi} · Ngừng lấy số lúc {time}"), format!("{en} · Numbers stop at {time}"))
            }
            None => (vi, en),
        };
    }
    let opens = s.opens_at.map(|at| at.with_timezone(now.offset()));
    let later_today = opens.filter(|at| at.date_naive() == now.date_naive());
    let (next_vi, next_en) = match opens {
        Some(at) => {
            let (vi, en) = day_and_time(at);
            (format!("Lấy số lại từ {vi}"), format!("Numbers from {en}"))
        }
        None => ("Xin hỏi cán bộ tại quầy hướng dẫn".to_string(), "Please ask at the information desk".to_string()),
    };
    match (s.closed_today.as_deref().map(day_off), later_today) {
        (Some(day_off), _) => {
            let name = day_off.strip_prefix("Nghỉ lễ: ").unwrap_or(&day_off);
            (format!("{day_off} · {next_vi}"), format!("Holiday ({name}) · {next_en}"))
        }
        (None, Some(at)) => {
            let time = at.format("%H:%M");
            (format!("Chưa đến giờ lấy số · Bắt đầu lúc {time}"), format!("Not yet open · Numbers from {time}"))
        }
        (None, None) => (format!("Hôm nay không còn lấy số · {next_vi}"), format!("No more numbers today · {next_en}")),
    }
}

/// List the services; then, if asked, choose `then_choose` (from a procedure's page).
pub(crate) fn refresh_services(glue: &Glue, then_choose: Option<String>) {
    let warning = glue.backend.info().touchscreen.closing_warning_minutes;
    glue.run(
        then_choose.is_some(),
        |b| b.services().map(|list| (list, b.now())),
        move |app, services| {
            let api = app.global::<Api>();
            match services {
                Ok((list, now)) => {
                    api.set_services(model(
                        list.iter()
                            .map(|s| ServiceItem {
                                note: tile_note(s, now, warning).0.into(),
                                note_en: tile_note(s, now, warning).1.into(),
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
    // The card counts for this one number, whatever the answer: a refused citizen scans again.
    let card = forget_card(glue);
    glue.run(
        true,
        move |b| {
            let ticket = b.issue(&service, priority.as_deref(), card.as_ref());
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
                        id: t.id.as_str().into(),
                    });
                    api.set_phone_sent("".into());
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
        // A holder of 60 or more who keeps the priority: the service gives it, nothing to ask.
        let by_age = api.get_card() == "elderly" && !api.get_card_decline();
        if api.get_priorities().row_count() > 0 && !by_age {
            api.set_screen("priority".into());
        } else {
            issue(&g, code.to_string(), None);
        }
    });

    let g = glue.clone();
    api.on_scanner_key(move |key| {
        let burst = g.burst.lock().map(|mut b| b.key(&key, std::time::Instant::now()));
        match burst {
            Ok(Burst::Typing) | Err(_) => false,
            Ok(Burst::Scanning) => true,
            Ok(Burst::Scanned(text)) => {
                scanned(&g, &text);
                true
            }
        }
    });

    let g = glue.clone();
    api.on_forget_card(move || {
        forget_card(&g);
        if let Some(app) = g.app.upgrade() {
            app.global::<Api>().invoke_touched();
        }
    });

    let g = glue.clone();
    api.on_toggle_card_priority(move || {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let decline = !api.get_card_decline();
        if let Ok(mut card) = g.card.lock() {
            if let Some(card) = card.as_mut() {
                card.decline_priority = decline;
            }
        }
        api.set_card_decline(decline);
        api.invoke_touched();
    });

    let g = glue.clone();
    api.on_choose_priority(move |priority| {
        let Some(app) = g.app.upgrade() else { return };
        let service = app.global::<Api>().get_chosen_service().code.to_string();
        issue(&g, service, Some(priority.to_string()).filter(|p| !p.is_empty()));
    });
}

/// A code the scanner read (in keyboard or serial mode), on whatever screen shows. A card's QR
/// opens the services with the card held for the next number; anything else is refused in
/// words the citizen can act on, and nothing of it is kept.
pub(crate) fn scanned(glue: &Glue, text: &str) {
    let Some(app) = glue.app.upgrade() else { return };
    let api = app.global::<Api>();
    // The digits a keyboard-mode scanner typed into the screen's field before it showed itself
    // for a scanner: taken out again (the field's text before the burst is not known here, so
    // the whole burst's start is looked for at its end).
    let digits: String = text.chars().take_while(|c| *c != '|').collect();
    if !digits.is_empty() {
        let strip = |field: slint::SharedString| field.strip_suffix(digits.as_str()).map(slint::SharedString::from);
        if let Some(kept) = strip(api.get_search_text()) {
            api.set_search_text(kept);
        }
        if let Some(kept) = strip(api.get_dossier_text()) {
            api.set_dossier_text(kept);
        }
        if let Some(kept) = strip(api.get_rating_number()) {
            api.set_rating_number(kept);
        }
    }
    let now = glue.backend.now();
    let card = firmware::identity::IdentityCard::parse(&firmware::text::nfc(text));
    match card {
        Ok(card) => {
            let elderly = glue.backend.info().elderly_priority.is_some() && card.is_elderly_on(now.date_naive());
            drop(card);
            if let Ok(mut held) = glue.card.lock() {
                *held = Some(CardScan { qr: text.to_string(), decline_priority: false });
            }
            api.set_card(if elderly { "elderly" } else { "read" }.into());
            api.set_card_decline(false);
            api.set_scan_problem("".into());
            api.invoke_go("services".into());
        }
        Err(_) => {
            tracing::info!("a scanned code is not an identity card's QR");
            api.set_scan_problem(say(&api, &Failure::new("not_an_identity_card", "")));
            crate::guide::follow(glue, &app);
            crate::glue::keep_scanner_focus(&app);
        }
    }
}

/// Put the held card aside (its text is dropped); what was held, for the number being taken.
pub(crate) fn forget_card(glue: &Glue) -> Option<CardScan> {
    let card = glue.card.lock().ok().and_then(|mut held| held.take());
    if let Some(app) = glue.app.upgrade() {
        let api = app.global::<Api>();
        api.set_card("".into());
        api.set_card_decline(false);
    }
    card
}
