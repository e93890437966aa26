//! `xunjian bench`: how fast sync runs against the database's own limit, how the server holds under
//! many phones, and how small the web app is (docs/benchmarks.md). It runs against a fresh
//! temporary database (SQLite, or a new PostgreSQL database when `DATABASE_URL` names a server),
//! drives the real server over loopback HTTP, prints a table and writes JSON. Nothing here asserts
//! a time: the figures are printed beside their targets.

mod env;
mod fixture;
mod payload;
mod phones;
mod photos;
mod pull;
mod push;
mod report;
mod wasm;

use crate::settings::Settings;
use clap::Args;
use report::Report;
use std::path::PathBuf;

/// Options of `xunjian bench`.
#[derive(Args, Debug, Default, Clone)]
pub struct BenchArgs {
    /// Small counts for a smoke run (CI): 500 inspections, 1,000 pull changes, 3 s of phones, 20 photos.
    #[arg(long)]
    pub quick: bool,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Run only these parts (comma-separated): push, pull, phones, photos, wasm.
    #[arg(long, value_delimiter = ',', value_parser = parse_part)]
    pub only: Vec<Part>,
}

/// A part of the bench.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Push,
    Pull,
    Phones,
    Photos,
    Wasm,
}

fn parse_part(s: &str) -> Result<Part, String> {
    Ok(match s.trim() {
        "push" => Part::Push,
        "pull" => Part::Pull,
        "phones" => Part::Phones,
        "photos" => Part::Photos,
        "wasm" => Part::Wasm,
        other => return Err(format!("unknown part '{other}' (push, pull, phones, photos, wasm)")),
    })
}

/// How much work each part does.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Sizes {
    pub inspections: usize,
    pub push_batch: usize,
    pub pull_changes: usize,
    pub pull_page: i64,
    pub phones: usize,
    pub phone_secs: u64,
    pub photos: usize,
    pub photo_devices: usize,
    pub photo_bytes: usize,
}

impl Sizes {
    fn new(quick: bool) -> Sizes {
        Sizes {
            inspections: if quick { 500 } else { 10_000 },
            push_batch: 500,
            pull_changes: if quick { 1_000 } else { 10_000 },
            pull_page: xunjian_shared::sync::MAX_PULL_PAGE,
            phones: 50,
            phone_secs: if quick { 3 } else { 30 },
            photos: if quick { 20 } else { 200 },
            photo_devices: 10,
            photo_bytes: 200 * 1024,
        }
    }
}

/// The error type of the bench: any failure ends it with a message.
pub type BenchError = Box<dyn std::error::Error>;

/// Runs the selected parts and prints (and writes) the report.
pub async fn run(settings: &Settings, args: BenchArgs) -> Result<(), BenchError> {
    let want = |p: Part| args.only.is_empty() || args.only.contains(&p);
    let sizes = Sizes::new(args.quick);
    let env = env::Env::create(settings)?;
    let mut report = Report::new(&env, args.quick, &sizes);
    eprintln!("bench: {} in {}", env.describe(), env.dir.path().display());
    let needs_db = [Part::Push, Part::Pull, Part::Phones, Part::Photos].into_iter().any(want);
    if needs_db {
        let started = std::time::Instant::now();
        let fx = fixture::Fixture::load(&env, &sizes)?;
        eprintln!("bench: fixture loaded in {:.1} s", started.elapsed().as_secs_f64());
        if want(Part::Push) {
            push::run(&env, &fx, &sizes, &mut report).await?;
        }
        if want(Part::Pull) {
            pull::run(&env, &fx, &sizes, &mut report).await?;
        }
        if want(Part::Photos) {
            photos::run(&env, &fx, &sizes, &mut report).await?;
        }
        // Last: the server runs as a child process, so its own memory can be read.
        if want(Part::Phones) {
            phones::run(&env, &fx, &sizes, &mut report).await?;
        }
    }
    if want(Part::Wasm) {
        wasm::run(&settings.web_dir, &mut report);
    }
    report.measured_in_browser();
    report.print();
    if let Some(path) = &args.json {
        report.write_json(path)?;
        eprintln!("bench: figures written to {}", path.display());
    }
    Ok(())
}
