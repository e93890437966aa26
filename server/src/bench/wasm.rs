//! The web app's size: raw, gzip and brotli bytes of the built `.wasm`, beside the published
//! js-framework-benchmark figure for a Yew 0.23 app and the target. Gzip is computed here (flate2,
//! level 9); brotli (quality 11) by the `brotli` command if installed, else by Node's zlib (Node is
//! on every machine that builds the web app), so no brotli crate is compiled into the server.

use super::report::{Report, Target};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// js-framework-benchmark, Yew 0.23: 56.8 kB brotli.
const REFERENCE_KB: f64 = 56.8;
/// Issue 8's target for the app.
const TARGET_KB: f64 = 115.0;

fn gzip_len(bytes: &[u8]) -> std::io::Result<usize> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

/// Brotli size at quality 11 and the tool that measured it.
fn brotli_len(path: &Path) -> Option<(usize, &'static str)> {
    let out = Command::new("brotli").args(["-c", "-q", "11", "--"]).arg(path).stderr(Stdio::null()).output();
    if let Some(o) = out.ok().filter(|o| o.status.success()) {
        return Some((o.stdout.len(), "brotli -q 11"));
    }
    let script = "const z=require('zlib');const b=require('fs').readFileSync(process.argv[1]);\
                  process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,\
                  [z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}}).length))";
    let o = Command::new("node").args(["-e", script]).arg(path).stderr(Stdio::null()).output().ok()?;
    let n = String::from_utf8_lossy(&o.stdout).trim().parse().ok()?;
    o.status.success().then_some((n, "node zlib, quality 11"))
}

/// The newest `.wasm` in the web folder: the phones' build (the office build is in `office/`).
fn find(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
}

pub fn run(web_dir: &Path, report: &mut Report) {
    let Some(path) = find(web_dir) else {
        report.text("wasm", "web app .wasm", "not built: run scripts/build-web", Some("≤ 115 kB brotli"));
        return;
    };
    let Ok(bytes) = std::fs::read(&path) else {
        report.text("wasm", "web app .wasm", "unreadable", None);
        return;
    };
    let kb = |n: usize| n as f64 / 1000.0;
    report.add("wasm", "raw", kb(bytes.len()), "kB", Target::None);
    if let Ok(gz) = gzip_len(&bytes) {
        report.add("wasm", "gzip -9", kb(gz), "kB", Target::None);
    }
    let brotli = brotli_len(&path);
    match brotli {
        Some((n, _)) => report.add("wasm", "brotli", kb(n), "kB", Target::AtMost(TARGET_KB)),
        None => report.text("wasm", "brotli", "not measured: install brotli or node", Some("≤ 115 kB")),
    }
    report.add("wasm", "reference: Yew 0.23 (js-framework-benchmark)", REFERENCE_KB, "kB", Target::None);
    let modified = path
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    report.note(
        "wasm",
        format!(
            "{} (built {modified}); brotli by {}. The build is scripts/build-web (web-release profile, wasm-opt -Oz).",
            path.display(),
            brotli.map_or("nothing", |b| b.1)
        ),
    );
}
