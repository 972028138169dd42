//! The SQLite engine (the default): one file, WAL, `synchronous=FULL`; the writer's
//! transactions are `BEGIN IMMEDIATE` so a batch's checks and inserts see no other writer.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{OpenFlags, TransactionBehavior};

use super::{Connection, Row, Sql, StoreError, Transaction, Value};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

pub struct Sqlite {
    conn: rusqlite::Connection,
    writer: bool,
}

pub fn open(path: &Path, writer: bool) -> Result<Sqlite, StoreError> {
    let conn = if writer {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        }
        let conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn
    } else {
        rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?
    };
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(Sqlite { conn, writer })
}

impl Connection for Sqlite {
    fn begin(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        let behavior = if self.writer { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        Ok(Box::new(SqliteTxn(self.conn.transaction_with_behavior(behavior)?)))
    }
}

struct SqliteTxn<'c>(rusqlite::Transaction<'c>);

impl SqliteTxn<'_> {
    /// Prepare `sql` and bind `$1`, `$2`, … by name, wherever they appear in the text.
    fn prepare(&self, sql: &str, params: &[Value]) -> Result<rusqlite::CachedStatement<'_>, StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        for (i, value) in params.iter().enumerate() {
            let name = format!("${}", i + 1);
            let index = stmt.parameter_index(&name)?.ok_or_else(|| StoreError(format!("no {name} in {sql}")))?;
            match value {
                Value::Int(v) => stmt.raw_bind_parameter(index, v)?,
                Value::Text(v) => stmt.raw_bind_parameter(index, v)?,
            }
        }
        Ok(stmt)
    }
}

impl Sql for SqliteTxn<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self.prepare(sql, params)?;
        Ok(stmt.raw_execute()? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.prepare(sql, params)?;
        let columns = stmt.column_count();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    other => return Err(StoreError(format!("column {i}: unexpected {:?}", other.data_type()))),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

impl Transaction for SqliteTxn<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.0.commit()?)
    }
}
