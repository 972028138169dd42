//! The thin layer between the screens' `Api` global and a [`Backend`]: it answers each
//! callback by asking the backend and filling `Api`'s properties. All the screen state lives in
//! `Api`, so nothing here outlives a callback. Calls to the service run on a worker thread
//! ([`Runner::Threads`]) so the window keeps drawing while a ticket prints; the tests and the
//! screenshot renderer run them inline ([`Runner::Inline`]), which needs no event loop.

use std::sync::Arc;

use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use crate::backend::{Backend, Failure, Finished, Procedure};
use crate::vietnamese::{self, Tone};
use crate::{
    Api, App, ChannelItem, Choice, DocumentItem, DossierInfo, ProcedureDetail, ProcedureItem, RatingLevel, ServiceItem, TicketInfo,
};

/// Where calls to the service run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// On the calling (UI) thread: for tests and headless rendering.
    Inline,
    /// On a worker thread, the answer delivered through the Slint event loop.
    Threads,
}

/// How many search results a screen lists.
const RESULTS: usize = 30;

/// The kiosk's window with its glue.
pub struct Kiosk {
    pub app: App,
    backend: Arc<dyn Backend>,
    _clock: slint::Timer,
}

#[derive(Clone)]
struct Glue {
    app: slint::Weak<App>,
    backend: Arc<dyn Backend>,
    runner: Runner,
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

impl Glue {
    /// Run `job` against the backend, then `done` on the UI thread. `busy` shows the wait overlay.
    fn run<T: Send + 'static>(
        &self,
        busy: bool,
        job: impl FnOnce(&dyn Backend) -> T + Send + 'static,
        done: impl FnOnce(&App, T) + Send + 'static,
    ) {
        let Some(app) = self.app.upgrade() else { return };
        if busy {
            app.global::<Api>().set_busy(true);
        }
        let finish = move |app: &App, result: T| {
            if busy {
                app.global::<Api>().set_busy(false);
            }
            done(app, result);
        };
        match self.runner {
            Runner::Inline => finish(&app, job(&*self.backend)),
            Runner::Threads => {
                let (backend, weak) = (self.backend.clone(), self.app.clone());
                std::thread::spawn(move || {
                    let result = job(&*backend);
                    let _ = weak.upgrade_in_event_loop(move |app| finish(&app, result));
                });
            }
        }
    }
}

/// A refusal in the citizen's words, in the current language.
fn say(api: &Api, failure: &Failure) -> SharedString {
    let (vi, en) = match failure.code.as_str() {
        "service_closed" => ("Lĩnh vực này hiện không lấy số. Xin xem giờ lấy số.", "This service is not taking numbers now."),
        "daily_limit_reached" => ("Hôm nay đã hết số cho lĩnh vực này.", "No more numbers today for this service."),
        "unknown_dossier" => (
            "Không tìm thấy hồ sơ có mã này. Xin kiểm tra mã trên giấy tiếp nhận.",
            "No dossier has this code. Please check the code on your receipt.",
        ),
        "malformed_code" => {
            ("Mã hồ sơ chưa đúng. Xin nhập đủ mã trên giấy tiếp nhận.", "This is not a dossier code. Please type the whole code.")
        }
        "unknown_ticket" => ("Không tìm thấy số thứ tự này trong hôm nay.", "No ticket with this number today."),
        "already_rated" => ("Số này đã được đánh giá. Xin cảm ơn quý khách!", "This ticket has already been rated. Thank you!"),
        "not_finished" => (
            "Giao dịch của số này chưa xong. Xin đánh giá sau khi cán bộ hoàn tất.",
            "This ticket is not finished yet. Please rate once the officer has finished.",
        ),
        "rating_window_closed" => ("Đã quá thời gian đánh giá cho số này.", "The time to rate this ticket has passed."),
        _ => {
            tracing::warn!(error = %failure, "kiosk call failed");
            ("Hệ thống đang bận. Xin quý khách thử lại.", "The system is busy. Please try again.")
        }
    };
    SharedString::from(if api.get_english() { en } else { vi })
}

fn ask(api: &Api, vi: &str, en: &str) -> SharedString {
    SharedString::from(if api.get_english() { en } else { vi })
}

fn channel_en(kind: catalogue::ChannelKind) -> &'static str {
    use catalogue::ChannelKind as K;
    match kind {
        K::Direct => "In person",
        K::Online => "Online",
        K::Post => "By post",
    }
}

fn detail(p: &Procedure) -> ProcedureDetail {
    ProcedureDetail {
        code: p.code.as_str().into(),
        name: p.name.as_str().into(),
        field: p.field.as_str().into(),
        level: p.level.label_vi().into(),
        agency: p.agency.as_str().into(),
        online_level: p.online_level.label_vi().into(),
        result: p.result.as_str().into(),
        service_code: p.service.as_str().into(),
        documents: model(p.documents.iter().map(|d| DocumentItem { name: d.name.as_str().into(), count: d.count_text().into() }).collect()),
        channels: model(
            p.channels
                .iter()
                .map(|c| ChannelItem {
                    name: c.kind.label_vi().into(),
                    name_en: channel_en(c.kind).into(),
                    time: c.time_limit.text.as_str().into(),
                    fee: c.fee.text.as_str().into(),
                })
                .collect(),
        ),
    }
}

/// "20/11/2026 08:37" from the API's RFC 3339 time.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(|_| rfc3339.to_string(), |t| t.format("%H:%M ngày %d/%m/%Y").to_string())
}

impl Kiosk {
    /// The window with every callback wired to `backend`.
    pub fn new(backend: Arc<dyn Backend>, runner: Runner) -> Result<Kiosk, slint::PlatformError> {
        let app = App::new()?;
        let glue = Glue { app: app.as_weak(), backend: backend.clone(), runner };
        let api = app.global::<Api>();
        let info = backend.info();
        api.set_centre_name(info.centre_name.as_str().into());
        api.set_priorities(model(
            info.priorities
                .iter()
                .map(|p| Choice {
                    code: p.code.as_str().into(),
                    label: p.label_vi.as_str().into(),
                    label_en: p.label_en.as_str().into(),
                    chosen: false,
                })
                .collect(),
        ));
        let n = info.levels.len().max(2) as f32;
        api.set_levels(model(
            info.levels
                .iter()
                .enumerate()
                .map(|(i, l)| RatingLevel {
                    code: l.code.as_str().into(),
                    label: l.label_vi.as_str().into(),
                    label_en: l.label_en.as_str().into(),
                    mood: 1.0 - 2.0 * i as f32 / (n - 1.0),
                    asks_reason: l.asks_reason,
                })
                .collect(),
        ));
        wire(&app, &glue);
        let clock = slint::Timer::default();
        let (weak, b) = (app.as_weak(), backend.clone());
        clock.start(slint::TimerMode::Repeated, std::time::Duration::from_secs(1), move || {
            if let Some(app) = weak.upgrade() {
                show_time(&app, &*b);
            }
        });
        show_time(&app, &*backend);
        Ok(Kiosk { app, backend, _clock: clock })
    }

    /// Be the rating screen beside `counter`: open the rating when its officer finishes a ticket.
    pub fn watch_counter(&self, counter: u32) {
        let weak = self.app.as_weak();
        self.backend.watch_finished(
            counter,
            Box::new(move |f| {
                let _ = weak.upgrade_in_event_loop(move |app| open_rating(&app, &f));
            }),
        );
    }

    pub fn api(&self) -> Api<'_> {
        self.app.global::<Api>()
    }
}

/// Open the rating for a ticket just finished at this kiosk's counter.
pub fn open_rating(app: &App, finished: &Finished) {
    let api = app.global::<Api>();
    api.set_rating_number(finished.number.as_str().into());
    api.set_rating_counter(finished.counter_name.as_str().into());
    api.set_message("".into());
    api.set_idle_seconds(0);
    api.set_screen("rate".into());
}

fn show_time(app: &App, backend: &dyn Backend) {
    app.global::<Api>().set_clock(backend.now().format("%H:%M\n%d/%m/%Y").to_string().into());
}

fn search(glue: &Glue, api: &Api) {
    let query = api.get_search_text().to_string();
    let field = api.get_field_code().to_string();
    if query.trim().is_empty() && field.is_empty() {
        api.set_results(model(Vec::new()));
        api.set_results_total(0);
        return;
    }
    glue.run(
        false,
        {
            let (query, field) = (query.clone(), field.clone());
            move |b| b.search(&query, Some(field.as_str()).filter(|f| !f.is_empty()), RESULTS)
        },
        move |app, found| {
            let api = app.global::<Api>();
            // Typing went on meanwhile: a newer search will answer.
            if api.get_search_text() != query.as_str() || api.get_field_code() != field.as_str() {
                return;
            }
            match found {
                Ok(f) => {
                    api.set_results_total(f.total as i32);
                    api.set_results(model(
                        f.results
                            .iter()
                            .map(|r| ProcedureItem {
                                code: r.code.as_str().into(),
                                name: r.name.as_str().into(),
                                field: r.field.as_str().into(),
                            })
                            .collect(),
                    ));
                }
                Err(e) => api.set_message(say(&api, &e)),
            }
        },
    );
}

fn refresh_services(glue: &Glue, then_choose: Option<String>) {
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
    glue.run(
        true,
        move |b| b.issue(&service, priority.as_deref()),
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

/// Edit the text field of the current screen with `edit`.
fn edit(glue: &Glue, api: &Api, edit: impl Fn(&str, bool) -> String) {
    match api.get_screen().as_str() {
        "search" => {
            api.set_search_text(edit(&api.get_search_text(), true).into());
            search(glue, api);
        }
        "dossier" => api.set_dossier_text(edit(&api.get_dossier_text(), false).to_uppercase().into()),
        "rate-number" => api.set_rating_number(edit(&api.get_rating_number(), false).to_uppercase().into()),
        _ => {}
    }
}

fn send_rating(glue: &Glue, api: &Api) {
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

fn wire(app: &App, glue: &Glue) {
    let api = app.global::<Api>();

    let g = glue.clone();
    api.on_go(move |screen| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        api.set_idle_seconds(0);
        api.set_message("".into());
        match screen.as_str() {
            "home" => {
                api.set_search_text("".into());
                api.set_field_code("".into());
                api.set_field_name("".into());
                api.set_results(model(Vec::new()));
                api.set_dossier_text("".into());
                api.set_dossier_found(false);
                api.set_rating_number("".into());
                api.set_rating_counter("".into());
                api.set_checklist_state("".into());
            }
            "services" => refresh_services(&g, None),
            "search" if api.get_fields().row_count() == 0 => {
                g.run(
                    false,
                    |b| b.fields(),
                    |app, fields| {
                        if let Ok(fields) = fields {
                            app.global::<Api>().set_fields(model(
                                fields
                                    .iter()
                                    .map(|f| Choice {
                                        code: f.code.as_str().into(),
                                        label: f.name.as_str().into(),
                                        label_en: format!("{} thủ tục · {} procedures", f.count, f.count).into(),
                                        chosen: false,
                                    })
                                    .collect(),
                            ));
                        }
                    },
                );
            }
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

    let g = glue.clone();
    api.on_search_edited(move |_| {
        let Some(app) = g.app.upgrade() else { return };
        search(&g, &app.global::<Api>());
    });

    let g = glue.clone();
    api.on_browse_field(move |code| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let name = api.get_fields().iter().find(|f| f.code == code).map(|f| f.label).unwrap_or_default();
        api.set_field_code(code);
        api.set_field_name(name);
        search(&g, &api);
    });

    let g = glue.clone();
    api.on_open_procedure(move |code| {
        let code = code.to_string();
        g.run(
            true,
            move |b| b.procedure(&code),
            |app, p| {
                let api = app.global::<Api>();
                match p {
                    Ok(p) => {
                        api.set_procedure(detail(&p));
                        api.set_checklist_state("".into());
                        api.set_screen("procedure".into());
                    }
                    Err(e) => api.set_message(say(&api, &e)),
                }
            },
        );
    });

    let g = glue.clone();
    api.on_print_checklist(move || {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let code = api.get_procedure().code.to_string();
        api.set_checklist_state("printing".into());
        g.run(
            true,
            move |b| b.print_checklist(&code),
            |app, printed| {
                let api = app.global::<Api>();
                api.set_checklist_state(if printed == Ok(true) { "printed" } else { "failed" }.into());
                if let Err(e) = printed {
                    api.set_message(say(&api, &e));
                }
            },
        );
    });

    let g = glue.clone();
    api.on_take_for_procedure(move || {
        let Some(app) = g.app.upgrade() else { return };
        let service = app.global::<Api>().get_procedure().service_code.to_string();
        app.global::<Api>().set_services(model(Vec::new()));
        refresh_services(&g, Some(service));
    });

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
                            received: local_time(&d.received_at).into(),
                            due: local_time(&d.due_at).into(),
                            new_due: d.new_due_at.as_deref().map(local_time).unwrap_or_default().into(),
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
            send_rating(&g, &api);
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
        send_rating(&g, &app.global::<Api>());
    });
}
