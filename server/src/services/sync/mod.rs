//! The sync protocol on the server: push applies each device operation exactly once, in order, each
//! in its own savepoint with its recorded result, a batch in one transaction; pull delivers the change
//! feed in scope.

mod apply;
mod batch;
mod records;

use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::device_ops;
use crate::db::{users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use apply::push_one;
use std::collections::HashMap;
use xunjian_shared::sync::{
    delivered, Change, Cursor, OpResult, PullResponse, PushRequest, PushResponse, MAX_OPS_PER_PUSH, MAX_PULL_PAGE,
    PROTOCOL_VERSION,
};
use xunjian_shared::ErrorCode;

fn check_protocol(protocol: u32) -> Result<(), AppError> {
    if protocol < PROTOCOL_VERSION {
        return Err(AppError::with_detail(
            ErrorCode::ClientOutdated,
            format!("server speaks protocol {PROTOCOL_VERSION}"),
        ));
    }
    if protocol > PROTOCOL_VERSION {
        return Err(AppError::with_detail(ErrorCode::InvalidParameter, format!("unknown protocol {protocol}")));
    }
    Ok(())
}

/// Applies a batch in order, in one transaction: one commit (one fsync) per batch, not per op. One
/// op's rejection never stops the rest; an internal failure stops the batch there (the ops before
/// it commit, and their results are returned on the retry). `refused[i]`, when set, is op `i`'s
/// refusal found as it was read: it is answered and recorded at its place, and never applied.
pub async fn push(
    state: actix_web::web::Data<AppState>,
    user: &AuthUser,
    req: PushRequest,
    refused: Vec<Option<AppError>>,
) -> Result<PushResponse, AppError> {
    check_protocol(req.protocol)?;
    if req.ops.len() > MAX_OPS_PER_PUSH {
        return Err(AppError::validation("ops", format!("at most {MAX_OPS_PER_PUSH} operations per push")));
    }

    let user = user.clone();
    crate::db::run_blocking(move || {
        let (results, failure) = state.db.write_blocking(|conn| {
            device_ops::lock_device(conn, &req.device_id.to_string())?;
            // The batch's ops already applied (a retry), read in one query under the device's lock;
            // ops recorded by this batch are added as it goes (an op id repeated within a batch).
            let ids: Vec<String> = req.ops.iter().map(|o| o.op_id.to_string()).collect();
            let mut known = device_ops::find_many(conn, &ids)?;
            let mut pre = batch::Prefetch::load(conn, &req.ops)?;
            let mut results = Vec::with_capacity(req.ops.len());
            let refusal = |i: usize| refused.get(i).and_then(|r| r.as_ref());
            let mut at = 0;
            while at < req.ops.len() {
                // An op refused as it was read is answered at its place; no run reaches past it.
                if let Some(e) = refusal(at) {
                    let op = &req.ops[at];
                    match push_one(conn, &state, &user, req.device_id, op, Some(e), &mut known) {
                        Ok(outcome) => results.push(OpResult { op_id: op.op_id, seq: op.seq, outcome }),
                        Err(e) => return Ok((results, Some(e))),
                    }
                    at += 1;
                    continue;
                }
                let end = (at..req.ops.len()).find(|&i| refusal(i).is_some()).unwrap_or(req.ops.len());
                // A run of new inspections is written together; the rest (and a run whose batched
                // write failed) go op by op.
                // A server failure here stops the batch as one in an op does: what came before commits.
                let now = state.clock.now();
                let run = match batch::gather(conn, &state, &user, &req.ops[at..end], &known, &mut pre, now) {
                    Ok(run) => run,
                    Err(e) => return Ok((results, Some(e))),
                };
                let ops = &req.ops[at..at + run.len()];
                if run.len() > 1 {
                    match batch::write_run(conn, &state, &user, req.device_id, ops, run, &mut known, now) {
                        Ok(Some(done)) => {
                            results.extend(done);
                            at += ops.len();
                            continue;
                        }
                        Ok(None) => {}
                        Err(e) => return Ok((results, Some(e))),
                    }
                }
                for op in ops.iter().chain(ops.is_empty().then_some(&req.ops[at])) {
                    match push_one(conn, &state, &user, req.device_id, op, None, &mut known) {
                        Ok(outcome) => results.push(OpResult { op_id: op.op_id, seq: op.seq, outcome }),
                        // That op's savepoint is rolled back; commit the ones before it, then fail.
                        Err(e) => return Ok((results, Some(e))),
                    }
                    pre.note(op);
                    at += 1;
                }
            }
            Ok((results, None))
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(PushResponse { results }),
        }
    })
    .await
}

/// The changes a page of the feed names, with their records loaded kind by kind (one query per
/// kind and 1,000 ids rather than one per change). A record deleted since is left out.
pub fn page_changes(conn: &mut DbConn, rows: &[&changes::ChangeRow]) -> Result<Vec<Change>, AppError> {
    let mut wanted: HashMap<Kind, Vec<String>> = HashMap::new();
    // How often each record is named: the same record may appear for two audiences in one page.
    let mut uses: HashMap<(Kind, &str), u32> = HashMap::new();
    for row in rows.iter().filter(|r| !r.removed) {
        if let Some(kind) = Kind::parse(&row.kind) {
            let n = uses.entry((kind, row.entity_id.as_str())).or_default();
            if *n == 0 {
                wanted.entry(kind).or_default().push(row.entity_id.clone());
            }
            *n += 1;
        }
    }
    let mut loaded = HashMap::new();
    for (kind, ids) in wanted {
        loaded.insert(kind, records::records(conn, kind, &ids)?);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(kind) = Kind::parse(&row.kind) else { continue };
        if row.removed {
            out.push(Change::Remove { seq: row.seq, kind, id: row.entity_id.clone() });
            continue;
        }
        let (Some(map), Some(n)) = (loaded.get_mut(&kind), uses.get_mut(&(kind, row.entity_id.as_str()))) else {
            continue;
        };
        *n -= 1;
        let record = if *n == 0 { map.remove(&row.entity_id) } else { map.get(&row.entity_id).cloned() };
        if let Some(record) = record {
            out.push(Change::Upsert { seq: row.seq, record: Box::new(record) });
        }
    }
    Ok(out)
}

/// The changes the user may see after `cursor`, at most `limit`.
pub async fn pull(
    state: &AppState,
    user: &AuthUser,
    cursor: Option<String>,
    limit: i64,
    protocol: u32,
) -> Result<PullResponse, AppError> {
    check_protocol(protocol)?;
    let limit = limit.clamp(1, MAX_PULL_PAGE);
    let user_id = user.id;
    state
        .db
        .read(move |conn| {
            // The scope is read from the database, not the token: a worker moved a minute ago
            // must not receive the old grid's records.
            let (me, path) =
                users::find_with_path(conn, user_id)?.ok_or_else(|| AppError::new(ErrorCode::InvalidToken))?;
            let path = me.role()?.scope_path(path);
            let epoch = changes::epoch(conn)?;
            let head = changes::head(conn)?;
            let parsed = cursor.as_deref().filter(|c| !c.is_empty()).map(Cursor::parse);
            let (from, reset) = match parsed {
                None => (0, false),
                Some(Some(c)) if c.epoch == epoch && c.unit == me.org_unit_id && c.seq <= head => (c.seq, false),
                // Another database, a reset or restored one, another unit, or junk: start over.
                Some(_) => (0, true),
            };
            // Each role's phone keeps only its own kind of work (shared rule `delivered`), filtered
            // here rather than in the query (a condition on the kind makes SQLite scan by kind).
            // The page is filled with kept rows, and one kept row past it says whether more are
            // waiting (no empty last request).
            let (role, to_me) = (me.role()?, format!("user:{}", me.id));
            let keep =
                |r: &changes::ChangeRow| Kind::parse(&r.kind).is_some_and(|k| delivered(role, k, r.audience == to_me));
            let (mut kept, mut scanned) = (Vec::new(), from);
            loop {
                let rows = changes::after(conn, scanned, &path, &me.id, limit + 1)?;
                let more = rows.len() as i64 > limit;
                scanned = rows.last().map_or(scanned, |r| r.seq);
                kept.extend(rows.into_iter().filter(|r| keep(r)));
                if !more || kept.len() as i64 > limit {
                    break;
                }
            }
            let has_more = kept.len() as i64 > limit;
            kept.truncate(limit as usize);
            let last = if has_more { kept.last().map_or(scanned, |r| r.seq) } else { scanned };
            let out = page_changes(conn, &kept.iter().collect::<Vec<_>>())?;
            Ok(PullResponse {
                reset,
                changes: out,
                cursor: Cursor { epoch, unit: me.org_unit_id, seq: last }.encode(),
                has_more,
            })
        })
        .await
}
