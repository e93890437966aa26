//! `AuthUser`: the current user, taken from a valid `Authorization: Bearer` access token.

use super::jwt::JwtKeys;
use crate::error::AppError;
use crate::state::AppState;
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use xunjian_shared::{ErrorCode, OrgUnitId, Role, UserId};

/// The authenticated caller with their role and org scope.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: UserId,
    pub role: Role,
    pub org_unit_id: OrgUnitId,
    /// Materialised path of the user's unit: the user acts inside this subtree.
    pub scope_path: String,
}

impl AuthUser {
    /// The user as stored now (for server-side work on a user's behalf, e.g. demo data).
    pub fn of_row(conn: &mut crate::db::DbConn, id: &str) -> Result<AuthUser, AppError> {
        let id: UserId = id.parse().map_err(AppError::internal)?;
        let (row, scope_path) = crate::db::users::find_with_path(conn, id)?
            .ok_or_else(|| AppError::new(xunjian_shared::ErrorCode::NotFound))?;
        let role = row.role()?;
        Ok(AuthUser {
            id,
            role,
            org_unit_id: row.org_unit_id.parse().map_err(AppError::internal)?,
            scope_path: role.scope_path(scope_path),
        })
    }

    /// Whether a unit path lies inside this user's scope.
    pub fn can_see(&self, path: &str) -> bool {
        xunjian_shared::org::is_within(&self.scope_path, path)
    }
}

/// The user and session a request's token names (signature, expiry and claims checked).
fn extract(req: &HttpRequest) -> Result<(AuthUser, String), AppError> {
    let keys = req
        .app_data::<web::Data<JwtKeys>>()
        .ok_or_else(|| AppError::internal(std::io::Error::other("JwtKeys not registered")))?;
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| AppError::new(ErrorCode::Unauthenticated))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or_else(|| AppError::new(ErrorCode::InvalidToken))?;
    let c = keys.verify(token)?;
    let bad = || AppError::new(ErrorCode::InvalidToken);
    let role = Role::parse(&c.role).ok_or_else(bad)?;
    let user = AuthUser {
        id: c.sub.parse().map_err(|_| bad())?,
        role,
        org_unit_id: c.org.parse().map_err(|_| bad())?,
        scope_path: role.scope_path(c.scope),
    };
    Ok((user, c.sid))
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<AuthUser, AppError>>;

    /// A valid token of a session still open (`sessions.rs`).
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = extract(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (user, sid) = token?;
            let state = state.ok_or_else(|| AppError::internal(std::io::Error::other("AppState not registered")))?;
            state.sessions.check(&state.db, user.id, &sid, state.clock.now()).await?;
            Ok(user)
        })
    }
}
