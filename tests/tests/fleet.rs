//! The province's fleet, end to end (issue 17): a real `kioskd` with a printer on a TCP port
//! reports to a real `central` through a proxy that records what passes. The kiosk appears in
//! `GET /api/v1/fleet` within seconds with its printer, version and catalogue; a printer that
//! runs out of paper is told at once; central killed for a while costs the kiosk nothing
//! (tickets and searches go on) and heartbeats resume; a catalogue published with
//! `central publish-catalogue` (one procedure renamed) reaches the kiosk's procedure pages and
//! `/healthz` while searches run, without one failed request; a bundle signed with another key
//! is refused and reported; and a restart without network starts with the accepted bundle.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use e2e::faulty::FaultyProxy;
use e2e::{free_port, write_test_config_with, Client, Kioskd};
use serde_json::{json, Value};

const KIOSKD: &str = env!("CARGO_BIN_EXE_kioskd-e2e");
const CENTRAL: &str = env!("CARGO_BIN_EXE_central-e2e");
const KIOSK_ID: &str = "TEST-FLEET-K1";
const TOKEN: &str = "fleet-credential-51c2";
const ADMIN: &str = "fleet-admin-token-9d3e";
const OLD_NAME: &str = "Đăng ký khai sinh";
const NEW_NAME: &str = "Đăng ký khai sinh (tên mới theo Quyết định công bố)";

struct Central(Child);

impl Drop for Central {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_central(db: &str, public_key: &str, port: u16) -> Central {
    let mut child = Command::new(CENTRAL)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--db", db])
        .args(["--kiosk", &format!("{KIOSK_ID}:{TOKEN}:{public_key}"), "--admin-token", ADMIN])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("listening on"), "central said {line:?}");
    Central(child)
}

/// `central new-province-key PATH`: its public key.
fn province_key(path: &Path) -> String {
    let out = Command::new(CENTRAL).arg("new-province-key").arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `central publish-catalogue --key KEY DIR` on central's database; what it printed.
fn publish(db: &str, key: &Path, dir: &Path) -> String {
    let out = Command::new(CENTRAL).args(["publish-catalogue", "--db", db, "--key"]).arg(key).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The shipped catalogue with Đăng ký khai sinh renamed: a province's corrected list.
fn renamed_catalogue(dir: &Path) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if text.contains("code = \"1.001193\"") {
            let before = text.clone();
            text = text.replacen(&format!("name = \"{OLD_NAME}\""), &format!("name = \"{NEW_NAME}\""), 1);
            assert_ne!(text, before, "the name to change is in {}", path.display());
        }
        std::fs::write(dir.join(path.file_name().unwrap()), text).unwrap();
    }
}

/// Poll `f` until it gives a value, for at most `secs` seconds.
fn wait_for<T>(what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "waited {secs} s for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// This kiosk's entry in central's fleet view.
fn fleet_entry(client: &Client, central: &str) -> Option<Value> {
    let (s, v) = client.get_with_token(&format!("{central}/api/v1/fleet"), ADMIN).ok()?;
    assert_eq!(s, 200, "{v}");
    v["kiosks"].as_array()?.iter().find(|k| k["kiosk_id"] == KIOSK_ID).filter(|k| !k["last_seen"].is_null()).cloned()
}

/// Every heartbeat that went through the proxy, as signed.
fn heartbeats(proxy: &FaultyProxy) -> Vec<Value> {
    proxy
        .requests()
        .iter()
        .filter(|r| r.line.starts_with("POST /api/v1/push/heartbeat "))
        .map(|r| {
            let envelope: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(envelope["protocol"], 2);
            serde_json::from_str(envelope["heartbeat_json"].as_str().unwrap()).unwrap()
        })
        .collect()
}

fn healthz_catalogue(client: &Client, kiosk: &str) -> Value {
    let (s, v) = client.get(&format!("{kiosk}/healthz")).unwrap();
    assert_eq!(s, 200, "{v}");
    v["catalogue"].clone()
}

fn procedure_name(client: &Client, kiosk: &str) -> String {
    let (s, v) = client.get(&format!("{kiosk}/api/v1/procedures/1.001193")).unwrap();
    assert_eq!(s, 200, "{v}");
    v["name"].as_str().unwrap().to_string()
}

/// Citizens searching and opening the procedure, two at a time, until stopped: every answer
/// must be a 200 with a whole catalogue behind it.
struct Searchers {
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    failures: Arc<Mutex<Vec<String>>>,
    /// Per searcher, the names it saw, each time the name changed.
    names: Arc<Mutex<Vec<Vec<String>>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Searchers {
    fn start(kiosk: &str) -> Searchers {
        let (stop, requests) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let (failures, names) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(vec![Vec::new(), Vec::new()])));
        let threads = (0..2)
            .map(|i| {
                let (stop, requests, failures, names, kiosk) =
                    (stop.clone(), requests.clone(), failures.clone(), names.clone(), kiosk.to_string());
                std::thread::spawn(move || {
                    let client = Client::new();
                    while !stop.load(Ordering::SeqCst) {
                        let url = if i == 0 {
                            format!("{kiosk}/api/v1/procedures?q=%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh&limit=20")
                        } else {
                            format!("{kiosk}/api/v1/procedures/1.001193")
                        };
                        requests.fetch_add(1, Ordering::SeqCst);
                        match client.get(&url) {
                            Ok((200, v)) => {
                                let name = if i == 0 {
                                    v["results"].as_array().and_then(|r| r.iter().find(|p| p["code"] == "1.001193")).map(|p| &p["name"])
                                } else {
                                    Some(&v["name"])
                                };
                                match name.and_then(Value::as_str) {
                                    Some(n) if n == OLD_NAME || n == NEW_NAME => {
                                        let seen = &mut names.lock().unwrap()[i];
                                        if seen.last().map(String::as_str) != Some(n) {
                                            seen.push(n.to_string());
                                        }
                                    }
                                    _ => failures.lock().unwrap().push(format!("{url}: {v}")),
                                }
                            }
                            Ok((s, v)) => failures.lock().unwrap().push(format!("{url}: {s} {v}")),
                            Err(e) => failures.lock().unwrap().push(format!("{url}: {e}")),
                        }
                    }
                })
            })
            .collect();
        Searchers { stop, requests, failures, names, threads }
    }

    /// Per searcher, the names seen so far.
    fn names(&self) -> Vec<Vec<String>> {
        self.names.lock().unwrap().clone()
    }

    /// Stop; (requests, failures, per searcher the names seen in the order they changed).
    fn finish(self) -> (usize, Vec<String>, Vec<Vec<String>>) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads {
            t.join().unwrap();
        }
        let failures = self.failures.lock().unwrap().clone();
        let names = self.names.lock().unwrap().clone();
        (self.requests.load(Ordering::SeqCst), failures, names)
    }
}

#[test]
fn a_kiosk_reports_to_central_and_follows_its_signed_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = firmware::rating::DeviceKey::load_or_create(&data.join("device.key")).unwrap();
    let province = province_key(&dir.path().join("province.key"));
    let db = format!("sqlite:{}", dir.path().join("central.sqlite3").display());
    let central_port = free_port();
    let mut central = start_central(&db, &key.public_hex(), central_port);
    let central_base = format!("http://127.0.0.1:{central_port}");
    let proxy = FaultyProxy::start(central_port);

    // A network printer on a TCP port, as a real one on 9100.
    let vp = printer::VirtualPrinter::new(dir.path().join("paper"), printer::Profile::by_name("epson-tm-t20").unwrap(), 576);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let printer_addr = listener.local_addr().unwrap();
    let _printer = vp.serve_tcp(listener).unwrap();

    let port = free_port();
    let extra = format!(
        r#"
[ratings]
kiosk_id = "{KIOSK_ID}"

[printer]
transport = "tcp:{printer_addr}"
profile = "epson-tm-t20"
timeout_ms = 1000

[central]
url = "http://127.0.0.1:{}"
timeout_secs = 2
heartbeat_seconds = 2
catalogue_poll_seconds = 2
catalogue_public_key = "{province}"
"#,
        proxy.port
    );
    let config = write_test_config_with(dir.path(), port, 999, &extra);
    let env = [("KIOSK_CENTRAL_TOKEN", TOKEN)];
    let mut kiosk = Kioskd::start_with_env(KIOSKD, &config, &data, port, &env);
    let base = kiosk.base.clone();
    let client = Client::new();

    // 1. The kiosk appears in the fleet within seconds: printer, version, catalogue.
    assert_eq!(healthz_catalogue(&client, &base), json!({"version": 0, "source": "local"}));
    let entry = wait_for("the kiosk in the fleet with its printer ready", 10, || {
        fleet_entry(&client, &central_base).filter(|e| e["printer"] == "ready")
    });
    assert_eq!(entry["online"], true, "{entry}");
    assert_eq!(entry["version"], firmware::service::health::SOFTWARE_VERSION, "{entry}");
    assert_eq!((entry["catalogue_version"].as_u64(), entry["catalogue_source"].as_str()), (Some(0), Some("local")), "{entry}");
    assert_eq!(entry["centre_name"], "Trung tâm Phục vụ hành chính công xã Thử Nghiệm", "{entry}");
    assert_eq!(entry["waiting"].as_array().unwrap().len(), 3, "{entry}");
    assert_eq!(entry["heartbeat_seconds"], 2, "{entry}");
    let first = heartbeats(&proxy);
    assert_eq!(first[0]["trigger"], "start", "{first:?}");
    assert_eq!(first[0]["seq"], 1);

    // 2. The printer runs out of paper: a heartbeat goes at once, saying why.
    vp.set_faults(printer::Faults { paper_out: true, ..Default::default() });
    let told = wait_for("a heartbeat triggered by the printer", 10, || {
        heartbeats(&proxy).into_iter().find(|h| h["trigger"] == "printer" && h["printer"] == "paper_out")
    });
    assert!(told["seq"].as_i64().unwrap() > 1, "{told}");
    wait_for("paper_out in the fleet", 5, || fleet_entry(&client, &central_base).filter(|e| e["printer"] == "paper_out"));
    vp.set_faults(printer::Faults::default());
    wait_for("the printer ready again in the fleet", 10, || fleet_entry(&client, &central_base).filter(|e| e["printer"] == "ready"));

    // 3. Central goes down for a while: the kiosk serves on, and heartbeats resume after.
    let seq_before = fleet_entry(&client, &central_base).unwrap()["heartbeat_seq"].as_i64().unwrap();
    drop(central); // SIGKILL
    let down_since = Instant::now();
    let mut issued = 0;
    while down_since.elapsed() < Duration::from_secs(6) {
        let (s, t) = client.post(&format!("{base}/api/v1/tickets"), None, Some(&json!({"service": "B"}))).unwrap();
        assert_eq!(s, 201, "{t}");
        issued += 1;
        let (s, v) = client.get(&format!("{base}/api/v1/procedures?q=khai%20sinh")).unwrap();
        assert_eq!(s, 200, "{v}");
        let (s, v) = client.get(&format!("{base}/healthz")).unwrap();
        assert_eq!(s, 200, "{v}");
        std::thread::sleep(Duration::from_millis(200));
    }
    central = start_central(&db, &key.public_hex(), central_port);
    let back = wait_for("heartbeats after central came back", 10, || {
        fleet_entry(&client, &central_base).filter(|e| e["heartbeat_seq"].as_i64() > Some(seq_before) && e["tickets_today"] == issued)
    });
    let waiting_b = back["waiting"].as_array().unwrap().iter().find(|w| w["service"] == "B").unwrap()["waiting"].clone();
    assert_eq!(waiting_b, issued, "{back}");

    // 4. The province publishes a corrected catalogue while citizens search: the kiosk swaps it
    //    in without a restart and without a failed request.
    let corrected = dir.path().join("corrected");
    renamed_catalogue(&corrected);
    let searchers = Searchers::start(&base);
    std::thread::sleep(Duration::from_millis(500));
    let printed = publish(&db, &dir.path().join("province.key"), &corrected);
    assert!(printed.contains("published catalogue version 1"), "{printed}");
    let published_at = Instant::now();
    wait_for("the renamed procedure on the kiosk", 15, || (procedure_name(&client, &base) == NEW_NAME).then_some(()));
    let took = published_at.elapsed();
    wait_for("every searcher to see the new name", 10, || {
        searchers.names().iter().all(|seen| seen.last().map(String::as_str) == Some(NEW_NAME)).then_some(())
    });
    let (requests, failures, names) = searchers.finish();
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed during the swap: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    eprintln!("catalogue swap: the bundle reached the kiosk {took:?} after publication; {requests} search and procedure requests during it, none failed");
    for seen in &names {
        assert_eq!(seen, &[OLD_NAME, NEW_NAME], "each searcher saw the old catalogue, then the new one, never back ({requests} requests)");
    }
    assert_eq!(healthz_catalogue(&client, &base), json!({"version": 1, "source": "central"}));
    let (s, found) = client.get(&format!("{base}/api/v1/procedures?q=khai%20sinh&limit=20")).unwrap();
    assert_eq!(s, 200);
    let listed = found["results"].as_array().unwrap().iter().find(|p| p["code"] == "1.001193").cloned();
    assert_eq!(listed.map(|p| p["name"].clone()), Some(json!(NEW_NAME)), "search lists the new name: {found}");
    wait_for("catalogue version 1 in the fleet", 10, || {
        fleet_entry(&client, &central_base).filter(|e| e["catalogue_version"] == 1 && e["catalogue_source"] == "central")
    });
    wait_for("a heartbeat triggered by the installed catalogue", 5, || {
        heartbeats(&proxy).into_iter().find(|h| h["trigger"] == "catalogue" && h["catalogue"]["version"] == 1)
    });
    assert!(data.join("catalogue/bundle.json").is_file(), "the accepted bundle is kept in the data directory");

    // 5. A bundle signed with another key is refused, reported, and changes nothing.
    let rogue = dir.path().join("rogue.key");
    province_key(&rogue);
    let printed = publish(&db, &rogue, &Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog"));
    assert!(printed.contains("published catalogue version 2"), "{printed}");
    let entry =
        wait_for("the refusal in the fleet", 15, || fleet_entry(&client, &central_base).filter(|e| !e["catalogue_refused"].is_null()));
    assert_eq!(entry["catalogue_refused"]["reason"], "bad_signature", "{entry}");
    assert_eq!(entry["catalogue_refused"]["version"], 2, "{entry}");
    assert_eq!(entry["catalogue_version"], 1, "{entry}");
    assert!(entry["alerts"].as_array().unwrap().iter().any(|a| a["code"] == "catalogue_refused"), "{entry}");
    assert_eq!(healthz_catalogue(&client, &base), json!({"version": 1, "source": "central"}));
    assert_eq!(procedure_name(&client, &base), NEW_NAME);

    // 6. A restart with central unreachable starts with the accepted bundle; heartbeats go on
    //    numbering where they were.
    let last_seq = heartbeats(&proxy).iter().filter_map(|h| h["seq"].as_i64()).max().unwrap();
    drop(central);
    kiosk.kill_9();
    kiosk = Kioskd::start_with_env(KIOSKD, &config, &data, port, &env);
    assert_eq!(healthz_catalogue(&client, &base), json!({"version": 1, "source": "central"}));
    assert_eq!(procedure_name(&client, &base), NEW_NAME);
    let _central = start_central(&db, &key.public_hex(), central_port);
    let after = wait_for("a heartbeat from the restarted kiosk", 10, || {
        fleet_entry(&client, &central_base)
            .filter(|e| e["heartbeat_seq"].as_i64() > Some(last_seq) && e["uptime_seconds"].as_u64() < Some(30))
    });
    assert_eq!(after["catalogue_version"], 1, "{after}");
    let seqs: Vec<i64> = heartbeats(&proxy).iter().filter_map(|h| h["seq"].as_i64()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "every heartbeat has a higher seq than the one before: {seqs:?}");
    drop(kiosk);
}
