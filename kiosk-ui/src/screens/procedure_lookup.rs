//! `procedure-lookup.slint`: search the catalogue as the citizen types (a newer search answers
//! instead of an older one), or browse a field (lĩnh vực). When nothing matches what was typed,
//! the screen offers the fields instead of an empty list.

use slint::{ComponentHandle, Model};

use crate::backend::Field;
use crate::glue::{model, say, Glue};
use crate::{Api, FieldItem, ProcedureItem};

fn field_items(list: &[Field]) -> slint::ModelRc<FieldItem> {
    model(list.iter().map(|f| FieldItem { code: f.code.as_str().into(), name: f.name.as_str().into(), count: f.count as i32 }).collect())
}

/// How many search results a screen lists.
const RESULTS: usize = 30;

/// Fill the fields to browse (once).
pub(crate) fn load_fields(glue: &Glue) {
    glue.run(
        false,
        |b| b.fields(),
        |app, fields| {
            if let Ok(list) = fields {
                app.global::<Api>().set_fields(field_items(&list));
            }
        },
    );
}

/// Search with the current text and field.
pub(crate) fn search(glue: &Glue, api: &Api) {
    let query = api.get_search_text().to_string();
    let field = api.get_field_code().to_string();
    if query.trim().is_empty() && field.is_empty() {
        api.set_results(model(Vec::new()));
        api.set_results_total(0);
        api.set_search_outcome("browse".into());
        api.set_unmatched("".into());
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
                    if !f.fields.is_empty() {
                        api.set_fields(field_items(&f.fields));
                    }
                    api.set_search_outcome(f.outcome.as_str().into());
                    api.set_unmatched(f.unmatched.join(", ").into());
                    api.set_results_total(f.total as i32);
                    api.set_results(model(
                        f.results
                            .iter()
                            .map(|r| ProcedureItem {
                                code: r.code.as_str().into(),
                                shown_code: r.public_code.as_deref().unwrap_or_default().into(),
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

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_search_edited(move |_| {
        let Some(app) = g.app.upgrade() else { return };
        search(&g, &app.global::<Api>());
    });

    let g = glue.clone();
    api.on_browse_field(move |code| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let name = api.get_fields().iter().find(|f| f.code == code).map(|f| f.name).unwrap_or_default();
        // Fields are offered when nothing typed matched: choosing one starts from the field.
        api.set_search_text("".into());
        api.set_field_code(code);
        api.set_field_name(name);
        search(&g, &api);
    });
}
