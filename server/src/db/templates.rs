//! Queries on published checklist templates (rows are never updated).

use super::schema::checklist_templates as t;
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::checklist::{Template, TemplateContent};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::TemplateId;

/// A row of `checklist_templates`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = t)]
pub struct TemplateRow {
    pub id: String,
    pub premise_type: String,
    pub version: i32,
    pub title: String,
    pub content: String,
    pub published_by: Option<String>,
    pub published_at: i64,
}

impl TemplateRow {
    /// The API shape.
    pub fn to_dto(&self) -> Result<Template, AppError> {
        let content: TemplateContent = serde_json::from_str(&self.content).map_err(AppError::internal)?;
        Ok(Template {
            id: self.id.parse().map_err(AppError::internal)?,
            version: self.version,
            content,
            published_at: from_millis(self.published_at),
        })
    }
}

/// Publishes the next version for the content's premise type; returns it.
pub fn publish(
    conn: &mut DbConn,
    content: &TemplateContent,
    by: Option<&str>,
    at: i64,
) -> Result<TemplateRow, AppError> {
    let last: Option<i32> = t::table
        .filter(t::premise_type.eq(content.premise_type.as_str()))
        .select(diesel::dsl::max(t::version))
        .first(conn)?;
    let row = TemplateRow {
        id: TemplateId::new().to_string(),
        premise_type: content.premise_type.as_str().into(),
        version: last.unwrap_or(0) + 1,
        title: content.title.clone(),
        content: serde_json::to_string(content).map_err(AppError::internal)?,
        published_by: by.map(str::to_owned),
        published_at: at,
    };
    diesel::insert_into(t::table).values(&row).execute(conn)?;
    Ok(row)
}

/// One version by id.
pub fn find(conn: &mut DbConn, id: TemplateId) -> Result<Option<TemplateRow>, AppError> {
    Ok(t::table.find(id.to_string()).select(TemplateRow::as_select()).first(conn).optional()?)
}

/// Published templates by id, parsed once. A published version is never edited (a change is a new
/// version with a new id), so an entry never goes stale; the push path reads one per inspection.
#[derive(Clone, Default)]
pub struct TemplateCache(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<TemplateId, std::sync::Arc<Template>>>>,
);

impl TemplateCache {
    /// The template, from the cache or the database.
    pub fn get(&self, conn: &mut DbConn, id: TemplateId) -> Result<Option<std::sync::Arc<Template>>, AppError> {
        if let Some(t) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(Some(t.clone()));
        }
        let Some(row) = find(conn, id)? else { return Ok(None) };
        let t = std::sync::Arc::new(row.to_dto()?);
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= 256 {
            map.clear();
        }
        map.insert(id, t.clone());
        Ok(Some(t))
    }
}

/// The latest version of every premise type (what devices should use for new inspections).
pub fn latest(conn: &mut DbConn) -> Result<Vec<TemplateRow>, AppError> {
    let mut out = Vec::new();
    for pt in PremiseType::ALL {
        if let Some(row) = t::table
            .filter(t::premise_type.eq(pt.as_str()))
            .order(t::version.desc())
            .select(TemplateRow::as_select())
            .first(conn)
            .optional()?
        {
            out.push(row);
        }
    }
    Ok(out)
}

/// Every version of one type, newest first.
pub fn versions(conn: &mut DbConn, pt: PremiseType) -> Result<Vec<TemplateRow>, AppError> {
    Ok(t::table
        .filter(t::premise_type.eq(pt.as_str()))
        .order(t::version.desc())
        .select(TemplateRow::as_select())
        .load(conn)?)
}
