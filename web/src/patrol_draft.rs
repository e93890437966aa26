//! A patrol on the road (上路记录) while it is being walked: the seven items of 第十五条, the
//! findings, remarks, and the segments with their surveyed lines. Saved to IndexedDB as the worker
//! goes (one draft: one patrol at a time); the GPS track lives beside it in its own store, a row
//! per fix (`store/track.rs`). On 结束巡查 it becomes the `SubmitPatrol` of the sync protocol, and
//! the phone's copy of the record is made with the shared rules the server uses (thinning,
//! distance, coverage, score).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::checklist::{score, RoadCheck, RoadCheckItem};
use xunjian_shared::road::issue::{FindingCategory, RoadFinding};
use xunjian_shared::road::on_road::{judge, OnRoadRule};
use xunjian_shared::road::patrol::{Patrol, SubmitPatrol};
use xunjian_shared::road::track::{coverage, distance_m, sample_line, thin, TrackPoint, MAX_ACCURACY_M, MIN_SPACING_M};
use xunjian_shared::{PatrolId, PhotoRef, RoadIssueId, SegmentId, UserId};

/// The draft's key in the `drafts` store.
pub const DRAFT_KEY: &str = "patrol";

/// A standing worker still leaves a point this often, so the track shows where they were and when.
const HEARTBEAT_S: i64 = 60;

/// One checklist item as answered so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckDraft {
    pub item: RoadCheckItem,
    /// Not answered yet: none.
    pub pass: Option<bool>,
    #[serde(default)]
    pub photo: Option<PhotoRef>,
    #[serde(default)]
    pub note: String,
    /// Where the worker was when answering.
    #[serde(default)]
    pub location: Option<GeoPoint>,
}

/// The patrol in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatrolDraft {
    pub id: PatrolId,
    pub started_at: DateTime<Utc>,
    /// The segments walked with their surveyed lines: coverage is shown from these even if a
    /// pull changes the segments meanwhile.
    pub segments: Vec<(SegmentId, Vec<GeoPoint>)>,
    #[serde(default)]
    pub checks: Vec<CheckDraft>,
    #[serde(default)]
    pub findings: Vec<RoadFinding>,
    #[serde(default)]
    pub notes: String,
}

/// One change the worker makes, applied to the latest draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Pass(RoadCheckItem, bool, Option<GeoPoint>),
    CheckNote(RoadCheckItem, String),
    CheckPhoto(RoadCheckItem, PhotoRef),
    AddFinding(Box<RoadFinding>),
    Category(RoadIssueId, FindingCategory),
    Description(RoadIssueId, String),
    FindingPhoto(RoadIssueId, PhotoRef),
    RemoveFinding(RoadIssueId),
    Notes(String),
}

/// What keeps a patrol from being ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Blocker {
    /// An item of the checklist is not answered.
    Unanswered(RoadCheckItem),
    /// A finding has no description (or breaks the shared validation).
    Finding(RoadIssueId),
}

/// Distance and coverage so far, worked out as the server will.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub distance_m: f64,
    pub coverage: Vec<(SegmentId, Option<f64>)>,
}

impl PatrolDraft {
    pub fn new(id: PatrolId, segments: Vec<(SegmentId, Vec<GeoPoint>)>, now: DateTime<Utc>) -> PatrolDraft {
        PatrolDraft { id, started_at: now, segments, checks: Vec::new(), findings: Vec::new(), notes: String::new() }
    }

    pub fn check(&self, item: RoadCheckItem) -> Option<&CheckDraft> {
        self.checks.iter().find(|c| c.item == item)
    }

    pub fn segment_ids(&self) -> Vec<SegmentId> {
        self.segments.iter().map(|(id, _)| *id).collect()
    }

    /// Applies one change.
    pub fn apply(&mut self, edit: Edit) {
        let check = |d: &mut PatrolDraft, item: RoadCheckItem| -> usize {
            if let Some(i) = d.checks.iter().position(|c| c.item == item) {
                return i;
            }
            d.checks.push(CheckDraft { item, pass: None, photo: None, note: String::new(), location: None });
            d.checks.len() - 1
        };
        let finding = |d: &mut PatrolDraft, id: RoadIssueId| d.findings.iter().position(|f| f.id == id);
        match edit {
            Edit::Pass(item, pass, at) => {
                let i = check(self, item);
                self.checks[i].pass = Some(pass);
                if at.is_some() {
                    self.checks[i].location = at;
                }
            }
            Edit::CheckNote(item, note) => {
                let i = check(self, item);
                self.checks[i].note = note;
            }
            Edit::CheckPhoto(item, photo) => {
                let i = check(self, item);
                self.checks[i].photo = Some(photo);
            }
            Edit::AddFinding(f) => {
                if finding(self, f.id).is_none() {
                    self.findings.push(*f);
                }
            }
            Edit::Category(id, c) => {
                if let Some(i) = finding(self, id) {
                    self.findings[i].category = c;
                }
            }
            Edit::Description(id, text) => {
                if let Some(i) = finding(self, id) {
                    self.findings[i].description = text;
                }
            }
            Edit::FindingPhoto(id, photo) => {
                if let Some(i) = finding(self, id) {
                    if !self.findings[i].photos.contains(&photo) {
                        self.findings[i].photos.push(photo);
                    }
                }
            }
            Edit::RemoveFinding(id) => self.findings.retain(|f| f.id != id),
            Edit::Notes(n) => self.notes = n,
        }
    }

    /// Items answered so far.
    pub fn answered(&self) -> usize {
        self.checks.iter().filter(|c| c.pass.is_some()).count()
    }

    /// The on-road record to send, or everything that still blocks it.
    pub fn submission(&self, track: &[TrackPoint], now: DateTime<Utc>) -> Result<SubmitPatrol, Vec<Blocker>> {
        let mut blockers = Vec::new();
        let mut checks = Vec::new();
        for item in RoadCheckItem::ALL {
            match self.check(item) {
                Some(CheckDraft { pass: Some(pass), photo, note, location, .. }) => checks.push(RoadCheck {
                    item,
                    pass: *pass,
                    photo: photo.clone(),
                    location: *location,
                    note: Some(note.trim().to_owned()).filter(|n| !n.is_empty()),
                }),
                _ => blockers.push(Blocker::Unanswered(item)),
            }
        }
        let mut findings = Vec::new();
        for f in &self.findings {
            let f = RoadFinding { description: f.description.trim().to_owned(), ..f.clone() };
            match f.validate() {
                Ok(()) => findings.push(f),
                Err(_) => blockers.push(Blocker::Finding(f.id)),
            }
        }
        if !blockers.is_empty() {
            return Err(blockers);
        }
        Ok(SubmitPatrol {
            id: self.id,
            segment_ids: self.segment_ids(),
            started_at: self.started_at,
            ended_at: now.max(self.started_at),
            track: track.to_vec(),
            checks,
            findings,
            notes: self.notes.trim().to_owned(),
        })
    }
}

/// Whether a GPS fix is kept in the track. Fixes the server's thinning would drop for accuracy are
/// not stored at all, and a phone reporting every second while the worker stands still adds
/// nothing: a fix is kept once it is [`MIN_SPACING_M`] from the last kept one, or a minute later.
pub fn keep_fix(last: Option<&TrackPoint>, fix: &TrackPoint) -> bool {
    if !(fix.acc.is_finite() && fix.acc <= MAX_ACCURACY_M) || fix.point().validate().is_err() {
        return false;
    }
    match last {
        None => true,
        Some(last) if fix.t < last.t => false,
        Some(last) => {
            last.point().distance_m(&fix.point()) >= MIN_SPACING_M || fix.t - last.t >= Duration::seconds(HEARTBEAT_S)
        }
    }
}

/// Distance and coverage of a track so far, by the shared rules on the thinned track.
pub fn figures(segments: &[(SegmentId, Vec<GeoPoint>)], track: &[TrackPoint]) -> Figures {
    let thinned = thin(track);
    Figures {
        distance_m: distance_m(&thinned),
        coverage: segments.iter().map(|(id, line)| (*id, coverage(line, &thinned))).collect(),
    }
}

/// The mean coverage of the segments that have a surveyed line.
pub fn mean_coverage(coverage: &[(SegmentId, Option<f64>)]) -> Option<f64> {
    let known: Vec<f64> = coverage.iter().filter_map(|(_, c)| *c).collect();
    (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
}

/// The segment of the patrol nearest to a position (a finding belongs to one).
pub fn nearest_segment(segments: &[(SegmentId, Vec<GeoPoint>)], here: Option<&GeoPoint>) -> Option<SegmentId> {
    let far = |line: &[GeoPoint]| -> f64 {
        match here {
            Some(h) => sample_line(line).iter().map(|s| s.distance_m(h)).fold(f64::INFINITY, f64::min),
            None => f64::INFINITY,
        }
    };
    segments.iter().min_by(|a, b| far(&a.1).total_cmp(&far(&b.1))).map(|(id, _)| *id)
}

/// The record the server will make of a submission: the track thinned, distance and coverage on
/// it, the checklist score, whether it is an on-road record. The phone shows it until the server's copy arrives.
pub fn patrol_record(
    sub: &SubmitPatrol,
    segments: &[(SegmentId, Vec<GeoPoint>)],
    me: UserId,
    now: DateTime<Utc>,
) -> Patrol {
    let thinned = thin(&sub.track);
    let coverage: Vec<(SegmentId, Option<f64>)> = sub
        .segment_ids
        .iter()
        .map(|id| (*id, segments.iter().find(|(s, _)| s == id).and_then(|(_, line)| coverage(line, &thinned))))
        .collect();
    // Judged by the county's default figures; the server's judgement (its settings) replaces it.
    let shares: Vec<Option<f64>> = coverage.iter().map(|(_, c)| *c).collect();
    let faults = judge(&OnRoadRule::default(), sub.started_at, sub.ended_at, &thinned, &shares);
    Patrol {
        submitted: SubmitPatrol { track: thinned.clone(), ..sub.clone() },
        worker_id: me,
        distance_m: distance_m(&thinned),
        coverage,
        checklist_score: score(&sub.checks),
        received_at: now,
        on_road: faults.is_empty(),
        faults,
        flags: vec![],
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "patrol_draft_tests.rs"]
mod tests;
