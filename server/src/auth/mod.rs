//! Authentication: password hashing, access tokens, refresh tokens, login throttling, and the
//! `AuthUser` extractor.

pub mod extractor;
pub mod jwt;
pub mod password;
pub mod refresh;
pub mod sessions;
pub mod throttle;

pub use extractor::AuthUser;
pub use jwt::JwtKeys;
pub use throttle::LoginThrottle;
