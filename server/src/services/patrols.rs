//! On-road records (上路记录): submitted by patrol workers, thinned, measured against their
//! segments; and the month per worker that pay and ranking are built on.

use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::patrols::{self, Coverage, PatrolRow};
use crate::db::roads::SegmentRow;
use crate::db::{attachments, road_hours, roads, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use xunjian_shared::road::attendance::{flags, BURST_WINDOW};
use xunjian_shared::road::checklist::validate_checks;
use xunjian_shared::road::on_road::{judge, OnRoadRule};
use xunjian_shared::road::patrol::{Patrol, PatrolDetail, PatrolSummary, SegmentMonth, SubmitPatrol};
use xunjian_shared::road::pay::WorkerMonth;
use xunjian_shared::road::track::{coverage, coverage_by_all, distance_m, thin, TrackPoint};
use xunjian_shared::time::china_date;
use xunjian_shared::{ErrorCode, PatrolId, PhotoRef, Role};

fn check(req: &SubmitPatrol, now: DateTime<Utc>) -> Result<(), AppError> {
    if req.ended_at < req.started_at || req.ended_at - req.started_at > Duration::hours(24) {
        return Err(AppError::validation("ended_at", "a patrol lasts between 0 and 24 hours"));
    }
    if req.started_at > now + Duration::days(1) {
        return Err(AppError::validation("started_at", "is in the future; check the phone's clock"));
    }
    if req.segment_ids.is_empty() {
        return Err(AppError::validation("segment_ids", "name the segments walked"));
    }
    if req.findings.len() > 100 {
        return Err(AppError::validation("findings", "at most 100 findings per patrol"));
    }
    if req.track.len() > 100_000 {
        return Err(AppError::validation("track", "at most 100,000 points"));
    }
    validate_checks(&req.checks).map_err(|e| AppError::validation("checks", e))
}

/// Stores a patrol in the caller's transaction; re-sending the same one answers the stored one.
pub fn submit_in(
    conn: &mut DbConn,
    user: &AuthUser,
    req: &SubmitPatrol,
    now: DateTime<Utc>,
    rule: &OnRoadRule,
) -> Result<Patrol, AppError> {
    // 管护员 patrol their assigned segments; the road station patrols any segment of its township
    // (第十八条: its own records, not a worker's day on the road).
    let station = match user.role {
        Role::PatrolWorker => false,
        Role::RoadStation => true,
        _ => return Err(AppError::new(ErrorCode::Forbidden)),
    };
    check(req, now)?;
    let body = serde_json::to_string(req).map_err(AppError::internal)?;
    if let Some((row, cov)) = patrols::find(conn, req.id)? {
        return if row.body == body && row.worker_id == user.id.to_string() {
            patrols::to_dto(&row, cov)
        } else {
            Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"))
        };
    }
    let me = user.id.to_string();
    let mut segments = Vec::new();
    for id in &req.segment_ids {
        let mine = |s: &SegmentRow| {
            if station {
                user.can_see(&s.scope_path)
            } else {
                s.worker_id.as_deref() == Some(me.as_str())
            }
        };
        let s = roads::find_segment(conn, *id)?.filter(mine).ok_or_else(|| {
            let why = if station { "is not in your township" } else { "is not assigned to you" };
            AppError::with_detail(ErrorCode::OutOfScope, format!("segment {id} {why}"))
        })?;
        segments.push(s);
    }
    let photos: Vec<PhotoRef> = req.checks.iter().filter_map(|c| c.photo.clone()).collect();
    let found: Vec<PhotoRef> = req.findings.iter().flat_map(|f| f.photos.iter().cloned()).collect();
    super::attachments::may_reference(conn, user, &[photos.as_slice(), found.as_slice()].concat())?;
    let track = thin(&req.track);
    let mut cov = Vec::new();
    for s in &segments {
        let line: Vec<xunjian_shared::premise::GeoPoint> =
            serde_json::from_str(&s.polyline).map_err(AppError::internal)?;
        cov.push((s.id.clone(), coverage(&line, &track)));
    }
    let shares: Vec<Option<f64>> = cov.iter().map(|(_, c)| *c).collect();
    let faults = judge(rule, req.started_at, req.ended_at, &track, &shares);
    let hours = road_hours::of(conn, &segments[0].township_id)?;
    let day = china_date(req.started_at).to_string();
    let since = (now - BURST_WINDOW).timestamp_millis();
    let mut days = patrols::days_received_since(conn, &me, since)?;
    days.push(day.clone());
    days.sort();
    days.dedup();
    let flags = flags(&hours, req.started_at, req.ended_at, now, days.len() as u32);
    let row = PatrolRow {
        id: req.id.to_string(),
        worker_id: me.clone(),
        scope_path: segments[0].scope_path.clone(),
        started_at: req.started_at.timestamp_millis(),
        ended_at: req.ended_at.timestamp_millis(),
        received_at: now.timestamp_millis(),
        day,
        distance_m: distance_m(&track),
        body,
        track: serde_json::to_string(&track).map_err(AppError::internal)?,
        faults: Some(serde_json::to_string(&faults).map_err(AppError::internal)?),
        flags: serde_json::to_string(&flags).map_err(AppError::internal)?,
    };
    patrols::insert(conn, &row, &cov)?;
    changes::created(conn, Kind::Patrol, &row.id, &row.scope_path, row.received_at)?;
    changes::record(conn, Kind::Patrol, &row.id, &Audience::User(me), false, row.received_at)?;
    attachments::add_refs_new(conn, &photos, "patrol", &row.id, &row.scope_path)?;
    super::road_issues::register_findings(conn, user, Some(req.id), &req.findings, &segments, now)?;
    patrols::to_dto(&row, cov)
}

/// Submits a patrol.
pub async fn submit(state: &AppState, user: &AuthUser, req: SubmitPatrol) -> Result<Patrol, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    let rule = state.pay_rules.on_road();
    state.db.write(move |conn| submit_in(conn, &user, &req, now, &rule)).await
}

/// One patrol: its worker's own, or in the caller's scope.
pub async fn get(state: &AppState, user: &AuthUser, id: PatrolId) -> Result<PatrolDetail, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let (row, cov) = patrols::find(conn, id)?
                .filter(|(r, _)| {
                    r.worker_id == user.id.to_string()
                        || (user.role != Role::PatrolWorker && user.can_see(&r.scope_path))
                })
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let patrol = patrols::to_dto(&row, cov)?;
            let worker_name = crate::db::users::display_name(conn, patrol.worker_id)?;
            Ok(PatrolDetail { patrol, worker_name })
        })
        .await
}

/// Patrols of a month under the caller's scope (or one township inside it, or one worker), oldest
/// first; a patrol worker gets only their own.
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    month: String,
    township_id: Option<xunjian_shared::OrgUnitId>,
    worker_id: Option<xunjian_shared::UserId>,
) -> Result<Vec<PatrolSummary>, AppError> {
    let (from, to) = month_days(&month)?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let path = super::scope::narrow(conn, &user, township_id)?;
            let worker = if user.role == Role::PatrolWorker { Some(user.id) } else { worker_id };
            let worker = worker.map(|w| w.to_string());
            let (rows, mut cov) = month_patrols(conn, &path, worker.as_deref(), from, to)?;
            let names: HashMap<String, String> = patrols::workers_within(conn, "/")?.into_iter().collect();
            rows.iter()
                .map(|r| {
                    let p = patrols::to_dto(r, cov.remove(&r.id).unwrap_or_default())?;
                    Ok(PatrolSummary {
                        id: p.submitted.id,
                        worker_name: names.get(&r.worker_id).cloned().unwrap_or_default(),
                        worker_id: p.worker_id,
                        segment_ids: p.submitted.segment_ids,
                        started_at: p.submitted.started_at,
                        ended_at: p.submitted.ended_at,
                        distance_m: p.distance_m,
                        coverage: p.coverage,
                        checklist_score: p.checklist_score,
                        findings: p.submitted.findings.len(),
                        on_road: p.on_road,
                        faults: p.faults,
                        flags: p.flags,
                    })
                })
                .collect()
        })
        .await
}

/// The patrols of the days `from..=to` under a unit path (or one worker's), oldest first, with
/// each one's coverage per segment, by patrol id: what the patrol list, the workers' months and the
/// segments' months are all built on.
fn month_patrols(
    conn: &mut DbConn,
    path: &str,
    worker: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<PatrolRow>, HashMap<String, Coverage>), AppError> {
    let rows = patrols::between(conn, path, worker, &from.to_string(), &to.to_string())?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut coverage: HashMap<String, Coverage> = HashMap::new();
    for (patrol, segment, covered) in patrols::coverage_of(conn, &ids)? {
        coverage.entry(patrol).or_default().push((segment, covered));
    }
    Ok((rows, coverage))
}

/// The first and last day of a month `YYYY-MM`.
pub fn month_days(month: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let first = xunjian_shared::period::parse_month(month)
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1))
        .ok_or_else(|| AppError::validation("month", "YYYY-MM"))?;
    let last = first.checked_add_months(chrono::Months::new(1)).map(|d| d - Duration::days(1)).unwrap_or(first);
    Ok((first, last))
}

/// Each patrol worker's month under a unit path: days on the road and km of segment covered. Only
/// on-road records count (no faults, as judged when they arrived: `xunjian_shared::road::on_road`);
/// the others stay stored and listed with their faults.
pub fn worker_months(
    conn: &mut DbConn,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WorkerMonth>, AppError> {
    let workers = patrols::workers_within(conn, path)?;
    let (rows, coverage) = month_patrols(conn, path, None, from, to)?;
    let mut seg_len: HashMap<String, f64> = HashMap::new();
    for s in roads::segments_within(conn, path)? {
        seg_len.insert(s.id.clone(), s.to_km - s.from_km);
    }
    let mut km: BTreeMap<&str, f64> = BTreeMap::new();
    let mut days: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in &rows {
        let cov = coverage.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        if !r.faults()?.is_empty() {
            continue;
        }
        days.entry(r.worker_id.as_str()).or_default().insert(r.day.as_str());
        for (segment, covered) in cov {
            *km.entry(r.worker_id.as_str()).or_default() +=
                covered.unwrap_or(0.0) * seg_len.get(segment).copied().unwrap_or(0.0);
        }
    }
    Ok(workers
        .iter()
        .map(|(id, name)| WorkerMonth {
            user_id: id.clone(),
            name: name.clone(),
            days_on_road: days.get(id.as_str()).map_or(0, |d| d.len() as u32),
            km_covered: (km.get(id.as_str()).copied().unwrap_or(0.0) * 1000.0).round() / 1000.0,
        })
        .collect())
}

/// The patrol workers with on-road records on each segment under a unit path between two days:
/// who held the road then, whoever holds it now. The station's own patrols name no worker.
pub fn segment_workers(
    conn: &mut DbConn,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<String, BTreeSet<String>>, AppError> {
    let workers: BTreeSet<String> = patrols::workers_within(conn, path)?.into_iter().map(|(id, _)| id).collect();
    let (rows, coverage) = month_patrols(conn, path, None, from, to)?;
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in rows.iter().filter(|r| workers.contains(&r.worker_id)) {
        if !r.faults()?.is_empty() {
            continue;
        }
        for (segment, _) in coverage.get(&r.id).map(Vec::as_slice).unwrap_or_default() {
            out.entry(segment.clone()).or_default().insert(r.worker_id.clone());
        }
    }
    Ok(out)
}

/// Each segment's month in scope (a patrol worker: their own segments): the patrols that named it,
/// their days, and the share of its line their tracks covered together.
pub async fn segment_months(
    state: &AppState,
    user: &AuthUser,
    month: String,
    township_id: Option<xunjian_shared::OrgUnitId>,
) -> Result<Vec<SegmentMonth>, AppError> {
    let (from, to) = month_days(&month)?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let path = super::scope::narrow(conn, &user, township_id)?;
            let mine = (user.role == Role::PatrolWorker).then(|| user.id.to_string());
            let segments: Vec<_> = roads::segments_within(conn, &path)?
                .into_iter()
                .filter(|s| mine.is_none() || s.worker_id == mine)
                .collect();
            let (rows, coverage) = month_patrols(conn, &path, None, from, to)?;
            // Each track read once, whatever number of segments its patrol named.
            let tracks: HashMap<&str, Vec<TrackPoint>> = rows
                .iter()
                .map(|r| Ok((r.id.as_str(), serde_json::from_str(&r.track).map_err(AppError::internal)?)))
                .collect::<Result<_, AppError>>()?;
            // Segment id → the patrols that named it.
            let mut named: HashMap<&str, Vec<&PatrolRow>> = HashMap::new();
            for r in &rows {
                for (segment, _) in coverage.get(&r.id).map(Vec::as_slice).unwrap_or_default() {
                    named.entry(segment.as_str()).or_default().push(r);
                }
            }
            segments
                .iter()
                .map(|s| {
                    let seg = s.to_dto()?;
                    let walked = named.get(s.id.as_str()).map(Vec::as_slice).unwrap_or_default();
                    let refs: Vec<&[TrackPoint]> =
                        walked.iter().filter_map(|r| tracks.get(r.id.as_str())).map(Vec::as_slice).collect();
                    let days: BTreeSet<&str> = walked.iter().map(|r| r.day.as_str()).collect();
                    Ok(SegmentMonth {
                        segment_id: seg.id,
                        township_id: seg.township_id,
                        worker_id: seg.worker_id,
                        patrols: walked.len() as u32,
                        days: days.len() as u32,
                        coverage: coverage_by_all(&seg.polyline, &refs),
                    })
                })
                .collect()
        })
        .await
}
