//! Part 1, push vs the limit: inspections pushed through `POST /api/v1/sync/push` in batches,
//! against a raw diesel multi-row insert of the same inspection rows, one transaction per batch, on
//! the same database and settings (the database's own limit).

use super::env::{Env, InProcess};
use super::fixture::Fixture;
use super::payload::{self, Outbox};
use super::report::{Report, Target};
use super::{BenchError, Sizes};
use crate::db::inspections::InspectionRow;
use crate::db::schema::{hazards, inspections};
use crate::error::AppError;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use std::time::Instant;
use xunjian_shared::inspection::SubmitInspection;
use xunjian_shared::sync::{OpBody, PushResponse};
use xunjian_shared::{InspectionId, UserId};

/// The row `submit` would store for an inspection (the raw baseline inserts exactly these).
fn row_of(req: &SubmitInspection, inspector: UserId, now: i64) -> Result<InspectionRow, AppError> {
    Ok(InspectionRow {
        id: req.id.to_string(),
        premise_id: req.premise_id.to_string(),
        template_id: req.template_id.to_string(),
        inspector_id: inspector.to_string(),
        started_at: req.started_at.timestamp_millis(),
        finished_at: req.finished_at.timestamp_millis(),
        received_at: now,
        lat: req.location.map(|l| l.lat),
        lon: req.location.map(|l| l.lon),
        accuracy_m: req.location.and_then(|l| l.accuracy_m),
        body: serde_json::to_string(req).map_err(AppError::internal)?,
        corrects_id: None,
        hazard_count: 0,
    })
}

pub async fn run(env: &Env, fx: &Fixture, sizes: &Sizes, report: &mut Report) -> Result<(), BenchError> {
    let w = &fx.push;
    let n = sizes.inspections;
    let batch = sizes.push_batch;
    let batches = n.div_ceil(batch);
    let first = Utc::now() - Duration::minutes(n as i64 + 60);
    let reqs: Vec<SubmitInspection> = (0..n)
        .map(|i| {
            let p = &w.premises[i % w.premises.len()];
            payload::inspection(p, fx.template(p), i, payload::fails(i), first + Duration::minutes(i as i64))
        })
        .collect();
    let failing = (0..n).filter(|i| payload::fails(*i)).count();
    eprintln!("bench: push: {n} inspections ({failing} failing an item) in {batches} batches of {batch}");

    // The real endpoint: request bodies serialised beforehand, so only the server's work is timed
    // (and the loopback transfer).
    let mut outbox = Outbox::new();
    let bodies: Vec<Vec<u8>> = reqs
        .chunks(batch)
        .map(|c| {
            let ops = outbox.ops(c.iter().cloned().map(OpBody::SubmitInspection));
            serde_json::to_vec(&outbox.request(ops))
        })
        .collect::<Result<_, _>>()?;
    let body_bytes: usize = bodies.iter().map(Vec::len).sum();
    let db = env.open_db()?;
    let hazards_before: i64 = hazards::table.count().get_result(&mut *db.conn()?)?;
    let server = InProcess::start(env)?;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/sync/push", server.base);
    let (commits_before, pg_before) = (crate::db::commits(), env.pg_commits());
    let mut not_applied = 0;
    let started = Instant::now();
    for body in bodies {
        let res = http
            .post(&url)
            .bearer_auth(&w.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await?;
        if !res.status().is_success() {
            let status = res.status();
            return Err(format!("push answered {status}: {}", res.text().await.unwrap_or_default()).into());
        }
        let answer: PushResponse = res.json().await?;
        not_applied += answer.results.iter().filter(|r| !r.outcome.applied()).count();
    }
    let push_secs = started.elapsed().as_secs_f64();
    let commits = crate::db::commits() - commits_before;
    // The server's connections close when it stops: PostgreSQL counts their transactions then.
    server.stop().await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(700)).await;
    let pg_commits = pg_before.zip(env.pg_commits()).map(|(a, b)| b - a);
    let hazards_made = hazards::table.count().get_result::<i64>(&mut *db.conn()?)? - hazards_before;
    if not_applied > 0 {
        return Err(format!("{not_applied} pushed inspections were not applied").into());
    }

    // The raw baseline, after the push (so both write into a table of the same size): the same rows
    // with ids of their own, one multi-row insert and one transaction per batch, through the
    // server's own write path (BEGIN IMMEDIATE, same pragmas). The rows stay: no other part reads
    // this grid, and deleting them costs more than inserting (the self-referencing `corrects_id`).
    let now = Utc::now().timestamp_millis();
    let raw: Vec<InspectionRow> = reqs
        .iter()
        .map(|r| row_of(&SubmitInspection { id: InspectionId::new(), ..r.clone() }, w.user.id, now))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    for chunk in raw.chunks(batch) {
        db.write_blocking(|c| Ok::<_, AppError>(crate::insert_many!(c, inspections::table, chunk)?))?;
    }
    let raw_secs = started.elapsed().as_secs_f64();

    let (push_rate, raw_rate) = (n as f64 / push_secs, n as f64 / raw_secs);
    let ratio = push_secs / raw_secs;
    let per_batch = commits as f64 / batches as f64;
    report.add("push", "push via HTTP", push_rate, "inspections/s", Target::None);
    report.add("push", "raw diesel batched insert", raw_rate, "rows/s", Target::None);
    report.add("push", "push time / raw insert time", ratio, "×", Target::AtMost(3.0));
    report.add("push", "commits per batch", per_batch, "commits", Target::Exactly(1.0));
    if let Some(pg) = pg_commits {
        report.add(
            "push",
            "PostgreSQL xact_commit per batch",
            pg as f64 / batches as f64,
            "transactions",
            Target::None,
        );
    }
    report.add("push", "hazards registered", hazards_made as f64, "hazards", Target::None);
    report.note(
        "push",
        format!(
            "{n} inspections of the 12-item street-shop checklist (12 answers, GPS, an overview photo reference; \
             about 1 in {} fails one hazard item with a note and, where required, a second photo, registering a hazard \
             unless one is open for that item) in {batches} batches of {batch}; {:.1} KiB of JSON per op. \
             Raw: the same inspection rows only (no change feed, op records or hazards), one multi-row INSERT \
             and one transaction per batch. Commits counted at Db::write_blocking (every write transaction \
             of the server){}.",
            payload::FAIL_EVERY,
            body_bytes as f64 / n as f64 / 1024.0,
            if pg_commits.is_some() {
                "; PostgreSQL's xact_commit counts every transaction in that window, read-only ones \
                 too (the pool's connection checks, the server's start-up)"
            } else {
                ""
            }
        ),
    );
    report.detail(
        "push",
        serde_json::json!({
            "inspections": n, "batch": batch, "batches": batches, "failing": failing,
            "push_secs": push_secs, "raw_secs": raw_secs, "write_commits": commits,
            "pg_xact_commit": pg_commits, "hazards_registered": hazards_made,
            "request_bytes": body_bytes,
        }),
    );
    Ok(())
}
