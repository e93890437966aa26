//! The road register as office files (路线台账、管护员档案): roads with their segments, one line a
//! segment (`roads.rs`), the patrol workers' files (`workers.rs`) and the households along the roads
//! (`roadside.rs`, 第七条). The columns, how a cell is read,
//! the checks that need no database, and the import report. The server looks up townships and
//! accounts and writes.

mod roads;
mod roadside;
mod workers;

pub use roads::{
    new_road, ranges_overlap, read_road_row, road_changes, road_fields_differ, same_range, segment_km_error,
    RoadColumn, RoadFileRow, SegmentCells,
};
pub use roadside::{read_roadside_row, RoadsideColumn, RoadsideFileRow};
pub use workers::{read_worker_row, WorkerColumn, WorkerFileRow, MIN_WORKER_AGE};

use crate::ledger::RowError;
use crate::role::Role;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Who may import a roads file: the county admin (roads and segments anywhere) and the township
/// road station (segments and their workers in its township; the roads must be registered).
pub fn may_import_roads(role: Role) -> bool {
    role.can_manage_roads()
}

/// Who may register roads or change their name, level, length or responsible unit by file.
pub fn may_edit_roads(role: Role) -> bool {
    role == Role::CountyAdmin
}

/// Reads a kilometre figure: a number (7.5) or a stake number (K7+500).
pub fn parse_km(text: &str) -> Option<f64> {
    let t = text.trim();
    let v = match t.strip_prefix(['K', 'k']).and_then(|r| r.split_once('+')) {
        Some((km, m)) => {
            let km: u32 = km.trim().parse().ok()?;
            let m: f64 = m.trim().parse().ok()?;
            if !(0.0..1000.0).contains(&m) {
                return None;
            }
            f64::from(km) + m / 1000.0
        }
        None => t.parse::<f64>().ok()?,
    };
    v.is_finite().then_some(v)
}

/// The parts of a written date: 1970-06-01, 1970/6/1, 1970.6.1, 1970年6月1日, 19700601; a time after
/// a space (an Excel date cell) is dropped. The year comes first, with four digits.
fn date_parts(text: &str) -> Option<Vec<u32>> {
    let t = text.trim();
    let t = t.split_once(' ').map_or(t, |(d, _)| d);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let parts: Vec<&str> = match parts.as_slice() {
        [digits] if digits.len() == 8 || digits.len() == 6 => {
            let (y, rest) = digits.split_at(4);
            let (m, d) = rest.split_at(2);
            [y, m, d].into_iter().filter(|p| !p.is_empty()).collect()
        }
        _ => parts,
    };
    if parts.first().is_none_or(|y| y.len() != 4) || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    parts.iter().map(|p| p.parse().ok()).collect()
}

/// Reads a date: 1970-06-01, 1970/6/1, 1970.6.1, 1970年6月1日, 19700601 (a time after a space is dropped).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    match date_parts(text)?.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d),
        _ => None,
    }
}

/// Reads a month (2026-03, 2026年3月, or a whole date) as its first day.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    match date_parts(text)?.as_slice() {
        [y, m] => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, 1),
        [_, _, _] => parse_date(text).and_then(|d| d.with_day0(0)),
        _ => None,
    }
}

/// Reads a yes/no cell: 是/否, 有/无, 已签/未签, 已参保/未参保, yes/no, true/false, 1/0, √/×. A blank
/// cell is no.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "否" | "无" | "没有" | "未签" | "未签订" | "未参保" | "no" | "n" | "false" | "0" | "×" | "✗" => {
            Some(false)
        }
        "是" | "有" | "已签" | "已签订" | "已参保" | "yes" | "y" | "true" | "1" | "√" | "✓" => Some(true),
        _ => None,
    }
}

/// How a yes/no is written in an export.
pub fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// The Chinese for a worker-file flag of [`super::register::worker_flags`] (and `no_file`).
pub fn flag_label_zh(flag: &str) -> &str {
    match flag {
        "over_60" => "超过60岁",
        "no_contract" => "试用期满未签协议",
        "no_insurance" => "未参保",
        "no_file" => "无档案",
        other => other,
    }
}

/// A cell's trimmed text, unless blank.
fn filled(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// What an import does (or did) to a road, segment or worker's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// Registered (a road or segment) or filed (a worker) by this file.
    Created,
    /// Changed: a road's fields, a segment's worker, a worker's file.
    Updated,
    /// Already as the file says.
    Unchanged,
}

/// The outcome for one row of a roads or workers file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRowReport {
    /// Row number in the spreadsheet (header row = 1 when it is the first row).
    pub row: u32,
    /// The road code or the worker's username, for display.
    pub key: String,
    /// What must be fixed before the file can be imported.
    pub errors: Vec<RowError>,
    /// What the row does to its road (roads file) or worker's file; none when it has errors.
    pub record: Option<RowOutcome>,
    /// What the row does to its segment (roads file); none when it names no segment or has errors.
    pub segment: Option<RowOutcome>,
}

/// The report of a roads or workers import, dry or real.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterImportReport {
    /// Data rows read (blank rows are not counted).
    pub rows_total: u32,
    /// Rows with at least one error.
    pub rows_with_errors: u32,
    /// Headers of the file that are not read (their cells are ignored).
    pub ignored_columns: Vec<String>,
    /// Every data row, in file order.
    pub rows: Vec<RegisterRowReport>,
}

impl RegisterImportReport {
    /// Builds the report from its rows, counting.
    pub fn from_rows(rows: Vec<RegisterRowReport>, ignored_columns: Vec<String>) -> Self {
        RegisterImportReport {
            rows_total: rows.len() as u32,
            rows_with_errors: rows.iter().filter(|r| !r.errors.is_empty()).count() as u32,
            ignored_columns,
            rows,
        }
    }

    /// Rows whose segment has an outcome.
    fn segments(&self, outcome: RowOutcome) -> u32 {
        self.rows.iter().filter(|r| r.segment == Some(outcome)).count() as u32
    }

    /// Distinct keys (roads, workers) with an outcome.
    fn records(&self, outcome: RowOutcome) -> u32 {
        let mut keys: Vec<&str> =
            self.rows.iter().filter(|r| r.record == Some(outcome)).map(|r| r.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len() as u32
    }
}

/// Answer of `POST /api/v1/roads/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadImportResult {
    /// Whether this was a dry run (nothing written; the counts say what would be).
    pub dry_run: bool,
    /// Roads registered.
    pub roads_created: u32,
    /// Roads whose name, level, length or unit changed.
    pub roads_updated: u32,
    /// Segments added.
    pub segments_created: u32,
    /// Segments given another worker.
    pub segments_reassigned: u32,
    /// The report per row.
    pub report: RegisterImportReport,
}

impl RoadImportResult {
    /// Counts the report.
    pub fn new(dry_run: bool, report: RegisterImportReport) -> Self {
        RoadImportResult {
            dry_run,
            roads_created: report.records(RowOutcome::Created),
            roads_updated: report.records(RowOutcome::Updated),
            segments_created: report.segments(RowOutcome::Created),
            segments_reassigned: report.segments(RowOutcome::Updated),
            report,
        }
    }
}

/// Answer of `POST /api/v1/patrol-workers/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerImportResult {
    /// Whether this was a dry run (nothing written; the counts say what would be).
    pub dry_run: bool,
    /// Workers who had no file.
    pub files_created: u32,
    /// Workers whose file changed.
    pub files_updated: u32,
    /// The report per row.
    pub report: RegisterImportReport,
}

impl WorkerImportResult {
    /// Counts the report.
    pub fn new(dry_run: bool, report: RegisterImportReport) -> Self {
        WorkerImportResult {
            dry_run,
            files_created: report.records(RowOutcome::Created),
            files_updated: report.records(RowOutcome::Updated),
            report,
        }
    }
}

/// Answer of `POST /api/v1/roadside-parties/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadsideImportResult {
    /// Whether this was a dry run (nothing written; the counts say what would be).
    pub dry_run: bool,
    /// Parties registered.
    pub parties_created: u32,
    /// Parties whose village, kind, phone, plot end, side, agreement or note changed (or who were
    /// inactive and are on the register again).
    pub parties_updated: u32,
    /// The report per row.
    pub report: RegisterImportReport,
}

impl RoadsideImportResult {
    /// Counts the report.
    pub fn new(dry_run: bool, report: RegisterImportReport) -> Self {
        RoadsideImportResult {
            dry_run,
            parties_created: report.records(RowOutcome::Created),
            parties_updated: report.records(RowOutcome::Updated),
            report,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn cells() {
        assert_eq!(parse_km("7.5"), Some(7.5));
        assert_eq!(parse_km(" K7+500 "), Some(7.5));
        assert_eq!(parse_km("k12+050"), Some(12.05));
        assert_eq!(parse_km("K7+1500"), None);
        assert_eq!(parse_km("七公里"), None);
        for s in ["1970-06-01", "1970/6/1", "1970.6.1", "1970年6月1日", "19700601", "1970-06-01 00:00:00"] {
            assert_eq!(parse_date(s), Some(d(1970, 6, 1)), "{s}");
        }
        assert_eq!(parse_date("6/1/1970"), None, "the year comes first");
        assert_eq!(parse_date("1970-02-30"), None);
        for s in ["2026-03", "2026年3月", "2026/3", "2026-03-17", "202603"] {
            assert_eq!(parse_month(s), Some(d(2026, 3, 1)), "{s}");
        }
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(
            (parse_yes_no("是"), parse_yes_no(""), parse_yes_no("未参保")),
            (Some(true), Some(false), Some(false))
        );
        assert_eq!(parse_yes_no("也许"), None);
    }

    #[test]
    fn counts() {
        let row = |key: &str, record, segment| RegisterRowReport {
            row: 2,
            key: key.into(),
            errors: vec![],
            record: Some(record),
            segment,
        };
        let report = RegisterImportReport::from_rows(
            vec![
                row("A", RowOutcome::Created, Some(RowOutcome::Created)),
                row("A", RowOutcome::Created, Some(RowOutcome::Created)),
                row("B", RowOutcome::Updated, Some(RowOutcome::Updated)),
                row("C", RowOutcome::Unchanged, None),
            ],
            vec![],
        );
        let r = RoadImportResult::new(true, report);
        assert_eq!((r.roads_created, r.roads_updated, r.segments_created, r.segments_reassigned), (1, 1, 2, 1));
    }
}
