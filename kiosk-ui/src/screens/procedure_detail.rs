//! `procedure-detail.slint`: one procedure (documents always needed, then those needed only in a
//! case; channels with time, fee and the cases with a longer limit), printing its checklist, and
//! taking a number for the service that handles it. A placeholder code is never shown as the
//! "Mã thủ tục".

use slint::ComponentHandle;

use super::take_number;
use crate::backend::Procedure;
use crate::glue::{model, say, Glue};
use crate::{Api, CaseLimit, ChannelItem, DocumentItem, ProcedureDetail};

fn channel_en(kind: catalogue::ChannelKind) -> &'static str {
    use catalogue::ChannelKind as K;
    match kind {
        K::Direct => "In person",
        K::Online => "Online",
        K::Post => "By post",
    }
}

/// "Trường hợp trẻ bị bỏ rơi" → "trường hợp trẻ bị bỏ rơi", to follow "Chỉ khi: ".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn document(d: &catalogue::Document) -> DocumentItem {
    DocumentItem {
        name: d.name.as_str().into(),
        originals: i32::from(d.originals),
        copies: i32::from(d.copies),
        form: d.form.as_deref().unwrap_or_default().into(),
        case: d.case.as_deref().map(lower_first).unwrap_or_default().into(),
        note: d.note.as_deref().unwrap_or_default().into(),
    }
}

pub(crate) fn detail(p: &Procedure) -> ProcedureDetail {
    let (always, in_case): (Vec<_>, Vec<_>) = p.documents.iter().partition(|d| d.case.is_none());
    ProcedureDetail {
        code: p.code.as_str().into(),
        shown_code: p.public_code().unwrap_or_default().into(),
        name: p.name.as_str().into(),
        field: p.field.as_str().into(),
        level: p.level.label_vi().into(),
        level_en: match p.level {
            catalogue::Level::Province => "Province level",
            catalogue::Level::Commune => "Commune level",
        }
        .into(),
        agency: p.agency.as_str().into(),
        online_level: p.online_level.label_vi().into(),
        online_level_en: match p.online_level {
            catalogue::OnlineLevel::ToanTrinh => "Can be done fully online",
            catalogue::OnlineLevel::MotPhan => "Can be partly done online",
            catalogue::OnlineLevel::None => "Not available online",
        }
        .into(),
        result: p.result.as_str().into(),
        service_code: p.service.as_str().into(),
        documents: model(always.into_iter().map(document).collect()),
        case_documents: model(in_case.into_iter().map(document).collect()),
        channels: model(
            p.channels
                .iter()
                .map(|c| ChannelItem {
                    name: c.kind.label_vi().into(),
                    name_en: channel_en(c.kind).into(),
                    time: c.time_limit.text.as_str().into(),
                    fee: c.fee.text.as_str().into(),
                    cases: model(
                        p.variants
                            .iter()
                            .filter_map(|v| {
                                let limit = v.limit_for(c.kind)?;
                                Some(CaseLimit { label: v.label.as_str().into(), time: lower_first(&limit.text).into() })
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
    }
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
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
        take_number::refresh_services(&g, Some(service));
    });
}
