//! Checklist templates: the latest per premise type, every version, and publishing a new one.

use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::templates::{self, TemplateRow};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::checklist::defaults::default_templates;
use xunjian_shared::checklist::{Template, TemplateContent};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::{ErrorCode, TemplateId};

/// Publishes the bundled default checklist for every premise type that has none yet.
/// Returns how many were published. Run at start, so a new county has checklists at once.
pub fn ensure_defaults(conn: &mut DbConn, now: i64) -> Result<usize, AppError> {
    let have: Vec<String> = templates::latest(conn)?.into_iter().map(|t| t.premise_type).collect();
    let mut n = 0;
    for content in default_templates() {
        if !have.iter().any(|t| t == content.premise_type.as_str()) {
            publish_in(conn, &content, None, now)?;
            n += 1;
        }
    }
    Ok(n)
}

/// The version devices should use now, one per premise type.
pub async fn latest(state: &AppState) -> Result<Vec<Template>, AppError> {
    state.db.read(|conn| templates::latest(conn)?.iter().map(|r| r.to_dto()).collect()).await
}

/// Every version of a premise type, newest first.
pub async fn versions(state: &AppState, pt: PremiseType) -> Result<Vec<Template>, AppError> {
    state.db.read(move |conn| templates::versions(conn, pt)?.iter().map(|r| r.to_dto()).collect()).await
}

/// One version (inspections name the version they used, so old versions stay readable).
pub async fn get(state: &AppState, id: TemplateId) -> Result<Template, AppError> {
    state
        .db
        .read(move |conn| templates::find(conn, id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?.to_dto())
        .await
}

/// Publishes a new version of a premise type's checklist (county_admin). Published versions are
/// never changed: past inspections and open drafts keep the version they used.
pub async fn publish(state: &AppState, user: &AuthUser, content: TemplateContent) -> Result<Template, AppError> {
    if !user.role.can_publish_templates() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    content.validate().map_err(|e| AppError::validation("template", e))?;
    let now = state.now_ms();
    let by = user.id.to_string();
    state.db.write(move |conn| publish_in(conn, &content, Some(&by), now)?.to_dto()).await
}

/// Publishes a version in the caller's transaction; every device gets it with its next pull.
pub fn publish_in(
    conn: &mut DbConn,
    content: &TemplateContent,
    by: Option<&str>,
    at: i64,
) -> Result<TemplateRow, AppError> {
    let row = templates::publish(conn, content, by, at)?;
    changes::record(conn, Kind::Template, &row.id, &Audience::Everyone, false, at)?;
    Ok(row)
}
