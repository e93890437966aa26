//! The five-level road register (五级公路): roads, their levels and who is responsible for them.

use crate::ids::{OrgUnitId, UserId};
use crate::premise::GeoPoint;
use serde::{Deserialize, Serialize};

/// The five road levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum RoadLevel {
    /// 国道
    National,
    /// 省道
    Provincial,
    /// 县道 (tourism roads included)
    County,
    /// 乡道
    Township,
    /// 村道
    Village,
}

crate::wire_name::wire_names!(RoadLevel, &RoadLevel::ALL);

impl RoadLevel {
    /// Every level, highest first.
    pub const ALL: [RoadLevel; 5] = [Self::National, Self::Provincial, Self::County, Self::Township, Self::Village];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::County => "county",
            Self::Township => "township",
            Self::Village => "village",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::National => "国道",
            Self::Provincial => "省道",
            Self::County => "县道",
            Self::Township => "乡道",
            Self::Village => "村道",
        }
    }

    /// Reads a level as written in a township's road ledger.
    pub fn from_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|l| l.label_zh() == s || l.as_str() == s).or(match s {
            "旅游公路" | "县道(旅游公路)" | "县道（旅游公路）" => Some(Self::County),
            _ => None,
        })
    }

    /// Who is responsible for it by default (第二条, 第十一条): 公路段 for national and provincial
    /// pavement, the transport bureau for county roads, the township for township roads, the village
    /// committee for village roads.
    pub fn default_responsible(self) -> ResponsibleUnit {
        match self {
            Self::National | Self::Provincial => ResponsibleUnit::HighwaySection,
            Self::County => ResponsibleUnit::TransportBureau,
            Self::Township => ResponsibleUnit::Township,
            Self::Village => ResponsibleUnit::VillageCommittee,
        }
    }
}

/// Who maintains a road.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum ResponsibleUnit {
    /// 公路段
    HighwaySection,
    /// 县交通运输局
    TransportBureau,
    /// 乡镇政府
    Township,
    /// 村委会
    VillageCommittee,
}

crate::wire_name::wire_names!(ResponsibleUnit, &ResponsibleUnit::ALL);

impl ResponsibleUnit {
    /// Every unit kind.
    pub const ALL: [ResponsibleUnit; 4] =
        [Self::HighwaySection, Self::TransportBureau, Self::Township, Self::VillageCommittee];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighwaySection => "highway_section",
            Self::TransportBureau => "transport_bureau",
            Self::Township => "township",
            Self::VillageCommittee => "village_committee",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::HighwaySection => "公路段",
            Self::TransportBureau => "县交通运输局",
            Self::Township => "乡镇政府",
            Self::VillageCommittee => "村委会",
        }
    }

    /// Reads a unit as written in a road ledger (the Chinese name, a common variant, or the wire spelling).
    pub fn from_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|u| u.label_zh() == s || u.as_str() == s).or(match s {
            "公路管理段" | "公路分局" => Some(Self::HighwaySection),
            "交通运输局" | "县交通局" | "交通局" => Some(Self::TransportBureau),
            "乡镇" | "乡镇人民政府" | "乡(镇)政府" | "乡（镇）政府" => Some(Self::Township),
            "村民委员会" | "村委" => Some(Self::VillageCommittee),
            _ => None,
        })
    }
}

/// Kilometres of road one patrol worker looks after, in principle (第十一条).
pub const KM_PER_WORKER: f64 = 5.0;
/// Oldest a patrol worker may be (第十二条).
pub const MAX_WORKER_AGE: u32 = 60;

/// A road as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Road {
    /// Id.
    pub id: crate::ids::RoadId,
    /// Road code, e.g. X321 or C012.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: RoadLevel,
    /// Length in km.
    pub length_km: f64,
    /// Who maintains it.
    pub responsible: ResponsibleUnit,
    /// The townships it crosses.
    pub township_ids: Vec<OrgUnitId>,
    /// Whether in use.
    pub active: bool,
}

/// A stretch of a road assigned to one patrol worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Segment {
    /// Id.
    pub id: crate::ids::SegmentId,
    /// The road.
    pub road_id: crate::ids::RoadId,
    /// The township it lies in (its scope).
    pub township_id: OrgUnitId,
    /// From km.
    pub from_km: f64,
    /// To km.
    pub to_km: f64,
    /// The line of the road, when surveyed (WGS-84, in order).
    pub polyline: Vec<GeoPoint>,
    /// The assigned patrol worker.
    pub worker_id: Option<UserId>,
}

impl Segment {
    /// Its length in km.
    pub fn length_km(&self) -> f64 {
        (self.to_km - self.from_km).max(0.0)
    }
}

/// Checks a segment's kilometre range against its road.
pub fn validate_segment(from_km: f64, to_km: f64, road_length_km: f64) -> Result<(), String> {
    if !(from_km.is_finite() && to_km.is_finite()) || from_km < 0.0 || to_km <= from_km {
        return Err("a segment runs from a lower to a higher km".into());
    }
    if to_km > road_length_km + 1e-9 {
        return Err(format!("the road is only {road_length_km} km long"));
    }
    Ok(())
}

/// Most points a segment's surveyed line may have (one every 2.5 m over 5 km).
pub const MAX_POLYLINE_POINTS: usize = 2000;

/// Checks a segment's surveyed line: WGS-84 points in order, at least 2 and at most
/// [`MAX_POLYLINE_POINTS`].
pub fn validate_polyline(line: &[GeoPoint]) -> Result<(), String> {
    if line.len() < 2 {
        return Err("a surveyed line has at least 2 points".into());
    }
    if line.len() > MAX_POLYLINE_POINTS {
        return Err(format!("a surveyed line has at most {MAX_POLYLINE_POINTS} points (got {})", line.len()));
    }
    if let Some((i, e)) = line.iter().enumerate().find_map(|(i, p)| p.validate().err().map(|e| (i, e))) {
        return Err(format!("point {}: {e}", i + 1));
    }
    Ok(())
}

/// Km of a road not covered by any of its segments' ranges: the length less the union of the
/// ranges (clipped to the road), so overlapping or out-of-range ranges are not counted twice.
pub fn unsegmented_km(length_km: f64, ranges: &[(f64, f64)]) -> f64 {
    let mut r: Vec<(f64, f64)> = ranges
        .iter()
        .map(|&(a, b)| (a.max(0.0), b.min(length_km)))
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        .collect();
    r.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (mut covered, mut reach) = (0.0, 0.0_f64);
    for (a, b) in r {
        let from = a.max(reach);
        if b > from {
            covered += b - from;
        }
        reach = reach.max(b);
    }
    (length_km.max(0.0) - covered).max(0.0)
}

/// A patrol worker's employment record (第十二、十三、二十三条).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolWorker {
    /// The account.
    pub user_id: UserId,
    /// Real name.
    pub name: String,
    /// Birth date.
    pub birth_date: chrono::NaiveDate,
    /// First month on probation (试用一个月).
    pub probation_month: Option<chrono::NaiveDate>,
    /// Whether the maintenance agreement is signed.
    pub contract_signed: bool,
    /// Whether accident insurance is on file.
    pub insured: bool,
}

/// Age in whole years on a day.
pub fn age_on(birth: chrono::NaiveDate, day: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// What is wrong with a worker's file on a day: over 60, no contract after probation, no insurance.
pub fn worker_flags(w: &PatrolWorker, day: chrono::NaiveDate) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if age_on(w.birth_date, day) > MAX_WORKER_AGE {
        flags.push("over_60");
    }
    let on_probation = w.probation_month.is_some_and(|m| day < m + chrono::Months::new(1));
    if !w.contract_signed && !on_probation {
        flags.push("no_contract");
    }
    if !w.insured {
        flags.push("no_insurance");
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn levels_and_responsibility() {
        for l in RoadLevel::ALL {
            assert_eq!(RoadLevel::parse(l.as_str()), Some(l));
            assert_eq!(RoadLevel::from_label(l.label_zh()), Some(l));
        }
        assert_eq!(RoadLevel::from_label("旅游公路"), Some(RoadLevel::County));
        for u in ResponsibleUnit::ALL {
            assert_eq!(ResponsibleUnit::from_label(u.label_zh()), Some(u));
            assert_eq!(ResponsibleUnit::from_label(u.as_str()), Some(u));
        }
        assert_eq!(ResponsibleUnit::from_label(" 村民委员会 "), Some(ResponsibleUnit::VillageCommittee));
        assert_eq!(ResponsibleUnit::from_label("养护公司"), None);
        assert_eq!(RoadLevel::National.default_responsible(), ResponsibleUnit::HighwaySection);
        assert_eq!(RoadLevel::Village.default_responsible(), ResponsibleUnit::VillageCommittee);
    }

    #[test]
    fn segments_stay_on_their_road() {
        assert!(validate_segment(0.0, 5.0, 12.3).is_ok());
        assert!(validate_segment(5.0, 5.0, 12.3).is_err());
        assert!(validate_segment(10.0, 13.0, 12.3).is_err());
        assert!(validate_segment(-1.0, 3.0, 12.3).is_err());
    }

    fn at(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon, accuracy_m: None }
    }

    #[test]
    fn surveyed_lines_are_checked() {
        assert!(validate_polyline(&[at(35.0, 110.5), at(35.01, 110.5)]).is_ok());
        assert!(validate_polyline(&[]).is_err());
        assert!(validate_polyline(&[at(35.0, 110.5)]).is_err(), "one point is not a line");
        let e = validate_polyline(&[at(35.0, 110.5), at(95.0, 110.5)]).unwrap_err();
        assert!(e.starts_with("point 2:"), "{e}");
        assert!(validate_polyline(&[at(35.0, 110.5), at(35.0, f64::NAN)]).is_err());
        assert!(validate_polyline(&[at(35.0, 110.5), at(35.0, 181.0)]).is_err());
        let long: Vec<GeoPoint> = (0..=MAX_POLYLINE_POINTS).map(|i| at(35.0 + i as f64 * 1e-5, 110.5)).collect();
        assert!(validate_polyline(&long).is_err());
        assert!(validate_polyline(&long[..MAX_POLYLINE_POINTS]).is_ok());
    }

    #[test]
    fn unsegmented_km_is_the_length_less_the_union_of_ranges() {
        assert_eq!(unsegmented_km(12.0, &[]), 12.0);
        assert_eq!(unsegmented_km(10.0, &[(0.0, 3.0), (5.0, 8.0)]), 4.0);
        assert_eq!(unsegmented_km(10.0, &[(5.0, 8.0), (0.0, 3.0), (2.0, 6.0)]), 2.0, "overlaps count once");
        assert_eq!(unsegmented_km(6.0, &[(0.0, 5.0), (5.0, 6.0)]), 0.0);
        assert_eq!(unsegmented_km(5.0, &[(4.0, 9.0), (-1.0, 1.0)]), 3.0, "clipped to the road");
        assert_eq!(unsegmented_km(5.0, &[(1.0, 2.0), (1.2, 1.8)]), 4.0, "a range inside another");
    }

    #[test]
    fn worker_files_are_flagged() {
        assert_eq!(age_on(d(1966, 5, 1), d(2026, 4, 30)), 59);
        assert_eq!(age_on(d(1966, 5, 1), d(2026, 5, 1)), 60);
        let w = PatrolWorker {
            user_id: UserId::new(),
            name: "李管护".into(),
            birth_date: d(1965, 1, 1),
            probation_month: Some(d(2026, 3, 1)),
            contract_signed: false,
            insured: true,
        };
        assert_eq!(worker_flags(&w, d(2026, 3, 15)), vec!["over_60"], "still on probation");
        assert_eq!(worker_flags(&w, d(2026, 4, 2)), vec!["over_60", "no_contract"]);
        let young = PatrolWorker { birth_date: d(1980, 1, 1), contract_signed: true, insured: false, ..w };
        assert_eq!(worker_flags(&young, d(2026, 4, 2)), vec!["no_insurance"]);
    }
}
