//! The offline sync protocol (docs/sync.md): devices push operations from their outbox and pull
//! the changes they may see. Every type here is shared by the server and the phone.

use crate::checklist::Template;
use crate::error::ErrorCode;
use crate::hazard::{ActOnHazard, Hazard, RegisterHazard};
use crate::ids::{DeviceId, HazardId, NotificationId, OpId, PremiseId};
use crate::inspection::{Inspection, SubmitInspection};
use crate::notification::Notification;
use crate::org::OrgUnit;
use crate::premise::{CreatePremise, Premise, UpdatePremise};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The protocol version this build speaks. The server refuses older clients with
/// `426 client_outdated` rather than giving them data they would misread.
pub const PROTOCOL_VERSION: u32 = 1;
/// Most operations in one push (a 12-answer inspection is about 2 KiB of JSON, so 500 of them fit
/// well inside [`MAX_PUSH_BYTES`]; a client also keeps each batch under that byte limit).
pub const MAX_OPS_PER_PUSH: usize = 500;
/// Largest push body in bytes.
pub const MAX_PUSH_BYTES: usize = 4 * 1024 * 1024;
/// Most changes in one pull page.
pub const MAX_PULL_PAGE: i64 = 1000;

/// What an operation does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum OpBody {
    /// Register a premise (its id made on the device).
    CreatePremise(CreatePremise),
    /// Edit a premise the device last saw at `base_version`; merged field by field.
    UpdatePremise { id: PremiseId, base_version: i64, changes: UpdatePremise },
    /// Submit an inspection.
    SubmitInspection(SubmitInspection),
    /// Register a hazard found outside an inspection.
    RegisterHazard(RegisterHazard),
    /// Take an action on a hazard (its `expected_version` is the version the device saw).
    ActOnHazard { id: HazardId, act: ActOnHazard },
    /// Mark a notification read.
    MarkNotificationRead { id: NotificationId },
    /// Submit an on-road record (patrol workers), with its findings.
    SubmitPatrol(crate::road::patrol::SubmitPatrol),
    /// Take an action on a road issue (same shape as a hazard action).
    ActOnRoadIssue { id: crate::ids::RoadIssueId, act: ActOnHazard },
}

/// One operation of a device's outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Unique id made on the device; the server applies an op id at most once.
    pub op_id: OpId,
    /// The device's own sequence number (1, 2, 3, … in the order the user did things).
    pub seq: i64,
    /// Device clock when the user did it.
    pub device_time: DateTime<Utc>,
    /// What to do.
    pub body: OpBody,
}

/// Body of `POST /api/v1/sync/push`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The client's protocol version (older: 426 `client_outdated`).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1))]
    pub protocol: u32,
    /// The pushing device.
    pub device_id: DeviceId,
    /// Operations in the order they were made (at most [`MAX_OPS_PER_PUSH`]).
    pub ops: Vec<Operation>,
}

/// What became of one operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OpOutcome {
    /// Applied; the record's new version where it has one. `merged` lists fields of a premise edit
    /// that the server had changed too (`{field: {server, device}}`; the device's value was kept).
    Applied {
        version: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merged: Option<serde_json::Value>,
    },
    /// Not applied: the record changed on the server so that this op no longer makes sense. The
    /// device shows `current` and lets the user decide; the op is final.
    Conflict { code: ErrorCode, message: String, current: serde_json::Value },
    /// Not applied: the op breaks a rule (the code says which). Final for this op id; kept visible
    /// for the user.
    Rejected { code: ErrorCode, message: String },
}

impl OpOutcome {
    /// Whether the op changed the server.
    pub fn applied(&self) -> bool {
        matches!(self, OpOutcome::Applied { .. })
    }
}

/// The result of one op of a push, in the order sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    /// The op.
    pub op_id: OpId,
    /// Its device sequence number.
    pub seq: i64,
    /// What became of it (the same answer every time the op is sent).
    pub outcome: OpOutcome,
}

/// Answer of a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One result per op, in the order sent.
    pub results: Vec<OpResult>,
}

/// A record the device keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Record {
    OrgUnit(OrgUnit),
    Premise(Premise),
    Template(Template),
    Inspection(Inspection),
    Hazard(Hazard),
    Notification(Notification),
    Road(crate::road::register::Road),
    Segment(crate::road::register::Segment),
    Patrol(crate::road::patrol::Patrol),
    RoadIssue(crate::road::issue::RoadIssue),
    /// A hazard's timeline (its id is the hazard's), so the phone shows it offline.
    HazardTimeline(crate::hazard::HazardTimeline),
}

/// The kinds of record, for removals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum RecordKind {
    OrgUnit,
    Premise,
    Template,
    Inspection,
    Hazard,
    Notification,
    Road,
    Segment,
    Patrol,
    RoadIssue,
    HazardTimeline,
}

crate::wire_name::wire_names!(RecordKind, &RecordKind::ALL);

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 11] = [
        Self::OrgUnit,
        Self::Premise,
        Self::Template,
        Self::Inspection,
        Self::Hazard,
        Self::Notification,
        Self::Road,
        Self::Segment,
        Self::Patrol,
        Self::RoadIssue,
        Self::HazardTimeline,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrgUnit => "org_unit",
            Self::Premise => "premise",
            Self::Template => "template",
            Self::Inspection => "inspection",
            Self::Hazard => "hazard",
            Self::Notification => "notification",
            Self::Road => "road",
            Self::Segment => "segment",
            Self::Patrol => "patrol",
            Self::RoadIssue => "road_issue",
            Self::HazardTimeline => "hazard_timeline",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a user of `role` receives a change of `kind` (`to_me`: addressed to the user, not just
/// inside their scope). Field phones keep only their own work: a grid worker the fire-safety records
/// of their grid; a patrol worker the road register, their own segments and patrols.
pub fn delivered(role: crate::Role, kind: RecordKind, to_me: bool) -> bool {
    use crate::Role as R;
    use RecordKind as K;
    match role {
        R::PatrolWorker => match kind {
            K::OrgUnit | K::Road | K::Notification => true,
            K::Segment | K::Patrol | K::RoadIssue => to_me,
            _ => false,
        },
        R::GridWorker => !matches!(kind, K::Road | K::Segment | K::Patrol | K::RoadIssue),
        // A receiving-only role (the traffic police) gets what is addressed to it, and the public
        // road register (codes and names) to say where a referred road issue is.
        r if r.receives_only() => to_me || kind == K::Road,
        _ => true,
    }
}

/// One change in a pull.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    /// Store this record (its latest state), replacing any older copy.
    Upsert { seq: i64, record: Box<Record> },
    /// Drop this record: it left the user's scope.
    Remove { seq: i64, kind: RecordKind, id: String },
}

/// Answer of `GET /api/v1/sync/pull`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Drop every pulled record before applying these changes (the cursor was from a reset or
    /// restored database, or the user's unit changed). Unsynced operations are kept.
    pub reset: bool,
    /// The changes, in order.
    pub changes: Vec<Change>,
    /// The cursor to send next time.
    pub cursor: String,
    /// More changes are waiting: pull again at once.
    pub has_more: bool,
}

/// A position in the change feed, opaque to the device: `v1.<epoch>.<unit>.<seq>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The database epoch it belongs to.
    pub epoch: String,
    /// The user's unit when it was issued.
    pub unit: String,
    /// The last change delivered.
    pub seq: i64,
}

impl Cursor {
    /// The wire form.
    pub fn encode(&self) -> String {
        format!("v1.{}.{}.{}", self.epoch, self.unit, self.seq)
    }

    /// Reads the wire form; `None` for anything malformed (treated as a reset).
    pub fn parse(s: &str) -> Option<Cursor> {
        let mut parts = s.split('.');
        if parts.next()? != "v1" {
            return None;
        }
        let (epoch, unit, seq) = (parts.next()?, parts.next()?, parts.next()?.parse().ok()?);
        if parts.next().is_some() || epoch.is_empty() || unit.is_empty() || seq < 0 {
            return None;
        }
        Some(Cursor { epoch: epoch.into(), unit: unit.into(), seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_phones_receive_only_their_own_work() {
        use crate::Role;
        assert!(delivered(Role::PatrolWorker, RecordKind::Segment, true));
        assert!(!delivered(Role::PatrolWorker, RecordKind::Segment, false));
        assert!(!delivered(Role::PatrolWorker, RecordKind::Hazard, false));
        assert!(delivered(Role::PatrolWorker, RecordKind::Road, false));
        assert!(!delivered(Role::GridWorker, RecordKind::Patrol, false));
        assert!(delivered(Role::GridWorker, RecordKind::Premise, false));
        for kind in RecordKind::ALL {
            assert!(delivered(Role::TownshipOffice, kind, false), "offices see their whole scope");
        }
    }

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let c = Cursor { epoch: "abc123".into(), unit: "0192".into(), seq: 42 };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        for bad in ["", "v1", "v2.a.b.1", "v1.a.b.x", "v1.a.b.-1", "v1..b.1", "v1.a.b.1.2"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ops_and_outcomes_have_a_stable_wire_form() {
        let op: OpBody = serde_json::from_str(
            r#"{"kind":"mark_notification_read","payload":{"id":"0192f0c4-5b1e-7000-8000-000000000001"}}"#,
        )
        .unwrap();
        assert!(matches!(op, OpBody::MarkNotificationRead { .. }));
        let out = OpOutcome::Rejected { code: ErrorCode::OpIdReused, message: "x".into() };
        let v = serde_json::to_value(&out).unwrap();
        assert_eq!((v["status"].as_str(), v["code"].as_str()), (Some("rejected"), Some("op_id_reused")));
        assert!(!out.applied());
    }
}
