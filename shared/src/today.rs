//! The "today" screen: what a worker or office should do now.

use crate::hazard::Hazard;
use crate::premise::Premise;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A premise due for its periodic inspection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuePremise {
    /// The premise.
    pub premise: Premise,
    /// When it was last inspected (never: none).
    pub last_inspected_at: Option<DateTime<Utc>>,
}

/// Answer of `GET /api/v1/today`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Today {
    /// How many premises in scope are due this period.
    pub premises_due_total: i64,
    /// The due premises, longest uninspected first (at most 200).
    pub premises_due: Vec<DuePremise>,
    /// Open hazards the caller can act on now, earliest deadline first (at most 200): re-checks,
    /// overdue ones under supervision, filings, returned and incoming referrals, reviews.
    pub hazards: Vec<Hazard>,
    /// Unread notifications.
    pub unread_notifications: i64,
}
