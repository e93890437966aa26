//! The demo road network: all five levels in 猗氏镇 and 牛杜镇, segments with surveyed lines and
//! assigned patrol workers, their files, and a month of on-road records before the demo date
//! (牛杜镇's worker has none: the month's ranking and pay sheet show what 第二十六条 does).

use crate::db::changes::{self, Audience, Kind};
use crate::db::patrols::{self, PatrolRow};
use crate::db::roads::{self, RoadRow, SegmentRow};
use crate::db::{org_units, users, Db};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::checklist::{RoadCheck, RoadCheckItem};
use xunjian_shared::road::issue::{FindingCategory, RoadFinding};
use xunjian_shared::road::on_road::{judge, OnRoadRule};
use xunjian_shared::road::patrol::SubmitPatrol;
use xunjian_shared::road::register::PatrolWorker;
use xunjian_shared::road::track::{coverage, distance_m, thin, TrackPoint};
use xunjian_shared::road::RoadLevel;
use xunjian_shared::{PatrolId, RoadId, RoadIssueId, SegmentId};

/// (code, name, level, km).
const ROADS: [(&str, &str, RoadLevel, f64); 7] = [
    ("G209", "国道209线", RoadLevel::National, 12.0),
    ("S237", "省道237线", RoadLevel::Provincial, 8.0),
    ("X321", "猗牛旅游公路", RoadLevel::County, 15.0),
    ("Y045", "猗氏—东街乡道", RoadLevel::Township, 6.0),
    ("C012", "东街村道", RoadLevel::Village, 3.0),
    ("Y112", "牛杜—南关乡道", RoadLevel::Township, 5.0),
    ("C201", "南关村道", RoadLevel::Village, 4.0),
];

/// The findings of the demo month: 3 open road issues in 猗氏镇 for the road station to work.
fn demo_finding(worker: &str, day: usize) -> Option<FindingCategory> {
    match (worker, day) {
        ("yishi.patrol", 3) => Some(FindingCategory::Rubbish),
        ("yishi.patrol", 9) => Some(FindingCategory::GrainDrying),
        ("yishi.patrol2", 5) => Some(FindingCategory::PavementDamage),
        _ => None,
    }
}

/// (road code, township code, from km, to km, worker username).
const SEGMENTS: [(&str, &str, f64, f64, Option<&str>); 7] = [
    ("Y045", "140821100", 0.0, 5.0, Some("yishi.patrol")),
    ("Y045", "140821100", 5.0, 6.0, None),
    ("C012", "140821100", 0.0, 3.0, Some("yishi.patrol2")),
    ("X321", "140821100", 0.0, 7.5, Some("yishi.patrol2")),
    ("X321", "140821101", 7.5, 15.0, Some("niudu.patrol")),
    ("Y112", "140821101", 0.0, 5.0, Some("niudu.patrol")),
    ("C201", "140821101", 0.0, 4.0, None),
];

/// A straight surveyed line for a km range, north from a road's own start point.
fn line(road_index: usize, from_km: f64, to_km: f64) -> Vec<GeoPoint> {
    let (lat0, lon0) = (35.02 + road_index as f64 * 0.01, 110.58 + road_index as f64 * 0.02);
    let at = |km: f64| GeoPoint { lat: lat0 + km / 111.195, lon: lon0, accuracy_m: None };
    vec![at(from_km), at((from_km + to_km) / 2.0), at(to_km)]
}

/// A walk along a line, a fix every 20 m.
fn walk(line: &[GeoPoint], start: chrono::DateTime<Utc>) -> Vec<TrackPoint> {
    let (a, b) = (line[0], line[line.len() - 1]);
    let n = (a.distance_m(&b) / 20.0).ceil() as i64;
    (0..=n)
        .map(|i| {
            let f = i as f64 / n as f64;
            TrackPoint {
                lat: a.lat + f * (b.lat - a.lat),
                lon: a.lon + 0.00003,
                t: start + Duration::seconds(i * 15),
                acc: 8.0,
            }
        })
        .collect()
}

/// Loads the network (skipped when the roads exist).
pub fn load(db: &Db, now: i64) -> Result<(), AppError> {
    db.write_blocking(|conn| {
        if roads::find_road_by_code(conn, "G209")?.is_some() {
            return Ok(());
        }
        let mut road_ids = Vec::new();
        for (code, name, level, km) in ROADS {
            let row = RoadRow {
                id: RoadId::new().to_string(),
                code: code.into(),
                name: name.into(),
                level: level.as_str().into(),
                length_km: km,
                responsible: level.default_responsible().as_str().into(),
                active: true,
                created_at: now,
                updated_at: now,
            };
            roads::insert_road(conn, &row)?;
            changes::record(conn, Kind::Road, &row.id, &Audience::Everyone, false, now)?;
            road_ids.push((code, row.id));
        }
        let worker_id = |conn: &mut crate::db::DbConn, name: &str| -> Result<String, AppError> {
            users::find_by_username(conn, name)?.map(|u| u.id).ok_or_else(|| AppError::validation("demo", name))
        };
        let mut segments = Vec::new();
        for (road, town, from, to, worker) in SEGMENTS {
            let idx = ROADS.iter().position(|r| r.0 == road).unwrap_or(0);
            let town = org_units::find_by_code(conn, town)?.ok_or_else(|| AppError::validation("demo", town))?;
            let worker = worker.map(|w| worker_id(conn, w)).transpose()?;
            let row = SegmentRow {
                id: SegmentId::new().to_string(),
                road_id: road_ids[idx].1.clone(),
                township_id: town.id.clone(),
                scope_path: town.path.clone(),
                from_km: from,
                to_km: to,
                polyline: serde_json::to_string(&line(idx, from, to)).map_err(AppError::internal)?,
                worker_id: worker.clone(),
                updated_at: now,
            };
            roads::insert_segment(conn, &row)?;
            changes::scoped(conn, Kind::Segment, &row.id, &row.scope_path, now)?;
            if let Some(w) = &worker {
                changes::record(conn, Kind::Segment, &row.id, &Audience::User(w.clone()), false, now)?;
            }
            segments.push((row, idx));
        }
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        for (name, birth, contract, insured) in [
            ("yishi.patrol", d(1970, 6, 1), true, true),
            ("yishi.patrol2", d(1963, 2, 1), true, false),
            ("niudu.patrol", d(1975, 9, 9), true, true),
        ] {
            let id = worker_id(conn, name)?;
            let w = PatrolWorker {
                user_id: id.parse().map_err(AppError::internal)?,
                name: name.into(),
                birth_date: birth,
                probation_month: None,
                contract_signed: contract,
                insured,
            };
            roads::save_worker(conn, &w, now)?;
        }
        // The calendar month before the demo date: yishi.patrol on the road 20 days, yishi.patrol2
        // 12 days, niudu.patrol none. Patrols start at 08:00 China time (00:00 UTC).
        let today = xunjian_shared::time::china_date(crate::db::from_millis(now));
        let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
        let prev = this_month - chrono::Months::new(1);
        for (worker, days) in [("yishi.patrol", 20), ("yishi.patrol2", 12)] {
            let wid = worker_id(conn, worker)?;
            let mine: Vec<&(SegmentRow, usize)> =
                segments.iter().filter(|(s, _)| s.worker_id.as_deref() == Some(wid.as_str())).collect();
            for day in 0..days {
                let (seg, idx) = mine[day % mine.len()];
                let start = Utc
                    .from_utc_datetime(&(prev + Duration::days(day as i64)).and_hms_opt(0, 0, 0).unwrap_or_default());
                let polyline = line(*idx, seg.from_km, seg.to_km);
                let raw = walk(&polyline, start);
                let findings = demo_finding(worker, day)
                    .map(|category| RoadFinding {
                        id: RoadIssueId::new(),
                        segment_id: seg.id.parse().unwrap_or_default(),
                        category,
                        description: format!("{}，已拍照", category.label_zh()),
                        location: polyline[polyline.len() / 2],
                        photos: vec![],
                        found_at: start + Duration::minutes(20),
                    })
                    .into_iter()
                    .collect();
                let body = SubmitPatrol {
                    id: PatrolId::new(),
                    segment_ids: vec![seg.id.parse().map_err(AppError::internal)?],
                    started_at: start,
                    ended_at: raw.last().map(|p| p.t).unwrap_or(start),
                    track: raw.clone(),
                    checks: RoadCheckItem::ALL
                        .into_iter()
                        .map(|item| RoadCheck {
                            item,
                            pass: !(item == RoadCheckItem::Shoulders && day % 5 == 0),
                            photo: None,
                            location: None,
                            note: None,
                        })
                        .collect(),
                    findings,
                    notes: String::new(),
                };
                let track = thin(&raw);
                let covered = coverage(&polyline, &track);
                let faults = judge(&OnRoadRule::default(), start, body.ended_at, &track, &[covered]);
                let row = PatrolRow {
                    id: body.id.to_string(),
                    worker_id: wid.clone(),
                    scope_path: seg.scope_path.clone(),
                    started_at: start.timestamp_millis(),
                    ended_at: body.ended_at.timestamp_millis(),
                    // Sent from the road as it ended: not a late entry, nor part of a burst.
                    received_at: (body.ended_at + Duration::minutes(10)).timestamp_millis(),
                    day: xunjian_shared::time::china_date(start).to_string(),
                    distance_m: distance_m(&track),
                    body: serde_json::to_string(&body).map_err(AppError::internal)?,
                    track: serde_json::to_string(&track).map_err(AppError::internal)?,
                    faults: Some(serde_json::to_string(&faults).map_err(AppError::internal)?),
                    flags: "[]".into(),
                };
                patrols::insert(conn, &row, &[(seg.id.clone(), covered)])?;
                changes::scoped(conn, Kind::Patrol, &row.id, &row.scope_path, now)?;
                changes::record(conn, Kind::Patrol, &row.id, &Audience::User(wid.clone()), false, now)?;
                if !body.findings.is_empty() {
                    let user = crate::auth::AuthUser::of_row(conn, &wid)?;
                    let at = crate::db::from_millis(now);
                    let segs = [seg.clone()];
                    crate::services::road_issues::register_findings(
                        conn,
                        &user,
                        Some(body.id),
                        &body.findings,
                        &segs,
                        at,
                    )?;
                }
            }
        }
        Ok(())
    })
}
