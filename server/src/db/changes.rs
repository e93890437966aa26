//! The change feed devices pull from. Every write of a synced record calls [`record`] in its
//! transaction; [`after`] reads what a user may see after a cursor.

use super::escape_like;
use super::schema::{changes, server_meta, sync_counter};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;

/// The kinds of record in the feed (the same as the protocol's).
pub use xunjian_shared::sync::RecordKind as Kind;

/// Who may see a change: users whose scope contains a unit path, everyone, or one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    Scope(String),
    Everyone,
    User(String),
}

impl Audience {
    fn key(&self) -> String {
        match self {
            Audience::Scope(p) => p.clone(),
            Audience::Everyone => "/".into(),
            Audience::User(id) => format!("user:{id}"),
        }
    }
}

/// The next change number. The counter row's lock is held until this transaction commits, which
/// orders commits by number: a reader that sees number n has seen every number below it.
fn next_seq(conn: &mut DbConn) -> Result<i64, AppError> {
    // One statement (SQLite ≥ 3.35 and PostgreSQL both have RETURNING), not an update and a read.
    #[derive(QueryableByName)]
    struct Seq {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let row: Seq =
        diesel::sql_query("UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value").get_result(conn)?;
    Ok(row.value)
}

/// Records that a record changed (or, with `removed`, left this audience), replacing its earlier
/// change for the same audience: the feed holds each record's latest state once.
pub fn record(
    conn: &mut DbConn,
    kind: Kind,
    id: &str,
    audience: &Audience,
    removed: bool,
    at: i64,
) -> Result<i64, AppError> {
    let key = audience.key();
    diesel::delete(
        changes::table
            .filter(changes::kind.eq(kind.as_str()))
            .filter(changes::entity_id.eq(id))
            .filter(changes::audience.eq(&key)),
    )
    .execute(conn)?;
    append(conn, kind, id, &key, removed, at)
}

fn append(conn: &mut DbConn, kind: Kind, id: &str, key: &str, removed: bool, at: i64) -> Result<i64, AppError> {
    let seq = next_seq(conn)?;
    diesel::insert_into(changes::table)
        .values((
            changes::seq.eq(seq),
            changes::kind.eq(kind.as_str()),
            changes::entity_id.eq(id),
            changes::audience.eq(key),
            changes::removed.eq(removed),
            changes::at.eq(at),
        ))
        .execute(conn)?;
    Ok(seq)
}

/// Records a change of a record that lives at a unit path.
pub fn scoped(conn: &mut DbConn, kind: Kind, id: &str, path: &str, at: i64) -> Result<i64, AppError> {
    record(conn, kind, id, &Audience::Scope(path.to_owned()), false, at)
}

/// Records the creation of a record at a unit path: like [`scoped`], without looking for an earlier
/// change (a record inserted in this transaction has none) — one statement less on the push path.
pub fn created(conn: &mut DbConn, kind: Kind, id: &str, path: &str, at: i64) -> Result<i64, AppError> {
    append(conn, kind, id, &Audience::Scope(path.to_owned()).key(), false, at)
}

/// A feed row as written by [`created_many`].
#[derive(Insertable)]
#[diesel(table_name = changes)]
struct NewChange<'a> {
    seq: i64,
    kind: &'static str,
    entity_id: &'a str,
    audience: String,
    removed: bool,
    at: i64,
}

/// [`created`] for many new records at once — `(kind, id, audience)` each, none with an earlier
/// change (records inserted in this transaction): their numbers taken by one counter update, in
/// the order given, their rows in multi-row inserts.
pub fn created_many(conn: &mut DbConn, records: &[(Kind, &str, Audience)], at: i64) -> Result<(), AppError> {
    if records.is_empty() {
        return Ok(());
    }
    #[derive(QueryableByName)]
    struct Seq {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let n = records.len() as i64;
    // `n` is a count, not input: written into the statement (the backends' placeholders differ).
    let last: Seq =
        diesel::sql_query(format!("UPDATE sync_counter SET value = value + {n} WHERE id = 1 RETURNING value"))
            .get_result(conn)?;
    let rows: Vec<NewChange> = records
        .iter()
        .zip(last.value - n + 1..)
        .map(|((kind, id, audience), seq)| NewChange {
            seq,
            kind: kind.as_str(),
            entity_id: id,
            audience: audience.key(),
            removed: false,
            at,
        })
        .collect();
    for chunk in rows.chunks(super::INSERT_CHUNK) {
        crate::insert_many!(conn, changes::table, chunk)?;
    }
    Ok(())
}

/// A change as read from the feed.
#[derive(Clone, Debug, Queryable)]
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub entity_id: String,
    pub audience: String,
    pub removed: bool,
    pub at: i64,
}

/// Up to `limit` changes after `cursor` that a user with `scope_path` may see, in order.
pub fn after(
    conn: &mut DbConn,
    cursor: i64,
    scope_path: &str,
    user_id: &str,
    limit: i64,
) -> Result<Vec<ChangeRow>, AppError> {
    Ok(changes::table
        .filter(changes::seq.gt(cursor))
        .filter(
            changes::audience
                .like(format!("{}%", escape_like(scope_path)))
                .escape('\\')
                .or(changes::audience.eq("/"))
                .or(changes::audience.eq(format!("user:{user_id}"))),
        )
        .order(changes::seq.asc())
        .limit(limit)
        .select((changes::seq, changes::kind, changes::entity_id, changes::audience, changes::removed, changes::at))
        .load(conn)?)
}

/// The highest change number given out.
pub fn head(conn: &mut DbConn) -> Result<i64, AppError> {
    Ok(sync_counter::table.find(1).select(sync_counter::value).first(conn)?)
}

/// This database's epoch, created on first use. A reset or restored database gets a new one.
pub fn epoch(conn: &mut DbConn) -> Result<String, AppError> {
    if let Some(v) = server_meta::table.find("epoch").select(server_meta::value).first::<String>(conn).optional()? {
        return Ok(v);
    }
    new_epoch(conn)
}

/// Gives the database a new epoch: every device's cursor becomes invalid and it resyncs fully.
/// Run after restoring a backup (`xunjian reset-sync`).
pub fn new_epoch(conn: &mut DbConn) -> Result<String, AppError> {
    let v = uuid::Uuid::now_v7().simple().to_string();
    diesel::delete(server_meta::table.find("epoch")).execute(conn)?;
    diesel::insert_into(server_meta::table)
        .values((server_meta::key.eq("epoch"), server_meta::value.eq(&v)))
        .execute(conn)?;
    Ok(v)
}
