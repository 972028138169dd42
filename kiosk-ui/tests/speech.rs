//! The kiosk speaks (issue 18): a citizen takes a number on the screens and the kiosk says it,
//! with where to wait, through its own speaker — here the files sink, one WAV per
//! announcement, listened to by comparing samples. The words are checked clip by clip for a
//! sample of numbers, in the south's and the north's reading, through the in-process backend
//! and through a second kiosk's HTTP backend.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use firmware::audio::{Output, Sound, Speaker, SpeakerSettings};
use firmware::clock::ManualClock;
use firmware::queue::TimeWindow;
use firmware::voice::{Voice, ZeroTens};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk_ui::backend::{Backend, KioskInfo};
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::local::LocalBackend;
use kiosk_ui::remote::RemoteBackend;
use kiosk_ui::tour::{monday_nine, Demo, Printer};
use kiosk_ui::App;
use slint::ComponentHandle;

fn kiosk(backend: Arc<dyn Backend>, speaker: &Speaker) -> Kiosk {
    thread_local!(static PLATFORM: () = i_slint_backend_testing::init_no_event_loop());
    PLATFORM.with(|_| ());
    let kiosk = Kiosk::new(backend, Runner::Inline).unwrap();
    kiosk.app.window().set_size(slint::PhysicalSize::new(1080, 1920));
    kiosk.app.show().unwrap();
    kiosk.speak_with(speaker.clone());
    kiosk
}

/// Press the button labelled `label`, as a finger would.
fn press(app: &App, label: &str) {
    let button = ElementHandle::find_by_accessible_label(app, label)
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .unwrap_or_else(|| panic!("no button {label:?}"));
    button.invoke_accessible_default_action();
}

/// Take a number for service A without priority, as a citizen does (from Home).
fn take_a_number(app: &App) {
    app.global::<kiosk_ui::Api>().invoke_go("home".into());
    press(app, "Lấy số thứ tự");
    press(app, "A · Hộ tịch – Chứng thực");
    press(app, "Không, lấy số thường");
}

fn speaker_into(dir: &Path, settings: SpeakerSettings, clock: Arc<ManualClock>) -> Speaker {
    kiosk_ui::speech::speaker(&SpeakerSettings { output: Output::Files, ..settings }, dir, clock)
}

/// The WAV files the speaker wrote, in order.
fn spoken(data: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("announcements"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "wav")).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn samples(wav: &Path) -> Vec<i16> {
    hound::WavReader::open(wav).unwrap().into_samples::<i16>().map(Result::unwrap).collect()
}

#[test]
fn taking_a_number_says_it_through_the_kiosk_s_speaker() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let speaker = speaker_into(data.path(), SpeakerSettings { volume: 70, ..SpeakerSettings::default() }, demo.clock.clone());
    let k = kiosk(demo.backend(), &speaker);

    take_a_number(&k.app);
    assert_eq!(k.api().get_ticket().number, "A001");
    take_a_number(&k.app);
    assert!(speaker.wait_idle(Duration::from_secs(10)));

    let files = spoken(data.path());
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["0001-A001.wav", "0002-A002.wav"]);
    let text = std::fs::read_to_string(files[0].with_extension("txt")).unwrap();
    assert_eq!(text.trim(), "Số của quý khách là A, không không một. Mời quý khách chờ gọi số tại khu vực chờ.");
    // The sound is exactly the announcement's clips at the configured volume.
    let expected = Sound::of("A001", &Voice::default().ticket("A001").unwrap(), 70);
    let heard = samples(&files[0]);
    assert_eq!(heard.len(), expected.samples.len());
    assert!(heard == expected.samples, "the WAV is not the announcement's clips at volume 70");
    assert_ne!(samples(&files[1]), heard, "A002 is not A001");
}

#[test]
fn quiet_hours_and_a_switched_off_voice_say_nothing() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::open(data.path(), Printer::Virtual).unwrap();
    let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    // The demo's clock is 09:00.
    let quiet = SpeakerSettings { quiet_hours: vec![TimeWindow { start: t(8, 30), end: t(9, 30) }], ..SpeakerSettings::default() };
    let speaker = speaker_into(data.path(), quiet, demo.clock.clone());
    let k = kiosk(demo.backend(), &speaker);
    take_a_number(&k.app);
    assert_eq!(k.api().get_ticket().number, "A001", "the ticket is issued all the same");
    assert!(speaker.wait_idle(Duration::from_secs(10)));
    assert!(spoken(data.path()).is_empty());

    let off = speaker_into(data.path(), SpeakerSettings { enabled: false, ..SpeakerSettings::default() }, demo.clock.clone());
    let k2 = kiosk(demo.backend(), &off);
    take_a_number(&k2.app);
    assert!(off.wait_idle(Duration::from_secs(10)));
    assert!(spoken(data.path()).is_empty());
}

/// A service on the shipped configuration with `voice`, its backend, and its runtime.
fn service_with(data: &Path, voice: Voice) -> (tokio::runtime::Runtime, firmware::Service) {
    let mut config = firmware::Config::load(&kiosk_ui::tour::shipped_config()).unwrap();
    config.data_dir = data.to_path_buf();
    config.printer = None;
    config.voice = voice;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let service = runtime.block_on(firmware::server::start(config, Arc::new(ManualClock::new(monday_nine())))).unwrap();
    (runtime, service)
}

/// What the clips of an announcement say, a pause as "|".
fn words(backend: &dyn Backend, number: &str) -> Vec<&'static str> {
    let a = backend.ticket_announcement(number).unwrap_or_else(|e| panic!("{number}: {e}"));
    a.clips.iter().map(|c| if c.slug == "pause" { "|" } else { c.text }).collect()
}

/// 18.6: the ticket announcement's clips are the right words, for a sample of numbers, both
/// readings, both backends (in process; a second kiosk over HTTP).
#[test]
fn the_ticket_announcement_says_the_right_words() {
    const FIRST: &str = "Số của quý khách là";
    const LAST: &str = "Mời quý khách chờ gọi số tại khu vực chờ";
    let sample: &[(&str, &[&str])] = &[
        ("A005", &["a", "|", "không", "không", "năm"]),
        ("B105", &["bê", "|", "một", "trăm", "ZERO", "năm"]),
        ("C024", &["xê", "|", "không", "hai", "mươi", "tư"]),
        ("D015", &["đê", "|", "không", "mười", "lăm"]),
        ("E021", &["e", "|", "không", "hai", "mươi", "mốt"]),
        ("F110", &["ép", "|", "một", "trăm", "mười"]),
        ("L999", &["e-lờ", "|", "chín", "trăm", "chín", "mươi", "chín"]),
        ("W001", &["vê kép", "|", "không", "không", "một"]),
        ("A1009", &["a", "|", "một", "nghìn", "không", "trăm", "ZERO", "chín"]),
    ];
    for (zero_tens, zero) in [(ZeroTens::Le, "lẻ"), (ZeroTens::Linh, "linh")] {
        let data = tempfile::tempdir().unwrap();
        let (runtime, service) = service_with(data.path(), Voice { zero_tens, ..Voice::default() });
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(firmware::server::serve(service.clone(), listener, std::future::pending()));
        let local = LocalBackend::new(service.clone(), runtime.handle().clone());
        let remote = RemoteBackend::new(&url, KioskInfo::from_config(service.config()));
        for (number, middle) in sample {
            let mut expected = vec![FIRST];
            expected.extend(middle.iter().map(|w| if *w == "ZERO" { zero } else { w }));
            expected.extend(["|", LAST]);
            assert_eq!(words(&local, number), expected, "{number} ({zero})");
            assert_eq!(words(&remote, number), expected, "{number} over HTTP ({zero})");
        }
        assert_eq!(remote.ticket_announcement("a5").unwrap_err().code, "malformed_number");
    }
}

/// A second kiosk speaks on its own speaker: its files, not the main kiosk's.
#[test]
fn a_second_kiosk_speaks_on_its_own_speaker() {
    let main_data = tempfile::tempdir().unwrap();
    let second_data = tempfile::tempdir().unwrap();
    let demo = Demo::open(main_data.path(), Printer::Virtual).unwrap();
    let listener = demo.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    demo.runtime.spawn(firmware::server::serve(demo.service.clone(), listener, std::future::pending()));
    let remote = Arc::new(RemoteBackend::new(&url, KioskInfo::from_config(demo.service.config())));
    let speaker = speaker_into(second_data.path(), SpeakerSettings::default(), demo.clock.clone());
    let k = kiosk(remote, &speaker);
    take_a_number(&k.app);
    assert_eq!(k.api().get_ticket().number, "A001");
    assert!(speaker.wait_idle(Duration::from_secs(10)));
    let files = spoken(second_data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let expected = Sound::of("A001", &Voice::default().ticket("A001").unwrap(), SpeakerSettings::default().volume);
    assert!(samples(&files[0]) == expected.samples);
    assert!(spoken(main_data.path()).is_empty(), "the main kiosk did not speak");
}
