//! `xunjian demo`: Linyi County (临猗县) with its 14 townships, a few villages and grids in each,
//! and one account per role. Idempotent: what exists is kept.

use crate::auth::password;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::{users, Db};
use crate::error::AppError;
use crate::services::users::create_blocking;
use xunjian_shared::org::{child_path, OrgLevel};
use xunjian_shared::user::CreateUser;
use xunjian_shared::{OrgUnitId, Role};

/// The password of every demo account; printed by the command, for trying the system only.
pub const DEMO_PASSWORD: &str = "xunjian2026";

/// The county's code and name. Township codes below are demo codes in the statistical style.
const COUNTY: (&str, &str) = ("140821", "临猗县");

/// The 14 townships named in the county gazette (2023 no. 1).
pub const TOWNSHIPS: [&str; 14] = [
    "猗氏镇",
    "牛杜镇",
    "楚侯乡",
    "嵋阳镇",
    "庙上乡",
    "临晋镇",
    "七级镇",
    "东张镇",
    "角杯镇",
    "孙吉镇",
    "北辛乡",
    "耽子镇",
    "北景乡",
    "三管镇",
];

const VILLAGES: [&str; 6] = ["东街村", "西街村", "南关村", "北关村", "新庄村", "王庄村"];
const GRIDS: [&str; 2] = ["第一网格", "第二网格"];

/// One demo account: username, real name, role, code of its unit.
pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub org_code: &'static str,
}

/// The accounts `demo` creates (猗氏镇 = 140821100, its first grid = 140821100001-01).
pub const ACCOUNTS: [DemoAccount; 8] = [
    DemoAccount {
        username: "admin",
        display_name: "县级管理员",
        role: Role::CountyAdmin,
        org_code: "140821",
    },
    DemoAccount {
        username: "brigade",
        display_name: "消防救援大队",
        role: Role::FireBrigade,
        org_code: "140821",
    },
    DemoAccount {
        username: "yishi.office",
        display_name: "猗氏镇消安委办",
        role: Role::TownshipOffice,
        org_code: "140821100",
    },
    DemoAccount {
        username: "yishi.road",
        display_name: "猗氏镇交管站",
        role: Role::RoadStation,
        org_code: "140821100",
    },
    DemoAccount {
        username: "yishi.enforce",
        display_name: "猗氏镇执法队",
        role: Role::Enforcement,
        org_code: "140821100",
    },
    DemoAccount {
        username: "yishi.grid",
        display_name: "张网格",
        role: Role::GridWorker,
        org_code: "140821100001-01",
    },
    DemoAccount {
        username: "yishi.patrol",
        display_name: "李管护",
        role: Role::PatrolWorker,
        org_code: "140821100",
    },
    DemoAccount {
        username: "niudu.office",
        display_name: "牛杜镇消安委办",
        role: Role::TownshipOffice,
        org_code: "140821101",
    },
];

fn unit(
    code: String,
    name: String,
    level: OrgLevel,
    parent: Option<&OrgUnitRow>,
    now: i64,
) -> OrgUnitRow {
    let id = OrgUnitId::new();
    OrgUnitRow {
        id: id.to_string(),
        code,
        name,
        level: level.as_str().into(),
        parent_id: parent.map(|p| p.id.clone()),
        path: child_path(parent.map(|p| p.path.as_str()), id),
        active: true,
        created_at: now,
        updated_at: now,
    }
}

/// Loads the demo tree and accounts; returns (units created, accounts created).
pub fn load(db: &Db, now: i64) -> Result<(usize, usize), AppError> {
    let units = db.write_blocking(|conn| {
        if org_units::find_by_code(conn, COUNTY.0)?.is_some() {
            return Ok(0);
        }
        let county = unit(
            COUNTY.0.into(),
            COUNTY.1.into(),
            OrgLevel::County,
            None,
            now,
        );
        org_units::insert(conn, &county)?;
        let mut n = 1;
        for (t, tname) in TOWNSHIPS.iter().enumerate() {
            let town = unit(
                format!("{}{}", COUNTY.0, 100 + t),
                (*tname).into(),
                OrgLevel::Township,
                Some(&county),
                now,
            );
            org_units::insert(conn, &town)?;
            n += 1;
            for v in 0..3 {
                let vname = VILLAGES[(t + v) % VILLAGES.len()];
                let village = unit(
                    format!("{}{:03}", town.code, v + 1),
                    vname.into(),
                    OrgLevel::Village,
                    Some(&town),
                    now,
                );
                org_units::insert(conn, &village)?;
                n += 1;
                for (g, gname) in GRIDS.iter().enumerate() {
                    let grid = unit(
                        format!("{}-{:02}", village.code, g + 1),
                        (*gname).into(),
                        OrgLevel::Grid,
                        Some(&village),
                        now,
                    );
                    org_units::insert(conn, &grid)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    })?;
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut accounts = 0;
    for a in &ACCOUNTS {
        accounts += db.write_blocking(|conn| {
            if users::find_by_username(conn, a.username)?.is_some() {
                return Ok(0);
            }
            let org = org_units::find_by_code(conn, a.org_code)?.ok_or_else(|| {
                AppError::validation("org", format!("unit {} missing", a.org_code))
            })?;
            let req = CreateUser {
                username: a.username.into(),
                display_name: a.display_name.into(),
                role: a.role,
                org_unit_id: org.id.parse().map_err(AppError::internal)?,
                phone: None,
                password: DEMO_PASSWORD.into(),
            };
            create_blocking(conn, None, &req, hash.clone(), now).map(|_| 1)
        })?;
    }
    Ok((units, accounts))
}
