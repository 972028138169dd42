//! A citizen who cannot read the screen well (issue 18), on Slint's testing backend against a
//! real service: the audio guide takes a number and reads a procedure with nothing but its
//! arrows (on screen and on GPIO), "Chữ to" makes every text at least 1.5 times larger, an idle
//! screen counts down and goes back to Home as the next citizen expects it, Home says when
//! numbers start and stop, and "Cần hỗ trợ" tells the staff once.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeZone;
use common::{kiosk_sized as kiosk, press, screen};
use firmware::audio::{AudioError, Output, Sound, SpeakerSettings, Synthesizer};
use i_slint_backend_testing::{ElementHandle, ElementQuery};
use kiosk_ui::backend::Backend;
use kiosk_ui::tour::{Demo, Printer};
use kiosk_ui::{Api, App};
use slint::{ComponentHandle, Model};

/// The `guide-id` of the element the guide highlights (exactly one, or none).
fn highlighted(app: &App) -> Option<String> {
    // What an event loop does before each frame: run the `changed` handlers (a list scrolls to
    // the guide's choice there).
    slint::platform::update_timers_and_animations();
    let mut found: Vec<String> = ElementQuery::from_root(app)
        .match_descendants()
        .match_predicate(|e| e.accessible_item_selected() == Some(true))
        .find_all()
        .iter()
        .filter_map(|e| e.accessible_id().map(|id| id.to_string()))
        .collect();
    // A component and the elements it inherits from answer alike: one choice, several handles.
    found.dedup();
    assert!(found.len() <= 1, "several elements highlighted: {found:?}");
    found.into_iter().next()
}

/// What the guide said last (the caption under its keys).
fn said(app: &App) -> String {
    app.global::<Api>().get_guide_said().to_string()
}

/// A voice that writes down what it is asked to say.
#[derive(Default)]
struct Scribe {
    sentences: Mutex<Vec<String>>,
}

impl Synthesizer for Scribe {
    fn synthesize(&self, label: &str, text: &str, _english: bool) -> Result<Sound, AudioError> {
        self.sentences.lock().unwrap().push(text.to_string());
        Ok(Sound { label: label.into(), text: text.into(), rate: 22_050, samples: vec![0; 220] })
    }
}

/// A Monday in 2026 at `h:m`.
fn monday(h: u32, m: u32) -> chrono::DateTime<chrono::FixedOffset> {
    firmware::calendar::vietnam_offset().with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
}

#[test]
fn the_voice_guide_takes_a_number_with_its_arrows_alone() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    demo.queue_up("A", 2);
    let k = kiosk(&demo, 1080, 1920);

    press(&k.app, "Hướng dẫn bằng giọng nói");
    assert!(k.api().get_guide());
    assert!(said(&k.app).starts_with("Đã bật hướng dẫn bằng giọng nói."), "{}", said(&k.app));
    assert!(said(&k.app).contains("Trang chủ."), "the page follows: {}", said(&k.app));
    assert_eq!(highlighted(&k.app), None, "nothing chosen before the first step");

    // Next, next, previous: the first tile again, said and highlighted.
    press(&k.app, "Sau");
    assert_eq!(highlighted(&k.app).as_deref(), Some("home:services"));
    assert_eq!(said(&k.app), "Lấy số thứ tự, rồi chờ gọi số tại khu vực chờ.");
    press(&k.app, "Sau");
    assert_eq!(highlighted(&k.app).as_deref(), Some("home:search"));
    press(&k.app, "Trước");
    assert_eq!(highlighted(&k.app).as_deref(), Some("home:services"));

    press(&k.app, "Chọn");
    assert_eq!(screen(&k.app), "services");
    assert!(said(&k.app).contains("Lấy số thứ tự. Chọn lĩnh vực quý khách cần giải quyết. Có 6 lĩnh vực."), "{}", said(&k.app));
    assert_eq!(highlighted(&k.app), None, "a new page starts from its top");
    press(&k.app, "Sau");
    assert_eq!(highlighted(&k.app).as_deref(), Some("service:A"));
    assert_eq!(said(&k.app), "A, Hộ tịch, Chứng thực. Đang chờ: 2 người, khoảng 4 phút.");
    // Stepping back from the first choice wraps round to the last (the bar's "stop the guide").
    press(&k.app, "Trước");
    assert_eq!(highlighted(&k.app).as_deref(), Some("bar:guide"));
    press(&k.app, "Sau");

    press(&k.app, "Chọn");
    assert_eq!(screen(&k.app), "priority");
    assert!(said(&k.app).starts_with("Quý khách chọn Hộ tịch, Chứng thực. Quý khách có thuộc diện ưu tiên không?"), "{}", said(&k.app));
    press(&k.app, "Sau");
    press(&k.app, "Sau");
    assert_eq!(highlighted(&k.app).as_deref(), Some("priority:elderly"));
    assert_eq!(said(&k.app), "Có, tôi là người cao tuổi.");
    press(&k.app, "Chọn");

    assert_eq!(screen(&k.app), "ticket");
    let ticket = k.api().get_ticket();
    assert_eq!(ticket.number, "A003");
    assert!(
        said(&k.app).starts_with(
            "Số thứ tự của quý khách là A, không không ba. Đã in phiếu. Mời quý khách nhận phiếu bên dưới. Trước quý khách còn 2 người"
        ),
        "{}",
        said(&k.app)
    );
    let id = ticket.follow_url.rsplit('/').next().unwrap().to_string();
    let view = demo.runtime.block_on(demo.service.ticket(&id)).unwrap();
    assert_eq!(view.priority.as_deref(), Some("elderly"), "the guide chose what a finger would");

    // Off: the highlight and the caption go, the arrows too.
    press(&k.app, "Tắt hướng dẫn giọng nói");
    assert!(!k.api().get_guide());
    assert_eq!(highlighted(&k.app), None);
    assert!(ElementHandle::find_by_accessible_label(&k.app, "Sau").next().is_none());
}

#[test]
fn the_guide_reads_a_procedure_s_papers_with_their_conditions_its_time_limit_and_fee() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo, 1080, 1920);
    press(&k.app, "Tra cứu thủ tục");
    press(&k.app, "Hướng dẫn bằng giọng nói");
    assert!(said(&k.app).contains("Tra cứu thủ tục. Quý khách gõ tên thủ tục trên bàn phím, hoặc chọn một lĩnh vực."), "{}", said(&k.app));
    // The fields, one by one: to Hộ tịch, then its first procedure.
    let fields: Vec<String> = k.api().get_fields().iter().map(|f| f.code.to_string()).collect();
    let hotich = fields.iter().position(|c| c == "ho-tich").expect("the Hộ tịch field");
    for _ in 0..=hotich {
        press(&k.app, "Sau");
    }
    assert_eq!(highlighted(&k.app).as_deref(), Some("field:ho-tich"), "focus {} said {}", k.api().get_guide_focus(), said(&k.app));
    assert!(said(&k.app).starts_with("Lĩnh vực Hộ tịch,"), "{}", said(&k.app));
    press(&k.app, "Chọn");
    assert!(said(&k.app).starts_with("Lĩnh vực Hộ tịch:"), "{}", said(&k.app));
    let results: Vec<String> = k.api().get_results().iter().map(|r| r.code.to_string()).collect();
    let birth = results.iter().position(|c| c == "1.001193").expect("Đăng ký khai sinh");
    for _ in 0..=birth {
        press(&k.app, "Sau");
    }
    assert_eq!(said(&k.app), "Thủ tục Đăng ký khai sinh.");
    press(&k.app, "Chọn");
    assert_eq!(screen(&k.app), "procedure");

    // Everything the screen says of it, from the catalogue itself.
    let text = said(&k.app);
    let p = demo.backend().procedure("1.001193").unwrap();
    assert!(text.starts_with("Thủ tục Đăng ký khai sinh. Giấy tờ cần mang: 3 loại."), "{text}");
    for d in &p.documents {
        assert!(text.contains(&d.name), "the paper {:?} is read: {text}", d.name);
        if let Some(case) = &d.case {
            let lower: String = case.chars().next().unwrap().to_lowercase().chain(case.chars().skip(1)).collect();
            assert!(text.contains(&format!("Chỉ khi {lower}: ")), "{:?} is said with its condition: {text}", d.name);
        }
    }
    assert!(text.contains("Giấy tờ chỉ cần trong một số trường hợp:"), "{text}");
    for c in &p.channels {
        // Each said once, with the figures as written ("8.000 đồng") and one full stop.
        let limit = kiosk_ui_spoken(&format!("thời hạn giải quyết {}.", c.time_limit.text)).replace("..", ".");
        let fee = kiosk_ui_spoken(&format!("Phí, lệ phí: {}.", c.fee.text)).replace("..", ".");
        assert!(text.contains(&limit), "the time limit {limit:?}: {text}");
        assert!(text.contains(&fee), "the fee {fee:?}: {text}");
    }
    // Then the screen's two actions: printing the checklist says that it printed.
    press(&k.app, "Sau");
    assert_eq!(highlighted(&k.app).as_deref(), Some("procedure:print"));
    press(&k.app, "Chọn");
    assert_eq!(k.api().get_checklist_state(), "printed");
    assert_eq!(said(&k.app), "Đã in danh mục giấy tờ. Mời nhận phiếu bên dưới.", "only the news, not the whole procedure again");
}

/// The guide's words as the guide would say them (numbers without leading zeros).
fn kiosk_ui_spoken(text: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let starts = c.is_ascii_digit() && !prev.is_some_and(|p| p.is_alphanumeric() || p == '.');
        if starts && *c == '0' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            prev = Some(*c);
            continue;
        }
        out.push(*c);
        prev = Some(*c);
    }
    out
}

/// The guide through the kiosk's own speaker, synthesised by the real espeak-ng: each sentence a
/// WAV with its words beside it, and a ticket announcement first when both are due.
#[test]
fn the_guide_speaks_through_the_kiosk_s_speaker_with_espeak_ng() {
    let espeak = firmware::audio::Espeak::new();
    if !espeak.available() {
        assert!(std::env::var_os("KIOSK_TESTS_REQUIRE_ALL").is_none(), "espeak-ng is not installed (apt install espeak-ng)");
        eprintln!("SKIPPED: espeak-ng is not installed");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let speaker = kiosk_ui::speech::speaker(
        &SpeakerSettings { output: Output::Files, ..SpeakerSettings::default() },
        data.path(),
        demo.clock.clone(),
    );
    let k = kiosk(&demo, 1080, 1920);
    k.speak_with(speaker.clone());
    assert!(k.api().get_guide_can_speak());
    press(&k.app, "Hướng dẫn bằng giọng nói");
    assert!(speaker.wait_idle(Duration::from_secs(30)));
    press(&k.app, "Sau");
    assert!(speaker.wait_idle(Duration::from_secs(30)));

    let spoken = announcements(data.path());
    let texts: Vec<String> = spoken.iter().map(|(_, t, _)| t.clone()).collect();
    assert!(texts[0].starts_with("Đã bật hướng dẫn bằng giọng nói."), "{texts:?}");
    assert!(texts.contains(&"Trang chủ.".to_string()), "{texts:?}");
    assert_eq!(texts.last().map(String::as_str), Some("Lấy số thứ tự, rồi chờ gọi số tại khu vực chờ."));
    for (name, text, samples) in &spoken {
        assert!(name.contains("-guide.wav"), "{name}");
        let seconds = samples.len() as f64 / 22_050.0;
        assert!(seconds > 0.3 && samples.iter().any(|s| s.unsigned_abs() > 2000), "{name} ({text}) is speech: {seconds} s");
    }
}

/// What the files sink wrote: file name, words, samples; in order.
fn announcements(data: &Path) -> Vec<(String, String, Vec<i16>)> {
    let mut files: Vec<_> = std::fs::read_dir(data.join("announcements"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "wav")).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|wav| {
            let text = std::fs::read_to_string(wav.with_extension("txt")).unwrap().trim().to_string();
            let samples = hound::WavReader::open(wav).unwrap().into_samples::<i16>().map(Result::unwrap).collect();
            (wav.file_name().unwrap().to_string_lossy().into_owned(), text, samples)
        })
        .collect()
}

/// The GPIO buttons under the screen (`[devices]`, simulated board) do what the arrows do.
#[test]
fn the_gpio_buttons_switch_the_guide_on_and_step_and_choose() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo, 1080, 1920);
    let scribe = Arc::new(Scribe::default());
    k.guide_with(scribe.clone());
    let speaker = kiosk_ui::speech::speaker(
        &SpeakerSettings { output: Output::Silent, ..SpeakerSettings::default() },
        data.path(),
        demo.clock.clone(),
    );
    k.speak_with(speaker.clone());
    let text = std::fs::read_to_string(kiosk_ui::tour::shipped_config()).unwrap()
        + "\n[devices]\npoll_ms = 2\ndebounce_ms = 20\n[[devices.button]]\npin = 5\npress = \"guide\"\n[[devices.button]]\npin = 6\npress = \"guide_next\"\nlong_press = \"guide_previous\"\n[[devices.button]]\npin = 13\npress = \"guide_confirm\"\n";
    let config = firmware::Config::parse(&text, &kiosk_ui::tour::shipped_config()).unwrap_or_else(|e| panic!("{e}"));
    let board = firmware::devices::sim::SimulatedBoard::new();
    k.watch_buttons(config.devices.as_ref().unwrap(), Box::new(board.clone())).unwrap();
    let push = |pin: u8, hold_ms: u64| {
        board.set_pressed(pin, true);
        std::thread::sleep(Duration::from_millis(hold_ms));
        board.set_pressed(pin, false);
        std::thread::sleep(Duration::from_millis(60));
        // The window's timer hands the presses over.
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(25));
    };

    push(5, 60);
    assert!(k.api().get_guide(), "the guide button switched the guide on");
    push(6, 60);
    push(6, 60);
    assert_eq!(highlighted(&k.app).as_deref(), Some("home:search"));
    push(6, 1700); // held: the previous choice
    assert_eq!(highlighted(&k.app).as_deref(), Some("home:services"));
    push(13, 60);
    assert_eq!(screen(&k.app), "services");
    assert!(speaker.wait_idle(Duration::from_secs(10)));
    let asked = scribe.sentences.lock().unwrap().clone();
    assert!(asked.contains(&"Lấy số thứ tự. Chọn lĩnh vực quý khách cần giải quyết.".to_string()), "the voice was asked: {asked:?}");
    push(5, 60);
    assert!(!k.api().get_guide(), "and off again");
}

/// Every text's rendered height, by its words.
fn text_heights(app: &App) -> Vec<(String, f32)> {
    ElementQuery::from_root(app)
        .match_descendants()
        .match_type_name("Text")
        .find_all()
        .iter()
        .filter_map(|e| Some((e.accessible_label()?.to_string(), e.size().height)))
        .filter(|(t, h)| !t.trim().is_empty() && *h > 0.0)
        .collect()
}

/// 18.3: with "Chữ to" the texts of every screen are drawn 1.5 times as tall. Measured on a
/// screen wide enough (3840 px) that no text wraps in either mode, so that a text's height is
/// its line's: its font's size. The ticket number, 300 px already, is the one exception: it
/// grows only as much as a kiosk's screen allows.
/// How a test reaches one screen.
type Visit = Box<dyn Fn(&Api)>;

#[test]
fn large_text_is_at_least_one_and_a_half_times_larger_on_every_screen() {
    for (width, height) in [(3840, 2160)] {
        let data = tempfile::tempdir().unwrap();
        let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
        demo.queue_up("A", 1);
        let served = demo.serve_next(1);
        let k = kiosk(&demo, width, height);
        let api = k.api();
        let visits: Vec<(&str, Visit)> = vec![
            ("home", Box::new(|api: &Api| api.invoke_go("home".into()))),
            ("services", Box::new(|api: &Api| api.invoke_go("services".into()))),
            ("priority", Box::new(|api: &Api| api.invoke_choose_service("B".into()))),
            ("ticket", Box::new(|api: &Api| api.invoke_choose_priority("".into()))),
            ("search", Box::new(|api: &Api| api.invoke_go("search".into()))),
            ("results", Box::new(|api: &Api| api.invoke_browse_field("chung-thuc".into()))),
            ("procedure", Box::new(|api: &Api| api.invoke_open_procedure("1.001193".into()))),
            ("dossier", Box::new(|api: &Api| api.invoke_go("dossier".into()))),
            ("rate-number", Box::new(|api: &Api| api.invoke_go("rate-number".into()))),
            ("rate", {
                let served = served.clone();
                Box::new(move |api: &Api| {
                    api.set_rating_number(served.as_str().into());
                    api.invoke_rate_ticket();
                })
            }),
            ("help", Box::new(|api: &Api| api.invoke_ask_help())),
        ];
        for (name, visit) in &visits {
            visit(&api);
            let normal = text_heights(&k.app);
            api.set_low_vision(true);
            let large = text_heights(&k.app);
            api.set_low_vision(false);
            let (mut compared, mut grown) = (0, vec![]);
            for (text, h) in &normal {
                let Some(h_large) = large.iter().filter(|(t, _)| t == text).map(|(_, h)| *h).reduce(f32::min) else { continue };
                if text == "ticket-number" {
                    assert!(h_large >= *h, "{width}x{height}: the ticket number shrinks in large text ({h} → {h_large} px)");
                    continue;
                }
                compared += 1;
                // A box's height is its lines' unless a layout stretches it (a title beside two
                // buttons): none may shrink, and most grow by the font's 1.5 (`tests/theme.rs`
                // checks that every font size is the theme's, scaled).
                assert!(h_large >= *h, "{width}x{height} {name}: {text:?} is {h_large} px tall in large text, {h} px in normal text");
                if h_large >= 1.45 * h {
                    grown.push(text.clone());
                }
            }
            assert!(compared >= 3, "{name}: only {compared} texts compared");
            assert!(grown.len() * 4 >= compared * 3, "{name}: only {} of {compared} texts grew 1.5 times: {grown:?}", grown.len());
            api.set_help_state("".into());
        }
    }
}

/// 18.4: after the idle time the screen counts down (the last `countdown_seconds`), a touch
/// keeps it; at zero it goes Home and the next citizen finds it as new: Vietnamese, normal text,
/// no guide, nothing typed.
#[test]
fn an_idle_screen_counts_down_then_starts_again_for_the_next_citizen() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo, 1080, 1920);
    let api = k.api();
    assert_eq!((api.get_idle_limit(), api.get_countdown_seconds()), (90, 10), "the shipped [touchscreen]");
    let wait = |seconds: i32| {
        for _ in 0..seconds {
            api.invoke_tick();
        }
    };
    let dialog = |app: &App| {
        ElementHandle::find_by_accessible_label(app, "dialog").filter_map(|e| e.accessible_value()).map(|v| v.to_string()).next()
    };
    press(&k.app, "English");
    press(&k.app, "Large text");
    press(&k.app, "Find a procedure");
    press(&k.app, "key k");
    press(&k.app, "key h");
    assert_eq!(api.get_search_text(), "kh");
    wait(79);
    assert_eq!(dialog(&k.app), None, "no countdown yet");
    wait(2);
    assert_eq!(dialog(&k.app).as_deref(), Some("Are you still there? The screen goes back to the start in 9 seconds."));
    press(&k.app, "I am still here");
    assert_eq!(dialog(&k.app), None);
    assert_eq!((screen(&k.app), api.get_search_text().to_string()), ("search".to_string(), "kh".to_string()), "kept");
    api.invoke_toggle_guide();
    wait(85);
    assert!(dialog(&k.app).unwrap().ends_with("in 5 seconds."));
    wait(5);
    assert_eq!(screen(&k.app), "home");
    assert_eq!(api.get_search_text(), "", "what was typed is gone");
    assert!(!api.get_english() && !api.get_low_vision() && !api.get_guide(), "as the next citizen expects");
    assert_eq!(dialog(&k.app), None);

    // Home with a mode left on is reset too; plain Home waits for ever.
    press(&k.app, "Chữ to");
    wait(90);
    assert!(!api.get_low_vision());
    wait(500);
    assert_eq!(screen(&k.app), "home");
}

/// The `[touchscreen]` of the configuration reaches the screens.
#[test]
fn the_waits_come_from_the_configuration() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open_with(data.path(), Printer::Virtual, |c| {
        c.touchscreen =
            firmware::config::Touchscreen { idle_seconds: 40, rating_idle_seconds: 20, countdown_seconds: 5, closing_warning_minutes: 30 };
    })
    .unwrap();
    let k = kiosk(&demo, 1080, 1920);
    let api = k.api();
    assert_eq!((api.get_idle_limit(), api.get_rating_idle_limit(), api.get_countdown_seconds()), (40, 20, 5));
    // 25 minutes before 11:15, Home warns.
    demo.clock.set(monday(10, 50));
    api.invoke_go("home".into());
    assert_eq!(api.get_notice(), "Sắp hết giờ phát số: ngừng phát số lúc 11:15.");
}

/// 18.4: before dispensing starts Home says when (today, or the next working day and why on a
/// holiday); near the end of a window it says numbers stop soon, and the tiles say when.
#[test]
fn home_says_when_numbers_start_and_when_they_stop() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo, 1080, 1920);
    let api = k.api();
    let home_at = |at: chrono::DateTime<chrono::FixedOffset>| {
        demo.clock.set(at);
        api.invoke_go("home".into());
        (api.get_notice().to_string(), api.get_notice_en().to_string())
    };
    let vn = |d, m, h, min| firmware::calendar::vietnam_offset().with_ymd_and_hms(2026, m, d, h, min, 0).unwrap();
    assert_eq!(
        home_at(monday(6, 50)),
        ("Chưa đến giờ phát số. Hôm nay bắt đầu phát số lúc 07:00.".into(), "Numbers are not given yet. Today they start at 07:00.".into())
    );
    assert_eq!(
        ElementHandle::find_by_accessible_label(&k.app, "notice").filter_map(|e| e.accessible_value()).next().as_deref(),
        Some("Chưa đến giờ phát số. Hôm nay bắt đầu phát số lúc 07:00."),
        "shown on Home"
    );
    assert_eq!(home_at(monday(9, 0)).0, "", "open, far from the end: nothing to say");
    assert_eq!(home_at(monday(11, 5)).0, "Sắp hết giờ phát số: ngừng phát số lúc 11:15.");
    api.invoke_go("services".into());
    let a = api.get_services().iter().find(|s| s.code == "A").unwrap();
    assert_eq!(a.note, "Không có người chờ · Ngừng lấy số lúc 11:15");
    assert_eq!(home_at(monday(12, 0)).0, "Tạm ngừng phát số. Phát số lại lúc 13:15.");
    // Friday evening: Saturday morning is the next time numbers are given.
    assert_eq!(home_at(vn(6, 3, 17, 30)).0, "Hôm nay đã hết giờ phát số. Phát số lại từ 07:30 thứ Bảy, 07/03.");
    // A day of the Tết break, by its name.
    let (vi, en) = home_at(vn(14, 2, 7, 0));
    assert_eq!(vi, "Hôm nay nghỉ Tết Nguyên đán Bính Ngọ. Phát số lại từ 07:00 thứ Hai, 23/02.");
    assert_eq!(en, "Closed today (Nghỉ Tết Nguyên đán Bính Ngọ). Numbers again from Mon 23/02, 07:00.");
    // The guide says it first thing on Home.
    demo.clock.set(monday(6, 50));
    api.invoke_go("home".into());
    press(&k.app, "Hướng dẫn bằng giọng nói");
    assert!(said(&k.app).contains("Trang chủ. Chưa đến giờ phát số. Hôm nay bắt đầu phát số lúc 7 giờ."), "{}", said(&k.app));
}

/// 18.5: "Cần hỗ trợ" tells the staff (one alert, however often it is pressed) and says so.
#[test]
fn help_tells_the_staff_once_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let k = kiosk(&demo, 1080, 1920);
    press(&k.app, "Tra cứu hồ sơ");
    press(&k.app, "Cần hỗ trợ");
    assert_eq!(k.api().get_help_state(), "sent");
    let dialog: Vec<String> =
        ElementHandle::find_by_accessible_label(&k.app, "dialog").filter_map(|e| e.accessible_value()).map(|v| v.to_string()).collect();
    assert_eq!(dialog, ["Đã báo cán bộ. Xin quý khách chờ tại đây, cán bộ sẽ đến hỗ trợ ngay."]);
    press(&k.app, "Đóng");
    assert_eq!(k.api().get_help_state(), "");
    assert_eq!(screen(&k.app), "dossier", "the citizen stays where they were");
    press(&k.app, "Cần hỗ trợ");
    let open = demo.runtime.block_on(demo.service.open_help_requests()).unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].from, firmware::events::HelpFrom::Kiosk);
}
