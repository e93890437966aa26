//! Queries on the roadside register (第七条) and the party a road issue names as responsible.

use super::schema::{road_issue_parties as ip, road_segments as seg, roads, roadside_parties as rp};
use super::{corrupt, escape_like, from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::road::roadside::{PartyKind, RoadSide, RoadsideParty};
use xunjian_shared::{RoadIssueId, RoadsidePartyId, SegmentId, UserId};

/// A row of `roadside_parties`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rp, treat_none_as_null = true)]
pub struct PartyRow {
    pub id: RoadsidePartyId,
    pub segment_id: SegmentId,
    /// The segment's township path (the party's scope).
    pub scope_path: String,
    pub village: String,
    pub kind: PartyKind,
    pub holder: String,
    pub phone: String,
    pub from_km: f64,
    pub to_km: f64,
    pub side: RoadSide,
    /// `YYYY-MM-DD`.
    pub agreement_on: Option<String>,
    pub note: String,
    pub active: bool,
    pub updated_by: Option<UserId>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A party with its segment's road, township and the road's code.
pub type PartyWithRoad = (PartyRow, String, String, String);

impl PartyRow {
    /// The API shape, given its segment's road id, township id and road code.
    pub fn to_dto((row, road_id, township_id, code): PartyWithRoad) -> Result<RoadsideParty, AppError> {
        let agreement_on = match &row.agreement_on {
            Some(d) => Some(d.parse().map_err(|_| corrupt("roadside_parties.agreement_on"))?),
            None => None,
        };
        Ok(RoadsideParty {
            id: row.id,
            segment_id: row.segment_id,
            road_id: road_id.parse().map_err(|_| corrupt("road_segments.road_id"))?,
            road_code: code,
            township_id: township_id.parse().map_err(|_| corrupt("road_segments.township_id"))?,
            village: row.village,
            kind: row.kind,
            holder: row.holder,
            phone: row.phone,
            from_km: row.from_km,
            to_km: row.to_km,
            side: row.side,
            agreement_on,
            note: row.note,
            active: row.active,
            updated_at: from_millis(row.updated_at),
        })
    }
}

/// Which parties to list.
#[derive(Clone, Debug, Default)]
pub struct PartyFilter {
    /// Under this unit path (the caller's scope, or a unit in it).
    pub path: String,
    /// On this segment only.
    pub segment_id: Option<SegmentId>,
    /// On this road only.
    pub road_id: Option<String>,
    /// Inactive ones too.
    pub include_inactive: bool,
}

/// The parties matching a filter, by road code, km and holder.
pub fn list(conn: &mut DbConn, f: &PartyFilter) -> Result<Vec<PartyWithRoad>, AppError> {
    let mut q = rp::table
        .inner_join(seg::table.inner_join(roads::table))
        .filter(rp::scope_path.like(format!("{}%", escape_like(&f.path))).escape('\\'))
        .into_boxed();
    if let Some(s) = f.segment_id {
        q = q.filter(rp::segment_id.eq(s));
    }
    if let Some(r) = &f.road_id {
        q = q.filter(seg::road_id.eq(r.clone()));
    }
    if !f.include_inactive {
        q = q.filter(rp::active.eq(true));
    }
    Ok(q.order((roads::code.asc(), rp::from_km.asc(), rp::holder.asc()))
        .select((PartyRow::as_select(), seg::road_id, seg::township_id, roads::code))
        .load(conn)?)
}

/// One party with its road.
pub fn find(conn: &mut DbConn, id: RoadsidePartyId) -> Result<Option<PartyWithRoad>, AppError> {
    Ok(rp::table
        .inner_join(seg::table.inner_join(roads::table))
        .filter(rp::id.eq(id))
        .select((PartyRow::as_select(), seg::road_id, seg::township_id, roads::code))
        .first(conn)
        .optional()?)
}

/// Registers a party.
pub fn insert(conn: &mut DbConn, row: &PartyRow) -> Result<(), AppError> {
    diesel::insert_into(rp::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves a party's changed fields.
pub fn update(conn: &mut DbConn, row: &PartyRow) -> Result<(), AppError> {
    diesel::update(rp::table.find(row.id)).set(row).execute(conn)?;
    Ok(())
}

/// Who is named responsible for a road issue: (party, named by, named at).
pub fn of_issue(
    conn: &mut DbConn,
    issue: RoadIssueId,
) -> Result<Option<(RoadsidePartyId, Option<UserId>, i64)>, AppError> {
    Ok(ip::table.find(issue).select((ip::party_id, ip::named_by, ip::named_at)).first(conn).optional()?)
}

/// Names (or, with `None`, clears) the party responsible for a road issue.
pub fn name_for_issue(
    conn: &mut DbConn,
    issue: RoadIssueId,
    party: Option<RoadsidePartyId>,
    by: UserId,
    at: i64,
) -> Result<(), AppError> {
    diesel::delete(ip::table.find(issue)).execute(conn)?;
    if let Some(p) = party {
        diesel::insert_into(ip::table)
            .values((ip::issue_id.eq(issue), ip::party_id.eq(p), ip::named_by.eq(by), ip::named_at.eq(at)))
            .execute(conn)?;
    }
    Ok(())
}
