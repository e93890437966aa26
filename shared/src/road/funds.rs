//! Yearly maintenance funds (第二十条): per km, 8,000 yuan for national and provincial roads,
//! 5,000 for county roads, 4,000 for township and village roads.

use super::register::{ResponsibleUnit, RoadLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Yuan per km per year.
pub fn rate_yuan_per_km(level: RoadLevel) -> f64 {
    match level {
        RoadLevel::National | RoadLevel::Provincial => 8000.0,
        RoadLevel::County => 5000.0,
        RoadLevel::Township | RoadLevel::Village => 4000.0,
    }
}

/// A road's kilometres in one township.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadKm {
    pub level: RoadLevel,
    pub responsible: ResponsibleUnit,
    pub township: String,
    pub km: f64,
}

/// One line of the allocation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundLine {
    /// Who receives it: a responsible unit kind, or a township id.
    pub to: String,
    /// Km per level.
    pub km_by_level: BTreeMap<RoadLevel, f64>,
    /// Yuan for the year.
    pub amount_yuan: f64,
}

/// The allocation per responsible unit and per township.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    /// The year.
    pub year: i32,
    /// Per responsible unit (公路段, 交通运输局, townships, village committees).
    pub by_responsible: Vec<FundLine>,
    /// Per township (all roads lying in it).
    pub by_township: Vec<FundLine>,
    /// Total.
    pub total_yuan: f64,
}

fn add(lines: &mut BTreeMap<String, FundLine>, to: &str, r: &RoadKm) {
    let line = lines.entry(to.to_owned()).or_insert_with(|| FundLine {
        to: to.to_owned(),
        km_by_level: BTreeMap::new(),
        amount_yuan: 0.0,
    });
    *line.km_by_level.entry(r.level).or_default() += r.km;
    line.amount_yuan += r.km * rate_yuan_per_km(r.level);
}

/// Allocates a year's funds.
pub fn allocate(year: i32, roads: &[RoadKm]) -> Allocation {
    let (mut by_unit, mut by_town) = (BTreeMap::new(), BTreeMap::new());
    for r in roads {
        add(&mut by_unit, r.responsible.as_str(), r);
        add(&mut by_town, &r.township, r);
    }
    let total = roads.iter().fold(0.0, |a, r| a + r.km * rate_yuan_per_km(r.level)); // from +0.0, not -0.0
    Allocation {
        year,
        by_responsible: by_unit.into_values().collect(),
        by_township: by_town.into_values().collect(),
        total_yuan: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_allocation() {
        let roads = [
            RoadKm {
                level: RoadLevel::National,
                responsible: ResponsibleUnit::HighwaySection,
                township: "t1".into(),
                km: 10.0,
            },
            RoadKm {
                level: RoadLevel::County,
                responsible: ResponsibleUnit::TransportBureau,
                township: "t1".into(),
                km: 4.5,
            },
            RoadKm {
                level: RoadLevel::Village,
                responsible: ResponsibleUnit::VillageCommittee,
                township: "t2".into(),
                km: 2.25,
            },
            RoadKm {
                level: RoadLevel::Township,
                responsible: ResponsibleUnit::Township,
                township: "t2".into(),
                km: 3.0,
            },
        ];
        let a = allocate(2026, &roads);
        // 10×8000 + 4.5×5000 + 2.25×4000 + 3×4000 = 80000 + 22500 + 9000 + 12000
        assert_eq!(a.total_yuan, 123_500.0);
        let t1 = a.by_township.iter().find(|l| l.to == "t1").unwrap();
        assert_eq!(t1.amount_yuan, 102_500.0);
        let bureau = a.by_responsible.iter().find(|l| l.to == "transport_bureau").unwrap();
        assert_eq!(bureau.amount_yuan, 22_500.0);
        assert_eq!(a.by_township.iter().map(|l| l.amount_yuan).sum::<f64>(), a.total_yuan);
    }
}
