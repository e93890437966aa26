//! Detecting a wiped database. The browser may clear IndexedDB (storage pressure, "clear site
//! data", a cleaning app); the app would then start empty and silently lose unsynced work. A
//! random marker is kept both in IndexedDB and in localStorage: a marker in localStorage with
//! none in IndexedDB means the database was wiped under us, and the worker is told.

use super::idb::Db;
use chrono::{DateTime, Utc};
use gloo::storage::{LocalStorage, Storage};
use xunjian_shared::ids::OpId;

const KEY: &str = "marker";
const LS_KEY: &str = "xunjian.db-marker";

/// What the app knows of a wiped database.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Wiped {
    #[default]
    No,
    /// The marker in localStorage outlived the database's: it was wiped under us.
    Marker,
    /// Both were gone, but at sign-in the server said this account's session on this phone (by
    /// its browser's name) was never logged out, last used then: most likely the browser cleared
    /// the app's data (or this is another browser of the same kind).
    Suspected(DateTime<Utc>),
}

/// Checks the marker at start; true when the database was wiped since the last start.
pub async fn check(db: &Db) -> bool {
    let stored: Option<String> = db.meta(KEY).await.ok().flatten();
    let remembered: Option<String> = LocalStorage::get(LS_KEY).ok();
    match stored {
        Some(m) => {
            if remembered.as_deref() != Some(m.as_str()) {
                let _ = LocalStorage::set(LS_KEY, &m);
            }
            false
        }
        None => {
            renew(db).await;
            remembered.is_some()
        }
    }
}

/// A new marker (first start, or after the app itself cleared the data on logout).
pub async fn renew(db: &Db) {
    let m = OpId::new().to_string();
    if db.put_meta(KEY, &m).await.is_ok() {
        let _ = LocalStorage::set(LS_KEY, &m);
    }
}
