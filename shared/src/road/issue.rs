//! Road issues: a patrol finding (第六、七条) carried through the same procedure as a fire hazard —
//! registered, resolved by the township road station itself or referred to the township
//! enforcement team, re-checked, closed. The hazard state machine is reused as it is: road roles
//! stand in for the fire roles they correspond to, and the steps that exist only for fire hazards
//! (the fire brigade, severity) are refused.
//!
//! | road role              | acts as (hazard machine) |
//! |------------------------|--------------------------|
//! | 管护员 patrol_worker   | grid_worker              |
//! | 乡镇交管站 road_station | township_office          |
//! | 综合行政执法队 enforcement | enforcement           |

use crate::checklist::Severity;
use crate::hazard::{
    allowed_actions, transition, ActionKind, Actor, DeadlinePolicy, HazardAction, HazardEvent, HazardState,
    HazardStatus, NoticeKind, Refusal, Transition,
};
use crate::ids::{PatrolId, PhotoRef, RoadId, RoadIssueId, SegmentId, UserId, WorksId};
use crate::premise::GeoPoint;
use crate::road::roadside::{Responsible, RoadsideCandidate};
use crate::role::Role;
use crate::text::MAX_FREE_TEXT;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a patrol worker found on the road (第六条's list of what is forbidden in the road area).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum FindingCategory {
    /// 坑槽/路面损坏
    PavementDamage,
    /// 垃圾
    Rubbish,
    /// 打场晒粮
    GrainDrying,
    /// 堆放物品/柴草粪堆
    Piling,
    /// 排放污水
    Sewage,
    /// 乱搭乱建
    IllegalBuilding,
    /// 摆摊设点
    Stalls,
    /// 违停车辆
    IllegalParking,
    /// 挖掘/侵占边沟
    DitchDigging,
    /// 安保设施损坏
    SafetyFacilities,
    /// 未报备施工 (埋管、栽杆、开路、修渠 without filing first)
    UnfiledWorks,
    /// 其他
    Other,
}

crate::wire_name::wire_names!(FindingCategory, &FindingCategory::ALL);

impl FindingCategory {
    /// Every category, in the order shown.
    pub const ALL: [FindingCategory; 12] = [
        Self::PavementDamage,
        Self::Rubbish,
        Self::GrainDrying,
        Self::Piling,
        Self::Sewage,
        Self::IllegalBuilding,
        Self::Stalls,
        Self::IllegalParking,
        Self::DitchDigging,
        Self::SafetyFacilities,
        Self::UnfiledWorks,
        Self::Other,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PavementDamage => "pavement_damage",
            Self::Rubbish => "rubbish",
            Self::GrainDrying => "grain_drying",
            Self::Piling => "piling",
            Self::Sewage => "sewage",
            Self::IllegalBuilding => "illegal_building",
            Self::Stalls => "stalls",
            Self::IllegalParking => "illegal_parking",
            Self::DitchDigging => "ditch_digging",
            Self::SafetyFacilities => "safety_facilities",
            Self::UnfiledWorks => "unfiled_works",
            Self::Other => "other",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::PavementDamage => "坑槽/路面损坏",
            Self::Rubbish => "垃圾",
            Self::GrainDrying => "打场晒粮",
            Self::Piling => "堆放物品/柴草粪堆",
            Self::Sewage => "排放污水",
            Self::IllegalBuilding => "乱搭乱建",
            Self::Stalls => "摆摊设点",
            Self::IllegalParking => "违停车辆",
            Self::DitchDigging => "挖掘/侵占边沟",
            Self::SafetyFacilities => "安保设施损坏",
            Self::UnfiledWorks => "未报备施工",
            Self::Other => "其他",
        }
    }

    /// Whether it is a violation by someone (usually referred to enforcement) rather than damage
    /// the road station repairs itself.
    pub fn is_violation(self) -> bool {
        !matches!(self, Self::PavementDamage | Self::SafetyFacilities | Self::Other)
    }
}

/// A finding recorded during a patrol (sent inside the patrol; each becomes a road issue).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoadFinding {
    /// Id made on the phone: the road issue's id.
    pub id: RoadIssueId,
    /// The segment it is on (one of the patrol's).
    pub segment_id: SegmentId,
    /// What kind.
    pub category: FindingCategory,
    /// What is wrong, in words.
    pub description: String,
    /// Where (GPS at the time).
    pub location: GeoPoint,
    /// Photos.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    /// Device clock when found.
    pub found_at: DateTime<Utc>,
}

impl RoadFinding {
    /// Checks the parts that need no database.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let n = self.description.trim().chars().count();
        if n == 0 || n > MAX_FREE_TEXT {
            return Err(("description", format!("1 to {MAX_FREE_TEXT} characters")));
        }
        self.location.validate().map_err(|e| ("location", e.to_string()))?;
        if self.photos.len() > 9 {
            return Err(("photos", "at most 9 photos".into()));
        }
        Ok(())
    }
}

/// The hazard-machine actor a road role acts as; none for roles with no part in road issues.
pub fn road_actor(role: Role) -> Option<Actor> {
    match role {
        Role::PatrolWorker => Some(Actor::User(Role::GridWorker)),
        Role::RoadStation => Some(Actor::User(Role::TownshipOffice)),
        Role::Enforcement => Some(Actor::User(Role::Enforcement)),
        Role::TrafficPolice => Some(Actor::User(Role::TrafficPolice)),
        _ => None,
    }
}

/// The road role that receives a notice addressed by the hazard machine to a fire role.
pub fn road_recipient(role: Role) -> Option<Role> {
    match role {
        Role::GridWorker => Some(Role::PatrolWorker),
        Role::TownshipOffice => Some(Role::RoadStation),
        Role::Enforcement => Some(Role::Enforcement),
        Role::TrafficPolice => Some(Role::TrafficPolice),
        _ => None,
    }
}

/// The steps of the hazard procedure that road issues do not have: the fire brigade's review and
/// severity (road findings are all handled in the township).
fn road_kind(kind: ActionKind) -> bool {
    !matches!(kind, ActionKind::BrigadeAccept | ActionKind::BrigadeSendBack | ActionKind::Reclassify)
}

/// The actions `role` can take on a road issue now.
pub fn allowed_road_actions(state: &HazardState, role: Role, now: DateTime<Utc>) -> Vec<ActionKind> {
    let Some(actor) = road_actor(role) else { return Vec::new() };
    allowed_actions(state, actor, now).into_iter().filter(|k| road_kind(*k)).collect()
}

/// Applies an action to a road issue: the hazard machine with road roles, referrals to the
/// enforcement team or the traffic police (第八条) only, and notices addressed to road roles.
pub fn apply_road(
    state: &HazardState,
    action: &HazardAction,
    actor: Actor,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<Transition, Refusal> {
    let machine_actor = match actor {
        Actor::User(role) => road_actor(role).ok_or(Refusal::RoleNotAllowed)?,
        Actor::System => Actor::System,
    };
    if !road_kind(action.kind()) {
        return Err(Refusal::RoleNotAllowed);
    }
    if let HazardAction::Refer { to } = action {
        if !to.takes_road_issues() {
            return Err(Refusal::NotTheReceiver);
        }
    }
    let t = transition(state, action, machine_actor, now, policy)?;
    let notices = t.notices.into_iter().filter_map(|(r, k)| road_recipient(r).map(|r| (r, k))).collect();
    Ok(Transition { state: t.state, notices })
}

/// A new road issue's state: registered, general (road issues have no severity of their own).
pub fn registered() -> HazardState {
    HazardState::registered(Severity::General)
}

/// The message of a notice about a road issue at `place`, e.g. "新移交：X321 3.2 公里处的路面问题待受理".
pub fn notice_message(kind: NoticeKind, place: &str) -> String {
    match kind {
        NoticeKind::NewReferral => format!("新移交：{place}的路面问题待受理"),
        NoticeKind::ReferralReturned => format!("移交被退回：{place}的路面问题"),
        NoticeKind::Overdue => format!("已逾期，转入限时督办：{place}的路面问题"),
        NoticeKind::DeadlineSoon => format!("整改期限将到：{place}的路面问题"),
        NoticeKind::NewFinding => format!("新的巡查发现待处理：{place}"),
        NoticeKind::MajorForReview | NoticeKind::SentBack | NoticeKind::MajorRegistered => {
            format!("{place}的路面问题有新进展")
        }
    }
}

/// A road issue as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadIssue {
    /// Id (the finding's).
    pub id: RoadIssueId,
    /// The patrol that found it (none when registered by the station).
    pub patrol_id: Option<PatrolId>,
    /// The road.
    pub road_id: RoadId,
    /// The segment.
    pub segment_id: SegmentId,
    /// What kind.
    pub category: FindingCategory,
    /// What is wrong.
    pub description: String,
    /// Where.
    pub location: GeoPoint,
    /// Photos when found.
    pub photos: Vec<PhotoRef>,
    /// The works filing it concerns (unfiled or beyond what was approved).
    pub works_id: Option<WorksId>,
    /// Who found it.
    pub registered_by: Option<UserId>,
    /// The state the hazard machine decides on (severity is always general).
    #[serde(flatten)]
    pub state: HazardState,
    /// Raised by every transition; send it back as `expected_version`.
    pub version: i64,
    /// When found (device time).
    pub found_at: DateTime<Utc>,
    /// When registered (server time).
    pub created_at: DateTime<Utc>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
}

/// A road issue with where it is, its timeline and what the caller may do now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadIssueDetail {
    /// The issue.
    pub issue: RoadIssue,
    /// "X321 临猗—孙吉 3.0–8.0 km", for display.
    pub place: String,
    /// Every transition, oldest first (same shape as a hazard's).
    pub timeline: Vec<HazardEvent>,
    /// What the caller can do now.
    pub allowed_actions: Vec<ActionKind>,
    /// The party named responsible (第七条), when one is.
    pub responsible: Option<Responsible>,
    /// The parties along the road in the township the caller may name, nearest first: for the road
    /// station and the enforcement team, on a violation not yet closed; empty otherwise.
    pub candidates: Vec<RoadsideCandidate>,
}

/// A page of road issues with the total and counts per status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadIssuePage {
    /// This page.
    pub items: Vec<RoadIssue>,
    /// All matching.
    pub total: i64,
    /// Matching issues per status.
    pub by_status: Vec<(HazardStatus, i64)>,
}

#[cfg(test)]
#[path = "issue_tests.rs"]
mod tests;
