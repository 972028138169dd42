//! fsyncs per operation, counted (issue 20): on a Pi's SD card every fsync costs milliseconds and
//! wears the card, so each operation a citizen or an officer waits for costs one durable commit
//! and no more. A counting VFS — SQLite's own `unix` VFS with its `xSync` wrapped — is made the
//! process's default before the kiosk opens its database, so the real store, through the real
//! HTTP routes, is counted: a regression (a second commit on the request path, a relaxed commit
//! that is not relaxed) fails here. Group commit is counted too: commands that queue while the
//! writer is busy share one commit, and one that fails in such a batch takes no other with it.
//! The pages each operation writes to the log are counted too (every page is written once more
//! at the next checkpoint).

mod common;

use std::ffi::{c_char, c_int};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::task::Poll;
use std::time::Duration;

use axum::http::StatusCode;
use rusqlite::ffi;
use serde_json::json;

/// Every `xSync` SQLite asked of any file since the VFS was installed.
static SYNCS: AtomicU64 = AtomicU64::new(0);
/// Every page written to a write-ahead log: SQLite writes each WAL frame as its 24-byte header,
/// then the page (and the log's own header is 32 bytes), so a 24-byte write is one frame.
static FRAMES: AtomicU64 = AtomicU64::new(0);
/// The `unix` VFS the counting one wraps.
static REAL: OnceLock<usize> = OnceLock::new();
/// For each of the real VFS's I/O method tables, the counting copy handed out instead.
static TABLES: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// The real VFS's I/O methods behind the counting copy `file` carries.
fn real_methods(file: *mut ffi::sqlite3_file) -> *const ffi::sqlite3_io_methods {
    let copy = unsafe { (*file).pMethods } as usize;
    let real = TABLES.lock().unwrap().iter().find(|(_, c)| *c == copy).map(|(r, _)| *r).expect("a table we handed out");
    real as *const ffi::sqlite3_io_methods
}

unsafe extern "C" fn counted_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    SYNCS.fetch_add(1, Ordering::SeqCst);
    unsafe { ((*real_methods(file)).xSync.expect("xSync"))(file, flags) }
}

unsafe extern "C" fn counted_write(
    file: *mut ffi::sqlite3_file,
    data: *const std::ffi::c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    if amount == 24 {
        FRAMES.fetch_add(1, Ordering::SeqCst);
    }
    unsafe { ((*real_methods(file)).xWrite.expect("xWrite"))(file, data, amount, offset) }
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
                table.xWrite = Some(counted_write);
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

fn frames() -> u64 {
    FRAMES.load(Ordering::SeqCst)
}

/// The count is the process's: the tests of this file take turns.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// Poll `fut` once: a store command is queued on the writer by its first poll.
async fn queue(fut: Pin<&mut (impl Future + ?Sized)>) {
    let mut fut = Some(fut);
    std::future::poll_fn(|cx| {
        let _ = fut.take().unwrap().poll(cx);
        Poll::Ready(())
    })
    .await
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
    let _turn = one_at_a_time().await;
    install_counting_vfs();
    let kiosk = common::kiosk().await;
    let k = &kiosk;
    // The VFS sees the kiosk's own database: opening and migrating it synced.
    assert!(syncs() > 0, "the counting VFS is not in use");
    k.issue("A").await; // the log's first frames and header

    // A ticket through POST /api/v1/tickets, printed on the virtual printer: one fsync (the
    // ticket, its number and its journal event in one commit); its print outcome none.
    let frames_before = frames();
    let per_ticket = cost(20, || async move {
        let t = k.issue("A").await;
        assert_eq!(t["printed"], true, "{t}");
    })
    .await;
    assert_eq!(per_ticket, 1.0, "fsyncs per issued ticket");
    // Pages written (WAL frames): the ticket's row and its indexes, the journal's row and its
    // indexes, the queue's length, the print outcome; a page more per ticket fails (now and
    // then a B-tree page splits, hence the half page of room).
    let frames_per_ticket = (frames() - frames_before) as f64 / 20.0;
    assert!(frames_per_ticket <= 9.5, "WAL frames per printed ticket: {frames_per_ticket}");
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
    let frames_before = frames();
    let call = cost(10, || async move {
        let (s, v) = k.post("/api/v1/counters/1/call-next", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = k.post("/api/v1/counters/1/finish", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    })
    .await;
    assert_eq!(call, 2.0, "fsyncs per call-next + finish");
    // About one page more (15.3) while the journal counted in `sqlite_sequence`, a page of its own.
    let frames_per_call = (frames() - frames_before) as f64 / 10.0;
    assert!(frames_per_call <= 14.8, "WAL frames per call-next + finish: {frames_per_call}");
    eprintln!("WAL frames: {frames_per_ticket} per printed ticket, {frames_per_call} per call-next + finish");

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

/// Issues that arrive while the writer is busy are committed together: N tickets issued at once
/// over HTTP cost far fewer than N fsyncs (without group commit: N), every one of them numbered
/// once, and a request that fails among them (an unknown service) takes none of the others with
/// it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_issues_share_their_commits() {
    let _turn = one_at_a_time().await;
    install_counting_vfs();
    let kiosk = std::sync::Arc::new(common::kiosk().await);
    let k = &kiosk;
    k.issue("A").await; // the log's first frames and header

    // Hold SQLite's write lock from a connection of our own: the writer waits on the first
    // issue while the others queue behind it — the moment a busy kiosk's writer is in an fsync.
    let blocker = rusqlite::Connection::open(k.service.config().database_path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        blocker.execute_batch("ROLLBACK").unwrap();
    });

    const N: usize = 32;
    let before = syncs();
    // Each request is a task of its own, as each connection is in the server: a request that
    // finds the store idle commits on its own thread and holds up only its own task.
    let answers: Vec<_> = futures_util::future::join_all((0..N).map(|i| {
        let k = kiosk.clone();
        tokio::spawn(async move {
            let service = if i % 8 == 7 { "Z" } else { "A" };
            k.post("/api/v1/tickets", None, json!({"service": service})).await
        })
    }))
    .await
    .into_iter()
    .map(|answer| answer.unwrap())
    .collect();
    let spent = syncs() - before;
    release.join().unwrap();

    let mut numbers = Vec::new();
    for (i, (status, v)) in answers.iter().enumerate() {
        if i % 8 == 7 {
            assert_ne!(*status, StatusCode::CREATED, "{v}");
        } else {
            assert_eq!(*status, StatusCode::CREATED, "{v}");
            numbers.push(v["number"].as_str().unwrap().to_string());
        }
    }
    let issued = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), issued, "each number once");
    // Every ticket answered is there (committed), read back by a reader.
    let (_, queue) = k.get("/api/v1/queue").await;
    let waiting = queue["services"].as_array().unwrap().iter().find(|s| s["code"] == "A").unwrap()["waiting"].as_u64().unwrap();
    assert_eq!(waiting as usize, 1 + issued, "{queue}");
    println!("{spent} fsyncs for {N} tickets asked at once ({issued} issued)");
    assert!(spent < N as u64 / 4, "{spent} fsyncs for {N} tickets issued at once: the commits were not shared");
}

/// Commands queued together run in one transaction, each in its own savepoint: the one that fails
/// (an error of its own after writing, or SQLite's constraint) rolls back only itself and answers
/// its own error; the others commit — together, with one fsync — before any is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_command_in_a_batch_rolls_back_only_itself() {
    use firmware::store::{Store, StoreError};

    let _turn = one_at_a_time().await;
    install_counting_vfs();
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(&dir.path().join("batch.sqlite3")).unwrap());
    store.write(|c| Ok::<_, StoreError>(c.execute_batch("CREATE TABLE t (x INTEGER PRIMARY KEY)")?)).await.unwrap();
    store.write(|c| Ok::<_, StoreError>(c.execute_batch("INSERT INTO t VALUES (0)")?)).await.unwrap();

    // Keep the writer busy until the batch is queued behind it: a command of another task, run
    // on the idle connection by that task itself.
    let (started, writer_busy) = std::sync::mpsc::channel::<()>();
    let (open, gate) = std::sync::mpsc::channel::<()>();
    let busy = tokio::spawn({
        let store = store.clone();
        async move {
            store
                .write(move |_| {
                    started.send(()).unwrap();
                    gate.recv().unwrap();
                    Ok::<_, StoreError>(())
                })
                .await
        }
    });
    tokio::task::spawn_blocking(move || writer_busy.recv().unwrap()).await.unwrap();

    let insert = |x: i64| move |c: &rusqlite::Connection| Ok::<_, StoreError>(c.execute("INSERT INTO t VALUES (?1)", [x])?);
    let mut a = std::pin::pin!(store.write(insert(1)));
    let mut b = std::pin::pin!(store.write(|c| {
        c.execute("INSERT INTO t VALUES (2)", [])?;
        Err::<usize, _>(StoreError("refused after writing".into()))
    }));
    let mut c = std::pin::pin!(store.write(insert(1))); // A's key again: a constraint error
    let mut d = std::pin::pin!(store.write_soon(insert(3)));
    let mut e = std::pin::pin!(store.write(insert(4)));
    queue(a.as_mut()).await;
    queue(b.as_mut()).await;
    queue(c.as_mut()).await;
    queue(d.as_mut()).await;
    queue(e.as_mut()).await;

    let before = syncs();
    open.send(()).unwrap();
    busy.await.unwrap().unwrap();
    assert_eq!(a.await.unwrap(), 1);
    assert_eq!(b.await.unwrap_err().to_string(), "storage: refused after writing");
    assert!(c.await.unwrap_err().to_string().contains("UNIQUE"), "a constraint error");
    assert_eq!(d.await.unwrap(), 1);
    assert_eq!(e.await.unwrap(), 1);
    assert_eq!(syncs() - before, 1, "one commit, one fsync, for the whole batch");

    let rows = store
        .read(|c| {
            let mut st = c.prepare("SELECT x FROM t ORDER BY x")?;
            let rows = st.query_map([], |r| r.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap();
    assert_eq!(rows, vec![0, 1, 3, 4], "B's and C's writes rolled back, nobody else's");
    assert_eq!(store.writer_durability().await.unwrap(), ("wal".to_string(), 2));
}
