//! GPS tracks of patrols: thinning, distance, and how much of a segment the track covered.

use crate::premise::GeoPoint;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One recorded position.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackPoint {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// When (device clock).
    pub t: DateTime<Utc>,
    /// Accuracy radius in metres.
    pub acc: f64,
}

impl TrackPoint {
    /// As a position.
    pub fn point(&self) -> GeoPoint {
        GeoPoint { lat: self.lat, lon: self.lon, accuracy_m: Some(self.acc) }
    }
}

/// Points less accurate than this are dropped (a phone indoors reports kilometres off).
pub const MAX_ACCURACY_M: f64 = 50.0;
/// Consecutive kept points are at least this far apart (a phone reports every second; on foot that
/// is a metre or two, which only costs storage).
pub const MIN_SPACING_M: f64 = 10.0;
/// A track point within this distance of the road counts as being on it.
pub const ON_ROAD_M: f64 = 30.0;
/// The segment is checked every this many metres along its line.
pub const SAMPLE_STEP_M: f64 = 25.0;

/// Thins a track: drops inaccurate points and points closer than [`MIN_SPACING_M`] to the last one
/// kept, and points whose time goes backwards. The first and last good points are always kept.
pub fn thin(points: &[TrackPoint]) -> Vec<TrackPoint> {
    let good: Vec<&TrackPoint> = points
        .iter()
        .filter(|p| p.acc.is_finite() && p.acc <= MAX_ACCURACY_M && p.point().validate().is_ok())
        .collect();
    let mut out: Vec<TrackPoint> = Vec::with_capacity(good.len());
    for (i, p) in good.iter().enumerate() {
        let last = i + 1 == good.len();
        match out.last() {
            None => out.push(**p),
            Some(prev) if p.t < prev.t => {}
            Some(prev) if last || prev.point().distance_m(&p.point()) >= MIN_SPACING_M => out.push(**p),
            _ => {}
        }
    }
    out
}

/// Length of a track in metres.
pub fn distance_m(points: &[TrackPoint]) -> f64 {
    points.windows(2).map(|w| w[0].point().distance_m(&w[1].point())).sum()
}

/// Distance in metres from `p` to the segment `a`–`b` (local flat projection: fine over a few km).
fn to_segment_m(p: &GeoPoint, a: &GeoPoint, b: &GeoPoint) -> f64 {
    let k = 111_320.0;
    let cos = a.lat.to_radians().cos();
    let (ax, ay) = (0.0, 0.0);
    let (bx, by) = ((b.lon - a.lon) * k * cos, (b.lat - a.lat) * k);
    let (px, py) = ((p.lon - a.lon) * k * cos, (p.lat - a.lat) * k);
    let len2 = bx * bx + by * by;
    let t = if len2 == 0.0 { 0.0 } else { (((px - ax) * bx + (py - ay) * by) / len2).clamp(0.0, 1.0) };
    let (cx, cy) = (ax + t * bx, ay + t * by);
    ((px - cx).powi(2) + (py - cy).powi(2)).sqrt()
}

/// Points every [`SAMPLE_STEP_M`] metres along a polyline (its vertices included).
pub fn sample_line(line: &[GeoPoint]) -> Vec<GeoPoint> {
    let mut out = Vec::new();
    for w in line.windows(2) {
        let len = w[0].distance_m(&w[1]);
        let steps = (len / SAMPLE_STEP_M).ceil().max(1.0) as usize;
        for i in 0..steps {
            let f = i as f64 / steps as f64;
            out.push(GeoPoint {
                lat: w[0].lat + f * (w[1].lat - w[0].lat),
                lon: w[0].lon + f * (w[1].lon - w[0].lon),
                accuracy_m: None,
            });
        }
    }
    if let Some(last) = line.last() {
        out.push(*last);
    }
    out
}

/// The share (0–1) of a segment's line that the track passed within [`ON_ROAD_M`] of. `None` when
/// the segment has no surveyed line. A patrol that never left the village covers nothing.
pub fn coverage(line: &[GeoPoint], track: &[TrackPoint]) -> Option<f64> {
    coverage_by_all(line, &[track])
}

/// The share (0–1) of a segment's line that any of the tracks passed within [`ON_ROAD_M`] of: a
/// month's patrols together, so what is left is the stretch nobody walked. `None` without a line.
pub fn coverage_by_all(line: &[GeoPoint], tracks: &[&[TrackPoint]]) -> Option<f64> {
    if line.len() < 2 {
        return None;
    }
    let samples = sample_line(line);
    let tracks: Vec<Vec<GeoPoint>> =
        tracks.iter().filter(|t| !t.is_empty()).map(|t| t.iter().map(TrackPoint::point).collect()).collect();
    let near = |s: &GeoPoint, pts: &[GeoPoint]| {
        if pts.len() == 1 {
            return s.distance_m(&pts[0]) <= ON_ROAD_M;
        }
        pts.windows(2).any(|w| to_segment_m(s, &w[0], &w[1]) <= ON_ROAD_M)
    };
    let covered = samples.iter().filter(|s| tracks.iter().any(|pts| near(s, pts))).count();
    Some(covered as f64 / samples.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn at(i: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap() + Duration::seconds(i)
    }

    /// A straight road north from (35.0, 110.0), `km` long.
    fn road(km: f64) -> Vec<GeoPoint> {
        vec![
            GeoPoint { lat: 35.0, lon: 110.0, accuracy_m: None },
            GeoPoint { lat: 35.0 + km / 111.195, lon: 110.0, accuracy_m: None },
        ]
    }

    /// A walk along the road from `from_km` to `to_km`, offset `off_m` metres east, a point per 5 m.
    fn walk(from_km: f64, to_km: f64, off_m: f64) -> Vec<TrackPoint> {
        let n = ((to_km - from_km) * 200.0) as i64;
        (0..=n)
            .map(|i| TrackPoint {
                lat: 35.0 + (from_km + (to_km - from_km) * i as f64 / n as f64) / 111.195,
                lon: 110.0 + off_m / (111_320.0 * 35f64.to_radians().cos()),
                t: at(i * 4),
                acc: 8.0,
            })
            .collect()
    }

    #[test]
    fn thinning_keeps_the_shape_and_drops_noise() {
        let mut w = walk(0.0, 1.0, 0.0);
        w.insert(10, TrackPoint { acc: 800.0, ..w[10] });
        let thin = thin(&w);
        // Points every 5 m thinned to one per 10 m over 1 km, the noisy one gone.
        assert!((95..=102).contains(&thin.len()), "{} of {}", thin.len(), w.len());
        assert!(thin.iter().all(|p| p.acc <= MAX_ACCURACY_M));
        assert!((distance_m(&thin) - 1000.0).abs() < 15.0, "{}", distance_m(&thin));
        assert_eq!(thin.first().unwrap().t, w[0].t);
        assert_eq!(thin.last().unwrap().t, w.last().unwrap().t);
    }

    #[test]
    fn coverage_counts_only_the_road_walked() {
        let line = road(5.0);
        assert!((coverage(&line, &walk(0.0, 5.0, 5.0)).unwrap() - 1.0).abs() < 0.01);
        let half = coverage(&line, &walk(0.0, 2.5, 5.0)).unwrap();
        assert!((half - 0.5).abs() < 0.02, "{half}");
        // Staying in the village 300 m off the road covers nothing.
        assert_eq!(coverage(&line, &walk(0.0, 5.0, 300.0)), Some(0.0));
        assert_eq!(coverage(&line, &[]), Some(0.0));
        assert_eq!(coverage(&line[..1], &walk(0.0, 1.0, 0.0)), None);
    }

    proptest! {
        #[test]
        fn coverage_is_a_share_and_grows_with_the_walk(a in 0.0f64..4.0, len in 0.2f64..1.0) {
            let line = road(5.0);
            let short = coverage(&line, &walk(a, a + len / 2.0, 0.0)).unwrap();
            let long = coverage(&line, &walk(a, a + len, 0.0)).unwrap();
            prop_assert!((0.0..=1.0).contains(&short) && (0.0..=1.0).contains(&long));
            prop_assert!(long + 1e-9 >= short);
        }
    }

    #[test]
    fn a_months_patrols_cover_together_what_each_walked() {
        let line = road(2.0);
        let first_half = walk(0.0, 1.0, 5.0);
        let second_half = walk(1.0, 2.0, 5.0);
        let one = coverage(&line, &first_half).unwrap_or_default();
        let other = coverage(&line, &second_half).unwrap_or_default();
        assert!((0.45..0.56).contains(&one) && (0.45..0.56).contains(&other), "{one} {other}");
        let both = coverage_by_all(&line, &[&first_half, &second_half]).unwrap_or_default();
        assert!(both > 0.98, "together the whole road: {both}");
        assert_eq!(
            coverage_by_all(&line, &[&first_half, &first_half]),
            coverage(&line, &first_half),
            "the same stretch twice counts once"
        );
        assert_eq!(coverage_by_all(&line, &[]), Some(0.0), "no patrol: nothing covered");
        assert_eq!(coverage_by_all(&line[..1], &[&first_half]), None, "no surveyed line");
    }
}
