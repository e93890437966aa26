//! Quarterly and yearly roll-ups of the published checks (第九条: 纳入县政府的季度评议和县委考核办的年终考核;
//! 第二十四条: 抽查、检查结果予以通报，并纳入县政府的季度考核和县委的年终考核): per township, how it
//! ranked in each check of the period, and its place over the period.

use super::patrol::CheckKind;
use super::ranking::{Ranked, SCORE_EPSILON};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A period of the roll-up: a quarter `YYYY-Qn` (its three monthly random checks and its full
/// inspection) or a year `YYYY` (every check of the year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RollupPeriod {
    /// Year and quarter (1–4).
    Quarter(i32, u32),
    /// A year.
    Year(i32),
}

impl RollupPeriod {
    /// The pattern of a roll-up period, for the API document.
    pub const PATTERN: &'static str = "^[0-9]{4}(-Q[1-4])?$";

    /// Parses `YYYY-Qn` or `YYYY`.
    pub fn parse(s: &str) -> Option<Self> {
        let year = |y: &str| (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.parse().ok()).flatten();
        match s.split_once("-Q") {
            Some((y, q)) => {
                let q: u32 = (q.len() == 1).then(|| q.parse().ok()).flatten()?;
                (1..=4).contains(&q).then_some(Self::Quarter(year(y)?, q))
            }
            None => Some(Self::Year(year(s)?)),
        }
    }

    /// Whether a check of `kind` for `period` belongs to this roll-up.
    pub fn includes(self, kind: CheckKind, period: &str) -> bool {
        match (kind, self) {
            (CheckKind::MonthlyRandom, p) => crate::period::parse_month(period).is_some_and(|(y, m)| match p {
                Self::Quarter(py, q) => y == py && (m - 1) / 3 + 1 == q,
                Self::Year(py) => y == py,
            }),
            (CheckKind::QuarterlyFull, Self::Quarter(y, q)) => period == format!("{y}-Q{q}"),
            (CheckKind::QuarterlyFull, Self::Year(y)) => {
                period.len() == 7 && period.starts_with(&format!("{y}-Q")) && Self::parse(period).is_some()
            }
        }
    }
}

/// One check of the roll-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupCheck {
    /// Its kind.
    pub kind: CheckKind,
    /// Its period, `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
}

/// A township over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupLine {
    /// The township.
    pub township_id: String,
    /// Its name.
    pub name: String,
    /// Its rank in each check of the period, in the order of `checks` (none: not in that check).
    pub ranks: Vec<Option<u32>>,
    /// The mean of those ranks: the period's order (lower is better).
    pub mean_rank: f64,
    /// The mean score over the checks where it had one (none: never scored).
    pub mean_score: Option<f64>,
    /// Checks it was put last in by 第二十六条.
    pub times_last_by_rule: u32,
    /// Checks it was in the bottom two in.
    pub times_bottom_two: u32,
    /// Checks it was flagged in (第二十五条: bottom two twice in a row).
    pub times_flagged: u32,
    /// Its place over the period: 1 + the townships with a lower mean rank ("1224").
    pub rank: u32,
}

/// The roll-up of a quarter or year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rollup {
    /// `YYYY-Qn` or `YYYY`.
    pub period: String,
    /// The published checks it is made of, oldest first.
    pub checks: Vec<RollupCheck>,
    /// One line per township, by rank then name.
    pub lines: Vec<RollupLine>,
}

/// Rolls up the published rankings of a period (`checks[i]` ranked `rankings[i]`): each township's
/// rank in each check, their mean (the period's order: a township last by 第二十六条 carries that
/// last rank into the mean), the mean of its scores where it had one, and the times it was last by
/// rule, in the bottom two and flagged.
pub fn rollup(period: &str, checks: Vec<RollupCheck>, rankings: &[Vec<Ranked>]) -> Rollup {
    let mut by_town: BTreeMap<&str, RollupLine> = BTreeMap::new();
    for (i, ranking) in rankings.iter().enumerate() {
        for r in ranking {
            let line = by_town.entry(r.result.township_id.as_str()).or_insert_with(|| RollupLine {
                township_id: r.result.township_id.clone(),
                name: r.result.name.clone(),
                ranks: vec![None; rankings.len()],
                mean_rank: 0.0,
                mean_score: None,
                times_last_by_rule: 0,
                times_bottom_two: 0,
                times_flagged: 0,
                rank: 0,
            });
            line.ranks[i] = Some(r.rank);
            line.times_last_by_rule += u32::from(r.last_by_rule);
            line.times_bottom_two += u32::from(r.bottom_two);
            line.times_flagged += u32::from(r.flagged);
        }
    }
    let mut lines: Vec<RollupLine> = by_town.into_values().collect();
    for line in &mut lines {
        let ranks: Vec<f64> = line.ranks.iter().flatten().map(|&r| f64::from(r)).collect();
        line.mean_rank = round2(ranks.iter().sum::<f64>() / ranks.len() as f64);
        let scores: Vec<f64> = rankings
            .iter()
            .flatten()
            .filter(|r| r.result.township_id == line.township_id && !r.result.not_checkable)
            .map(|r| r.result.score)
            .collect();
        line.mean_score = (!scores.is_empty()).then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64));
    }
    let means: Vec<f64> = lines.iter().map(|l| l.mean_rank).collect();
    for line in &mut lines {
        line.rank = 1 + means.iter().filter(|&&m| m < line.mean_rank - SCORE_EPSILON).count() as u32;
    }
    lines.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.name.cmp(&b.name)));
    Rollup { period: period.to_owned(), checks, lines }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::road::ranking::TownshipResult;

    fn r(id: &str, score: f64, rank: u32, last: bool, bottom: bool, flagged: bool) -> Ranked {
        Ranked {
            result: TownshipResult {
                township_id: id.into(),
                name: id.into(),
                score,
                workers_without_record: u32::from(last),
                not_checkable: false,
                road_score: None,
                station_points: None,
            },
            rank,
            last_by_rule: last,
            bottom_two: bottom,
            flagged,
        }
    }

    #[test]
    fn periods_are_quarters_or_years() {
        assert_eq!(RollupPeriod::parse("2026-Q1"), Some(RollupPeriod::Quarter(2026, 1)));
        assert_eq!(RollupPeriod::parse("2026"), Some(RollupPeriod::Year(2026)));
        for bad in ["2026-Q5", "2026-Q0", "2026-Q", "26", "2026-03", "2026-Q11", "２０２６", ""] {
            assert_eq!(RollupPeriod::parse(bad), None, "{bad}");
        }
        let q1 = RollupPeriod::Quarter(2026, 1);
        assert!(q1.includes(CheckKind::MonthlyRandom, "2026-03"));
        assert!(!q1.includes(CheckKind::MonthlyRandom, "2026-04"), "April is the second quarter");
        assert!(!q1.includes(CheckKind::MonthlyRandom, "2025-02"));
        assert!(q1.includes(CheckKind::QuarterlyFull, "2026-Q1"));
        assert!(!q1.includes(CheckKind::QuarterlyFull, "2026-Q2"));
        let y = RollupPeriod::Year(2026);
        assert!(y.includes(CheckKind::MonthlyRandom, "2026-12") && y.includes(CheckKind::QuarterlyFull, "2026-Q4"));
        assert!(!y.includes(CheckKind::MonthlyRandom, "2027-01") && !y.includes(CheckKind::QuarterlyFull, "2025-Q4"));
    }

    #[test]
    fn a_quarter_ranks_by_mean_rank_and_counts_the_marks() {
        let checks = vec![
            RollupCheck { kind: CheckKind::MonthlyRandom, period: "2026-01".into() },
            RollupCheck { kind: CheckKind::MonthlyRandom, period: "2026-02".into() },
            RollupCheck { kind: CheckKind::MonthlyRandom, period: "2026-03".into() },
        ];
        let rankings = vec![
            vec![
                r("A", 90.0, 1, false, false, false),
                r("B", 80.0, 2, false, true, false),
                r("C", 99.0, 3, true, true, false),
            ],
            vec![
                r("B", 85.0, 1, false, false, false),
                r("A", 70.0, 2, false, true, false),
                r("C", 60.0, 3, false, true, true),
            ],
            vec![r("A", 88.0, 1, false, false, false), r("C", 80.0, 2, false, true, false)], // B not drawn
        ];
        let up = rollup("2026-Q1", checks, &rankings);
        // Name, rank, mean rank, ranks, mean score, last by rule, bottom two, flagged.
        type Row<'a> = (&'a str, u32, f64, Vec<Option<u32>>, Option<f64>, u32, u32, u32);
        let got: Vec<Row> = up
            .lines
            .iter()
            .map(|l| {
                let marks = (l.times_last_by_rule, l.times_bottom_two, l.times_flagged);
                (l.name.as_str(), l.rank, l.mean_rank, l.ranks.clone(), l.mean_score, marks.0, marks.1, marks.2)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", 1, 1.33, vec![Some(1), Some(2), Some(1)], Some(82.67), 0, 1, 0),
                ("B", 2, 1.5, vec![Some(2), Some(1), None], Some(82.5), 0, 1, 0),
                ("C", 3, 2.67, vec![Some(3), Some(3), Some(2)], Some(79.67), 1, 3, 1),
            ]
        );
        // Equal mean ranks share a place.
        let tie =
            rollup("2026", vec![], &[vec![r("X", 1.0, 1, false, false, false), r("Y", 1.0, 1, false, false, false)]]);
        assert_eq!(tie.lines.iter().map(|l| l.rank).collect::<Vec<_>>(), [1, 1]);
        assert!(rollup("2026", vec![], &[]).lines.is_empty());
    }

    #[test]
    fn a_not_checkable_check_has_no_score_in_the_mean() {
        let mut nc = r("A", 0.0, 2, false, false, false);
        nc.result.not_checkable = true;
        let up = rollup("2026-Q1", vec![], &[vec![nc], vec![r("A", 80.0, 1, false, false, false)]]);
        assert_eq!((up.lines[0].mean_score, up.lines[0].mean_rank), (Some(80.0), 1.5));
    }
}
