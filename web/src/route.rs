//! Screens addressed by the URL hash (`#/premise/<id>`), so the phone's back button and a reload
//! keep the worker where they were. The server serves index.html for every path anyway.
//! Office users get their own screens under some of the same hashes (`#/hazards` is the office's
//! hazard queue, `#/hazard/<id>` the office's hazard page): the shell picks by role.

/// A screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// 今日 for field workers; each office role's own home.
    Today,
    Premises,
    NewPremise,
    Premise(String),
    Inspect(String),
    /// The phone's open hazards; the office's hazard queue (optionally for one unit).
    Hazards(Option<String>),
    Hazard(String),
    Notifications,
    Settings,
    /// 巡路: my segments and 开始巡查, or the patrol in progress.
    Patrol,
    /// The patrols on the phone (pulled and not yet synced); the station's patrol records.
    Patrols,
    /// One patrol's summary.
    PatrolDetail(String),
    /// The office dashboard of a unit (mine when none).
    Dashboard(Option<String>),
    /// Hazards referred to my team (enforcement, fire brigade).
    Referrals,
    /// Major hazards waiting for the fire brigade's review.
    Review,
    /// 限期整改通知书 for a hazard, to print.
    Notice(String),
    /// 联席会议 quarterly statistics.
    Quarter,
    RoadIssues,
    RoadIssue(String),
    /// Works filings (先报备、再批复、后实施).
    Works,
    /// Monthly random checks and quarterly inspections.
    Checks,
    Check(String),
    PaySheet,
    Funds,
    /// 路线与管护员: the road register, its assignment report and files.
    Register,
    Units,
    Users,
    Templates,
}

impl Route {
    /// Reads a hash such as `#/hazard/0192…`; anything unknown is the Today screen.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        let id = |rest: Option<&str>| rest.filter(|s| !s.is_empty()).map(str::to_owned);
        match (parts.next().unwrap_or(""), parts.next()) {
            ("premises", Some("new")) => Route::NewPremise,
            ("premises", _) => Route::Premises,
            ("premise", Some(id)) => Route::Premise(id.to_owned()),
            ("inspect", Some(id)) => Route::Inspect(id.to_owned()),
            ("hazards", rest) => Route::Hazards(id(rest)),
            ("hazard", Some(id)) => Route::Hazard(id.to_owned()),
            ("notifications", _) => Route::Notifications,
            ("settings", _) => Route::Settings,
            ("patrol", None | Some("")) => Route::Patrol,
            ("patrol", Some(id)) => Route::PatrolDetail(id.to_owned()),
            ("patrols", _) => Route::Patrols,
            ("dashboard", rest) => Route::Dashboard(id(rest)),
            ("referrals", _) => Route::Referrals,
            ("review", _) => Route::Review,
            ("notice", Some(id)) => Route::Notice(id.to_owned()),
            ("quarter", _) => Route::Quarter,
            ("road-issues", _) => Route::RoadIssues,
            ("road-issue", Some(id)) => Route::RoadIssue(id.to_owned()),
            ("works", _) => Route::Works,
            ("checks", _) => Route::Checks,
            ("check", Some(id)) => Route::Check(id.to_owned()),
            ("pay", _) => Route::PaySheet,
            ("funds", _) => Route::Funds,
            ("roads", _) => Route::Register,
            ("units", _) => Route::Units,
            ("users", _) => Route::Users,
            ("templates", _) => Route::Templates,
            _ => Route::Today,
        }
    }

    /// The hash for this screen.
    pub fn hash(&self) -> String {
        let with = |base: &str, id: &Option<String>| match id {
            Some(id) => format!("#/{base}/{id}"),
            None => format!("#/{base}"),
        };
        match self {
            Route::Today => "#/".into(),
            Route::Premises => "#/premises".into(),
            Route::NewPremise => "#/premises/new".into(),
            Route::Premise(id) => format!("#/premise/{id}"),
            Route::Inspect(id) => format!("#/inspect/{id}"),
            Route::Hazards(unit) => with("hazards", unit),
            Route::Hazard(id) => format!("#/hazard/{id}"),
            Route::Notifications => "#/notifications".into(),
            Route::Settings => "#/settings".into(),
            Route::Patrol => "#/patrol".into(),
            Route::Patrols => "#/patrols".into(),
            Route::PatrolDetail(id) => format!("#/patrol/{id}"),
            Route::Dashboard(unit) => with("dashboard", unit),
            Route::Referrals => "#/referrals".into(),
            Route::Review => "#/review".into(),
            Route::Notice(id) => format!("#/notice/{id}"),
            Route::Quarter => "#/quarter".into(),
            Route::RoadIssues => "#/road-issues".into(),
            Route::RoadIssue(id) => format!("#/road-issue/{id}"),
            Route::Works => "#/works".into(),
            Route::Checks => "#/checks".into(),
            Route::Check(id) => format!("#/check/{id}"),
            Route::PaySheet => "#/pay".into(),
            Route::Funds => "#/funds".into(),
            Route::Register => "#/roads".into(),
            Route::Units => "#/units".into(),
            Route::Users => "#/users".into(),
            Route::Templates => "#/templates".into(),
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
            Route::Hazards(_) | Route::Hazard(_) | Route::Notice(_) => Route::Hazards(None),
            Route::Patrols | Route::PatrolDetail(_) => Route::Patrols,
            Route::Dashboard(_) => Route::Today,
            Route::RoadIssue(_) => Route::RoadIssues,
            Route::Check(_) => Route::Checks,
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_screen_reads_back_from_its_hash() {
        let id = || "0192f0aa-0000-7000-8000-000000000001".to_owned();
        for r in [
            Route::Today,
            Route::Hazards(None),
            Route::Hazards(Some(id())),
            Route::Hazard(id()),
            Route::Dashboard(None),
            Route::Dashboard(Some(id())),
            Route::Referrals,
            Route::Review,
            Route::Notice(id()),
            Route::Quarter,
            Route::RoadIssue(id()),
            Route::Check(id()),
            Route::PaySheet,
            Route::Templates,
        ] {
            assert_eq!(Route::parse(&r.hash()), r);
        }
        assert_eq!(Route::parse("#/nowhere"), Route::Today);
    }
}
