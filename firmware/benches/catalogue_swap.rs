//! What the swappable catalogue costs a search: the same keystrokes searched on a plain
//! `&Catalog` (the floor), through `LiveCatalogue::load()` (what `/api/v1/procedures` and the
//! kiosk screen do since catalogue bundles can be swapped in), and through `load()` while another
//! thread installs new signed bundles one after another, 20 ms apart — checking each signature,
//! loading, writing it to disk and swapping it in (a storm no province causes: a bundle is
//! published a few times a year), and — the control for that one — while the other thread does the same work (sign,
//! check, load) without swapping anything in. The four are interleaved round by round so the
//! machine's load falls on all alike; printed as the median time per keystroke and its ratio to
//! the floor. Asserts nothing. Run: `cargo bench -p firmware --bench catalogue_swap`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use catalogue::{Bundle, Catalog, CatalogueFile};
use ed25519_dalek::SigningKey;
use firmware::service::{CatalogueInUse, LiveCatalogue, Source};
use firmware::store::catalogue_bundle::BundleFiles;

const ROUNDS: usize = 41;
/// Each pass replays the keystrokes this many times (a pass lasts long enough for a few swaps).
const REPEAT: usize = 20;
/// `load()` calls timed on their own.
const LOADS: u32 = 10_000_000;
const QUERIES: &[&str] = &[
    "dang ky khai sinh",
    "bố tôi vừa mất cần làm thủ tục gì",
    "sổ đỏ bị cháy mất rồi xin cấp lại",
    "đăng ký thường trú",
    "chung thuc ban sao",
    "ho kinh doanh",
    "1.001193",
    "cấp giấy xác nhận tình trạng hôn nhân",
];

fn keystrokes() -> Vec<String> {
    QUERIES.iter().flat_map(|q| q.char_indices().map(|(i, c)| q[..i + c.len_utf8()].to_string())).collect()
}

fn files() -> Vec<CatalogueFile> {
    CatalogueFile::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog")).unwrap()
}

/// Seconds per keystroke for one pass over `keys`, searching with `search`.
fn pass(keys: &[String], mut search: impl FnMut(&str) -> usize) -> f64 {
    let start = Instant::now();
    for _ in 0..REPEAT {
        for k in keys {
            black_box(search(k));
        }
    }
    start.elapsed().as_secs_f64() / (keys.len() * REPEAT) as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let keys = keystrokes();
    let plain = Catalog::load_files(&files()).unwrap();
    let in_use = CatalogueInUse { catalog: Catalog::load_files(&files()).unwrap(), version: 0, source: Source::Local, etag: None };
    let scratch = std::env::temp_dir().join(format!("catalogue-swap-bench-{}", std::process::id()));
    let key = SigningKey::from_bytes(&[7; 32]);
    let live = Arc::new(LiveCatalogue::new(in_use, BundleFiles::new(&scratch), Some(key.verifying_key())));
    let search_plain = |k: &str| plain.search(k, None, 20).results.len();
    let search_live = |k: &str| live.load().search(k, None, 20).results.len();
    // Warm the per-thread scratch arrays and the caches.
    pass(&keys, search_plain);
    pass(&keys, search_live);

    let (mut floor, mut through, mut storm, mut control) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let swaps = Arc::new(AtomicUsize::new(0));
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T08:00:00+07:00").unwrap();
    for _ in 0..ROUNDS {
        floor.push(pass(&keys, search_plain));
        through.push(pass(&keys, search_live));
        // A thread that keeps installing new signed bundles while this one searches.
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let (stop, live, swaps, key) = (stop.clone(), live.clone(), swaps.clone(), key.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let version = swaps.load(Ordering::SeqCst) as u64 + 1;
                    let body = Bundle::sign(version, "2026-03-05T08:00:00+07:00", files(), &key).unwrap().to_json();
                    let installed = live.install(body.as_bytes(), now);
                    assert_eq!(installed, firmware::sync::catalogue_poll::Installed::Installed { version });
                    swaps.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        storm.push(pass(&keys, search_live));
        stop.store(true, Ordering::SeqCst);
        swapper.join().unwrap();
        // The same work on the other thread, nothing swapped in.
        let stop = Arc::new(AtomicBool::new(false));
        let worker = {
            let (stop, key) = (stop.clone(), key.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let body = Bundle::sign(1, "2026-03-05T08:00:00+07:00", files(), &key).unwrap().to_json();
                    black_box(catalogue::bundle::open(body.as_bytes(), &key.verifying_key(), 0).unwrap());
                    n += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                n
            })
        };
        control.push(pass(&keys, search_live));
        stop.store(true, Ordering::SeqCst);
        worker.join().unwrap();
    }
    let _ = std::fs::remove_dir_all(&scratch);
    // The cost of one `load()` (and dropping its guard) on its own.
    let start = Instant::now();
    for _ in 0..LOADS {
        black_box(live.load().version);
    }
    let one_load = start.elapsed().as_secs_f64() / LOADS as f64;
    let (f, t, s, c) = (median(floor), median(through), median(storm), median(control));
    println!(
        "{} keystrokes per pass, {ROUNDS} rounds, {} procedures; {} swaps during the storm passes",
        keys.len(),
        plain.len(),
        swaps.load(Ordering::SeqCst)
    );
    println!("| path | median per keystroke | ratio to the floor |");
    println!("|---|---|---|");
    println!("| `&Catalog` (floor) | {:.1} µs | 1.000 |", f * 1e6);
    println!("| `LiveCatalogue::load()` | {:.1} µs | {:.3} |", t * 1e6, t / f);
    println!("| `load()` while a thread installs bundles, 20 ms apart | {:.1} µs | {:.3} |", s * 1e6, s / f);
    println!("| `load()` while a thread checks and loads bundles, swapping none (control) | {:.1} µs | {:.3} |", c * 1e6, c / f);
    println!(
        "one `load()` on its own: {:.1} ns ({LOADS} calls), {:.3} % of a keystroke on the floor",
        one_load * 1e9,
        one_load / f * 100.0
    );
}
