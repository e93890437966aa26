//! IndexedDB through rexie: opening the database and the small helpers every store uses.
//!
//! Layout (database `xunjian`, version 3). Records keep their JSON as a string (`{id, json, op}`):
//! serde's tagged and flattened shapes round-trip exactly, and nothing queries inside them — a
//! grid's few hundred records are filtered in Rust.
//! - `org_units`, `premises`, `templates`, `inspections`, `hazards`, `notifications`, `roads`,
//!   `segments`, `patrols`, `other`: `{id, json, op}`, `op` = the outbox op that made this state
//!   on the phone (null for the server's copy); index `op` holds only the phone's own copies
//!   (IndexedDB leaves null keys out), so a sync finds them without reading every record;
//!   `hazards` rows also carry `open` (1/0, indexed: store/open.rs)
//! - `outbox`: `{seq, op_id, json}` in the order the worker did things
//! - `inbox`: `{id: op_id, json}` conflicts and refusals for the worker to read
//! - `photos`: `{sha, blob, uploaded, failure, at}` JPEG Blobs keyed by their SHA-256
//! - `drafts`: `{id, json}` inspection drafts and the patrol in progress, saved as the worker types
//! - `track`: `{k: "<patrol>/<seq>", json}` the GPS fixes of the patrol in progress, one row per
//!   fix, each written in its own transaction as it arrives
//! - `meta`: `{k, json}` session, sync state, owner, database marker
//! - `views`: `{k: API path, json, at}` what the office screens last loaded (store/views.rs)
//!
//! Version 2 added `roads`, `segments`, `patrols` and `track`; the upgrade only creates stores, and
//! opening moves road records a version-1 build kept in `other` into their stores. Version 3
//! added `views` (the office pages' saved copies) and the `op` and `open` indexes; opening flags
//! hazard rows written before.

use super::open::{open_flag, OPEN};
use super::{store_name, StoreError};
use js_sys::{Object, Reflect};
use rexie::{Index, ObjectStore, Rexie, Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use xunjian_shared::sync::RecordKind;

const DB_NAME: &str = "xunjian";
const DB_VERSION: u32 = 3;

/// The stores holding pulled records (`other`: kinds this build has no screen for yet).
pub const RECORD_STORES: [&str; 10] = [
    "org_units",
    "premises",
    "templates",
    "inspections",
    "hazards",
    "notifications",
    "roads",
    "segments",
    "patrols",
    "other",
];

/// The phone's database.
pub struct Db {
    pub(crate) rexie: Rexie,
}

impl PartialEq for Db {
    fn eq(&self, _: &Self) -> bool {
        true // one database per app
    }
}

impl Db {
    /// Opens (creating or upgrading) the database.
    pub async fn open() -> Result<Db, StoreError> {
        Db::open_named(DB_NAME).await
    }

    /// Opens a database of this layout under another name (tests run side by side).
    pub(crate) async fn open_named(name: &str) -> Result<Db, StoreError> {
        let mut builder = Rexie::builder(name).version(DB_VERSION);
        for name in RECORD_STORES {
            let by_op = Index::new("op", "op").unique(false).multi_entry(false);
            let mut store = ObjectStore::new(name).key_path("id").add_index(by_op);
            if name == "hazards" {
                store = store.add_index(Index::new(OPEN, OPEN).unique(false).multi_entry(false));
            }
            builder = builder.add_object_store(store);
        }
        let rexie = builder
            .add_object_store(ObjectStore::new("outbox").key_path("seq"))
            .add_object_store(ObjectStore::new("inbox").key_path("id"))
            .add_object_store(ObjectStore::new("photos").key_path("sha"))
            .add_object_store(ObjectStore::new("drafts").key_path("id"))
            .add_object_store(ObjectStore::new("track").key_path("k"))
            .add_object_store(ObjectStore::new("meta").key_path("k"))
            .add_object_store(ObjectStore::new("views").key_path("k"))
            .build()
            .await?;
        let db = Db { rexie };
        db.adopt_other().await?;
        db.flag_hazards().await?;
        Ok(db)
    }

    /// Moves records kept in `other` under `kind:id` into their own store, for the kinds this
    /// build has one for (road records pulled by a version-1 build). One transaction; a no-op
    /// once done.
    async fn adopt_other(&self) -> Result<(), StoreError> {
        let tx = self.tx(&RECORD_STORES, true)?;
        let other = tx.store("other")?;
        for row in other.get_all(None, None).await? {
            let Some(key) = str_field(&row, "id") else { continue };
            let Some((kind, id)) = key.split_once(':') else { continue };
            let Some(store) = RecordKind::parse(kind).and_then(store_name) else { continue };
            let _ = js_sys::Reflect::set(&row, &"id".into(), &JsValue::from_str(id));
            tx.store(store)?.put(&row, None).await?;
            other.delete(key.as_str().into()).await?;
        }
        done(tx).await
    }

    pub(crate) fn tx(&self, stores: &[&str], write: bool) -> Result<Transaction, StoreError> {
        let mode = if write { TransactionMode::ReadWrite } else { TransactionMode::ReadOnly };
        Ok(self.rexie.transaction(stores, mode)?)
    }

    /// A value from `meta`.
    pub async fn meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&["meta"], false)?;
        let row = tx.store("meta")?.get(key.into()).await?;
        row.map(|r| parse(&r)).transpose()
    }

    /// Saves a value in `meta`; returns once the transaction committed.
    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let tx = self.tx(&["meta"], true)?;
        tx.store("meta")?.put(&meta_row(key, value)?, None).await?;
        done(tx).await
    }

    /// Removes a value from `meta`.
    pub async fn delete_meta(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.tx(&["meta"], true)?;
        tx.store("meta")?.delete(key.into()).await?;
        done(tx).await
    }

    /// One record by store and key (`None` when the phone has none).
    pub async fn record<T: DeserializeOwned>(&self, store: &str, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&[store], false)?;
        let row = tx.store(store)?.get(key.into()).await?;
        row.map(|r| parse(&r)).transpose()
    }

    /// The JSON text of every row of a store (`outbox`, `inbox`), in key order.
    pub async fn json_rows(&self, store: &str) -> Result<Vec<String>, StoreError> {
        let tx = self.tx(&[store], false)?;
        let rows = tx.store(store)?.get_all(None, None).await?;
        Ok(rows.iter().filter_map(|r| str_field(r, "json")).collect())
    }

    /// Number of rows in a store.
    pub async fn count(&self, store: &str) -> Result<u32, StoreError> {
        let tx = self.tx(&[store], false)?;
        Ok(tx.store(store)?.count(None).await?)
    }
}

/// One write of a transaction: a row into a store, or a key out of it.
pub(crate) enum Write {
    Put(&'static str, JsValue),
    Delete(&'static str, JsValue),
}

/// Issues writes together, in order. IndexedDB runs a transaction's requests in the order they
/// were made, so they need not wait for each other: awaiting each one costs a trip through the
/// event loop (a 500-op outbox took 400 ms that way). A failed write aborts the transaction.
pub(crate) async fn write_all(tx: &Transaction, writes: &[Write]) -> Result<(), StoreError> {
    let mut stores = Vec::new();
    for w in writes {
        let (Write::Put(name, _) | Write::Delete(name, _)) = w;
        if !stores.iter().any(|(n, _)| n == name) {
            stores.push((*name, tx.store(name)?));
        }
    }
    let store = |name: &str| &stores.iter().find(|(n, _)| *n == name).expect("opened above").1;
    futures::future::try_join_all(writes.iter().map(|w| async move {
        match w {
            Write::Put(name, row) => store(name).put(row, None).await.map(drop),
            Write::Delete(name, key) => store(name).delete(key.clone()).await,
        }
    }))
    .await?;
    Ok(())
}

/// The phone's own copies in a record store (rows with an `op`), through the `op` index.
pub(crate) async fn local_rows(tx: &Transaction, store: &str) -> Result<Vec<JsValue>, StoreError> {
    Ok(tx.store(store)?.index("op")?.get_all(None, None).await?)
}

/// Waits for a read-write transaction to commit: only then is a write saved.
pub(crate) async fn done(tx: Transaction) -> Result<(), StoreError> {
    let result = tx.done().await?;
    if result.is_committed() {
        Ok(())
    } else {
        Err(StoreError("transaction aborted".into()))
    }
}

/// A plain object from key/value pairs.
pub(crate) fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A field of a stored object.
pub(crate) fn field(row: &JsValue, key: &str) -> JsValue {
    Reflect::get(row, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string field, if present.
pub(crate) fn str_field(row: &JsValue, key: &str) -> Option<String> {
    field(row, key).as_string()
}

/// The value kept as JSON in a row's `json` field.
pub(crate) fn parse<T: DeserializeOwned>(row: &JsValue) -> Result<T, StoreError> {
    let json = str_field(row, "json").ok_or_else(|| StoreError("row without json".into()))?;
    Ok(serde_json::from_str(&json)?)
}

pub(crate) fn meta_row<T: Serialize>(key: &str, value: &T) -> Result<JsValue, StoreError> {
    Ok(obj(&[("k", key.into()), ("json", serde_json::to_string(value)?.into())]))
}

/// A record row of `store`: its id, JSON, the op that made it on the phone (if any), and for a
/// hazard whether it counts as open (store/open.rs).
pub(crate) fn record_row(store: &str, id: &str, json: &str, op: Option<&str>) -> JsValue {
    let row = obj(&[("id", id.into()), ("json", json.into()), ("op", op.map_or(JsValue::NULL, JsValue::from_str))]);
    if store == "hazards" {
        let _ = Reflect::set(&row, &OPEN.into(), &open_flag(json, op).into());
    }
    row
}
