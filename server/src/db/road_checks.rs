//! Queries on road checks and their scores.

use super::schema::{road_check_marks, road_check_scores as s, road_checks as c};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;

/// A row of `road_checks`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct CheckRow {
    pub id: String,
    pub kind: String,
    pub period: String,
    pub seed: i64,
    pub draw: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    /// The ranking as published (JSON `Vec<Ranked>`); none until published.
    pub ranking: Option<String>,
    /// The check form it was drawn with (JSON `CheckForm`); none for a check drawn before the
    /// county had forms (the road part alone).
    pub form: Option<String>,
}

/// Inserts a check.
pub fn insert(conn: &mut DbConn, row: &CheckRow) -> Result<(), AppError> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    Ok(())
}

/// One check.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<CheckRow>, AppError> {
    Ok(c::table.find(id).select(CheckRow::as_select()).first(conn).optional()?)
}

/// The check of a kind and period.
pub fn find_period(conn: &mut DbConn, kind: &str, period: &str) -> Result<Option<CheckRow>, AppError> {
    Ok(c::table
        .filter(c::kind.eq(kind))
        .filter(c::period.eq(period))
        .select(CheckRow::as_select())
        .first(conn)
        .optional()?)
}

/// The latest checks (only published ones if asked), newest period first.
pub fn latest(conn: &mut DbConn, limit: i64, published_only: bool) -> Result<Vec<CheckRow>, AppError> {
    let mut q = c::table.into_boxed();
    if published_only {
        q = q.filter(c::published_at.is_not_null());
    }
    Ok(q.order((c::period.desc(), c::kind.asc())).limit(limit).select(CheckRow::as_select()).load(conn)?)
}

/// Marks a check published with its ranking as it stands.
pub fn publish(conn: &mut DbConn, id: &str, at: i64, ranking: &str) -> Result<(), AppError> {
    diesel::update(c::table.find(id)).set((c::published_at.eq(at), c::ranking.eq(ranking))).execute(conn)?;
    Ok(())
}

/// Saves a segment's score (replacing an earlier one of the same check).
pub fn save_score(
    conn: &mut DbConn,
    check: &str,
    segment: &str,
    by: &str,
    items: &str,
    score: f64,
    at: i64,
) -> Result<(), AppError> {
    diesel::delete(s::table.find((check, segment))).execute(conn)?;
    diesel::insert_into(s::table)
        .values((
            s::check_id.eq(check),
            s::segment_id.eq(segment),
            s::scored_by.eq(by),
            s::items.eq(items),
            s::score.eq(score),
            s::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Scores of a check: (segment, score).
pub fn scores(conn: &mut DbConn, check: &str) -> Result<Vec<(String, f64)>, AppError> {
    Ok(s::table.filter(s::check_id.eq(check)).select((s::segment_id, s::score)).load(conn)?)
}

/// A scoring form as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct ScoreRow {
    pub segment_id: String,
    pub scored_by: Option<String>,
    pub items: String,
    pub score: f64,
    pub at: i64,
}

/// The scoring forms of a check.
pub fn score_forms(conn: &mut DbConn, check: &str) -> Result<Vec<ScoreRow>, AppError> {
    Ok(s::table.filter(s::check_id.eq(check)).select(ScoreRow::as_select()).load(conn)?)
}

/// A not-checkable mark as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = road_check_marks)]
pub struct MarkRow {
    pub segment_id: String,
    pub marked_by: Option<String>,
    pub reason: String,
    pub at: i64,
}

/// Marks a drawn segment not checkable, replacing its score or an earlier mark.
pub fn save_mark(
    conn: &mut DbConn,
    check: &str,
    segment: &str,
    by: &str,
    reason: &str,
    at: i64,
) -> Result<(), AppError> {
    use road_check_marks as m;
    diesel::delete(s::table.find((check, segment))).execute(conn)?;
    diesel::delete(m::table.find((check, segment))).execute(conn)?;
    diesel::insert_into(m::table)
        .values((
            m::check_id.eq(check),
            m::segment_id.eq(segment),
            m::marked_by.eq(by),
            m::reason.eq(reason),
            m::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a segment's not-checkable mark (it is scored after all).
pub fn clear_mark(conn: &mut DbConn, check: &str, segment: &str) -> Result<(), AppError> {
    use road_check_marks as m;
    diesel::delete(m::table.find((check, segment))).execute(conn)?;
    Ok(())
}

/// The not-checkable marks of a check.
pub fn marks(conn: &mut DbConn, check: &str) -> Result<Vec<MarkRow>, AppError> {
    use road_check_marks as m;
    Ok(m::table.filter(m::check_id.eq(check)).select(MarkRow::as_select()).load(conn)?)
}
