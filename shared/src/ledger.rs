//! The ledger file (台账) that township offices keep in Excel: its columns, how a row is read, the
//! import report, and the duplicate rule. The server imports and exports with these; the web client
//! can use the same column names to explain the format.

mod duplicates;

pub use duplicates::{find_duplicates, normalise_address, DupEntry, DupMatch, DupTarget};

use crate::ids::PremiseId;
use crate::premise::{validate_premise, GeoPoint, Premise, PremiseType};
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// Most data rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 5_000;
/// Largest import file, in bytes.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Two premises closer than this (metres) are reported as likely duplicates.
pub const DUPLICATE_RADIUS_M: f64 = 20.0;
/// Rows searched for the header row (a ledger often has a title above it).
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Who may import a ledger file (township office for its township, county admin for any).
pub fn may_import(role: Role) -> bool {
    matches!(role, Role::TownshipOffice | Role::CountyAdmin)
}

/// Who may export the ledger (it carries names and phone numbers: office roles only).
pub fn may_export(role: Role) -> bool {
    matches!(role, Role::TownshipOffice | Role::FireBrigade | Role::CountyAdmin)
}

/// A column of the ledger file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LedgerColumn {
    /// 乡镇 (export only; on import it must match the township imported into, when filled)
    Township,
    /// 村 / 行政村 / 社区
    Village,
    /// 网格
    Grid,
    /// 名称 / 场所名称
    Name,
    /// 类型 / 场所类型
    PremiseType,
    /// 地址
    Address,
    /// 负责人 / 消防安全责任人
    ResponsiblePerson,
    /// 电话 / 联系电话
    ResponsiblePhone,
    /// 纬度
    Lat,
    /// 经度
    Lon,
    /// 备注
    Notes,
}

impl LedgerColumn {
    /// Every column, in the order the export writes them.
    pub const ALL: [LedgerColumn; 11] = [
        Self::Township,
        Self::Village,
        Self::Grid,
        Self::Name,
        Self::PremiseType,
        Self::Address,
        Self::ResponsiblePerson,
        Self::ResponsiblePhone,
        Self::Lat,
        Self::Lon,
        Self::Notes,
    ];

    /// Columns an import file must have.
    pub const REQUIRED: [LedgerColumn; 5] =
        [Self::Name, Self::PremiseType, Self::Address, Self::Village, Self::ResponsiblePerson];

    /// The API field name (also accepted as a header).
    pub fn field(self) -> &'static str {
        match self {
            Self::Township => "township",
            Self::Village => "village",
            Self::Grid => "grid",
            Self::Name => "name",
            Self::PremiseType => "premise_type",
            Self::Address => "address",
            Self::ResponsiblePerson => "responsible_person",
            Self::ResponsiblePhone => "responsible_phone",
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::Notes => "notes",
        }
    }

    /// The header the export writes.
    pub fn header_zh(self) -> &'static str {
        match self {
            Self::Township => "乡镇",
            Self::Village => "村",
            Self::Grid => "网格",
            Self::Name => "名称",
            Self::PremiseType => "类型",
            Self::Address => "地址",
            Self::ResponsiblePerson => "负责人",
            Self::ResponsiblePhone => "电话",
            Self::Lat => "纬度",
            Self::Lon => "经度",
            Self::Notes => "备注",
        }
    }

    /// Every header spelling accepted on import (compared after [`normalise_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Township => &["乡镇", "乡(镇)", "乡镇(街道)", "township"],
            Self::Village => &["村", "行政村", "社区", "村(社区)", "村(居)", "所属村", "village"],
            Self::Grid => &["网格", "所属网格", "grid"],
            Self::Name => &["名称", "场所名称", "单位名称", "name"],
            Self::PremiseType => &["类型", "场所类型", "premise_type", "type"],
            Self::Address => &["地址", "场所地址", "详细地址", "address"],
            Self::ResponsiblePerson => &["负责人", "消防安全责任人", "责任人", "responsible_person"],
            Self::ResponsiblePhone => &["电话", "联系电话", "手机", "手机号", "responsible_phone", "phone"],
            Self::Lat => &["纬度", "lat", "latitude"],
            Self::Lon => &["经度", "lon", "lng", "longitude"],
            Self::Notes => &["备注", "notes"],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Self> {
        let h = normalise_header(header);
        Self::ALL.into_iter().find(|c| c.aliases().iter().any(|a| normalise_header(a) == h))
    }
}

/// A header as compared: no spaces or required-marks (`*`), ASCII lower case, full-width brackets
/// as ASCII ones.
pub fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// What is wrong with one field of a row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    /// The API field (`name`, `premise_type`, `village`, `grid`, `responsible_phone`, `location`, …).
    pub field: String,
    /// Why, in English (the client shows its own words by `field`).
    pub message: String,
}

impl RowError {
    /// An error on a field.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        RowError { field: field.to_owned(), message: message.into() }
    }
}

/// A row of the file as read, before the village and grid are looked up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LedgerRow {
    /// The row number in the spreadsheet (the header row of a plain file is row 1).
    pub row: u32,
    /// 乡镇, when the file has that column.
    pub township: String,
    /// Village name or code.
    pub village: String,
    /// Grid name or code (may be blank when the village has one grid).
    pub grid: String,
    /// Name.
    pub name: String,
    /// The type, when it was read.
    pub premise_type: Option<PremiseType>,
    /// Address.
    pub address: String,
    /// Responsible person.
    pub responsible_person: String,
    /// Phone, if given.
    pub responsible_phone: Option<String>,
    /// Position, if both coordinates were given.
    pub location: Option<GeoPoint>,
    /// Notes.
    pub notes: String,
}

fn number(field: &str, text: &str) -> Result<Option<f64>, RowError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| RowError::new(field, format!("'{t}' is not a number")))
}

/// Reads one row: `cells` pairs each recognised column with the cell's text. Returns the row and
/// the errors of reading it (the type, the coordinates); the premise rules are checked later with
/// [`validate_all`], once the grid is known.
pub fn read_row(row: u32, cells: &[(LedgerColumn, String)]) -> (LedgerRow, Vec<RowError>) {
    let mut out = LedgerRow { row, ..LedgerRow::default() };
    let mut errors = Vec::new();
    let (mut lat, mut lon) = (None, None);
    for (col, text) in cells {
        let v = text.trim().to_owned();
        match col {
            LedgerColumn::Township => out.township = v,
            LedgerColumn::Village => out.village = v,
            LedgerColumn::Grid => out.grid = v,
            LedgerColumn::Name => out.name = v,
            LedgerColumn::PremiseType if v.is_empty() => errors.push(RowError::new("premise_type", "is empty")),
            LedgerColumn::PremiseType => match PremiseType::from_label(&v) {
                Some(t) => out.premise_type = Some(t),
                None => {
                    let known: Vec<&str> = PremiseType::ALL.iter().map(|t| t.label_zh()).collect();
                    errors.push(RowError::new(
                        "premise_type",
                        format!("unknown type '{v}'; use one of {}", known.join(", ")),
                    ));
                }
            },
            LedgerColumn::Address => out.address = v,
            LedgerColumn::ResponsiblePerson => out.responsible_person = v,
            LedgerColumn::ResponsiblePhone => out.responsible_phone = Some(v).filter(|p| !p.is_empty()),
            LedgerColumn::Lat => match number("lat", &v) {
                Ok(x) => lat = x,
                Err(e) => errors.push(e),
            },
            LedgerColumn::Lon => match number("lon", &v) {
                Ok(x) => lon = x,
                Err(e) => errors.push(e),
            },
            // A line break typed in a cell may reach us as CRLF; the premise rule allows only LF.
            LedgerColumn::Notes => out.notes = v.replace("\r\n", "\n"),
        }
    }
    let coordinate_errors = errors.iter().any(|e| e.field == "lat" || e.field == "lon");
    match (lat, lon) {
        (Some(lat), Some(lon)) => out.location = Some(GeoPoint { lat, lon, accuracy_m: None }),
        (None, None) => {}
        _ if coordinate_errors => {}
        _ => errors.push(RowError::new("location", "give both latitude (纬度) and longitude (经度), or neither")),
    }
    (out, errors)
}

/// Every rule [`validate_premise`] finds broken, not only the first: after each finding the field is
/// replaced by a valid stand-in and the check runs again, so the rule itself is written once.
pub fn validate_all(p: &Premise) -> Vec<RowError> {
    let mut p = p.clone();
    let mut errors = Vec::new();
    // One pass per field at most; the bound only guards against a rule that a stand-in cannot pass.
    for _ in 0..8 {
        let Err((field, why)) = validate_premise(&p) else { break };
        errors.push(RowError::new(field, why));
        match field {
            "name" => p.name = "-".into(),
            "address" => p.address = "-".into(),
            "responsible_person" => p.responsible_person = "-".into(),
            "notes" => p.notes.clear(),
            "responsible_phone" => p.responsible_phone = None,
            "location" => p.location = None,
            _ => break,
        }
    }
    errors
}

/// A likely duplicate of a row: an existing premise, or another row of the same file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateHit {
    /// The existing premise, when the duplicate is in the ledger.
    pub premise_id: Option<PremiseId>,
    /// The other row, when the duplicate is in the file.
    pub row: Option<u32>,
    /// The other's name, for display.
    pub name: String,
    /// Same village and the same address once normalised.
    pub same_address: bool,
    /// Metres between the two, when both have a position.
    pub distance_m: Option<f64>,
}

/// The outcome for one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowReport {
    /// Row number in the spreadsheet (header row = 1 when it is the first row).
    pub row: u32,
    /// The name in the row, for display.
    pub name: String,
    /// What must be fixed before the file can be imported.
    pub errors: Vec<RowError>,
    /// Likely duplicates (warnings).
    pub duplicates: Vec<DuplicateHit>,
    /// Left out because it duplicates an existing premise or an earlier row (`skip_duplicates`).
    pub skipped: bool,
    /// The premise created from it (real import only).
    pub premise_id: Option<PremiseId>,
}

/// The report of a ledger import, dry or real.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Data rows read (blank rows are not counted).
    pub rows_total: u32,
    /// Rows with at least one error.
    pub rows_with_errors: u32,
    /// Rows with at least one likely duplicate.
    pub rows_with_duplicates: u32,
    /// Headers of the file that are not ledger columns (their cells are ignored).
    pub ignored_columns: Vec<String>,
    /// Every data row, in file order.
    pub rows: Vec<ImportRowReport>,
}

/// Answer of `POST /api/v1/premises/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Premises created (0 on a dry run).
    pub imported: u32,
    /// Rows left out as duplicates (would be, on a dry run).
    pub skipped: u32,
    /// The report per row.
    pub report: ImportReport,
}

impl ImportReport {
    /// Builds the report from its rows, counting.
    pub fn from_rows(rows: Vec<ImportRowReport>, ignored_columns: Vec<String>) -> Self {
        let count = |f: fn(&ImportRowReport) -> bool| rows.iter().filter(|r| f(r)).count() as u32;
        ImportReport {
            rows_total: rows.len() as u32,
            rows_with_errors: count(|r| !r.errors.is_empty()),
            rows_with_duplicates: count(|r| !r.duplicates.is_empty()),
            ignored_columns,
            rows,
        }
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
