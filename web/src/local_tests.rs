//! The phone's derivations, on the county's real default checklists: an inspection draft becomes
//! the submission and the very records the server will make.

use super::*;
use crate::draft::{Blocker, Draft, Edit};
use chrono::TimeZone;
use xunjian_shared::checklist::defaults::default_templates;
use xunjian_shared::checklist::{AnswerKind, Severity};
use xunjian_shared::inspection::AnswerValue;
use xunjian_shared::premise::PremiseType;
use xunjian_shared::{PhotoRef, PremiseId, TemplateId};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 2, 0, 0).unwrap()
}

fn shop_template() -> Template {
    let content = default_templates().into_iter().find(|c| c.premise_type == PremiseType::StreetShop).unwrap();
    Template { id: TemplateId::new(), version: 1, content, published_at: now() }
}

fn photo(c: char) -> PhotoRef {
    PhotoRef::try_from(c.to_string().repeat(64)).unwrap()
}

/// Every item passes; returns the draft and the first two general hazard-making yes/no items.
fn passing_draft(t: &Template) -> (Draft, Vec<String>) {
    let mut d = Draft::new(PremiseId::new(), t.id, now());
    let items = &t.content.items;
    let mut general = Vec::new();
    for item in items {
        let value = match &item.answer {
            AnswerKind::YesNo { pass_when } => {
                if item.makes_hazard && item.severity == Severity::General {
                    general.push(item.id.clone());
                }
                if *pass_when {
                    AnswerValue::Yes
                } else {
                    AnswerValue::No
                }
            }
            AnswerKind::Number { min_ok, max_ok, .. } => AnswerValue::Number(min_ok.or(*max_ok).unwrap_or(1.0)),
            AnswerKind::Text => AnswerValue::Text("正常".into()),
            AnswerKind::Photo => {
                d.apply(Edit::Photo(item.id.clone(), photo('a')), items, now());
                AnswerValue::Photo
            }
        };
        d.apply(Edit::Value(item.id.clone(), value), items, now());
    }
    (d, general[..2].to_vec())
}

fn fail(d: &mut Draft, t: &Template, id: &str) {
    let item = t.content.items.iter().find(|i| i.id == id).unwrap();
    let AnswerKind::YesNo { pass_when } = item.answer else { panic!("yes/no") };
    let v = if pass_when { AnswerValue::No } else { AnswerValue::Yes };
    d.apply(Edit::Value(id.into(), v), &t.content.items, now());
    d.apply(Edit::Photo(id.into(), photo('b')), &t.content.items, now());
}

#[test]
fn a_clean_inspection_makes_no_hazard() {
    let t = shop_template();
    let (d, _) = passing_draft(&t);
    let sub = d.submission(&t, Role::GridWorker, now()).unwrap();
    let records = inspection_records(&sub, &t, UserId::new(), Role::GridWorker, now());
    assert_eq!(records.len(), 1);
}

#[test]
fn failed_items_need_evidence_on_the_spot_or_a_valid_deadline() {
    let t = shop_template();
    let (mut d, ids) = passing_draft(&t);
    fail(&mut d, &t, &ids[0]);
    d.apply(Edit::OnSpot(ids[0].clone(), true), &t.content.items, now());
    let blocked = d.submission(&t, Role::GridWorker, now()).unwrap_err();
    assert_eq!(blocked, vec![Blocker::Handling { item_id: ids[0].clone(), refusal: Some(Refusal::EvidenceRequired) }]);
    d.apply(Edit::OnSpot(ids[0].clone(), false), &t.content.items, now());
    d.apply(Edit::Deadline(ids[0].clone(), "2026-04-01".into()), &t.content.items, now());
    let blocked = d.submission(&t, Role::GridWorker, now()).unwrap_err();
    assert_eq!(blocked, vec![Blocker::Handling { item_id: ids[0].clone(), refusal: Some(Refusal::InvalidDeadline) }]);
}

#[test]
fn hazards_are_derived_as_the_server_derives_them() {
    let t = shop_template();
    let (mut d, ids) = passing_draft(&t);
    fail(&mut d, &t, &ids[0]);
    fail(&mut d, &t, &ids[1]);
    d.apply(Edit::OnSpot(ids[0].clone(), true), &t.content.items, now());
    d.apply(Edit::Evidence(ids[0].clone(), photo('c')), &t.content.items, now());
    d.apply(Edit::OnSpot(ids[1].clone(), false), &t.content.items, now());
    d.apply(Edit::Deadline(ids[1].clone(), "2026-05-11".into()), &t.content.items, now());
    let sub = d.submission(&t, Role::GridWorker, now()).unwrap();
    assert_eq!(sub.fixed_on_spot.len(), 1);
    assert_eq!(sub.deadlines.len(), 1);
    let records = inspection_records(&sub, &t, UserId::new(), Role::GridWorker, now());
    let hazards: Vec<&Hazard> =
        records.iter().filter_map(|r| if let Record::Hazard(h) = r { Some(h) } else { None }).collect();
    assert_eq!(hazards.len(), 2);
    let on_spot = hazards.iter().find(|h| h.item_id.as_deref() == Some(ids[0].as_str())).unwrap();
    assert_eq!(on_spot.id, hazard_id_for(sub.id, &ids[0]));
    assert_eq!((on_spot.state.status, on_spot.version), (HazardStatus::Closed, 3));
    let ordered = hazards.iter().find(|h| h.item_id.as_deref() == Some(ids[1].as_str())).unwrap();
    assert_eq!((ordered.state.status, ordered.version), (HazardStatus::RectificationOrdered, 2));
    // 11 May, end of the day in China.
    assert_eq!(ordered.state.deadline, Some(Utc.with_ymd_and_hms(2026, 5, 11, 15, 59, 0).unwrap()));
    // Then a re-check is the grid worker's turn only after the rectification is reported.
    assert_eq!(my_actions(&ordered.state, Role::GridWorker, now()), vec![ActionKind::ReportRectified]);
}

#[test]
fn answers_given_while_a_photo_was_processed_are_kept() {
    let t = shop_template();
    let (mut d, ids) = passing_draft(&t);
    let before = d.answer(&ids[1]).cloned();
    // The photo of item 0 lands after item 1 was answered: item 1 keeps its answer.
    d.apply(Edit::Photo(ids[0].clone(), photo('d')), &t.content.items, now());
    assert_eq!(d.answer(&ids[1]).cloned(), before);
    assert!(d.answer(&ids[0]).unwrap().photos.contains(&photo('d')));
}
