//! Everything on the phone for the logged-in worker, read in one go after each change. A grid
//! holds a few hundred records, so the screens filter in memory instead of querying IndexedDB.
//! Closed hazards — most of them, on a phone that has worked for years — are read just after the
//! first screen (`closed_hazards`), so a phone holding tens of thousands opens quickly.

use crate::store::idb::Db;
use crate::store::open::hazard_rows;
use crate::store::records::{inbox_entries, local_records};
use crate::store::{InboxEntry, Local, StoreError};
use crate::util::{fixed, sort_by};
use rexie::Transaction;
use wasm_bindgen::JsValue;
use xunjian_shared::checklist::Template;
use xunjian_shared::hazard::{Hazard, HazardStatus};
use xunjian_shared::inspection::Inspection;
use xunjian_shared::notification::Notification;
use xunjian_shared::org::OrgUnit;
use xunjian_shared::premise::{Premise, PremiseType};
use xunjian_shared::road::patrol::Patrol;
use xunjian_shared::road::register::{Road, Segment};
use xunjian_shared::{SegmentId, UserId};

/// A snapshot of the phone's records.
#[derive(Default, PartialEq)]
pub struct World {
    pub org_units: Vec<Local<OrgUnit>>,
    pub premises: Vec<Local<Premise>>,
    pub templates: Vec<Local<Template>>,
    pub inspections: Vec<Local<Inspection>>,
    /// The hazards still open, and the phone's own unsynced copies (store/open.rs).
    pub hazards: Vec<Local<Hazard>>,
    pub notifications: Vec<Local<Notification>>,
    pub roads: Vec<Local<Road>>,
    pub segments: Vec<Local<Segment>>,
    pub patrols: Vec<Local<Patrol>>,
    pub inbox: Vec<InboxEntry>,
}

impl World {
    /// Reads every store the screens use, in one transaction with the reads issued together.
    pub async fn load(db: &Db) -> Result<World, StoreError> {
        const STORES: [&str; 10] = [
            "org_units",
            "premises",
            "templates",
            "inspections",
            "hazards",
            "notifications",
            "roads",
            "segments",
            "patrols",
            "inbox",
        ];
        let tx = db.tx(&STORES, false)?;
        let rows = futures::future::try_join_all(STORES.iter().map(|name| read(&tx, name))).await?;
        let at = |i: usize| &rows[i][..];
        let mut w = World {
            org_units: local_records(STORES[0], at(0)),
            premises: local_records(STORES[1], at(1)),
            templates: local_records(STORES[2], at(2)),
            inspections: local_records(STORES[3], at(3)),
            hazards: local_records(STORES[4], at(4)),
            notifications: local_records(STORES[5], at(5)),
            roads: local_records(STORES[6], at(6)),
            segments: local_records(STORES[7], at(7)),
            patrols: local_records(STORES[8], at(8)),
            inbox: inbox_entries(at(9))?,
        };
        sort_by(&mut w.premises, |a, b| a.value.name.cmp(&b.value.name));
        sort_by(&mut w.inspections, |a, b| b.value.submitted.finished_at.cmp(&a.value.submitted.finished_at));
        sort_by(&mut w.notifications, |a, b| b.value.created_at.cmp(&a.value.created_at));
        // Keyed by id, and a patrol's id (UUIDv7) is made at its start: reversed, newest first.
        w.patrols.reverse();
        Ok(w)
    }

    /// The closed hazards (the server's copies), read after the first screen.
    pub async fn closed_hazards(db: &Db) -> Result<Vec<Local<Hazard>>, StoreError> {
        let tx = db.tx(&["hazards"], false)?;
        Ok(local_records("hazards", &hazard_rows(&tx.store("hazards")?, false).await?))
    }

    pub fn premise(&self, id: &str) -> Option<&Local<Premise>> {
        self.premises.iter().find(|p| p.value.id.to_string() == id)
    }

    pub fn hazard(&self, id: &str) -> Option<&Local<Hazard>> {
        self.hazards.iter().find(|h| h.value.id.to_string() == id)
    }

    /// The latest template version for a premise type.
    pub fn template_for(&self, t: PremiseType) -> Option<&Template> {
        self.templates.iter().map(|l| &l.value).filter(|x| x.content.premise_type == t).max_by_key(|x| x.version)
    }

    /// A premise's name, for hazard lists.
    pub fn premise_name(&self, id: &xunjian_shared::PremiseId) -> String {
        self.premises.iter().find(|p| &p.value.id == id).map(|p| p.value.name.clone()).unwrap_or_default()
    }

    /// Hazards not closed yet.
    pub fn open_hazards(&self) -> impl Iterator<Item = &Local<Hazard>> {
        self.hazards.iter().filter(|h| h.value.state.status != HazardStatus::Closed)
    }

    pub fn unread(&self) -> usize {
        self.notifications.iter().filter(|n| n.value.read_at.is_none()).count()
    }

    /// The segments assigned to a patrol worker (in the order they were made: a worker has one or
    /// two, and sorting code costs download size).
    pub fn my_segments(&self, me: UserId) -> Vec<&Segment> {
        self.segments.iter().map(|s| &s.value).filter(|s| s.worker_id == Some(me)).collect()
    }

    /// A segment for a list: `Y045 猗氏—东街乡道 0.0–5.0 km` (the id when not on the phone).
    pub fn segment_label(&self, id: &SegmentId) -> String {
        let Some(s) = self.segments.iter().find(|s| &s.value.id == id) else { return id.to_string() };
        let s = &s.value;
        let name = self.road_of(s).map(|r| format!("{} {} ", r.code, r.name)).unwrap_or_default();
        format!("{name}{}–{} km", fixed(s.from_km, 1), fixed(s.to_km, 1))
    }

    /// Where a road issue is: its segment as [`Self::segment_label`] when this device holds the
    /// segment; else (the traffic police hold no segments, only the road register) the road's code
    /// and name and the finding's position.
    pub fn issue_place(&self, i: &xunjian_shared::road::issue::RoadIssue) -> String {
        if self.segments.iter().any(|s| s.value.id == i.segment_id) {
            return self.segment_label(&i.segment_id);
        }
        let road = self.roads.iter().map(|r| &r.value).find(|r| r.id == i.road_id);
        let at = format!("{}, {}", fixed(i.location.lat, 5), fixed(i.location.lon, 5));
        match road {
            Some(r) => format!("{} {} · {at}", r.code, r.name),
            None => at,
        }
    }

    pub fn road_of(&self, s: &Segment) -> Option<&Road> {
        self.roads.iter().map(|r| &r.value).find(|r| r.id == s.road_id)
    }

    pub fn patrol(&self, id: &str) -> Option<&Local<Patrol>> {
        self.patrols.iter().find(|p| p.value.submitted.id.to_string() == id)
    }
}

/// Every row of a store the first screen needs; of `hazards`, the open ones.
async fn read(tx: &Transaction, name: &str) -> Result<Vec<JsValue>, StoreError> {
    let store = tx.store(name)?;
    if name == "hazards" {
        hazard_rows(&store, true).await
    } else {
        Ok(store.get_all(None, None).await?)
    }
}
