//! The engine against an in-memory store and a scripted server: order, exactly-once settling,
//! refusals kept for the worker, lost answers, resets, photos first.

use super::*;
use crate::store::mem::MemStore;
use std::cell::RefCell;
use std::collections::HashMap;
use xunjian_shared::error::ErrorCode;
use xunjian_shared::ids::{NotificationId, OpId};
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::sync::{
    Change, OpBody, OpOutcome, OpResult, Operation, PullResponse, PushRequest, PushResponse, Record,
};
use xunjian_shared::OrgUnitId;

/// A server that applies each op id once, can lose its answer, and serves a scripted feed.
#[derive(Default)]
struct Server {
    applied: RefCell<HashMap<OpId, OpOutcome>>,
    pushes: RefCell<Vec<Vec<i64>>>,
    /// Fail the next push after applying it (the answer is lost on the way back).
    lose_next_answer: RefCell<bool>,
    offline: RefCell<bool>,
    /// Ops whose seq is here are refused.
    refuse: Vec<i64>,
    pages: RefCell<Vec<PullResponse>>,
    uploads: RefCell<Vec<String>>,
    log: RefCell<Vec<&'static str>>,
}

impl Remote for Server {
    async fn push(&self, body: &str) -> Result<Pushed, ApiError> {
        self.log.borrow_mut().push("push");
        if *self.offline.borrow() {
            return Err(ApiError::Network);
        }
        // Read as the server reads it (unknown fields denied).
        let req: PushRequest = serde_json::from_str(body).expect("a valid push request");
        self.pushes.borrow_mut().push(req.ops.iter().map(|o| o.seq).collect());
        let mut results = Vec::new();
        for op in &req.ops {
            let outcome = self
                .applied
                .borrow_mut()
                .entry(op.op_id)
                .or_insert_with(|| {
                    if self.refuse.contains(&op.seq) {
                        OpOutcome::Rejected { code: ErrorCode::ValidationFailed, message: "no".into() }
                    } else {
                        OpOutcome::Applied { version: Some(1), merged: None }
                    }
                })
                .clone();
            results.push(OpResult { op_id: op.op_id, seq: op.seq, outcome });
        }
        if std::mem::take(&mut *self.lose_next_answer.borrow_mut()) {
            return Err(ApiError::Network);
        }
        // Over the wire, as the phone reads it.
        Ok(serde_json::from_str(&serde_json::to_string(&PushResponse { results }).unwrap()).unwrap())
    }

    async fn pull(&self, _cursor: Option<&str>) -> Result<Page, ApiError> {
        self.log.borrow_mut().push("pull");
        let mut pages = self.pages.borrow_mut();
        let page = if pages.is_empty() {
            PullResponse { reset: false, changes: vec![], cursor: "v1.e.u.9".into(), has_more: false }
        } else {
            pages.remove(0)
        };
        // Over the wire, as the phone reads it.
        Ok(serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap())
    }

    async fn upload(&self, sha: &str, _bytes: &[u8]) -> Result<(), ApiError> {
        self.log.borrow_mut().push("upload");
        self.uploads.borrow_mut().push(sha.to_owned());
        Ok(())
    }
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn queue(store: &MemStore, n: i64) {
    for seq in 1..=n {
        let op = Operation {
            op_id: OpId::new(),
            seq,
            device_time: now(),
            body: OpBody::MarkNotificationRead { id: NotificationId::new() },
        };
        let queued = Queued { seq, op_id: op.op_id.to_string(), json: serde_json::to_string(&op).unwrap() };
        store.outbox.borrow_mut().insert(seq, queued);
    }
}

fn unit(name: &str) -> Change {
    let u = OrgUnit {
        id: OrgUnitId::new(),
        code: name.into(),
        name: name.into(),
        level: OrgLevel::Grid,
        parent_id: None,
        active: true,
    };
    Change::Upsert { seq: 1, record: Box::new(Record::OrgUnit(u)) }
}

/// A minimal executor: the engine's futures only wait on the fakes, which are always ready.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
    fn noop(_: *const ()) {}
    fn clone(p: *const ()) -> RawWaker {
        RawWaker::new(p, &VTABLE)
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    let waker = unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) };
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[test]
fn pushes_in_order_in_batches_and_empties_the_outbox() {
    let (store, server) = (MemStore::default(), Server::default());
    queue(&store, (BATCH + 3) as i64);
    let report = block_on(run(&store, &server, now())).unwrap();
    assert_eq!(report.applied, BATCH + 3);
    let pushes = server.pushes.borrow();
    assert_eq!(pushes.len(), 2);
    assert_eq!(pushes[0], (1..=BATCH as i64).collect::<Vec<_>>());
    assert!(store.outbox.borrow().is_empty());
    assert_eq!(store.state.borrow().as_ref().unwrap().cursor.as_deref(), Some("v1.e.u.9"));
}

#[test]
fn a_lost_answer_is_retried_and_applies_nothing_twice() {
    let (store, server) = (MemStore::default(), Server::default());
    queue(&store, 5);
    *server.lose_next_answer.borrow_mut() = true;
    assert_eq!(block_on(run(&store, &server, now())), Err(SyncError::Api(ApiError::Network)));
    assert_eq!(store.outbox.borrow().len(), 5, "nothing settled without an answer");
    block_on(run(&store, &server, now())).unwrap();
    assert!(store.outbox.borrow().is_empty());
    assert_eq!(server.applied.borrow().len(), 5, "each op applied once");
    assert_eq!(*server.pushes.borrow(), vec![vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4, 5]], "same ops, same order");
}

#[test]
fn refusals_go_to_the_inbox_and_do_not_block_the_rest() {
    let (store, server) = (MemStore::default(), Server { refuse: vec![2], ..Default::default() });
    queue(&store, 3);
    let report = block_on(run(&store, &server, now())).unwrap();
    assert_eq!((report.applied, report.refused), (2, 1));
    assert!(store.outbox.borrow().is_empty());
    let inbox = store.inbox_entries();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].op.seq, 2);
    assert_eq!(inbox[0].op.body.kind, "mark_notification_read");
}

#[test]
fn offline_keeps_everything_and_pulls_nothing() {
    let (store, server) = (MemStore::default(), Server::default());
    queue(&store, 2);
    *server.offline.borrow_mut() = true;
    assert!(block_on(run(&store, &server, now())).is_err());
    assert_eq!(store.outbox.borrow().len(), 2);
    assert!(!server.log.borrow().contains(&"pull"), "no pull over unsent work");
}

#[test]
fn pull_follows_has_more_through_a_reset_and_prunes_settled_local_records() {
    let (store, server) = (MemStore::default(), Server::default());
    queue(&store, 1);
    let op = store.outbox.borrow()[&1].op_id.clone();
    // Made on the phone by the queued op: replaced by the server's copy once that op is applied.
    store.records.borrow_mut().insert(("premises".into(), "mine".into()), ("{}".into(), Some(op)));
    server.pages.borrow_mut().extend([
        PullResponse { reset: true, changes: vec![unit("a")], cursor: "c1".into(), has_more: true },
        PullResponse { reset: false, changes: vec![unit("b")], cursor: "c2".into(), has_more: false },
    ]);
    let report = block_on(run(&store, &server, now())).unwrap();
    assert!(report.reset);
    assert_eq!(report.pulled, 2);
    assert_eq!(store.state.borrow().as_ref().unwrap().cursor.as_deref(), Some("c2"));
    let stores: Vec<String> = store.records.borrow().keys().map(|(s, _)| s.clone()).collect();
    assert_eq!(stores, vec!["org_units".to_string(), "org_units".to_string()]);
}

#[test]
fn photos_go_up_before_the_ops_that_reference_them() {
    let (store, server) = (MemStore::default(), Server::default());
    store.photos.borrow_mut().insert("ab".repeat(32), (vec![0xff, 0xd8], false, None));
    queue(&store, 1);
    block_on(run(&store, &server, now())).unwrap();
    assert_eq!(&server.log.borrow()[..2], &["upload", "push"]);
    assert!(block_on(store.pending_photos()).unwrap().is_empty());
    block_on(run(&store, &server, now())).unwrap();
    assert_eq!(server.uploads.borrow().len(), 1, "an uploaded photo is not sent again");
}
