//! Protocol 2 over real HTTP, run against every storage engine: heartbeats and the fleet view,
//! catalogue publication and the kiosks' conditional download, satisfaction per centre, service
//! and month, the pages' headers, and a database made by a protocol-1 central.

use ed25519_dalek::SigningKey;
use serde_json::{json, Value};

use super::{catalogue_copy, central, header, verify, Central, Db, Kiosk, ADMIN};

const AGENCY: &str = "000.00.17.H41";

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {answer}"))
}

fn heartbeat(central: &Central, k: &Kiosk, body: &Value) -> (u16, Value) {
    central.post("/api/v1/push/heartbeat", &k.token, body)
}

fn fleet(central: &Central, query: &str) -> Value {
    let (status, view) = central.get_json(&format!("/api/v1/fleet{query}"), Some(ADMIN));
    assert_eq!(status, 200, "{view}");
    view
}

fn entry<'a>(view: &'a Value, kiosk: &str) -> &'a Value {
    view["kiosks"].as_array().unwrap().iter().find(|k| k["kiosk_id"] == kiosk).unwrap_or_else(|| panic!("{kiosk} not in {view}"))
}

fn alert_codes(entry: &Value) -> Vec<String> {
    entry["alerts"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap().to_string()).collect()
}

pub fn heartbeats_make_the_fleet_view(db: &dyn Db) {
    let mut k1 = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY).with_centre("Trung tâm Phục vụ hành chính công xã Hòa Phú");
    let k2 = Kiosk::new("H41-HOAPHU-K2", 2, AGENCY);
    let central = Central::start(db, &[&k1, &k2]);

    let body = k1.heartbeat(|hb| {
        hb["printer"] = "paper_out".into();
        hb["catalogue"]["version"] = 4.into();
        hb["outbox"] = json!({"pending": 2, "oldest_age_seconds": 40});
    });
    let (status, answer) = heartbeat(&central, &k1, &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"applied": true, "last_seq": 1, "catalogue_version": null}));

    // The province's staff only.
    assert_eq!(central.get_json("/api/v1/fleet", None).0, 401);
    assert_eq!(central.get_json("/api/v1/fleet", Some(&k1.token)).0, 401);
    let view = fleet(&central, "");
    assert_eq!((view["kiosks_registered"].as_i64(), view["online"].as_i64()), (Some(2), Some(1)));
    let e1 = entry(&view, "H41-HOAPHU-K1");
    assert_eq!(e1["centre_name"], "Trung tâm Phục vụ hành chính công xã Hòa Phú");
    assert_eq!(e1["online"], true);
    assert_eq!(
        (e1["version"].as_str(), e1["catalogue_version"].as_i64(), e1["printer"].as_str()),
        (Some("0.2.0"), Some(4), Some("paper_out"))
    );
    assert_eq!(
        (e1["clock"].as_str(), e1["disk_free_bytes"].as_u64(), e1["outbox_pending"].as_u64()),
        (Some("ok"), Some(8_000_000_000), Some(2))
    );
    assert_eq!(e1["waiting"][0], json!({"service": "A", "name": "Hộ tịch – Chứng thực", "waiting": 3}));
    assert!(e1["last_seen"].as_str().unwrap().ends_with('Z'));
    assert_eq!(alert_codes(e1), ["paper_out"]);
    // A kiosk registered but silent is in the view too, named.
    let e2 = entry(&view, "H41-HOAPHU-K2");
    assert_eq!((e2["online"].as_bool(), e2["last_seen"].is_null(), alert_codes(e2)), (Some(false), true, vec!["never_seen".to_string()]));
    // Kiosks with the most urgent alert first; the alert list likewise.
    assert_eq!(view["kiosks"][0]["kiosk_id"], "H41-HOAPHU-K1");
    assert_eq!(view["alerts"][0]["code"], "paper_out");
    assert_eq!(view["alerts"][0]["kiosk_id"], "H41-HOAPHU-K1");

    // Filtered by alert.
    let only = fleet(&central, "?alert=never_seen");
    assert_eq!(only["kiosks"].as_array().unwrap().len(), 1);
    assert_eq!(only["kiosks"][0]["kiosk_id"], "H41-HOAPHU-K2");
    let (status, bad) = central.get_json("/api/v1/fleet?alert=everything", Some(ADMIN));
    assert_eq!((status, code(&bad)), (400, "bad_query"));

    // Still out of paper a moment later: "since" stays at the first report.
    let since = e1["printer_since"].clone();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let body = k1.heartbeat(|hb| hb["printer"] = "paper_out".into());
    assert_eq!(heartbeat(&central, &k1, &body).0, 200);
    let view = fleet(&central, "");
    let again = entry(&view, "H41-HOAPHU-K1");
    assert_eq!(again["printer_since"], since);
    assert_ne!(again["last_seen"], e1["last_seen"]);
    assert_eq!(view["alerts"][0]["since"].as_str().map(|s| &s[..19]), since.as_str().map(|s| &s[..19]));

    // Paper put in: the alert goes; only the latest heartbeat is kept.
    let body = k1.heartbeat(|hb| hb["catalogue"]["version"] = 4.into());
    assert_eq!(heartbeat(&central, &k1, &body).0, 200);
    let e1 = entry(&fleet(&central, ""), "H41-HOAPHU-K1").clone();
    assert_eq!((e1["printer"].as_str(), alert_codes(&e1)), (Some("ready"), Vec::<String>::new()));
    assert_ne!(e1["printer_since"], since, "a new state, a new since");
    assert_eq!(e1["heartbeat_seq"], 3);
    assert_eq!(db.count("SELECT COUNT(*) FROM kiosk_status"), 1);

    // An hour of silence inside its dispensing window: offline, and an alert saying since when.
    // (Its last heartbeat was sent and received an hour ago.)
    let hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let body = k1.heartbeat(|hb| hb["sent_at"] = hour_ago.clone().into());
    assert_eq!(heartbeat(&central, &k1, &body).0, 200);
    db.execute(&format!("UPDATE kiosk_status SET received_at = '{hour_ago}' WHERE kiosk_id = 'H41-HOAPHU-K1'"));
    let view = fleet(&central, "?alert=offline");
    let e1 = entry(&view, "H41-HOAPHU-K1");
    assert_eq!((e1["online"].as_bool(), alert_codes(e1)), (Some(false), vec!["offline".to_string()]));
    assert_eq!(view["online"], 0);
    assert!(e1["alerts"][0]["message"].as_str().unwrap().starts_with("Mất kết nối từ"), "{e1}");
}

pub fn heartbeats_are_replay_safe(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    k.heartbeat_seq = 4;
    let fifth = k.heartbeat(|_| {});
    assert_eq!(heartbeat(&central, &k, &fifth).1["applied"], true);

    // The same heartbeat again (a retry whose answer was lost): acknowledged, nothing changes.
    let (status, again) = heartbeat(&central, &k, &fifth);
    assert_eq!((status, again["applied"].as_bool(), again["last_seq"].as_i64()), (200, Some(false), Some(5)));

    // Another heartbeat with a seq already used, or an older one replayed: stale, nothing stored.
    let other_fifth = k.envelope(&{
        let mut hb = k.heartbeat_value(5);
        hb["printer"] = "paper_out".into();
        hb.to_string()
    });
    let (status, answer) = heartbeat(&central, &k, &other_fifth);
    assert_eq!((status, code(&answer), answer["error"]["last_seq"].as_i64()), (409, "stale_heartbeat", Some(5)), "{answer}");
    let third = k.envelope(&k.heartbeat_value(3).to_string());
    assert_eq!(heartbeat(&central, &k, &third).0, 409);
    assert_eq!(entry(&fleet(&central, ""), "H41-HOAPHU-K1")["printer"], "ready");

    // The kiosk continues from last_seq + 1.
    let sixth = k.heartbeat(|hb| hb["printer"] = "cover_open".into());
    assert_eq!(heartbeat(&central, &k, &sixth).1["applied"], true);

    // A restarted central still knows what it stored.
    assert!(central.stop().success());
    let central = Central::start(db, &[&k]);
    assert_eq!(heartbeat(&central, &k, &sixth).1["applied"], false);
    assert_eq!(heartbeat(&central, &k, &fifth).0, 409);
    let e = fleet(&central, "");
    assert_eq!((e["kiosks"][0]["printer"].as_str(), e["kiosks"][0]["heartbeat_seq"].as_i64()), (Some("cover_open"), Some(6)));
    assert_eq!(alert_codes(&e["kiosks"][0]), ["printer"]);
}

pub fn bad_heartbeats_are_refused(db: &dyn Db) {
    let mut k1 = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let k2 = Kiosk::new("H41-HOAPHU-K2", 2, AGENCY);
    let central = Central::start(db, &[&k1, &k2]);
    let good = k1.heartbeat(|_| {});

    // Signed by another key (the registered public key claimed).
    let mut forged = good.clone();
    let intruder = Kiosk::new("H41-HOAPHU-K1", 66, AGENCY);
    forged["signature"] = intruder.envelope(good["heartbeat_json"].as_str().unwrap())["signature"].clone();
    let (status, answer) = heartbeat(&central, &k1, &forged);
    assert_eq!((status, code(&answer)), (422, "bad_signature"), "{answer}");
    // One byte of the signed text changed.
    let mut altered = good.clone();
    altered["heartbeat_json"] = good["heartbeat_json"].as_str().unwrap().replace("\"ready\"", "\"paper\"").into();
    assert_eq!(code(&heartbeat(&central, &k1, &altered).1), "bad_signature");
    // Another kiosk's credential, an unknown one, another public key.
    let (status, answer) = heartbeat(&central, &k2, &good);
    assert_eq!((status, code(&answer)), (401, "bad_credential"));
    assert_eq!(central.post("/api/v1/push/heartbeat", "nobody", &good).0, 401);
    let mut other_key = good.clone();
    other_key["public_key"] = k2.public_key().into();
    assert_eq!(heartbeat(&central, &k1, &other_key).0, 401);
    // Protocol 1 has no heartbeats; a field missing; not JSON; too large.
    let mut old = good.clone();
    old["protocol"] = 1.into();
    assert_eq!(code(&heartbeat(&central, &k1, &old).1), "malformed");
    let mut hb = k1.heartbeat_value(9);
    hb.as_object_mut().unwrap().remove("disk_free_bytes");
    let (status, answer) = heartbeat(&central, &k1, &k1.envelope(&hb.to_string()));
    assert_eq!((status, code(&answer)), (422, "malformed"));
    assert!(answer["error"]["message"].as_str().unwrap().contains("disk_free_bytes"), "{answer}");
    assert_eq!(central.post_raw("/api/v1/push/heartbeat", &k1.token, "{nope").0, 400);
    let mut huge = k1.heartbeat_value(10);
    huge["padding"] = "x".repeat(70 * 1024).into();
    assert_eq!(heartbeat(&central, &k1, &k1.envelope(&huge.to_string())).0, 413);
    assert_eq!(db.count("SELECT COUNT(*) FROM kiosk_status"), 0, "nothing refused was stored");

    assert_eq!(heartbeat(&central, &k1, &good).0, 200);
}

/// Rename procedure `code` in the catalogue copy at `dir`.
fn rename(dir: &std::path::Path, code: &str, from: &str, to: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let marker = format!("code = \"{code}\"\nname = \"{from}\"");
        if text.contains(&marker) {
            std::fs::write(&path, text.replace(&marker, &format!("code = \"{code}\"\nname = \"{to}\""))).unwrap();
            return;
        }
    }
    panic!("{code} {from:?} not found");
}

pub fn a_published_catalogue_reaches_kiosks_conditionally(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let keys = tempfile::tempdir().unwrap();
    let key_path = keys.path().join("province.key");
    let key = key_path.to_str().unwrap();
    let (exit, public_key, err) = central(&["new-province-key", key]);
    assert_eq!(exit, 0, "{err}");
    let public_key = public_key.trim().to_string();
    assert_eq!(public_key.len(), 64);
    assert!(err.contains("catalogue_public_key"), "{err}");
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key_path).unwrap().permissions()) & 0o777, 0o600);
    let (exit, _, err) = central(&["new-province-key", key]);
    assert_eq!(exit, 1, "a province key is never overwritten");
    assert!(err.contains("never overwritten"), "{err}");

    let central_proc = Central::start(db, &[&k]);
    let (status, answer) = central_proc.get_json("/api/v1/catalogue/bundle", Some(&k.token));
    assert_eq!((status, code(&answer)), (404, "no_catalogue"));

    let dir = catalogue_copy();
    rename(dir.path(), "1.001193", "Đăng ký khai sinh", "Đăng ký khai sinh (theo Quyết định mới)");
    let url = db.url();
    let (exit, out, err) = central(&["publish-catalogue", "--db", &url, "--key", key, dir.path().to_str().unwrap()]);
    assert_eq!(exit, 0, "{out}{err}");
    assert!(out.contains("published catalogue version 1"), "{out}");

    // The kiosk's credential only.
    assert_eq!(central_proc.get_json("/api/v1/catalogue/bundle", None).0, 401);
    assert_eq!(central_proc.get_json("/api/v1/catalogue/bundle", Some(ADMIN)).0, 401);
    let (status, headers, body) = central_proc.get_full("/api/v1/catalogue/bundle", Some(&k.token), &[]);
    assert_eq!(status, 200, "{body}");
    let etag = header(&headers, "etag").unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", hex::encode(<sha2::Sha256 as sha2::Digest>::digest(body.as_bytes()))));
    // What a kiosk does with it: verify with the province key, refuse anything not newer, load.
    let verifying = catalogue::bundle::parse_public_key(&public_key).unwrap();
    let (bundle, catalog) = catalogue::bundle::open(body.as_bytes(), &verifying, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bundle.version(), 1);
    assert_eq!(catalog.get("1.001193").unwrap().name, "Đăng ký khai sinh (theo Quyết định mới)");
    let shipped = catalogue::Catalog::load_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog")).unwrap();
    assert_eq!(catalog.len(), shipped.len());
    let other = SigningKey::from_bytes(&[9; 32]).verifying_key();
    assert_eq!(catalogue::bundle::open(body.as_bytes(), &other, 0).err().unwrap().reason(), "bad_signature");
    assert_eq!(catalogue::bundle::open(body.as_bytes(), &verifying, 1).err().unwrap().reason(), "older_version");

    // Polling with that ETag: 304 and no body, however often.
    for _ in 0..2 {
        let (status, headers, body) = central_proc.get_full("/api/v1/catalogue/bundle", Some(&k.token), &[("If-None-Match", &etag)]);
        assert_eq!((status, body.as_str()), (304, ""));
        assert_eq!(header(&headers, "etag"), Some(etag.as_str()));
    }
    let (status, health) = central_proc.get_json("/healthz", None);
    assert_eq!((status, health["catalogue"]["version"].as_i64()), (200, Some(1)));

    // A catalogue with a mistake is refused with its place, and nothing is published.
    let broken = catalogue_copy();
    let file = broken.path().join("ho_tich.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("level = \"commune\"", "level = \"district\"", 1)).unwrap();
    let (exit, out, err) = central(&["publish-catalogue", "--db", &url, "--key", key, broken.path().to_str().unwrap()]);
    assert_eq!(exit, 1, "{out}{err}");
    assert!(err.contains("nothing was published") && err.contains("ho_tich.toml:6: procedure #1 (1.001193)"), "{err}");
    assert!(err.contains("district"), "{err}");

    // A new publication: version 2, a new ETag; the old one gets the new bundle; heartbeats say so.
    rename(dir.path(), "1.001193", "Đăng ký khai sinh (theo Quyết định mới)", "Đăng ký khai sinh (lần 2)");
    let (exit, out, err) = central(&["publish-catalogue", "--db", &url, "--key", key, dir.path().to_str().unwrap()]);
    assert_eq!(exit, 0, "{out}{err}");
    assert!(out.contains("published catalogue version 2"), "{out}");
    let (status, headers, body) = central_proc.get_full("/api/v1/catalogue/bundle", Some(&k.token), &[("If-None-Match", &etag)]);
    assert_eq!(status, 200);
    assert_ne!(header(&headers, "etag"), Some(etag.as_str()));
    let (bundle, catalog) = catalogue::bundle::open(body.as_bytes(), &verifying, 1).unwrap();
    assert_eq!((bundle.version(), catalog.get("1.001193").unwrap().name.as_str()), (2, "Đăng ký khai sinh (lần 2)"));
    let hb = k.heartbeat(|_| {});
    assert_eq!(heartbeat(&central_proc, &k, &hb).1["catalogue_version"], 2);

    // Published with another key: served (central has no key configured), refused by kiosks.
    let stranger = keys.path().join("stranger.key");
    assert_eq!(central(&["new-province-key", stranger.to_str().unwrap()]).0, 0);
    let (exit, out, err) = central(&["publish-catalogue", "--db", &url, "--key", stranger.to_str().unwrap(), dir.path().to_str().unwrap()]);
    assert_eq!(exit, 0, "{out}{err}");
    let (_, _, body) = central_proc.get_full("/api/v1/catalogue/bundle", Some(&k.token), &[]);
    assert_eq!(catalogue::bundle::open(body.as_bytes(), &verifying, 2).err().unwrap().reason(), "bad_signature");
    // A central told the province's key refuses to publish with another.
    let config = keys.path().join("central.toml");
    std::fs::write(&config, format!("catalogue_public_key = \"{public_key}\"\n")).unwrap();
    let args = ["publish-catalogue", "--config", config.to_str().unwrap(), "--db", &url, "--key", stranger.to_str().unwrap()];
    let (exit, _, err) = central(&[&args[..], &[dir.path().to_str().unwrap()]].concat());
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains("kiosks would refuse"), "{err}");
    assert_eq!(db.count("SELECT COUNT(*) FROM catalogue_bundles"), 3);
}

pub fn satisfaction_per_centre_service_and_month(db: &dyn Db) {
    let mut a = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY).with_centre("Trung tâm xã Hòa Phú");
    let mut b = Kiosk::new("H41-TANDINH-K1", 2, "000.00.18.H41").with_centre("Trung tâm phường Tân Định");
    let central = Central::start(db, &[&a, &b]);
    // 2026-04-01 06:30 in Vietnam is still 31 March in UTC: it counts for April.
    let links_a = vec![
        a.rate_at("rat_hai_long", Some("A"), "2026-03-31T23:30:00+07:00"),
        a.rate_at("hai_long", Some("A"), "2026-03-05T08:00:00+07:00"),
        a.rate_at("khong_hai_long", Some("A"), "2026-04-01T06:30:00+07:00"),
        a.rate_at("hai_long", Some("B"), "2026-04-02T09:00:00+07:00"),
        a.rate_at("hai_long", None, "2026-04-02T09:05:00+07:00"),
    ];
    let links_b = vec![b.rate_at("khong_hai_long", Some("A"), "2026-03-10T10:00:00+07:00")];
    assert_eq!(central.push(&a.token, &a.batch(&links_a)).0, 200);
    assert_eq!(central.push(&b.token, &b.batch(&links_b)).0, 200);
    // Names come from the heartbeats.
    let hb = a.heartbeat(|_| {});
    assert_eq!(heartbeat(&central, &a, &hb).0, 200);

    let (status, answer) = central.get_json("/api/v1/satisfaction", None);
    assert_eq!(status, 200, "{answer}");
    let rows: Vec<(String, String, String, i64, i64, i64, i64)> = answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("agency_code"), s("month"), s("service"), n("total"), n("rat_hai_long"), n("hai_long"), n("khong_hai_long"))
        })
        .collect();
    let row = |c: &str, m: &str, s: &str, t, r, h, k| (c.to_string(), m.to_string(), s.to_string(), t, r, h, k);
    assert_eq!(
        rows,
        [
            row(AGENCY, "2026-03", "A", 2, 1, 1, 0),
            row(AGENCY, "2026-04", "", 1, 0, 1, 0),
            row(AGENCY, "2026-04", "A", 1, 0, 0, 1),
            row(AGENCY, "2026-04", "B", 1, 0, 1, 0),
            row("000.00.18.H41", "2026-03", "A", 1, 0, 0, 1),
        ]
    );
    let first = &answer["rows"][0];
    assert_eq!(
        (first["centre_name"].as_str(), first["service_name"].as_str()),
        (Some("Trung tâm xã Hòa Phú"), Some("Hộ tịch – Chứng thực"))
    );
    assert_eq!(first["satisfied_percent"], 100.0);
    assert_eq!(answer["levels"][0], json!({"code": "rat_hai_long", "label": "Rất hài lòng"}));
    // The other centre sent no heartbeat: no name, the code stands.
    assert!(answer["rows"][4]["centre_name"].is_null());

    // A period and a centre.
    let (_, april) = central.get_json(&format!("/api/v1/satisfaction?centre={AGENCY}&from=2026-04-01&to=2026-04-30"), None);
    assert_eq!(april["rows"].as_array().unwrap().len(), 3);

    // The CSV: a spreadsheet's file, in Vietnamese.
    let (status, headers, csv) = central.get_full("/api/v1/satisfaction.csv?from=2026-03-01&to=2026-03-31", None, &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("text/csv; charset=utf-8"));
    assert!(header(&headers, "content-disposition").unwrap().contains("hai-long-2026-03-01-2026-03-31.csv"));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}Mã cơ quan,Tên trung tâm,Mã dịch vụ,Tên dịch vụ,Tháng,Số đánh giá,Rất hài lòng,Hài lòng,Không hài lòng,Tỷ lệ hài lòng (%)"
    );
    assert_eq!(lines[1], "000.00.17.H41,Trung tâm xã Hòa Phú,A,Hộ tịch – Chứng thực,2026-03,2,1,1,0,100.0");
    assert_eq!(lines[2], "000.00.18.H41,,A,,2026-03,1,0,0,1,0.0");
    assert_eq!(lines.len(), 4);

    // The copied columns are checked against the signed record like the others.
    drop(central);
    assert_eq!(verify(db, &[]).0, 0);
    db.execute("UPDATE ratings SET service = 'C' WHERE kiosk_id = 'H41-HOAPHU-K1' AND seq = 4");
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 4") && out.contains("column service"), "{out}");
}

pub fn every_response_carries_the_security_headers(db: &dyn Db) {
    let k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    for (path, kind) in [
        ("/", "text/html"),
        ("/fleet", "text/html"),
        ("/assets/fleet.js", "text/javascript"),
        ("/assets/central.css", "text/css"),
        ("/api/v1/centres", "application/json"),
        ("/api/v1/nothing", "application/json"),
    ] {
        let (status, headers, body) = central.get_full(path, None, &[]);
        assert!(status == 200 || path == "/api/v1/nothing", "{path}: {status}");
        assert!(header(&headers, "content-type").unwrap().starts_with(kind), "{path}");
        let csp = header(&headers, "content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header(&headers, "x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"), "{path}");
        if kind == "text/html" {
            assert!(body.starts_with("<!doctype html>\n<html lang=\"vi\">"), "{path}");
        }
    }
    assert_eq!(central.get_json("/assets/../central.toml", None).0, 404);
}

/// A database written by a protocol-1 central (no migrations table, no service or month
/// columns) is brought up to date at start, its ratings counted by service and month.
pub fn a_protocol_1_database_is_migrated(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    db.execute(
        "CREATE TABLE ratings (kiosk_id TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL UNIQUE, prev_hash TEXT NOT NULL,
         hash TEXT NOT NULL, signature TEXT NOT NULL, public_key TEXT NOT NULL, record_json TEXT NOT NULL, agency_code TEXT NOT NULL,
         official TEXT NOT NULL, rated_at TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, seq));
         CREATE INDEX ratings_by_centre ON ratings (agency_code, rated_at)",
    );
    for (official, service, at, utc) in [
        ("hai_long", Some("B"), "2026-04-01T06:30:00+07:00", "2026-03-31T23:30:00.000Z"),
        ("rat_hai_long", None, "2026-03-02T08:00:00+07:00", "2026-03-02T01:00:00.000Z"),
    ] {
        let link = k.rate_at(official, service, at);
        let s = |f: &str| link[f].as_str().unwrap().replace('\'', "''");
        db.execute(&format!(
            "INSERT INTO ratings VALUES ('{}', {}, '{}', '{}', '{}', '{}', '{}', '{}', '{AGENCY}', '{official}', '{utc}', '2026-04-01T00:00:00.000Z')",
            k.id,
            link["seq"],
            s("id"),
            s("prev_hash"),
            s("hash"),
            s("signature"),
            k.public_key(),
            s("record_json"),
        ));
    }
    let central = Central::start(db, &[&k]);
    let (_, answer) = central.get_json("/api/v1/satisfaction", None);
    let months: Vec<(&str, &str, i64)> = answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["month"].as_str().unwrap(), r["service"].as_str().unwrap(), r["total"].as_i64().unwrap()))
        .collect();
    assert_eq!(months, [("2026-03", "", 1), ("2026-04", "B", 1)]);
    // The chain goes on where it was.
    let next = k.rate("hai_long");
    assert_eq!(central.push(&k.token, &k.batch(&[next])).1["last_seq"], 3);
    drop(central);
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 0, "{out}");
    assert_eq!(db.count("SELECT COUNT(*) FROM central_migrations"), 3);
    // Starting again migrates nothing twice.
    let central = Central::start(db, &[&k]);
    assert_eq!(central.get_json("/healthz", None).0, 200);
    assert_eq!(db.count("SELECT COUNT(*) FROM central_migrations"), 3);
}
