//! Queries on hazards and their append-only timeline.

use super::escape_like;
use super::overdue_candidates;
use super::schema::{hazards, org_units, premises};
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{Hazard, HazardState, HazardStatus, ReferralTarget};
use xunjian_shared::{HazardId, InspectionId, PremiseId, UserId};

/// A row of `hazards`, typed: ids and codes read and write themselves (`db/sql_types.rs`).
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hazards, treat_none_as_null = true)]
pub struct HazardRow {
    pub id: HazardId,
    pub premise_id: PremiseId,
    pub inspection_id: Option<InspectionId>,
    pub item_id: Option<String>,
    pub category: HazardCategory,
    pub severity: Severity,
    pub status: HazardStatus,
    pub description: String,
    pub deadline: Option<i64>,
    pub referred_to: Option<ReferralTarget>,
    pub brigade_accepted: bool,
    pub reminded_deadline: Option<i64>,
    pub photos: String,
    pub registered_by: Option<UserId>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl HazardRow {
    /// The part the state machine works on.
    pub fn state(&self) -> Result<HazardState, AppError> {
        Ok(HazardState {
            status: self.status,
            severity: self.severity,
            deadline: self.deadline.map(from_millis),
            referred_to: self.referred_to,
            brigade_accepted: self.brigade_accepted,
        })
    }

    /// Writes a new state into the row (version and times are the caller's).
    pub fn set_state(&mut self, s: &HazardState) {
        self.status = s.status;
        self.severity = s.severity;
        self.deadline = s.deadline.map(|d| d.timestamp_millis());
        self.referred_to = s.referred_to;
        self.brigade_accepted = s.brigade_accepted;
    }

    /// The API shape.
    pub fn to_dto(&self) -> Result<Hazard, AppError> {
        Ok(Hazard {
            id: self.id,
            premise_id: self.premise_id,
            inspection_id: self.inspection_id,
            item_id: self.item_id.clone(),
            category: self.category,
            description: self.description.clone(),
            photos: serde_json::from_str(&self.photos).map_err(AppError::internal)?,
            state: self.state()?,
            version: self.version,
            created_at: from_millis(self.created_at),
            closed_at: self.closed_at.map(from_millis),
        })
    }
}

/// Inserts a hazard.
pub fn insert(conn: &mut DbConn, row: &HazardRow) -> Result<(), AppError> {
    diesel::insert_into(hazards::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves a hazard only if it is still at `old_version`; returns whether it did. This guard is what
/// makes a stale action, or two schedulers racing, change a hazard at most once.
pub fn update_if_version(conn: &mut DbConn, row: &HazardRow, old_version: i64) -> Result<bool, AppError> {
    let n =
        diesel::update(hazards::table.find(&row.id).filter(hazards::version.eq(old_version))).set(row).execute(conn)?;
    Ok(n == 1)
}

/// A hazard with where it is: its premise's name and address, and its grid's path.
#[derive(Clone, Debug, Queryable)]
pub struct HazardFull {
    pub row: HazardRow,
    pub premise_name: String,
    pub premise_address: String,
    pub grid_path: String,
}

/// A hazard with where it is.
pub fn find_full(conn: &mut DbConn, id: &str) -> Result<Option<HazardFull>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(hazards::id.eq(id))
        .select((HazardRow::as_select(), premises::name, premises::address, org_units::path))
        .first(conn)
        .optional()?)
}

/// Filters for hazard lists.
#[derive(Clone, Default)]
pub struct HazardFilter {
    /// The caller's scope, or a narrower unit inside it.
    pub path_prefix: String,
    pub statuses: Vec<HazardStatus>,
    pub severity: Option<Severity>,
    pub referred_to: Option<ReferralTarget>,
    /// Only overdue: under supervision, or a running deadline already passed (at `now`).
    pub overdue_at: Option<i64>,
    pub premise_id: Option<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

type Boxed<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<hazards::table, diesel::dsl::InnerJoin<premises::table, org_units::table>>,
    <DbConn as diesel::Connection>::Backend,
>;

/// The filtered query, built afresh for the page and for the counts.
fn filtered(f: &HazardFilter) -> Boxed<'static> {
    let mut q = hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(format!("{}%", escape_like(&f.path_prefix))).escape('\\'))
        .into_boxed();
    if !f.statuses.is_empty() {
        q = q.filter(hazards::status.eq_any(f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
    }
    if let Some(s) = f.severity {
        q = q.filter(hazards::severity.eq(s.as_str()));
    }
    if let Some(r) = f.referred_to {
        q = q.filter(hazards::referred_to.eq(r.as_str()));
    }
    if let Some(now) = f.overdue_at {
        q = q.filter(
            hazards::status.eq(HazardStatus::Supervised.as_str()).or(hazards::status
                .eq_any([HazardStatus::RectificationOrdered.as_str(), HazardStatus::Filed.as_str()])
                .and(hazards::deadline.lt(now))),
        );
    }
    if let Some(p) = &f.premise_id {
        q = q.filter(hazards::premise_id.eq(p.clone()));
    }
    if let Some(t) = f.created_from {
        q = q.filter(hazards::created_at.ge(t));
    }
    if let Some(t) = f.created_to {
        q = q.filter(hazards::created_at.lt(t));
    }
    q
}

/// A page of hazards with the total and the counts per status of all matches.
pub struct Listing {
    pub rows: Vec<HazardRow>,
    pub total: i64,
    pub by_status: Vec<(String, i64)>,
}

/// A page of hazards (newest first), the total, and counts per status.
pub fn list(conn: &mut DbConn, f: &HazardFilter) -> Result<Listing, AppError> {
    // Boxed queries cannot GROUP BY in diesel; the statuses of the matches are few bytes each, so
    // they are counted here (one query) rather than with a count per status.
    let statuses: Vec<String> = filtered(f).select(hazards::status).load(conn)?;
    let mut by_status: std::collections::BTreeMap<String, i64> = Default::default();
    for s in statuses {
        *by_status.entry(s).or_default() += 1;
    }
    let total = by_status.values().sum();
    let rows = filtered(f)
        .select(HazardRow::as_select())
        .order((hazards::created_at.desc(), hazards::id.desc()))
        .limit(f.limit)
        .offset(f.offset)
        .load(conn)?;
    Ok(Listing { rows, total, by_status: by_status.into_iter().collect() })
}

/// Hazards whose running deadline has passed (candidates for the overdue pass), oldest first:
/// `(id, version)`.
pub fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(hazards::table
        .filter(hazards::status.eq_any(overdue_candidates()))
        .filter(hazards::deadline.le(now))
        .order(hazards::deadline.asc())
        .limit(limit)
        .select((hazards::id, hazards::version))
        .load(conn)?)
}

/// Hazards with a deadline before `until` not yet reminded for that deadline.
pub fn due_for_reminder(conn: &mut DbConn, until: i64, limit: i64) -> Result<Vec<HazardRow>, AppError> {
    Ok(hazards::table
        .filter(hazards::status.eq_any([
            HazardStatus::RectificationOrdered.as_str(),
            HazardStatus::Filed.as_str(),
            HazardStatus::Supervised.as_str(),
        ]))
        .filter(hazards::deadline.le(until))
        .filter(hazards::reminded_deadline.is_null().or(hazards::reminded_deadline.ne(hazards::deadline)))
        .order(hazards::deadline.asc())
        .limit(limit)
        .select(HazardRow::as_select())
        .load(conn)?)
}

/// Claims the reminder for a hazard's current deadline; true for exactly one caller per deadline.
pub fn claim_reminder(conn: &mut DbConn, id: HazardId, deadline: i64) -> Result<bool, AppError> {
    let n = diesel::update(
        hazards::table
            .find(id)
            .filter(hazards::deadline.eq(deadline))
            .filter(hazards::reminded_deadline.is_null().or(hazards::reminded_deadline.ne(deadline))),
    )
    .set(hazards::reminded_deadline.eq(deadline))
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether a premise already has an open (not closed) hazard for a checklist item.
pub fn open_for_item(conn: &mut DbConn, premise_id: &str, item_id: &str) -> Result<bool, AppError> {
    let n: i64 = hazards::table
        .filter(hazards::premise_id.eq(premise_id))
        .filter(hazards::item_id.eq(item_id))
        .filter(hazards::status.ne(HazardStatus::Closed.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
