//! The patrol workers' file: account, birth date, probation month, agreement and insurance.

use super::{filled, parse_date, parse_month, parse_yes_no};
use crate::ledger::{normalise_header, RowError};
use crate::road::register::age_on;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Youngest a patrol worker may be (the legal working age).
pub const MIN_WORKER_AGE: u32 = 16;

/// A column of the patrol workers' file that an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkerColumn {
    /// 账号 (required)
    Username,
    /// 姓名 (checked against the account when given)
    Name,
    /// 出生日期 (required)
    BirthDate,
    /// 试用月份
    ProbationMonth,
    /// 签订协议 (是/否)
    ContractSigned,
    /// 意外保险 (是/否)
    Insured,
}

impl WorkerColumn {
    /// Every column read on import.
    pub const ALL: [WorkerColumn; 6] =
        [Self::Username, Self::Name, Self::BirthDate, Self::ProbationMonth, Self::ContractSigned, Self::Insured];

    /// The API field name (also accepted as a header, and named in row errors).
    pub fn field(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Name => "name",
            Self::BirthDate => "birth_date",
            Self::ProbationMonth => "probation_month",
            Self::ContractSigned => "contract_signed",
            Self::Insured => "insured",
        }
    }

    /// The header the export writes.
    pub fn header_zh(self) -> &'static str {
        self.aliases()[0]
    }

    /// Every header spelling accepted on import (compared after [`normalise_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Username => &["账号", "管护员账号", "用户名", "username"],
            Self::Name => &["姓名", "管护员", "管护员姓名", "name"],
            Self::BirthDate => &["出生日期", "出生年月日", "生日", "birth_date"],
            Self::ProbationMonth => &["试用月份", "试用期", "试用月", "probation_month"],
            Self::ContractSigned => &["签订协议", "管护协议", "签订管护协议", "协议", "合同", "contract_signed"],
            Self::Insured => &["意外保险", "意外伤害保险", "保险", "参保", "insured"],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Self> {
        let h = normalise_header(header);
        Self::ALL.into_iter().find(|c| c.aliases().iter().any(|a| normalise_header(a) == h))
    }
}

/// A row of the patrol workers' file as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkerFileRow {
    /// The row number in the spreadsheet.
    pub row: u32,
    /// Username (normalised).
    pub username: String,
    /// Name, when given.
    pub name: Option<String>,
    /// Birth date, when read.
    pub birth_date: Option<NaiveDate>,
    /// First month of probation.
    pub probation_month: Option<NaiveDate>,
    /// Maintenance agreement signed.
    pub contract_signed: bool,
    /// Accident insurance on file.
    pub insured: bool,
}

/// Reads one row of the workers' file and checks the birth date against `today`: a patrol worker is
/// at least 16 (over 60 is allowed and flagged by the assignment report, 第十二条).
pub fn read_worker_row(row: u32, cells: &[(WorkerColumn, String)], today: NaiveDate) -> (WorkerFileRow, Vec<RowError>) {
    let mut out = WorkerFileRow { row, ..WorkerFileRow::default() };
    let mut errors = Vec::new();
    let mut birth_given = false;
    for (col, text) in cells {
        let (field, t) = (col.field(), text.trim());
        match col {
            WorkerColumn::Username => out.username = crate::auth::normalize_username(t),
            WorkerColumn::Name => out.name = filled(t),
            WorkerColumn::BirthDate => {
                birth_given = !t.is_empty();
                out.birth_date = parse_date(t);
                if birth_given && out.birth_date.is_none() {
                    errors.push(RowError::new(field, format!("'{t}' is not a date (YYYY-MM-DD)")));
                }
            }
            WorkerColumn::ProbationMonth if t.is_empty() => {}
            WorkerColumn::ProbationMonth => {
                out.probation_month = parse_month(t);
                if out.probation_month.is_none() {
                    errors.push(RowError::new(field, format!("'{t}' is not a month (YYYY-MM)")));
                }
            }
            WorkerColumn::ContractSigned | WorkerColumn::Insured => match parse_yes_no(t) {
                Some(b) if *col == WorkerColumn::Insured => out.insured = b,
                Some(b) => out.contract_signed = b,
                None => errors.push(RowError::new(field, format!("'{t}' is not 是 or 否"))),
            },
        }
    }
    if out.username.is_empty() {
        errors.push(RowError::new("username", "is empty"));
    }
    match out.birth_date {
        None if !birth_given => errors.push(RowError::new("birth_date", "is empty")),
        Some(b) if b > today || b.year() < 1900 || age_on(b, today) < MIN_WORKER_AGE => {
            errors.push(RowError::new("birth_date", format!("{b}: a patrol worker is at least {MIN_WORKER_AGE}")))
        }
        _ => {}
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn headers() {
        for c in WorkerColumn::ALL {
            assert_eq!(WorkerColumn::from_header(c.header_zh()), Some(c));
            assert_eq!(WorkerColumn::from_header(c.field()), Some(c));
        }
        assert_eq!(WorkerColumn::from_header("年龄"), None, "export only");
    }

    #[test]
    fn reading_a_worker_row() {
        use WorkerColumn as C;
        let today = d(2026, 3, 15);
        let cells = |pairs: &[(C, &str)]| pairs.iter().map(|(c, s)| (*c, (*s).to_owned())).collect::<Vec<_>>();
        let (w, e) = read_worker_row(
            2,
            &cells(&[
                (C::Username, "yishi.patrol"),
                (C::BirthDate, "1963-02-01"),
                (C::ProbationMonth, "2026年3月"),
                (C::ContractSigned, "是"),
                (C::Insured, ""),
            ]),
            today,
        );
        assert!(e.is_empty(), "over 60 is allowed (and flagged elsewhere): {e:?}");
        assert_eq!((w.birth_date, w.probation_month), (Some(d(1963, 2, 1)), Some(d(2026, 3, 1))));
        assert!(w.contract_signed && !w.insured);
        let (_, e) = read_worker_row(3, &cells(&[(C::BirthDate, "2015-01-01"), (C::Insured, "maybe")]), today);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["insured", "username", "birth_date"]);
        let (_, e) = read_worker_row(4, &cells(&[(C::Username, "a.b")]), today);
        assert_eq!(e, [RowError::new("birth_date", "is empty")]);
    }
}
