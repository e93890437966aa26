//! What a person fills in to take an action on a hazard (or road issue), and the action it makes:
//! the phone's hazard page and the office's action card use the same rules for which inputs an
//! action needs.

use super::types::{ActionKind, HazardAction, ReferralTarget};
use super::wire::ActOnHazard;
use crate::checklist::Severity;
use crate::ids::PhotoRef;
use chrono::{DateTime, Utc};

/// The inputs of an action form.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionInputs {
    /// Photos taken for it.
    pub evidence: Vec<PhotoRef>,
    /// The deadline picked (end of the chosen day).
    pub deadline: Option<DateTime<Utc>>,
    /// A reason or an outcome, in words.
    pub words: String,
    /// Who a referral goes to.
    pub to: ReferralTarget,
    /// The severity for a reclassification.
    pub severity: Severity,
}

impl ActOnHazard {
    /// Checks the parts of an action request that need no database (hazards and road issues): where
    /// the actor was, and the note's length.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if let Some(loc) = &self.location {
            loc.validate().map_err(|e| ("location", e.to_string()))?;
        }
        if self.note.chars().count() > crate::text::MAX_FREE_TEXT {
            return Err(("note", format!("at most {} characters", crate::text::MAX_FREE_TEXT)));
        }
        Ok(())
    }
}

impl ActionInputs {
    /// Inputs with nothing filled in yet.
    pub fn new(to: ReferralTarget, severity: Severity) -> Self {
        ActionInputs { evidence: Vec::new(), deadline: None, words: String::new(), to, severity }
    }
}

/// What a form still lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// A deadline.
    Deadline,
    /// A reason or outcome in words.
    Words,
    /// Nothing a person can give: the action is the scheduler's.
    NotByHand,
}

impl ActionKind {
    /// Whether its form asks for a deadline.
    pub fn needs_deadline(self) -> bool {
        matches!(self, Self::OrderRectification | Self::RecheckFail | Self::BrigadeSendBack)
    }

    /// Whether its form asks for a reason or an outcome.
    pub fn needs_words(self) -> bool {
        matches!(self, Self::ReturnReferral | Self::RecordOutcome | Self::BrigadeSendBack)
    }

    /// Whether its form takes evidence photos (the state machine says whether one is required).
    pub fn takes_photos(self) -> bool {
        matches!(self, Self::FixOnSpot | Self::ReportRectified | Self::RecheckPass)
    }

    /// The action a filled-in form makes, or what it lacks (a deadline is asked before words).
    pub fn with(self, inputs: ActionInputs) -> Result<HazardAction, Missing> {
        let ActionInputs { evidence, deadline, words, to, severity } = inputs;
        let words = words.trim().to_owned();
        let due = match (self.needs_deadline(), deadline) {
            (true, None) => return Err(Missing::Deadline),
            (_, d) => d.unwrap_or_default(),
        };
        if self.needs_words() && words.is_empty() {
            return Err(Missing::Words);
        }
        Ok(match self {
            Self::FixOnSpot => HazardAction::FixOnSpot { evidence },
            Self::ReportRectified => HazardAction::ReportRectified { evidence },
            Self::RecheckPass => HazardAction::RecheckPass { evidence },
            Self::OrderRectification => HazardAction::OrderRectification { deadline: due },
            Self::RecheckFail => HazardAction::RecheckFail { new_deadline: due },
            Self::BrigadeSendBack => HazardAction::BrigadeSendBack { reason: words, new_deadline: due },
            Self::ReturnReferral => HazardAction::ReturnReferral { reason: words },
            Self::RecordOutcome => HazardAction::RecordOutcome { outcome: words },
            Self::Refer => HazardAction::Refer { to },
            Self::Reclassify => HazardAction::Reclassify { severity },
            Self::File => HazardAction::File,
            Self::Close => HazardAction::Close,
            Self::AcceptReferral => HazardAction::AcceptReferral,
            Self::BrigadeAccept => HazardAction::BrigadeAccept,
            Self::MarkOverdue => return Err(Missing::NotByHand),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn inputs() -> ActionInputs {
        ActionInputs::new(ReferralTarget::FireBrigade, Severity::Major)
    }

    #[test]
    fn an_action_request_is_checked_for_its_place_and_note() {
        let act = |note: String, lat: f64| ActOnHazard {
            action: HazardAction::Close,
            expected_version: 1,
            device_time: None,
            location: Some(crate::premise::GeoPoint { lat, lon: 120.0, accuracy_m: None }),
            note,
        };
        assert_eq!(act("好".repeat(2000), 30.0).validate(), Ok(()));
        assert_eq!(act("好".repeat(2001), 30.0).validate().unwrap_err().0, "note");
        assert_eq!(act(String::new(), 91.0).validate().unwrap_err().0, "location");
    }

    #[test]
    fn a_form_makes_its_action_or_says_what_it_lacks() {
        let due = Utc.with_ymd_and_hms(2026, 5, 8, 15, 59, 59).unwrap();
        assert_eq!(ActionKind::OrderRectification.with(inputs()), Err(Missing::Deadline));
        let dated = ActionInputs { deadline: Some(due), ..inputs() };
        assert_eq!(
            ActionKind::OrderRectification.with(dated.clone()),
            Ok(HazardAction::OrderRectification { deadline: due })
        );
        assert_eq!(ActionKind::BrigadeSendBack.with(inputs()), Err(Missing::Deadline), "the deadline is asked first");
        assert_eq!(ActionKind::BrigadeSendBack.with(dated.clone()), Err(Missing::Words));
        let sent_back = ActionInputs { words: "  补充照片 ".into(), ..dated };
        assert_eq!(
            ActionKind::BrigadeSendBack.with(sent_back),
            Ok(HazardAction::BrigadeSendBack { reason: "补充照片".into(), new_deadline: due })
        );
        assert_eq!(
            ActionKind::ReturnReferral.with(ActionInputs { words: " ".into(), ..inputs() }),
            Err(Missing::Words)
        );
        assert_eq!(ActionKind::Refer.with(inputs()), Ok(HazardAction::Refer { to: ReferralTarget::FireBrigade }));
        assert_eq!(ActionKind::Reclassify.with(inputs()), Ok(HazardAction::Reclassify { severity: Severity::Major }));
        let photo = PhotoRef::try_from("ab".repeat(32)).unwrap();
        let with_photo = ActionInputs { evidence: vec![photo.clone()], ..inputs() };
        assert_eq!(ActionKind::RecheckPass.with(with_photo), Ok(HazardAction::RecheckPass { evidence: vec![photo] }));
        assert_eq!(ActionKind::MarkOverdue.with(inputs()), Err(Missing::NotByHand));
    }

    #[test]
    fn every_kind_a_person_takes_is_made_by_its_form_as_that_kind() {
        let due = Utc.with_ymd_and_hms(2026, 5, 8, 15, 59, 59).unwrap();
        let full = ActionInputs { deadline: Some(due), words: "原因".into(), ..inputs() };
        for kind in ActionKind::ALL.iter().copied().filter(|k| *k != ActionKind::MarkOverdue) {
            assert_eq!(kind.with(full.clone()).map(|a| a.kind()), Ok(kind));
        }
    }
}
