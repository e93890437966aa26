//! The data every part starts from: the demo county, a 12-item street-shop checklist, and the grid
//! workers who push, pull and sync (each bound to a grid of their own, with premises in it).

use super::env::Env;
use super::{BenchError, Sizes};
use crate::auth::{password, AuthUser};
use crate::db::{org_units, premises, templates, users, Db, DbConn};
use crate::error::AppError;
use crate::services;
use chrono::Utc;
use std::collections::HashMap;
use xunjian_shared::checklist::Template;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::premise::{GeoPoint, Premise, PremiseType};
use xunjian_shared::user::CreateUser;
use xunjian_shared::{OrgUnitId, PremiseId, Role};

/// Items dropped from the default street-shop checklist to make the issue's 12-answer inspection:
/// the free-text remark and two of the thirteen hazard items.
const DROPPED_ITEMS: [&str; 3] = ["remarks", "fireworks-fuel-storage", "window-bars-escape"];

/// Premises put into the push and pull grids (a busy village grid has a few hundred).
const GRID_PREMISES: usize = 200;

/// A grid worker as the bench drives them.
pub struct Worker {
    pub user: AuthUser,
    pub token: String,
    pub premises: Vec<Premise>,
}

/// What `load` made.
pub struct Fixture {
    /// The latest checklist per premise type (street shops: the 12-item version).
    pub templates: HashMap<PremiseType, Template>,
    /// `yishi.grid`, with 200 street shops in the grid.
    pub push: Worker,
    /// A worker of another grid whose first sync the pull part measures (200 street shops).
    pub pull: Worker,
    /// One worker per simulated phone, each in a grid of their own with the demo's four premises.
    pub phones: Vec<Worker>,
}

impl Fixture {
    /// The checklist for a premise.
    pub fn template(&self, p: &Premise) -> &Template {
        &self.templates[&p.premise_type]
    }

    /// Loads the demo county and the bench's accounts and premises.
    pub fn load(env: &Env, sizes: &Sizes) -> Result<Fixture, BenchError> {
        let db = env.open_db()?;
        let now = Utc::now().timestamp_millis();
        db.write_blocking(|c| services::templates::ensure_defaults(c, now))?;
        crate::demo::load(&db, now)?;
        db.write_blocking(|c| {
            let mut shop = xunjian_shared::checklist::defaults::default_templates()
                .into_iter()
                .find(|t| t.premise_type == PremiseType::StreetShop)
                .ok_or_else(|| AppError::validation("template", "no street-shop checklist"))?;
            shop.items.retain(|i| !DROPPED_ITEMS.contains(&i.id.as_str()));
            shop.title = format!("{}（12项）", shop.title);
            crate::services::templates::publish_in(c, &shop, None, now)
        })?;
        let templates = templates::latest(&mut *db.conn()?)?
            .iter()
            .map(|r| r.to_dto().map(|t| (t.content.premise_type, t)))
            .collect::<Result<HashMap<_, _>, _>>()?;
        let keys = env.keys();
        let worker = |db: &Db, id: &str, premises: Vec<Premise>| -> Result<Worker, BenchError> {
            let (row, path) = users::find_with_path(&mut *db.conn()?, id.parse()?)?.ok_or("user vanished")?;
            let user = AuthUser {
                id: row.user_id()?,
                role: row.role()?,
                org_unit_id: row.org_unit_id.parse()?,
                scope_path: path,
            };
            let now = chrono::Utc::now().timestamp_millis();
            let day = 86_400_000;
            let (sid, _) = db.write_blocking(|c| services::auth::open_session(c, &row.id, None, now, day, day))?;
            let token = keys.issue(&row.id, &row.role, &row.org_unit_id, &user.scope_path, &sid)?;
            Ok(Worker { user, token, premises })
        };

        let grid_worker = users::find_by_username(&mut *db.conn()?, "yishi.grid")?.ok_or("demo account yishi.grid")?;
        let grids: Vec<_> = org_units::list_within(&mut *db.conn()?, "/", Some(OrgLevel::Grid), None)?
            .into_iter()
            .filter(|g| g.id != grid_worker.org_unit_id)
            .collect();
        if grids.len() < 1 + sizes.phones {
            return Err(format!("the demo county has {} free grids, {} needed", grids.len(), 1 + sizes.phones).into());
        }
        let hash = password::hash(crate::demo::DEMO_PASSWORD)?;
        let add_user = |name: String, grid: &org_units::OrgUnitRow| -> Result<String, AppError> {
            let req = CreateUser {
                username: name.clone(),
                display_name: name,
                role: Role::GridWorker,
                org_unit_id: grid.id.parse().map_err(AppError::internal)?,
                phone: None,
                password: crate::demo::DEMO_PASSWORD.into(),
            };
            let u = db.write_blocking(|c| services::users::create_blocking(c, None, &req, hash.clone(), now))?;
            Ok(u.id.to_string())
        };
        let pull_id = add_user("bench.pull".into(), &grids[0])?;
        let phone_ids = (0..sizes.phones)
            .map(|i| add_user(format!("bench.phone{:02}", i + 1), &grids[1 + i]))
            .collect::<Result<Vec<_>, _>>()?;

        let push = worker(&db, &grid_worker.id, vec![])?;
        let push_premises = add_shops(&db, &push.user, now)?;
        let push = Worker { premises: push_premises, ..push };
        let pull = worker(&db, &pull_id, vec![])?;
        let pull_premises = add_shops(&db, &pull.user, now)?;
        let pull = Worker { premises: pull_premises, ..pull };
        let mut phones = Vec::with_capacity(phone_ids.len());
        for id in &phone_ids {
            let w = worker(&db, id, vec![])?;
            let ps = premises::in_grids(&mut *db.conn()?, &[w.user.org_unit_id])?
                .iter()
                .map(|r| r.to_dto())
                .collect::<Result<Vec<_>, _>>()?;
            phones.push(Worker { premises: ps, ..w });
        }
        Ok(Fixture { templates, push, pull, phones })
    }
}

/// Registers the grid's street shops, as a worker does on their first rounds.
fn add_shops(db: &Db, user: &AuthUser, now: i64) -> Result<Vec<Premise>, AppError> {
    let grid: OrgUnitId = user.org_unit_id;
    let shops: Vec<Premise> = (0..GRID_PREMISES)
        .map(|n| Premise {
            id: PremiseId::new(),
            grid_id: grid,
            name: format!("第{}号便民商店", n + 1),
            premise_type: PremiseType::StreetShop,
            address: format!("主街{}号", n + 1),
            location: Some(GeoPoint {
                lat: 35.14 + (n % 20) as f64 * 0.0004,
                lon: 110.77 + (n / 20) as f64 * 0.0004,
                accuracy_m: Some(8.0),
            }),
            responsible_person: "王建国".into(),
            responsible_phone: Some(format!("1380359{:04}", n)),
            notes: String::new(),
            active: true,
            version: 1,
        })
        .collect();
    db.write_blocking(|c: &mut DbConn| {
        for p in &shops {
            services::premises::insert_new(c, user, p, now)?;
        }
        Ok(())
    })?;
    Ok(shops)
}
