//! The hazard loop of notice 4号 (隐患处理制度) as a pure state machine. The server applies it to
//! the stored state; the phone applies it offline to show only the actions that are allowed.
//!
//! ```text
//! registered ─fix_on_spot→ fixed_on_spot ─close→ closed
//! registered ─order_rectification→ rectification_ordered ─file→ filed ─report_rectified→ rectified
//!   rectified ─recheck_pass→ closed            rectified ─recheck_fail→ filed (new deadline)
//! rectification_ordered | filed ─(deadline passes: mark_overdue, by the scheduler)→ supervised (限时督办)
//! (office) ─refer→ referred ─accept_referral→ referral_accepted ─record_outcome→ enforcement_concluded
//!   referred ─return_referral→ returned ─(office: close | order_rectification | refer)
//! any closing step of a major hazard → awaiting_brigade_review ─brigade_accept→ closed
//!                                                              ─brigade_send_back→ filed
//! ```

mod form;
mod machine;
mod types;
mod wire;

pub use form::{ActionInputs, Missing};

pub use machine::{
    actionable_statuses, allowed_actions, apply, from_statuses, notices_on_register, role_may, transition,
    DeadlinePolicy, Transition,
};
pub use types::*;
pub use wire::*;

#[cfg(test)]
mod tests;
