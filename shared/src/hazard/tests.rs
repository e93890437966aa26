//! Exhaustive and property tests of the hazard state machine.

use super::*;
use crate::checklist::Severity;
use crate::ids::PhotoRef;
use crate::role::Role;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use HazardStatus as S;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap()
}

fn photo() -> Vec<PhotoRef> {
    vec![PhotoRef::try_from("ab".repeat(32)).unwrap()]
}

/// A valid action of each kind (for a general hazard).
fn sample(kind: ActionKind) -> HazardAction {
    let later = now() + Duration::days(10);
    match kind {
        ActionKind::FixOnSpot => HazardAction::FixOnSpot { evidence: photo() },
        ActionKind::OrderRectification => HazardAction::OrderRectification { deadline: later },
        ActionKind::File => HazardAction::File,
        ActionKind::ReportRectified => HazardAction::ReportRectified { evidence: vec![] },
        ActionKind::RecheckPass => HazardAction::RecheckPass { evidence: photo() },
        ActionKind::RecheckFail => HazardAction::RecheckFail { new_deadline: later },
        ActionKind::Close => HazardAction::Close,
        ActionKind::MarkOverdue => HazardAction::MarkOverdue,
        ActionKind::Refer => HazardAction::Refer { to: ReferralTarget::Enforcement },
        ActionKind::AcceptReferral => HazardAction::AcceptReferral,
        ActionKind::ReturnReferral => HazardAction::ReturnReferral { reason: "不属于执法范围".into() },
        ActionKind::RecordOutcome => HazardAction::RecordOutcome { outcome: "责令改正，罚款500元".into() },
        ActionKind::BrigadeAccept => HazardAction::BrigadeAccept,
        ActionKind::BrigadeSendBack => {
            HazardAction::BrigadeSendBack { reason: "整改不彻底".into(), new_deadline: later }
        }
        ActionKind::Reclassify => HazardAction::Reclassify { severity: Severity::Major },
    }
}

/// A general hazard in `status`, referred to the enforcement team where that matters, with a
/// deadline that has just passed where one runs.
fn state_in(status: HazardStatus) -> HazardState {
    let referred = matches!(status, S::Referred | S::ReferralAccepted | S::EnforcementConcluded);
    HazardState {
        status,
        severity: Severity::General,
        deadline: matches!(status, S::RectificationOrdered | S::Filed | S::Supervised)
            .then(|| now() - Duration::hours(1)),
        referred_to: referred.then_some(ReferralTarget::Enforcement),
        brigade_accepted: false,
    }
}

fn actors() -> Vec<Actor> {
    Role::ALL.into_iter().map(Actor::User).chain([Actor::System]).collect()
}

const GW: Actor = Actor::User(Role::GridWorker);
const TO: Actor = Actor::User(Role::TownshipOffice);
const EN: Actor = Actor::User(Role::Enforcement);
const FB: Actor = Actor::User(Role::FireBrigade);
const SYS: Actor = Actor::System;

/// The county's procedure, written out by hand: (from, action, who, to). Everything not listed is refused.
fn expected() -> Vec<(HazardStatus, ActionKind, Actor, HazardStatus)> {
    use ActionKind as K;
    let mut t = vec![
        (S::Registered, K::FixOnSpot, GW, S::FixedOnSpot),
        (S::Registered, K::FixOnSpot, TO, S::FixedOnSpot),
        (S::Registered, K::OrderRectification, GW, S::RectificationOrdered),
        (S::Registered, K::OrderRectification, TO, S::RectificationOrdered),
        (S::Registered, K::Refer, TO, S::Referred),
        (S::FixedOnSpot, K::Close, GW, S::Closed),
        (S::FixedOnSpot, K::Close, TO, S::Closed),
        (S::RectificationOrdered, K::File, TO, S::Filed),
        (S::RectificationOrdered, K::ReportRectified, GW, S::Rectified),
        (S::RectificationOrdered, K::ReportRectified, TO, S::Rectified),
        (S::RectificationOrdered, K::MarkOverdue, SYS, S::Supervised),
        (S::RectificationOrdered, K::Refer, TO, S::Referred),
        (S::Filed, K::ReportRectified, GW, S::Rectified),
        (S::Filed, K::ReportRectified, TO, S::Rectified),
        (S::Filed, K::MarkOverdue, SYS, S::Supervised),
        (S::Filed, K::Refer, TO, S::Referred),
        (S::Rectified, K::RecheckPass, GW, S::Closed),
        (S::Rectified, K::RecheckPass, TO, S::Closed),
        (S::Rectified, K::RecheckFail, GW, S::Filed),
        (S::Rectified, K::RecheckFail, TO, S::Filed),
        (S::Supervised, K::ReportRectified, GW, S::Rectified),
        (S::Supervised, K::ReportRectified, TO, S::Rectified),
        (S::Supervised, K::Refer, TO, S::Referred),
        (S::Referred, K::AcceptReferral, EN, S::ReferralAccepted),
        (S::Referred, K::ReturnReferral, EN, S::Returned),
        (S::ReferralAccepted, K::RecordOutcome, EN, S::EnforcementConcluded),
        (S::EnforcementConcluded, K::RecheckPass, GW, S::Closed),
        (S::EnforcementConcluded, K::RecheckPass, TO, S::Closed),
        (S::EnforcementConcluded, K::RecheckFail, GW, S::Filed),
        (S::EnforcementConcluded, K::RecheckFail, TO, S::Filed),
        (S::EnforcementConcluded, K::Refer, TO, S::Referred),
        (S::Returned, K::OrderRectification, TO, S::RectificationOrdered),
        (S::Returned, K::Close, TO, S::Closed),
        (S::Returned, K::Refer, TO, S::Referred),
        (S::AwaitingBrigadeReview, K::BrigadeAccept, FB, S::Closed),
        (S::AwaitingBrigadeReview, K::BrigadeSendBack, FB, S::Filed),
    ];
    for s in HazardStatus::ALL {
        if !matches!(s, S::Closed | S::AwaitingBrigadeReview) {
            t.push((s, K::Reclassify, TO, s));
            t.push((s, K::Reclassify, FB, s));
        }
    }
    t
}

#[test]
fn every_status_action_and_actor_follows_the_procedure_table() {
    let table = expected();
    let policy = DeadlinePolicy::default();
    let mut allowed = 0;
    for status in HazardStatus::ALL {
        let state = if status == S::AwaitingBrigadeReview {
            HazardState { severity: Severity::Major, ..state_in(status) }
        } else {
            state_in(status)
        };
        for kind in ActionKind::ALL {
            for actor in actors() {
                let want = table.iter().find(|(f, k, a, _)| *f == status && *k == kind && *a == actor);
                let got = apply(&state, &sample(kind), actor, now(), &policy);
                match (want, got) {
                    (Some((_, _, _, to)), Ok(t)) => {
                        assert_eq!(t.state.status, *to, "{status:?} {kind:?} {actor:?}");
                        allowed += 1;
                    }
                    (None, Err(r)) => {
                        if !role_may(actor, kind) {
                            assert_eq!(r, Refusal::RoleNotAllowed, "{status:?} {kind:?} {actor:?}");
                        }
                    }
                    (want, got) => {
                        panic!("{status:?} {kind:?} {actor:?}: expected {want:?}, got {got:?}")
                    }
                }
                // The menu agrees with apply.
                let offered = allowed_actions(&state, actor, now()).contains(&kind);
                assert_eq!(offered, want.is_some(), "menu for {status:?} {kind:?} {actor:?}");
            }
        }
    }
    assert_eq!(allowed, table.len());
}

#[test]
fn a_major_hazard_goes_to_the_fire_brigade_before_closing() {
    let policy = DeadlinePolicy::default();
    let fixed = HazardState { severity: Severity::Major, ..state_in(S::FixedOnSpot) };
    let t = apply(&fixed, &HazardAction::Close, GW, now(), &policy).unwrap();
    assert_eq!(t.state.status, S::AwaitingBrigadeReview);
    assert!(t.notices.contains(&(Role::FireBrigade, NoticeKind::MajorForReview)));
    let rectified = HazardState { severity: Severity::Major, ..state_in(S::Rectified) };
    let t = apply(&rectified, &sample(ActionKind::RecheckPass), TO, now(), &policy).unwrap();
    assert_eq!(t.state.status, S::AwaitingBrigadeReview);
    let done = apply(&t.state, &HazardAction::BrigadeAccept, FB, now(), &policy).unwrap();
    assert_eq!(done.state.status, S::Closed);
    assert!(done.state.brigade_accepted);
    // Only the fire brigade may lower a major hazard.
    let lower = HazardAction::Reclassify { severity: Severity::General };
    assert_eq!(apply(&fixed, &lower, TO, now(), &policy).unwrap_err(), Refusal::RoleNotAllowed);
    assert_eq!(apply(&fixed, &lower, FB, now(), &policy).unwrap().state.severity, Severity::General);
    assert_eq!(notices_on_register(Severity::Major), vec![(Role::FireBrigade, NoticeKind::MajorRegistered)]);
}

#[test]
fn referrals_are_worked_only_by_their_receiver() {
    let policy = DeadlinePolicy::default();
    let to_brigade = HazardState { referred_to: Some(ReferralTarget::FireBrigade), ..state_in(S::Referred) };
    assert_eq!(
        apply(&to_brigade, &HazardAction::AcceptReferral, EN, now(), &policy).unwrap_err(),
        Refusal::NotTheReceiver
    );
    let accepted = apply(&to_brigade, &HazardAction::AcceptReferral, FB, now(), &policy).unwrap();
    assert_eq!(accepted.state.status, S::ReferralAccepted);
    let to_enf = state_in(S::Referred);
    assert_eq!(apply(&to_enf, &HazardAction::AcceptReferral, FB, now(), &policy).unwrap_err(), Refusal::NotTheReceiver);
    let refer =
        apply(&state_in(S::Filed), &HazardAction::Refer { to: ReferralTarget::FireBrigade }, TO, now(), &policy)
            .unwrap();
    assert_eq!(refer.notices, vec![(Role::FireBrigade, NoticeKind::NewReferral)]);
    let ret = apply(&to_enf, &sample(ActionKind::ReturnReferral), EN, now(), &policy).unwrap();
    assert_eq!(ret.notices, vec![(Role::TownshipOffice, NoticeKind::ReferralReturned)]);
    assert_eq!(ret.state.referred_to, None);
}

#[test]
fn payload_rules() {
    let policy = DeadlinePolicy::default();
    let reg = state_in(S::Registered);
    let no_photo = HazardAction::FixOnSpot { evidence: vec![] };
    assert_eq!(apply(&reg, &no_photo, GW, now(), &policy).unwrap_err(), Refusal::EvidenceRequired);
    let past = HazardAction::OrderRectification { deadline: now() - Duration::minutes(1) };
    assert_eq!(apply(&reg, &past, GW, now(), &policy).unwrap_err(), Refusal::InvalidDeadline);
    let far = HazardAction::OrderRectification { deadline: now() + Duration::days(181) };
    assert_eq!(apply(&reg, &far, GW, now(), &policy).unwrap_err(), Refusal::InvalidDeadline);
    let blank = HazardAction::ReturnReferral { reason: "  ".into() };
    assert_eq!(apply(&state_in(S::Referred), &blank, EN, now(), &policy).unwrap_err(), Refusal::ReasonRequired);
    let same = HazardAction::Reclassify { severity: Severity::General };
    assert_eq!(apply(&reg, &same, TO, now(), &policy).unwrap_err(), Refusal::NoChange);
}

#[test]
fn overdue_only_after_the_deadline_and_supervision_gets_a_new_one() {
    let policy = DeadlinePolicy::default();
    let not_yet = HazardState { deadline: Some(now() + Duration::hours(1)), ..state_in(S::Filed) };
    assert_eq!(apply(&not_yet, &HazardAction::MarkOverdue, SYS, now(), &policy).unwrap_err(), Refusal::InvalidDeadline);
    let t = apply(&state_in(S::Filed), &HazardAction::MarkOverdue, SYS, now(), &policy).unwrap();
    assert_eq!(t.state.status, S::Supervised);
    assert_eq!(t.state.deadline, Some(now() + Duration::days(7)));
    assert!(t.notices.contains(&(Role::TownshipOffice, NoticeKind::Overdue)));
    // A supervised hazard is not marked overdue again.
    assert_eq!(
        apply(&t.state, &HazardAction::MarkOverdue, SYS, now() + Duration::days(30), &policy).unwrap_err(),
        Refusal::TransitionNotAllowed
    );
}

#[test]
fn wire_names_round_trip() {
    for s in HazardStatus::ALL {
        assert_eq!(HazardStatus::parse(s.as_str()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
    }
    let a: HazardAction = serde_json::from_str(r#"{"action":"refer","to":"fire_brigade"}"#).unwrap();
    assert_eq!(a, HazardAction::Refer { to: ReferralTarget::FireBrigade });
    // Unknown fields are refused (serde ignores them only on the payload-less actions).
    assert!(serde_json::from_str::<HazardAction>(r#"{"action":"refer","to":"fire_brigade","x":1}"#).is_err());
    assert!(serde_json::from_str::<HazardAction>(r#"{"action":"burn_down"}"#).is_err());
}

fn any_action() -> impl Strategy<Value = HazardAction> {
    let kinds = proptest::sample::select(ActionKind::ALL.to_vec());
    (kinds, any::<bool>(), 1i64..40).prop_map(|(k, flag, days)| {
        let deadline = now() + Duration::days(days);
        match (k, flag) {
            (ActionKind::Refer, true) => HazardAction::Refer { to: ReferralTarget::FireBrigade },
            (ActionKind::Reclassify, true) => HazardAction::Reclassify { severity: Severity::General },
            (ActionKind::OrderRectification, _) => HazardAction::OrderRectification { deadline },
            (ActionKind::RecheckFail, _) => HazardAction::RecheckFail { new_deadline: deadline },
            (k, _) => sample(k),
        }
    })
}

fn any_actor() -> impl Strategy<Value = Actor> {
    proptest::sample::select(actors())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any sequence of attempted actions keeps the invariants, never closes a major hazard without
    /// the fire brigade, and never leaves an open hazard without someone who can act next.
    #[test]
    fn random_walks_keep_the_loop_closed(
        major in any::<bool>(),
        steps in proptest::collection::vec((any_actor(), any_action(), 0i64..20), 1..60),
    ) {
        let policy = DeadlinePolicy::default();
        let mut state = HazardState::registered(if major { Severity::Major } else { Severity::General });
        let mut was_major = major;
        let mut t = now();
        for (actor, action, hours) in steps {
            t += Duration::hours(hours);
            // Deadlines in the samples are relative to the fixed `now()`; keep time before them.
            let at = t.min(now() + Duration::hours(12));
            let Ok(next) = apply(&state, &action, actor, at, &policy) else { continue };
            state = next.state;
            was_major |= state.severity == Severity::Major;
            let referred = matches!(state.status, S::Referred | S::ReferralAccepted | S::EnforcementConcluded);
            prop_assert_eq!(state.referred_to.is_some(), referred, "{:?}", state);
            let timed = matches!(state.status, S::RectificationOrdered | S::Filed | S::Supervised);
            prop_assert_eq!(state.deadline.is_some(), timed, "{:?}", state);
            if state.status == S::Closed {
                prop_assert!(state.severity == Severity::General || state.brigade_accepted, "major closed without brigade");
                if was_major && state.severity == Severity::Major {
                    prop_assert!(state.brigade_accepted);
                }
                for a in actors() {
                    prop_assert!(allowed_actions(&state, a, at + Duration::days(365)).is_empty(), "closed is final");
                }
            } else {
                let someone = actors().into_iter().any(|a| {
                    allowed_actions(&state, a, at + Duration::days(365))
                        .iter()
                        .any(|k| *k != ActionKind::Reclassify)
                });
                prop_assert!(someone, "stuck in {:?}", state);
            }
        }
    }
}

#[test]
fn to_do_statuses_follow_the_permission_table() {
    assert_eq!(actionable_statuses(EN), vec![S::Referred, S::ReferralAccepted]);
    assert_eq!(actionable_statuses(SYS), vec![S::RectificationOrdered, S::Filed]);
    assert!(actionable_statuses(FB).contains(&S::AwaitingBrigadeReview));
    assert!(actionable_statuses(Actor::User(Role::PatrolWorker)).is_empty());
    let office = actionable_statuses(TO);
    for s in [S::Registered, S::RectificationOrdered, S::Returned, S::Supervised] {
        assert!(office.contains(&s), "{s:?}");
    }
}

#[test]
fn overdue_means_supervised_or_a_running_deadline_passed() {
    let passed = Some(now() - Duration::hours(1));
    let ahead = Some(now() + Duration::hours(1));
    assert!(HazardState { deadline: passed, ..state_in(S::Filed) }.is_overdue(now()));
    assert!(HazardState { deadline: passed, ..state_in(S::RectificationOrdered) }.is_overdue(now()));
    assert!(!HazardState { deadline: ahead, ..state_in(S::Filed) }.is_overdue(now()));
    // Under supervision it is overdue even with the office's new deadline ahead.
    assert!(HazardState { deadline: ahead, ..state_in(S::Supervised) }.is_overdue(now()));
    // Reported rectified or referred: the deadline no longer runs.
    assert!(!HazardState { deadline: passed, ..state_in(S::Rectified) }.is_overdue(now()));
    assert!(!HazardState { deadline: passed, ..state_in(S::Referred) }.is_overdue(now()));
}
