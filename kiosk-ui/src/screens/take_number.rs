//! `take-number.slint`: the services with their queues, the priority question, and the ticket
//! (printed, or shown with its QR when the printer failed), said by the kiosk's speaker. A closed
//! service says when numbers are given again: later today, or on the next working day (with the
//! holiday's name on a day off) — never "closed" alone before opening time.

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use slint::{ComponentHandle, Model};

use crate::backend::{Failure, QueueService};
use crate::glue::{model, say, Glue};
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
