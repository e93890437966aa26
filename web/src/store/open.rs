//! Hazard rows carry `open` (1 or 0), indexed: the first screen needs only the hazards still
//! open, and a phone may hold tens of thousands of closed ones. The app reads the open ones with
//! everything else (`World::load`) and the closed ones just after (`World::closed_hazards`).

use super::idb::{done, field, str_field, write_all, Db, Write};
use super::StoreError;
use rexie::{KeyRange, Store};
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// The index (and row field) of a hazard's `open` flag.
pub const OPEN: &str = "open";

/// 1 when a hazard row counts as open: its status is not `closed`, or it is the phone's own copy
/// still waiting to be synced (so what the worker just did never leaves the first read); else 0.
pub fn open_flag(json: &str, op: Option<&str>) -> f64 {
    #[derive(Deserialize)]
    struct Status {
        status: String,
    }
    let closed = serde_json::from_str::<Status>(json).is_ok_and(|s| s.status == "closed");
    if closed && op.is_none() {
        0.0
    } else {
        1.0
    }
}

/// The hazard rows with this flag.
pub async fn hazard_rows(store: &Store, open: bool) -> Result<Vec<JsValue>, StoreError> {
    let flag = JsValue::from_f64(if open { 1.0 } else { 0.0 });
    let only = KeyRange::only(&flag).map_err(|e| StoreError(format!("{e:?}")))?;
    Ok(store.index(OPEN)?.get_all(Some(only), None).await?)
}

impl Db {
    /// Flags hazard rows an older build wrote without `open` (once: afterwards the index holds
    /// every row, which two counts show).
    pub(crate) async fn flag_hazards(&self) -> Result<(), StoreError> {
        let tx = self.tx(&["hazards"], true)?;
        let store = tx.store("hazards")?;
        if store.count(None).await? != store.index(OPEN)?.count(None).await? {
            let mut writes = Vec::new();
            for row in store.get_all(None, None).await? {
                if field(&row, OPEN).is_undefined() {
                    let flag =
                        open_flag(&str_field(&row, "json").unwrap_or_default(), str_field(&row, "op").as_deref());
                    let _ = js_sys::Reflect::set(&row, &OPEN.into(), &flag.into());
                    writes.push(Write::Put("hazards", row));
                }
            }
            write_all(&tx, &writes).await?;
        }
        done(tx).await
    }
}
