//! The "today" list: premises due for inspection, and hazards waiting for the caller.

use crate::auth::AuthUser;
use crate::db::hazards::{self, HazardFilter, HazardRow};
use crate::db::premises::{self, PremiseFilter};
use crate::db::{from_millis, inspections, notifications, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use xunjian_shared::cadence::Cadence;
use xunjian_shared::hazard::{actionable_statuses, allowed_actions, ActionKind, Actor, Hazard};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::today::{DuePremise, Today};

/// At most this many items of each list.
const SHOWN: usize = 200;

fn due_premises(
    conn: &mut DbConn,
    user: &AuthUser,
    cadence: &Cadence,
    now: DateTime<Utc>,
) -> Result<(i64, Vec<DuePremise>), AppError> {
    // Only those who inspect have premises due; a county-wide list would be the whole ledger.
    if !user.role.can_inspect() {
        return Ok((0, vec![]));
    }
    let filter =
        PremiseFilter { path_prefix: user.scope_path.clone(), active: Some(true), limit: 20_000, ..Default::default() };
    let (rows, _) = premises::list(conn, &filter)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let last: HashMap<String, Option<i64>> = inspections::last_finished(conn, &ids)?.into_iter().collect();
    let mut due = Vec::new();
    for row in &rows {
        let last_at = last.get(&row.id).copied().flatten().map(from_millis);
        let t = PremiseType::parse(&row.premise_type).unwrap_or(PremiseType::StreetShop);
        if cadence.is_due(t, last_at, now) {
            due.push(DuePremise { premise: row.to_dto()?, last_inspected_at: last_at });
        }
    }
    // Never inspected first, then the longest ago.
    due.sort_by_key(|d| d.last_inspected_at);
    let total = due.len() as i64;
    due.truncate(SHOWN);
    Ok((total, due))
}

fn my_hazards(conn: &mut DbConn, user: &AuthUser, now: DateTime<Utc>) -> Result<Vec<Hazard>, AppError> {
    let actor = Actor::User(user.role);
    let statuses = actionable_statuses(actor);
    if statuses.is_empty() {
        return Ok(vec![]);
    }
    let filter = HazardFilter { path_prefix: user.scope_path.clone(), statuses, limit: 2_000, ..Default::default() };
    let rows = hazards::list(conn, &filter)?.rows;
    let mut out: Vec<Hazard> = rows
        .iter()
        .map(HazardRow::to_dto)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|h| allowed_actions(&h.state, actor, now).iter().any(|k| *k != ActionKind::Reclassify))
        .collect();
    // Earliest deadline first; those without a deadline (referrals, reviews) after, oldest first.
    out.sort_by_key(|h| (h.state.deadline.is_none(), h.state.deadline, h.created_at));
    out.truncate(SHOWN);
    Ok(out)
}

/// What the caller should do now.
pub async fn today(state: &AppState, user: &AuthUser) -> Result<Today, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    let cadence = state.cadence.clone();
    state
        .db
        .read(move |conn| {
            let (premises_due_total, premises_due) = due_premises(conn, &user, &cadence, now)?;
            Ok(Today {
                premises_due_total,
                premises_due,
                hazards: my_hazards(conn, &user, now)?,
                unread_notifications: notifications::unread_count(conn, user.id)?,
            })
        })
        .await
}
