//! Pages tested as people meet them: a real headless Chromium driven through chromedriver on
//! loopback. One harness for every crate whose pages are tested in a browser (the kiosk's
//! /counter, /display, /admin, /t, /d; central's /fleet and /): starting the driver, windows of
//! an exact page size with a fresh profile, waiting for a text, clicking, pressing keys, taking
//! screenshots, and DevTools commands (network conditions…).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them [`Browser::start`] returns
//! `None` and the test says SKIPPED — unless `KIOSK_TESTS_REQUIRE_ALL` is set (as
//! `scripts/test-all` does after installing them), where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
pub use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// One browser test at a time: several Chromiums on two cores would measure the machine, not the
/// pages ("within a second"). Hold the guard for the whole test.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// chromedriver on a free port, and the browsers it starts.
pub struct Browser {
    driver: Child,
    url: String,
    sessions: Vec<String>,
    profiles: Vec<tempfile::TempDir>,
}

impl Drop for Browser {
    /// Also after a failed assertion: end each session so that chromedriver quits its Chromium
    /// (killing chromedriver alone would leave the browsers running).
    fn drop(&mut self) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        for session in &self.sessions {
            let _ = agent.delete(&format!("{}/session/{session}", self.url)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|d| names.iter().map(move |n| d.join(n))).find(|p| p.is_file())
}

impl Browser {
    /// `None` (and a SKIPPED line) when Chromium or chromedriver is not installed.
    pub async fn start() -> Option<Browser> {
        let (Some(_), Some(driver)) = (find_program(&["chromium", "chromium-browser"]), find_program(&["chromedriver"])) else {
            let why = "Chromium or chromedriver not found; install Debian's chromium and chromium-driver (scripts/lib/deps.sh does)";
            // scripts/test-all installs them, so there a missing browser is a failure, not a skip.
            assert!(std::env::var_os("KIOSK_TESTS_REQUIRE_ALL").is_none(), "{why}");
            eprintln!("SKIPPED: {why}");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let b = Browser { driver, url: format!("http://127.0.0.1:{port}"), sessions: Vec::new(), profiles: Vec::new() };
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(b)
    }

    /// A new headless Chromium window whose page is `width`×`height`, with a fresh profile, in
    /// Vietnamese, allowed to play sound without a gesture (as the hall TV is started).
    pub async fn window(&mut self, width: u32, height: u32) -> Client {
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
            "--hide-scrollbars".into(),
            "--lang=vi".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        self.profiles.push(profile);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), json!({ "args": args }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let c = ClientBuilder::new(connector).capabilities(caps).connect(&self.url).await.expect("a Chromium session");
        self.sessions.push(c.session_id().await.unwrap().expect("a session id"));
        // --window-size includes the window's frame: grow it so the page itself gets width×height.
        let frame =
            c.execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]", vec![]).await.unwrap();
        let (dw, dh) = (frame[0].as_u64().unwrap() as u32, frame[1].as_u64().unwrap() as u32);
        c.set_window_size(width + dw, height + dh).await.unwrap();
        c
    }

    /// A Chrome DevTools command on `c`'s page, through chromedriver's `goog/cdp/execute`.
    pub async fn devtools(&self, c: &Client, cmd: &str, params: Value) {
        let session = c.session_id().await.unwrap().expect("a session");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.url);
        let body = json!({"cmd": cmd, "params": params});
        let status = tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            agent.post(&url).send_json(&body).unwrap().status().as_u16()
        })
        .await
        .unwrap();
        assert_eq!(status, 200, "{cmd}");
    }
}

/// The text of the first element matching `css` (empty when there is none).
pub async fn text(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Wait until the element's text contains `want`; returns how long that took.
pub async fn until_text(c: &Client, css: &str, want: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let got = text(c, css).await;
        if got.contains(want) {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "{css}: wanted {want:?} within {within:?}, have {got:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Wait until `script` returns something other than `null` or `false`; returns it.
pub async fn until_js(c: &Client, script: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if v != Value::Null && v != Value::Bool(false) {
            return v;
        }
        assert!(start.elapsed() < within, "{script} stayed {v} for {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Press a key on the page as an officer does (focus on nothing in particular).
pub async fn press(c: &Client, key: &str) {
    c.find(Locator::Css("body")).await.unwrap().send_keys(key).await.unwrap();
}

/// The texts of the rows of a table body (`#table tbody tr`), a cell per column.
pub async fn rows(c: &Client, table: &str) -> Vec<Vec<String>> {
    let script = format!(
        "return Array.from(document.querySelectorAll('#{table} tbody tr')).map(tr => Array.from(tr.cells).map(td => td.textContent))"
    );
    serde_json::from_value(c.execute(&script, vec![]).await.unwrap()).unwrap()
}

/// Where screenshots go: `docs/screens/` of the repository with `UPDATE_SCREENSHOTS=1`, else
/// `scratch` (a test's `CARGO_TARGET_TMPDIR`).
pub fn screens_dir(scratch: &Path) -> PathBuf {
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screens")
    } else {
        scratch.join("screens")
    }
}

/// Save the page, scrolled to its top, as `name` in [`screens_dir`].
pub async fn screenshot(c: &Client, scratch: &Path, name: &str) {
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    let png = c.screenshot().await.unwrap();
    let dir = screens_dir(scratch);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}
