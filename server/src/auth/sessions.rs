//! Whether the session behind an access token is still open. An access token names its session
//! (the refresh-token family, `sid`); each request checks that the session has not been ended and
//! the account not disabled, so a lost phone or a dismissed worker is cut off at once, not when
//! the 15-minute token runs out.
//!
//! The answer is kept for [`RECHECK_SECS`] per session, so a phone's burst of requests costs one
//! read. Everything this process ends (logout, disabling, a new password, ending a device's
//! sessions) drops what is kept at once, after its transaction commits; what another process ends
//! (the `xunjian user disable` command, another instance) is seen within [`RECHECK_SECS`]
//! (docs/security.md).

use crate::db::{refresh_tokens, users, Db};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use xunjian_shared::{ErrorCode, UserId};

/// Seconds a session found open is taken as open without reading it again.
pub const RECHECK_SECS: i64 = 2;
/// Sessions kept before the old ones are dropped (bounds memory).
const KEEP_AT_MOST: usize = 100_000;

/// The open sessions seen lately, by session id.
#[derive(Default)]
pub struct OpenSessions {
    seen: Mutex<HashMap<String, DateTime<Utc>>>,
}

impl OpenSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, DateTime<Utc>>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the session was found open since `now - RECHECK_SECS`.
    fn fresh(&self, sid: &str, now: DateTime<Utc>) -> bool {
        self.lock().get(sid).is_some_and(|at| now - *at < Duration::seconds(RECHECK_SECS) && *at <= now)
    }

    fn note(&self, sid: &str, now: DateTime<Utc>) {
        let mut seen = self.lock();
        if seen.len() >= KEEP_AT_MOST {
            seen.retain(|_, at| now - *at < Duration::seconds(RECHECK_SECS));
        }
        seen.insert(sid.to_owned(), now);
    }

    /// Forgets every session seen: call after a transaction that ended sessions has committed.
    pub fn forget_all(&self) {
        self.lock().clear();
    }

    /// `Ok` when the user's session `sid` is open and the account enabled: otherwise 401
    /// `invalid_token` (the session ended) or 403 `account_disabled`.
    pub async fn check(&self, db: &Db, user: UserId, sid: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.fresh(sid, now) {
            return Ok(());
        }
        let owned = sid.to_owned();
        let (active, open) = db
            .read(move |conn| {
                let active = users::find(conn, user)?.is_some_and(|u| u.active);
                Ok((active, refresh_tokens::session_open(conn, &user.to_string(), &owned)?))
            })
            .await?;
        if !active {
            return Err(AppError::new(ErrorCode::AccountDisabled));
        }
        if !open {
            return Err(AppError::new(ErrorCode::InvalidToken));
        }
        self.note(sid, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_seen_open_is_kept_for_the_recheck_time_only() {
        let s = OpenSessions::default();
        let t = Utc::now();
        assert!(!s.fresh("a", t));
        s.note("a", t);
        assert!(s.fresh("a", t + Duration::milliseconds(1999)));
        assert!(!s.fresh("a", t + Duration::seconds(RECHECK_SECS)));
        assert!(!s.fresh("b", t));
        // A clock moved back does not stretch it.
        assert!(!s.fresh("a", t - Duration::seconds(1)));
        s.forget_all();
        assert!(!s.fresh("a", t));
    }
}
