//! The monthly pay sheet (第十四条, 第二十条, 第二十一条, 第二十六条): 1,500 yuan a month, tied to
//! days on the road (责任到位率) and to the county's checks of the worker's road (扣劣奖优); a month
//! with no on-road record means the pay is withheld.

use super::month_close::{MonthAct, MonthActRecord, PayCorrection};
use super::on_road::OnRoadRule;
use super::patrol::CheckKind;
use crate::ids::OrgUnitId;
use chrono::{DateTime, Utc};
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
    /// 扣劣: a check score (0–100) of the worker's road below this costs `poor_deduction_yuan`.
    pub poor_below: f64,
    /// Deducted for a poor check score.
    pub poor_deduction_yuan: f64,
    /// 奖优: a check score of at least this, with every required day on the road, earns `good_bonus_yuan`.
    pub good_from: f64,
    /// Added for a good check score.
    pub good_bonus_yuan: f64,
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
            poor_below: 60.0,
            poor_deduction_yuan: 100.0,
            good_from: 90.0,
            good_bonus_yuan: 100.0,
        }
    }
}

impl PayRules {
    /// Checks the figures of a settings file.
    pub fn validate(&self) -> Result<(), String> {
        self.scheme().validate().map_err(|(field, why)| format!("pay.{field} {why}"))?;
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

    /// The county's default pay scheme: a township's until it sets its own.
    pub fn scheme(&self) -> PayScheme {
        PayScheme {
            base_yuan: self.base_yuan,
            required_days: self.required_days,
            deduction_per_missing_day_yuan: self.deduction_per_missing_day_yuan,
            poor_below: self.poor_below,
            poor_deduction_yuan: self.poor_deduction_yuan,
            good_from: self.good_from,
            good_bonus_yuan: self.good_bonus_yuan,
        }
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

/// A township's pay scheme: the money side of a worker's month, as data. The township sets its own
/// (`PUT /api/v1/roads/pay-rules/{township_id}`); until then it is the county's (`[pay]`). The
/// notice fixes the base (第二十条: 1,500 yuan a month) and that pay follows attendance and
/// performance (第十四条) and checks (第二十六条 扣劣奖优 by 责任到位率); the figures of deductions
/// and bonuses are the county's choice (docs/roads.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayScheme {
    /// Monthly pay in yuan (第二十条), 0–100000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub base_yuan: f64,
    /// Days on the road expected in a month, 0–31: 责任到位率 is days on the road over these.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 31))]
    pub required_days: u32,
    /// Deducted per day short of the required days, 0–100000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub deduction_per_missing_day_yuan: f64,
    /// 扣劣: a check score (0–100) of the worker's road below this costs `poor_deduction_yuan`.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub poor_below: f64,
    /// Deducted for a poor check score, 0–100000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub poor_deduction_yuan: f64,
    /// 奖优: a check score of at least this (0–100, not below `poor_below`), with 责任到位率 at
    /// 100 %, earns `good_bonus_yuan`.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub good_from: f64,
    /// Added for a good check score, 0–100000.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub good_bonus_yuan: f64,
}

/// A township's pay scheme as read: its own, or the county's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownshipPayScheme {
    /// The township.
    pub township_id: OrgUnitId,
    /// The scheme in force for its open months.
    pub scheme: PayScheme,
    /// True while the township has set none: the county's defaults.
    pub county_default: bool,
    /// Who set it (blank for the county's defaults).
    pub updated_by_name: String,
    /// When it was set.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The largest amount a scheme may name, yuan.
pub const MAX_YUAN: f64 = 100_000.0;

impl PayScheme {
    /// Checks the figures: the field at fault and why.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        let amounts = [
            ("base_yuan", self.base_yuan),
            ("deduction_per_missing_day_yuan", self.deduction_per_missing_day_yuan),
            ("poor_deduction_yuan", self.poor_deduction_yuan),
            ("good_bonus_yuan", self.good_bonus_yuan),
        ];
        for (field, v) in amounts {
            if !(v.is_finite() && (0.0..=MAX_YUAN).contains(&v)) {
                return Err((field, "must be an amount from 0 to 100000 yuan"));
            }
        }
        if self.required_days > 31 {
            return Err(("required_days", "must be from 0 to 31"));
        }
        for (field, v) in [("poor_below", self.poor_below), ("good_from", self.good_from)] {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                return Err((field, "must be a score from 0 to 100"));
            }
        }
        if self.good_from < self.poor_below {
            return Err(("good_from", "must not be below poor_below"));
        }
        Ok(())
    }
}

/// The checks whose scores a month's sheet pays by: the month's random check (每月随机抽查) and, on
/// a quarter's last month, the quarter's full inspection (每季全面检查). Only published checks count.
pub fn checks_paid_in(month: &str) -> Vec<(CheckKind, String)> {
    let mut out = vec![(CheckKind::MonthlyRandom, month.to_owned())];
    if let Some((year, m)) = crate::period::parse_month(month) {
        if m % 3 == 0 {
            out.push((CheckKind::QuarterlyFull, format!("{year}-Q{}", m / 3)));
        }
    }
    out
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
    /// Days on the road the scheme required.
    #[serde(default)]
    pub required_days: u32,
    /// 责任到位率: days on the road over the required days, 0–1 (1 when none are required).
    #[serde(default)]
    pub attendance_rate: f64,
    /// Deducted for the days short of the required ones.
    #[serde(default)]
    pub attendance_deduction_yuan: f64,
    /// The mean score (0–100) of the worker's segments in the checks the month pays by
    /// ([`checks_paid_in`]); none when none of them was scored.
    #[serde(default)]
    pub check_score: Option<f64>,
    /// 扣劣: deducted for a poor check score.
    #[serde(default)]
    pub check_deduction_yuan: f64,
    /// 奖优: added for a good check score.
    #[serde(default)]
    pub bonus_yuan: f64,
    /// All deductions (withheld: the whole base).
    pub deductions_yuan: f64,
    /// Pay due: base less deductions plus bonus, never below zero.
    pub pay_yuan: f64,
    /// Withheld for lack of any on-road record (第二十六条).
    pub withheld: bool,
}

fn yuan(v: f64) -> f64 {
    // Folded from +0.0 so that nothing shows as "-0.0".
    (v * 100.0).round() / 100.0 + 0.0
}

/// Computes a worker's pay for the month: the base; less the missing days' deduction (责任到位率);
/// less the poor-score deduction or plus the good-score bonus (扣劣奖优, only at 100 % 到位率);
/// never below zero. No on-road record: withheld, whatever the checks said (第二十六条).
pub fn pay_line(scheme: &PayScheme, m: &WorkerMonth, check_score: Option<f64>) -> PayLine {
    let rate = match scheme.required_days {
        0 => 1.0,
        r => (m.days_on_road as f64 / r as f64).min(1.0),
    };
    let mut line = PayLine {
        month: m.clone(),
        base_yuan: scheme.base_yuan,
        required_days: scheme.required_days,
        attendance_rate: (rate * 10_000.0).round() / 10_000.0,
        attendance_deduction_yuan: 0.0,
        check_score,
        check_deduction_yuan: 0.0,
        bonus_yuan: 0.0,
        deductions_yuan: scheme.base_yuan,
        pay_yuan: 0.0,
        withheld: m.days_on_road == 0,
    };
    if line.withheld {
        return line;
    }
    let missing = scheme.required_days.saturating_sub(m.days_on_road);
    let attendance = (missing as f64 * scheme.deduction_per_missing_day_yuan).min(scheme.base_yuan);
    let left = scheme.base_yuan - attendance;
    let (poor, bonus) = match check_score {
        Some(s) if s < scheme.poor_below => (scheme.poor_deduction_yuan.min(left), 0.0),
        Some(s) if s >= scheme.good_from && rate >= 1.0 => (0.0, scheme.good_bonus_yuan),
        _ => (0.0, 0.0),
    };
    line.attendance_deduction_yuan = yuan(attendance);
    line.check_deduction_yuan = yuan(poor);
    line.bonus_yuan = yuan(bonus);
    line.deductions_yuan = yuan(attendance + poor);
    line.pay_yuan = yuan(scheme.base_yuan - attendance - poor + bonus);
    line
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
    /// The scheme the lines were computed by: the township's as it stands while the month is open,
    /// as it stood at the close once closed (none on sheets closed before schemes were kept).
    #[serde(default)]
    pub scheme: Option<PayScheme>,
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
        assert!(PayRules { good_from: 50.0, ..PayRules::default() }.validate().is_err(), "good below poor");
        assert_eq!(PayRules::default().on_road(), OnRoadRule::default());
    }

    #[test]
    fn a_scheme_names_sane_figures() {
        let ok = PayRules::default().scheme();
        assert!(ok.validate().is_ok());
        let bad = |f: fn(&mut PayScheme)| {
            let mut s = ok.clone();
            f(&mut s);
            s.validate().unwrap_err().0
        };
        assert_eq!(bad(|s| s.base_yuan = 100_000.01), "base_yuan");
        assert_eq!(bad(|s| s.good_bonus_yuan = f64::NAN), "good_bonus_yuan");
        assert_eq!(bad(|s| s.poor_deduction_yuan = -0.01), "poor_deduction_yuan");
        assert_eq!(bad(|s| s.required_days = 32), "required_days");
        assert_eq!(bad(|s| s.poor_below = 100.5), "poor_below");
        assert_eq!(bad(|s| s.good_from = 59.9), "good_from");
        let edge = PayScheme { base_yuan: MAX_YUAN, required_days: 31, poor_below: 100.0, good_from: 100.0, ..ok };
        assert!(edge.validate().is_ok());
    }

    #[test]
    fn pay_follows_days_on_the_road() {
        let r = PayRules::default().scheme();
        assert_eq!(pay_line(&r, &m(22), None).pay_yuan, 1500.0);
        assert_eq!(pay_line(&r, &m(20), None).attendance_rate, 1.0);
        let short = pay_line(&r, &m(18), None);
        assert_eq!((short.pay_yuan, short.attendance_deduction_yuan, short.attendance_rate), (1400.0, 100.0, 0.9));
        let none = pay_line(&r, &m(0), Some(100.0));
        assert!(none.withheld);
        assert_eq!((none.pay_yuan, none.bonus_yuan, none.deductions_yuan), (0.0, 0.0, 1500.0));
        assert_eq!(pay_line(&r, &m(1), None).pay_yuan, 550.0);
        let harsh = PayScheme { deduction_per_missing_day_yuan: 500.0, ..r.clone() };
        assert_eq!(pay_line(&harsh, &m(1), None).pay_yuan, 0.0, "never below zero");
        let free = PayScheme { required_days: 0, ..r };
        assert_eq!(pay_line(&free, &m(1), None).attendance_rate, 1.0);
    }

    #[test]
    fn checks_deduct_the_poor_and_reward_the_good_in_place() {
        let r = PayRules::default().scheme(); // poor below 60: -100; good from 90: +100
        let at = |days, score| {
            let l = pay_line(&r, &m(days), score);
            (l.pay_yuan, l.check_deduction_yuan, l.bonus_yuan)
        };
        assert_eq!(at(20, Some(59.99)), (1400.0, 100.0, 0.0));
        assert_eq!(at(20, Some(60.0)), (1500.0, 0.0, 0.0), "60 is not poor");
        assert_eq!(at(20, Some(89.99)), (1500.0, 0.0, 0.0));
        assert_eq!(at(20, Some(90.0)), (1600.0, 0.0, 100.0), "90 is good");
        assert_eq!(at(19, Some(100.0)), (1450.0, 0.0, 0.0), "no bonus below 100 % 到位率");
        assert_eq!(at(19, Some(10.0)), (1350.0, 100.0, 0.0));
        assert_eq!(at(20, None), (1500.0, 0.0, 0.0), "not checked: neither");
        let l = pay_line(&r, &m(18), Some(50.0));
        assert_eq!(l.deductions_yuan, 200.0, "both deductions add up");
        let harsh = PayScheme { deduction_per_missing_day_yuan: 100.0, ..r };
        let l = pay_line(&harsh, &m(5), Some(0.0)); // 15 days short: the whole base
        assert_eq!((l.pay_yuan, l.check_deduction_yuan), (0.0, 0.0), "the poor deduction never goes below zero");
    }

    #[test]
    fn a_quarter_end_pays_by_the_quarter_too() {
        let kinds =
            |m: &str| checks_paid_in(m).into_iter().map(|(k, p)| format!("{}:{p}", k.as_str())).collect::<Vec<_>>();
        assert_eq!(kinds("2026-05"), ["monthly_random:2026-05"]);
        assert_eq!(kinds("2026-06"), ["monthly_random:2026-06", "quarterly_full:2026-Q2"]);
        assert_eq!(kinds("2026-12"), ["monthly_random:2026-12", "quarterly_full:2026-Q4"]);
    }
}
