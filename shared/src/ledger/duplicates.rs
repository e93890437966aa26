//! The duplicate rule of a ledger import: a row is a likely duplicate of a premise (or of another row)
//! in the same village at the same address once normalised, or of one within a radius (~20 m)
//! wherever it is. Duplicates are warnings: the office decides.

use crate::premise::GeoPoint;
use std::collections::{BTreeMap, HashMap};

/// One premise or row as the duplicate rule sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct DupEntry {
    /// Its village: an id, or any key that is equal exactly for the same village.
    pub village: String,
    /// The address, normalised with [`normalise_address`]; empty never matches.
    pub address: String,
    /// Where it is.
    pub location: Option<GeoPoint>,
}

/// What a row duplicates: an existing premise or another row (indexes into the slices given).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DupTarget {
    /// `existing[i]`.
    Existing(usize),
    /// `rows[i]`.
    Row(usize),
}

/// One likely duplicate of a row.
#[derive(Clone, Debug, PartialEq)]
pub struct DupMatch {
    /// The other one.
    pub target: DupTarget,
    /// Same village and same normalised address.
    pub same_address: bool,
    /// Metres apart, when both have a position.
    pub distance_m: Option<f64>,
}

/// Separators that people write or leave out at will; dashes, `#` and digits are kept ("3-1号" is
/// not "31号").
const IGNORED: &str = ",.;:()[]<>\"'，。、；：（）【】《》“”‘’·";

fn basic(s: &str) -> String {
    s.chars()
        .map(|c| match c as u32 {
            // Full-width ASCII forms (ＡＢＣ１２３－) as ASCII.
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| if matches!(c, '—' | '–' | '‐' | '－') { '-' } else { c })
        .filter(|c| !c.is_whitespace() && !IGNORED.contains(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The address as compared: no spaces or punctuation, full-width letters and digits as ASCII, and
/// everything up to the village's name dropped ("临猗县猗氏镇东街村主街1号" and "东街村 主街１号" are
/// both "主街1号" in 东街村).
pub fn normalise_address(address: &str, village_name: &str) -> String {
    let a = basic(address);
    let v = basic(village_name);
    match a.find(&v).filter(|_| !v.is_empty()) {
        Some(i) => a[i + v.len()..].to_owned(),
        None => a,
    }
}

/// Metres in one degree of latitude (and of longitude at the equator).
const M_PER_DEG: f64 = 111_195.0;

/// For each row, its likely duplicates among `existing` and the other rows, ordered existing first,
/// then rows, by index. The relation between rows is symmetric. Nearby points are found through a
/// grid of cells at least `radius_m` wide, so the work grows with the number of close pairs, not
/// with rows × existing.
pub fn find_duplicates(rows: &[DupEntry], existing: &[DupEntry], radius_m: f64) -> Vec<Vec<DupMatch>> {
    let entry = |t: DupTarget| match t {
        DupTarget::Existing(i) => &existing[i],
        DupTarget::Row(i) => &rows[i],
    };
    let all = || {
        (0..existing.len())
            .map(DupTarget::Existing)
            .chain((0..rows.len()).map(DupTarget::Row))
            .map(move |t| (t, entry(t)))
    };
    let mut found: Vec<BTreeMap<DupTarget, DupMatch>> = vec![BTreeMap::new(); rows.len()];
    let mut note = |from: DupTarget, to: DupTarget, same_address: bool, distance: Option<f64>| {
        if let DupTarget::Row(i) = from {
            let m = found[i].entry(to).or_insert(DupMatch { target: to, same_address: false, distance_m: None });
            m.same_address |= same_address;
            m.distance_m = m.distance_m.or(distance);
        }
    };

    let mut by_address: HashMap<(&str, &str), Vec<DupTarget>> = HashMap::new();
    for (t, e) in all().filter(|(_, e)| !e.address.is_empty()) {
        by_address.entry((e.village.as_str(), e.address.as_str())).or_default().push(t);
    }
    for group in by_address.values().filter(|g| g.len() > 1) {
        for &a in group.iter().filter(|t| matches!(t, DupTarget::Row(_))) {
            for &b in group.iter().filter(|&&b| b != a) {
                let d = match (entry(a).location, entry(b).location) {
                    (Some(p), Some(q)) => Some(p.distance_m(&q)),
                    _ => None,
                };
                note(a, b, true, d);
            }
        }
    }

    let points: Vec<(DupTarget, GeoPoint)> = all().filter_map(|(t, e)| e.location.map(|l| (t, l))).collect();
    if points.is_empty() || radius_m.is_nan() || radius_m <= 0.0 {
        return finish(found);
    }
    // Cells wide enough at the highest latitude present (a degree of longitude shrinks with cos).
    let max_lat = points.iter().map(|(_, p)| p.lat.abs()).fold(0.0, f64::max).min(89.0);
    // 1 % wider than needed: the cell test must never miss a pair the distance test accepts.
    let cell_lat = 1.01 * radius_m / M_PER_DEG;
    let cell_lon = 1.01 * radius_m / (M_PER_DEG * max_lat.to_radians().cos());
    let cell = |p: &GeoPoint| ((p.lat / cell_lat).floor() as i64, (p.lon / cell_lon).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (k, (_, p)) in points.iter().enumerate() {
        grid.entry(cell(p)).or_default().push(k);
    }
    for (k, (a, p)) in points.iter().enumerate() {
        let (cy, cx) = cell(p);
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &j in grid.get(&(cy + dy, cx + dx)).into_iter().flatten().filter(|&&j| j > k) {
                    let (b, q) = &points[j];
                    if matches!((a, b), (DupTarget::Existing(_), DupTarget::Existing(_))) {
                        continue;
                    }
                    let d = p.distance_m(q);
                    if d <= radius_m {
                        note(*a, *b, false, Some(d));
                        note(*b, *a, false, Some(d));
                    }
                }
            }
        }
    }
    finish(found)
}

fn finish(found: Vec<BTreeMap<DupTarget, DupMatch>>) -> Vec<Vec<DupMatch>> {
    found.into_iter().map(|m| m.into_values().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(village: &str, address: &str, loc: Option<(f64, f64)>) -> DupEntry {
        DupEntry {
            village: village.into(),
            address: normalise_address(address, village),
            location: loc.map(|(lat, lon)| GeoPoint { lat, lon, accuracy_m: None }),
        }
    }

    #[test]
    fn addresses_normalise() {
        let table = [
            ("临猗县猗氏镇东街村主街1号", "东街村", "主街1号"),
            ("东街村 主街１号", "东街村", "主街1号"),
            ("主街1号", "东街村", "主街1号"),
            ("（东街村）主街 1 号。", "东街村", "主街1号"),
            ("西街3－1号", "西街村", "西街3-1号"),
            ("3#楼", "", "3#楼"),
            ("ＡＢ座", "", "ab座"),
        ];
        for (addr, village, want) in table {
            assert_eq!(normalise_address(addr, village), want, "{addr}");
        }
        assert_ne!(normalise_address("西街3-1号", "西街村"), normalise_address("西街31号", "西街村"));
    }

    #[test]
    fn same_address_only_in_the_same_village() {
        let existing = [at("东街村", "东街村主街1号", None), at("西街村", "主街1号", None)];
        let rows = [at("东街村", "主街 1号", None), at("东街村", "主街2号", None), at("东街村", "主街２号", None)];
        let found = find_duplicates(&rows, &existing, 20.0);
        assert_eq!(found[0], [DupMatch { target: DupTarget::Existing(0), same_address: true, distance_m: None }]);
        assert_eq!(found[1], [DupMatch { target: DupTarget::Row(2), same_address: true, distance_m: None }]);
        assert_eq!(found[2], [DupMatch { target: DupTarget::Row(1), same_address: true, distance_m: None }]);
    }

    #[test]
    fn nearby_anywhere_and_distances_given() {
        let north = |m: f64| 35.0 + m / M_PER_DEG;
        let existing = [at("v1", "甲", Some((north(0.0), 110.0))), at("v2", "乙", Some((north(25.0), 110.0)))];
        let rows = [at("v9", "丙", Some((north(15.0), 110.0))), at("v1", "甲", Some((north(100.0), 110.0)))];
        let found = find_duplicates(&rows, &existing, 20.0);
        let targets: Vec<DupTarget> = found[0].iter().map(|m| m.target).collect();
        assert_eq!(targets, [DupTarget::Existing(0), DupTarget::Existing(1)]);
        assert!((found[0][0].distance_m.unwrap() - 15.0).abs() < 0.05);
        assert!(!found[0][0].same_address);
        // Same address 100 m away: a duplicate by address, with its distance.
        assert_eq!(found[1].len(), 1);
        assert!(found[1][0].same_address && (found[1][0].distance_m.unwrap() - 100.0).abs() < 0.1);
    }

    /// The rule without the cell grid: every pair compared.
    fn brute(rows: &[DupEntry], existing: &[DupEntry], r: f64) -> Vec<Vec<DupTarget>> {
        (0..rows.len())
            .map(|i| {
                let a = &rows[i];
                let hit = |b: &DupEntry| {
                    (!a.address.is_empty() && a.village == b.village && a.address == b.address)
                        || matches!((a.location, b.location), (Some(p), Some(q)) if p.distance_m(&q) <= r)
                };
                let ex = (0..existing.len()).filter(|&j| hit(&existing[j])).map(DupTarget::Existing);
                ex.chain((0..rows.len()).filter(|&j| j != i && hit(&rows[j])).map(DupTarget::Row)).collect()
            })
            .collect()
    }

    fn entry() -> impl Strategy<Value = DupEntry> {
        // A small area (~200 m square) so that close pairs and shared addresses are common.
        (0..3u8, 0..4u8, proptest::option::of((0.0..0.002f64, 0.0..0.002f64))).prop_map(|(v, a, loc)| DupEntry {
            village: format!("v{v}"),
            address: if a == 0 { String::new() } else { format!("街{a}号") },
            location: loc.map(|(dlat, dlon)| GeoPoint { lat: 35.1 + dlat, lon: 110.7 + dlon, accuracy_m: None }),
        })
    }

    proptest! {
        #[test]
        fn grid_search_equals_comparing_every_pair(
            rows in proptest::collection::vec(entry(), 0..40),
            existing in proptest::collection::vec(entry(), 0..40),
        ) {
            let got: Vec<Vec<DupTarget>> = find_duplicates(&rows, &existing, 20.0)
                .into_iter()
                .map(|ms| ms.into_iter().map(|m| m.target).collect())
                .collect();
            prop_assert_eq!(&got, &brute(&rows, &existing, 20.0));
            // Symmetric between rows, never a row with itself.
            for (i, ms) in got.iter().enumerate() {
                prop_assert!(!ms.contains(&DupTarget::Row(i)));
                for t in ms {
                    if let DupTarget::Row(j) = t {
                        prop_assert!(got[*j].contains(&DupTarget::Row(i)));
                    }
                }
            }
        }

        #[test]
        fn written_differently_is_still_the_same_address(n in 1u32..999, spaces in 0usize..3, full_width: bool) {
            let plain = format!("东街村主街{n}号");
            let digits: String = n.to_string().chars()
                .map(|c| if full_width { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
                .collect();
            let variant = format!("临猗县猗氏镇东街村{}主街{digits}号", " ".repeat(spaces));
            prop_assert_eq!(normalise_address(&plain, "东街村"), normalise_address(&variant, "东街村"));
        }
    }
}
