//! The road screens of the township road station and the county: road issues, patrol records with
//! their tracks, works filings, the monthly random check and its ranking, pay and funds.

pub mod check;
pub mod check_form;
pub mod checks;
pub mod funds;
pub mod issue;
pub mod issue_form;
pub mod issues;
pub mod month_close;
pub mod patrol;
pub mod patrols;
pub mod pay;
pub mod pay_rules;
pub mod register;
pub mod roadside;
pub mod rollup;
pub mod station_scores;
mod track_svg;
pub mod works;

use crate::ctx::Ctx;
use xunjian_shared::org::OrgLevel;

/// The townships this user can pick (the county's, or just their own).
pub fn townships(ctx: &Ctx) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = ctx
        .world
        .org_units
        .iter()
        .map(|u| &u.value)
        .filter(|u| u.level == OrgLevel::Township && u.active)
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    out.sort();
    out
}

/// The segments I may file or register on: my township's, or every one for the county.
pub fn my_segments(ctx: &Ctx) -> Vec<xunjian_shared::road::register::Segment> {
    let mine = my_township(ctx);
    ctx.world
        .segments
        .iter()
        .map(|s| &s.value)
        .filter(|s| mine.as_ref().is_none_or(|m| s.township_id.to_string() == *m))
        .cloned()
        .collect()
}

/// My township, when I belong to one.
pub fn my_township(ctx: &Ctx) -> Option<String> {
    ctx.me.org_chain.iter().find(|u| u.level == OrgLevel::Township).map(|u| u.id.to_string())
}
