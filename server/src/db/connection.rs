//! A connection to either database: the backend's connection type, how the pool opens one, and the
//! count of write transactions committed (the pool and the SQLite writer both use these).

use diesel::connection::SimpleConnection;
use diesel::connection::TransactionManager;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use std::sync::atomic::{AtomicU64, Ordering};

/// A connection to either backend. Query functions take `&mut DbConn` and are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// Embedded SQLite (the default).
    Sqlite(SqliteConnection),
    /// PostgreSQL, for a county or province that needs it.
    Pg(PgConnection),
}

/// Which database the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` URLs are PostgreSQL; anything else is a SQLite file path.
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The name shown in `/healthz`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Opens connections of the backend chosen by the URL, never guessing by trial: a PostgreSQL URL
/// that fails to connect must not quietly become a SQLite file of that name.
#[derive(Debug)]
pub struct Manager {
    pub(super) backend: Backend,
    pub(super) url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        let conn = match self.backend {
            Backend::Postgres => DbConn::Pg(PgConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?),
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the writer; synchronous=FULL syncs the WAL at every
                // commit, so an operation acknowledged to a phone (which then forgets it) survives
                // a power cut as well as a killed process (docs/sync.md has the cost); the busy
                // timeout makes a second process (the CLI, a backup) wait instead of failing.
                // busy_timeout first: switching a new file to WAL takes a lock that other
                // connections opening at the same moment must wait for, not fail on.
                c.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA cache_size = -1024;",
                )
                .map_err(r2d2::Error::QueryError)?;
                DbConn::Sqlite(c)
            }
        };
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        // A connection given back with a transaction still open (a panic mid-write) is dropped.
        <<DbConn as Connection>::TransactionManager as TransactionManager<DbConn>>::is_broken_transaction_manager(conn)
    }
}

/// Write transactions committed through [`Db::write_blocking`] by this process (`xunjian bench`
/// reports commits per push batch with it; one relaxed add per commit costs nothing).
pub(super) static COMMITS: AtomicU64 = AtomicU64::new(0);

/// How many write transactions this process has committed so far.
pub fn commits() -> u64 {
    COMMITS.load(Ordering::Relaxed)
}
