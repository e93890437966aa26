//! The IndexedDB store in a real browser (wasm-bindgen-test, headless Chromium through
//! chromedriver): the outbox keeps the worker's order, answers settle exactly once, a reset keeps
//! unsynced records, and pruning drops only settled local copies.

use super::idb::Db;
use super::{Local, SyncStore};
use crate::sync::wire::{Outcome, Pulled, Queued};
use chrono::{DateTime, Utc};
use wasm_bindgen_test::*;
use xunjian_shared::error::ErrorCode;
use xunjian_shared::hazard::NoticeKind;
use xunjian_shared::ids::NotificationId;
use xunjian_shared::notification::Notification;
use xunjian_shared::sync::{OpBody, OpOutcome, Operation, Record, RecordKind};

wasm_bindgen_test_configure!(run_in_browser);

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn note(message: &str) -> Notification {
    Notification {
        id: NotificationId::new(),
        kind: NoticeKind::Overdue,
        hazard_id: None,
        road_issue_id: None,
        message: message.into(),
        created_at: at(),
        read_at: None,
    }
}

/// A database of its own per test: wasm-bindgen-test may interleave async tests.
async fn fresh(name: &str) -> Db {
    let db = Db::open_named(name).await.unwrap();
    db.wipe_user_data().await.unwrap();
    db
}

/// A pulled copy of a notification, as a page from the server brings it.
fn pulled(n: &Notification) -> Pulled {
    Pulled::Upsert { kind: RecordKind::Notification, id: n.id.to_string(), json: serde_json::to_string(n).unwrap() }
}

/// An outcome as a push's answer brings it.
fn outcome(o: &OpOutcome) -> Outcome {
    serde_json::from_str(&serde_json::to_string(o).unwrap()).unwrap()
}

/// An op as the outbox holds it.
fn queued(op: &Operation) -> Queued {
    Queued { seq: op.seq, op_id: op.op_id.to_string(), json: serde_json::to_string(op).unwrap() }
}

fn read_op() -> OpBody {
    OpBody::MarkNotificationRead { id: NotificationId::new() }
}

#[wasm_bindgen_test]
async fn outbox_keeps_order_and_numbers_never_repeat() {
    let db = fresh("test-outbox").await;
    let a = db.commit(read_op(), &[], None, at()).await.unwrap();
    let b = db.commit(read_op(), &[], None, at()).await.unwrap();
    assert_eq!(b.seq, a.seq + 1);
    let out = db.outbox().await.unwrap();
    assert_eq!(out, vec![queued(&a), queued(&b)]);
    db.wipe_user_data().await.unwrap();
    let c = db.commit(read_op(), &[], None, at()).await.unwrap();
    assert!(c.seq > b.seq, "a logout keeps the counter");
}

#[wasm_bindgen_test]
async fn settle_moves_refusals_to_the_inbox() {
    let db = fresh("test-settle").await;
    let a = db.commit(read_op(), &[], None, at()).await.unwrap();
    let b = db.commit(read_op(), &[], None, at()).await.unwrap();
    let refused = outcome(&OpOutcome::Rejected { code: ErrorCode::ValidationFailed, message: "no".into() });
    let applied = outcome(&OpOutcome::Applied { version: Some(2), merged: None });
    db.settle(&[(queued(&a), applied), (queued(&b), refused)], at()).await.unwrap();
    assert!(db.outbox().await.unwrap().is_empty());
    let inbox = db.inbox().await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!((inbox[0].op.op_id, inbox[0].op.body.kind.as_str()), (b.op_id, "mark_notification_read"));
    let o = &inbox[0].outcome;
    assert_eq!((o.status.as_str(), o.code, o.message.as_str()), ("rejected", Some(ErrorCode::ValidationFailed), "no"));
}

#[wasm_bindgen_test]
async fn a_reset_keeps_records_of_unsynced_ops_and_pruning_drops_settled_ones() {
    let db = fresh("test-reset").await;
    let mine = note("mine");
    db.apply_pull(false, &[pulled(&note("pulled"))], "c1").await.unwrap();
    let op = db.commit(read_op(), &[Record::Notification(mine.clone())], None, at()).await.unwrap();
    db.apply_pull(true, &[pulled(&note("fresh"))], "c2").await.unwrap();
    let names = |v: Vec<Local<Notification>>| {
        let mut n: Vec<String> = v.into_iter().map(|l| l.value.message).collect();
        n.sort();
        n
    };
    assert_eq!(names(db.records(RecordKind::Notification).await.unwrap()), vec!["fresh", "mine"]);
    assert_eq!(db.sync_state().await.unwrap().cursor.as_deref(), Some("c2"));
    // The server's copy of a record the worker changed again must not undo that change.
    let mut server_copy = mine.clone();
    server_copy.message = "server".into();
    db.apply_pull(false, &[pulled(&server_copy)], "c3").await.unwrap();
    assert_eq!(names(db.records(RecordKind::Notification).await.unwrap()), vec!["fresh", "mine"]);
    db.settle(&[(queued(&op), outcome(&OpOutcome::Applied { version: None, merged: None }))], at()).await.unwrap();
    db.prune_local().await.unwrap();
    assert_eq!(names(db.records(RecordKind::Notification).await.unwrap()), vec!["fresh"]);
}

#[wasm_bindgen_test]
async fn office_views_are_kept_by_path_and_wiped_at_logout() {
    let db = fresh("test-views").await;
    assert_eq!(db.view("/dashboard").await.unwrap(), None);
    db.put_view("/dashboard", "{\"a\":1}", at()).await.unwrap();
    db.put_view("/dashboard", "{\"a\":2}", at()).await.unwrap();
    db.put_view("/hazards?status=filed", "[]", at()).await.unwrap();
    assert_eq!(
        db.view("/dashboard").await.unwrap(),
        Some(("{\"a\":2}".to_owned(), at())),
        "the last answer, with its time"
    );
    db.wipe_user_data().await.unwrap();
    assert_eq!(db.view("/hazards?status=filed").await.unwrap(), None, "another user never reads them");
}
