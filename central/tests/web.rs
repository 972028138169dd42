//! central's pages as province IT and the public meet them: a real `central` process on
//! loopback, fed through the protocol like kiosks feed it, driven in a real headless Chromium
//! through chromedriver. The fleet page must show alerts first, filter by alert, refresh by
//! itself and never turn a centre's name into markup; the satisfaction page must show the
//! figures of a period and offer its CSV.
//!
//! Needs Debian's `chromium` and `chromium-driver` (SKIPPED without them, a failure under
//! scripts/test-all). Screenshots go to the test's temporary directory;
//! `UPDATE_SCREENSHOTS=1` writes them to docs/screens/ instead:
//!
//!     UPDATE_SCREENSHOTS=1 cargo test -p central --test web

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use browser_test::{click, rows, text, until_text, Browser, Client, Locator, ONE_AT_A_TIME};

use common::{Central, Kiosk, SqliteDb, ADMIN};
use serde_json::{json, Value};

/// Save the page as `name` (docs/screens/ with `UPDATE_SCREENSHOTS=1`).
async fn screenshot(c: &Client, name: &str) {
    browser_test::screenshot(c, Path::new(env!("CARGO_TARGET_TMPDIR")), name).await;
}

/// Blocking HTTP from the test (the central process is a child, not a task).
fn blocking<R>(f: impl FnOnce() -> R) -> R {
    tokio::task::block_in_place(f)
}

fn send(central: &Central, k: &Kiosk, body: &Value) {
    let (status, answer) = blocking(|| central.post("/api/v1/push/heartbeat", &k.token, body));
    assert_eq!(status, 200, "{answer}");
}

// --- the pages -------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_page_shows_alerts_first_filters_and_refreshes() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let db = SqliteDb::new();
    let mut hoa_phu = Kiosk::new("H41-HOAPHU-K1", 1, "000.00.17.H41").with_centre("Trung tâm Phục vụ hành chính công xã Hòa Phú");
    let mut tan_dinh = Kiosk::new("H41-TANDINH-K1", 2, "000.00.18.H41").with_centre("<img src=x id=injected>Phường Tân Định");
    let mut ea_kar = Kiosk::new("H41-EAKAR-K1", 3, "000.00.19.H41").with_centre("Trung tâm xã Ea Kar");
    let silent = Kiosk::new("H41-KRONGPAC-K1", 4, "000.00.20.H41");
    let central = blocking(|| Central::start(&db, &[&hoa_phu, &tan_dinh, &ea_kar, &silent]));
    let body = hoa_phu.heartbeat(|hb| hb["printer"] = "paper_out".into());
    send(&central, &hoa_phu, &body);
    let body = tan_dinh.heartbeat(|hb| hb["disk_free_bytes"] = 300_000_000u64.into());
    send(&central, &tan_dinh, &body);
    let body = ea_kar.heartbeat(|hb| hb["software_version"] = "0.1.0".into());
    send(&central, &ea_kar, &body);

    let c = browser.window(1600, 1000).await;
    c.goto(&format!("{}/fleet", central.base)).await.unwrap();
    // Asked for the token first; a wrong one is said so.
    c.wait().at_most(Duration::from_secs(5)).for_element(Locator::Css("#login:not([hidden]) #token")).await.unwrap();
    c.find(Locator::Css("#token")).await.unwrap().send_keys("not-the-token").await.unwrap();
    click(&c, "#login-submit").await;
    until_text(&c, "#error", "Mã truy cập không đúng", Duration::from_secs(5)).await;
    c.find(Locator::Css("#token")).await.unwrap().send_keys(ADMIN).await.unwrap();
    click(&c, "#login-submit").await;
    until_text(&c, "#registered", "4", Duration::from_secs(5)).await;
    assert_eq!(text(&c, "#online").await, "3");
    assert_eq!(text(&c, "#newest-version").await, "0.2.0");

    // Alerts first, most urgent first: paper out, disk, old version, never seen.
    let alerts = rows(&c, "alerts").await;
    let summary: Vec<(&str, &str)> = alerts.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(
        summary,
        [
            ("Máy in hết giấy", "H41-HOAPHU-K1"),
            ("Sắp hết dung lượng đĩa", "H41-TANDINH-K1"),
            ("Phần mềm chưa cập nhật", "H41-EAKAR-K1"),
            ("Chưa từng kết nối", "H41-KRONGPAC-K1"),
        ]
    );
    assert!(alerts[1][3].contains("còn 300 MB"), "{alerts:?}");
    let kiosks = rows(&c, "kiosks").await;
    assert_eq!(kiosks[0][0], "H41-HOAPHU-K1");
    assert_eq!((kiosks[0][2].as_str(), kiosks[0][6].as_str()), ("Trực tuyến", "Hết giấy"));
    assert_eq!(kiosks[0][9], "0", "outbox");
    assert_eq!(kiosks[0][10], "A: 3 · B: 0");
    assert_eq!((kiosks[3][0].as_str(), kiosks[3][2].as_str(), kiosks[3][3].as_str()), ("H41-KRONGPAC-K1", "Mất kết nối", "chưa bao giờ"));
    // A centre name is text, never markup.
    assert_eq!(kiosks[1][1], "<img src=x id=injected>Phường Tân Định");
    assert_eq!(c.execute("return document.getElementById('injected') === null", vec![]).await.unwrap(), json!(true));
    screenshot(&c, "central-fleet.png").await;

    // Filter by alert: only those kiosks; back to all.
    click(&c, "#filters button[data-alert='disk_low']").await;
    let filtered = rows(&c, "kiosks").await;
    assert_eq!(filtered.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["H41-TANDINH-K1"]);
    assert_eq!(rows(&c, "alerts").await.len(), 1);
    let url = c.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("alert=disk_low"));
    click(&c, "#filters button[data-alert='']").await;
    assert_eq!(rows(&c, "kiosks").await.len(), 4);

    // Paper put in at Hòa Phú: the page sees it by itself within its refresh (15 s).
    let body = hoa_phu.heartbeat(|_| {});
    send(&central, &hoa_phu, &body);
    until_text(&c, "#kiosks tbody tr[data-kiosk='H41-HOAPHU-K1'] td:nth-child(7)", "Sẵn sàng", Duration::from_secs(20)).await;
    assert_eq!(rows(&c, "alerts").await.len(), 3);

    // The token stays for the tab: a reload goes straight to the board.
    c.refresh().await.unwrap();
    until_text(&c, "#registered", "4", Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_satisfaction_page_shows_a_period_and_its_csv() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let db = SqliteDb::new();
    let mut a = Kiosk::new("H41-HOAPHU-K1", 1, "000.00.17.H41").with_centre("Trung tâm xã Hòa Phú");
    let mut b = Kiosk::new("H41-TANDINH-K1", 2, "000.00.18.H41").with_centre("Trung tâm phường Tân Định");
    let central = blocking(|| Central::start(&db, &[&a, &b]));
    let links_a = vec![
        a.rate_at("rat_hai_long", Some("A"), "2026-03-05T08:00:00+07:00"),
        a.rate_at("hai_long", Some("A"), "2026-03-05T08:10:00+07:00"),
        a.rate_at("hai_long", Some("B"), "2026-03-06T08:10:00+07:00"),
        a.rate_at("khong_hai_long", Some("A"), "2026-04-02T08:00:00+07:00"),
    ];
    let links_b = vec![b.rate_at("khong_hai_long", Some("A"), "2026-03-10T10:00:00+07:00")];
    blocking(|| {
        assert_eq!(central.push(&a.token, &a.batch(&links_a)).0, 200);
        assert_eq!(central.push(&b.token, &b.batch(&links_b)).0, 200);
    });
    for k in [&mut a, &mut b] {
        let body = k.heartbeat(|_| {});
        send(&central, k, &body);
    }

    let c = browser.window(1400, 900).await;
    c.goto(&format!("{}/", central.base)).await.unwrap();
    until_text(&c, "#centres tbody", "Trung tâm xã Hòa Phú", Duration::from_secs(5)).await;
    let centres = rows(&c, "centres").await;
    assert_eq!(centres[0], ["000.00.17.H41", "Trung tâm xã Hòa Phú", "4", "1", "2", "1", "75,0 %"]);
    assert_eq!(centres[1][6], "0,0 %");
    let months = rows(&c, "rows").await;
    assert_eq!(months[0], ["2026-03", "Trung tâm xã Hòa Phú", "A – Hộ tịch – Chứng thực", "2", "1", "1", "0", "100,0 %"]);
    assert_eq!(months.len(), 4);
    screenshot(&c, "central-satisfaction.png").await;

    // April only, one centre: the tables and the CSV link follow.
    c.execute(
        "document.getElementById('from').value = '2026-04-01'; document.getElementById('to').value = '2026-04-30';\
         document.getElementById('centre').value = '000.00.17.H41';",
        vec![],
    )
    .await
    .unwrap();
    click(&c, "#period button[type='submit']").await;
    // The March table already shows "0,0 %" (Tân Định): wait for the April one to replace it.
    let start = Instant::now();
    while rows(&c, "centres").await.len() != 1 {
        assert!(start.elapsed() < Duration::from_secs(5), "the period's table never came: {:?}", rows(&c, "centres").await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(rows(&c, "centres").await, [["000.00.17.H41", "Trung tâm xã Hòa Phú", "1", "0", "0", "1", "0,0 %"]]);
    assert_eq!(rows(&c, "rows").await.len(), 1);
    let href = c.find(Locator::Css("#csv")).await.unwrap().attr("href").await.unwrap().unwrap();
    assert_eq!(href, "/api/v1/satisfaction.csv?from=2026-04-01&to=2026-04-30&centre=000.00.17.H41");
    let (status, csv) = blocking(|| central.get(&href, None));
    assert_eq!(status, 200);
    assert!(csv.contains("\r\n000.00.17.H41,Trung tâm xã Hòa Phú,A,Hộ tịch – Chứng thực,2026-04,1,0,0,1,0.0\r\n"), "{csv}");
}
