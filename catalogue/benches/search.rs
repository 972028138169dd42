//! Catalogue benchmark: load time and per-keystroke search latency on a synthetic catalogue of
//! 10,000 procedures (the 80-odd sample procedures plus generated ones with realistic words).
//! Each keystroke is timed through the path the kiosk takes: NFC of the typed text,
//! `Catalog::search`, and the result list built as the screen and `/api/v1/procedures` build it.
//! Measured twice: on a quiet machine, then with every core kept busy by processes this bench
//! starts itself (one spinning child process per core). Prints p50/p95/p99/max; asserts nothing.
//! Run: `cargo bench -p catalogue --bench search`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use catalogue::{field_code, nfc, Catalog, Document, Outcome, Procedure};

const SIZE: usize = 10_000;
const ROUNDS: usize = 5;

const ACTIONS: &[&str] = &[
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Đăng ký",
    "Thu hồi",
    "Công nhận",
    "Thẩm định",
    "Phê duyệt",
    "Xác nhận",
    "Hỗ trợ",
    "Giải quyết",
    "Thông báo",
    "Chấp thuận",
    "Sửa đổi, bổ sung",
];
const OBJECTS: &[&str] = &[
    "giấy phép kinh doanh rượu",
    "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "giấy phép khai thác nước dưới đất",
    "chứng chỉ hành nghề dược",
    "giấy phép hoạt động karaoke",
    "giấy phép xả nước thải vào nguồn nước",
    "giấy chứng nhận đăng ký xe",
    "giấy phép lái xe",
    "chứng chỉ hành nghề khám bệnh, chữa bệnh",
    "giấy phép thành lập trường mầm non tư thục",
    "giấy phép hoạt động giáo dục nghề nghiệp",
    "quyết định giao rừng",
    "giấy phép khai thác khoáng sản",
    "giấy chứng nhận đủ điều kiện kinh doanh xăng dầu",
    "giấy phép tổ chức lễ hội",
    "giấy phép quảng cáo",
    "giấy phép biểu diễn nghệ thuật",
    "giấy chứng nhận quyền tác giả",
    "bằng tốt nghiệp trung học cơ sở",
    "học bổng chính sách",
    "trợ cấp thôi việc",
    "chế độ thai sản",
    "thẻ bảo hiểm y tế",
    "sổ bảo hiểm xã hội",
    "giấy phép vận tải",
    "phù hiệu xe kinh doanh vận tải",
    "giấy phép thi công trên đường bộ",
    "giấy phép sử dụng vật liệu nổ",
    "giấy chứng nhận đăng ký đầu tư",
    "quyết định chủ trương đầu tư",
    "giấy phép xuất bản bản tin",
    "giấy phép thiết lập trang thông tin điện tử",
    "chứng nhận hợp chuẩn",
    "giấy phép môi trường",
    "báo cáo đánh giá tác động môi trường",
    "giấy chứng nhận kiểm dịch động vật",
    "giấy phép vận chuyển thuốc bảo vệ thực vật",
    "giấy chứng nhận cơ sở nuôi trồng thủy sản",
    "giấy phép khai thác thủy sản",
    "giấy chứng nhận đăng ký tàu cá",
    "giấy phép hoạt động tôn giáo",
    "đăng ký sinh hoạt tôn giáo tập trung",
    "giấy phép thành lập hội",
    "điều lệ hội",
    "danh hiệu gia đình văn hóa",
    "giấy khen",
    "kỷ niệm chương",
    "giấy phép tổ chức thi đấu thể thao",
    "giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lữ hành",
    "thẻ hướng dẫn viên du lịch",
    "giấy phép xây dựng công trình tạm",
    "chứng chỉ hành nghề môi giới bất động sản",
    "giấy phép bán lẻ thuốc lá",
    "giấy chứng nhận thương nhân kinh doanh khí",
    "giấy phép hoạt động điện lực",
    "hồ sơ thiết kế phòng cháy chữa cháy",
    "giấy phép lao động",
    "chứng chỉ kỹ năng nghề",
    "quyết định thành lập trường học",
    "thẻ căn cước",
];
const QUALIFIERS: &[&str] = &[
    "",
    " cho tổ chức",
    " cho cá nhân",
    " đối với doanh nghiệp có vốn đầu tư nước ngoài",
    " trong khu công nghiệp",
    " lần đầu",
    " do bị mất, hư hỏng",
    " do hết hạn",
    " tại cảng biển",
    " cho hộ gia đình",
    " đối với người nước ngoài",
    " trên địa bàn xã",
];
const FIELDS: &[&str] = &[
    "Y tế",
    "Giáo dục và đào tạo",
    "Công thương",
    "Văn hóa",
    "Du lịch",
    "Giao thông vận tải",
    "Tài nguyên nước",
    "Môi trường",
    "Nông nghiệp",
    "Thủy sản",
    "Lâm nghiệp",
    "Khoáng sản",
    "Đầu tư",
    "Tôn giáo",
    "Thi đua khen thưởng",
    "Thể dục thể thao",
    "Thông tin và truyền thông",
    "Phòng cháy chữa cháy",
    "Kinh doanh bất động sản",
    "Điện lực",
];
const DOCUMENTS: &[&str] = &[
    "Đơn đề nghị theo mẫu",
    "Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
    "Bản vẽ mặt bằng cơ sở",
    "Danh sách nhân viên",
    "Giấy khám sức khỏe",
    "Phiếu lý lịch tư pháp",
    "Hợp đồng thuê địa điểm",
    "Báo cáo tài chính năm gần nhất",
    "Giấy tờ chứng minh quyền sử dụng đất",
    "Ảnh 4 cm x 6 cm",
    "Văn bằng chuyên môn",
    "Biên bản kiểm tra điều kiện",
    "Quyết định thành lập",
    "Điều lệ tổ chức",
    "Phương án phòng cháy chữa cháy",
    "Kế hoạch bảo vệ môi trường",
];
const KEYWORDS: &[&str] = &[
    "xin giấy phép",
    "làm hồ sơ",
    "doanh nghiệp",
    "cửa hàng",
    "nhà hàng",
    "quán ăn",
    "trường tư",
    "phòng khám",
    "xe khách",
    "tàu cá",
    "khai thác",
    "nước thải",
    "lễ hội",
    "quảng cáo",
    "du lịch",
    "hướng dẫn viên",
];

/// The keystrokes of these queries are replayed: "d", "da", "dan", "dang", "dang ", …
/// Names and codes, then whole sentences as citizens type them.
const TYPED: &[&str] = &[
    "lam giay chung tu cho bo",
    "bo toi vua mat can lam thu tuc gi",
    "vợ tôi vừa sinh em bé, làm giấy khai sinh cho cháu",
    "toi sap lay vo can giay to gi",
    "xin giay xac nhan doc than de lam ho so",
    "con trai lay vo ra o rieng muon tach ho khau",
    "mo tiem tap hoa nho can giay phep gi",
    "dang ky ho ngheo",
    "hộ cá thể",
    "sổ đỏ bị cháy mất rồi xin cấp lại",
    "dang ky khai sinh",
    "dawng kys khai sinh",
    "nhap ho khau",
    "dang ky thuogn tru",
    "giay doc than",
    "chung thuc ban sao",
    "photo cong chung",
    "mo quan",
    "dang ky ho kinh doanh",
    "ho can ngheo",
    "tro cap nguoi gia",
    "lam so do",
    "xin phep xay nha",
    "ly lich tu phap",
    "hoà giải tranh chấp đất",
    "giấy phép kinh doanh rượu",
    "cap lai giay phep lai xe",
    "an toan thuc pham",
    "1.001193",
    "2000815",
    "chứng chỉ hành nghề dược",
    "giay phep moi truong cho to chuc",
    "the bao hiem y te",
    "khuyeets taajt",
    "bao tu",
];

/// Deterministic xorshift, so every run measures the same catalogue.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}

fn synthetic(sample: &[Procedure]) -> Vec<Procedure> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out: Vec<Procedure> = sample.to_vec();
    let mut i = 0;
    while out.len() < SIZE {
        let mut p = sample[i % sample.len()].clone();
        p.code = format!("8.{i:06}");
        p.name = format!("{} {}{}", rng.pick(ACTIONS), rng.pick(OBJECTS), rng.pick(QUALIFIERS));
        p.field = rng.pick(FIELDS).to_owned();
        p.keywords = (0..3).map(|_| rng.pick(KEYWORDS).to_owned()).collect();
        p.documents = (0..4)
            .map(|_| Document { name: rng.pick(DOCUMENTS).to_owned(), originals: 1, copies: 0, form: None, case: None, note: None })
            .collect();
        out.push(p);
        i += 1;
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn median_of(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time_loads(what: &str, path: &Path) {
    let runs: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let c = Catalog::load_file(path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(c.len(), SIZE);
            start.elapsed()
        })
        .collect();
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!("load {what:<34} {:>9.1} ms (median of {ROUNDS}, {:.1} MB)", ms(median_of(runs)), bytes as f64 / 1e6);
}

/// One line of percentiles.
fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{label:<66} n={:<5} p50={:.3} ms p95={:.3} ms p99={:.3} ms max={:.3} ms",
        times.len(),
        ms(percentile(times, 0.50)),
        ms(percentile(times, 0.95)),
        ms(percentile(times, 0.99)),
        ms(*times.last().unwrap()),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One line of the result list, as the kiosk screen and the API build it.
#[allow(dead_code)]
struct Line {
    code: String,
    name: String,
    field: String,
    field_code: String,
    time_limit: Option<String>,
}

/// What the kiosk does on a keystroke: NFC, search, result lines.
fn keystroke(catalog: &Catalog, typed: &str, field: Option<&str>) -> (Vec<Line>, Outcome) {
    let query = nfc(typed);
    let found = catalog.search(&query, field, RESULTS);
    let lines = found
        .results
        .iter()
        .map(|p| Line {
            code: p.code.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            field_code: field_code(&p.field),
            time_limit: p.counter_channel().map(|c| c.time_limit.text.clone()),
        })
        .collect();
    (lines, found.outcome)
}

/// Results the kiosk asks for per keystroke (kiosk-ui) and the API's default page.
const RESULTS: usize = 20;

/// Keeps every core busy while it lives: one child process per core, each spinning.
struct Load(Vec<Child>);

impl Load {
    fn start() -> Load {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let me = std::env::current_exe().expect("the bench's own path");
        Load((0..cores).map(|_| Command::new(&me).env(SPIN, "1").spawn().expect("a spinning child process")).collect())
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Set in the environment of the children that only spin.
const SPIN: &str = "CATALOG_BENCH_SPIN";

fn spin() -> ! {
    let mut x: u64 = 1;
    loop {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

/// CPU time of this thread: what a keystroke costs whatever else runs on the machine.
fn thread_cpu_time() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for the call to write.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Every keystroke `ROUNDS` times; wall-clock and CPU times of all runs.
fn time_keystrokes(catalog: &Catalog, keystrokes: &[String], field: Option<&str>) -> (Vec<Duration>, Vec<Duration>) {
    let mut wall = Vec::with_capacity(keystrokes.len() * ROUNDS);
    let mut cpu = Vec::with_capacity(keystrokes.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for q in keystrokes {
            let cpu_start = thread_cpu_time();
            let start = Instant::now();
            let result = keystroke(catalog, q, field);
            let elapsed = start.elapsed();
            cpu.push(thread_cpu_time().saturating_sub(cpu_start));
            std::hint::black_box(result);
            wall.push(elapsed);
        }
    }
    (wall, cpu)
}

/// The load average over the last minute, from /proc/loadavg (other work on the machine).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_owned)).unwrap_or_else(|| "?".into())
}

fn main() {
    if std::env::var_os(SPIN).is_some() {
        spin();
    }
    let sample_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
    let sample = Catalog::load_dir(&sample_dir).unwrap_or_else(|e| panic!("{e}"));
    let procedures = synthetic(sample.procedures());

    let dir = std::env::temp_dir().join(format!("catalog-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("catalog.json");
    let document = serde_json::json!({ "procedure": procedures });
    std::fs::write(&json, serde_json::to_string(&document).unwrap()).unwrap();

    println!("catalogue: {SIZE} procedures ({} from config/catalog, the rest generated)", sample.len());
    // CATALOG_BENCH_SEARCH_ONLY=1 skips the load timings (for profiling the search alone).
    if std::env::var_os("CATALOG_BENCH_SEARCH_ONLY").is_none() {
        let index_runs: Vec<Duration> = (0..ROUNDS)
            .map(|_| {
                let start = Instant::now();
                Catalog::from_procedures(procedures.clone()).unwrap();
                start.elapsed()
            })
            .collect();
        println!("load {:<34} {:>9.1} ms (median of {ROUNDS})", "check + index (from_procedures)", ms(median_of(index_runs)));
        time_loads("JSON file (load_file)", &json);
        let toml_path = dir.join("catalog.toml");
        std::fs::write(&toml_path, toml::to_string(&document).unwrap()).unwrap();
        time_loads("TOML file (load_file)", &toml_path);
    }

    let catalog = Catalog::load_file(&json).unwrap();
    // CATALOG_BENCH_QUERY="…" times that one query alone (for looking into a slow keystroke).
    if let Ok(query) = std::env::var("CATALOG_BENCH_QUERY") {
        let times: usize = std::env::var("CATALOG_BENCH_TIMES").ok().and_then(|t| t.parse().ok()).unwrap_or(1000);
        let start = thread_cpu_time();
        for _ in 0..times {
            std::hint::black_box(keystroke(&catalog, &query, None));
        }
        let (lines, outcome) = keystroke(&catalog, &query, None);
        println!(
            "{query:?}: {:.3} ms CPU per keystroke, {outcome:?}, {} results",
            ms(thread_cpu_time() - start) / times as f64,
            lines.len()
        );
        return;
    }
    let keystrokes: Vec<String> =
        TYPED.iter().flat_map(|q| q.char_indices().map(|(at, c)| q[..at + c.len_utf8()].to_owned()).collect::<Vec<_>>()).collect();
    println!("{} keystrokes of {} queries per round, {ROUNDS} rounds, {RESULTS} results per keystroke", keystrokes.len(), TYPED.len());
    // Warm up caches and the allocator.
    time_keystrokes(&catalog, &keystrokes, None);
    let (_, quiet_cpu) = time_keystrokes(&catalog, &keystrokes, None);
    let mut by_keystroke: Vec<(Duration, &str)> = keystrokes
        .iter()
        .enumerate()
        .map(|(k, q)| (median_of((0..ROUNDS).map(|r| quiet_cpu[r * keystrokes.len() + k]).collect()), q.as_str()))
        .collect();
    by_keystroke.sort_by_key(|k| std::cmp::Reverse(k.0));
    let slowest: Vec<String> = by_keystroke.iter().take(5).map(|(t, q)| format!("{q:?} {:.3} ms", ms(*t))).collect();
    println!("costliest keystrokes (CPU time, median of {ROUNDS}): {}", slowest.join(", "));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    for (label, field) in [("keystroke", None), ("keystroke, field \"Y tế\"", Some("Y tế"))] {
        println!("load average before the quiet run: {}", load_average());
        let (mut wall, mut cpu) = time_keystrokes(&catalog, &keystrokes, field);
        report(&format!("{label}, quiet, wall clock"), &mut wall);
        report(&format!("{label}, quiet, CPU time"), &mut cpu);
        let load = Load::start();
        std::thread::sleep(Duration::from_millis(300));
        let (mut wall, mut cpu) = time_keystrokes(&catalog, &keystrokes, field);
        drop(load);
        report(&format!("{label}, busy ({cores} spinning processes), wall clock"), &mut wall);
        report(&format!("{label}, busy ({cores} spinning processes), CPU time"), &mut cpu);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
