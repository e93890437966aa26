//! Screens addressed by the URL hash (`#/premise/<id>`), so the phone's back button and a reload
//! keep the worker where they were. The server serves index.html for every path anyway.

/// A screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Today,
    Premises,
    NewPremise,
    Premise(String),
    Inspect(String),
    Hazards,
    Hazard(String),
    Notifications,
    Settings,
    /// 巡路: my segments and 开始巡查, or the patrol in progress.
    Patrol,
    /// The patrols on the phone (pulled and not yet synced).
    Patrols,
    /// One patrol's summary.
    PatrolDetail(String),
}

impl Route {
    /// Reads a hash such as `#/hazard/0192…`; anything unknown is the Today screen.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("premises", Some("new")) => Route::NewPremise,
            ("premises", _) => Route::Premises,
            ("premise", Some(id)) => Route::Premise(id.to_owned()),
            ("inspect", Some(id)) => Route::Inspect(id.to_owned()),
            ("hazards", _) => Route::Hazards,
            ("hazard", Some(id)) => Route::Hazard(id.to_owned()),
            ("notifications", _) => Route::Notifications,
            ("settings", _) => Route::Settings,
            ("patrol", None | Some("")) => Route::Patrol,
            ("patrol", Some(id)) => Route::PatrolDetail(id.to_owned()),
            ("patrols", _) => Route::Patrols,
            _ => Route::Today,
        }
    }

    /// The hash for this screen.
    pub fn hash(&self) -> String {
        match self {
            Route::Today => "#/".into(),
            Route::Premises => "#/premises".into(),
            Route::NewPremise => "#/premises/new".into(),
            Route::Premise(id) => format!("#/premise/{id}"),
            Route::Inspect(id) => format!("#/inspect/{id}"),
            Route::Hazards => "#/hazards".into(),
            Route::Hazard(id) => format!("#/hazard/{id}"),
            Route::Notifications => "#/notifications".into(),
            Route::Settings => "#/settings".into(),
            Route::Patrol => "#/patrol".into(),
            Route::Patrols => "#/patrols".into(),
            Route::PatrolDetail(id) => format!("#/patrol/{id}"),
        }
    }

    /// The screen the browser is on.
    pub fn current() -> Route {
        let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        Route::parse(&hash)
    }

    /// Opens this screen (a history entry, so back works).
    pub fn open(&self) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&self.hash());
        }
    }

    /// Which tab is lit for this screen.
    pub fn tab(&self) -> Route {
        match self {
            Route::Premises | Route::NewPremise | Route::Premise(_) | Route::Inspect(_) => Route::Premises,
            Route::Hazards | Route::Hazard(_) => Route::Hazards,
            Route::Patrols | Route::PatrolDetail(_) => Route::Patrols,
            other => other.clone(),
        }
    }
}
