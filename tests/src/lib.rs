//! Helpers for end-to-end tests: a real `kioskd` process on a real database file, a small JSON
//! HTTP client that treats every status as data, and a site configuration for testing.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub mod faulty;
pub mod gateway;
pub mod workers;

/// A configuration like the shipped one, dispensing all day every day, so the tests run at
/// any hour; `cap` tickets per service.
pub fn write_test_config(dir: &Path, port: u16, cap: u32) -> PathBuf {
    write_test_config_with(dir, port, cap, "")
}

/// The test configuration with `extra` TOML appended (e.g. a `[central]` section).
pub fn write_test_config_with(dir: &Path, port: u16, cap: u32, extra: &str) -> PathBuf {
    let hash = |pin: &str| firmware::auth::hash_pin(pin);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().display().to_string();
    let mut text = format!(
        r#"
[centre]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
agency_code = "000.00.99.H99"
time_zone = "Asia/Ho_Chi_Minh"

[http]
listen = "127.0.0.1:{port}"
tickets_per_minute_per_client = 100000

[data]
catalog = "{repo}/config/catalog"
holidays = "{repo}/config/holidays"

[dispensing]
monday = ["00:00-24:00"]
tuesday = ["00:00-24:00"]
wednesday = ["00:00-24:00"]
thursday = ["00:00-24:00"]
friday = ["00:00-24:00"]
saturday = ["00:00-24:00"]
sunday = ["00:00-24:00"]
"#
    );
    for (code, name) in [("A", "Hộ tịch – Chứng thực"), ("B", "Cư trú"), ("C", "Đất đai – Xây dựng")] {
        text += &format!("\n[[service]]\ncode = \"{code}\"\nname_vi = \"{name}\"\nname_en = \"{code}\"\ndaily_cap = {cap}\n");
    }
    let serves = ["\"A\"", "\"A\", \"B\"", "\"B\"", "\"C\"", "\"C\", \"A\"", "\"A\", \"B\", \"C\""];
    for (i, s) in serves.iter().enumerate() {
        let n = i + 1;
        let pin = n.to_string().repeat(4);
        text += &format!("\n[[counter]]\nnumber = {n}\nname = \"Quầy số {n:02}\"\nservices = [{s}]\npin_hash = \"{}\"\n", hash(&pin));
    }
    text += extra;
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Where the end-to-end kioskd's clock starts: Wednesday 4 March 2026, 09:00 at the site, an
/// ordinary working day (a real 2/9 or Tết would close the queue).
pub const TEST_START: &str = "2026-03-04T09:00:00+07:00";

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `kioskd`.
pub struct Kioskd {
    child: Child,
    pub base: String,
}

impl Kioskd {
    /// Start `exe` on `config` with data under `data`, and wait until `/healthz` answers.
    pub fn start(exe: &str, config: &Path, data: &Path, port: u16) -> Kioskd {
        Kioskd::start_with_env(exe, config, data, port, &[])
    }

    /// Start with extra environment variables (e.g. the central credential). The test
    /// configuration holds the development PINs (`--dev`), and the clock starts on
    /// [`TEST_START`], a working day, whatever today is.
    pub fn start_with_env(exe: &str, config: &Path, data: &Path, port: u16, env: &[(&str, &str)]) -> Kioskd {
        let child = Command::new(exe)
            .env("KIOSK_E2E_START", TEST_START)
            .envs(env.iter().copied())
            .arg("--dev")
            .arg("--config")
            .arg(config)
            .arg("--data")
            .arg(data)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kioskd");
        let k = Kioskd { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok((200, _)) = Client::new().get(&format!("{}/healthz", k.base)) {
                return k;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("kioskd did not come up on port {port}");
    }

    /// `kill -9`: no chance to flush or clean up.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM and wait for a clean exit; returns the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Kioskd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking JSON client: every HTTP status is returned as data, transport errors as `Err`.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10))).build().into();
        Client { agent }
    }

    fn finish(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<(u16, Value), String> {
        let mut resp = resp.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().map_err(|e| e.to_string())?;
        let value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))? };
        Ok((status, value))
    }

    pub fn get(&self, url: &str) -> Result<(u16, Value), String> {
        Client::finish(self.agent.get(url).call())
    }

    pub fn get_with_token(&self, url: &str, token: &str) -> Result<(u16, Value), String> {
        Client::finish(self.agent.get(url).header("Authorization", &format!("Bearer {token}")).call())
    }

    pub fn post(&self, url: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, Value), String> {
        let mut req = self.agent.post(url);
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        Client::finish(match body {
            Some(b) => req.send_json(b),
            None => req.send_empty(),
        })
    }
}
