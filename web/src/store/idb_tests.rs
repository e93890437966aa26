//! The IndexedDB store in a real browser (wasm-bindgen-test, headless Chromium through
//! chromedriver): the outbox keeps the worker's order, answers settle exactly once, a reset keeps
//! unsynced records, and pruning drops only settled local copies.

use super::idb::Db;
use super::{Local, SyncStore};
use chrono::{DateTime, Utc};
use wasm_bindgen_test::*;
use xunjian_shared::error::ErrorCode;
use xunjian_shared::ids::NotificationId;
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::sync::{Change, OpBody, OpOutcome, Record, RecordKind};
use xunjian_shared::OrgUnitId;

wasm_bindgen_test_configure!(run_in_browser);

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn unit(name: &str) -> OrgUnit {
    OrgUnit {
        id: OrgUnitId::new(),
        code: name.into(),
        name: name.into(),
        level: OrgLevel::Grid,
        parent_id: None,
        active: true,
    }
}

/// A database of its own per test: wasm-bindgen-test may interleave async tests.
async fn fresh(name: &str) -> Db {
    let db = Db::open_named(name).await.unwrap();
    db.wipe_user_data().await.unwrap();
    db
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
    assert_eq!(out.iter().map(|o| o.op_id).collect::<Vec<_>>(), vec![a.op_id, b.op_id]);
    db.wipe_user_data().await.unwrap();
    let c = db.commit(read_op(), &[], None, at()).await.unwrap();
    assert!(c.seq > b.seq, "a logout keeps the counter");
}

#[wasm_bindgen_test]
async fn settle_moves_refusals_to_the_inbox() {
    let db = fresh("test-settle").await;
    let a = db.commit(read_op(), &[], None, at()).await.unwrap();
    let b = db.commit(read_op(), &[], None, at()).await.unwrap();
    let refused = OpOutcome::Rejected { code: ErrorCode::ValidationFailed, message: "no".into() };
    let applied = OpOutcome::Applied { version: Some(2), merged: None };
    db.settle(&[(a.clone(), applied), (b.clone(), refused)], at()).await.unwrap();
    assert!(db.outbox().await.unwrap().is_empty());
    let inbox = db.inbox().await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].op.op_id, b.op_id);
}

#[wasm_bindgen_test]
async fn a_reset_keeps_records_of_unsynced_ops_and_pruning_drops_settled_ones() {
    let db = fresh("test-reset").await;
    let pulled = unit("pulled");
    let mine = unit("mine");
    db.apply_pull(false, &[Change::Upsert { seq: 1, record: Box::new(Record::OrgUnit(pulled.clone())) }], "c1")
        .await
        .unwrap();
    let op = db.commit(read_op(), &[Record::OrgUnit(mine.clone())], None, at()).await.unwrap();
    let fresh_unit = unit("fresh");
    db.apply_pull(true, &[Change::Upsert { seq: 2, record: Box::new(Record::OrgUnit(fresh_unit.clone())) }], "c2")
        .await
        .unwrap();
    let names = |v: Vec<Local<OrgUnit>>| {
        let mut n: Vec<String> = v.into_iter().map(|l| l.value.name).collect();
        n.sort();
        n
    };
    assert_eq!(names(db.records(RecordKind::OrgUnit).await.unwrap()), vec!["fresh", "mine"]);
    assert_eq!(db.sync_state().await.unwrap().cursor.as_deref(), Some("c2"));
    // The server's copy of a record the worker changed again must not undo that change.
    let mut server_copy = mine.clone();
    server_copy.name = "server".into();
    db.apply_pull(false, &[Change::Upsert { seq: 3, record: Box::new(Record::OrgUnit(server_copy)) }], "c3")
        .await
        .unwrap();
    assert_eq!(names(db.records(RecordKind::OrgUnit).await.unwrap()), vec!["fresh", "mine"]);
    db.settle(&[(op, OpOutcome::Applied { version: None, merged: None })], at()).await.unwrap();
    db.prune_local().await.unwrap();
    assert_eq!(names(db.records(RecordKind::OrgUnit).await.unwrap()), vec!["fresh"]);
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
