//! The receiver's behaviour over real HTTP, written once and run against every storage engine.

use serde_json::{json, Value};

use super::{verify, Central, Db, Kiosk, ADMIN};

const AGENCY: &str = "000.00.17.H41";

fn stored(db: &dyn Db) -> i64 {
    db.count("SELECT COUNT(*) FROM ratings")
}

fn ids(links: &[Value]) -> Vec<Value> {
    links.iter().map(|l| l["id"].clone()).collect()
}

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {answer}"))
}

pub fn a_batch_is_stored_once_however_often_it_is_sent(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let links: Vec<Value> = (0..3).map(|_| k.rate("hai_long")).collect();

    let (status, answer) = central.push(&k.token, &k.batch(&links));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"acknowledged": ids(&links), "last_seq": 3}));
    assert_eq!(stored(db), 3);

    // The acknowledgement was lost: the kiosk sends the same batch again.
    for _ in 0..2 {
        let (status, again) = central.push(&k.token, &k.batch(&links));
        assert_eq!(status, 200, "{again}");
        assert_eq!(again, answer);
    }
    assert_eq!(stored(db), 3);

    // A batch overlapping what is stored: 2 and 3 acknowledged again, 4 and 5 stored.
    let mut overlapping = links[1..].to_vec();
    overlapping.push(k.rate("rat_hai_long"));
    overlapping.push(k.rate("khong_hai_long"));
    let (status, answer) = central.push(&k.token, &k.batch(&overlapping));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"acknowledged": ids(&overlapping), "last_seq": 5}));
    assert_eq!(stored(db), 5);
    assert_eq!(db.count("SELECT COUNT(DISTINCT id) FROM ratings"), 5);

    assert!(central.stop().success(), "SIGTERM is a clean stop");
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 0, "{out}");
    assert!(out.contains("ok: 5 ratings from 1 kiosks"), "{out}");
}

pub fn an_altered_record_is_refused_and_nothing_stored(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let good = k.rate("hai_long");
    let mut altered = k.rate("khong_hai_long");
    let text = altered["record_json"].as_str().unwrap().replace("khong_hai_long", "rat_hai_long");
    altered["record_json"] = text.into();

    let (status, answer) = central.push(&k.token, &k.batch(&[good.clone(), altered]));
    assert_eq!((status, code(&answer)), (422, "bad_hash"), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("seq 2"), "{answer}");
    assert_eq!(stored(db), 0, "a batch is stored whole or not at all");

    let (status, _) = central.push(&k.token, &k.batch(&[good]));
    assert_eq!(status, 200);
    assert_eq!(stored(db), 1);
}

pub fn a_wrong_signature_is_refused(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let mut link = k.rate("hai_long");
    // Signed by another key: the hash still holds, the signature does not.
    let forger = Kiosk::new("H41-HOAPHU-K1", 9, AGENCY);
    link["signature"] = super::link(&forger.key, link["id"].as_str().unwrap(), 1, super::ZERO_HASH, link["record_json"].as_str().unwrap())
        ["signature"]
        .clone();
    let (status, answer) = central.push(&k.token, &k.batch(&[link]));
    assert_eq!((status, code(&answer)), (422, "bad_signature"), "{answer}");
    assert_eq!(stored(db), 0);
}

pub fn a_wrong_credential_is_refused(db: &dyn Db) {
    let mut k1 = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let k2 = Kiosk::new("H41-HOAPHU-K2", 2, AGENCY);
    let central = Central::start(db, &[&k1, &k2]);
    let links = vec![k1.rate("hai_long")];

    let (status, answer) = central.push("not-a-credential", &k1.batch(&links));
    assert_eq!((status, code(&answer)), (401, "bad_credential"), "{answer}");
    // Kiosk 2's credential for kiosk 1's batch.
    let (status, answer) = central.push(&k2.token, &k1.batch(&links));
    assert_eq!((status, code(&answer)), (401, "bad_credential"), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("belongs to kiosk H41-HOAPHU-K2"));
    // The right credential with a key that is not the registered one.
    let mut other_key = k1.batch(&links);
    other_key["public_key"] = k2.public_key().into();
    let (status, answer) = central.push(&k1.token, &other_key);
    assert_eq!((status, code(&answer)), (401, "bad_credential"), "{answer}");
    assert_eq!(stored(db), 0);

    let (status, _) = central.push(&k1.token, &k1.batch(&links));
    assert_eq!(status, 200);
}

pub fn a_gap_names_the_seq_to_resend_from(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let links: Vec<Value> = (0..5).map(|_| k.rate("hai_long")).collect();
    assert_eq!(central.push(&k.token, &k.batch(&links[..2])).0, 200);

    let (status, answer) = central.push(&k.token, &k.batch(&links[3..]));
    assert_eq!((status, code(&answer)), (409, "chain_gap"), "{answer}");
    assert_eq!(answer["error"]["expected_seq"], 3);
    assert_eq!(stored(db), 2);

    let (status, answer) = central.push(&k.token, &k.batch(&links[2..]));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["last_seq"], 5);

    // A new kiosk's first batch must start at seq 1.
    let mut fresh = Kiosk::new("H41-HOAPHU-K3", 3, AGENCY);
    drop(central);
    let central = Central::start(db, &[&fresh]);
    let _first = fresh.rate("hai_long");
    let second = fresh.rate("hai_long");
    let (status, answer) = central.push(&fresh.token, &fresh.batch(&[second]));
    assert_eq!((status, answer["error"]["expected_seq"].as_i64()), (409, Some(1)), "{answer}");
}

pub fn a_different_rating_at_a_stored_seq_is_a_conflict(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let first = k.rate("hai_long");
    let second = k.rate("hai_long");
    assert_eq!(central.push(&k.token, &k.batch(&[first.clone(), second.clone()])).0, 200);

    // The kiosk lost its database and rebuilt seq 2 with another rating on the same predecessor.
    let id = uuid::Uuid::new_v4().to_string();
    let other = super::link(&k.key, &id, 2, first["hash"].as_str().unwrap(), &k.record(&id, 2, "khong_hai_long"));
    let (status, answer) = central.push(&k.token, &k.batch(&[other]));
    assert_eq!((status, code(&answer)), (409, "chain_conflict"), "{answer}");

    // The same id sent again with other content.
    let id2 = second["id"].as_str().unwrap();
    let rewritten = super::link(&k.key, id2, 2, first["hash"].as_str().unwrap(), &k.record(id2, 2, "rat_hai_long"));
    let (status, answer) = central.push(&k.token, &k.batch(&[rewritten]));
    assert_eq!((status, code(&answer)), (409, "chain_conflict"), "{answer}");

    // Seq 3 that does not follow the stored seq 2.
    let id3 = uuid::Uuid::new_v4().to_string();
    let astray = super::link(&k.key, &id3, 3, first["hash"].as_str().unwrap(), &k.record(&id3, 3, "hai_long"));
    let (status, answer) = central.push(&k.token, &k.batch(&[astray]));
    assert_eq!((status, code(&answer)), (409, "chain_conflict"), "{answer}");

    assert_eq!(stored(db), 2);
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM ratings WHERE official = 'hai_long' AND id = '{id2}'")), 1, "never overwritten");
}

pub fn malformed_batches_are_refused_with_a_reason(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let (status, answer) = central.push_raw(&k.token, "{not json");
    assert_eq!((status, code(&answer)), (400, "malformed"), "{answer}");

    let a = k.rate("hai_long");
    let _skipped = k.rate("hai_long");
    let c = k.rate("hai_long");
    let (status, answer) = central.push(&k.token, &k.batch(&[a.clone(), c]));
    assert_eq!((status, code(&answer)), (422, "malformed"), "not consecutive: {answer}");

    let mut old = k.batch(std::slice::from_ref(&a));
    old["protocol"] = 2.into();
    let (status, answer) = central.push(&k.token, &old);
    assert_eq!((status, code(&answer)), (422, "malformed"), "{answer}");

    // A record that names another seq than its link, correctly hashed and signed.
    let id = a["id"].as_str().unwrap();
    let lying = super::link(&k.key, id, 1, super::ZERO_HASH, &k.record(id, 7, "hai_long"));
    let (status, answer) = central.push(&k.token, &k.batch(&[lying]));
    assert_eq!((status, code(&answer)), (422, "malformed"), "{answer}");
    assert_eq!(stored(db), 0);
}

pub fn verify_catches_a_row_altered_in_the_database(db: &dyn Db) {
    let mut k = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let central = Central::start(db, &[&k]);
    let links: Vec<Value> = (0..4).map(|_| k.rate("khong_hai_long")).collect();
    assert_eq!(central.push(&k.token, &k.batch(&links)).0, 200);
    drop(central);
    let registered = ["--kiosk", &k.spec()];
    let (exit, out) = verify(db, &registered);
    assert_eq!(exit, 0, "{out}");

    // The figure column changed behind the chain's back.
    db.execute("UPDATE ratings SET official = 'rat_hai_long' WHERE seq = 2");
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 2") && out.contains("column official"), "{out}");
    db.execute("UPDATE ratings SET official = 'khong_hai_long' WHERE seq = 2");

    // The signed record itself changed.
    db.execute("UPDATE ratings SET record_json = REPLACE(record_json, 'khong_hai_long', 'hai_long') WHERE seq = 3");
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 3") && out.contains("altered"), "{out}");

    // Record and hash rewritten and re-signed by an intruder's key: the next link breaks, and
    // with the registry, the foreign key shows at once.
    let row3: Value = links[2].clone();
    let intruder = Kiosk::new("H41-HOAPHU-K1", 66, AGENCY);
    let record = row3["record_json"].as_str().unwrap().replace("khong_hai_long", "hai_long");
    let forged = super::link(&intruder.key, row3["id"].as_str().unwrap(), 3, links[1]["hash"].as_str().unwrap(), &record);
    db.execute(&format!(
        "UPDATE ratings SET record_json = '{}', hash = '{}', signature = '{}', public_key = '{}', official = 'hai_long' WHERE seq = 3",
        record.replace('\'', "''"),
        forged["hash"].as_str().unwrap(),
        forged["signature"].as_str().unwrap(),
        intruder.public_key()
    ));
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 4") && out.contains("prev_hash"), "{out}");
    let (exit, out) = verify(db, &registered);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 3") && out.contains("not the key registered"), "{out}");

    // A rating removed from the middle.
    db.execute("DELETE FROM ratings WHERE seq >= 3");
    assert_eq!(verify(db, &[]).0, 0);
    db.execute("DELETE FROM ratings WHERE seq = 1");
    let (exit, out) = verify(db, &[]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("seq 2") && out.contains("missing"), "{out}");
}

pub fn staff_see_ratings_and_satisfaction_per_centre(db: &dyn Db) {
    let mut a = Kiosk::new("H41-HOAPHU-K1", 1, AGENCY);
    let mut b = Kiosk::new("H41-TANDINH-K1", 2, "000.00.18.H41");
    let central = Central::start(db, &[&a, &b]);
    let links_a: Vec<Value> = ["rat_hai_long", "hai_long", "hai_long", "khong_hai_long"].iter().map(|l| a.rate(l)).collect();
    let links_b: Vec<Value> = ["khong_hai_long"].iter().map(|l| b.rate(l)).collect();
    assert_eq!(central.push(&a.token, &a.batch(&links_a)).0, 200);
    assert_eq!(central.push(&b.token, &b.batch(&links_b)).0, 200);

    let (status, centres) = central.get_json("/api/v1/centres", None);
    assert_eq!(status, 200);
    assert_eq!(
        centres["centres"],
        json!([
            {"agency_code": AGENCY, "total": 4, "rat_hai_long": 1, "hai_long": 2, "khong_hai_long": 1, "satisfied_percent": 75.0},
            {"agency_code": "000.00.18.H41", "total": 1, "rat_hai_long": 0, "hai_long": 0, "khong_hai_long": 1, "satisfied_percent": 0.0},
        ])
    );
    // The page reads that JSON (its drawing is tested in Chromium, tests/web.rs).
    let (status, page) = central.get("/", None);
    assert_eq!(status, 200);
    assert!(page.contains("Mức độ hài lòng") && page.contains("/assets/home.js"), "{page}");

    // The listing is for the province's staff only.
    assert_eq!(central.get_json(&format!("/api/v1/ratings?centre={AGENCY}"), None).0, 401);
    assert_eq!(central.get_json(&format!("/api/v1/ratings?centre={AGENCY}"), Some(&a.token)).0, 401);
    let (status, list) = central.get_json(&format!("/api/v1/ratings?centre={AGENCY}"), Some(ADMIN));
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["count"], 4);
    assert_eq!(list["ratings"][0]["id"], links_a[0]["id"]);
    assert_eq!(list["ratings"][0]["record"]["officer"], "Trần Thị Bình");
    assert_eq!(list["ratings"][0]["record_json"], links_a[0]["record_json"]);

    // Rated 08:01…08:04 on 2026-03-05 in Vietnam; 08:02:12 onwards, until 08:04:00.
    let (_, window) =
        central.get_json("/api/v1/ratings?kiosk=H41-HOAPHU-K1&from=2026-03-05T08:02:00%2B07:00&to=2026-03-05T01:04:00Z", Some(ADMIN));
    assert_eq!(window["ratings"].as_array().unwrap().iter().map(|r| r["seq"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(central.get_json("/api/v1/ratings?from=2026-03-05&to=2026-03-05", Some(ADMIN)).1["count"], 5);
    assert_eq!(central.get_json("/api/v1/ratings?from=2026-03-06", Some(ADMIN)).1["count"], 0);
    let (status, bad) = central.get_json("/api/v1/ratings?from=yesterday", Some(ADMIN));
    assert_eq!((status, code(&bad)), (400, "bad_query"));

    let (status, health) = central.get_json("/healthz", None);
    assert_eq!((status, &health["status"]), (200, &json!("ok")));
    let (status, missing) = central.get_json("/api/v1/nothing", None);
    assert_eq!((status, code(&missing)), (404, "not_found"));
}
