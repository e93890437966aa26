//! The county's check form (第二十四条): the road part's points and the road station's own items,
//! set by the county as data (`/api/v1/roads/check-form`), kept by each check when it is drawn,
//! and the stations' scorings read back as cards. Scoring itself is in `road_checks`.

use crate::auth::AuthUser;
use crate::db::road_check_forms::{self, StationRow};
use crate::db::road_checks::CheckRow;
use crate::db::{corrupt, from_millis, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::check_form::{CheckForm, CountyCheckForm, StationScore, StationScoreCard};
use xunjian_shared::{ErrorCode, Role, UserId};

/// Who reads the form: the county, road stations and township offices (it is what they are
/// checked by); patrol workers and the fire side 403.
fn may_read(user: &AuthUser) -> Result<(), AppError> {
    if user.role.runs_road_checks() || matches!(user.role, Role::RoadStation | Role::TownshipOffice) {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

/// The form new checks are drawn with: the county's, or the default.
pub fn current(conn: &mut DbConn) -> Result<CheckForm, AppError> {
    match road_check_forms::county(conn)? {
        Some(row) => serde_json::from_str(&row.form).map_err(|_| corrupt("road_check_form.form")),
        None => Ok(CheckForm::county_default()),
    }
}

/// The form a check is scored by.
pub fn of_check(row: &CheckRow) -> Result<CheckForm, AppError> {
    match &row.form {
        Some(f) => serde_json::from_str(f).map_err(|_| corrupt("road_checks.form")),
        None => Ok(CheckForm::road_only()),
    }
}

/// A user's name, or nothing (a user removed since).
pub fn name_of(conn: &mut DbConn, id: Option<&str>) -> Result<(Option<UserId>, String), AppError> {
    let id: Option<UserId> = id.map(str::parse).transpose().map_err(|_| corrupt("user id"))?;
    let name = match id {
        Some(u) => users::display_name(conn, u)?,
        None => String::new(),
    };
    Ok((id, name))
}

/// The stations scored in a check, as cards.
pub fn station_cards(conn: &mut DbConn, check: &str) -> Result<Vec<StationScoreCard>, AppError> {
    let mut cards = Vec::new();
    for row in road_check_forms::stations(conn, check)? {
        let (scored_by, scored_by_name) = name_of(conn, row.scored_by.as_deref())?;
        cards.push(StationScoreCard {
            township_id: row.township_id.parse().map_err(|_| corrupt("road_check_stations.township_id"))?,
            items: serde_json::from_str::<Vec<StationScore>>(&row.items)
                .map_err(|_| corrupt("road_check_stations.items"))?,
            points: row.points,
            note: row.note,
            scored_by,
            scored_by_name,
            scored_at: from_millis(row.at),
        });
    }
    Ok(cards)
}

/// Saves a township's scored station items (checked by the caller against the check's form).
pub fn save_station(conn: &mut DbConn, row: &StationRow) -> Result<(), AppError> {
    road_check_forms::save_station(conn, row)
}

fn county_form(conn: &mut DbConn) -> Result<CountyCheckForm, AppError> {
    Ok(match road_check_forms::county(conn)? {
        Some(row) => CountyCheckForm {
            form: serde_json::from_str(&row.form).map_err(|_| corrupt("road_check_form.form"))?,
            county_default: false,
            updated_by_name: name_of(conn, Some(&row.updated_by))?.1,
            updated_at: Some(from_millis(row.updated_at)),
        },
        None => CountyCheckForm {
            form: CheckForm::county_default(),
            county_default: true,
            updated_by_name: String::new(),
            updated_at: None,
        },
    })
}

/// `GET /api/v1/roads/check-form`.
pub async fn get(state: &AppState, user: &AuthUser) -> Result<CountyCheckForm, AppError> {
    may_read(user)?;
    state.db.read(county_form).await
}

/// `PUT /api/v1/roads/check-form` (the county): checks drawn from now on are scored by it; checks
/// drawn before keep theirs.
pub async fn set(state: &AppState, user: &AuthUser, form: CheckForm) -> Result<CountyCheckForm, AppError> {
    if !user.role.runs_road_checks() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    form.validate().map_err(|(field, why)| AppError::validation(field, why))?;
    let mut form = form;
    for item in &mut form.station_items {
        item.label = item.label.trim().to_owned();
    }
    let json = serde_json::to_string(&form).map_err(AppError::internal)?;
    let (by, at) = (user.id.to_string(), state.now_ms());
    state
        .db
        .write(move |conn| {
            road_check_forms::save(conn, &json, &by, at)?;
            county_form(conn)
        })
        .await
}

/// `DELETE /api/v1/roads/check-form` (the county): back to the default.
pub async fn reset(state: &AppState, user: &AuthUser) -> Result<CountyCheckForm, AppError> {
    if !user.role.runs_road_checks() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    state
        .db
        .write(|conn| {
            road_check_forms::remove(conn)?;
            county_form(conn)
        })
        .await
}
