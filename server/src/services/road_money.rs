//! The yearly fund allocation (第二十条); pay sheets are in `road_months`.

use crate::auth::AuthUser;
use crate::db::{org_units, roads};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::funds::{allocate, Allocation, RoadKm};
use xunjian_shared::road::{ResponsibleUnit, RoadLevel};
use xunjian_shared::ErrorCode;

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
