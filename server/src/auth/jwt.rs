//! Access tokens: HS256 JWTs, algorithm pinned, issuer and audience checked, expiry checked
//! against the app's clock (so tests can move time).

use crate::clock::SharedClock;
use crate::error::AppError;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use xunjian_shared::ErrorCode;

/// Issuer of every token.
pub const ISSUER: &str = "xunjian";
/// Audience of access tokens.
pub const AUDIENCE: &str = "xunjian-api";
/// The `typ` claim of access tokens, so no other token we might sign later passes as one.
const ACCESS: &str = "access";

/// The claims of an access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    /// The user's org unit id.
    pub org: String,
    /// The materialised path of that unit (scope without a database read).
    pub scope: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
    /// The session (refresh-token family) the token was issued for; checked at every request.
    #[serde(default)]
    pub sid: String,
}

/// Signing and verification keys with their fixed validation rules.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    clock: SharedClock,
    ttl_secs: i64,
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8], clock: SharedClock, ttl_secs: i64) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked below against the app clock, not the system clock.
        validation.validate_exp = false;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            clock,
            ttl_secs,
        }
    }

    /// Seconds an access token lives.
    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// Signs an access token for a user.
    pub fn issue(&self, user_id: &str, role: &str, org: &str, scope: &str, sid: &str) -> Result<String, AppError> {
        let now = self.clock.now().timestamp();
        let claims = Claims {
            sub: user_id.into(),
            role: role.into(),
            org: org.into(),
            scope: scope.into(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + self.ttl_secs,
            typ: ACCESS.into(),
            sid: sid.into(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// Verifies signature, algorithm, issuer, audience, type and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| AppError::new(ErrorCode::InvalidToken))?;
        let c = data.claims;
        let now = self.clock.now().timestamp();
        // A token without a session (signed before sessions were named) is refused: the phone
        // refreshes and gets one.
        if c.typ != ACCESS || c.exp <= now || c.iat > now + 60 || c.sid.is_empty() {
            return Err(AppError::new(ErrorCode::InvalidToken));
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::{Duration, Utc};

    fn keys() -> (JwtKeys, std::sync::Arc<ManualClock>) {
        let clock = ManualClock::new(Utc::now());
        (JwtKeys::new(&[7u8; 32], clock.clone(), 900), clock)
    }

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let (k, clock) = keys();
        let t = k.issue("u", "grid_worker", "o", "/o/", "s").unwrap();
        assert_eq!(k.verify(&t).unwrap().sub, "u");
        clock.advance(Duration::seconds(899));
        assert!(k.verify(&t).is_ok());
        clock.advance(Duration::seconds(1));
        assert_eq!(k.verify(&t).unwrap_err().code, ErrorCode::InvalidToken);
    }

    #[test]
    fn other_keys_and_algorithms_are_refused() {
        let (k, clock) = keys();
        let other = JwtKeys::new(&[8u8; 32], clock, 900);
        let t = other.issue("u", "r", "o", "/o/", "s").unwrap();
        assert!(k.verify(&t).is_err());
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &k.verify(&k.issue("u", "r", "o", "/o/", "s").unwrap()).unwrap(),
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(k.verify(&hs512).is_err(), "only HS256 is accepted");
    }
}
