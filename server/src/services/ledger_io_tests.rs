//! Unit tests of `ledger_io` (kept beside it so the module itself stays short).

use super::*;

#[test]
fn a_control_character_in_a_cell_refuses_the_file_naming_the_cell() {
    let csv = "名称,地址\n好店,东街1号\n坏店,东街\u{0}2号\n".as_bytes();
    let e = read_table(FileFormat::Csv, csv, 10).unwrap_err();
    assert_eq!(e.detail.as_deref(), Some("file: row 3, column B: control character U+0000 is not allowed"));
    assert_eq!(
        (column_name(0), column_name(25), column_name(26), column_name(27)),
        ("A".into(), "Z".into(), "AA".into(), "AB".into())
    );
    assert!(read_table(FileFormat::Csv, "名称\n两行\n备注\t制表\n".as_bytes(), 10).is_ok());
}

#[test]
fn csv_in_utf8_with_bom_and_in_gbk() {
    let text = "名称,类型\n张记五金店,门店\n,\n\"多行\n备注\",单位\n";
    for bytes in [[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), encoding_rs::GBK.encode(text).0.into_owned()]
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
fn text_that_starts_like_a_formula_is_escaped_in_csv_and_read_back_unchanged() {
    let texts = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=1+1", "''@x", "'plain", "a=b", "'"];
    let sheet = Sheet {
        title: Some("=标题".into()),
        headers: vec!["-列".into(), "名称".into()],
        rows: texts.iter().map(|t| vec![Cell::from(*t), Cell::Number(-3.5)]).collect(),
        ..Default::default()
    };
    let csv = to_csv(&sheet).unwrap();
    let mut written = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&csv[3..]);
    let written: Vec<Vec<String>> = written.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!((written[0][0].as_str(), written[1][0].as_str()), ("'=标题", "'-列"));
    let cells: Vec<&str> = written[2..].iter().map(|r| r[0].as_str()).collect();
    let escaped = ["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "''=1+1", "'''@x", "'plain", "a=b", "'"];
    assert_eq!(cells, escaped);
    assert!(written[2..].iter().all(|r| r[1] == "-3.5"), "numbers stay numbers");
    let read = read_table(FileFormat::Csv, &csv, 20).unwrap();
    assert_eq!((read[0].cells[0].as_str(), read[1].cells[0].as_str()), ("=标题", "-列"));
    let back: Vec<&str> = read[2..].iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(back, texts);
    // A `'` before a formula character is taken off whoever wrote the file; any other `'` stays.
    let typed = read_table(FileFormat::Csv, "'=A1,'x,'+\n".as_bytes(), 2).unwrap();
    assert_eq!(typed[0].cells, ["=A1", "'x", "+"]);
}

/// A copy of a workbook with some parts replaced (or added), for files rust_xlsxwriter will not write.
fn with_parts(book: Vec<u8>, parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let part = from.by_index_raw(i).unwrap();
        if !parts.iter().any(|(name, _)| part.name().unwrap() == *name) {
            to.raw_copy_file(part).unwrap();
        }
    }
    for (name, data) in parts {
        to.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        to.write_all(data).unwrap();
    }
    to.finish().unwrap().into_inner()
}

/// A workbook of one sheet with a shared string, to be given hostile parts.
fn book() -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "名称").unwrap();
    book.save_to_buffer().unwrap()
}

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
/// The rows an import reads (5,000 and a header or title).
const MAX_ROWS: usize = 5_010;

fn refused(bytes: &[u8]) -> (ErrorCode, String) {
    let e = read_table(FileFormat::Xlsx, bytes, MAX_ROWS).unwrap_err();
    (e.code, e.detail.unwrap_or_default())
}

#[test]
fn a_full_ledger_is_within_bounds() {
    // 5,010 rows of 11 different cells of 30 Chinese characters (the first two tell them apart).
    let cell = |r: u32, c: u16| -> String {
        let n = r * 11 + u32::from(c);
        let han = |k: u32| char::from_u32(0x4E00 + k % 20_000).unwrap();
        [han(n), han(n / 20_000)].into_iter().chain((2..30).map(|i| han(n + i))).collect()
    };
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for r in 0..MAX_ROWS as u32 {
        for c in 0..11 {
            ws.write_string(r, c, cell(r, c)).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let size = |zip: &mut zip::ZipArchive<_>, name| zip.by_name(name).unwrap().size() as f64 / (1 << 20) as f64;
    let (strings, sheet) = (size(&mut zip, "xl/sharedStrings.xml"), size(&mut zip, "xl/worksheets/sheet1.xml"));
    assert!(strings > 5.5 && sheet > 1.9, "the ledger of the module's comment: {strings:.1} and {sheet:.1} MiB");
    let t = read_table(FileFormat::Xlsx, &bytes, MAX_ROWS).unwrap();
    assert_eq!((t.len(), t[5_009].cells[10].as_str()), (MAX_ROWS, cell(5_009, 10).as_str()));
}

#[test]
fn an_announced_count_of_shared_strings_is_bounded_before_calamine_reserves_it() {
    // Unchecked, calamine reserves 10^11 strings (2.4 TB) and the allocator aborts the server.
    let strings = format!(r#"<sst {NS} count="1" uniqueCount="0100000000000"><si><t>名称</t></si></sst>"#);
    let (code, detail) = refused(&with_parts(book(), &[("xl/sharedStrings.xml", strings.as_bytes())]));
    assert_eq!(code, ErrorCode::ValidationFailed);
    assert!(detail.contains("100000000000 shared strings; at most 1000000"), "{detail}");
}

#[test]
fn a_part_over_16_mib_is_refused_by_what_it_unpacks_to() {
    let mut strings = format!(r#"<sst {NS} count="1" uniqueCount="1"><si><t>"#).into_bytes();
    strings.resize(strings.len() + (16 << 20), b'a');
    strings.extend(b"</t></si></sst>");
    let (code, detail) = refused(&with_parts(book(), &[("xl/sharedStrings.xml", &strings)]));
    assert_eq!(code, ErrorCode::PayloadTooLarge);
    assert!(detail.starts_with("file: a part of the XLSX unpacks to 16 MiB") && detail.contains("16 MiB in one"));
}

#[test]
fn a_sheet_repeating_a_long_shared_string_is_refused_past_8_mib_of_text() {
    let mut strings = format!(r#"<sst {NS} count="9" uniqueCount="1"><si><t>"#).into_bytes();
    strings.resize(strings.len() + (1 << 20), b'a');
    strings.extend(b"</t></si></sst>");
    let cells: String = (1..=9).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    let sheet = format!("<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>");
    let parts = [("xl/sharedStrings.xml", strings.as_slice()), ("xl/worksheets/sheet1.xml", sheet.as_bytes())];
    let (code, detail) = refused(&with_parts(book(), &parts));
    assert_eq!(code, ErrorCode::PayloadTooLarge);
    assert_eq!(detail, "file: the sheet holds more than 8 MiB of text (the limit); split the file");
}

#[test]
fn more_than_a_million_cells_are_refused_even_blank() {
    let row = format!("<row>{}</row>", "<c/>".repeat(1_000));
    let sheet = format!("<worksheet {NS}><sheetData>{}</sheetData></worksheet>", row.repeat(1_001));
    let (code, detail) = refused(&with_parts(book(), &[("xl/worksheets/sheet1.xml", sheet.as_bytes())]));
    assert_eq!(code, ErrorCode::ValidationFailed);
    assert_eq!(detail, "file: more than 1000000 cells in the sheet; split the file");
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
