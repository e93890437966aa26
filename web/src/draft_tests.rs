//! The inspection draft: 其余全部合格 and its undo, and what still needs an answer.

use super::*;
use chrono::TimeZone;
use xunjian_shared::checklist::defaults::default_templates;
use xunjian_shared::premise::PremiseType;

fn shop_items() -> Vec<ChecklistItem> {
    default_templates().into_iter().find(|t| t.premise_type == PremiseType::StreetShop).unwrap().items
}

fn draft() -> Draft {
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
    Draft::new(PremiseId::new(), TemplateId::new(), now)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 8, 30, 0).unwrap()
}

#[test]
fn rest_all_pass_answers_only_the_unanswered_yes_no_items_and_undoes() {
    let items = shop_items();
    let yes_no: Vec<&ChecklistItem> = items.iter().filter(|i| matches!(i.answer, AnswerKind::YesNo { .. })).collect();
    assert!(yes_no.len() >= 10, "the street-shop checklist is mostly yes/no");
    let mut d = draft();
    // One item failed by hand first.
    let failed = yes_no[0];
    let fail = if pass_value(failed) == Some(AnswerValue::Yes) { AnswerValue::No } else { AnswerValue::Yes };
    d.apply(Edit::Value(failed.id.clone(), fail.clone()), &items, now());
    let rest = d.unanswered_yes_no(&items);
    assert_eq!(rest.len(), yes_no.len() - 1);
    d.apply(Edit::PassAll(rest.clone()), &items, now());
    assert_eq!(d.answer(&failed.id).unwrap().value, fail, "a failed item stays failed");
    for item in &yes_no[1..] {
        assert_eq!(d.answer(&item.id).map(|a| a.value.clone()), pass_value(item), "{}", item.id);
    }
    assert!(d.unanswered_yes_no(&items).is_empty());
    // What is left is what the control cannot answer: the photo and the number, not the remarks.
    let left = d.first_unanswered(&items).unwrap();
    assert!(!matches!(left.answer, AnswerKind::YesNo { .. }) && !left.optional, "{}", left.id);

    // The worker fails one more after it; the undo takes back the others only.
    let later = yes_no[1];
    let later_fail = if pass_value(later) == Some(AnswerValue::Yes) { AnswerValue::No } else { AnswerValue::Yes };
    d.apply(Edit::Value(later.id.clone(), later_fail.clone()), &items, now());
    d.apply(Edit::Unpass(rest), &items, now());
    let answered: Vec<&str> = d.answers.iter().map(|a| a.item_id.as_str()).collect();
    assert_eq!(answered, [failed.id.as_str(), later.id.as_str()]);
    assert_eq!(d.answer(&later.id).unwrap().value, later_fail);
}

#[test]
fn with_the_rest_passed_and_the_photo_and_number_given_the_remarks_may_stay_blank() {
    let items = shop_items();
    let mut d = draft();
    d.apply(Edit::PassAll(d.unanswered_yes_no(&items)), &items, now());
    while let Some(item) = d.first_unanswered(&items).cloned() {
        match item.answer {
            AnswerKind::Photo => {
                d.apply(Edit::Photo(item.id.clone(), PhotoRef::try_from("ab".repeat(32)).unwrap()), &items, now())
            }
            AnswerKind::Number { min_ok, max_ok, .. } => d.apply(
                Edit::Value(item.id.clone(), AnswerValue::Number(min_ok.or(max_ok).unwrap_or(1.0))),
                &items,
                now(),
            ),
            _ => d.apply(Edit::Value(item.id.clone(), AnswerValue::Text("无".into())), &items, now()),
        }
    }
    assert!(d.answer("remarks").is_none());
    let template = Template {
        id: d.template_id,
        version: 1,
        content: default_templates().into_iter().find(|t| t.premise_type == PremiseType::StreetShop).unwrap(),
        published_at: now(),
    };
    let sub = d.submission(&template, Role::GridWorker, now()).expect("submits without the blank remarks");
    assert_eq!(sub.answers.len(), items.len() - 1);
}
