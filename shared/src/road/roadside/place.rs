//! A road issue's place along its segment, and the registered parties nearest it: the GPS point
//! projected onto the segment's surveyed line gives the road's km there ([`km_at`]); the plots are
//! offered by their distance along the road from it ([`candidates`]).

use super::RoadsideParty;
use crate::premise::GeoPoint;
use serde::{Deserialize, Serialize};

/// At most this many parties are offered for a road issue, nearest first.
pub const MAX_CANDIDATES: usize = 30;

/// Where a point lies along a segment's line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmAt {
    /// The road's km at the point's foot on the line.
    pub km: f64,
    /// How far the point is from the line, in metres.
    pub off_m: f64,
}

/// Projects a point onto a segment's surveyed line and answers the road's km there: the distance
/// along the line to the foot of the point, scaled to the segment's km range (a surveyed line is
/// rarely exactly as long as the register says). `None` without a line (fewer than two points, or
/// of no length).
pub fn km_at(line: &[GeoPoint], (from_km, to_km): (f64, f64), p: &GeoPoint) -> Option<KmAt> {
    if line.len() < 2 {
        return None;
    }
    let k = 111_320.0;
    let mut best: Option<(f64, f64)> = None; // (off, along)
    let mut along = 0.0;
    for w in line.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let cos = a.lat.to_radians().cos();
        let (bx, by) = ((b.lon - a.lon) * k * cos, (b.lat - a.lat) * k);
        let (px, py) = ((p.lon - a.lon) * k * cos, (p.lat - a.lat) * k);
        let len2 = bx * bx + by * by;
        let t = if len2 == 0.0 { 0.0 } else { ((px * bx + py * by) / len2).clamp(0.0, 1.0) };
        let off = ((px - t * bx).powi(2) + (py - t * by).powi(2)).sqrt();
        if best.is_none_or(|(o, _)| off < o) {
            best = Some((off, along + t * len2.sqrt()));
        }
        along += len2.sqrt();
    }
    let (off_m, at) = best?;
    (along > 0.0).then(|| KmAt { km: from_km + (to_km - from_km) * (at / along), off_m })
}

/// A registered party offered as responsible for a road issue, with how far its plot is from the
/// issue's place along the road.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadsideCandidate {
    /// The party.
    pub party: RoadsideParty,
    /// Metres along the road from the place to the plot (0 inside it); none when the
    /// segment has no surveyed line, so the place is not known in km.
    pub distance_m: Option<f64>,
}

/// The active parties along a road issue's road, nearest plot first when the km is known
/// (ties by km), else in km order; at most [`MAX_CANDIDATES`].
pub fn candidates(parties: Vec<RoadsideParty>, km: Option<f64>) -> Vec<RoadsideCandidate> {
    let mut out: Vec<RoadsideCandidate> = parties
        .into_iter()
        .filter(|p| p.active)
        .map(|party| {
            let distance_m = km.map(|km| {
                let gap = if km < party.from_km {
                    party.from_km - km
                } else if km > party.to_km {
                    km - party.to_km
                } else {
                    0.0
                };
                (gap * 1000.0).round()
            });
            RoadsideCandidate { party, distance_m }
        })
        .collect();
    out.sort_by(|a, b| {
        let d = |c: &RoadsideCandidate| c.distance_m.unwrap_or(0.0);
        d(a).total_cmp(&d(b))
            .then(a.party.from_km.total_cmp(&b.party.from_km))
            .then(a.party.holder.cmp(&b.party.holder))
    });
    out.truncate(MAX_CANDIDATES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::road::roadside::tests::party;

    #[test]
    fn a_point_is_placed_along_the_line_in_the_segments_km() {
        // A straight line east 1 km long (at 35°N, 1 km ≈ 0.010 98° of longitude) for km 3–5: the
        // register's 2 km are laid over the surveyed 1 km.
        let lon_km = 1.0 / (111.32 * 35f64.to_radians().cos());
        let p = |lat: f64, lon: f64| GeoPoint { lat, lon, accuracy_m: None };
        let line = [p(35.0, 110.0), p(35.0, 110.0 + lon_km / 2.0), p(35.0, 110.0 + lon_km)];
        let at = km_at(&line, (3.0, 5.0), &p(35.0, 110.0 + lon_km / 4.0)).unwrap();
        assert!((at.km - 3.5).abs() < 1e-6 && at.off_m < 0.01, "{at:?}");
        // 30 m north of the line's end: km 5, 30 m off.
        let at = km_at(&line, (3.0, 5.0), &p(35.0 + 30.0 / 111_320.0, 110.0 + lon_km)).unwrap();
        assert!((at.km - 5.0).abs() < 1e-6 && (at.off_m - 30.0).abs() < 0.01, "{at:?}");
        // Before the start: clamped to the start.
        let at = km_at(&line, (3.0, 5.0), &p(35.0, 109.99)).unwrap();
        assert!((at.km - 3.0).abs() < 1e-9, "{at:?}");
        assert_eq!(km_at(&line[..1], (3.0, 5.0), &line[0]), None);
        assert_eq!(km_at(&[line[0], line[0]], (3.0, 5.0), &line[0]), None, "a line of no length");
    }

    #[test]
    fn candidates_nearest_plot_first_inactive_left_out() {
        let mut gone = party("已搬走", 3.3, 3.4);
        gone.active = false;
        let list = vec![party("李四", 4.0, 4.2), party("张三", 3.2, 3.45), gone, party("王五", 3.5, 3.6)];
        let c = candidates(list.clone(), Some(3.46));
        let names: Vec<&str> = c.iter().map(|c| c.party.holder.as_str()).collect();
        assert_eq!(names, ["张三", "王五", "李四"]);
        assert_eq!(c.iter().map(|c| c.distance_m).collect::<Vec<_>>(), [Some(10.0), Some(40.0), Some(540.0)]);
        // Inside a plot: 0 m; without a km (no surveyed line): km order.
        assert_eq!(candidates(list.clone(), Some(3.3))[0].distance_m, Some(0.0));
        let names: Vec<String> = candidates(list, None).into_iter().map(|c| c.party.holder).collect();
        assert_eq!(names, ["张三", "王五", "李四"]);
    }
}
