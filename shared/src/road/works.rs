//! Works in the road area (涉路施工: 埋管、栽杆、开路、修渠) under 先报备、再批复、后实施 (第五条): filed
//! with the authority of the road's level before approval — 国省道 with 公路段, 县道 with the county
//! transport bureau's enforcement team, 乡村道 with the township — approved (with the 行政审批局's
//! approval number) or refused by that authority, then reported done. A patrol finding of works nobody
//! filed (未报备施工) can be linked to the filing made afterwards.

use super::{ResponsibleUnit, RoadLevel};
use crate::ids::{OrgUnitId, RoadIssueId, SegmentId, UserId, WorksId};
use crate::premise::GeoPoint;
use crate::role::Role;
use crate::text::{MAX_FREE_TEXT, MAX_SHORT_TEXT};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What kind of works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorksKind {
    /// 埋管
    Pipe,
    /// 栽杆
    Pole,
    /// 开路 (a new access cut into the road)
    Opening,
    /// 修渠
    Channel,
    /// 其他
    Other,
}

impl WorksKind {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pipe => "pipe",
            Self::Pole => "pole",
            Self::Opening => "opening",
            Self::Channel => "channel",
            Self::Other => "other",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pipe, Self::Pole, Self::Opening, Self::Channel, Self::Other].into_iter().find(|k| k.as_str() == s)
    }

    /// The name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pipe => "埋管",
            Self::Pole => "栽杆",
            Self::Opening => "开路",
            Self::Channel => "修渠",
            Self::Other => "其他",
        }
    }
}

/// Where a filing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorksStatus {
    /// 已报备, waiting for the decision.
    Requested,
    /// 已批复: may go ahead.
    Approved,
    /// 不予批准.
    Refused,
    /// 已完工 (after approval only).
    Done,
}

impl WorksStatus {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::Done => "done",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Requested, Self::Approved, Self::Refused, Self::Done].into_iter().find(|k| k.as_str() == s)
    }

    /// The name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Requested => "已报备待批复",
            Self::Approved => "已批复",
            Self::Refused => "不予批准",
            Self::Done => "已完工",
        }
    }
}

/// A step in a filing's life.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorksAction {
    /// 批复 with conditions (e.g. 恢复路面, 设置警示标志) and the 行政审批局's approval number
    /// (第五条: 必须经行政审批局申请批复后方可实施), 1 to 200 characters.
    Approve {
        conditions: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        approval_ref: String,
    },
    /// Refuse, with the reason.
    Refuse { reason: String },
    /// Report the works finished (and the road restored).
    Complete,
}

/// Why a works step is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorksRefusal {
    /// Only the road station (or the county) decides and records filings.
    RoleNotAllowed,
    /// The filing's status does not allow the step.
    TransitionNotAllowed,
    /// A refusal needs its reason.
    ReasonRequired,
}

impl From<WorksRefusal> for crate::ErrorCode {
    fn from(r: WorksRefusal) -> Self {
        match r {
            WorksRefusal::RoleNotAllowed => Self::RoleNotAllowed,
            WorksRefusal::TransitionNotAllowed => Self::TransitionNotAllowed,
            WorksRefusal::ReasonRequired => Self::ReasonRequired,
        }
    }
}

/// Who may record filings: the township road station and the county transport bureau.
pub fn may_manage_works(role: Role) -> bool {
    matches!(role, Role::RoadStation | Role::CountyAdmin)
}

/// Where works on a road of `level` are filed (第五条): 国省道报备公路段、县道报备县交通运输局执法队、
/// 乡村两级道路报备乡镇政府.
pub fn filed_with(level: RoadLevel) -> ResponsibleUnit {
    match level {
        RoadLevel::National | RoadLevel::Provincial => ResponsibleUnit::HighwaySection,
        RoadLevel::County => ResponsibleUnit::TransportBureau,
        RoadLevel::Township | RoadLevel::Village => ResponsibleUnit::Township,
    }
}

/// Who decides a filing made with `authority`: the township's filings its road station (for the
/// 乡镇政府) or the county; the transport bureau's the county; the 公路段's the county, which records
/// the 公路段's reply (公路段 has no account here).
pub fn may_decide_works(role: Role, authority: ResponsibleUnit) -> bool {
    match authority {
        ResponsibleUnit::Township | ResponsibleUnit::VillageCommittee => may_manage_works(role),
        ResponsibleUnit::TransportBureau | ResponsibleUnit::HighwaySection => role == Role::CountyAdmin,
    }
}

impl WorksAction {
    /// Checks the parts that need no database: an approval names its approval number.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if let WorksAction::Approve { approval_ref, conditions } = self {
            let n = approval_ref.trim().chars().count();
            if n == 0 || n > MAX_SHORT_TEXT {
                return Err((
                    "approval_ref",
                    format!("the 行政审批局's approval number, 1 to {MAX_SHORT_TEXT} characters"),
                ));
            }
            if conditions.trim().chars().count() > MAX_FREE_TEXT {
                return Err(("conditions", format!("at most {MAX_FREE_TEXT} characters")));
            }
        }
        Ok(())
    }
}

/// The status after `action` on a filing made with `authority`: 先报备 (requested) → 再批复
/// (approved or refused, by the authority) → 后实施 (done).
pub fn works_next(
    status: WorksStatus,
    action: &WorksAction,
    role: Role,
    authority: ResponsibleUnit,
) -> Result<WorksStatus, WorksRefusal> {
    let deciding = matches!(action, WorksAction::Approve { .. } | WorksAction::Refuse { .. });
    if !may_manage_works(role) || (deciding && !may_decide_works(role, authority)) {
        return Err(WorksRefusal::RoleNotAllowed);
    }
    match (status, action) {
        (WorksStatus::Requested, WorksAction::Approve { .. }) => Ok(WorksStatus::Approved),
        (WorksStatus::Requested, WorksAction::Refuse { reason }) if reason.trim().is_empty() => {
            Err(WorksRefusal::ReasonRequired)
        }
        (WorksStatus::Requested, WorksAction::Refuse { .. }) => Ok(WorksStatus::Refused),
        (WorksStatus::Approved, WorksAction::Complete) => Ok(WorksStatus::Done),
        _ => Err(WorksRefusal::TransitionNotAllowed),
    }
}

/// Body of `POST /api/v1/road-works`: a filing (报备) made by or for the applicant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FileWorks {
    /// Id made by the client.
    #[serde(default)]
    pub id: Option<WorksId>,
    /// The segment the works touch.
    pub segment_id: SegmentId,
    /// What kind.
    pub kind: WorksKind,
    /// Who does the works (unit or person) and how to reach them.
    pub applicant: String,
    /// What, where, how big.
    pub description: String,
    /// Planned start.
    pub planned_from: NaiveDate,
    /// Planned end.
    pub planned_to: NaiveDate,
    /// Where, when known.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// A patrol finding of these works done unfiled (补报备), linked both ways.
    #[serde(default)]
    pub issue_id: Option<RoadIssueId>,
}

impl FileWorks {
    /// Checks the parts that need no database.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let applicant = self.applicant.trim().chars().count();
        if applicant == 0 || applicant > MAX_SHORT_TEXT {
            return Err(("applicant", format!("1 to {MAX_SHORT_TEXT} characters")));
        }
        let n = self.description.trim().chars().count();
        if n == 0 || n > MAX_FREE_TEXT {
            return Err(("description", format!("1 to {MAX_FREE_TEXT} characters")));
        }
        if self.planned_to < self.planned_from {
            return Err(("planned_to", "ends before it starts".into()));
        }
        if (self.planned_to - self.planned_from).num_days() > 366 {
            return Err(("planned_to", "at most a year of works per filing".into()));
        }
        if let Some(l) = &self.location {
            l.validate().map_err(|e| ("location", e.to_string()))?;
        }
        Ok(())
    }
}

/// A works filing as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Works {
    /// The filing as made.
    #[serde(flatten)]
    pub filed: FileWorks,
    /// The township (the segment's).
    pub township_id: OrgUnitId,
    /// Where it stands.
    pub status: WorksStatus,
    /// The approval's conditions or the refusal's reason.
    pub decision_note: String,
    /// Who filed it.
    pub filed_by: Option<UserId>,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When filed.
    pub created_at: DateTime<Utc>,
    /// When decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// When reported done.
    pub done_at: Option<DateTime<Utc>>,
    /// Where it is filed, by the road's level (第五条): `highway_section`, `transport_bureau` or
    /// `township`; who decides follows.
    pub filed_with: ResponsibleUnit,
    /// The 行政审批局's approval number, once approved.
    #[serde(default)]
    pub approval_ref: String,
    /// Raised by every step.
    pub version: i64,
}

/// Body of `POST /api/v1/road-works/{id}/actions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActOnWorks {
    /// The step.
    pub action: WorksAction,
    /// The version the actor saw.
    pub expected_version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOWN: ResponsibleUnit = ResponsibleUnit::Township;

    fn approve() -> WorksAction {
        WorksAction::Approve {
            conditions: "施工后恢复路面".into(), approval_ref: "临审批〔2026〕12号".into()
        }
    }

    #[test]
    fn file_first_then_approve_then_build() {
        let approve = approve();
        assert_eq!(works_next(WorksStatus::Requested, &approve, Role::RoadStation, TOWN), Ok(WorksStatus::Approved));
        let done = works_next(WorksStatus::Approved, &WorksAction::Complete, Role::RoadStation, TOWN);
        assert_eq!(done, Ok(WorksStatus::Done));
        // Works cannot be reported done before approval, nor decided twice.
        assert_eq!(
            works_next(WorksStatus::Requested, &WorksAction::Complete, Role::RoadStation, TOWN),
            Err(WorksRefusal::TransitionNotAllowed)
        );
        assert_eq!(
            works_next(WorksStatus::Refused, &approve, Role::CountyAdmin, TOWN),
            Err(WorksRefusal::TransitionNotAllowed)
        );
        let twice = works_next(WorksStatus::Done, &approve, Role::RoadStation, TOWN);
        assert_eq!(twice, Err(WorksRefusal::TransitionNotAllowed));
    }

    #[test]
    fn refusal_needs_a_reason_and_the_right_role() {
        let empty = WorksAction::Refuse { reason: "  ".into() };
        let r = works_next(WorksStatus::Requested, &empty, Role::RoadStation, TOWN);
        assert_eq!(r, Err(WorksRefusal::ReasonRequired));
        let why = WorksAction::Refuse { reason: "影响排水".into() };
        assert_eq!(works_next(WorksStatus::Requested, &why, Role::RoadStation, TOWN), Ok(WorksStatus::Refused));
        for role in [Role::PatrolWorker, Role::GridWorker, Role::TownshipOffice, Role::Enforcement, Role::FireBrigade] {
            assert_eq!(works_next(WorksStatus::Requested, &why, role, TOWN), Err(WorksRefusal::RoleNotAllowed));
        }
    }

    #[test]
    fn filings_go_to_the_authority_of_the_roads_level() {
        use RoadLevel as L;
        let at: Vec<_> = [L::National, L::Provincial, L::County, L::Township, L::Village].map(filed_with).to_vec();
        use ResponsibleUnit as U;
        assert_eq!(at, [U::HighwaySection, U::HighwaySection, U::TransportBureau, U::Township, U::Township]);
        // The station decides the township's filings only; the county every one (it records 公路段's).
        for authority in [U::TransportBureau, U::HighwaySection] {
            let r = works_next(WorksStatus::Requested, &approve(), Role::RoadStation, authority);
            assert_eq!(r, Err(WorksRefusal::RoleNotAllowed), "{authority:?}");
            let r = works_next(WorksStatus::Requested, &approve(), Role::CountyAdmin, authority);
            assert_eq!(r, Ok(WorksStatus::Approved));
        }
        // Reporting done is no decision: the station records it on any road of its township.
        let done = works_next(WorksStatus::Approved, &WorksAction::Complete, Role::RoadStation, U::TransportBureau);
        assert_eq!(done, Ok(WorksStatus::Done));
    }

    #[test]
    fn an_approval_names_its_approval_number() {
        assert!(approve().validate().is_ok());
        let bare = WorksAction::Approve { conditions: String::new(), approval_ref: "  ".into() };
        assert_eq!(bare.validate().unwrap_err().0, "approval_ref");
        let long = WorksAction::Approve { conditions: String::new(), approval_ref: "号".repeat(201) };
        assert_eq!(long.validate().unwrap_err().0, "approval_ref");
        assert!(WorksAction::Complete.validate().is_ok());
        let old = serde_json::from_str::<WorksAction>(r#"{"action":"approve","conditions":""}"#);
        assert!(old.is_err(), "an approval without its number is no approval");
    }

    #[test]
    fn a_filing_is_checked() {
        let mut f = FileWorks {
            id: None,
            segment_id: SegmentId::new(),
            kind: WorksKind::Pipe,
            applicant: "某村委会 138xxxx".into(),
            description: "横穿路面埋设排水管".into(),
            planned_from: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            planned_to: NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
            location: None,
            issue_id: None,
        };
        assert!(f.validate().is_ok());
        f.planned_to = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(f.validate().unwrap_err().0, "planned_to");
        f.planned_to = f.planned_from;
        f.applicant = " ".into();
        assert_eq!(f.validate().unwrap_err().0, "applicant");
        f.applicant = "字".repeat(200);
        assert!(f.validate().is_ok());
        f.applicant.push('字');
        assert_eq!(f.validate().unwrap_err(), ("applicant", "1 to 200 characters".to_owned()));
        f.applicant = "某村委会".into();
        f.description = "字".repeat(2000);
        assert!(f.validate().is_ok());
        f.description.push('字');
        assert_eq!(f.validate().unwrap_err(), ("description", "1 to 2000 characters".to_owned()));
        assert!(["pipe", "pole", "opening", "channel", "other"].iter().all(|k| WorksKind::parse(k).is_some()));
    }
}
