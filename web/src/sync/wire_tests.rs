//! The phone's text-kept ops and records against the shared crate's typed wire format.

use super::*;
use chrono::DateTime;
use xunjian_shared::ids::{NotificationId, OpId};
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::sync::{Change, OpBody, Operation, PullResponse, PushRequest, Record};
use xunjian_shared::OrgUnitId;

fn op(seq: i64) -> Operation {
    Operation {
        op_id: OpId::new(),
        seq,
        device_time: DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        body: OpBody::MarkNotificationRead { id: NotificationId::new() },
    }
}

fn queued(op: &Operation) -> Queued {
    Queued { seq: op.seq, op_id: op.op_id.to_string(), json: serde_json::to_string(op).unwrap() }
}

#[test]
fn a_push_body_is_a_shared_push_request() {
    let ops = vec![op(1), op(2)];
    let device_id = DeviceId::new();
    let body = push_body(device_id, &ops.iter().map(queued).collect::<Vec<_>>()).unwrap();
    // PushRequest and Operation deny unknown fields: this is the server's own reading.
    let req: PushRequest = serde_json::from_str(&body).unwrap();
    assert_eq!(req, PushRequest { protocol: PROTOCOL_VERSION, device_id, ops });
}

#[test]
fn a_pulled_page_keeps_each_record_as_the_server_sent_it() {
    let unit = OrgUnit {
        id: OrgUnitId::new(),
        code: "g1".into(),
        name: "第一网格".into(),
        level: OrgLevel::Grid,
        parent_id: None,
        active: true,
    };
    let gone = OrgUnitId::new().to_string();
    let page = PullResponse {
        reset: true,
        changes: vec![
            Change::Upsert { seq: 7, record: Box::new(Record::OrgUnit(unit.clone())) },
            Change::Remove { seq: 8, kind: RecordKind::Hazard, id: gone.clone() },
        ],
        cursor: "v1.e.u.8".into(),
        has_more: true,
    };
    let read: Page = serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
    assert!(read.reset && read.has_more);
    assert_eq!(read.cursor, "v1.e.u.8");
    let Pulled::Upsert { kind, id, json } = &read.changes[0] else { panic!("an upsert") };
    assert_eq!((*kind, id.as_str()), (RecordKind::OrgUnit, unit.id.to_string().as_str()));
    assert_eq!(serde_json::from_str::<OrgUnit>(json).unwrap(), unit);
    assert_eq!(read.changes[1], Pulled::Remove { kind: RecordKind::Hazard, id: gone });
}

#[test]
fn a_change_of_an_unknown_shape_is_refused() {
    let bad = r#"{"reset":false,"changes":[{"op":"rename","seq":1}],"cursor":"c","has_more":false}"#;
    assert!(serde_json::from_str::<Page>(bad).is_err());
    let no_id = r#"{"reset":false,"changes":[{"op":"upsert","seq":1,"record":{"kind":"premise","data":{}}}],"cursor":"c","has_more":false}"#;
    assert!(serde_json::from_str::<Page>(no_id).is_err());
}

#[test]
fn a_record_made_on_the_phone_is_stored_as_its_pulled_copy_would_be() {
    use xunjian_shared::hazard::NoticeKind;
    use xunjian_shared::notification::Notification;
    let n = Notification {
        id: NotificationId::new(),
        kind: NoticeKind::Overdue,
        hazard_id: None,
        road_issue_id: None,
        message: "逾期".into(),
        created_at: DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        read_at: None,
    };
    let record = Record::Notification(n.clone());
    let page = PullResponse {
        reset: false,
        changes: vec![Change::Upsert { seq: 1, record: Box::new(record.clone()) }],
        cursor: "c".into(),
        has_more: false,
    };
    let read: Page = serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
    let (store, key, json) = crate::store::record_parts(&record).unwrap();
    assert_eq!((store, key.as_str()), ("notifications", n.id.to_string().as_str()));
    assert_eq!(read.changes[0], Pulled::Upsert { kind: RecordKind::Notification, id: key, json });
}

#[test]
fn a_push_answer_keeps_each_outcome_as_the_server_sent_it() {
    use xunjian_shared::error::ErrorCode;
    use xunjian_shared::sync::{OpOutcome, OpResult, PushResponse};
    let conflict = OpOutcome::Conflict {
        code: ErrorCode::Conflict,
        message: "已被办公室处理".into(),
        current: serde_json::json!({"id": "h1", "status": "closed"}),
    };
    let (a, b) = (op(1), op(2));
    let resp = PushResponse {
        results: vec![
            OpResult { op_id: a.op_id, seq: 1, outcome: OpOutcome::Applied { version: Some(3), merged: None } },
            OpResult { op_id: b.op_id, seq: 2, outcome: conflict.clone() },
        ],
    };
    let read: Pushed = serde_json::from_str(&serde_json::to_string(&resp).unwrap()).unwrap();
    assert_eq!((read.results[0].op_id, read.results[0].outcome.applied), (a.op_id, true));
    let kept = &read.results[1].outcome;
    assert!(!kept.applied);
    assert_eq!(serde_json::from_str::<OpOutcome>(&kept.json).unwrap(), conflict);
    // As the inbox stores and reads it.
    let stored = crate::store::inbox_json(&queued(&b), kept, DateTime::from_timestamp(0, 0).unwrap()).unwrap();
    let entry: crate::store::InboxEntry = serde_json::from_str(&stored).unwrap();
    assert_eq!((entry.op.op_id, entry.outcome.status.as_str()), (b.op_id, "conflict"));
    assert_eq!((entry.outcome.code, entry.outcome.message.as_str()), (Some(ErrorCode::Conflict), "已被办公室处理"));
    let current: serde_json::Value = serde_json::from_str(entry.outcome.current.as_deref().unwrap()).unwrap();
    assert_eq!(current["status"], "closed");
}
