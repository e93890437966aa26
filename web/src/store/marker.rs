//! Detecting a wiped database. The browser may clear IndexedDB (storage pressure, "clear site
//! data", a cleaning app); the app would then start empty and silently lose unsynced work. A
//! random marker is kept both in IndexedDB and in localStorage: a marker in localStorage with
//! none in IndexedDB means the database was wiped under us, and the worker is told.

use super::idb::Db;
use gloo::storage::{LocalStorage, Storage};
use xunjian_shared::ids::OpId;

const KEY: &str = "marker";
const LS_KEY: &str = "xunjian.db-marker";

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
