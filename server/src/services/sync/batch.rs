//! The batched write path of a push. A phone's outbox is mostly new inspections; written one by one
//! each costs about a dozen statements and two savepoints. Here a run of consecutive new inspections
//! that pass every check is written together: the inspections, their change-feed rows (numbered by
//! one counter update), their photo references and their op records in multi-row inserts, inside one
//! savepoint; only the hazards of failed items are still registered one by one.
//!
//! It is an optimisation of the op-by-op path, never a second set of rules: an op qualifies only when
//! the op-by-op path would apply it (the same checks, `inspections::check`), and if anything goes
//! wrong while the run is written, its savepoint is rolled back and the same ops go through the
//! op-by-op path, which gives each its own result.

use super::apply::{fingerprint, kind_name};
use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::device_ops::{self, OpRow};
use crate::db::premises::PremiseRow;
use crate::db::{attachments, inspections, premises, DbConn};
use crate::error::AppError;
use crate::services::inspections::{self as insp, Checked};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use diesel::Connection;
use std::collections::{HashMap, HashSet};
use xunjian_shared::ids::DeviceId;
use xunjian_shared::sync::{OpBody, OpOutcome, OpResult, Operation};

/// What a batch's inspections need looked up, read once before the batch is applied, and what the
/// ops applied so far have changed since.
pub struct Prefetch {
    /// Inspection ids already stored when the batch began.
    stored: HashSet<String>,
    /// The premises the batch's inspections name, with their grids' paths.
    premises: HashMap<String, (PremiseRow, String)>,
    /// Inspection ids met earlier in this batch (on either path): a repeat goes op by op.
    seen: HashSet<String>,
    /// Premises created or edited by an earlier op of this batch: their prefetched row is stale.
    touched: HashSet<String>,
    /// Op ids taken by the run being gathered.
    pending: HashSet<String>,
}

impl Prefetch {
    pub fn load(conn: &mut DbConn, ops: &[Operation]) -> Result<Self, AppError> {
        let (mut ids, mut premise_ids) = (Vec::new(), Vec::new());
        for op in ops {
            if let OpBody::SubmitInspection(req) = &op.body {
                ids.push(req.id.to_string());
                premise_ids.push(req.premise_id.to_string());
            }
        }
        premise_ids.sort_unstable();
        premise_ids.dedup();
        Ok(Prefetch {
            stored: inspections::existing(conn, &ids)?,
            premises: premises::find_many_with_path(conn, &premise_ids)?,
            seen: HashSet::new(),
            touched: HashSet::new(),
            pending: HashSet::new(),
        })
    }

    /// Notes what an op applied on the op-by-op path may have changed.
    pub fn note(&mut self, op: &Operation) {
        match &op.body {
            OpBody::SubmitInspection(req) => {
                self.seen.insert(req.id.to_string());
            }
            OpBody::CreatePremise(req) => {
                self.touched.extend(req.id.map(|id| id.to_string()));
            }
            OpBody::UpdatePremise { id, .. } => {
                self.touched.insert(id.to_string());
            }
            _ => {}
        }
    }
}

/// The op checked for the batched path, or `None` when it must go op by op: not a new inspection,
/// a retry or repeat, a correction (which reads another inspection), or anything the checks refuse
/// (the op-by-op path then records the refusal).
fn qualify(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    op: &Operation,
    known: &HashMap<String, OpRow>,
    pre: &mut Prefetch,
    now: DateTime<Utc>,
) -> Result<Option<Checked>, AppError> {
    let OpBody::SubmitInspection(req) = &op.body else { return Ok(None) };
    let (id, op_id) = (req.id.to_string(), op.op_id.to_string());
    if req.corrects.is_some()
        || !user.role.can_inspect()
        || known.contains_key(&op_id)
        || pre.pending.contains(&op_id)
        || pre.stored.contains(&id)
        || pre.seen.contains(&id)
        || pre.touched.contains(&req.premise_id.to_string())
        || insp::check_times(req, now).is_err()
    {
        return Ok(None);
    }
    let template = state.templates.get(conn, req.template_id)?;
    let found = pre.premises.get(&req.premise_id.to_string()).cloned();
    let body = serde_json::to_string(req).map_err(AppError::internal)?;
    let Ok(checked) = insp::check(user, req.clone(), body, found, template, now) else { return Ok(None) };
    // Photos it may not name: op by op, where the refusal is answered.
    if crate::services::attachments::may_reference(conn, user, &checked.photos()).is_err() {
        return Ok(None);
    }
    pre.seen.insert(id);
    pre.pending.insert(op_id);
    Ok(Some(checked))
}

/// Gathers the run of consecutive qualifying ops from `ops[0]` (possibly empty), checked at `now`.
pub fn gather(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    ops: &[Operation],
    known: &HashMap<String, OpRow>,
    pre: &mut Prefetch,
    now: DateTime<Utc>,
) -> Result<Vec<Checked>, AppError> {
    pre.pending.clear();
    let mut run = Vec::new();
    for op in ops {
        match qualify(conn, state, user, op, known, pre, now)? {
            Some(c) => run.push(c),
            None => break,
        }
    }
    Ok(run)
}

/// Writes a run gathered at `now` in one savepoint and records each op as applied. `Ok(None)` when the
/// savepoint was rolled back (nothing of the run is kept): the caller then applies the same ops
/// one by one.
#[allow(clippy::too_many_arguments)] // the push's context, the run, and its clock
pub fn write_run(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    device: DeviceId,
    ops: &[Operation],
    mut run: Vec<Checked>,
    known: &mut HashMap<String, OpRow>,
    now: DateTime<Utc>,
) -> Result<Option<Vec<OpResult>>, AppError> {
    let now_ms = now.timestamp_millis();
    let outcome = OpOutcome::Applied { version: None, merged: None };
    let result = serde_json::to_string(&outcome).map_err(AppError::internal)?;
    let rows: Vec<OpRow> = ops
        .iter()
        .map(|op| OpRow {
            op_id: op.op_id.to_string(),
            device_id: device.to_string(),
            user_id: user.id.to_string(),
            device_seq: op.seq,
            kind: kind_name(&op.body).into(),
            payload_hash: fingerprint(device, op),
            result: result.clone(),
            applied_at: now_ms,
        })
        .collect();
    let written = conn.transaction(|conn| {
        let inspection_rows: Vec<_> = run.iter().map(|c| c.row.clone()).collect();
        inspections::insert_many(conn, &inspection_rows)?;
        let feed: Vec<_> =
            run.iter().map(|c| (Kind::Inspection, c.row.id.as_str(), Audience::Scope(c.path.clone()))).collect();
        changes::created_many(conn, &feed, now_ms)?;
        let refs: Vec<_> = run.iter().map(|c| (c.photos(), c.row.id.as_str(), c.path.as_str())).collect();
        attachments::add_refs_many(conn, "inspection", &refs)?;
        for c in &mut run {
            insp::register_failures(conn, user, c, now, &state.deadlines)?;
        }
        device_ops::insert_many(conn, &rows)
    });
    if let Err(e) = written {
        tracing::debug!(error = %e, ops = ops.len(), "batched write rolled back; applying op by op");
        return Ok(None);
    }
    let results = ops.iter().map(|op| OpResult { op_id: op.op_id, seq: op.seq, outcome: outcome.clone() }).collect();
    known.extend(rows.into_iter().map(|r| (r.op_id.clone(), r)));
    Ok(Some(results))
}
