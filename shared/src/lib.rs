//! The Xunjian domain, shared by the server (which enforces it) and the web client (which applies
//! the same rules offline). Plain Rust and serde: no I/O, compiles for x86_64 and wasm32.

pub mod api;
pub mod auth;
pub mod error;
pub mod ids;
pub mod org;
pub mod role;
pub mod user;

pub use error::{ErrorCode, Problem};
pub use ids::{OrgUnitId, UserId};
pub use org::OrgLevel;
pub use role::Role;
