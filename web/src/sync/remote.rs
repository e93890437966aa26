//! The server over HTTP, with the session's tokens: an expired access token (401) is traded once
//! for a new pair with the refresh token, which is saved before anything else can fail (refresh
//! tokens work once: a lost new one means logging in again).

use super::engine::Remote;
use super::wire::{Page, Pushed};
use crate::api::{self, ApiError, Body};
use crate::session;
use crate::store::idb::Db;
use gloo::net::http::{Method, Response};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use xunjian_shared::api as paths;
use xunjian_shared::auth::TokenResponse;
use xunjian_shared::sync::MAX_PULL_PAGE;
use xunjian_shared::user::Me;

/// The session shared by the app and the sync engine (none after logout).
pub type Tokens = Rc<RefCell<Option<TokenResponse>>>;

/// The server with this phone's session.
pub struct HttpRemote {
    pub db: Rc<Db>,
    pub tokens: Tokens,
    /// A refresh is on its way. Refresh tokens work once, and presenting a used one ends the
    /// whole session (docs/security.md): two calls that both got 401 must not both refresh.
    pub refreshing: Cell<bool>,
}

/// The refresh token was refused: the session ended (expired, revoked, password changed).
pub fn session_ended(e: &ApiError) -> bool {
    matches!(e, ApiError::Problem { .. }) && matches!(e.status(), Some(401 | 403))
}

impl HttpRemote {
    fn access(&self) -> Result<String, ApiError> {
        self.tokens.borrow().as_ref().map(|t| t.access_token.clone()).ok_or(ApiError::Unexpected { status: 401 })
    }

    pub(crate) async fn call<'a>(
        &self,
        method: Method,
        path: &str,
        body: &dyn Fn() -> Body<'a>,
    ) -> Result<Response, ApiError> {
        let token = self.access()?;
        let first = api::authed(method.clone(), path, &token, body()).await;
        match first {
            Err(e) if e.status() == Some(401) => {
                self.refresh(&token).await?;
                api::authed(method, path, &self.access()?, body()).await
            }
            other => other,
        }
    }

    /// Gets a new pair unless another call already did since `stale` was refused.
    async fn refresh(&self, stale: &str) -> Result<(), ApiError> {
        loop {
            if self.access()? != stale {
                return Ok(());
            }
            if !self.refreshing.get() {
                break;
            }
            gloo::timers::future::TimeoutFuture::new(50).await;
        }
        self.refreshing.set(true);
        let result = self.exchange().await;
        self.refreshing.set(false);
        result
    }

    async fn exchange(&self) -> Result<(), ApiError> {
        let old = self.tokens.borrow().as_ref().map(|t| t.refresh_token.clone()).ok_or(ApiError::Network)?;
        let fresh = api::refresh(&old).await?;
        // The worker may have logged out while the refresh was on its way.
        let current = self.tokens.borrow().as_ref().is_some_and(|t| t.refresh_token == old);
        if !current {
            let _ = api::logout(&fresh.refresh_token).await;
            return Err(ApiError::Unexpected { status: 401 });
        }
        if let Err(e) = session::save(&self.db, &fresh).await {
            gloo::console::error!("session not saved:", e.0);
        }
        *self.tokens.borrow_mut() = Some(fresh);
        Ok(())
    }

    /// The user as the server sees them now.
    pub async fn me(&self) -> Result<Me, ApiError> {
        api::json_of(self.call(Method::GET, paths::ME, &|| Body::Empty).await?).await
    }
}

impl Remote for HttpRemote {
    async fn push(&self, body: &str) -> Result<Pushed, ApiError> {
        api::json_of(self.call(Method::POST, paths::SYNC_PUSH, &|| Body::Json(body)).await?).await
    }

    async fn pull(&self, cursor: Option<&str>) -> Result<Page, ApiError> {
        let mut path = format!("{}?limit={MAX_PULL_PAGE}", paths::SYNC_PULL);
        if let Some(c) = cursor {
            path.push_str("&cursor=");
            path.push_str(&String::from(js_sys::encode_uri_component(c)));
        }
        api::json_of(self.call(Method::GET, &path, &|| Body::Empty).await?).await
    }

    async fn upload(&self, sha: &str, bytes: &[u8]) -> Result<(), ApiError> {
        let path = paths::attachment(sha);
        self.call(Method::PUT, &path, &|| Body::Bytes(bytes, "image/jpeg")).await.map(drop)
    }
}
