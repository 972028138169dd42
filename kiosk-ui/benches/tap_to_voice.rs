//! From the tap that issues a ticket to the first sample of its announcement handed to the
//! sound device (issue 18.6): the real screens and glue over the real `Service` (shipped
//! configuration, virtual printer, a fresh data directory, the clock fixed on a Monday 09:00),
//! the kiosk's real `Speaker` (words, clips joined at the volume, playback thread), and a sink
//! that notes the instant its `play` is handed the sound — where ALSA would get its first write.
//!
//! The floor, measured in the same run on the same kiosk: the same tap with the kiosk silent,
//! to the ticket on screen (issuing and printing included). Taps alternate between the two.
//! `cargo bench -p kiosk-ui --bench tap_to_voice`; results go in docs/PERFORMANCE.md.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use firmware::audio::{AudioError, AudioSink, Sound, Speaker, SpeakerSettings};
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::headless::Screen;
use kiosk_ui::tour::{Demo, Printer};

/// Taps of each kind.
const TAPS: usize = 100;

/// Notes when each sound reaches it.
struct Probe(mpsc::Sender<Instant>);

impl AudioSink for Probe {
    fn play(&mut self, _sound: &Sound) -> Result<(), AudioError> {
        let _ = self.0.send(Instant::now());
        Ok(())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, 95th percentile and mean, in ms.
fn summary(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() * 95 / 100], v.iter().sum::<f64>() / v.len() as f64)
}

/// One tap on "Không, lấy số thường" after choosing service A; the time until the ticket is on
/// screen (the glue runs inline, so the call returns with the screen set).
fn tap(kiosk: &Kiosk) -> (Instant, Duration) {
    let api = kiosk.api();
    api.invoke_go("services".into());
    api.invoke_choose_service("A".into());
    assert_eq!(api.get_screen(), "priority");
    let t = Instant::now();
    api.invoke_choose_priority("".into());
    let shown = t.elapsed();
    assert_eq!(api.get_screen(), "ticket", "{}", api.get_message());
    (t, shown)
}

fn main() {
    let data = tempfile::tempdir().expect("temp dir");
    let _screen = Screen::install(1080, 1920).expect("headless platform");
    let demo = Demo::open(data.path(), Printer::Virtual).expect("service");
    let silent = Kiosk::new(demo.backend(), Runner::Inline).expect("window");
    let speaking = Kiosk::new(demo.backend(), Runner::Inline).expect("window");
    let (first_sample, heard) = mpsc::channel();
    let speaker = Speaker::start(SpeakerSettings::default(), Box::new(Probe(first_sample)), demo.clock.clone());
    speaking.speak_with(speaker.clone());
    // One tap each to warm up.
    for k in [&silent, &speaking] {
        tap(k);
    }
    heard.recv_timeout(Duration::from_secs(5)).expect("the warm-up was said");

    let (mut floor, mut voice, mut shown_with_voice) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..TAPS {
        floor.push(ms(tap(&silent).1));
        let (t, shown) = tap(&speaking);
        let at = heard.recv_timeout(Duration::from_secs(5)).expect("the ticket was said");
        voice.push(ms(at - t));
        shown_with_voice.push(ms(shown));
    }
    assert!(speaker.wait_idle(Duration::from_secs(5)));

    // The voice's own part, without the service: words, clips joined at the volume.
    let backend = demo.backend();
    let words = Instant::now();
    let mut a = None;
    for _ in 0..TAPS {
        a = Some(kiosk_ui::backend::Backend::ticket_announcement(&*backend, "A105").expect("words"));
    }
    let words = ms(words.elapsed()) / TAPS as f64;
    let a = a.expect("words");
    let join = Instant::now();
    let samples = (0..TAPS).map(|_| Sound::of("A105", &a, 80).samples.len()).sum::<usize>() / TAPS;
    let join = ms(join.elapsed()) / TAPS as f64;

    let (f50, f95, fmean) = summary(floor);
    let (v50, v95, vmean) = summary(voice);
    let (s50, s95, _) = summary(shown_with_voice);
    println!("tap to first audio sample, {TAPS} taps each, alternating (shipped config, virtual printer)");
    println!("  floor: tap → ticket on screen, silent kiosk   median {f50:7.2} ms  p95 {f95:7.2} ms  mean {fmean:7.2} ms");
    println!("  tap → first sample handed to the sink          median {v50:7.2} ms  p95 {v95:7.2} ms  mean {vmean:7.2} ms");
    println!("  tap → ticket on screen, speaking kiosk         median {s50:7.2} ms  p95 {s95:7.2} ms");
    println!("  ratio to the floor (medians)                   {:.2}", v50 / f50);
    println!("  the words alone (ticket_announcement)          {words:7.3} ms per ticket");
    println!("  the clips joined at volume 80 ({samples} samples, {:.1} s)  {join:7.3} ms per ticket", samples as f64 / 22_050.0);
}
