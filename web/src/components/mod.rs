//! Pieces shared by several screens.

pub mod more;
pub mod nav;
pub mod offline;
pub mod photos;
pub mod saved;
pub mod sync_bar;
pub mod update;
