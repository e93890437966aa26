//! A fresh PostgreSQL database per test, dropped afterwards.
//!
//! The server is `XUNJIAN_TEST_PG` (an admin URL) if set, else the local one on 127.0.0.1:5432 if it
//! answers. With `CI=true` PostgreSQL is mandatory: a missing server fails the test, never skips it.

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

/// A database created for one test.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

fn admin_url() -> Option<String> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("XUNJIAN_TEST_PG") {
            return Some(url);
        }
        let local: SocketAddr = "127.0.0.1:5432".parse().unwrap();
        if TcpStream::connect_timeout(&local, Duration::from_secs(1)).is_ok() {
            return Some("postgres://postgres@127.0.0.1:5432/postgres".into());
        }
        None
    })
    .clone()
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl PgDatabase {
    /// Creates an empty database, or `None` when PostgreSQL is unavailable and not required.
    pub fn create() -> Option<PgDatabase> {
        let Some(admin_url) = admin_url() else {
            assert!(!required(), "CI=true: PostgreSQL is required (set XUNJIAN_TEST_PG or run one on 127.0.0.1:5432)");
            eprintln!("SKIPPED on PostgreSQL: no server (set XUNJIAN_TEST_PG or run one on 127.0.0.1:5432)");
            return None;
        };
        let name = format!("xj_test_{}", uuid::Uuid::now_v7().simple());
        let template = template(&admin_url);
        let mut admin =
            PgConnection::establish(&admin_url).unwrap_or_else(|e| panic!("PostgreSQL at {admin_url}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
            .expect("create database");
        Some(PgDatabase { url: url_of(&admin_url, &name), admin_url, name })
    }
}

fn url_of(admin_url: &str, db: &str) -> String {
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin_url);
    format!("{base}/{db}")
}

/// The per-process template database with the demo county (made once; leftovers of finished test
/// processes are dropped).
fn template(admin_url: &str) -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let mut admin = PgConnection::establish(admin_url).expect("PostgreSQL admin connection");
        #[derive(diesel::QueryableByName)]
        struct Db {
            #[diesel(sql_type = diesel::sql_types::Text)]
            datname: String,
        }
        let old: Vec<Db> = diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'xj\\_tpl\\_%'")
            .load(&mut admin)
            .unwrap_or_default();
        for db in old {
            if db.datname.strip_prefix("xj_tpl_").is_some_and(crate::template::dead) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.datname))
                    .execute(&mut admin);
            }
        }
        let name = format!("xj_tpl_{}", std::process::id());
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .expect("drop old template");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create template");
        // The pool is dropped when `build` returns: no session may stay on a template being copied.
        crate::template::build(&url_of(admin_url, &name));
        name
    })
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}
