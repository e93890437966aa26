//! Unit tests of `issue` (kept beside it so the module itself stays short).

use super::*;
use crate::hazard::ReferralTarget;
use chrono::{Duration, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

fn act(state: &HazardState, role: Role, action: HazardAction) -> Result<Transition, Refusal> {
    apply_road(state, &action, Actor::User(role), now(), &DeadlinePolicy::default())
}

#[test]
fn a_finding_says_what_is_wrong_in_at_most_2000_characters() {
    let mut f = RoadFinding {
        id: RoadIssueId::new(),
        segment_id: SegmentId::new(),
        category: FindingCategory::Rubbish,
        description: "字".repeat(2000),
        location: GeoPoint { lat: 35.2, lon: 110.8, accuracy_m: None },
        photos: vec![],
        found_at: now(),
    };
    assert_eq!(f.validate(), Ok(()));
    f.description.push('字');
    assert_eq!(f.validate(), Err(("description", "1 to 2000 characters".to_owned())));
    f.description = " ".into();
    assert_eq!(f.validate(), Err(("description", "1 to 2000 characters".to_owned())));
}

#[test]
fn station_refers_to_enforcement_and_closes_after_a_return() {
    let s = registered();
    let t = act(&s, Role::RoadStation, HazardAction::Refer { to: ReferralTarget::Enforcement }).unwrap();
    assert_eq!(t.state.status, HazardStatus::Referred);
    assert_eq!(t.notices, vec![(Role::Enforcement, NoticeKind::NewReferral)]);
    let t = act(&t.state, Role::Enforcement, HazardAction::ReturnReferral { reason: "不属执法范围".into() }).unwrap();
    assert_eq!(t.notices, vec![(Role::RoadStation, NoticeKind::ReferralReturned)]);
    // The patrol worker may not decide a returned referral; the station may.
    assert_eq!(act(&t.state, Role::PatrolWorker, HazardAction::Close), Err(Refusal::RoleNotAllowed));
    assert_eq!(act(&t.state, Role::RoadStation, HazardAction::Close).unwrap().state.status, HazardStatus::Closed);
}

#[test]
fn station_refers_parking_to_the_traffic_police_who_work_it_alone() {
    let s = registered();
    let to_police = HazardAction::Refer { to: ReferralTarget::TrafficPolice };
    let t = act(&s, Role::RoadStation, to_police.clone()).unwrap();
    assert_eq!((t.state.status, t.state.referred_to), (HazardStatus::Referred, Some(ReferralTarget::TrafficPolice)));
    assert_eq!(t.notices, vec![(Role::TrafficPolice, NoticeKind::NewReferral)]);
    // Only the receiver accepts; the enforcement team may not take the police's referral.
    assert_eq!(act(&t.state, Role::Enforcement, HazardAction::AcceptReferral), Err(Refusal::NotTheReceiver));
    assert_eq!(
        allowed_road_actions(&t.state, Role::TrafficPolice, now()),
        vec![ActionKind::AcceptReferral, ActionKind::ReturnReferral]
    );
    let t = act(&t.state, Role::TrafficPolice, HazardAction::AcceptReferral).unwrap();
    let done = HazardAction::RecordOutcome { outcome: "已责令车主驶离并处罚款".into() };
    let t = act(&t.state, Role::TrafficPolice, done).unwrap();
    assert_eq!(t.state.status, HazardStatus::EnforcementConcluded);
    // The police have no other part: they neither register, close nor refer.
    assert_eq!(act(&s, Role::TrafficPolice, HazardAction::Close), Err(Refusal::RoleNotAllowed));
    assert_eq!(act(&s, Role::TrafficPolice, to_police.clone()), Err(Refusal::RoleNotAllowed));
    // The fire procedure refuses the target: a hazard is never referred to the police.
    let policy = DeadlinePolicy::default();
    let fire = crate::hazard::apply(&s, &to_police, Actor::User(Role::TownshipOffice), now(), &policy);
    assert_eq!(fire.map(|t| t.state.status), Err(Refusal::NotTheReceiver));
    let fire = HazardAction::Refer { to: ReferralTarget::Enforcement };
    assert!(crate::hazard::apply(&s, &fire, Actor::User(Role::TownshipOffice), now(), &policy).is_ok());
}

#[test]
fn the_fire_brigade_and_severity_have_no_part() {
    let s = registered();
    assert_eq!(
        act(&s, Role::RoadStation, HazardAction::Refer { to: ReferralTarget::FireBrigade }),
        Err(Refusal::NotTheReceiver)
    );
    assert_eq!(
        act(&s, Role::RoadStation, HazardAction::Reclassify { severity: Severity::Major }),
        Err(Refusal::RoleNotAllowed)
    );
    for role in [Role::GridWorker, Role::TownshipOffice, Role::FireBrigade, Role::CountyAdmin] {
        assert_eq!(act(&s, role, HazardAction::Close), Err(Refusal::RoleNotAllowed), "{role:?}");
        assert!(allowed_road_actions(&s, role, now()).is_empty(), "{role:?}");
    }
}

#[test]
fn overdue_notices_go_to_the_station_and_the_worker() {
    let s =
        act(&registered(), Role::RoadStation, HazardAction::OrderRectification { deadline: now() + Duration::days(3) })
            .unwrap()
            .state;
    let t = apply_road(
        &s,
        &HazardAction::MarkOverdue,
        Actor::System,
        now() + Duration::days(4),
        &DeadlinePolicy::default(),
    )
    .unwrap();
    assert_eq!(t.state.status, HazardStatus::Supervised);
    assert_eq!(t.notices, vec![(Role::RoadStation, NoticeKind::Overdue), (Role::PatrolWorker, NoticeKind::Overdue)]);
}

#[test]
fn allowed_actions_match_what_apply_accepts() {
    let s = registered();
    for role in Role::ALL {
        let allowed = allowed_road_actions(&s, role, now());
        assert!(!allowed.contains(&ActionKind::Reclassify));
        assert!(!allowed.contains(&ActionKind::BrigadeAccept));
    }
    let worker = allowed_road_actions(&s, Role::PatrolWorker, now());
    assert!(worker.contains(&ActionKind::FixOnSpot) && !worker.contains(&ActionKind::Refer));
    assert!(allowed_road_actions(&s, Role::RoadStation, now()).contains(&ActionKind::Refer));
}

#[test]
fn messages_speak_of_road_problems() {
    assert_eq!(notice_message(NoticeKind::NewReferral, "X321 3.2 公里处"), "新移交：X321 3.2 公里处的路面问题待受理");
    assert!(!notice_message(NoticeKind::Overdue, "C012").contains("隐患"));
    assert!(FindingCategory::ALL.iter().all(|c| FindingCategory::parse(c.as_str()) == Some(*c)));
}
