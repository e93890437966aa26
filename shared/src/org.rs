//! The county tree: county → township (乡镇) → village/community (行政村/社区) → grid (网格).
//! Every user is bound to one unit and sees only its subtree.

use crate::ids::OrgUnitId;
use serde::{Deserialize, Serialize};

/// The level of an org unit in the county tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum OrgLevel {
    /// 县
    County,
    /// 乡镇
    Township,
    /// 行政村 / 社区
    Village,
    /// 网格
    Grid,
}

crate::wire_name::wire_names!(OrgLevel, &OrgLevel::ALL);

impl OrgLevel {
    /// Every level, root first.
    pub const ALL: [OrgLevel; 4] = [Self::County, Self::Township, Self::Village, Self::Grid];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::County => "county",
            Self::Township => "township",
            Self::Village => "village",
            Self::Grid => "grid",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The Chinese name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::County => "县",
            Self::Township => "乡镇",
            Self::Village => "行政村/社区",
            Self::Grid => "网格",
        }
    }

    /// The level of a unit created under a unit of this level; grids have no children.
    pub fn child(self) -> Option<Self> {
        match self {
            Self::County => Some(Self::Township),
            Self::Township => Some(Self::Village),
            Self::Village => Some(Self::Grid),
            Self::Grid => None,
        }
    }
}

/// Longest unit code accepted.
pub const MAX_CODE_LEN: usize = 32;
/// Longest unit name accepted, in characters.
pub const MAX_NAME_LEN: usize = 64;

/// Checks a unit code: 1–32 ASCII letters, digits or `-`/`_` (e.g. the statistical division code).
pub fn validate_code(code: &str) -> Result<(), String> {
    if code.is_empty() || code.len() > MAX_CODE_LEN {
        return Err(format!("code must have 1 to {MAX_CODE_LEN} characters"));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("code may contain only ASCII letters, digits, '-' and '_'".into());
    }
    Ok(())
}

/// Checks a display name: not blank, at most 64 characters, no control characters.
pub fn validate_name(field: &str, name: &str) -> Result<(), String> {
    let n = name.trim().chars().count();
    if n == 0 || n > MAX_NAME_LEN {
        return Err(format!("{field} must have 1 to {MAX_NAME_LEN} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{field} must not contain control characters"));
    }
    Ok(())
}

/// The materialised path of a unit: its ancestors' ids and its own, each followed by `/`,
/// starting with `/`. A unit is inside a scope when its path starts with the scope's path.
pub fn child_path(parent_path: Option<&str>, id: OrgUnitId) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// Whether the unit at `path` lies in the subtree rooted at the unit whose path is `scope_path`.
pub fn is_within(scope_path: &str, path: &str) -> bool {
    scope_path.ends_with('/') && path.starts_with(scope_path)
}

/// An org unit as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnit {
    /// Id.
    pub id: OrgUnitId,
    /// Unique code, e.g. the statistical division code.
    pub code: String,
    /// Chinese name, e.g. 猗氏镇.
    pub name: String,
    /// Level in the tree.
    pub level: OrgLevel,
    /// Parent unit; none for the county.
    pub parent_id: Option<OrgUnitId>,
    /// Whether the unit is in use; inactive units keep their history.
    pub active: bool,
}

/// Body of `POST /api/v1/org-units`: a new unit one level below its parent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOrgUnit {
    /// Id made by the client (UUIDv7); the server makes one when absent.
    #[serde(default)]
    pub id: Option<OrgUnitId>,
    /// Unique code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// Parent unit; the new unit's level is the level below it.
    pub parent_id: OrgUnitId,
}

/// Body of `PATCH /api/v1/org-units/{id}`: fields to change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrgUnit {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New code.
    #[serde(default)]
    pub code: Option<String>,
    /// Activate or deactivate.
    #[serde(default)]
    pub active: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn levels_descend_county_to_grid() {
        assert_eq!(OrgLevel::County.child(), Some(OrgLevel::Township));
        assert_eq!(OrgLevel::Township.child(), Some(OrgLevel::Village));
        assert_eq!(OrgLevel::Village.child(), Some(OrgLevel::Grid));
        assert_eq!(OrgLevel::Grid.child(), None);
        for l in OrgLevel::ALL {
            assert_eq!(OrgLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(OrgLevel::parse("province"), None);
    }

    #[test]
    fn codes_and_names_are_checked() {
        assert!(validate_code("140821100").is_ok());
        assert!(validate_code("").is_err());
        assert!(validate_code("猗氏").is_err());
        assert!(validate_code(&"1".repeat(33)).is_err());
        assert!(validate_name("name", "猗氏镇").is_ok());
        assert!(validate_name("name", "   ").is_err());
        assert!(validate_name("name", "a\u{0}b").is_err());
        assert!(validate_name("name", &"镇".repeat(65)).is_err());
    }

    #[test]
    fn subtree_membership_follows_paths() {
        let (c, t1, t2, v) = (OrgUnitId::new(), OrgUnitId::new(), OrgUnitId::new(), OrgUnitId::new());
        let county = child_path(None, c);
        let town1 = child_path(Some(&county), t1);
        let town2 = child_path(Some(&county), t2);
        let village = child_path(Some(&town1), v);
        assert!(is_within(&county, &village));
        assert!(is_within(&town1, &village));
        assert!(is_within(&town1, &town1));
        assert!(!is_within(&town2, &village));
        assert!(!is_within(&village, &town1));
        // A path without the trailing separator must never act as a prefix of a sibling.
        assert!(!is_within(town1.trim_end_matches('/'), &village));
    }

    proptest! {
        #[test]
        fn a_unit_is_within_every_ancestor_and_no_sibling(depth in 1usize..5, sibling_at in 0usize..4) {
            let ids: Vec<OrgUnitId> = (0..depth).map(|_| OrgUnitId::new()).collect();
            let mut paths: Vec<String> = Vec::new();
            for id in &ids {
                let p = child_path(paths.last().map(String::as_str), *id);
                paths.push(p);
            }
            let leaf = paths.last().unwrap();
            for p in &paths {
                prop_assert!(is_within(p, leaf));
            }
            let at = sibling_at.min(depth - 1);
            let parent = if at == 0 { None } else { Some(paths[at - 1].as_str()) };
            let sibling = child_path(parent, OrgUnitId::new());
            prop_assert!(!is_within(&sibling, leaf));
        }
    }
}
