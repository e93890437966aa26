//! The seven-item road checklist of 第十五条.

use serde::{Deserialize, Serialize};

/// One item of the road checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoadCheckItem {
    /// 路面平整无坑槽
    Pavement,
    /// 路肩整齐无杂草
    Shoulders,
    /// 边沟畅通无堵塞
    Ditches,
    /// 外缘干净无杂物
    OuterEdge,
    /// 安保到位无隐患
    Safety,
    /// 树木刷白无虫害
    Trees,
    /// 管护范围无乱建
    NoIllegalBuilding,
}

impl RoadCheckItem {
    /// The seven items in the order of the article.
    pub const ALL: [RoadCheckItem; 7] = [
        Self::Pavement,
        Self::Shoulders,
        Self::Ditches,
        Self::OuterEdge,
        Self::Safety,
        Self::Trees,
        Self::NoIllegalBuilding,
    ];

    /// The standard, in the article's words.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pavement => "路面平整无坑槽",
            Self::Shoulders => "路肩整齐无杂草",
            Self::Ditches => "边沟畅通无堵塞",
            Self::OuterEdge => "外缘干净无杂物",
            Self::Safety => "安保到位无隐患",
            Self::Trees => "树木刷白无虫害",
            Self::NoIllegalBuilding => "管护范围无乱建",
        }
    }

    /// The standard in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Pavement => "Pavement even, no potholes",
            Self::Shoulders => "Shoulders neat, no weeds",
            Self::Ditches => "Ditches clear",
            Self::OuterEdge => "Outer edge clean",
            Self::Safety => "Safety facilities in place",
            Self::Trees => "Trees whitewashed, no pests",
            Self::NoIllegalBuilding => "No illegal building",
        }
    }
}

/// The result of one checklist item on a patrol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoadCheck {
    /// The item.
    pub item: RoadCheckItem,
    /// Whether the standard is met.
    pub pass: bool,
    /// A photo, usually of a failure.
    #[serde(default)]
    pub photo: Option<crate::ids::PhotoRef>,
    /// Where.
    #[serde(default)]
    pub location: Option<crate::premise::GeoPoint>,
    /// Remark.
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks that a patrol's checklist answers each of the seven items exactly once.
pub fn validate_checks(checks: &[RoadCheck]) -> Result<(), String> {
    for item in RoadCheckItem::ALL {
        let n = checks.iter().filter(|c| c.item == item).count();
        if n != 1 {
            return Err(format!("{} must be answered once (answered {n} times)", item.label_zh()));
        }
    }
    Ok(())
}

/// The share of items passed, 0–100.
pub fn score(checks: &[RoadCheck]) -> f64 {
    if checks.is_empty() {
        return 0.0;
    }
    100.0 * checks.iter().filter(|c| c.pass).count() as f64 / checks.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(pass: bool) -> Vec<RoadCheck> {
        RoadCheckItem::ALL
            .into_iter()
            .map(|item| RoadCheck { item, pass, photo: None, location: None, note: None })
            .collect()
    }

    #[test]
    fn seven_items_exactly_once() {
        assert!(validate_checks(&all(true)).is_ok());
        let mut missing = all(true);
        missing.pop();
        assert!(validate_checks(&missing).is_err());
        let mut twice = all(true);
        twice.push(twice[0].clone());
        assert!(validate_checks(&twice).is_err());
        assert_eq!(RoadCheckItem::ALL[2].label_zh(), "边沟畅通无堵塞");
    }

    #[test]
    fn scores() {
        assert_eq!(score(&all(true)), 100.0);
        let mut some = all(true);
        some[0].pass = false;
        assert!((score(&some) - 600.0 / 7.0).abs() < 1e-9);
    }
}
