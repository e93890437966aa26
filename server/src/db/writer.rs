//! SQLite's single writer, with group commit.
//!
//! SQLite lets one transaction write at a time, and with `synchronous = FULL` every commit waits for
//! an fsync. With fifty phones pushing, the writers queued on that one lock and the server sat
//! half idle (docs/benchmarks.md). So a write transaction is *handed on*: a writer that finishes
//! its work while others wait does not commit; it leaves the open transaction to the next writer
//! and waits. The last writer of the group — no one else waiting, or the group already 64 writers
//! or 100 ms old — commits once for all of them, and each is answered only after that commit.
//!
//! Each writer's work runs in its own savepoint, so one writer's error rolls back only its own
//! work (and is answered at once: it waits for no commit). If the transaction itself breaks — a
//! savepoint that cannot be rolled back, a failed commit, a panic — the whole group is rolled back
//! and every writer in it gets an error: nothing a writer was told is saved is lost, and nothing
//! half-written stays.

use super::connection::{Manager, COMMITS};
use super::DbConn;
use crate::error::AppError;
use diesel::connection::{AnsiTransactionManager, TransactionManager, TransactionManagerStatus};
use diesel::r2d2::{Pool, PooledConnection};
use diesel::Connection;
use std::collections::HashSet;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// At most this many writers share one commit …
const MAX_GROUP: usize = 64;
/// … and a group stops taking writers this long after its transaction began.
const MAX_GROUP_AGE: Duration = Duration::from_millis(100);

#[derive(Default)]
struct State {
    /// A writer is running its work on the open transaction.
    busy: bool,
    /// Writers waiting for their turn.
    waiting: usize,
    /// The open transaction's connection, between two writers of a group.
    open: Option<(PooledConnection<Manager>, Instant)>,
    /// Writers whose work is in the open transaction.
    members: usize,
    /// The number of the open (or next) transaction; it goes up when one ends.
    epoch: u64,
    /// Recent transactions that ended rolled back (waiters read their own; old entries dropped).
    failed: HashSet<u64>,
}

/// The group-commit writer of a SQLite database.
#[derive(Default)]
pub struct Writer {
    state: Mutex<State>,
    /// Signalled when the transaction is free for the next writer.
    turn: Condvar,
    /// Signalled when a transaction ended (committed or rolled back).
    ended: Condvar,
}

impl Writer {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in the shared write transaction (in a savepoint of its own); answers once the
    /// work is committed.
    pub fn run<T>(
        &self,
        pool: &Pool<Manager>,
        f: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut st = self.lock();
        st.waiting += 1;
        while st.busy {
            st = self.turn.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        st.waiting -= 1;
        st.busy = true;
        let (mut conn, began) = match st.open.take() {
            Some(open) => open,
            None => match begin(pool) {
                Ok(conn) => (conn, Instant::now()),
                Err(e) => {
                    st.busy = false;
                    self.turn.notify_one();
                    return Err(e);
                }
            },
        };
        let epoch = st.epoch;
        drop(st);

        let db: &mut DbConn = &mut conn;
        let outcome = catch_unwind(AssertUnwindSafe(|| db.transaction(f)));
        // The savepoint is gone either way; a transaction manager left broken means the rollback
        // to it failed, and the whole transaction must go.
        let broken = !intact(&mut conn);
        let mut st = self.lock();
        let result = match outcome {
            Ok(r) if !broken => r,
            Ok(_) | Err(_) => {
                self.end(&mut st, conn, false);
                drop(st);
                if let Err(panic) = outcome {
                    resume_unwind(panic);
                }
                return Err(AppError::unavailable(std::io::Error::other("the write transaction broke")));
            }
        };
        let joined = result.is_ok();
        if joined {
            st.members += 1;
        }
        if st.waiting > 0 && st.members < MAX_GROUP && began.elapsed() < MAX_GROUP_AGE {
            // Hand the open transaction on; our work commits with the group.
            st.open = Some((conn, began));
            st.busy = false;
            self.turn.notify_one();
            if !joined {
                return result;
            }
            while st.epoch == epoch {
                st = self.ended.wait(st).unwrap_or_else(|p| p.into_inner());
            }
            if st.failed.contains(&epoch) {
                return Err(AppError::unavailable(std::io::Error::other("the group's commit failed")));
            }
            return result;
        }
        let committed = self.end(&mut st, conn, true);
        drop(st);
        match committed {
            true => result,
            false if joined => Err(AppError::unavailable(std::io::Error::other("commit failed"))),
            false => result,
        }
    }

    /// Ends the open transaction — commits it, or rolls it back — and wakes its waiting writers and
    /// the next one. Returns whether it committed (or, holding nothing, had nothing to commit).
    fn end(&self, st: &mut State, conn: PooledConnection<Manager>, commit: bool) -> bool {
        let mut conn = conn;
        // A transaction whose every writer failed holds nothing: rolled back, not counted as a
        // commit nor as a failure.
        let empty = st.members == 0;
        let committed = match &mut *conn {
            DbConn::Sqlite(c) if commit && !empty => match AnsiTransactionManager::commit_transaction(c) {
                Ok(()) => true,
                Err(e) => {
                    tracing::error!(error = %e, "group commit failed");
                    rollback_all(c);
                    false
                }
            },
            DbConn::Sqlite(c) => {
                rollback_all(c);
                false
            }
            DbConn::Pg(_) => unreachable!("group commit is for SQLite"),
        };
        if committed {
            COMMITS.fetch_add(1, Ordering::Relaxed);
        } else if !(commit && empty) {
            st.failed.insert(st.epoch);
            let recent = st.epoch.saturating_sub(1024);
            st.failed.retain(|e| *e >= recent);
        }
        st.epoch += 1;
        st.members = 0;
        st.busy = false;
        self.ended.notify_all();
        self.turn.notify_one();
        committed || (commit && empty)
    }
}

/// Rolls back every level still open (a writer that panicked leaves its savepoint open). Should a
/// rollback fail, the connection stays marked broken and the pool closes it, which rolls back too.
fn rollback_all(c: &mut diesel::sqlite::SqliteConnection) {
    while let TransactionManagerStatus::Valid(v) = AnsiTransactionManager::transaction_manager_status_mut(c) {
        if v.transaction_depth().is_none() || AnsiTransactionManager::rollback_transaction(c).is_err() {
            break;
        }
    }
}

/// Whether the open transaction is as `begin` left it: valid, one level deep (the writer's
/// savepoint released or rolled back).
fn intact(conn: &mut DbConn) -> bool {
    let DbConn::Sqlite(c) = conn else { return false };
    match AnsiTransactionManager::transaction_manager_status_mut(c) {
        TransactionManagerStatus::Valid(v) => v.transaction_depth().map(|d| d.get()) == Some(1),
        TransactionManagerStatus::InError => false,
    }
}

/// A pooled connection with a write transaction begun: `BEGIN IMMEDIATE` takes SQLite's write lock
/// at once (a deferred transaction that reads and then writes fails with SQLITE_BUSY when another
/// process — the CLI, a second server — wrote meanwhile; this one waits for the busy timeout).
fn begin(pool: &Pool<Manager>) -> Result<PooledConnection<Manager>, AppError> {
    let mut conn = pool.get().map_err(AppError::unavailable)?;
    match &mut *conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(_) => unreachable!("group commit is for SQLite"),
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use crate::db::{Db, DbConn};
    use crate::error::AppError;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use std::sync::Arc;

    fn keys(db: &Db) -> Vec<i64> {
        #[derive(QueryableByName)]
        struct K {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            k: i64,
        }
        let mut conn = db.conn().unwrap();
        let rows: Vec<K> = diesel::sql_query("SELECT k FROM t ORDER BY k").load(&mut *conn).unwrap();
        rows.into_iter().map(|r| r.k).collect()
    }

    fn insert(c: &mut DbConn, k: i64) -> Result<(), AppError> {
        c.batch_execute(&format!("INSERT INTO t (k) VALUES ({k})"))?;
        Ok(())
    }

    /// Many threads writing at once: each write answered `Ok` is stored, each refused one (its
    /// own error, or a panic in its group) is not, a transaction left with nothing is not counted
    /// as a commit, and the writer still works afterwards.
    #[test]
    fn concurrent_writers_share_commits_and_keep_only_what_they_were_told() {
        let dir = tempfile::tempdir().unwrap();
        let db = Arc::new(Db::open(dir.path().join("w.db").to_str().unwrap()).unwrap());
        db.write_blocking(|c| Ok(c.batch_execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")?)).unwrap();
        let commits_before = crate::db::commits();
        let threads: Vec<_> = (0..16i64)
            .map(|t| {
                let db = db.clone();
                std::thread::spawn(move || {
                    let mut answered = Vec::new();
                    for i in 0..40i64 {
                        let k = t * 1000 + i;
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            db.write_blocking(|c| {
                                insert(c, k)?;
                                match i % 10 {
                                    // Written, then refused: its own savepoint is rolled back.
                                    3 => Err(AppError::validation("k", "refused")),
                                    // A writer that panics takes its whole group down with it.
                                    7 if t == 5 => panic!("a bug in one writer"),
                                    _ => Ok(()),
                                }
                            })
                        }));
                        answered.push((k, matches!(r, Ok(Ok(())))));
                    }
                    answered
                })
            })
            .collect();
        let answered: Vec<(i64, bool)> = threads.into_iter().flat_map(|h| h.join().unwrap()).collect();
        let stored = keys(&db);
        let told: Vec<i64> = answered.iter().filter(|(_, ok)| *ok).map(|(k, _)| *k).collect();
        let mut told = told;
        told.sort_unstable();
        assert_eq!(stored, told, "stored exactly the writes answered Ok");
        assert!(answered.iter().filter(|(k, _)| k % 10 == 3).all(|(_, ok)| !ok));
        // A panic fails at most its group; the other writes are kept.
        assert!(told.len() >= 16 * 40 - 16 * 4 - 4 * super::MAX_GROUP, "most writes kept: {}", told.len());
        let commits = crate::db::commits() - commits_before;
        assert!(commits as usize <= told.len(), "{commits} commits for {} writes", told.len());
        // Still usable afterwards.
        db.write_blocking(|c| insert(c, 999_999)).unwrap();
        assert!(keys(&db).contains(&999_999));
    }
}
