//! Submitting an inspection: checks it against its template version, stores it unchanged, and
//! registers one hazard per failed item — fixed on the spot and closed, or ordered to rectify.

use super::hazards::{register, transition, Acting, NewHazard, Place};
use super::scope;
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::inspections::{self, InspectionRow};
use crate::db::{attachments, hazards, premises, templates, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use xunjian_shared::checklist::{failed_items, validate_answers};
use xunjian_shared::hazard::{Actor, DeadlinePolicy, HazardAction};
use xunjian_shared::inspection::{hazard_id_for, Inspection, SubmitInspection};
use xunjian_shared::premise::PremiseType;
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
    if req.notes.chars().count() > 2000 {
        return Err(AppError::validation("notes", "at most 2000 characters"));
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
    let (premise, path) = premises::find_with_path(conn, req.premise_id)?
        .filter(|(_, p)| user.can_see(p))
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "premise_id"))?;
    if !premise.active {
        return Err(AppError::validation("premise_id", "the premise is inactive"));
    }
    let template = templates
        .get(conn, req.template_id)?
        .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "template_id"))?;
    if PremiseType::parse(&premise.premise_type) != Some(template.content.premise_type) {
        return Err(AppError::validation("template_id", "the template is for another type of premise"));
    }
    validate_answers(&template.content, &req.answers).map_err(|problems| {
        AppError::with_detail(ErrorCode::ValidationFailed, serde_json::to_string(&problems).unwrap_or_default())
    })?;
    if let Some(old) = req.corrects {
        let same =
            scope::visible(user, inspections::find_with_path(conn, old)?).is_ok_and(|o| o.premise_id == premise.id);
        if !same {
            return Err(AppError::validation("corrects", "no such inspection of this premise"));
        }
    }
    let failed = failed_items(&template.content, &req.answers);
    for f in &req.fixed_on_spot {
        if !failed.iter().any(|(item, _)| item.id == f.item_id) {
            return Err(AppError::validation("fixed_on_spot", format!("item '{}' did not fail", f.item_id)));
        }
    }
    let now_ms = now.timestamp_millis();
    let mut row = InspectionRow {
        id: req.id.to_string(),
        premise_id: premise.id.clone(),
        template_id: req.template_id.to_string(),
        inspector_id: user.id.to_string(),
        started_at: req.started_at.timestamp_millis(),
        finished_at: req.finished_at.timestamp_millis(),
        received_at: now_ms,
        lat: req.location.map(|l| l.lat),
        lon: req.location.map(|l| l.lon),
        accuracy_m: req.location.and_then(|l| l.accuracy_m),
        body,
        corrects_id: req.corrects.map(|c| c.to_string()),
        hazard_count: 0,
    };
    // The inspection row first: hazards reference it.
    inspections::insert(conn, &row)?;
    changes::created(conn, Kind::Inspection, &row.id, &path, now_ms)?;
    let photos: Vec<PhotoRef> = req
        .answers
        .iter()
        .flat_map(|a| a.photos.iter().cloned())
        .chain(req.fixed_on_spot.iter().flat_map(|f| f.evidence.iter().cloned()))
        .collect();
    attachments::add_refs_new(conn, &photos, "inspection", &row.id, &path)?;
    let by = Acting {
        actor: Actor::User(user.role),
        user_id: Some(user.id.to_string()),
        device_time: Some(req.finished_at),
        location: req.location,
        note: "",
    };
    let mut count = 0;
    for (item, answer) in failed {
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
            description: answer.note.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| item.text_zh.clone()),
            photos: answer.photos.clone(),
        };
        let mut h = register(conn, &premise, &path, new, &by, now_ms)?;
        let next: Vec<HazardAction> = match req.fixed_on_spot.iter().find(|f| f.item_id == item.id) {
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
        let place = Place { premise_name: &premise.name, grid_path: &path };
        for action in &next {
            h = transition(conn, h, &place, action, &by, now, policy)?;
        }
        count += 1;
    }
    row.hazard_count = count;
    if count > 0 {
        crate::db::inspections::set_hazard_count(conn, &row.id, count)?;
    }
    row.to_dto()
}

/// One inspection in scope.
pub async fn get(state: &AppState, user: &AuthUser, id: InspectionId) -> Result<Inspection, AppError> {
    let user = user.clone();
    state.db.read(move |conn| scope::visible(&user, inspections::find_with_path(conn, id)?)?.to_dto()).await
}
