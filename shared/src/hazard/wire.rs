//! The hazard records as the API carries them: a hazard, its timeline, its detail with the caller's
//! actions, the bodies that act on one or report one, a page of a list.

use super::types::{ActionKind, HazardAction, HazardState, HazardStatus};
use crate::ids::PhotoRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A hazard as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hazard {
    /// Id.
    pub id: crate::ids::HazardId,
    /// The premise it was found at.
    pub premise_id: crate::ids::PremiseId,
    /// The inspection that found it (none when reported otherwise, e.g. by the public).
    pub inspection_id: Option<crate::ids::InspectionId>,
    /// The checklist item that failed.
    pub item_id: Option<String>,
    /// Category for statistics.
    pub category: crate::checklist::HazardCategory,
    /// What is wrong, in words.
    pub description: String,
    /// Photos when registered.
    pub photos: Vec<PhotoRef>,
    /// The state the machine decides on.
    #[serde(flatten)]
    pub state: HazardState,
    /// Raised by every transition; send it back as `expected_version`.
    pub version: i64,
    /// When registered (server time).
    pub created_at: DateTime<Utc>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
}

/// One entry of a hazard's timeline (append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HazardEvent {
    /// The hazard version this entry produced (1 = registration).
    pub version: i64,
    /// `register`, or the action kind's name.
    pub action: String,
    /// Status before (none at registration).
    pub from_status: Option<HazardStatus>,
    /// Status after.
    pub to_status: HazardStatus,
    /// Who acted (none for the scheduler).
    pub actor_id: Option<crate::ids::UserId>,
    /// Their name, for the timeline.
    pub actor_name: Option<String>,
    /// Their role, or `system`.
    pub actor_role: String,
    /// Server time.
    pub at: DateTime<Utc>,
    /// Device time, when sent from the field.
    pub device_at: Option<DateTime<Utc>>,
    /// Where, when sent from the field.
    pub location: Option<crate::premise::GeoPoint>,
    /// Note.
    pub note: String,
    /// The action as sent (deadline, reason, photos…).
    pub payload: serde_json::Value,
}

/// A hazard's timeline on its own (a record of the sync pull, keyed by the hazard's id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HazardTimeline {
    /// The hazard.
    pub id: crate::ids::HazardId,
    /// Every transition, oldest first.
    pub events: Vec<HazardEvent>,
}

/// A hazard with its timeline and the actions the caller may take now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HazardDetail {
    /// The hazard.
    pub hazard: Hazard,
    /// Its premise's name and address, for display.
    pub premise_name: String,
    /// Address.
    pub premise_address: String,
    /// Every transition, oldest first.
    pub timeline: Vec<HazardEvent>,
    /// What the caller can do now (from the shared state machine).
    pub allowed_actions: Vec<ActionKind>,
}

/// Body of `POST /api/v1/hazards/{id}/actions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActOnHazard {
    /// What to do.
    pub action: HazardAction,
    /// The version the actor saw; a hazard changed meanwhile answers 409 `stale_version`.
    pub expected_version: i64,
    /// Device clock at the time of the action (from the field).
    #[serde(default)]
    pub device_time: Option<DateTime<Utc>>,
    /// Where the actor was.
    #[serde(default)]
    pub location: Option<crate::premise::GeoPoint>,
    /// A note for the timeline.
    #[serde(default)]
    pub note: String,
}

/// Body of `POST /api/v1/hazards`: a hazard reported outside an inspection (e.g. by the public,
/// verified by the grid worker).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterHazard {
    /// Id made on the device.
    #[serde(default)]
    pub id: Option<crate::ids::HazardId>,
    /// Where.
    pub premise_id: crate::ids::PremiseId,
    /// Category.
    pub category: crate::checklist::HazardCategory,
    /// Severity.
    pub severity: crate::checklist::Severity,
    /// What is wrong.
    pub description: String,
    /// Photos.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    /// Device time.
    #[serde(default)]
    pub device_time: Option<DateTime<Utc>>,
    /// Position.
    #[serde(default)]
    pub location: Option<crate::premise::GeoPoint>,
}

/// A page of hazards with the total and counts per status for the same filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HazardPage {
    /// This page.
    pub items: Vec<Hazard>,
    /// All matching hazards.
    pub total: i64,
    /// Matching hazards per status.
    pub by_status: Vec<(HazardStatus, i64)>,
}
