//! Turning a transition's notices (roles) into notifications for the people concerned: users of
//! that role whose unit contains the premise (its grid, village, township, or the county).

use crate::db::notifications::{self, NotificationRow};
use crate::db::schema::{org_units, users};
use crate::db::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::hazard::NoticeKind;
use xunjian_shared::{NotificationId, Role};

/// Every ancestor path of a unit path, itself included: `/a/b/c/` → `/a/`, `/a/b/`, `/a/b/c/`.
pub fn ancestor_paths(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (1..=parts.len()).map(|n| format!("/{}/", parts[..n].join("/"))).collect()
}

/// Active users with `role` bound to a unit on the path from the county down to `grid_path`.
pub fn users_over(conn: &mut DbConn, role: Role, grid_path: &str) -> Result<Vec<String>, AppError> {
    Ok(users::table
        .inner_join(org_units::table)
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .filter(org_units::path.eq_any(ancestor_paths(grid_path)))
        .select(users::id)
        .load(conn)?)
}

/// What a notice is about.
#[derive(Clone, Copy)]
pub enum About<'a> {
    /// A hazard at the premise named.
    Hazard { id: &'a str, premise_name: &'a str },
    /// A road issue at the place named (e.g. "X321 3.2 公里处").
    RoadIssue { id: &'a str, place: &'a str },
}

/// Sends notices about a hazard (or road issue) to the users of each role whose unit contains
/// `path` (the hazard's grid, the issue's township).
pub fn send(
    conn: &mut DbConn,
    notices: &[(Role, NoticeKind)],
    about: About<'_>,
    path: &str,
    now: i64,
) -> Result<usize, AppError> {
    let mut rows = Vec::new();
    for (role, kind) in notices {
        let (hazard_id, road_issue_id, message) = match about {
            About::Hazard { id, premise_name } => (Some(id.to_owned()), None, kind.message_zh(premise_name)),
            About::RoadIssue { id, place } => {
                (None, Some(id.to_owned()), xunjian_shared::road::issue::notice_message(*kind, place))
            }
        };
        for user_id in users_over(conn, *role, path)? {
            rows.push(NotificationRow {
                id: NotificationId::new().to_string(),
                user_id,
                kind: kind.as_str().into(),
                hazard_id: hazard_id.clone(),
                road_issue_id: road_issue_id.clone(),
                message: message.clone(),
                created_at: now,
                read_at: None,
            });
        }
    }
    notifications::insert_many(conn, &rows)?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_of_a_path() {
        assert_eq!(ancestor_paths("/a/b/c/"), vec!["/a/", "/a/b/", "/a/b/c/"]);
        assert!(ancestor_paths("/").is_empty());
    }
}
