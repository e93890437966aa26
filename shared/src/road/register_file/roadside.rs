//! The roadside register's file (沿线地块户主登记册, 第七条): a line a plot — the road and km, the
//! village, who holds it and how to reach them, and when the 门前三包 agreement was signed.

use super::{filled, parse_date, parse_km};
use crate::ledger::{normalise_header, RowError};
use crate::road::roadside::{phone_error, PartyKind, RoadSide, MAX_NAME, MAX_NOTE};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A column of the roadside register's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoadsideColumn {
    /// 户主 or the store's or business's name (required)
    Holder,
    /// 路线编码 (required)
    RoadCode,
    /// 地块起点桩号 (required)
    FromKm,
    /// 地块止点桩号 (blank: a single gate at the start)
    ToKm,
    /// 位置: 左侧, 右侧, 两侧 (blank: both)
    Side,
    /// 村 (required)
    Village,
    /// 类别: 农户, 果库, 企业 (blank: a household)
    Kind,
    /// 联系电话
    Phone,
    /// 协议签订日期 (blank or 否: not signed)
    AgreementOn,
    /// 备注
    Note,
}

impl RoadsideColumn {
    /// Every column, in the order the export writes them.
    pub const ALL: [RoadsideColumn; 10] = [
        Self::RoadCode,
        Self::FromKm,
        Self::ToKm,
        Self::Side,
        Self::Village,
        Self::Kind,
        Self::Holder,
        Self::Phone,
        Self::AgreementOn,
        Self::Note,
    ];

    /// The API field name (also accepted as a header, and named in row errors).
    pub fn field(self) -> &'static str {
        match self {
            Self::Holder => "holder",
            Self::RoadCode => "road_code",
            Self::FromKm => "from_km",
            Self::ToKm => "to_km",
            Self::Side => "side",
            Self::Village => "village",
            Self::Kind => "kind",
            Self::Phone => "phone",
            Self::AgreementOn => "agreement_on",
            Self::Note => "note",
        }
    }

    /// The header the export writes.
    pub fn header_zh(self) -> &'static str {
        self.aliases()[0]
    }

    /// Every header spelling accepted on import (compared after [`normalise_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Holder => &["户主", "户主姓名", "户主(单位)", "单位名称", "责任人", "holder"],
            Self::RoadCode => &["路线编码", "路线编号", "路线代码", "road_code"],
            Self::FromKm => &["起点桩号", "地块起点桩号", "地块起点", "桩号", "from_km"],
            Self::ToKm => &["止点桩号", "地块止点桩号", "地块止点", "终点桩号", "to_km"],
            Self::Side => &["位置", "方位", "路侧", "左右", "side"],
            Self::Village => &["村", "村名", "所属村", "行政村", "village"],
            Self::Kind => &["类别", "类型", "户别", "kind"],
            Self::Phone => &["联系电话", "电话", "联系方式", "手机", "phone"],
            Self::AgreementOn => &["协议签订日期", "签订日期", "门前三包协议", "签订协议", "协议", "agreement_on"],
            Self::Note => &["备注", "说明", "note"],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Self> {
        let h = normalise_header(header);
        Self::ALL.into_iter().find(|c| c.aliases().iter().any(|a| normalise_header(a) == h))
    }
}

/// A row of the roadside file as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoadsideFileRow {
    /// The row number in the spreadsheet.
    pub row: u32,
    /// 户主 or name.
    pub holder: String,
    /// Road code.
    pub road_code: String,
    /// From km, when read.
    pub from_km: Option<f64>,
    /// To km, when given and read.
    pub to_km: Option<f64>,
    /// Side (both when blank).
    pub side: Option<RoadSide>,
    /// Village.
    pub village: String,
    /// Kind (a household when blank).
    pub kind: Option<PartyKind>,
    /// Phone.
    pub phone: String,
    /// Agreement signed on.
    pub agreement_on: Option<NaiveDate>,
    /// Note.
    pub note: String,
}

impl RoadsideFileRow {
    /// The plot's km range: to km defaults to from km (a gate).
    pub fn plot(&self) -> Option<(f64, f64)> {
        self.from_km.map(|f| (f, self.to_km.unwrap_or(f)))
    }
}

/// Reads one row of the roadside file: the cells that need no database, checked (the agreement
/// not after `today`). The segment the plot lies on is the server's to find.
pub fn read_roadside_row(
    row: u32,
    cells: &[(RoadsideColumn, String)],
    today: NaiveDate,
) -> (RoadsideFileRow, Vec<RowError>) {
    use RoadsideColumn as C;
    let mut out =
        RoadsideFileRow { row, side: Some(RoadSide::Both), kind: Some(PartyKind::Household), ..Default::default() };
    let mut errors = Vec::new();
    let mut from_given = false;
    for (col, text) in cells {
        let (field, t) = (col.field(), text.trim());
        match col {
            C::Holder => out.holder = t.to_owned(),
            C::RoadCode => out.road_code = t.to_uppercase(),
            C::Village => out.village = t.to_owned(),
            C::Phone => out.phone = t.to_owned(),
            C::Note => out.note = t.to_owned(),
            C::FromKm | C::ToKm => {
                let km = filled(t).map(|t| (parse_km(&t), t));
                if *col == C::FromKm {
                    from_given = km.is_some();
                }
                match km {
                    None => {}
                    Some((Some(v), _)) if v >= 0.0 && *col == C::FromKm => out.from_km = Some(v),
                    Some((Some(v), _)) if v >= 0.0 => out.to_km = Some(v),
                    Some((_, t)) => errors.push(RowError::new(field, format!("'{t}' is not a km (7.5 or K7+500)"))),
                }
            }
            C::Side => {
                out.side = RoadSide::from_label(t);
                if out.side.is_none() {
                    errors.push(RowError::new(field, format!("'{t}' is not 左侧, 右侧 or 两侧")));
                }
            }
            C::Kind => {
                out.kind = PartyKind::from_label(t);
                if out.kind.is_none() {
                    errors.push(RowError::new(field, format!("'{t}' is not 农户, 果库 or 企业")));
                }
            }
            C::AgreementOn => match super::parse_yes_no(t) {
                Some(false) => {}
                Some(true) => errors.push(RowError::new(field, "write the date it was signed (YYYY-MM-DD)")),
                None => match parse_date(t) {
                    Some(d) if d > today => errors.push(RowError::new(field, format!("{d} is after today"))),
                    Some(d) => out.agreement_on = Some(d),
                    None => errors.push(RowError::new(field, format!("'{t}' is not a date (YYYY-MM-DD)"))),
                },
            },
        }
    }
    for (field, value) in [("holder", &out.holder), ("village", &out.village)] {
        let n = value.chars().count();
        if n == 0 {
            errors.push(RowError::new(field, "is empty"));
        } else if n > MAX_NAME {
            errors.push(RowError::new(field, format!("at most {MAX_NAME} characters")));
        }
    }
    if out.road_code.is_empty() {
        errors.push(RowError::new("road_code", "is empty"));
    }
    if !from_given {
        errors.push(RowError::new("from_km", "is empty"));
    }
    if let (Some(f), Some(t)) = (out.from_km, out.to_km) {
        if t < f {
            errors.push(RowError::new("to_km", format!("{t} is before the start {f}")));
        }
    }
    if let Some(e) = phone_error(&out.phone) {
        errors.push(RowError::new("phone", e));
    }
    if out.note.chars().count() > MAX_NOTE {
        errors.push(RowError::new("note", format!("at most {MAX_NOTE} characters")));
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
    }

    fn read(pairs: &[(RoadsideColumn, &str)]) -> (RoadsideFileRow, Vec<RowError>) {
        let cells: Vec<_> = pairs.iter().map(|(c, s)| (*c, (*s).to_owned())).collect();
        read_roadside_row(2, &cells, today())
    }

    #[test]
    fn headers() {
        for c in RoadsideColumn::ALL {
            assert_eq!(RoadsideColumn::from_header(c.header_zh()), Some(c));
            assert_eq!(RoadsideColumn::from_header(c.field()), Some(c));
        }
        assert_eq!(RoadsideColumn::from_header(" 户主（单位） "), Some(RoadsideColumn::Holder));
        assert_eq!(RoadsideColumn::from_header("年龄"), None);
    }

    #[test]
    fn a_full_row_and_the_defaults() {
        use RoadsideColumn as C;
        let (r, e) = read(&[
            (C::RoadCode, "x321"),
            (C::FromKm, "K3+200"),
            (C::ToKm, "3.45"),
            (C::Side, "左"),
            (C::Village, "东张村"),
            (C::Kind, "果库"),
            (C::Holder, "张建国"),
            (C::Phone, "13912345678"),
            (C::AgreementOn, "2026年3月1日"),
        ]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(r.road_code, "X321");
        assert_eq!(r.plot(), Some((3.2, 3.45)));
        assert_eq!((r.side, r.kind), (Some(RoadSide::Left), Some(PartyKind::FruitStore)));
        assert_eq!(r.agreement_on, NaiveDate::from_ymd_opt(2026, 3, 1));
        // Blank side, kind, to km and agreement: both sides, a household, a gate, not signed.
        let (r, e) = read(&[
            (C::RoadCode, "X321"),
            (C::FromKm, "3.2"),
            (C::ToKm, ""),
            (C::Side, ""),
            (C::Village, "东张村"),
            (C::Kind, ""),
            (C::Holder, "李四"),
            (C::AgreementOn, "否"),
        ]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            (r.plot(), r.side, r.kind, r.agreement_on),
            (Some((3.2, 3.2)), Some(RoadSide::Both), Some(PartyKind::Household), None)
        );
    }

    #[test]
    fn each_bad_cell_is_named() {
        use RoadsideColumn as C;
        let (_, e) = read(&[
            (C::FromKm, "三公里"),
            (C::Side, "北"),
            (C::Kind, "合作社"),
            (C::Phone, "123"),
            (C::AgreementOn, "是"),
        ]);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from_km", "side", "kind", "agreement_on", "holder", "village", "road_code", "phone"]);
        let (_, e) = read(&[
            (C::RoadCode, "X321"),
            (C::FromKm, "4"),
            (C::ToKm, "3.5"),
            (C::Village, "东张村"),
            (C::Holder, "张"),
            (C::AgreementOn, "2026-04-02"),
        ]);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["agreement_on", "to_km"]);
        let (_, e) = read(&[(C::RoadCode, "X321"), (C::Village, "东张村"), (C::Holder, "张")]);
        assert_eq!(e, [RowError::new("from_km", "is empty")]);
    }
}
