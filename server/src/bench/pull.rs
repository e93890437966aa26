//! Part 2, pull: a grid worker's first sync from cursor 0 with N visible changes, through
//! `GET /api/v1/sync/pull`, against one indexed SELECT of the feed plus one SELECT per record kind
//! and the serialisation of the same changes, in-process (the database's and serde's own cost).

use super::env::{Env, InProcess};
use super::fixture::{Fixture, Worker};
use super::payload;
use super::report::{Report, Target};
use super::{BenchError, Sizes};
use crate::db::changes::{self, Kind};
use crate::db::{Db, DbConn};
use crate::error::AppError;
use crate::services;
use chrono::{Duration, Utc};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};
use serde::Deserialize;
use std::io::Read;
use std::time::Instant;
use xunjian_shared::sync::{delivered, PullResponse};

/// The feed rows the worker's pull delivers (in scope, and of the kinds a grid worker's phone keeps),
/// among the first `limit` in scope.
fn visible_rows(conn: &mut DbConn, w: &Worker, limit: i64) -> Result<Vec<changes::ChangeRow>, AppError> {
    let to_me = format!("user:{}", w.user.id);
    let mut rows = changes::after(conn, 0, &w.user.scope_path, &w.user.id.to_string(), limit)?;
    rows.retain(|r| Kind::parse(&r.kind).is_some_and(|k| delivered(w.user.role, k, r.audience == to_me)));
    Ok(rows)
}

/// How many changes the worker's first sync delivers now.
fn visible(db: &Db, w: &Worker) -> Result<usize, AppError> {
    Ok(visible_rows(&mut *db.conn()?, w, i64::MAX)?.len())
}

/// Changes of the rest of the county in the feed per change the worker sees. In a county of ~1,000
/// grids one worker's records are a small share of the feed; their first sync must not pay for the
/// rest. (Feed rows only, in made-up grids next to the worker's: nobody's pull loads them.)
const OTHERS_PER_CHANGE: usize = 10;

/// Adds `count` changes of other grids to the feed, interleaved with the worker's.
fn add_others(db: &Db, w: &Worker, count: usize) -> Result<(), AppError> {
    let village = w.user.scope_path.trim_end_matches('/').rsplit_once('/').map_or("", |(v, _)| v);
    let now = Utc::now().timestamp_millis();
    db.write_blocking(|c| {
        for chunk in 0..count.div_ceil(1000) {
            let grid = changes::Audience::Scope(format!("{village}/{}/", uuid::Uuid::now_v7()));
            for _ in 0..1000.min(count - chunk * 1000) {
                changes::record(c, Kind::Inspection, &uuid::Uuid::now_v7().to_string(), &grid, false, now)?;
            }
        }
        Ok(())
    })
}

/// Adds inspections through the server's own submit function, 500 per transaction (and ten times as
/// many changes of other grids between them), until the worker sees exactly `target` changes. One
/// in ten fails an item (a hazard, so two changes) except in the last thousand, where each
/// inspection is exactly one change.
fn fill(env: &Env, fx: &Fixture, db: &Db, target: usize) -> Result<usize, BenchError> {
    let w = &fx.pull;
    let first = Utc::now() - Duration::minutes(target as i64 + 60);
    let mut n = 0;
    let cache = crate::db::templates::TemplateCache::default();
    loop {
        let have = visible(db, w)?;
        if have >= target {
            return Ok(have);
        }
        let deficit = target - have;
        let count = deficit.min(500);
        add_others(db, w, count * OTHERS_PER_CHANGE)?;
        db.write_blocking(|c| {
            for i in n..n + count {
                let p = &w.premises[i % w.premises.len()];
                let fail = deficit > 1000 && payload::fails(i);
                let req = payload::inspection(p, fx.template(p), i, fail, first + Duration::minutes(i as i64));
                services::inspections::submit_in(c, &w.user, req, Utc::now(), &env.settings.deadlines, &cache)?;
            }
            Ok(())
        })?;
        n += count;
    }
}

/// The parts of a page the client needs to go on (the changes are counted, not kept).
#[derive(Deserialize)]
struct PageHead {
    changes: Vec<serde::de::IgnoredAny>,
    cursor: String,
    has_more: bool,
}

#[derive(Debug, Default, serde::Serialize)]
struct PullRun {
    requests: usize,
    changes: usize,
    bytes: usize,
    secs: f64,
}

/// Pulls from cursor 0 until `has_more` is false.
async fn pull_all(
    http: &reqwest::Client,
    base: &str,
    w: &Worker,
    page: i64,
    gzip: bool,
) -> Result<PullRun, BenchError> {
    let mut run = PullRun::default();
    let mut cursor: Option<String> = None;
    let started = Instant::now();
    loop {
        let mut url = format!("{base}/api/v1/sync/pull?limit={page}");
        if let Some(c) = &cursor {
            url.push_str("&cursor=");
            url.push_str(c);
        }
        let mut req = http.get(url).bearer_auth(&w.token);
        if gzip {
            req = req.header(ACCEPT_ENCODING, "gzip");
        }
        let res = req.send().await?;
        if !res.status().is_success() {
            return Err(format!("pull answered {}", res.status()).into());
        }
        let encoding = res.headers().get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let body = res.bytes().await?;
        run.bytes += body.len();
        let head: PageHead = if gzip {
            if encoding != "gzip" {
                return Err(format!("asked for gzip, got content-encoding '{encoding}'").into());
            }
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut json)?;
            serde_json::from_slice(&json)?
        } else {
            serde_json::from_slice(&body)?
        };
        run.requests += 1;
        run.changes += head.changes.len();
        cursor = Some(head.cursor);
        if !head.has_more {
            break;
        }
    }
    run.secs = started.elapsed().as_secs_f64();
    Ok(run)
}

/// The floor: the feed rows in one indexed SELECT, their records in one SELECT per kind, and the
/// same changes serialised as one pull answer. Returns seconds and bytes.
fn raw(db: &Db, w: &Worker, n: usize) -> Result<(f64, usize), AppError> {
    let conn = &mut *db.conn()?;
    let started = Instant::now();
    let rows = visible_rows(conn, w, i64::MAX)?;
    let rows: Vec<&changes::ChangeRow> = rows.iter().take(n).collect();
    let changes = services::sync::page_changes(conn, &rows)?;
    let page = PullResponse { reset: false, changes, cursor: String::new(), has_more: false };
    let body = serde_json::to_vec(&page).map_err(AppError::internal)?;
    Ok((started.elapsed().as_secs_f64(), body.len()))
}

pub async fn run(env: &Env, fx: &Fixture, sizes: &Sizes, report: &mut Report) -> Result<(), BenchError> {
    let w = &fx.pull;
    let db = env.open_db()?;
    let started = Instant::now();
    let n = fill(env, fx, &db, sizes.pull_changes)?;
    let feed = changes::head(&mut *db.conn()?)?;
    eprintln!(
        "bench: pull: {n} visible changes among {feed} in the feed made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let server = InProcess::start(env)?;
    // No automatic decompression: the bytes counted are the bytes on the wire.
    let http = reqwest::Client::builder().no_gzip().build()?;
    let page = sizes.pull_page;
    let warm = pull_all(&http, &server.base, w, page, false).await?;
    if warm.changes != n {
        // Not fatal: the figures still stand, but the pull and the feed disagree — worth a look.
        let why = format!("WARNING: the pull delivered {} changes, the feed holds {n} for this worker", warm.changes);
        eprintln!("bench: {why}");
        report.note("pull", why);
    }
    let plain = pull_all(&http, &server.base, w, page, false).await?;
    let gzip = pull_all(&http, &server.base, w, page, true).await?;
    server.stop().await;
    raw(&db, w, n)?;
    let (raw_secs, raw_bytes) = raw(&db, w, n)?;

    report.add("pull", &format!("requests for {n} changes (limit={page})"), plain.requests as f64, "requests", {
        Target::AtMost((sizes.pull_changes as f64 / 1000.0).ceil())
    });
    report.add("pull", "pull time", plain.secs * 1000.0, "ms", Target::None);
    report.add("pull", "raw SELECT + serialise", raw_secs * 1000.0, "ms", Target::None);
    report.add("pull", "pull time / raw", plain.secs / raw_secs, "×", Target::AtMost(2.0));
    report.add("pull", "pull time with gzip / raw", gzip.secs / raw_secs, "×", Target::None);
    report.add("pull", "bytes uncompressed", plain.bytes as f64 / 1e6, "MB", Target::None);
    report.add("pull", "bytes gzip", gzip.bytes as f64 / 1e6, "MB", Target::None);
    report.add("pull", "gzip smaller by", plain.bytes as f64 / gzip.bytes as f64, "×", Target::AtLeast(4.0));
    report.note(
        "pull",
        format!(
            "a grid worker's first sync: {n} visible changes (inspections, the hazards one in ten of them \
             registered, 200 premises, templates, the grid) among {feed} in the county's feed, pulled from cursor 0 with limit={page} after one \
             warm-up pull; bytes are the response bodies as sent (Accept-Encoding: gzip or none). Raw: one \
             indexed SELECT of the feed, one SELECT per record kind and 1,000 ids, serde_json of the same \
             changes, in this process."
        ),
    );
    report.detail(
        "pull",
        serde_json::json!({
            "changes": n, "feed": feed, "page": page, "identity": plain, "gzip": gzip,
            "raw_secs": raw_secs, "raw_bytes": raw_bytes,
        }),
    );
    Ok(())
}
