//! The sync protocol as the phone handles it: queued operations, pulled records and the server's
//! answers stay JSON text.
//! The phone only stores and forwards them, so it never parses them into the shared crate's typed
//! `Operation` and `Record` — whose parsers, one per op body and record kind and twice over for
//! serde's tagged enums, were 188 kB of the app's 1.30 MB of WebAssembly. The wire format is the
//! shared crate's (`PushRequest`, `PullResponse`); the tests hold the two together.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::sync::{RecordKind, PROTOCOL_VERSION};

/// An operation waiting in the outbox: its place in the worker's order, its id, and its JSON
/// (a shared `Operation`, exactly as it will be pushed).
#[derive(Clone, Debug, PartialEq)]
pub struct Queued {
    pub seq: i64,
    pub op_id: String,
    pub json: String,
}

/// The body of `POST /sync/push` for these operations (a shared `PushRequest`).
pub fn push_body(device_id: DeviceId, ops: &[Queued]) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Body<'a> {
        protocol: u32,
        device_id: DeviceId,
        ops: Vec<&'a RawValue>,
    }
    let ops = ops.iter().map(|q| serde_json::from_str(&q.json)).collect::<Result<_, _>>()?;
    serde_json::to_string(&Body { protocol: PROTOCOL_VERSION, device_id, ops })
}

/// A push's answer (a shared `PushResponse`).
#[derive(Debug, Deserialize)]
pub struct Pushed {
    pub results: Vec<Answered>,
}

/// What became of one op (a shared `OpResult`).
#[derive(Debug, Deserialize)]
pub struct Answered {
    pub op_id: OpId,
    pub outcome: Outcome,
}

/// An op's outcome (a shared `OpOutcome`): whether it was applied, and its JSON as the server sent
/// it — kept in the inbox when it was not, and read there (`InboxEntry`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "Box<RawValue>")]
pub struct Outcome {
    pub applied: bool,
    pub json: String,
}

impl TryFrom<Box<RawValue>> for Outcome {
    type Error = serde_json::Error;

    fn try_from(raw: Box<RawValue>) -> Result<Self, Self::Error> {
        #[derive(Deserialize)]
        struct Status {
            status: String,
        }
        let Status { status } = serde_json::from_str(raw.get())?;
        Ok(Outcome { applied: status == "applied", json: raw.get().to_owned() })
    }
}

/// A pulled page (a shared `PullResponse`).
#[derive(Debug, Deserialize)]
pub struct Page {
    pub reset: bool,
    pub changes: Vec<Pulled>,
    pub cursor: String,
    pub has_more: bool,
}

/// One pulled change: a record to store (its JSON as the server sent it), or one to drop.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "WireChange")]
pub enum Pulled {
    Upsert { kind: RecordKind, id: String, json: String },
    Remove { kind: RecordKind, id: String },
}

/// A shared `Change` read as one flat object (`op` names the variant), so serde reads it in one
/// pass instead of buffering it as its tagged-enum form would.
#[derive(Deserialize)]
struct WireChange {
    op: String,
    record: Option<WireRecord>,
    kind: Option<RecordKind>,
    id: Option<String>,
}

/// A shared `Record`: its kind and its `data`, kept as text.
#[derive(Deserialize)]
pub struct WireRecord {
    pub kind: RecordKind,
    pub data: Box<RawValue>,
}

/// A record's id, read from its JSON (every record's data carries it).
pub fn record_id(json: &str) -> Result<String, serde_json::Error> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(serde_json::from_str::<Id>(json)?.id)
}

impl WireRecord {
    /// The record's kind, id and JSON.
    pub fn parts(self) -> Result<(RecordKind, String, String), serde_json::Error> {
        Ok((self.kind, record_id(self.data.get())?, self.data.get().to_owned()))
    }
}

impl TryFrom<WireChange> for Pulled {
    type Error = String;

    fn try_from(c: WireChange) -> Result<Self, String> {
        match (c.op.as_str(), c.record, c.kind, c.id) {
            ("upsert", Some(record), ..) => {
                let (kind, id, json) = record.parts().map_err(|e| e.to_string())?;
                Ok(Pulled::Upsert { kind, id, json })
            }
            ("remove", _, Some(kind), Some(id)) => Ok(Pulled::Remove { kind, id }),
            (op, ..) => Err(format!("unreadable change `{op}`")),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "wire_tests.rs"]
mod tests;
