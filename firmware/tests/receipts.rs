//! The paper a citizen takes home, printed by the real path: the shipped configuration, the
//! shipped catalogue and holiday files, a manual clock on fixed dates, the `Service`'s own
//! commands and the virtual printer. Nothing here is written by hand.
//!
//! - `the_receipts_in_docs_are_what_the_service_prints`: the images in `docs/receipts/` are
//!   exactly what the service prints at 576, 512 and 384 dots (a ticket's QR, which carries the
//!   ticket's random id, is the only part allowed to differ). After a deliberate change:
//!
//!       UPDATE_GOLDEN=1 cargo test -p firmware --test receipts
//!
//!   and look at every image.
//! - `what_the_paper_says`: the same documents printed in text mode and read back as text: the
//!   counters on the ticket, the papers needed only in a case, the promise of the case the
//!   officer chose, the applicant's own title, no placeholder code.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone};
use firmware::clock::{Clock, ManualClock};
use firmware::dossier::Title;
use firmware::service::Reception;
use firmware::{Config, Service};
use printer::Bitmap;

fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn shipped() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml")).unwrap()
}

/// The newest job of `kind` the virtual printer saved in `dir` (`<n>-<kind>.png`), with `ext`.
fn last_printed(dir: &Path, kind: &str, ext: &str) -> PathBuf {
    let mut jobs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext) && p.file_stem().unwrap().to_string_lossy().ends_with(&format!("-{kind}")))
        .collect();
    jobs.sort();
    jobs.pop().unwrap_or_else(|| panic!("nothing of kind {kind} printed in {dir:?}"))
}

fn reception(procedure: &str, name: &str, title: Title, variant: Option<&str>, at: DateTime<FixedOffset>) -> Reception {
    Reception {
        procedure: procedure.into(),
        received_at: Some(at),
        channel: "direct".into(),
        variant: variant.map(str::to_owned),
        applicant_name: name.into(),
        applicant_title: Some(title),
        sets: 1,
    }
}

/// One morning at the centre, printed on `printer`; each document's file by its golden name.
async fn a_morning(printer: printer::PrinterConfig) -> (Vec<(&'static str, PathBuf)>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = shipped();
    config.data_dir = dir.path().to_path_buf();
    config.printer = Some(printer);
    let paper = dir.path().join("receipts");
    let mut out = Vec::new();

    // The printer's self-test page, before opening.
    firmware::cli::print_test(&config, vn(2026, 3, 5, 7, 30)).unwrap();
    out.push(("self-test", last_printed(&paper, "self-test", "png")));

    let clock = Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 15)));
    let service: Service = firmware::server::start(config, clock.clone()).await.unwrap();
    // Monday 2 March, 09:15: Đăng ký lại khai sinh (05 working days) is received …
    let late = service
        .receive_dossier(1, Some("Phạm Quốc Đạt".into()), reception("1.004884", "Lê Thị Ế", Title::Ba, None, clock.now()))
        .await
        .unwrap();
    // Thursday 5 March: seven citizens take a number for A before 08:12, two for B.
    clock.set(vn(2026, 3, 5, 7, 5));
    for _ in 0..7 {
        service.issue("A", None).await.unwrap();
    }
    for _ in 0..2 {
        service.issue("B", None).await.unwrap();
    }
    clock.set(vn(2026, 3, 5, 8, 12));
    let ticket = service.issue("A", None).await.unwrap();
    assert_eq!(ticket.printed, Some(true));
    out.push(("ticket", last_printed(&paper, "ticket", "png")));
    clock.set(vn(2026, 3, 5, 8, 14));
    service.issue("B", Some("elderly")).await.unwrap();
    out.push(("ticket-priority", last_printed(&paper, "ticket", "png")));
    // 08:37: a birth registration at counter 01 (the same day, before the 15:00 cut-off).
    clock.set(vn(2026, 3, 5, 8, 37));
    let officer = Some("Trần Thị Bích Ngọc".to_string());
    service.receive_dossier(1, officer.clone(), reception("1.001193", "Nguyễn Văn An", Title::Ong, None, clock.now())).await.unwrap();
    out.push(("receipt", last_printed(&paper, "receipt", "png")));
    // 08:50: a marriage whose conditions must be verified: up to 05 working days.
    clock.set(vn(2026, 3, 5, 8, 50));
    service.receive_dossier(1, officer, reception("1.000894", "Trần Văn Bình", Title::Ong, Some("xac_minh"), clock.now())).await.unwrap();
    out.push(("receipt-verification", last_printed(&paper, "receipt", "png")));
    // 09:05: a parent prints the checklist of Đăng ký khai sinh at the kiosk.
    clock.set(vn(2026, 3, 5, 9, 5));
    assert!(service.print_checklist("1.001193").await.unwrap());
    out.push(("checklist", last_printed(&paper, "checklist", "png")));
    // 10:00: the re-registration of 2 March cannot be finished by Monday 9 March: the one
    // rescheduling, to Wednesday 11 March 16:00, with the apology notice.
    clock.set(vn(2026, 3, 5, 10, 0));
    let (_, printed) = service
        .reschedule_dossier(
            &late.code,
            vn(2026, 3, 11, 16, 0),
            "Cần xác minh thông tin đăng ký khai sinh trước đây tại nơi đã đăng ký.",
            None,
        )
        .await
        .unwrap();
    assert!(printed);
    out.push(("late-notice", last_printed(&paper, "late-notice", "png")));
    (out, dir)
}

fn docs_receipts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/receipts")
}

/// The QR codes of a page with their bounding boxes (x0, y0, x1, y1).
fn qr_codes(page: &Bitmap) -> Vec<(String, (i32, i32, i32, i32))> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
        if page.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids()
        .into_iter()
        .filter_map(|g| {
            let xs = g.bounds.iter().map(|p| p.x);
            let ys = g.bounds.iter().map(|p| p.y);
            let bbox = (xs.clone().min()?, ys.clone().min()?, xs.max()?, ys.max()?);
            g.decode().ok().map(|(_, text)| (text, bbox))
        })
        .collect()
}

/// Dots that differ between `golden` and `page`, outside `allowed` boxes (grown by a margin).
fn differing(golden: &Bitmap, page: &Bitmap, allowed: &[(i32, i32, i32, i32)]) -> usize {
    let inside = |x: i32, y: i32| allowed.iter().any(|&(x0, y0, x1, y1)| x >= x0 - 8 && x <= x1 + 8 && y >= y0 - 8 && y <= y1 + 8);
    (0..page.height())
        .flat_map(|y| (0..page.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| golden.get(x, y) != page.get(x, y) && !inside(x as i32, y as i32))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipts_in_docs_are_what_the_service_prints() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut printers = vec![];
    for (profile, width) in [("epson-tm-t20", 576), ("epson-tm-t88", 512), ("generic-58", 384)] {
        let mut p = printer::PrinterConfig::virtual_default();
        p.profile = Some(profile.into());
        printers.push((p, width, ""));
    }
    let mut text = printer::PrinterConfig::virtual_default();
    text.profile = Some("epson-tm-t20".into());
    text.text_mode = Some("tcvn3".into());
    printers.push((text, 576, "-text-tcvn3"));

    for (config, width, mode) in printers {
        let (printed, _dir) = a_morning(config).await;
        for (name, path) in printed {
            if !mode.is_empty() && name != "ticket" {
                continue;
            }
            let golden_path = docs_receipts().join(format!("{name}-{width}{mode}.png"));
            let bytes = std::fs::read(&path).unwrap();
            let page = Bitmap::read_png(&bytes).unwrap();
            assert_eq!(page.width(), width, "{name}: printed at {} dots", page.width());
            if update {
                std::fs::write(&golden_path, &bytes).unwrap();
                continue;
            }
            let golden = Bitmap::read_png(&std::fs::read(&golden_path).unwrap_or_else(|_| panic!("missing {golden_path:?}"))).unwrap();
            assert_eq!((golden.width(), golden.height()), (page.width(), page.height()), "{golden_path:?}: size differs");
            // A ticket's QR carries its random id, a dossier slip's the random key that proves the
            // citizen holds it (docs/SECURITY.md): that square may differ, nothing else.
            let qr = qr_codes(&page);
            assert_eq!(qr.len(), 1, "{name}@{width}{mode}: one readable QR");
            let random_in = match name {
                n if n.starts_with("ticket") => Some("http://192.168.1.10:8080/t/"),
                n if n.starts_with("receipt") => Some("http://192.168.1.10:8080/d/"),
                _ => None,
            };
            let allowed: Vec<_> = match random_in {
                Some(page_of) => {
                    assert!(qr[0].0.starts_with(page_of), "{name}: {}", qr[0].0);
                    qr.iter().chain(qr_codes(&golden).iter()).map(|(_, b)| *b).collect()
                }
                None => vec![],
            };
            let n = differing(&golden, &page, &allowed);
            assert_eq!(n, 0, "{name}@{width}{mode}: {n} dots differ from {golden_path:?} (UPDATE_GOLDEN=1 to refresh, then look)");
        }
    }
}

/// Every printed document read back as text (the printer's TCVN-3 text mode, decoded by the
/// virtual printer), one line per printed line.
async fn read_back() -> Vec<(&'static str, String)> {
    let mut p = printer::PrinterConfig::virtual_default();
    p.profile = Some("epson-tm-t20".into());
    p.text_mode = Some("cp1258".into());
    let (printed, _dir) = a_morning(p).await;
    printed.into_iter().map(|(name, png)| (name, std::fs::read_to_string(png.with_extension("txt")).unwrap().replace('\n', " "))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_paper_says() {
    let paper = read_back().await;
    if std::env::var_os("SHOW_PAPER").is_some() {
        for (n, t) in &paper {
            eprintln!("== {n}: {t}");
        }
    }
    let text = |name: &str| paper.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone()).unwrap();
    let has = |name: &str, words: &[&str]| {
        let t = text(name);
        for w in words {
            assert!(t.contains(w), "{name}: {w:?} not printed in {t}");
        }
    };
    // The ticket names the counters that serve A by their numbers, on one line.
    has("ticket", &["PHIẾU SỐ THỨ TỰ", "A008", "Quầy phục vụ: 01, 02, 06", "Số người đang chờ: 7", "08:12 ngày 05/03/2026"]);
    has("ticket-priority", &["B003", "Ưu tiên: Người cao tuổi", "Quầy phục vụ: 03, 05, 06"]);
    // The slip of a birth registration: the parent's own title, the papers needed only in a
    // case marked as such, the paper only shown, the same-day promise at the day's close.
    has(
        "receipt",
        &[
            "Ông Nguyễn Văn An",
            "Chỉ khi: trường hợp trẻ bị bỏ rơi",
            "Chỉ khi: trường hợp sinh con theo phương pháp mang thai hộ",
            "xuất trình để đối chiếu",
            "08 giờ 37 phút, ngày 05 tháng 3 năm 2026",
            "17 giờ 00 phút, ngày 05 tháng 3 năm 2026",
        ],
    );
    // The marriage to verify: the slip promises the case's limit, five working days on.
    has(
        "receipt-verification",
        &["Trường hợp cần xác minh điều kiện kết hôn của hai bên: không quá 05 ngày làm việc", "08 giờ 50 phút, ngày 12 tháng 3 năm 2026"],
    );
    has("checklist", &["HỒ SƠ CẦN CHUẨN BỊ", "Mã thủ tục: 1.001193", "Chỉ khi: trường hợp trẻ bị bỏ rơi", "(xuất trình để đối chiếu)"]);
    // The late notice of TT 03/2025, to Bà Lê Thị Ế by her title.
    has("late-notice", &["VĂN BẢN XIN LỖI", "Lý do quá hạn", "Bà Lê Thị Ế", "xin lỗi Bà", "16 giờ 00 phút, ngày 11 tháng 3 năm 2026"]);
    for (name, t) in &paper {
        assert!(!t.contains("Ông/Bà"), "{name}: 'Ông/Bà' printed: {t}");
        assert!(!t.contains("Lý do chậm"), "{name}: {t}");
        assert!(!t.contains("Thương binh và Xã hội"), "{name}: {t}");
    }
}

/// A procedure whose national code is not confirmed prints "đang cập nhật", never `CXN.…`; a
/// procedure with a verification case prints both limits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placeholder_code_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = shipped();
    config.data_dir = dir.path().to_path_buf();
    let mut p = printer::PrinterConfig::virtual_default();
    p.text_mode = Some("cp1258".into());
    p.profile = Some("epson-tm-t20".into());
    config.printer = Some(p);
    let service = firmware::server::start(config, Arc::new(ManualClock::new(vn(2026, 3, 2, 9, 0)))).await.unwrap();
    let placeholder = service.catalog().procedures().iter().find(|p| p.code_is_placeholder()).expect("a placeholder in the sample").clone();
    assert!(service.print_checklist(&placeholder.code).await.unwrap());
    let text = std::fs::read_to_string(last_printed(&dir.path().join("receipts"), "checklist", "txt")).unwrap().replace('\n', " ");
    assert!(text.contains("Mã thủ tục: đang cập nhật"), "{text}");
    assert!(!text.contains(&placeholder.code), "{text}");

    // A checklist names the cases that take longer, after the ordinary limit.
    assert!(service.print_checklist("1.000894").await.unwrap());
    let text = std::fs::read_to_string(last_printed(&dir.path().join("receipts"), "checklist", "txt")).unwrap().replace('\n', " ");
    assert!(text.contains("Trường hợp cần xác minh điều kiện kết hôn của hai bên: không quá 05 ngày làm việc."), "{text}");
    assert!(text.contains("Mã thủ tục: 1.000894"), "{text}");
}
