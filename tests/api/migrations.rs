//! The two migration folders build one schema (one `schema.rs` serves both backends): the server's
//! own migration runner (`Db::open`, the embedded migrations) is applied to a fresh SQLite file and
//! to a fresh PostgreSQL database, both catalogs are read back — tables, columns with a normalized
//! type, nullability and default, primary keys, indexes and unique constraints with their columns in
//! order, foreign keys, CHECK constraints (counted), the rows the migrations insert, views and
//! triggers — and compared. As a cheap tripwire the folders must also hold the same migrations with
//! the same SQL once `--` comment lines are removed.

use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use xunjian_server::db::{Db, DbConn};

/// Column types as each backend reports them — SQLite the declared type (upper-cased here),
/// PostgreSQL `information_schema.columns.data_type` — and the one name they share. A type that is
/// not listed fails the test with its name: add it here once its equivalent on the other backend
/// is known (e.g. SQLite `REAL` is 8 bytes, PostgreSQL `real` 4: not the same column).
const TYPES: &[(&str, &str)] = &[
    // (SQLite declared, PostgreSQL data_type)
    ("TEXT", "text"),
    ("INTEGER", "integer"),
    ("BIGINT", "bigint"),
    ("BOOLEAN", "boolean"),
    ("DOUBLE PRECISION", "double precision"),
    ("BLOB", "bytea"),
];

/// diesel's bookkeeping table, not part of the schema.
const DIESEL_TABLE: &str = "__diesel_schema_migrations";

fn migrations_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Sqlite,
    Postgres,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Sqlite => "sqlite",
            Side::Postgres => "postgres",
        }
    }

    /// A reported type in its shared name, or the raw name if the map does not know it.
    fn normalize_type(self, raw: &str) -> Result<&'static str, String> {
        let found = match self {
            Side::Sqlite => {
                let key = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
                TYPES.iter().find(|(s, _)| *s == key)
            }
            Side::Postgres => TYPES.iter().find(|(_, p)| *p == raw),
        };
        found.map(|(_, pg)| *pg).ok_or_else(|| raw.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// The schema as read back from a database.

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
    views: BTreeSet<String>,
    /// `table.trigger`.
    triggers: BTreeSet<String>,
    /// diesel's record of the applied migrations (versions).
    applied: Vec<String>,
}

#[derive(Debug, Default)]
struct Table {
    /// In table order.
    columns: Vec<Column>,
    primary_key: Vec<String>,
    /// Indexes made by `CREATE INDEX`, by name.
    indexes: BTreeMap<String, Index>,
    /// Unique constraints (their index names differ by backend: `sqlite_autoindex_t_2`, `t_c_key`).
    unique: BTreeSet<Vec<String>>,
    foreign_keys: BTreeSet<ForeignKey>,
    checks: usize,
    rows: i64,
}

#[derive(Debug)]
struct Column {
    name: String,
    ty: Result<&'static str, String>,
    not_null: bool,
    default: Option<String>,
}

#[derive(Debug, Default, PartialEq)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    references: Vec<String>,
    on_update: String,
    on_delete: String,
}

impl std::fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "({}) -> {} ({}) on update {} on delete {}",
            self.columns.join(", "),
            self.table,
            self.references.join(", "),
            self.on_update,
            self.on_delete
        )
    }
}

/// A default as both backends can agree on it: lower case, without PostgreSQL's casts
/// (`'x'::text`) and outer parentheses.
fn normalize_default(raw: &str) -> String {
    let mut s = raw.trim().to_lowercase();
    loop {
        let before = s.clone();
        if let Some((value, cast)) = s.rsplit_once("::") {
            if cast.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '_') {
                s = value.trim().to_owned();
            }
        }
        if s.starts_with('(') && s.ends_with(')') {
            s = s[1..s.len() - 1].trim().to_owned();
        }
        if s == before {
            return s;
        }
    }
}

/// How many `CHECK (` constraints a `CREATE TABLE` statement declares (SQLite keeps only the text).
fn count_checks(sql: &str) -> usize {
    let upper = sql.to_uppercase();
    upper
        .match_indices("CHECK")
        .filter(|(at, _)| {
            let before = upper[..*at].chars().next_back();
            let after = upper[at + 5..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"') && after == Some('(')
        })
        .count()
}

// ---------------------------------------------------------------------------------------------
// Catalog queries. The row types are shared: each backend's query answers in the same shape.

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct TableSql {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    /// Position in the primary key (SQLite), 0 when not in it or not reported (PostgreSQL).
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct IndexColumnRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    idx: String,
    /// `pk` (primary key), `u` (unique constraint) or `c` (`CREATE INDEX`).
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    uniq: bool,
    #[diesel(sql_type = Bool)]
    partial: bool,
    #[diesel(sql_type = BigInt)]
    seqno: i64,
    #[diesel(sql_type = Nullable<Text>)]
    col: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    /// SQLite leaves it empty for `REFERENCES t` (the primary key of `t`).
    #[diesel(sql_type = Nullable<Text>)]
    ref_col: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Rows {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const SQLITE_TABLES: &str = "SELECT name AS tbl, sql FROM sqlite_master WHERE type = 'table' \
     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '__diesel_schema_migrations' ORDER BY name";
const SQLITE_COLUMNS: &str = "SELECT m.name AS tbl, p.name AS name, p.type AS ty, p.\"notnull\" <> 0 AS not_null, \
     p.dflt_value AS dflt, p.pk AS pk FROM sqlite_master m, pragma_table_info(m.name) p \
     WHERE m.type = 'table' ORDER BY m.name, p.cid";
const SQLITE_INDEXES: &str = "SELECT m.name AS tbl, l.name AS idx, l.origin AS kind, l.\"unique\" <> 0 AS uniq, \
     l.partial <> 0 AS partial, i.seqno AS seqno, i.name AS col \
     FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) i \
     WHERE m.type = 'table' ORDER BY m.name, l.name, i.seqno";
const SQLITE_FOREIGN_KEYS: &str = "SELECT m.name AS tbl, CAST(f.id AS TEXT) AS id, f.seq AS seq, f.\"from\" AS col, \
     f.\"table\" AS ref_table, f.\"to\" AS ref_col, f.on_update AS on_update, f.on_delete AS on_delete \
     FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq";
const SQLITE_VIEWS: &str = "SELECT name FROM sqlite_master WHERE type = 'view'";
const SQLITE_TRIGGERS: &str = "SELECT tbl_name || '.' || name AS name FROM sqlite_master WHERE type = 'trigger'";

const PG_TABLES: &str = "SELECT table_name::text AS tbl, NULL::text AS sql FROM information_schema.tables \
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
     AND table_name <> '__diesel_schema_migrations' ORDER BY table_name";
const PG_COLUMNS: &str = "SELECT c.table_name::text AS tbl, c.column_name::text AS name, c.data_type::text AS ty, \
     c.is_nullable = 'NO' AS not_null, c.column_default::text AS dflt, 0::bigint AS pk \
     FROM information_schema.columns c WHERE c.table_schema = current_schema() \
     ORDER BY c.table_name, c.ordinal_position";
const PG_INDEXES: &str = "SELECT t.relname::text AS tbl, i.relname::text AS idx, \
     CASE WHEN x.indisprimary THEN 'pk' \
          WHEN EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid \
                       AND c.conrelid = x.indrelid AND c.contype = 'u') THEN 'u' \
          ELSE 'c' END AS kind, \
     x.indisunique AS uniq, x.indpred IS NOT NULL AS partial, k.n - 1 AS seqno, a.attname::text AS col \
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
     JOIN pg_namespace ns ON ns.oid = t.relnamespace \
     CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
     LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum \
     WHERE ns.nspname = current_schema() AND k.n <= x.indnkeyatts ORDER BY 1, 2, k.n";
const PG_FOREIGN_KEYS: &str = "SELECT t.relname::text AS tbl, c.conname::text AS id, k.n - 1 AS seq, \
     a.attname::text AS col, r.relname::text AS ref_table, ra.attname::text AS ref_col, \
     CASE c.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' \
          WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_update, \
     CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' \
          WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_delete \
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid \
     JOIN pg_namespace ns ON ns.oid = t.relnamespace \
     CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, refnum, n) \
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
     JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refnum \
     WHERE c.contype = 'f' AND ns.nspname = current_schema() ORDER BY 1, 2, 3";
const PG_CHECKS: &str = "SELECT t.relname::text AS tbl, count(*) AS n FROM pg_constraint c \
     JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace \
     WHERE c.contype = 'c' AND ns.nspname = current_schema() GROUP BY t.relname";
const PG_VIEWS: &str = "SELECT table_name::text AS name FROM information_schema.views \
     WHERE table_schema = current_schema()";
const PG_TRIGGERS: &str = "SELECT t.relname::text || '.' || g.tgname::text AS name FROM pg_trigger g \
     JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace \
     WHERE NOT g.tgisinternal AND ns.nspname = current_schema()";

/// Runs one catalog query on whichever backend the connection is.
fn load<T>(conn: &mut DbConn, sql: &str) -> Vec<T>
where
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    let rows = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        DbConn::Pg(c) => diesel::sql_query(sql).load(c),
    };
    rows.unwrap_or_else(|e| panic!("catalog query failed: {e}\n{sql}"))
}

/// Applies the server's migrations to the empty database at `url` and reads its schema back.
fn migrate_and_read(url: &str, side: Side) -> Schema {
    let db = Db::open(url).unwrap_or_else(|e| panic!("{}: the migrations do not apply: {e:?}", side.name()));
    let mut pooled = db.conn().expect("a connection");
    let conn: &mut DbConn = &mut pooled;
    let q = |sqlite: &'static str, pg: &'static str| match side {
        Side::Sqlite => sqlite,
        Side::Postgres => pg,
    };
    let mut schema = Schema::default();
    for t in load::<TableSql>(conn, q(SQLITE_TABLES, PG_TABLES)) {
        let table = Table { checks: t.sql.as_deref().map_or(0, count_checks), ..Table::default() };
        schema.tables.insert(t.tbl, table);
    }
    let mut pk: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for c in load::<ColumnRow>(conn, q(SQLITE_COLUMNS, PG_COLUMNS)) {
        let Some(table) = schema.tables.get_mut(&c.tbl) else { continue };
        if c.pk > 0 {
            pk.entry(c.tbl.clone()).or_default().push((c.pk, c.name.clone()));
        }
        table.columns.push(Column {
            ty: side.normalize_type(&c.ty),
            name: c.name,
            not_null: c.not_null,
            default: c.dflt.as_deref().map(normalize_default),
        });
    }
    for (tbl, mut cols) in pk {
        cols.sort();
        schema.tables.get_mut(&tbl).unwrap().primary_key = cols.into_iter().map(|(_, c)| c).collect();
    }
    let mut indexes: BTreeMap<(String, String), (String, Index)> = BTreeMap::new();
    for r in load::<IndexColumnRow>(conn, q(SQLITE_INDEXES, PG_INDEXES)) {
        let entry = indexes
            .entry((r.tbl, r.idx))
            .or_insert_with(|| (r.kind, Index { unique: r.uniq, partial: r.partial, ..Index::default() }));
        assert_eq!(entry.1.columns.len() as i64, r.seqno, "index columns in order");
        entry.1.columns.push(r.col.unwrap_or_else(|| "<expression>".into()));
    }
    for ((tbl, name), (kind, index)) in indexes {
        let Some(table) = schema.tables.get_mut(&tbl) else { continue };
        match kind.as_str() {
            "pk" => {
                if table.primary_key.is_empty() {
                    table.primary_key = index.columns;
                } else {
                    assert_eq!(table.primary_key, index.columns, "{tbl}: the primary key index");
                }
            }
            "u" => {
                table.unique.insert(index.columns);
            }
            _ => {
                table.indexes.insert(name, index);
            }
        }
    }
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for r in load::<ForeignKeyRow>(conn, q(SQLITE_FOREIGN_KEYS, PG_FOREIGN_KEYS)) {
        let fk = fks.entry((r.tbl, r.id)).or_insert_with(|| ForeignKey {
            columns: vec![],
            table: r.ref_table.clone(),
            references: vec![],
            on_update: r.on_update.to_lowercase(),
            on_delete: r.on_delete.to_lowercase(),
        });
        assert_eq!(fk.columns.len() as i64, r.seq, "foreign key columns in order");
        fk.columns.push(r.col);
        // `REFERENCES t` without columns means t's primary key (resolved below).
        fk.references.extend(r.ref_col);
    }
    for ((tbl, _), mut fk) in fks {
        if fk.references.is_empty() {
            fk.references = schema.tables.get(&fk.table).map(|t| t.primary_key.clone()).unwrap_or_default();
        }
        if let Some(table) = schema.tables.get_mut(&tbl) {
            table.foreign_keys.insert(fk);
        }
    }
    if side == Side::Postgres {
        for c in load::<Count>(conn, PG_CHECKS) {
            if let Some(table) = schema.tables.get_mut(&c.tbl) {
                table.checks = c.n as usize;
            }
        }
    }
    for (name, table) in &mut schema.tables {
        let rows = load::<Rows>(conn, &format!("SELECT COUNT(*) AS n FROM \"{name}\""));
        table.rows = rows[0].n;
    }
    schema.views = load::<Name>(conn, q(SQLITE_VIEWS, PG_VIEWS)).into_iter().map(|n| n.name).collect();
    schema.triggers = load::<Name>(conn, q(SQLITE_TRIGGERS, PG_TRIGGERS)).into_iter().map(|n| n.name).collect();
    let versions = format!("SELECT version AS name FROM {DIESEL_TABLE} ORDER BY version");
    schema.applied = load::<Name>(conn, &versions).into_iter().map(|n| n.name).collect();
    schema
}

// ---------------------------------------------------------------------------------------------
// Comparison.

fn cols(c: &[String]) -> String {
    format!("({})", c.join(", "))
}

fn describe(i: &Index) -> String {
    format!("{}{}{}", if i.unique { "unique " } else { "" }, cols(&i.columns), if i.partial { " partial" } else { "" })
}

fn null(not_null: bool) -> &'static str {
    if not_null {
        "NOT NULL"
    } else {
        "NULL"
    }
}

fn type_name<'a>(t: &'a Result<&'static str, String>) -> &'a str {
    match t {
        Ok(t) => t,
        Err(raw) => raw,
    }
}

/// Types the map does not know, as failures.
fn unknown_types(schema: &Schema, side: Side, out: &mut Vec<String>) {
    for (tbl, table) in &schema.tables {
        for c in &table.columns {
            if let Err(raw) = &c.ty {
                out.push(format!(
                    "{tbl}.{}: {} type {raw:?} is not in the type map (TYPES in tests/api/migrations.rs)",
                    c.name,
                    side.name()
                ));
            }
        }
    }
}

/// Every difference between the two schemas, one line each.
fn differences(s: &Schema, p: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    unknown_types(s, Side::Sqlite, &mut out);
    unknown_types(p, Side::Postgres, &mut out);
    if s.applied != p.applied {
        out.push(format!("applied migrations: sqlite {:?} vs postgres {:?}", s.applied, p.applied));
    }
    for v in s.views.symmetric_difference(&p.views) {
        out.push(format!("view {v}: only in {}", if s.views.contains(v) { "sqlite" } else { "postgres" }));
    }
    for t in s.triggers.symmetric_difference(&p.triggers) {
        out.push(format!("trigger {t}: only in {}", if s.triggers.contains(t) { "sqlite" } else { "postgres" }));
    }
    let names: BTreeSet<&String> = s.tables.keys().chain(p.tables.keys()).collect();
    for name in names {
        let (a, b) = match (s.tables.get(name), p.tables.get(name)) {
            (Some(a), Some(b)) => (a, b),
            (Some(_), None) => {
                out.push(format!("table {name}: only in sqlite"));
                continue;
            }
            _ => {
                out.push(format!("table {name}: only in postgres"));
                continue;
            }
        };
        compare_table(name, a, b, &mut out);
    }
    out
}

fn compare_table(name: &str, a: &Table, b: &Table, out: &mut Vec<String>) {
    for ca in &a.columns {
        let Some(cb) = b.columns.iter().find(|c| c.name == ca.name) else {
            out.push(format!("{name}.{}: only in sqlite ({})", ca.name, type_name(&ca.ty)));
            continue;
        };
        if let (Ok(ta), Ok(tb)) = (&ca.ty, &cb.ty) {
            if ta != tb {
                out.push(format!("{name}.{}: type sqlite {ta} vs postgres {tb}", ca.name));
            }
        }
        if ca.not_null != cb.not_null {
            out.push(format!("{name}.{}: sqlite {} vs postgres {}", ca.name, null(ca.not_null), null(cb.not_null)));
        }
        if ca.default != cb.default {
            let d = |d: &Option<String>| d.clone().unwrap_or_else(|| "no default".into());
            out.push(format!("{name}.{}: default sqlite {} vs postgres {}", ca.name, d(&ca.default), d(&cb.default)));
        }
    }
    for cb in b.columns.iter().filter(|cb| !a.columns.iter().any(|c| c.name == cb.name)) {
        out.push(format!("{name}.{}: only in postgres ({})", cb.name, type_name(&cb.ty)));
    }
    let order = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let (oa, ob) = (order(a), order(b));
    if oa != ob && oa.iter().collect::<BTreeSet<_>>() == ob.iter().collect::<BTreeSet<_>>() {
        out.push(format!("{name}: column order sqlite {} vs postgres {}", cols(&oa), cols(&ob)));
    }
    if a.primary_key != b.primary_key {
        out.push(format!("{name}: primary key sqlite {} vs postgres {}", cols(&a.primary_key), cols(&b.primary_key)));
    }
    for (idx, ia) in &a.indexes {
        match b.indexes.get(idx) {
            None => out.push(format!("{name}: index {idx} {} only in sqlite", describe(ia))),
            Some(ib) if ia != ib => {
                out.push(format!("{name}: index {idx}: sqlite {} vs postgres {}", describe(ia), describe(ib)))
            }
            Some(_) => {}
        }
    }
    for (idx, ib) in b.indexes.iter().filter(|(i, _)| !a.indexes.contains_key(*i)) {
        out.push(format!("{name}: index {idx} {} only in postgres", describe(ib)));
    }
    for u in a.unique.difference(&b.unique) {
        out.push(format!("{name}: unique constraint {} only in sqlite", cols(u)));
    }
    for u in b.unique.difference(&a.unique) {
        out.push(format!("{name}: unique constraint {} only in postgres", cols(u)));
    }
    for fk in a.foreign_keys.difference(&b.foreign_keys) {
        out.push(format!("{name}: foreign key {fk} only in sqlite"));
    }
    for fk in b.foreign_keys.difference(&a.foreign_keys) {
        out.push(format!("{name}: foreign key {fk} only in postgres"));
    }
    if a.checks != b.checks {
        out.push(format!("{name}: CHECK constraints: sqlite {} vs postgres {}", a.checks, b.checks));
    }
    if a.rows != b.rows {
        out.push(format!("{name}: rows after migrating: sqlite {} vs postgres {}", a.rows, b.rows));
    }
}

/// What was read back, in figures (printed, so a run shows what it compared).
fn summary(s: &Schema) -> String {
    let sum = |f: fn(&Table) -> usize| s.tables.values().map(f).sum::<usize>();
    format!(
        "{} migrations, {} tables, {} columns, {} indexes, {} unique constraints, {} foreign keys, {} checks",
        s.applied.len(),
        s.tables.len(),
        sum(|t| t.columns.len()),
        sum(|t| t.indexes.len()),
        sum(|t| t.unique.len()),
        sum(|t| t.foreign_keys.len()),
        sum(|t| t.checks),
    )
}

fn fail_with(what: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    let mut msg = format!("{what} ({} problem(s)):\n", problems.len());
    for p in problems {
        let _ = writeln!(msg, "  - {p}");
    }
    panic!("{msg}");
}

// ---------------------------------------------------------------------------------------------
// A fresh, empty PostgreSQL database (the suite's `PgDatabase` copies the demo-county template).

/// The PostgreSQL server as the rest of the suite finds it (tests/support/pg.rs): `XUNJIAN_TEST_PG`,
/// else the local one on 127.0.0.1:5432 if it answers.
fn pg_admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("XUNJIAN_TEST_PG") {
        return Some(url);
    }
    let local: SocketAddr = "127.0.0.1:5432".parse().unwrap();
    TcpStream::connect_timeout(&local, Duration::from_secs(1))
        .is_ok()
        .then(|| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

struct EmptyPg {
    admin_url: String,
    name: String,
    url: String,
}

impl EmptyPg {
    /// `None` (after saying so) when there is no server and `CI` does not require one.
    fn create() -> Option<EmptyPg> {
        let Some(admin_url) = pg_admin_url() else {
            let required = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!required, "CI=true: PostgreSQL is required (set XUNJIAN_TEST_PG or run one on 127.0.0.1:5432)");
            eprintln!("SKIPPED on PostgreSQL: no server (set XUNJIAN_TEST_PG or run one on 127.0.0.1:5432)");
            return None;
        };
        let name = format!("xj_migrations_{}", uuid::Uuid::now_v7().simple());
        let mut admin =
            PgConnection::establish(&admin_url).unwrap_or_else(|e| panic!("PostgreSQL at {admin_url}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(EmptyPg { admin_url, name, url })
    }
}

impl Drop for EmptyPg {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The SQL without its `--` comment lines.
fn without_comments(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n")
}

/// Folder level: the same migration directories, the same files in each, and the same SQL once
/// comment lines are removed.
#[test]
fn the_folders_hold_the_same_migrations() {
    let root = migrations_root();
    let (sqlite, postgres) = (root.join("sqlite"), root.join("postgres"));
    let (ds, dp) = (sorted_names(&sqlite), sorted_names(&postgres));
    assert!(ds.len() >= 7, "{}: {ds:?}", sqlite.display());
    let mut problems = Vec::new();
    for d in ds.iter().filter(|d| !dp.contains(d)) {
        problems.push(format!("migration {d}: only in migrations/sqlite"));
    }
    for d in dp.iter().filter(|d| !ds.contains(d)) {
        problems.push(format!("migration {d}: only in migrations/postgres"));
    }
    for d in ds.iter().filter(|d| dp.contains(d)) {
        let (fs, fp) = (sorted_names(&sqlite.join(d)), sorted_names(&postgres.join(d)));
        if fs != fp {
            problems.push(format!("{d}: files sqlite {fs:?} vs postgres {fp:?}"));
        }
        for f in fs.iter().filter(|f| fp.contains(f)) {
            let read = |dir: &Path| std::fs::read_to_string(dir.join(d).join(f)).unwrap();
            let (a, b) = (read(&sqlite), read(&postgres));
            let same = if f.ends_with(".sql") { without_comments(&a) == without_comments(&b) } else { a == b };
            if !same {
                let diff = format!("diff migrations/sqlite/{d}/{f} migrations/postgres/{d}/{f}");
                problems.push(format!("{d}/{f}: differs beyond its comment lines ({diff})"));
            }
        }
        for f in ["up.sql", "down.sql"] {
            if !fs.contains(&f.to_owned()) {
                problems.push(format!("{d}: no {f} in migrations/sqlite"));
            }
        }
    }
    fail_with("migrations/sqlite and migrations/postgres differ", &problems);
}

/// The migrations the server applied (embedded when it was compiled) are the folder's. cargo
/// rebuilds the server when an embedded file changes, not when a migration directory is added.
fn stale_embedding(schema: &Schema, side: Side) -> Vec<String> {
    let folder: Vec<String> = sorted_names(&migrations_root().join(side.name()))
        .iter()
        .map(|d| d.split('_').next().unwrap().replace('-', ""))
        .collect();
    if schema.applied == folder {
        return vec![];
    }
    vec![format!(
        "the server applied {:?} but migrations/{} holds {folder:?}: rebuild it (touch server/src/db/pool.rs)",
        schema.applied,
        side.name()
    )]
}

/// Database level: both folders applied by the server's own runner build the same schema.
#[test]
fn both_backends_build_the_same_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("migrations.db");
    let sqlite = migrate_and_read(file.to_str().unwrap(), Side::Sqlite);

    // The catalog reading itself must see something, or two empty answers would compare equal.
    let tables = &sqlite.tables;
    assert!(tables.len() >= 25, "tables read back from SQLite: {:?}", tables.keys());
    assert!(tables.values().all(|t| !t.columns.is_empty() && !t.primary_key.is_empty()), "{tables:#?}");
    assert!(tables["users"].foreign_keys.iter().any(|fk| fk.table == "org_units"), "{:#?}", tables["users"]);
    assert!(tables["users"].unique.contains(&vec!["username".to_owned()]), "{:#?}", tables["users"]);
    assert!(tables["audit_log"].indexes.contains_key("audit_log_target"), "{:#?}", tables["audit_log"]);
    assert_eq!(tables["org_units"].checks, 1);
    fail_with("the SQLite schema", &stale_embedding(&sqlite, Side::Sqlite));

    let Some(pg) = EmptyPg::create() else {
        // Nothing to compare against; the type map still has to know every SQLite type.
        let mut problems = Vec::new();
        unknown_types(&sqlite, Side::Sqlite, &mut problems);
        fail_with("the SQLite schema", &problems);
        return;
    };
    let postgres = migrate_and_read(&pg.url, Side::Postgres);
    drop(pg);
    fail_with("the PostgreSQL schema", &stale_embedding(&postgres, Side::Postgres));
    eprintln!("migrations compared: sqlite {}; postgres {}", summary(&sqlite), summary(&postgres));
    fail_with("migrations/sqlite and migrations/postgres build different schemas", &differences(&sqlite, &postgres));
}
