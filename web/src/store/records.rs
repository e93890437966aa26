//! Records on the phone: reading them, and committing what the worker does — the operation for
//! the server and the phone's own copy of the result — in one transaction.

use super::idb::{done, meta_row, parse, record_row, str_field, write_all, Db, Write, RECORD_STORES};
use super::{record_parts, InboxEntry, Local, StoreError, SyncState};
use chrono::{DateTime, Utc};
use rexie::Transaction;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use xunjian_shared::ids::OpId;
use xunjian_shared::sync::{OpBody, Operation, Record};

/// The meta key of the sync state.
pub const SYNC_KEY: &str = "sync";

/// A record to store with an operation: its store, key and JSON.
pub(crate) type Row = (&'static str, String, String);

/// The sync state, read inside a transaction that holds `meta`.
pub(crate) async fn sync_state_in(tx: &Transaction) -> Result<SyncState, StoreError> {
    match tx.store("meta")?.get(SYNC_KEY.into()).await? {
        Some(row) => parse(&row),
        None => Ok(SyncState::new()),
    }
}

/// Records read from the rows of `store`, with whether each is still only on the phone. Pulled
/// records are stored as the server sent them and first parsed here: one this build cannot read
/// (from a newer server) is left out rather than blanking every screen.
pub fn local_records<T: DeserializeOwned>(store: &str, rows: &[JsValue]) -> Vec<Local<T>> {
    let read = |r: &JsValue| match parse(r) {
        Ok(value) => Some(Local { value, op: str_field(r, "op") }),
        Err(e) => {
            gloo::console::warn!("unreadable record:", store, str_field(r, "id"), e.0);
            None
        }
    };
    rows.iter().filter_map(read).collect()
}

/// Inbox entries from the rows of `inbox`, newest first.
pub fn inbox_entries(rows: &[JsValue]) -> Result<Vec<InboxEntry>, StoreError> {
    let mut out: Vec<InboxEntry> = rows.iter().map(parse).collect::<Result<_, _>>()?;
    crate::util::sort_by(&mut out, |a, b| b.at.cmp(&a.at));
    Ok(out)
}

/// The writes that put an operation (numbered from `state`) in the outbox and the records it
/// makes in their stores. The caller saves `state` in the same transaction.
pub(crate) fn queue(
    state: &mut SyncState,
    body: OpBody,
    rows: &[Row],
    now: DateTime<Utc>,
    writes: &mut Vec<Write>,
) -> Result<Operation, StoreError> {
    let op = Operation { op_id: OpId::new(), seq: state.next_seq, device_time: now, body };
    state.next_seq += 1;
    let op_id = op.op_id.to_string();
    let row = super::idb::obj(&[
        ("seq", (op.seq as f64).into()),
        ("op_id", op_id.as_str().into()),
        ("json", serde_json::to_string(&op)?.into()),
    ]);
    writes.push(Write::Put("outbox", row));
    for (name, id, json) in rows {
        writes.push(Write::Put(name, record_row(name, id, json, Some(&op_id))));
    }
    Ok(op)
}

impl Db {
    /// Every record of a kind, with whether it is still only on the phone (the app reads them all
    /// at once: `World::load`).
    #[cfg(all(test, target_arch = "wasm32"))]
    pub async fn records<T: DeserializeOwned>(
        &self,
        kind: xunjian_shared::sync::RecordKind,
    ) -> Result<Vec<Local<T>>, StoreError> {
        let Some(name) = super::store_name(kind) else { return Ok(Vec::new()) };
        let tx = self.tx(&[name], false)?;
        Ok(local_records(name, &tx.store(name)?.get_all(None, None).await?))
    }

    /// Queues an operation and stores the records it makes or changes on the phone, in one
    /// transaction (and drops the draft it came from). Returns once it is on disk.
    pub async fn commit(
        &self,
        body: OpBody,
        locals: &[Record],
        draft: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Operation, StoreError> {
        self.commit_clearing(body, locals, draft, &[], now).await
    }

    /// [`Db::commit`], also emptying `clear` (stores of working data, e.g. the finished patrol's
    /// track) in the same transaction.
    pub async fn commit_clearing(
        &self,
        body: OpBody,
        locals: &[Record],
        draft: Option<&str>,
        clear: &[&'static str],
        now: DateTime<Utc>,
    ) -> Result<Operation, StoreError> {
        let rows = locals.iter().map(record_parts).collect::<Result<Vec<_>, _>>()?;
        let mut names = vec!["outbox", "meta", "drafts"];
        names.extend_from_slice(clear);
        names.extend(rows.iter().map(|r| r.0));
        names.sort_unstable();
        names.dedup();
        let tx = self.tx(&names, true)?;
        let mut state = sync_state_in(&tx).await?;
        let mut writes = Vec::new();
        let op = queue(&mut state, body, &rows, now, &mut writes)?;
        writes.push(Write::Put("meta", meta_row(SYNC_KEY, &state)?));
        if let Some(id) = draft {
            writes.push(Write::Delete("drafts", id.into()));
        }
        write_all(&tx, &writes).await?;
        for name in clear {
            tx.store(name)?.clear().await?;
        }
        done(tx).await?;
        Ok(op)
    }

    /// A saved draft.
    pub async fn draft<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&["drafts"], false)?;
        tx.store("drafts")?.get(id.into()).await?.map(|r| parse(&r)).transpose()
    }

    /// Saves a draft; returns once it is on disk.
    pub async fn put_draft<T: Serialize>(&self, id: &str, value: &T) -> Result<(), StoreError> {
        let tx = self.tx(&["drafts"], true)?;
        let row = super::idb::obj(&[("id", id.into()), ("json", serde_json::to_string(value)?.into())]);
        tx.store("drafts")?.put(&row, None).await?;
        done(tx).await
    }

    /// Conflicts and refusals, newest first.
    #[cfg(all(test, target_arch = "wasm32"))]
    pub async fn inbox(&self) -> Result<Vec<InboxEntry>, StoreError> {
        let tx = self.tx(&["inbox"], false)?;
        inbox_entries(&tx.store("inbox")?.get_all(None, None).await?)
    }

    /// The worker read an inbox entry and dismissed it.
    pub async fn dismiss(&self, op_id: &str) -> Result<(), StoreError> {
        let tx = self.tx(&["inbox"], true)?;
        tx.store("inbox")?.delete(op_id.into()).await?;
        done(tx).await
    }

    /// Forgets everything of the logged-in user (after logout), keeping the device id and the
    /// sequence counter so this phone's op ids and numbers never repeat.
    pub async fn wipe_user_data(&self) -> Result<(), StoreError> {
        let keep: Option<SyncState> = self.meta(SYNC_KEY).await?;
        let mut names: Vec<&str> = RECORD_STORES.to_vec();
        names.extend(["outbox", "inbox", "photos", "drafts", "track", "meta", "views"]);
        let tx = self.tx(&names, true)?;
        for name in &names {
            tx.store(name)?.clear().await?;
        }
        if let Some(old) = keep {
            let fresh = SyncState { device_id: old.device_id, next_seq: old.next_seq, ..SyncState::new() };
            tx.store("meta")?.put(&meta_row(SYNC_KEY, &fresh)?, None).await?;
        }
        done(tx).await
    }
}
