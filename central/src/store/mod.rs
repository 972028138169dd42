//! Durable storage behind one small trait, so SQLite (the default) and PostgreSQL (a province)
//! run the same SQL, chosen by the database URL.
//!
//! One thread owns the only writing connection and runs every command as one transaction, in
//! arrival order: a batch is checked against the stored chain and stored with no other writer in
//! between, and acknowledged only after its commit. A second thread owns a connection for
//! reads. SQLite runs in WAL mode with `synchronous=FULL`, so an acknowledged rating survives
//! `kill -9` and a power cut.

#[cfg(feature = "postgres")]
mod postgres;
mod schema;
mod sqlite;

use std::path::PathBuf;

use tokio::sync::{mpsc, oneshot};

/// A storage failure (disk full, database down). Reported as 503: the kiosk retries.
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

/// Where the ratings live: `sqlite:PATH` or `postgres://user@host/db`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, String> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("sqlite: needs a file path, e.g. sqlite:var/central.sqlite3".into());
            }
            Ok(DbUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_string()))
        } else {
            Err(format!("{url:?} is not a database URL: use sqlite:PATH or postgres://USER@HOST/DB"))
        }
    }
}

impl std::fmt::Display for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            // Never print a password.
            DbUrl::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) => write!(f, "{}://…{}", &url[..scheme], &url[at..]),
                _ => f.write_str(url),
            },
        }
    }
}

/// A value passed to or read from SQL: the schema has only integers and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

/// One result row.
#[derive(Debug)]
pub struct Row(pub Vec<Value>);

impl Row {
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.0.get(i) {
            Some(Value::Int(v)) => Ok(*v),
            other => Err(StoreError(format!("column {i}: expected an integer, found {other:?}"))),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        match self.0.get(i) {
            Some(Value::Text(v)) => Ok(v.clone()),
            other => Err(StoreError(format!("column {i}: expected text, found {other:?}"))),
        }
    }
}

/// SQL inside one transaction. Parameters are written `$1`, `$2`, … in both engines.
pub trait Sql {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
}

/// An open transaction; dropped without `commit`, it rolls back.
pub trait Transaction: Sql {
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// A connection to one of the engines.
pub trait Connection: Send {
    fn begin(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError>;
}

/// Open a connection; `writer` brings the tables up to date (`schema`) and is the only one that writes.
pub fn connect(url: &DbUrl, writer: bool) -> Result<Box<dyn Connection>, StoreError> {
    let mut conn: Box<dyn Connection> = match url {
        DbUrl::Sqlite(path) => Box::new(sqlite::open(path, writer)?),
        #[cfg(feature = "postgres")]
        DbUrl::Postgres(url) => Box::new(postgres::open(url)?),
        #[cfg(not(feature = "postgres"))]
        DbUrl::Postgres(_) => return Err(StoreError("this central was built without the `postgres` feature".into())),
    };
    if writer {
        let mut txn = conn.begin()?;
        schema::migrate(&mut *txn, matches!(url, DbUrl::Postgres(_)))?;
        txn.commit()?;
    }
    Ok(conn)
}

/// Run `f` in one transaction of `conn`; commit if it returns `Ok`.
pub fn in_transaction<R, E: From<StoreError>>(conn: &mut dyn Connection, f: impl FnOnce(&mut dyn Sql) -> Result<R, E>) -> Result<R, E> {
    let mut txn = conn.begin()?;
    let r = f(&mut *txn)?;
    txn.commit()?;
    Ok(r)
}

type Job = Box<dyn FnOnce(&mut dyn Connection) + Send>;

/// The database of the receiver: a writer thread and a reader thread, each with its connection.
pub struct Store {
    writer: mpsc::Sender<Job>,
    reader: mpsc::Sender<Job>,
}

impl Store {
    /// Open (creating the tables if needed) the database at `url`.
    pub fn open(url: &DbUrl) -> Result<Store, StoreError> {
        let writer = spawn_owner(url, true)?;
        let reader = spawn_owner(url, false)?;
        Ok(Store { writer, reader })
    }

    /// Run `f` as one write transaction on the writer thread; commit if it returns `Ok`.
    pub async fn write<R, E>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<R, E> + Send + 'static) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        run(&self.writer, f).await
    }

    /// Run `f` in a transaction on the reader thread.
    pub async fn read<R>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<R, StoreError> + Send + 'static) -> Result<R, StoreError>
    where
        R: Send + 'static,
    {
        run(&self.reader, f).await
    }
}

async fn run<R, E>(owner: &mpsc::Sender<Job>, f: impl FnOnce(&mut dyn Sql) -> Result<R, E> + Send + 'static) -> Result<R, E>
where
    R: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |conn| {
        let _ = tx.send(in_transaction(conn, f));
    });
    let stopped = || StoreError("the database thread has stopped".into());
    owner.send(job).await.map_err(|_| stopped())?;
    rx.await.map_err(|_| stopped())?
}

/// A thread that opens and then owns one connection (the PostgreSQL client must not be opened
/// inside the async runtime), running jobs in arrival order until the `Store` is dropped.
fn spawn_owner(url: &DbUrl, writer: bool) -> Result<mpsc::Sender<Job>, StoreError> {
    // Bounded: when the disk is slow, pushes wait here instead of piling up memory.
    let (tx, mut rx) = mpsc::channel::<Job>(64);
    let (opened_tx, opened_rx) = std::sync::mpsc::channel();
    let url = url.clone();
    std::thread::Builder::new()
        .name(if writer { "db-writer" } else { "db-reader" }.into())
        .spawn(move || {
            let mut conn = match connect(&url, writer) {
                Ok(c) => {
                    let _ = opened_tx.send(Ok(()));
                    c
                }
                Err(e) => {
                    let _ = opened_tx.send(Err(e));
                    return;
                }
            };
            while let Some(job) = rx.blocking_recv() {
                job(conn.as_mut());
            }
        })
        .map_err(|e| StoreError(format!("cannot start a database thread: {e}")))?;
    opened_rx.recv().map_err(|_| StoreError("the database thread died while opening".into()))??;
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_engine_and_never_print_a_password() {
        assert_eq!(DbUrl::parse("sqlite:var/c.sqlite3").unwrap(), DbUrl::Sqlite("var/c.sqlite3".into()));
        assert_eq!(DbUrl::parse("sqlite:///tmp/c.db").unwrap(), DbUrl::Sqlite("/tmp/c.db".into()));
        assert!(DbUrl::parse("mysql://x").is_err());
        assert!(DbUrl::parse("sqlite:").is_err());
        let pg = DbUrl::parse("postgres://central:secret@db.local/ratings").unwrap();
        assert_eq!(pg.to_string(), "postgres://…@db.local/ratings");
    }
}
