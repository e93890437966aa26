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

/// Whether a user may score a drawn segment of a check, or mark it not checkable: only an inspector
/// drawn for it (双随机, 第二十四条 — the draw picks who checks as well as what). Other county admins
/// read the check but do not score it.
pub fn may_score(inspectors: &[String], user: &UserId) -> bool {
    let me = user.to_string();
    inspectors.contains(&me)
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

/// Body of `PUT /api/v1/road-checks/{id}/not-checkable/{segment_id}`: the drawn inspector found the
/// segment not checkable (不具备检查条件: under works, flooded, closed), and says why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkNotCheckable {
    /// Why the segment cannot be checked (1 to 500 characters, not blank).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// Checks a not-checkable reason: written, at most 500 characters.
pub fn validate_reason(reason: &str) -> Result<(), String> {
    let n = reason.trim().chars().count();
    if n == 0 {
        Err("say why the segment cannot be checked".into())
    } else if reason.chars().count() > 500 {
        Err("at most 500 characters".into())
    } else {
        Ok(())
    }
}

/// A drawn segment marked not checkable: left out of its township's mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotCheckable {
    /// The segment.
    pub segment_id: SegmentId,
    /// Its township.
    pub township_id: OrgUnitId,
    /// Why.
    pub reason: String,
    /// The inspector.
    pub marked_by: Option<UserId>,
    /// Their name.
    pub marked_by_name: String,
    /// When marked.
    pub marked_at: DateTime<Utc>,
}

/// The townships of the draw whose station items are still to be scored, when the form has any: a
/// township all of whose drawn segments are marked not checkable is not scored at all and is not
/// waited for.
pub fn stations_unscored<'a>(
    form: &super::check_form::CheckForm,
    townships: &'a [(String, bool)],
    scored: &[String],
) -> Vec<&'a String> {
    if form.station_items.is_empty() {
        return vec![];
    }
    townships.iter().filter(|(t, not_checkable)| !not_checkable && !scored.contains(t)).map(|(t, _)| t).collect()
}

/// The drawn segments neither scored nor marked not checkable: publishing waits for them.
pub fn unsettled<'a>(drawn: &'a [String], scored: &[String], marked: &[String]) -> Vec<&'a String> {
    drawn.iter().filter(|d| !scored.contains(d) && !marked.contains(d)).collect()
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
    /// The drawn segments marked not checkable, in the order of the draw.
    #[serde(default)]
    pub not_checkable: Vec<NotCheckable>,
    /// The townships' scored station items (the check's form), by township name.
    #[serde(default)]
    pub station_scores: Vec<super::check_form::StationScoreCard>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_waits_for_every_drawn_segment() {
        let drawn: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let (scored, marked) = (vec!["a".to_string()], vec!["c".to_string()]);
        assert_eq!(unsettled(&drawn, &scored, &marked), [&drawn[1], &drawn[3]]);
        let all: Vec<String> = vec!["b".into(), "d".into()];
        assert!(unsettled(&drawn, &[scored, all].concat(), &marked).is_empty());
        assert!(unsettled(&[], &[], &[]).is_empty(), "a check that drew nothing publishes");
        assert!(validate_reason("施工封闭").is_ok());
        assert!(validate_reason("  ").is_err() && validate_reason("").is_err());
        assert!(validate_reason(&"路".repeat(500)).is_ok() && validate_reason(&"路".repeat(501)).is_err());
    }

    #[test]
    fn only_a_drawn_inspector_scores() {
        let (a, b, c) = (UserId::new(), UserId::new(), UserId::new());
        let drawn = [a.to_string(), b.to_string()];
        assert!(may_score(&drawn, &a) && may_score(&drawn, &b));
        assert!(!may_score(&drawn, &c), "a county admin not drawn");
        assert!(!may_score(&[], &a), "a check that drew nobody is scored by nobody");
    }

    #[test]
    fn the_draw_stays_with_the_county_until_published() {
        for role in Role::ALL {
            assert_eq!(may_see_check(role, false), role == Role::CountyAdmin, "{role:?} before publishing");
            assert_eq!(may_see_check(role, true), role != Role::PatrolWorker, "{role:?} after publishing");
        }
    }
}
