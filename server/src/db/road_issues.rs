//! Queries on road issues, their timeline (the same shape as a hazard's) and works filings.

use super::escape_like;
use super::schema::{attachment_refs, road_issue_events, road_issues, road_segments, road_works, roads};
use super::{corrupt, overdue_candidates};
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::{HazardState, HazardStatus, ReferralTarget};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::issue::{FindingCategory, RoadIssue};
use xunjian_shared::road::works::{FileWorks, Works, WorksKind, WorksStatus};
use xunjian_shared::road::ResponsibleUnit;
use xunjian_shared::{PatrolId, RoadIssueId, SegmentId, UserId, WorksId};

/// A row of `road_issues`, typed like `HazardRow`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = road_issues, treat_none_as_null = true)]
pub struct IssueRow {
    pub id: RoadIssueId,
    pub patrol_id: Option<PatrolId>,
    pub segment_id: SegmentId,
    pub scope_path: String,
    pub category: FindingCategory,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub photos: String,
    pub works_id: Option<WorksId>,
    pub status: HazardStatus,
    pub deadline: Option<i64>,
    pub referred_to: Option<ReferralTarget>,
    pub reminded_deadline: Option<i64>,
    pub registered_by: Option<UserId>,
    pub version: i64,
    pub found_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl IssueRow {
    /// The part the hazard machine works on (road issues are always general).
    pub fn state(&self) -> Result<HazardState, AppError> {
        Ok(HazardState {
            status: self.status,
            severity: Severity::General,
            deadline: self.deadline.map(from_millis),
            referred_to: self.referred_to,
            brigade_accepted: false,
        })
    }

    /// Writes a new state into the row (version and times are the caller's).
    pub fn set_state(&mut self, s: &HazardState) {
        self.status = s.status;
        self.deadline = s.deadline.map(|d| d.timestamp_millis());
        self.referred_to = s.referred_to;
    }

    /// The API shape; `road_id` comes from the segment.
    pub fn to_dto(&self, road_id: &str) -> Result<RoadIssue, AppError> {
        Ok(RoadIssue {
            id: self.id,
            patrol_id: self.patrol_id,
            road_id: road_id.parse().map_err(|_| corrupt("road_segments.road_id"))?,
            segment_id: self.segment_id,
            category: self.category,
            description: self.description.clone(),
            location: GeoPoint { lat: self.lat, lon: self.lon, accuracy_m: None },
            photos: serde_json::from_str(&self.photos).map_err(AppError::internal)?,
            works_id: self.works_id,
            registered_by: self.registered_by,
            state: self.state()?,
            version: self.version,
            found_at: from_millis(self.found_at),
            created_at: from_millis(self.created_at),
            closed_at: self.closed_at.map(from_millis),
        })
    }
}

fn parse_opt<T: std::str::FromStr>(v: &Option<String>, what: &str) -> Result<Option<T>, AppError> {
    v.as_deref().map(str::parse).transpose().map_err(|_| corrupt(what))
}

/// A road issue with where it is.
#[derive(Clone, Debug, Queryable)]
pub struct IssueFull {
    pub row: IssueRow,
    pub road_id: String,
    pub road_code: String,
    pub from_km: f64,
    pub to_km: f64,
    /// The segment's patrol worker.
    pub worker_id: Option<String>,
}

impl IssueFull {
    /// "X321 3.0–8.0 km", for messages and screens.
    pub fn place(&self) -> String {
        format!("{} {}–{} km", self.road_code, self.from_km, self.to_km)
    }
}

/// Inserts a road issue.
pub fn insert(conn: &mut DbConn, row: &IssueRow) -> Result<(), AppError> {
    diesel::insert_into(road_issues::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves an issue only if it is still at `old_version`.
pub fn update_if_version(conn: &mut DbConn, row: &IssueRow, old_version: i64) -> Result<bool, AppError> {
    let q = road_issues::table.find(&row.id).filter(road_issues::version.eq(old_version));
    Ok(diesel::update(q).set(row).execute(conn)? == 1)
}

/// One issue with its road.
pub fn find_full(conn: &mut DbConn, id: &str) -> Result<Option<IssueFull>, AppError> {
    Ok(find_many(conn, &[id.to_owned()])?.pop())
}

/// Several issues with their roads (for the sync pull).
pub fn find_many(conn: &mut DbConn, ids: &[String]) -> Result<Vec<IssueFull>, AppError> {
    Ok(road_issues::table
        .inner_join(road_segments::table.on(road_segments::id.eq(road_issues::segment_id)))
        .inner_join(roads::table.on(roads::id.eq(road_segments::road_id)))
        .filter(road_issues::id.eq_any(ids))
        .select((
            IssueRow::as_select(),
            roads::id,
            roads::code,
            road_segments::from_km,
            road_segments::to_km,
            road_segments::worker_id,
        ))
        .load(conn)?)
}

/// Filters of the road issue list.
#[derive(Clone, Default)]
pub struct IssueFilter {
    pub path_prefix: String,
    /// A receiving-only role's grant (`Role::receives_only`): only the issues referred to this
    /// receiver now or worked on by its role (an event of theirs in the timeline), whatever the path.
    pub granted_to: Option<ReferralTarget>,
    pub statuses: Vec<HazardStatus>,
    pub referred_to: Option<ReferralTarget>,
    pub registered_by: Option<String>,
    pub segment_id: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

type Boxed<'a> = diesel::dsl::IntoBoxed<'a, road_issues::table, <DbConn as diesel::Connection>::Backend>;

fn filtered(f: &IssueFilter) -> Boxed<'static> {
    let mut q = match f.granted_to {
        Some(to) => road_issues::table.filter(granted(to)).into_boxed(),
        None => road_issues::table
            .filter(road_issues::scope_path.like(format!("{}%", escape_like(&f.path_prefix))).escape('\\'))
            .into_boxed(),
    };
    if !f.statuses.is_empty() {
        q = q.filter(road_issues::status.eq_any(f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
    }
    if let Some(r) = f.referred_to {
        q = q.filter(road_issues::referred_to.eq(r.as_str()));
    }
    if let Some(u) = &f.registered_by {
        q = q.filter(road_issues::registered_by.eq(u.clone()));
    }
    if let Some(s) = &f.segment_id {
        q = q.filter(road_issues::segment_id.eq(s.clone()));
    }
    q
}

/// The issues a receiving-only receiver is granted: referred to it now, or with an event of its
/// role in their timeline (a referral's end clears `referred_to`; its work stays in the timeline).
fn granted(
    to: ReferralTarget,
) -> Box<
    dyn BoxableExpression<
        road_issues::table,
        <DbConn as diesel::Connection>::Backend,
        SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>,
    >,
> {
    let worked = road_issue_events::table
        .filter(road_issue_events::actor_role.eq(to.role().as_str()))
        .select(road_issue_events::issue_id);
    Box::new(road_issues::referred_to.eq(to.as_str()).or(road_issues::id.eq_any(worked)))
}

/// Whether the issue `id` is granted to a receiving-only receiver (as [`granted`]).
pub fn is_granted(conn: &mut DbConn, id: RoadIssueId, to: ReferralTarget) -> Result<bool, AppError> {
    let n: i64 = road_issues::table.filter(road_issues::id.eq(id)).filter(granted(to)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Whether a road issue granted to `to` (as [`granted`]) references the photo.
pub fn photo_granted(conn: &mut DbConn, to: ReferralTarget, sha: &str) -> Result<bool, AppError> {
    let referencing = attachment_refs::table
        .filter(attachment_refs::sha256.eq(sha))
        .filter(attachment_refs::kind.eq("road_issue"))
        .select(attachment_refs::entity_id);
    let n: i64 =
        road_issues::table.filter(road_issues::id.eq_any(referencing)).filter(granted(to)).count().get_result(conn)?;
    Ok(n > 0)
}

/// A page of issues with their road ids, the total, and counts per status.
pub type IssueListing = (Vec<(IssueRow, String)>, i64, Vec<(String, i64)>);

/// A page of issues (newest first) with their road ids, the total and counts per status.
pub fn list(conn: &mut DbConn, f: &IssueFilter) -> Result<IssueListing, AppError> {
    let statuses: Vec<String> = filtered(f).select(road_issues::status).load(conn)?;
    let mut by_status: std::collections::BTreeMap<String, i64> = Default::default();
    for s in statuses {
        *by_status.entry(s).or_default() += 1;
    }
    let total = by_status.values().sum();
    let rows: Vec<IssueRow> = filtered(f)
        .select(IssueRow::as_select())
        .order((road_issues::created_at.desc(), road_issues::id.desc()))
        .limit(f.limit)
        .offset(f.offset)
        .load(conn)?;
    let seg_ids: Vec<String> = rows.iter().map(|r| r.segment_id.to_string()).collect();
    let road_of: std::collections::HashMap<String, String> = road_segments::table
        .filter(road_segments::id.eq_any(seg_ids))
        .select((road_segments::id, road_segments::road_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let road = road_of.get(&r.segment_id.to_string()).cloned().unwrap_or_default();
            (r, road)
        })
        .collect();
    Ok((rows, total, by_status.into_iter().collect()))
}

/// Issues whose running deadline has passed, oldest first: `(id, version)`.
pub fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(road_issues::table
        .filter(road_issues::status.eq_any(overdue_candidates()))
        .filter(road_issues::deadline.le(now))
        .order(road_issues::deadline.asc())
        .limit(limit)
        .select((road_issues::id, road_issues::version))
        .load(conn)?)
}

/// Links an issue to a works filing.
pub fn link_works(conn: &mut DbConn, issue_id: RoadIssueId, works_id: &str) -> Result<(), AppError> {
    diesel::update(road_issues::table.find(issue_id)).set(road_issues::works_id.eq(works_id)).execute(conn)?;
    Ok(())
}

/// A row of `road_works`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = road_works, treat_none_as_null = true)]
pub struct WorksRow {
    pub id: String,
    pub segment_id: String,
    pub scope_path: String,
    pub kind: String,
    pub applicant: String,
    pub description: String,
    pub planned_from: String,
    pub planned_to: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub issue_id: Option<String>,
    pub status: String,
    pub decision_note: String,
    pub filed_by: Option<String>,
    pub decided_by: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub done_at: Option<i64>,
    /// Where it is filed (第五条), a `ResponsibleUnit`.
    pub filed_with: String,
    /// The 行政审批局's approval number, once approved.
    pub approval_ref: String,
}

impl WorksRow {
    /// The API shape; `township_id` comes from the segment.
    pub fn to_dto(&self, township_id: &str) -> Result<Works, AppError> {
        let date = |s: &str| s.parse().map_err(|_| corrupt("road_works.planned"));
        Ok(Works {
            filed: FileWorks {
                id: Some(self.id.parse().map_err(|_| corrupt("road_works.id"))?),
                segment_id: self.segment_id.parse().map_err(|_| corrupt("road_works.segment_id"))?,
                kind: WorksKind::parse(&self.kind).ok_or_else(|| corrupt("road_works.kind"))?,
                applicant: self.applicant.clone(),
                description: self.description.clone(),
                planned_from: date(&self.planned_from)?,
                planned_to: date(&self.planned_to)?,
                location: match (self.lat, self.lon) {
                    (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon, accuracy_m: None }),
                    _ => None,
                },
                issue_id: parse_opt(&self.issue_id, "road_works.issue_id")?,
            },
            township_id: township_id.parse().map_err(|_| corrupt("road_segments.township_id"))?,
            status: WorksStatus::parse(&self.status).ok_or_else(|| corrupt("road_works.status"))?,
            decision_note: self.decision_note.clone(),
            filed_by: parse_opt(&self.filed_by, "road_works.filed_by")?,
            decided_by: parse_opt(&self.decided_by, "road_works.decided_by")?,
            created_at: from_millis(self.created_at),
            decided_at: self.decided_at.map(from_millis),
            done_at: self.done_at.map(from_millis),
            filed_with: ResponsibleUnit::parse(&self.filed_with).ok_or_else(|| corrupt("road_works.filed_with"))?,
            approval_ref: self.approval_ref.clone(),
            version: self.version,
        })
    }
}

/// Inserts a filing.
pub fn insert_works(conn: &mut DbConn, row: &WorksRow) -> Result<(), AppError> {
    diesel::insert_into(road_works::table).values(row).execute(conn)?;
    Ok(())
}

/// A filing with its township.
pub fn find_works(conn: &mut DbConn, id: &str) -> Result<Option<(WorksRow, String)>, AppError> {
    Ok(road_works::table
        .inner_join(road_segments::table.on(road_segments::id.eq(road_works::segment_id)))
        .filter(road_works::id.eq(id))
        .select((WorksRow::as_select(), road_segments::township_id))
        .first(conn)
        .optional()?)
}

/// Saves a filing only if it is still at `old_version`.
pub fn update_works_if_version(conn: &mut DbConn, row: &WorksRow, old_version: i64) -> Result<bool, AppError> {
    let q = road_works::table.find(&row.id).filter(road_works::version.eq(old_version));
    Ok(diesel::update(q).set(row).execute(conn)? == 1)
}

/// Filings under a unit path, newest first, optionally of one status.
pub fn list_works(
    conn: &mut DbConn,
    path_prefix: &str,
    status: Option<WorksStatus>,
    limit: i64,
) -> Result<Vec<(WorksRow, String)>, AppError> {
    let mut q = road_works::table
        .inner_join(road_segments::table.on(road_segments::id.eq(road_works::segment_id)))
        .filter(road_works::scope_path.like(format!("{}%", escape_like(path_prefix))).escape('\\'))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(road_works::status.eq(s.as_str()));
    }
    Ok(q.order((road_works::created_at.desc(), road_works::id.desc()))
        .limit(limit)
        .select((WorksRow::as_select(), road_segments::township_id))
        .load(conn)?)
}
