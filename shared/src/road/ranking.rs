//! Checks and ranking (第二十四、二十五、二十六条): a monthly random check and a quarterly full
//! inspection score each township; townships are ranked; a township with any patrol worker who has
//! no on-road record in the month ranks last; a township in the bottom two twice in a row is flagged.

use serde::{Deserialize, Serialize};

/// A township's result in one check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownshipResult {
    /// The township.
    pub township_id: String,
    /// Its name.
    pub name: String,
    /// Score 0–100 by the check's form (第二十四条): the road part (its mean segment score weighted
    /// by the form's road points) plus its station's points.
    pub score: f64,
    /// Its mean segment score, 0–100 (the seven items of 第十五条 on its drawn segments); none in
    /// rankings published before the check form.
    #[serde(default)]
    pub road_score: Option<f64>,
    /// The points its station items were given; none when the form has none or they are not
    /// scored yet.
    #[serde(default)]
    pub station_points: Option<f64>,
    /// Patrol workers with no on-road record in the month (第二十六条).
    pub workers_without_record: u32,
    /// Every drawn segment of the township was marked not checkable (不具备检查条件): it has no
    /// score (`score` is 0 and means nothing) and is not ranked on one.
    #[serde(default)]
    pub not_checkable: bool,
}

/// A township's place in a ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranked {
    /// The result ranked.
    #[serde(flatten)]
    pub result: TownshipResult,
    /// 1 = best.
    pub rank: u32,
    /// Put last by 第二十六条 (a worker without on-road records).
    pub last_by_rule: bool,
    /// Among the last two.
    pub bottom_two: bool,
    /// In the bottom two in this and the previous check (第二十五条: accountability).
    pub flagged: bool,
}

/// Scores closer than this are equal (a score is a mean of shares of seven items; summing the
/// same figures in another order must not split a tie).
pub const SCORE_EPSILON: f64 = 1e-9;

/// Ranks townships (docs/roads.md, "Ties"):
///
/// - a township with a worker without on-road records is **last by rule** (第二十六条); every such
///   township shares the last rank, the number of townships ranked;
/// - the others are ranked by score, higher first, with standard competition ranking ("1224"):
///   a township's rank is 1 + the number of other townships (not last by rule) scoring more, so
///   equal scores share a rank and the next rank is skipped;
/// - the **bottom two** are the townships fewer than two townships rank below (a tie at the
///   boundary marks every township in it; with fewer than two townships nobody is marked);
/// - **flagged** (第二十五条): in the bottom two now and in the previous check;
/// - a township **not checkable** (every drawn segment marked 不具备检查条件) and not last by rule has
///   no score: it ranks after every township with one (1 + their number; such townships share it),
///   is never in the bottom two nor flagged, and is not counted below another.
///
/// The order of the list: by rank, then by name, so it is stable.
pub fn rank(results: &[TownshipResult], previous: Option<&[Ranked]>) -> Vec<Ranked> {
    let n = results.len();
    let by_rule = |r: &TownshipResult| r.workers_without_record > 0;
    let unscored = |r: &TownshipResult| !by_rule(r) && r.not_checkable;
    let scored = |r: &TownshipResult| !by_rule(r) && !r.not_checkable;
    let rank_of = |r: &TownshipResult| -> u32 {
        if by_rule(r) {
            n as u32
        } else if r.not_checkable {
            1 + results.iter().filter(|o| scored(o)).count() as u32
        } else {
            1 + results.iter().filter(|o| scored(o) && o.score > r.score + SCORE_EPSILON).count() as u32
        }
    };
    let mut ranked: Vec<(u32, &TownshipResult)> = results.iter().map(|r| (rank_of(r), r)).collect();
    ranked.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then(a.name.cmp(&b.name)).then(a.township_id.cmp(&b.township_id)));
    // Townships without a score are not held to account on one: they are never in the bottom two,
    // nor counted below another.
    let ranks: Vec<u32> = ranked.iter().filter(|(_, r)| !unscored(r)).map(|(k, _)| *k).collect();
    ranked
        .into_iter()
        .map(|(k, r)| {
            let below = ranks.iter().filter(|&&o| o > k).count();
            let bottom_two = n >= 2 && below < 2 && !unscored(r);
            let was_bottom =
                previous.is_some_and(|p| p.iter().any(|x| x.result.township_id == r.township_id && x.bottom_two));
            Ranked {
                result: r.clone(),
                rank: k,
                last_by_rule: by_rule(r),
                bottom_two,
                flagged: bottom_two && was_bottom,
            }
        })
        .collect()
}

/// The mean of segment scores (a township with no checked segment scores 0).
pub fn township_score(segment_scores: &[f64]) -> f64 {
    if segment_scores.is_empty() {
        0.0
    } else {
        segment_scores.iter().sum::<f64>() / segment_scores.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str, score: f64, missing: u32) -> TownshipResult {
        TownshipResult {
            township_id: id.into(),
            name: id.into(),
            score,
            workers_without_record: missing,
            not_checkable: false,
            road_score: None,
            station_points: None,
        }
    }

    #[test]
    fn a_worker_without_records_puts_the_township_last() {
        let month = [r("a", 95.0, 0), r("b", 99.0, 1), r("c", 80.0, 0), r("d", 70.0, 0)];
        let ranked = rank(&month, None);
        let order: Vec<&str> = ranked.iter().map(|x| x.result.township_id.as_str()).collect();
        assert_eq!(order, ["a", "c", "d", "b"]);
        assert!(ranked[3].last_by_rule);
        assert_eq!(ranked.iter().filter(|x| x.bottom_two).count(), 2);
        assert!(ranked.iter().all(|x| !x.flagged), "no previous check");
    }

    #[test]
    fn bottom_two_twice_in_a_row_is_flagged() {
        let first = rank(&[r("a", 90.0, 0), r("b", 60.0, 0), r("c", 50.0, 0), r("d", 95.0, 0)], None);
        let second = rank(&[r("a", 40.0, 0), r("b", 61.0, 0), r("c", 99.0, 0), r("d", 98.0, 0)], Some(&first));
        let flagged: Vec<&str> = second.iter().filter(|x| x.flagged).map(|x| x.result.township_id.as_str()).collect();
        assert_eq!(flagged, ["b"], "b was bottom-two twice; a only now, c only before");
    }

    /// (id, rank, bottom two, flagged) in order.
    fn marks(r: &[Ranked]) -> Vec<(&str, u32, bool, bool)> {
        r.iter().map(|x| (x.result.township_id.as_str(), x.rank, x.bottom_two, x.flagged)).collect()
    }

    #[test]
    fn townships_last_by_rule_share_the_last_rank() {
        let month = [r("a", 95.0, 0), r("b", 99.0, 1), r("c", 80.0, 0), r("d", 70.0, 2), r("e", 60.0, 0)];
        let ranked = rank(&month, None);
        assert_eq!(
            marks(&ranked),
            [
                ("a", 1, false, false),
                ("c", 2, false, false),
                ("e", 3, false, false),
                ("b", 5, true, false),
                ("d", 5, true, false)
            ],
            "two last by rule: both 5th of 5, the bottom two; the best of them by score is no better"
        );
        // One last by rule: it and the worst scored township are the bottom two.
        let one = rank(&[r("a", 95.0, 0), r("b", 99.0, 1), r("c", 80.0, 0)], None);
        assert_eq!(marks(&one), [("a", 1, false, false), ("c", 2, true, false), ("b", 3, true, false)]);
        // Every township last by rule: all share rank n and all are marked.
        let all = rank(&[r("a", 95.0, 1), r("b", 50.0, 1), r("c", 80.0, 3)], None);
        assert_eq!(marks(&all), [("a", 3, true, false), ("b", 3, true, false), ("c", 3, true, false)]);
    }

    #[test]
    fn equal_scores_share_a_rank_and_skip_the_next() {
        let ranked = rank(&[r("d", 80.0, 0), r("a", 90.0, 0), r("b", 80.0, 0), r("c", 70.0, 0)], None);
        assert_eq!(
            marks(&ranked),
            [("a", 1, false, false), ("b", 2, true, false), ("d", 2, true, false), ("c", 4, true, false)]
        );
        // A tie at the boundary of the bottom two marks every township in it…
        let tied = rank(&[r("a", 90.0, 0), r("b", 70.0, 0), r("c", 70.0, 0), r("d", 70.0, 0)], None);
        assert_eq!(
            marks(&tied),
            [("a", 1, false, false), ("b", 2, true, false), ("c", 2, true, false), ("d", 2, true, false)]
        );
        // …and a tie above it marks nobody more than two.
        let above = rank(&[r("a", 90.0, 0), r("b", 90.0, 0), r("c", 70.0, 0), r("d", 60.0, 0)], None);
        assert_eq!(
            marks(&above),
            [("a", 1, false, false), ("b", 1, false, false), ("c", 3, true, false), ("d", 4, true, false)]
        );
        // Equal means equal to 1e-9: the same figures summed in another order tie.
        let x = (100.0 + 600.0 / 7.0 + 300.0 / 7.0) / 3.0;
        let y = (300.0 / 7.0 + 100.0 + 600.0 / 7.0) / 3.0;
        let close = rank(&[r("a", x, 0), r("b", y, 0), r("c", x - 1e-6, 0)], None);
        assert_eq!(close.iter().map(|x| x.rank).collect::<Vec<_>>(), [1, 1, 3]);
        // Everyone equal: all first, all in the bottom two (nobody ranks below them).
        let same = rank(&[r("a", 50.0, 0), r("b", 50.0, 0), r("c", 50.0, 0)], None);
        assert_eq!(marks(&same), [("a", 1, true, false), ("b", 1, true, false), ("c", 1, true, false)]);
    }

    #[test]
    fn one_township_or_none() {
        assert!(rank(&[], None).is_empty());
        let one = rank(&[r("a", 10.0, 1)], None);
        assert_eq!(marks(&one), [("a", 1, false, false)], "one township is not the bottom two of anything");
        let two = rank(&[r("a", 10.0, 0), r("b", 90.0, 0)], None);
        assert_eq!(marks(&two), [("b", 1, true, false), ("a", 2, true, false)]);
    }

    #[test]
    fn the_flag_follows_the_shared_marks() {
        // Before: b and d share the last rank by rule, c is third; a tie at the bottom marks both.
        let first = rank(&[r("a", 90.0, 0), r("b", 60.0, 1), r("c", 50.0, 0), r("d", 95.0, 1)], None);
        assert_eq!(
            marks(&first),
            [("a", 1, false, false), ("c", 2, false, false), ("b", 4, true, false), ("d", 4, true, false)]
        );
        // Now c and d tie at the bottom on score: d was bottom two, c was not.
        let second = rank(&[r("a", 90.0, 0), r("b", 80.0, 0), r("c", 40.0, 0), r("d", 40.0, 0)], Some(&first));
        assert_eq!(
            marks(&second),
            [("a", 1, false, false), ("b", 2, false, false), ("c", 3, true, false), ("d", 3, true, true)]
        );
    }

    #[test]
    fn a_township_not_checkable_is_not_ranked_on_a_score() {
        let nc = |id: &str, missing| TownshipResult { not_checkable: true, ..r(id, 0.0, missing) };
        // b could not be checked: after a and c, never in the bottom two; c and d are.
        let ranked = rank(&[r("a", 90.0, 0), nc("b", 0), r("c", 80.0, 0), r("d", 95.0, 1)], None);
        assert_eq!(
            marks(&ranked),
            [("a", 1, false, false), ("c", 2, true, false), ("b", 3, false, false), ("d", 4, true, false)]
        );
        // Last by rule all the same when a worker has no record.
        let ruled = rank(&[r("a", 90.0, 0), nc("b", 1), r("c", 80.0, 0)], None);
        assert_eq!(marks(&ruled), [("a", 1, false, false), ("c", 2, true, false), ("b", 3, true, false)]);
        // Two not checkable share their rank; with one scored township left, only it is marked… and
        // a previous bottom-two place does not flag a township with no score now.
        let prev = rank(&[r("a", 10.0, 0), r("b", 20.0, 0), r("c", 30.0, 0)], None);
        let now = rank(&[r("a", 90.0, 0), nc("b", 0), nc("c", 0)], Some(&prev));
        assert_eq!(marks(&now), [("a", 1, true, true), ("b", 2, false, false), ("c", 2, false, false)]);
    }

    #[test]
    fn scores_average() {
        assert_eq!(township_score(&[100.0, 50.0]), 75.0);
        assert_eq!(township_score(&[]), 0.0);
    }
}
