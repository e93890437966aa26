//! What the phone derives from the shared rules while offline: the records an inspection makes,
//! a hazard after an action, what is due today. Every rule is a `xunjian_shared` function; this
//! module only assembles records from them.

use crate::store::Local;
use chrono::{DateTime, Utc};
use xunjian_shared::cadence::Cadence;
use xunjian_shared::checklist::{failed_items, Template};
use xunjian_shared::hazard::{
    allowed_actions, apply, ActOnHazard, ActionKind, Actor, DeadlinePolicy, Hazard, HazardAction, HazardState,
    HazardStatus, Refusal,
};
use xunjian_shared::inspection::{hazard_id_for, Inspection, SubmitInspection};
use xunjian_shared::premise::Premise;
use xunjian_shared::sync::Record;
use xunjian_shared::user::FieldRules;
use xunjian_shared::{Role, UserId};

/// The actions the phone has forms for (office-only actions stay in the office app).
pub const FIELD_ACTIONS: [ActionKind; 6] = [
    ActionKind::FixOnSpot,
    ActionKind::OrderRectification,
    ActionKind::ReportRectified,
    ActionKind::RecheckPass,
    ActionKind::RecheckFail,
    ActionKind::Close,
];

thread_local! {
    /// The county's rules as the server last sent them (built-in defaults until a session is known).
    static RULES: std::cell::RefCell<FieldRules> = std::cell::RefCell::new(FieldRules::default());
}

/// Adopts the county's rules from the session (the login answer, a refresh, `/me`).
pub fn set_rules(rules: &FieldRules) {
    RULES.with(|r| *r.borrow_mut() = rules.clone());
}

/// The deadline rules the phone applies offline: the server's settings (the server has the final say).
pub fn policy() -> DeadlinePolicy {
    RULES.with(|r| r.borrow().deadlines.clone())
}

/// The inspection cadence the phone applies offline: the server's settings.
pub fn cadence() -> Cadence {
    RULES.with(|r| r.borrow().cadence.clone())
}

/// The actions `role` can take on a hazard now, among those the phone offers.
pub fn my_actions(state: &HazardState, role: Role, now: DateTime<Utc>) -> Vec<ActionKind> {
    allowed_actions(state, Actor::User(role), now).into_iter().filter(|k| FIELD_ACTIONS.contains(k)).collect()
}

/// A hazard after an action, by the shared machine; the version the server will give it.
pub fn acted(h: &Hazard, act: &ActOnHazard, role: Role, now: DateTime<Utc>) -> Result<Hazard, Refusal> {
    let t = apply(&h.state, &act.action, Actor::User(role), now, &policy())?;
    let closed_at = (t.state.status == HazardStatus::Closed).then_some(now);
    Ok(Hazard { state: t.state, version: h.version + 1, closed_at, ..h.clone() })
}

/// Whether a hazard's running deadline would be accepted (by trying the order on the machine).
pub fn deadline_ok(deadline: DateTime<Utc>, role: Role, now: DateTime<Utc>) -> Result<(), Refusal> {
    let probe = HazardState::registered(xunjian_shared::checklist::Severity::General);
    apply(&probe, &HazardAction::OrderRectification { deadline }, Actor::User(role), now, &policy()).map(drop)
}

/// The inspection and the hazards it registers, as the server will make them: one per failed
/// hazard-making item, with the id the server derives, fixed on the spot and closed, or ordered
/// for rectification by the inspector's deadline (or the default one).
pub fn inspection_records(
    sub: &SubmitInspection,
    template: &Template,
    me: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> Vec<Record> {
    let actor = Actor::User(role);
    let mut hazards = Vec::new();
    for (item, answer) in failed_items(&template.content, &sub.answers) {
        let mut state = HazardState::registered(item.severity);
        let mut version = 1;
        let mut step = |state: &mut HazardState, action: HazardAction| {
            if let Ok(t) = apply(state, &action, actor, now, &policy()) {
                *state = t.state;
                version += 1;
            }
        };
        if let Some(fix) = sub.fixed_on_spot.iter().find(|f| f.item_id == item.id) {
            step(&mut state, HazardAction::FixOnSpot { evidence: fix.evidence.clone() });
            step(&mut state, HazardAction::Close);
        } else {
            let deadline = sub
                .deadlines
                .iter()
                .find(|d| d.item_id == item.id)
                .map(|d| d.deadline)
                .unwrap_or_else(|| policy().default_deadline(item.severity, now));
            step(&mut state, HazardAction::OrderRectification { deadline });
        }
        let description = item.hazard_description(answer.note.as_deref());
        let closed_at = (state.status == HazardStatus::Closed).then_some(now);
        hazards.push(Record::Hazard(Hazard {
            id: hazard_id_for(sub.id, &item.id),
            premise_id: sub.premise_id,
            inspection_id: Some(sub.id),
            item_id: Some(item.id.clone()),
            category: item.category,
            description,
            photos: answer.photos.clone(),
            state,
            version,
            created_at: now,
            closed_at,
        }));
    }
    let inspection =
        Inspection { submitted: sub.clone(), inspector_id: me, received_at: now, hazard_count: hazards.len() as u32 };
    let mut out = vec![Record::Inspection(inspection)];
    out.extend(hazards);
    out
}

/// When a premise was last inspected, from the inspections on the phone.
pub fn last_inspected(premise: &Premise, inspections: &[Local<Inspection>]) -> Option<DateTime<Utc>> {
    inspections
        .iter()
        .filter(|i| i.value.submitted.premise_id == premise.id)
        .map(|i| i.value.submitted.finished_at)
        .max()
}

/// Whether a premise is due this period (the shared cadence; the county's default periods).
pub fn is_due(premise: &Premise, inspections: &[Local<Inspection>], now: DateTime<Utc>) -> bool {
    premise.active && cadence().is_due(premise.premise_type, last_inspected(premise, inspections), now)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "local_tests.rs"]
mod tests;
