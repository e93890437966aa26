//! Queries on the premises ledger and its history.

use super::corrupt;
use super::escape_like;
use super::schema::{org_units, premise_history, premises};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::premise::{GeoPoint, Premise, PremiseType};
use xunjian_shared::{OrgUnitId, PremiseId};

/// A row of `premises`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = premises, treat_none_as_null = true)]
pub struct PremiseRow {
    pub id: String,
    pub grid_id: String,
    pub name: String,
    pub premise_type: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub responsible_person: String,
    pub responsible_phone: Option<String>,
    pub notes: String,
    pub active: bool,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PremiseRow {
    /// The API shape.
    pub fn to_dto(&self) -> Result<Premise, AppError> {
        Ok(Premise {
            id: self.id.parse().map_err(|_| corrupt("premises.id"))?,
            grid_id: self.grid_id.parse().map_err(|_| corrupt("premises.grid_id"))?,
            name: self.name.clone(),
            premise_type: PremiseType::parse(&self.premise_type).ok_or_else(|| corrupt("premises.premise_type"))?,
            address: self.address.clone(),
            location: match (self.lat, self.lon) {
                (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon, accuracy_m: self.accuracy_m }),
                _ => None,
            },
            responsible_person: self.responsible_person.clone(),
            responsible_phone: self.responsible_phone.clone(),
            notes: self.notes.clone(),
            active: self.active,
            version: self.version,
        })
    }

    /// A row for a premise (times and creator given by the caller).
    pub fn from_dto(p: &Premise, created_by: Option<String>, created_at: i64, updated_at: i64) -> PremiseRow {
        PremiseRow {
            id: p.id.to_string(),
            grid_id: p.grid_id.to_string(),
            name: p.name.trim().to_owned(),
            premise_type: p.premise_type.as_str().into(),
            address: p.address.trim().to_owned(),
            lat: p.location.map(|l| l.lat),
            lon: p.location.map(|l| l.lon),
            accuracy_m: p.location.and_then(|l| l.accuracy_m),
            responsible_person: p.responsible_person.trim().to_owned(),
            responsible_phone: p.responsible_phone.clone(),
            notes: p.notes.clone(),
            active: p.active,
            version: p.version,
            created_by,
            created_at,
            updated_at,
        }
    }
}

/// Inserts a premise.
pub fn insert(conn: &mut DbConn, row: &PremiseRow) -> Result<(), AppError> {
    diesel::insert_into(premises::table).values(row).execute(conn)?;
    Ok(())
}

/// Inserts many premises (ledger import), inside the caller's transaction.
pub fn insert_many(conn: &mut DbConn, rows: &[PremiseRow]) -> Result<(), AppError> {
    // One statement per row: diesel's multi-row insert is not available over MultiConnection.
    for row in rows {
        insert(conn, row)?;
    }
    Ok(())
}

/// A premise with the path of its grid (for scope checks).
pub fn find_with_path(conn: &mut DbConn, id: PremiseId) -> Result<Option<(PremiseRow, String)>, AppError> {
    Ok(premises::table
        .inner_join(org_units::table)
        .filter(premises::id.eq(id.to_string()))
        .select((PremiseRow::as_select(), org_units::path))
        .first(conn)
        .optional()?)
}

/// Many premises with their grids' paths, by id (those that exist).
pub fn find_many_with_path(
    conn: &mut DbConn,
    ids: &[String],
) -> Result<std::collections::HashMap<String, (PremiseRow, String)>, AppError> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(super::INSERT_CHUNK) {
        let rows: Vec<(PremiseRow, String)> = premises::table
            .inner_join(org_units::table)
            .filter(premises::id.eq_any(chunk))
            .select((PremiseRow::as_select(), org_units::path))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(p, path)| (p.id.clone(), (p, path))));
    }
    Ok(out)
}

/// Saves a changed premise only if nobody changed it since `old_version`; returns whether it did.
pub fn update_if_version(conn: &mut DbConn, row: &PremiseRow, old_version: i64) -> Result<bool, AppError> {
    let n = diesel::update(premises::table.find(&row.id).filter(premises::version.eq(old_version)))
        .set(row)
        .execute(conn)?;
    Ok(n == 1)
}

/// Filters for the ledger.
#[derive(Default, Clone)]
pub struct PremiseFilter {
    /// Path prefix: the caller's scope, or a narrower unit inside it.
    pub path_prefix: String,
    pub premise_type: Option<PremiseType>,
    pub active: Option<bool>,
    /// Part of name, address or responsible person.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Premises under a path, by name; and the total for the same filters.
pub fn list(conn: &mut DbConn, f: &PremiseFilter) -> Result<(Vec<PremiseRow>, i64), AppError> {
    let query = || {
        let mut q = premises::table
            .inner_join(org_units::table)
            .filter(org_units::path.like(format!("{}%", escape_like(&f.path_prefix))).escape('\\'))
            .into_boxed();
        if let Some(t) = f.premise_type {
            q = q.filter(premises::premise_type.eq(t.as_str()));
        }
        if let Some(a) = f.active {
            q = q.filter(premises::active.eq(a));
        }
        if let Some(text) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pat = format!("%{}%", escape_like(text.trim()));
            q = q.filter(
                premises::name
                    .like(pat.clone())
                    .escape('\\')
                    .or(premises::address.like(pat.clone()).escape('\\'))
                    .or(premises::responsible_person.like(pat).escape('\\')),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .select(PremiseRow::as_select())
        .order((premises::name.asc(), premises::id.asc()))
        .limit(f.limit)
        .offset(f.offset)
        .load(conn)?;
    Ok((rows, total))
}

/// Records a change in the premise's history.
pub fn record_history(
    conn: &mut DbConn,
    premise_id: &str,
    version: i64,
    changed_by: Option<&str>,
    at: i64,
    change: &serde_json::Value,
) -> Result<(), AppError> {
    diesel::insert_into(premise_history::table)
        .values((
            premise_history::id.eq(uuid::Uuid::now_v7().to_string()),
            premise_history::premise_id.eq(premise_id),
            premise_history::version.eq(version),
            premise_history::changed_by.eq(changed_by),
            premise_history::at.eq(at),
            premise_history::change.eq(change.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One stored history entry.
#[derive(Clone, Debug, Queryable)]
pub struct HistoryRow {
    pub version: i64,
    pub changed_by: Option<String>,
    pub at: i64,
    /// JSON: `{"created": …}` or `{"before", "after"[, "conflicts"]}`.
    pub change: String,
}

/// The history of a premise, oldest first.
pub fn history(conn: &mut DbConn, premise_id: PremiseId) -> Result<Vec<HistoryRow>, AppError> {
    Ok(premise_history::table
        .filter(premise_history::premise_id.eq(premise_id.to_string()))
        .select((premise_history::version, premise_history::changed_by, premise_history::at, premise_history::change))
        .order(premise_history::version.asc())
        .load(conn)?)
}

/// Premises of one grid unit id list (for demo data and the today list): rows in the given grids.
pub fn in_grids(conn: &mut DbConn, grid_ids: &[OrgUnitId]) -> Result<Vec<PremiseRow>, AppError> {
    let ids: Vec<String> = grid_ids.iter().map(|g| g.to_string()).collect();
    Ok(premises::table
        .filter(premises::grid_id.eq_any(ids))
        .select(PremiseRow::as_select())
        .order(premises::name.asc())
        .load(conn)?)
}
