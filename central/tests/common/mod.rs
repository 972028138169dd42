//! What the receiver's tests share: kiosks that build and sign chains as `docs/sync-protocol.md`
//! says, a real `central` process on loopback, and the scenarios every storage engine must pass.

#![allow(dead_code)] // each test file uses its own part

pub mod fleet_scenarios;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod scenarios;

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A kiosk: its key, its credential, its chain so far and its heartbeat counter.
pub struct Kiosk {
    pub id: String,
    pub token: String,
    pub agency_code: String,
    pub centre_name: String,
    pub key: SigningKey,
    pub seq: i64,
    pub last_hash: String,
    pub heartbeat_seq: i64,
}

impl Kiosk {
    pub fn new(id: &str, seed: u8, agency_code: &str) -> Kiosk {
        Kiosk {
            id: id.into(),
            token: format!("token-of-{id}-{seed}"),
            agency_code: agency_code.into(),
            centre_name: format!("Trung tâm Phục vụ hành chính công {agency_code}"),
            key: SigningKey::from_bytes(&[seed; 32]),
            seq: 0,
            last_hash: ZERO_HASH.into(),
            heartbeat_seq: 0,
        }
    }

    pub fn with_centre(mut self, name: &str) -> Kiosk {
        self.centre_name = name.into();
        self
    }

    pub fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// `--kiosk ID:TOKEN:PUBLIC_KEY`.
    pub fn spec(&self) -> String {
        format!("{}:{}:{}", self.id, self.token, self.public_key())
    }

    /// The record of the kiosk's next rating, as compact JSON.
    pub fn record(&self, id: &str, seq: i64, official: &str) -> String {
        json!({
            "id": id, "seq": seq, "kiosk_id": self.id, "agency_code": self.agency_code,
            "ticket_id": null, "ticket_number": "A025", "dossier_code": null,
            "level": official, "official": official, "reasons": [],
            "counter": 3, "officer": "Trần Thị Bình", "service": "A", "procedure": "1.001193",
            "rated_at": format!("2026-03-05T08:{:02}:12+07:00", seq % 60),
        })
        .to_string()
    }

    /// The next link of the chain, signed.
    pub fn rate(&mut self, official: &str) -> Value {
        let seq = self.seq + 1;
        let id = uuid::Uuid::new_v4().to_string();
        let record = self.record(&id, seq, official);
        let link = link(&self.key, &id, seq, &self.last_hash, &record);
        self.seq = seq;
        self.last_hash = link["hash"].as_str().unwrap().to_string();
        link
    }

    /// The next link of the chain for a rating of `service` at `rated_at`.
    pub fn rate_at(&mut self, official: &str, service: Option<&str>, rated_at: &str) -> Value {
        let seq = self.seq + 1;
        let id = uuid::Uuid::new_v4().to_string();
        let mut record: Value = serde_json::from_str(&self.record(&id, seq, official)).unwrap();
        record["service"] = service.into();
        record["rated_at"] = rated_at.into();
        let link = link(&self.key, &id, seq, &self.last_hash, &record.to_string());
        self.seq = seq;
        self.last_hash = link["hash"].as_str().unwrap().to_string();
        link
    }

    /// A healthy kiosk's heartbeat as `docs/sync-protocol.md` shows it, sent now, with a
    /// dispensing window from two hours ago to two hours from now.
    pub fn heartbeat_value(&self, seq: i64) -> Value {
        let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
        let time = |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        json!({
            "kiosk_id": self.id, "seq": seq, "sent_at": time(now), "trigger": "interval", "interval_seconds": 60,
            "centre": {"name": self.centre_name, "agency_code": self.agency_code},
            "software_version": "0.2.0",
            "catalogue": {"version": 0, "source": "local", "refused": null},
            "uptime_seconds": 3600, "printer": "ready",
            "clock": {"state": "ok", "last_event_at": null},
            "disk_free_bytes": 8_000_000_000u64, "database_bytes": 4_000_000,
            "waiting": [{"service": "A", "name": "Hộ tịch – Chứng thực", "waiting": 3}, {"service": "B", "name": "Cư trú", "waiting": 0}],
            "tickets_today": 87,
            "outbox": {"pending": 0, "oldest_age_seconds": null},
            "dispensing_windows": [[time(now - chrono::Duration::hours(2)), time(now + chrono::Duration::hours(2))]],
        })
    }

    /// The request body of a heartbeat whose signed text is `heartbeat_json`.
    pub fn envelope(&self, heartbeat_json: &str) -> Value {
        let mut h = Sha256::new();
        h.update(b"heartbeat\n");
        h.update(heartbeat_json.as_bytes());
        let hash: [u8; 32] = h.finalize().into();
        json!({
            "protocol": 2, "kiosk_id": self.id, "public_key": self.public_key(),
            "heartbeat_json": heartbeat_json, "signature": hex::encode(self.key.sign(&hash).to_bytes()),
        })
    }

    /// The next heartbeat, changed by `edit`, signed.
    pub fn heartbeat(&mut self, edit: impl FnOnce(&mut Value)) -> Value {
        self.heartbeat_seq += 1;
        let mut hb = self.heartbeat_value(self.heartbeat_seq);
        edit(&mut hb);
        self.envelope(&hb.to_string())
    }

    pub fn batch(&self, links: &[Value]) -> Value {
        json!({"protocol": 1, "kiosk_id": self.id, "public_key": self.public_key(), "ratings": links})
    }
}

pub fn link_hash(prev_hash: &str, record_json: &str) -> String {
    hex::encode(Sha256::digest(format!("{prev_hash}\n{record_json}").as_bytes()))
}

/// A link with its hash and signature computed by `key`.
pub fn link(key: &SigningKey, id: &str, seq: i64, prev_hash: &str, record_json: &str) -> Value {
    let hash = link_hash(prev_hash, record_json);
    let raw: [u8; 32] = hex::decode(&hash).unwrap().try_into().unwrap();
    json!({
        "id": id, "seq": seq, "prev_hash": prev_hash, "hash": hash,
        "signature": hex::encode(key.sign(&raw).to_bytes()), "record_json": record_json,
    })
}

/// A database the scenarios run against: its URL, and direct SQL for checks and tampering.
pub trait Db {
    fn url(&self) -> String;
    fn execute(&self, sql: &str);
    fn count(&self, sql: &str) -> i64;
}

/// A SQLite file in a temporary directory.
pub struct SqliteDb {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl SqliteDb {
    pub fn new() -> SqliteDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("central.sqlite3");
        SqliteDb { _dir: dir, path }
    }
}

impl Db for SqliteDb {
    fn url(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }

    fn execute(&self, sql: &str) {
        rusqlite::Connection::open(&self.path).unwrap().execute_batch(sql).unwrap();
    }

    fn count(&self, sql: &str) -> i64 {
        rusqlite::Connection::open(&self.path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

pub const ADMIN: &str = "admin-token-for-tests";

/// A running `central`, stopped with SIGTERM (or killed when the test fails).
pub struct Central {
    child: Child,
    pub base: String,
    log: tempfile::NamedTempFile,
    agent: ureq::Agent,
}

impl Central {
    pub fn start(db: &dyn Db, kiosks: &[&Kiosk]) -> Central {
        Central::start_with(db, kiosks, &[])
    }

    /// With more arguments (`--config FILE`, …).
    pub fn start_with(db: &dyn Db, kiosks: &[&Kiosk], extra: &[&str]) -> Central {
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_central"));
        cmd.args(["--listen", "127.0.0.1:0", "--db", &db.url(), "--admin-token", ADMIN]).args(extra);
        for k in kiosks {
            cmd.args(["--kiosk", &k.spec()]);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(log.reopen().unwrap()).spawn().unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
        let addr = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line {first:?}; log: {}", std::fs::read_to_string(log.path()).unwrap()))
            .to_string();
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        Central { child, base: format!("http://{addr}"), log, agent }
    }

    /// POST a batch with `token`; the status and the JSON answer.
    pub fn push(&self, token: &str, body: &Value) -> (u16, Value) {
        let mut resp = self
            .agent
            .post(format!("{}/api/v1/push/ratings", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .send_json(body)
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_json().unwrap())
    }

    /// POST raw bytes as JSON.
    pub fn push_raw(&self, token: &str, body: &str) -> (u16, Value) {
        let mut resp = self
            .agent
            .post(format!("{}/api/v1/push/ratings", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .content_type("application/json")
            .send(body)
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_json().unwrap())
    }

    /// POST a JSON body to `path` with `token`; the status and the JSON answer.
    pub fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.post_raw(path, token, &body.to_string())
    }

    /// POST raw bytes as JSON to `path` with `token`.
    pub fn post_raw(&self, path: &str, token: &str, body: &str) -> (u16, Value) {
        let mut resp = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .content_type("application/json")
            .send(body)
            .unwrap();
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET `path` with a token and request headers; the status, the response headers and the body.
    pub fn get_full(&self, path: &str, token: Option<&str>, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, String) {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let mut resp = req.call().unwrap();
        let status = resp.status().as_u16();
        let names = resp.headers().iter().map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect::<Vec<_>>();
        (status, names, resp.body_mut().read_to_string().unwrap())
    }

    /// GET `path`, with a bearer token if given; the status and the body.
    pub fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let mut resp = req.call().unwrap();
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap())
    }

    pub fn get_json(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let (status, body) = self.get(path, token);
        (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")))
    }

    /// SIGTERM, and how the process ended.
    pub fn stop(mut self) -> ExitStatus {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "central did not stop within 10 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Central {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            let mut log = String::new();
            let _ = std::fs::File::open(self.log.path()).and_then(|mut f| f.read_to_string(&mut log));
            eprintln!("--- central's log ---\n{log}");
        }
    }
}

/// `central verify --db URL`: exit code and what it printed.
pub fn verify(db: &dyn Db, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_central")).args(["verify", "--db", &db.url()]).args(extra).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// Run `central ARGS`: exit code, stdout, stderr.
pub fn central(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_central")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A header of an answer, by lowercase name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// A copy of the shipped catalogue (`config/catalog`) in a temporary directory, to edit.
pub fn catalogue_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
    for entry in std::fs::read_dir(shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}
