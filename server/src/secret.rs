//! The token signing secret: configured, or generated once and kept in the data folder.
//! There is no built-in default: a default secret would let anyone forge tokens.

use crate::settings::Settings;
use rand::RngCore;
use std::io::Write;

/// Bytes of a generated secret.
const GENERATED_LEN: usize = 64;
/// Shortest configured secret accepted.
pub const MIN_LEN: usize = 32;

/// The secret to sign with, creating `<data_dir>/jwt-secret` (mode 0600) on first start.
pub fn load_or_create(settings: &Settings) -> std::io::Result<Vec<u8>> {
    if let Some(s) = &settings.jwt_secret {
        if s.len() < MIN_LEN {
            return Err(std::io::Error::other(format!("XUNJIAN_JWT_SECRET must have at least {MIN_LEN} bytes")));
        }
        return Ok(s.as_bytes().to_vec());
    }
    let path = settings.data_dir.join("jwt-secret");
    match std::fs::read_to_string(&path) {
        Ok(text) => hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() >= MIN_LEN)
            .ok_or_else(|| std::io::Error::other(format!("{} is not a valid secret", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&settings.data_dir)?;
            let mut bytes = vec![0u8; GENERATED_LEN];
            rand::rng().fill_bytes(&mut bytes);
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            opts.open(&path)?.write_all(hex::encode(&bytes).as_bytes())?;
            Ok(bytes)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused_and_short_ones_refused() {
        let dir = std::env::temp_dir().join(format!("xj-secret-{}", uuid::Uuid::now_v7()));
        let s = Settings { data_dir: dir.clone(), ..Settings::default() };
        let a = load_or_create(&s).unwrap();
        assert_eq!(a.len(), GENERATED_LEN);
        assert_eq!(load_or_create(&s).unwrap(), a);
        let short = Settings { jwt_secret: Some("short".into()), ..s };
        assert!(load_or_create(&short).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
