//! Inspection cadence: villages inspect compounds, shops and workshops monthly (notice 4号);
//! the period is configurable per premise type.

use crate::premise::PremiseType;
use crate::time::{in_china, month_start};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

/// Months between inspections, per premise type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Cadence {
    /// Months for each type (1 = every calendar month, 3 = every quarter).
    pub months: Vec<(PremiseType, u32)>,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence { months: PremiseType::ALL.into_iter().map(|t| (t, 1)).collect() }
    }
}

impl Cadence {
    /// Months between inspections of a type.
    pub fn months_for(&self, t: PremiseType) -> u32 {
        self.months.iter().find(|(k, _)| *k == t).map_or(1, |(_, m)| (*m).clamp(1, 12))
    }

    /// The start (UTC) of the inspection period containing `now` for a type: the calendar month,
    /// or the block of `months` months counted from January, in China time.
    pub fn period_start(&self, t: PremiseType, now: DateTime<Utc>) -> DateTime<Utc> {
        let local = in_china(now);
        let m = self.months_for(t);
        let month0 = (local.month0() / m) * m;
        month_start(local.year(), month0 + 1).unwrap_or(now)
    }

    /// Whether a premise is due: no inspection since the start of the current period.
    pub fn is_due(&self, t: PremiseType, last_inspection: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        last_inspection.is_none_or(|last| last < self.period_start(t, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap()
    }

    #[test]
    fn monthly_due_in_china_time() {
        let c = Cadence::default();
        let shop = PremiseType::StreetShop;
        // 2026-03-31 20:00 UTC is already 1 April in China.
        assert_eq!(c.period_start(shop, at(2026, 3, 31, 20)), at(2026, 3, 31, 16));
        assert!(c.is_due(shop, None, at(2026, 4, 2, 0)));
        assert!(!c.is_due(shop, Some(at(2026, 4, 1, 1)), at(2026, 4, 20, 0)));
        assert!(c.is_due(shop, Some(at(2026, 3, 30, 1)), at(2026, 4, 20, 0)));
    }

    #[test]
    fn quarterly_types() {
        let c = Cadence { months: vec![(PremiseType::Unit, 3)] };
        assert_eq!(c.months_for(PremiseType::Unit), 3);
        assert_eq!(c.months_for(PremiseType::Residential), 1);
        assert_eq!(c.period_start(PremiseType::Unit, at(2026, 5, 20, 0)), at(2026, 3, 31, 16));
        assert!(!c.is_due(PremiseType::Unit, Some(at(2026, 4, 3, 0)), at(2026, 6, 29, 0)));
    }
}
