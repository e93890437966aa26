//! The roadside register (沿线责任户, 第七条): the parties along the roads whose 门前三包 agreement the
//! village signs — listed, registered and changed one by one (by file: `roadside_file.rs`) — and the
//! party a road issue names as responsible.

use super::scope;
use crate::auth::AuthUser;
use crate::db::road_issues::IssueFull;
use crate::db::roads::{self, SegmentRow};
use crate::db::roadside::{self as db, PartyFilter, PartyRow};
use crate::db::{users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::roadside::{
    candidates, km_at, may_edit, may_name, may_read, NameResponsible, Responsible, RoadsideCandidate, RoadsideParty,
    SaveRoadsideParty,
};
use xunjian_shared::time::china_date;
use xunjian_shared::{ErrorCode, OrgUnitId, RoadIssueId, RoadsidePartyId, SegmentId};

pub(super) fn allowed(ok: bool) -> Result<(), AppError> {
    if ok {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

pub(super) fn today(state: &AppState) -> NaiveDate {
    china_date(state.clock.now())
}

/// What to list.
#[derive(Clone, Debug, Default)]
pub struct PartyQuery {
    pub org_unit_id: Option<OrgUnitId>,
    pub segment_id: Option<SegmentId>,
    pub road_id: Option<String>,
    pub include_inactive: bool,
}

/// The parties in the caller's scope (or under a unit in it), by road, km and holder.
pub async fn list(state: &AppState, user: &AuthUser, q: PartyQuery) -> Result<Vec<RoadsideParty>, AppError> {
    allowed(may_read(user.role))?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let filter = PartyFilter {
                path: scope::narrow(conn, &user, q.org_unit_id)?,
                segment_id: q.segment_id,
                road_id: q.road_id,
                include_inactive: q.include_inactive,
            };
            db::list(conn, &filter)?.into_iter().map(PartyRow::to_dto).collect()
        })
        .await
}

/// The segment a party is saved on, if the caller may keep parties there (`out_of_scope` else).
fn segment_for(conn: &mut DbConn, user: &AuthUser, id: SegmentId) -> Result<SegmentRow, AppError> {
    let seg = roads::find_segment(conn, id)?.ok_or_else(|| AppError::validation("segment_id", "no such segment"))?;
    if !user.can_see(&seg.scope_path) {
        return Err(AppError::with_detail(ErrorCode::OutOfScope, "segment_id"));
    }
    Ok(seg)
}

/// A party's row from a save request, on its segment.
fn row_of(req: &SaveRoadsideParty, id: RoadsidePartyId, seg: &SegmentRow, user: &AuthUser, now: i64) -> PartyRow {
    PartyRow {
        id,
        segment_id: req.segment_id,
        scope_path: seg.scope_path.clone(),
        village: req.village.trim().to_owned(),
        kind: req.kind,
        holder: req.holder.trim().to_owned(),
        phone: req.phone.trim().to_owned(),
        from_km: req.from_km,
        to_km: req.to_km,
        side: req.side,
        agreement_on: req.agreement_on.map(|d| d.to_string()),
        note: req.note.trim().to_owned(),
        active: req.active,
        updated_by: Some(user.id),
        created_at: now,
        updated_at: now,
    }
}

/// Another active party of the same holder at the same plot start on the segment: one plot, one
/// entry (`already_exists`).
fn same_plot(conn: &mut DbConn, row: &PartyRow) -> Result<(), AppError> {
    let filter = PartyFilter { path: row.scope_path.clone(), segment_id: Some(row.segment_id), ..Default::default() };
    let twin = db::list(conn, &filter)?
        .into_iter()
        .any(|(p, ..)| p.id != row.id && p.holder == row.holder && (p.from_km - row.from_km).abs() < 1e-6);
    if twin && row.active {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "holder"));
    }
    Ok(())
}

/// Registers a party (`id` none) or saves one (`id` given; `not_found` out of scope).
pub async fn save(
    state: &AppState,
    user: &AuthUser,
    id: Option<RoadsidePartyId>,
    req: SaveRoadsideParty,
) -> Result<RoadsideParty, AppError> {
    allowed(may_edit(user.role))?;
    let (user, now, today) = (user.clone(), state.now_ms(), today(state));
    state
        .db
        .write(move |conn| {
            let old = match id {
                Some(id) => Some(scope::visible(
                    &user,
                    db::find(conn, id)?.map(|p| {
                        let path = p.0.scope_path.clone();
                        (p.0, path)
                    }),
                )?),
                None => None,
            };
            let seg = segment_for(conn, &user, req.segment_id)?;
            req.validate((seg.from_km, seg.to_km), today).map_err(|(f, m)| AppError::validation(f, m))?;
            let mut row = row_of(&req, id.unwrap_or_default(), &seg, &user, now);
            if let Some(old) = &old {
                row.created_at = old.created_at;
            }
            same_plot(conn, &row)?;
            match old {
                Some(_) => db::update(conn, &row)?,
                None => db::insert(conn, &row)?,
            }
            let found = db::find(conn, row.id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            PartyRow::to_dto(found)
        })
        .await
}

/// The party named for an issue and the ones the caller may name: for the issue's detail.
pub fn issue_parts(
    conn: &mut DbConn,
    user: &AuthUser,
    issue: &IssueFull,
) -> Result<(Option<Responsible>, Vec<RoadsideCandidate>), AppError> {
    let responsible = match db::of_issue(conn, issue.row.id)? {
        Some((party, named_by, named_at)) => {
            let party = db::find(conn, party)?.ok_or_else(|| crate::db::corrupt("road_issue_parties.party_id"))?;
            let named_by_name = match named_by {
                Some(u) => users::display_name(conn, u)?,
                None => String::new(),
            };
            Some(Responsible {
                party: PartyRow::to_dto(party)?,
                named_by,
                named_by_name,
                named_at: crate::db::from_millis(named_at),
            })
        }
        None => None,
    };
    let open = issue.row.status != HazardStatus::Closed;
    if !(may_name(user.role) && issue.row.category.is_violation() && open) {
        return Ok((responsible, Vec::new()));
    }
    let filter =
        PartyFilter { path: issue.row.scope_path.clone(), road_id: Some(issue.road_id.clone()), ..Default::default() };
    let parties: Vec<RoadsideParty> =
        db::list(conn, &filter)?.into_iter().map(PartyRow::to_dto).collect::<Result<_, _>>()?;
    let km = match roads::find_segment(conn, issue.row.segment_id)? {
        Some(seg) => {
            let line: Vec<GeoPoint> = serde_json::from_str(&seg.polyline).map_err(AppError::internal)?;
            let at = GeoPoint { lat: issue.row.lat, lon: issue.row.lon, accuracy_m: None };
            km_at(&line, (seg.from_km, seg.to_km), &at).map(|k| k.km)
        }
        None => None,
    };
    Ok((responsible, candidates(parties, km)))
}

/// Names (or clears) the party responsible for a road issue; answers the issue's detail.
pub async fn name_responsible(
    state: &AppState,
    user: &AuthUser,
    id: RoadIssueId,
    req: NameResponsible,
) -> Result<xunjian_shared::road::issue::RoadIssueDetail, AppError> {
    use super::lifecycle::{find_visible, Tracked};
    let (user, now) = (user.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let issue: IssueFull = find_visible(conn, &user, &id.to_string())?;
            allowed(may_name(user.role))?;
            if issue.row.status == HazardStatus::Closed {
                return Err(AppError::with_detail(ErrorCode::TransitionNotAllowed, "the road issue is closed"));
            }
            if let Some(party) = req.party_id {
                if !issue.row.category.is_violation() {
                    let what = issue.row.category.label_zh();
                    return Err(AppError::validation("party_id", format!("{what} is not a violation by anyone")));
                }
                let found = db::find(conn, party)?.filter(|(p, road, ..)| {
                    *road == issue.road_id && xunjian_shared::org::is_within(&issue.row.scope_path, &p.scope_path)
                });
                match found {
                    None => {
                        return Err(AppError::validation(
                            "party_id",
                            "not on the register along this road in the township",
                        ))
                    }
                    Some((p, ..)) if !p.active => {
                        return Err(AppError::validation("party_id", "no longer on the register"))
                    }
                    Some(_) => {}
                }
            }
            db::name_for_issue(conn, issue.row.id, req.party_id, user.id, now.timestamp_millis())?;
            issue.detail(conn, &user, now)
        })
        .await
}
