//! The login session kept on the phone, so the app opens offline. It lives in localStorage for
//! now; the offline-data work moves it to IndexedDB next to the records it protects.

use crate::api::{self, ApiError};
use gloo::storage::{LocalStorage, Storage};
use xunjian_shared::auth::TokenResponse;

const STORAGE_KEY: &str = "xunjian.session";

/// The stored session, if any. An unreadable one (older app version) counts as none.
pub fn load() -> Option<TokenResponse> {
    LocalStorage::get(STORAGE_KEY).ok()
}

/// Stores the session. Refresh tokens are single-use, so this must happen before anything else
/// can fail: a lost new token means the user has to log in again.
pub fn save(tokens: &TokenResponse) {
    if let Err(e) = LocalStorage::set(STORAGE_KEY, tokens) {
        gloo::console::error!("session not saved:", e.to_string());
    }
}

/// Forgets the session on this phone.
pub fn clear() {
    LocalStorage::delete(STORAGE_KEY);
}

/// What the server said about a stored session.
pub enum Checked {
    /// Still valid; the user (and maybe the tokens) are fresh and already stored.
    Valid(TokenResponse),
    /// Could not be checked (offline, server trouble); keep using the stored one.
    Unverified(ApiError),
    /// The server ended it (expired, revoked, account disabled); it has been cleared here.
    Ended(ApiError),
    /// The user logged out or in again on this phone while the check ran; nothing to apply.
    Superseded,
}

/// Asks the server about the stored session: fetches the user, and on 401 trades the refresh
/// token for new ones, once.
pub async fn check(tokens: TokenResponse) -> Checked {
    let error = match api::me(&tokens.access_token).await {
        Ok(user) => {
            if !still_current(&tokens) {
                return Checked::Superseded;
            }
            let tokens = TokenResponse { user, ..tokens };
            save(&tokens);
            return Checked::Valid(tokens);
        }
        Err(e) => e,
    };
    if error.status() != Some(401) {
        return Checked::Unverified(error);
    }
    match api::refresh(&tokens.refresh_token).await {
        Ok(fresh) if still_current(&tokens) => {
            save(&fresh);
            Checked::Valid(fresh)
        }
        Ok(fresh) => {
            // The user logged out while the refresh was on its way: end the session it opened.
            let _ = api::logout(&fresh.refresh_token).await;
            Checked::Superseded
        }
        Err(e @ ApiError::Problem { .. }) if matches!(e.status(), Some(401 | 403)) => {
            clear();
            Checked::Ended(e)
        }
        Err(e) => Checked::Unverified(e),
    }
}

/// Whether the stored session is still the one being checked (the user may log out meanwhile).
fn still_current(tokens: &TokenResponse) -> bool {
    load().is_some_and(|s| s.refresh_token == tokens.refresh_token)
}
