//! The hazard's states, actions, actors and refusals.

use crate::checklist::Severity;
use crate::ids::PhotoRef;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a hazard stands in the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum HazardStatus {
    /// 已登记: found, not yet handled.
    Registered,
    /// 当场改正: fixed during the visit; waiting to be closed.
    FixedOnSpot,
    /// 限期整改: a deadline was ordered; the office has not filed it yet.
    RectificationOrdered,
    /// 已备案: filed with the township office, waiting for rectification.
    Filed,
    /// 已整改: rectification reported; waiting for the re-check (复查).
    Rectified,
    /// 限时督办: the deadline passed; supervised by the township office.
    Supervised,
    /// 已移交: referred to the enforcement team or the fire brigade.
    Referred,
    /// 已受理: the receiver accepted the referral and is enforcing.
    ReferralAccepted,
    /// 查处完毕: the receiver recorded the enforcement outcome; waiting for the re-check.
    EnforcementConcluded,
    /// 已退回: the receiver returned the referral; the office decides.
    Returned,
    /// 待消防大队审核: a major hazard ready to close, waiting for the fire brigade.
    AwaitingBrigadeReview,
    /// 已销号: closed.
    Closed,
}

crate::wire_name::wire_names!(HazardStatus, &HazardStatus::ALL);

impl HazardStatus {
    /// Every status.
    pub const ALL: [HazardStatus; 12] = [
        Self::Registered,
        Self::FixedOnSpot,
        Self::RectificationOrdered,
        Self::Filed,
        Self::Rectified,
        Self::Supervised,
        Self::Referred,
        Self::ReferralAccepted,
        Self::EnforcementConcluded,
        Self::Returned,
        Self::AwaitingBrigadeReview,
        Self::Closed,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::FixedOnSpot => "fixed_on_spot",
            Self::RectificationOrdered => "rectification_ordered",
            Self::Filed => "filed",
            Self::Rectified => "rectified",
            Self::Supervised => "supervised",
            Self::Referred => "referred",
            Self::ReferralAccepted => "referral_accepted",
            Self::EnforcementConcluded => "enforcement_concluded",
            Self::Returned => "returned",
            Self::AwaitingBrigadeReview => "awaiting_brigade_review",
            Self::Closed => "closed",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The Chinese name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Registered => "已登记",
            Self::FixedOnSpot => "当场改正",
            Self::RectificationOrdered => "限期整改",
            Self::Filed => "已备案",
            Self::Rectified => "已整改待复查",
            Self::Supervised => "限时督办",
            Self::Referred => "已移交",
            Self::ReferralAccepted => "已受理",
            Self::EnforcementConcluded => "查处完毕待复查",
            Self::Returned => "已退回",
            Self::AwaitingBrigadeReview => "待消防大队审核",
            Self::Closed => "已销号",
        }
    }

    /// Whether a deadline runs in this status (so it can become overdue).
    pub fn has_running_deadline(self) -> bool {
        matches!(self, Self::RectificationOrdered | Self::Filed)
    }
}

/// Who receives a referral (移交).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum ReferralTarget {
    /// 乡镇综合行政执法队
    Enforcement,
    /// 县消防救援大队 (the higher supervising authority)
    FireBrigade,
    /// 县公安局交警大队: road issues only (第八条); the fire procedure refuses it.
    TrafficPolice,
}

impl ReferralTarget {
    /// Every receiver.
    pub const ALL: [ReferralTarget; 3] = [Self::Enforcement, Self::FireBrigade, Self::TrafficPolice];

    /// The receiver whose queue `role` works, if any.
    pub fn of_role(role: Role) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.role() == role)
    }

    /// For a receiving-only role (`Role::receives_only`), the receiver whose records it is granted:
    /// the ones referred to it, and those its role has worked on. None for every other role.
    pub fn grant_of(role: Role) -> Option<Self> {
        Self::of_role(role).filter(|_| role.receives_only())
    }

    /// The role that works this receiver's queue.
    pub fn role(self) -> Role {
        match self {
            Self::Enforcement => Role::Enforcement,
            Self::FireBrigade => Role::FireBrigade,
            Self::TrafficPolice => Role::TrafficPolice,
        }
    }

    /// Whether fire hazards may be referred to it (the fire procedure, 5号/4号).
    pub fn takes_hazards(self) -> bool {
        matches!(self, Self::Enforcement | Self::FireBrigade)
    }

    /// Whether road issues may be referred to it (2号 第八条: parking and traffic order to the
    /// traffic police; violations to the enforcement team).
    pub fn takes_road_issues(self) -> bool {
        matches!(self, Self::Enforcement | Self::TrafficPolice)
    }

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enforcement => "enforcement",
            Self::FireBrigade => "fire_brigade",
            Self::TrafficPolice => "traffic_police",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The part of a hazard the state machine decides on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HazardState {
    /// Where it stands.
    pub status: HazardStatus,
    /// 一般 or 重大.
    pub severity: Severity,
    /// The running rectification or supervision deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// The receiver, while referred, accepted or concluded.
    pub referred_to: Option<ReferralTarget>,
    /// Whether the fire brigade accepted it (a major hazard closes only with this).
    pub brigade_accepted: bool,
}

impl HazardState {
    /// A newly registered hazard.
    pub fn registered(severity: Severity) -> Self {
        HazardState {
            status: HazardStatus::Registered,
            severity,
            deadline: None,
            referred_to: None,
            brigade_accepted: false,
        }
    }

    /// Whether it is overdue (超期) at `now`: under supervision (its deadline passed and the office
    /// took it over), or a running deadline has passed and the scheduler has not got to it yet. A
    /// hazard reported rectified is not: its deadline no longer runs.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status == HazardStatus::Supervised
            || (self.status.has_running_deadline() && self.deadline.is_some_and(|d| d < now))
    }
}

/// Something a person (or the scheduler) does to a hazard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum HazardAction {
    /// 当场改正, with photos of the fixed state.
    FixOnSpot { evidence: Vec<PhotoRef> },
    /// 限期整改 with a deadline.
    OrderRectification { deadline: DateTime<Utc> },
    /// 备案 with the township office.
    File,
    /// The responsible person fixed it; reported with photos.
    ReportRectified { evidence: Vec<PhotoRef> },
    /// 复查合格.
    RecheckPass { evidence: Vec<PhotoRef> },
    /// 复查不合格: a new deadline.
    RecheckFail { new_deadline: DateTime<Utc> },
    /// 销号 (after a fix on the spot, or after a returned referral).
    Close,
    /// The deadline passed: into time-limited supervision. Only the scheduler does this.
    MarkOverdue,
    /// 移交 to a receiver.
    Refer { to: ReferralTarget },
    /// The receiver accepts the referral.
    AcceptReferral,
    /// The receiver returns it, with a reason.
    ReturnReferral { reason: String },
    /// The receiver records the enforcement outcome (处罚决定, 责令停产停业, …).
    RecordOutcome { outcome: String },
    /// The fire brigade accepts a major hazard as eliminated.
    BrigadeAccept,
    /// The fire brigade sends it back with a reason and a new deadline.
    BrigadeSendBack { reason: String, new_deadline: DateTime<Utc> },
    /// Change the severity (raise: office or brigade; lower a major one: brigade only).
    Reclassify { severity: Severity },
}

/// The kinds of action, for permission tables and menus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    FixOnSpot,
    OrderRectification,
    File,
    ReportRectified,
    RecheckPass,
    RecheckFail,
    Close,
    MarkOverdue,
    Refer,
    AcceptReferral,
    ReturnReferral,
    RecordOutcome,
    BrigadeAccept,
    BrigadeSendBack,
    Reclassify,
}

impl ActionKind {
    /// Every kind.
    pub const ALL: [ActionKind; 15] = [
        Self::FixOnSpot,
        Self::OrderRectification,
        Self::File,
        Self::ReportRectified,
        Self::RecheckPass,
        Self::RecheckFail,
        Self::Close,
        Self::MarkOverdue,
        Self::Refer,
        Self::AcceptReferral,
        Self::ReturnReferral,
        Self::RecordOutcome,
        Self::BrigadeAccept,
        Self::BrigadeSendBack,
        Self::Reclassify,
    ];

    /// The button text on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::FixOnSpot => "当场改正",
            Self::OrderRectification => "责令限期整改",
            Self::File => "备案",
            Self::ReportRectified => "报告已整改",
            Self::RecheckPass => "复查合格",
            Self::RecheckFail => "复查不合格",
            Self::Close => "销号",
            Self::MarkOverdue => "逾期督办",
            Self::Refer => "移交",
            Self::AcceptReferral => "受理",
            Self::ReturnReferral => "退回",
            Self::RecordOutcome => "登记查处结果",
            Self::BrigadeAccept => "审核通过",
            Self::BrigadeSendBack => "审核退回",
            Self::Reclassify => "调整隐患等级",
        }
    }
}

impl HazardAction {
    /// The kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::FixOnSpot { .. } => ActionKind::FixOnSpot,
            Self::OrderRectification { .. } => ActionKind::OrderRectification,
            Self::File => ActionKind::File,
            Self::ReportRectified { .. } => ActionKind::ReportRectified,
            Self::RecheckPass { .. } => ActionKind::RecheckPass,
            Self::RecheckFail { .. } => ActionKind::RecheckFail,
            Self::Close => ActionKind::Close,
            Self::MarkOverdue => ActionKind::MarkOverdue,
            Self::Refer { .. } => ActionKind::Refer,
            Self::AcceptReferral => ActionKind::AcceptReferral,
            Self::ReturnReferral { .. } => ActionKind::ReturnReferral,
            Self::RecordOutcome { .. } => ActionKind::RecordOutcome,
            Self::BrigadeAccept => ActionKind::BrigadeAccept,
            Self::BrigadeSendBack { .. } => ActionKind::BrigadeSendBack,
            Self::Reclassify { .. } => ActionKind::Reclassify,
        }
    }
}

/// Who acts: a user with a role, or the server's scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in user (scope is checked by the server, not here).
    User(Role),
    /// The deadline scheduler.
    System,
}

/// Why an action was refused. Each maps to a stable error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The action does not apply in the hazard's current status.
    TransitionNotAllowed,
    /// The actor's role may not take this action.
    RoleNotAllowed,
    /// The referral is with the other receiver.
    NotTheReceiver,
    /// The deadline has not passed (mark_overdue), or a new deadline is not in the future / too far.
    InvalidDeadline,
    /// Photos of the fixed state are required.
    EvidenceRequired,
    /// A reason or outcome text is required.
    ReasonRequired,
    /// The severity is already that.
    NoChange,
}

/// Who should hear about a transition (the server resolves roles to users in the hazard's township).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A referral arrived in the receiver's queue.
    NewReferral,
    /// A referral came back to the office.
    ReferralReturned,
    /// The deadline passed; now under supervision.
    Overdue,
    /// The deadline is close (sent by the scheduler, not by a transition).
    DeadlineSoon,
    /// A major hazard needs the fire brigade's review.
    MajorForReview,
    /// The fire brigade sent a hazard back.
    SentBack,
    /// A major hazard was registered (information reporting upward).
    MajorRegistered,
    /// A patrol worker reported a road finding (to the township road station).
    NewFinding,
}
