//! The roads file: a line a segment, the road's cells repeated (blank road cells mean "as registered").

use super::{filled, parse_km};
use crate::ledger::{normalise_header, RowError};
use crate::org::{validate_code, validate_name};
use crate::road::register::{validate_segment, ResponsibleUnit, Road, RoadLevel};
use serde::{Deserialize, Serialize};

/// A column of the roads file: the road's columns, then its segment's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoadColumn {
    /// 路线编码 (required)
    Code,
    /// 路线名称
    Name,
    /// 行政等级: 国道, 省道, 县道, 乡道, 村道
    Level,
    /// 里程(公里)
    LengthKm,
    /// 管养单位
    Responsible,
    /// 乡镇 of the segment
    Township,
    /// 起点桩号(公里)
    FromKm,
    /// 止点桩号(公里)
    ToKm,
    /// 管护员账号 (username)
    WorkerUsername,
    /// 管护员 (name; checked against the account when both are given)
    WorkerName,
}

impl RoadColumn {
    /// Every column, in the order the export writes them.
    pub const ALL: [RoadColumn; 10] = [
        Self::Code,
        Self::Name,
        Self::Level,
        Self::LengthKm,
        Self::Responsible,
        Self::Township,
        Self::FromKm,
        Self::ToKm,
        Self::WorkerUsername,
        Self::WorkerName,
    ];

    /// The API field name (also accepted as a header, and named in row errors).
    pub fn field(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Level => "level",
            Self::LengthKm => "length_km",
            Self::Responsible => "responsible",
            Self::Township => "township",
            Self::FromKm => "from_km",
            Self::ToKm => "to_km",
            Self::WorkerUsername => "worker_username",
            Self::WorkerName => "worker_name",
        }
    }

    /// The header the export writes.
    pub fn header_zh(self) -> &'static str {
        self.aliases()[0]
    }

    /// Every header spelling accepted on import (compared after [`normalise_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Code => &["路线编码", "路线编号", "路线代码", "编码", "code", "road_code"],
            Self::Name => &["路线名称", "路名", "名称", "name", "road_name"],
            Self::Level => &["行政等级", "等级", "公路等级", "level"],
            Self::LengthKm => &["里程(公里)", "里程", "路线里程", "总里程", "长度(公里)", "length_km"],
            Self::Responsible => &["管养单位", "管护单位", "责任单位", "responsible"],
            Self::Township => &["乡镇", "乡(镇)", "所在乡镇", "township"],
            Self::FromKm => &["起点桩号(公里)", "起点桩号", "起点(公里)", "起点", "from_km"],
            Self::ToKm => &["止点桩号(公里)", "止点桩号", "终点桩号", "止点(公里)", "止点", "终点", "to_km"],
            Self::WorkerUsername => &["管护员账号", "账号", "用户名", "worker_username", "username"],
            Self::WorkerName => &["管护员", "管护员姓名", "姓名", "worker_name"],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Self> {
        let h = normalise_header(header);
        Self::ALL.into_iter().find(|c| c.aliases().iter().any(|a| normalise_header(a) == h))
    }
}

/// The segment part of a row of the roads file.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentCells {
    /// Township name or code.
    pub township: String,
    /// From km.
    pub from_km: f64,
    /// To km.
    pub to_km: f64,
}

/// A row of the roads file as read: blank road cells mean "as registered".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoadFileRow {
    /// The row number in the spreadsheet.
    pub row: u32,
    /// Road code.
    pub code: String,
    /// Name, when given.
    pub name: Option<String>,
    /// Level, when given and read.
    pub level: Option<RoadLevel>,
    /// Length in km, when given and read.
    pub length_km: Option<f64>,
    /// Responsible unit, when given and read.
    pub responsible: Option<ResponsibleUnit>,
    /// The segment, when the row names one (乡镇, 起点 and 止点 all filled).
    pub segment: Option<SegmentCells>,
    /// The worker's username (normalised), when given.
    pub worker_username: Option<String>,
    /// The worker's name, when given.
    pub worker_name: Option<String>,
}

fn km_cell(field: &str, text: &str, errors: &mut Vec<RowError>) -> Option<f64> {
    let t = filled(text)?;
    let v = parse_km(&t);
    if v.is_none() {
        errors.push(RowError::new(field, format!("'{t}' is not a km figure (7.5 or K7+500)")));
    }
    v
}

/// Reads one row of the roads file: `cells` pairs each recognised column with the cell's text.
/// Returns the row and every error found without the database.
pub fn read_road_row(row: u32, cells: &[(RoadColumn, String)]) -> (RoadFileRow, Vec<RowError>) {
    let mut out = RoadFileRow { row, ..RoadFileRow::default() };
    let mut errors = Vec::new();
    let (mut township, mut from, mut to, mut from_given, mut to_given) = (None, None, None, false, false);
    for (col, text) in cells {
        let field = col.field();
        match col {
            RoadColumn::Code => out.code = text.trim().to_owned(),
            RoadColumn::Name => out.name = filled(text),
            RoadColumn::Level => {
                if let Some(t) = filled(text) {
                    out.level = RoadLevel::from_label(&t);
                    if out.level.is_none() {
                        errors.push(RowError::new(
                            field,
                            format!("unknown level '{t}'; use 国道, 省道, 县道, 乡道 or 村道"),
                        ));
                    }
                }
            }
            RoadColumn::LengthKm => {
                out.length_km = km_cell(field, text, &mut errors);
                if out.length_km.is_some_and(|l| !(l > 0.0 && l < 1000.0)) {
                    errors.push(RowError::new(field, "between 0 and 1000 km"));
                    out.length_km = None;
                }
            }
            RoadColumn::Responsible => {
                if let Some(t) = filled(text) {
                    out.responsible = ResponsibleUnit::from_label(&t);
                    if out.responsible.is_none() {
                        errors.push(RowError::new(
                            field,
                            format!("unknown unit '{t}'; use 公路段, 县交通运输局, 乡镇政府 or 村委会"),
                        ));
                    }
                }
            }
            RoadColumn::Township => township = filled(text),
            RoadColumn::FromKm => {
                from_given = filled(text).is_some();
                from = km_cell(field, text, &mut errors);
            }
            RoadColumn::ToKm => {
                to_given = filled(text).is_some();
                to = km_cell(field, text, &mut errors);
            }
            RoadColumn::WorkerUsername => {
                out.worker_username = filled(text).map(|u| crate::auth::normalize_username(&u))
            }
            RoadColumn::WorkerName => out.worker_name = filled(text),
        }
    }
    if out.code.is_empty() {
        errors.push(RowError::new("code", "is empty"));
    } else if let Err(e) = validate_code(&out.code) {
        errors.push(RowError::new("code", e));
    }
    if let Some(Err(e)) = out.name.as_deref().map(|n| validate_name("name", n)) {
        errors.push(RowError::new("name", e));
    }
    if township.is_some() || from_given || to_given {
        for (given, field) in [(township.is_some(), "township"), (from_given, "from_km"), (to_given, "to_km")] {
            if !given {
                errors.push(RowError::new(field, "is empty (a segment has its township, from km and to km)"));
            }
        }
        if let (Some(township), Some(from_km), Some(to_km)) = (township, from, to) {
            out.segment = Some(SegmentCells { township, from_km, to_km });
        }
    } else if out.worker_username.is_some() {
        errors.push(RowError::new("worker_username", "a worker is assigned to a segment: fill 乡镇, 起点 and 止点"));
    }
    if out.worker_name.is_some() && out.worker_username.is_none() {
        errors.push(RowError::new("worker_username", "name the worker by account (管护员账号)"));
    }
    (out, errors)
}

/// Checks a segment's km range against the road's length, naming the column at fault.
pub fn segment_km_error(from_km: f64, to_km: f64, road_length_km: f64) -> Option<RowError> {
    let why = validate_segment(from_km, to_km, road_length_km).err()?;
    let field = if from_km >= 0.0 && from_km < to_km { "to_km" } else { "from_km" };
    Some(RowError::new(field, why))
}

/// Whether two km ranges share more than an end point.
pub fn ranges_overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether two km ranges are the same segment.
pub fn same_range(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
}

/// The road fields a later row of the same road gives differently from an earlier one.
pub fn road_fields_differ(earlier: &RoadFileRow, later: &RoadFileRow) -> Vec<&'static str> {
    let mut out = Vec::new();
    if earlier.name.is_some() && later.name.is_some() && earlier.name != later.name {
        out.push("name");
    }
    if earlier.level.is_some() && later.level.is_some() && earlier.level != later.level {
        out.push("level");
    }
    if let (Some(a), Some(b)) = (earlier.length_km, later.length_km) {
        if (a - b).abs() > 1e-9 {
            out.push("length_km");
        }
    }
    if earlier.responsible.is_some() && later.responsible.is_some() && earlier.responsible != later.responsible {
        out.push("responsible");
    }
    out
}

/// The road fields a row changes on a registered road (blank cells change nothing).
pub fn road_changes(road: &Road, row: &RoadFileRow) -> Vec<&'static str> {
    let mut out = Vec::new();
    if row.name.as_ref().is_some_and(|n| *n != road.name) {
        out.push("name");
    }
    if row.level.is_some_and(|l| l != road.level) {
        out.push("level");
    }
    if row.length_km.is_some_and(|l| (l - road.length_km).abs() > 1e-9) {
        out.push("length_km");
    }
    if row.responsible.is_some_and(|r| r != road.responsible) {
        out.push("responsible");
    }
    out
}

/// The road a row registers: name, level and length are needed; the unit defaults by level.
pub fn new_road(row: &RoadFileRow) -> Result<(String, RoadLevel, f64, ResponsibleUnit), Vec<RowError>> {
    match (&row.name, row.level, row.length_km) {
        (Some(name), Some(level), Some(length)) => {
            Ok((name.clone(), level, length, row.responsible.unwrap_or(level.default_responsible())))
        }
        _ => {
            Err([("name", row.name.is_none()), ("level", row.level.is_none()), ("length_km", row.length_km.is_none())]
                .into_iter()
                .filter(|(_, missing)| *missing)
                .map(|(f, _)| RowError::new(f, "is empty (needed to register a new road)"))
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn road_cells(pairs: &[(RoadColumn, &str)]) -> Vec<(RoadColumn, String)> {
        pairs.iter().map(|(c, s)| (*c, (*s).to_owned())).collect()
    }

    #[test]
    fn headers() {
        for c in RoadColumn::ALL {
            assert_eq!(RoadColumn::from_header(c.header_zh()), Some(c));
            assert_eq!(RoadColumn::from_header(c.field()), Some(c));
        }
        assert_eq!(RoadColumn::from_header(" *里程（公里） "), Some(RoadColumn::LengthKm));
        assert_eq!(RoadColumn::from_header("序号"), None);
    }

    #[test]
    fn reading_a_road_row() {
        use RoadColumn as C;
        let (r, e) = read_road_row(
            2,
            &road_cells(&[
                (C::Code, " X321 "),
                (C::Name, "猗牛旅游公路"),
                (C::Level, "县道"),
                (C::LengthKm, "15"),
                (C::Responsible, ""),
                (C::Township, "猗氏镇"),
                (C::FromKm, "K0+000"),
                (C::ToKm, "7.5"),
                (C::WorkerUsername, " Yishi.Patrol2 "),
                (C::WorkerName, "王管护"),
            ]),
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            (r.code.as_str(), r.level, r.length_km, r.responsible),
            ("X321", Some(RoadLevel::County), Some(15.0), None)
        );
        assert_eq!(r.segment, Some(SegmentCells { township: "猗氏镇".into(), from_km: 0.0, to_km: 7.5 }));
        assert_eq!(r.worker_username.as_deref(), Some("yishi.patrol2"));
        assert_eq!(new_road(&r).unwrap().3, ResponsibleUnit::TransportBureau, "the unit defaults by level");

        let (r, e) = read_road_row(
            3,
            &road_cells(&[(C::Code, "X 3"), (C::Level, "高速"), (C::FromKm, "2"), (C::WorkerName, "王")]),
        );
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["level", "code", "township", "to_km", "worker_username"]);
        assert_eq!(r.segment, None);
        assert_eq!(new_road(&r).unwrap_err().len(), 3);
    }

    #[test]
    fn segments_and_roads_compared() {
        assert_eq!(segment_km_error(0.0, 5.0, 6.0), None);
        assert_eq!(segment_km_error(5.0, 7.0, 6.0).unwrap().field, "to_km");
        assert_eq!(segment_km_error(5.0, 4.0, 6.0).unwrap().field, "from_km");
        assert!(ranges_overlap((0.0, 5.0), (4.0, 6.0)) && !ranges_overlap((0.0, 5.0), (5.0, 6.0)));
        let road = Road {
            id: crate::ids::RoadId::new(),
            code: "Y045".into(),
            name: "猗氏—东街乡道".into(),
            level: RoadLevel::Township,
            length_km: 6.0,
            responsible: ResponsibleUnit::Township,
            township_ids: vec![],
            active: true,
        };
        let row = RoadFileRow {
            code: "Y045".into(),
            length_km: Some(6.5),
            level: Some(RoadLevel::Township),
            ..Default::default()
        };
        assert_eq!(road_changes(&road, &row), ["length_km"]);
        let other = RoadFileRow { length_km: Some(6.0), name: Some("x".into()), ..row.clone() };
        assert_eq!(road_fields_differ(&row, &other), ["length_km"], "a blank name is not a difference");
    }
}
