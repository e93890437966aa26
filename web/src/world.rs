//! Everything on the phone for the logged-in worker, read in one go after each change. A grid
//! holds a few hundred records, so the screens filter in memory instead of querying IndexedDB.

use crate::store::idb::Db;
use crate::store::{InboxEntry, Local, StoreError};
use xunjian_shared::checklist::Template;
use xunjian_shared::hazard::{Hazard, HazardStatus};
use xunjian_shared::inspection::Inspection;
use xunjian_shared::notification::Notification;
use xunjian_shared::org::OrgUnit;
use xunjian_shared::premise::{Premise, PremiseType};
use xunjian_shared::sync::RecordKind;

/// A snapshot of the phone's records.
#[derive(Default, PartialEq)]
pub struct World {
    pub org_units: Vec<Local<OrgUnit>>,
    pub premises: Vec<Local<Premise>>,
    pub templates: Vec<Local<Template>>,
    pub inspections: Vec<Local<Inspection>>,
    pub hazards: Vec<Local<Hazard>>,
    pub notifications: Vec<Local<Notification>>,
    pub inbox: Vec<InboxEntry>,
}

impl World {
    pub async fn load(db: &Db) -> Result<World, StoreError> {
        let mut w = World {
            org_units: db.records(RecordKind::OrgUnit).await?,
            premises: db.records(RecordKind::Premise).await?,
            templates: db.records(RecordKind::Template).await?,
            inspections: db.records(RecordKind::Inspection).await?,
            hazards: db.records(RecordKind::Hazard).await?,
            notifications: db.records(RecordKind::Notification).await?,
            inbox: db.inbox().await?,
        };
        w.premises.sort_by(|a, b| a.value.name.cmp(&b.value.name));
        w.inspections.sort_by_key(|i| std::cmp::Reverse(i.value.submitted.finished_at));
        w.notifications.sort_by_key(|n| std::cmp::Reverse(n.value.created_at));
        Ok(w)
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
}
