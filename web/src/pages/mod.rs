//! One module per screen.

pub mod hazard;
pub mod hazards;
pub mod inspect;
mod inspect_item;
pub mod login;
pub mod notifications;
pub mod patrol;
mod patrol_check;
pub mod patrol_detail;
mod patrol_finding;
pub mod patrol_live;
pub mod patrols;
pub mod premise;
pub mod premise_new;
pub mod premises;
pub mod settings;
pub mod settings_data;
pub mod today;
mod today_patrol;
