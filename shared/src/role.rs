//! Roles and what each may do in the county tree. The server enforces these rules; the client uses
//! them to show only the actions a user has.

use crate::org::OrgLevel;

/// A user's role. Every user has exactly one, bound to one org unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
pub enum Role {
    /// 网格员: inspects premises in a village or grid.
    GridWorker,
    /// 管护员: patrols rural roads.
    PatrolWorker,
    /// 乡镇消防安全委员会办公室: township ledger, deadlines, supervision, referrals.
    TownshipOffice,
    /// 乡镇交管站: manages patrol workers and road findings.
    RoadStation,
    /// 乡镇综合行政执法队: receives referred violations.
    Enforcement,
    /// 县消防救援大队: reviews escalations and major hazards county-wide.
    FireBrigade,
    /// 县级管理员 (交通运输局 / system administration): the whole county.
    CountyAdmin,
    /// 县公安局交警大队 (第八条: traffic order, no vehicles parked on the roads): receives the road
    /// issues referred to it and nothing else — a receiving-only role (`receives_only`).
    TrafficPolice,
}

crate::wire_name::wire_names!(Role, &Role::ALL);

/// The scope of a receiving-only role ([`Role::scope_path`]): ends with '/' like a unit's path,
/// starts with a character none has.
pub const NO_SCOPE: &str = "!none/";

impl Role {
    /// Every role.
    pub const ALL: [Role; 8] = [
        Self::GridWorker,
        Self::PatrolWorker,
        Self::TownshipOffice,
        Self::RoadStation,
        Self::Enforcement,
        Self::FireBrigade,
        Self::CountyAdmin,
        Self::TrafficPolice,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GridWorker => "grid_worker",
            Self::PatrolWorker => "patrol_worker",
            Self::TownshipOffice => "township_office",
            Self::RoadStation => "road_station",
            Self::Enforcement => "enforcement",
            Self::FireBrigade => "fire_brigade",
            Self::CountyAdmin => "county_admin",
            Self::TrafficPolice => "traffic_police",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The Chinese name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::GridWorker => "网格员",
            Self::PatrolWorker => "管护员",
            Self::TownshipOffice => "乡镇消防安全委员会办公室",
            Self::RoadStation => "乡镇交管站",
            Self::Enforcement => "乡镇综合行政执法队",
            Self::FireBrigade => "县消防救援大队",
            Self::CountyAdmin => "县级管理员",
            Self::TrafficPolice => "县公安局交警大队",
        }
    }

    /// The English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::GridWorker => "Grid worker",
            Self::PatrolWorker => "Road patrol worker",
            Self::TownshipOffice => "Township fire-safety office",
            Self::RoadStation => "Township road station",
            Self::Enforcement => "Township enforcement team",
            Self::FireBrigade => "County fire brigade",
            Self::CountyAdmin => "County administrator",
            Self::TrafficPolice => "County traffic police",
        }
    }

    /// The levels of unit a user of this role may be bound to.
    pub fn allowed_levels(self) -> &'static [OrgLevel] {
        match self {
            Self::GridWorker => &[OrgLevel::Village, OrgLevel::Grid],
            Self::PatrolWorker => &[OrgLevel::Township, OrgLevel::Village],
            Self::TownshipOffice | Self::RoadStation | Self::Enforcement => &[OrgLevel::Township],
            Self::FireBrigade | Self::CountyAdmin | Self::TrafficPolice => &[OrgLevel::County],
        }
    }

    /// The roles whose accounts this role may create, change and disable (inside its scope).
    pub fn manageable_roles(self) -> &'static [Role] {
        match self {
            Self::CountyAdmin => &Self::ALL,
            Self::TownshipOffice => &[Self::GridWorker],
            Self::RoadStation => &[Self::PatrolWorker],
            _ => &[],
        }
    }

    /// Whether this role may manage accounts of `target`.
    pub fn can_manage_role(self, target: Role) -> bool {
        self.manageable_roles().contains(&target)
    }

    /// Whether this role may list accounts in its scope.
    pub fn can_view_accounts(self) -> bool {
        !self.manageable_roles().is_empty() || self == Self::FireBrigade
    }

    /// Whether this role may register and edit premises in the ledger (inside its scope).
    pub fn can_edit_premises(self) -> bool {
        matches!(self, Self::GridWorker | Self::TownshipOffice | Self::CountyAdmin)
    }

    /// Whether this role inspects premises with the checklists.
    pub fn can_inspect(self) -> bool {
        matches!(self, Self::GridWorker | Self::TownshipOffice)
    }

    /// Whether this role publishes checklist templates.
    pub fn can_publish_templates(self) -> bool {
        self == Self::CountyAdmin
    }

    /// Whether this role keeps the road register (roads: the county; segments and patrol workers'
    /// files: the county and the township road station).
    pub fn can_manage_roads(self) -> bool {
        matches!(self, Self::CountyAdmin | Self::RoadStation)
    }

    /// Whether this role runs the county's road checks, ranking and fund allocation (县交通运输局).
    pub fn runs_road_checks(self) -> bool {
        self == Self::CountyAdmin
    }

    /// A receiving-only role sees no unit's records: its scope is nothing (the server gives it a
    /// scope path no unit has, so every list, dashboard and sync pull gated by scope is empty for it),
    /// and it is granted only the records referred to it and those it has worked on
    /// (docs/roads.md, "Police referral").
    pub fn receives_only(self) -> bool {
        self == Self::TrafficPolice
    }

    /// The scope path a user of this role bound at the unit with `unit_path` acts in: that path,
    /// or for a receiving-only role [`NO_SCOPE`], which no unit's path starts with — so every read
    /// gated by scope (lists, dashboards, statistics, the sync pull, photos) gives it nothing.
    pub fn scope_path(self, unit_path: String) -> String {
        if self.receives_only() {
            NO_SCOPE.to_owned()
        } else {
            unit_path
        }
    }

    /// Whether this role may create, rename and deactivate org units below its own unit.
    pub fn can_manage_units(self) -> bool {
        matches!(self, Self::CountyAdmin | Self::TownshipOffice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_have_labels() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
            assert!(!r.label_zh().is_empty() && !r.label_en().is_empty());
            assert!(!r.allowed_levels().is_empty());
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn a_receiving_only_role_has_no_scope() {
        let county = "/a1/".to_owned();
        assert_eq!(Role::TrafficPolice.scope_path(county.clone()), NO_SCOPE);
        assert!(!crate::org::is_within(NO_SCOPE, "/a1/b2/") && !crate::org::is_within(NO_SCOPE, "/"));
        for r in Role::ALL.into_iter().filter(|r| !r.receives_only()) {
            assert_eq!(r.scope_path(county.clone()), county, "{r:?}");
        }
        assert!(Role::ALL.iter().all(|r| !r.receives_only() || r.manageable_roles().is_empty()));
    }

    #[test]
    fn county_wide_roles_sit_on_the_county() {
        assert_eq!(Role::FireBrigade.allowed_levels(), &[OrgLevel::County]);
        assert_eq!(Role::CountyAdmin.allowed_levels(), &[OrgLevel::County]);
        assert!(!Role::GridWorker.allowed_levels().contains(&OrgLevel::County));
    }

    #[test]
    fn only_admins_and_offices_manage_and_never_upwards() {
        assert!(Role::CountyAdmin.can_manage_role(Role::FireBrigade));
        assert!(Role::TownshipOffice.can_manage_role(Role::GridWorker));
        assert!(!Role::TownshipOffice.can_manage_role(Role::CountyAdmin));
        assert!(!Role::TownshipOffice.can_manage_role(Role::TownshipOffice));
        assert!(Role::RoadStation.can_manage_role(Role::PatrolWorker));
        for r in [Role::GridWorker, Role::PatrolWorker, Role::Enforcement, Role::FireBrigade] {
            assert!(Role::ALL.iter().all(|t| !r.can_manage_role(*t)), "{r:?}");
            assert!(!r.can_manage_units());
        }
        assert!(Role::FireBrigade.can_view_accounts());
        assert!(!Role::GridWorker.can_view_accounts());
    }
}
