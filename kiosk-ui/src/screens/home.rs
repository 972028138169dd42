//! `home.slint` and the navigation between screens: going to a screen clears what the citizen
//! left on the ones before and loads what the new one shows; any touch resets the idle timer;
//! the language switch. When the idle time runs out the kiosk goes back to Home as the next
//! citizen expects it: in Vietnamese, normal text, no guide, nothing typed. Home says when
//! dispensing starts today (or on the next working day, on a holiday), and warns when it
//! stops soon (issue 18.4).

use chrono::{DateTime, FixedOffset};
use slint::{ComponentHandle, Model};

use super::{procedure_lookup, take_number};
use crate::backend::QueueService;
use crate::glue::{model, Glue};
use crate::Api;

/// What Home says about the time (Vietnamese, English): before dispensing starts — later today,
/// or on the next working day with the day off's name; `warning_minutes` before the first
/// open window ends; otherwise nothing.
pub(crate) fn notice(services: &[QueueService], now: DateTime<FixedOffset>, warning_minutes: u32) -> (String, String) {
    let open: Vec<&QueueService> = services.iter().filter(|s| s.open).collect();
    if open.is_empty() {
        let Some(opens) = services.iter().filter_map(|s| s.opens_at).min().map(|at| at.with_timezone(now.offset())) else {
            return if services.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    "Hiện không phát số. Xin hỏi cán bộ tại quầy hướng dẫn.".into(),
                    "No numbers are given now. Please ask at the desk.".into(),
                )
            };
        };
        let time = opens.format("%H:%M");
        if opens.date_naive() == now.date_naive() {
            let started = services.iter().any(|s| s.closes_at.is_some())
                || now.time() >= chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default();
            return if started {
                (format!("Tạm ngừng phát số. Phát số lại lúc {time}."), format!("No numbers just now. Numbers again at {time}."))
            } else {
                (
                    format!("Chưa đến giờ phát số. Hôm nay bắt đầu phát số lúc {time}."),
                    format!("Numbers are not given yet. Today they start at {time}."),
                )
            };
        }
        let (day_vi, day_en) = take_number::day_and_time(opens);
        return match services.iter().find_map(|s| s.closed_today.as_deref()) {
            Some(off) => {
                let off = take_number::day_off(off);
                (
                    format!("Hôm nay {}. Phát số lại từ {day_vi}.", lower_first(&off)),
                    format!("Closed today ({off}). Numbers again from {day_en}."),
                )
            }
            None => (
                format!("Hôm nay đã hết giờ phát số. Phát số lại từ {day_vi}."),
                format!("No more numbers today. Numbers again from {day_en}."),
            ),
        };
    }
    let closes = open.iter().filter_map(|s| s.closes_at).min().map(|at| at.with_timezone(now.offset()));
    match closes {
        Some(at) if warning_minutes > 0 && at > now && at - now <= chrono::Duration::minutes(i64::from(warning_minutes)) => {
            let time = at.format("%H:%M");
            (format!("Sắp hết giờ phát số: ngừng phát số lúc {time}."), format!("Numbers stop soon: at {time}."))
        }
        _ => (String::new(), String::new()),
    }
}

/// "Nghỉ lễ: Tết" → "nghỉ lễ: Tết", to follow "Hôm nay ".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// Ask the service for the dispensing times, and word Home's notice.
pub(crate) fn refresh_notice(glue: &Glue) {
    let warning = glue.backend.info().touchscreen.closing_warning_minutes;
    glue.run(
        false,
        |b| b.services().map(|list| (list, b.now())),
        move |app, services| {
            let api = app.global::<Api>();
            if let Ok((list, now)) = services {
                let (vi, en) = notice(&list, now, warning);
                api.set_notice(vi.into());
                api.set_notice_en(en.into());
            }
        },
    );
}

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
                refresh_notice(&g);
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
                // The next citizen finds nothing of this one: no card held, no phone number.
                take_number::forget_card(&g);
                api.set_phone_text("".into());
                api.set_phone_sent("".into());
                api.set_scan_problem("".into());
            }
            "phone" => api.set_phone_text("".into()),
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
        crate::guide::follow(&g, &app);
        crate::glue::keep_scanner_focus(&app);
    });

    // After every touch (buttons call it once their own action is done): the idle count starts
    // again, and the audio guide catches up with the screen.
    let g = glue.clone();
    api.on_touched(move || {
        if let Some(app) = g.app.upgrade() {
            app.global::<Api>().set_idle_seconds(0);
            crate::guide::follow(&g, &app);
        }
    });

    let g = glue.clone();
    api.on_timed_out(move || {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        // The next citizen starts in the kiosk's language (Vietnamese unless a second kiosk's
        // `[kiosk] language` says otherwise), with normal text and without the guide.
        api.set_english(api.get_english_first());
        api.set_low_vision(false);
        api.set_help_state("".into());
        if api.get_guide() {
            crate::guide::toggle(&g, &app);
        }
        api.invoke_go("home".into());
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
