//! The figures of a run: a table on standard output, each figure beside its target, and JSON.

use super::env::Env;
use super::Sizes;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::Path;

/// What a figure should reach (from issue 8).
#[derive(Clone, Copy, Debug)]
pub enum Target {
    None,
    AtMost(f64),
    AtLeast(f64),
    Exactly(f64),
}

/// One row of the table.
#[derive(Debug, Serialize)]
pub struct Figure {
    pub part: String,
    pub name: String,
    /// The number, when there is one.
    pub value: Option<f64>,
    /// As printed.
    pub shown: String,
    pub unit: String,
    pub target: Option<String>,
    /// Met, missed, or no target.
    pub met: Option<bool>,
}

/// Everything one run measured.
pub struct Report {
    head: Value,
    figures: Vec<Figure>,
    notes: Vec<(String, String)>,
    details: serde_json::Map<String, Value>,
}

/// A number with as many decimals as it deserves.
pub fn fmt(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

impl Report {
    pub fn new(env: &Env, quick: bool, sizes: &Sizes) -> Report {
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        Report {
            head: json!({
                "tool": "xunjian bench",
                "version": env!("CARGO_PKG_VERSION"),
                "date": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "quick": quick,
                "backend": env.backend.name(),
                "database": env.describe(),
                "cores": cores,
                // Other work on the machine skews every figure: the 1-minute load when the run began.
                "load_at_start": std::fs::read_to_string("/proc/loadavg")
                    .ok()
                    .and_then(|l| l.split_whitespace().next().and_then(|v| v.parse::<f64>().ok())),
                "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
                "sizes": sizes,
            }),
            figures: Vec::new(),
            notes: Vec::new(),
            details: serde_json::Map::new(),
        }
    }

    /// A measured figure and its target.
    pub fn add(&mut self, part: &str, name: &str, value: f64, unit: &str, target: Target) {
        let (target, met) = match target {
            Target::None => (None, None),
            Target::AtMost(t) => (Some(format!("≤ {} {unit}", fmt(t))), Some(value <= t)),
            Target::AtLeast(t) => (Some(format!("≥ {} {unit}", fmt(t))), Some(value >= t)),
            Target::Exactly(t) => (Some(format!("= {}", fmt(t))), Some((value - t).abs() < 1e-9)),
        };
        self.figures.push(Figure {
            part: part.into(),
            name: name.into(),
            value: value.is_finite().then_some(value),
            shown: format!("{} {unit}", fmt(value)),
            unit: unit.into(),
            target,
            met,
        });
    }

    /// A row without a number (not measured, not built).
    pub fn text(&mut self, part: &str, name: &str, shown: &str, target: Option<&str>) {
        self.figures.push(Figure {
            part: part.into(),
            name: name.into(),
            value: None,
            shown: shown.into(),
            unit: String::new(),
            target: target.map(str::to_owned),
            met: None,
        });
    }

    /// A sentence printed under the table: how a part's figures were made.
    pub fn note(&mut self, part: &str, text: String) {
        self.notes.push((part.into(), text));
    }

    /// Raw numbers of a part for the JSON file.
    pub fn detail(&mut self, part: &str, value: Value) {
        self.details.insert(part.into(), value);
    }

    /// Part 5 of the issue runs in the PWA's browser harness (scripts/bench-browser), not here.
    pub fn measured_in_browser(&mut self) {
        let why = "in the browser: bash scripts/bench-browser";
        self.text("browser", "IndexedDB: 500-op outbox in one transaction", why, Some("≤ 50 ms"));
        self.text("browser", "IndexedDB: 500 ops in 500 transactions", why, None);
        self.text("browser", "app start with 20,000 premises and 50,000 hazards", why, Some("≤ 1.5 s"));
    }

    /// The table, then the notes.
    pub fn print(&self) {
        let head = ["part", "figure", "measured", "target", "verdict"];
        let rows: Vec<[String; 5]> = self
            .figures
            .iter()
            .map(|f| {
                let verdict = match f.met {
                    Some(true) => "met",
                    Some(false) => "missed",
                    None => "",
                };
                [f.part.clone(), f.name.clone(), f.shown.clone(), f.target.clone().unwrap_or_default(), verdict.into()]
            })
            .collect();
        let width =
            |i: usize| rows.iter().map(|r| r[i].chars().count()).chain([head[i].chars().count()]).max().unwrap_or(0);
        let widths: Vec<usize> = (0..5).map(width).collect();
        let line = |cells: &[String]| {
            let padded: Vec<String> =
                cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
            println!("{}", padded.join("  ").trim_end());
        };
        println!();
        println!(
            "xunjian bench — {} — {} core(s), load {} at start, {} build{}",
            self.head["database"].as_str().unwrap_or(""),
            self.head["cores"],
            self.head["load_at_start"],
            self.head["profile"].as_str().unwrap_or(""),
            if self.head["quick"] == json!(true) { ", --quick" } else { "" }
        );
        println!();
        line(&head.map(str::to_owned));
        line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
        for r in &rows {
            line(r);
        }
        println!();
        for (part, text) in &self.notes {
            println!("{part}: {text}");
        }
    }

    /// The whole report as JSON.
    pub fn write_json(&self, path: &Path) -> std::io::Result<()> {
        let mut doc = self.head.clone();
        doc["figures"] = json!(self.figures);
        doc["notes"] = json!(self.notes.iter().map(|(p, t)| json!({"part": p, "text": t})).collect::<Vec<_>>());
        doc["details"] = Value::Object(self.details.clone());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_vec_pretty(&doc)?)
    }
}
