//! The premises ledger (台账): every shop, workshop, compound and unit in a grid.

use crate::ids::{OrgUnitId, PremiseId};
use crate::text::{MAX_FREE_TEXT, MAX_SHORT_TEXT};
use serde::{Deserialize, Serialize};

/// The type of a premise; each type has its own checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
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

crate::wire_name::wire_names!(PremiseType, &PremiseType::ALL);

impl PremiseType {
    /// Every type.
    pub const ALL: [PremiseType; 5] =
        [Self::StreetShop, Self::FamilyWorkshop, Self::SmallVenue, Self::Residential, Self::Unit];

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
        Self::ALL.into_iter().find(|t| t.label_zh() == l || t.as_str() == l).or(match l {
            "门店" | "沿街店铺" => Some(Self::StreetShop),
            "家庭作坊" | "家庭式作坊" | "家庭工厂" => Some(Self::FamilyWorkshop),
            "小场所" | "小作坊" => Some(Self::SmallVenue),
            "居民楼院" | "村民住宅" | "村(居)民楼院" | "住宅" => Some(Self::Residential),
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

/// Body of `POST /api/v1/premises`: a premise registered in the office or in the field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePremise {
    /// Id made on the device (UUIDv7); creating the same id twice is refused as a duplicate.
    #[serde(default)]
    pub id: Option<PremiseId>,
    /// The grid it belongs to.
    pub grid_id: OrgUnitId,
    /// Name.
    pub name: String,
    /// Type.
    pub premise_type: PremiseType,
    /// Address.
    pub address: String,
    /// Position.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// Responsible person.
    pub responsible_person: String,
    /// Their phone.
    #[serde(default)]
    pub responsible_phone: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// Body of `PATCH /api/v1/premises/{id}`: the fields to change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdatePremise {
    /// The version the editor saw; a different current version answers 409 `stale_version`.
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// Move to another grid in scope.
    #[serde(default)]
    pub grid_id: Option<OrgUnitId>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub premise_type: Option<PremiseType>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Deactivate (closed shop) or reactivate.
    #[serde(default)]
    pub active: Option<bool>,
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<(), String> {
    let n = value.trim().chars().count();
    if required && n == 0 {
        return Err(format!("{field} must not be empty"));
    }
    if n > max {
        return Err(format!("{field} must have at most {max} characters"));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("{field} must not contain control characters"));
    }
    Ok(())
}

/// Checks a premise's fields (the same rules for create, update and ledger import).
/// Returns the field at fault and why.
pub fn validate_premise(p: &Premise) -> Result<(), (&'static str, String)> {
    text("name", &p.name, MAX_SHORT_TEXT, true).map_err(|e| ("name", e))?;
    text("address", &p.address, MAX_SHORT_TEXT, true).map_err(|e| ("address", e))?;
    text("responsible_person", &p.responsible_person, MAX_SHORT_TEXT, true).map_err(|e| ("responsible_person", e))?;
    text("notes", &p.notes, MAX_FREE_TEXT, false).map_err(|e| ("notes", e))?;
    if let Some(phone) = &p.responsible_phone {
        crate::user::validate_phone(phone).map_err(|e| ("responsible_phone", e))?;
    }
    if let Some(loc) = &p.location {
        loc.validate().map_err(|e| ("location", e))?;
    }
    Ok(())
}

impl UpdatePremise {
    /// The premise with these changes applied (version untouched).
    pub fn applied_to(&self, p: &Premise) -> Premise {
        Premise {
            grid_id: self.grid_id.unwrap_or(p.grid_id),
            name: self.name.clone().unwrap_or_else(|| p.name.clone()),
            premise_type: self.premise_type.unwrap_or(p.premise_type),
            address: self.address.clone().unwrap_or_else(|| p.address.clone()),
            location: self.location.or(p.location),
            responsible_person: self.responsible_person.clone().unwrap_or_else(|| p.responsible_person.clone()),
            responsible_phone: self.responsible_phone.clone().or_else(|| p.responsible_phone.clone()),
            notes: self.notes.clone().unwrap_or_else(|| p.notes.clone()),
            active: self.active.unwrap_or(p.active),
            ..p.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Premise {
        Premise {
            id: PremiseId::new(),
            grid_id: OrgUnitId::new(),
            name: "张记五金店".into(),
            premise_type: PremiseType::StreetShop,
            address: "猗氏镇东街12号".into(),
            location: Some(GeoPoint { lat: 35.14, lon: 110.77, accuracy_m: Some(8.0) }),
            responsible_person: "张三".into(),
            responsible_phone: Some("13800001111".into()),
            notes: String::new(),
            active: true,
            version: 1,
        }
    }

    #[test]
    fn types_have_labels_and_parse_ledger_spellings() {
        for t in PremiseType::ALL {
            assert_eq!(PremiseType::parse(t.as_str()), Some(t));
            assert_eq!(PremiseType::from_label(t.label_zh()), Some(t));
        }
        assert_eq!(PremiseType::from_label(" 家庭工厂 "), Some(PremiseType::FamilyWorkshop));
        assert_eq!(PremiseType::from_label("企业"), Some(PremiseType::Unit));
        assert_eq!(PremiseType::from_label("加油站"), None);
    }

    #[test]
    fn distances() {
        let a = GeoPoint { lat: 35.0, lon: 110.0, accuracy_m: None };
        let b = GeoPoint { lat: 35.0 + 20.0 / 111_195.0, lon: 110.0, accuracy_m: None };
        assert!((a.distance_m(&b) - 20.0).abs() < 0.1, "{}", a.distance_m(&b));
        assert_eq!(a.distance_m(&a), 0.0);
        assert!(GeoPoint { lat: 91.0, lon: 0.0, accuracy_m: None }.validate().is_err());
        assert!(GeoPoint { lat: f64::NAN, lon: 0.0, accuracy_m: None }.validate().is_err());
    }

    #[test]
    fn premise_validation_names_the_field() {
        assert!(validate_premise(&shop()).is_ok());
        let bad = Premise { name: " ".into(), ..shop() };
        assert_eq!(validate_premise(&bad).unwrap_err().0, "name");
        let bad = Premise { responsible_phone: Some("abc".into()), ..shop() };
        assert_eq!(validate_premise(&bad).unwrap_err().0, "responsible_phone");
    }

    #[test]
    fn updates_change_only_given_fields() {
        let p = shop();
        let u = UpdatePremise { name: Some("张记超市".into()), active: Some(false), ..Default::default() };
        let q = u.applied_to(&p);
        assert_eq!(q.name, "张记超市");
        assert!(!q.active);
        assert_eq!(q.address, p.address);
        assert_eq!(q.version, p.version);
    }
}

/// One entry of a premise's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PremiseChange {
    /// The version this change produced (1 = registration).
    pub version: i64,
    /// Who changed it.
    pub changed_by: Option<crate::ids::UserId>,
    /// When (server time).
    pub at: chrono::DateTime<chrono::Utc>,
    /// `{"created": …}` or `{"before": {field: old}, "after": {field: new}}`.
    pub change: serde_json::Value,
}

/// A page of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PremisePage {
    /// This page.
    pub items: Vec<Premise>,
    /// All matching premises.
    pub total: i64,
}
