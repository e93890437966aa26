//! Identifier newtypes. Records are identified by UUIDv7, made where the record is created
//! (on the device for field data), so an id never needs a round trip to the server.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        #[cfg(feature = "diesel")]
        impl crate::sql::TextColumn for $name {
            fn to_text(&self) -> std::borrow::Cow<'static, str> {
                self.0.to_string().into()
            }
            fn from_text(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }

        #[cfg(feature = "diesel")]
        crate::sql::stored_as_text!($name);

        impl $name {
            /// A fresh, time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies a user account.
    UserId
);
id_type!(
    /// Identifies an org unit (county, township, village or grid).
    OrgUnitId
);

id_type!(
    /// Identifies a premise in the ledger.
    PremiseId
);
id_type!(
    /// Identifies a published checklist template version.
    TemplateId
);
id_type!(
    /// Identifies an inspection.
    InspectionId
);
id_type!(
    /// Identifies a hazard.
    HazardId
);
id_type!(
    /// Identifies a notification.
    NotificationId
);

id_type!(
    /// Identifies a road in the register.
    RoadId
);
id_type!(
    /// Identifies a segment of a road assigned to a patrol worker.
    SegmentId
);
id_type!(
    /// Identifies an on-road record (上路记录).
    PatrolId
);
id_type!(
    /// Identifies a check (monthly random or quarterly full).
    CheckId
);
id_type!(
    /// Identifies a road issue (a patrol finding carried to closed).
    RoadIssueId
);
id_type!(
    /// Identifies a works filing in the road area (涉路施工报备).
    WorksId
);
id_type!(
    /// Identifies a household, fruit store or business registered along a road (第七条).
    RoadsidePartyId
);
id_type!(
    /// Identifies a device (one installation of the app on one phone).
    DeviceId
);
id_type!(
    /// Identifies one operation in a device's outbox.
    OpId
);

/// A photo or file, named by the SHA-256 of its bytes (64 lowercase hex digits): the same photo
/// uploaded twice is one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoRef(String);

/// The pattern of a [`PhotoRef`], for the API document.
pub const PHOTO_REF_PATTERN: &str = "^[0-9a-f]{64}$";

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PhotoRef {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .pattern(Some(PHOTO_REF_PATTERN))
            .description(Some("A photo, named by the SHA-256 of its bytes (64 lowercase hex digits)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PhotoRef {}

impl PhotoRef {
    /// The hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(PhotoRef(s))
        } else {
            Err("a photo reference is a SHA-256 in 64 lowercase hex digits".into())
        }
    }
}

impl From<PhotoRef> for String {
    fn from(p: PhotoRef) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_time_ordered() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.0.get_version_num(), 7);
        assert!(a < b, "v7 ids made later sort later");
    }

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = OrgUnitId::new();
        assert_eq!(id.to_string().parse::<OrgUnitId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<OrgUnitId>(&json).unwrap(), id);
        assert!("not-a-uuid".parse::<OrgUnitId>().is_err());
    }

    #[test]
    fn photo_refs_are_sha256_hex() {
        let ok = "a".repeat(64);
        assert!(PhotoRef::try_from(ok.clone()).is_ok());
        assert!(PhotoRef::try_from("A".repeat(64)).is_err());
        assert!(PhotoRef::try_from("a".repeat(63)).is_err());
        assert!(serde_json::from_str::<PhotoRef>("\"../../etc/passwd\"").is_err());
        assert_eq!(serde_json::to_string(&PhotoRef::try_from(ok.clone()).unwrap()).unwrap(), format!("\"{ok}\""));
    }
}
