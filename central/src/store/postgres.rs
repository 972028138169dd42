//! The PostgreSQL engine, for a province that runs one: the same SQL as SQLite through the
//! synchronous `postgres` client, owned by the store's threads like a SQLite connection.

use postgres::types::{ToSql, Type};
use postgres::NoTls;

use super::{Connection, Row, Sql, StoreError, Transaction, Value};

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => match std::error::Error::source(&e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            },
        })
    }
}

pub struct Postgres(postgres::Client);

/// Connect without TLS: the database runs beside the receiver or on the province's own network.
pub fn open(url: &str) -> Result<Postgres, StoreError> {
    Ok(Postgres(postgres::Client::connect(url, NoTls)?))
}

impl Connection for Postgres {
    fn begin(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        Ok(Box::new(PgTxn(self.0.transaction()?)))
    }
}

struct PgTxn<'c>(postgres::Transaction<'c>);

fn bind(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|v| match v {
            Value::Int(i) => i as &(dyn ToSql + Sync),
            Value::Text(s) => s as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Sql for PgTxn<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        Ok(self.0.execute(sql, &bind(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let rows = self.0.query(sql, &bind(params))?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match *row.columns()[i].type_() {
                        Type::INT8 => Ok(Value::Int(row.try_get::<_, i64>(i)?)),
                        Type::INT4 => Ok(Value::Int(row.try_get::<_, i32>(i)?.into())),
                        Type::TEXT | Type::VARCHAR => Ok(Value::Text(row.try_get::<_, String>(i)?)),
                        ref other => Err(StoreError(format!("column {i}: unexpected type {other}"))),
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
                    .map(Row)
            })
            .collect()
    }
}

impl Transaction for PgTxn<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.0.commit()?)
    }
}
