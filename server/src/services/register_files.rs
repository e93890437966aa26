//! What the register files share (路线台账, 管护员档案, 沿线责任户): an upload read into rows of
//! recognised columns below the header row, the townships found by name or code, the two passes of
//! an import (a dry run reports; a real import writes every row or none), and a sheet written out.

use super::ledger_io::{self, Download, FileFormat, Sheet, TextRow};
use crate::auth::AuthUser;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::{run_blocking, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::ledger::{RowError, HEADER_SEARCH_ROWS, MAX_IMPORT_ROWS};
use xunjian_shared::road::register_file::RegisterImportReport;
use xunjian_shared::{ErrorCode, OrgLevel};

/// A file's data rows with their recognised cells, and the headers not read.
pub(super) struct Mapped<C> {
    pub rows: Vec<(u32, Vec<(C, String)>)>,
    pub ignored: Vec<String>,
}

/// Finds the header row (the first of the first rows naming the key column), maps the columns and
/// returns the rows below it. Missing required columns, no rows and too many rows are file errors.
pub(super) fn map_columns<C: Copy + PartialEq>(
    table: Vec<TextRow>,
    from_header: fn(&str) -> Option<C>,
    required: &[(C, &str)],
) -> Result<Mapped<C>, AppError> {
    let (key, key_header) = required[0];
    let header_at = table
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| r.cells.iter().any(|c| from_header(c) == Some(key)))
        .ok_or_else(|| {
            AppError::validation("file", format!("no header row with a {key_header} column near the top"))
        })?;
    let mut columns: Vec<Option<C>> = Vec::new();
    let mut ignored = Vec::new();
    for h in &table[header_at].cells {
        let col = from_header(h).filter(|c| !columns.contains(&Some(*c)));
        if col.is_none() && !h.trim().is_empty() {
            ignored.push(h.trim().to_owned());
        }
        columns.push(col);
    }
    let missing: Vec<&str> = required.iter().filter(|(c, _)| !columns.contains(&Some(*c))).map(|(_, h)| *h).collect();
    if !missing.is_empty() {
        return Err(AppError::validation("file", format!("missing columns: {}", missing.join(", "))));
    }
    let data = &table[header_at + 1..];
    if data.is_empty() {
        return Err(AppError::validation("file", "no rows below the header"));
    }
    if data.len() > MAX_IMPORT_ROWS {
        return Err(AppError::validation("file", format!("{} rows; at most {MAX_IMPORT_ROWS} per import", data.len())));
    }
    let rows = data
        .iter()
        .map(|r| {
            let cells = columns.iter().zip(&r.cells).filter_map(|(c, t)| c.map(|c| (c, t.clone()))).collect();
            (r.row, cells)
        })
        .collect();
    Ok(Mapped { rows, ignored })
}

/// Reads an upload into rows of a register file (off the executor: XLSX parsing is CPU work).
pub(super) async fn read_upload<C: Copy + PartialEq + Send + Sync + 'static>(
    format: FileFormat,
    body: actix_web::web::Bytes,
    from_header: fn(&str) -> Option<C>,
    required: &'static [(C, &'static str)],
) -> Result<Mapped<C>, AppError> {
    run_blocking(move || {
        map_columns(ledger_io::read_table(format, &body, MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS)?, from_header, required)
    })
    .await
}

/// The townships of the county, found by name or code.
pub(super) struct Townships(Vec<OrgUnitRow>);

impl Townships {
    pub(super) fn load(conn: &mut DbConn) -> Result<Self, AppError> {
        Ok(Townships(org_units::list_within(conn, "/", Some(OrgLevel::Township), None)?))
    }

    /// The township named (by name or code), if the caller may act in it.
    pub(super) fn find(&self, user: &AuthUser, key: &str) -> Result<&OrgUnitRow, RowError> {
        let mut found = self.0.iter().filter(|t| t.name == key || t.code == key);
        match (found.next(), found.next()) {
            (Some(_), Some(_)) => Err(RowError::new("township", format!("'{key}' names more than one; use the code"))),
            (None, _) => Err(RowError::new("township", format!("no township '{key}'"))),
            (Some(t), None) if !user.can_see(&t.path) => {
                Err(RowError::new("township", format!("{} is outside your area", t.name)))
            }
            (Some(t), None) if !t.active => Err(RowError::new("township", format!("{} is inactive", t.name))),
            (Some(t), None) => Ok(t),
        }
    }

    /// The township a unit path lies in.
    pub(super) fn of_path(&self, path: &str) -> Option<&OrgUnitRow> {
        self.0.iter().find(|t| path.starts_with(&t.path))
    }

    pub(super) fn by_id(&self, id: &str) -> Option<&OrgUnitRow> {
        self.0.iter().find(|t| t.id == id)
    }
}

/// An import's two passes over a register file: `plan` checks every row and reports, writing
/// nothing. A dry run answers its report. A real import plans again inside one write transaction
/// and, when no row has an error, `apply`s the plan there; else it writes nothing and answers 422
/// `validation_failed` with the report as JSON in `detail`. `answer` counts the report.
pub(super) async fn run_import<P: Send + 'static, R: Send + 'static>(
    state: &AppState,
    dry_run: bool,
    plan: impl FnOnce(&mut DbConn) -> Result<(P, RegisterImportReport), AppError> + Send + 'static,
    apply: impl FnOnce(&mut DbConn, P) -> Result<(), AppError> + Send + 'static,
    answer: fn(bool, RegisterImportReport) -> R,
) -> Result<R, AppError> {
    if dry_run {
        return state.db.read(move |conn| Ok(answer(true, plan(conn)?.1))).await;
    }
    state
        .db
        .write(move |conn| {
            let (planned, report) = plan(conn)?;
            if report.rows_with_errors > 0 {
                let json = serde_json::to_string(&report).map_err(AppError::internal)?;
                return Err(AppError::with_detail(ErrorCode::ValidationFailed, json));
            }
            apply(conn, planned)?;
            Ok(answer(false, report))
        })
        .await
}

/// Writes a sheet off the executor.
pub(super) async fn render(sheet: Sheet, format: FileFormat, filename: String) -> Result<Download, AppError> {
    let bytes = run_blocking(move || match format {
        FileFormat::Csv => ledger_io::to_csv(&sheet),
        FileFormat::Xlsx => ledger_io::to_xlsx(&sheet),
    })
    .await?;
    Ok(Download { filename, content_type: format.content_type(), bytes, total: None })
}
