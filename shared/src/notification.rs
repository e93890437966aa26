//! In-app notifications: new referral, returned referral, deadline soon, overdue, and so on.

use crate::hazard::NoticeKind;
use crate::ids::{HazardId, NotificationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A notification as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// Id.
    pub id: NotificationId,
    /// What happened.
    pub kind: NoticeKind,
    /// The hazard concerned.
    pub hazard_id: Option<HazardId>,
    /// The road issue concerned.
    #[serde(default)]
    pub road_issue_id: Option<crate::ids::RoadIssueId>,
    /// The text shown (Chinese).
    pub message: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the user read it.
    pub read_at: Option<DateTime<Utc>>,
}

impl NoticeKind {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewReferral => "new_referral",
            Self::ReferralReturned => "referral_returned",
            Self::Overdue => "overdue",
            Self::DeadlineSoon => "deadline_soon",
            Self::MajorForReview => "major_for_review",
            Self::SentBack => "sent_back",
            Self::MajorRegistered => "major_registered",
            Self::NewFinding => "new_finding",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::NewReferral,
            Self::ReferralReturned,
            Self::Overdue,
            Self::DeadlineSoon,
            Self::MajorForReview,
            Self::SentBack,
            Self::MajorRegistered,
            Self::NewFinding,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The message shown, about a premise.
    pub fn message_zh(self, premise: &str) -> String {
        match self {
            Self::NewReferral => format!("新移交：{premise}的隐患待受理"),
            Self::ReferralReturned => format!("移交被退回：{premise}的隐患"),
            Self::Overdue => format!("已逾期，转入限时督办：{premise}的隐患"),
            Self::DeadlineSoon => format!("整改期限将到：{premise}的隐患"),
            Self::MajorForReview => format!("重大隐患待审核销号：{premise}"),
            Self::SentBack => format!("消防救援大队审核退回：{premise}的隐患"),
            Self::MajorRegistered => format!("新登记重大火灾隐患：{premise}"),
            Self::NewFinding => format!("新的巡查发现待处理：{premise}"),
        }
    }
}
