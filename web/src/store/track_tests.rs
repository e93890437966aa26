//! The patrol in progress in a real browser's IndexedDB: saved fixes survive the app being closed
//! and reopened (a second handle on the database, as after a reload), in order and only the
//! patrol's own; ending it clears the draft and the track with the operation in one transaction;
//! and the version-2 upgrade moves road records a version-1 build kept in `other`.

use super::idb::{obj, Db};
use super::SyncStore;
use crate::patrol_draft::{PatrolDraft, DRAFT_KEY};
use chrono::{DateTime, Duration, Utc};
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen_test::*;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::patrol::SubmitPatrol;
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::sync::{OpBody, RecordKind};
use xunjian_shared::{PatrolId, SegmentId};

wasm_bindgen_test_configure!(run_in_browser);

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap() + Duration::seconds(s)
}

fn fix(i: i64) -> TrackPoint {
    TrackPoint { lat: 35.05 + i as f64 * 0.0002, lon: 110.64, t: at(i * 10), acc: 6.0 }
}

fn draft() -> PatrolDraft {
    let line = vec![
        GeoPoint { lat: 35.05, lon: 110.64, accuracy_m: None },
        GeoPoint { lat: 35.06, lon: 110.64, accuracy_m: None },
    ];
    PatrolDraft::new(PatrolId::new(), vec![(SegmentId::new(), line)], at(0))
}

async fn fresh(name: &str) -> Db {
    let db = Db::open_named(name).await.unwrap();
    db.wipe_user_data().await.unwrap();
    db
}

#[wasm_bindgen_test]
async fn a_reopened_app_resumes_the_patrol_with_its_saved_points_in_order() {
    let db = fresh("test-track-resume").await;
    assert!(db.active_patrol().await.unwrap().is_none());
    let d = draft();
    db.begin_patrol(&d).await.unwrap();
    for i in 0..12 {
        db.add_fix(&d.id, i as u32, &fix(i)).await.unwrap();
    }
    // As after a reload: another handle on the same database.
    let reopened = Db::open_named("test-track-resume").await.unwrap();
    let (back, saved) = reopened.active_patrol().await.unwrap().expect("the patrol is still in progress");
    assert_eq!(back, d);
    assert_eq!(saved.points, (0..12).map(fix).collect::<Vec<_>>(), "every saved fix, in the order recorded");
    assert_eq!(saved.next_seq, 12);
}

#[wasm_bindgen_test]
async fn a_fix_that_failed_to_save_leaves_a_gap_and_no_number_is_reused() {
    let db = fresh("test-track-gap").await;
    let d = draft();
    db.begin_patrol(&d).await.unwrap();
    // Fix 1 was never saved (its write failed); 0 and 2 were.
    db.add_fix(&d.id, 0, &fix(0)).await.unwrap();
    db.add_fix(&d.id, 2, &fix(2)).await.unwrap();
    let (_, saved) = db.active_patrol().await.unwrap().unwrap();
    assert_eq!(saved.points, vec![fix(0), fix(2)]);
    assert_eq!(saved.next_seq, 3, "the next fix does not overwrite fix 2");
}

#[wasm_bindgen_test]
async fn a_new_patrol_drops_a_stray_track_and_reads_only_its_own() {
    let db = fresh("test-track-stray").await;
    let old = draft();
    db.begin_patrol(&old).await.unwrap();
    db.add_fix(&old.id, 0, &fix(0)).await.unwrap();
    let d = draft();
    db.add_fix(&d.id, 0, &fix(5)).await.unwrap();
    assert_eq!(db.track(&d.id).await.unwrap(), vec![fix(5)]);
    assert_eq!(db.track(&old.id).await.unwrap(), vec![fix(0)]);
    db.begin_patrol(&d).await.unwrap();
    assert!(db.track(&old.id).await.unwrap().is_empty() && db.track(&d.id).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn ending_queues_the_patrol_and_clears_its_draft_and_track_together() {
    let db = fresh("test-track-end").await;
    let d = draft();
    db.begin_patrol(&d).await.unwrap();
    for i in 0..3 {
        db.add_fix(&d.id, i as u32, &fix(i)).await.unwrap();
    }
    let track = db.track(&d.id).await.unwrap();
    let sub = SubmitPatrol {
        id: d.id,
        segment_ids: d.segment_ids(),
        started_at: d.started_at,
        ended_at: at(60),
        track,
        checks: Vec::new(),
        findings: Vec::new(),
        notes: String::new(),
    };
    let op =
        db.commit_clearing(OpBody::SubmitPatrol(sub.clone()), &[], Some(DRAFT_KEY), &["track"], at(60)).await.unwrap();
    assert!(db.active_patrol().await.unwrap().is_none());
    assert!(db.track(&d.id).await.unwrap().is_empty());
    let outbox = db.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].op_id, op.op_id.to_string());
    let sent: xunjian_shared::sync::Operation = serde_json::from_str(&outbox[0].json).unwrap();
    assert_eq!(sent.body, OpBody::SubmitPatrol(sub));
}

#[wasm_bindgen_test]
async fn the_upgrade_keeps_the_data_and_moves_road_records_out_of_other() {
    let name = "test-upgrade-v1";
    let _ = Rexie::delete(name).await;
    // A version-1 database, as the previous build made it.
    let mut v1 = Rexie::builder(name).version(1);
    for store in ["org_units", "premises", "templates", "inspections", "hazards", "notifications", "other"] {
        v1 = v1.add_object_store(ObjectStore::new(store).key_path("id"));
    }
    let v1 = v1
        .add_object_store(ObjectStore::new("outbox").key_path("seq"))
        .add_object_store(ObjectStore::new("inbox").key_path("id"))
        .add_object_store(ObjectStore::new("photos").key_path("sha"))
        .add_object_store(ObjectStore::new("drafts").key_path("id"))
        .add_object_store(ObjectStore::new("meta").key_path("k"))
        .build()
        .await
        .unwrap();
    let segment = SegmentId::new();
    let json = format!(
        r#"{{"id":"{segment}","road_id":"{}","township_id":"{}","from_km":0.0,"to_km":5.0,"polyline":[],"worker_id":null}}"#,
        xunjian_shared::RoadId::new(),
        xunjian_shared::OrgUnitId::new()
    );
    let tx = v1.transaction(&["other", "meta"], TransactionMode::ReadWrite).unwrap();
    let row =
        |id: String, json: &str| obj(&[("id", id.into()), ("json", json.into()), ("op", wasm_bindgen::JsValue::NULL)]);
    tx.store("other").unwrap().put(&row(format!("segment:{segment}"), &json), None).await.unwrap();
    tx.store("other").unwrap().put(&row("road_issue:x".into(), "{}"), None).await.unwrap();
    tx.store("meta").unwrap().put(&obj(&[("k", "owner".into()), ("json", "\"kept\"".into())]), None).await.unwrap();
    tx.done().await.unwrap();
    v1.close();

    let db = Db::open_named(name).await.unwrap();
    let segments: Vec<super::Local<xunjian_shared::road::register::Segment>> =
        db.records(RecordKind::Segment).await.unwrap();
    assert_eq!(segments.len(), 1);
    assert_eq!(segments[0].value.id, segment);
    assert_eq!(db.count("other").await.unwrap(), 1, "kinds this build has no store for stay in other");
    assert_eq!(db.meta::<String>("owner").await.unwrap().as_deref(), Some("kept"));
}
