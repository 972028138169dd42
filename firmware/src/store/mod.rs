//! Durable storage on SQLite: one writer, many readers.
//!
//! There is one writable connection, behind a lock, and commands on it run one after another —
//! so numbering and calling can never race — and a ticket is acknowledged only after the
//! transaction that holds it committed. A writer thread runs the queued commands in arrival
//! order; a caller that finds nothing queued and the connection idle runs its own command on
//! its own thread instead ([`Store::write`]), which spares one client after another two thread
//! hand-offs per command. The database runs in WAL mode with
//! `synchronous=FULL`: a committed ticket survives `kill -9` and a power cut. Readers use their
//! own read-only connections and never wait for the writer.
//!
//! Group commit: the commands already queued when the writer takes the next one (at most
//! [`MAX_BATCH`]; it never waits for more) run in one transaction, each in a savepoint of its
//! own — one that fails rolls back only itself and answers its own error — and the transaction
//! commits once, with one fsync, before any of them is answered. Alone, a command is the
//! transaction, as before.
//!
//! One fsync per acknowledged change: a command that only records an outcome the caller already
//! knows (a ticket's print result) is written "soon" ([`Store::write_soon`]): committed at once
//! without its own fsync, so it survives `kill -9` at once and a power cut as soon as the next
//! durable commit syncs the log (which carries every earlier frame) or, when none follows, once
//! the writer has been idle for [`SYNC_WHEN_IDLE`]. A power cut inside that window loses only the
//! print outcome: the ticket reads back as printed "unknown", never as a ticket that was not
//! issued. `tests/fsyncs.rs` counts the syncs of every operation.
//!
//! Persistence only: SQL in, rows out. The store knows no configuration, events or sessions;
//! the use cases in `crate::service` decide what to write and run it here.

pub mod catalogue_bundle;
pub mod device_key;
pub mod devices;
pub mod dossiers;
pub mod figures;
pub mod heartbeat;
pub mod identity_secret;
pub mod journal;
pub mod notices;
pub mod people;
pub mod ratings;
mod schema;
pub mod sessions;
pub mod tickets;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

/// Whether the database answers a trivial query.
pub fn ping(conn: &Connection) -> Result<(), StoreError> {
    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
    Ok(())
}

/// The one way a connection that writes is opened: WAL, `synchronous=FULL` (a commit is on the
/// disk before it is acknowledged, also across a power cut), foreign keys, the schema migrated.
/// The writer thread and the commands that write beside a running kioskd (`enroll-device`)
/// both come here; `tests/durability.rs` checks that no other writable connection exists.
pub fn open_writable(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten, not left in free pages: a day's card keys are gone when
    // they are deleted (docs/PRIVACY.md).
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    stable_plans(&conn)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// One plan per statement whatever the values bound to it (SQLite's query planner stability
/// guarantee). Without it SQLite marks some statements to be planned again when a parameter is
/// bound anew (an `= ?` term whose value it peeked at), and the statement cache clears every
/// binding when a statement comes back to it: such a statement was parsed and planned again on
/// every call — on the ticket path the wait estimate's query, a tenth of a ticket's
/// instructions. Our statements' plans never depended on the values.
fn stable_plans(conn: &Connection) -> Result<(), StoreError> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// A connection to a file that becomes a copy of the database (`kioskd backup`): `synchronous=FULL`;
/// its journal mode comes with the pages copied into it.
pub fn open_copy(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// `(journal_mode, synchronous)` of a connection, as SQLite reports them (`("wal", 2)` = FULL).
pub fn durability(conn: &Connection) -> Result<(String, i64), StoreError> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    Ok((mode, sync))
}

/// Run `f` in one immediate transaction on a connection of its own, beside a kioskd that may be
/// running (SQLite serialises the writers): for the commands of `kioskd` that change the data.
pub fn write_beside<R>(path: &Path, f: impl FnOnce(&rusqlite::Transaction) -> Result<R, StoreError>) -> Result<R, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn = open_writable(path)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let r = f(&tx)?;
    tx.commit()?;
    Ok(r)
}

/// Run `f` on a read-only connection of its own (commands of `kioskd` that only look).
pub fn read_beside<R>(path: &Path, f: impl FnOnce(&Connection) -> Result<R, StoreError>) -> Result<R, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    f(&conn)
}

/// `execute` through the connection's statement cache: each statement is parsed once per
/// connection, not on every call (on the ticket path the parser cost more than the fsync).
pub(crate) fn exec<P: rusqlite::Params>(conn: &Connection, sql: &str, params: P) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// `query_row` through the connection's statement cache (see [`exec`]).
pub(crate) fn row<T, P, F>(conn: &Connection, sql: &str, params: P, f: F) -> rusqlite::Result<T>
where
    P: rusqlite::Params,
    F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
{
    conn.prepare_cached(sql)?.query_row(params, f)
}

/// Every row of `sql`, for the store's tests.
#[cfg(test)]
pub(crate) fn all_rows<T, P, F>(conn: &Connection, sql: &str, params: P, f: F) -> Vec<T>
where
    P: rusqlite::Params,
    F: FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
{
    conn.prepare(sql).unwrap().query_map(params, f).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

/// Statements kept parsed per connection: every statement of a command's path fits.
const STATEMENT_CACHE: usize = 128;

/// A storage failure (disk full, file unreadable). Reported as 503: the request may be retried.
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// How long the writer waits, idle, before it syncs commits written "soon" ([`Store::write_soon`]).
pub const SYNC_WHEN_IDLE: Duration = Duration::from_millis(200);

/// What the writer thread runs: a command, durable before it answers or committed without its
/// own fsync (synced soon after).
enum Job {
    Durable(Box<dyn Command>),
    Soon(Box<dyn Command>),
    /// Upkeep that cannot run inside a transaction (a checkpoint): run alone, after what was
    /// queued before it has committed.
    Outside(Box<dyn FnOnce(&Connection) + Send>),
}

/// The most commands the writer commits together (see [`run_writer`]).
pub const MAX_BATCH: usize = 64;

/// Jobs waiting for the writer thread at most; callers beyond it wait to queue.
const QUEUE: usize = 256;

/// One command on the writer's connection: run inside the open transaction, answered once the
/// transaction's commit is known.
trait Command: Send {
    /// Run on the writer's connection (inside a transaction); whether it succeeded. A command
    /// that fails has its writes rolled back, and only its own.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answer the caller: its own result, unless `lost` says its writes did not commit.
    fn answer(self: Box<Self>, lost: Option<&StoreError>);
}

/// A caller's closure and the channel its answer goes back on.
struct Call<F, R, E> {
    work: Option<F>,
    result: Option<Result<R, E>>,
    reply: oneshot::Sender<Result<R, E>>,
}

impl<F, R, E> Command for Call<F, R, E>
where
    F: FnOnce(&Connection) -> Result<R, E> + Send,
    R: Send,
    E: From<StoreError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else { return false };
        let result = work(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn answer(self: Box<Self>, lost: Option<&StoreError>) {
        let result = match (self.result, lost) {
            // A command that failed changed nothing: its own error, whatever became of the rest.
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(r)), None) => Ok(r),
            (_, Some(lost)) => Err(StoreError(lost.0.clone()).into()),
            (None, None) => Err(StoreError("the command did not run".into()).into()),
        };
        let _ = self.reply.send(result);
    }
}

/// The writable connection and what its commits left to do, shared by the writer thread and
/// the caller that finds it idle ([`Store::write`]).
struct Writer {
    conn: Connection,
    /// Its write-ahead log, synced after relaxed commits.
    wal: PathBuf,
    /// Since when commits wait for a sync (none: everything committed is on the disk).
    unsynced: Option<std::time::Instant>,
    batch: Vec<Box<dyn Command>>,
}

impl Writer {
    /// Commit `batch` ([`commit_batch`]) and note whether the log still needs a sync.
    fn commit(&mut self, durable: bool) {
        commit_batch(&self.conn, &mut self.batch, durable);
        if durable {
            // synchronous=FULL synced the whole log at that commit, earlier frames included.
            self.unsynced = None;
        } else {
            let since = *self.unsynced.get_or_insert_with(std::time::Instant::now);
            // A steady stream of relaxed commits never leaves the writer idle: bound the wait.
            if since.elapsed() >= 5 * SYNC_WHEN_IDLE {
                self.sync();
            }
        }
    }

    /// Sync the log if a relaxed commit waits for it (a failed sync is tried again when idle).
    fn sync(&mut self) {
        if self.unsynced.is_some() && sync_log(&self.wal) {
            self.unsynced = None;
        }
    }
}

/// The writer thread's life: take the next job and whatever else is already queued (at most
/// [`MAX_BATCH`]; it never waits for more), run them in arrival order in one transaction
/// ([`commit_batch`]), commit once and only then answer each caller. The commit is durable
/// (`synchronous=FULL`, one fsync for the whole batch) when any of the jobs is; a batch of
/// "soon" jobs only is committed without a sync, and the log is synced when the next durable
/// commit does it anyway or when no job came for [`SYNC_WHEN_IDLE`]. While a caller runs its
/// own command on the idle connection ([`Store::write`]), the thread waits for it.
fn run_writer(writer: Arc<Mutex<Writer>>, mut rx: mpsc::Receiver<Job>) {
    let lock = || writer.lock().unwrap_or_else(|e| e.into_inner());
    let idle = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "the writer cannot keep time; every commit is synced at once");
            while let Some(job) = rx.blocking_recv() {
                let mut w = lock();
                match job {
                    Job::Durable(c) | Job::Soon(c) => {
                        w.batch.push(c);
                        w.commit(true);
                    }
                    Job::Outside(f) => f(&w.conn),
                }
            }
            return;
        }
    };
    loop {
        let unsynced = lock().unsynced.is_some();
        let job = if unsynced {
            match idle.block_on(async { tokio::time::timeout(SYNC_WHEN_IDLE, rx.recv()).await }) {
                Ok(job) => job,
                Err(_) => {
                    lock().sync();
                    continue;
                }
            }
        } else {
            rx.blocking_recv()
        };
        let mut w = lock();
        let Some(mut job) = job else {
            w.sync();
            return;
        };
        // What is queued already joins this commit; nothing waits for more to come.
        let mut durable = false;
        let mut upkeep = None;
        loop {
            let command = match job {
                Job::Durable(c) => {
                    durable = true;
                    c
                }
                Job::Soon(c) => c,
                Job::Outside(f) => {
                    upkeep = Some(f);
                    break;
                }
            };
            w.batch.push(command);
            if w.batch.len() == MAX_BATCH {
                break;
            }
            match rx.try_recv() {
                Ok(next) => job = next,
                Err(_) => break,
            }
        }
        if !w.batch.is_empty() {
            w.commit(durable);
        }
        if let Some(f) = upkeep {
            f(&w.conn);
        }
    }
}

/// Run `batch` (drained) in one immediate transaction and commit it once — with a sync unless
/// `durable` is false — then answer each command. Alone, a command runs as the transaction;
/// in a batch, each runs in a savepoint of its own, so a command that fails rolls back its own
/// writes only and answers its own error. Should SQLite abandon the whole transaction (an I/O
/// error, a full disk), the commands it held answer with that error and the rest go on in a new
/// transaction; a failed commit answers every command with its error. No caller hears of a
/// change before the commit that holds it.
fn commit_batch(conn: &Connection, batch: &mut Vec<Box<dyn Command>>, durable: bool) {
    if !durable {
        if let Err(e) = conn.pragma_update(None, "synchronous", "NORMAL") {
            tracing::warn!(error = %e, "cannot relax this commit; it is synced at once");
        }
    }
    let alone = batch.len() == 1;
    // Ran in the open transaction, waiting for its commit to be known before they are answered.
    let mut held: Vec<Box<dyn Command>> = Vec::with_capacity(batch.len());
    let mut open = false;
    for mut command in batch.drain(..) {
        if !open {
            if let Err(e) = exec(conn, "BEGIN IMMEDIATE", []) {
                command.answer(Some(&e.into()));
                continue;
            }
            open = true;
        }
        if alone {
            if !command.run(conn) {
                if !conn.is_autocommit() {
                    let _ = exec(conn, "ROLLBACK", []);
                }
                open = false;
            }
            held.push(command);
            break;
        }
        if let Err(e) = exec(conn, "SAVEPOINT command", []) {
            command.answer(Some(&e.into()));
            continue;
        }
        let ok = command.run(conn);
        let kept = if conn.is_autocommit() {
            Err(StoreError("the transaction was abandoned by SQLite".into()))
        } else if ok {
            exec(conn, "RELEASE command", []).map_err(StoreError::from)
        } else {
            exec(conn, "ROLLBACK TO command", []).and_then(|_| exec(conn, "RELEASE command", [])).map_err(StoreError::from)
        };
        if let Err(e) = kept {
            // The transaction is gone or in doubt: what it held is lost, this command too.
            if !conn.is_autocommit() {
                let _ = exec(conn, "ROLLBACK", []);
            }
            open = false;
            let e = StoreError(format!("not committed: {e}"));
            for c in held.drain(..) {
                c.answer(Some(&e));
            }
            command.answer(Some(&e));
            continue;
        }
        held.push(command);
    }
    let lost = if open {
        match exec(conn, "COMMIT", []) {
            Ok(_) => None,
            Err(e) => {
                if !conn.is_autocommit() {
                    let _ = exec(conn, "ROLLBACK", []);
                }
                Some(StoreError::from(e))
            }
        }
    } else {
        None
    };
    if !durable {
        if let Err(e) = conn.pragma_update(None, "synchronous", "FULL") {
            tracing::error!(error = %e, "cannot restore synchronous=FULL");
        }
    }
    for command in held {
        command.answer(lost.as_ref());
    }
}

/// fsync the write-ahead log (the whole file, whichever descriptor wrote it): every commit in it
/// is then on the disk. Whether it worked.
fn sync_log(wal: &Path) -> bool {
    match std::fs::File::open(wal).and_then(|f| f.sync_data()) {
        Ok(()) => true,
        // No log: nothing was written since the last checkpoint, which synced what it copied.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => {
            tracing::error!(error = %e, log = %wal.display(), "cannot sync the database log; retrying when idle");
            false
        }
    }
}

/// The database of one kiosk.
pub struct Store {
    path: PathBuf,
    /// Held for the store's life: a second kioskd (or a restore) on the same data cannot start.
    _lock: std::fs::File,
    /// The writer thread's queue.
    writer: mpsc::Sender<Job>,
    /// The writable connection, locked by whoever commits: the writer thread, or a caller that
    /// finds nothing queued.
    idle: Arc<Mutex<Writer>>,
    readers: Mutex<Vec<Connection>>,
}

impl Store {
    /// Open (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        }
        let lock_path = path.with_extension("lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError(format!("cannot open {}: {e}", lock_path.display())))?;
        lock.try_lock().map_err(|_| StoreError(format!("{} is in use by another kioskd; stop it first", path.display())))?;
        let conn = open_writable(path)?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let writer = Writer { conn, wal: PathBuf::from(wal), unsynced: None, batch: Vec::with_capacity(MAX_BATCH) };
        let writer = Arc::new(Mutex::new(writer));

        // A bounded queue: when the disk is slow, callers wait here instead of piling up memory.
        let (tx, rx) = mpsc::channel::<Job>(QUEUE);
        let shared = writer.clone();
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || run_writer(shared, rx))
            .map_err(|e| StoreError(format!("cannot start the writer thread: {e}")))?;
        Ok(Store { path: path.to_path_buf(), _lock: lock, writer: tx, idle: writer, readers: Mutex::new(Vec::new()) })
    }

    /// `(journal_mode, synchronous)` of the writer's own connection (see [`durability`]).
    pub async fn writer_durability(&self) -> Result<(String, i64), StoreError> {
        self.write(durability).await
    }

    /// Run `f` on the writable connection inside a write transaction (its own, or a savepoint
    /// of its own in a batch: see the module); its writes commit if it returns `Ok` and are
    /// rolled back if it returns `Err`. The commit is on the disk (fsync) before this returns.
    ///
    /// When nothing is queued and the connection is idle, the caller commits on its own thread
    /// (tokio's `block_in_place`, so the runtime's other tasks move to another thread): one
    /// client after another then costs no hand-off to the writer thread and back. Otherwise it
    /// queues for the writer thread, which commits whatever is queued together. (So writes that
    /// one task awaits together, `join_all`, commit one after another: the first holds up its
    /// own task. Requests are tasks of their own and share commits.)
    pub async fn write<R, E>(&self, f: impl FnOnce(&Connection) -> Result<R, E> + Send + 'static) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match self.commit_here(f) {
            Ok(answer) => answer.await.map_err(|_| StoreError("the writer has stopped".into()))?,
            Err(f) => self.run(f, Job::Durable).await,
        }
    }

    /// Run and commit `f` on this thread if nothing is queued and the connection is idle (and
    /// the runtime can lend this thread: a multi-threaded one); else hand `f` back.
    fn commit_here<F, R, E>(&self, f: F) -> Result<oneshot::Receiver<Result<R, E>>, F>
    where
        F: FnOnce(&Connection) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let multi_thread =
            tokio::runtime::Handle::try_current().is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if !multi_thread || self.writer.capacity() < QUEUE {
            return Err(f);
        }
        let Ok(mut w) = self.idle.try_lock() else { return Err(f) };
        let (reply, answer) = oneshot::channel();
        w.batch.push(Box::new(Call { work: Some(f), result: None, reply }));
        tokio::task::block_in_place(|| w.commit(true));
        Ok(answer)
    }

    /// Like [`Store::write`], for an outcome the caller already holds (a print result): committed
    /// before this returns — it survives `kill -9` — and on the disk with the next durable commit
    /// or after [`SYNC_WHEN_IDLE`] without one, not by an fsync of its own.
    pub async fn write_soon<R, E>(&self, f: impl FnOnce(&Connection) -> Result<R, E> + Send + 'static) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.run(f, Job::Soon).await
    }

    async fn run<R, E>(
        &self,
        f: impl FnOnce(&Connection) -> Result<R, E> + Send + 'static,
        kind: fn(Box<dyn Command>) -> Job,
    ) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = kind(Box::new(Call { work: Some(f), result: None, reply }));
        self.writer.send(job).await.map_err(|_| StoreError("the writer has stopped".into()))?;
        answer.await.map_err(|_| StoreError("the writer has stopped".into()))?
    }

    /// Copy the write-ahead log into the database and empty the log file: after personal data
    /// was deleted (`secure_delete` overwrote it in the pages), no older copy stays in the log
    /// (the rollover; docs/PRIVACY.md). Whether the log could be emptied (a reader in the middle
    /// of a read may keep it).
    pub async fn checkpoint(&self) -> Result<bool, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job = Job::Outside(Box::new(move |conn: &Connection| {
            let busy = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0)).map_err(StoreError::from);
            let _ = tx.send(busy);
        }));
        self.writer.send(job).await.map_err(|_| StoreError("the writer has stopped".into()))?;
        Ok(rx.await.map_err(|_| StoreError("the writer has stopped".into()))?? == 0)
    }

    /// Run `f` on a read-only connection, off the async runtime.
    pub async fn read<R>(&self, f: impl FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static) -> Result<R, StoreError>
    where
        R: Send + 'static,
    {
        let conn = match self.readers.lock().unwrap().pop() {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
                c.busy_timeout(Duration::from_secs(5))?;
                c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                stable_plans(&c)?;
                c
            }
        };
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let r = f(&conn);
            (conn, r)
        })
        .await
        .map_err(|e| StoreError(format!("reader failed: {e}")))?;
        let mut pool = self.readers.lock().unwrap();
        if pool.len() < 8 {
            pool.push(conn);
        }
        result
    }
}

/// A connection or an open transaction, as the store's functions take it: the use cases pass
/// it from [`Store::write`] and [`Store::read`] into the store's functions and never use it
/// themselves.
pub type Conn = Connection;

#[cfg(test)]
mod tests {
    use super::*;

    fn thread() -> Result<String, StoreError> {
        Ok(std::thread::current().name().unwrap_or_default().to_string())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_on_the_idle_connection_commits_on_the_callers_thread() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("t.sqlite3")).unwrap());
        assert_ne!(store.write(|_| thread()).await.unwrap(), "store-writer", "no hand-off when nothing is queued");

        // While another caller holds the connection, a write queues for the writer thread.
        let (held, holding) = std::sync::mpsc::channel::<()>();
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let holder = tokio::spawn({
            let store = store.clone();
            async move {
                store
                    .write(move |_| {
                        held.send(()).unwrap();
                        gate.recv().unwrap();
                        thread()
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || holding.recv().unwrap()).await.unwrap();
        let queued = tokio::spawn({
            let store = store.clone();
            async move { store.write(|_| thread()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        release.send(()).unwrap();
        assert_ne!(holder.await.unwrap().unwrap(), "store-writer");
        assert_eq!(queued.await.unwrap().unwrap(), "store-writer");
        assert_eq!(store.write_soon(|_| thread()).await.unwrap(), "store-writer", "relaxed commits are the writer's");
    }

    /// `.cargo/config.toml` builds the bundled SQLite without full-text search, R*Tree, the
    /// dbstat table, STAT4, soundex() and loading extensions at run time; JSON stays, the
    /// journal's replay reads `json_each`. Without that file's `LIBSQLITE3_FLAGS` this fails.
    #[test]
    fn the_bundled_sqlite_has_only_what_the_store_uses() {
        let conn = Connection::open_in_memory().unwrap();
        let built_with = |option: &str| conn.query_row("SELECT sqlite_compileoption_used(?1)", [option], |r| r.get::<_, bool>(0)).unwrap();
        for left_out in ["ENABLE_FTS3", "ENABLE_FTS5", "ENABLE_RTREE", "ENABLE_DBSTAT_VTAB", "ENABLE_STAT4", "SOUNDEX"] {
            assert!(!built_with(left_out), "SQLite was built with {left_out}");
        }
        assert!(built_with("OMIT_LOAD_EXTENSION"), "SQLite can load extensions");
        assert!(conn.execute_batch("CREATE VIRTUAL TABLE words USING fts5(text)").is_err());
        let n: i64 = conn.query_row("SELECT count(*) FROM json_each('[1, 2, 3]')", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 3);
    }

    #[tokio::test]
    async fn on_a_single_threaded_runtime_every_write_goes_to_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        assert_eq!(store.write(|_| thread()).await.unwrap(), "store-writer");
    }
}
