//! The transition function and its permission table.

use super::types::*;
use crate::checklist::Severity;
use crate::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Deadline rules, configurable by the county.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DeadlinePolicy {
    /// Default days to rectify a general hazard.
    pub general_days: i64,
    /// Default days to rectify a major hazard.
    pub major_days: i64,
    /// Days of time-limited supervision after a deadline passes.
    pub supervision_days: i64,
    /// Days before a deadline that the responsible worker is reminded.
    pub reminder_days_before: i64,
    /// The furthest a deadline may be set.
    pub max_days: i64,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy { general_days: 10, major_days: 30, supervision_days: 7, reminder_days_before: 2, max_days: 180 }
    }
}

impl DeadlinePolicy {
    /// The default deadline for a hazard of `severity` ordered at `now`.
    pub fn default_deadline(&self, severity: Severity, now: DateTime<Utc>) -> DateTime<Utc> {
        let days = match severity {
            Severity::General => self.general_days,
            Severity::Major => self.major_days,
        };
        now + Duration::days(days)
    }

    fn check(&self, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Refusal> {
        if deadline > now && deadline <= now + Duration::days(self.max_days) {
            Ok(())
        } else {
            Err(Refusal::InvalidDeadline)
        }
    }
}

/// The outcome of an allowed action: the new state and who must be told.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// The state after the action.
    pub state: HazardState,
    /// Roles (in the hazard's township, or county-wide for the fire brigade) to notify.
    pub notices: Vec<(Role, NoticeKind)>,
}

/// Whether an actor's role may ever take an action of this kind (the role × action table).
pub fn role_may(actor: Actor, kind: ActionKind) -> bool {
    use ActionKind as K;
    match actor {
        Actor::System => kind == K::MarkOverdue,
        Actor::User(Role::GridWorker) => matches!(
            kind,
            K::FixOnSpot | K::OrderRectification | K::ReportRectified | K::RecheckPass | K::RecheckFail | K::Close
        ),
        Actor::User(Role::TownshipOffice) => matches!(
            kind,
            K::FixOnSpot
                | K::OrderRectification
                | K::File
                | K::ReportRectified
                | K::RecheckPass
                | K::RecheckFail
                | K::Close
                | K::Refer
                | K::Reclassify
        ),
        Actor::User(Role::Enforcement | Role::TrafficPolice) => {
            matches!(kind, K::AcceptReferral | K::ReturnReferral | K::RecordOutcome)
        }
        Actor::User(Role::FireBrigade) => matches!(
            kind,
            K::AcceptReferral
                | K::ReturnReferral
                | K::RecordOutcome
                | K::BrigadeAccept
                | K::BrigadeSendBack
                | K::Reclassify
        ),
        Actor::User(Role::PatrolWorker | Role::RoadStation | Role::CountyAdmin) => false,
    }
}

/// The statuses an action of this kind starts from.
pub fn from_statuses(kind: ActionKind) -> &'static [HazardStatus] {
    use ActionKind as K;
    use HazardStatus as S;
    match kind {
        K::FixOnSpot => &[S::Registered],
        K::OrderRectification => &[S::Registered, S::Returned],
        K::File => &[S::RectificationOrdered],
        K::ReportRectified => &[S::RectificationOrdered, S::Filed, S::Supervised],
        K::RecheckPass | K::RecheckFail => &[S::Rectified, S::EnforcementConcluded],
        K::Close => &[S::FixedOnSpot, S::Returned],
        K::MarkOverdue => &[S::RectificationOrdered, S::Filed],
        K::Refer => {
            &[S::Registered, S::RectificationOrdered, S::Filed, S::Supervised, S::EnforcementConcluded, S::Returned]
        }
        K::AcceptReferral | K::ReturnReferral => &[S::Referred],
        K::RecordOutcome => &[S::ReferralAccepted],
        K::BrigadeAccept | K::BrigadeSendBack => &[S::AwaitingBrigadeReview],
        K::Reclassify => &[
            S::Registered,
            S::FixedOnSpot,
            S::RectificationOrdered,
            S::Filed,
            S::Rectified,
            S::Supervised,
            S::Referred,
            S::ReferralAccepted,
            S::EnforcementConcluded,
            S::Returned,
        ],
    }
}

/// The statuses in which `actor` may have something to do (besides reclassifying): what a
/// worker's or office's to-do list is drawn from.
pub fn actionable_statuses(actor: Actor) -> Vec<HazardStatus> {
    let mut out: Vec<HazardStatus> = Vec::new();
    for kind in ActionKind::ALL {
        if kind != ActionKind::Reclassify && role_may(actor, kind) {
            for s in from_statuses(kind) {
                if !out.contains(s) {
                    out.push(*s);
                }
            }
        }
    }
    out
}

/// Checks everything but the action's payload: role, status, receiver, time.
fn check(state: &HazardState, kind: ActionKind, actor: Actor, now: DateTime<Utc>) -> Result<(), Refusal> {
    if !role_may(actor, kind) {
        return Err(Refusal::RoleNotAllowed);
    }
    if !from_statuses(kind).contains(&state.status) {
        return Err(Refusal::TransitionNotAllowed);
    }
    match kind {
        // A returned referral is the office's to decide (close, new deadline, refer elsewhere).
        ActionKind::Close | ActionKind::OrderRectification
            if state.status == HazardStatus::Returned && actor != Actor::User(Role::TownshipOffice) =>
        {
            Err(Refusal::RoleNotAllowed)
        }
        ActionKind::AcceptReferral | ActionKind::ReturnReferral | ActionKind::RecordOutcome => {
            match (state.referred_to, actor) {
                (Some(to), Actor::User(role)) if to.role() == role => Ok(()),
                _ => Err(Refusal::NotTheReceiver),
            }
        }
        ActionKind::MarkOverdue if state.deadline.is_none_or(|d| d > now) => Err(Refusal::InvalidDeadline),
        _ => Ok(()),
    }
}

/// The actions `actor` can take on a hazard now: what the phone or office screen offers.
pub fn allowed_actions(state: &HazardState, actor: Actor, now: DateTime<Utc>) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|k| check(state, *k, actor, now).is_ok()).collect()
}

fn required(text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        Err(Refusal::ReasonRequired)
    } else {
        Ok(())
    }
}

/// Where a closing step leads: closed, or to the fire brigade first for a major hazard
/// (一般隐患不出网格; major ones go up).
fn closing(state: &HazardState, notices: &mut Vec<(Role, NoticeKind)>) -> HazardState {
    if state.severity == Severity::Major && !state.brigade_accepted {
        notices.push((Role::FireBrigade, NoticeKind::MajorForReview));
        HazardState { status: HazardStatus::AwaitingBrigadeReview, deadline: None, referred_to: None, ..state.clone() }
    } else {
        HazardState { status: HazardStatus::Closed, deadline: None, referred_to: None, ..state.clone() }
    }
}

/// Applies an action to a hazard: the new state and who to notify, or why it is refused. A hazard
/// is referred only to a receiver of the fire procedure (not the traffic police).
pub fn apply(
    state: &HazardState,
    action: &HazardAction,
    actor: Actor,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<Transition, Refusal> {
    if let HazardAction::Refer { to } = action {
        if !to.takes_hazards() {
            return Err(Refusal::NotTheReceiver);
        }
    }
    transition(state, action, actor, now, policy)
}

/// The procedure both kinds share (hazards by [`apply`], road issues by `road::issue::apply_road`),
/// whoever a referral goes to: each kind's own function says which receivers it has.
pub fn transition(
    state: &HazardState,
    action: &HazardAction,
    actor: Actor,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<Transition, Refusal> {
    use HazardStatus as S;
    check(state, action.kind(), actor, now)?;
    let mut notices = Vec::new();
    let with = |status: S, deadline: Option<DateTime<Utc>>| HazardState { status, deadline, ..state.clone() };
    let next = match action {
        HazardAction::FixOnSpot { evidence } => {
            if evidence.is_empty() {
                return Err(Refusal::EvidenceRequired);
            }
            with(S::FixedOnSpot, None)
        }
        HazardAction::OrderRectification { deadline } => {
            policy.check(*deadline, now)?;
            HazardState { referred_to: None, ..with(S::RectificationOrdered, Some(*deadline)) }
        }
        HazardAction::File => with(S::Filed, state.deadline),
        HazardAction::ReportRectified { .. } => with(S::Rectified, None),
        HazardAction::RecheckPass { evidence } => {
            if evidence.is_empty() {
                return Err(Refusal::EvidenceRequired);
            }
            closing(state, &mut notices)
        }
        HazardAction::RecheckFail { new_deadline } => {
            policy.check(*new_deadline, now)?;
            HazardState { referred_to: None, ..with(S::Filed, Some(*new_deadline)) }
        }
        HazardAction::Close => closing(state, &mut notices),
        HazardAction::MarkOverdue => {
            notices.push((Role::TownshipOffice, NoticeKind::Overdue));
            notices.push((Role::GridWorker, NoticeKind::Overdue));
            with(S::Supervised, Some(now + Duration::days(policy.supervision_days)))
        }
        HazardAction::Refer { to } => {
            notices.push((to.role(), NoticeKind::NewReferral));
            HazardState { referred_to: Some(*to), ..with(S::Referred, None) }
        }
        HazardAction::AcceptReferral => with(S::ReferralAccepted, None),
        HazardAction::ReturnReferral { reason } => {
            required(reason)?;
            notices.push((Role::TownshipOffice, NoticeKind::ReferralReturned));
            HazardState { referred_to: None, ..with(S::Returned, None) }
        }
        HazardAction::RecordOutcome { outcome } => {
            required(outcome)?;
            with(S::EnforcementConcluded, None)
        }
        HazardAction::BrigadeAccept => {
            HazardState { brigade_accepted: true, referred_to: None, ..with(S::Closed, None) }
        }
        HazardAction::BrigadeSendBack { reason, new_deadline } => {
            required(reason)?;
            policy.check(*new_deadline, now)?;
            notices.push((Role::TownshipOffice, NoticeKind::SentBack));
            notices.push((Role::GridWorker, NoticeKind::SentBack));
            HazardState { referred_to: None, ..with(S::Filed, Some(*new_deadline)) }
        }
        HazardAction::Reclassify { severity } => {
            if *severity == state.severity {
                return Err(Refusal::NoChange);
            }
            // Lowering a major hazard would let it close inside the grid: only the brigade may.
            if state.severity == Severity::Major && actor != Actor::User(Role::FireBrigade) {
                return Err(Refusal::RoleNotAllowed);
            }
            if *severity == Severity::Major {
                notices.push((Role::FireBrigade, NoticeKind::MajorRegistered));
            }
            HazardState { severity: *severity, ..state.clone() }
        }
    };
    Ok(Transition { state: next, notices })
}

/// Who must hear that a hazard was registered: a major one goes up to the fire brigade at once.
pub fn notices_on_register(severity: Severity) -> Vec<(Role, NoticeKind)> {
    match severity {
        Severity::Major => vec![(Role::FireBrigade, NoticeKind::MajorRegistered)],
        Severity::General => vec![],
    }
}
