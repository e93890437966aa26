//! The Xunjian domain, shared by the server (which enforces it) and the web client (which applies
//! the same rules offline). Plain Rust and serde: no I/O, compiles for x86_64 and wasm32.

pub mod api;
pub mod auth;
pub mod cadence;
pub mod checklist;
pub mod dashboard;
pub mod error;
pub mod hazard;
pub mod ids;
pub mod inspection;
pub mod ledger;
pub mod notification;
pub mod org;
pub mod period;
pub mod premise;
pub mod road;
pub mod role;
#[cfg(feature = "diesel")]
pub mod sql;
pub mod stats;
pub mod sync;
pub mod text;
pub mod time;
pub mod today;
pub mod user;
mod wire_name;

pub use error::{ErrorCode, Problem};
pub use ids::{
    CheckId, HazardId, InspectionId, NotificationId, OrgUnitId, PatrolId, PhotoRef, PremiseId, RoadId, RoadIssueId,
    RoadsidePartyId, SegmentId, TemplateId, UserId, WorksId,
};
pub use org::OrgLevel;
pub use role::Role;
