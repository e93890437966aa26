//! Queries on hazards and their append-only timeline.

use super::org_units::escape_like;
use super::schema::{hazard_events, hazards, org_units, premises, users};
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{Hazard, HazardEvent, HazardState, HazardStatus, ReferralTarget};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::HazardId;

/// A row of `hazards`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = hazards, treat_none_as_null = true)]
pub struct HazardRow {
    pub id: String,
    pub premise_id: String,
    pub inspection_id: Option<String>,
    pub item_id: Option<String>,
    pub category: String,
    pub severity: String,
    pub status: String,
    pub description: String,
    pub deadline: Option<i64>,
    pub referred_to: Option<String>,
    pub brigade_accepted: bool,
    pub reminded_deadline: Option<i64>,
    pub photos: String,
    pub registered_by: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

pub(crate) fn corrupt(what: &str) -> AppError {
    AppError::internal(std::io::Error::other(format!("corrupt value in {what}")))
}

impl HazardRow {
    /// The part the state machine works on.
    pub fn state(&self) -> Result<HazardState, AppError> {
        Ok(HazardState {
            status: HazardStatus::parse(&self.status).ok_or_else(|| corrupt("hazards.status"))?,
            severity: Severity::parse(&self.severity).ok_or_else(|| corrupt("hazards.severity"))?,
            deadline: self.deadline.map(from_millis),
            referred_to: match &self.referred_to {
                Some(s) => Some(ReferralTarget::parse(s).ok_or_else(|| corrupt("hazards.referred_to"))?),
                None => None,
            },
            brigade_accepted: self.brigade_accepted,
        })
    }

    /// Writes a new state into the row (version and times are the caller's).
    pub fn set_state(&mut self, s: &HazardState) {
        self.status = s.status.as_str().into();
        self.severity = s.severity.as_str().into();
        self.deadline = s.deadline.map(|d| d.timestamp_millis());
        self.referred_to = s.referred_to.map(|r| r.as_str().into());
        self.brigade_accepted = s.brigade_accepted;
    }

    /// The API shape.
    pub fn to_dto(&self) -> Result<Hazard, AppError> {
        Ok(Hazard {
            id: self.id.parse().map_err(|_| corrupt("hazards.id"))?,
            premise_id: self.premise_id.parse().map_err(|_| corrupt("hazards.premise_id"))?,
            inspection_id: self
                .inspection_id
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| corrupt("hazards.inspection_id"))?,
            item_id: self.item_id.clone(),
            category: HazardCategory::parse(&self.category).ok_or_else(|| corrupt("hazards.category"))?,
            description: self.description.clone(),
            photos: serde_json::from_str(&self.photos).map_err(AppError::internal)?,
            state: self.state()?,
            version: self.version,
            created_at: from_millis(self.created_at),
            closed_at: self.closed_at.map(from_millis),
        })
    }
}

/// A row of `hazard_events`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = hazard_events)]
pub struct EventRow {
    pub id: String,
    pub hazard_id: String,
    pub version: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub at: i64,
    pub device_at: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub note: String,
    pub payload: String,
}

/// Inserts a hazard.
pub fn insert(conn: &mut DbConn, row: &HazardRow) -> Result<(), AppError> {
    diesel::insert_into(hazards::table).values(row).execute(conn)?;
    Ok(())
}

/// Appends a timeline entry. `(hazard_id, version)` is unique, so a racing duplicate fails.
pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> Result<(), AppError> {
    diesel::insert_into(hazard_events::table).values(row).execute(conn)?;
    Ok(())
}

/// Appends the timeline entries of a new hazard in one multi-row insert.
pub fn insert_events(conn: &mut DbConn, rows: &[EventRow]) -> Result<(), AppError> {
    crate::insert_many!(conn, hazard_events::table, rows)?;
    Ok(())
}

/// Saves a hazard only if it is still at `old_version`; returns whether it did. This guard is what
/// makes a stale action, or two schedulers racing, change a hazard at most once.
pub fn update_if_version(conn: &mut DbConn, row: &HazardRow, old_version: i64) -> Result<bool, AppError> {
    let n =
        diesel::update(hazards::table.find(&row.id).filter(hazards::version.eq(old_version))).set(row).execute(conn)?;
    Ok(n == 1)
}

/// A hazard with its premise's name, address and grid path.
pub fn find_full(conn: &mut DbConn, id: HazardId) -> Result<Option<(HazardRow, String, String, String)>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(hazards::id.eq(id.to_string()))
        .select((HazardRow::as_select(), premises::name, premises::address, org_units::path))
        .first(conn)
        .optional()?)
}

/// The timeline of a hazard, oldest first, with actor names.
pub fn timeline(conn: &mut DbConn, id: HazardId) -> Result<Vec<HazardEvent>, AppError> {
    let rows: Vec<(EventRow, Option<String>)> = hazard_events::table
        .left_join(users::table.on(users::id.nullable().eq(hazard_events::actor_id)))
        .filter(hazard_events::hazard_id.eq(id.to_string()))
        .order(hazard_events::version.asc())
        .select((EventRow::as_select(), users::display_name.nullable()))
        .load(conn)?;
    rows.into_iter().map(|(e, name)| event_dto(e, name)).collect()
}

/// The timelines of several hazards (oldest first each), in one query: for the sync pull.
pub fn timelines(
    conn: &mut DbConn,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<HazardEvent>>, AppError> {
    let rows: Vec<(EventRow, Option<String>)> = hazard_events::table
        .left_join(users::table.on(users::id.nullable().eq(hazard_events::actor_id)))
        .filter(hazard_events::hazard_id.eq_any(ids))
        .order((hazard_events::hazard_id.asc(), hazard_events::version.asc()))
        .select((EventRow::as_select(), users::display_name.nullable()))
        .load(conn)?;
    let mut out: std::collections::HashMap<String, Vec<HazardEvent>> = std::collections::HashMap::new();
    for (e, name) in rows {
        let id = e.hazard_id.clone();
        out.entry(id).or_default().push(event_dto(e, name)?);
    }
    Ok(out)
}

/// A timeline row as the API returns it (hazards and road issues share the shape).
pub fn event_dto(e: EventRow, actor_name: Option<String>) -> Result<HazardEvent, AppError> {
    Ok(HazardEvent {
        version: e.version,
        action: e.action,
        from_status: e.from_status.as_deref().and_then(HazardStatus::parse),
        to_status: HazardStatus::parse(&e.to_status).ok_or_else(|| corrupt("events.to_status"))?,
        actor_id: e.actor_id.as_deref().map(str::parse).transpose().map_err(|_| corrupt("events.actor_id"))?,
        actor_name,
        actor_role: e.actor_role,
        at: from_millis(e.at),
        device_at: e.device_at.map(from_millis),
        location: match (e.lat, e.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon, accuracy_m: None }),
            _ => None,
        },
        note: e.note,
        payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
    })
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

/// Hazards whose running deadline has passed (candidates for the overdue scheduler), oldest first.
pub fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<HazardRow>, AppError> {
    Ok(hazards::table
        .filter(hazards::status.eq_any([HazardStatus::RectificationOrdered.as_str(), HazardStatus::Filed.as_str()]))
        .filter(hazards::deadline.le(now))
        .order(hazards::deadline.asc())
        .limit(limit)
        .select(HazardRow::as_select())
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
pub fn claim_reminder(conn: &mut DbConn, id: &str, deadline: i64) -> Result<bool, AppError> {
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
