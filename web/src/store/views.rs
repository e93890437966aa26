//! What the office screens last loaded from the server (dashboard, queues, a hazard's page,
//! reports), kept by API path: an office PC whose server is unreachable still shows them,
//! read-only, with the time they were loaded. Logging out clears them with the rest.

use super::idb::{done, field, obj, str_field, Db};
use super::StoreError;
use chrono::{DateTime, Utc};

impl Db {
    /// Keeps the answer of `GET path`; returns once it is on disk.
    pub async fn put_view(&self, path: &str, json: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.tx(&["views"], true)?;
        let at = at.timestamp_millis() as f64;
        tx.store("views")?.put(&obj(&[("k", path.into()), ("json", json.into()), ("at", at.into())]), None).await?;
        done(tx).await
    }

    /// The last kept answer of `GET path`, and when it was loaded.
    pub async fn view(&self, path: &str) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let tx = self.tx(&["views"], false)?;
        let Some(row) = tx.store("views")?.get(path.into()).await? else { return Ok(None) };
        let at = field(&row, "at").as_f64().and_then(|ms| DateTime::from_timestamp_millis(ms as i64));
        Ok(str_field(&row, "json").map(|json| (json, at.unwrap_or_default())))
    }
}
