//! A push's runs of new inspections are written together (`server/src/services/sync_batch.rs`):
//! the results, the stored records and the feed are what the op-by-op path gives, also when a run
//! cannot be written together and falls back.

use super::*;
use xunjian_shared::api;
use xunjian_shared::hazard::{HazardPage, HazardStatus, RegisterHazard};
use xunjian_shared::inspection::{hazard_id_for, Inspection};
use xunjian_shared::premise::{Premise, PremiseType, UpdatePremise};
use xunjian_shared::sync::{Change, OpBody, OpOutcome};
use xunjian_shared::{ErrorCode, PremiseId};
use xunjian_tests::device::{key, Device};
use xunjian_tests::fire::{self, template_for};

fn rejected_with(outcome: &OpOutcome) -> Option<ErrorCode> {
    match outcome {
        OpOutcome::Rejected { code, .. } => Some(*code),
        _ => None,
    }
}

async fn inspections_of(app: &TestApp, token: &str, p: PremiseId) -> Vec<Inspection> {
    expect_json(app.get(&api::premise_inspections(p), token).await, 200).await
}

both_backends!(runs_of_new_inspections_give_what_op_by_op_gives, |app| {
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.clone();
    let grid = w.user.org_chain.last().unwrap().id;
    let t = template_for(&app, &tok, PremiseType::StreetShop).await;
    let items = fire::hazard_items(&t, false);
    let (x, y) = (items[0].as_str(), items[1].as_str());
    let now = app.now();

    // Two new premises of the worker's grid, pushed first.
    let mut d = Device::new(tok.clone());
    let mut made = Vec::new();
    for name in ["成批一号店", "成批二号店"] {
        let create = super::sync::shop(grid, name);
        d.queue(OpBody::CreatePremise(create.clone()), now);
        made.push(create.id.unwrap());
    }
    d.push_all(&app, 10).await;
    let mut premises = Vec::new();
    for id in &made {
        let p: Premise = expect_json(app.get(&api::premise(*id), &tok).await, 200).await;
        premises.push(p);
    }
    let (p1, p2) = (&premises[0], &premises[1]);

    // A hazard registered with the id the third inspection's failure will want: that inspection
    // is refused, and the run it sits in must fall back without losing the others.
    let i3 = fire::inspection(p2, &t, &[y], &[], now);
    let taken = hazard_id_for(i3.id, y);
    d.queue(
        OpBody::RegisterHazard(RegisterHazard {
            id: Some(taken),
            premise_id: p2.id,
            category: t.content.items.iter().find(|i| i.id == y).unwrap().category,
            severity: xunjian_shared::checklist::Severity::General,
            description: "先登记的隐患".into(),
            photos: vec![fire::photo(3)],
            device_time: Some(now),
            location: None,
        }),
        now,
    );
    d.push_all(&app, 10).await;

    // The batch: a run that is written together (a1..a3, a2 failing x); an invalid inspection
    // (op by op, it ends the run); a run that falls back (b1, i3, b2, c1); a repeated inspection id;
    // an edit of p1, then an inspection of p1 after the edit (op by op: the premise changed).
    let a1 = fire::inspection(p1, &t, &[], &[], now);
    let a2 = fire::inspection(p1, &t, &[x], &[], now);
    let a3 = fire::inspection(p1, &t, &[], &[], now);
    let b1 = fire::inspection(p2, &t, &[], &[], now);
    let b2 = fire::inspection(p2, &t, &[x], &[x], now);
    let mut bad = fire::inspection(p1, &t, &[], &[], now);
    bad.answers.remove(0); // a required item (the last, remarks, may be left blank)
    let c1 = fire::inspection(p1, &t, &[], &[], now);
    let mut c1_again = c1.clone();
    c1_again.notes = "改过的备注".into();
    let after_edit = fire::inspection(p1, &t, &[], &[], now);
    let mut d = Device::new(tok.clone());
    for insp in [&a1, &a2, &a3, &bad, &b1, &i3, &b2, &c1, &c1_again] {
        d.queue(OpBody::SubmitInspection(insp.clone()), now);
    }
    let edit = UpdatePremise { notes: Some("成批之后".into()), ..Default::default() };
    d.queue(OpBody::UpdatePremise { id: p1.id, base_version: 1, changes: edit }, now);
    d.queue(OpBody::SubmitInspection(after_edit.clone()), now);

    let res = d.send(&app, 20).await;
    let codes: Vec<Option<ErrorCode>> = res.results.iter().map(|r| rejected_with(&r.outcome)).collect();
    use ErrorCode::{AlreadyExists, ValidationFailed};
    assert_eq!(
        codes,
        [
            None,
            None,
            None,
            Some(ValidationFailed),
            None,
            Some(AlreadyExists),
            None,
            None,
            Some(AlreadyExists),
            None,
            None
        ],
        "{res:?}"
    );
    assert_eq!(res.results.iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=11).collect::<Vec<i64>>());
    assert_eq!(res.results[0].outcome, OpOutcome::Applied { version: None, merged: None });
    // A retry answers the stored results and writes nothing.
    assert_eq!(d.send(&app, 20).await, res);

    // The stored inspections: exactly the applied ones, each once, with their hazard counts.
    let mut on_p1: Vec<_> =
        inspections_of(&app, &tok, p1.id).await.iter().map(|i| (i.submitted.id, i.hazard_count)).collect();
    on_p1.sort();
    let mut want = vec![(a1.id, 0), (a2.id, 1), (a3.id, 0), (c1.id, 0), (after_edit.id, 0)];
    want.sort();
    assert_eq!(on_p1, want);
    let stored_c1 = inspections_of(&app, &tok, p1.id).await.into_iter().find(|i| i.submitted.id == c1.id).unwrap();
    assert_eq!(stored_c1.submitted.notes, c1.notes, "the first of two with one id is kept");
    let mut on_p2: Vec<_> =
        inspections_of(&app, &tok, p2.id).await.iter().map(|i| (i.submitted.id, i.hazard_count)).collect();
    on_p2.sort();
    let mut want = vec![(b1.id, 0), (b2.id, 1)];
    want.sort();
    assert_eq!(on_p2, want);

    // Their hazards, with the timelines the op-by-op path writes.
    let ordered = fire::hazard(&app, &tok, hazard_id_for(a2.id, x)).await;
    assert_eq!(ordered.hazard.state.status, HazardStatus::RectificationOrdered);
    assert_eq!(ordered.timeline.len(), 2, "registered, ordered");
    let fixed = fire::hazard(&app, &tok, hazard_id_for(b2.id, x)).await;
    assert_eq!(fixed.hazard.state.status, HazardStatus::Closed);
    assert_eq!(fixed.timeline.len(), 3, "registered, fixed on the spot, closed");
    let hz: HazardPage = expect_json(app.get(&format!("{}?premise_id={}", api::HAZARDS, p2.id), &tok).await, 200).await;
    assert_eq!(hz.total, 2, "the one registered first and b2's; none for the refused i3");
    let edited: Premise = expect_json(app.get(&api::premise(p1.id), &tok).await, 200).await;
    assert_eq!((edited.version, edited.notes.as_str()), (2, "成批之后"));

    // Another phone of the worker pulls each applied inspection once. A run written together
    // numbers its inspections together, its hazards after them: a2's hazard follows a3.
    let mut phone = Device::new(tok.clone());
    let changes = phone.pull_all(&app, 500).await;
    let seq_of = |kind: &str, id: String| {
        let found: Vec<i64> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Upsert { seq, record } if key(record) == (kind.to_owned(), id.clone()) => Some(*seq),
                _ => None,
            })
            .collect();
        assert_eq!(found.len(), 1, "{kind} {id} delivered once: {found:?}");
        found[0]
    };
    let seqs: Vec<i64> =
        [&a1, &a2, &a3, &b1, &b2, &c1, &after_edit].iter().map(|i| seq_of("inspection", i.id.to_string())).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in push order: {seqs:?}");
    assert!(seq_of("hazard", hazard_id_for(a2.id, x).to_string()) > seqs[2], "a2's hazard after the run");
    for id in [i3.id, bad.id] {
        assert!(!phone.records.contains_key(&("inspection".to_owned(), id.to_string())), "refused: {id}");
    }
    app.stop().await;
});
