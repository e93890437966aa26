//! One module per screen.

pub mod hazard;
pub mod hazards;
pub mod inspect;
mod inspect_item;
pub mod login;
pub mod notifications;
pub mod premise;
pub mod premise_new;
pub mod premises;
pub mod settings;
mod settings_data;
pub mod today;
