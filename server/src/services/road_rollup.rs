//! Quarterly and yearly roll-ups of the published checks (第九条, 第二十四条): the rankings as
//! published, rolled up by `xunjian_shared::road::rollup`.

use crate::auth::AuthUser;
use crate::db::{corrupt, road_checks};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::patrol::CheckKind;
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::road::rollup::{rollup, Rollup, RollupCheck, RollupPeriod};
use xunjian_shared::{ErrorCode, Role};

/// The roll-up of a quarter (`YYYY-Qn`) or a year (`YYYY`) for the county admin, road stations and
/// township offices (as the rankings are): only published checks count, each as published.
pub async fn get(state: &AppState, user: &AuthUser, period: String) -> Result<Rollup, AppError> {
    if !(user.role.runs_road_checks() || user.role == Role::RoadStation || user.role == Role::TownshipOffice) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let which = RollupPeriod::parse(&period).ok_or_else(|| AppError::validation("period", "YYYY-Qn or YYYY"))?;
    state
        .db
        .read(move |conn| {
            // Published checks in time order, a quarter's full inspection after its last month.
            let mut rows = road_checks::latest(conn, 10_000, true)?;
            rows.sort_by_key(|r| order(&r.period));
            let (mut checks, mut rankings) = (Vec::new(), Vec::<Vec<Ranked>>::new());
            for row in rows {
                let kind = CheckKind::parse(&row.kind).ok_or_else(|| corrupt("road_checks.kind"))?;
                if !which.includes(kind, &row.period) {
                    continue;
                }
                let ranking = row.ranking.as_deref().ok_or_else(|| corrupt("road_checks.ranking"))?;
                rankings.push(serde_json::from_str(ranking).map_err(|_| corrupt("road_checks.ranking"))?);
                checks.push(RollupCheck { kind, period: row.period });
            }
            Ok(rollup(&period, checks, &rankings))
        })
        .await
}

/// Sorts check periods in time: `YYYY-MM` as its month, `YYYY-Qn` just after the quarter's last month.
fn order(period: &str) -> (String, u32) {
    let (year, rest) = period.split_at(period.len().min(4));
    let within = match rest.strip_prefix("-Q") {
        Some(q) => q.parse::<u32>().unwrap_or(0) * 30 + 5,
        None => rest.trim_start_matches('-').parse::<u32>().unwrap_or(0) * 10,
    };
    (year.to_owned(), within)
}
