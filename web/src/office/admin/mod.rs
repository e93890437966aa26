//! Administration inside one's scope: the units of the county tree, the accounts and roles, and
//! the checklist templates (a new version on every publish, never an edit of a published one).

mod template_editor;
mod template_preview;
pub mod templates;
pub mod units;
mod user_edit;
pub mod users;
