//! Checking an inspection's answers against its template, and finding what failed.

use super::{AnswerKind, ChecklistItem, TemplateContent};
use crate::inspection::{Answer, AnswerValue};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why a set of answers does not fit its template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerProblem {
    /// The item concerned.
    pub item_id: String,
    /// What is wrong, in English (the client shows its own words by `item_id`).
    pub problem: String,
}

fn problem(item_id: &str, text: &str) -> AnswerProblem {
    AnswerProblem { item_id: item_id.to_owned(), problem: text.to_owned() }
}

/// Whether an answer fails its item (the item's rule; not-applicable never fails).
pub fn item_fails(item: &ChecklistItem, answer: &Answer) -> bool {
    match (&item.answer, &answer.value) {
        (_, AnswerValue::NotApplicable) => false,
        (AnswerKind::YesNo { pass_when }, AnswerValue::Yes) => !*pass_when,
        (AnswerKind::YesNo { pass_when }, AnswerValue::No) => *pass_when,
        (AnswerKind::Number { min_ok, max_ok, .. }, AnswerValue::Number(n)) => {
            min_ok.is_some_and(|lo| *n < lo) || max_ok.is_some_and(|hi| *n > hi)
        }
        (AnswerKind::Photo, AnswerValue::Photo) => answer.photos.is_empty(),
        _ => false,
    }
}

fn kind_fits(kind: &AnswerKind, value: &AnswerValue) -> bool {
    matches!(
        (kind, value),
        (AnswerKind::YesNo { .. }, AnswerValue::Yes | AnswerValue::No)
            | (AnswerKind::Number { .. }, AnswerValue::Number(_))
            | (AnswerKind::Text, AnswerValue::Text(_))
            | (AnswerKind::Photo, AnswerValue::Photo)
    )
}

/// Checks that every item is answered once, with the right kind of value, and that failures that
/// need a photo have one. Returns every problem, not just the first, so the form can mark them all.
pub fn validate_answers(template: &TemplateContent, answers: &[Answer]) -> Result<(), Vec<AnswerProblem>> {
    let items: HashMap<&str, &ChecklistItem> = template.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for a in answers {
        *seen.entry(a.item_id.as_str()).or_default() += 1;
        let Some(item) = items.get(a.item_id.as_str()) else {
            problems.push(problem(&a.item_id, "no such item in this template version"));
            continue;
        };
        match &a.value {
            AnswerValue::NotApplicable if !item.allow_not_applicable => {
                problems.push(problem(&a.item_id, "not-applicable is not allowed for this item"))
            }
            AnswerValue::NotApplicable => {}
            AnswerValue::Number(n) if !n.is_finite() => problems.push(problem(&a.item_id, "number is not finite")),
            v if !kind_fits(&item.answer, v) => problems.push(problem(&a.item_id, "wrong kind of answer")),
            _ => {}
        }
        if item.photo_required_on_fail && item_fails(item, a) && a.photos.is_empty() {
            problems.push(problem(&a.item_id, "a photo is required when this item fails"));
        }
    }
    for item in &template.items {
        match seen.get(item.id.as_str()) {
            None => problems.push(problem(&item.id, "not answered")),
            Some(n) if *n > 1 => problems.push(problem(&item.id, "answered more than once")),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The items whose answers fail and make a hazard, in template order.
pub fn failed_items<'t>(template: &'t TemplateContent, answers: &[Answer]) -> Vec<(&'t ChecklistItem, Answer)> {
    template
        .items
        .iter()
        .filter(|i| i.makes_hazard)
        .filter_map(|i| answers.iter().find(|a| a.item_id == i.id).filter(|a| item_fails(i, a)).map(|a| (i, a.clone())))
        .collect()
}
