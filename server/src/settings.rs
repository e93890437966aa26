//! Configuration, layered: built-in defaults ← TOML file (`--config`) ← `XUNJIAN_*` environment ←
//! command-line flags. Secrets are never printed (see the `Debug` impl).

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Everything the server needs to start.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on (`XUNJIAN_BIND`).
    pub bind: String,
    /// Folder for the SQLite file and the generated signing secret (`XUNJIAN_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; unset means `<data_dir>/xunjian.db` (`DATABASE_URL`).
    pub database_url: Option<String>,
    /// The built web app (trunk's dist folder) (`XUNJIAN_WEB_DIR`).
    pub web_dir: PathBuf,
    /// PEM certificate chain for HTTPS (`XUNJIAN_TLS_CERT`); with `tls_key`, serve HTTPS.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS (`XUNJIAN_TLS_KEY`).
    pub tls_key: Option<PathBuf>,
    /// Token signing secret (`XUNJIAN_JWT_SECRET`, at least 32 bytes); unset means a random one
    /// generated once and kept in `<data_dir>/jwt-secret`.
    pub jwt_secret: Option<String>,
    /// Access token lifetime in seconds.
    pub access_token_secs: i64,
    /// A refresh token unused this many days expires (the offline window of a field phone).
    pub refresh_idle_days: i64,
    /// A login's refresh chain ends after this many days however often it is used.
    pub refresh_max_days: i64,
    /// Failed logins for one username before it is throttled.
    pub login_max_failures_per_user: u32,
    /// Failed logins from one client address before it is throttled.
    pub login_max_failures_per_ip: u32,
    /// The window, and the lockout, in seconds.
    pub login_window_secs: i64,
    /// Trust `X-Forwarded-For` for the client address (only behind your own reverse proxy).
    pub trust_proxy: bool,
    /// Largest JSON body accepted, in bytes.
    pub max_json_bytes: usize,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// Seconds between runs of the deadline scheduler (overdue, reminders); 0 disables it
    /// (tests run it by hand with a moved clock).
    pub scheduler_interval_secs: u64,
    /// Rectification deadlines and supervision (`[deadlines]` in the file).
    pub deadlines: xunjian_shared::hazard::DeadlinePolicy,
    /// Inspection cadence per premise type (`[cadence]` in the file).
    pub cadence: xunjian_shared::cadence::Cadence,
    /// Largest photo accepted, in bytes (`XUNJIAN_ATTACHMENT_MAX_BYTES`).
    pub attachment_max_bytes: usize,
    /// Patrol workers' pay rules (`[pay]` in the file), with what a patrol must meet to count as a
    /// day on the road (`min_minutes`, `min_distance_m`, `max_speed_kmh`, `min_coverage`: docs/roads.md).
    pub pay: xunjian_shared::road::pay::PayRules,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            web_dir: PathBuf::from("dist"),
            tls_cert: None,
            tls_key: None,
            jwt_secret: None,
            access_token_secs: 15 * 60,
            refresh_idle_days: 30,
            refresh_max_days: 180,
            login_max_failures_per_user: 5,
            login_max_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            trust_proxy: false,
            max_json_bytes: 256 * 1024,
            workers: 0,
            scheduler_interval_secs: 60,
            deadlines: Default::default(),
            cadence: Default::default(),
            attachment_max_bytes: 5 * 1024 * 1024,
            pay: Default::default(),
        }
    }
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct SettingsError(pub String);

impl Settings {
    /// Defaults, then the file (if any), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut s = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| SettingsError(format!("cannot read {}: {e}", path.display())))?;
                toml::from_str(&text).map_err(|e| SettingsError(format!("{}: {e}", path.display())))?
            }
            None => Settings::default(),
        };
        s.apply_env(|k| std::env::var(k).ok())?;
        s.pay.validate().map_err(SettingsError)?;
        Ok(s)
    }

    /// Overrides from environment variables, read through `var` so tests need not touch the
    /// process environment.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        fn parse<T: std::str::FromStr>(key: &str, v: String) -> Result<T, SettingsError> {
            v.parse().map_err(|_| SettingsError(format!("{key} has an invalid value")))
        }
        if let Some(v) = var("XUNJIAN_BIND") {
            self.bind = v;
        }
        if let Some(v) = var("XUNJIAN_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = var("DATABASE_URL").filter(|v| !v.is_empty()) {
            self.database_url = Some(v);
        }
        if let Some(v) = var("XUNJIAN_WEB_DIR") {
            self.web_dir = v.into();
        }
        if let Some(v) = var("XUNJIAN_TLS_CERT") {
            self.tls_cert = Some(v.into());
        }
        if let Some(v) = var("XUNJIAN_TLS_KEY") {
            self.tls_key = Some(v.into());
        }
        if let Some(v) = var("XUNJIAN_JWT_SECRET") {
            self.jwt_secret = Some(v);
        }
        if let Some(v) = var("XUNJIAN_TRUST_PROXY") {
            self.trust_proxy = parse("XUNJIAN_TRUST_PROXY", v)?;
        }
        if let Some(v) = var("XUNJIAN_ATTACHMENT_MAX_BYTES") {
            self.attachment_max_bytes = parse("XUNJIAN_ATTACHMENT_MAX_BYTES", v)?;
        }
        if let Some(v) = var("XUNJIAN_WORKERS") {
            self.workers = parse("XUNJIAN_WORKERS", v)?;
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or the SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| self.data_dir.join("xunjian.db").to_string_lossy().into_owned())
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let db = self.effective_database_url();
        // A PostgreSQL URL may carry a password: show only the scheme and host part.
        let db_shown = match db.split_once('@') {
            Some((_, host)) => format!("postgres://***@{host}"),
            None => db,
        };
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database", &db_shown)
            .field("web_dir", &self.web_dir)
            .field("tls", &self.tls_cert.is_some())
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_and_defaults() {
        let mut s: Settings = toml::from_str("bind = \"0.0.0.0:9000\"\nrefresh_idle_days = 10").unwrap();
        assert_eq!(s.refresh_idle_days, 10);
        assert_eq!(s.access_token_secs, 900, "missing keys keep defaults");
        s.apply_env(|k| match k {
            "XUNJIAN_BIND" => Some("127.0.0.1:1".into()),
            "XUNJIAN_DATA_DIR" => Some("/srv/xj".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.bind, "127.0.0.1:1");
        assert_eq!(s.effective_database_url(), "/srv/xj/xunjian.db");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(toml::from_str::<Settings>("bnd = \"x\"").is_err());
        let mut s = Settings::default();
        assert!(s.apply_env(|k| (k == "XUNJIAN_WORKERS").then(|| "many".into())).is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let s = Settings {
            jwt_secret: Some("top-secret-value".into()),
            database_url: Some("postgres://u:pw123@db:5432/x".into()),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("top-secret-value") && !shown.contains("pw123"), "{shown}");
    }
}
