//! One function per domain operation: one transaction, authorisation by role and org scope.
//! Routes call these; these call the query functions in `db`.

pub mod auth;
pub mod org;
pub mod users;
