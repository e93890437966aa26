//! The patrol in progress on the phone: its draft (in `drafts`) and its GPS track (in `track`, a
//! row per fix keyed `<patrol>/<seq>`). A fix is saved once its own small transaction completed,
//! so closing the app, a dead battery or a reload loses at most the fix being written; reopening
//! the app resumes the patrol with every saved point.

use super::idb::{done, obj, parse, str_field, Db};
use super::StoreError;
use crate::patrol_draft::{PatrolDraft, DRAFT_KEY};
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::PatrolId;

/// A patrol's saved fixes, and the sequence number of the next one (a fix whose write failed
/// leaves a gap: the next number is after the last saved, never a reused one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedTrack {
    pub points: Vec<TrackPoint>,
    pub next_seq: u32,
}

/// A fix's key: sorts by patrol, then in the order recorded.
fn key(patrol: &PatrolId, seq: u32) -> String {
    format!("{patrol}/{seq:08}")
}

impl Db {
    /// Starts a patrol: drops any track left over and saves the draft, in one transaction.
    pub async fn begin_patrol(&self, draft: &PatrolDraft) -> Result<(), StoreError> {
        let tx = self.tx(&["drafts", "track"], true)?;
        tx.store("track")?.clear().await?;
        let row = obj(&[("id", DRAFT_KEY.into()), ("json", serde_json::to_string(draft)?.into())]);
        tx.store("drafts")?.put(&row, None).await?;
        done(tx).await
    }

    /// Saves one fix of a patrol's track; returns once it is on disk.
    pub async fn add_fix(&self, patrol: &PatrolId, seq: u32, fix: &TrackPoint) -> Result<(), StoreError> {
        let tx = self.tx(&["track"], true)?;
        let row = obj(&[("k", key(patrol, seq).into()), ("json", serde_json::to_string(fix)?.into())]);
        tx.store("track")?.put(&row, None).await?;
        done(tx).await
    }

    /// A patrol's saved track, in the order recorded.
    pub async fn track(&self, patrol: &PatrolId) -> Result<Vec<TrackPoint>, StoreError> {
        Ok(self.saved_track(patrol).await?.points)
    }

    async fn saved_track(&self, patrol: &PatrolId) -> Result<SavedTrack, StoreError> {
        let tx = self.tx(&["track"], false)?;
        let prefix = format!("{patrol}/");
        // Keyed by patrol and sequence: IndexedDB returns them in order.
        let rows = tx.store("track")?.get_all(None, None).await?;
        let mut saved = SavedTrack::default();
        for row in &rows {
            let Some(seq) = str_field(row, "k").and_then(|k| k.strip_prefix(&prefix)?.parse::<u32>().ok()) else {
                continue;
            };
            saved.points.push(parse(row)?);
            saved.next_seq = seq + 1;
        }
        Ok(saved)
    }

    /// The patrol in progress and its saved track, if a patrol was started and not ended.
    pub async fn active_patrol(&self) -> Result<Option<(PatrolDraft, SavedTrack)>, StoreError> {
        let Some(draft) = self.draft::<PatrolDraft>(DRAFT_KEY).await? else { return Ok(None) };
        let track = self.saved_track(&draft.id).await?;
        Ok(Some((draft, track)))
    }
}
