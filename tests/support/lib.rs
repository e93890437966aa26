//! Test support: the real server on port 0 against a fresh database per test — a SQLite file in a
//! temp folder, or a new PostgreSQL database — driven over real HTTP with the shared DTOs.

pub mod device;
pub mod fire;
mod pg;
pub mod template;

use chrono::Utc;
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use xunjian_server::{Application, ManualClock, Settings};
use xunjian_shared::auth::{LoginRequest, TokenResponse};
use xunjian_shared::Problem;

pub use pg::PgDatabase;
pub use xunjian_server::demo::DEMO_PASSWORD;
use xunjian_shared::api;

/// The signing secret of every test app, so tests can forge tokens on purpose.
pub const TEST_SECRET: &str = "test-secret-that-is-long-enough-0123456789";

/// The inline script of the test web app's index.html (its hash must appear in the CSP).
pub const INLINE_SCRIPT: &str = "window.booted = true;";

/// The inline script of the test office build's `office/index.html` (its hash too).
pub const OFFICE_INLINE_SCRIPT: &str = "window.office = true;";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running app and what a test needs to drive it.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub app_db: xunjian_server::db::Db,
    pub backend: Backend,
    /// The settings it runs with (a second app or database handle can share its database).
    pub settings: Settings,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl TestApp {
    /// Starts the app on `backend` with the demo county loaded. Returns `None` only for
    /// PostgreSQL when no server is available outside CI (CI makes PostgreSQL mandatory).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let web = dir.path().join("web");
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(
            web.join("index.html"),
            format!("<!doctype html><html><head><script type=\"module\">{INLINE_SCRIPT}</script></head><body>巡检</body></html>"),
        )
        .unwrap();
        std::fs::create_dir_all(web.join("office")).unwrap();
        std::fs::write(
            web.join("office").join("index.html"),
            format!("<!doctype html><html><head><script type=\"module\">{OFFICE_INLINE_SCRIPT}</script></head><body>办公端</body></html>"),
        )
        .unwrap();
        std::fs::write(web.join("xunjian-web-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let pg = match backend {
            Backend::Postgres => Some(PgDatabase::create()?),
            Backend::Sqlite => {
                template::sqlite_copy(&dir.path().join("data").join("xunjian.db"));
                None
            }
        };
        let settings = Settings {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().join("data"),
            database_url: pg.as_ref().map(|p| p.url.clone()),
            web_dir: web,
            jwt_secret: Some(TEST_SECRET.into()),
            workers: 1,
            // Tests run the deadline scheduler by hand, at a moved clock.
            scheduler_interval_secs: 0,
            // Not the shared defaults, so that a phone's copy of the rules can be told apart.
            deadlines: xunjian_shared::hazard::DeadlinePolicy { max_days: 365, ..Default::default() },
            ..Settings::default()
        };
        let clock = ManualClock::new(template::start());
        let app = Application::build(&settings, clock.clone()).expect("app builds");
        let port = app.port();
        let app_db = app.db().clone();
        let server = app.into_server();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Some(TestApp {
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            clock,
            app_db,
            backend,
            settings,
            handle,
            _dir: dir,
            _pg: pg,
        })
    }

    /// The app clock's time.
    pub fn now(&self) -> chrono::DateTime<Utc> {
        xunjian_server::Clock::now(&*self.clock)
    }

    /// Runs the deadline scheduler once at the app clock's time, on this app's database handle.
    pub fn run_scheduler(&self) -> xunjian_server::scheduler::Tick {
        xunjian_server::scheduler::run_once(&self.app_db, self.now(), &self.settings.deadlines).expect("scheduler runs")
    }

    /// Runs SQL on the app's database directly (test set-up such as fault-injecting triggers).
    pub fn exec(&self, sqlite: &str, postgres: &str) {
        use diesel::connection::SimpleConnection;
        let sql = match self.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        let mut conn = self.app_db.conn().expect("connection");
        let conn: &mut xunjian_server::db::DbConn = &mut conn;
        conn.batch_execute(sql).expect("test SQL runs");
    }

    /// Stops the server (the database is dropped with the app).
    pub async fn stop(self) {
        self.handle.stop(false).await;
    }

    /// A request with an optional bearer token.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token)).send().await.expect("request")
    }

    /// A JSON request with an optional token.
    pub async fn send_json(&self, method: Method, path: &str, token: Option<&str>, body: &impl Serialize) -> Response {
        self.request(method, path, token).json(body).send().await.expect("request")
    }

    /// POST JSON without a token.
    pub async fn post(&self, path: &str, body: &impl Serialize) -> Response {
        self.send_json(Method::POST, path, None, body).await
    }

    /// Logs in; panics unless it succeeds.
    pub async fn login(&self, username: &str) -> TokenResponse {
        let res = self.try_login(username, DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "login of {username}");
        res.json().await.unwrap()
    }

    /// A login attempt, from a device of its own: a second login of one account in a test is a
    /// second phone, not the first one signing in again (which would end the first one's session).
    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        static DEVICES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = DEVICES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body = LoginRequest {
            username: username.into(),
            password: password.into(),
            device_name: Some(format!("test phone {n}")),
        };
        self.post(api::LOGIN, &body).await
    }
}

/// Reads a JSON body of a successful answer, checking the status first.
pub async fn expect_json<T: DeserializeOwned>(res: Response, status: u16) -> T {
    let got = res.status().as_u16();
    let url = res.url().to_string();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"))
}

/// Reads a problem answer, checking status, media type and code.
pub async fn expect_problem(res: Response, status: u16, code: &str) -> Problem {
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    let p: Problem = expect_json(res, status).await;
    assert_eq!(ct.as_deref(), Some("application/problem+json"));
    assert_eq!(p.code.as_str(), code, "{p:?}");
    assert_eq!(p.status, status);
    assert!(!p.message.is_empty() && !p.message_en.is_empty());
    p
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn case($app: $crate::TestApp) $body
            #[actix_web::test]
            async fn sqlite() {
                let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await.expect("sqlite");
                case(app).await;
            }
            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                    case(app).await;
                }
            }
        }
    };
}
