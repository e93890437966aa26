//! One sync round (docs/sync.md): photos up, the outbox pushed in order, then pull until caught
//! up. Generic over the store and the server so it is tested without a browser.

use super::wire::{push_body, Outcome, Page, Pushed, Queued};
use crate::api::ApiError;
use crate::store::{StoreError, SyncStore};
use chrono::{DateTime, Utc};
use xunjian_shared::sync::MAX_OPS_PER_PUSH;

/// Ops per push: well under the server's limit, so one push stays short on a weak 2G link.
pub const BATCH: usize = 50;
/// Bytes of ops per push (the server takes 4 MiB; ops carry photo hashes, not photos).
const BATCH_BYTES: usize = 1024 * 1024;

/// The server, as the engine sees it.
#[allow(async_fn_in_trait)] // used only through generics inside this crate, never as `dyn`
pub trait Remote {
    /// Sends a push (`body`: a `PushRequest`'s JSON).
    async fn push(&self, body: &str) -> Result<Pushed, ApiError>;
    async fn pull(&self, cursor: Option<&str>) -> Result<Page, ApiError>;
    async fn upload(&self, sha: &str, bytes: &[u8]) -> Result<(), ApiError>;
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub photos: usize,
    pub applied: usize,
    pub refused: usize,
    pub pulled: usize,
    pub reset: bool,
}

/// Why a round stopped. Nothing is lost in any case: unsent ops stay in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    Api(ApiError),
    Store(StoreError),
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

/// A photo refused for good (wrong type, too large, hash mismatch): retrying cannot help.
fn photo_refused(e: &ApiError) -> bool {
    matches!(e.status(), Some(413 | 415 | 422))
}

/// Runs one round.
pub async fn run<S: SyncStore, R: Remote>(store: &S, remote: &R, now: DateTime<Utc>) -> Result<Report, SyncError> {
    let mut report = Report::default();
    // Photos first, so the server can show them with the records that arrive next (it would
    // accept the records without them, too).
    for sha in store.pending_photos().await? {
        let Some(bytes) = store.photo_bytes(&sha).await? else { continue };
        match remote.upload(&sha, &bytes).await {
            Ok(()) => {
                store.photo_done(&sha, None).await?;
                report.photos += 1;
            }
            Err(e) if photo_refused(&e) => store.photo_done(&sha, Some(e.describe())).await?,
            Err(e) => return Err(e.into()),
        }
    }
    let device_id = store.sync_state().await?.device_id;
    loop {
        let outbox = store.outbox().await?;
        if outbox.is_empty() {
            break;
        }
        let batch = take_batch(&outbox);
        // Our own ops, read back from our own store: if one were unreadable, nothing went out.
        let body = push_body(device_id, batch).map_err(|e| StoreError(e.to_string()))?;
        let resp = remote.push(&body).await?;
        let ids: Vec<String> = resp.results.iter().map(|r| r.op_id.to_string()).collect();
        let answered: Vec<(Queued, Outcome)> = batch
            .iter()
            .filter_map(|op| {
                let i = ids.iter().position(|id| *id == op.op_id)?;
                Some((op.clone(), resp.results[i].outcome.clone()))
            })
            .collect();
        if answered.is_empty() {
            // An answer that settles nothing would loop forever; try again next round.
            return Err(SyncError::Api(ApiError::Unexpected { status: 200 }));
        }
        report.applied += answered.iter().filter(|(_, o)| o.applied).count();
        report.refused += answered.iter().filter(|(_, o)| !o.applied).count();
        store.settle(&answered, now).await?;
    }
    let mut cursor = store.sync_state().await?.cursor;
    loop {
        let page = remote.pull(cursor.as_deref()).await?;
        report.pulled += page.changes.len();
        report.reset |= page.reset;
        store.apply_pull(page.reset, &page.changes, &page.cursor).await?;
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    store.prune_local().await?;
    Ok(report)
}

/// The first ops of the outbox that fit in one push.
fn take_batch(outbox: &[Queued]) -> &[Queued] {
    let mut bytes = 0;
    let mut n = 0;
    for op in outbox.iter().take(BATCH.min(MAX_OPS_PER_PUSH)) {
        bytes += op.json.len();
        if n > 0 && bytes > BATCH_BYTES {
            break;
        }
        n += 1;
    }
    &outbox[..n]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "engine_tests.rs"]
mod tests;
