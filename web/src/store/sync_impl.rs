//! The sync engine's view of IndexedDB (see [`SyncStore`]): outbox, inbox, pulled pages, photos.

use super::idb::{done, field, meta_row, obj, parse, record_row, str_field, Db, RECORD_STORES};
use super::records::SYNC_KEY;
use super::{inbox_json, place, StoreError, SyncState, SyncStore};
use crate::sync::wire::{Pulled, Queued};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use wasm_bindgen::JsValue;
use xunjian_shared::sync::OpOutcome;

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

    async fn settle(&self, answered: &[(Queued, OpOutcome)], at: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.tx(&["outbox", "inbox"], true)?;
        let (outbox, inbox) = (tx.store("outbox")?, tx.store("inbox")?);
        for (op, outcome) in answered {
            outbox.delete((op.seq as f64).into()).await?;
            if !outcome.applied() {
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
        if reset {
            for name in RECORD_STORES {
                let store = tx.store(name)?;
                let rows = store.get_all(None, None).await?;
                store.clear().await?;
                // Records of operations the server has not seen yet stay: the outbox is kept.
                for row in rows.iter().filter(|r| str_field(r, "op").is_some()) {
                    store.put(row, None).await?;
                }
            }
        }
        for change in changes {
            match change {
                Pulled::Upsert { kind, id, json } => {
                    let (name, id) = place(*kind, id);
                    let store = tx.store(name)?;
                    // The worker changed it again since the push: keep the phone's newer state
                    // until that op is answered too.
                    let newer = match store.get(id.as_str().into()).await? {
                        Some(row) => str_field(&row, "op").is_some_and(|op| waiting.contains(&op)),
                        None => false,
                    };
                    if !newer {
                        store.put(&record_row(&id, json, None), None).await?;
                    }
                }
                Pulled::Remove { kind, id } => {
                    let (name, key) = place(*kind, id);
                    tx.store(name)?.delete(key.as_str().into()).await?
                }
            }
        }
        let meta = tx.store("meta")?;
        let mut state: SyncState = match meta.get(SYNC_KEY.into()).await? {
            Some(row) => parse(&row)?,
            None => SyncState::new(),
        };
        state.cursor = Some(cursor.to_owned());
        meta.put(&meta_row(SYNC_KEY, &state)?, None).await?;
        done(tx).await
    }

    async fn prune_local(&self) -> Result<(), StoreError> {
        let mut names: Vec<&str> = RECORD_STORES.to_vec();
        names.push("outbox");
        let tx = self.tx(&names, true)?;
        let waiting = outbox_ids(&tx).await?;
        for name in RECORD_STORES {
            let store = tx.store(name)?;
            for row in store.get_all(None, None).await? {
                if let (Some(op), Some(id)) = (str_field(&row, "op"), str_field(&row, "id")) {
                    if !waiting.contains(&op) {
                        store.delete(id.into()).await?;
                    }
                }
            }
        }
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
