//! An inspection being filled in. Saved to IndexedDB as the worker types (one draft per
//! premise), so a dead battery, a call or an app update loses nothing; turned into the
//! `SubmitInspection` of the sync protocol on submit.

use crate::local::{deadline_ok, policy};
use crate::util::end_of_day;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xunjian_shared::checklist::{failed_items, validate_answers, Template};
use xunjian_shared::checklist::{AnswerKind, ChecklistItem};
use xunjian_shared::hazard::Refusal;
use xunjian_shared::inspection::{Answer, AnswerValue, FixedOnSpot, ItemDeadline, SubmitInspection};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::{InspectionId, PhotoRef, PremiseId, Role, TemplateId};

/// How a failed item is handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handling {
    pub item_id: String,
    /// 当场改正 (true) or 限期整改 (false).
    pub on_spot: bool,
    /// Photos of the fixed state (on the spot).
    #[serde(default)]
    pub evidence: Vec<PhotoRef>,
    /// Rectify by (`2026-05-11`), when not fixed on the spot.
    #[serde(default)]
    pub deadline: String,
}

/// The draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: InspectionId,
    pub premise_id: PremiseId,
    pub template_id: TemplateId,
    pub started_at: DateTime<Utc>,
    /// Answers given so far, in template order when submitted.
    pub answers: Vec<Answer>,
    pub handling: Vec<Handling>,
    pub location: Option<GeoPoint>,
    pub notes: String,
}

/// One change the worker makes. Applied to the latest draft, not to the copy a screen rendered
/// from: a photo still being processed must not undo the answers given meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Value(String, AnswerValue),
    Note(String, String),
    Photo(String, PhotoRef),
    OnSpot(String, bool),
    Evidence(String, PhotoRef),
    Deadline(String, String),
    Notes(String),
    Location(GeoPoint),
    /// 其余全部合格: these yes/no items (unanswered when the worker tapped it) answered passing.
    PassAll(Vec<String>),
    /// Its undo: these items' answers taken back, where they are still the passing answer the
    /// control gave (an item the worker changed since keeps the worker's answer).
    Unpass(Vec<String>),
}

/// What keeps a draft from being submitted, by item.
#[derive(Clone, Debug, PartialEq)]
pub enum Blocker {
    /// The shared validation (not answered, wrong kind, photo missing on failure).
    Answer { item_id: String },
    /// A failed item needs 当场改正 with a photo, or a deadline.
    Handling { item_id: String, refusal: Option<Refusal> },
}

impl Draft {
    pub fn new(premise_id: PremiseId, template_id: TemplateId, now: DateTime<Utc>) -> Draft {
        Draft {
            id: InspectionId::new(),
            premise_id,
            template_id,
            started_at: now,
            answers: Vec::new(),
            handling: Vec::new(),
            location: None,
            notes: String::new(),
        }
    }

    /// The storage key: one draft per premise.
    pub fn key(premise_id: &str) -> String {
        format!("inspection:{premise_id}")
    }

    /// Applies one change; `items` gives the defaults of a failed item's handling.
    pub fn apply(&mut self, edit: Edit, items: &[ChecklistItem], now: DateTime<Utc>) {
        let answer = |d: &mut Draft, id: &str| -> usize {
            if let Some(i) = d.answers.iter().position(|a| a.item_id == id) {
                return i;
            }
            let photo_item = items.iter().any(|i| i.id == id && matches!(i.answer, AnswerKind::Photo));
            let value = if photo_item { AnswerValue::Photo } else { AnswerValue::NotApplicable };
            d.answers.push(Answer { item_id: id.to_owned(), value, note: None, photos: Vec::new() });
            d.answers.len() - 1
        };
        let handling = |d: &mut Draft, id: &str| -> usize {
            if let Some(i) = d.handling.iter().position(|h| h.item_id == id) {
                return i;
            }
            let item = items.iter().find(|i| i.id == id);
            let (fixable, severity) =
                item.map_or((false, xunjian_shared::checklist::Severity::General), |i| (i.fixable_on_spot, i.severity));
            d.handling.push(Draft::default_handling(id, fixable, severity, now));
            d.handling.len() - 1
        };
        match edit {
            Edit::Value(id, v) => {
                let i = answer(self, &id);
                self.answers[i].value = v;
            }
            Edit::Note(id, n) => {
                let i = answer(self, &id);
                self.answers[i].note = (!n.is_empty()).then_some(n);
            }
            Edit::Photo(id, p) => {
                let i = answer(self, &id);
                if !self.answers[i].photos.contains(&p) {
                    self.answers[i].photos.push(p);
                }
            }
            Edit::OnSpot(id, on) => {
                let i = handling(self, &id);
                self.handling[i].on_spot = on;
            }
            Edit::Evidence(id, p) => {
                let i = handling(self, &id);
                if !self.handling[i].evidence.contains(&p) {
                    self.handling[i].evidence.push(p);
                }
            }
            Edit::Deadline(id, d) => {
                let i = handling(self, &id);
                self.handling[i].deadline = d;
            }
            Edit::Notes(n) => self.notes = n,
            Edit::Location(p) => self.location = Some(p),
            Edit::PassAll(ids) => {
                let new: Vec<Answer> = items
                    .iter()
                    .filter(|i| ids.contains(&i.id) && self.answer(&i.id).is_none())
                    .filter_map(|i| {
                        let value = pass_value(i)?;
                        Some(Answer { item_id: i.id.clone(), value, note: None, photos: Vec::new() })
                    })
                    .collect();
                self.answers.extend(new);
            }
            Edit::Unpass(ids) => {
                let untouched = |a: &Answer| {
                    let item = items.iter().find(|i| i.id == a.item_id);
                    ids.contains(&a.item_id)
                        && item.and_then(pass_value).as_ref() == Some(&a.value)
                        && a.note.is_none()
                        && a.photos.is_empty()
                };
                self.answers.retain(|a| !untouched(a));
            }
        }
    }

    /// The yes/no items not answered yet, in checklist order: what 其余全部合格 answers.
    pub fn unanswered_yes_no(&self, items: &[ChecklistItem]) -> Vec<String> {
        items.iter().filter(|i| pass_value(i).is_some() && self.answer(&i.id).is_none()).map(|i| i.id.clone()).collect()
    }

    /// The first item, in checklist order, that still needs an answer (an optional one never does).
    pub fn first_unanswered<'i>(&self, items: &'i [ChecklistItem]) -> Option<&'i ChecklistItem> {
        items.iter().find(|i| !i.optional && self.answer(&i.id).is_none())
    }

    pub fn answer(&self, item_id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.item_id == item_id)
    }

    pub fn handling(&self, item_id: &str) -> Option<&Handling> {
        self.handling.iter().find(|h| h.item_id == item_id)
    }

    /// The default handling of a failed item: on the spot when the checklist says it usually can
    /// be, else the county's default deadline.
    pub fn default_handling(
        item_id: &str,
        fixable: bool,
        severity: xunjian_shared::checklist::Severity,
        now: DateTime<Utc>,
    ) -> Handling {
        Handling {
            item_id: item_id.to_owned(),
            on_spot: fixable,
            evidence: Vec::new(),
            deadline: crate::util::date(policy().default_deadline(severity, now)),
        }
    }

    /// The submission, or everything that still blocks it.
    pub fn submission(
        &self,
        template: &Template,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<SubmitInspection, Vec<Blocker>> {
        // Template order, whatever order the worker answered in.
        let answers: Vec<Answer> = template.content.items.iter().filter_map(|i| self.answer(&i.id).cloned()).collect();
        let mut blockers: Vec<Blocker> = match validate_answers(&template.content, &answers) {
            Ok(()) => Vec::new(),
            Err(problems) => problems.into_iter().map(|p| Blocker::Answer { item_id: p.item_id }).collect(),
        };
        let mut fixed = Vec::new();
        let mut deadlines = Vec::new();
        for (item, _) in failed_items(&template.content, &answers) {
            let h = self
                .handling(&item.id)
                .cloned()
                .unwrap_or_else(|| Draft::default_handling(&item.id, item.fixable_on_spot, item.severity, now));
            if h.on_spot {
                if h.evidence.is_empty() {
                    blockers
                        .push(Blocker::Handling { item_id: item.id.clone(), refusal: Some(Refusal::EvidenceRequired) });
                } else {
                    fixed.push(FixedOnSpot { item_id: item.id.clone(), evidence: h.evidence.clone(), note: None });
                }
            } else {
                match end_of_day(&h.deadline).map(|d| (d, deadline_ok(d, role, now))) {
                    Some((deadline, Ok(()))) => deadlines.push(ItemDeadline { item_id: item.id.clone(), deadline }),
                    Some((_, Err(refusal))) => {
                        blockers.push(Blocker::Handling { item_id: item.id.clone(), refusal: Some(refusal) })
                    }
                    None => blockers.push(Blocker::Handling { item_id: item.id.clone(), refusal: None }),
                }
            }
        }
        if !blockers.is_empty() {
            return Err(blockers);
        }
        Ok(SubmitInspection {
            id: self.id,
            premise_id: self.premise_id,
            template_id: self.template_id,
            started_at: self.started_at,
            finished_at: now,
            location: self.location,
            answers,
            notes: self.notes.trim().to_owned(),
            corrects: None,
            fixed_on_spot: fixed,
            deadlines,
        })
    }
}

/// A yes/no item's passing answer; none for the other kinds.
fn pass_value(item: &ChecklistItem) -> Option<AnswerValue> {
    match item.answer {
        AnswerKind::YesNo { pass_when: true } => Some(AnswerValue::Yes),
        AnswerKind::YesNo { pass_when: false } => Some(AnswerValue::No),
        _ => None,
    }
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
