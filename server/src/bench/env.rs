//! Where the bench runs: a temporary folder, a fresh database (SQLite in that folder, or a new
//! PostgreSQL database on the server `DATABASE_URL` names, dropped afterwards) and the real server,
//! in this process or as a child process.

use super::BenchError;
use crate::auth::JwtKeys;
use crate::clock::SystemClock;
use crate::db::{Backend, Db};
use crate::settings::Settings;
use crate::Application;
use diesel::{Connection, PgConnection, RunQueryDsl};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// A folder removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let dir = std::env::temp_dir().join(format!("xj-bench-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // XUNJIAN_BENCH_KEEP=1 keeps the folder (the SQLite database, the server's log) and the
        // PostgreSQL database to look into.
        if std::env::var_os("XUNJIAN_BENCH_KEEP").is_some() {
            eprintln!("bench: kept {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A database made for this run on a PostgreSQL server, dropped when the run ends.
struct PgBenchDb {
    admin_url: String,
    name: String,
}

impl Drop for PgBenchDb {
    fn drop(&mut self) {
        if std::env::var_os("XUNJIAN_BENCH_KEEP").is_some() {
            eprintln!("bench: kept database {}", self.name);
            return;
        }
        match PgConnection::establish(&self.admin_url) {
            Ok(mut admin) => {
                let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
                if let Err(e) = diesel::sql_query(sql).execute(&mut admin) {
                    eprintln!("bench: could not drop database {}: {e}", self.name);
                }
            }
            Err(e) => eprintln!("bench: could not drop database {}: {e}", self.name),
        }
    }
}

/// `url` with its database name replaced by `db` (query parameters kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (url, None),
    };
    let scheme_end = main.find("://").map_or(0, |i| i + 3);
    let base = match main[scheme_end..].find('/') {
        Some(i) => &main[..scheme_end + i],
        None => main,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// The run's folder, database and settings.
pub struct Env {
    pub settings: Settings,
    pub backend: Backend,
    /// The signing secret the servers use, so the bench can issue tokens without argon2 logins.
    pub secret: String,
    pg: Option<PgBenchDb>,
    // Last: removed after the database is dropped.
    pub dir: TempDir,
}

impl Env {
    /// A fresh folder and database. A PostgreSQL `database_url` in `base` is used as the admin URL of
    /// the server to create the bench database on; anything else means SQLite in the temp folder.
    pub fn create(base: &Settings) -> Result<Env, BenchError> {
        let dir = TempDir::new()?;
        // A web folder for the server to serve (the bench requests none of it).
        std::fs::create_dir_all(dir.path().join("web"))?;
        std::fs::write(dir.path().join("web").join("index.html"), "<!doctype html><title>巡检</title>")?;
        let admin = base.database_url.clone().filter(|u| Backend::of_url(u) == Backend::Postgres);
        let pg = match admin {
            Some(admin_url) => {
                let name = format!("xj_bench_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin_url)
                    .map_err(|e| format!("PostgreSQL (DATABASE_URL): cannot connect: {e}"))?;
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn)?;
                Some(PgBenchDb { admin_url, name })
            }
            None => None,
        };
        let secret = hex::encode(rand::random::<[u8; 32]>());
        let settings = Settings {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().join("data"),
            database_url: pg.as_ref().map(|p| with_database(&p.admin_url, &p.name)),
            web_dir: dir.path().join("web"),
            jwt_secret: Some(secret.clone()),
            // The in-process server: one worker per core, as `xunjian serve` runs; no scheduler
            // ticks in the middle of a measurement.
            workers: 0,
            scheduler_interval_secs: 0,
            attachment_max_bytes: base.attachment_max_bytes,
            deadlines: base.deadlines.clone(),
            ..Settings::default()
        };
        let backend = Backend::of_url(&settings.effective_database_url());
        Ok(Env { settings, backend, secret, pg, dir })
    }

    /// The database and where it is, without credentials.
    pub fn describe(&self) -> String {
        match &self.pg {
            Some(p) => {
                let host = p.admin_url.rsplit_once('@').map_or(p.admin_url.as_str(), |(_, h)| h);
                let host = host.split('/').next().unwrap_or(host);
                format!("PostgreSQL database {} on {host}", p.name)
            }
            None => "SQLite (WAL, synchronous=FULL) in a temporary folder".into(),
        }
    }

    /// A handle on the bench database (for set-up and the raw baselines).
    pub fn open_db(&self) -> Result<Db, BenchError> {
        Ok(Db::open(&self.settings.effective_database_url())?)
    }

    /// Signs access tokens the servers accept (valid for an hour: longer than any run).
    pub fn keys(&self) -> JwtKeys {
        JwtKeys::new(self.secret.as_bytes(), Arc::new(SystemClock), 3600)
    }

    /// Transactions committed in the bench database so far, by PostgreSQL's own statistics (read
    /// on a new connection so no snapshot is reused); `None` on SQLite.
    pub fn pg_commits(&self) -> Option<i64> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let url = self.settings.database_url.as_ref()?;
        let mut conn = PgConnection::establish(url).ok()?;
        let rows: Vec<Row> =
            diesel::sql_query("SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()")
                .load(&mut conn)
                .ok()?;
        rows.first().map(|r| r.n)
    }
}

/// The real server running in this process on a free loopback port.
pub struct InProcess {
    pub base: String,
    handle: actix_web::dev::ServerHandle,
}

impl InProcess {
    /// Builds the application (`Application::build`, as `xunjian serve` does) and runs it.
    pub fn start(env: &Env) -> Result<InProcess, BenchError> {
        let app = Application::build(&env.settings, Arc::new(SystemClock))?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let server = app.into_server();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Ok(InProcess { base, handle })
    }

    /// Stops it and waits until its workers (and their database connections) are gone.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// A process's memory and threads.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Memory {
    pub rss: u64,
    pub peak: u64,
    /// The anonymous part of `rss` (heap and stacks; the rest is the binary and mapped files).
    pub anon: u64,
    pub threads: u64,
}

/// The real server as a child process (`xunjian serve` from this very binary), so that its own
/// memory can be read from /proc.
pub struct ChildServer {
    pub base: String,
    child: Child,
}

impl ChildServer {
    pub async fn start(env: &Env, http: &reqwest::Client) -> Result<ChildServer, BenchError> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = std::fs::File::create(env.dir.path().join("server.log"))?;
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg("serve")
            .env_remove("XUNJIAN_CONFIG")
            .env("XUNJIAN_BIND", format!("127.0.0.1:{port}"))
            .env("XUNJIAN_DATA_DIR", &env.settings.data_dir)
            .env("XUNJIAN_WEB_DIR", &env.settings.web_dir)
            .env("XUNJIAN_JWT_SECRET", &env.secret)
            .env("XUNJIAN_WORKERS", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        match &env.settings.database_url {
            Some(url) => cmd.env("DATABASE_URL", url),
            None => cmd.env_remove("DATABASE_URL"),
        };
        let child = cmd.spawn()?;
        let mut server = ChildServer { base: format!("http://127.0.0.1:{port}"), child };
        for _ in 0..400 {
            if http.get(format!("{}/healthz", server.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(format!("the server exited ({status}); see {}/server.log", env.dir.path().display()).into());
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        server.stop();
        Err("the server did not answer /healthz within 20 s".into())
    }

    /// The server's resident memory now and at its peak, in bytes, and its threads (from
    /// /proc/<pid>/status).
    pub fn memory(&self) -> Option<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        };
        Some(Memory {
            rss: field("VmRSS:")? * 1024,
            peak: field("VmHWM:")? * 1024,
            anon: field("RssAnon:").unwrap_or(0) * 1024,
            threads: field("Threads:")?,
        })
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            with_database("postgres://u:p@h/postgres?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgresql://h", "x"), "postgresql://h/x");
    }
}
