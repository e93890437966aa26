//! Unit tests of `roadside` (kept beside it so the module itself stays short).

use super::*;

#[test]
fn who_may_do_what() {
    for role in Role::ALL {
        assert_eq!(may_edit(role), matches!(role, Role::CountyAdmin | Role::RoadStation), "{role:?}");
        assert_eq!(may_read(role), may_edit(role) || role == Role::Enforcement, "{role:?}");
        assert!(!may_name(role) || may_read(role), "{role:?} names but cannot read");
    }
    assert!(!may_name(Role::PatrolWorker) && !may_name(Role::CountyAdmin));
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn save() -> SaveRoadsideParty {
    SaveRoadsideParty {
        segment_id: SegmentId::new(),
        village: "东张村".into(),
        kind: PartyKind::Household,
        holder: "张建国".into(),
        phone: "139 1234 5678".into(),
        from_km: 3.2,
        to_km: 3.45,
        side: RoadSide::Left,
        agreement_on: Some(d(2026, 3, 1)),
        note: String::new(),
        active: true,
    }
}

pub(crate) fn party(holder: &str, from_km: f64, to_km: f64) -> RoadsideParty {
    RoadsideParty {
        id: RoadsidePartyId::new(),
        segment_id: SegmentId::new(),
        road_id: RoadId::new(),
        road_code: "X321".into(),
        township_id: OrgUnitId::new(),
        village: "东张村".into(),
        kind: PartyKind::Household,
        holder: holder.into(),
        phone: String::new(),
        from_km,
        to_km,
        side: RoadSide::Both,
        agreement_on: None,
        note: String::new(),
        active: true,
        updated_at: DateTime::<Utc>::default(),
    }
}

#[test]
fn labels_read_as_villages_write_them() {
    for k in PartyKind::ALL {
        assert_eq!(PartyKind::from_label(k.label_zh()), Some(k));
        assert_eq!(PartyKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(PartyKind::from_label(""), Some(PartyKind::Household));
    assert_eq!(PartyKind::from_label("冷库"), Some(PartyKind::FruitStore));
    assert_eq!(PartyKind::from_label("合作社"), None);
    for s in RoadSide::ALL {
        assert_eq!(RoadSide::from_label(s.label_zh()), Some(s));
        assert_eq!(RoadSide::parse(s.as_str()), Some(s));
    }
    assert_eq!(RoadSide::from_label(" 路左 "), Some(RoadSide::Left));
    assert_eq!(RoadSide::from_label("R"), Some(RoadSide::Right));
    assert_eq!(RoadSide::from_label("北侧"), None);
}

#[test]
fn phones() {
    for ok in ["", "13912345678", "139 1234 5678", "0359-4021234", "+86 139 1234 5678", "4021234"] {
        assert_eq!(phone_error(ok), None, "{ok}");
    }
    for bad in ["402123", "139123456789012345678", "电话13912345678", "+-------", "139/1234/5678"] {
        assert!(phone_error(bad).is_some(), "{bad}");
    }
}

#[test]
fn a_plot_lies_within_its_segment() {
    let today = d(2026, 4, 1);
    let seg = (3.0, 8.0);
    assert_eq!(save().validate(seg, today), Ok(()));
    let with = |f: fn(&mut SaveRoadsideParty)| {
        let mut s = save();
        f(&mut s);
        s.validate(seg, today).map_err(|e| e.0)
    };
    // The ends of the segment are inside; a gate is a plot of no length.
    assert_eq!(
        with(|s| {
            s.from_km = 3.0;
            s.to_km = 8.0
        }),
        Ok(())
    );
    assert_eq!(with(|s| s.to_km = s.from_km), Ok(()));
    assert_eq!(with(|s| s.from_km = 2.999), Err("from_km"));
    assert_eq!(with(|s| s.to_km = 8.001), Err("to_km"));
    assert_eq!(with(|s| s.to_km = 3.1), Err("to_km"));
    assert_eq!(with(|s| s.from_km = f64::NAN), Err("from_km"));
    assert_eq!(with(|s| s.holder = " ".into()), Err("holder"));
    assert_eq!(with(|s| s.holder = "张".repeat(51)), Err("holder"));
    assert_eq!(with(|s| s.holder = "张".repeat(50)), Ok(()));
    assert_eq!(with(|s| s.village = String::new()), Err("village"));
    assert_eq!(with(|s| s.phone = "123".into()), Err("phone"));
    assert_eq!(with(|s| s.agreement_on = Some(d(2026, 4, 1))), Ok(()), "signed today");
    assert_eq!(with(|s| s.agreement_on = Some(d(2026, 4, 2))), Err("agreement_on"));
    assert_eq!(with(|s| s.note = "字".repeat(501)), Err("note"));
}

#[test]
fn summary_counts_the_active() {
    let mut a = party("甲", 1.0, 1.1);
    a.agreement_on = Some(d(2026, 1, 1));
    a.phone = "13900000000".into();
    let mut gone = party("乙", 1.0, 1.1);
    gone.active = false;
    let s = RoadsideSummary::of(&[a, gone, party("丙", 2.0, 2.0)]);
    assert_eq!((s.parties, s.signed, s.no_phone), (2, 1, 1));
}
