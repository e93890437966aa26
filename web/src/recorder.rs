//! Records the GPS track of the patrol in progress, whatever screen is open: one per logged-in app
//! (like the sync runner). Each fix worth keeping is written to IndexedDB in its own transaction
//! and counts — in the points shown, the distance and the coverage — only once that completed.
//! Opening the app with a patrol in progress resumes it with its saved points.

use crate::geo::{self, GeoError, Watch};
use crate::patrol_draft::{figures, keep_fix, Figures, PatrolDraft};
use crate::store::idb::Db;
use crate::store::track::SavedTrack;
use crate::wake::ScreenLock;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::rc::Rc;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::{PatrolId, SegmentId};
use yew::Callback;

/// What the screens show of the patrol in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// The patrol being recorded; none when no patrol is in progress.
    pub patrol: Option<PatrolId>,
    pub started_at: Option<DateTime<Utc>>,
    /// Fixes saved on the phone.
    pub points: u32,
    pub figures: Figures,
    /// The latest fix, kept or not (its accuracy is shown).
    pub last: Option<GeoPoint>,
    pub problem: Option<GeoError>,
    /// A fix could not be saved (storage full or failing).
    pub storage_failed: bool,
    /// The phone was looked at for a patrol left in progress: until then, starting one could
    /// overwrite it.
    pub checked: bool,
    /// The screen is held on while recording (wake lock); when not, the live screen asks the worker
    /// to keep it on, as a locked phone may stop giving fixes.
    pub awake: bool,
}

#[derive(Default)]
struct Inner {
    live: Live,
    segments: Vec<(SegmentId, Vec<GeoPoint>)>,
    /// Saved fixes, in order.
    points: Vec<TrackPoint>,
    /// The last fix accepted for saving (its write may still be running).
    last_kept: Option<TrackPoint>,
    next_seq: u32,
    /// The patrol is being ended: its track is being read and sent; later fixes are not kept.
    paused: bool,
    watch: Option<Watch>,
    wake: Option<ScreenLock>,
}

pub struct Recorder {
    db: Rc<Db>,
    inner: RefCell<Inner>,
    publish: Callback<Live>,
}

impl PartialEq for Recorder {
    fn eq(&self, _: &Self) -> bool {
        true // one per app
    }
}

impl Recorder {
    pub fn new(db: Rc<Db>, publish: Callback<Live>) -> Rc<Recorder> {
        Rc::new(Recorder { db, inner: RefCell::default(), publish })
    }

    /// At app start: picks up a patrol left in progress, with its saved points.
    pub async fn resume(self: &Rc<Self>) {
        match self.db.active_patrol().await {
            Ok(Some((draft, saved))) => self.follow(&draft, saved),
            Ok(None) => {}
            Err(e) => gloo::console::error!("patrol:", e.0),
        }
        self.inner.borrow_mut().live.checked = true;
        self.emit();
    }

    /// Follows a patrol (just started, or resumed with its saved points).
    pub fn follow(self: &Rc<Self>, draft: &PatrolDraft, saved: SavedTrack) {
        let SavedTrack { points, next_seq } = saved;
        {
            let mut inner = self.inner.borrow_mut();
            inner.live = Live {
                patrol: Some(draft.id),
                started_at: Some(draft.started_at),
                points: points.len() as u32,
                figures: figures(&draft.segments, &points),
                checked: true,
                ..Live::default()
            };
            inner.segments = draft.segments.clone();
            inner.last_kept = points.last().copied();
            inner.next_seq = next_seq;
            inner.points = points;
            inner.paused = false;
            inner.watch = None;
        }
        let (fix, fail) = (Rc::downgrade(self), Rc::downgrade(self));
        // Weak: the watch lives inside the recorder and must not keep it alive after logout.
        let watch = geo::watch(
            move |p, ms| {
                if let Some(r) = fix.upgrade() {
                    r.on_fix(p, ms);
                }
            },
            move |e| {
                if let Some(r) = fail.upgrade() {
                    r.on_problem(e);
                }
            },
        );
        match watch {
            Ok(w) => self.inner.borrow_mut().watch = Some(w),
            Err(e) => self.inner.borrow_mut().live.problem = Some(e),
        }
        let awake = Rc::downgrade(self);
        let lock = ScreenLock::hold(move |on| {
            if let Some(r) = awake.upgrade() {
                if r.inner.borrow().live.patrol.is_some() {
                    r.inner.borrow_mut().live.awake = on;
                    r.emit();
                }
            }
        });
        self.inner.borrow_mut().wake = Some(lock);
        self.emit();
    }

    /// Holds (or lets go of) new fixes while the patrol is being ended: the track read for the
    /// record then holds every saved fix, and nothing is written after it.
    pub fn pause(&self, paused: bool) {
        self.inner.borrow_mut().paused = paused;
    }

    /// Stops recording: the patrol ended. Fixes arriving later are ignored.
    pub fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        *inner = Inner::default();
        inner.live.checked = true;
        drop(inner);
        self.emit();
    }

    fn on_fix(self: &Rc<Self>, p: GeoPoint, ms: f64) {
        let t = DateTime::from_timestamp_millis(ms as i64).unwrap_or_else(crate::util::now);
        let fix = TrackPoint { lat: p.lat, lon: p.lon, t, acc: p.accuracy_m.unwrap_or(f64::INFINITY) };
        let save = {
            let mut inner = self.inner.borrow_mut();
            let Some(patrol) = inner.live.patrol.filter(|_| !inner.paused) else { return };
            inner.live.last = Some(p);
            inner.live.problem = None;
            if keep_fix(inner.last_kept.as_ref(), &fix) {
                inner.last_kept = Some(fix);
                inner.next_seq += 1;
                Some((patrol, inner.next_seq - 1))
            } else {
                None
            }
        };
        let Some((patrol, seq)) = save else {
            self.emit();
            return;
        };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // Writes to one store complete in the order they were started: the points stay in order.
            let saved = this.db.add_fix(&patrol, seq, &fix).await;
            {
                let mut inner = this.inner.borrow_mut();
                if inner.live.patrol != Some(patrol) {
                    return;
                }
                match saved {
                    Ok(()) => {
                        inner.points.push(fix);
                        inner.live.points = inner.points.len() as u32;
                        inner.live.figures = figures(&inner.segments, &inner.points);
                        inner.live.storage_failed = false;
                    }
                    Err(e) => {
                        gloo::console::error!("fix not saved:", e.0);
                        inner.live.storage_failed = true;
                        inner.last_kept = inner.points.last().copied();
                    }
                }
            }
            this.emit();
        });
    }

    fn on_problem(&self, e: GeoError) {
        let mut inner = self.inner.borrow_mut();
        if inner.live.patrol.is_none() {
            return;
        }
        inner.live.problem = Some(e);
        drop(inner);
        self.emit();
    }

    fn emit(&self) {
        let live = self.inner.borrow().live.clone();
        self.publish.emit(live);
    }
}
