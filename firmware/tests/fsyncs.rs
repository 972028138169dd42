//! fsyncs per operation, counted (issue 20): on a Pi's SD card every fsync costs milliseconds and
//! wears the card, so each operation a citizen or an officer waits for costs one durable commit
//! and no more. A counting VFS — SQLite's own `unix` VFS with its `xSync` wrapped — is made the
//! process's default before the kiosk opens its database, so the real store, through the real
//! HTTP routes, is counted: a regression (a second commit on the request path, a relaxed commit
//! that is not relaxed) fails here.

mod common;

use std::ffi::{c_char, c_int};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use axum::http::StatusCode;
use rusqlite::ffi;
use serde_json::json;

/// Every `xSync` SQLite asked of any file since the VFS was installed.
static SYNCS: AtomicU64 = AtomicU64::new(0);
/// The `unix` VFS the counting one wraps.
static REAL: OnceLock<usize> = OnceLock::new();
/// For each of the real VFS's I/O method tables, the counting copy handed out instead.
static TABLES: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

unsafe extern "C" fn counted_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    SYNCS.fetch_add(1, Ordering::SeqCst);
    let copy = unsafe { (*file).pMethods } as usize;
    let real = TABLES.lock().unwrap().iter().find(|(_, c)| *c == copy).map(|(r, _)| *r).expect("a table we handed out");
    let real = real as *const ffi::sqlite3_io_methods;
    unsafe { ((*real).xSync.expect("xSync"))(file, flags) }
}

unsafe extern "C" fn counting_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let real = *REAL.get().unwrap() as *mut ffi::sqlite3_vfs;
    let rc = unsafe { ((*real).xOpen.expect("xOpen"))(real, name, file, flags, out_flags) };
    let methods = unsafe { (*file).pMethods };
    if rc == ffi::SQLITE_OK && !methods.is_null() {
        let mut tables = TABLES.lock().unwrap();
        let copy = match tables.iter().find(|(r, _)| *r == methods as usize) {
            Some((_, c)) => *c,
            None => {
                let mut table = unsafe { std::ptr::read(methods) };
                table.xSync = Some(counted_sync);
                let c = Box::leak(Box::new(table)) as *const ffi::sqlite3_io_methods as usize;
                tables.push((methods as usize, c));
                c
            }
        };
        unsafe { (*file).pMethods = copy as *const ffi::sqlite3_io_methods };
    }
    rc
}

/// Make the counting VFS the default for every connection this process opens from now on.
fn install_counting_vfs() {
    REAL.get_or_init(|| unsafe {
        let real = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!real.is_null());
        let mut vfs = std::ptr::read(real);
        vfs.zName = c"counting".as_ptr();
        vfs.pNext = std::ptr::null_mut();
        vfs.xOpen = Some(counting_open);
        let vfs = Box::leak(Box::new(vfs));
        assert_eq!(ffi::sqlite3_vfs_register(vfs, 1), ffi::SQLITE_OK);
        real as usize
    });
}

fn syncs() -> u64 {
    SYNCS.load(Ordering::SeqCst)
}

/// fsyncs `op` cost, averaged over `n` runs.
async fn cost<F: std::future::Future<Output = ()>>(n: u64, mut op: impl FnMut() -> F) -> f64 {
    let before = syncs();
    for _ in 0..n {
        op().await;
    }
    (syncs() - before) as f64 / n as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_operation_costs_one_durable_commit_and_print_outcomes_none() {
    install_counting_vfs();
    let kiosk = common::kiosk().await;
    let k = &kiosk;
    // The VFS sees the kiosk's own database: opening and migrating it synced.
    assert!(syncs() > 0, "the counting VFS is not in use");
    k.issue("A").await; // the log's first frames and header

    // A ticket through POST /api/v1/tickets, printed on the virtual printer: one fsync (the
    // ticket, its number and its journal event in one commit); its print outcome none.
    let per_ticket = cost(20, || async move {
        let t = k.issue("A").await;
        assert_eq!(t["printed"], true, "{t}");
    })
    .await;
    assert_eq!(per_ticket, 1.0, "fsyncs per issued ticket");
    // The relaxed commit left the writer at synchronous=FULL for the next command.
    assert_eq!(k.service.store_durability().await.unwrap(), ("wal".to_string(), 2));
    // The outcome is committed: readers see it at once.
    let t = k.issue("B").await;
    let (_, read) = k.get(&format!("/api/v1/tickets/{}", t["id"].as_str().unwrap())).await;
    assert_eq!(read["printed"], true, "{read}");

    // An officer: call the next citizen, finish — one each.
    // A sign-in: two — the attempt written down before argon2 runs (a restart must not clear a
    // lockout), then the session with the attempts forgotten.
    let before = syncs();
    let token = &k.login(1).await;
    assert_eq!(syncs() - before, 2, "fsyncs per sign-in");
    let call = cost(5, || async move {
        let (s, v) = k.post("/api/v1/counters/1/call-next", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = k.post("/api/v1/counters/1/finish", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    })
    .await;
    assert_eq!(call, 2.0, "fsyncs per call-next + finish");

    // A rating of a finished ticket: one. (Counter 4 serves C and D, where nobody else waits.)
    let id = k.issue("D").await["id"].as_str().unwrap().to_string();
    let token = &k.login(4).await;
    let (s, v) = k.post("/api/v1/counters/4/call-next", Some(token), json!({})).await;
    assert_eq!((s, v["ticket"]["service"].as_str()), (StatusCode::OK, Some("D")), "{v}");
    let (s, _) = k.post("/api/v1/counters/4/finish", Some(token), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let before = syncs();
    let (s, v) = k.post("/api/v1/ratings", None, json!({"ticket_id": id, "level": "hai_long"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(syncs() - before, 1, "fsyncs per rating");

    // When nothing follows a relaxed commit, the writer syncs the log itself once idle (with
    // std's fsync, not through SQLite: invisible here), and keeps no commit waiting.
    let before = syncs();
    k.issue("E").await;
    tokio::time::sleep(firmware::store::SYNC_WHEN_IDLE * 3).await;
    assert_eq!(syncs() - before, 1, "the idle sync does not go through a second SQLite commit");
}
