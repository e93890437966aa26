//! The premises ledger (台账): every shop, workshop, compound and unit in a grid.

use crate::ids::{OrgUnitId, PremiseId};
use serde::{Deserialize, Serialize};

/// The type of a premise; each type has its own checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PremiseType {
    /// 沿街门店
    StreetShop,
    /// 家庭式作坊 / 家庭工厂
    FamilyWorkshop,
    /// 小场所 / 小作坊
    SmallVenue,
    /// 居民楼院 / 村民住宅
    Residential,
    /// 单位 (机关、团体、企业、事业单位)
    Unit,
}

impl PremiseType {
    /// Every type.
    pub const ALL: [PremiseType; 5] = [
        Self::StreetShop,
        Self::FamilyWorkshop,
        Self::SmallVenue,
        Self::Residential,
        Self::Unit,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StreetShop => "street_shop",
            Self::FamilyWorkshop => "family_workshop",
            Self::SmallVenue => "small_venue",
            Self::Residential => "residential",
            Self::Unit => "unit",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The Chinese name shown on screen and used in ledger files.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::StreetShop => "沿街门店",
            Self::FamilyWorkshop => "家庭式作坊/家庭工厂",
            Self::SmallVenue => "小场所/小作坊",
            Self::Residential => "居民楼院/村民住宅",
            Self::Unit => "单位",
        }
    }

    /// Reads the Chinese name (or a common short form) as found in a township's ledger file.
    pub fn from_label(label: &str) -> Option<Self> {
        let l = label.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.label_zh() == l || t.as_str() == l)
            .or(match l {
                "门店" | "沿街店铺" => Some(Self::StreetShop),
                "家庭作坊" | "家庭式作坊" | "家庭工厂" => Some(Self::FamilyWorkshop),
                "小场所" | "小作坊" => Some(Self::SmallVenue),
                "居民楼院" | "村民住宅" | "村(居)民楼院" | "住宅" => {
                    Some(Self::Residential)
                }
                "机关" | "团体" | "企业" | "事业单位" => Some(Self::Unit),
                _ => None,
            })
    }
}

/// A WGS-84 position as a phone reports it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Accuracy radius in metres, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
}

impl GeoPoint {
    /// Checks the coordinates are finite and on Earth (and the accuracy non-negative).
    pub fn validate(&self) -> Result<(), String> {
        let ok = self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
            && self.accuracy_m.is_none_or(|a| a.is_finite() && a >= 0.0);
        if ok {
            Ok(())
        } else {
            Err("position must be a WGS-84 latitude/longitude".into())
        }
    }

    /// Great-circle distance in metres (haversine; ample for "within ~20 m" and "nearest first").
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        const R: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * a.sqrt().asin()
    }
}

/// A premise as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Premise {
    /// Id (made on the device that registered it).
    pub id: PremiseId,
    /// The grid it belongs to.
    pub grid_id: OrgUnitId,
    /// Name, e.g. 张记五金店.
    pub name: String,
    /// Type; decides the checklist.
    pub premise_type: PremiseType,
    /// Address as people say it.
    pub address: String,
    /// Position, when taken.
    pub location: Option<GeoPoint>,
    /// Responsible person (消防安全责任人).
    pub responsible_person: String,
    /// Their phone.
    pub responsible_phone: Option<String>,
    /// Free notes.
    pub notes: String,
    /// Inactive premises (closed shops) keep their history.
    pub active: bool,
    /// Version, raised by every change (for sync and stale-edit detection).
    pub version: i64,
}
