//! Helpers for the fire-grid tests: templates, premises, answers, inspections, hazard actions.

use crate::{expect_json, TestApp};
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::checklist::{AnswerKind, Template};
use xunjian_shared::hazard::{ActOnHazard, HazardAction, HazardDetail};
use xunjian_shared::inspection::{Answer, AnswerValue, FixedOnSpot, Inspection, SubmitInspection};
use xunjian_shared::premise::{Premise, PremisePage, PremiseType};
use xunjian_shared::{HazardId, InspectionId, PhotoRef};

/// A photo reference (content need not exist for these tests).
pub fn photo(n: u8) -> PhotoRef {
    PhotoRef::try_from(format!("{n:02x}").repeat(32)).unwrap()
}

/// The latest templates.
pub async fn templates(app: &TestApp, token: &str) -> Vec<Template> {
    expect_json(app.get(api::TEMPLATES, token).await, 200).await
}

/// The latest template for a type.
pub async fn template_for(app: &TestApp, token: &str, t: PremiseType) -> Template {
    templates(app, token).await.into_iter().find(|x| x.content.premise_type == t).expect("template for type")
}

/// The first premise of a type visible to the token's user.
pub async fn premise_of(app: &TestApp, token: &str, t: PremiseType) -> Premise {
    let page: PremisePage =
        expect_json(app.get(&format!("{}?premise_type={}", api::PREMISES, t.as_str()), token).await, 200).await;
    page.items.into_iter().next().expect("a premise of that type in scope")
}

/// Answers to every item: passing, except the items named in `failing`.
pub fn answers(t: &Template, failing: &[&str]) -> Vec<Answer> {
    t.content
        .items
        .iter()
        .map(|item| {
            let fail = failing.contains(&item.id.as_str());
            let value = match &item.answer {
                AnswerKind::YesNo { pass_when } => {
                    if *pass_when != fail {
                        AnswerValue::Yes
                    } else {
                        AnswerValue::No
                    }
                }
                AnswerKind::Number { min_ok, max_ok, .. } => {
                    let ok = min_ok.or(*max_ok).unwrap_or(0.0);
                    AnswerValue::Number(if fail { min_ok.map(|m| m - 1.0).unwrap_or(ok + 1.0) } else { ok })
                }
                AnswerKind::Text => AnswerValue::Text("正常".into()),
                AnswerKind::Photo => AnswerValue::Photo,
            };
            let needs_photo = matches!(item.answer, AnswerKind::Photo) || (fail && item.photo_required_on_fail);
            Answer {
                item_id: item.id.clone(),
                value,
                note: None,
                photos: if needs_photo { vec![photo(1)] } else { vec![] },
            }
        })
        .collect()
}

/// Hazard-making items of a template with the given severity (first ones first).
pub fn hazard_items(t: &Template, major: bool) -> Vec<String> {
    t.content
        .items
        .iter()
        .filter(|i| i.makes_hazard && (i.severity == xunjian_shared::checklist::Severity::Major) == major)
        .map(|i| i.id.clone())
        .collect()
}

/// An inspection of `premise` failing `failing`, with `fixed` of them fixed on the spot.
pub fn inspection(
    premise: &Premise,
    t: &Template,
    failing: &[&str],
    fixed: &[&str],
    at: chrono::DateTime<chrono::Utc>,
) -> SubmitInspection {
    SubmitInspection {
        id: InspectionId::new(),
        premise_id: premise.id,
        template_id: t.id,
        started_at: at - chrono::Duration::minutes(20),
        finished_at: at,
        location: premise.location,
        answers: answers(t, failing),
        notes: String::new(),
        corrects: None,
        fixed_on_spot: fixed
            .iter()
            .map(|i| FixedOnSpot { item_id: (*i).into(), evidence: vec![photo(2)], note: Some("当场整改".into()) })
            .collect(),
        deadlines: vec![],
    }
}

/// Submits an inspection; panics unless 201.
pub async fn submit(app: &TestApp, token: &str, body: &SubmitInspection) -> Inspection {
    expect_json(app.send_json(Method::POST, api::INSPECTIONS, Some(token), body).await, 201).await
}

/// A hazard's detail.
pub async fn hazard(app: &TestApp, token: &str, id: HazardId) -> HazardDetail {
    expect_json(app.get(&api::hazard(id), token).await, 200).await
}

/// Posts an action at the hazard's current version (read first with the same token).
pub async fn act(app: &TestApp, token: &str, id: HazardId, action: HazardAction) -> reqwest::Response {
    let version = hazard(app, token, id).await.hazard.version;
    act_at(app, token, id, action, version).await
}

/// Posts an action claiming `version`.
pub async fn act_at(app: &TestApp, token: &str, id: HazardId, action: HazardAction, version: i64) -> reqwest::Response {
    let body =
        ActOnHazard { action, expected_version: version, device_time: None, location: None, note: "测试".into() };
    app.send_json(Method::POST, &api::hazard_actions(id), Some(token), &body).await
}

/// Posts an action that must succeed; returns the new detail.
pub async fn act_ok(app: &TestApp, token: &str, id: HazardId, action: HazardAction) -> HazardDetail {
    expect_json(act(app, token, id, action).await, 200).await
}
