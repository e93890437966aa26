//! Office files as tables of text. In: CSV (UTF-8, or GB18030 as Excel saves it on a Chinese
//! Windows) and XLSX (first sheet). Out: CSV (UTF-8 with a BOM, which Excel needs to show Chinese)
//! and printable XLSX. No domain rules here: `ledger` and `stats` decide what the cells mean.

mod unzip_bounds;

use crate::error::AppError;
use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::borrow::Cow;
use std::collections::BTreeMap;
use xunjian_shared::ErrorCode;

/// The XLSX media type.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Columns read from a sheet; cells further right are ignored.
const MAX_COLUMNS: usize = 64;
/// Cells of a sheet visited, kept or not. 5,010 rows by 64 columns is the most a table we read holds;
/// three times that leaves room for blank cells that only carry a style.
const MAX_CELLS: usize = 1_000_000;
/// Text in the cells of a sheet, blank or not. Shared strings let a short sheet show one long string in
/// every cell (1 MiB in 5,000 cells took 5 GiB); 8 MiB is what the largest CSV we accept can hold (5 MiB
/// of GB18030 is at most 7.5 MiB of UTF-8).
const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// What makes Excel and WPS read a CSV cell as a formula (OWASP, "CSV injection", CWE-1236).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A file format for office files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Comma-separated values.
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
}

impl FileFormat {
    /// The media type answered.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => XLSX_MIME,
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The format of an upload, from its `Content-Type`; generic types (what browsers send for a
    /// `.csv` on Windows, or for an unknown file) are decided by the content.
    pub fn of_upload(content_type: Option<&str>, body: &[u8]) -> Result<Self, AppError> {
        let mime = content_type.and_then(|c| c.split(';').next()).map(|c| c.trim().to_ascii_lowercase());
        let sniffed = || {
            if body.starts_with(b"PK\x03\x04") {
                Ok(Self::Xlsx)
            } else if body.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
                Err(AppError::validation("file", "old Excel .xls files are not read; save it as .xlsx or .csv"))
            } else {
                Ok(Self::Csv)
            }
        };
        match mime.as_deref() {
            Some("text/csv" | "application/csv" | "text/comma-separated-values" | "text/plain") => Ok(Self::Csv),
            Some(XLSX_MIME) => Ok(Self::Xlsx),
            Some("application/vnd.ms-excel" | "application/octet-stream") => sniffed(),
            _ => Err(AppError::with_detail(ErrorCode::UnsupportedMediaType, format!("send text/csv or {XLSX_MIME}"))),
        }
    }
}

/// A non-blank row of a sheet and its row number as the spreadsheet shows it (from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct TextRow {
    pub row: u32,
    pub cells: Vec<String>,
}

fn too_many(max_rows: usize) -> AppError {
    AppError::validation("file", format!("more than {max_rows} rows; split the file"))
}

/// Reads the non-blank rows of a file, at most `max_rows` of them (more is an error, found
/// without reading the rest). Every cell keeps to the text rule (`xunjian_shared::text`): a cell
/// holding a control character refuses the file, naming the cell (`row 3, column B`).
pub fn read_table(format: FileFormat, bytes: &[u8], max_rows: usize) -> Result<Vec<TextRow>, AppError> {
    let rows = match format {
        FileFormat::Csv => read_csv(bytes, max_rows)?,
        FileFormat::Xlsx => read_xlsx(bytes, max_rows)?,
    };
    for r in &rows {
        for (c, cell) in r.cells.iter().enumerate() {
            if let Err(why) = xunjian_shared::text::check(cell) {
                return Err(AppError::validation("file", format!("row {}, column {}: {why}", r.row, column_name(c))));
            }
        }
    }
    Ok(rows)
}

/// A column as a spreadsheet names it: A, B, …, Z, AA, AB, …
fn column_name(index: usize) -> String {
    let (mut n, mut name) = (index + 1, Vec::new());
    while n > 0 {
        name.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// UTF-8 (with or without BOM), else GB18030 (a superset of GBK, Excel's "CSV" on Chinese Windows).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(b).0,
    }
}

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Vec<TextRow>, AppError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    // Row numbers count records, as Excel shows the rows (a cell may hold a line break).
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| AppError::validation("file", format!("CSV row {}: {e}", i + 1)))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if out.len() == max_rows {
            return Err(too_many(max_rows));
        }
        let cells = record.iter().take(MAX_COLUMNS).map(|c| unescape_formula(c).to_owned()).collect();
        out.push(TextRow { row: i as u32 + 1, cells });
    }
    Ok(out)
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        // Phone numbers typed into Excel arrive as numbers: 13800001111, not 1.38E10.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        // A date typed into Excel is a serial day number; read it as the date it shows.
        DataRef::DateTime(d) if d.is_datetime() => match d.to_ymd_hms_milli() {
            (y, m, day, 0, 0, 0, _) => format!("{y:04}-{m:02}-{day:02}"),
            (y, m, day, h, min, s, _) => format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}"),
        },
        DataRef::DateTime(d) => d.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// The bytes of a cell's text, if it is text (other values are short, and only 64 to a row are kept).
fn text_len(v: &DataRef<'_>) -> usize {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 0,
    }
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Vec<TextRow>, AppError> {
    unzip_bounds::check(bytes)?;
    let unreadable = |e: calamine::XlsxError| AppError::validation("file", format!("not a readable XLSX file ({e})"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().into_iter().next().ok_or_else(|| AppError::validation("file", "no sheet"))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    // Streamed cell by cell, so a sheet with a million rows is refused without being held.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let (mut visited, mut kept) = (0, 0);
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        visited += 1;
        if visited > MAX_CELLS {
            return Err(AppError::validation(
                "file",
                format!("more than {MAX_CELLS} cells in the sheet; split the file"),
            ));
        }
        let (r, c) = cell.get_position();
        if c as usize >= MAX_COLUMNS {
            continue;
        }
        // Counted before it is copied: one cell may hold a whole part.
        kept += text_len(cell.get_value());
        if kept > MAX_TEXT_BYTES {
            let limit = MAX_TEXT_BYTES >> 20;
            let detail = format!("file: the sheet holds more than {limit} MiB of text (the limit); split the file");
            return Err(AppError::with_detail(ErrorCode::PayloadTooLarge, detail));
        }
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        if !rows.contains_key(&r) && rows.len() == max_rows {
            return Err(too_many(max_rows));
        }
        let row = rows.entry(r).or_default();
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    Ok(rows.into_iter().map(|(r, cells)| TextRow { row: r + 1, cells }).collect())
}

/// A cell of an output table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

/// A table to write: an optional title (and a line under it), a header row, rows, and the width
/// of each column in characters.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub headers: Vec<String>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows (indexes into `rows`) written in bold, e.g. totals.
    pub bold_rows: Vec<usize>,
    /// Landscape, one page wide (for wide statistics tables).
    pub landscape: bool,
}

/// Text as written to a CSV cell: with one `'` more in front when, after its own leading `'`s, it
/// starts like a formula, so that Excel shows it instead of evaluating it: `=1+1` is written `'=1+1`,
/// and `'=1+1` is written `''=1+1`, so that `unescape_formula` gives back exactly the text.
fn escape_formula(s: &str) -> Cow<'_, str> {
    if s.trim_start_matches('\'').starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV cell as read: the `'` that `escape_formula` put before a formula character taken off again,
/// so that an exported file imports back unchanged.
fn unescape_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// The sheet as CSV: UTF-8 with a BOM; title lines (if any) above the header. Text that starts like
/// a formula is written with a `'` in front (`escape_formula`); numbers are written as numbers.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        for line in sheet.title.iter().chain(&sheet.subtitle) {
            w.write_record([escape_formula(line).as_ref()]).map_err(AppError::internal)?;
        }
        w.write_record(sheet.headers.iter().map(|h| escape_formula(h).into_owned())).map_err(AppError::internal)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => escape_formula(s).into_owned(),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            }))
            .map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

/// The sheet as a printable XLSX workbook: A4, borders, header row repeated on every page.
pub fn to_xlsx(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    build_xlsx(sheet).map_err(AppError::internal)
}

fn build_xlsx(sheet: &Sheet) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(&sheet.name)?;
    let cell = Format::new().set_border(FormatBorder::Thin);
    let bold = cell.clone().set_bold();
    let head = bold.clone().set_align(FormatAlign::Center).set_background_color(0xDDEBF7).set_text_wrap();
    let last_col = sheet.headers.len().saturating_sub(1) as u16;
    let mut r: u32 = 0;
    if let Some(title) = &sheet.title {
        let f = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
        ws.merge_range(r, 0, r, last_col.max(1), title, &f)?;
        ws.set_row_height(r, 28)?;
        r += 1;
    }
    if let Some(sub) = &sheet.subtitle {
        ws.merge_range(r, 0, r, last_col.max(1), sub, &Format::new().set_align(FormatAlign::Center))?;
        r += 1;
    }
    let header_row = r;
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, h, &head)?;
    }
    for (c, w) in sheet.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        r += 1;
        let f = if sheet.bold_rows.contains(&i) { &bold } else { &cell };
        for (c, v) in row.iter().enumerate() {
            match v {
                // Text stays text: a phone number must not become 1.38E+10.
                Cell::Text(s) => ws.write_string_with_format(r, c as u16, s, f)?,
                Cell::Number(n) => ws.write_number_with_format(r, c as u16, *n, f)?,
                Cell::Empty => ws.write_blank(r, c as u16, f)?,
            };
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.set_repeat_rows(0, header_row)?;
    ws.set_paper_size(9); // A4
    if sheet.landscape {
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
    }
    ws.set_print_center_horizontally(true);
    book.save_to_buffer()
}

/// `Content-Disposition` for a download (names here are ASCII: codes, dates, extensions).
pub fn attachment(filename: &str) -> String {
    format!("attachment; filename=\"{}\"", filename.replace(['"', '\\'], "_"))
}

/// A file to download.
pub struct Download {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    /// Records matched (sent as `X-Total-Count`), when it can differ from the rows written.
    pub total: Option<i64>,
}

#[cfg(test)]
#[path = "ledger_io_tests.rs"]
mod tests;
