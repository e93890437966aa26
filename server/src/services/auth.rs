//! Login, refresh (rotation with reuse detection), logout and the current user.

use crate::auth::{password, refresh, AuthUser};
use crate::db::refresh_tokens::{self, RefreshTokenRow};
use crate::db::{org_units, run_blocking, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use uuid::Uuid;
use xunjian_shared::auth::{normalize_username, LoginRequest, TokenResponse};
use xunjian_shared::user::{FieldRules, Me};
use xunjian_shared::ErrorCode;

/// Checks the password and opens a new session (a refresh token family) for the device.
pub async fn login(state: &AppState, req: LoginRequest, client_ip: &str) -> Result<TokenResponse, AppError> {
    let username = normalize_username(&req.username);
    if let Err(wait) = state.throttle.check(&username, client_ip, state.clock.now()) {
        return Err(AppError::too_many(wait));
    }
    let db = state.db.clone();
    let name = username.clone();
    let password = req.password;
    // Lookup and verification run together off the executor; an unknown user costs the same hash.
    let found = run_blocking(move || {
        let user = users::find_by_username(&mut *db.conn()?, &name)?;
        Ok(match user {
            Some(u) if password::verify(&u.password_hash, &password) => Some(u),
            Some(_) => None,
            None => {
                password::verify_dummy(&password);
                None
            }
        })
    })
    .await?;
    let Some(user) = found else {
        state.throttle.record_failure(&username, client_ip, state.clock.now());
        return Err(AppError::new(ErrorCode::InvalidCredentials));
    };
    state.throttle.record_success(&username);
    if !user.active {
        return Err(AppError::new(ErrorCode::AccountDisabled));
    }
    let device = req.device_name.map(|d| d.chars().take(64).collect::<String>());
    let now = state.now_ms();
    let (idle, max) = (state.refresh_idle_secs * 1000, state.refresh_max_secs * 1000);
    let jwt = state.jwt.clone();
    let rules = field_rules(state);
    let response = state
        .db
        .write(move |conn| {
            refresh_tokens::delete_expired_for_user(conn, &user.id, now)?;
            // A session still open on this device (by its name) is one the device no longer holds
            // — its app data was cleared — or one it gives up by signing in again: say when it was
            // last used, and end it (one session per device; a token copied from it stops working).
            let open_here = match &device {
                Some(d) => {
                    let open = refresh_tokens::open_session_on(conn, &user.id, d, now)?;
                    refresh_tokens::revoke_device(conn, &user.id, d, now)?;
                    open
                }
                None => None,
            };
            let (sid, token) = open_session(conn, &user.id, device, now, idle.min(max), max)?;
            let mut response = token_response(conn, &jwt, &user.id, &sid, token, idle.min(max) / 1000, &rules)?;
            response.open_session_here = open_here.and_then(chrono::DateTime::from_timestamp_millis);
            Ok(response)
        })
        .await;
    // A session this login ended on the device is cut off now, not when its token expires.
    state.sessions.forget_all();
    response
}

/// Opens a session (a new refresh-token family) for a user: its id and first refresh token.
pub fn open_session(
    conn: &mut DbConn,
    user_id: &str,
    device: Option<String>,
    now: i64,
    idle_ms: i64,
    max_ms: i64,
) -> Result<(String, String), AppError> {
    let token = refresh::generate();
    let family_id = Uuid::now_v7().to_string();
    refresh_tokens::insert(
        conn,
        &RefreshTokenRow {
            id: Uuid::now_v7().to_string(),
            user_id: user_id.to_owned(),
            family_id: family_id.clone(),
            token_hash: refresh::digest(&token),
            device_name: device,
            created_at: now,
            expires_at: now + idle_ms,
            family_expires_at: now + max_ms,
            used_at: None,
            revoked_at: None,
        },
    )?;
    Ok((family_id, token))
}

enum Rotation {
    Issued(Box<TokenResponse>),
    Refused,
}

/// Exchanges a refresh token for a new pair. Each token works once; presenting a used one again
/// revokes the whole family (the token was copied), as the OAuth 2.0 security BCP advises.
pub async fn refresh(state: &AppState, token: String) -> Result<TokenResponse, AppError> {
    let now = state.now_ms();
    let idle = state.refresh_idle_secs * 1000;
    let jwt = state.jwt.clone();
    let rules = field_rules(state);
    let outcome = state
        .db
        .write(move |conn| {
            let Some(row) = refresh_tokens::find_by_hash(conn, &refresh::digest(&token))? else {
                return Ok(Rotation::Refused);
            };
            if row.revoked_at.is_some() {
                return Ok(Rotation::Refused);
            }
            // Either already used, or used by a racing request this instant: both are reuse.
            if row.used_at.is_some() || !refresh_tokens::mark_used(conn, &row.id, now)? {
                refresh_tokens::revoke_family(conn, &row.family_id, now)?;
                return Ok(Rotation::Refused);
            }
            if row.expires_at <= now || row.family_expires_at <= now {
                return Ok(Rotation::Refused);
            }
            let user = users::find(conn, row.user_id.parse().map_err(AppError::internal)?)?;
            if !user.is_some_and(|u| u.active) {
                refresh_tokens::revoke_family(conn, &row.family_id, now)?;
                return Ok(Rotation::Refused);
            }
            let next = refresh::generate();
            let expires_at = (now + idle).min(row.family_expires_at);
            refresh_tokens::insert(
                conn,
                &RefreshTokenRow {
                    id: Uuid::now_v7().to_string(),
                    token_hash: refresh::digest(&next),
                    created_at: now,
                    expires_at,
                    used_at: None,
                    revoked_at: None,
                    ..row.clone()
                },
            )?;
            let res =
                token_response(conn, &jwt, &row.user_id, &row.family_id, next, (expires_at - now) / 1000, &rules)?;
            Ok(Rotation::Issued(Box::new(res)))
        })
        .await?;
    match outcome {
        Rotation::Issued(res) => Ok(*res),
        Rotation::Refused => {
            // A reused token revoked its family: its access tokens stop too.
            state.sessions.forget_all();
            Err(AppError::new(ErrorCode::InvalidRefreshToken))
        }
    }
}

/// Ends the session the token belongs to. Unknown tokens are ignored: logging out is idempotent.
pub async fn logout(state: &AppState, token: String) -> Result<(), AppError> {
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            if let Some(row) = refresh_tokens::find_by_hash(conn, &refresh::digest(&token))? {
                refresh_tokens::revoke_family(conn, &row.family_id, now)?;
            }
            Ok(())
        })
        .await?;
    state.sessions.forget_all();
    Ok(())
}

/// The county's rules phones apply offline, from the server's settings.
pub fn field_rules(state: &AppState) -> FieldRules {
    FieldRules { deadlines: state.deadlines.clone(), cadence: state.cadence.clone() }
}

/// The current user with their unit chain.
pub async fn me(state: &AppState, user: &AuthUser) -> Result<Me, AppError> {
    let (id, rules) = (user.id, field_rules(state));
    state.db.read(move |conn| load_me(conn, &id.to_string(), &rules)).await
}

/// Loads a user and the chain of units from the county down to theirs.
pub fn load_me(conn: &mut DbConn, user_id: &str, rules: &FieldRules) -> Result<Me, AppError> {
    let (row, path) = users::find_with_path(conn, user_id.parse().map_err(AppError::internal)?)?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let chain = org_units::chain(conn, &path)?.iter().map(|r| r.to_dto()).collect::<Result<Vec<_>, _>>()?;
    Ok(Me { user: row.to_dto()?, org_chain: chain, rules: rules.clone() })
}

fn token_response(
    conn: &mut DbConn,
    jwt: &crate::auth::JwtKeys,
    user_id: &str,
    sid: &str,
    refresh_token: String,
    refresh_expires_in: i64,
    rules: &FieldRules,
) -> Result<TokenResponse, AppError> {
    let me = load_me(conn, user_id, rules)?;
    let scope = org_units::find(conn, me.user.org_unit_id)?
        .ok_or_else(|| AppError::internal(std::io::Error::other("user's unit missing")))?
        .path;
    let access = jwt.issue(user_id, me.user.role.as_str(), &me.user.org_unit_id.to_string(), &scope, sid)?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: jwt.ttl_secs(),
        refresh_token,
        refresh_expires_in,
        user: me,
        open_session_here: None,
    })
}
