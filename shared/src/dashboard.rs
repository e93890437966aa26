//! The office dashboard (township office, county, fire brigade): this month's inspection progress
//! per unit below, open hazards by status and severity, overdue and referrals, and a 12-month trend.
//! The month arithmetic (China time) lives here so the phone and the server agree on it.

use crate::checklist::Severity;
use crate::hazard::HazardStatus;
use crate::ids::OrgUnitId;
use crate::org::OrgLevel;
use crate::role::Role;
use crate::time::{in_china, month_start};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

/// Who may read a dashboard (inside their scope).
pub fn may_view(role: Role) -> bool {
    matches!(role, Role::TownshipOffice | Role::FireBrigade | Role::CountyAdmin | Role::Enforcement)
}

/// The calendar months (China time) ending with the one containing `now`, oldest first, each as
/// `(YYYY-MM, start, end)` with the end exclusive.
pub fn months_back(now: DateTime<Utc>, n: u32) -> Vec<(String, DateTime<Utc>, DateTime<Utc>)> {
    let local = in_china(now);
    // Months counted from year 0: `i` is month `i % 12` (0-based) of year `i / 12`.
    let start = |i: i32| month_start(i.div_euclid(12), i.rem_euclid(12) as u32 + 1);
    let mut out = Vec::with_capacity(n as usize);
    for back in (0..n as i32).rev() {
        let idx = local.year() * 12 + local.month0() as i32 - back;
        let (y, m0) = (idx.div_euclid(12), idx.rem_euclid(12) as u32);
        if let (Some(a), Some(b)) = (start(idx), start(idx + 1)) {
            out.push((format!("{y:04}-{:02}", m0 + 1), a, b));
        }
    }
    out
}

/// Share of open hazards that are overdue, 0–1 (0 when none are open).
pub fn overdue_rate(open: i64, overdue: i64) -> f64 {
    if open <= 0 {
        0.0
    } else {
        (overdue as f64 / open as f64).clamp(0.0, 1.0)
    }
}

/// Counts for one unit (or the total).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitCounts {
    /// Active premises.
    pub premises: i64,
    /// Premises not inspected in their current period (the today rule).
    pub outstanding: i64,
    /// Inspections finished this month (corrections not counted).
    pub inspected_this_month: i64,
    /// Hazards not closed.
    pub open_hazards: i64,
    /// Of those: under supervision, or past a running deadline.
    pub overdue: i64,
    /// Of those: major (重大).
    pub major_open: i64,
    /// Of those: with the enforcement team or the fire brigade.
    pub referred: i64,
    /// Of those: referrals returned to the office.
    pub returned: i64,
}

impl UnitCounts {
    /// Adds another unit's counts.
    pub fn add(&mut self, o: &UnitCounts) {
        self.premises += o.premises;
        self.outstanding += o.outstanding;
        self.inspected_this_month += o.inspected_this_month;
        self.open_hazards += o.open_hazards;
        self.overdue += o.overdue;
        self.major_open += o.major_open;
        self.referred += o.referred;
        self.returned += o.returned;
    }

    /// Overdue share of open hazards.
    pub fn overdue_rate(&self) -> f64 {
        overdue_rate(self.open_hazards, self.overdue)
    }
}

/// One unit below the dashboard's unit (a village of a township, a township of the county).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardRow {
    /// The unit.
    pub unit_id: OrgUnitId,
    /// Its name.
    pub name: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: UnitCounts,
}

/// One month of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthPoint {
    /// `YYYY-MM` (China time).
    pub month: String,
    /// Inspections finished.
    pub inspections: i64,
    /// Hazards registered.
    pub registered: i64,
    /// Hazards closed.
    pub closed: i64,
}

/// `GET /api/v1/dashboard`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The unit shown (the caller's, or one inside their scope).
    pub unit_id: OrgUnitId,
    /// Its name.
    pub unit_name: String,
    /// Its level.
    pub level: OrgLevel,
    /// This month, `YYYY-MM` (China time).
    pub month: String,
    /// The units one level down.
    pub rows: Vec<DashboardRow>,
    /// The whole unit.
    pub total: UnitCounts,
    /// Open hazards per status.
    pub open_by_status: Vec<(HazardStatus, i64)>,
    /// Open hazards per severity.
    pub open_by_severity: Vec<(Severity, i64)>,
    /// Major hazards waiting for the fire brigade's review.
    pub awaiting_brigade: i64,
    /// The last 12 months, oldest first.
    pub trend: Vec<MonthPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn twelve_months_back_across_a_year_in_china_time() {
        // 2026-02-28 17:00 UTC is already 1 March in China.
        let now = Utc.with_ymd_and_hms(2026, 2, 28, 17, 0, 0).unwrap();
        let m = months_back(now, 12);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0].0, "2025-04");
        assert_eq!(m[11].0, "2026-03");
        assert_eq!(m[11].1, Utc.with_ymd_and_hms(2026, 2, 28, 16, 0, 0).unwrap());
        assert_eq!(m[11].2, Utc.with_ymd_and_hms(2026, 3, 31, 16, 0, 0).unwrap());
        assert!(m.windows(2).all(|w| w[0].2 == w[1].1), "months follow each other");
        assert_eq!(months_back(Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap(), 2)[0].0, "2025-12");
    }

    #[test]
    fn overdue_rate_is_a_share() {
        assert_eq!(overdue_rate(0, 0), 0.0);
        assert_eq!(overdue_rate(4, 1), 0.25);
        let mut a = UnitCounts { open_hazards: 3, overdue: 3, ..Default::default() };
        a.add(&UnitCounts { open_hazards: 1, ..Default::default() });
        assert_eq!(a.overdue_rate(), 0.75);
    }
}
