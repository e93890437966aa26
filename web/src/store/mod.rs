//! The phone's database. `idb` is IndexedDB (through rexie); the sync engine sees it only through
//! the small [`SyncStore`] trait, so its logic is tested against [`mem::MemStore`] without a browser.

pub mod idb;
#[cfg(all(test, target_arch = "wasm32"))]
mod idb_tests;
pub mod marker;
#[cfg(all(test, not(target_arch = "wasm32")))]
pub mod mem;
pub mod open;
#[cfg(all(test, target_arch = "wasm32"))]
mod open_tests;
pub mod photos;
pub mod records;
mod sync_impl;
pub mod track;
#[cfg(all(test, target_arch = "wasm32"))]
mod track_tests;
pub mod views;

use crate::sync::wire::{record_id, Outcome, Pulled, Queued};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use xunjian_shared::error::ErrorCode;
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::sync::{Record, RecordKind};

/// Why the phone's database refused or failed. The UI says "not saved" whenever this happens.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreError(pub String);

impl From<rexie::Error> for StoreError {
    fn from(e: rexie::Error) -> Self {
        StoreError(format!("{e:?}"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// A record kept on the phone: the server's copy, or one made here whose operation is still in
/// the outbox (`op` names it; the UI shows "saved on this phone" until the server has it).
#[derive(Clone, Debug, PartialEq)]
pub struct Local<T> {
    pub value: T,
    pub op: Option<String>,
}

impl<T> Local<T> {
    /// Whether the server does not have this state yet.
    pub fn pending(&self) -> bool {
        self.op.is_some()
    }
}

/// An operation the server answered with a conflict or a refusal, kept for the worker to read.
/// Stored as `{op, outcome, at}` with the whole operation; read back with what the inbox shows.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct InboxEntry {
    pub op: OpHead,
    pub outcome: OutcomeView,
    pub at: DateTime<Utc>,
}

/// What the inbox shows of an outcome (a shared `OpOutcome` that was not applied).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OutcomeView {
    /// `conflict` or `rejected`.
    pub status: String,
    pub code: Option<ErrorCode>,
    #[serde(default)]
    pub message: String,
    /// For a conflict, the record as the server has it (its JSON).
    #[serde(default, deserialize_with = "raw_text")]
    pub current: Option<String>,
}

fn raw_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Box<RawValue> = Deserialize::deserialize(d)?;
    Ok(Some(raw.get().to_owned()))
}

/// What the inbox shows of an operation: its id, number and kind (the tag of its body).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OpHead {
    pub op_id: OpId,
    pub seq: i64,
    pub body: BodyKind,
}

/// An operation body's kind, e.g. `submit_inspection`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BodyKind {
    pub kind: String,
}

/// The stored JSON of an inbox entry for an operation kept as JSON text.
pub fn inbox_json(op: &Queued, outcome: &Outcome, at: DateTime<Utc>) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        op: &'a RawValue,
        outcome: &'a RawValue,
        at: DateTime<Utc>,
    }
    let row = Row { op: serde_json::from_str(&op.json)?, outcome: serde_json::from_str(&outcome.json)?, at };
    Ok(serde_json::to_string(&row)?)
}

/// One line of the sync log on the settings screen: what happened, shown in the worker's language,
/// and the technical detail (an HTTP status and code) for whoever helps them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub ok: bool,
    /// None in lines an older build wrote: they show `text` alone.
    #[serde(default)]
    pub what: Option<LogWhat>,
    #[serde(default)]
    pub text: String,
}

/// What a sync round came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogWhat {
    /// Sent and accepted, refused, records brought, photos uploaded.
    Synced { applied: u32, refused: u32, pulled: u32, photos: u32 },
    /// No connection, or the server is down.
    Offline,
    /// The login expired or was ended.
    SessionEnded,
    /// The server refused or failed: its words in both languages.
    Server { zh: String, en: String },
    /// The phone's storage failed.
    Storage,
}

/// Where this phone stands with the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// This installation; made once, kept across logins.
    pub device_id: DeviceId,
    /// The pull cursor (opaque); none before the first pull.
    pub cursor: Option<String>,
    /// When the last sync completed.
    pub last_success: Option<DateTime<Utc>>,
    /// The sequence number of the next operation.
    pub next_seq: i64,
    /// Most recent first, at most [`LOG_LEN`].
    #[serde(default)]
    pub log: Vec<LogEntry>,
}

/// Lines kept in the sync log.
pub const LOG_LEN: usize = 30;

impl SyncState {
    /// A fresh state for a new installation.
    pub fn new() -> Self {
        SyncState { device_id: DeviceId::new(), cursor: None, last_success: None, next_seq: 1, log: Vec::new() }
    }

    /// Adds a line to the log, dropping the oldest.
    pub fn note(&mut self, at: DateTime<Utc>, ok: bool, what: LogWhat, text: String) {
        self.log.insert(0, LogEntry { at, ok, what: Some(what), text });
        self.log.truncate(LOG_LEN);
    }
}

/// The object store of a kind this build has screens for. Other kinds (road issues, coming next)
/// are kept in `other` under `kind:id`, so a newer server never breaks an older phone; a later
/// build that gains a store for a kind moves its rows there when it opens the database.
pub fn store_name(kind: RecordKind) -> Option<&'static str> {
    Some(match kind {
        RecordKind::OrgUnit => "org_units",
        RecordKind::Premise => "premises",
        RecordKind::Template => "templates",
        RecordKind::Inspection => "inspections",
        RecordKind::Hazard => "hazards",
        RecordKind::Notification => "notifications",
        RecordKind::Road => "roads",
        RecordKind::Segment => "segments",
        RecordKind::Patrol => "patrols",
        #[allow(unreachable_patterns)] // the shared crate gains kinds before this build shows them
        _ => return None,
    })
}

/// Where a record lives: its store and key.
pub fn place(kind: RecordKind, id: &str) -> (&'static str, String) {
    match store_name(kind) {
        Some(store) => (store, id.to_owned()),
        None => ("other", format!("{}:{id}", kind.as_str())),
    }
}

/// A record's store, key and JSON (its `data`, as the server sends it). The phone keeps its own
/// copies only of what the worker makes here; every other kind arrives from the server as text,
/// so only these kinds' writers are compiled into the app.
pub fn record_parts(record: &Record) -> Result<(&'static str, String, String), StoreError> {
    let (kind, json) = match record {
        Record::Premise(v) => (RecordKind::Premise, serde_json::to_string(v)?),
        Record::Inspection(v) => (RecordKind::Inspection, serde_json::to_string(v)?),
        Record::Hazard(v) => (RecordKind::Hazard, serde_json::to_string(v)?),
        Record::Notification(v) => (RecordKind::Notification, serde_json::to_string(v)?),
        Record::Patrol(v) => (RecordKind::Patrol, serde_json::to_string(v)?),
        _ => return Err(StoreError("not a record the phone makes".into())),
    };
    let (store, key) = place(kind, &record_id(&json)?);
    Ok((store, key, json))
}

/// What the sync engine needs from the phone's database. Every method is one transaction: when it
/// returns `Ok`, the change is on disk.
#[allow(async_fn_in_trait)] // used only through generics inside this crate, never as `dyn`
pub trait SyncStore {
    /// The sync state (a fresh one on a new installation).
    async fn sync_state(&self) -> Result<SyncState, StoreError>;
    /// Saves the sync state.
    async fn put_sync_state(&self, state: &SyncState) -> Result<(), StoreError>;
    /// The outbox, oldest first.
    async fn outbox(&self) -> Result<Vec<Queued>, StoreError>;
    /// Takes the server's answers: every answered op leaves the outbox; conflicts and refusals go
    /// to the inbox.
    async fn settle(&self, answered: &[(Queued, Outcome)], at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Applies a page of pulled changes and its cursor together. `reset` drops every pulled
    /// record first (records of unsynced operations stay).
    async fn apply_pull(&self, reset: bool, changes: &[Pulled], cursor: &str) -> Result<(), StoreError>;
    /// Drops records made here whose operation has left the outbox: the server's copy (pulled
    /// just before) replaces them, or the server refused them.
    async fn prune_local(&self) -> Result<(), StoreError>;
    /// Photos not uploaded yet (by SHA-256).
    async fn pending_photos(&self) -> Result<Vec<String>, StoreError>;
    /// A photo's bytes.
    async fn photo_bytes(&self, sha: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Marks a photo uploaded, or failed for good (`Some(why)`): either way it is not sent again.
    async fn photo_done(&self, sha: &str, failure: Option<String>) -> Result<(), StoreError>;
}
