//! Xunjian server: the actix-web application, its services and the diesel data layer, as a library
//! so that tests start the real app on port 0. The `xunjian` binary is a thin CLI over it.

pub mod auth;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod demo_roads;
pub mod error;
pub mod routes;
pub mod scheduler;
pub mod secret;
pub mod services;
pub mod settings;
pub mod startup;
pub mod state;
pub mod tls;
pub mod web_assets;

pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use error::AppError;
pub use settings::Settings;
pub use startup::Application;
