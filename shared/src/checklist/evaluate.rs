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

/// Checks that every item is answered once (an optional item at most once), with the right kind of
/// value, and that failures that need a photo have one. Returns every problem, not just the first, so the form can mark them all.
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
            None if item.optional => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::defaults::default_templates;
    use crate::ids::PhotoRef;

    /// Every item answered so that it passes (a photo where one is asked for), but `skip`.
    fn passing(template: &TemplateContent, skip: &str) -> Vec<Answer> {
        let photo = PhotoRef::try_from("ab".repeat(32)).unwrap();
        template
            .items
            .iter()
            .filter(|i| i.id != skip)
            .map(|i| {
                let (value, photos) = match &i.answer {
                    AnswerKind::YesNo { pass_when: true } => (AnswerValue::Yes, vec![]),
                    AnswerKind::YesNo { pass_when: false } => (AnswerValue::No, vec![]),
                    AnswerKind::Number { min_ok, .. } => (AnswerValue::Number(min_ok.unwrap_or(0.0)), vec![]),
                    AnswerKind::Text => (AnswerValue::Text("无".into()), vec![]),
                    AnswerKind::Photo => (AnswerValue::Photo, vec![photo.clone()]),
                };
                Answer { item_id: i.id.clone(), value, note: None, photos }
            })
            .collect()
    }

    #[test]
    fn a_hazard_is_described_by_its_finding_then_the_note() {
        let shop = default_templates().into_iter().next().unwrap();
        let mut item = shop.items.iter().find(|i| i.id == "private-wiring").unwrap().clone();
        let finding = item.finding_zh.clone().unwrap();
        assert_eq!(item.hazard_description(Some(" 收银台下插排 ")), format!("{finding}（收银台下插排）"));
        assert_eq!(item.hazard_description(Some("  ")), finding);
        // No finding written (or a blank one): the question stands in.
        item.finding_zh = Some(" ".into());
        assert_eq!(item.hazard_description(None), item.text_zh);
        item.finding_zh = None;
        assert_eq!(item.hazard_description(Some("插排")), format!("{}（插排）", item.text_zh));
    }

    #[test]
    fn an_optional_item_may_be_left_unanswered_a_required_one_not() {
        let mut shop = default_templates().into_iter().find(|t| t.items.iter().any(|i| i.id == "remarks")).unwrap();
        assert_eq!(validate_answers(&shop, &passing(&shop, "")), Ok(()));
        // 其他情况及整改要求（没有可不填）left blank: accepted, as its words say.
        assert_eq!(validate_answers(&shop, &passing(&shop, "remarks")), Ok(()));
        // Answered twice it is still refused; any other item left out is refused.
        let mut twice = passing(&shop, "");
        twice.push(twice.last().unwrap().clone());
        assert_eq!(validate_answers(&shop, &twice).unwrap_err()[0].problem, "answered more than once");
        let other = shop.items.iter().find(|i| !i.optional).unwrap().id.clone();
        let e = validate_answers(&shop, &passing(&shop, &other)).unwrap_err();
        assert_eq!(e, vec![AnswerProblem { item_id: other, problem: "not answered".into() }]);
        // The same item made required is refused when blank.
        shop.items.iter_mut().find(|i| i.id == "remarks").unwrap().optional = false;
        let e = validate_answers(&shop, &passing(&shop, "remarks")).unwrap_err();
        assert_eq!(e, vec![AnswerProblem { item_id: "remarks".into(), problem: "not answered".into() }]);
    }
}
