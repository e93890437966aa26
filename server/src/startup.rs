//! Building the application: database, keys, routes, middleware, listener.

use crate::auth::{password, JwtKeys, LoginThrottle};
use crate::clock::SharedClock;
use crate::db::Db;
use crate::routes::{self, auth::TrustProxy, extractors, health};
use crate::settings::Settings;
use crate::state::AppState;
use crate::{secret, tls, web_assets};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, Logger};
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;

/// A server bound to its port, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    db: Db,
}

impl Application {
    /// Opens the database (migrating it), binds the listener (port 0 picks a free one) and builds
    /// the server.
    pub fn build(settings: &Settings, clock: SharedClock) -> std::io::Result<Application> {
        let db = Db::open(&settings.effective_database_url())
            .map_err(|e| std::io::Error::other(format!("database: {e}")))?;
        let secret = secret::load_or_create(settings)?;
        let now = clock.now().timestamp_millis();
        let published = db
            .write_blocking(|conn| crate::services::templates::ensure_defaults(conn, now))
            .map_err(|e| std::io::Error::other(format!("default checklists: {e}")))?;
        if published > 0 {
            tracing::info!("published {published} default checklist templates");
        }
        let judged = db
            .write_blocking(|conn| crate::db::patrols::judge_unjudged(conn, settings.pay.min_coverage))
            .map_err(|e| std::io::Error::other(format!("judging earlier patrols: {e}")))?;
        if judged > 0 {
            tracing::info!("judged {judged} patrols received before the on-road rule by their coverage");
        }
        // The dummy hash for unknown users is computed before the first login, not during it.
        password::warm_up();
        let state = web::Data::new(AppState {
            db: db.clone(),
            jwt: JwtKeys::new(&secret, clock.clone(), settings.access_token_secs),
            throttle: LoginThrottle::new(
                settings.login_max_failures_per_user,
                settings.login_max_failures_per_ip,
                settings.login_window_secs,
            ),
            sessions: Default::default(),
            clock,
            refresh_idle_secs: settings.refresh_idle_days * 86_400,
            refresh_max_secs: settings.refresh_max_days * 86_400,
            deadlines: settings.deadlines.clone(),
            cadence: settings.cadence.clone(),
            attachments_dir: settings.data_dir.join("attachments"),
            attachment_max_bytes: settings.attachment_max_bytes,
            pay_rules: settings.pay.clone(),
            templates: Default::default(),
        });
        let tls = match (&settings.tls_cert, &settings.tls_key) {
            (Some(c), Some(k)) => Some(tls::server_config(c, k)?),
            (None, None) => None,
            _ => return Err(std::io::Error::other("set both XUNJIAN_TLS_CERT and XUNJIAN_TLS_KEY, or neither")),
        };
        if settings.scheduler_interval_secs > 0 {
            crate::scheduler::spawn(
                db.clone(),
                state.clock.clone(),
                state.deadlines.clone(),
                std::time::Duration::from_secs(settings.scheduler_interval_secs),
            );
        }
        let jwt = web::Data::new(state.jwt.clone());
        let security = web::Data::new(web_assets::SecurityHeaders::new(&settings.web_dir, tls.is_some()));
        let trust = web::Data::new(TrustProxy(settings.trust_proxy));
        let web_dir = settings.web_dir.clone();
        let json_limit = settings.max_json_bytes;
        let attachment_max_bytes = settings.attachment_max_bytes;
        let listener = TcpListener::bind(&settings.bind)?;
        let port = listener.local_addr()?.port();
        let factory = move || {
            App::new()
                .wrap(routes::problems::middleware())
                .wrap(from_fn(web_assets::headers))
                .wrap(Compress::default())
                .wrap(Logger::new("%a \"%r\" %s %b %Dms"))
                .app_data(state.clone())
                .app_data(jwt.clone())
                .app_data(security.clone())
                .app_data(trust.clone())
                .app_data(extractors::JsonLimit(json_limit))
                .app_data(extractors::query_config())
                .app_data(extractors::path_config())
                .route("/healthz", web::get().to(health::healthz))
                .configure(|c| routes::api(c, attachment_max_bytes))
                .service(web_assets::files(&web_dir))
        };
        let mut server = HttpServer::new(factory).shutdown_timeout(10);
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        let server = match tls {
            Some(cfg) => server.listen_rustls_0_23(listener, cfg)?,
            None => server.listen(listener)?,
        }
        .run();
        Ok(Application { port, server, db })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database handle (tests inspect it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The server future, for callers that keep its handle (tests stop it).
    pub fn into_server(self) -> Server {
        self.server
    }

    /// Serves until the process is stopped (SIGINT/SIGTERM: graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
