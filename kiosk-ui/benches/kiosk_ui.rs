//! The kiosk UI's three numbers, with the software renderer and no GPU:
//! time to first frame, frame render time at 1080×1920, and resident memory after a scripted
//! (time-compressed) hours of use, hour by hour, to see whether it levels off.
//! `cargo bench -p kiosk-ui --bench kiosk_ui` (`KIOSK_BENCH_HOURS=n` for more than three hours);
//! results go in docs/PERFORMANCE.md `## Kiosk UI`. The scripted hours also time each tap that
//! takes a number until the ticket screen is painted (the service's durable issue and the
//! virtual printer's job included) and every frame painted: `scripts/pi-budget` runs this on one
//! core shared with a competing load, a Raspberry Pi 4's budget.

use std::time::{Duration, Instant};

use chrono::Datelike;
use firmware::clock::Clock;
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::headless::Screen;
use kiosk_ui::tour::{Demo, Printer};
use slint::{ComponentHandle, Model};

/// Citizens in a scripted hour: a busy hour at a provincial centre.
const CITIZENS: usize = 240;
/// Scripted hours by default, each on the next working day.
const HOURS: usize = 3;
const FRAMES: usize = 60;

/// Resident and peak resident memory of this process, in MiB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Mean, median and 95th percentile of `FRAMES` full repaints of the current screen.
fn frame_times(screen: &mut Screen) -> (f64, f64, f64) {
    let mut times: Vec<f64> = (0..FRAMES)
        .map(|_| {
            let t = Instant::now();
            assert!(screen.render(), "a frame was drawn");
            ms(t.elapsed())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (mean, times[times.len() / 2], times[times.len() * 95 / 100])
}

fn main() {
    let data = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let mut screen = Screen::install(1080, 1920).expect("headless platform");
    let demo = Demo::open(data.path(), Printer::Virtual).expect("service");
    let service_ready = started.elapsed();
    let t = Instant::now();
    let kiosk = Kiosk::new(demo.backend(), Runner::Inline).expect("window");
    kiosk.app.show().expect("show");
    screen.render();
    let first_frame = t.elapsed();
    let (rss_start, _) = memory();

    println!("kiosk UI benchmark (software renderer, 1080×1920, {} build)", if cfg!(debug_assertions) { "debug" } else { "release" });
    println!("  service open (SQLite, catalogue, printer): {:8.1} ms", ms(service_ready));
    println!("  time to first frame (window + first paint): {:8.1} ms", ms(first_frame));

    let api = kiosk.api();
    let screens: [(&str, &dyn Fn()); 4] = [
        ("home", &|| api.invoke_go("home".into())),
        ("services", &|| api.invoke_go("services".into())),
        ("search results", &|| {
            api.invoke_go("search".into());
            for k in ["k", "h", "a", "i", " ", "s", "i", "n", "h"] {
                api.invoke_key(k.into());
            }
        }),
        ("procedure detail", &|| api.invoke_open_procedure("1.001193".into())),
    ];
    for (name, show) in screens {
        show();
        let (mean, median, p95) = frame_times(&mut screen);
        println!("  frame render, {name:<17} mean {mean:6.2} ms  median {median:6.2} ms  p95 {p95:6.2} ms");
    }

    // The scripted hour: every citizen takes a number; some look up a procedure, a dossier, or rate.
    let dossier = demo.receive_dossier("1.001193");
    let services = ["A", "B", "C", "D", "E", "F"];
    let queries = ["dang ky khai sinh", "chung thuc", "thuong tru", "ho kinh doanh", "dat dai", "ket hon"];
    let hours: usize = std::env::var("KIOSK_BENCH_HOURS").ok().and_then(|h| h.parse().ok()).unwrap_or(HOURS);
    let mut rss_by_hour = Vec::new();
    let hour = Instant::now();
    let mut frames = 0usize;
    let mut frame_ms: Vec<f64> = Vec::new();
    let mut tap_to_ticket: Vec<f64> = Vec::new();
    for i in 0..CITIZENS * hours {
        let mut paint = |screen: &mut Screen| {
            let t = Instant::now();
            screen.render();
            frame_ms.push(ms(t.elapsed()));
            frames += 1;
        };
        api.invoke_go("services".into());
        paint(&mut screen);
        api.invoke_choose_service(services[i % services.len()].into());
        // The tap that takes the number, to the ticket on screen.
        let tap = Instant::now();
        api.invoke_choose_priority(if i % 5 == 0 { "elderly" } else { "" }.into());
        paint(&mut screen);
        tap_to_ticket.push(ms(tap.elapsed()));
        match i % 4 {
            0 => {
                api.invoke_go("search".into());
                for c in queries[i % queries.len()].chars() {
                    api.invoke_key(c.to_string().into());
                    paint(&mut screen);
                }
                let results = api.get_results();
                if let Some(first) = results.row_data(0) {
                    api.invoke_open_procedure(first.code);
                    paint(&mut screen);
                }
            }
            1 => {
                api.invoke_go("dossier".into());
                api.set_dossier_text(dossier.as_str().into());
                api.invoke_lookup_dossier();
                paint(&mut screen);
            }
            2 => {
                let number = demo.serve_next(6);
                api.invoke_go("rate-number".into());
                api.set_rating_number(number.into());
                api.invoke_rate_ticket();
                paint(&mut screen);
                let level = api.get_levels().row_data(i % 3).expect("a level").code;
                api.invoke_choose_level(level);
                paint(&mut screen);
            }
            _ => {}
        }
        api.invoke_go("home".into());
        paint(&mut screen);
        demo.clock.advance(chrono::Duration::seconds(1));
        if (i + 1) % CITIZENS == 0 {
            rss_by_hour.push(memory().0);
            // The next hour is the next working day's busy hour: numbers restart, caps hold.
            let now = demo.clock.now();
            let days = if now.weekday() == chrono::Weekday::Fri { 3 } else { 1 };
            let nine = (now.date_naive() + chrono::Days::new(days)).and_hms_opt(9, 0, 0).expect("09:00");
            demo.clock.set(nine.and_local_timezone(*now.offset()).single().expect("fixed offset"));
        }
    }
    let (_, peak) = memory();
    let percentile = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    println!(
        "  tap → ticket on screen ({} taps): p50 {:6.2} ms  p99 {:6.2} ms",
        tap_to_ticket.len(),
        percentile(&mut tap_to_ticket, 0.50),
        percentile(&mut tap_to_ticket, 0.99)
    );
    println!(
        "  frames of the scripted hours ({}): p50 {:6.2} ms  p99 {:6.2} ms",
        frame_ms.len(),
        percentile(&mut frame_ms, 0.50),
        percentile(&mut frame_ms, 0.99)
    );
    println!("  scripted hours: {hours} × {CITIZENS} citizens, {frames} frames in {:.1} s", hour.elapsed().as_secs_f64());
    let by_hour: Vec<String> = rss_by_hour.iter().map(|m| format!("{m:.1}")).collect();
    println!(
        "  resident memory: {rss_start:.1} MiB after the first frame; after each hour {} MiB (peak {peak:.1} MiB)",
        by_hour.join(" → ")
    );
    let _ = kiosk.app.hide();
}
