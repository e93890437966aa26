//! The township ranking of a road check (第二十四、二十五、二十六条): each township's result by the
//! check's form, the previous check of the same kind for "twice in a row", and the ranking as
//! published or as it stands.

use super::patrols::{month_days, worker_months};
use super::road_check_form;
use crate::db::road_checks::{self, CheckRow};
use crate::db::{corrupt, org_units, road_check_forms, roads, DbConn};
use crate::error::AppError;
use std::collections::BTreeMap;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::road::draw::Draw;
use xunjian_shared::road::patrol::CheckKind;
use xunjian_shared::road::ranking::{rank, township_score, Ranked, TownshipResult};

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

/// Township results of a check by its form (第二十四条): the mean segment score weighted by the
/// form's road points plus the station's points, and the workers with no on-road record in a
/// month of the period (第二十六条).
fn results(conn: &mut DbConn, row: &CheckRow) -> Result<Vec<TownshipResult>, AppError> {
    let kind = CheckKind::parse(&row.kind).ok_or_else(|| corrupt("road_checks.kind"))?;
    let form = road_check_form::of_check(row)?;
    let scores: BTreeMap<String, f64> = road_checks::scores(conn, &row.id)?.into_iter().collect();
    let marked: Vec<String> = road_checks::marks(conn, &row.id)?.into_iter().map(|m| m.segment_id).collect();
    let stations: BTreeMap<String, f64> =
        road_check_forms::stations(conn, &row.id)?.into_iter().map(|s| (s.township_id, s.points)).collect();
    let drawn: Vec<String> = serde_json::from_str::<Draw>(&row.draw).map_err(AppError::internal)?.segments;
    let county = org_units::list_within(conn, "/", Some(OrgLevel::County), None)?;
    let path = county.first().map(|c| c.path.clone()).unwrap_or_else(|| "/".into());
    let mut out = Vec::new();
    for town in org_units::list_within(conn, &path, Some(OrgLevel::Township), None)? {
        let segs = roads::segments_within(conn, &town.path)?;
        if segs.is_empty() {
            continue; // no road to maintain, nothing to rank
        }
        // Marked segments have no score: they are left out of the mean.
        let seg_scores: Vec<f64> = segs.iter().filter_map(|s| scores.get(&s.id).copied()).collect();
        let town_drawn: Vec<&String> = segs.iter().map(|s| &s.id).filter(|s| drawn.contains(s)).collect();
        let not_checkable = !town_drawn.is_empty() && town_drawn.iter().all(|s| marked.contains(s));
        let mut missing = 0;
        for month in months_of(kind, &row.period) {
            let (from, to) = month_days(&month)?;
            missing += worker_months(conn, &town.path, from, to)?.iter().filter(|w| w.days_on_road == 0).count() as u32;
        }
        let road_score = township_score(&seg_scores);
        let station_points = stations.get(&town.id).copied();
        out.push(TownshipResult {
            score: form.total(road_score, station_points),
            road_score: Some(road_score),
            station_points,
            township_id: town.id,
            name: town.name,
            workers_without_record: missing,
            not_checkable,
        });
    }
    Ok(out)
}

/// A check's ranking: the snapshot taken when it was published, else computed now.
pub fn ranking_of(conn: &mut DbConn, row: &CheckRow) -> Result<Vec<Ranked>, AppError> {
    match &row.ranking {
        Some(snapshot) => serde_json::from_str(snapshot).map_err(AppError::internal),
        None => live_ranking(conn, row),
    }
}

/// The ranking computed from today's register, patrols and scores, with the flags of 第二十五、二十六条
/// (the previous check of the same kind, as published or as it stands, decides "twice in a row").
pub fn live_ranking(conn: &mut DbConn, row: &CheckRow) -> Result<Vec<Ranked>, AppError> {
    let kind = CheckKind::parse(&row.kind).ok_or_else(|| corrupt("road_checks.kind"))?;
    let previous = match road_checks::find_period(conn, &row.kind, &previous_period(kind, &row.period))? {
        Some(p) if p.ranking.is_some() => Some(ranking_of(conn, &p)?),
        Some(p) => Some(rank(&results(conn, &p)?, None)),
        None => None,
    };
    Ok(rank(&results(conn, row)?, previous.as_deref()))
}
