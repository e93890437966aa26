//! A township's working hours (第三条) and month of pay (第二十一、二十二条): the pay sheet, computed live while the month is
//! open; the close by the road station, which freezes it; the signatures in order; and the
//! corrections late records for closed months add to the next sheet (`xunjian_shared::road::month_close`).

use super::patrols::month_days;
use super::road_pay::{live_lines, may_read, scheme_in, township};
use crate::auth::AuthUser;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::road_hours::{self, HoursRow};
use crate::db::road_months::{self, MonthRow, SignersRow};
use crate::db::{corrupt, from_millis, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::attendance::WorkingHours;
use xunjian_shared::road::month_close::{
    correction, may_sign, month_is_over, next_month, MonthAct, MonthActRecord, MonthStatus, PayCorrection, RoadSigners,
};
use xunjian_shared::road::pay::{PayRules, PayScheme, PaySheet};
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, Role, UserId};

fn frozen(row: &MonthRow) -> Result<PaySheet, AppError> {
    serde_json::from_str(&row.sheet).map_err(|_| corrupt("road_months.sheet"))
}

/// The acts done on a closed month, in order.
fn acts_of(conn: &mut DbConn, row: &MonthRow) -> Result<Vec<MonthActRecord>, AppError> {
    let done = [
        (MonthAct::Close, Some(&row.closed_by), Some(row.closed_at)),
        (MonthAct::SignOfficer, row.officer_id.as_ref(), row.officer_at),
        (MonthAct::SignDeputyHead, row.deputy_id.as_ref(), row.deputy_at),
        (MonthAct::Approve, row.head_id.as_ref(), row.head_at),
    ];
    let mut out = Vec::new();
    for (act, by, at) in done {
        let (Some(by), Some(at)) = (by, at) else { break };
        let by: UserId = by.parse().map_err(|_| corrupt("road_months user"))?;
        let by_name = users::display_name(conn, by)?;
        out.push(MonthActRecord { act, by, by_name, at: from_millis(at) });
    }
    Ok(out)
}

/// What late records for the closed months add: for each closed month with records received after
/// its close, each worker's pay now — by the scheme and check scores the month was closed with —
/// less the frozen pay and the corrections later closed sheets already carried.
fn corrections(
    conn: &mut DbConn,
    town: &OrgUnitRow,
    closed: &[MonthRow],
    current: &PayScheme,
) -> Result<Vec<PayCorrection>, AppError> {
    let sheets: Vec<PaySheet> = closed.iter().map(frozen).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (i, row) in closed.iter().enumerate() {
        let (from, to) = month_days(&row.month)?;
        if road_months::received_after(conn, &town.path, &from.to_string(), &to.to_string(), row.closed_at)? == 0 {
            continue;
        }
        let scheme = sheets[i].scheme.as_ref().unwrap_or(current);
        for line in live_lines(conn, town, &row.month, scheme, Some(&sheets[i]))? {
            let was = sheets[i].lines.iter().find(|f| f.month.user_id == line.month.user_id);
            let already: f64 = sheets[i + 1..]
                .iter()
                .flat_map(|s| &s.corrections)
                .filter(|c| c.month == row.month && c.user_id == line.month.user_id)
                .map(|c| c.yuan)
                .sum();
            out.extend(correction(&row.month, was, &line, already));
        }
    }
    Ok(out)
}

/// The sheet of a township's month: frozen with its acts once closed; otherwise live by the
/// township's scheme (the county's `defaults` until it sets one), and — for the month after the last
/// closed one — with the corrections.
pub fn sheet_in(conn: &mut DbConn, town: &OrgUnitRow, month: &str, defaults: &PayRules) -> Result<PaySheet, AppError> {
    let closed = road_months::of_township(conn, &town.id)?;
    if let Some(row) = closed.iter().find(|r| r.month == month) {
        let mut sheet = frozen(row)?;
        let acts = acts_of(conn, row)?;
        let (from, to) = month_days(month)?;
        let late = road_months::received_after(conn, &town.path, &from.to_string(), &to.to_string(), row.closed_at)?;
        let name = |a: MonthAct| acts.iter().find(|r| r.act == a).map(|r| r.by_name.clone()).unwrap_or_default();
        sheet.signed_by_road_officer = name(MonthAct::SignOfficer);
        sheet.signed_by_deputy_head = name(MonthAct::SignDeputyHead);
        sheet.approved_by_head = name(MonthAct::Approve);
        sheet.next = MonthAct::next(&acts.iter().map(|a| a.act).collect::<Vec<_>>());
        sheet.late_records = late as u32;
        sheet.acts = acts;
        return Ok(sheet);
    }
    let scheme = scheme_in(conn, &town.id, defaults)?;
    let lines = live_lines(conn, town, month, &scheme, None)?;
    let corrections = match closed.last() {
        Some(last) if next_month(&last.month).as_deref() == Some(month) => corrections(conn, town, &closed, &scheme)?,
        _ => vec![],
    };
    // Folded from +0.0: an empty f64 `sum()` is -0.0, which JSON shows as "-0.0".
    let total = lines.iter().fold(0.0, |a, l| a + l.pay_yuan) + corrections.iter().fold(0.0, |a, c| a + c.yuan);
    Ok(PaySheet {
        township_id: town.id.clone(),
        township_name: town.name.clone(),
        month: month.to_owned(),
        scheme: Some(scheme),
        lines,
        corrections,
        total_yuan: (total * 100.0).round() / 100.0,
        acts: vec![],
        next: Some(MonthAct::Close),
        late_records: 0,
        signed_by_road_officer: String::new(),
        signed_by_deputy_head: String::new(),
        approved_by_head: String::new(),
    })
}

/// A township's pay sheet for a month.
pub async fn pay_sheet(state: &AppState, user: &AuthUser, id: OrgUnitId, month: String) -> Result<PaySheet, AppError> {
    may_read(user)?;
    month_days(&month)?;
    let (user, rules) = (user.clone(), state.pay_rules.clone());
    state
        .db
        .read(move |conn| {
            let town = township(conn, &user, id)?;
            sheet_in(conn, &town, &month, &rules)
        })
        .await
}

/// Does the next act on a township's month: close (the road station, once the month is over and
/// every earlier closed month's successor in turn), sign as 交管员, as 分管副职, approve as 乡(镇)长.
pub async fn act(
    state: &AppState,
    user: &AuthUser,
    id: OrgUnitId,
    month: String,
    act: MonthAct,
) -> Result<PaySheet, AppError> {
    may_read(user)?;
    month_days(&month)?;
    let (user, rules) = (user.clone(), state.pay_rules.clone());
    let now = state.clock.now();
    let today = xunjian_shared::time::china_date(now);
    let at = now.timestamp_millis();
    state
        .db
        .write(move |conn| {
            let town = township(conn, &user, id)?;
            let closed = road_months::of_township(conn, &town.id)?;
            let row = closed.iter().find(|r| r.month == month).cloned();
            let done = match &row {
                Some(r) => acts_of(conn, r)?,
                None => vec![],
            };
            let next = MonthAct::next(&done.iter().map(|a| a.act).collect::<Vec<_>>());
            if next != Some(act) {
                let detail = match next {
                    Some(n) => format!("act: the next act on {month} is {}", n.as_str()),
                    None => format!("act: {month} is approved; nothing is left to do"),
                };
                return Err(AppError::with_detail(ErrorCode::OutOfOrder, detail));
            }
            let named = road_months::signers(conn, &town.id)?
                .map(|s| -> Result<RoadSigners, AppError> {
                    Ok(RoadSigners {
                        deputy_head_id: s.deputy_head_id.parse().map_err(|_| corrupt("road_signers"))?,
                        head_id: s.head_id.parse().map_err(|_| corrupt("road_signers"))?,
                    })
                })
                .transpose()?;
            let station = user.role == Role::RoadStation;
            if !may_sign(act.signer(), user.id, station, named.as_ref(), &done) {
                let who = match act {
                    MonthAct::Close | MonthAct::SignOfficer => "the township's road station (交管员)",
                    MonthAct::SignDeputyHead => "the 分管副职 the township named",
                    MonthAct::Approve => "the 乡(镇)长 the township named",
                };
                let unnamed =
                    if named.is_none() && act.signer() != xunjian_shared::road::month_close::Signer::RoadStation {
                        "; the township has named no signers yet (PUT /api/v1/roads/signers/{township_id})"
                    } else {
                        ""
                    };
                return Err(AppError::with_detail(
                    ErrorCode::NotTheSigner,
                    format!("{}: only {who} may{unnamed}", act.as_str()),
                ));
            }
            let me = user.id.to_string();
            match (act, row) {
                (MonthAct::Close, _) => {
                    if !month_is_over(&month, today) {
                        return Err(AppError::validation(
                            "month",
                            "is not over yet; close it from the first of the next month",
                        ));
                    }
                    if let Some(last) = closed.last() {
                        let due = next_month(&last.month).unwrap_or_default();
                        if due != month {
                            return Err(AppError::with_detail(
                                ErrorCode::OutOfOrder,
                                format!("month: months close in order; {} is closed, {due} is next", last.month),
                            ));
                        }
                    }
                    let sheet = sheet_in(conn, &town, &month, &rules)?;
                    road_months::insert(
                        conn,
                        &MonthRow {
                            township_id: town.id.clone(),
                            month: month.clone(),
                            sheet: serde_json::to_string(&sheet).map_err(AppError::internal)?,
                            closed_by: me,
                            closed_at: at,
                            officer_id: None,
                            officer_at: None,
                            deputy_id: None,
                            deputy_at: None,
                            head_id: None,
                            head_at: None,
                        },
                    )?;
                }
                (_, None) => return Err(AppError::new(ErrorCode::OutOfOrder)),
                (signed, Some(mut row)) => {
                    let (by, when) = match signed {
                        MonthAct::SignOfficer => (&mut row.officer_id, &mut row.officer_at),
                        MonthAct::SignDeputyHead => (&mut row.deputy_id, &mut row.deputy_at),
                        _ => (&mut row.head_id, &mut row.head_at),
                    };
                    (*by, *when) = (Some(me), Some(at));
                    road_months::update(conn, &row)?;
                }
            }
            sheet_in(conn, &town, &month, &rules)
        })
        .await
}

/// Where each township in the caller's scope stands with a month: which closed, who signed.
pub async fn months(state: &AppState, user: &AuthUser, month: String) -> Result<Vec<MonthStatus>, AppError> {
    may_read(user)?;
    let (from, to) = month_days(&month)?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let closed = road_months::of_month(conn, &month)?;
            let towns = org_units::list_within(conn, &user.scope_path, Some(OrgLevel::Township), None)?;
            let mut out = Vec::new();
            for town in towns.into_iter().filter(|t| t.active) {
                let row = closed.iter().find(|r| r.township_id == town.id);
                let (acts, late) = match row {
                    Some(r) => (
                        acts_of(conn, r)?,
                        road_months::received_after(conn, &town.path, &from.to_string(), &to.to_string(), r.closed_at)?,
                    ),
                    None => (vec![], 0),
                };
                out.push(MonthStatus {
                    township_id: town.id.parse().map_err(|_| corrupt("org_units.id"))?,
                    township_name: town.name,
                    month: month.clone(),
                    next: MonthAct::next(&acts.iter().map(|a| a.act).collect::<Vec<_>>()),
                    acts,
                    late_records: late as u32,
                });
            }
            Ok(out)
        })
        .await
}

/// Who signs a township's sheets after the 交管员; 404 until named.
pub async fn signers(state: &AppState, user: &AuthUser, id: OrgUnitId) -> Result<RoadSigners, AppError> {
    may_read(user)?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let town = township(conn, &user, id)?;
            let s = road_months::signers(conn, &town.id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            Ok(RoadSigners {
                deputy_head_id: s.deputy_head_id.parse().map_err(|_| corrupt("road_signers"))?,
                head_id: s.head_id.parse().map_err(|_| corrupt("road_signers"))?,
            })
        })
        .await
}

/// Names the 分管副职 and the 乡(镇)长 of a township (its township office, or the county admin): two
/// different active township office accounts bound to the township itself.
pub async fn set_signers(
    state: &AppState,
    user: &AuthUser,
    id: OrgUnitId,
    req: RoadSigners,
) -> Result<RoadSigners, AppError> {
    if !matches!(user.role, Role::TownshipOffice | Role::CountyAdmin) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    if req.deputy_head_id == req.head_id {
        return Err(AppError::validation("head_id", "the 乡(镇)长 and the 分管副职 are two different people"));
    }
    let user = user.clone();
    let at = state.now_ms();
    state
        .db
        .write(move |conn| {
            let town = township(conn, &user, id)?;
            for (field, who) in [("deputy_head_id", req.deputy_head_id), ("head_id", req.head_id)] {
                let ok = users::find(conn, who)?
                    .is_some_and(|u| u.active && u.role == Role::TownshipOffice.as_str() && u.org_unit_id == town.id);
                if !ok {
                    return Err(AppError::validation(field, "an active township office account of the township"));
                }
            }
            road_months::save_signers(
                conn,
                &SignersRow {
                    township_id: town.id.clone(),
                    deputy_head_id: req.deputy_head_id.to_string(),
                    head_id: req.head_id.to_string(),
                    updated_by: user.id.to_string(),
                    updated_at: at,
                },
            )?;
            Ok(req)
        })
        .await
}

/// A township's working hours (上下班管理, 第三条); the default until the station sets them.
pub async fn hours(state: &AppState, user: &AuthUser, id: OrgUnitId) -> Result<WorkingHours, AppError> {
    may_read(user)?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let town = township(conn, &user, id)?;
            road_hours::of(conn, &town.id)
        })
        .await
}

/// Sets a township's working hours (its road station, or the county admin). Patrols received from
/// now on are marked against them.
pub async fn set_hours(
    state: &AppState,
    user: &AuthUser,
    id: OrgUnitId,
    req: WorkingHours,
) -> Result<WorkingHours, AppError> {
    if !user.role.can_manage_roads() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    req.validate().map_err(|(field, why)| AppError::validation(field, why))?;
    let user = user.clone();
    let at = state.now_ms();
    state
        .db
        .write(move |conn| {
            let town = township(conn, &user, id)?;
            let mut days = req.days.clone();
            days.sort_unstable();
            road_hours::save(
                conn,
                &HoursRow {
                    township_id: town.id.clone(),
                    days: serde_json::to_string(&days).map_err(AppError::internal)?,
                    start_time: req.start.clone(),
                    end_time: req.end.clone(),
                    updated_by: user.id.to_string(),
                    updated_at: at,
                },
            )?;
            road_hours::of(conn, &town.id)
        })
        .await
}
