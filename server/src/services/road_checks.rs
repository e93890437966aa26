//! The county's road checks: the double-random draw, scoring, publishing, and the ranking of
//! 第二十五、二十六条.

use super::patrols::{month_days, worker_months};
use crate::auth::AuthUser;
use crate::db::road_checks::{self, CheckRow};
use crate::db::{org_units, roads, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::BTreeMap;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::road::checklist::{score, validate_checks};
use xunjian_shared::road::draw::{draw, township_seed, Draw};
use xunjian_shared::road::patrol::{validate_period, Check, CheckKind, CreateCheck, ScoreSegment};
use xunjian_shared::road::ranking::{rank, township_score, Ranked, TownshipResult};
use xunjian_shared::{ErrorCode, Role, SegmentId};

fn county_only(user: &AuthUser) -> Result<(), AppError> {
    if user.role.runs_road_checks() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

fn to_dto(conn: &mut DbConn, row: &CheckRow) -> Result<Check, AppError> {
    let scored = road_checks::scores(conn, &row.id)?
        .into_iter()
        .map(|(s, _)| s.parse().map_err(AppError::internal))
        .collect::<Result<Vec<SegmentId>, _>>()?;
    Ok(Check {
        id: row.id.parse().map_err(AppError::internal)?,
        kind: CheckKind::parse(&row.kind).ok_or_else(|| AppError::internal(std::io::Error::other("corrupt kind")))?,
        period: row.period.clone(),
        draw: serde_json::from_str(&row.draw).map_err(AppError::internal)?,
        scored,
        published_at: row.published_at.map(crate::db::from_millis),
    })
}

/// Starts a check: records the seed and draws, per township, the segments to check (all of them
/// for a quarterly full inspection) and the county inspectors.
pub async fn create(state: &AppState, user: &AuthUser, req: CreateCheck) -> Result<Check, AppError> {
    county_only(user)?;
    validate_period(req.kind, &req.period).map_err(|e| AppError::validation("period", e))?;
    let seed = req.seed.unwrap_or_else(|| rand::random::<u64>() >> 1);
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            if road_checks::find_period(conn, req.kind.as_str(), &req.period)?.is_some() {
                return Err(AppError::with_detail(ErrorCode::AlreadyExists, "a check of this kind and period exists"));
            }
            let mut by_town: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
            for s in roads::segments_within(conn, &user.scope_path)? {
                let code = org_units::find(conn, s.township_id.parse().map_err(AppError::internal)?)?
                    .map(|u| u.code)
                    .unwrap_or_default();
                by_town.entry(s.township_id.clone()).or_insert((code, vec![])).1.push(s.id);
            }
            let per = req.segments_per_township.unwrap_or(2);
            let mut segments = Vec::new();
            for (code, segs) in by_town.values() {
                let n = match req.kind {
                    CheckKind::QuarterlyFull => segs.len(),
                    CheckKind::MonthlyRandom => per,
                };
                segments.extend(draw(township_seed(seed, code), segs, n));
            }
            let inspectors: Vec<String> = users::list_within(
                conn,
                &user.scope_path,
                &users::UserFilter { role: Some(Role::CountyAdmin), limit: 500, ..Default::default() },
            )?
            .into_iter()
            .map(|u| u.id)
            .collect();
            let d = Draw {
                seed,
                segments,
                inspectors: draw(seed ^ 0xA5A5_A5A5_A5A5_A5A5, &inspectors, req.inspectors.unwrap_or(2)),
            };
            let row = CheckRow {
                id: xunjian_shared::CheckId::new().to_string(),
                kind: req.kind.as_str().into(),
                period: req.period.clone(),
                seed: seed as i64,
                draw: serde_json::to_string(&d).map_err(AppError::internal)?,
                created_by: Some(user.id.to_string()),
                created_at: now,
                published_at: None,
            };
            road_checks::insert(conn, &row)?;
            to_dto(conn, &row)
        })
        .await
}

/// Records an inspector's seven-item scoring of a drawn segment.
pub async fn score_segment(
    state: &AppState,
    user: &AuthUser,
    id: xunjian_shared::CheckId,
    segment: SegmentId,
    req: ScoreSegment,
) -> Result<Check, AppError> {
    county_only(user)?;
    validate_checks(&req.items).map_err(|e| AppError::validation("items", e))?;
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            if row.published_at.is_some() {
                return Err(AppError::with_detail(ErrorCode::Conflict, "the check is published"));
            }
            let d: Draw = serde_json::from_str(&row.draw).map_err(AppError::internal)?;
            if !d.segments.contains(&segment.to_string()) {
                return Err(AppError::validation("segment_id", "not drawn for this check"));
            }
            let items = serde_json::to_string(&req.items).map_err(AppError::internal)?;
            road_checks::save_score(
                conn,
                &row.id,
                &segment.to_string(),
                &user.id.to_string(),
                &items,
                score(&req.items),
                now,
            )?;
            to_dto(conn, &row)
        })
        .await
}

/// One check.
pub async fn get(state: &AppState, id: xunjian_shared::CheckId) -> Result<Check, AppError> {
    state
        .db
        .read(move |conn| {
            let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            to_dto(conn, &row)
        })
        .await
}

/// The checks held so far, newest period first (at most 100), with their draws and scores.
pub async fn list(state: &AppState) -> Result<Vec<Check>, AppError> {
    state.db.read(move |conn| road_checks::latest(conn, 100)?.iter().map(|r| to_dto(conn, r)).collect()).await
}

/// Publishes a check's results (通报).
pub async fn publish(state: &AppState, user: &AuthUser, id: xunjian_shared::CheckId) -> Result<Check, AppError> {
    county_only(user)?;
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            road_checks::publish(conn, &row.id, now)?;
            let row = road_checks::find(conn, &row.id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            to_dto(conn, &row)
        })
        .await
}

/// The months a check's period covers.
fn months_of(kind: CheckKind, period: &str) -> Vec<String> {
    match kind {
        CheckKind::MonthlyRandom => vec![period.to_owned()],
        CheckKind::QuarterlyFull => {
            let q: u32 = period[6..].parse().unwrap_or(1);
            (0..3).map(|i| format!("{}-{:02}", &period[..4], (q - 1) * 3 + 1 + i)).collect()
        }
    }
}

/// The period before (for "twice in a row").
fn previous_period(kind: CheckKind, period: &str) -> String {
    let year: i32 = period[..4].parse().unwrap_or(2000);
    match kind {
        CheckKind::MonthlyRandom => {
            let m: u32 = period[5..].parse().unwrap_or(1);
            if m == 1 {
                format!("{}-12", year - 1)
            } else {
                format!("{year}-{:02}", m - 1)
            }
        }
        CheckKind::QuarterlyFull => {
            let q: u32 = period[6..].parse().unwrap_or(1);
            if q == 1 {
                format!("{}-Q4", year - 1)
            } else {
                format!("{year}-Q{}", q - 1)
            }
        }
    }
}

/// Township results of a check: mean segment score, and workers with no on-road record in a
/// month of the period (第二十六条).
fn results(conn: &mut DbConn, row: &CheckRow) -> Result<Vec<TownshipResult>, AppError> {
    let kind = CheckKind::parse(&row.kind).ok_or_else(|| AppError::internal(std::io::Error::other("corrupt kind")))?;
    let scores: BTreeMap<String, f64> = road_checks::scores(conn, &row.id)?.into_iter().collect();
    let county = org_units::list_within(conn, "/", Some(OrgLevel::County), None)?;
    let path = county.first().map(|c| c.path.clone()).unwrap_or_else(|| "/".into());
    let mut out = Vec::new();
    for town in org_units::list_within(conn, &path, Some(OrgLevel::Township), None)? {
        let segs = roads::segments_within(conn, &town.path)?;
        if segs.is_empty() {
            continue; // no road to maintain, nothing to rank
        }
        let seg_scores: Vec<f64> = segs.iter().filter_map(|s| scores.get(&s.id).copied()).collect();
        let mut missing = 0;
        for month in months_of(kind, &row.period) {
            let (from, to) = month_days(&month)?;
            missing += worker_months(conn, &town.path, from, to)?.iter().filter(|w| w.days_on_road == 0).count() as u32;
        }
        out.push(TownshipResult {
            township_id: town.id,
            name: town.name,
            score: township_score(&seg_scores),
            workers_without_record: missing,
        });
    }
    Ok(out)
}

/// The ranking of a check, with the flags of 第二十五、二十六条 (the previous check of the same kind
/// decides "twice in a row").
pub async fn ranking(state: &AppState, user: &AuthUser, id: xunjian_shared::CheckId) -> Result<Vec<Ranked>, AppError> {
    if !(user.role.runs_road_checks() || user.role == Role::RoadStation || user.role == Role::TownshipOffice) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    state
        .db
        .read(move |conn| {
            let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let kind =
                CheckKind::parse(&row.kind).ok_or_else(|| AppError::internal(std::io::Error::other("corrupt kind")))?;
            let previous = match road_checks::find_period(conn, &row.kind, &previous_period(kind, &row.period))? {
                Some(p) => Some(rank(&results(conn, &p)?, None)),
                None => None,
            };
            Ok(rank(&results(conn, &row)?, previous.as_deref()))
        })
        .await
}
