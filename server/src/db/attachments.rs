//! Attachment metadata and which records reference which photo (for download permission).

use super::escape_like;
use super::schema::{attachment_refs, attachment_uploads, attachments};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::PhotoRef;

/// Records an uploaded file (once) and its uploader (once each). Returns whether the file was new.
pub fn insert_if_absent(
    conn: &mut DbConn,
    sha: &str,
    size: i64,
    mime: &str,
    by: &str,
    at: i64,
) -> Result<bool, AppError> {
    if attachments::table.find(sha).count().get_result::<i64>(conn)? > 0 {
        record_uploader(conn, sha, by, at)?;
        return Ok(false);
    }
    diesel::insert_into(attachments::table)
        .values((
            attachments::sha256.eq(sha),
            attachments::size.eq(size),
            attachments::mime.eq(mime),
            attachments::uploaded_by.eq(by),
            attachments::uploaded_at.eq(at),
        ))
        .execute(conn)?;
    record_uploader(conn, sha, by, at)?;
    Ok(true)
}

fn record_uploader(conn: &mut DbConn, sha: &str, by: &str, at: i64) -> Result<(), AppError> {
    if !uploaded_by(conn, sha, by)? {
        diesel::insert_into(attachment_uploads::table)
            .values((
                attachment_uploads::sha256.eq(sha),
                attachment_uploads::user_id.eq(by),
                attachment_uploads::uploaded_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored file's type, if uploaded.
pub fn find(conn: &mut DbConn, sha: &str) -> Result<Option<String>, AppError> {
    Ok(attachments::table.find(sha).select(attachments::mime).first(conn).optional()?)
}

/// Whether the user has sent this photo's bytes.
pub fn uploaded_by(conn: &mut DbConn, sha: &str, user_id: &str) -> Result<bool, AppError> {
    let n: i64 = attachment_uploads::table.find((sha, user_id)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Refuses a record naming a photo its author may not name: one that is stored, that the author
/// never uploaded, and that no record inside the author's scope references (naming another
/// township's photo by its hash would otherwise make it downloadable). A photo not uploaded yet
/// may be named (it shows as pending): only whoever has its bytes can know its hash before that.
pub fn authorize_refs(conn: &mut DbConn, user_id: &str, scope_path: &str, photos: &[PhotoRef]) -> Result<(), AppError> {
    if photos.is_empty() {
        return Ok(());
    }
    let mut names: Vec<&str> = photos.iter().map(PhotoRef::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let stored: Vec<String> =
        attachments::table.filter(attachments::sha256.eq_any(&names)).select(attachments::sha256).load(conn)?;
    if stored.is_empty() {
        return Ok(());
    }
    let own: Vec<String> = attachment_uploads::table
        .filter(attachment_uploads::user_id.eq(user_id))
        .filter(attachment_uploads::sha256.eq_any(&stored))
        .select(attachment_uploads::sha256)
        .load(conn)?;
    for sha in stored.iter().filter(|s| !own.contains(s)) {
        if !referenced_within(conn, sha, scope_path)? {
            return Err(AppError::validation("photos", format!("{sha} is not a photo you uploaded")));
        }
    }
    Ok(())
}

/// Notes that a record (at a unit path) references these photos.
pub fn add_refs(
    conn: &mut DbConn,
    photos: &[PhotoRef],
    kind: &str,
    entity_id: &str,
    path: &str,
) -> Result<(), AppError> {
    for p in photos {
        let exists: i64 = attachment_refs::table.find((p.as_str(), kind, entity_id)).count().get_result(conn)?;
        if exists == 0 {
            insert_ref(conn, p, kind, entity_id, path)?;
        }
    }
    Ok(())
}

/// [`add_refs`] for a record inserted in this transaction: it has no references yet, so only
/// repeats within `photos` are skipped (one statement per photo instead of two).
pub fn add_refs_new(
    conn: &mut DbConn,
    photos: &[PhotoRef],
    kind: &str,
    entity_id: &str,
    path: &str,
) -> Result<(), AppError> {
    let mut seen = std::collections::HashSet::new();
    for p in photos.iter().filter(|p| seen.insert(p.as_str())) {
        insert_ref(conn, p, kind, entity_id, path)?;
    }
    Ok(())
}

/// [`add_refs_new`] for many new records of one kind: `(photos, entity id, path)` each, in
/// multi-row inserts.
pub fn add_refs_many(conn: &mut DbConn, kind: &str, records: &[(Vec<PhotoRef>, &str, &str)]) -> Result<(), AppError> {
    let mut rows = Vec::new();
    for (photos, entity_id, path) in records {
        let mut seen = std::collections::HashSet::new();
        rows.extend(photos.iter().filter(|p| seen.insert(p.as_str())).map(|p| {
            (
                attachment_refs::sha256.eq(p.as_str()),
                attachment_refs::kind.eq(kind),
                attachment_refs::entity_id.eq(*entity_id),
                attachment_refs::scope_path.eq(*path),
            )
        }));
    }
    for chunk in rows.chunks(super::INSERT_CHUNK) {
        crate::insert_many!(conn, attachment_refs::table, chunk)?;
    }
    Ok(())
}

fn insert_ref(conn: &mut DbConn, p: &PhotoRef, kind: &str, entity_id: &str, path: &str) -> Result<(), AppError> {
    diesel::insert_into(attachment_refs::table)
        .values((
            attachment_refs::sha256.eq(p.as_str()),
            attachment_refs::kind.eq(kind),
            attachment_refs::entity_id.eq(entity_id),
            attachment_refs::scope_path.eq(path),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether a record inside `scope_path` references the photo.
pub fn referenced_within(conn: &mut DbConn, sha: &str, scope_path: &str) -> Result<bool, AppError> {
    let n: i64 = attachment_refs::table
        .filter(attachment_refs::sha256.eq(sha))
        .filter(attachment_refs::scope_path.like(format!("{}%", escape_like(scope_path))).escape('\\'))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
