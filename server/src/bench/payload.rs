//! Realistic payloads: inspections answered from the real checklist (one in ten fails an item, so
//! hazards are registered as in the field), device operations, and unique JPEG-like photos.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use xunjian_shared::checklist::{AnswerKind, Template};
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::inspection::{Answer, AnswerValue, SubmitInspection};
use xunjian_shared::premise::Premise;
use xunjian_shared::sync::{OpBody, Operation, PushRequest, PROTOCOL_VERSION};
use xunjian_shared::{InspectionId, PhotoRef};

/// About one inspection in this many fails an item.
pub const FAIL_EVERY: usize = 10;

/// A photo reference made from a number (the photo itself need not be uploaded: a record may
/// reference a photo still on the phone).
pub fn photo_ref(n: u64) -> PhotoRef {
    let digest = Sha256::digest(n.to_le_bytes());
    PhotoRef::try_from(hex::encode(digest)).expect("a SHA-256 in hex is a photo reference")
}

/// The hazard-making items of a template (the ones a failure registers a hazard for).
fn hazard_items(t: &Template) -> Vec<&str> {
    t.content.items.iter().filter(|i| i.makes_hazard).map(|i| i.id.as_str()).collect()
}

/// A well-mixed number from `n` (splitmix64), so that failures and failing items do not line up
/// with the premise an inspection goes to.
fn mix(n: usize) -> u64 {
    let mut z = (n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether the `n`-th inspection fails an item (about one in [`FAIL_EVERY`], spread over premises).
pub fn fails(n: usize) -> bool {
    mix(n).is_multiple_of(FAIL_EVERY as u64)
}

/// The `n`-th inspection of `premise`: every item answered and passing, except that with `fail` a
/// hazard item fails (chosen by `n`) with a note and, where the checklist asks, a
/// photo. Every inspection carries its overview photo and the premise's position.
pub fn inspection(premise: &Premise, t: &Template, n: usize, fail: bool, finished: DateTime<Utc>) -> SubmitInspection {
    let items = hazard_items(t);
    let failing = (fail && !items.is_empty()).then(|| items[(mix(n) / FAIL_EVERY as u64) as usize % items.len()]);
    let answers = t
        .content
        .items
        .iter()
        .map(|item| {
            let fail = failing == Some(item.id.as_str());
            let value = match &item.answer {
                AnswerKind::YesNo { pass_when } => {
                    if *pass_when != fail {
                        AnswerValue::Yes
                    } else {
                        AnswerValue::No
                    }
                }
                AnswerKind::Number { min_ok, max_ok, .. } => {
                    let ok = min_ok.or(*max_ok).unwrap_or(0.0) + if min_ok.is_some() { 1.0 } else { 0.0 };
                    AnswerValue::Number(if fail { min_ok.map_or(ok + 1.0, |m| m - 1.0) } else { ok })
                }
                AnswerKind::Text => AnswerValue::Text("无异常".into()),
                AnswerKind::Photo => AnswerValue::Photo,
            };
            let photos = match (&item.answer, fail) {
                (AnswerKind::Photo, _) => vec![photo_ref(n as u64 * 2)],
                (_, true) if item.photo_required_on_fail => vec![photo_ref(n as u64 * 2 + 1)],
                _ => vec![],
            };
            Answer {
                item_id: item.id.clone(),
                value,
                note: fail.then(|| "现场发现该项不符合要求，已告知负责人限期整改".to_owned()),
                photos,
            }
        })
        .collect();
    SubmitInspection {
        id: InspectionId::new(),
        premise_id: premise.id,
        template_id: t.id,
        started_at: finished - Duration::minutes(12),
        finished_at: finished,
        location: premise.location,
        answers,
        notes: if failing.is_some() { "已下发整改通知".into() } else { String::new() },
        corrects: None,
        fixed_on_spot: vec![],
        deadlines: vec![],
    }
}

/// A phone's outbox: operations numbered in order.
pub struct Outbox {
    pub device: DeviceId,
    next_seq: i64,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox { device: DeviceId::new(), next_seq: 1 }
    }

    /// One operation per body, in order.
    pub fn ops(&mut self, bodies: impl IntoIterator<Item = OpBody>) -> Vec<Operation> {
        bodies
            .into_iter()
            .map(|body| {
                let op = Operation { op_id: OpId::new(), seq: self.next_seq, device_time: Utc::now(), body };
                self.next_seq += 1;
                op
            })
            .collect()
    }

    /// The push request for `ops`.
    pub fn request(&self, ops: Vec<Operation>) -> PushRequest {
        PushRequest { protocol: PROTOCOL_VERSION, device_id: self.device, ops }
    }
}

/// `count` unique JPEG-like photos of `size` bytes (a JPEG header, then random bytes) with their hashes.
pub fn photos(count: usize, size: usize) -> Vec<(PhotoRef, Vec<u8>)> {
    let mut rng = rand::rng();
    (0..count)
        .map(|_| {
            let mut bytes = vec![0u8; size];
            rng.fill_bytes(&mut bytes);
            bytes[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
            let sha = PhotoRef::try_from(hex::encode(Sha256::digest(&bytes))).expect("hex SHA-256");
            (sha, bytes)
        })
        .collect()
}
