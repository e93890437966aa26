//! Office files as tables of text. In: CSV (UTF-8, or GB18030 as Excel saves it on a Chinese
//! Windows) and XLSX (first sheet). Out: CSV (UTF-8 with a BOM, which Excel needs to show Chinese)
//! and printable XLSX. No domain rules here: `ledger` and `stats` decide what the cells mean.

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
/// without reading the rest).
pub fn read_table(format: FileFormat, bytes: &[u8], max_rows: usize) -> Result<Vec<TextRow>, AppError> {
    match format {
        FileFormat::Csv => read_csv(bytes, max_rows),
        FileFormat::Xlsx => read_xlsx(bytes, max_rows),
    }
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
        let cells = record.iter().take(MAX_COLUMNS).map(str::to_owned).collect();
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

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Vec<TextRow>, AppError> {
    let unreadable = |e: calamine::XlsxError| AppError::validation("file", format!("not a readable XLSX file ({e})"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().into_iter().next().ok_or_else(|| AppError::validation("file", "no sheet"))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    // Streamed cell by cell, so a sheet with a million rows is refused without being held.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let text = cell_text(cell.get_value());
        if c as usize >= MAX_COLUMNS || text.trim().is_empty() {
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

/// The sheet as CSV: UTF-8 with a BOM; title lines (if any) above the header.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        for line in sheet.title.iter().chain(&sheet.subtitle) {
            w.write_record([line]).map_err(AppError::internal)?;
        }
        w.write_record(&sheet.headers).map_err(AppError::internal)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let text = "名称,类型\n张记五金店,门店\n,\n\"多行\n备注\",单位\n";
        for bytes in
            [[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), encoding_rs::GBK.encode(text).0.into_owned()]
        {
            let t = read_table(FileFormat::Csv, &bytes, 10).unwrap();
            assert_eq!(t.len(), 3, "the blank row is skipped");
            assert_eq!((t[0].row, t[0].cells[0].as_str()), (1, "名称"));
            assert_eq!((t[1].row, t[1].cells[1].as_str()), (2, "门店"));
            assert_eq!((t[2].row, t[2].cells[0].as_str()), (4, "多行\n备注"));
        }
        assert_eq!(read_table(FileFormat::Csv, text.as_bytes(), 2).unwrap_err().code, ErrorCode::ValidationFailed);
    }

    #[test]
    fn xlsx_round_trip_keeps_rows_numbers_and_text() {
        let sheet = Sheet {
            name: "台账".into(),
            title: Some("标题".into()),
            headers: vec!["名称".into(), "电话".into(), "纬度".into()],
            rows: vec![vec!["张记".into(), "13800001111".into(), Some(35.14).into()]],
            ..Default::default()
        };
        let bytes = to_xlsx(&sheet).unwrap();
        assert_eq!(FileFormat::of_upload(Some("application/octet-stream"), &bytes).unwrap(), FileFormat::Xlsx);
        let t = read_table(FileFormat::Xlsx, &bytes, 10).unwrap();
        assert_eq!(t[0], TextRow { row: 1, cells: vec!["标题".into()] });
        assert_eq!(t[1].row, 2);
        assert_eq!(t[2], TextRow { row: 3, cells: vec!["张记".into(), "13800001111".into(), "35.14".into()] });
        let csv = to_csv(&sheet).unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(read_table(FileFormat::Csv, &csv, 10).unwrap()[2].cells, t[2].cells);
    }

    #[test]
    fn an_excel_date_cell_reads_as_the_date_it_shows() {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(1966, 5, 1).unwrap();
        ws.write_datetime_with_format(0, 0, &date, &Format::new().set_num_format("yyyy/m/d")).unwrap();
        let at = rust_xlsxwriter::ExcelDateTime::parse_from_str("2026-03-02 08:30:00").unwrap();
        ws.write_datetime_with_format(0, 1, &at, &Format::new().set_num_format("yyyy-mm-dd hh:mm:ss")).unwrap();
        let t = read_table(FileFormat::Xlsx, &book.save_to_buffer().unwrap(), 10).unwrap();
        assert_eq!(t[0].cells, ["1966-05-01", "2026-03-02 08:30:00"]);
    }

    #[test]
    fn upload_types() {
        assert_eq!(FileFormat::of_upload(Some("text/csv; charset=gbk"), b"a").unwrap(), FileFormat::Csv);
        assert_eq!(FileFormat::of_upload(Some(XLSX_MIME), b"a").unwrap(), FileFormat::Xlsx);
        assert_eq!(FileFormat::of_upload(Some("application/vnd.ms-excel"), b"a,b").unwrap(), FileFormat::Csv);
        assert_eq!(FileFormat::of_upload(Some("image/png"), b"").unwrap_err().code, ErrorCode::UnsupportedMediaType);
        assert_eq!(FileFormat::of_upload(None, b"").unwrap_err().code, ErrorCode::UnsupportedMediaType);
        let xls = FileFormat::of_upload(Some("application/octet-stream"), &[0xD0, 0xCF, 0x11, 0xE0]);
        assert_eq!(xls.unwrap_err().code, ErrorCode::ValidationFailed);
    }
}
