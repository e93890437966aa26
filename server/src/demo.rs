//! `xunjian demo`: Linyi County (临猗县) with its 14 townships, a few villages and grids in each,
//! one account per role, the default checklists and four premises in every grid. Idempotent: what
//! exists is kept.

use crate::auth::password;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::premises::{self, PremiseRow};
use crate::db::{users, Db};
use crate::error::AppError;
use crate::services::users::create_blocking;
use xunjian_shared::org::{child_path, OrgLevel};
use xunjian_shared::premise::{GeoPoint, Premise, PremiseType};
use xunjian_shared::user::CreateUser;
use xunjian_shared::{OrgUnitId, PremiseId, Role};

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
pub const ACCOUNTS: [DemoAccount; 11] = [
    DemoAccount { username: "admin", display_name: "县级管理员", role: Role::CountyAdmin, org_code: "140821" },
    DemoAccount {
        username: "brigade", display_name: "消防救援大队", role: Role::FireBrigade, org_code: "140821"
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
        username: "yishi.grid", display_name: "张网格", role: Role::GridWorker, org_code: "140821100001-01"
    },
    DemoAccount {
        username: "yishi.patrol", display_name: "李管护", role: Role::PatrolWorker, org_code: "140821100"
    },
    DemoAccount {
        username: "niudu.office",
        display_name: "牛杜镇消安委办",
        role: Role::TownshipOffice,
        org_code: "140821101",
    },
    DemoAccount {
        username: "yishi.patrol2", display_name: "王管护", role: Role::PatrolWorker, org_code: "140821100"
    },
    DemoAccount {
        username: "niudu.patrol", display_name: "赵管护", role: Role::PatrolWorker, org_code: "140821101"
    },
    DemoAccount {
        username: "police", display_name: "县公安局交警大队", role: Role::TrafficPolice, org_code: "140821"
    },
];

fn unit(code: String, name: String, level: OrgLevel, parent: Option<&OrgUnitRow>, now: i64) -> OrgUnitRow {
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

/// Demo premises per grid: (name pattern, type, address pattern, responsible person).
const PREMISES: [(&str, PremiseType, &str, &str); 4] = [
    ("{v}便民超市", PremiseType::StreetShop, "{t}{v}主街{n}号", "王建国"),
    ("{v}木器加工作坊", PremiseType::FamilyWorkshop, "{t}{v}南巷{n}号", "李秀英"),
    ("{v}{g}村民楼院", PremiseType::Residential, "{t}{v}{g}", "张德胜"),
    ("{v}小餐馆", PremiseType::SmallVenue, "{t}{v}东口{n}号", "赵春花"),
];

/// Puts the demo premises into every demo grid (skipped when the grid already has premises).
fn load_premises(db: &Db, now: i64) -> Result<usize, AppError> {
    db.write_blocking(|conn| {
        let county =
            org_units::find_by_code(conn, COUNTY.0)?.ok_or_else(|| AppError::validation("demo", "no county"))?;
        let grids = org_units::list_within(conn, &county.path, Some(OrgLevel::Grid), None)?;
        let ids: Vec<OrgUnitId> = grids.iter().filter_map(|g| g.id.parse().ok()).collect();
        if !premises::in_grids(conn, &ids)?.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        for (gi, grid) in grids.iter().enumerate() {
            let chain = org_units::chain(conn, &grid.path)?;
            let (town, village) = (&chain[1].name, &chain[2].name);
            for (pi, (name, kind, addr, person)) in PREMISES.iter().enumerate() {
                let fill = |s: &str| {
                    s.replace("{t}", town)
                        .replace("{v}", village)
                        .replace("{g}", &grid.name)
                        .replace("{n}", &(pi * 7 + gi % 30 + 1).to_string())
                };
                // Around Linyi county town (35.14 N, 110.77 E), a few hundred metres apart.
                let p = Premise {
                    id: PremiseId::new(),
                    grid_id: grid.id.parse().map_err(AppError::internal)?,
                    name: fill(name),
                    premise_type: *kind,
                    address: fill(addr),
                    location: Some(GeoPoint {
                        lat: 35.05 + gi as f64 * 0.004,
                        lon: 110.62 + pi as f64 * 0.003,
                        accuracy_m: Some(10.0),
                    }),
                    responsible_person: (*person).into(),
                    responsible_phone: Some(format!("1380359{:04}", gi * 4 + pi)),
                    notes: String::new(),
                    active: true,
                    version: 1,
                };
                let row = PremiseRow::from_dto(&p, None, now, now);
                premises::insert(conn, &row)?;
                crate::db::changes::scoped(conn, crate::db::changes::Kind::Premise, &row.id, &grid.path, now)?;
                premises::record_history(conn, &row.id, 1, None, now, &serde_json::json!({ "created": p }))?;
                n += 1;
            }
        }
        Ok(n)
    })
}

/// What `load` created (existing records are kept and not counted).
#[derive(Debug, PartialEq, Eq)]
pub struct Loaded {
    pub units: usize,
    pub accounts: usize,
    pub premises: usize,
}

/// Loads the demo tree, accounts and premises.
pub fn load(db: &Db, now: i64) -> Result<Loaded, AppError> {
    let units = db.write_blocking(|conn| {
        if org_units::find_by_code(conn, COUNTY.0)?.is_some() {
            return Ok(0);
        }
        let county = unit(COUNTY.0.into(), COUNTY.1.into(), OrgLevel::County, None, now);
        crate::services::org::insert_unit(conn, &county)?;
        let mut n = 1;
        for (t, tname) in TOWNSHIPS.iter().enumerate() {
            let town =
                unit(format!("{}{}", COUNTY.0, 100 + t), (*tname).into(), OrgLevel::Township, Some(&county), now);
            crate::services::org::insert_unit(conn, &town)?;
            n += 1;
            for v in 0..3 {
                let vname = VILLAGES[(t + v) % VILLAGES.len()];
                let village =
                    unit(format!("{}{:03}", town.code, v + 1), vname.into(), OrgLevel::Village, Some(&town), now);
                crate::services::org::insert_unit(conn, &village)?;
                n += 1;
                for (g, gname) in GRIDS.iter().enumerate() {
                    let grid = unit(
                        format!("{}-{:02}", village.code, g + 1),
                        (*gname).into(),
                        OrgLevel::Grid,
                        Some(&village),
                        now,
                    );
                    crate::services::org::insert_unit(conn, &grid)?;
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
            let org = org_units::find_by_code(conn, a.org_code)?
                .ok_or_else(|| AppError::validation("org", format!("unit {} missing", a.org_code)))?;
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
    // The county's default checklists (also published at every server start when missing).
    db.write_blocking(|conn| crate::services::templates::ensure_defaults(conn, now))?;
    let premises = load_premises(db, now)?;
    crate::demo_roads::load(db, now)?;
    Ok(Loaded { units, accounts, premises })
}
