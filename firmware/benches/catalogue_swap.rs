//! What the swappable catalogue costs a search: the same keystrokes searched on a plain
//! `&Catalog` (the floor), through `LiveCatalogue::load()` (what `/api/v1/procedures` and the
//! kiosk screen do since catalogue bundles can be swapped in), and through `load()` while another
//! thread installs a new signed bundle every 20 ms — checking its signature, loading it, writing
//! it to disk and swapping it in (a storm no province causes: a bundle is published a few times
//! a year). The three are interleaved round by round so the
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

const ROUNDS: usize = 15;
/// Each pass replays the keystrokes this many times (a pass lasts long enough for several swaps).
const REPEAT: usize = 10;
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

    let (mut floor, mut through, mut storm) = (Vec::new(), Vec::new(), Vec::new());
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
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let (f, t, s) = (median(floor), median(through), median(storm));
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
    println!("| `load()` while a thread installs a bundle every 20 ms | {:.1} µs | {:.3} |", s * 1e6, s / f);
}
