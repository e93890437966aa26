//! Reports for the office: the quarterly joint-meeting statistics (联席会议) and the hazard list as
//! a file. Counting happens in SQL, grouped by grid; grids are then summed into the rows here.

use super::ledger::{file_date, Download};
use super::ledger_io::{self, Cell, FileFormat, Sheet};
use crate::auth::AuthUser;
use crate::db::hazards as hazard_rows;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::{from_millis, stats as queries, DbConn};
use crate::error::AppError;
use crate::services::hazards::HazardQuery;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use xunjian_shared::cadence::Cadence;
use xunjian_shared::checklist::HazardCategory;
use xunjian_shared::hazard::{ActionKind, ReferralTarget};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::stats::{self, inspections_due, quarter_bounds, QuarterCounts, QuarterRow, QuarterStats};
use xunjian_shared::time::{china_date, in_china};
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId};

/// Most hazards one export holds.
pub const MAX_HAZARD_EXPORT: i64 = 10_000;

/// What a quarterly report asks for.
pub struct QuarterRequest {
    /// The county, a township or a village (default: the caller's own unit).
    pub org_unit_id: Option<OrgUnitId>,
    pub year: i32,
    pub quarter: u32,
}

/// The name a hazard event is stored under (the action kind's wire name).
fn action_name(kind: ActionKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The unit asked for (inside the caller's scope), or the caller's own.
fn unit_in_scope(conn: &mut DbConn, user: &AuthUser, id: Option<OrgUnitId>) -> Result<OrgUnitRow, AppError> {
    org_units::find(conn, id.unwrap_or(user.org_unit_id))?
        .filter(|u| user.can_see(&u.path))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "org_unit_id"))
}

fn compute(
    conn: &mut DbConn,
    user: &AuthUser,
    req: &QuarterRequest,
    bounds: [DateTime<Utc>; 4],
    cadence: &Cadence,
) -> Result<QuarterStats, AppError> {
    let unit = unit_in_scope(conn, user, req.org_unit_id)?;
    let level = unit.level()?;
    if level.child().is_none() {
        return Err(AppError::validation("org_unit_id", "a grid has no units below it; ask for its village"));
    }
    let units = org_units::list_within(conn, &unit.path, None, None)?;
    let children: Vec<&OrgUnitRow> =
        units.iter().filter(|u| u.parent_id.as_deref() == Some(unit.id.as_str())).collect();
    // Every grid belongs to the row of the child whose subtree holds it.
    let row_of: HashMap<&str, usize> = units
        .iter()
        .filter(|u| u.level == OrgLevel::Grid.as_str())
        .filter_map(|g| children.iter().position(|c| g.path.starts_with(&c.path)).map(|i| (g.id.as_str(), i)))
        .collect();
    let [from, month1, month2, to] = bounds.map(|t| t.timestamp_millis());
    let path = unit.path.as_str();
    let mut counts = vec![QuarterCounts::default(); children.len()];
    let at = |grid: &str| row_of.get(grid).copied();

    let mut registered: HashMap<(usize, String), [i64; 3]> = HashMap::new();
    for (k, before) in [month1, month2, to].into_iter().enumerate() {
        for (grid, kind, n) in queries::premises_before(conn, path, before)? {
            if let Some(i) = at(&grid) {
                registered.entry((i, kind)).or_default()[k] += n;
            }
        }
    }
    for ((i, kind), before) in registered {
        let months = PremiseType::parse(&kind).map_or(1, |t| cadence.months_for(t));
        counts[i].premises += before[2];
        counts[i].inspections_due += inspections_due(months, req.quarter, before);
    }
    for (grid, n) in queries::inspections_done(conn, path, from, to)? {
        if let Some(i) = at(&grid) {
            counts[i].inspections_done += n;
        }
    }
    for (grid, category, n) in queries::hazards_found(conn, path, from, to)? {
        if let Some(i) = at(&grid) {
            counts[i].hazards_found += n;
            if let Some(c) = HazardCategory::parse(&category) {
                counts[i].add_found(c, n);
            }
        }
    }
    let kinds = [ActionKind::FixOnSpot, ActionKind::RecheckPass, ActionKind::MarkOverdue, ActionKind::Refer];
    let names: Vec<String> = kinds.iter().map(|k| action_name(*k)).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for (grid, action, n) in queries::hazards_with_action(conn, path, &name_refs, from, to)? {
        let Some(i) = at(&grid) else { continue };
        let c = &mut counts[i];
        match names.iter().position(|x| *x == action).map(|k| kinds[k]) {
            Some(ActionKind::FixOnSpot) => c.fixed_on_spot += n,
            Some(ActionKind::RecheckPass) => c.rectified += n,
            Some(ActionKind::MarkOverdue) => c.overdue += n,
            Some(ActionKind::Refer) => c.referred += n,
            _ => {}
        }
    }
    for (grid, n) in queries::open_at(conn, path, to)? {
        if let Some(i) = at(&grid) {
            counts[i].open_at_end += n;
        }
    }

    let mut total = QuarterCounts::default();
    let mut rows = Vec::with_capacity(children.len());
    for (child, c) in children.iter().zip(counts) {
        total.add(&c);
        rows.push(QuarterRow {
            unit_id: child.id.parse().map_err(AppError::internal)?,
            code: child.code.clone(),
            name: child.name.clone(),
            counts: c,
        });
    }
    Ok(QuarterStats {
        unit_id: unit.id.parse().map_err(AppError::internal)?,
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        level,
        year: req.year,
        quarter: req.quarter,
        from: bounds[0],
        to: bounds[3],
        rows,
        total,
    })
}

/// The quarterly statistics of a unit, one row per unit directly below it, and the total.
pub async fn quarter(state: &AppState, user: &AuthUser, req: QuarterRequest) -> Result<QuarterStats, AppError> {
    if !stats::may_view(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let bounds = quarter_bounds(req.year, req.quarter)
        .ok_or_else(|| AppError::with_detail(ErrorCode::InvalidParameter, "quarter is 1 to 4 and year 2000 to 2100"))?;
    let user = user.clone();
    let cadence = state.cadence.clone();
    state.db.read(move |conn| compute(conn, &user, &req, bounds, &cadence)).await
}

fn counts_cells(c: &QuarterCounts) -> Vec<Cell> {
    let mut cells: Vec<Cell> = vec![
        c.premises.into(),
        c.inspections_due.into(),
        c.inspections_done.into(),
        c.completion_pct().into(),
        c.hazards_found.into(),
        c.fixed_on_spot.into(),
        c.rectified.into(),
        c.overdue.into(),
        c.referred.into(),
        c.open_at_end.into(),
    ];
    cells.extend(c.by_category.iter().map(|x| Cell::from(x.count)));
    cells
}

/// The statistics as a printable workbook: title, period, one row per unit, the total in bold.
pub async fn quarter_xlsx(state: &AppState, s: QuarterStats) -> Result<Download, AppError> {
    let below = s.level.child().map_or("单位", |l| if l == OrgLevel::Village { "村(社区)" } else { l.label_zh() });
    let mut headers: Vec<String> = [
        below,
        "场所数",
        "应检次数",
        "已检次数",
        "完成率(%)",
        "发现隐患",
        "当场改正",
        "复查合格",
        "逾期督办",
        "移交查处",
        "季末未销号",
    ]
    .map(String::from)
    .to_vec();
    headers.extend(HazardCategory::ALL.iter().map(|c| c.label_zh().to_owned()));
    let mut widths = vec![14.0];
    widths.extend(std::iter::repeat_n(9.0, headers.len() - 1));
    let last_day = s.to - chrono::Duration::days(1);
    let mut rows: Vec<Vec<Cell>> = s
        .rows
        .iter()
        .map(|r| std::iter::once(Cell::from(r.name.as_str())).chain(counts_cells(&r.counts)).collect())
        .collect();
    rows.push(std::iter::once(Cell::from("合计")).chain(counts_cells(&s.total)).collect());
    let sheet = Sheet {
        name: format!("{}年第{}季度", s.year, s.quarter),
        title: Some(s.title_zh()),
        subtitle: Some(format!(
            "统计时段：{} 至 {}（北京时间）    制表日期：{}",
            china_date(s.from),
            china_date(last_day),
            file_date(state)
        )),
        headers,
        widths,
        bold_rows: vec![rows.len() - 1],
        rows,
        landscape: true,
    };
    let filename = format!("stats-{}-{}Q{}.xlsx", s.unit_code, s.year, s.quarter);
    let bytes = crate::db::run_blocking(move || ledger_io::to_xlsx(&sheet)).await?;
    Ok(Download { filename, content_type: FileFormat::Xlsx.content_type(), bytes, total: None })
}

fn referral_label(r: Option<ReferralTarget>) -> String {
    r.map_or_else(String::new, |t| t.role().label_zh().to_owned())
}

/// The hazards a list query matches (newest first, at most [`MAX_HAZARD_EXPORT`]) as a file.
pub async fn export_hazards(
    state: &AppState,
    user: &AuthUser,
    q: HazardQuery,
    format: FileFormat,
) -> Result<Download, AppError> {
    if !stats::may_export_hazards(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    let now = state.now_ms();
    let (unit, rows, labels, total) = state
        .db
        .read(move |conn| {
            let unit = unit_in_scope(conn, &user, q.org_unit_id)?;
            // The same filters as GET /api/v1/hazards (services::hazards::list).
            let f = HazardQuery { limit: MAX_HAZARD_EXPORT, offset: 0, ..q }.filter(unit.path.clone(), now);
            let hazard_rows::Listing { rows, total, .. } = hazard_rows::list(conn, &f)?;
            let ids: Vec<String> = rows.iter().map(|r| r.premise_id.to_string()).collect();
            let labels: HashMap<String, (String, String)> =
                queries::premise_labels(conn, &ids)?.into_iter().map(|(id, n, a)| (id, (n, a))).collect();
            Ok((unit, rows, labels, total))
        })
        .await?;
    let mut lines: Vec<Vec<Cell>> = rows
        .iter()
        .map(|h| {
            let (name, address) = labels.get(&h.premise_id.to_string()).cloned().unwrap_or_default();
            vec![
                name.into(),
                address.into(),
                h.category.label_zh().to_owned().into(),
                h.severity.label_zh().to_owned().into(),
                h.status.label_zh().to_owned().into(),
                in_china(from_millis(h.created_at)).format("%Y-%m-%d %H:%M").to_string().into(),
                h.deadline
                    .map_or(Cell::Empty, |d| in_china(from_millis(d)).format("%Y-%m-%d %H:%M").to_string().into()),
                referral_label(h.referred_to).into(),
            ]
        })
        .collect();
    if total > MAX_HAZARD_EXPORT {
        lines.push(vec![format!("共 {total} 条，仅导出最新的 {MAX_HAZARD_EXPORT} 条；请缩小筛选范围").into()]);
    }
    let sheet = Sheet {
        name: "隐患清单".into(),
        headers: ["场所", "地址", "类别", "等级", "状态", "登记时间", "期限", "移交至"].map(String::from).to_vec(),
        widths: vec![24.0, 30.0, 14.0, 8.0, 14.0, 17.0, 17.0, 20.0],
        rows: lines,
        ..Default::default()
    };
    let filename = format!("hazards-{}-{}.{}", unit.code, file_date(state), format.extension());
    let bytes = crate::db::run_blocking(move || match format {
        FileFormat::Csv => ledger_io::to_csv(&sheet),
        FileFormat::Xlsx => ledger_io::to_xlsx(&sheet),
    })
    .await?;
    Ok(Download { filename, content_type: format.content_type(), bytes, total: Some(total) })
}
