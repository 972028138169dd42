//! Render + encode time per queue ticket in each mode (goal: p99 under 1 ms), then the bytes of
//! every layout at every paper width in raster mode against the plain whole-width raster of the
//! same page, and what that costs on a serial link (10 bits per byte: 8N1). "inked" counts the
//! page's non-zero bytes: no normal-density `GS v 0` stream can send fewer (only the 2 × 2
//! regions, sent at quadruple density, and a QR the printer draws itself go below it).
//! `cargo bench -p printer --bench render_encode`.

#[allow(dead_code)] // each user takes the fixtures it needs
#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use printer::{Document, Printer, PrinterConfig};
use std::time::{Duration, Instant};

const RUNS: usize = 2000;

fn main() {
    let ticket = Document::QueueTicket(fixtures::queue_ticket());
    println!("{:<28} {:>9} {:>9} {:>9}", "mode", "p50", "p99", "bytes");
    for (profile, mode) in [
        ("generic-80", "raster"),
        ("epson-tm-t20", "raster"),
        ("epson-tm-t88", "raster"),
        ("generic-58", "raster"),
        ("epson-tm-t20", "tcvn3"),
        ("epson-tm-t20", "cp1258"),
        ("generic-58", "cp1258"),
    ] {
        let mut printer = printer(profile, mode);
        let bytes = printer.encode(&ticket).expect("encodes").bytes.len(); // also warms the glyph cache
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(printer.encode(std::hint::black_box(&ticket)).expect("encodes"));
                start.elapsed()
            })
            .collect();
        times.sort();
        let p = |q: f64| times[((RUNS as f64 * q) as usize).min(RUNS - 1)];
        println!("{:<28} {:>9.3?} {:>9.3?} {:>9}", format!("{profile} {mode}"), p(0.50), p(0.99), bytes);
    }

    // Where the raster ticket's time goes: rendering the page, then planning and writing bands.
    let mut generic = printer("generic-80", "raster");
    let page = generic.render(&ticket).expect("renders");
    let profile = generic.settings().profile.clone();
    let render = p50(|| drop(std::hint::black_box(generic.render(&ticket).expect("renders"))));
    let encode = p50(|| drop(std::hint::black_box(printer::encode::raster_job(&page, &profile).expect("encodes"))));
    println!("{:<28} {:>9.3?} (render) {:>9.3?} (bands)", "generic-80 raster split", render, encode);

    println!();
    println!(
        "{:<36} {:>11} {:>9} {:>9} {:>7} {:>11} {:>11}",
        "raster layout", "whole-width", "inked", "sent", "ratio", "115200 Bd", "19200 Bd"
    );
    for (profile, width) in [("generic-80", 576), ("epson-tm-t20", 576), ("epson-tm-t88", 512), ("generic-58", 384)] {
        let mut printer = printer(profile, "raster");
        for (name, doc) in fixtures::all() {
            let page = printer.render(&doc).expect("renders");
            // ESC @, the page as whole-width GS v 0 bands of 128 rows, the cut.
            let plain = 2 + page.bytes_per_row() * page.height() as usize + 8 * page.height().div_ceil(128) as usize + 4;
            let inked = (0..page.height()).map(|y| page.rows(y, y + 1).iter().filter(|b| **b != 0).count()).sum::<usize>();
            let sent = printer.encode(&doc).expect("encodes").bytes.len();
            let seconds = |baud: f64| sent as f64 * 10.0 / baud;
            println!(
                "{:<36} {:>11} {:>9} {:>9} {:>6.1}× {:>10.2}s {:>10.2}s",
                format!("{name} {width} {profile}"),
                plain,
                inked,
                sent,
                plain as f64 / sent as f64,
                seconds(115_200.0),
                seconds(19_200.0)
            );
        }
    }
}

fn p50(mut job: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            job();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn printer(profile: &str, mode: &str) -> Printer {
    let cfg = PrinterConfig { profile: Some(profile.into()), text_mode: Some(mode.into()), ..PrinterConfig::virtual_default() };
    Printer::open(&cfg).expect("valid config")
}
