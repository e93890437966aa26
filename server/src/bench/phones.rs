//! Part 3, many phones: simulated devices, each its own grid worker with its own outbox, push small
//! batches (1–5 inspections) and pull what is new, without pause, against the real server running as
//! a child process (`xunjian serve`), whose own memory is read at the end.

use super::env::{ChildServer, Env};
use super::fixture::Fixture;
use super::payload::{self, Outbox};
use super::report::{Report, Target};
use super::{BenchError, Sizes};
use chrono::{Duration, Utc};
use rand::Rng;
use serde::Deserialize;
use std::time::Instant;
use xunjian_shared::checklist::Template;
use xunjian_shared::premise::Premise;
use xunjian_shared::sync::{OpBody, PushResponse};

#[derive(Deserialize)]
struct PageHead {
    cursor: String,
    has_more: bool,
}

/// What one device saw: latencies in milliseconds (push, pull) and failures.
#[derive(Default)]
struct Seen {
    push_ms: Vec<f64>,
    pull_ms: Vec<f64>,
    http_errors: usize,
    ops: usize,
    ops_not_applied: usize,
}

struct Phone {
    base: String,
    token: String,
    places: Vec<(Premise, Template)>,
    cursor: Option<String>,
    outbox: Outbox,
}

impl Phone {
    /// Pulls until caught up; each request's latency goes to `seen` (when given).
    async fn pull(&mut self, http: &reqwest::Client, mut seen: Option<&mut Seen>) -> Result<(), String> {
        loop {
            let mut url = format!("{}/api/v1/sync/pull?limit=1000", self.base);
            if let Some(c) = &self.cursor {
                url.push_str("&cursor=");
                url.push_str(c);
            }
            let started = Instant::now();
            let res = http.get(url).bearer_auth(&self.token).send().await;
            let page = match res {
                Ok(r) if r.status().is_success() => r.json::<PageHead>().await.ok(),
                _ => None,
            };
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if let Some(s) = seen.as_deref_mut() {
                s.pull_ms.push(ms);
            }
            let Some(page) = page else {
                if let Some(s) = seen.as_deref_mut() {
                    s.http_errors += 1;
                }
                return Err("a pull failed".into());
            };
            self.cursor = Some(page.cursor);
            if !page.has_more {
                return Ok(());
            }
        }
    }

    /// Pushes `k` new inspections of the phone's premises.
    async fn push(&mut self, http: &reqwest::Client, k: usize, n: &mut usize, seen: &mut Seen) {
        let bodies: Vec<OpBody> = (0..k)
            .map(|_| {
                *n += 1;
                let (p, t) = &self.places[*n % self.places.len()];
                let at = Utc::now() - Duration::minutes(1);
                OpBody::SubmitInspection(payload::inspection(p, t, *n, payload::fails(*n), at))
            })
            .collect();
        let ops = self.outbox.ops(bodies);
        let req = self.outbox.request(ops);
        let started = Instant::now();
        let res = http.post(format!("{}/api/v1/sync/push", self.base)).bearer_auth(&self.token).json(&req).send().await;
        let answer = match res {
            Ok(r) if r.status().is_success() => r.json::<PushResponse>().await.ok(),
            _ => None,
        };
        seen.push_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        seen.ops += k;
        match answer {
            Some(a) => seen.ops_not_applied += a.results.iter().filter(|r| !r.outcome.applied()).count(),
            None => seen.http_errors += 1,
        }
    }
}

/// The `q` quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

pub async fn run(env: &Env, fx: &Fixture, sizes: &Sizes, report: &mut Report) -> Result<(), BenchError> {
    // A phone accepts gzip (reqwest decompresses), as the PWA's fetch does.
    let http = reqwest::Client::builder().pool_max_idle_per_host(sizes.phones).build()?;
    let mut server = ChildServer::start(env, &http).await?;
    let mut phones = Vec::new();
    for w in fx.phones.iter().take(sizes.phones) {
        let places = w.premises.iter().map(|p| (p.clone(), fx.template(p).clone())).collect();
        let mut phone =
            Phone { base: server.base.clone(), token: w.token.clone(), places, cursor: None, outbox: Outbox::new() };
        // The first sync happens before the clock starts.
        phone.pull(&http, None).await?;
        phones.push(phone);
    }
    let window = std::time::Duration::from_secs(sizes.phone_secs);
    let started = Instant::now();
    let end = started + window;
    let mut tasks = Vec::new();
    for (i, mut phone) in phones.into_iter().enumerate() {
        let http = http.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let mut seen = Seen::default();
            let mut n = i * 1_000_000;
            let mut rng = rand::rng();
            while Instant::now() < end {
                let k = rng.random_range(1..=5);
                phone.push(&http, k, &mut n, &mut seen).await;
                let _ = phone.pull(&http, Some(&mut seen)).await;
            }
            seen
        }));
    }
    let mut all = Seen::default();
    for t in tasks {
        let s = t.await?;
        all.push_ms.extend(s.push_ms);
        all.pull_ms.extend(s.pull_ms);
        all.http_errors += s.http_errors;
        all.ops += s.ops;
        all.ops_not_applied += s.ops_not_applied;
    }
    let secs = started.elapsed().as_secs_f64();
    let memory = server.memory();
    server.stop();

    let mut lat: Vec<f64> = all.push_ms.iter().chain(&all.pull_ms).copied().collect();
    lat.sort_by(f64::total_cmp);
    let (p50, p95, p99) = (quantile(&lat, 0.5), quantile(&lat, 0.95), quantile(&lat, 0.99));
    let mut push_sorted = all.push_ms.clone();
    push_sorted.sort_by(f64::total_cmp);
    let mut pull_sorted = all.pull_ms.clone();
    pull_sorted.sort_by(f64::total_cmp);
    let devices = sizes.phones.min(fx.phones.len());
    let errors = all.http_errors + all.ops_not_applied;
    report.add(
        "phones",
        &format!("requests/s, {devices} devices"),
        lat.len() as f64 / secs,
        "req/s",
        Target::AtLeast(2000.0),
    );
    report.add("phones", "latency p50", p50, "ms", Target::None);
    report.add("phones", "latency p95", p95, "ms", Target::None);
    report.add("phones", "latency p99", p99, "ms", Target::None);
    report.add("phones", "p99 / p50", p99 / p50, "×", Target::AtMost(10.0));
    report.add("phones", "push latency p50", quantile(&push_sorted, 0.5), "ms", Target::None);
    report.add("phones", "pull latency p50", quantile(&pull_sorted, 0.5), "ms", Target::None);
    report.add("phones", "errors", errors as f64, "errors", Target::Exactly(0.0));
    match memory {
        Some(m) => {
            report.add("phones", "server RSS at the end", m.rss as f64 / 1048576.0, "MiB", Target::AtMost(64.0));
            report.add("phones", "server RSS peak", m.peak as f64 / 1048576.0, "MiB", Target::None);
            report.add("phones", "of which heap and stacks", m.anon as f64 / 1048576.0, "MiB", Target::None);
            report.add("phones", "server threads at the end", m.threads as f64, "threads", Target::None);
        }
        None => report.text("phones", "server RSS at the end", "not readable (/proc)", Some("≤ 64 MiB")),
    }
    report.note(
        "phones",
        format!(
            "{devices} devices (each its own grid worker, grid and outbox) for {secs:.1} s, each in a loop without \
             pause: push 1–5 inspections, then pull until caught up (after an untimed first sync). Latency per \
             HTTP request as the client sees it; {} requests, {} ops pushed. The server runs as a child process (`xunjian serve`, one worker per core, info logging to a \
             file) and its RSS is read from /proc/<pid>/status; the load generator runs in the bench process on \
             the same cores.",
            lat.len(),
            all.ops
        ),
    );
    report.detail(
        "phones",
        serde_json::json!({
            "devices": devices, "secs": secs, "requests": lat.len(), "pushes": all.push_ms.len(),
            "pulls": all.pull_ms.len(), "ops": all.ops, "http_errors": all.http_errors,
            "ops_not_applied": all.ops_not_applied, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
            "push_p50_ms": quantile(&push_sorted, 0.5), "pull_p50_ms": quantile(&pull_sorted, 0.5),
            "push_p99_ms": quantile(&push_sorted, 0.99), "pull_p99_ms": quantile(&pull_sorted, 0.99),
            "memory": memory,
        }),
    );
    Ok(())
}
