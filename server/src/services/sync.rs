//! The sync protocol on the server: push applies each device operation exactly once, in order, each
//! in its own savepoint with its recorded result, a batch in one transaction; pull delivers the change
//! feed in scope.

use super::hazards::{act_in, register_in, Staleness};
use super::premises::{self, update_in, EditMode};
use super::{inspections, scope, sync_batch as batch};
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::device_ops::{self, OpRow};
use crate::db::{hazards, notifications, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use diesel::Connection;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use xunjian_shared::hazard::{apply, Actor};
use xunjian_shared::ids::DeviceId;
use xunjian_shared::sync::{
    delivered, Change, Cursor, OpBody, OpOutcome, OpResult, Operation, PullResponse, PushRequest, PushResponse,
    MAX_OPS_PER_PUSH, MAX_PULL_PAGE, PROTOCOL_VERSION,
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

pub(super) fn kind_name(body: &OpBody) -> &'static str {
    match body {
        OpBody::CreatePremise(_) => "create_premise",
        OpBody::UpdatePremise { .. } => "update_premise",
        OpBody::SubmitInspection(_) => "submit_inspection",
        OpBody::RegisterHazard(_) => "register_hazard",
        OpBody::ActOnHazard { .. } => "act_on_hazard",
        OpBody::MarkNotificationRead { .. } => "mark_notification_read",
        OpBody::SubmitPatrol(_) => "submit_patrol",
        OpBody::ActOnRoadIssue { .. } => "act_on_road_issue",
    }
}

/// The fingerprint of an op's content: the same op id must always carry the same content.
pub(super) fn fingerprint(device: DeviceId, op: &Operation) -> String {
    let body = serde_json::to_vec(&(device, op.seq, &op.body)).unwrap_or_default();
    hex::encode(Sha256::digest(body))
}

fn rejected(e: &AppError) -> OpOutcome {
    let message = match &e.detail {
        Some(d) => format!("{}: {d}", e.code.message_en()),
        None => e.code.message_en().to_owned(),
    };
    OpOutcome::Rejected { code: e.code, message }
}

/// Applies one op's effect. Errors become the op's rejection (the caller rolls the effect back).
fn apply_op(
    conn: &mut DbConn,
    user: &AuthUser,
    op: &Operation,
    now: DateTime<Utc>,
    state: &AppState,
) -> Result<OpOutcome, AppError> {
    let now_ms = now.timestamp_millis();
    let applied = |version: Option<i64>| OpOutcome::Applied { version, merged: None };
    match &op.body {
        OpBody::CreatePremise(req) => {
            let Some(_) = req.id else {
                return Err(AppError::validation("id", "a premise created on a device carries its id"));
            };
            if !user.role.can_edit_premises() {
                return Err(AppError::new(ErrorCode::Forbidden));
            }
            let p = premises::from_create(req.clone());
            xunjian_shared::premise::validate_premise(&p).map_err(|(f, why)| AppError::validation(f, why))?;
            premises::insert_new(conn, user, &p, now_ms)?;
            Ok(applied(Some(1)))
        }
        OpBody::UpdatePremise { id, base_version, changes } => {
            let edited = update_in(conn, user, *id, changes, EditMode::Merge { base_version: *base_version }, now_ms)?;
            let merged = (!edited.conflicts.is_empty()).then_some(serde_json::Value::Object(edited.conflicts));
            Ok(OpOutcome::Applied { version: Some(edited.premise.version), merged })
        }
        OpBody::SubmitInspection(req) => {
            if !user.role.can_inspect() {
                return Err(AppError::new(ErrorCode::Forbidden));
            }
            inspections::check_times(req, now)?;
            inspections::submit_in(conn, user, req.clone(), now, &state.deadlines, &state.templates)?;
            Ok(applied(None))
        }
        OpBody::RegisterHazard(req) => {
            if req.id.is_none() {
                return Err(AppError::validation("id", "a hazard registered on a device carries its id"));
            }
            let d = register_in(conn, user, req, now)?;
            Ok(applied(Some(d.hazard.version)))
        }
        OpBody::ActOnHazard { id, act } => {
            // A stale action is re-validated by the shared machine against the current state: if
            // it still applies it is applied; if not, it is a conflict the user resolves.
            let current = scope::visible(user, hazards::find_full(conn, *id)?.map(|(r, _, _, p)| (r, p)))?;
            if current.version != act.expected_version {
                let state_now = current.state()?;
                if let Err(refusal) = apply(&state_now, &act.action, Actor::User(user.role), now, &state.deadlines) {
                    let code = ErrorCode::from(refusal);
                    return Ok(OpOutcome::Conflict {
                        code,
                        message: format!("the hazard changed to {} meanwhile", state_now.status.as_str()),
                        current: serde_json::to_value(current.to_dto()?).map_err(AppError::internal)?,
                    });
                }
            }
            let d = act_in(conn, user, *id, act, Staleness::Revalidate, now, &state.deadlines)?;
            Ok(applied(Some(d.hazard.version)))
        }
        OpBody::SubmitPatrol(req) => {
            super::patrols::submit_in(conn, user, req, now)?;
            Ok(applied(None))
        }
        OpBody::ActOnRoadIssue { id, act } => {
            // As for hazards: a stale action still allowed on the current state is applied; one
            // the machine now refuses is a conflict.
            match super::road_issues::act_in(conn, user, *id, act, true, now, &state.deadlines) {
                Ok(d) => Ok(applied(Some(d.issue.version))),
                Err(e) => match super::road_issues::moved_since(conn, user, *id, act.expected_version, now)? {
                    Some(current) if e.code.status() == 409 || e.code.status() == 422 => Ok(OpOutcome::Conflict {
                        code: e.code,
                        message: format!("the road issue changed to {} meanwhile", current.issue.state.status.as_str()),
                        current: serde_json::to_value(current.issue).map_err(AppError::internal)?,
                    }),
                    _ => Err(e),
                },
            }
        }
        OpBody::MarkNotificationRead { id } => {
            if notifications::mark_read(conn, user.id, *id, now_ms)? {
                Ok(applied(None))
            } else {
                Err(AppError::new(ErrorCode::NotFound))
            }
        }
    }
}

/// One op, in its own savepoint of the batch's transaction: its effect (in a nested savepoint,
/// rolled back on rejection) and its recorded result are kept together, or neither is.
fn push_one(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    device: DeviceId,
    op: &Operation,
    known: &mut std::collections::HashMap<String, OpRow>,
) -> Result<OpOutcome, AppError> {
    let now = state.clock.now();
    let hash = fingerprint(device, op);
    let op_id = op.op_id.to_string();
    conn.transaction(|conn| {
        if let Some(stored) = known.get(&op_id) {
            if stored.payload_hash != hash || stored.user_id != user.id.to_string() {
                // Not recorded: the stored op keeps its own result.
                return Ok(rejected(&AppError::new(ErrorCode::OpIdReused)));
            }
            return serde_json::from_str(&stored.result).map_err(AppError::internal);
        }
        let outcome = match conn.transaction(|c| match apply_op(c, user, op, now, state)? {
            // A conflict changes nothing: roll its savepoint back like a rejection.
            conflict @ OpOutcome::Conflict { .. } => Err(NotApplied::Outcome(conflict)),
            ok => Ok(ok),
        }) {
            Ok(o) | Err(NotApplied::Outcome(o)) => o,
            // The server failed, not the op: record nothing, so the device retries it later.
            Err(NotApplied::Fatal(e)) => return Err(e),
        };
        let row = OpRow {
            op_id: op_id.clone(),
            device_id: device.to_string(),
            user_id: user.id.to_string(),
            device_seq: op.seq,
            kind: kind_name(&op.body).into(),
            payload_hash: hash.clone(),
            result: serde_json::to_string(&outcome).map_err(AppError::internal)?,
            applied_at: now.timestamp_millis(),
        };
        device_ops::insert(conn, &row)?;
        known.insert(op_id.clone(), row);
        Ok(outcome)
    })
}

/// Why an op's savepoint was rolled back: a final outcome to record, or a server failure.
enum NotApplied {
    Outcome(OpOutcome),
    Fatal(AppError),
}

impl From<AppError> for NotApplied {
    fn from(e: AppError) -> Self {
        match e.code {
            ErrorCode::Internal | ErrorCode::ServiceUnavailable => NotApplied::Fatal(e),
            _ => NotApplied::Outcome(rejected(&e)),
        }
    }
}

impl From<diesel::result::Error> for NotApplied {
    fn from(e: diesel::result::Error) -> Self {
        AppError::from(e).into()
    }
}

/// Applies a batch in order, in one transaction: one commit (one fsync) per batch, not per op. One
/// op's rejection never stops the rest; an internal failure stops the batch there (the ops before
/// it commit, and their results are returned on the retry).
pub async fn push(
    state: actix_web::web::Data<AppState>,
    user: &AuthUser,
    req: PushRequest,
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
            let mut at = 0;
            while at < req.ops.len() {
                // A run of new inspections is written together; the rest (and a run whose batched
                // write failed) go op by op.
                // A server failure here stops the batch as one in an op does: what came before commits.
                let now = state.clock.now();
                let run = match batch::gather(conn, &state, &user, &req.ops[at..], &known, &mut pre, now) {
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
                    match push_one(conn, &state, &user, req.device_id, op, &mut known) {
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
        loaded.insert(kind, changes::records(conn, kind, &ids)?);
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
