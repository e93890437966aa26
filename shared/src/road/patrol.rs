//! On-road records (上路记录) and the API shapes of the road register and checks.

use super::attendance::PatrolFlag;
use super::checklist::RoadCheck;
use super::on_road::OnRoadFault;
use super::register::{ResponsibleUnit, RoadLevel};
use super::track::TrackPoint;
use crate::ids::{CheckId, OrgUnitId, PatrolId, RoadId, SegmentId, UserId};
use crate::premise::GeoPoint;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/roads`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRoad {
    #[serde(default)]
    pub id: Option<RoadId>,
    pub code: String,
    pub name: String,
    pub level: RoadLevel,
    pub length_km: f64,
    /// Default: by level (第二条).
    #[serde(default)]
    pub responsible: Option<ResponsibleUnit>,
}

/// Body of `POST /api/v1/roads/{id}/segments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSegment {
    #[serde(default)]
    pub id: Option<SegmentId>,
    pub township_id: OrgUnitId,
    pub from_km: f64,
    pub to_km: f64,
    #[serde(default)]
    pub polyline: Vec<GeoPoint>,
    #[serde(default)]
    pub worker_id: Option<UserId>,
}

/// Body of `PATCH /api/v1/segments/{id}`: (re)assign the worker and/or set the surveyed line. A
/// field left out is left as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateSegment {
    /// The worker to assign, `null` to unassign; left out: unchanged.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<UserId>, nullable))]
    pub worker_id: Option<Option<UserId>>,
    /// The surveyed line (WGS-84 points in order, 2 to 2,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polyline: Option<Vec<GeoPoint>>,
    /// A patrol of this segment (of it alone) that is an on-road record: its thinned track becomes
    /// the line (a patrol with on-road faults is 422).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polyline_from_patrol: Option<PatrolId>,
}

/// A field that is present: `null` is `Some(None)`, a value `Some(Some(v))` (absent is the default).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A stored copy without a verdict counted: it was kept before the on-road rule.
fn counted() -> bool {
    true
}

/// What the phone sends at the end of a patrol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitPatrol {
    /// Id made on the phone; sending it again is one patrol.
    pub id: PatrolId,
    /// The segments walked (the worker's own).
    pub segment_ids: Vec<SegmentId>,
    /// Device clock at the start.
    pub started_at: DateTime<Utc>,
    /// Device clock at the end.
    pub ended_at: DateTime<Utc>,
    /// The GPS track as recorded (the server thins it).
    pub track: Vec<TrackPoint>,
    /// The seven items of 第十五条.
    pub checks: Vec<RoadCheck>,
    /// What was found on the road; each becomes a road issue.
    #[serde(default)]
    pub findings: Vec<super::issue::RoadFinding>,
    /// Remarks.
    #[serde(default)]
    pub notes: String,
}

/// A patrol as stored, with what the server worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Patrol {
    /// The submitted record (the track is the thinned one).
    #[serde(flatten)]
    pub submitted: SubmitPatrol,
    /// The worker.
    pub worker_id: UserId,
    /// Distance walked, metres (thinned track).
    pub distance_m: f64,
    /// Coverage (0–1) of each segment; none when the segment has no surveyed line.
    pub coverage: Vec<(SegmentId, Option<f64>)>,
    /// Share of checklist items passed, 0–100.
    pub checklist_score: f64,
    /// Server receipt time.
    pub received_at: DateTime<Utc>,
    /// Whether it is an on-road record (a day on the road, its km): no faults. (A copy a phone
    /// stored before 2026-12-02 has neither field: it counted then.)
    #[serde(default = "counted")]
    pub on_road: bool,
    /// Why it is not ([`super::on_road::judge`]), judged when it arrived.
    #[serde(default)]
    pub faults: Vec<OnRoadFault>,
    /// Marks for the road station (上下班管理): outside the hours, entered late, a burst.
    #[serde(default)]
    pub flags: Vec<PatrolFlag>,
}

/// One patrol as `GET /api/v1/patrols/{id}` answers it: the record and who walked it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolDetail {
    /// The record.
    #[serde(flatten)]
    pub patrol: Patrol,
    /// The worker's name.
    pub worker_name: String,
}

/// One patrol in a list (`GET /api/v1/patrols`): the figures without the track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolSummary {
    /// Id.
    pub id: PatrolId,
    /// The worker.
    pub worker_id: UserId,
    /// Their name.
    pub worker_name: String,
    /// The segments walked.
    pub segment_ids: Vec<SegmentId>,
    /// Start (device clock).
    pub started_at: DateTime<Utc>,
    /// End (device clock).
    pub ended_at: DateTime<Utc>,
    /// Distance walked, metres.
    pub distance_m: f64,
    /// Coverage (0–1) of each segment.
    pub coverage: Vec<(SegmentId, Option<f64>)>,
    /// Share of checklist items passed, 0–100.
    pub checklist_score: f64,
    /// Findings reported.
    pub findings: usize,
    /// Whether it is an on-road record.
    #[serde(default = "counted")]
    pub on_road: bool,
    /// Why it is not.
    #[serde(default)]
    pub faults: Vec<OnRoadFault>,
    /// Marks for the road station.
    #[serde(default)]
    pub flags: Vec<PatrolFlag>,
}

/// A worker's or township's month on the road.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentReport {
    /// Km of road with no worker: segments without one, and road km not divided into segments.
    pub unassigned_km: f64,
    /// Of those, the km not divided into segments.
    #[serde(default)]
    pub unsegmented_km: f64,
    /// Per road, the km not divided into segments (roads with such km only).
    #[serde(default)]
    pub unsegmented: Vec<UnsegmentedRoad>,
    /// Km of segments without a surveyed line: their patrols are judged on the track alone until
    /// the station gives them one (`polyline_from_patrol`).
    #[serde(default)]
    pub unsurveyed_km: f64,
    /// Those segments.
    #[serde(default)]
    pub unsurveyed: Vec<SegmentId>,
    /// Workers assigned more than 5 km (第十一条), with their km.
    pub over_length: Vec<(UserId, f64)>,
    /// Workers whose files are incomplete or who are over 60: (worker, flags).
    pub flagged_workers: Vec<(UserId, Vec<String>)>,
}

/// A road's km not divided into segments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnsegmentedRoad {
    /// The road.
    pub road_id: RoadId,
    /// Its code.
    pub code: String,
    /// Km of it not in any segment (its length less the union of its segments' ranges).
    pub km: f64,
}

/// The kind of road check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// 每月随机抽查 (period `YYYY-MM`).
    MonthlyRandom,
    /// 每季全面检查 (period `YYYY-Qn`).
    QuarterlyFull,
}

impl CheckKind {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MonthlyRandom => "monthly_random",
            Self::QuarterlyFull => "quarterly_full",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::MonthlyRandom, Self::QuarterlyFull].into_iter().find(|k| k.as_str() == s)
    }
}

/// Body of `POST /api/v1/road-checks`: start a check with its double-random draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCheck {
    pub kind: CheckKind,
    /// `YYYY-MM` for a monthly check, `YYYY-Qn` for a quarterly one.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$"))]
    pub period: String,
    /// The seed to draw with, 0 to 2^63 − 1 (default: made by the server and recorded).
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_i64))]
    #[serde(default)]
    pub seed: Option<u64>,
    /// Segments to draw per township, at most [`MAX_DRAWN`] (a quarterly full inspection checks all).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub segments_per_township: Option<usize>,
    /// Inspectors to draw, at most [`MAX_DRAWN`].
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub inspectors: Option<usize>,
}

/// Most segments per township, or inspectors, a check draws (a township has a few dozen segments).
pub const MAX_DRAWN: usize = 100;

/// A check with its draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub id: CheckId,
    pub kind: CheckKind,
    pub period: String,
    /// The draw: seed, segments, inspectors.
    pub draw: super::draw::Draw,
    /// Segments scored so far.
    pub scored: Vec<SegmentId>,
    /// When the results were published.
    pub published_at: Option<DateTime<Utc>>,
    /// The form it is scored by (第二十四条): the county's form when it was drawn; the road part
    /// alone for a check drawn before the county had forms.
    #[serde(default = "super::check_form::CheckForm::road_only")]
    pub form: super::check_form::CheckForm,
}

/// Body of `PUT /api/v1/road-checks/{id}/scores/{segment_id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreSegment {
    /// The seven items as found by the inspector.
    pub items: Vec<RoadCheck>,
}

/// Checks a period string of a check kind.
pub fn validate_period(kind: CheckKind, period: &str) -> Result<(), String> {
    let ok = match kind {
        CheckKind::MonthlyRandom => crate::period::parse_month(period).is_some(),
        CheckKind::QuarterlyFull => {
            period.len() == 7
                && period[..4].parse::<u16>().is_ok()
                && matches!(&period[4..], "-Q1" | "-Q2" | "-Q3" | "-Q4")
        }
    };
    if ok {
        Ok(())
    } else {
        Err("period is YYYY-MM for a monthly check, YYYY-Qn for a quarterly one".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_update_leaves_out_what_it_does_not_name() {
        let none: UpdateSegment = serde_json::from_str("{}").unwrap();
        assert_eq!(none.worker_id, None);
        let unassign: UpdateSegment = serde_json::from_str(r#"{"worker_id":null}"#).unwrap();
        assert_eq!(unassign.worker_id, Some(None));
        let w = UserId::new();
        let assign: UpdateSegment = serde_json::from_str(&format!(r#"{{"worker_id":"{w}"}}"#)).unwrap();
        assert_eq!(assign.worker_id, Some(Some(w)));
        for u in [none, unassign, assign] {
            assert_eq!(serde_json::from_str::<UpdateSegment>(&serde_json::to_string(&u).unwrap()).unwrap(), u);
        }
        assert!(serde_json::from_str::<UpdateSegment>(r#"{"line":[]}"#).is_err());
    }

    #[test]
    fn periods() {
        assert!(validate_period(CheckKind::MonthlyRandom, "2026-04").is_ok());
        assert!(validate_period(CheckKind::MonthlyRandom, "2026-13").is_err());
        assert!(validate_period(CheckKind::QuarterlyFull, "2026-Q2").is_ok());
        assert!(validate_period(CheckKind::QuarterlyFull, "2026-Q5").is_err());
        assert!(validate_period(CheckKind::MonthlyRandom, "2026-Q2").is_err());
    }
}

/// `GET /api/v1/segments/coverage`: one segment's month — the patrols that named it, on how many
/// days, and how much of its surveyed line the month's patrols covered together (the stretch no
/// one walked is what is left).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentMonth {
    /// The segment.
    pub segment_id: SegmentId,
    /// Its township.
    pub township_id: OrgUnitId,
    /// Its patrol worker.
    pub worker_id: Option<UserId>,
    /// Patrols of the month that named it.
    pub patrols: u32,
    /// Days (China time) with such a patrol.
    pub days: u32,
    /// Share (0–1) of its line within reach of any of those patrols' tracks; none without a line.
    pub coverage: Option<f64>,
}
