//! Pay sheets (第二十、二十一、二十六条) and the yearly fund allocation (第二十条).

use super::patrols::{month_days, worker_months};
use super::scope;
use crate::auth::AuthUser;
use crate::db::{org_units, roads};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::funds::{allocate, Allocation, RoadKm};
use xunjian_shared::road::pay::{pay_line, PaySheet};
use xunjian_shared::road::{ResponsibleUnit, RoadLevel};
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, Role};

/// A township's pay sheet for a month.
pub async fn pay_sheet(
    state: &AppState,
    user: &AuthUser,
    township: OrgUnitId,
    month: String,
) -> Result<PaySheet, AppError> {
    if !(user.role.can_manage_roads() || user.role == Role::TownshipOffice) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let (from, to) = month_days(&month)?;
    let user = user.clone();
    let rules = state.pay_rules.clone();
    state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, Some(township))?;
            let town = org_units::find(conn, township)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            if town.level()? != OrgLevel::Township {
                return Err(AppError::validation("township_id", "a township"));
            }
            let lines: Vec<_> =
                worker_months(conn, &path, from, to, rules.min_coverage)?.iter().map(|m| pay_line(&rules, m)).collect();
            let total = lines.iter().fold(0.0, |a, l| a + l.pay_yuan); // from +0.0, not -0.0
            Ok(PaySheet {
                township_id: town.id,
                township_name: town.name,
                month,
                lines,
                total_yuan: total,
                signed_by_road_officer: String::new(),
                signed_by_deputy_head: String::new(),
            })
        })
        .await
}

/// The year's fund allocation: each segment's km at its road's level rate, per responsible unit
/// and per township; km of a road not yet divided into segments count for no township.
pub async fn funds(state: &AppState, user: &AuthUser, year: i32) -> Result<Allocation, AppError> {
    if !user.role.runs_road_checks() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    state
        .db
        .read(move |conn| {
            let mut km = Vec::new();
            for road in roads::all_roads(conn)?.into_iter().filter(|r| r.active) {
                let level =
                    RoadLevel::parse(&road.level).ok_or_else(|| AppError::internal(std::io::Error::other("level")))?;
                let responsible = ResponsibleUnit::parse(&road.responsible)
                    .ok_or_else(|| AppError::internal(std::io::Error::other("unit")))?;
                let segs = roads::segments_of_road(conn, &road.id)?;
                let mut divided = 0.0;
                for s in &segs {
                    let town = org_units::find(conn, s.township_id.parse().map_err(AppError::internal)?)?
                        .map(|t| t.name)
                        .unwrap_or_default();
                    km.push(RoadKm { level, responsible, township: town, km: s.to_km - s.from_km });
                    divided += s.to_km - s.from_km;
                }
                if road.length_km - divided > 1e-9 {
                    km.push(RoadKm { level, responsible, township: "未分段".into(), km: road.length_km - divided });
                }
            }
            Ok(allocate(year, &km))
        })
        .await
}
