//! The patrol draft: which fixes are kept, what blocks the end, and the record the phone shows
//! being the one the server makes.

use super::*;
use chrono::TimeZone;

fn at(s: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap() + Duration::seconds(s)
}

/// A 2 km road north from (35.05, 110.64), as the demo's segments.
fn line() -> Vec<GeoPoint> {
    let p = |km: f64| GeoPoint { lat: 35.05 + km / 111.195, lon: 110.64, accuracy_m: None };
    vec![p(0.0), p(1.0), p(2.0)]
}

fn fix(m: f64, s: i64, acc: f64) -> TrackPoint {
    TrackPoint { lat: 35.05 + m / 111_195.0, lon: 110.64, t: at(s), acc }
}

fn photo(c: char) -> PhotoRef {
    PhotoRef::try_from(c.to_string().repeat(64)).unwrap()
}

fn draft() -> PatrolDraft {
    PatrolDraft::new(PatrolId::new(), vec![(SegmentId::new(), line())], at(0))
}

fn finding(d: &PatrolDraft, text: &str) -> RoadFinding {
    RoadFinding {
        id: RoadIssueId::new(),
        segment_id: d.segments[0].0,
        category: FindingCategory::PavementDamage,
        description: text.into(),
        location: GeoPoint { lat: 35.051, lon: 110.64, accuracy_m: Some(6.0) },
        photos: Vec::new(),
        found_at: at(30),
    }
}

#[test]
fn fixes_are_kept_when_they_add_something() {
    let first = fix(0.0, 0, 8.0);
    assert!(keep_fix(None, &first));
    assert!(!keep_fix(None, &fix(0.0, 0, 120.0)), "an indoor fix is never kept");
    assert!(!keep_fix(Some(&first), &fix(3.0, 5, 8.0)), "standing still adds nothing");
    assert!(keep_fix(Some(&first), &fix(12.0, 5, 8.0)));
    assert!(keep_fix(Some(&first), &fix(3.0, 61, 8.0)), "a heartbeat a minute later");
    assert!(!keep_fix(Some(&first), &fix(50.0, -5, 8.0)), "time going backwards");
}

#[test]
fn the_end_is_blocked_until_every_item_is_answered_and_findings_are_described() {
    let mut d = draft();
    for item in &RoadCheckItem::ALL[..6] {
        d.apply(Edit::Pass(*item, true, None));
    }
    let f = finding(&d, "  ");
    d.apply(Edit::AddFinding(Box::new(f.clone())));
    let err = d.submission(&[], at(100)).unwrap_err();
    assert_eq!(err, vec![Blocker::Unanswered(RoadCheckItem::NoIllegalBuilding), Blocker::Finding(f.id)]);
    d.apply(Edit::Pass(RoadCheckItem::NoIllegalBuilding, true, None));
    d.apply(Edit::Description(f.id, " 路面坑槽约两平方米 ".into()));
    let sub = d.submission(&[], at(100)).unwrap();
    assert_eq!(sub.findings[0].description, "路面坑槽约两平方米");
    assert_eq!(sub.checks.iter().map(|c| c.item).collect::<Vec<_>>(), RoadCheckItem::ALL.to_vec());
    d.apply(Edit::RemoveFinding(f.id));
    assert!(d.submission(&[], at(100)).unwrap().findings.is_empty());
}

#[test]
fn checks_keep_their_order_photo_note_and_position_whatever_order_they_were_answered_in() {
    let mut d = draft();
    let here = GeoPoint { lat: 35.06, lon: 110.64, accuracy_m: Some(5.0) };
    for item in RoadCheckItem::ALL.iter().rev() {
        d.apply(Edit::Pass(*item, *item != RoadCheckItem::Ditches, Some(here)));
    }
    d.apply(Edit::CheckNote(RoadCheckItem::Ditches, " 淤堵 ".into()));
    d.apply(Edit::CheckPhoto(RoadCheckItem::Ditches, photo('a')));
    let sub = d.submission(&[], at(60)).unwrap();
    let ditches = &sub.checks[2];
    assert_eq!((ditches.item, ditches.pass), (RoadCheckItem::Ditches, false));
    assert_eq!(ditches.note.as_deref(), Some("淤堵"));
    assert_eq!(ditches.photo, Some(photo('a')));
    assert_eq!(ditches.location, Some(here));
    assert_eq!(sub.checks[0].note, None);
    xunjian_shared::road::checklist::validate_checks(&sub.checks).unwrap();
}

#[test]
fn the_record_on_the_phone_is_the_one_the_server_makes() {
    let mut d = draft();
    for item in RoadCheckItem::ALL {
        d.apply(Edit::Pass(item, item != RoadCheckItem::Trees, None));
    }
    // 1 km along the 2 km line, a fix every 5 m (thinned to one per 10 m).
    let track: Vec<TrackPoint> = (0..=200).map(|i| fix(i as f64 * 5.0, i * 2, 6.0)).collect();
    let sub = d.submission(&track, at(400)).unwrap();
    assert_eq!(sub.track.len(), track.len(), "the track is sent as recorded");
    let p = patrol_record(&sub, &d.segments, UserId::new(), at(401));
    let thinned = thin(&track);
    assert_eq!(p.submitted.track, thinned);
    assert!((p.distance_m - 1000.0).abs() < 15.0, "{}", p.distance_m);
    let cov = p.coverage[0].1.unwrap();
    assert!((cov - 0.5).abs() < 0.05, "{cov}");
    assert!((p.checklist_score - 600.0 / 7.0).abs() < 1e-9);
    let live = figures(&d.segments, &track);
    assert_eq!(live.distance_m, p.distance_m);
    assert_eq!(live.coverage, p.coverage);
    assert_eq!(mean_coverage(&p.coverage), Some(cov));
    assert_eq!(mean_coverage(&[(SegmentId::new(), None)]), None);
}

#[test]
fn a_finding_goes_to_the_nearest_segment() {
    let far: Vec<GeoPoint> = line().iter().map(|p| GeoPoint { lon: p.lon + 0.1, ..*p }).collect();
    let (a, b) = (SegmentId::new(), SegmentId::new());
    let segments = vec![(a, far), (b, line())];
    let here = GeoPoint { lat: 35.055, lon: 110.6401, accuracy_m: None };
    assert_eq!(nearest_segment(&segments, Some(&here)), Some(b));
    assert!(nearest_segment(&segments, None).is_some(), "no position: still one of the patrol's");
    assert_eq!(nearest_segment(&[], Some(&here)), None);
}

#[test]
fn drafts_of_an_older_shape_still_open() {
    let d = draft();
    let mut v = serde_json::to_value(&d).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("findings");
    o.remove("notes");
    let back: PatrolDraft = serde_json::from_value(v).unwrap();
    assert_eq!(back, d);
}
