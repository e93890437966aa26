//! An in-memory [`SyncStore`] with IndexedDB's behaviour as the engine relies on it, for testing
//! the sync logic without a browser.

use super::{inbox_json, InboxEntry, StoreError, SyncState, SyncStore};
use crate::sync::wire::{Outcome, Pulled, Queued};
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// (store, key) → (json, the op that made it on the phone)
type Records = BTreeMap<(String, String), (String, Option<String>)>;
/// sha → (bytes, uploaded, failure)
type Photos = BTreeMap<String, (Vec<u8>, bool, Option<String>)>;

#[derive(Default)]
pub struct MemStore {
    pub state: RefCell<Option<SyncState>>,
    pub outbox: RefCell<BTreeMap<i64, Queued>>,
    /// The stored JSON of each entry, as IndexedDB keeps it.
    pub inbox: RefCell<Vec<String>>,
    pub records: RefCell<Records>,
    pub photos: RefCell<Photos>,
}

impl MemStore {
    fn waiting(&self) -> Vec<String> {
        self.outbox.borrow().values().map(|o| o.op_id.clone()).collect()
    }

    /// The inbox as the settings screen reads it.
    pub fn inbox_entries(&self) -> Vec<InboxEntry> {
        self.inbox.borrow().iter().map(|j| serde_json::from_str(j).expect("stored inbox entry")).collect()
    }
}

impl SyncStore for MemStore {
    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        Ok(self.state.borrow_mut().get_or_insert_with(SyncState::new).clone())
    }

    async fn put_sync_state(&self, state: &SyncState) -> Result<(), StoreError> {
        *self.state.borrow_mut() = Some(state.clone());
        Ok(())
    }

    async fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        Ok(self.outbox.borrow().values().cloned().collect())
    }

    async fn settle(&self, answered: &[(Queued, Outcome)], at: DateTime<Utc>) -> Result<(), StoreError> {
        for (op, outcome) in answered {
            self.outbox.borrow_mut().remove(&op.seq);
            if !outcome.applied {
                self.inbox.borrow_mut().push(inbox_json(op, outcome, at)?);
            }
        }
        Ok(())
    }

    async fn apply_pull(&self, reset: bool, changes: &[Pulled], cursor: &str) -> Result<(), StoreError> {
        let waiting = self.waiting();
        let mut records = self.records.borrow_mut();
        if reset {
            records.retain(|_, (_, op)| op.is_some());
        }
        for change in changes {
            match change {
                Pulled::Upsert { kind, id, json } => {
                    let (store, key) = super::place(*kind, id);
                    let k = (store.to_owned(), key);
                    let newer = records.get(&k).and_then(|(_, op)| op.as_ref()).is_some_and(|op| waiting.contains(op));
                    if !newer {
                        records.insert(k, (json.clone(), None));
                    }
                }
                Pulled::Remove { kind, id } => {
                    let (store, key) = super::place(*kind, id);
                    records.remove(&(store.to_owned(), key));
                }
            }
        }
        self.state.borrow_mut().get_or_insert_with(SyncState::new).cursor = Some(cursor.to_owned());
        Ok(())
    }

    async fn prune_local(&self) -> Result<(), StoreError> {
        let waiting = self.waiting();
        self.records.borrow_mut().retain(|_, (_, op)| op.as_ref().is_none_or(|op| waiting.contains(op)));
        Ok(())
    }

    async fn pending_photos(&self) -> Result<Vec<String>, StoreError> {
        let photos = self.photos.borrow();
        Ok(photos.iter().filter(|(_, (_, up, fail))| !up && fail.is_none()).map(|(k, _)| k.clone()).collect())
    }

    async fn photo_bytes(&self, sha: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.photos.borrow().get(sha).map(|(b, ..)| b.clone()))
    }

    async fn photo_done(&self, sha: &str, failure: Option<String>) -> Result<(), StoreError> {
        if let Some(p) = self.photos.borrow_mut().get_mut(sha) {
            p.1 = failure.is_none();
            p.2 = failure;
        }
        Ok(())
    }
}
