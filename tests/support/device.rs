//! A simulated phone for the sync tests: an outbox of operations and a store of pulled records.

use crate::{expect_json, TestApp};
use reqwest::Method;
use std::collections::BTreeMap;
use xunjian_shared::api;
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::sync::{
    Change, OpBody, OpResult, Operation, PullResponse, PushRequest, PushResponse, Record, PROTOCOL_VERSION,
};

/// A device's local state.
pub struct Device {
    pub id: DeviceId,
    pub token: String,
    next_seq: i64,
    /// Operations not yet acknowledged by the server.
    pub outbox: Vec<Operation>,
    /// Results the server gave, by op.
    pub results: BTreeMap<String, OpResult>,
    /// Pulled records by (kind, id) as JSON.
    pub records: BTreeMap<(String, String), serde_json::Value>,
    pub cursor: Option<String>,
    /// Resets seen.
    pub resets: usize,
}

/// The key a record is stored under on the device.
pub fn key(r: &Record) -> (String, String) {
    let v = serde_json::to_value(r).unwrap();
    let kind = v["kind"].as_str().unwrap().to_owned();
    let id = v["data"]["id"].as_str().map(str::to_owned).unwrap_or_else(|| v["data"]["id"].to_string());
    (kind, id)
}

impl Device {
    /// A new device of a logged-in user.
    pub fn new(token: String) -> Device {
        Device {
            id: DeviceId::new(),
            token,
            next_seq: 1,
            outbox: vec![],
            results: BTreeMap::new(),
            records: BTreeMap::new(),
            cursor: None,
            resets: 0,
        }
    }

    /// Queues an operation (made offline); returns its id.
    pub fn queue(&mut self, body: OpBody, at: chrono::DateTime<chrono::Utc>) -> OpId {
        let op = Operation { op_id: OpId::new(), seq: self.next_seq, device_time: at, body };
        self.next_seq += 1;
        let id = op.op_id;
        self.outbox.push(op);
        id
    }

    /// The push request for the first `n` ops of the outbox.
    pub fn request(&self, n: usize) -> PushRequest {
        PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: self.id,
            ops: self.outbox.iter().take(n).cloned().collect(),
        }
    }

    /// Sends a push; the answer is returned but not applied to the device (a "lost" answer).
    pub async fn send(&self, app: &TestApp, n: usize) -> PushResponse {
        let res = app.send_json(Method::POST, api::SYNC_PUSH, Some(&self.token), &self.request(n)).await;
        expect_json(res, 200).await
    }

    /// Takes an answer: acknowledged ops leave the outbox.
    pub fn take(&mut self, res: PushResponse) {
        for r in res.results {
            self.outbox.retain(|o| o.op_id != r.op_id);
            self.results.insert(r.op_id.to_string(), r);
        }
    }

    /// Pushes the whole outbox (in batches of `batch`) and takes the answers.
    pub async fn push_all(&mut self, app: &TestApp, batch: usize) {
        while !self.outbox.is_empty() {
            let res = self.send(app, batch).await;
            self.take(res);
        }
    }

    /// Pulls one page and applies it.
    pub async fn pull_page(&mut self, app: &TestApp, limit: i64) -> PullResponse {
        let mut url = format!("{}?limit={limit}", api::SYNC_PULL);
        if let Some(c) = &self.cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: PullResponse = expect_json(app.get(&url, &self.token).await, 200).await;
        self.apply(&page);
        page
    }

    /// Applies a pulled page to the local store.
    pub fn apply(&mut self, page: &PullResponse) {
        if page.reset {
            self.records.clear();
            self.resets += 1;
        }
        for c in &page.changes {
            match c {
                Change::Upsert { record, .. } => {
                    self.records.insert(key(record), serde_json::to_value(record).unwrap());
                }
                Change::Remove { kind, id, .. } => {
                    let kind = serde_json::to_value(kind).unwrap().as_str().unwrap().to_owned();
                    self.records.remove(&(kind, id.clone()));
                }
            }
        }
        self.cursor = Some(page.cursor.clone());
    }

    /// Pulls until caught up; returns every change delivered, in order.
    pub async fn pull_all(&mut self, app: &TestApp, limit: i64) -> Vec<Change> {
        let mut all = Vec::new();
        loop {
            let page = self.pull_page(app, limit).await;
            all.extend(page.changes.iter().cloned());
            if !page.has_more {
                return all;
            }
        }
    }

    /// Stored records of a kind.
    pub fn of_kind(&self, kind: &str) -> Vec<&serde_json::Value> {
        self.records.iter().filter(|((k, _), _)| k == kind).map(|(_, v)| v).collect()
    }
}
