//! The roadside register (沿线责任户, 第七条): the fruit stores, businesses and households along each
//! road with whom the village committee signs the 门前三包 agreement, registered with the holder
//! (户主) of each plot and how to reach them — so that a violation found on the road (rubbish,
//! piling, grain drying, a ditch dug…) can name who is responsible for that stretch.
//!
//! A party's plot is a stretch of one segment (from km to km, on one side or both). A road issue's
//! place on the segment is found by projecting its GPS point onto the segment's surveyed line
//! ([`km_at`]); the parties whose plots are nearest are offered first ([`candidates`]).

use crate::ids::{OrgUnitId, RoadId, RoadsidePartyId, SegmentId, UserId};
use crate::role::Role;

mod place;
use chrono::{DateTime, NaiveDate, Utc};
pub use place::{candidates, km_at, KmAt, RoadsideCandidate, MAX_CANDIDATES};
use serde::{Deserialize, Serialize};

/// Who reads the register in their scope: the road station and the county admin, who keep it, and
/// the enforcement team, who deal with the violations it names.
pub fn may_read(role: Role) -> bool {
    role.can_manage_roads() || role == Role::Enforcement
}

/// Who registers, changes and imports parties: the road station in its township, the county admin.
pub fn may_edit(role: Role) -> bool {
    role.can_manage_roads()
}

/// Who names the party responsible for a road issue: the road station and the enforcement team,
/// the two who act on violations.
pub fn may_name(role: Role) -> bool {
    matches!(role, Role::RoadStation | Role::Enforcement)
}

/// Who holds a plot along the road (the three the article names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum PartyKind {
    /// 农户
    Household,
    /// 果库
    FruitStore,
    /// 企业
    Enterprise,
}

crate::wire_name::wire_names!(PartyKind, &PartyKind::ALL);

impl PartyKind {
    /// Every kind, in the order shown.
    pub const ALL: [PartyKind; 3] = [Self::Household, Self::FruitStore, Self::Enterprise];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Household => "household",
            Self::FruitStore => "fruit_store",
            Self::Enterprise => "enterprise",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Household => "农户",
            Self::FruitStore => "果库",
            Self::Enterprise => "企业",
        }
    }

    /// Reads a kind as a village's register writes it (blank: a household).
    pub fn from_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|k| k.label_zh() == s || k.as_str() == s).or(match s {
            "" | "户" | "村民" | "住户" => Some(Self::Household),
            "冷库" | "果品库" | "果库(冷库)" => Some(Self::FruitStore),
            "公司" | "厂" | "工厂" | "商户" | "单位" => Some(Self::Enterprise),
            _ => None,
        })
    }
}

/// Which side of the road a plot lies on, in the direction the kilometres count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum RoadSide {
    /// 左侧
    Left,
    /// 右侧
    Right,
    /// 两侧
    Both,
}

crate::wire_name::wire_names!(RoadSide, &RoadSide::ALL);

impl RoadSide {
    /// Every side.
    pub const ALL: [RoadSide; 3] = [Self::Left, Self::Right, Self::Both];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Right => "right",
            Self::Both => "both",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Left => "左侧",
            Self::Right => "右侧",
            Self::Both => "两侧",
        }
    }

    /// Reads a side as written (左, 左侧, 路左, L …; blank: both).
    pub fn from_label(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "左" | "左侧" | "路左" | "左边" | "l" | "left" => Some(Self::Left),
            "右" | "右侧" | "路右" | "右边" | "r" | "right" => Some(Self::Right),
            "" | "两侧" | "两边" | "双侧" | "both" => Some(Self::Both),
            _ => None,
        }
    }
}

/// A registered party along a road.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadsideParty {
    /// Id.
    pub id: RoadsidePartyId,
    /// The segment the plot lies on.
    pub segment_id: SegmentId,
    /// The segment's road.
    pub road_id: RoadId,
    /// The road's code (X321), for display and the file.
    pub road_code: String,
    /// The segment's township.
    pub township_id: OrgUnitId,
    /// The village (村) whose committee signed the agreement.
    pub village: String,
    /// 农户, 果库 or 企业.
    pub kind: PartyKind,
    /// 户主, or the store's or business's name.
    pub holder: String,
    /// How to reach the holder (may be blank).
    pub phone: String,
    /// Where the plot's frontage starts, km of the road.
    pub from_km: f64,
    /// Where it ends (equal to `from_km` for a single gate).
    pub to_km: f64,
    /// Which side.
    pub side: RoadSide,
    /// When the 门前三包 agreement was signed; none: not yet.
    pub agreement_on: Option<NaiveDate>,
    /// Anything else the register notes.
    pub note: String,
    /// Still on the register (a party who moved away is kept, inactive, for old issues).
    pub active: bool,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/roadside-parties` and `PUT /api/v1/roadside-parties/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveRoadsideParty {
    /// The segment the plot lies on.
    pub segment_id: SegmentId,
    /// The village, 1 to 50 characters.
    pub village: String,
    /// The kind.
    pub kind: PartyKind,
    /// 户主 or the name, 1 to 50 characters.
    pub holder: String,
    /// Phone: blank, or 7 to 20 of digits, spaces, `-` and a leading `+`.
    #[serde(default)]
    pub phone: String,
    /// From km, within the segment.
    pub from_km: f64,
    /// To km, within the segment, not below `from_km`.
    pub to_km: f64,
    /// Side (default both).
    #[serde(default = "both")]
    pub side: RoadSide,
    /// Agreement signed on (not after today); none: not signed.
    #[serde(default)]
    pub agreement_on: Option<NaiveDate>,
    /// Note, at most 500 characters.
    #[serde(default)]
    pub note: String,
    /// Still on the register (default true).
    #[serde(default = "yes")]
    pub active: bool,
}

fn both() -> RoadSide {
    RoadSide::Both
}

fn yes() -> bool {
    true
}

/// Longest village or holder name.
pub const MAX_NAME: usize = 50;
/// Longest note.
pub const MAX_NOTE: usize = 500;

/// Checks a phone number as written in a register: blank, or 7 to 20 characters of digits,
/// spaces and `-`, with an optional leading `+`, holding at least 7 digits.
pub fn phone_error(phone: &str) -> Option<String> {
    let p = phone.trim();
    if p.is_empty() {
        return None;
    }
    let body = p.strip_prefix('+').unwrap_or(p);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let n = p.chars().count();
    let ok = (7..=20).contains(&n) && digits >= 7 && body.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    (!ok).then(|| format!("'{p}' is not a phone number (7 to 20 digits, spaces or -)"))
}

/// A name field: trimmed, 1 to [`MAX_NAME`] characters.
fn name_error(value: &str) -> Option<String> {
    let n = value.trim().chars().count();
    (n == 0 || n > MAX_NAME).then(|| format!("1 to {MAX_NAME} characters"))
}

impl SaveRoadsideParty {
    /// Checks the fields that need no database but the segment's range and today's date: the first
    /// field in error with why.
    pub fn validate(&self, segment: (f64, f64), today: NaiveDate) -> Result<(), (&'static str, String)> {
        if let Some(e) = name_error(&self.village) {
            return Err(("village", e));
        }
        if let Some(e) = name_error(&self.holder) {
            return Err(("holder", e));
        }
        if let Some(e) = phone_error(&self.phone) {
            return Err(("phone", e));
        }
        if let Some((field, e)) = plot_error(self.from_km, self.to_km, segment) {
            return Err((field, e));
        }
        if self.agreement_on.is_some_and(|d| d > today) {
            return Err(("agreement_on", format!("after today ({today})")));
        }
        if self.note.chars().count() > MAX_NOTE {
            return Err(("note", format!("at most {MAX_NOTE} characters")));
        }
        Ok(())
    }
}

/// Whether a plot's km range lies within its segment's: the field in error and why.
pub fn plot_error(from_km: f64, to_km: f64, (seg_from, seg_to): (f64, f64)) -> Option<(&'static str, String)> {
    const EPS: f64 = 1e-9;
    if !from_km.is_finite() || from_km < seg_from - EPS || from_km > seg_to + EPS {
        return Some(("from_km", format!("the segment runs from {seg_from} to {seg_to} km")));
    }
    if !to_km.is_finite() || to_km < from_km || to_km > seg_to + EPS {
        return Some(("to_km", format!("from {from_km} to {seg_to} km")));
    }
    None
}

/// Body of `PUT /api/v1/road-issues/{id}/responsible`: the party responsible, or none to clear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NameResponsible {
    /// A party on the register along the issue's road in its township; null clears the name.
    pub party_id: Option<RoadsidePartyId>,
}

/// Who is named responsible for a road issue, by whom and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Responsible {
    /// The party.
    pub party: RoadsideParty,
    /// Who named it.
    pub named_by: Option<UserId>,
    /// Their name, for display.
    pub named_by_name: String,
    /// When.
    pub named_at: DateTime<Utc>,
}

/// The roadside register's counts for a township's or the county's overview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadsideSummary {
    /// Active parties registered.
    pub parties: u32,
    /// Of them, with the agreement signed.
    pub signed: u32,
    /// Of them, with no phone.
    pub no_phone: u32,
}

impl RoadsideSummary {
    /// Counts the active parties of a list.
    pub fn of(parties: &[RoadsideParty]) -> Self {
        let active = parties.iter().filter(|p| p.active);
        let mut s = RoadsideSummary::default();
        for p in active {
            s.parties += 1;
            s.signed += u32::from(p.agreement_on.is_some());
            s.no_phone += u32::from(p.phone.trim().is_empty());
        }
        s
    }
}

#[cfg(test)]
pub(crate) mod tests;
