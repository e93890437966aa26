//! What counts as an on-road record (上路记录, 第三条、第二十六条): one rule, used by the server when a
//! patrol arrives and shown on the phone and the office screens.
//!
//! A patrol counts when it lasted long enough, walked far enough along a real track (fixes in the
//! patrol's own times, no jumps faster than a vehicle on a village road), and — where its segments
//! have a surveyed line — passed along enough of one of them. A patrol that fails is kept and listed
//! with its faults; it adds no day and no km, and does not save the month under 第二十六条.

use super::track::{distance_m, TrackPoint};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The figures of the rule (`[pay]` in the settings; defaults in [`OnRoadRule::default`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OnRoadRule {
    /// Shortest patrol, in minutes (from start to end as the phone recorded them).
    pub min_minutes: u32,
    /// Shortest walk along the thinned track, in metres.
    pub min_distance_m: f64,
    /// Fastest plausible speed between two fixes, km/h: faster is a jump, not a walk.
    pub max_speed_kmh: f64,
    /// Share (0–1) of a surveyed segment the track must pass along.
    pub min_coverage: f64,
}

impl Default for OnRoadRule {
    /// 20 minutes, 500 m, 60 km/h, a fifth of a surveyed segment: a worker who walks or rides part
    /// of their ~5 km (第十一条) meets it; a tap on the phone, a walk round the yard, or a track
    /// copied from elsewhere does not.
    fn default() -> Self {
        OnRoadRule { min_minutes: 20, min_distance_m: 500.0, max_speed_kmh: 60.0, min_coverage: 0.2 }
    }
}

/// Fixes may lie this far outside the patrol's start and end (the phone starts the GPS a little
/// before the patrol is opened, and records a last fix as it is closed).
pub const TRACK_TIME_SLACK: Duration = Duration::minutes(5);

/// A jump is only judged over more than this distance: two fixes a few metres apart with a second
/// between them are GPS jitter, not a vehicle.
pub const JUMP_MIN_M: f64 = 200.0;

/// Why a patrol is not an on-road record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum OnRoadFault {
    /// 无有效轨迹: fewer than two usable fixes.
    NoTrack,
    /// 上路时间不足: the patrol lasted `minutes`, fewer than `min_minutes`.
    TooShort { minutes: u32, min_minutes: u32 },
    /// 行程不足: the track is `metres` long, less than `min_metres`.
    TooLittleDistance { metres: u32, min_metres: u32 },
    /// 轨迹跳变: between two fixes the track moved at `kmh`, faster than `max_kmh`.
    TrackJumps { kmh: u32, max_kmh: u32 },
    /// 轨迹时间不符: `fixes` fixes lie outside the patrol's start and end.
    TrackOutsideTimes { fixes: u32 },
    /// 未到达路段: the best covered surveyed segment was `percent` % covered, less than `min_percent`.
    OffTheRoad { percent: u32, min_percent: u32 },
}

impl OnRoadFault {
    /// The English words.
    pub fn label_en(&self) -> String {
        match self {
            Self::NoTrack => "no usable GPS track".into(),
            Self::TooShort { minutes, min_minutes } => format!("too short ({minutes} min, at least {min_minutes})"),
            Self::TooLittleDistance { metres, min_metres } => {
                format!("too little distance ({metres} m, at least {min_metres})")
            }
            Self::TrackJumps { kmh, max_kmh } => format!("the track jumps ({kmh} km/h, over {max_kmh})"),
            Self::TrackOutsideTimes { fixes } => format!("{fixes} fixes outside the patrol's times"),
            Self::OffTheRoad { percent, min_percent } => {
                format!("not on the road ({percent}% covered, at least {min_percent}%)")
            }
        }
    }

    /// The Chinese words shown on screen.
    pub fn label_zh(&self) -> String {
        match self {
            Self::NoTrack => "无有效轨迹".into(),
            Self::TooShort { minutes, min_minutes } => format!("上路时间不足（{minutes}分钟，至少{min_minutes}分钟）"),
            Self::TooLittleDistance { metres, min_metres } => format!("行程不足（{metres}米，至少{min_metres}米）"),
            Self::TrackJumps { kmh, max_kmh } => format!("轨迹跳变（{kmh}公里/小时，超过{max_kmh}）"),
            Self::TrackOutsideTimes { fixes } => format!("轨迹时间与上路时间不符（{fixes}个点）"),
            Self::OffTheRoad { percent, min_percent } => format!("未到达路段（覆盖{percent}%，至少{min_percent}%）"),
        }
    }
}

/// Judges a patrol: its start and end, its thinned track, and its coverage (one entry per segment
/// named, `None` for a segment without a surveyed line). No faults: an on-road record.
///
/// A patrol none of whose segments has a line is judged on the track alone; the station can take
/// the line from it (`polyline_from_patrol`), after which patrols are measured against it.
pub fn judge(
    rule: &OnRoadRule,
    started_at: DateTime<Utc>,
    ended_at: DateTime<Utc>,
    track: &[TrackPoint],
    coverage: &[Option<f64>],
) -> Vec<OnRoadFault> {
    let mut faults = Vec::new();
    let minutes = (ended_at - started_at).num_seconds().max(0) / 60;
    if minutes < i64::from(rule.min_minutes) {
        faults.push(OnRoadFault::TooShort { minutes: minutes as u32, min_minutes: rule.min_minutes });
    }
    if track.len() < 2 {
        faults.push(OnRoadFault::NoTrack);
    } else {
        let metres = distance_m(track);
        if metres + 1e-6 < rule.min_distance_m {
            faults.push(OnRoadFault::TooLittleDistance {
                metres: metres as u32,
                min_metres: rule.min_distance_m.round() as u32,
            });
        }
        if let Some(kmh) = fastest_jump_kmh(track).filter(|k| *k > rule.max_speed_kmh) {
            faults
                .push(OnRoadFault::TrackJumps { kmh: kmh.round() as u32, max_kmh: rule.max_speed_kmh.round() as u32 });
        }
        let (from, to) = (started_at - TRACK_TIME_SLACK, ended_at + TRACK_TIME_SLACK);
        let outside = track.iter().filter(|p| p.t < from || p.t > to).count();
        if outside > 0 {
            faults.push(OnRoadFault::TrackOutsideTimes { fixes: outside as u32 });
        }
    }
    faults.extend(coverage_fault(coverage, rule.min_coverage));
    faults
}

/// The coverage part of the rule alone: the best covered of the segments with a surveyed line is
/// under `min_coverage` (none when it is not, or when no segment has a line). Patrols received
/// before 2026-12-02 were not judged when they arrived; they are judged by this alone.
pub fn coverage_fault(coverage: &[Option<f64>], min_coverage: f64) -> Option<OnRoadFault> {
    let best = coverage.iter().flatten().copied().fold(None, |b: Option<f64>, c| Some(b.map_or(c, |b| b.max(c))))?;
    (best + 1e-9 < min_coverage).then(|| OnRoadFault::OffTheRoad {
        percent: (best * 100.0).floor() as u32,
        min_percent: (min_coverage * 100.0).round() as u32,
    })
}

/// The fastest move between consecutive fixes more than [`JUMP_MIN_M`] apart, km/h; none when no
/// two fixes are that far apart. Two fixes at the same instant that far apart are infinitely fast.
fn fastest_jump_kmh(track: &[TrackPoint]) -> Option<f64> {
    track
        .windows(2)
        .filter_map(|w| {
            let m = w[0].point().distance_m(&w[1].point());
            (m > JUMP_MIN_M).then(|| {
                let secs = (w[1].t - w[0].t).num_milliseconds() as f64 / 1000.0;
                if secs <= 0.0 {
                    f64::INFINITY
                } else {
                    m / secs * 3.6
                }
            })
        })
        .fold(None, |a: Option<f64>, k| Some(a.map_or(k, |a| a.max(k))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-02T01:00:00Z").unwrap().with_timezone(&Utc) + Duration::minutes(min)
    }

    /// A walk north from (35.1, 110.8): one fix a minute, `metres_per_min` apart.
    fn walk(minutes: i64, metres_per_min: f64) -> Vec<TrackPoint> {
        (0..=minutes)
            .map(|i| TrackPoint { lat: 35.1 + i as f64 * metres_per_min / 111_195.0, lon: 110.8, t: at(i), acc: 5.0 })
            .collect()
    }

    #[test]
    fn a_real_walk_on_the_road_counts() {
        let r = OnRoadRule::default();
        assert_eq!(judge(&r, at(0), at(40), &walk(40, 70.0), &[Some(0.8)]), vec![]);
        assert_eq!(judge(&r, at(0), at(40), &walk(40, 70.0), &[None]), vec![], "no line: the track alone");
        assert_eq!(judge(&r, at(0), at(40), &walk(40, 70.0), &[Some(0.0), Some(0.3)]), vec![], "one segment is enough");
    }

    #[test]
    fn a_tap_is_not_a_patrol() {
        let r = OnRoadRule::default();
        let faults = judge(&r, at(0), at(0), &[], &[None]);
        assert_eq!(faults, vec![OnRoadFault::TooShort { minutes: 0, min_minutes: 20 }, OnRoadFault::NoTrack]);
        assert_eq!(judge(&r, at(0), at(30), &walk(0, 0.0), &[None]), vec![OnRoadFault::NoTrack], "one fix");
    }

    #[test]
    fn duration_and_distance_have_their_minimum_included() {
        let r = OnRoadRule::default();
        // 20 minutes at 25 m a minute: exactly 500 m in exactly 20 minutes counts.
        assert_eq!(judge(&r, at(0), at(20), &walk(20, 25.0), &[None]), vec![]);
        assert_eq!(
            judge(&r, at(0), at(19), &walk(19, 25.0), &[None]),
            vec![
                OnRoadFault::TooShort { minutes: 19, min_minutes: 20 },
                OnRoadFault::TooLittleDistance { metres: 475, min_metres: 500 }
            ]
        );
        // 19 min 59 s is 19 minutes.
        let f = judge(&r, at(0), at(20) - Duration::seconds(1), &walk(19, 30.0), &[None]);
        assert_eq!(f, vec![OnRoadFault::TooShort { minutes: 19, min_minutes: 20 }]);
        // The yard: 40 minutes, 200 m.
        let f = judge(&r, at(0), at(40), &walk(40, 5.0), &[None]);
        assert_eq!(f, vec![OnRoadFault::TooLittleDistance { metres: 200, min_metres: 500 }]);
    }

    #[test]
    fn a_track_that_jumps_is_not_walked() {
        let r = OnRoadRule::default();
        // 1 km a minute is 60 km/h: just under is a ride, just over is a jump.
        assert_eq!(judge(&r, at(0), at(30), &walk(30, 990.0), &[None]), vec![]);
        let f = judge(&r, at(0), at(30), &walk(30, 1010.0), &[None]);
        assert_eq!(f, vec![OnRoadFault::TrackJumps { kmh: 61, max_kmh: 60 }]);
        // Two far fixes at the same instant.
        let mut t = walk(30, 50.0);
        t[10].lat += 0.05;
        t[10].t = t[9].t;
        assert!(matches!(judge(&r, at(0), at(30), &t, &[None])[..], [OnRoadFault::TrackJumps { kmh: u32::MAX, .. }]));
        // Jitter: 150 m in a second is not judged.
        let mut t = walk(30, 50.0);
        t[11].t = t[10].t + Duration::seconds(1);
        t[11].lat = t[10].lat + 150.0 / 111_195.0;
        assert_eq!(judge(&r, at(0), at(30), &t, &[None]), vec![]);
    }

    #[test]
    fn a_track_from_another_time_does_not_fit() {
        let r = OnRoadRule::default();
        // The track was recorded the day before the patrol's times.
        let old: Vec<TrackPoint> =
            walk(40, 70.0).into_iter().map(|p| TrackPoint { t: p.t - Duration::days(1), ..p }).collect();
        assert_eq!(judge(&r, at(0), at(40), &old, &[None]), vec![OnRoadFault::TrackOutsideTimes { fixes: 41 }]);
        // Five minutes either side is allowed; six is not.
        let early: Vec<TrackPoint> =
            walk(40, 70.0).into_iter().map(|p| TrackPoint { t: p.t - Duration::minutes(5), ..p }).collect();
        assert_eq!(judge(&r, at(0), at(40), &early, &[None]), vec![]);
        let early: Vec<TrackPoint> =
            walk(40, 70.0).into_iter().map(|p| TrackPoint { t: p.t - Duration::minutes(6), ..p }).collect();
        assert_eq!(judge(&r, at(0), at(40), &early, &[None]), vec![OnRoadFault::TrackOutsideTimes { fixes: 1 }]);
    }

    #[test]
    fn a_walk_beside_the_road_is_off_it() {
        let r = OnRoadRule::default();
        assert_eq!(judge(&r, at(0), at(40), &walk(40, 70.0), &[Some(0.2)]), vec![], "the minimum itself counts");
        assert_eq!(
            judge(&r, at(0), at(40), &walk(40, 70.0), &[Some(0.19)]),
            vec![OnRoadFault::OffTheRoad { percent: 19, min_percent: 20 }]
        );
        assert_eq!(
            judge(&r, at(0), at(40), &walk(40, 70.0), &[Some(0.1), None]),
            vec![OnRoadFault::OffTheRoad { percent: 10, min_percent: 20 }],
            "a segment without a line does not excuse one with"
        );
        let lax = OnRoadRule { min_coverage: 0.0, ..r };
        assert_eq!(judge(&lax, at(0), at(40), &walk(40, 70.0), &[Some(0.0)]), vec![]);
    }

    #[test]
    fn coverage_alone_judges_the_old_records() {
        assert_eq!(coverage_fault(&[Some(0.2)], 0.2), None);
        assert_eq!(coverage_fault(&[Some(0.19)], 0.2), Some(OnRoadFault::OffTheRoad { percent: 19, min_percent: 20 }));
        assert_eq!(coverage_fault(&[None, None], 0.2), None, "no line: nothing to measure against");
        assert_eq!(coverage_fault(&[], 0.2), None);
        assert_eq!(coverage_fault(&[Some(0.0), Some(0.5)], 0.2), None);
    }

    #[test]
    fn faults_read_in_chinese() {
        assert_eq!(OnRoadFault::NoTrack.label_zh(), "无有效轨迹");
        assert_eq!(OnRoadFault::OffTheRoad { percent: 0, min_percent: 20 }.label_zh(), "未到达路段（覆盖0%，至少20%）");
        let json = serde_json::to_value(OnRoadFault::TooShort { minutes: 3, min_minutes: 20 }).unwrap();
        assert_eq!(json, serde_json::json!({"fault": "too_short", "minutes": 3, "min_minutes": 20}));
    }
}
