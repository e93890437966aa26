//! Decides when to sync — at start, when the phone comes online, on a timer while the app is
//! open, after the worker saves something, and on the button — runs one round at a time, backs
//! off after failures, and publishes the status the UI shows at all times.

use super::backoff::{delay_ms, QUIET_MS};
use super::engine::{self, Report, SyncError};
use super::remote::{session_ended, HttpRemote, Tokens};
use crate::api::ApiError;
use crate::i18n::Lang;
use crate::store::idb::Db;
use crate::store::{LogWhat, StoreError, SyncStore};
use crate::util::now;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Callback;

/// Why the last round failed, in terms the UI turns into words a worker understands.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// No network or the server is down.
    Offline,
    /// The login expired or was ended: log in again (the data stays on the phone).
    SessionEnded,
    /// The server refused or failed.
    Server(ApiError),
    /// The phone's storage failed.
    Storage(String),
}

/// What the status bar shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    pub running: bool,
    /// Operations not yet accepted by the server.
    pub pending: u32,
    /// Conflicts and refusals to read.
    pub inbox: u32,
    /// Photos waiting for upload.
    pub photos_waiting: u32,
    pub last_success: Option<DateTime<Utc>>,
    /// Rounds since the app started that brought or settled something: the screens reread the
    /// phone's records after each (a round that changed nothing leaves them as they are).
    pub data_rounds: u32,
    pub problem: Option<Problem>,
    /// When the next automatic try is due (ms since epoch), after a failure.
    pub retry_at: Option<f64>,
}

struct Inner {
    /// Raised by every recount: a slower, older recount must not overwrite a newer one.
    count_gen: u32,
    running: bool,
    again: bool,
    failures: u32,
    next_due: f64,
    status: Status,
}

/// One per logged-in app.
pub struct Runner {
    remote: HttpRemote,
    inner: RefCell<Inner>,
    publish: Callback<Status>,
    on_ended: Callback<()>,
}

impl Runner {
    pub fn new(db: Rc<Db>, tokens: Tokens, publish: Callback<Status>, on_ended: Callback<()>) -> Rc<Runner> {
        let inner =
            Inner { count_gen: 0, running: false, again: false, failures: 0, next_due: 0.0, status: Status::default() };
        let remote = HttpRemote { db, tokens, refreshing: Default::default() };
        Rc::new(Runner { remote, inner: RefCell::new(inner), publish, on_ended })
    }

    /// Syncs now (or right after the round in progress).
    pub fn now(self: &Rc<Self>) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.running {
                inner.again = true;
                return;
            }
            inner.running = true;
            inner.status.running = true;
        }
        self.emit();
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move { this.run().await });
    }

    /// The worker saved something: sync soon, unless we are backing off after failures.
    pub fn soon(self: &Rc<Self>) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.failures == 0 {
                inner.next_due = inner.next_due.min(js_sys::Date::now() + 1_500.0);
            }
        }
        self.refresh_counts();
    }

    /// The timer's tick: sync when due.
    pub fn tick(self: &Rc<Self>) {
        let due = {
            let inner = self.inner.borrow();
            !inner.running && js_sys::Date::now() >= inner.next_due
        };
        if due {
            self.now();
        }
    }

    /// Re-reads the counts shown in the status bar (after a local change).
    pub fn refresh_counts(self: &Rc<Self>) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = this.count().await {
                gloo::console::warn!("counts:", e.0);
            }
            this.emit();
        });
    }

    async fn count(&self) -> Result<(), StoreError> {
        let gen = {
            let mut inner = self.inner.borrow_mut();
            inner.count_gen = inner.count_gen.wrapping_add(1);
            inner.count_gen
        };
        let db = &self.remote.db;
        let (pending, inbox, photos) = (db.count("outbox").await?, db.count("inbox").await?, db.photo_counts().await?);
        let last = db.sync_state().await?.last_success;
        let mut inner = self.inner.borrow_mut();
        if inner.count_gen != gen {
            return Ok(());
        }
        inner.status.pending = pending;
        inner.status.inbox = inbox;
        inner.status.photos_waiting = photos.waiting;
        inner.status.last_success = last;
        Ok(())
    }

    fn emit(&self) {
        let status = self.inner.borrow().status.clone();
        self.publish.emit(status);
    }

    async fn run(self: Rc<Self>) {
        loop {
            let result = engine::run(&*self.remote.db, &self.remote, now()).await;
            self.finish(result).await;
            let again = std::mem::take(&mut self.inner.borrow_mut().again);
            if !again {
                break;
            }
        }
        {
            let mut inner = self.inner.borrow_mut();
            inner.running = false;
            inner.status.running = false;
        }
        let _ = self.count().await;
        self.emit();
    }

    async fn finish(&self, result: Result<Report, SyncError>) {
        let at = now();
        let ms = js_sys::Date::now();
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        let (ok, what, line, problem) = match &result {
            Ok(r) => {
                let what = LogWhat::Synced {
                    applied: n(r.applied),
                    refused: n(r.refused),
                    pulled: n(r.pulled),
                    photos: n(r.photos),
                };
                (true, what, String::new(), None)
            }
            Err(SyncError::Api(ApiError::Network)) => (false, LogWhat::Offline, String::new(), Some(Problem::Offline)),
            Err(SyncError::Api(e)) if session_ended(e) => {
                (false, LogWhat::SessionEnded, e.describe(), Some(Problem::SessionEnded))
            }
            Err(SyncError::Api(e)) => {
                let what = LogWhat::Server { zh: e.message(Lang::Zh), en: e.message(Lang::En) };
                (false, what, e.describe(), Some(Problem::Server(e.clone())))
            }
            Err(SyncError::Store(e)) => (false, LogWhat::Storage, e.0.clone(), Some(Problem::Storage(e.0.clone()))),
        };
        let db = &self.remote.db;
        if let Ok(mut state) = db.sync_state().await {
            if ok {
                state.last_success = Some(at);
            }
            state.note(at, ok, what, line);
            let _ = db.put_sync_state(&state).await;
        }
        let ended = problem == Some(Problem::SessionEnded);
        {
            let mut inner = self.inner.borrow_mut();
            if let Ok(r) = &result {
                if r.pulled > 0 || r.applied > 0 || r.refused > 0 || r.reset {
                    inner.status.data_rounds += 1;
                }
            }
            if ok {
                inner.failures = 0;
                inner.next_due = ms + QUIET_MS;
                inner.status.retry_at = None;
            } else {
                inner.failures += 1;
                inner.next_due = ms + delay_ms(inner.failures, js_sys::Math::random());
                inner.status.retry_at = Some(inner.next_due);
            }
            inner.status.problem = problem;
        }
        if ok {
            crate::sw::check_for_update();
        }
        if ended {
            self.on_ended.emit(());
        }
    }

    /// The user as the server sees them now (refreshing the tokens if needed).
    pub async fn me(&self) -> Result<xunjian_shared::user::Me, ApiError> {
        self.remote.me().await
    }

    /// A call of the office screens, with the same session and token refresh as the sync.
    pub async fn call(
        &self,
        method: gloo::net::http::Method,
        path: &str,
        body: crate::api::Body<'_>,
    ) -> Result<gloo::net::http::Response, ApiError> {
        self.remote.call(method, path, &move || body).await
    }
}
