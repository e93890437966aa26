//! The monthly pay sheet (第二十条, 第二十一条, 第二十六条): 1,500 yuan a month, tied to days on the
//! road; a month with no on-road record means the pay is withheld.

use super::month_close::{MonthAct, MonthActRecord, PayCorrection};
use super::on_road::OnRoadRule;
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
    /// Shortest patrol that counts, minutes ([`OnRoadRule`]).
    pub min_minutes: u32,
    /// Shortest track that counts, metres.
    pub min_distance_m: f64,
    /// Fastest plausible move between two fixes, km/h (faster is a jump).
    pub max_speed_kmh: f64,
}

impl Default for PayRules {
    fn default() -> Self {
        let on_road = OnRoadRule::default();
        PayRules {
            base_yuan: 1500.0,
            required_days: 20,
            deduction_per_missing_day_yuan: 50.0,
            min_coverage: on_road.min_coverage,
            min_minutes: on_road.min_minutes,
            min_distance_m: on_road.min_distance_m,
            max_speed_kmh: on_road.max_speed_kmh,
        }
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
        if self.min_minutes > 24 * 60 {
            return Err("pay.min_minutes must be at most a day (1440)".into());
        }
        if !(self.min_distance_m.is_finite() && (0.0..=100_000.0).contains(&self.min_distance_m)) {
            return Err("pay.min_distance_m must be between 0 and 100000 metres".into());
        }
        if !(self.max_speed_kmh.is_finite() && self.max_speed_kmh > 0.0 && self.max_speed_kmh <= 1000.0) {
            return Err("pay.max_speed_kmh must be above 0 and at most 1000".into());
        }
        Ok(())
    }

    /// What an on-road record must meet.
    pub fn on_road(&self) -> OnRoadRule {
        OnRoadRule {
            min_minutes: self.min_minutes,
            min_distance_m: self.min_distance_m,
            max_speed_kmh: self.max_speed_kmh,
            min_coverage: self.min_coverage,
        }
    }
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

/// The pay sheet of a township's month. Open, it is computed from the records as they stand; once
/// the road station has closed the month it is the sheet frozen then, with the signatures of
/// 第二十一条 as they are given ([`super::month_close`]).
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
    /// What late records for earlier closed months add (or take back): on the sheet of the month
    /// after the last closed one only.
    #[serde(default)]
    pub corrections: Vec<PayCorrection>,
    /// Total pay due: the lines and the corrections.
    pub total_yuan: f64,
    /// The acts done on the month, in order: closed, signed, approved (none: open).
    #[serde(default)]
    pub acts: Vec<MonthActRecord>,
    /// The act to do next; none once approved.
    #[serde(default)]
    pub next: Option<MonthAct>,
    /// Records for this month received after it was closed (they are corrections on a later sheet).
    #[serde(default)]
    pub late_records: u32,
    /// 交管员 signature: the name of who signed, blank until then.
    pub signed_by_road_officer: String,
    /// 乡镇分管副职 signature.
    pub signed_by_deputy_head: String,
    /// 乡(镇)长 approval.
    #[serde(default)]
    pub approved_by_head: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(days: u32) -> WorkerMonth {
        WorkerMonth { user_id: "u".into(), name: "李管护".into(), days_on_road: days, km_covered: 3.0 }
    }

    #[test]
    fn pay_rules_are_checked() {
        assert!(PayRules::default().validate().is_ok());
        assert!(PayRules { min_coverage: 1.5, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { min_coverage: f64::NAN, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { base_yuan: -1.0, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { min_minutes: 1441, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { min_distance_m: f64::INFINITY, ..PayRules::default() }.validate().is_err());
        assert!(PayRules { max_speed_kmh: 0.0, ..PayRules::default() }.validate().is_err());
        assert_eq!(PayRules::default().on_road(), OnRoadRule::default());
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
