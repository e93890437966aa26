//! One op of a push: what it is (its kind's name, its content's fingerprint), applying it in its own
//! savepoint with its recorded result, and how a refusal is answered.

use crate::auth::AuthUser;
use crate::db::device_ops::{self, OpRow};
use crate::db::hazards::HazardFull;
use crate::db::road_issues::IssueFull;
use crate::db::DbConn;
use crate::error::AppError;
use crate::services::hazards::register_in;
use crate::services::inspections;
use crate::services::lifecycle;
use crate::services::premises::{self, update_in, EditMode};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use diesel::Connection;
use sha2::{Digest, Sha256};
use xunjian_shared::ids::DeviceId;
use xunjian_shared::sync::{OpBody, OpOutcome, Operation};
use xunjian_shared::ErrorCode;

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
    // The detail may echo what was refused (a field's path): never a character the text rule refuses.
    let message = match &e.detail {
        Some(d) => format!("{}: {}", e.code.message_en(), xunjian_shared::text::escaped(d)),
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
        // A stale action is re-decided by the shared machine on the current state (docs/sync.md).
        OpBody::ActOnHazard { id, act } => {
            lifecycle::act_offline::<HazardFull>(conn, user, &id.to_string(), act, now, &state.deadlines)
        }
        OpBody::SubmitPatrol(req) => {
            crate::services::patrols::submit_in(conn, user, req, now, &state.pay_rules.on_road())?;
            Ok(applied(None))
        }
        OpBody::ActOnRoadIssue { id, act } => {
            lifecycle::act_offline::<IssueFull>(conn, user, &id.to_string(), act, now, &state.deadlines)
        }
        OpBody::MarkNotificationRead { id } => {
            crate::services::notifications::mark_read_in(conn, user.id, *id, now_ms)?;
            Ok(applied(None))
        }
    }
}

/// One op, in its own savepoint of the batch's transaction: its effect (in a nested savepoint,
/// rolled back on rejection) and its recorded result are kept together, or neither is.
pub(super) fn push_one(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    device: DeviceId,
    op: &Operation,
    refusal: Option<&AppError>,
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
        let outcome = match refusal {
            // Refused as it was read (text the text rule refuses): recorded like any rejection.
            Some(e) => rejected(e),
            None => match conn.transaction(|c| match apply_op(c, user, op, now, state)? {
                // A conflict changes nothing: roll its savepoint back like a rejection.
                conflict @ OpOutcome::Conflict { .. } => Err(NotApplied::Outcome(conflict)),
                ok => Ok(ok),
            }) {
                Ok(o) | Err(NotApplied::Outcome(o)) => o,
                // The server failed, not the op: record nothing, so the device retries it later.
                Err(NotApplied::Fatal(e)) => return Err(e),
            },
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
pub(super) enum NotApplied {
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
