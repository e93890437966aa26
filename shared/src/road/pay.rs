//! The monthly pay sheet (第二十条, 第二十一条, 第二十六条): 1,500 yuan a month, tied to days on the
//! road; a month with no on-road record means the pay is withheld.

use serde::{Deserialize, Serialize};

/// How pay is computed; the township may set its own deduction rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PayRules {
    /// Monthly pay in yuan (第二十条).
    pub base_yuan: f64,
    /// Days on the road expected in a month.
    pub required_days: u32,
    /// Deducted per day short of that.
    pub deduction_per_missing_day_yuan: f64,
    /// Share (0–1) of a surveyed segment a patrol must cover to count as a day on the road.
    pub min_coverage: f64,
}

impl Default for PayRules {
    fn default() -> Self {
        PayRules { base_yuan: 1500.0, required_days: 20, deduction_per_missing_day_yuan: 50.0, min_coverage: 0.2 }
    }
}

impl PayRules {
    /// Checks the figures of a settings file.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.base_yuan.is_finite() && self.base_yuan >= 0.0) {
            return Err("pay.base_yuan must be a non-negative amount".into());
        }
        if !(self.deduction_per_missing_day_yuan.is_finite() && self.deduction_per_missing_day_yuan >= 0.0) {
            return Err("pay.deduction_per_missing_day_yuan must be a non-negative amount".into());
        }
        if !(0.0..=1.0).contains(&self.min_coverage) {
            return Err("pay.min_coverage must be a share between 0 and 1".into());
        }
        Ok(())
    }
}

/// Whether a patrol is an on-road record (a day on the road, km, 第二十六条): it covered at least
/// `min_coverage` of one of its segments that has a surveyed line. A patrol none of whose segments
/// has a line counts, as there is nothing to measure it against; the patrol is stored either way.
/// `coverage` has one entry per segment walked, `None` for a segment without a line.
pub fn reached_the_road(coverage: &[Option<f64>], min_coverage: f64) -> bool {
    let mut measured = coverage.iter().flatten().peekable();
    measured.peek().is_none() || measured.any(|c| *c + 1e-9 >= min_coverage)
}

/// A worker's month on the road.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerMonth {
    /// The worker.
    pub user_id: String,
    /// Real name.
    pub name: String,
    /// Distinct days with an on-road record.
    pub days_on_road: u32,
    /// Kilometres of assigned road covered by tracks.
    pub km_covered: f64,
}

/// One line of the pay sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayLine {
    /// The month's record.
    #[serde(flatten)]
    pub month: WorkerMonth,
    /// Base pay.
    pub base_yuan: f64,
    /// Deductions.
    pub deductions_yuan: f64,
    /// Pay due.
    pub pay_yuan: f64,
    /// Withheld for lack of any on-road record (第二十六条).
    pub withheld: bool,
}

/// Computes a worker's pay for the month.
pub fn pay_line(rules: &PayRules, m: &WorkerMonth) -> PayLine {
    if m.days_on_road == 0 {
        return PayLine {
            month: m.clone(),
            base_yuan: rules.base_yuan,
            deductions_yuan: rules.base_yuan,
            pay_yuan: 0.0,
            withheld: true,
        };
    }
    let missing = rules.required_days.saturating_sub(m.days_on_road);
    let deductions = (missing as f64 * rules.deduction_per_missing_day_yuan).min(rules.base_yuan);
    PayLine {
        month: m.clone(),
        base_yuan: rules.base_yuan,
        deductions_yuan: deductions,
        pay_yuan: rules.base_yuan - deductions,
        withheld: false,
    }
}

/// The pay sheet of a township's month, with the two signatures of 第二十一条 left to fill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaySheet {
    /// The township.
    pub township_id: String,
    /// Its name.
    pub township_name: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// One line per worker.
    pub lines: Vec<PayLine>,
    /// Total pay due.
    pub total_yuan: f64,
    /// 交管员 signature.
    pub signed_by_road_officer: String,
    /// 乡镇分管副职 signature.
    pub signed_by_deputy_head: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(days: u32) -> WorkerMonth {
        WorkerMonth { user_id: "u".into(), name: "李管护".into(), days_on_road: days, km_covered: 3.0 }
    }

    #[test]
    fn a_patrol_counts_only_when_it_reached_the_road() {
        let min = PayRules::default().min_coverage;
        assert_eq!(min, 0.2);
        assert!(reached_the_road(&[Some(0.95)], min));
        assert!(reached_the_road(&[Some(0.2)], min), "the minimum itself counts");
        assert!(!reached_the_road(&[Some(0.19)], min));
        assert!(!reached_the_road(&[Some(0.0)], min), "300 m beside the road");
        assert!(reached_the_road(&[Some(0.0), Some(0.5)], min), "one segment covered is enough");
        assert!(!reached_the_road(&[Some(0.1), None], min), "a segment without a line does not excuse one with");
        assert!(reached_the_road(&[None, None], min), "no line at all: nothing to measure against");
        assert!(reached_the_road(&[], min));
        assert!(reached_the_road(&[Some(0.0)], 0.0), "a minimum of 0 counts every patrol");
    }

    #[test]
    fn pay_rules_are_checked() {
        assert!(PayRules::default().validate().is_ok());
        assert!(PayRules { min_coverage: 1.5, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { min_coverage: f64::NAN, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { base_yuan: -1.0, ..PayRules::default() }.validate().is_err());
    }

    #[test]
    fn pay_follows_days_on_the_road() {
        let r = PayRules::default();
        assert_eq!(pay_line(&r, &m(22)).pay_yuan, 1500.0);
        assert_eq!(pay_line(&r, &m(18)).pay_yuan, 1400.0);
        let none = pay_line(&r, &m(0));
        assert!(none.withheld);
        assert_eq!(none.pay_yuan, 0.0);
        assert_eq!(pay_line(&r, &m(1)).pay_yuan, 550.0);
        let harsh = PayRules { deduction_per_missing_day_yuan: 500.0, ..r };
        assert_eq!(pay_line(&harsh, &m(1)).pay_yuan, 0.0, "never below zero");
    }
}
