//! Unit tests of `ledger` (kept beside it so the module itself stays short).

use super::*;
use crate::ids::OrgUnitId;

fn cells(pairs: &[(LedgerColumn, &str)]) -> Vec<(LedgerColumn, String)> {
    pairs.iter().map(|(c, s)| (*c, (*s).to_owned())).collect()
}

#[test]
fn headers_in_chinese_and_english() {
    let table = [
        ("名称", LedgerColumn::Name),
        ("场所名称", LedgerColumn::Name),
        (" *场所类型 ", LedgerColumn::PremiseType),
        ("村（社区）", LedgerColumn::Village),
        ("行政村", LedgerColumn::Village),
        ("消防安全责任人", LedgerColumn::ResponsiblePerson),
        ("联系电话", LedgerColumn::ResponsiblePhone),
        ("Responsible_Phone", LedgerColumn::ResponsiblePhone),
        ("LAT", LedgerColumn::Lat),
        ("经度", LedgerColumn::Lon),
    ];
    for (h, c) in table {
        assert_eq!(LedgerColumn::from_header(h), Some(c), "{h}");
    }
    assert_eq!(LedgerColumn::from_header("序号"), None);
    for c in LedgerColumn::ALL {
        assert_eq!(LedgerColumn::from_header(c.header_zh()), Some(c));
        assert_eq!(LedgerColumn::from_header(c.field()), Some(c));
    }
}

#[test]
fn reading_a_row() {
    use LedgerColumn as C;
    let (r, e) = read_row(
        3,
        &cells(&[
            (C::Name, " 张记五金店 "),
            (C::PremiseType, "门店"),
            (C::Lat, "35.14"),
            (C::Lon, "110.77"),
            (C::ResponsiblePhone, ""),
            (C::Notes, "二楼住人\r\n有电动车"),
        ]),
    );
    assert!(e.is_empty(), "{e:?}");
    assert_eq!((r.row, r.name.as_str(), r.premise_type), (3, "张记五金店", Some(PremiseType::StreetShop)));
    assert_eq!(r.location.map(|l| (l.lat, l.lon)), Some((35.14, 110.77)));
    assert_eq!(r.responsible_phone, None);
    assert_eq!(r.notes, "二楼住人\n有电动车");

    let (_, e) = read_row(4, &cells(&[(C::PremiseType, "加油站"), (C::Lat, "北纬35"), (C::Lon, "110.7")]));
    let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["premise_type", "lat"]);
    let (_, e) = read_row(5, &cells(&[(C::PremiseType, "单位"), (C::Lat, "35.1")]));
    assert_eq!(e, [RowError::new("location", "give both latitude (纬度) and longitude (经度), or neither")]);
}

#[test]
fn every_broken_rule_is_reported() {
    let p = Premise {
        id: PremiseId::new(),
        grid_id: OrgUnitId::new(),
        name: " ".into(),
        premise_type: PremiseType::Unit,
        address: "东街1号".into(),
        location: Some(GeoPoint { lat: 95.0, lon: 0.0, accuracy_m: None }),
        responsible_person: String::new(),
        responsible_phone: Some("call me".into()),
        notes: String::new(),
        active: true,
        version: 1,
    };
    let fields: Vec<String> = validate_all(&p).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["name", "responsible_person", "responsible_phone", "location"]);
    let ok = Premise { name: "x".into(), responsible_person: "y".into(), responsible_phone: None, location: None, ..p };
    assert!(validate_all(&ok).is_empty());
}

#[test]
fn roles() {
    assert!(may_import(Role::TownshipOffice) && may_import(Role::CountyAdmin));
    assert!(!may_import(Role::GridWorker) && !may_import(Role::FireBrigade));
    assert!(may_export(Role::FireBrigade) && !may_export(Role::PatrolWorker));
}
