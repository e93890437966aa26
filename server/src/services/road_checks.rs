//! The county's road checks: the double-random draw, scoring, publishing, and the ranking of
//! 第二十五、二十六条.

use super::road_check_form::{self, name_of};
use super::road_ranking::{live_ranking, ranking_of};
use crate::auth::AuthUser;
use crate::db::corrupt;
use crate::db::road_check_forms::StationRow;
use crate::db::road_checks::{self, CheckRow};
use crate::db::{org_units, roads, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::BTreeMap;
use xunjian_shared::road::check::{
    may_score, may_see_check, stations_unscored, unsettled, validate_reason, CheckDetail, MarkNotCheckable,
    NotCheckable, SegmentScoreCard,
};
use xunjian_shared::road::check_form::ScoreStation;
use xunjian_shared::road::checklist::{score, validate_checks, RoadCheck};
use xunjian_shared::road::draw::{draw, township_seed, Draw};
use xunjian_shared::road::patrol::{validate_period, Check, CheckKind, CreateCheck, ScoreSegment};
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::{CheckId, ErrorCode, OrgUnitId, Role, SegmentId};

fn county_only(user: &AuthUser) -> Result<(), AppError> {
    if user.role.runs_road_checks() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

/// A check the caller may see: patrol workers none (403); the county every one; others only
/// published ones (an unpublished check is "not found" to them, as an object out of scope is).
fn visible(user: &AuthUser, row: Option<CheckRow>) -> Result<CheckRow, AppError> {
    if user.role == Role::PatrolWorker {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    row.filter(|r| may_see_check(user.role, r.published_at.is_some())).ok_or_else(|| AppError::new(ErrorCode::NotFound))
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
        form: road_check_form::of_check(row)?,
    })
}

/// An unpublished check the caller was drawn to inspect, with its draw: 404 if there is none,
/// 409 once published, 403 `not_an_inspector` to a county admin not drawn for it.
fn inspecting(conn: &mut DbConn, user: &AuthUser, id: CheckId) -> Result<(CheckRow, Draw), AppError> {
    let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if row.published_at.is_some() {
        return Err(AppError::with_detail(ErrorCode::Conflict, "the check is published"));
    }
    let d: Draw = serde_json::from_str(&row.draw).map_err(AppError::internal)?;
    if !may_score(&d.inspectors, &user.id) {
        return Err(AppError::with_detail(
            ErrorCode::NotAnInspector,
            "only the inspectors drawn for this check score it",
        ));
    }
    Ok((row, d))
}

/// A drawn segment of the check (422 otherwise).
fn drawn(d: &Draw, segment: SegmentId) -> Result<String, AppError> {
    let s = segment.to_string();
    if d.segments.contains(&s) {
        Ok(s)
    } else {
        Err(AppError::validation("segment_id", "not drawn for this check"))
    }
}

/// The townships of a draw, each with whether every one of its drawn segments is marked not
/// checkable (it has no score, and its station is not scored either).
fn drawn_townships(conn: &mut DbConn, d: &Draw, marked: &[String]) -> Result<Vec<(String, bool)>, AppError> {
    let mut towns: BTreeMap<String, bool> = BTreeMap::new();
    for seg in &d.segments {
        let id: SegmentId = seg.parse().map_err(|_| corrupt("road_checks.draw"))?;
        let town = township_of(conn, id, "road_checks.draw")?.to_string();
        let all_marked = towns.get(&town).copied().unwrap_or(true) && marked.contains(seg);
        towns.insert(town, all_marked);
    }
    Ok(towns.into_iter().collect())
}

/// Starts a check: records the seed and draws, per township, the segments to check (all of them
/// for a quarterly full inspection) and the county inspectors.
pub async fn create(state: &AppState, user: &AuthUser, req: CreateCheck) -> Result<Check, AppError> {
    county_only(user)?;
    validate_period(req.kind, &req.period).map_err(|e| AppError::validation("period", e))?;
    // Stored as a signed 64-bit integer, and published: a seed anyone can type into any tool.
    if req.seed.is_some_and(|s| s > i64::MAX as u64) {
        return Err(AppError::validation("seed", format!("at most {}", i64::MAX)));
    }
    use xunjian_shared::road::patrol::MAX_DRAWN;
    for (field, n) in [("segments_per_township", req.segments_per_township), ("inspectors", req.inspectors)] {
        if n.is_some_and(|n| n > MAX_DRAWN) {
            return Err(AppError::validation(field, format!("at most {MAX_DRAWN}")));
        }
    }
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
            let form = serde_json::to_string(&road_check_form::current(conn)?).map_err(AppError::internal)?;
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
                id: CheckId::new().to_string(),
                kind: req.kind.as_str().into(),
                period: req.period.clone(),
                seed: seed as i64,
                draw: serde_json::to_string(&d).map_err(AppError::internal)?,
                created_by: Some(user.id.to_string()),
                created_at: now,
                published_at: None,
                ranking: None,
                form: Some(form),
            };
            road_checks::insert(conn, &row)?;
            to_dto(conn, &row)
        })
        .await
}

/// Records an inspector's seven-item scoring of a drawn segment: only an inspector drawn for the
/// check scores (others 403 `not_an_inspector`).
pub async fn score_segment(
    state: &AppState,
    user: &AuthUser,
    id: CheckId,
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
            let (row, d) = inspecting(conn, &user, id)?;
            let segment = drawn(&d, segment)?;
            let items = serde_json::to_string(&req.items).map_err(AppError::internal)?;
            road_checks::clear_mark(conn, &row.id, &segment)?;
            road_checks::save_score(conn, &row.id, &segment, &user.id.to_string(), &items, score(&req.items), now)?;
            to_dto(conn, &row)
        })
        .await
}

/// Marks a drawn segment not checkable (不具备检查条件) with the reason: a drawn inspector only
/// (others 403 `not_an_inspector`), before publishing (409). It replaces the segment's score, and a
/// score given later replaces the mark. Answers the check with its forms and marks.
pub async fn mark_not_checkable(
    state: &AppState,
    user: &AuthUser,
    id: CheckId,
    segment: SegmentId,
    req: MarkNotCheckable,
) -> Result<CheckDetail, AppError> {
    county_only(user)?;
    validate_reason(&req.reason).map_err(|e| AppError::validation("reason", e))?;
    let now = state.now_ms();
    let who = user.clone();
    state
        .db
        .write(move |conn| {
            let (row, d) = inspecting(conn, &who, id)?;
            let segment = drawn(&d, segment)?;
            road_checks::save_mark(conn, &row.id, &segment, &who.id.to_string(), req.reason.trim(), now)
        })
        .await?;
    get(state, user, id).await
}

/// Records a drawn inspector's scoring of a township's station items (第二十四条: 交管站建设, 交管员配备,
/// 养护队伍, 宣传, 打药灭草 — the check's form), replacing an earlier one, before publishing. The
/// township must be in the draw (422). Answers the check with its forms.
pub async fn score_station(
    state: &AppState,
    user: &AuthUser,
    id: CheckId,
    township: OrgUnitId,
    req: ScoreStation,
) -> Result<CheckDetail, AppError> {
    county_only(user)?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::validation("note", "at most 500 characters"));
    }
    let now = state.now_ms();
    let who = user.clone();
    state
        .db
        .write(move |conn| {
            let (row, d) = inspecting(conn, &who, id)?;
            let form = road_check_form::of_check(&row)?;
            let points = form.score_station(&req.items).map_err(|e| AppError::validation("items", e))?;
            let marked: Vec<String> = road_checks::marks(conn, &row.id)?.into_iter().map(|m| m.segment_id).collect();
            let town = township.to_string();
            if !drawn_townships(conn, &d, &marked)?.iter().any(|(t, _)| *t == town) {
                return Err(AppError::validation("township_id", "no segment of this township is drawn for this check"));
            }
            let items = serde_json::to_string(&req.items).map_err(AppError::internal)?;
            let row = StationRow {
                check_id: row.id,
                township_id: town,
                items,
                points,
                note,
                scored_by: Some(who.id.to_string()),
                at: now,
            };
            road_check_form::save_station(conn, &row)
        })
        .await?;
    get(state, user, id).await
}

/// The segment's township.
fn township_of(
    conn: &mut DbConn,
    segment: SegmentId,
    what: &'static str,
) -> Result<xunjian_shared::OrgUnitId, AppError> {
    roads::find_segment(conn, segment)?
        .ok_or_else(|| corrupt(what))?
        .township_id
        .parse()
        .map_err(|_| corrupt("road_segments.township_id"))
}

/// One check with its scoring forms (see [`visible`]).
pub async fn get(state: &AppState, user: &AuthUser, id: CheckId) -> Result<CheckDetail, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let row = visible(&user, road_checks::find(conn, &id.to_string())?)?;
            let check = to_dto(conn, &row)?;
            let mut scores = Vec::new();
            for f in road_checks::score_forms(conn, &row.id)? {
                let segment: SegmentId = f.segment_id.parse().map_err(|_| corrupt("road_check_scores.segment_id"))?;
                let township_id = township_of(conn, segment, "road_check_scores.segment_id")?;
                let (scored_by, scored_by_name) = name_of(conn, f.scored_by.as_deref())?;
                scores.push(SegmentScoreCard {
                    segment_id: segment,
                    township_id,
                    items: serde_json::from_str::<Vec<RoadCheck>>(&f.items).map_err(AppError::internal)?,
                    score: f.score,
                    scored_by,
                    scored_by_name,
                    scored_at: crate::db::from_millis(f.at),
                });
            }
            let order = |s: &SegmentScoreCard| check.draw.segments.iter().position(|d| *d == s.segment_id.to_string());
            scores.sort_by_key(order);
            let mut not_checkable = Vec::new();
            for m in road_checks::marks(conn, &row.id)? {
                let segment: SegmentId = m.segment_id.parse().map_err(|_| corrupt("road_check_marks.segment_id"))?;
                let township_id = township_of(conn, segment, "road_check_marks.segment_id")?;
                let (marked_by, marked_by_name) = name_of(conn, m.marked_by.as_deref())?;
                not_checkable.push(NotCheckable {
                    segment_id: segment,
                    township_id,
                    reason: m.reason,
                    marked_by,
                    marked_by_name,
                    marked_at: crate::db::from_millis(m.at),
                });
            }
            not_checkable.sort_by_key(|m| check.draw.segments.iter().position(|d| *d == m.segment_id.to_string()));
            let mut station_scores = road_check_form::station_cards(conn, &row.id)?;
            let name = |conn: &mut DbConn, t: OrgUnitId| -> Result<String, AppError> {
                Ok(org_units::find(conn, t)?.map(|u| u.name).unwrap_or_default())
            };
            let mut named = Vec::new();
            for card in station_scores.drain(..) {
                named.push((name(conn, card.township_id)?, card));
            }
            named.sort_by(|a, b| a.0.cmp(&b.0));
            let station_scores = named.into_iter().map(|(_, c)| c).collect();
            Ok(CheckDetail { check, scores, not_checkable, station_scores })
        })
        .await
}

/// The checks the caller may see, newest period first (at most 100), with their draws and what is
/// scored: the county every check, others the published ones, patrol workers none (403).
pub async fn list(state: &AppState, user: &AuthUser) -> Result<Vec<Check>, AppError> {
    if user.role == Role::PatrolWorker {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let published_only = !may_see_check(user.role, false);
    state
        .db
        .read(move |conn| road_checks::latest(conn, 100, published_only)?.iter().map(|r| to_dto(conn, r)).collect())
        .await
}

/// Publishes a check's results (通报) with the ranking as it stands, which from then on is what
/// the ranking answers. Publishing a published check changes nothing.
pub async fn publish(state: &AppState, user: &AuthUser, id: CheckId) -> Result<Check, AppError> {
    county_only(user)?;
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let row = road_checks::find(conn, &id.to_string())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            if row.published_at.is_none() {
                let d: Draw = serde_json::from_str(&row.draw).map_err(AppError::internal)?;
                let scored: Vec<String> = road_checks::scores(conn, &row.id)?.into_iter().map(|(s, _)| s).collect();
                let marked: Vec<String> =
                    road_checks::marks(conn, &row.id)?.into_iter().map(|m| m.segment_id).collect();
                let missing = unsettled(&d.segments, &scored, &marked).len();
                if missing > 0 {
                    return Err(AppError::with_detail(
                        ErrorCode::SegmentsUnscored,
                        format!(
                            "{missing} of {} drawn segments are neither scored nor marked not checkable",
                            d.segments.len()
                        ),
                    ));
                }
                let towns = drawn_townships(conn, &d, &marked)?;
                let stations: Vec<String> =
                    crate::db::road_check_forms::stations(conn, &row.id)?.into_iter().map(|s| s.township_id).collect();
                let form = road_check_form::of_check(&row)?;
                let waiting = stations_unscored(&form, &towns, &stations).len();
                if waiting > 0 {
                    return Err(AppError::with_detail(
                        ErrorCode::SegmentsUnscored,
                        format!("the station items of {waiting} of {} townships are not scored", towns.len()),
                    ));
                }
                let ranked = live_ranking(conn, &row)?;
                let snapshot = serde_json::to_string(&ranked).map_err(AppError::internal)?;
                road_checks::publish(conn, &row.id, now, &snapshot)?;
            }
            let row = road_checks::find(conn, &row.id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            to_dto(conn, &row)
        })
        .await
}

/// The ranking of a check for the county admin, road stations and township offices (others 403),
/// once the caller may see the check (see [`visible`]): as published once published, computed live
/// before (the county only). Answers the check too, for the file's title.
pub async fn ranking(state: &AppState, user: &AuthUser, id: CheckId) -> Result<(Check, Vec<Ranked>), AppError> {
    if !(user.role.runs_road_checks() || user.role == Role::RoadStation || user.role == Role::TownshipOffice) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let row = visible(&user, road_checks::find(conn, &id.to_string())?)?;
            let ranked = ranking_of(conn, &row)?;
            Ok((to_dto(conn, &row)?, ranked))
        })
        .await
}
