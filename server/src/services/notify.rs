//! Turning a transition's notices (roles) into notifications for the people concerned: users of
//! that role whose unit contains the premise (its grid, village, township, or the county).

use crate::db::changes::{self, Audience, Kind};
use crate::db::notifications::{self, NotificationRow};
use crate::db::schema::{org_units, users};
use crate::db::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::hazard::NoticeKind;
use xunjian_shared::{HazardId, NotificationId, RoadIssueId, Role};

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
    Hazard { id: HazardId, premise_name: &'a str },
    /// A road issue at the place named (e.g. "X321 3.2 公里处").
    RoadIssue { id: RoadIssueId, place: &'a str },
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
    let mut to: Vec<(String, NoticeKind)> = Vec::new();
    for (role, kind) in notices {
        to.extend(users_over(conn, *role, path)?.into_iter().map(|u| (u, *kind)));
    }
    send_to(conn, &to, about, now)
}

/// Active users among `ids` (an account disabled since is told nothing), each once, in order.
pub fn active_users(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>, AppError> {
    let active: Vec<String> =
        users::table.filter(users::id.eq_any(ids)).filter(users::active.eq(true)).select(users::id).load(conn)?;
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if active.contains(id) && !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// Sends each notice to the user named with it (a user named twice with the same notice is told once).
pub fn send_to(conn: &mut DbConn, to: &[(String, NoticeKind)], about: About<'_>, now: i64) -> Result<usize, AppError> {
    let mut rows: Vec<NotificationRow> = Vec::new();
    for (user_id, kind) in to {
        if rows.iter().any(|r| r.user_id == *user_id && r.kind == kind.as_str()) {
            continue;
        }
        let (hazard_id, road_issue_id, message) = match about {
            About::Hazard { id, premise_name } => (Some(id.to_string()), None, kind.message_zh(premise_name)),
            About::RoadIssue { id, place } => {
                (None, Some(id.to_string()), xunjian_shared::road::issue::notice_message(*kind, place))
            }
        };
        rows.push(NotificationRow {
            id: NotificationId::new().to_string(),
            user_id: user_id.clone(),
            kind: kind.as_str().into(),
            hazard_id,
            road_issue_id,
            message,
            created_at: now,
            read_at: None,
        });
    }
    notifications::insert_many(conn, &rows)?;
    // New ids: no earlier change to replace.
    let feed: Vec<_> =
        rows.iter().map(|r| (Kind::Notification, r.id.as_str(), Audience::User(r.user_id.clone()))).collect();
    changes::created_many(conn, &feed, now)?;
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
