//! Login, token refresh and logout: the request and response bodies and the account rules
//! (username and password policy) that the client can check before going online.

use crate::user::Me;
use serde::{Deserialize, Serialize};

/// Fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Most characters a password may have (bounds the work of hashing it).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Body of `POST /api/v1/auth/login`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Username (case-insensitive).
    pub username: String,
    /// Password.
    pub password: String,
    /// A label for the device, shown in the user's session list (e.g. "红米 9A").
    #[serde(default)]
    pub device_name: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("username", &self.username).finish_non_exhaustive()
    }
}

/// Body of `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// Answer of login and refresh (OAuth2-style).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT for the `Authorization: Bearer` header.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single-use token to get the next pair; keep it on the device only.
    pub refresh_token: String,
    /// Seconds the refresh token stays valid if unused.
    pub refresh_expires_in: i64,
    /// The logged-in user.
    pub user: Me,
    /// At login: when this account's session on a device of the same name (the same phone's
    /// browser, as far as the server can tell) that was never logged out was last used. A login on
    /// a phone whose app database is empty while this is set suggests the browser cleared the app's
    /// data; the app says so. None on refresh, and when there is no such session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_session_here: Option<chrono::DateTime<chrono::Utc>>,
}

/// Normalises a username: trimmed and lower-cased, so `Zhang.San` and `zhang.san` are one account.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

/// Checks a (normalised) username: 3–32 ASCII letters, digits, `_`, `.` or `-`.
pub fn validate_username(username: &str) -> Result<(), String> {
    let ok_len = (3..=32).contains(&username.len());
    let ok_chars = username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err("username must have 3 to 32 ASCII letters, digits, '_', '.' or '-'".into())
    }
}

/// Checks a new password against the policy: 8–128 characters, not only spaces, not the username.
pub fn validate_password(username: &str, password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("password must have at least {MIN_PASSWORD_CHARS} characters"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("password must have at most {MAX_PASSWORD_CHARS} characters"));
    }
    if password.trim().is_empty() {
        return Err("password must not be only spaces".into());
    }
    if normalize_username(password) == normalize_username(username) {
        return Err("password must not be the username".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(normalize_username("  Zhang.San "), "zhang.san");
        assert!(validate_username("zhang.san").is_ok());
        assert!(validate_username("13800001111").is_ok());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("张三").is_err());
        assert!(validate_username("a b c").is_err());
    }

    #[test]
    fn password_policy() {
        assert!(validate_password("u1", "correct horse").is_ok());
        assert!(validate_password("u1", "short").is_err());
        assert!(validate_password("u1", "        ").is_err());
        assert!(validate_password("zhangsan1", "ZhangSan1").is_err());
        assert!(validate_password("u1", &"x".repeat(129)).is_err());
        // Counted in characters, so an 8-character Chinese passphrase is accepted.
        assert!(validate_password("u1", "消防安全网格巡检").is_ok());
    }

    #[test]
    fn login_request_debug_never_shows_the_password() {
        let r = LoginRequest { username: "a".into(), password: "secret-pass".into(), device_name: None };
        assert!(!format!("{r:?}").contains("secret-pass"));
    }

    proptest! {
        #[test]
        fn short_passwords_always_fail(p in "\\PC{0,7}") {
            prop_assert!(validate_password("someone", &p).is_err());
        }
    }
}
