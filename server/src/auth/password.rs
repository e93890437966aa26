//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane).
//! Callers run these on a blocking thread: one hash takes tens of milliseconds on purpose.

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;

fn hasher() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (salt and parameters included).
pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))
}

/// Whether `password` matches the stored PHC string. Hashes with other parameters still verify
/// (the parameters are read from the string), so raising them later keeps old accounts working.
pub fn verify(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, verified against when the username does not exist, so that an
/// unknown user and a wrong password take the same time and give the same answer.
static DUMMY: LazyLock<String> = LazyLock::new(|| hash("no-such-user: timing equaliser").unwrap_or_default());

/// Burns the same work as a real verification; always false.
pub fn verify_dummy(password: &str) -> bool {
    let _ = verify(&DUMMY, password);
    false
}

/// Computes the dummy hash now, so the first unknown-user login is not faster than the rest.
pub fn warm_up() {
    LazyLock::force(&DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_and_uses_owasp_argon2id() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&h, "correct horse battery"));
        assert!(!verify(&h, "correct horse batterY"));
        assert!(!verify("not a phc string", "x"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
        assert!(!verify_dummy("anything"));
    }
}
