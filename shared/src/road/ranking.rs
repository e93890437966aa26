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
    /// Score 0–100 (mean of its checked segments).
    pub score: f64,
    /// Patrol workers with no on-road record in the month (第二十六条).
    pub workers_without_record: u32,
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

/// Ranks townships: those with a worker without records last (第二十六条), the others by score,
/// higher first; ties by name, so the order is stable.
pub fn rank(results: &[TownshipResult], previous: Option<&[Ranked]>) -> Vec<Ranked> {
    let mut sorted: Vec<&TownshipResult> = results.iter().collect();
    sorted.sort_by(|a, b| {
        (a.workers_without_record > 0)
            .cmp(&(b.workers_without_record > 0))
            .then(b.score.total_cmp(&a.score))
            .then(a.name.cmp(&b.name))
    });
    let n = sorted.len();
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let bottom_two = n >= 2 && i + 2 >= n;
            let was_bottom =
                previous.is_some_and(|p| p.iter().any(|x| x.result.township_id == r.township_id && x.bottom_two));
            Ranked {
                result: r.clone(),
                rank: i as u32 + 1,
                last_by_rule: r.workers_without_record > 0,
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
        TownshipResult { township_id: id.into(), name: id.into(), score, workers_without_record: missing }
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

    #[test]
    fn scores_average() {
        assert_eq!(township_score(&[100.0, 50.0]), 75.0);
        assert_eq!(township_score(&[]), 0.0);
    }
}
