//! Login throttling: after too many failures in a window, one username or one client address is
//! refused with 429 until the window ends. In memory: a restart forgets it, which is acceptable for
//! one county server (documented in docs/security.md).

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Keeps failure counts per username and per client address.
pub struct LoginThrottle {
    max_per_user: u32,
    max_per_ip: u32,
    window: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Clone, Copy)]
struct Entry {
    failures: u32,
    since: DateTime<Utc>,
}

/// Entries kept before expired ones are swept, bounding memory under a spray of usernames.
const SWEEP_AT: usize = 50_000;

impl LoginThrottle {
    /// A throttle allowing `max_per_user` / `max_per_ip` failures per `window_secs`.
    pub fn new(max_per_user: u32, max_per_ip: u32, window_secs: i64) -> Self {
        LoginThrottle {
            max_per_user,
            max_per_ip,
            window: Duration::seconds(window_secs),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn keys(username: &str, ip: &str) -> [(String, bool); 2] {
        [(format!("u:{username}"), true), (format!("ip:{ip}"), false)]
    }

    /// `Err(seconds)` to wait when either the username or the address is over its limit.
    pub fn check(&self, username: &str, ip: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0i64;
        for (key, is_user) in Self::keys(username, ip) {
            let max = if is_user { self.max_per_user } else { self.max_per_ip };
            if let Some(e) = entries.get(&key) {
                let ends = e.since + self.window;
                if e.failures >= max && now < ends {
                    wait = wait.max((ends - now).num_seconds().max(1));
                }
            }
        }
        if wait > 0 {
            Err(wait as u64)
        } else {
            Ok(())
        }
    }

    /// Counts a failed attempt against both the username and the address.
    pub fn record_failure(&self, username: &str, ip: &str, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= SWEEP_AT {
            let window = self.window;
            entries.retain(|_, e| now < e.since + window);
        }
        for (key, _) in Self::keys(username, ip) {
            let e = entries.entry(key).or_insert(Entry { failures: 0, since: now });
            if now >= e.since + self.window {
                *e = Entry { failures: 0, since: now };
            }
            e.failures += 1;
        }
    }

    /// A successful login clears the username's count (not the address's: one office NAT).
    pub fn record_success(&self, username: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_a_username_after_max_failures_until_the_window_ends() {
        let t = LoginThrottle::new(3, 100, 600);
        let now = Utc::now();
        for _ in 0..3 {
            assert!(t.check("zhang", "1.1.1.1", now).is_ok());
            t.record_failure("zhang", "1.1.1.1", now);
        }
        let wait = t.check("zhang", "2.2.2.2", now).unwrap_err();
        assert_eq!(wait, 600);
        assert!(t.check("li", "1.1.1.1", now).is_ok(), "other users from the same address pass");
        assert!(t.check("zhang", "1.1.1.1", now + Duration::seconds(600)).is_ok());
    }

    #[test]
    fn locks_an_address_spraying_usernames() {
        let t = LoginThrottle::new(100, 4, 600);
        let now = Utc::now();
        for i in 0..4 {
            t.record_failure(&format!("user{i}"), "9.9.9.9", now);
        }
        assert!(t.check("fresh", "9.9.9.9", now).is_err());
        assert!(t.check("fresh", "8.8.8.8", now).is_ok());
    }

    #[test]
    fn success_clears_the_username() {
        let t = LoginThrottle::new(2, 100, 600);
        let now = Utc::now();
        t.record_failure("wang", "1.1.1.1", now);
        t.record_success("wang");
        t.record_failure("wang", "1.1.1.1", now);
        assert!(t.check("wang", "1.1.1.1", now).is_ok());
    }
}
