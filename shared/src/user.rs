//! User accounts as the API shows and changes them.

use crate::ids::{OrgUnitId, UserId};
use crate::org::OrgUnit;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A user account (never carries the password hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name, lower case.
    pub username: String,
    /// Real name shown to colleagues, e.g. 张三.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The unit the user is bound to; the user acts only inside its subtree.
    pub org_unit_id: OrgUnitId,
    /// Mobile phone, if given.
    pub phone: Option<String>,
    /// Disabled accounts cannot log in or refresh.
    pub active: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// The logged-in user with the chain of units from the county down to their own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The account.
    pub user: User,
    /// County first, the user's own unit last.
    pub org_chain: Vec<OrgUnit>,
    /// The county's rules the phone applies offline (the server's settings; defaults from an older
    /// server).
    #[serde(default)]
    pub rules: FieldRules,
}

/// The county's configurable rules a phone needs offline: default deadlines and the inspection
/// cadence per premise type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FieldRules {
    /// Deadline rules.
    pub deadlines: crate::hazard::DeadlinePolicy,
    /// Inspection cadence.
    pub cadence: crate::cadence::Cadence,
}

/// Body of `POST /api/v1/users`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Login name (normalised to lower case).
    pub username: String,
    /// Real name.
    pub display_name: String,
    /// Role; must be one the creator may manage.
    pub role: Role,
    /// Unit inside the creator's scope, of a level the role allows.
    pub org_unit_id: OrgUnitId,
    /// Mobile phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Initial password (policy: 8 to 128 characters, not only spaces, not the username).
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
}

impl std::fmt::Debug for CreateUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("org_unit_id", &self.org_unit_id)
            .finish_non_exhaustive()
    }
}

/// Body of `PATCH /api/v1/users/{id}`: fields to change. Disabling revokes the user's sessions.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// New real name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// New phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// New role.
    #[serde(default)]
    pub role: Option<Role>,
    /// Move to another unit in scope.
    #[serde(default)]
    pub org_unit_id: Option<OrgUnitId>,
    /// Enable or disable.
    #[serde(default)]
    pub active: Option<bool>,
    /// Set a new password (revokes the user's sessions; the policy of `CreateUser::password`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: Option<String>,
}

/// Checks a mobile phone number: 5–20 digits, optionally with `+`, `-` or spaces.
pub fn validate_phone(phone: &str) -> Result<(), String> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let ok_chars = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '));
    if ok_chars && (5..=20).contains(&digits) {
        Ok(())
    } else {
        Err("phone must have 5 to 20 digits".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert!(validate_phone("13800001111").is_ok());
        assert!(validate_phone("0359-1234567").is_ok());
        assert!(validate_phone("12a45").is_err());
        assert!(validate_phone("123").is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let r: Result<UpdateUser, _> = serde_json::from_str(r#"{"is_admin": true}"#);
        assert!(r.is_err());
    }
}
