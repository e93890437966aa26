//! The month close of a township's pay (第二十一、二十二条): after the month the road station closes it,
//! which computes the pay sheet and freezes it; the 交管员 and the 分管副职 sign it, the 乡(镇)长
//! approves it, in that order. A record that arrives late for a closed month changes nothing frozen:
//! what it would have changed is a correction on the next sheet to be closed.

use super::pay::PayLine;
use crate::ids::{OrgUnitId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An act on a township's month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum MonthAct {
    /// 结算: the road station closes the month; the sheet is computed and frozen.
    Close,
    /// 交管员签字.
    SignOfficer,
    /// 分管副职签字.
    SignDeputyHead,
    /// 乡(镇)长审批.
    Approve,
}

crate::wire_name::wire_names!(MonthAct, &MonthAct::ALL);

impl MonthAct {
    /// In the order they are done.
    pub const ALL: [MonthAct; 4] = [Self::Close, Self::SignOfficer, Self::SignDeputyHead, Self::Approve];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::SignOfficer => "sign_officer",
            Self::SignDeputyHead => "sign_deputy_head",
            Self::Approve => "approve",
        }
    }

    /// The Chinese words shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Close => "结算",
            Self::SignOfficer => "交管员签字",
            Self::SignDeputyHead => "分管副职签字",
            Self::Approve => "乡(镇)长审批",
        }
    }

    /// The English words.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Close => "Close the month",
            Self::SignOfficer => "Road officer signs",
            Self::SignDeputyHead => "Deputy head signs",
            Self::Approve => "Township head approves",
        }
    }

    /// Which acts come next, given those done: the first not yet done (none once approved).
    pub fn next(done: &[MonthAct]) -> Option<MonthAct> {
        Self::ALL.get(done.len()).copied()
    }

    /// Who may do this act, for a township: see [`Signer`].
    pub fn signer(self) -> Signer {
        match self {
            Self::Close | Self::SignOfficer => Signer::RoadStation,
            Self::SignDeputyHead => Signer::DeputyHead,
            Self::Approve => Signer::Head,
        }
    }
}

/// Who may do an act on a township's month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    /// An account of the township's road station (交管员).
    RoadStation,
    /// The account the township named as its 分管副职 ([`RoadSigners`]).
    DeputyHead,
    /// The account the township named as its 乡(镇)长.
    Head,
}

/// Whether `user` may sign as `signer`: `station` is whether the user is a road station account of
/// the township, `named` who the township named. One person never signs twice: the 交管员's
/// signature and the deputy's come from different accounts, as do the deputy's and the head's (the
/// naming itself refuses the same account for both).
pub fn may_sign(
    signer: Signer,
    user: UserId,
    station: bool,
    named: Option<&RoadSigners>,
    done: &[MonthActRecord],
) -> bool {
    let signed_before = done.iter().any(|a| a.act != MonthAct::Close && a.by == user);
    match signer {
        Signer::RoadStation => station,
        Signer::DeputyHead => named.is_some_and(|n| n.deputy_head_id == user) && !signed_before,
        Signer::Head => named.is_some_and(|n| n.head_id == user) && !signed_before,
    }
}

/// Whether a month (`YYYY-MM`) is over on `today` (China date): it may be closed from the first of
/// the next month.
pub fn month_is_over(month: &str, today: chrono::NaiveDate) -> bool {
    crate::period::parse_month(month).is_some_and(|(y, m)| (today.year_month()) > (y, m))
}

trait YearMonth {
    fn year_month(&self) -> (i32, u32);
}

impl YearMonth for chrono::NaiveDate {
    fn year_month(&self) -> (i32, u32) {
        use chrono::Datelike;
        (self.year(), self.month())
    }
}

/// The month after `YYYY-MM`.
pub fn next_month(month: &str) -> Option<String> {
    let (y, m) = crate::period::parse_month(month)?;
    Some(if m == 12 { format!("{:04}-01", y + 1) } else { format!("{y:04}-{:02}", m + 1) })
}

/// Who signs a township's sheets after the 交管员 (body of `PUT /api/v1/roads/signers/{township_id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoadSigners {
    /// 乡镇分管副职: a township office account of the township.
    pub deputy_head_id: UserId,
    /// 乡(镇)长: another township office account of the township.
    pub head_id: UserId,
}

/// One act done on a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthActRecord {
    /// What.
    pub act: MonthAct,
    /// Who.
    pub by: UserId,
    /// Their name.
    pub by_name: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Body of `POST /api/v1/roads/months/{township_id}/acts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthActRequest {
    /// The month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"))]
    pub month: String,
    /// The act: it must be the next one.
    pub act: MonthAct,
}

/// Where a township's month stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthStatus {
    /// The township.
    pub township_id: OrgUnitId,
    /// Its name.
    pub township_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The acts done, in order (none: open).
    pub acts: Vec<MonthActRecord>,
    /// The act to do next; none once approved.
    pub next: Option<MonthAct>,
    /// Records for this month received after it was closed: each is a correction on a later sheet.
    pub late_records: u32,
}

/// What a late record changes in a closed month's pay, paid (or taken back) on the next sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayCorrection {
    /// The worker.
    pub user_id: String,
    /// Real name.
    pub name: String,
    /// The closed month corrected, `YYYY-MM`.
    pub month: String,
    /// Days on the road on the frozen sheet.
    pub days_was: u32,
    /// Days on the road with the late records.
    pub days_now: u32,
    /// Yuan to add (negative: to take back) on this sheet.
    pub yuan: f64,
}

/// The correction for one worker's closed month: what the month pays now (`live`) less what its
/// frozen sheet paid and what earlier corrections already added; none when nothing is left to pay.
pub fn correction(month: &str, frozen: Option<&PayLine>, live: &PayLine, already_yuan: f64) -> Option<PayCorrection> {
    let was = frozen.map_or(0.0, |f| f.pay_yuan);
    let yuan = ((live.pay_yuan - was - already_yuan) * 100.0).round() / 100.0;
    (yuan.abs() >= 0.005).then(|| PayCorrection {
        user_id: live.month.user_id.clone(),
        name: live.month.name.clone(),
        month: month.to_owned(),
        days_was: frozen.map_or(0, |f| f.month.days_on_road),
        days_now: live.month.days_on_road,
        yuan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::road::pay::{pay_line, PayRules, WorkerMonth};
    use chrono::NaiveDate;

    fn rec(act: MonthAct, by: UserId) -> MonthActRecord {
        MonthActRecord { act, by, by_name: String::new(), at: DateTime::UNIX_EPOCH }
    }

    #[test]
    fn acts_come_in_order() {
        assert_eq!(MonthAct::next(&[]), Some(MonthAct::Close));
        assert_eq!(MonthAct::next(&[MonthAct::Close]), Some(MonthAct::SignOfficer));
        assert_eq!(MonthAct::next(&[MonthAct::Close, MonthAct::SignOfficer]), Some(MonthAct::SignDeputyHead));
        assert_eq!(MonthAct::next(&MonthAct::ALL[..3]), Some(MonthAct::Approve));
        assert_eq!(MonthAct::next(&MonthAct::ALL), None);
        for a in MonthAct::ALL {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<MonthAct>(&json).unwrap(), a);
        }
        assert_eq!(serde_json::to_string(&MonthAct::SignDeputyHead).unwrap(), "\"sign_deputy_head\"");
    }

    #[test]
    fn only_the_named_sign_and_nobody_twice() {
        let (officer, deputy, head, other) = (UserId::new(), UserId::new(), UserId::new(), UserId::new());
        let named = RoadSigners { deputy_head_id: deputy, head_id: head };
        assert!(may_sign(Signer::RoadStation, officer, true, None, &[]));
        assert!(!may_sign(Signer::RoadStation, other, false, Some(&named), &[]));
        assert!(may_sign(Signer::DeputyHead, deputy, false, Some(&named), &[]));
        assert!(!may_sign(Signer::DeputyHead, head, false, Some(&named), &[]), "the head is not the deputy");
        assert!(!may_sign(Signer::DeputyHead, deputy, false, None, &[]), "nobody named: nobody signs");
        assert!(may_sign(Signer::Head, head, false, Some(&named), &[]));
        assert!(!may_sign(Signer::Head, other, true, Some(&named), &[]));
        // An officer who is also named deputy signs only once.
        let named_officer = RoadSigners { deputy_head_id: officer, head_id: head };
        let done = [rec(MonthAct::Close, officer), rec(MonthAct::SignOfficer, officer)];
        assert!(!may_sign(Signer::DeputyHead, officer, true, Some(&named_officer), &done));
        // Closing is not a signature.
        assert!(may_sign(Signer::DeputyHead, deputy, false, Some(&named), &[rec(MonthAct::Close, deputy)]));
    }

    #[test]
    fn a_month_closes_from_the_first_of_the_next() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(!month_is_over("2026-11", d(2026, 11, 30)));
        assert!(month_is_over("2026-11", d(2026, 12, 1)));
        assert!(month_is_over("2025-12", d(2026, 1, 1)));
        assert!(!month_is_over("2026-12", d(2026, 1, 1)));
        assert!(!month_is_over("2026-13", d(2027, 5, 1)));
        assert_eq!(next_month("2026-11").as_deref(), Some("2026-12"));
        assert_eq!(next_month("2026-12").as_deref(), Some("2027-01"));
        assert_eq!(next_month("x"), None);
    }

    #[test]
    fn a_late_day_is_paid_once_on_the_next_sheet() {
        let r = PayRules::default().scheme();
        let m = |days| WorkerMonth { user_id: "u".into(), name: "李".into(), days_on_road: days, km_covered: 0.0 };
        let frozen = pay_line(&r, &m(0), None); // withheld
        let live = pay_line(&r, &m(1), None); // 550 with the late day
        let c = correction("2026-11", Some(&frozen), &live, 0.0).unwrap();
        assert_eq!((c.days_was, c.days_now, c.yuan), (0, 1, 550.0));
        assert_eq!(correction("2026-11", Some(&frozen), &live, 550.0), None, "paid already");
        let two = pay_line(&r, &m(2), None);
        assert_eq!(correction("2026-11", Some(&frozen), &two, 550.0).unwrap().yuan, 50.0, "only the new day");
        assert_eq!(correction("2026-11", Some(&live), &live, 0.0), None, "nothing changed");
        // A worker not on the frozen sheet (assigned since): the whole live pay.
        assert_eq!(correction("2026-11", None, &live, 0.0).unwrap().yuan, 550.0);
    }
}
