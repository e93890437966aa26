//! Property: three phones making random operations offline and syncing in random order, with
//! retries, duplicate requests and lost answers, end agreeing with the server, and every
//! operation applied exactly once or refused with a reason — never lost, never doubled.

use super::*;
use chrono::Duration;
use proptest::prelude::*;
use reqwest::Method;
use std::collections::BTreeMap;
use xunjian_shared::api;
use xunjian_shared::checklist::Template;
use xunjian_shared::hazard::{allowed_actions, ActOnHazard, ActionKind, Actor, HazardAction, HazardEvent};
use xunjian_shared::premise::{CreatePremise, Premise, PremiseChange, PremiseType, UpdatePremise};
use xunjian_shared::sync::{OpBody, OpOutcome, Operation};
use xunjian_shared::user::CreateUser;
use xunjian_shared::{PremiseId, Role};
use xunjian_tests::device::Device;
use xunjian_tests::fire;

/// A small deterministic generator: the property ranges over its seeds.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn local<T: serde::de::DeserializeOwned>(d: &Device, kind: &str) -> Vec<T> {
    d.of_kind(kind).into_iter().map(|v| serde_json::from_value(v["data"].clone()).unwrap()).collect()
}

/// One random operation, made from what the device knows (possibly stale).
fn make_op(
    d: &Device,
    rng: &mut Rng,
    grid: xunjian_shared::OrgUnitId,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<OpBody> {
    let premises: Vec<Premise> = local(d, "premise");
    let templates: Vec<Template> = local(d, "template");
    let hazards: Vec<xunjian_shared::hazard::Hazard> = local(d, "hazard");
    let unique = format!("{:x}", rng.next());
    match rng.below(5) {
        0 => Some(OpBody::CreatePremise(CreatePremise {
            id: Some(PremiseId::new()),
            grid_id: grid,
            name: format!("店{unique}"),
            premise_type: PremiseType::StreetShop,
            address: format!("街{unique}号"),
            location: None,
            responsible_person: "某人".into(),
            responsible_phone: None,
            notes: String::new(),
        })),
        1 if !premises.is_empty() => {
            let p = &premises[rng.below(premises.len())];
            let changes = UpdatePremise { notes: Some(format!("n-{unique}")), ..Default::default() };
            Some(OpBody::UpdatePremise { id: p.id, base_version: p.version, changes })
        }
        2 if !premises.is_empty() => {
            let p = &premises[rng.below(premises.len())];
            let t = templates.iter().find(|t| t.content.premise_type == p.premise_type)?;
            let items = fire::hazard_items(t, false);
            let failing: Vec<&str> = items.iter().filter(|_| rng.below(4) == 0).map(String::as_str).collect();
            Some(OpBody::SubmitInspection(fire::inspection(p, t, &failing, &[], now)))
        }
        3 if !hazards.is_empty() => {
            let h = &hazards[rng.below(hazards.len())];
            let allowed: Vec<ActionKind> = allowed_actions(&h.state, Actor::User(Role::GridWorker), now)
                .into_iter()
                .filter(|k| *k != ActionKind::Reclassify)
                .collect();
            let kind = *allowed.get(rng.below(allowed.len()))?;
            let later = now + Duration::days(3);
            let action = match kind {
                ActionKind::FixOnSpot => HazardAction::FixOnSpot { evidence: vec![fire::photo(1)] },
                ActionKind::OrderRectification => HazardAction::OrderRectification { deadline: later },
                ActionKind::ReportRectified => HazardAction::ReportRectified { evidence: vec![] },
                ActionKind::RecheckPass => HazardAction::RecheckPass { evidence: vec![fire::photo(2)] },
                ActionKind::RecheckFail => HazardAction::RecheckFail { new_deadline: later },
                ActionKind::Close => HazardAction::Close,
                _ => return None,
            };
            let act = ActOnHazard {
                action,
                expected_version: h.version,
                device_time: Some(now),
                location: None,
                note: format!("op-{unique}"),
            };
            Some(OpBody::ActOnHazard { id: h.id, act })
        }
        _ => None,
    }
}

async fn run(app: TestApp, seed: u64, steps: usize) {
    let office = app.login("yishi.office").await;
    let grid = app.login("yishi.grid").await.user.org_chain.last().unwrap().id;
    let mut devices = vec![Device::new(app.login("yishi.grid").await.access_token)];
    for name in ["wang.grid", "zhao.grid"] {
        let body = CreateUser {
            username: name.into(),
            display_name: name.into(),
            role: Role::GridWorker,
            org_unit_id: grid,
            phone: None,
            password: "field-pass-1".into(),
        };
        expect_json::<serde_json::Value>(
            app.send_json(Method::POST, api::USERS, Some(&office.access_token), &body).await,
            201,
        )
        .await;
        let t: xunjian_shared::auth::TokenResponse = expect_json(app.try_login(name, "field-pass-1").await, 200).await;
        devices.push(Device::new(t.access_token));
    }
    for d in devices.iter_mut() {
        d.pull_all(&app, 200).await;
    }
    let mut rng = Rng(seed | 1);
    let mut made: Vec<(usize, Operation)> = Vec::new();
    for _ in 0..steps {
        let i = rng.below(3);
        if rng.below(3) > 0 {
            if let Some(body) = make_op(&devices[i], &mut rng, grid, app.now()) {
                let id = devices[i].queue(body, app.now());
                made.push((i, devices[i].outbox.iter().find(|o| o.op_id == id).unwrap().clone()));
            }
            continue;
        }
        let n = 1 + rng.below(4);
        let d = &mut devices[i];
        match rng.below(3) {
            0 => {
                let _lost = d.send(&app, n).await; // the answer never reaches the phone
            }
            1 => {
                let (a, b) = tokio::join!(d.send(&app, n), d.send(&app, n));
                assert_eq!(a, b, "racing duplicates answer alike");
                d.take(b);
            }
            _ => {
                let res = d.send(&app, n).await;
                d.take(res);
            }
        }
        d.pull_all(&app, 1 + rng.below(50) as i64).await;
    }
    // Everyone comes online and catches up.
    for d in devices.iter_mut() {
        d.push_all(&app, 7).await;
    }
    for d in devices.iter_mut() {
        d.pull_all(&app, 100).await;
    }
    let mut observer = Device::new(app.login("yishi.grid").await.access_token);
    observer.pull_all(&app, 1000).await;
    let shared_kinds = |d: &Device| -> BTreeMap<(String, String), serde_json::Value> {
        d.records.iter().filter(|((k, _), _)| k != "notification").map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    for d in &devices {
        assert!(d.outbox.is_empty());
        assert_eq!(shared_kinds(d), shared_kinds(&observer), "a device disagrees with the server");
    }
    // Every op has exactly one fate, and a repeat of everything changes nothing.
    let tok = observer.token.clone();
    let fates: Vec<&'static str> = made
        .iter()
        .map(|(i, op)| match devices[*i].results[&op.op_id.to_string()].outcome {
            OpOutcome::Applied { .. } => "applied",
            OpOutcome::Conflict { .. } => "conflict",
            OpOutcome::Rejected { .. } => "rejected",
        })
        .collect();
    eprintln!(
        "seed {seed}: {} ops: {} applied, {} conflicts, {} rejected",
        made.len(),
        fates.iter().filter(|f| **f == "applied").count(),
        fates.iter().filter(|f| **f == "conflict").count(),
        fates.iter().filter(|f| **f == "rejected").count()
    );
    assert!(fates.contains(&"applied"), "the walk did something");
    for (i, op) in &made {
        let result = devices[*i].results.get(&op.op_id.to_string()).expect("every op answered").clone();
        let applied = result.outcome.applied();
        let again = xunjian_shared::sync::PushRequest {
            protocol: xunjian_shared::sync::PROTOCOL_VERSION,
            device_id: devices[*i].id,
            ops: vec![op.clone()],
        };
        let res: xunjian_shared::sync::PushResponse =
            expect_json(app.send_json(Method::POST, api::SYNC_PUSH, Some(&devices[*i].token), &again).await, 200).await;
        assert_eq!(res.results[0], result, "a replay answers the same");
        match &op.body {
            OpBody::CreatePremise(c) => {
                let r = app.get(&api::premise(c.id.unwrap()), &tok).await;
                assert_eq!(r.status() == 200, applied);
            }
            OpBody::SubmitInspection(s) => {
                let r = app.get(&api::inspection(s.id), &tok).await;
                assert_eq!(r.status() == 200, applied);
            }
            OpBody::UpdatePremise { id, changes, .. } => {
                let hist: Vec<PremiseChange> = expect_json(app.get(&api::premise_history(*id), &tok).await, 200).await;
                let n = hist.iter().filter(|h| h.change["after"]["notes"] == serde_json::json!(changes.notes)).count();
                assert_eq!(n, usize::from(applied), "{result:?}");
            }
            OpBody::ActOnHazard { id, act } => {
                let d = fire::hazard(&app, &tok, *id).await;
                let n = d.timeline.iter().filter(|e: &&HazardEvent| e.note == act.note).count();
                assert_eq!(n, usize::from(applied), "{result:?}");
                if let OpOutcome::Conflict { current, .. } = &result.outcome {
                    assert!(current["version"].as_i64().unwrap() > act.expected_version);
                }
            }
            _ => {}
        }
    }
    app.stop().await;
}

fn cases(backend: xunjian_tests::Backend) {
    let config = ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(seed in any::<u64>(), steps in 20usize..45)| {
        actix_web::rt::System::new().block_on(async move {
            if let Some(app) = TestApp::spawn(backend).await {
                run(app, seed, steps).await;
            }
        });
    });
}

#[test]
fn three_devices_agree_and_apply_each_op_once_sqlite() {
    cases(xunjian_tests::Backend::Sqlite);
}

#[test]
fn three_devices_agree_and_apply_each_op_once_postgres() {
    cases(xunjian_tests::Backend::Postgres);
}
