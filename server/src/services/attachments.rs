//! Photos, content-addressed: stored once under their SHA-256, outside the database, written
//! atomically; served only to users whose scope holds a record that references them.

use crate::auth::AuthUser;
use crate::db::{attachments, road_issues, run_blocking, users};
use crate::error::AppError;
use crate::state::AppState;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use xunjian_shared::hazard::ReferralTarget;
use xunjian_shared::{ErrorCode, PhotoRef};

/// The image type by its first bytes (the name or the client's word is not trusted).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// Where a file lives: `<dir>/ab/cd/<sha256>`.
pub fn path_of(dir: &Path, sha: &PhotoRef) -> PathBuf {
    let s = sha.as_str();
    dir.join(&s[0..2]).join(&s[2..4]).join(s)
}

/// Writes `bytes` to `dest` so that a crash leaves either no file or the whole file: a temp file
/// in the same folder, synced, then renamed over, then the folder synced.
fn write_atomically(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dest.parent().ok_or_else(|| std::io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::now_v7().simple()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, dest)?;
    std::fs::File::open(dir)?.sync_all()
}

/// Stores an uploaded photo after checking its hash, size and type. Uploading the same photo again
/// changes nothing. Returns whether it was new.
pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    sha: PhotoRef,
    bytes: actix_web::web::Bytes,
) -> Result<bool, AppError> {
    if bytes.len() > state.attachment_max_bytes {
        return Err(AppError::with_detail(
            ErrorCode::PayloadTooLarge,
            format!("limit is {} bytes", state.attachment_max_bytes),
        ));
    }
    let mime = sniff(&bytes).ok_or_else(|| AppError::new(ErrorCode::UnsupportedFileType))?;
    if hex::encode(Sha256::digest(&bytes)) != sha.as_str() {
        return Err(AppError::new(ErrorCode::HashMismatch));
    }
    let dest = path_of(&state.attachments_dir, &sha);
    let (db, now, by) = (state.db.clone(), state.now_ms(), user.id.to_string());
    run_blocking(move || {
        // The file first, then the row: a row always has its file. A file without a row (a crash
        // between the two) is harmless and completed by the retry.
        if !dest.exists() {
            write_atomically(&dest, &bytes).map_err(AppError::internal)?;
        }
        // Sent again by the same user (a retry after a lost answer): nothing to write, so no write
        // transaction — a retry never queues behind the single SQLite writer.
        if attachments::uploaded_by(&mut *db.conn()?, sha.as_str(), &by)? {
            return Ok(false);
        }
        db.write_blocking(|conn| attachments::insert_if_absent(conn, sha.as_str(), bytes.len() as i64, mime, &by, now))
    })
    .await
}

/// Refuses a request naming photos its author may not name (`db::attachments::authorize_refs`).
pub fn may_reference(conn: &mut crate::db::DbConn, user: &AuthUser, photos: &[PhotoRef]) -> Result<(), AppError> {
    attachments::authorize_refs(conn, &user.id.to_string(), &user.scope_path, photos)
}

/// The photo's bytes and type, if the user may see it: they uploaded it, a record inside their
/// scope references it, or (a receiving-only role) a road issue granted to them does. Otherwise
/// "not found" (no probing of other townships' photos).
pub async fn download(state: &AppState, user: &AuthUser, sha: PhotoRef) -> Result<(Vec<u8>, String), AppError> {
    let (db, dir, uid) = (state.db.clone(), state.attachments_dir.clone(), user.id);
    run_blocking(move || {
        let conn = &mut *db.conn()?;
        let mime = attachments::find(conn, sha.as_str())?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
        // The user as stored now (moved to another unit since the token was issued: the new scope).
        let (row, path) = users::find_with_path(conn, uid)?.ok_or_else(|| AppError::new(ErrorCode::InvalidToken))?;
        let role = row.role()?;
        let scope = role.scope_path(path);
        let mine = attachments::uploaded_by(conn, sha.as_str(), &uid.to_string())?;
        if !mine
            && !attachments::referenced_within(conn, sha.as_str(), &scope)?
            && !match ReferralTarget::grant_of(role) {
                Some(to) => road_issues::photo_granted(conn, to, sha.as_str())?,
                None => false,
            }
        {
            return Err(AppError::new(ErrorCode::NotFound));
        }
        let bytes = std::fs::read(path_of(&dir, &sha)).map_err(AppError::internal)?;
        Ok((bytes, mime))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_images_only() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some("image/png"));
        assert_eq!(sniff(b"RIFF1234WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn files_are_fanned_out_by_hash() {
        let sha = PhotoRef::try_from("ab".repeat(32)).unwrap();
        assert_eq!(path_of(Path::new("/d"), &sha), Path::new("/d/ab/ab").join("ab".repeat(32)));
    }
}
