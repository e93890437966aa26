//! Quarterly statistics for the township's joint meeting (联席会议): the report's shape and the
//! counting rules that need no database (quarter boundaries in China time, inspections due).

use crate::checklist::HazardCategory;
use crate::ids::OrgUnitId;
use crate::org::OrgLevel;
use crate::role::Role;
use crate::time::month_start;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who may read the quarterly statistics (inside their scope).
pub fn may_view(role: Role) -> bool {
    matches!(role, Role::TownshipOffice | Role::FireBrigade | Role::CountyAdmin)
}

/// Who may download the hazard list as a file (office roles; the list itself is open to all in scope).
pub fn may_export_hazards(role: Role) -> bool {
    matches!(role, Role::TownshipOffice | Role::Enforcement | Role::FireBrigade | Role::CountyAdmin)
}

/// Years accepted in a statistics request.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The quarter's boundaries in China time (UTC+8), as UTC instants: its start, the ends of its first
/// and second months, and its end (exclusive). `None` for a quarter outside 1–4 or a year outside
/// [`YEARS`].
pub fn quarter_bounds(year: i32, quarter: u32) -> Option<[DateTime<Utc>; 4]> {
    if !(1..=4).contains(&quarter) || !YEARS.contains(&year) {
        return None;
    }
    let start = |m0: u32| if m0 >= 12 { month_start(year + 1, m0 - 11) } else { month_start(year, m0 + 1) };
    let m0 = (quarter - 1) * 3;
    Some([start(m0)?, start(m0 + 1)?, start(m0 + 2)?, start(m0 + 3)?])
}

/// Inspections due in a quarter for premises of a type inspected every `months` months.
///
/// A premise is due once in each cadence period that starts in the quarter (periods are blocks of
/// `months` counted from January, as in [`crate::cadence::Cadence`]) if it was registered before the
/// period ends (or the quarter ends, whichever is first). `registered_before[i]` is the number of
/// active premises registered before the end of the quarter's month `i + 1`.
pub fn inspections_due(months: u32, quarter: u32, registered_before: [i64; 3]) -> i64 {
    let m = months.clamp(1, 12);
    let first = (quarter.clamp(1, 4) - 1) * 3;
    (0..3u32).filter(|k| (first + k).is_multiple_of(m)).map(|k| registered_before[((k + m).min(3) - 1) as usize]).sum()
}

/// Hazards found in one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    /// The category.
    pub category: HazardCategory,
    /// Its Chinese name.
    pub label_zh: String,
    /// Hazards of it registered in the quarter.
    pub count: i64,
}

/// The counts of one unit (or the total) for one quarter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterCounts {
    /// Active premises registered before the quarter's end.
    pub premises: i64,
    /// Inspections due (see [`inspections_due`]).
    pub inspections_due: i64,
    /// Inspections finished in the quarter (corrections of an earlier inspection not counted).
    pub inspections_done: i64,
    /// Hazards registered in the quarter.
    pub hazards_found: i64,
    /// Hazards fixed on the spot in the quarter (当场改正).
    pub fixed_on_spot: i64,
    /// Hazards whose re-check passed in the quarter (复查合格, closing or going to brigade review).
    pub rectified: i64,
    /// Hazards put under time-limited supervision in the quarter (逾期转限时督办).
    pub overdue: i64,
    /// Hazards referred for enforcement in the quarter (移交).
    pub referred: i64,
    /// Hazards registered before the quarter's end and not closed by then.
    pub open_at_end: i64,
    /// Hazards found per category, every category listed.
    pub by_category: Vec<CategoryCount>,
}

impl Default for QuarterCounts {
    fn default() -> Self {
        QuarterCounts {
            premises: 0,
            inspections_due: 0,
            inspections_done: 0,
            hazards_found: 0,
            fixed_on_spot: 0,
            rectified: 0,
            overdue: 0,
            referred: 0,
            open_at_end: 0,
            by_category: HazardCategory::ALL
                .into_iter()
                .map(|category| CategoryCount { category, label_zh: category.label_zh().into(), count: 0 })
                .collect(),
        }
    }
}

impl QuarterCounts {
    /// Adds hazards found in a category.
    pub fn add_found(&mut self, category: HazardCategory, n: i64) {
        if let Some(c) = self.by_category.iter_mut().find(|c| c.category == category) {
            c.count += n;
        }
    }

    /// Adds another unit's counts (for totals).
    pub fn add(&mut self, o: &QuarterCounts) {
        self.premises += o.premises;
        self.inspections_due += o.inspections_due;
        self.inspections_done += o.inspections_done;
        self.hazards_found += o.hazards_found;
        self.fixed_on_spot += o.fixed_on_spot;
        self.rectified += o.rectified;
        self.overdue += o.overdue;
        self.referred += o.referred;
        self.open_at_end += o.open_at_end;
        for c in &o.by_category {
            self.add_found(c.category, c.count);
        }
    }

    /// Inspections done per 100 due, one decimal (none when nothing was due).
    pub fn completion_pct(&self) -> Option<f64> {
        (self.inspections_due > 0)
            .then(|| (self.inspections_done as f64 * 1000.0 / self.inspections_due as f64).round() / 10.0)
    }
}

/// One row of the report: a unit directly below the one asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterRow {
    /// The unit (a village of a township, a township of the county).
    pub unit_id: OrgUnitId,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its counts.
    pub counts: QuarterCounts,
}

/// Answer of `GET /api/v1/stats/quarter`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterStats {
    /// The unit reported on.
    pub unit_id: OrgUnitId,
    /// Its code.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Its level (the rows are one level below).
    pub level: OrgLevel,
    /// Year.
    pub year: i32,
    /// Quarter, 1–4.
    pub quarter: u32,
    /// Start of the quarter (00:00 China time on its first day), inclusive.
    pub from: DateTime<Utc>,
    /// End of the quarter, exclusive.
    pub to: DateTime<Utc>,
    /// One row per unit directly below, by code.
    pub rows: Vec<QuarterRow>,
    /// The sum of the rows.
    pub total: QuarterCounts,
}

impl QuarterStats {
    /// The report's title, e.g. 猗氏镇2026年第1季度消防安全联席会议统计表.
    pub fn title_zh(&self) -> String {
        format!("{}{}年第{}季度消防安全联席会议统计表", self.unit_name, self.year, self.quarter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn quarters_begin_at_midnight_china_time() {
        let [start, m1, m2, end] = quarter_bounds(2026, 1).unwrap();
        assert_eq!(start, utc(2025, 12, 31, 16));
        assert_eq!((m1, m2, end), (utc(2026, 1, 31, 16), utc(2026, 2, 28, 16), utc(2026, 3, 31, 16)));
        let [start, .., end] = quarter_bounds(2026, 4).unwrap();
        assert_eq!((start, end), (utc(2026, 9, 30, 16), utc(2026, 12, 31, 16)));
        for q in 1..4 {
            assert_eq!(quarter_bounds(2026, q).unwrap()[3], quarter_bounds(2026, q + 1).unwrap()[0]);
        }
        assert!(quarter_bounds(2026, 0).is_none() && quarter_bounds(2026, 5).is_none());
        assert!(quarter_bounds(1999, 1).is_none());
    }

    #[test]
    fn inspections_due_per_cadence() {
        // (months, quarter, registered before the end of months 1, 2, 3) → due
        let table: [(u32, u32, [i64; 3], i64); 9] = [
            (1, 1, [10, 10, 10], 30),
            (1, 2, [0, 4, 10], 14),
            (3, 3, [5, 6, 7], 7),
            (2, 1, [5, 6, 7], 6 + 7), // periods Jan–Feb and Mar–Apr start in Q1
            (2, 2, [5, 6, 7], 7),     // May–Jun
            (6, 1, [1, 2, 3], 3),
            (6, 2, [1, 2, 3], 0),
            (12, 1, [1, 2, 3], 3),
            (12, 4, [1, 2, 3], 0),
        ];
        for (months, q, before, want) in table {
            assert_eq!(inspections_due(months, q, before), want, "{months} months, Q{q}");
        }
        // Over a year every premise there all year is due 12 / months times.
        for months in 1..=12 {
            let year: i64 = (1..=4).map(|q| inspections_due(months, q, [1, 1, 1])).sum();
            assert_eq!(year, (12 + i64::from(months) - 1) / i64::from(months), "{months}");
        }
    }

    #[test]
    fn totals_add_up() {
        let mut a = QuarterCounts { premises: 3, hazards_found: 2, ..Default::default() };
        a.add_found(HazardCategory::EBike, 2);
        let mut b = QuarterCounts { premises: 1, inspections_due: 3, inspections_done: 2, ..Default::default() };
        b.add_found(HazardCategory::EBike, 1);
        b.add_found(HazardCategory::Electrical, 4);
        let mut t = QuarterCounts::default();
        t.add(&a);
        t.add(&b);
        assert_eq!((t.premises, t.hazards_found, t.inspections_due), (4, 2, 3));
        let count = |c| t.by_category.iter().find(|x| x.category == c).unwrap().count;
        assert_eq!((count(HazardCategory::EBike), count(HazardCategory::Electrical)), (3, 4));
        assert_eq!(t.by_category.len(), HazardCategory::ALL.len());
        assert_eq!(b.completion_pct(), Some(66.7));
        assert_eq!(a.completion_pct(), None);
    }
}
