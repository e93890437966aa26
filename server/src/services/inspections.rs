//! Submitting an inspection: checks it against its template version, stores it unchanged, and
//! registers one hazard per failed item — fixed on the spot and closed, or ordered to rectify.

use super::hazards::{register_with, NewHazard};
use super::lifecycle::Acting;
use super::scope;
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::inspections::{self, InspectionRow};
use crate::db::premises::PremiseRow;
use crate::db::{attachments, hazards, premises, templates, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use xunjian_shared::checklist::Template;
use xunjian_shared::checklist::{failed_items, validate_answers};
use xunjian_shared::hazard::{Actor, DeadlinePolicy, HazardAction};
use xunjian_shared::inspection::{hazard_id_for, Inspection, SubmitInspection};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::text::MAX_FREE_TEXT;
use xunjian_shared::{ErrorCode, InspectionId, PhotoRef};

/// Checks an inspection's times, position and notes.
pub fn check_times(req: &SubmitInspection, now: DateTime<Utc>) -> Result<(), AppError> {
    if req.finished_at < req.started_at {
        return Err(AppError::validation("finished_at", "is before started_at"));
    }
    if req.finished_at - req.started_at > Duration::hours(24) {
        return Err(AppError::validation("finished_at", "an inspection lasts at most 24 hours"));
    }
    // Phones' clocks drift, but not by days: a time far ahead is a wrong clock, not a visit.
    if req.started_at > now + Duration::days(1) {
        return Err(AppError::validation("started_at", "is in the future; check the phone's clock"));
    }
    if let Some(loc) = &req.location {
        loc.validate().map_err(|e| AppError::validation("location", e))?;
    }
    if req.notes.chars().count() > MAX_FREE_TEXT {
        return Err(AppError::validation("notes", format!("at most {MAX_FREE_TEXT} characters")));
    }
    Ok(())
}

/// Submits an inspection. Re-sending the same inspection (same id and content) answers the stored
/// one and changes nothing; the same id with other content is refused.
pub async fn submit(state: &AppState, user: &AuthUser, req: SubmitInspection) -> Result<Inspection, AppError> {
    if !user.role.can_inspect() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let now = state.clock.now();
    check_times(&req, now)?;
    let user = user.clone();
    let (policy, cache) = (state.deadlines.clone(), state.templates.clone());
    state.db.write(move |conn| submit_in(conn, &user, req, now, &policy, &cache)).await
}

/// An inspection checked against its premise and template version, ready to be written.
pub struct Checked {
    pub row: InspectionRow,
    req: SubmitInspection,
    premise: PremiseRow,
    pub path: String,
    template: Arc<Template>,
}

impl Checked {
    /// The photos it references: the answers' and the on-the-spot fixes' evidence.
    pub fn photos(&self) -> Vec<PhotoRef> {
        let req = &self.req;
        let answers = req.answers.iter().flat_map(|a| a.photos.iter().cloned());
        answers.chain(req.fixed_on_spot.iter().flat_map(|f| f.evidence.iter().cloned())).collect()
    }
}

/// The checks of a new inspection once its premise (with its grid's path) and template are looked
/// up: the premise is in the user's scope and active, the template is for its type, every answer
/// fits the template, and only failed items were fixed on the spot. Reads nothing else.
pub fn check(
    user: &AuthUser,
    req: SubmitInspection,
    body: String,
    found: Option<(PremiseRow, String)>,
    template: Option<Arc<Template>>,
    now: DateTime<Utc>,
) -> Result<Checked, AppError> {
    let (premise, path) = found
        .filter(|(_, p)| user.can_see(p))
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "premise_id"))?;
    if !premise.active {
        return Err(AppError::validation("premise_id", "the premise is inactive"));
    }
    let template = template.ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "template_id"))?;
    if PremiseType::parse(&premise.premise_type) != Some(template.content.premise_type) {
        return Err(AppError::validation("template_id", "the template is for another type of premise"));
    }
    validate_answers(&template.content, &req.answers).map_err(|problems| {
        AppError::with_detail(ErrorCode::ValidationFailed, serde_json::to_string(&problems).unwrap_or_default())
    })?;
    let failed = failed_items(&template.content, &req.answers);
    for f in &req.fixed_on_spot {
        if !failed.iter().any(|(item, _)| item.id == f.item_id) {
            return Err(AppError::validation("fixed_on_spot", format!("item '{}' did not fail", f.item_id)));
        }
    }
    let row = InspectionRow {
        id: req.id.to_string(),
        premise_id: premise.id.clone(),
        template_id: req.template_id.to_string(),
        inspector_id: user.id.to_string(),
        started_at: req.started_at.timestamp_millis(),
        finished_at: req.finished_at.timestamp_millis(),
        received_at: now.timestamp_millis(),
        lat: req.location.map(|l| l.lat),
        lon: req.location.map(|l| l.lon),
        accuracy_m: req.location.and_then(|l| l.accuracy_m),
        body,
        corrects_id: req.corrects.map(|c| c.to_string()),
        hazard_count: 0,
    };
    Ok(Checked { row, req, premise, path, template })
}

/// Submits an inspection in the caller's transaction (times already checked).
pub fn submit_in(
    conn: &mut DbConn,
    user: &AuthUser,
    req: SubmitInspection,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
    templates: &templates::TemplateCache,
) -> Result<Inspection, AppError> {
    let body = serde_json::to_string(&req).map_err(AppError::internal)?;
    if let Some((existing, _)) = inspections::find_with_path(conn, req.id)? {
        return if existing.body == body && existing.inspector_id == user.id.to_string() {
            existing.to_dto()
        } else {
            Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"))
        };
    }
    let found = premises::find_with_path(conn, req.premise_id)?;
    let template = templates.get(conn, req.template_id)?;
    let mut c = check(user, req, body, found, template, now)?;
    if let Some(old) = c.req.corrects {
        let same =
            scope::visible(user, inspections::find_with_path(conn, old)?).is_ok_and(|o| o.premise_id == c.premise.id);
        if !same {
            return Err(AppError::validation("corrects", "no such inspection of this premise"));
        }
    }
    super::attachments::may_reference(conn, user, &c.photos())?;
    // The inspection row first: hazards reference it.
    inspections::insert(conn, &c.row)?;
    changes::created(conn, Kind::Inspection, &c.row.id, &c.path, now.timestamp_millis())?;
    attachments::add_refs_new(conn, &c.photos(), "inspection", &c.row.id, &c.path)?;
    register_failures(conn, user, &mut c, now, policy)?;
    c.row.to_dto()
}

/// Registers one hazard per failed item of a written inspection — fixed on the spot and closed, or
/// ordered to rectify — and records how many on the inspection.
pub fn register_failures(
    conn: &mut DbConn,
    user: &AuthUser,
    c: &mut Checked,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<(), AppError> {
    let (req, premise, path) = (&c.req, &c.premise, &c.path);
    let by = Acting {
        actor: Actor::User(user.role),
        user_id: Some(user.id.to_string()),
        device_time: Some(req.finished_at),
        location: req.location,
        note: "",
    };
    let mut count = 0;
    for (item, answer) in failed_items(&c.template.content, &req.answers) {
        // One open hazard per item and premise: a repeat finding does not double-count.
        if hazards::open_for_item(conn, &premise.id, &item.id)? {
            continue;
        }
        let new = NewHazard {
            id: hazard_id_for(req.id, &item.id),
            inspection_id: Some(req.id),
            item_id: Some(item.id.clone()),
            category: item.category,
            severity: item.severity,
            description: item.hazard_description(answer.note.as_deref()),
            photos: answer.photos.clone(),
        };
        let first: Vec<HazardAction> = match req.fixed_on_spot.iter().find(|f| f.item_id == item.id) {
            Some(fixed) => vec![HazardAction::FixOnSpot { evidence: fixed.evidence.clone() }, HazardAction::Close],
            None => {
                let deadline = req
                    .deadlines
                    .iter()
                    .find(|d| d.item_id == item.id)
                    .map(|d| d.deadline)
                    .unwrap_or_else(|| policy.default_deadline(item.severity, now));
                vec![HazardAction::OrderRectification { deadline }]
            }
        };
        register_with(conn, premise, path, new, &first, &by, now, policy)?;
        count += 1;
    }
    c.row.hazard_count = count;
    if count > 0 {
        inspections::set_hazard_count(conn, &c.row.id, count)?;
    }
    Ok(())
}

/// One inspection in scope.
pub async fn get(state: &AppState, user: &AuthUser, id: InspectionId) -> Result<Inspection, AppError> {
    let user = user.clone();
    state.db.read(move |conn| scope::visible(&user, inspections::find_with_path(conn, id)?)?.to_dto()).await
}
