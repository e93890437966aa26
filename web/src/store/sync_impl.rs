//! The sync engine's view of IndexedDB (see [`SyncStore`]): outbox, inbox, pulled pages, photos.

use super::idb::{done, field, local_rows, meta_row, obj, record_row, str_field, write_all, Db, Write, RECORD_STORES};
use super::records::{sync_state_in, SYNC_KEY};
use super::{inbox_json, place, StoreError, SyncState, SyncStore};
use crate::sync::wire::{Outcome, Pulled, Queued};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use wasm_bindgen::JsValue;

impl SyncStore for Db {
    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        Ok(self.meta(SYNC_KEY).await?.unwrap_or_else(SyncState::new))
    }

    async fn put_sync_state(&self, state: &SyncState) -> Result<(), StoreError> {
        self.put_meta(SYNC_KEY, state).await
    }

    async fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        let tx = self.tx(&["outbox"], false)?;
        // Keyed by seq: IndexedDB returns them in the order the worker did things.
        let rows = tx.store("outbox")?.get_all(None, None).await?;
        rows.iter().map(queued).collect()
    }

    async fn settle(&self, answered: &[(Queued, Outcome)], at: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.tx(&["outbox", "inbox"], true)?;
        let (outbox, inbox) = (tx.store("outbox")?, tx.store("inbox")?);
        for (op, outcome) in answered {
            outbox.delete((op.seq as f64).into()).await?;
            if !outcome.applied {
                let row = obj(&[("id", op.op_id.as_str().into()), ("json", inbox_json(op, outcome, at)?.into())]);
                inbox.put(&row, None).await?;
            }
        }
        done(tx).await
    }

    async fn apply_pull(&self, reset: bool, changes: &[Pulled], cursor: &str) -> Result<(), StoreError> {
        let mut names: Vec<&str> = RECORD_STORES.to_vec();
        names.extend(["meta", "outbox"]);
        let tx = self.tx(&names, true)?;
        let waiting = outbox_ids(&tx).await?;
        let mut writes = Vec::new();
        // The phone's copies the worker changed again since the push: the server's copy must not
        // replace them until that op is answered too.
        let mut newer: HashSet<(&str, String)> = HashSet::new();
        for name in RECORD_STORES {
            let locals = local_rows(&tx, name).await?;
            if reset {
                // Records of operations the server has not seen yet stay: the outbox is kept.
                tx.store(name)?.clear().await?;
                writes.extend(locals.iter().map(|row| Write::Put(name, row.clone())));
            }
            for row in &locals {
                if let (Some(op), Some(id)) = (str_field(row, "op"), str_field(row, "id")) {
                    if waiting.contains(&op) {
                        newer.insert((name, id));
                    }
                }
            }
        }
        for change in changes {
            match change {
                Pulled::Upsert { kind, id, json } => {
                    let (name, key) = place(*kind, id);
                    if !newer.contains(&(name, key.clone())) {
                        writes.push(Write::Put(name, record_row(name, &key, json, None)));
                    }
                }
                Pulled::Remove { kind, id } => {
                    let (name, key) = place(*kind, id);
                    // Gone from the phone: a later upsert in this page stores the server's copy.
                    newer.remove(&(name, key.clone()));
                    writes.push(Write::Delete(name, key.as_str().into()));
                }
            }
        }
        let mut state = sync_state_in(&tx).await?;
        state.cursor = Some(cursor.to_owned());
        writes.push(Write::Put("meta", meta_row(SYNC_KEY, &state)?));
        write_all(&tx, &writes).await?;
        done(tx).await
    }

    async fn prune_local(&self) -> Result<(), StoreError> {
        let mut names: Vec<&str> = RECORD_STORES.to_vec();
        names.push("outbox");
        let tx = self.tx(&names, true)?;
        let waiting = outbox_ids(&tx).await?;
        let mut writes = Vec::new();
        for name in RECORD_STORES {
            for row in local_rows(&tx, name).await? {
                if let (Some(op), Some(id)) = (str_field(&row, "op"), str_field(&row, "id")) {
                    if !waiting.contains(&op) {
                        writes.push(Write::Delete(name, id.into()));
                    }
                }
            }
        }
        write_all(&tx, &writes).await?;
        done(tx).await
    }

    async fn pending_photos(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.tx(&["photos"], false)?;
        let rows = tx.store("photos")?.get_all(None, None).await?;
        Ok(rows
            .iter()
            .filter(|r| field(r, "uploaded").as_bool() != Some(true) && str_field(r, "failure").is_none())
            .filter_map(|r| str_field(r, "sha"))
            .collect())
    }

    async fn photo_bytes(&self, sha: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(blob) = self.photo_blob(sha).await? else {
            return Ok(None);
        };
        let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| StoreError(format!("{e:?}")))?;
        Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
    }

    async fn photo_done(&self, sha: &str, failure: Option<String>) -> Result<(), StoreError> {
        let tx = self.tx(&["photos"], true)?;
        let store = tx.store("photos")?;
        if let Some(row) = store.get(sha.into()).await? {
            let _ = js_sys::Reflect::set(&row, &"uploaded".into(), &JsValue::from_bool(failure.is_none()));
            let failure = failure.map_or(JsValue::NULL, |f| JsValue::from_str(&f));
            let _ = js_sys::Reflect::set(&row, &"failure".into(), &failure);
            store.put(&row, None).await?;
        }
        done(tx).await
    }
}

/// An outbox row `{seq, op_id, json}`.
fn queued(row: &JsValue) -> Result<Queued, StoreError> {
    let seq = field(row, "seq").as_f64().ok_or_else(|| StoreError("outbox row without seq".into()))?;
    let op_id = str_field(row, "op_id").ok_or_else(|| StoreError("outbox row without op_id".into()))?;
    let json = str_field(row, "json").ok_or_else(|| StoreError("outbox row without json".into()))?;
    Ok(Queued { seq: seq as i64, op_id, json })
}

/// The op ids still waiting in the outbox.
async fn outbox_ids(tx: &rexie::Transaction) -> Result<HashSet<String>, StoreError> {
    let rows = tx.store("outbox")?.get_all(None, None).await?;
    Ok(rows.iter().filter_map(|r| str_field(r, "op_id")).collect())
}
