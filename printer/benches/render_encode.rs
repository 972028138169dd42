//! Render + encode time per queue ticket and bytes per ticket, in each mode (goal: < 2 ms).
//! `cargo bench -p printer --bench render_encode` prints p50/p99 over 2000 tickets per mode.

use printer::{samples, Document, Printer, PrinterConfig};
use std::time::{Duration, Instant};

const RUNS: usize = 2000;

fn main() {
    let ticket = Document::QueueTicket(samples::queue_ticket());
    println!("{:<28} {:>9} {:>9} {:>9}", "mode", "p50", "p99", "bytes");
    for (profile, mode) in [
        ("generic-80", "raster"),
        ("epson-tm-t88", "raster"),
        ("generic-58", "raster"),
        ("epson-tm-t20", "tcvn3"),
        ("epson-tm-t20", "cp1258"),
        ("generic-58", "cp1258"),
    ] {
        let cfg = PrinterConfig { profile: Some(profile.into()), text_mode: Some(mode.into()), ..PrinterConfig::virtual_default() };
        let mut printer = Printer::open(&cfg).expect("valid config");
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
}
