//! A township's pay scheme (第十四、二十、二十六条) and the lines of a month computed by it: days
//! on the road against the required days (责任到位率), and the worker's road in the month's checks
//! (扣劣奖优). The sheet, its close and signatures are in `road_months`.

use super::patrols::{month_days, segment_workers, worker_months};
use crate::auth::AuthUser;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::road_pay::{self, SchemeRow};
use crate::db::{corrupt, from_millis, road_checks, roads, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;
use xunjian_shared::road::pay::{checks_paid_in, pay_line, PayLine, PayRules, PayScheme, PaySheet, TownshipPayScheme};
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, Role};

/// A township inside the caller's scope (404 otherwise, so others cannot be probed).
pub fn township(conn: &mut DbConn, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, AppError> {
    let town = org_units::find(conn, id)?
        .filter(|u| user.can_see(&u.path))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "township_id"))?;
    if town.level()? != OrgLevel::Township {
        return Err(AppError::validation("township_id", "a township"));
    }
    Ok(town)
}

/// Who may read pay sheets: the road station, the county, the township office (its leaders sign).
pub fn may_read(user: &AuthUser) -> Result<(), AppError> {
    if user.role.can_manage_roads() || user.role == Role::TownshipOffice {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

/// The scheme in force for a township's open months: its own, or the county's defaults.
pub fn scheme_in(conn: &mut DbConn, township: &str, defaults: &PayRules) -> Result<PayScheme, AppError> {
    match road_pay::of(conn, township)? {
        Some(row) => row.scheme(),
        None => Ok(defaults.scheme()),
    }
}

/// Each worker's mean score (0–100) over their segments in the published checks a month pays by
/// (`checks_paid_in`); a segment marked not checkable has no score and leaves the mean. A segment
/// counts for the workers who had on-road records on it in the month — who held it then — and,
/// when none did, for the worker it is assigned to now (until 2026-12-03 always the latter, so a
/// segment handed over after the month took its score to the new worker).
fn check_scores(conn: &mut DbConn, path: &str, month: &str) -> Result<HashMap<String, f64>, AppError> {
    let worker_of: HashMap<String, String> =
        roads::segments_within(conn, path)?.into_iter().filter_map(|s| Some((s.id, s.worker_id?))).collect();
    let (from, to) = month_days(month)?;
    let walked = segment_workers(conn, path, from, to)?;
    let mut sums: HashMap<String, (f64, u32)> = HashMap::new();
    for (kind, period) in checks_paid_in(month) {
        let Some(check) = road_checks::find_period(conn, kind.as_str(), &period)? else { continue };
        if check.published_at.is_none() {
            continue;
        }
        for (segment, score) in road_checks::scores(conn, &check.id)? {
            let workers: Vec<&String> = match walked.get(&segment) {
                Some(w) if !w.is_empty() => w.iter().collect(),
                _ => worker_of.get(&segment).into_iter().collect(),
            };
            for worker in workers {
                let e = sums.entry(worker.clone()).or_default();
                *e = (e.0 + score, e.1 + 1);
            }
        }
    }
    Ok(sums.into_iter().map(|(w, (sum, n))| (w, ((sum / n as f64) * 100.0).round() / 100.0)).collect())
}

/// A month's lines from the records as they stand. For a closed month (`frozen`), the checks are
/// taken as the frozen sheet had them: a late record corrects days on the road, not a score
/// published after the close.
pub fn live_lines(
    conn: &mut DbConn,
    town: &OrgUnitRow,
    month: &str,
    scheme: &PayScheme,
    frozen: Option<&PaySheet>,
) -> Result<Vec<PayLine>, AppError> {
    let (from, to) = month_days(month)?;
    let scores = match frozen {
        Some(f) => f.lines.iter().filter_map(|l| Some((l.month.user_id.clone(), l.check_score?))).collect(),
        None => check_scores(conn, &town.path, month)?,
    };
    Ok(worker_months(conn, &town.path, from, to)?
        .iter()
        .map(|m| pay_line(scheme, m, scores.get(&m.user_id).copied()))
        .collect())
}

/// Who may set a township's scheme: its township office (乡镇政府 pays, 第二十一条) or the county.
fn may_set(user: &AuthUser) -> Result<(), AppError> {
    if matches!(user.role, Role::TownshipOffice | Role::CountyAdmin) {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

fn read_in(conn: &mut DbConn, town: &OrgUnitRow, defaults: &PayRules) -> Result<TownshipPayScheme, AppError> {
    let township_id = town.id.parse().map_err(|_| corrupt("org_units.id"))?;
    let Some(row) = road_pay::of(conn, &town.id)? else {
        return Ok(TownshipPayScheme {
            township_id,
            scheme: defaults.scheme(),
            county_default: true,
            updated_by_name: String::new(),
            updated_at: None,
        });
    };
    let by = row.updated_by.parse().map_err(|_| corrupt("road_pay_schemes.updated_by"))?;
    Ok(TownshipPayScheme {
        township_id,
        scheme: row.scheme()?,
        county_default: false,
        updated_by_name: users::display_name(conn, by)?,
        updated_at: Some(from_millis(row.updated_at)),
    })
}

/// A township's pay scheme.
pub async fn get(state: &AppState, user: &AuthUser, id: OrgUnitId) -> Result<TownshipPayScheme, AppError> {
    may_read(user)?;
    let (user, defaults) = (user.clone(), state.pay_rules.clone());
    state
        .db
        .read(move |conn| {
            let town = township(conn, &user, id)?;
            read_in(conn, &town, &defaults)
        })
        .await
}

/// Sets a township's pay scheme. It applies to its open months; closed sheets keep the scheme
/// they were closed with.
pub async fn set(
    state: &AppState,
    user: &AuthUser,
    id: OrgUnitId,
    scheme: PayScheme,
) -> Result<TownshipPayScheme, AppError> {
    may_set(user)?;
    scheme.validate().map_err(|(field, why)| AppError::validation(field, why))?;
    let (user, defaults) = (user.clone(), state.pay_rules.clone());
    let at = state.now_ms();
    state
        .db
        .write(move |conn| {
            let town = township(conn, &user, id)?;
            road_pay::save(conn, &SchemeRow::new(&town.id, &scheme, &user.id.to_string(), at))?;
            read_in(conn, &town, &defaults)
        })
        .await
}

/// Drops a township's own scheme: the county's defaults apply to its open months again.
pub async fn reset(state: &AppState, user: &AuthUser, id: OrgUnitId) -> Result<TownshipPayScheme, AppError> {
    may_set(user)?;
    let (user, defaults) = (user.clone(), state.pay_rules.clone());
    state
        .db
        .write(move |conn| {
            let town = township(conn, &user, id)?;
            road_pay::remove(conn, &town.id)?;
            read_in(conn, &town, &defaults)
        })
        .await
}
