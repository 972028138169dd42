//! The counter page and the hall display, tested as staff and citizens meet them: served by a
//! real kiosk service over HTTP, driven in a real headless Chromium through chromedriver.
//! Tickets are issued through the API; an officer logs in on /counter and presses the buttons
//! (and keys); the display must show each call and each change within a second, and speak the
//! calls one after the other.
//!
//! The browser tests need Debian's `chromium` and `chromium-driver` (scripts/lib/deps.sh
//! installs them) and say SKIPPED when they are absent. Screenshots go to the test's temporary
//! directory; `UPDATE_SCREENSHOTS=1` writes them to docs/screens/ instead:
//!
//!     UPDATE_SCREENSHOTS=1 cargo test -p firmware --test web

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use browser_test::{click, press, text, until_js, until_text, Browser, Client, Locator, ONE_AT_A_TIME};

use chrono::{FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::Config;
use serde_json::{json, Value};

// --- a kiosk service on a real port --------------------------------------------------------------

struct Site {
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

/// The shipped configuration on a fresh database, Monday 2 March 2026 09:00 in Hà Nội.
async fn site_with(edit: impl FnOnce(&mut Config)) -> Site {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.http.tickets_per_minute_per_client = 1000;
    config.printer = None;
    edit(&mut config);
    let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let service = firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(firmware::server::serve(service, listener, async move {
        let _ = stopped.await;
    }));
    Site { base, _stop: stop, _dir: dir }
}

async fn site() -> Site {
    site_with(|_| {}).await
}

/// A plain HTTP answer: status, content type, body.
struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl Site {
    async fn request(&self, method: &'static str, path: &str, token: Option<String>, body: Option<Value>) -> Answer {
        let url = format!("{}{path}", self.base);
        tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let mut resp = match method {
                "GET" => agent.get(&url).call(),
                _ => {
                    let mut req = agent.post(&url);
                    if let Some(t) = token {
                        req = req.header("Authorization", &format!("Bearer {t}"));
                    }
                    match body {
                        Some(b) => req.send_json(&b),
                        None => req.send_empty(),
                    }
                }
            }
            .unwrap();
            let headers =
                resp.headers().iter().map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect::<Vec<_>>();
            let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let body = resp.body_mut().read_to_vec().unwrap();
            Answer { status: resp.status().as_u16(), content_type, headers, body }
        })
        .await
        .unwrap()
    }

    async fn get(&self, path: &str) -> Answer {
        self.request("GET", path, None, None).await
    }

    async fn issue(&self, service: &str) -> String {
        let a = self.request("POST", "/api/v1/tickets", None, Some(json!({"service": service, "priority": null}))).await;
        assert_eq!(a.status, 201, "{}", a.text());
        a.json()["number"].as_str().unwrap().to_string()
    }

    async fn login(&self, counter: u32) -> String {
        let pin = counter.to_string().repeat(4);
        let a = self.request("POST", &format!("/api/v1/counters/{counter}/login"), None, Some(json!({"pin": pin}))).await;
        assert_eq!(a.status, 200, "{}", a.text());
        a.json()["token"].as_str().unwrap().to_string()
    }

    async fn staff(&self, counter: u32, action: &str, token: &str) -> Answer {
        self.request("POST", &format!("/api/v1/counters/{counter}/{action}"), Some(token.to_string()), None).await
    }
}

// --- served without a browser ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_assets_are_served_with_a_strict_policy() {
    let s = site().await;
    for page in ["/counter", "/display"] {
        let a = s.get(page).await;
        assert_eq!(a.status, 200, "{page}");
        assert!(a.content_type.starts_with("text/html"), "{page}: {}", a.content_type);
        let csp = a.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
        assert_eq!(a.header("x-frame-options"), Some("DENY"));
        let html = a.text();
        assert!(html.contains("Trung tâm Phục vụ hành chính công xã Nhân Hòa"), "{page} names the centre");
        assert!(!html.contains("{{"), "{page}: a placeholder was left");
        assert!(
            !html.contains("<script>") && !html.contains("http://") && !html.contains("https://"),
            "{page}: inline script or an outside URL"
        );
    }
    for (asset, kind) in
        [("app.css", "text/css"), ("common.js", "text/javascript"), ("counter.js", "text/javascript"), ("display.js", "text/javascript")]
    {
        let a = s.get(&format!("/assets/{asset}")).await;
        assert_eq!(a.status, 200, "{asset}");
        assert!(a.content_type.starts_with(kind), "{asset}: {}", a.content_type);
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
    }
    let a = s.get("/assets/secret.toml").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["error"]["code"], "not_found");
}

/// Every HTML page, however it is made, gets the same headers, and none needs inline script or
/// style to work under them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_the_same_security_headers() {
    let s = site().await;
    let a = s.request("POST", "/api/v1/tickets", None, Some(json!({"service": "A", "priority": null}))).await;
    let id = a.json()["id"].as_str().unwrap().to_string();
    let pages = ["/counter", "/display", "/admin", &format!("/t/{id}"), "/t/unknown", "/d/000.00.17.H41-260302-0001"];
    for page in pages {
        let a = s.get(page).await;
        assert!(a.content_type.starts_with("text/html"), "{page}: {}", a.content_type);
        let csp = a.header("content-security-policy").unwrap_or_default();
        for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{page}: {csp}");
        }
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{page}");
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{page}");
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{page}");
        let html = a.text();
        assert!(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style="), "{page}: inline script or style");
    }
    let t = s.get(&format!("/t/{id}")).await;
    assert!(t.text().contains("<h1>A001</h1>") && t.text().contains("/assets/citizen.css"), "{}", t.text());
    assert!(s.get("/assets/citizen.css").await.content_type.starts_with("text/css"));
    assert!(s.get("/admin").await.text().contains("/assets/admin.js"));
    assert!(s.get("/assets/admin.js").await.content_type.starts_with("text/javascript"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centre_name_is_escaped_in_pages() {
    let s = site_with(|c| c.centre.name = "<script>alert('x')</script> Hòa & Phú".into()).await;
    let html = s.get("/display").await.text();
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Hòa &amp; Phú"), "{html}");
    assert!(!html.contains("<script>alert"));
}

/// Data reaches the page only through textContent: no script may build markup from strings.
#[test]
fn scripts_never_write_markup() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/assets");
    for file in
        ["common.js", "counter.js", "display.js", "admin.js", "reception.js", "printer-status.js", "help-alert.js", "rate.js", "notify.js"]
    {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
            assert!(!code.contains(sink), "{file} uses {sink}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcement_lists_clips_that_are_served() {
    let s = site().await;
    let a = s.get("/api/v1/announcements/A025?counter=3").await;
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    assert_eq!(v["text"], "Xin mời số thứ tự A, không hai mươi lăm, đến quầy số ba.");
    let clips: Vec<&str> = v["clips"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(clips[0], "/voice/chime.wav");
    assert_eq!(clips.iter().filter(|c| **c == "/voice/invite.wav").count(), 2, "said twice");
    let mut distinct = clips.clone();
    distinct.sort();
    distinct.dedup();
    for clip in distinct {
        let w = s.get(clip).await;
        assert_eq!(w.status, 200, "{clip}");
        assert_eq!(w.content_type, "audio/wav", "{clip}");
        assert_eq!(&w.body[..4], b"RIFF", "{clip}");
    }

    let bad = s.get("/api/v1/announcements/a025?counter=3").await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (422, Some("malformed_number")));
    let bad = s.get("/api/v1/announcements/A025?counter=99").await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (404, Some("unknown_counter")));
    let bad = s.get("/api/v1/announcements/A025").await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (400, Some("bad_query")));
    // What a kiosk says when it issues the number, with clips from the same bank.
    let k = s.get("/api/v1/announcements/A005/kiosk").await;
    assert_eq!(k.status, 200, "{}", k.text());
    assert_eq!(k.json()["text"], "Số của quý khách là A, không không năm. Mời quý khách chờ gọi số tại khu vực chờ.");
    let clips: Vec<String> = k.json()["clips"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(clips.first().map(String::as_str), Some("/voice/ticket-is.wav"));
    assert_eq!(clips.last().map(String::as_str), Some("/voice/please-wait.wav"));
    for clip in &clips {
        assert_eq!(s.get(clip).await.status, 200, "{clip}");
    }
    let bad = s.get("/api/v1/announcements/a5/kiosk").await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (422, Some("malformed_number")));

    let bad = s.get("/voice/nothing.wav").await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (404, Some("unknown_clip")));
    let bad = s.get("/voice/chime.mp3").await;
    assert_eq!(bad.status, 404);
}

/// A northern centre's wording (issue 15): "linh", and its own sentences.
fn northern(c: &mut Config) {
    use firmware::voice::{Template, Voice, ZeroTens};
    c.voice = Voice {
        zero_tens: ZeroTens::Linh,
        call: Template::parse("Mời công dân có số thứ tự {number} đến {counter}", Voice::CALL_SLOTS).unwrap(),
        ticket: Template::parse("Xin cảm ơn. Số của quý khách là {number}.", Voice::TICKET_SLOTS).unwrap(),
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_follow_the_centre_s_voice() {
    let s = site_with(northern).await;
    let a = s.get("/api/v1/announcements/A105?counter=3").await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["text"], "Mời công dân có số thứ tự A, một trăm linh năm đến quầy số ba");
    let clips: Vec<String> = a.json()["clips"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert!(clips.contains(&"/voice/linh.wav".to_string()), "{clips:?}");
    assert!(!clips.contains(&"/voice/odd.wav".to_string()), "{clips:?}");
    assert!(!clips.contains(&"/voice/invite.wav".to_string()), "the centre's sentence, not the shipped one: {clips:?}");
    assert_eq!(clips.iter().filter(|c| *c == "/voice/w-cong-dan.wav").count(), 2, "said twice: {clips:?}");
    let k = s.get("/api/v1/announcements/A105/kiosk").await;
    assert_eq!(k.json()["text"], "Xin cảm ơn. Số của quý khách là A, một trăm linh năm.");
}

// --- in a real browser -----------------------------------------------------------------------

async fn log_in(c: &Client, base: &str, counter: u32, pin: &str) {
    c.goto(&format!("{base}/counter")).await.unwrap();
    let option = format!("#counter option[value='{counter}']");
    c.wait().at_most(Duration::from_secs(5)).for_element(Locator::Css(&option)).await.unwrap();
    click(c, &option).await;
    c.find(Locator::Css("#pin")).await.unwrap().send_keys(pin).await.unwrap();
    click(c, "#login-submit").await;
}

/// Save the page as `name` (docs/screens/ with `UPDATE_SCREENSHOTS=1`).
async fn screenshot(c: &Client, name: &str) {
    browser_test::screenshot(c, Path::new(env!("CARGO_TARGET_TMPDIR")), name).await;
}

const SECOND: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counter_actions_show_on_the_hall_display() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(|c| c.printer = Some(printer::PrinterConfig::virtual_default())).await;
    let a1 = s.issue("A").await;
    let a2 = s.issue("A").await;
    assert_eq!((a1.as_str(), a2.as_str()), ("A001", "A002"));

    let display = browser.window(1920, 1080).await;
    display.goto(&format!("{}/display", s.base)).await.unwrap();
    until_js(&display, "return document.getElementById('link').dataset.state === 'live'", Duration::from_secs(5)).await;
    // The board's clock is the centre's (Monday 2 March 2026, 09:00 in Hà Nội), not the browser's.
    until_text(&display, "#date", "Thứ Hai, 02/03/2026", Duration::from_secs(5)).await;
    until_text(&display, "#time", "09:0", Duration::from_secs(5)).await;
    let counter = browser.window(1280, 800).await;
    log_in(&counter, &s.base, 1, "1111").await;
    until_text(&counter, "#who", "Quầy số 01", Duration::from_secs(5)).await;
    until_text(&counter, "#waiting tr[data-service='A'] .count", "2", Duration::from_secs(5)).await;

    // Gọi số tiếp theo → the display shows the number and the counter within a second, flashing.
    click(&counter, "#btn-next").await;
    let took = until_text(&display, "#featured-number", "A001", SECOND).await;
    until_text(&display, "#featured-counter", "Quầy số 01", SECOND).await;
    eprintln!("call shown on the display after {took:?}");
    let flashing = display.execute("return document.getElementById('featured').classList.contains('flash')", vec![]).await.unwrap();
    assert_eq!(flashing, json!(true), "a new call flashes");
    until_text(&display, "#counters [data-counter='1'] .number", "A001", SECOND).await;
    until_text(&counter, "#current-number", "A001", SECOND).await;
    until_text(&counter, "#current-status", "Đã gọi", SECOND).await;

    // Gọi lại, by its key.
    press(&counter, "r").await;
    until_text(&display, "#featured-status", "Gọi lại", SECOND).await;
    until_text(&counter, "#message", "Đã gọi lại số A001", SECOND).await;

    // Both announcements are spoken in full, one after the other.
    let log = until_js(&display, "return window.voiceLog.length >= 2 && window.voiceLog", Duration::from_secs(5)).await;
    let (first, second) = (&log[0], &log[1]);
    assert_eq!(first["text"], "Xin mời số thứ tự A, không không một, đến quầy số một.", "{log}");
    assert_eq!(second["number"], "A001", "{log}");
    assert!(first.get("skipped").is_none(), "the display could not play sound: {log}");
    let (end1, start2) = (first["end"].as_f64().unwrap(), second["start"].as_f64().unwrap());
    assert!(start2 >= end1, "the recall started at {start2} s, before the call ended at {end1} s: {log}");
    assert!(end1 - first["start"].as_f64().unwrap() > 5.0, "chime and the sentence twice take seconds: {log}");
    until_text(&display, "#spoken", "đến quầy số một", SECOND).await;

    // Bắt đầu phục vụ, then Chuyển dịch vụ to B.
    click(&counter, "#btn-start").await;
    until_text(&display, "#featured-status", "Đang phục vụ", SECOND).await;
    until_text(&counter, "#current-status", "Đang phục vụ", SECOND).await;
    press(&counter, "t").await;
    click(&counter, "#transfer-services button[data-service='B']").await;
    until_text(&display, "#featured-status", "Chuyển sang dịch vụ B", SECOND).await;
    until_text(&display, "#counters [data-counter='1'] .number", "—", SECOND).await;
    until_text(&counter, "#message", "Đã chuyển số A001 sang dịch vụ B", SECOND).await;

    // Enter calls the next number; Vắng mặt marks it.
    press(&counter, "\u{E007}").await;
    until_text(&display, "#featured-number", "A002", SECOND).await;
    until_text(&counter, "#current-number", "A002", SECOND).await;
    until_text(&display, "#recent tr[data-number='A001'] .status", "Chuyển sang dịch vụ B", SECOND).await;
    click(&counter, "#btn-no-show").await;
    until_text(&display, "#featured-status", "Vắng mặt", SECOND).await;
    until_text(&counter, "#message", "Số A002: vắng mặt", SECOND).await;

    // Nobody left for counter 1: the counter says so.
    click(&counter, "#btn-next").await;
    until_text(&counter, "#message", "Không còn ai đang chờ", SECOND).await;
    until_text(&counter, "#waiting tr[data-service='A'] .count", "0", SECOND).await;

    // Hoàn thành. The counter page follows the queue live.
    let a3 = s.issue("A").await;
    until_text(&counter, "#waiting tr[data-service='A'] .count", "1", SECOND).await;
    click(&counter, "#btn-next").await;
    until_text(&display, "#featured-number", &a3, SECOND).await;
    until_text(&counter, "#current-number", &a3, SECOND).await;
    click(&counter, "#btn-finish").await;
    until_text(&display, "#featured-status", "Hoàn thành", SECOND).await;
    until_text(&counter, "#message", "Đã hoàn thành số A003", SECOND).await;
    until_text(&display, "#recent tr[data-number='A002'] .status", "Vắng mặt", SECOND).await;
    until_text(&counter, "#today tr[data-figure='done'] .count", "1", SECOND).await;
    until_text(&counter, "#today tr[data-figure='no_show'] .count", "1", SECOND).await;
    until_text(&counter, "#today tr[data-figure='called'] .count", "3", SECOND).await;

    // A busy morning for the screenshots: other counters call through the API.
    for service in ["A", "A", "B", "B", "C", "D", "E", "F", "B", "C"] {
        s.issue(service).await;
    }
    for n in [2, 3, 4, 5] {
        let token = s.login(n).await;
        assert_eq!(s.staff(n, "call-next", &token).await.status, 200);
    }
    // Counter 2 took A004; counter 1 gets the next A.
    click(&counter, "#btn-next").await;
    until_text(&display, "#featured-number", "A005", SECOND).await;
    until_text(&counter, "#current-number", "A005", SECOND).await;
    until_text(&counter, "#waiting tr[data-service='A'] .count", "0", SECOND).await;
    screenshot(&counter, "counter.png").await;
    // Let the flashing end so that the picture shows the board at rest.
    until_js(&display, "return !document.querySelector('.flash')", Duration::from_secs(15)).await;
    screenshot(&display, "display.png").await;
}

/// Two calls a moment apart: the board shows the second at once, while the caption shows the
/// call being spoken — the first — until its turn ends; then the second; then nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caption_is_the_call_being_spoken() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(|c| {
        northern(c);
        c.services.iter_mut().find(|x| x.code == "A").unwrap().first_number = 105;
    })
    .await;
    let (a, b) = (s.issue("A").await, s.issue("B").await);
    assert_eq!((a.as_str(), b.as_str()), ("A105", "B001"));
    let display = browser.window(1920, 1080).await;
    display.goto(&format!("{}/display", s.base)).await.unwrap();
    until_js(&display, "return document.getElementById('link').dataset.state === 'live'", Duration::from_secs(5)).await;

    let (one, three) = (s.login(1).await, s.login(3).await);
    assert_eq!(s.staff(1, "call-next", &one).await.status, 200);
    until_js(&display, "return document.getElementById('spoken').dataset.number === 'A105'", Duration::from_secs(5)).await;
    assert_eq!(s.staff(3, "call-next", &three).await.status, 200);
    until_text(&display, "#featured-number", "B001", SECOND).await;
    let caption = text(&display, "#spoken").await;
    assert_eq!(caption, "Mời công dân có số thứ tự A, một trăm linh năm đến quầy số một", "the board shows B001");

    // The first call lasts seconds (chime, sentence twice); then B001 has its turn.
    let log = until_js(&display, "return window.voiceLog.length >= 2 && window.voiceLog", Duration::from_secs(5)).await;
    let switched =
        until_text(&display, "#spoken", "Mời công dân có số thứ tự Bê, không không một đến quầy số ba", Duration::from_secs(15)).await;
    let number = display.execute("return document.getElementById('spoken').dataset.number", vec![]).await.unwrap();
    assert_eq!(number, json!("B001"), "{log}");
    let (end1, start2) = (log[0]["end"].as_f64().unwrap(), log[1]["start"].as_f64().unwrap());
    assert!(start2 >= end1 && switched > Duration::from_secs(3), "switched after {switched:?}: {log}");
    // When the hall is quiet again the caption is empty.
    until_js(&display, "return document.getElementById('spoken').textContent === ''", Duration::from_secs(15)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_is_refused_and_data_stays_text() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(|c| c.services[0].name_vi = "<img src=x id=injected>Hộ tịch".into()).await;
    let c = browser.window(1024, 768).await;

    log_in(&c, &s.base, 2, "0000").await;
    until_text(&c, "#login-error", "Sai mã PIN", SECOND * 3).await;
    let state = c
        .execute("return [document.getElementById('work').hidden, sessionStorage.getItem('kiosk.counter.session')]", vec![])
        .await
        .unwrap();
    assert_eq!(state, json!([true, null]), "no session after a wrong PIN");

    // English, and back.
    click(&c, "#lang").await;
    until_text(&c, "#login h1", "Counter login", SECOND).await;
    click(&c, "#lang").await;
    until_text(&c, "#login h1", "Đăng nhập quầy", SECOND).await;

    c.find(Locator::Css("#pin")).await.unwrap().send_keys("2222").await.unwrap();
    click(&c, "#login-submit").await;
    until_text(&c, "#who", "Quầy số 02", SECOND * 3).await;
    until_text(&c, "#waiting tr[data-service='A'] .name", "<img src=x id=injected>Hộ tịch", SECOND * 3).await;
    let injected = c.execute("return document.getElementById('injected') === null", vec![]).await.unwrap();
    assert_eq!(injected, json!(true), "a service name became markup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_display_polls_when_the_event_stream_is_blocked() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site().await;
    let display = browser.window(1920, 1080).await;
    // A proxy or firewall on the centre's LAN that breaks long-lived streams.
    browser.devtools(&display, "Network.enable", json!({})).await;
    browser.devtools(&display, "Network.setBlockedURLs", json!({"urls": ["*/api/v1/events*"]})).await;
    display.goto(&format!("{}/display", s.base)).await.unwrap();
    until_js(&display, "return document.getElementById('link').dataset.state === 'polling'", Duration::from_secs(10)).await;

    let number = s.issue("B").await;
    let token = s.login(3).await;
    assert_eq!(s.staff(3, "call-next", &token).await.status, 200);
    // Polled every 3 s: the call still reaches the board, flashing and spoken.
    until_text(&display, "#featured-number", &number, Duration::from_secs(5)).await;
    until_text(&display, "#featured-counter", "Quầy số 03", SECOND).await;
    until_text(&display, "#counters [data-counter='3'] .number", &number, SECOND).await;
    let log = until_js(&display, "return window.voiceLog.length >= 1 && window.voiceLog", Duration::from_secs(5)).await;
    assert_eq!(log[0]["text"], "Xin mời số thứ tự Bê, không không một, đến quầy số ba.", "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_is_received_from_the_counter_page() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(|c| c.printer = Some(printer::PrinterConfig::virtual_default())).await;
    let counter = browser.window(1280, 1100).await;
    log_in(&counter, &s.base, 3, "3333").await;
    until_text(&counter, "#who", "Quầy số 03", Duration::from_secs(5)).await;

    // The officer types part of the name; the catalogue suggests the procedure.
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().send_keys("dang ky thuong tru").await.unwrap();
    until_js(
        &counter,
        "return [...document.querySelectorAll('#rc-procedures option')].some(o => o.value === '1.004222')",
        Duration::from_secs(5),
    )
    .await;
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().clear().await.unwrap();
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().send_keys("1.004222").await.unwrap();
    // Thường trú has one time limit: no case to choose.
    until_text(&counter, "#rc-preview", "Đăng ký thường trú — hẹn trả 09:00 11/03/2026", Duration::from_secs(5)).await;
    assert_eq!(counter.execute("return document.getElementById('rc-variant-row').hidden", vec![]).await.unwrap(), json!(true));
    click(&counter, "#rc-title option[value='Bà']").await;
    counter.find(Locator::Css("#rc-name")).await.unwrap().send_keys("Nguyễn Thị Lan").await.unwrap();
    click(&counter, "#rc-submit").await;
    until_text(&counter, "#rc-result", "đã in giấy hẹn", Duration::from_secs(5)).await;
    let result = text(&counter, "#rc-result").await;
    assert!(result.contains("Mã hồ sơ 000.00.17.H41-260302-0001 — hẹn trả 09:00 11/03/2026"), "{result}");

    // Kết hôn: the same day, or 05 working days when the officer must verify. The officer
    // chooses the case; the page shows the date the slip will promise, and the slip promises it.
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().clear().await.unwrap();
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().send_keys("1.000894").await.unwrap();
    until_js(&counter, "return !document.getElementById('rc-variant-row').hidden", Duration::from_secs(5)).await;
    until_text(&counter, "#rc-preview", "Đăng ký kết hôn — hẹn trả 17:00 02/03/2026", Duration::from_secs(5)).await;
    let options = counter
        .execute("return [...document.querySelectorAll('#rc-variant option')].map(o => o.value + '|' + o.textContent)", vec![])
        .await
        .unwrap();
    assert_eq!(options[1], "xac_minh|Trường hợp cần xác minh điều kiện kết hôn của hai bên: Không quá 05 ngày làm việc.", "{options}");
    click(&counter, "#rc-variant option[value='xac_minh']").await;
    until_text(&counter, "#rc-preview", "hẹn trả 09:00 09/03/2026", Duration::from_secs(5)).await;
    click(&counter, "#rc-title option[value='Ông']").await;
    counter.find(Locator::Css("#rc-name")).await.unwrap().send_keys("Trần Văn Bình").await.unwrap();
    click(&counter, "#rc-submit").await;
    until_text(&counter, "#rc-result", "Mã hồ sơ 000.00.17.H41-260302-0002 — hẹn trả 09:00 09/03/2026", Duration::from_secs(5)).await;
    assert_eq!(s.get("/api/v1/dossiers/000.00.17.H41-260302-0002").await.json()["due_at"], "2026-03-09T09:00:00+07:00");

    counter.execute("document.getElementById('reception').scrollIntoView()", vec![]).await.unwrap();
    let png = counter.screenshot().await.unwrap();
    let dir = browser_test::screens_dir(Path::new(env!("CARGO_TARGET_TMPDIR")));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("counter-reception.png"), png).unwrap();

    // A bad procedure is refused in the officer's words (the one table), nothing received.
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().clear().await.unwrap();
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().send_keys("9.999999").await.unwrap();
    click(&counter, "#rc-title option[value='Bà']").await;
    counter.find(Locator::Css("#rc-name")).await.unwrap().send_keys("Trần Thị Minh").await.unwrap();
    click(&counter, "#rc-submit").await;
    until_text(&counter, "#rc-result", "Không tìm thấy thủ tục này", Duration::from_secs(5)).await;
    assert!(!text(&counter, "#rc-result").await.contains("procedure"), "no English API message for the officer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officers_are_told_when_the_printer_needs_them() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    // This kiosk has no working printer: the counter page says so at once.
    let s = site().await;
    let counter = browser.window(1280, 800).await;
    log_in(&counter, &s.base, 1, "1111").await;
    until_text(&counter, "#printer-banner", "Máy in không hoạt động", Duration::from_secs(5)).await;
    // With the virtual printer ready, nothing is shown.
    let ok = site_with(|c| c.printer = Some(printer::PrinterConfig::virtual_default())).await;
    log_in(&counter, &ok.base, 1, "1111").await;
    until_js(&counter, "return document.getElementById('printer-banner').hidden", Duration::from_secs(5)).await;
    // A second kiosk of the centre runs out of paper: the banner names it (issue 22).
    let db = ok._dir.path().join("kiosk.sqlite3");
    let token = firmware::service::enroll_device_beside(&db, "Kiosk 2 (cửa Đông)", firmware::auth::unix_ms()).unwrap().unwrap();
    let a = ok.request("POST", "/api/v1/kiosks/printer", Some(token.clone()), Some(json!({"state": "paper_out"}))).await;
    assert_eq!(a.status, 200, "{}", a.text());
    until_text(&counter, "#printer-banner", "Kiosk 2 (cửa Đông): Máy in HẾT GIẤY", Duration::from_secs(5)).await;
    assert!(!text(&counter, "#printer-banner").await.contains("Kiosk chính"), "the main printer is fine");
    assert_eq!(
        counter.execute("return document.getElementById('printer-banner').className", vec![]).await.unwrap(),
        "printer-banner alarm"
    );
    ok.request("POST", "/api/v1/kiosks/printer", Some(token), Some(json!({"state": "ready"}))).await;
    until_js(&counter, "return document.getElementById('printer-banner').hidden", Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_sees_tickets_per_kiosk() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(|c| c.printer = Some(printer::PrinterConfig::virtual_default())).await;
    s.issue("A").await;
    // A second kiosk prints its own tickets (issue 22); one of them jammed.
    let db = s._dir.path().join("kiosk.sqlite3");
    let token = firmware::service::enroll_device_beside(&db, "Kiosk 2 (cửa Đông)", firmware::auth::unix_ms()).unwrap().unwrap();
    for printed in [true, false] {
        let t = s.request("POST", "/api/v1/tickets", Some(token.clone()), Some(json!({"service": "B", "prints_itself": true}))).await;
        assert_eq!(t.status, 201, "{}", t.text());
        let id = t.json()["id"].as_str().unwrap().to_string();
        let a = s.request("POST", &format!("/api/v1/tickets/{id}/printed"), Some(token.clone()), Some(json!({"printed": printed}))).await;
        assert_eq!(a.status, 200, "{}", a.text());
    }
    let admin = browser.window(1280, 1600).await;
    admin.goto(&format!("{}/admin", s.base)).await.unwrap();
    admin.find(Locator::Css("#pin")).await.unwrap().send_keys("9999").await.unwrap();
    click(&admin, "#go").await;
    // The site's day (its clock is on 2 March 2026), not the browser's.
    until_js(&admin, "return !document.getElementById('report').hidden", Duration::from_secs(5)).await;
    admin
        .execute("document.getElementById('from').value = '2026-03-02'; document.getElementById('to').value = '2026-03-02'", vec![])
        .await
        .unwrap();
    click(&admin, "#show").await;
    until_text(&admin, "#per_kiosk", "Kiosk 2 (cửa Đông)", Duration::from_secs(5)).await;
    let rows = admin
        .execute("return [...document.querySelectorAll('#per_kiosk tr')].map(r => [...r.cells].map(c => c.textContent).join('|'))", vec![])
        .await
        .unwrap();
    assert_eq!(
        rows,
        json!([
            "Kiosk|Số đã cấp / Issued|Đã in / Printed|Không in được / Not printed",
            "Kiosk chính / Main kiosk|1|1|0",
            "Kiosk 2 (cửa Đông)|2|1|1"
        ])
    );
}

/// `[notify]` towards a gateway that is not there (notices wait in the outbox; the page does not care).
fn notifying(c: &mut Config) {
    c.notify = Some(firmware::sync::notices::NotifyConfig {
        timeout: Duration::from_secs(1),
        max_retry: Duration::from_secs(60),
        ..firmware::sync::notices::NotifyConfig::webhook("http://127.0.0.1:9/sms", json!({"to": "{phone}", "text": "{text}"}))
    });
}

/// Take a number of service A; its id (the secret of its QR).
async fn ticket_id(s: &Site) -> String {
    let a = s.request("POST", "/api/v1/tickets", None, Some(json!({"service": "A", "priority": null}))).await;
    assert_eq!(a.status, 201, "{}", a.text());
    a.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_leaves_a_phone_number_on_the_ticket_s_page() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // Without [notify], the page offers nothing.
    let plain = site().await;
    let id = ticket_id(&plain).await;
    let html = plain.get(&format!("/t/{id}")).await.text();
    assert!(!html.contains("notify-phone"), "{html}");
    let Some(mut browser) = Browser::start().await else { return };
    let s = site_with(notifying).await;
    for _ in 0..5 {
        s.issue("A").await;
    }
    let id = ticket_id(&s).await;
    let phone = browser.window(400, 800).await;
    phone.goto(&format!("{}/t/{id}", s.base)).await.unwrap();
    until_text(&phone, "label[for=notify-phone]", "Nhận tin nhắn khi sắp đến lượt", Duration::from_secs(5)).await;
    // A landline is refused in the citizen's words, from the service's one table.
    phone.find(Locator::Css("#notify-phone")).await.unwrap().send_keys("024 3825 1234").await.unwrap();
    click(&phone, "#notify button").await;
    until_text(&phone, "#notify-result", "Số điện thoại chưa đúng", Duration::from_secs(5)).await;
    // A mobile number: the page shows it masked, and the threshold.
    phone.find(Locator::Css("#notify-phone")).await.unwrap().clear().await.unwrap();
    phone.find(Locator::Css("#notify-phone")).await.unwrap().send_keys("0912 345 678").await.unwrap();
    click(&phone, "#notify button").await;
    until_text(&phone, "#notify-result", "Sẽ nhắn tin đến 0912 *** 678 khi còn 3 người", Duration::from_secs(5)).await;
    screenshot(&phone, "ticket-notify.png").await;
    // Once called, the form is gone.
    let token = s.login(1).await;
    for _ in 0..6 {
        s.staff(1, "call-next", &token).await;
        s.staff(1, "finish", &token).await;
    }
    let html = s.get(&format!("/t/{id}")).await.text();
    assert!(!html.contains("notify-phone"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reception_form_takes_a_phone_for_the_result_only_where_texts_are_sent() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(mut browser) = Browser::start().await else { return };
    let hidden = "return document.getElementById('rc-phone-row').hidden";
    // Without [notify]: no such field.
    let plain = site_with(|c| c.printer = Some(printer::PrinterConfig::virtual_default())).await;
    let counter = browser.window(1280, 1100).await;
    log_in(&counter, &plain.base, 3, "3333").await;
    until_text(&counter, "#who", "Quầy số 03", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(counter.execute(hidden, vec![]).await.unwrap(), json!(true));

    let s = site_with(|c| {
        c.printer = Some(printer::PrinterConfig::virtual_default());
        notifying(c);
    })
    .await;
    log_in(&counter, &s.base, 3, "3333").await;
    until_text(&counter, "#who", "Quầy số 03", Duration::from_secs(5)).await;
    until_js(&counter, "return !document.getElementById('rc-phone-row').hidden", Duration::from_secs(5)).await;
    counter.find(Locator::Css("#rc-procedure")).await.unwrap().send_keys("1.004222").await.unwrap();
    until_text(&counter, "#rc-preview", "Đăng ký thường trú", Duration::from_secs(5)).await;
    click(&counter, "#rc-title option[value='Bà']").await;
    counter.find(Locator::Css("#rc-name")).await.unwrap().send_keys("Nguyễn Thị Lan").await.unwrap();
    counter.find(Locator::Css("#rc-phone")).await.unwrap().send_keys("0912 345 678").await.unwrap();
    counter.execute("document.getElementById('reception').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&counter, "counter-reception-phone.png").await;
    click(&counter, "#rc-submit").await;
    until_text(&counter, "#rc-result", "Mã hồ sơ", Duration::from_secs(5)).await;
    let left = counter.execute("return document.getElementById('rc-phone').value", vec![]).await.unwrap();
    assert_eq!(left, json!(""), "the next applicant starts with an empty field");
    // The service holds the number for the dossier's result.
    let db = s._dir.path().join("kiosk.sqlite3");
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let held: (String, String) =
        conn.query_row("SELECT dossier, phone FROM notice_subscriptions", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(held.1, "84912345678");
    assert!(held.0.starts_with("0000017H41"), "{held:?}");
}
