//! The audio guide (issue 18.2): for a citizen who cannot read the screen, each screen says what
//! it is and what it shows; the big arrows at the bottom of the screen (or the GPIO buttons under
//! it) step through the screen's choices, saying each one and highlighting it; "Chọn" does what
//! touching it would. `pages` holds what each screen says, `words` turns written text into
//! spoken text.
//!
//! Nothing here keeps state of its own: what the guide said last (`Api.guide-page`) and where it
//! is (`Api.guide-focus`) live in `Api` with the rest of the screen. [`follow`] is called after
//! anything that may change the screen — every touch, every answer of the service, every
//! second — and speaks when the page (or its status) is new.
//!
//! The words are synthesised on the kiosk by espeak-ng (`firmware::audio::Espeak`), offline,
//! because most of what the guide says cannot be recorded in advance: the centre's services,
//! a procedure's name, papers, time limit and fee come from the configuration and the
//! catalogue. They go through the kiosk's own speaker (`firmware::audio::Speaker::guide`),
//! which never talks over a ticket announcement, and drops the old words as soon as the citizen
//! steps on.

mod pages;
pub mod words;

use firmware::audio::Guidance;
use slint::ComponentHandle;

use crate::glue::Glue;
use crate::{Api, App};

pub(crate) use pages::page;

/// The key under which the last page said is kept in `Api.guide-page`: the page and its status.
fn said_key(page: &pages::Page) -> (String, String) {
    (page.key.clone(), page.status.clone())
}

/// Say `sentences` in the screen's language, instead of anything the guide was saying; they are
/// also written in `Api.guide-said` (the caption under the guide's keys).
fn speak(glue: &Glue, api: &Api, sentences: Vec<String>) {
    let sentences: Vec<String> = sentences.into_iter().filter(|s| !s.trim().is_empty()).collect();
    api.set_guide_said(sentences.join(" ").into());
    if let (Some(speaker), Some(voice)) = (glue.speaker.get(), glue.guide_voice.get()) {
        speaker.guide(Guidance { label: "guide".into(), sentences, english: api.get_english(), voice: voice.clone() });
    }
}

/// After anything that may have changed the screen: if the guide is on and the page is new,
/// introduce it (and forget the old choice); if only its status changed, say the status.
pub(crate) fn follow(glue: &Glue, app: &App) {
    let api = app.global::<Api>();
    if !api.get_guide() {
        return;
    }
    let page = page(&api, &glue.backend.info());
    let (key, status) = said_key(&page);
    let before = api.get_guide_page().to_string();
    let (before_key, before_status) = before.split_once('\u{1}').unwrap_or((before.as_str(), ""));
    if key == before_key && status == before_status {
        return;
    }
    api.set_guide_page(format!("{key}\u{1}{status}").into());
    if key != before_key {
        api.set_guide_focus("".into());
        let mut sentences = page.intro;
        sentences.push(page.status);
        speak(glue, &api, sentences);
    } else {
        speak(glue, &api, vec![status]);
    }
}

/// Step `delta` choices on (wrapping round), highlight the choice and say it.
pub(crate) fn step(glue: &Glue, app: &App, delta: i32) {
    let api = app.global::<Api>();
    if !api.get_guide() {
        return;
    }
    let page = page(&api, &glue.backend.info());
    if page.choices.is_empty() {
        return;
    }
    let n = page.choices.len() as i32;
    let focus = api.get_guide_focus();
    let next = match page.choices.iter().position(|c| c.id == focus.as_str()) {
        Some(i) => (i as i32 + delta).rem_euclid(n),
        None if delta >= 0 => 0,
        None => n - 1,
    } as usize;
    let choice = &page.choices[next];
    api.set_guide_focus(choice.id.as_str().into());
    // Its list and row, for a list to scroll it into sight (rows out of sight are not built).
    let list = choice.id.split_once(':').map_or(choice.id.as_str(), |(list, _)| list);
    let row = page.choices[..next].iter().filter(|c| c.id.split_once(':').is_some_and(|(l, _)| l == list)).count();
    api.set_guide_list(list.into());
    api.set_guide_row(row as i32);
    speak(glue, &api, vec![choice.words.clone()]);
}

/// Do what touching the highlighted choice would do, then follow the screen.
pub(crate) fn confirm(glue: &Glue, app: &App) {
    let api = app.global::<Api>();
    if !api.get_guide() {
        return;
    }
    let page = page(&api, &glue.backend.info());
    let focus = api.get_guide_focus();
    match page.choices.iter().find(|c| c.id == focus.as_str()) {
        Some(choice) => {
            api.set_idle_seconds(0);
            (choice.act)(&api);
        }
        None => {
            let hint = if api.get_english() {
                "Press Next to hear the first choice."
            } else {
                "Nhấn nút Sau để nghe lựa chọn đầu tiên."
            };
            speak(glue, &api, vec![hint.to_string()]);
        }
    }
    follow(glue, app);
}

/// Say the current page again from its start.
pub(crate) fn repeat(glue: &Glue, app: &App) {
    app.global::<Api>().set_guide_page("".into());
    follow(glue, app);
}

/// Switch the guide on (it introduces itself, then the page) or off (it stops at once).
pub(crate) fn toggle(glue: &Glue, app: &App) {
    let api = app.global::<Api>();
    let on = !api.get_guide();
    api.set_guide(on);
    api.set_guide_focus("".into());
    api.set_guide_page("".into());
    if on {
        let english = api.get_english();
        let welcome = if english {
            "Voice guide on. The keys at the bottom of the screen: Previous and Next go through the choices, Choose chooses."
        } else {
            "Đã bật hướng dẫn bằng giọng nói. Ở cuối màn hình có ba nút lớn: nút Trước và nút Sau để nghe từng lựa chọn, nút Chọn ở giữa để chọn."
        };
        let page = page(&api, &glue.backend.info());
        api.set_guide_page(format!("{}\u{1}{}", page.key, page.status).into());
        let mut sentences = vec![welcome.to_string()];
        sentences.extend(page.intro);
        sentences.push(page.status);
        speak(glue, &api, sentences);
    } else {
        api.set_guide_said("".into());
        if let Some(speaker) = glue.speaker.get() {
            speaker.hush();
        }
    }
}
