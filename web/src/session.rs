//! The login session kept on the phone, in IndexedDB next to the records it protects (an older
//! build kept it in localStorage: it is moved over once). The app opens with it offline; a token
//! is needed only to sync.

use crate::store::idb::Db;
use crate::store::StoreError;
use gloo::storage::{LocalStorage, Storage};
use xunjian_shared::auth::TokenResponse;
use xunjian_shared::UserId;

const KEY: &str = "session";
/// Whose data the phone holds: another user logging in must not push it as their own.
const OWNER: &str = "owner";
const OLD_KEY: &str = "xunjian.session";

/// The stored session, if any. An unreadable one (older app version) counts as none.
pub async fn load(db: &Db) -> Option<TokenResponse> {
    if let Ok(Some(tokens)) = db.meta::<TokenResponse>(KEY).await {
        crate::local::set_rules(&tokens.user.rules);
        return Some(tokens);
    }
    let old: TokenResponse = LocalStorage::get(OLD_KEY).ok()?;
    if save(db, &old).await.is_ok() {
        LocalStorage::delete(OLD_KEY);
    }
    Some(old)
}

/// Stores the session; returns once it is on disk.
pub async fn save(db: &Db, tokens: &TokenResponse) -> Result<(), StoreError> {
    crate::local::set_rules(&tokens.user.rules);
    db.put_meta(KEY, tokens).await
}

/// Forgets the session (the data stays: the same user may log in again and sync it).
pub async fn clear(db: &Db) -> Result<(), StoreError> {
    db.delete_meta(KEY).await
}

/// The user whose data the phone holds.
pub async fn owner(db: &Db) -> Option<UserId> {
    db.meta(OWNER).await.ok().flatten()
}

/// Records whose data the phone holds from now on.
pub async fn set_owner(db: &Db, user: UserId) -> Result<(), StoreError> {
    db.put_meta(OWNER, &user).await
}
