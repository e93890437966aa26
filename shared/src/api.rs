//! The HTTP contract: the path of every endpoint, and its small shared shapes.
//!
//! The web client and the API tests build their paths here rather than writing `"/api/v1/…"`
//! by hand: a path that is not the server's fails the unit test below (it checks every path
//! against the committed `docs/openapi.json`). Queries stay with the caller:
//! `format!("{}?limit=500", api::USERS)`.

use crate::ids::{
    CheckId, HazardId, InspectionId, NotificationId, OrgUnitId, PatrolId, PremiseId, RoadId, RoadIssueId,
    RoadsidePartyId, SegmentId, TemplateId, UserId, WorksId,
};
use serde::{Deserialize, Serialize};

/// A path under the versioned API, as a `&'static str`.
macro_rules! v1 {
    ($path:literal) => {
        concat!("/api/v1", $path)
    };
}

/// Prefix of every versioned API path.
pub const API_PREFIX: &str = v1!("");

// Outside the versioned API.

/// `GET`: liveness and database check.
pub const HEALTHZ: &str = "/healthz";
/// `GET`: this API's OpenAPI document (the document does not list itself).
pub const OPENAPI: &str = v1!("/openapi.json");

// Sessions and the signed-in user.

/// `POST`: username and password for a token pair.
pub const LOGIN: &str = v1!("/auth/login");
/// `POST`: a refresh token for a new pair (the old one is spent).
pub const REFRESH: &str = v1!("/auth/refresh");
/// `POST`: ends the session of a refresh token.
pub const LOGOUT: &str = v1!("/auth/logout");
/// `GET`: the signed-in user and their chain of units.
pub const ME: &str = v1!("/me");
/// `POST`: changes one's own password (every session ends).
pub const ME_PASSWORD: &str = v1!("/me/password");

// The org tree and accounts.

/// `GET` (list), `POST` (create) org units.
pub const ORG_UNITS: &str = v1!("/org-units");
/// `GET`, `PATCH` one org unit.
pub fn org_unit(id: OrgUnitId) -> String {
    format!("{API_PREFIX}/org-units/{id}")
}
/// `GET` (list), `POST` (create) accounts.
pub const USERS: &str = v1!("/users");
/// `GET`, `PATCH` one account.
pub fn user(id: UserId) -> String {
    format!("{API_PREFIX}/users/{id}")
}
/// `DELETE`: cuts off every device of an account.
pub fn user_sessions(id: UserId) -> String {
    format!("{API_PREFIX}/users/{id}/sessions")
}

// The premises ledger (台账).

/// `GET` (list), `POST` (create) premises.
pub const PREMISES: &str = v1!("/premises");
/// `POST`: imports a township's ledger file (CSV or XLSX).
pub const PREMISES_IMPORT: &str = v1!("/premises/import");
/// `GET`: downloads the ledger (`format=xlsx|csv`).
pub const PREMISES_EXPORT: &str = v1!("/premises/export");
/// `GET`, `PATCH` one premise.
pub fn premise(id: PremiseId) -> String {
    format!("{API_PREFIX}/premises/{id}")
}
/// `GET`: every change to a premise.
pub fn premise_history(id: PremiseId) -> String {
    format!("{API_PREFIX}/premises/{id}/history")
}
/// `GET`: a premise's inspections.
pub fn premise_inspections(id: PremiseId) -> String {
    format!("{API_PREFIX}/premises/{id}/inspections")
}

// Checklists, inspections and hazards (fire safety).

/// `GET` (list), `POST` (publish) checklist templates.
pub const TEMPLATES: &str = v1!("/templates");
/// `GET` one template version.
pub fn template(id: TemplateId) -> String {
    format!("{API_PREFIX}/templates/{id}")
}
/// `POST`: submits an inspection.
pub const INSPECTIONS: &str = v1!("/inspections");
/// `GET` one inspection.
pub fn inspection(id: InspectionId) -> String {
    format!("{API_PREFIX}/inspections/{id}")
}
/// `GET` (list, filtered), `POST` (register) hazards.
pub const HAZARDS: &str = v1!("/hazards");
/// `GET`: downloads the hazards matching the list filters.
pub const HAZARDS_EXPORT: &str = v1!("/hazards/export");
/// `GET` one hazard with its timeline.
pub fn hazard(id: HazardId) -> String {
    format!("{API_PREFIX}/hazards/{id}")
}
/// `POST`: an action on a hazard (order rectification, refer, accept, close, …).
pub fn hazard_actions(id: HazardId) -> String {
    format!("{API_PREFIX}/hazards/{id}/actions")
}

// What is due, notifications and reports.

/// `GET`: what the caller should do now.
pub const TODAY: &str = v1!("/today");
/// `GET`: the caller's notifications.
pub const NOTIFICATIONS: &str = v1!("/notifications");
/// `POST`: marks one of the caller's notifications read.
pub fn notification_read(id: NotificationId) -> String {
    format!("{API_PREFIX}/notifications/{id}/read")
}
/// `GET`: the office dashboard.
pub const DASHBOARD: &str = v1!("/dashboard");
/// `GET`: quarterly statistics for the joint meeting (JSON or XLSX).
pub const STATS_QUARTER: &str = v1!("/stats/quarter");

// Roads: the register, segments and patrol workers.

/// `GET` (list), `POST` (create) roads.
pub const ROADS: &str = v1!("/roads");
/// `GET`: unassigned km, overloaded workers and workers' files to fix.
pub const ROADS_ASSIGNMENTS: &str = v1!("/roads/assignments");
/// `GET`: the pay sheet of a township's month.
pub const ROADS_PAY_SHEET: &str = v1!("/roads/pay-sheet");
/// `GET`: where each township stands with a month's close.
pub const ROADS_MONTHS: &str = v1!("/roads/months");
/// `POST`: the next act on a township's month (close, sign, approve).
pub fn road_month_acts(township: OrgUnitId) -> String {
    format!("{API_PREFIX}/roads/months/{township}/acts")
}
/// `GET`, `PUT`: who signs a township's pay sheets after the 交管员.
pub fn road_signers(township: OrgUnitId) -> String {
    format!("{API_PREFIX}/roads/signers/{township}")
}
/// `GET`, `PUT`: a township's working hours.
pub fn road_hours(township: OrgUnitId) -> String {
    format!("{API_PREFIX}/roads/hours/{township}")
}
/// `GET ?period=YYYY-Qn|YYYY`: the published checks of a quarter or year rolled up.
pub const ROADS_ROLLUP: &str = v1!("/roads/rollup");
/// `GET`, `PUT`, `DELETE`: the county's check form (第二十四条), new checks are drawn with it.
pub const ROADS_CHECK_FORM: &str = v1!("/roads/check-form");
/// `GET`, `PUT`, `DELETE`: a township's pay scheme (the county's defaults until set).
pub fn road_pay_rules(township: OrgUnitId) -> String {
    format!("{API_PREFIX}/roads/pay-rules/{township}")
}
/// `GET`: the year's fund allocation.
pub const ROADS_FUNDS: &str = v1!("/roads/funds");
/// `GET`: downloads the road register.
pub const ROADS_EXPORT: &str = v1!("/roads/export");
/// `POST`: imports a road register file.
pub const ROADS_IMPORT: &str = v1!("/roads/import");
/// `POST`: adds a segment to a road.
pub fn road_segments(id: RoadId) -> String {
    format!("{API_PREFIX}/roads/{id}/segments")
}
/// `GET`: segments (a patrol worker's own, otherwise those in scope).
pub const SEGMENTS: &str = v1!("/segments");
/// `GET`: each segment's month: its patrols and how much of it they covered.
pub const SEGMENTS_COVERAGE: &str = v1!("/segments/coverage");
/// `PATCH`: assigns or unassigns a segment's worker, sets its line.
pub fn segment(id: SegmentId) -> String {
    format!("{API_PREFIX}/segments/{id}")
}
/// `GET`: downloads the patrol workers' files.
pub const PATROL_WORKERS_EXPORT: &str = v1!("/patrol-workers/export");
/// `POST`: imports patrol workers' files.
pub const PATROL_WORKERS_IMPORT: &str = v1!("/patrol-workers/import");
/// `PUT`: saves a patrol worker's file (birth date, probation, contract, insurance).
pub fn patrol_worker(user_id: UserId) -> String {
    format!("{API_PREFIX}/patrol-workers/{user_id}")
}

// Roads: patrols (上路记录) and checks.

/// `GET` (a month's), `POST` (submit) on-road records.
pub const PATROLS: &str = v1!("/patrols");
/// `GET`: each patrol worker's month: days on the road, km covered.
pub const PATROLS_MONTHS: &str = v1!("/patrols/months");
/// `GET` one on-road record.
pub fn patrol(id: PatrolId) -> String {
    format!("{API_PREFIX}/patrols/{id}")
}
/// `GET` (list), `POST` (start, with its draw) road checks.
pub const ROAD_CHECKS: &str = v1!("/road-checks");
/// `GET` one check with its draw and scores.
pub fn road_check(id: CheckId) -> String {
    format!("{API_PREFIX}/road-checks/{id}")
}
/// `PUT`: scores a drawn segment.
pub fn road_check_score(id: CheckId, segment_id: SegmentId) -> String {
    format!("{API_PREFIX}/road-checks/{id}/scores/{segment_id}")
}
/// `PUT`: marks a drawn segment not checkable (不具备检查条件) with the reason.
pub fn road_check_not_checkable(id: CheckId, segment_id: SegmentId) -> String {
    format!("{API_PREFIX}/road-checks/{id}/not-checkable/{segment_id}")
}
/// `PUT`: a drawn inspector scores a township's station items.
pub fn road_check_station(id: CheckId, township_id: OrgUnitId) -> String {
    format!("{API_PREFIX}/road-checks/{id}/station/{township_id}")
}
/// `POST`: publishes a check's results.
pub fn road_check_publish(id: CheckId) -> String {
    format!("{API_PREFIX}/road-checks/{id}/publish")
}
/// `GET`: a check's township ranking (JSON, or `format=xlsx|csv`).
pub fn road_check_ranking(id: CheckId) -> String {
    format!("{API_PREFIX}/road-checks/{id}/ranking")
}

// Roads: issues and works filings.

/// `GET`: road issues in scope.
pub const ROAD_ISSUES: &str = v1!("/road-issues");
/// `GET` one road issue with its timeline.
pub fn road_issue(id: RoadIssueId) -> String {
    format!("{API_PREFIX}/road-issues/{id}")
}
/// `POST`: an action on a road issue.
pub fn road_issue_actions(id: RoadIssueId) -> String {
    format!("{API_PREFIX}/road-issues/{id}/actions")
}
/// `PUT`: names (or clears) the party responsible for a road issue (第七条).
pub fn road_issue_responsible(id: RoadIssueId) -> String {
    format!("{API_PREFIX}/road-issues/{id}/responsible")
}
/// `GET` (list), `POST` (register) the parties along the roads (沿线责任户).
pub const ROADSIDE_PARTIES: &str = v1!("/roadside-parties");
/// `GET`: the roadside register as XLSX or CSV.
pub const ROADSIDE_PARTIES_EXPORT: &str = v1!("/roadside-parties/export");
/// `POST`: imports a roadside register file (dry run by default).
pub const ROADSIDE_PARTIES_IMPORT: &str = v1!("/roadside-parties/import");
/// `PUT`: changes a party on the roadside register.
pub fn roadside_party(id: RoadsidePartyId) -> String {
    format!("{API_PREFIX}/roadside-parties/{id}")
}
/// `GET` (list), `POST` (file) works in the road area.
pub const ROAD_WORKS: &str = v1!("/road-works");
/// `POST`: approves, refuses or reports done a works filing.
pub fn road_works_actions(id: WorksId) -> String {
    format!("{API_PREFIX}/road-works/{id}/actions")
}

// Offline sync and photos.

/// `POST`: a device's batch of operations.
pub const SYNC_PUSH: &str = v1!("/sync/push");
/// `GET`: changes after a cursor.
pub const SYNC_PULL: &str = v1!("/sync/pull");
/// `PUT` (upload), `GET` (download) a photo by the hex SHA-256 of its bytes
/// ([`PhotoRef::as_str`](crate::ids::PhotoRef::as_str)).
pub fn attachment(sha256: &str) -> String {
    format!("{API_PREFIX}/attachments/{sha256}")
}

/// A list answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    /// The items, in a stable order.
    pub items: Vec<T>,
}

/// Answer of `GET /healthz`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Server version.
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use uuid::Uuid;

    /// Stands for a photo's SHA-256 in [`every_path`].
    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// Every path this module names (functions with the nil id), in the order of the module.
    fn every_path() -> Vec<String> {
        let nil = Uuid::nil();
        vec![
            HEALTHZ.into(),
            OPENAPI.into(),
            LOGIN.into(),
            REFRESH.into(),
            LOGOUT.into(),
            ME.into(),
            ME_PASSWORD.into(),
            ORG_UNITS.into(),
            org_unit(OrgUnitId(nil)),
            USERS.into(),
            user(UserId(nil)),
            user_sessions(UserId(nil)),
            PREMISES.into(),
            PREMISES_IMPORT.into(),
            PREMISES_EXPORT.into(),
            premise(PremiseId(nil)),
            premise_history(PremiseId(nil)),
            premise_inspections(PremiseId(nil)),
            TEMPLATES.into(),
            template(TemplateId(nil)),
            INSPECTIONS.into(),
            inspection(InspectionId(nil)),
            HAZARDS.into(),
            HAZARDS_EXPORT.into(),
            hazard(HazardId(nil)),
            hazard_actions(HazardId(nil)),
            TODAY.into(),
            NOTIFICATIONS.into(),
            notification_read(NotificationId(nil)),
            DASHBOARD.into(),
            STATS_QUARTER.into(),
            ROADS.into(),
            ROADS_ASSIGNMENTS.into(),
            ROADS_PAY_SHEET.into(),
            ROADS_MONTHS.into(),
            road_month_acts(OrgUnitId(nil)),
            road_signers(OrgUnitId(nil)),
            road_hours(OrgUnitId(nil)),
            road_pay_rules(OrgUnitId(nil)),
            ROADS_ROLLUP.into(),
            ROADS_CHECK_FORM.into(),
            ROADS_FUNDS.into(),
            ROADS_EXPORT.into(),
            ROADS_IMPORT.into(),
            road_segments(RoadId(nil)),
            SEGMENTS.into(),
            SEGMENTS_COVERAGE.into(),
            segment(SegmentId(nil)),
            PATROL_WORKERS_EXPORT.into(),
            PATROL_WORKERS_IMPORT.into(),
            patrol_worker(UserId(nil)),
            PATROLS.into(),
            PATROLS_MONTHS.into(),
            patrol(PatrolId(nil)),
            ROAD_CHECKS.into(),
            road_check(CheckId(nil)),
            road_check_score(CheckId(nil), SegmentId(nil)),
            road_check_not_checkable(CheckId(nil), SegmentId(nil)),
            road_check_station(CheckId(nil), OrgUnitId(nil)),
            road_check_publish(CheckId(nil)),
            road_check_ranking(CheckId(nil)),
            ROAD_ISSUES.into(),
            road_issue(RoadIssueId(nil)),
            road_issue_actions(RoadIssueId(nil)),
            road_issue_responsible(RoadIssueId(nil)),
            ROADSIDE_PARTIES.into(),
            ROADSIDE_PARTIES_EXPORT.into(),
            ROADSIDE_PARTIES_IMPORT.into(),
            roadside_party(RoadsidePartyId(nil)),
            ROAD_WORKS.into(),
            road_works_actions(WorksId(nil)),
            SYNC_PUSH.into(),
            SYNC_PULL.into(),
            attachment(SHA),
        ]
    }

    /// The paths of the committed API document (`{id}`-style templates).
    fn documented() -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_str(include_str!("../../docs/openapi.json")).unwrap();
        doc["paths"].as_object().expect("the document has paths").keys().cloned().collect()
    }

    /// `path` is `template` with each `{…}` segment filled by an id of [`every_path`] (the nil
    /// UUID or [`SHA`]); any other segment must be the template's own.
    fn fills(template: &str, path: &str) -> bool {
        let nil = Uuid::nil().to_string();
        let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len()
            && t.iter()
                .zip(&p)
                .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && (*p == nil || *p == SHA)))
    }

    #[test]
    fn every_path_is_the_servers() {
        let documented = documented();
        for path in every_path() {
            if path == OPENAPI {
                continue; // served next to the document, not described in it
            }
            assert!(documented.iter().any(|t| fills(t, &path)), "{path} is not in docs/openapi.json");
        }
    }

    #[test]
    fn every_documented_path_is_named_here() {
        let paths = every_path();
        for template in documented() {
            assert!(paths.iter().any(|p| fills(&template, p)), "{template} has no item in shared/src/api.rs");
        }
    }

    #[test]
    fn the_test_lists_every_item_once() {
        // Every `pub const …: &str` (but the prefix) and `pub fn … -> String` of this file.
        let items = include_str!("api.rs")
            .lines()
            .filter(|l| {
                (l.starts_with("pub const ") && l.contains(": &str") && !l.starts_with("pub const API_PREFIX"))
                    || (l.starts_with("pub fn ") && l.ends_with("-> String {"))
            })
            .count();
        let paths = every_path();
        assert_eq!(paths.len(), items, "every_path() misses an item of shared/src/api.rs");
        assert_eq!(paths.iter().collect::<BTreeSet<_>>().len(), paths.len(), "two items name one path");
    }

    #[test]
    fn a_path_the_server_lacks_is_caught() {
        let documented = documented();
        let nil = Uuid::nil();
        for bogus in [
            format!("{API_PREFIX}/hazard/{nil}"),
            format!("{API_PREFIX}/hazards/{nil}/action"),
            format!("{API_PREFIX}/hazards/bogus"),
            format!("{API_PREFIX}/hazards/{nil}/actions/{nil}"),
            "/api/v2/me".to_owned(),
        ] {
            assert!(!documented.iter().any(|t| fills(t, &bogus)), "{bogus} passed");
        }
    }

    #[test]
    fn ids_fill_their_segments() {
        let (check, segment) = (CheckId::new(), SegmentId::new());
        assert_eq!(road_check_score(check, segment), format!("/api/v1/road-checks/{check}/scores/{segment}"));
        assert_eq!(LOGIN, "/api/v1/auth/login");
        assert_eq!(HEALTHZ, "/healthz");
    }
}
