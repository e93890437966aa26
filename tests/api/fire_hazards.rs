//! The hazard loop over HTTP: every path of notice 4号, the scheduler, refusals.

use super::*;
use chrono::Duration;
use xunjian_shared::api;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{
    allowed_actions, apply, ActionKind, Actor, DeadlinePolicy, HazardAction as A, HazardDetail, HazardStatus as S,
    ReferralTarget, RegisterHazard,
};
use xunjian_shared::notification::Notification;
use xunjian_shared::premise::PremiseType;
use xunjian_shared::{ErrorCode, HazardId};
use xunjian_tests::fire::{act, act_at, act_ok, hazard, photo, premise_of};

/// Registers a hazard through `POST /api/v1/hazards` as the grid worker; returns its id.
pub(crate) async fn reported(app: &TestApp, severity: Severity) -> HazardId {
    let w = app.login("yishi.grid").await;
    let p = premise_of(app, &w.access_token, PremiseType::FamilyWorkshop).await;
    let body = RegisterHazard {
        id: None,
        premise_id: p.id,
        category: HazardCategory::Electrical,
        severity,
        description: "私拉乱接电线".into(),
        photos: vec![photo(3)],
        device_time: Some(app.now()),
        location: p.location,
    };
    let d: HazardDetail =
        expect_json(app.send_json(reqwest::Method::POST, api::HAZARDS, Some(&w.access_token), &body).await, 201).await;
    assert_eq!(d.hazard.state.status, S::Registered);
    d.hazard.id
}

async fn notifications(app: &TestApp, token: &str) -> Vec<Notification> {
    expect_json(app.get(&format!("{}?unread=true", api::NOTIFICATIONS), token).await, 200).await
}

fn statuses(d: &HazardDetail) -> Vec<S> {
    d.timeline.iter().map(|e| e.to_status).collect()
}

both_backends!(deadline_rectification_recheck_fail_then_pass, |app| {
    let grid = app.login("yishi.grid").await.access_token;
    let office = app.login("yishi.office").await.access_token;
    let id = reported(&app, Severity::General).await;
    let later = app.now() + Duration::days(10);
    act_ok(&app, &grid, id, A::OrderRectification { deadline: later }).await;
    act_ok(&app, &office, id, A::File).await;
    act_ok(&app, &grid, id, A::ReportRectified { evidence: vec![] }).await;
    let d = act_ok(&app, &grid, id, A::RecheckFail { new_deadline: later + Duration::days(5) }).await;
    assert_eq!((d.hazard.state.status, d.hazard.state.deadline), (S::Filed, Some(later + Duration::days(5))));
    act_ok(&app, &grid, id, A::ReportRectified { evidence: vec![photo(4)] }).await;
    let d = act_ok(&app, &grid, id, A::RecheckPass { evidence: vec![photo(5)] }).await;
    assert_eq!(d.hazard.state.status, S::Closed);
    assert!(d.hazard.closed_at.is_some());
    assert!(d.allowed_actions.is_empty(), "closed is final");
    assert_eq!(
        statuses(&d),
        [S::Registered, S::RectificationOrdered, S::Filed, S::Rectified, S::Filed, S::Rectified, S::Closed]
    );
    let last = d.timeline.last().unwrap();
    assert_eq!((last.actor_role.as_str(), last.note.as_str()), ("grid_worker", "测试"));
    assert_eq!(last.payload["evidence"][0], photo(5).as_str());
    app.stop().await;
});

both_backends!(overdue_goes_to_supervision_exactly_once_then_enforcement, |app| {
    let grid = app.login("yishi.grid").await.access_token;
    let office = app.login("yishi.office").await.access_token;
    let id = reported(&app, Severity::General).await;
    act_ok(&app, &grid, id, A::OrderRectification { deadline: app.now() + Duration::days(3) }).await;
    act_ok(&app, &office, id, A::File).await;
    // Two days before: a reminder to the grid worker, once.
    app.clock.advance(Duration::days(1) + Duration::hours(1));
    // (Access tokens last 15 minutes: log in again after moving the clock.)
    let grid = app.login("yishi.grid").await.access_token;
    assert_eq!(app.run_scheduler().reminded, 1);
    assert_eq!(app.run_scheduler().reminded, 0);
    let soon = notifications(&app, &grid).await;
    assert_eq!(soon.iter().filter(|n| n.kind == xunjian_shared::hazard::NoticeKind::DeadlineSoon).count(), 1);
    // Not yet overdue.
    assert_eq!(app.run_scheduler().overdue, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(app.run_scheduler().overdue, 1);
    assert_eq!(app.run_scheduler().overdue, 0, "never twice");
    let (grid, office) = (app.login("yishi.grid").await.access_token, app.login("yishi.office").await.access_token);
    let enforce = app.login("yishi.enforce").await.access_token;
    let d = hazard(&app, &office, id).await;
    assert_eq!(d.hazard.state.status, S::Supervised);
    assert_eq!(d.hazard.state.deadline, Some(app.now() + Duration::days(7)));
    assert_eq!(d.timeline.last().unwrap().actor_role, "system");
    assert!(notifications(&app, &office)
        .await
        .iter()
        .any(|n| n.kind == xunjian_shared::hazard::NoticeKind::Overdue && n.hazard_id == Some(id)));
    // Overdue list for the office.
    let page: xunjian_shared::hazard::HazardPage =
        expect_json(app.get(&format!("{}?overdue=true", api::HAZARDS), &office).await, 200).await;
    assert_eq!(page.items.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id]);
    // The office refers it to the enforcement team, which accepts and records the outcome.
    act_ok(&app, &office, id, A::Refer { to: ReferralTarget::Enforcement }).await;
    assert!(notifications(&app, &enforce).await.iter().any(|n| n.hazard_id == Some(id)));
    act_ok(&app, &enforce, id, A::AcceptReferral).await;
    act_ok(&app, &enforce, id, A::RecordOutcome { outcome: "责令改正，罚款五百元".into() }).await;
    let d = act_ok(&app, &grid, id, A::RecheckPass { evidence: vec![photo(6)] }).await;
    assert_eq!(d.hazard.state.status, S::Closed);
    assert_eq!(
        statuses(&d),
        [
            S::Registered,
            S::RectificationOrdered,
            S::Filed,
            S::Supervised,
            S::Referred,
            S::ReferralAccepted,
            S::EnforcementConcluded,
            S::Closed
        ]
    );
    app.stop().await;
});

both_backends!(a_returned_referral_comes_back_to_the_office, |app| {
    let office = app.login("yishi.office").await.access_token;
    let brigade = app.login("brigade").await.access_token;
    let id = reported(&app, Severity::General).await;
    act_ok(&app, &office, id, A::Refer { to: ReferralTarget::FireBrigade }).await;
    // The enforcement team is not the receiver.
    let enforce = app.login("yishi.enforce").await.access_token;
    expect_problem(act(&app, &enforce, id, A::AcceptReferral).await, 409, "not_the_receiver").await;
    expect_problem(act(&app, &brigade, id, A::ReturnReferral { reason: " ".into() }).await, 422, "reason_required")
        .await;
    act_ok(&app, &brigade, id, A::ReturnReferral { reason: "不属于消防监督执法范围，由乡镇处理".into() }).await;
    assert!(notifications(&app, &office)
        .await
        .iter()
        .any(|n| n.kind == xunjian_shared::hazard::NoticeKind::ReferralReturned));
    // A grid worker cannot decide for the office; the office closes it.
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(act(&app, &grid, id, A::Close).await, 409, "role_not_allowed").await;
    let d = act_ok(&app, &office, id, A::Close).await;
    assert_eq!(statuses(&d), [S::Registered, S::Referred, S::Returned, S::Closed]);
    assert_eq!(d.timeline[2].payload["reason"], "不属于消防监督执法范围，由乡镇处理");
    app.stop().await;
});

both_backends!(a_major_hazard_is_closed_only_by_the_fire_brigade, |app| {
    let grid = app.login("yishi.grid").await.access_token;
    let office = app.login("yishi.office").await.access_token;
    let brigade = app.login("brigade").await.access_token;
    let id = reported(&app, Severity::Major).await;
    assert!(notifications(&app, &brigade)
        .await
        .iter()
        .any(|n| n.kind == xunjian_shared::hazard::NoticeKind::MajorRegistered));
    let d = act_ok(&app, &grid, id, A::OrderRectification { deadline: app.now() + Duration::days(30) }).await;
    assert_eq!(d.hazard.state.deadline, Some(app.now() + Duration::days(30)));
    act_ok(&app, &office, id, A::File).await;
    act_ok(&app, &grid, id, A::ReportRectified { evidence: vec![] }).await;
    let d = act_ok(&app, &grid, id, A::RecheckPass { evidence: vec![photo(7)] }).await;
    assert_eq!(d.hazard.state.status, S::AwaitingBrigadeReview, "not closed inside the grid");
    assert!(d.allowed_actions.is_empty(), "the grid worker can do nothing more");
    // The office cannot lower it to general to close it.
    expect_problem(
        act(&app, &office, id, A::Reclassify { severity: Severity::General }).await,
        409,
        "transition_not_allowed",
    )
    .await;
    let back = act_ok(
        &app,
        &brigade,
        id,
        A::BrigadeSendBack { reason: "整改不彻底".into(), new_deadline: app.now() + Duration::days(7) },
    )
    .await;
    assert_eq!(back.hazard.state.status, S::Filed);
    act_ok(&app, &grid, id, A::ReportRectified { evidence: vec![] }).await;
    act_ok(&app, &office, id, A::RecheckPass { evidence: vec![photo(8)] }).await;
    let brigade_view = hazard(&app, &brigade, id).await;
    assert_eq!(brigade_view.allowed_actions, vec![ActionKind::BrigadeAccept, ActionKind::BrigadeSendBack]);
    let d = act_ok(&app, &brigade, id, A::BrigadeAccept).await;
    assert_eq!(d.hazard.state.status, S::Closed);
    assert!(d.hazard.state.brigade_accepted);
    // The brigade sees every major hazard county-wide; this one is now closed.
    let open: xunjian_shared::hazard::HazardPage = expect_json(
        app.get(&format!("{}?severity=major&status=awaiting_brigade_review", api::HAZARDS), &brigade).await,
        200,
    )
    .await;
    assert_eq!(open.total, 0);
    app.stop().await;
});

both_backends!(every_refused_action_of_every_role_is_a_409_with_its_code, |app| {
    let policy = DeadlinePolicy::default();
    let accounts = ["yishi.grid", "yishi.office", "yishi.road", "yishi.enforce", "yishi.patrol", "brigade", "admin"];
    let mut tokens = Vec::new();
    for a in accounts {
        let t = app.login(a).await;
        tokens.push((t.user.user.role, t.access_token));
    }
    let office = tokens[1].1.clone();
    // Hazards in four different states.
    let registered = reported(&app, Severity::General).await;
    let filed = reported(&app, Severity::General).await;
    act_ok(&app, &office, filed, A::OrderRectification { deadline: app.now() + Duration::days(5) }).await;
    act_ok(&app, &office, filed, A::File).await;
    let referred = reported(&app, Severity::General).await;
    act_ok(&app, &office, referred, A::Refer { to: ReferralTarget::Enforcement }).await;
    let review = reported(&app, Severity::Major).await;
    act_ok(&app, &office, review, A::FixOnSpot { evidence: vec![photo(9)] }).await;
    act_ok(&app, &office, review, A::Close).await;
    let later = app.now() + Duration::days(3);
    let samples = [
        A::FixOnSpot { evidence: vec![photo(1)] },
        A::OrderRectification { deadline: later },
        A::File,
        A::ReportRectified { evidence: vec![] },
        A::RecheckPass { evidence: vec![photo(1)] },
        A::RecheckFail { new_deadline: later },
        A::Close,
        A::MarkOverdue,
        A::Refer { to: ReferralTarget::FireBrigade },
        A::AcceptReferral,
        A::ReturnReferral { reason: "x".into() },
        A::RecordOutcome { outcome: "x".into() },
        A::BrigadeAccept,
        A::BrigadeSendBack { reason: "x".into(), new_deadline: later },
        A::Reclassify { severity: Severity::Major },
    ];
    let mut refused = 0;
    for id in [registered, filed, referred, review] {
        let before = hazard(&app, &office, id).await;
        for (role, tok) in &tokens {
            for action in &samples {
                let oracle = apply(&before.hazard.state, action, Actor::User(*role), app.now(), &policy);
                let Err(why) = oracle else { continue };
                let code = ErrorCode::from(why);
                let r = act_at(&app, tok, id, action.clone(), before.hazard.version).await;
                expect_problem(r, code.status(), code.as_str()).await;
                refused += 1;
            }
        }
        // A stale version is refused even for an allowed action; nothing changed through all this.
        let after = hazard(&app, &office, id).await;
        assert_eq!(after.hazard, before.hazard);
        let offered =
            allowed_actions(&after.hazard.state, Actor::User(xunjian_shared::Role::TownshipOffice), app.now());
        assert_eq!(after.allowed_actions, offered);
    }
    assert!(refused > 300, "{refused} refusals tried");
    let r = act_at(&app, &office, filed, A::Refer { to: ReferralTarget::Enforcement }, 1).await;
    expect_problem(r, 409, "stale_version").await;
    app.stop().await;
});

both_backends!(the_scheduler_fires_once_across_restarts_and_two_processes, |app| {
    let grid = app.login("yishi.grid").await.access_token;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = reported(&app, Severity::General).await;
        act_ok(&app, &grid, id, A::OrderRectification { deadline: app.now() + Duration::days(1) }).await;
        ids.push(id);
    }
    app.clock.advance(Duration::days(2));
    // A second server process on the same database: its own connection pool (and, for SQLite,
    // its own writer lock), both running the scheduler at the same moment.
    let url = app.settings.effective_database_url();
    let other = xunjian_server::db::Db::open(&url).unwrap();
    let (mine, now, policy) = (app.app_db.clone(), app.now(), app.settings.deadlines.clone());
    let p2 = policy.clone();
    let a = std::thread::spawn(move || xunjian_server::scheduler::run_once(&mine, now, &policy).unwrap());
    let b = std::thread::spawn(move || xunjian_server::scheduler::run_once(&other, now, &p2).unwrap());
    let (ta, tb) = (a.join().unwrap(), b.join().unwrap());
    assert_eq!(ta.overdue + tb.overdue, 3, "{ta:?} {tb:?}");
    // A restarted process (a fresh handle on the same database) finds nothing left to do.
    let restarted = xunjian_server::db::Db::open(&url).unwrap();
    let t = xunjian_server::scheduler::run_once(&restarted, app.now(), &app.settings.deadlines).unwrap();
    assert_eq!(t.overdue, 0);
    let grid = app.login("yishi.grid").await.access_token;
    for id in ids {
        let d = hazard(&app, &grid, id).await;
        assert_eq!(d.hazard.state.status, S::Supervised);
        assert_eq!(d.timeline.iter().filter(|e| e.action == "mark_overdue").count(), 1);
    }
    app.stop().await;
});

both_backends!(the_timeline_reaches_the_grid_workers_phone, |app| {
    let id = reported(&app, Severity::General).await;
    let office = app.login("yishi.office").await.access_token;
    act_ok(&app, &office, id, A::OrderRectification { deadline: app.now() + Duration::days(5) }).await;
    act_ok(&app, &office, id, A::File).await;
    let server = hazard(&app, &office, id).await.timeline;
    assert_eq!(server.len(), 3);
    let grid = app.login("yishi.grid").await.access_token;
    let mut phone = xunjian_tests::device::Device::new(grid);
    phone.pull_all(&app, 500).await;
    let timelines = phone.of_kind("hazard_timeline");
    let mine: Vec<_> = timelines.iter().filter(|r| r["data"]["id"] == id.to_string()).collect();
    assert_eq!(mine.len(), 1, "one record per hazard, its latest state");
    let events: Vec<xunjian_shared::hazard::HazardEvent> =
        serde_json::from_value(mine[0]["data"]["events"].clone()).unwrap();
    assert_eq!(events, server);
    // A later action updates it in the next pull; a patrol worker never receives timelines.
    act_ok(&app, &office, id, A::Refer { to: ReferralTarget::Enforcement }).await;
    phone.pull_all(&app, 500).await;
    let again = phone.of_kind("hazard_timeline");
    let now: Vec<_> = again.iter().filter(|r| r["data"]["id"] == id.to_string()).collect();
    assert_eq!(now[0]["data"]["events"].as_array().unwrap().len(), 4);
    let mut patrol = xunjian_tests::device::Device::new(app.login("yishi.patrol").await.access_token);
    patrol.pull_all(&app, 500).await;
    assert!(patrol.of_kind("hazard_timeline").is_empty());
    app.stop().await;
});
