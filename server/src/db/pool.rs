//! Connection pool, migrations and the blocking-work bridge for both backends.

use super::connection::{Backend, DbConn, Manager, COMMITS};
use super::writer::Writer;
use crate::error::AppError;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{Pool, PooledConnection};
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// The database handle the app shares: a pool plus, on SQLite, the single-writer lock.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    /// SQLite allows one writer: ours take turns here (so a write never fails with SQLITE_BUSY on
    /// lock upgrade) and share commits (db/writer.rs). PostgreSQL needs neither.
    writer: Option<Arc<Writer>>,
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) on first start, and applies migrations.
    pub fn open(url: &str) -> Result<Db, AppError> {
        let backend = Backend::of_url(url);
        if backend == Backend::Sqlite {
            if let Some(dir) = Path::new(url).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(AppError::internal)?;
            }
        }
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = Pool::builder()
            .max_size(max)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { backend, url: url.to_owned() })
            .map_err(AppError::unavailable)?;
        let db = Db { pool, backend, writer: (backend == Backend::Sqlite).then(Arc::default) };
        db.migrate()?;
        Ok(db)
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending embedded migrations; returns how many ran.
    pub fn migrate(&self) -> Result<usize, AppError> {
        let mut conn = self.conn()?;
        let ran = match &mut *conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len()),
        };
        ran.map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))
    }

    /// A pooled connection, for blocking code (CLI, already inside `spawn_blocking`).
    pub fn conn(&self) -> Result<PooledConnection<Manager>, AppError> {
        self.pool.get().map_err(AppError::unavailable)
    }

    /// Runs read-only work on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        run_blocking(move || f(&mut *db.conn()?)).await
    }

    /// Runs `f` in one transaction on a blocking thread: all of it commits, or none of it.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        run_blocking(move || db.write_blocking(f)).await
    }

    /// The blocking form of [`Db::write`]. On SQLite the transaction may be shared with other
    /// writers waiting at the same moment, `f` in a savepoint of its own, committed once for all of
    /// them (group commit, db/writer.rs); it answers only after that commit.
    pub fn write_blocking<T>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, AppError>) -> Result<T, AppError> {
        if let Some(writer) = &self.writer {
            return writer.run(&self.pool, f);
        }
        let mut pooled = self.conn()?;
        let conn: &mut DbConn = &mut pooled;
        let v = conn.transaction(f)?;
        COMMITS.fetch_add(1, Ordering::Relaxed);
        Ok(v)
    }

    /// Whether the database passes its own consistency check (SQLite `PRAGMA integrity_check`;
    /// PostgreSQL: a query answers).
    pub fn integrity_ok(&self) -> Result<bool, AppError> {
        #[derive(diesel::QueryableByName)]
        struct Check {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConn::Sqlite(c) => {
                let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(c)?;
                Ok(rows.len() == 1 && rows[0].integrity_check == "ok")
            }
            DbConn::Pg(_) => Ok(conn.batch_execute("SELECT 1").is_ok()),
        }
    }

    /// Writes a consistent copy of a SQLite database to `dest` while the server may be running.
    pub fn backup_sqlite(&self, dest: &Path) -> Result<(), AppError> {
        if self.backend != Backend::Sqlite {
            return Err(AppError::validation("backup", "for PostgreSQL use pg_dump"));
        }
        if dest.exists() {
            return Err(AppError::validation("backup", "the destination file already exists"));
        }
        let dest = dest.to_str().ok_or_else(|| AppError::validation("backup", "path must be UTF-8"))?;
        let mut conn = self.conn()?;
        if let DbConn::Sqlite(c) = &mut *conn {
            diesel::sql_query("VACUUM INTO ?").bind::<diesel::sql_types::Text, _>(dest).execute(c)?;
        }
        // The copy gets its own sync epoch: restored later, it makes phones resync fully rather
        // than trust cursors from after the backup.
        let copy = Db::open(dest)?;
        copy.write_blocking(crate::db::changes::new_epoch)?;
        Ok(())
    }
}

use diesel::RunQueryDsl;

/// Threads for blocking work (diesel, argon2): a fixed pool, not the async runtime's blocking pool.
/// Each actix worker has a runtime of its own whose blocking pool grew a thread per request in flight
/// under fifty phones (~80 threads, each keeping its stack and malloc cache) while at most 8
/// connections and one writer group can use them (docs/benchmarks.md: memory). Jobs queue here.
const BLOCKING_THREADS: usize = 16;

type Job = Box<dyn FnOnce() + Send>;

fn blocking_queue() -> &'static std::sync::mpsc::Sender<Job> {
    static QUEUE: OnceLock<std::sync::mpsc::Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..BLOCKING_THREADS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("xj-blocking-{n}"))
                .spawn(move || loop {
                    let job = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    };
                    job();
                })
                .expect("spawn a blocking thread");
        }
        tx
    })
}

/// Runs blocking work (diesel, argon2) off the async executor, on the fixed pool.
pub async fn run_blocking<T, F>(f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        // A panic is the job's failure, not the pool thread's end.
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(AppError::internal(std::io::Error::other("a blocking job panicked"))));
        let _ = tx.send(out);
    });
    let gone = |_| AppError::internal(std::io::Error::other("the blocking pool is gone"));
    blocking_queue().send(job).map_err(gone)?;
    rx.await.map_err(AppError::internal)?
}

#[cfg(test)]
mod tests {
    use super::{run_blocking, BLOCKING_THREADS};
    use crate::error::AppError;

    /// More jobs than threads all finish (they queue), and a job that panics is its own error, not
    /// the end of a pool thread.
    #[tokio::test]
    async fn the_blocking_pool_queues_and_survives_a_panicking_job() {
        let jobs = (0..BLOCKING_THREADS * 4).map(|i| {
            run_blocking(move || {
                std::thread::sleep(std::time::Duration::from_millis(5));
                Ok(i)
            })
        });
        let done: Vec<usize> = futures_util::future::join_all(jobs).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(done, (0..BLOCKING_THREADS * 4).collect::<Vec<_>>());
        for _ in 0..BLOCKING_THREADS + 1 {
            let failed = run_blocking(|| -> Result<(), AppError> { panic!("a bug in a job") }).await;
            assert!(failed.is_err());
        }
        assert_eq!(run_blocking(|| Ok(7)).await.unwrap(), 7, "every thread survived its panic");
    }
}
