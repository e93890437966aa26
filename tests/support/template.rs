//! One database with the demo county per test process, copied for every test: a fresh database
//! per test without loading the demo data each time (a file copy for SQLite, `CREATE DATABASE …
//! TEMPLATE` for PostgreSQL).

use chrono::{DateTime, TimeZone, Utc};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use xunjian_server::db::Db;

/// The app clock's start in every test (the demo data is stamped with it).
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

/// Migrates, publishes the default checklists and loads the demo county into the database at `url`.
pub fn build(url: &str) {
    let db = Db::open(url).expect("template database opens");
    let now = start().timestamp_millis();
    db.write_blocking(|c| xunjian_server::services::templates::ensure_defaults(c, now)).expect("default checklists");
    xunjian_server::demo::load(&db, now).expect("demo data loads");
}

/// Whether a process that made a template is gone (its leftovers can be removed).
pub fn dead(pid: &str) -> bool {
    pid.parse::<u32>().is_ok_and(|p| p != std::process::id() && !Path::new(&format!("/proc/{p}")).exists())
}

fn sqlite_template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let tmp = std::env::temp_dir();
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.strip_prefix("xj-tpl-").is_some_and(dead) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let dir = tmp.join(format!("xj-tpl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("template.db");
        // Dropping the last connection checkpoints the WAL into the file: the file alone is whole.
        build(path.to_str().unwrap());
        path
    })
}

/// A fresh SQLite database with the demo data at `dest`.
pub fn sqlite_copy(dest: &Path) {
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(sqlite_template(), dest).expect("copy the template database");
}
