//! Who may see a county road check, and a check as read with its scoring forms.

use super::checklist::RoadCheck;
use super::patrol::Check;
use crate::ids::{OrgUnitId, SegmentId, UserId};
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether a role may see a check (its draw, scores and ranking). The county sees every check: it
/// draws and scores them. A patrol worker sees none, and everyone else only published ones: the
/// double-random draw must not reach the road before the inspectors do.
pub fn may_see_check(role: Role, published: bool) -> bool {
    match role {
        Role::CountyAdmin => true,
        Role::PatrolWorker => false,
        _ => published,
    }
}

/// One scored segment's form: the seven items as the inspector found them, so a township can see
/// where it lost points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentScoreCard {
    /// The segment.
    pub segment_id: SegmentId,
    /// Its township.
    pub township_id: OrgUnitId,
    /// The seven items, pass or fail.
    pub items: Vec<RoadCheck>,
    /// Share of items passed, 0–100.
    pub score: f64,
    /// The inspector.
    pub scored_by: Option<UserId>,
    /// Their name.
    pub scored_by_name: String,
    /// When scored.
    pub scored_at: DateTime<Utc>,
}

/// `GET /api/v1/road-checks/{id}`: the check with its scoring forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckDetail {
    /// The check and its draw.
    #[serde(flatten)]
    pub check: Check,
    /// The scored segments' forms, in the order of the draw.
    #[serde(default)]
    pub scores: Vec<SegmentScoreCard>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_stays_with_the_county_until_published() {
        for role in Role::ALL {
            assert_eq!(may_see_check(role, false), role == Role::CountyAdmin, "{role:?} before publishing");
            assert_eq!(may_see_check(role, true), role != Role::PatrolWorker, "{role:?} after publishing");
        }
    }
}
