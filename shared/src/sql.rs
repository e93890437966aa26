//! Ids and codes in text columns (feature `diesel`, the server's; never in the web build). Each type
//! here writes itself as its text (`HazardId` as its UUID, `HazardStatus` as `rectification_ordered`)
//! and reads itself back, refusing a value that is not one — so the server's rows carry `HazardId`,
//! `HazardStatus`, … instead of strings converted by hand at every use (the pattern of Lemmy's
//! `db_schema/src/newtypes.rs` and crates.io's `pg_enum!`, over text so that one schema serves
//! SQLite and PostgreSQL). The server adds the one impl its two-backend connection needs
//! (`server/src/db/sql_types.rs`).

use std::borrow::Cow;

/// A type stored as text.
pub trait TextColumn: Sized {
    /// Its stored text.
    fn to_text(&self) -> Cow<'static, str>;
    /// It from its stored text; `None` for a text that is not one.
    fn from_text(text: &str) -> Option<Self>;
}

/// Implements diesel's text conversions for each type (both backends; any backend reads).
macro_rules! stored_as_text {
    ($($t:ty),* $(,)?) => {$(
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                match $crate::sql::TextColumn::to_text(self) {
                    std::borrow::Cow::Borrowed(s) => out.set_value(s),
                    std::borrow::Cow::Owned(s) => out.set_value(s),
                }
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                std::io::Write::write_all(out, $crate::sql::TextColumn::to_text(self).as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                <$t as $crate::sql::TextColumn>::from_text(&text)
                    .ok_or_else(|| format!("not a {}: {:?}", stringify!($t), text).into())
            }
        }
    )*};
}
pub(crate) use stored_as_text;

/// The codes of the county's records, stored as their wire names (`as_str`, `parse`).
macro_rules! stored_as_code {
    ($($t:ty),* $(,)?) => {$(
        impl TextColumn for $t {
            fn to_text(&self) -> Cow<'static, str> {
                Cow::Borrowed(self.as_str())
            }
            fn from_text(text: &str) -> Option<Self> {
                <$t>::parse(text)
            }
        }
        stored_as_text!($t);
    )*};
}

use crate::checklist::{HazardCategory, Severity};
use crate::hazard::{HazardStatus, ReferralTarget};
use crate::road::issue::FindingCategory;
use crate::road::roadside::{PartyKind, RoadSide};
stored_as_code!(HazardCategory, Severity, HazardStatus, ReferralTarget, FindingCategory, PartyKind, RoadSide);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_ids_read_back_what_they_write() {
        for s in HazardStatus::ALL {
            assert_eq!(HazardStatus::from_text(&s.to_text()), Some(s));
        }
        let id = crate::HazardId::new();
        assert_eq!(crate::HazardId::from_text(&id.to_text()), Some(id));
        assert_eq!(HazardStatus::from_text("closed "), None);
        assert_eq!(crate::HazardId::from_text("not-a-uuid"), None);
    }
}
