//! Inspections: a grid worker's answers to a checklist at one premise. Immutable once submitted;
//! a correction is a new inspection that references the one it corrects.

use crate::ids::{InspectionId, PhotoRef, PremiseId, TemplateId, UserId};
use crate::premise::GeoPoint;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The id of the hazard an inspection registers for a failed item. Derived (UUIDv5 of the
/// inspection id and the item id), so the phone knows it offline and a re-sent inspection can
/// never register the same hazard twice.
pub fn hazard_id_for(inspection: InspectionId, item_id: &str) -> crate::ids::HazardId {
    crate::ids::HazardId(uuid::Uuid::new_v5(&inspection.0, item_id.as_bytes()))
}

/// Deadline for one failed item, when the inspector sets one instead of the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemDeadline {
    /// The item.
    pub item_id: String,
    /// Rectify by.
    pub deadline: DateTime<Utc>,
}

/// The value of one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// 是
    Yes,
    /// 否
    No,
    /// 不适用
    NotApplicable,
    /// A number.
    Number(f64),
    /// Free text.
    Text(String),
    /// A photo item (the photos are in `Answer::photos`).
    Photo,
}

/// The answer to one checklist item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The item's stable id.
    pub item_id: String,
    /// The answer.
    pub value: AnswerValue,
    /// A remark by the inspector.
    #[serde(default)]
    pub note: Option<String>,
    /// Photos taken for this item.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
}

/// What the device sends when an inspection is submitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitInspection {
    /// Id made on the device (UUIDv7); submitting the same id twice is one inspection.
    pub id: InspectionId,
    /// The premise inspected.
    pub premise_id: PremiseId,
    /// The template version used (the one the device had).
    pub template_id: TemplateId,
    /// Device clock when the inspection started.
    pub started_at: DateTime<Utc>,
    /// Device clock when it was finished.
    pub finished_at: DateTime<Utc>,
    /// Where the inspector stood.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// One answer per item.
    pub answers: Vec<Answer>,
    /// General remarks.
    #[serde(default)]
    pub notes: String,
    /// The inspection this one corrects, if any.
    #[serde(default)]
    pub corrects: Option<InspectionId>,
    /// Failed items fixed on the spot during the visit, with evidence photos.
    #[serde(default)]
    pub fixed_on_spot: Vec<FixedOnSpot>,
    /// Deadlines for failed items not fixed on the spot (default: the county's policy).
    #[serde(default)]
    pub deadlines: Vec<ItemDeadline>,
}

/// A failed item that was fixed during the visit (当场改正), with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FixedOnSpot {
    /// The item fixed.
    pub item_id: String,
    /// Photos showing it fixed.
    pub evidence: Vec<PhotoRef>,
    /// What was done.
    #[serde(default)]
    pub note: Option<String>,
}

/// An inspection as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    /// The submitted content.
    #[serde(flatten)]
    pub submitted: SubmitInspection,
    /// Who inspected.
    pub inspector_id: UserId,
    /// Server time of receipt (the device's times are in `submitted`).
    pub received_at: DateTime<Utc>,
    /// Number of hazards it registered.
    pub hazard_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazard_ids_are_stable_per_inspection_and_item() {
        let i = InspectionId::new();
        assert_eq!(hazard_id_for(i, "ebike-indoor"), hazard_id_for(i, "ebike-indoor"));
        assert_ne!(hazard_id_for(i, "ebike-indoor"), hazard_id_for(i, "exits-clear"));
        assert_ne!(hazard_id_for(i, "ebike-indoor"), hazard_id_for(InspectionId::new(), "ebike-indoor"));
    }
}
