//! The `xunjian` command line: serve (the default), migrate, demo, org, user, backup, bench.

use crate::clock::{Clock, SystemClock};
use crate::db::{org_units, refresh_tokens, users, Db};
use crate::settings::{Settings, SettingsError};
use crate::{demo, services, AppError, Application};
use clap::{Args, Parser, Subcommand};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use xunjian_shared::user::CreateUser;
use xunjian_shared::Role;

/// 巡检 Xunjian: offline field inspection for village fire-safety grids and rural road patrol.
#[derive(Parser, Debug)]
#[command(name = "xunjian", version)]
pub struct Cli {
    /// TOML settings file (environment variables and flags override it).
    #[arg(long, global = true, env = "XUNJIAN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data folder (SQLite file, generated secret) [env: XUNJIAN_DATA_DIR].
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// postgres://… to use PostgreSQL [env: DATABASE_URL].
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Load Linyi County's demo tree and one account per role, and print the accounts.
    Demo,
    /// Org units.
    #[command(subcommand)]
    Org(OrgCommand),
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the SQLite database to PATH (safe while the server runs).
    Backup { path: PathBuf },
    /// After restoring a backup: give the database a new sync epoch, so every phone resyncs fully
    /// instead of trusting a cursor from the lost future.
    ResetSync,
    /// Measure sync, many phones, photos and the web app's size on a fresh temporary database
    /// (PostgreSQL when DATABASE_URL is set: a new database on that server) (docs/benchmarks.md).
    Bench(crate::bench::BenchArgs),
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Listen address [env: XUNJIAN_BIND, default 127.0.0.1:8080].
    #[arg(long)]
    pub bind: Option<String>,
    /// The built web app [env: XUNJIAN_WEB_DIR, default ./dist].
    #[arg(long)]
    pub web_dir: Option<PathBuf>,
    /// PEM certificate chain: serve HTTPS [env: XUNJIAN_TLS_CERT].
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key [env: XUNJIAN_TLS_KEY].
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// One unit a line: code, level, name, parent code (tab-separated).
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input (one line), never from a flag.
    Add {
        #[arg(long)]
        username: String,
        /// grid_worker, patrol_worker, township_office, road_station, enforcement, fire_brigade, county_admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Code of the unit the account is bound to.
        #[arg(long)]
        org: String,
        /// Real name (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Disable an account and end all its sessions (e.g. a lost phone).
    Disable {
        #[arg(long)]
        username: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role '{s}'"))
}

/// Settings from file and environment, then this command line's flags.
pub fn settings(cli: &Cli) -> Result<Settings, SettingsError> {
    let mut s = Settings::load(cli.config.as_deref())?;
    if let Some(d) = &cli.data_dir {
        s.data_dir = d.clone();
    }
    if let Some(u) = &cli.database_url {
        s.database_url = Some(u.clone());
    }
    if let Some(Command::Serve(a)) = &cli.command {
        if let Some(b) = &a.bind {
            s.bind = b.clone();
        }
        if let Some(w) = &a.web_dir {
            s.web_dir = w.clone();
        }
        if a.tls_cert.is_some() {
            s.tls_cert = a.tls_cert.clone();
            s.tls_key = a.tls_key.clone();
        }
    }
    Ok(s)
}

/// Runs the command; the error is printed by `main`.
pub async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let settings = settings(&cli)?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(_) => {
            let app = Application::build(&settings, Arc::new(SystemClock))?;
            let scheme = if settings.tls_cert.is_some() { "https" } else { "http" };
            tracing::info!(?settings, "Xunjian serving on {scheme}://{}", settings.bind);
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = open(&settings)?;
            println!("migrations applied ({})", db.backend().name());
        }
        Command::Demo => {
            let db = open(&settings)?;
            let n = demo::load(&db, now_ms())?;
            println!(
                "demo: {} org units, {} accounts and {} premises created (existing ones kept)",
                n.units, n.accounts, n.premises
            );
            println!("username\trole\tunit\tpassword");
            for a in &demo::ACCOUNTS {
                println!("{}\t{}\t{}\t{}", a.username, a.role.as_str(), a.org_code, demo::DEMO_PASSWORD);
            }
        }
        Command::Org(OrgCommand::List) => {
            let db = open(&settings)?;
            let rows = org_units::all(&mut *db.conn()?)?;
            let code_of: std::collections::HashMap<&str, &str> =
                rows.iter().map(|r| (r.id.as_str(), r.code.as_str())).collect();
            for r in &rows {
                let parent = r.parent_id.as_deref().and_then(|p| code_of.get(p)).unwrap_or(&"");
                println!("{}\t{}\t{}\t{}", r.code, r.level, r.name, parent);
            }
        }
        Command::User(UserCommand::Add { username, role, org, name, phone }) => {
            let db = open(&settings)?;
            let password = read_password()?;
            let unit = org_units::find_by_code(&mut *db.conn()?, &org)?
                .ok_or_else(|| AppError::validation("org", format!("no unit with code {org}")))?;
            let req = CreateUser {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role,
                org_unit_id: unit.id.parse().map_err(AppError::internal)?,
                phone,
                password,
            };
            let hash = services::users::prepare(None, &req).await?;
            let user = db.write_blocking(|conn| services::users::create_blocking(conn, None, &req, hash, now_ms()))?;
            println!("created {} ({}) in {} {}", user.username, user.role.as_str(), unit.code, unit.name);
        }
        Command::User(UserCommand::Disable { username }) => {
            let db = open(&settings)?;
            let name = xunjian_shared::auth::normalize_username(&username);
            let revoked = db.write_blocking(|conn| {
                let mut row = users::find_by_username(conn, &name)?
                    .ok_or_else(|| AppError::validation("username", "no such user"))?;
                row.active = false;
                row.updated_at = now_ms();
                users::update(conn, &row)?;
                refresh_tokens::revoke_user(conn, &row.id, now_ms())
            })?;
            println!("disabled {name}; {revoked} refresh tokens revoked");
        }
        Command::ResetSync => {
            let db = open(&settings)?;
            let epoch = db.write_blocking(crate::db::changes::new_epoch)?;
            println!("sync epoch is now {epoch}: phones will resync fully on their next pull");
        }
        Command::Bench(args) => crate::bench::run(&settings, args).await?,
        Command::Backup { path } => {
            let db = open(&settings)?;
            db.backup_sqlite(&path)?;
            println!("backup written to {}", path.display());
        }
    }
    Ok(())
}

fn open(settings: &Settings) -> Result<Db, AppError> {
    Db::open(&settings.effective_database_url())
}

fn now_ms() -> i64 {
    SystemClock.now().timestamp_millis()
}

/// One line from standard input, without its line ending.
fn read_password() -> Result<String, AppError> {
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(AppError::internal)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
