//! The office dashboard: counts grouped by grid in SQL (a few small result sets, never a row per
//! record), then summed into the units one level below the one shown.

use crate::auth::AuthUser;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::{stats as q, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use xunjian_shared::cadence::Cadence;
use xunjian_shared::checklist::Severity;
use xunjian_shared::dashboard::{may_view, months_back, Dashboard, DashboardRow, MonthPoint, UnitCounts};
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::premise::PremiseType;
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId};

fn compute(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_id: Option<OrgUnitId>,
    now: DateTime<Utc>,
    cadence: &Cadence,
) -> Result<Dashboard, AppError> {
    let unit = org_units::find(conn, unit_id.unwrap_or(user.org_unit_id))?
        .filter(|u| user.can_see(&u.path))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "org_unit_id"))?;
    let level = unit.level()?;
    let units = org_units::list_within(conn, &unit.path, None, None)?;
    // Rows: the units one level down; a grid's dashboard has one row, itself.
    let children: Vec<&OrgUnitRow> = if level == OrgLevel::Grid {
        vec![&unit]
    } else {
        units.iter().filter(|u| u.parent_id.as_deref() == Some(unit.id.as_str())).collect()
    };
    let row_of: HashMap<&str, usize> = units
        .iter()
        .chain(std::iter::once(&unit))
        .filter(|u| u.level == OrgLevel::Grid.as_str())
        .filter_map(|g| children.iter().position(|c| g.path.starts_with(&c.path)).map(|i| (g.id.as_str(), i)))
        .collect();
    let path = unit.path.as_str();
    let mut counts = vec![UnitCounts::default(); children.len()];
    let idx = |grid: &str| row_of.get(grid).copied();

    for (grid, _, n) in q::premises_before(conn, path, i64::MAX)? {
        if let Some(c) = idx(&grid).map(|i| &mut counts[i]) {
            c.premises += n;
        }
    }
    for t in PremiseType::ALL {
        let since = cadence.period_start(t, now).timestamp_millis();
        for (grid, n) in q::not_inspected_since(conn, path, t.as_str(), since)? {
            if let Some(c) = idx(&grid).map(|i| &mut counts[i]) {
                c.outstanding += n;
            }
        }
    }
    let months = months_back(now, 12);
    let (_, month_start, month_end) =
        months.last().cloned().ok_or_else(|| AppError::internal(std::io::Error::other("no month")))?;
    for (grid, n) in q::inspections_done(conn, path, month_start.timestamp_millis(), month_end.timestamp_millis())? {
        if let Some(c) = idx(&grid).map(|i| &mut counts[i]) {
            c.inspected_this_month += n;
        }
    }
    let mut by_status: BTreeMap<&'static str, i64> = BTreeMap::new();
    let mut by_severity: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (grid, status, severity, n) in q::open_by_grid(conn, path)? {
        let (Some(s), Some(sev)) = (HazardStatus::parse(&status), Severity::parse(&severity)) else { continue };
        *by_status.entry(s.as_str()).or_default() += n;
        *by_severity.entry(sev.as_str()).or_default() += n;
        if let Some(c) = idx(&grid).map(|i| &mut counts[i]) {
            c.open_hazards += n;
            c.major_open += if sev == Severity::Major { n } else { 0 };
            match s {
                HazardStatus::Supervised => c.overdue += n,
                HazardStatus::Referred | HazardStatus::ReferralAccepted => c.referred += n,
                HazardStatus::Returned => c.returned += n,
                _ => {}
            }
        }
    }
    for (grid, n) in q::past_deadline_by_grid(conn, path, now.timestamp_millis())? {
        if let Some(c) = idx(&grid).map(|i| &mut counts[i]) {
            c.overdue += n;
        }
    }
    let mut trend = Vec::with_capacity(months.len());
    for (month, from, to) in &months {
        let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
        trend.push(MonthPoint {
            month: month.clone(),
            inspections: q::inspections_done(conn, path, from, to)?.iter().map(|(_, n)| n).sum(),
            registered: q::hazards_found(conn, path, from, to)?.iter().map(|(_, _, n)| n).sum(),
            closed: q::closed_between(conn, path, from, to)?,
        });
    }
    let mut total = UnitCounts::default();
    let mut rows = Vec::with_capacity(children.len());
    for (child, c) in children.iter().zip(counts) {
        total.add(&c);
        rows.push(DashboardRow {
            unit_id: child.id.parse().map_err(AppError::internal)?,
            name: child.name.clone(),
            counts: c,
        });
    }
    Ok(Dashboard {
        unit_id: unit.id.parse().map_err(AppError::internal)?,
        unit_name: unit.name.clone(),
        level,
        month: months.last().map(|m| m.0.clone()).unwrap_or_default(),
        rows,
        total,
        open_by_status: by_status.into_iter().filter_map(|(s, n)| HazardStatus::parse(s).map(|s| (s, n))).collect(),
        open_by_severity: by_severity.into_iter().filter_map(|(s, n)| Severity::parse(s).map(|s| (s, n))).collect(),
        awaiting_brigade: q::awaiting_brigade(conn, path)?,
        trend,
    })
}

/// The dashboard of the caller's unit, or of a unit inside their scope.
pub async fn dashboard(state: &AppState, user: &AuthUser, unit_id: Option<OrgUnitId>) -> Result<Dashboard, AppError> {
    if !may_view(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    let now = state.clock.now();
    let cadence = state.cadence.clone();
    state.db.read(move |conn| compute(conn, &user, unit_id, now, &cadence)).await
}
