//! Photos on the phone: JPEG Blobs keyed by their SHA-256, with whether the server has them.

use super::idb::{done, field, obj, str_field, Db};
use super::StoreError;
use wasm_bindgen::JsCast;
use web_sys::Blob;

/// A photo's upload state, for the settings screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoCounts {
    pub total: u32,
    pub waiting: u32,
    pub failed: u32,
}

impl Db {
    /// Keeps a photo (idempotent: the same bytes are the same photo). Returns once on disk.
    pub async fn put_photo(&self, sha: &str, blob: &Blob) -> Result<(), StoreError> {
        let tx = self.tx(&["photos"], true)?;
        let store = tx.store("photos")?;
        if store.get(sha.into()).await?.is_none() {
            let row = obj(&[
                ("sha", sha.into()),
                ("blob", blob.into()),
                ("uploaded", false.into()),
                ("at", js_sys::Date::now().into()),
            ]);
            store.put(&row, None).await?;
        }
        done(tx).await
    }

    /// A photo's Blob.
    pub async fn photo_blob(&self, sha: &str) -> Result<Option<Blob>, StoreError> {
        let tx = self.tx(&["photos"], false)?;
        let row = tx.store("photos")?.get(sha.into()).await?;
        Ok(row.and_then(|r| field(&r, "blob").dyn_into::<Blob>().ok()))
    }

    /// How many photos there are and how many wait for upload or failed.
    pub async fn photo_counts(&self) -> Result<PhotoCounts, StoreError> {
        let tx = self.tx(&["photos"], false)?;
        let rows = tx.store("photos")?.get_all(None, None).await?;
        let mut c = PhotoCounts { total: rows.len() as u32, ..Default::default() };
        for r in &rows {
            if str_field(r, "failure").is_some() {
                c.failed += 1;
            } else if field(r, "uploaded").as_bool() != Some(true) {
                c.waiting += 1;
            }
        }
        Ok(c)
    }
}
