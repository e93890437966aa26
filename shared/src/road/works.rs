//! Works in the road area (涉路施工: 埋管、栽杆、开路、修渠) under 先报备、再批复、后实施: filed with
//! the township road station before approval, approved or refused, then reported done. A patrol
//! finding of works nobody filed (未报备施工) can be linked to the filing made afterwards.

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
    /// 批复 with conditions (e.g. 恢复路面, 设置警示标志).
    Approve { conditions: String },
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

/// Who may file and decide works: the township road station and the county transport bureau.
pub fn may_manage_works(role: Role) -> bool {
    matches!(role, Role::RoadStation | Role::CountyAdmin)
}

/// The status after `action`: 先报备 (requested) → 再批复 (approved or refused) → 后实施 (done).
pub fn works_next(status: WorksStatus, action: &WorksAction, role: Role) -> Result<WorksStatus, WorksRefusal> {
    if !may_manage_works(role) {
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

    #[test]
    fn file_first_then_approve_then_build() {
        let approve = WorksAction::Approve { conditions: "施工后恢复路面".into() };
        assert_eq!(works_next(WorksStatus::Requested, &approve, Role::RoadStation), Ok(WorksStatus::Approved));
        assert_eq!(works_next(WorksStatus::Approved, &WorksAction::Complete, Role::RoadStation), Ok(WorksStatus::Done));
        // Works cannot be reported done before approval, nor decided twice.
        assert_eq!(
            works_next(WorksStatus::Requested, &WorksAction::Complete, Role::RoadStation),
            Err(WorksRefusal::TransitionNotAllowed)
        );
        assert_eq!(
            works_next(WorksStatus::Refused, &approve, Role::CountyAdmin),
            Err(WorksRefusal::TransitionNotAllowed)
        );
        assert_eq!(works_next(WorksStatus::Done, &approve, Role::RoadStation), Err(WorksRefusal::TransitionNotAllowed));
    }

    #[test]
    fn refusal_needs_a_reason_and_the_right_role() {
        let empty = WorksAction::Refuse { reason: "  ".into() };
        assert_eq!(works_next(WorksStatus::Requested, &empty, Role::RoadStation), Err(WorksRefusal::ReasonRequired));
        let why = WorksAction::Refuse { reason: "影响排水".into() };
        assert_eq!(works_next(WorksStatus::Requested, &why, Role::RoadStation), Ok(WorksStatus::Refused));
        for role in [Role::PatrolWorker, Role::GridWorker, Role::TownshipOffice, Role::Enforcement, Role::FireBrigade] {
            assert_eq!(works_next(WorksStatus::Requested, &why, role), Err(WorksRefusal::RoleNotAllowed));
        }
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
